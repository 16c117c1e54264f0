//! SD-JWT issuance: every chosen claim its own disclosure, decoy digests,
//! salts from an injectable source, EdDSA signatures with our keys.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use ddcc_crypto::SecretKey;

use crate::SdError;

/// Where salts (and decoy digests) come from.
pub trait SaltSource {
    /// 128 random bits, base64url.
    fn salt(&mut self) -> String;
}

/// Salts from the operating system's CSPRNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsSalts;

impl SaltSource for OsSalts {
    fn salt(&mut self) -> String {
        let mut bytes = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
        B64.encode(bytes)
    }
}

/// Salts from the operating system's CSPRNG, drawn 4 KiB at a time (one
/// system call for 256 salts rather than one each): for issuing many
/// credentials. The bytes are used once each and never leave the process
/// except as salts.
#[derive(Clone)]
pub struct PooledOsSalts {
    pool: Box<[u8; 4096]>,
    next: usize,
}

impl Default for PooledOsSalts {
    fn default() -> Self {
        Self {
            pool: Box::new([0; 4096]),
            next: 4096,
        }
    }
}

impl std::fmt::Debug for PooledOsSalts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PooledOsSalts")
    }
}

impl Drop for PooledOsSalts {
    fn drop(&mut self) {
        // Unused random bytes are not left behind in freed memory.
        zeroize::Zeroize::zeroize(&mut self.pool[..]);
    }
}

impl SaltSource for PooledOsSalts {
    fn salt(&mut self) -> String {
        if self.next + 16 > self.pool.len() {
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut self.pool[..]);
            self.next = 0;
        }
        let salt = &mut self.pool[self.next..self.next + 16];
        let out = B64.encode(&*salt);
        zeroize::Zeroize::zeroize(salt);
        self.next += 16;
        out
    }
}

/// Which claims become disclosures: JSON Pointers of object members
/// (`/vaccination/dose`). A pointer to an object member whose value is an
/// object makes that whole value one disclosure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disclosable {
    /// The pointers.
    pub pointers: Vec<String>,
    /// Decoy digests added to each `_sd` array (hides how many claims exist).
    pub decoys_per_object: usize,
}

/// An issued SD-JWT in its issuance form (`jwt~d1~…~dn~`).
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedSdJwt {
    text: String,
}

impl std::fmt::Debug for IssuedSdJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IssuedSdJwt { <redacted> }")
    }
}

