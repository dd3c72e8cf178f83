//! The conversation, driven directly: no network, a temporary database, a fixed clock.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use zapys_bot::{Bot, Event, Incoming, Keyboard, Message, Reply};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Actor, Buffers, BusinessTime, Clock, Color, Duration, Language, Notice, PersonName, PhoneNumber, Price,
    ServiceDraft, ServiceId, ServiceName, SlotId, Source, StaffDraft, StaffId, StaffName, StaffService, Status,
    TelegramId, Transition,
};
use zapys_store::{AppointmentQuery, BookAt, BookingRequest, DataCipher, Store};
use zapys_store_sqlite::{OpenOptions, SqliteStore};

struct FixedClock(Mutex<Timestamp>);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("not poisoned")
    }
}

/// Monday 2026-03-02 08:00 in Kyiv.
fn monday_morning() -> Timestamp {
    "2026-03-02T06:00:00Z".parse().expect("valid")
}

struct Salon {
    store: Arc<dyn Store>,
    clock: Arc<FixedClock>,
    bot: Bot,
    haircut: ServiceId,
    slots: Vec<SlotId>,
}

async fn salon() -> Salon {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(OpenOptions {
        url: dir.path().join("bot.db").display().to_string(),
        cipher: DataCipher::random(),
        timezone: BusinessTime::parse("Europe/Kyiv").expect("known"),
    })
    .await
    .expect("opens")
    .keep_alive(dir);
    let store: Arc<dyn Store> = Arc::new(store);
    let haircut = store
        .create_service(&ServiceDraft {
            name: ServiceName::parse("Стрижка").expect("valid"),
            duration: Duration::from_minutes(60).expect("valid"),
            price: Some(Price::from_units(600.0).expect("valid")),
            description: String::new(),
            hidden: false,
            buffers: Buffers::NONE,
            rebook_after_days: None,
        })
        .await
        .expect("created")
        .id;
    let tz = store.settings().timezone;
    let staff = zapys_store::sole_staff_member(&*store).await.expect("one staff member");
    let mut slots = Vec::new();
    for hour in [10, 11, 12] {
        let at = tz.resolve(jiff::civil::date(2026, 3, 3).at(hour, 0, 0, 0)).expect("exists").instant;
        slots.push(store.create_slot(staff, at).await.expect("created").id);
    }
    let clock = Arc::new(FixedClock(Mutex::new(monday_morning())));
    let bot = Bot::new(store.clone(), clock.clone());
    Salon { store, clock, bot, haircut, slots }
}

/// One client's chat with the bot, remembering the last message that had inline buttons.
struct Chat<'a> {
    salon: &'a Salon,
    id: i64,
    language: Option<&'static str>,
    next_message_id: i64,
    /// (message id, message) of the latest message with inline buttons.
    inline: Option<(i64, Message)>,
}

impl<'a> Chat<'a> {
    fn new(salon: &'a Salon, id: i64) -> Self {
        Self { salon, id, language: Some("uk"), next_message_id: 1, inline: None }
    }

    async fn send(&mut self, event: Event) -> Vec<Reply> {
        let replies = self
            .salon
            .bot
            .handle(&Incoming { chat_id: self.id, language_code: self.language.map(Into::into), event })
            .await;
        for reply in &replies {
            let message = match reply {
                Reply::Send(message) => {
                    self.next_message_id += 1;
                    Some((self.next_message_id, message))
                }
                Reply::Edit { message_id, message } => Some((*message_id, message)),
                _ => None,
            };
            if let Some((id, message)) = message {
                assert!(!message.text.is_empty(), "Telegram refuses empty texts");
                if let Keyboard::Inline(rows) = &message.keyboard {
                    for b in rows.iter().flatten() {
                        assert!(!b.callback_data.is_empty() && b.callback_data.len() <= 64, "{:?}", b.callback_data);
                        assert!(!b.text.is_empty());
                    }
                    self.inline = Some((id, message.clone()));
                }
            }
        }
        replies
    }

    async fn say(&mut self, text: &str) -> Vec<Reply> {
        self.send(Event::Text(text.into())).await
    }

    /// Presses the inline button with this text on the latest message that has buttons.
    async fn press(&mut self, label: &str) -> Vec<Reply> {
        let (message_id, message) = self.inline.clone().expect("a message with buttons");
        let Keyboard::Inline(rows) = &message.keyboard else { unreachable!() };
        let data = rows
            .iter()
            .flatten()
            .find(|b| b.text == label)
            .unwrap_or_else(|| {
                panic!("no button {label:?} in {:?}", rows.iter().flatten().map(|b| &b.text).collect::<Vec<_>>())
            })
            .callback_data
            .clone();
        self.send(Event::Button { data, message_id: Some(message_id) }).await
    }

    async fn press_data(&mut self, data: &str) -> Vec<Reply> {
        self.send(Event::Button { data: data.into(), message_id: Some(1) }).await
    }

    /// Book → the haircut → Tuesday the 3rd → `time`: the summary, ready to confirm.
    async fn choose(&mut self, time: &str) -> Vec<Reply> {
        self.say("Записатись").await;
        self.press("Стрижка · 60 хв · 600 грн").await;
        self.press("3").await;
        self.press(time).await
    }

    async fn register(&mut self, name: &str, phone: &str) {
        self.say("/start").await;
        self.say(name).await;
        let replies = self.send(Event::Contact { phone: phone.into(), own: true }).await;
        assert!(text(&replies).contains("зареєстровані") || text(&replies).contains("registered"), "{replies:?}");
    }
}

