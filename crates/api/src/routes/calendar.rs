//! The iCalendar feed: bookings in Google Calendar, Apple Calendar or Outlook.
//!
//! The feed's URL carries a secret token (only its hash is stored); the admin
//! creates, rotates or revokes it. Times are written in UTC, so no calendar
//! can shift a booking across a daylight-saving change.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;
use zapys_domain::Status;
use zapys_store::{AppointmentQuery, AppointmentView};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Message, message};
use crate::auth::{new_token, token_hash};
use crate::error::ApiResult;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(state, create, revoke))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedState {
    pub enabled: bool,
    /// When the current URL was made (RFC 3339).
    pub created_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewFeed {
    /// The path of the feed, to append to the address Zapys is reached at. Shown only now.
    pub path: String,
}

#[utoipa::path(get, path = "/calendar_feed", tag = "calendar", security(("bearer" = ["admin"]), ("session" = [])), responses((status = 200, body = FeedState)))]
pub async fn state(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<FeedState>> {
    let feed = state.store().calendar_feed().await?;
    Ok(axum::Json(FeedState { enabled: feed.is_some(), created_at: feed.map(|(_, at)| at.to_string()) }))
}

/// Makes a new feed URL; any earlier one stops working.
#[utoipa::path(post, path = "/calendar_feed", tag = "calendar", responses((status = 201, body = NewFeed)))]
pub async fn create(State(state): State<AppState>, _: Principal) -> ApiResult<(StatusCode, axum::Json<NewFeed>)> {
    let token = new_token("");
    state.store().set_calendar_feed(Some(&token_hash(&token)), state.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(NewFeed { path: format!("/calendar/{token}.ics") })))
}

/// Revokes the feed URL.
#[utoipa::path(delete, path = "/calendar_feed", tag = "calendar", responses((status = 200, body = Message)))]
pub async fn revoke(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<Message>> {
    state.store().set_calendar_feed(None, state.now()).await?;
    Ok(message("Calendar feed revoked"))
}

/// `GET /calendar/{token}.ics`: public, but only with the current token.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> ApiResult<Response> {
    let not_found = || (StatusCode::NOT_FOUND, "no such calendar").into_response();
    let Some(token) = file.strip_suffix(".ics") else { return Ok(not_found()) };
    let Some((stored, _)) = state.store().calendar_feed().await? else { return Ok(not_found()) };
    if !crate::auth::same_bytes(&stored, &token_hash(token)) {
        return Ok(not_found());
    }
    let now = state.now();
    let query = AppointmentQuery {
        from: Some(now - SignedDuration::from_hours(24 * 60)),
        to: Some(now + SignedDuration::from_hours(24 * 400)),
        ..Default::default()
    };
    let bookings = state.store().appointments(&query).await?.items;
    let name = state.store().settings().business_name;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        calendar(&name, &bookings, now),
    )
        .into_response())
}

fn stamp(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 text: backslash, semicolon, comma and newline escaped.
fn text(value: &str) -> String {
    value.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
}

/// Folds a content line at 75 octets, never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub(crate) fn calendar(business: &str, bookings: &[AppointmentView], now: Timestamp) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Zapys//Bookings//UK".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", text(business)),
    ];
    for booking in bookings.iter().filter(|b| b.appointment.status != Status::Cancelled) {
        let a = &booking.appointment;
        let (name, phone) = booking.client.as_ref().map_or(("—", ""), |c| (c.name.as_str(), c.phone.as_str()));
        let status = if a.status == Status::Pending { "TENTATIVE" } else { "CONFIRMED" };
        let mut description = format!("{name} {phone}\nstatus: {}", a.status.name());
        if !a.notes.is_empty() {
            description.push('\n');
            description.push_str(&a.notes);
        }
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:appointment-{}@zapys", a.id),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(a.starts_at)),
            format!("DTEND:{}", stamp(a.ends_at)),
            format!("SUMMARY:{}", text(&format!("{} — {name}", booking.service_name))),
            format!("DESCRIPTION:{}", text(&description)),
            format!("STATUS:{status}"),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_letters() {
        let folded = fold(&format!("SUMMARY:{}", "Фарбування ".repeat(10)));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n"), Some(format!("SUMMARY:{}", "Фарбування ".repeat(10)).as_str()));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
