//! Connecting the bot from Settings: the owner pastes the token @BotFather gave, Telegram is asked
//! whether it knows it (`getMe`), and only then is it kept, sealed, and the bot started. The token
//! is never answered back. `TELEGRAM_BOT_TOKEN` on the server wins: while it is set, Settings can
//! neither replace nor forget it.

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::{AppState, Principal, TelegramStatus, TokenCheck, TokenSource};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(telegram, connect_telegram, disconnect_telegram))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BotToken {
    /// The token from @BotFather: the bot's number, a colon, then 30 or more letters, digits, `_` or `-`.
    #[schema(example = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0", max_length = 200)]
    pub token: String,
}

/// Whether `token` is shaped like a bot token, so a typo is named before Telegram is asked.
fn looks_like_a_bot_token(token: &str) -> bool {
    let Some((bot, secret)) = token.split_once(':') else { return false };
    (1..=20).contains(&bot.len())
        && bot.bytes().all(|b| b.is_ascii_digit())
        && (30..=100).contains(&secret.len())
        && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn settings_may_change(status: &TelegramStatus) -> ApiResult<()> {
    if status.source == TokenSource::Environment {
        return Err(ApiError::TelegramFromEnvironment);
    }
    Ok(())
}

/// How the bot is connected now.
#[utoipa::path(get, path = "/settings/telegram", tag = "settings",
    responses((status = 200, body = TelegramStatus)))]
pub async fn telegram(State(state): State<AppState>, _: Principal) -> axum::Json<TelegramStatus> {
    axum::Json(state.config().bot_link.status())
}

/// Connects the bot with a token from @BotFather: checked with Telegram first, then kept sealed;
/// the bot starts answering clients at once (a bot connected before is replaced).
#[utoipa::path(put, path = "/settings/telegram", tag = "settings", request_body = BotToken,
    responses((status = 200, body = TelegramStatus),
        (status = 409, description = "`telegram_from_environment`: `TELEGRAM_BOT_TOKEN` is set on the server", body = ErrorBody),
        (status = 422, description = "`invalid_value`: not shaped like a bot token; `telegram_token_refused`: Telegram does not know it", body = ErrorBody),
        (status = 502, description = "`telegram_unreachable`: Telegram could not be asked; nothing was saved", body = ErrorBody)))]
pub async fn connect_telegram(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<BotToken>,
) -> ApiResult<axum::Json<TelegramStatus>> {
    let link = &state.config().bot_link;
    settings_may_change(&link.status())?;
    let token = body.token.trim();
    if !looks_like_a_bot_token(token) {
        return Err(ApiError::Unprocessable(
            "token: not a bot token; it looks like 123456789:AAH… (copy the whole line @BotFather gave)".into(),
        ));
    }
    match link.check(token).await {
        Ok(_username) => {}
        Err(TokenCheck::Refused) => return Err(ApiError::TelegramTokenRefused),
        Err(TokenCheck::Unreachable(why)) => return Err(ApiError::TelegramUnreachable(why)),
    }
    let again = state.store().telegram_token().await?.as_deref() == Some(token);
    state.store().set_telegram_token(Some(token)).await?;
    Ok(axum::Json(link.follow_stored_token(again).await))
}

/// Disconnects the bot: the saved token is forgotten and the bot stops answering clients.
#[utoipa::path(delete, path = "/settings/telegram", tag = "settings",
    responses((status = 200, body = TelegramStatus),
        (status = 409, description = "`telegram_from_environment`: `TELEGRAM_BOT_TOKEN` is set on the server", body = ErrorBody)))]
pub async fn disconnect_telegram(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<TelegramStatus>> {
    let link = &state.config().bot_link;
    settings_may_change(&link.status())?;
    state.store().set_telegram_token(None).await?;
    Ok(axum::Json(link.follow_stored_token(false).await))
}

#[cfg(test)]
mod tests {
    use super::looks_like_a_bot_token;

    #[test]
    fn a_bot_token_is_a_number_a_colon_and_a_long_secret() {
        assert!(looks_like_a_bot_token("123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"));
        assert!(looks_like_a_bot_token("1:abcdefghijklmnopqrstuvwxyz-_0123"));
        for wrong in [
            "",
            ":",
            "123456789",
            "123456789:",
            "abc:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            "123456789:short",
            "123456789:AAHfiqksKZ8WmR2zSjiQ7 v4TMAKdiHm9T0",
            "123456789:AAHfiqksKZ8WmR2zSjiQ7/v4TMAKdiHm9T0/../getMe",
            "123456789012345678901:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
        ] {
            assert!(!looks_like_a_bot_token(wrong), "{wrong:?} is not a token");
        }
    }
}
