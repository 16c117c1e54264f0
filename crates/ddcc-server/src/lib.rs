//! `ddcc serve`: the issuer, verifier and resolver as one HTTPS service
//! speaking the W3C VC API (`POST /credentials/issue`,
//! `/credentials/verify`, `/presentations/verify`, `/credentials/status`),
//! the DIF Universal Resolver interface (`GET /1.0/identifiers/{did}`), the
//! issuer's status lists and `did:web` document, `GET /health` and
//! `GET /metrics`.
//!
//! With no configuration it makes what it needs in its data directory: an
//! Ed25519 issuer key (`did:key`, file `0600`), a SQLite issuance register,
//! and a private CA with a server certificate for the listening address
//! (`ca.pem` is what clients trust). It listens on `127.0.0.1:8443`.
//!
//! **Who may issue.** The issuing and status-changing endpoints need the
//! API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`) when one is
//! configured. Without one they are switched off (403), unless the
//! service listens on a loopback address and the operator has set
//! [`Config::issue_without_api_key_dangerously`]; never open otherwise.
//!
//! **Requests.** Bodies are limited ([`Config::max_body_bytes`]); every
//! malformed request gets a 4xx answer with a JSON body
//! `{"error": {"code", "message"}}`. Verification, signing, derivation and
//! picture decoding run on a pool of threads of their own, with an
//! admission limit (503 `overloaded`, `Retry-After`) and a deadline (503
//! `deadline_exceeded`), so `/health` and `/metrics` answer while it is
//! busy; connections have a cap and header-read, idle and handshake
//! timeouts (see [`Config`]). Responses and logs never carry key
//! material or the subject's data; logs name the route, status, time and
//! request id (`x-request-id`, echoed in every response).

#![forbid(unsafe_code)]

mod api;
mod checkpoint;
mod formats;
mod observe;
mod work;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use ddcc::assets::ContextRegistry;
use ddcc::credential::{Issuer, SystemClock, Verifier};
use ddcc::register::Register;
use ddcc::status::{FetchFuture, FetchedList, StatusLists};
use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

pub use observe::{flush_logs, init_logging};

