//! A DIVOC certificate in the DDCC data model, following WHO's
//! `CertDIVOCtoCoreDataSet` map: one DDCC:VS (vaccination) or DDCC:TR
//! (test result) subject per `evidence` entry, with the person's name,
//! birth date, sex and identifier, the certificate id (`certificateId`),
//! the DIVOC context as the certificate's version, its effective period,
//! and the event.
//!
//! Codes: a vaccine named in `vaccine` that WHO's EU product map knows
//! (Covishield, Covaxin, Sputnik V, …) becomes its ICD-11 brand with its
//! equivalents; the `icd11Code` (or, in version 1 certificates that have
//! none, the known brand's type) becomes the ICD-11 vaccine type; the COVID-19 disease, the test types DIVOC writes
//! (RT-PCR and other NAATs, rapid antigen tests) and the results
//! (positive, negative) become the DDCC:TR codes. DIVOC's other free-text
//! fields (unknown vaccine names, test names, manufacturers, sample origin) become
//! codings with the text as `code` and no `system`, as WHO's map writes
//! them. Countries become ISO 3166-1 alpha-3.

use ddcc_core::Coding;
use ddcc_core::codes::{self, ICD11, ICD11_ENTITY};
use ddcc_core::vocab::CredentialKind;
use serde_json::{Map, Value, json};

/// Why a DIVOC certificate does not map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MapError {
    /// Neither a vaccination nor a test certificate.
    #[error(
        "the certificate is neither a ProofOfVaccinationCredential nor a ProofOfTestCertificateCredential"
    )]
    UnknownType,
    /// No `credentialSubject` object.
    #[error("the certificate has no credentialSubject")]
    NoSubject,
    /// No `evidence` entries.
    #[error("the certificate has no evidence entries")]
    NoEvidence,
    /// A country that is neither ISO 3166-1 alpha-2 nor alpha-3.
    #[error("a facility country is not an ISO 3166-1 code")]
    Country,
}

fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A count DIVOC writes as a number or as a string of digits.
fn count(v: &Value, pointer: &str) -> Option<Value> {
    match v.pointer(pointer)? {
        Value::Number(n) => n.as_u64().map(Value::from),
        Value::String(s) => s.trim().parse::<u64>().ok().map(Value::from),
        _ => None,
    }
}

fn icd11(system: &str, code: &str) -> Value {
    let mut c = Coding {
        system: system.to_owned(),
        code: code.to_owned(),
        display: None,
        equivalents: Vec::new(),
    };
    codes::complete_equivalents(&mut c);
    serde_json::to_value(c).unwrap_or(Value::Null)
}

fn free_text(s: &str) -> Value {
    json!({ "code": s })
}

fn alpha3(code: &str) -> Result<String, MapError> {
    let c = match code.len() {
        2 => isocountry::CountryCode::for_alpha2_caseless(code),
        3 => isocountry::CountryCode::for_alpha3_caseless(code),
        _ => return Err(MapError::Country),
    };
    c.map(|c| c.alpha3().to_owned())
        .map_err(|_| MapError::Country)
}

/// The test types DIVOC deployments write, to the DDCC:TR entities.
fn test_type(s: &str) -> Value {
    let norm: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    match norm.as_str() {
        "RTPCR" | "PCR" | "NAAT" | "TRUENAT" | "CBNAAT" | "RTLAMP" => {
            icd11(ICD11_ENTITY, "1334426561")
        }
        "RAT" | "RAPIDANTIGENTEST" | "ANTIGEN" | "RAPIDANTIGEN" => {
            icd11(ICD11_ENTITY, "2056159157")
        }
        _ => free_text(s),
    }
}

fn test_result(s: &str) -> Value {
    match s.to_ascii_lowercase().as_str() {
        "positive" | "detected" => icd11(ICD11, "RA01.0"),
        "negative" | "not detected" => icd11(ICD11, "QA02"),
        _ => free_text(s),
    }
}

fn pathogen(s: &str) -> Value {
    if s.eq_ignore_ascii_case("COVID-19") {
        icd11(ICD11, "XN109")
    } else {
        free_text(s)
    }
}

