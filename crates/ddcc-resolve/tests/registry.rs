//! Resolution against `ddcc-registry` started on loopback over HTTPS with a
//! private CA: a WHO GDHCN-style trust list (reference documents leading to
//! an embedded document whose keys are named by base64 key-id fragments),
//! and the Universal Resolver interface with its error codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use ddcc_core::Did;
use ddcc_did::{DidResolver, ResolveError, did_web_for};
use ddcc_resolve::gdhcn::{collect_keys, key_by_kid};
use ddcc_resolve::{NetworkPolicy, Resolver, UniversalResolver};
use serde_json::{Value, json};

struct Running {
    _dir: tempfile::TempDir,
    port: u16,
    ca: String,
    server: Option<ddcc_registry::RunningRegistry>,
}

async fn start(fill: impl FnOnce(&Path, u16)) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let (ca, identity) = ddcc_registry::self_signed(&["127.0.0.1".into()]).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    fill(dir.path(), port);
    let server = ddcc_registry::start(listener, ddcc_registry::router(dir.path()), Some(&identity))
        .await
        .unwrap();
    Running {
        _dir: dir,
        port,
        ca,
        server: Some(server),
    }
}

impl Running {
    fn client(&self) -> ddcc_resolve::HttpClient {
        NetworkPolicy::default()
            .allow_private_addresses(true)
            .add_root_pem(self.ca.as_bytes())
            .unwrap()
            .client()
            .unwrap()
    }
    fn did(&self, path: &[&str]) -> Did {
        did_web_for("127.0.0.1", Some(self.port), path).unwrap()
    }
    async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
    }
}