/// All the texts of the replies, joined.
fn text(replies: &[Reply]) -> String {
    replies
        .iter()
        .map(|r| match r {
            Reply::Send(m) | Reply::Edit { message: m, .. } => m.text.clone(),
            Reply::Toast(t) => format!("[toast] {t}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn buttons(replies: &[Reply]) -> Vec<String> {
    replies
        .iter()
        .filter_map(|r| match r {
            Reply::Send(m) | Reply::Edit { message: m, .. } => Some(&m.keyboard),
            _ => None,
        })
        .flat_map(|k| match k {
            Keyboard::Inline(rows) => rows.iter().flatten().map(|b| b.text.clone()).collect::<Vec<_>>(),
            Keyboard::Reply(rows) => rows.iter().flatten().map(|b| b.text.clone()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

fn shows_menu(replies: &[Reply]) -> bool {
    replies.iter().any(|r| matches!(r, Reply::Send(Message { keyboard: Keyboard::Reply(rows), .. }) if rows.iter().flatten().any(|b| b.text == "Записатись" || b.text == "Book")))
}

/// Петро registers in the bot (chat 2002) and gets Tuesday 10:00, booked straight through the store.
async fn petro_takes_ten(salon: &Salon) -> zapys_domain::AppointmentId {
    Chat::new(salon, 2002).register("Петро", "0501234567").await;
    let petro = salon.store.client_by_telegram(TelegramId(2002)).await.expect("reads").expect("registered");
    let request = BookingRequest {
        client_id: petro.id,
        service_id: salon.haircut,
        at: BookAt::Slot(salon.slots[0]),
        staff_id: None,
        source: Source::Bot,
        notes: String::new(),
    };
    salon.store.book(&request, monday_morning()).await.expect("10:00 is free for him").appointment.id
}

async fn outbox_has(salon: &Salon, notice: Notice) -> bool {
    salon.store.notices(&Default::default()).await.expect("lists").items.iter().any(|n| n.notice == notice)
}

async fn bookings_of(salon: &Salon, chat: i64) -> Vec<zapys_store::AppointmentView> {
    let client = salon.store.client_by_telegram(TelegramId(chat)).await.expect("reads").expect("registered");
    salon
        .store
        .appointments(&AppointmentQuery { client_id: Some(client.id), ..Default::default() })
        .await
        .expect("lists")
        .items
}

#[tokio::test]
async fn a_new_client_registers_once_by_sharing_their_contact() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    let hello = chat.say("/start").await;
    assert!(text(&hello).contains("Вітаємо") && text(&hello).contains("Як до вас звертатися"), "{}", text(&hello));
    let ask_phone = chat.say("  Олена   Коваль ").await;
    let Reply::Send(Message { keyboard: Keyboard::Reply(rows), .. }) = &ask_phone[0] else { panic!("{ask_phone:?}") };
    assert!(rows[0][0].request_contact, "a share-my-number button");
    let done = chat.send(Event::Contact { phone: "380671234567".into(), own: true }).await;
    assert!(text(&done).contains("Олена Коваль, ви зареєстровані"), "{}", text(&done));
    assert!(shows_menu(&done));

    let client = salon.store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");
    let contact = client.contact.expect("has contact details");
    assert_eq!((contact.name.as_str(), contact.phone.as_str()), ("Олена Коваль", "+380671234567"));

    let again = chat.say("/start").await;
    assert!(text(&again).contains("З поверненням, Олена Коваль"), "a known client goes straight to the menu");
    assert!(shows_menu(&again));
}

#[tokio::test]
async fn a_typed_phone_is_checked_and_someone_elses_contact_refused() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.say("/start").await;
    assert!(text(&chat.say("").await).contains("від 1 до 100"), "an empty name is asked again");
    chat.say("Петро").await;
    assert!(text(&chat.say("my number is secret").await).contains("не схоже на номер"));
    assert!(
        text(&chat.send(Event::Contact { phone: "+380501112233".into(), own: false }).await)
            .contains("власним номером")
    );
    assert!(text(&chat.send(Event::Other).await).contains("поділіться номером"), "a sticker repeats the question");
    let done = chat.say("050 111 22 33").await;
    assert!(text(&done).contains("зареєстровані"));
    let client = salon.store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");
    assert_eq!(client.contact.expect("contact").phone.as_str(), "+380501112233");
}

#[tokio::test]
async fn a_client_books_through_service_day_time_and_summary() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;

    let services = chat.say("Записатись").await;
    assert_eq!(buttons(&services), ["Стрижка · 60 хв · 600 грн", "До меню"]);
    let calendar = chat.press("Стрижка · 60 хв · 600 грн").await;
    assert!(text(&calendar).contains("Оберіть день"), "{}", text(&calendar));
    let days = buttons(&calendar);
    assert!(days.contains(&"Березень 2026".to_owned()));
    assert_eq!(
        days.iter().filter(|d| d.parse::<u8>().is_ok()).collect::<Vec<_>>(),
        ["3"],
        "only the 3rd has free times"
    );
    assert!(matches!(calendar[0], Reply::Edit { .. }), "the calendar replaces the service list");

    let times = chat.press("3").await;
    assert_eq!(buttons(&times)[..3], ["10:00", "11:00", "12:00"]);
    let summary = chat.press("11:00").await;
    let shown = text(&summary);
    assert!(
        shown.contains("Стрижка")
            && shown.contains("Вт 03.03.2026")
            && shown.contains("11:00–12:00")
            && shown.contains("600 грн"),
        "{shown}"
    );

    let booked = chat.press("✅ Підтвердити").await;
    assert!(
        text(&booked).contains("Ви записані: Стрижка, Вт 03.03.2026 о 11:00")
            && text(&booked).contains("очікує підтвердження"),
        "{}",
        text(&booked)
    );
    assert!(outbox_has(&salon, Notice::NewBooking).await, "the business will hear of it");
    let made = bookings_of(&salon, 1001).await;
    assert_eq!(made.len(), 1);
    assert_eq!((made[0].appointment.source, made[0].appointment.status), (Source::Bot, Status::Pending));
}

#[tokio::test]
async fn a_second_tap_on_confirm_books_once() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;
    let summary = chat.inline.clone().expect("the summary");
    chat.press("✅ Підтвердити").await;
    chat.inline = Some(summary);
    let again = chat.press("✅ Підтвердити").await;
    assert!(text(&again).contains("Цей запис уже зроблено"), "{}", text(&again));
    assert_eq!(bookings_of(&salon, 1001).await.len(), 1);
}

#[tokio::test]
async fn a_time_taken_meanwhile_shows_the_days_fresh_times() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;

    // Someone else books 10:00 while Olena reads the summary.
    petro_takes_ten(&salon).await;

    let lost = chat.press("✅ Підтвердити").await;
    assert!(text(&lost).contains("цей час щойно зайняли"), "{}", text(&lost));
    assert_eq!(buttons(&lost)[..2], ["11:00", "12:00"], "the fresh times of that day");
    assert!(bookings_of(&salon, 1001).await.is_empty());
}

#[tokio::test]
async fn my_bookings_confirm_and_cancel_with_a_second_question() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    let empty = chat.say("Мої записи").await;
    assert!(text(&empty).contains("немає запланованих"));
    chat.choose("10:00").await;
    chat.press("✅ Підтвердити").await;

    let list = chat.say("Мої записи").await;
    assert!(text(&list).contains("1. Стрижка") && text(&list).contains("очікує підтвердження"), "{}", text(&list));
    assert!(!buttons(&list).iter().any(|l| l.contains("Підтвердити")), "the client does not confirm from the list");

    let question = chat.press("✖️ Скасувати №1").await;
    assert!(text(&question).contains("Скасувати запис?"));
    let kept = chat.press("Ні, залишити").await;
    assert!(text(&kept).contains("1. Стрижка"), "nothing was cancelled");
    chat.press("✖️ Скасувати №1").await;
    let cancelled = chat.press("Так, скасувати").await;
    assert!(
        text(&cancelled).contains("Запис скасовано") && text(&cancelled).contains("немає запланованих"),
        "{}",
        text(&cancelled)
    );
    assert!(outbox_has(&salon, Notice::ClientCancelled).await, "the business will hear of it");
    let cancellation = bookings_of(&salon, 1001).await[0].appointment.cancellation.clone().expect("cancelled");
    assert_eq!(cancellation.by, zapys_domain::Actor::Client);
}

#[tokio::test]
async fn a_forged_button_for_another_clients_booking_changes_nothing() {
    let salon = salon().await;
    let theirs = petro_takes_ten(&salon).await;

    let mut attacker = Chat::new(&salon, 1001);
    attacker.register("Олена", "0671234567").await;
    for data in [format!("K{theirs}"), format!("c{theirs}"), format!("k{theirs}")] {
        let answer = attacker.press_data(&data).await;
        assert!(text(&answer).contains("Такого запису не знайдено"), "{data}: {}", text(&answer));
    }
    let still = salon.store.appointment(theirs).await.expect("exists");
    assert_eq!(still.appointment.status, Status::Pending, "untouched");
}

#[tokio::test]
async fn anything_unexpected_gets_a_polite_answer_and_the_menu() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    for event in [
        Event::Text("коли ви працюєте?".into()),
        Event::Text("/unknown_command".into()),
        Event::Other,
        Event::Contact { phone: "+380501112233".into(), own: false },
        Event::Button { data: "zzz".into(), message_id: Some(5) },
        Event::Button { data: "b999:999".into(), message_id: Some(5) },
        Event::Button { data: String::new(), message_id: None },
    ] {
        let answer = chat.send(event.clone()).await;
        assert!(!answer.is_empty(), "{event:?} gets an answer");
        assert!(!text(&answer).is_empty(), "{event:?}");
    }
    let free_text = chat.say("привіт").await;
    assert!(text(&free_text).contains("не зрозумів") && shows_menu(&free_text));
}

#[tokio::test]
async fn an_english_speaking_client_is_answered_in_english_and_can_switch() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.language = Some("en-GB");
    let hello = chat.say("/start").await;
    assert!(text(&hello).contains("Welcome"), "{}", text(&hello));
    chat.say("Emily Clark").await;
    chat.send(Event::Contact { phone: "+447700900123".into(), own: true }).await;
    let services = chat.say("Book").await;
    assert_eq!(buttons(&services), ["Стрижка · 60 min · 600 UAH", "Menu"]);

    let profile = chat.say("Profile").await;
    assert!(text(&profile).contains("Language: English"));
    let switched = chat.press("🇺🇦 Українська").await;
    assert!(text(&switched).contains("Мова: українська") && shows_menu(&switched), "{}", text(&switched));
    assert!(text(&chat.say("Контакти").await).contains("Zapys"), "Ukrainian menu labels work now");
}

#[tokio::test]
async fn deleting_my_data_forgets_me_and_cancels_my_future_bookings() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;
    chat.press("✅ Підтвердити").await;
    let client = salon.store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");

    chat.say("Профіль").await;
    chat.press("🗑 Видалити мої дані").await;
    let gone = chat.press("Так, видалити").await;
    assert!(text(&gone).contains("дані видалено"));
    assert!(salon.store.client_by_telegram(TelegramId(1001)).await.expect("reads").is_none());
    let history = salon
        .store
        .appointments(&AppointmentQuery { client_id: Some(client.id), ..Default::default() })
        .await
        .expect("lists");
    assert_eq!(history.items[0].appointment.status, Status::Cancelled);
    assert!(history.items[0].client.is_none(), "anonymised");
    assert!(text(&chat.say("Записатись").await).contains("Як до вас звертатися"), "a stranger again");
}

