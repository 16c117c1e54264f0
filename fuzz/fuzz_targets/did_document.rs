//! DIDs and DID documents: parsing a DID (and DID URL), and reading a
//! did:web document's keys.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ddcc_core::Did::parse(text);
        let _ = ddcc_core::DidUrl::parse(text);
    }
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        let did = doc
            .get("id")
            .and_then(serde_json::Value::as_str)
            .and_then(|id| ddcc_core::Did::parse(id).ok())
            .unwrap_or_else(|| ddcc_core::Did::parse("did:web:example.org").expect("a DID"));
        let _ = ddcc_did::parse_did_document(&did, &doc);
    }
});
