//! Random edits of a signed credential never panic the verifier, and never
//! verify unless the edit left the credential as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Checks, FixedClock, Issuer, Verifier};
use ddcc_crypto::SecretKey;
use proptest::prelude::*;
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

fn pointers(v: &Value, path: String, out: &mut Vec<String>) {
    out.push(path.clone());
    match v {
        Value::Object(o) => o.iter().for_each(|(k, c)| {
            pointers(
                c,
                format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| pointers(c, format!("{path}/{i}"), out)),
        _ => {}
    }
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[\\PC]{0,8}".prop_map(Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        Just(serde_json::json!({"@value": "x"})),
        Just(Value::from("https://www.w3.org/ns/credentials/v2")),
    ]
}

struct Fixture {
    vc: Value,
    verifier: Verifier,
}

/// Issued once: a signed credential and a verifier at a fixed time.
static FIXTURE: std::sync::LazyLock<Fixture> = std::sync::LazyLock::new(|| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().unwrap();
    let issuer = Issuer::new(SecretKey::from_seed(&[5u8; 32]).unwrap()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let vc = rt.block_on(issuer.issue(&record, now)).unwrap();
    let verifier = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now)).unwrap();
    Fixture { vc, verifier }
});

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn edits_never_panic_and_never_verify(index in any::<prop::sample::Index>(), new in replacement(), remove in any::<bool>()) {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let vc = &FIXTURE.vc;
        let mut paths = Vec::new();
        pointers(vc, String::new(), &mut paths);
        let path = &paths[1 + index.index(paths.len() - 1)];
        let mut edited = vc.clone();
        let (parent, last) = path.rsplit_once('/').unwrap();
        match edited.pointer_mut(parent).unwrap() {
            Value::Object(o) if remove => { o.remove(&last.replace("~1", "/").replace("~0", "~")); }
            Value::Array(a) if remove => { a.remove(last.parse::<usize>().unwrap()); }
            _ => *edited.pointer_mut(path).unwrap() = new,
        }
        let verdict = rt.block_on(FIXTURE.verifier.verify(&edited, Checks::all()));
        prop_assert!(!verdict.to_text().is_empty());
        if verdict.is_authentic() {
            prop_assert_eq!(&edited, vc, "an edit at {} verified", path);
        }
    }
}
