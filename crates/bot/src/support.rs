//! «Написати нам»: a client's message to the business, and the business's answer.
//!
//! The client chooses «Написати нам» and their next message (text, a photo with its caption, or a
//! voice note) is stored in their support thread and queued, in the same transaction, for the
//! business chat (`support_message`). The outbox relays it there with who wrote it and their next
//! booking, and records which message of the business chat is its copy. An admin's *reply* to that
//! copy is the answer: stored in the thread and queued for the client's chat (`support_reply`). A
//! reply to any other message, or a message that replies to nothing, reaches nobody: only a copy the
//! store knows names a client, so nothing typed in the business chat can be steered at someone else.
//!
//! Without a business chat (`ADMIN_CHAT_ID` unset) the message is still stored, the client is told
//! it arrived, and the panel shows it (and can answer it).

use jiff::Timestamp;
use zapys_domain::{Client, Language, Notice, Status};
use zapys_store::{AppointmentQuery, OutboxItem, Store, StoreError, SupportDirection, SupportDraft, SupportMedia};

use super::{Bot, Result, State, Turn};
use crate::callback::Action;
use crate::reply::{Event, Message, Reply};
use crate::texts::{UK, fill, texts};
use crate::view::{self, button};

/// Telegram's limits: a message's text, and a photo's or voice note's caption.
const TEXT_LIMIT: usize = 4096;
const CAPTION_LIMIT: usize = 1024;
/// The first of the web simulator's chat ids (above every real Telegram user id).
const SIMULATOR_CHATS_FROM: i64 = 1 << 52;

/// A message in the business chat, as the transport saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessMessage {
    /// The business chat (`ADMIN_CHAT_ID`).
    pub chat_id: i64,
    /// The message it replies to, if it is a reply.
    pub reply_to: Option<i64>,
    /// Who wrote it (their Telegram name), for the thread's log.
    pub author: Option<String>,
    pub event: Event,
}

/// A support message on its way out: text (or the caption) and a photo or voice note, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relay {
    pub text: String,
    pub media: Option<SupportMedia>,
}

/// A support notice, ready to relay or not worth relaying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderedRelay {
    /// Relay it; for a client's message, `message_id` is theirs, to record the copy's id against.
    Send {
        relay: Relay,
        message_id: i64,
    },
    Skip(&'static str),
}

/// The text and media of an event that can be relayed; `None` for anything else.
fn content(event: &Event) -> Option<(String, Option<SupportMedia>)> {
    match event {
        Event::Text(text) => Some((text.trim().to_owned(), None)),
        Event::Photo { file_id, caption } => {
            Some((caption.clone().unwrap_or_default(), Some(SupportMedia::Photo { file_id: file_id.clone() })))
        }
        Event::Voice { file_id, caption } => {
            Some((caption.clone().unwrap_or_default(), Some(SupportMedia::Voice { file_id: file_id.clone() })))
        }
        Event::Contact { .. } | Event::Button { .. } | Event::Other => None,
    }
}

