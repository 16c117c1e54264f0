//! The checkpoint page in a real browser: headless Chromium opens the
//! service's page over HTTPS (trusting only the service's own key),
//! uploads a photo of the QR code of a valid credential and then of a
//! revoked one, and the verdict is read from the page. Screenshots of both
//! go to the test's target directory.
//!
//! Chromium comes from the distribution (`.ci/run` installs it, and sets
//! `DDCC_REQUIRE_CHROMIUM=1` so that there the test must run); elsewhere,
//! without it, the test says so and skips. `DDCC_CHROMIUM` names another
//! binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cdp;
mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use chrono::Utc;
use ddcc::credential::Issuer;
use ddcc::keys::SecretKey;
use serde_json::{Value, json};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("DDCC_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    let required = std::env::var("DDCC_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "DDCC_REQUIRE_CHROMIUM=1 but no chromium was found (install the distribution's chromium package)"
    );
    eprintln!(
        "\n*** SKIPPED: the checkpoint page in a browser needs chromium (apt install chromium; .ci/run does) ***\n"
    );
    None
}

/// base64(SHA-256(SubjectPublicKeyInfo)) of the first certificate in a
/// PEM file: what Chromium's `--ignore-certificate-errors-spki-list`
/// trusts (this key only, not any certificate).
fn spki_hash(pem: &str) -> String {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
    let cert = pem.parse_x509().unwrap();
    use sha2::Digest as _;
    base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(cert.tbs_certificate.subject_pki.raw))
}

fn unsigned(hcid: &str) -> Value {
    let mut record: Value = serde_json::from_str(RECORD).unwrap();
    record["subject"]["certificate"]["hcid"] = hcid.into();
    let throwaway = Issuer::new(SecretKey::generate()).unwrap();
    let mut vc = throwaway
        .credential_from_record(&record, Utc::now())
        .unwrap();
    vc.as_object_mut().unwrap().remove("issuer");
    vc
}

fn verdict_after_upload(page: &mut cdp::Page, picture: &Path) -> (String, String) {
    // Clear what an earlier upload showed.
    page.eval("document.getElementById('verdict').dataset.verdict = ''");
    page.set_file("#photo", picture);
    page.wait_for(
        "document.getElementById('verdict').dataset.verdict !== ''",
        Duration::from_secs(20),
    );
    let verdict = page.eval("document.getElementById('verdict').dataset.verdict");
    let shown = page.eval("document.getElementById('result').innerText");
    (
        verdict.as_str().unwrap_or("").to_owned(),
        shown.as_str().unwrap_or("").to_owned(),
    )
}

#[test]
fn the_checkpoint_page_reads_uploaded_qr_photos_in_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let trust = common::trusted_service_dir(dir.path()).await;
        let config = ddcc_server::Config {
            data_dir: dir.path().join("data"),
            listen: listener.local_addr().unwrap(),
            trust_config: Some(trust),
            issue_without_api_key_dangerously: true,
            ..ddcc_server::Config::default()
        };
        let prepared = ddcc_server::prepare(&config).await.unwrap();
        let ca = std::fs::read(prepared.ca_file.clone().unwrap()).unwrap();
        let url = prepared.public_url.clone();
        let running = prepared.start(Some(listener)).await.unwrap();
        let client = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(&ca).unwrap()])
            .build()
            .unwrap();

        // Two certificates; the second is revoked.
        let mut pictures = Vec::new();
        for hcid in ["URN:HCID:PAGE-VALID", "URN:HCID:PAGE-REVOKED"] {
            let body: Value = client
                .post(format!("{url}/credentials/issue"))
                .json(&json!({"credential": unsigned(hcid)}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let text = serde_json::to_string(&body["verifiableCredential"]).unwrap();
            let png = ddcc::qr::render_png(&ddcc::qr::encode_compact(&text)).unwrap();
            let file = dir.path().join(format!("{}.png", hcid.rsplit(':').next().unwrap()));
            std::fs::write(&file, png.bytes).unwrap();
            pictures.push(file);
        }
        let r = client
            .post(format!("{url}/credentials/status"))
            .json(&json!({"credentialId": "URN:HCID:PAGE-REVOKED", "credentialStatus": [{"statusPurpose": "revocation", "status": true}]}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());

        let server_pem = std::fs::read_to_string(dir.path().join("data/server.pem")).unwrap();
        let trust = format!("--ignore-certificate-errors-spki-list={}", spki_hash(&server_pem));
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let profile = dir.path().join("chromium-profile");
        let page_url = format!("{url}/");
        let pictures2 = pictures.clone();
        // The browser is driven from a plain thread (the protocol client
        // blocks); the service keeps answering on the runtime.
        let shots2 = shots.clone();
        tokio::task::spawn_blocking(move || {
            let browser = cdp::Chromium::start(&chromium, &profile, &[trust]);
            let mut page = browser.open(&page_url);
            // The new tab starts on about:blank: wait for our page itself.
            page.wait_for(
                &format!(
                    "location.href === {} && document.readyState === 'complete'",
                    json!(page_url)
                ),
                Duration::from_secs(20),
            );
            assert_eq!(page.eval("document.title"), json!("ddcc checkpoint"));

            let (verdict, shown) = verdict_after_upload(&mut page, &pictures2[0]);
            assert_eq!(verdict, "valid", "{shown}");
            assert!(shown.contains("VALID") && shown.contains("Jane Sue Citizen"), "{shown}");
            assert!(shown.contains("2 of 2"), "{shown}");
            std::fs::write(shots2.join("checkpoint-valid.png"), page.screenshot()).unwrap();

            let (verdict, shown) = verdict_after_upload(&mut page, &pictures2[1]);
            assert_eq!(verdict, "revoked", "{shown}");
            assert!(shown.contains("REVOKED"), "{shown}");
            std::fs::write(shots2.join("checkpoint-revoked.png"), page.screenshot()).unwrap();
        })
        .await
        .unwrap();
        eprintln!(
            "screenshots: {} and {}",
            shots.join("checkpoint-valid.png").display(),
            shots.join("checkpoint-revoked.png").display()
        );
        running.stop().await;
    });
}
