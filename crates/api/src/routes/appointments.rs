//! Appointments: booking, moving, and the status lifecycle.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use zapys_domain::service::parse_description;
use zapys_domain::time::parse_local;
use zapys_domain::{
    AppointmentId, BusinessTime, ClientId, Price, ServiceId, SlotId, StaffId, Status, TelegramId, Transition,
};
use zapys_store::{AppointmentQuery, AppointmentView, BookAt, BookingRequest, Reschedule, StatusFilter, Target};

use super::{Created, answers, created, date_range, int_param, local_parts, newest_first, paging};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Json, Query};
use crate::{AppState, Principal};

/// An appointment, with the fields the original API and FullCalendar read.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentItem {
    pub id: i64,
    /// The client's internal id.
    pub user_id: i64,
    pub service_id: i64,
    /// The slot it was booked at (null once that slot was deleted).
    pub date_id: Option<i64>,
    /// The client's name (`—` once the client's data was erased).
    pub title: String,
    pub phone: String,
    /// The service's name.
    pub service: String,
    /// Who performs it.
    pub staff_id: i64,
    /// The staff member's name.
    pub staff: String,
    /// `YYYY-MM-DDTHH:MM:SS`, local.
    pub start: String,
    /// `YYYY-MM-DDTHH:MM:SS`, local: start + the service's duration.
    pub end: String,
    /// 0 pending, 1 confirmed (as in the original), 2 completed, 3 cancelled, 4 no-show.
    pub status: i64,
    /// `pending`, `confirmed`, `completed`, `cancelled` or `no_show`.
    pub status_name: String,
    pub notes: String,
    /// `bot`, `admin` or `api`.
    pub source: String,
    pub cancel_reason: Option<String>,
    /// `client`, `admin` or `system`.
    pub cancelled_by: Option<String>,
    pub telegram_id: Option<i64>,
    /// The price when booked, in the currency's units.
    pub price: Option<f64>,
    /// When it was booked (RFC 3339, UTC).
    pub created_at: String,
}

impl AppointmentItem {
    pub fn new(tz: &BusinessTime, view: &AppointmentView) -> Self {
        let a = &view.appointment;
        Self {
            id: a.id.0,
            user_id: a.client_id.0,
            service_id: a.service_id.0,
            date_id: a.slot_id.map(|s| s.0),
            title: view.client.as_ref().map_or_else(|| "—".to_owned(), |c| c.name.as_str().to_owned()),
            phone: view.client.as_ref().map(|c| c.phone.as_str().to_owned()).unwrap_or_default(),
            service: view.service_name.clone(),
            staff_id: a.staff_id.0,
            staff: view.staff_name.clone(),
            start: local_parts(tz, a.starts_at).iso,
            end: local_parts(tz, a.ends_at).iso,
            status: a.status.code(),
            status_name: a.status.name().to_owned(),
            notes: a.notes.clone(),
            source: a.source.name().to_owned(),
            cancel_reason: a.cancellation.as_ref().and_then(|c| c.reason.clone()),
            cancelled_by: a.cancellation.as_ref().map(|c| c.by.name().to_owned()),
            telegram_id: view.telegram_id.map(|t| t.0),
            price: view.price.map(Price::units),
            created_at: a.created_at.to_string(),
        }
    }
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, confirm_legacy, delete))
        .routes(routes!(confirm))
        .routes(routes!(complete))
        .routes(routes!(no_show))
        .routes(routes!(cancel))
        .routes(routes!(history))
}

