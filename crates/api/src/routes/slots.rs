//! Slots: the start times offered for booking (the original "available dates").

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zapys_domain::time::{format_date, parse_date, parse_time};
use zapys_domain::{BookingRefusal, BusinessTime, ServiceId, Settings, SlotId, Source, WorkingHours};
use zapys_store::{SlotQuery, SlotView, StoreError};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Message, answers, created, date_range, int_param, local_parts, message, newest_first, paging};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Json, Query};
use crate::{AppState, Principal};

/// A start time offered for booking.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotItem {
    pub id: i64,
    /// `YYYY-MM-DD`, in the business's time zone.
    pub available_date: String,
    /// `HH:MM`, in the business's time zone.
    pub available_time: String,
    /// 1 while a booking starts at this time.
    pub is_appointments: u8,
    /// `YYYY-MM-DDTHH:MM:SS`, local.
    pub start: String,
    /// With `service_id`: when the service would end (`HH:MM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_datetime: Option<String>,
    /// With `service_id`: when the service would end (`YYYY-MM-DDTHH:MM:SS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

impl SlotItem {
    pub fn new(tz: &BusinessTime, slot: &SlotView) -> Self {
        let start = local_parts(tz, slot.starts_at);
        Self {
            id: slot.id.0,
            available_date: start.date,
            available_time: start.time,
            is_appointments: u8::from(slot.reserved),
            start: start.iso,
            end_datetime: None,
            end: None,
        }
    }
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(generate)).routes(routes!(get, update, delete))
}

answers!(SlotCreated, SlotUpdated, available_date: SlotItem);

#[derive(Debug, Serialize, ToSchema)]
pub struct SlotList {
    pub available_dates: Vec<SlotItem>,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SlotListQuery {
    /// Only the times still bookable for this service (422 when it does not exist).
    #[param(value_type = Option<i64>)]
    pub service_id: Option<String>,
    /// First local date (`YYYY-MM-DD`), inclusive.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last local date (`YYYY-MM-DD`), inclusive; not before `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// `desc` (default, newest first) or `asc`.
    #[param(value_type = Option<String>, pattern = "^(asc|desc)$")]
    pub order: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
}

/// Lists slots; with `service_id`, only the start times still bookable for that service.
#[utoipa::path(get, path = "/available_dates", tag = "available_dates", params(SlotListQuery),
    responses((status = 200, body = SlotList)))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<SlotListQuery>,
) -> ApiResult<axum::Json<SlotList>> {
    let tz = state.store().settings().timezone;
    let (from, to) = date_range(&tz, query.from.as_deref(), query.to.as_deref())?;
    let newest_first = newest_first(query.order.as_deref())?;
    let paging = paging(query.limit.as_deref(), query.offset.as_deref())?;
    let Some(service_id) = int_param("service_id", query.service_id.as_deref())? else {
        let page = state.store().slots(&SlotQuery { from, to, newest_first, paging }).await?;
        let items = page.items.iter().map(|s| SlotItem::new(&tz, s)).collect();
        return Ok(axum::Json(SlotList { available_dates: items, total: page.total }));
    };

    let service = state.store().service(ServiceId(service_id)).await.map_err(|e| match e {
        StoreError::NotFound { .. } => ApiError::Unprocessable(format!("service {service_id} does not exist")),
        other => other.into(),
    })?;
    let now = state.now();
    let policy = state.store().settings().policy();
    // Clients (and integrations booking for them) need the minimum notice; the business does not.
    let earliest = if principal.source() == Source::Admin { now } else { policy.earliest_start(now) };
    let from = from.map_or(earliest, |f| f.max(earliest));
    // Nothing beyond the booking horizon can be booked, so nothing there is offered.
    let horizon_end = policy.horizon_end(now);
    let to = to.map_or(horizon_end, |t| t.min(horizon_end));
    let mut free =
        if from < to { state.store().bookable(service.duration.span(), from, to).await? } else { Vec::new() };
    if newest_first {
        free.reverse();
    }
    let total = free.len() as u64;
    let items = free
        .into_iter()
        .skip(paging.offset as usize)
        .take(paging.limit.map_or(usize::MAX, |l| l as usize))
        .map(|(id, starts_at)| {
            let mut item = SlotItem::new(&tz, &SlotView { id, starts_at, reserved: false });
            let end = local_parts(&tz, starts_at + service.duration.span());
            item.end_datetime = Some(end.time);
            item.end = Some(end.iso);
            item
        })
        .collect();
    Ok(axum::Json(SlotList { available_dates: items, total }))
}

#[utoipa::path(get, path = "/available_dates/{id}", params(Id), tag = "available_dates",
    responses((status = 200, body = SlotItem)))]
