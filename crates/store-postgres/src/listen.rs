//! Changes made by other instances on the same database.
//!
//! Each store announces its commits with `NOTIFY zapys_changes` (a task sends them in order, off the
//! request's path) and listens on the same channel: another instance's change drops this
//! instance's availability cache, reloads the settings when they changed, and reaches this
//! instance's subscribers (the panel's live views, the notifier) as if it had been made here.
//! Notifications missed while the listening connection was down cannot be known, so a reconnect
//! drops the cache and reloads the settings anyway.

use std::sync::{Arc, PoisonError, RwLock};

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::mpsc;
use zapys_domain::Settings;
use zapys_store::{ChangeFeed, Entity};

use crate::availability::{SharedCache, invalidate};

pub(crate) const CHANNEL: &str = "zapys_changes";

/// Every kind of record a change can name. The tests' `travels` stops compiling when a kind is added to
/// `Entity`, so this list cannot silently fall behind (a kind missing here would be dropped as unreadable).
const ENTITIES: [Entity; 12] = [
    Entity::Service,
    Entity::Slot,
    Entity::Client,
    Entity::Appointment,
    Entity::Admin,
    Entity::ApiToken,
    Entity::Settings,
    Entity::Notice,
    Entity::Webhook,
    Entity::Staff,
    Entity::HoursException,
    // --- waitlist ---
    Entity::Wait,
];

#[cfg(test)]
const fn travels(entity: Entity) -> bool {
    match entity {
        Entity::Service
        | Entity::Slot
        | Entity::Client
        | Entity::Appointment
        | Entity::Admin
        | Entity::ApiToken
        | Entity::Settings
        | Entity::Notice
        | Entity::Webhook
        | Entity::Staff
        | Entity::HoursException
        // --- waitlist ---
        | Entity::Wait => true,
    }
}

/// A change as it travels between instances: `origin|entity|id`.
fn payload(origin: &str, entity: Entity, id: i64) -> String {
    format!("{origin}|{}|{id}", entity.name())
}

fn parse(payload: &str) -> Option<(&str, Entity, i64)> {
    let mut parts = payload.splitn(3, '|');
    let origin = parts.next()?;
    let name = parts.next()?;
    let id = parts.next()?.parse().ok()?;
    let entity = ENTITIES.into_iter().find(|e| e.name() == name)?;
    Some((origin, entity, id))
}

/// Sends this instance's changes to the others, in commit order.
#[derive(Debug, Clone)]
pub(crate) struct Announcer {
    origin: Arc<str>,
    queue: mpsc::UnboundedSender<String>,
}

impl Announcer {
    pub(crate) fn announce(&self, entity: Entity, id: i64) {
        // The task is gone only when the runtime shuts down: nobody is left to tell.
        let _ = self.queue.send(payload(&self.origin, entity, id));
    }
}

/// Starts the task that sends announcements.
pub(crate) fn announcer(pool: PgPool, origin: Arc<str>) -> Announcer {
    let (queue, mut pending) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        while let Some(first) = pending.recv().await {
            // A burst (a generated week of slots) goes as one round trip.
            let mut batch = vec![first];
            while let Ok(next) = pending.try_recv() {
                batch.push(next);
            }
            let sent = sqlx::query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload")
                .bind(CHANNEL)
                .bind(&batch)
                .execute(&pool)
                .await;
            if let Err(error) = sent {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(%error, "could not announce changes to other instances");
            }
        }
    });
    Announcer { origin, queue }
}

/// What a change from elsewhere must refresh here.
pub(crate) struct Receiver {
    pub(crate) origin: Arc<str>,
    pub(crate) availability: SharedCache,
    pub(crate) changes: ChangeFeed,
    /// The settings this instance serves from memory; reloaded when another instance saves them.
    pub(crate) settings: Arc<RwLock<Settings>>,
}

impl Receiver {
    async fn reload_settings(&self, pool: &PgPool) {
        let row: Result<crate::rows::SettingsRow, _> =
            sqlx::query_as("SELECT * FROM settings WHERE id = 1").fetch_one(pool).await;
        match row.map_err(crate::db).and_then(crate::rows::SettingsRow::into_settings) {
            Ok(settings) => *self.settings.write().unwrap_or_else(PoisonError::into_inner) = settings,
            Err(error) => tracing::warn!(%error, "could not reload the settings another instance saved"),
        }
    }
}

/// Subscribes to other instances' changes; answers once listening, so nothing committed after
/// `open` returns is missed.
pub(crate) async fn listen(pool: &PgPool, receiver: Receiver) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    let pool = pool.clone();
    tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    let Some((origin, entity, id)) = parse(notification.payload()) else {
                        tracing::warn!(payload = notification.payload(), "an unreadable change notification");
                        continue;
                    };
                    if origin == &*receiver.origin {
                        continue; // ours: already handled at commit
                    }
                    if matches!(
                        entity,
                        Entity::Slot | Entity::Appointment | Entity::Client | Entity::Staff | Entity::Settings
                    ) {
                        invalidate(&receiver.availability);
                    }
                    if entity == Entity::Settings {
                        receiver.reload_settings(&pool).await;
                    }
                    receiver.changes.publish(entity, id);
                }
                Ok(None) => {
                    // The connection dropped and is being re-established: changes may have been missed.
                    tracing::warn!("lost the change notifications for a moment; refreshing what may be stale");
                    invalidate(&receiver.availability);
                    receiver.reload_settings(&pool).await;
                    receiver.changes.publish(Entity::Settings, 1);
                }
                Err(sqlx::Error::PoolClosed) => return,
                Err(error) => {
                    tracing::warn!(%error, "listening for other instances' changes failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_for_every_entity() {
        for entity in ENTITIES {
            assert_eq!(parse(&payload("a1b2", entity, 42)), Some(("a1b2", entity, 42)), "{entity:?}");
        }
        assert!(ENTITIES.iter().all(|e| travels(*e)));
        let distinct: std::collections::HashSet<&str> = ENTITIES.iter().map(|e| e.name()).collect();
        assert_eq!(distinct.len(), ENTITIES.len(), "names tell kinds apart");
        assert_eq!(parse("x|no such thing|1"), None);
        assert_eq!(parse("x|appointment|not a number"), None);
    }
}
