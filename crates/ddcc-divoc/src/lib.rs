//! DIVOC certificates (India's CoWIN and the other DIVOC deployments),
//! read and verified offline.
//!
//! A DIVOC certificate is a W3C Verifiable Credential 1.1 in JSON-LD. Its
//! QR code holds a ZIP archive with one `certificate.json`, either as raw
//! bytes (starting `PK`) or as `B64:` and the archive in base64. The proof
//! is a legacy Linked Data Signature: `RsaSignature2018` (a detached JWS,
//! PS256, `b64: false`) or `Ed25519Signature2018` (the same with EdDSA),
//! over `SHA-256(canonical proof options) ‖ SHA-256(canonical document)`,
//! where the proof options are canonicalised under the security v2
//! context and both with URDNA2015.
//!
//! DIVOC has no trust list and its `verificationMethod` (`did:india`, say)
//! resolves nowhere: verifiers are given the deployment's public key. A
//! [`KeySet`] holds those keys by the verification method they are given
//! for; [`verify`] accepts a certificate only when one of them signed it.
//!
//! - [`unpack`] reads what a QR code (or a file) holds, with size limits
//!   checked before anything is decompressed.
//! - [`verify`] checks the proof and the dates.
//! - [`ddcc::subjects_of`] maps a certificate onto the DDCC data model
//!   (WHO's `CertDIVOCtoCoreDataSet` map).
//!
//! The DIVOC vaccination and test contexts are not embedded (their npm
//! packages are GPL-licensed): the verifier pins them in the
//! [`ContextRegistry`] it passes, and a certificate using a context that is
//! not pinned is refused as unknown.

#![forbid(unsafe_code)]

pub mod ddcc;

use std::io::Read as _;

use base64::Engine as _;
use ddcc_assets::ContextRegistry;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Largest QR payload or file accepted (a QR code holds at most 2,953
/// bytes; base64 and margins included this is generous).
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024;
/// Largest `certificate.json` accepted once decompressed.
pub const MAX_CERTIFICATE_BYTES: u64 = 64 * 1024;
/// Most entries accepted in the archive.
pub const MAX_ENTRIES: usize = 8;

/// The security context legacy proofs are canonicalised under.
pub const SECURITY_V2: &str = "https://w3id.org/security/v2";

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a DIVOC certificate was not accepted. Messages carry no values
/// from the certificate (names, dates, identifiers).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DivocError {
    /// The input is larger than allowed.
    #[error("the {0} is larger than allowed")]
    TooLarge(&'static str),
    /// `B64:` followed by something that is not base64.
    #[error("the text after B64: is not base64")]
    Base64,
    /// Not a readable ZIP archive.
    #[error("the payload is not a readable ZIP archive ({0})")]
    Zip(&'static str),
    /// The archive has no `certificate.json`.
    #[error("the archive holds no certificate.json")]
    NoCertificate,
    /// Neither a DIVOC QR payload nor JSON.
    #[error("not a DIVOC certificate: expected a ZIP archive, B64: text or JSON")]
    NotDivoc,
    /// `certificate.json` is not a JSON object.
    #[error("certificate.json is not a JSON object")]
    Json,
    /// A member the credential must have is missing or malformed.
    #[error("the credential's {0} is missing or malformed")]
    Structure(&'static str),
    /// A proof type other than the two DIVOC uses.
    #[error("proof type {0} is not a DIVOC proof (RsaSignature2018, Ed25519Signature2018)")]
    ProofType(String),
    /// The detached JWS is malformed or names another algorithm.
    #[error("the proof's JWS {0}")]
    Jws(&'static str),
    /// Expansion or canonicalisation failed (an unknown context, say).
    #[error("{0}")]
    Context(String),
    /// No key was given for the proof's verification method.
    #[error("no key was given for verification method {method} (a {suite} key is needed)")]
    UnknownKey {
        /// The verification method the proof names.
        method: String,
        /// The proof type.
        suite: &'static str,
    },
    /// No given key verifies the signature.
    #[error(
        "the signature matches none of the {tried} key(s) given for {method}: the certificate was altered or signed by another key"
    )]
    Signature {
        /// The verification method the proof names.
        method: String,
        /// How many keys were tried.
        tried: usize,
    },
    /// Issued after the verification time.
    #[error("the certificate is not valid yet (issued after the verification time)")]
    NotYetValid,
    /// `expirationDate` before the verification time.
    #[error("the certificate expired before the verification time")]
    Expired,
}

/// What a DIVOC QR code or file holds, as the credential's JSON: the
/// `certificate.json` of a ZIP archive (raw, or `B64:` and base64), or a
/// JSON credential itself. Sizes are checked before decompressing.
///
/// # Errors
/// [`DivocError`].
pub fn unpack(payload: &[u8]) -> Result<Value, DivocError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(DivocError::TooLarge("payload"));
    }
    let trimmed = payload.trim_ascii();
    let zip_bytes;
    let archive: &[u8] = if let Some(b64) = trimmed.strip_prefix(b"B64:") {
        let clean: Vec<u8> = b64
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        zip_bytes = base64::engine::general_purpose::STANDARD
            .decode(&clean)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&clean))
            .map_err(|_| DivocError::Base64)?;
        &zip_bytes
    } else if trimmed.starts_with(b"PK") {
        trimmed
    } else if trimmed.starts_with(b"{") {
        return parse_certificate(trimmed);
    } else {
        return Err(DivocError::NotDivoc);
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive))
        .map_err(|_| DivocError::Zip("no central directory"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(DivocError::Zip("too many entries"));
    }
    let mut file = match zip.by_name("certificate.json") {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Err(DivocError::NoCertificate),
        Err(_) => return Err(DivocError::Zip("the certificate entry cannot be read")),
    };
    if file.size() > MAX_CERTIFICATE_BYTES {
        return Err(DivocError::TooLarge("certificate.json"));
    }
    let mut out = Vec::new();
    (&mut file)
        .take(MAX_CERTIFICATE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| DivocError::Zip("the certificate entry is corrupt"))?;
    if out.len() as u64 > MAX_CERTIFICATE_BYTES {
        return Err(DivocError::TooLarge("certificate.json"));
    }
    parse_certificate(&out)
}

