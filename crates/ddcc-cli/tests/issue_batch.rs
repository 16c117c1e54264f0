//! `ddcc issue --batch`: one credential per record, bad records reported by
//! line without stopping the batch, and each certificate issued exactly
//! once across re-runs and a crash that cut the output mid-line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{RECORD, ok, run};
use serde_json::Value;

fn hcids(dir: &Path) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for line in std::fs::read_to_string(dir.join("out.jsonl"))
        .unwrap()
        .lines()
    {
        let v: Value = serde_json::from_str(line).unwrap();
        let h = v["credentialSubject"]["certificate"]["hcid"]
            .as_str()
            .unwrap()
            .to_owned();
        *seen.entry(h).or_default() += 1;
    }
    seen
}

#[test]
fn batches_issue_each_certificate_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let record: Value = serde_json::from_str(&std::fs::read_to_string(RECORD).unwrap()).unwrap();
    let mut lines = Vec::new();
    for i in 0..6 {
        let mut r = record.clone();
        r["subject"]["certificate"]["hcid"] = format!("URN:UVCI:01:UT:{i:04}").into();
        lines.push(serde_json::to_string(&r).unwrap());
    }
    let mut bad = record.clone();
    bad["subject"]["certificate"]["hcid"] = "URN:UVCI:01:UT:BAD".into();
    bad["subject"]["vaccination"]["dose"] = "two".into();
    lines.insert(2, serde_json::to_string(&bad).unwrap());
    lines.insert(4, "{not json".into());
    lines.push(lines[0].clone()); // the same certificate twice
    std::fs::write(d.join("records.jsonl"), lines.join("\n") + "\n").unwrap();

    let args = [
        "issue",
        "--key",
        "moh.key",
        "--batch",
        "records.jsonl",
        "--out",
        "out.jsonl",
        "--status-base",
        "https://moh.example/status",
    ];
    let o = run(d, &args);
    assert_eq!(
        o.status.code(),
        Some(1),
        "refused records make the exit code 1"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 3: refused"), "{err}");
    assert!(err.contains("line 5: refused"), "{err}");
    assert!(
        err.contains("issued 6, already issued 1, refused 2"),
        "{err}"
    );
    assert!(!err.contains("two"), "no record values in messages: {err}");
    let first = hcids(d);
    assert_eq!(first.len(), 6);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("out.jsonl"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "issued credentials readable by others");
    }
    assert!(first.values().all(|n| *n == 1));

    // Again: nothing new.
    let o = run(d, &args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("issued 0, already issued 7, refused 2"),
        "{err}"
    );
    assert_eq!(hcids(d), first);

    // A crash cut the output in the middle of its fourth line: the lines
    // from there on were never recorded as issued (the output is synced
    // before the register records a chunk). The re-run cuts the partial
    // line and issues those certificates again, once each.
    let text = std::fs::read_to_string(d.join("out.jsonl")).unwrap();
    let cut: usize = text.lines().take(3).map(|l| l.len() + 1).sum::<usize>() + 100;
    let lost: Vec<String> = text
        .lines()
        .skip(3)
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["credentialSubject"]["certificate"]["hcid"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    std::fs::write(d.join("out.jsonl"), &text[..cut]).unwrap();
    let db = rusqlite::Connection::open(d.join("register.sqlite")).unwrap();
    for h in &lost {
        db.execute(
            "UPDATE credentials SET digest = NULL, issued_at = NULL WHERE hcid = ?1",
            [h],
        )
        .unwrap();
    }
    drop(db);
    let o = run(d, &args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut an incomplete last line"), "{err}");
    assert!(err.contains("issued 3, already issued 4"), "{err}");
    let after = hcids(d);
    assert_eq!(after.len(), 6);
    assert!(after.values().all(|n| *n == 1), "{after:?}");

    // Every line verifies, and its status entries came from the register:
    // no index twice.
    let mut indexes = std::collections::HashSet::new();
    for line in std::fs::read_to_string(d.join("out.jsonl"))
        .unwrap()
        .lines()
    {
        std::fs::write(d.join("one.json"), line).unwrap();
        let o = run(
            d,
            &["verify", "one.json", "--checks", "proof,issuer,schema"],
        );
        ok(&o);
        let v: Value = serde_json::from_str(line).unwrap();
        for e in v["credentialStatus"].as_array().unwrap() {
            let key = (
                e["statusListCredential"].to_string(),
                e["statusListIndex"].to_string(),
            );
            assert!(indexes.insert(key), "a status index used twice");
        }
    }
    assert_eq!(indexes.len(), 12);
}

#[test]
fn csv_records_with_documented_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let header = "hcid,name,family_name,given_name,birth_date,issuer_name,issuer_country,vaccine_code,brand_code,disease_code,maholder_code,maholder_display,lot,date,dose,total_doses,country,centre,valid_until";
    let row = |hcid: &str, dose: &str| {
        format!(
            "{hcid},Jane Sue Citizen,Citizen,Jane Sue,1961-05-15,Ministry of Health of Utopia,UTO,XM0GQ8,XM8NQ0,RA01,ORG-100030215,\"BioNTech Manufacturing GmbH\",PT123F,2021-06-24,{dose},2,UTO,Vaccination Site 12,2031-07-08T00:00:00Z"
        )
    };
    let csv = [
        header.to_owned(),
        row("URN:UVCI:01:UT:C1", "1"),
        row("URN:UVCI:01:UT:C2", "two"),
        row("URN:UVCI:01:UT:C3", "2"),
    ]
    .join("\n")
        + "\n";
    std::fs::write(d.join("records.csv"), csv).unwrap();
    let o = run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--batch",
            "records.csv",
            "--out",
            "out.jsonl",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 3: refused: column dose is not a whole number"),
        "{err}"
    );
    assert!(
        err.contains("issued 2, already issued 0, refused 1"),
        "{err}"
    );
    let issued = hcids(d);
    assert_eq!(issued.len(), 2);
    // The CSV record is the same certificate as the JSON sample.
    let first: Value = serde_json::from_str(
        std::fs::read_to_string(d.join("out.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        first["credentialSubject"]["vaccination"]["brand"]["code"],
        "XM8NQ0"
    );
    assert_eq!(
        first["credentialSubject"]["certificate"]["issuer"]["country"],
        "UTO"
    );
    // An unknown column stops the batch before anything is issued.
    std::fs::write(d.join("bad.csv"), "hcid,favourite_colour\nX,blue\n").unwrap();
    let o = run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--batch",
            "bad.csv",
            "--out",
            "out2.jsonl",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown CSV column 'favourite_colour'"));
}

#[test]
fn fhir_questionnaire_responses_are_records_too() {
    let Some(vectors) = ddcc_test_support::vectors("WHO DDCC:VS QuestionnaireResponse") else {
        return;
    };
    let qr = ddcc_test_support::read_json(
        &vectors,
        "who-ddcc/examples/QuestionnaireResponse-DDCCVSQuestionnaireResponseExample.json",
    );
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    std::fs::write(
        d.join("qr.jsonl"),
        serde_json::to_string(&qr).unwrap() + "\n",
    )
    .unwrap();
    let o = run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--batch",
            "qr.jsonl",
            "--out",
            "out.jsonl",
            "--now",
            "2021-06-01T00:00:00Z",
        ],
    );
    ok(&o);
    assert_eq!(
        hcids(d).keys().collect::<Vec<_>>(),
        ["bMlJkAt0V92RYhhG3fNt"]
    );
    // An item the mapping does not know: refused by name, not dropped.
    let mut odd = qr.clone();
    odd["item"].as_array_mut().unwrap().push(
        serde_json::json!({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]}),
    );
    std::fs::write(d.join("odd.json"), serde_json::to_string(&odd).unwrap()).unwrap();
    let o = run(d, &["issue", "--key", "moh.key", "--record", "odd.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown item 'favourite_colour'"));
}

