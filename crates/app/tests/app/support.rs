//! «Написати нам» end to end: the real app polls a fake Bot API server on 127.0.0.1; the client
//! writes in the bot, the message appears in the business chat (a group), an admin's reply there
//! goes back to the client, and the thread shows in the panel's API.

use std::time::Duration;

use zapys_fake_telegram::{BotMessage, FakeTelegram, SentMedia, TgUser};
use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app_with};

const WAIT: Duration = Duration::from_secs(10);
/// The business chat: a supergroup the bot was added to.
const BUSINESS: i64 = -1_001_234_567_890;

async fn world() -> (FakeTelegram, TestApp) {
    let tg = FakeTelegram::start("123456:TEST-TOKEN").await;
    tg.group(BUSINESS, "Салон · адміни");
    let (url, token) = (tg.api_url(), tg.token().to_owned());
    let app = spawn_app_with(|config| {
        config.telegram_bot_token = Some(token.parse().expect("infallible"));
        config.telegram_api_url = url;
        config.admin_chat_id = Some(BUSINESS);
    })
    .await;
    (tg, app)
}

async fn see(tg: &FakeTelegram, chat: i64, needle: &str) -> BotMessage {
    let seen = tg.wait_until(|s| s.chat(chat).iter().any(|m| m.text.contains(needle)), WAIT).await;
    let texts = tg.with_state(|s| s.chat(chat).iter().map(|m| m.text.clone()).collect::<Vec<_>>());
    assert!(seen, "never saw {needle:?} in {chat}: {texts:#?}");
    tg.with_state(|s| s.chat(chat).into_iter().rev().find(|m| m.text.contains(needle)).expect("seen"))
}

async fn register(tg: &FakeTelegram, user: &TgUser, name: &str, phone: &str) {
    tg.send_text(user, "/start");
    see(tg, user.id, "звертатися").await;
    tg.send_text(user, name);
    see(tg, user.id, "поділіться номером").await;
    tg.share_contact(user, phone, true);
    see(tg, user.id, "ви зареєстровані").await;
}

