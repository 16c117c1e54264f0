//! Who a checkpoint trusts, for every certificate format it reads.
//!
//! A [`TrustConfig`] (TOML, or built in code) names the sources of
//! accreditation and keys:
//!
//! - ddcc's own signed `DDCCTrustList` credentials, with their anchors
//!   (DDCC Data Integrity, bbs-2023 and SD-JWT VC issuers);
//! - WHO GDHCN trust lists published as `did:web` documents ([`gdhcn`]),
//!   every document's proof verified against the signer the operator
//!   names: DID issuers listed by reference, and EU DCC document signer
//!   certificates (DSCs) with their `x5c` chains;
//! - EU DCC signer certificates as files;
//! - SMART Health Card issuers: entries with their JWKS and revocation
//!   lists as files, or a directory in the VCI shape whose keys are fetched
//!   from `ISS/.well-known/jwks.json` and kept in a bundle for offline use;
//! - DIVOC deployments' keys.
//!
//! [`TrustConfig::load`] reads them all into a [`Trust`] snapshot
//! ([`TrustConfig::refresh`] again, keeping a source's last good copy when
//! reading it fails): the
//! Data Integrity / SD-JWT [`TrustPolicy`](ddcc_credential::trust::TrustPolicy), the EU DCC signer list, the SHC
//! issuers and the DIVOC keys, each key with who vouched for it. A source
//! that cannot be used (tampered, signed by an unnamed root, stale, gone)
//! is recorded as such and makes the verdicts it would have decided *could
//! not verify*, never valid.

#![forbid(unsafe_code)]

mod config;
pub mod gdhcn;
mod snapshot;
mod sources;

pub use config::{
    ConfigError, DdccListSource, DivocKeySource, EuDccSource, GdhcnSource, ShcDirectorySource,
    ShcIssuerSource, TrustConfig, certificates, check_chain,
};
pub use gdhcn::{GdhcnError, GdhcnList, Signers};
pub use snapshot::{SourceReport, Trust, Vouch};
