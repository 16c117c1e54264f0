//! The embedded EU DCC schema and value sets: the files are the ones the
//! manifest lists (by SHA-256); the schema's own valid cases and examples
//! pass and its invalid cases fail; every coded field of the schema has
//! its value set; a code outside a value set is named by path without its
//! value; and a signed certificate that breaks the schema fails `verify`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_hcert::schema::{EU_DCC_MANIFEST, coded_fields, validate, validate_structure};
use serde_json::Value;
use sha2::Digest as _;

#[test]
fn embedded_files_match_their_manifest() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eu-dcc");
    let mut n = 0;
    for line in EU_DCC_MANIFEST.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, source, sha] = cols[..] else {
            panic!("malformed manifest line {line}")
        };
        assert!(
            source.starts_with("github:ehn-dcc-development/"),
            "{source}"
        );
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), sha, "{file}");
        n += 1;
    }
    assert_eq!(n, 9);
}

#[test]
fn the_schemas_own_cases_and_examples() {
    let Some(dir) = ddcc_test_support::vectors("EU DCC schema cases") else {
        return;
    };
    let root = dir.join("eu-dcc-schema");
    let read = |p: &std::path::Path| -> Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let files = |sub: &str| -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![root.join(sub)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    out.push(p);
                }
            }
        }
        out
    };
    let (mut valid, mut invalid, mut stale) = (0, 0, 0);
    for p in files("test/valid").into_iter().chain(files("examples")) {
        let doc = read(&p);
        validate_structure(&doc).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        valid += 1;
        // With the value sets too: all pass (UNHCR included) except the
        // rapid antigen tests of device 532, which the embedded 2021-07-01
        // device list does not hold.
        match validate(&doc) {
            Ok(()) => assert_ne!(doc.pointer("/t/0/ma"), Some(&Value::from("532"))),
            Err(e) => {
                assert_eq!(
                    doc.pointer("/t/0/ma"),
                    Some(&Value::from("532")),
                    "{}",
                    p.display()
                );
                assert_eq!(e.violations.len(), 1);
                assert_eq!(e.violations[0].path, "/t/0/ma");
                stale += 1;
            }
        }
    }
    for p in files("test/invalid") {
        assert!(validate_structure(&read(&p)).is_err(), "{}", p.display());
        invalid += 1;
    }
    eprintln!(
        "EU DCC schema: {valid} valid cases and examples pass, {invalid} invalid cases fail; {stale} name a test device the embedded list lacks"
    );
    assert_eq!((valid, invalid, stale), (40, 6, 5));
}

#[test]
fn coded_fields_and_value_set_errors() {
    let fields: Vec<String> = coded_fields()
        .into_iter()
        .map(|(g, f, s)| format!("{g}.{f}={s}"))
        .collect();
    for want in [
        "v.tg=disease-agent-targeted",
        "v.vp=vaccine-prophylaxis",
        "v.mp=vaccine-medicinal-product",
        "v.ma=vaccine-mah-manf",
        "v.co=country-2-codes",
        "t.tt=test-type",
        "t.ma=test-manf",
        "t.tr=test-result",
        "r.co=country-2-codes",
    ] {
        assert!(fields.contains(&want.to_owned()), "{want} in {fields:?}");
    }
    let mut dcc: Value = serde_json::json!({
        "ver": "1.3.0",
        "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU"},
        "dob": "1964-08-12",
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
               "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-05-29",
               "co": "AT", "is": "Ministry of Health, Austria",
               "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"}]
    });
    validate(&dcc).unwrap();
    dcc["v"][0]["mp"] = "EU/9/99/9999".into();
    dcc["v"][0]["co"] = "XY".into();
    let e = validate(&dcc).unwrap_err().to_string();
    assert!(
        e.contains("/v/0/mp is not in the EU value set vaccine-medicinal-product"),
        "{e}"
    );
    assert!(
        e.contains("/v/0/co is not in the EU value set country-2-codes"),
        "{e}"
    );
    assert!(
        !e.contains("EU/9/99/9999") && !e.contains("XY") && !e.contains("Musterfrau"),
        "{e}"
    );
    dcc["dob"] = "1815-08-24".into();
    let e = validate(&dcc).unwrap_err().to_string();
    assert!(e.contains("/dob must match the pattern"), "{e}");
    assert!(!e.contains("1815"), "{e}");
}

#[test]
fn a_signed_certificate_breaking_the_schema_fails_verify() {
    use ddcc_hcert::{Dsc, HcertError, TrustList, verify};
    let Some(dir) = ddcc_test_support::vectors("EU DCC schema at verify") else {
        return;
    };
    // PL-1.3.0/8: validly signed, with a country outside the value set.
    let case: Value = serde_json::from_slice(
        &std::fs::read(dir.join("eu-dcc-testdata/PL-1.3.0/8.json")).unwrap(),
    )
    .unwrap();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(case["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let mut trust = TrustList::new();
    trust.add(Dsc::from_der(&der).unwrap());
    let clock =
        chrono::DateTime::parse_from_rfc3339(case["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap())
            .unwrap()
            .timestamp();
    let e = verify(case["PREFIX"].as_str().unwrap(), &trust, clock).unwrap_err();
    assert!(
        matches!(&e, HcertError::Schema(m) if m.contains("is not in the EU value set")),
        "{e}"
    );
}
