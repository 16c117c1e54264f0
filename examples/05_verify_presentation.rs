//! A checkpoint verifies a selective-disclosure presentation: issuer
//! signature, every disclosure, and the holder's Key Binding JWT for its own
//! audience and nonce. It sees only what was disclosed.
//!
//! Run: `cargo run -p ddcc-examples --example 05_verify_presentation`
//! Prints the disclosed claims, then the refusal of the same presentation
//! replayed with another nonce.

use ddcc::credential::Issuer;
use ddcc::credential::sdjwt::{PresentationRequest, Wallet, verify_sd_jwt_vc};
use ddcc::keys::SecretKey;
use ddcc::sd::{OsSalts, VerifyOptions};

const RECORD: &str = include_str!("records/primary-series-complete.json");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = chrono::Utc::now();
    let issuer = Issuer::new(SecretKey::generate())?;
    let holder = SecretKey::generate();
    let record: serde_json::Value = serde_json::from_str(RECORD)?;
    let mut wallet = Wallet::new();
    let id = wallet.add(
        issuer.issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)?,
        now.timestamp(),
    )?;
    let request = PresentationRequest {
        purpose: "checkpoint".into(),
        required: vec![],
        audience: "https://checkpoint.example".into(),
        nonce: "c0ffee".into(),
    };
    let (_, presentation) = wallet.present(&id, &request, &holder, now.timestamp())?;

    let mut options = VerifyOptions::at(now.timestamp());
    options.audience = Some(request.audience.clone());
    options.nonce = Some(request.nonce.clone());
    options.require_key_binding = true;
    let verified = verify_sd_jwt_vc(&presentation, &options)?;
    println!(
        "VALID, holder-bound: {}\n{}",
        verified.key_bound,
        serde_json::to_string_pretty(&verified.claims)?
    );

    options.nonce = Some("another-nonce".into());
    match verify_sd_jwt_vc(&presentation, &options) {
        Err(e) => println!("\nreplayed with another nonce: INVALID ({e})"),
        Ok(_) => return Err("a replayed presentation was accepted".into()),
    }
    Ok(())
}
