//! Proof sets and proof chains (Data Integrity §4.5), judged by the W3C
//! vc-di-eddsa vectors (`proof-set-chain/`) and the W3C CCG data
//! integrity test suite's `previousProof` inputs: every proof must verify;
//! a proof naming `previousProof` signs the credential with `proof` set to
//! exactly the proofs it names, which must be in the set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, Verifier};
use ddcc_test_support::{read_json, vectors};
use serde_json::Value;

const SETS: &str = "w3c-vc-di-eddsa/proof-set-chain";
const CCG: &str = "w3c-ccg-data-integrity-test-suite-assertion/inputs/eddsa-rdfc-2022";
/// Where the CCG inputs' inline context is pinned for these tests.
const ALUMNI: &str = "https://ddcc.test/contexts/ccg-alumni";

fn verifier(reg: ContextRegistry) -> Verifier {
    let now = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Verifier::new(reg, FixedClock(now)).unwrap()
}

fn proof_report(v: &ddcc_credential::Verdict) -> (CheckStatus, String, String) {
    let r = v.report(Check::Proof).unwrap();
    (r.status, r.code.to_owned(), r.message.clone())
}

#[tokio::test]
async fn the_vc_di_eddsa_proof_sets_and_chains_verify() {
    let Some(dir) = vectors("proof sets and chains") else {
        return;
    };
    let v = verifier(ContextRegistry::builtin().unwrap());
    // The first holds one proof (the set's first), the others 2 to 4.
    for (file, proofs, chained) in [
        ("signedProofSet1.json", 1, 0),
        ("signedProofSet2.json", 2, 0),
        ("signedProofChain1.json", 3, 1),
        ("signedProofChain2.json", 4, 2),
    ] {
        let doc = read_json(&dir, &format!("{SETS}/{file}"));
        let verdict = v.verify(&doc, Checks::only(&[Check::Proof])).await;
        assert!(verdict.is_authentic(), "{file}: {}", verdict.to_text());
        let (_, _, message) = proof_report(&verdict);
        if proofs > 1 {
            assert_eq!(doc["proof"].as_array().unwrap().len(), proofs, "{file}");
            assert!(
                message.contains(&format!("all {proofs} proofs verify ({chained} chained")),
                "{file}: {message}"
            );
        }
        // The issuer is a URL, not a DID: the proofs verify, the binding
        // to the issuer does not.
        let verdict = v.verify(&doc, Checks::all()).await;
        assert_eq!(proof_report(&verdict).0, CheckStatus::Passed, "{file}");
        assert_eq!(
            verdict.report(Check::Issuer).unwrap().code,
            "issuer_not_did",
            "{file}"
        );
    }
}

/// An edit of a credential.
type Change = Box<dyn Fn(&mut Value)>;

/// Each way a chain can be broken is refused, by the proof concerned.
#[tokio::test]
async fn a_broken_set_or_chain_is_refused_by_the_proof_concerned() {
    let Some(dir) = vectors("broken proof chains") else {
        return;
    };
    let v = verifier(ContextRegistry::builtin().unwrap());
    let chain = read_json(&dir, &format!("{SETS}/signedProofChain2.json"));
    let check = |doc: Value| {
        let v = &v;
        async move { proof_report(&v.verify(&doc, Checks::only(&[Check::Proof])).await) }
    };

    // A set too large to be checked at a reasonable cost is not.
    let mut large = chain.clone();
    let first = large["proof"][0].clone();
    for _ in 0..13 {
        large["proof"].as_array_mut().unwrap().push(first.clone());
    }
    let (status, code, message) = check(large).await;
    assert_eq!(
        (status, code.as_str()),
        (CheckStatus::CouldNotVerify, "proof_set")
    );
    assert!(message.contains("17 proofs"), "{message}");

    // The order of a set does not matter (its proofs are graphs, not a list).
    let mut reordered = chain.clone();
    reordered["proof"].as_array_mut().unwrap().reverse();
    assert_eq!(check(reordered).await.0, CheckStatus::Passed);

    let cases: Vec<(&str, Change, CheckStatus, &str, &str)> = vec![
        (
            "a signature of the first proof altered",
            Box::new(|d| {
                let p = &mut d["proof"][0]["proofValue"];
                let s = p.as_str().unwrap().replacen('z', "z2", 1);
                *p = Value::from(&s[..s.len() - 1]);
            }),
            CheckStatus::Failed,
            "signature_mismatch",
            "proof 1 of 4",
        ),
        (
            "a previous proof taken out of the chain",
            Box::new(|d| {
                d["proof"].as_array_mut().unwrap().remove(2);
            }),
            CheckStatus::Failed,
            "missing_previous_proof",
            "proof 3 of 3",
        ),
        (
            "previousProof narrowed to one of the two it signed",
            Box::new(|d| {
                d["proof"][2]["previousProof"] =
                    Value::from("urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544");
            }),
            CheckStatus::Failed,
            "signature_mismatch",
            "proof 3 of 4",
        ),
        (
            "a previous proof it signed changed (its created time)",
            Box::new(|d| {
                d["proof"][1]["created"] = Value::from("2023-02-24T23:36:39Z");
            }),
            CheckStatus::Failed,
            "signature_mismatch",
            "proof 2 of 4",
        ),
        (
            "previousProof naming the proof itself",
            Box::new(|d| {
                d["proof"][2]["previousProof"] =
                    Value::from("urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23");
            }),
            CheckStatus::Failed,
            "missing_previous_proof",
            "proof 3 of 4",
        ),
        (
            "previousProof a number",
            Box::new(|d| {
                d["proof"][3]["previousProof"] = Value::from(7);
            }),
            CheckStatus::Failed,
            "malformed_proof",
            "proof 4 of 4",
        ),
        (
            "previousProof an empty list",
            Box::new(|d| {
                d["proof"][3]["previousProof"] = Value::Array(Vec::new());
            }),
            CheckStatus::Failed,
            "malformed_proof",
            "proof 4 of 4",
        ),
        (
            "two proofs with one id",
            Box::new(|d| {
                d["proof"][1]["id"] = d["proof"][0]["id"].clone();
            }),
            CheckStatus::Failed,
            "malformed_proof",
            "two proofs have the id",
        ),
        (
            "a proof that is not an object",
            Box::new(|d| {
                d["proof"][1] = Value::from("proof");
            }),
            CheckStatus::Failed,
            "malformed_proof",
            "proof 2 of 4 is not an object",
        ),
        (
            "the credential altered",
            Box::new(|d| {
                d["credentialSubject"]["alumniOf"] = Value::from("Another School");
            }),
            CheckStatus::Failed,
            "signature_mismatch",
            "proof 1 of 4",
        ),
    ];
    for (what, change, status, code, named) in cases {
        let mut doc = chain.clone();
        change(&mut doc);
        let (s, c, m) = check(doc).await;
        assert_eq!((s, c.as_str()), (status, code), "{what}: {m}");
        assert!(m.contains(named), "{what}: {m}");
    }
}

