//! `ddcc verify` of certificates people already carry: an EU Digital COVID
//! Certificate (`HC1:` text, or a QR photo of one) checked offline against
//! the signer certificates (DSCs) given with `--dsc`, and a SMART Health
//! Card (`shc:/` QR content, its chunks, its JWS or a `.smart-health-card`
//! file) against the issuer keys given with `--shc-issuer`, and a DIVOC
//! certificate (its QR code's archive, `B64:` text or JSON) against the
//! deployment keys given with `--divoc-key`. The verdict
//! names the format, the signer, and the failing step; personal data is
//! shown only with `--show-claims`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use ddcc::hcert::{self, Dsc, HcertError, TrustList};
use ddcc::model::printable::{MAX_PRINTED, printable};
use ddcc::trust::{Trust, Vouch};

/// An untrusted value (from the certificate) as text output shows it.
fn p(text: &str) -> std::borrow::Cow<'_, str> {
    printable(text, MAX_PRINTED)
}
use serde_json::json;

/// The DSCs of the trust configuration, and those of the files given:
/// PEM files (one or more certificates each) or DER.
fn trust_list(files: &[PathBuf], trust: Option<&Trust>) -> Result<TrustList> {
    let mut list = trust.map(|t| t.dscs.clone()).unwrap_or_default();
    for file in files {
        let bytes = crate::io::read_limited(file, 1024 * 1024)?;
        let ders = ddcc::trust::certificates(&bytes)
            .map_err(|why| anyhow::anyhow!("{}: {why}", file.display()))?;
        for der in ders {
            list.add(
                Dsc::from_der(&der)
                    .with_context(|| format!("{}: not a signer certificate", file.display()))?,
            );
        }
    }
    Ok(list)
}

/// Who vouched, as JSON.
pub(crate) fn vouch_json(v: &Vouch) -> serde_json::Value {
    json!({"list": v.list, "jurisdiction": v.jurisdiction,
           "signed_at": v.signed_at.map(|t| t.to_rfc3339())})
}

/// Who vouched, in words.
pub(crate) fn vouch_text(v: &Vouch) -> String {
    match &v.jurisdiction {
        Some(j) => format!("vouched for by {} (jurisdiction {j})", v.list),
        None => format!("vouched for by {}", v.list),
    }
}

