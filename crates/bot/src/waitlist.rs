//! The waitlist offer: what a waiting client is told when a time they waited for frees up.
//!
//! Written when the outbox delivers it, from the data as it is then: a time taken again meanwhile
//! is not offered (the day's other free times are, if there are any), and a wait that is over
//! (left, turned into a booking, its day past, its client erased) is told nothing.

use jiff::Timestamp;
use zapys_domain::{Service, Settings, StaffId};
use zapys_store::{OutboxItem, Store, StoreError};

use crate::callback::{Action, Pick};
use crate::notices::Rendered;
use crate::reply::{InlineButton, Message};
use crate::texts::{Texts, fill, texts};
use crate::view::{self, button};

/// At most this many times in an offer that lists the day's free times.
const OFFERED_TIMES: usize = 8;

/// The whom of a wait, as a button carries it.
pub(crate) fn pick(staff: Option<StaffId>) -> Pick {
    staff.map_or(Pick::Any, Pick::One)
}

/// The distinct start times of `service` in `[from, to)` a client may book at `now`.
pub(crate) async fn free_starts(
    store: &dyn Store,
    settings: &Settings,
    service: &Service,
    staff: Option<StaffId>,
    (from, to): (Timestamp, Timestamp),
    now: Timestamp,
) -> Result<Vec<Timestamp>, StoreError> {
    let policy = settings.policy();
    let (from, to) = (from.max(policy.earliest_start(now)), to.min(policy.horizon_end(now)));
    if from >= to {
        return Ok(Vec::new());
    }
    let mut starts: Vec<Timestamp> = store.bookable(service, staff, from, to).await?.iter().map(|b| b.start).collect();
    starts.dedup();
    Ok(starts)
}

/// A `waitlist_offer` outbox item as the message to send, or why not to send it.
pub async fn render_offer(store: &dyn Store, item: &OutboxItem, now: Timestamp) -> Result<Rendered, StoreError> {
    let (Some(id), Some(at)) = (item.detail.as_deref().and_then(|d| d.parse::<i64>().ok()), item.starts_at) else {
        return Ok(Rendered::Skip("not a waitlist offer"));
    };
    let wait = match store.wait(id).await {
        Ok(wait) => wait,
        Err(StoreError::NotFound { .. }) => return Ok(Rendered::Skip("the client left the waitlist")),
        Err(other) => return Err(other),
    };
    let settings = store.settings();
    let tz = &settings.timezone;
    if wait.booked.is_some() || wait.expired(tz, now) {
        return Ok(Rendered::Skip("the wait is over"));
    }
    let client = store.client(wait.client_id).await?;
    if client.contact.is_none() {
        return Ok(Rendered::Skip("the client was erased"));
    }
    // The offer goes to the chat it was written for, and only if that is still this wait's client.
    if client.telegram_id.map(|t| t.0) != item.chat_id {
        return Ok(Rendered::Skip("the wait belongs to another chat"));
    }
    let service = match store.service(wait.service_id).await {
        Ok(service) if !service.hidden => service,
        Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(Rendered::Skip("the service is not offered")),
        Err(other) => return Err(other),
    };
    let t = texts(client.language);
    let what = what(store, &service, wait.staff_id).await?;
    let day = tz.local(at).date();
    let Ok(next) = day.tomorrow() else { return Ok(Rendered::Skip("no such day")) };
    let window = (tz.start_of_day(day), tz.start_of_day(next));
    let free = free_starts(store, &settings, &service, wait.staff_id, window, now).await?;
    let pick = pick(wait.staff_id);
    let leave = vec![button(t.wait_offer_leave, Action::LeaveWait(wait.id)), button(t.to_menu, Action::Menu)];
    let date = view::date(t, day);
    if free.contains(&at) {
        let time = view::time(tz, at);
        let text = fill(t.wait_offer, &[("what", &what), ("date", &date), ("time", &time)]);
        return Ok(Rendered::Send(Message::inline(
            text,
            vec![
                vec![button(fill(t.wait_offer_book, &[("time", &time)]), Action::TakeOffer { wait: wait.id, at })],
                vec![button(t.wait_offer_other, Action::Day { service: service.id, pick, date: day })],
                leave,
            ],
        )));
    }
    if free.is_empty() {
        return Ok(Rendered::Skip("the freed time was taken again"));
    }
    let mut rows: Vec<Vec<InlineButton>> = free
        .iter()
        .take(OFFERED_TIMES)
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|chunk| {
            chunk.iter().map(|at| button(view::time(tz, **at), Action::TakeOffer { wait: wait.id, at: **at })).collect()
        })
        .collect();
    rows.push(leave);
    Ok(Rendered::Send(Message::inline(fill(t.wait_offer_times, &[("what", &what), ("date", &date)]), rows)))
}

/// The service, and the staff member when the wait names one in a business with several (as the
/// booking flow's headings do).
pub(crate) async fn what(store: &dyn Store, service: &Service, staff: Option<StaffId>) -> Result<String, StoreError> {
    let Some(id) = staff else { return Ok(view::what(service, None)) };
    let members = store.staff().await?;
    let several = members.iter().filter(|m| !m.hidden).count() > 1;
    let member = members.into_iter().find(|m| m.id == id).filter(|_| several);
    Ok(view::what(service, member.as_ref()))
}

/// "Вт 03.03.2026 (і сусідні дні)"
pub(crate) fn day_text(t: &Texts, day: jiff::civil::Date, around: bool) -> (String, &'static str) {
    (view::date(t, day), if around { t.wait_around_note } else { "" })
}
