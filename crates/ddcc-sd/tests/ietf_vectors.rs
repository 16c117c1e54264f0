//! IETF SD-JWT (RFC 9901) and SD-JWT VC examples: every compact example
//! verifies (issuer signature, disclosures, KB-JWT with aud/nonce/sd_hash),
//! processed claims equal the reference implementation's, and each kind of
//! tampering is refused with its own reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ddcc_sd::{PublicJwk, SdError, VerifyOptions, verify};
use p256::ecdsa::signature::Signer as _;
use serde_json::{Value, json};
use sha2::Digest as _;

/// `examples/settings.yml` of both drafts: issuer_keys[0] / issuer_key.
fn issuer_jwk() -> Value {
    json!({"kty": "EC", "crv": "P-256",
           "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ", "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"})
}
const ISSUER_D: &str = "Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g";
const HOLDER_D: &str = "5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I";

fn kb_payload(text: &str) -> Option<Value> {
    let kb = text.trim().rsplit('~').next().filter(|k| !k.is_empty())?;
    let payload = kb.split('.').nth(1)?;
    serde_json::from_slice(&B64.decode(payload).ok()?).ok()
}

/// The pinned clock for an example: the time its KB-JWT says it was made.
fn options_for(text: &str, aud: &str) -> VerifyOptions {
    let mut o = match kb_payload(text) {
        Some(kb) => VerifyOptions::at(kb["iat"].as_i64().unwrap() + 5),
        None => VerifyOptions::at(1_748_536_865),
    };
    o.audience = Some(aud.to_owned());
    o.nonce = Some("1234567890".to_owned());
    o
}

#[test]
fn every_published_compact_example_verifies() {
    let Some(dir) = ddcc_test_support::vectors("SD-JWT published examples") else {
        return;
    };
    let key = PublicJwk::from_json(&issuer_jwk()).unwrap();
    let mut n = 0;
    for (folder, aud) in [
        ("sd-jwt-ietf/published", "https://verifier.example.org"),
        ("sd-jwt-vc-ietf/published", "https://example.com/verifier"),
    ] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".txt") || name.contains("issuer-signed-jwt") {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            let v = verify(&text, &key, &options_for(&text, aud))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v.key_bound, name.contains("with-kb"), "{name}");
            assert!(
                v.claims.get("_sd").is_none() && v.claims.get("_sd_alg").is_none(),
                "{name}"
            );
            n += 1;
        }
    }
    assert!(n >= 11, "{n} examples");
}

#[test]
fn json_serialization_examples_verify() {
    let Some(dir) = ddcc_test_support::vectors("SD-JWT JSON serialisation") else {
        return;
    };
    let key = PublicJwk::from_json(&issuer_jwk()).unwrap();
    for name in [
        "json-serialization-flattened.sd-jwt.json",
        "json-serialization-flattened.presentation-with-kb.json",
        "json-serialization-general.presentation-with-kb.json",
    ] {
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("sd-jwt-ietf/published").join(name)).unwrap(),
        )
        .unwrap();
        let kb_iat = doc
            .pointer("/header/kb_jwt")
            .or_else(|| doc.pointer("/signatures/0/header/kb_jwt"))
            .and_then(Value::as_str)
            .map(|kb| {
                kb_payload(&format!("x~{kb}")).unwrap()["iat"]
                    .as_i64()
                    .unwrap()
            });
        let mut o = VerifyOptions::at(kb_iat.unwrap_or(1_748_536_865) + 5);
        o.audience = Some("https://verifier.example.org".into());
        o.nonce = Some("1234567890".into());
        let v = ddcc_sd::verify_json(&doc, &key, &o).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.key_bound, name.contains("with-kb"), "{name}");
        assert!(v.claims.get("family_name").is_some(), "{name}");
        // A changed payload byte breaks the issuer signature.
        let mut t = doc.clone();
        let p = t["payload"].as_str().unwrap().to_owned();
        t["payload"] = Value::from(format!("{}A{}", &p[..10], &p[11..]));
        assert!(ddcc_sd::verify_json(&t, &key, &o).is_err(), "{name}");
    }
}

#[test]
fn processed_claims_equal_the_reference_implementation() {
    let Some(dir) = ddcc_test_support::vectors("SD-JWT processed claims") else {
        return;
    };
    let key = PublicJwk::from_json(&issuer_jwk()).unwrap();
    let mut n = 0;
    for root in [
        "sd-jwt-ietf/examples",
        "sd-jwt-vc-ietf/examples",
        "sd-jwt-python-testcases",
    ] {
        let mut dirs: Vec<_> = std::fs::read_dir(dir.join(root))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            let (Ok(text), Ok(expected)) = (
                std::fs::read_to_string(d.join("sd_jwt_presentation.txt")),
                std::fs::read_to_string(d.join("verified_contents.json")),
            ) else {
                continue;
            };
            let expected: Value = serde_json::from_str(&expected).unwrap();
            let mut o = options_for(&text, "");
            o.audience = None;
            o.nonce = None;
            let v = verify(&text, &key, &o).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
            assert_eq!(v.claims, expected, "{}", d.display());
            n += 1;
        }
    }
    assert!(n >= 27, "{n} examples");
}

fn sign_kb(d: &str, payload: &Value) -> String {
    let key = p256::ecdsa::SigningKey::from_slice(&B64.decode(d).unwrap()).unwrap();
    let header = B64.encode(serde_json::to_vec(&json!({"alg": "ES256", "typ": "kb+jwt"})).unwrap());
    let body = B64.encode(serde_json::to_vec(payload).unwrap());
    let input = format!("{header}.{body}");
    let sig: p256::ecdsa::Signature = key.sign(input.as_bytes());
    format!("{input}.{}", B64.encode(sig.to_bytes()))
}

