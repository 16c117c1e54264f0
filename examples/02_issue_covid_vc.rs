//! Issue a DDCC:VS vaccination credential from an input record.
//!
//! Run: `cargo run -p ddcc-examples --example 02_issue_covid_vc`
//! Prints a VC 2.0 `DDCCVaccinationCredential` with an `eddsa-rdfc-2022`
//! Data Integrity proof by a fresh did:key issuer.

use ddcc::credential::Issuer;
use ddcc::keys::SecretKey;

const RECORD: &str = include_str!("records/primary-series-complete.json");

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // In production the key comes from a 0600 key file
    // (`ddcc::keys::read_secret_key_file`) or an HSM; here it is fresh.
    let issuer = Issuer::new(SecretKey::generate())?;
    let record: serde_json::Value = serde_json::from_str(RECORD)?;
    // The record is checked against schemas/ddcc-vs-record-1.0.0 first;
    // a bad record is refused with the failing field named.
    let credential = issuer.issue(&record, chrono::Utc::now()).await?;
    println!("{}", serde_json::to_string_pretty(&credential)?);
    Ok(())
}
