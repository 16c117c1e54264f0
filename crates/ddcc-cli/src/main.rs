//! `ddcc`: issue and verify WHO DDCC:VS vaccination certificates as W3C
//! Verifiable Credentials under DIDs.
//!
//! This binary only wires the library together: clap parses arguments, the
//! `cli` module validates them, and the `ddcc` facade does the
//! work. Exit codes: 0 success (or a valid credential), 1 a credential that
//! is invalid or a record that was refused, 2 could not verify, bad usage or
//! any other error.

mod batch;
mod checkpoint;
mod cli;
mod demo;
mod io;
mod issue_batch;
mod net;
mod status;
mod trust;

use std::process::ExitCode;

// Batch issuance and verification allocate many short-lived JSON values on
// every core; glibc's allocator spent a quarter of the issuing time in
// malloc and free (perf), mimalloc's thread-local heaps do not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    // The service answers on every core; the other commands need one
    // thread (their parallel work runs on rayon pools).
    let mut builder = if args.is_service() {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ddcc: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("ddcc: {e:#}");
            ExitCode::from(2)
        }
    }
}
