//! The waitlist as the business sees it: who waits for which day.

use axum::extract::State;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use zapys_domain::time::{format_date, format_local, parse_date};

use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WaitlistQuery {
    /// First local date (`YYYY-MM-DD`), inclusive; default: today.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last local date (`YYYY-MM-DD`), inclusive; default: 30 days after `from`. At most 400 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// One client's wait for a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitItem {
    pub id: i64,
    pub user_id: i64,
    /// Null when the client asked to be forgotten.
    pub user_name: Option<String>,
    pub service_id: i64,
    pub service: String,
    /// Null: with anyone who performs the service.
    pub staff_id: Option<i64>,
    pub staff: Option<String>,
    /// The day before and the day after count too.
    pub around: bool,
    /// When the client asked (local time): offers go out in this order.
    pub asked_at: String,
    /// The booking the wait turned into; null while it waits.
    pub appointment_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaitDay {
    pub date: String,
    /// In the order the clients asked.
    pub waits: Vec<WaitItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Waitlist {
    pub from: String,
    pub to: String,
    pub total: usize,
    /// Days with at least one wait, in order.
    pub days: Vec<WaitDay>,
}

/// The waits for the days from `from` to `to`, per day, with the clients' names; those that turned
/// into a booking name it.
#[utoipa::path(get, path = "/waitlist", tag = "waitlist", params(WaitlistQuery),
    responses((status = 200, body = Waitlist)))]
pub async fn list(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<WaitlistQuery>,
) -> ApiResult<axum::Json<Waitlist>> {
    let tz = state.store().settings().timezone;
    let parse = |name: &str, value: Option<&str>| -> ApiResult<Option<jiff::civil::Date>> {
        value
            .filter(|v| !v.is_empty())
            .map(|v| parse_date(v).map_err(|e| ApiError::Unprocessable(format!("{name}: {e}"))))
            .transpose()
    };
    let from = parse("from", query.from.as_deref())?.unwrap_or_else(|| tz.today(state.now()));
    let to = match parse("to", query.to.as_deref())? {
        Some(to) => to,
        None => from.checked_add(30.days()).unwrap_or(from),
    };
    if to < from {
        return Err(ApiError::Unprocessable("to must not be before from".into()));
    }
    if from.checked_add(400.days()).is_ok_and(|limit| to > limit) {
        return Err(ApiError::Unprocessable("the period may be at most 400 days".into()));
    }
    let waits = state.store().waits(from, to).await?;
    let total = waits.len();
    let mut days: Vec<WaitDay> = Vec::new();
    for view in waits {
        let w = &view.wait;
        let date = format_date(w.day);
        let item = WaitItem {
            id: w.id,
            user_id: w.client_id.0,
            user_name: view.client_name.clone(),
            service_id: w.service_id.0,
            service: view.service_name.clone(),
            staff_id: w.staff_id.map(|s| s.0),
            staff: view.staff_name.clone(),
            around: w.around,
            asked_at: format_local(tz.local(w.created_at)),
            appointment_id: w.booked.map(|a| a.0),
        };
        match days.last_mut() {
            Some(day) if day.date == date => day.waits.push(item),
            _ => days.push(WaitDay { date, waits: vec![item] }),
        }
    }
    Ok(axum::Json(Waitlist { from: format_date(from), to: format_date(to), total, days }))
}