/// Default listening address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8443";
/// Default request body limit (1 MiB).
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// How the service is set up: from a TOML file, flags, or the defaults.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the issuer key, register, TLS files and published documents
    /// live (created `0700` if missing).
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The address to listen on.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// The URL clients reach the service at (status list URLs are made
    /// from it); default `https://LISTEN`.
    #[serde(default)]
    pub public_url: Option<String>,
    /// A TLS certificate chain (PEM) to serve instead of the generated one.
    #[serde(default)]
    pub tls_cert: Option<PathBuf>,
    /// Its private key (PEM).
    #[serde(default)]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP (only with this explicit setting).
    #[serde(default)]
    pub plain_http: bool,
    /// A file holding the API key for the issuing endpoints (never the key
    /// itself in the configuration; `DDCC_API_KEY` also works).
    #[serde(default)]
    pub api_key_file: Option<PathBuf>,
    /// The API key (from `DDCC_API_KEY` or `api_key_file`; not read from
    /// the TOML file).
    #[serde(skip)]
    pub api_key: Option<Zeroizing<String>>,
    /// The issuance register: a SQLite file or a `postgres://` URL
    /// (password from `PGPASSWORD`); default `DATA_DIR/register.sqlite`.
    #[serde(default)]
    pub register: Option<String>,
    /// Largest request body accepted, in bytes.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// Checkpoint rules (a rule set, JSON) the checkpoint page applies to
    /// valid certificates.
    #[serde(default)]
    pub rules_file: Option<PathBuf>,
    /// How long a published status list stays valid (seconds); lists are
    /// signed again when half of it has passed.
    #[serde(default = "default_list_validity")]
    pub status_list_valid_for: u32,
    /// The trust configuration (TOML, see `ddcc::trust::TrustConfig`): who
    /// the checkpoint and the verify endpoints accept as issuers, for
    /// every format. Without it the checkpoint page does not run, unless
    /// `accept_any_issuer_dangerously` is set.
    #[serde(default)]
    pub trust_config: Option<PathBuf>,
    /// More host names clients may use to reach the service (behind a
    /// proxy, say), besides the public URL's and the listening address's.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// How the bbs-2023 issuer labels blank nodes: `hmac` (the default,
    /// the specification's labels: any bbs-2023 holder derives from the
    /// credential, and presentations of one credential can be linked) or
    /// `structural` (presentations of one credential look like those of
    /// any other with the same disclosed values; only ddcc holders derive).
    #[serde(default)]
    pub bbs_labels: BbsLabels,
    /// More contexts to pin, `URL=FILE` each (a file the operator trusts;
    /// its SHA-256 is logged at start), for issuing and verifying
    /// credentials that use them. Nothing is ever fetched.
    #[serde(default)]
    pub contexts: Vec<String>,
    /// Run the checkpoint page without a trust configuration: every
    /// genuine signature is shown as "signature valid, issuer not
    /// checked" (never as valid), whoever made it. For development only.
    #[serde(default)]
    pub accept_any_issuer_dangerously: bool,
    /// Open the issuing endpoints without an API key when the service
    /// listens on loopback. Any program on the machine, and any web page
    /// a browser on it opens, may then issue certificates. For development
    /// and test suites only.
    #[serde(default)]
    pub issue_without_api_key_dangerously: bool,
    /// Time a request has to be answered (seconds); then it gets 503
    /// `deadline_exceeded` and its work is cancelled.
    #[serde(default = "default_deadline")]
    pub request_deadline_seconds: u32,
    /// Threads of the CPU pool (verification, signing, pictures); 0: one
    /// per core.
    #[serde(default)]
    pub work_threads: usize,
    /// Requests the CPU pool holds at once, running or waiting; one more is
    /// answered 503 `overloaded` with `Retry-After`.
    #[serde(default = "default_max_pending")]
    pub max_pending_requests: usize,
    /// Client connections held at once; one more is closed on arrival.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Time a client has to send a request's headers, and to complete the
    /// TLS handshake (seconds).
    #[serde(default = "default_header_timeout")]
    pub header_read_timeout_seconds: u32,
    /// Time a connection may pass without a byte read or written
    /// (seconds); longer than the deadline.
    #[serde(default = "default_idle_timeout")]
    pub idle_timeout_seconds: u32,
    /// On SIGTERM, time given to requests in flight (seconds); then they
    /// are cancelled and the service exits.
    #[serde(default = "default_grace")]
    pub shutdown_grace_seconds: u32,
}

/// How the bbs-2023 issuer labels blank nodes (see
/// [`ddcc::credential::bbs::Labels`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BbsLabels {
    /// The specification's HMAC shuffle, with a fresh key per credential.
    #[default]
    Hmac,
    /// By the objects' places in the credential.
    Structural,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("plain_http", &self.plain_http)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("ddcc-data")
}
fn default_listen() -> SocketAddr {
    DEFAULT_LISTEN
        .parse()
        .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8443)))
}
fn default_max_body() -> usize {
    DEFAULT_MAX_BODY
}
fn default_list_validity() -> u32 {
    86_400
}
fn default_deadline() -> u32 {
    10
}
fn default_max_pending() -> usize {
    64
}
fn default_max_connections() -> usize {
    1024
}
fn default_header_timeout() -> u32 {
    10
}
fn default_idle_timeout() -> u32 {
    60
}
fn default_grace() -> u32 {
    10
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: default_data_dir(),
            listen: default_listen(),
            public_url: None,
            tls_cert: None,
            tls_key: None,
            plain_http: false,
            api_key_file: None,
            api_key: None,
            register: None,
            rules_file: None,
            max_body_bytes: default_max_body(),
            status_list_valid_for: default_list_validity(),
            trust_config: None,
            allowed_hosts: Vec::new(),
            contexts: Vec::new(),
            bbs_labels: BbsLabels::default(),
            accept_any_issuer_dangerously: false,
            issue_without_api_key_dangerously: false,
            request_deadline_seconds: default_deadline(),
            work_threads: 0,
            max_pending_requests: default_max_pending(),
            max_connections: default_max_connections(),
            header_read_timeout_seconds: default_header_timeout(),
            idle_timeout_seconds: default_idle_timeout(),
            shutdown_grace_seconds: default_grace(),
        }
    }
}

