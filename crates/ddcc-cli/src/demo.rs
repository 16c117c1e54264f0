//! `ddcc demo`: the whole flow, from nothing to a verdict, explained.

use anyhow::{Context, Result, bail};
use chrono::Utc;

use ddcc::credential::{Check, Checks, Issuer, Outcome, Verifier};
use ddcc::keys::{SecretKey, read_secret_key_file, write_secret_key_file};

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

    // 1. An issuer key.
    let key_path = dir.join("issuer.key");
    if !key_path.exists() {
        write_secret_key_file(&key_path, &SecretKey::generate())?;
    }
    let issuer = Issuer::new(read_secret_key_file(&key_path)?)?;
    println!(
        "1. Issuer key in {} (mode 0600); issuer DID:\n   {}",
        key_path.display(),
        issuer.did()
    );

    // 2. Issue the sample record.
    let record: serde_json::Value = serde_json::from_str(SAMPLE)?;
    let vc = issuer.issue(&record, Utc::now()).await?;
    let vc_path = dir.join("credential.json");
    write_output(Some(&vc_path), &(serde_json::to_string_pretty(&vc)? + "\n"))?;
    println!(
        "2. Issued a DDCCVaccinationCredential (eddsa-rdfc-2022) from examples/records/primary-series-complete.json\n   -> {}",
        vc_path.display()
    );

    // 3. Verify it.
    let verifier = Verifier::builtin()?;
    let verdict = verifier.verify(&vc, Checks::all()).await;
    println!(
        "3. Verified it with every check:\n{}",
        indent(&verdict.to_text())
    );
    if !verdict.is_valid() {
        bail!("the freshly issued credential did not verify");
    }

    // 4. Tamper with it: claim a third dose.
    let mut tampered = vc.clone();
    tampered["credentialSubject"]["vaccination"]["dose"] = serde_json::json!(3);
    let t_path = dir.join("credential-tampered.json");
    write_output(
        Some(&t_path),
        &(serde_json::to_string_pretty(&tampered)? + "\n"),
    )?;
    let verdict = verifier.verify(&tampered, Checks::all()).await;
    println!(
        "4. Changed the dose number from 2 to 3 in a copy ({}) and verified again:\n{}",
        t_path.display(),
        indent(&verdict.to_text())
    );
    match verdict.outcome() {
        Outcome::Invalid(r) if r.check == Check::Proof => {}
        _ => bail!("the tampered credential was not rejected by the proof check"),
    }
    println!(
        "Done: the original is VALID and the tampered copy is INVALID.\nTry: ddcc verify {}",
        vc_path.display()
    );
    Ok(0)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}
