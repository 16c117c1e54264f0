//! The ddcc data model: WHO DDCC:VS vaccination certificates as the
//! `credentialSubject` of a W3C Verifiable Credential 2.0, and the DID types
//! every other crate speaks.
//!
//! No I/O and no cryptography live here. Every type that carries personal
//! health data has a redacted `Debug`: names, dates of birth, lots and codes
//! never reach logs through `{:?}`.
//!
//! * [`VaccinationRecord`]: what an issuer feeds in (one vaccination event).
//! * [`VaccinationSubject`]: the `credentialSubject` of a
//!   `DDCCVaccinationCredential`.
//! * [`Did`], [`DidUrl`]: parsed decentralized identifiers.
//! * [`codes`]: code systems and the static equivalence tables
//!   (ICD-11 ↔ SNOMED CT / EU Union Register / CVX).

#![forbid(unsafe_code)]

pub mod codes;
mod did;
pub mod fhir;
mod model;
pub mod printable;
pub mod records_csv;
pub mod vocab;
pub mod words;

pub use did::{Did, DidError, DidUrl};
pub use model::{
    CertificateInfo, CertificateIssuer, Coding, Identifier, IdentityBinding, VaccinationEvent,
    VaccinationRecord, VaccinationSubject,
};
