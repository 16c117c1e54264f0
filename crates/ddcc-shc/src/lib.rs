//! SMART Health Cards, read and verified offline: the numeric `shc:/` QR
//! content (one code, or chunks `shc:/i/n/…` put back in order), the
//! compact JWS (`zip: DEF`, ES256) whose payload is raw DEFLATE, the
//! issuer's keys from a JWKS the verifier was given for that `iss` (no
//! network at a checkpoint), `nbf`/`exp`, and revocation by `rid` against
//! the issuer's revocation list for the signing key.
//!
//! Sizes are limited before anything is inflated; error messages never
//! carry the card's contents.

#![forbid(unsafe_code)]

pub mod ddcc;

use std::collections::HashMap;
use std::io::Read as _;

use base64::Engine as _;
use ddcc_sd::PublicJwk;
use serde_json::Value;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Largest numeric QR content accepted per code (a version-40 QR holds
/// 7,089 digits).
pub const MAX_QR_TEXT: usize = 8 * 1024;
/// Most chunks accepted.
pub const MAX_CHUNKS: usize = 16;
/// Largest JWS accepted.
pub const MAX_JWS: usize = 64 * 1024;
/// Largest inflated payload accepted.
pub const MAX_PAYLOAD: usize = 256 * 1024;

/// Why a SMART Health Card was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShcError {
    /// Larger than allowed.
    #[error("{0} is larger than allowed")]
    TooLarge(&'static str),
    /// Not `shc:/` numeric content.
    #[error("the QR content is not shc:/ followed by digits")]
    Numeric,
    /// Chunks missing, repeated or inconsistent.
    #[error("the QR chunks do not fit together: {0}")]
    Chunks(&'static str),
    /// Not a compact JWS of a health card.
    #[error("the JWS is malformed: {0}")]
    Jws(&'static str),
    /// The payload is not raw DEFLATE.
    #[error("the payload is not DEFLATE-compressed")]
    Inflate,
    /// The payload is not a health card.
    #[error("the payload is not a health card: {0}")]
    Payload(&'static str),
    /// No keys were given for the card's issuer.
    #[error("the issuer is not one this verifier has keys for")]
    UnknownIssuer,
    /// The issuer's keys have no key with this `kid`.
    #[error("the issuer has no key with the card's kid")]
    UnknownKid,
    /// A key of the issuer's JWKS cannot be used.
    #[error("an issuer key cannot be used: {0}")]
    Key(&'static str),
    /// The signature does not verify.
    #[error("the signature does not verify with the issuer's key")]
    Signature,
    /// Not valid yet at the clock.
    #[error("not valid before its nbf")]
    NotYetValid,
    /// Expired at the clock.
    #[error("expired")]
    Expired,
    /// Listed in the issuer's revocation list.
    #[error("revoked by its issuer (revocation list of the signing key)")]
    Revoked,
}

/// The JWS carried by numeric QR contents: one `shc:/digits`, or the chunks
/// `shc:/i/n/digits` in any order.
///
/// # Errors
/// [`ShcError::TooLarge`], [`ShcError::Numeric`] or [`ShcError::Chunks`].
pub fn jws_from_qr(contents: &[&str]) -> Result<String, ShcError> {
    if contents.len() > MAX_CHUNKS {
        return Err(ShcError::TooLarge("the number of QR chunks"));
    }
    let mut parts: Vec<(usize, usize, &str)> = Vec::new();
    for c in contents {
        if c.len() > MAX_QR_TEXT {
            return Err(ShcError::TooLarge("a QR content"));
        }
        let rest = c.trim().strip_prefix("shc:/").ok_or(ShcError::Numeric)?;
        let pieces: Vec<&str> = rest.split('/').collect();
        match pieces.as_slice() {
            [digits] => parts.push((1, 1, digits)),
            [i, n, digits] => {
                let (i, n) = (
                    i.parse::<usize>()
                        .map_err(|_| ShcError::Chunks("bad chunk number"))?,
                    n.parse::<usize>()
                        .map_err(|_| ShcError::Chunks("bad chunk count"))?,
                );
                parts.push((i, n, digits));
            }
            _ => return Err(ShcError::Numeric),
        }
    }
    let Some(&(_, n, _)) = parts.first() else {
        return Err(ShcError::Chunks("no QR content"));
    };
    if n == 0 || n > MAX_CHUNKS || parts.iter().any(|p| p.1 != n) || parts.len() != n {
        return Err(ShcError::Chunks(
            "the chunk count does not match the chunks given",
        ));
    }
    parts.sort_by_key(|p| p.0);
    if parts.iter().enumerate().any(|(k, p)| p.0 != k + 1) {
        return Err(ShcError::Chunks("a chunk is missing or repeated"));
    }
    let mut jws = String::new();
    for (_, _, digits) in parts {
        let bytes = digits.as_bytes();
        if bytes.len() % 2 != 0 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(ShcError::Numeric);
        }
        for pair in bytes.chunks(2) {
            let v = (pair[0] - b'0') * 10 + (pair[1] - b'0');
            if v > 77 {
                return Err(ShcError::Numeric);
            }
            jws.push(char::from(v + 45));
        }
    }
    Ok(jws)
}

/// A revoked `rid`, and the time before which cards with it are revoked
/// (all of them when there is none).
type RevokedRid = (String, Option<f64>);

/// The keys (and revocation lists) of the issuers a verifier trusts, by
/// `iss`; given as files, never fetched at a checkpoint.
#[derive(Debug, Default, Clone)]
pub struct Issuers {
    keys: HashMap<String, Vec<(String, Value)>>,
    revoked: HashMap<(String, String), Vec<RevokedRid>>,
}

impl Issuers {
    /// No issuers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `iss` with the keys of its JWKS (`{"keys": [...]}`; members
    /// other than the key's own, such as `crlVersion`, are allowed).
    ///
    /// # Errors
    /// [`ShcError::Key`] when the JWKS has no keys with a `kid`.
    pub fn add_jwks(&mut self, iss: &str, jwks: &Value) -> Result<(), ShcError> {
        let keys: Vec<(String, Value)> = jwks
            .get("keys")
            .and_then(Value::as_array)
            .ok_or(ShcError::Key("the JWKS has no keys"))?
            .iter()
            .filter_map(|k| Some((k.get("kid")?.as_str()?.to_owned(), k.clone())))
            .collect();
        if keys.is_empty() {
            return Err(ShcError::Key("the JWKS has no keys with a kid"));
        }
        self.keys.entry(iss.to_owned()).or_default().extend(keys);
        Ok(())
    }

    /// Adds the revocation list (`method: rid`) of one key of `iss`.
    ///
    /// # Errors
    /// [`ShcError::Key`] when it is not a `rid` list.
    pub fn add_crl(&mut self, iss: &str, crl: &Value) -> Result<(), ShcError> {
        if crl.get("method").and_then(Value::as_str) != Some("rid") {
            return Err(ShcError::Key("the revocation list is not of method rid"));
        }
        let kid = crl
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(ShcError::Key("the revocation list names no kid"))?;
        let rids = crl
            .get("rids")
            .and_then(Value::as_array)
            .ok_or(ShcError::Key("the revocation list has no rids"))?
            .iter()
            .filter_map(Value::as_str)
            .map(|r| match r.split_once('.') {
                Some((rid, ts)) => (rid.to_owned(), ts.parse::<f64>().ok()),
                None => (r.to_owned(), None),
            })
            .collect();
        self.revoked.insert((iss.to_owned(), kid.to_owned()), rids);
        Ok(())
    }
}

/// Whether a card's revocation was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Revocation {
    /// The issuer's revocation list for the key was given and does not
    /// list the card.
    Checked,
    /// The key advertises no revocation list (`crlVersion`), and none was
    /// given: the issuer cannot revoke its cards.
    NoList,
    /// The key advertises a revocation list (`crlVersion`) but none was
    /// given: the card may be revoked, and it was not checked.
    NotChecked,
}

impl Revocation {
    /// The stable name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Checked => "checked",
            Self::NoList => "no_list",
            Self::NotChecked => "not_checked",
        }
    }
}

/// A verified SMART Health Card.
#[derive(Clone, PartialEq)]
pub struct Card {
    /// Whether its revocation was checked.
    pub revocation: Revocation,
    /// The issuer (`iss`).
    pub iss: String,
    /// The signing key's id.
    pub kid: String,
    /// `nbf` (Unix seconds; often fractional).
    pub nbf: f64,
    /// `exp`, if any.
    pub exp: Option<f64>,
    /// `vc.type`.
    pub types: Vec<String>,
    /// `vc.credentialSubject.fhirBundle`.
    pub bundle: Value,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bundle holds personal health data: not shown.
        f.debug_struct("Card")
            .field("revocation", &self.revocation)
            .field("iss", &self.iss)
            .field("kid", &self.kid)
            .field("types", &self.types)
            .finish_non_exhaustive()
    }
}

