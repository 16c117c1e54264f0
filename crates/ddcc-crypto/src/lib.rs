//! Keys for ddcc.
//!
//! [`SecretKey`] and [`PublicKey`] are separate types. A secret key never
//! prints itself (its `Debug` shows only the public half), is not `Clone`,
//! not `Serialize`, and is zeroized when dropped. Key files are written with
//! mode `0600` and hold the key as a Multikey (`privateKeyMultibase`).
//!
//! Public keys travel as Multikeys: multibase base58btc (`z…`) over the
//! multicodec prefix `0xed01` and the 32 key bytes, as the Data Integrity
//! specifications and `did:key` use them.

#![forbid(unsafe_code)]

mod error;
mod keyfile;
mod multikey;

pub use error::{KeyError, KeyErrorKind};
pub use keyfile::{
    read_multikey_file, read_secret_key_file, write_multikey_file, write_secret_key_file,
};
pub use multikey::{ED25519_PRIV_PREFIX, ED25519_PUB_PREFIX, X25519_PUB_PREFIX};

use ed25519_dalek::Signer as _;
use zeroize::Zeroizing;

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// Builds a public key from its 32 bytes.
    ///
    /// # Errors
    /// [`KeyErrorKind::InvalidKey`] if the bytes are not a valid curve point
    /// encoding.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::new(KeyErrorKind::InvalidLength))?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&arr)
            .map_err(|_| KeyError::new(KeyErrorKind::InvalidKey))?;
        // A small-order ("weak") key verifies forged signatures; refuse it
        // here so that verification can use the RFC 8032 equation.
        if key.is_weak() {
            return Err(KeyError::new(KeyErrorKind::InvalidKey));
        }
        Ok(Self(key))
    }

    /// As [`PublicKey::from_bytes`], remembering decoded keys (decoding an
    /// Ed25519 point costs about as much as half a signature check). The
    /// memo holds at most 4096 keys and is cleared when full.
    ///
    /// # Errors
    /// As [`PublicKey::from_bytes`].
    pub fn from_bytes_cached(bytes: &[u8]) -> Result<Self, KeyError> {
        use std::collections::HashMap;
        use std::sync::{OnceLock, RwLock};
        static MEMO: OnceLock<RwLock<HashMap<[u8; 32], PublicKey>>> = OnceLock::new();
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::new(KeyErrorKind::InvalidLength))?;
        let memo = MEMO.get_or_init(|| RwLock::new(HashMap::new()));
        if let Some(k) = memo.read().unwrap_or_else(|e| e.into_inner()).get(&arr) {
            return Ok(*k);
        }
        let key = Self::from_bytes(&arr)?;
        let mut map = memo.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= 4096 {
            map.clear();
        }
        map.insert(arr, key);
        Ok(key)
    }

    /// The 32 key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The Multikey form: `z` + base58btc(0xed01 ‖ key).
    pub fn to_multibase(&self) -> String {
        multikey::encode(ED25519_PUB_PREFIX, &self.0.to_bytes())
    }

    /// Parses the Multikey form of an Ed25519 public key.
    ///
    /// # Errors
    /// When the text is not base58btc multibase, the multicodec is not
    /// Ed25519, or the key has the wrong length.
    pub fn from_multibase(text: &str) -> Result<Self, KeyError> {
        let bytes = multikey::decode(ED25519_PUB_PREFIX, text)?;
        Self::from_bytes_cached(&bytes)
    }

    /// The X25519 key agreement key derived from this key (the birational
    /// map from Edwards to Montgomery form), as `did:key` derives it.
    pub fn to_x25519_bytes(&self) -> [u8; 32] {
        self.0.to_montgomery().to_bytes()
    }

    /// Checks an Ed25519 signature over `message` (RFC 8032 verification;
    /// the key itself was checked not to be of small order when it was
    /// built, and non-canonical `s` values are refused).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        ed25519_dalek::Verifier::verify(&self.0, message, &sig).is_ok()
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PublicKey")
            .field(&self.to_multibase())
            .finish()
    }
}

/// An Ed25519 secret key (the 32-byte seed). Zeroized on drop.
pub struct SecretKey(ed25519_dalek::SigningKey);

impl SecretKey {
    /// Generates a new key from the operating system's random source.
    pub fn generate() -> Self {
        Self(ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng))
    }

    /// Builds a key from its 32-byte seed.
    ///
    /// # Errors
    /// [`KeyErrorKind::InvalidLength`] if `seed` is not 32 bytes.
    pub fn from_seed(seed: &[u8]) -> Result<Self, KeyError> {
        let arr: Zeroizing<[u8; 32]> = Zeroizing::new(
            seed.try_into()
                .map_err(|_| KeyError::new(KeyErrorKind::InvalidLength))?,
        );
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&arr)))
    }

    /// Parses the Multikey form of an Ed25519 secret key
    /// (`z` + base58btc(0x8026 ‖ seed)), as in the W3C test vectors.
    ///
    /// # Errors
    /// When the text is not base58btc multibase, the multicodec is not
    /// `ed25519-priv`, or the seed has the wrong length.
    pub fn from_multibase(text: &str) -> Result<Self, KeyError> {
        let seed = Zeroizing::new(multikey::decode(ED25519_PRIV_PREFIX, text)?);
        Self::from_seed(&seed)
    }

    /// The Multikey form of the secret key. The returned string is zeroized
    /// when dropped; write it only to a protected file.
    pub fn to_multibase(&self) -> Zeroizing<String> {
        let seed = Zeroizing::new(self.0.to_bytes());
        Zeroizing::new(multikey::encode(ED25519_PRIV_PREFIX, seed.as_ref()))
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs `message` (Ed25519, deterministic).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// The 32-byte seed, for handing to a signing backend. Zeroized on drop.
    pub fn dangerous_seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey")
            .field("public", &self.public_key())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // W3C vc-di-eddsa keyPair.json.
    const PUB: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

    #[test]
    fn secret_multikey_round_trips_and_derives_public() {
        let sk = SecretKey::from_multibase(SECRET).expect("vector key");
        assert_eq!(sk.public_key().to_multibase(), PUB);
        assert_eq!(sk.to_multibase().as_str(), SECRET);
    }

    #[test]
    fn debug_never_shows_secret() {
        let sk = SecretKey::from_multibase(SECRET).expect("vector key");
        let text = format!("{sk:?}");
        assert!(!text.contains(SECRET));
        assert!(text.contains(PUB));
    }

    #[test]
    fn sign_and_verify() {
        let sk = SecretKey::generate();
        let sig = sk.sign(b"hello");
        assert!(sk.public_key().verify(b"hello", &sig));
        assert!(!sk.public_key().verify(b"hellp", &sig));
        assert!(!sk.public_key().verify(b"hello", &sig[..63]));
    }

    #[test]
    fn weak_keys_are_refused() {
        // The identity point (small order) encoded as a public key.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            PublicKey::from_bytes(&identity).unwrap_err().kind(),
            KeyErrorKind::InvalidKey
        );
    }

    #[test]
    fn wrong_codec_is_refused() {
        assert_eq!(
            PublicKey::from_multibase(SECRET).unwrap_err().kind(),
            KeyErrorKind::WrongCodec
        );
        assert_eq!(
            SecretKey::from_multibase(PUB).unwrap_err().kind(),
            KeyErrorKind::WrongCodec
        );
        assert_eq!(
            PublicKey::from_multibase("not multibase")
                .unwrap_err()
                .kind(),
            KeyErrorKind::Encoding
        );
    }
}
