//! `ddcc serve` as an operator runs it: the real binary on loopback with
//! its defaults (fresh issuer, SQLite register, self-signed certificate),
//! issuing under load while it receives SIGTERM. Requests in flight finish,
//! it exits 0, and the register holds exactly the credentials that were
//! handed out, each with the digest of what the client received. Its logs
//! name routes and statuses, never a subject's data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sigterm_during_issuance_finishes_requests_and_keeps_the_register_whole() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddcc"))
        .current_dir(dir.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--issue-without-api-key-dangerously")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the log while it runs (a full pipe would stop the service).
    let mut stderr = child.stderr.take().unwrap();
    let log_reader = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    let ca = dir.path().join("ddcc-data/ca.pem");
    let url = format!("https://127.0.0.1:{port}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (issued, failed) = rt.block_on(async {
        // Wait for it to answer.
        let start = Instant::now();
        let client = loop {
            if let Ok(pem) = std::fs::read(&ca)
                && let Ok(c) = reqwest::Client::builder()
                    .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
                    .build()
                && c.get(format!("{url}/health")).send().await.is_ok()
            {
                break c;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "ddcc serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        // A throwaway issuer builds the unsigned credentials.
        let throwaway = ddcc::credential::Issuer::new(ddcc::keys::SecretKey::generate()).unwrap();
        let record: Value = serde_json::from_str(RECORD).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let counter = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (client, url, stop, counter) =
                (client.clone(), url.clone(), stop.clone(), counter.clone());
            let mut record = record.clone();
            let base = throwaway
                .credential_from_record(&record, chrono::Utc::now())
                .unwrap();
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                let mut failures = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let hcid = format!("URN:HCID:TERM-{n}");
                    record["subject"]["certificate"]["hcid"] = Value::from(hcid.clone());
                    let mut vc = base.clone();
                    vc["credentialSubject"]["certificate"]["hcid"] = Value::from(hcid.clone());
                    vc.as_object_mut().unwrap().remove("issuer");
                    match client
                        .post(format!("{url}/credentials/issue"))
                        .json(&json!({"credential": vc}))
                        .send()
                        .await
                    {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            // A response that started must arrive whole.
                            let body: Value = r.json().await.expect("a response cut short");
                            assert_eq!(status, 201, "{body}");
                            got.push((hcid, body["verifiableCredential"].clone()));
                        }
                        Err(_) => {
                            // Refused once the service stopped listening.
                            failures += 1;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
                (got, failures)
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let term = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        // Keep sending for a moment after the signal.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        stop.store(true, Ordering::Relaxed);
        let mut issued = Vec::new();
        let mut failed = 0;
        for t in tasks {
            let (g, f) = t.await.unwrap();
            issued.extend(g);
            failed += f;
        }
        (issued, failed)
    });
    let status = child.wait().unwrap();
    assert!(status.success(), "ddcc serve exited with {status}");
    let log = log_reader.join().unwrap();
    assert!(log.contains("shutting down"), "{log}");
    assert!(!issued.is_empty(), "nothing was issued before the signal");
    eprintln!(
        "issued {} credentials, {} requests refused after SIGTERM",
        issued.len(),
        failed
    );

    // The register: every credential handed out is recorded as issued with
    // the digest of what the client received, and nothing else is.
    let mut register = ddcc_register::Register::open(
        &dir.path().join("ddcc-data/register.sqlite"),
        "https://unused.invalid",
    )
    .unwrap();
    for (hcid, vc) in &issued {
        use sha2::Digest as _;
        let text = serde_json::to_string(vc).unwrap();
        let digest = format!(
            "sha-256:{}",
            hex::encode(sha2::Sha256::digest(text.as_bytes()))
        );
        assert_eq!(
            register.issued_digest(hcid).unwrap(),
            Some(digest),
            "{hcid}"
        );
    }
    let (registered, written) = register.counts().unwrap();
    assert_eq!(
        written as usize,
        issued.len(),
        "issued in the register but never delivered"
    );
    assert!(registered >= written);

    // No personal data or key in the logs.
    let record: Value = serde_json::from_str(RECORD).unwrap();
    for secret in [
        record["subject"]["name"].as_str().unwrap(),
        record["subject"]["birthDate"].as_str().unwrap(),
        "PRIVATE KEY",
    ] {
        assert!(!log.contains(secret), "the log shows {secret}");
    }
    assert!(
        log.contains("route=/credentials/issue status=201"),
        "{}",
        log.lines().take(5).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn serve_takes_an_operators_certificate_with_cert_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, identity) = ddcc::registry::self_signed(&["127.0.0.1".to_owned()]).unwrap();
    let (cert, key) = (dir.path().join("own.pem"), dir.path().join("own.key"));
    std::fs::write(&cert, &identity.cert_pem).unwrap();
    std::fs::write(&key, identity.key_pem.as_str()).unwrap();

    // One without the other is refused by the command line.
    let half = Command::new(env!("CARGO_BIN_EXE_ddcc"))
        .current_dir(dir.path())
        .args(["serve", "--cert", "own.pem"])
        .output()
        .unwrap();
    assert_eq!(half.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&half.stderr).contains("--key"));

    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddcc"))
        .current_dir(dir.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--cert", "own.pem", "--key", "own.key"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let health = rt.block_on(async {
        let client = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(ca.as_bytes()).unwrap()])
            .build()
            .unwrap();
        let start = Instant::now();
        loop {
            if let Ok(r) = client
                .get(format!("https://127.0.0.1:{port}/health"))
                .send()
                .await
            {
                break r.status();
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "ddcc serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert_eq!(health, reqwest::StatusCode::OK);
    assert!(status.success(), "ddcc serve exited with {status}");
    // Its own certificate was served: none was generated.
    assert!(!dir.path().join("ddcc-data/server.pem").exists());
}

/// SIGTERM while the CPU pool is full of pictures made to stall a QR
/// reader and of poison graphs: the service stops within its grace period
/// (two seconds here) and a margin, and exits 0.
#[test]
fn sigterm_under_hostile_load_exits_within_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    std::fs::write(
        dir.path().join("limits.toml"),
        "shutdown_grace_seconds = 2\nwork_threads = 2\nmax_pending_requests = 8\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddcc"))
        .current_dir(dir.path())
        .args(["serve", "--config", "limits.toml"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--accept-any-issuer-dangerously")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ca = dir.path().join("ddcc-data/ca.pem");
    let url = format!("https://127.0.0.1:{port}");
    let picture = {
        use base64::Engine as _;
        let png = ddcc_test_support::images::png(&ddcc_test_support::images::finder_tiles(2000, 3));
        serde_json::to_vec(&json!({"image": base64::engine::general_purpose::STANDARD.encode(png)}))
            .unwrap()
    };
    let poison = serde_json::to_vec(&json!({"verifiableCredential":
        ddcc_test_support::poison::poisoned(ddcc_test_support::poison::Shape::Clique, 64)}))
    .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let took = rt.block_on(async {
        let start = Instant::now();
        let pem = loop {
            if let Ok(pem) = std::fs::read(&ca) {
                let c = reqwest::Client::builder()
                    .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
                    .build()
                    .unwrap();
                if c.get(format!("{url}/health")).send().await.is_ok() {
                    break pem;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "ddcc serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for n in 0..12 {
            let client = reqwest::Client::builder()
                .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
                .build()
                .unwrap();
            let (path, body) = if n % 2 == 0 {
                ("/checkpoint/verify", picture.clone())
            } else {
                ("/credentials/verify", poison.clone())
            };
            let (url, stop) = (url.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let sent = client
                        .post(format!("{url}{path}"))
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    if sent.is_err() {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let signalled = Instant::now();
        let term = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                signalled.elapsed() < Duration::from_secs(30),
                "ddcc serve did not stop"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let took = signalled.elapsed();
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.abort();
        }
        assert!(status.success(), "ddcc serve exited with {status}");
        took
    });
    eprintln!("stopped {took:?} after SIGTERM under hostile load (grace 2 s)");
    assert!(took < Duration::from_secs(5), "stopping took {took:?}");
}
