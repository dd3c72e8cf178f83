-- Which personal fields of the client a webhook receiver asked for (a JSON array;
-- empty: ids only). Webhooks made before this carry none from now on.
ALTER TABLE webhooks ADD COLUMN personal_fields TEXT NOT NULL DEFAULT '[]';

-- The outbox is delivered in lanes: each client chat, the business chat, and
-- each webhook receiver keep their own order, and one stuck lane never holds
-- back another. A deleted webhook's rows each get a lane of their own (they are
-- skipped at once).
ALTER TABLE outbox ADD COLUMN lane TEXT GENERATED ALWAYS AS (
    CASE
        WHEN kind = 'webhook' THEN 'webhook:' || COALESCE(webhook_id, 'gone-' || id)
        WHEN chat_id IS NULL THEN 'business'
        ELSE 'chat:' || chat_id
    END
) VIRTUAL;
DROP INDEX outbox_by_chat;
CREATE INDEX outbox_by_lane ON outbox (lane, id) WHERE sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL;
