//! Selective disclosure for ddcc: verification of SD-JWTs (RFC 9901) and
//! SD-JWT VCs, with key binding.
//!
//! [`verify`] checks the issuer's signature, links every disclosure to a
//! digest the issuer signed, rebuilds the disclosed claims, and, when the
//! presentation carries a Key Binding JWT (or the verifier requires one),
//! checks its signature by the holder key in `cnf`, its `aud`, `nonce`,
//! `iat` window and `sd_hash`. Every failure is a specific [`SdError`].
//!
//! Supported algorithms: `ES256` (P-256) and `EdDSA` (Ed25519); `none` and
//! everything else is refused.

#![forbid(unsafe_code)]

mod issue;
mod jws;
mod process;

pub use issue::{
    Disclosable, IssuedSdJwt, OsSalts, PooledOsSalts, SaltSource, issue_sd_jwt, present, sign_jwt,
};
pub use jws::{PublicJwk, verify_jws, verify_jws_with};
pub use process::{
    Presentation, VerifiedSdJwt, VerifyOptions, disclosure_paths, verify, verify_json, verify_with,
};

/// Why an SD-JWT was not accepted. Messages never contain claim values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SdError {
    /// The text is not an SD-JWT (`jwt~disclosure~…~[kb-jwt]`).
    #[error("malformed SD-JWT: {0}")]
    Malformed(&'static str),
    /// A JWS uses an algorithm that is not allowed.
    #[error("algorithm '{0}' is not allowed (ES256, EdDSA)")]
    UnsupportedAlgorithm(String),
    /// A key is not a usable public JWK.
    #[error("unusable key: {0}")]
    BadKey(&'static str),
    /// The issuer's signature does not verify.
    #[error("the issuer's signature does not match")]
    IssuerSignature,
    /// `_sd_alg` names a hash other than sha-256.
    #[error("unsupported _sd_alg (only sha-256)")]
    UnsupportedHash,
    /// A disclosure is not base64url JSON of the right shape.
    #[error("disclosure {0} is malformed")]
    BadDisclosure(usize),
    /// The same disclosure is presented twice.
    #[error("disclosure {0} is presented twice")]
    DuplicateDisclosure(usize),
    /// A disclosure matches no digest the issuer signed (added or changed).
    #[error("disclosure {0} was not signed by the issuer (added or altered)")]
    UnsignedDisclosure(usize),
    /// A digest appears more than once in the signed payload.
    #[error("a digest appears more than once in the issuer's payload")]
    DuplicateDigest,
    /// A disclosed claim name is reserved or already present.
    #[error("disclosed claim '{0}' collides with an existing or reserved name")]
    ClaimCollision(String),
    /// Key binding is required but the presentation has no KB-JWT.
    #[error("key binding is required but the presentation has no KB-JWT")]
    KeyBindingMissing,
    /// The credential has no holder key (`cnf.jwk`) to check a KB-JWT with.
    #[error("the credential has no holder key (cnf.jwk)")]
    NoHolderKey,
    /// The KB-JWT is not signed by the holder key.
    #[error("the KB-JWT is not signed by the holder key")]
    KeyBindingSignature,
    /// The KB-JWT header `typ` is not `kb+jwt`.
    #[error("the KB-JWT typ is not kb+jwt")]
    KeyBindingType,
    /// The KB-JWT `aud` is not the expected audience.
    #[error("the KB-JWT audience is not the expected one")]
    KeyBindingAudience,
    /// The KB-JWT `nonce` is not the expected one.
    #[error("the KB-JWT nonce is not the expected one")]
    KeyBindingNonce,
    /// The KB-JWT `iat` is outside the accepted window.
    #[error("the KB-JWT was issued at {iat}, outside the accepted window around {now}")]
    KeyBindingTime {
        /// The KB-JWT's `iat`.
        iat: i64,
        /// The verifier's time.
        now: i64,
    },
    /// The KB-JWT `sd_hash` does not match the presented SD-JWT.
    #[error("the KB-JWT sd_hash does not match the presentation")]
    KeyBindingHash,
    /// The SD-JWT is expired (`exp`).
    #[error("the SD-JWT expired at {0}")]
    Expired(i64),
    /// The SD-JWT is not yet valid (`nbf`).
    #[error("the SD-JWT is not valid before {0}")]
    NotYetValid(i64),
}
