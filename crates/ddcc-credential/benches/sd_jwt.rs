//! SD-JWT VC of the sample credential: issue, present (checkpoint profile +
//! KB-JWT) and verify with key binding. Run:
//! `cargo bench -p ddcc-credential --bench sd_jwt`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_credential::Issuer;
use ddcc_credential::sdjwt::{builtin_profiles, verify_sd_jwt_vc};
use ddcc_crypto::SecretKey;
use ddcc_sd::{OsSalts, VerifyOptions, present};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap();
    let record: serde_json::Value = serde_json::from_str(RECORD).unwrap();
    let issuer = Issuer::new(SecretKey::from_seed(&[7u8; 32]).unwrap()).unwrap();
    let holder = SecretKey::from_seed(&[9u8; 32]).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)
        .unwrap();
    let profiles = builtin_profiles();
    let reveal = profiles
        .iter()
        .find(|p| p.name == "checkpoint")
        .unwrap()
        .reveal
        .clone();
    let aud = "https://checkpoint.example";
    let presentation = present(&sd, &reveal, Some((&holder, aud, "n-1", now.timestamp()))).unwrap();
    let mut options = VerifyOptions::at(now.timestamp());
    options.audience = Some(aud.into());
    options.nonce = Some("n-1".into());
    options.require_key_binding = true;
    assert!(verify_sd_jwt_vc(&presentation, &options).unwrap().key_bound);

    let mut g = c.benchmark_group("sd-jwt-vc");
    g.bench_function(
        "issue (record -> SD-JWT VC, 19 disclosures + decoys)",
        |b| {
            b.iter(|| {
                issuer
                    .issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)
                    .unwrap()
            })
        },
    );
    g.bench_function("present (checkpoint profile + KB-JWT)", |b| {
        b.iter(|| present(&sd, &reveal, Some((&holder, aud, "n-1", now.timestamp()))).unwrap())
    });
    g.bench_function("verify (checkpoint presentation, with KB-JWT)", |b| {
        b.iter(|| verify_sd_jwt_vc(&presentation, &options).unwrap())
    });
    let bare = present(&sd, &reveal, None).unwrap();
    let mut no_kb = VerifyOptions::at(now.timestamp());
    no_kb.require_key_binding = false;
    g.bench_function("verify (checkpoint presentation, no KB-JWT)", |b| {
        b.iter(|| verify_sd_jwt_vc(&bare, &no_kb).unwrap())
    });
    let issuer_key = ddcc_sd::PublicJwk::Ed25519(ddcc_did::ed25519_key_of(issuer.did()).unwrap());
    let jwt = presentation.split('~').next().unwrap().to_owned();
    g.bench_function("issuer JWS signature only", |b| {
        b.iter(|| {
            ddcc_sd::verify_jws(&jwt, &issuer_key, ddcc_sd::SdError::IssuerSignature).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
