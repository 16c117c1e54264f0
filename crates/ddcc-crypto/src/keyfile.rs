//! Secret key files: JSON `{"type":"Multikey","publicKeyMultibase":…,"privateKeyMultibase":…}`,
//! the shape of the W3C test vectors' `keyPair.json`, written with mode 0600.

use std::io::Write;
use std::path::Path;

use zeroize::Zeroizing;

use crate::{KeyError, KeyErrorKind, PublicKey, SecretKey};

#[derive(serde::Deserialize, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
struct KeyFile {
    #[serde(rename = "privateKeyMultibase")]
    private: String,
    #[serde(rename = "publicKeyMultibase", default)]
    public: Option<String>,
}

/// Largest key file accepted (a key file is about 200 bytes).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// Writes `key` to a new file at `path` with mode 0600 (on Unix). Refuses to
/// overwrite an existing file. The file is written to a temporary name in the
/// same folder and renamed into place, so a crash never leaves half a key.
///
/// # Errors
/// [`KeyErrorKind::Io`] if the file exists or cannot be written.
pub fn write_secret_key_file(path: &Path, key: &SecretKey) -> Result<(), KeyError> {
    let secret = key.to_multibase();
    write_multikey_file(path, &key.public_key().to_multibase(), &secret)
}

/// Writes a key file of any key type from its multibase public and secret
/// keys (multicodec-prefixed), with the guarantees of
/// [`write_secret_key_file`].
///
/// # Errors
/// [`KeyErrorKind::Io`] if the file exists or cannot be written.
pub fn write_multikey_file(
    path: &Path,
    public_multibase: &str,
    private_multibase: &str,
) -> Result<(), KeyError> {
    if path.exists() {
        return Err(KeyError::io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "refusing to overwrite an existing key file",
        )));
    }
    let body = Zeroizing::new(format!(
        "{{\n  \"type\": \"Multikey\",\n  \"publicKeyMultibase\": \"{public_multibase}\",\n  \"privateKeyMultibase\": \"{private_multibase}\"\n}}\n"
    ));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| KeyError::new(KeyErrorKind::Io))?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(body.as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&tmp, path)?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map_err(KeyError::io)
}

/// Reads a secret key file written by [`write_secret_key_file`] (or a W3C
/// `keyPair.json`). On Unix, refuses a file that group or others can read.
/// If the file names a public key, it must match the secret key.
///
/// # Errors
/// [`KeyErrorKind::Permissions`], [`KeyErrorKind::Io`],
/// [`KeyErrorKind::FileFormat`], or a key decoding error.
pub fn read_secret_key_file(path: &Path) -> Result<SecretKey, KeyError> {
    let (private, public) = read_multikey_file(path)?;
    let key = SecretKey::from_multibase(&private)?;
    if let Some(public) = &public
        && PublicKey::from_multibase(public)? != key.public_key()
    {
        return Err(KeyError::new(KeyErrorKind::InvalidKey));
    }
    Ok(key)
}

/// Reads a key file's multibase secret key and, if present, public key,
/// with the checks of [`read_secret_key_file`] (permissions, size, shape)
/// but not decoding them: for key types this crate does not implement.
///
/// # Errors
/// [`KeyErrorKind::Permissions`], [`KeyErrorKind::Io`] or
/// [`KeyErrorKind::FileFormat`].
pub fn read_multikey_file(path: &Path) -> Result<(Zeroizing<String>, Option<String>), KeyError> {
    let meta = std::fs::metadata(path).map_err(KeyError::io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(KeyError::new(KeyErrorKind::Permissions));
        }
    }
    if meta.len() > MAX_KEY_FILE {
        return Err(KeyError::new(KeyErrorKind::FileFormat));
    }
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(KeyError::io)?);
    let file: KeyFile =
        serde_json::from_str(&text).map_err(|_| KeyError::new(KeyErrorKind::FileFormat))?;
    Ok((Zeroizing::new(file.private.clone()), file.public.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_file_is_0600_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("issuer.key");
        let key = SecretKey::generate();
        write_secret_key_file(&path, &key).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let back = read_secret_key_file(&path).expect("read");
        assert_eq!(back.public_key(), key.public_key());
        // Never overwrite.
        assert_eq!(
            write_secret_key_file(&path, &key).unwrap_err().kind(),
            KeyErrorKind::Io
        );
        // Only the key file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn world_readable_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k");
        write_secret_key_file(&path, &SecretKey::generate()).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(
            read_secret_key_file(&path).unwrap_err().kind(),
            KeyErrorKind::Permissions
        );
    }

    #[test]
    fn garbage_file_is_a_format_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k");
        std::fs::write(&path, "hello").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        assert_eq!(
            read_secret_key_file(&path).unwrap_err().kind(),
            KeyErrorKind::FileFormat
        );
    }
}
