//! A TTL cache of resolved documents, and bundles: the cache written to a
//! file so that a checkpoint can verify with no network at all.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use ddcc_core::Did;
use ddcc_did::{
    DidDocument, DidResolver, Resolution, ResolveError, ResolveFuture, Source, parse_did_document,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of a bundle file.
const BUNDLE_FORMAT: &str = "ddcc-did-bundle/1";

/// Resolved DID documents with the time each was fetched: the file behind
/// `ddcc did bundle` and a verifier's `--did-cache`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always `ddcc-did-bundle/1`.
    pub format: String,
    /// One entry per DID.
    pub entries: Vec<BundleEntry>,
}

/// One DID's document in a [`Bundle`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleEntry {
    /// The DID.
    pub did: String,
    /// When the document was fetched (RFC 3339).
    pub fetched: String,
    /// The document.
    pub document: Value,
}

/// Why a bundle could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is not a bundle.
    #[error("not a DID bundle: {0}")]
    Format(String),
    /// An entry's document does not belong to its DID, or is malformed.
    #[error("bundle entry {did}: {error}")]
    Entry {
        /// The entry's DID.
        did: String,
        /// What is wrong with it.
        error: ResolveError,
    },
}

impl Default for Bundle {
    fn default() -> Self {
        Self {
            format: BUNDLE_FORMAT.into(),
            entries: Vec::new(),
        }
    }
}

impl Bundle {
    /// Reads a bundle file.
    ///
    /// # Errors
    /// [`BundleError::Io`] or [`BundleError::Format`].
    pub fn read(path: &Path) -> Result<Self, BundleError> {
        let text = std::fs::read_to_string(path)?;
        let bundle: Self =
            serde_json::from_str(&text).map_err(|e| BundleError::Format(e.to_string()))?;
        if bundle.format != BUNDLE_FORMAT {
            return Err(BundleError::Format(format!(
                "format is not {BUNDLE_FORMAT}"
            )));
        }
        Ok(bundle)
    }

    /// Writes the bundle atomically (a temporary file renamed into place).
    ///
    /// # Errors
    /// [`BundleError::Io`].
    pub fn write(&self, path: &Path) -> Result<(), BundleError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        let text =
            serde_json::to_string_pretty(self).map_err(|e| BundleError::Format(e.to_string()))?;
        std::io::Write::write_all(&mut tmp, text.as_bytes())?;
        std::io::Write::write_all(&mut tmp, b"\n")?;
        tmp.persist(path).map_err(|e| BundleError::Io(e.error))?;
        Ok(())
    }
}

#[derive(Debug, Clone)]
struct Entry {
    document: Arc<DidDocument>,
    fetched: DateTime<Utc>,
    source: Source,
}

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// A cache in front of a resolver. A document younger than the TTL is
/// served from the cache; an older one is fetched again. If fetching fails
/// because the network is unreachable, or the resolver is offline, the
/// cached document is served and marked stale; a document that is gone or
/// invalid is never replaced by a stale copy. Local methods (`did:key`,
/// `did:jwk`) pass through uncached.
pub struct CachedResolver<R> {
    inner: R,
    ttl: Duration,
    offline: bool,
    entries: RwLock<HashMap<String, Entry>>,
    clock: Clock,
}

impl<R> std::fmt::Debug for CachedResolver<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedResolver")
            .field("ttl", &self.ttl)
            .field("offline", &self.offline)
            .field(
                "entries",
                &self.entries.read().unwrap_or_else(|e| e.into_inner()).len(),
            )
            .finish_non_exhaustive()
    }
}

impl<R: DidResolver> CachedResolver<R> {
    /// A cache keeping documents fresh for `ttl`.
    pub fn new(inner: R, ttl: Duration) -> Self {
        Self {
            inner,
            ttl,
            offline: false,
            entries: RwLock::new(HashMap::new()),
            clock: Arc::new(Utc::now),
        }
    }

