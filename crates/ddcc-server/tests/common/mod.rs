//! A trust configuration for a test service: its data folder holds issuer
//! keys made here, and a trust list signed by a test anchor accredits both
//! of its issuers (eddsa and bbs-2023), so its checkpoint trusts them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use ddcc::credential::Issuer;
use ddcc::credential::bbs::BbsKeyPair;
use ddcc::credential::trust::{TrustEntry, TrustList};
use ddcc::keys::{SecretKey, read_secret_key_file, write_secret_key_file};
use ddcc::model::Did;

/// Makes `dir/data` with the service's two issuer keys, a trust list
/// accrediting them (`dir/trust-list.json`, signed by a new anchor whose
/// key is `dir/anchor.key`) and a trust configuration naming it, read
/// again every second (`dir/trust.toml`, returned).
pub(crate) async fn trusted_service_dir(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_secret_key_file(&data.join("issuer.key"), &SecretKey::generate()).unwrap();
    let issuer = Issuer::new(read_secret_key_file(&data.join("issuer.key")).unwrap()).unwrap();
    let bbs = BbsKeyPair::generate().unwrap();
    bbs.write_file(&data.join("bbs-issuer.key")).unwrap();
    write_secret_key_file(&dir.join("anchor.key"), &SecretKey::generate()).unwrap();
    let anchor = Issuer::new(read_secret_key_file(&dir.join("anchor.key")).unwrap()).unwrap();
    let entry = |did: Did| TrustEntry {
        issuer: did,
        credential_types: Vec::new(),
        jurisdictions: Vec::new(),
        until: None,
    };
    let list = TrustList {
        name: "Test accredited issuers".into(),
        anchor: anchor.did().clone(),
        valid_until: None,
        entries: vec![
            entry(issuer.did().clone()),
            entry(Did::parse(&bbs.did_key()).unwrap()),
        ],
    };
    let signed = list.sign(&anchor, chrono::Utc::now()).await.unwrap();
    std::fs::write(dir.join("trust-list.json"), signed.to_string()).unwrap();
    let config = dir.join("trust.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_seconds = 1\n[[ddcc_list]]\nfile = \"trust-list.json\"\nanchors = [\"{}\"]\n",
            anchor.did()
        ),
    )
    .unwrap();
    config
}
