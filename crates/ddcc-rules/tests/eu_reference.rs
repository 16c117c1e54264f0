//! The EU reference rule set shipped in `rules/`: each rule before and
//! after its interval, boosters, accepted products, expired and positive
//! tests, the recovery window, and a misspelt rule set refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use ddcc_core::vocab::CredentialKind;
use ddcc_rules::{RuleSet, evaluate, first_failure};
use serde_json::{Value, json};

const EU: &str = include_str!("../../../rules/eu-reference-1.0.0.json");

fn eu() -> RuleSet {
    RuleSet::from_json(EU).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap()
}

fn vaccination(dose: u64, total: u64, date: &str, brand_eu: &str) -> Value {
    json!({"name": "A", "vaccination": {
        "brand": {"system": "http://id.who.int/icd11/mms", "code": "XM8NQ0",
                  "equivalents": [{"system": "https://ec.europa.eu/health/documents/community-register/html/", "code": brand_eu}]},
        "disease": {"system": "http://id.who.int/icd11/mms", "code": "RA01"},
        "date": date, "dose": dose, "totalDoses": total}})
}

/// The name of the first failed rule, or "valid".
fn verdict(kind: CredentialKind, subject: &Value, now: DateTime<Utc>) -> String {
    let results = evaluate(&eu(), kind, subject, now);
    first_failure(&results).map_or_else(|| "valid".into(), |r| r.rule.to_owned())
}

#[test]
fn primary_series_counts_from_day_14_to_day_270() {
    let v = vaccination(2, 2, "2021-06-01", "EU/1/20/1528");
    let k = CredentialKind::Vaccination;
    assert_eq!(
        verdict(k, &v, day(2021, 6, 10)),
        "vaccination.minDaysAfterPrimary"
    );
    assert_eq!(verdict(k, &v, day(2021, 6, 15)), "valid");
    assert_eq!(verdict(k, &v, day(2022, 2, 25)), "valid"); // day 269
    assert_eq!(
        verdict(k, &v, day(2022, 2, 27)),
        "vaccination.maxDaysAfterPrimary"
    ); // day 271
    // The messages say why, with no personal data.
    let results = evaluate(&eu(), k, &v, day(2021, 6, 10));
    let failed = first_failure(&results).unwrap();
    assert!(failed.message.contains("9 days ago"), "{}", failed.message);
}

#[test]
fn an_incomplete_series_fails_and_boosters_count_at_once_without_limit() {
    let k = CredentialKind::Vaccination;
    assert_eq!(
        verdict(
            k,
            &vaccination(1, 2, "2021-06-01", "EU/1/20/1528"),
            day(2021, 7, 1)
        ),
        "vaccination.requireCompleteSeries"
    );
    // 3/3 and 2/1 are boosters: valid the next day and years later.
    for (dose, total) in [(3, 3), (2, 1), (4, 3)] {
        let b = vaccination(dose, total, "2021-12-01", "EU/1/20/1528");
        assert_eq!(verdict(k, &b, day(2021, 12, 2)), "valid", "{dose}/{total}");
        assert_eq!(verdict(k, &b, day(2024, 12, 2)), "valid", "{dose}/{total}");
    }
    // 1/1 (a single-dose vaccine) is a primary series: 14 days apply.
    let j = vaccination(1, 1, "2021-12-01", "EU/1/20/1525");
    assert_eq!(
        verdict(k, &j, day(2021, 12, 5)),
        "vaccination.minDaysAfterPrimary"
    );
}

#[test]
fn products_not_authorised_and_other_diseases_fail() {
    let k = CredentialKind::Vaccination;
    let other = vaccination(2, 2, "2021-06-01", "Sputnik-V");
    let mut other = other;
    other["vaccination"]["brand"] =
        json!({"system": "https://example.org/vaccines", "code": "Sputnik-V"});
    assert_eq!(
        verdict(k, &other, day(2021, 7, 1)),
        "vaccination.acceptedProducts"
    );
    let mut flu = vaccination(2, 2, "2021-06-01", "EU/1/20/1528");
    flu["vaccination"]["disease"] = json!({"system": "http://snomed.info/sct", "code": "6142004"});
    assert_eq!(
        verdict(k, &flu, day(2021, 7, 1)),
        "vaccination.targetDisease"
    );
}

#[test]
fn tests_expire_by_type_and_must_be_negative() {
    let k = CredentialKind::TestResult;
    let test = |ty: &str, result: &str| {
        json!({"test": {
            "testType": {"system": "http://loinc.org", "code": ty},
            "sampleDate": "2021-07-08T08:00:00Z",
            "result": {"system": "http://snomed.info/sct", "code": result}}})
    };
    let sampled = Utc.with_ymd_and_hms(2021, 7, 8, 8, 0, 0).single().unwrap();
    let naat = test("LP6464-4", "260415000");
    assert_eq!(verdict(k, &naat, sampled + Duration::hours(71)), "valid");
    assert_eq!(
        verdict(k, &naat, sampled + Duration::hours(73)),
        "test.maxHoursByType"
    );
    let rat = test("LP217198-3", "260415000");
    assert_eq!(verdict(k, &rat, sampled + Duration::hours(47)), "valid");
    assert_eq!(
        verdict(k, &rat, sampled + Duration::hours(49)),
        "test.maxHoursByType"
    );
    // A sample taken after the check is not a valid test either.
    assert_eq!(
        verdict(k, &rat, sampled - Duration::hours(1)),
        "test.maxHoursByType"
    );
    assert_eq!(
        verdict(
            k,
            &test("LP6464-4", "260373001"),
            sampled + Duration::hours(1)
        ),
        "test.notDetected"
    );
    assert_eq!(
        verdict(
            k,
            &test("94558-4", "260415000"),
            sampled + Duration::hours(1)
        ),
        "test.maxHoursByType"
    );
}

#[test]
fn recovery_counts_from_day_11_to_day_180() {
    let k = CredentialKind::Recovery;
    let r = json!({"recovery": {"firstPositiveDate": "2021-07-01"}});
    assert_eq!(
        verdict(k, &r, day(2021, 7, 10)),
        "recovery.minDaysAfterPositive"
    );
    assert_eq!(verdict(k, &r, day(2021, 7, 12)), "valid");
    assert_eq!(verdict(k, &r, day(2021, 12, 28)), "valid"); // day 180
    assert_eq!(
        verdict(k, &r, day(2021, 12, 29)),
        "recovery.maxDaysAfterPositive"
    );
}

#[test]
fn a_venue_can_refuse_a_type_and_a_misspelt_rule_set_is_refused() {
    let mut set = eu();
    set.accepted_types = vec![
        "DDCCVaccinationCredential".into(),
        "DDCCRecoveryCredential".into(),
    ];
    let results = evaluate(
        &set,
        CredentialKind::TestResult,
        &json!({}),
        day(2021, 7, 1),
    );
    assert_eq!(first_failure(&results).unwrap().rule, "acceptedTypes");
    let typo = EU.replace("minDaysAfterPrimary", "minDaysAfterPrimray");
    assert!(RuleSet::from_json(&typo).is_err());
    assert_eq!(eu().version, "1.0.0");
}
