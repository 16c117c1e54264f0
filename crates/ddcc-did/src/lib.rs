//! DIDs for ddcc: `did:key` and `did:jwk` creation and offline resolution
//! to a DID document.
//!
//! Resolution returns our own [`DidDocument`]; nothing here touches the
//! network. `did:key` documents follow the did:key method v0.7 (Multikey
//! verification methods); [`Representation::Legacy2018`] renders the older
//! `Ed25519VerificationKey2018` form that the 2022 CCG test vectors use.

#![forbid(unsafe_code)]

mod document;
mod jwk;
mod key;
mod resolver;
mod web;

pub use document::{DidDocument, VerificationMethod, VerificationRelationship};
pub use jwk::{did_jwk_for, ed25519_key_of, resolve_did_jwk};
pub use key::{DidKeyOptions, Representation, did_key_for, did_key_method, resolve_did_key};
pub use resolver::{
    DidResolver, LocalResolver, Resolution, ResolveFuture, Source, resolve_with_references,
};
pub use web::{WebLocation, did_web_document, did_web_for, parse_did_document, web_location};

use ddcc_core::DidError;

/// Why a DID could not be resolved. The names follow the DID Resolution
/// error codes where one exists.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The DID is not syntactically valid (`invalidDid`).
    #[error("invalid DID: {0}")]
    InvalidDid(#[from] DidError),
    /// The method is not one this resolver supports (`methodNotSupported`).
    #[error("DID method '{0}' is not supported by this resolver")]
    MethodNotSupported(String),
    /// The key bytes have the wrong length for their type (`invalidPublicKeyLength`).
    #[error("invalidPublicKeyLength: the key is {actual} bytes, {expected} expected")]
    InvalidPublicKeyLength {
        /// Bytes expected for the key type.
        expected: usize,
        /// Bytes found.
        actual: usize,
    },
    /// The multibase or multicodec encoding is malformed (`invalidPublicKey`).
    #[error("invalidPublicKey: {0}")]
    InvalidPublicKey(&'static str),
    /// The key type is valid but not supported here (`unsupportedPublicKeyType`).
    #[error("unsupportedPublicKeyType: multicodec 0x{0:x} is not supported (supported: Ed25519)")]
    UnsupportedPublicKeyType(u64),
    /// A `did:web` whose host, port or path cannot be a web location (`invalidDid`).
    #[error("invalid did:web: {0}")]
    InvalidWebDid(&'static str),
    /// The document is not a well-formed DID document (`invalidDidDocument`).
    #[error("invalid DID document: {0}")]
    InvalidDocument(&'static str),
    /// The document obtained for a DID names another DID as its `id`.
    #[error("the DID document's id is {found}, not the requested {requested}")]
    IdMismatch {
        /// The DID that was resolved.
        requested: String,
        /// The `id` the document carries (at most 200 characters).
        found: String,
    },
    /// No document exists for the DID (`notFound`).
    #[error("notFound: {0}")]
    NotFound(String),
    /// The DID was deactivated by its controller (`deactivated`).
    #[error("the DID is deactivated")]
    Deactivated,
    /// The network policy forbids the request (plain HTTP, a private
    /// address, a redirect to another origin…).
    #[error("refused by the network policy: {0}")]
    NotAllowed(String),
    /// The document could not be fetched (connection, TLS, timeout, size,
    /// status).
    #[error("could not fetch the DID document: {0}")]
    Network(String),
    /// A remote resolver reported this DID Resolution error code without
    /// details we can check (`invalidPublicKeyLength`,
    /// `unsupportedPublicKeyType`, …).
    #[error("the resolver reports {0}")]
    Reported(&'static str),
    /// Offline, and the DID is in no cache or bundle.
    #[error("offline, and {0} is in no cache or bundle")]
    Offline(String),
}

impl ResolveError {
    /// The DID Resolution error code (`invalidDid`, `methodNotSupported`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidDid(_) => "invalidDid",
            Self::MethodNotSupported(_) => "methodNotSupported",
            Self::InvalidPublicKeyLength { .. } => "invalidPublicKeyLength",
            Self::InvalidPublicKey(_) => "invalidPublicKey",
            Self::UnsupportedPublicKeyType(_) => "unsupportedPublicKeyType",
            Self::InvalidWebDid(_) => "invalidDid",
            Self::InvalidDocument(_) | Self::IdMismatch { .. } => "invalidDidDocument",
            Self::NotFound(_) | Self::Offline(_) => "notFound",
            Self::Deactivated => "deactivated",
            Self::NotAllowed(_) => "notAllowed",
            Self::Network(_) => "internalError",
            Self::Reported(code) => code,
        }
    }

    /// Whether the DID (or the document it stands for) is itself wrong, as
    /// opposed to this resolver being unable to resolve it.
    pub fn is_invalid(&self) -> bool {
        matches!(
            self,
            Self::InvalidDid(_)
                | Self::InvalidPublicKeyLength { .. }
                | Self::InvalidPublicKey(_)
                | Self::InvalidWebDid(_)
                | Self::InvalidDocument(_)
                | Self::IdMismatch { .. }
                | Self::Deactivated
                | Self::Reported(_)
        )
    }
}
