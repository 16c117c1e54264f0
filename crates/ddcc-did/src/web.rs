//! `did:web`: where a DID's document lives, and reading a DID document that
//! came from somewhere else (a web server, a resolver, a bundle).

use serde_json::{Map, Value};

use ddcc_core::{Did, DidUrl};
use ddcc_crypto::PublicKey;

use crate::{DidDocument, ResolveError, VerificationMethod, VerificationRelationship};

/// Where a `did:web` document is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLocation {
    /// The host (a domain name or an IP address), without the port.
    pub host: String,
    /// The port, when the DID names one (`%3A` in the identifier).
    pub port: Option<u16>,
    /// The path to the document: `/.well-known/did.json` or
    /// `/segment/…/did.json`.
    pub path: String,
}

impl WebLocation {
    /// The document's URL with the given scheme (`https`, or `http` where
    /// the caller's policy allows it).
    pub fn url(&self, scheme: &str) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(p) => format!("{scheme}://{host}:{p}{}", self.path),
            None => format!("{scheme}://{host}{}", self.path),
        }
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_host(host: &str) -> bool {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Where the document of a `did:web` DID is published (did:web method
/// specification: `:` separates path segments, `%3A` encodes the port).
///
/// # Errors
/// [`ResolveError::MethodNotSupported`] for another method,
/// [`ResolveError::InvalidDid`]-like errors for a malformed host, port or
/// path segment.
pub fn web_location(did: &Did) -> Result<WebLocation, ResolveError> {
    if did.method() != "web" {
        return Err(ResolveError::MethodNotSupported(did.method().to_owned()));
    }
    let mut parts = did.method_specific_id().split(':');
    let authority = parts
        .next()
        .and_then(percent_decode)
        .ok_or(ResolveError::InvalidWebDid(
            "the host is not valid percent-encoding",
        ))?;
    let port_of = |p: &str| -> Result<u16, ResolveError> {
        p.parse()
            .ok()
            .filter(|p| *p != 0)
            .ok_or(ResolveError::InvalidWebDid(
                "the port is not a number from 1 to 65535",
            ))
    };
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        // An IPv6 literal, `[addr]` or `[addr]:port` (RFC 3986 §3.2.2).
        let (inside, rest) = bracketed
            .split_once(']')
            .ok_or(ResolveError::InvalidWebDid(
                "the host is not a domain name or an IP address",
            ))?;
        if inside.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(ResolveError::InvalidWebDid(
                "the host is not a domain name or an IP address",
            ));
        }
        let port = match rest {
            "" => None,
            r => Some(port_of(r.strip_prefix(':').ok_or(
                ResolveError::InvalidWebDid("the host is not a domain name or an IP address"),
            )?)?),
        };
        (inside.to_owned(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h.to_owned(), Some(port_of(p)?)),
            _ => (authority.clone(), None),
        }
    };
    if !is_host(&host) {
        return Err(ResolveError::InvalidWebDid(
            "the host is not a domain name or an IP address",
        ));
    }
    let mut path = String::new();
    for segment in parts {
        let decoded = percent_decode(segment).ok_or(ResolveError::InvalidWebDid(
            "a path segment is not valid percent-encoding",
        ))?;
        if decoded.is_empty()
            || decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', '?', '#'])
        {
            return Err(ResolveError::InvalidWebDid(
                "a path segment is empty or not a plain name",
            ));
        }
        path.push('/');
        path.push_str(segment);
    }
    if path.is_empty() {
        path.push_str("/.well-known");
    }
    path.push_str("/did.json");
    Ok(WebLocation {
        host: host.to_ascii_lowercase(),
        port,
        path,
    })
}

