//! The figures a manager reads at a glance, for a period.

use axum::extract::State;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::date_range;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AnalyticsQuery {
    /// First local date (`YYYY-MM-DD`), inclusive; default: 29 days before `to`.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last local date (`YYYY-MM-DD`), inclusive; default: today. At most 400 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayCount {
    pub date: String,
    pub bookings: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedCount {
    pub name: String,
    pub count: u64,
    /// Of all bookings in the period (cancelled ones included).
    pub share: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceFiguresItem {
    pub service_id: i64,
    pub service: String,
    pub bookings: u64,
    pub completed: u64,
    pub revenue: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffFiguresItem {
    pub staff_id: i64,
    pub name: String,
    /// Bookings holding their time.
    pub bookings: u64,
    pub completed: u64,
    /// Completed bookings' prices.
    pub revenue: f64,
    pub booked_hours: f64,
    /// From their working hours; null when they have none set.
    pub working_hours: Option<f64>,
    /// Booked hours / working hours (0–1, may exceed 1 with overtime); null without working hours.
    pub utilisation: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeatCell {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    pub hour: u8,
    pub bookings: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsReport {
    pub from: String,
    pub to: String,
    /// Every booking starting in the period, cancelled ones included.
    pub total: u64,
    pub per_day: Vec<DayCount>,
    pub by_status: Vec<NamedCount>,
    pub cancelled_by: Vec<NamedCount>,
    pub by_service: Vec<ServiceFiguresItem>,
    pub by_staff: Vec<StaffFiguresItem>,
    pub by_source: Vec<NamedCount>,
    pub heat: Vec<HeatCell>,
    pub booked_hours: f64,
    pub offered_hours: f64,
    /// Booked hours / offered hours (null when nothing was offered).
    pub utilisation: Option<f64>,
    pub new_clients: u64,
    pub returning_clients: u64,
    /// From completed bookings with a price.
    pub revenue: f64,
    /// Bookings made under 1 day, 1–3 days, 3–7 days, 7–30 days and over 30 days ahead.
    pub lead_time_buckets: [u64; 5],
    pub lead_time_median_hours: Option<f64>,
    // --- waitlist ---
    /// Waits for days in the period (see `/waitlist`), and those of them that turned into a booking.
    pub waits: u64,
    pub waits_booked: u64,
}

#[allow(clippy::cast_precision_loss)]
fn share(count: u64, total: u64) -> f64 {
    if total == 0 { 0.0 } else { (count as f64 / total as f64 * 1000.0).round() / 1000.0 }
}

/// Bookings per day, by service, by status with rates, cancellations by whom, utilisation, busiest
/// weekdays and hours, new and returning clients, revenue, lead time, and bot vs admin bookings.
#[utoipa::path(get, path = "/analytics", tag = "analytics", params(AnalyticsQuery),
    responses((status = 200, body = AnalyticsReport)))]
pub async fn report(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<AnalyticsQuery>,
) -> ApiResult<axum::Json<AnalyticsReport>> {
    let tz = state.store().settings().timezone;
    let today = tz.today(state.now());
    let (from, to) = date_range(&tz, query.from.as_deref(), query.to.as_deref())?;
    let to = to.unwrap_or_else(|| tz.start_of_day(today.tomorrow().unwrap_or(today)));
    let last_day = tz.local(to).date().yesterday().unwrap_or(today);
    let from = from.unwrap_or_else(|| tz.start_of_day(last_day.checked_sub(29.days()).unwrap_or(last_day)));
    if to.duration_since(from) > jiff::SignedDuration::from_hours(24 * 400) {
        return Err(ApiError::Unprocessable("the period may be at most 400 days".into()));
    }
    let f = state.store().analytics(from, to, &tz).await?;
    let total: u64 = f.by_status.iter().map(|(_, n)| n).sum();
    let named = |name: &str, count: u64| NamedCount { name: name.to_owned(), count, share: share(count, total) };
    #[allow(clippy::cast_precision_loss)]
    let hours = |minutes: u64| (minutes as f64 / 60.0 * 100.0).round() / 100.0;
    #[allow(clippy::cast_precision_loss)]
    let money = |cents: i64| cents as f64 / 100.0;
    Ok(axum::Json(AnalyticsReport {
        from: zapys_domain::time::format_date(tz.local(from).date()),
        to: zapys_domain::time::format_date(last_day),
        total,
        per_day: f
            .per_day
            .iter()
            .map(|(d, n)| DayCount { date: zapys_domain::time::format_date(*d), bookings: *n })
            .collect(),
        by_status: f.by_status.iter().map(|(s, n)| named(s.name(), *n)).collect(),
        cancelled_by: f.cancelled_by.iter().map(|(a, n)| named(a.name(), *n)).collect(),
        by_service: f
            .by_service
            .iter()
            .map(|s| ServiceFiguresItem {
                service_id: s.service_id.0,
                service: s.name.clone(),
                bookings: s.bookings,
                completed: s.completed,
                revenue: money(s.revenue_cents),
            })
            .collect(),
        by_staff: f
            .by_staff
            .iter()
            .map(|s| StaffFiguresItem {
                staff_id: s.staff_id.0,
                name: s.name.clone(),
                bookings: s.bookings,
                completed: s.completed,
                revenue: money(s.revenue_cents),
                booked_hours: hours(s.booked_minutes),
                working_hours: s.working_minutes.map(hours),
                #[allow(clippy::cast_precision_loss)]
                utilisation: s
                    .working_minutes
                    .filter(|w| *w > 0)
                    .map(|w| (s.booked_minutes as f64 / w as f64 * 1000.0).round() / 1000.0),
            })
            .collect(),
        by_source: f.by_source.iter().map(|(s, n)| named(s.name(), *n)).collect(),
        heat: f.heat.iter().map(|&(weekday, hour, bookings)| HeatCell { weekday, hour, bookings }).collect(),
        booked_hours: hours(f.booked_minutes),
        offered_hours: hours(f.offered_minutes),
        #[allow(clippy::cast_precision_loss)]
        utilisation: (f.offered_minutes > 0)
            .then(|| (f.booked_minutes as f64 / f.offered_minutes as f64 * 1000.0).round() / 1000.0),
        new_clients: f.new_clients,
        returning_clients: f.returning_clients,
        revenue: money(f.revenue_cents),
        lead_time_buckets: f.lead_time_buckets,
        lead_time_median_hours: f.lead_time_median_hours,
        // --- waitlist ---
        waits: f.waits,
        waits_booked: f.waits_booked,
    }))
}