/// The CCG test suite's inputs carry an inline context, which this
/// verifier refuses (only pinned contexts are trusted). Pinned under a URL
/// of its own, the same context gives the same RDF, so the signatures are
/// those the suite made; the verdicts are then the suite's.
#[tokio::test]
async fn the_ccg_previous_proof_inputs_verify_or_fail_as_the_suite_expects() {
    let Some(dir) = vectors("CCG previousProof inputs") else {
        return;
    };
    let folder = dir.join(CCG);
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 12, "{files:?}");

    let inline = |doc: &Value| -> Value {
        doc["@context"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c.is_object())
            .cloned()
            .unwrap()
    };
    // Each distinct inline context, pinned under a URL of its own.
    let docs: Vec<Value> = files.iter().map(|f| read_json(&folder, f)).collect();
    let mut distinct: Vec<Value> = Vec::new();
    for d in &docs {
        let c = inline(d);
        if !distinct.contains(&c) {
            distinct.push(c);
        }
    }
    let mut reg = ContextRegistry::builtin().unwrap();
    for (i, c) in distinct.iter().enumerate() {
        reg.pin(
            &format!("{ALUMNI}/{i}"),
            &c.to_string(),
            "CCG test suite inline context",
        )
        .unwrap();
    }
    let v = verifier(reg);

    // As given, a chain that is whole cannot be checked: the inline
    // context is refused.
    let ok = files.iter().position(|f| f.contains("Ok-")).unwrap();
    let verdict = v.verify(&docs[ok], Checks::only(&[Check::Proof])).await;
    assert_eq!(
        proof_report(&verdict).0,
        CheckStatus::CouldNotVerify,
        "{}",
        verdict.to_text()
    );

    for (file, doc) in files.iter().zip(docs) {
        let mut doc = doc;
        let i = distinct.iter().position(|c| *c == inline(&doc)).unwrap();
        for c in doc["@context"].as_array_mut().unwrap() {
            if c.is_object() {
                *c = Value::from(format!("{ALUMNI}/{i}"));
            }
        }
        let verdict = v
            .verify(&doc, Checks::only(&[Check::Proof, Check::Issuer]))
            .await;
        let (status, code, message) = proof_report(&verdict);
        if file.contains("Ok-") {
            assert!(verdict.is_authentic(), "{file}: {}", verdict.to_text());
            // The issuer made the second proof, chained to the first; the
            // binding is found without the signatures being asked for too.
            assert_eq!(
                verdict.report(Check::Issuer).unwrap().status,
                CheckStatus::Passed,
                "{file}"
            );
            let issuer_only = v.verify(&doc, Checks::only(&[Check::Issuer])).await;
            assert!(
                issuer_only.is_authentic(),
                "{file}: {}",
                issuer_only.to_text()
            );
        } else {
            assert!(!verdict.is_authentic(), "{file}: {}", verdict.to_text());
            assert_eq!(status, CheckStatus::Failed, "{file}: {message}");
            let expected = if file.contains("NotString") {
                "malformed_proof"
            } else {
                "missing_previous_proof"
            };
            assert_eq!(code, expected, "{file}: {message}");
        }
    }
}
