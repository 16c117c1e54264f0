//! The in-process rate the load test (`examples/load.rs`) is compared
//! with: the same credential, from the same request body text, parsed and
//! verified by a verifier configured as the service's (pinned contexts,
//! every check, the issuer's status lists at hand), on a number of
//! threads for a number of seconds, with no HTTP, TLS or sockets.
//!
//! ```text
//! cargo run --release -p ddcc-server --example verify_rate -- \
//!     vc.json 60 2 revocation-1.json suspension-1.json
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use ddcc::assets::ContextRegistry;
use ddcc::credential::{Checks, SystemClock, Verifier};
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [credential, seconds, threads, lists @ ..] = &args[..] else {
        eprintln!("usage: verify_rate CREDENTIAL_JSON SECONDS THREADS [STATUS_LIST_JSON ...]");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("seconds");
    let threads: usize = threads.parse().expect("threads");
    let vc: Value =
        serde_json::from_slice(&std::fs::read(credential).expect("credential")).expect("JSON");
    // What a client sends to POST /credentials/verify.
    let body = serde_json::to_vec(&serde_json::json!({"verifiableCredential": vc})).unwrap();
    let mut given = ddcc::status::GivenLists::new();
    for path in lists {
        let list: Value =
            serde_json::from_slice(&std::fs::read(path).expect("list")).expect("JSON");
        given
            .add(list, chrono::Utc::now().timestamp())
            .expect("a status list");
    }
    let verifier = Arc::new(
        Verifier::new(ContextRegistry::builtin().unwrap(), SystemClock)
            .unwrap()
            .with_status_lists(Arc::new(given), chrono::Duration::hours(24)),
    );
    let end = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let counts: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (verifier, body) = (verifier.clone(), &body);
                s.spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .build()
                        .unwrap();
                    let mut n = 0u64;
                    while Instant::now() < end {
                        let req: Value = serde_json::from_slice(body).unwrap();
                        let verdict = rt
                            .block_on(verifier.verify(&req["verifiableCredential"], Checks::all()));
                        assert!(verdict.is_authentic(), "{}", verdict.to_text());
                        let _json = serde_json::to_vec(&verdict.to_json()).unwrap();
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let total: u64 = counts.iter().sum();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{total} verifications in {elapsed:.1} s on {threads} thread(s): {:.0} per second",
        total as f64 / elapsed
    );
}
