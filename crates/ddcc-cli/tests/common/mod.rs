//! Helpers shared by the CLI tests: the real `ddcc` binary, run in a folder.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// The sample record.
pub const RECORD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/records/primary-series-complete.json"
);

/// `ddcc` with `dir` as its working folder.
pub fn ddcc(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ddcc"));
    c.current_dir(dir);
    c
}

/// Runs `ddcc ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    ddcc(dir).args(args).output().expect("run ddcc")
}

/// Asserts success and returns standard output, trimmed.
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}