fn parse_certificate(bytes: &[u8]) -> Result<Value, DivocError> {
    if bytes.len() as u64 > MAX_CERTIFICATE_BYTES {
        return Err(DivocError::TooLarge("certificate.json"));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err(DivocError::Json),
    }
}

/// Whether a JSON document looks like a DIVOC certificate: a credential
/// whose proof is one of the two legacy suites DIVOC signs with.
pub fn is_divoc(doc: &Value) -> bool {
    matches!(
        doc.pointer("/proof/type").and_then(Value::as_str),
        Some("RsaSignature2018" | "Ed25519Signature2018")
    )
}

/// A public key a verifier was given for a DIVOC deployment.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// RSA (`RsaSignature2018`, PS256).
    Rsa(rsa::RsaPublicKey),
    /// Ed25519 (`Ed25519Signature2018`).
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({} {})", self.suite(), self.thumbprint())
    }
}

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a public key DIVOC uses: {0}")]
pub struct KeyError(&'static str);

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410).
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

impl PublicKey {
    /// Reads a key as DIVOC deployments publish them: PEM (an RSA or
    /// Ed25519 SubjectPublicKeyInfo, or a PKCS#1 RSA key), a JWK (`RSA`
    /// or `OKP`/`Ed25519`), or base58 text of a raw Ed25519 key.
    ///
    /// # Errors
    /// [`KeyError`].
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        use rsa::pkcs8::DecodePublicKey as _;
        let t = text.trim();
        if t.contains("-----BEGIN RSA PUBLIC KEY-----") {
            return rsa::RsaPublicKey::from_pkcs1_pem(t)
                .map(Self::Rsa)
                .map_err(|_| KeyError("the PKCS#1 PEM block is malformed"));
        }
        if t.contains("-----BEGIN PUBLIC KEY-----") {
            if let Ok(k) = rsa::RsaPublicKey::from_public_key_pem(t) {
                return Self::rsa(k);
            }
            let body: String = t
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
                .collect();
            let der = base64::engine::general_purpose::STANDARD
                .decode(body)
                .map_err(|_| KeyError("the PEM block is not base64"))?;
            return match der.strip_prefix(&ED25519_SPKI_PREFIX[..]) {
                Some(raw) => Self::ed25519(raw),
                None => Err(KeyError(
                    "the PEM block is neither an RSA nor an Ed25519 key",
                )),
            };
        }
        if t.starts_with('{') {
            let jwk: Value = serde_json::from_str(t).map_err(|_| KeyError("not JSON"))?;
            let member = |k: &str| {
                jwk.get(k)
                    .and_then(Value::as_str)
                    .and_then(|s| B64URL.decode(s).ok())
            };
            return match (
                jwk.get("kty").and_then(Value::as_str),
                jwk.get("crv").and_then(Value::as_str),
            ) {
                (Some("RSA"), _) => {
                    let (Some(n), Some(e)) = (member("n"), member("e")) else {
                        return Err(KeyError("the RSA JWK lacks n or e"));
                    };
                    rsa::RsaPublicKey::new(
                        rsa::BigUint::from_bytes_be(&n),
                        rsa::BigUint::from_bytes_be(&e),
                    )
                    .map_err(|_| KeyError("the RSA JWK is not a valid key"))
                    .and_then(Self::rsa)
                }
                (Some("OKP"), Some("Ed25519")) => {
                    Self::ed25519(&member("x").ok_or(KeyError("the OKP JWK lacks x"))?)
                }
                _ => Err(KeyError("a JWK of another key type")),
            };
        }
        let raw = multibase::Base::Base58Btc
            .decode(t)
            .map_err(|_| KeyError("neither PEM, JWK nor base58"))?;
        Self::ed25519(&raw)
    }

    fn rsa(k: rsa::RsaPublicKey) -> Result<Self, KeyError> {
        use rsa::traits::PublicKeyParts as _;
        if k.size() < 256 {
            return Err(KeyError("RSA keys shorter than 2048 bits are refused"));
        }
        Ok(Self::Rsa(k))
    }

    fn ed25519(raw: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = raw
            .try_into()
            .map_err(|_| KeyError("an Ed25519 key is 32 bytes"))?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(Self::Ed25519)
            .map_err(|_| KeyError("not a point on Ed25519"))
    }

    /// The proof type this key verifies.
    pub fn suite(&self) -> &'static str {
        match self {
            Self::Rsa(_) => "RsaSignature2018",
            Self::Ed25519(_) => "Ed25519Signature2018",
        }
    }

    /// The key's JWK thumbprint (RFC 7638, SHA-256, base64url): how a
    /// verdict names the key that signed.
    pub fn thumbprint(&self) -> String {
        use rsa::traits::PublicKeyParts as _;
        let canonical = match self {
            Self::Rsa(k) => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                B64URL.encode(k.e().to_bytes_be()),
                B64URL.encode(k.n().to_bytes_be())
            ),
            Self::Ed25519(k) => format!(
                r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
                B64URL.encode(k.as_bytes())
            ),
        };
        B64URL.encode(Sha256::digest(canonical.as_bytes()))
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Rsa(k) => {
                use rsa::signature::Verifier as _;
                let vk = rsa::pss::VerifyingKey::<Sha256>::new(k.clone());
                rsa::pss::Signature::try_from(signature)
                    .is_ok_and(|s| vk.verify(message, &s).is_ok())
            }
            Self::Ed25519(k) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_strict(message, &s).is_ok()),
        }
    }
}

