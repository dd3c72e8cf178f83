//! A thin Bot API client: `POST {base}/bot{token}/{method}` with JSON.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::types::{Update, User};

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// 429: wait this long before the next call.
    #[error("rate limited by Telegram: retry after {0} s")]
    RetryAfter(u64),
    /// 403: the user blocked the bot; do not retry.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 400 "message is not modified": the wanted state is already there.
    #[error("message is not modified")]
    NotModified,
    /// 400 for an edit of a message that cannot be edited (gone, too old).
    #[error("message cannot be edited: {0}")]
    CannotEdit(String),
    #[error("Telegram refused the call ({code}): {description}")]
    Refused { code: u16, description: String },
    /// 5xx, a timeout, a broken connection: worth retrying.
    #[error("Telegram could not be reached: {0}")]
    Unavailable(String),
}

impl TelegramError {
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::RetryAfter(_) | Self::Unavailable(_))
    }

    /// Telegram knows no bot by this token (401 for a revoked or mistyped one, 404 for one that
    /// is not even shaped like a token).
    pub fn is_unknown_token(&self) -> bool {
        matches!(self, Self::Refused { code: 401 | 404, .. })
    }
}

/// The Bot API of one bot. Cheap to clone.
#[derive(Clone)]
pub struct BotApi {
    http: reqwest::Client,
    /// `{api_url}/bot{token}`; never logged.
    base: String,
}

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotApi").finish_non_exhaustive()
    }
}

impl BotApi {
    pub fn new(api_url: &str, token: &str) -> Result<Self, TelegramError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| TelegramError::Unavailable(e.to_string()))?;
        Ok(Self { http, base: format!("{}/bot{token}", api_url.trim_end_matches('/')) })
    }

    /// Calls a method and decodes its `result`.
    pub async fn call<T: DeserializeOwned>(&self, method: &str, params: &Value) -> Result<T, TelegramError> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .json(params)
            .send()
            .await
            // Never show the URL: it holds the token.
            .map_err(|e| TelegramError::Unavailable(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.map_err(|e| TelegramError::Unavailable(e.without_url().to_string()))?;
        if body["ok"].as_bool() == Some(true) {
            return serde_json::from_value(body["result"].clone())
                .map_err(|e| TelegramError::Refused { code: status, description: format!("unexpected result: {e}") });
        }
        let description = body["description"].as_str().unwrap_or("no description").to_owned();
        let code = body["error_code"].as_u64().and_then(|c| u16::try_from(c).ok()).unwrap_or(status);
        Err(match code {
            429 => TelegramError::RetryAfter(body["parameters"]["retry_after"].as_u64().unwrap_or(1)),
            403 => TelegramError::Forbidden(description),
            400 if description.contains("message is not modified") => TelegramError::NotModified,
            400 if description.contains("message to edit not found")
                || description.contains("message can't be edited") =>
            {
                TelegramError::CannotEdit(description)
            }
            500.. => TelegramError::Unavailable(format!("{code} {description}")),
            _ => TelegramError::Refused { code, description },
        })
    }

    /// Calls a method, waiting out `retry_after` and retrying brief outages a few times.
    pub async fn call_patiently<T: DeserializeOwned>(&self, method: &str, params: &Value) -> Result<T, TelegramError> {
        let mut attempt = 0;
        loop {
            match self.call(method, params).await {
                Err(error) if error.is_transient() && attempt < 4 => {
                    let wait = match error {
                        TelegramError::RetryAfter(seconds) => Duration::from_secs(seconds),
                        _ => Duration::from_millis(250 << attempt),
                    };
                    tracing::warn!(method, %error, ?wait, "retrying a Telegram call");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    pub async fn get_me(&self) -> Result<User, TelegramError> {
        self.call("getMe", &json!({})).await
    }

    /// Long polling: waits up to `timeout` seconds for updates from `offset` on.
    /// Answers the updates and the next offset (past every update seen, even
    /// those that did not parse and were skipped).
    pub async fn get_updates(&self, offset: i64, timeout: u64) -> Result<(Vec<Update>, i64), TelegramError> {
        let params = json!({"offset": offset, "timeout": timeout, "allowed_updates": ["message", "callback_query"]});
        let raw: Vec<Value> = self.call("getUpdates", &params).await?;
        let next = raw.iter().filter_map(|u| u["update_id"].as_i64()).max().map_or(offset, |last| last + 1);
        let updates = raw
            .into_iter()
            .filter_map(|value| {
                let id = value["update_id"].as_i64();
                serde_json::from_value::<Update>(value)
                    .map_err(|e| tracing::warn!(?id, error = %e, "skipped an update"))
                    .ok()
            })
            .collect();
        Ok((updates, next))
    }
}
