//! Verify a credential offline and read the verdict.
//!
//! Run: `cargo run -p ddcc-examples --example 03_verify_vc`
//! Issues the sample credential and verifies it: every check passes, and
//! with no trust list the verdict is "signature valid, issuer not checked"
//! (07_did_web_trust shows a checkpoint that trusts a list); then verifies
//! a copy whose dose number was changed (INVALID: proof check) and one
//! checked on a date after it expired (INVALID: validity check).

use chrono::{TimeZone, Utc};
use ddcc::assets::ContextRegistry;
use ddcc::credential::{Checks, FixedClock, Issuer, Verifier};
use ddcc::keys::SecretKey;

const RECORD: &str = include_str!("records/primary-series-complete.json");

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issuer = Issuer::new(SecretKey::generate())?;
    let record: serde_json::Value = serde_json::from_str(RECORD)?;
    let credential = issuer.issue(&record, Utc::now()).await?;

    let verifier = Verifier::builtin()?;
    let verdict = verifier.verify(&credential, Checks::all()).await;
    println!("original:\n{}", verdict.to_text());
    assert!(verdict.is_authentic() && !verdict.is_valid());

    let mut tampered = credential.clone();
    tampered["credentialSubject"]["vaccination"]["dose"] = serde_json::json!(3);
    let verdict = verifier.verify(&tampered, Checks::all()).await;
    println!("tampered:\n{}", verdict.to_text());
    assert_eq!(verdict.exit_code(), 1);

    // A checkpoint injects its own (trusted) clock.
    let later = Verifier::new(
        ContextRegistry::builtin()?,
        FixedClock(
            Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0)
                .single()
                .ok_or("date")?,
        ),
    )?;
    let verdict = later.verify(&credential, Checks::all()).await;
    println!("in 2040:\n{}", verdict.to_json());
    assert_eq!(verdict.exit_code(), 1);
    Ok(())
}
