//! Write N vaccination records (JSON Lines, the input of `ddcc issue
//! --batch`), each with its own certificate id, name, birth date, dose and
//! lot. The data is fictitious; the file streams, so N can be millions.
//!
//! Run: `cargo run --release -p ddcc-examples --example 08_records_file -- 1000000 records.jsonl`
//! then `ddcc issue --key moh.key --format sd-jwt --batch records.jsonl
//! --out credentials.sdjwt --status-base https://moh.example/status`
//! (`scripts/bench-issue.sh` does both and measures).

use std::io::Write;

const RECORD: &str = include_str!("records/primary-series-complete.json");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().as_deref().unwrap_or("1000").parse()?;
    let out = args.next().unwrap_or_else(|| "records.jsonl".into());
    let base: serde_json::Value = serde_json::from_str(RECORD)?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    for i in 0..count {
        let mut record = base.clone();
        record["subject"]["name"] = format!("Sample Person {i}").into();
        record["subject"]["birthDate"] =
            format!("{}-{:02}-{:02}", 1930 + i % 80, 1 + i % 12, 1 + i % 28).into();
        record["subject"]["certificate"]["hcid"] = format!("URN:UVCI:01:UT:B{i:09}").into();
        record["subject"]["vaccination"]["dose"] = (1 + i % 2).into();
        record["subject"]["vaccination"]["lot"] = format!("LOT{i:07}").into();
        serde_json::to_writer(&mut file, &record)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    eprintln!("wrote {count} records to {out}");
    Ok(())
}
