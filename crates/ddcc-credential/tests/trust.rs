//! Trust lists signed by a trust anchor: accredited issuers are valid, a
//! genuine credential from anyone else is "unknown issuer", and a list that
//! is tampered with, expired or not signed by an anchor is refused (and
//! never silently trusted).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_core::Did;
use ddcc_credential::trust::{TrustEntry, TrustError, TrustList, TrustPolicy};
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, Issuer, Outcome, Verifier};
use ddcc_crypto::SecretKey;
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now())).unwrap()
}

async fn credential(issuer: &Issuer) -> Value {
    let record: Value = serde_json::from_str(RECORD).unwrap();
    issuer
        .issue(&record, now() - Duration::days(30))
        .await
        .unwrap()
}

fn entry(issuer: &Issuer) -> TrustEntry {
    TrustEntry {
        issuer: issuer.did().clone(),
        credential_types: vec!["DDCCVaccinationCredential".into()],
        jurisdictions: vec!["UTO".into()],
        until: Some(now() + Duration::days(365)),
    }
}

fn list(anchor: &Issuer, entries: Vec<TrustEntry>, days: i64) -> TrustList {
    TrustList {
        name: "Utopia health certificate issuers".into(),
        anchor: anchor.did().clone(),
        valid_until: Some(now() + Duration::days(days)),
        entries,
    }
}

async fn policy(doc: &Value, anchors: &[Did]) -> TrustPolicy {
    match TrustList::verify(doc, anchors, &verifier()).await {
        Ok(l) => TrustPolicy::List(l),
        Err(e) => TrustPolicy::Unusable(e),
    }
}

#[tokio::test]
async fn accredited_issuers_are_valid_and_others_are_unknown() {
    let anchor = Issuer::new(SecretKey::generate()).unwrap();
    let moh = Issuer::new(SecretKey::generate()).unwrap();
    let stranger = Issuer::new(SecretKey::generate()).unwrap();
    let signed = list(&anchor, vec![entry(&moh)], 90)
        .sign(&anchor, now() - Duration::days(1))
        .await
        .unwrap();
    let anchors = [anchor.did().clone()];
    let v = verifier().with_trust(policy(&signed, &anchors).await);

    let ok = v.verify(&credential(&moh).await, Checks::all()).await;
    assert!(ok.is_valid(), "{}", ok.to_text());
    let t = ok.report(Check::Trust).unwrap();
    assert_eq!(t.status, CheckStatus::Passed);
    assert!(t.message.contains("Utopia health certificate issuers"));

    // Genuine, but not accredited: unknown issuer, exit 1, its own verdict.
    let unknown = v.verify(&credential(&stranger).await, Checks::all()).await;
    assert!(
        matches!(unknown.outcome(), Outcome::UnknownIssuer(_)),
        "{}",
        unknown.to_text()
    );
    assert_eq!(unknown.exit_code(), 1);
    assert_eq!(unknown.to_json()["verdict"], "unknown_issuer");
    assert_eq!(unknown.to_json()["code"], "unknown_issuer");
    assert!(unknown.to_text().starts_with("UNKNOWN ISSUER"));
    assert_eq!(
        unknown.report(Check::Proof).unwrap().status,
        CheckStatus::Passed
    );

    // A forged credential stays invalid, not "unknown".
    let mut forged = credential(&stranger).await;
    forged["credentialSubject"]["vaccination"]["dose"] = 3.into();
    let f = v.verify(&forged, Checks::all()).await;
    assert!(matches!(f.outcome(), Outcome::Invalid(r) if r.check == Check::Proof));
}

