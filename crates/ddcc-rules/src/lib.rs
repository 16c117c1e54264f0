//! Checkpoint rules, kept as data: a versioned JSON rule set (see
//! `rules/eu-reference-1.0.0.json`) evaluated against a certificate in the
//! DDCC data model, whatever format it came in (our credentials, an EU DCC
//! or a SMART Health Card mapped to the same subject fields). Every rule
//! that applies is reported, passed or failed, under a stable name
//! (`vaccination.minDaysAfterPrimary`, …); the first failure decides.
//!
//! Codes are matched against a coding's own code and its equivalents, so a
//! rule may name ICD-11, SNOMED, LOINC or EU Union Register codes alike.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use ddcc_core::vocab::CredentialKind;
use serde::Deserialize;
use serde_json::Value;

/// A rule set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuleSet {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// Credential types accepted at all (empty: all).
    #[serde(default)]
    pub accepted_types: Vec<String>,
    /// Rules for vaccinations.
    #[serde(default)]
    pub vaccination: Option<VaccinationRules>,
    /// Rules for test results.
    #[serde(default)]
    pub test: Option<TestRules>,
    /// Rules for recoveries.
    #[serde(default)]
    pub recovery: Option<RecoveryRules>,
}

/// Vaccination rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaccinationRules {
    /// The disease targeted must be one of these codes.
    #[serde(default)]
    pub target_disease: Vec<String>,
    /// The product (brand) must be one of these codes.
    #[serde(default)]
    pub accepted_products: Vec<String>,
    /// The series must be complete (dose ≥ total doses).
    #[serde(default)]
    pub require_complete_series: bool,
    /// Days after the last dose of a primary series before it counts.
    #[serde(default)]
    pub min_days_after_primary: Option<i64>,
    /// Days after the last dose of a primary series it counts for.
    #[serde(default)]
    pub max_days_after_primary: Option<i64>,
    /// A dose numbered at least this (with dose ≥ total), or above the
    /// total, is a booster: it counts at once and without limit.
    #[serde(default)]
    pub booster_min_doses: Option<u64>,
}

/// Test rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRules {
    /// Test types accepted, with the most hours between sample and check.
    pub max_hours_by_type: BTreeMap<String, i64>,
    /// Result codes that mean "not detected" (required).
    pub not_detected: Vec<String>,
}

/// Recovery rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecoveryRules {
    /// Days after the first positive test before recovery counts.
    pub min_days_after_positive: i64,
    /// Days after the first positive test recovery counts for.
    pub max_days_after_positive: i64,
}

/// A rule set could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the rule set cannot be read: {0}")]
pub struct RuleSetError(String);

impl RuleSet {
    /// Reads a rule set (unknown members are refused, so a misspelt rule
    /// is not silently ignored).
    ///
    /// # Errors
    /// [`RuleSetError`].
    pub fn from_json(text: &str) -> Result<Self, RuleSetError> {
        serde_json::from_str(text).map_err(|e| RuleSetError(e.to_string()))
    }
}

/// One rule's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleResult {
    /// The rule's stable name.
    pub rule: &'static str,
    /// Whether the certificate met it.
    pub passed: bool,
    /// Why (no personal data: dates of events and counts only).
    pub message: String,
}

fn codes_of(coding: Option<&Value>) -> Vec<&str> {
    let Some(c) = coding else {
        return Vec::new();
    };
    let mut out: Vec<&str> = c.get("code").and_then(Value::as_str).into_iter().collect();
    if let Some(eq) = c.get("equivalents").and_then(Value::as_array) {
        out.extend(eq.iter().filter_map(|e| e.get("code")?.as_str()));
    }
    out
}