impl Config {
    /// Sets the API key the issuing endpoints require (kept zeroized).
    pub fn set_api_key(&mut self, key: String) {
        self.api_key = Some(Zeroizing::new(key));
    }

    /// Reads a TOML configuration file.
    ///
    /// # Errors
    /// [`ServeError::Config`] naming the problem.
    pub fn from_toml(text: &str) -> Result<Self, ServeError> {
        toml::from_str(text).map_err(|e| ServeError::Config(e.message().to_owned()))
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// A configuration value is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// A file or socket could not be used.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The issuer key, register, or TLS identity is unusable.
    #[error("{0}")]
    Setup(String),
}

/// Who may call the issuing endpoints.
#[derive(Clone)]
pub(crate) enum IssuerAccess {
    /// Callers presenting this key (its SHA-256, compared in full).
    ApiKey([u8; 32]),
    /// Anyone: the service listens on loopback only.
    Loopback,
    /// Nobody: no key, and not on loopback.
    Disabled,
}

/// Status lists as the service last signed them, by URL.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// Signed list credentials (and token status list JWTs) by URL path.
    pub(crate) files: std::collections::HashMap<String, (String, &'static str)>,
    /// The same credentials, as a verifier source.
    pub(crate) lists: std::collections::HashMap<String, FetchedList>,
    /// When they were signed.
    pub(crate) signed_at: Option<DateTime<Utc>>,
    /// How many lists the register had then.
    pub(crate) count: usize,
}

/// The verifier's source for the service's own lists (no network).
#[derive(Debug, Clone)]
pub(crate) struct OwnLists(pub(crate) Arc<RwLock<Published>>);

impl StatusLists for OwnLists {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        let found = self
            .0
            .read()
            .ok()
            .and_then(|p| p.lists.get(url).cloned())
            .ok_or_else(|| {
                "the status list is not one this service publishes (lists of other issuers are not fetched)".to_owned()
            });
        Box::pin(std::future::ready(found))
    }
}

/// What every request handler shares.
pub(crate) struct AppState {
    pub(crate) issuer: Issuer,
    /// The bbs-2023 issuer key (its own did:key).
    pub(crate) bbs_key: ddcc::credential::bbs::BbsKeyPair,
    /// The bbs-2023 suite (issuance and derivation).
    pub(crate) bbs: ddcc::credential::bbs::Bbs2023,
    /// How the bbs-2023 issuer labels blank nodes.
    pub(crate) bbs_labels: BbsLabels,
    pub(crate) verifier: Verifier,
    pub(crate) register: Mutex<Register>,
    /// The same register acting for the bbs-2023 issuer: its lists under
    /// `/status/bbs/`, signed with its key.
    pub(crate) bbs_register: Mutex<Register>,
    pub(crate) published: Arc<RwLock<Published>>,
    pub(crate) access: IssuerAccess,
    pub(crate) list_valid_for: chrono::Duration,
    pub(crate) metrics: observe::Metrics,
    pub(crate) rules: Option<ddcc::rules::RuleSet>,
    /// What the checkpoint trusts (`None`: nothing configured), replaced
    /// whole by each refresh.
    pub(crate) trust: RwLock<Option<Arc<ddcc::trust::Trust>>>,
    /// The configuration the trust is read from, the verifier's swappable
    /// policy, and the network client of online sources.
    pub(crate) trust_source: Option<TrustSource>,
    /// Whether the checkpoint page runs without a trust configuration.
    pub(crate) accept_any_issuer: bool,
    /// Whether the service speaks HTTPS (responses then carry HSTS).
    pub(crate) https: bool,
    /// The host names requests may name (`Host`): the public URL's, the
    /// listening address's, and the loopback names when it listens on
    /// loopback. A page elsewhere whose name was pointed at this machine
    /// (DNS rebinding) names its own host, and is refused.
    pub(crate) hosts: Vec<String>,
    /// Serialises republishing (signing is cheap; racing writers are not).
    pub(crate) publish_lock: tokio::sync::Mutex<()>,
    /// The CPU pool, its admission limit and the request deadline.
    pub(crate) work: work::WorkPool,
    /// The listener's connection counters, once it listens.
    pub(crate) connections: std::sync::OnceLock<Arc<ddcc_registry::ConnectionCounters>>,
}

