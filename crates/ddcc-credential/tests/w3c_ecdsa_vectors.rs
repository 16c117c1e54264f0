//! W3C vc-di-ecdsa vectors, judged on the proof alone (the `employ`
//! credentials' issuer is not the signing key's DID, as SOURCES.md notes):
//! ecdsa-rdfc-2019 with P-256 and with P-384 (RDFC-1.0 with SHA-384
//! inside) verifies on the exact path and refuses tampering; the JCS
//! suites are "could not verify" with their reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, ProofPath, Verifier};
use ddcc_test_support::{read, read_json, vectors};
use serde_json::Value;

const DIR: &str = "w3c-vc-di-ecdsa";

fn verifier(dir: &std::path::Path) -> Verifier {
    let mut reg = ContextRegistry::builtin().unwrap();
    reg.pin(
        "https://w3id.org/citizenship/v4rc1",
        &read(dir, "contexts/citizenship-v4rc1.jsonld"),
        "vectors",
    )
    .unwrap();
    let now = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Verifier::new(reg, FixedClock(now)).unwrap()
}

async fn proof(v: &Verifier, doc: &Value) -> (CheckStatus, String, String) {
    let verdict = v.verify(doc, Checks::only(&[Check::Proof])).await;
    let r = verdict.report(Check::Proof).unwrap();
    if r.status != CheckStatus::CouldNotVerify {
        // Checked on the exact path, not handed to ssi.
        assert_eq!(
            verdict.proof_path(),
            Some(&ProofPath::Fast),
            "{}",
            r.message
        );
    }
    (r.status, r.code.to_owned(), r.message.clone())
}

#[tokio::test]
async fn ecdsa_rdfc_2019_p256_and_p384_verify_and_jcs_says_why_it_cannot() {
    let Some(dir) = vectors("vc-di-ecdsa") else {
        return;
    };
    let v = verifier(&dir);
    for (file, expected) in [
        ("ecdsa-rdfc-2019-p256/signedECDSAP256.json", "ok"),
        ("ecdsa-rdfc-2019-p256/employ/signedECDSAP256.json", "ok"),
        ("ecdsa-rdfc-2019-p384/signedECDSAP384.json", "ok"),
        ("ecdsa-rdfc-2019-p384/employ/signedECDSAP384.json", "ok"),
        (
            "ecdsa-jcs-2019-p256/signedJCSECDSAP256.json",
            "unsupported_cryptosuite",
        ),
    ] {
        let doc = read_json(&dir, &format!("{DIR}/{file}"));
        let (status, code, message) = proof(&v, &doc).await;
        assert_eq!(code, expected, "{file}: {message}");
        let mut tampered = doc.clone();
        tampered["validFrom"] = Value::from("2023-01-02T00:00:00Z");
        let (t_status, t_code, t_message) = proof(&v, &tampered).await;
        if expected == "ok" {
            assert_eq!(status, CheckStatus::Passed, "{file}");
            assert_eq!(
                (t_status, t_code.as_str()),
                (CheckStatus::Failed, "signature_mismatch"),
                "{file}: {t_message}"
            );
        } else {
            assert_eq!(status, CheckStatus::CouldNotVerify, "{file}: {message}");
            assert_eq!(t_status, CheckStatus::CouldNotVerify, "{file}: {t_message}");
        }
    }
}
