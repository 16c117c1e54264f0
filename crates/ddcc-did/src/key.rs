use serde_json::{Map, Value};

use ddcc_core::{Did, DidUrl};
use ddcc_crypto::{ED25519_PUB_PREFIX, PublicKey, X25519_PUB_PREFIX};

use crate::{DidDocument, ResolveError, VerificationMethod, VerificationRelationship};

/// How verification methods are written in a resolved `did:key` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Representation {
    /// `Multikey` with `publicKeyMultibase` (did:key v0.7, Data Integrity).
    #[default]
    Multikey,
    /// `Ed25519VerificationKey2018` / `X25519KeyAgreementKey2019` with
    /// `publicKeyBase58` (the 2022 CCG test vectors).
    Legacy2018,
    /// `JsonWebKey2020` with `publicKeyJwk`.
    JsonWebKey2020,
}

/// Options of `did:key` resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DidKeyOptions {
    /// Also derive the X25519 key agreement key (`enableEncryptionKeyDerivation`).
    pub encryption_key_derivation: bool,
    /// How to write the verification methods.
    pub representation: Representation,
}

impl DidKeyOptions {
    /// Sets `encryption_key_derivation`.
    pub fn with_encryption_key_derivation(mut self, yes: bool) -> Self {
        self.encryption_key_derivation = yes;
        self
    }

    /// Sets the representation.
    pub fn with_representation(mut self, r: Representation) -> Self {
        self.representation = r;
        self
    }
}

/// The `did:key` of an Ed25519 public key.
pub fn did_key_for(key: &PublicKey) -> Did {
    // A multibase string always forms a valid method-specific id.
    Did::parse(&format!("did:key:{}", key.to_multibase()))
        .unwrap_or_else(|_| unreachable!("multibase text is a valid did:key identifier"))
}

/// The `did:key` of an Ed25519 public key and its one verification method
/// (`did:key:z…#z…`).
pub fn did_key_method(key: &PublicKey) -> (Did, DidUrl) {
    let did = did_key_for(key);
    let method = DidUrl::parse(&format!("{did}#{}", did.method_specific_id()))
        .unwrap_or_else(|_| unreachable!("a did:key URL with its key fragment is valid"));
    (did, method)
}

/// Reads an unsigned LEB128 varint (multicodec) from the start of `bytes`.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(9) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

fn base58(bytes: &[u8]) -> String {
    // multibase base58btc without its 'z' prefix is plain base58btc.
    multibase::encode(multibase::Base::Base58Btc, bytes)[1..].to_owned()
}

fn base64url(bytes: &[u8]) -> String {
    // multibase base64url (no padding) without its 'u' prefix.
    multibase::encode(multibase::Base::Base64Url, bytes)[1..].to_owned()
}

fn multibase_with(prefix: [u8; 2], key: &[u8]) -> String {
    let mut b = prefix.to_vec();
    b.extend_from_slice(key);
    multibase::encode(multibase::Base::Base58Btc, &b)
}

fn jwk(curve: &str, x: &[u8]) -> Value {
    let mut o = Map::new();
    o.insert("kty".into(), Value::from("OKP"));
    o.insert("crv".into(), Value::from(curve));
    o.insert("x".into(), Value::from(base64url(x)));
    Value::Object(o)
}

/// A key type `did:key` can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyType {
    Ed25519,
    X25519,
    Secp256k1,
    P256,
    P384,
    Bls12381G2,
}

impl KeyType {
    fn from_codec(codec: u64) -> Option<Self> {
        Some(match codec {
            0xed => Self::Ed25519,
            0xec => Self::X25519,
            0xe7 => Self::Secp256k1,
            0x1200 => Self::P256,
            0x1201 => Self::P384,
            0xeb => Self::Bls12381G2,
            _ => return None,
        })
    }

