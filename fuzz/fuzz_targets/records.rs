//! Issuance records: CSV rows, JSON records to credentials (schema checks
//! included), FHIR QuestionnaireResponses and document Bundles to records.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static ISSUER: LazyLock<ddcc_credential::Issuer> = LazyLock::new(|| {
    ddcc_credential::Issuer::new(ddcc_crypto::SecretKey::from_seed(&[7u8; 32]).expect("a key"))
        .expect("an issuer")
});

fuzz_target!(|data: &[u8]| {
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("a time");
    for row in ddcc_core::records_csv::records(data).take(64) {
        if let Ok((_, Ok(record))) = row {
            let _ = ISSUER.credential_from_record(&record, now);
        }
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = ISSUER.credential_from_record(&v, now);
    if let Ok(record) = ddcc_core::fhir::record_from_questionnaire_response(&v) {
        let _ = ISSUER.credential_from_record(&record, now);
    }
    if let Ok(record) = ddcc_core::fhir::record_from_document_bundle(&v) {
        let _ = ISSUER.credential_from_record(&record, now);
    }
});
