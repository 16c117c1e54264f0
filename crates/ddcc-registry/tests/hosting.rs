//! What a registry serves from its folder: DID documents and credentials
//! (status lists, trust lists); never a key file, whatever its name, never
//! other JSON, and never a file a link leads to outside the folder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_resolve::NetworkPolicy;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_what_a_registry_publishes_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    let put = |rel: &str, body: String| {
        let f = root.join(rel);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, body).unwrap();
    };
    put(
        "issuers/moh/did.json",
        json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:127.0.0.1:issuers:moh"}).to_string(),
    );
    put(
        "status/revocation-1.json",
        json!({"type": ["VerifiableCredential", "BitstringStatusListCredential"]}).to_string(),
    );
    let key =
        json!({"type": "Multikey", "publicKeyMultibase": "z6Mk", "privateKeyMultibase": "z3u2"});
    put("issuers/moh/issuer.key.json", key.to_string());
    // A key file named like a DID document, and a DID document carrying a
    // private JWK.
    let mut doc_with_key = key.clone();
    doc_with_key["id"] = json!("did:web:127.0.0.1:issuers:leak");
    put("issuers/leak/did.json", doc_with_key.to_string());
    put(
        "issuers/jwk/did.json",
        json!({"id": "did:web:127.0.0.1:issuers:jwk", "verificationMethod": [{"publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "a", "d": "b"}}]}).to_string(),
    );
    put(
        "notes/config.json",
        json!({"database": "postgres://…"}).to_string(),
    );
    // Links: one out of the folder, one inside it.
    let outside = dir.path().join("secret.json");
    std::fs::write(
        &outside,
        json!({"id": "did:web:example.org", "note": "outside the registry"}).to_string(),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("linked")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("linked/did.json")).unwrap();
    std::fs::create_dir_all(root.join("alias")).unwrap();
    std::os::unix::fs::symlink(
        root.join("issuers/moh/did.json"),
        root.join("alias/did.json"),
    )
    .unwrap();

    let (ca, identity) =
        ddcc_registry::self_signed(&["127.0.0.1".into(), "localhost".into()]).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let running = ddcc_registry::start(listener, ddcc_registry::router(&root), Some(&identity))
        .await
        .unwrap();
    let client = NetworkPolicy::default()
        .allow_private_addresses(true)
        .add_root_pem(ca.as_bytes())
        .unwrap()
        .client()
        .unwrap();
    let status = |path: &str| {
        let client = client.clone();
        let url = format!("https://127.0.0.1:{port}/{path}");
        async move { client.get_json(&url, "application/json").await.unwrap().0 }
    };
    for served in [
        "issuers/moh/did.json",
        "status/revocation-1.json",
        "alias/did.json",
    ] {
        assert_eq!(status(served).await, 200, "{served}");
    }
    for refused in [
        "issuers/moh/issuer.key.json",
        "issuers/leak/did.json",
        "issuers/jwk/did.json",
        "notes/config.json",
        "linked/did.json",
        "../secret.json",
    ] {
        assert_eq!(status(refused).await, 404, "{refused}");
    }
    running.stop().await;
}
