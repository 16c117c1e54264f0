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

/// Why a FHIR document Bundle is not a DDCC:VS record. Messages name
/// resources, elements and extensions, never their values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Not a `Bundle` of type `document` whose first entry is a
    /// `Composition`.
    #[error("not a FHIR document Bundle starting with a Composition")]
    NotADocument,
    /// A reference that names no resource of the bundle.
    #[error("the {0} reference names no resource in the bundle")]
    Dangling(&'static str),
    /// A required element is missing or has the wrong type.
    #[error("{resource}.{element} is missing or not a {expected}")]
    Bad {
        /// The resource type.
        resource: &'static str,
        /// The element.
        element: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// An element (or extension) this mapping does not know.
    #[error("{resource} has an element this mapping does not know: '{element}'")]
    Unknown {
        /// The resource type.
        resource: &'static str,
        /// The element name or extension URL (clipped).
        element: String,
    },
}

const EXT: &str = "http://smart.who.int/ddcc/StructureDefinition/";

/// The resource of `bundle` that `reference` (`Type/id`, or a `fullUrl`)
/// names.
fn resolve<'a>(bundle: &'a [Value], reference: &str) -> Option<&'a Value> {
    bundle.iter().find_map(|e| {
        let r = e.get("resource")?;
        let full = e.get("fullUrl").and_then(Value::as_str);
        let local = format!(
            "{}/{}",
            r.get("resourceType")?.as_str()?,
            r.get("id").and_then(Value::as_str).unwrap_or("")
        );
        (full == Some(reference) || local == reference).then_some(r)
    })
}

fn reference(v: Option<&Value>) -> Option<&str> {
    v?.get("reference")?.as_str()
}

fn only_known(r: &Value, resource: &'static str, known: &[&str]) -> Result<(), BundleError> {
    if let Some(o) = r.as_object()
        && let Some(k) = o.keys().find(|k| !known.contains(&k.as_str()))
    {
        return Err(BundleError::Unknown {
            resource,
            element: k.chars().take(60).collect(),
        });
    }
    Ok(())
}

/// A FHIR Coding as our `{system, code, display?}`.
fn fhir_coding(c: &Value) -> Option<Value> {
    let mut o = Map::new();
    o.insert("system".into(), c.get("system")?.as_str()?.into());
    o.insert("code".into(), c.get("code")?.as_str()?.into());
    if let Some(d) = c.get("display").and_then(Value::as_str) {
        o.insert("display".into(), d.into());
    }
    Some(Value::Object(o))
}

/// The first coding of a CodeableConcept.
fn concept(v: Option<&Value>) -> Option<Value> {
    fhir_coding(v?.get("coding")?.as_array()?.first()?)
}

/// Our name fields from a FHIR `HumanName`: `name` (its `text`, else its
/// given names and family name joined), `familyName`, `givenName`; empty
/// when it has none of these.
pub fn person_names(name: Option<&Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(n) = name else {
        return out;
    };
    let given: Vec<&str> = n
        .get("given")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let family = n.get("family").and_then(Value::as_str);
    let joined: Vec<&str> = given.iter().copied().chain(family).collect();
    let text = n
        .get("text")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| (!joined.is_empty()).then(|| joined.join(" ")));
    if let Some(t) = text {
        out.insert("name".into(), t.into());
    }
    if let Some(f) = family {
        out.insert("familyName".into(), f.into());
    }
    if !given.is_empty() {
        out.insert("givenName".into(), given.join(" ").into());
    }
    out
}

