//! "Come back": what the SQL backends share about nudges, rating requests and ratings.

use jiff::Timestamp;
use zapys_domain::Settings;
use zapys_store::{RatingFigure, RatingFigures};

/// One staff member's or service's ratings as the database sums them.
#[derive(sqlx::FromRow)]
pub struct RatingRow {
    id: i64,
    name: String,
    average: f64,
    count: i64,
}

impl RatingRow {
    fn into_figure(self) -> RatingFigure {
        // Two decimals are all a person reads; rounding here keeps both backends' answers equal.
        let average = (self.average * 100.0).round() / 100.0;
        RatingFigure { id: self.id, name: self.name, average, count: self.count.unsigned_abs() }
    }
}

pub fn figures(by_staff: Vec<RatingRow>, by_service: Vec<RatingRow>) -> RatingFigures {
    RatingFigures {
        by_staff: by_staff.into_iter().map(RatingRow::into_figure).collect(),
        by_service: by_service.into_iter().map(RatingRow::into_figure).collect(),
    }
}

/// When something falling due at `at` may go: moved into the daytime hours; `None` unless after `now`.
pub fn next_allowed(settings: &Settings, at: Timestamp, now: Timestamp) -> Option<Timestamp> {
    Some(settings.daytime.next_allowed(&settings.timezone, at)).filter(|&allowed| allowed > now)
}
