//! `cargo xtask run | test | ci | bench | openapi | contract`: the project's two
//! promised commands and their helpers. npm runs here, never from a build
//! script, so a plain `cargo check` stays fast and needs no Node.

mod contract;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = args.split_first().map_or(("help", &[][..]), |(t, r)| (t.as_str(), r));
    let result = match task {
        "run" => run(rest),
        "test" => test(),
        "ci" => ci(),
        "bench" => bench(rest),
        "web" => build_web(),
        "openapi" => openapi(),
        "contract" => contract::run(&root()),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n  run [ARGS]  build the admin panel and start zapys with demo data (ARGS go to zapys)\n  test        run every test: Rust (workspace), the panel's unit tests, and browser tests\n  ci          formatting and lint checks, then every test\n  bench       the API and bot benchmarks (see docs/BENCHMARKS.md)\n  web         build the admin panel only\n  openapi     write docs/openapi.json from the code and the panel's types from it\n  contract    check the running API against its OpenAPI document (validator, schemathesis)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

type Result = std::result::Result<(), String>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn web() -> PathBuf {
    root().join("web")
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

fn npm() -> Command {
    let mut command = Command::new("npm");
    command.current_dir(web());
    command
}

fn status(mut command: Command) -> Result {
    eprintln!("xtask: running {command:?}");
    let status = command.status().map_err(|e| format!("could not start {command:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed ({status})")) }
}

fn have_npm() -> bool {
    Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Installs the panel's packages exactly as locked, when they are missing or stale.
fn npm_install() -> Result {
    let installed = web().join("node_modules/.package-lock.json");
    let lock = web().join("package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed).is_some_and(|i| modified(&lock).is_some_and(|l| i >= l)) {
        return Ok(());
    }
    let mut ci = npm();
    ci.args(["ci", "--no-audit", "--no-fund"]);
    status(ci)
}

fn build_web() -> Result {
    npm_install()?;
    let mut build = npm();
    build.args(["run", "build"]);
    status(build)
}

fn run(args: &[String]) -> Result {
    if have_npm() {
        build_web()?;
    } else {
        eprintln!("xtask: npm not found: starting without the admin panel (install Node.js 20+ to build it)");
    }
    let mut run = cargo();
    run.args(["run", "--release", "--package", "zapys", "--"]).args(args);
    if std::env::var_os("ZAPYS_DEMO").is_none() {
        run.env("ZAPYS_DEMO", "1");
    }
    status(run)
}

fn test() -> Result {
    if !have_npm() {
        return Err("npm is needed for the admin panel's tests; install Node.js 20+".into());
    }
    build_web()?;
    // One PostgreSQL cluster for the whole run (each test makes its own database in it), so the
    // PostgreSQL store's suite and the multi-instance tests run rather than skip.
    let postgres = zapys_pg_test::Cluster::start()
        .map_err(|e| format!("the tests need PostgreSQL (install Debian's `postgresql`): {e}"))?;
    let nextest = cargo().args(["nextest", "--version"]).output().is_ok_and(|o| o.status.success());
    let mut rust = cargo();
    rust.env(zapys_pg_test::URL_VAR, postgres.url("postgres"));
    if nextest {
        rust.args(["nextest", "run", "--workspace", "--no-fail-fast"]);
    } else {
        rust.args(["test", "--workspace", "--no-fail-fast"]);
    }
    status(rust)?;
    let mut types = npm();
    types.args(["run", "check:api"]);
    status(types).map_err(|e| format!("{e}\nweb/src/api/schema.ts is stale: run `cargo xtask openapi`"))?;
    let mut web_tests = npm();
    web_tests.args(["test"]);
    status(web_tests)?;
    browser_tests()?;
    contract::run(&root())
}

/// Writes the OpenAPI document the code declares to `docs/openapi.json` (a test
/// fails while the two differ) and regenerates the panel's types from it.
fn openapi() -> Result {
    let output = cargo()
        .args(["run", "--quiet", "--package", "zapys", "--", "openapi"])
        .output()
        .map_err(|e| format!("could not run zapys openapi: {e}"))?;
    if !output.status.success() {
        return Err(format!("zapys openapi failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let path = root().join("docs/openapi.json");
    std::fs::write(&path, &output.stdout).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    eprintln!("xtask: wrote {}", path.display());
    npm_install()?;
    let mut types = npm();
    types.args(["run", "gen:api"]);
    status(types)
}

/// The admin panel in headless Chromium against the real binary (built by the Rust tests above).
fn browser_tests() -> Result {
    if !Path::new("/usr/bin/chromium").exists() {
        return Err("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)".into());
    }
    let binary = build_binaries()?;
    let mut e2e = npm();
    e2e.args(["run", "e2e"]).env("ZAPYS_BIN", binary);
    status(e2e)
}

/// `zapys` and the fake Bot API (`zapys-fake-telegram`, beside it) as the Rust tests left them
/// (they build both), each built here only when missing; answers the path of `zapys`. (Building them
/// again with other packages' features would rebuild half the dependency tree.)
fn build_binaries() -> std::result::Result<PathBuf, String> {
    for package in ["zapys", "zapys-fake-telegram"] {
        if !root().join("target/debug").join(package).exists() {
            let mut build = cargo();
            build.args(["build", "--package", package]);
            status(build)?;
        }
    }
    Ok(root().join("target/debug/zapys"))
}

fn ci() -> Result {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    status(fmt)?;
    let mut clippy = cargo();
    clippy.args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]);
    status(clippy)?;
    test()
}

fn bench(args: &[String]) -> Result {
    let mut bench = cargo();
    bench.args(["bench", "--package", "zapys", "--bench", "api", "--"]).args(args);
    status(bench)
}
