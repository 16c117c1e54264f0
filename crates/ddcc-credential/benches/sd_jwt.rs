//! SD-JWT VC of the sample credential: issue, present (checkpoint profile +
//! KB-JWT) and verify with key binding. Run:
//! `cargo bench -p ddcc-credential --bench sd_jwt`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_credential::Issuer;
use ddcc_credential::sdjwt::{builtin_profiles, verify_sd_jwt_vc};
use ddcc_crypto::SecretKey;
use ddcc_sd::{OsSalts, VerifyOptions, present};

/// `ssi` 0.16 verifying the same presentation the way SSI-NOTES.md sketches
/// it: issuer signature (key from `kid` through its did:key resolver) and
/// revealed claims, then the KB-JWT checks it leaves to the application.
async fn ssi_verify<P>(text: &str, params: &P, aud: &str, nonce: &str) -> usize
where
    P: ssi::claims::ResolverProvider<Resolver: ssi::jwk::JWKResolver>
        + ssi::claims::DateTimeProvider,
{
    use ssi::claims::sd_jwt::SdJwt;
    let sd = SdJwt::new(text).unwrap();
    let (revealed, verification) = sd.decode_reveal_verify_any(params).await.unwrap();
    verification.unwrap();
    let kb = sd.decode_kb().unwrap().expect("a KB-JWT");
    let payload = &kb.signing_bytes.payload;
    assert!(payload.aud == aud && payload.nonce.0 == nonce);
    assert!(payload.sd_hash.verify(revealed.sd_alg, sd));
    let cnf: ssi::JWK =
        serde_json::from_value(revealed.claims().private.get("cnf").unwrap()["jwk"].clone())
            .unwrap();
    let kb_params =
        ssi::claims::VerificationParameters::from_resolver(cnf).with_date_time(params.date_time());
    kb.verify(kb_params).await.unwrap().unwrap();
    revealed.claims().private.iter().count()
}

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap();
    let record: serde_json::Value = serde_json::from_str(RECORD).unwrap();
    let issuer = Issuer::new(SecretKey::from_seed(&[7u8; 32]).unwrap()).unwrap();
    let holder = SecretKey::from_seed(&[9u8; 32]).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)
        .unwrap();
    let profiles = builtin_profiles();
    let reveal = profiles
        .iter()
        .find(|p| p.name == "checkpoint")
        .unwrap()
        .reveal
        .clone();
    let aud = "https://checkpoint.example";
    let presentation = present(&sd, &reveal, Some((&holder, aud, "n-1", now.timestamp()))).unwrap();
    let mut options = VerifyOptions::at(now.timestamp());
    options.audience = Some(aud.into());
    options.nonce = Some("n-1".into());
    options.require_key_binding = true;
    assert!(verify_sd_jwt_vc(&presentation, &options).unwrap().key_bound);

    let mut g = c.benchmark_group("sd-jwt-vc");
    g.bench_function(
        "issue (record -> SD-JWT VC, 19 disclosures + decoys)",
        |b| {
            b.iter(|| {
                issuer
                    .issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)
                    .unwrap()
            })
        },
    );
    g.bench_function("present (checkpoint profile + KB-JWT)", |b| {
        b.iter(|| present(&sd, &reveal, Some((&holder, aud, "n-1", now.timestamp()))).unwrap())
    });
    g.bench_function("verify (checkpoint presentation, with KB-JWT)", |b| {
        b.iter(|| verify_sd_jwt_vc(&presentation, &options).unwrap())
    });
    let bare = present(&sd, &reveal, None).unwrap();
    let mut no_kb = VerifyOptions::at(now.timestamp());
    no_kb.require_key_binding = false;
    g.bench_function("verify (checkpoint presentation, no KB-JWT)", |b| {
        b.iter(|| verify_sd_jwt_vc(&bare, &no_kb).unwrap())
    });
    let issuer_key = ddcc_sd::PublicJwk::Ed25519(ddcc_did::ed25519_key_of(issuer.did()).unwrap());
    let jwt = presentation.split('~').next().unwrap().to_owned();
    g.bench_function("issuer JWS signature only", |b| {
        b.iter(|| {
            ddcc_sd::verify_jws(&jwt, &issuer_key, ddcc_sd::SdError::IssuerSignature).unwrap()
        })
    });

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let resolver = ssi::dids::VerificationMethodDIDResolver::<
        _,
        ssi::verification_methods::AnyMethod,
    >::new(ssi::dids::DIDKey);
    let params = ssi::claims::VerificationParameters::from_resolver(resolver).with_date_time(now);
    assert!(rt.block_on(ssi_verify(&presentation, &params, aud, "n-1")) > 0);
    g.bench_function(
        "peer: ssi 0.16 verify (same presentation, with KB-JWT)",
        |b| b.iter(|| rt.block_on(ssi_verify(&presentation, &params, aud, "n-1"))),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
