//! The signer checks the EU DCC verifier apps make, each refused with its
//! own reason: a signer certificate (DSC) not valid at the certificate's
//! `iat`, a certificate without `exp` or `iat`, dates out of range, a DSC
//! from another country than the certificate's `iss`, a CA certificate (or
//! one without digitalSignature) used as a signer, a claim given twice,
//! and an algorithm only in the unprotected header that does not match the
//! signer's key. Certificates are made here (rcgen) and signed here; the
//! payload is the EU test data's German vaccination.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;

use ciborium::Value as Cbor;
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable as _, iana};
use ddcc_hcert::{Dsc, HcertError, TrustList, verify};
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey as _;

/// The certificate's times: issued 2021-06-01, expiring 2022-06-01; the
/// check runs 2021-07-01.
const IAT: i64 = 1_622_505_600;
const EXP: i64 = 1_654_041_600;
const NOW: i64 = 1_625_097_600;

struct Signer {
    der: Vec<u8>,
    key: p256::ecdsa::SigningKey,
}

/// A DSC for `country`, valid from `from` to `until` (years), a CA or not,
/// with digitalSignature in its key usage or not.
fn signer(country: &str, from: i32, until: i32, ca: bool, digital_signature: bool) -> Signer {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose, date_time_ymd,
    };
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "Test DSC");
    p.distinguished_name.push(DnType::CountryName, country);
    p.not_before = date_time_ymd(from, 1, 1);
    p.not_after = date_time_ymd(until, 1, 1);
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    p.key_usages = if digital_signature {
        vec![KeyUsagePurpose::DigitalSignature]
    } else {
        vec![KeyUsagePurpose::KeyCertSign]
    };
    let cert = p.self_signed(&key).unwrap();
    Signer {
        der: cert.der().to_vec(),
        key: p256::ecdsa::SigningKey::from_pkcs8_der(&key.serialize_der()).unwrap(),
    }
}

/// The German test vaccination (schema-valid), as CBOR.
fn dcc() -> Option<Cbor> {
    let dir = ddcc_test_support::vectors("EU DCC signer checks")?;
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("eu-dcc-testdata/DE/1.json")).unwrap(),
    )
    .unwrap();
    Some(to_cbor(&case["JSON"]))
}

/// JSON as CBOR, by hand: serde's path depends on serde_json's features,
/// which other crates of the workspace change (numbers as maps).
fn to_cbor(v: &serde_json::Value) -> Cbor {
    use serde_json::Value as J;
    match v {
        J::Null => Cbor::Null,
        J::Bool(b) => Cbor::Bool(*b),
        J::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Cbor::Integer(i.into()),
            (None, Some(f)) => Cbor::Float(f),
            _ => Cbor::Null,
        },
        J::String(s) => Cbor::Text(s.clone()),
        J::Array(a) => Cbor::Array(a.iter().map(to_cbor).collect()),
        J::Object(o) => Cbor::Map(
            o.iter()
                .map(|(k, x)| (Cbor::Text(k.clone()), to_cbor(x)))
                .collect(),
        ),
    }
}

fn int(i: i64) -> Cbor {
    Cbor::Integer(i.into())
}

/// The usual claims: iss DE, exp, iat, the DCC.
fn claims(dcc: &Cbor) -> Vec<(Cbor, Cbor)> {
    vec![
        (int(1), Cbor::Text("DE".into())),
        (int(4), int(EXP)),
        (int(6), int(IAT)),
        (int(-260), Cbor::Map(vec![(int(1), dcc.clone())])),
    ]
}

/// An `HC1:` text of `claims` signed by `s`, with `alg` in the protected
/// header (or, with `unprotected`, only in the unprotected one).
fn hc1(claims: Vec<(Cbor, Cbor)>, s: &Signer, alg: iana::Algorithm, unprotected: bool) -> String {
    use sha2::Digest as _;
    let kid = sha2::Sha256::digest(&s.der)[..8].to_vec();
    let mut payload = Vec::new();
    ciborium::into_writer(&Cbor::Map(claims), &mut payload).unwrap();
    let header = HeaderBuilder::new().algorithm(alg).key_id(kid).build();
    let builder = if unprotected {
        CoseSign1Builder::new().unprotected(header)
    } else {
        CoseSign1Builder::new().protected(header)
    };
    let sign1 = builder
        .payload(payload)
        .create_signature(b"", |data| {
            let sig: p256::ecdsa::Signature = s.key.sign(data);
            sig.to_bytes().to_vec()
        })
        .build();
    let cose = sign1.to_tagged_vec().unwrap();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&cose).unwrap();
    format!("HC1:{}", base45::encode(z.finish().unwrap()))
}