    /// Bytes of the (compressed) public key.
    fn key_len(self) -> usize {
        match self {
            Self::Ed25519 | Self::X25519 => 32,
            Self::Secp256k1 | Self::P256 => 33,
            Self::P384 => 49,
            Self::Bls12381G2 => 96,
        }
    }

    /// The 2018–2021 suite type and context of the legacy representation,
    /// or `None` where that era used `JsonWebKey2020` (NIST curves).
    fn legacy(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Self::Ed25519 => (
                "Ed25519VerificationKey2018",
                "https://w3id.org/security/suites/ed25519-2018/v1",
            ),
            Self::X25519 => (
                "X25519KeyAgreementKey2019",
                "https://w3id.org/security/suites/x25519-2019/v1",
            ),
            Self::Secp256k1 => (
                "EcdsaSecp256k1VerificationKey2019",
                "https://w3id.org/security/suites/secp256k1-2019/v1",
            ),
            Self::Bls12381G2 => (
                "Bls12381G2Key2020",
                "https://w3id.org/security/suites/bls12381-2020/v1",
            ),
            Self::P256 | Self::P384 => return None,
        })
    }

    /// The verification relationships of a did:key of this type (as in the
    /// did:key method and its test vectors).
    fn relationships(self) -> &'static [VerificationRelationship] {
        use VerificationRelationship::*;
        match self {
            Self::Ed25519 | Self::Bls12381G2 => &[
                AssertionMethod,
                Authentication,
                CapabilityInvocation,
                CapabilityDelegation,
            ],
            Self::X25519 => &[KeyAgreement],
            Self::Secp256k1 | Self::P256 | Self::P384 => &[
                AssertionMethod,
                Authentication,
                CapabilityInvocation,
                CapabilityDelegation,
                KeyAgreement,
            ],
        }
    }
}

/// Checks a public key and returns its JWK (uncompressing EC points).
fn key_jwk(kind: KeyType, key: &[u8]) -> Result<Value, ResolveError> {
    let ec = |crv: &str, point: &[u8], half: usize| {
        let mut o = Map::new();
        o.insert("kty".into(), Value::from("EC"));
        o.insert("crv".into(), Value::from(crv));
        o.insert("x".into(), Value::from(base64url(&point[1..1 + half])));
        o.insert("y".into(), Value::from(base64url(&point[1 + half..])));
        Value::Object(o)
    };
    let invalid = |what: &'static str| ResolveError::InvalidPublicKey(what);
    Ok(match kind {
        KeyType::Ed25519 => jwk("Ed25519", key),
        KeyType::X25519 => jwk("X25519", key),
        KeyType::Secp256k1 => {
            use k256::elliptic_curve::sec1::ToEncodedPoint;
            let pk = k256::PublicKey::from_sec1_bytes(key)
                .map_err(|_| invalid("not a valid secp256k1 point"))?;
            ec("secp256k1", pk.to_encoded_point(false).as_bytes(), 32)
        }
        KeyType::P256 => {
            use p256::elliptic_curve::sec1::ToEncodedPoint;
            let pk = p256::PublicKey::from_sec1_bytes(key)
                .map_err(|_| invalid("not a valid P-256 point"))?;
            ec("P-256", pk.to_encoded_point(false).as_bytes(), 32)
        }
        KeyType::P384 => {
            use p384::elliptic_curve::sec1::ToEncodedPoint;
            let pk = p384::PublicKey::from_sec1_bytes(key)
                .map_err(|_| invalid("not a valid P-384 point"))?;
            ec("P-384", pk.to_encoded_point(false).as_bytes(), 48)
        }
        KeyType::Bls12381G2 => {
            // A compressed G2 point has its compression flag set and is not
            // the point at infinity. Subgroup membership is checked where the
            // key is used (bbs-2023 verification), not here.
            if key[0] & 0x80 == 0 || key[0] & 0x40 != 0 {
                return Err(invalid("not a compressed BLS12-381 G2 point"));
            }
            let mut o = Map::new();
            o.insert("kty".into(), Value::from("OKP"));
            o.insert("crv".into(), Value::from("Bls12381G2"));
            o.insert("x".into(), Value::from(base64url(key)));
            Value::Object(o)
        }
    })
}

