//! WHO GDHCN trust lists (`gdhcn/` vectors): every DEV document's
//! `JsonWebSignature2020` proof verifies under WHO's DEV signing DID; the
//! IG examples (edited after signing) and altered copies are refused; a
//! list signed by a root the operator did not name is refused; the list
//! read from its folder gives the EU DCC signers with their chains.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_core::Did;
use ddcc_test_support::{read_json, vectors};
use ddcc_trust::gdhcn::{self, FolderSource, GdhcnError, GdhcnList, Signers};
use serde_json::Value;

const DEV_DOCUMENTS: [&str; 8] = [
    "tng-cdn-dev/v2/trustlist/DCC/XXA/DSC/did.json",
    "tng-cdn-dev/v2/trustlist/DCC/XXA/did.json",
    "tng-cdn-dev/v2/trustlist/DDCC/XXA/did.json",
    "tng-cdn-dev/v2/trustlist/-/BRB/DSC/did.json",
    "tng-cdn-dev/v2/trustlist/DCC/WHO/did.json",
    "tng-cdn-dev/v2/trustlist-ref/did.json",
    "tng-cdn-dev/v2/trustlist-ref/DCC/XXA/did.json",
    "tng-cdn-dev/v2/trustlist-ref/DCC/XXA/DSC/did.json",
];

fn who_signers(dir: &std::path::Path) -> Signers {
    let mut s = Signers::new();
    assert_eq!(
        s.add_document(&read_json(dir, "gdhcn/who-signing-did/did.json"))
            .unwrap(),
        1
    );
    s
}

#[tokio::test]
async fn every_dev_document_verifies_under_the_who_signer() {
    let Some(dir) = vectors("gdhcn_vectors") else {
        return;
    };
    let signers = who_signers(&dir);
    let contexts = ContextRegistry::gdhcn().unwrap();
    for rel in DEV_DOCUMENTS {
        let doc = read_json(&dir, &format!("gdhcn/{rel}"));
        let signer = gdhcn::verify_document(&doc, &signers, &contexts)
            .await
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(
            signer,
            "did:web:raw.githubusercontent.com:WorldHealthOrganization:tng-participants-dev:main:WHO:signing:DID"
        );
    }
}

#[tokio::test]
async fn altered_documents_are_refused() {
    let Some(dir) = vectors("gdhcn_vectors") else {
        return;
    };
    let signers = who_signers(&dir);
    let contexts = ContextRegistry::gdhcn().unwrap();
    let doc = read_json(&dir, "gdhcn/tng-cdn-dev/v2/trustlist/DCC/XXA/DSC/did.json");
    // A key swapped for the attacker's: the x coordinate changed.
    let mut swapped = doc.clone();
    swapped["verificationMethod"][0]["publicKeyJwk"]["x"] =
        Value::from("AAdNVtZixJhhqsJS_yx--a_bLQaMMQj48CSb_3adr_MA");
    // A participant renamed.
    let mut moved = doc.clone();
    moved["verificationMethod"][0]["participant"]["code"] = Value::from("#XXB");
    // A key added to a list that had none.
    let mut empty = read_json(&dir, "gdhcn/tng-cdn-dev/v2/trustlist/DCC/WHO/did.json");
    empty["verificationMethod"] = doc["verificationMethod"].clone();
    // The proof's created date moved.
    let mut redated = doc.clone();
    redated["proof"]["created"] = Value::from("2026-12-01T00:00:00Z");
    for (what, d) in [
        ("swapped key", swapped),
        ("moved participant", moved),
        ("added key", empty),
        ("redated proof", redated),
    ] {
        let e = gdhcn::verify_document(&d, &signers, &contexts)
            .await
            .expect_err(what);
        assert!(matches!(e, GdhcnError::Signature { .. }), "{what}: {e}");
        assert_eq!(e.code(), "trust_list_invalid");
    }
    // No proof at all.
    let mut bare = doc.clone();
    bare.as_object_mut().unwrap().remove("proof");
    let e = gdhcn::verify_document(&bare, &signers, &contexts)
        .await
        .unwrap_err();
    assert!(matches!(e, GdhcnError::Unsigned { .. }), "{e}");
}

#[tokio::test]
async fn the_ig_examples_do_not_verify() {
    let Some(dir) = vectors("gdhcn_vectors") else {
        return;
    };
    // SOURCES.md: the IG text was edited after signing; a verifier given
    // WHO's key must report the signature as invalid. Their proofs name
    // WHO's signing DID by another id, so it is named here under theirs.
    let contexts = ContextRegistry::gdhcn().unwrap();
    let who = read_json(&dir, "gdhcn/who-signing-did/did.json");
    let key = gdhcn::p256_from_jwk(&who["verificationMethod"][0]["publicKeyJwk"]).unwrap();
    for rel in [
        "gdhcn/smart-trust-ig-examples/trustlist.DCC.XXA.DSC.json",
        "gdhcn/smart-trust-ig-examples/trustlist-ref.DCC.XXA.DSC.json",
    ] {
        let doc = read_json(&dir, rel);
        let vm = doc["proof"]["verificationMethod"].as_str().unwrap();
        let mut signers = Signers::new();
        signers.add_key(vm, key);
        let e = gdhcn::verify_document(&doc, &signers, &contexts)
            .await
            .expect_err(rel);
        assert!(matches!(e, GdhcnError::Signature { .. }), "{rel}: {e}");
    }
}

