//! The VC Data Model's rules for the shape of credentials and
//! presentations (VC Data Model 2.0 §4, and the 1.1 forms still in use),
//! checked before anything is signed and again when a credential is
//! verified.
//!
//! These are the rules the data model states with MUST that can be read off
//! the JSON: required properties, URLs where URLs go, `type` on every object
//! that needs one, dates that are dates, language value objects that are
//! nothing else. A proof's shape is the proof check's. What needs JSON-LD (terms that expand to URLs, protected
//! terms) is the expansion's business; what needs a clock (validity now)
//! is the validity check's.

use serde_json::{Map, Value};

/// Why a document breaks the data model: a stable code and a sentence.
///
/// The sentence names properties and rules, never values: a credential's
/// values may be personal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ModelError {
    /// A stable code (`missing_issuer`, `bad_date`, …).
    pub code: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> ModelError {
    ModelError {
        code,
        message: message.into(),
    }
}

/// The VC 2.0 base context.
const V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The VC 1.1 base context.
const V1: &str = "https://www.w3.org/2018/credentials/v1";

/// Checks a credential against the data model, as its issuer must make it.
///
/// # Errors
/// The first rule it breaks.
pub fn check_credential(credential: &Map<String, Value>) -> Result<(), ModelError> {
    check_credential_as(credential, true)
}

/// Checks a credential against the data model, as a verifier reads it:
/// as [`check_credential`], except that a VC 2.0 date without a time zone
/// is read as UTC (VC 2.0 §4.9.1 "Representing Time": such values "MUST be
/// interpreted as UTC") instead of refused.
///
/// # Errors
/// The first rule it breaks.
pub fn check_received_credential(credential: &Map<String, Value>) -> Result<(), ModelError> {
    check_credential_as(credential, false)
}

fn check_credential_as(credential: &Map<String, Value>, issuing: bool) -> Result<(), ModelError> {
    let version = check_contexts(credential)?;
    optional_url(credential, "id", "the credential's id")?;
    check_type(credential, "VerifiableCredential", "a credential")?;
    check_issuer(credential.get("issuer"))?;
    check_subjects(credential.get("credentialSubject"))?;
    check_language_values(credential, "the credential")?;
    match version {
        Version::V2 => {
            let from = optional_date(credential, "validFrom", issuing)?;
            let until = optional_date(credential, "validUntil", issuing)?;
            if let (Some(from), Some(until)) = (from, until)
                && from > until
            {
                return Err(err("empty_validity", "validFrom is later than validUntil"));
            }
        }
        Version::V1 => {
            optional_date(credential, "issuanceDate", false)?;
            optional_date(credential, "expirationDate", false)?;
        }
    }
    for (member, needs_id) in [
        ("credentialStatus", false),
        ("credentialSchema", true),
        ("refreshService", false),
        ("termsOfUse", false),
        ("evidence", false),
    ] {
        typed_objects(credential, member, needs_id)?;
    }
    // The proof's shape is the proof check's business: it names the proof
    // concerned.
    check_bitstring_entries(credential.get("credentialStatus"))?;
    check_related_resources(credential.get("relatedResource"))
}

/// Checks a presentation against the data model, and every credential it
/// carries.
///
/// # Errors
/// The first rule it, or a credential in it, breaks.
pub fn check_presentation(presentation: &Map<String, Value>) -> Result<(), ModelError> {
    check_contexts(presentation)?;
    optional_url(presentation, "id", "the presentation's id")?;
    check_type(presentation, "VerifiablePresentation", "a presentation")?;
    match presentation.get("holder") {
        None => {}
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {
            check_language_values(o, "the holder")?;
        }
        Some(_) => {
            return Err(err(
                "bad_holder",
                "holder must be a URL or an object whose id is a URL",
            ));
        }
    }
    let credentials: Vec<&Value> = match presentation.get("verifiableCredential") {
        None => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    };
    for vc in credentials {
        let Value::Object(vc) = vc else {
            return Err(err(
                "bad_credential",
                "each verifiableCredential must be an object (a credential, or an \
                 EnvelopedVerifiableCredential for one in another format)",
            ));
        };
        if has_type(vc, "EnvelopedVerifiableCredential") {
            check_contexts(vc)?;
            match vc.get("id").and_then(Value::as_str) {
                Some(id) if id.starts_with("data:") => {}
                _ => {
                    return Err(err(
                        "bad_enveloped_credential",
                        "an EnvelopedVerifiableCredential's id must be a data: URL",
                    ));
                }
            }
        } else {
            check_received_credential(vc)?;
        }
    }
    Ok(())
}

