//! A throwaway PostgreSQL cluster for tests. No mock: the real server, on a
//! free port of 127.0.0.1, in a temporary data directory, gone afterwards.
//!
//! - [`cluster`] gives the test process its cluster: the one named by
//!   [`URL_VAR`] when set (`cargo xtask test` starts one for the whole run and
//!   sets it), else one started for this process on first use. `None`, with one
//!   line on stderr saying why, when PostgreSQL is not installed: tests then
//!   skip rather than fail, so `cargo test` works on any machine.
//! - [`Cluster::fresh_database`] makes an empty database per test.
//!
//! The server runs under a small shell "watchdog" whose stdin is a pipe from
//! this process. When the process ends — normally, by panic or killed — the
//! pipe closes, and the watchdog stops the server and removes its directory.
//! No test can leave a server running.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The admin URL of an already running cluster (a superuser, database `postgres`).
pub const URL_VAR: &str = "ZAPYS_TEST_POSTGRES";
/// Where PostgreSQL's programs are, when not under `/usr/lib/postgresql/<version>/bin`.
pub const BIN_VAR: &str = "ZAPYS_PG_BIN";

/// A cluster tests can make databases in.
#[derive(Debug)]
pub struct Cluster {
    /// `postgres://postgres@127.0.0.1:<port>`, without a database.
    server: String,
    psql: PathBuf,
    databases: AtomicU32,
    /// Present when this process started the cluster; dropping it stops the server.
    watchdog: Option<Mutex<Watchdog>>,
}

#[derive(Debug)]
struct Watchdog {
    child: Child,
    stdin: Option<ChildStdin>,
}

/// This process's cluster, started on first use; `None` when PostgreSQL is not available.
pub async fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    if let Some(ready) = CLUSTER.get() {
        return ready.as_ref();
    }
    // Starting takes a few seconds of blocking work (initdb, pg_ctl).
    tokio::task::spawn_blocking(|| CLUSTER.get_or_init(shared_or_started).as_ref()).await.ok().flatten()
}

fn shared_or_started() -> Option<Cluster> {
    let started = match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Cluster::existing(&url),
        _ => Cluster::start(),
    };
    match started {
        Ok(cluster) => Some(cluster),
        Err(reason) => {
            // Written past the test harness's capture, so a skipped suite says so.
            let _ = writeln!(std::io::stderr(), "skipped: the PostgreSQL tests ({reason})");
            None
        }
    }
}

impl Cluster {
    /// A cluster somebody else runs, reached at `url` (a superuser's URL).
    pub fn existing(url: &str) -> Result<Self, String> {
        let server = url.trim_end_matches('/');
        // Keep scheme, credentials, host and port; the database is chosen per use.
        let server = match server.split_once("://") {
            Some((scheme, rest)) => match rest.split_once('/') {
                Some((authority, _)) => format!("{scheme}://{authority}"),
                None => server.to_owned(),
            },
            None => return Err(format!("{URL_VAR} is not a postgres:// URL")),
        };
        let psql = bin_dir().map_or_else(|_| PathBuf::from("psql"), |dir| dir.join("psql"));
        Ok(Self { server, psql, databases: AtomicU32::new(0), watchdog: None })
    }

    /// Starts a new cluster owned by this value: stopped and removed when it is dropped
    /// or when the process ends.
    pub fn start() -> Result<Self, String> {
        Self::start_with(FAST)
    }

    /// Like [`Cluster::start`], but with PostgreSQL's default durability (`fsync`,
    /// `synchronous_commit` and `full_page_writes` on): every commit waits for the disk, as a
    /// production server's does. For benchmarks; tests want [`Cluster::start`].
    pub fn start_durable() -> Result<Self, String> {
        Self::start_with(DURABLE)
    }

    fn start_with(durability: &str) -> Result<Self, String> {
        let bin = bin_dir()?;
        let mut last_error = String::new();
        // A free port can be taken by someone else between our probe and the server's bind.
        for _ in 0..3 {
            match start_once(&bin, durability) {
                Ok(cluster) => return Ok(cluster),
                Err(error) => last_error = error,
            }
        }
        Err(last_error)
    }

    /// The server's URL with `database`.
    pub fn url(&self, database: &str) -> String {
        format!("{}/{database}", self.server)
    }

