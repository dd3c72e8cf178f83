//! Clients (the original "users").

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{Client, ClientId, Language, PersonName, PhoneNumber, TelegramId};
use zapys_store::{AppointmentQuery, ClientQuery};

use super::appointments::{AppointmentItem, AppointmentList};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Message, answers, created, message, newest_first, paging};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Json, Query};
use crate::{AppState, Principal};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserItem {
    pub id: i64,
    pub telegram_id: Option<i64>,
    pub name: String,
    /// International form, e.g. `+380671234567`.
    pub phone: String,
    /// `uk` or `en`: the language the bot speaks to this client.
    pub language: String,
    /// When the client was added (RFC 3339, UTC).
    pub created_at: String,
}

impl UserItem {
    fn new(client: Client) -> ApiResult<Self> {
        // Erased clients are gone for the API; only their anonymised history remains.
        let contact = client.contact.ok_or_else(|| ApiError::NotFound(format!("user {} not found", client.id)))?;
        Ok(Self {
            id: client.id.0,
            telegram_id: client.telegram_id.map(|t| t.0),
            name: contact.name.as_str().to_owned(),
            phone: contact.phone.as_str().to_owned(),
            language: client.language.code().to_owned(),
            created_at: client.created_at.to_string(),
        })
    }
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(appointments))
}

answers!(UserCreated, UserUpdated, user: UserItem);

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserItem>,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UserListQuery {
    /// Part of a name or phone number.
    pub q: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserBody {
    /// The client's Telegram user id, when known; positive.
    #[schema(minimum = 1)]
    pub telegram_id: Option<i64>,
    /// 1–100 characters (surrounding spaces are trimmed).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// A phone number: international (`+380671234567`) or Ukrainian national (`067 123 45 67`);
    /// digits with spaces, dashes, dots or brackets.
    #[schema(pattern = "^\\+?[0-9 ().-]{8,30}$", example = "+380671234567")]
    pub phone: String,
    /// `uk` (default) or `en`.
    #[schema(pattern = "^(uk|en)$")]
    pub language: Option<String>,
}

impl UserBody {
    fn into_draft(self, current: Option<&Client>) -> ApiResult<ClientDraft> {
        Ok(ClientDraft {
            telegram_id: self.telegram_id.map(TelegramId::parse).transpose()?,
            contact: ContactDetails { name: PersonName::parse(&self.name)?, phone: PhoneNumber::parse(&self.phone)? },
            language: match self.language {
                Some(code) => Language::parse(&code)?,
                None => current.map(|c| c.language).unwrap_or_default(),
            },
        })
    }
}

/// Clients, newest first; `q` searches names and phone numbers.
#[utoipa::path(get, path = "/users", tag = "users", params(UserListQuery), responses((status = 200, body = UserList)))]
pub async fn list(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<UserListQuery>,
) -> ApiResult<axum::Json<UserList>> {
    let paging = paging(query.limit.as_deref(), query.offset.as_deref())?;
    let page = state.store().clients(&ClientQuery { search: query.q, paging }).await?;
    let users = page.items.into_iter().map(UserItem::new).collect::<ApiResult<_>>()?;
    Ok(axum::Json(UserList { users, total: page.total }))
}

#[utoipa::path(get, path = "/users/{id}", params(Id), tag = "users", responses((status = 200, body = UserItem)))]
pub async fn get(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<UserItem>> {
    Ok(axum::Json(UserItem::new(state.store().client(ClientId(id)).await?)?))
}

#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = ["book"]), ("session" = [])), request_body = UserBody,
    responses((status = 201, body = UserCreated), (status = 409, description = "`duplicate`: another client has this telegram_id", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<UserBody>,
) -> ApiResult<Created<UserCreated>> {
    let client = state.store().create_client(&body.into_draft(None)?).await?;
    created(UserCreated { message: "User added".into(), id: client.id.0, user: UserItem::new(client)? })
}

#[utoipa::path(put, path = "/users/{id}", params(Id), tag = "users", security(("bearer" = ["book"]), ("session" = [])), request_body = UserBody,
    responses((status = 200, body = UserUpdated), (status = 409, description = "`duplicate`: another client has this telegram_id", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<UserBody>,
) -> ApiResult<axum::Json<UserUpdated>> {
    let current = state.store().client(ClientId(id)).await?;
    UserItem::new(current.clone())?;
    let client = state.store().update_client(ClientId(id), &body.into_draft(Some(&current))?).await?;
    Ok(axum::Json(UserUpdated { message: "User updated".into(), user: UserItem::new(client)? }))
}

/// Erases a client's personal data and cancels their upcoming bookings; their history stays, anonymised.
#[utoipa::path(delete, path = "/users/{id}", params(Id), tag = "users", responses((status = 200, body = Message)))]
pub async fn delete(State(state): State<AppState>, principal: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().erase_client(ClientId(id), principal.actor(), state.now()).await?;
    Ok(message("User deleted; their upcoming bookings were cancelled"))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// `desc` (default, newest first) or `asc`.
    #[param(value_type = Option<String>, pattern = "^(asc|desc)$")]
    pub order: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
}

/// A client's bookings, cancelled ones included, newest first.
#[utoipa::path(get, path = "/users/{id}/appointments", tag = "users", params(Id, HistoryQuery),
    responses((status = 200, body = AppointmentList)))]
pub async fn appointments(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<axum::Json<AppointmentList>> {
    UserItem::new(state.store().client(ClientId(id)).await?)?;
    let query = AppointmentQuery {
        client_id: Some(ClientId(id)),
        newest_first: newest_first(query.order.as_deref())?,
        paging: paging(query.limit.as_deref(), query.offset.as_deref())?,
        ..Default::default()
    };
    let page = state.store().appointments(&query).await?;
    let tz = state.store().settings().timezone;
    let items = page.items.iter().map(|v| AppointmentItem::new(&tz, v)).collect();
    Ok(axum::Json(AppointmentList { appointments: items, total: page.total }))
}