/// The `did:web` DID for a host (with an optional port) and path segments.
///
/// # Errors
/// [`ResolveError::InvalidWebDid`] when the host or a segment cannot be
/// written in a `did:web`.
pub fn did_web_for(host: &str, port: Option<u16>, path: &[&str]) -> Result<Did, ResolveError> {
    if !is_host(host) || host.contains(':') {
        return Err(ResolveError::InvalidWebDid(
            "the host is not a domain name or an IPv4 address",
        ));
    }
    let mut text = format!("did:web:{}", host.to_ascii_lowercase());
    if let Some(p) = port {
        text.push_str(&format!("%3A{p}"));
    }
    for segment in path {
        if segment.is_empty()
            || !segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            || *segment == "."
            || *segment == ".."
        {
            return Err(ResolveError::InvalidWebDid(
                "a path segment is empty or not a plain name",
            ));
        }
        text.push(':');
        text.push_str(segment);
    }
    Ok(Did::parse(&text)?)
}

/// A `did:web` DID document listing Ed25519 keys as `Multikey`
/// verification methods (`#fragment`), each under `assertionMethod` and
/// `authentication`: what an issuer publishes as its `did.json`. Keys are
/// listed in the order given; a retired key stays verifiable for as long as
/// it remains in the list.
///
/// # Errors
/// [`ResolveError::InvalidDocument`] for an empty or repeated fragment.
pub fn did_web_document(
    did: &Did,
    keys: &[(&str, PublicKey)],
) -> Result<DidDocument, ResolveError> {
    let mut methods = Vec::new();
    let mut ids = Vec::new();
    for (fragment, key) in keys {
        if fragment.is_empty()
            || !fragment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(ResolveError::InvalidDocument(
                "a key fragment must be letters, digits, '-', '_' or '.'",
            ));
        }
        let id = absolute(did, &format!("#{fragment}"))?;
        if ids.contains(&id) {
            return Err(ResolveError::InvalidDocument("a key fragment is repeated"));
        }
        let mut properties = Map::new();
        properties.insert("publicKeyMultibase".into(), Value::from(key.to_multibase()));
        methods.push(VerificationMethod {
            id: id.clone(),
            method_type: "Multikey".into(),
            controller: did.clone(),
            ed25519: Some(*key),
            properties,
        });
        ids.push(id);
    }
    Ok(DidDocument {
        context: vec![
            "https://www.w3.org/ns/did/v1".into(),
            "https://w3id.org/security/multikey/v1".into(),
        ],
        id: did.clone(),
        verification_method: methods,
        relationships: vec![
            (VerificationRelationship::AssertionMethod, ids.clone()),
            (VerificationRelationship::Authentication, ids),
        ],
        references: Vec::new(),
        extra: Map::new(),
    })
}

/// Percent-decodes a fragment for comparison, so that `#a+b/c=` and
/// `#a%2Bb%2Fc%3D` name the same verification method.
pub(crate) fn normalize_url(url: &str) -> std::borrow::Cow<'_, str> {
    match url.find('#') {
        Some(i) if url[i..].contains('%') => match percent_decode(&url[i + 1..]) {
            Some(fragment) => std::borrow::Cow::Owned(format!("{}#{fragment}", &url[..i])),
            None => std::borrow::Cow::Borrowed(url),
        },
        _ => std::borrow::Cow::Borrowed(url),
    }
}

fn absolute(did: &Did, id: &str) -> Result<DidUrl, ResolveError> {
    let text = if id.starts_with('#') {
        format!("{did}{id}")
    } else {
        id.to_owned()
    };
    let text = normalize_url(&text).into_owned();
    DidUrl::parse(&text)
        .map_err(|_| ResolveError::InvalidDocument("a verification method id is not a DID URL"))
}

