//! The fast path inside the issuer and verifier: exact where ssi is not,
//! refusing what it does not implement, and the fallback giving the same
//! verdict as before for everything it refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{
    Check, CheckStatus, Checks, FixedClock, IssueError, Issuer, ProofPath, Verifier, canon,
};
use ddcc_crypto::SecretKey;
use serde_json::{Value, json};
use ssi::claims::SignatureEnvironment;
use ssi::claims::data_integrity::{
    AnySuite, CryptographicSuite, DataIntegrityDocument, ProofOptions,
};
use ssi::verification_methods::{ReferenceOrOwned, SingleSecretSigner};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap()
}

fn verifiers() -> (Verifier, Verifier) {
    let reg = ContextRegistry::builtin().unwrap();
    (
        Verifier::new(reg.clone(), FixedClock(now())).unwrap(),
        Verifier::new(reg, FixedClock(now()))
            .unwrap()
            .with_fast_path(false),
    )
}

/// Signs with ssi 0.16 directly (the general processor), for documents the
/// fast path refuses.
async fn ssi_sign(key: &SecretKey, doc: &Value) -> Value {
    use ssi::jwk::{Base64urlUInt, OctetParams, Params};
    let jwk = ssi::JWK::from(Params::OKP(OctetParams {
        curve: "Ed25519".into(),
        public_key: Base64urlUInt(key.public_key().to_bytes().to_vec()),
        private_key: Some(Base64urlUInt(key.dangerous_seed().to_vec())),
    }));
    let did = ddcc_did::did_key_for(&key.public_key());
    let method =
        ssi::dids::DIDURLBuf::from_string(format!("{did}#{}", did.method_specific_id())).unwrap();
    let reg = ContextRegistry::builtin().unwrap();
    let map: HashMap<String, String> = reg
        .iter()
        .map(|e| (e.url.clone(), e.text.to_string()))
        .collect();
    let loader = ssi::json_ld::ContextLoader::empty()
        .with_context_map_from(map)
        .unwrap();
    let unsecured: DataIntegrityDocument = serde_json::from_value(doc.clone()).unwrap();
    let mut options = ProofOptions::from_method(ReferenceOrOwned::Reference(method.into_iri()));
    options.created = Some("2025-03-01T00:00:00Z".parse().unwrap());
    let env = SignatureEnvironment {
        json_ld_loader: &loader,
        eip712_loader: (),
    };
    let resolver = ssi::dids::VerificationMethodDIDResolver::<
        _,
        ssi::verification_methods::AnyMethod,
    >::new(ssi::dids::DIDKey);
    let signed = AnySuite::EdDsaRdfc2022
        .sign_with(
            &env,
            unsecured,
            resolver,
            SingleSecretSigner::new(jwk).into_local(),
            options,
            Default::default(),
        )
        .await
        .unwrap();
    let proof = serde_json::to_value(&signed.proofs[0]).unwrap();
    let mut out = doc.clone();
    out["proof"] = proof;
    out
}

#[tokio::test]
async fn issued_credentials_take_the_fast_path_and_ssi_agrees() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let vc = issuer.issue(&record, now()).await.unwrap();
    let (fast, slow) = verifiers();
    let v = fast.verify(&vc, Checks::all()).await;
    assert!(v.is_authentic(), "{}", v.to_text());
    assert_eq!(v.proof_path(), Some(&ProofPath::Fast));
    assert_eq!(v.to_json()["proof_path"], "fast");
    let v = slow.verify(&vc, Checks::all()).await;
    assert!(
        v.is_authentic(),
        "ssi verifies the fast path's proof: {}",
        v.to_text()
    );
    assert!(matches!(
        v.proof_path(),
        Some(ProofPath::Fallback {
            code: "disabled",
            ..
        })
    ));
    assert_eq!(fast.proof_path_stats().fast, 1);
    assert_eq!(slow.proof_path_stats().fallback, 1);
}

