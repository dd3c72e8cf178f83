//! Personal data at rest: every free text that can hold personal data (names,
//! phone numbers, notes, reasons, conversation state, signing secrets) is
//! sealed with XChaCha20-Poly1305 under the installation's data key, so a copy
//! of the database file shows none of it. A keyed hash (a blind index) of the
//! phone number lets the store find a client by phone without decrypting.
//!
//! A sealed value is `[format byte 2][24-byte nonce][ciphertext and tag]`. Its
//! associated data names the column *and the row* it belongs to, so a
//! ciphertext copied to another column or another row fails to open. Values
//! written before format 2 (nonce first, bound to the column only) are opened
//! with [`DataCipher::open_legacy`] once, when a store re-seals them at start.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const NONCE_LEN: usize = 24;

/// The first byte of every value sealed by this version.
const FORMAT: u8 = 2;

/// Seals and opens personal data. Cheap to clone.
#[derive(Clone)]
pub struct DataCipher {
    aead: XChaCha20Poly1305,
    index_key: [u8; 32],
    fingerprint: String,
}

impl std::fmt::Debug for DataCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataCipher").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("a data key must be 32 random bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`")]
    Malformed,
}

/// The key earlier versions used when none was configured. It is public, so
/// nothing is sealed with it any more: a store that finds data sealed with it
/// re-seals that data under the real key at start.
const LEGACY_PUBLIC_KEY: [u8; 32] = *b"zapys-development-key-NOT-SECRET";

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes keys of any size");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The associated data of a sealed value: its column and its row.
fn binding(field: &str, row: i64) -> Vec<u8> {
    let mut aad = Vec::with_capacity(field.len() + 17);
    aad.extend_from_slice(b"zapys/2\0");
    aad.extend_from_slice(field.as_bytes());
    aad.push(0);
    aad.extend_from_slice(&row.to_be_bytes());
    aad
}

impl DataCipher {
    /// A cipher from a base64 key, as `ZAPYS_DATA_KEY` and the key file hold it.
    pub fn from_base64(key: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD.decode(key.trim()).map_err(|_| KeyError::Malformed)?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_master(&master))
    }

    /// A fresh random key in the form `ZAPYS_DATA_KEY` takes.
    pub fn generate_key() -> String {
        STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// A cipher with a fresh random key, for data that lives only as long as
    /// the process (an in-memory database, a test).
    pub fn random() -> Self {
        Self::from_base64(&Self::generate_key()).expect("a generated key is well formed")
    }

    /// The public key of earlier versions; only for recognising and re-sealing old data.
    #[doc(hidden)]
    pub fn legacy_public() -> Self {
        Self::from_master(&LEGACY_PUBLIC_KEY)
    }

    fn from_master(master: &[u8; 32]) -> Self {
        let encryption_key = derive(master, "zapys/v1/encryption");
        Self {
            aead: XChaCha20Poly1305::new(&encryption_key.into()),
            index_key: derive(master, "zapys/v1/blind-index"),
            fingerprint: STANDARD.encode(&derive(master, "zapys/v1/fingerprint")[..12]),
        }
    }

    /// Identifies the key without revealing it; stored beside the data so a
    /// wrong key is refused at start instead of producing unreadable records.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Seals `plaintext` as the value of column `field` in row `row`.
    pub fn seal(&self, field: &str, row: i64, plaintext: &str) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .aead
            .encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: &binding(field, row) })
            .expect("encryption cannot fail for in-memory buffers");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(FORMAT);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a value sealed by [`seal`](Self::seal) for the same column and row.
    pub fn open(&self, field: &str, row: i64, sealed: &[u8]) -> Result<String, crate::StoreError> {
        let corrupt =
            || crate::StoreError::Corrupt(format!("{field} of row {row} cannot be decrypted with this data key"));
        let Some((&FORMAT, rest)) = sealed.split_first() else {
            return Err(corrupt());
        };
        if rest.len() < NONCE_LEN {
            return Err(corrupt());
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let plain = self
            .aead
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: &binding(field, row) })
            .map_err(|_| corrupt())?;
        String::from_utf8(plain).map_err(|_| corrupt())
    }

    /// Opens a value in the format before 2: nonce first, bound to its column only.
    #[doc(hidden)]
    pub fn open_legacy(&self, field: &str, sealed: &[u8]) -> Result<String, crate::StoreError> {
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

    /// Seals in the format before 2; only to build old databases in tests.
    #[doc(hidden)]
    pub fn seal_legacy(&self, field: &str, plaintext: &str) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .aead
            .encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: field.as_bytes() })
            .expect("encryption cannot fail for in-memory buffers");
        [nonce.as_slice(), &sealed].concat()
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
    fn sealed_values_open_only_with_the_same_key_field_and_row() {
        let cipher = DataCipher::random();
        let sealed = cipher.seal("client.phone", 7, "+380671234567");
        assert!(!sealed.windows(13).any(|w| w == b"+380671234567"), "no plain text inside");
        assert_eq!(cipher.open("client.phone", 7, &sealed).ok().as_deref(), Some("+380671234567"));
        assert!(cipher.open("client.name", 7, &sealed).is_err(), "bound to its column");
        assert!(cipher.open("client.phone", 8, &sealed).is_err(), "bound to its row");
        let other = DataCipher::random();
        assert!(other.open("client.phone", 7, &sealed).is_err(), "bound to its key");
        assert_ne!(cipher.fingerprint(), other.fingerprint());
    }

    #[test]
    fn values_sealed_the_old_way_still_open_through_the_legacy_path() {
        let cipher = DataCipher::random();
        let old = cipher.seal_legacy("client.name", "Олена");
        assert_eq!(cipher.open_legacy("client.name", &old).ok().as_deref(), Some("Олена"));
        let new = cipher.seal("client.name", 1, "Олена");
        assert_eq!(new[0], FORMAT, "new values carry their format");
        assert!(cipher.open_legacy("client.name", &new).is_err());
    }

    #[test]
    fn sealing_twice_gives_different_bytes() {
        let cipher = DataCipher::random();
        assert_ne!(cipher.seal("f", 1, "same"), cipher.seal("f", 1, "same"));
        assert_eq!(cipher.blind_index("same"), cipher.blind_index("same"));
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in ["", "short", "not base64 at all!!", &STANDARD.encode([0u8; 16])] {
            assert!(DataCipher::from_base64(bad).is_err(), "{bad:?}");
        }
    }
}
