//! Booking, moving and changing the status of appointments.
//!
//! Each decision reads its facts and writes its result inside one
//! transaction that first locks the staff members (and then the clients) it
//! decides about, so nothing it read can change before its write (see
//! [`crate::locks`]); the exclusion constraint is the backstop.

use jiff::Timestamp;
use sqlx::{PgConnection, Postgres, QueryBuilder, Transaction};
use zapys_domain::notice::Change;
use zapys_domain::{
    Actor, AppointmentId, BookingFacts, BookingRefusal, Buffers, Busy, Candidate, ClientId, Duration, Schedule,
    ServiceId, Settings, SlotId, Source, StaffId, Status, Transition, pick_staff,
};
use zapys_store::{
    AppointmentEvent, AppointmentQuery, AppointmentView, BookAt, BookingRequest, DataCipher, Entity, Page, Reschedule,
    StatusFilter, StoreError, Target,
};

use zapys_store_sql::rules::{seal_notes, within_hours};

use crate::rows::{APPOINTMENT_SELECT, AppointmentRow};
use crate::sealing::{CANCEL_REASON, EVENT_DETAIL};
use crate::{PostgresStore, Result, clients, db, instant, locks, next_id, outbox, seconds, waitlist};

pub(crate) async fn list(store: &PostgresStore, query: &AppointmentQuery) -> Result<Page<AppointmentView>> {
    let client_ids = match query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            let ids: Vec<i64> = clients::matching(store, &text.to_lowercase()).await?.iter().map(|c| c.id.0).collect();
            if ids.is_empty() {
                return Ok(Page { items: Vec::new(), total: 0 });
            }
            Some(ids)
        }
        None => None,
    };
    let filter = |b: &mut QueryBuilder<Postgres>| {
        b.push(" WHERE 1 = 1");
        if let Some(from) = query.from {
            b.push(" AND a.starts_at >= ").push_bind(seconds(from));
        }
        if let Some(to) = query.to {
            b.push(" AND a.starts_at < ").push_bind(seconds(to));
        }
        match query.status {
            StatusFilter::Any => {}
            StatusFilter::Active => {
                b.push(" AND a.status IN ('pending', 'confirmed')");
            }
            StatusFilter::Only(status) => {
                b.push(" AND a.status = ").push_bind(status.name());
            }
        }
        if let Some(service) = query.service_id {
            b.push(" AND a.service_id = ").push_bind(service.0);
        }
        if let Some(staff) = query.staff_id {
            b.push(" AND a.staff_id = ").push_bind(staff.0);
        }
        if let Some(client) = query.client_id {
            b.push(" AND a.client_id = ").push_bind(client.0);
        }
        if let Some(telegram) = query.telegram_id {
            b.push(" AND c.telegram_id = ").push_bind(telegram.0);
        }
        if let Some(ids) = &client_ids {
            b.push(" AND a.client_id IN (");
            let mut list = b.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            b.push(")");
        }
    };
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM appointments a JOIN clients c ON c.id = a.client_id");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&store.pool).await.map_err(db)?;

    let mut select = QueryBuilder::new(APPOINTMENT_SELECT);
    filter(&mut select);
    select.push(if query.newest_first {
        " ORDER BY a.starts_at DESC, a.id DESC"
    } else {
        " ORDER BY a.starts_at, a.id"
    });
    select
        .push(" LIMIT ")
        .push_bind(query.paging.limit.map(i64::from))
        .push(" OFFSET ")
        .push_bind(i64::from(query.paging.offset));
    let rows: Vec<AppointmentRow> = select.build_query_as().fetch_all(&store.pool).await.map_err(db)?;
    let items = rows.into_iter().map(|r| r.into_view(&store.cipher)).collect::<Result<_>>()?;
    Ok(Page { items, total: total.unsigned_abs() })
}

pub(crate) async fn get(store: &PostgresStore, id: AppointmentId) -> Result<AppointmentView> {
    let row: Option<AppointmentRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{APPOINTMENT_SELECT} WHERE a.id = $1")))
            .bind(id.0)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Appointment, id.0))?.into_view(&store.cipher)
}

