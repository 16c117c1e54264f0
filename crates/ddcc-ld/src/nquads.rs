//! A small N-Quads reader, for canonicalising datasets given as N-Quads
//! (the RDFC-1.0 test cases). IRIs, blank nodes, and literals with an
//! optional datatype or language tag.

use std::collections::HashMap;
use std::sync::Arc;

use crate::XSD_STRING;
use crate::convert::{Dataset, Node, Object, Quad};

/// A line that is not N-Quads this reader supports.
#[derive(Debug, thiserror::Error)]
#[error("N-Quads line {line}: {reason}")]
pub struct NQuadsError {
    line: usize,
    reason: &'static str,
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn skip_ws(&mut self) {
        while self.s[self.pos..].starts_with([' ', '\t']) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn iri(&mut self) -> Result<&'a str, &'static str> {
        let Some(rest) = self.s[self.pos..].strip_prefix('<') else {
            return Err("expected '<'");
        };
        let end = rest.find('>').ok_or("unterminated IRI")?;
        self.pos += end + 2;
        Ok(&rest[..end])
    }

    fn blank(&mut self) -> Result<&'a str, &'static str> {
        let Some(rest) = self.s[self.pos..].strip_prefix("_:") else {
            return Err("a blank node label starts with '_:'");
        };
        let end = rest.find([' ', '\t', '.']).unwrap_or(rest.len());
        if end == 0 {
            return Err("empty blank node label");
        }
        self.pos += end + 2;
        Ok(&rest[..end])
    }

    fn literal(&mut self) -> Result<String, &'static str> {
        let mut out = String::new();
        let mut chars = self.s[self.pos + 1..].char_indices();
        loop {
            let (i, c) = chars.next().ok_or("unterminated literal")?;
            match c {
                '"' => {
                    self.pos += i + 2;
                    return Ok(out);
                }
                '\\' => {
                    let (_, e) = chars.next().ok_or("bad escape")?;
                    match e {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        '"' => out.push('"'),
                        '\'' => out.push('\''),
                        '\\' => out.push('\\'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let mut hex = String::new();
                            for _ in 0..n {
                                hex.push(chars.next().ok_or("bad escape")?.1);
                            }
                            let cp = u32::from_str_radix(&hex, 16).map_err(|_| "bad escape")?;
                            out.push(char::from_u32(cp).ok_or("bad escape")?);
                        }
                        _ => return Err("bad escape"),
                    }
                }
                c => out.push(c),
            }
        }
    }
}

/// Parses N-Quads into a dataset.
///
/// # Errors
/// [`NQuadsError`] naming the first line it cannot read.
pub fn parse_nquads(text: &str) -> Result<Dataset, NQuadsError> {
    parse_nquads_labelled(text).map(|(d, _)| d)
}

/// Parses N-Quads into a dataset, also returning the blank node labels
/// (without `_:`) in the order the dataset numbers them, so that results
/// per blank node (such as [`Dataset::canonical_numbers`]) can be mapped
/// back to the input's labels.
///
/// # Errors
/// [`NQuadsError`] naming the first line it cannot read.
pub fn parse_nquads_labelled(text: &str) -> Result<(Dataset, Vec<String>), NQuadsError> {
    parse_nquads_deskolemized(text, None)
}

/// As [`parse_nquads_labelled`], reading every IRI that starts with
/// `skolem_prefix` (such as `urn:bnid:`) as the blank node labelled by the
/// rest of the IRI: the "deskolemization" of the selective-disclosure
/// suites, done on terms rather than on text so that a literal that happens
/// to contain the prefix is left alone.
///
/// # Errors
/// [`NQuadsError`] naming the first line it cannot read.
pub fn parse_nquads_deskolemized(
    text: &str,
    skolem_prefix: Option<&str>,
) -> Result<(Dataset, Vec<String>), NQuadsError> {
    let mut labels: HashMap<String, u32> = HashMap::new();
    let mut quads = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let err = |reason| NQuadsError {
            line: n + 1,
            reason,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut c = Cursor { s: trimmed, pos: 0 };
        let node =
            |c: &mut Cursor<'_>, labels: &mut HashMap<String, u32>| -> Result<Node, &'static str> {
                c.skip_ws();
                match c.peek() {
                    Some('<') => {
                        let iri = c.iri()?;
                        match skolem_prefix.and_then(|p| iri.strip_prefix(p)) {
                            Some(l) if !l.is_empty() => {
                                let next = labels.len() as u32;
                                Ok(Node::Blank(*labels.entry(l.to_owned()).or_insert(next)))
                            }
                            _ => Ok(Node::Iri(Arc::from(iri))),
                        }
                    }
                    Some('_') => {
                        let l = c.blank()?;
                        let next = labels.len() as u32;
                        Ok(Node::Blank(*labels.entry(l.to_owned()).or_insert(next)))
                    }
                    _ => Err("expected an IRI or blank node"),
                }
            };
        let subject = node(&mut c, &mut labels).map_err(err)?;
        c.skip_ws();
        if c.peek() != Some('<') {
            return Err(err("expected a predicate IRI"));
        }
        let predicate: Arc<str> = Arc::from(c.iri().map_err(err)?);
        c.skip_ws();
        let object = if c.peek() == Some('"') {
            let value = c.literal().map_err(err)?;
            if c.s[c.pos..].starts_with("^^") {
                c.pos += 2;
                Object::Literal {
                    value: Arc::from(value.as_str()),
                    datatype: Arc::from(c.iri().map_err(err)?),
                }
            } else if c.s[c.pos..].starts_with('@') {
                // LANGTAG: '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
                let rest = &c.s[c.pos + 1..];
                let len = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-'))
                    .unwrap_or(rest.len());
                let tag = &rest[..len];
                let well_formed = tag.split('-').enumerate().all(|(i, p)| {
                    !p.is_empty()
                        && if i == 0 {
                            p.bytes().all(|b| b.is_ascii_alphabetic())
                        } else {
                            p.bytes().all(|b| b.is_ascii_alphanumeric())
                        }
                });
                if !well_formed {
                    return Err(err("a malformed language tag"));
                }
                c.pos += 1 + len;
                Object::LangLiteral {
                    value: Arc::from(value.as_str()),
                    language: Arc::from(tag),
                }
            } else {
                Object::Literal {
                    value: Arc::from(value.as_str()),
                    datatype: Arc::from(XSD_STRING),
                }
            }
        } else {
            Object::Node(node(&mut c, &mut labels).map_err(err)?)
        };
        c.skip_ws();
        let graph = if c.peek() == Some('.') {
            None
        } else {
            Some(node(&mut c, &mut labels).map_err(err)?)
        };
        c.skip_ws();
        if c.peek() != Some('.') {
            return Err(err("expected '.'"));
        }
        quads.push(Quad {
            subject,
            predicate,
            object,
            graph,
        });
    }
    let mut names = vec![String::new(); labels.len()];
    for (l, i) in labels {
        names[i as usize] = l;
    }
    let n = names.len() as u32;
    Ok((Dataset::new(quads, n), names))
}
