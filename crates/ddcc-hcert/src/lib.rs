//! EU Digital COVID Certificates (HCERT, the `HC1:` QR payload), read and
//! verified offline: prefix, Base45, zlib, COSE_Sign1 (ES256, PS256), the
//! CWT claims and the DCC payload, the signer certificate (DSC) chosen by
//! `kid` from a trust list, its extended key usage against the certificate
//! type, and the validity window against a given clock.
//!
//! Every step is its own function with its own error, so a checkpoint can
//! say which step failed; sizes are limited before anything is expanded.
//! Error messages never carry certificate contents.

#![forbid(unsafe_code)]

pub mod ddcc;
pub mod schema;

use std::io::Read as _;

use ciborium::value::Value as Cbor;
use coset::{AsCborValue as _, CoseSign1, iana};
use serde_json::Value;
use sha2::Digest as _;

/// Largest `HC1:` text accepted (a QR code holds at most 4,296
/// alphanumeric characters).
pub const MAX_TEXT: usize = 8 * 1024;
/// Largest decompressed COSE message accepted.
pub const MAX_COSE: usize = 64 * 1024;

/// The OIDs of DSC extended key usages restricting what a DSC may sign
/// (test, vaccination, recovery), in both forms the EU specification names.
const EKU_TEST: [&str; 2] = ["1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.1"];
const EKU_VACCINATION: [&str; 2] = ["1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.0.1847.2021.1.2"];
const EKU_RECOVERY: [&str; 2] = ["1.3.6.1.4.1.1847.2021.1.3", "1.3.6.1.4.1.0.1847.2021.1.3"];

