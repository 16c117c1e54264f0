//! The BBS arithmetic zkryptium does through blst (vendored patches, see
//! `vendor/zkryptium/PATCHES.md`), checked against plain scalar
//! multiplication and pairing identities of the curve library zkryptium
//! uses: the constant-time multi-exponentiation with signed windows, the
//! verifier's variable-time one, and the pairing product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bls12_381_plus::{G1Projective, G2Projective, Scalar};
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
