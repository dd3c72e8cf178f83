//! The recorded state of the fake: chats, queued updates, calls, faults; shared by the server
//! and the test.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::types::{AnsweredCallback, BotMessage, Fault, RecordedCall, ReplyButton, TgUser};

/// The state behind a mutex, plus a version counter that is bumped on every change so that
/// long polls and test waits wake up.
pub(crate) struct Shared {
    state: Mutex<State>,
    changed: watch::Sender<u64>,
}

impl Shared {
    pub fn new(state: State) -> Self {
        Self { state: Mutex::new(state), changed: watch::Sender::new(0) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the state.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// Changes the state and wakes every waiter.
    pub fn mutate<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let result = f(&mut self.lock());
        self.changed.send_modify(|version| *version += 1);
        result
    }

    /// Changes the state without waking waiters (for bookkeeping only the caller cares about).
    pub fn mutate_quietly<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.lock())
    }

    /// Runs `f` until it returns `Some` (re-running it after each change), or gives `None`
    /// at the deadline or when the fake shuts down.
    pub async fn wait_for<R>(&self, deadline: Instant, mut f: impl FnMut(&mut State) -> Option<R>) -> Option<R> {
        loop {
            let mut changed = self.changed.subscribe();
            let (found, shutting_down) = {
                let mut state = self.lock();
                (f(&mut state), state.shutting_down)
            };
            if found.is_some() {
                return found;
            }
            if shutting_down || Instant::now() >= deadline {
                return None;
            }
            // Err: the deadline passed (checked above on the next turn).
            let _ = tokio::time::timeout_at(deadline, changed.changed()).await;
        }
    }

    /// A receiver that sees every change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

/// Unix seconds now.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)).unwrap_or(0)
}

/// An update waiting to be fetched by `getUpdates` or delivered to the webhook.
#[derive(Debug, Clone)]
pub(crate) struct QueuedUpdate {
    pub id: i64,
    pub json: Value,
}

/// A bot message as it is now, with the inline markup Telegram echoes.
#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub message: BotMessage,
    pub echo_markup: Option<Value>,
    pub edit_date: Option<i64>,
    /// The text as the bot sent it (before `parse_mode`), to tell formatting changes.
    pub raw_text: String,
}

/// One private chat.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChatState {
    /// The bot's messages as they are now (edits applied, deleted ones removed).
    pub messages: Vec<StoredMessage>,
    /// Every message the bot sent, as sent.
    pub sent: Vec<BotMessage>,
    /// How many of `sent` the test has taken with `wait_for_message`.
    pub cursor: usize,
    /// The last message id used in this chat (by the bot or the client).
    pub last_message_id: i64,
    /// The reply keyboard the client shows now.
    pub reply_keyboard: Option<Vec<Vec<ReplyButton>>>,
    /// The user blocked the bot.
    pub blocked: bool,
}

/// The webhook set with `setWebhook`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub allowed_updates: Option<Value>,
    pub max_connections: i64,
}

/// A standing fault: every `every_nth` call of a method fails.
#[derive(Debug, Clone)]
pub(crate) struct StandingFault {
    pub fault: Fault,
    pub every_nth: u32,
    pub count: u64,
}

/// Everything the fake knows and has recorded. Tests read it through
/// [`crate::FakeTelegram::wait_until`] and the getters below.
pub struct State {
    pub(crate) token: String,
    pub(crate) bot: Value,
    pub(crate) users: HashMap<i64, TgUser>,
    /// Group chats the bot is a member of (a business chat), by id: their titles.
    pub(crate) groups: HashMap<i64, String>,
    pub(crate) chats: BTreeMap<i64, ChatState>,
    pub(crate) updates: VecDeque<QueuedUpdate>,
    pub(crate) next_update_id: i64,
    pub(crate) calls: Vec<RecordedCall>,
    /// Callback query ids issued by presses: `true` once answered.
    pub(crate) callbacks: HashMap<String, bool>,
    pub(crate) next_callback_seq: u64,
    pub(crate) answered: Vec<AnsweredCallback>,
    pub(crate) webhook: Option<Webhook>,
    pub(crate) deliver_webhooks: bool,
    pub(crate) webhook_last_error: Option<(i64, String)>,
    pub(crate) faults: HashMap<String, VecDeque<Fault>>,
    pub(crate) standing_faults: HashMap<String, StandingFault>,
    /// `(scope type, language_code)` → the commands list.
    pub(crate) commands: BTreeMap<(String, String), Value>,
    /// Chat id (`None` = default) → the menu button.
    pub(crate) menu_buttons: HashMap<Option<i64>, Value>,
    pub(crate) poll_generation: u64,
    pub(crate) shutting_down: bool,
}

