//! A DID registry we run: `did:web` documents hosted from a directory, and
//! the DIF Universal Resolver interface (`GET /1.0/identifiers/{did}`) for
//! `did:key`, `did:jwk` and the `did:web` DIDs it hosts, over HTTPS (or
//! plain HTTP when asked). Tests start it on loopback and resolve against
//! it; `ddcc registry serve` runs it.
//!
//! The directory layout is the `did:web` one: `did:web:HOST` is
//! `DIR/.well-known/did.json`, `did:web:HOST:a:b` is `DIR/a/b/did.json`,
//! whatever the host (the registry answers for the documents it holds).

#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ddcc_core::{Did, DidUrl};
use ddcc_did::{DidDocument, LocalResolver, ResolveError, parse_did_document, web_location};
use serde_json::{Value, json};

/// Largest document served (1 MiB).
const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

/// Why the registry could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// A file or socket could not be used.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The TLS certificate or key is unusable.
    #[error("TLS: {0}")]
    Tls(String),
}

#[derive(Debug)]
struct AppState {
    dir: PathBuf,
    local: LocalResolver,
}

/// The registry's routes, serving documents from `dir`: `/health` and
/// [`resolver_routes`].
pub fn router(dir: &Path) -> Router {
    Router::new()
        .route(
            "/health",
            get(|| async { axum::Json(json!({"status": "ok"})) }),
        )
        .merge(resolver_routes(dir))
}

/// The Universal Resolver interface (`GET /1.0/identifiers/{did}`) and the
/// JSON documents hosted from `dir` (`did.json` files in the `did:web`
/// layout, and the other JSON a registry publishes: status lists, trust
/// lists), never secret key material and never a file a link leads to
/// outside `dir`: for services that add routes of their own.
pub fn resolver_routes(dir: &Path) -> Router {
    let state = Arc::new(AppState {
        dir: dir.to_owned(),
        local: LocalResolver::default(),
    });
    Router::new()
        .route("/1.0/identifiers/{did}", get(identifiers))
        .route("/{*path}", get(hosted))
        .with_state(state)
}

/// The file under `dir` for a request path ending in `.json` (`did.json`
/// documents, and the other JSON an issuer publishes: trust lists, status
/// lists), or `None` when the path is not a plain relative path to one.
/// Hidden files other than `.well-known` are never served.
fn document_file(dir: &Path, path: &str) -> Option<PathBuf> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let last = segments.last()?;
    if !last.ends_with(".json") || last.len() <= ".json".len() {
        return None;
    }
    if segments
        .iter()
        .any(|s| s.starts_with('.') && *s != ".well-known")
    {
        return None;
    }
    let mut file = dir.to_owned();
    for s in &segments {
        if s.is_empty() || *s == "." || *s == ".." || s.contains('\\') || s.contains('\0') {
            return None;
        }
        file.push(s);
    }
    Some(file)
}

/// Reads a hosted file: a regular file inside `root` (no link leads out
/// of it), at most [`MAX_DOCUMENT_BYTES`], and something a registry
/// publishes ([`publishable`]).
async fn read_document(root: &Path, file: &Path) -> Option<Vec<u8>> {
    let real_root = tokio::fs::canonicalize(root).await.ok()?;
    let real = tokio::fs::canonicalize(file).await.ok()?;
    if !real.starts_with(&real_root) {
        return None;
    }
    let meta = tokio::fs::metadata(&real).await.ok()?;
    if !meta.is_file() || meta.len() > MAX_DOCUMENT_BYTES {
        return None;
    }
    let bytes = tokio::fs::read(&real).await.ok()?;
    publishable(&bytes).then_some(bytes)
}

/// Members that hold secret key material, in any key format ddcc or
/// others write.
const SECRET_MEMBERS: [&str; 7] = [
    "privateKeyMultibase",
    "secretKeyMultibase",
    "privateKeyJwk",
    "privateKeyBase58",
    "privateKeyPem",
    "privateKeyHex",
    "secretKey",
];

