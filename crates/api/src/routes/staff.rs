//! Staff members: who performs which service, their working hours and the exceptions to them.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use zapys_domain::service::parse_description;
use zapys_domain::time::{format_date, format_time, parse_date, parse_time};
use zapys_domain::{
    Color, Duration, ExceptionDraft, HoursException, Price, ServiceId, StaffDraft, StaffId, StaffMember, StaffName,
    StaffService, Stretch, WeeklyHours,
};

use super::{Created, Message, answers, created, message};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Json};
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(hours, set_hours))
        .routes(routes!(exceptions, add_exception))
        .routes(routes!(delete_exception))
}

/// A service a staff member performs, with their own duration and price when they differ.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StaffServiceItem {
    pub service_id: i64,
    /// Their own duration for it (1–1440); null: the service's.
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i64>,
    /// Their own price for it, in the currency's units; null: the service's.
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub price: Option<f64>,
}

/// A staff member as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffItem {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `#rrggbb`, their colour in the calendar.
    pub color: String,
    /// Left or on leave: not offered for new bookings; their history stays.
    pub hidden: bool,
    /// Their own Telegram chat, for notices about their bookings.
    pub telegram_chat_id: Option<i64>,
    /// The services they perform.
    pub service_ids: Vec<i64>,
    pub services: Vec<StaffServiceItem>,
}

impl From<StaffMember> for StaffItem {
    fn from(m: StaffMember) -> Self {
        Self {
            id: m.id.0,
            name: m.name.as_str().to_owned(),
            description: m.description,
            color: m.color.as_str().to_owned(),
            hidden: m.hidden,
            telegram_chat_id: m.telegram_chat_id,
            service_ids: m.services.iter().map(|s| s.service_id.0).collect(),
            services: m
                .services
                .iter()
                .map(|s| StaffServiceItem {
                    service_id: s.service_id.0,
                    duration_minutes: s.duration.map(|d| i64::from(d.minutes())),
                    price: s.price.map(Price::units),
                })
                .collect(),
        }
    }
}

answers!(StaffCreated, StaffUpdated, staff: StaffItem);

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub staff: Vec<StaffItem>,
}

/// Create or replace a staff member. On a change, fields left out keep their values.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StaffBody {
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// `#RRGGBB`; left out on create: the next colour of the palette.
    #[schema(pattern = "^#[0-9a-fA-F]{6}$", example = "#2563eb")]
    pub color: Option<String>,
    pub hidden: Option<bool>,
    /// Their Telegram chat id; null removes it.
    #[serde(default, deserialize_with = "present")]
    pub telegram_chat_id: Option<Option<i64>>,
    /// The services they perform (replaces the list); left out: unchanged (none on create).
    pub services: Option<Vec<StaffServiceItem>>,
}

/// Tells a field that is present and null (`Some(None)`) from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

impl StaffBody {
    fn into_draft(self, current: Option<&StaffMember>, palette_index: usize) -> ApiResult<StaffDraft> {
        let services = match self.services {
            Some(items) => {
                let services = items
                    .into_iter()
                    .map(|s| {
                        Ok(StaffService {
                            service_id: ServiceId(s.service_id),
                            duration: s.duration_minutes.map(Duration::from_minutes).transpose()?,
                            price: s.price.map(Price::from_units).transpose()?,
                        })
                    })
                    .collect::<ApiResult<Vec<_>>>()?;
                StaffDraft::check_services(&services)?;
                services
            }
            None => current.map(|c| c.services.clone()).unwrap_or_default(),
        };
        Ok(StaffDraft {
            name: StaffName::parse(&self.name)?,
            description: match self.description {
                Some(text) => parse_description(&text)?,
                None => current.map(|c| c.description.clone()).unwrap_or_default(),
            },
            color: match (self.color, current) {
                (Some(color), _) => Color::parse(&color)?,
                (None, Some(current)) => current.color.clone(),
                (None, None) => Color::nth(palette_index),
            },
            hidden: self.hidden.or(current.map(|c| c.hidden)).unwrap_or(false),
            telegram_chat_id: match self.telegram_chat_id {
                Some(chat) => chat,
                None => current.and_then(|c| c.telegram_chat_id),
            },
            services,
        })
    }
}

