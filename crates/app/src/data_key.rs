//! Where the data key comes from, and changing it.
//!
//! `ZAPYS_DATA_KEY` wins when set. Otherwise the key lives in a key file
//! (`zapys.db.key` beside the database, or `ZAPYS_DATA_KEY_FILE`), written
//! with mode 0600 at the first start. There is no built-in key: a database
//! sealed with the public key of earlier versions is re-sealed under a new
//! key file at its next start. An in-memory database gets a random key that
//! lives as long as the process.
//!
//! `zapys rekey` re-seals everything in one transaction. With a key file it
//! writes the new key to `<key file>.new` first, commits, then renames it
//! over the key file. A crash in between is settled at the next start by
//! asking the database which key it holds: the committed new key is moved
//! into place, or the unused `.new` file is removed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use zapys_store::DataCipher;
use zapys_store_postgres::PostgresStore;
use zapys_store_sqlite::SqliteStore;

use crate::Config;
use crate::config::Engine;
use crate::config::Secret;

/// Where the key in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `ZAPYS_DATA_KEY`.
    Environment,
    /// A key file.
    File(PathBuf),
    /// Random, for an in-memory database.
    Memory,
}

/// The data key to open the database with.
#[derive(Debug, Clone)]
pub struct DataKey {
    pub cipher: DataCipher,
    pub source: KeySource,
}

/// The name a new key is written under until the database is sealed with it.
pub fn pending_path(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// Finds the key for the configured database, making the key file at the first start.
pub async fn resolve(config: &Config) -> anyhow::Result<DataKey> {
    if let Some(key) = &config.data_key {
        let cipher = DataCipher::from_base64(key.expose()).context("ZAPYS_DATA_KEY")?;
        return Ok(DataKey { cipher, source: KeySource::Environment });
    }
    let engine = config.engine()?;
    if engine == Engine::Sqlite && config.database_in_memory() {
        return Ok(DataKey { cipher: DataCipher::random(), source: KeySource::Memory });
    }
    if engine == Engine::Postgres && config.data_key_file.is_none() {
        bail!(
            "with PostgreSQL, set ZAPYS_DATA_KEY (or ZAPYS_DATA_KEY_FILE): every instance must use the same \
             data key, so none is made beside the database. Make one with `openssl rand -base64 32` and keep \
             it apart from the database's backups"
        );
    }
    let path = config.data_key_path();
    let stored = match engine {
        Engine::Sqlite => SqliteStore::stored_key_fingerprint(&config.database_url).await,
        Engine::Postgres => PostgresStore::stored_key_fingerprint(&config.database_url).await,
    }
    .with_context(|| format!("reading the database {}", config.database_label()))?;
    settle_interrupted_rekey(&path, stored.as_deref())?;
    if path.exists() {
        let cipher = read_key_file(&path)?;
        return Ok(DataKey { cipher, source: KeySource::File(path) });
    }
    if stored.as_deref().is_some_and(|s| s != DataCipher::legacy_public().fingerprint()) {
        bail!(
            "the database {} is sealed with a data key, but its key file {} is missing. Restore the key file \
             (from the backup you keep with the database) or set ZAPYS_DATA_KEY",
            config.database_label(),
            path.display()
        );
    }
    let key = DataCipher::generate_key();
    write_key_file(&path, &key).with_context(|| format!("writing the new data key file {}", path.display()))?;
    if stored.is_some() {
        tracing::warn!(
            key_file = %path.display(),
            "this database was sealed with the public key of earlier versions; its personal data is now \
             re-sealed under a new random key"
        );
    }
    tracing::warn!(
        key_file = %path.display(),
        "generated the data key that seals clients' personal data (mode 0600). Back it up together with the \
         database: a backup without its key cannot be read, and a lost key cannot be recovered"
    );
    Ok(DataKey { cipher: DataCipher::from_base64(&key)?, source: KeySource::File(path) })
}

/// Finishes or forgets a `zapys rekey` that stopped between its commit and the rename.
fn settle_interrupted_rekey(path: &Path, stored: Option<&str>) -> anyhow::Result<()> {
    let pending = pending_path(path);
    if !pending.exists() {
        return Ok(());
    }
    let new = read_key_file(&pending)?;
    if stored == Some(new.fingerprint()) {
        std::fs::rename(&pending, path).with_context(|| format!("moving {} into place", pending.display()))?;
        sync_parent(path)?;
        tracing::warn!(key_file = %path.display(), "finished an interrupted rekey: the new key is now in the key file");
    } else {
        std::fs::remove_file(&pending).with_context(|| format!("removing {}", pending.display()))?;
        tracing::warn!(key_file = %path.display(), "an interrupted rekey changed nothing; removed its unused new key");
    }
    Ok(())
}

fn read_key_file(path: &Path) -> anyhow::Result<DataCipher> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading the data key file {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(key_file = %path.display(), "the data key file is readable by others; run `chmod 600` on it");
        }
    }
    DataCipher::from_base64(&text).with_context(|| format!("the data key file {}", path.display()))
}

/// Writes a new key file readable by its owner only; refuses to overwrite one.
fn write_key_file(path: &Path, key: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(format!("{key}\n").as_bytes())?;
    file.sync_all()?;
    sync_parent(path)
}

/// Makes a new or renamed directory entry durable.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// What `zapys rekey` did.
#[derive(Debug)]
pub struct Rekeyed {
    /// How many sealed values were re-sealed.
    pub values: u64,
    /// Where the new key is: the key file, or (with ZAPYS_DATA_KEY) the operator's to set.
    pub source: KeySource,
}

/// Re-seals the database under a new key: `new_key`, else a generated one
/// (only with a key file; with ZAPYS_DATA_KEY the new key must be given, as
/// it is the operator who stores it). Nothing else may use the database meanwhile.
pub async fn rekey(config: &Config, new_key: Option<&Secret>) -> anyhow::Result<Rekeyed> {
    let current = resolve(config).await?;
    let text = match (new_key, &current.source) {
        (_, KeySource::Memory) => bail!("an in-memory database has no lasting key to change"),
        (Some(key), _) => key.expose().trim().to_owned(),
        (None, KeySource::Environment) => bail!(
            "ZAPYS_DATA_KEY is set, so give the new key in ZAPYS_NEW_DATA_KEY (`openssl rand -base64 32`); \
             afterwards put it in ZAPYS_DATA_KEY"
        ),
        (None, KeySource::File(_)) => DataCipher::generate_key(),
    };
    let new = DataCipher::from_base64(&text).context("ZAPYS_NEW_DATA_KEY")?;
    if new.fingerprint() == current.cipher.fingerprint() {
        bail!("the new data key is the current one");
    }
    let store = crate::open_store_with(config, current.cipher.clone()).await?;
    let values = match &current.source {
        KeySource::File(path) => {
            let pending = pending_path(path);
            write_key_file(&pending, &text).with_context(|| format!("writing {}", pending.display()))?;
            match store.rekey(&new).await {
                Ok(values) => {
                    std::fs::rename(&pending, path)
                        .with_context(|| format!("moving {} into place", pending.display()))?;
                    sync_parent(path)?;
                    values
                }
                Err(error) => {
                    let _ = std::fs::remove_file(&pending);
                    return Err(error).context("re-sealing under the new key; nothing was changed");
                }
            }
        }
        KeySource::Environment | KeySource::Memory => {
            store.rekey(&new).await.context("re-sealing under the new key; nothing was changed")?
        }
    };
    Ok(Rekeyed { values, source: current.source })
}
