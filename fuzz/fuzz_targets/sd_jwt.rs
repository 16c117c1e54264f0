//! SD-JWT parsing, disclosure processing and verification (a key from the
//! issuer JWT's own header when it has one, else a fixed key), and the
//! SD-JWT VC checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = ddcc_sd::Presentation::parse(text) {
        let _ = ddcc_sd::disclosure_paths(&p);
    }
    let options = ddcc_sd::VerifyOptions::at(1_700_000_000);
    let _ = ddcc_sd::verify_with(
        text,
        |header| {
            header.get("jwk").map_or(
                Err(ddcc_sd::SdError::Malformed("no key")),
                ddcc_sd::PublicJwk::from_json,
            )
        },
        &options,
    );
    let _ = ddcc_credential::sdjwt::verify_sd_jwt_vc(text, &options);
});
