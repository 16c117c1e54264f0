//! did:web issuers, end to end against a registry started on loopback
//! (`ddcc-registry`, HTTPS with a private test CA): resolution, caching and
//! staleness, offline bundles, a document that names another DID, the
//! network policy, and key rotation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_core::{Did, DidUrl};
use ddcc_credential::{Check, Checks, FixedClock, Issuer, Verdict, Verifier};
use ddcc_crypto::{PublicKey, SecretKey};
use ddcc_did::{DidResolver, Source, did_web_document, did_web_for};
use ddcc_registry::RunningRegistry;
use ddcc_resolve::{Bundle, CachedResolver, NetworkPolicy, Resolver};
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap()
}

struct Registry {
    dir: tempfile::TempDir,
    ca_pem: String,
    port: u16,
    running: Option<RunningRegistry>,
}

impl Registry {
    async fn start(tls: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (ca_pem, identity) =
            ddcc_registry::self_signed(&["127.0.0.1".into(), "localhost".into()]).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let running = ddcc_registry::start(
            listener,
            ddcc_registry::router(dir.path()),
            tls.then_some(&identity),
        )
        .await
        .unwrap();
        Self {
            dir,
            ca_pem,
            port,
            running: Some(running),
        }
    }

    fn did(&self) -> Did {
        did_web_for("127.0.0.1", Some(self.port), &["issuers", "moh"]).unwrap()
    }

    fn publish(&self, doc: &Value) {
        let file = self.dir.path().join("issuers/moh/did.json");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    }

    async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    fn policy(&self) -> NetworkPolicy {
        NetworkPolicy::default()
            .allow_private_addresses(true)
            .add_root_pem(self.ca_pem.as_bytes())
            .unwrap()
    }
}

fn publish_keys(reg: &Registry, keys: &[(&str, PublicKey)]) {
    let doc = did_web_document(&reg.did(), keys).unwrap();
    reg.publish(&doc.to_json());
}

async fn issue(reg: &Registry, key: SecretKey, fragment: &str) -> Value {
    let did = reg.did();
    let method = DidUrl::parse(&format!("{did}#{fragment}")).unwrap();
    let issuer = Issuer::new(key).unwrap().with_did(did, method).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    issuer.issue(&record, now()).await.unwrap()
}

fn verifier(resolver: Arc<dyn DidResolver>) -> Verifier {
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now()))
        .unwrap()
        .with_resolver(resolver)
}

fn failed(v: &Verdict) -> (&'static str, String) {
    v.reports()
        .iter()
        .find(|r| r.status != ddcc_credential::CheckStatus::Passed)
        .map(|r| (r.code, r.message.clone()))
        .unwrap_or(("none", String::new()))
}

#[tokio::test]
async fn did_web_issuer_verifies_through_the_registry_then_from_cache_and_bundle() {
    let mut reg = Registry::start(true).await;
    let key = SecretKey::generate();
    publish_keys(&reg, &[("key-1", key.public_key())]);
    let vc = issue(&reg, key, "key-1").await;
    assert!(
        vc["issuer"]
            .as_str()
            .unwrap()
            .starts_with("did:web:127.0.0.1%3A")
    );

    // A cache with a clock the test moves.
    let clock = Arc::new(Mutex::new(now()));
    let c = clock.clone();
    let cache = Arc::new(
        CachedResolver::new(
            Resolver::with_web(reg.policy().client().unwrap(), false),
            Duration::hours(1),
        )
        .with_clock(move || *c.lock().unwrap()),
    );
    let v = verifier(cache.clone());
    let first = v.verify(&vc, Checks::all()).await;
    assert!(first.is_authentic(), "{}", first.to_text());
    assert_eq!(first.did_document().unwrap().source, "network");

    // Ten minutes later, the server gone: the cached document is fresh.
    reg.stop().await;
    *clock.lock().unwrap() += Duration::minutes(10);
    let second = v.verify(&vc, Checks::all()).await;
    assert!(second.is_authentic(), "{}", second.to_text());
    let d = second.did_document().unwrap();
    assert_eq!(
        (d.source, d.age_seconds, d.stale),
        ("cache", Some(600), false)
    );
    assert!(
        second
            .report(Check::Issuer)
            .unwrap()
            .message
            .contains("fetched 600 s ago")
    );

    // Two hours later, still unreachable: the stale copy is used and says so.
    *clock.lock().unwrap() += Duration::hours(2);
    let third = v.verify(&vc, Checks::all()).await;
    assert!(third.is_authentic(), "{}", third.to_text());
    let d = third.did_document().unwrap();
    assert_eq!((d.source, d.stale), ("cache", true));
    assert!(
        third
            .report(Check::Issuer)
            .unwrap()
            .message
            .contains("STALE")
    );
    assert_eq!(third.to_json()["did_document"]["stale"], true);

    // The cache written as a bundle: a fully offline verifier.
    let file = reg.dir.path().join("bundle.json");
    cache.snapshot().write(&file).unwrap();
    let bundle = Bundle::read(&file).unwrap();
    assert_eq!(bundle.entries.len(), 1);
    let offline = Arc::new(
        CachedResolver::new(Resolver::offline(), Duration::hours(24))
            .offline(true)
            .with_clock(|| now() + Duration::minutes(30)),
    );
    offline.load(&bundle, Source::Bundle).unwrap();
    let v = verifier(offline.clone());
    let from_bundle = v.verify(&vc, Checks::all()).await;
    assert!(from_bundle.is_authentic(), "{}", from_bundle.to_text());
    let d = from_bundle.did_document().unwrap();
    assert_eq!(
        (d.source, d.age_seconds, d.stale),
        ("bundle", Some(1800), false)
    );

    // Offline and not in the bundle: could not verify, saying why.
    let other = issue_elsewhere(&reg).await;
    let v2 = v.verify(&other, Checks::all()).await;
    assert_eq!(v2.exit_code(), 2, "{}", v2.to_text());
    assert!(failed(&v2).1.contains("offline"), "{:?}", failed(&v2));
}

