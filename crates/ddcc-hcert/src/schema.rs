//! EU DCC payloads against the EU's JSON Schema (release 1.3.3) and value
//! sets (release 2.12.0), both embedded (`eu-dcc/`, with their origin and
//! hashes in `eu-dcc/MANIFEST.tsv`).
//!
//! Schema validation as the EU test data means it has two parts: the JSON
//! Schema, with `format` as an annotation (JSON Schema 2020-12's default;
//! deployed certificates carry date-times where the schema says `date`),
//! and membership of every coded field in the value set its
//! `valueset-uri` annotation names. Which fields are coded, and with which
//! set, is read from the schema itself. `UNHCR` is accepted as a country
//! (the schema's own valid cases use it; the value set never listed it).
//! The test-device list (`test-manf`) is the EU's 2021-07-01 snapshot: a
//! rapid antigen test added to the live list after that date is refused
//! here.

use std::sync::OnceLock;

use ddcc_assets::{ForeignSchema, SchemaError, SchemaViolation};
use serde_json::Value;

/// The `$id` of the embedded EU DCC schema.
pub const EU_DCC_SCHEMA_ID: &str = "https://id.uvci.eu/DCC.combined-schema.json";
/// The embedded schema's release.
pub const EU_DCC_SCHEMA_VERSION: &str = "1.3.3";
/// The embedded value sets' release.
pub const EU_DCC_VALUESETS_VERSION: &str = "2.12.0";
/// The manifest of the embedded files: file, source, sha256.
pub const EU_DCC_MANIFEST: &str = include_str!("../eu-dcc/MANIFEST.tsv");

const SCHEMA: &str = include_str!("../eu-dcc/DCC.combined-schema.json");

/// The embedded value sets, by the name the schema's `valueset-uri`
/// gives them (`valuesets/NAME.json`).
pub const VALUE_SETS: &[(&str, &str)] = &[
    (
        "disease-agent-targeted",
        include_str!("../eu-dcc/disease-agent-targeted.json"),
    ),
    (
        "vaccine-prophylaxis",
        include_str!("../eu-dcc/vaccine-prophylaxis.json"),
    ),
    (
        "vaccine-medicinal-product",
        include_str!("../eu-dcc/vaccine-medicinal-product.json"),
    ),
    (
        "vaccine-mah-manf",
        include_str!("../eu-dcc/vaccine-mah-manf.json"),
    ),
    (
        "country-2-codes",
        include_str!("../eu-dcc/country-2-codes.json"),
    ),
    ("test-manf", include_str!("../eu-dcc/test-manf.json")),
    ("test-result", include_str!("../eu-dcc/test-result.json")),
    ("test-type", include_str!("../eu-dcc/test-type.json")),
];

/// The compiled schema and, per group (`v`, `t`, `r`), the coded fields
/// of its entries with their value sets' codes.
struct Compiled {
    schema: ForeignSchema,
    coded: Vec<(&'static str, String, &'static str, Vec<String>)>,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        // Embedded and covered by tests: failing here is a build defect.
        #[allow(clippy::expect_used)]
        let schema: Value = serde_json::from_str(SCHEMA).expect("the EU DCC schema is JSON");
        #[allow(clippy::expect_used)]
        let compiled = ForeignSchema::compile(EU_DCC_SCHEMA_ID, &schema, false)
            .expect("the EU DCC schema compiles");
        let mut coded = Vec::new();
        let def = |reference: &str| {
            reference
                .strip_prefix("#/$defs/")
                .and_then(|name| schema.pointer(&format!("/$defs/{name}")))
        };
        for group in ["v", "t", "r"] {
            let Some(entry) = schema
                .pointer(&format!("/properties/{group}/items/$ref"))
                .and_then(Value::as_str)
                .and_then(def)
            else {
                continue;
            };
            for (field, spec) in entry
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let Some(uri) = spec
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(def)
                    .and_then(|d| d.get("valueset-uri"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                let name = uri
                    .strip_prefix("valuesets/")
                    .and_then(|n| n.strip_suffix(".json"))
                    .unwrap_or(uri);
                let Some((set, text)) = VALUE_SETS.iter().find(|(n, _)| *n == name) else {
                    continue;
                };
                #[allow(clippy::expect_used)]
                let values: Value = serde_json::from_str(text).expect("a value set is JSON");
                let codes = values
                    .get("valueSetValues")
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                coded.push((group, field.clone(), *set, codes));
            }
        }
        Compiled {
            schema: compiled,
            coded,
        }
    })
}

/// Checks an EU DCC payload (the `-260`/`1` object) against the EU schema
/// and value sets.
///
/// # Errors
/// A [`SchemaError`] naming each failing field (paths and rules, never
/// values).
pub fn validate(dcc: &Value) -> Result<(), SchemaError> {
    validate_structure(dcc)?;
    validate_value_sets(dcc)
}

/// The JSON Schema part of [`validate`] alone (what the schema's own test
/// cases exercise).
///
/// # Errors
/// A [`SchemaError`] naming each failing field.
pub fn validate_structure(dcc: &Value) -> Result<(), SchemaError> {
    compiled().schema.validate(dcc)
}

/// Country codes accepted besides the `country-2-codes` value set: the
/// schema (release 1.3.0 on) widened `co` to up to ten letters for
/// UNHCR, and its own valid test cases use `UNHCR`, which the value set
/// never listed.
const EXTRA_COUNTRIES: [&str; 1] = ["UNHCR"];

/// The value-set part of [`validate`] alone: every coded field's code is
/// in the value set the schema names for it.
///
/// # Errors
/// A [`SchemaError`] naming each field (by path, without its value).
pub fn validate_value_sets(dcc: &Value) -> Result<(), SchemaError> {
    let c = compiled();
    let mut violations = Vec::new();
    for (group, field, set, codes) in &c.coded {
        for (i, entry) in dcc
            .get(*group)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(code) = entry.get(field).and_then(Value::as_str)
                && !codes.iter().any(|c| c == code)
                && !(*set == "country-2-codes" && EXTRA_COUNTRIES.contains(&code))
            {
                violations.push(SchemaViolation {
                    path: format!("/{group}/{i}/{field}"),
                    rule: format!(
                        "is not in the EU value set {set} (release {EU_DCC_VALUESETS_VERSION})"
                    ),
                });
            }
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SchemaError {
            schema: EU_DCC_SCHEMA_ID,
            violations,
        })
    }
}

/// The coded fields the schema names, as (group, field, value set): for
/// tests and documentation.
pub fn coded_fields() -> Vec<(&'static str, String, &'static str)> {
    compiled()
        .coded
        .iter()
        .map(|(g, f, s, _)| (*g, f.clone(), *s))
        .collect()
}
