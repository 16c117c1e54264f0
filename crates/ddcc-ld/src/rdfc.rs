//! RDFC-1.0 (W3C RDF Dataset Canonicalization): the first-degree fast path,
//! the full N-degree algorithm when first-degree hashes collide, and a work
//! budget against graphs built to be expensive.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256, Sha384};

use crate::convert::{Dataset, Node, Object, Quad};
use crate::{Unsupported, XSD_STRING};

/// Default work budget: the number of N-degree hashing steps (calls and
/// permutations) allowed for one dataset.
pub const DEFAULT_WORK_BUDGET: usize = 4096;

/// The hash function RDFC-1.0 runs with. SHA-256 is the default;
/// `ecdsa-rdfc-2019` with P-384 keys canonicalizes with SHA-384.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RdfcHash {
    /// SHA-256.
    #[default]
    Sha256,
    /// SHA-384.
    Sha384,
}

impl RdfcHash {
    /// The digest of `data`, in lowercase hex.
    fn hex(self, data: &[u8]) -> String {
        match self {
            Self::Sha256 => hex::encode(Sha256::digest(data)),
            Self::Sha384 => hex::encode(Sha384::digest(data)),
        }
    }

    /// The digest of the concatenated `parts`, in lowercase hex.
    fn hex_of_parts<'a>(self, parts: impl Iterator<Item = &'a [u8]>) -> String {
        match self {
            Self::Sha256 => {
                let mut h = Sha256::new();
                parts.for_each(|p| h.update(p));
                hex::encode(h.finalize())
            }
            Self::Sha384 => {
                let mut h = Sha384::new();
                parts.for_each(|p| h.update(p));
                hex::encode(h.finalize())
            }
        }
    }
}

/// The canonical form of a dataset: canonical N-Quads lines, sorted, each
/// ending in `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalForm {
    text: String,
    lines: usize,
}

impl CanonicalForm {
    /// The lines, sorted (each with its `\n`).
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.text.split_inclusive('\n')
    }

    /// Number of lines (distinct quads).
    pub fn len(&self) -> usize {
        self.lines
    }

    /// Whether the dataset was empty.
    pub fn is_empty(&self) -> bool {
        self.lines == 0
    }

    /// The canonical N-Quads document.
    pub fn to_nquads(&self) -> String {
        self.text.clone()
    }

    /// The canonical N-Quads document, by reference.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// SHA-256 over the canonical N-Quads document.
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(self.text.as_bytes()).into()
    }

    /// SHA-384 over the canonical N-Quads document.
    pub fn sha384(&self) -> [u8; 48] {
        Sha384::digest(self.text.as_bytes()).into()
    }
}

fn escape_literal(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Appends the label of a blank node (without `_:`).
type Labeler<'l> = &'l dyn Fn(u32, &mut String);

fn write_node(out: &mut String, n: &Node, label: Labeler<'_>) {
    match n {
        Node::Iri(i) => {
            out.push('<');
            out.push_str(i);
            out.push('>');
        }
        Node::Blank(b) => {
            out.push_str("_:");
            label(*b, out);
        }
    }
}

/// Serialises one quad as a canonical N-Quads line.
fn write_quad(out: &mut String, q: &Quad, label: Labeler<'_>) {
    write_node(out, &q.subject, label);
    out.push_str(" <");
    out.push_str(&q.predicate);
    out.push_str("> ");
    match &q.object {
        Object::Node(n) => write_node(out, n, label),
        Object::Literal { value, datatype } => {
            out.push('"');
            escape_literal(out, value);
            out.push('"');
            if &**datatype != XSD_STRING {
                out.push_str("^^<");
                out.push_str(datatype);
                out.push('>');
            }
        }
        Object::LangLiteral { value, language } => {
            out.push('"');
            escape_literal(out, value);
            out.push_str("\"@");
            out.push_str(language);
        }
    }
    if let Some(g) = &q.graph {
        out.push(' ');
        write_node(out, g, label);
    }
    out.push_str(" .\n");
}

/// An identifier issuer (RDFC-1.0 §4.5).
#[derive(Clone, Debug)]
struct Issuer {
    prefix: &'static str,
    issued: Vec<u32>,
    ids: HashMap<u32, String>,
}

impl Issuer {
    fn new(prefix: &'static str) -> Self {
        Self {
            prefix,
            issued: Vec::new(),
            ids: HashMap::new(),
        }
    }

    fn get(&self, b: u32) -> Option<&String> {
        self.ids.get(&b)
    }

    fn issue(&mut self, b: u32) -> String {
        if let Some(id) = self.ids.get(&b) {
            return id.clone();
        }
        let id = format!("{}{}", self.prefix, self.issued.len());
        self.issued.push(b);
        self.ids.insert(b, id.clone());
        id
    }
}

struct State<'d> {
    quads: &'d [Quad],
    /// Blank node → indices of the quads that mention it.
    mentions: Vec<Vec<usize>>,
    first_degree: Vec<String>,
    canonical: Issuer,
    budget: usize,
    hash: RdfcHash,
}

