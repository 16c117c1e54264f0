use std::fmt;
use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use ddcc_core::vocab::{
    CredentialKind, VACCINATION_RECORD_SCHEMA_ID, VACCINATION_SUBJECT_SCHEMA_ID,
};

/// The schemas manifest (`schemas/MANIFEST.tsv`): id, file, sha256.
pub const SCHEMAS_MANIFEST: &str = include_str!("../../../schemas/MANIFEST.tsv");

const SUBJECT_SCHEMA: &str = include_str!("../../../schemas/ddcc-vs-subject-1.0.0.schema.json");
const RECORD_SCHEMA: &str = include_str!("../../../schemas/ddcc-vs-record-1.0.0.schema.json");
const TR_SUBJECT_SCHEMA: &str = include_str!("../../../schemas/ddcc-tr-subject-1.0.0.schema.json");
const TR_RECORD_SCHEMA: &str = include_str!("../../../schemas/ddcc-tr-record-1.0.0.schema.json");
const RC_SUBJECT_SCHEMA: &str = include_str!("../../../schemas/ddcc-rc-subject-1.0.0.schema.json");
const RC_RECORD_SCHEMA: &str = include_str!("../../../schemas/ddcc-rc-record-1.0.0.schema.json");

/// The subject schema of a kind of certificate.
pub fn subject_schema_of(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Vaccination => SUBJECT_SCHEMA,
        CredentialKind::TestResult => TR_SUBJECT_SCHEMA,
        CredentialKind::Recovery => RC_SUBJECT_SCHEMA,
    }
}

/// The issuer record schema of a kind of certificate.
pub fn record_schema_of(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Vaccination => RECORD_SCHEMA,
        CredentialKind::TestResult => TR_RECORD_SCHEMA,
        CredentialKind::Recovery => RC_RECORD_SCHEMA,
    }
}

/// Most violations reported for one document.
const MAX_VIOLATIONS: usize = 20;

/// The vaccination subject schema (JSON Schema 2020-12).
pub fn subject_schema() -> &'static str {
    SUBJECT_SCHEMA
}

/// The issuer's input record schema (JSON Schema 2020-12).
pub fn record_schema() -> &'static str {
    RECORD_SCHEMA
}

/// One rule a document broke: where, and which rule. Never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON Pointer of the offending field (`/subject/vaccination/dose`).
    pub path: String,
    /// The rule, in words (`is required`, `must match pattern ^[A-Z]{3}$`).
    pub rule: String,
}

/// A document that does not satisfy its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// The schema's `$id`.
    pub schema: &'static str,
    /// What is wrong, at most twenty items.
    pub violations: Vec<SchemaViolation>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("does not match the schema: ")?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let path = if v.path.is_empty() {
                "(document)"
            } else {
                &v.path
            };
            write!(f, "{path} {}", v.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

struct EmbeddedSchemas;

impl jsonschema::Retrieve for EmbeddedSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let id = uri.as_str();
        let text = CredentialKind::ALL.into_iter().find_map(|k| {
            if k.subject_schema_id() == id {
                Some(subject_schema_of(k))
            } else if k.record_schema_id() == id {
                Some(record_schema_of(k))
            } else {
                None
            }
        });
        match text {
            Some(t) => Ok(serde_json::from_str(t)?),
            None => Err(format!("schema {id} is not embedded").into()),
        }
    }
}

fn compile(text: &str) -> Validator {
    // The schemas are compiled into the binary and covered by tests; a
    // failure here is a build defect, not a runtime condition.
    #[allow(clippy::expect_used)]
    let schema: Value = serde_json::from_str(text).expect("embedded schema is JSON");
    compile_value(&schema)
}

fn compile_value(schema: &Value) -> Validator {
    #[allow(clippy::expect_used)]
    jsonschema::options()
        .should_validate_formats(true)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .with_retriever(EmbeddedSchemas)
        .build(schema)
        .expect("embedded schema compiles")
}

/// `schema` with every `required` list removed, at any depth: what a
/// selectively disclosed subject must meet (what is shown is of the
/// schema's shape and nothing else; what is withheld may be anything).
fn without_required(schema: &Value) -> Value {
    match schema {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| k.as_str() != "required")
                .map(|(k, v)| (k.clone(), without_required(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_required).collect()),
        other => other.clone(),
    }
}

