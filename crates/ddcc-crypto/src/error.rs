use std::fmt;

/// What went wrong with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyErrorKind {
    /// The text is not multibase base58btc.
    Encoding,
    /// The key file's contents are not a ddcc key file.
    FileFormat,
    /// The bytes do not encode a valid key.
    InvalidKey,
    /// The key has the wrong number of bytes.
    InvalidLength,
    /// Reading or writing the key file failed.
    Io,
    /// The key file is readable by other users (mode must be 0600).
    Permissions,
    /// The multicodec prefix names another key type.
    WrongCodec,
}

/// An error about a key. Never contains key material.
#[derive(Debug)]
pub struct KeyError {
    kind: KeyErrorKind,
    source: Option<std::io::Error>,
}

impl KeyError {
    pub(crate) fn new(kind: KeyErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn io(source: std::io::Error) -> Self {
        Self {
            kind: KeyErrorKind::Io,
            source: Some(source),
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> KeyErrorKind {
        self.kind
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self.kind {
            KeyErrorKind::Encoding => "key is not multibase base58btc ('z…') text",
            KeyErrorKind::FileFormat => {
                "not a ddcc key file (expected JSON with privateKeyMultibase)"
            }
            KeyErrorKind::InvalidKey => "bytes do not encode a valid Ed25519 key",
            KeyErrorKind::InvalidLength => "key has the wrong length (Ed25519 keys are 32 bytes)",
            KeyErrorKind::Io => "key file could not be read or written",
            KeyErrorKind::Permissions => {
                "key file is readable by group or others; run chmod 600 on it"
            }
            KeyErrorKind::WrongCodec => "multicodec prefix is not the expected Ed25519 key type",
        };
        f.write_str(text)?;
        if let Some(e) = &self.source {
            write!(f, ": {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}
