//! Test helpers shared by the ddcc crates.
//!
//! External test vectors live outside the repository, in `../shared/vectors`
//! next to the checkout, or wherever `DDCC_VECTORS` points. When they are
//! absent, [`vectors`] says so loudly on stderr and returns `None` so the
//! test can skip, unless `DDCC_REQUIRE_VECTORS=1`, in which case it panics.

#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The folder of external vectors, or `None` (after a loud message) when it
/// is absent and not required.
///
/// # Panics
/// When `DDCC_REQUIRE_VECTORS=1` and the folder does not exist.
pub fn vectors(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DDCC_VECTORS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.join("SOURCES.md").is_file() {
        return Some(dir);
    }
    let required = std::env::var("DDCC_REQUIRE_VECTORS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "DDCC_REQUIRE_VECTORS=1 but the external test vectors are not at {} (set DDCC_VECTORS)",
        dir.display()
    );
    eprintln!(
        "\n*** SKIPPING {test}: external test vectors not found at {} (set DDCC_VECTORS) ***\n",
        dir.display()
    );
    None
}

/// Reads a vector file as text.
///
/// # Panics
/// When the file cannot be read.
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Reads a vector file as JSON.
///
/// # Panics
/// When the file cannot be read or is not JSON.
pub fn read_json(dir: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_str(&read(dir, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}
