//! A test trust network on loopback: a registry publishes a GDHCN-shaped
//! trust list (reference documents down to an embedded one), every document
//! signed by a test root, listing a DID issuer (for UTO) and EU DCC signer
//! certificates; one trust configuration adds a SMART Health Card issuer
//! and a DIVOC deployment. Every format is verified through it: accredited
//! → valid naming the list, not listed → unknown issuer, the list tampered,
//! signed by an unnamed root, stale or unreachable → could not verify (or
//! the cached copy, marked), and the offline bundle alone → valid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_core::Did;
use ddcc_credential::{Checks, FixedClock, Issuer, Outcome, Verifier};
use ddcc_crypto::SecretKey;
use ddcc_did::did_web_for;
use ddcc_test_support::{read, read_json, vectors};
use ddcc_trust::gdhcn::sign_document;
use ddcc_trust::{Trust, TrustConfig};
use serde_json::{Value, json};

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// When the list is signed.
fn signed_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()
}

struct Network {
    dir: tempfile::TempDir,
    port: u16,
    ca_pem: String,
    running: Option<ddcc_registry::RunningRegistry>,
    root_key: p256::ecdsa::SigningKey,
    issuer: Issuer,
    chained_der: Vec<u8>,
}

fn did(port: u16, path: &[&str]) -> Did {
    did_web_for("127.0.0.1", Some(port), path).unwrap()
}

fn jwk_of_cert(der: &[u8], kid: &str) -> Value {
    let (_, cert) = x509_parser::parse_x509_certificate(der).unwrap();
    let point = cert.public_key().subject_public_key.data.to_vec();
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    json!({
        "kty": "EC", "crv": "P-256", "kid": kid,
        "x": b64url.encode(&point[1..33]), "y": b64url.encode(&point[33..65]),
        "x5c": [B64.encode(der)],
    })
}

fn kid_of(der: &[u8]) -> String {
    use sha2::Digest as _;
    B64.encode(&sha2::Sha256::digest(der)[..8])
}

/// A CSCA and a DSC it signed (rcgen), DER.
fn chain() -> (Vec<u8>, Vec<u8>) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer as CaIssuer, KeyPair,
        KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name.push(DnType::CommonName, "XXA CSCA");
    ca.distinguished_name.push(DnType::CountryName, "XA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = CaIssuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
    leaf.distinguished_name.push(DnType::CommonName, "XXA DSC");
    leaf.distinguished_name.push(DnType::CountryName, "XA");
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
    (leaf_cert.der().to_vec(), ca_cert.der().to_vec())
}

fn document(id: &Did, methods: Vec<Value>) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
            "https://smart.who.int/trust/tng-context/v1-DEV.jsonld"
        ],
        "id": id.as_str(),
        "controller": id.as_str(),
        "verificationMethod": methods,
    })
}

impl Network {
    async fn start(vectors: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (ca_pem, identity) =
            ddcc_registry::self_signed(&["127.0.0.1".into(), "localhost".into()]).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let running = ddcc_registry::start(
            listener,
            ddcc_registry::router(&dir.path().join("www")),
            Some(&identity),
        )
        .await
        .unwrap();
        let root_key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let issuer = Issuer::new(SecretKey::generate()).unwrap();
        let (chained_der, _) = chain();
        let mut net = Self {
            dir,
            port,
            ca_pem,
            running: Some(running),
            root_key,
            issuer,
            chained_der,
        };
        net.publish(vectors).await;
        net
    }

    fn signer_did(&self) -> Did {
        did(self.port, &["signer"])
    }

    fn root(&self) -> Did {
        did(self.port, &["trustlist"])
    }

