//! Context processing: pinned context documents compiled once into
//! immutable term tables, and the derived (type- and property-scoped)
//! contexts cached beside them.
//!
//! Reads of the caches are lock-free (`ArcSwap`); a new root list or derived
//! context is compiled once, under a mutex that only writers take.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::Unsupported;
use crate::iri::{ends_with_gen_delim, is_absolute_iri, is_keyword_like};

/// Most nested remote/scoped context processing steps.
const MAX_CONTEXT_DEPTH: usize = 16;

/// What a term maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mapping {
    Iri(Arc<str>),
    /// An alias of `@id`.
    Id,
    /// An alias of `@type`.
    Type,
    /// Explicitly decoupled (`"term": null`).
    Null,
}

/// A term's `@type` coercion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Coercion {
    None,
    Id,
    Vocab,
    Datatype(Arc<str>),
    Unsupported(&'static str),
}

/// One compiled term definition.
#[derive(Debug)]
pub(crate) struct TermDef {
    /// Unique per definition; keys the derived-context cache.
    pub(crate) uid: u32,
    pub(crate) mapping: Mapping,
    pub(crate) coercion: Coercion,
    pub(crate) graph_container: bool,
    pub(crate) scoped: Option<Arc<Value>>,
    pub(crate) protected: bool,
    pub(crate) prefix: bool,
    /// A feature the converter refuses when the term is used.
    pub(crate) unsupported: Option<&'static str>,
}

impl TermDef {
    /// Same definition apart from `protected` (JSON-LD's rule for allowed
    /// redefinitions of protected terms).
    fn same_as(&self, other: &TermDef) -> bool {
        self.mapping == other.mapping
            && self.coercion == other.coercion
            && self.graph_container == other.graph_container
            && self.scoped.as_deref() == other.scoped.as_deref()
            && self.prefix == other.prefix
            && self.unsupported == other.unsupported
    }
}

/// An active context: a flat term table.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) id: u32,
    pub(crate) terms: FxHashMap<String, Arc<TermDef>>,
    pub(crate) vocab: Option<Arc<str>>,
    /// The context before a non-propagating (type-scoped) context.
    pub(crate) previous: Option<Arc<Ctx>>,
    /// Made from a context the document itself carries (an inline
    /// `@context` object, or derived from one): never stored in the
    /// processor's caches, which only pinned contexts may fill.
    pub(crate) ephemeral: bool,
}

/// The result of expanding a string as an IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expanded {
    Iri(String),
    Shared(Arc<str>),
    Blank(String),
    Keyword(&'static str),
}

impl Ctx {
    /// IRI expansion with `vocab = true` (keys, types, `@vocab` values).
    pub(crate) fn expand_vocab(&self, s: &str) -> Result<Option<Expanded>, Unsupported> {
        if let Some(def) = self.terms.get(s) {
            if let Some(f) = def.unsupported {
                return Err(Unsupported::UnsupportedTerm {
                    term: s.to_owned(),
                    feature: f,
                });
            }
            return Ok(match &def.mapping {
                Mapping::Iri(i) => Some(Expanded::Shared(i.clone())),
                Mapping::Id => Some(Expanded::Keyword("@id")),
                Mapping::Type => Some(Expanded::Keyword("@type")),
                Mapping::Null => None,
            });
        }
        if let Some(e) = self.expand_compact(s) {
            return Ok(Some(e));
        }
        if let Some(v) = &self.vocab {
            return Ok(Some(Expanded::Iri(format!("{v}{s}"))));
        }
        Ok(None)
    }

    /// IRI expansion of an `@id` value (document-relative: terms are not
    /// used, prefixes are). Relative IRIs are refused (no base).
    pub(crate) fn expand_id(&self, s: &str) -> Result<Expanded, Unsupported> {
        if is_keyword_like(s) {
            return Err(Unsupported::KeywordInData(s.to_owned()));
        }
        self.expand_compact(s).ok_or(Unsupported::InvalidIri)
    }

