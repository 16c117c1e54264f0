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
use std::io::{BufRead, BufReader, Read as _, Write};
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

/// Reads the output so far, handing its HCIDs (with their lines' digests)
/// to `on_chunk` a chunk at a time (memory stays flat), and cuts off a last
/// line left incomplete by an interruption.
fn resume(out: &Path, mut on_chunk: impl FnMut(&[(String, String)]) -> Result<()>) -> Result<()> {
    let Ok(file) = std::fs::OpenOptions::new().read(true).write(true).open(out) else {
        return Ok(());
    };
    let mut reader = BufReader::new(&file);
    let mut done = Vec::with_capacity(CHUNK);
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
                if done.len() >= CHUNK {
                    on_chunk(&done)?;
                    done.clear();
                }
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
    on_chunk(&done)
}

/// Which certificates this run must not issue (again): with a register,
/// the register says what is issued, and only the certificates between
/// reservation and recording are held here (a bounded set); without one,
/// a 128-bit fingerprint of every HCID seen (16 bytes each).
#[derive(Default)]
struct Seen {
    fingerprints: HashSet<u128>,
}

impl Seen {
    fn fingerprint(hcid: &str) -> u128 {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(hcid.as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&d[..16]);
        u128::from_le_bytes(b)
    }

    /// `true` the first time `hcid` is inserted.
    fn insert(&mut self, hcid: &str) -> bool {
        self.fingerprints.insert(Self::fingerprint(hcid))
    }
}

/// Certificates reserved by this run and not yet recorded as issued.
type InFlight = std::sync::Arc<std::sync::Mutex<HashSet<String>>>;

/// A FHIR DDCC:VS QuestionnaireResponse or document Bundle becomes our
/// record; anything else is taken to be a record already.
pub(crate) fn from_fhir(v: Value) -> Result<Value, String> {
    match v.get("resourceType").and_then(Value::as_str) {
        Some("QuestionnaireResponse") => {
            ddcc::model::fhir::record_from_questionnaire_response(&v).map_err(|e| e.to_string())
        }
        Some("Bundle") => {
            ddcc::model::fhir::record_from_document_bundle(&v).map_err(|e| e.to_string())
        }
        Some(other) => Err(format!(
            "a FHIR {} is not a DDCC:VS document Bundle or QuestionnaireResponse",
            other.chars().take(40).collect::<String>()
        )),
        None => Ok(v),
    }
}

/// Largest single FHIR JSON file read whole (`--batch FILE.json`); larger
/// batches come as NDJSON (one resource per line), which streams.
const MAX_FHIR_FILE: u64 = 256 * 1024 * 1024;

/// The records of one FHIR JSON file: a document Bundle or
/// QuestionnaireResponse (one record), or a `collection`, `batch` or
/// `transaction` Bundle of them (one per entry, numbered from 1). A file
/// that is not one JSON value is read as JSON Lines.
fn fhir_file(input: Box<dyn std::io::Read>) -> Result<Box<dyn Iterator<Item = Result<Numbered>>>> {
    let mut text = String::new();
    std::io::Read::take(input, MAX_FHIR_FILE + 1)
        .read_to_string(&mut text)
        .context("cannot read the FHIR file")?;
    if text.len() as u64 > MAX_FHIR_FILE {
        bail!(
            "the FHIR file is larger than {MAX_FHIR_FILE} bytes: give it as NDJSON (one resource per line)"
        );
    }
    let v: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => {
            return Ok(Box::new(json_lines(Box::new(std::io::Cursor::new(
                text.into_bytes(),
            )))));
        }
    };
    drop(text);
    let kind = v.get("type").and_then(Value::as_str);
    if v.get("resourceType").and_then(Value::as_str) == Some("Bundle")
        && matches!(kind, Some("collection" | "batch" | "transaction"))
    {
        let entries = v
            .get("entry")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        return Ok(Box::new(entries.into_iter().enumerate().map(|(i, e)| {
            let r = e
                .get("resource")
                .cloned()
                .ok_or_else(|| "the entry has no resource".to_owned());
            Ok((i as u64 + 1, r))
        })));
    }
    Ok(Box::new(std::iter::once(Ok((1, Ok(v))))))
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

