//! DIVOC certificates in the DDCC model: WHO's mapping fixtures (a
//! vaccination and a test certificate) map field by field as WHO's
//! `CertDIVOCtoCoreDataSet` map says, and every signed DIVOC certificate
//! maps to a vaccination.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_core::vocab::CredentialKind;
use ddcc_divoc::ddcc::{MapError, subjects_of};
use serde_json::json;

#[test]
fn who_mapping_fixtures_map_field_by_field() {
    let Some(dir) = ddcc_test_support::vectors("WHO DIVOC mapping fixtures") else {
        return;
    };
    let vs = ddcc_test_support::read_json(
        &dir,
        "who-ddcc/mapping-fixtures/divoc/example-divoc-payload-vaccine.json",
    );
    let out = subjects_of(&vs).unwrap();
    let [(kind, s)] = out.as_slice() else {
        panic!("one evidence entry, one subject")
    };
    assert_eq!(*kind, CredentialKind::Vaccination);
    assert_eq!(s["name"], "Jill C. Anyperson");
    assert_eq!(s["birthDate"], "1985-03-04");
    assert_eq!(s["sex"], "female");
    assert_eq!(s["identifier"], json!([{"value": "19882120590"}]));
    let c = &s["certificate"];
    assert_eq!(c["hcid"], "448086902");
    assert_eq!(
        c["version"],
        "https://cowin.gov.in/credentials/vaccination/v1"
    );
    assert_eq!(c["issuer"]["name"], "https://cowin.gov.in/");
    assert_eq!(
        c["period"],
        json!({"start": "2021-04-21", "end": "2022-04-21"})
    );
    let v = &s["vaccination"];
    assert_eq!(v["vaccine"]["system"], "http://id.who.int/icd11/mms");
    assert_eq!(v["vaccine"]["code"], "XM0GQ8");
    assert_eq!(
        v["vaccine"]["equivalents"],
        json!([{"system": "http://snomed.info/sct", "code": "1119349007"}])
    );
    assert_eq!(v["brand"], json!({"code": "Pfizer"}));
    assert_eq!(v["manufacturer"], json!({"code": "US"}));
    assert_eq!(v["lot"], "batch-01");
    assert_eq!(v["date"], "2021-06-28");
    assert_eq!(
        (v["dose"].as_u64(), v["totalDoses"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(v["country"], "IND");
    assert_eq!(v["centre"], "MOH Gothatuwa");
    assert_eq!(v["practitioner"], "ss");

    let tr = ddcc_test_support::read_json(
        &dir,
        "who-ddcc/mapping-fixtures/divoc/example-divoc-test-result.json",
    );
    let out = subjects_of(&tr).unwrap();
    let [(kind, s)] = out.as_slice() else {
        panic!("one evidence entry, one subject")
    };
    assert_eq!(*kind, CredentialKind::TestResult);
    assert_eq!(s["name"], "Sam-21");
    assert_eq!(s["birthDate"], "1995-10-19");
    assert_eq!(s["sex"], "male");
    assert_eq!(
        s["certificate"]["version"],
        "https://cowin.gov.in/credentials/testCertificate/v1"
    );
    assert_eq!(s["certificate"]["hcid"], "204604148");
    let t = &s["test"];
    assert_eq!(t["pathogen"]["code"], "XN109");
    assert_eq!(t["testType"]["system"], "http://id.who.int/icd/entity");
    assert_eq!(t["testType"]["code"], "1334426561");
    assert_eq!(t["result"]["code"], "RA01.0");
    assert_eq!(t["origin"], json!({"code": "nasal swab"}));
    assert_eq!(t["brand"], json!({"code": "ABC"}));
    assert_eq!(t["manufacturer"], json!({"code": "Bharat Biotech"}));
    assert_eq!(t["sampleDate"], "2021-08-20T19:21:19.646Z");
    assert_eq!(t["centre"], "ABCD Medical Center");
    assert_eq!(t["country"], "IND");
}

#[test]
fn signed_certificates_map_and_others_are_refused() {
    let Some(dir) = ddcc_test_support::vectors("DIVOC certificates mapping") else {
        return;
    };
    let mut mapped = 0;
    for entry in std::fs::read_dir(dir.join("divoc/signed")).unwrap() {
        let path = entry.unwrap().path();
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let out = subjects_of(&doc).unwrap();
        let (icd, product) = (
            doc["evidence"][0]["icd11Code"].as_str(),
            doc["evidence"][0]["vaccine"].as_str().unwrap(),
        );
        // The ICD-11 code when it is written, else the type WHO's map
        // gives a known product (Covishield: a non-replicating viral
        // vector vaccine; Covaxin: inactivated), else none (DIVOC's
        // made-up "CoVax").
        let expected = match (icd, product.to_ascii_lowercase().as_str()) {
            (Some(c), _) => Some(c),
            (None, "covishield") => Some("XM9QW8"),
            (None, "covaxin") => Some("XM1NL1"),
            (None, _) => None,
        };
        for (k, s) in &out {
            assert_eq!(*k, CredentialKind::Vaccination);
            assert_eq!(
                s["vaccination"]["vaccine"]["code"].as_str(),
                expected,
                "{}",
                path.display()
            );
            // Known products as their ICD-11 brands (WHO's EU product
            // map), the name kept among the equivalents; others as text.
            let brand = &s["vaccination"]["brand"];
            match product.to_ascii_lowercase().as_str() {
                "covishield" => assert_eq!(brand["code"], "XM97T2"),
                "covaxin" => assert_eq!(brand["code"], "XM1G90"),
                _ => assert_eq!(brand, &json!({"code": product})),
            }
        }
        mapped += out.len();
    }
    assert!(mapped >= 8, "{mapped}");

    assert_eq!(
        subjects_of(&json!({"type": ["VerifiableCredential"]})),
        Err(MapError::UnknownType)
    );
    assert_eq!(
        subjects_of(&json!({"type": ["ProofOfVaccinationCredential"], "credentialSubject": {}})),
        Err(MapError::NoEvidence)
    );
    assert_eq!(
        subjects_of(&json!({
            "type": ["ProofOfVaccinationCredential"], "credentialSubject": {},
            "evidence": [{"facility": {"address": {"addressCountry": "Atlantis"}}}]
        })),
        Err(MapError::Country)
    );
}
