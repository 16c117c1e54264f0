//! JSON-LD → quads (the exact path, over the pinned contexts) and RDFC-1.0
//! under the work budget; N-Quads text → RDFC-1.0 as well.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static PROCESSOR: LazyLock<ddcc_ld::Processor> = LazyLock::new(|| {
    let registry = ddcc_assets::ContextRegistry::builtin().expect("the pinned contexts load");
    ddcc_ld::Processor::new(registry.iter().map(|e| (e.url.as_str(), &*e.text)))
        .expect("the pinned contexts compile")
});

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(dataset) = PROCESSOR.to_dataset(&doc) {
            let _ = dataset.canonicalize_with_budget(ddcc_ld::DEFAULT_WORK_BUDGET);
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(dataset) = ddcc_ld::parse_nquads(text)
    {
        let _ = dataset.canonicalize_with_budget(ddcc_ld::DEFAULT_WORK_BUDGET);
    }
});
