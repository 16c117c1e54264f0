//! The `bbs-2023` Data Integrity cryptosuite (W3C "Data Integrity BBS
//! Cryptosuites v1.0", baseline feature): a base proof the issuer makes, a
//! derived proof the holder makes for each presentation, revealing only
//! chosen JSON pointers, and its verification.
//!
//! BBS (BLS12-381-SHA-256) comes from `zkryptium`, which follows
//! draft-irtf-cfrg-bbs-signatures-13; signatures and proofs made under
//! draft-06 (the W3C vectors) verify with it, and its signatures are
//! byte-identical to theirs. Everything around BBS is written here:
//! skolemization, JSON pointer selection, the HMAC-shuffled blank node
//! labels, grouping, and the CBOR proof values. It follows the
//! specification's algorithms step by step, over our own JSON-LD → RDF
//! path and RDFC-1.0 (`ddcc-ld`), falling back to the general JSON-LD
//! processor for documents the fast path refuses.
//!
//! Objects without an `id` (blank nodes) are handled as the specification
//! says: they get temporary `urn:bnid:` identifiers while the quads are
//! grouped, never in anything signed or shown. Adding identifiers to the
//! credential would make every presentation linkable.
//!
//! The specification labels blank nodes by an HMAC shuffle fixed per
//! credential; the label map and indexes of every derived proof carry that
//! shuffle, so they are the same in all presentations of one credential
//! and differ between credentials. By default ddcc labels them by the
//! objects' places in the credential instead ([`Labels::Structural`]):
//! a derived proof then says nothing beyond its disclosed values and the
//! credential's shape. Derived proofs stay standard (any verifier checks
//! them); [`Labels::Hmac`] keeps the specification's labels for holders
//! using other software.
//!
//! Nothing here puts document values into errors: messages name pointers,
//! indexes and checks only.

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine as _;
use ciborium::value::{Integer, Value as Cbor};
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;
use zkryptium::bbsplus::keys::{BBSplusPublicKey, BBSplusSecretKey};
use zkryptium::keys::pair::KeyPair;
use zkryptium::schemes::algorithms::BbsBls12381Sha256;
use zkryptium::schemes::generics::{PoKSignature, Signature};

use ddcc_assets::ContextRegistry;
use ddcc_ld::{Dataset, Processor, parse_nquads_deskolemized};

use crate::canon;

/// The cryptosuite name.
pub const CRYPTOSUITE: &str = "bbs-2023";

/// CBOR tag bytes that open a base proof value (baseline feature).
const BASE_HEADER: [u8; 3] = [0xd9, 0x5d, 0x02];
/// CBOR tag bytes that open a derived proof value (baseline feature).
const DERIVED_HEADER: [u8; 3] = [0xd9, 0x5d, 0x03];
/// The IRI prefix of the temporary identifiers given to blank nodes.
const SKOLEM_PREFIX: &str = "urn:bnid:";
/// Multicodec prefix of a BLS12-381 G2 public key (`0xeb`, varint).
const BLS12381G2_MULTICODEC: [u8; 2] = [0xeb, 0x01];
/// Compressed BLS12-381 G2 point length.
const PUBLIC_KEY_LEN: usize = 96;
/// Largest proof value accepted (before decoding).
const MAX_PROOF_VALUE: usize = 64 * 1024;
/// BBS signature length (A in G1, e).
const SIGNATURE_LEN: usize = 80;
/// Most selective-disclosure messages (quads) in one credential.
const MAX_MESSAGES: usize = 4096;

/// Why a `bbs-2023` operation failed. Each names the step; none carries a
/// document value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BbsError {
    /// The document could not be turned into RDF with the pinned contexts.
    #[error("the document could not be read as JSON-LD: {0}")]
    JsonLd(String),
    /// The document has a shape selective disclosure cannot handle (the
    /// temporary identifiers changed its meaning, explicit blank node
    /// identifiers, …).
    #[error("unsupported document shape: {0}")]
    Shape(String),
    /// A JSON pointer is malformed or points at nothing.
    #[error("JSON pointer {0}: {1}")]
    Pointer(String, &'static str),
    /// The key is not a BBS key of the expected form.
    #[error("key: {0}")]
    Key(String),
    /// The proof is not a `bbs-2023` proof of the expected kind, or its
    /// proof value does not decode.
    #[error("proof: {0}")]
    Proof(String),
    /// The BBS signature or proof does not verify over the disclosed data.
    #[error("signature: {0}")]
    Signature(String),
    /// The credential to sign breaks the VC data model.
    #[error("the credential breaks the VC data model: {0}")]
    Model(crate::model::ModelError),
}

// Not `#[from]`: the rule would be both the message and its source.
impl From<crate::model::ModelError> for BbsError {
    fn from(e: crate::model::ModelError) -> Self {
        Self::Model(e)
    }
}

impl BbsError {
    /// The check that failed, as verdicts name it.
    pub fn check(&self) -> &'static str {
        match self {
            Self::JsonLd(_) => "contexts",
            Self::Shape(_) | Self::Pointer(..) | Self::Model(_) => "structure",
            Self::Key(_) => "key",
            Self::Proof(_) => "proof",
            Self::Signature(_) => "signature",
        }
    }
}

/// A BLS12-381 G2 key pair for `bbs-2023`. The secret half is zeroized on
/// drop and never printed.
pub struct BbsKeyPair {
    secret: Zeroizing<[u8; 32]>,
    public: [u8; PUBLIC_KEY_LEN],
}

impl std::fmt::Debug for BbsKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BbsKeyPair")
            .field("public", &self.did_key())
            .finish_non_exhaustive()
    }
}

impl BbsKeyPair {
    /// A fresh random key pair (KeyGen over 64 random bytes).
    ///
    /// # Errors
    /// When key generation fails.
    pub fn generate() -> Result<Self, BbsError> {
        let pair = KeyPair::<BbsBls12381Sha256>::random()
            .map_err(|e| BbsError::Key(format!("generation failed: {e:?}")))?;
        let (sk, pk) = pair.into_parts();
        Ok(Self {
            secret: Zeroizing::new(sk.to_bytes()),
            public: pk.to_bytes(),
        })
    }

    /// The key pair of a secret key (32 bytes, big-endian scalar).
    ///
    /// # Errors
    /// When the bytes are not a valid non-zero scalar.
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, BbsError> {
        let sk = BBSplusSecretKey::from_bytes(bytes)
            .map_err(|_| BbsError::Key("not a BLS12-381 secret key (32-byte scalar)".into()))?;
        let public = sk.public_key().to_bytes();
        let secret = Zeroizing::new(sk.to_bytes());
        if secret.iter().all(|b| *b == 0) {
            return Err(BbsError::Key("the secret key is zero".into()));
        }
        Ok(Self { secret, public })
    }

    /// The secret key bytes (big-endian scalar), for storing in a key file.
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        self.secret.clone()
    }

    /// The compressed G2 public key.
    pub fn public_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.public
    }

    /// The `did:key` (`did:key:zUC7…`) of the public key.
    pub fn did_key(&self) -> String {
        did_key_of(&self.public)
    }

    /// The verification method URL: `did:key:zUC7…#zUC7…`.
    pub fn verification_method(&self) -> String {
        let did = self.did_key();
        let frag = did.trim_start_matches("did:key:").to_owned();
        format!("{did}#{frag}")
    }
}

