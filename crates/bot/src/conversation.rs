//! The state machine: registration once, then the menu and its flows.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Actor, AppointmentId, BookingRefusal, BusinessTime, Client, Clock, Language, PersonName, PhoneNumber, Service,
    ServiceId, Settings, SlotId, Source, Status, TelegramId, Transition,
};
use zapys_store::{AppointmentQuery, AppointmentView, BookAt, BookingRequest, Entity, Store, StoreError};

use crate::callback::Action;
use crate::reply::{Event, Incoming, Keyboard, Message, Reply};
use crate::texts::{EN, Texts, UK, fill, texts};
use crate::view::{self, button};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where a chat is in its conversation. Saved after every update, so a
/// restart in the middle of a booking loses nothing: the booking flow itself
/// lives in the buttons, and only registration and profile edits need state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    #[default]
    New,
    AskName,
    AskPhone {
        name: String,
    },
    Ready,
    EditName,
    EditPhone,
}

/// The bot: the booking core, seen from a client's chat.
pub struct Bot {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

/// One update being answered: who, when, in which language, under which settings.
struct Turn {
    chat_id: i64,
    now: Timestamp,
    settings: Settings,
    language: Language,
    /// The message whose inline button was pressed.
    message_id: Option<i64>,
}

impl Turn {
    fn t(&self) -> &'static Texts {
        texts(self.language)
    }

    fn tz(&self) -> &BusinessTime {
        &self.settings.timezone
    }

