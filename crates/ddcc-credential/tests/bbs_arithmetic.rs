//! The BBS arithmetic zkryptium does through blst (vendored patches, see
//! `vendor/zkryptium/PATCHES.md`), checked against plain scalar
//! multiplication and pairing identities of the curve library zkryptium
//! uses: the constant-time multi-exponentiation with signed windows, the
//! verifier's variable-time one, and the pairing product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bls12_381_plus::{G1Affine, G1Projective, G2Affine, G2Projective, Scalar};
use zkryptium::utils::util::bbsplus_utils::{
    multi_exponentiation_g1, multi_exponentiation_g1_public, pairing_product_is_identity,
};

fn random_scalar() -> Scalar {
    let mut wide = [0u8; 64];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut wide);
    Scalar::from_bytes_wide(&wide)
}

/// Scalars whose base-16 digits carry at every window (8s), and the
/// extremes.
fn edge_scalars() -> Vec<Scalar> {
    let mut eights = [0x88u8; 64];
    eights[63] = 0x08;
    vec![
        Scalar::ZERO,
        Scalar::ONE,
        -Scalar::ONE,
        Scalar::from(8u64),
        Scalar::from(0x88u64),
        Scalar::from(0xf8u64),
        Scalar::from(u64::MAX),
        Scalar::from_bytes_wide(&eights),
        -Scalar::from(8u64),
    ]
}

fn naive(points: &[G1Projective], scalars: &[Scalar]) -> G1Projective {
    points
        .iter()
        .zip(scalars)
        .fold(G1Projective::IDENTITY, |acc, (p, s)| acc + p * s)
}

#[test]
fn multi_exponentiations_equal_the_sum_of_products() {
    for n in [1usize, 2, 3, 7, 16, 40, 41, 67] {
        let points: Vec<G1Projective> = (0..n)
            .map(|_| G1Projective::GENERATOR * random_scalar())
            .collect();
        let scalars: Vec<Scalar> = (0..n).map(|_| random_scalar()).collect();
        let expected = naive(&points, &scalars);
        assert_eq!(
            multi_exponentiation_g1(&points, &scalars),
            expected,
            "{n} points"
        );
        assert_eq!(
            multi_exponentiation_g1_public(&points, &scalars),
            expected,
            "{n} points"
        );
    }
    // Edge scalars, each against its own point and all at once, with the
    // identity among the points.
    let scalars = edge_scalars();
    let mut points: Vec<G1Projective> = scalars
        .iter()
        .map(|_| G1Projective::GENERATOR * random_scalar())
        .collect();
    for (p, s) in points.iter().zip(&scalars) {
        let expected = p * s;
        assert_eq!(multi_exponentiation_g1(&vec![*p], &vec![*s]), expected);
        assert_eq!(multi_exponentiation_g1_public(&[*p], &[*s]), expected);
    }
    points[2] = G1Projective::IDENTITY;
    let expected = naive(&points, &scalars);
    assert_eq!(multi_exponentiation_g1(&points, &scalars), expected);
    assert_eq!(multi_exponentiation_g1_public(&points, &scalars), expected);
    assert_eq!(
        multi_exponentiation_g1(&vec![G1Projective::IDENTITY], &vec![random_scalar()]),
        G1Projective::IDENTITY
    );
}

#[test]
fn the_pairing_product_holds_exactly_when_it_should() {
    let (a, b) = (random_scalar(), random_scalar());
    let p = G1Projective::GENERATOR * a;
    let q = G2Projective::GENERATOR * b;
    // e(aG1, bG2) · e(-abG1, G2) = 1
    let r = -(G1Projective::GENERATOR * (a * b));
    assert!(pairing_product_is_identity(&[
        (p, q),
        (r, G2Projective::GENERATOR)
    ]));
    // Off by one G1 point: not the identity.
    assert!(!pairing_product_is_identity(&[
        (p + G1Projective::GENERATOR, q),
        (r, G2Projective::GENERATOR)
    ]));
    // A term with the identity counts as one.
    assert!(pairing_product_is_identity(&[
        (G1Projective::IDENTITY, q),
        (r, G2Projective::IDENTITY)
    ]));
}

fn be(s: &Scalar) -> [u8; 32] {
    let mut b = s.to_le_bytes();
    b.reverse();
    b
}

