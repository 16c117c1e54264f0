//! **ddcc**: COVID-19 certificates (WHO DDCC:VS) as W3C Verifiable
//! Credentials 2.0 under DIDs.
//!
//! This facade re-exports the workspace's library crates as named modules:
//!
//! * [`model`]: the data model (records, subjects, codings, DIDs);
//! * [`assets`]: pinned JSON-LD contexts and JSON Schemas;
//! * [`keys`]: Ed25519 secret and public keys, key files;
//! * [`did`]: `did:key` creation and offline resolution;
//! * [`credential`]: issue and verify (`eddsa-rdfc-2022`, SD-JWT VC), verdicts;
//! * [`sd`]: SD-JWT (RFC 9901) verification, issuance and presentations;
//! * [`hcert`], [`shc`], [`divoc`]: the certificates people already carry
//!   (EU DCC, SMART Health Cards, DIVOC), verified offline and mapped to
//!   the DDCC model; [`qr`]: QR codes in and out; [`rules`]: checkpoint
//!   rules.
//!
//! * [`trust`]: who a checkpoint trusts, for every format (trust lists,
//!   WHO GDHCN lists, EU DCC signers, SMART Health Card issuers, DIVOC keys).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use ddcc::credential::trust::{TrustEntry, TrustList, TrustPolicy};
//! use ddcc::credential::{Checks, Issuer, Outcome, Verifier};
//!
//! let record: serde_json::Value =
//!     serde_json::from_str(include_str!("../../../examples/records/primary-series-complete.json")).unwrap();
//! let issuer = Issuer::new(ddcc::keys::SecretKey::generate()).unwrap();
//! let vc = issuer.issue(&record, chrono::Utc::now()).await.unwrap();
//!
//! // Without a trust policy the signature is genuine, and nobody vouched
//! // for the issuer: never "valid".
//! let verdict = Verifier::builtin().unwrap().verify(&vc, Checks::all()).await;
//! assert!(matches!(verdict.outcome(), Outcome::IssuerNotChecked(_)));
//!
//! // A checkpoint that trusts a list accrediting the issuer.
//! let list = TrustList {
//!     name: "Accredited issuers".into(),
//!     anchor: issuer.did().clone(),
//!     valid_until: None,
//!     entries: vec![TrustEntry {
//!         issuer: issuer.did().clone(),
//!         credential_types: vec![],
//!         jurisdictions: vec![],
//!         until: None,
//!     }],
//! };
//! let checkpoint = Verifier::builtin().unwrap().with_trust(TrustPolicy::List(list));
//! let verdict = checkpoint.verify(&vc, Checks::all()).await;
//! assert!(verdict.is_valid(), "{}", verdict.to_text());
//! # }
//! ```

#![forbid(unsafe_code)]

/// The data model: records, subjects, codings, DIDs.
pub mod model {
    pub use ddcc_core::*;
}

/// Pinned JSON-LD contexts and JSON Schemas.
pub mod assets {
    pub use ddcc_assets::*;
}

/// Ed25519 keys and key files.
pub mod keys {
    pub use ddcc_crypto::*;
}

/// DID creation and resolution.
pub mod did {
    pub use ddcc_did::*;
}

/// Issuing and verifying credentials.
pub mod credential {
    pub use ddcc_credential::*;
}

/// Selective disclosure: SD-JWT verification, issuance and presentation.
pub mod sd {
    pub use ddcc_sd::*;
}

/// The README's Rust example is compiled as a doctest, so it cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// DID resolution over the network, always explicit: `did:web` and
/// Universal Resolver clients under a network policy, a TTL cache, offline
/// bundles.
pub mod resolve {
    pub use ddcc_resolve::*;
}

/// A DID registry to run: `did:web` hosting and the Universal Resolver
/// interface over HTTPS.
pub mod registry {
    pub use ddcc_registry::*;
}

/// Revocation and suspension: Bitstring Status Lists.
pub mod status {
    pub use ddcc_status::*;
}

/// The issuance register (SQLite): certificate ids, status indexes,
/// digests; no personal data.
pub mod register {
    pub use ddcc_register::*;
}

/// EU Digital COVID Certificates (HC1): decode and verify offline.
pub mod hcert {
    pub use ddcc_hcert::*;
}

/// QR codes: read from photos and screenshots.
pub mod qr {
    pub use ddcc_qr::*;
}

/// SMART Health Cards: decode and verify offline.
pub mod shc {
    pub use ddcc_shc::*;
}

/// DIVOC certificates: unzip, verify offline against given keys, map.
pub mod divoc {
    pub use ddcc_divoc::*;
}

/// Checkpoint rules kept as data.
pub mod rules {
    pub use ddcc_rules::*;
}

/// Who a checkpoint trusts, for every format: one trust configuration
/// (ddcc trust lists, WHO GDHCN trust lists with their proofs verified, EU
/// DCC signers, SMART Health Card issuers, DIVOC keys) loaded into a
/// verified snapshot.
pub mod trust {
    pub use ddcc_trust::*;
}