/// A record on its way to the output: checked, then reserved, then signed.
struct Item {
    /// Its line in the input.
    n: u64,
    hcid: String,
    /// Its credential type (`DDCCVaccinationCredential`, …).
    credential_type: &'static str,
    /// The credential made from the record (checked against the schema).
    vc: Value,
    /// The holder's key (SD-JWT `cnf`), from the record's `subject.id`.
    holder: Option<ddcc::keys::PublicKey>,
    entries: Vec<ddcc::status::StatusEntry>,
}

/// Checks a record and makes its credential (no signature yet).
fn prepare(
    issuer: &Issuer,
    n: u64,
    record: Result<Value, String>,
    now: DateTime<Utc>,
    format: Format,
) -> Result<Item, String> {
    let record = record.and_then(from_fhir)?;
    let hcid = record
        .pointer("/subject/certificate/hcid")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or("the record has no subject.certificate.hcid")?;
    let holder = match format {
        Format::SdJwt => record
            .pointer("/subject/id")
            .and_then(Value::as_str)
            .map(|h| {
                ddcc::model::Did::parse(h)
                    .ok()
                    .and_then(|d| ddcc::did::ed25519_key_of(&d).ok())
                    .ok_or("subject.id is not an Ed25519 did:key or did:jwk")
            })
            .transpose()?,
        Format::Di | Format::Bbs => None,
    };
    let vc = issuer
        .credential_from_record(&record, now)
        .map_err(|e| e.to_string())?;
    let credential_type = record
        .get("subject")
        .and_then(ddcc::model::vocab::CredentialKind::of_subject)
        .unwrap_or(ddcc::model::vocab::CredentialKind::Vaccination)
        .credential_type();
    Ok(Item {
        n,
        hcid,
        credential_type,
        vc,
        holder,
        entries: Vec::new(),
    })
}

/// Runs `f` over `items` on the pool's threads, each with its [`Worker`];
/// results in order.
fn parallel<T: Sync, R: Send>(
    pool: &rayon::ThreadPool,
    items: &[T],
    f: impl Fn(&T, &mut Worker) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    thread_local! {
        static WORKER: std::cell::RefCell<Option<Worker>> = const { std::cell::RefCell::new(None) };
    }
    pool.install(|| {
        items
            .par_iter()
            .with_min_len(16)
            .map(|x| {
                WORKER.with(|w| {
                    let mut w = w.borrow_mut();
                    f(x, w.get_or_insert_with(Worker::new))
                })
            })
            .collect()
    })
}

/// What a signing thread keeps: its runtime and its salt pool.
struct Worker {
    rt: Option<tokio::runtime::Runtime>,
    salts: ddcc::sd::PooledOsSalts,
}

impl Worker {
    fn new() -> Self {
        Self {
            rt: tokio::runtime::Builder::new_current_thread().build().ok(),
            salts: ddcc::sd::PooledOsSalts::default(),
        }
    }
}