/// Reads the Ed25519 key of a verification method, if it has one
/// (`Multikey`/`Ed25519VerificationKey2020` `publicKeyMultibase`,
/// `JsonWebKey2020` OKP `publicKeyJwk`, `Ed25519VerificationKey2018`
/// `publicKeyBase58`).
fn ed25519_of(method: &Map<String, Value>) -> Result<Option<PublicKey>, ResolveError> {
    if let Some(mb) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        if mb.starts_with("z6Mk") {
            return PublicKey::from_multibase(mb).map(Some).map_err(|_| {
                ResolveError::InvalidPublicKey("publicKeyMultibase is not an Ed25519 key")
            });
        }
        return Ok(None);
    }
    if let Some(jwk) = method.get("publicKeyJwk").and_then(Value::as_object) {
        if jwk.contains_key("d") {
            return Err(ResolveError::InvalidDocument(
                "a verification method contains private key material",
            ));
        }
        if jwk.get("kty").and_then(Value::as_str) == Some("OKP")
            && jwk.get("crv").and_then(Value::as_str) == Some("Ed25519")
        {
            let x = jwk
                .get("x")
                .and_then(Value::as_str)
                .and_then(|x| multibase::Base::Base64Url.decode(x).ok())
                .ok_or(ResolveError::InvalidPublicKey("the JWK has no base64url x"))?;
            return PublicKey::from_bytes_cached(&x)
                .map(Some)
                .map_err(|_| ResolveError::InvalidPublicKey("the JWK is not a valid Ed25519 key"));
        }
        return Ok(None);
    }
    if method.get("type").and_then(Value::as_str) == Some("Ed25519VerificationKey2018")
        && let Some(b58) = method.get("publicKeyBase58").and_then(Value::as_str)
    {
        let bytes = multibase::Base::Base58Btc
            .decode(b58)
            .map_err(|_| ResolveError::InvalidPublicKey("publicKeyBase58 is not base58"))?;
        return PublicKey::from_bytes_cached(&bytes)
            .map(Some)
            .map_err(|_| ResolveError::InvalidPublicKey("publicKeyBase58 is not an Ed25519 key"));
    }
    Ok(None)
}

const RELATIONSHIPS: [VerificationRelationship; 5] = [
    VerificationRelationship::AssertionMethod,
    VerificationRelationship::Authentication,
    VerificationRelationship::CapabilityInvocation,
    VerificationRelationship::CapabilityDelegation,
    VerificationRelationship::KeyAgreement,
];

/// Most verification methods read from one document.
const MAX_METHODS: usize = 10_000;

fn read_method(did: &Did, m: &Map<String, Value>) -> Result<VerificationMethod, ResolveError> {
    let id = m
        .get("id")
        .and_then(Value::as_str)
        .ok_or(ResolveError::InvalidDocument(
            "a verification method has no id",
        ))?;
    let method_type =
        m.get("type")
            .and_then(Value::as_str)
            .ok_or(ResolveError::InvalidDocument(
                "a verification method has no type",
            ))?;
    let controller = match m.get("controller").and_then(Value::as_str) {
        Some(c) => {
            Did::parse(c).map_err(|_| ResolveError::InvalidDocument("a controller is not a DID"))?
        }
        None => did.clone(),
    };
    let properties: Map<String, Value> = m
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "id" | "type" | "controller"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(VerificationMethod {
        id: absolute(did, id)?,
        method_type: method_type.to_owned(),
        controller,
        ed25519: ed25519_of(m)?,
        properties,
    })
}