/// FASTPATH.md §5: ssi 0.16 does not collapse the duplicate quad before
/// hashing blank nodes, so it labels them differently from RDFC-1.0 (and
/// jsonld.js). The fast path follows the standard: its canonical form equals
/// jsonld.js's, committed in ddcc-ld's fixtures. This is why issuing never
/// falls back to ssi.
#[tokio::test]
async fn duplicate_array_values_on_a_blank_node_are_canonicalised_correctly() {
    let doc: Value = serde_json::from_str(include_str!(
        "../../ddcc-ld/tests/fixtures/cases/duplicate-values-blank-node.json"
    ))
    .unwrap();
    let jsonld_js =
        include_str!("../../ddcc-ld/tests/fixtures/cases/duplicate-values-blank-node.nq");
    assert_eq!(
        doc["credentialSubject"]["vaccination"]["country"],
        json!(["DEU", "FRA", "DEU"])
    );
    // The document as committed (issuer did:example:issuer0): its canonical
    // form is fixed, so the comparison with ssi is deterministic. (Whether
    // ssi's mislabelling shows depends on the hashes, so on every IRI.)
    let reg = ContextRegistry::builtin().unwrap();
    let ld = ddcc_ld::Processor::new(reg.iter().map(|e| (e.url.as_str(), &*e.text))).unwrap();
    let ours = ld.to_dataset(&doc).unwrap().canonicalize().unwrap();
    assert_eq!(ours.as_str(), jsonld_js);
    // canon takes ssi's RDF and canonicalizes it with ddcc-ld's RDFC-1.0:
    // the correct form (ssi's own URDNA2015 is on no path but the
    // fallback's signature check, below).
    let canon_form = canon::canonical_document(&doc, &reg)
        .await
        .unwrap()
        .concat();
    assert_eq!(canon_form, jsonld_js);

    let issuer = Issuer::new(SecretKey::from_seed(&[42u8; 32]).unwrap()).unwrap();
    let vc = issuer.sign_document(doc, now()).await.unwrap();
    let (fast, slow) = verifiers();
    let v = fast.verify(&vc, Checks::only(&[Check::Proof])).await;
    assert!(v.is_authentic(), "{}", v.to_text());
    assert_eq!(v.proof_path(), Some(&ProofPath::Fast));
    // ssi, hashing a different canonical form, rejects the correct proof.
    let v = slow.verify(&vc, Checks::only(&[Check::Proof])).await;
    assert_eq!(v.report(Check::Proof).unwrap().status, CheckStatus::Failed);
}

#[tokio::test]
async fn refused_inputs_are_errors_when_issuing() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let mut vc = issuer.credential_from_record(&record, now()).unwrap();
    vc["credentialSubject"]["favouriteColour"] = Value::from("blue");
    match issuer.sign_document(vc, now()).await {
        Err(IssueError::Unsupported(ddcc_ld::Unsupported::UndefinedTerm(t))) => {
            assert_eq!(t, "favouriteColour")
        }
        other => panic!("{other:?}"),
    }
}

