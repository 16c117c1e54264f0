//! The checkpoint: `GET /` serves a page a person at a door uses (paste
//! the text, upload a photo of a QR code, or scan with the camera), and
//! `POST /checkpoint/verify` answers it with the verdict, the facts in
//! words, and the checkpoint rules' result. Nothing is stored; the answer
//! is marked `no-store`; logs carry only the route and status.

use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use chrono::Utc;
use ddcc::credential::Checks;
use ddcc::model::vocab::CredentialKind;
use serde_json::{Value, json};

use crate::api::{ApiError, json_object};
use crate::{AppState, member};

const PAGE: &str = include_str!("checkpoint.html");

/// The page's Content-Security-Policy: its own inline script and style
/// (by hash), requests to this origin only, pictures from the camera.
fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        let hash_of = |open: &str, close: &str| {
            use sha2::Digest as _;
            let start = PAGE.find(open).map_or(0, |i| i + open.len());
            let end = PAGE[start..].find(close).map_or(start, |i| start + i);
            base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(&PAGE.as_bytes()[start..end]))
        };
        format!(
            "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; connect-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            hash_of("<script>", "</script>"),
            hash_of("<style>", "</style>")
        )
    })
}

/// What the page says when the service was given no trust configuration.
const NO_TRUST_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ddcc checkpoint: not configured</title></head><body><h1>This checkpoint is not configured</h1><p>It was given no trust configuration, so it cannot tell a certificate from an accredited authority from one anybody can make. The operator sets <code>trust_config</code> (or <code>--trust-config</code>).</p></body></html>";

/// The banner of a checkpoint that accepts any issuer.
const ANY_ISSUER_BANNER: &str = "<div id=\"banner\">Development mode: this checkpoint has no trust list and accepts any issuer. A genuine signature is shown as \"signature valid, issuer not checked\", never as valid.</div>";

/// `None` when the checkpoint may run; else the answer that says why not.
fn refused(state: &AppState) -> Option<&'static str> {
    (state.trust_source.is_none() && !state.accept_any_issuer).then_some(
        "this checkpoint has no trust configuration: it cannot tell an accredited issuer from anyone (the operator sets trust_config, or accept_any_issuer_dangerously for development)",
    )
}

/// `GET /`.
pub(crate) async fn page(State(state): State<Arc<AppState>>) -> Response {
    if refused(&state).is_some() {
        let mut r = (
            StatusCode::SERVICE_UNAVAILABLE,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            NO_TRUST_PAGE,
        )
            .into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let body = if state.trust_source.is_none() {
        PAGE.replacen("<main>", &format!("<main>\n  {ANY_ISSUER_BANNER}"), 1)
    } else {
        PAGE.to_owned()
    };
    let mut r = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(csp()) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=()"),
    );
    r
}

pub(crate) fn answer(verdict: &str, format: Option<&str>, message: Option<String>) -> Value {
    json!({"verdict": verdict, "format": format, "check": null, "message": message,
           "issuer": null, "title": null, "facts": [], "rules": null})
}

