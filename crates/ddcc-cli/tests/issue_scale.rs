//! Batch issuance under stress: SD-JWT VCs with status, a batch killed with
//! SIGKILL at random points and re-run, and two issuing processes sharing
//! one PostgreSQL register.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Stdio;

use base64::Engine as _;
use common::{RECORD, ok, run};
use serde_json::Value;

const BASE: &str = "https://moh.example/status";

/// A records file of `n` records, HCIDs `URN:UVCI:01:UT:{prefix}{i}`.
fn records(dir: &Path, n: usize, prefix: &str) {
    let record: Value = serde_json::from_str(&std::fs::read_to_string(RECORD).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..n {
        let mut r = record.clone();
        r["subject"]["certificate"]["hcid"] = format!("URN:UVCI:01:UT:{prefix}{i:06}").into();
        text.push_str(&serde_json::to_string(&r).unwrap());
        text.push('\n');
    }
    std::fs::write(dir.join("records.jsonl"), text).unwrap();
}

/// The HCID and status entries (list, index) of each output line, for Data
/// Integrity lines and SD-JWT lines alike.
/// One output line: its HCID, its status entries (list, index), its text.
type Line = (String, Vec<(String, String)>, String);

fn lines_of(path: &Path) -> Vec<Line> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.split_inclusive('\n')
        .map(|line| {
            assert!(line.ends_with('\n'), "a half-written line");
            let (hcid, status) = if line.starts_with('{') {
                let v: Value = serde_json::from_str(line).unwrap();
                (
                    v["credentialSubject"]["certificate"]["hcid"].clone(),
                    v["credentialStatus"].clone(),
                )
            } else {
                let mut parts = line.trim_end().split('~');
                let jwt = parts.next().unwrap();
                let payload: Value =
                    serde_json::from_slice(&b64.decode(jwt.split('.').nth(1).unwrap()).unwrap())
                        .unwrap();
                let hcid = parts
                    .filter(|d| !d.is_empty())
                    .map(|d| serde_json::from_slice::<Value>(&b64.decode(d).unwrap()).unwrap())
                    .find(|a| a[1] == "hcid")
                    .map(|a| a[2].clone())
                    .unwrap();
                (hcid, payload["status"]["credentialStatus"].clone())
            };
            let entries = status
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["statusListCredential"].as_str().unwrap().to_owned(),
                        e["statusListIndex"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            (hcid.as_str().unwrap().to_owned(), entries, line.to_owned())
        })
        .collect()
}

fn digest(text: &str) -> String {
    use sha2::Digest as _;
    format!(
        "sha-256:{}",
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    )
}

#[test]
fn sd_jwt_credentials_carry_status_and_revocation_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    records(d, 3, "SD");
    let o = run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--format",
            "sd-jwt",
            "--batch",
            "records.jsonl",
            "--out",
            "out.sdjwt",
            "--status-base",
            BASE,
        ],
    );
    ok(&o);
    let lines = lines_of(&d.join("out.sdjwt"));
    assert_eq!(lines.len(), 3);
    for (i, (_, entries, line)) in lines.iter().enumerate() {
        assert_eq!(entries.len(), 2, "revocation and suspension entries");
        std::fs::write(d.join(format!("c{i}.sdjwt")), line).unwrap();
    }
    ok(&run(
        d,
        &[
            "status",
            "revoke",
            "--hcid",
            &lines[0].0,
            "--key",
            "moh.key",
            "--dir",
            "pub",
        ],
    ));
    ok(&run(
        d,
        &[
            "status",
            "suspend",
            "--hcid",
            &lines[1].0,
            "--key",
            "moh.key",
            "--dir",
            "pub",
        ],
    ));
    let lists = [
        "--status-list",
        "pub/status/revocation-1.json",
        "--status-list",
        "pub/status/suspension-1.json",
    ];
    let verify = |file: &str| {
        let mut args = vec!["verify", file, "--json"];
        args.extend(lists);
        let o = run(d, &args);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code(), v["verdict"].as_str().unwrap().to_owned())
    };
    assert_eq!(verify("c0.sdjwt"), (Some(1), "revoked".into()));
    // The revocation list was also published as an IETF Token Status List,
    // where the revoked card's index reads 1 and the others 0.
    let token = std::fs::read_to_string(d.join("pub/status/revocation-1.jwt")).unwrap();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let part = |i: usize| -> Value {
        serde_json::from_slice(&b64.decode(token.trim().split('.').nth(i).unwrap()).unwrap())
            .unwrap()
    };
    assert_eq!(part(0)["typ"], "statuslist+jwt");
    let lst = part(1)["status_list"]["lst"].as_str().unwrap().to_owned();
    assert_eq!(
        part(1)["sub"],
        "https://moh.example/status/revocation-1.jwt"
    );
    let revoked_idx: usize = lines[0]
        .1
        .iter()
        .find(|(u, _)| u.contains("revocation"))
        .unwrap()
        .1
        .parse()
        .unwrap();
    let other_idx: usize = lines[2]
        .1
        .iter()
        .find(|(u, _)| u.contains("revocation"))
        .unwrap()
        .1
        .parse()
        .unwrap();
    let bit = |idx: usize| {
        use std::io::Read as _;
        let mut bytes = Vec::new();
        flate2::read::ZlibDecoder::new(&b64.decode(&lst).unwrap()[..])
            .read_to_end(&mut bytes)
            .unwrap();
        (bytes[idx / 8] >> (idx % 8)) & 1
    };
    assert_eq!((bit(revoked_idx), bit(other_idx)), (1, 0));
    assert_eq!(verify("c1.sdjwt"), (Some(1), "suspended".into()));
    // Not revoked; no trust list was given, so nobody vouched for the issuer.
    assert_eq!(verify("c2.sdjwt"), (Some(0), "issuer_not_checked".into()));
    // Without the lists the status is unknown, never silently valid.
    let o = run(d, &["verify", "c2.sdjwt"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // A list signed by another issuer is refused.
    ok(&run(d, &["key", "generate", "--out", "other.key"]));
    ok(&run(
        d,
        &[
            "status",
            "publish",
            "--key",
            "other.key",
            "--register",
            "register.sqlite",
            "--dir",
            "forged",
        ],
    ));
    let o = run(
        d,
        &[
            "verify",
            "c0.sdjwt",
            "--status-list",
            "forged/status/revocation-1.json",
            "--status-list",
            "forged/status/suspension-1.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("not issued by the credential's issuer"));
}

/// Checks the output against the register: each record once, no index
/// twice, and for every line the register has its entries and its digest.
fn assert_consistent(d: &Path, out: &str, n: usize) {
    let lines = lines_of(&d.join(out));
    let mut reg = ddcc_register::Register::open(&d.join("register.sqlite"), BASE).unwrap();
    let mut hcids = HashSet::new();
    let mut indexes = HashSet::new();
    for (hcid, entries, line) in &lines {
        assert!(hcids.insert(hcid.clone()), "{hcid} issued twice");
        for e in entries {
            assert!(indexes.insert(e.clone()), "status index {e:?} used twice");
        }
        assert_eq!(
            reg.issued_digest(hcid).unwrap().as_deref(),
            Some(digest(line).as_str()),
            "the register's digest differs from the output line"
        );
        let mut registered: Vec<(String, String)> = reg
            .entries(hcid)
            .unwrap()
            .into_iter()
            .map(|e| (e.list_url, e.index.to_string()))
            .collect();
        let mut written = entries.clone();
        registered.sort();
        written.sort();
        assert_eq!(registered, written, "entries differ from the register's");
    }
    assert_eq!(hcids.len(), n, "records missing from the output");
    assert_eq!(reg.counts().unwrap(), (n as u64, n as u64));
}

#[test]
fn a_batch_killed_at_random_points_completes_exactly_once() {
    use rand_core::RngCore as _;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let n = 8000;
    records(d, n, "K");
    let args = [
        "issue",
        "--key",
        "moh.key",
        "--format",
        "sd-jwt",
        "--batch",
        "records.jsonl",
        "--out",
        "out.sdjwt",
        "--status-base",
        BASE,
    ];
    let mut rng = rand_core::OsRng;
    let mut kills = 0;
    let mut progress = Vec::new();
    for _ in 0..6 {
        let mut child = common::ddcc(d)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill once this run has written something (so the kill lands in
        // the middle of the batch), after a further random delay.
        let before = std::fs::metadata(d.join("out.sdjwt")).map_or(0, |m| m.len());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::fs::metadata(d.join("out.sdjwt")).map_or(0, |m| m.len()) == before
            && child.try_wait().unwrap().is_none()
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the batch made no progress"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let wait = rng.next_u64() % 400;
        std::thread::sleep(std::time::Duration::from_millis(wait));
        if child.try_wait().unwrap().is_none() {
            // SIGKILL: no chance to clean up.
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        // Whatever was killed, what is on disk is consistent so far: no
        // line twice, no index twice (partial last line aside).
        let text = std::fs::read_to_string(d.join("out.sdjwt")).unwrap_or_default();
        let complete = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
        std::fs::write(d.join("so-far.sdjwt"), complete).unwrap();
        let so_far = lines_of(&d.join("so-far.sdjwt"));
        let unique: HashSet<&String> = so_far.iter().map(|l| &l.0).collect();
        assert_eq!(unique.len(), so_far.len(), "a record written twice");
        eprintln!("after {wait} ms: {} lines", so_far.len());
        progress.push(so_far.len());
    }
    // Some runs were killed in the middle of the batch, not before it began
    // or after it ended.
    assert!(
        progress.iter().any(|p| *p > 0 && *p < n),
        "no run was killed mid-batch: {progress:?}"
    );
    assert!(
        kills >= 1,
        "no run was killed: the batch is too small for this machine"
    );
    let o = run(d, &args);
    ok(&o);
    assert_consistent(d, "out.sdjwt", n);
    eprintln!("killed {kills} runs; the output and the register agree on {n} records");
}

#[test]
fn two_processes_share_a_postgres_register() {
    let Some(db) = ddcc_test_support::postgres_database("two_processes_share_a_postgres_register")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let n = 2000;
    records(d, n, "PG");
    // The password is not on the command line: it goes in PGPASSWORD.
    let (url, password) = split_password(&db.url);
    let spawn = |out: &str| {
        let mut c = common::ddcc(d);
        c.args([
            "issue",
            "--key",
            "moh.key",
            "--batch",
            "records.jsonl",
            "--out",
            out,
            "--status-base",
            BASE,
            "--register",
            &url,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        if let Some(p) = &password {
            c.env("PGPASSWORD", p);
        }
        c.spawn().unwrap()
    };
    let a = spawn("a.jsonl");
    let b = spawn("b.jsonl");
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let err_a = String::from_utf8_lossy(&a.stderr).into_owned();
    let err_b = String::from_utf8_lossy(&b.stderr).into_owned();
    assert!(a.status.success() && b.status.success(), "{err_a}\n{err_b}");
    let la = lines_of(&d.join("a.jsonl"));
    let lb = lines_of(&d.join("b.jsonl"));
    let mut by_hcid: HashMap<String, usize> = HashMap::new();
    let mut indexes = HashSet::new();
    for (hcid, entries, _) in la.iter().chain(&lb) {
        *by_hcid.entry(hcid.clone()).or_default() += 1;
        for e in entries {
            assert!(
                indexes.insert(e.clone()),
                "status index {e:?} allocated twice"
            );
        }
    }
    assert!(by_hcid.values().all(|c| *c == 1), "a record issued twice");
    assert_eq!(by_hcid.len(), n, "{err_a}\n{err_b}");
    eprintln!("process a issued {}, process b {}", la.len(), lb.len());
    // Usually both do a share of the work. On a busy machine one process
    // may reserve every record before the other starts; the other must
    // then have found them all held by it, and issued none again.
    for (mine, err) in [(&la, &err_a), (&lb, &err_b)] {
        if mine.is_empty() {
            assert!(
                err.contains(&format!("held by another issuing process {n}")),
                "{err_a}\n{err_b}"
            );
        }
    }

    // A password on the command line is refused.
    if password.is_some() {
        let o = run(
            d,
            &[
                "issue",
                "--key",
                "moh.key",
                "--batch",
                "records.jsonl",
                "--out",
                "c.jsonl",
                "--status-base",
                BASE,
                "--register",
                &db.url,
            ],
        );
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("PGPASSWORD"));
    }
}

/// `postgres://user:pass@host/db` → (`postgres://user@host/db`, `pass`).
fn split_password(url: &str) -> (String, Option<String>) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let (u, p) = user.split_once(':').unwrap();
            (format!("{scheme}://{u}@{host}/{path}"), Some(p.to_owned()))
        }
        _ => (url.to_owned(), None),
    }
}