/// The inflated, parsed payload of a card's JWS, without checking it.
///
/// # Errors
/// [`ShcError::Jws`], [`ShcError::Inflate`], [`ShcError::TooLarge`],
/// [`ShcError::Payload`].
pub fn payload(jws: &str) -> Result<Value, ShcError> {
    let p = jws
        .split('.')
        .nth(1)
        .ok_or(ShcError::Jws("not three parts"))?;
    let compressed = B64
        .decode(p)
        .map_err(|_| ShcError::Jws("the payload is not base64url"))?;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&compressed[..])
        .take(MAX_PAYLOAD as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| ShcError::Inflate)?;
    if out.len() > MAX_PAYLOAD {
        return Err(ShcError::TooLarge("the inflated payload"));
    }
    serde_json::from_slice(&out).map_err(|_| ShcError::Payload("not JSON"))
}

/// Verifies a card's compact JWS at `now` (Unix seconds): header, payload,
/// issuer and key, signature, `nbf`/`exp` (with `skew` seconds), and the
/// issuer's revocation list for the key when one was given.
///
/// # Errors
/// The first [`ShcError`].
pub fn verify(jws: &str, issuers: &Issuers, now: i64, skew: i64) -> Result<Card, ShcError> {
    if jws.len() > MAX_JWS {
        return Err(ShcError::TooLarge("the JWS"));
    }
    let mut parts = jws.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ShcError::Jws("not three parts"));
    };
    let header: Value = B64
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(ShcError::Jws("the header is not base64url JSON"))?;
    if header.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err(ShcError::Jws("the algorithm is not ES256"));
    }
    if header.get("zip").and_then(Value::as_str) != Some("DEF") {
        return Err(ShcError::Jws("the payload is not marked zip: DEF"));
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or(ShcError::Jws("the header has no kid"))?
        .to_owned();
    let claims = payload(jws)?;
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(ShcError::Payload("no iss"))?
        .to_owned();
    let keys = issuers.keys.get(&iss).ok_or(ShcError::UnknownIssuer)?;
    let jwk = keys
        .iter()
        .find(|(k, _)| *k == kid)
        .map(|(_, j)| j)
        .ok_or(ShcError::UnknownKid)?;
    let key = PublicJwk::from_json(jwk).map_err(|_| ShcError::Key("not an EC P-256 key"))?;
    let sig = B64
        .decode(s)
        .map_err(|_| ShcError::Jws("the signature is not base64url"))?;
    let signed = &jws[..h.len() + 1 + p.len()];
    if !key
        .verify("ES256", signed.as_bytes(), &sig)
        .unwrap_or(false)
    {
        return Err(ShcError::Signature);
    }
    let number = |k: &str| claims.get(k).and_then(Value::as_f64);
    let nbf = number("nbf").ok_or(ShcError::Payload("no nbf"))?;
    let exp = number("exp");
    let now_f = now as f64;
    if now_f + (skew as f64) < nbf {
        return Err(ShcError::NotYetValid);
    }
    if exp.is_some_and(|e| now_f - (skew as f64) > e) {
        return Err(ShcError::Expired);
    }
    let vc = claims.get("vc").ok_or(ShcError::Payload("no vc"))?;
    let list_given = issuers.revoked.contains_key(&(iss.clone(), kid.clone()));
    let revocation = match (list_given, jwk.get("crlVersion").is_some()) {
        (true, _) => Revocation::Checked,
        (false, true) => Revocation::NotChecked,
        (false, false) => Revocation::NoList,
    };
    if let (Some(rid), Some(list)) = (
        vc.get("rid").and_then(Value::as_str),
        issuers.revoked.get(&(iss.clone(), kid.clone())),
    ) {
        // A listed rid revokes the cards issued before its timestamp (or
        // all of them when it has none).
        if list
            .iter()
            .any(|(r, ts)| r == rid && ts.is_none_or(|t| nbf < t))
        {
            return Err(ShcError::Revoked);
        }
    }
    let types = vc
        .get("type")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let bundle = vc
        .pointer("/credentialSubject/fhirBundle")
        .cloned()
        .ok_or(ShcError::Payload("no FHIR bundle"))?;
    Ok(Card {
        revocation,
        iss,
        kid,
        nbf,
        exp,
        types,
        bundle,
    })
}