/// Signs one prepared record into its output line.
fn sign_one(
    issuer: &Issuer,
    w: &mut Worker,
    item: &Item,
    now: DateTime<Utc>,
    format: Format,
) -> Result<String, String> {
    let mut line = match format {
        Format::SdJwt => issuer
            .sd_jwt_from_credential(
                &item.vc,
                now,
                item.holder.as_ref(),
                &item.entries,
                &mut w.salts,
            )
            .map_err(|e| e.to_string())?
            .as_str()
            .to_owned(),
        Format::Di | Format::Bbs => {
            let rt = w.rt.as_ref().ok_or("no runtime for signing")?;
            let vc = rt
                .block_on(issuer.sign_credential_with_status(item.vc.clone(), now, &item.entries))
                .map_err(|e| e.to_string())?;
            serde_json::to_string(&vc).map_err(|e| e.to_string())?
        }
    };
    line.push('\n');
    Ok(line)
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
    // Without a register, what the output holds is remembered here; with
    // one, the register is told (and remembers).
    let mut seen = Seen::default();
    let on_chunk = |part: &[(String, String)]| -> Result<()> {
        let Some(reg) = register.as_mut() else {
            for (h, _) in part {
                seen.insert(h);
            }
            return Ok(());
        };
        // Written but perhaps not yet recorded before an interruption: the
        // reservation is this batch's (taken over from the interrupted
        // run), and is now marked issued with the line's digest.
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
        Ok(())
    };
    if is_dir_output(out) {
        resume_dir(out, on_chunk)?;
    } else {
        resume(out, on_chunk)?;
    }
    let use_seen = register.is_none();
    let in_flight: InFlight = InFlight::default();
    let input =
        std::fs::File::open(batch).with_context(|| format!("cannot open {}", batch.display()))?;
    let total = input.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = progress_bar(total);
    let input: Box<dyn std::io::Read> = Box::new(progress.wrap_read(input));
    // Credentials carry personal health data: the output is for the issuer
    // alone until it hands them out.
    let output = Output::open(out, a.format)?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let started = std::time::Instant::now();
    let ext = batch
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let mut records: Box<dyn Iterator<Item = Result<Numbered>>> = match ext.as_deref() {
        Some("csv") => Box::new(
            ddcc::model::records_csv::records(input).map(|row| row.map_err(anyhow::Error::from)),
        ),
        Some("json") => fhir_file(input)?,
        _ => Box::new(json_lines(input)),
    };
    let open_second = || -> Result<Option<ddcc::register::Register>> {
        match &a.status_base {
            Some(base) => Ok(Some(crate::status::open_register(
                a.register.as_deref(),
                &a.key,
                base,
                true,
            )?)),
            None => Ok(None),
        }
    };
    // Two connections: one reserves, one records what was written, each
    // on its own stage of the pipeline.
    let marker = open_second()?;
    let issuer = &issuer;
    let format = a.format;
    let pool = &rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("sign-{i}"))
        .build()
        .context("cannot start the signing threads")?;
    let progress = &progress;
    let issued_at = now.to_rfc3339();
    // A pipeline of chunks, each stage on its own thread, with at most
    // two chunks waiting between stages (memory stays flat):
    // read + check (every core) → reserve (register) → sign (every core)
    // → write + record (register). Output stays in input order.
    let (to_reserve, reserve_rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(2);
    let (to_sign, sign_rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(2);
    let (to_write, write_rx) = std::sync::mpsc::sync_channel::<Signed>(2);
    let mut counts = Counts::default();
    let (in_flight_r, in_flight_w) = (&in_flight, in_flight.clone());
    std::thread::scope(|scope| -> Result<()> {
        let reserver = scope.spawn(move || -> Result<Counts> {
            let mut c = Counts::default();
            for chunk in reserve_rx {
                let chunk = reserve_chunk(register.as_mut(), chunk, in_flight_r, &mut c)?;
                if to_sign.send(chunk).is_err() {
                    break;
                }
            }
            Ok(c)
        });
        let signer = scope.spawn(move || {
            for chunk in sign_rx {
                let signed = parallel(pool, &chunk, |item, w| {
                    sign_one(issuer, w, item, now, format)
                });
                let signed: Signed = chunk
                    .into_iter()
                    .zip(signed)
                    .map(|(it, r)| (it.n, it.hcid, r))
                    .collect();
                if to_write.send(signed).is_err() {
                    break;
                }
            }
        });
        let out_path = out.to_owned();
        let writer = scope.spawn(move || -> Result<(Counts, Output)> {
            let mut w = Writer {
                output,
                out: out_path,
                register: marker,
                issued_at,
                counts: Counts::default(),
                in_flight: in_flight_w,
            };
            for signed in write_rx {
                w.write_chunk(signed, progress)?;
            }
            Ok((w.counts, w.output))
        });
        // This thread reads and checks.
        let mut read_err = None;
        loop {
            match read_chunk(
                &mut records,
                batch,
                issuer,
                now,
                format,
                pool,
                progress,
                use_seen.then_some(&mut seen),
                &mut counts,
            ) {
                Ok((chunk, exhausted)) => {
                    if to_reserve.send(chunk).is_err() || exhausted {
                        break;
                    }
                }
                Err(e) => {
                    read_err = Some(e);
                    break;
                }
            }
        }
        drop(to_reserve);
        let reserved = reserver
            .join()
            .map_err(|_| anyhow::anyhow!("the register thread failed"))?;
        signer
            .join()
            .map_err(|_| anyhow::anyhow!("the signing thread failed"))?;
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writing thread failed"))?;
        // The first failure, in pipeline order.
        if let Some(e) = read_err {
            return Err(e);
        }
        let reserved = reserved?;
        let (wc, mut output) = written?;
        output.finish()?;
        counts.add(&reserved);
        counts.add(&wc);
        Ok(())
    })?;
    progress.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let c = &counts;
    eprintln!(
        "issued {}, already issued {}, refused {}, held by another issuing process {} in {secs:.2} s ({:.0}/s)",
        c.issued,
        c.skipped,
        c.refused,
        c.elsewhere,
        c.issued as f64 / secs.max(1e-9)
    );
    Ok(if c.refused > 0 { 1 } else { 0 })
}

/// A signed chunk: line number, HCID, output line or why it failed.
type Signed = Vec<(u64, String, Result<String, String>)>;

#[derive(Default)]
struct Counts {
    issued: u64,
    skipped: u64,
    refused: u64,
    elsewhere: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.issued += o.issued;
        self.skipped += o.skipped;
        self.refused += o.refused;
        self.elsewhere += o.elsewhere;
    }
}

