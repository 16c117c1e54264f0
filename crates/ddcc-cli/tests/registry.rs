//! `ddcc registry serve` as a real process on loopback, and the CLI that
//! resolves against it: did web init, issue under did:web, verify online
//! with the registry's CA, then from the cache file with the server gone;
//! plain HTTP only with --allow-http-loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use serde_json::Value;

use common::{RECORD, ddcc, ok, run};

/// A registry process; killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ddcc registry serve` on an ephemeral port; returns it and its port.
fn serve(dir: &Path, extra: &[&str]) -> (Server, u16) {
    let mut child = ddcc(dir)
        .args([
            "registry",
            "serve",
            "--dir",
            "reg",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn registry");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address printed: {line:?}"));
    (Server(child), port)
}

fn issue_under_web(dir: &Path, port: u16) -> String {
    let did = ok(&run(
        dir,
        &[
            "did",
            "web",
            "init",
            "--domain",
            &format!("127.0.0.1:{port}"),
            "--path",
            "issuers/moh",
            "--key",
            "moh.key",
            "--dir",
            "reg",
        ],
    ));
    assert_eq!(did, format!("did:web:127.0.0.1%3A{port}:issuers:moh"));
    ok(&run(
        dir,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            RECORD,
            "--issuer-did",
            &did,
            "--out",
            "vc.json",
        ],
    ));
    did
}

