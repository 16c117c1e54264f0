//! The bridge to `ssi`: context loader, resolver, key conversion, and the
//! translation of its errors into messages without credential values.

use std::collections::HashMap;

use ddcc_assets::ContextRegistry;
use ssi::json_ld::ContextLoader;

use crate::ProofError;

/// A loader serving exactly the registry's contexts; anything else is an
/// "unknown context" error. ssi's own bundled contexts are not used.
pub(crate) fn loader(registry: &ContextRegistry) -> Result<ContextLoader, ProofError> {
    let map: HashMap<String, String> = registry
        .iter()
        .map(|e| (e.url.clone(), e.text.to_string()))
        .collect();
    ContextLoader::empty()
        .with_context_map_from(map)
        .map_err(|_| ProofError::new("a pinned context is not valid JSON-LD"))
}

/// A resolver that knows one DID document: the one our own resolver
/// already produced. `ssi` therefore checks against exactly the keys our
/// verifier saw, and never touches the network.
pub(crate) type Resolver = ssi::dids::VerificationMethodDIDResolver<
    ssi::dids::resolution::StaticDIDResolver,
    ssi::verification_methods::AnyMethod,
>;

pub(crate) fn resolver_for(doc: &ddcc_did::DidDocument) -> Option<Resolver> {
    let did = ssi::dids::DIDBuf::from_string(doc.id.as_str().to_owned()).ok()?;
    let bytes = serde_json::to_vec(&doc.to_json()).ok()?;
    let mut r = ssi::dids::resolution::StaticDIDResolver::new();
    r.insert(
        did,
        ssi::dids::resolution::Output::from_content(bytes, Some("application/did+json".into())),
    );
    Some(ssi::dids::VerificationMethodDIDResolver::new(r))
}

/// Turns an ssi error message into one that is safe to show: it names
/// terms, contexts and the failing step, but never echoes literal values.
pub(crate) fn sanitize(message: &str) -> ProofError {
    if let Some(term) = between(message, "Key `", "` expansion failed")
        .or_else(|| between(message, "Key '", "' expansion failed"))
    {
        return ProofError::new(format!(
            "the credential uses the term '{}', which no context defines",
            clip(term)
        ));
    }
    if message.contains("Unknown context") || message.contains("UnknownContext") {
        if let Some(url) = between(message, "loading document `", "`")
            .or_else(|| between(message, "loading document '", "'"))
        {
            return ProofError::new(format!("unknown context {}", clip(url)));
        }
        return ProofError::new("a context is not one of the pinned contexts");
    }
    if message.contains("Protected term redefinition") || message.contains("protected term") {
        return ProofError::new("a context redefines a protected term");
    }
    if message.contains("signature") {
        return ProofError::new("the signature does not match the credential");
    }
    if message.contains("expansion") || message.contains("JSON-LD") {
        return ProofError::new("the credential is not valid JSON-LD under its contexts");
    }
    ProofError::new("the proof could not be processed")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = text.find(start)? + start.len();
    let j = text[i..].find(end)? + i;
    Some(&text[i..j])
}

fn clip(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(120).collect()
}
