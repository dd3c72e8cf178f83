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

    /// Mark the session cookie Secure (set when users reach Zapys over HTTPS through a proxy).
    #[arg(long, env = "ZAPYS_SECURE_COOKIES", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, default_value = "false", default_missing_value = "true", global = true)]
    pub secure_cookies: bool,

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

impl Config {
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
