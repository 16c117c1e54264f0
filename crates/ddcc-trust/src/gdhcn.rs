//! WHO GDHCN trust lists published as `did:web` documents, with their
//! proofs verified.
//!
//! Every document of a list carries a `JsonWebSignature2020` proof by a WHO
//! signing DID. A document is used only when that proof verifies under a
//! key of a signer the operator named (the root of trust); trust never
//! rests on the transport. The proof is the one WHO's signer makes
//! (danubetech ld-signatures-java):
//!
//! 1. the proof options are the proof without `jws`, with the document's
//!    `@context`;
//! 2. the data is SHA-256(URDNA2015(options)) ‖ SHA-256(URDNA2015(document
//!    without its proof));
//! 3. the `jws` is detached with the header `{"b64":false,"crit":["b64"],
//!    "alg":"ES256"}`; its signing input is the encoded header, `.`, and the
//!    data; the signature is ES256, as WHO writes it in ASN.1 DER (70–72
//!    bytes) or as RFC 7518's 64-byte `r‖s`.
//!
//! A list is a tree: *reference* documents name sub-lists as DID strings in
//! `verificationMethod`, *embedded* documents carry keys as
//! `JsonWebKey2020` methods whose fragment is the base64 key id. The path
//! below the list's root says the trust domain, the participant (the
//! jurisdiction) and the key usage: `…:trustlist:DCC:XXA:DSC`.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_core::Did;
use p256::ecdsa::signature::Verifier as _;
use serde_json::{Map, Value};

/// The proof type of GDHCN trust lists.
pub const PROOF_TYPE: &str = "JsonWebSignature2020";

/// Most documents read from one list.
pub const MAX_DOCUMENTS: usize = 2000;
/// Deepest chain of references followed (root → domain → participant → usage).
pub const MAX_DEPTH: usize = 8;
/// Largest document read, in bytes (the WHO DEV root is about 400 KB).
pub const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;

/// Why a trust-list document, or a whole list, cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GdhcnError {
    /// The document could not be fetched or read.
    #[error("{did}: could not be fetched: {why}")]
    Fetch {
        /// The document's DID.
        did: String,
        /// Why.
        why: String,
    },
    /// The document is not a DID document of the expected shape.
    #[error("{did}: malformed: {why}")]
    Malformed {
        /// The document's DID.
        did: String,
        /// What is wrong.
        why: &'static str,
    },
    /// The document has no proof.
    #[error("{did}: it carries no proof, so nobody vouches for it")]
    Unsigned {
        /// The document's DID.
        did: String,
    },
    /// The proof is by a key the operator did not name as a root.
    #[error("{did}: signed by {signer}, which is not a root this verifier was given")]
    UnknownSigner {
        /// The document's DID.
        did: String,
        /// The proof's verification method.
        signer: String,
    },
    /// The proof's signature does not verify: the document was altered or
    /// signed by another key.
    #[error("{did}: its proof does not verify (the list was altered or signed by another key)")]
    Signature {
        /// The document's DID.
        did: String,
    },
    /// The document cannot be canonicalized with the pinned contexts.
    #[error("{did}: cannot be canonicalized: {why}")]
    Canonicalization {
        /// The document's DID.
        did: String,
        /// Why.
        why: String,
    },
    /// The list is larger or deeper than any real trust list.
    #[error("the trust list is larger or deeper than allowed: {0}")]
    TooLarge(String),
}

impl GdhcnError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Fetch { .. } => "trust_list_unavailable",
            Self::Malformed { .. } => "trust_list_malformed",
            Self::Unsigned { .. } | Self::UnknownSigner { .. } => "trust_list_not_anchored",
            Self::Signature { .. } => "trust_list_invalid",
            Self::Canonicalization { .. } => "trust_list_unsupported",
            Self::TooLarge(_) => "trust_list_too_large",
        }
    }
}

/// The keys whose proofs make a trust list usable: the verification
/// methods of the signer DID documents the operator named.
#[derive(Debug, Clone, Default)]
pub struct Signers {
    keys: HashMap<String, p256::ecdsa::VerifyingKey>,
}

