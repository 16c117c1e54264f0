//! DID resolution over the network for ddcc, always explicit:
//!
//! - [`WebResolver`]: `did:web` over HTTPS, under a [`NetworkPolicy`]
//!   (plain HTTP to loopback, private addresses and extra roots are each
//!   opt-in; timeouts, a size limit, same-origin redirects only). A
//!   document whose `id` is not the requested DID is rejected.
//! - [`UniversalResolver`]: any DID through a DIF Universal Resolver
//!   (`GET /1.0/identifiers/{did}`), its error codes mapped to
//!   [`ResolveError`].
//! - [`CachedResolver`]: a TTL cache in front of either, which can run fully
//!   offline from a cache file or a bundle (`ddcc did bundle`), and says how
//!   old a document is and whether it is stale.
//!
//! `did:key` and `did:jwk` never touch the network ([`ddcc_did::LocalResolver`]).

#![forbid(unsafe_code)]

mod cache;
pub mod gdhcn;
mod policy;
mod status;

use std::sync::Arc;

use ddcc_core::Did;
use ddcc_did::{
    DidResolver, LocalResolver, Resolution, ResolveError, ResolveFuture, Source,
    parse_did_document, web_location,
};
use serde_json::Value;

pub use cache::{Bundle, BundleEntry, BundleError, CachedResolver};
pub use policy::{HttpClient, NetworkPolicy, PolicyError};
pub use status::HttpStatusLists;

/// Why fetching `what` (a status list, a trust list, an issuer's keys)
/// failed, in words that name it: the client's errors speak of DID
/// documents, which is what it fetches most.
pub fn fetch_error(e: &ResolveError, what: &str) -> String {
    match e {
        ResolveError::Network(why) => format!("could not fetch {what}: {why}"),
        ResolveError::NotAllowed(why) => {
            format!("the network policy refused to fetch {what}: {why}")
        }
        other => format!("could not fetch {what}: {other}"),
    }
}

/// `did:web` over HTTPS (or plain HTTP to loopback, when built with
/// [`WebResolver::loopback_http`] and the policy allows it).
#[derive(Debug, Clone)]
pub struct WebResolver {
    client: HttpClient,
    scheme: &'static str,
}

impl WebResolver {
    /// A resolver using `client` (see [`NetworkPolicy::client`]).
    pub fn new(client: HttpClient) -> Self {
        Self {
            client,
            scheme: "https",
        }
    }

    /// A resolver that fetches `http://` documents, for development
    /// registries on loopback (the client's policy must have
    /// [`NetworkPolicy::allow_http_loopback`], or every request is refused).
    pub fn loopback_http(client: HttpClient) -> Self {
        Self {
            client,
            scheme: "http",
        }
    }

    /// The document's JSON as served, before it is read.
    ///
    /// # Errors
    /// As [`DidResolver::resolve`].
    pub async fn fetch(&self, did: &Did) -> Result<Value, ResolveError> {
        let url = web_location(did)?.url(self.scheme);
        let (status, json) = self
            .client
            .get_json(&url, "application/did+json, application/json")
            .await?;
        match status {
            200 => Ok(json),
            404 => Err(ResolveError::NotFound(format!("no document at {url}"))),
            410 => Err(ResolveError::Deactivated),
            s => Err(ResolveError::Network(format!(
                "the server answered HTTP {s}"
            ))),
        }
    }
}

impl DidResolver for WebResolver {
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a> {
        Box::pin(async move {
            let json = self.fetch(did).await?;
            let doc = parse_did_document(did, &json)?;
            Ok(Resolution::fresh(Arc::new(doc), Source::Network))
        })
    }
}

/// A DIF Universal Resolver client.
#[derive(Debug, Clone)]
pub struct UniversalResolver {
    base: String,
    client: HttpClient,
}

const RESOLUTION_ACCEPT: &str = "application/ld+json;profile=\"https://w3id.org/did-resolution\"";

/// `encodeURIComponent`'s set: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

