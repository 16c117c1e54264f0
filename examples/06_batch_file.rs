//! Issue many certificates into a JSON Lines file, one credential per line,
//! for `ddcc verify --batch` (each gets its own name, dose and lot).
//!
//! Run: `cargo run --release -p ddcc-examples --example 06_batch_file -- 100000 batch.jsonl`
//! then `cargo run --release -p ddcc-cli -- verify --batch batch.jsonl | tail -1`.
//! Prints the issuing rate; the file holds sample (fictitious) personal data.

use std::io::Write;

use ddcc::credential::Issuer;
use ddcc::keys::SecretKey;

const RECORD: &str = include_str!("records/primary-series-complete.json");

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().as_deref().unwrap_or("1000").parse()?;
    let out = args.next().unwrap_or_else(|| "batch.jsonl".into());
    let issuer = Issuer::new(SecretKey::generate())?;
    let base: serde_json::Value = serde_json::from_str(RECORD)?;
    let now = chrono::Utc::now();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    let start = std::time::Instant::now();
    for i in 0..count {
        let mut record = base.clone();
        record["subject"]["name"] = format!("Sample Person {i}").into();
        record["subject"]["vaccination"]["dose"] = (1 + i % 3).into();
        record["subject"]["vaccination"]["lot"] = format!("LOT{i:07}").into();
        let vc = issuer.issue(&record, now).await?;
        serde_json::to_writer(&mut file, &vc)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "issued {count} credentials by {} to {out} in {secs:.2} s ({:.0}/s, one core)",
        issuer.did(),
        count as f64 / secs
    );
    Ok(())
}
