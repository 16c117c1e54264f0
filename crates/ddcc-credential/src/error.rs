use std::fmt;

use ddcc_assets::SchemaError;

/// An error from the proof library, reduced to text that carries no
/// credential values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofError {
    message: String,
}

impl ProofError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProofError {}

/// Why a credential was not issued. Nothing was signed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IssueError {
    /// The input is not JSON.
    #[error("record is not valid JSON (line {line}, column {column})")]
    NotJson {
        /// Line of the syntax error.
        line: usize,
        /// Column of the syntax error.
        column: usize,
    },
    /// The record does not satisfy the record schema.
    #[error("record {0}")]
    Schema(#[from] SchemaError),
    /// `validUntil` is not after `validFrom`.
    #[error("record validity window is empty: validUntil must be after validFrom")]
    EmptyValidity,
    /// The document to sign already has a proof.
    #[error("document already has a proof; refusing to sign it again")]
    AlreadySigned,
    /// The document to sign is not a JSON object.
    #[error("document to sign must be a JSON object")]
    NotAnObject,
    /// The contexts could not be loaded (a build defect).
    #[error("embedded contexts are unusable: {0}")]
    Contexts(#[from] ddcc_assets::ContextError),
    /// Computing the proof failed.
    #[error("signing failed: {0}")]
    Proof(ProofError),
    /// The SD-JWT could not be built.
    #[error("cannot issue the SD-JWT: {0}")]
    SdJwt(ddcc_sd::SdError),
    /// The document has no JSON Canonicalization (`eddsa-jcs-2022`).
    #[error("cannot sign this document with eddsa-jcs-2022: {0}")]
    Jcs(crate::jcs::JcsError),
    /// The credential or presentation breaks the VC data model.
    #[error("the document breaks the VC data model: {0}")]
    Model(crate::model::ModelError),
    /// The document uses something the exact signing path refuses (an
    /// undefined term, an unpinned context, a non-integer number, …).
    #[error("cannot sign this document: {0}")]
    Unsupported(ddcc_ld::Unsupported),
}

// Not `#[from]`: that would make the rule both the message and its source,
// and error chains would print it twice.
impl From<crate::model::ModelError> for IssueError {
    fn from(e: crate::model::ModelError) -> Self {
        Self::Model(e)
    }
}
