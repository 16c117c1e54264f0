//! The SMART Health Cards specification examples: every numeric QR content
//! (one code, and three chunks) gives the JWS exactly; every JWS verifies
//! with the example issuer's keys at a clock inside its validity and
//! inflates to the minified payload; the revoked card reads revoked; and
//! altered or foreign cards are refused with their reasons.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_shc::{Issuers, ShcError, jws_from_qr, payload, verify};
use serde_json::Value;

const ISS: &str = "https://spec.smarthealth.cards/examples/issuer";
/// Inside the examples' validity (they were issued 2023-06-22).
const NOW: i64 = 1_700_000_000;

fn issuers(dir: &std::path::Path, with_crl: bool) -> Issuers {
    let mut i = Issuers::new();
    let jwks = ddcc_test_support::read_json(dir, "smart-health-cards/issuer/well-known/jwks.json");
    i.add_jwks(ISS, &jwks).unwrap();
    if with_crl {
        let crl = ddcc_test_support::read_json(
            dir,
            "smart-health-cards/issuer/well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
        );
        i.add_crl(ISS, &crl).unwrap();
    }
    i
}

#[test]
fn spec_examples_decode_verify_and_revoke() {
    let Some(dir) = ddcc_test_support::vectors("SMART Health Cards examples") else {
        return;
    };
    let ex =
        |name: &str| ddcc_test_support::read(&dir, &format!("smart-health-cards/examples/{name}"));
    let trusted = issuers(&dir, true);
    for n in ["00", "01", "02", "03"] {
        let jws = ex(&format!("example-{n}-d-jws.txt")).trim().to_owned();
        // QR content → JWS, chunks in any order.
        let mut chunks: Vec<String> = (0..3)
            .filter_map(|k| {
                let p = dir.join(format!(
                    "smart-health-cards/examples/example-{n}-f-qr-code-numeric-value-{k}.txt"
                ));
                std::fs::read_to_string(p).ok().map(|t| t.trim().to_owned())
            })
            .collect();
        chunks.reverse();
        let refs: Vec<&str> = chunks.iter().map(String::as_str).collect();
        assert_eq!(jws_from_qr(&refs).unwrap(), jws, "example {n}: QR → JWS");
        // The inflated payload is the minified one.
        let minified: Value =
            serde_json::from_str(&ex(&format!("example-{n}-c-jws-payload-minified.json"))).unwrap();
        assert_eq!(payload(&jws).unwrap(), minified, "example {n}: payload");
        let result = verify(&jws, &trusted, NOW, 60);
        if n == "03" {
            assert_eq!(result.unwrap_err(), ShcError::Revoked);
            // Without the revocation list it verifies: the list is what revokes it.
            let card = verify(&jws, &issuers(&dir, false), NOW, 60).unwrap();
            assert_eq!(card.iss, ISS);
        } else {
            let card = result.unwrap_or_else(|e| panic!("example {n}: {e}"));
            assert!(
                card.types
                    .iter()
                    .any(|t| t == "https://smarthealth.cards#health-card")
            );
            assert_eq!(card.bundle["resourceType"], "Bundle");
            // Debug never shows the bundle.
            assert!(!format!("{card:?}").contains("Patient"));
        }
    }
    let jws = ex("example-00-d-jws.txt").trim().to_owned();
    // Not yet valid long before, an issuer we have no keys for, a changed
    // signature, a changed payload.
    assert_eq!(
        verify(&jws, &trusted, 1_000_000_000, 60).unwrap_err(),
        ShcError::NotYetValid
    );
    assert_eq!(
        verify(&jws, &Issuers::new(), NOW, 60).unwrap_err(),
        ShcError::UnknownIssuer
    );
    // One character of the signature changed (not the last, whose spare
    // bits would make it non-canonical base64url).
    let mut chars: Vec<char> = jws.chars().collect();
    let k = chars.len() - 10;
    chars[k] = if chars[k] == 'A' { 'B' } else { 'A' };
    let forged: String = chars.into_iter().collect();
    assert_eq!(
        verify(&forged, &trusted, NOW, 60).unwrap_err(),
        ShcError::Signature
    );
    let parts: Vec<&str> = jws.split('.').collect();
    let other = ex("example-01-d-jws.txt");
    let swapped = format!(
        "{}.{}.{}",
        parts[0],
        other.trim().split('.').nth(1).unwrap(),
        parts[2]
    );
    assert!(matches!(
        verify(&swapped, &trusted, NOW, 60).unwrap_err(),
        ShcError::Signature | ShcError::UnknownKid
    ));
    // Chunks missing, repeated, or not numeric.
    let c: Vec<String> = (0..3)
        .map(|k| {
            ex(&format!("example-02-f-qr-code-numeric-value-{k}.txt"))
                .trim()
                .to_owned()
        })
        .collect();
    assert!(matches!(
        jws_from_qr(&[&c[0], &c[1]]),
        Err(ShcError::Chunks(_))
    ));
    assert!(matches!(
        jws_from_qr(&[&c[0], &c[1], &c[1]]),
        Err(ShcError::Chunks(_))
    ));
    assert_eq!(jws_from_qr(&["shc:/12a4"]).unwrap_err(), ShcError::Numeric);
    assert_eq!(jws_from_qr(&["shc:/99"]).unwrap_err(), ShcError::Numeric);
    assert_eq!(jws_from_qr(&["HC1:ABC"]).unwrap_err(), ShcError::Numeric);
    // Garbage of every length: an error, never a panic.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for len in 0..300 {
        let s: String = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(b'+' + (state % 80) as u8)
            })
            .collect();
        let _ = verify(&s, &trusted, NOW, 60);
        let _ = payload(&s);
        let _ = jws_from_qr(&[&format!("shc:/{s}")]);
    }
}

