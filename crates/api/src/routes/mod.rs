//! The `/api` routes. Resource names, routes and JSON field names follow the
//! original system's API (see `seed-api.md`); what it lacked (authentication,
//! status codes, paging, history) is added without breaking its answers.

pub mod analytics;
pub mod bot_token;
// --- comeback ---
pub mod appointments;
pub mod calendar;
pub mod client_notes;
pub mod events;
pub mod export;
pub mod notifications;
pub mod ratings;
pub mod services;
pub mod session;
pub mod settings;
pub mod simulator;
pub mod slots;
pub mod spreadsheet;
pub mod staff;
pub mod tokens;
pub mod users;
pub mod webhooks;
// --- support ---
pub mod support;
// --- waitlist ---
pub mod waitlist;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use zapys_domain::BusinessTime;
use zapys_domain::time::{format_date, format_local, format_time, parse_date};
use zapys_store::Paging;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// Every `/api` route with its documentation. Each resource's file declares its
/// own routes (`routes()`), next to the handlers; the OpenAPI document is built
/// from the same declarations, so a route cannot be served undocumented.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(session::routes())
        .merge(services::routes())
        .merge(slots::routes())
        .merge(staff::routes())
        .merge(users::routes())
        .merge(appointments::routes())
        .merge(export::routes())
        .merge(settings::routes())
        .merge(bot_token::routes())
        .merge(tokens::routes())
        .merge(events::routes())
        .merge(simulator::routes())
        .merge(notifications::routes())
        .merge(analytics::routes())
        .merge(webhooks::routes())
        .merge(calendar::routes())
        // --- support ---
        .merge(client_notes::routes())
        .merge(support::routes())
        // --- waitlist ---
        .merge(waitlist::routes())
        // --- comeback ---
        .merge(ratings::routes())
}

/// A client list to import may be larger than an ordinary request.
pub(crate) const IMPORT_LIMIT: usize = 5 * 1024 * 1024;

/// `{"message": "..."}`, the original API's answer to a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub message: String,
}

pub(crate) fn message(text: impl Into<String>) -> axum::Json<Message> {
    axum::Json(Message { message: text.into() })
}

/// A local date-time in the forms the API speaks.
pub(crate) struct LocalParts {
    pub date: String,
    pub time: String,
    pub iso: String,
}

pub(crate) fn local_parts(tz: &BusinessTime, instant: Timestamp) -> LocalParts {
    let local = tz.local(instant);
    LocalParts { date: format_date(local.date()), time: format_time(local.time()), iso: format_local(local) }
}

/// A whole number from a query parameter, with the parameter's name in the error.
pub(crate) fn int_param(name: &str, value: Option<&str>) -> ApiResult<Option<i64>> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<i64>().map_err(|_| ApiError::Unprocessable(format!("{name} must be a whole number, not '{v}'")))
        })
        .transpose()
}

pub(crate) fn paging(limit: Option<&str>, offset: Option<&str>) -> ApiResult<Paging> {
    let limit = int_param("limit", limit)?
        .map(|l| u32::try_from(l).ok().filter(|l| (1..=1000).contains(l)))
        .map(|l| l.ok_or_else(|| ApiError::Unprocessable("limit must be between 1 and 1000".into())))
        .transpose()?;
    let offset = int_param("offset", offset)?
        .map(|o| u32::try_from(o).map_err(|_| ApiError::Unprocessable("offset must not be negative".into())))
        .transpose()?
        .unwrap_or(0);
    Ok(Paging { limit, offset })
}

/// `order=asc|desc`; the original lists were newest first.
pub(crate) fn newest_first(order: Option<&str>) -> ApiResult<bool> {
    match order {
        None | Some("" | "desc") => Ok(true),
        Some("asc") => Ok(false),
        Some(other) => Err(ApiError::Unprocessable(format!("order must be 'asc' or 'desc', not '{other}'"))),
    }
}

/// `from` and `to` as local dates, both inclusive, as instants `[from 00:00, the day after to 00:00)`.
pub(crate) fn date_range(
    tz: &BusinessTime,
    from: Option<&str>,
    to: Option<&str>,
) -> ApiResult<(Option<Timestamp>, Option<Timestamp>)> {
    let parse = |name: &str, value: Option<&str>| -> ApiResult<Option<Date>> {
        value
            .filter(|v| !v.is_empty())
            .map(|v| parse_date(v).map_err(|e| ApiError::Unprocessable(format!("{name}: {e}"))))
            .transpose()
    };
    let (from, to) = (parse("from", from)?, parse("to", to)?);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(ApiError::Unprocessable("to must not be before from".into()));
    }
    let day_after = |d: Date| d.checked_add(1.day()).map_err(|_| ApiError::Unprocessable("to is out of range".into()));
    Ok((from.map(|d| tz.start_of_day(d)), to.map(day_after).transpose()?.map(|d| tz.start_of_day(d))))
}

/// A `201 Created` answer.
pub(crate) type Created<T> = (axum::http::StatusCode, axum::Json<T>);

pub(crate) fn created<T>(body: T) -> ApiResult<Created<T>> {
    Ok((axum::http::StatusCode::CREATED, axum::Json(body)))
}

/// Declares the original API's answers to a create (`{message, id, <key>}`) and
/// to a change (`{message, <key>}`) for one kind of item, as typed schemas.
macro_rules! answers {
    ($created:ident, $updated:ident, $key:ident: $item:ty) => {
        #[doc = concat!("`{message, id, ", stringify!($key), "}`: the answer to a create.")]
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $created {
            pub message: String,
            pub id: i64,
            pub $key: $item,
        }

        #[doc = concat!("`{message, ", stringify!($key), "}`: the answer to a change.")]
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $updated {
            pub message: String,
            pub $key: $item,
        }
    };
}
pub(crate) use answers;
