//! bbs-2023 on the sample vaccination credential
//! (`examples/records/primary-series-complete.json`, no `id` on any
//! object): base proof, derivation with the checkpoint profile, and
//! verification of the derived credential. `ssi` 0.16's figures for the
//! same three operations are in `../shared/docs/PERFORMANCE.md`
//! (13.7 / 19.4 / 15.6 ms). Run: `cargo bench -p ddcc-credential --bench bbs`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_assets::ContextRegistry;
use ddcc_credential::Issuer;
use ddcc_credential::bbs::{Bbs2023, BbsKeyPair, DeriveOptions, Labels, profile_pointers};
use ddcc_credential::sdjwt::builtin_profiles;
use ddcc_crypto::SecretKey;
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let suite = Bbs2023::new(ContextRegistry::builtin().unwrap()).unwrap();
    let key = BbsKeyPair::generate().unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap();
    let mut vc = Issuer::new(SecretKey::generate())
        .unwrap()
        .credential_from_record(&record, now)
        .unwrap();
    vc.as_object_mut().unwrap().remove("id");
    vc["issuer"] = key.did_key().into();
    let mandatory: Vec<String> = ["/issuer", "/type", "/validFrom", "/validUntil"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let signed = rt
        .block_on(suite.sign_base(
            &vc,
            &key,
            &mandatory,
            Some("2025-03-01T12:00:00Z"),
            Labels::Structural,
        ))
        .unwrap();
    let profiles = builtin_profiles();
    let checkpoint = profiles.iter().find(|p| p.name == "checkpoint").unwrap();
    let options = DeriveOptions {
        selective_pointers: profile_pointers(&signed, &checkpoint.reveal),
        presentation_header: vec![7; 32],
    };
    let derived = rt.block_on(suite.derive(&signed, &options)).unwrap();
    let pk = key.public_bytes();
    rt.block_on(suite.verify_derived(&derived, &pk)).unwrap();

    let mut g = c.benchmark_group("bbs-2023");
    g.bench_function("base sign", |b| {
        b.iter(|| {
            rt.block_on(suite.sign_base(
                &vc,
                &key,
                &mandatory,
                Some("2025-03-01T12:00:00Z"),
                Labels::Structural,
            ))
            .unwrap()
        })
    });
    // The RDF side of the base proof alone (skolemize, canonicalize,
    // shuffle labels, group), without BBS.
    let doc = vc.as_object().unwrap().clone();
    let mut config = serde_json::Map::new();
    config.insert("type".into(), "DataIntegrityProof".into());
    config.insert("cryptosuite".into(), "bbs-2023".into());
    config.insert(
        "verificationMethod".into(),
        key.verification_method().into(),
    );
    config.insert("proofPurpose".into(), "assertionMethod".into());
    g.bench_function("base transform (RDF only)", |b| {
        b.iter(|| {
            rt.block_on(suite.base_transform(&doc, &config, &mandatory, Some(&[7; 32])))
                .unwrap()
        })
    });
    g.bench_function("derive (checkpoint profile)", |b| {
        b.iter(|| rt.block_on(suite.derive(&signed, &options)).unwrap())
    });
    g.bench_function("verify derived", |b| {
        b.iter(|| rt.block_on(suite.verify_derived(&derived, &pk)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
