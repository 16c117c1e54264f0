//! Reading inputs and writing outputs without ever leaving half a file.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Largest input read from a file or stdin (16 MiB).
const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// Reads `path`, or stdin when it is `-`.
pub(crate) fn read_input(path: &Path) -> Result<String> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_INPUT + 1)
            .read_to_string(&mut text)
            .context("cannot read standard input as UTF-8 text")?;
    } else {
        std::fs::File::open(path)
            .with_context(|| format!("cannot open {}", path.display()))?
            .take(MAX_INPUT + 1)
            .read_to_string(&mut text)
            .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
    }
    if text.len() as u64 > MAX_INPUT {
        bail!("input is larger than {MAX_INPUT} bytes");
    }
    Ok(text)
}

/// Reads the bytes of `path`, or of stdin when it is `-`, refusing more
/// than `limit`.
pub(crate) fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        std::fs::File::open(path)
            .with_context(|| format!("cannot open {}", path.display()))?
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    if bytes.len() > limit {
        bail!("input is larger than {limit} bytes");
    }
    Ok(bytes)
}

/// Writes `text` to `path` atomically (temporary file, then rename), or to
/// stdout when `path` is `None` or `-`.
pub(crate) fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    write_bytes(path, text.as_bytes())
}

/// [`write_output`] for bytes. Files are created readable by their owner
/// alone: what ddcc writes (credentials, presentations, their QR codes)
/// carries personal data.
pub(crate) fn write_bytes(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let print_stdout = |b: &[u8]| -> Result<()> {
        match std::str::from_utf8(b) {
            Ok(t) => print_stdout(t),
            Err(_) => bail!("binary output needs a file (--out)"),
        }
    };
    match path {
        None => print_stdout(bytes),
        Some(p) if p.as_os_str() == "-" => print_stdout(bytes),
        Some(p) => {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => std::path::PathBuf::from("."),
            };
            let name = p
                .file_name()
                .with_context(|| format!("{} is not a file name", p.display()))?
                .to_string_lossy()
                .into_owned();
            let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
            let result = (|| -> std::io::Result<()> {
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create(true).truncate(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut f = options.open(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, p)
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result.with_context(|| format!("cannot write {}", p.display()))
        }
    }
}

fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`ddcc … | head`) is a normal end.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}