/// Reads a DID document obtained for `did` (from a web server, a resolver
/// or a bundle). Relative method ids (`#key-1`) are made absolute and
/// percent-encoded fragments decoded; methods embedded in a relationship
/// are added to the methods.
///
/// # Errors
/// [`ResolveError::IdMismatch`] when the document's `id` is not `did` (a
/// document served for one DID cannot speak for another), or
/// [`ResolveError::InvalidDocument`] / key errors for a malformed document.
pub fn parse_did_document(did: &Did, doc: &Value) -> Result<DidDocument, ResolveError> {
    let obj = doc.as_object().ok_or(ResolveError::InvalidDocument(
        "the document is not a JSON object",
    ))?;
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .ok_or(ResolveError::InvalidDocument("the document has no id"))?;
    if id != did.as_str() {
        return Err(ResolveError::IdMismatch {
            requested: did.as_str().to_owned(),
            found: id.chars().take(200).collect(),
        });
    }
    let context = match obj.get("@context") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let mut methods = Vec::new();
    let mut references = Vec::new();
    match obj.get("verificationMethod") {
        None => {}
        Some(Value::Array(a)) => {
            for m in a {
                if let Some(reference) = m.as_str() {
                    // A reference to another document (GDHCN reference lists).
                    DidUrl::parse(reference).map_err(|_| {
                        ResolveError::InvalidDocument(
                            "a verification method reference is not a DID",
                        )
                    })?;
                    references.push(reference.to_owned());
                    continue;
                }
                let m = m.as_object().ok_or(ResolveError::InvalidDocument(
                    "a verification method is neither an object nor a DID",
                ))?;
                methods.push(read_method(did, m)?);
                if methods.len() + references.len() > MAX_METHODS {
                    return Err(ResolveError::InvalidDocument(
                        "too many verification methods",
                    ));
                }
            }
        }
        Some(_) => {
            return Err(ResolveError::InvalidDocument(
                "verificationMethod is not an array",
            ));
        }
    }
    let mut relationships = Vec::new();
    for rel in RELATIONSHIPS {
        let Some(v) = obj.get(rel.as_str()) else {
            continue;
        };
        let Value::Array(items) = v else {
            return Err(ResolveError::InvalidDocument(
                "a verification relationship is not an array",
            ));
        };
        let mut ids = Vec::new();
        for item in items {
            match item {
                Value::String(s) => ids.push(absolute(did, s)?),
                Value::Object(m) => {
                    let method = read_method(did, m)?;
                    ids.push(method.id.clone());
                    if !methods
                        .iter()
                        .any(|x: &VerificationMethod| x.id == method.id)
                    {
                        methods.push(method);
                    }
                }
                _ => {
                    return Err(ResolveError::InvalidDocument(
                        "a verification relationship entry is neither an id nor a method",
                    ));
                }
            }
        }
        relationships.push((rel, ids));
    }
    let extra: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| {
            !matches!(k.as_str(), "@context" | "id" | "verificationMethod")
                && !RELATIONSHIPS.iter().any(|r| r.as_str() == k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(DidDocument {
        context,
        id: did.clone(),
        verification_method: methods,
        relationships,
        references,
        extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn loc(did: &str) -> Result<WebLocation, ResolveError> {
        web_location(&Did::parse(did).unwrap())
    }

    #[test]
    fn locations_follow_the_method_spec() {
        assert_eq!(
            loc("did:web:w3c-ccg.github.io").unwrap().url("https"),
            "https://w3c-ccg.github.io/.well-known/did.json"
        );
        assert_eq!(
            loc("did:web:w3c-ccg.github.io:user:alice")
                .unwrap()
                .url("https"),
            "https://w3c-ccg.github.io/user/alice/did.json"
        );
        assert_eq!(
            loc("did:web:example.com%3A3000:user:alice")
                .unwrap()
                .url("https"),
            "https://example.com:3000/user/alice/did.json"
        );
        assert_eq!(
            loc("did:web:127.0.0.1%3A8443:issuers:moh")
                .unwrap()
                .url("http"),
            "http://127.0.0.1:8443/issuers/moh/did.json"
        );
        assert_eq!(loc("did:web:Example.COM").unwrap().host, "example.com");
        // IPv6 hosts, bracketed and percent-encoded, with and without a port.
        assert_eq!(
            loc("did:web:%5B2001%3Adb8%3A%3A1%5D%3A8443:issuers")
                .unwrap()
                .url("https"),
            "https://[2001:db8::1]:8443/issuers/did.json"
        );
        let v6 = loc("did:web:%5B%3A%3A1%5D").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", None));
        for bad in [
            "did:web:%5B%3A%3A1",
            "did:web:%5Bnot-an-address%5D",
            "did:web:%5B%3A%3A1%5Dx",
            "did:web:example.com%3A0",
            "did:web:example.com%3A99999",
            "did:web:exa_mple.com",
            "did:web:example.com:%2E%2E",
            "did:web:example.com:a%2Fb",
            "did:web:-bad.example",
        ] {
            assert!(
                matches!(loc(bad), Err(ResolveError::InvalidWebDid(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            loc("did:key:z6Mk"),
            Err(ResolveError::MethodNotSupported(_))
        ));
        let did = did_web_for("127.0.0.1", Some(8443), &["issuers", "moh"]).unwrap();
        let key = ddcc_crypto::SecretKey::from_seed(&[2u8; 32])
            .unwrap()
            .public_key();
        let doc = did_web_document(&did, &[("key-1", key)]).unwrap();
        let reread = parse_did_document(&did, &doc.to_json()).unwrap();
        assert_eq!(reread, doc);
        assert!(reread.has_relationship(
            &format!("{did}#key-1"),
            VerificationRelationship::AssertionMethod
        ));
        assert!(did_web_document(&did, &[("a b", key)]).is_err());
        assert!(did_web_document(&did, &[("k", key), ("k", key)]).is_err());
        assert_eq!(did.as_str(), "did:web:127.0.0.1%3A8443:issuers:moh");
        assert!(did_web_for("example.com", None, &["a/b"]).is_err());
    }

    #[test]
    fn documents_are_read_with_relative_ids_and_encoded_fragments() {
        let did = Did::parse("did:web:tng.example:v2:trustlist:DDCC:XXA:DSC").unwrap();
        let key = ddcc_crypto::SecretKey::from_seed(&[1u8; 32])
            .unwrap()
            .public_key();
        let doc = json!({
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": did.as_str(),
            "verificationMethod": [
                {"id": "#XPjhL9Znd1M=", "type": "Multikey", "publicKeyMultibase": key.to_multibase()},
                {"id": format!("{did}#a%2Bb%2Fc%3D"), "type": "JsonWebKey2020", "controller": did.as_str(),
                 "publicKeyJwk": {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}}
            ],
            "assertionMethod": ["#XPjhL9Znd1M=", format!("{did}#a+b/c=")],
            "authentication": [{"id": "#embedded", "type": "Multikey", "publicKeyMultibase": key.to_multibase()}],
            "service": [{"id": "#s", "type": "X", "serviceEndpoint": "https://x.example"}]
        });
        let d = parse_did_document(&did, &doc).unwrap();
        let first = d.method(&format!("{did}#XPjhL9Znd1M=")).unwrap();
        assert_eq!(first.ed25519, Some(key));
        assert!(d.has_relationship(
            &format!("{did}#XPjhL9Znd1M%3D"),
            VerificationRelationship::AssertionMethod
        ));
        assert!(d.method(&format!("{did}#a+b/c=")).is_some());
        assert!(d.has_relationship(
            &format!("{did}#a%2bb%2fc%3d"),
            VerificationRelationship::AssertionMethod
        ));
        assert!(d.has_relationship(
            &format!("{did}#embedded"),
            VerificationRelationship::Authentication
        ));
        assert_eq!(d.verification_method.len(), 3);
        assert_eq!(d.to_json()["service"], doc["service"]);

        // A document for another DID is refused with both ids named.
        let other = Did::parse("did:web:evil.example").unwrap();
        assert!(matches!(
            parse_did_document(&other, &doc),
            Err(ResolveError::IdMismatch { .. })
        ));
        // Private key material is refused.
        let leak = json!({"id": did.as_str(), "verificationMethod": [
            {"id": "#k", "type": "JsonWebKey2020", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}}]});
        assert!(matches!(
            parse_did_document(&did, &leak),
            Err(ResolveError::InvalidDocument(_))
        ));
        for bad in [
            json!("x"),
            json!({}),
            json!({"id": did.as_str(), "verificationMethod": {}}),
        ] {
            assert!(parse_did_document(&did, &bad).is_err());
        }
    }
}