    /// Compact IRI, blank node identifier or absolute IRI.
    fn expand_compact(&self, s: &str) -> Option<Expanded> {
        let colon = s.find(':')?;
        let (prefix, suffix) = (&s[..colon], &s[colon + 1..]);
        if prefix == "_" {
            return Some(Expanded::Blank(suffix.to_owned()));
        }
        if !suffix.starts_with("//")
            && let Some(def) = self.terms.get(prefix)
            && def.prefix
            && let Mapping::Iri(iri) = &def.mapping
        {
            return Some(Expanded::Iri(format!("{iri}{suffix}")));
        }
        if is_absolute_iri(s) {
            return Some(Expanded::Iri(s.to_owned()));
        }
        None
    }
}

/// A compiled context, or why it cannot be compiled.
type Compiled = Result<Arc<Ctx>, Unsupported>;

/// Derived contexts by (context id, term definition uid, type-scoped).
type DerivedCache = FxHashMap<(u32, u32, bool), Result<Arc<Ctx>, Unsupported>>;
/// Contexts derived by an embedded list of pinned context URLs.
type EmbeddedCache = FxHashMap<(u32, String), Result<Arc<Ctx>, Unsupported>>;

/// The fast path's context processor: pinned context documents, compiled
/// contexts and the derived-context cache. `Send + Sync`; share it.
pub struct Processor {
    docs: HashMap<String, (Arc<Value>, String)>,
    empty: Arc<Ctx>,
    roots: ArcSwap<HashMap<String, Result<Arc<Ctx>, Unsupported>>>,
    derived: ArcSwap<DerivedCache>,
    embedded: ArcSwap<EmbeddedCache>,
    write: Mutex<()>,
    next_ctx: AtomicU32,
    next_term: AtomicU32,
}

impl std::fmt::Debug for Processor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processor")
            .field("contexts", &self.docs.len())
            .field("compiled_roots", &self.roots.load().len())
            .field("derived", &self.derived.load().len())
            .finish()
    }
}

/// A pinned context document that is not a JSON-LD context.
#[derive(Debug, thiserror::Error)]
#[error("pinned context {url} is not a JSON object with an @context member")]
pub struct ContextError {
    url: String,
}

impl Processor {
    /// A processor for the given pinned contexts (URL, document text). Each
    /// is keyed by URL and SHA-256 of its bytes; see [`Processor::sha256`].
    ///
    /// # Errors
    /// A document that is not a JSON object with `@context`.
    pub fn new<'a>(
        contexts: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ContextError> {
        let mut docs = HashMap::new();
        for (url, text) in contexts {
            let value: Value =
                serde_json::from_str(text).map_err(|_| ContextError { url: url.into() })?;
            let ctx = value
                .get("@context")
                .cloned()
                .ok_or_else(|| ContextError { url: url.into() })?;
            docs.insert(
                url.to_owned(),
                (Arc::new(ctx), hex::encode(Sha256::digest(text.as_bytes()))),
            );
        }
        Ok(Self {
            docs,
            empty: Arc::new(Ctx {
                id: 0,
                terms: FxHashMap::default(),
                vocab: None,
                previous: None,
                ephemeral: false,
            }),
            roots: ArcSwap::from_pointee(HashMap::new()),
            derived: ArcSwap::from_pointee(FxHashMap::default()),
            embedded: ArcSwap::from_pointee(FxHashMap::default()),
            write: Mutex::new(()),
            next_ctx: AtomicU32::new(1),
            next_term: AtomicU32::new(1),
        })
    }

    /// The SHA-256 (hex) of the bytes pinned for `url`.
    pub fn sha256(&self, url: &str) -> Option<&str> {
        self.docs.get(url).map(|(_, h)| h.as_str())
    }

    /// Compiles the root context for each list of URLs and every derived
    /// context reachable from it within two scoping steps, so that documents
    /// using them never take the compile path.
    pub fn warm(&self, roots: &[&[&str]]) {
        for urls in roots {
            let Ok(root) = self.root(urls) else { continue };
            let mut frontier = vec![root];
            for _ in 0..2 {
                let mut next = Vec::new();
                for ctx in &frontier {
                    let defs: Vec<Arc<TermDef>> = ctx
                        .terms
                        .values()
                        .filter(|d| d.scoped.is_some())
                        .cloned()
                        .collect();
                    for def in defs {
                        for type_scoped in [true, false] {
                            if let Ok(c) = self.derive(ctx, &def, type_scoped) {
                                next.push(c);
                            }
                        }
                    }
                }
                frontier = next;
            }
        }
    }

