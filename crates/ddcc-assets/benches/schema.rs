//! Schema validation of the sample subject. Run: `cargo bench -p ddcc-assets --bench schema`.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn bench(c: &mut Criterion) {
    let record: serde_json::Value = serde_json::from_str(RECORD).unwrap();
    let subject = record["subject"].clone();
    ddcc_assets::validate_subject(&subject).unwrap();
    c.bench_function("validate_subject", |b| {
        b.iter(|| ddcc_assets::validate_subject(&subject).unwrap())
    });
    c.bench_function("validate_record", |b| {
        b.iter(|| ddcc_assets::validate_record(&record).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
