//! The waitlist in the conversation, driven directly: no network, a temporary database, a fixed clock.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use zapys_bot::notices::{Rendered, render};
use zapys_bot::{Bot, Event, Incoming, Keyboard, Message, Reply};
use zapys_domain::{
    Actor, AppointmentId, Buffers, BusinessTime, Clock, Duration, Notice, Price, ServiceDraft, ServiceId, ServiceName,
    Source, Status, TelegramId, Transition,
};
use zapys_store::{AppointmentQuery, BookAt, BookingRequest, DataCipher, OutboxItem, Store};
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

/// A local time in Kyiv in March 2026.
fn march(day: i8, hour: i8) -> Timestamp {
    let tz = BusinessTime::parse("Europe/Kyiv").expect("known");
    tz.resolve(jiff::civil::date(2026, 3, day).at(hour, 0, 0, 0)).expect("exists").instant
}

/// A salon whose haircut has free times on Tuesday the 3rd (10, 11, 12) and none on Wednesday the
/// 4th: Петро holds both of its times (10 and 11).
struct Salon {
    store: Arc<dyn Store>,
    clock: Arc<FixedClock>,
    bot: Bot,
    haircut: ServiceId,
    /// Петро's bookings on Wednesday at 10:00 and 11:00.
    wednesday: [AppointmentId; 2],
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
    let staff = zapys_store::sole_staff_member(&*store).await.expect("one staff member");
    for hour in [10, 11, 12] {
        store.create_slot(staff, march(3, hour)).await.expect("created");
    }
    let clock = Arc::new(FixedClock(Mutex::new(monday_morning())));
    let bot = Bot::new(store.clone(), clock.clone());
    let mut salon = Salon { store, clock, bot, haircut, wednesday: [AppointmentId(0); 2] };
    Chat::new(&salon, 2002).register("Петро", "0501234567").await;
    let petro = salon.store.client_by_telegram(TelegramId(2002)).await.expect("reads").expect("registered");
    for (i, hour) in [10, 11].into_iter().enumerate() {
        let slot = salon.store.create_slot(staff, march(4, hour)).await.expect("created").id;
        let request = BookingRequest {
            client_id: petro.id,
            service_id: haircut,
            at: BookAt::Slot(slot),
            staff_id: None,
            source: Source::Admin,
            notes: String::new(),
        };
        salon.wednesday[i] = salon.store.book(&request, monday_morning()).await.expect("free").appointment.id;
    }
    salon
}

/// One client's chat with the bot, remembering the last message that had inline buttons.
struct Chat<'a> {
    salon: &'a Salon,
    id: i64,
    next_message_id: i64,
    inline: Option<(i64, Message)>,
}

impl<'a> Chat<'a> {
    fn new(salon: &'a Salon, id: i64) -> Self {
        Self { salon, id, next_message_id: 1, inline: None }
    }

