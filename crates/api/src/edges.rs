//! Middleware at the edge of the HTTP surface: request deadlines, HSTS, and the
//! refusal of cross-site writes.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::client::client_of;
use crate::error::ApiError;

/// The one route that legitimately takes long: a CSV import of many clients.
pub const IMPORT_PATH: &str = "/api/users/import";

/// A request that is not answered in time (a body trickled in a byte at a time, a stuck
/// handler) is answered 408 and its connection freed. Streams (server-sent events) are not
/// cut: the deadline covers producing the response head, not the body that follows.
pub(crate) async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let config = state.config();
    let limit = if request.uri().path() == IMPORT_PATH { config.import_timeout } else { config.request_timeout };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let mut response = ApiError::RequestTimeout { seconds: limit.as_secs().max(1) }.into_response();
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// Over HTTPS, tell the browser to use nothing else for a year (HSTS).
pub(crate) async fn strict_transport(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let https = client_of(&parts, &state).https;
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if https {
        response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// A browser sends `Sec-Fetch-Site` and `Origin`; a write that another site
/// triggers (CSRF) is refused before it reaches a handler. Machines with
/// tokens send neither and pass.
///
/// The origin must be `ZAPYS_PUBLIC_URL` when it is set; otherwise its host must be the
/// request's `Host` (so a proxy must pass `Host` through unchanged).
pub(crate) async fn refuse_cross_site_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if matches!(fetch_site, Some("cross-site" | "same-site")) {
            return ApiError::Forbidden("cross-site requests are not allowed").into_response();
        }
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let allowed = match &state.config().public_origin {
                Some(public) => origin.eq_ignore_ascii_case(public),
                None => {
                    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
                    Some(origin_host) == host
                }
            };
            if !allowed {
                return ApiError::Forbidden("cross-origin requests are not allowed").into_response();
            }
        }
    }
    next.run(request).await
}

/// The origin (`scheme://host[:port]`) of a public URL, as a browser writes it in `Origin`.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    // Browsers leave out the default port.
    let authority = match (scheme.as_str(), authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host.to_owned(),
        _ => authority,
    };
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn public_urls_become_origins_as_browsers_send_them() {
        assert_eq!(origin_of("https://Book.Example.com/").as_deref(), Some("https://book.example.com"));
        assert_eq!(origin_of("https://book.example.com:443/panel").as_deref(), Some("https://book.example.com"));
        assert_eq!(origin_of("http://127.0.0.1:8080").as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(origin_of("https://[::1]:8443").as_deref(), Some("https://[::1]:8443"));
        assert_eq!(origin_of("ftp://example.com"), None);
        assert_eq!(origin_of("book.example.com"), None);
    }
}
