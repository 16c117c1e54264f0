//! What the resolver may do on the network, and the HTTP client that obeys it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ddcc_did::ResolveError;
use serde_json::Value;

/// The network policy of DID resolution. Everything that widens it is
/// opt-in and never implied by an address: plain HTTP (loopback only),
/// private and loopback addresses, extra root certificates.
#[derive(Clone)]
pub struct NetworkPolicy {
    pub(crate) allow_http_loopback: bool,
    pub(crate) allow_private: bool,
    pub(crate) roots: Vec<reqwest::Certificate>,
    pub(crate) timeout: Duration,
    pub(crate) max_bytes: usize,
    pub(crate) max_redirects: usize,
}

impl std::fmt::Debug for NetworkPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkPolicy")
            .field("allow_http_loopback", &self.allow_http_loopback)
            .field("allow_private", &self.allow_private)
            .field("extra_roots", &self.roots.len())
            .field("timeout", &self.timeout)
            .field("max_bytes", &self.max_bytes)
            .field("max_redirects", &self.max_redirects)
            .finish()
    }
}

impl Default for NetworkPolicy {
    /// HTTPS only, public addresses only, the platform's roots, 10 s
    /// timeout, 256 KiB per document, up to 3 redirects within one origin.
    fn default() -> Self {
        Self {
            allow_http_loopback: false,
            allow_private: false,
            roots: Vec::new(),
            timeout: Duration::from_secs(10),
            max_bytes: 256 * 1024,
            max_redirects: 3,
        }
    }
}

/// Why a policy could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The CA file holds no usable PEM certificate.
    #[error("no PEM certificate could be read from the CA file")]
    BadCertificate,
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

impl NetworkPolicy {
    /// Allows plain `http://` to loopback addresses (development
    /// registries); implies nothing for other addresses.
    pub fn allow_http_loopback(mut self, yes: bool) -> Self {
        self.allow_http_loopback = yes;
        if yes {
            // A loopback server is a private address; the flag says so.
            self.allow_private = true;
        }
        self
    }

    /// Allows loopback, private (RFC 1918, unique local) and link-local
    /// addresses, over HTTPS.
    pub fn allow_private_addresses(mut self, yes: bool) -> Self {
        self.allow_private = yes;
        self
    }

    /// Trusts the certificates of a PEM file as roots, in addition to the
    /// platform's.
    ///
    /// # Errors
    /// [`PolicyError::BadCertificate`] when the PEM holds no certificate.
    pub fn add_root_pem(mut self, pem: &[u8]) -> Result<Self, PolicyError> {
        let certs =
            reqwest::Certificate::from_pem_bundle(pem).map_err(|_| PolicyError::BadCertificate)?;
        if certs.is_empty() {
            return Err(PolicyError::BadCertificate);
        }
        self.roots.extend(certs);
        Ok(self)
    }

    /// Sets the timeout of one request (connect and read).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the largest document accepted, in bytes.
    pub fn max_bytes(mut self, max: usize) -> Self {
        self.max_bytes = max;
        self
    }

    /// Builds the HTTP client that enforces this policy.
    ///
    /// # Errors
    /// [`PolicyError::Client`] if the TLS stack cannot be set up.
    pub fn client(&self) -> Result<HttpClient, PolicyError> {
        let max_redirects = self.max_redirects;
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            let first = attempt.previous().first().map(|u| u.origin());
            if attempt.previous().len() > max_redirects {
                attempt.error("too many redirects")
            } else if first.is_some_and(|o| o != attempt.url().origin()) {
                attempt.error("a redirect to another origin")
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(redirect)
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .user_agent(concat!("ddcc/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(PolicyDns {
                allow_private: self.allow_private,
            }));
        if !self.roots.is_empty() {
            builder = builder.tls_certs_merge(self.roots.iter().cloned());
        }
        let client = builder
            .build()
            .map_err(|e| PolicyError::Client(e.to_string()))?;
        Ok(HttpClient {
            client,
            policy: self.clone(),
        })
    }
}

