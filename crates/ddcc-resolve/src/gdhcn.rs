//! WHO GDHCN trust lists published as `did:web` documents (smart-trust
//! "DID Trustlist v2"): *embedded* documents carry keys as `JsonWebKey2020`
//! verification methods whose fragment is the base64 key id (`#XPjhL9Znd1M=`);
//! *reference* documents list the DIDs of other documents as plain strings
//! in `verificationMethod`. A trust list is just another DID document
//! source: it is resolved with whatever resolver (and cache, and bundle) the
//! verifier uses.

use ddcc_core::{Did, DidUrl};
use ddcc_did::{DidResolver, ResolveError, resolve_with_references};
use serde_json::Value;

/// Most documents read while walking one trust list.
const MAX_DOCUMENTS: usize = 1000;
/// Deepest chain of references followed (root → domain → participant → usage → keys).
const MAX_DEPTH: usize = 6;

/// A key listed in a trust list.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustListKey {
    /// The key id: the verification method's fragment, decoded
    /// (`XPjhL9Znd1M=`, the base64 of an HCERT `kid`).
    pub kid: String,
    /// The verification method's DID URL.
    pub method: DidUrl,
    /// The public JWK as published (with its `x5c` chain, when present).
    pub jwk: Value,
}

/// Walks a trust list from `root`, following references, and returns every
/// key it lists (each once, in the order found).
///
/// # Errors
/// The first resolution error, or [`ResolveError::InvalidDocument`] when
/// the list is deeper or larger than any real trust list.
pub async fn collect_keys(
    resolver: &dyn DidResolver,
    root: &Did,
) -> Result<Vec<TrustListKey>, ResolveError> {
    let documents = resolve_with_references(resolver, root, MAX_DOCUMENTS, MAX_DEPTH).await?;
    let mut keys: Vec<TrustListKey> = Vec::new();
    for doc in documents {
        for m in &doc.verification_method {
            let (Some(jwk), Some(kid)) = (m.properties.get("publicKeyJwk"), m.id.fragment()) else {
                continue;
            };
            if !keys.iter().any(|k| k.method == m.id) {
                keys.push(TrustListKey {
                    kid: kid.to_owned(),
                    method: m.id.clone(),
                    jwk: jwk.clone(),
                });
            }
        }
    }
    Ok(keys)
}

/// The key with this key id (the base64 `kid`, as in an HCERT header).
///
/// # Errors
/// As [`collect_keys`].
pub async fn key_by_kid(
    resolver: &dyn DidResolver,
    root: &Did,
    kid: &str,
) -> Result<Option<TrustListKey>, ResolveError> {
    Ok(collect_keys(resolver, root)
        .await?
        .into_iter()
        .find(|k| k.kid == kid))
}