fn date_of(v: Option<&Value>) -> Option<NaiveDate> {
    let t = v?.as_str()?;
    NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

/// Evaluates `set` against a certificate of `kind` whose subject (DDCC
/// model) is `subject`, at `now`. Returns every rule that applies, in
/// order; the certificate passes when all do.
pub fn evaluate(
    set: &RuleSet,
    kind: CredentialKind,
    subject: &Value,
    now: DateTime<Utc>,
) -> Vec<RuleResult> {
    let mut out = Vec::new();
    let mut push = |rule: &'static str, passed: bool, message: String| {
        out.push(RuleResult {
            rule,
            passed,
            message,
        });
    };
    if !set.accepted_types.is_empty() {
        let ok = set
            .accepted_types
            .iter()
            .any(|t| t == kind.credential_type());
        push(
            "acceptedTypes",
            ok,
            format!(
                "{} {}",
                kind.credential_type(),
                if ok {
                    "is accepted"
                } else {
                    "is not accepted here"
                }
            ),
        );
        if !ok {
            return out;
        }
    }
    let today = now.date_naive();
    let event = subject.get(kind.event_member());
    match kind {
        CredentialKind::Vaccination => {
            let Some(r) = &set.vaccination else {
                push(
                    "vaccination",
                    false,
                    "this rule set has no rules for vaccinations".into(),
                );
                return out;
            };
            let e = event.cloned().unwrap_or(Value::Null);
            if !r.target_disease.is_empty() {
                let codes = codes_of(e.get("disease"));
                let ok = codes
                    .iter()
                    .any(|c| r.target_disease.iter().any(|t| t == c));
                push(
                    "vaccination.targetDisease",
                    ok,
                    if ok {
                        "targets COVID-19".into()
                    } else {
                        "the disease targeted is missing or not accepted".into()
                    },
                );
            }
            if !r.accepted_products.is_empty() {
                let codes = codes_of(e.get("brand"));
                let ok = codes
                    .iter()
                    .any(|c| r.accepted_products.iter().any(|t| t == c));
                push(
                    "vaccination.acceptedProducts",
                    ok,
                    if ok {
                        "an accepted product".into()
                    } else {
                        "the product is not accepted".into()
                    },
                );
            }
            let dose = e.get("dose").and_then(Value::as_u64);
            let total = e.get("totalDoses").and_then(Value::as_u64);
            let (Some(dose), Some(total)) = (dose, total) else {
                push(
                    "vaccination.requireCompleteSeries",
                    !r.require_complete_series,
                    "the dose or the number of doses is not given".into(),
                );
                return out;
            };
            let complete = dose >= total;
            if r.require_complete_series {
                push(
                    "vaccination.requireCompleteSeries",
                    complete,
                    format!("dose {dose} of {total}"),
                );
                if !complete {
                    return out;
                }
            }
            let booster =
                dose > total || r.booster_min_doses.is_some_and(|b| dose >= b && complete);
            let Some(date) = date_of(e.get("date")) else {
                push(
                    "vaccination.minDaysAfterPrimary",
                    false,
                    "the vaccination date is missing".into(),
                );
                return out;
            };
            let days = (today - date).num_days();
            if booster {
                push(
                    "vaccination.booster",
                    days >= 0,
                    format!("booster given {days} days ago, valid at once and without limit"),
                );
                return out;
            }
            if let Some(min) = r.min_days_after_primary {
                push(
                    "vaccination.minDaysAfterPrimary",
                    days >= min,
                    format!(
                        "last dose of the primary series {days} days ago; at least {min} needed"
                    ),
                );
            }
            if let Some(max) = r.max_days_after_primary {
                push(
                    "vaccination.maxDaysAfterPrimary",
                    days <= max,
                    format!(
                        "last dose of the primary series {days} days ago; at most {max} allowed"
                    ),
                );
            }
        }
        CredentialKind::TestResult => {
            let Some(r) = &set.test else {
                push("test", false, "this rule set has no rules for tests".into());
                return out;
            };
            let e = event.cloned().unwrap_or(Value::Null);
            let types = codes_of(e.get("testType"));
            let limit = types
                .iter()
                .find_map(|t| r.max_hours_by_type.get(*t).map(|h| (*t, *h)));
            let Some((ty, max_hours)) = limit else {
                push(
                    "test.maxHoursByType",
                    false,
                    "the test type is not accepted".into(),
                );
                return out;
            };
            let sampled = e
                .get("sampleDate")
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            let Some(sampled) = sampled else {
                push(
                    "test.maxHoursByType",
                    false,
                    "the sample time is missing".into(),
                );
                return out;
            };
            let hours = (now - sampled.with_timezone(&Utc)).num_minutes() as f64 / 60.0;
            push(
                "test.maxHoursByType",
                (0.0..=max_hours as f64).contains(&hours),
                format!("sample taken {hours:.1} hours ago; at most {max_hours} for {ty}"),
            );
            let result = codes_of(e.get("result"));
            let ok = result.iter().any(|c| r.not_detected.iter().any(|n| n == c));
            push(
                "test.notDetected",
                ok,
                if ok {
                    "not detected".into()
                } else {
                    "the result is not one meaning not detected".into()
                },
            );
        }
        CredentialKind::Recovery => {
            let Some(r) = &set.recovery else {
                push(
                    "recovery",
                    false,
                    "this rule set has no rules for recoveries".into(),
                );
                return out;
            };
            let Some(first) = event.and_then(|e| date_of(e.get("firstPositiveDate"))) else {
                push(
                    "recovery.minDaysAfterPositive",
                    false,
                    "the date of the first positive test is missing".into(),
                );
                return out;
            };
            let days = (today - first).num_days();
            push(
                "recovery.minDaysAfterPositive",
                days >= r.min_days_after_positive,
                format!(
                    "first positive test {days} days ago; at least {} needed",
                    r.min_days_after_positive
                ),
            );
            push(
                "recovery.maxDaysAfterPositive",
                days <= r.max_days_after_positive,
                format!(
                    "first positive test {days} days ago; at most {} allowed",
                    r.max_days_after_positive
                ),
            );
        }
    }
    out
}

/// The first failed rule, if any.
pub fn first_failure(results: &[RuleResult]) -> Option<&RuleResult> {
    results.iter().find(|r| !r.passed)
}
