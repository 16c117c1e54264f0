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
    // Inline context objects after a URL are processed (the document's
    // own); an @context that is only an object, or holds a number, is not.
    d["@context"] = json!([V2, {"x": "https://example.org/x"}]);
    p.to_dataset(&d).unwrap();
    d["@context"] = json!([V2, 5]);
    assert_eq!(refused(&p, &d), Unsupported::InlineContext);
    d["@context"] = json!({"x": "https://example.org/x"});
    assert_eq!(refused(&p, &d), Unsupported::InlineContext);
    d["@context"] = json!([V2, "https://example.org/not-pinned"]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::UnpinnedContext("https://example.org/not-pinned".into())
    );
    // An embedded context may not redefine a protected term.
    let d = doc(json!({"@context": {"name": "https://evil.example/name"}, "name": "x"}));
    assert_eq!(
        refused(&p, &d),
        Unsupported::ProtectedTermRedefinition("name".into())
    );
    let d = doc(json!({"@context": 5, "name": "x"}));
    assert_eq!(refused(&p, &d), Unsupported::EmbeddedContext);
    // Nor may an inline one at the root, and inline contexts are held to
    // the same features as pinned ones.
    let mut d = doc(json!({}));
    d["@context"] = json!([V2, {"VerifiableCredential": "https://example.org/#Bad"}]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::ProtectedTermRedefinition("VerifiableCredential".into())
    );
    d["@context"] = json!([V2, {"@language": "en"}]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::UnsupportedContextFeature("a default @language")
    );
    d["@context"] = json!([V2, {"@vocab": null}]);
    d["type"] = json!(["VerifiableCredential", "Unmapped"]);
    assert_eq!(
        refused(&p, &d),
        Unsupported::UndefinedTerm("Unmapped".into())
    );
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
    // Value objects: a string with a language and a direction, nothing
    // else (typed values, numbers, other members, malformed tags).
    p.to_dataset(&doc(
        json!({"name": {"@value": "x", "@language": "en-GB", "@direction": "ltr"}}),
    ))
    .unwrap();
    for (value, kw) in [
        (json!({"@value": 5}), "@value"),
        (
            json!({"@value": "x", "@type": "https://example.org/t"}),
            "@type",
        ),
        (json!({"@value": "x", "@index": "i"}), "@index"),
        (json!({"@value": "x", "other": 1}), "@value"),
        (
            json!({"@value": "x", "@language": "not a tag"}),
            "@language",
        ),
        (json!({"@value": "x", "@language": "en--gb"}), "@language"),
        (json!({"@value": "x", "@direction": "up"}), "@direction"),
    ] {
        let d = doc(json!({"name": value}));
        assert_eq!(
            refused(&p, &d),
            Unsupported::KeywordInData(kw.into()),
            "{value}"
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

#[test]
fn inline_contexts_never_fill_the_shared_caches() {
    let p = processor();
    // The pinned URLs before the inline object are compiled and cached
    // once, as any list of pinned contexts is.
    let mut warm = doc(json!({"name": "x"}));
    warm["@context"] = json!([V2, {"x": "https://example.org/x"}]);
    p.to_dataset(&warm).unwrap();
    let before = p.compiled_contexts();
    // A thousand documents, each with a context of its own, with type- and
    // property-scoped contexts inside: a stranger's contexts are compiled
    // for their document only.
    for i in 0..1000 {
        let mut d = doc(json!({"thing": {"type": "Scoped", "inner": i}}));
        d["@context"] = json!([V2, {
            "thing": {"@id": format!("https://example.org/thing/{i}"), "@context": {"extra": "https://example.org/extra"}},
            "Scoped": {"@id": "https://example.org/Scoped", "@context": {"inner": format!("https://example.org/inner/{i}")}}
        }]);
        p.to_dataset(&d).unwrap();
    }
    assert_eq!(p.compiled_contexts(), before);
}

#[test]
fn the_work_of_inline_contexts_is_bounded() {
    let p = processor();
    // 80 types, each with a type-scoped context of its own, and nodes
    // typed with every ordered pair of them: each pair compiles two new
    // contexts for this document. A few hundred are a document's fair
    // share; 6,320 pairs exceed the budget and are refused.
    let mut ctx = serde_json::Map::new();
    ctx.insert("items".into(), json!("https://example.org/items"));
    for t in 0..80 {
        ctx.insert(
            format!("T{t}"),
            json!({"@id": format!("https://example.org/T{t}"), "@context": {format!("f{t}"): format!("https://example.org/f{t}")}}),
        );
    }
    let mut items = Vec::new();
    for a in 0..80 {
        for b in 0..80 {
            if a != b {
                items.push(json!({"type": [format!("T{a}"), format!("T{b}")]}));
            }
        }
    }
    let mut d = doc(json!({"items": items}));
    d["@context"] = json!([V2, Value::Object(ctx.clone())]);
    let started = std::time::Instant::now();
    assert_eq!(refused(&p, &d), Unsupported::WorkBudgetExceeded);
    // Refused long before the work it would have taken (a generous bound
    // for a debug build on a busy machine).
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // A document with a fair share is processed: 10 types, 90 pairs.
    let few: Vec<Value> = (0..10)
        .flat_map(|a| {
            (0..10)
                .filter(move |b| *b != a)
                .map(move |b| json!({"type": [format!("T{a}"), format!("T{b}")]}))
        })
        .collect();
    let mut d = doc(json!({"items": few}));
    d["@context"] = json!([V2, Value::Object(ctx)]);
    p.to_dataset(&d).unwrap();
}