impl IssuedSdJwt {
    /// The compact serialisation.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Wraps an SD-JWT received as text (for holders).
    pub fn from_text(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

fn disclosure(salts: &mut dyn SaltSource, name: &str, value: &Value) -> (String, String) {
    let d = B64.encode(serde_json::to_vec(&json!([salts.salt(), name, value])).unwrap_or_default());
    let digest = B64.encode(Sha256::digest(d.as_bytes()));
    (d, digest)
}

/// Moves the members named by `pointers` into disclosures, depth first.
fn conceal(
    obj: &mut Map<String, Value>,
    prefix: &str,
    spec: &Disclosable,
    salts: &mut dyn SaltSource,
    out: &mut Vec<String>,
) {
    let keys: Vec<String> = obj.keys().cloned().collect();
    let mut digests = Vec::new();
    for k in keys {
        let path = format!("{prefix}/{}", k.replace('~', "~0").replace('/', "~1"));
        if let Some(Value::Object(child)) = obj.get_mut(&k) {
            conceal(child, &path, spec, salts, out);
        }
        if spec.pointers.contains(&path)
            && let Some(v) = obj.remove(&k)
        {
            let (d, digest) = disclosure(salts, &k, &v);
            out.push(d);
            digests.push(digest);
        }
    }
    if !digests.is_empty() {
        for _ in 0..spec.decoys_per_object {
            digests.push(B64.encode(Sha256::digest(salts.salt().as_bytes())));
        }
        digests.sort();
        obj.insert("_sd".into(), Value::from(digests));
    }
}

/// Issues an SD-JWT over `claims` (a JSON object), signed with EdDSA by
/// `key`. `header` members (`typ`, `kid`, …) are added to `{"alg":"EdDSA"}`.
///
/// # Errors
/// [`SdError::Malformed`] if `claims` is not an object or a pointer names a
/// member that never-disclosable rules forbid (`iss`, `vct`, `iat`, `nbf`,
/// `exp`, `cnf`, `status`).
pub fn issue_sd_jwt(
    claims: Value,
    header: Map<String, Value>,
    spec: &Disclosable,
    key: &SecretKey,
    salts: &mut dyn SaltSource,
) -> Result<IssuedSdJwt, SdError> {
    let Value::Object(mut payload) = claims else {
        return Err(SdError::Malformed("claims must be a JSON object"));
    };
    const NEVER: [&str; 7] = ["/iss", "/vct", "/iat", "/nbf", "/exp", "/cnf", "/status"];
    if spec.pointers.iter().any(|p| NEVER.contains(&p.as_str())) {
        return Err(SdError::Malformed(
            "iss, vct, iat, nbf, exp, cnf and status are never selectively disclosable",
        ));
    }
    let mut disclosures = Vec::new();
    conceal(&mut payload, "", spec, salts, &mut disclosures);
    payload.insert("_sd_alg".into(), Value::from("sha-256"));
    let mut h = Map::new();
    h.insert("alg".into(), Value::from("EdDSA"));
    h.extend(header);
    let input = format!(
        "{}.{}",
        B64.encode(serde_json::to_vec(&Value::Object(h)).unwrap_or_default()),
        B64.encode(serde_json::to_vec(&Value::Object(payload)).unwrap_or_default())
    );
    let sig = key.sign(input.as_bytes());
    let mut text = format!("{input}.{}~", B64.encode(sig));
    for d in disclosures {
        text.push_str(&d);
        text.push('~');
    }
    Ok(IssuedSdJwt { text })
}

/// A compact JWS (a JWT) over `claims`, signed with EdDSA by `key`;
/// `header` members (`typ`, `kid`, …) are added to `{"alg":"EdDSA"}`.
pub fn sign_jwt(header: Map<String, Value>, claims: &Value, key: &SecretKey) -> String {
    let mut h = Map::new();
    h.insert("alg".into(), Value::from("EdDSA"));
    h.extend(header);
    let input = format!(
        "{}.{}",
        B64.encode(serde_json::to_vec(&Value::Object(h)).unwrap_or_default()),
        B64.encode(serde_json::to_vec(claims).unwrap_or_default())
    );
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", B64.encode(sig))
}

/// Builds a presentation that keeps only the disclosures whose claim paths
/// are in `reveal` (JSON Pointers), and, if `holder` is given, appends a
/// Key Binding JWT (`typ: kb+jwt`, integer `iat`, `aud`, `nonce`, `sd_hash`).
///
/// # Errors
/// [`SdError::Malformed`] when the SD-JWT cannot be parsed.
pub fn present(
    sd_jwt: &IssuedSdJwt,
    reveal: &[String],
    holder: Option<(&SecretKey, &str, &str, i64)>,
) -> Result<String, SdError> {
    let p = crate::Presentation::parse(&sd_jwt.text)?;
    let paths = crate::process::disclosure_paths(&p)?;
    let mut text = format!("{}~", p.unverified_issuer_jwt);
    for (d, path) in p.unverified_disclosures.iter().zip(&paths) {
        // A nested disclosure is kept only if every enclosing disclosure is.
        let keep = reveal.contains(path)
            && ancestors(path).all(|a| reveal.contains(&a) || !paths.contains(&a));
        if keep {
            text.push_str(d);
            text.push('~');
        }
    }
    if let Some((key, aud, nonce, iat)) = holder {
        let sd_hash = B64.encode(Sha256::digest(text.as_bytes()));
        let header = B64.encode(br#"{"alg":"EdDSA","typ":"kb+jwt"}"#);
        let payload = B64.encode(
            serde_json::to_vec(
                &json!({"iat": iat, "aud": aud, "nonce": nonce, "sd_hash": sd_hash}),
            )
            .unwrap_or_default(),
        );
        let input = format!("{header}.{payload}");
        let sig = key.sign(input.as_bytes());
        text.push_str(&format!("{input}.{}", B64.encode(sig)));
    }
    Ok(text)
}

/// `/a/b/c` → `/a`, `/a/b`.
fn ancestors(path: &str) -> impl Iterator<Item = String> + '_ {
    path.match_indices('/')
        .skip(1)
        .map(move |(i, _)| path[..i].to_owned())
}
