//! The routes and their handlers.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use ddcc::credential::{Checks, IssueError};
use ddcc::model::vocab::CredentialKind;
use ddcc::status::{FetchedList, Purpose};
use serde_json::{Map, Value, json};

use crate::{AppState, IssuerAccess, member};

const VC1: &str = "https://www.w3.org/2018/credentials/v1";
const VC2: &str = "https://www.w3.org/ns/credentials/v2";
const DI2: &str = "https://w3id.org/security/data-integrity/v2";
/// Largest checkpoint request (a photo, scaled down by the page).
const CHECKPOINT_BODY: usize = 4 * 1024 * 1024;
const STATUS1: &str = "https://www.w3.org/ns/credentials/status/v1";

/// A request the service refuses, with the status and a JSON body.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
    pub(crate) fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    /// A request naming another host than this service's (421).
    pub(crate) fn misdirected() -> Self {
        Self::new(
            StatusCode::MISDIRECTED_REQUEST,
            "misdirected_request",
            "the request names a host this service does not answer for",
        )
    }
    pub(crate) fn unavailable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, code, message)
    }
    fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            axum::Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// The service's routes.
pub(crate) fn router(state: Arc<AppState>, public_dir: &Path, max_body: usize) -> Router {
    // The routes that do CPU work (verification, signing, derivation,
    // pictures) run on the CPU pool, with its admission limit and deadline.
    let heavy = Router::new()
        .route("/credentials/issue", post(issue))
        .route("/credentials/status", post(update_status))
        .route("/credentials/verify", post(verify_credential))
        .route("/credentials/derive", post(derive))
        .route("/presentations/verify", post(verify_presentation))
        .route(
            "/checkpoint/verify",
            post(crate::checkpoint::verify).layer(DefaultBodyLimit::max(CHECKPOINT_BODY)),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), max_body.max(CHECKPOINT_BODY)),
            crate::work::offload,
        ));
    let api = Router::new()
        .merge(heavy)
        .route("/status/{file}", get(status_file))
        .route("/status/bbs/{file}", get(bbs_status_file))
        .route("/", get(crate::checkpoint::page))
        .route("/health", get(health))
        .route("/trust", get(trust_status))
        .route("/metrics", get(metrics))
        .with_state(state.clone());
    api.merge(ddcc_registry::resolver_routes(public_dir))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method",
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::observe::observe,
        ))
        .layer(DefaultBodyLimit::max(max_body))
}

/// The 413 for a body over the limit.
pub(crate) fn body_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "the request body is larger than this service accepts",
    )
}

/// The request body as a JSON object; every other shape is a 4xx.
pub(crate) fn json_object(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Value, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            body_too_large()
        } else {
            ApiError::bad("unreadable_body", "the request body could not be read")
        }
    })?;
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send JSON (Content-Type: application/json)",
            ));
        }
    }
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad(
            "not_json",
            format!(
                "the request body is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::bad(
            "not_an_object",
            "the request body must be a JSON object",
        ));
    }
    Ok(value)
}

/// `options`: absent, null or an object.
fn options_of(req: &Value) -> Result<Map<String, Value>, ApiError> {
    match member(req, "options") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(o)) => Ok(o.clone()),
        Some(_) => Err(ApiError::bad("bad_options", "options must be an object")),
    }
}

fn optional_string<'a>(
    options: &'a Map<String, Value>,
    k: &str,
) -> Result<Option<&'a str>, ApiError> {
    match options.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad(
            "bad_options",
            format!("options.{k} must be a string"),
        )),
    }
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    match &state.access {
        IssuerAccess::Loopback => Ok(()),
        IssuerAccess::Disabled => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "issuing_disabled",
            "issuing is switched off: this service has no API key and does not listen on loopback",
        )),
        IssuerAccess::ApiKey(expected) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()));
            let Some(given) = given else {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "this endpoint needs the API key (Authorization: Bearer KEY)",
                ));
            };
            use sha2::Digest as _;
            let digest: [u8; 32] = sha2::Sha256::digest(given.trim().as_bytes()).into();
            // Digests compared in full: timing says nothing about the key.
            let same = digest
                .iter()
                .zip(expected.iter())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
            if same {
                Ok(())
            } else {
                Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "the API key is not valid",
                ))
            }
        }
    }
}

