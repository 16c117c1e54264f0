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

/// ecdsa-rdfc-2019: the canonical forms and hashes of P-256 (SHA-256) and
/// P-384, whose RDFC-1.0 runs with SHA-384 inside: with SHA-256 the
/// `employ` document's blank nodes would be labelled the other way round.
#[test]
fn ecdsa_rdfc_2019_canonical_forms_with_the_curves_hash() {
    use ddcc_ld::{DEFAULT_WORK_BUDGET, RdfcHash};
    let Some(dir) = vectors("fast path W3C ecdsa canonical forms") else {
        return;
    };
    let citizenship = read(&dir, "contexts/citizenship-v4rc1.jsonld");
    let p = processor(&[("https://w3id.org/citizenship/v4rc1", citizenship)]);
    for (sub, curve, doc, hash) in [
        (
            "ecdsa-rdfc-2019-p256",
            "P256",
            "unsigned.json",
            RdfcHash::Sha256,
        ),
        (
            "ecdsa-rdfc-2019-p256/employ",
            "P256",
            "employmentAuth.json",
            RdfcHash::Sha256,
        ),
        (
            "ecdsa-rdfc-2019-p384",
            "P384",
            "unsigned.json",
            RdfcHash::Sha384,
        ),
        (
            "ecdsa-rdfc-2019-p384/employ",
            "P384",
            "employmentAuth.json",
            RdfcHash::Sha384,
        ),
    ] {
        let base = format!("w3c-vc-di-ecdsa/{sub}");
        let canon = |doc: &serde_json::Value, hash| {
            p.to_dataset(doc)
                .unwrap()
                .canonicalize_with(hash, DEFAULT_WORK_BUDGET)
                .unwrap()
        };
        let hex = |c: &ddcc_ld::CanonicalForm| match hash {
            RdfcHash::Sha256 => hex::encode(c.sha256()),
            RdfcHash::Sha384 => hex::encode(c.sha384()),
        };
        let d = canon(&read_json(&dir, &format!("w3c-vc-di-ecdsa/{doc}")), hash);
        assert_eq!(
            d.to_nquads(),
            read(&dir, &format!("{base}/canonDocECDSA{curve}.txt")),
            "{sub}"
        );
        assert_eq!(
            hex(&d),
            read(&dir, &format!("{base}/docHashECDSA{curve}.txt")).trim(),
            "{sub}"
        );
        let config = read_json(&dir, &format!("{base}/proofConfigECDSA{curve}.json"));
        let c = canon(&config, hash);
        assert_eq!(
            c.to_nquads(),
            read(&dir, &format!("{base}/proofCanonECDSA{curve}.txt")),
            "{sub}"
        );
        assert_eq!(
            hex(&c),
            read(&dir, &format!("{base}/proofHashECDSA{curve}.txt")).trim(),
            "{sub}"
        );
        if sub.ends_with("p384/employ") {
            // The trap: SHA-256 inside RDFC gives another canonical form.
            let wrong = canon(
                &read_json(&dir, &format!("w3c-vc-di-ecdsa/{doc}")),
                RdfcHash::Sha256,
            );
            assert_ne!(wrong.to_nquads(), d.to_nquads());
        }
    }
}
