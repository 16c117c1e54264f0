//! Data Integrity presentations: the holder's proof for a verifier's
//! challenge and domain, holder binding, and every embedded credential.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, Checks, FixedClock, Holder, Issuer, Verifier};
use ddcc_crypto::SecretKey;
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap()
}

async fn credential_for(holder: &Holder) -> Value {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let mut record: Value = serde_json::from_str(RECORD).unwrap();
    record["subject"]["id"] = holder.did().as_str().into();
    issuer.issue(&record, now()).await.unwrap()
}

fn failed(v: &ddcc_credential::Verdict) -> &'static str {
    v.reports()
        .iter()
        .find(|r| r.status == ddcc_credential::CheckStatus::Failed)
        .map(|r| r.code)
        .unwrap_or("none")
}

#[tokio::test]
async fn holder_bound_presentation_verifies_and_tampering_is_named() {
    let holder = Holder::new(SecretKey::generate()).unwrap();
    let vc = credential_for(&holder).await;
    let vp = holder
        .present(
            vec![vc.clone()],
            "c-123",
            "https://checkpoint.example",
            now(),
        )
        .unwrap();
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now())).unwrap();
    let v = verifier
        .verify_presentation(&vp, "c-123", "https://checkpoint.example", Checks::all())
        .await;
    assert!(v.is_authentic(), "{}", v.to_text());
    assert_eq!(v.exit_code(), 0);
    assert_eq!(v.credentials.len(), 1);

    // Another challenge or domain: the holder proof is not for this verifier.
    let w = verifier
        .verify_presentation(&vp, "c-999", "https://checkpoint.example", Checks::all())
        .await;
    assert_eq!(w.exit_code(), 1);
    assert_eq!(failed(&w.presentation), "challenge_mismatch");
    let w = verifier
        .verify_presentation(&vp, "c-123", "https://other.example", Checks::all())
        .await;
    assert_eq!(failed(&w.presentation), "domain_mismatch");

    // The embedded credential altered: both the holder proof and the
    // credential's own proof fail.
    let mut t = vp.clone();
    t["verifiableCredential"][0]["credentialSubject"]["vaccination"]["dose"] = 3.into();
    let w = verifier
        .verify_presentation(&t, "c-123", "https://checkpoint.example", Checks::all())
        .await;
    assert_eq!(w.exit_code(), 1);
    assert_eq!(failed(&w.presentation), "signature_mismatch");
    assert_eq!(
        w.credentials[0].report(Check::Proof).unwrap().code,
        "signature_mismatch"
    );

    // Someone else presents the holder's credential, claiming to be the holder.
    let thief = Holder::new(SecretKey::generate()).unwrap();
    let mut stolen = thief
        .present(
            vec![vc.clone()],
            "c-123",
            "https://checkpoint.example",
            now(),
        )
        .unwrap();
    let w = verifier
        .verify_presentation(
            &stolen,
            "c-123",
            "https://checkpoint.example",
            Checks::all(),
        )
        .await;
    assert_eq!(failed(&w.presentation), "subject_not_holder");
    stolen["holder"] = holder.did().as_str().into();
    let w = verifier
        .verify_presentation(
            &stolen,
            "c-123",
            "https://checkpoint.example",
            Checks::all(),
        )
        .await;
    assert_eq!(w.exit_code(), 1);
    assert!(
        matches!(
            failed(&w.presentation),
            "method_not_holders" | "signature_mismatch"
        ),
        "{}",
        w.to_text()
    );

    // Not a presentation at all.
    let w = verifier
        .verify_presentation(&vc, "c-123", "https://checkpoint.example", Checks::all())
        .await;
    assert_eq!(w.exit_code(), 2);
}

