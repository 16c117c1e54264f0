//! SD-JWT verification (RFC 9901 §7): issuer signature, disclosures, claim
//! reconstruction, key binding.

use std::collections::{HashMap, HashSet};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{PublicJwk, SdError, verify_jws};

/// Largest SD-JWT accepted (1 MiB).
const MAX_SD_JWT_BYTES: usize = 1024 * 1024;
/// Most disclosures accepted in one presentation.
const MAX_DISCLOSURES: usize = 1024;
/// Deepest claim nesting followed.
const MAX_DEPTH: usize = 32;

/// A presentation split into its parts, not yet verified.
#[derive(Clone, PartialEq, Eq)]
pub struct Presentation<'a> {
    /// The issuer-signed JWT.
    pub unverified_issuer_jwt: &'a str,
    /// The disclosures, as presented.
    pub unverified_disclosures: Vec<&'a str>,
    /// The Key Binding JWT, if any.
    pub unverified_kb_jwt: Option<&'a str>,
    /// The part the KB-JWT's `sd_hash` covers (`jwt~d1~…~`).
    pub(crate) hashed: &'a str,
}

impl std::fmt::Debug for Presentation<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Disclosures are encoded personal data.
        f.debug_struct("Presentation")
            .field("disclosures", &self.unverified_disclosures.len())
            .field("key_binding", &self.unverified_kb_jwt.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> Presentation<'a> {
    /// Splits `jwt~d1~…~dn~[kb-jwt]`.
    ///
    /// # Errors
    /// [`SdError::Malformed`] when the shape is wrong.
    pub fn parse(text: &'a str) -> Result<Self, SdError> {
        let text = text.trim();
        if text.len() > MAX_SD_JWT_BYTES {
            return Err(SdError::Malformed("larger than 1 MiB"));
        }
        let Some(last_tilde) = text.rfind('~') else {
            return Err(SdError::Malformed("no '~' separator"));
        };
        let hashed = &text[..=last_tilde];
        let kb = &text[last_tilde + 1..];
        let mut parts = hashed[..last_tilde].split('~');
        let jwt = parts
            .next()
            .filter(|j| !j.is_empty())
            .ok_or(SdError::Malformed("no issuer JWT"))?;
        let disclosures: Vec<&str> = parts.collect();
        if disclosures.iter().any(|d| d.is_empty()) {
            return Err(SdError::Malformed("an empty disclosure"));
        }
        if disclosures.len() > MAX_DISCLOSURES {
            return Err(SdError::Malformed("too many disclosures"));
        }
        Ok(Self {
            unverified_issuer_jwt: jwt,
            unverified_disclosures: disclosures,
            unverified_kb_jwt: if kb.is_empty() { None } else { Some(kb) },
            hashed,
        })
    }
}

/// What the verifier expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The verifier's time (Unix seconds).
    pub now: i64,
    /// Refuse presentations without a KB-JWT.
    pub require_key_binding: bool,
    /// The expected KB-JWT `aud`.
    pub audience: Option<String>,
    /// The expected KB-JWT `nonce`.
    pub nonce: Option<String>,
    /// How old a KB-JWT may be, in seconds.
    pub max_kb_age: i64,
    /// Tolerated clock skew, in seconds.
    pub skew: i64,
}

impl VerifyOptions {
    /// Options at time `now` with a 5-minute skew and a 5-minute KB-JWT age.
    pub fn at(now: i64) -> Self {
        Self {
            now,
            require_key_binding: false,
            audience: None,
            nonce: None,
            max_kb_age: 300,
            skew: 300,
        }
    }
}

/// A verified SD-JWT: the issuer-signed claims with the disclosed ones in
/// place (`_sd`, `_sd_alg` and undisclosed digests removed).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedSdJwt {
    /// The issuer JWT's header.
    pub header: Value,
    /// The processed claims.
    pub claims: Value,
    /// Whether a KB-JWT was present and verified.
    pub key_bound: bool,
}

impl std::fmt::Debug for VerifiedSdJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The claims carry personal health data.
        f.debug_struct("VerifiedSdJwt")
            .field("key_bound", &self.key_bound)
            .finish_non_exhaustive()
    }
}

fn digest(disclosure: &str) -> String {
    B64.encode(Sha256::digest(disclosure.as_bytes()))
}

/// The raw SHA-256 digest of a disclosure (or of the `sd_hash` input).
fn raw_digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A digest as the issuer wrote it (base64url without padding), decoded.
/// The decoding is canonical (no padding, no stray trailing bits), so two
/// different strings never decode to the same bytes; `None` for a string
/// that cannot be a SHA-256 digest.
fn decode_digest(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if text.len() != 43 {
        return None;
    }
    match B64.decode_slice(text, &mut out) {
        Ok(32) => Some(out),
        _ => None,
    }
}