#[tokio::test]
async fn a_restart_in_the_middle_loses_nothing() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.say("/start").await;
    chat.say("Олена").await;
    // A new Bot over the same database, as after a restart.
    let restarted = Bot::new(salon.store.clone(), salon.clock.clone());
    let replies = restarted
        .handle(&Incoming { chat_id: 1001, language_code: None, event: Event::Text("0671234567".into()) })
        .await;
    assert!(text(&replies).contains("Олена, ви зареєстровані"), "{}", text(&replies));

    // A booking half-way: the calendar's buttons still work after a restart.
    chat.say("Записатись").await;
    chat.press("Стрижка · 60 хв · 600 грн").await;
    chat.press("3").await;
    let day_buttons = chat.inline.clone().expect("times");
    let salon_after = Salon { bot: Bot::new(salon.store.clone(), salon.clock.clone()), ..salon };
    let mut resumed =
        Chat { salon: &salon_after, id: 1001, language: Some("uk"), next_message_id: 50, inline: Some(day_buttons) };
    resumed.press("12:00").await;
    assert!(text(&resumed.press("✅ Підтвердити").await).contains("Ви записані"));
}

#[tokio::test]
async fn no_free_times_is_said_plainly_with_the_menu() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    salon.clock.0.lock().map(|mut now| *now = "2026-03-04T00:00:00Z".parse().expect("valid")).expect("not poisoned");
    let answer = chat.say("Записатись").await;
    assert!(text(&answer).contains("немає вільного часу") && shows_menu(&answer), "{}", text(&answer));
}

#[tokio::test]
async fn a_hidden_service_is_not_offered_even_from_an_old_button() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Записатись").await;
    let mut draft = ServiceDraft {
        name: ServiceName::parse("Стрижка").expect("valid"),
        duration: Duration::from_minutes(60).expect("valid"),
        price: None,
        description: String::new(),
        hidden: true,
        buffers: Buffers::NONE,
        rebook_after_days: None,
    };
    salon.store.update_service(salon.haircut, &draft).await.expect("hidden");
    let answer = chat.press("Стрижка · 60 хв · 600 грн").await;
    assert!(text(&answer).contains("немає вільного часу") || text(&answer).contains("недоступна"), "{}", text(&answer));
    draft.hidden = false;
    salon.store.update_service(salon.haircut, &draft).await.expect("shown");
}

#[tokio::test]
async fn the_per_client_limit_is_explained() {
    let salon = salon().await;
    let mut settings = salon.store.settings();
    settings.max_active_bookings = 1;
    salon.store.save_settings(&settings).await.expect("saved");
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    for (time, expect) in [("10:00", "Ви записані"), ("12:00", "1 активних записи")] {
        chat.choose(time).await;
        let answer = chat.press("✅ Підтвердити").await;
        assert!(text(&answer).contains(expect), "{}", text(&answer));
    }
}

/// Олена, already registered in the bot as chat 1001.
async fn register_olena(salon: &Salon) {
    salon
        .store
        .create_client(&ClientDraft {
            telegram_id: Some(TelegramId(1001)),
            contact: ContactDetails {
                name: PersonName::parse("Олена").expect("valid"),
                phone: PhoneNumber::parse("0671234567").expect("valid"),
            },
            language: Language::Uk,
        })
        .await
        .expect("created");
}

#[tokio::test]
async fn random_input_never_panics_and_every_message_is_answered() {
    let salon = salon().await;
    // A registered client and strangers, fed random texts, contacts, stickers and button data.
    register_olena(&salon).await;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let words = [
        "/start",
        "Записатись",
        "Мої записи",
        "Профіль",
        "Контакти",
        "Book",
        "привіт",
        "",
        " ",
        "/my",
        "0671234567",
        "Олена",
        "🙂",
        "a\u{0}b",
    ];
    let data = [
        "n",
        "M",
        "S",
        "L",
        "s1",
        "s2",
        "m1:202603",
        "m1:209912",
        "d1:20260303",
        "d1:20250101",
        "t1:1",
        "t1:2",
        "b1:1",
        "b1:3",
        "c1",
        "k1",
        "K1",
        "pn",
        "pp",
        "len",
        "e?",
        "x",
        "s",
        "b1:",
        "\u{ff}",
    ];
    for step in 0..600 {
        let chat_id = [1001, 3003, 4004, -5][usize::try_from(next() % 4).expect("small")];
        let event = match next() % 5 {
            0 | 1 => Event::Text(words[usize::try_from(next() % words.len() as u64).expect("small")].into()),
            2 => Event::Button {
                data: data[usize::try_from(next() % data.len() as u64).expect("small")].into(),
                message_id: Some(1),
            },
            3 => Event::Contact {
                phone: ["+380671112233", "nope", "12"][usize::try_from(next() % 3).expect("small")].into(),
                own: next() % 2 == 0,
            },
            _ => Event::Other,
        };
        let replies = salon.bot.handle(&Incoming { chat_id, language_code: None, event: event.clone() }).await;
        let is_message = !matches!(event, Event::Button { .. });
        if chat_id > 0 && is_message {
            assert!(
                replies.iter().any(|r| matches!(r, Reply::Send(_) | Reply::Edit { .. })),
                "step {step}: {event:?} got no answer"
            );
        }
    }
    // Whatever happened, the rules held: no overlapping active bookings.
    let all = salon.store.appointments(&AppointmentQuery::default()).await.expect("lists").items;
    let active: Vec<_> = all.iter().filter(|v| v.appointment.status.occupies_time()).collect();
    for (i, a) in active.iter().enumerate() {
        for b in &active[i + 1..] {
            assert!(
                a.appointment.ends_at <= b.appointment.starts_at || b.appointment.ends_at <= a.appointment.starts_at
            );
        }
    }
}

#[tokio::test]
async fn any_date_on_a_day_or_month_button_gets_an_answer_and_never_panics() {
    let salon = salon().await;
    register_olena(&salon).await;
    let service = salon.haircut.0;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    // The edges of the calendar, then dates from years 0001 to 9999 at random (some invalid: 31 February).
    let mut presses: Vec<String> = ["00010101", "99991230", "99991231", "20260229", "20260302"]
        .iter()
        .map(|d| format!("d{service}:{d}"))
        .chain(["000101", "999912", "999901", "202603"].iter().map(|m| format!("m{service}:{m}")))
        .collect();
    for _ in 0..300 {
        let (year, month, day) = (1 + next(9999), 1 + next(12), 1 + next(31));
        presses.push(format!("d{service}:{year:04}{month:02}{day:02}"));
        presses.push(format!("m{service}:{year:04}{month:02}"));
    }
    for data in presses {
        let event = Event::Button { data: data.clone(), message_id: Some(1) };
        let replies = salon.bot.handle(&Incoming { chat_id: 1001, language_code: None, event }).await;
        assert!(
            replies.iter().any(|r| matches!(r, Reply::Send(_) | Reply::Edit { .. } | Reply::Toast(_))),
            "{data} got an answer"
        );
    }
}

// --- staff members ---

/// A salon with three staff members: Оксана (haircuts, at her own price), Ірина (haircuts) and
/// Марта (manicure only), each with their own times on Tuesday the 3rd.
struct Team {
    salon: Salon,
    manicure: ServiceId,
    oksana: StaffId,
    iryna: StaffId,
    marta: StaffId,
}

fn member(name: &str, chat: Option<i64>, services: Vec<StaffService>) -> StaffDraft {
    StaffDraft {
        name: StaffName::parse(name).expect("valid"),
        description: String::new(),
        color: Color::nth(0),
        hidden: false,
        telegram_chat_id: chat,
        services,
    }
}

fn performs(service: ServiceId, price: Option<f64>) -> StaffService {
    StaffService { service_id: service, duration: None, price: price.map(|p| Price::from_units(p).expect("valid")) }
}

fn tuesday(hour: i8) -> Timestamp {
    at(2026, 3, 3, hour)
}

fn at(year: i16, month: i8, day: i8, hour: i8) -> Timestamp {
    let tz = BusinessTime::parse("Europe/Kyiv").expect("known");
    tz.resolve(jiff::civil::date(year, month, day).at(hour, 0, 0, 0)).expect("exists").instant
}

async fn team() -> Team {
    let salon = salon().await;
    let store = &salon.store;
    let manicure = store
        .create_service(&ServiceDraft {
            name: ServiceName::parse("Манікюр").expect("valid"),
            duration: Duration::from_minutes(60).expect("valid"),
            price: Some(Price::from_units(400.0).expect("valid")),
            description: String::new(),
            hidden: false,
            buffers: Buffers::NONE,
            rebook_after_days: None,
        })
        .await
        .expect("created")
        .id;
    // The first staff member (who holds the salon's slots at 10, 11 and 12) becomes Оксана.
    let oksana = zapys_store::sole_staff_member(&**store).await.expect("one");
    store
        .update_staff(oksana, &member("Оксана", Some(7001), vec![performs(salon.haircut, Some(800.0))]))
        .await
        .expect("updated");
    let iryna = store
        .create_staff(&member("Ірина", Some(7002), vec![performs(salon.haircut, None)]))
        .await
        .expect("created")
        .id;
    let marta = store.create_staff(&member("Марта", None, vec![performs(manicure, None)])).await.expect("created").id;
    for (who, hour) in [(iryna, 10), (iryna, 12), (marta, 10)] {
        store.create_slot(who, tuesday(hour)).await.expect("created");
    }
    // Оксана's noon is withdrawn: she offers 10 and 11.
    store.delete_slot(salon.slots[2], false, monday_morning()).await.expect("deleted");
    Team { salon, manicure, oksana, iryna, marta }
}

