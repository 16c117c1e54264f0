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
//! - SMART Health Card issuers (a directory of `iss` with names and their
//!   JWKS and revocation lists);
//! - DIVOC deployments' keys.
//!
//! [`TrustConfig::load`] reads them all into a [`Trust`] snapshot: the
//! Data Integrity / SD-JWT [`TrustPolicy`], the EU DCC signer list, the SHC
//! issuers and the DIVOC keys, each key with who vouched for it. A source
//! that cannot be used (tampered, signed by an unnamed root, stale, gone)
//! is recorded as such and makes the verdicts it would have decided *could
//! not verify*, never valid.

#![forbid(unsafe_code)]

pub mod gdhcn;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use ddcc_core::Did;
use ddcc_credential::Verifier;
use ddcc_credential::trust::{DidTrustList, TrustEntry, TrustError, TrustList, TrustPolicy};
use serde::Deserialize;
use serde_json::Value;

pub use gdhcn::{GdhcnError, GdhcnList, Signers};

/// Largest file a trust configuration names, in bytes.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A trust configuration: where accreditation and keys come from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustConfig {
    /// ddcc trust lists (`DDCCTrustList` credentials).
    #[serde(default, rename = "ddcc_list")]
    pub ddcc_lists: Vec<DdccListSource>,
    /// WHO GDHCN `did:web` trust lists.
    #[serde(default)]
    pub gdhcn: Vec<GdhcnSource>,
    /// EU DCC signer certificates as files.
    #[serde(default)]
    pub eu_dcc: Option<EuDccSource>,
    /// SMART Health Card issuers.
    #[serde(default)]
    pub shc: Vec<ShcIssuerSource>,
    /// DIVOC deployments' keys.
    #[serde(default)]
    pub divoc: Vec<DivocKeySource>,
    /// The folder relative paths are read from (the configuration file's).
    #[serde(skip)]
    pub base: PathBuf,
}

/// A ddcc trust list file and the anchors whose signature makes it usable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DdccListSource {
    /// The signed list (a file).
    pub file: PathBuf,
    /// The DIDs of the anchors that may sign it.
    pub anchors: Vec<String>,
}

/// A GDHCN trust list: its root DID, the signer that vouches for it, and
/// where its documents are read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GdhcnSource {
    /// A name for people (`WHO GDHCN (DEV)`); the root DID when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// The list's root DID (`did:web:tng-cdn-dev.who.int:v2:trustlist`).
    pub root: String,
    /// The signer's DID document files (the root of trust: WHO's signing
    /// DID document), pinned by the operator.
    pub signer: Vec<PathBuf>,
    /// An offline copy of the list: a folder in the `did:web` layout of
    /// the root's host.
    #[serde(default)]
    pub folder: Option<PathBuf>,
    /// Read the list from the web (HTTPS, through the network policy).
    #[serde(default)]
    pub online: bool,
    /// With `online`: a folder where the last good copy is kept (every
    /// document, its proof verified), served when the web cannot be
    /// reached; its proofs are verified again when it is read.
    #[serde(default)]
    pub cache: Option<PathBuf>,
    /// How old the newest signature in the list may be, in hours, before
    /// the list is stale (default 720, thirty days).
    #[serde(default)]
    pub max_age_hours: Option<u64>,
}

/// EU DCC signer certificates given as files.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EuDccSource {
    /// PEM (one or more certificates each) or DER files.
    #[serde(default)]
    pub dsc: Vec<PathBuf>,
}

/// A SMART Health Card issuer: its `iss`, a name, its keys and CRLs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShcIssuerSource {
    /// The issuer URL as it appears in `iss`.
    pub iss: String,
    /// A name for people.
    #[serde(default)]
    pub name: Option<String>,
    /// Its JWKS (`ISS/.well-known/jwks.json`), a file.
    pub jwks: PathBuf,
    /// Its revocation lists (`method: rid`), files.
    #[serde(default)]
    pub crl: Vec<PathBuf>,
}

/// A DIVOC deployment's key for one verification method.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DivocKeySource {
    /// A name for people (`India CoWIN`).
    #[serde(default)]
    pub name: Option<String>,
    /// The verification method the certificates name (`did:india`).
    pub method: String,
    /// The public key (PEM, or a JWK / multibase text the DIVOC key reader takes).
    pub key: PathBuf,
    /// The JSON-LD contexts its certificates use, `URL=FILE` (DIVOC
    /// publishes its own; none is fetched).
    #[serde(default)]
    pub contexts: Vec<String>,
}

