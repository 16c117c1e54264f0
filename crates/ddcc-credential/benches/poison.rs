//! How long a verifier takes to refuse a credential whose subject is a
//! graph of blank nodes that cannot be told apart (clique, complete
//! bipartite, cycle; 6 to 64 nodes): the whole `verify` call, which ends
//! with *could not verify* (`work_budget_exceeded`) or a signature
//! mismatch, never on the unbounded general processor.
//! Run: `cargo bench -p ddcc-credential --bench poison`.
#![allow(missing_docs, clippy::unwrap_used)]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_credential::{Checks, Verifier};
use ddcc_test_support::poison::{Shape, poisoned};

fn bench(c: &mut Criterion) {
    let verifier = Verifier::builtin().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("poison");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for shape in [Shape::Clique, Shape::Bipartite, Shape::Cycle] {
        for n in [6, 16, 32, 64] {
            let vc = poisoned(shape, n);
            group.bench_function(format!("{shape:?} {n}"), |b| {
                b.iter(|| {
                    let v = rt.block_on(verifier.verify(&vc, Checks::all()));
                    assert!(!v.is_authentic());
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