/// Whether a JSON file is something a registry publishes: a DID document
/// (its `id` a DID) or a credential (a status list, a trust list), and
/// holding no secret key material anywhere (a key file in the folder is
/// never served, whatever its name).
fn publishable(bytes: &[u8]) -> bool {
    fn secret(v: &Value, depth: usize) -> bool {
        if depth > 32 {
            return true;
        }
        match v {
            Value::Object(o) => {
                o.keys().any(|k| SECRET_MEMBERS.contains(&k.as_str()))
                    // A private JWK: "d" beside "kty".
                    || (o.contains_key("kty") && o.contains_key("d"))
                    || o.values().any(|x| secret(x, depth + 1))
            }
            Value::Array(a) => a.iter().any(|x| secret(x, depth + 1)),
            _ => false,
        }
    }
    let Ok(doc) = serde_json::from_slice::<Value>(bytes) else {
        return false;
    };
    let is_did_document = doc
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|id| id.starts_with("did:"));
    let is_credential = match doc.get("type") {
        Some(Value::String(t)) => t == "VerifiableCredential",
        Some(Value::Array(a)) => a.iter().any(|t| t == "VerifiableCredential"),
        _ => false,
    };
    (is_did_document || is_credential) && !secret(&doc, 0)
}

fn json_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

async fn hosted(State(state): State<Arc<AppState>>, UrlPath(path): UrlPath<String>) -> Response {
    let Some(file) = document_file(&state.dir, &path) else {
        return json_error(StatusCode::NOT_FOUND, "not found");
    };
    match read_document(&state.dir, &file).await {
        Some(bytes) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/did+json"),
            )],
            bytes,
        )
            .into_response(),
        None => json_error(StatusCode::NOT_FOUND, "not found"),
    }
}

/// A `did:web` DID's document from the registry's own directory.
async fn hosted_document(state: &AppState, did: &Did) -> Result<DidDocument, ResolveError> {
    let location = web_location(did)?;
    let file = document_file(&state.dir, &location.path)
        .ok_or(ResolveError::InvalidWebDid("the path cannot be hosted"))?;
    let bytes = read_document(&state.dir, &file)
        .await
        .ok_or_else(|| ResolveError::NotFound("this registry holds no such DID".into()))?;
    let json: Value = serde_json::from_slice(&bytes)
        .map_err(|_| ResolveError::InvalidDocument("the hosted document is not JSON"))?;
    parse_did_document(did, &json)
}

/// The answer for a DID URL that cannot be dereferenced: the error in the
/// dereferencing metadata (DID Resolution, "Dereferencing Result").
fn dereferencing_error(status: StatusCode, code: &str, message: &str) -> Response {
    resolution_response(
        status,
        json!({
            "@context": "https://w3id.org/did-resolution/v1",
            "contentStream": null,
            "contentMetadata": {},
            "didDereferencingMetadata": {"error": code, "errorMessage": message},
        }),
    )
}

/// A DID Resolution (or dereferencing) result, with its media type.
fn resolution_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(
                "application/ld+json;profile=\"https://w3id.org/did-resolution\"",
            ),
        )],
        axum::Json(body),
    )
        .into_response()
}

