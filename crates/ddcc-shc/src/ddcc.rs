//! A SMART Health Card in the DDCC data model: one vaccination per
//! `Immunization` of its FHIR bundle, with the patient's name and birth
//! date, the vaccine as the ICD-11 brand when its CVX code has a known
//! counterpart (else the CVX coding), the date, lot and performer. This
//! follows WHO's `CertSHCtoCoreDataSet` map. A laboratory result
//! (`Observation`) becomes a DDCC:TR test: the observation's code (LOINC)
//! as the test type, its value as the result (SNOMED "detected" / "not
//! detected" become the DDCC:TR codes), the effective date as the sample
//! date and the performer as the centre. A card does not name the pathogen
//! apart from in the meaning of its LOINC code, so none is set.

use ddcc_core::codes::{self, CVX};
use ddcc_core::vocab::CredentialKind;
use serde_json::{Map, Value, json};

/// Why a health card bundle does not map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MapError {
    /// Not a FHIR Bundle with a Patient.
    #[error("the card's bundle has no Patient")]
    NoPatient,
    /// A resource this mapping does not know.
    #[error("the card holds a {0} resource, which is not mapped")]
    Unmapped(String),
    /// An Immunization without what DDCC needs.
    #[error("an Immunization has no {0}")]
    Incomplete(&'static str),
}

/// A FHIR coding as ours: its ICD-11 counterpart (with equivalents) when
/// it is a known equivalent, else as written.
fn coding_of(c: &Value) -> Value {
    let (system, code) = (
        c.get("system").and_then(Value::as_str).unwrap_or(""),
        c.get("code").and_then(Value::as_str).unwrap_or(""),
    );
    match codes::from_equivalent(system, code) {
        Some(known) => serde_json::to_value(known).unwrap_or(Value::Null),
        None => json!({"system": system, "code": code}),
    }
}

/// The DDCC subjects of a card's FHIR bundle: one per `Immunization`
/// (a vaccination) or `Observation` (a test result), in bundle order;
/// immunizations not done and results not final are skipped.
///
/// # Errors
/// [`MapError`].
pub fn subjects_of(bundle: &Value) -> Result<Vec<(CredentialKind, Value)>, MapError> {
    let resources: Vec<&Value> = bundle
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("resource"))
        .collect();
    let patient = resources
        .iter()
        .find(|r| r.get("resourceType").and_then(Value::as_str) == Some("Patient"))
        .ok_or(MapError::NoPatient)?;
    let mut person = ddcc_core::fhir::person_names(patient.pointer("/name/0"));
    if let Some(b) = patient.get("birthDate").and_then(Value::as_str) {
        person.insert("birthDate".into(), Value::from(b));
    }
    let mut out = Vec::new();
    for r in &resources {
        match r.get("resourceType").and_then(Value::as_str) {
            Some("Patient") => {}
            Some("Immunization") => {
                if r.get("status").and_then(Value::as_str) != Some("completed") {
                    continue;
                }
                let c = r
                    .pointer("/vaccineCode/coding/0")
                    .ok_or(MapError::Incomplete("vaccineCode"))?;
                let (system, code) = (
                    c.get("system").and_then(Value::as_str).unwrap_or(""),
                    c.get("code").and_then(Value::as_str).unwrap_or(""),
                );
                let brand = match (system == CVX)
                    .then(|| codes::from_equivalent(CVX, code))
                    .flatten()
                {
                    Some(b) => serde_json::to_value(b).unwrap_or(Value::Null),
                    None => json!({"system": system, "code": code}),
                };
                let date = r
                    .get("occurrenceDateTime")
                    .and_then(Value::as_str)
                    .ok_or(MapError::Incomplete("occurrenceDateTime"))?;
                let mut v = Map::new();
                v.insert("brand".into(), brand);
                v.insert("date".into(), Value::from(date.get(..10).unwrap_or(date)));
                if let Some(lot) = r.get("lotNumber").and_then(Value::as_str) {
                    v.insert("lot".into(), Value::from(lot));
                }
                if let Some(p) = r
                    .pointer("/performer/0/actor/display")
                    .and_then(Value::as_str)
                {
                    v.insert("centre".into(), Value::from(p));
                }
                let mut s = person.clone();
                s.insert("vaccination".into(), Value::Object(v));
                out.push((CredentialKind::Vaccination, Value::Object(s)));
            }
            Some("Observation") => {
                if !matches!(
                    r.get("status").and_then(Value::as_str),
                    Some("final" | "amended" | "corrected")
                ) {
                    continue;
                }
                let code = r
                    .pointer("/code/coding/0")
                    .ok_or(MapError::Incomplete("code"))?;
                let value = r
                    .pointer("/valueCodeableConcept/coding/0")
                    .ok_or(MapError::Incomplete("valueCodeableConcept"))?;
                let date = r
                    .get("effectiveDateTime")
                    .and_then(Value::as_str)
                    .ok_or(MapError::Incomplete("effectiveDateTime"))?;
                let mut t = Map::new();
                t.insert("testType".into(), coding_of(code));
                t.insert("result".into(), coding_of(value));
                t.insert("sampleDate".into(), Value::from(date));
                if let Some(p) = r.pointer("/performer/0/display").and_then(Value::as_str) {
                    t.insert("centre".into(), Value::from(p));
                }
                let mut s = person.clone();
                s.insert("test".into(), Value::Object(t));
                out.push((CredentialKind::TestResult, Value::Object(s)));
            }
            Some(other) => return Err(MapError::Unmapped(other.chars().take(40).collect())),
            None => return Err(MapError::Unmapped("untyped".into())),
        }
    }
    Ok(out)
}