/// Reads a chunk and checks it on every core; `true` when the input is
/// done. Records already issued (or twice in the input) are skipped.
#[allow(clippy::too_many_arguments)]
fn read_chunk(
    records: &mut dyn Iterator<Item = Result<Numbered>>,
    batch: &Path,
    issuer: &Issuer,
    now: DateTime<Utc>,
    format: Format,
    pool: &rayon::ThreadPool,
    progress: &indicatif::ProgressBar,
    mut seen: Option<&mut Seen>,
    counts: &mut Counts,
) -> Result<(Vec<Item>, bool)> {
    let mut raw: Vec<Numbered> = Vec::with_capacity(CHUNK);
    while raw.len() < CHUNK {
        let Some(item) = records.next() else {
            break;
        };
        raw.push(item.with_context(|| format!("cannot read {}", batch.display()))?);
    }
    let exhausted = raw.len() < CHUNK;
    let prepared = parallel(pool, &raw, |(n, record), _| {
        prepare(issuer, *n, record.clone(), now, format)
    });
    let mut chunk: Vec<Item> = Vec::with_capacity(raw.len());
    let mut in_chunk: HashSet<String> = HashSet::new();
    for ((n, _), p) in raw.iter().zip(prepared) {
        match p {
            Err(why) => {
                progress.suspend(|| eprintln!("line {n}: refused: {why}"));
                counts.refused += 1;
            }
            // Taken by this run from here on, even before it is written: a
            // later duplicate is skipped.
            Ok(item)
                if !in_chunk.insert(item.hcid.clone())
                    || seen.as_mut().is_some_and(|s| !s.insert(&item.hcid)) =>
            {
                counts.skipped += 1
            }
            Ok(item) => chunk.push(item),
        }
    }
    Ok((chunk, exhausted))
}