/// A proof with `Abar = Bbar = identity`, made without any signature, for
/// messages the key never signed: every verification equation holds, and
/// only the refusal of the identity at decoding stops it (the patched
/// `octets_to_proof` check of draft-irtf-cfrg-bbs-signatures-13).
#[test]
fn a_proof_with_identity_points_would_forge_any_messages_and_is_refused() {
    use zkryptium::bbsplus::ciphersuites::{BbsCiphersuite, Bls12381Sha256};
    use zkryptium::bbsplus::generators::Generators;
    use zkryptium::bbsplus::keys::BBSplusPublicKey;
    use zkryptium::schemes::algorithms::BbsBls12381Sha256;
    use zkryptium::schemes::generics::PoKSignature;
    use zkryptium::utils::message::bbsplus_message::BBSplusMessage;
    use zkryptium::utils::util::bbsplus_utils::{hash_to_scalar, i2osp};

    let api_id = <Bls12381Sha256 as BbsCiphersuite>::API_ID;
    let h2s = [api_id, <Bls12381Sha256 as BbsCiphersuite>::H2S].concat();
    // Any issuer's public key: the forger holds no secret.
    let pk_point = G2Projective::GENERATOR * random_scalar();
    let pk = BBSplusPublicKey::from_bytes(&G2Affine::from(&pk_point).to_compressed()).unwrap();
    let messages: Vec<Vec<u8>> = vec![
        b"forged statement 1".to_vec(),
        b"forged statement 2".to_vec(),
    ];
    let indexes = [0usize, 1];
    let (header, ph) = (b"header".as_slice(), b"presentation".as_slice());

    // The verifier's public values: generators, domain, message scalars.
    let l = messages.len();
    let generators = Generators::create::<Bls12381Sha256>(l + 1, Some(api_id));
    let mut dom = Vec::new();
    dom.extend_from_slice(&pk.to_bytes());
    dom.extend_from_slice(&i2osp::<8>(l));
    for g in &generators.values {
        dom.extend_from_slice(&G1Affine::from(g).to_compressed());
    }
    dom.extend_from_slice(api_id);
    dom.extend_from_slice(&i2osp::<8>(header.len()));
    dom.extend_from_slice(header);
    let domain = hash_to_scalar::<Bls12381Sha256>(&dom, &h2s).unwrap();
    let scalars: Vec<Scalar> =
        BBSplusMessage::messages_to_scalar::<Bls12381Sha256>(&messages, api_id)
            .unwrap()
            .iter()
            .map(|m| m.value)
            .collect();
    let bv = generators.g1_base_point
        + generators.values[0] * domain
        + generators.values[1] * scalars[0]
        + generators.values[2] * scalars[1];

    // The forgery: D a multiple of Bv, commitments chosen first.
    let (delta, t, r1) = (random_scalar(), random_scalar(), random_scalar());
    let d = bv * delta;
    let (t1, t2) = (d * r1, bv * t);
    let identity = G1Projective::IDENTITY;
    let mut c_arr = Vec::new();
    c_arr.extend_from_slice(&i2osp::<8>(indexes.len()));
    for (i, m) in indexes.iter().zip(&scalars) {
        c_arr.extend_from_slice(&i2osp::<8>(*i));
        c_arr.extend_from_slice(&be(m));
    }
    for p in [identity, identity, d, t1, t2] {
        c_arr.extend_from_slice(&G1Affine::from(&p).to_compressed());
    }
    c_arr.extend_from_slice(&be(&domain));
    c_arr.extend_from_slice(&i2osp::<8>(ph.len()));
    c_arr.extend_from_slice(ph);
    let c = hash_to_scalar::<Bls12381Sha256>(&c_arr, &h2s).unwrap();
    let r3 = (t - c) * delta.invert().unwrap();
    let e = random_scalar();

    // Every equation a verifier checks holds: T1 = Bbar·c + Abar·e^ + D·r1^,
    // T2 = Bv·c + D·r3^ (nothing undisclosed), and the pairing product.
    assert_eq!(identity * c + identity * e + d * r1, t1);
    assert_eq!(bv * c + d * r3, t2);
    assert!(pairing_product_is_identity(&[
        (identity, pk_point),
        (identity, -G2Projective::GENERATOR)
    ]));

    // The proof's bytes: refused at decoding.
    let mut bytes = Vec::new();
    for p in [identity, identity, d] {
        bytes.extend_from_slice(&G1Affine::from(&p).to_compressed());
    }
    for s in [e, r1, r3, c] {
        bytes.extend_from_slice(&be(&s));
    }
    assert!(PoKSignature::<BbsBls12381Sha256>::from_bytes(&bytes).is_err());
}
