//! An exact, fast path from compacted JSON-LD to canonical RDF, for
//! documents whose contexts are pinned.
//!
//! General JSON-LD processors re-process the same contexts on every
//! document; that is where a Data Integrity proof spends most of its time.
//! This crate compiles each pinned context once into immutable term tables
//! ([`Processor`]), converts a compacted document straight to RDF quads in one
//! pass ([`Processor::to_dataset`]), and canonicalises them with RDFC-1.0
//! ([`Dataset::canonicalize`]).
//!
//! The rule is *exact or refuse*: for any input it either produces exactly the
//! quads a conforming JSON-LD 1.1 processor (jsonld.js, in safe mode)
//! produces, or returns [`Unsupported`] with the reason, so the caller can
//! fall back to a general processor. It never returns a near miss. What is
//! refused is listed on [`Unsupported`].

#![forbid(unsafe_code)]

mod context;
mod convert;
mod iri;
mod nquads;
mod rdfc;

pub use context::{ContextError, Processor};
pub use convert::{Dataset, duplicate_keys};
pub use iri::is_absolute_iri;
pub use nquads::{NQuadsError, parse_nquads, parse_nquads_deskolemized, parse_nquads_labelled};
pub use rdfc::{CanonicalForm, DEFAULT_WORK_BUDGET, RdfcHash};

use std::fmt;

/// Why the fast path declined a document. Each variant is a feature it does
/// not implement (or an input a general processor treats inconsistently);
/// none means the document is invalid, only that the fast path will not
/// vouch for its RDF.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unsupported {
    /// The root `@context` is missing, not a string or array of strings, or
    /// an inline object.
    InlineContext,
    /// A context URL that is not pinned (or pinned with other bytes).
    UnpinnedContext(String),
    /// An `@context` key below the root.
    EmbeddedContext,
    /// A JSON-LD keyword other than `@id`/`@type` used in the data.
    KeywordInData(String),
    /// A term whose definition uses a feature the fast path does not
    /// implement (`@reverse`, `@nest`, `@language`, `@index`, containers
    /// other than `@set`, `@type: @json`/`@none`, …).
    UnsupportedTerm {
        /// The term.
        term: String,
        /// The feature.
        feature: &'static str,
    },
    /// A context uses a feature the fast path does not implement
    /// (`@import`, `@base`, default `@language`/`@direction`, 1.0 mode…).
    UnsupportedContextFeature(&'static str),
    /// A key that expands to nothing (no term, no `@vocab`), or a term mapped
    /// to `null`.
    UndefinedTerm(String),
    /// A relative or syntactically invalid IRI.
    InvalidIri,
    /// A blank node used as a predicate or type.
    BlankNodeInPredicateOrType,
    /// A number that is not an integer in ±2^53, or written with a fraction,
    /// an exponent, or `-0`.
    UnsupportedNumber,
    /// A number or boolean where an IRI is expected (`@type: @id`/`@vocab`).
    NonStringIri,
    /// A string with a control character other than LF and CR, or DEL.
    ControlCharacter,
    /// An array directly inside an array (list semantics).
    NestedArray,
    /// The same key twice in one JSON object.
    DuplicateKey,
    /// A protected term redefined differently (a JSON-LD error).
    ProtectedTermRedefinition(String),
    /// A value of a term with an `@graph` container (proofs, embedded
    /// credentials of a presentation).
    GraphContainer(String),
    /// The document is not a JSON object.
    NotAnObject,
    /// RDFC-1.0 exceeded its work budget (a graph built to be expensive).
    WorkBudgetExceeded,
    /// The document is nested deeper than the limit.
    TooDeep,
    /// The caller turned the fast path off.
    Disabled,
    /// The proof uses another cryptosuite than the one the fast path
    /// implements (`eddsa-rdfc-2022`).
    Cryptosuite(String),
}

impl Unsupported {
    /// A stable short name, for counters and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InlineContext => "inline_context",
            Self::UnpinnedContext(_) => "unpinned_context",
            Self::EmbeddedContext => "embedded_context",
            Self::KeywordInData(_) => "keyword_in_data",
            Self::UnsupportedTerm { .. } => "unsupported_term",
            Self::UnsupportedContextFeature(_) => "unsupported_context_feature",
            Self::UndefinedTerm(_) => "undefined_term",
            Self::InvalidIri => "invalid_iri",
            Self::BlankNodeInPredicateOrType => "blank_node_predicate_or_type",
            Self::UnsupportedNumber => "unsupported_number",
            Self::NonStringIri => "non_string_iri",
            Self::ControlCharacter => "control_character",
            Self::NestedArray => "nested_array",
            Self::DuplicateKey => "duplicate_key",
            Self::ProtectedTermRedefinition(_) => "protected_term_redefinition",
            Self::GraphContainer(_) => "graph_container",
            Self::NotAnObject => "not_an_object",
            Self::WorkBudgetExceeded => "work_budget_exceeded",
            Self::TooDeep => "too_deep",
            Self::Disabled => "disabled",
            Self::Cryptosuite(_) => "other_cryptosuite",
        }
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InlineContext => f.write_str("the @context is not a list of context URLs"),
            Self::UnpinnedContext(u) => write!(f, "context {u} is not pinned"),
            Self::EmbeddedContext => f.write_str("an @context below the document root"),
            Self::KeywordInData(k) => write!(f, "keyword {k} in the data"),
            Self::UnsupportedTerm { term, feature } => write!(f, "term '{term}' uses {feature}"),
            Self::UnsupportedContextFeature(feature) => write!(f, "a context uses {feature}"),
            Self::UndefinedTerm(t) => write!(f, "term '{t}' is not defined by any context"),
            Self::InvalidIri => f.write_str("a relative or invalid IRI"),
            Self::BlankNodeInPredicateOrType => f.write_str("a blank node as a property or type"),
            Self::UnsupportedNumber => f.write_str("a number that is not a safe integer"),
            Self::NonStringIri => f.write_str("a number or boolean where an IRI is expected"),
            Self::ControlCharacter => f.write_str("a control character in a string"),
            Self::NestedArray => f.write_str("an array inside an array"),
            Self::DuplicateKey => f.write_str("a key repeated in one JSON object"),
            Self::ProtectedTermRedefinition(t) => write!(f, "protected term '{t}' redefined"),
            Self::GraphContainer(t) => write!(f, "a value of the @graph-container term '{t}'"),
            Self::NotAnObject => f.write_str("the document is not a JSON object"),
            Self::WorkBudgetExceeded => f.write_str("canonicalization exceeded its work budget"),
            Self::TooDeep => f.write_str("the document is nested too deeply"),
            Self::Disabled => f.write_str("the fast path is turned off"),
            Self::Cryptosuite(c) => {
                write!(f, "the cryptosuite {c} is checked by the general processor")
            }
        }
    }
}

impl std::error::Error for Unsupported {}

/// `rdf:type`.
pub(crate) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// `xsd:string`.
pub(crate) const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// `xsd:integer`.
pub(crate) const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
/// `xsd:boolean`.
pub(crate) const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
/// `xsd:double`.
pub(crate) const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";