struct ServiceFacts {
    duration: Duration,
    hidden: bool,
    price_cents: Option<i64>,
    buffers: Buffers,
}

async fn service_facts(conn: &mut PgConnection, id: ServiceId) -> Result<ServiceFacts> {
    let row: Option<(i64, bool, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT duration_minutes, hidden, price_cents, buffer_before_minutes, buffer_after_minutes
         FROM services WHERE id = $1 AND deleted_at IS NULL FOR SHARE",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let (minutes, hidden, price_cents, before, after) =
        row.ok_or(StoreError::UnknownReference { entity: Entity::Service, id: id.0 })?;
    let duration = Duration::from_minutes(minutes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let buffers = Buffers::from_minutes(before, after).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(ServiceFacts { duration, hidden, price_cents, buffers })
}

/// Checks the client exists and locks them: their limit of active bookings is decided one booking at a time.
async fn ensure_client(conn: &mut PgConnection, id: ClientId) -> Result<()> {
    locks::clients(&mut *conn, &[id]).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM clients WHERE id = $1 AND erased_at IS NULL)")
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    if exists { Ok(()) } else { Err(StoreError::UnknownReference { entity: Entity::Client, id: id.0 }) }
}

/// What a staff member brings to a booking of one service.
struct Performer {
    staff_id: StaffId,
    hidden: bool,
    duration: Duration,
    price_cents: Option<i64>,
}

/// hidden, the staff id when they perform the service, their own minutes and price.
type PerformerRow = (bool, Option<i64>, Option<i64>, Option<i64>);

/// The staff member, if they exist and perform the service, with their own duration and price.
async fn performer(
    conn: &mut PgConnection,
    staff: StaffId,
    service: ServiceId,
    facts: &ServiceFacts,
) -> Result<Performer> {
    let row: Option<PerformerRow> = sqlx::query_as(
        "SELECT m.hidden, ss.staff_id, ss.duration_minutes, ss.price_cents FROM staff m
         LEFT JOIN staff_services ss ON ss.staff_id = m.id AND ss.service_id = $1
         WHERE m.id = $2 AND m.deleted_at IS NULL",
    )
    .bind(service.0)
    .bind(staff.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let (hidden, performs, minutes, price) =
        row.ok_or(StoreError::UnknownReference { entity: Entity::Staff, id: staff.0 })?;
    if performs.is_none() {
        return Err(BookingRefusal::NotPerformed.into());
    }
    let duration = match minutes {
        Some(m) => Duration::from_minutes(m).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        None => facts.duration,
    };
    Ok(Performer { staff_id: staff, hidden, duration, price_cents: price.or(facts.price_cents) })
}

/// The ids of everyone visible who performs the service, lowest first.
async fn performer_ids(conn: &mut PgConnection, service: ServiceId) -> Result<Vec<StaffId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT m.id FROM staff m JOIN staff_services ss ON ss.staff_id = m.id AND ss.service_id = $1
         WHERE m.deleted_at IS NULL AND NOT m.hidden ORDER BY m.id",
    )
    .bind(service.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    Ok(ids.into_iter().map(StaffId).collect())
}

/// Everyone visible who performs the service: the candidates for an "any staff member" booking.
async fn performers(conn: &mut PgConnection, service: ServiceId, facts: &ServiceFacts) -> Result<Vec<Performer>> {
    let ids = performer_ids(&mut *conn, service).await?;
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        all.push(performer(conn, id, service, facts).await?);
    }
    Ok(all)
}

/// A slot's start, staff member and the end of the stretch it was generated in.
async fn slot_facts(conn: &mut PgConnection, id: SlotId) -> Result<(Timestamp, StaffId, Option<Timestamp>)> {
    let row: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT starts_at, staff_id, ends_by FROM slots WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    let (start, staff, ends_by) = row.ok_or(StoreError::UnknownReference { entity: Entity::Slot, id: id.0 })?;
    Ok((instant(start)?, StaffId(staff), ends_by.map(instant).transpose()?))
}