/// Runs a register operation on a blocking thread.
async fn with_register<R: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&mut ddcc::register::Register) -> Result<R, ddcc::register::RegisterError>
    + Send
    + 'static,
) -> Result<R, ApiError> {
    with_register_of(state, false, f).await
}

/// [`with_register`] acting for the bbs-2023 issuer when `bbs`.
async fn with_register_of<R: Send + 'static>(
    state: &Arc<AppState>,
    bbs: bool,
    f: impl FnOnce(&mut ddcc::register::Register) -> Result<R, ddcc::register::RegisterError>
    + Send
    + 'static,
) -> Result<R, ApiError> {
    let state = state.clone();
    let joined = tokio::task::spawn_blocking(move || {
        let register = if bbs {
            &state.bbs_register
        } else {
            &state.register
        };
        let mut guard = register
            .lock()
            .map_err(|_| ApiError::internal("the register is unavailable"))?;
        f(&mut guard).map_err(register_error)
    })
    .await;
    joined.unwrap_or_else(|_| Err(ApiError::internal("the register operation failed")))
}

fn register_error(e: ddcc::register::RegisterError) -> ApiError {
    use ddcc::register::RegisterError as R;
    match e {
        R::UnknownHcid => ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_credential",
            "no credential with this id was issued here",
        ),
        R::Revoked => ApiError::new(
            StatusCode::CONFLICT,
            "revoked",
            "the credential is revoked; a revocation cannot be undone",
        ),
        R::NoEntry(p) => ApiError::unprocessable(
            "no_status_entry",
            format!("the credential has no {p} status entry"),
        ),
        R::HeldElsewhere => ApiError::new(
            StatusCode::CONFLICT,
            "held_elsewhere",
            "another issuing process holds this credential id",
        ),
        other => {
            tracing::error!(error = %other, "register error");
            ApiError::internal("the register is unavailable")
        }
    }
}

/// Signs the register's status lists again when `force`, when a list is
/// new, or when half their validity has passed.
pub(crate) async fn publish_lists(state: &Arc<AppState>, force: bool) -> Result<(), ApiError> {
    let _guard = state.publish_lock.lock().await;
    let now = Utc::now();
    let own = with_register(state, |r| r.lists()).await?;
    let bbs = with_register_of(state, true, |r| r.lists()).await?;
    let lists: Vec<(bool, ddcc::status::StatusList)> = own
        .into_iter()
        .map(|l| (false, l))
        .chain(bbs.into_iter().map(|l| (true, l)))
        .collect();
    let fresh = state.published.read().is_ok_and(|p| {
        p.count == lists.len()
            && p.signed_at
                .is_some_and(|t| now - t < state.list_valid_for / 2)
    });
    if fresh && !force {
        return Ok(());
    }
    let until = now + state.list_valid_for;
    let mut files = std::collections::HashMap::new();
    let mut fetched = std::collections::HashMap::new();
    for (bbs, list) in &lists {
        let signed = if *bbs {
            state
                .bbs
                .sign_status_list(list, &state.bbs_key, now, Some(until))
                .await
                .map_err(|e| e.to_string())
        } else {
            state
                .issuer
                .sign_status_list(list, now, Some(until))
                .await
                .map_err(|e| e.to_string())
        }
        .map_err(|e| ApiError::internal(format!("a status list could not be signed: {e}")))?;
        files.insert(
            url_path(&list.url),
            (
                serde_json::to_string(&signed).unwrap_or_default(),
                "application/ld+json",
            ),
        );
        fetched.insert(
            list.url.clone(),
            FetchedList {
                credential: signed,
                fetched_at: now.timestamp(),
            },
        );
        // Token Status Lists (JWT) are the Ed25519 issuer's: a BLS key
        // signs no JWT, and issues no SD-JWT VC.
        if list.purpose == Purpose::Revocation && !bbs {
            let url = ddcc::status::token_list_url(&list.url);
            let jwt = state.issuer.sign_token_status_list(list, now, Some(until));
            files.insert(url_path(&url), (jwt, "application/statuslist+jwt"));
        }
    }
    let mut p = state
        .published
        .write()
        .map_err(|_| ApiError::internal("the status lists are unavailable"))?;
    p.files = files;
    p.lists = fetched;
    p.signed_at = Some(now);
    p.count = lists.len();
    Ok(())
}

