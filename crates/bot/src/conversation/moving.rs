//! Moving a booking: the booking flow's steps (whom with, day, time) for a booking the client
//! has, then old → new to confirm. The move itself is one `Store::reschedule`: the new time is
//! taken and the old one freed in one transaction, so a move that loses a race keeps the booking
//! where it was.

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::{Actor, AppointmentId, BookingRefusal, Client, Service, Source, StaffId};
use zapys_store::{AppointmentView, BookableTime, Entity, Reschedule, StoreError, Target};

use super::{Bot, Result, Turn};
use crate::callback::{Action, Flow, Pick};
use crate::reply::{Message, Reply};
use crate::texts::fill;
use crate::view::{self, button};

impl Bot {
    /// The client's booking, if they may still move or cancel it: their own, ahead, active, and
    /// outside the business's change window. `Err` holds the answer to give instead.
    pub(super) async fn changeable(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
    ) -> Result<Result<AppointmentView, Vec<Reply>>> {
        let booking = match self.own_upcoming(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(Err(answer)),
        };
        match turn.settings.policy().check_change(booking.appointment.starts_at, Actor::Client, turn.now) {
            Ok(()) => Ok(Ok(booking)),
            Err(refusal) => Ok(Err(vec![turn.show(self.window_closed(turn, refusal))])),
        }
    }

    /// Why the bot can no longer change a booking, and who can.
    pub(super) fn window_closed(&self, turn: &Turn, refusal: BookingRefusal) -> Message {
        let t = turn.t();
        let hours = match refusal {
            BookingRefusal::InsideChangeWindow { hours } => hours,
            _ => i64::from(turn.settings.change_window_hours),
        };
        ask_us(turn, fill(t.change_window_closed, &[("hours", &hours.to_string())]))
    }

    /// The first step of a move: whom with, when someone else performs the service too; else the calendar.
    pub(super) async fn ask_move(&self, turn: &Turn, client: &Client, id: AppointmentId) -> Result<Vec<Reply>> {
        let booking = match self.changeable(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(answer),
        };
        let Some(service) = self.offered(booking.appointment.service_id).await? else {
            return Ok(vec![turn.show(self.cannot_move(turn))]);
        };
        let performers = self.performers(service.id).await?;
        let current = performers.iter().find(|(m, _)| m.id == booking.appointment.staff_id).map(|(m, _)| m);
        match (current, performers.len()) {
            (Some(same), 2..) => {
                let heading = self.move_heading(turn, &booking);
                Ok(vec![turn.show(view::move_staff(turn.t(), id, &heading, same))])
            }
            (Some(same), _) => self.move_calendar(turn, client, id, Pick::One(same.id), None).await,
            // Their staff member no longer takes this service: anyone who does.
            (None, _) => self.move_calendar(turn, client, id, Pick::Any, None).await,
        }
    }

    /// The booking's service and the staff member picked for its new time, both still bookable;
    /// `Err` holds the answer to give instead.
    async fn move_choice(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
        pick: Pick,
    ) -> Result<Result<(AppointmentView, Service), Vec<Reply>>> {
        let booking = match self.changeable(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(Err(answer)),
        };
        let Some(service) = self.offered(booking.appointment.service_id).await? else {
            return Ok(Err(vec![turn.show(self.cannot_move(turn))]));
        };
        if let Pick::One(staff) = pick
            && self.performer(staff, service.id).await?.is_none()
        {
            let mut answer = vec![Reply::Toast(turn.t().staff_unavailable.into())];
            answer.extend(Box::pin(self.ask_move(turn, client, id)).await?);
            return Ok(Err(answer));
        }
        Ok(Ok((booking, service)))
    }

