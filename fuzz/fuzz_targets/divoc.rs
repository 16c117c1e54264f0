//! DIVOC: the QR code's ZIP archive, the certificate JSON in it, and its
//! verification (canonicalization under the work budget) against an empty
//! key set.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static REGISTRY: LazyLock<ddcc_assets::ContextRegistry> =
    LazyLock::new(|| ddcc_assets::ContextRegistry::builtin().expect("the pinned contexts load"));

fuzz_target!(|data: &[u8]| {
    let doc = match ddcc_divoc::unpack(data) {
        Ok(doc) => doc,
        Err(_) => match serde_json::from_slice::<serde_json::Value>(data) {
            Ok(doc) => doc,
            Err(_) => return,
        },
    };
    if !ddcc_divoc::is_divoc(&doc) {
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let _ = rt.block_on(ddcc_divoc::verify(
        &doc,
        &ddcc_divoc::KeySet::new(),
        &REGISTRY,
        1_700_000_000,
        60,
    ));
});