/// Multicodec prefix of a BLS12-381 G2 secret key (`0x130a`, varint).
const BLS12381G2_PRIV_MULTICODEC: [u8; 2] = [0x8a, 0x26];

impl BbsKeyPair {
    /// Writes the key pair to a new key file (mode 0600, never
    /// overwritten): `publicKeyMultibase` `zUC7…` and the secret key as
    /// multibase with the `bls12_381-g2-priv` multicodec.
    ///
    /// # Errors
    /// When the file exists or cannot be written.
    pub fn write_file(&self, path: &std::path::Path) -> Result<(), ddcc_crypto::KeyError> {
        let mut secret = Zeroizing::new(Vec::with_capacity(34));
        secret.extend_from_slice(&BLS12381G2_PRIV_MULTICODEC);
        secret.extend_from_slice(&self.secret[..]);
        let private = Zeroizing::new(multibase::encode(multibase::Base::Base58Btc, &secret[..]));
        let public = self.did_key();
        ddcc_crypto::write_multikey_file(path, public.trim_start_matches("did:key:"), &private)
    }

    /// Reads a key file written by [`BbsKeyPair::write_file`]. The file must
    /// not be readable by others, and its public key must match.
    ///
    /// # Errors
    /// [`BbsError::Key`] naming what is wrong (never the key).
    pub fn read_file(path: &std::path::Path) -> Result<Self, BbsError> {
        let (private, public) = ddcc_crypto::read_multikey_file(path)
            .map_err(|e| BbsError::Key(format!("key file: {e}")))?;
        let (_, bytes) = multibase::decode(private.as_str())
            .map_err(|_| BbsError::Key("the secret key is not multibase".into()))?;
        let bytes = Zeroizing::new(bytes);
        let Some(secret) = bytes.strip_prefix(&BLS12381G2_PRIV_MULTICODEC) else {
            return Err(BbsError::Key(
                "the key file does not hold a BLS12-381 G2 secret key (multicodec 0x130a)".into(),
            ));
        };
        let pair = Self::from_secret_bytes(secret)?;
        if let Some(p) = public
            && format!("did:key:{p}") != pair.did_key()
        {
            return Err(BbsError::Key(
                "the key file's public key does not match its secret key".into(),
            ));
        }
        Ok(pair)
    }
}

/// The pointers `bbs-2023` credentials issued by ddcc always reveal: the
/// issuer, the types, the validity period, the certificate's issuing
/// authority (its name and country: the jurisdiction a trust list
/// accredits, the same in every credential of the issuer) and (when
/// present) the status entries, so that every check a verifier makes can
/// be made.
pub fn default_mandatory_pointers(credential: &Value) -> Vec<String> {
    [
        "/issuer",
        "/type",
        "/validFrom",
        "/validUntil",
        "/credentialSubject/certificate/issuer",
        "/credentialStatus",
    ]
    .iter()
    .filter(|p| credential.pointer(p).is_some())
    .map(|p| (*p).to_owned())
    .collect()
}

/// The unsigned DDCC credential of a record for a `bbs-2023` issuer: the
/// record checked against the schema and mapped as for any credential, the
/// issuer set to `issuer_did`, and no credential `id` (an identifier would
/// be revealed with every statement about the credential, linking all its
/// presentations).
///
/// # Errors
/// As [`crate::Issuer::credential_from_record`].
pub fn credential_from_record(
    record: &Value,
    now: chrono::DateTime<chrono::Utc>,
    issuer_did: &str,
) -> Result<Value, crate::IssueError> {
    // The mapping from record to credential does not depend on the key;
    // a throwaway Ed25519 issuer runs it. A validity start it fills in is
    // the day's, not the second's (see `issuance_day`).
    let mapper = crate::Issuer::new(ddcc_crypto::SecretKey::generate())?;
    let mut vc = mapper.credential_from_record(record, issuance_day(now))?;
    if let Some(o) = vc.as_object_mut() {
        o.remove("id");
        o.insert("issuer".into(), issuer_did.into());
    }
    Ok(vc)
}

/// The start of `now`'s UTC day: the time a `bbs-2023` credential states
/// for its issuance (its proof's `created`, and `validFrom` when the record
/// gives none). Both are revealed in every presentation, so a time to the
/// second would tell a verifier which few credentials a presentation can
/// come from; a day makes that everyone the issuer served that day.
pub fn issuance_day(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    now.date_naive().and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The `did:key` of a compressed BLS12-381 G2 public key.
pub fn did_key_of(public: &[u8; PUBLIC_KEY_LEN]) -> String {
    let mut bytes = Vec::with_capacity(2 + PUBLIC_KEY_LEN);
    bytes.extend_from_slice(&BLS12381G2_MULTICODEC);
    bytes.extend_from_slice(public);
    format!(
        "did:key:{}",
        multibase::encode(multibase::Base::Base58Btc, bytes)
    )
}

/// The BBS public key a `did:key` verification method names.
///
/// # Errors
/// When the method is not a `did:key` of a BLS12-381 G2 key, or the key is
/// not a valid point.
pub fn public_key_of_method(method: &str) -> Result<[u8; PUBLIC_KEY_LEN], BbsError> {
    let did = method.split('#').next().unwrap_or(method);
    let Some(id) = did.strip_prefix("did:key:") else {
        return Err(BbsError::Key(
            "the verification method is not a did:key (BLS12-381 G2 keys are read from did:key)"
                .into(),
        ));
    };
    if let Some(fragment) = method.split_once('#').map(|(_, f)| f)
        && fragment != id
    {
        return Err(BbsError::Key(
            "the verification method's fragment is not its key".into(),
        ));
    }
    let (_, bytes) =
        multibase::decode(id).map_err(|_| BbsError::Key("the did:key is not multibase".into()))?;
    let Some(key) = bytes.strip_prefix(&BLS12381G2_MULTICODEC) else {
        return Err(BbsError::Key(
            "the did:key is not a BLS12-381 G2 key (multicodec 0xeb)".into(),
        ));
    };
    let key: [u8; PUBLIC_KEY_LEN] = key
        .try_into()
        .map_err(|_| BbsError::Key("a BLS12-381 G2 key is 96 bytes".into()))?;
    check_public_key(&key)?;
    Ok(key)
}

/// The BBS public key of a verification method, from its
/// `publicKeyMultibase` (Multikey, multicodec `0xeb01`), `publicKeyJwk`
/// (`crv: Bls12381G2`) or `publicKeyBase58`.
///
/// # Errors
/// When the method carries no BLS12-381 G2 key, or not a valid one.
pub fn public_key_of_properties(
    props: &Map<String, Value>,
) -> Result<[u8; PUBLIC_KEY_LEN], BbsError> {
    let raw: Vec<u8> = if let Some(mb) = props.get("publicKeyMultibase").and_then(Value::as_str) {
        let (_, bytes) = multibase::decode(mb)
            .map_err(|_| BbsError::Key("publicKeyMultibase is not multibase".into()))?;
        match bytes.strip_prefix(&BLS12381G2_MULTICODEC) {
            Some(k) => k.to_vec(),
            None => {
                return Err(BbsError::Key(
                    "publicKeyMultibase is not a BLS12-381 G2 key (multicodec 0xeb)".into(),
                ));
            }
        }
    } else if let Some(jwk) = props.get("publicKeyJwk").and_then(Value::as_object) {
        if jwk.get("crv").and_then(Value::as_str) != Some("Bls12381G2") {
            return Err(BbsError::Key("publicKeyJwk is not a Bls12381G2 key".into()));
        }
        let x = jwk.get("x").and_then(Value::as_str).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(x)
            .map_err(|_| BbsError::Key("publicKeyJwk x is not base64url".into()))?
    } else if let Some(b58) = props.get("publicKeyBase58").and_then(Value::as_str) {
        multibase::Base::Base58Btc
            .decode(b58)
            .map_err(|_| BbsError::Key("publicKeyBase58 is not base58".into()))?
    } else {
        return Err(BbsError::Key(
            "the method carries no BLS12-381 G2 key".into(),
        ));
    };
    let key: [u8; PUBLIC_KEY_LEN] = raw
        .as_slice()
        .try_into()
        .map_err(|_| BbsError::Key("a BLS12-381 G2 key is 96 bytes".into()))?;
    check_public_key(&key)?;
    Ok(key)
}

/// Public keys already checked (decompression and the subgroup check are
/// a third of a millisecond; a checkpoint sees few issuers many times).
const KEY_CACHE_LIMIT: usize = 64;

fn checked_public_key(key: &[u8; PUBLIC_KEY_LEN]) -> Result<BBSplusPublicKey, BbsError> {
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<[u8; PUBLIC_KEY_LEN], BBSplusPublicKey>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(pk) = cache.lock().ok().and_then(|c| c.get(key).cloned()) {
        return Ok(pk);
    }
    let pk = check_public_key(key)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= KEY_CACHE_LIMIT {
            c.clear();
        }
        c.insert(*key, pk.clone());
    }
    Ok(pk)
}

