//! SMART Health Cards: `shc:/` numeric chunks, the JWS and its compressed
//! payload, verification against an empty key set, and the FHIR bundle's
//! mapping to DDCC.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chunks: Vec<&str> = text.lines().collect();
    let jws = ddcc_shc::jws_from_qr(&chunks).unwrap_or_else(|_| text.to_owned());
    if let Ok(payload) = ddcc_shc::payload(&jws)
        && let Some(bundle) = payload.pointer("/vc/credentialSubject/fhirBundle")
    {
        let _ = ddcc_shc::ddcc::subjects_of(bundle);
    }
    let _ = ddcc_shc::verify(&jws, &ddcc_shc::Issuers::new(), 1_700_000_000, 60);
    if let Ok(bundle) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = ddcc_shc::ddcc::subjects_of(&bundle);
    }
});
