//! The waitlist end to end: the real app polls a fake Bot API server on 127.0.0.1, the test plays
//! the clients, and the business works in the API.

use std::time::Duration;

use zapys_fake_telegram::{BotMessage, FakeTelegram, TgUser};
use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app_with};

const WAIT: Duration = Duration::from_secs(10);

/// A salon whose haircut is free on Tuesday the 3rd and full on Wednesday the 4th (Петро holds its
/// one time, 10:00), with Telegram; answers the app, the fake Telegram and Петро's booking.
async fn salon() -> (FakeTelegram, TestApp, i64) {
    let tg = FakeTelegram::start("123456:TEST-TOKEN").await;
    let (url, token) = (tg.api_url(), tg.token().to_owned());
    let app = spawn_app_with(|config| {
        config.telegram_bot_token = Some(token.parse().expect("infallible"));
        config.telegram_api_url = url;
    })
    .await;
    let haircut = app.service("Стрижка", 60).await;
    app.slot("2026-03-03", "10:00").await;
    let wednesday = app.slot("2026-03-04", "10:00").await;
    let petro = app.client("Петро", "0501234567", None).await;
    let booked = app.book(petro, haircut, wednesday).await;
    (tg, app, booked)
}

async fn see(tg: &FakeTelegram, user: &TgUser, needle: &str) -> BotMessage {
    let id = user.id;
    let seen = tg.wait_until(|s| s.chat(id).iter().any(|m| m.text.contains(needle)), WAIT).await;
    assert!(seen, "never saw {needle:?}; the chat: {:#?}", tg.chat(user).iter().map(|m| &m.text).collect::<Vec<_>>());
    tg.chat(user).into_iter().rev().find(|m| m.text.contains(needle)).expect("seen")
}

fn press(tg: &FakeTelegram, user: &TgUser, label: &str) {
    tg.press_last_inline(user, label).unwrap_or_else(|e| panic!("{e}"));
}

async fn register(tg: &FakeTelegram, user: &TgUser, name: &str, phone: &str) {
    tg.send_text(user, "/start");
    see(tg, user, "звертатися").await;
    tg.send_text(user, name);
    see(tg, user, "поділіться номером").await;
    tg.share_contact(user, phone, true);
    see(tg, user, "ви зареєстровані").await;
}

/// Book → the haircut → the full Wednesday's bell → "this day only".
async fn wait_for_wednesday(tg: &FakeTelegram, user: &TgUser) {
    tg.press_reply_button(user, "Записатись").unwrap_or_else(|e| panic!("{e}"));
    see(tg, user, "Оберіть послугу").await;
    press(tg, user, "Стрижка · 60 хв");
    see(tg, user, "Оберіть день").await;
    press(tg, user, "🔔");
    see(tg, user, "вільного часу немає").await;
    press(tg, user, "🔔 Лише цей день");
    see(tg, user, "ви в листі очікування").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_in_the_api_sends_the_offer_and_pressing_it_books_the_time() {
    let (tg, app, petros) = salon().await;
    let olena = tg.user(1001, "Олена", Some("uk"));
    register(&tg, &olena, "Олена", "0671234567").await;
    wait_for_wednesday(&tg, &olena).await;

    let cancelled = app.post(&format!("/api/appointments/{petros}/cancel"), json!({"reason": "Захворів"})).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    see(&tg, &olena, "🔔 Звільнився час! Стрижка, Ср 04.03.2026 о 10:00").await;
    press(&tg, &olena, "✅ Записатись на 10:00");
    see(&tg, &olena, "Ви записані: Стрижка, Ср 04.03.2026 о 10:00").await;

    let booked = app.get("/api/appointments?user_id=1001").await;
    assert_eq!(booked.body["total"], 1, "{:?}", booked.body);
    assert_eq!(booked.body["appointments"][0]["source"], "bot");
    assert!(
        tg.calls().iter().all(|c| c.status == 200),
        "the bot made no call Telegram would refuse: {:?}",
        tg.calls().iter().filter(|c| c.status != 200).map(|c| (&c.method, &c.description)).collect::<Vec<_>>()
    );
}

/// Simulated clients: simulator chat ids start at 2^52, above every real Telegram user id.
const SIMULATED: i64 = (1 << 52) + 880_000;

/// A simulated client registers and joins Wednesday's waitlist by its button.
async fn simulated_wait(app: &TestApp, n: i64, name: &str, service: i64, around: bool) {
    let chat = SIMULATED + n;
    for body in [
        json!({"chat_id": chat, "text": "/start"}),
        json!({"chat_id": chat, "text": name}),
        json!({"chat_id": chat, "contact_phone": format!("+38067123450{n}")}),
        json!({"chat_id": chat, "callback_data": format!("Q{service}:a:20260304:{}", u8::from(around)), "message_id": 1}),
    ] {
        let reply = app.post("/api/simulator/send", body.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}: {reply:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_waitlist_lists_the_waits_per_day_with_names_and_analytics_count_them() {
    let app = zapys_testkit::spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    app.slot("2026-03-04", "10:00").await;
    simulated_wait(&app, 1, "Олена", haircut, false).await;
    simulated_wait(&app, 2, "Іван", haircut, true).await;

    let list = app.get("/api/waitlist?from=2026-03-04&to=2026-03-05").await;
    assert_eq!(list.status, StatusCode::OK, "{list:?}");
    assert_eq!((list.body["from"].as_str(), list.body["to"].as_str()), (Some("2026-03-04"), Some("2026-03-05")));
    assert_eq!(list.body["total"], 2);
    let days = list.body["days"].as_array().expect("days");
    assert_eq!(days.len(), 1, "only days with waits: {days:?}");
    assert_eq!(days[0]["date"], "2026-03-04");
    let waits = days[0]["waits"].as_array().expect("waits");
    let seen: Vec<_> = waits
        .iter()
        .map(|w| (w["user_name"].as_str(), w["service"].as_str(), w["around"].as_bool(), w["appointment_id"].is_null()))
        .collect();
    assert_eq!(
        seen,
        [(Some("Олена"), Some("Стрижка"), Some(false), true), (Some("Іван"), Some("Стрижка"), Some(true), true)],
        "in the order they asked"
    );
    assert!(
        app.get("/api/waitlist?from=2026-03-05&to=2026-03-31").await.body["days"].as_array().expect("days").is_empty()
    );

    for bad in ["from=tomorrow", "from=2026-03-05&to=2026-03-04", "from=2026-01-01&to=2027-12-31"] {
        let refused = app.get(&format!("/api/waitlist?{bad}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(!refused.error().is_empty());
    }
    assert_eq!(
        app.anonymous(zapys_testkit::reqwest::Method::GET, "/api/waitlist", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    let figures = app.get("/api/analytics?from=2026-03-01&to=2026-03-31").await;
    assert_eq!((figures.body["waits"].as_u64(), figures.body["waits_booked"].as_u64()), (Some(2), Some(0)));
}
