//! The OpenAPI document, generated from the handlers' annotations, and a
//! small self-contained page that renders it (no CDN, works offline).

use axum::http::header;
use axum::response::{Html, IntoResponse};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::routes::{
    analytics, appointments, calendar, events, export, notifications, services, session, settings, simulator, slots,
    tokens, users, webhooks,
};

/// Every error answer: `{"error": "..."}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zapys API",
        description = "Appointments for small businesses. Routes and field names follow the original system's API. \
            Authenticate with an admin session cookie (POST /api/auth/login) or `Authorization: Bearer <token>` \
            (create one with `zapys token create NAME`). Errors are `{\"error\": \"...\"}`."
    ),
    paths(
        session::login, session::logout, session::me,
        services::list, services::get, services::create, services::update, services::delete,
        slots::list, slots::get, slots::create, slots::update, slots::delete, slots::generate,
        users::list, users::get, users::create, users::update, users::delete, users::appointments,
        appointments::list, appointments::get, appointments::create, appointments::update,
        appointments::confirm, appointments::complete, appointments::no_show, appointments::cancel,
        appointments::delete, appointments::history,
        settings::get, settings::update,
        tokens::list, tokens::create, tokens::delete,
        events::stream,
        simulator::send,
        notifications::list, notifications::retry,
        analytics::report,
        export::appointments, export::users, export::import_users,
        calendar::state, calendar::create, calendar::revoke,
        webhooks::list, webhooks::create, webhooks::delete,
    ),
    components(schemas(ErrorBody, crate::routes::Message)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

/// The OpenAPI 3 document as JSON.
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|e| format!(r#"{{"error": "{e}"}}"#))
}

/// The OpenAPI document. Public: it describes the API, it holds no data.
pub async fn json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json())
}

/// A readable page of the API, rendered in the browser from the document.
pub async fn docs() -> impl IntoResponse {
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        )],
        Html(include_str!("docs.html")),
    )
}
