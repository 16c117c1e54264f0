//! Compact JWS with an algorithm allow-list.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::ecdsa::signature::Verifier as _;
use serde_json::Value;

use crate::SdError;

/// A public key given as a JWK.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PublicJwk {
    /// EC P-256 (`ES256`).
    P256(p256::ecdsa::VerifyingKey),
    /// OKP Ed25519 (`EdDSA`).
    Ed25519(ddcc_crypto::PublicKey),
}

impl PublicJwk {
    /// Parses a public JWK (private members, if any, are ignored).
    ///
    /// # Errors
    /// [`SdError::BadKey`] for other key types or malformed members.
    pub fn from_json(jwk: &Value) -> Result<Self, SdError> {
        let member = |name: &str| -> Result<Vec<u8>, SdError> {
            let text = jwk
                .get(name)
                .and_then(Value::as_str)
                .ok_or(SdError::BadKey("missing member"))?;
            B64.decode(text)
                .map_err(|_| SdError::BadKey("member is not base64url"))
        };
        match (
            jwk.get("kty").and_then(Value::as_str),
            jwk.get("crv").and_then(Value::as_str),
        ) {
            (Some("EC"), Some("P-256")) => {
                let (x, y) = (member("x")?, member("y")?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(SdError::BadKey("P-256 coordinates must be 32 bytes"));
                }
                let mut sec1 = Vec::with_capacity(65);
                sec1.push(0x04);
                sec1.extend_from_slice(&x);
                sec1.extend_from_slice(&y);
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .map(Self::P256)
                    .map_err(|_| SdError::BadKey("not a P-256 point"))
            }
            (Some("OKP"), Some("Ed25519")) => {
                ddcc_crypto::PublicKey::from_bytes_cached(&member("x")?)
                    .map(Self::Ed25519)
                    .map_err(|_| SdError::BadKey("not an Ed25519 key"))
            }
            _ => Err(SdError::BadKey(
                "only EC P-256 and OKP Ed25519 keys are supported",
            )),
        }
    }

    /// Whether `signature` (JWS form: raw `r || s` for ES256) signs `input`
    /// under `alg` with this key.
    ///
    /// # Errors
    /// [`SdError::UnsupportedAlgorithm`] when `alg` is not this key's.
    pub fn verify(&self, alg: &str, input: &[u8], signature: &[u8]) -> Result<bool, SdError> {
        match (self, alg) {
            (Self::P256(key), "ES256") => {
                let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
                    return Ok(false);
                };
                Ok(key.verify(input, &sig).is_ok())
            }
            (Self::Ed25519(key), "EdDSA" | "Ed25519") => Ok(key.verify(input, signature)),
            (_, "ES256" | "EdDSA" | "Ed25519") => {
                Err(SdError::BadKey("the key does not match the algorithm"))
            }
            (_, other) => Err(SdError::UnsupportedAlgorithm(other.to_owned())),
        }
    }
}

fn decode_json(part: &str) -> Result<Value, SdError> {
    let bytes = B64
        .decode(part)
        .map_err(|_| SdError::Malformed("a JWS part is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| SdError::Malformed("a JWS part is not JSON"))
}

/// Verifies a compact JWS with `key`; returns (header, payload). The
/// signature failure is reported as `on_bad_signature`.
///
/// # Errors
/// [`SdError::Malformed`], [`SdError::UnsupportedAlgorithm`],
/// [`SdError::BadKey`], or `on_bad_signature`.
pub fn verify_jws(
    compact: &str,
    key: &PublicJwk,
    on_bad_signature: SdError,
) -> Result<(Value, Value), SdError> {
    verify_jws_with(compact, |_| Ok(key.clone()), on_bad_signature)
}

/// As [`verify_jws`], with the key chosen from the (unverified) header,
/// for instance by its `kid`.
///
/// # Errors
/// As [`verify_jws`], or whatever `key_for` returns.
pub fn verify_jws_with(
    compact: &str,
    key_for: impl FnOnce(&Value) -> Result<PublicJwk, SdError>,
    on_bad_signature: SdError,
) -> Result<(Value, Value), SdError> {
    let mut parts = compact.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(SdError::Malformed("a JWS must have three parts"));
    };
    let header = decode_json(h)?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(SdError::Malformed("the JWS header has no alg"))?;
    if header.get("crit").is_some() {
        return Err(SdError::Malformed(
            "critical JWS header parameters are not supported",
        ));
    }
    let signature = B64
        .decode(s)
        .map_err(|_| SdError::Malformed("the JWS signature is not base64url"))?;
    let input = &compact[..h.len() + 1 + p.len()];
    let key = key_for(&header)?;
    if !key.verify(alg, input.as_bytes(), &signature)? {
        return Err(on_bad_signature);
    }
    let payload = decode_json(p)?;
    Ok((header, payload))
}
