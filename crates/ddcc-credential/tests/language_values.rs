//! Names and descriptions as language value objects (VC 2.0 §11.1): signed
//! and verified on the exact path, with the direction covered by the proof
//! (JSON-LD's `rdfDirection: i18n-datatype`, as the Data Integrity
//! cryptosuites canonicalize).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, Issuer, Verifier};
use ddcc_crypto::SecretKey;
use serde_json::json;

#[tokio::test]
async fn language_and_direction_are_signed() {
    let at = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap();
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let vc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": {
            "id": issuer.did().as_str(),
            "name": [{"@value": "Ministry of Health", "@language": "en"}, {"@value": "وزارة الصحة", "@language": "ar", "@direction": "rtl"}]
        },
        "name": {"@value": "Vaccination certificate", "@language": "en", "@direction": "ltr"},
        "credentialSubject": {"id": "did:example:subject"}
    });
    let signed = issuer.sign_document(vc, at).await.unwrap();
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(at)).unwrap();
    let checks = Checks::only(&[Check::Contexts, Check::Proof, Check::Issuer]);
    let v = verifier.verify(&signed, checks).await;
    assert!(v.is_authentic(), "{}", v.to_text());
    // The language, the direction and the text are each in what is signed.
    for (pointer, value) in [
        ("/name/@language", json!("fr")),
        ("/name/@direction", json!("rtl")),
        ("/issuer/name/1/@direction", json!("ltr")),
        ("/issuer/name/0/@value", json!("Ministry of Wealth")),
    ] {
        let mut t = signed.clone();
        *t.pointer_mut(pointer).unwrap() = value;
        let v = verifier.verify(&t, checks).await;
        let r = v.report(Check::Proof).unwrap();
        assert_eq!(
            (r.status, r.code),
            (CheckStatus::Failed, "signature_mismatch"),
            "{pointer}"
        );
    }
    // A language tag's case is not: JSON-LD lower-cases it.
    let mut t = signed.clone();
    t["name"]["@language"] = "EN".into();
    assert!(verifier.verify(&t, checks).await.is_authentic());
}
