//! Compacted JSON-LD → RDF quads, in one pass, for pinned contexts.

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde_json::{Map, Value};

use crate::context::{Coercion, Ctx, Expanded, Mapping, Processor, TermDef};
use crate::{RDF_TYPE, Unsupported, XSD_BOOLEAN, XSD_DOUBLE, XSD_INTEGER, XSD_STRING};

/// Deepest JSON nesting the converter follows.
const MAX_DEPTH: usize = 64;
/// 2^53: the largest integer every JSON-LD processor represents exactly.
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_992;

/// An RDF node: an IRI or a blank node (numbered per dataset).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Node {
    Iri(Arc<str>),
    Blank(u32),
}

/// An RDF term in object position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Object {
    Node(Node),
    Literal {
        value: Arc<str>,
        datatype: Arc<str>,
    },
    /// An `rdf:langString` literal: its language tag (lower case, as
    /// jsonld.js writes it).
    LangLiteral {
        value: Arc<str>,
        language: Arc<str>,
    },
}

/// A quad; `graph` is `None` for the default graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Quad {
    pub(crate) subject: Node,
    pub(crate) predicate: Arc<str>,
    pub(crate) object: Object,
    pub(crate) graph: Option<Node>,
}

/// The RDF dataset of a document, ready for canonicalization. Duplicate
/// quads are collapsed (RDF datasets are sets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub(crate) quads: Vec<Quad>,
    pub(crate) blank_nodes: u32,
}

impl Dataset {
    pub(crate) fn new(mut quads: Vec<Quad>, blank_nodes: u32) -> Self {
        quads.sort_unstable();
        quads.dedup();
        Self { quads, blank_nodes }
    }

    /// Number of (distinct) quads.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// Whether the dataset has no quads.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }
}

/// Whether `text` (a JSON document already parsed as `value`) repeats a key
/// inside one object. `serde_json` keeps the last value silently; JSON-LD
/// processors differ, so the fast path refuses such documents. The check
/// counts member separators outside strings and compares with the parsed
/// member count.
pub fn duplicate_keys(text: &str, value: &Value) -> bool {
    fn members(v: &Value) -> usize {
        match v {
            Value::Object(m) => m.len() + m.values().map(members).sum::<usize>(),
            Value::Array(a) => a.iter().map(members).sum(),
            _ => 0,
        }
    }
    let mut in_string = false;
    let mut escaped = false;
    let mut colons = 0usize;
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b':' {
            colons += 1;
        }
    }
    colons != members(value)
}

impl Processor {
    /// Converts a compacted JSON-LD document to its RDF dataset, or says
    /// why the fast path will not.
    ///
    /// # Errors
    /// [`Unsupported`] with the first feature the fast path refuses.
    pub fn to_dataset(&self, doc: &Value) -> Result<Dataset, Unsupported> {
        self.to_dataset_without(doc.as_object().ok_or(Unsupported::NotAnObject)?, None)
    }

    /// As [`Processor::to_dataset`], leaving out one member of the root
    /// object (a Data Integrity document without its `proof`), without
    /// copying the document.
    ///
    /// # Errors
    /// [`Unsupported`] with the first feature the fast path refuses.
    pub fn to_dataset_without(
        &self,
        obj: &Map<String, Value>,
        skip_root_key: Option<&str>,
    ) -> Result<Dataset, Unsupported> {
        let items: Vec<&Value> = match obj.get("@context") {
            Some(v @ Value::String(_)) => vec![v],
            Some(Value::Array(a)) => a.iter().collect(),
            _ => return Err(Unsupported::InlineContext),
        };
        // The leading context URLs are compiled once and cached; inline
        // objects (VC 2.0 allows them after the base context), and what
        // follows them, are this document's own.
        let urls: Vec<&str> = items.iter().map_while(|v| v.as_str()).collect();
        let mut conv = Converter {
            processor: self,
            quads: Vec::with_capacity(64),
            blanks: 0,
            labels: HashMap::new(),
            skip_root_key,
            graph: None,
            local: FxHashMap::default(),
            local_work: 0,
        };
        let mut root = self.root(&urls)?;
        if urls.len() < items.len() {
            let rest = Value::Array(items[urls.len()..].iter().map(|v| (*v).clone()).collect());
            root = conv.apply_local(&root, &rest)?;
        }
        conv.node(obj, root, 0, true)?;
        Ok(Dataset::new(conv.quads, conv.blanks))
    }
}