#[test]
fn verify_through_the_registry_then_from_the_cache_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("reg")).unwrap();
    ok(&run(dir, &["key", "generate", "--out", "moh.key"]));
    let (server, port) = serve(dir, &["--ca-out", "ca.pem"]);
    let did = issue_under_web(dir, port);

    // Offline by default: a did:web issuer cannot be checked without the network.
    let o = run(dir, &["verify", "vc.json"]);
    assert_eq!(o.status.code(), Some(2));

    // Online, with the registry's CA and private addresses allowed.
    let online = [
        "verify",
        "vc.json",
        "--online",
        "--ca",
        "ca.pem",
        "--allow-private",
        "--did-cache",
        "cache.json",
        "--json",
    ];
    let v: Value = serde_json::from_str(&ok(&run(dir, &online))).unwrap();
    assert_eq!(v["verdict"], "issuer_not_checked");
    assert_eq!(v["did_document"]["source"], "network");
    assert_eq!(v["issuer"], did.as_str());

    // The same DID through the registry's Universal Resolver interface.
    let doc: Value = serde_json::from_str(&ok(&run(
        dir,
        &[
            "did",
            "resolve",
            &did,
            "--resolver",
            &format!("https://127.0.0.1:{port}"),
            "--ca",
            "ca.pem",
            "--allow-private",
        ],
    )))
    .unwrap();
    assert_eq!(doc["id"], did.as_str());

    // A trust list published on the registry, fetched by URL.
    let anchor = ok(&run(dir, &["key", "generate", "--out", "anchor.key"]));
    ok(&run(
        dir,
        &[
            "trust",
            "list",
            "create",
            "--name",
            "n",
            "--anchor",
            &anchor,
            "--out",
            "list.json",
        ],
    ));
    ok(&run(
        dir,
        &[
            "trust",
            "list",
            "add",
            "--list",
            "list.json",
            "--issuer",
            &did,
        ],
    ));
    std::fs::create_dir_all(dir.join("reg/trust")).unwrap();
    ok(&run(
        dir,
        &[
            "trust",
            "list",
            "sign",
            "--list",
            "list.json",
            "--key",
            "anchor.key",
            "--out",
            "reg/trust/list.json",
        ],
    ));
    let url = format!("https://127.0.0.1:{port}/trust/list.json");
    let v: Value = serde_json::from_str(&ok(&run(
        dir,
        &[
            "verify",
            "vc.json",
            "--online",
            "--ca",
            "ca.pem",
            "--allow-private",
            "--trust",
            &url,
            "--trust-anchor",
            &anchor,
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(v["verdict"], "valid", "{v}");
    assert_eq!(v["checks"][4]["status"], "passed", "{v}");

    // Without the CA, TLS refuses the registry's certificate.
    let o = run(
        dir,
        &["verify", "vc.json", "--online", "--allow-private", "--json"],
    );
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["message"].as_str().unwrap().contains("could not fetch"),
        "{v}"
    );

    // Server gone: the cache file answers, saying how old the document is.
    drop(server);
    let v: Value = serde_json::from_str(&ok(&run(
        dir,
        &["verify", "vc.json", "--did-cache", "cache.json", "--json"],
    )))
    .unwrap();
    assert_eq!(v["verdict"], "issuer_not_checked");
    assert_eq!(v["did_document"]["source"], "cache");
    assert!(v["did_document"]["age_seconds"].is_u64());

    // Online but unreachable: the cached copy is used even past its TTL,
    // and marked stale.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let v: Value = serde_json::from_str(&ok(&run(
        dir,
        &[
            "verify",
            "vc.json",
            "--online",
            "--ca",
            "ca.pem",
            "--allow-private",
            "--did-cache",
            "cache.json",
            "--did-ttl",
            "1",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(v["verdict"], "issuer_not_checked", "{v}");
    assert_eq!(v["did_document"]["stale"], true, "{v}");
}

#[test]
fn plain_http_registry_needs_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("reg")).unwrap();
    ok(&run(dir, &["key", "generate", "--out", "moh.key"]));
    let (_server, port) = serve(dir, &["--http"]);
    let did = issue_under_web(dir, port);
    let o = run(dir, &["verify", "vc.json", "--online", "--allow-private"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = run(
        dir,
        &["verify", "vc.json", "--online", "--allow-http-loopback"],
    );
    ok(&o);
    // did resolve and did bundle against the same registry.
    let doc: Value = serde_json::from_str(&ok(&run(
        dir,
        &["did", "resolve", &did, "--allow-http-loopback"],
    )))
    .unwrap();
    assert_eq!(doc["id"], did.as_str());
    ok(&run(
        dir,
        &[
            "did",
            "bundle",
            &did,
            "--out",
            "b.json",
            "--allow-http-loopback",
        ],
    ));
    let o = run(dir, &["verify", "vc.json", "--bundle", "b.json"]);
    ok(&o);
    // A network flag without --online is an error, not a silent no-op.
    let o = run(dir, &["verify", "vc.json", "--allow-http-loopback"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn revocation_through_the_register_and_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("reg")).unwrap();
    ok(&run(dir, &["key", "generate", "--out", "moh.key"]));
    let (_server, port) = serve(dir, &["--ca-out", "ca.pem"]);
    let base = format!("https://127.0.0.1:{port}/status");
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(RECORD).unwrap()).unwrap();
    for (name, hcid) in [
        ("one.json", "URN:UVCI:01:UT:AAAA#1"),
        ("two.json", "URN:UVCI:01:UT:BBBB#2"),
    ] {
        record["subject"]["certificate"]["hcid"] = hcid.into();
        std::fs::write(
            dir.join("record.json"),
            serde_json::to_vec(&record).unwrap(),
        )
        .unwrap();
        ok(&run(
            dir,
            &[
                "issue",
                "--key",
                "moh.key",
                "--record",
                "record.json",
                "--status-base",
                &base,
                "--out",
                name,
            ],
        ));
    }
    // A certificate is issued once; --reissue replaces a lost copy, with
    // the same status entries.
    let before: Value =
        serde_json::from_slice(&std::fs::read(dir.join("two.json")).unwrap()).unwrap();
    let again = [
        "issue",
        "--key",
        "moh.key",
        "--record",
        "record.json",
        "--status-base",
        &base,
        "--out",
        "two.json",
    ];
    let o = run(dir, &again);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already issued"));
    ok(&run(dir, &[&again[..], &["--reissue"]].concat()));
    let after: Value =
        serde_json::from_slice(&std::fs::read(dir.join("two.json")).unwrap()).unwrap();
    assert_eq!(before["credentialStatus"], after["credentialStatus"]);

    ok(&run(
        dir,
        &["status", "publish", "--key", "moh.key", "--dir", "reg"],
    ));
    let online = ["--online", "--ca", "ca.pem", "--allow-private", "--json"];
    let verdict = |file: &str| -> (i32, Value) {
        let o = run(dir, &[&["verify", file][..], &online].concat());
        (
            o.status.code().unwrap(),
            serde_json::from_slice(&o.stdout).unwrap(),
        )
    };
    for f in ["one.json", "two.json"] {
        let (code, v) = verdict(f);
        assert_eq!(code, 0, "{v}");
        assert_eq!(v["checks"][5]["status"], "passed", "{v}");
    }
    ok(&run(
        dir,
        &[
            "status",
            "revoke",
            "--hcid",
            "URN:UVCI:01:UT:AAAA#1",
            "--key",
            "moh.key",
            "--dir",
            "reg",
        ],
    ));
    let (code, v) = verdict("one.json");
    assert_eq!((code, v["verdict"].as_str()), (1, Some("revoked")), "{v}");
    assert_eq!(verdict("two.json").0, 0);
    ok(&run(
        dir,
        &[
            "status",
            "suspend",
            "--hcid",
            "URN:UVCI:01:UT:BBBB#2",
            "--key",
            "moh.key",
            "--dir",
            "reg",
        ],
    ));
    assert_eq!(verdict("two.json").1["verdict"], "suspended");
    ok(&run(
        dir,
        &[
            "status",
            "reinstate",
            "--hcid",
            "URN:UVCI:01:UT:BBBB#2",
            "--key",
            "moh.key",
            "--dir",
            "reg",
        ],
    ));
    assert_eq!(verdict("two.json").0, 0);
    // A revocation is final, and unknown certificates are named.
    let o = run(
        dir,
        &[
            "status",
            "reinstate",
            "--hcid",
            "URN:UVCI:01:UT:AAAA#1",
            "--key",
            "moh.key",
            "--dir",
            "reg",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        dir,
        &[
            "status", "revoke", "--hcid", "nope", "--key", "moh.key", "--dir", "reg",
        ],
    );
    assert_eq!(o.status.code(), Some(2));

    // The register holds no personal data: no name, no birth date.
    let mut bytes = std::fs::read(dir.join("register.sqlite")).unwrap();
    for extra in ["register.sqlite-wal", "register.sqlite-shm"] {
        if let Ok(b) = std::fs::read(dir.join(extra)) {
            bytes.extend(b);
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("URN:UVCI:01:UT:AAAA#1"),
        "the register has the HCIDs"
    );
    for personal in ["Jane", "Citizen", "CITIZEN", "1961-05-15", "PT123F"] {
        assert!(!text.contains(personal), "{personal} found in the register");
    }
}