fn resolution_error(error: &ResolveError) -> Response {
    let status = match error {
        ResolveError::NotFound(_) | ResolveError::Offline(_) => StatusCode::NOT_FOUND,
        ResolveError::Deactivated => StatusCode::GONE,
        ResolveError::MethodNotSupported(_) => StatusCode::NOT_IMPLEMENTED,
        _ => StatusCode::BAD_REQUEST,
    };
    // 501 is a server error; the contract wants 4xx for requests we cannot
    // serve, so an unsupported method is 400 with its code.
    let status = if status == StatusCode::NOT_IMPLEMENTED {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    resolution_response(
        status,
        json!({
            "@context": "https://w3id.org/did-resolution/v1",
            "didDocument": null,
            "didDocumentMetadata": {},
            "didResolutionMetadata": {"error": error.code(), "errorMessage": error.to_string()},
        }),
    )
}

async fn identifiers(
    State(state): State<Arc<AppState>>,
    UrlPath(did_or_url): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    // axum has already percent-decoded the path segment.
    let Ok(url) = DidUrl::parse(&did_or_url) else {
        // A DID with a path, query or fragment that does not parse is a
        // DID URL to dereference: invalidDidUrl; anything else invalidDid.
        let looks_like_url = did_or_url.starts_with("did:") && did_or_url.contains(['#', '?', '/']);
        if looks_like_url {
            return dereferencing_error(
                StatusCode::BAD_REQUEST,
                "invalidDidUrl",
                "the DID URL is not valid",
            );
        }
        return resolution_error(&ResolveError::InvalidDid(
            ddcc_core::DidError::InvalidIdentifier,
        ));
    };
    let did = url.did();
    let document = match did.method() {
        "key" | "jwk" => state.local.resolve_now(&did).map(|d| (*d).clone()),
        "web" => hosted_document(&state, &did).await,
        other => Err(ResolveError::MethodNotSupported(other.to_owned())),
    };
    let document = match document {
        Ok(d) => d,
        Err(e) => return resolution_error(&e),
    };
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let bare =
        accept.contains("application/did+ld+json") || accept.contains("application/did+json");
    if url.fragment().is_some() {
        let Some(method) = document.method(url.as_str()) else {
            return dereferencing_error(
                StatusCode::NOT_FOUND,
                "notFound",
                "the document has no such verification method",
            );
        };
        let mut m = serde_json::Map::new();
        // The node with the document's @context, so that it reads as
        // JSON-LD on its own.
        if let Some(c) = document.to_json().get("@context") {
            m.insert("@context".into(), c.clone());
        }
        m.insert("id".into(), Value::from(method.id.as_str()));
        m.insert("type".into(), Value::from(method.method_type.as_str()));
        m.insert("controller".into(), Value::from(method.controller.as_str()));
        for (k, v) in &method.properties {
            m.insert(k.clone(), v.clone());
        }
        return (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/ld+json;profile=\"https://w3id.org/did-resolution\"",
                ),
            )],
            axum::Json(json!({
                "@context": "https://w3id.org/did-resolution/v1",
                "didDocument": Value::Object(m),
                "didDocumentMetadata": {},
                "didDereferencingMetadata": {"contentType": "application/did+ld+json"},
                "didResolutionMetadata": {},
            })),
        )
            .into_response();
    }
    if bare {
        return (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/did+ld+json"),
            )],
            axum::Json(document.to_json()),
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(
                "application/ld+json;profile=\"https://w3id.org/did-resolution\"",
            ),
        )],
        axum::Json(json!({
            "@context": "https://w3id.org/did-resolution/v1",
            "didDocument": document.to_json(),
            "didDocumentMetadata": {},
            // resolve()'s metadata: no contentType (that belongs to
            // resolveRepresentation(), the bare document answer above).
            "didResolutionMetadata": {},
        })),
    )
        .into_response()
}

/// A certificate and its private key, PEM.
#[derive(Clone)]
pub struct TlsIdentity {
    /// The certificate chain (leaf first), PEM.
    pub cert_pem: String,
    /// The private key, PEM. Never logged; zeroized when dropped.
    pub key_pem: zeroize::Zeroizing<String>,
}

impl TlsIdentity {
    /// Checks that the certificate and key read and belong together.
    ///
    /// # Errors
    /// [`RegistryError::Tls`] naming the problem.
    pub fn check(&self) -> Result<(), RegistryError> {
        server_config(self).map(|_| ())
    }
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity").finish_non_exhaustive()
    }
}