/// `POST /checkpoint/verify`: `{"text": …}` or `{"image": base64 or a
/// data URL}` (PNG or JPEG).
pub(crate) async fn verify(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if let Some(why) = refused(&state) {
        return Err(ApiError::unavailable("checkpoint_without_trust", why));
    }
    let req = json_object(&headers, body)?;
    let scanning = member(&req, "scanning") == Some(&Value::Bool(true));
    let result = match (member(&req, "text"), member(&req, "image")) {
        (Some(Value::String(t)), None) => check_text(&state, t, 0).await,
        (None, Some(Value::String(image))) => {
            let b64 = image
                .split_once(";base64,")
                .map_or(image.as_str(), |(_, b)| b);
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| ApiError::bad("bad_image", "image must be base64 (or a data URL)"))?;
            match ddcc::qr::read_image(&bytes) {
                Ok(texts) => {
                    // The chunks of one health card come together.
                    let text = if texts.iter().all(|t| t.starts_with("shc:/")) {
                        texts.join("\n")
                    } else {
                        texts.first().cloned().unwrap_or_default()
                    };
                    check_text(&state, &text, 0).await
                }
                Err(ddcc::qr::QrError::NoCode) if scanning => answer("no_code", None, None),
                Err(e) => answer("could_not_verify", None, Some(e.to_string())),
            }
        }
        _ => {
            return Err(ApiError::bad(
                "bad_request",
                "send {\"text\": …} or {\"image\": base64 PNG or JPEG}",
            ));
        }
    };
    if result["verdict"] != "no_code" {
        state.metrics.verdict(
            "checkpoint",
            result["verdict"].as_str().unwrap_or("could_not_verify"),
        );
    }
    let mut r = (StatusCode::OK, axum::Json(result)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The verdict on what a code holds.
async fn check_text(state: &AppState, text: &str, depth: u8) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return answer(
            "could_not_verify",
            None,
            Some("there is nothing to verify".into()),
        );
    }
    if t.starts_with(ddcc::qr::PREFIX_V1) && depth == 0 {
        return match ddcc::qr::decode_compact(t) {
            Ok(inner) => Box::pin(check_text(state, &inner, 1)).await,
            Err(e) => answer(
                "invalid",
                Some("DDCC1"),
                Some(format!("the DDCC1: code cannot be read: {e}")),
            ),
        };
    }
    if t.starts_with("HC1:") {
        return crate::formats::check_hc1(state, t);
    }
    if t.starts_with("shc:/") {
        return crate::formats::check_shc(state, t);
    }
    if t.starts_with("B64:") {
        return Box::pin(crate::formats::check_divoc(state, t.as_bytes())).await;
    }
    if t.starts_with('{') {
        let Ok(doc) = serde_json::from_str::<Value>(t) else {
            return answer("invalid", None, Some("the text is not valid JSON".into()));
        };
        if ddcc::divoc::is_divoc(&doc) {
            return Box::pin(crate::formats::check_divoc(state, t.as_bytes())).await;
        }
        if doc.get("verifiableCredential").is_some() {
            return answer(
                "could_not_verify",
                Some("W3C VP"),
                Some("a presentation signed for another verifier's challenge; show the credential or an SD-JWT presentation".into()),
            );
        }
        let verdict = state.verifier.verify(&doc, Checks::all()).await;
        let j = verdict.to_json();
        let name = j["verdict"].as_str().unwrap_or("invalid").to_owned();
        let kind = verdict
            .verified()
            .and_then(|v| v.document().get("type"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(CredentialKind::from_credential_type);
        let proof_ok = j["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["check"] == "proof" && c["status"] == "passed");
        let subject = doc.get("credentialSubject").cloned().unwrap_or_default();
        let issuer = j["issuer"].as_str().unwrap_or("").to_owned();
        let trust = verdict
            .report(ddcc::credential::Check::Trust)
            .filter(|r| r.status == ddcc::credential::CheckStatus::Passed)
            .map(|r| json!({"text": r.message}));
        return finish(
            state,
            json!({"verdict": name, "format": "W3C VC (Data Integrity)", "check": j["check"],
                   "message": j["message"], "issuer": j["issuer"], "trust": trust}),
            kind,
            proof_ok.then_some(&subject),
            &issuer,
        );
    }
    let mut options = ddcc::sd::VerifyOptions::at(Utc::now().timestamp());
    options.require_key_binding = false;
    let v = state.verifier.verify_sd_jwt(t, &options).await;
    let claims = v.claims.clone().unwrap_or_default();
    let issuer = claims["iss"].as_str().unwrap_or("").to_owned();
    let signed = matches!(
        v.verdict,
        "valid" | "revoked" | "suspended" | "issuer_not_checked" | "unknown_issuer"
    );
    finish(
        state,
        json!({"verdict": v.verdict, "format": "SD-JWT VC", "check": v.check,
               "message": v.message, "issuer": if issuer.is_empty() { Value::Null } else { Value::from(issuer.clone()) },
               "trust": v.trust.as_ref().map(|t| json!({"text": t}))}),
        v.kind(),
        signed.then_some(&claims),
        &issuer,
    )
}

/// Adds the facts (only from a signature that verified) and the rules.
pub(crate) fn finish(
    state: &AppState,
    mut out: Value,
    kind: Option<CredentialKind>,
    subject: Option<&Value>,
    issuer: &str,
) -> Value {
    let (mut title, mut facts) = (Value::Null, Value::Array(Vec::new()));
    if let Some(s) = subject {
        let f = ddcc::model::words::facts_of(s, issuer);
        title = Value::from(f.title);
        facts = f.lines.into_iter().map(|(l, v)| json!([l, v])).collect();
    }
    let mut rules = Value::Null;
    if let (Some(set), Some(kind), Some(s), true) =
        (&state.rules, kind, subject, out["verdict"] == "valid")
    {
        let results = ddcc::rules::evaluate(set, kind, s, Utc::now());
        let failed = ddcc::rules::first_failure(&results).cloned();
        rules = json!({
            "set": format!("{}@{}", set.name, set.version),
            "passed": failed.is_none(),
            "failed_rule": failed.as_ref().map(|f| f.rule),
            "results": results.iter().map(|r| json!({"rule": r.rule, "passed": r.passed, "message": r.message})).collect::<Vec<_>>(),
        });
        if let Some(f) = failed {
            out["verdict"] = Value::from("invalid");
            out["check"] = Value::from("rules");
            out["message"] = Value::from(format!("rule {} failed: {}", f.rule, f.message));
        }
    }
    out["title"] = title;
    out["facts"] = facts;
    out["rules"] = rules;
    // Who vouched: the list's age, and whether a cached or kept copy is
    // what vouched.
    let vouched = out["trust"]["text"].as_str().map(str::to_owned);
    if let (Some(text), Some(trust)) = (vouched, state.trust()) {
        let now = Utc::now();
        if let Some(source) = trust
            .sources
            .iter()
            .filter(|s| s.problem.is_none())
            .find(|s| text.contains(&s.name))
        {
            let mut age = match source.signed_at {
                Some(t) => format!("the list was signed {} ago", ago(now - t)),
                None => format!("the list was read {} ago", ago(now - source.loaded_at)),
            };
            if let Some(f) = &source.fallback {
                age.push_str(&format!(" ({f})"));
            }
            out["trust"]["age"] = Value::from(age.clone());
            out["trust"]["text"] = Value::from(format!("{text}; {age}"));
        }
    }
    out
}

/// A duration in words, to the minute.
fn ago(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    match m {
        0 => "less than a minute".into(),
        1..=119 => format!("{m} min"),
        120..=2879 => format!("{} h", m / 60),
        _ => format!("{} days", m / 1440),
    }
}
