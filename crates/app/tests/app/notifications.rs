//! What the bot says on its own initiative: notices of the business's changes
//! and reminders, delivered through the outbox to a fake Bot API server.

use std::time::Duration;

use jiff::SignedDuration;
use zapys_fake_telegram::{FakeTelegram, Fault, TgUser};
use zapys_testkit::reqwest::Method;
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app_with};

const WAIT: Duration = Duration::from_secs(15);
const BUSINESS_CHAT: i64 = 42;

struct World {
    tg: FakeTelegram,
    app: TestApp,
    haircut: i64,
}

async fn world() -> World {
    world_with(|_| {}).await
}

async fn world_with(adjust: impl FnOnce(&mut zapys::Config)) -> World {
    let tg = FakeTelegram::start("123456:TEST-TOKEN").await;
    tg.user(BUSINESS_CHAT, "Салон", Some("uk"));
    let (url, token) = (tg.api_url(), tg.token().to_owned());
    let app = spawn_app_with(|config| {
        config.telegram_bot_token = Some(token.parse().expect("infallible"));
        config.telegram_api_url = url;
        config.admin_chat_id = Some(BUSINESS_CHAT);
        adjust(config);
    })
    .await;
    let haircut = app.service("Стрижка", 60).await;
    World { tg, app, haircut }
}

/// A client known to the business with a Telegram chat.
async fn client(world: &World, id: i64, name: &str) -> (TgUser, i64) {
    let user = world.tg.user(id, name, Some("uk"));
    let client = world.app.client(name, &format!("+38067{id:07}"), Some(id)).await;
    (user, client)
}

fn texts(tg: &FakeTelegram, user: &TgUser) -> Vec<String> {
    tg.chat(user).into_iter().map(|m| m.text).collect()
}

async fn see(tg: &FakeTelegram, user: &TgUser, needle: &str) {
    let id = user.id;
    let seen = tg.wait_until(|s| s.chat(id).iter().any(|m| m.text.contains(needle)), WAIT).await;
    assert!(seen, "never saw {needle:?}; the chat: {:#?}", texts(tg, user));
}