pub async fn get(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<SlotItem>> {
    let slot = state.store().slot(SlotId(id)).await?;
    Ok(axum::Json(SlotItem::new(&state.store().settings().timezone, &slot)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SlotBody {
    /// `YYYY-MM-DD`, in the business's time zone; today or later, within the booking horizon.
    #[schema(format = Date)]
    pub available_date: String,
    /// `HH:MM`, in the business's time zone.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$", example = "10:30")]
    pub available_time: String,
}

impl SlotBody {
    fn instant(&self, settings: &Settings, now: Timestamp) -> ApiResult<Timestamp> {
        let date = parse_date(&self.available_date)?;
        let time = parse_time(&self.available_time)?;
        let at = settings.timezone.resolve(date.to_datetime(time))?.instant;
        if at <= now {
            return Err(ApiError::Refused(BookingRefusal::InThePast));
        }
        within_horizon(settings, at, now)?;
        Ok(at)
    }
}

/// Refuses a time that nobody could book: beyond the booking horizon.
fn within_horizon(settings: &Settings, at: Timestamp, now: Timestamp) -> ApiResult<()> {
    let end = settings.policy().horizon_end(now);
    if at > end {
        return Err(ApiError::OutsideHorizon(format!(
            "{} is beyond the booking horizon ({} days ahead, until {}); widen it in the settings",
            format_date(settings.timezone.today(at)),
            settings.booking_horizon_days,
            format_date(settings.timezone.today(end)),
        )));
    }
    Ok(())
}

#[utoipa::path(post, path = "/available_dates", tag = "available_dates", request_body = SlotBody,
    responses((status = 201, body = SlotCreated), (status = 409, description = "`duplicate`: a slot at this time exists", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<SlotBody>,
) -> ApiResult<Created<SlotCreated>> {
    let settings = state.store().settings();
    let slot = state.store().create_slot(body.instant(&settings, state.now())?).await?;
    let tz = settings.timezone;
    created(SlotCreated {
        message: "Available date added".into(),
        id: slot.id.0,
        available_date: SlotItem::new(&tz, &slot),
    })
}

#[utoipa::path(put, path = "/available_dates/{id}", params(Id), tag = "available_dates", request_body = SlotBody,
    responses((status = 200, body = SlotUpdated), (status = 409, description = "`in_use` (a booking starts there) or `duplicate`", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<SlotBody>,
) -> ApiResult<axum::Json<SlotUpdated>> {
    let settings = state.store().settings();
    let slot = state.store().move_slot(SlotId(id), body.instant(&settings, state.now())?).await?;
    let tz = settings.timezone;
    Ok(axum::Json(SlotUpdated { message: "Available date updated".into(), available_date: SlotItem::new(&tz, &slot) }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeleteQuery {
    /// `true`: also cancel the booking that starts at this time.
    pub force: Option<bool>,
}

/// Deletes a slot. Refused (409) while a booking starts there, unless `force=true`, which cancels it.
#[utoipa::path(delete, path = "/available_dates/{id}", tag = "available_dates", params(Id, DeleteQuery),
    responses((status = 200, body = Message), (status = 409, description = "`in_use`: a booking starts there", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Query(query): Query<DeleteQuery>,
) -> ApiResult<axum::Json<Message>> {
    let cancelled = state.store().delete_slot(SlotId(id), query.force.unwrap_or(false), state.now()).await?;
    Ok(message(match cancelled.len() {
        0 => "Available date deleted".to_owned(),
        n => format!("Available date deleted; {n} booking(s) cancelled"),
    }))
}

/// Working hours to generate slots from.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateBody {
    /// First date, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub date_from: String,
    /// Last date, `YYYY-MM-DD`, inclusive; at most 366 days after the first.
    #[schema(format = Date)]
    pub date_to: String,
    /// Days of the week, 1 (Monday) to 7 (Sunday); at least one.
    #[schema(min_items = 1, max_items = 7)]
    pub weekdays: Vec<i64>,
    /// `HH:MM`, the first start of each day.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$", example = "10:00")]
    pub time_from: String,
    /// `HH:MM`, after `time_from`; starts are before this time.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$", example = "19:00")]
    pub time_to: String,
    /// 5 to 720.
    #[schema(minimum = 5, maximum = 720)]
    pub step_minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenerateResult {
    pub message: String,
    pub created: u64,
    /// Times that already were slots, or have passed.
    pub skipped: u64,
}

/// Generates slots from working hours, skipping times that exist or have passed.
#[utoipa::path(post, path = "/available_dates/generate", tag = "available_dates", request_body = GenerateBody,
    responses((status = 201, body = GenerateResult)))]
pub async fn generate(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<GenerateBody>,
) -> ApiResult<(StatusCode, axum::Json<GenerateResult>)> {
    let date_to = parse_date(&body.date_to)?;
    let hours = WorkingHours::new(
        parse_date(&body.date_from)?,
        date_to,
        &body.weekdays,
        parse_time(&body.time_from)?,
        parse_time(&body.time_to)?,
        body.step_minutes,
    )?;
    let settings = state.store().settings();
    let now = state.now();
    within_horizon(&settings, settings.timezone.start_of_day(date_to), now)?;
    let tz = settings.timezone;
    let all = hours.starts(&tz);
    let future: Vec<Timestamp> = all.iter().map(|s| s.instant).filter(|&at| at > now).collect();
    let created = state.store().create_slots(&future).await?;
    let skipped = all.len() as u64 - created;
    Ok((
        StatusCode::CREATED,
        axum::Json(GenerateResult { message: format!("{created} available dates added"), created, skipped }),
    ))
}
