//! DIVOC's own test certificates: the five valid ones verify with the
//! deployment's development keys; the tampered one and the two signed by
//! another deployment's key fail with their reasons; a context that is not
//! pinned, a key given for another method and a proof of another kind are
//! refused by name. Certificates zipped as DIVOC's QR codes carry them
//! (raw and `B64:`) read back, and malformed archives are refused before
//! anything large is decompressed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::Path;

use ddcc_assets::ContextRegistry;
use ddcc_divoc::{DivocError, KeySet, PublicKey, unpack, verify};
use serde_json::Value;

/// The DIVOC contexts, pinned for every URL DIVOC deployments use.
pub fn registry(dir: &Path) -> ContextRegistry {
    let mut r = ContextRegistry::builtin().unwrap();
    for (url, file) in [
        (
            "https://cowin.gov.in/credentials/vaccination/v1",
            "cowin-vaccination-v1.jsonld",
        ),
        (
            "https://divoc.dev/credentials/vaccination/v1",
            "cowin-vaccination-v1.jsonld",
        ),
        (
            "https://cowin.gov.in/credentials/vaccination/v2",
            "cowin-vaccination-v2.jsonld",
        ),
        (
            "https://divoc.dev/credentials/vaccination/v2",
            "cowin-vaccination-v2.jsonld",
        ),
        (
            "https://cowin.gov.in/credentials/testCertificate/v1",
            "divoc-test-certificate-v1.jsonld",
        ),
    ] {
        let text = ddcc_test_support::read(dir, &format!("divoc/contexts/{file}"));
        r.pin(url, &text, file).unwrap();
    }
    r
}

fn keys(dir: &Path) -> KeySet {
    let mut k = KeySet::new();
    for file in [
        "divoc/keys/divoc-dev-rsa-public.pem",
        "divoc/keys/divoc-dev-ed25519-public.base58.txt",
    ] {
        k.add(
            "did:india",
            PublicKey::parse(&ddcc_test_support::read(dir, file)).unwrap(),
        );
    }
    k
}

