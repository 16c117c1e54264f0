//! Issue → verify round trips, tampering, issuer binding, validity and bad
//! input, through the library API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{
    Check, CheckStatus, Checks, FixedClock, IssueError, Issuer, Outcome, Verifier,
};
use ddcc_crypto::SecretKey;
use serde_json::{Value, json};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");
const BOOSTER: &str = include_str!("../../../examples/records/booster.json");
const PARTIAL: &str = include_str!("../../../examples/records/partial-birth-date.json");

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap()
}

fn verifier_at(t: DateTime<Utc>) -> Verifier {
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(t)).unwrap()
}

async fn issued(record: &str) -> (Issuer, Value) {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(record).unwrap();
    let vc = issuer.issue(&record, at(2025, 3, 1)).await.unwrap();
    (issuer, vc)
}

fn failed_check(verdict: &ddcc_credential::Verdict) -> Check {
    match verdict.outcome() {
        Outcome::Invalid(r) => r.check,
        other => panic!("expected invalid, got {other:?}\n{}", verdict.to_text()),
    }
}

#[tokio::test]
async fn every_sample_record_issues_and_verifies() {
    for record in [RECORD, BOOSTER, PARTIAL] {
        let (issuer, vc) = issued(record).await;
        assert_eq!(vc["issuer"], issuer.did().as_str());
        assert_eq!(
            vc["type"],
            json!(["VerifiableCredential", "DDCCVaccinationCredential"])
        );
        assert_eq!(vc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert_eq!(vc["credentialSubject"]["type"], "DDCCVaccinationSubject");
        let verdict = verifier_at(at(2025, 6, 1)).verify(&vc, Checks::all()).await;
        assert!(verdict.is_authentic(), "{}", verdict.to_text());
        for r in verdict.reports() {
            // No trust list is given and the credential has no status
            // entry: those two checks do not apply.
            let expected = if matches!(
                r.check,
                ddcc_credential::Check::Trust | ddcc_credential::Check::Status
            ) {
                CheckStatus::NotApplicable
            } else {
                CheckStatus::Passed
            };
            assert_eq!(r.status, expected, "{:?}", r);
        }
        // Nobody vouched for the issuer: genuine, never valid, and no
        // verified credential is handed out.
        assert!(
            matches!(
                verdict.outcome(),
                ddcc_credential::Outcome::IssuerNotChecked(r) if r.code == "no_trust_list"
            ),
            "{}",
            verdict.to_text()
        );
        assert!(!verdict.is_valid());
        assert!(verdict.verified().is_none());
        assert_eq!(verdict.to_json()["verdict"], "issuer_not_checked");
        assert!(
            verdict
                .to_text()
                .starts_with("SIGNATURE VALID, ISSUER NOT CHECKED")
        );
        assert_eq!(verdict.exit_code(), 0);
        // Verifying the serialised text gives the same verdict.
        let text = serde_json::to_string(&vc).unwrap();
        assert!(
            verifier_at(at(2025, 6, 1))
                .verify_str(&text, Checks::all())
                .await
                .is_authentic()
        );
    }
}

#[tokio::test]
async fn icd11_codes_get_equivalents_and_normalised_system() {
    let (_, vc) = issued(BOOSTER).await;
    let brand = &vc["credentialSubject"]["vaccination"]["brand"];
    assert_eq!(brand["system"], "http://id.who.int/icd11/mms");
    assert_eq!(brand["equivalents"][0]["code"], "EU/1/20/1507");
    assert_eq!(brand["equivalents"][1]["code"], "207");
}

/// Every leaf of the subject, with a changed value of the same type.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(o) => {
            for (k, c) in o {
                leaves(c, format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                leaves(c, format!("{path}/{i}"), out);
            }
        }
        Value::String(s) => {
            let changed = if s.starts_with("http") {
                format!("{s}x")
            } else if s.len() >= 10 && s.as_bytes()[4] == b'-' {
                // A date: move it one year.
                let year: i32 = s[..4].parse().unwrap();
                format!("{}{}", year + 1, &s[4..])
            } else if s.chars().all(|c| c.is_ascii_uppercase() || c == '<') {
                format!("{s}X")
            } else {
                format!("{s}x")
            };
            out.push((path, Value::from(changed)));
        }
        Value::Number(n) => out.push((path, json!(n.as_u64().unwrap() + 1))),
        _ => {}
    }
}

