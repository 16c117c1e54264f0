//! The network policy's limits against real HTTPS servers on loopback: a
//! document over the size limit, a redirect to another origin, a server
//! that does not answer in time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use axum::Router;
use axum::response::Redirect;
use axum::routing::get;
use ddcc_did::{DidResolver, ResolveError, did_web_for};
use ddcc_resolve::{NetworkPolicy, Resolver};

async fn serve(app: Router) -> (u16, String, ddcc_registry::RunningRegistry) {
    let (ca, identity) = ddcc_registry::self_signed(&["127.0.0.1".into()]).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let running = ddcc_registry::start(listener, app, Some(&identity))
        .await
        .unwrap();
    (port, ca, running)
}

fn policy(ca: &str) -> NetworkPolicy {
    NetworkPolicy::default()
        .allow_private_addresses(true)
        .add_root_pem(ca.as_bytes())
        .unwrap()
}

#[tokio::test]
async fn oversize_documents_are_refused() {
    let big = format!("{{\"id\": \"x\", \"pad\": \"{}\"}}", "a".repeat(8192));
    let (port, ca, server) = serve(Router::new().route(
        "/big/did.json",
        get(move || {
            let big = big.clone();
            async move { big }
        }),
    ))
    .await;
    let did = did_web_for("127.0.0.1", Some(port), &["big"]).unwrap();
    let r = Resolver::with_web(policy(&ca).max_bytes(4096).client().unwrap(), false);
    match r.resolve(&did).await {
        Err(ResolveError::Network(why)) => assert!(why.contains("more than the 4096"), "{why}"),
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn redirects_to_another_origin_are_refused() {
    let (other_port, ca_other, other) =
        serve(Router::new().route("/x/did.json", get(|| async { "{}" }))).await;
    let target = format!("https://127.0.0.1:{other_port}/x/did.json");
    let (port, ca, server) = serve(Router::new().route(
        "/moved/did.json",
        get(move || {
            let target = target.clone();
            async move { Redirect::temporary(&target) }
        }),
    ))
    .await;
    let did = did_web_for("127.0.0.1", Some(port), &["moved"]).unwrap();
    let p = policy(&ca).add_root_pem(ca_other.as_bytes()).unwrap();
    let r = Resolver::with_web(p.client().unwrap(), false);
    match r.resolve(&did).await {
        Err(ResolveError::Network(why)) => assert!(why.contains("redirect"), "{why}"),
        other => panic!("{other:?}"),
    }
    server.stop().await;
    other.stop().await;
}

#[tokio::test]
async fn slow_servers_time_out() {
    let (port, ca, server) = serve(Router::new().route(
        "/slow/did.json",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "{}"
        }),
    ))
    .await;
    let did = did_web_for("127.0.0.1", Some(port), &["slow"]).unwrap();
    let r = Resolver::with_web(
        policy(&ca)
            .timeout(Duration::from_millis(300))
            .client()
            .unwrap(),
        false,
    );
    let started = std::time::Instant::now();
    match r.resolve(&did).await {
        Err(ResolveError::Network(why)) => assert!(why.contains("timed out"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(4));
    server.stop().await;
}