const HAIRCUT: &str = "Стрижка · 60 хв · 600 грн";

#[tokio::test]
async fn the_staff_step_lists_only_those_who_perform_the_service_with_their_own_prices() {
    let team = team().await;
    let mut chat = Chat::new(&team.salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Записатись").await;
    let step = chat.press(HAIRCUT).await;
    assert!(text(&step).contains("Оберіть майстра"), "{}", text(&step));
    assert_eq!(buttons(&step), ["Ірина", "Оксана · 800 грн", "👥 Будь-хто", "‹ Назад", "До меню"], "by name");

    // Her calendar and times are hers alone; the summary names her and her price.
    let calendar = chat.press("Оксана · 800 грн").await;
    assert!(text(&calendar).contains("Стрижка · Оксана") && text(&calendar).contains("Оберіть день"));
    chat.press("3").await;
    assert_eq!(
        buttons(&chat.inline.clone().map(|(_, m)| vec![Reply::Send(m)]).expect("times"))[..2],
        ["10:00", "11:00"]
    );
    let summary = chat.press("11:00").await;
    assert!(text(&summary).contains("Майстер: Оксана") && text(&summary).contains("800 грн"), "{}", text(&summary));
    let booked = chat.press("✅ Підтвердити").await;
    assert!(text(&booked).contains("майстер: Оксана"), "{}", text(&booked));
    let made = bookings_of(&team.salon, 1001).await;
    assert_eq!((made[0].appointment.staff_id, made[0].appointment.starts_at), (team.oksana, tuesday(11)));
    assert_eq!(made[0].price, Some(Price::from_units(800.0).expect("valid")), "her own price");

    // Every step has a way back: from the times to the calendar, to the staff step, to the services.
    chat.say("Записатись").await;
    chat.press(HAIRCUT).await;
    chat.press("Ірина").await;
    chat.press("3").await;
    assert!(text(&chat.press("‹ Назад").await).contains("Оберіть день"));
    assert!(text(&chat.press("‹ Назад").await).contains("Оберіть майстра"));
    assert!(text(&chat.press("‹ Назад").await).contains("беріть послугу"), "the services, after the repeat offer");

    // The manicure has one staff member: no step, straight to her calendar; back goes to the services.
    let calendar = chat.press("Манікюр · 60 хв · 400 грн").await;
    assert!(text(&calendar).contains("Манікюр · Марта") && text(&calendar).contains("Оберіть день"));
    assert!(!buttons(&calendar).iter().any(|b| b.contains("Будь-хто")));
    assert!(text(&chat.press("‹ Назад").await).contains("беріть послугу"), "the services, after the repeat offer");
    let _ = team.manicure;
}

#[tokio::test]
async fn any_available_shows_the_union_and_the_store_assigns_someone_free() {
    let team = team().await;
    let mut chat = Chat::new(&team.salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Записатись").await;
    chat.press(HAIRCUT).await;
    chat.press("👥 Будь-хто").await;
    let times = chat.press("3").await;
    assert_eq!(buttons(&times)[..3], ["10:00", "11:00", "12:00"], "one button per distinct start");
    let summary = chat.press("10:00").await;
    assert!(text(&summary).contains("Майстер: будь-хто вільний"), "{}", text(&summary));
    assert!(text(&summary).contains("600 грн–800 грн"), "either price: {}", text(&summary));
    let booked = chat.press("✅ Підтвердити").await;
    let first = bookings_of(&team.salon, 1001).await.remove(0);
    assert!([team.oksana, team.iryna].contains(&first.appointment.staff_id));
    assert!(
        text(&booked).contains(&format!("майстер: {}", first.staff_name)),
        "names who was assigned: {}",
        text(&booked)
    );

    // A second client asks anyone for 10:00 too and gets the other staff member.
    let mut other = Chat::new(&team.salon, 1002);
    other.register("Петро", "0501234567").await;
    other.say("Записатись").await;
    other.press(HAIRCUT).await;
    other.press("👥 Будь-хто").await;
    other.press("3").await;
    other.press("10:00").await;
    other.press("✅ Підтвердити").await;
    let second = bookings_of(&team.salon, 1002).await.remove(0);
    assert_eq!(second.appointment.starts_at, tuesday(10));
    assert_ne!(second.appointment.staff_id, first.appointment.staff_id, "two clients at 10:00 with two staff members");

    // Now nobody is free at 10:00.
    let mut third = Chat::new(&team.salon, 1003);
    third.register("Іван", "0931234567").await;
    third.say("Записатись").await;
    third.press(HAIRCUT).await;
    third.press("👥 Будь-хто").await;
    assert_eq!(buttons(&third.press("3").await)[..2], ["11:00", "12:00"]);
}

#[tokio::test]
async fn a_returning_client_books_again_in_at_most_four_taps() {
    let team = team().await;
    let store = &team.salon.store;
    let mut chat = Chat::new(&team.salon, 1001);
    chat.register("Олена", "0671234567").await;
    // Last week's visit: a haircut with Ірина, done.
    let olena = store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");
    let request = BookingRequest {
        client_id: olena.id,
        service_id: team.salon.haircut,
        at: BookAt::Start(tuesday(12)),
        staff_id: Some(team.iryna),
        source: Source::Bot,
        notes: String::new(),
    };
    let visit = store.book(&request, monday_morning()).await.expect("booked").appointment.id;
    let after = at(2026, 3, 3, 14);
    team.salon.clock.0.lock().map(|mut now| *now = after).expect("not poisoned");
    store.transition(visit, &Transition::Complete, Actor::Admin, after).await.expect("completed");
    // Ірина's next week: seven free hours (and Оксана's, which are not offered again).
    for hour in 10..17 {
        store.create_slot(team.iryna, at(2026, 3, 10, hour)).await.expect("created");
    }
    store.create_slot(team.oksana, at(2026, 3, 10, 9)).await.expect("created");

    let mut taps = 0;
    taps += 1;
    let start = chat.say("Записатись").await;
    assert!(text(&start).contains("Записатись знову: Стрижка — Ірина"), "{}", text(&start));
    let offered = buttons(&start);
    assert_eq!(
        offered[..6],
        ["Вт 10.03 10:00", "Вт 10.03 11:00", "Вт 10.03 12:00", "Вт 10.03 13:00", "Вт 10.03 14:00", "Вт 10.03 15:00"],
        "her nearest six times, not Оксана's 09:00"
    );
    assert!(offered.contains(&HAIRCUT.to_owned()), "the full list stays below");
    taps += 1;
    let summary = chat.press("Вт 10.03 10:00").await;
    assert!(text(&summary).contains("Майстер: Ірина"), "{}", text(&summary));
    taps += 1;
    let booked = chat.press("✅ Підтвердити").await;
    assert!(text(&booked).contains("Ви записані: Стрижка, Вт 10.03.2026 о 10:00, майстер: Ірина"), "{}", text(&booked));
    assert!(taps <= 4, "{taps} taps");
    let again = bookings_of(&team.salon, 1001).await.into_iter().find(|v| v.appointment.id != visit).expect("booked");
    assert_eq!((again.appointment.staff_id, again.appointment.starts_at), (team.iryna, at(2026, 3, 10, 10)));

    // "My bookings" names her.
    let mine = chat.say("Мої записи").await;
    assert!(text(&mine).contains("Стрижка — Ірина"), "{}", text(&mine));
}

#[tokio::test]
async fn a_forged_or_stale_staff_button_changes_nothing() {
    let team = team().await;
    let mut chat = Chat::new(&team.salon, 1001);
    chat.register("Олена", "0671234567").await;
    let (haircut, marta, iryna) = (team.salon.haircut, team.marta, team.iryna);
    let ten = tuesday(10).as_second();
    // Марта does not cut hair, but has a slot at 10:00; 999 does not exist.
    for data in [
        format!("f{haircut}:{marta}"),
        format!("m{haircut}:{marta}:202603"),
        format!("d{haircut}:{marta}:20260303"),
        format!("t{haircut}:{marta}:{ten}"),
        format!("b{haircut}:{marta}:{ten}"),
        format!("b{haircut}:999:{ten}"),
    ] {
        let answer = chat.press_data(&data).await;
        assert!(text(&answer).contains("не записує на цю послугу"), "{data}: {}", text(&answer));
        let offered = buttons(&answer);
        assert!(offered.contains(&"Ірина".to_owned()) && !offered.contains(&"Марта".to_owned()), "{data}: {offered:?}");
    }
    assert!(bookings_of(&team.salon, 1001).await.is_empty(), "nothing was booked");

    // A button of a staff member hidden since the message was shown.
    chat.say("Записатись").await;
    chat.press(HAIRCUT).await;
    chat.press("Ірина").await;
    chat.press("3").await;
    chat.press("10:00").await;
    let mut hidden = member("Ірина", Some(7002), vec![performs(haircut, None)]);
    hidden.hidden = true;
    team.salon.store.update_staff(iryna, &hidden).await.expect("hidden");
    let answer = chat.press("✅ Підтвердити").await;
    assert!(text(&answer).contains("не записує на цю послугу"), "{}", text(&answer));
    assert!(!buttons(&answer).contains(&"Ірина".to_owned()));
    assert!(bookings_of(&team.salon, 1001).await.is_empty(), "nothing was booked");
}

/// The staff notices in the outbox: (kind, chat) pairs, oldest first.
async fn staff_notices(salon: &Salon) -> Vec<(Notice, Option<i64>)> {
    let mut all = salon.store.notices(&Default::default()).await.expect("lists").items;
    all.sort_by_key(|n| n.id);
    all.into_iter().filter(|n| n.notice.for_staff()).map(|n| (n.notice, n.chat_id)).collect()
}

#[tokio::test]
async fn a_staff_member_with_a_chat_hears_of_their_own_new_moved_and_cancelled_bookings_only() {
    let team = team().await;
    let store = &team.salon.store;
    let mut chat = Chat::new(&team.salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Записатись").await;
    chat.press(HAIRCUT).await;
    chat.press("Оксана · 800 грн").await;
    chat.press("3").await;
    chat.press("10:00").await;
    chat.press("✅ Підтвердити").await;
    let booking = bookings_of(&team.salon, 1001).await.remove(0).appointment.id;
    assert_eq!(staff_notices(&team.salon).await, [(Notice::StaffBooked, Some(7001))], "Оксана only");
    assert!(outbox_has(&team.salon, Notice::NewBooking).await, "the business still hears of it");

    // The admin moves it to 11:00: Оксана hears of the move.
    let move_to = |target, staff| zapys_store::Reschedule {
        target,
        staff_id: staff,
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: None,
    };
    let eleven = move_to(Some(zapys_store::Target::At(tuesday(11))), None);
    store.reschedule(booking, &eleven, monday_morning()).await.expect("moved");
    // Then gives it to Ірина at noon: Оксана hears it went away, Ірина of a new booking.
    let noon = move_to(Some(zapys_store::Target::At(tuesday(12))), Some(team.iryna));
    store.reschedule(booking, &noon, monday_morning()).await.expect("reassigned");
    // And cancels it: Ірина hears.
    let cancel = Transition::Cancel { reason: Some("хвороба".into()) };
    store.transition(booking, &cancel, Actor::Admin, monday_morning()).await.expect("cancelled");
    assert_eq!(
        staff_notices(&team.salon).await,
        [
            (Notice::StaffBooked, Some(7001)),
            (Notice::StaffMoved, Some(7001)),
            (Notice::StaffReassigned, Some(7001)),
            (Notice::StaffBooked, Some(7002)),
            (Notice::StaffCancelled, Some(7002)),
        ]
    );

    // Марта has no chat: her bookings tell nobody but the business and the client.
    let mut other = Chat::new(&team.salon, 1002);
    other.register("Петро", "0501234567").await;
    other.say("Записатись").await;
    other.press("Манікюр · 60 хв · 400 грн").await;
    other.press("3").await;
    other.press("10:00").await;
    other.press("✅ Підтвердити").await;
    assert_eq!(staff_notices(&team.salon).await.len(), 5);

    // Each goes to the staff member's own lane, and reads as what happened to their calendar.
    let items = store.notices(&Default::default()).await.expect("lists").items;
    let now = monday_morning();
    for item in items.iter().filter(|n| n.notice.for_staff()) {
        assert_eq!(item.lane(), zapys_store::Lane::Chat(item.chat_id.expect("a chat")));
        let zapys_bot::notices::Rendered::Send(message) =
            zapys_bot::notices::render(&**store, item, now).await.expect("renders")
        else {
            panic!("{:?} was skipped", item.notice)
        };
        let expected = match item.notice {
            Notice::StaffBooked if item.chat_id == Some(7001) => {
                "Новий запис до вас: Олена, +380671234567\nСтрижка: Вт 03.03.2026, 10:00–11:00"
            }
            Notice::StaffBooked => "Новий запис до вас: Олена, +380671234567\nСтрижка: Вт 03.03.2026, 12:00–13:00",
            Notice::StaffMoved => "тепер Вт 03.03.2026, 11:00–12:00 (було: Вт 03.03.2026 10:00)",
            Notice::StaffReassigned => {
                "передано іншому майстру: Олена, +380671234567\nСтрижка: Вт 03.03.2026, 11:00–12:00"
            }
            _ => "Запис скасовано: Олена, +380671234567\nСтрижка: Вт 03.03.2026, 12:00–13:00\nПричина: хвороба",
        };
        assert!(message.text.contains(expected), "{:?}: {}", item.notice, message.text);
    }
}

// --- moving a booking, the change window, start links ---

async fn set_clock(salon: &Salon, now: &str) {
    salon.clock.0.lock().map(|mut clock| *clock = now.parse().expect("valid")).expect("not poisoned");
}

async fn change_window(salon: &Salon, hours: u32) {
    let mut settings = salon.store.settings();
    settings.change_window_hours = hours;
    settings.phone = "+380441234567".into();
    salon.store.save_settings(&settings).await.expect("saved");
}

fn active(bookings: &[zapys_store::AppointmentView]) -> Vec<(Timestamp, StaffId)> {
    bookings
        .iter()
        .filter(|b| b.appointment.status.is_active())
        .map(|b| (b.appointment.starts_at, b.appointment.staff_id))
        .collect()
}

#[tokio::test]
async fn a_client_moves_a_booking_seeing_old_and_new_and_the_business_hears_of_it() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;
    chat.press("✅ Підтвердити").await;
    let staff = bookings_of(&salon, 1001).await[0].appointment.staff_id;

    chat.say("Мої записи").await;
    let calendar = chat.press("🔁 Перенести №1").await;
    assert!(text(&calendar).contains("Перенесення запису: Стрижка, Вт 03.03.2026 о 10:00"), "{}", text(&calendar));
    let day = chat.press("3").await;
    assert!(buttons(&day).contains(&"11:00".to_owned()) && buttons(&day).contains(&"12:00".to_owned()));
    let summary = chat.press("11:00").await;
    assert!(
        text(&summary).contains("Було: Вт 03.03.2026 о 10:00")
            && text(&summary).contains("Стане: Вт 03.03.2026, 11:00–12:00"),
        "{}",
        text(&summary)
    );
    let move_data = button_data(&chat, "✅ Перенести");
    let moved = chat.press("✅ Перенести").await;
    assert!(
        text(&moved).contains("Запис перенесено: Стрижка, тепер Вт 03.03.2026 о 11:00")
            && text(&moved).contains("було: Вт 03.03.2026 о 10:00"),
        "{}",
        text(&moved)
    );
    assert_eq!(active(&bookings_of(&salon, 1001).await), [(tuesday(11), staff)], "moved, not copied");

    // The old time is free again for anyone; the new one is held.
    let haircut = salon.store.service(salon.haircut).await.expect("reads");
    let free: Vec<Timestamp> = salon
        .store
        .bookable(&haircut, None, tuesday(0), tuesday(23))
        .await
        .expect("reads")
        .iter()
        .map(|b| b.start)
        .collect();
    assert_eq!(free, [tuesday(10), tuesday(12)]);

    // The business hears what the client did, with where it was.
    let notice = salon
        .store
        .notices(&Default::default())
        .await
        .expect("lists")
        .items
        .into_iter()
        .find(|n| n.notice == Notice::ClientMoved)
        .expect("the business is told");
    let zapys_bot::notices::Rendered::Send(message) =
        zapys_bot::notices::render(&*salon.store, &notice, monday_morning()).await.expect("renders")
    else {
        panic!("skipped")
    };
    assert!(
        message.text.contains("Клієнт переніс запис: Олена, +380671234567")
            && message.text.contains("тепер Вт 03.03.2026, 11:00–12:00 (було: Вт 03.03.2026 10:00)"),
        "{}",
        message.text
    );

    // A second tap on the same button changes nothing and shows where the booking is.
    let again = chat.press_data(&move_data).await;
    assert!(text(&again).contains("1. Стрижка"), "{}", text(&again));
    assert_eq!(active(&bookings_of(&salon, 1001).await), [(tuesday(11), staff)]);
    let moves = salon.store.notices(&Default::default()).await.expect("lists").items;
    assert_eq!(moves.iter().filter(|n| n.notice == Notice::ClientMoved).count(), 1);
}

/// The callback data of the button with this text on the chat's latest message with buttons.
fn button_data(chat: &Chat<'_>, label: &str) -> String {
    let (_, message) = chat.inline.clone().expect("a message with buttons");
    let Keyboard::Inline(rows) = &message.keyboard else { unreachable!() };
    rows.iter().flatten().find(|b| b.text == label).expect("the button").callback_data.clone()
}

#[tokio::test]
async fn a_move_that_loses_a_race_keeps_the_old_booking() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;
    chat.press("✅ Підтвердити").await;
    chat.say("Мої записи").await;
    chat.press("🔁 Перенести №1").await;
    chat.press("3").await;
    chat.press("12:00").await;

    // Meanwhile someone else takes noon.
    Chat::new(&salon, 2002).register("Петро", "0501234567").await;
    let petro = salon.store.client_by_telegram(TelegramId(2002)).await.expect("reads").expect("registered");
    let request = BookingRequest {
        client_id: petro.id,
        service_id: salon.haircut,
        at: BookAt::Slot(salon.slots[2]),
        staff_id: None,
        source: Source::Bot,
        notes: String::new(),
    };
    salon.store.book(&request, monday_morning()).await.expect("noon is his");

    let lost = chat.press("✅ Перенести").await;
    assert!(text(&lost).contains("щойно зайняли") || text(&lost).contains("вже зайнят"), "{}", text(&lost));
    assert!(buttons(&lost).contains(&"11:00".to_owned()) && !buttons(&lost).contains(&"12:00".to_owned()));
    let olena = bookings_of(&salon, 1001).await;
    assert_eq!(active(&olena).iter().map(|(at, _)| *at).collect::<Vec<_>>(), [tuesday(10)], "the old time is kept");
    assert!(!outbox_has(&salon, Notice::ClientMoved).await);
}

#[tokio::test]
async fn the_change_window_stops_late_moves_and_cancellations_in_the_bot_but_not_the_business() {
    let salon = salon().await;
    change_window(&salon, 24).await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;
    chat.press("✅ Підтвердити").await;

    // Monday 08:00, the visit Tuesday 10:00: 26 hours ahead, moves are open.
    chat.say("Мої записи").await;
    assert!(text(&chat.press("🔁 Перенести №1").await).contains("Перенесення запису"));

    // Monday 11:00: 23 hours ahead, inside the 24-hour window.
    set_clock(&salon, "2026-03-02T09:00:00Z").await;
    chat.say("Мої записи").await;
    let refused = chat.press("🔁 Перенести №1").await;
    assert!(
        text(&refused).contains("не пізніше ніж за 24 год") && text(&refused).contains("+380441234567"),
        "{}",
        text(&refused)
    );
    chat.say("Мої записи").await;
    assert!(text(&chat.press("✖️ Скасувати №1").await).contains("не пізніше ніж за 24 год"));
    // …and offers to write to the business instead.
    let ask = chat.press("Написати нам").await;
    assert!(text(&ask).contains("Напишіть нам"), "{}", text(&ask));
    chat.say("Можна перенести на середу?").await;
    let client = salon.store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");
    let thread = salon.store.support_thread(client.id).await.expect("reads");
    assert_eq!(thread.last().map(|m| m.text.as_str()), Some("Можна перенести на середу?"));
    // A button from before the window closed is refused as well, by the store if not by the bot.
    let id = bookings_of(&salon, 1001).await[0].appointment.id;
    let stale = chat.press_data(&format!("K{id}")).await;
    assert!(text(&stale).contains("не пізніше ніж за 24 год"), "{}", text(&stale));
    let refused = salon
        .store
        .transition(
            id,
            &Transition::Cancel { reason: None },
            Actor::Client,
            "2026-03-02T09:00:00Z".parse().expect("valid"),
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(zapys_store::StoreError::Refused(zapys_domain::BookingRefusal::InsideChangeWindow { hours: 24 }))
        ),
        "{refused:?}"
    );
    assert_eq!(active(&bookings_of(&salon, 1001).await).len(), 1, "nothing changed");

    // The business may still cancel it.
    let cancel = Transition::Cancel { reason: None };
    salon
        .store
        .transition(id, &cancel, Actor::Admin, "2026-03-02T09:00:00Z".parse().expect("valid"))
        .await
        .expect("the business may");
}

