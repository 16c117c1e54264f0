//! bbs-2023 on real DDCC credentials, whose objects have no `id` (blank
//! nodes): issue, derive with the checkpoint profile, verify, refuse
//! tampering, and show that two derivations cannot be linked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::Issuer;
use ddcc_credential::bbs::{
    Bbs2023, BbsError, BbsKeyPair, DeriveOptions, decode_derived_proof, encode_derived_proof,
    profile_pointers,
};
use ddcc_credential::sdjwt::builtin_profiles;
use ddcc_crypto::SecretKey;
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn ids_in(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "id" || k == "@id" {
                    out.push(format!("{path}/{k}"));
                }
                if k != "@context" {
                    ids_in(x, &format!("{path}/{k}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                ids_in(x, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// An unsigned DDCC vaccination credential with no `id` anywhere, issued
/// by the BBS key's DID.
fn credential(key: &BbsKeyPair) -> Value {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap();
    let mut vc = issuer.credential_from_record(&record, now).unwrap();
    vc.as_object_mut().unwrap().remove("id");
    vc["issuer"] = key.did_key().into();
    let mut ids = Vec::new();
    ids_in(&vc, "", &mut ids);
    // The only identifier is the schema's public URL, the same in every
    // credential; the credential, its subject and events are blank nodes.
    assert_eq!(ids, ["/credentialSchema/id"], "no other object has an id");
    vc
}

const MANDATORY: &[&str] = &["/issuer", "/type", "/validFrom", "/validUntil"];

fn mandatory() -> Vec<String> {
    MANDATORY.iter().map(|s| (*s).to_owned()).collect()
}

fn checkpoint(vc: &Value) -> Vec<String> {
    let profiles = builtin_profiles();
    let p = profiles.iter().find(|p| p.name == "checkpoint").unwrap();
    profile_pointers(vc, &p.reveal)
}

fn fresh_header() -> Vec<u8> {
    let mut h = vec![0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut h);
    h
}

struct Setup {
    suite: Bbs2023,
    key: BbsKeyPair,
    signed: Value,
}

fn setup() -> Setup {
    let suite = Bbs2023::new(ContextRegistry::builtin().unwrap()).unwrap();
    let key = BbsKeyPair::generate().unwrap();
    let vc = credential(&key);
    let signed = rt()
        .block_on(suite.sign_base(&vc, &key, &mandatory(), Some("2025-03-01T12:00:00Z"), None))
        .unwrap();
    Setup { suite, key, signed }
}

#[test]
fn a_ddcc_credential_without_ids_issues_derives_and_verifies() {
    let s = setup();
    assert!(s.key.did_key().starts_with("did:key:zUC7"));
    let pointers = checkpoint(&s.signed);
    assert!(pointers.contains(&"/credentialSubject/vaccination/date".to_owned()));
    let options = DeriveOptions {
        selective_pointers: pointers,
        presentation_header: fresh_header(),
    };
    let derived = rt().block_on(s.suite.derive(&s.signed, &options)).unwrap();
    rt().block_on(s.suite.verify_derived(&derived, &s.key.public_bytes()))
        .unwrap();

    // What the checkpoint sees: the profile's facts and the mandatory members.
    let subject = &derived["credentialSubject"];
    assert_eq!(subject["name"], "Jane Sue Citizen");
    assert_eq!(subject["birthDate"], "1961-05-15");
    assert_eq!(subject["vaccination"]["date"], "2021-06-24");
    assert_eq!(subject["vaccination"]["dose"], 2);
    assert_eq!(subject["vaccination"]["brand"]["code"], "XM8NQ0");
    assert_eq!(derived["issuer"], s.key.did_key().as_str());
    assert!(derived.get("validFrom").is_some() && derived.get("validUntil").is_some());
    // What it does not: lot, centre, the certificate id, given names.
    let text = derived.to_string();
    for hidden in [
        "PT123F",
        "Vaccination Site 12",
        "URN:UVCI",
        "familyName\":\"Citizen",
    ] {
        assert!(!text.contains(hidden), "{hidden} is not revealed");
    }
    assert!(subject["vaccination"].get("lot").is_none());
    assert!(subject.get("certificate").is_none());
    // No temporary identifier leaks into what is shown.
    let mut ids = Vec::new();
    ids_in(&derived, "", &mut ids);
    assert_eq!(ids, Vec::<String>::new());
    assert!(!text.contains("urn:bnid"));
}

#[test]
fn tampered_derived_credentials_are_refused_with_their_reason() {
    let s = setup();
    let options = DeriveOptions {
        selective_pointers: checkpoint(&s.signed),
        presentation_header: fresh_header(),
    };
    let derived = rt().block_on(s.suite.derive(&s.signed, &options)).unwrap();
    let verify = |d: &Value| rt().block_on(s.suite.verify_derived(d, &s.key.public_bytes()));

    let mut t = derived.clone();
    t["credentialSubject"]["vaccination"]["date"] = "2021-01-01".into();
    let e = verify(&t).unwrap_err();
    assert!(matches!(e, BbsError::Signature(_)), "{e}");
    assert_eq!(e.check(), "signature");
    assert!(!e.to_string().contains("2021"), "no values in errors: {e}");

    // A hidden member added back (the holder cannot reveal unsigned data).
    let mut t = derived.clone();
    t["credentialSubject"]["vaccination"]["lot"] = "PT123F".into();
    let e = verify(&t).unwrap_err();
    assert!(
        matches!(e, BbsError::Proof(_) | BbsError::Signature(_)),
        "{e}"
    );

    // A mandatory member removed.
    let mut t = derived.clone();
    t.as_object_mut().unwrap().remove("validUntil");
    assert!(verify(&t).is_err());

    // The dose changed (2 → 3).
    let mut t = derived.clone();
    t["credentialSubject"]["vaccination"]["dose"] = 3.into();
    assert!(matches!(verify(&t).unwrap_err(), BbsError::Signature(_)));
    // Written as a string, the dose is the same statement (the context
    // types it xsd:integer), so it still verifies: RDF is what is signed.
    let mut t = derived.clone();
    t["credentialSubject"]["vaccination"]["dose"] = "2".into();
    verify(&t).unwrap();

    // Verified with another issuer's key.
    let other = BbsKeyPair::generate().unwrap();
    let e = rt()
        .block_on(s.suite.verify_derived(&derived, &other.public_bytes()))
        .unwrap_err();
    assert!(matches!(e, BbsError::Signature(_)), "{e}");
}

/// Longest byte string that occurs in both inputs (dynamic programming).
fn longest_common(a: &[u8], b: &[u8]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut best = 0;
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

#[test]
fn two_derivations_cannot_be_linked() {
    let s = setup();
    let options = |ph| DeriveOptions {
        selective_pointers: checkpoint(&s.signed),
        presentation_header: ph,
    };
    let a = rt()
        .block_on(s.suite.derive(&s.signed, &options(fresh_header())))
        .unwrap();
    let b = rt()
        .block_on(s.suite.derive(&s.signed, &options(fresh_header())))
        .unwrap();
    for d in [&a, &b] {
        rt().block_on(s.suite.verify_derived(d, &s.key.public_bytes()))
            .unwrap();
    }
    // Outside the proof value, both are exactly the disclosed values and the
    // issuer's public proof options.
    let strip = |d: &Value| {
        let mut d = d.clone();
        d["proof"].as_object_mut().unwrap().remove("proofValue");
        d
    };
    assert_eq!(strip(&a), strip(&b));

    // The proof values: byte by byte, nothing of 16 bytes or more in common.
    let raw = |d: &Value| {
        let v = d["proof"]["proofValue"].as_str().unwrap();
        base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            v.strip_prefix('u').unwrap(),
        )
        .unwrap()
    };
    let (pa, pb) = (
        decode_derived_proof(a["proof"]["proofValue"].as_str().unwrap()).unwrap(),
        decode_derived_proof(b["proof"]["proofValue"].as_str().unwrap()).unwrap(),
    );
    // The cryptographic material (BBS proof, presentation header): nothing
    // of 16 bytes or more in common.
    let crypto = |p: &ddcc_credential::bbs::DerivedProof| {
        [p.bbs_proof.clone(), p.presentation_header.clone()].concat()
    };
    let common_crypto = longest_common(&crypto(&pa), &crypto(&pb));
    assert!(
        common_crypto < 16,
        "the BBS proofs share {common_crypto} bytes in a row"
    );

    // What the two proof values do share is the bbs-2023 structure: the
    // revealed quads' positions and the shuffled blank node numbers
    // (fixed per credential by its HMAC key, as the specification's
    // baseline makes them). Measure it: the longest common run of the
    // whole proof values lies within that structure.
    assert_eq!(pa.mandatory_indexes, pb.mandatory_indexes);
    assert_eq!(pa.selective_indexes, pb.selective_indexes);
    assert_eq!(pa.label_map, pb.label_map);
    let mut structure = pa.clone();
    structure.bbs_proof.clear();
    structure.presentation_header.clear();
    let structure_len = raw(&serde_json::json!({"proof": {
        "proofValue": encode_derived_proof(&structure).unwrap()
    }}))
    .len();
    let (ra, rb) = (raw(&a), raw(&b));
    let common = longest_common(&ra, &rb);
    eprintln!(
        "derived proof values: {} and {} bytes; BBS proof {} bytes; longest common run: \
         {common_crypto} bytes in the BBS proof and header, {common} in the whole value; \
         structure (label map of {} blank nodes, {} + {} indexes) {structure_len} bytes",
        ra.len(),
        rb.len(),
        pa.bbs_proof.len(),
        pa.label_map.len(),
        pa.mandatory_indexes.len(),
        pa.selective_indexes.len(),
    );
    assert!(common <= structure_len, "{common} > {structure_len}");

    // That structure is fixed per credential (by its HMAC key), so it tells
    // credentials apart: 40 credentials of the same record, derived alike.
    let mut seen = std::collections::HashSet::new();
    for _ in 0..40 {
        let key = BbsKeyPair::generate().unwrap();
        let signed = rt()
            .block_on(
                s.suite
                    .sign_base(&credential(&key), &key, &mandatory(), None, None),
            )
            .unwrap();
        let d = rt()
            .block_on(s.suite.derive_transform(&signed, &options(fresh_header())))
            .unwrap();
        seen.insert((
            d.proof.label_map,
            d.proof.mandatory_indexes,
            d.proof.selective_indexes,
        ));
    }
    eprintln!(
        "distinct label map and index structures among 40 credentials: {}",
        seen.len()
    );
}

#[test]
fn the_verifier_checks_a_derived_credential_like_any_other() {
    use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, Verifier};
    let s = setup();
    let options = DeriveOptions {
        selective_pointers: checkpoint(&s.signed),
        presentation_header: fresh_header(),
    };
    let derived = rt().block_on(s.suite.derive(&s.signed, &options)).unwrap();
    let at = |y, m, d| {
        Verifier::new(
            ContextRegistry::builtin().unwrap(),
            FixedClock(Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap()),
        )
        .unwrap()
    };
    let status = |v: &ddcc_credential::Verdict, c: Check| v.report(c).map(|x| x.status);

    let v = rt().block_on(at(2026, 1, 1).verify(&derived, Checks::all()));
    assert!(v.is_valid(), "{:?}", v.to_json());
    assert_eq!(status(&v, Check::Proof), Some(CheckStatus::Passed));
    assert_eq!(status(&v, Check::Issuer), Some(CheckStatus::Passed));
    assert_eq!(status(&v, Check::Validity), Some(CheckStatus::Passed));
    assert_eq!(status(&v, Check::Schema), Some(CheckStatus::NotApplicable));

    // After validUntil (2031-07-08): invalid on validity, proof still good.
    let v = rt().block_on(at(2032, 1, 1).verify(&derived, Checks::all()));
    assert!(!v.is_valid());
    assert_eq!(status(&v, Check::Validity), Some(CheckStatus::Failed));
    assert_eq!(status(&v, Check::Proof), Some(CheckStatus::Passed));

    // Tampered: the proof check fails, naming the signature.
    let mut t = derived.clone();
    t["credentialSubject"]["birthDate"] = "1971-05-15".into();
    let v = rt().block_on(at(2026, 1, 1).verify(&t, Checks::all()));
    let j = v.to_json();
    assert_eq!(status(&v, Check::Proof), Some(CheckStatus::Failed), "{j}");
    assert!(j.to_string().contains("signature_mismatch"), "{j}");
    assert!(!j.to_string().contains("1971"), "no values in verdicts");

    // Another issuer claimed: the key is not the issuer's.
    let mut t = derived.clone();
    t["issuer"] = BbsKeyPair::generate().unwrap().did_key().into();
    let v = rt().block_on(at(2026, 1, 1).verify(&t, Checks::all()));
    assert_eq!(status(&v, Check::Issuer), Some(CheckStatus::Failed));

    // The base credential is the holder's, not for verifiers.
    let v = rt().block_on(at(2026, 1, 1).verify(&s.signed, Checks::all()));
    assert_eq!(status(&v, Check::Proof), Some(CheckStatus::Failed));
    assert!(
        v.to_json().to_string().contains("base proof"),
        "{}",
        v.to_json()
    );
}
