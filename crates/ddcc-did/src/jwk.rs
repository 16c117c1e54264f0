//! `did:jwk`: a DID that is a base64url-encoded public JWK (Ed25519 here).

use serde_json::{Map, Value};

use ddcc_core::{Did, DidUrl};
use ddcc_crypto::PublicKey;

use crate::{DidDocument, ResolveError, VerificationMethod, VerificationRelationship};

fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    multibase::decode(format!("u{s}")).ok().map(|(_, b)| b)
}

fn b64url(bytes: &[u8]) -> String {
    multibase::encode(multibase::Base::Base64Url, bytes)[1..].to_owned()
}

/// The `did:jwk` of an Ed25519 public key (JWK members in lexicographic
/// order, as the did:jwk method recommends).
pub fn did_jwk_for(key: &PublicKey) -> Did {
    let jwk = format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        b64url(&key.to_bytes())
    );
    Did::parse(&format!("did:jwk:{}", b64url(jwk.as_bytes())))
        .unwrap_or_else(|_| unreachable!("base64url text is a valid did:jwk identifier"))
}

/// The Ed25519 key a `did:key` or `did:jwk` stands for.
///
/// # Errors
/// A [`ResolveError`] for other methods, key types or malformed identifiers.
pub fn ed25519_key_of(did: &Did) -> Result<PublicKey, ResolveError> {
    match did.method() {
        "key" => resolve_did_key_key(did),
        "jwk" => {
            let (key, _) = jwk_of(did)?;
            Ok(key)
        }
        other => Err(ResolveError::MethodNotSupported(other.to_owned())),
    }
}

fn resolve_did_key_key(did: &Did) -> Result<PublicKey, ResolveError> {
    let doc = crate::resolve_did_key(did, crate::DidKeyOptions::default())?;
    doc.verification_method
        .first()
        .and_then(|m| m.ed25519)
        .ok_or(ResolveError::InvalidPublicKey("no Ed25519 key"))
}

fn jwk_of(did: &Did) -> Result<(PublicKey, Map<String, Value>), ResolveError> {
    let bytes = b64url_decode(did.method_specific_id())
        .ok_or(ResolveError::InvalidPublicKey("not base64url"))?;
    let jwk: Map<String, Value> = serde_json::from_slice(&bytes)
        .map_err(|_| ResolveError::InvalidPublicKey("not a JSON JWK"))?;
    if jwk.contains_key("d") {
        return Err(ResolveError::InvalidPublicKey(
            "the JWK contains private key material",
        ));
    }
    match (
        jwk.get("kty").and_then(Value::as_str),
        jwk.get("crv").and_then(Value::as_str),
    ) {
        (Some("OKP"), Some("Ed25519")) => {}
        _ => return Err(ResolveError::UnsupportedPublicKeyType(0)),
    }
    let x = jwk
        .get("x")
        .and_then(Value::as_str)
        .and_then(b64url_decode)
        .ok_or(ResolveError::InvalidPublicKey("no x member"))?;
    if x.len() != 32 {
        return Err(ResolveError::InvalidPublicKeyLength {
            expected: 32,
            actual: x.len(),
        });
    }
    let key = PublicKey::from_bytes_cached(&x)
        .map_err(|_| ResolveError::InvalidPublicKey("not a valid Ed25519 key"))?;
    Ok((key, jwk))
}

/// Resolves a `did:jwk` offline (Ed25519 keys).
///
/// # Errors
/// A [`ResolveError`] with the DID Resolution error code that applies.
pub fn resolve_did_jwk(did: &Did) -> Result<DidDocument, ResolveError> {
    if did.method() != "jwk" {
        return Err(ResolveError::MethodNotSupported(did.method().to_owned()));
    }
    let (key, jwk) = jwk_of(did)?;
    let id = DidUrl::parse(&format!("{did}#0"))
        .unwrap_or_else(|_| unreachable!("a did:jwk with fragment 0 is a DID URL"));
    let mut props = Map::new();
    props.insert("publicKeyJwk".into(), Value::Object(jwk));
    Ok(DidDocument {
        context: vec![
            "https://www.w3.org/ns/did/v1".into(),
            "https://w3id.org/security/suites/jws-2020/v1".into(),
        ],
        id: did.clone(),
        verification_method: vec![VerificationMethod {
            id: id.clone(),
            method_type: "JsonWebKey2020".into(),
            controller: did.clone(),
            ed25519: Some(key),
            properties: props,
        }],
        relationships: vec![
            (VerificationRelationship::AssertionMethod, vec![id.clone()]),
            (VerificationRelationship::Authentication, vec![id.clone()]),
            (
                VerificationRelationship::CapabilityInvocation,
                vec![id.clone()],
            ),
            (VerificationRelationship::CapabilityDelegation, vec![id]),
        ],
        references: Vec::new(),
        extra: Map::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_document() {
        let sk = ddcc_crypto::SecretKey::generate();
        let did = did_jwk_for(&sk.public_key());
        assert_eq!(did.method(), "jwk");
        assert_eq!(ed25519_key_of(&did).unwrap(), sk.public_key());
        let doc = resolve_did_jwk(&did).unwrap();
        assert_eq!(doc.verification_method[0].id.as_str(), format!("{did}#0"));
        assert!(doc.has_relationship(
            &format!("{did}#0"),
            VerificationRelationship::Authentication
        ));
        assert_eq!(
            doc.to_json()["verificationMethod"][0]["publicKeyJwk"]["crv"],
            "Ed25519"
        );
    }

    #[test]
    fn refuses_private_keys_other_curves_and_garbage() {
        let with_d = b64url(br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#);
        let did = Did::parse(&format!("did:jwk:{with_d}")).unwrap();
        assert!(matches!(
            resolve_did_jwk(&did),
            Err(ResolveError::InvalidPublicKey(_))
        ));
        // The did:jwk specification's P-256 example: valid, but not supported here.
        let p256 = Did::parse("did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9").unwrap();
        assert!(matches!(
            resolve_did_jwk(&p256),
            Err(ResolveError::UnsupportedPublicKeyType(_))
        ));
        let junk = Did::parse("did:jwk:bm90LWpzb24").unwrap();
        assert!(matches!(
            resolve_did_jwk(&junk),
            Err(ResolveError::InvalidPublicKey(_))
        ));
    }
}