impl UniversalResolver {
    /// A client of the resolver at `base` (e.g. `https://resolver.example`;
    /// `/1.0/identifiers/` is appended).
    pub fn new(base: &str, client: HttpClient) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            client,
        }
    }

    /// The raw DID resolution result for a DID or DID URL.
    ///
    /// # Errors
    /// The resolver's error, mapped to [`ResolveError`].
    pub async fn resolution_result(&self, did_or_url: &str) -> Result<Value, ResolveError> {
        let url = format!(
            "{}/1.0/identifiers/{}",
            self.base,
            percent_encoding::utf8_percent_encode(did_or_url, COMPONENT)
        );
        let (status, json) = self.client.get_json(&url, RESOLUTION_ACCEPT).await?;
        // A resolution error, or (for a DID URL) a dereferencing one.
        let error = json
            .pointer("/didResolutionMetadata/error")
            .or_else(|| json.pointer("/didDereferencingMetadata/error"))
            .and_then(Value::as_str);
        if let Some(code) = error {
            return Err(map_error(code, did_or_url, &json));
        }
        if json
            .pointer("/didDocumentMetadata/deactivated")
            .and_then(Value::as_bool)
            == Some(true)
            || status == 410
        {
            return Err(ResolveError::Deactivated);
        }
        match status {
            200 => Ok(json),
            400 => Err(map_error("invalidDid", did_or_url, &json)),
            404 => Err(map_error("notFound", did_or_url, &json)),
            s => Err(ResolveError::Network(format!(
                "the Universal Resolver answered HTTP {s}"
            ))),
        }
    }
}

/// Maps a DID Resolution error code to our error.
fn map_error(code: &str, did: &str, json: &Value) -> ResolveError {
    let method = did
        .strip_prefix("did:")
        .and_then(|r| r.split(':').next())
        .unwrap_or("")
        .to_owned();
    let message: String = json
        .pointer("/didResolutionMetadata/errorMessage")
        .or_else(|| json.pointer("/didDereferencingMetadata/errorMessage"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    match code {
        "invalidDid" | "invalidDidUrl" => {
            ResolveError::InvalidDid(ddcc_core::DidError::InvalidIdentifier)
        }
        "notFound" => ResolveError::NotFound(if message.is_empty() {
            "the Universal Resolver knows no such DID".into()
        } else {
            message
        }),
        "methodNotSupported" => ResolveError::MethodNotSupported(method),
        // The resolver does not say which key, length or codec: the code is
        // kept as reported rather than details invented.
        "invalidPublicKey" => ResolveError::Reported("invalidPublicKey"),
        "invalidPublicKeyType" => ResolveError::Reported("invalidPublicKeyType"),
        "invalidPublicKeyLength" => ResolveError::Reported("invalidPublicKeyLength"),
        "unsupportedPublicKeyType" => ResolveError::Reported("unsupportedPublicKeyType"),
        "deactivated" => ResolveError::Deactivated,
        other => ResolveError::Network(format!(
            "the Universal Resolver reported {}",
            other.chars().take(60).collect::<String>()
        )),
    }
}

impl DidResolver for UniversalResolver {
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a> {
        Box::pin(async move {
            let result = self.resolution_result(did.as_str()).await?;
            let document = result
                .get("didDocument")
                .ok_or(ResolveError::InvalidDocument(
                    "the result has no didDocument",
                ))?;
            let doc = parse_did_document(did, document)?;
            Ok(Resolution::fresh(Arc::new(doc), Source::Network))
        })
    }
}

/// The resolver a verifier is usually given: `did:key` and `did:jwk`
/// locally, `did:web` over the network (HTTPS, or loopback HTTP when the
/// policy allows it), and every other method through a Universal Resolver
/// when one is configured.
#[derive(Debug)]
pub struct Resolver {
    local: LocalResolver,
    web: Option<Box<dyn DidResolver>>,
    universal: Option<UniversalResolver>,
}

impl Resolver {
    /// Local methods only: never touches the network.
    pub fn offline() -> Self {
        Self {
            local: LocalResolver::default(),
            web: None,
            universal: None,
        }
    }

    /// Local methods, and `did:web` with `client` (HTTPS; plain HTTP to
    /// loopback when `http_loopback` and the policy allows it).
    pub fn with_web(client: HttpClient, http_loopback: bool) -> Self {
        let web: Box<dyn DidResolver> = if http_loopback {
            Box::new(WebResolver::loopback_http(client))
        } else {
            Box::new(WebResolver::new(client))
        };
        Self {
            local: LocalResolver::default(),
            web: Some(web),
            universal: None,
        }
    }

    /// Sends every DID that is not local (including `did:web`) to a
    /// Universal Resolver.
    pub fn with_universal(mut self, resolver: UniversalResolver) -> Self {
        self.universal = Some(resolver);
        self
    }
}

impl DidResolver for Resolver {
    fn resolve<'a>(&'a self, did: &'a Did) -> ResolveFuture<'a> {
        if matches!(did.method(), "key" | "jwk") {
            return self.local.resolve(did);
        }
        if let Some(u) = &self.universal {
            return u.resolve(did);
        }
        match did.method() {
            "web" => match &self.web {
                Some(w) => w.resolve(did),
                None => Box::pin(std::future::ready(Err(ResolveError::Offline(
                    did.as_str().to_owned(),
                )))),
            },
            other => Box::pin(std::future::ready(Err(ResolveError::MethodNotSupported(
                other.to_owned(),
            )))),
        }
    }
}
