//! Inputs the fuzz targets (`fuzz/`) found to crash the parsers, each kept
//! here with the answer it must get now.
#![allow(clippy::unwrap_used)]

#[test]
fn a_lone_underscore_where_a_blank_node_goes_is_an_error() {
    // An N-Quads line whose graph is `_` with no `:` after it: the parser
    // sliced past the end of the line.
    let text = "_:a <http://example.org/vocab#p> _:b _\n :Lg .\n";
    assert!(ddcc_ld::parse_nquads(text).is_err());
    for text in [
        "_",
        "_:a <http://e/p> _",
        "<http://e/s> <http://e/p> _ .",
        "_\u{e9} <a> <b> .",
    ] {
        assert!(ddcc_ld::parse_nquads(text).is_err(), "{text:?}");
    }
    // A well-formed line still parses.
    assert_eq!(
        ddcc_ld::parse_nquads("_:a <http://e/p> _:b .\n")
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_datatype_that_is_not_an_iri_is_an_error() {
    // `^^` followed by something other than `<` (here a character of two
    // bytes): the parser sliced inside it.
    for text in [
        "<http://e/s> <http://e/p> \"x\"^^\u{e9}http://e/t> .",
        "<http://e/s> <http://e/p> \"x\"^^ .",
        "<http://e/s> <http://e/p> \"x\"^^",
    ] {
        assert!(ddcc_ld::parse_nquads(text).is_err(), "{text:?}");
    }
    // The crash as found: a canonical form with a few bytes changed.
    let found = "<https\u{1}\u{0}\u{0}\u{e}://w3id.org/x> <http://e/p> \"1\"^^\u{1f600}> .\n";
    assert!(ddcc_ld::parse_nquads(found).is_err());
    assert_eq!(
        ddcc_ld::parse_nquads("<http://e/s> <http://e/p> \"x\"^^<http://e/t> .")
            .unwrap()
            .len(),
        1
    );
}