/// Why an HC1 certificate was refused: the step, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HcertError {
    /// The input is larger than the limit for its step.
    #[error("{0} is larger than allowed")]
    TooLarge(&'static str),
    /// The text does not start with `HC1:`.
    #[error("the text does not start with the HC1: prefix")]
    Prefix,
    /// The Base45 text is malformed.
    #[error("the Base45 text is malformed")]
    Base45,
    /// The zlib stream is malformed.
    #[error("the zlib data is malformed")]
    Zlib,
    /// The COSE_Sign1 structure is malformed.
    #[error("the COSE_Sign1 structure is malformed: {0}")]
    Cose(&'static str),
    /// The CWT payload is malformed.
    #[error("the CWT payload is malformed: {0}")]
    Cwt(&'static str),
    /// The signature algorithm is not ES256, ES384 or PS256.
    #[error("the signature algorithm is not ES256, ES384 or PS256")]
    Algorithm,
    /// The algorithm is only in the unprotected header (not covered by
    /// the signature) and is not the one the signer's key dictates.
    #[error(
        "the signature algorithm is only in the unprotected header and does not match the signer's key"
    )]
    UnprotectedAlgorithm,
    /// No key identifier in the headers.
    #[error("the certificate names no key id")]
    NoKid,
    /// No signer certificate in the trust list has this key id.
    #[error("no signer certificate in the trust list has the key id")]
    UnknownKid,
    /// The signer certificate cannot be read.
    #[error("the signer certificate cannot be read: {0}")]
    Certificate(&'static str),
    /// The signature does not verify with the signer's key.
    #[error("the signature does not verify with the signer certificate's key")]
    Signature,
    /// The signer certificate may not sign this type of certificate.
    #[error("the signer certificate may not sign {0} certificates (extended key usage)")]
    KeyUsage(&'static str),
    /// The certificate with the key id may not sign documents (a CA
    /// certificate, or a key usage without digitalSignature).
    #[error("the signer certificate may not sign documents: {0}")]
    NotASigner(&'static str),
    /// The signer certificate was not valid when the certificate was
    /// issued (`iat` outside its validity period).
    #[error("the signer certificate was not valid when the certificate was issued")]
    SignerNotValidAtIssuance,
    /// The signer certificate's country is not the issuing country the
    /// certificate states (`iss`).
    #[error("the signer certificate's country is not the certificate's issuing country")]
    CountryMismatch,
    /// Issued after the clock.
    #[error("issued after the validation time")]
    NotYetValid,
    /// Expired at the clock.
    #[error("expired at the validation time")]
    Expired,
    /// The payload breaks the EU DCC schema or a value set (field paths
    /// and rules, no values).
    #[error("the payload {0}")]
    Schema(String),
}

/// Strips the `HC1:` prefix (after surrounding white space).
///
/// # Errors
/// [`HcertError::TooLarge`] or [`HcertError::Prefix`].
pub fn unprefix(text: &str) -> Result<&str, HcertError> {
    if text.len() > MAX_TEXT {
        return Err(HcertError::TooLarge("the HC1 text"));
    }
    text.trim().strip_prefix("HC1:").ok_or(HcertError::Prefix)
}

/// Base45 (RFC 9285) decoding.
///
/// # Errors
/// [`HcertError::TooLarge`] or [`HcertError::Base45`].
pub fn base45_decode(text: &str) -> Result<Vec<u8>, HcertError> {
    if text.len() > MAX_TEXT {
        return Err(HcertError::TooLarge("the Base45 text"));
    }
    base45::decode(text).map_err(|_| HcertError::Base45)
}

/// zlib decompression, refusing output above [`MAX_COSE`]. The EU test
/// data requires compression (an uncompressed COSE message is refused).
///
/// # Errors
/// [`HcertError::Zlib`] or [`HcertError::TooLarge`].
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, HcertError> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_COSE as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| HcertError::Zlib)?;
    if out.len() > MAX_COSE {
        return Err(HcertError::TooLarge("the decompressed COSE message"));
    }
    Ok(out)
}

/// A parsed COSE_Sign1 message.
#[derive(Debug, Clone)]
pub struct Cose {
    sign1: CoseSign1,
}

/// Parses a COSE_Sign1 message, tagged (18), wrapped in a CWT tag (61), or
/// untagged.
///
/// # Errors
/// [`HcertError::TooLarge`] or [`HcertError::Cose`].
pub fn parse_cose(bytes: &[u8]) -> Result<Cose, HcertError> {
    if bytes.len() > MAX_COSE {
        return Err(HcertError::TooLarge("the COSE message"));
    }
    let mut value: Cbor = ciborium::from_reader(bytes).map_err(|_| HcertError::Cose("not CBOR"))?;
    for _ in 0..2 {
        value = match value {
            Cbor::Tag(61 | 18, inner) => *inner,
            other => other,
        };
    }
    let sign1 = CoseSign1::from_cbor_value(value)
        .map_err(|_| HcertError::Cose("not a COSE_Sign1 array"))?;
    Ok(Cose { sign1 })
}

impl Cose {
    /// The key id: the protected header's, else the unprotected one's.
    pub fn kid(&self) -> Option<&[u8]> {
        let p = &self.sign1.protected.header.key_id;
        let u = &self.sign1.unprotected.key_id;
        if !p.is_empty() {
            Some(p)
        } else if !u.is_empty() {
            Some(u)
        } else {
            None
        }
    }

    /// The algorithm and whether the signature covers it (the protected
    /// header's, else the unprotected one's).
    fn algorithm(&self) -> Option<(&coset::Algorithm, bool)> {
        match &self.sign1.protected.header.alg {
            Some(a) => Some((a, true)),
            None => self.sign1.unprotected.alg.as_ref().map(|a| (a, false)),
        }
    }

    /// The CWT claims and DCC payload.
    ///
    /// # Errors
    /// [`HcertError::Cwt`].
    pub fn payload(&self) -> Result<Hcert, HcertError> {
        let bytes = self
            .sign1
            .payload
            .as_deref()
            .ok_or(HcertError::Cwt("no payload"))?;
        let claims: Cbor = ciborium::from_reader(bytes).map_err(|_| HcertError::Cwt("not CBOR"))?;
        let Cbor::Map(entries) = claims else {
            return Err(HcertError::Cwt("the claims are not a map"));
        };
        let mut hcert = Hcert::default();
        let mut seen: Vec<i64> = Vec::new();
        for (k, v) in entries {
            let Some(key) = k.as_integer().and_then(|i| i64::try_from(i).ok()) else {
                continue;
            };
            // A claim given twice: which one a verifier reads decides what
            // it shows, so neither is read.
            if seen.contains(&key) {
                return Err(HcertError::Cwt("a claim appears twice"));
            }
            seen.push(key);
            match key {
                1 => hcert.issuer = v.as_text().map(str::to_owned),
                4 => {
                    hcert.expires = Some(
                        int(&v).ok_or(HcertError::Cwt("exp is not an integer date in range"))?,
                    );
                }
                6 => {
                    hcert.issued_at = Some(
                        int(&v).ok_or(HcertError::Cwt("iat is not an integer date in range"))?,
                    );
                }
                -260 => {
                    let Cbor::Map(h) = v else {
                        return Err(HcertError::Cwt("the hcert claim is not a map"));
                    };
                    let dcc = h
                        .into_iter()
                        .find(|(k, _)| {
                            k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(1)
                        })
                        .map(|(_, v)| v)
                        .ok_or(HcertError::Cwt("the hcert claim has no DCC"))?;
                    hcert.dcc =
                        cbor_to_json(&dcc, 0).ok_or(HcertError::Cwt("the DCC is not JSON-like"))?;
                }
                _ => {}
            }
        }
        if !hcert.dcc.is_object() {
            return Err(HcertError::Cwt("no DCC payload"));
        }
        // Without both, a certificate would be valid forever or from no
        // known time (HCERT requires iat and exp).
        if hcert.expires.is_none() {
            return Err(HcertError::Cwt(
                "no exp: the certificate states no end of validity",
            ));
        }
        if hcert.issued_at.is_none() {
            return Err(HcertError::Cwt(
                "no iat: the certificate states no issuing time",
            ));
        }
        Ok(hcert)
    }

    /// Verifies the signature with `dsc`'s key.
    ///
    /// # Errors
    /// [`HcertError::Algorithm`], [`HcertError::Signature`].
    pub fn verify_with(&self, dsc: &Dsc) -> Result<(), HcertError> {
        let (alg, protected) = match self.algorithm() {
            Some((coset::RegisteredLabelWithPrivate::Assigned(a), p)) => (*a, p),
            _ => return Err(HcertError::Algorithm),
        };
        // An algorithm the signature does not cover (only in the
        // unprotected header, as the EU test data's CO20 has it and
        // expects to verify) is taken only when it is the one the
        // signer's key dictates, so that changing it can gain nothing.
        if !protected {
            let natural = match dsc.key {
                Key::P256(_) => Some(iana::Algorithm::ES256),
                Key::P384(_) => Some(iana::Algorithm::ES384),
                Key::Rsa(_) => Some(iana::Algorithm::PS256),
                Key::Other => None,
            };
            if natural != Some(alg) {
                return Err(HcertError::UnprotectedAlgorithm);
            }
        }
        self.sign1
            .verify_signature(b"", |sig, data| match (alg, &dsc.key) {
                (iana::Algorithm::ES256, Key::P256(k)) => {
                    use p256::ecdsa::signature::Verifier as _;
                    let sig = p256::ecdsa::Signature::from_slice(sig)
                        .map_err(|_| HcertError::Signature)?;
                    k.verify(data, &sig).map_err(|_| HcertError::Signature)
                }
                (iana::Algorithm::PS256, Key::Rsa(k)) => {
                    use rsa::signature::Verifier as _;
                    let vk = rsa::pss::VerifyingKey::<sha2::Sha256>::new(k.clone());
                    let sig =
                        rsa::pss::Signature::try_from(sig).map_err(|_| HcertError::Signature)?;
                    vk.verify(data, &sig).map_err(|_| HcertError::Signature)
                }
                // ES256 with a P-384 key, as Spain's test certificates sign:
                // ECDSA over P-384 with a SHA-256 digest; ES384 proper.
                (iana::Algorithm::ES256 | iana::Algorithm::ES384, Key::P384(k)) => {
                    use p384::ecdsa::signature::hazmat::PrehashVerifier as _;
                    let sig = p384::ecdsa::Signature::from_slice(sig)
                        .map_err(|_| HcertError::Signature)?;
                    let digest = if alg == iana::Algorithm::ES256 {
                        sha2::Sha256::digest(data).to_vec()
                    } else {
                        sha2::Sha384::digest(data).to_vec()
                    };
                    k.verify_prehash(&digest, &sig)
                        .map_err(|_| HcertError::Signature)
                }
                (iana::Algorithm::ES256 | iana::Algorithm::PS256, _) => Err(HcertError::Signature),
                _ => Err(HcertError::Algorithm),
            })
    }
}

/// The latest date a CWT may state: the end of year 9999 (Unix seconds).
const MAX_DATE: i64 = 253_402_300_799;

/// A NumericDate from 0 to [`MAX_DATE`], to the second. RFC 8392 allows
/// fractions, and real certificates use them (Spain's test data), so a
/// finite float in range is read; one out of range (1e300, NaN, negative)
/// is refused, never clamped into a date.
fn int(v: &Cbor) -> Option<i64> {
    let range = 0..=MAX_DATE;
    match v {
        Cbor::Integer(i) => i64::try_from(*i).ok().filter(|t| range.contains(t)),
        Cbor::Float(f) if f.is_finite() && *f >= 0.0 && *f <= MAX_DATE as f64 => {
            Some(f.trunc() as i64)
        }
        Cbor::Tag(1, inner) => int(inner),
        _ => None,
    }
}

/// CBOR to JSON: text-keyed maps, arrays, text, numbers, booleans, null;
/// tagged values (dates) become their content; byte strings base64url.
fn cbor_to_json(v: &Cbor, depth: usize) -> Option<Value> {
    if depth > 16 {
        return None;
    }
    Some(match v {
        Cbor::Null => Value::Null,
        Cbor::Bool(b) => Value::Bool(*b),
        Cbor::Integer(i) => {
            let n: i128 = (*i).into();
            match i64::try_from(n) {
                Ok(n) => Value::from(n),
                Err(_) => Value::from(u64::try_from(n).ok()?),
            }
        }
        Cbor::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number)?,
        Cbor::Text(t) => Value::String(t.clone()),
        Cbor::Bytes(b) => {
            use base64::Engine as _;
            Value::String(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
        }
        Cbor::Array(a) => Value::Array(
            a.iter()
                .map(|x| cbor_to_json(x, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Cbor::Map(m) => {
            let mut o = serde_json::Map::new();
            for (k, x) in m {
                let key = match k {
                    Cbor::Text(t) => t.clone(),
                    Cbor::Integer(i) => i128::from(*i).to_string(),
                    _ => return None,
                };
                o.insert(key, cbor_to_json(x, depth + 1)?);
            }
            Value::Object(o)
        }
        Cbor::Tag(_, inner) => cbor_to_json(inner, depth + 1)?,
        _ => return None,
    })
}

/// The claims of an HC1 certificate.
#[derive(Clone, Default, PartialEq)]
pub struct Hcert {
    /// `iss`: the issuing country.
    pub issuer: Option<String>,
    /// `iat` (Unix seconds).
    pub issued_at: Option<i64>,
    /// `exp` (Unix seconds).
    pub expires: Option<i64>,
    /// The DCC (`-260` → `1`) as JSON.
    pub dcc: Value,
}

impl std::fmt::Debug for Hcert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The DCC holds personal health data: not shown.
        f.debug_struct("Hcert")
            .field("issuer", &self.issuer)
            .field("issued_at", &self.issued_at)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

impl Hcert {
    /// The certificate type: `v`accination, `t`est or `r`ecovery (the
    /// group present), or `None` when there is not exactly one.
    pub fn kind(&self) -> Option<&'static str> {
        let present: Vec<&'static str> = ["v", "t", "r"]
            .into_iter()
            .filter(|k| self.dcc.get(k).is_some())
            .collect();
        match present.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Checks `now` (Unix seconds) against `iat` and `exp`.
    ///
    /// # Errors
    /// [`HcertError::NotYetValid`] or [`HcertError::Expired`].
    pub fn check_time(&self, now: i64) -> Result<(), HcertError> {
        if self.issued_at.is_some_and(|t| now < t) {
            return Err(HcertError::NotYetValid);
        }
        if self.expires.is_some_and(|t| now > t) {
            return Err(HcertError::Expired);
        }
        Ok(())
    }
}

#[derive(Clone)]
enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
    Other,
}

/// A document signer certificate (DSC).
#[derive(Clone)]
pub struct Dsc {
    kid: [u8; 8],
    key: Key,
    eku: Vec<String>,
    not_before: i64,
    not_after: i64,
    /// The subject's country (ISO 3166-1 alpha-2), when it names one.
    country: Option<String>,
    /// Why it may not sign documents, when it may not (a CA certificate,
    /// or a key usage without digitalSignature).
    not_a_signer: Option<&'static str>,
}

impl std::fmt::Debug for Dsc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dsc")
            .field("kid", &self.kid)
            .field("eku", &self.eku)
            .finish_non_exhaustive()
    }
}

impl Dsc {
    /// Reads a DSC from DER. Its key id is the first 8 bytes of the SHA-256
    /// of the DER, as the EU trust lists compute it.
    ///
    /// # Errors
    /// [`HcertError::Certificate`].
    pub fn from_der(der: &[u8]) -> Result<Self, HcertError> {
        let (_, cert) = x509_parser::parse_x509_certificate(der)
            .map_err(|_| HcertError::Certificate("not an X.509 certificate"))?;
        let digest = sha2::Sha256::digest(der);
        let mut kid = [0u8; 8];
        kid.copy_from_slice(&digest[..8]);
        let key = match cert.public_key().parsed() {
            Ok(x509_parser::public_key::PublicKey::EC(point)) => {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point.data())
                    .map(Key::P256)
                    .or_else(|_| {
                        p384::ecdsa::VerifyingKey::from_sec1_bytes(point.data()).map(Key::P384)
                    })
                    .unwrap_or(Key::Other)
            }
            Ok(x509_parser::public_key::PublicKey::RSA(k)) => rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(k.modulus),
                rsa::BigUint::from_bytes_be(k.exponent),
            )
            .map(Key::Rsa)
            .unwrap_or(Key::Other),
            _ => Key::Other,
        };
        // A DSC whose extensions cannot be read (some encode DEFAULT values,
        // against DER) is taken to carry no key usage restriction.
        let eku = match cert.extended_key_usage() {
            Ok(Some(e)) => e.value.other.iter().map(|o| o.to_id_string()).collect(),
            _ => Vec::new(),
        };
        let country = cert
            .subject()
            .iter_country()
            .next()
            .and_then(|c| c.as_str().ok())
            .map(|c| c.trim().to_ascii_uppercase());
        let is_ca = cert
            .basic_constraints()
            .ok()
            .flatten()
            .is_some_and(|b| b.value.ca);
        let signs = cert
            .key_usage()
            .ok()
            .flatten()
            .is_none_or(|k| k.value.digital_signature());
        let not_a_signer = if is_ca {
            Some("it is a CA certificate, not a document signer")
        } else if !signs {
            Some("its key usage does not include digitalSignature")
        } else {
            None
        };
        Ok(Self {
            kid,
            key,
            eku,
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            country,
            not_a_signer,
        })
    }

    /// The subject's country (ISO 3166-1 alpha-2), when it names one.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// Whether it may sign documents at all: not a CA certificate, and a
    /// key usage (when stated) that includes digitalSignature.
    ///
    /// # Errors
    /// [`HcertError::NotASigner`] naming why not.
    pub fn check_signer(&self) -> Result<(), HcertError> {
        match self.not_a_signer {
            Some(why) => Err(HcertError::NotASigner(why)),
            None => Ok(()),
        }
    }

    /// Whether it was valid at `iat` (the certificate's issuing time), as
    /// the EU DCC verifiers require.
    ///
    /// # Errors
    /// [`HcertError::SignerNotValidAtIssuance`].
    pub fn check_valid_at(&self, iat: i64) -> Result<(), HcertError> {
        if iat < self.not_before || iat > self.not_after {
            return Err(HcertError::SignerNotValidAtIssuance);
        }
        Ok(())
    }

    /// Whether its country is the certificate's issuing country (`iss`),
    /// when both are stated.
    ///
    /// # Errors
    /// [`HcertError::CountryMismatch`].
    pub fn check_country(&self, iss: Option<&str>) -> Result<(), HcertError> {
        match (self.country(), iss) {
            (Some(c), Some(i)) if !c.eq_ignore_ascii_case(i.trim()) => {
                Err(HcertError::CountryMismatch)
            }
            _ => Ok(()),
        }
    }

    /// Its key id.
    pub fn kid(&self) -> &[u8; 8] {
        &self.kid
    }

    /// Its validity period (Unix seconds).
    pub fn validity(&self) -> (i64, i64) {
        (self.not_before, self.not_after)
    }

    /// Whether it may sign a certificate of `kind` (`v`, `t`, `r`): a DSC
    /// without any of the DGC extended key usages may sign every type.
    ///
    /// # Errors
    /// [`HcertError::KeyUsage`].
    pub fn check_key_usage(&self, kind: &str) -> Result<(), HcertError> {
        let has = |oids: &[&str; 2]| self.eku.iter().any(|e| oids.contains(&e.as_str()));
        let restricted = has(&EKU_TEST) || has(&EKU_VACCINATION) || has(&EKU_RECOVERY);
        if !restricted {
            return Ok(());
        }
        let (allowed, name) = match kind {
            "v" => (has(&EKU_VACCINATION), "vaccination"),
            "t" => (has(&EKU_TEST), "test"),
            "r" => (has(&EKU_RECOVERY), "recovery"),
            _ => (false, "unknown"),
        };
        if allowed {
            Ok(())
        } else {
            Err(HcertError::KeyUsage(name))
        }
    }
}