/// The keys a verifier trusts, by the verification method (the proof's
/// `verificationMethod`, e.g. `did:india`) they were given for. One method
/// may have several keys (deployments reuse names; keys rotate).
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<(String, PublicKey)>,
}

impl KeySet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `key` for `method`.
    pub fn add(&mut self, method: &str, key: PublicKey) {
        self.keys.push((method.to_owned(), key));
    }

    /// Whether no key was given.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn for_method<'a>(
        &'a self,
        method: &'a str,
        suite: &'static str,
    ) -> impl Iterator<Item = &'a PublicKey> + 'a {
        self.keys
            .iter()
            .filter(move |(m, k)| m == method && k.suite() == suite)
            .map(|(_, k)| k)
    }
}

/// A verified DIVOC certificate.
#[derive(Clone)]
pub struct Verified {
    /// The credential (personal data: not shown unless asked for).
    pub credential: Value,
    /// The proof type.
    pub suite: &'static str,
    /// The verification method the proof names.
    pub method: String,
    /// The thumbprint of the key that verified it.
    pub key: String,
    /// The credential's `issuer` (its `id` when it is an object).
    pub issuer: String,
    /// The credential types other than `VerifiableCredential`.
    pub types: Vec<String>,
}

impl std::fmt::Debug for Verified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verified")
            .field("suite", &self.suite)
            .field("method", &self.method)
            .field("key", &self.key)
            .field("issuer", &self.issuer)
            .field("types", &self.types)
            .finish_non_exhaustive()
    }
}