/// Checks a document about to be signed: a credential or a presentation by
/// its `type`; anything else (a DID document, a trust list's own shape) is
/// not the data model's business.
///
/// # Errors
/// As [`check_credential`] or [`check_presentation`].
pub fn check_document(doc: &Map<String, Value>) -> Result<(), ModelError> {
    if has_type(doc, "VerifiableCredential") {
        check_credential(doc)
    } else if has_type(doc, "VerifiablePresentation") {
        check_presentation(doc)
    } else {
        Ok(())
    }
}

enum Version {
    V1,
    V2,
}

/// `@context`: the base context first, then URLs or context objects.
fn check_contexts(doc: &Map<String, Value>) -> Result<Version, ModelError> {
    let list: Vec<&Value> = match doc.get("@context") {
        None => return Err(err("missing_context", "the @context is missing")),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    };
    let version = match list.first().and_then(|v| v.as_str()) {
        Some(V2) => Version::V2,
        Some(V1) => Version::V1,
        _ => {
            return Err(err(
                "missing_base_context",
                "the first @context must be the W3C credentials context",
            ));
        }
    };
    for item in &list[1..] {
        match item {
            Value::String(s) if is_url(s) => {}
            Value::Object(_) => {}
            _ => {
                return Err(err(
                    "bad_context",
                    "each @context after the first must be a URL or a context object",
                ));
            }
        }
    }
    Ok(version)
}

/// Whether `s` is an absolute URL (an IRI with a scheme and no characters
/// an IRI cannot hold).
fn is_url(s: &str) -> bool {
    ddcc_ld::is_absolute_iri(s)
}

fn optional_url(doc: &Map<String, Value>, member: &str, what: &str) -> Result<(), ModelError> {
    match doc.get(member) {
        None => Ok(()),
        Some(Value::String(s)) if is_url(s) => Ok(()),
        Some(_) => Err(err("bad_id", format!("{what} must be one URL"))),
    }
}