/// A minute after the certificate was issued.
fn clock(doc: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(doc["issuanceDate"].as_str().unwrap())
        .unwrap()
        .timestamp()
        + 60
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

const VALID: [&str; 5] = [
    "cowin-v2-rsa2018-valid-1.json",
    "cowin-v2-rsa2018-valid-2.json",
    "cowin-v1-rsa2018-valid.json",
    "divoc-dev-v1-rsa2018-valid.json",
    "divoc-dev-v1-ed25519-2018-valid.json",
];

#[test]
fn valid_certificates_verify_and_the_others_fail_with_their_reasons() {
    let Some(dir) = ddcc_test_support::vectors("DIVOC certificates") else {
        return;
    };
    let (reg, keys) = (registry(&dir), keys(&dir));
    let mut verified = 0;
    for file in VALID {
        let doc = ddcc_test_support::read_json(&dir, &format!("divoc/signed/{file}"));
        let v = run(verify(&doc, &keys, &reg, clock(&doc), 300))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(v.method, "did:india");
        assert_eq!(v.suite, doc["proof"]["type"].as_str().unwrap());
        assert!(v.types.contains(&"ProofOfVaccinationCredential".to_owned()));
        verified += 1;
    }
    eprintln!(
        "DIVOC: {verified} / {} valid certificates verify",
        VALID.len()
    );
    assert_eq!(verified, VALID.len());

    // Another deployment's v1 certificate carries `dob`, which the v1
    // context does not define: a term outside the signed RDF, so it could
    // be changed at will without touching the signature. Refused by name
    // before the signature is looked at (jsonld.js in safe mode refuses it
    // the same way).
    let doc = ddcc_test_support::read_json(
        &dir,
        "divoc/signed/cowin-v1-rsa2018-UNVERIFIABLE-unknown-key.json",
    );
    let e = run(verify(&doc, &keys, &reg, clock(&doc), 300)).unwrap_err();
    assert!(
        matches!(&e, DivocError::Context(m) if m.contains("the term 'dob', which no context defines")),
        "{e}"
    );
    // Without that term it is a signature made with another key.
    let mut without = doc.clone();
    without["credentialSubject"]
        .as_object_mut()
        .unwrap()
        .remove("dob");
    assert!(matches!(
        run(verify(&without, &keys, &reg, clock(&doc), 300)),
        Err(DivocError::Signature { .. })
    ));

    for file in [
        "divoc-dev-v1-rsa2018-INVALID-tampered-subject-id.json",
        "cowin-v2-rsa2018-UNVERIFIABLE-unknown-key.json",
    ] {
        let doc = ddcc_test_support::read_json(&dir, &format!("divoc/signed/{file}"));
        let e = run(verify(&doc, &keys, &reg, clock(&doc), 300)).unwrap_err();
        assert!(
            matches!(&e, DivocError::Signature { method, tried: 1 } if method == "did:india"),
            "{file}: {e}"
        );
        assert!(e.to_string().contains("altered or signed by another key"));
    }
}

#[test]
fn refusals_name_their_reason() {
    let Some(dir) = ddcc_test_support::vectors("DIVOC refusals") else {
        return;
    };
    let (reg, keys) = (registry(&dir), keys(&dir));
    let doc = ddcc_test_support::read_json(&dir, "divoc/signed/cowin-v2-rsa2018-valid-1.json");
    let now = clock(&doc);

    // The DIVOC context not pinned: unknown, never fetched.
    let bare = ContextRegistry::builtin().unwrap();
    let e = run(verify(&doc, &keys, &bare, now, 300)).unwrap_err();
    assert!(
        matches!(&e, DivocError::Context(m) if m.contains("unknown context https://cowin.gov.in/credentials/vaccination/v2")),
        "{e}"
    );

    // Keys given for another method.
    let mut other = KeySet::new();
    other.add(
        "did:example:other",
        PublicKey::parse(&ddcc_test_support::read(
            &dir,
            "divoc/keys/divoc-dev-rsa-public.pem",
        ))
        .unwrap(),
    );
    let e = run(verify(&doc, &other, &reg, now, 300)).unwrap_err();
    assert!(matches!(
        e,
        DivocError::UnknownKey {
            suite: "RsaSignature2018",
            ..
        }
    ));

    // An Ed25519 key does not stand in for an RSA one.
    let mut ed_only = KeySet::new();
    ed_only.add(
        "did:india",
        PublicKey::parse(&ddcc_test_support::read(
            &dir,
            "divoc/keys/divoc-dev-ed25519-public.base58.txt",
        ))
        .unwrap(),
    );
    assert!(matches!(
        run(verify(&doc, &ed_only, &reg, now, 300)),
        Err(DivocError::UnknownKey { .. })
    ));

    // Before it was issued.
    assert_eq!(
        run(verify(&doc, &keys, &reg, now - 86_400, 300)).unwrap_err(),
        DivocError::NotYetValid
    );
    // An expiration date added after signing breaks the signature (it is
    // checked first); signed with it (the development Ed25519 key, as a
    // DIVOC signer would), the date is enforced.
    let mut expiring =
        ddcc_test_support::read_json(&dir, "divoc/signed/divoc-dev-v1-ed25519-2018-valid.json");
    expiring["expirationDate"] = "2022-05-01T00:00:00Z".into();
    assert!(matches!(
        run(verify(&expiring, &keys, &reg, now, 300)),
        Err(DivocError::Signature { .. })
    ));
    sign_ed25519(&mut expiring, &dir, &reg);
    let before = chrono::DateTime::parse_from_rfc3339("2022-04-30T00:00:00Z")
        .unwrap()
        .timestamp();
    run(verify(&expiring, &keys, &reg, before, 300)).unwrap();
    assert_eq!(
        run(verify(&expiring, &keys, &reg, before + 3 * 86_400, 300)).unwrap_err(),
        DivocError::Expired
    );

    // The JWS header must match the proof type and be unencoded.
    let mut wrong_alg = doc.clone();
    wrong_alg["proof"]["type"] = "Ed25519Signature2018".into();
    assert!(matches!(
        run(verify(&wrong_alg, &keys, &reg, now, 300)),
        Err(DivocError::Jws(_))
    ));
    let mut no_detached = doc.clone();
    no_detached["proof"]["jws"] = "eyJhbGciOiJQUzI1NiJ9.e30.AAAA".into();
    assert!(matches!(
        run(verify(&no_detached, &keys, &reg, now, 300)),
        Err(DivocError::Jws(_))
    ));
    let mut other_suite = doc.clone();
    other_suite["proof"]["type"] = "Ed25519Signature2020".into();
    assert!(matches!(
        run(verify(&other_suite, &keys, &reg, now, 300)),
        Err(DivocError::ProofType(_))
    ));
    let mut purpose = doc.clone();
    purpose["proof"]["proofPurpose"] = "authentication".into();
    assert!(matches!(
        run(verify(&purpose, &keys, &reg, now, 300)),
        Err(DivocError::Structure(_))
    ));
    for member in ["credentialSubject", "issuer", "@context", "proof"] {
        let mut d = doc.clone();
        d.as_object_mut().unwrap().remove(member);
        assert!(
            matches!(
                run(verify(&d, &keys, &reg, now, 300)),
                Err(DivocError::Structure(_))
            ),
            "{member}"
        );
    }
    // No value of the certificate in any message.
    let name = doc["credentialSubject"]["name"].as_str().unwrap();
    for e in [
        run(verify(&doc, &keys, &bare, now, 300)).unwrap_err(),
        run(verify(&doc, &other, &reg, now, 300)).unwrap_err(),
    ] {
        assert!(!e.to_string().contains(name));
    }
}

/// Re-signs `doc` with DIVOC's development Ed25519 key, the way DIVOC's
/// signer does: a detached JWS (EdDSA, `b64: false`) over the legacy
/// verify data.
fn sign_ed25519(doc: &mut Value, dir: &Path, reg: &ContextRegistry) {
    use base64::Engine as _;
    use ed25519_dalek::Signer as _;
    let secret = multibase::Base::Base58Btc
        .decode(
            ddcc_test_support::read(dir, "divoc/keys/divoc-dev-ed25519-private.base58.txt").trim(),
        )
        .unwrap();
    let key = ed25519_dalek::SigningKey::from_keypair_bytes(&secret.try_into().unwrap()).unwrap();
    let data = run(ddcc_divoc::verify_data(doc, reg)).unwrap();
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"alg":"EdDSA","b64":false,"crit":["b64"]}"#);
    let mut input = format!("{header}.").into_bytes();
    input.extend_from_slice(&data);
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.sign(&input).to_bytes());
    doc["proof"]["jws"] = format!("{header}..{sig}").into();
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zipped_qr_payloads_read_back_and_malformed_ones_are_refused() {
    let Some(dir) = ddcc_test_support::vectors("DIVOC QR payloads") else {
        return;
    };
    let (reg, keys) = (registry(&dir), keys(&dir));
    let text = ddcc_test_support::read(&dir, "divoc/signed/cowin-v2-rsa2018-valid-1.json");
    // DIVOC minifies before zipping.
    let doc: Value = serde_json::from_str(&text).unwrap();
    let minified = serde_json::to_vec(&doc).unwrap();
    let raw = zip_of(&[("certificate.json", &minified)]);
    use base64::Engine as _;
    let b64 = format!(
        "B64:{}",
        base64::engine::general_purpose::STANDARD.encode(&raw)
    );
    for payload in [raw.clone(), b64.into_bytes(), minified.clone()] {
        let read = unpack(&payload).unwrap();
        assert_eq!(read, doc);
        run(verify(&read, &keys, &reg, clock(&doc), 300)).unwrap();
    }

    // Truncated archive, bad base64, no certificate, not DIVOC at all.
    assert!(matches!(
        unpack(&raw[..raw.len() / 2]),
        Err(DivocError::Zip(_))
    ));
    assert_eq!(unpack(b"B64:%%%not base64"), Err(DivocError::Base64));
    assert_eq!(
        unpack(&zip_of(&[("other.json", b"{}")])),
        Err(DivocError::NoCertificate)
    );
    assert_eq!(unpack(b"HC1:NCFOXN"), Err(DivocError::NotDivoc));
    assert_eq!(
        unpack(&zip_of(&[("certificate.json", b"[1,2]")])),
        Err(DivocError::Json)
    );
    // A zip bomb: 10 MiB of zeros deflate to a few KiB; its declared size
    // is refused before inflating.
    let zeros = vec![0u8; 10 * 1024 * 1024];
    let bomb = zip_of(&[("certificate.json", &zeros)]);
    assert!(bomb.len() < ddcc_divoc::MAX_PAYLOAD_BYTES, "{}", bomb.len());
    assert_eq!(unpack(&bomb), Err(DivocError::TooLarge("certificate.json")));
    // A bomb whose local header lies about its size is still cut off at the
    // limit while inflating.
    let mut lying = bomb.clone();
    let declared = (zeros.len() as u32).to_le_bytes();
    let small = 100u32.to_le_bytes();
    let mut i = 0;
    while i + 4 <= lying.len() {
        if lying[i..i + 4] == declared {
            lying[i..i + 4].copy_from_slice(&small);
        }
        i += 1;
    }
    assert!(unpack(&lying).is_err());
    // Oversize payloads and too many entries.
    assert_eq!(
        unpack(&vec![b'P'; ddcc_divoc::MAX_PAYLOAD_BYTES + 1]),
        Err(DivocError::TooLarge("payload"))
    );
    let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![])).collect();
    let refs: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert_eq!(
        unpack(&zip_of(&refs)),
        Err(DivocError::Zip("too many entries"))
    );
    // Arbitrary bytes never panic.
    for n in 0..raw.len() {
        let mut b = raw.clone();
        b[n] ^= 0x55;
        let _ = unpack(&b);
    }
}

