//! "Come back": the nudge to book again some days after a visit, the rating asked a few hours
//! after it, and the client's answers to both (stars, "don't remind me", the toggle in «Профіль»).
//!
//! The store decides when they fall due (once per visit, in daytime hours); here they are written
//! at delivery from the data as it is then, so a client who booked, opted out, blocked the bot or
//! erased their data in the meantime gets nothing.

use jiff::{SignedDuration, Timestamp};
use zapys_domain::{AppointmentId, Client, Settings, Stars, Status};
use zapys_store::{AppointmentQuery, AppointmentView, Store, StoreError};

use crate::callback::{Action, Pick};
use crate::conversation::{Bot, Turn};
use crate::notices::Rendered;
use crate::reply::{Message, Reply};
use crate::texts::{Texts, fill};
use crate::view::{self, button};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How many of the nearest free times a nudge offers as buttons.
const NEAREST: usize = 6;
/// How far ahead a nudge looks for them: a nudge is about "soon", and the calendar is a tap away.
const LOOK_AHEAD: SignedDuration = SignedDuration::from_hours(31 * 24);

/// Why a client is not to be written to first, if they are not: erased, opted out (for nudges),
/// blocked the bot.
async fn unreachable(store: &dyn Store, client: &Client, nudge: bool) -> Result<Option<&'static str>> {
    if client.contact.is_none() || client.telegram_id.is_none() {
        return Ok(Some("the client erased their data"));
    }
    let prefs = store.comeback_prefs(client.id).await?;
    if prefs.blocked_at.is_some() {
        return Ok(Some("the client blocked the bot"));
    }
    if nudge && prefs.rebook_opt_out {
        return Ok(Some("the client turned the nudges off"));
    }
    Ok(None)
}

/// "Book again": the visit's service with the same staff member (anyone, if they no longer perform
/// it), the nearest free times as buttons, another day, and "don't remind me".
pub(crate) async fn nudge(
    store: &dyn Store,
    booking: &AppointmentView,
    t: &Texts,
    settings: &Settings,
    now: Timestamp,
) -> Result<Rendered> {
    let a = &booking.appointment;
    let client = match store.client(a.client_id).await {
        Ok(client) => client,
        Err(StoreError::NotFound { .. }) => return Ok(Rendered::Skip("the client is gone")),
        Err(other) => return Err(other),
    };
    if let Some(reason) = unreachable(store, &client, true).await? {
        return Ok(Rendered::Skip(reason));
    }
    let ahead = AppointmentQuery { client_id: Some(client.id), from: Some(now), ..Default::default() };
    if store.appointments(&ahead).await?.items.iter().any(|v| v.appointment.status.is_active()) {
        return Ok(Rendered::Skip("the client is booked already"));
    }
    let service = match store.service(a.service_id).await {
        Ok(service) if !service.hidden => service,
        Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(Rendered::Skip("the service is no longer offered")),
        Err(other) => return Err(other),
    };
    let same = match store.staff_member(a.staff_id).await {
        Ok(member) if !member.hidden && member.performs(service.id).is_some() => Some(member),
        Ok(_) | Err(StoreError::NotFound { .. }) => None,
        Err(other) => return Err(other),
    };
    let pick = same.as_ref().map_or(Pick::Any, |m| Pick::One(m.id));
    let policy = settings.policy();
    let from = policy.earliest_start(now);
    let to = policy.horizon_end(now).min(from.checked_add(LOOK_AHEAD).unwrap_or(Timestamp::MAX));
    let mut times: Vec<Timestamp> = if from < to {
        store.bookable(&service, pick.staff(), from, to).await?.into_iter().map(|b| b.start).collect()
    } else {
        Vec::new()
    };
    times.dedup();
    times.truncate(NEAREST);
    let tz = &settings.timezone;
    let staff = same.as_ref().map_or(t.anyone_free, |m| m.name.as_str());
    let template = if times.is_empty() { t.rebook_nudge_no_times } else { t.rebook_nudge };
    let text = fill(template, &[("service", service.name.as_str()), ("staff", staff)]);
    let mut rows: Vec<Vec<_>> = times
        .chunks(3)
        .map(|chunk| {
            chunk
                .iter()
                .map(|at| {
                    let date = view::short_date(t, tz.local(*at).date());
                    let label = fill(t.repeat_time, &[("date", &date), ("time", &view::time(tz, *at))]);
                    button(label, Action::Time { service: service.id, pick, at: *at })
                })
                .collect()
        })
        .collect();
    rows.push(vec![button(t.rebook_other_day, Action::Staff { service: service.id, pick })]);
    rows.push(vec![button(t.rebook_opt_out, Action::RebookNudges(false))]);
    Ok(Rendered::Send(Message::inline(text, rows)))
}

