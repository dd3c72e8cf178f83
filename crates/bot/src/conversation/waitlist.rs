//! The waitlist in the conversation: a full day's "tell me when a time frees up", the waits in
//! «Мої записи», and the offer's "book this time", where the first to press wins.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use zapys_domain::{BookingRefusal, Client, ServiceId, Source, Status};
use zapys_store::{BookAt, BookingRequest, StoreError, WaitDraft};

use super::{Bot, Result, Turn};
use crate::callback::{Action, Pick};
use crate::reply::{InlineButton, Message, Reply};
use crate::texts::fill;
use crate::view::button;
use crate::waitlist::{day_text, free_starts, pick as pick_of, what};

/// How many days a client may wait for at once.
const MAX_WAITS: usize = 10;

/// The label of a calendar day without free time for the service, where waiting makes sense.
const FULL_DAY: &str = "🔔";

impl Bot {
    pub(super) async fn press_waitlist(&self, turn: &Turn, client: &Client, action: Action) -> Result<Vec<Reply>> {
        match action {
            Action::AskWait { service, pick, date } => self.ask_wait(turn, service, pick, date).await,
            Action::JoinWait { service, pick, date, around } => {
                self.join_wait(turn, client, service, pick, date, around).await
            }
            Action::TakeOffer { wait, at } => self.take_offer(turn, client, wait, at).await,
            Action::LeaveWait(wait) => self.leave_wait(turn, client, wait).await,
            _ => Ok(Vec::new()),
        }
    }

    /// The days from `from` (a first of a month) to the month's end, bookable by the rules, on which
    /// the chosen staff member (or anyone who performs the service) offers times but none is free.
    async fn full_days(&self, turn: &Turn, service: ServiceId, pick: Pick, first: Date) -> Result<BTreeSet<Date>> {
        let Some(service) = self.offered(service).await? else { return Ok(BTreeSet::new()) };
        let tz = turn.tz();
        let policy = turn.settings.policy();
        let Ok(next) = first.checked_add(1.month()) else { return Ok(BTreeSet::new()) };
        let from = tz.start_of_day(first).max(policy.earliest_start(turn.now));
        let to = tz.start_of_day(next).min(policy.horizon_end(turn.now));
        if from >= to {
            return Ok(BTreeSet::new());
        }
        let performers: BTreeSet<_> = self
            .performers(service.id)
            .await?
            .into_iter()
            .map(|(m, _)| m.id)
            .filter(|id| pick.staff().is_none_or(|only| only == *id))
            .collect();
        let offered: BTreeSet<Date> = self
            .store
            .availability(from, to)
            .await?
            .iter()
            .filter(|w| performers.contains(&w.staff_id))
            .flat_map(|w| w.slots.iter().filter(|s| s.start >= from && s.start < to).map(|s| tz.local(s.start).date()))
            .collect();
        let free: BTreeSet<Date> =
            free_starts(&*self.store, &turn.settings, &service, pick.staff(), (from, to), turn.now)
                .await?
                .into_iter()
                .map(|at| tz.local(at).date())
                .collect();
        Ok(offered.difference(&free).copied().collect())
    }

    /// Marks a calendar's full days with a bell that asks to wait for them.
    pub(super) async fn mark_full_days(
        &self,
        turn: &Turn,
        service: ServiceId,
        pick: Pick,
        first: Date,
        message: &mut Message,
    ) -> Result<()> {
        let full = self.full_days(turn, service, pick, first).await?;
        if full.is_empty() {
            return Ok(());
        }
        let crate::reply::Keyboard::Inline(rows) = &mut message.keyboard else { return Ok(()) };
        // The week rows: after the month and weekday rows, before the way back; blanks are " ".
        let last = rows.len().saturating_sub(1);
        let mut day = 0;
        for row in rows.iter_mut().take(last).skip(2) {
            for cell in row.iter_mut().filter(|b| b.text != " ") {
                day += 1;
                let Ok(date) = first.with().day(day).build() else { continue };
                if cell.text == "·" && full.contains(&date) {
                    *cell = button(FULL_DAY, Action::AskWait { service, pick, date });
                }
            }
        }
        message.text = format!("{}\n\n{}", message.text, turn.t().wait_full_days);
        Ok(())
    }

    /// A day view without free time gets the way onto its waitlist, when the day can still be waited for.
    pub(super) fn offer_to_wait(&self, turn: &Turn, service: ServiceId, pick: Pick, date: Date, message: &mut Message) {
        let policy = turn.settings.policy();
        let (today, last) = (turn.tz().today(turn.now), turn.tz().today(policy.horizon_end(turn.now)));
        if date < today || date > last {
            return;
        }
        if let crate::reply::Keyboard::Inline(rows) = &mut message.keyboard {
            rows.insert(0, vec![button(turn.t().wait_button, Action::AskWait { service, pick, date })]);
        }
    }

