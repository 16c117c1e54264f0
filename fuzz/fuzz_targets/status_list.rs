//! Status lists: the encoded bitstring (base64url of gzip), a status entry,
//! and a status list credential.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bits) = ddcc_status::Bitstring::decode(text) {
            let _ = bits.encode();
        }
        let _ = ddcc_status::Purpose::parse(text);
    }
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = ddcc_status::StatusEntry::from_json(&v);
        let _ = ddcc_status::StatusList::from_credential(&v);
    }
});
