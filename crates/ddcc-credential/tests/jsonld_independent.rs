//! Our context and credentials are standard JSON-LD: an independent processor
//! (pyld, a port of jsonld.js), given only the files in `contexts/`, expands
//! every credential without dropping a term and canonicalises it to exactly
//! the N-Quads we sign.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Issuer, canon};
use ddcc_crypto::SecretKey;
use serde_json::Value;

const RECORDS: [&str; 3] = [
    include_str!("../../../examples/records/primary-series-complete.json"),
    include_str!("../../../examples/records/booster.json"),
    include_str!("../../../examples/records/partial-birth-date.json"),
];

#[tokio::test]
async fn pyld_agrees_on_every_sample_credential() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let reg = ContextRegistry::builtin().unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap();
    for record in RECORDS {
        let record: Value = serde_json::from_str(record).unwrap();
        let vc = issuer.issue(&record, now).await.unwrap();
        let ours = canon::canonical_document(&vc, &reg).await.unwrap().concat();
        let Some(theirs) = ddcc_test_support::pyld_canonical("pyld cross-check", &vc, &[]) else {
            return;
        };
        assert_eq!(ours, theirs);
        // The proof configuration too.
        let config = canon::proof_configuration(&vc, &vc["proof"]);
        let ours = canon::canonical_proof_configuration(&config, &reg)
            .await
            .unwrap()
            .concat();
        let theirs = ddcc_test_support::pyld_canonical("pyld cross-check", &config, &[]).unwrap();
        assert_eq!(ours, theirs);
    }
}

#[tokio::test]
async fn pyld_agrees_on_the_w3c_vector() {
    let Some(dir) = ddcc_test_support::vectors("pyld on W3C vector") else {
        return;
    };
    let reg = ContextRegistry::builtin().unwrap();
    let doc = ddcc_test_support::read_json(&dir, "w3c-vc-di-eddsa/unsigned.json");
    let ours = canon::canonical_document(&doc, &reg)
        .await
        .unwrap()
        .concat();
    let Some(theirs) = ddcc_test_support::pyld_canonical("pyld on W3C vector", &doc, &[]) else {
        return;
    };
    assert_eq!(ours, theirs);
}