enum Disclosed {
    Claim(String, Value),
    Element(Value),
}

struct Linker {
    by_digest: HashMap<[u8; 32], (usize, Disclosed)>,
    used: Vec<bool>,
    seen_digests: HashSet<[u8; 32]>,
    /// Entries that are not digests at all: they match nothing but are
    /// still checked for repetition.
    seen_other: HashSet<String>,
}

impl Linker {
    fn take(&mut self, digest: &str) -> Result<Option<(usize, Disclosed)>, SdError> {
        let Some(raw) = decode_digest(digest) else {
            if !self.seen_other.insert(digest.to_owned()) {
                return Err(SdError::DuplicateDigest);
            }
            return Ok(None);
        };
        if !self.seen_digests.insert(raw) {
            return Err(SdError::DuplicateDigest);
        }
        Ok(self.by_digest.remove(&raw))
    }

    fn object(&mut self, mut obj: Map<String, Value>, depth: usize) -> Result<Value, SdError> {
        if depth > MAX_DEPTH {
            return Err(SdError::Malformed("claims nested too deeply"));
        }
        let digests = match obj.remove("_sd") {
            None => Vec::new(),
            Some(Value::Array(a)) => a,
            Some(_) => return Err(SdError::Malformed("_sd is not an array")),
        };
        // Rebuild nested values in place: the issuer's claims keep their
        // order and no map is copied.
        for v in obj.values_mut() {
            if matches!(v, Value::Object(_) | Value::Array(_)) {
                let taken = std::mem::take(v);
                *v = self.value(taken, depth + 1)?;
            }
        }
        for d in digests {
            let d = d
                .as_str()
                .ok_or(SdError::Malformed("an _sd entry is not a string"))?;
            match self.take(d)? {
                None => {} // a decoy, or a claim not disclosed
                Some((i, Disclosed::Claim(name, value))) => {
                    if name == "_sd" || name == "..." || obj.contains_key(&name) {
                        return Err(SdError::ClaimCollision(name));
                    }
                    self.used[i] = true;
                    let value = self.value(value, depth + 1)?;
                    obj.insert(name, value);
                }
                Some((i, Disclosed::Element(_))) => return Err(SdError::BadDisclosure(i)),
            }
        }
        Ok(Value::Object(obj))
    }

    fn value(&mut self, v: Value, depth: usize) -> Result<Value, SdError> {
        match v {
            Value::Object(o) => self.object(o, depth),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Value::Object(o) = &item
                        && o.len() == 1
                        && let Some(d) = o.get("...")
                    {
                        let d = d
                            .as_str()
                            .ok_or(SdError::Malformed("a '...' entry is not a string"))?;
                        match self.take(d)? {
                            None => {}
                            Some((i, Disclosed::Element(value))) => {
                                self.used[i] = true;
                                out.push(self.value(value, depth + 1)?);
                            }
                            Some((i, Disclosed::Claim(..))) => {
                                return Err(SdError::BadDisclosure(i));
                            }
                        }
                        continue;
                    }
                    out.push(self.value(item, depth + 1)?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other),
        }
    }
}

/// Verifies an SD-JWT (with or without a KB-JWT) issued under `issuer_key`.
///
/// # Errors
/// The specific [`SdError`] of the first check that fails.
pub fn verify(
    text: &str,
    issuer_key: &PublicJwk,
    options: &VerifyOptions,
) -> Result<VerifiedSdJwt, SdError> {
    verify_with(text, |_| Ok(issuer_key.clone()), options)
}

