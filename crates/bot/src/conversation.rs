//! The state machine: registration once, then the menu and its flows.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Actor, AppointmentId, BookingRefusal, BusinessTime, Client, Clock, Language, PersonName, PhoneNumber, Service,
    ServiceId, Settings, Source, StaffMember, StaffService, Status, TelegramId, Transition,
};
use zapys_store::{
    AppointmentQuery, AppointmentView, BookAt, BookableTime, BookingRequest, Entity, Paging, Store, StoreError,
};

use crate::callback::{Action, Flow, Pick};
use crate::deep_link::StartLink;
use crate::reply::{Event, Incoming, Keyboard, Message, Reply};
use crate::texts::{EN, Texts, UK, fill, texts};
use crate::view::{self, button};

mod moving;

type Result<T, E = StoreError> = std::result::Result<T, E>;

// --- waitlist ---
mod waitlist;

/// Where a chat is in its conversation. Saved after every update, so a
/// restart in the middle of a booking loses nothing: the booking flow itself
/// lives in the buttons, and only registration and profile edits need state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    #[default]
    New,
    AskName {
        /// The start link the client came by, opened once they are registered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<StartLink>,
    },
    AskPhone {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<StartLink>,
    },
    Ready,
    EditName,
    EditPhone,
    // --- support ---
    /// «Написати нам» was chosen: the next message goes to the business.
    WriteUs,
}

/// The bot: the booking core, seen from a client's chat.
pub struct Bot {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

/// One update being answered: who, when, in which language, under which settings.
pub(crate) struct Turn {
    pub(crate) chat_id: i64,
    pub(crate) now: Timestamp,
    settings: Settings,
    language: Language,
    /// The message whose inline button was pressed.
    message_id: Option<i64>,
}

impl Turn {
    pub(crate) fn t(&self) -> &'static Texts {
        texts(self.language)
    }

    fn tz(&self) -> &BusinessTime {
        &self.settings.timezone
    }

    /// Replaces the pressed message when there is one, else sends a new one.
    pub(crate) fn show(&self, message: Message) -> Reply {
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
    // --- support ---
    Support,
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
            // --- support ---
            (t.menu_support, Choice::Support),
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
        // --- support ---
        "support" | "write" => Some(Choice::Support),
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

    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
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

    fn greet_new(&self, turn: &Turn, link: Option<StartLink>) -> (State, Vec<Reply>) {
        let t = turn.t();
        let greeting = fill(t.greeting_new, &[("business", &t.quoted(&turn.settings.business_name))]);
        let message = Message { text: format!("{greeting}\n\n{}", t.ask_name), keyboard: Keyboard::Remove };
        (State::AskName { link }, vec![Reply::Send(message)])
    }

    async fn unregistered(&self, turn: &Turn, state: State, event: &Event) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        if let Event::Text(text) = event
            && command(text).as_deref() == Some("start")
        {
            return Ok(self.greet_new(turn, StartLink::parse(text)));
        }
        Ok(match (state, event) {
            (State::AskName { link }, Event::Text(text)) if is_free_text(text) => match PersonName::parse(text) {
                Ok(name) => {
                    let ask = view::ask_phone(t, fill(t.ask_phone, &[("name", name.as_str())]));
                    (State::AskPhone { name: name.as_str().to_owned(), link }, vec![Reply::Send(ask)])
                }
                Err(_) => (State::AskName { link }, vec![Reply::Send(Message::text(t.bad_name))]),
            },
            (State::AskName { link }, _) => (
                State::AskName { link },
                vec![Reply::Send(Message { text: t.ask_name.into(), keyboard: Keyboard::Remove })],
            ),
            (State::AskPhone { name, link }, Event::Contact { own: false, .. }) => {
                (State::AskPhone { name, link }, vec![Reply::Send(view::ask_phone(t, t.not_own_contact))])
            }
            (State::AskPhone { name, link }, Event::Contact { phone, own: true }) => {
                self.register(turn, name, phone, link).await?
            }
            (State::AskPhone { name, link }, Event::Text(text)) if is_free_text(text) => {
                self.register(turn, name, text, link).await?
            }
            (State::AskPhone { name, link }, _) => {
                let ask = view::ask_phone(t, fill(t.ask_phone, &[("name", &name)]));
                (State::AskPhone { name, link }, vec![Reply::Send(ask)])
            }
            // A stranger, or someone whose data was erased: begin.
            _ => self.greet_new(turn, None),
        })
    }

