//! Bitstring Status List v1.0 (W3C Recommendation, 2025) for ddcc.
//!
//! - [`Bitstring`]: the list itself (index 0 is the most significant bit
//!   of the first byte), encoded as `encodedList` = multibase `u` +
//!   base64url (no padding) of the GZIP-compressed bits. Decoding is
//!   bounded, so a small hostile list cannot expand into gigabytes.
//! - [`StatusEntry`]: a credential's `BitstringStatusListEntry`.
//! - [`StatusList`]: a list credential's subject, read from or written to
//!   a `BitstringStatusListCredential` (signing and verifying the
//!   credential is the credential crate's business).
//! - [`random_free_index`]: indexes are allocated at random, so that an
//!   index says nothing about when or to whom a credential was issued.

#![forbid(unsafe_code)]

use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Map, Value, json};

/// The smallest list the Recommendation allows (16 KiB), for herd privacy.
pub const MIN_LIST_BITS: usize = 131_072;
/// The largest list this crate decodes (16 MiB of bits).
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;
/// The credential type of a status list credential.
pub const LIST_CREDENTIAL_TYPE: &str = "BitstringStatusListCredential";
/// The type of a status entry.
pub const ENTRY_TYPE: &str = "BitstringStatusListEntry";

/// Why a list or entry cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    /// `encodedList` is not multibase base64url of GZIP data.
    #[error("encodedList is not multibase base64url GZIP data")]
    BadEncoding,
    /// The decompressed list is larger than this verifier accepts.
    #[error("the status list is larger than {MAX_LIST_BYTES} bytes")]
    TooLarge,
    /// The entry or list is not of the expected shape.
    #[error("malformed status: {0}")]
    Malformed(&'static str),
    /// The index is outside the list.
    #[error("status index {index} is outside the list of {len} entries")]
    OutOfRange {
        /// The index.
        index: usize,
        /// Entries in the list.
        len: usize,
    },
    /// A `statusSize` other than 1 (status messages) is not supported.
    #[error("statusSize {0} is not supported (only 1)")]
    UnsupportedSize(u64),
    /// Every index of the list is taken.
    #[error("the status list is full")]
    Full,
}

/// A list of status bits.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Bitstring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bitstring")
            .field("bits", &self.len())
            .field("set", &self.count_set())
            .finish()
    }
}

impl Bitstring {
    /// A list of `bits` entries (rounded up to whole bytes, and to at least
    /// [`MIN_LIST_BITS`]), all unset.
    pub fn new(bits: usize) -> Self {
        let bits = bits.max(MIN_LIST_BITS);
        Self {
            bytes: vec![0; bits.div_ceil(8)],
        }
    }

