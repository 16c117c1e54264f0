//! Arbitrary JSON never makes the fast path panic: it converts or refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_assets::ContextRegistry;
use ddcc_ld::Processor;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id".to_owned()),
        Just("type".to_owned()),
        Just("@context".to_owned()),
        Just("@value".to_owned()),
        Just("name".to_owned()),
        Just("credentialSubject".to_owned()),
        Just("vaccination".to_owned()),
        Just("dose".to_owned()),
        Just("system".to_owned()),
        Just("certificate".to_owned()),
        Just("issuer".to_owned()),
        Just("proof".to_owned()),
        Just("_:b".to_owned()),
        Just("https://example.org/p".to_owned()),
        "[a-z:_@/]{0,6}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[\\PC\\t\\n]{0,10}".prop_map(Value::from),
        Just(Value::from("https://www.w3.org/ns/credentials/v2")),
        Just(Value::from("did:example:x")),
        Just(Value::from("VerifiableCredential")),
        Just(Value::from("_:b0")),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_json_converts_or_refuses(body in value(), contexts in proptest::sample::subsequence(
        vec!["https://www.w3.org/ns/credentials/v2", "https://w3id.org/ddcc/v1",
             "https://www.w3.org/ns/credentials/examples/v2", "https://example.org/unknown"], 0..3)) {
        let reg = ContextRegistry::builtin().unwrap();
        let p = Processor::new(reg.iter().map(|e| (e.url.as_str(), &*e.text))).unwrap();
        let mut doc = match body {
            Value::Object(o) => Value::Object(o),
            other => json!({"credentialSubject": other}),
        };
        doc["@context"] = json!(contexts);
        if let Ok(ds) = p.to_dataset(&doc) {
            let _ = ds.canonicalize();
        }
        let _ = p.to_dataset(&body_clone(&doc));
    }
}

fn body_clone(v: &Value) -> Value {
    v.get("credentialSubject").cloned().unwrap_or(Value::Null)
}