/// Where the service's trust comes from, for refreshing it.
pub(crate) struct TrustSource {
    pub(crate) config: ddcc::trust::TrustConfig,
    pub(crate) handle: ddcc::credential::trust::TrustHandle,
    pub(crate) client: Option<ddcc::resolve::HttpClient>,
}

impl AppState {
    /// The trust snapshot in force now.
    pub(crate) fn trust(&self) -> Option<Arc<ddcc::trust::Trust>> {
        self.trust.read().map(|t| t.clone()).unwrap_or_default()
    }

    /// Reads the trust configuration again: sources that fail keep their
    /// last good copy (until stale); the new snapshot and policy are
    /// swapped in whole.
    pub(crate) async fn refresh_trust(&self) {
        let (Some(src), Some(previous)) = (&self.trust_source, self.trust()) else {
            return;
        };
        let now = Utc::now();
        match Box::pin(
            src.config
                .refresh(&previous, &self.verifier, src.client.as_ref(), now),
        )
        .await
        {
            Ok(next) => {
                for s in &next.sources {
                    if let Some((code, _)) = &s.problem {
                        tracing::warn!(source = %s.name, code = *code, "a trust source cannot be used");
                    } else if s.fallback.is_some() {
                        tracing::warn!(source = %s.name, "a trust source could not be read again; its last good copy is kept");
                    }
                }
                src.handle.set(next.policy.clone());
                if let Ok(mut t) = self.trust.write() {
                    *t = Some(Arc::new(next));
                }
            }
            Err(e) => tracing::warn!(error = %e, "the trust configuration could not be read again"),
        }
    }
}