/// Left-pads or strips a JWK coordinate to 32 bytes (WHO writes Java
/// `BigInteger` bytes: 33 with a leading zero).
fn coordinate(b64: &str) -> Option<[u8; 32]> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64.trim_end_matches('='))
        .ok()?;
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let trimmed = &bytes[start..];
    if trimmed.len() > 32 {
        return None;
    }
    let mut out = [0u8; 32];
    out[32 - trimmed.len()..].copy_from_slice(trimmed);
    Some(out)
}

/// A P-256 public key from a JWK (`kty` EC, `crv` P-256).
pub fn p256_from_jwk(jwk: &Value) -> Option<p256::ecdsa::VerifyingKey> {
    if jwk.get("kty")?.as_str()? != "EC" || jwk.get("crv")?.as_str()? != "P-256" {
        return None;
    }
    let x = coordinate(jwk.get("x")?.as_str()?)?;
    let y = coordinate(jwk.get("y")?.as_str()?)?;
    let point = p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
    p256::ecdsa::VerifyingKey::from_encoded_point(&point).ok()
}

impl Signers {
    /// No signer: every list is refused.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every P-256 `publicKeyJwk` verification method of a signer's
    /// DID document (the document the operator pinned, e.g. WHO's
    /// `…:WHO:signing:DID`). Returns how many keys were added.
    ///
    /// # Errors
    /// When the document is not a DID document with at least one P-256 key.
    pub fn add_document(&mut self, doc: &Value) -> Result<usize, String> {
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .ok_or("the signer's document has no id")?;
        Did::parse(id).map_err(|_| "the signer's document id is not a DID")?;
        let methods = doc
            .get("verificationMethod")
            .and_then(Value::as_array)
            .ok_or("the signer's document has no verificationMethod list")?;
        let mut added = 0;
        for m in methods {
            let (Some(mid), Some(key)) = (
                m.get("id").and_then(Value::as_str),
                m.get("publicKeyJwk").and_then(p256_from_jwk),
            ) else {
                continue;
            };
            let mid = if let Some(fragment) = mid.strip_prefix('#') {
                format!("{id}#{fragment}")
            } else {
                mid.to_owned()
            };
            self.keys.insert(mid, key);
            added += 1;
        }
        if added == 0 {
            return Err("the signer's document holds no P-256 key".into());
        }
        Ok(added)
    }

    /// Adds one key under a verification method id.
    pub fn add_key(&mut self, method: &str, key: p256::ecdsa::VerifyingKey) {
        self.keys.insert(method.to_owned(), key);
    }

    /// The signer ids, sorted.
    pub fn ids(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.keys.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    fn key(&self, method: &str) -> Option<&p256::ecdsa::VerifyingKey> {
        self.keys.get(method)
    }
}

/// The DID a document claims to be, for error messages.
fn did_of(doc: &Value) -> String {
    doc.get("id")
        .and_then(Value::as_str)
        .map(|s| s.chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_else(|| "(no id)".into())
}

/// Verifies one trust-list document's `JsonWebSignature2020` proof under
/// `signers`, canonicalizing with `contexts` (see
/// [`ContextRegistry::gdhcn`]). Returns the signer's verification method.
///
/// # Errors
/// [`GdhcnError`]: unsigned, signed by an unknown key, a signature that
/// does not verify, or a document that cannot be canonicalized.
pub async fn verify_document(
    doc: &Value,
    signers: &Signers,
    contexts: &ContextRegistry,
) -> Result<String, GdhcnError> {
    let did = did_of(doc);
    let malformed = |why: &'static str| GdhcnError::Malformed {
        did: did.clone(),
        why,
    };
    let obj = doc
        .as_object()
        .ok_or_else(|| malformed("not a JSON object"))?;
    let proof = match obj.get("proof") {
        Some(Value::Object(p)) => p,
        Some(_) => return Err(malformed("its proof is not one object")),
        None => return Err(GdhcnError::Unsigned { did }),
    };
    if proof.get("type").and_then(Value::as_str) != Some(PROOF_TYPE) {
        return Err(malformed("its proof is not a JsonWebSignature2020"));
    }
    if proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err(malformed("its proof's purpose is not assertionMethod"));
    }
    let signer = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("its proof names no verificationMethod"))?;
    let key = signers
        .key(signer)
        .ok_or_else(|| GdhcnError::UnknownSigner {
            did: did.clone(),
            signer: signer
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect(),
        })?;
    let jws = proof
        .get("jws")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("its proof has no jws"))?;
    let (header, signature) = detached_jws(jws).map_err(malformed)?;

    let mut options = proof.clone();
    options.remove("jws");
    let input = signing_input(doc, options, header, contexts).await?;
    let sig = if signature.len() == 64 {
        p256::ecdsa::Signature::from_slice(&signature).ok()
    } else {
        p256::ecdsa::Signature::from_der(&signature).ok()
    }
    .ok_or_else(|| GdhcnError::Signature { did: did.clone() })?;
    key.verify(&input, &sig)
        .map_err(|_| GdhcnError::Signature { did: did.clone() })?;
    Ok(signer.to_owned())
}