#[tokio::test]
async fn every_reminder_offers_to_move_the_booking() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.choose("10:00").await;
    chat.press("✅ Підтвердити").await;
    // A day before, the reminder falls due.
    let day_before: Timestamp = "2026-03-02T08:00:00Z".parse().expect("valid");
    salon.store.schedule_due(day_before).await.expect("schedules");
    let reminder = salon
        .store
        .notices(&Default::default())
        .await
        .expect("lists")
        .items
        .into_iter()
        .find(|n| n.notice == Notice::Reminder)
        .expect("a reminder");
    let zapys_bot::notices::Rendered::Send(message) =
        zapys_bot::notices::render(&*salon.store, &reminder, day_before).await.expect("renders")
    else {
        panic!("skipped")
    };
    let shown = [Reply::Send(message.clone())];
    assert!(buttons(&shown).contains(&"🔁 Перенести".to_owned()), "{:?}", buttons(&shown));
    chat.inline = Some((99, message));
    let step = chat.press("🔁 Перенести").await;
    assert!(text(&step).contains("Перенесення запису"), "{}", text(&step));

    // Inside the change window the reminder offers no button that would only refuse.
    change_window(&salon, 48).await;
    let zapys_bot::notices::Rendered::Send(late) =
        zapys_bot::notices::render(&*salon.store, &reminder, day_before).await.expect("renders")
    else {
        panic!("skipped")
    };
    let late_text = late.text.clone();
    let shown = [Reply::Send(late)];
    assert_eq!(buttons(&shown), ["👍 Я прийду"], "only the confirmation of a pending booking");
    assert!(late_text.contains("«Я прийду»"), "{late_text}");
    assert!(!late_text.contains("скасуйте"), "no cancelling it says it cannot do: {late_text}");
}

