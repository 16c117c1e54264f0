//! Our code tables against WHO's DDCC concept maps
//! (`who-ddcc/conceptmaps/`): every EU product WHO declares equivalent to
//! an ICD-11 brand maps to that brand, none WHO maps only to a wider
//! concept is claimed equivalent, every brand's vaccine type is the one
//! WHO's EU map gives, and every ICD-11 vaccine type WHO's maps use is
//! known (named) here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_core::codes::{self, CVX, EU_UNION_REGISTER, ICD11};
use serde_json::Value;

fn elements(map: &Value) -> Vec<(String, String, String)> {
    map["group"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["element"].as_array().unwrap())
        .flat_map(|e| {
            e["target"].as_array().unwrap().iter().map(|t| {
                (
                    e["code"].as_str().unwrap().to_owned(),
                    t["code"].as_str().unwrap().to_owned(),
                    t["equivalence"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect()
}

#[test]
fn our_tables_agree_with_whos_concept_maps() {
    let Some(dir) = ddcc_test_support::vectors("WHO concept maps") else {
        return;
    };
    let map =
        |name: &str| ddcc_test_support::read_json(&dir, &format!("who-ddcc/conceptmaps/{name}"));

    // EU products (Union Register numbers and the EU DCC's names for
    // others) to ICD-11 brands.
    let (mut equivalent, mut wider) = (0, 0);
    for (eu, icd, eq) in elements(&map("ConceptMap-vaccine-covid19-euur-to-icd11.json")) {
        let ours = codes::from_equivalent(EU_UNION_REGISTER, &eu);
        if eq == "equivalent" {
            let ours = ours.unwrap_or_else(|| panic!("{eu} is not mapped"));
            assert_eq!(
                (ours.system.as_str(), ours.code.as_str()),
                (ICD11, icd.as_str()),
                "{eu}"
            );
            equivalent += 1;
        } else {
            assert!(ours.is_none(), "{eu} is {eq} than {icd}, not equivalent");
            wider += 1;
        }
    }
    eprintln!(
        "WHO EU product map: {equivalent} equivalent products mapped, {wider} wider ones left in their own system"
    );
    assert_eq!((equivalent, wider), (23, 15));

    // EU products to vaccine types: the brand's type is WHO's.
    let mut typed = 0;
    for (eu, icd, _) in elements(&map("ConceptMap-who-ddcc-map-eudcc-icd11-vaccines.json")) {
        let brand = codes::from_equivalent(EU_UNION_REGISTER, &eu)
            .unwrap_or_else(|| panic!("{eu} has no ICD-11 brand"));
        assert_eq!(
            codes::vaccine_type_of_brand(&brand.code),
            Some(icd.as_str()),
            "{eu}"
        );
        typed += 1;
    }
    assert_eq!(typed, 11);

    // CVX 208 (Pfizer-BioNTech) is the Comirnaty brand here, an RNA
    // vaccine, which is what WHO's CVX map gives.
    for (cvx, icd, _) in elements(&map("ConceptMap-who-ddcc-map-cvx-icd11-vaccines.json")) {
        let brand = codes::from_equivalent(CVX, &cvx).unwrap();
        assert_eq!(
            codes::vaccine_type_of_brand(&brand.code),
            Some(icd.as_str())
        );
    }

    // Every ICD-11 vaccine type WHO's DIVOC and EU maps use has a name.
    for name in [
        "ConceptMap-who-ddcc-map-divoc-icd11-vaccines.json",
        "ConceptMap-who-ddcc-map-icd11-divoc-vaccines.json",
        "ConceptMap-who-ddcc-map-icd11-eudcc-vaccines.json",
    ] {
        for (a, b, _) in elements(&map(name)) {
            let icd = if a.starts_with('X') { a } else { b };
            assert!(codes::display_name(ICD11, &icd).is_some(), "{name}: {icd}");
        }
    }
}

#[test]
fn products_named_in_free_text() {
    for (name, brand) in [
        ("Covishield", "XM97T2"),
        ("COVISHIELD", "XM97T2"),
        ("covaxin", "XM1G90"),
        ("Sputnik V", "XM5ZJ4"),
        ("Sputnik-V", "XM5ZJ4"),
        ("Comirnaty", "XM8NQ0"),
        ("Spikevax", "XM3DT5"),
    ] {
        assert_eq!(
            codes::brand_by_name(name).map(|c| c.code),
            Some(brand.to_owned()),
            "{name}"
        );
    }
    for name in ["", "CoVax", "Pfizer", "vaccine"] {
        assert!(codes::brand_by_name(name).is_none(), "{name}");
    }
}
