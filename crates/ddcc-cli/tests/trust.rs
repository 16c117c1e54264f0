//! `ddcc trust list create|add|sign|show` and `ddcc verify --trust`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{RECORD, ok, run};

use serde_json::Value;

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

#[test]
fn trust_lists_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let anchor = ok(&run(d, &["key", "generate", "--out", "anchor.key"]));
    let moh = ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    ok(&run(d, &["key", "generate", "--out", "stranger.key"]));
    for (key, out) in [("moh.key", "moh.json"), ("stranger.key", "stranger.json")] {
        ok(&run(
            d,
            &["issue", "--key", key, "--record", RECORD, "--out", out],
        ));
    }
    ok(&run(
        d,
        &[
            "trust",
            "list",
            "create",
            "--name",
            "Utopia issuers",
            "--anchor",
            &anchor,
            "--valid-until",
            "2099-01-01T00:00:00Z",
            "--out",
            "list.json",
        ],
    ));
    ok(&run(
        d,
        &[
            "trust",
            "list",
            "add",
            "--list",
            "list.json",
            "--issuer",
            &moh,
            "--type",
            "DDCCVaccinationCredential",
            "--jurisdiction",
            "UTO",
        ],
    ));
    ok(&run(
        d,
        &[
            "trust",
            "list",
            "sign",
            "--list",
            "list.json",
            "--key",
            "anchor.key",
            "--out",
            "signed.json",
        ],
    ));
    let shown = ok(&run(
        d,
        &[
            "trust",
            "list",
            "show",
            "--list",
            "signed.json",
            "--trust-anchor",
            &anchor,
        ],
    ));
    assert!(shown.starts_with("VERIFIED"), "{shown}");
    assert!(shown.contains(&moh), "{shown}");
    // Signing with a key that is not the list's anchor is refused.
    let o = run(
        d,
        &[
            "trust",
            "list",
            "sign",
            "--list",
            "list.json",
            "--key",
            "moh.key",
            "--out",
            "x.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));

    let trust = [
        "--trust",
        "signed.json",
        "--trust-anchor",
        anchor.as_str(),
        "--json",
    ];
    let v = json(&run(d, &[&["verify", "moh.json"][..], &trust].concat()));
    assert_eq!(v["verdict"], "valid", "{v}");
    let o = run(d, &[&["verify", "stranger.json"][..], &trust].concat());
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["verdict"], "unknown_issuer");
    assert_eq!(v["check"], "trust");
    let o = run(
        d,
        &[
            "verify",
            "stranger.json",
            "--trust",
            "signed.json",
            "--trust-anchor",
            &anchor,
        ],
    );
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("UNKNOWN ISSUER"));

    // The list tampered with: refused, and the verdict says so (exit 2).
    let mut t: Value =
        serde_json::from_slice(&std::fs::read(d.join("signed.json")).unwrap()).unwrap();
    t["credentialSubject"]["accreditedIssuer"][0]["jurisdiction"] =
        serde_json::json!(["UTO", "XXA"]);
    std::fs::write(d.join("tampered.json"), serde_json::to_vec(&t).unwrap()).unwrap();
    let o = run(
        d,
        &[
            "verify",
            "moh.json",
            "--trust",
            "tampered.json",
            "--trust-anchor",
            &anchor,
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)["code"], "trust_list_invalid");
    let o = run(
        d,
        &[
            "trust",
            "list",
            "show",
            "--list",
            "tampered.json",
            "--trust-anchor",
            &anchor,
        ],
    );
    assert_eq!(o.status.code(), Some(1));

    // A list past its expiry.
    ok(&run(
        d,
        &[
            "trust",
            "list",
            "create",
            "--name",
            "old",
            "--anchor",
            &anchor,
            "--valid-until",
            "2001-01-01T00:00:00Z",
            "--out",
            "old.json",
        ],
    ));
    ok(&run(
        d,
        &[
            "trust", "list", "add", "--list", "old.json", "--issuer", &moh,
        ],
    ));
    ok(&run(
        d,
        &[
            "trust",
            "list",
            "sign",
            "--list",
            "old.json",
            "--key",
            "anchor.key",
            "--out",
            "old-signed.json",
        ],
    ));
    let o = run(
        d,
        &[
            "verify",
            "moh.json",
            "--trust",
            "old-signed.json",
            "--trust-anchor",
            &anchor,
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)["code"], "trust_list_expired");

    // The wrong anchor.
    let o = run(
        d,
        &[
            "verify",
            "moh.json",
            "--trust",
            "signed.json",
            "--trust-anchor",
            &moh,
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)["code"], "trust_list_not_anchored");
}