#[tokio::test]
async fn a_list_signed_by_a_root_the_operator_did_not_name_is_refused() {
    let Some(dir) = vectors("gdhcn_vectors") else {
        return;
    };
    let contexts = ContextRegistry::gdhcn().unwrap();
    let doc = read_json(&dir, "gdhcn/tng-cdn-dev/v2/trustlist/DCC/XXA/DSC/did.json");
    // Another P-256 key under another DID.
    let other = serde_json::json!({
        "id": "did:web:example.org",
        "verificationMethod": [{
            "id": "did:web:example.org#k",
            "type": "JsonWebKey2020",
            "publicKeyJwk": {"kty": "EC", "crv": "P-256",
                "x": "mB9T6oJ57ZKlC1f150-34M3JkxN22Ld1BQVPqJfgH6k",
                "y": "vW7GmCn5eNzbjdjI8PYWvanovWIIYoqv0ZE_lvuD2d8"}
        }]
    });
    let mut signers = Signers::new();
    signers.add_document(&other).unwrap();
    let e = gdhcn::verify_document(&doc, &signers, &contexts)
        .await
        .unwrap_err();
    assert!(matches!(e, GdhcnError::UnknownSigner { .. }), "{e}");
    assert_eq!(e.code(), "trust_list_not_anchored");
    // No signer at all.
    let e = gdhcn::verify_document(&doc, &Signers::new(), &contexts)
        .await
        .unwrap_err();
    assert!(matches!(e, GdhcnError::UnknownSigner { .. }), "{e}");
}

#[tokio::test]
async fn the_dev_list_read_from_its_folder() {
    let Some(dir) = vectors("gdhcn_vectors") else {
        return;
    };
    let signers = who_signers(&dir);
    let contexts = ContextRegistry::gdhcn().unwrap();
    let folder = FolderSource::new("tng-cdn-dev.who.int", &dir.join("gdhcn/tng-cdn-dev"));
    let now = Utc.with_ymd_and_hms(2026, 8, 23, 0, 0, 0).unwrap();
    // The embedded participant list of XXA in the DCC domain.
    let root = Did::parse("did:web:tng-cdn-dev.who.int:v2:trustlist:DCC:XXA").unwrap();
    let list = GdhcnList::load(&folder, &root, &signers, &contexts, now)
        .await
        .unwrap();
    assert_eq!(list.keys.len(), 7, "CSCA, DECA, DSC, DESC keys");
    let dsc = list.key("XPjhL9Znd1M=").expect("the DSC of XXA");
    assert_eq!(dsc.placement.participant.as_deref(), Some("XXA"));
    assert_eq!(dsc.placement.key_usage.as_deref(), Some("DSC"));
    assert!(list.signed_at.is_some());
    // The reference list: the DSC document is reached through references.
    let root = Did::parse("did:web:tng-cdn-dev.who.int:v2:trustlist-ref:DCC:XXA").unwrap();
    let list = GdhcnList::load(&folder, &root, &signers, &contexts, now)
        .await
        .unwrap();
    assert!(
        list.documents
            .contains("did:web:tng-cdn-dev.who.int:v2:trustlist-ref:DCC:XXA:DSC"),
        "{:?}",
        list.documents
    );
    // A folder with an altered sub-list: the whole list is refused.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("v2/trustlist/DCC/XXA/DSC");
    std::fs::create_dir_all(&copy).unwrap();
    let parent = tmp.path().join("v2/trustlist/DCC/XXA");
    std::fs::copy(
        dir.join("gdhcn/tng-cdn-dev/v2/trustlist/DCC/XXA/did.json"),
        parent.join("did.json"),
    )
    .unwrap();
    let mut leaf = read_json(&dir, "gdhcn/tng-cdn-dev/v2/trustlist/DCC/XXA/DSC/did.json");
    leaf["verificationMethod"][0]["publicKeyJwk"]["kid"] = Value::from("AAAAAAAAAAA=");
    std::fs::write(copy.join("did.json"), leaf.to_string()).unwrap();
    let folder = FolderSource::new("tng-cdn-dev.who.int", tmp.path());
    let root = Did::parse("did:web:tng-cdn-dev.who.int:v2:trustlist:DCC:XXA").unwrap();
    let list = GdhcnList::load(&folder, &root, &signers, &contexts, now)
        .await
        .unwrap();
    // XXA's participant document is embedded (no references): the altered
    // leaf is not part of it, so the list holds.
    assert_eq!(list.keys.len(), 7);
    let root = Did::parse("did:web:tng-cdn-dev.who.int:v2:trustlist:DCC:XXA:DSC").unwrap();
    let e = GdhcnList::load(&folder, &root, &signers, &contexts, now)
        .await
        .unwrap_err();
    assert!(matches!(e, GdhcnError::Signature { .. }), "{e}");
}