    /// Entries in the list.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Whether the list has no entries (never true for a list from [`Bitstring::new`]).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many entries are set.
    pub fn count_set(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// Entry `index`.
    ///
    /// # Errors
    /// [`StatusError::OutOfRange`].
    pub fn get(&self, index: usize) -> Result<bool, StatusError> {
        let byte = self.bytes.get(index / 8).ok_or(StatusError::OutOfRange {
            index,
            len: self.len(),
        })?;
        Ok(byte & (0x80 >> (index % 8)) != 0)
    }

    /// Sets entry `index` to `value`.
    ///
    /// # Errors
    /// [`StatusError::OutOfRange`].
    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusError> {
        let len = self.len();
        let byte = self
            .bytes
            .get_mut(index / 8)
            .ok_or(StatusError::OutOfRange { index, len })?;
        if value {
            *byte |= 0x80 >> (index % 8);
        } else {
            *byte &= !(0x80 >> (index % 8));
        }
        Ok(())
    }

    /// The raw bytes (entry 0 is the high bit of byte 0), for storage.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A list from raw bytes as [`Bitstring::as_bytes`] gives them.
    ///
    /// # Errors
    /// [`StatusError::TooLarge`] above [`MAX_LIST_BYTES`].
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, StatusError> {
        if bytes.len() > MAX_LIST_BYTES {
            return Err(StatusError::TooLarge);
        }
        Ok(Self { bytes })
    }

    /// The `encodedList` form.
    pub fn encode(&self) -> String {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        let _ = gz.write_all(&self.bytes);
        let compressed = gz.finish().unwrap_or_default();
        format!("u{}", B64.encode(compressed))
    }

    /// Reads an `encodedList`.
    ///
    /// # Errors
    /// [`StatusError::BadEncoding`] or [`StatusError::TooLarge`].
    pub fn decode(encoded: &str) -> Result<Self, StatusError> {
        let b64 = encoded.strip_prefix('u').ok_or(StatusError::BadEncoding)?;
        // Some producers pad; the multibase form has no padding.
        let compressed = B64
            .decode(b64.trim_end_matches('='))
            .map_err(|_| StatusError::BadEncoding)?;
        let mut bytes = Vec::new();
        let mut reader =
            flate2::read::GzDecoder::new(&compressed[..]).take(MAX_LIST_BYTES as u64 + 1);
        reader
            .read_to_end(&mut bytes)
            .map_err(|_| StatusError::BadEncoding)?;
        if bytes.len() > MAX_LIST_BYTES {
            return Err(StatusError::TooLarge);
        }
        Ok(Self { bytes })
    }
}

/// Where the Token Status List form of the list at `list_url` is
/// published: the same path with `.jwt` for `.json`.
pub fn token_list_url(list_url: &str) -> String {
    match list_url.strip_suffix(".json") {
        Some(stem) => format!("{stem}.jwt"),
        None => format!("{list_url}.jwt"),
    }
}

/// The IETF Token Status List form of a one-bit list (`status_list.lst`
/// with `bits: 1`): the same statuses, index 0 in the least significant
/// bit of byte 0 (a Bitstring Status List puts it in the most significant
/// one), zlib-compressed, base64url without padding.
pub fn token_status_list_lst(bits: &Bitstring) -> String {
    let reordered: Vec<u8> = bits.bytes.iter().map(|b| b.reverse_bits()).collect();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(&reordered);
    B64.encode(z.finish().unwrap_or_default())
}

/// The status at `index` of a Token Status List `lst` with `bits` bits
/// per status (1, 2, 4 or 8), as the IETF draft lays it out.
///
/// # Errors
/// [`StatusError::BadEncoding`], [`StatusError::TooLarge`],
/// [`StatusError::OutOfRange`], or [`StatusError::UnsupportedSize`].
pub fn token_status_at(lst: &str, bits: u64, index: usize) -> Result<u8, StatusError> {
    if !matches!(bits, 1 | 2 | 4 | 8) {
        return Err(StatusError::UnsupportedSize(bits));
    }
    let compressed = B64
        .decode(lst.trim_end_matches('='))
        .map_err(|_| StatusError::BadEncoding)?;
    let mut bytes = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .take(MAX_LIST_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| StatusError::BadEncoding)?;
    if bytes.len() > MAX_LIST_BYTES {
        return Err(StatusError::TooLarge);
    }
    let bits = bits as usize;
    let per_byte = 8 / bits;
    let byte = bytes.get(index / per_byte).ok_or(StatusError::OutOfRange {
        index,
        len: bytes.len() * per_byte,
    })?;
    let shift = (index % per_byte) * bits;
    Ok((byte >> shift) & ((1u16 << bits) - 1) as u8)
}

/// What a status entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// A set bit means revoked, for good.
    Revocation,
    /// A set bit means suspended (it can be reinstated).
    Suspension,
}

impl Purpose {
    /// `revocation` or `suspension`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revocation => "revocation",
            Self::Suspension => "suspension",
        }
    }

    /// Parses `revocation` / `suspension`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "revocation" => Some(Self::Revocation),
            "suspension" => Some(Self::Suspension),
            _ => None,
        }
    }
}

/// A credential's `BitstringStatusListEntry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// The purpose.
    pub purpose: Purpose,
    /// The index in the list.
    pub index: usize,
    /// The URL of the list credential.
    pub list_url: String,
}

impl StatusEntry {
    /// The JSON entry (`id` = list URL + `#index`).
    pub fn to_json(&self) -> Value {
        json!({
            "id": format!("{}#{}", self.list_url, self.index),
            "type": ENTRY_TYPE,
            "statusPurpose": self.purpose.as_str(),
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list_url,
        })
    }