/// The issuer record of a WHO DDCC:VS **document** Bundle (Composition,
/// Patient, Organization, Immunization, ImmunizationRecommendation), as in
/// WHO's `Bundle-ExampleEnglish`:
///
/// | FHIR | record field |
/// |---|---|
/// | `Composition.identifier.value` | `subject.certificate.hcid` |
/// | `Patient.name[0].text` (or given + family) , `.birthDate`, `.gender`, `.identifier[0].value` | `subject.name`, `.birthDate`, `.sex`, `.identifier[0].value` |
/// | `Organization.name` (the Composition's author), `.address[0].country` | `subject.certificate.issuer.name`, `.country` (else the country of vaccination) |
/// | `Immunization.vaccineCode` | `vaccination.vaccine` |
/// | extensions `DDCCEventBrand`, `DDCCCountryOfEvent`, `DDCCVaccineMarketAuthorization`, `DDCCVaccineValidFrom` | `.brand`, `.country`, `.maholder`, `.vaccineValidFrom` |
/// | `.occurrenceDateTime` (its date), `.lotNumber`, `.location.display` | `.date`, `.lot`, `.centre` |
/// | `.protocolApplied[0]`: `doseNumberPositiveInt`, `seriesDosesPositiveInt`, `targetDisease[0]` | `.dose`, `.totalDoses`, `.disease` |
/// | `ImmunizationRecommendation.recommendation[0].dateCriterion[0].value` | `.nextDose` |
///
/// The vaccine's own `expirationDate` is not part of DDCC:VS and is not
/// carried. Any other element or extension is refused by name, so nothing
/// is silently dropped.
///
/// # Errors
/// The [`BundleError`] naming what cannot be mapped.
pub fn record_from_document_bundle(bundle: &Value) -> Result<Value, BundleError> {
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle")
        || bundle.get("type").and_then(Value::as_str) != Some("document")
    {
        return Err(BundleError::NotADocument);
    }
    let entries = bundle
        .get("entry")
        .and_then(Value::as_array)
        .ok_or(BundleError::NotADocument)?;
    let composition = entries
        .first()
        .and_then(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Composition"))
        .ok_or(BundleError::NotADocument)?;
    let bad = |resource, element, expected| BundleError::Bad {
        resource,
        element,
        expected,
    };
    let hcid = composition
        .pointer("/identifier/value")
        .and_then(Value::as_str)
        .ok_or(bad("Composition", "identifier.value", "string"))?;
    let patient = reference(composition.get("subject"))
        .and_then(|r| resolve(entries, r))
        .ok_or(BundleError::Dangling("Composition.subject"))?;
    let organization = reference(composition.pointer("/author/0"))
        .and_then(|r| resolve(entries, r))
        .ok_or(BundleError::Dangling("Composition.author"))?;
    let section =
        composition
            .pointer("/section/0")
            .ok_or(bad("Composition", "section", "section"))?;
    let immunization = reference(section.get("focus"))
        .or_else(|| reference(section.pointer("/entry/0")))
        .and_then(|r| resolve(entries, r))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Immunization"))
        .ok_or(BundleError::Dangling("Composition.section.focus"))?;
    let recommendation = section
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| resolve(entries, reference(Some(e))?))
        .find(|r| {
            r.get("resourceType").and_then(Value::as_str) == Some("ImmunizationRecommendation")
        });

    let structural = ["resourceType", "id", "meta", "text"];
    // Patient.
    let mut known: Vec<&str> = structural.to_vec();
    known.extend(["name", "birthDate", "gender", "identifier"]);
    only_known(patient, "Patient", &known)?;
    let mut subject = Map::new();
    let names = person_names(patient.pointer("/name/0"));
    if !names.contains_key("name") {
        return Err(bad("Patient", "name", "HumanName with text or parts"));
    }
    subject.extend(names);
    if let Some(b) = patient.get("birthDate") {
        subject.insert(
            "birthDate".into(),
            b.as_str()
                .ok_or(bad("Patient", "birthDate", "date"))?
                .into(),
        );
    }
    if let Some(g) = patient.get("gender") {
        subject.insert(
            "sex".into(),
            g.as_str().ok_or(bad("Patient", "gender", "code"))?.into(),
        );
    }
    if let Some(v) = patient.pointer("/identifier/0/value") {
        let v = v.as_str().ok_or(bad("Patient", "identifier", "string"))?;
        subject.insert("identifier".into(), json!([{ "value": v }]));
    }

    // Immunization.
    let mut known: Vec<&str> = structural.to_vec();
    known.extend([
        "extension",
        "status",
        "vaccineCode",
        "patient",
        "occurrenceDateTime",
        "location",
        "lotNumber",
        "expirationDate",
        "performer",
        "protocolApplied",
    ]);
    only_known(immunization, "Immunization", &known)?;
    let mut vaccination = Map::new();
    vaccination.insert(
        "vaccine".into(),
        concept(immunization.get("vaccineCode")).ok_or(bad(
            "Immunization",
            "vaccineCode",
            "CodeableConcept",
        ))?,
    );
    for ext in immunization
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let url = ext.get("url").and_then(Value::as_str).unwrap_or("");
        let name = url.strip_prefix(EXT).unwrap_or("");
        let coding = || {
            ext.get("valueCoding").and_then(fhir_coding).ok_or(bad(
                "Immunization",
                "extension",
                "valueCoding",
            ))
        };
        match name {
            "DDCCEventBrand" => {
                vaccination.insert("brand".into(), coding()?);
            }
            "DDCCVaccineMarketAuthorization" => {
                vaccination.insert("maholder".into(), coding()?);
            }
            "DDCCCountryOfEvent" => {
                let c = ext.get("valueCode").and_then(Value::as_str).ok_or(bad(
                    "Immunization",
                    "extension",
                    "valueCode",
                ))?;
                vaccination.insert("country".into(), c.into());
            }
            "DDCCVaccineValidFrom" => {
                let d = ext.get("valueDate").and_then(Value::as_str).ok_or(bad(
                    "Immunization",
                    "extension",
                    "valueDate",
                ))?;
                vaccination.insert("vaccineValidFrom".into(), d.into());
            }
            _ => {
                return Err(BundleError::Unknown {
                    resource: "Immunization",
                    element: url.chars().take(100).collect(),
                });
            }
        }
    }
    let date = immunization
        .get("occurrenceDateTime")
        .and_then(Value::as_str)
        .ok_or(bad("Immunization", "occurrenceDateTime", "dateTime"))?;
    vaccination.insert(
        "date".into(),
        date.get(..10).unwrap_or(date).to_owned().into(),
    );
    if let Some(l) = immunization.get("lotNumber") {
        let l = l
            .as_str()
            .ok_or(bad("Immunization", "lotNumber", "string"))?;
        vaccination.insert("lot".into(), l.into());
    }
    if let Some(c) = immunization.pointer("/location/display") {
        let c = c
            .as_str()
            .ok_or(bad("Immunization", "location", "display"))?;
        vaccination.insert("centre".into(), c.into());
    }
    let protocol = immunization.pointer("/protocolApplied/0").ok_or(bad(
        "Immunization",
        "protocolApplied",
        "element",
    ))?;
    let dose = protocol
        .get("doseNumberPositiveInt")
        .filter(|d| d.is_u64())
        .ok_or(bad(
            "Immunization",
            "protocolApplied.doseNumberPositiveInt",
            "positive integer",
        ))?;
    vaccination.insert("dose".into(), dose.clone());
    if let Some(t) = protocol.get("seriesDosesPositiveInt") {
        if !t.is_u64() {
            return Err(bad(
                "Immunization",
                "protocolApplied.seriesDosesPositiveInt",
                "positive integer",
            ));
        }
        vaccination.insert("totalDoses".into(), t.clone());
    }
    if let Some(d) = protocol.pointer("/targetDisease/0") {
        let d = concept(Some(d)).ok_or(bad(
            "Immunization",
            "protocolApplied.targetDisease",
            "CodeableConcept",
        ))?;
        vaccination.insert("disease".into(), d);
    }
    if let Some(r) = recommendation
        && let Some(next) = r
            .pointer("/recommendation/0/dateCriterion/0/value")
            .and_then(Value::as_str)
    {
        vaccination.insert(
            "nextDose".into(),
            next.get(..10).unwrap_or(next).to_owned().into(),
        );
    }

    // The issuing authority.
    let mut issuer = Map::new();
    issuer.insert(
        "name".into(),
        organization
            .get("name")
            .and_then(Value::as_str)
            .ok_or(bad("Organization", "name", "string"))?
            .into(),
    );
    if let Some(c) = organization
        .pointer("/address/0/country")
        .or_else(|| vaccination.get("country"))
    {
        issuer.insert("country".into(), c.clone());
    }
    let mut certificate = Map::new();
    certificate.insert("hcid".into(), hcid.into());
    certificate.insert("version".into(), "1.0.0".into());
    certificate.insert("issuer".into(), Value::Object(issuer));
    subject.insert("certificate".into(), Value::Object(certificate));
    subject.insert("vaccination".into(), Value::Object(vaccination));
    let mut record = Map::new();
    record.insert("subject".into(), Value::Object(subject));
    Ok(Value::Object(record))
}
