//! RDFC-1.0 cases written from the specification's shapes (cycles, cliques,
//! symmetric ties, self-loops, named graphs, duplicates); expected outputs
//! from rdf-canonize 5.0.0 (scripts/jsonld-reference).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use ddcc_ld::parse_nquads;

#[test]
fn rdfc_cases_match_rdf_canonize() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rdfc");
    let mut n = 0;
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_string_lossy().ends_with(".nq") && !p.to_string_lossy().ends_with(".c14n.nq")
        })
        .collect();
    inputs.sort();
    for input in inputs {
        let expected = std::fs::read_to_string(input.with_extension("c14n.nq")).unwrap();
        let ds = parse_nquads(&std::fs::read_to_string(&input).unwrap()).unwrap();
        let ours = ds.canonicalize().unwrap();
        assert_eq!(ours.as_str(), expected, "{}", input.display());
        n += 1;
    }
    assert!(n >= 15, "{n} cases");
}