answers!(AppointmentCreated, AppointmentUpdated, appointment: AppointmentItem);

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentList {
    pub appointments: Vec<AppointmentItem>,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AppointmentListQuery {
    /// The client's **Telegram** id (as in the original API). Without `status`, only their active
    /// (pending or confirmed) bookings, as the original bot's "my bookings" showed.
    #[param(value_type = Option<i64>)]
    pub user_id: Option<String>,
    /// The client's internal id.
    #[param(value_type = Option<i64>)]
    pub client_id: Option<String>,
    /// First local date (`YYYY-MM-DD`), inclusive.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last local date (`YYYY-MM-DD`), inclusive; not before `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// A status name or code (0 pending … 4 no-show); `active` for pending or confirmed, `all` for every status.
    #[param(value_type = Option<String>, pattern = "^(pending|confirmed|completed|cancelled|no_show|active|all|[0-4])$")]
    pub status: Option<String>,
    #[param(value_type = Option<i64>)]
    pub service_id: Option<String>,
    /// Only this staff member's bookings.
    #[param(value_type = Option<i64>)]
    pub staff_id: Option<String>,
    /// Part of the client's name or phone number.
    pub q: Option<String>,
    /// `desc` (default, newest first) or `asc`.
    #[param(value_type = Option<String>, pattern = "^(asc|desc)$")]
    pub order: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
}

impl AppointmentListQuery {
    /// The store's query for these parameters; the table, the CSV export and the API share it.
    pub(crate) fn parse(self, tz: &BusinessTime) -> ApiResult<AppointmentQuery> {
        let (from, to) = date_range(tz, self.from.as_deref(), self.to.as_deref())?;
        let telegram_id = int_param("user_id", self.user_id.as_deref())?.map(TelegramId);
        let status = match parse_status(self.status.as_deref())? {
            // The original API deleted cancelled bookings, so its bot's "my bookings"
            // (`?user_id=<telegram id>`) saw only those still standing.
            None if telegram_id.is_some() => StatusFilter::Active,
            None => StatusFilter::Any,
            Some(filter) => filter,
        };
        Ok(AppointmentQuery {
            from,
            to,
            status,
            service_id: int_param("service_id", self.service_id.as_deref())?.map(ServiceId),
            staff_id: int_param("staff_id", self.staff_id.as_deref())?.map(StaffId),
            client_id: int_param("client_id", self.client_id.as_deref())?.map(ClientId),
            telegram_id,
            search: self.q,
            newest_first: newest_first(self.order.as_deref())?,
            paging: paging(self.limit.as_deref(), self.offset.as_deref())?,
        })
    }
}

fn parse_status(value: Option<&str>) -> ApiResult<Option<StatusFilter>> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let status = match value {
        "all" => Some(StatusFilter::Any),
        "active" => Some(StatusFilter::Active),
        _ => match value.parse::<i64>() {
            Ok(code) => Status::from_code(code),
            Err(_) => Status::from_name(value),
        }
        .map(StatusFilter::Only),
    };
    status.map(Some).ok_or_else(|| {
        ApiError::Unprocessable(format!(
            "status must be one of pending, confirmed, completed, cancelled, no_show (or 0–4), active or all, \
             not '{value}'"
        ))
    })
}

/// Appointments, newest first, with optional filters and paging.
#[utoipa::path(get, path = "/appointments", tag = "appointments", params(AppointmentListQuery),
    responses((status = 200, body = AppointmentList)))]
pub async fn list(
    State(state): State<AppState>,
    _: Principal,
    Query(q): Query<AppointmentListQuery>,
) -> ApiResult<axum::Json<AppointmentList>> {
    let tz = state.store().settings().timezone;
    let page = state.store().appointments(&q.parse(&tz)?).await?;
    let items = page.items.iter().map(|v| AppointmentItem::new(&tz, v)).collect();
    Ok(axum::Json(AppointmentList { appointments: items, total: page.total }))
}

#[utoipa::path(get, path = "/appointments/{id}", params(Id), tag = "appointments",
    responses((status = 200, body = AppointmentItem)))]