#[test]
fn who_shc_fixtures_map_to_vaccinations_and_a_test_result() {
    use ddcc_shc::ddcc::{MapError, subjects_of};
    let Some(dir) = ddcc_test_support::vectors("WHO SHC mapping fixture") else {
        return;
    };
    let payload = ddcc_test_support::read_json(
        &dir,
        "who-ddcc/mapping-fixtures/shc/example-00-b-jws-payload-expanded.json",
    );
    let subjects = subjects_of(&payload["vc"]["credentialSubject"]["fhirBundle"]).unwrap();
    // WHO's structure-map test: three DDCC entries, each John B. Anyperson, 1951-01-20.
    assert_eq!(subjects.len(), 3);
    for (_, s) in &subjects {
        assert_eq!(s["name"], "John B. Anyperson");
        assert_eq!(s["birthDate"], "1951-01-20");
    }
    // CVX 207 (Moderna) is the ICD-11 brand XM3DT5; CVX 229 has no DDCC
    // counterpart in our table and stays CVX.
    assert_eq!(subjects[0].1["vaccination"]["brand"]["code"], "XM3DT5");
    assert_eq!(subjects[0].1["vaccination"]["date"], "2021-01-01");
    assert_eq!(subjects[0].1["vaccination"]["lot"], "0000001");
    assert_eq!(
        subjects[0].1["vaccination"]["centre"],
        "ABC General Hospital"
    );
    assert_eq!(
        subjects[2].1["vaccination"]["brand"]["system"],
        "http://hl7.org/fhir/sid/cvx"
    );
    // A lab result card (as a JWS payload and as the bundle alone): one
    // DDCC:TR test. LOINC 94558-4 (a SARS-CoV-2 antigen test) has no
    // DDCC:TR counterpart and stays LOINC; SNOMED 260373001 "detected" is
    // the DDCC:TR result RA01.0.
    let lab = ddcc_test_support::read_json(
        &dir,
        "who-ddcc/mapping-fixtures/shc/bundle-lab-test-results-covid-jws-payload-expanded.json",
    );
    let bundle = ddcc_test_support::read_json(
        &dir,
        "who-ddcc/mapping-fixtures/shc/Bundle-example-bundle-lab-test-results-covid.json",
    );
    for b in [&lab["vc"]["credentialSubject"]["fhirBundle"], &bundle] {
        let subjects = subjects_of(b).unwrap();
        let [(kind, s)] = subjects.as_slice() else {
            panic!("one observation, one test")
        };
        assert_eq!(*kind, ddcc_core::vocab::CredentialKind::TestResult);
        assert_eq!(s["name"], "James T. Anyperson");
        assert_eq!(s["birthDate"], "1951-01-20");
        let t = &s["test"];
        assert_eq!(
            t["testType"],
            serde_json::json!({"system": "http://loinc.org", "code": "94558-4"})
        );
        assert_eq!(t["result"]["system"], "http://id.who.int/icd11/mms");
        assert_eq!(t["result"]["code"], "RA01.0");
        assert_eq!(t["sampleDate"], "2021-02-17");
        assert_eq!(t["centre"], "ABC General Hospital");
    }
    // Other resources are refused by name, not silently dropped.
    let mut odd = bundle.clone();
    odd["entry"][1]["resource"]["resourceType"] = "MedicationStatement".into();
    assert_eq!(
        subjects_of(&odd).unwrap_err(),
        MapError::Unmapped("MedicationStatement".into())
    );
    // A preliminary result is no result.
    let mut prelim = bundle.clone();
    prelim["entry"][1]["resource"]["status"] = "preliminary".into();
    assert!(subjects_of(&prelim).unwrap().is_empty());
}
