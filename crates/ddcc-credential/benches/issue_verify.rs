//! Issue and verify of the sample vaccination credential
//! (`examples/records/primary-series-complete.json`), eddsa-rdfc-2022,
//! did:key issuer. Run: `cargo bench -p ddcc-credential --bench issue_verify`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Checks, FixedClock, Issuer, Verifier};
use ddcc_crypto::SecretKey;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap();
    let record: serde_json::Value = serde_json::from_str(RECORD).unwrap();
    let issuer = Issuer::new(SecretKey::from_seed(&[7u8; 32]).unwrap()).unwrap();
    let vc = rt.block_on(issuer.issue(&record, now)).unwrap();
    let text = serde_json::to_string(&vc).unwrap();
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now)).unwrap();
    assert!(
        rt.block_on(verifier.verify_str(&text, Checks::all()))
            .is_valid()
    );

    let mut g = c.benchmark_group("eddsa-rdfc-2022");
    g.bench_function("issue (record -> signed VC)", |b| {
        b.iter(|| rt.block_on(issuer.issue(&record, now)).unwrap())
    });
    g.bench_function("verify (JSON text, all checks)", |b| {
        b.iter(|| {
            let v = rt.block_on(verifier.verify_str(&text, Checks::all()));
            assert!(v.is_valid());
        })
    });
    g.bench_function("verify (JSON text, proof only)", |b| {
        b.iter(|| rt.block_on(verifier.verify_str(&text, Checks::parse("proof").unwrap())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