/// As [`verify`], with the issuer key chosen from the issuer JWT's
/// (unverified) header, for instance by its `kid`.
///
/// # Errors
/// As [`verify`], or whatever `issuer_key_for` returns.
pub fn verify_with(
    text: &str,
    issuer_key_for: impl FnOnce(&Value) -> Result<PublicJwk, SdError>,
    options: &VerifyOptions,
) -> Result<VerifiedSdJwt, SdError> {
    let p = Presentation::parse(text)?;
    let (header, payload) = crate::jws::verify_jws_with(
        p.unverified_issuer_jwt,
        issuer_key_for,
        SdError::IssuerSignature,
    )?;
    let Value::Object(mut payload) = payload else {
        return Err(SdError::Malformed("the JWT payload is not an object"));
    };
    match payload.remove("_sd_alg") {
        None => {}
        Some(Value::String(a)) if a == "sha-256" => {}
        Some(_) => return Err(SdError::UnsupportedHash),
    }
    let mut by_digest = HashMap::with_capacity(p.unverified_disclosures.len());
    for (i, d) in p.unverified_disclosures.iter().enumerate() {
        let bytes = B64.decode(d).map_err(|_| SdError::BadDisclosure(i))?;
        let parsed: Value =
            serde_json::from_slice(&bytes).map_err(|_| SdError::BadDisclosure(i))?;
        let disclosed = match parsed {
            Value::Array(mut a) if a.len() == 3 && a[0].is_string() && a[1].is_string() => {
                let value = a.pop().unwrap_or(Value::Null);
                match a.pop() {
                    Some(Value::String(name)) => Disclosed::Claim(name, value),
                    _ => return Err(SdError::BadDisclosure(i)),
                }
            }
            Value::Array(mut a) if a.len() == 2 && a[0].is_string() => {
                Disclosed::Element(a.pop().unwrap_or(Value::Null))
            }
            _ => return Err(SdError::BadDisclosure(i)),
        };
        if by_digest.insert(raw_digest(d), (i, disclosed)).is_some() {
            return Err(SdError::DuplicateDisclosure(i));
        }
    }
    let count = p.unverified_disclosures.len();
    let mut linker = Linker {
        by_digest,
        used: vec![false; count],
        seen_digests: HashSet::with_capacity(4 * count + 16),
        seen_other: HashSet::new(),
    };
    let claims = linker.object(payload, 0)?;
    if let Some(i) = linker.used.iter().position(|u| !u) {
        return Err(SdError::UnsignedDisclosure(i));
    }

    if let Some(exp) = claims.get("exp").and_then(Value::as_i64)
        && options.now - options.skew > exp
    {
        return Err(SdError::Expired(exp));
    }
    if let Some(nbf) = claims.get("nbf").and_then(Value::as_i64)
        && options.now + options.skew < nbf
    {
        return Err(SdError::NotYetValid(nbf));
    }

    let key_bound = match p.unverified_kb_jwt {
        None if options.require_key_binding => return Err(SdError::KeyBindingMissing),
        None => false,
        Some(kb) => {
            let holder = claims
                .get("cnf")
                .and_then(|c| c.get("jwk"))
                .ok_or(SdError::NoHolderKey)?;
            let holder = PublicJwk::from_json(holder)?;
            let (kb_header, kb_payload) = verify_jws(kb, &holder, SdError::KeyBindingSignature)?;
            if kb_header.get("typ").and_then(Value::as_str) != Some("kb+jwt") {
                return Err(SdError::KeyBindingType);
            }
            let iat = kb_payload
                .get("iat")
                .and_then(Value::as_i64)
                .ok_or(SdError::Malformed("the KB-JWT has no integer iat"))?;
            if iat > options.now + options.skew
                || iat < options.now - options.max_kb_age - options.skew
            {
                return Err(SdError::KeyBindingTime {
                    iat,
                    now: options.now,
                });
            }
            if let Some(aud) = &options.audience
                && kb_payload.get("aud").and_then(Value::as_str) != Some(aud.as_str())
            {
                return Err(SdError::KeyBindingAudience);
            }
            if let Some(nonce) = &options.nonce
                && kb_payload.get("nonce").and_then(Value::as_str) != Some(nonce.as_str())
            {
                return Err(SdError::KeyBindingNonce);
            }
            if kb_payload
                .get("sd_hash")
                .and_then(Value::as_str)
                .and_then(decode_digest)
                != Some(raw_digest(p.hashed))
            {
                return Err(SdError::KeyBindingHash);
            }
            true
        }
    };
    Ok(VerifiedSdJwt {
        header,
        claims,
        key_bound,
    })
}