/// A staff member's slot at `at`, if they have one.
async fn slot_of(
    conn: &mut PgConnection,
    staff: StaffId,
    at: Timestamp,
) -> Result<Option<(SlotId, Option<Timestamp>)>> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, ends_by FROM slots WHERE staff_id = $1 AND starts_at = $2")
            .bind(staff.0)
            .bind(seconds(at))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    row.map(|(id, ends_by)| Ok((SlotId(id), ends_by.map(instant).transpose()?))).transpose()
}

/// The staff member's slot starting at `at`, made if there is none.
async fn slot_at(conn: &mut PgConnection, staff: StaffId, at: Timestamp) -> Result<SlotId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO slots (staff_id, starts_at, created_at) VALUES ($1, $2, unixepoch())
         ON CONFLICT (staff_id, starts_at) DO UPDATE SET starts_at = excluded.starts_at RETURNING id",
    )
    .bind(staff.0)
    .bind(seconds(at))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok(SlotId(id))
}

/// Does `blocked` overlap time held by another booking of the same staff member (other than `except`)?
async fn overlaps(
    conn: &mut PgConnection,
    staff: StaffId,
    blocked: Busy,
    except: Option<AppointmentId>,
) -> Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM appointments
            WHERE staff_id = $1 AND status <> 'cancelled' AND id IS DISTINCT FROM $2
              AND blocked_from > $3 AND blocked_from < $4 AND blocked_until > $5)",
    )
    .bind(staff.0)
    .bind(except.map(|a| a.0))
    .bind(seconds(blocked.start) - 115_200)
    .bind(seconds(blocked.end))
    .bind(seconds(blocked.start))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)
}

async fn schedule_of(store: &PostgresStore, conn: &mut PgConnection, staff: StaffId) -> Result<Option<Schedule>> {
    Ok(crate::staff::schedules(conn, &store.cipher).await?.into_iter().find(|(s, _)| *s == staff).map(|(_, s)| s))
}

async fn active_future(
    conn: &mut PgConnection,
    client: ClientId,
    now: Timestamp,
    except: Option<AppointmentId>,
) -> Result<u32> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments
         WHERE client_id = $1 AND status IN ('pending', 'confirmed') AND starts_at > $2 AND id IS DISTINCT FROM $3",
    )
    .bind(client.0)
    .bind(seconds(now))
    .bind(except.map(|a| a.0))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