/// What a `JsonWebSignature2020` signs: the encoded header, `.`, then
/// SHA-256 of the canonical proof options (`options`, given the
/// document's `@context`) and SHA-256 of the canonical document without
/// its proof.
async fn signing_input(
    doc: &Value,
    mut options: Map<String, Value>,
    header: &str,
    contexts: &ContextRegistry,
) -> Result<Vec<u8>, GdhcnError> {
    use ddcc_credential::canon;
    let did = did_of(doc);
    if let Some(ctx) = doc.get("@context") {
        options.insert("@context".into(), ctx.clone());
    }
    let canon_err = |e: ddcc_credential::ProofError| GdhcnError::Canonicalization {
        did: did.clone(),
        why: e.to_string(),
    };
    let options_lines = canon::canonical_proof_configuration(&Value::Object(options), contexts)
        .await
        .map_err(canon_err)?;
    let doc_lines = canon::canonical_document(doc, contexts)
        .await
        .map_err(canon_err)?;
    let mut input = Vec::with_capacity(header.len() + 65);
    input.extend_from_slice(header.as_bytes());
    input.push(b'.');
    input.extend_from_slice(&canon::hash_lines(&options_lines));
    input.extend_from_slice(&canon::hash_lines(&doc_lines));
    Ok(input)
}

/// The detached JWS header WHO's signer writes.
const JWS_HEADER: &str = r#"{"b64":false,"crit":["b64"],"alg":"ES256"}"#;

/// Signs a trust-list document as WHO's signer does (for test networks
/// and tools that publish lists): a `JsonWebSignature2020` proof by
/// `method`, created at `created`, with an ES256 signature in ASN.1 DER.
/// Any `proof` the document had is replaced.
///
/// # Errors
/// [`GdhcnError::Canonicalization`] when the document cannot be
/// canonicalized with `contexts`.
pub async fn sign_document(
    doc: &Value,
    key: &p256::ecdsa::SigningKey,
    method: &str,
    created: DateTime<Utc>,
    contexts: &ContextRegistry,
) -> Result<Value, GdhcnError> {
    use p256::ecdsa::signature::Signer as _;
    let did = did_of(doc);
    let mut unsigned = doc.clone();
    let obj = unsigned
        .as_object_mut()
        .ok_or_else(|| GdhcnError::Malformed {
            did: did.clone(),
            why: "not a JSON object",
        })?;
    obj.remove("proof");
    let mut proof = Map::new();
    proof.insert("type".into(), Value::from(PROOF_TYPE));
    proof.insert(
        "created".into(),
        Value::from(created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    );
    proof.insert("proofPurpose".into(), Value::from("assertionMethod"));
    proof.insert("verificationMethod".into(), Value::from(method));
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(JWS_HEADER);
    let input = signing_input(&unsigned, proof.clone(), &header, contexts).await?;
    let sig: p256::ecdsa::Signature = key.sign(&input);
    proof.insert(
        "jws".into(),
        Value::from(format!("{header}..{}", b64.encode(sig.to_der().as_bytes()))),
    );
    if let Some(o) = unsigned.as_object_mut() {
        o.insert("proof".into(), Value::Object(proof));
    }
    Ok(unsigned)
}

/// The encoded header and the signature bytes of a detached, unencoded
/// ES256 JWS.
fn detached_jws(jws: &str) -> Result<(&str, Vec<u8>), &'static str> {
    let mut parts = jws.split('.');
    let (Some(header), Some(""), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("its jws is not a detached JWS (header..signature)");
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let h: Value = b64
        .decode(header)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("its jws header is not base64url JSON")?;
    if h.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err("its jws is not ES256");
    }
    if h.get("b64") != Some(&Value::Bool(false))
        || h.get("crit") != Some(&serde_json::json!(["b64"]))
    {
        return Err("its jws is not an unencoded-payload JWS (b64: false)");
    }
    let sig = b64
        .decode(signature)
        .map_err(|_| "its jws signature is not base64url")?;
    Ok((header, sig))
}