fn url_path(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_default()
}

async fn status_file(
    State(state): State<Arc<AppState>>,
    UrlPath(file): UrlPath<String>,
) -> Response {
    published_file(&state, &format!("/status/{file}"))
}

async fn bbs_status_file(
    State(state): State<Arc<AppState>>,
    UrlPath(file): UrlPath<String>,
) -> Response {
    published_file(&state, &format!("/status/bbs/{file}"))
}

fn published_file(state: &AppState, path: &str) -> Response {
    let found = state
        .published
        .read()
        .ok()
        .and_then(|p| p.files.get(path).cloned());
    match found {
        Some((body, content_type)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
        )
            .into_response(),
        None => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such status list").into_response()
        }
    }
}

async fn health(State(state): State<Arc<AppState>>) -> Response {
    axum::Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "issuer": state.issuer.did().as_str(),
        "bbs_issuer": state.bbs_key.did_key(),
        "work": {
            "pending": state.work.pending(),
            "max_pending": state.work.max_pending(),
        },
    }))
    .into_response()
}

/// `GET /trust`: what the checkpoint and the verify endpoints trust: each
/// source, whether it is usable, what it holds, when it was signed and
/// read, and whether a cached or kept copy is served.
async fn trust_status(State(state): State<Arc<AppState>>) -> Response {
    let now = Utc::now();
    let body = match state.trust() {
        Some(t) => json!({
            "configured": true,
            "all_usable": t.all_usable(),
            "loaded_at": t.loaded_at.to_rfc3339(),
            "sources": t.sources_json(now),
            "warnings": t.warnings,
        }),
        None => json!({
            "configured": false,
            "accept_any_issuer": state.accept_any_issuer,
            "sources": [],
            "warnings": [],
        }),
    };
    let mut r = axum::Json(body).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    state.metrics.load(&crate::observe::Load {
        work: &state.work,
        connections: state.connections.get().map(|c| &**c),
    });
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        state.metrics.encode(),
    )
        .into_response()
}