fn check_public_key(key: &[u8; PUBLIC_KEY_LEN]) -> Result<BBSplusPublicKey, BbsError> {
    // The compressed identity (infinity flag set) would let anyone forge.
    if key[0] & 0x40 != 0 {
        return Err(BbsError::Key("the public key is the identity point".into()));
    }
    BBSplusPublicKey::from_bytes(key)
        .map_err(|_| BbsError::Key("not a point of the BLS12-381 G2 subgroup".into()))
}

/// What a base proof carries (its CBOR components).
#[derive(Clone, PartialEq, Eq)]
pub struct BaseProof {
    /// The BBS signature.
    pub signature: Vec<u8>,
    /// The BBS header: SHA-256(proof configuration) ‖ SHA-256(mandatory quads).
    pub header: Vec<u8>,
    /// The issuer's public key.
    pub public_key: Vec<u8>,
    /// The HMAC key that shuffles blank node labels (a holder secret).
    pub hmac_key: Zeroizing<Vec<u8>>,
    /// The pointers always revealed.
    pub mandatory_pointers: Vec<String>,
}

impl std::fmt::Debug for BaseProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BaseProof")
            .field("mandatory_pointers", &self.mandatory_pointers)
            .finish_non_exhaustive()
    }
}

/// What a derived proof carries (its CBOR components).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedProof {
    /// The BBS proof.
    pub bbs_proof: Vec<u8>,
    /// Canonical blank node number → shuffled label number.
    pub label_map: Vec<(u64, u64)>,
    /// Positions of the mandatory quads among the revealed quads.
    pub mandatory_indexes: Vec<u64>,
    /// Positions of the selectively revealed quads among the BBS messages.
    pub selective_indexes: Vec<u64>,
    /// The presentation header bound into the proof.
    pub presentation_header: Vec<u8>,
}

/// The intermediate values of a base proof, for comparison with test
/// vectors and for audit.
#[derive(Debug, Clone)]
pub struct BaseTransform {
    /// The canonical quads with shuffled labels, sorted.
    pub quads: Vec<String>,
    /// Indexes (into `quads`) of the mandatory quads.
    pub mandatory: Vec<usize>,
    /// Indexes (into `quads`) of the other quads: the BBS messages.
    pub non_mandatory: Vec<usize>,
    /// SHA-256 of the canonical proof configuration.
    pub proof_hash: [u8; 32],
    /// SHA-256 of the mandatory quads.
    pub mandatory_hash: [u8; 32],
}

/// The intermediate values of a derivation.
#[derive(Debug, Clone)]
pub struct DerivedTransform {
    /// The document revealed (mandatory and selected pointers), without proof.
    pub reveal_document: Value,
    /// The proof components.
    pub proof: DerivedProof,
}

/// Selection options for a derivation.
#[derive(Debug, Clone, Default)]
pub struct DeriveOptions {
    /// The pointers to reveal besides the mandatory ones.
    pub selective_pointers: Vec<String>,
    /// The presentation header (a verifier's nonce, or fresh random bytes).
    pub presentation_header: Vec<u8>,
}

/// How the issuer labels the credential's blank nodes in the signed quads.
///
/// The labels travel in every derived proof (its label map and indexes),
/// so they decide what a presentation says about the credential besides
/// its disclosed values.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Labels {
    /// Labels in the order of the objects' places in the credential (their
    /// JSON paths), the same for every credential of one shape. The label
    /// map and indexes of a derived proof then depend only on the disclosed
    /// values and the shape: two presentations of one credential look like
    /// presentations of two credentials with the same disclosed values.
    /// The base proof carries an empty HMAC key to say so; holders
    /// following only the specification cannot derive from it (verifiers
    /// are unaffected: the derived proof is a standard one).
    #[default]
    Structural,
    /// The specification's HMAC-shuffled labels, with this key (fresh
    /// random when `None`). The shuffle is fixed per credential, so its
    /// label map and indexes are the same in every presentation of that
    /// credential and differ between credentials.
    Hmac(Option<[u8; 32]>),
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Structural => f.write_str("Structural"),
            Self::Hmac(_) => f.write_str("Hmac(..)"),
        }
    }
}

/// The label key of one document (borrowed from the proof).
#[derive(Clone, Copy)]
enum LabelKey<'a> {
    Structural,
    Hmac(&'a [u8; 32]),
}

impl<'a> LabelKey<'a> {
    /// The scheme a base proof's HMAC key component says: empty for
    /// structural labels, 32 bytes for the specification's shuffle.
    fn of_base(key: &'a [u8]) -> Result<Self, BbsError> {
        if key.is_empty() {
            return Ok(Self::Structural);
        }
        key.try_into().map(Self::Hmac).map_err(|_| {
            BbsError::Proof("the HMAC key is neither 32 bytes nor empty (structural labels)".into())
        })
    }
}

/// The `bbs-2023` cryptosuite over the pinned contexts.
pub struct Bbs2023 {
    processor: Processor,
    registry: ContextRegistry,
}

impl std::fmt::Debug for Bbs2023 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bbs2023").finish_non_exhaustive()
    }
}

/// A document's quads, canonicalized with shuffled labels, and what is
/// needed to select from it.
struct Grouping {
    skolemized: Value,
    lines: Vec<String>,
    /// Blank node label (in the skolemized document) → shuffled number.
    label_of: HashMap<String, u64>,
}

impl Bbs2023 {
    /// The suite over a context registry (contexts are never fetched).
    ///
    /// # Errors
    /// When a pinned context cannot be compiled.
    pub fn new(registry: ContextRegistry) -> Result<Self, BbsError> {
        let processor = Processor::new(registry.iter().map(|e| (e.url.as_str(), &*e.text)))
            .map_err(|e| BbsError::JsonLd(e.to_string()))?;
        Ok(Self {
            processor,
            registry,
        })
    }