#[tokio::test]
async fn changing_any_one_subject_field_is_caught_by_the_proof() {
    let (_, vc) = issued(RECORD).await;
    let mut paths = Vec::new();
    leaves(
        &vc["credentialSubject"],
        "/credentialSubject".into(),
        &mut paths,
    );
    assert!(paths.len() >= 25, "{}", paths.len());
    let v = verifier_at(at(2025, 6, 1));
    for (path, value) in paths {
        let mut t = vc.clone();
        *t.pointer_mut(&path).unwrap() = value;
        let verdict = v.verify(&t, Checks::all()).await;
        assert_eq!(verdict.exit_code(), 1, "{path}");
        assert_eq!(
            verdict.report(Check::Proof).unwrap().status,
            CheckStatus::Failed,
            "{path}"
        );
        assert_eq!(failed_check(&verdict), Check::Proof, "{path}");
    }
}

#[tokio::test]
async fn changing_issuer_dates_or_proof_is_invalid_and_named() {
    let (_, vc) = issued(RECORD).await;
    let v = verifier_at(at(2025, 6, 1));
    let other = ddcc_did::did_key_for(&SecretKey::generate().public_key());
    let cases: Vec<(&str, Value)> = vec![
        ("/issuer", Value::from(other.as_str())),
        ("/validFrom", Value::from("2025-02-01T00:00:00Z")),
        ("/validUntil", Value::from("2031-07-09T00:00:00Z")),
        ("/proof/created", Value::from("2025-03-01T12:00:01Z")),
        (
            "/proof/proofValue",
            Value::from(
                "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKJu1ZsM4ZoUGqQ3",
            ),
        ),
    ];
    for (path, value) in cases {
        let mut t = vc.clone();
        *t.pointer_mut(path).unwrap() = value;
        let verdict = v.verify(&t, Checks::all()).await;
        assert_eq!(verdict.exit_code(), 1, "{path}\n{}", verdict.to_text());
        assert_eq!(failed_check(&verdict), Check::Proof, "{path}");
    }
    // Proof dates that are not dateTimeStamps, and a proof past its
    // expiry: refused as such, before the signature is looked at.
    for (member, value, code) in [
        ("created", "invalidDate", "malformed_proof"),
        ("created", "2025-03-01T12:00:01", "malformed_proof"),
        ("expires", "Sat 25 Feb 2023", "malformed_proof"),
        ("expires", "2025-05-31T00:00:00Z", "proof_expired"),
    ] {
        let mut t = vc.clone();
        t["proof"][member] = value.into();
        let verdict = v.verify(&t, Checks::all()).await;
        let report = verdict.report(Check::Proof).unwrap();
        assert_eq!(
            (report.status, report.code),
            (CheckStatus::Failed, code),
            "{member} {value}"
        );
    }
    // Changing the verification method to another key of another DID.
    let mut t = vc.clone();
    t["proof"]["verificationMethod"] =
        Value::from(format!("{other}#{}", other.method_specific_id()));
    let verdict = v.verify(&t, Checks::all()).await;
    assert_eq!(verdict.exit_code(), 1);
    assert_eq!(
        verdict.report(Check::Proof).unwrap().status,
        CheckStatus::Failed
    );
    assert_eq!(
        verdict.report(Check::Issuer).unwrap().status,
        CheckStatus::Failed
    );
}

