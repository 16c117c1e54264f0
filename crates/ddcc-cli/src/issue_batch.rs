//! `ddcc issue --batch RECORDS.jsonl --out CREDENTIALS.jsonl`: one
//! credential per record, appended to the output, idempotent by HCID.
//!
//! Resuming: the output is read first; a last line cut short by a crash is
//! cut off, and every HCID already in it counts as issued (and is recorded
//! as such in the register, with the digest of its line), so re-running
//! the same batch issues each certificate exactly once. A record that fails
//! validation is reported with its line number and reason and does not stop
//! the batch. Records are checked and registered in order on one thread (the
//! register is one connection), signed in chunks on every core, and written
//! in input order.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Seek, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use ddcc::credential::{IssueError, Issuer};
use ddcc::keys::SecretKey;
use serde_json::Value;

use crate::cli::{Format, IssueArgs};

/// Largest record line accepted.
const MAX_LINE: usize = 1024 * 1024;

/// The HCID of an output line: a Data Integrity credential (JSON) or an
/// SD-JWT VC as the issuer holds it (every disclosure present).
fn hcid_of_line(line: &str) -> Option<String> {
    let line = line.trim_end();
    if line.starts_with('{') {
        let v: Value = serde_json::from_str(line).ok()?;
        return v
            .pointer("/credentialSubject/certificate/hcid")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = line.split('~');
    let jwt = parts.next()?;
    let payload: Value = serde_json::from_slice(&b64.decode(jwt.split('.').nth(1)?).ok()?).ok()?;
    if let Some(h) = payload.pointer("/certificate/hcid").and_then(Value::as_str) {
        return Some(h.to_owned());
    }
    // Our model has one claim named hcid, under certificate.
    parts.filter(|d| !d.is_empty()).find_map(|d| {
        let arr: Value = serde_json::from_slice(&b64.decode(d).ok()?).ok()?;
        match arr.as_array()?.as_slice() {
            [_, Value::String(name), Value::String(h)] if name == "hcid" => Some(h.clone()),
            _ => None,
        }
    })
}

/// Reads the output so far: the HCIDs in it (with their lines' digests),
/// cutting off a last line left incomplete by an interruption.
fn resume(out: &Path) -> Result<Vec<(String, String)>> {
    let Ok(file) = std::fs::OpenOptions::new().read(true).write(true).open(out) else {
        return Ok(Vec::new());
    };
    let mut reader = BufReader::new(&file);
    let mut done = Vec::new();
    let mut good_end = 0u64;
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .with_context(|| format!("cannot read {}", out.display()))?;
        if n == 0 {
            break;
        }
        let complete = line.ends_with('\n');
        match (complete, hcid_of_line(&line)) {
            (true, Some(h)) => {
                done.push((h, crate::status::digest(&line)));
                good_end += n as u64;
            }
            (false, _) => break,
            (true, None) => bail!(
                "{} has a line that is not a credential of ours; not appending to it",
                out.display()
            ),
        }
    }
    let len = file.metadata()?.len();
    if len > good_end {
        file.set_len(good_end)
            .with_context(|| format!("cannot cut the incomplete last line of {}", out.display()))?;
        eprintln!(
            "cut an incomplete last line ({} bytes) off {}",
            len - good_end,
            out.display()
        );
    }
    Ok(done)
}

/// A FHIR DDCC:VS QuestionnaireResponse becomes our record; anything else
/// is taken to be a record already.
pub(crate) fn from_fhir(v: Value) -> Result<Value, String> {
    if v.get("resourceType").and_then(Value::as_str) == Some("QuestionnaireResponse") {
        ddcc::model::fhir::record_from_questionnaire_response(&v).map_err(|e| e.to_string())
    } else {
        Ok(v)
    }
}

/// A record (or why a line is not one) with its line number.
pub(crate) type Numbered = (u64, Result<Value, String>);

/// The records of a JSON Lines file, with their line numbers; a line
/// that is not a record is an `Err` reason (blank lines are skipped).
fn json_lines(input: Box<dyn std::io::Read>) -> impl Iterator<Item = Result<Numbered>> {
    let mut reader = BufReader::new(input);
    let mut buf = Vec::new();
    let mut n = 0u64;
    std::iter::from_fn(move || {
        loop {
            buf.clear();
            let read = match std::io::Read::take(&mut reader, MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut buf)
            {
                Ok(r) => r,
                Err(e) => return Some(Err(e.into())),
            };
            if read == 0 {
                return None;
            }
            n += 1;
            if buf.len() > MAX_LINE {
                // Skip the rest of the overlong line.
                let mut rest = Vec::new();
                if let Err(e) = reader.read_until(b'\n', &mut rest) {
                    return Some(Err(e.into()));
                }
                return Some(Ok((n, Err(format!("longer than {MAX_LINE} bytes")))));
            }
            let Ok(text) = std::str::from_utf8(&buf) else {
                return Some(Ok((n, Err("not UTF-8".into()))));
            };
            if text.trim().is_empty() {
                continue;
            }
            let parsed = serde_json::from_str(text).map_err(|e| {
                IssueError::NotJson {
                    line: e.line(),
                    column: e.column(),
                }
                .to_string()
            });
            return Some(Ok((n, parsed)));
        }
    })
}

