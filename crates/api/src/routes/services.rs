use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zapys_domain::service::parse_description;
use zapys_domain::{Buffers, Duration, Price, Service, ServiceDraft, ServiceId, ServiceName, StaffId, StaffMember};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Message, answers, created, message};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Json};
use crate::{AppState, Principal};

/// A service as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceItem {
    pub id: i64,
    pub service_name: String,
    /// The duration in hours, as the original API spoke it (may be fractional).
    pub duration_hours: f64,
    pub duration_minutes: u32,
    /// In the currency's units (e.g. UAH), or null.
    pub price: Option<f64>,
    pub description: String,
    /// Hidden services are not offered in the bot but keep their history.
    pub hidden: bool,
    /// Time the staff member needs before the visit (setting up); not part of the client's visit.
    pub buffer_before_minutes: u16,
    /// Time the staff member needs after the visit (cleaning); not part of the client's visit.
    pub buffer_after_minutes: u16,
    /// The staff members who perform it.
    pub staff_ids: Vec<i64>,
    // --- comeback ---
    /// Days after a completed visit at which the client is nudged in the bot to book it again; null: never.
    pub rebook_after_days: Option<u32>,
}

impl ServiceItem {
    fn new(s: Service, staff: &[StaffMember]) -> Self {
        Self {
            staff_ids: staff.iter().filter(|m| m.performs(s.id).is_some()).map(|m| m.id.0).collect(),
            buffer_before_minutes: s.buffers.before_minutes(),
            buffer_after_minutes: s.buffers.after_minutes(),
            id: s.id.0,
            service_name: s.name.as_str().to_owned(),
            duration_hours: s.duration.hours(),
            duration_minutes: s.duration.minutes(),
            price: s.price.map(Price::units),
            description: s.description,
            hidden: s.hidden,
            // --- comeback ---
            rebook_after_days: s.rebook_after_days,
        }
    }
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, update, delete))
}

answers!(ServiceCreated, ServiceUpdated, service: ServiceItem);

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    pub services: Vec<ServiceItem>,
}

/// Create or replace a service. Give the duration in minutes or, as the original API did, in hours.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ServiceBody {
    /// 1–100 characters (surrounding spaces are trimmed).
    #[schema(min_length = 1, max_length = 100)]
    pub service_name: String,
    /// 1 to 1440. Required on create unless `duration_hours` is given.
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i64>,
    /// Above 0, at most 24; used when `duration_minutes` is left out.
    #[schema(exclusive_minimum = 0, maximum = 24)]
    pub duration_hours: Option<f64>,
    /// In the currency's units, 0 or more (kopecks as decimals); left out: unchanged.
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub price: Option<f64>,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    pub hidden: Option<bool>,
    /// 0–240 minutes; left out: unchanged (0 on create).
    #[schema(minimum = 0, maximum = 240)]
    pub buffer_before_minutes: Option<i64>,
    /// 0–240 minutes; left out: unchanged (0 on create).
    #[schema(minimum = 0, maximum = 240)]
    pub buffer_after_minutes: Option<i64>,
    /// Who performs it (replaces the list); left out on create: every staff member.
    pub staff_ids: Option<Vec<i64>>,
    // --- comeback ---
    /// 1–730: nudge clients in the bot to book again this many days after a completed visit; null or 0:
    /// never; left out: unchanged (never on create).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 730)]
    pub rebook_after_days: Option<Option<i64>>,
}

/// A field that may be given as null (`Some(None)`) or left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(deserializer).map(Some)
}

