//! The Bitstring Status List Recommendation's four signed examples
//! (eddsa-rdfc-2022 and ecdsa-rdfc-2019, a revocable credential and its
//! list): their proofs verify; their issuer (`did:example:12345`) is not
//! the signing did:key, so the issuer binding fails, as it must.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_credential::{Check, CheckStatus, Checks, Verifier};

#[tokio::test]
async fn signed_examples_verify_and_their_issuer_binding_is_refused() {
    let Some(dir) = ddcc_test_support::vectors("Bitstring Status List signed examples") else {
        return;
    };
    let verifier = Verifier::builtin().unwrap();
    for file in [
        "ex04-revocable-credential.eddsa-rdfc-2022.json",
        "ex04-revocable-credential.ecdsa-rdfc-2019.json",
        "ex05-status-list-credential.eddsa-rdfc-2022.json",
        "ex05-status-list-credential.ecdsa-rdfc-2019.json",
    ] {
        let doc = ddcc_test_support::read_json(
            &dir,
            &format!("w3c-bitstring-status-list/rec-2025-examples/{file}"),
        );
        let v = verifier.verify(&doc, Checks::all()).await;
        let proof = v.report(Check::Proof).unwrap();
        assert_eq!(proof.status, CheckStatus::Passed, "{file}: {}", v.to_text());
        let issuer = v.report(Check::Issuer).unwrap();
        assert_eq!(issuer.status, CheckStatus::Failed, "{file}");
        assert_eq!(issuer.code, "method_not_controlled_by_issuer", "{file}");
        // The same document with its proof altered fails the proof check.
        let mut t = doc.clone();
        t["validFrom"] = "2021-04-05T14:27:43Z".into();
        let w = verifier.verify(&t, Checks::only(&[Check::Proof])).await;
        assert_eq!(
            w.report(Check::Proof).unwrap().status,
            CheckStatus::Failed,
            "{file}"
        );
    }
}