fn count(tg: &FakeTelegram, user: &TgUser, needle: &str) -> usize {
    texts(tg, user).iter().filter(|t| t.contains(needle)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_business_does_reaches_the_client_at_once_and_in_order() {
    let world = world().await;
    let app = &world.app;
    let (olena, id) = client(&world, 1001, "Олена").await;
    let ten = app.slot("2026-03-03", "10:00").await;
    let two = app.slot("2026-03-03", "14:00").await;
    let booking = app.book(id, world.haircut, ten).await;

    app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
    app.put(&format!("/api/appointments/{booking}"), json!({"date_id": two})).await;
    app.post(&format!("/api/appointments/{booking}/cancel"), json!({"reason": "Майстер захворів"})).await;

    see(&world.tg, &olena, "скасовано").await;
    assert_eq!(
        texts(&world.tg, &olena),
        [
            "✅ Ваш запис підтверджено: Стрижка, Вт 03.03.2026 о 10:00, майстер: Майстер. Чекаємо на вас!",
            "🔁 Ваш запис перенесено: Стрижка, тепер Вт 03.03.2026 о 14:00, майстер: Майстер (було: Вт 03.03.2026 10:00).",
            "❌ На жаль, ваш запис скасовано: Стрижка, Вт 03.03.2026 о 14:00, майстер: Майстер.\nПричина: Майстер захворів",
        ]
    );
    // The fake shows a message a moment before Zapys hears back and marks it sent.
    let mut sent = app.get("/api/notifications?status=sent").await;
    for _ in 0..50 {
        if sent.body["total"] == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        sent = app.get("/api/notifications?status=sent").await;
    }
    assert_eq!(sent.body["total"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_arrive_at_the_configured_offsets_with_buttons_while_pending() {
    let world = world().await;
    let (tg, app) = (&world.tg, &world.app);
    let (olena, id) = client(&world, 1001, "Олена").await;
    // Now is Monday 08:00 in Kyiv; the visit is Wednesday 10:00, 50 hours ahead.
    let booking = app.book(id, world.haircut, app.slot("2026-03-04", "10:00").await).await;

    app.advance(SignedDuration::from_hours(26) - SignedDuration::from_mins(1));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(count(tg, &olena, "Нагадуємо"), 0, "not a minute early");

    app.advance(SignedDuration::from_mins(1));
    see(tg, &olena, "🔔 Нагадуємо про ваш запис: Стрижка, Ср 04.03.2026 о 10:00, майстер: Майстер.").await;
    let reminder = tg.last_message(&olena).expect("the reminder");
    assert!(reminder.text.contains("очікує підтвердження"));
    tg.press_last_inline(&olena, "👍 Я прийду").expect("the reminder asks the client to confirm they will come");
    see(tg, &olena, "✅ підтверджено").await;
    assert_eq!(app.get(&format!("/api/appointments/{booking}")).await.body["status_name"], "confirmed");

    // Pressing the reminder's button turned that message into the booking list, so count what was sent.
    fn reminder_calls(s: &zapys_fake_telegram::State) -> usize {
        s.calls_of("sendmessage")
            .filter(|c| c.status == 200 && c.params["text"].as_str().is_some_and(|t| t.contains("Нагадуємо")))
            .count()
    }
    app.advance(SignedDuration::from_hours(22));
    let two_hours = tg.wait_until(|s| reminder_calls(s) == 2, WAIT).await;
    assert!(two_hours, "the 2-hour reminder: {:#?}", texts(tg, &olena));
    let last = tg.last_message(&olena).expect("the second reminder");
    let labels: Vec<String> = last.inline_buttons().map(|b| b.text.clone()).collect();
    assert_eq!(
        labels,
        ["🔁 Перенести", "✖️ Скасувати"],
        "a confirmed booking's reminder offers a move, not a confirmation"
    );

    app.advance(SignedDuration::from_hours(3));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(tg.with_state(reminder_calls), 2, "each reminder once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_and_cancelled_bookings_get_no_reminder() {
    let world = world().await;
    let (tg, app) = (&world.tg, &world.app);
    let (olena, id) = client(&world, 1001, "Олена").await;
    let (petro, petro_id) = client(&world, 1002, "Петро").await;
    // Booked at 08:00 for 09:30 the same day: neither the 24 h nor the 2 h reminder applies.
    app.book(id, world.haircut, app.slot("2026-03-02", "09:30").await).await;
    let cancelled = app.book(petro_id, world.haircut, app.slot("2026-03-03", "12:00").await).await;
    app.delete(&format!("/api/appointments/{cancelled}")).await;
    see(tg, &petro, "скасовано").await;

    for _ in 0..4 {
        app.advance(SignedDuration::from_hours(8));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(count(tg, &olena, "Нагадуємо"), 0, "{:#?}", texts(tg, &olena));
    assert_eq!(count(tg, &petro, "Нагадуємо"), 0, "{:#?}", texts(tg, &petro));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_outages_and_stalls_lose_nothing_and_send_nothing_twice() {
    let world = world().await;
    let (tg, app) = (&world.tg, &world.app);
    tg.fail_every("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 4);
    tg.fail_next("sendMessage", Fault::ServerError);
    tg.fail_next("sendMessage", Fault::Stall(Duration::from_secs(2)));
    tg.fail_next("sendMessage", Fault::InternalError);

    let mut clients = Vec::new();
    for n in 0..3 {
        let (user, id) = client(&world, 2000 + n, &format!("Клієнт {n}")).await;
        let booking = app.book(id, world.haircut, app.slot("2026-03-03", &format!("1{n}:00")).await).await;
        app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
        app.post(&format!("/api/appointments/{booking}/cancel"), json!({"reason": "тест"})).await;
        clients.push(user);
    }
    for user in &clients {
        let id = user.id;
        let both = tg.wait_until(|s| s.chat(id).len() == 2, Duration::from_secs(30)).await;
        assert!(both, "client {id}: {:#?}", texts(tg, user));
        let got = texts(tg, user);
        assert!(got[0].starts_with("✅") && got[1].starts_with("❌"), "in order: {got:#?}");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for user in &clients {
        assert_eq!(tg.chat(user).len(), 2, "none twice");
    }
    let throttled = tg.calls_of("sendmessage").iter().filter(|c| c.status == 429).count();
    assert!(throttled >= 1, "the 429s happened");
    let mut pending = app.get("/api/notifications?status=pending").await;
    for _ in 0..50 {
        if pending.body["total"] == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        pending = app.get("/api/notifications?status=pending").await;
    }
    assert_eq!(pending.body["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_with_notices_and_reminders_pending_loses_nothing_and_duplicates_nothing() {
    let mut world = world().await;
    let (olena, id) = client(&world, 1001, "Олена").await;
    // Telegram is down: every send fails, so notices wait in the outbox.
    world.tg.fail_every("sendMessage", Fault::ServerError, 1);
    let booking = world.app.book(id, world.haircut, world.app.slot("2026-03-04", "10:00").await).await;
    world.app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
    let waiting = world.tg.wait_until(|s| s.calls_of("sendmessage").count() >= 1, WAIT).await;
    assert!(waiting, "the notifier tried");

    world.app.stop().await;
    // While Zapys is down the 24-hour reminder falls due.
    world.app.clock.advance(SignedDuration::from_hours(27));
    world.tg.clear_faults();
    world.app.restart().await;

    see(&world.tg, &olena, "Нагадуємо").await;
    see(&world.tg, &olena, "підтверджено").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(count(&world.tg, &olena, "підтверджено"), 1);
    assert_eq!(count(&world.tg, &olena, "Нагадуємо"), 1, "late, once: {:#?}", texts(&world.tg, &olena));
    let first = texts(&world.tg, &olena);
    assert!(first[0].contains("підтверджено"), "the older notice first: {first:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_who_blocked_the_bot_shows_as_a_failed_notice() {
    let world = world().await;
    let (tg, app) = (&world.tg, &world.app);
    let (olena, id) = client(&world, 1001, "Олена").await;
    tg.block(&olena);
    let booking = app.book(id, world.haircut, app.slot("2026-03-03", "10:00").await).await;
    app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;

    let mut failed = app.get("/api/notifications?status=failed").await;
    for _ in 0..50 {
        if failed.body["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        failed = app.get("/api/notifications?status=failed").await;
    }
    assert_eq!(failed.body["total"], 1, "{failed:?}");
    let item = &failed.body["notifications"][0];
    assert_eq!((item["kind"].as_str(), item["recipient"].as_str()), (Some("confirmed"), Some("client")));
    assert!(item["last_error"].as_str().is_some_and(|e| e.contains("blocked")), "{item}");

    tg.unblock(&olena);
    let id = item["id"].as_i64().expect("an id");
    assert_eq!(app.call(Method::POST, &format!("/api/notifications/{id}/retry"), None).await.status, 200);
    see(tg, &olena, "підтверджено").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_by_the_system_is_explained_in_the_clients_language() {
    let world = world().await;
    let app = &world.app;
    let (olena, id) = client(&world, 1001, "Олена").await;
    let ten = app.slot("2026-03-03", "10:00").await;
    app.book(id, world.haircut, ten).await;

    let deleted = app.delete(&format!("/api/available_dates/{ten}?force=true")).await;
    assert!(deleted.status.is_success(), "{deleted:?}");
    see(&world.tg, &olena, "скасовано").await;
    let notice = texts(&world.tg, &olena).pop().expect("the notice");
    assert!(notice.ends_with("Причина: цей час більше не доступний для запису"), "{notice}");
}

/// A webhook receiver on 127.0.0.1 that takes each request and never answers it.
async fn dead_receiver() -> String {
    let routes = axum::Router::new().route("/hook", axum::routing::post(std::future::pending::<()>));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, routes).await });
    url
}

/// A webhook receiver on 127.0.0.1 that answers 200 and counts the events it got.
async fn live_receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = events.clone();
    let routes = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap| async move {
            let event = headers.get("x-zapys-event").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            seen.lock().expect("not poisoned").push(event);
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, routes).await });
    (url, events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_never_answers_holds_back_neither_other_receivers_nor_clients() {
    let world = world_with(|config| config.webhook_allow_private = true).await;
    let (tg, app) = (&world.tg, &world.app);
    let dead = dead_receiver().await;
    let (live, got) = live_receiver().await;
    for url in [&dead, &live] {
        assert_eq!(app.post("/api/webhooks", json!({"url": url})).await.status, 201);
    }
    let (olena, id) = client(&world, 1001, "Олена").await;
    let booking = app.book(id, world.haircut, app.slot("2026-03-03", "10:00").await).await;
    app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;

    // The dead receiver holds each request for the client's 10 s timeout, then is retried; meanwhile:
    let quick = Duration::from_secs(5);
    let client_told = tg.wait_until(|s| s.chat(1001).iter().any(|m| m.text.contains("підтверджено")), quick).await;
    assert!(client_told, "the client hears of the confirmation at once: {:#?}", texts(tg, &olena));
    let mut both = false;
    for _ in 0..50 {
        both = got.lock().expect("not poisoned").len() == 2;
        if both {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(both, "the other receiver gets both events at once: {:?}", got.lock().expect("not poisoned"));
    assert_eq!(*got.lock().expect("not poisoned"), ["booking.created", "booking.confirmed"], "in order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_that_cannot_be_written_fails_alone_and_the_rest_go_out() {
    let world = world().await;
    let (tg, app) = (&world.tg, &world.app);
    let (_olena, damaged) = client(&world, 1001, "Олена").await;
    let (petro, fine) = client(&world, 1002, "Петро").await;
    let first = app.book(damaged, world.haircut, app.slot("2026-03-03", "10:00").await).await;
    let second = app.book(fine, world.haircut, app.slot("2026-03-03", "12:00").await).await;

    // Damage Олена's sealed name on disk, so her notice cannot be written.
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database_path.display())).await.expect("opens");
    sqlx::query("UPDATE clients SET name_sealed = x'00' WHERE id = ?").bind(damaged).execute(&db).await.expect("ok");
    db.close().await;
    app.post(&format!("/api/appointments/{first}/confirm"), json!({})).await;
    app.post(&format!("/api/appointments/{second}/confirm"), json!({})).await;

    see(tg, &petro, "✅ Ваш запис підтверджено").await;
    let mut failed = app.get("/api/notifications?status=failed").await.body;
    for _ in 0..50 {
        if failed["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        failed = app.get("/api/notifications?status=failed").await.body;
    }
    assert_eq!(failed["total"], 1, "{failed}");
    assert_eq!(failed["notifications"][0]["appointment_id"], first, "{failed}");
    assert!(failed["notifications"][0]["last_error"].as_str().is_some_and(|e| e.contains("could not be written")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_with_a_chat_hears_of_their_own_bookings_in_their_own_chat() {
    let world = world().await;
    let (tg, app) = (&world.tg, &world.app);
    let (_olena, id) = client(&world, 1001, "Олена").await;
    let oksana = tg.user(7001, "Оксана", Some("uk"));
    let iryna = tg.user(7002, "Ірина", Some("uk"));
    let services = json!([{"service_id": world.haircut}]);
    let put = app.put("/api/staff/1", json!({"name": "Оксана", "telegram_chat_id": 7001, "services": services})).await;
    assert_eq!(put.status, 200, "{put:?}");
    let ten = app.slot("2026-03-03", "10:00").await; // Оксана's, the only staff member yet
    let made = app.post("/api/staff", json!({"name": "Ірина", "telegram_chat_id": 7002, "services": services})).await;
    let iryna_id = made.body["id"].as_i64().unwrap_or_else(|| panic!("{made:?}"));

    // The admin books Олена with Оксана, gives the booking to Ірина, then cancels it.
    let booking = app.book(id, world.haircut, ten).await;
    see(tg, &oksana, "🆕 Новий запис до вас: Олена, +380670001001\nСтрижка: Вт 03.03.2026, 10:00–11:00").await;
    let moved = app.put(&format!("/api/appointments/{booking}"), json!({"staff_id": iryna_id})).await;
    assert_eq!(moved.status, 200, "{moved:?}");
    see(tg, &oksana, "↪️ Запис передано іншому майстру: Олена").await;
    see(tg, &iryna, "🆕 Новий запис до вас: Олена").await;
    app.post(&format!("/api/appointments/{booking}/cancel"), json!({"reason": "Майстер захворів"})).await;
    see(tg, &iryna, "❌ Запис скасовано: Олена").await;
    see(tg, &iryna, "Причина: Майстер захворів").await;

    // Each hears of their own bookings only, once each.
    assert_eq!(texts(tg, &oksana).len(), 2, "{:#?}", texts(tg, &oksana));
    assert_eq!(texts(tg, &iryna).len(), 2, "{:#?}", texts(tg, &iryna));
    let listed = app.get("/api/notifications").await;
    let staff = listed.body["notifications"]
        .as_array()
        .map(|all| all.iter().filter(|n| n["recipient"] == "staff").count())
        .unwrap_or_default();
    assert_eq!(staff, 4, "{listed:?}");
}