fn random_urn() -> String {
    use rand_core::RngCore as _;
    let mut b = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn issue_error(e: &IssueError) -> ApiError {
    match e {
        IssueError::Schema(s) => ApiError::unprocessable("schema", s.to_string()),
        IssueError::Model(m) => ApiError::unprocessable(m.code, m.to_string()),
        IssueError::Unsupported(u) => ApiError::unprocessable(
            "unsupported_document",
            format!("the credential cannot be signed: {u}"),
        ),
        other => ApiError::unprocessable("not_signed", other.to_string()),
    }
}

async fn issue(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let req = json_object(&headers, body)?;
    let options = options_of(&req)?;
    let reissue = match options.get("reissue") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::bad(
                "bad_options",
                "options.reissue must be a boolean",
            ));
        }
    };
    let Some(Value::Object(credential)) = member(&req, "credential") else {
        return Err(ApiError::bad(
            "bad_credential",
            "credential must be a JSON object",
        ));
    };
    let mut credential = credential.clone();
    if credential.contains_key("proof") {
        return Err(ApiError::unprocessable(
            "already_signed",
            "the credential already has a proof",
        ));
    }
    // A caller's own credentialStatus is kept (the data model check below
    // refuses a malformed one); the service adds its entries only when
    // none is given.
    let caller_status = credential.contains_key("credentialStatus");
    // Contexts: VC 1.1 or 2.0 first; a 1.1 credential gets the Bitstring
    // Status List and Data Integrity contexts its status and proof need.
    let contexts = match credential.get("@context") {
        Some(Value::Array(a)) if !a.is_empty() => a.clone(),
        Some(Value::String(s)) => vec![Value::from(s.as_str())],
        _ => {
            return Err(ApiError::unprocessable(
                "bad_context",
                "@context must be a non-empty list starting with the VC 1.1 or 2.0 context",
            ));
        }
    };
    let first = contexts.first().and_then(Value::as_str);
    let mut contexts = contexts.clone();
    // Status entries of the service's own: for VC 2.0 whenever the caller
    // gave none; for VC 1.1 only when asked (options.credentialStatus),
    // since their terms need a context the caller did not include.
    let asked = !matches!(options.get("credentialStatus"), None | Some(Value::Null));
    let add_status = !caller_status && (first != Some(VC1) || asked);
    match first {
        Some(VC2) => {}
        Some(VC1) => {
            // What the 1.1 context lacks: the proof's terms, and the status
            // entry's when one is added.
            let needed: &[&str] = if add_status { &[STATUS1, DI2] } else { &[DI2] };
            for needed in needed {
                if !contexts.iter().any(|c| c.as_str() == Some(needed)) {
                    contexts.push(Value::from(*needed));
                }
            }
        }
        _ => {
            return Err(ApiError::unprocessable(
                "bad_context",
                "the first @context must be the VC 1.1 or 2.0 context",
            ));
        }
    }
    credential.insert("@context".into(), Value::Array(contexts));
    let types: Vec<String> = match credential.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|t| t.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiError::unprocessable("bad_type", "type must be strings"))?,
        _ => return Err(ApiError::unprocessable("bad_type", "type is missing")),
    };
    if !types.iter().any(|t| t == "VerifiableCredential") {
        return Err(ApiError::unprocessable(
            "bad_type",
            "type must include VerifiableCredential",
        ));
    }
    let subject_ok = match credential.get("credentialSubject") {
        Some(Value::Object(_)) => true,
        Some(Value::Array(a)) => !a.is_empty() && a.iter().all(Value::is_object),
        _ => false,
    };
    if !subject_ok {
        return Err(ApiError::unprocessable(
            "bad_subject",
            "credentialSubject must be an object (or a non-empty list of objects)",
        ));
    }
    // bbs-2023 when asked for, or when the credential names the bbs issuer.
    let bbs_did = state.bbs_key.did_key();
    let named = match credential.get("issuer") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str),
        _ => None,
    };
    let mut jcs = false;
    let bbs = match options.get("cryptosuite") {
        None | Some(Value::Null) => named == Some(bbs_did.as_str()),
        Some(Value::String(c)) if c == ddcc::credential::bbs::CRYPTOSUITE => true,
        Some(Value::String(c)) if c == "eddsa-rdfc-2022" => false,
        Some(Value::String(c)) if c == ddcc::credential::jcs::CRYPTOSUITE => {
            jcs = true;
            false
        }
        Some(_) => {
            return Err(ApiError::bad(
                "bad_options",
                "options.cryptosuite must be eddsa-rdfc-2022, eddsa-jcs-2022 or bbs-2023",
            ));
        }
    };
    let mandatory_pointers = mandatory_pointers_of(&options, bbs)?;
    let ours = if bbs {
        bbs_did.as_str()
    } else {
        state.issuer.did().as_str()
    };
    match credential.get("issuer") {
        None => {
            credential.insert("issuer".into(), Value::from(ours));
        }
        Some(Value::String(s)) if s == ours => {}
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str) == Some(ours) => {}
        // An issuer object without an id (a name, a description) is this
        // service's to complete.
        Some(Value::Object(o)) if !o.contains_key("id") => {
            if let Some(Value::Object(o)) = credential.get_mut("issuer") {
                o.insert("id".into(), Value::from(ours));
            }
        }
        Some(_) => {
            return Err(ApiError::unprocessable(
                "issuer_mismatch",
                format!("this service issues as {ours}; the credential names another issuer"),
            ));
        }
    }
    // DDCC certificates: their subject against its schema, their HCID the
    // register's key. Other credentials: their id, or a fresh one.
    let kind = types
        .iter()
        .find_map(|t| CredentialKind::from_credential_type(t));
    let key = match kind {
        Some(kind) => {
            let subject = credential
                .get("credentialSubject")
                .cloned()
                .unwrap_or_default();
            ddcc::assets::validate_subject_of(kind, &subject)
                .map_err(|e| ApiError::unprocessable("schema", format!("the subject {e}")))?;
            subject
                .pointer("/certificate/hcid")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    ApiError::unprocessable("schema", "the subject has no certificate.hcid")
                })?
                .to_owned()
        }
        None => credential
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(random_urn),
    };
    // The data model, before anything is reserved or signed.
    ddcc::credential::model::check_credential(&credential)
        .map_err(|m| ApiError::unprocessable(m.code, m.message))?;
    let register_type = kind.map_or("VerifiableCredential", |k| k.credential_type());
    let reserve_key = key.clone();
    // A bbs-2023 credential's entries are in the bbs issuer's lists, which
    // it signs itself. Its index is revealed with every presentation (a
    // verifier must read it), so status links presentations.
    let purposes: &'static [Purpose] = if add_status {
        &[Purpose::Revocation, Purpose::Suspension]
    } else {
        &[]
    };
    let reservation = with_register_of(&state, bbs, move |r| {
        r.reserve(&reserve_key, register_type, purposes, &mut rand_core::OsRng)
    })
    .await?;
    if reservation.held_elsewhere {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "held_elsewhere",
            "another issuing process holds this credential id",
        ));
    }
    let again = reservation.issued_digest.is_some();
    if again && kind.is_some() && !reissue {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_issued",
            "a certificate with this id was already issued (options.reissue replaces a lost copy)",
        ));
    }
    let now = Utc::now();
    let vc = if bbs {
        let mut credential = credential;
        ddcc::credential::insert_status(&mut credential, &reservation.entries);
        let document = Value::Object(credential);
        let pointers = match mandatory_pointers {
            // The status entries are always revealed, whatever the request
            // says: a holder who could hide them would hide a revocation.
            Some(mut p) => {
                if document.get("credentialStatus").is_some()
                    && !p.iter().any(|x| x == "/credentialStatus")
                {
                    p.push("/credentialStatus".into());
                }
                p
            }
            None => ddcc::credential::bbs::default_mandatory_pointers(&document),
        };
        let created = ddcc::credential::bbs::issuance_day(now)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        state
            .bbs
            .sign_base(
                &document,
                &state.bbs_key,
                &pointers,
                Some(&created),
                match state.bbs_labels {
                    crate::BbsLabels::Hmac => ddcc::credential::bbs::Labels::Hmac(None),
                    crate::BbsLabels::Structural => ddcc::credential::bbs::Labels::Structural,
                },
            )
            .await
            .map_err(|e| ApiError::unprocessable(bbs_code(&e), e.to_string()))?
    } else if jcs {
        let mut credential = credential;
        ddcc::credential::insert_status(&mut credential, &reservation.entries);
        state
            .issuer
            .sign_document_jcs(Value::Object(credential), now)
            .await
            .map_err(|e| issue_error(&e))?
    } else {
        state
            .issuer
            .sign_credential_with_status(Value::Object(credential), now, &reservation.entries)
            .await
            .map_err(|e| issue_error(&e))?
    };
    let text = serde_json::to_string(&vc).unwrap_or_default();
    let digest = {
        use sha2::Digest as _;
        format!(
            "sha-256:{}",
            hex::encode(sha2::Sha256::digest(text.as_bytes()))
        )
    };
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    with_register(&state, move |r| {
        if again {
            r.mark_reissued(&key, &digest, &at)
        } else {
            r.mark_issued(&key, &digest, &at)
        }
    })
    .await?;
    // A list seen for the first time is published before the credential
    // that points to it is handed out.
    let known = state.published.read().is_ok_and(|p| {
        reservation
            .entries
            .iter()
            .all(|e| p.lists.contains_key(&e.list_url))
    });
    if !known {
        publish_lists(&state, true).await?;
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"verifiableCredential": vc})),
    )
        .into_response())
}

