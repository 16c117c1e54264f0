//! DID resolution flags, `ddcc did bundle|web init`, `ddcc registry serve`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ddcc::did::{DidResolver, Source};
use ddcc::model::{Did, DidUrl};
use ddcc::resolve::{Bundle, CachedResolver, NetworkPolicy, Resolver, UniversalResolver};

use crate::io::write_output;

/// How DIDs other than did:key and did:jwk are resolved.
#[derive(Debug, Args, Clone)]
pub(crate) struct NetArgs {
    /// Resolve did:web over the network (HTTPS). Without it (or --resolver)
    /// only did:key, did:jwk and documents from --bundle / --did-cache are used.
    #[arg(long)]
    pub(crate) online: bool,
    /// A DIF Universal Resolver for every DID that is not did:key or did:jwk
    /// (implies --online).
    #[arg(long, value_name = "URL")]
    pub(crate) resolver: Option<String>,
    /// Never use the network: documents only from --bundle / --did-cache.
    #[arg(long, conflicts_with_all = ["online", "resolver"])]
    pub(crate) offline: bool,
    /// Also trust the CA certificates of this PEM file (a private registry).
    #[arg(long, value_name = "FILE")]
    pub(crate) ca: Option<PathBuf>,
    /// Allow plain HTTP to loopback addresses (development registries only).
    #[arg(long)]
    pub(crate) allow_http_loopback: bool,
    /// Allow loopback and private addresses over HTTPS.
    #[arg(long)]
    pub(crate) allow_private: bool,
    /// DID documents to use without the network (from `ddcc did bundle`); repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) bundle: Vec<PathBuf>,
    /// A cache file of DID documents: read first, written back with what was fetched.
    #[arg(long, value_name = "FILE")]
    pub(crate) did_cache: Option<PathBuf>,
    /// Seconds a fetched DID document stays fresh.
    #[arg(long, default_value_t = 3600)]
    pub(crate) did_ttl: u32,
}

/// Where `ddcc verify` gets status lists.
#[derive(Debug, Args, Clone)]
pub(crate) struct StatusArgs {
    /// A signed status list credential to check credentials against
    /// (repeatable); its age is the file's. With --online, lists not given
    /// are fetched from their URL.
    #[arg(long = "status-list", value_name = "FILE")]
    pub(crate) status_lists: Vec<PathBuf>,
    /// Oldest status list accepted, in seconds: an older one makes the
    /// status unknown (exit 2).
    #[arg(long, default_value_t = 86_400)]
    pub(crate) status_max_age: u32,
}

/// Status lists from files, then (online) from their URLs.
#[derive(Debug)]
pub(crate) struct CliStatusLists {
    given: ddcc::status::GivenLists,
    http: Option<ddcc::resolve::HttpStatusLists>,
}

impl ddcc::status::StatusLists for CliStatusLists {
    fn fetch<'a>(&'a self, url: &'a str) -> ddcc::status::FetchFuture<'a> {
        Box::pin(async move {
            match (self.given.fetch(url).await, &self.http) {
                (Ok(list), _) => Ok(list),
                (Err(_), Some(http)) => http.fetch(url).await,
                (Err(why), None) => Err(format!(
                    "{why} (give it with --status-list, or use --online)"
                )),
            }
        })
    }
}

/// The resolver the flags describe, and the cache file to write back.
pub(crate) struct BuiltResolver {
    pub(crate) resolver: Arc<CachedResolver<Resolver>>,
    cache_file: Option<PathBuf>,
}

impl BuiltResolver {
    /// Writes fetched documents back to the --did-cache file.
    pub(crate) fn save(&self) -> Result<()> {
        if let Some(path) = &self.cache_file {
            self.resolver
                .snapshot()
                .write(path)
                .with_context(|| format!("cannot write the DID cache {}", path.display()))?;
        }
        Ok(())
    }
}

impl NetArgs {
    fn uses_network(&self, online_by_default: bool) -> bool {
        !self.offline && (self.online || self.resolver.is_some() || online_by_default)
    }

    /// The network policy the flags describe.
    pub(crate) fn policy(&self) -> Result<NetworkPolicy> {
        let mut policy = NetworkPolicy::default()
            .allow_http_loopback(self.allow_http_loopback)
            .allow_private_addresses(self.allow_private || self.allow_http_loopback);
        if let Some(ca) = &self.ca {
            let pem = std::fs::read(ca)
                .with_context(|| format!("cannot read the CA file {}", ca.display()))?;
            policy = policy
                .add_root_pem(&pem)
                .with_context(|| format!("{} holds no PEM certificate", ca.display()))?;
        }
        Ok(policy)
    }

    /// Whether network resolution was asked for.
    pub(crate) fn online(&self) -> bool {
        self.uses_network(false)
    }

