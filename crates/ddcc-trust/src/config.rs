//! The trust configuration: its sources, read from TOML.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

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
    /// SMART Health Card issuers, one by one.
    #[serde(default)]
    pub shc: Vec<ShcIssuerSource>,
    /// SMART Health Card issuer directories (the VCI directory's shape).
    #[serde(default)]
    pub shc_directory: Vec<ShcDirectorySource>,
    /// DIVOC deployments' keys.
    #[serde(default)]
    pub divoc: Vec<DivocKeySource>,
    /// How often a service reads every source again, in seconds (default
    /// 3600). A source whose refresh fails keeps its last good copy until
    /// that copy is stale.
    #[serde(default)]
    pub refresh_seconds: Option<u64>,
    /// The folder relative paths are read from (the configuration file's).
    #[serde(skip)]
    pub base: PathBuf,
}

/// A ddcc trust list, and the anchors whose signature makes it usable:
/// a file, or a URL fetched when online with the file as its cache (the
/// last good copy, verified again when read).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DdccListSource {
    /// The signed list (a file): with `url`, the cache of the last good copy.
    pub file: PathBuf,
    /// Where the list is published (https), fetched when online.
    #[serde(default)]
    pub url: Option<String>,
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

/// A directory of SMART Health Card issuers, in the shape of the VCI
/// directory (`{"participating_issuers": [{"iss", "name", …}]}`): their keys
/// are fetched from `ISS/.well-known/jwks.json` (and the revocation lists
/// of keys with a `crlVersion` from `ISS/.well-known/crl/KID.json`) when
/// online, and kept in a bundle file for offline use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShcDirectorySource {
    /// A name for people (`VCI directory`).
    #[serde(default)]
    pub name: Option<String>,
    /// The directory file.
    pub file: PathBuf,
    /// Fetch every issuer's keys over HTTPS (through the network policy).
    #[serde(default)]
    pub online: bool,
    /// The bundle: the issuers' keys and revocation lists as last fetched
    /// (written when online, read when offline or when the web cannot be
    /// reached).
    #[serde(default)]
    pub bundle: Option<PathBuf>,
    /// How old the bundle may be, in hours, before it is stale (default
    /// 720).
    #[serde(default)]
    pub max_age_hours: Option<u64>,
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

/// Reads a file the configuration names, bounded.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ConfigError> {
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

pub(crate) fn read_json(path: &Path) -> Result<Value, ConfigError> {
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
            && self.shc_directory.is_empty()
            && self.divoc.is_empty()
    }

    pub(crate) fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_owned()
        } else {
            self.base.join(p)
        }
    }

    /// Whether a source reads the network.
    pub fn needs_network(&self) -> bool {
        self.gdhcn.iter().any(|g| g.online)
            || self.shc_directory.iter().any(|d| d.online)
            || self.ddcc_lists.iter().any(|l| l.url.is_some())
    }

    /// How often a service reads the sources again.
    pub fn refresh_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.refresh_seconds.unwrap_or(3600).max(1))
    }
}