#[test]
fn fhir_document_bundles_as_a_file_a_collection_or_ndjson() {
    let Some(vectors) = ddcc_test_support::vectors("WHO DDCC:VS document Bundle") else {
        return;
    };
    let bundle =
        ddcc_test_support::read_json(&vectors, "who-ddcc/examples/Bundle-ExampleEnglish.json");
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let issue = |input: &str, out: &str| {
        run(
            d,
            &[
                "issue",
                "--key",
                "moh.key",
                "--batch",
                input,
                "--out",
                out,
                "--now",
                "2021-06-01T00:00:00Z",
            ],
        )
    };
    // The WHO example file as it is (pretty-printed, one document).
    std::fs::write(
        d.join("doc.json"),
        serde_json::to_string_pretty(&bundle).unwrap(),
    )
    .unwrap();
    ok(&issue("doc.json", "out.jsonl"));
    assert_eq!(
        hcids(d).keys().collect::<Vec<_>>(),
        ["999123456123456123456"]
    );
    // A collection of three documents, one of them broken: two issued, the
    // broken one reported by its entry number.
    let mut docs = Vec::new();
    for i in 0..3 {
        let mut b = bundle.clone();
        b["entry"][0]["resource"]["identifier"]["value"] = format!("DOC-{i}").into();
        if i == 1 {
            b["entry"][0]["resource"]["subject"]["reference"] = "Patient/nobody".into();
        }
        docs.push(b);
    }
    let collection = serde_json::json!({
        "resourceType": "Bundle", "type": "collection",
        "entry": docs.iter().map(|b| serde_json::json!({"resource": b})).collect::<Vec<_>>(),
    });
    std::fs::write(
        d.join("many.json"),
        serde_json::to_string(&collection).unwrap(),
    )
    .unwrap();
    let o = issue("many.json", "many.jsonl");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 2: refused: the Composition.subject reference names no resource"),
        "{err}"
    );
    assert!(err.contains("issued 2,"), "{err}");
    // NDJSON (FHIR bulk data): one document per line, streamed.
    let ndjson: String = docs
        .iter()
        .map(|b| serde_json::to_string(b).unwrap() + "\n")
        .collect();
    std::fs::write(d.join("docs.ndjson"), ndjson).unwrap();
    let o = issue("docs.ndjson", "nd.jsonl");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("issued 2,"), "{err}");
    // Another kind of FHIR resource is refused by its type.
    std::fs::write(d.join("patient.json"), r#"{"resourceType": "Patient"}"#).unwrap();
    let o = issue("patient.json", "p.jsonl");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("a FHIR Patient is not a DDCC:VS document Bundle")
    );
}