/// A fresh private CA and a server certificate it signed for `names` (DNS
/// names or IP addresses): for local registries and tests. Returns the CA
/// certificate (PEM, to give clients as `--ca`) and the server identity.
///
/// # Errors
/// [`RegistryError::Tls`] if a name cannot go in a certificate.
pub fn self_signed(names: &[String]) -> Result<(String, TlsIdentity), RegistryError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let tls = |e: rcgen::Error| RegistryError::Tls(e.to_string());
    let ca_key = KeyPair::generate().map_err(tls)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(tls)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name
        .push(DnType::CommonName, "ddcc local registry CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).map_err(tls)?;
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().map_err(tls)?;
    let mut leaf = CertificateParams::new(names.to_vec()).map_err(tls)?;
    leaf.distinguished_name
        .push(DnType::CommonName, "ddcc local registry");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(tls)?;
    Ok((
        ca_cert.pem(),
        TlsIdentity {
            cert_pem: leaf_cert.pem(),
            key_pem: zeroize::Zeroizing::new(leaf_key.serialize_pem()),
        },
    ))
}

fn server_config(identity: &TlsIdentity) -> Result<rustls::ServerConfig, RegistryError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(identity.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|_| RegistryError::Tls("the certificate file is not PEM".into()))?;
    if certs.is_empty() {
        return Err(RegistryError::Tls(
            "the certificate file holds no certificate".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes())
        .map_err(|_| RegistryError::Tls("the key file holds no PEM private key".into()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| RegistryError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| RegistryError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A running registry.
#[derive(Debug)]
pub struct RunningRegistry {
    /// The address it listens on.
    pub addr: SocketAddr,
    handle: axum_server::Handle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    counters: Arc<ConnectionCounters>,
}

impl RunningRegistry {
    /// Stops accepting connections, lets in-flight requests finish (up to
    /// 5 s), and waits for the server to end.
    pub async fn stop(self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(5)));
        let _ = self.task.await;
    }

    /// Waits until the server ends (for example after a signal).
    ///
    /// # Errors
    /// The server's I/O error.
    pub async fn wait(self) -> std::io::Result<()> {
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }

    /// A handle to stop the server from elsewhere.
    pub fn handle(&self) -> axum_server::Handle {
        self.handle.clone()
    }

    /// Its connections: open now, and refused at the limit.
    pub fn connections(&self) -> Arc<ConnectionCounters> {
        self.counters.clone()
    }
}

/// What one client may hold of the server: connections and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once; one more is closed as soon as it is
    /// accepted (and counted in [`ConnectionCounters::refused`]).
    pub max_connections: usize,
    /// Time a client has to send a request's headers, from the moment the
    /// connection is ready for one (after the TLS handshake, and after each
    /// response on a kept-alive HTTP/1.1 connection, so it is also the idle
    /// timeout); then the connection is closed.
    pub header_read_timeout: Duration,
    /// Time a client has to complete the TLS handshake.
    pub tls_handshake_timeout: Duration,
    /// Time a connection may pass without a byte read or written; then it
    /// is closed. Longer than a request may take (the service's deadline).
    pub idle_timeout: Duration,
    /// Interval of HTTP/2 keep-alive pings; a client that does not answer
    /// one within the same time is disconnected.
    pub http2_keep_alive: Duration,
    /// Requests (streams) one HTTP/2 connection may have open at once.
    pub http2_max_streams: u32,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            tls_handshake_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            http2_keep_alive: Duration::from_secs(20),
            http2_max_streams: 64,
        }
    }
}

/// How many connections a server holds and has refused.
#[derive(Debug, Default)]
pub struct ConnectionCounters {
    open: std::sync::atomic::AtomicU64,
    refused: std::sync::atomic::AtomicU64,
}