/// `options.mandatoryPointers`: JSON Pointers (bbs-2023 only).
fn mandatory_pointers_of(
    options: &serde_json::Map<String, Value>,
    bbs: bool,
) -> Result<Option<Vec<String>>, ApiError> {
    match options.get("mandatoryPointers") {
        None | Some(Value::Null) => Ok(None),
        Some(_) if !bbs => Err(ApiError::bad(
            "bad_options",
            "options.mandatoryPointers is for bbs-2023 issuance",
        )),
        Some(v) => pointer_list(v, "options.mandatoryPointers").map(Some),
    }
}

/// A list of at most 256 JSON Pointers.
fn pointer_list(v: &Value, what: &str) -> Result<Vec<String>, ApiError> {
    let Value::Array(items) = v else {
        return Err(ApiError::bad(
            "bad_options",
            format!("{what} must be a list of JSON Pointers"),
        ));
    };
    if items.len() > 256 {
        return Err(ApiError::bad(
            "bad_options",
            format!("{what}: at most 256 pointers"),
        ));
    }
    items
        .iter()
        .map(|p| match p.as_str() {
            Some(s) if s.starts_with('/') && s.len() <= 512 => Ok(s.to_owned()),
            _ => Err(ApiError::bad(
                "bad_options",
                format!("{what} must hold JSON Pointers (strings starting with '/')"),
            )),
        })
        .collect()
}

