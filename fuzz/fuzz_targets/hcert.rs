//! EU DCC: `HC1:`, Base45, zlib, COSE_Sign1, the CWT and its claims, and the
//! verification against an empty trust list (the signer is unknown).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ddcc_hcert::verify(text, &ddcc_hcert::TrustList::new(), 1_700_000_000);
        if let Ok(b45) = ddcc_hcert::unprefix(text)
            && let Ok(zipped) = ddcc_hcert::base45_decode(b45)
            && let Ok(cose) = ddcc_hcert::decompress(&zipped)
        {
            cose_steps(&cose);
        }
    }
    // The COSE and CWT parsers directly, as the decompressed bytes.
    cose_steps(data);
});

fn cose_steps(bytes: &[u8]) {
    if let Ok(cose) = ddcc_hcert::parse_cose(bytes) {
        let _ = cose.kid();
        if let Ok(hcert) = cose.payload() {
            let _ = hcert.kind();
            let _ = hcert.check_time(1_700_000_000);
        }
    }
}