/// Reserves the chunk's status entries (one register transaction); drops
/// what another process holds or has issued.
fn reserve_chunk(
    register: Option<&mut ddcc::register::Register>,
    chunk: Vec<Item>,
    in_flight: &InFlight,
    counts: &mut Counts,
) -> Result<Vec<Item>> {
    let Some(reg) = register else {
        return Ok(chunk);
    };
    // A certificate of an earlier chunk not yet recorded as issued: this
    // run is issuing it already.
    let chunk: Vec<Item> = {
        let held = in_flight.lock().unwrap_or_else(|e| e.into_inner());
        chunk
            .into_iter()
            .filter(|it| {
                let dup = held.contains(&it.hcid);
                counts.skipped += u64::from(dup);
                !dup
            })
            .collect()
    };
    let items: Vec<(&str, &str)> = chunk
        .iter()
        .map(|it| (it.hcid.as_str(), it.credential_type))
        .collect();
    let reserved = reg.reserve_many(&items, &PURPOSES, &mut rand_core::OsRng)?;
    let mut kept = Vec::with_capacity(chunk.len());
    for (mut item, r) in chunk.into_iter().zip(reserved) {
        if r.held_elsewhere {
            // Another issuing process is issuing it right now.
            counts.elsewhere += 1;
        } else if r.issued_digest.is_some() {
            // Issued before (by an earlier run or into another output):
            // never twice.
            counts.skipped += 1;
        } else {
            item.entries = r.entries;
            kept.push(item);
        }
    }
    in_flight
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(kept.iter().map(|it| it.hcid.clone()));
    Ok(kept)
}

/// Where credentials go: appended to one JSON Lines file, or one file per
/// certificate in a directory (named by its percent-encoded HCID).
enum Output {
    Lines(std::fs::File),
    Dir {
        dir: std::path::PathBuf,
        ext: &'static str,
    },
}

/// Whether `out` names a directory: an existing one, or a path ending in
/// `/`.
fn is_dir_output(out: &Path) -> bool {
    out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/')
}