#[test]
fn vaccination_test_and_recovery_records_in_one_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let dir = Path::new(RECORD).parent().unwrap();
    let mut lines = String::new();
    for f in [
        "primary-series-complete.json",
        "test-negative.json",
        "recovery.json",
    ] {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap();
        lines.push_str(&serde_json::to_string(&v).unwrap());
        lines.push('\n');
    }
    std::fs::write(d.join("mixed.jsonl"), lines).unwrap();
    ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--batch",
            "mixed.jsonl",
            "--out",
            "out.jsonl",
            "--status-base",
            "https://moh.example/status",
            "--now",
            "2021-07-12T09:00:00Z",
        ],
    ));
    let text = std::fs::read_to_string(d.join("out.jsonl")).unwrap();
    let types: Vec<String> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            std::fs::write(d.join("one.json"), l).unwrap();
            // Every check but status (no lists given here) passes.
            let o = run(
                d,
                &[
                    "verify",
                    "one.json",
                    "--checks",
                    "contexts,proof,issuer,validity,schema",
                    "--at",
                    "2021-07-12T09:00:00Z",
                ],
            );
            ok(&o);
            v["type"][1].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        types,
        [
            "DDCCVaccinationCredential",
            "DDCCTestResultCredential",
            "DDCCRecoveryCredential"
        ]
    );
    // The register knows each certificate's type (and nothing personal).
    let db = rusqlite::Connection::open(d.join("register.sqlite")).unwrap();
    let mut stmt = db
        .prepare("SELECT credential_type FROM credentials ORDER BY credential_type")
        .unwrap();
    let registered: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        registered,
        [
            "DDCCRecoveryCredential",
            "DDCCTestResultCredential",
            "DDCCVaccinationCredential"
        ]
    );
}

#[test]
fn a_directory_output_gets_one_file_per_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let record: Value = serde_json::from_str(&std::fs::read_to_string(RECORD).unwrap()).unwrap();
    let mut lines = String::new();
    for i in 0..5 {
        let mut r = record.clone();
        r["subject"]["certificate"]["hcid"] = format!("URN:UVCI:01:UT:D{i}#1").into();
        lines.push_str(&(serde_json::to_string(&r).unwrap() + "\n"));
    }
    std::fs::write(d.join("records.jsonl"), lines).unwrap();
    let args = [
        "issue",
        "--key",
        "moh.key",
        "--batch",
        "records.jsonl",
        "--out",
        "issued/",
        "--status-base",
        "https://moh.example/status",
    ];
    ok(&run(d, &args));
    let mut names: Vec<String> = std::fs::read_dir(d.join("issued"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    assert_eq!(names[0], "URN%3AUVCI%3A01%3AUT%3AD0%231.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("issued"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the directory is open to others");
    }
    let o = run(
        d,
        &[
            "verify",
            "issued/URN%3AUVCI%3A01%3AUT%3AD3%231.json",
            "--checks",
            "proof,issuer,schema",
        ],
    );
    ok(&o);
    // Again: nothing new.
    let o = run(d, &args);
    assert!(String::from_utf8_lossy(&o.stderr).contains("issued 0, already issued 5"));
    // A crash while writing the fourth file: it is not there (a temporary
    // file is), and the register never recorded it. The re-run cleans up
    // and issues it, once.
    let lost = d.join("issued/URN%3AUVCI%3A01%3AUT%3AD3%231.json");
    std::fs::rename(
        &lost,
        d.join("issued/.URN%3AUVCI%3A01%3AUT%3AD3%231.json.tmp"),
    )
    .unwrap();
    let db = rusqlite::Connection::open(d.join("register.sqlite")).unwrap();
    db.execute(
        "UPDATE credentials SET digest = NULL WHERE hcid = 'URN:UVCI:01:UT:D3#1'",
        [],
    )
    .unwrap();
    drop(db);
    let o = run(d, &args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("issued 1, already issued 4"), "{err}");
    assert!(lost.exists());
    assert_eq!(std::fs::read_dir(d.join("issued")).unwrap().count(), 5);
}