    /// The signer's DID document (what the operator pins), written to `file`.
    fn write_signer(&self, key: &p256::ecdsa::VerifyingKey, file: &Path) {
        let point = key.to_encoded_point(false);
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let id = self.signer_did();
        let doc = json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
            "id": id.as_str(),
            "verificationMethod": [{
                "id": id.as_str(), "type": "JsonWebKey2020", "controller": id.as_str(),
                "publicKeyJwk": {"kty": "EC", "crv": "P-256",
                    "x": b64url.encode(point.x().unwrap()), "y": b64url.encode(point.y().unwrap())}
            }]
        });
        std::fs::write(file, doc.to_string()).unwrap();
    }

    async fn put(&self, path: &[&str], doc: Value) {
        let contexts = ContextRegistry::gdhcn().unwrap();
        let signed = sign_document(
            &doc,
            &self.root_key,
            self.signer_did().as_str(),
            signed_at(),
            &contexts,
        )
        .await
        .unwrap();
        let mut file = self.dir.path().join("www");
        for p in path {
            file.push(p);
        }
        std::fs::create_dir_all(&file).unwrap();
        std::fs::write(file.join("did.json"), signed.to_string()).unwrap();
    }

    /// The list: root → DDCC → DDCC:UTO (the DID issuer, by reference);
    /// root → DCC → DCC:DEU:DSC (the EU test data's DSC) and DCC:XXA:DSC
    /// (a DSC with its CSCA chain, and one whose chain is broken).
    async fn publish(&mut self, vectors: &Path) {
        let p = self.port;
        let r = |path: &[&str]| {
            let mut full = vec!["trustlist"];
            full.extend_from_slice(path);
            did(p, &full).as_str().to_owned()
        };
        self.put(
            &["trustlist"],
            document(
                &self.root(),
                vec![
                    json!(r(&["DDCC"])),
                    json!(r(&["DCC"])),
                    json!(r(&["SHC", "UTO"])),
                ],
            ),
        )
        .await;
        // The SMART example issuer's key with its x5c chain (its leaf names
        // the issuer as subjectAltName URI), in the SHC domain for UTO.
        let jwks = read_json(vectors, "smart-health-cards/issuer/well-known/jwks.json");
        let chained = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k.get("x5c").is_some())
            .unwrap()
            .clone();
        let shc_id = did(p, &["trustlist", "SHC", "UTO"]);
        self.put(
            &["trustlist", "SHC", "UTO"],
            document(
                &shc_id,
                vec![json!({
                    "id": format!("{}#{}", shc_id.as_str(), chained["kid"].as_str().unwrap()),
                    "type": "JsonWebKey2020",
                    "controller": shc_id.as_str(),
                    "publicKeyJwk": chained,
                    "domain": {"code": "#SHC"},
                    "participant": {"code": "#UTO"},
                })],
            ),
        )
        .await;
        self.put(
            &["trustlist", "DDCC"],
            document(
                &did(p, &["trustlist", "DDCC"]),
                vec![json!(r(&["DDCC", "UTO"]))],
            ),
        )
        .await;
        self.put(
            &["trustlist", "DDCC", "UTO"],
            document(
                &did(p, &["trustlist", "DDCC", "UTO"]),
                vec![json!(self.issuer.did().as_str())],
            ),
        )
        .await;
        self.put(
            &["trustlist", "DCC"],
            document(
                &did(p, &["trustlist", "DCC"]),
                vec![
                    json!(r(&["DCC", "DEU", "DSC"])),
                    json!(r(&["DCC", "XXA", "DSC"])),
                ],
            ),
        )
        .await;
        let de = read_json(vectors, "eu-dcc-testdata/DE/1.json");
        let de_der = B64
            .decode(de["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
            .unwrap();
        let key = |id: &Did, der: &[u8], extra: Option<&[u8]>, participant: &str| {
            let kid = kid_of(der);
            let mut jwk = jwk_of_cert(der, &kid);
            if let Some(ca) = extra {
                jwk["x5c"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!(B64.encode(ca)));
            }
            json!({
                "id": format!("{}#{}", id.as_str(), kid),
                "type": "JsonWebKey2020",
                "controller": id.as_str(),
                "publicKeyJwk": jwk,
                "domain": {"code": "#DCC"},
                "participant": {"code": format!("#{participant}")},
                "keyusage": {"code": "#DSC"},
            })
        };
        let de_id = did(p, &["trustlist", "DCC", "DEU", "DSC"]);
        self.put(
            &["trustlist", "DCC", "DEU", "DSC"],
            document(&de_id, vec![key(&de_id, &de_der, None, "DEU")]),
        )
        .await;
        let (chained, csca) = chain();
        let (broken, _) = chain();
        let xxa_id = did(p, &["trustlist", "DCC", "XXA", "DSC"]);
        self.put(
            &["trustlist", "DCC", "XXA", "DSC"],
            document(
                &xxa_id,
                vec![
                    key(&xxa_id, &chained, Some(&csca), "XXA"),
                    // Another CSCA's DSC presented with this CSCA: refused.
                    key(&xxa_id, &broken, Some(&csca), "XXA"),
                ],
            ),
        )
        .await;
        self.chained_der = chained;
    }

    fn policy(&self) -> ddcc_resolve::HttpClient {
        ddcc_resolve::NetworkPolicy::default()
            .allow_private_addresses(true)
            .add_root_pem(self.ca_pem.as_bytes())
            .unwrap()
            .client()
            .unwrap()
    }

    /// A trust configuration: the GDHCN list (online with a cache, or the
    /// folder given), the SMART example issuer, the DIVOC dev keys.
    fn config(&self, vectors: &Path, gdhcn: &str, extra: &str) -> TrustConfig {
        let signer = self.dir.path().join("signer.json");
        if !signer.exists() {
            self.write_signer(self.root_key.verifying_key(), &signer);
        }
        let v = vectors.display();
        let text = format!(
            r#"
[[gdhcn]]
name = "Test GDHCN"
root = "{root}"
signer = ["signer.json"]
{gdhcn}

[[shc]]
iss = "https://spec.smarthealth.cards/examples/issuer"
name = "SMART example issuer"
jwks = "{v}/smart-health-cards/issuer/well-known/jwks.json"

[[divoc]]
name = "DIVOC dev"
method = "did:india"
key = "{v}/divoc/keys/divoc-dev-rsa-public.pem"
contexts = ["https://cowin.gov.in/credentials/vaccination/v1={v}/divoc/contexts/cowin-vaccination-v1.jsonld", "https://divoc.dev/credentials/vaccination/v1={v}/divoc/contexts/cowin-vaccination-v1.jsonld"]
{extra}
"#,
            root = self.root()
        );
        let mut c = TrustConfig::from_toml(&text).unwrap();
        c.base = self.dir.path().to_owned();
        c
    }

    async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }
}

