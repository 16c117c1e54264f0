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

/// Every other key type of the did:key vectors: secp256k1, P-256, P-384,
/// BLS12-381 G2, X25519. Documents in the vector's own representation match
/// exactly (the one `P256Key2021` entry, a 2021 draft type, is compared by
/// key and relationships); the Multikey representation is equivalent; the
/// types we do not support (P-521, BLS12-381 G1+G2) are named as such.
#[test]
fn other_key_type_vectors_resolve_to_equivalent_documents() {
    let Some(dir) = ddcc_test_support::vectors("did:key vectors of other key types") else {
        return;
    };
    let mut exact = 0;
    let mut equivalent = 0;
    let mut unsupported = Vec::new();
    for file in [
        "nist-curves.json",
        "secp256k1.json",
        "bls12381.json",
        "x25519.json",
    ] {
        let mut vectors =
            ddcc_test_support::read_json(&dir, &format!("w3c-ccg-did-method-key/{file}"));
        if file == "x25519.json" {
            vectors = vectors["didDocument"].clone();
        }
        for (did_text, v) in vectors.as_object().expect("object") {
            let expected = if file == "x25519.json" {
                v
            } else {
                &v["didDocument"]
            };
            let did = Did::parse(did_text).expect("vector DID parses");
            let vm_type = expected["verificationMethod"][0]["type"]
                .as_str()
                .expect("type");
            let representation = if vm_type == "JsonWebKey2020" {
                Representation::JsonWebKey2020
            } else {
                Representation::Legacy2018
            };
            let options = DidKeyOptions::default().with_representation(representation);
            let doc = match resolve_did_key(&did, options) {
                Ok(doc) => doc,
                Err(ddcc_did::ResolveError::UnsupportedPublicKeyType(codec)) => {
                    unsupported.push(codec);
                    continue;
                }
                Err(e) => panic!("{did_text}: {e}"),
            };
            let json = doc.to_json();
            if vm_type == "P256Key2021" {
                let theirs = key_bytes(&expected["verificationMethod"][0]);
                let jwk = &json["verificationMethod"][0]["publicKeyJwk"];
                assert_eq!(jwk["crv"], "P-256");
                let ours = multikey_bytes(did.method_specific_id());
                assert_eq!(ours, theirs, "{did_text}");
            } else {
                assert_eq!(&json, expected, "{did_text}");
                exact += 1;
            }
            for rel in RELATIONSHIPS {
                assert_eq!(json.get(rel), expected.get(rel), "{did_text} {rel}");
            }
            // The Multikey representation: same ids and relationships, the key
            // in publicKeyMultibase.
            let modern = resolve_did_key(&did, DidKeyOptions::default()).expect("multikey");
            let m = modern.to_json();
            for rel in RELATIONSHIPS {
                assert_eq!(m.get(rel), expected.get(rel), "{did_text} {rel}");
            }
            assert_eq!(m["verificationMethod"][0]["type"], "Multikey");
            assert_eq!(
                m["verificationMethod"][0]["publicKeyMultibase"],
                did.method_specific_id()
            );
            equivalent += 1;
        }
    }
    assert!(exact >= 19, "{exact} documents reproduced exactly");
    assert!(equivalent >= 20, "{equivalent}");
    unsupported.sort_unstable();
    assert_eq!(
        unsupported,
        vec![0xee, 0x1202, 0x1202],
        "P-521 and BLS G1+G2 only"
    );
}

const RELATIONSHIPS: [&str; 5] = [
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
];

fn multikey_bytes(msid: &str) -> Vec<u8> {
    let (_, bytes) = multibase::decode(msid).expect("multibase");
    // Two-byte varint prefixes (0x1200 → 0x80 0x24).
    bytes[2..].to_vec()
}

#[test]
fn malformed_did_keys_get_the_spec_error_names() {
    let code = |text: &str| match Did::parse(text) {
        Err(e) => ddcc_did::ResolveError::from(e).code(),
        Ok(did) => match resolve_did_key(&did, DidKeyOptions::default()) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        },
    };
    assert_eq!(code("did:key:"), "invalidDid");
    assert_eq!(code("did:key:z6Mk#"), "invalidDid");
    assert_eq!(code("did:web:example.org"), "methodNotSupported");
    assert_eq!(code("did:key:zTjsVPtY"), "invalidPublicKeyLength");
    // Not 'z' and base58btc, or a version that is not a positive integer:
    // invalidDid (did:key specification, "Resolve", step 2).
    for text in [
        "did:key:m7QEB",
        "did:key:-4:z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu",
        "did:key:0:z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu",
        "did:key:z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cx0",
        "did:key:z",
    ] {
        assert_eq!(code(text), "invalidDid", "{text}");
    }
    // Version 1, written out, is the same key.
    assert_eq!(
        code("did:key:1:z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"),
        "ok"
    );
    // A P-256 key whose x coordinate is not on the curve.
    let mut bytes = vec![0x80, 0x24, 0x02];
    bytes.extend([0xff; 32]);
    let bad = format!(
        "did:key:{}",
        multibase::encode(multibase::Base::Base58Btc, &bytes)
    );
    assert_eq!(code(&bad), "invalidPublicKey");
    // P-521 is recognised and refused by name.
    let mut bytes = vec![0x82, 0x24, 0x02];
    bytes.extend([0x01; 66]);
    let p521 = format!(
        "did:key:{}",
        multibase::encode(multibase::Base::Base58Btc, &bytes)
    );
    assert_eq!(code(&p521), "unsupportedPublicKeyType");
    // A known type with the wrong length.
    let mut bytes = vec![0xe7, 0x01, 0x02];
    bytes.extend([0x01; 20]);
    let short = format!(
        "did:key:{}",
        multibase::encode(multibase::Base::Base58Btc, &bytes)
    );
    assert_eq!(code(&short), "invalidPublicKeyLength");
    assert_eq!(
        code("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
        "ok"
    );
}
