//! The real `ddcc` binary, run in temporary folders.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const RECORD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/records/primary-series-complete.json"
);

fn ddcc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ddcc"))
}

fn run(args: &[&str]) -> Output {
    ddcc().args(args).output().expect("run ddcc")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = ddcc()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().expect("wait")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Generates a key and issues the sample record; returns (dir, key, credential path, DID).
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("issuer.key");
    let o = run(&["key", "generate", "--out", key.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let did = String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_owned();
    assert!(did.starts_with("did:key:z6Mk"), "{did}");
    let secret = std::fs::read_to_string(&key).unwrap();
    let secret: Value = serde_json::from_str(&secret).unwrap();
    let secret = secret["privateKeyMultibase"].as_str().unwrap();
    assert!(!text(&o).contains(secret), "the secret key was printed");
    let vc = dir.path().join("vc.json");
    let o = run(&[
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--record",
        RECORD,
        "--out",
        vc.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    (dir, key, vc, did)
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn write_json(p: &Path, v: &Value) {
    std::fs::write(p, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

#[test]
fn key_file_is_private_and_never_overwritten() {
    let (_dir, key, _, _) = setup();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let before = std::fs::read(&key).unwrap();
    let o = run(&["key", "generate", "--out", key.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert_eq!(std::fs::read(&key).unwrap(), before);
}

#[test]
fn issue_then_verify_is_valid_text_and_json() {
    let (_dir, _, vc, did) = setup();
    // Without a trust list nobody vouched for the issuer: a genuine
    // signature, never "VALID".
    let o = run(&["verify", vc.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).starts_with("SIGNATURE VALID, ISSUER NOT CHECKED"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).starts_with("VALID"));
    // --require-trust makes that "could not verify".
    let o = run(&["verify", "--require-trust", vc.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let o = run(&["verify", "--json", vc.to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "issuer_not_checked");
    assert_eq!(v["check"], "trust");
    assert_eq!(v["code"], "no_trust_list");
    assert_eq!(v["issuer"], did.as_str());
    assert_eq!(v["checks"].as_array().unwrap().len(), 8);
    assert_eq!(v["checks"][4]["check"], "trust");
    assert_eq!(v["checks"][4]["status"], "not_applicable");
    assert_eq!(v["checks"][5]["check"], "status");
    assert_eq!(v["checks"][5]["status"], "not_applicable");
    // From stdin too.
    let o = run_stdin(&["verify", "-"], &std::fs::read(&vc).unwrap());
    assert_eq!(code(&o), 0, "{}", text(&o));
}

#[test]
fn tampering_exits_1_naming_the_check() {
    let (dir, _, vc, _) = setup();
    let original = read_json(&vc);
    let other = run(&[
        "key",
        "generate",
        "--out",
        dir.path().join("other.key").to_str().unwrap(),
    ]);
    let other_did = String::from_utf8(other.stdout).unwrap().trim().to_owned();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/credentialSubject/name", "Someone Else".into(), "proof"),
        ("/credentialSubject/birthDate", "1961-05-16".into(), "proof"),
        ("/credentialSubject/vaccination/dose", 3.into(), "proof"),
        ("/credentialSubject/vaccination/lot", "PT999Z".into(), "proof"),
        ("/issuer", other_did.clone().into(), "proof"),
        ("/validUntil", "2035-01-01T00:00:00Z".into(), "proof"),
        ("/proof/proofValue", "z5C5b9yyKvBJaLZ1BpDsRTDTQcY2uDJD8dCxF86TfnbQHPE9rqL5PBGnBNQpLH3M2C91L7Hmrk3bRxUEDHuVj1Vy".into(), "proof"),
    ];
    let t = dir.path().join("t.json");
    for (path, value, check) in cases {
        let mut doc = original.clone();
        *doc.pointer_mut(path).unwrap() = value;
        write_json(&t, &doc);
        let o = run(&["verify", "--json", t.to_str().unwrap()]);
        assert_eq!(code(&o), 1, "{path}: {}", text(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["verdict"], "invalid", "{path}");
        assert_eq!(v["check"], check, "{path}");
    }
}

#[test]
fn expired_exits_1_with_expired() {
    let (_dir, _, vc, _) = setup();
    let o = run(&[
        "verify",
        "--json",
        "--at",
        "2031-07-09T00:00:00Z",
        vc.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["check"], "validity");
    assert_eq!(v["code"], "expired");
    let o = run(&[
        "verify",
        "--at",
        "2031-07-09T00:00:00Z",
        vc.to_str().unwrap(),
    ]);
    assert!(text(&o).contains("expired"), "{}", text(&o));
}

#[test]
fn bad_input_exits_1_or_2_with_a_message_and_no_panic() {
    let (dir, _, vc, _) = setup();
    let original = read_json(&vc);
    let t = dir.path().join("bad.json");
    let mut null_proof = original.clone();
    null_proof["proof"] = Value::Null;
    let mut unknown_ctx = original.clone();
    unknown_ctx["@context"][1] = "https://example.org/unknown/v1".into();
    let mut undefined = original.clone();
    undefined["credentialSubject"]["nickname"] = "JJ".into();
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("garbage", b"\x00\xffnot json at all".to_vec(), 2, "not"),
        ("json string", b"\"hello\"".to_vec(), 2, "not a credential"),
        (
            "null proof",
            serde_json::to_vec(&null_proof).unwrap(),
            1,
            "no proof",
        ),
        (
            "unknown context",
            serde_json::to_vec(&unknown_ctx).unwrap(),
            2,
            "https://example.org/unknown/v1",
        ),
        (
            "undefined term",
            serde_json::to_vec(&undefined).unwrap(),
            1,
            "the term 'nickname', which no context defines",
        ),
    ];
    for (name, bytes, want, needle) in cases {
        std::fs::write(&t, &bytes).unwrap();
        let o = run(&["verify", t.to_str().unwrap()]);
        let out = text(&o);
        assert_eq!(code(&o), want, "{name}: {out}");
        assert!(out.contains(needle), "{name}: {out}");
        assert!(!out.contains("panicked"), "{name}: {out}");
    }
    // Missing file, unknown check, bad --at: usage errors, exit 2.
    for args in [
        vec!["verify", "/nonexistent/vc.json"],
        vec!["verify", "--checks", "proof,bogus", vc.to_str().unwrap()],
        vec!["verify", "--at", "yesterday", vc.to_str().unwrap()],
        vec!["issue", "--key", "/nonexistent.key", "--record", RECORD],
        vec!["frobnicate"],
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", text(&o));
        assert!(!text(&o).contains("panicked"));
    }
}

#[test]
fn bad_record_is_refused_and_nothing_is_written() {
    let (dir, key, _, _) = setup();
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(RECORD).unwrap()).unwrap();
    record["subject"]["vaccination"]["country"] = "Narnia-Private".into();
    let out = dir.path().join("never.json");
    let o = run_stdin(
        &[
            "issue",
            "--key",
            key.to_str().unwrap(),
            "--record",
            "-",
            "--out",
            out.to_str().unwrap(),
        ],
        &serde_json::to_vec(&record).unwrap(),
    );
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("/subject/vaccination/country"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("Narnia-Private"));
    assert!(!out.exists());
    let o = run_stdin(
        &["issue", "--key", key.to_str().unwrap(), "--record", "-"],
        b"{not json",
    );
    assert_eq!(code(&o), 1, "{}", text(&o));
}

#[test]
fn world_readable_key_is_refused() {
    let (_dir, key, _, _) = setup();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = run(&["issue", "--key", key.to_str().unwrap(), "--record", RECORD]);
        assert_eq!(code(&o), 2);
        assert!(text(&o).contains("chmod 600"), "{}", text(&o));
    }
}

#[test]
fn did_resolve_prints_the_document() {
    let (_dir, _, _, did) = setup();
    let o = run(&["did", "resolve", &did]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["id"], did.as_str());
    assert_eq!(doc["verificationMethod"][0]["type"], "Multikey");
    let o = run(&["did", "resolve", "did:key:zTjsVPtY"]);
    assert_eq!(code(&o), 2);
    assert!(text(&o).contains("invalidPublicKeyLength"), "{}", text(&o));
}

#[test]
fn w3c_vectors_through_the_cli() {
    let Some(vectors) = ddcc_test_support::vectors("CLI W3C vectors") else {
        return;
    };
    let base = vectors.join("w3c-vc-di-eddsa/eddsa-rdfc-2022");
    let signed = base.join("signedDataInt.json");
    let employ = base.join("employ/signedDataInt.json");
    let pin = format!(
        "https://w3id.org/citizenship/v4rc1={}",
        vectors.join("contexts/citizenship-v4rc1.jsonld").display()
    );
    for (file, extra) in [
        (&signed, vec![]),
        (&employ, vec!["--context", pin.as_str()]),
    ] {
        let f = file.to_str().unwrap();
        let mut args = vec!["verify", "--checks", "proof", f];
        args.extend(&extra);
        let o = run(&args);
        assert_eq!(code(&o), 0, "{f}: {}", text(&o));
        let mut args = vec!["verify", "--json", f];
        args.extend(&extra);
        let o = run(&args);
        assert_eq!(code(&o), 1, "{f}: {}", text(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["check"], "issuer", "{f}");
        // Tampered copy: exit 1 either way.
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("t.json");
        let mut doc = read_json(file);
        doc["validFrom"] = "2020-01-01T00:00:00Z".into();
        write_json(&t, &doc);
        for checks in ["proof", "all"] {
            let mut args = vec!["verify", "--checks", checks, t.to_str().unwrap()];
            args.extend(&extra);
            assert_eq!(code(&run(&args)), 1, "{f} {checks}");
        }
    }
    // Its context (citizenship v4rc1) is among the common ones pinned: no
    // --context needed.
    let o = run(&["verify", "--checks", "proof", employ.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // A context nobody pinned: could not verify, naming it.
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("unpinned.json");
    let mut doc = read_json(&employ);
    doc["@context"][1] = "https://w3id.org/citizenship/v9".into();
    write_json(&t, &doc);
    let o = run(&["verify", "--checks", "proof", t.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(text(&o).contains("citizenship/v9"), "{}", text(&o));
}

#[test]
fn demo_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["demo", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("VALID") && out.contains("INVALID"), "{out}");
    let vc = dir.path().join("credential.json");
    assert_eq!(code(&run(&["verify", vc.to_str().unwrap()])), 0);
    assert_eq!(
        code(&run(&[
            "verify",
            dir.path()
                .join("credential-tampered.json")
                .to_str()
                .unwrap()
        ])),
        1
    );
}

#[test]
fn help_exists_for_every_command() {
    for args in [
        vec!["--help"],
        vec!["key", "--help"],
        vec!["key", "generate", "--help"],
        vec!["did", "resolve", "--help"],
        vec!["issue", "--help"],
        vec!["sign", "--help"],
        vec!["verify", "--help"],
        vec!["demo", "--help"],
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(text(&o).contains("Usage"), "{args:?}");
    }
}

#[test]
fn batch_verify_prints_a_line_each_and_a_summary() {
    let (dir, key, vc, did) = setup();
    let good = std::fs::read_to_string(&vc).unwrap();
    let good: Value = serde_json::from_str(&good).unwrap();
    let mut tampered = good.clone();
    tampered["credentialSubject"]["vaccination"]["dose"] = 3.into();
    let second = dir.path().join("vc2.json");
    let o = run(&[
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--record",
        RECORD,
        "--out",
        second.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0);
    let second = read_json(&second);
    let batch = dir.path().join("batch.jsonl");
    let lines = [
        serde_json::to_string(&good).unwrap(),
        serde_json::to_string(&tampered).unwrap(),
        String::new(),
        serde_json::to_string(&second).unwrap(),
        "{not json".to_owned(),
    ];
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend_from_slice(b"\n\xff\xfe not utf-8\n");
    bytes.extend(std::iter::repeat_n(b' ', 1024 * 1024 + 10));
    bytes.extend_from_slice(b"\n");
    std::fs::write(&batch, bytes).unwrap();
    let o = run(&[
        "verify",
        "--batch",
        "--threads",
        "2",
        batch.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 7, "{out}");
    // No trust list: genuine, and nobody vouched for the issuer.
    assert_eq!(rows[0], "1\tSIGNATURE VALID, ISSUER NOT CHECKED");
    assert_eq!(rows[1], "2\tINVALID\tproof\tsignature_mismatch");
    assert_eq!(rows[2], "4\tSIGNATURE VALID, ISSUER NOT CHECKED");
    assert_eq!(rows[3], "5\tCOULD_NOT_VERIFY\tformat\tnot_json");
    assert_eq!(rows[4], "6\tCOULD_NOT_VERIFY\tformat\tnot_utf8");
    assert_eq!(rows[5], "7\tCOULD_NOT_VERIFY\tformat\ttoo_large");
    assert!(rows[6].starts_with("verified 6 credentials in "), "{out}");
    assert!(
        rows[6].contains("valid 0, signature valid but issuer not checked 2, invalid 1, could not verify 3; fast path 3, fallback 0"),
        "{out}"
    );

    let o = run(&["verify", "--batch", "--json", batch.to_str().unwrap()]);
    let out = String::from_utf8(o.stdout).unwrap();
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["verdict"], "issuer_not_checked");
    let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["credentials"], 6);
    assert_eq!(last["summary"]["issuer_not_checked"], 2);
    assert_eq!(last["summary"]["fast_path"], 3);
    assert!(last["summary"]["per_second"].as_f64().unwrap() > 0.0);

    // With a trust list that accredits the issuer: valid.
    let anchor = dir.path().join("anchor.key");
    let o = run(&["key", "generate", "--out", anchor.to_str().unwrap()]);
    let anchor_did = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let list = dir.path().join("list.json");
    let signed = dir.path().join("signed-list.json");
    for args in [
        vec![
            "trust",
            "list",
            "create",
            "--name",
            "Batch issuers",
            "--anchor",
            &anchor_did,
            "--out",
            list.to_str().unwrap(),
        ],
        vec![
            "trust",
            "list",
            "add",
            "--list",
            list.to_str().unwrap(),
            "--issuer",
            &did,
        ],
        vec![
            "trust",
            "list",
            "sign",
            "--list",
            list.to_str().unwrap(),
            "--key",
            anchor.to_str().unwrap(),
            "--out",
            signed.to_str().unwrap(),
        ],
    ] {
        assert_eq!(code(&run(&args)), 0);
    }
    let o = run(&[
        "verify",
        "--batch",
        "--trust",
        signed.to_str().unwrap(),
        "--trust-anchor",
        &anchor_did,
        batch.to_str().unwrap(),
    ]);
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!((rows[0], rows[2]), ("1\tVALID", "4\tVALID"), "{out}");
    assert!(
        rows[6].contains("valid 2, signature valid but issuer not checked 0"),
        "{out}"
    );
}

#[test]
fn issuer_b_signed_with_key_a_exits_1_naming_the_issuer_check() {
    let (dir, key_a, vc, _) = setup();
    let key_b = dir.path().join("b.key");
    let o = run(&["key", "generate", "--out", key_b.to_str().unwrap()]);
    let did_b = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let mut doc = read_json(&vc);
    doc.as_object_mut().unwrap().remove("proof");
    doc["issuer"] = did_b.into();
    let unsigned = dir.path().join("unsigned.json");
    write_json(&unsigned, &doc);
    let forged = dir.path().join("forged.json");
    let o = run(&[
        "sign",
        "--key",
        key_a.to_str().unwrap(),
        "--out",
        forged.to_str().unwrap(),
        unsigned.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = run(&["verify", "--json", forged.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["check"], "issuer");
    assert_eq!(v["code"], "method_not_controlled_by_issuer");
    let o = run(&["verify", "--checks", "proof", forged.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // The same with an eddsa-jcs-2022 proof.
    let o = run(&[
        "sign",
        "--cryptosuite",
        "eddsa-jcs-2022",
        "--key",
        key_a.to_str().unwrap(),
        "--out",
        forged.to_str().unwrap(),
        unsigned.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(read_json(&forged)["proof"]["cryptosuite"], "eddsa-jcs-2022");
    let o = run(&["verify", "--json", forged.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["check"], "issuer");
    let o = run(&["verify", "--checks", "proof", forged.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

#[test]
fn sd_jwt_issue_present_verify() {
    let (dir, key, _, _) = setup();
    let holder_key = dir.path().join("holder.key");
    let o = run(&["key", "generate", "--out", holder_key.to_str().unwrap()]);
    let holder_did = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let sd = dir.path().join("vc.sd-jwt");
    let o = run(&[
        "issue",
        "--format",
        "sd-jwt",
        "--holder",
        &holder_did,
        "--key",
        key.to_str().unwrap(),
        "--record",
        RECORD,
        "--out",
        sd.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let pres = dir.path().join("p.txt");
    let aud = "https://checkpoint.example";
    let o = run(&[
        "present",
        "--credential",
        sd.to_str().unwrap(),
        "--profile",
        "checkpoint",
        "--holder-key",
        holder_key.to_str().unwrap(),
        "--aud",
        aud,
        "--nonce",
        "n-1",
        "--out",
        pres.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = run(&[
        "verify",
        "--json",
        "--aud",
        aud,
        "--nonce",
        "n-1",
        pres.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    // No trust list: everything verified, nobody vouched for the issuer.
    assert_eq!(v["verdict"], "issuer_not_checked");
    assert_eq!(v["holder_bound"], true);
    let disclosed: Vec<&str> = v["disclosed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(disclosed.contains(&"/vaccination/dose"));
    assert!(!disclosed.contains(&"/vaccination/lot"));
    assert!(
        v.get("claims").is_none(),
        "claims are shown only with --show-claims"
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Jane"));
    let o = run(&[
        "verify",
        "--show-claims",
        "--aud",
        aud,
        "--nonce",
        "n-1",
        pres.to_str().unwrap(),
    ]);
    assert!(text(&o).contains("Jane Sue Citizen"));
    // Wrong nonce, wrong audience, no binding where required: exit 1.
    assert_eq!(
        code(&run(&[
            "verify",
            "--aud",
            aud,
            "--nonce",
            "n-2",
            pres.to_str().unwrap()
        ])),
        1
    );
    assert_eq!(
        code(&run(&[
            "verify",
            "--aud",
            "https://x.example",
            "--nonce",
            "n-1",
            pres.to_str().unwrap()
        ])),
        1
    );
    let bare = dir.path().join("bare.txt");
    let o = run(&[
        "present",
        "--credential",
        sd.to_str().unwrap(),
        "--purpose",
        "border-crossing",
        "--require",
        "/vaccination/country",
        "--out",
        bare.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("using profile 'travel'"));
    let o = run(&["verify", "--require-holder-binding", bare.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("no KB-JWT"), "{}", text(&o));
    assert_eq!(code(&run(&["verify", bare.to_str().unwrap()])), 0);
    // A tampered disclosure: exit 1, named.
    let mut t = std::fs::read_to_string(&pres).unwrap();
    let second = t.split('~').nth(1).unwrap().to_owned();
    t = t.replacen(&second, &second.chars().rev().collect::<String>(), 1);
    std::fs::write(&pres, t).unwrap();
    let o = run(&[
        "verify",
        "--aud",
        aud,
        "--nonce",
        "n-1",
        pres.to_str().unwrap(),
    ]);
    assert_ne!(code(&o), 0, "{}", text(&o));
}

#[test]
fn data_integrity_presentation_with_challenge_and_domain() {
    let (dir, key, _, _) = setup();
    let holder_key = dir.path().join("holder.key");
    let o = run(&["key", "generate", "--out", holder_key.to_str().unwrap()]);
    let holder = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let vc = dir.path().join("bound.json");
    let o = run(&[
        "issue",
        "--holder",
        &holder,
        "--key",
        key.to_str().unwrap(),
        "--record",
        RECORD,
        "--out",
        vc.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(read_json(&vc)["credentialSubject"]["id"], holder.as_str());
    let vp = dir.path().join("vp.json");
    let o = run(&[
        "present",
        "--format",
        "di",
        "--credential",
        vc.to_str().unwrap(),
        "--holder-key",
        holder_key.to_str().unwrap(),
        "--challenge",
        "c-1",
        "--domain",
        "https://checkpoint.example",
        "--out",
        vp.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = run(&[
        "verify",
        "--json",
        "--challenge",
        "c-1",
        "--domain",
        "https://checkpoint.example",
        vp.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "issuer_not_checked");
    assert_eq!(v["presentation"]["verdict"], "valid");
    assert_eq!(v["credentials"].as_array().unwrap().len(), 1);
    let o = run(&[
        "verify",
        "--json",
        "--challenge",
        "c-2",
        "--domain",
        "https://checkpoint.example",
        vp.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["presentation"]["code"], "challenge_mismatch");
    let o = run(&[
        "verify",
        "--challenge",
        "c-1",
        "--domain",
        "https://elsewhere.example",
        vp.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(text(&o).contains("domain"), "{}", text(&o));
    // Without the verifier's expectations: a usage error.
    assert_eq!(code(&run(&["verify", vp.to_str().unwrap()])), 2);
}

#[test]
fn did_jwk_holder_for_sd_jwt() {
    let (dir, key, _, _) = setup();
    let holder_key = dir.path().join("holder.key");
    let o = run(&[
        "key",
        "generate",
        "--method",
        "jwk",
        "--out",
        holder_key.to_str().unwrap(),
    ]);
    let holder = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    assert!(holder.starts_with("did:jwk:"), "{holder}");
    let o = run(&["did", "resolve", &holder]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["verificationMethod"][0]["type"], "JsonWebKey2020");
    let sd = dir.path().join("vc.sd-jwt");
    let o = run(&[
        "issue",
        "--format",
        "sd-jwt",
        "--holder",
        &holder,
        "--key",
        key.to_str().unwrap(),
        "--record",
        RECORD,
        "--out",
        sd.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let pres = dir.path().join("p.txt");
    let o = run(&[
        "present",
        "--credential",
        sd.to_str().unwrap(),
        "--profile",
        "travel",
        "--holder-key",
        holder_key.to_str().unwrap(),
        "--aud",
        "https://b.example",
        "--nonce",
        "n",
        "--out",
        pres.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = run(&[
        "verify",
        "--aud",
        "https://b.example",
        "--nonce",
        "n",
        pres.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("holder-bound"));
}

#[test]
fn bbs_key_issue_present_and_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).to_str().unwrap().to_owned();
    let o = run(&[
        "key",
        "generate",
        "--type",
        "bls12381g2",
        "--out",
        &p("issuer.key"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let did = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    // zUC7…, or zUC6… for about one BLS12-381 G2 key in 400.
    assert!(did.starts_with("did:key:zUC"), "{did}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p("issuer.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let key_text = std::fs::read_to_string(p("issuer.key")).unwrap();
    let o = run(&[
        "issue",
        "--format",
        "bbs",
        "--key",
        &p("issuer.key"),
        "--record",
        RECORD,
        "--out",
        &p("base.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let secret: Value = serde_json::from_str(&key_text).unwrap();
    let secret = secret["privateKeyMultibase"].as_str().unwrap();
    for out in [&o.stdout, &o.stderr] {
        assert!(
            !String::from_utf8_lossy(out).contains(secret),
            "no secret key in output"
        );
    }
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(p("base.json")).unwrap()).unwrap();
    assert_eq!(base["proof"]["cryptosuite"], "bbs-2023");
    assert_eq!(base["issuer"], did.as_str());
    assert!(
        base.get("id").is_none(),
        "no credential id: it would link presentations"
    );

    // The holder derives with the checkpoint profile; the verifier accepts it.
    let o = run(&[
        "present",
        "--format",
        "bbs",
        "--credential",
        &p("base.json"),
        "--profile",
        "checkpoint",
        "--out",
        &p("derived.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["verify", "--json", &p("derived.json")]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(v["verdict"], "issuer_not_checked");
    let derived: Value =
        serde_json::from_str(&std::fs::read_to_string(p("derived.json")).unwrap()).unwrap();
    assert!(
        derived["credentialSubject"]["vaccination"]
            .get("lot")
            .is_none()
    );

    // The derived credential as a QR code, read back from the picture.
    let o = run(&[
        "present",
        "--format",
        "bbs",
        "--credential",
        &p("base.json"),
        "--profile",
        "checkpoint",
        "--out",
        &p("derived-qr.json"),
        "--qr",
        &p("derived.png"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        run(&["verify", "--qr", &p("derived.png")]).status.code(),
        Some(0)
    );

    // Chosen pointers instead of a profile.
    let o = run(&[
        "present",
        "--format",
        "bbs",
        "--credential",
        &p("base.json"),
        "--reveal",
        "/credentialSubject/vaccination/dose",
        "--out",
        &p("dose.json"),
    ]);
    assert!(o.status.success());
    let dose: Value =
        serde_json::from_str(&std::fs::read_to_string(p("dose.json")).unwrap()).unwrap();
    assert_eq!(dose["credentialSubject"]["vaccination"]["dose"], 2);
    assert!(dose["credentialSubject"].get("name").is_none());
    assert_eq!(run(&["verify", &p("dose.json")]).status.code(), Some(0));

    // Tampered: exit 1, the proof check named, no value echoed.
    let mut t = derived.clone();
    t["credentialSubject"]["birthDate"] = "1971-05-15".into();
    std::fs::write(p("tampered.json"), t.to_string()).unwrap();
    let o = run(&["verify", "--json", &p("tampered.json")]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["check"], "proof");
    assert!(!v.to_string().contains("1971"));

    // The base credential is not for verifiers.
    let o = run(&["verify", "--json", &p("base.json")]);
    assert_eq!(o.status.code(), Some(1));

    // Issued today, stated to the day: the proof's created and validFrom
    // are revealed in every presentation.
    let created = base["proof"]["created"].as_str().unwrap();
    assert!(created.ends_with("T00:00:00Z"), "{created}");
    assert_eq!(base["validFrom"].as_str(), Some(created));
    // Structural labels, for ddcc holders (unlinkable presentations): an
    // empty HMAC key in the base proof, where the default (the
    // specification's labels, for holders using any bbs-2023 software) has
    // 32 bytes; the derived credential verifies.
    let o = run(&[
        "issue",
        "--format",
        "bbs",
        "--bbs-labels",
        "structural",
        "--key",
        &p("issuer.key"),
        "--record",
        RECORD,
        "--out",
        &p("base-structural.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let structural_base: Value =
        serde_json::from_str(&std::fs::read_to_string(p("base-structural.json")).unwrap()).unwrap();
    let key_len = |b: &Value| {
        ddcc::credential::bbs::decode_base_proof(b["proof"]["proofValue"].as_str().unwrap())
            .unwrap()
            .hmac_key
            .len()
    };
    assert_eq!((key_len(&base), key_len(&structural_base)), (32, 0));
    let o = run(&[
        "present",
        "--format",
        "bbs",
        "--credential",
        &p("base-structural.json"),
        "--profile",
        "checkpoint",
        "--out",
        &p("derived-structural.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        run(&["verify", &p("derived-structural.json")])
            .status
            .code(),
        Some(0)
    );

    // Revocable: status entries from the register (next to the key), lists
    // published by the BLS issuer and checked at the checkpoint.
    let o = run(&[
        "issue",
        "--format",
        "bbs",
        "--key",
        &p("issuer.key"),
        "--record",
        RECORD,
        "--status-base",
        "https://moh.example/status/bbs",
        "--out",
        &p("status.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let with_status: Value =
        serde_json::from_str(&std::fs::read_to_string(p("status.json")).unwrap()).unwrap();
    assert_eq!(with_status["credentialStatus"].as_array().unwrap().len(), 2);
    // Issued once: the same certificate again is refused, nothing written.
    let o = run(&[
        "issue",
        "--format",
        "bbs",
        "--key",
        &p("issuer.key"),
        "--record",
        RECORD,
        "--status-base",
        "https://moh.example/status/bbs",
        "--out",
        &p("again.json"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already issued"));
    assert!(!d.join("again.json").exists());
    let o = run(&[
        "present",
        "--format",
        "bbs",
        "--credential",
        &p("status.json"),
        "--profile",
        "checkpoint",
        "--out",
        &p("status-derived.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let publish = |args: &[&str]| {
        let mut all = args.to_vec();
        let (key, dir) = (p("issuer.key"), p("lists"));
        all.extend(["--key", key.as_str(), "--dir", dir.as_str()]);
        let o = run(&all);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    publish(&["status", "publish"]);
    let list = |name: &str| p(&format!("lists/status/bbs/{name}-1.json"));
    let published: Value =
        serde_json::from_str(&std::fs::read_to_string(list("revocation")).unwrap()).unwrap();
    assert_eq!(published["issuer"], did.as_str());
    assert_eq!(published["proof"]["cryptosuite"], "bbs-2023");
    let verify_status = || {
        let o = run(&[
            "verify",
            "--json",
            &p("status-derived.json"),
            "--status-list",
            &list("revocation"),
            "--status-list",
            &list("suspension"),
        ]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code(), v)
    };
    let (code, v) = verify_status();
    assert_eq!(code, Some(0), "{v}");
    let hcid = "URN:UVCI:01:UT:DADFCC47C7334E45A906DB12FD859FB7#1";
    publish(&["status", "revoke", "--hcid", hcid]);
    let (code, v) = verify_status();
    assert_eq!(
        (code, v["verdict"].as_str()),
        (Some(1), Some("revoked")),
        "{v}"
    );

    // An Ed25519 key file is not a BLS key.
    let o = run(&["key", "generate", "--out", &p("ed.key")]);
    assert!(o.status.success());
    let o = run(&[
        "issue",
        "--format",
        "bbs",
        "--key",
        &p("ed.key"),
        "--record",
        RECORD,
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("BLS12-381"));
}

#[test]
fn untrusted_text_cannot_forge_or_flood_the_verdict() {
    let (dir, _, vc, _) = setup();
    let mut doc = read_json(&vc);
    // An issuer that moves the cursor up, erases the verdict line and
    // writes its own; then one of 900 KB.
    for issuer in [
        "did:web:x\u{1b}[1A\u{1b}[2K\rVALID\n  [ok  ] trust accredited\u{202e}".to_owned(),
        format!("did:web:{}", "a".repeat(900_000)),
    ] {
        doc["issuer"] = issuer.clone().into();
        let forged = dir.path().join("forged.json");
        write_json(&forged, &doc);
        let o = run(&["verify", forged.to_str().unwrap()]);
        assert_eq!(code(&o), 1, "{}", text(&o));
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(out.starts_with("INVALID"), "{out}");
        assert!(
            !out.chars()
                .any(|c| c == '\u{1b}' || c == '\r' || c == '\u{202e}'),
            "{out}"
        );
        assert!(!out.lines().any(|l| l.trim() == "VALID"), "{out}");
        assert!(out.len() < 8 * 1024, "{} bytes", out.len());
        // JSON stays exact.
        let o = run(&["verify", "--json", forged.to_str().unwrap()]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["issuer"], issuer.as_str());
    }
}