    async fn send(&mut self, event: Event) -> Vec<Reply> {
        let incoming = Incoming { chat_id: self.id, language_code: Some("uk".into()), event };
        let replies = self.salon.bot.handle(&incoming).await;
        for reply in &replies {
            let message = match reply {
                Reply::Send(message) => {
                    self.next_message_id += 1;
                    Some((self.next_message_id, message))
                }
                Reply::Edit { message_id, message } => Some((*message_id, message)),
                Reply::Toast(_) => None,
            };
            if let Some((id, message)) = message {
                assert!(!message.text.is_empty(), "Telegram refuses empty texts");
                if let Keyboard::Inline(rows) = &message.keyboard {
                    for b in rows.iter().flatten() {
                        assert!(!b.callback_data.is_empty() && b.callback_data.len() <= 64, "{:?}", b.callback_data);
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

    /// A message the outbox delivered to this chat, as Telegram would show it.
    fn receive(&mut self, message: Message) {
        self.next_message_id += 1;
        self.inline = Some((self.next_message_id, message));
    }

    async fn register(&mut self, name: &str, phone: &str) {
        self.say("/start").await;
        self.say(name).await;
        let replies = self.send(Event::Contact { phone: phone.into(), own: true }).await;
        assert!(text(&replies).contains("зареєстровані"), "{replies:?}");
    }

    /// Book → the haircut: the calendar of March, with Wednesday the 4th full.
    async fn calendar(&mut self) -> Vec<Reply> {
        self.say("Записатись").await;
        self.press("Стрижка · 60 хв · 600 грн").await
    }

    /// From the calendar, the full Wednesday's bell, and then which days to wait for.
    async fn wait_for_wednesday(&mut self, choice: &str) -> Vec<Reply> {
        self.calendar().await;
        self.press("🔔").await;
        self.press(choice).await
    }
}

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
            Reply::Toast(_) => None,
        })
        .flat_map(|k| match k {
            Keyboard::Inline(rows) => rows.iter().flatten().map(|b| b.text.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect()
}

async fn waits_of(salon: &Salon, chat: i64) -> Vec<zapys_store::Wait> {
    let client = salon.store.client_by_telegram(TelegramId(chat)).await.expect("reads").expect("registered");
    salon.store.client_waits(client.id, salon.clock.now()).await.expect("lists")
}

async fn offers(salon: &Salon) -> Vec<OutboxItem> {
    let mut items = salon.store.notices(&Default::default()).await.expect("lists").items;
    items.reverse();
    items.retain(|n| n.notice == Notice::WaitlistOffer);
    items
}

async fn rendered(salon: &Salon, item: &OutboxItem) -> Rendered {
    render(&*salon.store, item, salon.clock.now()).await.expect("renders")
}

async fn cancel_by_admin(salon: &Salon, id: AppointmentId) {
    let cancel = Transition::Cancel { reason: None };
    salon.store.transition(id, &cancel, Actor::Admin, salon.clock.now()).await.expect("cancels");
}

#[tokio::test]
async fn a_client_joins_the_waitlist_from_a_full_day_of_the_calendar() {
    let salon = salon().await;
    let mut olena = Chat::new(&salon, 1001);
    olena.register("Олена", "0671234567").await;

    let calendar = olena.calendar().await;
    let days = buttons(&calendar);
    assert!(days.contains(&"3".to_owned()), "Tuesday has free times");
    assert_eq!(days.iter().filter(|d| *d == "🔔").count(), 1, "Wednesday alone is full: {days:?}");
    assert!(text(&calendar).contains("натисніть, щоб ми написали"), "{}", text(&calendar));

    let ask = olena.press("🔔").await;
    assert!(text(&ask).contains("Ср 04.03.2026: вільного часу немає"), "{}", text(&ask));
    assert_eq!(buttons(&ask), ["🔔 Лише цей день", "🔔 Цей день ± 1 день", "‹ Назад", "До меню"]);
    let back = olena.press("‹ Назад").await;
    assert!(buttons(&back).contains(&"🔔".to_owned()), "back to the calendar");
    assert!(waits_of(&salon, 1001).await.is_empty(), "nothing joined on the way");

    olena.press("🔔").await;
    let joined = olena.press("🔔 Цей день ± 1 день").await;
    assert!(
        text(&joined).contains("ви в листі очікування: Стрижка, Ср 04.03.2026 (і сусідні дні)"),
        "{}",
        text(&joined)
    );
    assert_eq!(buttons(&joined), ["Мої записи", "До меню"], "and a way on");
    let waits = waits_of(&salon, 1001).await;
    assert_eq!(waits.len(), 1);
    let only = zapys_store::sole_staff_member(&*salon.store).await.expect("one staff member");
    assert_eq!(
        (waits[0].day, waits[0].around, waits[0].staff_id),
        (jiff::civil::date(2026, 3, 4), true, Some(only)),
        "with the one staff member who performs it"
    );

    let again = olena.wait_for_wednesday("🔔 Лише цей день").await;
    assert!(text(&again).contains("Ви вже чекаєте на цей день"), "no stacked waits: {}", text(&again));
    assert_eq!(waits_of(&salon, 1001).await.len(), 1);
}

#[tokio::test]
async fn a_day_with_nothing_left_offers_the_waitlist_and_a_past_day_does_not() {
    let salon = salon().await;
    let mut olena = Chat::new(&salon, 1001);
    olena.register("Олена", "0671234567").await;
    let service = salon.haircut.0;
    let full = olena.send(Event::Button { data: format!("d{service}:a:20260304"), message_id: Some(1) }).await;
    assert!(text(&full).contains("вільного часу вже немає"));
    assert_eq!(buttons(&full)[0], "🔔 Повідомити, коли звільниться час");
    let past = olena.send(Event::Button { data: format!("d{service}:a:20260301"), message_id: Some(1) }).await;
    assert!(!buttons(&past).iter().any(|b| b.contains('🔔')), "yesterday cannot be waited for");
    let forged = olena.send(Event::Button { data: format!("Q{service}:a:20260301:0"), message_id: Some(1) }).await;
    assert!(text(&forged).contains("Оберіть день"), "a forged wait for a past day shows the calendar");
    assert!(waits_of(&salon, 1001).await.is_empty());
}

#[tokio::test]
async fn my_bookings_list_the_waits_until_their_day_ends_and_each_can_be_left() {
    let salon = salon().await;
    let mut olena = Chat::new(&salon, 1001);
    olena.register("Олена", "0671234567").await;
    olena.wait_for_wednesday("🔔 Лише цей день").await;

    let mine = olena.say("Мої записи").await;
    assert!(
        text(&mine).contains("немає запланованих")
            && text(&mine).contains("Ви чекаєте на вільний час:\n1. Стрижка — Ср 04.03.2026"),
        "{}",
        text(&mine)
    );
    assert_eq!(buttons(&mine), ["🔕 Не чекати №1", "До меню"]);
    let left = olena.press("🔕 Не чекати №1").await;
    assert!(text(&left).contains("більше не чекаємо: Стрижка, Ср 04.03.2026"), "{}", text(&left));
    assert!(!text(&left).contains("Ви чекаєте"), "the list no longer has it");
    assert!(waits_of(&salon, 1001).await.is_empty());
    let stale = olena.send(Event::Button { data: "Qx1".into(), message_id: Some(1) }).await;
    assert!(text(&stale).contains("Це очікування вже завершене"), "a second press: {}", text(&stale));

    // A wait ends with its day: on Thursday it is not listed.
    olena.wait_for_wednesday("🔔 Лише цей день").await;
    assert!(text(&olena.say("Мої записи").await).contains("Ви чекаєте"));
    *salon.clock.0.lock().expect("not poisoned") = march(5, 9);
    assert!(!text(&olena.say("Мої записи").await).contains("Ви чекаєте"));
}

#[tokio::test]
async fn an_offer_pressed_by_two_clients_books_one_and_the_other_gets_the_fresh_times() {
    let salon = salon().await;
    let mut olena = Chat::new(&salon, 1001);
    olena.register("Олена", "0671234567").await;
    let mut ivan = Chat::new(&salon, 3003);
    ivan.register("Іван", "0931234567").await;
    olena.wait_for_wednesday("🔔 Лише цей день").await;
    ivan.wait_for_wednesday("🔔 Цей день ± 1 день").await;

    // The business cancels Петро's 10:00: both waiting clients are told, in the order they asked.
    cancel_by_admin(&salon, salon.wednesday[0]).await;
    let offered = offers(&salon).await;
    assert_eq!(offered.iter().map(|o| o.chat_id).collect::<Vec<_>>(), [Some(1001), Some(3003)]);
    let mut delivered = Vec::new();
    for (chat, item) in [(&mut olena, &offered[0]), (&mut ivan, &offered[1])] {
        let Rendered::Send(message) = rendered(&salon, item).await else { panic!("an offer to send") };
        assert!(message.text.contains("Звільнився час! Стрижка, Ср 04.03.2026 о 10:00"), "{}", message.text);
        delivered.push(message.clone());
        chat.receive(message);
    }

    // Іван presses first and gets it; the wait is recorded as turned into a booking.
    let won = ivan.press("✅ Записатись на 10:00").await;
    assert!(text(&won).contains("Ви записані: Стрижка, Ср 04.03.2026 о 10:00"), "{}", text(&won));
    let ivan_client = salon.store.client_by_telegram(TelegramId(3003)).await.expect("reads").expect("registered");
    let booked = salon
        .store
        .appointments(&AppointmentQuery { client_id: Some(ivan_client.id), ..Default::default() })
        .await
        .expect("lists")
        .items;
    assert_eq!(booked.len(), 1);
    assert_eq!((booked[0].appointment.source, booked[0].appointment.status), (Source::Bot, Status::Pending));
    let wait = salon.store.wait(offered[1].detail.as_deref().expect("names the wait").parse().expect("an id")).await;
    assert_eq!(wait.expect("kept").booked, Some(booked[0].appointment.id));
    assert!(waits_of(&salon, 3003).await.is_empty(), "Іван waits no more");

    // Олена is too late, and nothing else is free that day: she is told so and keeps waiting.
    let lost = olena.press("✅ Записатись на 10:00").await;
    assert!(text(&lost).contains("цей час уже зайняли") && text(&lost).contains("Ви й далі в листі очікування"));
    assert_eq!(waits_of(&salon, 1001).await.len(), 1);

    // 11:00 frees up too; pressing the old offer now shows the day's fresh times.
    cancel_by_admin(&salon, salon.wednesday[1]).await;
    assert_eq!(offers(&salon).await.len(), 3, "only Олена still waits");
    let now_rendered = rendered(&salon, &offered[0]).await;
    assert!(
        matches!(&now_rendered, Rendered::Send(m) if m.text.contains("З'явився вільний час")),
        "the first offer, delivered only now, lists what is free instead: {now_rendered:?}"
    );
    olena.receive(delivered[0].clone());
    let fresh = olena.press("✅ Записатись на 10:00").await;
    assert!(text(&fresh).contains("цей час щойно зайняли"), "{}", text(&fresh));
    assert_eq!(buttons(&fresh)[0], "11:00", "the fresh times of that day");
    let total = salon.store.appointments(&AppointmentQuery::default()).await.expect("lists").items;
    let active: Vec<_> = total.iter().filter(|v| v.appointment.status.is_active()).collect();
    assert_eq!(active.len(), 1, "one booking for the freed 10:00, none twice");
}

#[tokio::test]
async fn an_offer_for_a_wait_that_is_over_is_not_sent() {
    let salon = salon().await;
    let mut olena = Chat::new(&salon, 1001);
    olena.register("Олена", "0671234567").await;
    olena.wait_for_wednesday("🔔 Лише цей день").await;
    cancel_by_admin(&salon, salon.wednesday[0]).await;
    let offer = offers(&salon).await.remove(0);
    olena.say("Мої записи").await;
    olena.press("🔕 Не чекати №1").await;
    assert!(matches!(rendered(&salon, &offer).await, Rendered::Skip(_)), "she left the waitlist");
}