/// Resolves a `did:key` offline: Ed25519, X25519 (key agreement only),
/// secp256k1, P-256, P-384 and BLS12-381 G2 keys. EC points are checked to
/// be on their curve; Ed25519 keys are also refused when of small order.
///
/// # Errors
/// A [`ResolveError`] with the DID Resolution error code that applies
/// (`invalidDid`, `invalidPublicKey`, `invalidPublicKeyLength`,
/// `unsupportedPublicKeyType`, `methodNotSupported`).
pub fn resolve_did_key(did: &Did, options: DidKeyOptions) -> Result<DidDocument, ResolveError> {
    if did.method() != "key" {
        return Err(ResolveError::MethodNotSupported(did.method().to_owned()));
    }
    // The did:key specification's "Resolve" step 2: the identifier is
    // `[version ':'] 'z' base58btc`, a version being a positive integer (1,
    // the only one defined); anything else is invalidDid.
    let mut msid = did.method_specific_id();
    if let Some((version, rest)) = msid.split_once(':') {
        if version != "1" {
            return Err(ResolveError::InvalidDid(
                ddcc_core::DidError::InvalidIdentifier,
            ));
        }
        msid = rest;
    }
    const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if !(msid.len() > 1 && msid.starts_with('z') && msid[1..].bytes().all(|b| BASE58.contains(&b)))
    {
        return Err(ResolveError::InvalidDid(
            ddcc_core::DidError::InvalidIdentifier,
        ));
    }
    let (_, bytes) = multibase::decode(msid)
        .map_err(|_| ResolveError::InvalidPublicKey("not valid base58btc"))?;
    let (codec, used) =
        read_varint(&bytes).ok_or(ResolveError::InvalidPublicKey("no multicodec prefix"))?;
    let key_bytes = &bytes[used..];
    let kind = KeyType::from_codec(codec).ok_or(ResolveError::UnsupportedPublicKeyType(codec))?;
    if key_bytes.len() != kind.key_len() {
        return Err(ResolveError::InvalidPublicKeyLength {
            expected: kind.key_len(),
            actual: key_bytes.len(),
        });
    }
    if multibase::encode(multibase::Base::Base58Btc, &bytes) != msid {
        return Err(ResolveError::InvalidPublicKey("non-canonical encoding"));
    }
    let ed25519 = match kind {
        KeyType::Ed25519 => Some(
            PublicKey::from_bytes(key_bytes)
                .map_err(|_| ResolveError::InvalidPublicKey("not a valid Ed25519 point"))?,
        ),
        _ => None,
    };
    let key_jwk = key_jwk(kind, key_bytes)?;
    debug_assert!(kind != KeyType::Ed25519 || bytes[..used] == ED25519_PUB_PREFIX);

    let url = |fragment: &str| {
        DidUrl::parse(&format!("{did}#{fragment}"))
            .unwrap_or_else(|_| unreachable!("a did:key with a multibase fragment is a DID URL"))
    };
    let mut context = vec!["https://www.w3.org/ns/did/v1".to_owned()];
    let mut props = Map::new();
    let representation = match (options.representation, kind.legacy()) {
        (Representation::Legacy2018, None) => Representation::JsonWebKey2020,
        (r, _) => r,
    };
    let sig_type = match (representation, kind.legacy()) {
        (Representation::Legacy2018, Some((legacy_type, legacy_context))) => {
            context.push(legacy_context.into());
            props.insert("publicKeyBase58".into(), Value::from(base58(key_bytes)));
            legacy_type
        }
        (Representation::JsonWebKey2020 | Representation::Legacy2018, _) => {
            context.push("https://w3id.org/security/suites/jws-2020/v1".into());
            props.insert("publicKeyJwk".into(), key_jwk);
            "JsonWebKey2020"
        }
        (Representation::Multikey, _) => {
            context.push("https://w3id.org/security/multikey/v1".into());
            props.insert("publicKeyMultibase".into(), Value::from(msid));
            "Multikey"
        }
    };
    let sig_id = url(msid);
    let mut methods = vec![VerificationMethod {
        id: sig_id.clone(),
        method_type: sig_type.into(),
        controller: did.clone(),
        ed25519,
        properties: props,
    }];
    let mut relationships: Vec<(VerificationRelationship, Vec<DidUrl>)> = kind
        .relationships()
        .iter()
        .map(|r| (*r, vec![sig_id.clone()]))
        .collect();
    if let (Some(key), true) = (ed25519, options.encryption_key_derivation) {
        let x = key.to_x25519_bytes();
        let x_mb = multibase_with(X25519_PUB_PREFIX, &x);
        let x_id = url(&x_mb);
        let mut props = Map::new();
        let x_type = match representation {
            Representation::Legacy2018 => {
                context.push("https://w3id.org/security/suites/x25519-2019/v1".into());
                props.insert("publicKeyBase58".into(), Value::from(base58(&x)));
                "X25519KeyAgreementKey2019"
            }
            Representation::JsonWebKey2020 => {
                props.insert("publicKeyJwk".into(), jwk("X25519", &x));
                "JsonWebKey2020"
            }
            Representation::Multikey => {
                props.insert("publicKeyMultibase".into(), Value::from(x_mb));
                "Multikey"
            }
        };
        methods.push(VerificationMethod {
            id: x_id.clone(),
            method_type: x_type.into(),
            controller: did.clone(),
            ed25519: None,
            properties: props,
        });
        relationships.push((VerificationRelationship::KeyAgreement, vec![x_id]));
    }
    Ok(DidDocument {
        context,
        id: did.clone(),
        verification_method: methods,
        relationships,
        references: Vec::new(),
        extra: Map::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_short_key_is_invalid_public_key_length() {
        // did-key-test-suite: "follows did:key format, but is too small for ed keys".
        let did = Did::parse("did:key:zTjsVPtY").expect("syntax");
        match resolve_did_key(&did, DidKeyOptions::default()) {
            Err(ResolveError::InvalidPublicKeyLength { expected: 32, .. }) => {}
            other => panic!("unexpected: {other:?}"),
        }
    }

    #[test]
    fn other_methods_and_garbage_are_refused() {
        let did = Did::parse("did:web:example.com").expect("syntax");
        assert!(matches!(
            resolve_did_key(&did, DidKeyOptions::default()),
            Err(ResolveError::MethodNotSupported(_))
        ));
        // Characters outside base58btc: not a did:key at all.
        let did = Did::parse("did:key:z0OIl").expect("syntax");
        assert!(matches!(
            resolve_did_key(&did, DidKeyOptions::default()),
            Err(ResolveError::InvalidDid(_))
        ));
        // A P-521 did:key is recognised but not supported.
        let did = Did::parse(
            "did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32D8HgzG8wv3sY5j7",
        )
        .expect("syntax");
        assert!(matches!(
            resolve_did_key(&did, DidKeyOptions::default()),
            Err(ResolveError::UnsupportedPublicKeyType(0x1202))
        ));
    }

    #[test]
    fn round_trip_of_generated_key() {
        let sk = ddcc_crypto::SecretKey::generate();
        let did = did_key_for(&sk.public_key());
        let doc = resolve_did_key(&did, DidKeyOptions::default()).expect("resolve");
        let vm = &doc.verification_method[0];
        assert_eq!(vm.ed25519, Some(sk.public_key()));
        assert!(doc.has_relationship(vm.id.as_str(), VerificationRelationship::AssertionMethod));
        assert_eq!(doc.to_json()["verificationMethod"][0]["type"], "Multikey");
    }
}
