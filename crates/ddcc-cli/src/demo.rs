//! `ddcc demo`: the whole flow, from nothing to a verdict, explained.

use anyhow::{Context, Result, bail};
use chrono::Utc;

use ddcc::credential::sdjwt::{PresentationRequest, Wallet};
use ddcc::credential::trust::{TrustEntry, TrustList};
use ddcc::credential::{Check, Checks, Issuer, Outcome, Verifier};
use ddcc::keys::{SecretKey, read_secret_key_file, write_secret_key_file};
use ddcc::sd::OsSalts;
use ddcc::trust::TrustConfig;

use crate::cli::DemoArgs;
use crate::io::write_output;

/// The sample record shipped in `examples/records/`.
const SAMPLE: &str = include_str!("../../../examples/records/primary-series-complete.json");

pub(crate) async fn run(args: DemoArgs) -> Result<u8> {
    let dir = match args.dir {
        Some(d) => {
            std::fs::create_dir_all(&d)
                .with_context(|| format!("cannot create {}", d.display()))?;
            d
        }
        None => std::env::temp_dir().join(format!("ddcc-demo-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir)?;
    println!("ddcc demo: files go to {}\n", dir.display());

    // 1. Two keys: the accreditation body (the trust anchor) and the
    //    public health authority it accredits.
    let anchor_path = dir.join("accreditation-body.key");
    let key_path = dir.join("issuer.key");
    for p in [&anchor_path, &key_path] {
        if !p.exists() {
            write_secret_key_file(p, &SecretKey::generate())?;
        }
    }
    let anchor = Issuer::new(read_secret_key_file(&anchor_path)?)?;
    let issuer = Issuer::new(read_secret_key_file(&key_path)?)?;
    println!(
        "1. Keys in {} (mode 0600):
   accreditation body (trust anchor): {}
   public health authority (issuer):  {}",
        dir.display(),
        anchor.did(),
        issuer.did()
    );

    // 2. The anchor accredits the authority on a signed trust list.
    let now = Utc::now();
    let list = TrustList {
        name: "Demo accredited COVID-19 certificate issuers".into(),
        anchor: anchor.did().clone(),
        valid_until: Some(now + chrono::Duration::days(365)),
        entries: vec![TrustEntry {
            issuer: issuer.did().clone(),
            credential_types: Vec::new(),
            jurisdictions: vec!["UTO".into()],
            until: None,
        }],
    };
    let signed_list = list.sign(&anchor, now).await?;
    let list_path = dir.join("trust-list.json");
    write_output(
        Some(&list_path),
        &(serde_json::to_string_pretty(&signed_list)? + "\n"),
    )?;
    println!(
        "2. The anchor accredits the authority for Utopia (UTO) on a signed trust list\n   -> {}",
        list_path.display()
    );

    // 3. The authority issues the sample record.
    let record: serde_json::Value = serde_json::from_str(SAMPLE)?;
    let vc = issuer.issue(&record, now).await?;
    let vc_path = dir.join("credential.json");
    write_output(Some(&vc_path), &(serde_json::to_string_pretty(&vc)? + "\n"))?;
    println!(
        "3. Issued a DDCCVaccinationCredential (eddsa-rdfc-2022) from examples/records/primary-series-complete.json\n   -> {}",
        vc_path.display()
    );

    // 4. A checkpoint whose trust configuration names the list (and its
    //    anchor) verifies it.
    let config_path = dir.join("checkpoint-trust.toml");
    write_output(
        Some(&config_path),
        &format!(
            "# What this checkpoint trusts (see README, \"Trusting issuers at a checkpoint\").\n[[ddcc_list]]\nfile = \"trust-list.json\"\nanchors = [\"{}\"]\n",
            anchor.did()
        ),
    )?;
    let trust = TrustConfig::from_file(&config_path)?
        .load(&Verifier::builtin()?, None, Utc::now())
        .await?;
    if !trust.all_usable() {
        bail!("the demo's trust list cannot be used: {:?}", trust.sources);
    }
    let checkpoint = Verifier::builtin()?.with_trust(trust.policy.clone());
    let verdict = checkpoint.verify(&vc, Checks::all()).await;
    println!(
        "4. A checkpoint whose trust configuration ({}) names the list verifies it with every check:\n{}",
        config_path.display(),
        indent(&verdict.to_text())
    );
    if !verdict.is_valid() {
        bail!("the accredited authority's credential did not verify");
    }

    // 5. The holder shows only what the checkpoint needs (SD-JWT VC, bound
    //    to the holder's key), and the checkpoint verifies that.
    let holder = SecretKey::generate();
    let sd_jwt = issuer.issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)?;
    let mut wallet = Wallet::new();
    let id = wallet.add(sd_jwt, now.timestamp())?;
    let request = PresentationRequest {
        purpose: "checkpoint".into(),
        required: vec!["/vaccination/dose".into()],
        audience: "https://checkpoint.example".into(),
        nonce: "demo-nonce-1".into(),
    };
    let (profile, presentation) = wallet.present(&id, &request, &holder, now.timestamp())?;
    let mut options = ddcc::sd::VerifyOptions::at(now.timestamp());
    options.audience = Some(request.audience.clone());
    options.nonce = Some(request.nonce.clone());
    let v = checkpoint.verify_sd_jwt(&presentation, &options).await;
    println!(
        "5. The holder's wallet answers the checkpoint's request with the '{profile}' profile ({} claims disclosed, holder-bound: {}):\n   {}{}",
        v.disclosed.len(),
        v.holder_bound,
        v.verdict.to_uppercase(),
        v.trust
            .as_ref()
            .map(|t| format!(": {t}"))
            .unwrap_or_default()
    );
    if v.verdict != "valid" {
        bail!("the selective presentation did not verify");
    }

    // 6. Anybody can make a key and sign a certificate: the checkpoint
    //    refuses it as an unknown issuer, though its signature is good.
    let forger = Issuer::new(SecretKey::generate())?;
    let forged = forger.issue(&record, now).await?;
    let forged_path = dir.join("credential-self-made.json");
    write_output(
        Some(&forged_path),
        &(serde_json::to_string_pretty(&forged)? + "\n"),
    )?;
    let verdict = checkpoint.verify(&forged, Checks::all()).await;
    println!(
        "6. A certificate someone made with a key of their own ({}):\n{}",
        forged_path.display(),
        indent(&verdict.to_text())
    );
    if !matches!(verdict.outcome(), Outcome::UnknownIssuer(_)) {
        bail!("the self-made certificate was not refused as an unknown issuer");
    }

    // 7. Tamper with the genuine one: claim a third dose.
    let mut tampered = vc.clone();
    tampered["credentialSubject"]["vaccination"]["dose"] = serde_json::json!(3);
    let t_path = dir.join("credential-tampered.json");
    write_output(
        Some(&t_path),
        &(serde_json::to_string_pretty(&tampered)? + "\n"),
    )?;
    let verdict = checkpoint.verify(&tampered, Checks::all()).await;
    println!(
        "7. Changed the dose number from 2 to 3 in a copy ({}) and verified again:\n{}",
        t_path.display(),
        indent(&verdict.to_text())
    );
    match verdict.outcome() {
        Outcome::Invalid(r) if r.check == Check::Proof => {}
        _ => bail!("the tampered credential was not rejected by the proof check"),
    }
    println!(
        "Done: the accredited certificate and its presentation are VALID, the self-made one is UNKNOWN ISSUER, the tampered copy is INVALID.\nTry: ddcc verify --trust-config {} {}",
        config_path.display(),
        vc_path.display()
    );
    Ok(0)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}
