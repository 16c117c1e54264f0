//! Test helpers shared by the ddcc crates.
//!
//! External test vectors live outside the repository, in `../shared/vectors`
//! next to the checkout, or wherever `DDCC_VECTORS` points. When they are
//! absent, [`vectors`] says so loudly on stderr and returns `None` so the
//! test can skip, unless `DDCC_REQUIRE_VECTORS=1`, in which case it panics.

#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod images;
pub mod poison;

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

/// Canonical N-Quads of `document` computed by pyld (an independent JSON-LD
/// processor, a port of jsonld.js) through `scripts/jsonld-crosscheck.py`,
/// loading contexts only from `contexts/MANIFEST.tsv` plus `extra`
/// (`URL=FILE`). `None` (after a loud message) when python3 or pyld is
/// missing and `DDCC_REQUIRE_PYLD` is not `1`.
///
/// # Panics
/// When pyld is required but missing, or the script fails (including when
/// expansion dropped a term).
pub fn pyld_canonical(
    test: &str,
    document: &serde_json::Value,
    extra: &[String],
) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !pyld_available(test) {
        return None;
    }
    let mut child = Command::new("python3")
        .arg(root.join("scripts/jsonld-crosscheck.py"))
        .arg(root.join("contexts/MANIFEST.tsv"))
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&serde_json::to_vec(document).expect("json"))
        .expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(
        out.status.success(),
        "pyld cross-check failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("utf-8"))
}

/// Whether python3 with pyld can run; says so loudly when not, and panics
/// when `DDCC_REQUIRE_PYLD=1`.
fn pyld_available(test: &str) -> bool {
    use std::process::{Command, Stdio};
    let available = Command::new("python3")
        .args(["-c", "import pyld"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        let required = std::env::var("DDCC_REQUIRE_PYLD").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "DDCC_REQUIRE_PYLD=1 but python3 with pyld is not available"
        );
        eprintln!(
            "\n*** SKIPPING {test}: python3 with pyld is not installed (pip install pyld) ***\n"
        );
    }
    available
}

/// pyld's canonical N-Quads for many documents in one process (see
/// [`pyld_canonical`]); `Err(message)` where pyld refused a document.
/// `None` (after a loud message) when pyld is missing and not required.
///
/// # Panics
/// When pyld is required but missing, or the script itself fails.
pub fn pyld_canonical_many(
    test: &str,
    documents: &[serde_json::Value],
) -> Option<Vec<Result<String, String>>> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !pyld_available(test) {
        return None;
    }
    let mut child = Command::new("python3")
        .arg(root.join("scripts/jsonld-crosscheck.py"))
        .arg("--many")
        .arg(root.join("contexts/MANIFEST.tsv"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn python3");
    let input = serde_json::to_vec(documents).expect("json");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("python3");
    writer.join().expect("writer").expect("write");
    assert!(
        out.status.success(),
        "pyld failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("pyld output");
    Some(
        results
            .into_iter()
            .map(|r| match r.get("nquads").and_then(|v| v.as_str()) {
                Some(n) => Ok(n.to_owned()),
                None => Err(r["error"].as_str().unwrap_or("refused").to_owned()),
            })
            .collect(),
    )
}

/// A PostgreSQL database made for one test and dropped with it.
#[derive(Debug)]
pub struct TestDatabase {
    admin_url: String,
    name: String,
    /// The database's URL.
    pub url: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin_url.clone(), self.name.clone());
        // The client blocks on its own runtime: off this thread.
        let _ = std::thread::spawn(move || {
            if let Ok(mut c) = postgres::Client::connect(&admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        })
        .join();
    }
}

/// A fresh, empty PostgreSQL database on the server `DDCC_TEST_POSTGRES`
/// names (a URL whose role may create databases, e.g.
/// `postgres://ddcc:ddcc@127.0.0.1/ddcc`). `None`, said loudly, when it is
/// not set, unless `DDCC_REQUIRE_POSTGRES=1`.
///
/// # Panics
/// When `DDCC_REQUIRE_POSTGRES=1` and there is no server, or the database
/// cannot be made.
pub fn postgres_database(test: &str) -> Option<TestDatabase> {
    let required = std::env::var("DDCC_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let Ok(admin_url) = std::env::var("DDCC_TEST_POSTGRES") else {
        assert!(
            !required,
            "DDCC_REQUIRE_POSTGRES=1 but DDCC_TEST_POSTGRES does not name a server"
        );
        eprintln!(
            "SKIPPED {test}: DDCC_TEST_POSTGRES is not set (no PostgreSQL server to test against)"
        );
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "ddcc_t_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    );
    let admin = admin_url.clone();
    let made = {
        let name = name.clone();
        std::thread::spawn(move || -> Result<(), postgres::Error> {
            let mut c = postgres::Client::connect(&admin, postgres::NoTls)?;
            c.batch_execute(&format!("CREATE DATABASE {name}"))
        })
        .join()
    };
    match made {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("cannot create a test database on DDCC_TEST_POSTGRES: {e}"),
        Err(_) => panic!("cannot create a test database on DDCC_TEST_POSTGRES"),
    }
    // Same server, credentials and options, the new database.
    let (without_query, query) = match admin_url.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (admin_url.as_str(), String::new()),
    };
    let base = match without_query.rfind('/') {
        Some(i) if i > without_query.find("://").map_or(0, |j| j + 2) => &without_query[..i],
        _ => without_query,
    };
    let url = format!("{base}/{name}{query}");
    Some(TestDatabase {
        admin_url,
        name,
        url,
    })
}
