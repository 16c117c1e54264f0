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

/// A resolver that knows one verification method: the one our own
/// resolver found for the proof. `ssi` therefore checks against exactly the
/// key our verifier saw, never touches the network, and accepts a bare
/// `did:key` as the proof's `verificationMethod` (our resolver has already
/// mapped it to the key it names).
pub(crate) struct OneMethod(ssi::verification_methods::AnyMethod);

impl ssi::verification_methods::VerificationMethodResolver for OneMethod {
    type Method = ssi::verification_methods::AnyMethod;

    async fn resolve_verification_method_with(
        &self,
        _issuer: Option<&ssi::json_ld::Iri>,
        _method: Option<ssi::verification_methods::ReferenceOrOwnedRef<'_, Self::Method>>,
        _options: ssi::verification_methods::ResolutionOptions,
    ) -> Result<
        std::borrow::Cow<'_, Self::Method>,
        ssi::verification_methods::VerificationMethodResolutionError,
    > {
        Ok(std::borrow::Cow::Borrowed(&self.0))
    }
}

/// The resolver for `ssi`: `method`, with `id` written as the proof wrote
/// it (`as_written`).
pub(crate) fn resolver_for(
    method: &ddcc_did::VerificationMethod,
    as_written: &str,
) -> Option<OneMethod> {
    let mut json = serde_json::Map::new();
    json.insert("id".into(), as_written.into());
    json.insert("type".into(), method.method_type.as_str().into());
    json.insert("controller".into(), method.controller.as_str().into());
    for (k, v) in &method.properties {
        json.insert(k.clone(), v.clone());
    }
    serde_json::from_value(serde_json::Value::Object(json))
        .ok()
        .map(OneMethod)
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