fn bbs_code(e: &ddcc::credential::bbs::BbsError) -> &'static str {
    use ddcc::credential::bbs::BbsError;
    match e {
        BbsError::Pointer(..) => "bad_pointer",
        BbsError::JsonLd(_) => "undefined_term",
        BbsError::Shape(_) => "unsupported_shape",
        BbsError::Key(_) => "bad_key",
        BbsError::Proof(_) => "bad_proof",
        BbsError::Signature(_) => "signature_mismatch",
        BbsError::Model(m) => m.code,
        _ => "bbs_error",
    }
}

/// `POST /credentials/derive`: a bbs-2023 derived credential revealing
/// the mandatory pointers and `options.selectivePointers`. A holder
/// operation: no API key; nothing is stored or logged.
async fn derive(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = json_object(&headers, body)?;
    let options = options_of(&req)?;
    let Some(vc @ Value::Object(_)) = member(&req, "verifiableCredential") else {
        return Err(ApiError::bad(
            "bad_credential",
            "verifiableCredential must be a bbs-2023 base credential (JSON object)",
        ));
    };
    let selective_pointers = match options.get("selectivePointers") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => pointer_list(v, "options.selectivePointers")?,
    };
    // The presentation header: the verifier's challenge when given, else
    // fresh random bytes, so that no two derivations share it.
    let presentation_header = match options.get("presentationHeader") {
        None | Some(Value::Null) => {
            let mut h = vec![0u8; 32];
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut h);
            h
        }
        Some(Value::String(s)) if s.len() <= 1024 => s.as_bytes().to_vec(),
        Some(_) => {
            return Err(ApiError::bad(
                "bad_options",
                "options.presentationHeader must be a string of at most 1024 bytes",
            ));
        }
    };
    let derived = state
        .bbs
        .derive(
            vc,
            &ddcc::credential::bbs::DeriveOptions {
                selective_pointers,
                presentation_header,
            },
        )
        .await
        .map_err(|e| ApiError::unprocessable(bbs_code(&e), e.to_string()))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"verifiableCredential": derived})),
    )
        .into_response())
}

