//! Inline `@context` objects (VC 2.0 allows them after the base context):
//! signed and verified on the exact path, the same verdict from the
//! `ssi` fallback, protected terms kept, and refused only by a verifier
//! that asks to.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, IssueError, Issuer, Verifier};
use ddcc_crypto::SecretKey;
use serde_json::{Value, json};

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(at())).unwrap()
}

fn credential(issuer: &Issuer) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {
                "ExampleMembership": "https://example.org/vocab#ExampleMembership",
                "club": {"@id": "https://example.org/vocab#club", "@type": "@id"},
                "since": {"@id": "https://example.org/vocab#since", "@type": "http://www.w3.org/2001/XMLSchema#date"}
            }
        ],
        "type": ["VerifiableCredential", "ExampleMembership"],
        "issuer": issuer.did().as_str(),
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:member",
            "club": "https://example.org/clubs/chess",
            "since": "2020-09-01"
        }
    })
}

fn proof_report(v: &ddcc_credential::Verdict) -> (CheckStatus, &'static str) {
    let r = v.report(Check::Proof).unwrap();
    (r.status, r.code)
}

#[tokio::test]
async fn signed_and_verified_on_the_exact_path_and_by_the_fallback() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let signed = issuer
        .sign_document(credential(&issuer), at())
        .await
        .unwrap();
    let checks = Checks::only(&[Check::Contexts, Check::Proof, Check::Issuer]);
    let fast = verifier().verify(&signed, checks).await;
    assert!(fast.is_authentic(), "{}", fast.to_text());
    // ssi 0.16 processes the inline context itself: the same verdict says
    // the exact path's RDF is the one a general processor makes.
    let slow = verifier()
        .with_fast_path(false)
        .verify(&signed, checks)
        .await;
    assert!(slow.is_authentic(), "{}", slow.to_text());

    // A changed term definition changes the signed statements.
    let mut t = signed.clone();
    t["@context"][1]["club"]["@id"] = "https://example.org/vocab#team".into();
    let v = verifier().verify(&t, checks).await;
    assert_eq!(
        proof_report(&v),
        (CheckStatus::Failed, "signature_mismatch"),
        "{}",
        v.to_text()
    );

    // A verifier that wants only pinned contexts says so.
    let strict = verifier()
        .refuse_inline_contexts(true)
        .verify(&signed, checks)
        .await;
    let r = strict.report(Check::Contexts).unwrap();
    assert_eq!(
        (r.status, r.code),
        (CheckStatus::CouldNotVerify, "inline_context")
    );
    assert!(!strict.is_authentic());
}

#[tokio::test]
async fn protected_terms_stay_protected() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let mut vc = credential(&issuer);
    vc["@context"][1]["VerifiableCredential"] = "https://evil.example/#Credential".into();
    let e = issuer.sign_document(vc, at()).await.unwrap_err();
    assert!(
        matches!(&e, IssueError::Unsupported(u) if u.code() == "protected_term_redefinition"),
        "{e}"
    );
    // An inline context first, before the base context, is refused.
    let mut vc = credential(&issuer);
    vc["@context"] =
        json!([{"x": "https://example.org/x"}, "https://www.w3.org/ns/credentials/v2"]);
    let e = issuer.sign_document(vc, at()).await.unwrap_err();
    assert!(
        matches!(&e, IssueError::Model(m) if m.code == "missing_base_context"),
        "{e}"
    );
}

/// A credential whose inline context gives 160 types scoped contexts of
/// their own, on nodes typed with every ordered pair of them (600 KB), with
/// `extra` added to its inline context.
fn costly(issuer: &Issuer, extra: Option<(&str, Value)>) -> Value {
    let n = 160;
    let mut ctx = serde_json::Map::new();
    ctx.insert("items".into(), json!("https://example.org/items"));
    if let Some((k, v)) = extra {
        ctx.insert(k.into(), v);
    }
    for t in 0..n {
        ctx.insert(
            format!("T{t}"),
            json!({"@id": format!("https://example.org/T{t}"), "@context": {format!("f{t}"): format!("https://example.org/f{t}")}}),
        );
    }
    let mut items = Vec::new();
    for a in 0..n {
        for b in 0..n {
            if a != b {
                items.push(json!({"type": [format!("T{a}"), format!("T{b}")]}));
            }
        }
    }
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", Value::Object(ctx)],
        "type": "VerifiableCredential",
        "issuer": issuer.did().as_str(),
        "credentialSubject": {"items": items},
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2024-01-01T00:00:00Z",
            "proofPurpose": "assertionMethod",
            "verificationMethod": format!("{}#{}", issuer.did().as_str(), issuer.did().method_specific_id()),
            "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKJu1ZsM4ZoUGqQ3"
        }
    })
}

#[tokio::test]
async fn a_strangers_inline_contexts_cannot_make_verification_slow() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    // On the exact path: its work budget for a document's own contexts.
    // With a feature the exact path lacks (@base): no fallback to the
    // general processor, which took 9.8 s (release) for this document.
    for (extra, code) in [
        (None, "work_budget_exceeded"),
        (
            Some(("@base", json!("https://example.org/"))),
            "inline_context_unsupported",
        ),
    ] {
        let doc = costly(&issuer, extra);
        let started = std::time::Instant::now();
        let v = verifier().verify(&doc, Checks::all()).await;
        let took = started.elapsed();
        let r = v.report(Check::Proof).unwrap();
        assert_eq!(
            (r.status, r.code),
            (CheckStatus::CouldNotVerify, code),
            "{}",
            v.to_text()
        );
        // A generous bound for a debug build on a busy machine.
        assert!(took < std::time::Duration::from_secs(3), "{code}: {took:?}");
    }
}
