//! Vaccination records from CSV, one row each, with a header naming the
//! columns (in any order; unknown columns are an error, empty cells are
//! left out). The columns (documented in the README):
//!
//! | column | record field |
//! |---|---|
//! | `hcid` | `subject.certificate.hcid` (required) |
//! | `name`, `family_name`, `given_name`, `birth_date` | `subject.name`, `.familyName`, `.givenName`, `.birthDate` |
//! | `issuer_name`, `issuer_country` | `subject.certificate.issuer.name`, `.country` |
//! | `vaccine_code`, `brand_code`, `disease_code` | ICD-11 MMS codes: `subject.vaccination.vaccine`, `.brand`, `.disease` |
//! | `maholder_code`, `maholder_display` | EMA SPOR organisation: `subject.vaccination.maholder` |
//! | `lot`, `date`, `dose`, `total_doses`, `country`, `centre` | `subject.vaccination.lot`, `.date`, `.dose`, `.totalDoses`, `.country`, `.centre` |
//! | `valid_until` | `validUntil` |

use serde_json::{Map, Value, json};

/// Why a CSV file cannot be read at all (a row that is not a record is
/// reported with its line instead, and the others are still read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    /// The header line cannot be read.
    #[error("the CSV header cannot be read: {0}")]
    Header(String),
    /// The header names a column this reader does not know.
    #[error("unknown CSV column '{column}' (known: {known})")]
    UnknownColumn {
        /// The column (its first 40 characters).
        column: String,
        /// The known columns, comma-separated.
        known: String,
    },
}

/// One row: the line it starts on, and its record or why it is not one.
pub type Row = (u64, Result<Value, String>);

const ICD11: &str = "http://id.who.int/icd11/mms";
const SPOR: &str = "https://spor.ema.europa.eu/v1/organisations";

/// Every column this reader knows.
pub const COLUMNS: [&str; 19] = [
    "hcid",
    "name",
    "family_name",
    "given_name",
    "birth_date",
    "issuer_name",
    "issuer_country",
    "vaccine_code",
    "brand_code",
    "disease_code",
    "maholder_code",
    "maholder_display",
    "lot",
    "date",
    "dose",
    "total_doses",
    "country",
    "centre",
    "valid_until",
];

/// The record of one row, or why the row is not one.
fn record(headers: &csv::StringRecord, row: &csv::StringRecord) -> Result<Value, String> {
    let cell = |name: &str| -> Option<&str> {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| row.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let number = |name: &str| -> Result<Option<u64>, String> {
        cell(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| format!("column {name} is not a whole number"))
            })
            .transpose()
    };
    let mut subject = Map::new();
    for (col, field) in [
        ("name", "name"),
        ("family_name", "familyName"),
        ("given_name", "givenName"),
        ("birth_date", "birthDate"),
    ] {
        if let Some(v) = cell(col) {
            subject.insert(field.into(), Value::from(v));
        }
    }
    let mut certificate = Map::new();
    certificate.insert(
        "hcid".into(),
        Value::from(cell("hcid").ok_or("column hcid is empty")?),
    );
    certificate.insert("version".into(), Value::from("1.0.0"));
    let mut issuer = Map::new();
    if let Some(v) = cell("issuer_name") {
        issuer.insert("name".into(), Value::from(v));
    }
    if let Some(v) = cell("issuer_country") {
        issuer.insert("country".into(), Value::from(v));
    }
    if !issuer.is_empty() {
        certificate.insert("issuer".into(), Value::Object(issuer));
    }
    subject.insert("certificate".into(), Value::Object(certificate));
    let mut vaccination = Map::new();
    for (col, field) in [
        ("vaccine_code", "vaccine"),
        ("brand_code", "brand"),
        ("disease_code", "disease"),
    ] {
        if let Some(v) = cell(col) {
            vaccination.insert(field.into(), json!({"system": ICD11, "code": v}));
        }
    }
    if let Some(code) = cell("maholder_code") {
        let mut m = Map::new();
        m.insert("system".into(), Value::from(SPOR));
        m.insert("code".into(), Value::from(code));
        if let Some(d) = cell("maholder_display") {
            m.insert("display".into(), Value::from(d));
        }
        vaccination.insert("maholder".into(), Value::Object(m));
    }
    for (col, field) in [
        ("lot", "lot"),
        ("date", "date"),
        ("country", "country"),
        ("centre", "centre"),
    ] {
        if let Some(v) = cell(col) {
            vaccination.insert(field.into(), Value::from(v));
        }
    }
    for (col, field) in [("dose", "dose"), ("total_doses", "totalDoses")] {
        if let Some(v) = number(col)? {
            vaccination.insert(field.into(), Value::from(v));
        }
    }
    subject.insert("vaccination".into(), Value::Object(vaccination));
    let mut record = Map::new();
    if let Some(v) = cell("valid_until") {
        record.insert("validUntil".into(), Value::from(v));
    }
    record.insert("subject".into(), Value::Object(subject));
    Ok(Value::Object(record))
}

/// The records of a CSV file, with the line each row starts on. Rows are
/// read as they are asked for (a million-row file is never held whole).
pub fn records(input: impl std::io::Read) -> impl Iterator<Item = Result<Row, CsvError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(std::io::BufReader::new(input));
    let headers = reader.headers().cloned();
    let mut rows = reader.into_records();
    let mut header_checked = false;
    std::iter::from_fn(move || {
        let headers = match &headers {
            Ok(h) => h,
            Err(e) => {
                return (!std::mem::replace(&mut header_checked, true))
                    .then(|| Err(CsvError::Header(e.to_string())));
            }
        };
        if !header_checked {
            header_checked = true;
            if let Some(unknown) = headers.iter().find(|h| !COLUMNS.contains(h)) {
                return Some(Err(CsvError::UnknownColumn {
                    column: unknown.chars().take(40).collect(),
                    known: COLUMNS.join(", "),
                }));
            }
        }
        let row = rows.next()?;
        Some(Ok(match row {
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line());
                (line, record(headers, &row))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                (line, Err("the row does not match the header".to_owned()))
            }
        }))
    })
}
