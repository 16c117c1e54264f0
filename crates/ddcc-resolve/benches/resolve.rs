//! DID resolution without the network: did:key computed from the
//! identifier (uncached and memoised), and a did:web document served from
//! the TTL cache. Run: `cargo bench -p ddcc-resolve --bench resolve`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_crypto::SecretKey;
use ddcc_did::{
    DidKeyOptions, DidResolver, LocalResolver, Source, did_key_for, did_web_document, did_web_for,
    resolve_did_key,
};
use ddcc_resolve::{Bundle, BundleEntry, CachedResolver, Resolver};

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let key = SecretKey::from_seed(&[7u8; 32]).unwrap().public_key();
    let did_key = did_key_for(&key);
    let local = LocalResolver::default();
    let web = did_web_for("health.example", None, &["issuers", "moh"]).unwrap();
    let doc = did_web_document(&web, &[("key-1", key)]).unwrap();
    let cache = CachedResolver::new(Resolver::offline(), chrono::Duration::days(1)).offline(true);
    cache
        .load(
            &Bundle {
                format: "ddcc-did-bundle/1".into(),
                entries: vec![BundleEntry {
                    did: web.as_str().into(),
                    fetched: chrono::Utc::now().to_rfc3339(),
                    document: doc.to_json(),
                }],
            },
            Source::Bundle,
        )
        .unwrap();
    assert!(rt.block_on(cache.resolve(&web)).is_ok());

    let mut g = c.benchmark_group("resolve");
    g.bench_function("did:key (document built from the identifier)", |b| {
        b.iter(|| resolve_did_key(&did_key, DidKeyOptions::default()).unwrap())
    });
    g.bench_function("did:key (LocalResolver, memoised)", |b| {
        b.iter(|| rt.block_on(local.resolve(&did_key)).unwrap())
    });
    g.bench_function("did:web (CachedResolver hit)", |b| {
        b.iter(|| rt.block_on(cache.resolve(&web)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