    /// Builds the resolver: local methods always; did:web and a Universal
    /// Resolver only when the network is asked for.
    pub(crate) fn build(&self, online_by_default: bool) -> Result<BuiltResolver> {
        let online = self.uses_network(online_by_default);
        if !online && (self.ca.is_some() || self.allow_http_loopback || self.allow_private) {
            bail!("--ca, --allow-http-loopback and --allow-private need --online or --resolver");
        }
        let inner = if online {
            let policy = self.policy()?;
            let client = policy.client()?;
            let resolver = Resolver::with_web(client.clone(), self.allow_http_loopback);
            match &self.resolver {
                Some(url) => resolver.with_universal(UniversalResolver::new(url, client)),
                None => resolver,
            }
        } else {
            Resolver::offline()
        };
        let cached = CachedResolver::new(inner, chrono::Duration::seconds(i64::from(self.did_ttl)))
            .offline(!online);
        for path in &self.bundle {
            let bundle = Bundle::read(path)
                .with_context(|| format!("cannot use the bundle {}", path.display()))?;
            cached
                .load(&bundle, Source::Bundle)
                .with_context(|| format!("cannot use the bundle {}", path.display()))?;
        }
        if let Some(path) = &self.did_cache
            && path.exists()
        {
            let bundle = Bundle::read(path)
                .with_context(|| format!("cannot use the DID cache {}", path.display()))?;
            cached
                .load(&bundle, Source::Cache)
                .with_context(|| format!("cannot use the DID cache {}", path.display()))?;
        }
        Ok(BuiltResolver {
            resolver: Arc::new(cached),
            cache_file: self.did_cache.clone(),
        })
    }
}

/// `ddcc did bundle`: resolve DIDs now and write their documents to a file
/// a verifier can use offline.
pub(crate) async fn bundle(dids: &[String], out: &Path, net: &NetArgs) -> Result<u8> {
    let built = net.build(true)?;
    for d in dids {
        let did = Did::parse(d).with_context(|| format!("{d} is not a DID"))?;
        if matches!(did.method(), "key" | "jwk") {
            eprintln!("{did}: needs no bundle (resolved from the identifier itself)");
            continue;
        }
        built
            .resolver
            .resolve(&did)
            .await
            .with_context(|| format!("cannot resolve {did}"))?;
    }
    let snapshot = built.resolver.snapshot();
    snapshot
        .write(out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} DID document(s) to {}",
        snapshot.entries.len(),
        out.display()
    );
    Ok(0)
}

/// `ddcc did web init`: the did.json of an issuer.
#[derive(Debug, Args)]
pub(crate) struct WebInitArgs {
    /// The host the document is served from, with the port if not 443 (example.org, 127.0.0.1:8443).
    #[arg(long)]
    domain: String,
    /// Path segments after the host (issuers/moh → did:web:HOST:issuers:moh).
    #[arg(long)]
    path: Option<String>,
    /// The issuer's key files, newest first: key-1, key-2, … (repeatable;
    /// keep a retired key listed while its credentials must still verify).
    #[arg(long = "key", required = true)]
    keys: Vec<PathBuf>,
    /// The registry directory to write DIR/<path>/did.json into.
    #[arg(long)]
    dir: PathBuf,
}

pub(crate) fn web_init(a: &WebInitArgs) -> Result<u8> {
    let (host, port) = match a.domain.rsplit_once(':') {
        Some((h, p)) => (
            h,
            Some(
                p.parse::<u16>()
                    .with_context(|| format!("{} is not a port", p))?,
            ),
        ),
        None => (a.domain.as_str(), None),
    };
    let segments: Vec<&str> = a
        .path
        .as_deref()
        .map(|p| p.trim_matches('/').split('/').collect())
        .unwrap_or_default();
    let did = ddcc::did::did_web_for(host, port, &segments)?;
    let mut keys = Vec::new();
    for (i, path) in a.keys.iter().enumerate() {
        let key = ddcc::keys::read_secret_key_file(path)
            .with_context(|| format!("cannot use key file {}", path.display()))?;
        keys.push((format!("key-{}", i + 1), key.public_key()));
    }
    let refs: Vec<(&str, ddcc::keys::PublicKey)> =
        keys.iter().map(|(f, k)| (f.as_str(), *k)).collect();
    let doc = ddcc::did::did_web_document(&did, &refs)?;
    let mut file = a.dir.clone();
    if segments.is_empty() {
        file.push(".well-known");
    }
    for s in &segments {
        file.push(s);
    }
    std::fs::create_dir_all(&file).with_context(|| format!("cannot create {}", file.display()))?;
    file.push("did.json");
    write_output(
        Some(&file),
        &(serde_json::to_string_pretty(&doc.to_json())? + "\n"),
    )?;
    println!("{did}");
    eprintln!("wrote {} (sign with {did}#key-1)", file.display());
    Ok(0)
}