async fn update_status(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let req = json_object(&headers, body)?;
    let Some(Value::String(id)) = member(&req, "credentialId") else {
        return Err(ApiError::bad(
            "bad_request",
            "credentialId must be the credential's id (a DDCC certificate's HCID)",
        ));
    };
    let Some(Value::Array(changes)) = member(&req, "credentialStatus") else {
        return Err(ApiError::bad(
            "bad_request",
            "credentialStatus must be a list of {\"statusPurpose\", \"status\"}",
        ));
    };
    if changes.is_empty() || changes.len() > 2 {
        return Err(ApiError::bad(
            "bad_request",
            "credentialStatus must list one or two changes",
        ));
    }
    let mut parsed = Vec::new();
    for c in changes {
        let purpose = match c.get("statusPurpose").and_then(Value::as_str) {
            Some("revocation") => Purpose::Revocation,
            Some("suspension") => Purpose::Suspension,
            _ => {
                return Err(ApiError::bad(
                    "bad_request",
                    "statusPurpose must be revocation or suspension",
                ));
            }
        };
        let Some(set) = c.get("status").and_then(Value::as_bool) else {
            return Err(ApiError::bad(
                "bad_request",
                "status must be true (set) or false (cleared)",
            ));
        };
        parsed.push((purpose, set));
    }
    let id = id.clone();
    let changed = parsed.clone();
    with_register(&state, move |r| {
        for (purpose, set) in changed {
            r.set_status(&id, purpose, set)?;
        }
        Ok(())
    })
    .await?;
    publish_lists(&state, true).await?;
    Ok(axum::Json(json!({
        "credentialId": member(&req, "credentialId"),
        "credentialStatus": parsed.iter().map(|(p, s)| json!({"statusPurpose": p.as_str(), "status": s})).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// The VC API answer for a verdict (the CLI's verdict JSON, its per-check
/// results under `results`): 200 when valid, else 422.
fn verdict_response(state: &AppState, endpoint: &str, mut verdict: Value) -> Response {
    let name = verdict["verdict"].as_str().unwrap_or("invalid").to_owned();
    state.metrics.verdict(endpoint, &name);
    // A genuine credential from an issuer nobody vouched for (no trust
    // configuration): verified as the VC API means it (proof, status,
    // validity), with a warning; the verdict keeps its own name.
    let unchecked = name == "issuer_not_checked";
    let valid = name == "valid" || unchecked;
    let warnings: Vec<Value> = if unchecked {
        vec![json!({
            "check": "trust",
            "code": "issuer_not_checked",
            "message": verdict.get("message").cloned().unwrap_or(Value::Null),
        })]
    } else {
        Vec::new()
    };
    let results = verdict
        .as_object_mut()
        .and_then(|o| o.remove("checks"))
        .unwrap_or(Value::Array(Vec::new()));
    let passed: Vec<Value> = results
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["status"] == "passed")
        .filter_map(|r| r.get("check").cloned())
        .collect();
    let errors: Vec<Value> = if valid {
        Vec::new()
    } else {
        vec![json!({
            "check": verdict.get("check").cloned().unwrap_or(Value::Null),
            "code": verdict.get("code").cloned().unwrap_or(Value::Null),
            "verdict": name,
            "message": verdict.get("message").cloned().unwrap_or(Value::Null),
        })]
    };
    if let Some(o) = verdict.as_object_mut() {
        o.insert("results".into(), results);
        o.insert("verified".into(), Value::Bool(valid));
        o.insert("checks".into(), Value::Array(passed));
        o.insert("warnings".into(), Value::Array(warnings));
        o.insert("errors".into(), Value::Array(errors));
    }
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, axum::Json(verdict)).into_response()
}

fn requested_checks(options: &Map<String, Value>) -> Result<(), ApiError> {
    match options.get("checks") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(a)) => {
            for c in a {
                match c.as_str() {
                    Some(n) if ddcc::credential::Check::from_name(n).is_some() => {}
                    Some(_) => {
                        return Err(ApiError::bad(
                            "bad_options",
                            "options.checks names a check this verifier does not know",
                        ));
                    }
                    None => {
                        return Err(ApiError::bad(
                            "bad_options",
                            "options.checks must be a list of check names",
                        ));
                    }
                }
            }
            Ok(())
        }
        Some(_) => Err(ApiError::bad(
            "bad_options",
            "options.checks must be a list of check names",
        )),
    }
}

async fn verify_credential(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = json_object(&headers, body)?;
    let options = options_of(&req)?;
    // Every check runs whatever is asked: a verifier that skips checks on
    // request would say "valid" of what it did not check.
    requested_checks(&options)?;
    match member(&req, "verifiableCredential") {
        Some(vc @ Value::Object(_)) => {
            let verdict = state.verifier.verify(vc, Checks::all()).await;
            Ok(verdict_response(&state, "credentials", verdict.to_json()))
        }
        Some(Value::String(text)) => {
            let opts = ddcc::sd::VerifyOptions::at(Utc::now().timestamp());
            let v = state.verifier.verify_sd_jwt(text, &opts).await;
            Ok(verdict_response(&state, "credentials", v.to_json()))
        }
        _ => Err(ApiError::bad(
            "bad_credential",
            "verifiableCredential must be a credential (JSON object) or an SD-JWT VC (string)",
        )),
    }
}

async fn verify_presentation(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = json_object(&headers, body)?;
    let options = options_of(&req)?;
    requested_checks(&options)?;
    let challenge = optional_string(&options, "challenge")?;
    let domain = optional_string(&options, "domain")?;
    match member(&req, "verifiablePresentation") {
        Some(vp @ Value::Object(_)) => {
            let (Some(challenge), Some(domain)) = (challenge, domain) else {
                return Err(ApiError::bad(
                    "bad_options",
                    "options.challenge and options.domain are required: they bind the presentation to this request",
                ));
            };
            let verdict = state
                .verifier
                .verify_presentation(vp, challenge, domain, Checks::all())
                .await;
            let mut j = verdict.to_json();
            // The presentation's first failing check, for the summary.
            let first = std::iter::once(&j["presentation"])
                .chain(j["credentials"].as_array().into_iter().flatten())
                .find(|v| v["verdict"] != "valid")
                .cloned();
            if let (Some(f), Some(o)) = (first, j.as_object_mut()) {
                for k in ["check", "code", "message"] {
                    o.insert(k.into(), f.get(k).cloned().unwrap_or(Value::Null));
                }
            }
            let checks = j["presentation"]["checks"].clone();
            if let Some(o) = j.as_object_mut() {
                o.insert("checks".into(), checks);
            }
            Ok(verdict_response(&state, "presentations", j))
        }
        Some(Value::String(text)) => {
            let mut opts = ddcc::sd::VerifyOptions::at(Utc::now().timestamp());
            opts.nonce = challenge.map(str::to_owned);
            opts.audience = domain.map(str::to_owned);
            opts.require_key_binding = true;
            let v = state.verifier.verify_sd_jwt(text, &opts).await;
            Ok(verdict_response(&state, "presentations", v.to_json()))
        }
        _ => Err(ApiError::bad(
            "bad_presentation",
            "verifiablePresentation must be a presentation (JSON object) or an SD-JWT presentation (string)",
        )),
    }
}