async fn issue_elsewhere(reg: &Registry) -> Value {
    let did = did_web_for("127.0.0.1", Some(reg.port), &["issuers", "other"]).unwrap();
    let method = DidUrl::parse(&format!("{did}#key-1")).unwrap();
    let issuer = Issuer::new(SecretKey::generate())
        .unwrap()
        .with_did(did, method)
        .unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    issuer.issue(&record, now()).await.unwrap()
}

#[tokio::test]
async fn a_document_naming_another_did_is_refused_with_that_reason() {
    let mut reg = Registry::start(true).await;
    let key = SecretKey::generate();
    let public = key.public_key();
    let vc = issue(&reg, key, "key-1").await;
    let mut doc = did_web_document(&reg.did(), &[("key-1", public)])
        .unwrap()
        .to_json();
    doc["id"] = "did:web:evil.example".into();
    reg.publish(&doc);
    let resolver = Arc::new(Resolver::with_web(reg.policy().client().unwrap(), false));
    let v = verifier(resolver).verify(&vc, Checks::all()).await;
    assert_eq!(v.exit_code(), 1, "{}", v.to_text());
    let (code, message) = failed(&v);
    assert_eq!(code, "method_invalid_did");
    assert!(message.contains("did:web:evil.example"), "{message}");
    assert!(message.contains("not the requested"), "{message}");
    reg.stop().await;
}

#[tokio::test]
async fn network_policy_is_opt_in() {
    // HTTPS registry: no CA given → TLS refuses; private address not
    // allowed → refused before connecting.
    let mut reg = Registry::start(true).await;
    let key = SecretKey::generate();
    publish_keys(&reg, &[("key-1", key.public_key())]);
    let vc = issue(&reg, key, "key-1").await;
    let no_ca = NetworkPolicy::default().allow_private_addresses(true);
    let v = verifier(Arc::new(Resolver::with_web(no_ca.client().unwrap(), false)))
        .verify(&vc, Checks::all())
        .await;
    assert_eq!(v.exit_code(), 2, "{}", v.to_text());
    assert!(failed(&v).1.contains("could not fetch"), "{:?}", failed(&v));
    let public_only = NetworkPolicy::default()
        .add_root_pem(reg.ca_pem.as_bytes())
        .unwrap();
    let v = verifier(Arc::new(Resolver::with_web(
        public_only.client().unwrap(),
        false,
    )))
    .verify(&vc, Checks::all())
    .await;
    assert_eq!(v.exit_code(), 2, "{}", v.to_text());
    assert!(
        failed(&v).1.contains("private or loopback"),
        "{:?}",
        failed(&v)
    );
    reg.stop().await;

    // Plain HTTP registry: refused unless --allow-http-loopback.
    let mut http = Registry::start(false).await;
    let key = SecretKey::generate();
    publish_keys(&http, &[("key-1", key.public_key())]);
    let vc = issue(&http, key, "key-1").await;
    let strict = NetworkPolicy::default().allow_private_addresses(true);
    let v = verifier(Arc::new(Resolver::with_web(strict.client().unwrap(), true)))
        .verify(&vc, Checks::all())
        .await;
    assert_eq!(v.exit_code(), 2, "{}", v.to_text());
    assert!(
        failed(&v).1.contains("plain HTTP is not allowed"),
        "{:?}",
        failed(&v)
    );
    let dev = NetworkPolicy::default().allow_http_loopback(true);
    let v = verifier(Arc::new(Resolver::with_web(dev.client().unwrap(), true)))
        .verify(&vc, Checks::all())
        .await;
    assert!(v.is_authentic(), "{}", v.to_text());
    http.stop().await;
}

