//! One input per row of FASTPATH.md §6: the fast path refuses it with that
//! reason instead of guessing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_assets::ContextRegistry;
use ddcc_ld::{Processor, Unsupported, duplicate_keys, parse_nquads};
use serde_json::{Value, json};

const V2: &str = "https://www.w3.org/ns/credentials/v2";
const DDCC: &str = "https://w3id.org/ddcc/v1";
const TEST_CTX: &str = "https://example.org/test-context/v1";

/// A pinned context with one term per unsupported feature.
const TEST_CONTEXT: &str = r#"{"@context": {
  "listy": {"@id": "https://example.org/listy", "@container": "@list"},
  "langmap": {"@id": "https://example.org/langmap", "@container": "@language"},
  "indexed": {"@id": "https://example.org/indexed", "@container": "@index"},
  "idmap": {"@id": "https://example.org/idmap", "@container": "@id"},
  "typemap": {"@id": "https://example.org/typemap", "@container": "@type"},
  "reversed": {"@reverse": "https://example.org/rev"},
  "nested": {"@id": "@nest"},
  "french": {"@id": "https://example.org/french", "@language": "fr"},
  "rtl": {"@id": "https://example.org/rtl", "@direction": "rtl"},
  "jsonish": {"@id": "https://example.org/jsonish", "@type": "@json"},
  "nonetype": {"@id": "https://example.org/none", "@type": "@none"},
  "ex:shaped": {"@id": "https://example.org/shaped"},
  "nothing": null,
  "dbl": {"@id": "https://example.org/dbl", "@type": "http://www.w3.org/2001/XMLSchema#double"},
  "ref": {"@id": "https://example.org/ref", "@type": "@id"}
}}"#;

fn processor() -> Processor {
    let reg = ContextRegistry::builtin().unwrap();
    let mut pairs: Vec<(String, String)> = reg
        .iter()
        .map(|e| (e.url.clone(), e.text.to_string()))
        .collect();
    pairs.push((TEST_CTX.into(), TEST_CONTEXT.into()));
    for (url, feature) in [
        (
            "https://example.org/import/v1",
            r#"{"@context": {"@import": "https://www.w3.org/ns/credentials/v2"}}"#,
        ),
        (
            "https://example.org/base/v1",
            r#"{"@context": {"@base": "https://example.org/"}}"#,
        ),
        (
            "https://example.org/language/v1",
            r#"{"@context": {"@language": "en"}}"#,
        ),
        (
            "https://example.org/direction/v1",
            r#"{"@context": {"@direction": "ltr"}}"#,
        ),
        (
            "https://example.org/redefine/v1",
            r#"{"@context": {"name": "https://example.org/other-name"}}"#,
        ),
    ] {
        pairs.push((url.into(), feature.into()));
    }
    Processor::new(pairs.iter().map(|(u, t)| (u.as_str(), t.as_str()))).unwrap()
}

fn doc(subject: Value) -> Value {
    json!({"@context": [V2, DDCC, TEST_CTX], "type": "VerifiableCredential", "issuer": "did:example:i",
           "credentialSubject": subject})
}

fn refused(p: &Processor, d: &Value) -> Unsupported {
    match p.to_dataset(d) {
        Err(e) => e,
        Ok(ds) => panic!("accepted {d}: {ds:?}"),
    }
}

#[test]
fn the_baseline_document_is_accepted() {
    let p = processor();
    p.to_dataset(&doc(json!({"name": "x", "ref": "https://example.org/r"})))
        .unwrap();
}

#[test]
fn contexts_inline_unpinned_embedded_and_context_features() {
    let p = processor();
    let mut d = doc(json!({}));
    d["@context"] = json!([V2, {"x": "https://example.org/x"}]);
    assert_eq!(refused(&p, &d), Unsupported::InlineContext);
    d["@context"] = json!({"x": "https://example.org/x"});
    assert_eq!(refused(&p, &d), Unsupported::InlineContext);
    d["@context"] = json!([V2, "https://example.org/not-pinned"]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::UnpinnedContext("https://example.org/not-pinned".into())
    );
    let d = doc(json!({"@context": {"name": "https://evil.example/name"}, "name": "x"}));
    assert_eq!(refused(&p, &d), Unsupported::EmbeddedContext);
    for (url, feature) in [
        ("https://example.org/import/v1", "@import"),
        ("https://example.org/base/v1", "@base"),
        ("https://example.org/language/v1", "a default @language"),
        ("https://example.org/direction/v1", "a default @direction"),
    ] {
        let mut d = doc(json!({}));
        d["@context"] = json!([V2, url]);
        assert_eq!(
            refused(&p, &d),
            Unsupported::UnsupportedContextFeature(feature),
            "{url}"
        );
    }
    // A pinned context that redefines a protected term is a JSON-LD error.
    let mut d = doc(json!({}));
    d["@context"] = json!([V2, "https://example.org/redefine/v1"]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::ProtectedTermRedefinition("name".into())
    );
    // Pinned by URL and SHA-256.
    let reg = ContextRegistry::builtin().unwrap();
    assert_eq!(p.sha256(V2), Some(reg.get(V2).unwrap().sha256.as_str()));
}

