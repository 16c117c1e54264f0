//! Create an Ed25519 key and its did:key, and resolve it offline.
//!
//! Run: `cargo run -p ddcc-examples --example 01_did_key`
//! Prints the DID and its DID document (one Multikey verification method,
//! listed under assertionMethod and authentication).

use ddcc::did::{DidKeyOptions, did_key_for, resolve_did_key};
use ddcc::keys::SecretKey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = SecretKey::generate();
    let did = did_key_for(&key.public_key());
    println!("DID: {did}");
    let document = resolve_did_key(&did, DidKeyOptions::default())?;
    println!("{}", serde_json::to_string_pretty(&document.to_json())?);
    Ok(())
}