/// Most work spent compiling a document's own contexts, in term
/// definitions copied or created: a few hundred compilations of a context
/// the size of the VC 2.0 base context. A document needing more is refused
/// ([`Unsupported::WorkBudgetExceeded`]).
const LOCAL_CONTEXT_WORK: usize = 200_000;

struct Converter<'p, 'k> {
    processor: &'p Processor,
    quads: Vec<Quad>,
    blanks: u32,
    labels: HashMap<String, u32>,
    skip_root_key: Option<&'k str>,
    /// The graph quads go to (`None`: the default graph).
    graph: Option<Node>,
    /// Contexts derived from this document's own contexts, by (context
    /// id, term definition uid, type-scoped): compiled once per document,
    /// never shared.
    local: FxHashMap<(u32, u32, bool), Arc<Ctx>>,
    /// Work spent compiling this document's own contexts.
    local_work: usize,
}

fn check_text(s: &str) -> Result<(), Unsupported> {
    if s.chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\r') || c == '\u{7f}')
    {
        return Err(Unsupported::ControlCharacter);
    }
    Ok(())
}

/// A value object of a string with a language and a direction (JSON-LD
/// 1.1 §4.2.4, as VC 2.0's names and descriptions use them): `"x"@en`, or
/// a plain string without `@language`. With `@direction`, the literal has
/// the `i18n` datatype `https://www.w3.org/ns/i18n#en_rtl` (JSON-LD's
/// `rdfDirection: i18n-datatype`, as jsonld-signatures and the Data
/// Integrity cryptosuites canonicalize since 2024, so that the proof covers
/// the direction). Language tags are lower-cased, as JSON-LD expansion does
/// in jsonld.js. Anything else in a value object (`@type`, `@index`,
/// non-string values) is refused.
fn value_object(o: &Map<String, Value>) -> Result<Object, Unsupported> {
    for k in o.keys() {
        if !matches!(k.as_str(), "@value" | "@language" | "@direction") {
            return Err(Unsupported::KeywordInData(if k.starts_with('@') {
                k.clone()
            } else {
                "@value".into()
            }));
        }
    }
    let Some(Value::String(value)) = o.get("@value") else {
        return Err(Unsupported::KeywordInData("@value".into()));
    };
    check_text(value)?;
    let direction = match o.get("@direction") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) if d == "ltr" || d == "rtl" => Some(d.as_str()),
        Some(_) => return Err(Unsupported::KeywordInData("@direction".into())),
    };
    let language = match o.get("@language") {
        None | Some(Value::Null) => None,
        Some(Value::String(tag)) if is_language_tag(tag) => Some(tag.to_ascii_lowercase()),
        Some(_) => return Err(Unsupported::KeywordInData("@language".into())),
    };
    let value: Arc<str> = Arc::from(value.as_str());
    Ok(match (language, direction) {
        (language, Some(direction)) => Object::Literal {
            value,
            datatype: Arc::from(
                format!(
                    "https://www.w3.org/ns/i18n#{}_{direction}",
                    language.as_deref().unwrap_or("")
                )
                .as_str(),
            ),
        },
        (Some(language), None) => Object::LangLiteral {
            value,
            language: Arc::from(language.as_str()),
        },
        (None, None) => Object::Literal {
            value,
            datatype: Arc::from(XSD_STRING),
        },
    })
}

/// A BCP 47 language tag's shape, as N-Quads allows it:
/// `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts.next().is_some_and(|p| {
        !p.is_empty() && p.len() <= 8 && p.bytes().all(|c| c.is_ascii_alphabetic())
    }) && parts
        .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

fn integer_lexical(n: &serde_json::Number) -> Result<String, Unsupported> {
    let text = n.to_string();
    let digits = text.strip_prefix('-').unwrap_or(&text);
    let well_formed = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    if !well_formed {
        return Err(Unsupported::UnsupportedNumber);
    }
    match digits.parse::<u64>() {
        Ok(v) if v <= MAX_SAFE_INTEGER => Ok(text),
        _ => Err(Unsupported::UnsupportedNumber),
    }
}

