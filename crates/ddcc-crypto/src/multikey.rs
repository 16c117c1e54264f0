use crate::{KeyError, KeyErrorKind};

/// Multicodec varint prefix of an Ed25519 public key (`0xed`).
pub const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// Multicodec varint prefix of an Ed25519 private key (`0x1300`).
pub const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];
/// Multicodec varint prefix of an X25519 public key (`0xec`).
pub const X25519_PUB_PREFIX: [u8; 2] = [0xec, 0x01];

pub(crate) fn encode(prefix: [u8; 2], key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(2 + key.len());
    bytes.extend_from_slice(&prefix);
    bytes.extend_from_slice(key);
    let text = multibase::encode(multibase::Base::Base58Btc, &bytes);
    zeroize::Zeroize::zeroize(&mut bytes);
    text
}

pub(crate) fn decode(prefix: [u8; 2], text: &str) -> Result<Vec<u8>, KeyError> {
    if !text.starts_with('z') {
        return Err(KeyError::new(KeyErrorKind::Encoding));
    }
    let (_, mut bytes) =
        multibase::decode(text).map_err(|_| KeyError::new(KeyErrorKind::Encoding))?;
    if bytes.len() < 2 || bytes[..2] != prefix {
        zeroize::Zeroize::zeroize(&mut bytes);
        return Err(KeyError::new(KeyErrorKind::WrongCodec));
    }
    let key = bytes[2..].to_vec();
    zeroize::Zeroize::zeroize(&mut bytes);
    if key.len() != 32 {
        return Err(KeyError::new(KeyErrorKind::InvalidLength));
    }
    Ok(key)
}