    async fn ask_wait(&self, turn: &Turn, service: ServiceId, pick: Pick, date: Date) -> Result<Vec<Reply>> {
        let t = turn.t();
        let (service, staff) = match self.choice(turn, service, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        let Some(next) = date.tomorrow().ok().filter(|_| self.waitable(turn, date)) else {
            return self.calendar(turn, service.id, pick, None).await;
        };
        // Free again meanwhile: the day's times rather than a wait.
        let window = (turn.tz().start_of_day(date), turn.tz().start_of_day(next));
        if !free_starts(&*self.store, &turn.settings, &service, pick.staff(), window, turn.now).await?.is_empty() {
            return self.day(turn, service.id, pick, date, None).await;
        }
        let what = crate::view::what(&service, self.named(staff.as_ref()).await?);
        let first = date.first_of_month();
        let text = fill(t.wait_ask, &[("what", &what), ("date", &crate::view::date(t, date))]);
        let join = |around| Action::JoinWait { service: service.id, pick, date, around };
        Ok(vec![turn.show(Message::inline(
            text,
            vec![
                vec![button(t.wait_this_day, join(false))],
                vec![button(t.wait_around, join(true))],
                vec![
                    button(
                        t.back,
                        Action::Month { service: service.id, pick, year: first.year(), month: first.month() },
                    ),
                    button(t.to_menu, Action::Menu),
                ],
            ],
        ))])
    }

    /// A day a client may wait for: not past, within the booking horizon.
    fn waitable(&self, turn: &Turn, date: Date) -> bool {
        let horizon = turn.settings.policy().horizon_end(turn.now);
        date >= turn.tz().today(turn.now) && date <= turn.tz().today(horizon)
    }

    async fn join_wait(
        &self,
        turn: &Turn,
        client: &Client,
        service: ServiceId,
        pick: Pick,
        date: Date,
        around: bool,
    ) -> Result<Vec<Reply>> {
        let t = turn.t();
        let (service, staff) = match self.choice(turn, service, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        if !self.waitable(turn, date) {
            return self.calendar(turn, service.id, pick, None).await;
        }
        let after = vec![vec![button(t.menu_my, Action::MyBookings), button(t.to_menu, Action::Menu)]];
        if self.store.client_waits(client.id, turn.now).await?.len() >= MAX_WAITS {
            let text = fill(t.wait_limit, &[("max", &MAX_WAITS.to_string())]);
            return Ok(vec![turn.show(Message::inline(text, after))]);
        }
        let draft =
            WaitDraft { client_id: client.id, service_id: service.id, staff_id: pick.staff(), day: date, around };
        match self.store.join_wait(&draft, turn.now).await {
            Ok(_) => {
                let what = crate::view::what(&service, self.named(staff.as_ref()).await?);
                let (date, note) = day_text(t, date, around);
                let text = fill(t.wait_joined, &[("what", &what), ("date", &date), ("around", note)]);
                Ok(vec![turn.show(Message::inline(text, after))])
            }
            Err(StoreError::Duplicate(_)) => Ok(vec![turn.show(Message::inline(t.wait_already, after))]),
            Err(other) => Err(other),
        }
    }

    /// The client's waits, for «Мої записи»: lines, and a "stop waiting" button each.
    pub(super) async fn waits_section(
        &self,
        turn: &Turn,
        client: &Client,
    ) -> Result<Option<(String, Vec<Vec<InlineButton>>)>> {
        let t = turn.t();
        let waits = self.store.client_waits(client.id, turn.now).await?;
        if waits.is_empty() {
            return Ok(None);
        }
        let mut lines = vec![t.wait_title.to_owned()];
        let mut rows = Vec::new();
        for (n, wait) in waits.iter().enumerate() {
            let n = (n + 1).to_string();
            let what = match self.store.service(wait.service_id).await {
                Ok(service) => what(&*self.store, &service, wait.staff_id).await?,
                Err(StoreError::NotFound { .. }) => t.unknown.to_owned(),
                Err(other) => return Err(other),
            };
            let (date, note) = day_text(t, wait.day, wait.around);
            lines.push(fill(t.wait_item, &[("n", &n), ("what", &what), ("date", &date), ("around", note)]));
            rows.push(vec![button(fill(t.wait_leave_item, &[("n", &n)]), Action::LeaveWait(wait.id))]);
        }
        Ok(Some((lines.join("\n"), rows)))
    }

    async fn leave_wait(&self, turn: &Turn, client: &Client, id: i64) -> Result<Vec<Reply>> {
        let t = turn.t();
        let wait = match self.store.wait(id).await {
            Ok(wait) if wait.client_id == client.id && wait.booked.is_none() => wait,
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                let heading = Some(t.wait_over.to_owned());
                return Ok(vec![
                    Reply::Toast(t.wait_over.into()),
                    turn.show(self.bookings(turn, client, heading).await?),
                ]);
            }
            Err(other) => return Err(other),
        };
        match self.store.leave_wait(client.id, id).await {
            Ok(()) | Err(StoreError::NotFound { .. }) => {}
            Err(other) => return Err(other),
        }
        let what = match self.store.service(wait.service_id).await {
            Ok(service) => what(&*self.store, &service, wait.staff_id).await?,
            Err(_) => t.unknown.to_owned(),
        };
        let date = crate::view::date(t, wait.day);
        let done = fill(t.wait_left, &[("what", &what), ("date", &date)]);
        Ok(vec![Reply::Toast(done.clone()), turn.show(self.bookings(turn, client, Some(done)).await?)])
    }

    /// "Book this time" from an offer: through the normal booking, so the first press wins; the
    /// others get the day's fresh times, or are told it was taken and stay on the waitlist.
    async fn take_offer(&self, turn: &Turn, client: &Client, id: i64, at: Timestamp) -> Result<Vec<Reply>> {
        let t = turn.t();
        let wait = match self.store.wait(id).await {
            Ok(wait) if wait.client_id == client.id => Some(wait),
            Ok(_) => {
                tracing::warn!(chat_id = turn.chat_id, wait = id, "a button for another client's wait was pressed");
                None
            }
            Err(StoreError::NotFound { .. }) => None,
            Err(other) => return Err(other),
        };
        let Some(wait) = wait.filter(|w| !w.expired(turn.tz(), turn.now)) else {
            let heading = Some(t.wait_over.to_owned());
            return Ok(vec![Reply::Toast(t.wait_over.into()), turn.show(self.bookings(turn, client, heading).await?)]);
        };
        // A second press finds the booking the first one made.
        if let Some(booked) = wait.booked {
            let view = self.store.appointment(booked).await?;
            return Ok(vec![turn.show(Message::text(self.describe(turn, t.already_booked, &view)))]);
        }
        let pick = pick_of(wait.staff_id);
        let service = match self.choice(turn, wait.service_id, pick).await? {
            Ok((service, _)) => service,
            Err(answer) => return Ok(answer),
        };
        let request = BookingRequest {
            client_id: client.id,
            service_id: service.id,
            at: BookAt::Start(at),
            staff_id: wait.staff_id,
            source: Source::Bot,
            notes: String::new(),
        };
        match self.store.book(&request, turn.now).await {
            Ok(booked) => {
                match self.store.wait_booked(wait.id, booked.appointment.id, turn.now).await {
                    Ok(()) | Err(StoreError::Conflict(_) | StoreError::NotFound { .. }) => {}
                    Err(other) => return Err(other),
                }
                let template =
                    if booked.appointment.status == Status::Confirmed { t.booked_confirmed } else { t.booked_pending };
                Ok(vec![turn.show(Message::text(self.describe(turn, template, &booked)))])
            }
            Err(StoreError::Refused(
                BookingRefusal::Taken
                | BookingRefusal::OutsideHours
                | BookingRefusal::InThePast
                | BookingRefusal::TooSoon { .. },
            )) => {
                let day = turn.tz().local(at).date();
                let Ok(next) = day.tomorrow() else { return self.calendar(turn, service.id, pick, None).await };
                let window = (turn.tz().start_of_day(day), turn.tz().start_of_day(next));
                let fresh =
                    free_starts(&*self.store, &turn.settings, &service, wait.staff_id, window, turn.now).await?;
                if fresh.is_empty() {
                    let rows = vec![vec![button(t.menu_my, Action::MyBookings), button(t.to_menu, Action::Menu)]];
                    Ok(vec![Reply::Toast(t.wait_taken.into()), turn.show(Message::inline(t.wait_taken, rows))])
                } else {
                    self.day(turn, service.id, pick, day, Some(t.just_taken)).await
                }
            }
            // Every other refusal (the limit, the horizon, a hidden staff member) is answered as a
            // booking from the calendar would be.
            Err(StoreError::Refused(_) | StoreError::UnknownReference { .. }) => {
                self.book(turn, client, service.id, pick, at).await
            }
            Err(other) => Err(other),
        }
    }
}
