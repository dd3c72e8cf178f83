//! The OpenAPI document, generated from the handlers' annotations, and a
//! small self-contained page that renders it (no CDN, works offline).

use std::sync::LazyLock;

use axum::http::{Method, header};
use axum::response::{Html, IntoResponse};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorCode};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zapys API",
        description = "Appointments for small businesses. Routes and field names follow the original system's API. \
            Authenticate with an admin session cookie (POST /api/auth/login) or `Authorization: Bearer <token>` \
            (create one with `zapys token create NAME`). Errors are `{\"error\": \"...\", \"code\": \"...\"}`: \
            `error` is for people, `code` (see `ErrorCode`) for programs."
    ),
    components(schemas(ErrorBody, ErrorCode, crate::routes::Message)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some(
            "An API token (`zapys token create NAME --scope S`, or the panel). Each operation lists the scope it \
             needs: `read` < `book` (act for clients: add them, book, move, confirm, cancel) < `admin`; an \
             operation that lists only `session` takes no token."
                .into(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

/// The error answers that follow from how a route is declared rather than from
/// what it does, added to every operation they apply to so that each handler's
/// annotation lists only its own (404 for a missing record, 409, ...):
/// - authenticated routes: 401 without credentials, 403 for a cross-site write
///   or a token without the scope;
/// - a JSON body: 400 malformed, 413 too large, 415 not JSON, 422 invalid value;
/// - query parameters: 400 malformed, 422 invalid value;
/// - an `{id}` in the path: 404.
///
/// It also gives each operation without its own `security` the default token
/// scope for its method (see `access.rs`) and makes operation ids unique.
struct SharedErrors;

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let secured_by_default = openapi.security.as_ref().is_some_and(|s| !s.is_empty());
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                (Method::GET, &mut item.get),
                (Method::PUT, &mut item.put),
                (Method::POST, &mut item.post),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                crate::access::apply_default(operation, &method);
                add_shared_errors(operation, secured_by_default);
                qualify_operation_id(operation);
            }
        }
    }
}

fn add_shared_errors(operation: &mut Operation, secured_by_default: bool) {
    let public = crate::access::of(operation) == crate::access::Access::Public;
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has_path_id = parameters.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let has_query = parameters.iter().any(|p| p.parameter_in == ParameterIn::Query);
    let has_body = operation.request_body.is_some();
    let mut add = |status: &str, text: &str| {
        operation.responses.responses.entry(status.to_owned()).or_insert_with(|| error_response(text));
    };
    if secured_by_default && !public {
        add("401", "Not authenticated: log in, or send `Authorization: Bearer <token>`.");
        add("403", "Refused: a write from another site, or an API token without the scope for this route.");
    }
    if has_body {
        add("400", "Malformed: the body is not JSON, or a required field is missing.");
        add("413", "The body is too large.");
        add("415", "The body is not sent as `application/json`.");
        add("422", "A value is invalid.");
    }
    if has_query {
        add("400", "The query string is malformed.");
        add("422", "A query parameter is invalid.");
    }
    if has_path_id {
        add("404", "No record has this id.");
    }
}

/// Handlers are named for what they do within their resource (`list`, `get`);
/// the document needs ids unique across resources: `services_list`.
fn qualify_operation_id(operation: &mut Operation) {
    if let (Some(id), Some(tag)) = (operation.operation_id.as_mut(), operation.tags.as_ref().and_then(|t| t.first())) {
        *id = format!("{tag}_{id}");
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("ErrorBody")))),
            )
            .build(),
    )
}

/// The whole document: the base above plus every route's own declaration,
/// then the shared error answers.
pub(crate) fn document() -> utoipa::openapi::OpenApi {
    let (_, routes) = utoipa_axum::router::OpenApiRouter::new().nest("/api", crate::routes::router()).split_for_parts();
    let mut doc = ApiDoc::openapi();
    doc.merge(routes);
    SharedErrors.modify(&mut doc);
    doc
}

static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| document().to_pretty_json().unwrap_or_else(|e| format!(r#"{{"error": "{e}"}}"#)));

/// The OpenAPI 3 document as JSON (built once).
pub fn openapi_json() -> String {
    DOCUMENT.clone()
}

/// The OpenAPI document. Public: it describes the API, it holds no data.
pub async fn json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
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

#[cfg(test)]
mod tests {
    /// Integrators and the panel's generated types read the committed copy.
    #[test]
    fn the_committed_document_is_the_one_the_code_declares() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed.trim_end() == super::openapi_json().trim_end(),
            "docs/openapi.json differs from the routes' declarations: run `cargo xtask openapi` and commit the result"
        );
    }

    /// A `$ref` to a schema nobody registered (a `ToSchema` type used only inside `IntoParams`)
    /// makes the document invalid: generators and validators stop at it.
    #[test]
    fn every_reference_in_the_document_resolves() {
        fn refs<'a>(value: &'a serde_json::Value, found: &mut Vec<&'a str>) {
            match value {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                        found.push(target);
                    }
                    map.values().for_each(|v| refs(v, found));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
                _ => {}
            }
        }
        let document: serde_json::Value = serde_json::from_str(&super::openapi_json()).expect("JSON");
        let mut found = Vec::new();
        refs(&document, &mut found);
        assert!(!found.is_empty());
        for target in found {
            let pointer = target.strip_prefix('#').unwrap_or_else(|| panic!("{target} is not local"));
            assert!(document.pointer(pointer).is_some(), "{target} points at nothing");
        }
    }

    /// Generators name functions after operation ids, so two alike make the document unusable.
    #[test]
    fn operation_ids_are_unique() {
        let document: serde_json::Value = serde_json::from_str(&super::openapi_json()).expect("JSON");
        let mut seen = std::collections::HashSet::new();
        for item in document["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().expect("a path item").values() {
                if let Some(id) = operation["operationId"].as_str() {
                    assert!(seen.insert(id.to_owned()), "operationId {id} is declared twice");
                }
            }
        }
        assert!(seen.len() > 50);
    }
}
