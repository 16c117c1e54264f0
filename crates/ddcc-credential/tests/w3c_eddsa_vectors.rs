//! W3C vc-di-eddsa test vectors (eddsa-rdfc-2022): every intermediate, the
//! signed output byte for byte, and verification with and without the
//! issuer-binding check.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use chrono::{DateTime, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::canon;
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, Issuer, Outcome, Verifier};
use ddcc_crypto::SecretKey;
use ddcc_test_support::{read, read_json, vectors};
use serde_json::Value;

const DIR: &str = "w3c-vc-di-eddsa";

fn key(dir: &Path) -> SecretKey {
    let pair = read_json(dir, &format!("{DIR}/keyPair.json"));
    let sk = SecretKey::from_multibase(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(sk.public_key().to_multibase(), pair["publicKeyMultibase"]);
    sk
}

fn created(proof_config: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(proof_config["created"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn registry_with_citizenship(dir: &Path) -> ContextRegistry {
    let mut reg = ContextRegistry::builtin().unwrap();
    reg.pin(
        "https://w3id.org/citizenship/v4rc1",
        &read(dir, "contexts/citizenship-v4rc1.jsonld"),
        "vectors",
    )
    .unwrap();
    reg
}

fn verifier(reg: ContextRegistry) -> Verifier {
    let now = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Verifier::new(reg, FixedClock(now)).unwrap()
}

/// Runs the intermediate checks for one vector folder.
async fn intermediates(dir: &Path, reg: &ContextRegistry, unsigned: &str, sub: &str, suffix: &str) {
    let doc = read_json(dir, unsigned);
    let canon_doc = canon::canonical_document(&doc, reg).await.unwrap().concat();
    assert_eq!(
        canon_doc,
        read(dir, &format!("{sub}/canonDoc{suffix}.txt")),
        "canonical document"
    );
    let doc_hash = canon::hash_lines(&[canon_doc]);
    assert_eq!(
        hex::encode(doc_hash),
        read(dir, &format!("{sub}/docHash{suffix}.txt")).trim()
    );

    let config = read_json(dir, &format!("{sub}/proofConfig{suffix}.json"));
    let canon_proof = canon::canonical_proof_configuration(&config, reg)
        .await
        .unwrap()
        .concat();
    assert_eq!(
        canon_proof,
        read(dir, &format!("{sub}/proofCanon{suffix}.txt")),
        "canonical proof config"
    );
    let proof_hash = canon::hash_lines(&[canon_proof]);
    assert_eq!(
        hex::encode(proof_hash),
        read(dir, &format!("{sub}/proofHash{suffix}.txt")).trim()
    );

    let combined = canon::combined_hash(&proof_hash, &doc_hash);
    assert_eq!(
        hex::encode(combined),
        read(dir, &format!("{sub}/combinedHash{suffix}.txt")).trim()
    );
    let sig = key(dir).sign(&combined);
    assert_eq!(
        hex::encode(sig),
        read(dir, &format!("{sub}/sigHex{suffix}.txt")).trim()
    );
}

#[tokio::test]
async fn rdfc_2022_reproduces_every_intermediate_and_the_signed_credential() {
    let Some(dir) = vectors("eddsa-rdfc-2022 vectors") else {
        return;
    };
    let reg = ContextRegistry::builtin().unwrap();
    intermediates(
        &dir,
        &reg,
        &format!("{DIR}/unsigned.json"),
        &format!("{DIR}/eddsa-rdfc-2022"),
        "DataInt",
    )
    .await;

    // Our proof configuration for the vector equals theirs.
    let unsigned = read_json(&dir, &format!("{DIR}/unsigned.json"));
    let config = read_json(
        &dir,
        &format!("{DIR}/eddsa-rdfc-2022/proofConfigDataInt.json"),
    );
    let expected = read(&dir, &format!("{DIR}/eddsa-rdfc-2022/signedDataInt.json"));
    let expected_json: Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(
        canon::proof_configuration(&unsigned, &expected_json["proof"]),
        config
    );

    // Byte for byte: the issuer's output, pretty-printed as the vector is.
    let issuer = Issuer::new(key(&dir)).unwrap();
    let signed = issuer
        .sign_document(unsigned, created(&config))
        .await
        .unwrap();
    assert_eq!(serde_json::to_string_pretty(&signed).unwrap(), expected);
}

#[tokio::test]
async fn rdfc_2022_employ_vector_intermediates() {
    let Some(dir) = vectors("eddsa-rdfc-2022 employ vectors") else {
        return;
    };
    let reg = registry_with_citizenship(&dir);
    intermediates(
        &dir,
        &reg,
        &format!("{DIR}/employmentAuth.json"),
        &format!("{DIR}/eddsa-rdfc-2022/employ"),
        "DataInt",
    )
    .await;
    let unsigned = read_json(&dir, &format!("{DIR}/employmentAuth.json"));
    let config = read_json(
        &dir,
        &format!("{DIR}/eddsa-rdfc-2022/employ/proofConfigDataInt.json"),
    );
    let expected = read(
        &dir,
        &format!("{DIR}/eddsa-rdfc-2022/employ/signedDataInt.json"),
    );
    let issuer = Issuer::with_contexts(key(&dir), reg).unwrap();
    let signed = issuer
        .sign_document(unsigned, created(&config))
        .await
        .unwrap();
    let expected: Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(
        signed["proof"]["proofValue"],
        expected["proof"]["proofValue"]
    );
}

#[tokio::test]
async fn proof_only_accepts_vectors_and_full_checks_name_issuer_binding() {
    let Some(dir) = vectors("eddsa-rdfc-2022 verification") else {
        return;
    };
    for (file, reg) in [
        (
            format!("{DIR}/eddsa-rdfc-2022/signedDataInt.json"),
            ContextRegistry::builtin().unwrap(),
        ),
        (
            format!("{DIR}/eddsa-rdfc-2022/employ/signedDataInt.json"),
            registry_with_citizenship(&dir),
        ),
    ] {
        let v = verifier(reg);
        let text = read(&dir, &file);
        let verdict = v.verify_str(&text, Checks::only(&[Check::Proof])).await;
        assert!(verdict.is_authentic(), "{file}: {}", verdict.to_text());

        let verdict = v.verify_str(&text, Checks::all()).await;
        match verdict.outcome() {
            Outcome::Invalid(r) => {
                assert_eq!(r.check, Check::Issuer, "{file}: {}", verdict.to_text())
            }
            other => panic!("{file}: expected invalid, got {other:?}"),
        }
        assert_eq!(
            verdict.report(Check::Proof).unwrap().status,
            CheckStatus::Passed
        );
        assert_eq!(verdict.exit_code(), 1);

        // Tampered: one value changed.
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        doc["validFrom"] = Value::from("2023-01-02T00:00:00Z");
        for checks in [Checks::only(&[Check::Proof]), Checks::all()] {
            let verdict = v.verify(&doc, checks).await;
            assert_eq!(verdict.exit_code(), 1, "{file}");
            assert_eq!(
                verdict.report(Check::Proof).unwrap().status,
                CheckStatus::Failed
            );
        }
    }
}

#[tokio::test]
async fn employ_vector_verifies_with_the_common_contexts_and_not_without_its_own() {
    let Some(dir) = vectors("employ without context") else {
        return;
    };
    let v = verifier(ContextRegistry::builtin().unwrap());
    let text = read(
        &dir,
        &format!("{DIR}/eddsa-rdfc-2022/employ/signedDataInt.json"),
    );
    // citizenship v4rc1 is among the common contexts pinned.
    let verdict = v.verify_str(&text, Checks::only(&[Check::Proof])).await;
    assert!(verdict.is_authentic(), "{}", verdict.to_text());
    // Naming a context nobody pinned: could not verify, naming it.
    let text = text.replace(
        "https://w3id.org/citizenship/v4rc1",
        "https://w3id.org/citizenship/v9",
    );
    let verdict = v.verify_str(&text, Checks::only(&[Check::Proof])).await;
    match verdict.outcome() {
        Outcome::CouldNotVerify(r) => {
            assert!(r.message.contains("citizenship/v9"), "{}", r.message);
        }
        other => panic!("expected could-not-verify, got {other:?}"),
    }
}

/// eddsa-jcs-2022: the JCS forms, hashes and signature byte for byte, the
/// signed vector verified, and a round trip.
#[tokio::test]
async fn eddsa_jcs_2022_vectors() {
    use ddcc_credential::jcs;
    use sha2::Digest as _;
    let Some(dir) = vectors("eddsa-jcs-2022 vectors") else {
        return;
    };
    let sub = format!("{DIR}/eddsa-jcs-2022");
    let doc = read_json(&dir, &format!("{DIR}/unsigned.json"));
    let canon_doc = jcs::canonicalize(&doc).unwrap();
    assert_eq!(
        canon_doc,
        read(&dir, &format!("{sub}/canonDocJCS.txt")).trim_end()
    );
    let doc_hash = sha2::Sha256::digest(canon_doc.as_bytes());
    assert_eq!(
        hex::encode(doc_hash),
        read(&dir, &format!("{sub}/docHashJCS.txt")).trim()
    );
    let config = read_json(&dir, &format!("{sub}/proofConfigJCS.json"));
    let canon_proof = jcs::canonicalize(&config).unwrap();
    assert_eq!(
        canon_proof,
        read(&dir, &format!("{sub}/proofCanonJCS.txt")).trim_end()
    );
    let proof_hash = sha2::Sha256::digest(canon_proof.as_bytes());
    assert_eq!(
        hex::encode(proof_hash),
        read(&dir, &format!("{sub}/proofHashJCS.txt")).trim()
    );
    assert_eq!(
        format!("{}{}", hex::encode(proof_hash), hex::encode(doc_hash)),
        read(&dir, &format!("{sub}/combinedHashJCS.txt")).trim()
    );

    // Signed by the vector's key at its time: the same signature (Ed25519
    // is deterministic), so the same signed credential.
    let issuer = Issuer::new(key(&dir)).unwrap();
    let signed = issuer
        .sign_document_jcs(doc.clone(), created(&config))
        .await
        .unwrap();
    let expected = read_json(&dir, &format!("{sub}/signedJCS.json"));
    assert_eq!(
        signed["proof"]["proofValue"],
        expected["proof"]["proofValue"]
    );
    assert_eq!(
        signed["proof"]["proofValue"].as_str().unwrap(),
        read(&dir, &format!("{sub}/sigBTC58JCS.txt")).trim()
    );
    assert_eq!(signed, expected);

    // The vector verifies (its issuer is a URL, not the key's DID: the
    // proof check alone), and so does a credential of ours.
    let v = verifier(ContextRegistry::builtin().unwrap());
    let verdict = v.verify(&expected, Checks::only(&[Check::Proof])).await;
    assert!(verdict.is_authentic(), "{}", verdict.to_text());
    let mut ours = doc.clone();
    ours["issuer"] = issuer.did().as_str().into();
    let ours = issuer
        .sign_document_jcs(ours, created(&config))
        .await
        .unwrap();
    let verdict = v
        .verify(
            &ours,
            Checks::only(&[Check::Contexts, Check::Proof, Check::Issuer]),
        )
        .await;
    assert!(
        verdict.is_valid() || verdict.is_authentic(),
        "{}",
        verdict.to_text()
    );

    // Tampered document, proof @context that is not the document's, a
    // signature by another key: each refused, named.
    let mut t = expected.clone();
    t["credentialSubject"]["alumniOf"] = "Another School".into();
    let mut c = expected.clone();
    c["proof"]["@context"] = serde_json::json!(["https://www.w3.org/ns/credentials/v2"]);
    let other = Issuer::new(SecretKey::generate()).unwrap();
    let mut k = other
        .sign_document_jcs(doc.clone(), created(&config))
        .await
        .unwrap();
    k["proof"]["verificationMethod"] = expected["proof"]["verificationMethod"].clone();
    for (name, bad) in [("tampered", t), ("proof context", c), ("other key", k)] {
        let verdict = v.verify(&bad, Checks::only(&[Check::Proof])).await;
        let r = verdict.report(Check::Proof).unwrap();
        assert_eq!(
            (r.status, r.code),
            (CheckStatus::Failed, "signature_mismatch"),
            "{name}"
        );
    }
}