fn verifier_at(t: DateTime<Utc>) -> Verifier {
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(t)).unwrap()
}

async fn load(
    config: &TrustConfig,
    web: Option<&ddcc_resolve::HttpClient>,
    at: DateTime<Utc>,
) -> Trust {
    config.load(&verifier_at(at), web, at).await.unwrap()
}

/// The DI verdict of `vc` at `at` through `trust`.
async fn di(trust: &Trust, vc: &Value, at: DateTime<Utc>) -> ddcc_credential::Verdict {
    verifier_at(at)
        .with_trust(trust.policy.clone())
        .verify(vc, Checks::all())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_is_verified_through_one_trust_configuration() {
    let Some(v) = vectors("trust network") else {
        return;
    };
    let mut net = Network::start(&v).await;
    let now = signed_at() + chrono::Duration::hours(1);
    let web = net.policy();
    let config = net.config(&v, "online = true\ncache = \"cache\"", "");
    let trust = load(&config, Some(&web), now).await;
    assert!(trust.all_usable(), "{:?}", trust.sources);
    let gdhcn = trust.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert!(
        gdhcn.summary.contains(
            "7 document(s), 1 DID issuer(s), 2 EU DCC signer(s), 1 health card key(s), 1 signer key(s) refused"
        ),
        "{}",
        gdhcn.summary
    );
    assert_eq!(gdhcn.signed_at, Some(signed_at()));

    // DDCC Data Integrity: accredited for UTO by the list.
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let vc = net.issuer.issue(&record, now).await.unwrap();
    let verdict = di(&trust, &vc, now).await;
    assert!(verdict.is_valid(), "{}", verdict.to_text());
    let msg = &verdict
        .report(ddcc_credential::Check::Trust)
        .unwrap()
        .message;
    assert!(
        msg.contains("for UTO") && msg.contains("Test GDHCN"),
        "{msg}"
    );
    // Anybody else: unknown issuer.
    let stranger = Issuer::new(SecretKey::generate()).unwrap();
    let forged = stranger.issue(&record, now).await.unwrap();
    let verdict = di(&trust, &forged, now).await;
    assert!(
        matches!(verdict.outcome(), Outcome::UnknownIssuer(_)),
        "{}",
        verdict.to_text()
    );

    // SD-JWT VC, presented.
    let holder = SecretKey::generate();
    let sd = net
        .issuer
        .issue_sd_jwt(
            &record,
            now,
            Some(&holder.public_key()),
            &mut ddcc_sd::OsSalts,
        )
        .unwrap();
    let mut options = ddcc_sd::VerifyOptions::at(now.timestamp());
    options.require_key_binding = false;
    let checkpoint = verifier_at(now).with_trust(trust.policy.clone());
    let sv = checkpoint.verify_sd_jwt(sd.as_str(), &options).await;
    assert_eq!(sv.verdict, "valid", "{:?}", sv);
    assert!(sv.trust.as_deref().unwrap().contains("Test GDHCN"));
    let sd = stranger
        .issue_sd_jwt(&record, now, None, &mut ddcc_sd::OsSalts)
        .unwrap();
    let sv = checkpoint.verify_sd_jwt(sd.as_str(), &options).await;
    assert_eq!(sv.verdict, "unknown_issuer", "{:?}", sv);

    // EU DCC: the DE test certificate's signer is listed (jurisdiction DEU).
    let de = read_json(&v, "eu-dcc-testdata/DE/1.json");
    let hc1 = de["PREFIX"].as_str().unwrap();
    let at = DateTime::parse_from_rfc3339(de["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap())
        .unwrap()
        .timestamp();
    let ok = ddcc_hcert::verify(hc1, &trust.dscs, at).unwrap();
    let vouch = trust.dsc_vouch(&ok.kid).unwrap();
    assert_eq!(
        (vouch.list.as_str(), vouch.jurisdiction.as_deref()),
        ("Test GDHCN", Some("DEU"))
    );
    // The chained DSC is listed; the one whose chain is broken is not.
    assert!(
        trust
            .dscs
            .find(&B64.decode(kid_of(&net.chained_der)).unwrap())
            .is_some()
    );
    assert_eq!(trust.dscs.len(), 2);
    // Austria's signer is on no list: unknown.
    let at_case = read_json(&v, "eu-dcc-testdata/AT/1.json");
    assert_eq!(
        ddcc_hcert::verify(at_case["PREFIX"].as_str().unwrap(), &trust.dscs, at).unwrap_err(),
        ddcc_hcert::HcertError::UnknownKid
    );

    // SMART Health Card: the example issuer, by the directory entry.
    let jws = read(&v, "smart-health-cards/examples/example-00-d-jws.txt");
    let card = ddcc_shc::verify(jws.trim(), &trust.shc, 1_700_000_000, 60).unwrap();
    assert!(
        trust
            .shc_vouch(&card.iss)
            .unwrap()
            .list
            .contains("SMART example issuer")
    );
    let no_shc = load(
        &net.config(&v, "online = true", "").tap_shc_empty(),
        Some(&web),
        now,
    )
    .await;
    assert!(ddcc_shc::verify(jws.trim(), &no_shc.shc, 1_700_000_000, 60).is_err());
    // … but the GDHCN list's SHC domain lists the key with the chain naming
    // the issuer: a card signed with it is vouched for by the list, for UTO.
    let by_chain = signed_card(
        &v,
        "00",
        "https://spec.smarthealth.cards/examples/issuer",
        2,
    );
    let card = ddcc_shc::verify(&by_chain, &no_shc.shc, 1_700_000_000, 60).unwrap();
    let vouch = no_shc.shc_vouch(&card.iss).unwrap();
    assert_eq!(
        (vouch.list.as_str(), vouch.jurisdiction.as_deref()),
        ("Test GDHCN", Some("UTO"))
    );

    // DIVOC: the dev deployment's key.
    let cert = read_json(&v, "divoc/signed/divoc-dev-v1-rsa2018-valid.json");
    let issued = DateTime::parse_from_rfc3339(cert["issuanceDate"].as_str().unwrap())
        .unwrap()
        .timestamp()
        + 60;
    let ok = ddcc_divoc::verify(&cert, &trust.divoc, &trust.divoc_contexts, issued, 300)
        .await
        .unwrap();
    assert!(
        trust
            .divoc_vouch(&ok.method)
            .unwrap()
            .list
            .contains("DIVOC dev")
    );
    // A deployment this checkpoint holds no key for.
    let mut unknown = cert.clone();
    unknown["proof"]["verificationMethod"] = json!("did:elsewhere");
    assert!(matches!(
        ddcc_divoc::verify(&unknown, &trust.divoc, &trust.divoc_contexts, issued, 300).await,
        Err(ddcc_divoc::DivocError::UnknownKey { .. })
    ));

    // Network gone: the cached copy is served, marked, with its age.
    net.stop().await;
    let cached = load(&config, Some(&web), now).await;
    let s = cached.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert!(s.problem.is_none() && s.from_cache(), "{s:?}");
    assert_eq!(cached.sources_json(now)[0]["age_seconds"], 3600);
    assert!(di(&cached, &vc, now).await.is_valid());
    // Without a cache: could not verify, for every format the list decides.
    let gone = load(&net.config(&v, "online = true", ""), Some(&web), now).await;
    assert!(!gone.all_usable());
    let verdict = di(&gone, &vc, now).await;
    assert!(
        matches!(verdict.outcome(), Outcome::CouldNotVerify(r) if r.code == "trust_list_unavailable"),
        "{}",
        verdict.to_text()
    );
    assert!(!gone.dsc_unusable().is_empty());

    // The offline bundle (the cache folder, copied anywhere): valid with
    // no network at all.
    let bundle = load(&net.config(&v, "folder = \"cache\"", ""), None, now).await;
    assert!(bundle.all_usable(), "{:?}", bundle.sources);
    assert!(di(&bundle, &vc, now).await.is_valid());
    assert!(ddcc_hcert::verify(hc1, &bundle.dscs, at).is_ok());

    // Stale: signed longer ago than the limit allows.
    let later = signed_at() + chrono::Duration::hours(49);
    let stale = load(
        &net.config(&v, "folder = \"cache\"\nmax_age_hours = 48", ""),
        None,
        later,
    )
    .await;
    let s = stale.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert_eq!(s.problem.as_ref().unwrap().0, "trust_list_stale");
    let verdict = di(
        &stale,
        &net.issuer.issue(&record, later).await.unwrap(),
        later,
    )
    .await;
    assert!(
        matches!(verdict.outcome(), Outcome::CouldNotVerify(_)),
        "{}",
        verdict.to_text()
    );
}

/// Test helper: the same configuration without its SMART Health Card source.
trait WithoutShc {
    fn tap_shc_empty(self) -> Self;
}

impl WithoutShc for TrustConfig {
    fn tap_shc_empty(mut self) -> Self {
        self.shc.clear();
        self
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_list_or_one_signed_by_another_root_is_refused() {
    let Some(v) = vectors("trust network") else {
        return;
    };
    let mut net = Network::start(&v).await;
    let now = signed_at() + chrono::Duration::hours(1);
    let web = net.policy();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let vc = net.issuer.issue(&record, now).await.unwrap();

    // A service's copy, read while the list was good.
    let refreshing = net.config(&v, "online = true\nmax_age_hours = 2", "");
    let previous = load(&refreshing, Some(&web), now).await;
    assert!(di(&previous, &vc, now).await.is_valid());

    // A sub-list altered after signing: someone adds their own issuer.
    let file = net.dir.path().join("www/trustlist/DDCC/UTO/did.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let intruder = Issuer::new(SecretKey::generate()).unwrap();
    doc["verificationMethod"]
        .as_array_mut()
        .unwrap()
        .push(json!(intruder.did().as_str()));
    std::fs::write(&file, doc.to_string()).unwrap();
    let trust = load(&net.config(&v, "online = true", ""), Some(&web), now).await;
    let s = trust.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert_eq!(s.problem.as_ref().unwrap().0, "trust_list_invalid", "{s:?}");
    let forged = intruder.issue(&record, now).await.unwrap();
    for c in [&vc, &forged] {
        let verdict = di(&trust, c, now).await;
        assert!(
            matches!(verdict.outcome(), Outcome::CouldNotVerify(_)),
            "{}",
            verdict.to_text()
        );
    }
    // A running service refreshing now keeps its last good copy, says
    // so, and never takes the altered list: the intruder stays unknown.
    let later = now + chrono::Duration::minutes(30);
    let refreshed = refreshing
        .refresh(&previous, &verifier_at(later), Some(&web), later)
        .await
        .unwrap();
    let s = refreshed
        .sources
        .iter()
        .find(|s| s.kind == "gdhcn")
        .unwrap();
    assert!(s.problem.is_none(), "{s:?}");
    assert!(
        s.fallback
            .as_deref()
            .unwrap()
            .contains("reading it again failed")
            && s.fallback.as_deref().unwrap().contains("does not verify"),
        "{s:?}"
    );
    assert_eq!(s.loaded_at, now, "the copy read before");
    assert!(di(&refreshed, &vc, later).await.is_valid());
    assert!(matches!(
        di(&refreshed, &forged, later).await.outcome(),
        Outcome::UnknownIssuer(_)
    ));
    // Once that copy is older than its limit, it is stale: could not verify.
    let much_later = signed_at() + chrono::Duration::hours(3);
    let expired = refreshing
        .refresh(&refreshed, &verifier_at(much_later), Some(&web), much_later)
        .await
        .unwrap();
    let s = expired.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert_eq!(s.problem.as_ref().unwrap().0, "trust_list_expired", "{s:?}");
    let fresh_vc = net.issuer.issue(&record, much_later).await.unwrap();
    assert!(matches!(
        di(&expired, &fresh_vc, much_later).await.outcome(),
        Outcome::CouldNotVerify(_)
    ));

    // Re-signed by a root the operator did not name.
    let other = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
    let contexts = ContextRegistry::gdhcn().unwrap();
    let resigned = sign_document(
        &doc,
        &other,
        net.signer_did().as_str(),
        signed_at(),
        &contexts,
    )
    .await
    .unwrap();
    std::fs::write(&file, resigned.to_string()).unwrap();
    let trust = load(&net.config(&v, "online = true", ""), Some(&web), now).await;
    let s = trust.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert_eq!(s.problem.as_ref().unwrap().0, "trust_list_invalid", "{s:?}");
    // Naming that other root instead: the documents the first one signed
    // are refused.
    let signer = net.dir.path().join("other-signer.json");
    net.write_signer(other.verifying_key(), &signer);
    let mut named_other = net.config(&v, "online = true", "");
    named_other.gdhcn[0].signer = vec![signer];
    let trust = load(&named_other, Some(&web), now).await;
    let s = trust.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert!(s.problem.is_some(), "{s:?}");
    // A signer that is not the proof's verification method at all.
    let mut doc = read_json(&v, "gdhcn/who-signing-did/did.json");
    doc["id"] = json!("did:web:example.org");
    doc["verificationMethod"][0]["id"] = json!("did:web:example.org#k");
    let unrelated = net.dir.path().join("unrelated.json");
    std::fs::write(&unrelated, doc.to_string()).unwrap();
    let mut unnamed = net.config(&v, "online = true", "");
    unnamed.gdhcn[0].signer = vec![unrelated];
    let trust = load(&unnamed, Some(&web), now).await;
    let s = trust.sources.iter().find(|s| s.kind == "gdhcn").unwrap();
    assert_eq!(
        s.problem.as_ref().unwrap().0,
        "trust_list_not_anchored",
        "{s:?}"
    );
    net.stop().await;
}

/// The SMART example issuer's card, signed again (with the example
/// issuer's published test key) as issued by `iss`.
fn card_from(v: &Path, iss: &str) -> String {
    example_card(v, "00", iss)
}

/// A SMART example card (`example-NN`), signed again as issued by `iss`.
fn example_card(v: &Path, n: &str, iss: &str) -> String {
    signed_card(v, n, iss, 0)
}

/// A SMART example card signed with the example issuer's `key`-th test key.
fn signed_card(v: &Path, n: &str, iss: &str, key: usize) -> String {
    use p256::ecdsa::signature::Signer as _;
    use std::io::Write as _;
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload = read_json(
        v,
        &format!("smart-health-cards/examples/example-{n}-c-jws-payload-minified.json"),
    );
    payload["iss"] = json!(iss);
    let keys = read_json(
        v,
        "smart-health-cards/issuer-private-test-keys/issuer.jwks.private.json",
    );
    let key = &keys["keys"][key];
    let d = b64url.decode(key["d"].as_str().unwrap()).unwrap();
    let signing = p256::ecdsa::SigningKey::from_slice(&d).unwrap();
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(payload.to_string().as_bytes()).unwrap();
    let body = z.finish().unwrap();
    let header = json!({"zip": "DEF", "alg": "ES256", "kid": key["kid"]});
    let input = format!(
        "{}.{}",
        b64url.encode(header.to_string()),
        b64url.encode(body)
    );
    let sig: p256::ecdsa::Signature = signing.sign(input.as_bytes());
    format!("{input}.{}", b64url.encode(sig.to_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_health_card_issuer_directory_is_fetched_bundled_and_read_offline() {
    let Some(v) = vectors("trust network") else {
        return;
    };
    // An issuer's web site on loopback: its JWKS and its key's CRL.
    let jwks = read_json(&v, "smart-health-cards/issuer/well-known/jwks.json");
    let crl = read_json(
        &v,
        "smart-health-cards/issuer/well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
    );
    let app = axum::Router::new()
        .route(
            "/issuer/.well-known/jwks.json",
            axum::routing::get(move || async move { axum::Json(jwks.clone()) }),
        )
        .route(
            "/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
            axum::routing::get(move || async move { axum::Json(crl.clone()) }),
        );
    let (ca_pem, identity) =
        ddcc_registry::self_signed(&["127.0.0.1".into(), "localhost".into()]).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = ddcc_registry::start(listener, app, Some(&identity))
        .await
        .unwrap();
    let client = ddcc_resolve::NetworkPolicy::default()
        .allow_private_addresses(true)
        .add_root_pem(ca_pem.as_bytes())
        .unwrap()
        .client()
        .unwrap();
    let iss = format!("https://127.0.0.1:{port}/issuer");
    let gone = format!("https://127.0.0.1:{port}/gone");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("directory.json"),
        json!({"participating_issuers": [
            {"iss": iss, "name": "Local test issuer"},
            {"iss": gone, "name": "An issuer whose site is down"}
        ]})
        .to_string(),
    )
    .unwrap();
    let config = |extra: &str| {
        let mut c = TrustConfig::from_toml(&format!(
            "[[shc_directory]]\nname = \"Test directory\"\nfile = \"directory.json\"\nbundle = \"shc-bundle.json\"\n{extra}\n"
        ))
        .unwrap();
        c.base = dir.path().to_owned();
        c
    };
    let now = Utc::now();
    let nbf = 1_700_000_000;
    let card = card_from(&v, &iss);

    let trust = load(&config("online = true"), Some(&client), now).await;
    assert!(trust.all_usable(), "{:?}", trust.sources);
    assert_eq!(trust.sources[0].summary, "2 issuer(s) listed, keys for 1");
    let ok = ddcc_shc::verify(&card, &trust.shc, nbf, 60).unwrap();
    assert_eq!(ok.iss, iss);
    assert!(
        trust
            .shc_vouch(&iss)
            .unwrap()
            .list
            .contains("'Test directory' (Local test issuer)")
    );
    // Listed, but its keys could not be fetched: said so, not unknown.
    let other = card_from(&v, &gone);
    assert_eq!(
        ddcc_shc::verify(&other, &trust.shc, nbf, 60).unwrap_err(),
        ddcc_shc::ShcError::UnknownIssuer
    );
    assert!(trust.shc_unfetched(&gone).is_some());
    assert!(
        trust
            .warnings
            .iter()
            .any(|w| w.contains("could not be fetched"))
    );
    // The revocation list was fetched with the keys: example 03's card is
    // revoked by it.
    assert_eq!(
        ddcc_shc::verify(&example_card(&v, "03", &iss), &trust.shc, nbf, 60).unwrap_err(),
        ddcc_shc::ShcError::Revoked
    );

    // The site gone: the bundle answers, marked.
    server.stop().await;
    let cached = load(&config("online = true"), Some(&client), now).await;
    assert!(
        cached.sources[0]
            .fallback
            .as_deref()
            .unwrap()
            .contains("bundle")
    );
    assert!(ddcc_shc::verify(&card, &cached.shc, nbf, 60).is_ok());
    // Offline, from the bundle alone.
    let offline = load(&config(""), None, now).await;
    assert!(offline.all_usable(), "{:?}", offline.sources);
    assert!(ddcc_shc::verify(&card, &offline.shc, nbf, 60).is_ok());
    // A bundle older than its limit: stale, and every card of the
    // directory's issuers is could not verify.
    let later = now + chrono::Duration::hours(49);
    let stale = load(&config("max_age_hours = 48"), None, later).await;
    assert!(!stale.all_usable());
    assert_eq!(stale.shc_unusable(), ["Test directory"]);
    assert!(ddcc_shc::verify(&card, &stale.shc, nbf, 60).is_err());
    // A bundle edited by hand to add an issuer the directory does not
    // list: ignored.
    let mut bundle: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("shc-bundle.json")).unwrap())
            .unwrap();
    let mut extra = bundle["issuers"][0].clone();
    extra["iss"] = json!("https://intruder.example");
    bundle["issuers"].as_array_mut().unwrap().push(extra);
    std::fs::write(dir.path().join("shc-bundle.json"), bundle.to_string()).unwrap();
    let offline = load(&config(""), None, now).await;
    assert!(offline.shc_vouch("https://intruder.example").is_none());
}

#[test]
fn a_signer_certificate_chain_holds_only_when_its_ca_signed_it() {
    let (leaf, ca) = chain();
    let (other_leaf, other_ca) = chain();
    assert_eq!(ddcc_trust::check_chain(&leaf, &ca), Ok(()));
    // Another CSCA (same name, another key): its signature does not hold.
    let e = ddcc_trust::check_chain(&leaf, &other_ca).unwrap_err();
    assert!(e.contains("did not sign"), "{e}");
    // A certificate that is not a CA cannot vouch for another.
    let e = ddcc_trust::check_chain(&leaf, &other_leaf).unwrap_err();
    assert!(
        e.contains("not the next certificate") || e.contains("not a CA"),
        "{e}"
    );
    assert!(ddcc_trust::check_chain(b"not a certificate", &ca).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_ddcc_trust_list_is_fetched_cached_and_served_from_its_cache() {
    use ddcc_credential::trust::{TrustEntry, TrustList};
    let Some(v) = vectors("trust network") else {
        return;
    };
    let mut net = Network::start(&v).await;
    let now = signed_at() + chrono::Duration::hours(1);
    let anchor = Issuer::new(SecretKey::generate()).unwrap();
    let list = TrustList {
        name: "Published issuers".into(),
        anchor: anchor.did().clone(),
        valid_until: None,
        entries: vec![TrustEntry {
            issuer: net.issuer.did().clone(),
            credential_types: Vec::new(),
            jurisdictions: vec!["UTO".into()],
            until: None,
        }],
    };
    let signed = list.sign(&anchor, signed_at()).await.unwrap();
    let www = net.dir.path().join("www/lists/utopia");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("did.json"), signed.to_string()).unwrap();
    let url = format!("https://127.0.0.1:{}/lists/utopia/did.json", net.port);
    let mut config = TrustConfig::from_toml(&format!(
        "[[ddcc_list]]\nurl = \"{url}\"\nfile = \"utopia-cache.json\"\nanchors = [\"{}\"]\n",
        anchor.did()
    ))
    .unwrap();
    config.base = net.dir.path().to_owned();
    let web = net.policy();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let vc = net.issuer.issue(&record, now).await.unwrap();

    // Without the network and before any fetch: nothing to go on.
    let nothing = load(&config, None, now).await;
    assert_eq!(
        nothing.sources[0].problem.as_ref().unwrap().0,
        "trust_list_unavailable"
    );
    assert!(matches!(
        di(&nothing, &vc, now).await.outcome(),
        Outcome::CouldNotVerify(_)
    ));
    // Fetched: valid, and the copy kept.
    let trust = load(&config, Some(&web), now).await;
    assert!(trust.all_usable(), "{:?}", trust.sources);
    assert!(di(&trust, &vc, now).await.is_valid());
    assert!(net.dir.path().join("utopia-cache.json").exists());
    // The server gone: the cache answers, marked.
    net.stop().await;
    let cached = load(&config, Some(&web), now).await;
    assert!(
        cached.sources[0]
            .fallback
            .as_deref()
            .unwrap()
            .contains("cache"),
        "{:?}",
        cached.sources
    );
    assert!(di(&cached, &vc, now).await.is_valid());
}

#[tokio::test]
async fn a_list_deeper_than_any_real_one_is_refused() {
    // Ten levels of references, each signed: past the depth bound.
    let dir = tempfile::tempdir().unwrap();
    let key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
    let contexts = ContextRegistry::gdhcn().unwrap();
    let signer = "did:web:lists.example:signer";
    let mut levels = vec!["trustlist".to_owned()];
    for _ in 0..10 {
        let id = Did::parse(&format!("did:web:lists.example:{}", levels.join(":"))).unwrap();
        let child = format!("{}:x", id.as_str());
        let signed = sign_document(
            &document(&id, vec![json!(child)]),
            &key,
            signer,
            signed_at(),
            &contexts,
        )
        .await
        .unwrap();
        let folder = levels.iter().fold(dir.path().to_owned(), |p, l| p.join(l));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("did.json"), signed.to_string()).unwrap();
        levels.push("x".into());
    }
    let mut signers = ddcc_trust::Signers::new();
    signers.add_key(signer, *key.verifying_key());
    let source = ddcc_trust::gdhcn::FolderSource::new("lists.example", dir.path());
    let root = Did::parse("did:web:lists.example:trustlist").unwrap();
    let e = ddcc_trust::GdhcnList::load(&source, &root, &signers, &contexts, signed_at())
        .await
        .unwrap_err();
    assert!(matches!(e, ddcc_trust::GdhcnError::TooLarge(_)), "{e}");
    assert_eq!(e.code(), "trust_list_too_large");
}