    /// Signs `document` with a base proof: every quad is signed, the quads
    /// the mandatory pointers select are fixed into the header, the others
    /// become BBS messages the holder may later reveal one by one.
    ///
    /// `created` is the proof's creation time (XML Schema dateTime), and
    /// `labels` how blank nodes are labelled ([`Labels`]).
    ///
    /// # Errors
    /// A [`BbsError`] naming the step.
    pub async fn sign_base(
        &self,
        document: &Value,
        key: &BbsKeyPair,
        mandatory_pointers: &[String],
        created: Option<&str>,
        labels: Labels,
    ) -> Result<Value, BbsError> {
        let doc = without_proof(document)?;
        crate::model::check_document(&doc)?;
        let hmac_key: Option<Zeroizing<[u8; 32]>> = match labels {
            Labels::Structural => None,
            Labels::Hmac(Some(k)) => Some(Zeroizing::new(k)),
            Labels::Hmac(None) => {
                let mut k = Zeroizing::new([0u8; 32]);
                rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut k[..]);
                Some(k)
            }
        };
        let mut proof = Map::new();
        proof.insert("type".into(), "DataIntegrityProof".into());
        proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
        if let Some(c) = created {
            proof.insert("created".into(), c.into());
        }
        proof.insert(
            "verificationMethod".into(),
            key.verification_method().into(),
        );
        proof.insert("proofPurpose".into(), "assertionMethod".into());
        let transform = self
            .base_transform(&doc, &proof, mandatory_pointers, hmac_key.as_deref())
            .await?;
        let header = [transform.proof_hash, transform.mandatory_hash].concat();
        let messages: Vec<Vec<u8>> = transform
            .non_mandatory
            .iter()
            .map(|i| transform.quads[*i].as_bytes().to_vec())
            .collect();
        let pk = checked_public_key(&key.public)?;
        let sk = BBSplusSecretKey::from_bytes(&key.secret[..])
            .map_err(|_| BbsError::Key("not a BLS12-381 secret key".into()))?;
        let signature =
            Signature::<BbsBls12381Sha256>::sign(Some(&messages), &sk, &pk, Some(&header))
                .map_err(|e| BbsError::Signature(format!("signing failed: {e:?}")))?;
        let base = BaseProof {
            signature: signature.to_bytes().to_vec(),
            header,
            public_key: key.public.to_vec(),
            hmac_key: Zeroizing::new(hmac_key.map(|k| k.to_vec()).unwrap_or_default()),
            mandatory_pointers: mandatory_pointers.to_vec(),
        };
        proof.insert("proofValue".into(), encode_base_proof(&base)?.into());
        let mut out = doc;
        out.insert("proof".into(), Value::Object(proof));
        Ok(Value::Object(out))
    }

    /// Signs a document every member of which a verifier sees: a base
    /// proof with all members mandatory, derived at once (empty
    /// presentation header), since verifiers check derived proofs only.
    /// What a `bbs-2023` issuer publishes, such as its status lists.
    ///
    /// # Errors
    /// A [`BbsError`] naming the step.
    pub async fn sign_disclosed(
        &self,
        document: &Value,
        key: &BbsKeyPair,
        created: Option<&str>,
    ) -> Result<Value, BbsError> {
        let doc = without_proof(document)?;
        let pointers: Vec<String> = doc
            .keys()
            .filter(|k| k.as_str() != "@context")
            .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
            .collect();
        let base = self
            .sign_base(
                &Value::Object(doc),
                key,
                &pointers,
                created,
                Labels::Structural,
            )
            .await?;
        self.derive(&base, &DeriveOptions::default()).await
    }

    /// Signs a status list as its `bbs-2023` issuer (see
    /// [`Bbs2023::sign_disclosed`]): the list credential to publish at its
    /// URL, valid from `now` (a list is the same for every holder, so its
    /// time links nobody).
    ///
    /// # Errors
    /// A [`BbsError`] naming the step.
    pub async fn sign_status_list(
        &self,
        list: &ddcc_status::StatusList,
        key: &BbsKeyPair,
        now: chrono::DateTime<chrono::Utc>,
        valid_until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Value, BbsError> {
        use chrono::SecondsFormat::Secs;
        let from = now.to_rfc3339_opts(Secs, true);
        let until = valid_until.map(|u| u.to_rfc3339_opts(Secs, true));
        let unsigned = list.to_credential(&key.did_key(), &from, until.as_deref());
        self.sign_disclosed(&unsigned, key, Some(&from)).await
    }

    /// The base proof's intermediate values for a document (without its
    /// proof) and a proof configuration (without `proofValue`), with the
    /// specification's shuffled labels under `hmac_key`, or structural
    /// labels when it is `None` ([`Labels`]).
    ///
    /// # Errors
    /// A [`BbsError`] naming the step.
    pub async fn base_transform(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
        mandatory_pointers: &[String],
        hmac_key: Option<&[u8; 32]>,
    ) -> Result<BaseTransform, BbsError> {
        let proof_hash = self.proof_hash(doc, proof).await?;
        let key = hmac_key.map_or(LabelKey::Structural, LabelKey::Hmac);
        let grouping = self.group(doc, key).await?;
        let matching = self.select_lines(&grouping, mandatory_pointers).await?;
        let (mandatory, non_mandatory): (Vec<usize>, Vec<usize>) =
            (0..grouping.lines.len()).partition(|i| matching.contains(&grouping.lines[*i]));
        if non_mandatory.len() > MAX_MESSAGES {
            return Err(BbsError::Shape(format!(
                "{} quads to sign one by one; at most {MAX_MESSAGES}",
                non_mandatory.len()
            )));
        }
        let mandatory_hash = hash_lines(mandatory.iter().map(|i| &grouping.lines[*i]));
        Ok(BaseTransform {
            quads: grouping.lines,
            mandatory,
            non_mandatory,
            proof_hash,
            mandatory_hash,
        })
    }

    /// Derives a credential revealing the mandatory pointers and
    /// `options.selective_pointers`, with a BBS proof made with fresh
    /// randomness: two derivations of one credential share nothing but
    /// what they reveal.
    ///
    /// # Errors
    /// A [`BbsError`] naming the step.
    pub async fn derive(&self, signed: &Value, options: &DeriveOptions) -> Result<Value, BbsError> {
        let derived = self.derive_transform(signed, options).await?;
        let proof_in = signed
            .get("proof")
            .and_then(Value::as_object)
            .ok_or_else(|| BbsError::Proof("the credential has no proof".into()))?;
        let mut proof = proof_in.clone();
        proof.insert(
            "proofValue".into(),
            encode_derived_proof(&derived.proof)?.into(),
        );
        let mut out = match derived.reveal_document {
            Value::Object(o) => o,
            _ => {
                return Err(BbsError::Shape(
                    "the reveal document is not an object".into(),
                ));
            }
        };
        out.insert("proof".into(), Value::Object(proof));
        Ok(Value::Object(out))
    }

    /// The derivation's intermediate values (see [`Bbs2023::derive`]).
    ///
    /// # Errors
    /// A [`BbsError`] naming the step.
    pub async fn derive_transform(
        &self,
        signed: &Value,
        options: &DeriveOptions,
    ) -> Result<DerivedTransform, BbsError> {
        let proof = bbs_proof_of(signed)?;
        let base = decode_base_proof(proof_value_of(proof)?)?;
        let doc = without_proof(signed)?;
        let key = LabelKey::of_base(&base.hmac_key)?;
        let public: [u8; PUBLIC_KEY_LEN] = base.public_key[..]
            .try_into()
            .map_err(|_| BbsError::Proof("the public key is not 96 bytes".into()))?;
        let pk = checked_public_key(&public)?;

        let combined: Vec<String> = base
            .mandatory_pointers
            .iter()
            .chain(&options.selective_pointers)
            .cloned()
            .collect();
        let reveal = select_json_ld(&combined, &Value::Object(doc.clone()))?
            .ok_or_else(|| BbsError::Pointer(String::new(), "nothing selected"))?;

        let grouping = self.group(&doc, key).await?;
        let mandatory = self
            .select_lines(&grouping, &base.mandatory_pointers)
            .await?;
        let selective = self
            .select_lines(&grouping, &options.selective_pointers)
            .await?;
        let combined_sel = self.select_lines(&grouping, &combined).await?;

        let lines = &grouping.lines;
        let combined_indexes: Vec<usize> = (0..lines.len())
            .filter(|i| combined_sel.contains(&lines[*i]))
            .collect();
        let non_mandatory: Vec<usize> = (0..lines.len())
            .filter(|i| !mandatory.contains(&lines[*i]))
            .collect();
        let mandatory_indexes: Vec<u64> = (0..lines.len())
            .filter(|i| mandatory.contains(&lines[*i]))
            .filter_map(|i| combined_indexes.iter().position(|c| *c == i))
            .map(|p| p as u64)
            .collect();
        let selective_indexes: Vec<usize> = (0..lines.len())
            .filter(|i| selective.contains(&lines[*i]))
            .filter_map(|i| non_mandatory.iter().position(|n| *n == i))
            .collect();

        // The verifier's label map: the revealed quads' canonical labels →
        // the shuffled labels of the full document.
        let selection = select_json_ld(&combined, &grouping.skolemized)?;
        let mut label_map = Vec::new();
        if let Some(sel) = selection {
            let (dataset, names) = self.dataset(&sel).await?;
            let numbers = dataset
                .canonical_numbers()
                .map_err(|e| BbsError::Shape(e.to_string()))?;
            for (b, n) in numbers.iter().enumerate() {
                if let (Some(n), Some(name)) = (n, names.get(b))
                    && let Some(shuffled) = grouping.label_of.get(name)
                {
                    label_map.push((u64::from(*n), *shuffled));
                }
            }
            label_map.sort_unstable();
        }

        let messages: Vec<Vec<u8>> = non_mandatory
            .iter()
            .map(|i| lines[*i].as_bytes().to_vec())
            .collect();
        let bbs_proof = PoKSignature::<BbsBls12381Sha256>::proof_gen(
            &pk,
            &base.signature,
            Some(&base.header),
            Some(&options.presentation_header),
            Some(&messages),
            Some(&selective_indexes),
        )
        .map_err(|e| BbsError::Signature(format!("proof generation failed: {e:?}")))?
        .to_bytes();

        Ok(DerivedTransform {
            reveal_document: reveal,
            proof: DerivedProof {
                bbs_proof,
                label_map,
                mandatory_indexes,
                selective_indexes: selective_indexes.iter().map(|i| *i as u64).collect(),
                presentation_header: options.presentation_header.clone(),
            },
        })
    }

    /// Verifies a derived `bbs-2023` proof with the given public key (the
    /// caller binds the key to the issuer). Base proofs are refused: they
    /// are for the holder, not for verifiers.
    ///
    /// # Errors
    /// A [`BbsError`] naming the failed check.
    pub async fn verify_derived(
        &self,
        derived: &Value,
        public_key: &[u8; PUBLIC_KEY_LEN],
    ) -> Result<DerivedProof, BbsError> {
        let proof = bbs_proof_of(derived)?;
        let value = proof_value_of(proof)?;
        let parsed = decode_derived_proof(value)?;
        let pk = checked_public_key(public_key)?;
        let doc = without_proof(derived)?;
        let proof_hash = self.proof_hash(&doc, proof).await?;

        let (dataset, _) = self.dataset(&Value::Object(doc)).await?;
        let numbers = dataset
            .canonical_numbers()
            .map_err(|e| BbsError::Shape(e.to_string()))?;
        let map: HashMap<u64, u64> = parsed.label_map.iter().copied().collect();
        let mut relabel = Vec::with_capacity(numbers.len());
        for n in &numbers {
            match n {
                None => relabel.push(None),
                Some(n) => match map.get(&u64::from(*n)) {
                    Some(b) => relabel.push(Some(*b)),
                    None => {
                        return Err(BbsError::Proof(format!(
                            "the label map has no entry for blank node c14n{n}"
                        )));
                    }
                },
            }
        }
        let lines = shuffled_lines(&dataset, &relabel);

        let mandatory_set = strictly_increasing(&parsed.mandatory_indexes, lines.len())
            .map_err(|e| BbsError::Proof(format!("mandatory indexes {e}")))?;
        let mut mandatory = Vec::new();
        let mut disclosed = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if mandatory_set.contains(&(i as u64)) {
                mandatory.push(line);
            } else {
                disclosed.push(line.as_bytes().to_vec());
            }
        }
        if parsed.selective_indexes.len() != disclosed.len() {
            return Err(BbsError::Proof(format!(
                "{} selective indexes for {} disclosed quads",
                parsed.selective_indexes.len(),
                disclosed.len()
            )));
        }
        let selective: Vec<usize> = parsed
            .selective_indexes
            .iter()
            .map(|i| *i as usize)
            .collect();
        // The proof's length fixes the number of undisclosed messages.
        let scalars = parsed
            .bbs_proof
            .len()
            .checked_sub(3 * 48 + 4 * 32)
            .filter(|r| r % 32 == 0)
            .ok_or_else(|| BbsError::Proof("the BBS proof has a wrong length".into()))?;
        let total = disclosed.len() + scalars / 32;
        strictly_increasing(&parsed.selective_indexes, total)
            .map_err(|e| BbsError::Proof(format!("selective indexes {e}")))?;
        let mandatory_hash = hash_lines(mandatory.into_iter());
        let header = [proof_hash, mandatory_hash].concat();
        let bbs = PoKSignature::<BbsBls12381Sha256>::from_bytes(&parsed.bbs_proof)
            .map_err(|_| BbsError::Proof("the BBS proof does not decode".into()))?;
        bbs.proof_verify(
            &pk,
            Some(&disclosed),
            Some(&selective),
            Some(&header),
            Some(&parsed.presentation_header),
        )
        .map_err(|_| {
            BbsError::Signature(
                "the BBS proof does not verify over the revealed data: it was altered, or derived from a credential signed by another key"
                    .into(),
            )
        })?;
        Ok(parsed)
    }

    /// SHA-256 of the canonical proof configuration.
    async fn proof_hash(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
    ) -> Result<[u8; 32], BbsError> {
        // Only the document's @context goes into the configuration.
        let mut context = Map::new();
        if let Some(ctx) = doc.get("@context") {
            context.insert("@context".into(), ctx.clone());
        }
        let config =
            canon::proof_configuration(&Value::Object(context), &Value::Object(proof.clone()));
        let (dataset, _) = self.dataset(&config).await?;
        let canonical = dataset
            .canonicalize()
            .map_err(|e| BbsError::Shape(e.to_string()))?;
        Ok(canonical.sha256())
    }

    /// Skolemizes, canonicalizes and relabels a document with the shuffled
    /// HMAC labels or the structural ones (the specification's
    /// `canonicalizeAndGroup`, before any group is selected).
    async fn group(
        &self,
        doc: &Map<String, Value>,
        key: LabelKey<'_>,
    ) -> Result<Grouping, BbsError> {
        let mut skolemized = Value::Object(doc.clone());
        let mut paths = Vec::new();
        skolemize(&mut skolemized, &mut paths, &mut String::new(), true)?;
        let (dataset, names) = self.dataset(&skolemized).await?;
        // The temporary identifiers must not change what the document says.
        let (original, _) = self.dataset(&Value::Object(doc.clone())).await?;
        let a = original
            .canonicalize()
            .map_err(|e| BbsError::Shape(e.to_string()))?;
        let b = dataset
            .canonicalize()
            .map_err(|e| BbsError::Shape(e.to_string()))?;
        if a != b {
            return Err(BbsError::Shape(
                "giving blank nodes temporary identifiers changed the document's RDF (a JSON literal, language or index map holding objects?)"
                    .into(),
            ));
        }
        let numbers = dataset
            .canonical_numbers()
            .map_err(|e| BbsError::Shape(e.to_string()))?;
        let shuffled = match key {
            LabelKey::Hmac(k) => shuffled_labels(&numbers, k),
            LabelKey::Structural => structural_labels(&names, &paths)?,
        };
        let mut label_of = HashMap::new();
        for (b, s) in shuffled.iter().enumerate() {
            if let (Some(s), Some(name)) = (s, names.get(b)) {
                label_of.insert(name.clone(), *s);
            }
        }
        let lines = shuffled_lines(&dataset, &shuffled);
        Ok(Grouping {
            skolemized,
            lines,
            label_of,
        })
    }

    /// The quads (with shuffled labels) the pointers select.
    async fn select_lines(
        &self,
        grouping: &Grouping,
        pointers: &[String],
    ) -> Result<HashSet<String>, BbsError> {
        let Some(selection) = select_json_ld(pointers, &grouping.skolemized)? else {
            return Ok(HashSet::new());
        };
        let (dataset, names) = self.dataset(&selection).await?;
        let labels: Vec<String> = names
            .iter()
            .map(|n| match grouping.label_of.get(n) {
                Some(s) => format!("b{s}"),
                // Not a node of the document (cannot match any quad).
                None => format!("unmatched-{n}"),
            })
            .collect();
        Ok(dataset
            .relabelled(&|b| labels.get(b as usize).cloned().unwrap_or_default())
            .lines()
            .map(str::to_owned)
            .collect())
    }

    /// A document's RDF dataset, with `urn:bnid:` identifiers read back as
    /// blank nodes, and the dataset's blank node labels.
    async fn dataset(&self, doc: &Value) -> Result<(Dataset, Vec<String>), BbsError> {
        let normalized;
        let doc = if has_integral_float(doc) {
            let mut d = doc.clone();
            integral_floats_to_integers(&mut d);
            normalized = d;
            &normalized
        } else {
            doc
        };
        let text = match self.processor.to_dataset(doc) {
            Ok(d) => d.relabelled(&|b| format!("r{b}")).to_nquads(),
            Err(_) => canon::canonical_form(doc, &self.registry)
                .await
                .map_err(|e| BbsError::JsonLd(e.to_string()))?
                .concat(),
        };
        parse_nquads_deskolemized(&text, Some(SKOLEM_PREFIX))
            .map_err(|e| BbsError::JsonLd(format!("the RDF did not read back: {e}")))
    }
}