#[test]
fn keywords_in_data() {
    let p = processor();
    for kw in [
        "@value",
        "@language",
        "@list",
        "@set",
        "@graph",
        "@included",
        "@reverse",
        "@nest",
        "@index",
        "@json",
        "@direction",
    ] {
        let d = doc(json!({"name": {kw: "x"}}));
        assert_eq!(
            refused(&p, &d),
            Unsupported::KeywordInData(kw.into()),
            "{kw}"
        );
    }
}

#[test]
fn unsupported_term_features() {
    let p = processor();
    for (term, feature) in [
        ("listy", "@container: @list"),
        ("langmap", "@container: @language"),
        ("indexed", "@container: @index"),
        ("idmap", "@container: @id"),
        ("typemap", "@container: @type"),
        ("reversed", "@reverse"),
        ("french", "@language"),
        ("rtl", "@direction"),
        ("jsonish", "@type: @json"),
        ("nonetype", "@type: @none"),
        ("ex:shaped", "an IRI-shaped term"),
        ("nested", "an alias of a keyword other than @id and @type"),
    ] {
        let d = doc(json!({term: "x"}));
        assert_eq!(
            refused(&p, &d),
            Unsupported::UnsupportedTerm {
                term: term.into(),
                feature
            },
            "{term}"
        );
    }
    // The W3C context's own @json term.
    let d = json!({"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:i",
        "credentialSubject": {"id": "did:example:s"},
        "credentialSchema": {"id": "https://example.org/s", "type": "JsonSchema", "jsonSchema": {"type": "object"}}});
    assert_eq!(
        refused(&p, &d),
        Unsupported::UnsupportedTerm {
            term: "jsonSchema".into(),
            feature: "@type: @json"
        }
    );
}

#[test]
fn undefined_null_and_blank_predicates() {
    let p = processor();
    assert_eq!(
        refused(&p, &doc(json!({"favouriteColour": "blue"}))),
        Unsupported::UndefinedTerm("favouriteColour".into())
    );
    assert_eq!(
        refused(&p, &doc(json!({"nothing": "x"}))),
        Unsupported::UndefinedTerm("nothing".into())
    );
    assert_eq!(
        refused(&p, &doc(json!({"_:p": "x"}))),
        Unsupported::BlankNodeInPredicateOrType
    );
    let mut d = doc(json!({}));
    d["type"] = json!(["VerifiableCredential", "_:t"]);
    assert_eq!(refused(&p, &d), Unsupported::BlankNodeInPredicateOrType);
    let mut d = doc(json!({}));
    d["type"] = json!(["VerifiableCredential", "UndefinedType"]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::UndefinedTerm("UndefinedType".into())
    );
}

#[test]
fn relative_and_invalid_iris() {
    let p = processor();
    assert_eq!(
        refused(&p, &doc(json!({"id": "relative/path"}))),
        Unsupported::InvalidIri
    );
    assert_eq!(
        refused(&p, &doc(json!({"ref": "also-relative"}))),
        Unsupported::InvalidIri
    );
    assert_eq!(
        refused(&p, &doc(json!({"ref": "http://exa mple.org/"}))),
        Unsupported::InvalidIri
    );
    let mut d = doc(json!({}));
    d["issuer"] = json!("not an iri");
    assert_eq!(refused(&p, &d), Unsupported::InvalidIri);
}

