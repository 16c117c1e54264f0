//! bbs-2023 on real DDCC credentials, whose objects have no `id` (blank
//! nodes): issue, derive with the checkpoint profile, verify, refuse
//! tampering, and show that two derivations cannot be linked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::Issuer;
use ddcc_credential::bbs::{
    Bbs2023, BbsError, BbsKeyPair, DeriveOptions, Labels, decode_derived_proof, profile_pointers,
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

/// What ddcc always reveals of a DDCC credential (issuer, types,
/// validity, the certificate's issuing authority).
fn mandatory() -> Vec<String> {
    let key = BbsKeyPair::generate().unwrap();
    let m = ddcc_credential::bbs::default_mandatory_pointers(&credential(&key));
    assert!(m.contains(&"/credentialSubject/certificate/issuer".to_owned()));
    m
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
        .block_on(suite.sign_base(
            &vc,
            &key,
            &mandatory(),
            Some("2025-03-01T12:00:00Z"),
            Labels::Structural,
        ))
        .unwrap();
    Setup { suite, key, signed }
}

#[test]
fn a_ddcc_credential_without_ids_issues_derives_and_verifies() {
    let s = setup();
    // The BLS12-381 G2 multicodec prefix: zUC7…, or zUC6… for about one
    // key in 400 (a small first byte).
    assert!(s.key.did_key().starts_with("did:key:zUC"));
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
    // Of the certificate, only its issuing authority (the issuer's public
    // data, a trust list's jurisdiction): not its id, not its version.
    let certificate = subject["certificate"].as_object().unwrap();
    assert_eq!(
        certificate.keys().collect::<Vec<_>>(),
        ["issuer"],
        "{certificate:?}"
    );
    assert_eq!(certificate["issuer"]["country"], "UTO");
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

    // A proof date that is not a dateTimeStamp.
    for (member, value) in [("created", "invalidDate"), ("expires", "2030-01-01")] {
        let mut t = derived.clone();
        t["proof"][member] = value.into();
        let e = verify(&t).unwrap_err();
        assert!(matches!(e, BbsError::Proof(_)), "{member}: {e}");
        assert!(e.to_string().contains(member), "{e}");
    }

    // Verified with another issuer's key.
    let other = BbsKeyPair::generate().unwrap();
    let e = rt()
        .block_on(s.suite.verify_derived(&derived, &other.public_bytes()))
        .unwrap_err();
    assert!(matches!(e, BbsError::Signature(_)), "{e}");
}

/// The same JSON with the members of every object in reverse order.
fn reversed(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .rev()
                .map(|(k, x)| (k.clone(), reversed(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

#[test]
fn structural_labels_do_not_depend_on_the_order_of_members() {
    // A wallet that stores the credential with its members in another
    // order still derives proofs that verify: the labels follow the
    // objects' places (JSON Pointers), not the order they are written in.
    let s = setup();
    let stored = reversed(&s.signed);
    assert_ne!(
        serde_json::to_string(&stored).unwrap(),
        serde_json::to_string(&s.signed).unwrap()
    );
    let options = DeriveOptions {
        selective_pointers: checkpoint(&stored),
        presentation_header: fresh_header(),
    };
    let derived = rt().block_on(s.suite.derive(&stored, &options)).unwrap();
    rt().block_on(s.suite.verify_derived(&derived, &s.key.public_bytes()))
        .unwrap();

    // A base proof whose label key is neither empty nor 32 bytes is refused.
    let mut base =
        ddcc_credential::bbs::decode_base_proof(s.signed["proof"]["proofValue"].as_str().unwrap())
            .unwrap();
    assert!(base.hmac_key.is_empty(), "structural labels: no HMAC key");
    base.hmac_key = zeroize::Zeroizing::new(vec![1; 5]);
    let mut bad = s.signed.clone();
    bad["proof"]["proofValue"] = ddcc_credential::bbs::encode_base_proof(&base)
        .unwrap()
        .into();
    let e = rt().block_on(s.suite.derive(&bad, &options)).unwrap_err();
    assert!(e.to_string().contains("neither 32 bytes nor empty"), "{e}");
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

/// The sample record with other values where the checkpoint profile does
/// not look: another certificate id, lot and vaccination centre.
fn other_person(key: &BbsKeyPair) -> Value {
    let mut vc = credential(key);
    let subject = &mut vc["credentialSubject"];
    subject["certificate"]["hcid"] = "URN:UVCI:01:UT:0F5C0A59E5CB4A7C9D1E3C1C2B0E7A11#4".into();
    subject["vaccination"]["lot"] = "EW0199".into();
    subject["vaccination"]["centre"] = "Vaccination Site 3".into();
    vc
}

/// What a derived proof says besides its BBS proof and presentation
/// header: the label map and the indexes.
fn structure(d: &Value) -> (Vec<(u64, u64)>, Vec<u64>, Vec<u64>) {
    let p = decode_derived_proof(d["proof"]["proofValue"].as_str().unwrap()).unwrap();
    (p.label_map, p.mandatory_indexes, p.selective_indexes)
}

fn raw_proof_value(d: &Value) -> Vec<u8> {
    let v = d["proof"]["proofValue"].as_str().unwrap();
    base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        v.strip_prefix('u').unwrap(),
    )
    .unwrap()
}

/// Every run of at least `len` bytes that `a` and `b` share.
fn common_runs(a: &[u8], b: &[u8], len: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut n = 0;
            while i + n < a.len() && j + n < b.len() && a[i + n] == b[j + n] {
                n += 1;
            }
            // Only maximal runs (not extendable to the left).
            let left = i > 0 && j > 0 && a[i - 1] == b[j - 1];
            if n >= len && !left {
                out.push(a[i..i + n].to_vec());
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Two derivations of one credential, and one of another person's
/// credential with the same disclosed values, all revealing the checkpoint
/// profile under fresh presentation headers.
fn three_derivations(s: &Setup, labels: Labels) -> [Value; 3] {
    let sign = |vc: &Value| {
        rt().block_on(s.suite.sign_base(
            vc,
            &s.key,
            &mandatory(),
            Some("2025-03-01T00:00:00Z"),
            labels,
        ))
        .unwrap()
    };
    let (mine, theirs) = (sign(&credential(&s.key)), sign(&other_person(&s.key)));
    let derive = |signed: &Value| {
        let options = DeriveOptions {
            selective_pointers: checkpoint(signed),
            presentation_header: fresh_header(),
        };
        let d = rt().block_on(s.suite.derive(signed, &options)).unwrap();
        rt().block_on(s.suite.verify_derived(&d, &s.key.public_bytes()))
            .unwrap();
        d
    };
    [derive(&mine), derive(&mine), derive(&theirs)]
}

#[test]
fn two_derivations_cannot_be_linked() {
    let s = setup();
    let [a, b, c] = three_derivations(&s, Labels::Structural);
    // Outside the proof value, all three are exactly the disclosed values
    // and the issuer's proof options.
    let strip = |d: &Value| {
        let mut d = d.clone();
        d["proof"].as_object_mut().unwrap().remove("proofValue");
        d
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(
        strip(&a),
        strip(&c),
        "another credential, the same disclosed values"
    );

    // The cryptographic material (BBS proof, presentation header) of the
    // two derivations of one credential: nothing of 16 bytes in common.
    let crypto = |d: &Value| {
        let p = decode_derived_proof(d["proof"]["proofValue"].as_str().unwrap()).unwrap();
        [p.bbs_proof, p.presentation_header].concat()
    };
    let common_crypto = longest_common(&crypto(&a), &crypto(&b));
    assert!(
        common_crypto < 16,
        "the BBS proofs share {common_crypto} bytes in a row"
    );

    // The rest of the proof value (label map, indexes) is the same for the
    // other person's credential: it follows from the disclosed values and
    // the credential's shape, which every credential of the issuer shares.
    assert_eq!(structure(&a), structure(&b));
    assert_eq!(
        structure(&a),
        structure(&c),
        "the structure tells nothing of the credential"
    );

    // Byte by byte: every run of 16 bytes or more that the two proof values
    // of one credential share is also in the other person's proof value.
    // A shared run of structure borders on random proof bytes, and those
    // are equal in the two derivations by chance one time in 256 on each
    // side, which lengthens the run by a byte or two that the other
    // person's proof value does not have: such a run counts as covered
    // when, less up to two bytes at either end, it is in the other proof
    // value (a chance of 256⁻³ that this hides a real link of 16 bytes).
    let (ra, rb, rc) = (
        raw_proof_value(&a),
        raw_proof_value(&b),
        raw_proof_value(&c),
    );
    let runs = common_runs(&ra, &rb, 16);
    for run in &runs {
        let covered =
            (0..=2).any(|head| (0..=2).any(|tail| contains(&rc, &run[head..run.len() - tail])));
        assert!(
            covered,
            "a run of {} bytes links the two presentations of one credential",
            run.len()
        );
    }
    let (label_map, m, sel) = structure(&a);
    eprintln!(
        "structural labels: proof values of {} and {} bytes; their BBS proofs and headers share \
         at most {common_crypto} bytes in a row; {} runs of 16 bytes or more are shared, the \
         longest {} bytes, all also in another credential's presentation (label map of {} \
         blank nodes, {} + {} indexes)",
        ra.len(),
        rb.len(),
        runs.len(),
        runs.iter().map(Vec::len).max().unwrap_or(0),
        label_map.len(),
        m.len(),
        sel.len(),
    );
}

#[test]
fn the_specifications_shuffled_labels_link_presentations_and_structural_ones_do_not() {
    let s = setup();
    // The specification's labels: the shuffle, fixed per credential by its
    // HMAC key, shows in the label map and indexes of every presentation,
    // and tells this credential from the other person's.
    let [a, b, c] = three_derivations(&s, Labels::Hmac(None));
    assert_eq!(structure(&a), structure(&b));
    assert_ne!(
        structure(&a),
        structure(&c),
        "HMAC labels tell the credentials apart"
    );

    // Over many credentials of one shape and the same disclosed values:
    // how many structures a verifier sees under each scheme.
    let count = |labels: Labels| {
        let mut seen = std::collections::HashSet::new();
        for i in 0..12 {
            let vc = if i % 2 == 0 {
                credential(&s.key)
            } else {
                other_person(&s.key)
            };
            let signed = rt()
                .block_on(s.suite.sign_base(&vc, &s.key, &mandatory(), None, labels))
                .unwrap();
            let options = DeriveOptions {
                selective_pointers: checkpoint(&signed),
                presentation_header: fresh_header(),
            };
            let d = rt()
                .block_on(s.suite.derive_transform(&signed, &options))
                .unwrap();
            seen.insert((
                d.proof.label_map,
                d.proof.mandatory_indexes,
                d.proof.selective_indexes,
            ));
        }
        seen.len()
    };
    let (hmac, structural) = (count(Labels::Hmac(None)), count(Labels::Structural));
    eprintln!(
        "distinct label map and index structures among 12 credentials: {hmac} with HMAC labels, \
         {structural} with structural labels"
    );
    assert_eq!(structural, 1);
    assert!(
        hmac > 6,
        "{hmac} structures among 12 HMAC-labelled credentials"
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
    assert!(v.is_authentic(), "{:?}", v.to_json());
    assert_eq!(status(&v, Check::Proof), Some(CheckStatus::Passed));
    assert_eq!(status(&v, Check::Issuer), Some(CheckStatus::Passed));
    assert_eq!(status(&v, Check::Validity), Some(CheckStatus::Passed));
    assert_eq!(status(&v, Check::Schema), Some(CheckStatus::NotApplicable));

    // After validUntil (2031-07-08): invalid on validity, proof still good.
    let v = rt().block_on(at(2032, 1, 1).verify(&derived, Checks::all()));
    assert!(!v.is_authentic());
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

    // Trust: accredited in a trust list signed by an anchor, the BLS
    // issuer is trusted; a list without it makes it an unknown issuer.
    {
        use ddcc_credential::trust::{TrustEntry, TrustList, TrustPolicy};
        let anchor = Issuer::new(SecretKey::generate()).unwrap();
        let when = Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).single().unwrap();
        let policy = |issuers: Vec<ddcc_core::Did>| {
            let list = TrustList {
                name: "Utopia health certificate issuers".into(),
                anchor: anchor.did().clone(),
                valid_until: Some(when + chrono::Duration::days(365)),
                entries: issuers
                    .into_iter()
                    .map(|issuer| TrustEntry {
                        issuer,
                        credential_types: vec!["DDCCVaccinationCredential".into()],
                        jurisdictions: vec!["UTO".into()],
                        until: None,
                    })
                    .collect(),
            };
            let signed = rt().block_on(list.sign(&anchor, when)).unwrap();
            let read = rt()
                .block_on(TrustList::verify(
                    &signed,
                    &[anchor.did().clone()],
                    &at(2026, 1, 1),
                ))
                .unwrap();
            TrustPolicy::List(read)
        };
        let bls = ddcc_core::Did::parse(&s.key.did_key()).unwrap();
        let v = rt().block_on(
            at(2026, 1, 1)
                .with_trust(policy(vec![bls]))
                .verify(&derived, Checks::all()),
        );
        assert!(v.is_valid(), "{}", v.to_text());
        assert_eq!(status(&v, Check::Trust), Some(CheckStatus::Passed));
        let other = ddcc_core::Did::parse(&BbsKeyPair::generate().unwrap().did_key()).unwrap();
        let v = rt().block_on(
            at(2026, 1, 1)
                .with_trust(policy(vec![other]))
                .verify(&derived, Checks::all()),
        );
        assert_eq!(
            status(&v, Check::Trust),
            Some(CheckStatus::Failed),
            "{}",
            v.to_text()
        );
        assert_eq!(v.to_json()["verdict"], "unknown_issuer", "{}", v.to_json());
    }

    // The base credential is the holder's, not for verifiers.
    let v = rt().block_on(at(2026, 1, 1).verify(&s.signed, Checks::all()));
    assert_eq!(status(&v, Check::Proof), Some(CheckStatus::Failed));
    assert!(
        v.to_json().to_string().contains("base proof"),
        "{}",
        v.to_json()
    );
}

#[test]
fn status_lists_signed_by_the_bbs_issuer_revoke_and_suspend_derived_credentials() {
    use ddcc_credential::{Checks, FixedClock, Outcome, Verifier};
    use ddcc_status::{GivenLists, Purpose, StatusEntry, StatusList};
    use std::sync::Arc;
    const REVOCATION: &str = "https://status.example/bbs/revocation-1.json";
    const SUSPENSION: &str = "https://status.example/bbs/suspension-1.json";
    let s = setup();
    let mut vc = credential(&s.key);
    vc["credentialStatus"] = Value::Array(
        [
            (Purpose::Revocation, REVOCATION),
            (Purpose::Suspension, SUSPENSION),
        ]
        .iter()
        .map(|(purpose, url)| {
            StatusEntry {
                purpose: *purpose,
                index: 4_242,
                list_url: (*url).into(),
            }
            .to_json()
        })
        .collect(),
    );
    let pointers = ddcc_credential::bbs::default_mandatory_pointers(&vc);
    assert!(pointers.contains(&"/credentialStatus".to_owned()));
    let signed = rt()
        .block_on(
            s.suite
                .sign_base(&vc, &s.key, &pointers, None, Labels::Structural),
        )
        .unwrap();
    let options = DeriveOptions {
        selective_pointers: checkpoint(&signed),
        presentation_header: fresh_header(),
    };
    let derived = rt().block_on(s.suite.derive(&signed, &options)).unwrap();
    assert_eq!(derived["credentialStatus"][0]["statusListIndex"], "4242");

    let at = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).single().unwrap();
    let verifier = |revoked: bool, suspended: bool, signer: &BbsKeyPair| {
        let mut lists = GivenLists::new();
        for (purpose, url, set) in [
            (Purpose::Revocation, REVOCATION, revoked),
            (Purpose::Suspension, SUSPENSION, suspended),
        ] {
            let mut list = StatusList::new(url, purpose);
            list.bits.set(4_242, set).unwrap();
            let published = rt()
                .block_on(s.suite.sign_status_list(
                    &list,
                    signer,
                    at - chrono::Duration::hours(1),
                    None,
                ))
                .unwrap();
            // What a verifier fetches is a derived proof revealing everything.
            assert!(
                published["proof"]["proofValue"]
                    .as_str()
                    .unwrap()
                    .starts_with("u2V0D")
            );
            lists.add(published, at.timestamp()).unwrap();
        }
        Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(at))
            .unwrap()
            .with_status_lists(Arc::new(lists), chrono::Duration::hours(24))
    };
    let v = rt().block_on(verifier(false, false, &s.key).verify(&derived, Checks::all()));
    assert!(v.is_authentic(), "{}", v.to_text());
    let v = rt().block_on(verifier(true, false, &s.key).verify(&derived, Checks::all()));
    assert!(
        matches!(v.outcome(), Outcome::Revoked(_)),
        "{}",
        v.to_text()
    );
    let v = rt().block_on(verifier(false, true, &s.key).verify(&derived, Checks::all()));
    assert!(
        matches!(v.outcome(), Outcome::Suspended(_)),
        "{}",
        v.to_text()
    );
    // Lists signed by another BLS key are not the issuer's: status unknown.
    let other = BbsKeyPair::generate().unwrap();
    let v = rt().block_on(verifier(true, false, &other).verify(&derived, Checks::all()));
    assert_eq!(v.exit_code(), 2, "{}", v.to_text());
    assert!(
        v.to_text()
            .contains("not issued by the credential's issuer"),
        "{}",
        v.to_text()
    );
}

#[test]
fn a_bbs_proof_with_identity_points_is_refused_before_any_check() {
    // With Abar = Bbar = identity the pairing check holds for every key,
    // which would let anyone make a proof for any statements
    // (tests/bbs_arithmetic.rs shows the forgery); such a proof does not
    // decode.
    let s = setup();
    let options = DeriveOptions {
        selective_pointers: checkpoint(&s.signed),
        presentation_header: fresh_header(),
    };
    let derived = rt().block_on(s.suite.derive(&s.signed, &options)).unwrap();
    let mut proof = decode_derived_proof(derived["proof"]["proofValue"].as_str().unwrap()).unwrap();
    let mut identity = [0u8; 48];
    identity[0] = 0xc0;
    proof.bbs_proof[..48].copy_from_slice(&identity);
    proof.bbs_proof[48..96].copy_from_slice(&identity);
    let mut forged = derived.clone();
    forged["proof"]["proofValue"] = ddcc_credential::bbs::encode_derived_proof(&proof)
        .unwrap()
        .into();
    let e = rt()
        .block_on(s.suite.verify_derived(&forged, &s.key.public_bytes()))
        .unwrap_err();
    assert_eq!(e, BbsError::Proof("the BBS proof does not decode".into()));
}
