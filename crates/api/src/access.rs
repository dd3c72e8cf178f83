//! Which credentials each route accepts. Routes declare it once, in their
//! OpenAPI annotation (`security(...)`); what they leave out follows from the
//! method (reads need a `read` token, writes an `admin` one). The document is
//! then the single source: integrators read it, and [`allow_token`] enforces it.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::MatchedPath;
use axum::http::Method;
use axum::http::request::Parts;
use serde_json::Value;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;
use zapys_store::TokenScope;

use crate::error::ApiError;

/// What a route lets in besides an admin session (which every authenticated route accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credentials needed.
    Public,
    /// An admin session only; no API token.
    SessionOnly,
    /// An admin session, or an API token with at least this scope.
    Token(TokenScope),
}

/// Gives every operation without its own `security` the default for its method.
pub(crate) fn apply_default(operation: &mut Operation, method: &Method) {
    if operation.security.is_some() {
        return;
    }
    let scope = if method == Method::GET || method == Method::HEAD { TokenScope::Read } else { TokenScope::Admin };
    operation.security = Some(vec![
        SecurityRequirement::new("bearer", [scope.name()]),
        SecurityRequirement::new("session", Vec::<String>::new()),
    ]);
}

/// What an operation's `security` declares.
pub(crate) fn of(operation: &Operation) -> Access {
    let requirements: Vec<Value> =
        operation.security.iter().flatten().map(|r| serde_json::to_value(r).unwrap_or(Value::Null)).collect();
    if requirements.iter().any(|r| r.as_object().is_some_and(serde_json::Map::is_empty)) {
        return Access::Public;
    }
    let scopes = requirements.iter().filter_map(|r| r.get("bearer")).filter_map(Value::as_array).flatten();
    scopes.filter_map(|s| s.as_str().and_then(TokenScope::from_name)).min().map_or(Access::SessionOnly, Access::Token)
}

/// Every route's access, by method and path template (`/api/services/{id}`).
static ROUTES: LazyLock<HashMap<(Method, String), Access>> = LazyLock::new(|| {
    let doc = crate::openapi::document();
    let mut routes = HashMap::new();
    for (path, item) in &doc.paths.paths {
        let operations = [
            (Method::GET, &item.get),
            (Method::PUT, &item.put),
            (Method::POST, &item.post),
            (Method::DELETE, &item.delete),
            (Method::PATCH, &item.patch),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                routes.insert((method, path.clone()), of(operation));
            }
        }
    }
    routes
});

/// Lets an API token with `scope` through to the route being served, or says why not.
/// A route the document does not know lets no token in (fail closed).
pub(crate) fn allow_token(parts: &Parts, scope: TokenScope) -> Result<(), ApiError> {
    let path = parts.extensions.get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or_default();
    let path = if path.starts_with("/api/") { path.to_owned() } else { format!("/api{path}") };
    match ROUTES.get(&(parts.method.clone(), path)).copied() {
        Some(Access::Public) => Ok(()),
        Some(Access::Token(needed)) if scope >= needed => Ok(()),
        Some(Access::Token(needed)) => Err(ApiError::InsufficientScope(format!(
            "this API token's scope is '{}'; this route needs '{}'",
            scope.name(),
            needed.name()
        ))),
        Some(Access::SessionOnly) | None => {
            Err(ApiError::InsufficientScope("this route is for an admin session in the panel, not API tokens".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(method: Method, path: &str) -> Access {
        ROUTES.get(&(method.clone(), path.to_owned())).copied().unwrap_or_else(|| panic!("{method} {path} is known"))
    }

    #[test]
    fn reads_need_read_writes_need_admin_unless_a_route_says_otherwise() {
        assert_eq!(access(Method::GET, "/api/services"), Access::Token(TokenScope::Read));
        assert_eq!(access(Method::POST, "/api/services"), Access::Token(TokenScope::Admin));
        assert_eq!(access(Method::POST, "/api/appointments"), Access::Token(TokenScope::Book));
        assert_eq!(access(Method::POST, "/api/appointments/{id}/cancel"), Access::Token(TokenScope::Book));
        assert_eq!(access(Method::POST, "/api/appointments/{id}/complete"), Access::Token(TokenScope::Admin));
        assert_eq!(access(Method::GET, "/api/tokens"), Access::SessionOnly);
        assert_eq!(access(Method::POST, "/api/simulator/send"), Access::SessionOnly);
        assert_eq!(access(Method::GET, "/api/webhooks"), Access::Token(TokenScope::Admin));
        assert_eq!(access(Method::POST, "/api/auth/login"), Access::Public);
    }
}
