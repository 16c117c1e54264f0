//! The service under hostile load, on loopback over HTTPS: poison graphs
//! sent to `/credentials/verify` and pictures made to stall a QR reader
//! sent to `/checkpoint/verify`, from more clients than the CPU pool
//! admits. `/health` and `/metrics` keep answering at once, the excess is
//! turned away with 503 `overloaded` and `Retry-After`, requests that wait
//! too long get 503 `deadline_exceeded`, and stopping under that load ends
//! within the grace period.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use ddcc_test_support::images;
use ddcc_test_support::poison::{Shape, poisoned};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Service {
    url: String,
    ca: Vec<u8>,
    running: ddcc_server::Running,
    _dir: tempfile::TempDir,
}

impl Service {
    /// `host:port` of a service on plain HTTP.
    fn plain_address(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }

    /// A client with connections of its own.
    fn client(&self) -> reqwest::Client {
        if self.ca.is_empty() {
            return reqwest::Client::new();
        }
        reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(&self.ca).unwrap()])
            .build()
            .unwrap()
    }
}

async fn start(edit: impl FnOnce(&mut ddcc_server::Config)) -> Service {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = ddcc_server::Config {
        data_dir: dir.path().join("data"),
        listen: listener.local_addr().unwrap(),
        accept_any_issuer_dangerously: true,
        ..ddcc_server::Config::default()
    };
    edit(&mut config);
    let prepared = ddcc_server::prepare(&config).await.unwrap();
    // No CA with plain HTTP.
    let ca = prepared
        .ca_file
        .clone()
        .map(|f| std::fs::read(f).unwrap())
        .unwrap_or_default();
    let url = prepared.public_url.clone();
    let running = prepared.start(Some(listener)).await.unwrap();
    Service {
        url,
        ca,
        running,
        _dir: dir,
    }
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The hostile requests: (path, JSON body, serialized once: the attacker
/// spends nothing per request but the sending).
fn hostile_requests() -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    for shape in [Shape::Clique, Shape::Bipartite, Shape::Cycle] {
        out.push((
            "/credentials/verify",
            json!({"verifiableCredential": poisoned(shape, 64)}),
        ));
    }
    for picture in [images::finder_tiles(2000, 3), images::noise(1500, 1, 5)] {
        let b64 = base64::engine::general_purpose::STANDARD.encode(images::png(&picture));
        out.push(("/checkpoint/verify", json!({ "image": b64 })));
    }
    out.into_iter()
        .map(|(p, v)| (p, serde_json::to_vec(&v).unwrap()))
        .collect()
}

/// What the hostile clients got.
#[derive(Default, Debug)]
struct Tally {
    answered: usize,
    overloaded: usize,
    deadline: usize,
    retry_after_missing: usize,
}

async fn hostile_client(
    client: reqwest::Client,
    url: String,
    requests: Arc<Vec<(&'static str, Vec<u8>)>>,
    stop: Arc<AtomicBool>,
    offset: usize,
) -> Tally {
    let mut tally = Tally::default();
    let mut i = offset;
    while !stop.load(Ordering::Relaxed) {
        let (path, body) = &requests[i % requests.len()];
        i += 1;
        let Ok(r) = client
            .post(format!("{url}{path}"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
        else {
            continue;
        };
        let status = r.status();
        let has_retry = r.headers().contains_key("retry-after");
        let v: Value = r.json().await.unwrap_or(Value::Null);
        match (status, v["error"]["code"].as_str()) {
            (StatusCode::SERVICE_UNAVAILABLE, Some("overloaded")) => {
                tally.overloaded += 1;
                tally.retry_after_missing += usize::from(!has_retry);
            }
            (StatusCode::SERVICE_UNAVAILABLE, Some("deadline_exceeded")) => {
                tally.deadline += 1;
                tally.retry_after_missing += usize::from(!has_retry);
            }
            (StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY, _) => tally.answered += 1,
            other => panic!("unexpected answer to a hostile request: {other:?} {v}"),
        }
    }
    tally
}

/// `n` hostile clients, each with connections of its own, until `stop`.
fn swarm(
    s: &Service,
    n: usize,
    requests: &Arc<Vec<(&'static str, Vec<u8>)>>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Tally>> {
    (0..n)
        .map(|i| {
            tokio::spawn(hostile_client(
                s.client(),
                s.url.clone(),
                requests.clone(),
                stop.clone(),
                i,
            ))
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[test]
fn health_and_metrics_answer_at_once_while_the_pool_is_saturated() {
    run(async {
        let s = start(|c| {
            c.work_threads = 2;
            c.max_pending_requests = 6;
            c.request_deadline_seconds = 5;
        })
        .await;
        let requests = Arc::new(hostile_requests());
        let stop = Arc::new(AtomicBool::new(false));
        let clients = swarm(&s, 16, &requests, &stop);
        // Let the pool fill.
        let monitor = s.client();
        let start = Instant::now();
        loop {
            let h: Value = monitor
                .get(format!("{}/health", s.url))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if h["work"]["pending"] == h["work"]["max_pending"] {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the pool never filled: {h}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut health = Vec::new();
        let mut metrics = Vec::new();
        let mut saturated_samples = 0;
        for round in 0..60 {
            let path = if round % 3 == 2 {
                "/metrics"
            } else {
                "/health"
            };
            let t = Instant::now();
            let r = monitor
                .get(format!("{}{path}", s.url))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            let body = r.text().await.unwrap();
            let took = t.elapsed();
            if path == "/health" {
                let h: Value = serde_json::from_str(&body).unwrap();
                saturated_samples += usize::from(h["work"]["pending"] == h["work"]["max_pending"]);
                health.push(took);
            } else {
                assert!(body.contains("ddcc_work_pending"), "{body}");
                metrics.push(took);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.store(true, Ordering::Relaxed);
        let mut tally = Tally::default();
        for c in clients {
            let t = c.await.unwrap();
            tally.answered += t.answered;
            tally.overloaded += t.overloaded;
            tally.deadline += t.deadline;
            tally.retry_after_missing += t.retry_after_missing;
        }
        let metrics_text = monitor
            .get(format!("{}/metrics", s.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        s.running.stop().await;

        health.sort();
        metrics.sort();
        eprintln!(
            "health p50 {:?} p90 {:?} max {:?}; metrics p50 {:?} p90 {:?} max {:?}; \
             pool full in {saturated_samples} of {} samples; hostile requests: {tally:?}",
            percentile(&health, 0.5),
            percentile(&health, 0.9),
            health.last().unwrap(),
            percentile(&metrics, 0.5),
            percentile(&metrics, 0.9),
            metrics.last().unwrap(),
            health.len(),
        );
        assert!(
            saturated_samples * 2 >= health.len(),
            "the pool was not kept full"
        );
        assert!(tally.overloaded > 0, "nothing was shed: {tally:?}");
        assert_eq!(tally.retry_after_missing, 0, "a 503 without Retry-After");
        for (name, times) in [("health", &health), ("metrics", &metrics)] {
            assert!(
                percentile(times, 0.9) < Duration::from_millis(100),
                "{name} p90 {:?}",
                percentile(times, 0.9)
            );
            assert!(
                *times.last().unwrap() < Duration::from_secs(1),
                "{name} max"
            );
        }
        let shed_line = metrics_text
            .lines()
            .find(|l| l.starts_with("ddcc_work_shed_total"))
            .unwrap_or_else(|| panic!("{metrics_text}"));
        let shed: u64 = shed_line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(shed as usize >= tally.overloaded, "{shed_line} {tally:?}");
    });
}

#[test]
fn requests_that_wait_past_the_deadline_get_503_and_stopping_is_bounded() {
    run(async {
        // One thread, a one-second deadline: of ten pictures sent at once,
        // those waiting behind the others run out of time.
        let s = start(|c| {
            c.work_threads = 1;
            c.max_pending_requests = 32;
            c.request_deadline_seconds = 1;
            c.shutdown_grace_seconds = 1;
        })
        .await;
        let picture = base64::engine::general_purpose::STANDARD
            .encode(images::png(&images::finder_tiles(2000, 3)));
        let body = json!({ "image": picture });
        let sent: Vec<_> = (0..10)
            .map(|_| {
                let c = s.client();
                let u = format!("{}/checkpoint/verify", s.url);
                let b = body.clone();
                tokio::spawn(async move {
                    let r = c.post(u).json(&b).send().await.unwrap();
                    let status = r.status();
                    let retry = r.headers().contains_key("retry-after");
                    (status, retry, r.json::<Value>().await.unwrap())
                })
            })
            .collect();
        let mut late = 0;
        for t in sent {
            let (status, retry, v) = t.await.unwrap();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                assert_eq!(v["error"]["code"], "deadline_exceeded", "{v}");
                assert!(retry);
                late += 1;
            } else {
                assert_eq!(status, StatusCode::OK, "{v}");
                assert_eq!(v["verdict"], "could_not_verify", "{v}");
            }
        }
        assert!(late > 0, "no request ran out of time");
        // Stopping while pictures are still being read ends within the
        // grace period and a second.
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(vec![(
            "/checkpoint/verify",
            serde_json::to_vec(&body).unwrap(),
        )]);
        let clients = swarm(&s, 8, &requests, &stop);
        tokio::time::sleep(Duration::from_millis(500)).await;
        let t = Instant::now();
        s.running.stop().await;
        let took = t.elapsed();
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.abort();
        }
        eprintln!("{late} of 10 ran out of time; stopped in {took:?}");
        assert!(
            took < Duration::from_millis(2_500),
            "stopping took {took:?}"
        );
    });
}

/// Sends `head` and `body` on a plain connection and returns the status
/// line's code, the answer and the time it took.
async fn raw_exchange(addr: &str, head: String, body: &[u8]) -> (u16, String, Duration) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let t = Instant::now();
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(head.as_bytes()).await.unwrap();
    c.write_all(body).await.unwrap();
    // Read one answer: its head, then the body its length announces.
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let read_one = async {
        loop {
            if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                if answer.len() >= end + 4 + length {
                    break;
                }
            }
            match c.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(10), read_one).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, text, t.elapsed())
}

#[test]
fn a_body_that_never_arrives_runs_out_of_time_and_gives_its_place_back() {
    run(async {
        let s = start(|c| {
            c.plain_http = true;
            c.max_pending_requests = 1;
            c.request_deadline_seconds = 1;
        })
        .await;
        let addr = s.plain_address();
        // Headers promising 1,000 bytes, then 10 of them and silence: the
        // only place in the pool is taken while the body is awaited.
        let head = format!(
            "POST /credentials/verify HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        );
        let stalled = tokio::spawn(raw_exchange_keep(addr.clone(), head));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let verify_nothing = || {
            s.client()
                .post(format!("{}/credentials/verify", s.url))
                .json(&json!({"verifiableCredential": {}}))
                .send()
        };
        // The place is held: one more request is turned away at once.
        let busy = verify_nothing().await.unwrap();
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        let v: Value = busy.json().await.unwrap();
        assert_eq!(v["error"]["code"], "overloaded", "{v}");
        let (code, text, took) = stalled.await.unwrap();
        assert_eq!(code, 503, "{text}");
        assert!(text.contains("deadline_exceeded"), "{text}");
        assert!(took < Duration::from_secs(3), "answered after {took:?}");
        // The place is back: the next request is answered.
        let after = verify_nothing().await.unwrap();
        assert_ne!(after.status(), StatusCode::SERVICE_UNAVAILABLE);
        s.running.stop().await;
    });
}

/// Sends `head` and the first 10 bytes of the body it announces, then
/// waits for the answer without sending more.
async fn raw_exchange_keep(addr: String, head: String) -> (u16, String, Duration) {
    raw_exchange(&addr, head, b"{\"verifia").await
}

#[test]
fn a_body_over_the_limit_is_refused_with_413() {
    run(async {
        let s = start(|c| {
            c.plain_http = true;
            c.max_body_bytes = 64 * 1024;
        })
        .await;
        let addr = s.plain_address();
        // /credentials/verify takes max_body_bytes; the checkpoint's
        // pictures may be larger, up to its own limit.
        let big = vec![b' '; 100 * 1024];
        for (path, code) in [("/credentials/verify", 413), ("/checkpoint/verify", 400)] {
            let r = s
                .client()
                .post(format!("{}{path}", s.url))
                .header("content-type", "application/json")
                .body(big.clone())
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let v: Value = r.json().await.unwrap();
            assert_eq!(status, code, "{path}: {v}");
            if code == 413 {
                assert_eq!(v["error"]["code"], "body_too_large", "{v}");
            }
        }
        // Sent in chunks without a length, the same.
        let head = format!(
            "POST /credentials/verify HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
        let mut body = Vec::new();
        for _ in 0..100 {
            body.extend_from_slice(b"400\r\n");
            body.extend_from_slice(&[b' '; 1024]);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"0\r\n\r\n");
        let (code, text, _) = raw_exchange(&addr, head, &body).await;
        assert_eq!(code, 413, "{text}");
        assert!(text.contains("body_too_large"), "{text}");
        s.running.stop().await;
    });
}
