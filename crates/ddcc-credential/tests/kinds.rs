//! Test-result (DDCC:TR) and recovery credentials: issued from their
//! records with their own types, schemas and code equivalents, verified
//! with every check, refused when the record or the type/schema pairing is
//! wrong, and presented selectively as SD-JWT VCs by the same profiles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::sdjwt::{builtin_profiles, verify_sd_jwt_vc};
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, IssueError, Issuer, Verifier};
use ddcc_crypto::SecretKey;
use ddcc_sd::{OsSalts, VerifyOptions, present};
use serde_json::Value;

const TEST: &str = include_str!("../../../examples/records/test-negative.json");
const RECOVERY: &str = include_str!("../../../examples/records/recovery.json");

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 7, 12, 9, 0, 0).single().unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(at())).unwrap()
}

fn schema_report(v: &ddcc_credential::Verdict) -> (CheckStatus, &'static str, String) {
    let r = v
        .reports()
        .iter()
        .find(|r| r.check == Check::Schema)
        .unwrap();
    (r.status, r.code, r.message.clone())
}

#[tokio::test]
async fn test_result_and_recovery_credentials_issue_and_verify() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    for (text, ty, subject_ty, schema, member) in [
        (
            TEST,
            "DDCCTestResultCredential",
            "DDCCTestResultSubject",
            "ddcc-tr-subject-1.0.0",
            "test",
        ),
        (
            RECOVERY,
            "DDCCRecoveryCredential",
            "DDCCRecoverySubject",
            "ddcc-rc-subject-1.0.0",
            "recovery",
        ),
    ] {
        let record: Value = serde_json::from_str(text).unwrap();
        let vc = issuer.issue(&record, at()).await.unwrap();
        assert_eq!(vc["type"][1], ty);
        assert_eq!(vc["credentialSubject"]["type"], subject_ty);
        assert!(
            vc["credentialSchema"]["id"]
                .as_str()
                .unwrap()
                .contains(schema),
            "{}",
            vc["credentialSchema"]
        );
        assert!(vc["credentialSubject"][member].is_object());
        let v = verifier().verify(&vc, Checks::all()).await;
        assert!(v.is_authentic(), "{}", v.to_text());
        let (status, _, message) = schema_report(&v);
        assert_eq!(status, CheckStatus::Passed);
        assert!(message.contains(schema), "{message}");
    }
    // Codes carry their equivalents for checkpoints without a terminology
    // server: the EU's SNOMED code for "not detected", LOINC for NAAT.
    let record: Value = serde_json::from_str(TEST).unwrap();
    let vc = issuer.issue(&record, at()).await.unwrap();
    let t = &vc["credentialSubject"]["test"];
    let codes = |v: &Value| -> Vec<String> {
        v["equivalents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(codes(&t["result"]).contains(&"260415000".to_owned()));
    assert!(codes(&t["testType"]).contains(&"LP6464-4".to_owned()));
    assert_eq!(codes(&t["pathogen"]), ["840533007"]);
    assert_eq!(t["sampleDate"], "2021-07-08T08:30:00+02:00");
}

#[tokio::test]
async fn bad_records_and_mismatched_types_are_refused() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    // A test without a result: refused, naming the field, not a value.
    let mut record: Value = serde_json::from_str(TEST).unwrap();
    record["subject"]["test"]
        .as_object_mut()
        .unwrap()
        .remove("result");
    let e = issuer.issue(&record, at()).await.unwrap_err();
    assert!(matches!(e, IssueError::Schema(_)), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("/subject/test") && text.contains("result"),
        "{text}"
    );
    // A sample time without a time zone.
    let mut record: Value = serde_json::from_str(TEST).unwrap();
    record["subject"]["test"]["sampleDate"] = "2021-07-08T08:30:00".into();
    assert!(matches!(
        issuer.issue(&record, at()).await.unwrap_err(),
        IssueError::Schema(_)
    ));
    // A recovery certificate needs its validity window.
    let mut record: Value = serde_json::from_str(RECOVERY).unwrap();
    record.as_object_mut().unwrap().remove("validUntil");
    let e = issuer.issue(&record, at()).await.unwrap_err();
    assert!(e.to_string().contains("validUntil"), "{e}");
    // Two events in one record: refused (one event per certificate).
    let mut record: Value = serde_json::from_str(TEST).unwrap();
    let rec: Value = serde_json::from_str(RECOVERY).unwrap();
    record["subject"]["recovery"] = rec["subject"]["recovery"].clone();
    assert!(matches!(
        issuer.issue(&record, at()).await.unwrap_err(),
        IssueError::Schema(_)
    ));

    // A correctly signed credential whose type says vaccination but whose
    // schema and subject are a test result: the schema check fails.
    let record: Value = serde_json::from_str(TEST).unwrap();
    let mut vc = issuer.credential_from_record(&record, at()).unwrap();
    vc["type"][1] = "DDCCVaccinationCredential".into();
    let signed = issuer.sign_document(vc, at()).await.unwrap();
    let v = verifier().verify(&signed, Checks::all()).await;
    assert!(!v.is_authentic());
    let (status, code, _) = schema_report(&v);
    assert_eq!((status, code), (CheckStatus::Failed, "schema_mismatch"));
    // A test-result subject that breaks its schema, correctly signed.
    let mut vc = issuer.credential_from_record(&record, at()).unwrap();
    vc["credentialSubject"]["test"]["country"] = "utopia".into();
    let signed = issuer.sign_document(vc, at()).await.unwrap();
    let v = verifier().verify(&signed, Checks::all()).await;
    let (status, code, message) = schema_report(&v);
    assert_eq!((status, code), (CheckStatus::Failed, "schema_violation"));
    assert!(
        message.contains("/test/country") && !message.contains("utopia"),
        "{message}"
    );
}

#[test]
fn sd_jwt_test_results_present_by_profile() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(TEST).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, at(), None, &mut OsSalts)
        .unwrap();
    let mut o = VerifyOptions::at(at().timestamp());
    o.require_key_binding = false;
    let v = verify_sd_jwt_vc(sd.as_str(), &o).unwrap();
    assert_eq!(v.claims["vct"], "https://w3id.org/ddcc/vct/test-result/v1");
    assert_eq!(v.claims["test"]["centre"], "Test Centre 4");
    let checkpoint = builtin_profiles()
        .into_iter()
        .find(|p| p.name == "checkpoint")
        .unwrap();
    let text = present(&sd, &checkpoint.reveal, None).unwrap();
    let shown = verify_sd_jwt_vc(&text, &o).unwrap().claims;
    for path in [
        "/name",
        "/birthDate",
        "/test/pathogen",
        "/test/testType",
        "/test/sampleDate",
        "/test/result",
    ] {
        assert!(shown.pointer(path).is_some(), "{path} missing");
    }
    for path in [
        "/test/centre",
        "/test/brand",
        "/test/origin",
        "/test/country",
        "/certificate/hcid",
    ] {
        assert!(shown.pointer(path).is_none(), "{path} disclosed");
    }
}
