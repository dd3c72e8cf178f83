//! Slots: the start times offered for booking (the original "available dates").

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zapys_domain::time::{format_date, parse_date, parse_time};
use zapys_domain::{
    BookingRefusal, BusinessTime, Schedule, ServiceId, Settings, SlotId, Source, StaffId, StaffMember, WorkingHours,
};
use zapys_store::{GeneratedStart, SlotQuery, SlotView, StoreError, bookable_times, sole_staff_member};

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
    /// True while a booking of the staff member holds this time: one that starts here, or an
    /// earlier, longer one (or its buffer) running over it. Such a time is not free.
    pub covered: bool,
    /// Whose time it is.
    pub staff_id: i64,
    /// The staff member's name.
    pub staff: String,
    /// `YYYY-MM-DDTHH:MM:SS`, local.
    pub start: String,
    /// With `service_id`: when the service would end (`HH:MM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_datetime: Option<String>,
    /// With `service_id`: when the service would end (`YYYY-MM-DDTHH:MM:SS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// Staff names by id, to name the staff member of each item.
pub struct StaffNames(Vec<(StaffId, String)>);

impl StaffNames {
    pub(crate) async fn load(state: &AppState) -> ApiResult<Self> {
        Ok(Self::from_members(&state.store().staff().await?))
    }

    pub(crate) fn from_members(members: &[StaffMember]) -> Self {
        Self(members.iter().map(|m| (m.id, m.name.as_str().to_owned())).collect())
    }

    /// A deleted staff member's past times keep their id; their name is gone with them.
    pub(crate) fn name(&self, id: StaffId) -> String {
        self.0.iter().find(|(s, _)| *s == id).map(|(_, n)| n.clone()).unwrap_or_default()
    }
}