/// A service ready to start: its routes, TLS identity and the facts a
/// caller may print.
pub struct Prepared {
    router: axum::Router,
    tls: Option<ddcc_registry::TlsIdentity>,
    listen: SocketAddr,
    limits: ddcc_registry::ConnectionLimits,
    grace: std::time::Duration,
    /// The issuer's DID.
    pub issuer_did: String,
    /// The issuer's `did:web` (its document is served by the service).
    pub issuer_did_web: String,
    /// The bbs-2023 issuer's DID (a BLS12-381 G2 `did:key`): issuing as it,
    /// or with `options.cryptosuite: "bbs-2023"`, makes a selectively
    /// disclosable credential.
    pub bbs_issuer_did: String,
    /// The URL clients use.
    pub public_url: String,
    /// The CA certificate to trust (PEM file), when the service made its
    /// own certificate.
    pub ca_file: Option<PathBuf>,
    /// Whether the issuing endpoints are open without a key (loopback),
    /// need one, or are off.
    pub issuer_access: &'static str,
    /// The checkpoint page: `trusted` (a trust configuration), `any issuer
    /// (development)`, or `off (no trust configuration)`.
    pub checkpoint: &'static str,
    state: Arc<AppState>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("listen", &self.listen)
            .field("issuer_did", &self.issuer_did)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

fn create_private_dir(dir: &Path) -> Result<(), ServeError> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn write_private(path: &Path, text: &str) -> Result<(), ServeError> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// Sets the service up from `config`: key, register, TLS identity,
/// published documents, routes. Nothing listens yet.
///
/// # Errors
/// [`ServeError`] naming what is unusable.
pub async fn prepare(config: &Config) -> Result<Prepared, ServeError> {
    // The settings, and the files they name, are checked before anything
    // is written: a service that cannot start leaves nothing behind.
    let read = |what: &str, file: &Path| {
        std::fs::read_to_string(file)
            .map_err(|e| ServeError::Setup(format!("cannot read {what} {}: {e}", file.display())))
    };
    let own_tls = match (config.plain_http, &config.tls_cert, &config.tls_key) {
        (_, None, None) => None,
        (true, _, _) => {
            return Err(ServeError::Config(
                "plain_http and a TLS certificate (tls_cert, tls_key) exclude each other".into(),
            ));
        }
        (false, Some(cert), Some(key)) => {
            let own = ddcc_registry::TlsIdentity {
                cert_pem: read("the TLS certificate", cert)?,
                key_pem: Zeroizing::new(read("the TLS key", key)?),
            };
            own.check().map_err(|e| {
                ServeError::Config(format!(
                    "tls_cert {} with tls_key {}: {e}",
                    cert.display(),
                    key.display()
                ))
            })?;
            Some(own)
        }
        (false, _, _) => {
            return Err(ServeError::Config(
                "tls_cert and tls_key go together: give both, or neither for a generated certificate"
                    .into(),
            ));
        }
    };
    // Who may issue.
    let api_key = match (&config.api_key, &config.api_key_file) {
        (Some(k), _) => Some(k.clone()),
        (None, Some(file)) => Some(Zeroizing::new(
            read("the API key file", file)?.trim().to_owned(),
        )),
        (None, None) => None,
    };
    let access = match api_key {
        Some(k) if k.len() < 16 => {
            return Err(ServeError::Config(
                "the API key must be at least 16 characters".into(),
            ));
        }
        Some(k) => {
            use sha2::Digest as _;
            IssuerAccess::ApiKey(sha2::Sha256::digest(k.as_bytes()).into())
        }
        None if config.listen.ip().is_loopback() && config.issue_without_api_key_dangerously => {
            IssuerAccess::Loopback
        }
        None if config.issue_without_api_key_dangerously => {
            return Err(ServeError::Config(
                "issue_without_api_key_dangerously only applies on a loopback address; \
                 elsewhere the issuing endpoints need an API key"
                    .into(),
            ));
        }
        None => IssuerAccess::Disabled,
    };
    if config.request_deadline_seconds == 0
        || config.max_pending_requests == 0
        || config.max_connections == 0
        || config.header_read_timeout_seconds == 0
        || config.idle_timeout_seconds == 0
    {
        return Err(ServeError::Config(
            "request_deadline_seconds, max_pending_requests, max_connections, \
             header_read_timeout_seconds and idle_timeout_seconds must not be 0"
                .into(),
        ));
    }
    let work = work::WorkPool::new(
        match config.work_threads {
            0 => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            n => n,
        },
        config.max_pending_requests,
        std::time::Duration::from_secs(u64::from(config.request_deadline_seconds)),
    )
    .map_err(|e| ServeError::Setup(format!("the CPU pool: {e}")))?;
    let access_name = match access {
        IssuerAccess::ApiKey(_) => "api-key",
        IssuerAccess::Loopback => "loopback",
        IssuerAccess::Disabled => "disabled",
    };

    let trust_config = match &config.trust_config {
        Some(f) => {
            let c = ddcc::trust::TrustConfig::from_file(f)
                .map_err(|e| ServeError::Config(format!("trust_config {}: {e}", f.display())))?;
            if c.is_empty() {
                return Err(ServeError::Config(format!(
                    "trust_config {} names no trust source",
                    f.display()
                )));
            }
            Some(c)
        }
        None => None,
    };
    if trust_config.is_some() && config.accept_any_issuer_dangerously {
        return Err(ServeError::Config(
            "trust_config and accept_any_issuer_dangerously exclude each other".into(),
        ));
    }
    let rules = match &config.rules_file {
        Some(f) => Some(
            ddcc::rules::RuleSet::from_json(&read("the rules file", f)?)
                .map_err(|e| ServeError::Config(format!("rules_file {}: {e}", f.display())))?,
        ),
        None => None,
    };
    create_private_dir(&config.data_dir)?;
    let key_file = config.data_dir.join("issuer.key");
    let key = if key_file.exists() {
        ddcc::keys::read_secret_key_file(&key_file)
            .map_err(|e| ServeError::Setup(format!("issuer key {}: {e}", key_file.display())))?
    } else {
        let k = ddcc::keys::SecretKey::generate();
        ddcc::keys::write_secret_key_file(&key_file, &k)
            .map_err(|e| ServeError::Setup(format!("issuer key {}: {e}", key_file.display())))?;
        k
    };
    let public_key = key.public_key();
    // The pinned contexts: the embedded ones and the operator's.
    let registry = pinned_contexts(&config.contexts)?;
    let issuer = Issuer::with_contexts(key, registry.clone())
        .map_err(|e| ServeError::Setup(e.to_string()))?;
    // The bbs-2023 issuer: a BLS12-381 G2 did:key of its own.
    let bbs_file = config.data_dir.join("bbs-issuer.key");
    let bbs_key = if bbs_file.exists() {
        ddcc::credential::bbs::BbsKeyPair::read_file(&bbs_file)
            .map_err(|e| ServeError::Setup(format!("bbs issuer key {}: {e}", bbs_file.display())))?
    } else {
        let k = ddcc::credential::bbs::BbsKeyPair::generate()
            .map_err(|e| ServeError::Setup(e.to_string()))?;
        k.write_file(&bbs_file).map_err(|e| {
            ServeError::Setup(format!("bbs issuer key {}: {e}", bbs_file.display()))
        })?;
        k
    };
    let scheme = if config.plain_http { "http" } else { "https" };
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{}", config.listen))
        .trim_end_matches('/')
        .to_owned();
    if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
        return Err(ServeError::Config(
            "public_url must be an http(s) URL".into(),
        ));
    }