    async fn register(
        &self,
        turn: &Turn,
        name: String,
        phone: &str,
        link: Option<StartLink>,
    ) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let (Ok(person), Ok(phone)) = (PersonName::parse(&name), PhoneNumber::parse(phone)) else {
            return Ok((State::AskPhone { name, link }, vec![Reply::Send(view::ask_phone(t, t.bad_phone))]));
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
        let mut replies = vec![Reply::Send(view::menu(t, fill(t.registered, &[("name", &name)])))];
        replies.extend(self.open_link(turn, link).await?);
        Ok((State::Ready, replies))
    }

    /// Where a start link leads: the service's first booking step, or the services a staff member
    /// performs. A link to something no longer offered leads nowhere (the menu is already shown).
    async fn open_link(&self, turn: &Turn, link: Option<StartLink>) -> Result<Vec<Reply>> {
        match link {
            None => Ok(Vec::new()),
            Some(StartLink::Service(id)) => match self.offered(id).await? {
                Some(_) => self.staff_step(turn, id, None).await,
                None => Ok(Vec::new()),
            },
            Some(StartLink::Staff(id)) => {
                let member = match self.store.staff_member(id).await {
                    Ok(member) if !member.hidden => member,
                    Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(Vec::new()),
                    Err(other) => return Err(other),
                };
                let mut services = Vec::new();
                for service in self.offered_services(turn).await? {
                    if member.performs(service.id).is_some()
                        && !self.free_times(turn, &service, Pick::One(id), turn.now, Timestamp::MAX).await?.is_empty()
                    {
                        services.push(service);
                    }
                }
                if services.is_empty() {
                    return Ok(Vec::new());
                }
                Ok(vec![turn.show(view::services_of(turn.t(), &member, &services))])
            }
        }
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
            return Ok(self.greet_new(turn, None));
        };
        // --- comeback --- A client who starts again talks to the bot again: it may write to them first.
        if matches!(event, Event::Text(text) if command(text).as_deref() == Some("start")) {
            self.store.set_chat_blocked(turn.chat_id, None).await?;
        }
        match (state, event) {
            (_, Event::Text(text)) if command(text).as_deref() == Some("start") => {
                let mut replies =
                    vec![Reply::Send(view::menu(t, fill(t.greeting_back, &[("name", contact.name.as_str())])))];
                replies.extend(self.open_link(turn, StartLink::parse(text)).await?);
                Ok((State::Ready, replies))
            }
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
            // --- support ---
            (_, Event::Text(text)) if menu_choice(text) == Some(Choice::Support) => Ok(self.ask_support(turn)),
            (State::WriteUs, Event::Text(text)) if is_free_text(text) => self.take_support(turn, &client, event).await,
            (State::WriteUs, Event::Photo { .. } | Event::Voice { .. }) => {
                self.take_support(turn, &client, event).await
            }
            (State::WriteUs, Event::Contact { .. } | Event::Other) => Ok(self.support_only(turn)),
            (_, Event::Photo { .. } | Event::Voice { .. }) => {
                Ok((State::Ready, vec![Reply::Send(view::menu(t, t.not_understood))]))
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
                services => {
                    let repeat = self.repeat(turn, client).await?;
                    let repeat = repeat.as_ref().map(|(service, staff, times)| view::Repeat { service, staff, times });
                    vec![Reply::Send(view::services(t, turn.tz(), &services, repeat))]
                }
            },
            Choice::MyBookings => vec![Reply::Send(self.bookings(turn, client, None).await?)],
            Choice::Profile => vec![Reply::Send(self.profile(t, client).await?)],
            Choice::Contacts => vec![Reply::Send(view::menu(t, contacts(t, &turn.settings)))],
            Choice::Menu => vec![Reply::Send(view::menu(t, t.menu_prompt))],
            // --- support --- (chosen before: it moves the chat to another step)
            Choice::Support => self.ask_support(turn).1,
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
            Action::Services => vec![self.services(turn, Some(client), None).await?],
            Action::Service(service) => self.staff_step(turn, service, None).await?,
            Action::Staff { service, pick } => self.calendar(turn, service, pick, None).await?,
            Action::Month { service, pick, year, month } => {
                self.calendar(turn, service, pick, Date::new(year, month, 1).ok()).await?
            }
            Action::Day { service, pick, date } => self.day(turn, service, pick, date, None).await?,
            Action::Time { service, pick, at } => self.summary(turn, service, pick, at).await?,
            Action::Book { service, pick, at } => self.book(turn, client, service, pick, at).await?,
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
                vec![turn.show(self.profile(t, &updated).await?), Reply::Send(view::menu(t, t.saved))]
            }
            Action::AskErase => vec![turn.show(Message::inline(
                t.ask_erase,
                vec![vec![button(t.yes_erase, Action::Erase)], vec![button(t.no_keep, Action::Menu)]],
            ))],
            // --- support ---
            Action::WriteUs => return Ok(self.ask_support(turn)),
            Action::Erase => {
                self.store.erase_client(client.id, Actor::Client, turn.now).await?;
                return Ok((
                    State::New,
                    vec![Reply::Send(Message { text: t.erased.into(), keyboard: Keyboard::Remove })],
                ));
            }
            Action::AskMove(id) => self.ask_move(turn, client, id).await?,
            Action::MoveWith { appointment, pick } => self.move_calendar(turn, client, appointment, pick, None).await?,
            Action::MoveMonth { appointment, pick, year, month } => {
                self.move_calendar(turn, client, appointment, pick, Date::new(year, month, 1).ok()).await?
            }
            Action::MoveDay { appointment, pick, date } => {
                self.move_day(turn, client, appointment, pick, date, None).await?
            }
            Action::MoveTime { appointment, pick, at } => {
                self.move_summary(turn, client, appointment, pick, at).await?
            }
            Action::MoveTo { appointment, pick, at } => self.move_to(turn, client, appointment, pick, at).await?,
            // --- waitlist ---
            Action::AskWait { .. } | Action::JoinWait { .. } | Action::TakeOffer { .. } | Action::LeaveWait(_) => {
                self.press_waitlist(turn, client, action).await?
            }
            // --- comeback ---
            Action::RebookNudges(on) => self.rebook_nudges(turn, client, on).await?,
            Action::Rate(id, stars) => self.rate(turn, client, id, stars).await?,
        };
        Ok((State::Ready, replies))
    }

    // --- booking: service → staff member → day → time → summary → booked ---

    /// Visible services that have at least one free time ahead.
    async fn offered_services(&self, turn: &Turn) -> Result<Vec<Service>> {
        let mut offered = Vec::new();
        for service in self.store.services(false).await? {
            if !self.free_times(turn, &service, Pick::Any, turn.now, Timestamp::MAX).await?.is_empty() {
                offered.push(service);
            }
        }
        offered.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(offered)
    }

    async fn services(&self, turn: &Turn, client: Option<&Client>, heading: Option<&str>) -> Result<Reply> {
        let t = turn.t();
        let services = self.offered_services(turn).await?;
        if services.is_empty() {
            return Ok(turn.show(Message::inline(t.no_free_times, vec![vec![button(t.to_menu, Action::Menu)]])));
        }
        let repeat = match client {
            Some(client) => self.repeat(turn, client).await?,
            None => None,
        };
        let repeat = repeat.as_ref().map(|(service, staff, times)| view::Repeat { service, staff, times });
        let mut message = view::services(t, turn.tz(), &services, repeat);
        if let Some(heading) = heading {
            message.text = format!("{heading}\n\n{}", message.text);
        }
        Ok(turn.show(message))
    }

    /// "Book again" for a returning client: their latest booking's service with the same staff
    /// member, when both are still offered and have free times; with the nearest of those times.
    async fn repeat(&self, turn: &Turn, client: &Client) -> Result<Option<(Service, StaffMember, Vec<Timestamp>)>> {
        const NEAREST: usize = 6;
        let query = AppointmentQuery {
            client_id: Some(client.id),
            newest_first: true,
            paging: Paging { limit: Some(10), offset: 0 },
            ..Default::default()
        };
        let latest = self.store.appointments(&query).await?.items.into_iter().find(|v| {
            let status = v.appointment.status;
            status != Status::Cancelled && status != Status::NoShow
        });
        let Some(latest) = latest else { return Ok(None) };
        let a = &latest.appointment;
        let Some(service) = self.offered(a.service_id).await? else { return Ok(None) };
        let Some((staff, _)) = self.performer(a.staff_id, service.id).await? else { return Ok(None) };
        let mut times: Vec<Timestamp> = self
            .free_times(turn, &service, Pick::One(staff.id), turn.now, Timestamp::MAX)
            .await?
            .into_iter()
            .map(|t| t.start)
            .collect();
        times.truncate(NEAREST);
        Ok((!times.is_empty()).then_some((service, staff, times)))
    }

    /// The start times of `service` in `[from, to)` a client may book now with `pick`: after the
    /// minimum notice, up to the booking horizon. For anyone, one per distinct start.
    async fn free_times(
        &self,
        turn: &Turn,
        service: &Service,
        pick: Pick,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<BookableTime>> {
        let policy = turn.settings.policy();
        let from = from.max(policy.earliest_start(turn.now));
        let to = to.min(policy.horizon_end(turn.now));
        if from >= to {
            return Ok(Vec::new());
        }
        let mut times = self.store.bookable(service, pick.staff(), from, to).await?;
        // Sorted by start: the union keeps one button per start time.
        times.dedup_by_key(|t| t.start);
        Ok(times)
    }

    /// The service, if clients may still book it.
    async fn offered(&self, id: ServiceId) -> Result<Option<Service>> {
        match self.store.service(id).await {
            Ok(service) if !service.hidden => Ok(Some(service)),
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Visible staff members who perform the service, by name, with what differs for them.
    async fn performers(&self, service: ServiceId) -> Result<Vec<(StaffMember, StaffService)>> {
        Ok(self
            .store
            .staff()
            .await?
            .into_iter()
            .filter(|m| !m.hidden)
            .filter_map(|m| m.performs(service).copied().map(|own| (m, own)))
            .collect())
    }

    /// The staff member to name in headings: only in a business with several, where the name tells
    /// the client something (one with a single staff member books as it did before staff).
    async fn named<'a>(&self, staff: Option<&'a StaffMember>) -> Result<Option<&'a StaffMember>> {
        let visible = self.store.staff().await?.iter().filter(|m| !m.hidden).count();
        Ok(staff.filter(|_| visible > 1))
    }

    /// The staff member, if they exist, are visible and perform the service.
    async fn performer(
        &self,
        id: zapys_domain::StaffId,
        service: ServiceId,
    ) -> Result<Option<(StaffMember, StaffService)>> {
        match self.store.staff_member(id).await {
            Ok(member) if !member.hidden => Ok(member.performs(service).copied().map(|own| (member, own))),
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Checks a button's service and staff member against the current data: the service and,
    /// for one staff member, that member as they are now. `Err` holds the answer to give instead:
    /// the services, or (for a staff member who does not perform it any more, or never did) the
    /// fresh choice of staff members.
    async fn choice(
        &self,
        turn: &Turn,
        service: ServiceId,
        pick: Pick,
    ) -> Result<Result<(Service, Option<StaffMember>), Vec<Reply>>> {
        let t = turn.t();
        let Some(service) = self.offered(service).await? else {
            return Ok(Err(vec![self.services(turn, None, Some(t.service_unavailable)).await?]));
        };
        match pick {
            Pick::Any => Ok(Ok((service, None))),
            Pick::One(id) => match self.performer(id, service.id).await? {
                Some((member, _)) => Ok(Ok((service, Some(member)))),
                None => {
                    tracing::info!(
                        chat_id = turn.chat_id,
                        staff = id.0,
                        "a button for a staff member who does not take this service"
                    );
                    let performers = self.performers(service.id).await?;
                    let fresh = self.staff_list(turn, &service, performers, Some(t.staff_unavailable)).await?;
                    Ok(Err(vec![Reply::Toast(t.staff_unavailable.into()), fresh]))
                }
            },
        }
    }

    /// After the service: who performs it. Only those with free times are offered, with "anyone";
    /// when a single staff member performs it, straight to their calendar.
    async fn staff_step(&self, turn: &Turn, service: ServiceId, heading: Option<&str>) -> Result<Vec<Reply>> {
        let t = turn.t();
        let Some(service) = self.offered(service).await? else {
            return Ok(vec![self.services(turn, None, Some(t.service_unavailable)).await?]);
        };
        let performers = self.performers(service.id).await?;
        if let [(only, _)] = performers.as_slice() {
            return self.calendar(turn, service.id, Pick::One(only.id), None).await;
        }
        Ok(vec![self.staff_list(turn, &service, performers, heading).await?])
    }

    /// The staff members of `performers` who have free times for the service, and "anyone".
    async fn staff_list(
        &self,
        turn: &Turn,
        service: &Service,
        performers: Vec<(StaffMember, StaffService)>,
        heading: Option<&str>,
    ) -> Result<Reply> {
        let t = turn.t();
        let policy = turn.settings.policy();
        let (earliest, horizon) = (policy.earliest_start(turn.now), policy.horizon_end(turn.now));
        let free: BTreeSet<zapys_domain::StaffId> =
            self.store.bookable(service, None, earliest, horizon).await?.iter().map(|b| b.staff_id).collect();
        let with_time: Vec<_> = performers.into_iter().filter(|(m, _)| free.contains(&m.id)).collect();
        if with_time.is_empty() {
            return self.services(turn, None, Some(t.service_unavailable)).await;
        }
        Ok(turn.show(view::staff(t, service, &with_time, heading)))
    }

    async fn calendar(&self, turn: &Turn, service: ServiceId, pick: Pick, month: Option<Date>) -> Result<Vec<Reply>> {
        let (service, staff) = match self.choice(turn, service, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        // Back to the choice of staff member when there was one; else to the services.
        let back =
            if self.performers(service.id).await?.len() > 1 { Action::Service(service.id) } else { Action::Services };
        let what = view::what(&service, self.named(staff.as_ref()).await?);
        let month = self.month_view(turn, Flow::Book(service.id), &service, pick, month, &what, back).await?;
        Ok(vec![turn.show(month)])
    }

    /// A month of the days with free times for `service` with `pick`, for booking or for moving.
    #[allow(clippy::too_many_arguments)] // what the month is of, and where it leads
    async fn month_view(
        &self,
        turn: &Turn,
        flow: Flow,
        service: &Service,
        pick: Pick,
        month: Option<Date>,
        what: &str,
        back: Action,
    ) -> Result<Message> {
        let free = self.free_times(turn, service, pick, turn.now, Timestamp::MAX).await?;
        let days: BTreeSet<Date> = free.iter().map(|b| turn.tz().local(b.start).date()).collect();
        let this_month = turn.tz().today(turn.now).first_of_month();
        let last_month = turn.tz().today(turn.settings.policy().horizon_end(turn.now)).first_of_month();
        let first = month
            .unwrap_or_else(|| days.first().map_or(this_month, |d| d.first_of_month()))
            .clamp(this_month, last_month);
        let next = first.checked_add(1.month()).unwrap_or(first);
        let in_month: BTreeSet<Date> = days.range(first..next).copied().collect();
        let mut message =
            view::calendar(turn.t(), flow, pick, what, first, &in_month, first > this_month, first < last_month, back);
        if let Flow::Book(service) = flow {
            self.mark_full_days(turn, service, pick, first, &mut message).await?; // --- waitlist ---
        }
        Ok(message)
    }

    async fn day(
        &self,
        turn: &Turn,
        service: ServiceId,
        pick: Pick,
        date: Date,
        heading: Option<&str>,
    ) -> Result<Vec<Reply>> {
        let (service, staff) = match self.choice(turn, service, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        if date.tomorrow().is_err() {
            return self.calendar(turn, service.id, pick, None).await;
        }
        let what = view::what(&service, self.named(staff.as_ref()).await?);
        Ok(vec![turn.show(self.day_view(turn, Flow::Book(service.id), &service, pick, date, &what, heading).await?)])
    }

    /// The free start times of one day for `service` with `pick`, for booking or for moving.
    #[allow(clippy::too_many_arguments)] // what the day is of, and what the heading says
    async fn day_view(
        &self,
        turn: &Turn,
        flow: Flow,
        service: &Service,
        pick: Pick,
        date: Date,
        what: &str,
        heading: Option<&str>,
    ) -> Result<Message> {
        let next_day = date.tomorrow().unwrap_or(date);
        let (from, to) = (turn.tz().start_of_day(date), turn.tz().start_of_day(next_day));
        let free: Vec<Timestamp> =
            self.free_times(turn, service, pick, from, to).await?.into_iter().map(|b| b.start).collect();
        let mut message = view::times(turn.t(), turn.tz(), flow, pick, what, date, &free, heading);
        if let (Flow::Book(service), true) = (flow, free.is_empty()) {
            self.offer_to_wait(turn, service, pick, date, &mut message); // --- waitlist ---
        }
        Ok(message)
    }

    async fn summary(&self, turn: &Turn, service: ServiceId, pick: Pick, at: Timestamp) -> Result<Vec<Reply>> {
        let t = turn.t();
        let (service, staff) = match self.choice(turn, service, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
        };
        // Everyone (or the one) free at that very time, each with their own end and price.
        let policy = turn.settings.policy();
        let free: Vec<BookableTime> = if at < policy.earliest_start(turn.now) || at >= policy.horizon_end(turn.now) {
            Vec::new()
        } else {
            self.store.bookable(&service, pick.staff(), at, at + SignedDuration::from_secs(1)).await?
        };
        if free.is_empty() {
            return self.day(turn, service.id, pick, turn.tz().local(at).date(), Some(t.time_gone)).await;
        }
        let members = self.performers(service.id).await?;
        let prices: BTreeSet<Option<i64>> = free
            .iter()
            .map(|b| {
                let own = members.iter().find(|(m, _)| m.id == b.staff_id).and_then(|(_, own)| own.price);
                own.or(service.price).map(|p| p.cents())
            })
            .collect();
        let price = match (prices.first(), prices.last()) {
            (Some(low), Some(high)) if low != high => {
                let cents = |c: &Option<i64>| c.and_then(|c| zapys_domain::Price::from_cents(c).ok());
                format!("{}–{}", view::price(t, cents(low)), view::price(t, cents(high)))
            }
            (Some(one), _) => view::price(t, one.and_then(|c| zapys_domain::Price::from_cents(c).ok())),
            _ => view::price(t, service.price),
        };
        let until = free.iter().map(|b| b.end).max().unwrap_or(at);
        let name = staff.as_ref().map_or(t.anyone_free, |m| m.name.as_str());
        let summary = view::Summary { service: &service, pick, staff: name, at, until, price };
        Ok(vec![turn.show(view::summary(t, turn.tz(), &summary))])
    }

    async fn book(
        &self,
        turn: &Turn,
        client: &Client,
        service_id: ServiceId,
        pick: Pick,
        at: Timestamp,
    ) -> Result<Vec<Reply>> {
        let t = turn.t();
        let (service, _) = match self.choice(turn, service_id, pick).await? {
            Ok(chosen) => chosen,
            Err(answer) => return Ok(answer),
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
                && pick.staff().is_none_or(|staff| staff == v.appointment.staff_id)
        });
        if let Some(existing) = existing {
            return Ok(vec![turn.show(Message::text(self.describe(turn, t.already_booked, &existing)))]);
        }

        // A chosen staff member's own time there; for anyone, the store assigns someone free.
        let request = BookingRequest {
            client_id: client.id,
            service_id,
            at: BookAt::Start(at),
            staff_id: pick.staff(),
            source: Source::Bot,
            notes: String::new(),
        };
        match self.store.book(&request, turn.now).await {
            Ok(booked) => {
                let template =
                    if booked.appointment.status == Status::Confirmed { t.booked_confirmed } else { t.booked_pending };
                Ok(vec![turn.show(Message::text(self.describe(turn, template, &booked)))])
            }
            Err(StoreError::Refused(BookingRefusal::Taken | BookingRefusal::OutsideHours)) => {
                self.day(turn, service.id, pick, day, Some(t.just_taken)).await
            }
            Err(StoreError::Refused(BookingRefusal::InThePast | BookingRefusal::TooSoon { .. })) => {
                self.day(turn, service.id, pick, day, Some(t.time_gone)).await
            }
            Err(StoreError::Refused(BookingRefusal::LimitReached { max })) => Ok(vec![turn.show(Message::inline(
                fill(t.limit_reached, &[("max", &max.to_string())]),
                vec![vec![button(t.menu_my, Action::MyBookings)], vec![button(t.to_menu, Action::Menu)]],
            ))]),
            Err(
                StoreError::Refused(BookingRefusal::ServiceHidden)
                | StoreError::UnknownReference { entity: Entity::Service, .. },
            ) => Ok(vec![self.services(turn, Some(client), Some(t.service_unavailable)).await?]),
            Err(
                StoreError::Refused(BookingRefusal::NotPerformed | BookingRefusal::StaffHidden)
                | StoreError::UnknownReference { entity: Entity::Staff, .. },
            ) => {
                let mut answer = vec![Reply::Toast(t.staff_unavailable.into())];
                answer.extend(self.staff_step(turn, service.id, Some(t.staff_unavailable)).await?);
                Ok(answer)
            }
            Err(StoreError::Refused(BookingRefusal::BeyondHorizon { .. })) => {
                self.calendar(turn, service.id, pick, None).await
            }
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
                ("staff", &view.staff_name),
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
        let waits = self.waits_section(turn, client).await?; // --- waitlist ---
        if upcoming.is_empty() {
            let (text, mut rows) = match waits {
                Some((lines, rows)) => (format!("{prefix}{}\n\n{lines}", t.my_empty), rows),
                None => (format!("{prefix}{}", t.my_empty), Vec::new()),
            };
            rows.push(vec![button(t.to_menu, Action::Menu)]);
            return Ok(Message::inline(text, rows));
        }
        let mut lines = vec![t.my_title.to_owned()];
        let mut rows = Vec::new();
        for (n, booking) in upcoming.iter().enumerate() {
            let n = (n + 1).to_string();
            let a = &booking.appointment;
            let status = if a.status == Status::Pending { t.status_pending } else { t.status_confirmed };
            let item = fill(t.my_item, &[("n", &n), ("status", status)]);
            lines.push(self.describe(turn, &item, booking));
            // Confirming is the business's part; the client is asked to confirm they will come only
            // when a reminder asks for it, so the list offers no button that would blur the two.
            rows.push(vec![
                button(fill(t.move_item, &[("n", &n)]), Action::AskMove(a.id)),
                button(fill(t.cancel_item, &[("n", &n)]), Action::AskCancel(a.id)),
            ]);
        }
        if let Some((waiting, leave)) = waits {
            lines.push(waiting);
            rows.extend(leave);
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
        let booking = match self.changeable(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(answer),
        };
        Ok(vec![turn.show(Message::inline(
            self.describe(turn, t.ask_cancel, &booking),
            vec![vec![button(t.yes_cancel, Action::Cancel(id)), button(t.no_keep, Action::MyBookings)]],
        ))])
    }

    async fn cancel(&self, turn: &Turn, client: &Client, id: AppointmentId) -> Result<Vec<Reply>> {
        let booking = match self.changeable(turn, client, id).await? {
            Ok(booking) => booking,
            Err(answer) => return Ok(answer),
        };
        match self.store.transition(id, &Transition::Cancel { reason: None }, Actor::Client, turn.now).await {
            Ok(_) => {}
            // The window closed between the question and the answer.
            Err(StoreError::Refused(refusal @ BookingRefusal::InsideChangeWindow { .. })) => {
                return Ok(vec![turn.show(self.window_closed(turn, refusal))]);
            }
            Err(other) => return Err(other),
        }
        let done = self.describe(turn, turn.t().cancelled, &booking);
        Ok(vec![Reply::Toast(done.clone()), turn.show(self.bookings(turn, client, Some(done)).await?)])
    }

    // --- profile ---

    async fn save_contact(&self, turn: &Turn, client: &Client, contact: ContactDetails) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let draft = ClientDraft { telegram_id: client.telegram_id, contact, language: client.language };
        let updated = self.store.update_client(client.id, &draft).await?;
        Ok((State::Ready, vec![Reply::Send(view::menu(t, t.saved)), Reply::Send(self.profile(t, &updated).await?)]))
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

pub(crate) fn profile(t: &Texts, client: &Client) -> Message {
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

// --- support ---
#[path = "support.rs"]
pub(crate) mod support;
