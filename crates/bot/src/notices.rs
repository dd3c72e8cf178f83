//! What the bot says on its own initiative, written when the outbox delivers
//! it: from the booking as it is then, in the client's language. A reminder
//! for a booking that was cancelled or moved meanwhile is not sent at all.

use jiff::Timestamp;
use zapys_domain::{Notice, Status, SystemReason};
use zapys_store::{AppointmentView, OutboxItem, Store, StoreError};

use crate::callback::Action;
use crate::reply::Message;
use crate::texts::{Texts, UK, fill, texts};
use crate::view::{self, button};

/// A notice, ready to send or not worth sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Send(Message),
    Skip(&'static str),
}

/// Renders an outbox item as a message, or says why it should not go out.
pub async fn render(store: &dyn Store, item: &OutboxItem, now: Timestamp) -> Result<Rendered, StoreError> {
    // --- waitlist ---
    if item.notice == Notice::WaitlistOffer {
        return crate::waitlist::render_offer(store, item, now).await;
    }
    let Some(id) = item.appointment_id else { return Ok(Rendered::Skip("no booking")) };
    let booking = match store.appointment(id).await {
        Ok(booking) => booking,
        Err(StoreError::NotFound { .. }) => return Ok(Rendered::Skip("the booking is gone")),
        Err(other) => return Err(other),
    };
    let settings = store.settings();
    let at = item.starts_at.unwrap_or(booking.appointment.starts_at);
    if item.notice.for_business() {
        let before =
            (item.notice == Notice::ClientMoved).then(|| former(&UK, &settings.timezone, item.detail.as_deref()));
        return Ok(Rendered::Send(Message::text(describe(
            &settings.timezone,
            &UK,
            business_template(item.notice),
            &booking,
            at,
            before.as_deref(),
        ))));
    }
    if item.notice.for_staff() {
        return Ok(Rendered::Send(Message::text(staff_text(&settings.timezone, item, &booking, at))));
    }
    let language = store.client(booking.appointment.client_id).await.map(|c| c.language).unwrap_or_default();
    let t = texts(language);
    let tz = &settings.timezone;
    let a = &booking.appointment;
    let message = match item.notice {
        Notice::Reminder => {
            let still_that_time = item.starts_at == Some(a.starts_at);
            if !a.status.is_active() || a.starts_at <= now || !still_that_time {
                return Ok(Rendered::Skip("the booking changed since the reminder fell due"));
            }
            let text = describe(tz, t, t.reminder, &booking, at, None);
            // A reminder lets the client move or cancel while the change window allows it; a
            // pending one also asks them to confirm they will come.
            let may_change = settings.policy().check_change(a.starts_at, zapys_domain::Actor::Client, now).is_ok();
            let change = vec![button(t.move_button, Action::AskMove(a.id)), button(t.cancel, Action::AskCancel(a.id))];
            let mut rows = Vec::new();
            if a.status == Status::Pending {
                rows.push(vec![button(t.attend, Action::Confirm(a.id))]);
            }
            if may_change {
                rows.push(change);
            }
            let text = match (a.status == Status::Pending, may_change) {
                (true, true) => format!("{text}\n{}", t.reminder_pending),
                (true, false) => format!("{text}\n{}", t.reminder_pending_locked),
                (false, _) => text,
            };
            if rows.is_empty() { Message::text(text) } else { Message::inline(text, rows) }
        }
        Notice::Confirmed => Message::text(describe(tz, t, t.notice_confirmed, &booking, at, None)),
        Notice::Cancelled => {
            let mut text = describe(tz, t, t.notice_cancelled, &booking, at, None);
            if let Some(reason) = item.detail.as_deref().filter(|r| !r.trim().is_empty()) {
                text = format!("{text}\n{}", fill(t.notice_reason, &[("reason", &reason_text(t, reason))]));
            }
            Message::text(text)
        }
        Notice::Moved => {
            let before = former(t, tz, item.detail.as_deref());
            Message::text(describe(tz, t, t.notice_moved, &booking, at, Some(&before)))
        }
        Notice::Completed => Message::text(t.notice_thanks),
        Notice::NewBooking
        | Notice::ClientCancelled
        | Notice::ClientMoved
        | Notice::StaffBooked
        | Notice::StaffMoved
        | Notice::StaffCancelled
        | Notice::StaffReassigned => unreachable!("business and staff notices are handled above"),
        Notice::Webhook => return Ok(Rendered::Skip("webhooks are not chat messages")),
        // --- support ---
        Notice::SupportMessage | Notice::SupportReply => {
            return Ok(Rendered::Skip("support messages are relayed by `render_support`"));
        }
        // --- waitlist ---
        Notice::WaitlistOffer => unreachable!("waitlist offers are rendered above"),
        // --- comeback ---
        Notice::RebookNudge => return crate::comeback::nudge(store, &booking, t, &settings, now).await,
        Notice::RatingRequest => return crate::comeback::rating_request(store, &booking, t, &settings).await,
    };
    Ok(Rendered::Send(message))
}