impl ServiceBody {
    /// A draft from this body; fields it leaves out keep the values of `current`.
    fn to_draft(&self, current: Option<&Service>) -> ApiResult<ServiceDraft> {
        let duration = match (self.duration_minutes, self.duration_hours, current) {
            (Some(minutes), _, _) => Duration::from_minutes(minutes)?,
            (None, Some(hours), _) => Duration::from_hours(hours)?,
            (None, None, Some(current)) => current.duration,
            (None, None, None) => {
                return Err(ApiError::BadRequest("duration_minutes or duration_hours is required".into()));
            }
        };
        Ok(ServiceDraft {
            name: ServiceName::parse(&self.service_name)?,
            duration,
            price: match self.price {
                Some(units) => Some(Price::from_units(units)?),
                None => current.and_then(|c| c.price),
            },
            buffers: Buffers::from_minutes(
                self.buffer_before_minutes.unwrap_or_else(|| current.map_or(0, |c| c.buffers.before_minutes().into())),
                self.buffer_after_minutes.unwrap_or_else(|| current.map_or(0, |c| c.buffers.after_minutes().into())),
            )?,
            description: match &self.description {
                Some(text) => parse_description(text)?,
                None => current.map(|c| c.description.clone()).unwrap_or_default(),
            },
            hidden: self.hidden.or(current.map(|c| c.hidden)).unwrap_or(false),
            // --- comeback ---
            rebook_after_days: match self.rebook_after_days {
                None => current.and_then(|c| c.rebook_after_days),
                Some(None | Some(0)) => None,
                Some(Some(days)) => Some(zapys_domain::comeback::parse_rebook_after_days(days)?),
            },
        })
    }
}

/// Every service, hidden ones included, newest first.
#[utoipa::path(get, path = "/services", tag = "services", responses((status = 200, body = ServiceList)))]
pub async fn list(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<ServiceList>> {
    let services = state.store().services(true).await?;
    let staff = state.store().staff().await?;
    Ok(axum::Json(ServiceList { services: services.into_iter().map(|s| ServiceItem::new(s, &staff)).collect() }))
}

#[utoipa::path(get, path = "/services/{id}", params(Id), tag = "services", responses((status = 200, body = ServiceItem)))]
pub async fn get(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<ServiceItem>> {
    let service = state.store().service(ServiceId(id)).await?;
    Ok(axum::Json(ServiceItem::new(service, &state.store().staff().await?)))
}

#[utoipa::path(post, path = "/services", tag = "services", request_body = ServiceBody,
    responses((status = 201, body = ServiceCreated)))]
pub async fn create(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<ServiceBody>,
) -> ApiResult<Created<ServiceCreated>> {
    let draft = body.to_draft(None)?;
    let service = state.store().create_service(&draft).await?;
    set_staff(&state, service.id, body.staff_ids.as_deref()).await?;
    let item = ServiceItem::new(service, &state.store().staff().await?);
    created(ServiceCreated { message: "Service added".into(), id: item.id, service: item })
}

#[utoipa::path(put, path = "/services/{id}", params(Id), tag = "services", request_body = ServiceBody,
    responses((status = 200, body = ServiceUpdated)))]
pub async fn update(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<ServiceBody>,
) -> ApiResult<axum::Json<ServiceUpdated>> {
    let id = ServiceId(id);
    let current = state.store().service(id).await?;
    let service = state.store().update_service(id, &body.to_draft(Some(&current))?).await?;
    set_staff(&state, id, body.staff_ids.as_deref()).await?;
    let item = ServiceItem::new(service, &state.store().staff().await?);
    Ok(axum::Json(ServiceUpdated { message: "Service updated".into(), service: item }))
}

/// Sets who performs a service when the request says.
async fn set_staff(state: &AppState, service: ServiceId, staff_ids: Option<&[i64]>) -> ApiResult<()> {
    if let Some(ids) = staff_ids {
        let ids: Vec<StaffId> = ids.iter().copied().map(StaffId).collect();
        state.store().set_service_staff(service, &ids).await?;
    }
    Ok(())
}

/// Deletes a service. Refused (409) while it has upcoming bookings; past bookings keep its name.
#[utoipa::path(delete, path = "/services/{id}", params(Id), tag = "services",
    responses((status = 200, body = Message), (status = 409, description = "`in_use`: it has upcoming bookings", body = ErrorBody)))]
pub async fn delete(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().delete_service(ServiceId(id), state.now()).await?;
    Ok(message("Service deleted"))
}