    /// Number of compiled contexts (roots and derived).
    pub fn compiled_contexts(&self) -> usize {
        self.roots.load().len() + self.derived.load().len() + self.embedded.load().len()
    }

    /// The active context for a document whose `@context` is `urls`.
    pub(crate) fn root(&self, urls: &[&str]) -> Result<Arc<Ctx>, Unsupported> {
        self.cached(&self.roots, urls.join(" "), || {
            self.process_urls(&self.empty, urls)
        })
    }

    /// `ctx` with a context the document carries applied (a list of
    /// context URLs and inline objects, in order), compiled for this
    /// document only: the result is ephemeral, and so is everything derived
    /// from it.
    /// (Context Processing refuses unpinned URLs and anything but URLs,
    /// objects and `null` itself.)
    pub(crate) fn apply_local(&self, ctx: &Arc<Ctx>, local: &Value) -> Result<Ctx, Unsupported> {
        let mut c = self.process(ctx, local, false, true, 0)?;
        c.ephemeral = true;
        Ok(c)
    }

    /// As [`Processor::derive`], without the cache (for an ephemeral
    /// context; the caller keeps its own per document).
    pub(crate) fn derive_uncached(
        &self,
        ctx: &Arc<Ctx>,
        def: &TermDef,
        type_scoped: bool,
    ) -> Result<Ctx, Unsupported> {
        let local = def.scoped.clone().unwrap_or_else(|| Arc::new(Value::Null));
        self.process(ctx, &local, !type_scoped, !type_scoped, 0)
    }

    /// `ctx` with `def`'s scoped context applied, type-scoped (not
    /// propagated) or property-scoped (propagated, may override protected).
    pub(crate) fn derive(
        &self,
        ctx: &Arc<Ctx>,
        def: &TermDef,
        type_scoped: bool,
    ) -> Result<Arc<Ctx>, Unsupported> {
        self.cached(&self.derived, (ctx.id, def.uid, type_scoped), || {
            let local = def.scoped.clone().unwrap_or_else(|| Arc::new(Value::Null));
            self.process(ctx, &local, !type_scoped, !type_scoped, 0)
        })
    }

    /// `ctx` with an embedded `@context` of pinned URLs applied (an embedded
    /// credential inside a presentation carries its own contexts).
    pub(crate) fn derive_urls(
        &self,
        ctx: &Arc<Ctx>,
        urls: &[&str],
    ) -> Result<Arc<Ctx>, Unsupported> {
        self.cached(&self.embedded, (ctx.id, urls.join(" ")), || {
            self.process_urls(ctx, urls)
        })
    }

    /// Processes a list of pinned context URLs on top of `ctx`.
    fn process_urls(&self, ctx: &Arc<Ctx>, urls: &[&str]) -> Result<Ctx, Unsupported> {
        if let Some(url) = urls.iter().find(|u| !self.docs.contains_key(**u)) {
            return Err(Unsupported::UnpinnedContext((*url).to_owned()));
        }
        let local = Value::Array(urls.iter().map(|u| Value::from(*u)).collect());
        self.process(ctx, &local, false, true, 0)
    }

    /// A compiled context from `cache`, or compiled once by `compile` and
    /// stored (readers never lock; writers take the write mutex). Failures
    /// are cached too.
    fn cached<K, S>(
        &self,
        cache: &ArcSwap<HashMap<K, Compiled, S>>,
        key: K,
        compile: impl FnOnce() -> Result<Ctx, Unsupported>,
    ) -> Result<Arc<Ctx>, Unsupported>
    where
        K: std::hash::Hash + Eq + Clone,
        S: std::hash::BuildHasher + Clone,
    {
        if let Some(r) = cache.load().get(&key) {
            return r.clone();
        }
        let _guard = self.write.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cache.load().get(&key) {
            return r.clone();
        }
        let result = compile().map(Arc::new);
        let mut map = HashMap::clone(&cache.load());
        map.insert(key, result.clone());
        cache.store(Arc::new(map));
        result
    }

