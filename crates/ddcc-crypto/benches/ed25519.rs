//! The floor under every proof: one Ed25519 signature and one verification
//! on this machine. Run: `cargo bench -p ddcc-crypto --bench ed25519`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_crypto::SecretKey;

fn bench(c: &mut Criterion) {
    let key = SecretKey::from_seed(&[7u8; 32]).unwrap();
    let public = key.public_key();
    let message = [0x5a_u8; 600];
    let signature = key.sign(&message);
    assert!(public.verify(&message, &signature));
    let mut g = c.benchmark_group("ed25519");
    g.bench_function("sign (600 bytes)", |b| b.iter(|| key.sign(&message)));
    g.bench_function("verify (600 bytes)", |b| {
        b.iter(|| public.verify(&message, &signature))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
