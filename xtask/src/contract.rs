//! The HTTP contract, checked from outside: the committed OpenAPI document must
//! pass `openapi-spec-validator`, and schemathesis, run against the real binary
//! with an API token, must find no server error, no undocumented status code or
//! content type, no answer that breaks its schema, and no operation that
//! answers without authentication.
//!
//! Both tools come from PyPI, pinned, into a virtual environment under
//! `target/`; the server runs on a free port with a throwaway database.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Result;

const TOOLS: &[&str] = &["schemathesis==4.32.5", "openapi-spec-validator==0.9.0"];

/// What schemathesis must never find (the list; `positive_data_acceptance`
/// is left out: ids in bodies must name existing records, which no schema can say).
const CHECKS: &str =
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,ignored_auth";

/// Operations that would end the run's own credentials halfway through.
const EXCLUDED: &[&str] = &["tokens_delete"];

/// Time budget for the fuzzing and stateful phases, in seconds.
const MAX_SECONDS: &str = "150";

pub fn run(root: &Path) -> Result {
    let venv = root.join("target/contract-venv");
    install_tools(&venv)?;
    let document = root.join("docs/openapi.json");
    let validator = venv.join("bin/openapi-spec-validator");
    super::status(with_args(Command::new(&validator), &[document.as_os_str()]))?;

    let binary = super::build_binaries()?;
    let server = Server::start(&binary)?;
    let mut st = Command::new(venv.join("bin/st"));
    // Its cache and reports stay out of the repository.
    st.current_dir(&server._dir.0);
    st.args(["run", &format!("{}/api/openapi.json", server.base_url)])
        .args(["--header", &format!("Authorization: Bearer {}", server.token)])
        .args(["--checks", CHECKS, "--max-time", MAX_SECONDS, "--workers", "2", "--seed", "1"]);
    for operation in EXCLUDED {
        st.args(["--exclude-operation-id", operation]);
    }
    let result = super::status(st);
    drop(server);
    result
}

fn with_args(mut command: Command, args: &[&std::ffi::OsStr]) -> Command {
    command.args(args);
    command
}

fn install_tools(venv: &Path) -> Result {
    let pip = venv.join("bin/pip");
    if !pip.exists() {
        let python = if Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success()) {
            "python3"
        } else {
            return Err("the contract checks need python3 (with venv) to install schemathesis from PyPI".into());
        };
        let mut make = Command::new(python);
        make.args(["-m", "venv"]).arg(venv);
        super::status(make)?;
    }
    let marker = venv.join("installed.txt");
    if std::fs::read_to_string(&marker).is_ok_and(|s| s == TOOLS.join("\n")) {
        return Ok(());
    }
    let mut install = Command::new(&pip);
    install.args(["install", "--quiet", "--disable-pip-version-check"]).args(TOOLS);
    super::status(install)?;
    std::fs::write(&marker, TOOLS.join("\n")).map_err(|e| format!("could not write {}: {e}", marker.display()))
}

/// `zapys serve` on a free port with a throwaway database, demo data and an API token.
struct Server {
    child: Child,
    base_url: String,
    token: String,
    /// The fake Bot API the server checks pasted bot tokens with (any token the run makes up is
    /// refused there, as Telegram would, rather than sent to the internet).
    _telegram: FakeTelegram,
    _dir: TempDir,
}

/// `zapys-fake-telegram` running, killed when dropped.
struct FakeTelegram {
    child: Child,
    api_url: String,
}

impl FakeTelegram {
    fn start(binary: &Path) -> std::result::Result<Self, String> {
        use std::io::BufRead as _;
        let mut child = Command::new(binary)
            .arg("7000000002:AAContractRunTokenNobodyGuesses_01234")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
        let mut lines = std::io::BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
        let Some(api_url) = first.strip_prefix("listening ").map(str::to_owned) else {
            let _ = child.kill();
            return Err(format!("zapys-fake-telegram said {first:?} instead of its address"));
        };
        // It prints a line per call: keep reading, or a full pipe would stop it.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Self { child, api_url })
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(binary: &Path) -> std::result::Result<Self, String> {
        let telegram = FakeTelegram::start(&binary.with_file_name("zapys-fake-telegram"))?;
        let dir = TempDir::new()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let env = |command: &mut Command| {
            command
                .env("DATABASE_URL", format!("sqlite://{}", dir.0.join("contract.db").display()))
                .env("ZAPYS_ADDR", format!("127.0.0.1:{port}"))
                .env("ZAPYS_DEMO", "1")
                .env("ZAPYS_ADMIN_PASSWORD", "contract-checks")
                .env("ZAPYS_DATA_KEY", "emFweXMtY29udHJhY3QtY2hlY2tzLW5vdC1zZWNyZXQ=")
                .env("RUST_LOG", "error")
                .env_remove("TELEGRAM_BOT_TOKEN")
                .env("TELEGRAM_API_URL", &telegram.api_url)
                .current_dir(&dir.0);
        };
        let mut create = Command::new(binary);
        create.args(["token", "create", "contract", "--scope", "admin"]);
        env(&mut create);
        let output = create.output().map_err(|e| format!("could not run zapys token create: {e}"))?;
        if !output.status.success() {
            return Err(format!("zapys token create failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        let token = String::from_utf8_lossy(&output.stdout)
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_owned())
            .ok_or("zapys token create printed no token")?;
        let mut serve = Command::new(binary);
        serve.arg("serve").stdout(Stdio::null()).stderr(Stdio::inherit());
        env(&mut serve);
        let child = serve.spawn().map_err(|e| format!("could not start zapys: {e}"))?;
        let server =
            Self { child, base_url: format!("http://127.0.0.1:{port}"), token, _telegram: telegram, _dir: dir };
        server.wait_healthy(port)?;
        Ok(server)
    }

    fn wait_healthy(&self, port: u16) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if healthz(port).is_some_and(|answer| answer.starts_with("HTTP/1.1 200")) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("zapys did not answer /healthz within 30 s".into())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn healthz(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

/// A directory removed when dropped (xtask keeps no dependencies).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::result::Result<Self, String> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("zapys-contract-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| format!("could not create {}: {e}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