fn type_list(doc: &Map<String, Value>) -> Option<Vec<&str>> {
    match doc.get("type")? {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(a) if !a.is_empty() => a.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn has_type(doc: &Map<String, Value>, wanted: &str) -> bool {
    type_list(doc).is_some_and(|t| t.contains(&wanted))
}

fn check_type(doc: &Map<String, Value>, required: &str, what: &str) -> Result<(), ModelError> {
    match type_list(doc) {
        Some(types) if types.contains(&required) => Ok(()),
        Some(_) => Err(err(
            "bad_type",
            format!("the type of {what} must include {required}"),
        )),
        None => Err(err(
            "bad_type",
            format!("{what} must have a type: a string or a list of strings"),
        )),
    }
}

fn check_issuer(issuer: Option<&Value>) -> Result<(), ModelError> {
    match issuer {
        None => Err(err("missing_issuer", "the credential has no issuer")),
        Some(Value::String(s)) if is_url(s) => Ok(()),
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {
            check_language_values(o, "the issuer")
        }
        Some(_) => Err(err(
            "bad_issuer",
            "issuer must be a URL or an object whose id is a URL",
        )),
    }
}

fn check_subjects(subject: Option<&Value>) -> Result<(), ModelError> {
    let subjects: Vec<&Value> = match subject {
        None => {
            return Err(err(
                "missing_subject",
                "the credential has no credentialSubject",
            ));
        }
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(Value::Array(_)) => {
            return Err(err(
                "empty_subject",
                "credentialSubject must hold at least one subject",
            ));
        }
        Some(v) => vec![v],
    };
    for s in subjects {
        let Value::Object(o) = s else {
            return Err(err(
                "bad_subject",
                "each credentialSubject must be an object",
            ));
        };
        if o.is_empty() {
            return Err(err(
                "empty_subject",
                "a credentialSubject must make at least one claim",
            ));
        }
        optional_url(o, "id", "a credentialSubject's id").map_err(|e| ModelError {
            code: "bad_subject_id",
            ..e
        })?;
    }
    Ok(())
}

/// `name` and `description`: a string, a language value object, or a list
/// of those.
fn check_language_values(doc: &Map<String, Value>, what: &str) -> Result<(), ModelError> {
    for member in ["name", "description"] {
        let values: Vec<&Value> = match doc.get(member) {
            None => continue,
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v) => vec![v],
        };
        for v in values {
            let ok = match v {
                Value::String(_) => true,
                Value::Object(o) => {
                    o.get("@value").is_some_and(Value::is_string)
                        && o.get("@language").is_none_or(Value::is_string)
                        && o.get("@direction")
                            .is_none_or(|d| matches!(d.as_str(), Some("ltr" | "rtl")))
                        && o.keys()
                            .all(|k| matches!(k.as_str(), "@value" | "@language" | "@direction"))
                }
                _ => false,
            };
            if !ok {
                return Err(err(
                    "bad_language_value",
                    format!(
                        "{what}'s {member} must be a string or a language value object \
                         (@value, and optionally @language and @direction, nothing else)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The objects of `member` (one or a list): each with a `type`, an `id`
/// that is a URL when present (and required when `needs_id`).
fn typed_objects(doc: &Map<String, Value>, member: &str, needs_id: bool) -> Result<(), ModelError> {
    let items: Vec<&Value> = match doc.get(member) {
        None => return Ok(()),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    };
    let bad = |rule: &str| err("bad_member", format!("each {member} {rule}"));
    for item in items {
        let Value::Object(o) = item else {
            return Err(bad("must be an object"));
        };
        if type_list(o).is_none() {
            return Err(bad("must have a type (a string or a list of strings)"));
        }
        match o.get("id") {
            None if needs_id => return Err(bad("must have an id")),
            None => {}
            Some(Value::String(s)) if is_url(s) => {}
            Some(_) => return Err(bad("must have an id that is one URL")),
        }
    }
    Ok(())
}

/// A `BitstringStatusListEntry` (Bitstring Status List §2.1): its
/// `statusPurpose`, a `statusListIndex` that is an integer written as a
/// string, and a `statusListCredential` URL.
fn check_bitstring_entries(status: Option<&Value>) -> Result<(), ModelError> {
    let items: Vec<&Value> = match status {
        None => return Ok(()),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    };
    for item in items {
        let Some(o) = item.as_object() else { continue };
        if !has_type(o, "BitstringStatusListEntry") {
            continue;
        }
        let index_ok = o
            .get("statusListIndex")
            .and_then(Value::as_str)
            .is_some_and(|i| {
                !i.is_empty() && i.len() <= 20 && i.bytes().all(|c| c.is_ascii_digit())
            });
        let ok = o.get("statusPurpose").is_some_and(|p| {
            p.as_str().is_some_and(|s| !s.is_empty())
                || p.as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))
        }) && index_ok
            && o.get("statusListCredential")
                .and_then(Value::as_str)
                .is_some_and(is_url);
        if !ok {
            return Err(err(
                "bad_status_entry",
                "a BitstringStatusListEntry needs a statusPurpose, a statusListIndex (an integer as a string) and a statusListCredential URL",
            ));
        }
    }
    Ok(())
}

/// `relatedResource`: objects each with a unique URL `id` and a digest.
fn check_related_resources(related: Option<&Value>) -> Result<(), ModelError> {
    let items: Vec<&Value> = match related {
        None => return Ok(()),
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        Some(_) => {
            return Err(err(
                "bad_related_resource",
                "relatedResource must be one or more objects",
            ));
        }
    };
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let Some(o) = item.as_object() else {
            return Err(err(
                "bad_related_resource",
                "each relatedResource must be an object",
            ));
        };
        let Some(id) = o.get("id").and_then(Value::as_str).filter(|s| is_url(s)) else {
            return Err(err(
                "bad_related_resource",
                "each relatedResource must have an id that is a URL",
            ));
        };
        if !seen.insert(id) {
            return Err(err(
                "bad_related_resource",
                "two relatedResource entries have the same id",
            ));
        }
        let sri = o.get("digestSRI");
        let multibase = o.get("digestMultibase");
        if sri.is_none() && multibase.is_none() {
            return Err(err(
                "bad_related_resource",
                "each relatedResource must have a digestSRI or a digestMultibase",
            ));
        }
        if sri.is_some_and(|v| !v.as_str().is_some_and(is_sri))
            || multibase.is_some_and(|v| !v.as_str().is_some_and(|s| s.starts_with(['u', 'z'])))
        {
            return Err(err(
                "bad_related_resource",
                "a relatedResource digest is not a Subresource Integrity value or a multibase string",
            ));
        }
    }
    Ok(())
}

/// A Subresource Integrity value: `sha256-`, `sha384-` or `sha512-` and
/// base64.
fn is_sri(s: &str) -> bool {
    let Some((alg, b64)) = s.split_once('-') else {
        return false;
    };
    matches!(alg, "sha256" | "sha384" | "sha512")
        && !b64.is_empty()
        && b64
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
}

/// A date member: `dateTimeStamp` (a time zone required) or, for VC 1.1's
/// members, `dateTime`. Returns the instant when it has a time zone.
fn optional_date(
    doc: &Map<String, Value>,
    member: &str,
    zone_required: bool,
) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>, ModelError> {
    let Some(v) = doc.get(member) else {
        return Ok(None);
    };
    let bad = || {
        err(
            "bad_date",
            format!(
                "{member} must be an XML Schema {} (e.g. 2025-01-01T00:00:00Z)",
                if zone_required {
                    "dateTimeStamp"
                } else {
                    "dateTime"
                }
            ),
        )
    };
    let s = v.as_str().ok_or_else(bad)?;
    match parse_xsd_date_time(s) {
        Some(XsdDateTime::Zoned(t)) => Ok(Some(t)),
        Some(XsdDateTime::Local(t)) if !zone_required => Ok(Some(t)),
        _ => Err(bad()),
    }
}

enum XsdDateTime {
    Zoned(chrono::DateTime<chrono::FixedOffset>),
    /// Valid, without a time zone: read as UTC.
    Local(chrono::DateTime<chrono::FixedOffset>),
}

/// XML Schema 1.1 `dateTime`: `YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm)?`, with
/// a real calendar date. Years before 0001 or after 9999 are refused (no
/// credential needs them, and chrono cannot hold all of them).
fn parse_xsd_date_time(s: &str) -> Option<XsdDateTime> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 19
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let zone = &s[i..];
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone.as_bytes()[3] == b':'
            && zone[1..3].bytes().all(|c| c.is_ascii_digit())
            && zone[4..6].bytes().all(|c| c.is_ascii_digit())
            && {
                let h: u32 = zone[1..3].parse().unwrap_or(99);
                let m: u32 = zone[4..6].parse().unwrap_or(99);
                m < 60 && (h < 14 || (h == 14 && m == 0))
            });
    if !zone_ok {
        return None;
    }
    // The calendar and the clock (24:00:00 is midnight at the day's end).
    // The digits were checked above; read them without a format parser
    // (this runs for every credential verified).
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0..4)).ok()?, num(5..7), num(8..10))?;
    let fraction = &s[19..i];
    let (h, m, sec) = (num(11..13), num(14..16), num(17..19));
    let end_of_day = (h, m, sec) == (24, 0, 0);
    if end_of_day && fraction.bytes().any(|c| c != b'.' && c != b'0') {
        return None;
    }
    let nanos = match fraction.strip_prefix('.') {
        // Nine digits at most matter; the rest cannot change the instant.
        Some(f) => f
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(9)
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0')),
        None => 0,
    };
    let time = if end_of_day {
        chrono::NaiveTime::MIN
    } else {
        chrono::NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?
    };
    let mut local = date.and_time(time);
    if end_of_day {
        local = local.checked_add_signed(chrono::Duration::days(1))?;
    }
    if zone.is_empty() {
        let utc = chrono::FixedOffset::east_opt(0)?;
        return local
            .and_local_timezone(utc)
            .single()
            .map(XsdDateTime::Local);
    }
    let offset = if zone == "Z" {
        chrono::FixedOffset::east_opt(0)?
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let h: i32 = zone[1..3].parse().ok()?;
        let m: i32 = zone[4..6].parse().ok()?;
        chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60))?
    };
    local
        .and_local_timezone(offset)
        .single()
        .map(XsdDateTime::Zoned)
}