/// The dataset's quads, sorted, with blank node `b` labelled `_:b{n}` by
/// its shuffled number (a node without one cannot match a signed quad).
fn shuffled_lines(dataset: &Dataset, shuffled: &[Option<u64>]) -> Vec<String> {
    dataset
        .relabelled(&|b| match shuffled.get(b as usize).copied().flatten() {
            Some(n) => format!("b{n}"),
            None => format!("x{b}"),
        })
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Whether a number written with a fraction has an integral value (`7.0`).
fn integral_float(n: &serde_json::Number) -> Option<i64> {
    let f = n.as_f64().filter(|_| n.is_f64())?;
    // JSON-LD types a number by its value: an integral value below 10^21
    // is an xsd:integer however it is written (JSON-LD 1.1 §8.6, as
    // jsonld.js does). `ssi`'s processor types `7.0` as xsd:double.
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

fn has_integral_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => integral_float(n).is_some(),
        Value::Array(a) => a.iter().any(has_integral_float),
        Value::Object(o) => o.values().any(has_integral_float),
        _ => false,
    }
}

fn integral_floats_to_integers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(i) = integral_float(n) {
                *v = Value::from(i);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(o) => o.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

/// Gives every node object without an `id` a temporary `urn:bnid:`
/// identifier (the specification's skolemization, on the compacted form),
/// and records each one's place in the document (its JSON Pointer,
/// whatever the order of members) in `paths`, by identifier number.
fn skolemize(
    v: &mut Value,
    paths: &mut Vec<String>,
    path: &mut String,
    node: bool,
) -> Result<(), BbsError> {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                skolemize(item, paths, path, true)?;
                path.truncate(len);
            }
        }
        Value::Object(o) => {
            if o.contains_key("@value") {
                return Ok(());
            }
            for list in ["@list", "@set"] {
                if let Some(inner) = o.get_mut(list) {
                    return skolemize(inner, paths, path, true);
                }
            }
            if node {
                match o.get("id").or_else(|| o.get("@id")) {
                    None => {
                        o.insert(
                            "id".into(),
                            format!("{SKOLEM_PREFIX}s{}", paths.len()).into(),
                        );
                        paths.push(path.clone());
                    }
                    Some(Value::String(id)) if id.starts_with("_:") => {
                        return Err(BbsError::Shape(
                            "explicit blank node identifiers (\"_:…\") are not supported".into(),
                        ));
                    }
                    Some(_) => {}
                }
            }
            for (k, child) in o.iter_mut() {
                if matches!(k.as_str(), "@context" | "id" | "@id" | "type" | "@type") {
                    continue;
                }
                let len = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                skolemize(child, paths, path, true)?;
                path.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The structural label number of each blank node: the rank of its JSON
/// Pointer among those of all the document's blank nodes ([`Labels::Structural`]).
/// Every blank node must be an object of the document.
fn structural_labels(names: &[String], paths: &[String]) -> Result<Vec<Option<u64>>, BbsError> {
    let place = |name: &String| {
        name.strip_prefix('s')
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| paths.get(n))
    };
    let mut places = Vec::with_capacity(names.len());
    for name in names {
        places.push(place(name).ok_or_else(|| {
            BbsError::Shape(
                "a blank node that is not an object of the document (a list?) has no structural label; issue with HMAC labels"
                    .into(),
            )
        })?);
    }
    let mut sorted = places.clone();
    sorted.sort();
    sorted.dedup();
    Ok(places
        .iter()
        .map(|p| sorted.binary_search(p).ok().map(|r| r as u64))
        .collect())
}

/// The shuffled label number of each blank node: HMAC-SHA256 of its
/// canonical label, the digests sorted, each node numbered by its digest's
/// rank (the specification's `createShuffledIdLabelMapFunction`).
fn shuffled_labels(numbers: &[Option<u32>], key: &[u8; 32]) -> Vec<Option<u64>> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let ids: Vec<Option<String>> = numbers
        .iter()
        .map(|n| {
            n.and_then(|n| {
                let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
                mac.update(format!("c14n{n}").as_bytes());
                Some(format!("u{}", b64.encode(mac.finalize().into_bytes())))
            })
        })
        .collect();
    let mut sorted: Vec<&String> = ids.iter().flatten().collect();
    sorted.sort();
    sorted.dedup();
    ids.iter()
        .map(|id| {
            id.as_ref()
                .and_then(|id| sorted.binary_search(&id).ok())
                .map(|r| r as u64)
        })
        .collect()
}

