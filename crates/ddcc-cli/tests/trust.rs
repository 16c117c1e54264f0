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
            "--valid-from",
            "2000-01-01T00:00:00Z",
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

#[test]
fn one_trust_configuration_for_every_format() {
    let Some(v) = ddcc_test_support::vectors("ddcc verify --trust-config") else {
        return;
    };
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
    // The EU test data's German signer as a file.
    let de: Value = serde_json::from_str(
        &std::fs::read_to_string(v.join("eu-dcc-testdata/DE/1.json")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        d.join("de.pem"),
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            de["TESTCTX"]["CERTIFICATE"].as_str().unwrap()
        ),
    )
    .unwrap();
    std::fs::write(d.join("de.txt"), de["PREFIX"].as_str().unwrap()).unwrap();
    let vs = v.display();
    std::fs::write(
        d.join("trust.toml"),
        format!(
            r#"
[[ddcc_list]]
file = "signed.json"
anchors = ["{anchor}"]

[eu_dcc]
dsc = ["de.pem"]

[[shc]]
iss = "https://spec.smarthealth.cards/examples/issuer"
name = "SMART example issuer"
jwks = "{vs}/smart-health-cards/issuer/well-known/jwks.json"

[[divoc]]
name = "DIVOC dev"
method = "did:india"
key = "{vs}/divoc/keys/divoc-dev-rsa-public.pem"
contexts = ["https://divoc.dev/credentials/vaccination/v1={vs}/divoc/contexts/cowin-vaccination-v1.jsonld"]
"#
        ),
    )
    .unwrap();
    let verify = |args: &[&str]| {
        let o = run(
            d,
            &[
                &["verify", "--json", "--trust-config", "trust.toml"][..],
                args,
            ]
            .concat(),
        );
        (o.status.code(), json(&o))
    };
    // DDCC Data Integrity: accredited, naming the list; a stranger: unknown.
    let (code, j) = verify(&["moh.json"]);
    assert_eq!(
        (code, j["verdict"].as_str()),
        (Some(0), Some("valid")),
        "{j}"
    );
    assert!(
        j["checks"][4]["message"]
            .as_str()
            .unwrap()
            .contains("accredited for UTO on the trust list 'Utopia issuers'"),
        "{j}"
    );
    let (code, j) = verify(&["stranger.json"]);
    assert_eq!(
        (code, j["verdict"].as_str()),
        (Some(1), Some("unknown_issuer")),
        "{j}"
    );
    // EU DCC, by the signer file of the configuration.
    let (code, j) = verify(&["de.txt", "--at", "2021-06-01T20:00:00+02:00"]);
    assert_eq!(
        (code, j["verdict"].as_str()),
        (Some(0), Some("valid")),
        "{j}"
    );
    assert!(
        j["trust"]["list"].as_str().unwrap().contains("de.pem"),
        "{j}"
    );
    // SMART Health Card, by the issuer entry.
    let (code, j) = verify(&[
        v.join("smart-health-cards/examples/example-00-d-jws.txt")
            .to_str()
            .unwrap(),
        "--at",
        "2023-11-14T22:13:20Z",
    ]);
    assert_eq!(
        (code, j["verdict"].as_str()),
        (Some(0), Some("valid")),
        "{j}"
    );
    assert!(
        j["trust"]["list"]
            .as_str()
            .unwrap()
            .contains("SMART example issuer"),
        "{j}"
    );
    // DIVOC, by the deployment's key.
    let cert = v.join("divoc/signed/divoc-dev-v1-rsa2018-valid.json");
    let issued: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(issued["issuanceDate"].as_str().unwrap())
        .unwrap()
        + chrono::Duration::minutes(1);
    let (code, j) = verify(&[cert.to_str().unwrap(), "--at", &at.to_rfc3339()]);
    assert_eq!(
        (code, j["verdict"].as_str()),
        (Some(0), Some("valid")),
        "{j}"
    );
    assert!(
        j["trust"]["list"].as_str().unwrap().contains("DIVOC dev"),
        "{j}"
    );

    // The configuration as a checkpoint reads it.
    let o = run(d, &["trust", "check", "--config", "trust.toml"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    for line in [
        "[ok  ] ddcc_list 'Utopia issuers'",
        "[ok  ] eu_dcc",
        "[ok  ] shc 'SMART example issuer'",
        "[ok  ] divoc 'DIVOC dev'",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }

    // Without any trust: a genuine signature, never valid; --require-trust
    // makes it exit 2.
    let o = run(d, &["verify", "stranger.json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("SIGNATURE VALID, ISSUER NOT CHECKED"));
    let o = run(d, &["verify", "--require-trust", "stranger.json"]);
    assert_eq!(o.status.code(), Some(2));

    // The list tampered: every DID issuer is could not verify (the
    // configuration's other sources still work).
    let mut list: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("signed.json")).unwrap()).unwrap();
    list["credentialSubject"]["accreditedIssuer"][0]["jurisdiction"] = serde_json::json!(["XXA"]);
    std::fs::write(d.join("signed.json"), list.to_string()).unwrap();
    let o = run(
        d,
        &[
            "verify",
            "--json",
            "--trust-config",
            "trust.toml",
            "moh.json",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be used"));
    let j = json(&o);
    assert_eq!(
        (o.status.code(), j["verdict"].as_str()),
        (Some(2), Some("could_not_verify")),
        "{j}"
    );
    assert_eq!(j["code"], "trust_list_invalid");
    let (code, j) = verify(&["de.txt", "--at", "2021-06-01T20:00:00+02:00"]);
    assert_eq!(
        (code, j["verdict"].as_str()),
        (Some(0), Some("valid")),
        "{j}"
    );
    let o = run(d, &["trust", "check", "--json", "--config", "trust.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let j = json(&o);
    assert_eq!(j["sources"][0]["code"], "trust_list_invalid", "{j}");
    assert_eq!(j["sources"][1]["usable"], true, "{j}");

    // A did:web trust list named on the command line: refused, pointing to
    // a configuration where its signer is pinned (its proofs must verify
    // against a root the operator names, not against HTTPS).
    let o = run(
        d,
        &[
            "verify",
            "--trust",
            "did:web:tng-cdn-dev.who.int:v2:trustlist",
            "moh.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--trust-config"));

    // A configuration that names a file that is not there: refused before
    // anything is verified.
    std::fs::write(d.join("bad.toml"), "[eu_dcc]\ndsc = [\"missing.pem\"]\n").unwrap();
    let o = run(d, &["verify", "--trust-config", "bad.toml", "moh.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.pem"));
}
