//! Trust lists: a WHO GDHCN participant document (its proof checked with
//! canonicalization under the work budget) and a trust configuration file.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static CONTEXTS: LazyLock<ddcc_assets::ContextRegistry> =
    LazyLock::new(|| ddcc_assets::ContextRegistry::gdhcn().expect("the GDHCN contexts load"));

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        let mut signers = ddcc_trust::gdhcn::Signers::new();
        let _ = signers.add_document(&doc);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let _ = rt.block_on(ddcc_trust::gdhcn::verify_document(
            &doc, &signers, &CONTEXTS,
        ));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ddcc_trust::TrustConfig::from_toml(text);
    }
});