    /// Replaces the pressed message when there is one, else sends a new one.
    fn show(&self, message: Message) -> Reply {
        match (self.message_id, &message.keyboard) {
            (Some(message_id), Keyboard::None | Keyboard::Inline(_)) => Reply::Edit { message_id, message },
            _ => Reply::Send(message),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Book,
    MyBookings,
    Profile,
    Contacts,
    Menu,
}

/// The command in `/name args` or `/name@bot`, lowercased.
fn command(text: &str) -> Option<String> {
    let word = text.trim().strip_prefix('/')?.split_whitespace().next()?;
    Some(word.split('@').next().unwrap_or(word).to_lowercase())
}

/// A main-menu button (in either language) or its command.
fn menu_choice(text: &str) -> Option<Choice> {
    let text = text.trim();
    for t in [&UK, &EN] {
        for (label, choice) in [
            (t.menu_book, Choice::Book),
            (t.menu_my, Choice::MyBookings),
            (t.menu_profile, Choice::Profile),
            (t.menu_contacts, Choice::Contacts),
        ] {
            if text == label {
                return Some(choice);
            }
        }
    }
    match command(text)?.as_str() {
        "book" => Some(Choice::Book),
        "my" | "bookings" => Some(Choice::MyBookings),
        "profile" => Some(Choice::Profile),
        "contacts" => Some(Choice::Contacts),
        "menu" | "help" => Some(Choice::Menu),
        _ => None,
    }
}

fn is_free_text(text: &str) -> bool {
    !text.trim_start().starts_with('/') && menu_choice(text).is_none()
}

impl Bot {
    /// New bookings and client cancellations reach the business through the outbox, not from here.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Answers one update. Never fails: a problem on our side becomes a polite apology.
    pub async fn handle(&self, input: &Incoming) -> Vec<Reply> {
        match self.step(input).await {
            Ok(replies) => replies,
            Err(error) => {
                tracing::error!(%error, chat_id = input.chat_id, "the bot could not answer an update");
                let t = texts(Language::from_telegram(input.language_code.as_deref()));
                vec![Reply::Send(Message::text(t.failure))]
            }
        }
    }

    async fn step(&self, input: &Incoming) -> Result<Vec<Reply>> {
        // Only private chats with people: their chat id is their positive user id.
        let Ok(telegram_id) = TelegramId::parse(input.chat_id) else {
            return Ok(Vec::new());
        };
        let saved = self.store.conversation(input.chat_id).await?;
        let state: State = saved.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
        let client = self.store.client_by_telegram(telegram_id).await?;
        let mut turn = Turn {
            chat_id: input.chat_id,
            now: self.clock.now(),
            settings: self.store.settings(),
            language: client
                .as_ref()
                .map_or_else(|| Language::from_telegram(input.language_code.as_deref()), |c| c.language),
            message_id: match &input.event {
                Event::Button { message_id, .. } => *message_id,
                _ => None,
            },
        };
        let (next, replies) = match client {
            Some(client) => self.registered(&mut turn, client, state, &input.event).await?,
            None => self.unregistered(&turn, state, &input.event).await?,
        };
        // A chat back at the start (after "delete my data") is not saved: its
        // chat id alone would keep a trace of the person.
        if next == State::New {
            return Ok(replies);
        }
        let next = serde_json::to_string(&next).map_err(|e| StoreError::Backend(e.to_string()))?;
        if saved.as_deref() != Some(next.as_str()) {
            self.store.save_conversation(turn.chat_id, &next, turn.now).await?;
        }
        Ok(replies)
    }

    // --- registration: once, never again per booking ---

    fn greet_new(&self, turn: &Turn) -> (State, Vec<Reply>) {
        let t = turn.t();
        let greeting = fill(t.greeting_new, &[("business", &turn.settings.business_name)]);
        let message = Message { text: format!("{greeting}\n\n{}", t.ask_name), keyboard: Keyboard::Remove };
        (State::AskName, vec![Reply::Send(message)])
    }

    async fn unregistered(&self, turn: &Turn, state: State, event: &Event) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let start = matches!(event, Event::Text(text) if command(text).as_deref() == Some("start"));
        Ok(match (state, event) {
            (_, _) if start => self.greet_new(turn),
            (State::AskName, Event::Text(text)) if is_free_text(text) => match PersonName::parse(text) {
                Ok(name) => {
                    let ask = view::ask_phone(t, fill(t.ask_phone, &[("name", name.as_str())]));
                    (State::AskPhone { name: name.as_str().to_owned() }, vec![Reply::Send(ask)])
                }
                Err(_) => (State::AskName, vec![Reply::Send(Message::text(t.bad_name))]),
            },
            (State::AskName, _) => {
                (State::AskName, vec![Reply::Send(Message { text: t.ask_name.into(), keyboard: Keyboard::Remove })])
            }
            (State::AskPhone { name }, Event::Contact { own: false, .. }) => {
                (State::AskPhone { name }, vec![Reply::Send(view::ask_phone(t, t.not_own_contact))])
            }
            (State::AskPhone { name }, Event::Contact { phone, own: true }) => self.register(turn, name, phone).await?,
            (State::AskPhone { name }, Event::Text(text)) if is_free_text(text) => {
                self.register(turn, name, text).await?
            }
            (State::AskPhone { name }, _) => {
                let ask = view::ask_phone(t, fill(t.ask_phone, &[("name", &name)]));
                (State::AskPhone { name }, vec![Reply::Send(ask)])
            }
            // A stranger, or someone whose data was erased: begin.
            _ => self.greet_new(turn),
        })
    }

    async fn register(&self, turn: &Turn, name: String, phone: &str) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let (Ok(person), Ok(phone)) = (PersonName::parse(&name), PhoneNumber::parse(phone)) else {
            return Ok((State::AskPhone { name }, vec![Reply::Send(view::ask_phone(t, t.bad_phone))]));
        };
        let draft = ClientDraft {
            telegram_id: Some(TelegramId(turn.chat_id)),
            contact: ContactDetails { name: person, phone },
            language: turn.language,
        };
        match self.store.create_client(&draft).await {
            // A duplicate means a second tap already registered them.
            Ok(_) | Err(StoreError::Duplicate(_)) => {}
            Err(other) => return Err(other),
        }
        Ok((State::Ready, vec![Reply::Send(view::menu(t, fill(t.registered, &[("name", &name)])))]))
    }