/// Signer certificates a checkpoint trusts, looked up by key id.
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    dscs: Vec<Dsc>,
}

impl TrustList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a DSC.
    pub fn add(&mut self, dsc: Dsc) {
        self.dscs.push(dsc);
    }

    /// Whether it holds no DSC.
    pub fn is_empty(&self) -> bool {
        self.dscs.is_empty()
    }

    /// How many DSCs it holds.
    pub fn len(&self) -> usize {
        self.dscs.len()
    }

    /// The DSC with key id `kid`.
    pub fn find(&self, kid: &[u8]) -> Option<&Dsc> {
        self.dscs.iter().find(|d| d.kid[..] == *kid)
    }
}

/// What a verified HC1 certificate says and who signed it.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The claims and DCC.
    pub hcert: Hcert,
    /// The signer's key id.
    pub kid: [u8; 8],
}

/// The whole chain for a scanned `HC1:` text: prefix, Base45, zlib, COSE,
/// payload (each claim once, integer `iat` and `exp` present), signer by
/// key id (a document signer, not a CA), signature (algorithm from the
/// protected header), key usage, the signer's validity at `iat`, its
/// country against `iss`, time at `now` (Unix seconds), and the payload
/// against the EU schema and value sets ([`schema::validate`]).
///
/// # Errors
/// The first step that fails.
pub fn verify(text: &str, trust: &TrustList, now: i64) -> Result<Verified, HcertError> {
    let cose = parse_cose(&decompress(&base45_decode(unprefix(text)?)?)?)?;
    let hcert = cose.payload()?;
    let kid = cose.kid().ok_or(HcertError::NoKid)?;
    let dsc = trust.find(kid).ok_or(HcertError::UnknownKid)?;
    dsc.check_signer()?;
    cose.verify_with(dsc)?;
    dsc.check_key_usage(hcert.kind().unwrap_or(""))?;
    if let Some(iat) = hcert.issued_at {
        dsc.check_valid_at(iat)?;
    }
    dsc.check_country(hcert.issuer.as_deref())?;
    hcert.check_time(now)?;
    schema::validate(&hcert.dcc).map_err(|e| HcertError::Schema(e.to_string()))?;
    Ok(Verified {
        hcert,
        kid: dsc.kid,
    })
}
