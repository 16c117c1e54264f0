//! `ddcc verify --batch`: many credentials in one process, on every core.

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use ddcc::credential::{Checks, Outcome, Verifier};

/// Largest line accepted in a batch file (one credential).
const MAX_LINE: usize = ddcc::credential::MAX_CREDENTIAL_BYTES;

/// One line's result, kept small: no credential data.
struct LineVerdict {
    exit: u8,
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
    let mut lines = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("cannot read line {} of {}", i + 1, path.display()))?;
        if !line.trim().is_empty() {
            lines.push((i + 1, line));
        }
    }
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .clamp(1, 256);
    let start = Instant::now();
    let chunk = lines.len().div_ceil(threads).max(1);
    let verifier = &verifier;
    let results: Vec<Vec<LineVerdict>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<Vec<LineVerdict>> {
                    let rt = tokio::runtime::Builder::new_current_thread().build()?;
                    Ok(part
                        .iter()
                        .map(|(n, text)| {
                            if text.len() > MAX_LINE {
                                return LineVerdict {
                                    exit: 2,
                                    line: summary_line(*n, 2, "format", "too_large", json),
                                };
                            }
                            let v = rt.block_on(verifier.verify_str(text, checks));
                            let (check, code) = match v.outcome() {
                                Outcome::Valid => ("", "ok"),
                                Outcome::Invalid(r) | Outcome::CouldNotVerify(r) => {
                                    (r.check.name(), r.code)
                                }
                                _ => ("", "unknown"),
                            };
                            LineVerdict {
                                exit: v.exit_code(),
                                line: summary_line(*n, v.exit_code(), check, code, json),
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
    let elapsed = start.elapsed();

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut valid, mut invalid, mut unverified) = (0u64, 0u64, 0u64);
    let mut worst = 0u8;
    for v in results.iter().flatten() {
        match v.exit {
            0 => valid += 1,
            1 => invalid += 1,
            _ => unverified += 1,
        }
        worst = worst.max(v.exit);
        writeln!(out, "{}", v.line).or_else(ignore_broken_pipe)?;
    }
    let total = valid + invalid + unverified;
    let rate = total as f64 / elapsed.as_secs_f64().max(1e-9);
    let stats = verifier.proof_path_stats();
    if json {
        let summary = serde_json::json!({
            "summary": {
                "credentials": total, "valid": valid, "invalid": invalid, "could_not_verify": unverified,
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
            "verified {total} credentials in {:.3} s on {threads} thread(s): {rate:.0}/s; valid {valid}, invalid {invalid}, could not verify {unverified}; fast path {}, fallback {}{}",
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

fn ignore_broken_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}