fn blank_nodes_of(q: &Quad) -> impl Iterator<Item = u32> + '_ {
    let s = match &q.subject {
        Node::Blank(b) => Some(*b),
        Node::Iri(_) => None,
    };
    let o = match &q.object {
        Object::Node(Node::Blank(b)) => Some(*b),
        _ => None,
    };
    let g = match &q.graph {
        Some(Node::Blank(b)) => Some(*b),
        _ => None,
    };
    s.into_iter().chain(o).chain(g)
}

impl State<'_> {
    fn spend(&mut self) -> Result<(), Unsupported> {
        if self.budget == 0 {
            return Err(Unsupported::WorkBudgetExceeded);
        }
        self.budget -= 1;
        Ok(())
    }

    /// Hash First Degree Quads (§4.6). `buf` and `ranges` are scratch space.
    fn hash_first_degree(
        &self,
        b: u32,
        buf: &mut String,
        ranges: &mut Vec<(usize, usize)>,
    ) -> String {
        buf.clear();
        ranges.clear();
        for &i in &self.mentions[b as usize] {
            let start = buf.len();
            write_quad(buf, &self.quads[i], &|x, out: &mut String| {
                out.push(if x == b { 'a' } else { 'z' })
            });
            ranges.push((start, buf.len()));
        }
        ranges.sort_unstable_by(|x, y| buf[x.0..x.1].cmp(&buf[y.0..y.1]));
        self.hash
            .hex_of_parts(ranges.iter().map(|&(a, z)| &buf.as_bytes()[a..z]))
    }

    /// Hash Related Blank Node (§4.7).
    fn hash_related(&self, related: u32, q: &Quad, issuer: &Issuer, position: char) -> String {
        let id = self
            .canonical
            .get(related)
            .or_else(|| issuer.get(related))
            .map(|s| format!("_:{s}"))
            .unwrap_or_else(|| self.first_degree[related as usize].clone());
        let mut input = String::new();
        input.push(position);
        if position != 'g' {
            input.push('<');
            input.push_str(&q.predicate);
            input.push('>');
        }
        input.push_str(&id);
        self.hash.hex(input.as_bytes())
    }

    /// Hash N-Degree Quads (§4.8).
    fn hash_n_degree(&mut self, b: u32, issuer: &Issuer) -> Result<(String, Issuer), Unsupported> {
        self.spend()?;
        let mut issuer = issuer.clone();
        let mut hn: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for &i in &self.mentions[b as usize].clone() {
            let q = &self.quads[i];
            let comps = [
                (
                    match &q.subject {
                        Node::Blank(x) => Some(*x),
                        _ => None,
                    },
                    's',
                ),
                (
                    match &q.object {
                        Object::Node(Node::Blank(x)) => Some(*x),
                        _ => None,
                    },
                    'o',
                ),
                (
                    match &q.graph {
                        Some(Node::Blank(x)) => Some(*x),
                        _ => None,
                    },
                    'g',
                ),
            ];
            for (comp, pos) in comps {
                if let Some(r) = comp
                    && r != b
                {
                    let h = self.hash_related(r, q, &issuer, pos);
                    hn.entry(h).or_default().push(r);
                }
            }
        }
        let mut data = String::new();
        for (related_hash, list) in hn {
            data.push_str(&related_hash);
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut perm = list.clone();
            perm.sort_unstable();
            loop {
                self.spend()?;
                let mut issuer_copy = issuer.clone();
                let mut path = String::new();
                let mut recursion = Vec::new();
                let mut skip = false;
                for &r in &perm {
                    if let Some(c) = self.canonical.get(r) {
                        path.push_str("_:");
                        path.push_str(c);
                    } else {
                        if issuer_copy.get(r).is_none() {
                            recursion.push(r);
                        }
                        path.push_str("_:");
                        path.push_str(&issuer_copy.issue(r));
                    }
                    if !chosen_path.is_empty()
                        && path.len() >= chosen_path.len()
                        && path > chosen_path
                    {
                        skip = true;
                        break;
                    }
                }
                if !skip {
                    for r in recursion {
                        let (h, new_issuer) = self.hash_n_degree(r, &issuer_copy)?;
                        path.push_str("_:");
                        path.push_str(&issuer_copy.issue(r));
                        path.push('<');
                        path.push_str(&h);
                        path.push('>');
                        issuer_copy = new_issuer;
                        if !chosen_path.is_empty()
                            && path.len() >= chosen_path.len()
                            && path > chosen_path
                        {
                            skip = true;
                            break;
                        }
                    }
                }
                if !skip && (chosen_path.is_empty() || path < chosen_path) {
                    chosen_path = path;
                    chosen_issuer = Some(issuer_copy);
                }
                if !next_permutation(&mut perm) {
                    break;
                }
            }
            data.push_str(&chosen_path);
            if let Some(ci) = chosen_issuer {
                issuer = ci;
            }
        }
        Ok((self.hash.hex(data.as_bytes()), issuer))
    }
}

