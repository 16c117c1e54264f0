//! `ddcc verify --status-list`: revoked is exit 1 with its own verdict, a
//! stale or foreign list is "status unknown" (exit 2), and a credential
//! whose status cannot be checked is never valid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{RECORD, ok, run};
use ddcc::status::{Purpose, StatusList};
use serde_json::Value;

const LIST: &str = "https://status.example/lists/r1";

fn read(dir: &Path, f: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(f)).unwrap()).unwrap()
}

fn write(dir: &Path, f: &str, v: &Value) {
    std::fs::write(dir.join(f), serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

/// A signed list with `set` indexes revoked, signed with `key`.
fn list(dir: &Path, name: &str, issuer: &str, key: &str, set: &[usize]) {
    let mut l = StatusList::new(LIST, Purpose::Revocation);
    for i in set {
        l.bits.set(*i, true).unwrap();
    }
    write(
        dir,
        "list-unsigned.json",
        &l.to_credential(issuer, "2025-01-01T00:00:00Z", None),
    );
    ok(&run(
        dir,
        &["sign", "--key", key, "list-unsigned.json", "--out", name],
    ));
}

fn verdict(dir: &Path, args: &[&str]) -> (i32, Value) {
    let o = run(dir, &[&["verify", "--json"][..], args].concat());
    (
        o.status.code().unwrap(),
        serde_json::from_slice(&o.stdout).unwrap(),
    )
}

#[test]
fn revocation_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let issuer = ok(&run(d, &["key", "generate", "--out", "issuer.key"]));
    let other = ok(&run(d, &["key", "generate", "--out", "other.key"]));
    ok(&run(
        d,
        &[
            "issue",
            "--key",
            "issuer.key",
            "--record",
            RECORD,
            "--out",
            "plain.json",
        ],
    ));
    for (name, index) in [("a.json", 42), ("b.json", 99_999)] {
        let mut vc = read(d, "plain.json");
        let map = vc.as_object_mut().unwrap();
        map.remove("proof");
        map.insert(
            "credentialStatus".into(),
            ddcc::status::StatusEntry {
                purpose: Purpose::Revocation,
                index,
                list_url: LIST.into(),
            }
            .to_json(),
        );
        write(d, "unsigned.json", &vc);
        ok(&run(
            d,
            &[
                "sign",
                "--key",
                "issuer.key",
                "unsigned.json",
                "--out",
                name,
            ],
        ));
    }

    // No list given: status unknown, exit 2.
    let (code, v) = verdict(d, &["a.json"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(v["code"], "status_unknown");

    // a.json revoked, b.json not.
    list(d, "list.json", &issuer, "issuer.key", &[42]);
    let (code, v) = verdict(d, &["a.json", "--status-list", "list.json"]);
    assert_eq!((code, v["verdict"].as_str()), (1, Some("revoked")), "{v}");
    let (code, v) = verdict(d, &["b.json", "--status-list", "list.json"]);
    assert_eq!(code, 0, "{v}");
    let o = run(d, &["verify", "a.json", "--status-list", "list.json"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("REVOKED"));

    // The same list, two days old: stale, status unknown.
    let touched = std::process::Command::new("touch")
        .args(["-d", "2 days ago", "list.json"])
        .current_dir(d)
        .status()
        .unwrap();
    assert!(touched.success());
    let (code, v) = verdict(d, &["b.json", "--status-list", "list.json"]);
    assert_eq!(
        (code, v["code"].as_str()),
        (2, Some("status_unknown")),
        "{v}"
    );
    let (code, _) = verdict(
        d,
        &[
            "b.json",
            "--status-list",
            "list.json",
            "--status-max-age",
            "259200",
        ],
    );
    assert_eq!(code, 0);

    // A list signed by another issuer is refused.
    list(d, "foreign.json", &other, "other.key", &[]);
    let (code, v) = verdict(d, &["b.json", "--status-list", "foreign.json"]);
    assert_eq!(
        (code, v["code"].as_str()),
        (2, Some("status_unknown")),
        "{v}"
    );
    assert!(
        v["message"].as_str().unwrap().contains("not issued by"),
        "{v}"
    );
}