/// What the checkpoint says when a picture holds no readable code.
pub(crate) fn unreadable(why: &str, json: bool) -> Result<String> {
    Ok(if json {
        serde_json::to_string_pretty(&json!({
            "verdict": "could_not_verify", "format": null, "check": "qr", "message": why,
        }))? + "\n"
    } else {
        format!("COULD NOT VERIFY: {}\n", p(why))
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
        HcertError::Signature | HcertError::UnprotectedAlgorithm => ("signature", "invalid", 1),
        HcertError::NotASigner(_)
        | HcertError::SignerNotValidAtIssuance
        | HcertError::CountryMismatch => ("signer", "invalid", 1),
        HcertError::KeyUsage(_) => ("key_usage", "invalid", 1),
        HcertError::NotYetValid | HcertError::Expired => ("validity", "invalid", 1),
        HcertError::Schema(_) => ("schema", "invalid", 1),
        _ => ("structure", "invalid", 1),
    }
}

/// Verifies an `HC1:` text at `now`; returns the exit code and the verdict
/// to print.
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_hc1(
    text: &str,
    dsc_files: &[PathBuf],
    trust: Option<&Trust>,
    rules_file: Option<&std::path::Path>,
    now: i64,
    json_out: bool,
    show_claims: bool,
) -> Result<(u8, String)> {
    let format = "EU DCC (HC1)";
    let unusable: &[String] = trust.map(Trust::dsc_unusable).unwrap_or_default();
    let trust_list = trust_list(dsc_files, trust)?;
    if trust_list.is_empty() && unusable.is_empty() {
        let why = "no signer certificates were given (--dsc, or a trust configuration with --trust-config): the EU DCC cannot be checked offline without them";
        let out = if json_out {
            serde_json::to_string_pretty(&json!({
                "verdict": "could_not_verify", "format": format, "check": "signer", "message": why,
            }))? + "\n"
        } else {
            format!("COULD NOT VERIFY ({format}): {why}\n")
        };
        return Ok((2, out));
    }
    let (code, verdict, check, message, verified) = match hcert::verify(text, &trust_list, now) {
        Ok(v) => (0u8, "valid", None, None, Some(v)),
        Err(HcertError::UnknownKid) if !unusable.is_empty() => (
            2,
            "could_not_verify",
            Some("signer"),
            Some(format!(
                "the signer is on no usable list, and these trust sources could not be used: {}",
                unusable.join(", ")
            )),
            None,
        ),
        Err(e) => {
            let (check, verdict, code) = classify(&e);
            (code, verdict, Some(check), Some(e.to_string()), None)
        }
    };
    let vouch = verified.as_ref().map(|v| {
        trust
            .and_then(|t| t.dsc_vouch(&v.kid))
            .cloned()
            .unwrap_or_else(|| Vouch {
                list: "the signer certificates given with --dsc".into(),
                jurisdiction: None,
                signed_at: None,
            })
    });
    let rules = match &verified {
        Some(v) => match ddcc::hcert::ddcc::subject_of(&v.hcert.dcc) {
            Ok((k, subject)) => apply_rules(rules_file, k, &subject, now)?,
            Err(_) => None,
        },
        None => None,
    };
    let (code, verdict) = match &rules {
        Some((false, _, _)) if code == 0 => (1, "invalid"),
        _ => (code, verdict),
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
            "trust": vouch.as_ref().map(vouch_json),
            "checks": ["encoding", "structure", "signer", "signature", "key_usage", "validity", "schema"],
        });
        if let Some((_, r, _)) = &rules {
            j["rules"] = r.clone();
            if let Some(rule) = r["failed_rule"].as_str() {
                j["check"] = json!("rules");
                j["message"] = json!(format!("rule {rule} failed"));
            }
        }
        if show_claims && let Some(v) = &verified {
            j["claims"] = v.hcert.dcc.clone();
            // The same facts in the DDCC model (WHO's DCC → core data set
            // map), as our own credentials carry them.
            if let Ok((kind, subject)) = ddcc::hcert::ddcc::subject_of(&v.hcert.dcc) {
                j["ddcc"] = json!({"type": kind.credential_type(), "credentialSubject": subject});
            }
        }
        serde_json::to_string_pretty(&j)? + "\n"
    } else {
        let mut out = match &message {
            None => format!(
                "VALID ({format}, {}, issued in {}, signer kid {})\n  trust: {}\n",
                kind.unwrap_or("unknown type"),
                p(issuer.as_deref().unwrap_or("?")),
                kid.as_deref().unwrap_or("?"),
                p(&vouch.as_ref().map(vouch_text).unwrap_or_default())
            ),
            Some(m) => format!(
                "{} ({format}): {} check: {}\n",
                verdict.replace('_', " ").to_uppercase(),
                check.unwrap_or(""),
                p(m)
            ),
        };
        if let Some((_, _, t)) = &rules {
            if code != 0 && message.is_none() {
                out = format!("INVALID ({format}): rules check\n");
            }
            out.push_str(t);
        }
        if show_claims && let Some(v) = &verified {
            out.push_str(&serde_json::to_string_pretty(&v.hcert.dcc)?);
            out.push('\n');
        }
        out
    };
    Ok((code, out))
}

/// What a SMART Health Card input holds, as JWS: `shc:/` content (chunks
/// one per line), a `.smart-health-card` file, or the JWS itself (a JWS
/// whose header says `zip: DEF`). `None` when it is not a health card.
pub(crate) fn shc_jws(text: &str) -> Option<Result<String, String>> {
    if text.starts_with("shc:/") {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return Some(ddcc::shc::jws_from_qr(&lines).map_err(|e| e.to_string()));
    }
    if text.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let list = v.get("verifiableCredential")?.as_array()?;
        let first = list.first()?.as_str()?;
        if list.len() != 1 {
            return Some(Err(
                "the file holds more than one card; give them one at a time".into(),
            ));
        }
        return Some(Ok(first.to_owned()));
    }
    let header = text.split('.').next()?;
    use base64::Engine as _;
    let h: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .ok()?,
    )
    .ok()?;
    (h.get("zip").and_then(serde_json::Value::as_str) == Some("DEF")
        && text.split('.').count() == 3)
        .then(|| Ok(text.to_owned()))
}

/// A certificate's events in the DDCC model, as `--show-claims` prints
/// them: `[{"type", "credentialSubject"}, …]`.
fn ddcc_view(
    subjects: Vec<(ddcc::model::vocab::CredentialKind, serde_json::Value)>,
) -> serde_json::Value {
    subjects
        .into_iter()
        .map(|(k, s)| json!({"type": k.credential_type(), "credentialSubject": s}))
        .collect()
}

