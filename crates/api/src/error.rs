//! One error type for every handler, answered as `{"error": "...", "code": "..."}`
//! with the right status. `error` is for people (English); `code` is for programs
//! (the panel translates by it), stable and documented as an enum.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use zapys_domain::{BookingRefusal, InvalidValue, TransitionRefused};
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
    /// Authenticated, but the API token's scope does not cover this route.
    #[error("{0}")]
    InsufficientScope(String),
    #[error("{0}")]
    NotFound(String),
    /// The request contradicts what is stored, in a way no more specific variant names.
    #[error("{0}")]
    Conflict(String),
    /// A record like this one already exists.
    #[error("{0}")]
    Duplicate(String),
    /// Other records depend on this one.
    #[error("{0}")]
    InUse(String),
    /// A status change the lifecycle does not allow.
    #[error(transparent)]
    Transition(#[from] TransitionRefused),
    /// A booking rule refused the request (taken, past, too soon, ...).
    #[error("{}", refusal_text(.0))]
    Refused(BookingRefusal),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed but invalid: a bad date, a negative duration.
    #[error("{0}")]
    Unprocessable(String),
    /// An id in the body that names no record.
    #[error("{0}")]
    UnknownReference(String),
    /// The request named no staff member and there is not exactly one (several, or none yet).
    #[error("{0}")]
    StaffRequired(String),
    /// A date beyond the booking horizon, or outside the range the calendar handles.
    #[error("{0}")]
    OutsideHorizon(String),
    #[error("too many attempts; try again in {retry_after_seconds} seconds")]
    TooManyRequests { retry_after_seconds: u64 },
    /// The request was not answered within its deadline.
    #[error("the request took longer than {seconds} seconds; send it again")]
    RequestTimeout { seconds: u64 },
    /// The bot token comes from `TELEGRAM_BOT_TOKEN` on the server, which wins over Settings.
    #[error("the bot token is set on the server (TELEGRAM_BOT_TOKEN), which wins over Settings; change it there")]
    TelegramFromEnvironment,
    /// Telegram knows no bot by the token given.
    #[error("Telegram does not know this bot token; copy it again from @BotFather")]
    TelegramTokenRefused,
    /// Telegram could not be asked about the token; nothing was saved.
    #[error("Telegram could not be reached ({0}); nothing was saved, try again")]
    TelegramUnreachable(String),
    /// Our fault. The details go to the log, not to the client.
    #[error("internal error")]
    Internal(String),
}

fn refusal_text(refusal: &BookingRefusal) -> String {
    match refusal {
        BookingRefusal::Taken => {
            "this time is already taken (it overlaps another booking of the staff member); choose another time".into()
        }
        other => other.to_string(),
    }
}

