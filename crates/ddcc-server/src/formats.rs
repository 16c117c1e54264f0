//! The checkpoint's verdicts on the certificates people already carry (EU
//! DCC, SMART Health Cards, DIVOC), against the keys of the service's
//! trust configuration, each naming who vouched for its signer.

use chrono::Utc;
use ddcc::trust::Vouch;
use serde_json::{Value, json};

use crate::AppState;
use crate::checkpoint::{answer, finish};

/// Tolerated clock skew for health cards and DIVOC certificates (seconds).
const SKEW: i64 = 300;

fn vouch_json(v: Option<&Vouch>) -> Value {
    match v {
        Some(v) => json!({
            "text": match &v.jurisdiction {
                Some(j) => format!("vouched for by {} (jurisdiction {j})", v.list),
                None => format!("vouched for by {}", v.list),
            },
            "list": v.list,
            "jurisdiction": v.jurisdiction,
        }),
        None => Value::Null,
    }
}

fn no_keys(format: &str) -> Value {
    answer(
        "could_not_verify",
        Some(format),
        Some(format!(
            "this checkpoint's trust configuration holds no keys for {format} certificates"
        )),
    )
}

/// An EU DCC (`HC1:`).
pub(crate) fn check_hc1(state: &AppState, text: &str) -> Value {
    use ddcc::hcert::HcertError as E;
    let format = "EU DCC (HC1)";
    let Some(trust) = state.trust() else {
        return no_keys(format);
    };
    let now = Utc::now().timestamp();
    match ddcc::hcert::verify(text, &trust.dscs, now) {
        Ok(v) => {
            let subject = ddcc::hcert::ddcc::subject_of(&v.hcert.dcc);
            let (kind, subject) = match subject {
                Ok((k, s)) => (Some(k), Some(s)),
                Err(_) => (None, None),
            };
            let issuer = v.hcert.issuer.clone().unwrap_or_default();
            finish(
                state,
                json!({"verdict": "valid", "format": format, "check": null, "message": null,
                       "issuer": v.hcert.issuer, "trust": vouch_json(trust.dsc_vouch(&v.kid))}),
                kind,
                subject.as_ref(),
                &issuer,
            )
        }
        Err(E::UnknownKid | E::NoKid) if !trust.dsc_unusable().is_empty() => answer(
            "could_not_verify",
            Some(format),
            Some(format!(
                "the signer is on no usable list, and these trust sources could not be used: {}",
                trust.dsc_unusable().join(", ")
            )),
        ),
        Err(e) => {
            let verdict = match &e {
                E::NoKid | E::UnknownKid => "unknown_issuer",
                E::Algorithm | E::Certificate(_) => "could_not_verify",
                _ => "invalid",
            };
            answer(verdict, Some(format), Some(e.to_string()))
        }
    }
}

/// A SMART Health Card (`shc:/`, one or more chunks).
pub(crate) fn check_shc(state: &AppState, text: &str) -> Value {
    use ddcc::shc::ShcError as E;
    let format = "SMART Health Card";
    let Some(trust) = state.trust() else {
        return no_keys(format);
    };
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let jws = match ddcc::shc::jws_from_qr(&lines) {
        Ok(j) => j,
        Err(e) => return answer("invalid", Some(format), Some(e.to_string())),
    };
    match ddcc::shc::verify(&jws, &trust.shc, Utc::now().timestamp(), SKEW) {
        Ok(card) => {
            let subjects = ddcc::shc::ddcc::subjects_of(&card.bundle).unwrap_or_default();
            let latest = subjects.last();
            finish(
                state,
                json!({"verdict": "valid", "format": format, "check": null,
                       "message": (card.revocation == ddcc::shc::Revocation::NotChecked).then_some(
                           "revocation not checked: the issuer publishes a revocation list for this key, and the trust configuration holds none"),
                       "revocation": card.revocation.name(),
                       "issuer": card.iss, "trust": vouch_json(trust.shc_vouch(&card.iss))}),
                latest.map(|(k, _)| *k),
                latest.map(|(_, s)| s),
                &card.iss,
            )
        }
        Err(E::UnknownIssuer)
            if ddcc::shc::payload(&jws)
                .ok()
                .and_then(|p| p.get("iss").and_then(Value::as_str).map(str::to_owned))
                .and_then(|iss| trust.shc_unfetched(&iss).map(str::to_owned))
                .is_some() =>
        {
            answer(
                "could_not_verify",
                Some(format),
                Some(
                    "the issuer is in the trust configuration's directory, but its keys could not be fetched"
                        .into(),
                ),
            )
        }
        Err(E::UnknownIssuer) if !trust.shc_unusable().is_empty() => answer(
            "could_not_verify",
            Some(format),
            Some(format!(
                "the issuer is on no usable list, and these trust sources could not be used: {}",
                trust.shc_unusable().join(", ")
            )),
        ),
        Err(e) => {
            let verdict = match &e {
                E::Revoked => "revoked",
                E::UnknownIssuer | E::UnknownKid => "unknown_issuer",
                E::Key(_) => "could_not_verify",
                _ => "invalid",
            };
            answer(verdict, Some(format), Some(e.to_string()))
        }
    }
}

/// A DIVOC certificate (`B64:` archive text, or its JSON).
pub(crate) async fn check_divoc(state: &AppState, payload: &[u8]) -> Value {
    use ddcc::divoc::DivocError as E;
    let format = "DIVOC";
    let Some(trust) = state.trust() else {
        return no_keys(format);
    };
    let doc = match ddcc::divoc::unpack(payload) {
        Ok(d) => d,
        Err(e) => return answer("invalid", Some(format), Some(e.to_string())),
    };
    let now = Utc::now().timestamp();
    match ddcc::divoc::verify(&doc, &trust.divoc, &trust.divoc_contexts, now, SKEW).await {
        Ok(cert) => {
            let subjects = ddcc::divoc::ddcc::subjects_of(&cert.credential).unwrap_or_default();
            let latest = subjects.last();
            finish(
                state,
                json!({"verdict": "valid", "format": format, "check": null, "message": null,
                       "issuer": cert.issuer, "trust": vouch_json(trust.divoc_vouch(&cert.method))}),
                latest.map(|(k, _)| *k),
                latest.map(|(_, s)| s),
                &cert.issuer,
            )
        }
        Err(e) => {
            let verdict = match &e {
                E::UnknownKey { .. } => "unknown_issuer",
                E::Context(_) => "could_not_verify",
                _ => "invalid",
            };
            answer(verdict, Some(format), Some(e.to_string()))
        }
    }
}