async fn record(
    conn: &mut PgConnection,
    cipher: &DataCipher,
    id: AppointmentId,
    kind: &str,
    actor: Actor,
    at: Timestamp,
    detail: Option<&str>,
) -> Result<()> {
    let event = next_id(&mut *conn, "appointment_events").await?;
    sqlx::query(
        "INSERT INTO appointment_events (id, appointment_id, kind, actor, at, detail_sealed) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event)
    .bind(id.0)
    .bind(kind)
    .bind(actor.name())
    .bind(seconds(at))
    .bind(detail.map(|d| cipher.seal(EVENT_DETAIL, event, d)))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Where a booking will go once decided.
struct Decided {
    performer: Performer,
    starts_at: Timestamp,
    /// `None`: the business books a time nobody offered; a slot is made there.
    slot: Option<SlotId>,
}

/// Who takes a booking at `at` when the request names nobody: the candidates the rules allow, the
/// least busy that day first (see [`pick_staff`]). When nobody may, the refusal that explains why.
#[allow(clippy::too_many_arguments)] // the booking's facts, passed through from `book`
async fn assign(
    store: &PostgresStore,
    conn: &mut PgConnection,
    settings: &Settings,
    service: &ServiceFacts,
    candidates: Vec<Performer>,
    at: Timestamp,
    source: Source,
    facts_for: impl Fn(&Performer, bool, bool) -> BookingFacts,
    now: Timestamp,
) -> Result<Decided> {
    if candidates.is_empty() {
        return Err(BookingRefusal::NotPerformed.into());
    }
    let tz = &settings.timezone;
    let day_start = tz.start_of_day(tz.today(at));
    let day_end = tz.start_of_day(tz.today(at).tomorrow().unwrap_or(tz.today(at)));
    let mut allowed = Vec::new();
    let mut refusal = BookingRefusal::Taken;
    // One candidate (the staff member asked for): their own reason is the answer.
    let alone = candidates.len() == 1;
    // Every candidate's hours, read once for the whole decision.
    let schedules = crate::staff::schedules(conn, &store.cipher).await?;
    for candidate in candidates {
        let slot = slot_of(conn, candidate.staff_id, at).await?;
        // "Any staff member" means anyone who offers this time; the business may book a named
        // staff member at any free time.
        let offered = slot.is_some() || (alone && source == Source::Admin);
        let blocked = service.buffers.need(candidate.duration).blocked(at);
        let schedule = schedules.iter().find(|(id, _)| *id == candidate.staff_id).map(|(_, s)| s);
        let fits = within_hours(schedule, settings, blocked, slot.and_then(|s| s.1));
        let overlap = overlaps(conn, candidate.staff_id, blocked, None).await?;
        let facts = facts_for(&candidate, overlap || !offered, fits);
        match settings.policy().check(&facts, now) {
            Ok(()) => allowed.push((candidate, slot.map(|s| s.0))),
            // Refusals about the request itself (too soon, the client's limit) are the same for
            // everyone; those about the staff member only say this one is not free.
            Err(other) if alone => refusal = other,
            Err(BookingRefusal::Taken | BookingRefusal::OutsideHours | BookingRefusal::StaffHidden) => {}
            Err(other) => refusal = other,
        }
    }
    let mut ranked = Vec::with_capacity(allowed.len());
    for (candidate, _) in &allowed {
        let (that_day, last): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE status <> 'cancelled' AND starts_at >= $1 AND starts_at < $2), MAX(created_at)
             FROM appointments WHERE staff_id = $3",
        )
        .bind(seconds(day_start))
        .bind(seconds(day_end))
        .bind(candidate.staff_id.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        ranked.push(Candidate {
            staff_id: candidate.staff_id,
            bookings_that_day: u32::try_from(that_day).unwrap_or(u32::MAX),
            last_booked_at: last.map(instant).transpose()?,
        });
    }
    let chosen = pick_staff(&ranked).ok_or(refusal)?;
    let index = allowed.iter().position(|(c, _)| c.staff_id == chosen).ok_or(refusal)?;
    let (performer, slot) = allowed.swap_remove(index);
    Ok(Decided { performer, starts_at: at, slot })
}

pub(crate) async fn book(store: &PostgresStore, request: &BookingRequest, now: Timestamp) -> Result<AppointmentView> {
    let settings = store.current_settings();
    let mut tx = store.write().await?;
    // Whoever this booking may go to: their time is decided on by one transaction at a time.
    let deciding = match (request.at, request.staff_id) {
        (BookAt::Slot(slot), _) => locks::slot_owner(&mut tx, slot).await?.into_iter().collect(),
        (BookAt::Start(_), Some(staff)) => vec![staff],
        (BookAt::Start(_), None) => performer_ids(&mut tx, request.service_id).await?,
    };
    locks::staff(&mut tx, &deciding).await?;
    let service = service_facts(&mut tx, request.service_id).await?;
    ensure_client(&mut tx, request.client_id).await?;
    let client_active_future = active_future(&mut tx, request.client_id, now, None).await?;
    let facts_for = |p: &Performer, overlaps: bool, within_hours: bool| BookingFacts {
        starts_at: Timestamp::MIN,
        source: request.source,
        service_hidden: service.hidden,
        staff_hidden: p.hidden,
        within_hours,
        client_active_future,
        overlaps,
    };

    let decided = match request.at {
        BookAt::Slot(slot) => {
            let (starts_at, staff, ends_by) = slot_facts(&mut tx, slot).await?;
            if request.staff_id.is_some_and(|asked| asked != staff) {
                return Err(StoreError::Conflict(format!(
                    "available date {slot} belongs to another staff member; leave staff_id out or pick their time"
                )));
            }
            let performer = performer(&mut tx, staff, request.service_id, &service).await?;
            let blocked = service.buffers.need(performer.duration).blocked(starts_at);
            let schedule = schedule_of(store, &mut tx, staff).await?;
            let facts = BookingFacts {
                starts_at,
                ..facts_for(
                    &performer,
                    overlaps(&mut tx, staff, blocked, None).await?,
                    within_hours(schedule.as_ref(), &settings, blocked, ends_by),
                )
            };
            settings.policy().check(&facts, now)?;
            Decided { performer, starts_at, slot: Some(slot) }
        }
        BookAt::Start(at) => {
            let candidates = match request.staff_id {
                Some(staff) => vec![performer(&mut tx, staff, request.service_id, &service).await?],
                None => performers(&mut tx, request.service_id, &service).await?,
            };
            let with_start = |p: &Performer, overlap: bool, fits: bool| BookingFacts {
                starts_at: at,
                ..facts_for(p, overlap, fits)
            };
            assign(store, &mut tx, &settings, &service, candidates, at, request.source, with_start, now).await?
        }
    };

    let Decided { performer, starts_at, slot } = decided;
    let slot = match slot {
        Some(slot) => slot,
        None => slot_at(&mut tx, performer.staff_id, starts_at).await?,
    };
    let ends_at = starts_at + performer.duration.span();
    let blocked = service.buffers.need(performer.duration).blocked(starts_at);
    let status = if settings.auto_confirm { Status::Confirmed } else { Status::Pending };
    let id = next_id(&mut tx, "appointments").await?;
    sqlx::query(
        "INSERT INTO appointments (id, client_id, service_id, staff_id, slot_id, starts_at, ends_at, blocked_from,
             blocked_until, status, notes_sealed, source, price_cents, created_at, updated_at, scheduled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(id)
    .bind(request.client_id.0)
    .bind(request.service_id.0)
    .bind(performer.staff_id.0)
    .bind(slot.0)
    .bind(seconds(starts_at))
    .bind(seconds(ends_at))
    .bind(seconds(blocked.start))
    .bind(seconds(blocked.end))
    .bind(status.name())
    .bind(seal_notes(&store.cipher, id, &request.notes))
    .bind(request.source.name())
    .bind(performer.price_cents)
    .bind(seconds(now))
    .bind(seconds(now))
    .bind(seconds(now))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let id = AppointmentId(id);
    let cipher = &store.cipher;
    record(&mut tx, cipher, id, "booked", request.source.actor(), now, None).await?;
    let booked = Change::Booked { source: request.source };
    outbox::enqueue(&mut tx, cipher, id, booked, None, None, settings.thank_you, now).await?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Appointment, id.0);
    get(store, id).await
}

pub(crate) async fn reschedule(
    store: &PostgresStore,
    id: AppointmentId,
    change: &Reschedule,
    now: Timestamp,
) -> Result<AppointmentView> {
    let settings = store.current_settings();
    let mut tx = store.write().await?;
    let (client_id, _, staff_id, _, _, _) = current(&mut tx, id, false).await?;
    let actor = change.source.actor();

    if change.target.is_none() && change.service_id.is_none() && change.client_id.is_none() && change.staff_id.is_none()
    {
        if let Some(notes) = &change.notes {
            sqlx::query("UPDATE appointments SET notes_sealed = $1, updated_at = $2 WHERE id = $3")
                .bind(seal_notes(&store.cipher, id.0, notes))
                .bind(seconds(now))
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            record(&mut tx, &store.cipher, id, "edited", actor, now, None).await?;
        }
        // --- a visit's own price --- In the same transaction as the rest of the change.
        if let Some(price) = change.price {
            set_price_in(&mut tx, &store.cipher, id, Some(price), Actor::Admin, now).await?;
        }
        tx.commit().await.map_err(db)?;
        store.committed(Entity::Appointment, id.0);
        return get(store, id).await;
    }

    // Lock whom the move decides about (the staff member who has it, the one who gets it, the clients),
    // then read the booking again under the locks.
    let to_staff = match change.target {
        Some(Target::Slot(slot)) => locks::slot_owner(&mut tx, slot).await?,
        _ => change.staff_id,
    };
    locks::staff(&mut tx, &[Some(StaffId(staff_id)), to_staff].into_iter().flatten().collect::<Vec<_>>()).await?;
    locks::clients(&mut tx, &[Some(ClientId(client_id)), change.client_id].into_iter().flatten().collect::<Vec<_>>())
        .await?;
    let locked = current(&mut tx, id, true).await?;
    if (locked.0, locked.2) != (client_id, staff_id) {
        // Moved to another staff member or client since the first read: decide again with their locks.
        return Err(StoreError::Backend(format!("{}appointment {id} changed meanwhile", crate::TRANSIENT)));
    }
    let (client_id, service_id, staff_id, slot_id, starts_at, status) = locked;
    if !Status::from_name(&status).is_some_and(Status::is_active) {
        return Err(StoreError::Conflict(format!("a {status} appointment cannot be changed; book a new one")));
    }
    settings.policy().check_change(instant(starts_at)?, actor, now)?;
    let service_id = change.service_id.unwrap_or(ServiceId(service_id));
    let client_id = change.client_id.unwrap_or(ClientId(client_id));
    let service = service_facts(&mut tx, service_id).await?;
    ensure_client(&mut tx, client_id).await?;
    let old_staff = StaffId(staff_id);
    // Where it goes: a slot (and so its staff member), a time, or the same time with someone else.
    let (staff, slot_id, new_start, ends_by) = match change.target {
        Some(Target::Slot(slot)) => {
            let (at, owner, ends_by) = slot_facts(&mut tx, slot).await?;
            if change.staff_id.is_some_and(|asked| asked != owner) {
                return Err(StoreError::Conflict(format!(
                    "available date {slot} belongs to another staff member; leave staff_id out or pick their time"
                )));
            }
            (owner, Some(slot), at, ends_by)
        }
        Some(Target::At(at)) => {
            let staff = change.staff_id.unwrap_or(old_staff);
            (staff, None, at, None)
        }
        None => {
            let staff = change.staff_id.unwrap_or(old_staff);
            let at = instant(starts_at)?;
            if staff == old_staff {
                (staff, slot_id.map(SlotId), at, None)
            } else {
                match slot_of(&mut tx, staff, at).await? {
                    Some((slot, ends_by)) => (staff, Some(slot), at, ends_by),
                    None => (staff, None, at, None),
                }
            }
        }
    };
    let performer = performer(&mut tx, staff, service_id, &service).await?;
    // A client may only move to a time the staff member offers; the business may use any time.
    let offered = slot_id.is_some() || change.source == Source::Admin;
    let slot_id = match slot_id {
        Some(slot) => slot,
        None if offered => slot_at(&mut tx, staff, new_start).await?,
        None => return Err(BookingRefusal::Taken.into()),
    };
    let new_end = new_start + performer.duration.span();
    let blocked = service.buffers.need(performer.duration).blocked(new_start);
    let schedule = schedule_of(store, &mut tx, staff).await?;
    let facts = BookingFacts {
        starts_at: new_start,
        source: change.source,
        service_hidden: service.hidden,
        staff_hidden: performer.hidden,
        within_hours: within_hours(schedule.as_ref(), &settings, blocked, ends_by),
        client_active_future: active_future(&mut tx, client_id, now, Some(id)).await?,
        overlaps: overlaps(&mut tx, staff, blocked, Some(id)).await?,
    };
    settings.policy().check(&facts, now)?;

    sqlx::query(
        "UPDATE appointments SET client_id = $1, service_id = $2, staff_id = $3, slot_id = $4, starts_at = $5, ends_at = $6,
             blocked_from = $7, blocked_until = $8,
             notes_sealed = CASE WHEN $9 THEN $10 ELSE notes_sealed END,
             price_cents = CASE WHEN service_id = $11 AND staff_id = $12 THEN price_cents ELSE $13 END,
             scheduled_at = CASE WHEN starts_at = $14 THEN scheduled_at ELSE $15 END, updated_at = $16
         WHERE id = $17",
    )
    .bind(client_id.0)
    .bind(service_id.0)
    .bind(staff.0)
    .bind(slot_id.0)
    .bind(seconds(new_start))
    .bind(seconds(new_end))
    .bind(seconds(blocked.start))
    .bind(seconds(blocked.end))
    .bind(change.notes.is_some())
    .bind(change.notes.as_deref().and_then(|notes| seal_notes(&store.cipher, id.0, notes)))
    .bind(service_id.0)
    .bind(staff.0)
    .bind(performer.price_cents)
    .bind(seconds(new_start))
    .bind(seconds(now))
    .bind(seconds(now))
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let detail = format!("from {} to {new_start}", instant(starts_at)?);
    record(&mut tx, &store.cipher, id, "moved", actor, now, Some(&detail)).await?;
    if staff != old_staff {
        let detail = format!("from staff member {old_staff} to {staff}");
        record(&mut tx, &store.cipher, id, "reassigned", actor, now, Some(&detail)).await?;
    }
    if seconds(new_start) != starts_at || staff != old_staff {
        let former = instant(starts_at)?.to_string();
        let moved = Change::Moved { by: actor };
        let reassigned =
            (staff != old_staff).then_some(outbox::Reassigned { from: old_staff, former_start: starts_at });
        outbox::enqueue(&mut tx, &store.cipher, id, moved, Some(&former), reassigned, settings.thank_you, now).await?;
        waitlist::offer_freed(&mut tx, &store.cipher, id, starts_at, Some(old_staff), now).await?; // --- waitlist ---
    }
    // A visit's own price wins over the new service's or staff member's, in the same transaction.
    if let Some(price) = change.price {
        set_price_in(&mut tx, &store.cipher, id, Some(price), Actor::Admin, now).await?;
    }
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Appointment, id.0);
    get(store, id).await
}

