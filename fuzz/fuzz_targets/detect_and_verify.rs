//! What a checkpoint is handed, as the checkpoint reads it: `HC1:` and
//! `shc:/` texts, DIVOC archives, SD-JWT VCs and presentations, and Data
//! Integrity credentials and presentations, each verified offline (no
//! trust policy, no keys for the foreign formats) with every check.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static VERIFIER: LazyLock<ddcc_credential::Verifier> =
    LazyLock::new(|| ddcc_credential::Verifier::builtin().expect("a verifier"));

fuzz_target!(|data: &[u8]| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let Ok(text) = std::str::from_utf8(data) else {
        let _ = ddcc_divoc::unpack(data);
        return;
    };
    let t = text.trim();
    if t.starts_with("HC1:") {
        let _ = ddcc_hcert::verify(t, &ddcc_hcert::TrustList::new(), 1_700_000_000);
    } else if t.starts_with("shc:/") {
        let chunks: Vec<&str> = t.lines().collect();
        if let Ok(jws) = ddcc_shc::jws_from_qr(&chunks) {
            let _ = ddcc_shc::verify(&jws, &ddcc_shc::Issuers::new(), 1_700_000_000, 60);
        }
    } else if t.starts_with('{') {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(t) else {
            return;
        };
        let is_presentation = doc
            .get("type")
            .is_some_and(|ty| ty.to_string().contains("VerifiablePresentation"));
        if is_presentation {
            let _ = rt.block_on(VERIFIER.verify_presentation(
                &doc,
                "challenge",
                "domain",
                ddcc_credential::Checks::all(),
            ));
        } else {
            let _ = rt.block_on(VERIFIER.verify(&doc, ddcc_credential::Checks::all()));
        }
    } else if t.contains('~') {
        let options = ddcc_sd::VerifyOptions::at(1_700_000_000);
        let _ = rt.block_on(VERIFIER.verify_sd_jwt(t, &options));
    }
    let _ = ddcc_core::printable::printable(text, ddcc_core::printable::MAX_PRINTED);
});