/// Why a configuration cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The TOML is not a trust configuration.
    #[error("the trust configuration is not valid: {0}")]
    Syntax(String),
    /// A file it names cannot be read.
    #[error("{path}: {why}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// A value is not of its kind (a DID, a key…).
    #[error("the trust configuration is not valid: {0}")]
    Invalid(String),
}

/// Who vouched for an issuer or a key: the list's name and the
/// jurisdiction it accredits them for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vouch {
    /// The source's name (a trust list's name, a GDHCN root, a file).
    pub list: String,
    /// The jurisdiction, when the source says it.
    pub jurisdiction: Option<String>,
    /// When the source was signed (its newest proof), when known.
    pub signed_at: Option<DateTime<Utc>>,
}

/// The state of one source after loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// Its kind (`ddcc_list`, `gdhcn`, `eu_dcc`, `shc`, `divoc`).
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// `None` when usable, else why not (a stable code and the reason).
    pub problem: Option<(&'static str, String)>,
    /// What it contributed, in words (`3 issuers, 12 signer certificates`).
    pub summary: String,
    /// When it was signed (its newest proof), when known.
    pub signed_at: Option<DateTime<Utc>>,
}

impl SourceReport {
    /// Whether it is served from its cache because the web could not be
    /// reached.
    pub fn from_cache(&self) -> bool {
        self.summary.starts_with("served from the cache")
    }
}

/// Everything a checkpoint trusts, verified, at one moment.
#[derive(Debug, Clone)]
pub struct Trust {
    /// Accreditation of DID issuers (Data Integrity, bbs-2023, SD-JWT VC).
    pub policy: TrustPolicy,
    /// EU DCC signer certificates.
    pub dscs: ddcc_hcert::TrustList,
    dsc_vouch: HashMap<[u8; 8], Vouch>,
    /// SMART Health Card issuers.
    pub shc: ddcc_shc::Issuers,
    shc_vouch: HashMap<String, Vouch>,
    /// DIVOC keys.
    pub divoc: ddcc_divoc::KeySet,
    divoc_vouch: HashMap<String, Vouch>,
    /// The contexts DIVOC certificates are read with: the builtin ones and
    /// those the DIVOC sources pin.
    pub divoc_contexts: ddcc_assets::ContextRegistry,
    /// Every source, usable or not.
    pub sources: Vec<SourceReport>,
    /// When it was loaded.
    pub loaded_at: DateTime<Utc>,
    /// Sources of EU DCC keys that could not be used (a DSC missing from
    /// the list may be in one of them).
    dsc_unusable: Vec<String>,
    shc_unusable: Vec<String>,
    /// Things the operator should know that do not make a source unusable
    /// (a cache that could not be written).
    pub warnings: Vec<String>,
}

/// Reads a file the configuration names, bounded.
fn read_file(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let err = |why: String| ConfigError::File {
        path: path.to_owned(),
        why,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(format!("larger than {MAX_FILE_BYTES} bytes")));
    }
    std::fs::read(path).map_err(|e| err(e.to_string()))
}

fn read_json(path: &Path) -> Result<Value, ConfigError> {
    serde_json::from_slice(&read_file(path)?).map_err(|_| ConfigError::File {
        path: path.to_owned(),
        why: "not JSON".into(),
    })
}

/// The DER certificates of a PEM (one or more) or DER file.
pub fn certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Ok(vec![bytes.to_vec()]);
    }
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .filter_map(|block| block.split("-----END CERTIFICATE-----").next())
        .map(|b64| {
            let clean: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean)
                .map_err(|_| "a PEM block is not base64".to_owned())
        })
        .collect()
}

/// Checks that `issuer_der` (a CA certificate) signed `der`.
///
/// # Errors
/// Why the chain does not hold.
pub fn check_chain(der: &[u8], issuer_der: &[u8]) -> Result<(), String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|_| "the certificate is not X.509".to_owned())?;
    let (_, ca) = x509_parser::parse_x509_certificate(issuer_der)
        .map_err(|_| "its issuer's certificate is not X.509".to_owned())?;
    if cert.issuer() != ca.subject() {
        return Err("its issuer is not the next certificate of the chain".into());
    }
    let is_ca = ca
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|b| b.value.ca);
    let signs_certs = ca
        .key_usage()
        .ok()
        .flatten()
        .is_none_or(|k| k.value.key_cert_sign());
    if !is_ca || !signs_certs {
        return Err("the next certificate of the chain is not a CA that signs certificates".into());
    }
    cert.verify_signature(Some(ca.public_key()))
        .map_err(|_| "the chain's CA did not sign it".to_owned())
}