/// client_id, service_id, staff_id, slot_id, starts_at, status
type CurrentRow = (i64, i64, i64, Option<i64>, i64, String);

/// What a booking is now; with `lock`, its row is locked until the transaction ends.
async fn current(conn: &mut PgConnection, id: AppointmentId, lock: bool) -> Result<CurrentRow> {
    let row: Option<CurrentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT client_id, service_id, staff_id, slot_id, starts_at, status FROM appointments WHERE id = $1{}",
        if lock { " FOR NO KEY UPDATE" } else { "" }
    )))
    .bind(id.0)
    .fetch_optional(conn)
    .await
    .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Appointment, id.0))
}

/// Applies a transition inside an open write transaction; answers whether anything changed.
pub(crate) async fn transition_in(
    tx: &mut Transaction<'static, Postgres>,
    cipher: &DataCipher,
    id: AppointmentId,
    transition: &Transition,
    by: Actor,
    thank_you: bool,
    now: Timestamp,
) -> Result<bool> {
    // Locked: two confirmations of one booking (a double tap) change it once.
    let row = locks::appointment(tx, id).await?;
    let (status, starts_at) = row.ok_or(StoreError::not_found(Entity::Appointment, id.0))?;
    let from = Status::from_name(&status).ok_or_else(|| StoreError::Corrupt(format!("appointment status {status}")))?;
    let Some(to) = transition.apply(from, instant(starts_at)?, now)? else {
        return Ok(false);
    };
    let reason = match transition {
        Transition::Cancel { reason } => reason.as_deref(),
        _ => None,
    };
    let cancelled = to == Status::Cancelled;
    sqlx::query(
        "UPDATE appointments SET status = $1, updated_at = $2,
             cancelled_by = CASE WHEN $3 THEN $4 END, cancelled_at = CASE WHEN $5 THEN $6 END,
             cancel_reason_sealed = CASE WHEN $7 THEN $8 END
         WHERE id = $9",
    )
    .bind(to.name())
    .bind(seconds(now))
    .bind(cancelled)
    .bind(by.name())
    .bind(cancelled)
    .bind(seconds(now))
    .bind(cancelled)
    .bind(reason.map(|r| cipher.seal(CANCEL_REASON, id.0, r)))
    .bind(id.0)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    record(tx, cipher, id, to.name(), by, now, reason).await?;
    outbox::enqueue(tx, cipher, id, Change::StatusChanged { to, by }, reason, None, thank_you, now).await?;
    if cancelled {
        waitlist::offer_freed(tx, cipher, id, starts_at, None, now).await?; // --- waitlist ---
    }
    Ok(true)
}

