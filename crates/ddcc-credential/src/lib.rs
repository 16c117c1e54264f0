//! Issue and verify DDCC credentials: VC 2.0 credentials and presentations
//! secured with Data Integrity `eddsa-rdfc-2022`, and SD-JWT VCs.
//!
//! * [`Issuer`] turns a [`ddcc_core::VaccinationRecord`] (as JSON) into a
//!   signed VC 2.0 `DDCCVaccinationCredential` ([`Issuer::issue`]) or an
//!   SD-JWT VC ([`Issuer::issue_sd_jwt`]), refusing records that fail the
//!   schema before anything is signed.
//! * [`Verifier`] checks a credential ([`Verifier::verify`]) or a holder's
//!   presentation ([`Verifier::verify_presentation`]) and returns a
//!   [`Verdict`]: valid, invalid (naming the check), or could not verify
//!   (saying why).
//! * [`Holder`] signs presentations; [`sdjwt::Wallet`] keeps SD-JWT VCs and
//!   answers a verifier's request with the least disclosure profile.
//!
//! Data Integrity proofs are computed on the exact fast path (`ddcc-ld`);
//! `ssi` 0.16 is the verification fallback for credentials the fast path
//! refuses, and the reference the tests compare with. None of its types
//! appear in this crate's public API. What `ssi` does not check, this crate
//! does: that the proof's verification method belongs to the issuer and is
//! authorised for `assertionMethod`, the validity window against an
//! injectable [`Clock`], the subject's schema, and that every context is one
//! we pinned. Verification never fetches anything from the network.

#![forbid(unsafe_code)]

pub mod bbs;
pub mod canon;
mod clock;
mod error;
mod fast;
mod issue;
pub mod jcs;
mod ld;
pub mod model;
mod presentation;
pub mod sdjwt;
mod verdict;
mod verify;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{IssueError, ProofError};
pub use issue::{Issuer, insert_status};
pub use presentation::{Holder, HolderBinding, PresentationPolicy, PresentationVerdict};
pub use verdict::{
    Check, CheckReport, CheckStatus, DocumentSource, Outcome, ProofPath, ProofPathStats, Verdict,
    VerifiedCredential,
};
pub use verify::{Checks, Verifier};
pub mod trust;

/// The cryptosuite this crate signs and verifies.
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

/// The ECDSA cryptosuite (P-256) this crate verifies (through `ssi`; it
/// does not issue with it).
pub const ECDSA_CRYPTOSUITE: &str = "ecdsa-rdfc-2019";

/// Largest credential text accepted by the verifier (1 MiB).
pub const MAX_CREDENTIAL_BYTES: usize = 1024 * 1024;