/// `ddcc registry …`.
#[derive(Debug, Subcommand)]
pub(crate) enum RegistryCommand {
    /// Serve did:web documents from a directory and the Universal Resolver
    /// interface, over HTTPS, until interrupted.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The directory of did.json files (did:web layout).
    #[arg(long)]
    dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: String,
    /// TLS certificate chain (PEM); with --tls-key.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Without --tls-cert: where to write the CA certificate of the
    /// generated self-signed certificate (give it to clients as --ca).
    #[arg(long, default_value = "registry-ca.pem", conflicts_with = "tls_cert")]
    ca_out: PathBuf,
    /// Serve plain HTTP instead of HTTPS (loopback development only).
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    http: bool,
}

pub(crate) async fn serve(a: &ServeArgs) -> Result<u8> {
    let listener = std::net::TcpListener::bind(&a.listen)
        .with_context(|| format!("cannot listen on {}", a.listen))?;
    let addr = listener.local_addr()?;
    if a.http && !addr.ip().is_loopback() {
        bail!("--http is for loopback addresses only; {addr} is not one");
    }
    let identity = if a.http {
        None
    } else if let (Some(cert), Some(key)) = (&a.tls_cert, &a.tls_key) {
        Some(ddcc::registry::TlsIdentity {
            cert_pem: std::fs::read_to_string(cert)
                .with_context(|| format!("cannot read {}", cert.display()))?,
            key_pem: zeroize::Zeroizing::new(
                std::fs::read_to_string(key)
                    .with_context(|| format!("cannot read {}", key.display()))?,
            ),
        })
    } else {
        let names = vec![addr.ip().to_string(), "localhost".to_owned()];
        let (ca, identity) = ddcc::registry::self_signed(&names)?;
        write_output(Some(&a.ca_out), &ca)?;
        eprintln!("CA certificate for clients: {}", a.ca_out.display());
        Some(identity)
    };
    if !a.dir.is_dir() {
        bail!("{} is not a directory", a.dir.display());
    }
    let running =
        ddcc::registry::start(listener, ddcc::registry::router(&a.dir), identity.as_ref()).await?;
    let scheme = if identity.is_some() { "https" } else { "http" };
    println!("{scheme}://{addr}");
    let handle = running.handle();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            handle.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
        }
    });
    running.wait().await?;
    Ok(0)
}

/// Who signs: a key file, under its did:key or another DID of the signer.
#[derive(Debug, Args)]
pub(crate) struct SignerArgs {
    /// The signer's key file.
    #[arg(long)]
    pub(crate) key: PathBuf,
    /// The signer's DID when it is not the key's did:key (a did:web).
    #[arg(long)]
    pub(crate) issuer_did: Option<String>,
    /// With --issuer-did: the key's fragment.
    #[arg(long, default_value = "key-1", requires = "issuer_did")]
    pub(crate) key_id: String,
}

impl SignerArgs {
    /// The signer, ready to sign.
    pub(crate) fn issuer(&self) -> Result<ddcc::credential::Issuer> {
        let key = ddcc::keys::read_secret_key_file(&self.key)
            .with_context(|| format!("cannot use key file {}", self.key.display()))?;
        let mut issuer = ddcc::credential::Issuer::new(key)?;
        if let Some((did, method)) = issuer_identity(self.issuer_did.as_deref(), &self.key_id)? {
            issuer = issuer.with_did(did, method)?;
        }
        Ok(issuer)
    }
}

/// The DID URL an issuer signs with: `--issuer-did` and `--key-id`, or the key's did:key.
pub(crate) fn issuer_identity(did: Option<&str>, key_id: &str) -> Result<Option<(Did, DidUrl)>> {
    let Some(did) = did else {
        return Ok(None);
    };
    let did = Did::parse(did).with_context(|| format!("{did} is not a DID"))?;
    let method = DidUrl::parse(&format!("{did}#{key_id}"))
        .with_context(|| format!("#{key_id} is not a usable key id"))?;
    Ok(Some((did, method)))
}

impl StatusArgs {
    /// The status list source the flags describe (network only with
    /// `--online` or `--resolver`).
    pub(crate) fn lists(&self, net: &NetArgs) -> Result<Arc<CliStatusLists>> {
        let mut given = ddcc::status::GivenLists::new();
        for path in &self.status_lists {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the status list {}", path.display()))?;
            let credential: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", path.display()))?;
            let modified = std::fs::metadata(path)
                .and_then(|m| m.modified())
                .map(chrono::DateTime::<chrono::Utc>::from)
                .with_context(|| format!("cannot read the age of {}", path.display()))?;
            given
                .add(credential, modified.timestamp())
                .with_context(|| format!("{} is not a status list", path.display()))?;
        }
        let http = if net.online() {
            Some(ddcc::resolve::HttpStatusLists::new(
                net.policy()?.client()?,
                i64::from(self.status_max_age).min(3600),
            ))
        } else {
            None
        };
        Ok(Arc::new(CliStatusLists { given, http }))
    }
}