pub(crate) async fn transition(
    store: &PostgresStore,
    id: AppointmentId,
    transition: &Transition,
    by: Actor,
    now: Timestamp,
) -> Result<(AppointmentView, bool)> {
    let settings = store.current_settings();
    let mut tx = store.write().await?;
    if by == Actor::Client && matches!(transition, Transition::Cancel { .. }) {
        let row = locks::appointment(&mut tx, id).await?;
        let (status, starts_at) = row.ok_or(StoreError::not_found(Entity::Appointment, id.0))?;
        if Status::from_name(&status).is_some_and(Status::is_active) {
            settings.policy().check_change(instant(starts_at)?, by, now)?;
        }
    }
    let changed = transition_in(&mut tx, &store.cipher, id, transition, by, settings.thank_you, now).await?;
    tx.commit().await.map_err(db)?;
    if changed {
        store.committed(Entity::Appointment, id.0);
    }
    Ok((get(store, id).await?, changed))
}

/// id, at, kind, actor, sealed detail.
type EventRow = (i64, i64, String, String, Option<Vec<u8>>);

pub(crate) async fn events(store: &PostgresStore, id: AppointmentId) -> Result<Vec<AppointmentEvent>> {
    get(store, id).await?;
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT id, at, kind, actor, detail_sealed FROM appointment_events WHERE appointment_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|(event, at, kind, actor, detail)| {
            let detail = detail.map(|d| store.cipher.open(EVENT_DETAIL, event, &d)).transpose()?;
            Ok(AppointmentEvent {
                at: instant(at)?,
                kind,
                actor: Actor::from_name(&actor).ok_or_else(|| StoreError::Corrupt(format!("event actor {actor}")))?,
                detail,
            })
        })
        .collect()
}