/// "How was it?" with five buttons, one to five stars; not for a visit rated already.
pub(crate) async fn rating_request(
    store: &dyn Store,
    booking: &AppointmentView,
    t: &Texts,
    settings: &Settings,
) -> Result<Rendered> {
    let a = &booking.appointment;
    if a.status != Status::Completed {
        return Ok(Rendered::Skip("the visit is no longer marked completed"));
    }
    if store.rating(a.id).await?.is_some() {
        return Ok(Rendered::Skip("the visit was rated already"));
    }
    let client = match store.client(a.client_id).await {
        Ok(client) => client,
        Err(StoreError::NotFound { .. }) => return Ok(Rendered::Skip("the client is gone")),
        Err(other) => return Err(other),
    };
    if let Some(reason) = unreachable(store, &client, false).await? {
        return Ok(Rendered::Skip(reason));
    }
    let tz = &settings.timezone;
    let text = fill(
        t.rating_request,
        &[
            ("service", &booking.service_name),
            ("staff", &booking.staff_name),
            ("date", &view::short_date(t, tz.local(a.starts_at).date())),
        ],
    );
    Ok(Rendered::Send(Message::inline(text, vec![stars_row(a.id)])))
}

fn stars_row(id: AppointmentId) -> Vec<crate::reply::InlineButton> {
    (1..=5u8).map(|n| button(stars(n), Action::Rate(id, n))).collect()
}

/// "★★★☆☆"
fn stars(n: u8) -> String {
    (1..=5u8).map(|i| if i <= n { '★' } else { '☆' }).collect()
}

impl Bot {
    /// Nudges off (from a nudge or the profile) or on (from the profile).
    pub(crate) async fn rebook_nudges(&self, turn: &Turn, client: &Client, on: bool) -> Result<Vec<Reply>> {
        let t = turn.t();
        self.store().set_rebook_opt_out(client.id, !on).await?;
        let done = if on { t.rebook_opted_in } else { t.rebook_opted_out };
        let profile = self.profile(t, client).await?;
        Ok(vec![
            Reply::Toast(done.into()),
            turn.show(Message { text: format!("{done}\n\n{}", profile.text), ..profile }),
        ])
    }

    /// Records the stars of the client's own completed visit, once: a second press changes nothing.
    pub(crate) async fn rate(&self, turn: &Turn, client: &Client, id: AppointmentId, n: u8) -> Result<Vec<Reply>> {
        let t = turn.t();
        let Ok(stars) = Stars::new(i64::from(n)) else { return Ok(vec![Reply::Toast(t.rating_not_yours.into())]) };
        let visit = match self.store().appointment(id).await {
            Ok(view) if view.appointment.client_id == client.id && view.appointment.status == Status::Completed => view,
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                tracing::warn!(chat_id = turn.chat_id, appointment = id.0, "a rating for a visit not theirs to rate");
                return Ok(vec![Reply::Toast(t.rating_not_yours.into())]);
            }
            Err(other) => return Err(other),
        };
        if self.store().rate(visit.appointment.id, stars, turn.now).await? {
            let thanks = fill(t.rating_thanks, &[("stars", &self::stars(n))]);
            Ok(vec![Reply::Toast(thanks.clone()), turn.show(Message::text(thanks))])
        } else {
            Ok(vec![Reply::Toast(t.rating_already.into())])
        }
    }

    /// «Профіль» with the nudges' state and the button that turns them the other way.
    pub(crate) async fn profile(&self, t: &Texts, client: &Client) -> Result<Message> {
        let nudges_on = !self.store().comeback_prefs(client.id).await?.rebook_opt_out;
        let mut message = crate::conversation::profile(t, client);
        let (line, toggle) = if nudges_on {
            (t.profile_nudges_on, button(t.rebook_opt_out, Action::RebookNudges(false)))
        } else {
            (t.profile_nudges_off, button(t.rebook_opt_in, Action::RebookNudges(true)))
        };
        message.text = format!("{}\n{line}", message.text);
        if let crate::reply::Keyboard::Inline(rows) = &mut message.keyboard {
            // Before "delete my data" and "menu", the last two rows.
            let at = rows.len().saturating_sub(2);
            rows.insert(at, vec![toggle]);
        }
        Ok(message)
    }
}
