//! The admin panel, built by `cargo xtask` into `web/dist` and embedded in the
//! binary. Hashed assets are cached for a year; `index.html` never is, so a
//! new release shows at the next load. Without a build, a placeholder page
//! says how to make one.

use axum::body::Body;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

const CSP: &str = "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; \
    script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const PLACEHOLDER: &str = "<!doctype html><html lang=\"uk\"><meta charset=\"utf-8\"><title>Zapys</title>\
    <body style=\"font-family:system-ui;max-width:40rem;margin:3rem auto\"><h1>Zapys</h1>\
    <p>The API is running: see <a href=\"/api/docs\">/api/docs</a>.</p>\
    <p>The admin panel was not built into this binary. Build it with <code>cargo xtask run</code> \
    (needs Node.js and npm).</p></body></html>";

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(asset) = Assets::get(path).filter(|_| !path.is_empty()) {
        let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return (
            [(header::CONTENT_TYPE, asset.metadata.mimetype().to_owned()), (header::CACHE_CONTROL, cache.to_owned())],
            Body::from(asset.data.into_owned()),
        )
            .into_response();
    }
    // A missing file is a 404; any other path is a page of the single-page app.
    let looks_like_file = path.rsplit('/').next().is_some_and(|last| last.contains('.'));
    if looks_like_file {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let index = Assets::get("index.html").map_or_else(|| PLACEHOLDER.as_bytes().to_vec(), |f| f.data.into_owned());
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        Body::from(index),
    )
        .into_response()
}