#[test]
fn numbers() {
    let p = processor();
    for n in ["2.5", "2.0", "1e3", "-0", "9007199254740993", "1E+2"] {
        let d: Value = serde_json::from_str(&format!(
            r#"{{"@context":["{V2}","{DDCC}","{TEST_CTX}"],"type":"VerifiableCredential","issuer":"did:example:i","credentialSubject":{{"vaccination":{{"dose":{n}}}}}}}"#
        ))
        .unwrap();
        assert_eq!(refused(&p, &d), Unsupported::UnsupportedNumber, "{n}");
    }
    assert_eq!(
        refused(&p, &doc(json!({"dbl": 2}))),
        Unsupported::UnsupportedNumber
    );
    assert_eq!(
        refused(&p, &doc(json!({"ref": 2}))),
        Unsupported::NonStringIri
    );
    assert_eq!(
        refused(&p, &doc(json!({"ref": true}))),
        Unsupported::NonStringIri
    );
    // The largest safe integer is fine.
    p.to_dataset(&doc(
        json!({"vaccination": {"dose": 9_007_199_254_740_992_u64}}),
    ))
    .unwrap();
}

#[test]
fn control_characters_nested_arrays_and_graph_containers() {
    let p = processor();
    for s in ["tab\there", "bell\u{7}", "del\u{7f}", "nul\u{0}"] {
        assert_eq!(
            refused(&p, &doc(json!({"name": s}))),
            Unsupported::ControlCharacter,
            "{s:?}"
        );
    }
    p.to_dataset(&doc(json!({"name": "line\nfeed\rreturn"})))
        .unwrap();
    assert_eq!(
        refused(&p, &doc(json!({"name": [["a"], "b"]}))),
        Unsupported::NestedArray
    );
    let mut d = doc(json!({}));
    // @graph containers hold node objects; anything else is refused.
    d["proof"] = json!("https://example.org/a-proof");
    assert_eq!(refused(&p, &d), Unsupported::GraphContainer("proof".into()));
    // An embedded credential must bring pinned contexts (the presentation's
    // context nulls them for its members).
    let vp = json!({"@context": [V2], "type": "VerifiablePresentation",
        "verifiableCredential": [{"@context": [V2, "https://example.org/not-pinned"], "type": "VerifiableCredential"}]});
    assert_eq!(
        refused(&p, &vp),
        Unsupported::UnpinnedContext("https://example.org/not-pinned".into())
    );
    let vp = json!({"@context": [V2], "type": "VerifiablePresentation",
        "verifiableCredential": [{"type": "VerifiableCredential"}]});
    assert_eq!(refused(&p, &vp), Unsupported::UndefinedTerm("type".into()));
}

#[test]
fn duplicate_keys_are_detected_in_the_text() {
    let text = r#"{"a": 1, "b": {"c": "x:y", "c": 2}, "d": "\"e\": 3"}"#;
    let value: Value = serde_json::from_str(text).unwrap();
    assert!(duplicate_keys(text, &value));
    let text = r#"{"a": 1, "b": {"c": "x:y"}, "d": "\"e\": 3", "f": [{"g": ":"}]}"#;
    let value: Value = serde_json::from_str(text).unwrap();
    assert!(!duplicate_keys(text, &value));
}

#[test]
fn not_an_object_and_too_deep() {
    let p = processor();
    assert_eq!(refused(&p, &json!("string")), Unsupported::NotAnObject);
    let mut inner = json!({"name": "x"});
    for _ in 0..100 {
        inner = json!({"vaccination": inner});
    }
    assert_eq!(refused(&p, &doc(inner)), Unsupported::TooDeep);
}

#[test]
fn rdfc_work_budget_stops_poison_graphs() {
    // A 9-clique of blank nodes: every first-degree hash collides and the
    // N-degree algorithm explores factorially many paths.
    let mut text = String::new();
    for i in 0..9 {
        for j in 0..9 {
            if i != j {
                text.push_str(&format!("_:b{i} <https://example.org/p> _:b{j} .\n"));
            }
        }
    }
    let ds = parse_nquads(&text).unwrap();
    assert_eq!(ds.canonicalize(), Err(Unsupported::WorkBudgetExceeded));
    // A small clique completes within the budget.
    let mut text = String::new();
    for i in 0..3 {
        for j in 0..3 {
            if i != j {
                text.push_str(&format!("_:b{i} <https://example.org/p> _:b{j} .\n"));
            }
        }
    }
    let c = parse_nquads(&text).unwrap().canonicalize().unwrap();
    assert_eq!(c.len(), 6);
    assert_eq!(c.lines().count(), 6);
}