#[tokio::test]
async fn with_several_staff_a_move_keeps_the_same_member_or_takes_anyone_free() {
    let team = team().await;
    let salon = &team.salon;
    let mut chat = Chat::new(salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Записатись").await;
    chat.press(HAIRCUT).await;
    chat.press("Оксана · 800 грн").await;
    chat.press("3").await;
    chat.press("10:00").await;
    chat.press("✅ Підтвердити").await;

    chat.say("Мої записи").await;
    let whom = chat.press("🔁 Перенести №1").await;
    assert!(buttons(&whom).contains(&"Оксана".to_owned()) && buttons(&whom).contains(&"👥 Будь-хто".to_owned()));
    chat.press("Оксана").await;
    let hers = chat.press("3").await;
    assert_eq!(
        buttons(&hers).iter().filter(|b| b.contains(':')).collect::<Vec<_>>(),
        ["11:00"],
        "only her own free time"
    );
    chat.press("‹ Назад").await;
    chat.press("‹ Назад").await;
    chat.press("👥 Будь-хто").await;
    let anyone = chat.press("3").await;
    assert!(buttons(&anyone).contains(&"12:00".to_owned()), "{:?}", buttons(&anyone));
    chat.press("12:00").await;
    chat.press("✅ Перенести").await;
    assert_eq!(active(&bookings_of(salon, 1001).await), [(tuesday(12), team.iryna)]);
}

#[tokio::test]
async fn a_start_link_opens_booking_at_a_service_even_for_a_new_client() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.say(&format!("/start s{}", salon.haircut)).await;
    chat.say("Олена").await;
    let registered = chat.send(Event::Contact { phone: "0671234567".into(), own: true }).await;
    assert!(text(&registered).contains("ви зареєстровані") && shows_menu(&registered));
    assert!(text(&registered).contains("Оберіть день"), "straight to the service's calendar: {}", text(&registered));
    chat.press("3").await;
    chat.press("11:00").await;
    assert!(text(&chat.press("✅ Підтвердити").await).contains("Ви записані"));

    // A link to nothing (or to a hidden service) is just the greeting and the menu.
    for payload in ["s999", "m999", "hello", "s0"] {
        let answer = chat.say(&format!("/start {payload}")).await;
        assert!(shows_menu(&answer) && answer.len() == 1, "{payload}: {}", text(&answer));
    }
}