/// The machine-readable kind of an error. Stable: integrators and the panel's
/// translations depend on these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: bad JSON syntax, a missing required field, a malformed query string.
    MalformedRequest,
    /// 401: no valid session or API token.
    Unauthorized,
    /// 403: refused, e.g. a write from another site.
    Forbidden,
    /// 403: the API token's scope does not cover this route.
    InsufficientScope,
    /// 404: no such record or route.
    NotFound,
    /// 413: the body is over the size limit.
    PayloadTooLarge,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 422: a value is invalid (format, range, length).
    InvalidValue,
    /// 422: an id in the body names no record.
    UnknownReference,
    /// 422: the time has already passed.
    RulePast,
    /// 422: too soon: the minimum notice applies.
    RuleMinNotice,
    /// 422: the client already has the most active bookings allowed.
    RuleClientLimit,
    /// 422: the service is not offered for booking.
    RuleServiceHidden,
    /// 422: the date is beyond the booking horizon or out of range.
    OutsideHorizon,
    /// 422: the staff member does not perform the service.
    StaffNotPerforming,
    /// 422: the staff member is hidden (left, on leave) and takes no client bookings.
    RuleStaffHidden,
    /// 422: the visit would not fit in the staff member's working hours (past closing, into a break).
    RuleOutsideHours,
    /// 422: a client may no longer cancel or move this booking: it starts within the change window.
    RuleChangeWindow,
    /// 422: say which staff member with `staff_id` (the business has several, or none yet).
    StaffRequired,
    /// 409: the time is taken (it overlaps another booking).
    TimeTaken,
    /// 409: the status change is not allowed from the current status.
    TransitionNotAllowed,
    /// 409: the visit has not started yet (complete, no-show).
    NotStartedYet,
    /// 409: a record like this one already exists.
    Duplicate,
    /// 409: other records depend on this one (upcoming bookings, a reserved time).
    InUse,
    /// 409: any other contradiction with what is stored.
    Conflict,
    /// 429: too many attempts; see `Retry-After`.
    TooManyRequests,
    /// 408: the request was not answered in time (a body sent too slowly, a stuck request).
    RequestTimeout,
    /// 503: the server has as many connections as it takes; see `Retry-After`.
    Busy,
    /// 409: the bot token is set on the server (`TELEGRAM_BOT_TOKEN`) and cannot be changed in Settings.
    TelegramFromEnvironment,
    /// 422: Telegram does not know this bot token.
    TelegramTokenRefused,
    /// 502: Telegram could not be reached to check the bot token; nothing was saved.
    TelegramUnreachable,
    /// 500: our fault; the details are in the server's log.
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        match self {
            Self::MalformedRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::InsufficientScope => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::InvalidValue
            | Self::UnknownReference
            | Self::RulePast
            | Self::RuleMinNotice
            | Self::RuleClientLimit
            | Self::RuleServiceHidden
            | Self::OutsideHorizon
            | Self::StaffNotPerforming
            | Self::RuleStaffHidden
            | Self::RuleOutsideHours
            | Self::RuleChangeWindow
            | Self::StaffRequired
            | Self::TelegramTokenRefused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TimeTaken
            | Self::TransitionNotAllowed
            | Self::NotStartedYet
            | Self::Duplicate
            | Self::InUse
            | Self::Conflict
            | Self::TelegramFromEnvironment => StatusCode::CONFLICT,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::TelegramUnreachable => StatusCode::BAD_GATEWAY,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in English, for people.
    pub error: String,
    pub code: ErrorCode,
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::MalformedRequest,
            Self::Unauthorized(_) => ErrorCode::Unauthorized,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::InsufficientScope(_) => ErrorCode::InsufficientScope,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Duplicate(_) => ErrorCode::Duplicate,
            Self::InUse(_) => ErrorCode::InUse,
            Self::Transition(TransitionRefused::NotAllowed { .. }) => ErrorCode::TransitionNotAllowed,
            Self::Transition(TransitionRefused::NotStartedYet) => ErrorCode::NotStartedYet,
            Self::Refused(refusal) => match refusal {
                BookingRefusal::InThePast => ErrorCode::RulePast,
                BookingRefusal::TooSoon { .. } => ErrorCode::RuleMinNotice,
                BookingRefusal::Taken => ErrorCode::TimeTaken,
                BookingRefusal::LimitReached { .. } => ErrorCode::RuleClientLimit,
                BookingRefusal::ServiceHidden => ErrorCode::RuleServiceHidden,
                BookingRefusal::BeyondHorizon { .. } => ErrorCode::OutsideHorizon,
                BookingRefusal::NotPerformed => ErrorCode::StaffNotPerforming,
                BookingRefusal::StaffHidden => ErrorCode::RuleStaffHidden,
                BookingRefusal::OutsideHours => ErrorCode::RuleOutsideHours,
                BookingRefusal::InsideChangeWindow { .. } => ErrorCode::RuleChangeWindow,
            },
            Self::StaffRequired(_) => ErrorCode::StaffRequired,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::Unprocessable(_) => ErrorCode::InvalidValue,
            Self::UnknownReference(_) => ErrorCode::UnknownReference,
            Self::OutsideHorizon(_) => ErrorCode::OutsideHorizon,
            Self::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            Self::RequestTimeout { .. } => ErrorCode::RequestTimeout,
            Self::TelegramFromEnvironment => ErrorCode::TelegramFromEnvironment,
            Self::TelegramTokenRefused => ErrorCode::TelegramTokenRefused,
            Self::TelegramUnreachable(_) => ErrorCode::TelegramUnreachable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.code().status()
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
            StoreError::UnknownReference { .. } => Self::UnknownReference(error.to_string()),
            StoreError::Duplicate(message) => Self::Duplicate(message),
            StoreError::InUse(message) => Self::InUse(message),
            StoreError::Conflict(message) => Self::Conflict(message),
            StoreError::Refused(refusal) => Self::Refused(refusal),
            StoreError::StaffRequired { .. } => Self::StaffRequired(error.to_string()),
            StoreError::Transition(refused) => Self::Transition(refused),
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
        let body = ErrorBody { error: self.to_string(), code: self.code() };
        let mut response = (status, axum::Json(body)).into_response();
        if let Self::TooManyRequests { retry_after_seconds } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_booking_refusal_has_its_own_code_and_status() {
        let cases = [
            (BookingRefusal::InThePast, ErrorCode::RulePast, 422),
            (BookingRefusal::TooSoon { minutes: 60 }, ErrorCode::RuleMinNotice, 422),
            (BookingRefusal::Taken, ErrorCode::TimeTaken, 409),
            (BookingRefusal::LimitReached { max: 3 }, ErrorCode::RuleClientLimit, 422),
            (BookingRefusal::ServiceHidden, ErrorCode::RuleServiceHidden, 422),
            (BookingRefusal::BeyondHorizon { days: 365 }, ErrorCode::OutsideHorizon, 422),
            (BookingRefusal::InsideChangeWindow { hours: 24 }, ErrorCode::RuleChangeWindow, 422),
        ];
        for (refusal, code, status) in cases {
            let error = ApiError::from(StoreError::Refused(refusal));
            assert_eq!(error.code(), code);
            assert_eq!(error.status().as_u16(), status);
        }
    }

    #[test]
    fn codes_serialize_in_snake_case() {
        let json =
            serde_json::to_value(ErrorBody { error: "x".into(), code: ErrorCode::NotStartedYet }).expect("serializes");
        assert_eq!(json["code"], "not_started_yet");
    }
}