/// Who vouched for a health card issuer: the trust configuration, or the
/// keys given on the command line.
fn shc_vouch(trust: Option<&Trust>, iss: &str) -> Vouch {
    trust
        .and_then(|t| t.shc_vouch(iss))
        .cloned()
        .unwrap_or_else(|| Vouch {
            list: "the issuer keys given with --shc-issuer".into(),
            jurisdiction: None,
            signed_at: None,
        })
}

/// Who vouched for a DIVOC key.
fn divoc_vouch(trust: Option<&Trust>, method: &str) -> Vouch {
    trust
        .and_then(|t| t.divoc_vouch(method))
        .cloned()
        .unwrap_or_else(|| Vouch {
            list: "the DIVOC keys given with --divoc-key".into(),
            jurisdiction: None,
            signed_at: None,
        })
}

/// Reads `ISS=FILE` pairs.
fn pairs(items: &[String], what: &str) -> Result<Vec<(String, serde_json::Value)>> {
    items
        .iter()
        .map(|item| {
            let (iss, file) = item
                .rsplit_once('=')
                .with_context(|| format!("{what} takes ISS=FILE"))?;
            let bytes = crate::io::read_limited(std::path::Path::new(file), 4 * 1024 * 1024)?;
            let v =
                serde_json::from_slice(&bytes).with_context(|| format!("{file} is not JSON"))?;
            Ok((iss.to_owned(), v))
        })
        .collect()
}