    pub(super) async fn move_calendar(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
        pick: Pick,
        month: Option<Date>,
    ) -> Result<Vec<Reply>> {
        let (booking, service) = match self.move_choice(turn, client, id, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        if self.free_times(turn, &service, pick, turn.now, Timestamp::MAX).await?.is_empty() {
            return Ok(vec![turn.show(self.cannot_move(turn))]);
        }
        let several = self.performers(service.id).await?.len() > 1;
        let back = if several { Action::AskMove(id) } else { Action::MyBookings };
        let what = self.move_what(&service, pick).await?;
        let mut message = self.month_view(turn, Flow::Move(id), &service, pick, month, &what, back).await?;
        message.text = format!("{}\n\n{}", self.move_heading(turn, &booking), message.text);
        Ok(vec![turn.show(message)])
    }

    pub(super) async fn move_day(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
        pick: Pick,
        date: Date,
        heading: Option<&str>,
    ) -> Result<Vec<Reply>> {
        let (booking, service) = match self.move_choice(turn, client, id, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        if date.tomorrow().is_err() {
            return self.move_calendar(turn, client, id, pick, None).await;
        }
        let what = self.move_what(&service, pick).await?;
        let heading = match heading {
            Some(h) => format!("{h}\n\n{}", self.move_heading(turn, &booking)),
            None => self.move_heading(turn, &booking),
        };
        let day = self.day_view(turn, Flow::Move(id), &service, pick, date, &what, Some(&heading)).await?;
        Ok(vec![turn.show(day)])
    }

    /// Old → new, to confirm.
    pub(super) async fn move_summary(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
        pick: Pick,
        at: Timestamp,
    ) -> Result<Vec<Reply>> {
        let t = turn.t();
        let (booking, service) = match self.move_choice(turn, client, id, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        let Some(free) = self.free_at(turn, &service, pick, at, booking.appointment.staff_id).await? else {
            return self.move_day(turn, client, id, pick, turn.tz().local(at).date(), Some(t.time_gone)).await;
        };
        let staff = match pick {
            Pick::One(_) => self.store.staff_member(free.staff_id).await?.name.as_str().to_owned(),
            Pick::Any => t.anyone_free.to_owned(),
        };
        let summary = view::MoveSummary {
            appointment: id,
            pick,
            service: service.name.as_str(),
            staff: &staff,
            before: view::when(t, turn.tz(), booking.appointment.starts_at),
            at,
            until: free.end,
        };
        Ok(vec![turn.show(view::move_summary(t, turn.tz(), &summary))])
    }

    /// Moves the booking: the new time is taken and the old one freed together, or neither.
    pub(super) async fn move_to(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
        pick: Pick,
        at: Timestamp,
    ) -> Result<Vec<Reply>> {
        let t = turn.t();
        let day = turn.tz().local(at).date();
        // A second tap on the same "move" finds the booking already there.
        if let Ok(booking) = self.own_upcoming(turn, client, id).await?
            && booking.appointment.starts_at == at
            && pick.staff().is_none_or(|staff| staff == booking.appointment.staff_id)
        {
            return Ok(vec![turn.show(self.bookings(turn, client, None).await?)]);
        }
        let (booking, service) = match self.move_choice(turn, client, id, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        let Some(free) = self.free_at(turn, &service, pick, at, booking.appointment.staff_id).await? else {
            return self.move_day(turn, client, id, pick, day, Some(t.just_taken)).await;
        };
        let change = Reschedule {
            target: Some(Target::Slot(free.slot_id)),
            staff_id: None,
            service_id: None,
            client_id: None,
            notes: None,
            source: Source::Bot,
            price: None,
        };
        match self.store.reschedule(id, &change, turn.now).await {
            Ok(moved) => {
                let before = view::when(t, turn.tz(), booking.appointment.starts_at);
                Ok(vec![turn.show(self.moved_message(turn, &moved, &before))])
            }
            Err(StoreError::Refused(BookingRefusal::Taken | BookingRefusal::OutsideHours)) => {
                self.move_day(turn, client, id, pick, day, Some(t.just_taken)).await
            }
            Err(StoreError::Refused(BookingRefusal::InThePast | BookingRefusal::TooSoon { .. })) => {
                self.move_day(turn, client, id, pick, day, Some(t.time_gone)).await
            }
            Err(StoreError::Refused(refusal @ BookingRefusal::InsideChangeWindow { .. })) => {
                Ok(vec![turn.show(self.window_closed(turn, refusal))])
            }
            Err(StoreError::Refused(BookingRefusal::BeyondHorizon { .. })) => {
                self.move_calendar(turn, client, id, pick, None).await
            }
            Err(
                StoreError::Refused(
                    BookingRefusal::NotPerformed | BookingRefusal::StaffHidden | BookingRefusal::ServiceHidden,
                )
                | StoreError::UnknownReference { entity: Entity::Staff | Entity::Service | Entity::Slot, .. }
                | StoreError::NotFound { entity: Entity::Slot, .. },
            ) => {
                let mut answer = vec![Reply::Toast(t.staff_unavailable.into())];
                answer.extend(self.ask_move(turn, client, id).await?);
                Ok(answer)
            }
            // Cancelled or finished meanwhile: the list says how things stand.
            Err(StoreError::Conflict(_)) => {
                Ok(vec![turn.show(self.bookings(turn, client, Some(t.not_active.into())).await?)])
            }
            Err(other) => Err(other),
        }
    }

    /// A free time at `at` for the booking's service with `pick`: for anyone, their current staff
    /// member first, so "any" does not hand the client to someone else without need.
    async fn free_at(
        &self,
        turn: &Turn,
        service: &Service,
        pick: Pick,
        at: Timestamp,
        current: StaffId,
    ) -> Result<Option<BookableTime>> {
        let policy = turn.settings.policy();
        if at < policy.earliest_start(turn.now) || at >= policy.horizon_end(turn.now) {
            return Ok(None);
        }
        let free = self.store.bookable(service, pick.staff(), at, at + jiff::SignedDuration::from_secs(1)).await?;
        let ours = free.iter().position(|b| b.staff_id == current).unwrap_or(0);
        Ok(free.into_iter().nth(ours))
    }

    /// "Перенесення запису: Стрижка, Вт 03.03.2026 о 10:00."
    fn move_heading(&self, turn: &Turn, booking: &AppointmentView) -> String {
        let t = turn.t();
        fill(
            t.move_heading,
            &[("service", &booking.service_name), ("before", &view::when(t, turn.tz(), booking.appointment.starts_at))],
        )
    }

    async fn move_what(&self, service: &Service, pick: Pick) -> Result<String> {
        let staff = match pick {
            Pick::One(id) => Some(self.store.staff_member(id).await?),
            Pick::Any => None,
        };
        Ok(view::what(service, self.named(staff.as_ref()).await?))
    }

    fn moved_message(&self, turn: &Turn, booking: &AppointmentView, before: &str) -> Message {
        let t = turn.t();
        let text = fill(&self.describe(turn, t.moved, booking), &[("before", before)]);
        Message::inline(text, vec![vec![button(t.menu_my, Action::MyBookings), button(t.to_menu, Action::Menu)]])
    }

    fn cannot_move(&self, turn: &Turn) -> Message {
        ask_us(turn, turn.t().move_unavailable.to_owned())
    }
}

/// What the bot cannot do for the client, with who can: the business's phone (when set) and
/// «Написати нам», and the way back.
fn ask_us(turn: &Turn, why: String) -> Message {
    let t = turn.t();
    let text = match turn.settings.phone.trim() {
        "" => why,
        phone => format!("{why}\n{}", fill(t.call_us, &[("phone", phone)])),
    };
    Message::inline(
        text,
        vec![
            vec![button(t.menu_support, Action::WriteUs)],
            vec![button(t.menu_my, Action::MyBookings), button(t.to_menu, Action::Menu)],
        ],
    )
}