    /// Reads one entry.
    ///
    /// # Errors
    /// [`StatusError::Malformed`], or [`StatusError::UnsupportedSize`] for
    /// multi-bit status messages.
    pub fn from_json(v: &Value) -> Result<Self, StatusError> {
        let field = |k: &str| v.get(k).and_then(Value::as_str);
        if field("type") != Some(ENTRY_TYPE) {
            return Err(StatusError::Malformed(
                "the entry is not a BitstringStatusListEntry",
            ));
        }
        if let Some(size) = v.get("statusSize") {
            match size.as_u64() {
                Some(1) => {}
                Some(n) => return Err(StatusError::UnsupportedSize(n)),
                None => return Err(StatusError::Malformed("statusSize is not a number")),
            }
        }
        let purpose =
            field("statusPurpose")
                .and_then(Purpose::parse)
                .ok_or(StatusError::Malformed(
                    "statusPurpose is not revocation or suspension",
                ))?;
        // A base-10 string without sign, leading zeros or spaces.
        let index_text = field("statusListIndex")
            .ok_or(StatusError::Malformed("statusListIndex is not a string"))?;
        let canonical = !index_text.is_empty()
            && index_text.bytes().all(|b| b.is_ascii_digit())
            && (index_text == "0" || !index_text.starts_with('0'));
        let index: usize =
            index_text
                .parse()
                .ok()
                .filter(|_| canonical)
                .ok_or(StatusError::Malformed(
                    "statusListIndex is not a base-10 integer",
                ))?;
        let list_url = field("statusListCredential")
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .ok_or(StatusError::Malformed(
                "statusListCredential is not an http(s) URL",
            ))?
            .to_owned();
        Ok(Self {
            purpose,
            index,
            list_url,
        })
    }

    /// Every entry of a credential's `credentialStatus` (an object or an
    /// array), and the ones that are not Bitstring entries, by type.
    ///
    /// # Errors
    /// The first malformed Bitstring entry.
    pub fn all_of(credential: &Value) -> Result<(Vec<Self>, Vec<String>), StatusError> {
        let items: Vec<&Value> = match credential.get("credentialStatus") {
            None => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            Some(_) => return Err(StatusError::Malformed("credentialStatus is not an object")),
        };
        let mut entries = Vec::new();
        let mut other = Vec::new();
        for item in items {
            match item.get("type").and_then(Value::as_str) {
                Some(ENTRY_TYPE) => entries.push(Self::from_json(item)?),
                Some(t) => other.push(t.chars().take(80).collect()),
                None => return Err(StatusError::Malformed("a status entry has no type")),
            }
        }
        Ok((entries, other))
    }
}

/// The subject of a `BitstringStatusListCredential`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    /// The list credential's URL (its `id`).
    pub url: String,
    /// What the bits mean.
    pub purpose: Purpose,
    /// The bits.
    pub bits: Bitstring,
    /// The `ttl` (milliseconds) the issuer suggests for caching, if any.
    pub ttl_ms: Option<u64>,
}

impl StatusList {
    /// An empty list of [`MIN_LIST_BITS`] entries.
    pub fn new(url: &str, purpose: Purpose) -> Self {
        Self {
            url: url.to_owned(),
            purpose,
            bits: Bitstring::new(MIN_LIST_BITS),
            ttl_ms: None,
        }
    }

    /// The unsigned list credential, issued by `issuer` (contexts: VC 2.0,
    /// which defines the status list terms).
    pub fn to_credential(
        &self,
        issuer: &str,
        valid_from: &str,
        valid_until: Option<&str>,
    ) -> Value {
        let mut subject = Map::new();
        subject.insert("id".into(), Value::from(format!("{}#list", self.url)));
        subject.insert("type".into(), Value::from("BitstringStatusList"));
        subject.insert("statusPurpose".into(), Value::from(self.purpose.as_str()));
        subject.insert("encodedList".into(), Value::from(self.bits.encode()));
        if let Some(ttl) = self.ttl_ms {
            subject.insert("ttl".into(), Value::from(ttl));
        }
        let mut vc = Map::new();
        vc.insert(
            "@context".into(),
            json!(["https://www.w3.org/ns/credentials/v2"]),
        );
        vc.insert("id".into(), Value::from(self.url.as_str()));
        vc.insert(
            "type".into(),
            json!(["VerifiableCredential", LIST_CREDENTIAL_TYPE]),
        );
        vc.insert("issuer".into(), Value::from(issuer));
        vc.insert("validFrom".into(), Value::from(valid_from));
        if let Some(u) = valid_until {
            vc.insert("validUntil".into(), Value::from(u));
        }
        vc.insert("credentialSubject".into(), Value::Object(subject));
        Value::Object(vc)
    }