    /// Never asks the inner resolver: only cached and bundled documents.
    pub fn offline(mut self, yes: bool) -> Self {
        self.offline = yes;
        self
    }

    /// Uses another clock (tests, replays).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Adds the entries of a bundle (as `source`: [`Source::Bundle`] for a
    /// bundle a verifier was given, [`Source::Cache`] for its own cache
    /// file). Every document is checked to belong to its DID.
    ///
    /// # Errors
    /// [`BundleError::Entry`] naming the first bad entry; nothing is added
    /// then.
    pub fn load(&self, bundle: &Bundle, source: Source) -> Result<usize, BundleError> {
        let mut loaded = Vec::with_capacity(bundle.entries.len());
        for e in &bundle.entries {
            let bad = |error| BundleError::Entry {
                did: e.did.chars().take(200).collect(),
                error,
            };
            let did = Did::parse(&e.did).map_err(|d| bad(ResolveError::InvalidDid(d)))?;
            let fetched = DateTime::parse_from_rfc3339(&e.fetched)
                .map_err(|_| {
                    bad(ResolveError::InvalidDocument(
                        "fetched is not an RFC 3339 time",
                    ))
                })?
                .with_timezone(&Utc);
            let document = parse_did_document(&did, &e.document).map_err(bad)?;
            loaded.push((
                did.as_str().to_owned(),
                Entry {
                    document: Arc::new(document),
                    fetched,
                    source,
                },
            ));
        }
        let n = loaded.len();
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        for (did, entry) in loaded {
            match entries.get(&did) {
                Some(old) if old.fetched >= entry.fetched => {}
                _ => {
                    entries.insert(did, entry);
                }
            }
        }
        Ok(n)
    }

    /// Everything cached, as a bundle (DIDs in order).
    pub fn snapshot(&self) -> Bundle {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<BundleEntry> = entries
            .iter()
            .map(|(did, e)| BundleEntry {
                did: did.clone(),
                fetched: e.fetched.to_rfc3339_opts(SecondsFormat::Secs, true),
                document: e.document.to_json(),
            })
            .collect();
        out.sort_by(|a, b| a.did.cmp(&b.did));
        Bundle {
            format: BUNDLE_FORMAT.into(),
            entries: out,
        }
    }

    fn cached(&self, did: &Did, now: DateTime<Utc>) -> Option<(Resolution, bool)> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let e = entries.get(did.as_str())?;
        let age = (now - e.fetched).num_seconds().max(0);
        let fresh = now - e.fetched < self.ttl;
        Some((
            Resolution {
                document: e.document.clone(),
                source: e.source,
                age_seconds: Some(u64::try_from(age).unwrap_or(0)),
                stale: !fresh,
            },
            fresh,
        ))
    }

    async fn resolve_cached(&self, did: &Did) -> Result<Resolution, ResolveError> {
        if matches!(did.method(), "key" | "jwk") {
            return self.inner.resolve(did).await;
        }
        let now = (self.clock)();
        let cached = self.cached(did, now);
        match cached {
            Some((r, true)) => return Ok(r),
            Some((r, false)) if self.offline => return Ok(r),
            None if self.offline => return Err(ResolveError::Offline(did.as_str().to_owned())),
            _ => {}
        }
        match self.inner.resolve(did).await {
            Ok(fresh) => {
                let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
                entries.insert(
                    did.as_str().to_owned(),
                    Entry {
                        document: fresh.document.clone(),
                        fetched: now,
                        source: Source::Cache,
                    },
                );
                Ok(fresh)
            }
            // Unreachable: a stale copy is better than nothing, and says so.
            Err(ResolveError::Network(why)) => match cached {
                Some((r, _)) => Ok(r),
                None => Err(ResolveError::Network(why)),
            },
            Err(e) => {
                // Gone, deactivated or now invalid: forget the old copy.
                self.entries
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(did.as_str());
                Err(e)
            }
        }
    }
}

impl<R: DidResolver> DidResolver for CachedResolver<R> {
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a> {
        Box::pin(self.resolve_cached(did))
    }
}