/// The DDCC subjects of a DIVOC certificate, one per `evidence` entry.
/// The certificate may carry `context` instead of `@context` (WHO's
/// fixtures do).
///
/// # Errors
/// [`MapError`].
pub fn subjects_of(cert: &Value) -> Result<Vec<(CredentialKind, Value)>, MapError> {
    let types: Vec<&str> = cert
        .get("type")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let kind = if types.contains(&"ProofOfVaccinationCredential") {
        CredentialKind::Vaccination
    } else if types.contains(&"ProofOfTestCertificateCredential") {
        CredentialKind::TestResult
    } else {
        return Err(MapError::UnknownType);
    };
    let subject = cert
        .get("credentialSubject")
        .filter(|s| s.is_object())
        .ok_or(MapError::NoSubject)?;
    let evidence = cert
        .get("evidence")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
        .ok_or(MapError::NoEvidence)?;

    let mut person = Map::new();
    if let Some(n) = text(subject, "/name") {
        person.insert("name".into(), Value::from(n));
    }
    if let Some(d) = text(subject, "/dob") {
        person.insert("birthDate".into(), Value::from(d));
    }
    let sex = text(subject, "/gender")
        .or_else(|| text(subject, "/sex"))
        .map(str::to_ascii_lowercase);
    if let Some(s) = sex.filter(|s| matches!(s.as_str(), "male" | "female" | "other")) {
        person.insert("sex".into(), Value::from(s));
    }
    if let Some(id) = text(subject, "/id") {
        person.insert("identifier".into(), json!([{ "value": id }]));
    }
    let version = cert
        .get("@context")
        .or_else(|| cert.get("context"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|c| *c != "https://www.w3.org/2018/credentials/v1");
    let issuer = text(cert, "/issuer").or_else(|| text(cert, "/issuer/id"));

    let mut out = Vec::with_capacity(evidence.len());
    for e in evidence {
        let mut certificate = Map::new();
        if let Some(id) = text(e, "/certificateId") {
            certificate.insert("hcid".into(), Value::from(id));
        }
        if let Some(v) = version {
            certificate.insert("version".into(), Value::from(v));
        }
        if let Some(i) = issuer {
            certificate.insert("issuer".into(), json!({ "name": i }));
        }
        let mut period = Map::new();
        if let Some(s) = text(e, "/effectiveStart") {
            period.insert("start".into(), Value::from(s));
        }
        if let Some(s) = text(e, "/effectiveUntil") {
            period.insert("end".into(), Value::from(s));
        }
        if !period.is_empty() {
            certificate.insert("period".into(), Value::Object(period));
        }
        let country = text(e, "/facility/address/addressCountry")
            .map(alpha3)
            .transpose()?;
        let mut ev = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                ev.insert(k.into(), v);
            }
        };
        match kind {
            CredentialKind::Vaccination => {
                let brand = text(e, "/vaccine").map(|v| (v, codes::brand_by_name(v)));
                let vaccine = text(e, "/icd11Code").or_else(|| {
                    brand
                        .as_ref()
                        .and_then(|(_, b)| b.as_ref())
                        .and_then(|b| codes::vaccine_type_of_brand(&b.code))
                });
                put("vaccine", vaccine.map(|c| icd11(ICD11, c)));
                put(
                    "brand",
                    brand.map(|(text, known)| match known {
                        Some(b) => serde_json::to_value(b).unwrap_or(Value::Null),
                        None => free_text(text),
                    }),
                );
                put("manufacturer", text(e, "/manufacturer").map(free_text));
                put("lot", text(e, "/batch").map(Value::from));
                put(
                    "date",
                    text(e, "/date").map(|d| Value::from(d.get(..10).unwrap_or(d))),
                );
                put("dose", count(e, "/dose"));
                put("totalDoses", count(e, "/totalDoses"));
                put("country", country.map(Value::from));
                put("centre", text(e, "/facility/name").map(Value::from));
                put("practitioner", text(e, "/verifier/name").map(Value::from));
            }
            _ => {
                put("pathogen", text(e, "/disease").map(pathogen));
                put("testType", text(e, "/testType").map(test_type));
                put("brand", text(e, "/testName").map(free_text));
                put("manufacturer", text(e, "/manufacturer").map(free_text));
                put("origin", text(e, "/sampleOrigin").map(free_text));
                put(
                    "sampleDate",
                    text(e, "/sampleCollectionTimestamp").map(Value::from),
                );
                put("result", text(e, "/result").map(test_result));
                put("centre", text(e, "/facility/name").map(Value::from));
                put("country", country.map(Value::from));
            }
        }
        let mut s = person.clone();
        s.insert("certificate".into(), Value::Object(certificate));
        s.insert(kind.event_member().into(), Value::Object(ev));
        out.push((kind, Value::Object(s)));
    }
    Ok(out)
}