#[tokio::test]
async fn rotated_keys_verify_while_listed_and_fail_by_name_once_removed() {
    let mut reg = Registry::start(true).await;
    let old = SecretKey::generate();
    let new = SecretKey::generate();
    let (old_pub, new_pub) = (old.public_key(), new.public_key());
    publish_keys(&reg, &[("key-1", old_pub)]);
    let before = issue(&reg, old, "key-1").await;
    // Rotation: key-2 signs from now on; key-1 stays listed.
    publish_keys(&reg, &[("key-2", new_pub), ("key-1", old_pub)]);
    let after = issue(&reg, new, "key-2").await;
    let fresh = || Arc::new(Resolver::with_web(reg.policy().client().unwrap(), false));
    for vc in [&before, &after] {
        let v = verifier(fresh()).verify(vc, Checks::all()).await;
        assert!(v.is_authentic(), "{}", v.to_text());
    }
    // key-1 retired: its credentials fail, naming the key.
    publish_keys(&reg, &[("key-2", new_pub)]);
    let v = verifier(fresh()).verify(&before, Checks::all()).await;
    assert_eq!(v.exit_code(), 1, "{}", v.to_text());
    let (code, message) = failed(&v);
    assert_eq!(code, "unknown_verification_method");
    assert!(message.contains("#key-1"), "{message}");
    let v = verifier(fresh()).verify(&after, Checks::all()).await;
    assert!(v.is_authentic(), "{}", v.to_text());
    reg.stop().await;
}

#[tokio::test]
async fn gdhcn_style_did_trust_list_accredits_by_reference_or_key() {
    use ddcc_credential::trust::{DidTrustList, TrustPolicy};
    let mut reg = Registry::start(true).await;
    // A did:web issuer, referenced by the list.
    let key = SecretKey::generate();
    publish_keys(&reg, &[("key-1", key.public_key())]);
    let web_vc = issue(&reg, key, "key-1").await;
    // A did:key issuer whose key is embedded in the list as a JWK.
    let embedded = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let key_vc = embedded.issue(&record, now()).await.unwrap();
    let x = ddcc_did::ed25519_key_of(embedded.did()).unwrap().to_bytes();
    let x = base64_url(&x);
    // Someone else.
    let stranger = Issuer::new(SecretKey::generate()).unwrap();
    let stranger_vc = stranger.issue(&record, now()).await.unwrap();

    let did = |p: &[&str]| did_web_for("127.0.0.1", Some(reg.port), p).unwrap();
    let keys = did(&["v2", "trustlist", "DDCC", "UTO", "DSC"]);
    let root = did(&["v2", "trustlist-ref"]);
    let write = |path: &[&str], doc: Value| {
        let mut file = reg.dir.path().to_owned();
        for p in path {
            file.push(p);
        }
        std::fs::create_dir_all(&file).unwrap();
        std::fs::write(file.join("did.json"), serde_json::to_vec(&doc).unwrap()).unwrap();
    };
    write(
        &["v2", "trustlist-ref"],
        serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": root.as_str(),
            "verificationMethod": [keys.as_str(), reg.did().as_str()]
        }),
    );
    write(
        &["v2", "trustlist", "DDCC", "UTO", "DSC"],
        serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
            "id": keys.as_str(),
            "verificationMethod": [{
                "id": format!("{keys}#q1Fp3s+/aQ8="), "type": "JsonWebKey2020",
                "controller": did(&["v2", "trustlist", "DDCC", "UTO"]).as_str(),
                "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "q1Fp3s+/aQ8="}
            }]
        }),
    );
    let resolver = Arc::new(Resolver::with_web(reg.policy().client().unwrap(), false));
    let list = DidTrustList::resolve(&*resolver, &root).await.unwrap();
    assert_eq!(list.documents.len(), 3);
    let v = verifier(resolver).with_trust(TrustPolicy::Did(list));
    for vc in [&web_vc, &key_vc] {
        let verdict = v.verify(vc, Checks::all()).await;
        assert!(verdict.is_valid(), "{}", verdict.to_text());
    }
    let verdict = v.verify(&stranger_vc, Checks::all()).await;
    assert!(matches!(
        verdict.outcome(),
        ddcc_credential::Outcome::UnknownIssuer(_)
    ));
    reg.stop().await;
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