/// The claim path (JSON Pointer) of each disclosure of a presentation, in
/// presentation order, read from the issuer's payload without checking its
/// signature (for holders building a presentation). A disclosure that no
/// digest references gets an empty path.
pub fn disclosure_paths(p: &Presentation<'_>) -> Result<Vec<String>, SdError> {
    let payload_part = p
        .unverified_issuer_jwt
        .split('.')
        .nth(1)
        .ok_or(SdError::Malformed("the issuer JWT has no payload"))?;
    let payload: Value = serde_json::from_slice(
        &B64.decode(payload_part)
            .map_err(|_| SdError::Malformed("the JWT payload is not base64url"))?,
    )
    .map_err(|_| SdError::Malformed("the JWT payload is not JSON"))?;
    let mut by_digest: HashMap<String, (usize, Value)> = HashMap::new();
    for (i, d) in p.unverified_disclosures.iter().enumerate() {
        let bytes = B64.decode(d).map_err(|_| SdError::BadDisclosure(i))?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|_| SdError::BadDisclosure(i))?;
        by_digest.insert(digest(d), (i, v));
    }
    let mut paths = vec![String::new(); p.unverified_disclosures.len()];
    fn walk(
        v: &Value,
        prefix: &str,
        by: &HashMap<String, (usize, Value)>,
        paths: &mut [String],
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(o) => {
                if let Some(Value::Array(sd)) = o.get("_sd") {
                    for d in sd.iter().filter_map(Value::as_str) {
                        if let Some((i, disc)) = by.get(d)
                            && let Some(name) = disc.get(1).and_then(Value::as_str)
                            && let Some(value) = disc.get(2)
                        {
                            let path =
                                format!("{prefix}/{}", name.replace('~', "~0").replace('/', "~1"));
                            walk(value, &path, by, paths, depth + 1);
                            paths[*i] = path;
                        }
                    }
                }
                for (k, c) in o {
                    if k != "_sd" {
                        walk(
                            c,
                            &format!("{prefix}/{}", k.replace('~', "~0").replace('/', "~1")),
                            by,
                            paths,
                            depth + 1,
                        );
                    }
                }
            }
            Value::Array(a) => {
                for (n, item) in a.iter().enumerate() {
                    let path = format!("{prefix}/{n}");
                    if let Some(d) = item.get("...").and_then(Value::as_str)
                        && let Some((i, disc)) = by.get(d)
                    {
                        if let Some(value) = disc.get(1) {
                            walk(value, &path, by, paths, depth + 1);
                        }
                        paths[*i] = path;
                    } else {
                        walk(item, &path, by, paths, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
    walk(&payload, "", &by_digest, &mut paths, 0);
    Ok(paths)
}

/// Verifies an SD-JWT in the JWS JSON serialisation (RFC 9901 §8),
/// flattened or general. The general form is accepted when one of its
/// signatures verifies with `issuer_key`; the disclosures and KB-JWT travel in
/// the unprotected header (of that signature, or of the first one).
///
/// # Errors
/// As [`verify`], or [`SdError::Malformed`] for a JSON shape that is not an
/// SD-JWT.
pub fn verify_json(
    doc: &Value,
    issuer_key: &PublicJwk,
    options: &VerifyOptions,
) -> Result<VerifiedSdJwt, SdError> {
    let payload = doc
        .get("payload")
        .and_then(Value::as_str)
        .ok_or(SdError::Malformed("no payload"))?;
    let entries: Vec<&Value> = match doc.get("signatures") {
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(_) => return Err(SdError::Malformed("signatures must be a non-empty array")),
        None => vec![doc],
    };
    let first_header = entries[0].get("header");
    let mut last = SdError::IssuerSignature;
    for entry in &entries {
        let protected = entry
            .get("protected")
            .and_then(Value::as_str)
            .ok_or(SdError::Malformed("no protected header"))?;
        let signature = entry
            .get("signature")
            .and_then(Value::as_str)
            .ok_or(SdError::Malformed("no signature"))?;
        let header = entry
            .get("header")
            .filter(|h| h.get("disclosures").is_some())
            .or(first_header);
        let disclosures: Vec<&str> = match header.and_then(|h| h.get("disclosures")) {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| {
                    d.as_str()
                        .ok_or(SdError::Malformed("a disclosure is not a string"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(SdError::Malformed("disclosures must be an array")),
        };
        let kb = header
            .and_then(|h| h.get("kb_jwt"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut compact = format!("{protected}.{payload}.{signature}~");
        for d in disclosures {
            compact.push_str(d);
            compact.push('~');
        }
        compact.push_str(kb);
        match verify(&compact, issuer_key, options) {
            Ok(v) => return Ok(v),
            Err(e @ SdError::IssuerSignature)
            | Err(e @ SdError::BadKey(_))
            | Err(e @ SdError::UnsupportedAlgorithm(_)) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_decode_canonically() {
        let text = digest("WyJzYWx0IiwgImEiLCAxXQ");
        assert_eq!(
            decode_digest(&text),
            Some(raw_digest("WyJzYWx0IiwgImEiLCAxXQ"))
        );
        // The last character carries two unused bits; any other value of
        // them is a different string that must not match.
        let last = text.chars().last().unwrap_or('A');
        let alphabet = "AEIMQUYcgkosw048";
        assert!(alphabet.contains(last));
        let mut altered = text[..42].to_owned();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        if alphabet.contains(altered.chars().last().unwrap_or('A')) {
            assert_ne!(decode_digest(&altered), decode_digest(&text));
        } else {
            assert_eq!(decode_digest(&altered), None);
        }
        assert_eq!(decode_digest(&format!("{text}=")), None);
        assert_eq!(decode_digest(&text[..42]), None);
        assert_eq!(decode_digest("not a digest"), None);
    }
}