impl TrustConfig {
    /// Reads a configuration file (TOML); relative paths in it are read
    /// from its folder.
    ///
    /// # Errors
    /// [`ConfigError`].
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let bytes = read_file(path)?;
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::File {
            path: path.to_owned(),
            why: "not UTF-8".into(),
        })?;
        let mut config = Self::from_toml(&text)?;
        config.base = path
            .parent()
            .map(Path::to_owned)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(config)
    }

    /// Reads a configuration from TOML text (relative paths from the
    /// current folder).
    ///
    /// # Errors
    /// [`ConfigError::Syntax`].
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Syntax(e.message().to_owned()))
    }

    /// Whether it names no source at all.
    pub fn is_empty(&self) -> bool {
        self.ddcc_lists.is_empty()
            && self.gdhcn.is_empty()
            && self.eu_dcc.as_ref().is_none_or(|e| e.dsc.is_empty())
            && self.shc.is_empty()
            && self.divoc.is_empty()
    }

    fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_owned()
        } else {
            self.base.join(p)
        }
    }

    /// Whether a source reads the network.
    pub fn needs_network(&self) -> bool {
        self.gdhcn.iter().any(|g| g.online)
    }

    /// Loads every source at `now`: files are read, lists verified. A
    /// source that cannot be used is recorded in [`Trust::sources`] and
    /// makes what it would have decided *could not verify*. `web` fetches
    /// online GDHCN lists (without it, an online list is unusable).
    ///
    /// # Errors
    /// [`ConfigError`] for a configuration that is wrong in itself (a
    /// missing file it names, a value that is not a DID): an operator's
    /// mistake, reported before anything runs.
    pub async fn load(
        &self,
        verifier: &Verifier,
        web: Option<&ddcc_resolve::WebResolver>,
        now: DateTime<Utc>,
    ) -> Result<Trust, ConfigError> {
        let mut trust = Trust {
            policy: TrustPolicy::AnyOf(Vec::new()),
            dscs: ddcc_hcert::TrustList::new(),
            dsc_vouch: HashMap::new(),
            shc: ddcc_shc::Issuers::new(),
            shc_vouch: HashMap::new(),
            divoc: ddcc_divoc::KeySet::new(),
            divoc_vouch: HashMap::new(),
            divoc_contexts: ddcc_assets::ContextRegistry::builtin()
                .map_err(|e| ConfigError::Invalid(e.to_string()))?,
            sources: Vec::new(),
            loaded_at: now,
            dsc_unusable: Vec::new(),
            shc_unusable: Vec::new(),
            warnings: Vec::new(),
        };
        let mut policies = Vec::new();
        for src in &self.ddcc_lists {
            let path = self.path(&src.file);
            let name = path.display().to_string();
            let anchors: Vec<Did> = src
                .anchors
                .iter()
                .map(|a| {
                    Did::parse(a).map_err(|_| ConfigError::Invalid(format!("{a} is not a DID")))
                })
                .collect::<Result<_, _>>()?;
            if anchors.is_empty() {
                return Err(ConfigError::Invalid(format!(
                    "the ddcc trust list {name} names no anchor"
                )));
            }
            let doc = read_json(&path)?;
            match Box::pin(TrustList::verify(&doc, &anchors, verifier)).await {
                Ok(list) => {
                    trust.sources.push(SourceReport {
                        kind: "ddcc_list",
                        name: list.name.clone(),
                        problem: None,
                        summary: format!("{} accredited issuer(s)", list.entries.len()),
                        signed_at: None,
                    });
                    policies.push(TrustPolicy::List(list));
                }
                Err(e) => {
                    trust.sources.push(SourceReport {
                        kind: "ddcc_list",
                        name,
                        problem: Some((e.code(), e.to_string())),
                        summary: String::new(),
                        signed_at: None,
                    });
                    policies.push(TrustPolicy::Unusable(e));
                }
            }
        }
        for src in &self.gdhcn {
            let policy = Box::pin(self.load_gdhcn(src, web, now, &mut trust)).await?;
            policies.push(policy);
        }
        if let Some(eu) = &self.eu_dcc {
            for file in &eu.dsc {
                let path = self.path(file);
                let bytes = read_file(&path)?;
                let ders = certificates(&bytes).map_err(|why| ConfigError::File {
                    path: path.clone(),
                    why,
                })?;
                for der in ders {
                    let dsc = ddcc_hcert::Dsc::from_der(&der).map_err(|e| ConfigError::File {
                        path: path.clone(),
                        why: format!("not a signer certificate: {e}"),
                    })?;
                    trust.dsc_vouch.insert(
                        *dsc.kid(),
                        Vouch {
                            list: format!("the signer certificate file {}", path.display()),
                            jurisdiction: None,
                            signed_at: None,
                        },
                    );
                    trust.dscs.add(dsc);
                }
                trust.sources.push(SourceReport {
                    kind: "eu_dcc",
                    name: path.display().to_string(),
                    problem: None,
                    summary: "signer certificates".into(),
                    signed_at: None,
                });
            }
        }
        for src in &self.shc {
            let name = src.name.clone().unwrap_or_else(|| src.iss.clone());
            let jwks = read_json(&self.path(&src.jwks))?;
            trust
                .shc
                .add_jwks(&src.iss, &jwks)
                .map_err(|e| ConfigError::Invalid(format!("the keys of {}: {e}", src.iss)))?;
            for crl in &src.crl {
                let crl = read_json(&self.path(crl))?;
                trust.shc.add_crl(&src.iss, &crl).map_err(|e| {
                    ConfigError::Invalid(format!("the revocation list of {}: {e}", src.iss))
                })?;
            }
            trust.shc_vouch.insert(
                src.iss.clone(),
                Vouch {
                    list: format!("the SMART Health Card issuer directory ({name})"),
                    jurisdiction: None,
                    signed_at: None,
                },
            );
            trust.sources.push(SourceReport {
                kind: "shc",
                name,
                problem: None,
                summary: format!("issuer {}", src.iss),
                signed_at: None,
            });
        }
        for src in &self.divoc {
            let path = self.path(&src.key);
            let text = String::from_utf8(read_file(&path)?).map_err(|_| ConfigError::File {
                path: path.clone(),
                why: "not UTF-8".into(),
            })?;
            let key = ddcc_divoc::PublicKey::parse(&text).map_err(|e| ConfigError::File {
                path: path.clone(),
                why: format!("not a DIVOC key: {e}"),
            })?;
            let name = src.name.clone().unwrap_or_else(|| src.method.clone());
            for pin in &src.contexts {
                let (url, file) = pin.split_once('=').ok_or_else(|| {
                    ConfigError::Invalid(format!("the DIVOC context {pin} is not URL=FILE"))
                })?;
                let file = self.path(Path::new(file));
                let text = String::from_utf8(read_file(&file)?).map_err(|_| ConfigError::File {
                    path: file.clone(),
                    why: "not UTF-8".into(),
                })?;
                trust
                    .divoc_contexts
                    .pin(url, &text, &file.display().to_string())
                    .map_err(|e| ConfigError::File {
                        path: file.clone(),
                        why: e.to_string(),
                    })?;
            }
            trust.divoc.add(&src.method, key);
            trust.divoc_vouch.insert(
                src.method.clone(),
                Vouch {
                    list: format!("the DIVOC keys of {name}"),
                    jurisdiction: None,
                    signed_at: None,
                },
            );
            trust.sources.push(SourceReport {
                kind: "divoc",
                name,
                problem: None,
                summary: format!("key for {}", src.method),
                signed_at: None,
            });
        }
        trust.policy = TrustPolicy::AnyOf(policies);
        Ok(trust)
    }

    async fn load_gdhcn(
        &self,
        src: &GdhcnSource,
        web: Option<&ddcc_resolve::WebResolver>,
        now: DateTime<Utc>,
        trust: &mut Trust,
    ) -> Result<TrustPolicy, ConfigError> {
        let root = Did::parse(&src.root)
            .map_err(|_| ConfigError::Invalid(format!("{} is not a DID", src.root)))?;
        let name = src.name.clone().unwrap_or_else(|| src.root.clone());
        let mut signers = Signers::new();
        for file in &src.signer {
            let path = self.path(file);
            signers
                .add_document(&read_json(&path)?)
                .map_err(|why| ConfigError::File { path, why })?;
        }
        if signers.ids().is_empty() {
            return Err(ConfigError::Invalid(format!(
                "the GDHCN list {name} names no signer document"
            )));
        }
        let contexts = ddcc_assets::ContextRegistry::gdhcn()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        let folder_of = |folder: &Path| {
            gdhcn::FolderSource::for_did(&root, &self.path(folder))
                .map_err(|e| ConfigError::Invalid(format!("{}: {e}", src.root)))
        };
        let mut from_cache = None;
        let loaded = match (&src.folder, src.online, web) {
            (Some(folder), false, _) => {
                let source = folder_of(folder)?;
                Box::pin(GdhcnList::load(&source, &root, &signers, &contexts, now)).await
            }
            (_, true, Some(web)) => {
                let source = gdhcn::WebSource::new(web.clone());
                let online =
                    Box::pin(GdhcnList::load(&source, &root, &signers, &contexts, now)).await;
                match (&online, &src.cache) {
                    (Ok(list), Some(cache)) => {
                        if let Err(e) = list.write_folder(&self.path(cache)) {
                            trust
                                .warnings
                                .push(format!("the GDHCN list '{name}' could not be cached: {e}"));
                        }
                        online
                    }
                    // Unreachable (not refused): the last good copy.
                    (Err(GdhcnError::Fetch { why, .. }), Some(cache)) => {
                        let source = folder_of(cache)?;
                        let cached =
                            Box::pin(GdhcnList::load(&source, &root, &signers, &contexts, now))
                                .await;
                        if cached.is_ok() {
                            from_cache = Some(why.clone());
                            cached
                        } else {
                            online
                        }
                    }
                    _ => online,
                }
            }
            (None, false, _) => {
                return Err(ConfigError::Invalid(format!(
                    "the GDHCN list {name} needs a folder or online = true"
                )));
            }
            (_, true, None) => Err(GdhcnError::Fetch {
                did: src.root.clone(),
                why: "the list is online and this verifier has no network access".into(),
            }),
        };
        let max_age = Duration::from_secs(src.max_age_hours.unwrap_or(720) * 3600);
        let list = match loaded {
            Ok(list) => list,
            Err(e) => {
                let error = TrustError::Unavailable(format!("the GDHCN list '{name}': {e}"));
                trust.sources.push(SourceReport {
                    kind: "gdhcn",
                    name: name.clone(),
                    problem: Some((e.code(), e.to_string())),
                    summary: String::new(),
                    signed_at: None,
                });
                trust.dsc_unusable.push(name.clone());
                trust.shc_unusable.push(name);
                return Ok(TrustPolicy::Unusable(error));
            }
        };
        if let Some(signed) = list.signed_at {
            let age = (now - signed).to_std().unwrap_or_default();
            if age > max_age {
                let why = format!(
                    "the GDHCN list '{name}' was signed {} hours ago, beyond its limit of {} hours: it is stale",
                    age.as_secs() / 3600,
                    max_age.as_secs() / 3600
                );
                trust.sources.push(SourceReport {
                    kind: "gdhcn",
                    name: name.clone(),
                    problem: Some(("trust_list_stale", why.clone())),
                    summary: String::new(),
                    signed_at: list.signed_at,
                });
                trust.dsc_unusable.push(name.clone());
                trust.shc_unusable.push(name);
                return Ok(TrustPolicy::Unusable(TrustError::Expired(why)));
            }
        }
        // EU DCC signers: DSC keys with an x5c chain whose kid is the
        // certificate's.
        let mut dscs = 0;
        let mut refused = 0;
        for key in &list.keys {
            let usage = key.placement.key_usage.as_deref();
            if usage != Some("DSC") {
                continue;
            }
            let Some(chain) = key.jwk.get("x5c").and_then(Value::as_array) else {
                continue;
            };
            let ders: Vec<Vec<u8>> = chain
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
                .collect();
            let Some(leaf) = ders.first() else {
                continue;
            };
            let Ok(dsc) = ddcc_hcert::Dsc::from_der(leaf) else {
                refused += 1;
                continue;
            };
            let kid = base64::engine::general_purpose::STANDARD.encode(dsc.kid());
            if kid != key.kid {
                refused += 1;
                continue;
            }
            if let Some(ca) = ders.get(1)
                && check_chain(leaf, ca).is_err()
            {
                refused += 1;
                continue;
            }
            trust.dsc_vouch.insert(
                *dsc.kid(),
                Vouch {
                    list: name.clone(),
                    jurisdiction: key.placement.participant.clone(),
                    signed_at: list.signed_at,
                },
            );
            trust.dscs.add(dsc);
            dscs += 1;
        }
        // DID issuers: listed by DID, or by an Ed25519 key.
        let entries: Vec<TrustEntry> = list
            .issuers
            .iter()
            .map(|(did, placement)| TrustEntry {
                issuer: Did::parse(did).unwrap_or_else(|_| root.clone()),
                credential_types: Vec::new(),
                jurisdictions: placement
                    .participant
                    .iter()
                    .filter(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_uppercase()))
                    .cloned()
                    .collect(),
                until: None,
            })
            .collect();
        let keys = list
            .keys
            .iter()
            .filter(|k| {
                k.jwk.get("kty").and_then(Value::as_str) == Some("OKP")
                    && k.jwk.get("crv").and_then(Value::as_str) == Some("Ed25519")
            })
            .filter_map(|k| {
                let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(k.jwk.get("x")?.as_str()?)
                    .ok()?;
                <[u8; 32]>::try_from(x.as_slice()).ok()
            })
            .collect();
        let missing = list.missing.len();
        trust.sources.push(SourceReport {
            kind: "gdhcn",
            name: name.clone(),
            problem: None,
            summary: format!(
                "{}{} document(s), {} DID issuer(s), {dscs} EU DCC signer(s){}{}",
                from_cache
                    .as_ref()
                    .map(|why| format!(
                        "served from the cache (the web could not be reached: {why}); "
                    ))
                    .unwrap_or_default(),
                list.documents.len(),
                entries.len(),
                if refused > 0 {
                    format!(", {refused} signer key(s) refused (kid or chain)")
                } else {
                    String::new()
                },
                if missing > 0 {
                    format!(", {missing} sub-list(s) unreadable")
                } else {
                    String::new()
                }
            ),
            signed_at: list.signed_at,
        });
        let anchor = signers
            .ids()
            .first()
            .and_then(|s| Did::parse(s.split('#').next().unwrap_or(s)).ok())
            .unwrap_or_else(|| root.clone());
        let mut parts = vec![
            TrustPolicy::List(TrustList {
                name: name.clone(),
                anchor,
                valid_until: None,
                entries,
            }),
            TrustPolicy::Did(DidTrustList {
                root: root.clone(),
                documents: Default::default(),
                keys,
            }),
        ];
        if missing > 0 {
            parts.push(TrustPolicy::Unusable(TrustError::Unavailable(format!(
                "{missing} sub-list(s) of the GDHCN list '{name}' could not be read"
            ))));
        }
        Ok(TrustPolicy::AnyOf(parts))
    }
}

