//! `zapys copy-data --from sqlite://zapys.db --to postgres://...`: moves a business from SQLite
//! to PostgreSQL, every table row for row with its ids, in one transaction on the target.
//!
//! Sealed personal data is copied as it is, so the data key stays the same: the target is opened
//! with the source's key first (which records its fingerprint there), and the source's own key
//! record is copied over it. The target must hold no business data; an interrupted copy leaves
//! it as it was.

use std::collections::HashMap;

use anyhow::{Context as _, bail};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, Column as _, Connection as _, Row as _, TypeInfo as _, ValueRef as _};

use crate::Config;

/// Every table, parents before children. A table the source has and this list lacks stops the copy,
/// so a table added later cannot be left behind silently.
const TABLES: &[&str] = &[
    "meta",
    "settings",
    "services",
    "staff",
    "staff_services",
    "staff_hours",
    "staff_exceptions",
    "slots",
    "clients",
    "appointments",
    "appointment_events",
    "admins",
    "admin_sessions",
    "api_tokens",
    "bot_conversations",
    "webhooks",
    "outbox",
    "reminders_sent",
    "login_attempts",
    "leases",
    // --- support ---
    "support_messages",
    // --- waitlist ---
    "waits",
    // --- comeback ---
    "client_comeback",
    "comeback_sent",
    "ratings",
];

/// What was copied: rows per table, in [`TABLES`] order.
#[derive(Debug, Default)]
pub struct Copied {
    pub rows: Vec<(&'static str, u64)>,
}

impl Copied {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// Copies the SQLite database `from` into the PostgreSQL database `to`.
pub async fn copy(config: &Config, from: &str, to: &str) -> anyhow::Result<Copied> {
    let source_config = Config { database_url: from.to_owned(), ..config.clone() };
    let target_config = Config { database_url: to.to_owned(), ..config.clone() };
    if source_config.engine()? != crate::Engine::Sqlite {
        bail!("--from must be a sqlite:// URL");
    }
    if target_config.engine()? != crate::Engine::Postgres {
        bail!("--to must be a postgres:// URL");
    }
    // Opening the source checks the key and brings its schema up to date.
    let key = crate::data_key::resolve(&source_config).await?;
    let source = crate::open_store_with(&source_config, key.cipher.clone()).await?;
    source.close().await;
    // Opening the target creates its schema, sealed under the same key.
    let target = crate::open_store_with(&target_config, key.cipher).await?;
    // A new database holds its settings and the one staff member every business starts with; the
    // copy replaces those. Bookings, clients, services, slots or admins mean someone uses it.
    if !target.is_empty().await? || target.admin_count().await? > 0 {
        bail!(
            "the target database {} already holds data; copy into an empty database",
            crate::config::without_password(to)
        );
    }
    target.close().await;

    let options: SqliteConnectOptions = from.parse().with_context(|| format!("the SQLite URL {from}"))?;
    let mut sqlite = sqlx::SqliteConnection::connect_with(&options.read_only(true)).await?;
    let pool = PgPoolOptions::new().max_connections(1).connect(to).await.context("connecting to PostgreSQL")?;

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(&mut sqlite)
    .await?;
    if let Some(unknown) = tables.iter().find(|t| !TABLES.contains(&t.as_str())) {
        bail!("the source has a table this version cannot copy: {unknown}");
    }

    // One read transaction: a consistent snapshot even if the source is in use.
    let mut read = sqlite.begin().await?;
    let mut write = pool.begin().await?;
    // Table and column names below come from TABLES and the target's own catalogue: no outside text
    // reaches the SQL, which is why it may be put together here.
    sqlx::query(AssertSqlSafe(format!("TRUNCATE {} RESTART IDENTITY CASCADE", TABLES.join(", "))))
        .execute(&mut *write)
        .await?;
    let mut copied = Copied::default();
    for table in TABLES {
        // Leases name the instances running on the source; the target's instances take their own.
        if *table == "leases" || !tables.iter().any(|t| t == table) {
            copied.rows.push((table, 0));
            continue;
        }
        let types = target_column_types(&mut write, table).await?;
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT * FROM {table}"))).fetch_all(&mut *read).await?;
        for row in &rows {
            let columns: Vec<(usize, &str)> = row
                .columns()
                .iter()
                .map(|c| (c.ordinal(), c.name()))
                .filter(|(_, name)| types.get(*name).is_none_or(|t| t != "generated"))
                .collect();
            // Only columns the target has (checked below) are named, so a name is never outside text.
            let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let names: Vec<&str> = columns.iter().map(|(_, name)| *name).collect();
            let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
            let mut target_types = Vec::with_capacity(columns.len());
            for (_, column) in &columns {
                target_types.push(
                    types.get(*column).with_context(|| format!("the target has no column {table}.{column}"))?.as_str(),
                );
            }
            let mut insert = sqlx::query(AssertSqlSafe(sql));
            for ((i, column), target_type) in columns.iter().zip(target_types) {
                insert = bind(insert, row, *i, target_type).with_context(|| format!("{table}.{column}"))?;
            }
            insert.execute(&mut *write).await.with_context(|| format!("copying a row of {table}"))?;
        }
        if types.get("id").is_some_and(|t| t == "bigint") {
            // Identity columns continue after the copied ids.
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )))
            .execute(&mut *write)
            .await?;
        }
        copied.rows.push((table, rows.len() as u64));
    }
    write.commit().await.context("committing the copy")?;
    read.rollback().await?;
    Ok(copied)
}

async fn target_column_types(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    table: &str,
) -> anyhow::Result<HashMap<String, String>> {
    // Generated columns (the outbox's lane, say) are computed by the target itself.
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, CASE WHEN is_generated = 'ALWAYS' THEN 'generated' ELSE data_type::text END
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    if rows.is_empty() {
        bail!("the target has no table {table}");
    }
    Ok(rows.into_iter().collect())
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Binds column `i` of a SQLite row as the target column's type wants it.
fn bind<'q>(query: PgQuery<'q>, row: &sqlx::sqlite::SqliteRow, i: usize, target: &str) -> anyhow::Result<PgQuery<'q>> {
    let raw = row.try_get_raw(i)?;
    let (null, stored) = (raw.is_null(), raw.type_info().name().to_owned());
    Ok(match target {
        "boolean" => query.bind(if null { None } else { Some(row.try_get::<i64, _>(i)? != 0) }),
        "bigint" | "integer" | "smallint" => {
            let value: Option<i64> = row.try_get(i)?;
            match target {
                "bigint" => query.bind(value),
                "integer" => query.bind(value.map(i32::try_from).transpose()?),
                _ => query.bind(value.map(i16::try_from).transpose()?),
            }
        }
        "text" | "character varying" => query.bind(row.try_get::<Option<String>, _>(i)?),
        "bytea" => query.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
        other => bail!("a column of type {other} (stored as {stored}) cannot be copied yet"),
    })
}