#[tokio::test]
async fn did_jwk_holder_presents_and_is_resolved_offline() {
    let key = SecretKey::generate();
    let public = key.public_key();
    let holder = Holder::with_did_jwk(key).unwrap();
    assert!(holder.did().as_str().starts_with("did:jwk:"));
    let vc = credential_for(&holder).await;
    let vp = holder
        .present(vec![vc], "c-jwk", "https://checkpoint.example", now())
        .unwrap();
    assert_eq!(
        vp["proof"]["verificationMethod"],
        format!("{}#0", holder.did())
    );
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now())).unwrap();
    let v = verifier
        .verify_presentation(&vp, "c-jwk", "https://checkpoint.example", Checks::all())
        .await;
    assert!(v.is_authentic(), "{}", v.to_text());
    assert_eq!(v.to_json()["presentation"]["holder"], holder.did().as_str());
    assert!(v.to_text().contains(&format!("holder: {}", holder.did())));

    // The same key under its did:key is another DID: a proof naming the
    // did:key method while the holder is the did:jwk is not the holder's.
    let mut t = vp.clone();
    let (did_key, method) = ddcc_did::did_key_method(&public);
    t["proof"]["verificationMethod"] = method.as_str().into();
    let w = verifier
        .verify_presentation(&t, "c-jwk", "https://checkpoint.example", Checks::all())
        .await;
    assert_eq!(failed(&w.presentation), "method_not_holders");
    assert_ne!(did_key.as_str(), holder.did().as_str());

    // A method id the did:jwk document does not have.
    let mut t = vp.clone();
    t["proof"]["verificationMethod"] = format!("{}#1", holder.did()).into();
    let w = verifier
        .verify_presentation(&t, "c-jwk", "https://checkpoint.example", Checks::all())
        .await;
    assert_eq!(failed(&w.presentation), "not_authentication");

    // A did:jwk that is not base64url JSON is an invalid DID, named as such.
    let mut t = vp.clone();
    t["holder"] = "did:jwk:bm90LWEtandr".into();
    t["proof"]["verificationMethod"] = "did:jwk:bm90LWEtandr#0".into();
    let w = verifier
        .verify_presentation(&t, "c-jwk", "https://checkpoint.example", Checks::all())
        .await;
    assert_eq!(failed(&w.presentation), "holder_invalid_did");
}

#[tokio::test]
async fn unresolvable_method_is_could_not_verify_with_its_reason() {
    // A did:web verification method, with a verifier that only resolves
    // did:key and did:jwk: the proof cannot be checked (not "invalid").
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let mut vc = issuer.issue(&record, now()).await.unwrap();
    vc["issuer"] = "did:web:health.example".into();
    vc["proof"]["verificationMethod"] = "did:web:health.example#key-1".into();
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now())).unwrap();
    let v = verifier.verify(&vc, Checks::all()).await;
    assert_eq!(v.exit_code(), 2, "{}", v.to_text());
    let proof = v.report(Check::Proof).unwrap();
    assert_eq!(proof.code, "method_not_resolvable");
    assert!(proof.message.contains("not supported"), "{}", proof.message);
    assert_eq!(
        v.report(Check::Issuer).unwrap().code,
        "issuer_not_resolvable"
    );
}

#[tokio::test]
async fn holder_binding_is_a_policy_that_ddcc_certificates_turn_on() {
    use ddcc_credential::{HolderBinding, PresentationPolicy};
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now())).unwrap();
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let holder = Holder::new(SecretKey::generate()).unwrap();
    // A credential that is not a DDCC certificate, about someone else (a
    // parent showing a child's), in a presentation without a holder: valid
    // VC 2.0.
    let about_another = issuer
        .sign_document(
            serde_json::json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "issuer": issuer.did().as_str(),
                "credentialSubject": {"id": "did:example:child"}
            }),
            now(),
        )
        .await
        .unwrap();
    let vp = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [about_another]
    });
    let vp = holder
        .sign_presentation(
            vp.as_object().unwrap().clone(),
            "c-1",
            "https://v.example",
            now(),
        )
        .unwrap();
    let verify = |policy| {
        verifier.verify_presentation_with(
            &vp,
            "c-1",
            "https://v.example",
            Checks::all(),
            PresentationPolicy {
                holder_binding: policy,
            },
        )
    };
    for policy in [HolderBinding::Never, HolderBinding::DdccCertificates] {
        let v = verify(policy).await;
        assert!(v.is_authentic(), "{policy:?}: {}", v.to_text());
        let binding = v.presentation.report(Check::Issuer).unwrap();
        assert_eq!(binding.code, "holder_binding_not_required");
    }
    let v = verify(HolderBinding::Always).await;
    assert!(!v.is_authentic());
    assert!(
        matches!(
            failed(&v.presentation),
            "method_not_holders" | "subject_not_holder" | "missing_holder"
        ),
        "{}",
        v.to_text()
    );
    // A DDCC certificate about someone else is refused by default.
    let other = Holder::new(SecretKey::generate()).unwrap();
    let certificate = credential_for(&other).await;
    let vp = holder
        .present(vec![certificate], "c-1", "https://v.example", now())
        .unwrap();
    let v = verifier
        .verify_presentation(&vp, "c-1", "https://v.example", Checks::all())
        .await;
    assert_eq!(failed(&v.presentation), "subject_not_holder");
    // The data model at the door of signing and of verifying.
    let bad = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": {"name": "Acme"}
    });
    assert!(matches!(
        holder.sign_presentation(
            bad.as_object().unwrap().clone(),
            "c-1",
            "https://v.example",
            now()
        ),
        Err(ddcc_credential::IssueError::Model(_))
    ));
    let v = verifier
        .verify_presentation(&bad, "c-1", "https://v.example", Checks::all())
        .await;
    assert_eq!(failed(&v.presentation), "bad_holder");
}