/// The detached JWS of a legacy proof: its encoded header and signature.
fn detached_jws<'a>(jws: &'a str, suite: &'static str) -> Result<(&'a str, Vec<u8>), DivocError> {
    let mut parts = jws.split('.');
    let (Some(header), Some(""), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DivocError::Jws("is not a detached JWS (header..signature)"));
    };
    let h: Value = B64URL
        .decode(header)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(DivocError::Jws("header is not base64url JSON"))?;
    let expected = if suite == "RsaSignature2018" {
        "PS256"
    } else {
        "EdDSA"
    };
    if h.get("alg").and_then(Value::as_str) != Some(expected) {
        return Err(DivocError::Jws(
            "header names another algorithm than the proof type",
        ));
    }
    if h.get("b64") != Some(&Value::Bool(false))
        || h.get("crit") != Some(&serde_json::json!(["b64"]))
    {
        return Err(DivocError::Jws(
            "header is not an unencoded-payload JWS (b64: false)",
        ));
    }
    if let Some(o) = h.as_object()
        && o.keys()
            .any(|k| !matches!(k.as_str(), "alg" | "b64" | "crit"))
    {
        return Err(DivocError::Jws(
            "header has members other than alg, b64 and crit",
        ));
    }
    let sig = B64URL
        .decode(signature)
        .map_err(|_| DivocError::Jws("signature is not base64url"))?;
    Ok((header, sig))
}

/// The data a legacy Linked Data Signature signs: SHA-256 of the
/// canonical proof options (under the security v2 context) followed by
/// SHA-256 of the canonical document without its proof.
///
/// # Errors
/// [`DivocError::Context`] when either cannot be expanded with the
/// registry's contexts.
pub async fn verify_data(
    document: &Value,
    registry: &ContextRegistry,
) -> Result<[u8; 64], DivocError> {
    use ddcc_credential::canon;
    let proof = document
        .get("proof")
        .and_then(Value::as_object)
        .ok_or(DivocError::Structure("proof"))?;
    let mut options = Map::new();
    options.insert("@context".into(), Value::from(SECURITY_V2));
    for (k, v) in proof {
        if !matches!(
            k.as_str(),
            "jws" | "signatureValue" | "proofValue" | "@context"
        ) {
            options.insert(k.clone(), v.clone());
        }
    }
    let proof_lines = canon::canonical_proof_configuration(&Value::Object(options), registry)
        .await
        .map_err(|e| DivocError::Context(format!("the proof options: {e}")))?;
    let doc_lines = canon::canonical_document(document, registry)
        .await
        .map_err(|e| DivocError::Context(format!("the credential: {e}")))?;
    Ok(canon::combined_hash(
        &canon::hash_lines(&proof_lines),
        &canon::hash_lines(&doc_lines),
    ))
}

