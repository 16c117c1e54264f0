//! An EU DCC in the DDCC data model: the same subject fields our own
//! credentials carry (`name`, `birthDate`, `certificate`, and a
//! `vaccination`, `test` or `recovery` event), with ICD-11 codings (and
//! their equivalents) where the EU's SNOMED, LOINC or Union Register codes
//! have a known counterpart, ISO 3166-1 alpha-3 countries, and the EU codes
//! kept as they are otherwise. Fields the EU DCC does not carry (the lot
//! number, say) are absent. This follows WHO's `CertDCCtoCoreDataSet` map.

use ddcc_core::codes::{self, SNOMED};
use ddcc_core::vocab::CredentialKind;
use serde_json::{Map, Value, json};

/// The EU Union Register of medicinal products.
const EU_UR: &str = codes::EU_UNION_REGISTER;
/// LOINC, for test types.
const LOINC: &str = codes::LOINC;
/// EMA SPOR organisations (marketing authorisation holders).
const SPOR: &str = "https://spor.ema.europa.eu/v1/organisations";
/// The EU's list of rapid antigen test devices.
const JRC: &str = "https://covid-19-diagnostics.jrc.ec.europa.eu/devices";

/// Why an EU DCC payload does not map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MapError {
    /// Not exactly one of `v`, `t`, `r` with one entry.
    #[error("the certificate does not hold exactly one vaccination, test or recovery entry")]
    NotOneEvent,
    /// A country code that is not ISO 3166-1 alpha-2.
    #[error("'{0}' is not an ISO 3166-1 alpha-2 country code")]
    Country(String),
}

fn text<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// An EU code as our coding: its ICD-11 counterpart when known, else the
/// code in its own system.
fn coding(system: &str, code: &str, display: Option<&str>) -> Value {
    let mut c = match codes::from_equivalent(system, code) {
        Some(c) => serde_json::to_value(c).unwrap_or(Value::Null),
        None => json!({"system": system, "code": code}),
    };
    if let (Some(d), Some(o)) = (display, c.as_object_mut()) {
        o.insert("display".into(), Value::from(d));
    }
    c
}

fn alpha3(alpha2: &str) -> Result<String, MapError> {
    isocountry::CountryCode::for_alpha2_caseless(alpha2)
        .map(|c| c.alpha3().to_owned())
        .map_err(|_| MapError::Country(alpha2.chars().take(8).collect()))
}

/// The DDCC kind and subject of an EU DCC payload (the `-260`/`1` object).
///
/// # Errors
/// [`MapError`].
pub fn subject_of(dcc: &Value) -> Result<(CredentialKind, Value), MapError> {
    let groups: Vec<(&str, &Value)> = ["v", "t", "r"]
        .into_iter()
        .filter_map(|k| Some((k, dcc.get(k)?)))
        .collect();
    let [(group, entries)] = groups.as_slice() else {
        return Err(MapError::NotOneEvent);
    };
    let [entry] = entries.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err(MapError::NotOneEvent);
    };
    let mut s = Map::new();
    let nam = dcc.get("nam").cloned().unwrap_or(Value::Null);
    let (gn, fnm) = (text(&nam, "gn"), text(&nam, "fn"));
    let name: Vec<&str> = gn.into_iter().chain(fnm).collect();
    if !name.is_empty() {
        s.insert("name".into(), Value::from(name.join(" ")));
    }
    if let Some(f) = fnm {
        s.insert("familyName".into(), Value::from(f));
    }
    if let Some(g) = gn {
        s.insert("givenName".into(), Value::from(g));
    }
    let icao = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_uppercase() || b == b'<');
    for (eu, ours) in [
        ("fnt", "standardizedFamilyName"),
        ("gnt", "standardizedGivenName"),
    ] {
        if let Some(v) = text(&nam, eu).filter(|v| icao(v)) {
            s.insert(ours.into(), Value::from(v));
        }
    }
    if let Some(dob) = text(dcc, "dob") {
        s.insert("birthDate".into(), Value::from(dob));
    }
    let country = text(entry, "co").map(alpha3).transpose()?;
    let mut issuer = Map::new();
    if let Some(is) = text(entry, "is") {
        issuer.insert("name".into(), Value::from(is));
    }
    if let Some(c) = &country {
        issuer.insert("country".into(), Value::from(c.as_str()));
    }
    let mut certificate = Map::new();
    if let Some(ci) = text(entry, "ci") {
        certificate.insert("hcid".into(), Value::from(ci));
    }
    certificate.insert(
        "version".into(),
        Value::from(ddcc_core::vocab::DDCC_VS_VERSION),
    );
    certificate.insert("issuer".into(), Value::Object(issuer));
    s.insert("certificate".into(), Value::Object(certificate));

    let mut e = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            e.insert(k.into(), v);
        }
    };
    let kind = match *group {
        "v" => {
            put(
                "vaccine",
                text(entry, "vp").map(|c| coding(SNOMED, c, None)),
            );
            put("brand", text(entry, "mp").map(|c| coding(EU_UR, c, None)));
            put(
                "maholder",
                text(entry, "ma").map(|c| json!({"system": SPOR, "code": c})),
            );
            put("date", text(entry, "dt").map(Value::from));
            put("dose", entry.get("dn").filter(|d| d.is_number()).cloned());
            put(
                "totalDoses",
                entry.get("sd").filter(|d| d.is_number()).cloned(),
            );
            put("country", country.clone().map(Value::from));
            put(
                "disease",
                text(entry, "tg").map(|c| coding(SNOMED, c, None)),
            );
            CredentialKind::Vaccination
        }
        "t" => {
            put(
                "pathogen",
                text(entry, "tg").map(|c| coding(SNOMED, c, None)),
            );
            put(
                "testType",
                text(entry, "tt").map(|c| coding(LOINC, c, None)),
            );
            put(
                "brand",
                text(entry, "ma").map(|c| coding(JRC, c, text(entry, "nm"))),
            );
            put("sampleDate", text(entry, "sc").map(Value::from));
            put("result", text(entry, "tr").map(|c| coding(SNOMED, c, None)));
            put("centre", text(entry, "tc").map(Value::from));
            put("country", country.clone().map(Value::from));
            CredentialKind::TestResult
        }
        _ => {
            put(
                "disease",
                text(entry, "tg").map(|c| coding(SNOMED, c, None)),
            );
            put("firstPositiveDate", text(entry, "fr").map(Value::from));
            put("country", country.clone().map(Value::from));
            CredentialKind::Recovery
        }
    };
    s.insert(kind.event_member().into(), Value::Object(e));
    Ok((kind, Value::Object(s)))
}
