//! Issue and verify of the sample vaccination credential
//! (`examples/records/primary-series-complete.json`), eddsa-rdfc-2022,
//! did:key issuer, from JSON text: the fast path against `ssi` 0.16 in the
//! same run. Run: `cargo bench -p ddcc-credential --bench issue_verify`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Checks, FixedClock, Issuer, Verifier};
use ddcc_crypto::SecretKey;
use serde_json::Value;
use ssi::claims::SignatureEnvironment;
use ssi::claims::data_integrity::{
    AnySuite, CryptographicSuite, DataIntegrityDocument, ProofOptions,
};
use ssi::verification_methods::{ReferenceOrOwned, SingleSecretSigner};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

/// `ssi`'s own signing of the same document, as a peer would do it.
struct SsiIssuer {
    jwk: ssi::JWK,
    method: ssi::dids::DIDURLBuf,
    loader: ssi::json_ld::ContextLoader,
}

impl SsiIssuer {
    fn new(key: &SecretKey, registry: &ContextRegistry) -> Self {
        use ssi::jwk::{Base64urlUInt, OctetParams, Params};
        let jwk = ssi::JWK::from(Params::OKP(OctetParams {
            curve: "Ed25519".into(),
            public_key: Base64urlUInt(key.public_key().to_bytes().to_vec()),
            private_key: Some(Base64urlUInt(key.dangerous_seed().to_vec())),
        }));
        let did = ddcc_did::did_key_for(&key.public_key());
        let method =
            ssi::dids::DIDURLBuf::from_string(format!("{did}#{}", did.method_specific_id()))
                .unwrap();
        let map: HashMap<String, String> = registry
            .iter()
            .map(|e| (e.url.clone(), e.text.to_string()))
            .collect();
        let loader = ssi::json_ld::ContextLoader::empty()
            .with_context_map_from(map)
            .unwrap();
        Self {
            jwk,
            method,
            loader,
        }
    }

