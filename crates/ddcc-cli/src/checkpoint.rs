//! `ddcc verify` of certificates people already carry: an EU Digital COVID
//! Certificate (`HC1:` text, or a QR photo of one) checked offline against
//! the signer certificates (DSCs) given with `--dsc`. The verdict names the
//! format, the signer, and each step; personal data is shown only with
//! `--show-claims`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use ddcc::hcert::{self, Dsc, HcertError, TrustList};
use serde_json::json;

/// Reads the DSCs: PEM files (one or more certificates each) or DER.
fn trust_list(files: &[PathBuf]) -> Result<TrustList> {
    let mut list = TrustList::new();
    for file in files {
        let bytes = crate::io::read_limited(file, 1024 * 1024)?;
        let text = String::from_utf8_lossy(&bytes);
        let ders: Vec<Vec<u8>> = if text.contains("-----BEGIN CERTIFICATE-----") {
            text.split("-----BEGIN CERTIFICATE-----")
                .skip(1)
                .filter_map(|block| block.split("-----END CERTIFICATE-----").next())
                .map(|b64| {
                    use base64::Engine as _;
                    let clean: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
                    base64::engine::general_purpose::STANDARD
                        .decode(clean)
                        .with_context(|| format!("{}: a PEM block is not base64", file.display()))
                })
                .collect::<Result<_>>()?
        } else {
            vec![bytes]
        };
        for der in ders {
            list.add(
                Dsc::from_der(&der)
                    .with_context(|| format!("{}: not a signer certificate", file.display()))?,
            );
        }
    }
    Ok(list)
}

/// What the checkpoint says when a picture holds no readable code.
pub(crate) fn unreadable(why: &str, json: bool) -> Result<String> {
    Ok(if json {
        serde_json::to_string_pretty(&json!({
            "verdict": "could_not_verify", "format": null, "check": "qr", "message": why,
        }))? + "\n"
    } else {
        format!("COULD NOT VERIFY: {why}\n")
    })
}

/// The step a failure belongs to, its verdict and exit code.
fn classify(e: &HcertError) -> (&'static str, &'static str, u8) {
    match e {
        HcertError::TooLarge(_) | HcertError::Prefix | HcertError::Base45 | HcertError::Zlib => {
            ("encoding", "invalid", 1)
        }
        HcertError::Cose(_) | HcertError::Cwt(_) => ("structure", "invalid", 1),
        HcertError::Algorithm => ("signature", "could_not_verify", 2),
        HcertError::NoKid | HcertError::UnknownKid => ("signer", "unknown_issuer", 1),
        HcertError::Certificate(_) => ("signer", "could_not_verify", 2),
        HcertError::Signature => ("signature", "invalid", 1),
        HcertError::KeyUsage(_) => ("key_usage", "invalid", 1),
        HcertError::NotYetValid | HcertError::Expired => ("validity", "invalid", 1),
        _ => ("structure", "invalid", 1),
    }
}

/// Verifies an `HC1:` text at `now`; returns the exit code and the verdict
/// to print.
pub(crate) fn verify_hc1(
    text: &str,
    dsc_files: &[PathBuf],
    now: i64,
    json_out: bool,
    show_claims: bool,
) -> Result<(u8, String)> {
    let format = "EU DCC (HC1)";
    if dsc_files.is_empty() {
        let why = "no signer certificates were given (--dsc): the EU DCC cannot be checked offline without them";
        let out = if json_out {
            serde_json::to_string_pretty(&json!({
                "verdict": "could_not_verify", "format": format, "check": "signer", "message": why,
            }))? + "\n"
        } else {
            format!("COULD NOT VERIFY ({format}): {why}\n")
        };
        return Ok((2, out));
    }
    let trust = trust_list(dsc_files)?;
    let (code, verdict, check, message, verified) = match hcert::verify(text, &trust, now) {
        Ok(v) => (0u8, "valid", None, None, Some(v)),
        Err(e) => {
            let (check, verdict, code) = classify(&e);
            (code, verdict, Some(check), Some(e.to_string()), None)
        }
    };
    let kind = verified
        .as_ref()
        .and_then(|v| v.hcert.kind())
        .map(|k| match k {
            "v" => "vaccination",
            "t" => "test",
            _ => "recovery",
        });
    let kid = verified.as_ref().map(|v| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(v.kid)
    });
    let issuer = verified.as_ref().and_then(|v| v.hcert.issuer.clone());
    let out = if json_out {
        let mut j = json!({
            "verdict": verdict, "format": format, "check": check, "message": message,
            "type": kind, "issuer_country": issuer, "signer_kid": kid,
            "checks": ["encoding", "structure", "signer", "signature", "key_usage", "validity"],
        });
        if show_claims && let Some(v) = &verified {
            j["claims"] = v.hcert.dcc.clone();
        }
        serde_json::to_string_pretty(&j)? + "\n"
    } else {
        let mut out = match &message {
            None => format!(
                "VALID ({format}, {}, issued in {}, signer kid {})\n",
                kind.unwrap_or("unknown type"),
                issuer.as_deref().unwrap_or("?"),
                kid.as_deref().unwrap_or("?")
            ),
            Some(m) => format!(
                "{} ({format}): {} check: {m}\n",
                verdict.replace('_', " ").to_uppercase(),
                check.unwrap_or("")
            ),
        };
        if show_claims && let Some(v) = &verified {
            out.push_str(&serde_json::to_string_pretty(&v.hcert.dcc)?);
            out.push('\n');
        }
        out
    };
    Ok((code, out))
}