pub async fn get(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<AppointmentItem>> {
    let view = state.store().appointment(AppointmentId(id)).await?;
    Ok(axum::Json(AppointmentItem::new(&state.store().settings().timezone, &view)))
}

fn parse_notes(notes: Option<&str>) -> ApiResult<Option<String>> {
    Ok(notes.map(parse_description).transpose()?)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AppointmentBody {
    /// The client's internal id.
    pub user_id: i64,
    pub service_id: i64,
    /// The slot (available date) to book; or give `start`.
    pub date_id: Option<i64>,
    /// The local start (`YYYY-MM-DDTHH:MM`), instead of `date_id`: a time the staff member offers
    /// (the business itself may book any free time).
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:00)?$", example = "2026-12-01T10:30")]
    pub start: Option<String>,
    /// Who performs it. Left out with `start`: the server assigns whoever performs the service and
    /// is free, spreading the load; with `date_id`: the slot's staff member.
    pub staff_id: Option<i64>,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

/// Books a service for a client at a slot. 409 when the time is taken; 422 when a rule forbids it.
///
/// With an admin session the business books for itself (no minimum notice or per-client limit);
/// with an API token the integration books on a client's behalf under the client rules.
#[utoipa::path(post, path = "/appointments", tag = "appointments", security(("bearer" = ["book"]), ("session" = [])), request_body = AppointmentBody,
    responses((status = 201, body = AppointmentCreated), (status = 409, description = "`time_taken`", body = ErrorBody),
        (status = 422, description = "`unknown_reference`, `staff_not_performing`, `rule_past`, `rule_min_notice`, `rule_client_limit`, `rule_service_hidden`, `rule_staff_hidden`, `rule_outside_hours`", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Json(body): Json<AppointmentBody>,
) -> ApiResult<Created<AppointmentCreated>> {
    let tz = state.store().settings().timezone;
    let at = match (body.date_id, body.start.as_deref()) {
        (Some(slot), None) => BookAt::Slot(SlotId(slot)),
        (None, Some(start)) => BookAt::Start(tz.resolve(parse_local(start)?)?.instant),
        (Some(_), Some(_)) => return Err(ApiError::Unprocessable("give date_id or start, not both".into())),
        (None, None) => return Err(ApiError::BadRequest("date_id or start is required".into())),
    };
    let request = BookingRequest {
        client_id: ClientId(body.user_id),
        service_id: ServiceId(body.service_id),
        at,
        staff_id: body.staff_id.map(StaffId),
        source: principal.source(),
        notes: parse_notes(body.notes.as_deref())?.unwrap_or_default(),
    };
    let view = state.store().book(&request, state.now()).await?;
    let appointment = AppointmentItem::new(&state.store().settings().timezone, &view);
    created(AppointmentCreated { message: "Appointment booked".into(), id: appointment.id, appointment })
}

/// Any of these may be given; what is left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppointmentChange {
    pub user_id: Option<i64>,
    pub service_id: Option<i64>,
    /// Move to this slot.
    pub date_id: Option<i64>,
    /// Give it to this staff member (who must perform its service); with `start`, at that time.
    pub staff_id: Option<i64>,
    /// Move to this local time (`YYYY-MM-DDTHH:MM`); admins only. A slot is added there if needed.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:00)?$", example = "2026-12-01T10:30")]
    pub start: Option<String>,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    /// What this one visit costs, in hryvnias (a discount or an extra at checkout; any status).
    /// The business's own: a panel session or an `admin`-scope token.
    #[schema(minimum = 0, maximum = 1000000)]
    pub price: Option<f64>,
}

/// Changes or moves a booking; the old time becomes free. The same rules as for a new booking apply.
#[utoipa::path(put, path = "/appointments/{id}", params(Id), tag = "appointments", security(("bearer" = ["book"]), ("session" = [])), request_body = AppointmentChange,
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`time_taken`, or `conflict`: a finished booking cannot change", body = ErrorBody),
        (status = 422, description = "`unknown_reference` or a booking rule", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
    Json(body): Json<AppointmentChange>,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    let tz = state.store().settings().timezone;
    let target = match (body.date_id, body.start.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(ApiError::Unprocessable("give date_id or start, not both".into()));
        }
        (Some(slot), None) => Some(Target::Slot(SlotId(slot))),
        (None, Some(start)) => {
            if principal.source() != zapys_domain::Source::Admin {
                return Err(ApiError::Forbidden("moving to an arbitrary time is for admins; give date_id instead"));
            }
            Some(Target::At(tz.resolve(parse_local(start)?)?.instant))
        }
        (None, None) => None,
    };
    let price = match body.price {
        None => None,
        Some(_) if !principal.is_business() => {
            return Err(ApiError::Forbidden(
                "a visit's price is set by the business (a panel session or an admin token)",
            ));
        }
        Some(units) => Some(zapys_domain::Price::from_units(units)?),
    };
    let change = Reschedule {
        target,
        staff_id: body.staff_id.map(StaffId),
        service_id: body.service_id.map(ServiceId),
        client_id: body.user_id.map(ClientId),
        notes: parse_notes(body.notes.as_deref())?,
        source: principal.source(),
        price,
    };
    let changes_more = change.target.is_some()
        || change.staff_id.is_some()
        || change.service_id.is_some()
        || change.client_id.is_some()
        || change.notes.is_some();
    let id = AppointmentId(id);
    // A price alone may change on any visit (a discount at checkout); with other changes it is set in
    // the same transaction, after the move or change of service that reprices the visit.
    let view = match change.price {
        Some(price) if !changes_more => {
            state.store().set_visit_price(id, Some(price), principal.actor(), state.now()).await?
        }
        _ => state.store().reschedule(id, &change, state.now()).await?,
    };
    Ok(axum::Json(AppointmentUpdated {
        message: "Appointment updated".into(),
        appointment: AppointmentItem::new(&tz, &view),
    }))
}

async fn apply(
    state: &AppState,
    principal: &Principal,
    id: i64,
    transition: Transition,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    let (view, changed) =
        state.store().transition(AppointmentId(id), &transition, principal.actor(), state.now()).await?;
    let status = view.appointment.status.name();
    let message = if changed { format!("Appointment {status}") } else { format!("Appointment was already {status}") };
    Ok(axum::Json(AppointmentUpdated {
        message,
        appointment: AppointmentItem::new(&state.store().settings().timezone, &view),
    }))
}

/// Confirms a pending booking (`POST /api/appointments/{id}` does the same, as in the original API).
#[utoipa::path(post, path = "/appointments/{id}/confirm", params(Id), tag = "appointments", security(("bearer" = ["book"]), ("session" = [])),
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`transition_not_allowed`", body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    apply(&state, &principal, id, Transition::Confirm).await
}