fn time_of(doc: &Value, member: &'static str) -> Result<Option<i64>, DivocError> {
    match doc.get(member) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| Some(t.timestamp()))
            .ok_or(DivocError::Structure(member)),
    }
}

/// Verifies a DIVOC certificate at `now` (Unix seconds, `skew` tolerated):
/// its shape, its proof against the keys given for its verification
/// method, its `issuanceDate` and `expirationDate`.
///
/// # Errors
/// [`DivocError`], naming the failing check.
pub async fn verify(
    document: &Value,
    keys: &KeySet,
    registry: &ContextRegistry,
    now: i64,
    skew: i64,
) -> Result<Verified, DivocError> {
    let doc = document.as_object().ok_or(DivocError::Json)?;
    let contexts = doc
        .get("@context")
        .and_then(Value::as_array)
        .ok_or(DivocError::Structure("@context"))?;
    if contexts.first().and_then(Value::as_str) != Some("https://www.w3.org/2018/credentials/v1") {
        return Err(DivocError::Structure("@context"));
    }
    let types: Vec<String> = doc
        .get("type")
        .and_then(Value::as_array)
        .ok_or(DivocError::Structure("type"))?
        .iter()
        .map(|t| t.as_str().map(str::to_owned))
        .collect::<Option<_>>()
        .ok_or(DivocError::Structure("type"))?;
    if !types.iter().any(|t| t == "VerifiableCredential") {
        return Err(DivocError::Structure("type"));
    }
    let issuer = match doc.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("id")
            .and_then(Value::as_str)
            .ok_or(DivocError::Structure("issuer"))?
            .to_owned(),
        _ => return Err(DivocError::Structure("issuer")),
    };
    if !doc.get("credentialSubject").is_some_and(Value::is_object) {
        return Err(DivocError::Structure("credentialSubject"));
    }
    let proof = doc
        .get("proof")
        .and_then(Value::as_object)
        .ok_or(DivocError::Structure("proof"))?;
    let suite = match proof.get("type").and_then(Value::as_str) {
        Some("RsaSignature2018") => "RsaSignature2018",
        Some("Ed25519Signature2018") => "Ed25519Signature2018",
        Some(other) => return Err(DivocError::ProofType(other.chars().take(60).collect())),
        None => return Err(DivocError::Structure("proof type")),
    };
    if proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err(DivocError::Structure("proof purpose (assertionMethod)"));
    }
    let method = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or(DivocError::Structure("proof verificationMethod"))?;
    let jws = proof
        .get("jws")
        .and_then(Value::as_str)
        .ok_or(DivocError::Structure("proof jws"))?;
    let (header, signature) = detached_jws(jws, suite)?;
    let candidates: Vec<&PublicKey> = keys.for_method(method, suite).collect();
    if candidates.is_empty() {
        return Err(DivocError::UnknownKey {
            method: method.chars().take(120).collect(),
            suite,
        });
    }
    let data = verify_data(document, registry).await?;
    let mut signing_input = Vec::with_capacity(header.len() + 1 + data.len());
    signing_input.extend_from_slice(header.as_bytes());
    signing_input.push(b'.');
    signing_input.extend_from_slice(&data);
    let Some(key) = candidates
        .iter()
        .find(|k| k.verify(&signing_input, &signature))
    else {
        return Err(DivocError::Signature {
            method: method.chars().take(120).collect(),
            tried: candidates.len(),
        });
    };
    if let Some(issued) = time_of(document, "issuanceDate")?
        && issued > now.saturating_add(skew)
    {
        return Err(DivocError::NotYetValid);
    }
    if let Some(expires) = time_of(document, "expirationDate")?
        && expires < now.saturating_sub(skew)
    {
        return Err(DivocError::Expired);
    }
    Ok(Verified {
        credential: document.clone(),
        suite,
        method: method.to_owned(),
        key: key.thumbprint(),
        issuer,
        types: types
            .into_iter()
            .filter(|t| t != "VerifiableCredential")
            .collect(),
    })
}