/// Data Integrity §2.1: a proof's `created` and `expires`, when present,
/// are `dateTimeStamp`s. The message for the first that is not.
pub fn proof_dates_problem(proof: &Map<String, Value>) -> Option<String> {
    ["created", "expires"].into_iter().find_map(|member| {
        proof
            .get(member)
            .is_some_and(|v| !v.as_str().is_some_and(is_date_time_stamp))
            .then(|| format!("the proof's {member} is not an XML Schema dateTimeStamp"))
    })
}

/// Whether `s` is an XML Schema `dateTimeStamp` (a `dateTime` with a time
/// zone), as VC 2.0's `validFrom`/`validUntil` and Data Integrity's
/// `created`/`expires` must be.
pub fn is_date_time_stamp(s: &str) -> bool {
    matches!(parse_xsd_date_time(s), Some(XsdDateTime::Zoned(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn base() -> Value {
        json!({
            "@context": [V2],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "credentialSubject": {"id": "did:example:subject"}
        })
    }

    fn with(member: &str, value: Value) -> Map<String, Value> {
        let mut m = obj(base());
        m.insert(member.into(), value);
        m
    }

    #[test]
    fn dates() {
        for ok in [
            "2023-02-26T01:21:51Z",
            "2023-02-26T01:21:51.123Z",
            "2023-02-26T01:21:51+05:30",
            "2023-02-26T01:21:51-14:00",
            "2024-02-29T00:00:00Z",
            "2023-12-31T24:00:00Z",
        ] {
            assert!(is_date_time_stamp(ok), "{ok}");
        }
        for bad in [
            "Sat 25 Feb 2023 07:16:31 PM CST",
            "Sun, 26 Feb 2023 01:22:14 +0000",
            "2023-02-26",
            "2023-02-26T01:21:51",
            "2023-02-26t01:21:51z",
            "2023-02-26 01:21:51Z",
            "2023-02-30T00:00:00Z",
            "2023-02-26T25:00:00Z",
            "2023-02-26T01:21:51.Z",
            "2023-02-26T01:21:51+15:00",
            "2023-02-26T01:21:51+0530",
            "2023-12-31T24:00:01Z",
            "FUTURE DATE",
            "",
        ] {
            assert!(!is_date_time_stamp(bad), "{bad}");
        }
        // VC 1.1's dateTime may leave out the zone.
        let mut v1 = obj(base());
        v1.insert("@context".into(), json!([V1]));
        v1.insert("issuanceDate".into(), json!("2023-02-26T01:21:51"));
        assert_eq!(check_credential(&v1), Ok(()));
        let mut v2 = obj(base());
        v2.insert("validFrom".into(), json!("2023-02-26T01:21:51"));
        assert_eq!(check_credential(&v2).unwrap_err().code, "bad_date");
        // A verifier reads it as UTC.
        assert_eq!(check_received_credential(&v2), Ok(()));
        v2.insert("validUntil".into(), json!("2023-02-26T01:21:50Z"));
        assert_eq!(
            check_received_credential(&v2).unwrap_err().code,
            "empty_validity"
        );
    }

    #[test]
    fn the_rules() {
        assert_eq!(check_credential(&obj(base())), Ok(()));
        let cases: Vec<(Map<String, Value>, &str)> = vec![
            (
                with(
                    "@context",
                    json!(["https://www.w3.org/ns/credentials/examples/v2"]),
                ),
                "missing_base_context",
            ),
            (with("@context", json!([V2, 123])), "bad_context"),
            (
                with("@context", json!([V2, "https ://not-a-url/v1"])),
                "bad_context",
            ),
            (
                with("id", json!(["https://a.example/1", "https://b.example/1"])),
                "bad_id",
            ),
            (with("type", json!([])), "bad_type"),
            (with("type", json!(["Other"])), "bad_type"),
            (with("issuer", json!(null)), "bad_issuer"),
            (with("issuer", json!("fake-issuer")), "bad_issuer"),
            (with("issuer", json!({"id": null})), "bad_issuer"),
            (with("credentialSubject", json!({})), "empty_subject"),
            (
                with("credentialSubject", json!([{"id": "did:example:a"}, {}])),
                "empty_subject",
            ),
            (
                with(
                    "credentialSubject",
                    json!({"id": ["did:example:a", "did:example:b"]}),
                ),
                "bad_subject_id",
            ),
            (
                with("validFrom", json!("Sat 25 Feb 2023 07:16:31 PM CST")),
                "bad_date",
            ),
            (
                with("credentialStatus", json!({"id": "did:example:status"})),
                "bad_member",
            ),
            (
                with("credentialStatus", json!({"type": "X", "id": "https ://x"})),
                "bad_member",
            ),
            (with("credentialStatus", json!({"type": 2})), "bad_member"),
            (
                with("credentialSchema", json!({"id": "did:example:schemas/1"})),
                "bad_member",
            ),
            (with("credentialSchema", json!({"type": "X"})), "bad_member"),
            (
                with("refreshService", json!({"id": "did:example:refresh/1"})),
                "bad_member",
            ),
            (with("termsOfUse", json!({})), "bad_member"),
            (with("evidence", json!({})), "bad_member"),
            (
                with(
                    "credentialStatus",
                    json!({"type": "BitstringStatusListEntry"}),
                ),
                "bad_status_entry",
            ),
            (
                with(
                    "credentialStatus",
                    json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": 94567, "statusListCredential": "https://s.example/1"}),
                ),
                "bad_status_entry",
            ),
            (
                with("relatedResource", json!("https://a.example")),
                "bad_related_resource",
            ),
            (
                with("relatedResource", json!([{"id": "https://a.example"}])),
                "bad_related_resource",
            ),
            (
                with(
                    "relatedResource",
                    json!([
                        {"id": "https://a.example", "digestSRI": "sha384-abc"},
                        {"id": "https://a.example", "digestSRI": "sha384-abd"}
                    ]),
                ),
                "bad_related_resource",
            ),
            (
                with(
                    "name",
                    json!({"@value": "x", "@language": "en", "extra": 1}),
                ),
                "bad_language_value",
            ),
            (
                with("name", json!({"@value": "x", "@direction": "up"})),
                "bad_language_value",
            ),
        ];
        for (doc, code) in cases {
            assert_eq!(
                check_credential(&doc).map_err(|e| e.code),
                Err(code),
                "{}",
                Value::Object(doc.clone())
            );
        }
        let mut missing = obj(base());
        missing.remove("issuer");
        assert_eq!(
            check_credential(&missing).unwrap_err().code,
            "missing_issuer"
        );
        missing = obj(base());
        missing.remove("credentialSubject");
        assert_eq!(
            check_credential(&missing).unwrap_err().code,
            "missing_subject"
        );
        let mut until = obj(base());
        until.insert("validFrom".into(), json!("2024-01-01T00:00:00Z"));
        until.insert("validUntil".into(), json!("2023-01-01T00:00:00Z"));
        assert_eq!(check_credential(&until).unwrap_err().code, "empty_validity");
        for ok in [
            with(
                "name",
                json!([{"@value": "x", "@language": "en"}, {"@value": "y", "@language": "fr", "@direction": "rtl"}]),
            ),
            with(
                "issuer",
                json!({"id": "did:example:i", "name": {"@value": "x", "@language": "en"}}),
            ),
            with(
                "relatedResource",
                json!([{"id": "https://a.example", "digestSRI": "sha384-abc+/="}, {"id": "https://b.example", "digestMultibase": "uEiB"}]),
            ),
            with(
                "credentialStatus",
                json!([{"type": "X"}, {"type": ["Y"], "id": "https://s.example/1"}]),
            ),
            with(
                "credentialStatus",
                json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "94567", "statusListCredential": "https://s.example/1"}),
            ),
        ] {
            assert_eq!(
                check_credential(&ok),
                Ok(()),
                "{}",
                Value::Object(ok.clone())
            );
        }
    }

    #[test]
    fn presentations() {
        let vp = |extra: Value| {
            let mut m = obj(json!({"@context": [V2], "type": ["VerifiablePresentation"]}));
            if let Value::Object(e) = extra {
                m.extend(e);
            }
            m
        };
        assert_eq!(check_presentation(&vp(json!({}))), Ok(()));
        assert_eq!(
            check_presentation(&vp(
                json!({"holder": "did:example:h", "verifiableCredential": [base()]})
            )),
            Ok(())
        );
        for (doc, code) in [
            (
                vp(json!({"holder": "z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"})),
                "bad_holder",
            ),
            (vp(json!({"holder": {"name": "Acme"}})), "bad_holder"),
            (
                vp(json!({"verifiableCredential": ["eyJhbGciOi.eyJ2Yy.sig"]})),
                "bad_credential",
            ),
            (
                vp(
                    json!({"verifiableCredential": [{"@context": [V2], "type": [], "issuer": "did:example:i", "credentialSubject": {"id": "did:example:s"}}]}),
                ),
                "bad_type",
            ),
            (vp(json!({"type": ["Other"]})), "bad_type"),
            (
                vp(json!({"@context": [{"X": "https://example.org/#X"}, V2]})),
                "missing_base_context",
            ),
            (
                vp(
                    json!({"verifiableCredential": {"@context": V2, "type": "EnvelopedVerifiableCredential", "id": "https://x.example"}}),
                ),
                "bad_enveloped_credential",
            ),
        ] {
            assert_eq!(
                check_presentation(&doc).map_err(|e| e.code),
                Err(code),
                "{}",
                Value::Object(doc.clone())
            );
        }
    }
}
