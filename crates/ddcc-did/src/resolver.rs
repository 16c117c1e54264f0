//! Resolvers: one interface for every way a verifier learns a DID's keys.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use ddcc_core::Did;

use crate::{DidDocument, DidKeyOptions, ResolveError, resolve_did_jwk, resolve_did_key};

/// The future a [`DidResolver`] returns.
pub type ResolveFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Resolution, ResolveError>> + Send + 'a>>;

/// Where a resolved document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// Computed from the DID itself (`did:key`, `did:jwk`).
    Local,
    /// Fetched just now (did:web, a Universal Resolver).
    Network,
    /// From a cache: fetched earlier.
    Cache,
    /// From a bundle the verifier was given.
    Bundle,
}

impl Source {
    /// `local`, `network`, `cache` or `bundle`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Network => "network",
            Self::Cache => "cache",
            Self::Bundle => "bundle",
        }
    }
}

/// A resolved DID document and where it came from.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The document.
    pub document: Arc<DidDocument>,
    /// Where it came from.
    pub source: Source,
    /// How old it is, in seconds, when it was fetched earlier.
    pub age_seconds: Option<u64>,
    /// Whether it is older than the freshness its cache promises (it is
    /// being used because the network is off or unreachable).
    pub stale: bool,
}

impl Resolution {
    /// A document computed or fetched just now.
    pub fn fresh(document: Arc<DidDocument>, source: Source) -> Self {
        Self {
            document,
            source,
            age_seconds: None,
            stale: false,
        }
    }

    /// A short phrase for verdicts: empty for local documents, otherwise
    /// where the document came from and how old it is.
    pub fn describe(&self) -> String {
        match (self.source, self.age_seconds) {
            (Source::Local, _) => String::new(),
            (Source::Network, _) => "DID document fetched now".into(),
            (s, Some(age)) => format!(
                "DID document from {}, fetched {age} s ago{}",
                s.as_str(),
                if self.stale { ", STALE" } else { "" }
            ),
            (s, None) => format!("DID document from {}", s.as_str()),
        }
    }
}

/// Resolves a DID to its document. Implementations say in their docs
/// whether they touch the network; a verifier is given one explicitly.
pub trait DidResolver: Send + Sync + std::fmt::Debug {
    /// Resolves `did`.
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a>;
}

impl<T: DidResolver + ?Sized> DidResolver for Arc<T> {
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a> {
        (**self).resolve(did)
    }
}

/// Resolves `root` and every DID its documents reference (plain-string
/// `verificationMethod` entries, as in WHO GDHCN reference lists),
/// depth-first in document order, each document once: at most
/// `max_documents` documents and `max_depth` levels of references.
///
/// # Errors
/// The first resolution error, or [`ResolveError::InvalidDocument`] when
/// the tree is larger or deeper than allowed.
pub async fn resolve_with_references(
    resolver: &dyn DidResolver,
    root: &Did,
    max_documents: usize,
    max_depth: usize,
) -> Result<Vec<Arc<DidDocument>>, ResolveError> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut frontier = vec![(root.clone(), 0usize)];
    while let Some((did, depth)) = frontier.pop() {
        if !seen.insert(did.as_str().to_owned()) {
            continue;
        }
        if seen.len() > max_documents {
            return Err(ResolveError::InvalidDocument(
                "too many referenced documents",
            ));
        }
        let doc = resolver.resolve(&did).await?.document;
        for r in doc.references.iter().rev() {
            let url = ddcc_core::DidUrl::parse(r)
                .map_err(|_| ResolveError::InvalidDocument("a reference is not a DID"))?;
            if depth + 1 > max_depth {
                return Err(ResolveError::InvalidDocument("references nest too deeply"));
            }
            frontier.push((url.did(), depth + 1));
        }
        out.push(doc);
    }
    Ok(out)
}

/// Most documents [`LocalResolver`] remembers before it starts afresh.
const LOCAL_MEMO_LIMIT: usize = 4096;

/// The methods whose document is the identifier itself: `did:key` and
/// `did:jwk` (Ed25519). Never touches the network. Documents are
/// remembered (at most 4,096; the memo is cleared when full), since a
/// checkpoint sees the same few issuers again and again.
#[derive(Debug)]
pub struct LocalResolver {
    options: DidKeyOptions,
    memo: RwLock<HashMap<String, Arc<DidDocument>>>,
}

impl Default for LocalResolver {
    fn default() -> Self {
        Self::new(DidKeyOptions::default())
    }
}

impl LocalResolver {
    /// A resolver rendering `did:key` documents with `options`.
    pub fn new(options: DidKeyOptions) -> Self {
        Self {
            options,
            memo: RwLock::new(HashMap::new()),
        }
    }

    /// Resolves without waiting (the work is local).
    ///
    /// # Errors
    /// [`ResolveError::MethodNotSupported`] for methods other than `key`
    /// and `jwk`, or the error of that method's resolution.
    pub fn resolve_now(&self, did: &Did) -> Result<Arc<DidDocument>, ResolveError> {
        if let Some(doc) = self
            .memo
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(did.as_str())
        {
            return Ok(doc.clone());
        }
        let doc = Arc::new(match did.method() {
            "key" => resolve_did_key(did, self.options)?,
            "jwk" => resolve_did_jwk(did)?,
            other => return Err(ResolveError::MethodNotSupported(other.to_owned())),
        });
        let mut memo = self.memo.write().unwrap_or_else(|e| e.into_inner());
        if memo.len() >= LOCAL_MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(did.as_str().to_owned(), doc.clone());
        Ok(doc)
    }
}

impl DidResolver for LocalResolver {
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a> {
        let result = self
            .resolve_now(did)
            .map(|d| Resolution::fresh(d, Source::Local));
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{VerificationRelationship, did_jwk_for, did_key_for};
    use ddcc_crypto::SecretKey;

    fn block_on<F: Future>(f: F) -> F::Output {
        // The local resolver's futures are ready at once.
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("a local resolution should not wait"),
        }
    }

    #[test]
    fn resolves_key_and_jwk_to_the_same_key() {
        let key = SecretKey::from_seed(&[3u8; 32]).unwrap().public_key();
        let r = LocalResolver::default();
        for did in [did_key_for(&key), did_jwk_for(&key)] {
            let resolution = block_on(r.resolve(&did)).unwrap();
            assert_eq!(resolution.source, Source::Local);
            let doc = resolution.document;
            assert_eq!(doc.id, did);
            let m = &doc.verification_method[0];
            assert_eq!(m.ed25519, Some(key));
            assert!(doc.has_relationship(m.id.as_str(), VerificationRelationship::Authentication));
            assert!(doc.has_relationship(m.id.as_str(), VerificationRelationship::AssertionMethod));
            // Remembered: the same document comes back.
            assert!(Arc::ptr_eq(&doc, &r.resolve_now(&did).unwrap()));
        }
    }

    #[test]
    fn other_methods_are_not_supported() {
        let r = LocalResolver::default();
        let did = Did::parse("did:web:example.org").unwrap();
        assert!(matches!(
            block_on(r.resolve(&did)),
            Err(ResolveError::MethodNotSupported(m)) if m == "web"
        ));
    }
}