/// IPv4 ranges that are not public unicast: private, shared, loopback,
/// link-local, and every IANA IPv4 special-purpose block (RFC 6890 and
/// its updates), as (first address, prefix length).
const SPECIAL_V4: &[([u8; 4], u32)] = &[
    ([0, 0, 0, 0], 8),       // "this network"
    ([10, 0, 0, 0], 8),      // private
    ([100, 64, 0, 0], 10),   // shared address space (CGN)
    ([127, 0, 0, 0], 8),     // loopback
    ([169, 254, 0, 0], 16),  // link-local
    ([172, 16, 0, 0], 12),   // private
    ([192, 0, 0, 0], 24),    // IETF protocol assignments
    ([192, 0, 2, 0], 24),    // documentation (TEST-NET-1)
    ([192, 31, 196, 0], 24), // AS112-v4
    ([192, 52, 193, 0], 24), // AMT
    ([192, 88, 99, 0], 24),  // deprecated 6to4 relay anycast
    ([192, 168, 0, 0], 16),  // private
    ([192, 175, 48, 0], 24), // direct delegation AS112
    ([198, 18, 0, 0], 15),   // benchmarking
    ([198, 51, 100, 0], 24), // documentation (TEST-NET-2)
    ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
    ([224, 0, 0, 0], 4),     // multicast
    ([240, 0, 0, 0], 4),     // reserved, and the limited broadcast address
];

/// IPv6 ranges that are not public unicast (the IANA IPv6 special-purpose
/// registry, and the deprecated ranges), as (first address, prefix length).
/// Ranges that embed an IPv4 address (mapped, compatible, NAT64, 6to4,
/// Teredo) are refused whole: a connection to them reaches an IPv4 host
/// the policy would have to judge through a translator it cannot see.
const SPECIAL_V6: &[([u16; 8], u32)] = &[
    ([0, 0, 0, 0, 0, 0, 0, 0], 96), // unspecified, loopback, IPv4-compatible
    ([0, 0, 0, 0, 0, 0xffff, 0, 0], 96), // IPv4-mapped (judged by its IPv4 address)
    ([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96), // NAT64
    ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48), // local-use NAT64
    ([0x100, 0, 0, 0, 0, 0, 0, 0], 64), // discard-only
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocol assignments (Teredo, ORCHID…)
    ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation
    ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16), // 6to4
    ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation
    ([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16), // segment routing SIDs
    ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7), // unique local
    ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10), // link-local
    ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10), // site-local (deprecated)
    ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8), // multicast
];

/// Whether an address is anything but a public unicast address.
pub(crate) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let a = u32::from(v4);
            SPECIAL_V4.iter().any(|(net, len)| {
                let mask = u32::MAX << (32 - len);
                a & mask == u32::from_be_bytes(*net) & mask
            })
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let a = u128::from(v6);
            SPECIAL_V6.iter().any(|(net, len)| {
                let mask = u128::MAX << (128 - len);
                a & mask == u128::from(std::net::Ipv6Addr::from(*net)) & mask
            })
        }
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A DNS resolver that drops private addresses unless they are allowed,
/// so that a public name pointing inside the network is refused too.
struct PolicyDns {
    allow_private: bool,
}

impl reqwest::dns::Resolve for PolicyDns {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || !is_private(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!(
                    "{host} has no public address (private addresses are not allowed)"
                )
                .into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// An HTTP client bound to a [`NetworkPolicy`].
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    policy: NetworkPolicy,
}

impl HttpClient {
    /// Checks `url` against the policy before any connection is made.
    fn admit(&self, url: &reqwest::Url) -> Result<(), ResolveError> {
        let host = url
            .host_str()
            .ok_or_else(|| ResolveError::NotAllowed("the URL has no host".into()))?;
        match url.scheme() {
            "https" => {}
            "http" if self.policy.allow_http_loopback && is_loopback_host(host) => {}
            "http" if self.policy.allow_http_loopback => {
                return Err(ResolveError::NotAllowed(
                    "plain HTTP is allowed only to loopback addresses".into(),
                ));
            }
            "http" => {
                return Err(ResolveError::NotAllowed(
                    "plain HTTP is not allowed (--allow-http-loopback allows it for loopback addresses)"
                        .into(),
                ));
            }
            other => {
                return Err(ResolveError::NotAllowed(format!(
                    "the scheme {other} is not allowed"
                )));
            }
        }
        let literal = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>();
        if let Ok(ip) = literal
            && is_private(ip)
            && !self.policy.allow_private
        {
            return Err(ResolveError::NotAllowed(format!(
                "{ip} is a private or loopback address (allow private addresses to use it)"
            )));
        }
        Ok(())
    }