fn hash_lines<'a>(lines: impl Iterator<Item = &'a String>) -> [u8; 32] {
    let mut h = Sha256::new();
    for l in lines {
        h.update(l.as_bytes());
    }
    h.finalize().into()
}

fn strictly_increasing(indexes: &[u64], bound: usize) -> Result<HashSet<u64>, String> {
    let mut prev: Option<u64> = None;
    for i in indexes {
        if *i as usize >= bound {
            return Err(format!("point past the {bound} quads"));
        }
        if prev.is_some_and(|p| p >= *i) {
            return Err("are not strictly increasing".into());
        }
        prev = Some(*i);
    }
    Ok(indexes.iter().copied().collect())
}

fn without_proof(document: &Value) -> Result<Map<String, Value>, BbsError> {
    let mut doc = document
        .as_object()
        .cloned()
        .ok_or_else(|| BbsError::Shape("the credential is not a JSON object".into()))?;
    doc.remove("proof");
    Ok(doc)
}

fn bbs_proof_of(document: &Value) -> Result<&Map<String, Value>, BbsError> {
    let proof = match document.get("proof") {
        Some(Value::Object(p)) => p,
        Some(Value::Array(_)) => {
            return Err(BbsError::Proof(
                "several proofs; a bbs-2023 credential carries one".into(),
            ));
        }
        _ => return Err(BbsError::Proof("the credential has no proof".into())),
    };
    if proof.get("type").and_then(Value::as_str) != Some("DataIntegrityProof")
        || proof.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE)
    {
        return Err(BbsError::Proof(
            "not a DataIntegrityProof with cryptosuite bbs-2023".into(),
        ));
    }
    if proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err(BbsError::Proof(
            "the proof purpose is not assertionMethod".into(),
        ));
    }
    if let Some(problem) = crate::model::proof_dates_problem(proof) {
        return Err(BbsError::Proof(problem));
    }
    Ok(proof)
}

