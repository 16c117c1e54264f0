//! Differential test over the external vectors: every JSON document in
//! `../shared/vectors` whose contexts are all pinned and that the fast path
//! accepts is canonicalised exactly as pyld (a jsonld.js port) does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use ddcc_assets::ContextRegistry;
use serde_json::Value;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "jsonld") {
            out.push(p);
        }
    }
}

#[test]
fn fast_path_matches_pyld_on_every_eligible_vector() {
    let Some(dir) = ddcc_test_support::vectors("fast path vs pyld on vectors") else {
        return;
    };
    let reg = ContextRegistry::builtin().unwrap();
    let ld = ddcc_ld::Processor::new(reg.iter().map(|e| (e.url.as_str(), &*e.text))).unwrap();
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    let mut docs = Vec::new();
    let mut ours = Vec::new();
    let mut names = Vec::new();
    let mut refused = std::collections::BTreeMap::<&'static str, usize>::new();
    for f in &files {
        let Ok(mut doc) =
            serde_json::from_str::<Value>(&std::fs::read_to_string(f).unwrap_or_default())
        else {
            continue;
        };
        let Some(obj) = doc.as_object_mut() else {
            continue;
        };
        obj.remove("proof");
        let pinned = match obj.get("@context") {
            Some(Value::String(s)) => reg.contains(s),
            Some(Value::Array(a)) => {
                !a.is_empty()
                    && a.iter()
                        .all(|c| c.as_str().is_some_and(|s| reg.contains(s)))
            }
            _ => false,
        };
        if !pinned {
            continue;
        }
        match ld.to_dataset(&doc).and_then(|d| d.canonicalize()) {
            Ok(c) => {
                ours.push(c.to_nquads());
                docs.push(doc);
                names.push(f.strip_prefix(&dir).unwrap().display().to_string());
            }
            Err(e) => *refused.entry(e.code()).or_default() += 1,
        }
    }
    eprintln!(
        "fast path accepted {} vector documents; refused {refused:?}",
        docs.len()
    );
    assert!(docs.len() >= 50, "only {} eligible vectors", docs.len());
    let Some(theirs) =
        ddcc_test_support::pyld_canonical_many("fast path vs pyld on vectors", &docs)
    else {
        return;
    };
    let mut compared = 0;
    for ((name, ours), theirs) in names.iter().zip(&ours).zip(theirs) {
        match theirs {
            Ok(t) => {
                assert_eq!(ours, &t, "{name}");
                compared += 1;
            }
            // pyld refused it (e.g. a JSON-LD error it detects): the fast
            // path must not have produced quads for something invalid.
            Err(e) => panic!("{name}: fast path accepted what pyld refuses: {e}"),
        }
    }
    eprintln!("{compared} vector documents: fast path == pyld");
}