impl State {
    pub(crate) fn new(token: &str, bot_username: &str) -> Self {
        let bot_id: i64 = token.split(':').next().and_then(|id| id.parse().ok()).unwrap_or(1);
        Self {
            token: token.to_owned(),
            bot: json!({
                "id": bot_id,
                "is_bot": true,
                "first_name": "Zapys",
                "username": bot_username,
                "can_join_groups": true,
                "can_read_all_group_messages": false,
                "supports_inline_queries": false,
                "can_connect_to_business": false,
                "has_main_web_app": false,
            }),
            users: HashMap::new(),
            groups: HashMap::new(),
            chats: BTreeMap::new(),
            updates: VecDeque::new(),
            next_update_id: 100_000_001,
            calls: Vec::new(),
            callbacks: HashMap::new(),
            next_callback_seq: 1,
            answered: Vec::new(),
            webhook: None,
            deliver_webhooks: false,
            webhook_last_error: None,
            faults: HashMap::new(),
            standing_faults: HashMap::new(),
            commands: BTreeMap::new(),
            menu_buttons: HashMap::new(),
            poll_generation: 0,
            shutting_down: false,
        }
    }

    // ----- public read API (for `wait_until` predicates) -----

    /// The bot's messages in a chat as they are now (edits applied, deleted ones removed).
    pub fn chat(&self, chat_id: i64) -> Vec<BotMessage> {
        self.chats
            .get(&chat_id)
            .map(|chat| chat.messages.iter().map(|m| m.message.clone()).collect())
            .unwrap_or_default()
    }

    /// The newest bot message in a chat as it is now.
    pub fn last_message(&self, chat_id: i64) -> Option<BotMessage> {
        self.chats.get(&chat_id)?.messages.last().map(|m| m.message.clone())
    }

    /// Every message the bot sent to a chat, as sent (before later edits), oldest first.
    pub fn sent_messages(&self, chat_id: i64) -> &[BotMessage] {
        self.chats.get(&chat_id).map(|chat| chat.sent.as_slice()).unwrap_or_default()
    }

    /// The reply keyboard the client shows in a chat now.
    pub fn reply_keyboard(&self, chat_id: i64) -> Option<&Vec<Vec<ReplyButton>>> {
        self.chats.get(&chat_id)?.reply_keyboard.as_ref()
    }

    /// Every request the bot made, in the order they were answered.
    pub fn calls(&self) -> &[RecordedCall] {
        &self.calls
    }