#[tokio::test]
async fn a_start_link_to_a_staff_member_lists_their_services_and_books_with_them() {
    let team = team().await;
    let mut chat = Chat::new(&team.salon, 1001);
    chat.register("Олена", "0671234567").await;
    let hers = chat.say(&format!("/start m{}", team.iryna)).await;
    assert!(text(&hers).contains("Ірина — оберіть послугу"), "{}", text(&hers));
    assert!(!buttons(&hers).iter().any(|b| b.starts_with("Манікюр")), "she does not do manicures");
    chat.press(HAIRCUT).await;
    let day = chat.press("3").await;
    assert_eq!(buttons(&day).iter().filter(|b| b.contains(':')).collect::<Vec<_>>(), ["10:00", "12:00"]);
    chat.press("12:00").await;
    chat.press("✅ Підтвердити").await;
    assert_eq!(active(&bookings_of(&team.salon, 1001).await), [(tuesday(12), team.iryna)]);
    let _ = (team.marta, team.oksana, team.manicure);
}

#[tokio::test]
async fn a_registration_saved_before_start_links_existed_goes_on() {
    let salon = salon().await;
    salon.store.save_conversation(1001, r#"{"step":"ask_name"}"#, monday_morning()).await.expect("saved");
    let asked = Chat::new(&salon, 1001).say("Олена").await;
    assert!(text(&asked).contains("Дякую, Олена"), "{}", text(&asked));
}

// --- support ---

/// The business chat of these tests (a group: a negative id).
const BUSINESS: i64 = -100_500;

async fn thread_of(salon: &Salon, chat: i64) -> Vec<zapys_store::SupportMessage> {
    let client = salon.store.client_by_telegram(TelegramId(chat)).await.expect("reads").expect("registered");
    salon.store.support_thread(client.id).await.expect("reads")
}

async fn support_notices(salon: &Salon) -> Vec<zapys_store::OutboxItem> {
    let mut items = salon.store.notices(&Default::default()).await.expect("lists").items;
    items.retain(|n| n.notice.is_support());
    items.reverse();
    items
}

async fn rendered(salon: &Salon, item: &zapys_store::OutboxItem) -> zapys_bot::Relay {
    match zapys_bot::render_support(&*salon.store, item, monday_morning()).await.expect("renders") {
        zapys_bot::RenderedRelay::Send { relay, .. } => relay,
        other => panic!("{:?} was not relayed: {other:?}", item.notice),
    }
}

/// What the business chat would do with a message: `reply_to` the copy of a client's message, or not.
async fn business_says(salon: &Salon, chat_id: i64, reply_to: Option<i64>, event: Event) -> Vec<Reply> {
    let input = zapys_bot::BusinessMessage { chat_id, reply_to, author: Some("Адмін".into()), event };
    salon.bot.business(&input).await
}

#[tokio::test]
async fn message_us_stores_the_message_and_queues_it_for_the_business_with_the_next_booking() {
    let salon = salon().await;
    petro_takes_ten(&salon).await;
    let mut chat = Chat::new(&salon, 2002);
    let ask = chat.say("Написати нам").await;
    assert!(text(&ask).contains("Напишіть нам одним повідомленням"), "{}", text(&ask));
    assert_eq!(buttons(&ask), ["Скасувати"], "a way back");
    let received = chat.say("Чи можна прийти з дитиною?").await;
    assert!(text(&received).contains("Повідомлення отримано") && shows_menu(&received), "{}", text(&received));

    let thread = thread_of(&salon, 2002).await;
    assert_eq!(thread.len(), 1);
    assert_eq!(
        (thread[0].direction, thread[0].text.as_str(), thread[0].media.as_ref()),
        (zapys_store::SupportDirection::FromClient, "Чи можна прийти з дитиною?", None)
    );
    let queued = support_notices(&salon).await;
    assert_eq!(queued.len(), 1);
    assert_eq!((queued[0].notice, queued[0].lane()), (Notice::SupportMessage, zapys_store::Lane::Business));
    let relay = rendered(&salon, &queued[0]).await;
    for part in
        ["Петро, +380501234567", "Наступний запис: Стрижка", "Вт 03.03.2026 10:00", "Чи можна прийти з дитиною?"]
    {
        assert!(relay.text.contains(part), "{part:?} in {}", relay.text);
    }

    // One message per «Написати нам»: the next text is the menu's again.
    assert!(text(&chat.say("дякую").await).contains("не зрозумів"));
    assert_eq!(thread_of(&salon, 2002).await.len(), 1);
}

#[tokio::test]
async fn cancelling_message_us_returns_to_the_menu_and_sends_nothing() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Написати нам").await;
    let back = chat.press("Скасувати").await;
    assert!(text(&back).contains("Оберіть дію"), "{}", text(&back));
    assert!(text(&chat.say("передумала").await).contains("не зрозумів"), "the next text is not relayed");
    // A menu button while writing is a menu choice, not a message to the business.
    chat.say("/support").await;
    let contacts = chat.say("Контакти").await;
    assert!(!text(&contacts).contains("отримано"), "{}", text(&contacts));
    assert!(thread_of(&salon, 1001).await.is_empty());
    assert!(support_notices(&salon).await.is_empty());
}

#[tokio::test]
async fn message_us_takes_a_photo_with_its_caption_or_a_voice_note_and_asks_again_for_a_sticker() {
    let salon = salon().await;
    let mut chat = Chat::new(&salon, 1001);
    chat.register("Олена", "0671234567").await;
    chat.say("Написати нам").await;
    let sticker = chat.send(Event::Other).await;
    assert!(text(&sticker).contains("текст, фото або голосове"), "{}", text(&sticker));
    assert_eq!(buttons(&sticker), ["Скасувати"]);
    let photo = chat.send(Event::Photo { file_id: "AgACphoto".into(), caption: Some("Ось така стрижка".into()) }).await;
    assert!(text(&photo).contains("отримано"), "{}", text(&photo));
    chat.say("Написати нам").await;
    chat.send(Event::Voice { file_id: "AwACvoice".into(), caption: None }).await;
    // Outside «Написати нам» a photo is not sent anywhere.
    assert!(text(&chat.send(Event::Photo { file_id: "x".into(), caption: None }).await).contains("не зрозумів"));

    let thread = thread_of(&salon, 1001).await;
    let media: Vec<_> = thread.iter().map(|m| (m.text.as_str(), m.media.clone())).collect();
    assert_eq!(
        media,
        [
            ("Ось така стрижка", Some(zapys_store::SupportMedia::Photo { file_id: "AgACphoto".into() })),
            ("", Some(zapys_store::SupportMedia::Voice { file_id: "AwACvoice".into() })),
        ]
    );
    let queued = support_notices(&salon).await;
    let photo = rendered(&salon, &queued[0]).await;
    assert_eq!(photo.media, Some(zapys_store::SupportMedia::Photo { file_id: "AgACphoto".into() }));
    assert!(photo.text.contains("Олена") && photo.text.contains("Ось така стрижка") && photo.text.contains("немає"));
    assert!(photo.text.chars().count() <= 1024, "a caption fits Telegram's limit");
}

#[tokio::test]
async fn a_reply_to_a_relayed_message_reaches_its_client_and_nothing_else_reaches_anyone() {
    let salon = salon().await;
    for (chat, name, phone) in [(1001, "Олена", "0671234567"), (2002, "Петро", "0501234567")] {
        let mut chat = Chat::new(&salon, chat);
        chat.register(name, phone).await;
        chat.say("Написати нам").await;
        chat.say(&format!("Питання від {name}")).await;
    }
    // The outbox relayed both; their copies in the business chat are messages 70 and 71.
    let (olena, petro) = (thread_of(&salon, 1001).await[0].id, thread_of(&salon, 2002).await[0].id);
    salon.store.mark_support_relayed(olena, BUSINESS, 70).await.expect("recorded");
    salon.store.mark_support_relayed(petro, BUSINESS, 71).await.expect("recorded");

    // Replies to anything else, messages that reply to nothing, and the same number in another chat reach nobody.
    for (chat, reply_to) in [(BUSINESS, Some(69)), (BUSINESS, None), (-100_999, Some(71))] {
        let answer = business_says(&salon, chat, reply_to, Event::Text("Так, можна".into())).await;
        assert!(answer.is_empty(), "{reply_to:?} in {chat}: {answer:?}");
    }
    assert_eq!(support_notices(&salon).await.len(), 2, "nothing was queued for a client");

    let ack = business_says(&salon, BUSINESS, Some(71), Event::Text("Так, можна".into())).await;
    assert!(text(&ack).contains("Відповідь надіслано: Петро"), "{}", text(&ack));
    let queued = support_notices(&salon).await;
    assert_eq!(queued.len(), 3);
    assert_eq!((queued[2].notice, queued[2].chat_id), (Notice::SupportReply, Some(2002)), "to Петро's chat only");
    let relay = rendered(&salon, &queued[2]).await;
    assert_eq!(relay.text, "💬 Відповідь від «Zapys»:\nТак, можна");
    let answer = thread_of(&salon, 2002).await.pop().expect("the answer is in his thread");
    assert_eq!(
        (answer.direction, answer.text.as_str(), answer.author.as_deref()),
        (zapys_store::SupportDirection::ToClient, "Так, можна", Some("Адмін"))
    );
    assert_eq!(thread_of(&salon, 1001).await.len(), 1, "Олена's thread is untouched");

    // A voice note answers too; a sticker cannot be relayed and the admin is told so.
    business_says(&salon, BUSINESS, Some(70), Event::Voice { file_id: "AwACanswer".into(), caption: None }).await;
    assert_eq!(support_notices(&salon).await[3].chat_id, Some(1001));
    let sticker = business_says(&salon, BUSINESS, Some(70), Event::Other).await;
    assert!(text(&sticker).contains("текстом, фото або голосовим"), "{}", text(&sticker));
    assert_eq!(support_notices(&salon).await.len(), 4);
}