/// A boxed future of a fetched document.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Value, String>> + Send + 'a>>;

/// Where a list's documents come from: the web, or a folder (an offline
/// bundle, in the `did:web` layout).
pub trait DocumentSource: Send + Sync + std::fmt::Debug {
    /// The document of `did`, as published.
    fn fetch<'a>(&'a self, did: &'a Did) -> FetchFuture<'a>;
    /// Where the documents come from, for people.
    fn describe(&self) -> String;
}

/// A folder holding one host's `did:web` documents: `did:web:HOST:a:b`
/// is `FOLDER/a/b/did.json`, `did:web:HOST` is
/// `FOLDER/.well-known/did.json`.
#[derive(Debug, Clone)]
pub struct FolderSource {
    host: String,
    port: Option<u16>,
    folder: PathBuf,
}

impl FolderSource {
    /// The documents of `host` (on the default port) under `folder`.
    pub fn new(host: &str, folder: &Path) -> Self {
        Self {
            host: host.to_owned(),
            port: None,
            folder: folder.to_owned(),
        }
    }

    /// The documents of the host (and port) of `did` under `folder`.
    ///
    /// # Errors
    /// When `did` is not a `did:web`.
    pub fn for_did(did: &Did, folder: &Path) -> Result<Self, String> {
        let loc = ddcc_did::web_location(did).map_err(|e| e.to_string())?;
        Ok(Self {
            host: loc.host,
            port: loc.port,
            folder: folder.to_owned(),
        })
    }
}

impl DocumentSource for FolderSource {
    fn fetch<'a>(&'a self, did: &'a Did) -> FetchFuture<'a> {
        Box::pin(async move {
            let loc = ddcc_did::web_location(did).map_err(|e| e.to_string())?;
            if loc.host != self.host || loc.port != self.port {
                return Err(format!("not a document of {}", self.host));
            }
            let mut path = self.folder.clone();
            for part in loc.path.split('/').filter(|p| !p.is_empty()) {
                if part == ".." || part == "." || part.contains('\\') {
                    return Err("a path segment leaves the folder".into());
                }
                path.push(part);
            }
            let meta = std::fs::metadata(&path).map_err(|_| "no such document in the folder")?;
            if meta.len() > MAX_DOCUMENT_BYTES {
                return Err("the document is too large".into());
            }
            let bytes = std::fs::read(&path).map_err(|e| e.kind().to_string())?;
            serde_json::from_slice(&bytes).map_err(|_| "the document is not JSON".into())
        })
    }

    fn describe(&self) -> String {
        format!("the folder {}", self.folder.display())
    }
}

/// `did:web` documents over HTTPS, through the network policy.
#[derive(Debug, Clone)]
pub struct WebSource {
    resolver: ddcc_resolve::WebResolver,
}

impl WebSource {
    /// Documents fetched with `resolver`.
    pub fn new(resolver: ddcc_resolve::WebResolver) -> Self {
        Self { resolver }
    }
}