/// At most `limit` characters, the cut marked.
fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(limit.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

/// `template` with `{text}` filled by the message's own words, clipped so the whole fits Telegram.
fn framed(template: &str, values: &[(&str, &str)], text: &str, media: Option<&SupportMedia>) -> String {
    let limit = if media.is_some() { CAPTION_LIMIT } else { TEXT_LIMIT };
    // Filled around the template's own `{text}` only: a name that happens to hold "{text}" stays a name.
    let (before, after) = template.split_once("{text}").unwrap_or((template, ""));
    let (before, after) = (fill(before, values), fill(after, values));
    let room = limit.saturating_sub(before.chars().count() + after.chars().count());
    format!("{before}{}{after}", clip(text, room))
}

impl Bot {
    /// «Написати нам»: asks for the message, with a way back.
    pub(super) fn ask_support(&self, turn: &Turn) -> (State, Vec<Reply>) {
        let t = turn.t();
        let ask = fill(t.support_ask, &[("business", &t.quoted(&turn.settings.business_name))]);
        let message = Message::inline(ask, vec![vec![button(t.support_cancel, Action::Menu)]]);
        (State::WriteUs, vec![turn.show(message)])
    }

    /// Something that cannot be relayed (a sticker, a contact): asks again.
    pub(super) fn support_only(&self, turn: &Turn) -> (State, Vec<Reply>) {
        let t = turn.t();
        let message = Message::inline(t.support_only, vec![vec![button(t.support_cancel, Action::Menu)]]);
        (State::WriteUs, vec![Reply::Send(message)])
    }

    /// Stores the client's message and queues it for the business chat; back to the menu.
    pub(super) async fn take_support(
        &self,
        turn: &Turn,
        client: &Client,
        event: &Event,
    ) -> Result<(State, Vec<Reply>)> {
        let t = turn.t();
        let Some((text, media)) = content(event) else { return Ok(self.support_only(turn)) };
        if text.is_empty() && media.is_none() {
            return Ok(self.support_only(turn));
        }
        let draft =
            SupportDraft { client_id: client.id, direction: SupportDirection::FromClient, text, media, author: None };
        self.store.add_support_message(&draft, turn.now).await?;
        Ok((State::Ready, vec![Reply::Send(view::menu(t, t.support_received))]))
    }

    /// A message in the business chat. A reply to a client's relayed message goes back to that
    /// client (answered with a short acknowledgement in the business chat); anything else reaches
    /// nobody and is not answered. Never fails: a problem is logged.
    pub async fn business(&self, input: &BusinessMessage) -> Vec<Reply> {
        match self.business_step(input).await {
            Ok(replies) => replies,
            Err(error) => {
                tracing::error!(%error, "a message in the business chat could not be handled");
                vec![Reply::Send(Message::text(UK.failure))]
            }
        }
    }

    async fn business_step(&self, input: &BusinessMessage) -> Result<Vec<Reply>> {
        let Some(reply_to) = input.reply_to else { return Ok(Vec::new()) };
        let Some(question) = self.store.support_by_relay(input.chat_id, reply_to).await? else {
            return Ok(Vec::new());
        };
        let t = &UK;
        let Some((text, media)) = content(&input.event).filter(|(text, media)| !text.is_empty() || media.is_some())
        else {
            return Ok(vec![Reply::Send(Message::text(t.admin_support_only))]);
        };
        let draft = SupportDraft {
            client_id: question.client_id,
            direction: SupportDirection::ToClient,
            text,
            media,
            author: input.author.clone(),
        };
        match self.store.add_support_message(&draft, self.clock.now()).await {
            Ok(_) => {}
            // Erased meanwhile, or no longer reachable: nobody to send it to.
            Err(StoreError::UnknownReference { .. } | StoreError::Conflict(_)) => return Ok(Vec::new()),
            Err(other) => return Err(other),
        }
        let client = self.store.client(question.client_id).await?;
        let name = client.contact.as_ref().map_or("—", |c| c.name.as_str());
        Ok(vec![Reply::Send(Message::text(fill(t.admin_support_sent, &[("client", name)])))])
    }
}

impl Bot {
    /// Whether `message_id` in the business chat is the recorded copy of a client's message.
    pub async fn is_support_copy(&self, chat_id: i64, message_id: i64) -> bool {
        matches!(self.store.support_by_relay(chat_id, message_id).await, Ok(Some(_)))
    }
}

/// Renders a support notice: a client's message for the business chat (in the business's
/// language, with who wrote it and their next booking), or the business's answer for the client
/// (in theirs). A message erased since it was queued is not relayed.
pub async fn render(store: &dyn Store, item: &OutboxItem, now: Timestamp) -> Result<RenderedRelay, StoreError> {
    let Some(id) = item.detail.as_deref().and_then(|d| d.parse::<i64>().ok()) else {
        return Ok(RenderedRelay::Skip("no support message"));
    };
    let Some(message) = store.support_message(id).await? else {
        return Ok(RenderedRelay::Skip("the message is gone"));
    };
    let client = match store.client(message.client_id).await {
        Ok(client) if client.contact.is_some() => client,
        Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(RenderedRelay::Skip("the client erased their data")),
        Err(other) => return Err(other),
    };
    let settings = store.settings();
    let relay = match (item.notice, message.direction) {
        (Notice::SupportMessage, SupportDirection::FromClient) => {
            let next = next_booking(store, &client, now, &settings.timezone).await?;
            let (name, phone) = client.contact.as_ref().map_or(("—", "—"), |c| (c.name.as_str(), c.phone.as_str()));
            let text = framed(
                UK.admin_support,
                &[("client", name), ("phone", phone), ("next", &next)],
                &message.text,
                message.media.as_ref(),
            );
            Relay { text, media: message.media.clone() }
        }
        (Notice::SupportReply, SupportDirection::ToClient) => {
            // The simulator's chats are not Telegram's: the simulator shows the answer itself.
            if item.chat_id.is_some_and(|chat| chat >= SIMULATOR_CHATS_FROM) {
                return Ok(RenderedRelay::Skip("a simulator chat: the simulator shows the answer"));
            }
            // Only ever to the chat of the client the thread belongs to.
            if client.telegram_id.map(|t| t.0) != item.chat_id {
                return Ok(RenderedRelay::Skip("the client's chat changed"));
            }
            let t = texts(client.language);
            let business = t.quoted(&settings.business_name);
            let text = framed(t.support_reply, &[("business", &business)], &message.text, message.media.as_ref());
            Relay { text, media: message.media.clone() }
        }
        _ => return Ok(RenderedRelay::Skip("not a support notice")),
    };
    Ok(RenderedRelay::Send { relay, message_id: message.id })
}

/// The client's next active booking, as the business chat reads it.
async fn next_booking(
    store: &dyn Store,
    client: &Client,
    now: Timestamp,
    tz: &zapys_domain::BusinessTime,
) -> Result<String, StoreError> {
    let query = AppointmentQuery { client_id: Some(client.id), from: Some(now), ..Default::default() };
    let upcoming = store.appointments(&query).await?.items.into_iter().find(|v| v.appointment.status.is_active());
    let t = texts(Language::Uk);
    Ok(match upcoming {
        Some(view) => {
            let a = &view.appointment;
            let pending =
                if a.status == Status::Pending { format!(" — {}", t.status_pending) } else { String::new() };
            let next = fill(
                t.admin_support_next,
                &[
                    ("service", &view.service_name),
                    ("staff", &view.staff_name),
                    ("date", &view::date(t, tz.local(a.starts_at).date())),
                    ("time", &view::time(tz, a.starts_at)),
                ],
            );
            format!("{next}{pending}")
        }
        None => t.admin_support_no_booking.to_owned(),
    })
}