/// Documents the fast path refuses but ssi signs: the fast verifier falls
/// back and reaches the same verdict as a verifier without the fast path.
#[tokio::test]
async fn fallback_gives_the_same_verdict_as_before() {
    let key = SecretKey::generate();
    let issuer = Issuer::new(SecretKey::from_seed(&key.dangerous_seed()[..]).unwrap()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let base = issuer.credential_from_record(&record, now()).unwrap();
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "control_character",
            Box::new(|d: &mut Value| d["credentialSubject"]["name"] = "Jane\tSue".into()),
        ),
        (
            "unsupported_number",
            Box::new(|d: &mut Value| {
                d["credentialSubject"]["vaccination"]["dose"] = serde_json::from_str("2.5").unwrap()
            }),
        ),
        (
            "keyword_in_data",
            Box::new(|d: &mut Value| {
                d["credentialSubject"]["name"] =
                    json!({"@value": "Jane", "@type": "http://www.w3.org/2001/XMLSchema#string"})
            }),
        ),
        (
            "unsupported_term",
            Box::new(|d: &mut Value| {
                d["credentialSchema"]["jsonSchema"] = json!({"type": "object"});
            }),
        ),
    ];
    let (fast, slow) = verifiers();
    for (code, mutate) in cases {
        let mut doc = base.clone();
        mutate(&mut doc);
        let signed = ssi_sign(&key, &doc).await;
        let checks = Checks::only(&[Check::Proof, Check::Issuer, Check::Validity]);
        let a = fast.verify(&signed, checks).await;
        let b = slow.verify(&signed, checks).await;
        assert_eq!(
            a.exit_code(),
            b.exit_code(),
            "{code}: {}\n{}",
            a.to_text(),
            b.to_text()
        );
        assert!(a.is_authentic(), "{code}: {}", a.to_text());
        match a.proof_path() {
            Some(ProofPath::Fallback { code: c, .. }) => assert_eq!(*c, code),
            other => panic!("{code}: {other:?}"),
        }
        // Tampered, both reject.
        let mut t = signed.clone();
        t["validFrom"] = "2025-01-02T00:00:00Z".into();
        assert_eq!(fast.verify(&t, checks).await.exit_code(), 1, "{code}");
        assert_eq!(slow.verify(&t, checks).await.exit_code(), 1, "{code}");
    }
    // A language-tagged name, signed by ssi: the exact path takes it now,
    // with the same verdict.
    let mut doc = base.clone();
    doc["credentialSubject"]["name"] = json!({"@value": "Jane", "@language": "en"});
    let signed = ssi_sign(&key, &doc).await;
    let checks = Checks::only(&[Check::Proof, Check::Issuer, Check::Validity]);
    let a = fast.verify(&signed, checks).await;
    assert!(a.is_authentic(), "{}", a.to_text());
    assert_eq!(a.proof_path(), Some(&ProofPath::Fast));
    assert!(slow.verify(&signed, checks).await.is_authentic());
    // An embedded context is refused by the contexts check on both paths.
    let mut doc = base.clone();
    doc["credentialSubject"]["@context"] = json!({"nickname": "https://example.org/nickname"});
    doc["credentialSubject"]["nickname"] = "JJ".into();
    let signed = ssi_sign(&key, &doc).await;
    let checks = Checks::only(&[
        Check::Contexts,
        Check::Proof,
        Check::Issuer,
        Check::Validity,
    ]);
    let a = fast.verify(&signed, checks).await;
    let b = slow.verify(&signed, checks).await;
    assert_eq!(a.exit_code(), 2, "{}", a.to_text());
    assert_eq!(b.exit_code(), 2);
    assert_eq!(a.report(Check::Contexts).unwrap().code, "inline_context");

    let stats = fast.proof_path_stats();
    assert_eq!(stats.fast, 1, "only the language-tagged name");
    assert!(stats.fallback >= 8);
    assert!(
        stats
            .fallback_reasons
            .iter()
            .any(|(c, _)| c == "control_character")
    );
}

#[tokio::test]
async fn duplicate_keys_fall_back_and_match_ssi() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let vc = issuer.issue(&record, now()).await.unwrap();
    let text = serde_json::to_string(&vc).unwrap();
    // The same key twice: serde_json keeps the last (the signed value).
    let dup = text.replacen(
        "\"lot\":\"PT123F\"",
        "\"lot\":\"FORGED\",\"lot\":\"PT123F\"",
        1,
    );
    assert_ne!(dup, text);
    let (fast, slow) = verifiers();
    let a = fast.verify_str(&dup, Checks::all()).await;
    let b = slow.verify_str(&dup, Checks::all()).await;
    assert_eq!(a.exit_code(), b.exit_code());
    assert!(matches!(
        a.proof_path(),
        Some(ProofPath::Fallback {
            code: "duplicate_key",
            ..
        })
    ));
}

/// Found by the property test: ssi 0.16 also mislabels blank nodes when
/// structurally identical objects sit in different subtrees (here the same
/// SNOMED equivalent under `vaccine` and `brand`), the RDFC-1.0 N-degree
/// path. jsonld.js (the committed fixture), pyld, the fast path and
/// `canon` agree.
#[tokio::test]
async fn identical_objects_in_two_subtrees_follow_rdfc_not_ssi() {
    let doc: Value = serde_json::from_str(include_str!(
        "../../ddcc-ld/tests/fixtures/cases/identical-codings-in-two-subtrees.json"
    ))
    .unwrap();
    let jsonld_js =
        include_str!("../../ddcc-ld/tests/fixtures/cases/identical-codings-in-two-subtrees.nq");
    let reg = ContextRegistry::builtin().unwrap();
    let ld = ddcc_ld::Processor::new(reg.iter().map(|e| (e.url.as_str(), &*e.text))).unwrap();
    assert_eq!(
        ld.to_dataset(&doc)
            .unwrap()
            .canonicalize()
            .unwrap()
            .as_str(),
        jsonld_js
    );
    // canon (ssi's RDF, ddcc-ld's RDFC-1.0) agrees too, where ssi's own
    // URDNA2015 mislabels the blank nodes.
    let canon_form = canon::canonical_document(&doc, &reg)
        .await
        .unwrap()
        .concat();
    assert_eq!(canon_form, jsonld_js);
}