    /// The requests of one method (case-insensitive).
    pub fn calls_of<'a>(&'a self, method: &'a str) -> impl Iterator<Item = &'a RecordedCall> + 'a {
        self.calls.iter().filter(move |c| c.is(method))
    }

    /// The callback queries the bot answered, in order.
    pub fn answered_callbacks(&self) -> &[AnsweredCallback] {
        &self.answered
    }

    /// Whether the bot answered this callback query.
    pub fn is_callback_answered(&self, id: &str) -> bool {
        self.callbacks.get(id).copied().unwrap_or(false)
    }

    /// Updates not yet acknowledged (polling) or delivered (webhook), oldest first.
    pub fn pending_updates(&self) -> Vec<Value> {
        self.updates.iter().map(|u| u.json.clone()).collect()
    }

    /// The webhook URL set by the bot, if any.
    pub fn webhook_url(&self) -> Option<&str> {
        self.webhook.as_ref().map(|w| w.url.as_str())
    }

    /// The webhook secret token set by the bot, if any.
    pub fn webhook_secret(&self) -> Option<&str> {
        self.webhook.as_ref()?.secret_token.as_deref()
    }

    /// The commands set with `setMyCommands` for the default scope and this language
    /// (`None`: the list for all languages).
    pub fn commands(&self, language_code: Option<&str>) -> Option<&Value> {
        self.commands.get(&("default".to_owned(), language_code.unwrap_or("").to_owned()))
    }

    /// The menu button set with `setChatMenuButton` for a chat (`None`: the default one).
    pub fn menu_button(&self, chat_id: Option<i64>) -> Option<&Value> {
        self.menu_buttons.get(&chat_id)
    }

    /// Whether the user of this private chat blocked the bot.
    pub fn is_blocked(&self, chat_id: i64) -> bool {
        self.chats.get(&chat_id).is_some_and(|c| c.blocked)
    }

    // ----- helpers for the server and the client side -----

    pub(crate) fn chat_mut(&mut self, chat_id: i64) -> &mut ChatState {
        self.chats.entry(chat_id).or_default()
    }

    /// The next message id in a chat (ids are shared by the bot's and the client's messages).
    pub(crate) fn next_message_id(&mut self, chat_id: i64) -> i64 {
        let chat = self.chat_mut(chat_id);
        chat.last_message_id += 1;
        chat.last_message_id
    }

    /// Queues an update (`kind` is `message`, `callback_query`, ...) and returns its id.
    pub(crate) fn queue_update(&mut self, kind: &str, payload: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let mut update = Map::new();
        update.insert("update_id".to_owned(), Value::from(id));
        update.insert(kind.to_owned(), payload);
        self.updates.push_back(QueuedUpdate { id, json: Value::Object(update) });
        id
    }

    /// The private chat object for a chat id (a registered user's chat, or a bare one).
    pub(crate) fn chat_json(&self, chat_id: i64) -> Value {
        if let Some(title) = self.groups.get(&chat_id) {
            return json!({ "id": chat_id, "type": "supergroup", "title": title });
        }
        match self.users.get(&chat_id) {
            Some(user) => user.chat_json(),
            None => json!({ "id": chat_id, "type": "private", "first_name": "User" }),
        }
    }

    /// A bot message as a Bot API `Message` object.
    pub(crate) fn message_json(&self, stored: &StoredMessage) -> Value {
        let message = &stored.message;
        let mut json = json!({
            "message_id": message.message_id,
            "from": self.bot,
            "chat": self.chat_json(message.chat_id),
            "date": message.date,
            "text": message.text,
        });
        if let (Some(map), Some(media)) = (json.as_object_mut(), &message.media) {
            // A photo or voice note has a caption, not a text.
            map.remove("text");
            if !message.text.is_empty() {
                map.insert("caption".to_owned(), Value::from(message.text.as_str()));
            }
            let file = json!({ "file_id": media.file_id, "file_unique_id": format!("u-{}", media.file_id) });
            let file = if media.kind == "photo" { json!([file]) } else { file };
            map.insert(media.kind.clone(), file);
        }
        if let Some(map) = json.as_object_mut() {
            if let Some(edit_date) = stored.edit_date {
                map.insert("edit_date".to_owned(), Value::from(edit_date));
            }
            if let Some(markup) = &stored.echo_markup {
                map.insert("reply_markup".to_owned(), markup.clone());
            }
        }
        json
    }

    pub(crate) fn find_message(&self, chat_id: i64, message_id: i64) -> Option<&StoredMessage> {
        self.chats.get(&chat_id)?.messages.iter().find(|m| m.message.message_id == message_id)
    }

    pub(crate) fn find_message_mut(&mut self, chat_id: i64, message_id: i64) -> Option<&mut StoredMessage> {
        self.chats.get_mut(&chat_id)?.messages.iter_mut().find(|m| m.message.message_id == message_id)
    }

    /// Takes the fault due for this call of `method`, if any (queued faults first).
    pub(crate) fn take_fault(&mut self, method: &str) -> Option<Fault> {
        let standing = self.standing_faults.get_mut(method).and_then(|standing| {
            standing.count += 1;
            (standing.count % u64::from(standing.every_nth.max(1)) == 0).then(|| standing.fault.clone())
        });
        let queued = self.faults.get_mut(method).and_then(VecDeque::pop_front);
        queued.or(standing)
    }
}