/// Every staff member, hidden ones included, by name.
#[utoipa::path(get, path = "/staff", tag = "staff", responses((status = 200, body = StaffList)))]
pub async fn list(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<StaffList>> {
    let staff = state.store().staff().await?;
    Ok(axum::Json(StaffList { staff: staff.into_iter().map(StaffItem::from).collect() }))
}

#[utoipa::path(get, path = "/staff/{id}", params(Id), tag = "staff", responses((status = 200, body = StaffItem)))]
pub async fn get(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<StaffItem>> {
    Ok(axum::Json(state.store().staff_member(StaffId(id)).await?.into()))
}

#[utoipa::path(post, path = "/staff", tag = "staff", request_body = StaffBody,
    responses((status = 201, body = StaffCreated)))]
pub async fn create(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<StaffBody>,
) -> ApiResult<Created<StaffCreated>> {
    let count = state.store().staff().await?.len();
    let member = state.store().create_staff(&body.into_draft(None, count)?).await?;
    created(StaffCreated { message: "Staff member added".into(), id: member.id.0, staff: member.into() })
}

#[utoipa::path(put, path = "/staff/{id}", params(Id), tag = "staff", request_body = StaffBody,
    responses((status = 200, body = StaffUpdated)))]
pub async fn update(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<StaffBody>,
) -> ApiResult<axum::Json<StaffUpdated>> {
    let id = StaffId(id);
    let current = state.store().staff_member(id).await?;
    let member = state.store().update_staff(id, &body.into_draft(Some(&current), 0)?).await?;
    Ok(axum::Json(StaffUpdated { message: "Staff member updated".into(), staff: member.into() }))
}

/// Deletes a staff member. Refused (409) while they have upcoming bookings: hide them instead.
#[utoipa::path(delete, path = "/staff/{id}", params(Id), tag = "staff",
    responses((status = 200, body = Message), (status = 409, description = "`in_use`: they have upcoming bookings", body = ErrorBody)))]
pub async fn delete(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().delete_staff(StaffId(id), state.now()).await?;
    Ok(message("Staff member deleted"))
}

/// A working stretch of a day: `from`–`to`, local wall-clock time.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StretchItem {
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "10:00")]
    pub from: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "19:00")]
    pub to: String,
}

impl StretchItem {
    fn parse(&self) -> ApiResult<Stretch> {
        Ok(Stretch::new(parse_time(&self.from)?, parse_time(&self.to)?)?)
    }

    fn new(stretch: Stretch) -> Self {
        Self { from: format_time(stretch.from), to: format_time(stretch.to) }
    }
}

/// A weekday's working stretch.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WeeklyStretch {
    /// 1 (Monday) to 7 (Sunday).
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i64,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "10:00")]
    pub from: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "19:00")]
    pub to: String,
}

/// The weekly hours: one item per working stretch. Several on one weekday leave breaks between
/// them; a weekday without any is a day off; no items at all: no hours set (their slots decide).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WeeklyHoursBody {
    #[schema(max_items = 84)]
    pub hours: Vec<WeeklyStretch>,
}

fn weekly_items(hours: &WeeklyHours) -> Vec<WeeklyStretch> {
    hours
        .iter()
        .map(|(weekday, s)| WeeklyStretch {
            weekday: i64::from(weekday),
            from: format_time(s.from),
            to: format_time(s.to),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeeklyHoursUpdated {
    pub message: String,
    pub hours: Vec<WeeklyStretch>,
}

#[utoipa::path(get, path = "/staff/{id}/hours", params(Id), tag = "staff",
    responses((status = 200, body = WeeklyHoursBody)))]
pub async fn hours(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<WeeklyHoursBody>> {
    let schedule = state.store().schedule(StaffId(id)).await?;
    Ok(axum::Json(WeeklyHoursBody { hours: weekly_items(&schedule.weekly) }))
}

/// Replaces the weekly hours.
#[utoipa::path(put, path = "/staff/{id}/hours", params(Id), tag = "staff", request_body = WeeklyHoursBody,
    responses((status = 200, body = WeeklyHoursUpdated)))]
