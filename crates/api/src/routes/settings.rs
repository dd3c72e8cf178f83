use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zapys_domain::comeback::parse_rating_delay_hours;
use zapys_domain::settings::{parse_bounded, parse_reminder_offsets, parse_text};
use zapys_domain::time::{format_time, parse_time};
use zapys_domain::{BusinessTime, Daytime, Settings};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::extract::Json;
use crate::{AppState, Principal, TelegramStatus};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, update))
}

/// `{message, settings}`: the answer to a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsUpdated {
    pub message: String,
    pub settings: SettingsItem,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsItem {
    pub business_name: String,
    pub address: String,
    pub phone: String,
    /// Opening hours as shown to clients.
    pub hours: String,
    /// IANA name, e.g. `Europe/Kyiv`.
    pub timezone: String,
    pub min_notice_minutes: u32,
    pub max_active_bookings: u32,
    /// New bookings start confirmed instead of pending.
    pub auto_confirm: bool,
    /// Minutes before a visit when reminders go out, largest first.
    pub reminder_offsets_minutes: Vec<u32>,
    /// Thank clients in the bot after a completed visit.
    pub thank_you: bool,
    /// Cancel bookings still pending this many minutes before they start (null: never).
    pub auto_cancel_pending_minutes: Option<u32>,
    /// How many days ahead times are offered and can be booked.
    pub booking_horizon_days: u32,
    /// Clients may cancel or move a booking only until this many hours before it starts (0: always).
    pub change_window_hours: u32,
    pub telegram: TelegramStatus,
    // --- comeback ---
    /// The start (`HH:MM`, the business's time zone) of the hours in which the bot writes to clients
    /// first: rebook nudges and rating requests. One falling due outside them waits for the next start.
    pub daytime_from: String,
    /// The end (`HH:MM`, exclusive) of those hours.
    pub daytime_to: String,
    /// Ask clients "how was it?" (1–5 stars) after a completed visit.
    pub ask_rating: bool,
    /// Hours after the visit's end before the rating is asked.
    pub rating_delay_hours: u32,
}