#[tokio::test]
async fn issuer_b_signed_with_key_a_fails_issuer_binding_only() {
    let a = Issuer::new(SecretKey::generate()).unwrap();
    let b = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let mut unsigned = b.credential_from_record(&record, at(2025, 3, 1)).unwrap();
    assert_eq!(unsigned["issuer"], b.did().as_str());
    unsigned.as_object_mut().unwrap().remove("proof");
    let forged = a.sign_document(unsigned, at(2025, 3, 1)).await.unwrap();
    let verdict = verifier_at(at(2025, 6, 1))
        .verify(&forged, Checks::all())
        .await;
    assert_eq!(
        verdict.report(Check::Proof).unwrap().status,
        CheckStatus::Passed
    );
    assert_eq!(failed_check(&verdict), Check::Issuer);
    assert_eq!(
        verdict.report(Check::Issuer).unwrap().code,
        "method_not_controlled_by_issuer"
    );
    // Proof alone is fine: the signature itself is good.
    let verdict = verifier_at(at(2025, 6, 1))
        .verify(&forged, Checks::only(&[Check::Proof]))
        .await;
    assert!(verdict.is_authentic());
}

#[tokio::test]
async fn validity_window_uses_the_injected_clock() {
    let (_, vc) = issued(RECORD).await;
    // Expired (validUntil 2031-07-08).
    let verdict = verifier_at(at(2031, 7, 9)).verify(&vc, Checks::all()).await;
    assert_eq!(failed_check(&verdict), Check::Validity);
    assert_eq!(verdict.report(Check::Validity).unwrap().code, "expired");
    // Not yet valid (validFrom = issuance 2025-03-01T12:00:00Z).
    let verdict = verifier_at(at(2025, 2, 28))
        .verify(&vc, Checks::all())
        .await;
    assert_eq!(
        verdict.report(Check::Validity).unwrap().code,
        "not_yet_valid"
    );
    // Within the 5-minute skew it is accepted.
    let just_before = at(2025, 3, 1) - chrono::Duration::seconds(120);
    assert!(
        verifier_at(just_before)
            .verify(&vc, Checks::all())
            .await
            .is_authentic()
    );
    let too_early = at(2025, 3, 1) - chrono::Duration::seconds(400);
    assert!(
        !verifier_at(too_early)
            .verify(&vc, Checks::all())
            .await
            .is_authentic()
    );
    // Proof-only verification ignores the window.
    let verdict = verifier_at(at(2040, 1, 1))
        .verify(&vc, Checks::only(&[Check::Proof]))
        .await;
    assert!(verdict.is_authentic());
}

#[tokio::test]
async fn bad_input_gets_a_clear_verdict_and_no_panic() {
    let (_, vc) = issued(RECORD).await;
    let v = verifier_at(at(2025, 6, 1));
    let cases: Vec<(&str, String, u8)> = vec![
        ("garbage", "\u{0}\u{1}garbage{{".into(), 2),
        ("empty", String::new(), 2),
        ("json string", "\"a credential\"".into(), 2),
        ("number", "42".into(), 2),
        ("array", "[]".into(), 2),
        ("deep nesting", "[".repeat(10_000), 2),
        ("no type", "{}".into(), 1),
    ];
    for (name, text, code) in cases {
        let verdict = v.verify_str(&text, Checks::all()).await;
        assert_eq!(verdict.exit_code(), code, "{name}: {}", verdict.to_text());
        assert!(!verdict.to_text().is_empty());
    }

    let mut null_proof = vc.clone();
    null_proof["proof"] = Value::Null;
    let verdict = v.verify(&null_proof, Checks::all()).await;
    assert_eq!(failed_check(&verdict), Check::Proof);
    assert_eq!(verdict.report(Check::Proof).unwrap().code, "missing_proof");

    let mut unknown_ctx = vc.clone();
    unknown_ctx["@context"][1] = Value::from("https://example.org/not-pinned/v1");
    let verdict = v.verify(&unknown_ctx, Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2, "{}", verdict.to_text());
    assert!(
        verdict
            .to_text()
            .contains("https://example.org/not-pinned/v1")
    );

    let mut inline_ctx = vc.clone();
    inline_ctx["@context"][1] = json!({"dose": "https://evil.example/dose"});
    assert_eq!(v.verify(&inline_ctx, Checks::all()).await.exit_code(), 2);

    let mut undefined = vc.clone();
    undefined["credentialSubject"]["favouriteColour"] = Value::from("blue");
    let verdict = v.verify(&undefined, Checks::all()).await;
    assert_eq!(verdict.exit_code(), 1, "{}", verdict.to_text());
    assert_eq!(
        verdict.report(Check::Proof).unwrap().code,
        "undefined_term",
        "{}",
        verdict.to_text()
    );
    assert!(
        verdict
            .report(Check::Proof)
            .unwrap()
            .message
            .contains("'favouriteColour'")
    );
    assert!(!verdict.to_text().contains("blue"));

    for (path, value) in [
        ("/proof", json!("a string")),
        ("/proof", json!([])),
        ("/proof/type", json!("Ed25519Signature2020")),
        ("/proof/cryptosuite", json!("eddsa-jcs-2022")),
        ("/proof/proofPurpose", json!("authentication")),
        ("/proof/verificationMethod", json!(42)),
        ("/proof/proofValue", json!("not base58")),
        ("/issuer", json!({"name": "no id"})),
        ("/validUntil", json!("tomorrow")),
        ("/credentialSubject", json!("x")),
    ] {
        let mut t = vc.clone();
        *t.pointer_mut(path).unwrap() = value;
        let verdict = v.verify(&t, Checks::all()).await;
        assert_ne!(verdict.exit_code(), 0, "{path}: {}", verdict.to_text());
    }
}

