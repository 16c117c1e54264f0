//! The W3C CCG vaccination vocabulary's signed examples: legacy
//! `Ed25519Signature2018` proofs like DIVOC's, verified by the same code.
//! The plain example verifies. The EU example was signed before its
//! context was edited upstream: it fails with the context as published
//! now, and verifies with the context as it was when it was signed
//! (SOURCES.md: "a real-world example of context drift").
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use ddcc_assets::ContextRegistry;
use ddcc_divoc::{DivocError, KeySet, PublicKey};
use ddcc_test_support::{read, read_json, vectors};
use serde_json::Value;

const DIR: &str = "w3c-ccg-vaccination-vocab";
const EU: &str = "https://w3c-ccg.github.io/vaccination-vocab/context/v1/EU/unstable.json";
/// The examples' signing key (did:key, Ed25519).
const KEY: &str = "z6MkrtYMJe2ZesvsnoSr8K1yVerjo6EhC2G5jxBDKrD284L2";
/// 2025-01-01T00:00:00Z: inside the examples' validity (2021–2029).
const NOW: i64 = 1_735_689_600;

fn registry(dir: &Path, eu_context: &str) -> ContextRegistry {
    let mut r = ContextRegistry::builtin().unwrap();
    for (url, file) in [
        (
            "https://w3id.org/vaccination/v1",
            "contexts/vaccination-v1.jsonld",
        ),
        ("https://w3id.org/security/bbs/v1", "contexts/bbs-v1.jsonld"),
        (EU, eu_context),
    ] {
        if !r.contains(url) {
            r.pin(url, &read(dir, file), file).unwrap();
        }
    }
    r
}

fn keys() -> KeySet {
    let (_, bytes) = multibase::decode(KEY).unwrap();
    assert_eq!(&bytes[..2], &[0xed, 0x01], "an Ed25519 multikey");
    let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes[2..].try_into().unwrap()).unwrap();
    let mut k = KeySet::new();
    k.add(&format!("did:key:{KEY}#{KEY}"), PublicKey::Ed25519(key));
    k
}

async fn verify(doc: &Value, reg: &ContextRegistry) -> Result<ddcc_divoc::Verified, DivocError> {
    ddcc_divoc::verify(doc, &keys(), reg, NOW, 300).await
}

#[tokio::test]
async fn the_vaccination_vocab_example_verifies_and_tampering_does_not() {
    let Some(dir) = vectors("CCG vaccination vocabulary") else {
        return;
    };
    let reg = registry(
        &dir,
        &format!("{DIR}/contexts-unstable/vaccination-v1-EU-unstable.jsonld"),
    );
    let doc = read_json(
        &dir,
        &format!("{DIR}/examples/vaccination-certificate-signed-ed25519.jsonld"),
    );
    let v = verify(&doc, &reg).await.unwrap();
    assert_eq!(v.suite, "Ed25519Signature2018");
    assert_eq!(v.issuer, format!("did:key:{KEY}"));
    assert!(
        v.types.iter().any(|t| t == "VaccinationCertificate"),
        "{:?}",
        v.types
    );

    let mut tampered = doc.clone();
    tampered["credentialSubject"]["batchNumber"] = Value::from("1183738570");
    assert!(
        matches!(
            verify(&tampered, &reg).await,
            Err(DivocError::Signature { .. })
        ),
        "a changed batch number must break the signature"
    );
}

#[tokio::test]
async fn the_eu_example_shows_context_drift() {
    let Some(dir) = vectors("CCG vaccination vocabulary (EU)") else {
        return;
    };
    let doc = read_json(
        &dir,
        &format!("{DIR}/examples/eu-ehealth2fhir-vaccination-certificate-signed-ed25519.jsonld"),
    );
    let now = registry(
        &dir,
        &format!("{DIR}/contexts-unstable/vaccination-v1-EU-unstable.jsonld"),
    );
    assert!(
        matches!(verify(&doc, &now).await, Err(DivocError::Signature { .. })),
        "the context as published now must not verify the EU example"
    );
    let then = registry(
        &dir,
        &format!("{DIR}/contexts-unstable/vaccination-v1-EU-unstable.at-891e764.jsonld"),
    );
    let v = verify(&doc, &then).await.unwrap();
    assert_eq!(v.suite, "Ed25519Signature2018");
}