/// Checks the claims a holder disclosed of a subject of `kind` (an SD-JWT
/// VC's, say) against its subject schema with nothing required: every
/// disclosed member must be one the schema defines, of its type and
/// format; withheld members are not missed.
///
/// # Errors
/// A [`SchemaError`] listing the failing fields.
pub fn validate_disclosed_subject_of(
    kind: CredentialKind,
    subject: &Value,
) -> Result<(), SchemaError> {
    static V: [OnceLock<Validator>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = match kind {
        CredentialKind::Vaccination => 0,
        CredentialKind::TestResult => 1,
        CredentialKind::Recovery => 2,
    };
    let validator = V[i].get_or_init(|| {
        #[allow(clippy::expect_used)]
        let schema: Value =
            serde_json::from_str(subject_schema_of(kind)).expect("embedded schema is JSON");
        compile_value(&without_required(&schema))
    });
    check(validator, kind.subject_schema_id(), subject)
}

fn subject_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| compile(SUBJECT_SCHEMA))
}

fn record_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| compile(RECORD_SCHEMA))
}

/// Describes a rule without quoting the instance.
fn describe(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            // The names come from the document: ten at most, so that a
            // document with thousands cannot flood the message.
            let names: Vec<String> = unexpected.iter().take(10).map(|n| safe_name(n)).collect();
            let more = unexpected.len().saturating_sub(names.len());
            format!(
                "has fields the schema does not define: {}{}",
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        }
        ValidationErrorKind::AnyOf { .. } => "matches none of the allowed shapes".into(),
        ValidationErrorKind::Constant { expected_value } => {
            format!("must be {expected_value}")
        }
        ValidationErrorKind::Enum { options } => format!("must be one of {options}"),
        ValidationErrorKind::Format { format } => format!("is not a valid {format}"),
        ValidationErrorKind::MaxItems { limit } => format!("has more than {limit} items"),
        ValidationErrorKind::Maximum { limit } => format!("must be at most {limit}"),
        ValidationErrorKind::MaxLength { limit } => format!("is longer than {limit} characters"),
        ValidationErrorKind::MinItems { limit } => format!("has fewer than {limit} items"),
        ValidationErrorKind::Minimum { limit } => format!("must be at least {limit}"),
        ValidationErrorKind::MinLength { limit } => format!("is shorter than {limit} characters"),
        ValidationErrorKind::Pattern { pattern } => format!("must match the pattern {pattern}"),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map(safe_name).unwrap_or_default();
            format!("is missing the required field '{name}'")
        }
        ValidationErrorKind::Type { kind } => match kind {
            jsonschema::error::TypeKind::Single(t) => format!("must be of type {t}"),
            jsonschema::error::TypeKind::Multiple(set) => {
                let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
                format!("must be of type {}", names.join(" or "))
            }
        },
        ValidationErrorKind::OneOfNotValid { .. }
        | ValidationErrorKind::OneOfMultipleValid { .. } => {
            "must match exactly one of the allowed shapes".into()
        }
        _ => "breaks a schema rule".into(),
    }
}

/// Field names come from the document; keep them short and printable.
fn safe_name(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
    cleaned
}

fn check(validator: &Validator, schema: &'static str, doc: &Value) -> Result<(), SchemaError> {
    let violations: Vec<SchemaViolation> = validator
        .iter_errors(doc)
        .take(MAX_VIOLATIONS)
        .map(|e| SchemaViolation {
            path: e.instance_path().to_string(),
            rule: describe(e.kind()),
        })
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SchemaError { schema, violations })
    }
}

/// A JSON Schema of another party (the EU DCC schema, say), compiled
/// once, whose violations are reported like ours: field paths and rules,
/// never values.
pub struct ForeignSchema {
    id: &'static str,
    validator: Validator,
}

impl std::fmt::Debug for ForeignSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForeignSchema")
            .field("id", &self.id)
            .finish()
    }
}

impl ForeignSchema {
    /// Compiles `schema` (self-contained: references outside it are not
    /// fetched). `formats`: whether `format` is asserted, or only an
    /// annotation as JSON Schema 2020-12 has it by default.
    ///
    /// # Errors
    /// The compiler's message when the schema is not a valid JSON Schema.
    pub fn compile(id: &'static str, schema: &Value, formats: bool) -> Result<Self, String> {
        let validator = jsonschema::options()
            .should_validate_formats(formats)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(schema)
            .map_err(|e| e.to_string())?;
        Ok(Self { id, validator })
    }

    /// Checks `doc`.
    ///
    /// # Errors
    /// A [`SchemaError`] listing the failing fields.
    pub fn validate(&self, doc: &Value) -> Result<(), SchemaError> {
        check(&self.validator, self.id, doc)
    }
}

