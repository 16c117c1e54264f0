//! IRI checks: what the fast path accepts as an absolute IRI.

/// Whether `s` is an absolute IRI the way jsonld.js and RDF tools agree on:
/// a scheme, then no whitespace, controls or `<>"{}|^`\` characters.
pub fn is_absolute_iri(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return false;
    }
    !s.chars().any(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\')
    })
}

/// Whether a character ends an IRI in a way that makes a simple term usable
/// as a prefix (JSON-LD 1.1 gen-delims).
pub(crate) fn ends_with_gen_delim(s: &str) -> bool {
    s.ends_with([':', '/', '?', '#', '[', ']', '@'])
}

/// Whether `s` is a JSON-LD keyword form (`@` followed by letters).
pub(crate) fn is_keyword_like(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].chars().all(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_iris() {
        assert!(is_absolute_iri("https://example.org/a#b"));
        assert!(is_absolute_iri("did:key:z6Mk#z6Mk"));
        assert!(is_absolute_iri("urn:uuid:1234"));
        assert!(!is_absolute_iri("relative/path"));
        assert!(!is_absolute_iri("1http://x"));
        assert!(!is_absolute_iri("http://exa mple.org"));
        assert!(!is_absolute_iri("http://x/<y>"));
        assert!(!is_absolute_iri(":nothing"));
    }
}