fn trusting(s: &Signer) -> TrustList {
    let mut t = TrustList::new();
    t.add(Dsc::from_der(&s.der).unwrap());
    t
}

#[test]
fn a_well_made_certificate_verifies() {
    let Some(dcc) = dcc() else {
        return;
    };
    let s = signer("DE", 2021, 2023, false, true);
    let v = verify(
        &hc1(claims(&dcc), &s, iana::Algorithm::ES256, false),
        &trusting(&s),
        NOW,
    )
    .unwrap();
    assert_eq!(v.hcert.issuer.as_deref(), Some("DE"));
    // The algorithm only in the unprotected header, and the one the key
    // dictates (as the EU test data's CO20): verifies.
    assert!(
        verify(
            &hc1(claims(&dcc), &s, iana::Algorithm::ES256, true),
            &trusting(&s),
            NOW
        )
        .is_ok()
    );
}

#[test]
fn each_signer_problem_is_refused_with_its_own_reason() {
    let Some(dcc) = dcc() else {
        return;
    };
    let good = signer("DE", 2021, 2023, false, true);
    let check = |text: String, s: &Signer| verify(&text, &trusting(s), NOW).unwrap_err();

    // The DSC's validity ended before the certificate was issued.
    let expired = signer("DE", 2019, 2020, false, true);
    assert_eq!(
        check(
            hc1(claims(&dcc), &expired, iana::Algorithm::ES256, false),
            &expired
        ),
        HcertError::SignerNotValidAtIssuance
    );
    // Neither exp nor iat: valid forever otherwise.
    let bare = vec![
        (int(1), Cbor::Text("DE".into())),
        (int(-260), Cbor::Map(vec![(int(1), dcc.clone())])),
    ];
    assert!(matches!(
        check(hc1(bare, &good, iana::Algorithm::ES256, false), &good),
        HcertError::Cwt(m) if m.contains("no exp")
    ));
    // exp as a huge float.
    let mut huge = claims(&dcc);
    huge[1].1 = Cbor::Float(1e300);
    assert!(matches!(
        check(hc1(huge, &good, iana::Algorithm::ES256, false), &good),
        HcertError::Cwt(m) if m.contains("exp is not")
    ));
    // A Swedish DSC signing "issued in DE".
    let swedish = signer("SE", 2021, 2023, false, true);
    assert_eq!(
        check(
            hc1(claims(&dcc), &swedish, iana::Algorithm::ES256, false),
            &swedish
        ),
        HcertError::CountryMismatch
    );
    // A CA certificate as the signer; a key usage without digitalSignature.
    let ca = signer("DE", 2021, 2023, true, false);
    assert!(matches!(
        check(hc1(claims(&dcc), &ca, iana::Algorithm::ES256, false), &ca),
        HcertError::NotASigner(m) if m.contains("CA certificate")
    ));
    let no_ds = signer("DE", 2021, 2023, false, false);
    assert!(matches!(
        check(hc1(claims(&dcc), &no_ds, iana::Algorithm::ES256, false), &no_ds),
        HcertError::NotASigner(m) if m.contains("digitalSignature")
    ));
    // The hcert claim twice (the second one says something else).
    let mut twice = claims(&dcc);
    twice.push((int(-260), Cbor::Map(vec![(int(1), dcc.clone())])));
    assert!(matches!(
        check(hc1(twice, &good, iana::Algorithm::ES256, false), &good),
        HcertError::Cwt(m) if m.contains("twice")
    ));
    // An unprotected algorithm that is not the key's.
    assert_eq!(
        check(
            hc1(claims(&dcc), &good, iana::Algorithm::ES384, true),
            &good
        ),
        HcertError::UnprotectedAlgorithm
    );
}
