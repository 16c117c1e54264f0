//! `eddsa-rdfc-2022` over the fast path (`ddcc-ld`): compiled contexts,
//! one-pass JSON-LD → RDF, RDFC-1.0, SHA-256, Ed25519. Exact or refused.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use ddcc_assets::ContextRegistry;
use ddcc_core::DidUrl;
use ddcc_crypto::{PublicKey, SecretKey};
use ddcc_ld::{CanonicalForm, DEFAULT_WORK_BUDGET, Processor, RdfcHash, Unsupported};

use crate::canon::combined_hash;
use crate::{CRYPTOSUITE, ProofError};

/// The root context lists compiled at start-up.
const WARM_ROOTS: &[&[&str]] = &[
    &["https://www.w3.org/ns/credentials/v2"],
    &[
        "https://www.w3.org/ns/credentials/v2",
        "https://w3id.org/ddcc/v1",
    ],
    &[
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
];

/// The fast `eddsa-rdfc-2022` suite.
pub(crate) struct FastSuite {
    processor: Processor,
}

/// What the fast path made of a proof.
pub(crate) enum FastVerification {
    /// The signature matches.
    Valid,
    /// The signature does not match (`None`), or the key or signature is
    /// not usable (the reason).
    Invalid(Option<&'static str>),
}

impl FastSuite {
    pub(crate) fn new(registry: &ContextRegistry) -> Result<Self, ProofError> {
        let processor = Processor::new(registry.iter().map(|e| (e.url.as_str(), &*e.text)))
            .map_err(|e| ProofError::new(e.to_string()))?;
        processor.warm(WARM_ROOTS);
        Ok(Self { processor })
    }

    /// The data `eddsa-rdfc-2022` signs: SHA-256(proof config) ‖ SHA-256(document).
    fn hash_data(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
    ) -> Result<[u8; 64], Unsupported> {
        self.hash_data_of(doc, proof, false)
    }

    /// [`Self::hash_data`]; with `keep_proof`, the document's `proof`
    /// (the previous proofs of a chain) is part of what is signed.
    fn hash_data_of(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
        keep_proof: bool,
    ) -> Result<[u8; 64], Unsupported> {
        let (config, document) = self.canonical_pair(doc, proof, RdfcHash::Sha256, keep_proof)?;
        Ok(combined_hash(&config.sha256(), &document.sha256()))
    }

    /// The canonical proof configuration (the proof without its value,
    /// with the document's `@context`) and the canonical document (without
    /// its `proof`, unless `keep_proof`), by RDFC-1.0 with `hash`.
    fn canonical_pair(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
        hash: RdfcHash,
        keep_proof: bool,
    ) -> Result<(CanonicalForm, CanonicalForm), Unsupported> {
        if proof.contains_key("@context") {
            return Err(Unsupported::EmbeddedContext);
        }
        let mut config = Map::new();
        for (k, v) in proof {
            if k != "proofValue" {
                config.insert(k.clone(), v.clone());
            }
        }
        if let Some(ctx) = doc.get("@context") {
            config.insert("@context".into(), ctx.clone());
        }
        let config = self
            .processor
            .to_dataset_without(&config, None)?
            .canonicalize_with(hash, DEFAULT_WORK_BUDGET)?;
        let document = self
            .processor
            .to_dataset_without(doc, if keep_proof { None } else { Some("proof") })?
            .canonicalize_with(hash, DEFAULT_WORK_BUDGET)?;
        Ok((config, document))
    }

    /// Builds and signs a proof for `doc` (which has no proof yet).
    pub(crate) fn sign(
        &self,
        doc: &Map<String, Value>,
        key: &SecretKey,
        method: &DidUrl,
        created: &str,
    ) -> Result<Value, Unsupported> {
        self.sign_with(doc, key, method, created, "assertionMethod", None, None)
    }

    /// Signs with an explicit proof purpose, challenge and domain (holder
    /// proofs on presentations use `authentication`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn sign_with(
        &self,
        doc: &Map<String, Value>,
        key: &SecretKey,
        method: &DidUrl,
        created: &str,
        purpose: &str,
        challenge: Option<&str>,
        domain: Option<&str>,
    ) -> Result<Value, Unsupported> {
        let mut proof = Map::new();
        proof.insert("type".into(), Value::from("DataIntegrityProof"));
        proof.insert("cryptosuite".into(), Value::from(CRYPTOSUITE));
        proof.insert("created".into(), Value::from(created));
        proof.insert("verificationMethod".into(), Value::from(method.as_str()));
        proof.insert("proofPurpose".into(), Value::from(purpose));
        if let Some(c) = challenge {
            proof.insert("challenge".into(), Value::from(c));
        }
        if let Some(d) = domain {
            proof.insert("domain".into(), Value::from(d));
        }
        let data = self.hash_data(doc, &proof)?;
        let signature = key.sign(&data);
        proof.insert(
            "proofValue".into(),
            Value::from(multibase::encode(multibase::Base::Base58Btc, signature)),
        );
        Ok(Value::Object(proof))
    }

    /// Verifies the single proof of `doc` whose shape the caller checked
    /// (type, cryptosuite, purpose), with the key its verification method
    /// resolved to.
    pub(crate) fn verify(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
        key: &PublicKey,
    ) -> Result<FastVerification, Unsupported> {
        self.verify_data(self.hash_data(doc, proof)?, proof, key)
    }

    /// Verifies a proof of a chain: `doc` carries, as its `proof`, exactly
    /// the previous proofs `proof` names, and they are part of what it
    /// signed.
    pub(crate) fn verify_chained(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
        key: &PublicKey,
    ) -> Result<FastVerification, Unsupported> {
        self.verify_data(self.hash_data_of(doc, proof, true)?, proof, key)
    }

    fn verify_data(
        &self,
        data: [u8; 64],
        proof: &Map<String, Value>,
        key: &PublicKey,
    ) -> Result<FastVerification, Unsupported> {
        let Some(value) = proof.get("proofValue").and_then(Value::as_str) else {
            return Ok(FastVerification::Invalid(Some("proofValue is missing")));
        };
        let signature = match multibase::decode(value) {
            Ok((multibase::Base::Base58Btc, bytes)) if bytes.len() == 64 => bytes,
            _ => {
                return Ok(FastVerification::Invalid(Some(
                    "proofValue is not a base58btc Ed25519 signature",
                )));
            }
        };
        if key.verify(&data, &signature) {
            Ok(FastVerification::Valid)
        } else {
            Ok(FastVerification::Invalid(None))
        }
    }
}

/// A public key of `ecdsa-rdfc-2019`.
pub(crate) enum EcdsaKey {
    /// P-256: RDFC-1.0 and the hashes with SHA-256.
    P256(p256::ecdsa::VerifyingKey),
    /// P-384: RDFC-1.0 and the hashes with SHA-384.
    P384(p384::ecdsa::VerifyingKey),
}

impl EcdsaKey {
    /// The key of a `publicKeyMultibase` (Multikey: codec 0x1200 P-256,
    /// 0x1201 P-384, then the compressed point).
    pub(crate) fn from_multikey(multibase_text: &str) -> Option<Self> {
        let (_, bytes) = multibase::decode(multibase_text).ok()?;
        match bytes.as_slice() {
            [0x80, 0x24, point @ ..] if point.len() == 33 => {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .ok()
                    .map(Self::P256)
            }
            [0x81, 0x24, point @ ..] if point.len() == 49 => {
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .ok()
                    .map(Self::P384)
            }
            _ => None,
        }
    }
}

impl FastSuite {
    /// Verifies an `ecdsa-rdfc-2019` proof: RDFC-1.0 with the curve's hash
    /// (SHA-256 for P-256, SHA-384 for P-384, as the suite asks: `ssi`
    /// 0.16 canonicalizes with SHA-256 only), then ES256 or ES384 over
    /// hash(proof config) ‖ hash(document). With `chained`, the document's
    /// `proof` holds the previous proofs and is part of what is signed.
    pub(crate) fn verify_ecdsa(
        &self,
        doc: &Map<String, Value>,
        proof: &Map<String, Value>,
        key: &EcdsaKey,
        chained: bool,
    ) -> Result<FastVerification, Unsupported> {
        let hash = match key {
            EcdsaKey::P256(_) => RdfcHash::Sha256,
            EcdsaKey::P384(_) => RdfcHash::Sha384,
        };
        let (config, document) = self.canonical_pair(doc, proof, hash, chained)?;
        let Some(value) = proof.get("proofValue").and_then(Value::as_str) else {
            return Ok(FastVerification::Invalid(Some("proofValue is missing")));
        };
        let signature = match multibase::decode(value) {
            Ok((multibase::Base::Base58Btc, bytes)) => bytes,
            _ => {
                return Ok(FastVerification::Invalid(Some(
                    "proofValue is not a base58btc ECDSA signature",
                )));
            }
        };
        use p256::ecdsa::signature::Verifier as _;
        let valid = match key {
            EcdsaKey::P256(k) => {
                let data = [config.sha256(), document.sha256()].concat();
                p256::ecdsa::Signature::from_slice(&signature)
                    .is_ok_and(|s| k.verify(&data, &s).is_ok())
            }
            EcdsaKey::P384(k) => {
                let data = [config.sha384(), document.sha384()].concat();
                p384::ecdsa::Signature::from_slice(&signature)
                    .is_ok_and(|s| k.verify(&data, &s).is_ok())
            }
        };
        Ok(if valid {
            FastVerification::Valid
        } else {
            FastVerification::Invalid(None)
        })
    }
}

/// How many proofs took the fast path, and why the others did not.
#[derive(Debug, Default)]
pub(crate) struct PathCounters {
    pub(crate) fast: AtomicU64,
    pub(crate) fallback: AtomicU64,
    pub(crate) reasons: Mutex<HashMap<&'static str, u64>>,
}

impl PathCounters {
    pub(crate) fn fast(&self) {
        self.fast.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> crate::ProofPathStats {
        let map = self.reasons.lock().unwrap_or_else(|e| e.into_inner());
        let mut reasons: Vec<(String, u64)> =
            map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        crate::ProofPathStats {
            fast: self.fast.load(Ordering::Relaxed),
            fallback: self.fallback.load(Ordering::Relaxed),
            fallback_reasons: reasons,
        }
    }

    pub(crate) fn fallback(&self, reason: &Unsupported) {
        self.fallback.fetch_add(1, Ordering::Relaxed);
        let mut map = self.reasons.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(reason.code()).or_default() += 1;
    }
}