    /// JSON-LD 1.1 Context Processing, restricted to what the fast path
    /// supports.
    fn process(
        &self,
        active: &Arc<Ctx>,
        local: &Value,
        override_protected: bool,
        propagate: bool,
        depth: usize,
    ) -> Result<Ctx, Unsupported> {
        let mut propagate = propagate;
        if let Value::Object(m) = local
            && let Some(p) = m.get("@propagate")
        {
            propagate = p
                .as_bool()
                .ok_or(Unsupported::UnsupportedContextFeature("@propagate"))?;
        }
        let mut result = Ctx {
            id: self.next_ctx.fetch_add(1, Ordering::Relaxed),
            terms: active.terms.clone(),
            vocab: active.vocab.clone(),
            previous: active.previous.clone(),
            ephemeral: active.ephemeral,
        };
        if !propagate && result.previous.is_none() {
            result.previous = Some(active.clone());
        }
        self.process_into(&mut result, local, override_protected, depth)?;
        Ok(result)
    }

    fn process_into(
        &self,
        result: &mut Ctx,
        local: &Value,
        override_protected: bool,
        depth: usize,
    ) -> Result<(), Unsupported> {
        if depth > MAX_CONTEXT_DEPTH {
            return Err(Unsupported::UnsupportedContextFeature(
                "deeply nested contexts",
            ));
        }
        match local {
            Value::Array(items) => {
                for item in items {
                    self.process_into(result, item, override_protected, depth + 1)?;
                }
                Ok(())
            }
            Value::String(url) => {
                let (doc, _) = self
                    .docs
                    .get(url)
                    .ok_or_else(|| Unsupported::UnpinnedContext(url.clone()))?;
                let doc = doc.clone();
                self.process_into(result, &doc, override_protected, depth + 1)
            }
            Value::Object(map) => self.process_object(result, map, override_protected),
            Value::Null => {
                // JSON-LD 1.1: nullifying a context with protected terms is an
                // error unless protection is overridden (property-scoped).
                if !override_protected && result.terms.values().any(|d| d.protected) {
                    return Err(Unsupported::ProtectedTermRedefinition(
                        "(null context)".into(),
                    ));
                }
                result.terms.clear();
                result.vocab = None;
                result.previous = None;
                Ok(())
            }
            _ => Err(Unsupported::InlineContext),
        }
    }

    fn process_object(
        &self,
        result: &mut Ctx,
        map: &Map<String, Value>,
        override_protected: bool,
    ) -> Result<(), Unsupported> {
        for (k, v) in map {
            match k.as_str() {
                "@version" if v.as_f64() != Some(1.1) => {
                    return Err(Unsupported::UnsupportedContextFeature(
                        "@version other than 1.1",
                    ));
                }
                "@version" => {}
                "@import" => return Err(Unsupported::UnsupportedContextFeature("@import")),
                "@base" => return Err(Unsupported::UnsupportedContextFeature("@base")),
                "@language" => {
                    return Err(Unsupported::UnsupportedContextFeature(
                        "a default @language",
                    ));
                }
                "@direction" => {
                    return Err(Unsupported::UnsupportedContextFeature(
                        "a default @direction",
                    ));
                }
                "@vocab" => {
                    result.vocab = match v {
                        Value::Null => None,
                        Value::String(s) if is_absolute_iri(s) => Some(Arc::from(s.as_str())),
                        _ => {
                            return Err(Unsupported::UnsupportedContextFeature(
                                "a relative or compact @vocab",
                            ));
                        }
                    };
                }
                "@protected" | "@propagate" => {}
                other if other.starts_with('@') => {
                    return Err(Unsupported::UnsupportedContextFeature(
                        "an unknown context keyword",
                    ));
                }
                _ => {}
            }
        }
        let protected_default = map
            .get("@protected")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut defined: HashMap<&str, bool> = HashMap::new();
        for term in map.keys() {
            if !term.starts_with('@') {
                self.create_term(
                    result,
                    map,
                    term,
                    &mut defined,
                    protected_default,
                    override_protected,
                )?;
            }
        }
        Ok(())
    }

