//! WHO's DDCC:VS QuestionnaireResponse example, mapped to our record, issued
//! and verified; every answer lands in its field, and an item the mapping
//! does not know is refused by name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_core::fhir::{FhirError, record_from_questionnaire_response};
use ddcc_credential::{Checks, FixedClock, Issuer, Verifier};
use ddcc_crypto::SecretKey;

#[tokio::test]
async fn who_questionnaire_response_issues_and_verifies() {
    let Some(dir) = ddcc_test_support::vectors("WHO DDCC:VS QuestionnaireResponse") else {
        return;
    };
    let qr = ddcc_test_support::read_json(
        &dir,
        "who-ddcc/examples/QuestionnaireResponse-DDCCVSQuestionnaireResponseExample.json",
    );
    let record = record_from_questionnaire_response(&qr).unwrap();
    let s = &record["subject"];
    assert_eq!(s["name"], "Aulus Agerius");
    assert_eq!(s["birthDate"], "2003-03-03");
    assert_eq!(s["sex"], "male");
    assert_eq!(s["identifier"][0]["value"], "1234567890");
    assert_eq!(s["certificate"]["hcid"], "bMlJkAt0V92RYhhG3fNt");
    let v = &s["vaccination"];
    assert_eq!(v["brand"]["code"], "XM3DT5");
    assert_eq!(v["lot"], "ER8732");
    assert_eq!(
        (v["dose"].as_u64(), v["totalDoses"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(v["country"], "USA");
    assert_eq!(v["vaccineValidFrom"], "2021-04-19");
    assert_eq!(v["nextDose"], "2021-04-28");
    assert_eq!(record["validUntil"], "2022-04-05T00:00:00Z");

    let at = Utc.with_ymd_and_hms(2021, 6, 1, 0, 0, 0).single().unwrap();
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let vc = issuer.issue(&record, at).await.unwrap();
    let verdict = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(at))
        .unwrap()
        .verify(&vc, Checks::all())
        .await;
    assert!(verdict.is_authentic(), "{}", verdict.to_text());

    let mut odd = qr.clone();
    odd["item"].as_array_mut().unwrap().push(
        serde_json::json!({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]}),
    );
    assert_eq!(
        record_from_questionnaire_response(&odd),
        Err(FhirError::UnknownItem("favourite_colour".into()))
    );
    let mut bad = qr.clone();
    bad["item"][12]["answer"] = serde_json::json!([{"valueString": "two"}]);
    assert!(matches!(
        record_from_questionnaire_response(&bad),
        Err(FhirError::BadAnswer { .. })
    ));
}

#[tokio::test]
async fn who_document_bundle_issues_and_verifies() {
    use ddcc_core::fhir::{BundleError, record_from_document_bundle};
    let Some(dir) = ddcc_test_support::vectors("WHO DDCC:VS document Bundle") else {
        return;
    };
    let bundle = ddcc_test_support::read_json(&dir, "who-ddcc/examples/Bundle-ExampleEnglish.json");
    let record = record_from_document_bundle(&bundle).unwrap();
    let s = &record["subject"];
    assert_eq!(s["name"], "Aulus Agerius");
    assert_eq!(s["birthDate"], "2003-03-03");
    let c = &s["certificate"];
    assert_eq!(c["hcid"], "999123456123456123456");
    assert_eq!(c["issuer"]["name"], "Government Hospital");
    assert_eq!(c["issuer"]["country"], "CHE");
    let v = &s["vaccination"];
    assert_eq!(v["vaccine"]["code"], "XM0GQ8");
    assert_eq!(v["brand"]["code"], "XM3DT5");
    assert_eq!(v["maholder"]["code"], "TEST");
    assert_eq!(v["disease"]["code"], "RA01");
    assert_eq!(v["country"], "CHE");
    assert_eq!(v["date"], "2021-05-06");
    assert_eq!(v["lot"], "123");
    assert_eq!(v["centre"], "Vaccination Site");
    assert_eq!(v["vaccineValidFrom"], "2021-05-30");
    assert_eq!(v["nextDose"], "2021-05-20");
    assert_eq!(
        (v["dose"].as_u64(), v["totalDoses"].as_u64()),
        (Some(1), Some(2))
    );

    let at = Utc.with_ymd_and_hms(2021, 6, 1, 0, 0, 0).single().unwrap();
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let vc = issuer.issue(&record, at).await.unwrap();
    let verdict = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(at))
        .unwrap()
        .verify(&vc, Checks::all())
        .await;
    assert!(verdict.is_authentic(), "{}", verdict.to_text());

    // Nothing is dropped silently: an unknown extension or element is
    // refused by name; a dangling reference and a non-document are refused.
    let mut odd = bundle.clone();
    odd["entry"][3]["resource"]["extension"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"url": "http://example.org/favourite-colour", "valueString": "blue"}));
    assert_eq!(
        record_from_document_bundle(&odd),
        Err(BundleError::Unknown {
            resource: "Immunization",
            element: "http://example.org/favourite-colour".into()
        })
    );
    let mut odd = bundle.clone();
    odd["entry"][1]["resource"]["deceasedBoolean"] = true.into();
    assert!(matches!(
        record_from_document_bundle(&odd),
        Err(BundleError::Unknown {
            resource: "Patient",
            ..
        })
    ));
    let mut dangling = bundle.clone();
    dangling["entry"][0]["resource"]["subject"]["reference"] = "Patient/nobody".into();
    assert_eq!(
        record_from_document_bundle(&dangling),
        Err(BundleError::Dangling("Composition.subject"))
    );
    let mut collection = bundle.clone();
    collection["type"] = "collection".into();
    assert_eq!(
        record_from_document_bundle(&collection),
        Err(BundleError::NotADocument)
    );
    // Not a document of ours at all: the other WHO example bundles.
    for other in [
        "who-ddcc/examples/Bundle-IPS-Immunization-Example-Bundle-01.json",
        "who-ddcc/examples/Bundle-DDCCTXSHEbundleexample1.json",
    ] {
        let b = ddcc_test_support::read_json(&dir, other);
        assert_eq!(
            record_from_document_bundle(&b),
            Err(BundleError::NotADocument)
        );
    }
}
