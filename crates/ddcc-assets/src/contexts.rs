use std::collections::BTreeMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

/// The contexts manifest (`contexts/MANIFEST.tsv`): url, file, source, sha256.
pub const CONTEXTS_MANIFEST: &str = include_str!("../../../contexts/MANIFEST.tsv");

/// The embedded context files, keyed by the manifest's `file` column.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "ddcc-v1.jsonld",
        include_str!("../../../contexts/ddcc-v1.jsonld"),
    ),
    (
        "w3c/credentials-v1.jsonld",
        include_str!("../../../contexts/w3c/credentials-v1.jsonld"),
    ),
    (
        "w3c/credentials-v2.jsonld",
        include_str!("../../../contexts/w3c/credentials-v2.jsonld"),
    ),
    (
        "w3c/credentials-undefined-terms-v2.jsonld",
        include_str!("../../../contexts/w3c/credentials-undefined-terms-v2.jsonld"),
    ),
    (
        "w3c/credentials-examples-v1.jsonld",
        include_str!("../../../contexts/w3c/credentials-examples-v1.jsonld"),
    ),
    (
        "w3c/credentials-examples-v2.jsonld",
        include_str!("../../../contexts/w3c/credentials-examples-v2.jsonld"),
    ),
    (
        "w3c/data-integrity-v2.jsonld",
        include_str!("../../../contexts/w3c/data-integrity-v2.jsonld"),
    ),
    (
        "w3c/multikey-v1.jsonld",
        include_str!("../../../contexts/w3c/multikey-v1.jsonld"),
    ),
    (
        "w3c/did-v1.jsonld",
        include_str!("../../../contexts/w3c/did-v1.jsonld"),
    ),
    (
        "w3c/bitstring-status-list-v1.jsonld",
        include_str!("../../../contexts/w3c/bitstring-status-list-v1.jsonld"),
    ),
    (
        "w3c/security-v1.jsonld",
        include_str!("../../../contexts/w3c/security-v1.jsonld"),
    ),
    (
        "w3c/security-v2.jsonld",
        include_str!("../../../contexts/w3c/security-v2.jsonld"),
    ),
    // Contexts issuers commonly use with VC 2.0 and 1.1 credentials.
    (
        "common/vdl-v1.jsonld",
        include_str!("../../../contexts/common/vdl-v1.jsonld"),
    ),
    (
        "common/vdl-aamva-v1.jsonld",
        include_str!("../../../contexts/common/vdl-aamva-v1.jsonld"),
    ),
    (
        "common/citizenship-v3.jsonld",
        include_str!("../../../contexts/common/citizenship-v3.jsonld"),
    ),
    (
        "common/citizenship-v4rc1.jsonld",
        include_str!("../../../contexts/common/citizenship-v4rc1.jsonld"),
    ),
    (
        "common/vc-status-list-2021-v1.jsonld",
        include_str!("../../../contexts/common/vc-status-list-2021-v1.jsonld"),
    ),
    (
        "common/vc-revocation-list-2020-v1.jsonld",
        include_str!("../../../contexts/common/vc-revocation-list-2020-v1.jsonld"),
    ),
];

/// The manifest of the contexts WHO GDHCN trust lists (DID documents
/// signed with `JsonWebSignature2020`) are read with
/// (`contexts/gdhcn/MANIFEST.tsv`).
pub const GDHCN_CONTEXTS_MANIFEST: &str = include_str!("../../../contexts/gdhcn/MANIFEST.tsv");

/// The embedded GDHCN context files, keyed by the manifest's `file` column.
const GDHCN_EMBEDDED: &[(&str, &str)] = &[
    (
        "jws-2020-v1.jsonld",
        include_str!("../../../contexts/gdhcn/jws-2020-v1.jsonld"),
    ),
    (
        "tng-context-v1-DEV.jsonld",
        include_str!("../../../contexts/gdhcn/tng-context-v1-DEV.jsonld"),
    ),
    (
        "tng-context-v1-UAT.jsonld",
        include_str!("../../../contexts/gdhcn/tng-context-v1-UAT.jsonld"),
    ),
];

/// One known context document.
#[derive(Clone, Debug)]
pub struct ContextEntry {
    /// The context URL.
    pub url: String,
    /// The document text.
    pub text: Arc<str>,
    /// Hex SHA-256 of the text.
    pub sha256: String,
    /// Where it came from (`npm:pkg@ver path`, or a file the verifier pinned).
    pub source: String,
}

/// Why a context could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    /// A pinned context is not JSON with an `@context` member.
    #[error(
        "context for {url} is not a JSON-LD context document (a JSON object with \"@context\")"
    )]
    NotAContext {
        /// The URL it was pinned for.
        url: String,
    },
    /// An embedded file does not match its manifest entry (a build defect).
    #[error("embedded context {file} does not match its manifest entry")]
    ManifestMismatch {
        /// The file in `contexts/`.
        file: String,
    },
    /// The URL given for a pinned context is not an absolute URL.
    #[error("context URL must be an absolute http(s) URL")]
    BadUrl,
}

