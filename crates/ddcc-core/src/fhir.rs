//! DDCC:VS records from FHIR: the `QuestionnaireResponse` of WHO's
//! DDCC:VS core data set (the input of WHO's `$generateHealthCertificate`),
//! mapped item by item to our issuer record (`ddcc-vs-record-1.0.0`).
//!
//! | linkId | record field |
//! |---|---|
//! | `name`, `birthDate` | `subject.name`, `subject.birthDate` |
//! | `identifier` | `subject.identifier[0].value` |
//! | `sex` | `subject.sex` (the coding's code) |
//! | `vaccine`, `brand`, `manufacturer`, `ma_holder`, `disease` | `subject.vaccination.vaccine`, `.brand`, `.manufacturer`, `.maholder`, `.disease` (codings) |
//! | `lot`, `date`, `dose`, `total_doses`, `centre`, `hw` | `.lot`, `.date`, `.dose`, `.totalDoses`, `.centre`, `.practitioner` |
//! | `vaccine_valid`, `due_date` | `.vaccineValidFrom`, `.nextDose` |
//! | `country` | `.country` (the coding's code) |
//! | `hcid` | `subject.certificate.hcid` |
//! | `pha` | `subject.certificate.issuer.name` (the questionnaire carries the authority's identifier only; its country is taken to be the country of vaccination) |
//! | `valid_from`, `valid_until` | `validFrom`, `validUntil` (start of day, UTC) |
//!
//! An item this mapping does not know is refused by name, so that nothing
//! is silently dropped.

use serde_json::{Map, Value, json};

/// Why a questionnaire response is not a DDCC:VS record. Messages name
/// items, never their values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FhirError {
    /// Not a `QuestionnaireResponse` with an `item` list.
    #[error("not a FHIR QuestionnaireResponse with items")]
    NotAQuestionnaireResponse,
    /// An item whose linkId this mapping does not know.
    #[error("unknown item '{0}'")]
    UnknownItem(String),
    /// An item whose answer is missing or of the wrong type.
    #[error("item '{item}' needs a {expected} answer")]
    BadAnswer {
        /// The item's linkId.
        item: String,
        /// The answer type expected.
        expected: &'static str,
    },
}

fn answer<'a>(item: &'a Value, link: &str, kind: &'static str) -> Result<&'a Value, FhirError> {
    item.get("answer")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|a| a.get(kind))
        .ok_or_else(|| FhirError::BadAnswer {
            item: link.chars().take(40).collect(),
            expected: kind,
        })
}

fn string(item: &Value, link: &str, kind: &'static str) -> Result<String, FhirError> {
    answer(item, link, kind)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| FhirError::BadAnswer {
            item: link.to_owned(),
            expected: kind,
        })
}

fn coding(item: &Value, link: &str) -> Result<Value, FhirError> {
    let c = answer(item, link, "valueCoding")?;
    let (Some(system), Some(code)) = (
        c.get("system").and_then(Value::as_str),
        c.get("code").and_then(Value::as_str),
    ) else {
        return Err(FhirError::BadAnswer {
            item: link.to_owned(),
            expected: "valueCoding with system and code",
        });
    };
    let mut o = Map::new();
    o.insert("system".into(), Value::from(system));
    o.insert("code".into(), Value::from(code));
    if let Some(d) = c.get("display").and_then(Value::as_str) {
        o.insert("display".into(), Value::from(d));
    }
    Ok(Value::Object(o))
}

/// The issuer record of a DDCC:VS `QuestionnaireResponse`.
///
/// # Errors
/// The [`FhirError`] naming the first item that cannot be mapped.
pub fn record_from_questionnaire_response(qr: &Value) -> Result<Value, FhirError> {
    if qr.get("resourceType").and_then(Value::as_str) != Some("QuestionnaireResponse") {
        return Err(FhirError::NotAQuestionnaireResponse);
    }
    let items = qr
        .get("item")
        .and_then(Value::as_array)
        .ok_or(FhirError::NotAQuestionnaireResponse)?;
    let mut subject = Map::new();
    let mut vaccination = Map::new();
    let mut certificate = Map::new();
    let mut record = Map::new();
    let mut pha = None;
    for item in items {
        let link = item
            .get("linkId")
            .and_then(Value::as_str)
            .ok_or(FhirError::NotAQuestionnaireResponse)?;
        match link {
            "name" => {
                subject.insert("name".into(), string(item, link, "valueString")?.into());
            }
            "birthDate" => {
                subject.insert("birthDate".into(), string(item, link, "valueDate")?.into());
            }
            "identifier" => {
                subject.insert(
                    "identifier".into(),
                    json!([{"value": string(item, link, "valueString")?}]),
                );
            }
            "sex" => {
                let code = coding(item, link)?["code"].clone();
                subject.insert("sex".into(), code);
            }
            "vaccine" | "brand" | "manufacturer" | "ma_holder" | "disease" => {
                let field = if link == "ma_holder" {
                    "maholder"
                } else {
                    link
                };
                vaccination.insert(field.into(), coding(item, link)?);
            }
            "lot" | "centre" => {
                vaccination.insert(link.into(), string(item, link, "valueString")?.into());
            }
            "hw" => {
                vaccination.insert(
                    "practitioner".into(),
                    string(item, link, "valueString")?.into(),
                );
            }
            "date" => {
                vaccination.insert("date".into(), string(item, link, "valueDate")?.into());
            }
            "vaccine_valid" => {
                vaccination.insert(
                    "vaccineValidFrom".into(),
                    string(item, link, "valueDate")?.into(),
                );
            }
            "due_date" => {
                vaccination.insert("nextDose".into(), string(item, link, "valueDate")?.into());
            }
            "dose" | "total_doses" => {
                let n = answer(item, link, "valueInteger")?.clone();
                let field = if link == "dose" { "dose" } else { "totalDoses" };
                vaccination.insert(field.into(), n);
            }
            "country" => {
                let code = coding(item, link)?["code"].clone();
                vaccination.insert("country".into(), code);
            }
            "hcid" => {
                certificate.insert("hcid".into(), string(item, link, "valueString")?.into());
            }
            "pha" => pha = Some(string(item, link, "valueString")?),
            "valid_from" | "valid_until" => {
                let day = string(item, link, "valueDate")?;
                let field = if link == "valid_from" {
                    "validFrom"
                } else {
                    "validUntil"
                };
                record.insert(field.into(), Value::from(format!("{day}T00:00:00Z")));
            }
            other => return Err(FhirError::UnknownItem(other.chars().take(40).collect())),
        }
    }
    certificate.insert("version".into(), Value::from("1.0.0"));
    if let Some(pha) = pha {
        let mut issuer = Map::new();
        issuer.insert("name".into(), Value::from(pha));
        if let Some(c) = vaccination.get("country") {
            issuer.insert("country".into(), c.clone());
        }
        certificate.insert("issuer".into(), Value::Object(issuer));
    }
    subject.insert("certificate".into(), Value::Object(certificate));
    subject.insert("vaccination".into(), Value::Object(vaccination));
    record.insert("subject".into(), Value::Object(subject));
    Ok(Value::Object(record))
}