/// Records signed together.
const CHUNK: usize = 512;

/// A progress bar on a terminal (rate and ETA by bytes read); nothing when
/// standard error is not a terminal.
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {percent:>3}% {msg} {binary_bytes_per_sec} ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Signs one record into its output line.
fn sign_one(
    issuer: &Issuer,
    rt: &tokio::runtime::Runtime,
    record: &Value,
    entries: &[ddcc::status::StatusEntry],
    now: DateTime<Utc>,
    format: Format,
) -> Result<String, String> {
    let mut line = match format {
        Format::SdJwt => {
            // The holder's key, when the record names the holder.
            let holder = record
                .pointer("/subject/id")
                .and_then(Value::as_str)
                .map(|h| {
                    ddcc::model::Did::parse(h)
                        .ok()
                        .and_then(|d| ddcc::did::ed25519_key_of(&d).ok())
                        .ok_or("subject.id is not an Ed25519 did:key or did:jwk")
                })
                .transpose()?;
            issuer
                .issue_sd_jwt_with_status(
                    record,
                    now,
                    holder.as_ref(),
                    entries,
                    &mut ddcc::sd::OsSalts,
                )
                .map_err(|e| e.to_string())?
                .as_str()
                .to_owned()
        }
        Format::Di => {
            let vc = rt
                .block_on(issuer.issue_with_status(record, now, entries))
                .map_err(|e| e.to_string())?;
            serde_json::to_string(&vc).map_err(|e| e.to_string())?
        }
    };
    line.push('\n');
    Ok(line)
}

/// Signs a chunk on `threads` threads; results in the chunk's order.
fn sign_chunk(
    issuer: &Issuer,
    chunk: &[(u64, Value, String, Vec<ddcc::status::StatusEntry>)],
    now: DateTime<Utc>,
    threads: usize,
    format: Format,
) -> Vec<Result<String, String>> {
    let per = chunk.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunk
            .chunks(per)
            .map(|part| {
                scope.spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().build();
                    part.iter()
                        .map(|(_, record, _, entries)| {
                            let rt = rt.as_ref().map_err(|e| e.to_string())?;
                            sign_one(issuer, rt, record, entries, now, format)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("a signing thread failed".to_owned()); per])
            })
            .collect()
    })
}

