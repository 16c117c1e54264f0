//! EU DCCs in the DDCC model: WHO's mapping fixtures (an EU vaccination and
//! test certificate) map field by field, and every decodable certificate of
//! the EU test data maps to the right kind with ISO alpha-3 countries.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_core::vocab::CredentialKind;
use ddcc_hcert::ddcc::{MapError, subject_of};
use serde_json::{Value, json};

#[test]
fn who_mapping_fixtures_map_field_by_field() {
    let Some(dir) = ddcc_test_support::vectors("WHO EU DCC mapping fixtures") else {
        return;
    };
    let vs =
        ddcc_test_support::read_json(&dir, "who-ddcc/mapping-fixtures/eudcc/dcc-valid-vs.json");
    let (kind, s) = subject_of(&vs["-260"]["1"]).unwrap();
    assert_eq!(kind, CredentialKind::Vaccination);
    assert_eq!(s["name"], "John B. Anyperson");
    assert_eq!(s["birthDate"], "1951-01-20");
    // "Anyperson" is not an ICAO-standardised name: not carried over.
    assert!(s.get("standardizedFamilyName").is_none());
    assert_eq!(
        s["certificate"]["hcid"],
        "URN:UVCI:01:UY:10002661:20221209084253125"
    );
    assert_eq!(s["certificate"]["issuer"]["country"], "URY");
    let v = &s["vaccination"];
    assert_eq!(
        (
            v["date"].as_str(),
            v["dose"].as_u64(),
            v["totalDoses"].as_u64()
        ),
        (Some("2022-05-13"), Some(4), Some(4))
    );
    assert_eq!(v["country"], "URY");
    // EU codes to ICD-11, the EU code kept among the equivalents.
    assert_eq!(
        (
            v["vaccine"]["system"].as_str(),
            v["vaccine"]["code"].as_str()
        ),
        (Some("http://id.who.int/icd11/mms"), Some("XM0GQ8"))
    );
    assert_eq!(v["brand"]["code"], "XM8NQ0");
    assert!(v["brand"]["equivalents"].as_array().unwrap().contains(&json!({"system": "https://ec.europa.eu/health/documents/community-register/html/", "code": "EU/1/20/1528"})));
    assert_eq!(v["disease"]["code"], "RA01");
    assert_eq!(v["maholder"]["code"], "ORG-100030215");

    let tr =
        ddcc_test_support::read_json(&dir, "who-ddcc/mapping-fixtures/eudcc/dcc-valid-tr.json");
    let (kind, s) = subject_of(&tr["-260"]["1"]).unwrap();
    assert_eq!(kind, CredentialKind::TestResult);
    let t = &s["test"];
    assert_eq!(t["pathogen"]["code"], "XN109");
    assert_eq!(t["result"]["code"], "RA01.0");
    // A LOINC test type with no DDCC counterpart stays LOINC.
    assert_eq!(
        t["testType"],
        json!({"system": "http://loinc.org", "code": "94558-4"})
    );
    assert_eq!(t["sampleDate"], "2022-01-21T00:00:00Z");
    assert_eq!(t["centre"], "Laboratorio ATGEN");
    assert_eq!(t["country"], "URY");
}

#[test]
fn every_decodable_eu_test_certificate_maps() {
    let Some(dir) = ddcc_test_support::vectors("EU DCC test data mapping") else {
        return;
    };
    let root = dir.join("eu-dcc-testdata");
    let mut mapped = std::collections::BTreeMap::<&str, usize>::new();
    for country in std::fs::read_dir(&root).unwrap().filter_map(|e| e.ok()) {
        let Ok(files) = std::fs::read_dir(country.path()) else {
            continue;
        };
        for f in files
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
        {
            let case: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let Some(cose) = case["COSE"].as_str().and_then(|h| hex::decode(h).ok()) else {
                continue;
            };
            let Ok(payload) = ddcc_hcert::parse_cose(&cose).and_then(|c| c.payload()) else {
                continue;
            };
            match subject_of(&payload.dcc) {
                Ok((kind, s)) => {
                    let member = kind.event_member();
                    assert!(s[member].is_object(), "{}", f.display());
                    if let Some(c) = s[member].get("country") {
                        let c = c.as_str().unwrap();
                        assert!(
                            c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                            "{}: {c}",
                            f.display()
                        );
                    }
                    *mapped.entry(member).or_default() += 1;
                }
                // Some test payloads are broken on purpose; they must say why.
                Err(MapError::NotOneEvent | MapError::Country(_)) => {}
                Err(e) => panic!("{}: {e}", f.display()),
            }
        }
    }
    eprintln!("EU test certificates mapped to DDCC: {mapped:?}");
    assert!(
        mapped.get("vaccination").copied().unwrap_or(0) >= 20,
        "{mapped:?}"
    );
    assert!(mapped.get("test").copied().unwrap_or(0) >= 3, "{mapped:?}");
    assert!(
        mapped.get("recovery").copied().unwrap_or(0) >= 2,
        "{mapped:?}"
    );
}