    /// Reads the subject of a list credential (its proof is checked
    /// elsewhere).
    ///
    /// # Errors
    /// [`StatusError::Malformed`] or a decoding error.
    pub fn from_credential(vc: &Value) -> Result<Self, StatusError> {
        let types: Vec<&str> = match vc.get("type") {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        };
        if !types.contains(&LIST_CREDENTIAL_TYPE) {
            return Err(StatusError::Malformed(
                "not a BitstringStatusListCredential",
            ));
        }
        let url = vc
            .get("id")
            .and_then(Value::as_str)
            .ok_or(StatusError::Malformed("the list credential has no id"))?
            .to_owned();
        let subject = vc
            .get("credentialSubject")
            .ok_or(StatusError::Malformed("the list credential has no subject"))?;
        if subject.get("type").and_then(Value::as_str) != Some("BitstringStatusList") {
            return Err(StatusError::Malformed(
                "the subject is not a BitstringStatusList",
            ));
        }
        let purpose = subject
            .get("statusPurpose")
            .and_then(Value::as_str)
            .and_then(Purpose::parse)
            .ok_or(StatusError::Malformed(
                "the list's statusPurpose is not revocation or suspension",
            ))?;
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or(StatusError::Malformed("the list has no encodedList"))?;
        Ok(Self {
            url,
            purpose,
            bits: Bitstring::decode(encoded)?,
            ttl_ms: subject.get("ttl").and_then(Value::as_u64),
        })
    }

    /// The status of `entry` in this list: `true` when its bit is set.
    ///
    /// # Errors
    /// [`StatusError::Malformed`] when the entry names another list or
    /// purpose, [`StatusError::OutOfRange`] for an index past the end.
    pub fn is_set(&self, entry: &StatusEntry) -> Result<bool, StatusError> {
        if entry.list_url != self.url {
            return Err(StatusError::Malformed("the entry names another list"));
        }
        if entry.purpose != self.purpose {
            return Err(StatusError::Malformed("the list is for another purpose"));
        }
        self.bits.get(entry.index)
    }
}

/// A status list credential as fetched, with when it was fetched (Unix
/// seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedList {
    /// The list credential (JSON).
    pub credential: Value,
    /// When it was fetched.
    pub fetched_at: i64,
}

/// The future a [`StatusLists`] source returns.
pub type FetchFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<FetchedList, String>> + Send + 'a>>;

/// Where a verifier gets status list credentials: a bundle it was given,
/// files, or the network (explicitly, and cached). The error is a reason
/// for people (the status is then unknown).
pub trait StatusLists: Send + Sync + std::fmt::Debug {
    /// The list credential at `url`.
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a>;
}

/// Status lists a verifier was given (files, a bundle): no network.
#[derive(Debug, Default, Clone)]
pub struct GivenLists {
    lists: std::collections::HashMap<String, FetchedList>,
}

impl GivenLists {
    /// No lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a list credential fetched at `fetched_at` (Unix seconds); its
    /// URL is its `id`.
    ///
    /// # Errors
    /// [`StatusError::Malformed`] when the credential has no `id`.
    pub fn add(&mut self, credential: Value, fetched_at: i64) -> Result<(), StatusError> {
        let url = credential
            .get("id")
            .and_then(Value::as_str)
            .ok_or(StatusError::Malformed("the list credential has no id"))?
            .to_owned();
        self.lists.insert(
            url,
            FetchedList {
                credential,
                fetched_at,
            },
        );
        Ok(())
    }
}

impl StatusLists for GivenLists {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        let found = self
            .lists
            .get(url)
            .cloned()
            .ok_or_else(|| "the status list was not given to this verifier".to_owned());
        Box::pin(std::future::ready(found))
    }
}