#[tokio::test]
async fn verdicts_never_show_personal_data() {
    let (_, vc) = issued(RECORD).await;
    let mut t = vc.clone();
    t["credentialSubject"]["vaccination"]["lot"] = Value::from("SECRET-LOT-123");
    t["credentialSubject"]["name"] = Value::from("Secret Person Name");
    let verdict = verifier_at(at(2025, 6, 1)).verify(&t, Checks::all()).await;
    // A valid verdict too: its Debug must not show the document.
    let valid = verifier_at(at(2025, 6, 1)).verify(&vc, Checks::all()).await;
    assert!(valid.is_authentic());
    let shown = format!(
        "{}{}{:?}{valid:?}",
        verdict.to_text(),
        verdict.to_json(),
        verdict.outcome()
    );
    for secret in [
        "SECRET-LOT-123",
        "Secret Person",
        "Jane Sue",
        "1961-05-15",
        "PT123F",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[tokio::test]
async fn bad_records_are_refused_before_signing() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let mut record: Value = serde_json::from_str(RECORD).unwrap();
    record["subject"]["vaccination"]["dose"] = json!(0);
    record["subject"]["name"] = json!("");
    match issuer.issue(&record, at(2025, 3, 1)).await {
        Err(IssueError::Schema(e)) => {
            let text = e.to_string();
            assert!(text.contains("/subject/vaccination/dose"), "{text}");
            assert!(text.contains("/subject/name"), "{text}");
        }
        other => panic!("expected a schema error, got {other:?}"),
    }
    let mut record: Value = serde_json::from_str(RECORD).unwrap();
    record["validFrom"] = json!("2032-01-01T00:00:00Z");
    assert!(matches!(
        issuer.issue(&record, at(2025, 3, 1)).await,
        Err(IssueError::EmptyValidity)
    ));
    assert!(matches!(
        issuer.issue(&json!("x"), at(2025, 3, 1)).await,
        Err(IssueError::Schema(_))
    ));
}

#[tokio::test]
async fn schema_check_catches_a_subject_signed_outside_the_schema() {
    // A credential whose subject breaks the schema but is validly signed.
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let mut unsigned = issuer
        .credential_from_record(&record, at(2025, 3, 1))
        .unwrap();
    unsigned["credentialSubject"]["vaccination"]["country"] = Value::from("Utopia");
    let vc = issuer
        .sign_document(unsigned, at(2025, 3, 1))
        .await
        .unwrap();
    let verdict = verifier_at(at(2025, 6, 1)).verify(&vc, Checks::all()).await;
    assert_eq!(failed_check(&verdict), Check::Schema);
    let text = verdict.to_text();
    assert!(text.contains("/vaccination/country"), "{text}");
    assert!(!text.contains("Utopia"), "{text}");
}