// --- comeback ---

impl Chat<'_> {
    /// A message the bot sent on its own initiative arrives in this chat.
    fn receive(&mut self, message: Message) {
        self.next_message_id += 1;
        self.inline = Some((self.next_message_id, message));
    }
}

/// Moves what fell due at `now` into the outbox and writes the `notice` waiting there, as the
/// notifier would at delivery.
async fn delivered(salon: &Salon, notice: Notice, now: Timestamp) -> zapys_bot::notices::Rendered {
    salon.store.schedule_due(now).await.expect("schedules");
    let item = salon
        .store
        .notices(&Default::default())
        .await
        .expect("lists")
        .items
        .into_iter()
        .find(|n| n.notice == notice)
        .unwrap_or_else(|| panic!("no {notice:?} in the outbox"));
    zapys_bot::notices::render(&*salon.store, &item, now).await.expect("renders")
}

fn sent(rendered: zapys_bot::notices::Rendered) -> Message {
    match rendered {
        zapys_bot::notices::Rendered::Send(message) => message,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Олена (chat 1001) had the haircut on Tuesday 10:00; it is marked completed after it.
async fn olenas_visit(salon: &Salon) -> zapys_domain::AppointmentId {
    let mut chat = Chat::new(salon, 1001);
    chat.register("Олена", "0671234567").await;
    let olena = salon.store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");
    let request = BookingRequest {
        client_id: olena.id,
        service_id: salon.haircut,
        at: BookAt::Slot(salon.slots[0]),
        staff_id: None,
        source: Source::Bot,
        notes: String::new(),
    };
    let visit = salon.store.book(&request, monday_morning()).await.expect("free").appointment.id;
    salon.store.transition(visit, &Transition::Complete, Actor::Admin, tuesday(11)).await.expect("completes");
    visit
}

fn set_clock_to(salon: &Salon, now: Timestamp) {
    *salon.clock.0.lock().expect("not poisoned") = now;
}

#[tokio::test]
async fn a_rebook_nudge_offers_the_nearest_times_which_book_and_its_opt_out_stops_the_next() {
    let salon = salon().await;
    let store = &salon.store;
    let mut haircut = ServiceDraft {
        name: ServiceName::parse("Стрижка").expect("valid"),
        duration: Duration::from_minutes(60).expect("valid"),
        price: Some(Price::from_units(600.0).expect("valid")),
        description: String::new(),
        hidden: false,
        buffers: Buffers::NONE,
        rebook_after_days: None,
    };
    haircut.rebook_after_days = Some(21);
    store.update_service(salon.haircut, &haircut).await.expect("updates");
    let visit = olenas_visit(&salon).await;
    let staff = zapys_store::sole_staff_member(&**store).await.expect("one");
    for hour in [10, 11] {
        store.create_slot(staff, at(2026, 3, 25, hour)).await.expect("created");
    }
    // 21 days after the visit's end, 11:00: inside the daytime hours.
    let due = at(2026, 3, 24, 11);
    set_clock_to(&salon, due);
    let nudge = sent(delivered(&salon, Notice::RebookNudge, due).await);
    assert!(nudge.text.contains("«Стрижка» (Майстер)"), "{}", nudge.text);
    let offered = buttons(&[Reply::Send(nudge.clone())]);
    assert_eq!(offered, ["Ср 25.03 10:00", "Ср 25.03 11:00", "📅 Інший день", "🔕 Не нагадувати"]);

    let mut chat = Chat::new(&salon, 1001);
    chat.receive(nudge.clone());
    let summary = chat.press("Ср 25.03 10:00").await;
    assert!(text(&summary).contains("Перевірте"), "the normal booking path: {}", text(&summary));
    let booked = chat.press("✅ Підтвердити").await;
    assert!(text(&booked).contains("Ср 25.03.2026 о 10:00"), "{}", text(&booked));
    let mine = bookings_of(&salon, 1001).await;
    assert!(mine.iter().any(|v| v.appointment.id != visit && v.appointment.starts_at == at(2026, 3, 25, 10)));

    // Written again now, the same nudge is not sent: she is booked ahead.
    let item = store.notices(&Default::default()).await.expect("lists").items;
    let item = item.iter().find(|n| n.notice == Notice::RebookNudge).expect("there");
    assert!(matches!(
        zapys_bot::notices::render(&**store, item, due).await.expect("renders"),
        zapys_bot::notices::Rendered::Skip(_)
    ));

    // "Don't remind me" in the nudge turns them off; «Профіль» shows it and turns them on again.
    chat.receive(nudge);
    let off = chat.press("🔕 Не нагадувати").await;
    assert!(text(&off).contains("більше не нагадуватимемо"), "{}", text(&off));
    let olena = store.client_by_telegram(TelegramId(1001)).await.expect("reads").expect("registered");
    assert!(store.comeback_prefs(olena.id).await.expect("reads").rebook_opt_out);
    let profile = chat.say("Профіль").await;
    assert!(text(&profile).contains("Нагадування записатися знову: вимкнено"), "{}", text(&profile));
    let on = chat.press("🔔 Нагадувати записатися знову").await;
    assert!(text(&on).contains("Нагадування записатися знову: увімкнено"), "{}", text(&on));
    assert!(!store.comeback_prefs(olena.id).await.expect("reads").rebook_opt_out);
    let off = chat.press("🔕 Не нагадувати").await;
    assert!(text(&off).contains("вимкнено"), "the profile's own toggle: {}", text(&off));
    assert!(store.comeback_prefs(olena.id).await.expect("reads").rebook_opt_out);
}

#[tokio::test]
async fn pressing_stars_records_the_rating_once_and_only_for_ones_own_visit() {
    let salon = salon().await;
    let store = &salon.store;
    let mut settings = store.settings();
    settings.ask_rating = true;
    settings.rating_delay_hours = 3;
    store.save_settings(&settings).await.expect("saves");
    let visit = olenas_visit(&salon).await;
    // Three hours after the visit's end (11:00).
    let due = tuesday(14);
    set_clock_to(&salon, due);
    let request = sent(delivered(&salon, Notice::RatingRequest, due).await);
    assert!(request.text.contains("Як вам «Стрижка» (Майстер) Вт 03.03?"), "{}", request.text);
    assert_eq!(buttons(&[Reply::Send(request.clone())]), ["★☆☆☆☆", "★★☆☆☆", "★★★☆☆", "★★★★☆", "★★★★★"]);

    // Someone else pressing a forged star for her visit changes nothing.
    let mut petro = Chat::new(&salon, 2002);
    petro.register("Петро", "0501234567").await;
    let forged = petro.press_data(&format!("x{visit}:1")).await;
    assert!(text(&forged).contains("не можна оцінити"), "{}", text(&forged));
    assert_eq!(store.rating(visit).await.expect("reads"), None);

    let mut chat = Chat::new(&salon, 1001);
    chat.receive(request.clone());
    let thanks = chat.press("★★★★☆").await;
    assert!(text(&thanks).contains("Дякуємо за оцінку! ★★★★☆"), "{}", text(&thanks));
    chat.receive(request);
    let again = chat.press("★☆☆☆☆").await;
    assert!(text(&again).contains("вже оцінили"), "{}", text(&again));
    assert_eq!(
        store.rating(visit).await.expect("reads").map(zapys_domain::Stars::get),
        Some(4),
        "the first press counts"
    );
}