impl DocumentSource for WebSource {
    fn fetch<'a>(&'a self, did: &'a Did) -> FetchFuture<'a> {
        Box::pin(async move { self.resolver.fetch(did).await.map_err(|e| e.to_string()) })
    }

    fn describe(&self) -> String {
        "the web (did:web)".into()
    }
}

/// Where a listed key or issuer sits in the list: the levels of its
/// document's DID below the root (`DCC`, `XXA`, `DSC`), and the codes the
/// WHO trust-network context gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placement {
    /// The trust domain (`DCC`, `DDCC`, `-` for any).
    pub domain: Option<String>,
    /// The participant: the jurisdiction (`XXA`).
    pub participant: Option<String>,
    /// The key usage (`DSC`, `SCA`, …).
    pub key_usage: Option<String>,
}

/// A key listed in an embedded document.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedKey {
    /// The key id: the method's fragment (`XPjhL9Znd1M=`, the base64 of an
    /// HCERT kid).
    pub kid: String,
    /// The verification method's id.
    pub method: String,
    /// The public JWK as published (with its `x5c` chain when present).
    pub jwk: Value,
    /// Where it is listed.
    pub placement: Placement,
}

/// A GDHCN trust list: every document reachable from its root, each one's
/// proof verified.
#[derive(Debug, Clone)]
pub struct GdhcnList {
    /// The root DID.
    pub root: Did,
    /// Every document read (the root included), by DID.
    pub documents: HashSet<String>,
    /// DIDs the list names that are not its own sub-lists: accredited
    /// issuers (a DID issuer is listed by its DID), with where they sit.
    pub issuers: Vec<(String, Placement)>,
    /// The keys listed.
    pub keys: Vec<ListedKey>,
    /// Sub-lists that could not be read, with why: an issuer not found
    /// elsewhere may be in one of them.
    pub missing: Vec<(String, String)>,
    /// When the list was read.
    pub read_at: DateTime<Utc>,
    /// The latest `proof.created` among its documents.
    pub signed_at: Option<DateTime<Utc>>,
    /// Every document as read (each one's proof verified), by DID: what a
    /// cache or an offline bundle keeps.
    pub raw: Vec<(Did, Value)>,
}

fn code_of(v: Option<&Value>) -> Option<String> {
    v?.get("code")?
        .as_str()
        .map(|c| c.trim_start_matches('#').to_owned())
}