/// Confirms a pending booking: the original API's form of `POST /api/appointments/{id}/confirm`.
#[utoipa::path(post, path = "/appointments/{id}", params(Id), tag = "appointments", security(("bearer" = ["book"]), ("session" = [])), operation_id = "confirm_original",
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`transition_not_allowed`", body = ErrorBody)))]
pub async fn confirm_legacy(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    apply(&state, &principal, id, Transition::Confirm).await
}

/// Marks a booking completed, once it has begun.
#[utoipa::path(post, path = "/appointments/{id}/complete", params(Id), tag = "appointments",
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`not_started_yet` or `transition_not_allowed`", body = ErrorBody)))]
pub async fn complete(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    apply(&state, &principal, id, Transition::Complete).await
}

/// Marks that the client did not come, once the booking has begun.
#[utoipa::path(post, path = "/appointments/{id}/no_show", params(Id), tag = "appointments",
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`not_started_yet` or `transition_not_allowed`", body = ErrorBody)))]
pub async fn no_show(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    apply(&state, &principal, id, Transition::NoShow).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelBody {
    /// Told to the client; at most 500 characters.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Cancels a booking, with an optional reason. It stays in history; its time becomes free.
#[utoipa::path(post, path = "/appointments/{id}/cancel", params(Id), tag = "appointments", security(("bearer" = ["book"]), ("session" = [])), request_body(content = CancelBody, description = "optional"),
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`transition_not_allowed`", body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
    body: axum::body::Bytes,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    // The body is optional: an empty one cancels without a reason.
    let body: CancelBody = if body.iter().all(u8::is_ascii_whitespace) {
        CancelBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::Unprocessable(format!("invalid body: {e}")))?
    };
    let reason = body.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ApiError::Unprocessable("reason must be at most 500 characters".into()));
    }
    apply(&state, &principal, id, Transition::Cancel { reason }).await
}

/// Cancels a booking (the original API deleted it; Zapys keeps it in history as cancelled).
#[utoipa::path(delete, path = "/appointments/{id}", params(Id), tag = "appointments", security(("bearer" = ["book"]), ("session" = [])),
    responses((status = 200, body = AppointmentUpdated), (status = 409, description = "`transition_not_allowed`", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<AppointmentUpdated>> {
    apply(&state, &principal, id, Transition::Cancel { reason: None }).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// `booked`, `moved`, `edited`, `confirmed`, `completed`, `no_show`, `cancelled`.
    pub kind: String,
    /// `client`, `admin` or `system`.
    pub actor: String,
    pub detail: Option<String>,
}

/// Everything that happened to a booking, oldest first.
#[utoipa::path(get, path = "/appointments/{id}/history", params(Id), tag = "appointments",
    responses((status = 200, body = [HistoryEntry])))]
pub async fn history(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
) -> ApiResult<axum::Json<Vec<HistoryEntry>>> {
    let events = state.store().appointment_events(AppointmentId(id)).await?;
    Ok(axum::Json(
        events
            .into_iter()
            .map(|e| HistoryEntry {
                at: e.at.to_string(),
                kind: e.kind,
                actor: e.actor.name().to_owned(),
                detail: e.detail,
            })
            .collect(),
    ))
}
