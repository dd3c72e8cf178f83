//! Configuration: flags, then environment variables, then `.env`, then defaults.
//! Read once at start into one typed struct; secrets never print.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args};

/// A value that must not reach a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "ZAPYS_ADDR", default_value = "127.0.0.1:8080", global = true)]
    pub addr: SocketAddr,

    /// The database.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://zapys.db", global = true)]
    pub database_url: String,

    /// Username of the first admin, created at start when no admin exists.
    #[arg(long, env = "ZAPYS_ADMIN_USER", default_value = "admin", global = true)]
    pub admin_user: String,

    /// Password of the first admin (at least 8 characters).
    #[arg(long, env = "ZAPYS_ADMIN_PASSWORD", hide_env_values = true, global = true)]
    pub admin_password: Option<Secret>,

    /// Key sealing personal data at rest: 32 random bytes, base64 (`openssl rand -base64 32`).
    /// Unset: the key file (made at first start) holds it.
    #[arg(long, env = "ZAPYS_DATA_KEY", hide_env_values = true, global = true)]
    pub data_key: Option<Secret>,

    /// The data key file, used when ZAPYS_DATA_KEY is unset; default: beside the database (`zapys.db.key`).
    #[arg(long, env = "ZAPYS_DATA_KEY_FILE", global = true)]
    pub data_key_file: Option<PathBuf>,

    /// The business's time zone, for a new database (later: Settings in the panel).
    #[arg(long, env = "ZAPYS_TIMEZONE", default_value = "Europe/Kyiv", global = true)]
    pub timezone: String,

    /// `1`: fill a new, empty database with demo data.
    #[arg(long, env = "ZAPYS_DEMO", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, default_value = "false", default_missing_value = "true", global = true)]
    pub demo: bool,

    /// Treat every request as HTTPS for the session cookie (`__Host-` name, Secure). Rarely needed:
    /// Zapys's own TLS and a trusted proxy's X-Forwarded-Proto already turn it on.
    #[arg(long, env = "ZAPYS_SECURE_COOKIES", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, default_value = "false", default_missing_value = "true", global = true)]
    pub secure_cookies: bool,

    /// Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto / Forwarded headers are believed:
    /// addresses or CIDR ranges, comma-separated (e.g. `127.0.0.1,::1`). Default: none.
    #[arg(long, env = "ZAPYS_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy, global = true)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// The address users open, e.g. `https://book.example.com`; browser writes must come from it.
    /// Default: the request's own Host.
    #[arg(long, env = "ZAPYS_PUBLIC_URL", value_parser = parse_public_url, global = true)]
    pub public_url: Option<String>,

    /// TLS certificate chain (PEM) to serve HTTPS directly; needs ZAPYS_TLS_KEY. Re-read on SIGHUP.
    #[arg(long, env = "ZAPYS_TLS_CERT", global = true)]
    pub tls_cert: Option<PathBuf>,

    /// TLS private key (PEM) for ZAPYS_TLS_CERT.
    #[arg(long, env = "ZAPYS_TLS_KEY", global = true)]
    pub tls_key: Option<PathBuf>,

    /// Hours an admin session may sit unused before it ends (it ends 7 days after login in any case).
    #[arg(long, env = "ZAPYS_SESSION_IDLE_HOURS", default_value = "12", value_parser = clap::value_parser!(u64).range(1..=168), global = true)]
    pub session_idle_hours: u64,

    /// Seconds a client may take to send a request's headers (also the idle keep-alive limit).
    #[arg(long, env = "ZAPYS_HEADER_TIMEOUT_SECS", default_value = "10", value_parser = clap::value_parser!(u64).range(1..=30), global = true)]
    pub header_timeout_secs: u64,

    /// Seconds a request may take to be answered (CSV imports have their own limit).
    #[arg(long, env = "ZAPYS_REQUEST_TIMEOUT_SECS", default_value = "30", value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_timeout_secs: u64,

    /// Seconds a CSV import (`POST /api/users/import`) may take.
    #[arg(long, env = "ZAPYS_IMPORT_TIMEOUT_SECS", default_value = "300", value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub import_timeout_secs: u64,

    /// Open connections at most; more are answered 503 and closed.
    #[arg(long, env = "ZAPYS_MAX_CONNECTIONS", default_value = "512", value_parser = clap::value_parser!(u64).range(1..=100_000), global = true)]
    pub max_connections: u64,

    /// The Telegram bot's token; unset: no Telegram, the bot simulator only.
    #[arg(long, env = "TELEGRAM_BOT_TOKEN", hide_env_values = true, global = true)]
    pub telegram_bot_token: Option<Secret>,

    /// Bot API base URL.
    #[arg(long, env = "TELEGRAM_API_URL", default_value = "https://api.telegram.org", global = true)]
    pub telegram_api_url: String,

    /// Public HTTPS URL for webhook mode instead of long polling.
    #[arg(long, env = "TELEGRAM_WEBHOOK_URL", global = true)]
    pub telegram_webhook_url: Option<String>,

    /// Secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token.
    #[arg(long, env = "TELEGRAM_WEBHOOK_SECRET", hide_env_values = true, global = true)]
    pub telegram_webhook_secret: Option<Secret>,

    /// `1`: allow webhook receivers on loopback, private and link-local addresses, and http:// to them
    /// (a receiver on this machine or network). Off: https:// to public addresses only.
    #[arg(long, env = "ZAPYS_WEBHOOK_ALLOW_PRIVATE", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, default_value = "false", default_missing_value = "true", global = true)]
    pub webhook_allow_private: bool,

    /// The business's own Telegram chat for notices.
    #[arg(long, env = "ADMIN_CHAT_ID", global = true)]
    pub admin_chat_id: Option<i64>,

    /// Log format.
    #[arg(long, env = "ZAPYS_LOG_FORMAT", value_enum, default_value = "pretty", global = true)]
    pub log_format: LogFormat,

    /// How the outbox paces and retries; tests shorten it. Not a setting for operators.
    #[arg(skip)]
    pub notify_limits: Option<zapys_notify::Limits>,
}