impl SettingsItem {
    fn new(s: Settings, telegram: TelegramStatus) -> Self {
        Self {
            business_name: s.business_name,
            address: s.address,
            phone: s.phone,
            hours: s.hours,
            timezone: s.timezone.name().to_owned(),
            min_notice_minutes: s.min_notice_minutes,
            max_active_bookings: s.max_active_bookings,
            auto_confirm: s.auto_confirm,
            reminder_offsets_minutes: s.reminder_offsets_minutes,
            thank_you: s.thank_you,
            auto_cancel_pending_minutes: s.auto_cancel_pending_minutes,
            booking_horizon_days: s.booking_horizon_days,
            change_window_hours: s.change_window_hours,
            telegram,
            // --- comeback ---
            daytime_from: format_time(s.daytime.from),
            daytime_to: format_time(s.daytime.to),
            ask_rating: s.ask_rating,
            rating_delay_hours: s.rating_delay_hours,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SettingsBody {
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub business_name: String,
    #[schema(max_length = 200)]
    pub address: String,
    #[schema(max_length = 50)]
    pub phone: String,
    #[schema(max_length = 200)]
    pub hours: String,
    /// An IANA time zone name, e.g. `Europe/Kyiv`.
    #[schema(example = "Europe/Kyiv")]
    pub timezone: String,
    /// 0 to 43200 (30 days).
    #[schema(minimum = 0, maximum = 43200)]
    pub min_notice_minutes: i64,
    /// 1 to 100.
    #[schema(minimum = 1, maximum = 100)]
    pub max_active_bookings: i64,
    pub auto_confirm: bool,
    /// Minutes before a visit, each 5 to 10080 (7 days); at most 5.
    #[schema(max_items = 5)]
    pub reminder_offsets_minutes: Vec<i64>,
    /// Left out: unchanged.
    pub thank_you: Option<bool>,
    /// Minutes, or null for never; left out: unchanged.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 5, maximum = 10080)]
    pub auto_cancel_pending_minutes: Option<Option<i64>>,
    /// Days ahead that times are offered and can be booked, 1 to 3650; left out: unchanged.
    #[schema(minimum = 1, maximum = 3650)]
    pub booking_horizon_days: Option<i64>,
    /// Hours before a booking's start after which clients can no longer cancel or move it in the
    /// bot, 0 (always) to 744 (31 days); the business is never held to it. Left out: unchanged.
    #[schema(minimum = 0, maximum = 744)]
    pub change_window_hours: Option<i64>,
    // --- comeback ---
    /// `HH:MM`, before `daytime_to`; left out: unchanged (10:00 at first).
    #[schema(example = "10:00")]
    pub daytime_from: Option<String>,
    /// `HH:MM`, after `daytime_from`; left out: unchanged (20:00 at first).
    #[schema(example = "20:00")]
    pub daytime_to: Option<String>,
    /// Left out: unchanged (off at first).
    pub ask_rating: Option<bool>,
    /// 0 to 72; left out: unchanged (3 at first).
    #[schema(minimum = 0, maximum = 72)]
    pub rating_delay_hours: Option<i64>,
}

// --- comeback ---
/// An `HH:MM` field, with its name in the error.
fn time_of_day(field: &str, text: Option<&str>) -> Result<Option<jiff::civil::Time>, zapys_domain::InvalidValue> {
    text.map(|t| parse_time(t).map_err(|e| zapys_domain::InvalidValue::new(format!("{field}: {e}")))).transpose()
}

/// A field that was given, as `Some` — so that an explicit `null` (`Some(None)`) differs from leaving it out (`None`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

impl SettingsBody {
    fn parse(self, current: &Settings) -> ApiResult<Settings> {
        let auto_cancel_pending_minutes = match self.auto_cancel_pending_minutes {
            None => current.auto_cancel_pending_minutes,
            Some(None) => None,
            Some(Some(minutes)) => Some(parse_bounded("auto_cancel_pending_minutes", minutes, 5, 7 * 24 * 60)?),
        };
        let business_name = parse_text("business_name", &self.business_name, 100)?;
        if business_name.is_empty() {
            return Err(zapys_domain::InvalidValue::new("business_name must not be empty").into());
        }
        Ok(Settings {
            business_name,
            address: parse_text("address", &self.address, 200)?,
            phone: parse_text("phone", &self.phone, 50)?,
            hours: parse_text("hours", &self.hours, 200)?,
            timezone: BusinessTime::parse(&self.timezone)?,
            min_notice_minutes: parse_bounded("min_notice_minutes", self.min_notice_minutes, 0, 30 * 24 * 60)?,
            max_active_bookings: parse_bounded("max_active_bookings", self.max_active_bookings, 1, 100)?,
            auto_confirm: self.auto_confirm,
            reminder_offsets_minutes: parse_reminder_offsets(&self.reminder_offsets_minutes)?,
            thank_you: self.thank_you.unwrap_or(current.thank_you),
            auto_cancel_pending_minutes,
            booking_horizon_days: match self.booking_horizon_days {
                Some(days) => parse_bounded("booking_horizon_days", days, 1, Settings::MAX_HORIZON_DAYS)?,
                None => current.booking_horizon_days,
            },
            change_window_hours: match self.change_window_hours {
                Some(hours) => parse_bounded("change_window_hours", hours, 0, Settings::MAX_CHANGE_WINDOW_HOURS)?,
                None => current.change_window_hours,
            },
            // --- comeback ---
            daytime: Daytime::new(
                time_of_day("daytime_from", self.daytime_from.as_deref())?.unwrap_or(current.daytime.from),
                time_of_day("daytime_to", self.daytime_to.as_deref())?.unwrap_or(current.daytime.to),
            )?,
            ask_rating: self.ask_rating.unwrap_or(current.ask_rating),
            rating_delay_hours: match self.rating_delay_hours {
                Some(hours) => parse_rating_delay_hours(hours)?,
                None => current.rating_delay_hours,
            },
        })
    }
}

#[utoipa::path(get, path = "/settings", tag = "settings", responses((status = 200, body = SettingsItem)))]
pub async fn get(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<SettingsItem>> {
    Ok(axum::Json(SettingsItem::new(state.store().settings(), state.config().bot_link.status())))
}

#[utoipa::path(put, path = "/settings", tag = "settings", request_body = SettingsBody,
    responses((status = 200, body = SettingsUpdated)))]
pub async fn update(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<SettingsBody>,
) -> ApiResult<axum::Json<SettingsUpdated>> {
    let settings = body.parse(&state.store().settings())?;
    state.store().save_settings(&settings).await?;
    Ok(axum::Json(SettingsUpdated {
        message: "Settings saved".into(),
        settings: SettingsItem::new(settings, state.config().bot_link.status()),
    }))
}
