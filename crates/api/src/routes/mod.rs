//! The `/api` routes. Resource names, routes and JSON field names follow the
//! original system's API (see `seed-api.md`); what it lacked (authentication,
//! status codes, paging, history) is added without breaking its answers.

pub mod analytics;
pub mod appointments;
pub mod calendar;
pub mod events;
pub mod export;
pub mod notifications;
pub mod services;
pub mod session;
pub mod settings;
pub mod simulator;
pub mod slots;
pub mod tokens;
pub mod users;
pub mod webhooks;

use axum::Router;
use axum::routing::{delete, get, post};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use utoipa::ToSchema;
use zapys_domain::BusinessTime;
use zapys_domain::time::{format_date, format_local, format_time, parse_date};
use zapys_store::Paging;

use crate::error::{ApiError, ApiResult};
use crate::{AppState, openapi};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/auth/me", get(session::me))
        .route("/services", get(services::list).post(services::create))
        .route("/services/{id}", get(services::get).put(services::update).delete(services::delete))
        .route("/available_dates", get(slots::list).post(slots::create))
        .route("/available_dates/generate", post(slots::generate))
        .route("/available_dates/{id}", get(slots::get).put(slots::update).delete(slots::delete))
        .route("/users", get(users::list).post(users::create))
        .route("/users.csv", get(export::users))
        .route("/users/import", post(export::import_users).layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/users/{id}", get(users::get).put(users::update).delete(users::delete))
        .route("/users/{id}/appointments", get(users::appointments))
        .route("/appointments", get(appointments::list).post(appointments::create))
        .route("/appointments.csv", get(export::appointments))
        .route(
            "/appointments/{id}",
            get(appointments::get).put(appointments::update).post(appointments::confirm).delete(appointments::delete),
        )
        .route("/appointments/{id}/confirm", post(appointments::confirm))
        .route("/appointments/{id}/complete", post(appointments::complete))
        .route("/appointments/{id}/no_show", post(appointments::no_show))
        .route("/appointments/{id}/cancel", post(appointments::cancel))
        .route("/appointments/{id}/history", get(appointments::history))
        .route("/settings", get(settings::get).put(settings::update))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", delete(tokens::delete))
        .route("/events", get(events::stream))
        .route("/simulator/send", post(simulator::send))
        .route("/notifications", get(notifications::list))
        .route("/analytics", get(analytics::report))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{id}", delete(webhooks::delete))
        .route("/calendar_feed", get(calendar::state).post(calendar::create).delete(calendar::revoke))
        .route("/notifications/{id}/retry", post(notifications::retry))
        .route("/openapi.json", get(openapi::json))
        .route("/docs", get(openapi::docs))
        .fallback(|| async { ApiError::NotFound("no such API route; see /api/docs".into()) })
}

/// A client list to import may be larger than an ordinary request.
const IMPORT_LIMIT: usize = 5 * 1024 * 1024;

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

/// The body of a create answer: the message, the new id, and the object under its name.
pub(crate) fn created<T: Serialize>(
    message: &str,
    id: i64,
    key: &str,
    item: T,
) -> ApiResult<(axum::http::StatusCode, axum::Json<serde_json::Value>)> {
    let item = serde_json::to_value(item).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((axum::http::StatusCode::CREATED, axum::Json(serde_json::json!({ "message": message, "id": id, key: item }))))
}

/// The body of an update answer: the message and the object under its name.
pub(crate) fn updated<T: Serialize>(message: &str, key: &str, item: T) -> ApiResult<axum::Json<serde_json::Value>> {
    let item = serde_json::to_value(item).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(axum::Json(serde_json::json!({ "message": message, key: item })))
}