    /// GETs `url` as JSON, within the policy's limits. 404 and 410 are
    /// [`ResolveError::NotFound`] / [`ResolveError::Deactivated`]; other
    /// failures are [`ResolveError::Network`] with a reason.
    ///
    /// # Errors
    /// As above, or [`ResolveError::NotAllowed`] when the policy forbids
    /// the URL.
    pub async fn get_json(&self, url: &str, accept: &str) -> Result<(u16, Value), ResolveError> {
        let url = reqwest::Url::parse(url)
            .map_err(|_| ResolveError::NotAllowed("not a valid URL".into()))?;
        self.admit(&url)?;
        let mut response = self
            .client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, accept)
            .send()
            .await
            .map_err(|e| ResolveError::Network(describe(&e)))?;
        self.admit(response.url())?;
        let status = response.status().as_u16();
        if let Some(len) = response.content_length()
            && len > self.policy.max_bytes as u64
        {
            return Err(ResolveError::Network(format!(
                "the response is {len} bytes, more than the {} allowed",
                self.policy.max_bytes
            )));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ResolveError::Network(describe(&e)))?
        {
            if body.len() + chunk.len() > self.policy.max_bytes {
                return Err(ResolveError::Network(format!(
                    "the response is more than the {} bytes allowed",
                    self.policy.max_bytes
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Ok((status, json))
    }
}

fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "redirect refused"
    } else {
        "request failed"
    };
    // The innermost cause names the TLS or DNS problem.
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut last = None;
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    match last {
        Some(cause) => format!("{kind}: {}", cause.chars().take(200).collect::<String>()),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            // Reserved, IETF assignments, documentation, broadcast.
            "240.0.0.1",
            "255.255.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "192.88.99.1",
            // Addresses that embed IPv4 (NAT64, compatible, 6to4, Teredo).
            "64:ff9b::f000:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "::10.0.0.1",
            "::8.8.8.8",
            "2002:a00:1::1",
            "2001:0:4136:e378::1",
            // Documentation, discard, site-local, SRv6, multicast.
            "2001:db8::1",
            "3fff::1",
            "100::1",
            "fec0::1",
            "5f00::1",
            "ff02::1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "192.0.1.1",
            "223.255.255.255",
            "2606:4700::1111",
            "2a00:1450::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_admitted_by_policy() {
        let strict = NetworkPolicy::default().client().unwrap();
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        assert!(strict.admit(&url("https://example.org/did.json")).is_ok());
        assert!(matches!(
            strict.admit(&url("http://example.org/did.json")),
            Err(ResolveError::NotAllowed(_))
        ));
        assert!(
            strict
                .admit(&url("http://127.0.0.1:8080/did.json"))
                .is_err()
        );
        assert!(
            strict
                .admit(&url("https://127.0.0.1:8443/did.json"))
                .is_err()
        );
        assert!(strict.admit(&url("https://[::1]:8443/did.json")).is_err());
        assert!(strict.admit(&url("ftp://example.org/x")).is_err());
        for special in [
            "https://240.0.0.1/did.json",
            "https://192.0.0.1/did.json",
            "https://[64:ff9b::f000:1]/did.json",
            "https://[::a00:1]/did.json",
            "https://[2002:a00:1::1]/did.json",
        ] {
            assert!(
                matches!(
                    strict.admit(&url(special)),
                    Err(ResolveError::NotAllowed(_))
                ),
                "{special}"
            );
        }

        let dev = NetworkPolicy::default()
            .allow_http_loopback(true)
            .client()
            .unwrap();
        assert!(dev.admit(&url("http://127.0.0.1:8080/did.json")).is_ok());
        assert!(dev.admit(&url("http://localhost:8080/did.json")).is_ok());
        assert!(dev.admit(&url("http://10.0.0.1/did.json")).is_err());
        assert!(dev.admit(&url("http://example.org/did.json")).is_err());

        let private = NetworkPolicy::default()
            .allow_private_addresses(true)
            .client()
            .unwrap();
        assert!(private.admit(&url("https://10.0.0.1/did.json")).is_ok());
        assert!(private.admit(&url("http://10.0.0.1/did.json")).is_err());
    }
}