fn parse_proxy(entry: &str) -> Result<ipnet::IpNet, String> {
    zapys_api::TrustedProxies::parse_entry(entry).map_err(|e| e.to_string())
}

fn parse_public_url(url: &str) -> Result<String, String> {
    zapys_api::origin_of(url)
        .map(|_| url.trim().to_owned())
        .ok_or_else(|| "expected http(s)://host[:port], like https://book.example.com".to_owned())
}

/// A configuration value that cannot be used, named by its variable: the whole message an operator sees.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl ConfigError {
    pub fn new(variable: &'static str, message: impl Into<String>) -> Self {
        Self { variable, message: message.into() }
    }
}

impl Config {
    /// Checks what clap cannot check alone, before anything starts.
    pub fn check(&self) -> Result<(), ConfigError> {
        self.engine()?;
        zapys_domain::BusinessTime::parse(&self.timezone)
            .map_err(|e| ConfigError::new("ZAPYS_TIMEZONE", e.to_string()))?;
        if let Some(key) = &self.data_key {
            zapys_store::DataCipher::from_base64(key.expose()).map_err(|e| {
                ConfigError::new("ZAPYS_DATA_KEY", e.to_string().trim_start_matches("ZAPYS_DATA_KEY ").to_owned())
            })?;
        }
        match (&self.tls_cert, &self.tls_key) {
            (Some(_), None) => {
                return Err(ConfigError::new("ZAPYS_TLS_KEY", "must be set together with ZAPYS_TLS_CERT"));
            }
            (None, Some(_)) => {
                return Err(ConfigError::new("ZAPYS_TLS_CERT", "must be set together with ZAPYS_TLS_KEY"));
            }
            (Some(cert), Some(key)) => {
                crate::server::Tls::load(cert, key)?;
            }
            (None, None) => {}
        }
        if let Some(password) = &self.admin_password
            && password.expose().chars().count() < zapys_api::auth::MIN_PASSWORD_CHARS
        {
            return Err(ConfigError::new(
                "ZAPYS_ADMIN_PASSWORD",
                format!("must have at least {} characters", zapys_api::auth::MIN_PASSWORD_CHARS),
            ));
        }
        Ok(())
    }

