//! A load generator for `POST /credentials/verify`: N concurrent clients
//! send the same credential for a number of seconds over keep-alive HTTPS
//! connections and report requests per second, latency percentiles and
//! errors (anything but 200).
//!
//! ```text
//! cargo run --release -p ddcc-server --example load -- \
//!     https://127.0.0.1:8443 ddcc-data/ca.pem vc.json 60 32
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, ca, credential, seconds, concurrency] = &args[..] else {
        eprintln!("usage: load URL CA_PEM CREDENTIAL_JSON SECONDS CONCURRENCY");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("seconds");
    let concurrency: usize = concurrency.parse().expect("concurrency");
    let vc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(credential).expect("credential")).expect("JSON");
    let body = serde_json::to_vec(&serde_json::json!({"verifiableCredential": vc})).unwrap();
    let ca = std::fs::read(ca).expect("CA file");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (latencies, errors, elapsed) = rt.block_on(async move {
        let client = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(&ca).unwrap()])
            .pool_max_idle_per_host(concurrency)
            .build()
            .unwrap();
        let end = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let (client, url, body) = (
                client.clone(),
                format!("{url}/credentials/verify"),
                body.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                while Instant::now() < end {
                    let t = Instant::now();
                    let ok = match client
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                    {
                        Ok(r) => r.status().as_u16() == 200 && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if ok {
                        lat.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                    } else {
                        errors += 1;
                    }
                }
                (lat, errors)
            }));
        }
        let mut all = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.unwrap();
            all.extend(l);
            errors += e;
        }
        (all, errors, started.elapsed())
    });
    let mut l = latencies;
    l.sort_unstable();
    let pct = |p: f64| {
        if l.is_empty() {
            0.0
        } else {
            f64::from(l[((l.len() - 1) as f64 * p) as usize]) / 1000.0
        }
    };
    println!(
        "{} requests in {:.1} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, errors {}",
        l.len(),
        elapsed.as_secs_f64(),
        l.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        errors
    );
}