impl ConnectionCounters {
    /// Connections open now.
    pub fn open(&self) -> u64 {
        self.open.load(std::sync::atomic::Ordering::Relaxed)
    }
    /// Connections closed on arrival because the limit was reached.
    pub fn refused(&self) -> u64 {
        self.refused.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// An acceptor that holds one of a limited number of permits for each
/// connection's life, and closes a connection that finds none.
#[derive(Debug, Clone)]
struct Capped<A> {
    inner: A,
    permits: Arc<tokio::sync::Semaphore>,
    counters: Arc<ConnectionCounters>,
    idle_timeout: Duration,
}

/// A connection, the permit it holds, and its idle timer (reset by every
/// byte read or written; when it fires, reads fail and the server closes
/// the connection).
#[derive(Debug)]
struct Held<S> {
    inner: S,
    _permit: tokio::sync::OwnedSemaphorePermit,
    _open: Open,
    idle: std::pin::Pin<Box<tokio::time::Sleep>>,
    idle_timeout: Duration,
    /// When a byte was last read or written. The timer is not moved on
    /// every read and write (that takes the timer's lock each time); when
    /// it fires, it is set again from here if there was activity since.
    last_active: tokio::time::Instant,
}

impl<S> Held<S> {
    fn active(&mut self) {
        self.last_active = tokio::time::Instant::now();
    }

    /// When nothing is ready: whether the idle time is over (and if not,
    /// the timer will wake the task).
    fn idle_over(&mut self, cx: &mut std::task::Context<'_>) -> bool {
        loop {
            if self.idle.as_mut().poll(cx).is_pending() {
                return false;
            }
            let due = self.last_active + self.idle_timeout;
            if due <= tokio::time::Instant::now() {
                return true;
            }
            self.idle.as_mut().reset(due);
        }
    }

    /// A write's outcome: bytes written reset the idle timer; a write that
    /// cannot proceed fails once the idle time is over.
    fn wrote(
        &mut self,
        cx: &mut std::task::Context<'_>,
        polled: std::task::Poll<std::io::Result<usize>>,
    ) -> std::task::Poll<std::io::Result<usize>> {
        match polled {
            std::task::Poll::Ready(Ok(n)) => {
                self.active();
                std::task::Poll::Ready(Ok(n))
            }
            std::task::Poll::Pending if self.idle_over(cx) => {
                std::task::Poll::Ready(Err(idle_error()))
            }
            other => other,
        }
    }
}

fn idle_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, "connection idle too long")
}

/// One open connection, counted while it lives.
#[derive(Debug)]
struct Open(Arc<ConnectionCounters>);

impl Open {
    fn new(counters: &Arc<ConnectionCounters>) -> Self {
        counters
            .open
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self(counters.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0
            .open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Held<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match std::pin::Pin::new(&mut self.inner).poll_read(cx, buf) {
            std::task::Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.active();
                }
                std::task::Poll::Ready(Ok(()))
            }
            std::task::Poll::Pending if self.idle_over(cx) => {
                std::task::Poll::Ready(Err(idle_error()))
            }
            other => other,
        }
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Held<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        self.wrote(cx, polled)
    }
    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.wrote(cx, polled)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

type Accepted<S, V> =
    std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<(S, V)>> + Send>>;

impl<A, I, V> axum_server::accept::Accept<I, V> for Capped<A>
where
    A: axum_server::accept::Accept<I, V>,
    A::Future: Send + 'static,
    A::Stream: Send + 'static,
    A::Service: Send + 'static,
    I: Send + 'static,
{
    type Stream = Held<A::Stream>;
    type Service = A::Service;
    type Future = Accepted<Held<A::Stream>, A::Service>;

    fn accept(&self, stream: I, service: V) -> Self::Future {
        let Ok(permit) = self.permits.clone().try_acquire_owned() else {
            self.counters
                .refused
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            // Closed at once: the descriptor is free again.
            drop(stream);
            return Box::pin(std::future::ready(Err(std::io::Error::other(
                "connection limit reached",
            ))));
        };
        let open = Open::new(&self.counters);
        let accepting = self.inner.accept(stream, service);
        let idle_timeout = self.idle_timeout;
        Box::pin(async move {
            let (inner, service) = accepting.await?;
            Ok((
                Held {
                    inner,
                    _permit: permit,
                    _open: open,
                    idle: Box::pin(tokio::time::sleep(idle_timeout)),
                    idle_timeout,
                    last_active: tokio::time::Instant::now(),
                },
                service,
            ))
        })
    }
}

