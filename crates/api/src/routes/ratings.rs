//! What clients said of their visits: the stars asked after a completed visit, per staff member
//! and per service.

use axum::extract::State;
use jiff::ToSpan;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::analytics::AnalyticsQuery;
use super::date_range;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ratings_report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingItem {
    /// The staff member's or the service's id.
    pub id: i64,
    pub name: String,
    /// The mean of the stars (1–5), to two decimals.
    pub average: f64,
    /// How many visits were rated.
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingsReport {
    pub from: String,
    pub to: String,
    /// Every rated visit in the period.
    pub count: u64,
    /// The mean of all of them; null when none was rated.
    pub average: Option<f64>,
    pub by_staff: Vec<RatingItem>,
    pub by_service: Vec<RatingItem>,
}

/// The ratings of the visits that started in the period (local dates, inclusive; the same defaults
/// as `/analytics`), per staff member and per service, by name.
#[utoipa::path(get, path = "/analytics/ratings", tag = "analytics", params(AnalyticsQuery),
    responses((status = 200, body = RatingsReport)))]
pub async fn ratings_report(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<AnalyticsQuery>,
) -> ApiResult<axum::Json<RatingsReport>> {
    let tz = state.store().settings().timezone;
    let today = tz.today(state.now());
    let (from, to) = date_range(&tz, query.from.as_deref(), query.to.as_deref())?;
    let to = to.unwrap_or_else(|| tz.start_of_day(today.tomorrow().unwrap_or(today)));
    let last_day = tz.local(to).date().yesterday().unwrap_or(today);
    let from = from.unwrap_or_else(|| tz.start_of_day(last_day.checked_sub(29.days()).unwrap_or(last_day)));
    if to.duration_since(from) > jiff::SignedDuration::from_hours(24 * 400) {
        return Err(ApiError::Unprocessable("the period may be at most 400 days".into()));
    }
    let figures = state.store().rating_figures(from, to).await?;
    let item = |f: &zapys_store::RatingFigure| RatingItem {
        id: f.id,
        name: f.name.clone(),
        average: f.average,
        count: f.count,
    };
    // Every rated visit has one staff member, so their counts and sums make the whole.
    let count: u64 = figures.by_staff.iter().map(|f| f.count).sum();
    #[allow(clippy::cast_precision_loss)]
    let average = (count > 0).then(|| {
        let sum: f64 = figures.by_staff.iter().map(|f| f.average * f.count as f64).sum();
        (sum / count as f64 * 100.0).round() / 100.0
    });
    Ok(axum::Json(RatingsReport {
        from: zapys_domain::time::format_date(tz.local(from).date()),
        to: zapys_domain::time::format_date(last_day),
        count,
        average,
        by_staff: figures.by_staff.iter().map(item).collect(),
        by_service: figures.by_service.iter().map(item).collect(),
    }))
}