/// Verifies a SMART Health Card; returns the exit code and the verdict.
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_shc(
    jws: Result<String, String>,
    trust: Option<&Trust>,
    issuers: &[String],
    crls: &[String],
    require_revocation_check: bool,
    rules_file: Option<&std::path::Path>,
    now: i64,
    skew: i64,
    json_out: bool,
    show_claims: bool,
) -> Result<(u8, String)> {
    use ddcc::shc::ShcError;
    let format = "SMART Health Card";
    let render = |code: u8,
                  verdict: &str,
                  check: Option<&str>,
                  message: Option<String>,
                  card: Option<&ddcc::shc::Card>|
     -> Result<(u8, String)> {
        let out = if json_out {
            let mut j = json!({
                "verdict": verdict, "format": format, "check": check, "message": message,
                "issuer": card.map(|c| c.iss.clone()), "signer_kid": card.map(|c| c.kid.clone()),
                "trust": card.filter(|_| verdict == "valid").map(|c| vouch_json(&shc_vouch(trust, &c.iss))),
                "types": card.map(|c| c.types.clone()),
                "revocation": card.map(|c| c.revocation.name()),
                "checks": ["encoding", "issuer", "signature", "validity", "revocation"],
            });
            if show_claims && let Some(c) = card {
                j["claims"] = c.bundle.clone();
                // The same facts in the DDCC model (WHO's SHC → core data
                // set map): one vaccination per immunization.
                if let Ok(subjects) = ddcc::shc::ddcc::subjects_of(&c.bundle) {
                    j["ddcc"] = ddcc_view(subjects);
                }
            }
            serde_json::to_string_pretty(&j)? + "\n"
        } else {
            let mut out = match (&message, card) {
                (None, Some(c)) => {
                    let mut line = format!(
                        "VALID ({format}, issued by {}, key {})\n  trust: {}\n",
                        p(&c.iss),
                        p(&c.kid),
                        p(&vouch_text(&shc_vouch(trust, &c.iss)))
                    );
                    line.push_str(match c.revocation {
                        ddcc::shc::Revocation::Checked => "  revocation: checked against the issuer's list\n",
                        ddcc::shc::Revocation::NoList => "  revocation: the issuer publishes no revocation list for this key\n",
                        _ => "  revocation: NOT CHECKED: the issuer publishes a revocation list for this key and none was given (--shc-crl, or the trust configuration)\n",
                    });
                    line
                }
                (m, _) => format!(
                    "{} ({format}): {} check: {}\n",
                    verdict.replace('_', " ").to_uppercase(),
                    check.unwrap_or(""),
                    p(&m.clone().unwrap_or_default())
                ),
            };
            if show_claims && let Some(c) = card {
                out.push_str(&serde_json::to_string_pretty(&c.bundle)?);
                out.push('\n');
            }
            out
        };
        Ok((code, out))
    };
    let jws = match jws {
        Ok(j) => j,
        Err(why) => return render(1, "invalid", Some("encoding"), Some(why), None),
    };
    let unusable: &[String] = trust.map(Trust::shc_unusable).unwrap_or_default();
    let configured = trust.is_some_and(|t| {
        t.sources
            .iter()
            .any(|s| matches!(s.kind, "shc" | "shc_directory"))
    });
    if issuers.is_empty() && !configured && unusable.is_empty() {
        return render(
            2,
            "could_not_verify",
            Some("issuer"),
            Some("no issuer keys were given (--shc-issuer ISS=JWKS, or a trust configuration with --trust-config): a health card cannot be checked offline without them".into()),
            None,
        );
    }
    let mut trusted = trust.map(|t| t.shc.clone()).unwrap_or_default();
    for (iss, jwks) in pairs(issuers, "--shc-issuer")? {
        trusted
            .add_jwks(&iss, &jwks)
            .with_context(|| format!("the keys given for {iss}"))?;
    }
    for (iss, crl) in pairs(crls, "--shc-crl")? {
        trusted
            .add_crl(&iss, &crl)
            .with_context(|| format!("the revocation list given for {iss}"))?;
    }
    match ddcc::shc::verify(&jws, &trusted, now, skew) {
        Ok(card)
            if require_revocation_check
                && card.revocation == ddcc::shc::Revocation::NotChecked =>
        {
            render(
                2,
                "could_not_verify",
                Some("revocation"),
                Some("the issuer publishes a revocation list for this key and none was given: the card may be revoked".into()),
                Some(&card),
            )
        }
        Ok(card) => {
            // Rules: the card passes when one of its vaccinations does
            // (the latest first); the results shown are that one's, or the
            // latest's when none passes.
            let Some(rules_file) = rules_file else {
                return render(0, "valid", None, None, Some(&card));
            };
            let subjects = ddcc::shc::ddcc::subjects_of(&card.bundle).unwrap_or_default();
            let chosen = rules_over(rules_file, &subjects, now)?;
            let (code, out) = match &chosen {
                Some((true, _, _)) => render(0, "valid", None, None, Some(&card))?,
                Some((false, r, _)) => {
                    let rule = r["failed_rule"].as_str().unwrap_or("").to_owned();
                    render(
                        1,
                        "invalid",
                        Some("rules"),
                        Some(format!("rule {rule} failed")),
                        Some(&card),
                    )?
                }
                None => render(
                    1,
                    "invalid",
                    Some("rules"),
                    Some("the card holds no vaccination the rules can be applied to".into()),
                    Some(&card),
                )?,
            };
            let out = match (&chosen, json_out) {
                (Some((_, r, _)), true) => {
                    let mut j: serde_json::Value = serde_json::from_str(&out)?;
                    j["rules"] = r.clone();
                    serde_json::to_string_pretty(&j)? + "\n"
                }
                (Some((_, _, t)), false) => out + t,
                (None, _) => out,
            };
            Ok((code, out))
        }
        Err(ShcError::UnknownIssuer)
            if trust.is_some_and(|t| {
                ddcc::shc::payload(&jws)
                    .ok()
                    .and_then(|p| p.get("iss").and_then(serde_json::Value::as_str).map(str::to_owned))
                    .is_some_and(|iss| t.shc_unfetched(&iss).is_some())
            }) =>
        {
            render(
                2,
                "could_not_verify",
                Some("issuer"),
                Some("the issuer is in the trust configuration's directory, but its keys could not be fetched".into()),
                None,
            )
        }
        Err(ShcError::UnknownIssuer) if !unusable.is_empty() => render(
            2,
            "could_not_verify",
            Some("issuer"),
            Some(format!(
                "the issuer is on no usable list, and these trust sources could not be used: {}",
                unusable.join(", ")
            )),
            None,
        ),
        Err(e) => {
            let (check, verdict, code) = match &e {
                ShcError::Revoked => ("revocation", "revoked", 1),
                ShcError::UnknownIssuer | ShcError::UnknownKid => ("issuer", "unknown_issuer", 1),
                ShcError::Key(_) => ("issuer", "could_not_verify", 2),
                ShcError::Signature => ("signature", "invalid", 1),
                ShcError::NotYetValid | ShcError::Expired => ("validity", "invalid", 1),
                _ => ("encoding", "invalid", 1),
            };
            render(code, verdict, Some(check), Some(e.to_string()), None)
        }
    }
}