impl SlotItem {
    pub fn new(tz: &BusinessTime, slot: &SlotView, names: &StaffNames) -> Self {
        let start = local_parts(tz, slot.starts_at);
        Self {
            id: slot.id.0,
            available_date: start.date,
            available_time: start.time,
            is_appointments: u8::from(slot.reserved),
            covered: slot.covered,
            staff_id: slot.staff_id.0,
            staff: names.name(slot.staff_id),
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
    /// Only this staff member's times; with `service_id` left out, the times of everyone who performs it.
    #[param(value_type = Option<i64>)]
    pub staff_id: Option<String>,
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
    let staff_id = int_param("staff_id", query.staff_id.as_deref())?.map(StaffId);
    let members = state.store().staff().await?;
    let names = StaffNames::from_members(&members);
    let Some(service_id) = int_param("service_id", query.service_id.as_deref())? else {
        let page = state.store().slots(&SlotQuery { from, to, staff_id, newest_first, paging }).await?;
        let items = page.items.iter().map(|s| SlotItem::new(&tz, s, &names)).collect();
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
    // The staff list read above serves the names and the availability alike: one read per request.
    let mut free = if from < to {
        bookable_times(&service, &members, staff_id, &state.store().availability(from, to).await?, from)
    } else {
        Vec::new()
    };
    if newest_first {
        free.reverse();
    }
    let total = free.len() as u64;
    let items = free
        .into_iter()
        .skip(paging.offset as usize)
        .take(paging.limit.map_or(usize::MAX, |l| l as usize))
        .map(|time| {
            let view = SlotView {
                id: time.slot_id,
                staff_id: time.staff_id,
                starts_at: time.start,
                ends_by: None,
                reserved: false,
                covered: false,
            };
            let mut item = SlotItem::new(&tz, &view, &names);
            let end = local_parts(&tz, time.end);
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
    let names = StaffNames::load(&state).await?;
    Ok(axum::Json(SlotItem::new(&state.store().settings().timezone, &slot, &names)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SlotBody {
    /// `YYYY-MM-DD`, in the business's time zone; today or later, within the booking horizon.
    #[schema(format = Date)]
    pub available_date: String,
    /// `HH:MM`, in the business's time zone.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$", example = "10:30")]
    pub available_time: String,
    /// Whose time it is; may be left out while the business has one staff member.
    pub staff_id: Option<i64>,
}

/// The schedule of the staff member a body names: one that does not exist is an unknown reference (422).
async fn schedule_of(state: &AppState, staff: StaffId) -> ApiResult<Schedule> {
    state.store().schedule(staff).await.map_err(|e| match e {
        StoreError::NotFound { .. } => ApiError::UnknownReference(format!("staff member {staff} does not exist")),
        other => other.into(),
    })
}

/// The staff member a request names, or the only one there is.
pub(crate) async fn staff_or_sole(state: &AppState, staff_id: Option<i64>) -> ApiResult<StaffId> {
    match staff_id {
        Some(id) => Ok(StaffId(id)),
        None => Ok(sole_staff_member(state.store()).await?),
    }
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
    let staff = staff_or_sole(&state, body.staff_id).await?;
    let slot = state.store().create_slot(staff, body.instant(&settings, state.now())?).await?;
    let tz = settings.timezone;
    let names = StaffNames::load(&state).await?;
    created(SlotCreated {
        message: "Available date added".into(),
        id: slot.id.0,
        available_date: SlotItem::new(&tz, &slot, &names),
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
    let names = StaffNames::load(&state).await?;
    Ok(axum::Json(SlotUpdated {
        message: "Available date updated".into(),
        available_date: SlotItem::new(&tz, &slot, &names),
    }))
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

/// What to generate slots from: a staff member's working hours, or hours given here.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateBody {
    /// Whose times; may be left out while the business has one staff member.
    pub staff_id: Option<i64>,
    /// First date, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub date_from: String,
    /// Last date, `YYYY-MM-DD`, inclusive; at most 366 days after the first.
    #[schema(format = Date)]
    pub date_to: String,
    /// Days of the week, 1 (Monday) to 7 (Sunday). With `time_from` and `time_to`; all three left
    /// out: the staff member's own working hours (breaks and exceptions included).
    #[schema(min_items = 1, max_items = 7)]
    pub weekdays: Option<Vec<i64>>,
    /// `HH:MM`, when the day's work starts: the first start.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$", example = "10:00")]
    pub time_from: Option<String>,
    /// `HH:MM`, closing time: every visit must be over by then.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$", example = "19:00")]
    pub time_to: Option<String>,
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
    /// Unbooked generated times of the range that the new hours no longer have: generating again
    /// replaces the old grid instead of adding a second one beside it.
    pub removed: u64,
}

/// Generates a staff member's slots for a date range, replacing their earlier generated (and
/// unbooked) times there. Booked times and times added by hand stay.
#[utoipa::path(post, path = "/available_dates/generate", tag = "available_dates", request_body = GenerateBody,
    responses((status = 201, body = GenerateResult)))]
pub async fn generate(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<GenerateBody>,
) -> ApiResult<(StatusCode, axum::Json<GenerateResult>)> {
    let date_from = parse_date(&body.date_from)?;
    let date_to = parse_date(&body.date_to)?;
    let staff = staff_or_sole(&state, body.staff_id).await?;
    let schedule: Schedule = match (&body.weekdays, &body.time_from, &body.time_to) {
        (Some(weekdays), Some(from), Some(to)) => {
            let hours =
                WorkingHours::new(date_from, date_to, weekdays, parse_time(from)?, parse_time(to)?, body.step_minutes)?;
            // Times outside a staff member's own hours would never be offered; say so instead.
            if !schedule_of(&state, staff).await?.is_unset() {
                return Err(ApiError::Unprocessable(
                    "this staff member has working hours: generate from them (leave weekdays, time_from and time_to \
                     out), or change the hours first"
                        .into(),
                ));
            }
            hours.schedule()
        }
        (None, None, None) => {
            // The same checks as for explicit hours, on the range and step alone.
            WorkingHours::new(date_from, date_to, &[1], parse_time("00:00")?, parse_time("23:59")?, body.step_minutes)?;
            let schedule = schedule_of(&state, staff).await?;
            if schedule.is_unset() {
                return Err(ApiError::Unprocessable(
                    "this staff member has no working hours yet; set them, or give weekdays, time_from and time_to"
                        .into(),
                ));
            }
            schedule
        }
        _ => {
            return Err(ApiError::Unprocessable(
                "give weekdays, time_from and time_to together, or none of them".into(),
            ));
        }
    };
    let settings = state.store().settings();
    let now = state.now();
    within_horizon(&settings, settings.timezone.start_of_day(date_to), now)?;
    let tz = settings.timezone;
    let all = schedule.grid(date_from, date_to, body.step_minutes, &tz);
    let future: Vec<GeneratedStart> =
        all.iter().filter(|s| s.instant > now).map(|s| GeneratedStart { at: s.instant, ends_by: s.ends_by }).collect();
    let window_start = tz.start_of_day(date_from).max(now);
    let window_end = tz.start_of_day(date_to.tomorrow().unwrap_or(date_to));
    let replace = (window_start < window_end).then_some((window_start, window_end));
    let generated = state.store().generate_slots(staff, &future, replace).await?;
    let created = generated.added;
    let skipped = all.len() as u64 - created;
    let message = match generated.removed {
        0 => format!("{created} available dates added"),
        removed => format!("{created} available dates added, {removed} earlier ones replaced"),
    };
    Ok((StatusCode::CREATED, axum::Json(GenerateResult { message, created, skipped, removed: generated.removed })))
}