pub async fn set_hours(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<WeeklyHoursBody>,
) -> ApiResult<axum::Json<WeeklyHoursUpdated>> {
    if body.hours.len() > 84 {
        return Err(ApiError::Unprocessable("at most 84 working stretches a week".into()));
    }
    let stretches = body
        .hours
        .iter()
        .map(|h| Ok((h.weekday, StretchItem { from: h.from.clone(), to: h.to.clone() }.parse()?)))
        .collect::<ApiResult<Vec<_>>>()?;
    let weekly = WeeklyHours::new(stretches)?;
    state.store().set_weekly_hours(StaffId(id), &weekly).await?;
    Ok(axum::Json(WeeklyHoursUpdated { message: "Working hours saved".into(), hours: weekly_items(&weekly) }))
}

/// Dated hours that replace the weekly ones.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionItem {
    pub id: i64,
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    /// The hours on those days; empty: a day off (or a vacation, for a range).
    pub hours: Vec<StretchItem>,
    pub note: String,
}

impl From<HoursException> for ExceptionItem {
    fn from(e: HoursException) -> Self {
        Self {
            id: e.id,
            date_from: format_date(e.date_from),
            date_to: format_date(e.date_to),
            hours: e.stretches.into_iter().map(StretchItem::new).collect(),
            note: e.note,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionList {
    pub exceptions: Vec<ExceptionItem>,
}

answers!(ExceptionCreated, ExceptionUpdated, exception: ExceptionItem);

/// A day off, a vacation (a range) or other hours on some dates.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExceptionBody {
    #[schema(format = Date)]
    pub date_from: String,
    /// Left out: the same day as `date_from`. At most 366 days after it.
    #[schema(format = Date)]
    pub date_to: Option<String>,
    /// Left out or empty: not working.
    #[schema(max_items = 12)]
    pub hours: Option<Vec<StretchItem>>,
    /// Why (private to the business; sealed at rest). At most 1000 characters.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[utoipa::path(get, path = "/staff/{id}/exceptions", params(Id), tag = "staff",
    responses((status = 200, body = ExceptionList)))]
pub async fn exceptions(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<ExceptionList>> {
    let schedule = state.store().schedule(StaffId(id)).await?;
    let mut items: Vec<ExceptionItem> = schedule.exceptions.into_iter().map(ExceptionItem::from).collect();
    items.sort_by(|a, b| a.date_from.cmp(&b.date_from).then(a.id.cmp(&b.id)));
    Ok(axum::Json(ExceptionList { exceptions: items }))
}

#[utoipa::path(post, path = "/staff/{id}/exceptions", params(Id), tag = "staff", request_body = ExceptionBody,
    responses((status = 201, body = ExceptionCreated)))]
pub async fn add_exception(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<ExceptionBody>,
) -> ApiResult<Created<ExceptionCreated>> {
    let date_from = parse_date(&body.date_from)?;
    let date_to = body.date_to.as_deref().map(parse_date).transpose()?.unwrap_or(date_from);
    let stretches = body.hours.unwrap_or_default().iter().map(StretchItem::parse).collect::<ApiResult<Vec<_>>>()?;
    let draft = ExceptionDraft::new(date_from, date_to, stretches, body.note.as_deref().unwrap_or(""))?;
    let exception = state.store().add_exception(StaffId(id), &draft).await?;
    created(ExceptionCreated { message: "Exception added".into(), id: exception.id, exception: exception.into() })
}

/// `{id}` and `{exception_id}` in the path; anything but two numbers is a 404.
pub struct ExceptionPath {
    pub staff: i64,
    pub exception: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for ExceptionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((staff, exception)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::NotFound("not found".into()))?;
        match (staff.parse(), exception.parse()) {
            (Ok(staff), Ok(exception)) => Ok(Self { staff, exception }),
            _ => Err(ApiError::NotFound(format!("no record has the id '{staff}/{exception}'"))),
        }
    }
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // documents the path; ExceptionPath reads it
struct ExceptionPathParams {
    /// The staff member's id.
    id: i64,
    /// The exception's id.
    exception_id: i64,
}

#[utoipa::path(delete, path = "/staff/{id}/exceptions/{exception_id}", params(ExceptionPathParams), tag = "staff",
    responses((status = 200, body = Message)))]
pub async fn delete_exception(
    State(state): State<AppState>,
    _: Principal,
    path: ExceptionPath,
) -> ApiResult<axum::Json<Message>> {
    state.store().delete_exception(StaffId(path.staff), path.exception).await?;
    Ok(message("Exception deleted"))
}