    /// JSON-LD 1.1 Create Term Definition (supported subset).
    fn create_term<'m>(
        &self,
        result: &mut Ctx,
        local: &'m Map<String, Value>,
        term: &'m str,
        defined: &mut HashMap<&'m str, bool>,
        protected_default: bool,
        override_protected: bool,
    ) -> Result<(), Unsupported> {
        match defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => {
                return Err(Unsupported::UnsupportedContextFeature(
                    "a cyclic IRI mapping",
                ));
            }
            None => {}
        }
        defined.insert(term, false);
        let value = &local[term];
        let simple = value.is_string();
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let def_map: &'m Map<String, Value> = match value {
            Value::Object(m) => m,
            _ => EMPTY.get_or_init(Map::new),
        };
        let mut unsupported: Option<&'static str> = None;
        for key in def_map.keys() {
            match key.as_str() {
                "@id" | "@type" | "@context" | "@container" | "@protected" | "@prefix" => {}
                "@reverse" => unsupported = Some("@reverse"),
                "@nest" => unsupported = Some("@nest"),
                "@index" => unsupported = Some("@index"),
                "@language" => unsupported = Some("@language"),
                "@direction" => unsupported = Some("@direction"),
                _ => unsupported = Some("an unknown term keyword"),
            }
        }
        if term.contains(':') || term.contains('/') {
            unsupported = Some("an IRI-shaped term");
        }
        let protected = def_map
            .get("@protected")
            .and_then(Value::as_bool)
            .unwrap_or(protected_default);

        // The IRI mapping.
        let id_value: Option<&Value> = match value {
            Value::String(_) => Some(value),
            Value::Object(m) => m.get("@id"),
            Value::Null => Some(&Value::Null),
            _ => {
                return Err(Unsupported::UnsupportedContextFeature(
                    "a term definition that is not a string or object",
                ));
            }
        };
        let mapping = match id_value {
            Some(Value::Null) => Mapping::Null,
            Some(Value::String(id)) if id == "@id" => Mapping::Id,
            Some(Value::String(id)) if id == "@type" => Mapping::Type,
            Some(Value::String(id)) if is_keyword_like(id) => {
                unsupported = Some("an alias of a keyword other than @id and @type");
                Mapping::Null
            }
            Some(Value::String(id)) => {
                match self.expand_in_definition(
                    result,
                    local,
                    id,
                    defined,
                    protected_default,
                    override_protected,
                )? {
                    Some(Expanded::Iri(i)) => Mapping::Iri(Arc::from(i.as_str())),
                    Some(Expanded::Shared(i)) => Mapping::Iri(i),
                    Some(Expanded::Blank(_)) => {
                        unsupported = Some("a blank node identifier as a term");
                        Mapping::Null
                    }
                    Some(Expanded::Keyword("@type")) => Mapping::Type,
                    Some(Expanded::Keyword(_)) => Mapping::Id,
                    None => {
                        return Err(Unsupported::UnsupportedContextFeature(
                            "a term whose @id does not expand to an IRI",
                        ));
                    }
                }
            }
            Some(_) => return Err(Unsupported::UnsupportedContextFeature("a non-string @id")),
            None => {
                // No @id: compact IRI, or the vocabulary mapping.
                if term.contains(':') {
                    match self.expand_in_definition(
                        result,
                        local,
                        term,
                        defined,
                        protected_default,
                        override_protected,
                    )? {
                        Some(Expanded::Iri(i)) => Mapping::Iri(Arc::from(i.as_str())),
                        Some(Expanded::Shared(i)) => Mapping::Iri(i),
                        _ => Mapping::Null,
                    }
                } else if let Some(v) = &result.vocab {
                    Mapping::Iri(Arc::from(format!("{v}{term}").as_str()))
                } else if unsupported.is_some() {
                    // e.g. an @reverse term: refused when used, not here.
                    Mapping::Null
                } else {
                    return Err(Unsupported::UnsupportedContextFeature(
                        "a term without an IRI mapping",
                    ));
                }
            }
        };

        let coercion = match def_map.get("@type") {
            None => Coercion::None,
            Some(Value::String(t)) => match t.as_str() {
                "@id" => Coercion::Id,
                "@vocab" => Coercion::Vocab,
                "@json" => Coercion::Unsupported("@type: @json"),
                "@none" => Coercion::Unsupported("@type: @none"),
                other => match self.expand_in_definition(
                    result,
                    local,
                    other,
                    defined,
                    protected_default,
                    override_protected,
                )? {
                    Some(Expanded::Iri(i)) if is_absolute_iri(&i) => {
                        Coercion::Datatype(Arc::from(i.as_str()))
                    }
                    Some(Expanded::Shared(i)) if is_absolute_iri(&i) => Coercion::Datatype(i),
                    _ => {
                        return Err(Unsupported::UnsupportedContextFeature(
                            "a @type that is not an IRI",
                        ));
                    }
                },
            },
            Some(_) => return Err(Unsupported::UnsupportedContextFeature("a non-string @type")),
        };

        let mut graph_container = false;
        if let Some(c) = def_map.get("@container") {
            let items: Vec<&Value> = match c {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for item in items {
                match item.as_str() {
                    Some("@set") => {}
                    Some("@graph") => graph_container = true,
                    Some("@list") => unsupported = Some("@container: @list"),
                    Some("@language") => unsupported = Some("@container: @language"),
                    Some("@index") => unsupported = Some("@container: @index"),
                    Some("@id") => unsupported = Some("@container: @id"),
                    Some("@type") => unsupported = Some("@container: @type"),
                    _ => unsupported = Some("an unknown @container"),
                }
            }
        }

        let scoped = def_map.get("@context").map(|c| Arc::new(c.clone()));
        let prefix = match def_map.get("@prefix") {
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(Unsupported::UnsupportedContextFeature(
                    "a non-boolean @prefix",
                ));
            }
            None => {
                simple
                    && !term.contains(':')
                    && !term.contains('/')
                    && matches!(&mapping, Mapping::Iri(i) if ends_with_gen_delim(i))
            }
        };

        let new_def = TermDef {
            uid: self.next_term.fetch_add(1, Ordering::Relaxed),
            mapping,
            coercion,
            graph_container,
            scoped,
            protected,
            prefix,
            unsupported,
        };
        let def = match result.terms.get(term) {
            Some(old) if old.protected && !override_protected => {
                if !old.same_as(&new_def) {
                    return Err(Unsupported::ProtectedTermRedefinition(term.to_owned()));
                }
                old.clone()
            }
            _ => Arc::new(new_def),
        };
        result.terms.insert(term.to_owned(), def);
        defined.insert(term, true);
        Ok(())
    }

    /// IRI expansion inside a context being defined: terms of the same
    /// local context are defined first when a value depends on them.
    fn expand_in_definition<'m>(
        &self,
        result: &mut Ctx,
        local: &'m Map<String, Value>,
        value: &'m str,
        defined: &mut HashMap<&'m str, bool>,
        protected_default: bool,
        override_protected: bool,
    ) -> Result<Option<Expanded>, Unsupported> {
        if is_keyword_like(value) {
            return Ok(match value {
                "@id" => Some(Expanded::Keyword("@id")),
                "@type" => Some(Expanded::Keyword("@type")),
                _ => None,
            });
        }
        // A value that is, or is prefixed by, a term of the same local
        // context depends on that term: define it first.
        let prefix = value.find(':').map(|colon| &value[..colon]);
        for dependency in std::iter::once(value).chain(prefix) {
            if let Some((key, _)) = local.get_key_value(dependency)
                && defined.get(key.as_str()) != Some(&true)
            {
                self.create_term(
                    result,
                    local,
                    key,
                    defined,
                    protected_default,
                    override_protected,
                )?;
            }
        }
        result.expand_vocab(value).or(Ok(None))
    }
}