/// A notice to a staff member, in the business's language (Ukrainian), as the business chat's are.
fn staff_text(tz: &zapys_domain::BusinessTime, item: &OutboxItem, booking: &AppointmentView, at: Timestamp) -> String {
    let t = &UK;
    match item.notice {
        Notice::StaffMoved => {
            let before = former(t, tz, item.detail.as_deref());
            describe(tz, t, t.staff_moved, booking, at, Some(&before))
        }
        Notice::StaffCancelled => {
            let text = describe(tz, t, t.staff_cancelled, booking, at, None);
            match item.detail.as_deref().filter(|r| !r.trim().is_empty()) {
                Some(reason) => format!("{text}\n{}", fill(t.notice_reason, &[("reason", &reason_text(t, reason))])),
                None => text,
            }
        }
        Notice::StaffReassigned => describe(tz, t, t.staff_reassigned, booking, at, None),
        _ => describe(tz, t, t.staff_booked, booking, at, None),
    }
}

/// A cancellation's reason: the admin's own words as written, the system's in the reader's language.
fn reason_text(t: &Texts, reason: &str) -> String {
    match SystemReason::recognise(reason) {
        Some(SystemReason::TimeWithdrawn) => t.reason_time_withdrawn.to_owned(),
        Some(SystemReason::NotConfirmedInTime) => t.reason_not_confirmed.to_owned(),
        Some(SystemReason::ClientErased) => t.reason_erased.to_owned(),
        None => reason.to_owned(),
    }
}

/// A move's former start (kept in the detail), as a date and time.
fn former(t: &Texts, tz: &zapys_domain::BusinessTime, detail: Option<&str>) -> String {
    detail
        .and_then(|d| d.parse::<Timestamp>().ok())
        .map(|at| format!("{} {}", view::date(t, tz.local(at).date()), view::time(tz, at)))
        .unwrap_or_else(|| t.unknown.to_owned())
}

fn business_template(notice: Notice) -> &'static str {
    match notice {
        Notice::NewBooking => UK.admin_new_booking,
        Notice::ClientMoved => UK.admin_client_moved,
        _ => UK.admin_client_cancelled,
    }
}

/// Fills a template about `booking` at `starts_at`: the time the notice was written about,
/// which stays right even if the booking moved since.
fn describe(
    tz: &zapys_domain::BusinessTime,
    t: &Texts,
    template: &str,
    booking: &AppointmentView,
    starts_at: Timestamp,
    before: Option<&str>,
) -> String {
    let a = &booking.appointment;
    let ends_at = starts_at + a.ends_at.duration_since(a.starts_at);
    let (name, phone) = booking.client.as_ref().map_or(("—", "—"), |c| (c.name.as_str(), c.phone.as_str()));
    fill(
        template,
        &[
            ("service", &booking.service_name),
            ("staff", &booking.staff_name),
            ("date", &view::date(t, tz.local(starts_at).date())),
            ("time", &view::time(tz, starts_at)),
            ("from", &view::time(tz, starts_at)),
            ("to", &view::time(tz, ends_at)),
            ("client", name),
            ("phone", phone),
            ("before", before.unwrap_or_default()),
        ],
    )
}
