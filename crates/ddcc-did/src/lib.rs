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

pub use document::{DidDocument, VerificationMethod, VerificationRelationship};
pub use jwk::{did_jwk_for, ed25519_key_of, resolve_did_jwk};
pub use key::{DidKeyOptions, Representation, did_key_for, did_key_method, resolve_did_key};
pub use resolver::{DidResolver, LocalResolver, ResolveFuture};

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
    #[error("DID method '{0}' is not supported (supported: key, jwk)")]
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
        }
    }

    /// Whether the DID (or the document it stands for) is itself wrong, as
    /// opposed to this resolver being unable to resolve it.
    pub fn is_invalid(&self) -> bool {
        matches!(
            self,
            Self::InvalidDid(_) | Self::InvalidPublicKeyLength { .. } | Self::InvalidPublicKey(_)
        )
    }
}