fn proof_value_of(proof: &Map<String, Value>) -> Result<&str, BbsError> {
    proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or_else(|| BbsError::Proof("proofValue is missing or not a string".into()))
}

fn decode_proof_value(value: &str, header: [u8; 3]) -> Result<Vec<Cbor>, BbsError> {
    if value.len() > MAX_PROOF_VALUE {
        return Err(BbsError::Proof(format!(
            "proofValue is longer than {MAX_PROOF_VALUE} characters"
        )));
    }
    let Some(b64) = value.strip_prefix('u') else {
        return Err(BbsError::Proof(
            "proofValue is not multibase base64url (no 'u' header)".into(),
        ));
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|_| BbsError::Proof("proofValue is not base64url".into()))?;
    let Some(body) = bytes.strip_prefix(&header) else {
        return Err(match bytes.get(..3) {
            Some([0xd9, 0x5d, 0x02]) => BbsError::Proof(
                "this is a base proof: only the holder derives from it; verifiers get derived proofs"
                    .into(),
            ),
            Some([0xd9, 0x5d, 0x03]) => {
                BbsError::Proof("this is a derived proof, not a base proof".into())
            }
            _ => BbsError::Proof(
                "proofValue does not start with a bbs-2023 baseline header".into(),
            ),
        });
    };
    let cbor: Cbor = ciborium::from_reader(body)
        .map_err(|_| BbsError::Proof("proofValue is not CBOR".into()))?;
    match cbor {
        Cbor::Array(items) => Ok(items),
        _ => Err(BbsError::Proof("proofValue is not a CBOR array".into())),
    }
}

fn bytes_of(v: Cbor, what: &str) -> Result<Vec<u8>, BbsError> {
    match v {
        Cbor::Bytes(b) => Ok(b),
        _ => Err(BbsError::Proof(format!("{what} is not a byte string"))),
    }
}

fn uint_of(v: &Cbor, what: &str) -> Result<u64, BbsError> {
    match v {
        Cbor::Integer(i) => u64::try_from(*i)
            .map_err(|_| BbsError::Proof(format!("{what} is not an unsigned integer"))),
        _ => Err(BbsError::Proof(format!("{what} is not an integer"))),
    }
}

fn uints_of(v: Cbor, what: &str) -> Result<Vec<u64>, BbsError> {
    match v {
        Cbor::Array(items) => items.iter().map(|i| uint_of(i, what)).collect(),
        _ => Err(BbsError::Proof(format!("{what} is not an array"))),
    }
}

/// Decodes a base proof value.
///
/// # Errors
/// When it is not a baseline `bbs-2023` base proof value.
pub fn decode_base_proof(value: &str) -> Result<BaseProof, BbsError> {
    let items = decode_proof_value(value, BASE_HEADER)?;
    let [sig, header, pk, hmac_key, pointers]: [Cbor; 5] = items
        .try_into()
        .map_err(|_| BbsError::Proof("a base proof value has 5 components".into()))?;
    let signature = bytes_of(sig, "the BBS signature")?;
    if signature.len() != SIGNATURE_LEN {
        return Err(BbsError::Proof("the BBS signature is not 80 bytes".into()));
    }
    let header = bytes_of(header, "the BBS header")?;
    if header.len() != 64 {
        return Err(BbsError::Proof("the BBS header is not 64 bytes".into()));
    }
    let public_key = bytes_of(pk, "the public key")?;
    let hmac_key = Zeroizing::new(bytes_of(hmac_key, "the HMAC key")?);
    let mandatory_pointers = match pointers {
        Cbor::Array(ps) => ps
            .into_iter()
            .map(|p| match p {
                Cbor::Text(t) => Ok(t),
                _ => Err(BbsError::Proof("a mandatory pointer is not text".into())),
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(BbsError::Proof(
                "the mandatory pointers are not an array".into(),
            ));
        }
    };
    Ok(BaseProof {
        signature,
        header,
        public_key,
        hmac_key,
        mandatory_pointers,
    })
}

/// Decodes a derived proof value.
///
/// # Errors
/// When it is not a baseline `bbs-2023` derived proof value.
pub fn decode_derived_proof(value: &str) -> Result<DerivedProof, BbsError> {
    let items = decode_proof_value(value, DERIVED_HEADER)?;
    let [proof, map, mandatory, selective, ph]: [Cbor; 5] = items
        .try_into()
        .map_err(|_| BbsError::Proof("a derived proof value has 5 components".into()))?;
    let bbs_proof = bytes_of(proof, "the BBS proof")?;
    let label_map = match map {
        Cbor::Map(entries) => entries
            .iter()
            .map(|(k, v)| {
                Ok((
                    uint_of(k, "a label map key")?,
                    uint_of(v, "a label map value")?,
                ))
            })
            .collect::<Result<Vec<_>, BbsError>>()?,
        _ => return Err(BbsError::Proof("the label map is not a map".into())),
    };
    let mut keys: Vec<u64> = label_map.iter().map(|(k, _)| *k).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.len() != label_map.len() {
        return Err(BbsError::Proof("the label map repeats a key".into()));
    }
    Ok(DerivedProof {
        bbs_proof,
        label_map,
        mandatory_indexes: uints_of(mandatory, "a mandatory index")?,
        selective_indexes: uints_of(selective, "a selective index")?,
        presentation_header: bytes_of(ph, "the presentation header")?,
    })
}

fn encode(header: [u8; 3], items: Vec<Cbor>) -> Result<String, BbsError> {
    let mut out = header.to_vec();
    ciborium::into_writer(&Cbor::Array(items), &mut out)
        .map_err(|_| BbsError::Proof("CBOR encoding failed".into()))?;
    Ok(format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
    ))
}

