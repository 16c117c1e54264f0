//! Differential tests: the fast path's canonical N-Quads equal jsonld.js's
//! (safe mode) for every committed fixture. The fixtures and their expected
//! outputs come from `scripts/jsonld-reference/reference.mjs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use ddcc_assets::ContextRegistry;
use ddcc_ld::Processor;
use serde_json::Value;

fn processor() -> Processor {
    let reg = ContextRegistry::builtin().unwrap();
    Processor::new(reg.iter().map(|e| (e.url.as_str(), &*e.text))).unwrap()
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn check_all(dir: &str, min: usize) {
    let p = processor();
    let files = fixtures(dir);
    assert!(files.len() >= min, "{dir}: only {} fixtures", files.len());
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let expected = std::fs::read_to_string(file.with_extension("nq")).unwrap();
        let ours = p
            .to_dataset(&doc)
            .unwrap_or_else(|e| panic!("{}: refused: {e}", file.display()))
            .canonicalize()
            .unwrap();
        assert_eq!(ours.to_nquads(), expected, "{}", file.display());
    }
}

#[test]
fn generated_variants_match_jsonld_js() {
    check_all("differential", 120);
}

#[test]
fn hand_written_cases_match_jsonld_js() {
    check_all("cases", 15);
}
