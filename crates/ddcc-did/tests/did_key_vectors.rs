//! did:key Ed25519 vectors from w3c-ccg/did-method-key (`ed25519-x25519.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_core::Did;
use ddcc_crypto::{PublicKey, SecretKey};
use ddcc_did::{
    DidKeyOptions, Representation, VerificationRelationship, did_key_for, resolve_did_key,
};

#[test]
fn ed25519_vectors_resolve_to_equivalent_documents() {
    let Some(dir) = ddcc_test_support::vectors("did:key ed25519 vectors") else {
        return;
    };
    let vectors = ddcc_test_support::read_json(&dir, "w3c-ccg-did-method-key/ed25519-x25519.json");
    let vectors = vectors.as_object().expect("object");
    assert_eq!(vectors.len(), 5);
    for (did_text, v) in vectors {
        let did = Did::parse(did_text).expect("vector DID parses");
        let expected = &v["didDocument"];

        // The legacy representation reproduces the vector's document exactly.
        // The vectors use two representations; reproduce whichever it is.
        let representation = match expected["verificationMethod"][0]["type"].as_str() {
            Some("JsonWebKey2020") => Representation::JsonWebKey2020,
            _ => Representation::Legacy2018,
        };
        let legacy = DidKeyOptions::default()
            .with_encryption_key_derivation(true)
            .with_representation(representation);
        let doc = resolve_did_key(&did, legacy).expect("resolves");
        assert_eq!(&doc.to_json(), expected, "{did_text}");

        // The seed gives the same DID.
        let seed = hex_decode(v["seed"].as_str().expect("seed"));
        let sk = SecretKey::from_seed(&seed).expect("seed");
        assert_eq!(did_key_for(&sk.public_key()).as_str(), did_text);

        // The Multikey representation is equivalent: same ids, controllers,
        // relationships and key bytes.
        let modern = DidKeyOptions::default().with_encryption_key_derivation(true);
        let doc = resolve_did_key(&did, modern).expect("resolves");
        let json = doc.to_json();
        for rel in [
            "assertionMethod",
            "authentication",
            "capabilityInvocation",
            "capabilityDelegation",
            "keyAgreement",
        ] {
            assert_eq!(json[rel], expected[rel], "{did_text} {rel}");
        }
        let vms = expected["verificationMethod"].as_array().expect("vms");
        for (ours, theirs) in doc.verification_method.iter().zip(vms) {
            assert_eq!(ours.id.as_str(), theirs["id"]);
            assert_eq!(ours.controller.as_str(), theirs["controller"]);
            assert_eq!(ours.method_type, "Multikey");
            let theirs_key = key_bytes(theirs);
            let (_, ours_key) =
                multibase::decode(ours.properties["publicKeyMultibase"].as_str().expect("mb"))
                    .expect("multibase");
            assert_eq!(&ours_key[2..], &theirs_key[..], "{did_text}");
        }
        assert_eq!(
            doc.verification_method[0].ed25519,
            Some(PublicKey::from_bytes(&key_bytes(&vms[0])).expect("key"))
        );
        assert!(doc.has_relationship(
            doc.verification_method[0].id.as_str(),
            VerificationRelationship::AssertionMethod
        ));
    }
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn bs58_decode(s: &str) -> Vec<u8> {
    multibase::decode(format!("z{s}")).expect("base58").1
}

/// The key bytes of a vector's verification method, in either representation.
fn key_bytes(vm: &serde_json::Value) -> Vec<u8> {
    if let Some(b58) = vm["publicKeyBase58"].as_str() {
        return bs58_decode(b58);
    }
    let x = vm["publicKeyJwk"]["x"].as_str().expect("publicKeyJwk.x");
    multibase::decode(format!("u{x}")).expect("base64url").1
}