/// Encodes a base proof value.
///
/// # Errors
/// When CBOR encoding fails.
pub fn encode_base_proof(base: &BaseProof) -> Result<String, BbsError> {
    encode(
        BASE_HEADER,
        vec![
            Cbor::Bytes(base.signature.clone()),
            Cbor::Bytes(base.header.clone()),
            Cbor::Bytes(base.public_key.clone()),
            Cbor::Bytes(base.hmac_key.to_vec()),
            Cbor::Array(
                base.mandatory_pointers
                    .iter()
                    .map(|p| Cbor::Text(p.clone()))
                    .collect(),
            ),
        ],
    )
}

/// Encodes a derived proof value.
///
/// # Errors
/// When CBOR encoding fails.
pub fn encode_derived_proof(d: &DerivedProof) -> Result<String, BbsError> {
    let int = |i: u64| Cbor::Integer(Integer::from(i));
    encode(
        DERIVED_HEADER,
        vec![
            Cbor::Bytes(d.bbs_proof.clone()),
            Cbor::Map(
                d.label_map
                    .iter()
                    .map(|(k, v)| (int(*k), int(*v)))
                    .collect(),
            ),
            Cbor::Array(d.mandatory_indexes.iter().map(|i| int(*i)).collect()),
            Cbor::Array(d.selective_indexes.iter().map(|i| int(*i)).collect()),
            Cbor::Bytes(d.presentation_header.clone()),
        ],
    )
}

/// The pointers a disclosure profile reveals in a credential: its paths
/// (relative to the subject, as in `profiles/disclosure-profiles.json`)
/// under `/credentialSubject`, keeping those the credential has. `*`
/// reveals the whole subject.
pub fn profile_pointers(credential: &Value, reveal: &[String]) -> Vec<String> {
    if reveal.iter().any(|r| r == "*") {
        return vec!["/credentialSubject".to_owned()];
    }
    reveal
        .iter()
        .map(|p| format!("/credentialSubject{p}"))
        .filter(|p| credential.pointer(p).is_some())
        .collect()
}

/// A selection being built: parts of the document chosen so far.
enum Sel {
    Full(Value),
    Obj(Vec<(String, Sel)>),
    Arr(BTreeMap<usize, Sel>),
}

impl Sel {
    fn initial(v: &Value) -> Self {
        match v {
            Value::Object(o) => {
                let mut m = Vec::new();
                if let Some(Value::String(id)) = o.get("id")
                    && !id.starts_with("_:")
                {
                    m.push(("id".to_owned(), Sel::Full(Value::String(id.clone()))));
                }
                if let Some(t) = o.get("type") {
                    m.push(("type".to_owned(), Sel::Full(t.clone())));
                }
                Sel::Obj(m)
            }
            Value::Array(_) => Sel::Arr(BTreeMap::new()),
            other => Sel::Full(other.clone()),
        }
    }

    fn into_value(self) -> Value {
        match self {
            Sel::Full(v) => v,
            Sel::Obj(m) => Value::Object(m.into_iter().map(|(k, v)| (k, v.into_value())).collect()),
            Sel::Arr(a) => Value::Array(a.into_values().map(Sel::into_value).collect()),
        }
    }
}

fn pointer_tokens(pointer: &str) -> Result<Vec<String>, BbsError> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(BbsError::Pointer(
            pointer.to_owned(),
            "does not start with '/'",
        ));
    };
    rest.split('/')
        .map(|t| {
            if t.contains('~') {
                let mut out = String::with_capacity(t.len());
                let mut chars = t.chars();
                while let Some(c) = chars.next() {
                    if c == '~' {
                        match chars.next() {
                            Some('0') => out.push('~'),
                            Some('1') => out.push('/'),
                            _ => {
                                return Err(BbsError::Pointer(
                                    pointer.to_owned(),
                                    "has '~' not followed by 0 or 1",
                                ));
                            }
                        }
                    } else {
                        out.push(c);
                    }
                }
                Ok(out)
            } else {
                Ok(t.to_owned())
            }
        })
        .collect()
}

/// The part of `document` the pointers select, with `@context` and the
/// `id` and `type` of every object on the way (the specification's
/// `selectJsonLd`). `None` when there are no pointers.
///
/// # Errors
/// [`BbsError::Pointer`] for a malformed or dangling pointer.
pub fn select_json_ld(pointers: &[String], document: &Value) -> Result<Option<Value>, BbsError> {
    if pointers.is_empty() {
        return Ok(None);
    }
    let Value::Object(root_obj) = document else {
        return Err(BbsError::Shape("the document is not an object".into()));
    };
    let mut root = Sel::initial(document);
    if let (Some(ctx), Sel::Obj(m)) = (root_obj.get("@context"), &mut root) {
        m.insert(0, ("@context".to_owned(), Sel::Full(ctx.clone())));
    }
    for pointer in pointers {
        let tokens = pointer_tokens(pointer)?;
        let mut value = document;
        let mut sel = &mut root;
        for (i, token) in tokens.iter().enumerate() {
            let child = match value {
                Value::Object(o) => o.get(token),
                Value::Array(a) => token
                    .parse::<usize>()
                    .ok()
                    .filter(|_| token == "0" || !token.starts_with('0'))
                    .and_then(|n| a.get(n)),
                _ => None,
            }
            .ok_or_else(|| BbsError::Pointer(pointer.clone(), "points at nothing"))?;
            let slot: &mut Sel = match sel {
                // Already selected whole by an earlier pointer.
                Sel::Full(_) => break,
                Sel::Obj(m) => {
                    let pos = match m.iter().position(|(k, _)| k == token) {
                        Some(p) => p,
                        None => {
                            m.push((token.clone(), Sel::initial(child)));
                            m.len() - 1
                        }
                    };
                    &mut m[pos].1
                }
                Sel::Arr(a) => {
                    let n: usize = token.parse().map_err(|_| {
                        BbsError::Pointer(pointer.clone(), "indexes an array with a non-number")
                    })?;
                    a.entry(n).or_insert_with(|| Sel::initial(child))
                }
            };
            if i + 1 == tokens.len() {
                // The selected value whole; an object keeps the members
                // already selected in their places (as jsonld.js blends).
                let new = match (child, std::mem::replace(slot, Sel::Full(Value::Null))) {
                    (Value::Object(o), Sel::Obj(existing)) => {
                        let mut m: Vec<(String, Sel)> = existing
                            .into_iter()
                            .map(|(k, v)| match o.get(&k) {
                                Some(x) => {
                                    let full = Sel::Full(x.clone());
                                    (k, full)
                                }
                                None => (k, v),
                            })
                            .collect();
                        for (k, v) in o {
                            if !m.iter().any(|(mk, _)| mk == k) {
                                m.push((k.clone(), Sel::Full(v.clone())));
                            }
                        }
                        Sel::Obj(m)
                    }
                    (other, _) => Sel::Full(other.clone()),
                };
                *slot = new;
                break;
            }
            sel = slot;
            value = child;
        }
    }
    Ok(Some(root.into_value()))
}
