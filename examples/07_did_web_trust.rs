//! A health authority under `did:web`, accredited by a trust list, verified
//! at a checkpoint that then goes offline.
//!
//! Run: `cargo run -p ddcc-examples --example 07_did_web_trust`
//!
//! 1. Starts a DID registry on loopback (HTTPS, a private CA made on the spot)
//!    and publishes the ministry's `did.json` there.
//! 2. The ministry issues a certificate under its `did:web`.
//! 3. A trust anchor signs a trust list accrediting the ministry for
//!    vaccination certificates from its jurisdiction.
//! 4. A checkpoint verifies online (VALID), saves the DID documents it
//!    fetched as a bundle, and verifies again with the registry stopped
//!    (VALID, from the bundle). A certificate from an issuer that is not on
//!    the list is UNKNOWN ISSUER.

use std::sync::Arc;

use chrono::{Duration, Utc};
use ddcc::credential::trust::{TrustEntry, TrustList, TrustPolicy};
use ddcc::credential::{Checks, Issuer, Verifier};
use ddcc::did::{Source, did_web_document, did_web_for};
use ddcc::keys::SecretKey;
use ddcc::model::DidUrl;
use ddcc::resolve::{CachedResolver, NetworkPolicy, Resolver};

const RECORD: &str = include_str!("records/primary-series-complete.json");

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The registry, with the ministry's DID document.
    let dir = std::env::temp_dir().join(format!("ddcc-example-07-{}", std::process::id()));
    let (ca_pem, tls) = ddcc::registry::self_signed(&["127.0.0.1".into()])?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let registry =
        ddcc::registry::start(listener, ddcc::registry::router(&dir), Some(&tls)).await?;
    let ministry_key = SecretKey::generate();
    let ministry_did = did_web_for("127.0.0.1", Some(port), &["issuers", "moh"])?;
    let document = did_web_document(&ministry_did, &[("key-1", ministry_key.public_key())])?;
    std::fs::create_dir_all(dir.join("issuers/moh"))?;
    std::fs::write(
        dir.join("issuers/moh/did.json"),
        serde_json::to_vec_pretty(&document.to_json())?,
    )?;
    println!("registry: https://127.0.0.1:{port}  ministry: {ministry_did}");

    // 2. A certificate under the did:web.
    let method = DidUrl::parse(&format!("{ministry_did}#key-1"))?;
    let ministry = Issuer::new(ministry_key)?.with_did(ministry_did.clone(), method)?;
    let record: serde_json::Value = serde_json::from_str(RECORD)?;
    let certificate = ministry.issue(&record, Utc::now()).await?;

    // 3. The trust list, signed by the anchor.
    let anchor = Issuer::new(SecretKey::generate())?;
    let list = TrustList {
        name: "Utopia health certificate issuers".into(),
        anchor: anchor.did().clone(),
        valid_until: Some(Utc::now() + Duration::days(30)),
        entries: vec![TrustEntry {
            issuer: ministry_did.clone(),
            credential_types: vec!["DDCCVaccinationCredential".into()],
            jurisdictions: vec!["UTO".into()],
            until: None,
        }],
    };
    let signed_list = list.sign(&anchor, Utc::now()).await?;

    // 4. The checkpoint: online first. Loopback is a private address and
    //    the registry's CA is not a public one: both are opted into.
    let policy = NetworkPolicy::default()
        .allow_private_addresses(true)
        .add_root_pem(ca_pem.as_bytes())?;
    let cache = Arc::new(CachedResolver::new(
        Resolver::with_web(policy.client()?, false),
        Duration::hours(1),
    ));
    let base = Verifier::builtin()?.with_resolver(cache.clone());
    let trusted = TrustList::verify(&signed_list, &[anchor.did().clone()], &base).await?;
    let checkpoint = base.with_trust(TrustPolicy::List(trusted.clone()));
    let verdict = checkpoint.verify(&certificate, Checks::all()).await;
    println!("online:\n{}", verdict.to_text());
    assert!(verdict.is_valid());

    // The checkpoint keeps what it fetched; the registry goes away.
    let bundle = cache.snapshot();
    registry.stop().await;
    let offline = CachedResolver::new(Resolver::offline(), Duration::hours(24)).offline(true);
    offline.load(&bundle, Source::Bundle)?;
    let checkpoint = Verifier::builtin()?
        .with_resolver(Arc::new(offline))
        .with_trust(TrustPolicy::List(trusted));
    let verdict = checkpoint.verify(&certificate, Checks::all()).await;
    println!("offline, from the bundle:\n{}", verdict.to_text());
    assert!(verdict.is_valid());
    assert_eq!(verdict.did_document().map(|d| d.source), Some("bundle"));

    // Someone not on the list.
    let stranger = Issuer::new(SecretKey::generate())?;
    let other = stranger.issue(&record, Utc::now()).await?;
    let verdict = checkpoint.verify(&other, Checks::all()).await;
    println!("not accredited:\n{}", verdict.to_text());
    assert_eq!(verdict.exit_code(), 1);

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
