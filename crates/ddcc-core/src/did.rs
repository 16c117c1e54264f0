use std::fmt;

/// A syntactically valid DID (`did:method:method-specific-id`), without path,
/// query or fragment.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Did(String);

/// A DID URL: a DID followed by an optional path, query and fragment.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DidUrl {
    text: String,
    did_len: usize,
}

/// Why a string is not a DID or DID URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DidError {
    /// It does not start with `did:`.
    #[error("not a DID: it must start with 'did:'")]
    MissingScheme,
    /// The method name is empty or not lowercase letters and digits.
    #[error("not a DID: the method name must be lowercase letters and digits")]
    InvalidMethod,
    /// The method-specific identifier is empty or has a forbidden character.
    #[error("not a DID: the method-specific identifier is empty or has a forbidden character")]
    InvalidIdentifier,
    /// A DID was expected but a DID URL (with path, query or fragment) was given.
    #[error("a DID was expected, not a DID URL")]
    NotPlainDid,
    /// The path, query or fragment of a DID URL has a character RFC 3986
    /// does not allow there, or a second `#`.
    #[error("not a DID URL: its path, query or fragment has a forbidden character")]
    InvalidUrl,
}

/// Whether the part of a DID URL after its DID (path, query, fragment) is
/// made of RFC 3986 characters: unreserved, sub-delims, `:`, `@`, `/`,
/// `?`, complete percent-encodings, and one `#` at most.
fn valid_url_rest(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut hashes = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'%' => {
                if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 2;
            }
            b'#' => hashes += 1,
            c if c.is_ascii_alphanumeric() => {}
            b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+'
            | b',' | b';' | b'=' | b':' | b'@' | b'/' | b'?' => {}
            _ => return false,
        }
        i += 1;
    }
    hashes <= 1
}

fn is_idchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '%')
}

/// Length of the DID prefix of `text`.
fn did_prefix_len(text: &str) -> Result<usize, DidError> {
    let rest = text.strip_prefix("did:").ok_or(DidError::MissingScheme)?;
    let colon = rest.find(':').ok_or(DidError::InvalidMethod)?;
    let method = &rest[..colon];
    if method.is_empty()
        || !method
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Err(DidError::InvalidMethod);
    }
    let msid_start = 4 + colon + 1;
    let msid_len = text[msid_start..]
        .find(['/', '?', '#'])
        .unwrap_or(text.len() - msid_start);
    let msid = &text[msid_start..msid_start + msid_len];
    if msid.is_empty() || msid.ends_with(':') || !msid.chars().all(is_idchar) {
        return Err(DidError::InvalidIdentifier);
    }
    // Percent-encodings must be complete.
    let bytes = msid.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(DidError::InvalidIdentifier);
        }
    }
    Ok(msid_start + msid_len)
}

impl Did {
    /// Parses a DID.
    ///
    /// # Errors
    /// A [`DidError`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, DidError> {
        let len = did_prefix_len(text)?;
        if len != text.len() {
            return Err(DidError::NotPlainDid);
        }
        Ok(Self(text.to_owned()))
    }

    /// The DID method name (`key` in `did:key:…`).
    pub fn method(&self) -> &str {
        let rest = &self.0[4..];
        &rest[..rest.find(':').unwrap_or(rest.len())]
    }

    /// The method-specific identifier.
    pub fn method_specific_id(&self) -> &str {
        &self.0[4 + self.method().len() + 1..]
    }

    /// The DID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl DidUrl {
    /// Parses a DID URL.
    ///
    /// # Errors
    /// A [`DidError`] naming what is wrong with the DID part.
    pub fn parse(text: &str) -> Result<Self, DidError> {
        let did_len = did_prefix_len(text)?;
        if !valid_url_rest(&text[did_len..]) {
            return Err(DidError::InvalidUrl);
        }
        Ok(Self {
            text: text.to_owned(),
            did_len,
        })
    }

    /// The DID this URL is relative to.
    pub fn did(&self) -> Did {
        Did(self.text[..self.did_len].to_owned())
    }

    /// The fragment, without `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.text[self.did_len..]
            .find('#')
            .map(|i| &self.text[self.did_len + i + 1..])
    }

    /// The DID URL as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Did({})", self.0)
    }
}
impl fmt::Display for DidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Debug for DidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DidUrl({})", self.text)
    }
}
impl std::str::FromStr for Did {
    type Err = DidError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dids_and_urls() {
        let d = Did::parse("did:key:z6MkrJVn").expect("did");
        assert_eq!(d.method(), "key");
        assert_eq!(d.method_specific_id(), "z6MkrJVn");
        let u = DidUrl::parse("did:web:example.com%3A8443:a#key-1").expect("url");
        assert_eq!(u.did().as_str(), "did:web:example.com%3A8443:a");
        assert_eq!(u.fragment(), Some("key-1"));
    }

    #[test]
    fn rejects_bad_dids() {
        assert_eq!(Did::parse("https://x"), Err(DidError::MissingScheme));
        assert_eq!(Did::parse("did:KEY:abc"), Err(DidError::InvalidMethod));
        assert_eq!(Did::parse("did:key:"), Err(DidError::InvalidIdentifier));
        assert_eq!(Did::parse("did:key:a b"), Err(DidError::InvalidIdentifier));
        assert_eq!(Did::parse("did:web:a%2"), Err(DidError::InvalidIdentifier));
        assert_eq!(Did::parse("did:key:abc#x"), Err(DidError::NotPlainDid));
        assert_eq!(Did::parse("did:"), Err(DidError::InvalidMethod));
    }

    #[test]
    fn did_url_paths_queries_and_fragments() {
        for ok in [
            "did:example:123/path/to?service=files&relativeRef=%2Fa#key-1",
            "did:web:example.com#XPjhL9Znd1M=",
            "did:key:z6Mk#z6Mk",
            "did:example:123?versionTime=2021-05-10T17:00:00Z",
        ] {
            DidUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "did:example:123#bad fragment",
            "did:example:123#a#b",
            "did:example:123/pa th",
            "did:example:123?q=%zz",
            "did:example:123#<script>",
        ] {
            assert_eq!(DidUrl::parse(bad), Err(DidError::InvalidUrl), "{bad}");
        }
    }
}