/// The file name of a certificate in a directory output.
fn file_name_of(hcid: &str, ext: &str) -> String {
    format!(
        "{}{ext}",
        percent_encoding::utf8_percent_encode(hcid, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// Creates a file readable by its owner alone.
fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    if append {
        options.create(true).append(true);
    } else {
        options.create(true).write(true).truncate(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

impl Output {
    fn open(out: &Path, format: Format) -> Result<Self> {
        if is_dir_output(out) {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let ext = match format {
                Format::SdJwt => ".sd-jwt",
                Format::Di | Format::Bbs => ".json",
            };
            return Ok(Self::Dir {
                dir: out.to_owned(),
                ext,
            });
        }
        Ok(Self::Lines(private_file(out, true).with_context(|| {
            format!("cannot open {}", out.display())
        })?))
    }

    /// Writes credentials (text ending in a newline, with their HCIDs), so
    /// that they are on disk when this returns if `durable`.
    fn write(&mut self, items: &[(&str, &str)], durable: bool, out: &Path) -> Result<()> {
        let ctx = || format!("cannot write {}", out.display());
        match self {
            Self::Lines(file) => {
                let text: String = items.iter().map(|(_, t)| *t).collect();
                file.write_all(text.as_bytes()).with_context(ctx)?;
                if durable {
                    file.sync_data().with_context(ctx)?;
                }
            }
            Self::Dir { dir, ext } => {
                // Each file whole or not at all: written aside, then renamed.
                for (hcid, text) in items {
                    let name = file_name_of(hcid, ext);
                    let tmp = dir.join(format!(".{name}.tmp"));
                    let mut f = private_file(&tmp, false).with_context(ctx)?;
                    f.write_all(text.as_bytes()).with_context(ctx)?;
                    if durable {
                        f.sync_data().with_context(ctx)?;
                    }
                    drop(f);
                    std::fs::rename(&tmp, dir.join(&name)).with_context(ctx)?;
                }
                if durable {
                    std::fs::File::open(&*dir)
                        .and_then(|d| d.sync_all())
                        .with_context(ctx)?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if let Self::Lines(file) = self {
            file.flush()?;
            file.sync_all()?;
        }
        Ok(())
    }
}

/// [`resume`] for a directory output: every certificate file in it (with
/// its digest), a chunk at a time; files left half-written by an
/// interruption are removed.
fn resume_dir(
    dir: &Path,
    mut on_chunk: impl FnMut(&[(String, String)]) -> Result<()>,
) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut done = Vec::with_capacity(CHUNK);
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.ends_with(".tmp") {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            continue;
        }
        let Some(stem) = name
            .strip_suffix(".json")
            .or_else(|| name.strip_suffix(".sd-jwt"))
        else {
            continue;
        };
        let hcid = percent_encoding::percent_decode_str(stem)
            .decode_utf8()
            .map(|h| h.into_owned())
            .ok()
            .filter(|h| file_name_of(h, "") == stem);
        let Some(hcid) = hcid else {
            bail!(
                "{} holds a file that is not a certificate of ours; not writing into it",
                dir.display()
            );
        };
        let text = std::fs::read_to_string(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        if hcid_of_line(&text).as_deref() != Some(hcid.as_str()) {
            bail!(
                "{} holds a file whose certificate id is not its name; not writing into it",
                dir.display()
            );
        }
        done.push((hcid, crate::status::digest(&text)));
        if done.len() >= CHUNK {
            on_chunk(&done)?;
            done.clear();
        }
    }
    on_chunk(&done)
}

/// The batch's output side: the file and the register connection that
/// records what was written.
struct Writer {
    output: Output,
    out: std::path::PathBuf,
    register: Option<ddcc::register::Register>,
    issued_at: String,
    counts: Counts,
    in_flight: InFlight,
}

impl Writer {
    /// Writes a signed chunk in order, then records it in the register:
    /// written first, then recorded, so a crash in between is repaired by
    /// the next run, which finds the lines and records them.
    fn write_chunk(&mut self, signed: Signed, progress: &indicatif::ProgressBar) -> Result<()> {
        let mut lines: Vec<(String, String)> = Vec::with_capacity(signed.len());
        let mut written: Vec<(String, String)> = Vec::with_capacity(signed.len());
        let mut failed: Vec<String> = Vec::new();
        for (n, hcid, result) in signed {
            match result {
                Ok(line) => {
                    written.push((hcid.clone(), crate::status::digest(&line)));
                    lines.push((hcid, line));
                }
                Err(e) => {
                    progress.suspend(|| eprintln!("line {n}: refused: {e}"));
                    self.counts.refused += 1;
                    failed.push(hcid);
                }
            }
        }
        let texts: Vec<(&str, &str)> = lines
            .iter()
            .map(|(h, t)| (h.as_str(), t.as_str()))
            .collect();
        // On disk before the register says so: a certificate the register
        // calls issued is in an output, whatever crashes.
        self.output
            .write(&texts, self.register.is_some(), &self.out)?;
        if let Some(reg) = self.register.as_mut() {
            let items: Vec<(&str, &str)> = written
                .iter()
                .map(|(h, d)| (h.as_str(), d.as_str()))
                .collect();
            reg.mark_issued_many(&items, &self.issued_at)?;
            // Recorded (or failed): the register answers for them now.
            let mut held = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            for h in written.iter().map(|(h, _)| h).chain(&failed) {
                held.remove(h);
            }
        }
        self.counts.issued += written.len() as u64;
        progress.set_message(format!("{} issued", self.counts.issued));
        Ok(())
    }
}

const PURPOSES: [ddcc::status::Purpose; 2] = [
    ddcc::status::Purpose::Revocation,
    ddcc::status::Purpose::Suspension,
];