impl Trust {
    /// Who vouched for the EU DCC signer with this key id.
    pub fn dsc_vouch(&self, kid: &[u8]) -> Option<&Vouch> {
        <[u8; 8]>::try_from(kid)
            .ok()
            .and_then(|k| self.dsc_vouch.get(&k))
    }

    /// Sources of EU DCC signers that could not be used: a signer missing
    /// from [`Trust::dscs`] may be in one of them, so it is *could not
    /// verify* rather than unknown.
    pub fn dsc_unusable(&self) -> &[String] {
        &self.dsc_unusable
    }

    /// Who vouched for the SMART Health Card issuer `iss`.
    pub fn shc_vouch(&self, iss: &str) -> Option<&Vouch> {
        self.shc_vouch.get(iss)
    }

    /// Sources of SMART Health Card issuers that could not be used.
    pub fn shc_unusable(&self) -> &[String] {
        &self.shc_unusable
    }

    /// Who vouched for the DIVOC key of `method`.
    pub fn divoc_vouch(&self, method: &str) -> Option<&Vouch> {
        self.divoc_vouch.get(method)
    }

    /// Whether every source is usable.
    pub fn all_usable(&self) -> bool {
        self.sources.iter().all(|s| s.problem.is_none())
    }

    /// The sources as JSON, for the API and the page: name, kind, state,
    /// what they hold and their age.
    pub fn sources_json(&self, now: DateTime<Utc>) -> Value {
        Value::Array(
            self.sources
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "kind": s.kind,
                        "name": s.name,
                        "usable": s.problem.is_none(),
                        "code": s.problem.as_ref().map(|p| p.0),
                        "problem": s.problem.as_ref().map(|p| p.1.clone()),
                        "summary": s.summary,
                        "signed_at": s.signed_at.map(|t| t.to_rfc3339()),
                        "age_seconds": s.signed_at.map(|t| (now - t).num_seconds().max(0)),
                        "loaded_seconds_ago": (now - self.loaded_at).num_seconds().max(0),
                    })
                })
                .collect(),
        )
    }
}