/// A random index of `bits` not yet used (`used` says which are), drawn
/// from `rng` (a CSPRNG in production). Tries random draws first, then
/// scans from a random start, so it terminates even on a nearly full list.
///
/// # Errors
/// [`StatusError::Full`] when every index is used.
pub fn random_free_index(
    len: usize,
    used: impl Fn(usize) -> bool,
    rng: &mut dyn rand_core::RngCore,
) -> Result<usize, StatusError> {
    if len == 0 {
        return Err(StatusError::Full);
    }
    let draw = |rng: &mut dyn rand_core::RngCore| {
        // Rejection sampling: no modulo bias.
        let zone = u64::MAX - (u64::MAX % len as u64);
        loop {
            let x = rng.next_u64();
            if x < zone {
                return (x % len as u64) as usize;
            }
        }
    };
    for _ in 0..64 {
        let i = draw(rng);
        if !used(i) {
            return Ok(i);
        }
    }
    let start = draw(rng);
    (0..len)
        .map(|k| (start + k) % len)
        .find(|i| !used(*i))
        .ok_or(StatusError::Full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_status_lists_put_index_zero_in_the_low_bit() {
        let mut b = Bitstring::new(MIN_LIST_BITS);
        for i in [0usize, 3, 9, 131_071] {
            b.set(i, true).unwrap();
        }
        let lst = token_status_list_lst(&b);
        for i in [0usize, 3, 9, 131_071] {
            assert_eq!(token_status_at(&lst, 1, i).unwrap(), 1, "{i}");
        }
        for i in [1usize, 2, 8, 10, 131_070] {
            assert_eq!(token_status_at(&lst, 1, i).unwrap(), 0, "{i}");
        }
        assert!(token_status_at(&lst, 1, 131_072).is_err());
        // The IETF draft's own example: bits 1, statuses
        // [1,0,0,1,1,1,0,1, 1,1,0,0,0,1,0,1] give "eNrbuRgAAhcBXQ".
        let mut ex = Bitstring { bytes: vec![0; 2] };
        for (i, s) in [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]
            .iter()
            .enumerate()
        {
            ex.set(i, *s == 1).unwrap();
        }
        assert_eq!(token_status_list_lst(&ex), "eNrbuRgAAhcBXQ");
    }

    #[test]
    fn bits_round_trip_most_significant_first() {
        let mut b = Bitstring::new(10);
        assert_eq!(b.len(), MIN_LIST_BITS);
        b.set(0, true).unwrap();
        b.set(9, true).unwrap();
        b.set(MIN_LIST_BITS - 1, true).unwrap();
        assert_eq!(b.bytes[0], 0x80);
        assert_eq!(b.bytes[1], 0x40);
        let again = Bitstring::decode(&b.encode()).unwrap();
        assert_eq!(again, b);
        assert!(again.get(9).unwrap() && !again.get(8).unwrap());
        assert_eq!(again.count_set(), 3);
        b.set(9, false).unwrap();
        assert!(!b.get(9).unwrap());
        assert!(matches!(
            b.get(MIN_LIST_BITS),
            Err(StatusError::OutOfRange { .. })
        ));
    }

    #[test]
    fn hostile_encodings_are_refused() {
        assert_eq!(Bitstring::decode("H4sI"), Err(StatusError::BadEncoding));
        assert_eq!(Bitstring::decode("u!!!"), Err(StatusError::BadEncoding));
        assert_eq!(Bitstring::decode("uAAAA"), Err(StatusError::BadEncoding));
        // A GZIP bomb: 32 MiB of zeros compress to about 32 KiB.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..32 {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = format!("u{}", B64.encode(gz.finish().unwrap()));
        assert_eq!(Bitstring::decode(&bomb), Err(StatusError::TooLarge));
    }

    #[test]
    fn entries_are_read_strictly() {
        let e = StatusEntry {
            purpose: Purpose::Revocation,
            index: 94567,
            list_url: "https://example.com/status/3".into(),
        };
        assert_eq!(StatusEntry::from_json(&e.to_json()).unwrap(), e);
        for (k, v) in [
            ("statusListIndex", json!("094567")),
            ("statusListIndex", json!("-1")),
            ("statusListIndex", json!(94567)),
            ("statusListIndex", json!("9 4567")),
            ("statusPurpose", json!("refresh")),
            ("statusListCredential", json!("ftp://x")),
            ("statusSize", json!(2)),
        ] {
            let mut j = e.to_json();
            j[k] = v;
            assert!(StatusEntry::from_json(&j).is_err(), "{k}");
        }
    }

    #[test]
    fn random_indexes_avoid_used_ones_and_fill_the_list() {
        struct Counter(u64);
        impl rand_core::RngCore for Counter {
            fn next_u32(&mut self) -> u32 {
                self.next_u64() as u32
            }
            fn next_u64(&mut self) -> u64 {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                self.0
            }
            fn fill_bytes(&mut self, dest: &mut [u8]) {
                rand_core::impls::fill_bytes_via_next(self, dest)
            }
            fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
                self.fill_bytes(dest);
                Ok(())
            }
        }
        let mut rng = Counter(7);
        let mut used = [false; 100];
        for _ in 0..100 {
            let i = random_free_index(100, |i| used[i], &mut rng).unwrap();
            assert!(!used[i]);
            used[i] = true;
        }
        assert_eq!(
            random_free_index(100, |i| used[i], &mut rng),
            Err(StatusError::Full)
        );
    }
}
