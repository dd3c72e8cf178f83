-- The bot token the owner pasted in Settings, sealed like the webhook secrets (TELEGRAM_BOT_TOKEN,
-- when set, wins over it).
ALTER TABLE settings ADD COLUMN telegram_token_sealed BYTEA;
