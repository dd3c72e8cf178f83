//! One error type for every handler, answered as `{"error": "..."}` with the right status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zapys_domain::{BookingRefusal, InvalidValue};
use zapys_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request: bad JSON syntax, a missing field, a bad query string.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed but invalid: a bad date, a negative duration, an unknown id in the body.
    #[error("{0}")]
    Unprocessable(String),
    #[error("too many attempts; try again in {retry_after_seconds} seconds")]
    TooManyRequests { retry_after_seconds: u64 },
    /// Our fault. The details go to the log, not to the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<InvalidValue> for ApiError {
    fn from(value: InvalidValue) -> Self {
        Self::Unprocessable(value.0)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::NotFound(error.to_string()),
            StoreError::UnknownReference { .. } => Self::Unprocessable(error.to_string()),
            StoreError::Conflict(message) => Self::Conflict(message),
            StoreError::Refused(BookingRefusal::Taken) => {
                Self::Conflict("this time is already taken (it overlaps another booking); choose another time".into())
            }
            StoreError::Refused(refusal) => Self::Unprocessable(refusal.to_string()),
            StoreError::Transition(refused) => Self::Conflict(refused.to_string()),
            StoreError::Corrupt(_) | StoreError::Backend(_) => Self::Internal(error.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let Self::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let mut response = (status, axum::Json(serde_json::json!({ "error": self.to_string() }))).into_response();
        if let Self::TooManyRequests { retry_after_seconds } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