/// A rough size of a local context: its keys, all levels down.
fn context_size(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.len() + m.values().map(context_size).sum::<usize>(),
        Value::Array(a) => 1 + a.iter().map(context_size).sum::<usize>(),
        _ => 1,
    }
}

impl Converter<'_, '_> {
    /// Charges the work of compiling `local` on top of `ctx`.
    fn charge(&mut self, ctx: &Ctx, local: &Value) -> Result<(), Unsupported> {
        self.local_work += ctx.terms.len() + context_size(local);
        if self.local_work > LOCAL_CONTEXT_WORK {
            return Err(Unsupported::WorkBudgetExceeded);
        }
        Ok(())
    }

    /// `ctx` with a context the document carries applied.
    fn apply_local(&mut self, ctx: &Arc<Ctx>, local: &Value) -> Result<Arc<Ctx>, Unsupported> {
        self.charge(ctx, local)?;
        self.processor.apply_local(ctx, local).map(Arc::new)
    }

    /// `ctx` with a term's scoped context applied: from the processor's
    /// cache for pinned contexts, from this document's own otherwise.
    fn derive(
        &mut self,
        ctx: &Arc<Ctx>,
        def: &TermDef,
        type_scoped: bool,
    ) -> Result<Arc<Ctx>, Unsupported> {
        if !ctx.ephemeral {
            return self.processor.derive(ctx, def, type_scoped);
        }
        let key = (ctx.id, def.uid, type_scoped);
        if let Some(c) = self.local.get(&key) {
            return Ok(c.clone());
        }
        if let Some(scoped) = &def.scoped {
            self.charge(ctx, scoped)?;
        }
        let c = Arc::new(self.processor.derive_uncached(ctx, def, type_scoped)?);
        self.local.insert(key, c.clone());
        Ok(c)
    }

    fn blank(&mut self) -> Node {
        self.blanks += 1;
        Node::Blank(self.blanks - 1)
    }

    fn labelled(&mut self, label: &str) -> Node {
        if let Some(n) = self.labels.get(label) {
            return Node::Blank(*n);
        }
        let node = self.blank();
        if let Node::Blank(n) = node {
            self.labels.insert(label.to_owned(), n);
        }
        node
    }

    fn node_from(&mut self, e: Expanded) -> Result<Node, Unsupported> {
        match e {
            Expanded::Iri(i) => {
                if !crate::iri::is_absolute_iri(&i) {
                    return Err(Unsupported::InvalidIri);
                }
                Ok(Node::Iri(Arc::from(i.as_str())))
            }
            Expanded::Shared(i) => Ok(Node::Iri(i)),
            Expanded::Blank(label) => Ok(self.labelled(&label)),
            Expanded::Keyword(k) => Err(Unsupported::KeywordInData(k.to_owned())),
        }
    }

    fn push(&mut self, subject: &Node, predicate: &Arc<str>, object: Object) {
        self.quads.push(Quad {
            subject: subject.clone(),
            predicate: predicate.clone(),
            object,
            graph: self.graph.clone(),
        });
    }