    // The did:web of this service, with the issuer's key, hosted here.
    let host_port = public_url
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))
        .unwrap_or_default();
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().ok()),
        None => (host_port, None),
    };
    let did_web = ddcc::did::did_web_for(host, port, &[])
        .map_err(|e| ServeError::Config(format!("public_url host: {e}")))?;
    let doc = ddcc::did::did_web_document(&did_web, &[("key-1", public_key)])
        .map_err(|e| ServeError::Setup(e.to_string()))?;
    let public_dir = config.data_dir.join("public");
    let well_known = public_dir.join(".well-known");
    std::fs::create_dir_all(&well_known)?;
    let did_json = well_known.join("did.json");
    let tmp = well_known.join(".did.json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_string_pretty(&doc.to_json()).unwrap_or_default(),
    )?;
    std::fs::rename(&tmp, &did_json)?;

    // The register.
    let open_register = |base: &str| {
        match config.register.as_deref() {
            Some(url) if ddcc::register::is_postgres_url(url) => Register::connect(url, base),
            Some(path) => Register::open(Path::new(path), base),
            None => Register::open(&config.data_dir.join("register.sqlite"), base),
        }
        .map_err(|e| ServeError::Setup(format!("register: {e}")))
    };
    let register = open_register(&format!("{public_url}/status"))?;
    let bbs_register =
        open_register(&format!("{public_url}/status/bbs"))?.with_issuer(&bbs_key.did_key());

    // TLS.
    let (tls, ca_file) = match own_tls {
        _ if config.plain_http => (None, None),
        Some(own) => (Some(own), None),
        None => {
            let ca = config.data_dir.join("ca.pem");
            let cert = config.data_dir.join("server.pem");
            let key = config.data_dir.join("server.key");
            if !(ca.exists() && cert.exists() && key.exists()) {
                let names = vec![host.to_owned(), "localhost".to_owned()];
                let (ca_pem, identity) = ddcc_registry::self_signed(&names)
                    .map_err(|e| ServeError::Setup(e.to_string()))?;
                for f in [&ca, &cert, &key] {
                    let _ = std::fs::remove_file(f);
                }
                write_private(&key, identity.key_pem.as_str())?;
                write_private(&cert, &identity.cert_pem)?;
                write_private(&ca, &ca_pem)?;
            }
            (
                Some(ddcc_registry::TlsIdentity {
                    cert_pem: read("the TLS certificate", &cert)?,
                    key_pem: Zeroizing::new(read("the TLS key", &key)?),
                }),
                Some(ca),
            )
        }
    };

    let published = Arc::new(RwLock::new(Published::default()));
    let list_valid_for = chrono::Duration::seconds(i64::from(config.status_list_valid_for));
    let mut verifier = Verifier::new(registry.clone(), SystemClock)
        .map_err(|e| ServeError::Setup(e.to_string()))?
        .with_status_lists(Arc::new(OwnLists(published.clone())), list_valid_for);
    let (trust, trust_source) = match trust_config {
        Some(c) => {
            let client = if c.needs_network() {
                Some(
                    ddcc::resolve::NetworkPolicy::default()
                        .client()
                        .map_err(|e| ServeError::Setup(e.to_string()))?,
                )
            } else {
                None
            };
            let t = Box::pin(c.load(&verifier, client.as_ref(), Utc::now()))
                .await
                .map_err(|e| ServeError::Config(format!("trust_config: {e}")))?;
            for s in &t.sources {
                if let Some((code, _)) = &s.problem {
                    tracing::warn!(source = %s.name, code = *code, "a trust source cannot be used");
                }
            }
            for w in &t.warnings {
                tracing::warn!(warning = %w, "trust configuration");
            }
            let handle = ddcc::credential::trust::TrustHandle::new(t.policy.clone());
            verifier = verifier.with_trust_handle(handle.clone());
            (
                Some(Arc::new(t)),
                Some(TrustSource {
                    config: c,
                    handle,
                    client,
                }),
            )
        }
        None => (None, None),
    };
    let bbs = ddcc::credential::bbs::Bbs2023::new(registry)
        .map_err(|e| ServeError::Setup(e.to_string()))?;
    let state = Arc::new(AppState {
        issuer,
        bbs_key,
        bbs,
        bbs_labels: config.bbs_labels,
        verifier,
        register: Mutex::new(register),
        bbs_register: Mutex::new(bbs_register),
        published,
        access,
        list_valid_for,
        metrics: observe::Metrics::new(),
        rules,
        trust: RwLock::new(trust),
        trust_source,
        accept_any_issuer: config.accept_any_issuer_dangerously,
        https: !config.plain_http,
        hosts: {
            let mut hosts = vec![
                host.trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_ascii_lowercase(),
                config.listen.ip().to_string(),
            ];
            if config.listen.ip().is_loopback() || config.listen.ip().is_unspecified() {
                hosts.extend(["localhost", "127.0.0.1", "::1"].map(str::to_owned));
            }
            hosts.extend(config.allowed_hosts.iter().map(|h| h.to_ascii_lowercase()));
            hosts
        },
        publish_lock: tokio::sync::Mutex::new(()),
        work,
        connections: std::sync::OnceLock::new(),
    });
    api::publish_lists(&state, true)
        .await
        .map_err(|e| ServeError::Setup(format!("status lists: {}", e.message)))?;
    let router = api::router(state.clone(), &public_dir, config.max_body_bytes);
    Ok(Prepared {
        router,
        tls,
        listen: config.listen,
        limits: ddcc_registry::ConnectionLimits {
            max_connections: config.max_connections,
            header_read_timeout: std::time::Duration::from_secs(u64::from(
                config.header_read_timeout_seconds,
            )),
            tls_handshake_timeout: std::time::Duration::from_secs(u64::from(
                config.header_read_timeout_seconds,
            )),
            idle_timeout: std::time::Duration::from_secs(u64::from(config.idle_timeout_seconds)),
            ..ddcc_registry::ConnectionLimits::default()
        },
        grace: std::time::Duration::from_secs(u64::from(config.shutdown_grace_seconds)),
        issuer_did: state.issuer.did().to_string(),
        issuer_did_web: did_web.to_string(),
        bbs_issuer_did: state.bbs_key.did_key(),
        public_url,
        ca_file,
        issuer_access: access_name,
        checkpoint: match (&state.trust_source, state.accept_any_issuer) {
            (Some(_), _) => "trusted",
            (None, true) => "any issuer (development)",
            (None, false) => "off (no trust configuration)",
        },
        state,
    })
}