/// Starts `app` on `listener`, over TLS with `tls` or plain HTTP without,
/// with the default [`ConnectionLimits`].
///
/// # Errors
/// [`RegistryError`] if the socket or TLS identity is unusable.
pub async fn start(
    listener: std::net::TcpListener,
    app: Router,
    tls: Option<&TlsIdentity>,
) -> Result<RunningRegistry, RegistryError> {
    start_with(listener, app, tls, &ConnectionLimits::default()).await
}

/// Starts `app` on `listener`, over TLS with `tls` or plain HTTP without,
/// holding clients to `limits`.
///
/// # Errors
/// [`RegistryError`] if the socket or TLS identity is unusable, or a limit
/// is zero.
pub async fn start_with(
    listener: std::net::TcpListener,
    app: Router,
    tls: Option<&TlsIdentity>,
    limits: &ConnectionLimits,
) -> Result<RunningRegistry, RegistryError> {
    if limits.max_connections == 0
        || limits.header_read_timeout.is_zero()
        || limits.tls_handshake_timeout.is_zero()
        || limits.idle_timeout.is_zero()
        || limits.http2_keep_alive.is_zero()
        || limits.http2_max_streams == 0
    {
        return Err(RegistryError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "connection limits must not be zero",
        )));
    }
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    let service = app.into_make_service();
    let counters = Arc::new(ConnectionCounters::default());
    let capped = Capped {
        inner: axum_server::accept::DefaultAcceptor::new(),
        permits: Arc::new(tokio::sync::Semaphore::new(limits.max_connections)),
        counters: counters.clone(),
        idle_timeout: limits.idle_timeout,
    };
    let configure =
        |builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>| {
            builder
                .http1()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout);
            builder
                .http2()
                .timer(hyper_util::rt::TokioTimer::new())
                .keep_alive_interval(limits.http2_keep_alive)
                .keep_alive_timeout(limits.http2_keep_alive)
                .max_concurrent_streams(limits.http2_max_streams);
        };
    let task = match tls {
        Some(identity) => {
            let config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(
                server_config(identity)?,
            ));
            let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(config)
                .handshake_timeout(limits.tls_handshake_timeout)
                .acceptor(capped);
            let mut server = axum_server::from_tcp(listener)
                .acceptor(acceptor)
                .handle(handle.clone());
            configure(server.http_builder());
            tokio::spawn(async move { server.serve(service).await })
        }
        None => {
            let mut server = axum_server::from_tcp(listener)
                .acceptor(capped)
                .handle(handle.clone());
            configure(server.http_builder());
            tokio::spawn(async move { server.serve(service).await })
        }
    };
    Ok(RunningRegistry {
        addr,
        handle,
        task,
        counters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_to_did_json_are_served() {
        let dir = Path::new("/srv/reg");
        assert_eq!(
            document_file(dir, "issuers/moh/did.json"),
            Some(PathBuf::from("/srv/reg/issuers/moh/did.json"))
        );
        assert_eq!(
            document_file(dir, ".well-known/did.json"),
            Some(PathBuf::from("/srv/reg/.well-known/did.json"))
        );
        assert_eq!(
            document_file(dir, "trust/list.json"),
            Some(PathBuf::from("/srv/reg/trust/list.json"))
        );
        for bad in [
            "../etc/did.json",
            "a/../../did.json",
            "a//did.json",
            "a/secret.key",
            "a\\b/did.json",
            "",
            ".json",
            ".git/config.json",
            "a/.hidden.json",
        ] {
            assert_eq!(document_file(dir, bad), None, "{bad}");
        }
    }
}
