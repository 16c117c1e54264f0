//! The files ddcc embeds: JSON-LD contexts (`contexts/`) and JSON Schemas
//! (`schemas/`), each listed with its SHA-256 in a `MANIFEST.tsv`.
//!
//! Verification never fetches a context. [`ContextRegistry::builtin`] knows
//! exactly the pinned contexts; a verifier may add more from files with
//! [`ContextRegistry::pin`]; any other URL is an error.
//!
//! Schema checks ([`validate_record`], [`validate_subject`]) report the path
//! of the failing field and the rule it broke, never the field's value.

#![forbid(unsafe_code)]

mod contexts;
mod schema;

pub use contexts::{
    CONTEXTS_MANIFEST, ContextEntry, ContextError, ContextRegistry, GDHCN_CONTEXTS_MANIFEST,
};
pub use schema::{
    ForeignSchema, SCHEMAS_MANIFEST, SchemaError, SchemaViolation, record_schema, record_schema_of,
    subject_schema, subject_schema_of, validate_disclosed_subject_of, validate_record,
    validate_record_of, validate_subject, validate_subject_of,
};
