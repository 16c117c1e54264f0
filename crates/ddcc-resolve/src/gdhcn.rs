//! WHO GDHCN trust lists published as `did:web` documents (smart-trust
//! "DID Trustlist v2"): *embedded* documents carry keys as `JsonWebKey2020`
//! verification methods whose fragment is the base64 key id (`#XPjhL9Znd1M=`);
//! *reference* documents list the DIDs of other documents as plain strings
//! in `verificationMethod`. A trust list is just another DID document
//! source: it is resolved with whatever resolver (and cache, and bundle) the
//! verifier uses.

use std::collections::HashSet;

use ddcc_core::{Did, DidUrl};
use ddcc_did::{DidResolver, ResolveError};
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
    let mut keys = Vec::new();
    let mut seen_docs: HashSet<String> = HashSet::new();
    let mut seen_methods: HashSet<String> = HashSet::new();
    let mut frontier = vec![(root.clone(), 0usize)];
    while let Some((did, depth)) = frontier.pop() {
        if !seen_docs.insert(did.as_str().to_owned()) {
            continue;
        }
        if seen_docs.len() > MAX_DOCUMENTS {
            return Err(ResolveError::InvalidDocument(
                "the trust list has too many documents",
            ));
        }
        let doc = resolver.resolve(&did).await?.document;
        for m in &doc.verification_method {
            let Some(jwk) = m.properties.get("publicKeyJwk") else {
                continue;
            };
            let Some(kid) = m.id.fragment() else {
                continue;
            };
            if seen_methods.insert(m.id.as_str().to_owned()) {
                keys.push(TrustListKey {
                    kid: kid.to_owned(),
                    method: m.id.clone(),
                    jwk: jwk.clone(),
                });
            }
        }
        // References are followed in document order.
        let mut next = Vec::new();
        for r in &doc.references {
            let url = DidUrl::parse(r)
                .map_err(|_| ResolveError::InvalidDocument("a reference is not a DID"))?;
            if depth + 1 > MAX_DEPTH {
                return Err(ResolveError::InvalidDocument(
                    "the trust list nests too deeply",
                ));
            }
            next.push((url.did(), depth + 1));
        }
        frontier.extend(next.into_iter().rev());
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
