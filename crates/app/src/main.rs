//! `zapys`: appointments for small businesses. See `zapys --help`.

use std::io::BufRead as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{CommandFactory as _, Parser, Subcommand};
use zapys::{App, Config, FirstAdmin, LogFormat};
use zapys_domain::SystemClock;

#[derive(Debug, Parser)]
#[command(
    name = "zapys",
    version,
    about = "Appointments for small businesses: REST API, admin panel and Telegram bot in one program."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start everything: API, admin panel, bot, scheduler (the default).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Manage admins.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Write a consistent copy of the live database to FILE.
    Backup { file: PathBuf },
    /// Re-seal all personal data under a new data key (stop the server first).
    ///
    /// The new key comes from ZAPYS_NEW_DATA_KEY; without it (and with a key
    /// file) a random one is generated into the key file. All or nothing: an
    /// interrupted rekey leaves the database under the old key.
    Rekey {
        /// The new key (32 random bytes, base64); required when ZAPYS_DATA_KEY holds the current one.
        #[arg(long, env = "ZAPYS_NEW_DATA_KEY", hide_env_values = true)]
        new_data_key: Option<zapys::Secret>,
    },
    /// Fill an empty database with demo data.
    Demo,
    /// Copy a business from SQLite to an empty PostgreSQL database (the data key stays the same).
    CopyData {
        /// The SQLite database, e.g. sqlite://zapys.db (its key file or ZAPYS_DATA_KEY unlocks it).
        #[arg(long)]
        from: String,
        /// The PostgreSQL database, e.g. postgres://zapys:PASSWORD@db.internal/zapys; must be empty.
        #[arg(long)]
        to: String,
    },
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an admin (the password comes from ZAPYS_ADMIN_PASSWORD or standard input).
    Create {
        /// Defaults to ZAPYS_ADMIN_USER.
        username: Option<String>,
    },
    /// Set a new password for an admin; their sessions end.
    Password { username: Option<String> },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Print a new API token for `Authorization: Bearer`.
    Create {
        name: String,
        /// What the token may do: `read`; `book` (read, and book, move and cancel for clients);
        /// `admin` (everything but the bot simulator).
        #[arg(long, default_value = "book", value_parser = ["read", "book", "admin"])]
        scope: String,
    },
}