    /// The database engine `DATABASE_URL` names, or why it names none.
    pub fn engine(&self) -> Result<Engine, ConfigError> {
        let url = self.database_url.trim();
        match url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase()) {
            Some(scheme) if scheme == "sqlite" => Ok(Engine::Sqlite),
            Some(scheme) if scheme == "postgres" || scheme == "postgresql" => Ok(Engine::Postgres),
            Some(scheme) if !scheme.is_empty() && !scheme.contains(['/', '\\', '.']) => Err(ConfigError::new(
                "DATABASE_URL",
                format!(
                    "unsupported database URL scheme '{scheme}'; use sqlite:// or postgres:// \
                     (e.g. sqlite://zapys.db or postgres://zapys:PASSWORD@db.example.com:5432/zapys)"
                ),
            )),
            _ => Err(ConfigError::new(
                "DATABASE_URL",
                "expected a database URL like sqlite://zapys.db or postgres://user:password@host/db (the scheme is missing)",
            )),
        }
    }

    /// The database for messages to the operator: the SQLite file, or the PostgreSQL URL without
    /// its password.
    pub fn database_label(&self) -> String {
        match self.engine() {
            Ok(Engine::Postgres) => without_password(self.database_url.trim()),
            _ => self.database_path().display().to_string(),
        }
    }

    /// The database file, for messages to the operator.
    pub fn database_path(&self) -> PathBuf {
        let path = self.database_url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        PathBuf::from(path.split('?').next().unwrap_or(path))
    }

    /// Whether the database lives only in memory (and so needs no key file).
    pub fn database_in_memory(&self) -> bool {
        let url = self.database_url.as_str();
        url.contains(":memory:") || url.contains("mode=memory")
    }

    /// Where the data key file is: as configured, else beside the database.
    pub fn data_key_path(&self) -> PathBuf {
        self.data_key_file.clone().unwrap_or_else(|| {
            let mut name = self.database_path().into_os_string();
            name.push(".key");
            PathBuf::from(name)
        })
    }
}

/// The database engines Zapys runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// One file, one instance: the default.
    Sqlite,
    /// A server several instances share.
    Postgres,
}

/// A URL with any password (in its user information or a `password=` parameter) replaced by `***`,
/// so it can be shown or logged.
pub fn without_password(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return "(a database URL that does not parse)".to_owned() };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query_pairs().any(|(key, _)| key == "password") {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(key, value)| {
                let value = if key == "password" { "***".to_owned() } else { value.into_owned() };
                (key.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

/// The URL without the password in its user information, and that password (decoded), so a
/// program can be given it through its environment instead of its command line, which other
/// users of the machine can read.
pub fn password_apart(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = url::Url::parse(url) else { return (url.to_owned(), None) };
    let password = parsed.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    let _ = parsed.set_password(None);
    (parsed.to_string(), password)
}

#[cfg(test)]
mod engine_tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(without_password("postgres://zapys:s3cr:et@db:5432/zapys"), "postgres://zapys:***@db:5432/zapys");
        assert_eq!(without_password("postgres://zapys@db/zapys"), "postgres://zapys@db/zapys");
        assert_eq!(
            without_password("postgres://db/zapys?password=x&sslmode=require"),
            "postgres://db/zapys?password=***&sslmode=require"
        );
        assert_eq!(without_password("postgres://u:p@[::1]:5432/z"), "postgres://u:***@[::1]:5432/z");
        assert_eq!(
            password_apart("postgres://zapys:p%40ss@db/zapys"),
            ("postgres://zapys@db/zapys".to_owned(), Some("p@ss".to_owned()))
        );
    }
}