/// Checkpoint rules over the events of a certificate that holds several
/// (a health card's immunizations, a DIVOC certificate's evidence): it
/// passes when one of them does, the latest first; the results returned
/// are that one's, or the latest's when none passes. `None` when there is
/// no event to apply them to.
fn rules_over(
    rules_file: &std::path::Path,
    subjects: &[(ddcc::model::vocab::CredentialKind, serde_json::Value)],
    now: i64,
) -> Result<Option<(bool, serde_json::Value, String)>> {
    let set = load_rule_set(rules_file)?;
    let mut chosen = None;
    for (kind, subject) in subjects.iter().rev() {
        let r = apply_rule_set(&set, *kind, subject, now)?;
        let passed = r.0;
        if chosen.is_none() || passed {
            chosen = Some(r);
        }
        if passed {
            break;
        }
    }
    Ok(chosen)
}

/// The step a DIVOC failure belongs to, its verdict and exit code.
fn classify_divoc(e: &ddcc::divoc::DivocError) -> (&'static str, &'static str, u8) {
    use ddcc::divoc::DivocError as E;
    match e {
        E::TooLarge(_) | E::Base64 | E::Zip(_) | E::NoCertificate | E::NotDivoc | E::Json => {
            ("encoding", "invalid", 1)
        }
        E::Context(_) => ("contexts", "could_not_verify", 2),
        E::UnknownKey { .. } => ("signer", "unknown_issuer", 1),
        E::Signature { .. } => ("signature", "invalid", 1),
        E::NotYetValid | E::Expired => ("validity", "invalid", 1),
        _ => ("structure", "invalid", 1),
    }
}

/// Verifies a DIVOC certificate (QR content, archive or JSON) against the
/// keys given as `METHOD=FILE`; returns the exit code and the verdict.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn verify_divoc(
    payload: &[u8],
    trust: Option<&Trust>,
    keys: &[String],
    registry: &ddcc::assets::ContextRegistry,
    rules_file: Option<&std::path::Path>,
    now: i64,
    skew: i64,
    json_out: bool,
    show_claims: bool,
) -> Result<(u8, String)> {
    use ddcc::divoc::{PublicKey, Verified};
    let format = "DIVOC";
    let render = |code: u8,
                  verdict: &str,
                  check: Option<&str>,
                  message: Option<String>,
                  cert: Option<&Verified>,
                  rules: Option<&(bool, serde_json::Value, String)>|
     -> Result<(u8, String)> {
        let out = if json_out {
            let mut j = json!({
                "verdict": verdict, "format": format, "check": check, "message": message,
                "issuer": cert.map(|c| c.issuer.clone()),
                "signer": cert.map(|c| json!({"verificationMethod": c.method, "proofType": c.suite, "keyThumbprint": c.key})),
                "trust": cert.filter(|_| verdict == "valid").map(|c| vouch_json(&divoc_vouch(trust, &c.method))),
                "types": cert.map(|c| c.types.clone()),
                "checks": ["encoding", "structure", "contexts", "signer", "signature", "validity"],
            });
            if let Some((_, r, _)) = rules {
                j["rules"] = r.clone();
            }
            if show_claims && let Some(c) = cert {
                j["claims"] = c.credential.clone();
                if let Ok(subjects) = ddcc::divoc::ddcc::subjects_of(&c.credential) {
                    j["ddcc"] = ddcc_view(subjects);
                }
            }
            serde_json::to_string_pretty(&j)? + "\n"
        } else {
            let mut out = match (&message, cert) {
                (None, Some(c)) => format!(
                    "VALID ({format}, {}, issued by {}, {} key {} for {})\n  trust: {}\n",
                    p(&c.types.join(", ")),
                    p(&c.issuer),
                    c.suite,
                    p(&c.key),
                    p(&c.method),
                    p(&vouch_text(&divoc_vouch(trust, &c.method)))
                ),
                (m, _) => format!(
                    "{} ({format}): {} check: {}\n",
                    verdict.replace('_', " ").to_uppercase(),
                    check.unwrap_or(""),
                    p(&m.clone().unwrap_or_default())
                ),
            };
            if let Some((_, _, t)) = rules {
                out.push_str(t);
            }
            if show_claims && let Some(c) = cert {
                out.push_str(&serde_json::to_string_pretty(&c.credential)?);
                out.push('\n');
            }
            out
        };
        Ok((code, out))
    };
    let doc = match ddcc::divoc::unpack(payload) {
        Ok(d) => d,
        Err(e) => {
            let (check, verdict, code) = classify_divoc(&e);
            return render(code, verdict, Some(check), Some(e.to_string()), None, None);
        }
    };
    let mut set = trust.map(|t| t.divoc.clone()).unwrap_or_default();
    if keys.is_empty() && set.is_empty() {
        return render(
            2,
            "could_not_verify",
            Some("signer"),
            Some("no DIVOC keys were given (--divoc-key METHOD=FILE, or a trust configuration with --trust-config): DIVOC has no trust list, so its certificates are checked against the keys a verifier was given".into()),
            None,
            None,
        );
    }
    for item in keys {
        let (method, file) = item
            .rsplit_once('=')
            .context("--divoc-key takes METHOD=FILE")?;
        let text = crate::io::read_input(std::path::Path::new(file))?;
        let key = PublicKey::parse(&text).with_context(|| format!("the key in {file}"))?;
        set.add(method, key);
    }
    match ddcc::divoc::verify(&doc, &set, registry, now, skew).await {
        Ok(cert) => {
            let Some(rules_file) = rules_file else {
                return render(0, "valid", None, None, Some(&cert), None);
            };
            let subjects = ddcc::divoc::ddcc::subjects_of(&cert.credential).unwrap_or_default();
            match rules_over(rules_file, &subjects, now)? {
                Some(r) if r.0 => render(0, "valid", None, None, Some(&cert), Some(&r)),
                Some(r) => {
                    let rule = r.1["failed_rule"].as_str().unwrap_or("").to_owned();
                    render(
                        1,
                        "invalid",
                        Some("rules"),
                        Some(format!("rule {rule} failed")),
                        Some(&cert),
                        Some(&r),
                    )
                }
                None => render(
                    1,
                    "invalid",
                    Some("rules"),
                    Some("the certificate holds no event the rules can be applied to".into()),
                    Some(&cert),
                    None,
                ),
            }
        }
        Err(e) => {
            let (check, verdict, code) = classify_divoc(&e);
            render(code, verdict, Some(check), Some(e.to_string()), None, None)
        }
    }
}