/// The set of JSON-LD contexts a processor may use; nothing else is loaded.
#[derive(Clone, Debug)]
pub struct ContextRegistry {
    entries: BTreeMap<String, ContextEntry>,
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl ContextRegistry {
    /// The contexts embedded in ddcc, as listed in `contexts/MANIFEST.tsv`.
    /// Each file's SHA-256 is checked against the manifest.
    ///
    /// # Errors
    /// [`ContextError::ManifestMismatch`] if an embedded file differs from
    /// its manifest entry (only possible through a broken build).
    pub fn builtin() -> Result<Self, ContextError> {
        let mut entries = BTreeMap::new();
        Self::load(&mut entries, CONTEXTS_MANIFEST, EMBEDDED)?;
        Ok(Self { entries })
    }

    /// The contexts of WHO GDHCN trust lists: the builtin ones (for the DID
    /// context) and the `JsonWebSignature2020` and WHO trust-network
    /// contexts listed in `contexts/gdhcn/MANIFEST.tsv`, each checked
    /// against its SHA-256.
    ///
    /// # Errors
    /// As [`ContextRegistry::builtin`].
    pub fn gdhcn() -> Result<Self, ContextError> {
        let mut entries = BTreeMap::new();
        Self::load(&mut entries, CONTEXTS_MANIFEST, EMBEDDED)?;
        Self::load(&mut entries, GDHCN_CONTEXTS_MANIFEST, GDHCN_EMBEDDED)?;
        Ok(Self { entries })
    }

    fn load(
        entries: &mut BTreeMap<String, ContextEntry>,
        manifest: &str,
        embedded: &[(&str, &str)],
    ) -> Result<(), ContextError> {
        for line in manifest.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [url, file, source, sha] = cols[..] else {
                continue;
            };
            let text = embedded
                .iter()
                .find(|(f, _)| *f == file)
                .map(|(_, t)| *t)
                .ok_or_else(|| ContextError::ManifestMismatch { file: file.into() })?;
            if sha256_hex(text) != sha {
                return Err(ContextError::ManifestMismatch { file: file.into() });
            }
            entries.insert(
                url.to_owned(),
                ContextEntry {
                    url: url.to_owned(),
                    text: Arc::from(text),
                    sha256: sha.to_owned(),
                    source: source.to_owned(),
                },
            );
        }
        Ok(())
    }

    /// Pins one more context, read by the caller from a trusted file.
    ///
    /// # Errors
    /// [`ContextError::BadUrl`] or [`ContextError::NotAContext`].
    pub fn pin(&mut self, url: &str, text: &str, source: &str) -> Result<(), ContextError> {
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            return Err(ContextError::BadUrl);
        }
        let ok = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .is_some_and(|v| v.get("@context").is_some());
        if !ok {
            return Err(ContextError::NotAContext { url: url.into() });
        }
        self.entries.insert(
            url.to_owned(),
            ContextEntry {
                url: url.to_owned(),
                text: Arc::from(text),
                sha256: sha256_hex(text),
                source: source.to_owned(),
            },
        );
        Ok(())
    }

    /// The context document for `url`, if known.
    pub fn get(&self, url: &str) -> Option<&ContextEntry> {
        self.entries.get(url)
    }

    /// Whether `url` is known.
    pub fn contains(&self, url: &str) -> bool {
        self.entries.contains_key(url)
    }

    /// All known contexts, by URL.
    pub fn iter(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_matches_manifest_and_covers_every_file() {
        let reg = ContextRegistry::builtin().expect("manifest matches");
        assert_eq!(reg.iter().count(), EMBEDDED.len());
        for url in [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/2018/credentials/v1",
            "https://www.w3.org/ns/credentials/examples/v2",
            "https://w3id.org/security/data-integrity/v2",
            "https://w3id.org/security/multikey/v1",
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/ddcc/v1",
        ] {
            let e = reg.get(url).expect(url);
            let v: serde_json::Value = serde_json::from_str(&e.text).expect("json");
            assert!(v.get("@context").is_some(), "{url}");
        }
        // Contexts other issuers commonly use are pinned too; others are not.
        for url in [
            "https://w3id.org/citizenship/v4rc1",
            "https://w3id.org/vdl/v1",
            "https://w3id.org/vc/status-list/2021/v1",
        ] {
            assert!(reg.contains(url), "{url}");
        }
        assert!(!reg.contains("https://w3id.org/citizenship/v9"));
    }

    #[test]
    fn pin_checks_shape() {
        let mut reg = ContextRegistry::builtin().expect("builtin");
        assert!(matches!(
            reg.pin("https://x.example/ctx", "[]", "test"),
            Err(ContextError::NotAContext { .. })
        ));
        assert!(matches!(
            reg.pin("x", "{}", "test"),
            Err(ContextError::BadUrl)
        ));
        reg.pin("https://x.example/ctx", r#"{"@context":{}}"#, "test")
            .expect("pin");
        assert!(reg.contains("https://x.example/ctx"));
    }
}