pub(crate) async fn run(
    a: &IssueArgs,
    batch: &Path,
    key: SecretKey,
    now: DateTime<Utc>,
) -> Result<u8> {
    if a.holder.is_some() {
        bail!("--batch takes each holder from its record (subject.id), not from --holder");
    }
    let out = a.out.as_deref().context("--batch needs --out")?;
    let mut issuer = Issuer::new(key)?;
    if let Some((did, method)) = crate::net::issuer_identity(a.issuer_did.as_deref(), &a.key_id)? {
        issuer = issuer.with_did(did, method)?;
    }
    let mut register = match &a.status_base {
        Some(base) => Some(crate::status::open_register(
            a.register.as_deref(),
            &a.key,
            base,
            true,
        )?),
        None => None,
    };
    let already = resume(out)?;
    let mut done: HashSet<String> = HashSet::with_capacity(already.len());
    if let Some(reg) = register.as_mut() {
        // Written but perhaps not yet recorded before an interruption: the
        // reservation is this batch's (taken over from the interrupted
        // run), and is now marked issued with the line's digest.
        for part in already.chunks(CHUNK) {
            let items: Vec<(&str, &str)> = part
                .iter()
                .map(|(h, _)| (h.as_str(), "DDCCVaccinationCredential"))
                .collect();
            let found = reg.reserve_many(&items, &PURPOSES, &mut rand_core::OsRng)?;
            let marks: Vec<(&str, &str)> = part
                .iter()
                .zip(&found)
                .filter(|(_, r)| r.issued_digest.is_none() && !r.held_elsewhere)
                .map(|((h, d), _)| (h.as_str(), d.as_str()))
                .collect();
            reg.mark_issued_many(&marks, &now.to_rfc3339())?;
        }
    }
    done.extend(already.into_iter().map(|(h, _)| h));
    let input =
        std::fs::File::open(batch).with_context(|| format!("cannot open {}", batch.display()))?;
    let total = input.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = progress_bar(total);
    let input: Box<dyn std::io::Read> = Box::new(progress.wrap_read(input));
    // Credentials carry personal health data: the output is for the issuer
    // alone until it hands them out.
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut output = options
        .open(out)
        .with_context(|| format!("cannot open {}", out.display()))?;
    output.seek(std::io::SeekFrom::End(0))?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let started = std::time::Instant::now();
    let (mut issued, mut skipped, mut refused, mut elsewhere) = (0u64, 0u64, 0u64, 0u64);
    let is_csv = batch
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut records: Box<dyn Iterator<Item = Result<Numbered>>> = if is_csv {
        Box::new(crate::records_csv::records(input))
    } else {
        Box::new(json_lines(input))
    };
    loop {
        // A chunk: read, validate and register on this thread (the register
        // is one connection), sign on every core, write in input order.
        let mut chunk: Vec<(u64, Value, String, Vec<ddcc::status::StatusEntry>)> = Vec::new();
        let mut in_chunk: HashSet<String> = HashSet::new();
        let mut exhausted = true;
        for item in records.by_ref() {
            let (n, record) = item.with_context(|| format!("cannot read {}", batch.display()))?;
            let record = match record.and_then(from_fhir) {
                Ok(v) => v,
                Err(why) => {
                    progress.suspend(|| eprintln!("line {n}: refused: {why}"));
                    refused += 1;
                    continue;
                }
            };
            let Some(hcid) = record
                .pointer("/subject/certificate/hcid")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                progress.suspend(|| {
                    eprintln!("line {n}: refused: the record has no subject.certificate.hcid")
                });
                refused += 1;
                continue;
            };
            if done.contains(&hcid) || in_chunk.contains(&hcid) {
                skipped += 1;
                continue;
            }
            // Validate before anything is registered.
            if let Err(e) = issuer.credential_from_record(&record, now) {
                progress.suspend(|| eprintln!("line {n}: refused: {e}"));
                refused += 1;
                continue;
            }
            in_chunk.insert(hcid.clone());
            chunk.push((n, record, hcid, Vec::new()));
            if chunk.len() >= CHUNK {
                exhausted = false;
                break;
            }
        }
        // One register transaction for the chunk's reservations.
        if let Some(reg) = register.as_mut() {
            let items: Vec<(&str, &str)> = chunk
                .iter()
                .map(|(_, _, h, _)| (h.as_str(), "DDCCVaccinationCredential"))
                .collect();
            let reserved = reg.reserve_many(&items, &PURPOSES, &mut rand_core::OsRng)?;
            let mut kept = Vec::with_capacity(chunk.len());
            for (mut item, r) in chunk.into_iter().zip(reserved) {
                if r.held_elsewhere {
                    // Another issuing process is issuing it right now.
                    elsewhere += 1;
                } else if r.issued_digest.is_some() {
                    // Issued before, into another output: never twice.
                    skipped += 1;
                } else {
                    item.3 = r.entries;
                    kept.push(item);
                }
            }
            chunk = kept;
        }
        let signed = sign_chunk(&issuer, &chunk, now, threads, a.format);
        let mut written: Vec<(String, String)> = Vec::with_capacity(chunk.len());
        for ((n, _, hcid, _), result) in chunk.into_iter().zip(signed) {
            let line = match result {
                Ok(line) => line,
                Err(e) => {
                    progress.suspend(|| eprintln!("line {n}: refused: {e}"));
                    refused += 1;
                    continue;
                }
            };
            output
                .write_all(line.as_bytes())
                .with_context(|| format!("cannot write {}", out.display()))?;
            written.push((hcid.clone(), crate::status::digest(&line)));
            done.insert(hcid);
            issued += 1;
        }
        // Written first, then recorded: a crash in between is repaired by
        // the next run, which finds the lines and records them.
        if let Some(reg) = register.as_mut() {
            output.flush()?;
            let items: Vec<(&str, &str)> = written
                .iter()
                .map(|(h, d)| (h.as_str(), d.as_str()))
                .collect();
            reg.mark_issued_many(&items, &now.to_rfc3339())?;
        }
        progress.set_message(format!("{issued} issued"));
        if exhausted {
            break;
        }
    }
    progress.finish_and_clear();
    output.flush()?;
    output.sync_all()?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "issued {issued}, already issued {skipped}, refused {refused}, held by another issuing process {elsewhere} in {secs:.2} s ({:.0}/s)",
        issued as f64 / secs.max(1e-9)
    );
    Ok(if refused > 0 { 1 } else { 0 })
}

const PURPOSES: [ddcc::status::Purpose; 2] = [
    ddcc::status::Purpose::Revocation,
    ddcc::status::Purpose::Suspension,
];