fn sd_hash(presented: &str) -> String {
    B64.encode(sha2::Sha256::digest(presented.as_bytes()))
}

#[test]
fn tampering_is_refused_with_its_reason() {
    let Some(dir) = ddcc_test_support::vectors("SD-JWT tampering") else {
        return;
    };
    let key = PublicJwk::from_json(&issuer_jwk()).unwrap();
    let text =
        std::fs::read_to_string(Path::new(&dir).join("sd-jwt-ietf/published/simple.sd-jwt.txt"))
            .unwrap();
    let text = text.trim();
    let aud = "https://verifier.example.org";
    let now = 1_800_000_000;
    let with_kb = |sd: &str, d: &str, aud: &str, nonce: &str, iat: i64| {
        format!(
            "{sd}{}",
            sign_kb(
                d,
                &json!({"iat": iat, "aud": aud, "nonce": nonce, "sd_hash": sd_hash(sd)})
            )
        )
    };
    let mut opts = VerifyOptions::at(now);
    opts.audience = Some(aud.into());
    opts.nonce = Some("n-1".into());
    opts.require_key_binding = true;

    // Our own presentation of all disclosures verifies.
    let good = with_kb(text, HOLDER_D, aud, "n-1", now);
    assert!(verify(&good, &key, &opts).unwrap().key_bound);

    // A disclosure the issuer did not sign.
    let forged = B64.encode(br#"["c2FsdA","given_name","Mallory"]"#);
    let added = format!("{text}{forged}~");
    assert_eq!(
        verify(&with_kb(&added, HOLDER_D, aud, "n-1", now), &key, &opts).unwrap_err(),
        SdError::UnsignedDisclosure(10)
    );
    // A disclosure changed.
    let parts: Vec<&str> = text.split('~').collect();
    let original: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    let mut changed = original.clone();
    changed[2] = json!("Mallory");
    let changed = B64.encode(serde_json::to_vec(&changed).unwrap());
    let altered = text.replacen(parts[1], &changed, 1);
    assert_eq!(
        verify(&with_kb(&altered, HOLDER_D, aud, "n-1", now), &key, &opts).unwrap_err(),
        SdError::UnsignedDisclosure(0)
    );
    // Presented twice.
    let twice = format!("{text}{}~", parts[1]);
    assert!(matches!(
        verify(&with_kb(&twice, HOLDER_D, aud, "n-1", now), &key, &opts).unwrap_err(),
        SdError::DuplicateDisclosure(_)
    ));
    // KB-JWT: wrong aud, wrong nonce, stale or future iat, another key.
    assert_eq!(
        verify(
            &with_kb(text, HOLDER_D, "https://evil.example", "n-1", now),
            &key,
            &opts
        )
        .unwrap_err(),
        SdError::KeyBindingAudience
    );
    assert_eq!(
        verify(&with_kb(text, HOLDER_D, aud, "other", now), &key, &opts).unwrap_err(),
        SdError::KeyBindingNonce
    );
    assert!(matches!(
        verify(
            &with_kb(text, HOLDER_D, aud, "n-1", now - 3600),
            &key,
            &opts
        )
        .unwrap_err(),
        SdError::KeyBindingTime { .. }
    ));
    assert!(matches!(
        verify(
            &with_kb(text, HOLDER_D, aud, "n-1", now + 3600),
            &key,
            &opts
        )
        .unwrap_err(),
        SdError::KeyBindingTime { .. }
    ));
    assert_eq!(
        verify(&with_kb(text, ISSUER_D, aud, "n-1", now), &key, &opts).unwrap_err(),
        SdError::KeyBindingSignature
    );
    // sd_hash over another selection of disclosures.
    let fewer = text.replacen(&format!("{}~", parts[2]), "", 1);
    let kb_for_full = sign_kb(
        HOLDER_D,
        &json!({"iat": now, "aud": aud, "nonce": "n-1", "sd_hash": sd_hash(text)}),
    );
    assert_eq!(
        verify(&format!("{fewer}{kb_for_full}"), &key, &opts).unwrap_err(),
        SdError::KeyBindingHash
    );
    // No KB-JWT where key binding is required.
    assert_eq!(
        verify(text, &key, &opts).unwrap_err(),
        SdError::KeyBindingMissing
    );
    // Issuer JWT signed by someone else: flip a signature byte.
    let jwt = parts[0];
    let (signing_input, sig) = jwt.rsplit_once('.').unwrap();
    let mut sig = B64.decode(sig).unwrap();
    sig[5] ^= 1;
    let bad = text.replacen(jwt, &format!("{signing_input}.{}", B64.encode(&sig)), 1);
    assert_eq!(
        verify(&bad, &key, &VerifyOptions::at(now)).unwrap_err(),
        SdError::IssuerSignature
    );
    // alg none is never accepted.
    let none_header = B64.encode(br#"{"alg":"none"}"#);
    let none = text.replacen(jwt.split('.').next().unwrap(), &none_header, 1);
    assert_eq!(
        verify(&none, &key, &VerifyOptions::at(now)).unwrap_err(),
        SdError::UnsupportedAlgorithm("none".into())
    );
    // Garbage never panics.
    let huge = format!("{}~", "A".repeat(2 * 1024 * 1024));
    assert_eq!(
        verify(&huge, &key, &VerifyOptions::at(now)).unwrap_err(),
        SdError::Malformed("larger than 1 MiB")
    );
    for g in ["", "~", "a.b.c", "a.b.c~%%%~", "~~~", "eyJ9.eyJ9.AA~"] {
        assert!(verify(g, &key, &VerifyOptions::at(now)).is_err(), "{g}");
    }
}
