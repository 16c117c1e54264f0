//! The fast path's stages on the DDCC sample credential.
//! Run: `cargo bench -p ddcc-ld --bench convert`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_assets::ContextRegistry;
use ddcc_ld::Processor;
use serde_json::Value;

const CREDENTIAL: &str = include_str!("../tests/fixtures/ddcc-sample-credential.json");

fn bench(c: &mut Criterion) {
    let reg = ContextRegistry::builtin().unwrap();
    let p = Processor::new(reg.iter().map(|e| (e.url.as_str(), &*e.text))).unwrap();
    let mut doc: Value = serde_json::from_str(CREDENTIAL).unwrap();
    doc.as_object_mut().unwrap().remove("proof");
    let ds = p.to_dataset(&doc).unwrap();
    let mut g = c.benchmark_group("ddcc-ld");
    g.bench_function("parse JSON text", |b| {
        b.iter(|| serde_json::from_str::<Value>(CREDENTIAL).unwrap())
    });
    g.bench_function("to_dataset", |b| b.iter(|| p.to_dataset(&doc).unwrap()));
    g.bench_function("canonicalize", |b| b.iter(|| ds.canonicalize().unwrap()));
    g.bench_function("canonicalize + sha256", |b| {
        b.iter(|| ds.canonicalize().unwrap().sha256())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
