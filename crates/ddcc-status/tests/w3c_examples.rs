//! The Bitstring Status List Recommendation's examples: the list decodes
//! to 131,072 unset bits, and the revocable credential's entry reads as
//! "not revoked".
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ddcc_status::{Purpose, StatusEntry, StatusList};

#[test]
fn recommendation_examples_read_as_stated() {
    let Some(dir) = ddcc_test_support::vectors("Bitstring Status List examples") else {
        return;
    };
    let read = |f: &str| {
        ddcc_test_support::read_json(
            &dir,
            &format!("w3c-bitstring-status-list/rec-2025-examples/{f}"),
        )
    };
    let ex01 = read("ex01-status-entry-in-credential.json");
    let (entries, other) = StatusEntry::all_of(&ex01).unwrap();
    // A revocation entry and a suspension entry, on two lists.
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].purpose, Purpose::Revocation);
    assert_eq!(entries[1].purpose, Purpose::Suspension);
    assert_eq!(entries[1].index, 23452);
    assert!(other.is_empty());

    let ex03 = read("ex03-bitstring-status-list-credential.json");
    let list = StatusList::from_credential(&ex03).unwrap();
    assert_eq!(list.bits.len(), 131_072);
    assert_eq!(list.bits.count_set(), 0);
    assert_eq!(list.purpose, Purpose::Revocation);

    for suite in ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"] {
        let vc = read(&format!("ex04-revocable-credential.{suite}.json"));
        let list = StatusList::from_credential(&read(&format!(
            "ex05-status-list-credential.{suite}.json"
        )))
        .unwrap();
        let (entries, _) = StatusEntry::all_of(&vc).unwrap();
        assert_eq!(entries[0].index, 94567);
        assert!(!list.is_set(&entries[0]).unwrap(), "{suite}: not revoked");
    }
}