/// One visit's own price, with the change in its history.
pub(crate) async fn set_visit_price(
    store: &PostgresStore,
    id: AppointmentId,
    price: Option<zapys_domain::Price>,
    by: Actor,
    now: Timestamp,
) -> Result<AppointmentView> {
    let mut tx = store.write().await?;
    let changed = set_price_in(&mut tx, &store.cipher, id, price, by, now).await?;
    tx.commit().await.map_err(db)?;
    if changed {
        store.committed(Entity::Appointment, id.0);
    }
    get(store, id).await
}

/// Sets a visit's own price inside an open write transaction, with its line in the history;
/// answers whether it changed.
async fn set_price_in(
    tx: &mut Transaction<'static, Postgres>,
    cipher: &DataCipher,
    id: AppointmentId,
    price: Option<zapys_domain::Price>,
    by: Actor,
    now: Timestamp,
) -> Result<bool> {
    let before: Option<Option<i64>> =
        sqlx::query_scalar("SELECT price_cents FROM appointments WHERE id = $1 FOR NO KEY UPDATE")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db)?;
    let before = before.ok_or(StoreError::not_found(Entity::Appointment, id.0))?;
    let after = price.map(|p| p.cents());
    if before == after {
        return Ok(false);
    }
    sqlx::query("UPDATE appointments SET price_cents = $1, updated_at = $2 WHERE id = $3")
        .bind(after)
        .bind(seconds(now))
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    let detail = zapys_store_sql::rules::price_change(before, after);
    record(tx, cipher, id, "price_changed", by, now, Some(&detail)).await?;
    Ok(true)
}