    /// Expands one node object and returns its subject.
    fn node(
        &mut self,
        obj: &Map<String, Value>,
        ctx: Arc<Ctx>,
        depth: usize,
        root: bool,
    ) -> Result<Node, Unsupported> {
        if depth > MAX_DEPTH {
            return Err(Unsupported::TooDeep);
        }
        let mut id: Option<&str> = None;
        let mut types: Vec<&str> = Vec::new();
        let mut type_keys = 0;
        // An embedded @context: pinned context URLs (cached), or with
        // inline objects (this document's own).
        let mut ctx = ctx;
        if !root && let Some(local) = obj.get("@context") {
            let urls: Option<Vec<&str>> = match local {
                Value::String(s) => Some(vec![s.as_str()]),
                Value::Array(a) => a.iter().map(Value::as_str).collect(),
                Value::Object(_) => None,
                _ => return Err(Unsupported::EmbeddedContext),
            };
            ctx = match urls {
                Some(urls) if !ctx.ephemeral => self.processor.derive_urls(&ctx, &urls)?,
                _ => self.apply_local(&ctx, local)?,
            };
        }
        for (k, v) in obj {
            if k == "@context" || (root && Some(k.as_str()) == self.skip_root_key) {
                continue;
            }
            let mapping = ctx.terms.get(k.as_str()).map(|d| &d.mapping);
            let is_id = k == "@id" || mapping == Some(&Mapping::Id);
            let is_type = k == "@type" || mapping == Some(&Mapping::Type);
            if is_id {
                if id.is_some() {
                    return Err(Unsupported::KeywordInData("@id".into()));
                }
                id = Some(v.as_str().ok_or(Unsupported::NonStringIri)?);
            } else if is_type {
                type_keys += 1;
                match v {
                    Value::String(s) => types.push(s),
                    Value::Array(a) => {
                        for t in a {
                            types.push(t.as_str().ok_or(Unsupported::NonStringIri)?);
                        }
                    }
                    _ => return Err(Unsupported::NonStringIri),
                }
            } else if k.starts_with('@') {
                return Err(Unsupported::KeywordInData(k.clone()));
            }
        }
        if type_keys > 1 {
            return Err(Unsupported::KeywordInData("@type".into()));
        }

        // Type-scoped contexts, in lexicographic order of the type terms,
        // looked up in the context before any of them applied.
        let type_ctx = ctx.clone();
        let mut active = ctx;
        let mut sorted = types.clone();
        sorted.sort_unstable();
        for t in &sorted {
            if let Some(def) = type_ctx.terms.get(*t)
                && def.scoped.is_some()
            {
                active = self.derive(&active, def, true)?;
            }
        }

        let subject = match id {
            Some(s) => {
                check_text(s)?;
                let e = active.expand_id(s)?;
                self.node_from(e)?
            }
            None => self.blank(),
        };
        let rdf_type: Arc<str> = Arc::from(RDF_TYPE);
        for t in &types {
            check_text(t)?;
            match type_ctx.expand_vocab(t)? {
                Some(Expanded::Blank(_)) => return Err(Unsupported::BlankNodeInPredicateOrType),
                Some(e) => {
                    let node = self.node_from(e)?;
                    self.push(&subject, &rdf_type, Object::Node(node));
                }
                None => return Err(Unsupported::UndefinedTerm((*t).to_owned())),
            }
        }

        for (k, v) in obj {
            if k == "@context"
                || k.starts_with('@')
                || (root && Some(k.as_str()) == self.skip_root_key)
            {
                continue;
            }
            let def = active.terms.get(k.as_str()).cloned();
            if let Some(d) = &def
                && matches!(d.mapping, Mapping::Id | Mapping::Type)
            {
                continue;
            }
            let predicate: Arc<str> = match &def {
                Some(d) => {
                    if let Some(f) = d.unsupported {
                        return Err(Unsupported::UnsupportedTerm {
                            term: k.clone(),
                            feature: f,
                        });
                    }
                    match &d.mapping {
                        Mapping::Iri(i) => i.clone(),
                        _ => return Err(Unsupported::UndefinedTerm(k.clone())),
                    }
                }
                None => match active.expand_vocab(k)? {
                    Some(Expanded::Iri(i)) if crate::iri::is_absolute_iri(&i) => {
                        Arc::from(i.as_str())
                    }
                    Some(Expanded::Shared(i)) => i,
                    Some(Expanded::Blank(_)) => {
                        return Err(Unsupported::BlankNodeInPredicateOrType);
                    }
                    Some(Expanded::Keyword(kw)) => {
                        return Err(Unsupported::KeywordInData(kw.to_owned()));
                    }
                    _ => return Err(Unsupported::UndefinedTerm(k.clone())),
                },
            };
            if let Some(d) = &def
                && let Coercion::Unsupported(f) = d.coercion
            {
                return Err(Unsupported::UnsupportedTerm {
                    term: k.clone(),
                    feature: f,
                });
            }
            match v {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        if item.is_array() {
                            return Err(Unsupported::NestedArray);
                        }
                        self.value(
                            &subject,
                            &predicate,
                            k,
                            def.as_deref(),
                            item,
                            &active,
                            depth,
                        )?;
                    }
                }
                _ => self.value(&subject, &predicate, k, def.as_deref(), v, &active, depth)?,
            }
        }
        Ok(subject)
    }

    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        subject: &Node,
        predicate: &Arc<str>,
        key: &str,
        def: Option<&TermDef>,
        v: &Value,
        active: &Arc<Ctx>,
        depth: usize,
    ) -> Result<(), Unsupported> {
        let scoped = def.filter(|d| d.scoped.is_some());
        if let Value::Object(o) = v
            && o.contains_key("@value")
        {
            let object = value_object(o)?;
            self.push(subject, predicate, object);
            return Ok(());
        }
        if let Value::Object(o) = v {
            // A new node object leaves type-scoped contexts behind, unless it
            // is only a reference ({"id": …}).
            let only_id = o.len() == 1
                && o.keys().all(|k| {
                    k == "@id"
                        || active
                            .terms
                            .get(k.as_str())
                            .is_some_and(|d| d.mapping == Mapping::Id)
                });
            let mut c = active.clone();
            if !only_id && let Some(prev) = &c.previous {
                c = prev.clone();
            }
            if let Some(d) = scoped {
                c = self.derive(&c, d, false)?;
            }
            if def.is_some_and(|d| d.graph_container) {
                // An @graph container: the node goes into a new graph named
                // by a blank node, which is the property's value.
                let g = self.blank();
                let outer = self.graph.replace(g.clone());
                let inner = self.node(o, c, depth + 1, false);
                self.graph = outer;
                inner?;
                self.push(subject, predicate, Object::Node(g));
                return Ok(());
            }
            let child = self.node(o, c, depth + 1, false)?;
            self.push(subject, predicate, Object::Node(child));
            return Ok(());
        }
        if def.is_some_and(|d| d.graph_container) {
            return Err(Unsupported::GraphContainer(key.to_owned()));
        }
        let c = match scoped {
            Some(d) => self.derive(active, d, false)?,
            None => active.clone(),
        };
        // The property's coercion in the (possibly scoped) active context.
        let coercion = match def {
            Some(_) => c
                .terms
                .get(key)
                .map(|d| d.coercion.clone())
                .unwrap_or(Coercion::None),
            None => Coercion::None,
        };
        let object = match (v, &coercion) {
            (_, Coercion::Unsupported(f)) => {
                return Err(Unsupported::UnsupportedTerm {
                    term: key.to_owned(),
                    feature: f,
                });
            }
            (Value::String(s), Coercion::Id) => {
                check_text(s)?;
                Object::Node(self.node_from(c.expand_id(s)?)?)
            }
            (Value::String(s), Coercion::Vocab) => {
                check_text(s)?;
                match c.expand_vocab(s)? {
                    Some(e) => Object::Node(self.node_from(e)?),
                    None => return Err(Unsupported::InvalidIri),
                }
            }
            (Value::String(s), Coercion::Datatype(dt)) => {
                check_text(s)?;
                Object::Literal {
                    value: Arc::from(s.as_str()),
                    datatype: dt.clone(),
                }
            }
            (Value::String(s), Coercion::None) => {
                check_text(s)?;
                Object::Literal {
                    value: Arc::from(s.as_str()),
                    datatype: Arc::from(XSD_STRING),
                }
            }
            (Value::Number(_) | Value::Bool(_), Coercion::Id | Coercion::Vocab) => {
                return Err(Unsupported::NonStringIri);
            }
            (Value::Number(n), _) => {
                let datatype: Arc<str> = match &coercion {
                    Coercion::Datatype(dt) if &**dt == XSD_DOUBLE => {
                        return Err(Unsupported::UnsupportedNumber);
                    }
                    Coercion::Datatype(dt) => dt.clone(),
                    _ => Arc::from(XSD_INTEGER),
                };
                Object::Literal {
                    value: Arc::from(integer_lexical(n)?.as_str()),
                    datatype,
                }
            }
            (Value::Bool(b), _) => {
                let datatype: Arc<str> = match &coercion {
                    Coercion::Datatype(dt) => dt.clone(),
                    _ => Arc::from(XSD_BOOLEAN),
                };
                Object::Literal {
                    value: Arc::from(if *b { "true" } else { "false" }),
                    datatype,
                }
            }
            (Value::Null | Value::Array(_) | Value::Object(_), _) => return Ok(()),
        };
        self.push(subject, predicate, object);
        Ok(())
    }
}
