//! QR pictures (PNG, JPEG) to their codes, and the `DDCC1:` compact
//! encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ddcc_qr::read_image_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ddcc_qr::decode_compact(text);
    }
});