fn main() -> ExitCode {
    // .env fills in what the environment does not set; a missing file is fine.
    let _ = dotenvy::dotenv();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    if let Err(error) = cli.config.check() {
        return fail(&error.into());
    }
    init_tracing(cli.config.log_format);
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(run(cli)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// An error an operator reads: one line, the variable first when it is a configuration
/// error, then the causes; never a backtrace.
fn fail(error: &anyhow::Error) -> ExitCode {
    let line = match error.downcast_ref::<zapys::ConfigError>() {
        Some(config) => config.to_string(),
        None => format!("{error:#}"),
    };
    eprintln!("zapys: {}", line.split_whitespace().collect::<Vec<_>>().join(" "));
    ExitCode::FAILURE
}

/// A value clap refused, named by its environment variable (where it most likely came from)
/// and its flag, on one line. `--help` and `--version` print as usual.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let flag = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(flag)) => flag.split_whitespace().next().map(str::to_owned),
        _ => None,
    };
    let env = flag.as_deref().and_then(|flag| {
        Cli::command()
            .get_arguments()
            .find(|arg| arg.get_long().is_some_and(|long| flag == format!("--{long}")))
            .and_then(|arg| arg.get_env().map(|env| env.to_string_lossy().into_owned()))
    });
    let rendered = error.kind().to_string();
    let line = match (env, flag, error.get(ContextKind::InvalidValue)) {
        (Some(env), Some(flag), Some(ContextValue::String(value))) => {
            let reason = std::error::Error::source(error).map(|e| format!(": {e}")).unwrap_or_default();
            format!("{env} ({flag}): invalid value '{value}'{reason}")
        }
        _ => error.to_string().lines().next().unwrap_or(&rendered).trim_start_matches("error: ").to_owned(),
    };
    eprintln!("zapys: {line}");
    ExitCode::from(2)
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            zapys::open_store(&config).await?;
            println!("The database {} is up to date.", config.database_label());
            Ok(())
        }
        Command::CopyData { from, to } => {
            let copied = zapys::copy_data::copy(&config, &from, &to).await?;
            for (table, rows) in &copied.rows {
                println!("{table:>20}: {rows}");
            }
            println!(
                "Copied {} rows into {}. Start Zapys there with DATABASE_URL set to it and the same data key \
                 (ZAPYS_DATA_KEY, or ZAPYS_DATA_KEY_FILE pointing at a copy of the SQLite database's key file).",
                copied.total(),
                zapys::config::without_password(&to)
            );
            Ok(())
        }
        Command::Admin(AdminCommand::Create { username }) => {
            let store = zapys::open_store(&config).await?;
            let username = username.unwrap_or(config.admin_user.clone());
            let password = password(&config)?;
            zapys::create_admin(&*store, &username, &password).await?;
            println!("Admin '{username}' created.");
            Ok(())
        }
        Command::Admin(AdminCommand::Password { username }) => {
            let store = zapys::open_store(&config).await?;
            let username = username.unwrap_or(config.admin_user.clone());
            let password = password(&config)?;
            let hash = tokio::task::spawn_blocking(move || zapys_api::hash_password(&password)).await??;
            store.set_admin_password(&username, &hash).await.with_context(|| format!("no admin named '{username}'"))?;
            println!("Password of '{username}' changed; their sessions have ended.");
            Ok(())
        }
        Command::Token(TokenCommand::Create { name, scope }) => {
            let store = zapys::open_store(&config).await?;
            let token = zapys_api::new_token(zapys_api::routes::tokens::TOKEN_PREFIX);
            let scope = zapys_store::TokenScope::from_name(&scope).context("scope must be read, book or admin")?;
            store.create_api_token(name.trim(), scope, &zapys_api::token_hash(&token), jiff::Timestamp::now()).await?;
            println!("{token}");
            eprintln!(
                "API token '{name}' ({}) created. It is shown only now; send it as `Authorization: Bearer <token>`.",
                scope.name()
            );
            Ok(())
        }
        Command::Backup { file } if config.engine()? == zapys::Engine::Postgres => {
            zapys::pg_dump(&config, &file)?;
            println!("Backup written to {} (pg_dump, custom format: restore it with pg_restore).", file.display());
            println!("Keep the data key with it: personal data in the backup cannot be read without it.");
            Ok(())
        }
        Command::Backup { file } => {
            let store = zapys::open_store(&config).await?;
            store.backup(&file).await?;
            println!("Backup written to {}.", file.display());
            if config.data_key.is_none() {
                println!(
                    "Keep the data key file {} with it: personal data in the backup cannot be read without it.",
                    config.data_key_path().display()
                );
            } else {
                println!("Keep ZAPYS_DATA_KEY with it: personal data in the backup cannot be read without it.");
            }
            Ok(())
        }
        Command::Rekey { new_data_key } => {
            let done = zapys::data_key::rekey(&config, new_data_key.as_ref()).await?;
            println!("Re-sealed {} values under the new data key.", done.values);
            match done.source {
                zapys::data_key::KeySource::File(path) => println!(
                    "The new key is in {}. Replace the copy you keep with your backups: \
                     backups made before now still need the old key.",
                    path.display()
                ),
                _ => println!(
                    "Now set ZAPYS_DATA_KEY to the new key (the value of ZAPYS_NEW_DATA_KEY) before starting Zapys. \
                     Backups made before now still need the old key."
                ),
            }
            Ok(())
        }
        Command::Demo => {
            let store = zapys::open_store(&config).await?;
            if !store.is_empty().await? {
                bail!("the database already holds data; demo data goes only into an empty one");
            }
            zapys::demo::fill(&*store, jiff::Timestamp::now()).await?;
            println!("Demo data added.");
            Ok(())
        }
        Command::Openapi => {
            println!("{}", zapys_api::openapi_json());
            Ok(())
        }
    }
}

/// The admin password: from ZAPYS_ADMIN_PASSWORD, else one line of standard input.
fn password(config: &Config) -> anyhow::Result<String> {
    if let Some(password) = &config.admin_password {
        return Ok(password.expose().to_owned());
    }
    eprintln!("Password (at least {} characters), then Enter:", zapys_api::auth::MIN_PASSWORD_CHARS);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| zapys::ConfigError::new("ZAPYS_ADDR", format!("cannot listen on {}: {e}", config.addr)))?;
    let app = App::start(&config, listener, Arc::new(SystemClock)).await?;
    let url = format!("{}://{}", app.scheme, app.addr);
    let mut banner = vec![format!("Zapys is running: {url}"), format!("  API docs: {url}/api/docs")];
    match &app.first_admin {
        FirstAdmin::Generated { username, password } => {
            banner.push(format!("  Log in as '{username}' with password '{password}' (demo; shown once)"));
        }
        FirstAdmin::FromEnvironment(username) => {
            banner.push(format!("  Admin '{username}' created from ZAPYS_ADMIN_PASSWORD"))
        }
        FirstAdmin::Missing => {
            banner.push("  No admin yet: set ZAPYS_ADMIN_PASSWORD and restart, or run `zapys admin create`".into())
        }
        FirstAdmin::Existing if config.demo => {
            banner.push(
                "  Log in with the admin password shown at the first start (forgot it? `zapys admin password`)".into(),
            );
        }
        FirstAdmin::Existing => {}
    }
    if app.telegram.status().source == zapys_api::TokenSource::None {
        banner.push(
            "  Telegram: no bot is connected yet. Paste the token from @BotFather in Settings › Telegram (or set TELEGRAM_BOT_TOKEN)."
                .into(),
        );
    }
    eprintln!("\n{}\n", banner.join("\n"));
    app.run_until(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
