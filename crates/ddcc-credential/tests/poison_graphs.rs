//! Credentials whose subjects are graphs of blank nodes that cannot be
//! told apart (cliques, complete bipartite graphs, cycles), from 6 to 64
//! nodes, each with a proof by a did:key: the proof check ends quickly,
//! with *could not verify* (`work_budget_exceeded`) when the graph costs
//! more than the budget, never with minutes of canonicalization on the
//! general processor. The same for `canon` (DIVOC's and the GDHCN lists'
//! canonicalization). Times are bounded generously here (debug build, a
//! shared machine); the benchmark `poison` measures them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, CheckStatus, Checks, Verifier, canon};
use ddcc_test_support::poison::{Shape, poisoned};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

#[test]
fn poison_graphs_end_quickly_and_never_verify() {
    let verifier = Verifier::builtin().unwrap();
    let rt = rt();
    let mut refused = 0;
    for shape in [Shape::Clique, Shape::Bipartite, Shape::Cycle] {
        for n in [6, 8, 9, 12, 16, 24, 32, 48, 64] {
            let vc = poisoned(shape, n);
            let started = Instant::now();
            let v = rt.block_on(verifier.verify(&vc, Checks::all()));
            let took = started.elapsed();
            let proof = v.report(Check::Proof).unwrap();
            assert!(!v.is_authentic(), "{shape:?} {n}: {}", v.to_text());
            assert!(
                matches!(
                    proof.status,
                    CheckStatus::CouldNotVerify | CheckStatus::Failed
                ),
                "{shape:?} {n}: {proof:?}"
            );
            if proof.status == CheckStatus::CouldNotVerify {
                assert_eq!(
                    proof.code, "work_budget_exceeded",
                    "{shape:?} {n}: {proof:?}"
                );
                refused += 1;
            }
            // Never the unbounded general processor.
            assert!(
                v.proof_path()
                    .is_none_or(|p| *p == ddcc_credential::ProofPath::Fast),
                "{shape:?} {n}: fell back"
            );
            assert!(took < Duration::from_secs(5), "{shape:?} {n}: {took:?}");
            eprintln!("{shape:?} {n}: {} in {took:?}", proof.code);
        }
    }
    assert!(
        refused >= 10,
        "the cliques and bipartite graphs are refused by name"
    );
}

#[test]
fn canon_is_bounded_too() {
    let registry = ContextRegistry::builtin().unwrap();
    let rt = rt();
    let started = Instant::now();
    let e = rt
        .block_on(canon::canonical_document(
            &poisoned(Shape::Clique, 12),
            &registry,
        ))
        .unwrap_err();
    assert!(e.to_string().contains("work_budget_exceeded"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A graph within the budget canonicalizes.
    assert!(
        rt.block_on(canon::canonical_document(
            &poisoned(Shape::Clique, 3),
            &registry
        ))
        .is_ok()
    );
}