fn write(dir: &Path, path: &[&str], doc: &Value) {
    let mut file = dir.to_owned();
    for p in path {
        file.push(p);
    }
    std::fs::create_dir_all(&file).unwrap();
    file.push("did.json");
    std::fs::write(file, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
}

const KIDS: [&str; 2] = ["XPjhL9Znd1M=", "a+b/Zm9vYmE="];

/// The GDHCN shape (smart-trust "DID Trustlist v2" examples): a reference
/// chain trustlist-ref → DCC → XXA → DSC pointing at the embedded
/// trustlist:DCC:XXA:DSC, whose JsonWebKey2020 methods are named by kid.
fn gdhcn_fixture(dir: &Path, port: u16) {
    let did = |p: &[&str]| {
        did_web_for("127.0.0.1", Some(port), p)
            .unwrap()
            .as_str()
            .to_owned()
    };
    let context = json!([
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/suites/jws-2020/v1"
    ]);
    let embedded = did(&["v2", "trustlist", "DCC", "XXA", "DSC"]);
    let methods: Vec<Value> = KIDS
        .iter()
        .enumerate()
        .map(|(i, kid)| {
            json!({
                "id": format!("{embedded}#{kid}"),
                "type": "JsonWebKey2020",
                "controller": did(&["v2", "trustlist", "DCC", "XXA"]),
                "publicKeyJwk": {
                    "kty": "EC", "crv": "P-256", "kid": kid,
                    "x": format!("x-coordinate-{i}"), "y": format!("y-coordinate-{i}"),
                    "x5c": [format!("certificate-{i}")]
                }
            })
        })
        .collect();
    write(
        dir,
        &["v2", "trustlist", "DCC", "XXA", "DSC"],
        &json!({
            "@context": context, "id": embedded,
            "controller": did(&["v2", "trustlist", "DCC", "XXA"]),
            "verificationMethod": methods
        }),
    );
    let levels: [&[&str]; 4] = [
        &["v2", "trustlist-ref"],
        &["v2", "trustlist-ref", "DCC"],
        &["v2", "trustlist-ref", "DCC", "XXA"],
        &["v2", "trustlist-ref", "DCC", "XXA", "DSC"],
    ];
    for (i, level) in levels.iter().enumerate() {
        let next = match levels.get(i + 1) {
            Some(n) => did(n),
            None => embedded.clone(),
        };
        write(
            dir,
            level,
            &json!({
                "@context": context, "id": did(level), "verificationMethod": [next]
            }),
        );
    }
}

#[tokio::test]
async fn gdhcn_trust_list_resolves_keys_by_kid_fragment() {
    let reg = start(gdhcn_fixture).await;
    let resolver = Resolver::with_web(reg.client(), false);

    // The embedded document: keys by their base64 kid, raw or percent-encoded.
    let embedded = reg.did(&["v2", "trustlist", "DCC", "XXA", "DSC"]);
    let doc = resolver.resolve(&embedded).await.unwrap().document;
    for kid in KIDS {
        let raw = format!("{embedded}#{kid}");
        let encoded = format!(
            "{embedded}#{}",
            kid.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        );
        for id in [&raw, &encoded] {
            let m = doc.method(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(m.properties["publicKeyJwk"]["kid"], kid);
        }
    }

    // From the root of the reference tree, following references.
    let root = reg.did(&["v2", "trustlist-ref"]);
    let keys = collect_keys(&resolver, &root).await.unwrap();
    assert_eq!(
        keys.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(),
        KIDS
    );
    let k = key_by_kid(&resolver, &root, "a+b/Zm9vYmE=")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(k.jwk["x5c"][0], "certificate-1");
    assert!(
        key_by_kid(&resolver, &root, "bm9wZQ==")
            .await
            .unwrap()
            .is_none()
    );

    // The registry's Universal Resolver interface dereferences the DID URL.
    let ur = UniversalResolver::new(&format!("https://127.0.0.1:{}", reg.port), reg.client());
    let result = ur
        .resolution_result(&format!("{embedded}#XPjhL9Znd1M="))
        .await
        .unwrap();
    assert_eq!(
        result["didDocument"]["id"],
        format!("{embedded}#XPjhL9Znd1M=")
    );
    assert_eq!(result["didDocument"]["publicKeyJwk"]["kid"], "XPjhL9Znd1M=");
    assert!(result.get("didDereferencingMetadata").is_some());
    reg.stop().await;
}

#[tokio::test]
async fn universal_resolver_interface_and_error_codes() {
    let reg = start(|dir, port| {
        let did = did_web_for("127.0.0.1", Some(port), &["issuers", "moh"]).unwrap();
        let key = ddcc_crypto::SecretKey::from_seed(&[5u8; 32])
            .unwrap()
            .public_key();
        let doc = ddcc_did::did_web_document(&did, &[("key-1", key)]).unwrap();
        write(dir, &["issuers", "moh"], &doc.to_json());
    })
    .await;
    let ur = UniversalResolver::new(&format!("https://127.0.0.1:{}/", reg.port), reg.client());
    let key = ddcc_crypto::SecretKey::from_seed(&[5u8; 32])
        .unwrap()
        .public_key();

    // did:key and did:web resolve through it, documents checked like any other.
    let did_key = ddcc_did::did_key_for(&key);
    let r = ur.resolve(&did_key).await.unwrap();
    assert_eq!(r.document.verification_method[0].ed25519, Some(key));
    let web = reg.did(&["issuers", "moh"]);
    let r = ur.resolve(&web).await.unwrap();
    assert_eq!(r.document.verification_method[0].ed25519, Some(key));
    // The composite resolver sends non-local DIDs to it.
    let via = Resolver::offline().with_universal(ur.clone());
    assert!(via.resolve(&web).await.is_ok());

    // Error codes, mapped to our errors.
    let missing = reg.did(&["issuers", "nobody"]);
    assert!(matches!(
        ur.resolve(&missing).await,
        Err(ResolveError::NotFound(_))
    ));
    let other = Did::parse("did:example:123").unwrap();
    assert!(matches!(
        ur.resolve(&other).await,
        Err(ResolveError::MethodNotSupported(m)) if m == "example"
    ));
    assert!(matches!(
        ur.resolution_result("did:key:zNOTBASE58!").await,
        Err(ResolveError::InvalidDid(_) | ResolveError::Reported(_))
    ));
    assert!(matches!(
        ur.resolution_result("not-a-did").await,
        Err(ResolveError::InvalidDid(_))
    ));
    reg.stop().await;
}
