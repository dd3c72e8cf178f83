//! Login attempt counts and leases: the state several instances (or restarts) must share.

use jiff::Timestamp;
use zapys_store::{Admission, AttemptLimit};

use crate::{PostgresStore, Result, db};

/// The advisory lock that makes counting attempts one decision at a time across every instance,
/// as SQLite's single writer does: a check and its count cannot interleave with another's.
/// "zapys" and 2.
const ATTEMPTS_LOCK: i64 = 0x7a61_7079_7300_0002;

impl PostgresStore {
    pub(crate) async fn count_attempt_in_db(&self, limits: &[AttemptLimit<'_>], now: Timestamp) -> Result<Admission> {
        let now = now.as_second();
        let mut tx = self.write().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ATTEMPTS_LOCK).execute(&mut *tx).await.map_err(db)?;
        sqlx::query("DELETE FROM login_attempts WHERE window_ends <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for limit in limits {
            let row: Option<(i64, i64)> =
                sqlx::query_as("SELECT count, window_ends FROM login_attempts WHERE key = $1")
                    .bind(limit.key)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
            if let Some((count, ends)) = row
                && count >= i64::from(limit.limit)
            {
                let retry_after_seconds = u64::try_from(ends - now).unwrap_or(0).max(1);
                return Ok(Admission::Refused { retry_after_seconds });
            }
        }
        for limit in limits {
            sqlx::query(
                "INSERT INTO login_attempts (key, count, window_ends) VALUES ($1, 1, $2)
                 ON CONFLICT (key) DO UPDATE SET count = login_attempts.count + 1",
            )
            .bind(limit.key)
            .bind(now.saturating_add(limit.window.as_secs()))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Admission::Counted)
    }

    pub(crate) async fn forgive_attempt_in_db(&self, forget: &[&str], uncount: &[&str]) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ATTEMPTS_LOCK).execute(&mut *tx).await.map_err(db)?;
        for key in forget {
            sqlx::query("DELETE FROM login_attempts WHERE key = $1").bind(key).execute(&mut *tx).await.map_err(db)?;
        }
        for key in uncount {
            sqlx::query("UPDATE login_attempts SET count = GREATEST(count - 1, 0) WHERE key = $1")
                .bind(key)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    /// One statement: PostgreSQL makes a concurrent insert of the same name wait and then take
    /// the update path, so two instances never both hold a lease.
    pub(crate) async fn take_lease_in_db(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        let held: Option<String> = sqlx::query_scalar(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE leases.holder = excluded.holder OR leases.expires_at <= $4
             RETURNING holder",
        )
        .bind(name)
        .bind(holder)
        .bind(until.as_second())
        .bind(now.as_second())
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(held.is_some())
    }

    pub(crate) async fn release_lease_in_db(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}