async fn write_us(tg: &FakeTelegram, user: &TgUser) {
    tg.press_reply_button(user, "Написати нам").unwrap_or_else(|e| panic!("{e}"));
    see(tg, user.id, "Напишіть нам одним повідомленням").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clients_message_reaches_the_business_chat_and_a_reply_there_reaches_only_that_client() {
    let (tg, app) = world().await;
    let olena = tg.user(1001, "Олена", Some("uk"));
    let petro = tg.user(2002, "Петро", Some("uk"));
    let admin = tg.user(777, "Марина", Some("uk"));
    register(&tg, &olena, "Олена Коваль", "380671234567").await;
    register(&tg, &petro, "Петро", "0501234567").await;

    write_us(&tg, &olena).await;
    tg.send_text(&olena, "Чи є вільний час у суботу?");
    see(&tg, olena.id, "Повідомлення отримано").await;
    let relayed = see(&tg, BUSINESS, "Чи є вільний час у суботу?").await;
    assert!(relayed.text.contains("Олена Коваль, +380671234567"), "{}", relayed.text);
    assert!(relayed.text.contains("Наступний запис: немає"), "{}", relayed.text);

    write_us(&tg, &petro).await;
    tg.send_photo_with_caption(&petro, "AgACpetro-photo", "Ось така зачіска");
    see(&tg, petro.id, "Повідомлення отримано").await;
    let photo = see(&tg, BUSINESS, "Ось така зачіска").await;
    assert_eq!(photo.media, Some(SentMedia { kind: "photo".into(), file_id: "AgACpetro-photo".into() }));
    assert!(photo.text.contains("Петро, +380501234567"), "{}", photo.text);

    // Talk in the business chat that is not a reply to a relayed message reaches nobody.
    tg.send_in_group(BUSINESS, &admin, "Хто сьогодні на зміні?", None);
    // The reply to Петро's photo goes to Петро, and the business chat hears it went.
    tg.send_in_group(BUSINESS, &admin, "Так, зробимо", Some(photo.message_id));
    see(&tg, petro.id, "Так, зробимо").await;
    let ack = see(&tg, BUSINESS, "✅ Відповідь надіслано: Петро").await;
    // A reply to one of the bot's other messages (here the acknowledgement) reaches nobody either.
    tg.send_in_group(BUSINESS, &admin, "на зміні Марина", Some(ack.message_id));
    tg.send_in_group(BUSINESS, &admin, "Так, о 12:00", Some(relayed.message_id));
    let answer = see(&tg, olena.id, "Так, о 12:00").await;
    assert!(answer.text.starts_with("💬 Відповідь від"), "{}", answer.text);
    see(&tg, BUSINESS, "✅ Відповідь надіслано: Олена Коваль").await;

    for (client, other) in [(&olena, "Так, зробимо"), (&petro, "Так, о 12:00")] {
        let chat = tg.chat(client);
        assert!(!chat.iter().any(|m| m.text.contains(other) || m.text.contains("на зміні")), "{chat:#?}");
    }
    assert!(
        tg.calls().iter().all(|c| c.status == 200),
        "the bot made no call Telegram would refuse: {:?}",
        tg.calls().iter().filter(|c| c.status != 200).map(|c| (&c.method, &c.description)).collect::<Vec<_>>()
    );

    // The panel shows each thread, both ways, with times.
    let olena_id = app.get("/api/users?q=Олена").await.body["users"][0]["id"].as_i64().expect("an id");
    let thread = app.get(&format!("/api/users/{olena_id}/messages")).await;
    assert_eq!(thread.status, StatusCode::OK, "{:?}", thread.body);
    let messages = thread.body["messages"].as_array().expect("a list");
    let summary: Vec<(&str, &str)> = messages
        .iter()
        .map(|m| (m["direction"].as_str().unwrap_or_default(), m["text"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(summary, [("from_client", "Чи є вільний час у суботу?"), ("to_client", "Так, о 12:00")]);
    assert!(messages.iter().all(|m| m["created_at"].is_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panels_answer_reaches_the_client_through_the_bot() {
    let (tg, app) = world().await;
    let olena = tg.user(1001, "Олена", Some("uk"));
    register(&tg, &olena, "Олена Коваль", "380671234567").await;
    write_us(&tg, &olena).await;
    tg.send_voice(&olena, "AwACvoice-olena");
    see(&tg, olena.id, "Повідомлення отримано").await;
    let voice = tg
        .wait_until(|s| s.chat(BUSINESS).iter().any(|m| m.media.as_ref().is_some_and(|m| m.kind == "voice")), WAIT)
        .await;
    assert!(voice, "the voice note is relayed by its file id");

    let olena_id = app.get("/api/users?q=Олена").await.body["users"][0]["id"].as_i64().expect("an id");
    let sent = app.post(&format!("/api/users/{olena_id}/messages"), json!({"text": "Чекаємо вас!"})).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    see(&tg, olena.id, "Чекаємо вас!").await;
    let thread = app.get(&format!("/api/users/{olena_id}/messages")).await;
    let last = &thread.body["messages"][1];
    assert_eq!((last["direction"].as_str(), last["author"].as_str()), (Some("to_client"), Some("owner")));
}

/// The database file and its WAL, byte for byte.
fn raw_files(app: &TestApp) -> Vec<u8> {
    let mut bytes = std::fs::read(&app.database_path).expect("the database file");
    let mut wal = app.database_path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

async fn simulate(app: &TestApp, chat: i64, text: &str) -> zapys_testkit::serde_json::Value {
    let reply = app.post("/api/simulator/send", json!({"chat_id": chat, "text": text})).await;
    assert_eq!(reply.status, StatusCode::OK, "{text}: {reply:?}");
    reply.body
}

#[tokio::test]
async fn the_simulators_message_shows_on_the_client_page_and_the_panels_answer_in_the_simulator() {
    // No Telegram and no ADMIN_CHAT_ID: the message is still kept, and the client told it arrived.
    let app = zapys_testkit::spawn_app().await;
    let chat: i64 = (1 << 52) + 77;
    simulate(&app, chat, "/start").await;
    simulate(&app, chat, "Ірина Лис").await;
    let registered = app.post("/api/simulator/send", json!({"chat_id": chat, "contact_phone": "+380631112233"})).await;
    assert_eq!(registered.status, StatusCode::OK);
    let ask = simulate(&app, chat, "Написати нам").await;
    assert!(ask.to_string().contains("Напишіть нам одним повідомленням"), "{ask}");
    let told = simulate(&app, chat, "Можна з собакою?").await;
    assert!(told.to_string().contains("Повідомлення отримано"), "{told}");

    let id = app.get("/api/users?q=Ірина").await.body["users"][0]["id"].as_i64().expect("an id");
    let thread = app.get(&format!("/api/users/{id}/messages")).await;
    assert_eq!(thread.status, StatusCode::OK);
    assert_eq!(thread.body["messages"][0]["direction"], "from_client");
    assert_eq!(thread.body["messages"][0]["text"], "Можна з собакою?");
    assert_eq!(thread.body["messages"][0]["kind"], "text");
    assert!(!raw_files(&app).windows("собакою".len()).any(|w| w == "собакою".as_bytes()), "sealed at rest");

    let nothing_yet = app.get(&format!("/api/simulator/messages?chat_id={chat}")).await;
    assert_eq!(nothing_yet.body["messages"], json!([]), "the client's own message is not an answer");
    let answered = app.post(&format!("/api/users/{id}/messages"), json!({"text": "  Так, звісно  "})).await;
    assert_eq!(answered.status, StatusCode::CREATED, "{answered:?}");
    assert_eq!(answered.body["item"]["text"], "Так, звісно");
    let answer_id = answered.body["id"].as_i64().expect("an id");
    let shown = app.get(&format!("/api/simulator/messages?chat_id={chat}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["messages"][0]["text"], "Так, звісно");
    assert_eq!(shown.body["messages"][0]["author"], "owner");
    let newer = app.get(&format!("/api/simulator/messages?chat_id={chat}&after={answer_id}")).await;
    assert_eq!(newer.body["messages"], json!([]), "only answers after the last one shown");

    // Erasing the client erases their thread.
    assert_eq!(app.delete(&format!("/api/users/{id}")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/users/{id}/messages")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/simulator/messages?chat_id={chat}")).await.body["messages"], json!([]));
}

#[tokio::test]
async fn the_answer_box_refuses_what_cannot_be_sent() {
    let app = zapys_testkit::spawn_app().await;
    let offline = app.post("/api/users", json!({"name": "Без Телеграму", "phone": "+380671110000"})).await;
    let offline = offline.body["id"].as_i64().expect("an id");
    let refused = app.post(&format!("/api/users/{offline}/messages"), json!({"text": "Привіт"})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{refused:?}");
    assert_eq!(refused.body["code"], "conflict");
    for text in ["", "   ", &"я".repeat(4001)] {
        let bad = app.post(&format!("/api/users/{offline}/messages"), json!({ "text": text })).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{text:?}: {bad:?}");
    }
    assert_eq!(app.get("/api/users/999999/messages").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post("/api/users/999999/messages", json!({"text": "x"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/simulator/messages?chat_id=1001").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get(&format!("/api/users/{offline}/messages")).await.body["messages"], json!([]));
}
