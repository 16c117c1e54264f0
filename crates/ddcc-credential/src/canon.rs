//! The steps of `eddsa-rdfc-2022`, exposed one by one so that tests and
//! auditors can compare every intermediate with the W3C test vectors:
//! canonical N-Quads of the document and of the proof configuration, their
//! SHA-256 hashes, and the combined hash that is signed.
//!
//! The document is expanded with the pinned contexts only and turned into
//! RDF through `ssi`'s JSON-LD crates, then canonicalised with `ddcc-ld`'s
//! RDFC-1.0 under its work budget.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use ssi::json_ld::Expandable;
use ssi::rdf::{AnyLdEnvironment, LdEnvironment};

use ddcc_assets::ContextRegistry;

use crate::{ProofError, ld};

/// The canonical N-Quads of a JSON-LD document (lines, sorted, each ending
/// in `\n`). A `proof` member, if any, is left out.
///
/// # Errors
/// When the document cannot be expanded with the pinned contexts.
pub async fn canonical_document(
    document: &Value,
    registry: &ContextRegistry,
) -> Result<Vec<String>, ProofError> {
    let mut doc = document.clone();
    if let Some(o) = doc.as_object_mut() {
        o.remove("proof");
    }
    canonical_form(&doc, registry).await
}

/// The proof configuration of `proof` for `document`: the proof without
/// `proofValue`, carrying the document's `@context` (Data Integrity §4.2).
pub fn proof_configuration(document: &Value, proof: &Value) -> Value {
    let mut config = Map::new();
    if let Some(p) = proof.as_object() {
        for (k, v) in p {
            if k != "proofValue" {
                config.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(ctx) = document.get("@context") {
        config.insert("@context".into(), ctx.clone());
    }
    Value::Object(config)
}

/// The canonical N-Quads of a proof configuration.
///
/// # Errors
/// When the configuration cannot be expanded with the pinned contexts.
pub async fn canonical_proof_configuration(
    config: &Value,
    registry: &ContextRegistry,
) -> Result<Vec<String>, ProofError> {
    canonical_form(config, registry).await
}

/// SHA-256 over the concatenated lines.
pub fn hash_lines(lines: &[String]) -> [u8; 32] {
    let mut h = Sha256::new();
    for line in lines {
        h.update(line.as_bytes());
    }
    h.finalize().into()
}

/// The data signed by `eddsa-rdfc-2022`: proofHash ‖ documentHash.
pub fn combined_hash(proof_hash: &[u8; 32], document_hash: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(proof_hash);
    out[32..].copy_from_slice(document_hash);
    out
}

pub(crate) async fn canonical_form(
    doc: &Value,
    registry: &ContextRegistry,
) -> Result<Vec<String>, ProofError> {
    let loader = ld::loader(registry)?;
    let json = ssi::json_ld::syntax::to_value(doc)
        .map_err(|_| ProofError::new("the document is not representable as JSON-LD"))?;
    let compact = ssi::json_ld::CompactJsonLd(json);
    let mut env = LdEnvironment::default();
    let expanded = compact
        .expand_with(&mut env, &loader)
        .await
        .map_err(|e| ld::sanitize(&e.to_string()))?;
    // ssi turns the expanded document into RDF (linear work); RDFC-1.0 is
    // ddcc-ld's, under a work budget: a graph of blank nodes that cannot
    // be told apart is refused by name instead of canonicalized for
    // minutes (ssi's own URDNA2015 has no bound, and mislabels repeated
    // values).
    let quads = env
        .quads_of(&expanded)
        .map_err(|_| ProofError::new("the expanded document could not be turned into RDF"))?;
    let nquads = ssi::rdf::IntoNQuads::into_nquads(quads);
    let dataset = ddcc_ld::parse_nquads(&nquads)
        .map_err(|e| ProofError::new(format!("the document's RDF cannot be read back: {e}")))?;
    let canonical = dataset
        .canonicalize_with_budget(ddcc_ld::DEFAULT_WORK_BUDGET)
        .map_err(|u| ProofError::new(format!("{u} ({})", u.code())))?;
    Ok(canonical.lines().map(str::to_owned).collect())
}
