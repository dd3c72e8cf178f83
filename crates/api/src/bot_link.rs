//! The bot's connection to Telegram as the HTTP side sees it: what is connected, checking a token,
//! and asking the program to follow the token saved in Settings. The program (`zapys-app`) owns the
//! connection itself; this crate knows neither Telegram's API nor how polling runs.

use serde::Serialize;
use utoipa::ToSchema;

/// How the bot is connected, for the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TelegramStatus {
    /// A bot token is in use (from the server's environment or from Settings).
    pub configured: bool,
    /// `polling`, `webhook` or `none`.
    pub mode: String,
    /// The bot's username from Telegram's `getMe` (without `@`), once Telegram confirmed it.
    pub bot_username: Option<String>,
    pub source: TokenSource,
    /// Why the last attempt to connect failed; null when it did not.
    pub problem: Option<TelegramProblem>,
}

/// No bot.
impl Default for TelegramStatus {
    fn default() -> Self {
        Self { configured: false, mode: "none".into(), bot_username: None, source: TokenSource::None, problem: None }
    }
}

/// Where the bot token in use comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// `TELEGRAM_BOT_TOKEN` on the server: it wins, and Settings cannot change it.
    Environment,
    /// Pasted in Settings, kept sealed in the database.
    Settings,
    /// No token: only the simulator talks to the bot.
    #[default]
    None,
}

/// Why the bot is not working although a token is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TelegramProblem {
    /// Telegram does not know the token (revoked in @BotFather, or mistyped).
    TokenRefused,
    /// Telegram could not be reached; the bot keeps trying.
    Unreachable,
    /// Telegram did not accept `TELEGRAM_WEBHOOK_URL`.
    WebhookRefused,
}

/// Why a token could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    /// Telegram knows no bot by it.
    Refused,
    /// Telegram did not answer (the reason, for the person).
    Unreachable(String),
}

/// The program's side of the bot's connection.
#[async_trait::async_trait]
pub trait BotLink: Send + Sync + std::fmt::Debug {
    /// What is connected now.
    fn status(&self) -> TelegramStatus;

    /// Asks Telegram which bot `token` belongs to (`getMe`) and answers its username.
    async fn check(&self, token: &str) -> Result<String, TokenCheck>;

    /// Connects, replaces or disconnects the bot to match the token stored now, and answers the
    /// new status. `again`: the same token was pasted once more, so connect it again if its last
    /// connection failed. (Other instances follow by themselves, on the settings change.)
    async fn follow_stored_token(&self, again: bool) -> TelegramStatus;
}

/// No Telegram at all (tests of the HTTP side alone, the OpenAPI document).
#[derive(Debug, Default)]
pub struct NoBot;

#[async_trait::async_trait]
impl BotLink for NoBot {
    fn status(&self) -> TelegramStatus {
        TelegramStatus::default()
    }

    async fn check(&self, _token: &str) -> Result<String, TokenCheck> {
        Err(TokenCheck::Unreachable("this program runs without Telegram".into()))
    }

    async fn follow_stored_token(&self, _again: bool) -> TelegramStatus {
        self.status()
    }
}