/// A running service.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    inner: ddcc_registry::RunningRegistry,
    refresher: Option<tokio::task::JoinHandle<()>>,
    trust_refresher: Option<tokio::task::JoinHandle<()>>,
    grace: std::time::Duration,
}

impl Running {
    /// Stops accepting connections, lets in-flight requests finish within
    /// the grace period (`shutdown_grace_seconds`), then cancels what is
    /// left and returns; it never waits longer than the grace period and a
    /// second.
    pub async fn stop(self) {
        for job in self.refresher.iter().chain(&self.trust_refresher) {
            job.abort();
        }
        let handle = self.inner.handle();
        handle.graceful_shutdown(Some(self.grace));
        let bound = self.grace + std::time::Duration::from_secs(1);
        if tokio::time::timeout(bound, self.inner.wait())
            .await
            .is_err()
        {
            tracing::warn!("requests were still in flight after the grace period; stopping anyway");
        }
        flush_logs();
    }
}

impl Prepared {
    /// Starts listening on `listener` (or the configured address).
    ///
    /// # Errors
    /// [`ServeError`] when the socket or TLS identity is unusable.
    pub async fn start(
        self,
        listener: Option<std::net::TcpListener>,
    ) -> Result<Running, ServeError> {
        let listener = match listener {
            Some(l) => l,
            None => std::net::TcpListener::bind(self.listen)?,
        };
        let inner =
            ddcc_registry::start_with(listener, self.router, self.tls.as_ref(), &self.limits)
                .await
                .map_err(|e| ServeError::Setup(e.to_string()))?;
        let _ = self.state.connections.set(inner.connections());
        // Lists are signed again before they go stale (on the CPU pool, as
        // every signature).
        let state = self.state.clone();
        let refresher = self.state.work.spawn(async move {
            let period = (state.list_valid_for / 4)
                .to_std()
                .unwrap_or(std::time::Duration::from_secs(3600))
                .max(std::time::Duration::from_secs(1));
            loop {
                tokio::time::sleep(period).await;
                if let Err(e) = api::publish_lists(&state, false).await {
                    tracing::warn!(error = %e.message, "status lists were not republished");
                }
            }
        });
        // Trust lists are read again at the configured interval; the
        // service keeps answering from the current snapshot meanwhile.
        let trust_refresher = self.state.trust_source.as_ref().map(|src| {
            let period = src.config.refresh_interval();
            let state = self.state.clone();
            self.state.work.spawn(async move {
                loop {
                    tokio::time::sleep(period).await;
                    state.refresh_trust().await;
                }
            })
        });
        Ok(Running {
            addr: inner.addr,
            inner,
            refresher,
            trust_refresher: trust_refresher.flatten(),
            grace: self.grace,
        })
    }
}