/// Checks an issuer's input record against `schemas/ddcc-vs-record-1.0.0`.
///
/// # Errors
/// A [`SchemaError`] listing the failing fields.
pub fn validate_record(record: &Value) -> Result<(), SchemaError> {
    check(record_validator(), VACCINATION_RECORD_SCHEMA_ID, record)
}

fn validators(kind: CredentialKind) -> &'static (Validator, Validator) {
    static V: [OnceLock<(Validator, Validator)>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = match kind {
        CredentialKind::Vaccination => 0,
        CredentialKind::TestResult => 1,
        CredentialKind::Recovery => 2,
    };
    V[i].get_or_init(|| {
        (
            compile(record_schema_of(kind)),
            compile(subject_schema_of(kind)),
        )
    })
}

/// Checks an issuer's input record of `kind` against its record schema.
///
/// # Errors
/// A [`SchemaError`] listing the failing fields.
pub fn validate_record_of(kind: CredentialKind, record: &Value) -> Result<(), SchemaError> {
    check(&validators(kind).0, kind.record_schema_id(), record)
}

/// Checks a `credentialSubject` of `kind` against its subject schema.
///
/// # Errors
/// A [`SchemaError`] listing the failing fields.
pub fn validate_subject_of(kind: CredentialKind, subject: &Value) -> Result<(), SchemaError> {
    check(&validators(kind).1, kind.subject_schema_id(), subject)
}

/// Checks a `credentialSubject` against `schemas/ddcc-vs-subject-1.0.0`.
///
/// # Errors
/// A [`SchemaError`] listing the failing fields.
pub fn validate_subject(subject: &Value) -> Result<(), SchemaError> {
    check(subject_validator(), VACCINATION_SUBJECT_SCHEMA_ID, subject)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "validUntil": "2030-01-01T00:00:00Z",
            "subject": {
                "name": "Jane Sue Citizen",
                "birthDate": "1961-05",
                "certificate": {"hcid": "URN:UVCI:01:UT:ABC#1", "version": "1.0.0",
                    "issuer": {"name": "Ministry of Health", "country": "UTO"}},
                "vaccination": {
                    "vaccine": {"system": "http://id.who.int/icd11/mms", "code": "XM0GQ8"},
                    "brand": {"system": "http://id.who.int/icd11/mms", "code": "XM8NQ0"},
                    "maholder": {"system": "https://spor.ema.europa.eu/v1/organisations", "code": "ORG-100030215"},
                    "lot": "PT123F", "date": "2021-06-24", "dose": 2, "totalDoses": 2, "country": "UTO"
                }
            }
        })
    }

    #[test]
    fn good_record_passes() {
        validate_record(&record()).expect("valid");
        validate_subject(&record()["subject"]).expect("valid subject");
    }

    #[test]
    fn errors_name_the_field_not_the_value() {
        let mut r = record();
        r["subject"]["vaccination"]["dose"] = json!(0);
        r["subject"]["vaccination"]["country"] = json!("Utopia-Secret");
        r["subject"]["birthDate"] = json!("1961-13-99");
        let err = validate_record(&r).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/subject/vaccination/dose"), "{text}");
        assert!(text.contains("/subject/vaccination/country"), "{text}");
        assert!(text.contains("/subject/birthDate"), "{text}");
        assert!(!text.contains("Utopia-Secret"), "{text}");
        assert!(!text.contains("1961-13-99"), "{text}");
    }

    #[test]
    fn manufacturer_or_maholder_required_and_unknown_fields_refused() {
        let mut r = record();
        r["subject"]["vaccination"]
            .as_object_mut()
            .expect("obj")
            .remove("maholder");
        r["subject"]["favouriteColour"] = json!("blue");
        let text = validate_record(&r).unwrap_err().to_string();
        assert!(text.contains("/subject/vaccination matches none"), "{text}");
        assert!(text.contains("favouriteColour"), "{text}");
        assert!(!text.contains("blue"), "{text}");
    }

    #[test]
    fn wrong_types_are_named_plainly() {
        let text = validate_record(&json!("a string")).unwrap_err().to_string();
        assert_eq!(
            text,
            "does not match the schema: (document) must be of type object"
        );
        let mut r = record();
        r["subject"]["vaccination"]["dose"] = json!("2");
        let text = validate_record(&r).unwrap_err().to_string();
        assert!(
            text.contains("/subject/vaccination/dose must be of type integer"),
            "{text}"
        );
    }

    #[test]
    fn invalid_calendar_date_is_refused() {
        let mut r = record();
        r["subject"]["vaccination"]["date"] = json!("2021-02-30");
        let text = validate_record(&r).unwrap_err().to_string();
        assert!(text.contains("/subject/vaccination/date"), "{text}");
    }
}