    // --- a registered client ---

    async fn registered(
        &self,
        turn: &mut Turn,
        client: Client,
        state: State,
        event: &Event,
    ) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let Some(contact) = client.contact.clone() else {
            return Ok(self.greet_new(turn));
        };
        match (state, event) {
            (_, Event::Text(text)) if command(text).as_deref() == Some("start") => Ok((
                State::Ready,
                vec![Reply::Send(view::menu(t, fill(t.greeting_back, &[("name", contact.name.as_str())])))],
            )),
            (State::EditName, Event::Text(text)) if is_free_text(text) => match PersonName::parse(text) {
                Ok(name) => self.save_contact(turn, &client, ContactDetails { name, phone: contact.phone }).await,
                Err(_) => Ok((State::EditName, vec![Reply::Send(Message::text(t.bad_name))])),
            },
            (State::EditPhone, Event::Contact { own: false, .. }) => {
                Ok((State::EditPhone, vec![Reply::Send(view::ask_phone(t, t.not_own_contact))]))
            }
            (State::EditPhone, Event::Contact { phone, own: true }) => {
                self.save_phone(turn, &client, &contact, phone).await
            }
            (State::EditPhone, Event::Text(text)) if is_free_text(text) => {
                self.save_phone(turn, &client, &contact, text).await
            }
            (_, Event::Text(text)) => match menu_choice(text) {
                Some(choice) => Ok((State::Ready, self.menu(turn, &client, choice).await?)),
                None => Ok((State::Ready, vec![Reply::Send(view::menu(t, t.not_understood))])),
            },
            (_, Event::Button { data, .. }) => match Action::decode(data) {
                Some(action) => self.press(turn, &client, action).await,
                None => {
                    tracing::warn!(chat_id = turn.chat_id, "a button with unknown data was pressed");
                    Ok((
                        State::Ready,
                        vec![Reply::Toast(t.not_understood.into()), Reply::Send(view::menu(t, t.not_understood))],
                    ))
                }
            },
            (_, Event::Contact { .. } | Event::Other) => {
                Ok((State::Ready, vec![Reply::Send(view::menu(t, t.not_understood))]))
            }
        }
    }

    async fn menu(&self, turn: &Turn, client: &Client, choice: Choice) -> Result<Vec<Reply>> {
        let t = turn.t();
        Ok(match choice {
            Choice::Book => match self.offered_services(turn).await? {
                services if services.is_empty() => {
                    vec![Reply::Send(view::menu(t, t.no_free_times))]
                }
                services => vec![Reply::Send(view::services(t, &services))],
            },
            Choice::MyBookings => vec![Reply::Send(self.bookings(turn, client, None).await?)],
            Choice::Profile => vec![Reply::Send(profile(t, client))],
            Choice::Contacts => vec![Reply::Send(view::menu(t, contacts(t, &turn.settings)))],
            Choice::Menu => vec![Reply::Send(view::menu(t, t.menu_prompt))],
        })
    }

    async fn press(&self, turn: &mut Turn, client: &Client, action: Action) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let replies = match action {
            Action::Noop => Vec::new(),
            Action::Menu => vec![match turn.message_id {
                Some(_) => turn.show(Message::text(t.menu_prompt)),
                None => Reply::Send(view::menu(t, t.menu_prompt)),
            }],
            Action::Services => vec![self.services(turn, None).await?],
            Action::Service(service) => vec![self.calendar(turn, service, None).await?],
            Action::Month { service, year, month } => {
                vec![self.calendar(turn, service, Date::new(year, month, 1).ok()).await?]
            }
            Action::Day { service, date } => vec![self.day(turn, service, date, None).await?],
            Action::Time { service, slot } => vec![self.summary(turn, service, slot).await?],
            Action::Book { service, slot } => self.book(turn, client, service, slot).await?,
            Action::MyBookings => vec![turn.show(self.bookings(turn, client, None).await?)],
            Action::Confirm(id) => self.confirm(turn, client, id).await?,
            Action::AskCancel(id) => self.ask_cancel(turn, client, id).await?,
            Action::Cancel(id) => self.cancel(turn, client, id).await?,
            Action::EditName => {
                return Ok((State::EditName, vec![Reply::Send(Message::text(t.ask_new_name))]));
            }
            Action::EditPhone => {
                return Ok((State::EditPhone, vec![Reply::Send(view::ask_phone(t, t.ask_new_phone))]));
            }
            Action::SetLanguage(language) => {
                let contact = client.contact.clone().ok_or(StoreError::not_found(Entity::Client, client.id.0))?;
                let draft = ClientDraft { telegram_id: client.telegram_id, contact, language };
                let updated = self.store.update_client(client.id, &draft).await?;
                turn.language = language;
                let t = turn.t();
                vec![turn.show(profile(t, &updated)), Reply::Send(view::menu(t, t.saved))]
            }
            Action::AskErase => vec![turn.show(Message::inline(
                t.ask_erase,
                vec![vec![button(t.yes_erase, Action::Erase)], vec![button(t.no_keep, Action::Menu)]],
            ))],
            Action::Erase => {
                self.store.erase_client(client.id, Actor::Client, turn.now).await?;
                return Ok((
                    State::New,
                    vec![Reply::Send(Message { text: t.erased.into(), keyboard: Keyboard::Remove })],
                ));
            }
        };
        Ok((State::Ready, replies))
    }

    // --- booking: service → day → time → summary → booked ---

    /// Visible services that have at least one free time ahead.
    async fn offered_services(&self, turn: &Turn) -> Result<Vec<Service>> {
        let mut offered = Vec::new();
        for service in self.store.services(false).await? {
            if !self.free_times(turn, &service, turn.now, Timestamp::MAX).await?.is_empty() {
                offered.push(service);
            }
        }
        offered.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(offered)
    }

    async fn services(&self, turn: &Turn, heading: Option<&str>) -> Result<Reply> {
        let t = turn.t();
        let services = self.offered_services(turn).await?;
        if services.is_empty() {
            return Ok(turn.show(Message::inline(t.no_free_times, vec![vec![button(t.to_menu, Action::Menu)]])));
        }
        let mut message = view::services(t, &services);
        if let Some(heading) = heading {
            message.text = format!("{heading}\n\n{}", message.text);
        }
        Ok(turn.show(message))
    }

    /// The start times of `service` in `[from, to)` a client may book now: after the
    /// minimum notice, up to the booking horizon.
    async fn free_times(
        &self,
        turn: &Turn,
        service: &Service,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(SlotId, Timestamp)>> {
        let policy = turn.settings.policy();
        let from = from.max(policy.earliest_start(turn.now));
        let to = to.min(policy.horizon_end(turn.now));
        if from >= to {
            return Ok(Vec::new());
        }
        Ok(self.store.bookable(service, None, from, to).await?.into_iter().map(|t| (t.slot_id, t.start)).collect())
    }

    /// The service, if clients may still book it.
    async fn offered(&self, id: ServiceId) -> Result<Option<Service>> {
        match self.store.service(id).await {
            Ok(service) if !service.hidden => Ok(Some(service)),
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn calendar(&self, turn: &Turn, service: ServiceId, month: Option<Date>) -> Result<Reply> {
        let t = turn.t();
        let Some(service) = self.offered(service).await? else {
            return self.services(turn, Some(t.service_unavailable)).await;
        };
        let free = self.free_times(turn, &service, turn.now, Timestamp::MAX).await?;
        let days: BTreeSet<Date> = free.iter().map(|(_, at)| turn.tz().local(*at).date()).collect();
        let this_month = turn.tz().today(turn.now).first_of_month();
        let last_month = turn.tz().today(turn.settings.policy().horizon_end(turn.now)).first_of_month();
        let first = month
            .unwrap_or_else(|| days.first().map_or(this_month, |d| d.first_of_month()))
            .clamp(this_month, last_month);
        let next = first.checked_add(1.month()).unwrap_or(first);
        let in_month: BTreeSet<Date> = days.range(first..next).copied().collect();
        Ok(turn.show(view::calendar(t, &service, first, &in_month, first > this_month, first < last_month)))
    }

    async fn day(&self, turn: &Turn, service: ServiceId, date: Date, heading: Option<&str>) -> Result<Reply> {
        let t = turn.t();
        let Some(service) = self.offered(service).await? else {
            return self.services(turn, Some(t.service_unavailable)).await;
        };
        let Ok(next_day) = date.tomorrow() else {
            return self.calendar(turn, service.id, None).await;
        };
        let free =
            self.free_times(turn, &service, turn.tz().start_of_day(date), turn.tz().start_of_day(next_day)).await?;
        Ok(turn.show(view::times(t, turn.tz(), &service, date, &free, heading)))
    }

    /// The slot's start, if it still exists.
    async fn slot_start(&self, slot: SlotId) -> Result<Option<Timestamp>> {
        match self.store.slot(slot).await {
            Ok(slot) => Ok(Some(slot.starts_at)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn summary(&self, turn: &Turn, service_id: ServiceId, slot: SlotId) -> Result<Reply> {
        let t = turn.t();
        let Some(service) = self.offered(service_id).await? else {
            return self.services(turn, Some(t.service_unavailable)).await;
        };
        let Some(at) = self.slot_start(slot).await? else {
            return self.calendar(turn, service_id, None).await;
        };
        let still_free = self.free_times(turn, &service, at, at + SignedDuration::from_secs(1)).await?;
        if still_free.is_empty() {
            return self.day(turn, service_id, turn.tz().local(at).date(), Some(t.time_gone)).await;
        }
        Ok(turn.show(view::summary(t, turn.tz(), &service, slot, at)))
    }

    async fn book(&self, turn: &Turn, client: &Client, service_id: ServiceId, slot: SlotId) -> Result<Vec<Reply>> {
        let t = turn.t();
        let Some(service) = self.offered(service_id).await? else {
            return Ok(vec![self.services(turn, Some(t.service_unavailable)).await?]);
        };
        let Some(at) = self.slot_start(slot).await? else {
            return Ok(vec![self.calendar(turn, service_id, None).await?]);
        };
        let day = turn.tz().local(at).date();

        // A second tap on the same "confirm" finds the booking the first one made.
        let mine = AppointmentQuery {
            client_id: Some(client.id),
            from: Some(at),
            to: Some(at + SignedDuration::from_secs(1)),
            ..Default::default()
        };
        let existing = self.store.appointments(&mine).await?.items.into_iter().find(|v| {
            v.appointment.status.is_active()
                && v.appointment.service_id == service_id
                && v.appointment.slot_id == Some(slot)
        });
        if let Some(existing) = existing {
            return Ok(vec![turn.show(Message::text(self.describe(turn, t.already_booked, &existing)))]);
        }

        let request = BookingRequest {
            client_id: client.id,
            service_id,
            at: BookAt::Slot(slot),
            staff_id: None,
            source: Source::Bot,
            notes: String::new(),
        };
        match self.store.book(&request, turn.now).await {
            Ok(booked) => {
                let template =
                    if booked.appointment.status == Status::Confirmed { t.booked_confirmed } else { t.booked_pending };
                Ok(vec![turn.show(Message::text(self.describe(turn, template, &booked)))])
            }
            Err(StoreError::Refused(BookingRefusal::Taken)) => {
                Ok(vec![self.day(turn, service.id, day, Some(t.just_taken)).await?])
            }
            Err(StoreError::Refused(BookingRefusal::InThePast | BookingRefusal::TooSoon { .. })) => {
                Ok(vec![self.day(turn, service.id, day, Some(t.time_gone)).await?])
            }
            Err(StoreError::Refused(BookingRefusal::LimitReached { max })) => Ok(vec![turn.show(Message::inline(
                fill(t.limit_reached, &[("max", &max.to_string())]),
                vec![vec![button(t.menu_my, Action::MyBookings)], vec![button(t.to_menu, Action::Menu)]],
            ))]),
            Err(
                StoreError::Refused(BookingRefusal::ServiceHidden)
                | StoreError::UnknownReference { entity: Entity::Service, .. },
            ) => Ok(vec![self.services(turn, Some(t.service_unavailable)).await?]),
            Err(
                StoreError::UnknownReference { entity: Entity::Slot, .. }
                | StoreError::Refused(BookingRefusal::BeyondHorizon { .. }),
            ) => Ok(vec![self.calendar(turn, service.id, None).await?]),
            Err(other) => Err(other),
        }
    }

    /// A template about one booking, filled: service, date, time, from, to.
    fn describe(&self, turn: &Turn, template: &str, view: &AppointmentView) -> String {
        let (tz, t) = (turn.tz(), turn.t());
        let a = &view.appointment;
        fill(
            template,
            &[
                ("service", &view.service_name),
                ("date", &view::date(t, tz.local(a.starts_at).date())),
                ("time", &view::time(tz, a.starts_at)),
                ("from", &view::time(tz, a.starts_at)),
                ("to", &view::time(tz, a.ends_at)),
            ],
        )
    }

    // --- my bookings ---

    async fn bookings(&self, turn: &Turn, client: &Client, heading: Option<String>) -> Result<Message> {
        let t = turn.t();
        let query = AppointmentQuery { client_id: Some(client.id), from: Some(turn.now), ..Default::default() };
        let upcoming: Vec<AppointmentView> = self
            .store
            .appointments(&query)
            .await?
            .items
            .into_iter()
            .filter(|v| v.appointment.status.is_active())
            .collect();
        let prefix = heading.map(|h| format!("{h}\n\n")).unwrap_or_default();
        if upcoming.is_empty() {
            return Ok(Message::inline(format!("{prefix}{}", t.my_empty), vec![vec![button(t.to_menu, Action::Menu)]]));
        }
        let mut lines = vec![t.my_title.to_owned()];
        let mut rows = Vec::new();
        for (n, booking) in upcoming.iter().enumerate() {
            let n = (n + 1).to_string();
            let a = &booking.appointment;
            let status = if a.status == Status::Pending { t.status_pending } else { t.status_confirmed };
            let item = fill(t.my_item, &[("n", &n), ("status", status)]);
            lines.push(self.describe(turn, &item, booking));
            let mut row = Vec::new();
            if a.status == Status::Pending {
                row.push(button(fill(t.confirm_item, &[("n", &n)]), Action::Confirm(a.id)));
            }
            row.push(button(fill(t.cancel_item, &[("n", &n)]), Action::AskCancel(a.id)));
            rows.push(row);
        }
        rows.push(vec![button(t.to_menu, Action::Menu)]);
        Ok(Message::inline(format!("{prefix}{}", lines.join("\n\n")), rows))
    }

    /// The client's own appointment, still ahead and active; `Err` holds the answer to give instead.
    async fn own_upcoming(
        &self,
        turn: &Turn,
        client: &Client,
        id: AppointmentId,
    ) -> Result<Result<AppointmentView, Vec<Reply>>> {
        let t = turn.t();
        let found = match self.store.appointment(id).await {
            Ok(view) if view.appointment.client_id == client.id => Some(view),
            Ok(_) => {
                tracing::warn!(
                    chat_id = turn.chat_id,
                    appointment = id.0,
                    "a button for another client's booking was pressed"
                );
                None
            }
            Err(StoreError::NotFound { .. }) => None,
            Err(other) => return Err(other),
        };
        let refusal = match found {
            Some(view) if view.appointment.status.is_active() && view.appointment.starts_at > turn.now => {
                return Ok(Ok(view));
            }
            Some(_) => t.not_active,
            None => t.not_found,
        };
        Ok(Err(vec![Reply::Toast(refusal.into()), turn.show(self.bookings(turn, client, Some(refusal.into())).await?)]))
    }

    async fn confirm(&self, turn: &Turn, client: &Client, id: AppointmentId) -> Result<Vec<Reply>> {
        let booking = match self.own_upcoming(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(answer),
        };
        self.store.transition(booking.appointment.id, &Transition::Confirm, Actor::Client, turn.now).await?;
        let done = self.describe(turn, turn.t().confirmed, &booking);
        Ok(vec![Reply::Toast(done.clone()), turn.show(self.bookings(turn, client, Some(done)).await?)])
    }

    async fn ask_cancel(&self, turn: &Turn, client: &Client, id: AppointmentId) -> Result<Vec<Reply>> {
        let t = turn.t();
        let booking = match self.own_upcoming(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(answer),
        };
        Ok(vec![turn.show(Message::inline(
            self.describe(turn, t.ask_cancel, &booking),
            vec![vec![button(t.yes_cancel, Action::Cancel(id)), button(t.no_keep, Action::MyBookings)]],
        ))])
    }

    async fn cancel(&self, turn: &Turn, client: &Client, id: AppointmentId) -> Result<Vec<Reply>> {
        let booking = match self.own_upcoming(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(answer),
        };
        self.store.transition(id, &Transition::Cancel { reason: None }, Actor::Client, turn.now).await?;
        let done = self.describe(turn, turn.t().cancelled, &booking);
        Ok(vec![Reply::Toast(done.clone()), turn.show(self.bookings(turn, client, Some(done)).await?)])
    }

    // --- profile ---

    async fn save_contact(&self, turn: &Turn, client: &Client, contact: ContactDetails) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let draft = ClientDraft { telegram_id: client.telegram_id, contact, language: client.language };
        let updated = self.store.update_client(client.id, &draft).await?;
        Ok((State::Ready, vec![Reply::Send(view::menu(t, t.saved)), Reply::Send(profile(t, &updated))]))
    }

    async fn save_phone(
        &self,
        turn: &Turn,
        client: &Client,
        contact: &ContactDetails,
        phone: &str,
    ) -> Result<(State, Vec<Reply>)> {
        match PhoneNumber::parse(phone) {
            Ok(phone) => self.save_contact(turn, client, ContactDetails { name: contact.name.clone(), phone }).await,
            Err(_) => Ok((State::EditPhone, vec![Reply::Send(view::ask_phone(turn.t(), turn.t().bad_phone))])),
        }
    }
}

fn profile(t: &Texts, client: &Client) -> Message {
    let (name, phone) = client.contact.as_ref().map_or(("—", "—"), |c| (c.name.as_str(), c.phone.as_str()));
    let other = if client.language == Language::Uk { Language::En } else { Language::Uk };
    Message::inline(
        fill(t.profile, &[("name", name), ("phone", phone), ("language", t.language_name)]),
        vec![
            vec![button(t.edit_name, Action::EditName), button(t.edit_phone, Action::EditPhone)],
            vec![button(t.switch_language, Action::SetLanguage(other))],
            vec![button(t.erase, Action::AskErase)],
            vec![button(t.to_menu, Action::Menu)],
        ],
    )
}

fn contacts(t: &Texts, settings: &Settings) -> String {
    let or_unknown = |s: &str| {
        if s.trim().is_empty() { t.unknown.to_owned() } else { s.to_owned() }
    };
    fill(
        t.contacts,
        &[
            ("business", &settings.business_name),
            ("address", &or_unknown(&settings.address)),
            ("phone", &or_unknown(&settings.phone)),
            ("hours", &or_unknown(&settings.hours)),
        ],
    )
}