/// Runs the service until SIGTERM or Ctrl-C, then shuts down gracefully.
///
/// # Errors
/// [`ServeError`] when it cannot start.
pub async fn run(config: &Config) -> Result<(), ServeError> {
    let prepared = prepare(config).await?;
    tracing::info!(
        listen = %config.listen,
        public_url = %prepared.public_url,
        issuer = %prepared.issuer_did,
        issuer_access = prepared.issuer_access,
        "ddcc serve starting"
    );
    if prepared.issuer_access == "disabled" {
        tracing::warn!(
            "issuing endpoints are off: no API key is configured and the service does not listen on loopback"
        );
    }
    let running = prepared.start(None).await?;
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    running.stop().await;
    Ok(())
}

/// Waits for SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The JSON value of a request body member, for handlers.
pub(crate) fn member<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    v.as_object().and_then(|o| o.get(k))
}

/// The embedded contexts and the configuration's `URL=FILE` pins; each pin
/// is logged with its SHA-256.
fn pinned_contexts(pins: &[String]) -> Result<ContextRegistry, ServeError> {
    let mut registry = ContextRegistry::builtin().map_err(|e| ServeError::Setup(e.to_string()))?;
    for pin in pins {
        let Some((url, file)) = pin.split_once('=') else {
            return Err(ServeError::Config(format!(
                "contexts: {pin:?} is not URL=FILE"
            )));
        };
        let text = std::fs::read_to_string(file)
            .map_err(|e| ServeError::Config(format!("contexts: {file}: {e}")))?;
        registry
            .pin(url, &text, &format!("file:{file}"))
            .map_err(|e| ServeError::Config(format!("contexts: {url}: {e}")))?;
        if let Some(entry) = registry.get(url) {
            tracing::info!(url, file, sha256 = %entry.sha256, "pinned a context");
        }
    }
    Ok(registry)
}