/// Lexicographic next permutation; false after the last one.
fn next_permutation(v: &mut [u32]) -> bool {
    if v.len() < 2 {
        return false;
    }
    let mut i = v.len() - 1;
    while i > 0 && v[i - 1] >= v[i] {
        i -= 1;
    }
    if i == 0 {
        return false;
    }
    let mut j = v.len() - 1;
    while v[j] <= v[i - 1] {
        j -= 1;
    }
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

impl Dataset {
    /// Canonicalises the dataset with RDFC-1.0 (SHA-256), within
    /// [`DEFAULT_WORK_BUDGET`].
    ///
    /// # Errors
    /// [`Unsupported::WorkBudgetExceeded`] for graphs that need more work.
    pub fn canonicalize(&self) -> Result<CanonicalForm, Unsupported> {
        self.canonicalize_with_budget(DEFAULT_WORK_BUDGET)
    }

    /// As [`Dataset::canonicalize`] with an explicit work budget.
    ///
    /// # Errors
    /// [`Unsupported::WorkBudgetExceeded`] when the budget runs out.
    pub fn canonicalize_with_budget(&self, budget: usize) -> Result<CanonicalForm, Unsupported> {
        self.canonicalize_with(RdfcHash::Sha256, budget)
    }

    /// As [`Dataset::canonicalize`] with the given hash function and work
    /// budget.
    ///
    /// # Errors
    /// [`Unsupported::WorkBudgetExceeded`] when the budget runs out.
    pub fn canonicalize_with(
        &self,
        hash: RdfcHash,
        budget: usize,
    ) -> Result<CanonicalForm, Unsupported> {
        let canonical = self.issue_canonical(hash, budget)?;
        Ok(self.write_sorted(&|b, out: &mut String| {
            if let Some(id) = canonical.get(b) {
                out.push_str(id);
            }
        }))
    }

    /// The canonical identifier number RDFC-1.0 gives each blank node
    /// (`c14n{n}`), indexed by the blank node's position in the input (see
    /// [`crate::parse_nquads_labelled`]); `None` for a label that occurs in
    /// no quad. Selective-disclosure suites build their label maps from it.
    ///
    /// # Errors
    /// [`Unsupported::WorkBudgetExceeded`] for graphs that need more work
    /// than [`DEFAULT_WORK_BUDGET`].
    pub fn canonical_numbers(&self) -> Result<Vec<Option<u32>>, Unsupported> {
        let canonical = self.issue_canonical(RdfcHash::Sha256, DEFAULT_WORK_BUDGET)?;
        let mut out = vec![None; self.blank_nodes as usize];
        for (n, b) in canonical.issued.iter().enumerate() {
            out[*b as usize] = Some(n as u32);
        }
        Ok(out)
    }

    /// The dataset as N-Quads with blank node `b` written `_:{label(b)}`:
    /// lines sorted, duplicates removed. With the canonical labels this is
    /// the canonical form; with other labels it is the "label replacement"
    /// canonicalization of the selective-disclosure suites.
    pub fn relabelled(&self, label: &dyn Fn(u32) -> String) -> CanonicalForm {
        self.write_sorted(&|b, out: &mut String| out.push_str(&label(b)))
    }

    fn write_sorted(&self, label: Labeler<'_>) -> CanonicalForm {
        let mut buf = String::with_capacity(self.quads.len() * 128);
        let mut ranges = Vec::with_capacity(self.quads.len());
        for q in &self.quads {
            let start = buf.len();
            write_quad(&mut buf, q, label);
            ranges.push((start, buf.len()));
        }
        ranges.sort_unstable_by(|x, y| buf[x.0..x.1].cmp(&buf[y.0..y.1]));
        ranges.dedup_by(|x, y| buf[x.0..x.1] == buf[y.0..y.1]);
        let mut text = String::with_capacity(buf.len());
        for &(a, z) in &ranges {
            text.push_str(&buf[a..z]);
        }
        CanonicalForm {
            text,
            lines: ranges.len(),
        }
    }

    fn issue_canonical(&self, hash: RdfcHash, budget: usize) -> Result<Issuer, Unsupported> {
        let n = self.blank_nodes as usize;
        let mut mentions = vec![Vec::new(); n];
        for (i, q) in self.quads.iter().enumerate() {
            let mut seen: Vec<u32> = blank_nodes_of(q).collect();
            seen.dedup();
            for b in seen {
                if mentions[b as usize].last() != Some(&i) {
                    mentions[b as usize].push(i);
                }
            }
        }
        let mut state = State {
            quads: &self.quads,
            mentions,
            first_degree: Vec::new(),
            canonical: Issuer::new("c14n"),
            budget,
            hash,
        };
        // Only blank nodes that occur in a quad take part.
        let present: Vec<u32> = (0..n as u32)
            .filter(|b| !state.mentions[*b as usize].is_empty())
            .collect();
        state.first_degree = vec![String::new(); n];
        let mut by_hash: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let (mut buf, mut ranges) = (String::with_capacity(1024), Vec::new());
        for &b in &present {
            let h = state.hash_first_degree(b, &mut buf, &mut ranges);
            state.first_degree[b as usize] = h.clone();
            by_hash.entry(h).or_default().push(b);
        }
        // Unique first-degree hashes: canonical ids in hash order.
        let mut shared = Vec::new();
        for (h, list) in &by_hash {
            if list.len() == 1 {
                state.canonical.issue(list[0]);
            } else {
                shared.push(h.clone());
            }
        }
        // Collisions: N-degree hashing.
        for h in shared {
            let list = by_hash[&h].clone();
            let mut results = Vec::new();
            for b in list {
                if state.canonical.get(b).is_some() {
                    continue;
                }
                let mut temp = Issuer::new("b");
                temp.issue(b);
                results.push(state.hash_n_degree(b, &temp)?);
            }
            results.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in results {
                for b in issuer.issued {
                    state.canonical.issue(b);
                }
            }
        }
        Ok(state.canonical)
    }
}