    async fn sign(&self, doc: &Value) -> String {
        let unsecured: DataIntegrityDocument = serde_json::from_value(doc.clone()).unwrap();
        let mut options =
            ProofOptions::from_method(ReferenceOrOwned::Reference(self.method.clone().into_iri()));
        options.created = Some("2025-03-01T00:00:00Z".parse().unwrap());
        let env = SignatureEnvironment {
            json_ld_loader: &self.loader,
            eip712_loader: (),
        };
        let resolver = ssi::dids::VerificationMethodDIDResolver::<
            _,
            ssi::verification_methods::AnyMethod,
        >::new(ssi::dids::DIDKey);
        let signed = AnySuite::EdDsaRdfc2022
            .sign_with(
                &env,
                unsecured,
                resolver,
                SingleSecretSigner::new(self.jwk.clone()).into_local(),
                options,
                Default::default(),
            )
            .await
            .unwrap();
        serde_json::to_string(&signed).unwrap()
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let key = SecretKey::from_seed(&[7u8; 32]).unwrap();
    let registry = ContextRegistry::builtin().unwrap();
    let ssi_issuer = SsiIssuer::new(&key, &registry);
    let issuer = Issuer::new(key).unwrap();
    let unsigned = issuer.credential_from_record(&record, now).unwrap();
    let unsigned_text = serde_json::to_string(&unsigned).unwrap();
    let vc = rt
        .block_on(issuer.sign_document(unsigned.clone(), now))
        .unwrap();
    let text = serde_json::to_string(&vc).unwrap();
    let fast = Verifier::new(registry.clone(), FixedClock(now)).unwrap();
    let slow = Verifier::new(registry.clone(), FixedClock(now))
        .unwrap()
        .with_fast_path(false);
    assert!(
        rt.block_on(fast.verify_str(&text, Checks::all()))
            .is_authentic()
    );
    assert!(
        rt.block_on(slow.verify_str(&text, Checks::all()))
            .is_authentic()
    );
    assert_eq!(fast.proof_path_stats().fast, 1);
    assert_eq!(slow.proof_path_stats().fallback, 1);
    // ssi and the fast path sign the same bytes.
    let ssi_signed: Value = serde_json::from_str(&rt.block_on(ssi_issuer.sign(&unsigned))).unwrap();
    assert_eq!(ssi_signed["proof"]["proofValue"], vc["proof"]["proofValue"]);

    let mut g = c.benchmark_group("eddsa-rdfc-2022");
    g.bench_function("issue/fast (JSON text -> signed)", |b| {
        b.iter(|| {
            let doc: Value = serde_json::from_str(&unsigned_text).unwrap();
            rt.block_on(issuer.sign_document(doc, now)).unwrap()
        })
    });
    g.bench_function("issue/ssi (JSON text -> signed)", |b| {
        b.iter(|| {
            let doc: Value = serde_json::from_str(&unsigned_text).unwrap();
            rt.block_on(ssi_issuer.sign(&doc))
        })
    });
    g.bench_function("verify/fast (JSON text, all checks)", |b| {
        b.iter(|| {
            assert!(
                rt.block_on(fast.verify_str(&text, Checks::all()))
                    .is_authentic()
            )
        })
    });
    g.bench_function("verify/ssi (JSON text, all checks)", |b| {
        b.iter(|| {
            assert!(
                rt.block_on(slow.verify_str(&text, Checks::all()))
                    .is_authentic()
            )
        })
    });
    g.bench_function("verify/fast (JSON text, proof only)", |b| {
        b.iter(|| rt.block_on(fast.verify_str(&text, Checks::parse("proof").unwrap())))
    });
    g.bench_function("issue/fast (record -> signed, with schema check)", |b| {
        b.iter(|| rt.block_on(issuer.issue(&record, now)).unwrap())
    });

    // The same credential under a did:web issuer whose document is cached
    // (as after a first online verification, or from a bundle): what
    // resolution through the cache adds to a verify.
    let web_key = SecretKey::from_seed(&[8u8; 32]).unwrap();
    let web_did = ddcc_did::did_web_for("health.example", None, &["issuers", "moh"]).unwrap();
    let web_doc = ddcc_did::did_web_document(&web_did, &[("key-1", web_key.public_key())]).unwrap();
    let web_method = ddcc_core::DidUrl::parse(&format!("{web_did}#key-1")).unwrap();
    let web_issuer = Issuer::new(web_key)
        .unwrap()
        .with_did(web_did.clone(), web_method)
        .unwrap();
    let web_vc = rt.block_on(web_issuer.issue(&record, now)).unwrap();
    let web_text = serde_json::to_string(&web_vc).unwrap();
    let cache = ddcc_resolve::CachedResolver::new(
        ddcc_resolve::Resolver::offline(),
        chrono::Duration::days(1),
    )
    .offline(true);
    cache
        .load(
            &ddcc_resolve::Bundle {
                format: "ddcc-did-bundle/1".into(),
                entries: vec![ddcc_resolve::BundleEntry {
                    did: web_did.as_str().into(),
                    fetched: "2025-03-01T00:00:00Z".into(),
                    document: web_doc.to_json(),
                }],
            },
            ddcc_did::Source::Bundle,
        )
        .unwrap();
    let web_verifier = Verifier::new(registry.clone(), FixedClock(now))
        .unwrap()
        .with_resolver(std::sync::Arc::new(cache));
    let verdict = rt.block_on(web_verifier.verify_str(&web_text, Checks::all()));
    assert!(verdict.is_authentic(), "{}", verdict.to_text());
    assert_eq!(verdict.did_document().unwrap().source, "bundle");
    g.bench_function(
        "verify/fast did:web issuer, cached document (JSON text, all checks)",
        |b| {
            b.iter(|| {
                assert!(
                    rt.block_on(web_verifier.verify_str(&web_text, Checks::all()))
                        .is_authentic()
                )
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
