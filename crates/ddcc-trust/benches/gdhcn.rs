//! WHO GDHCN trust lists: verifying one document's JsonWebSignature2020
//! proof (URDNA2015 of the document and the proof options, ES256), and
//! reading the DEV participant list XXA (one document, seven keys) from a
//! folder. Needs `../shared/vectors` (or `DDCC_VECTORS`); without it the
//! benchmark says so and measures nothing.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_assets::ContextRegistry;
use ddcc_core::Did;
use ddcc_trust::gdhcn::{FolderSource, GdhcnList, Signers, verify_document};

fn bench(c: &mut Criterion) {
    let Some(dir) = ddcc_test_support::vectors("gdhcn benchmark") else {
        return;
    };
    let read = |rel: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(rel)).unwrap()).unwrap()
    };
    let mut signers = Signers::new();
    signers
        .add_document(&read("gdhcn/who-signing-did/did.json"))
        .unwrap();
    let contexts = ContextRegistry::gdhcn().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for (name, rel) in [
        (
            "verify DCC/XXA/DSC (1 key)",
            "gdhcn/tng-cdn-dev/v2/trustlist/DCC/XXA/DSC/did.json",
        ),
        (
            "verify DCC/XXA (7 keys)",
            "gdhcn/tng-cdn-dev/v2/trustlist/DCC/XXA/did.json",
        ),
    ] {
        let doc = read(rel);
        c.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(verify_document(&doc, &signers, &contexts))
                    .unwrap()
            })
        });
    }
    let folder = FolderSource::new("tng-cdn-dev.who.int", &dir.join("gdhcn/tng-cdn-dev"));
    let root = Did::parse("did:web:tng-cdn-dev.who.int:v2:trustlist-ref:DCC:XXA").unwrap();
    c.bench_function("load trustlist-ref DCC/XXA from a folder", |b| {
        b.iter(|| {
            rt.block_on(GdhcnList::load(
                &folder,
                &root,
                &signers,
                &contexts,
                chrono::Utc::now(),
            ))
            .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
