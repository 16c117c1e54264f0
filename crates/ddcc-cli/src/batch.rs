//! `ddcc verify --batch`: many credentials in one process, on every core.

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use ddcc::credential::{Checks, Outcome, Verifier};

/// Largest line accepted in a batch file (one credential).
const MAX_LINE: usize = ddcc::credential::MAX_CREDENTIAL_BYTES;
/// Lines read and verified at a time.
const CHUNK_LINES: usize = 4096;

/// One line's result, kept small: no credential data.
struct LineVerdict {
    exit: u8,
    /// Every check passed but nobody vouched for the issuer.
    unchecked: bool,
    line: String,
}

pub(crate) fn verify_batch(
    verifier: Verifier,
    path: &Path,
    checks: Checks,
    json: bool,
    threads: Option<usize>,
) -> Result<u8> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = std::io::BufReader::new(file);
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .clamp(1, 256);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut valid, mut invalid, mut unverified) = (0u64, 0u64, 0u64);
    // Genuine, but nobody vouched for the issuer (no trust list given).
    let mut unchecked = 0u64;
    let mut worst = 0u8;
    let mut line_no = 0usize;
    let start = Instant::now();
    // Read and verify in bounded chunks, so memory stays flat however long
    // the file is; verdicts are printed in input order.
    loop {
        let mut lines = Vec::with_capacity(CHUNK_LINES);
        while lines.len() < CHUNK_LINES {
            let Some(line) = read_bounded_line(&mut reader).with_context(|| {
                format!("cannot read line {} of {}", line_no + 1, path.display())
            })?
            else {
                break;
            };
            line_no += 1;
            match line {
                Line::Text(t) if t.trim().is_empty() => {}
                other => lines.push((line_no, other)),
            }
        }
        if lines.is_empty() {
            break;
        }
        for v in verify_chunk(&verifier, &lines, checks, json, threads)? {
            match v.exit {
                0 if v.unchecked => unchecked += 1,
                0 => valid += 1,
                1 => invalid += 1,
                _ => unverified += 1,
            }
            worst = worst.max(v.exit);
            writeln!(out, "{}", v.line).or_else(ignore_broken_pipe)?;
        }
    }
    let elapsed = start.elapsed();
    let total = valid + unchecked + invalid + unverified;
    let rate = total as f64 / elapsed.as_secs_f64().max(1e-9);
    let stats = verifier.proof_path_stats();
    if json {
        let summary = serde_json::json!({
            "summary": {
                "credentials": total, "valid": valid, "issuer_not_checked": unchecked, "invalid": invalid, "could_not_verify": unverified,
                "seconds": elapsed.as_secs_f64(), "per_second": rate, "threads": threads,
                "fast_path": stats.fast, "fallback": stats.fallback,
                "fallback_reasons": stats.fallback_reasons.iter().map(|(c, n)| serde_json::json!({"code": c, "count": n})).collect::<Vec<_>>(),
            }
        });
        writeln!(out, "{summary}").or_else(ignore_broken_pipe)?;
    } else {
        let reasons: Vec<String> = stats
            .fallback_reasons
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        writeln!(
            out,
            "verified {total} credentials in {:.3} s on {threads} thread(s): {rate:.0}/s; valid {valid}, signature valid but issuer not checked {unchecked}, invalid {invalid}, could not verify {unverified}; fast path {}, fallback {}{}",
            elapsed.as_secs_f64(),
            stats.fast,
            stats.fallback,
            if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join(", ")) }
        )
        .or_else(ignore_broken_pipe)?;
    }
    out.flush().or_else(ignore_broken_pipe)?;
    Ok(worst)
}

/// Verifies one chunk of lines on `threads` threads, in order.
fn verify_chunk(
    verifier: &Verifier,
    lines: &[(usize, Line)],
    checks: Checks,
    json: bool,
    threads: usize,
) -> Result<Vec<LineVerdict>> {
    let chunk = lines.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<LineVerdict>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<Vec<LineVerdict>> {
                    let rt = tokio::runtime::Builder::new_current_thread().build()?;
                    Ok(part
                        .iter()
                        .map(|(n, line)| {
                            let text = match line {
                                Line::Text(t) => t,
                                Line::TooLong => {
                                    return LineVerdict {
                                        exit: 2,
                                        unchecked: false,
                                        line: summary_line(*n, 2, "format", "too_large", json),
                                    };
                                }
                                Line::NotUtf8 => {
                                    return LineVerdict {
                                        exit: 2,
                                        unchecked: false,
                                        line: summary_line(*n, 2, "format", "not_utf8", json),
                                    };
                                }
                            };
                            let v = rt.block_on(verifier.verify_str(text, checks));
                            let (check, code) = match v.outcome() {
                                Outcome::Valid => ("", "ok"),
                                Outcome::Invalid(r)
                                | Outcome::UnknownIssuer(r)
                                | Outcome::Revoked(r)
                                | Outcome::Suspended(r)
                                | Outcome::CouldNotVerify(r)
                                | Outcome::IssuerNotChecked(r) => (r.check.name(), r.code),
                                _ => ("", "unknown"),
                            };
                            let unchecked = matches!(v.outcome(), Outcome::IssuerNotChecked(_));
                            LineVerdict {
                                exit: v.exit_code(),
                                unchecked,
                                line: if unchecked {
                                    unchecked_line(*n, check, code, json)
                                } else {
                                    summary_line(*n, v.exit_code(), check, code, json)
                                },
                            }
                        })
                        .collect())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a verification thread failed")))
            })
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// One line of a batch file.
enum Line {
    Text(String),
    TooLong,
    NotUtf8,
}

/// Reads one line, never holding more than `MAX_LINE` bytes of it; `None`
/// at the end of the file.
fn read_bounded_line(reader: &mut impl BufRead) -> std::io::Result<Option<Line>> {
    let mut buf = Vec::new();
    let n = reader
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.len() > MAX_LINE && buf.last() != Some(&b'\n') {
        // Skip the rest of the over-long line.
        loop {
            let mut rest = Vec::new();
            let m = reader
                .by_ref()
                .take(64 * 1024)
                .read_until(b'\n', &mut rest)?;
            if m == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
        return Ok(Some(Line::TooLong));
    }
    Ok(Some(match String::from_utf8(buf) {
        Ok(t) => Line::Text(t),
        Err(_) => Line::NotUtf8,
    }))
}

fn summary_line(n: usize, exit: u8, check: &str, code: &str, json: bool) -> String {
    let verdict = match exit {
        0 => "valid",
        1 => "invalid",
        _ => "could_not_verify",
    };
    if json {
        serde_json::json!({"line": n, "verdict": verdict, "check": if check.is_empty() { None } else { Some(check) }, "code": code}).to_string()
    } else if exit == 0 {
        format!("{n}\tVALID")
    } else {
        format!("{n}\t{}\t{check}\t{code}", verdict.to_uppercase())
    }
}

/// The line of a credential whose every check passed but whose issuer
/// nobody vouched for.
fn unchecked_line(n: usize, check: &str, code: &str, json: bool) -> String {
    if json {
        serde_json::json!({"line": n, "verdict": "issuer_not_checked", "check": check, "code": code})
            .to_string()
    } else {
        format!("{n}\tSIGNATURE VALID, ISSUER NOT CHECKED")
    }
}

fn ignore_broken_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}
