//! The support thread («Написати нам»): each message is written with the notice that relays it, in
//! one transaction, so a message is never stored without being queued or queued without being stored.

use jiff::Timestamp;
use zapys_domain::{ClientId, Notice};
use zapys_store::{Entity, StoreError, SupportDirection, SupportDraft, SupportMessage};
use zapys_store_sql::support::{COLUMNS, SupportRow, kind};

use crate::sealing::{OUTBOX_DETAIL, SUPPORT_FILE, SUPPORT_TEXT};
use crate::{Result, SqliteStore, db, next_id, seconds};

impl SqliteStore {
    pub(crate) async fn add_support_message_in_db(
        &self,
        draft: &SupportDraft,
        now: Timestamp,
    ) -> Result<SupportMessage> {
        let cipher = &self.cipher;
        let mut tx = self.write().await?;
        let client: Option<Option<i64>> =
            sqlx::query_scalar("SELECT telegram_id FROM clients WHERE id = ? AND erased_at IS NULL")
                .bind(draft.client_id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        let Some(telegram) = client else {
            return Err(StoreError::UnknownReference { entity: Entity::Client, id: draft.client_id.0 });
        };
        let (notice, chat) = match draft.direction {
            SupportDirection::FromClient => (Notice::SupportMessage, None),
            SupportDirection::ToClient => match telegram {
                Some(chat) => (Notice::SupportReply, Some(chat)),
                None => return Err(StoreError::Conflict("this client has no Telegram chat to answer in".into())),
            },
        };
        // Never an id an erased message had (AUTOINCREMENT): a notice still queued for it names only it.
        let id: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'support_messages'), 0) + 1",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query(
            "INSERT INTO support_messages (id, client_id, direction, kind, text_sealed, file_sealed, author, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(draft.client_id.0)
        .bind(draft.direction.name())
        .bind(kind(draft.media.as_ref()))
        .bind(cipher.seal(SUPPORT_TEXT, id, &draft.text))
        .bind(draft.media.as_ref().map(|m| cipher.seal(SUPPORT_FILE, id, m.file_id())))
        .bind(draft.author.as_deref())
        .bind(seconds(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let notice_id = next_id(&mut tx, "outbox").await?;
        sqlx::query(
            "INSERT INTO outbox (id, chat_id, kind, detail_sealed, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(notice_id)
        .bind(chat)
        .bind(notice.name())
        .bind(cipher.seal(OUTBOX_DETAIL, notice_id, &id.to_string()))
        .bind(seconds(now))
        .bind(seconds(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        self.committed(Entity::Client, draft.client_id.0);
        self.committed(Entity::Notice, notice_id);
        self.support_message_in_db(id).await?.ok_or(StoreError::Backend("a stored message vanished".into()))
    }

    pub(crate) async fn support_thread_in_db(&self, client: ClientId) -> Result<Vec<SupportMessage>> {
        let rows: Vec<SupportRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE client_id = ? ORDER BY id")))
                .bind(client.0)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.into_iter().map(|r| r.into_message(&self.cipher)).collect()
    }

    pub(crate) async fn support_message_in_db(&self, id: i64) -> Result<Option<SupportMessage>> {
        let row: Option<SupportRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = ?")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|r| r.into_message(&self.cipher)).transpose()
    }

    pub(crate) async fn mark_support_relayed_in_db(&self, id: i64, chat_id: i64, message_id: i64) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE support_messages SET relay_chat_id = ?, relay_message_id = ? WHERE id = ?")
            .bind(chat_id)
            .bind(message_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    pub(crate) async fn support_by_relay_in_db(&self, chat_id: i64, message_id: i64) -> Result<Option<SupportMessage>> {
        let row: Option<SupportRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COLUMNS} WHERE relay_chat_id = ? AND relay_message_id = ? AND direction = 'from_client'"
        )))
        .bind(chat_id)
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| r.into_message(&self.cipher)).transpose()
    }
}

/// Inside an erasure: the client's thread goes, and answers still queued for their chat with it.
pub(crate) async fn erase(conn: &mut sqlx::SqliteConnection, client: ClientId, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET skipped_at = ?, last_error = 'the client erased their data'
         WHERE kind = 'support_reply' AND sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL
           AND chat_id = (SELECT telegram_id FROM clients WHERE id = ?)",
    )
    .bind(seconds(now))
    .bind(client.0)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    sqlx::query("DELETE FROM support_messages WHERE client_id = ?")
        .bind(client.0)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}