    /// Creates an empty database and answers its URL.
    pub fn create_database(&self) -> Result<String, String> {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        // The process id alone repeats on a long-lived shared cluster; the clock makes the name unique.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let name = format!("zapys_{}_{n}_{nanos:x}", std::process::id());
        let output = Command::new(&self.psql)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &self.url("postgres"), "-c"])
            .arg(format!("CREATE DATABASE {name}"))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.psql.display()))?;
        if !output.status.success() {
            return Err(format!("CREATE DATABASE failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
        }
        Ok(self.url(&name))
    }

    /// A new, empty database for one test.
    ///
    /// # Panics
    /// When the cluster refuses to create it: the test cannot run.
    pub async fn fresh_database(&'static self) -> String {
        tokio::task::spawn_blocking(|| self.create_database())
            .await
            .expect("creating a database does not panic")
            .unwrap_or_else(|error| panic!("a fresh PostgreSQL database: {error}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(watchdog) = self.watchdog.take() {
            let mut watchdog = watchdog.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            drop(watchdog.stdin.take()); // the watchdog's cue to stop the server
            let _ = watchdog.child.wait();
        }
    }
}

/// Starts the watchdog script and waits for its "ready".
fn start_once(bin: &Path, durability: &str) -> Result<Cluster, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let dir = tempfile::Builder::new()
        .prefix("zapys-pg-")
        .tempdir()
        .map_err(|e| format!("no temporary directory: {e}"))?
        // The watchdog removes it, as the server's user, after the server stops.
        .keep();
    let as_root = is_root();
    if as_root {
        // initdb refuses to run as root; the cluster belongs to the `postgres` user.
        let status = Command::new("chown")
            .args(["postgres:", &dir.display().to_string()])
            .status()
            .map_err(|e| format!("cannot run chown: {e}"))?;
        if !status.success() {
            let _ = std::fs::remove_dir_all(&dir);
            return Err("running as root, and there is no `postgres` user to own the cluster".into());
        }
    }
    let mut command = if as_root {
        let mut runuser = Command::new("runuser");
        runuser.args(["-u", "postgres", "--", "sh", "-c", WATCHDOG]);
        runuser
    } else {
        let mut sh = Command::new("sh");
        sh.args(["-c", WATCHDOG]);
        sh
    };
    let mut child = command
        .env("PG_BIN", bin)
        .env("PG_DIR", &dir)
        .env("PG_PORT", port.to_string())
        .env("PG_DURABILITY", durability)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().ok_or("the watchdog has no stdout")?;
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    if line.trim() != "ready" {
        drop(stdin);
        let _ = child.wait();
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        return Err(format!("the test cluster did not start: {} {}", line.trim(), log.trim()));
    }
    Ok(Cluster {
        server: format!("postgres://postgres@127.0.0.1:{port}"),
        psql: bin.join("psql"),
        databases: AtomicU32::new(0),
        watchdog: Some(Mutex::new(Watchdog { child, stdin })),
    })
}

/// The server's durability settings for tests: off, a test cluster is thrown away anyway.
const FAST: &str = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
/// PostgreSQL's defaults: every commit reaches the disk.
const DURABLE: &str = "-c fsync=on -c synchronous_commit=on -c full_page_writes=on";

/// Runs as the server's user, with `PG_DURABILITY` one of [`FAST`] and [`DURABLE`].
const WATCHDOG: &str = r#"
"$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$PG_DIR/log" 2>&1 \
  || { echo "initdb failed"; exit 1; }
"$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 -o "-p $PG_PORT -k $PG_DIR \
  -c listen_addresses=127.0.0.1 -c max_connections=400 $PG_DURABILITY" start >/dev/null 2>&1 \
  || { echo "pg_ctl start failed"; exit 1; }
echo ready
read -r _ || true
"$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$PG_DIR"
"#;

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// PostgreSQL's programs: [`BIN_VAR`], else the newest `/usr/lib/postgresql/<version>/bin`.
fn bin_dir() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var(BIN_VAR) {
        return Ok(PathBuf::from(dir));
    }
    let versions = std::fs::read_dir("/usr/lib/postgresql").map_err(|_| {
        format!("PostgreSQL is not installed: no /usr/lib/postgresql; install Debian's `postgresql` or set {BIN_VAR}")
    })?;
    versions
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
        .ok_or_else(|| format!("no initdb under /usr/lib/postgresql/*/bin; set {BIN_VAR}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fresh_database_accepts_connections_and_is_empty() {
        let Some(cluster) = cluster().await else { return };
        let url = cluster.fresh_database().await;
        let output = Command::new(&cluster.psql)
            .args(["-X", "-At", "-d", &url, "-c", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"])
            .output()
            .expect("psql runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
        assert_ne!(cluster.fresh_database().await, url, "each test gets its own database");
    }

    #[test]
    fn an_existing_cluster_url_loses_its_database() {
        let cluster = Cluster::existing("postgres://u:p@db.example:5433/other").expect("a postgres URL");
        assert_eq!(cluster.url("x"), "postgres://u:p@db.example:5433/x");
    }
}