/// Checkpoint rules applied to a verified certificate in the DDCC model:
/// `Ok(None)` when no rules were asked for, else whether all passed and
/// the results (rule names and reasons, no personal data).
pub(crate) fn apply_rules(
    rules: Option<&std::path::Path>,
    kind: ddcc::model::vocab::CredentialKind,
    subject: &serde_json::Value,
    now: i64,
) -> Result<Option<(bool, serde_json::Value, String)>> {
    let Some(path) = rules else {
        return Ok(None);
    };
    let set = load_rule_set(path)?;
    Ok(Some(apply_rule_set(&set, kind, subject, now)?))
}

/// Reads a rule set file.
pub(crate) fn load_rule_set(path: &std::path::Path) -> Result<ddcc::rules::RuleSet> {
    let text = crate::io::read_input(path)?;
    ddcc::rules::RuleSet::from_json(&text)
        .with_context(|| format!("{} is not a rule set", path.display()))
}

/// [`apply_rules`] with a rule set already read.
pub(crate) fn apply_rule_set(
    set: &ddcc::rules::RuleSet,
    kind: ddcc::model::vocab::CredentialKind,
    subject: &serde_json::Value,
    now: i64,
) -> Result<(bool, serde_json::Value, String)> {
    let at = chrono::DateTime::from_timestamp(now, 0)
        .context("the verification time is out of range")?;
    let results = ddcc::rules::evaluate(set, kind, subject, at);
    let failed = ddcc::rules::first_failure(&results).cloned();
    let json = json!({
        "set": format!("{}@{}", set.name, set.version),
        "passed": failed.is_none(),
        "failed_rule": failed.as_ref().map(|f| f.rule),
        "results": results.iter().map(|r| json!({"rule": r.rule, "passed": r.passed, "message": r.message})).collect::<Vec<_>>(),
    });
    let text = match &failed {
        None => format!(
            "RULES {}@{}: all {} passed\n",
            set.name,
            set.version,
            results.len()
        ),
        Some(f) => format!(
            "RULES {}@{}: rule {} failed: {}\n",
            set.name, set.version, f.rule, f.message
        ),
    };
    Ok((failed.is_none(), json, text))
}
