//! The fast path reproduces the W3C eddsa-rdfc-2022 canonical forms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_assets::ContextRegistry;
use ddcc_ld::Processor;
use ddcc_test_support::{read, read_json, vectors};

fn processor(extra: &[(&str, String)]) -> Processor {
    let reg = ContextRegistry::builtin().unwrap();
    let mut pairs: Vec<(String, String)> = reg
        .iter()
        .map(|e| (e.url.clone(), e.text.to_string()))
        .collect();
    for (u, t) in extra {
        pairs.push(((*u).to_owned(), t.clone()));
    }
    Processor::new(pairs.iter().map(|(u, t)| (u.as_str(), t.as_str()))).unwrap()
}

#[test]
fn eddsa_rdfc_2022_canonical_forms() {
    let Some(dir) = vectors("fast path W3C canonical forms") else {
        return;
    };
    let p = processor(&[]);
    let doc = read_json(&dir, "w3c-vc-di-eddsa/unsigned.json");
    let c = p.to_dataset(&doc).unwrap().canonicalize().unwrap();
    assert_eq!(
        c.to_nquads(),
        read(&dir, "w3c-vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt")
    );
    let config = read_json(
        &dir,
        "w3c-vc-di-eddsa/eddsa-rdfc-2022/proofConfigDataInt.json",
    );
    let c = p.to_dataset(&config).unwrap().canonicalize().unwrap();
    assert_eq!(
        c.to_nquads(),
        read(
            &dir,
            "w3c-vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt"
        )
    );

    let citizenship = read(&dir, "contexts/citizenship-v4rc1.jsonld");
    let p = processor(&[("https://w3id.org/citizenship/v4rc1", citizenship)]);
    let doc = read_json(&dir, "w3c-vc-di-eddsa/employmentAuth.json");
    let c = p.to_dataset(&doc).unwrap().canonicalize().unwrap();
    assert_eq!(
        c.to_nquads(),
        read(
            &dir,
            "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/canonDocDataInt.txt"
        )
    );
    let config = read_json(
        &dir,
        "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/proofConfigDataInt.json",
    );
    let c = p.to_dataset(&config).unwrap().canonicalize().unwrap();
    assert_eq!(
        c.to_nquads(),
        read(
            &dir,
            "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/proofCanonDataInt.txt"
        )
    );
}