impl GdhcnList {
    /// Reads the list from `root` through `source`, verifying every
    /// document's proof under `signers` before anything in it is used.
    /// Sub-lists are the DIDs below the root; a document whose proof fails
    /// makes the whole list unusable. A sub-list that cannot be fetched is
    /// recorded in [`GdhcnList::missing`].
    ///
    /// # Errors
    /// [`GdhcnError`]: the root cannot be fetched, a document does not
    /// verify, or the list is too large.
    pub async fn load(
        source: &dyn DocumentSource,
        root: &Did,
        signers: &Signers,
        contexts: &ContextRegistry,
        now: DateTime<Utc>,
    ) -> Result<Self, GdhcnError> {
        let prefix = format!("{}:", root.as_str());
        let mut list = GdhcnList {
            root: root.clone(),
            documents: HashSet::new(),
            issuers: Vec::new(),
            keys: Vec::new(),
            missing: Vec::new(),
            read_at: now,
            signed_at: None,
            raw: Vec::new(),
        };
        let mut frontier = vec![(root.clone(), 0usize)];
        let mut seen = HashSet::new();
        while let Some((did, depth)) = frontier.pop() {
            if !seen.insert(did.as_str().to_owned()) {
                continue;
            }
            if seen.len() > MAX_DOCUMENTS {
                return Err(GdhcnError::TooLarge(format!(
                    "more than {MAX_DOCUMENTS} documents"
                )));
            }
            let doc = match source.fetch(&did).await {
                Ok(d) => d,
                Err(why) if did != *root => {
                    list.missing.push((did.as_str().to_owned(), why));
                    continue;
                }
                Err(why) => {
                    return Err(GdhcnError::Fetch {
                        did: did.as_str().to_owned(),
                        why,
                    });
                }
            };
            if doc.get("id").and_then(Value::as_str) != Some(did.as_str()) {
                return Err(GdhcnError::Malformed {
                    did: did.as_str().to_owned(),
                    why: "the document's id is not the DID it was fetched for",
                });
            }
            Box::pin(verify_document(&doc, signers, contexts)).await?;
            if let Some(created) = doc
                .pointer("/proof/created")
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            {
                let created = created.with_timezone(&Utc);
                list.signed_at = Some(list.signed_at.map_or(created, |s| s.max(created)));
            }
            list.documents.insert(did.as_str().to_owned());
            list.raw.push((did.clone(), doc.clone()));
            let levels: Vec<&str> = did
                .as_str()
                .strip_prefix(&prefix)
                .map(|rest| rest.split(':').collect())
                .unwrap_or_default();
            let placement = Placement {
                domain: levels.first().map(|s| (*s).to_owned()),
                participant: levels.get(1).map(|s| (*s).to_owned()),
                key_usage: levels.get(2).map(|s| (*s).to_owned()),
            };
            let methods = match doc.get("verificationMethod") {
                None => Vec::new(),
                Some(Value::Array(a)) => a.clone(),
                Some(_) => {
                    return Err(GdhcnError::Malformed {
                        did: did.as_str().to_owned(),
                        why: "verificationMethod is not a list",
                    });
                }
            };
            let mut children = Vec::new();
            for m in &methods {
                match m {
                    Value::String(s) => {
                        let Ok(child) = Did::parse(s) else {
                            continue;
                        };
                        if child.as_str().starts_with(&prefix) {
                            if depth + 1 > MAX_DEPTH {
                                return Err(GdhcnError::TooLarge(format!(
                                    "references deeper than {MAX_DEPTH} levels"
                                )));
                            }
                            children.push((child, depth + 1));
                        } else {
                            list.issuers
                                .push((child.as_str().to_owned(), placement.clone()));
                        }
                    }
                    Value::Object(o) => {
                        let (Some(id), Some(jwk)) = (
                            o.get("id").and_then(Value::as_str),
                            o.get("publicKeyJwk").filter(|j| j.is_object()),
                        ) else {
                            continue;
                        };
                        let Some((_, fragment)) = id.split_once('#') else {
                            continue;
                        };
                        let kid = percent_encoding::percent_decode_str(fragment)
                            .decode_utf8_lossy()
                            .into_owned();
                        let placement = Placement {
                            domain: code_of(o.get("domain")).or(placement.domain.clone()),
                            participant: code_of(o.get("participant"))
                                .or(placement.participant.clone()),
                            key_usage: code_of(o.get("keyusage")).or(placement.key_usage.clone()),
                        };
                        if !list.keys.iter().any(|k| k.method == id) {
                            list.keys.push(ListedKey {
                                kid,
                                method: id.to_owned(),
                                jwk: jwk.clone(),
                                placement,
                            });
                        }
                    }
                    _ => {}
                }
            }
            // Depth-first in document order.
            frontier.extend(children.into_iter().rev());
        }
        Ok(list)
    }

    /// The listed key with this key id.
    pub fn key(&self, kid: &str) -> Option<&ListedKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// Writes every document to `folder` in the `did:web` layout (what a
    /// [`FolderSource`] reads back): a cache of the last good copy, or an
    /// offline bundle. Each file is written whole (a temporary file
    /// renamed), so a reader never sees half of one.
    ///
    /// # Errors
    /// The I/O error.
    pub fn write_folder(&self, folder: &Path) -> std::io::Result<()> {
        for (did, doc) in &self.raw {
            let loc =
                ddcc_did::web_location(did).map_err(|e| std::io::Error::other(e.to_string()))?;
            let mut path = folder.to_owned();
            for part in loc.path.split('/').filter(|p| !p.is_empty()) {
                if part == ".." || part == "." {
                    return Err(std::io::Error::other("a path segment leaves the folder"));
                }
                path.push(part);
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, serde_json::to_vec(doc).unwrap_or_default())?;
            std::fs::rename(&tmp, &path)?;
        }
        Ok(())
    }
}
