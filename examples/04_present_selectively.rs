//! A wallet holds an SD-JWT VC and answers a checkpoint's request with the
//! least it needs, bound to the holder's key.
//!
//! Run: `cargo run -p ddcc-examples --example 04_present_selectively`
//! Prints what the credential can disclose, the profile the wallet chose for
//! the request, and the presentation (issuer JWT ~ disclosures ~ KB-JWT).

use ddcc::credential::Issuer;
use ddcc::credential::sdjwt::{PresentationRequest, Wallet};
use ddcc::keys::SecretKey;
use ddcc::sd::OsSalts;

const RECORD: &str = include_str!("records/primary-series-complete.json");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = chrono::Utc::now();
    // The issuer (a public health authority) issues to the holder's key.
    let issuer = Issuer::new(SecretKey::generate())?;
    let holder = SecretKey::generate();
    let record: serde_json::Value = serde_json::from_str(RECORD)?;
    let sd_jwt = issuer.issue_sd_jwt(&record, now, Some(&holder.public_key()), &mut OsSalts)?;

    // The wallet checks and stores it.
    let mut wallet = Wallet::new();
    let id = wallet.add(sd_jwt, now.timestamp())?;
    println!("stored credential {id}; it can disclose:");
    for path in wallet.disclosable(&id)? {
        println!("  {path}");
    }

    // A checkpoint asks, stating its purpose and a fresh nonce.
    let request = PresentationRequest {
        purpose: "checkpoint".into(),
        required: vec!["/vaccination/dose".into(), "/birthDate".into()],
        audience: "https://checkpoint.example".into(),
        nonce: "8b1f6c0e".into(),
    };
    let (profile, presentation) = wallet.present(&id, &request, &holder, now.timestamp())?;
    println!(
        "\nprofile chosen: {profile}; presentation ({} bytes):\n{presentation}",
        presentation.len()
    );
    Ok(())
}