#[tokio::test]
async fn accreditation_is_per_type_jurisdiction_and_time() {
    let anchor = Issuer::new(SecretKey::generate()).unwrap();
    let moh = Issuer::new(SecretKey::generate()).unwrap();
    let vc = credential(&moh).await;
    let anchors = [anchor.did().clone()];
    let cases: Vec<(TrustEntry, &str)> = vec![
        (
            TrustEntry {
                credential_types: vec!["DDCCTestResultCredential".into()],
                ..entry(&moh)
            },
            "credential type",
        ),
        (
            TrustEntry {
                jurisdictions: vec!["XXA".into()],
                ..entry(&moh)
            },
            "jurisdiction",
        ),
        (
            TrustEntry {
                until: Some(now() - Duration::days(1)),
                ..entry(&moh)
            },
            "ended",
        ),
    ];
    for (e, why) in cases {
        let signed = list(&anchor, vec![e], 90)
            .sign(&anchor, now())
            .await
            .unwrap();
        let v = verifier().with_trust(policy(&signed, &anchors).await);
        let verdict = v.verify(&vc, Checks::all()).await;
        assert!(
            matches!(verdict.outcome(), Outcome::UnknownIssuer(_)),
            "{why}"
        );
        assert!(
            verdict.report(Check::Trust).unwrap().message.contains(why),
            "{why}: {}",
            verdict.to_text()
        );
    }
    // Empty type and jurisdiction lists mean any.
    let open = TrustEntry {
        credential_types: vec![],
        jurisdictions: vec![],
        until: None,
        ..entry(&moh)
    };
    let signed = list(&anchor, vec![open], 90)
        .sign(&anchor, now())
        .await
        .unwrap();
    let v = verifier().with_trust(policy(&signed, &anchors).await);
    assert!(v.verify(&vc, Checks::all()).await.is_valid());
}

#[tokio::test]
async fn unusable_trust_lists_are_refused_with_their_reason() {
    let anchor = Issuer::new(SecretKey::generate()).unwrap();
    let moh = Issuer::new(SecretKey::generate()).unwrap();
    let intruder = Issuer::new(SecretKey::generate()).unwrap();
    let anchors = [anchor.did().clone()];
    let good = list(&anchor, vec![entry(&moh)], 90)
        .sign(&anchor, now() - Duration::days(1))
        .await
        .unwrap();
    assert!(
        TrustList::verify(&good, &anchors, &verifier())
            .await
            .is_ok()
    );

    // An issuer added after signing: the anchor's signature no longer holds.
    let mut tampered = good.clone();
    tampered["credentialSubject"]["accreditedIssuer"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": intruder.did().as_str()}));
    let e = TrustList::verify(&tampered, &anchors, &verifier())
        .await
        .unwrap_err();
    assert!(matches!(e, TrustError::Invalid(_)), "{e}");
    assert!(e.to_string().contains("proof"), "{e}");

    // Past its validUntil.
    let old = list(&anchor, vec![entry(&moh)], -1)
        .sign(&anchor, now() - Duration::days(60))
        .await
        .unwrap();
    let e = TrustList::verify(&old, &anchors, &verifier())
        .await
        .unwrap_err();
    assert!(matches!(e, TrustError::Expired(_)), "{e}");

    // Signed by someone who is not an anchor (a self-made list).
    let own = list(&intruder, vec![entry(&intruder)], 90)
        .sign(&intruder, now())
        .await
        .unwrap();
    let e = TrustList::verify(&own, &anchors, &verifier())
        .await
        .unwrap_err();
    assert!(matches!(e, TrustError::NotAnAnchor(_)), "{e}");

    // Not a trust list at all.
    let vc = credential(&moh).await;
    let e = TrustList::verify(&vc, &anchors, &verifier())
        .await
        .unwrap_err();
    assert!(matches!(e, TrustError::Malformed(_)), "{e}");

    // A verifier given an unusable list cannot verify anything, and says why.
    let v = verifier().with_trust(policy(&tampered, &anchors).await);
    let verdict = v.verify(&credential(&moh).await, Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2, "{}", verdict.to_text());
    assert_eq!(
        verdict.report(Check::Trust).unwrap().code,
        "trust_list_invalid"
    );
    let v = verifier().with_trust(policy(&old, &anchors).await);
    let verdict = v.verify(&credential(&moh).await, Checks::all()).await;
    assert_eq!(
        verdict.report(Check::Trust).unwrap().code,
        "trust_list_expired"
    );
}
