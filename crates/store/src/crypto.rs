//! Personal data at rest: names and phone numbers are sealed with
//! XChaCha20-Poly1305 under a key from the environment, so a copy of the
//! database file shows none of them. A keyed hash (a blind index) of the
//! phone number lets the store find a client by phone without decrypting.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const NONCE_LEN: usize = 24;

/// Seals and opens personal data. Cheap to clone.
#[derive(Clone)]
pub struct DataCipher {
    aead: XChaCha20Poly1305,
    index_key: [u8; 32],
    fingerprint: String,
    development: bool,
}

impl std::fmt::Debug for DataCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataCipher").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("ZAPYS_DATA_KEY must be 32 random bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`")]
    Malformed,
}

/// Used only when no key is configured; anyone can read data sealed with it.
const DEVELOPMENT_KEY: [u8; 32] = *b"zapys-development-key-NOT-SECRET";

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes keys of any size");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

impl DataCipher {
    /// A cipher from a base64 key, as `ZAPYS_DATA_KEY` holds it.
    pub fn from_base64(key: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD.decode(key.trim()).map_err(|_| KeyError::Malformed)?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_master(&master, false))
    }

    /// The well-known development key. Callers must warn loudly when they use it.
    pub fn development() -> Self {
        Self::from_master(&DEVELOPMENT_KEY, true)
    }

    /// A fresh random key in the form `ZAPYS_DATA_KEY` takes.
    pub fn generate_key() -> String {
        STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    fn from_master(master: &[u8; 32], development: bool) -> Self {
        let encryption_key = derive(master, "zapys/v1/encryption");
        Self {
            aead: XChaCha20Poly1305::new(&encryption_key.into()),
            index_key: derive(master, "zapys/v1/blind-index"),
            fingerprint: STANDARD.encode(&derive(master, "zapys/v1/fingerprint")[..12]),
            development,
        }
    }

    pub fn is_development(&self) -> bool {
        self.development
    }

    /// Identifies the key without revealing it; stored beside the data so a
    /// wrong key is refused at start instead of producing unreadable records.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Seals `plaintext`; `field` binds the result to its column, so sealed
    /// values cannot be swapped between columns unnoticed.
    pub fn seal(&self, field: &str, plaintext: &str) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .aead
            .encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: field.as_bytes() })
            .expect("encryption cannot fail for in-memory buffers");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open(&self, field: &str, sealed: &[u8]) -> Result<String, crate::StoreError> {
        let corrupt = || crate::StoreError::Corrupt(format!("{field} cannot be decrypted with this data key"));
        if sealed.len() < NONCE_LEN {
            return Err(corrupt());
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let plain = self
            .aead
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: field.as_bytes() })
            .map_err(|_| corrupt())?;
        String::from_utf8(plain).map_err(|_| corrupt())
    }

    /// A keyed hash for finding a value without decrypting every row.
    pub fn blind_index(&self, value: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key size");
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_field() {
        let cipher = DataCipher::from_base64(&DataCipher::generate_key()).expect("valid key");
        let sealed = cipher.seal("client.phone", "+380671234567");
        assert!(!sealed.windows(13).any(|w| w == b"+380671234567"), "no plain text inside");
        assert_eq!(cipher.open("client.phone", &sealed).ok().as_deref(), Some("+380671234567"));
        assert!(cipher.open("client.name", &sealed).is_err(), "bound to its field");
        let other = DataCipher::from_base64(&DataCipher::generate_key()).expect("valid key");
        assert!(other.open("client.phone", &sealed).is_err(), "bound to its key");
        assert_ne!(cipher.fingerprint(), other.fingerprint());
    }

    #[test]
    fn sealing_twice_gives_different_bytes() {
        let cipher = DataCipher::development();
        assert_ne!(cipher.seal("f", "same"), cipher.seal("f", "same"));
        assert_eq!(cipher.blind_index("same"), cipher.blind_index("same"));
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in ["", "short", "not base64 at all!!", &STANDARD.encode([0u8; 16])] {
            assert!(DataCipher::from_base64(bad).is_err(), "{bad:?}");
        }
    }
}