#[test]
fn keys_in_the_forms_deployments_publish() {
    let Some(dir) = ddcc_test_support::vectors("DIVOC keys") else {
        return;
    };
    let rsa = PublicKey::parse(&ddcc_test_support::read(
        &dir,
        "divoc/keys/divoc-dev-rsa-public.pem",
    ))
    .unwrap();
    let ed = PublicKey::parse(&ddcc_test_support::read(
        &dir,
        "divoc/keys/divoc-dev-ed25519-public.base58.txt",
    ))
    .unwrap();
    assert_eq!(rsa.suite(), "RsaSignature2018");
    assert_eq!(ed.suite(), "Ed25519Signature2018");
    // The same keys as JWKs give the same thumbprints.
    let PublicKey::Ed25519(k) = &ed else { panic!() };
    use base64::Engine as _;
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(k.as_bytes());
    let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}"#);
    assert_eq!(
        PublicKey::parse(&jwk).unwrap().thumbprint(),
        ed.thumbprint()
    );
    // Debug shows the thumbprint, never more.
    assert!(format!("{rsa:?}").contains(&rsa.thumbprint()));
    for bad in [
        "",
        "not a key",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
        r#"{"kty":"EC","crv":"P-256"}"#,
        "3mJr7AoUXx2Wqd",
    ] {
        assert!(PublicKey::parse(bad).is_err(), "{bad}");
    }
}
