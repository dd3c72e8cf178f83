//! "Come back" end to end: the real app polls a fake Bot API on 127.0.0.1. A completed visit brings
//! "how was it?" a few hours later and the nudge to book again on its day (in daytime hours); the
//! nudge's time button books through the bot; the stars show in the ratings analytics; a client who
//! blocked the bot is not nudged.

use std::time::Duration;

use jiff::SignedDuration;
use zapys_fake_telegram::{FakeTelegram, TgUser};
use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app_with};

const WAIT: Duration = Duration::from_secs(15);

async fn world() -> (FakeTelegram, TestApp, i64) {
    let tg = FakeTelegram::start("123456:TEST-TOKEN").await;
    tg.user(42, "Салон", Some("uk"));
    let (url, token) = (tg.api_url(), tg.token().to_owned());
    let app = spawn_app_with(|config| {
        config.telegram_bot_token = Some(token.parse().expect("infallible"));
        config.telegram_api_url = url;
        config.admin_chat_id = Some(42);
    })
    .await;
    let created = app
        .post("/api/services", json!({"service_name": "Стрижка", "duration_minutes": 60, "rebook_after_days": 21}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body["service"]["rebook_after_days"], 21);
    let haircut = created.body["id"].as_i64().expect("an id");
    // Ask for the stars three hours after a visit.
    let mut settings = app.get("/api/settings").await.body;
    settings.as_object_mut().expect("an object").remove("telegram");
    assert_eq!((settings["daytime_from"].as_str(), settings["daytime_to"].as_str()), (Some("10:00"), Some("20:00")));
    assert_eq!(settings["ask_rating"], false, "off until the business turns it on");
    settings["ask_rating"] = json!(true);
    settings["rating_delay_hours"] = json!(3);
    let saved = app.put("/api/settings", settings).await;
    assert_eq!(saved.status, StatusCode::OK, "{saved:?}");
    (tg, app, haircut)
}

async fn see(tg: &FakeTelegram, user: &TgUser, needle: &str) {
    let id = user.id;
    let seen = tg.wait_until(|s| s.chat(id).iter().any(|m| m.text.contains(needle)), WAIT).await;
    let texts: Vec<String> = tg.chat(user).into_iter().map(|m| m.text).collect();
    assert!(seen, "never saw {needle:?}; the chat: {texts:#?}");
}

/// Messages sent to the user that contained `needle` when sent (a pressed button may edit them since).
fn count(tg: &FakeTelegram, user: &TgUser, needle: &str) -> usize {
    tg.with_state(|s| {
        s.calls_of("sendmessage")
            .filter(|c| c.status == 200 && c.params["chat_id"].as_i64() == Some(user.id))
            .filter(|c| c.params["text"].as_str().is_some_and(|t| t.contains(needle)))
            .count()
    })
}

fn press(tg: &FakeTelegram, user: &TgUser, label: &str) {
    tg.press_last_inline(user, label).unwrap_or_else(|e| panic!("{e}"));
}

/// A client with a Telegram chat and a completed Tuesday visit (`time` to an hour later).
async fn visited(tg: &FakeTelegram, app: &TestApp, haircut: i64, id: i64, name: &str, time: &str) -> TgUser {
    let user = tg.user(id, name, Some("uk"));
    let client = app.client(name, &format!("+38067{id:07}"), Some(id)).await;
    let booking = app.book(client, haircut, app.slot("2026-03-03", time).await).await;
    app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
    user
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completed_visit_brings_the_stars_then_the_nudge_whose_time_button_books() {
    let (tg, app, haircut) = world().await;
    // Three weeks on, the admin's session is long over; an API token reads what happened.
    let token = app.api_token("reader").await;
    let olena = visited(&tg, &app, haircut, 1001, "Олена", "10:00").await;
    let taras = visited(&tg, &app, haircut, 1002, "Тарас", "11:00").await;
    // Monday 08:00 → Tuesday 12:05 in Kyiv: both visits are over and marked completed.
    app.advance(SignedDuration::from_hours(28) + SignedDuration::from_mins(5));
    for booking in app.get("/api/appointments").await.body["appointments"].as_array().expect("a list") {
        let id = booking["id"].as_i64().expect("an id");
        let done = app.post(&format!("/api/appointments/{id}/complete"), json!({})).await;
        assert_eq!(done.status, StatusCode::OK, "{done:?}");
    }
    // Тарас blocks the bot before anything reaches him.
    tg.block(&taras);

    // 14:00: three hours after Олена's visit, "how was it?".
    app.advance(SignedDuration::from_hours(2));
    see(&tg, &olena, "Як вам «Стрижка» (Майстер) Вт 03.03?").await;
    press(&tg, &olena, "★★★★★");
    see(&tg, &olena, "Дякуємо за оцінку! ★★★★★").await;
    let ratings = app.get("/api/analytics/ratings?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(ratings.status, StatusCode::OK, "{ratings:?}");
    assert_eq!((ratings.body["count"].as_u64(), ratings.body["average"].as_f64()), (Some(1), Some(5.0)));
    assert_eq!(ratings.body["by_staff"][0]["name"], "Майстер");
    assert_eq!(ratings.body["by_service"][0]["name"], "Стрижка");
    assert_eq!(ratings.body["by_service"][0]["id"], haircut);
    // 15:00: Тарас's request is refused by Telegram as blocked, which marks him.
    app.advance(SignedDuration::from_hours(1));
    let refused = tg.wait_until(|s| s.calls_of("sendmessage").any(|c| c.status == 403), WAIT).await;
    assert!(refused, "Тарас's rating request met the block");

    // Free times three weeks on; the nudges fall due on Tuesday 24.03 at 11:00 and 12:00.
    for time in ["10:00", "11:00"] {
        app.slot("2026-03-25", time).await;
    }
    tg.unblock(&taras); // he unblocks, but never starts the bot again: still no nudges for him
    app.advance(SignedDuration::from_hours(21 * 24 - 4));
    see(&tg, &olena, "Минуло вже трохи часу після «Стрижка» (Майстер)").await;
    press(&tg, &olena, "Ср 25.03 10:00");
    see(&tg, &olena, "Перевірте").await;
    press(&tg, &olena, "✅ Підтвердити");
    see(&tg, &olena, "Ср 25.03.2026 о 10:00").await;
    let path = "/api/appointments?user_id=1001&from=2026-03-25&to=2026-03-25";
    let booked = app.call_with_token(&token, zapys_testkit::reqwest::Method::GET, path, None).await;
    assert_eq!(booked.body["total"], 1, "booked through the bot: {booked:?}");
    assert_eq!(booked.body["appointments"][0]["source"], "bot");

    app.advance(SignedDuration::from_hours(3));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(count(&tg, &olena, "Минуло"), 1, "never twice for one visit");
    assert_eq!(count(&tg, &taras, "Минуло"), 0, "not to a client who blocked the bot");
    assert_eq!(count(&tg, &olena, "Як вам"), 1, "the stars are asked once");
}

#[tokio::test]
async fn the_rebook_field_and_the_rating_settings_are_checked_and_the_ratings_report_too() {
    let app = zapys_testkit::spawn_app().await;
    let id = app.service("Манікюр", 45).await;
    assert!(app.get(&format!("/api/services/{id}")).await.body["rebook_after_days"].is_null(), "never, at first");
    let path = format!("/api/services/{id}");
    let set = app.put(&path, json!({"service_name": "Манікюр", "rebook_after_days": 28})).await;
    assert_eq!(set.body["service"]["rebook_after_days"], 28, "{set:?}");
    let kept = app.put(&path, json!({"service_name": "Манікюр", "price": 400})).await;
    assert_eq!(kept.body["service"]["rebook_after_days"], 28, "left out: kept");
    let off = app.put(&path, json!({"service_name": "Манікюр", "rebook_after_days": null})).await;
    assert!(off.body["service"]["rebook_after_days"].is_null(), "null: never");
    for bad in [json!(731), json!(-1), json!("soon")] {
        let refused = app.put(&path, json!({"service_name": "Манікюр", "rebook_after_days": bad})).await;
        assert!(refused.status.is_client_error(), "{bad}: {refused:?}");
    }

    let mut settings = app.get("/api/settings").await.body;
    settings.as_object_mut().expect("an object").remove("telegram");
    for (field, value) in
        [("daytime_from", json!("21:00")), ("daytime_to", json!("25:00")), ("rating_delay_hours", json!(73))]
    {
        let mut body = settings.clone();
        body[field] = value;
        let refused = app.put("/api/settings", body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {refused:?}");
        assert!(refused.error().contains(field.split('_').next().expect("a word")), "{refused:?}");
    }
    settings["daytime_from"] = json!("09:30");
    settings["daytime_to"] = json!("21:00");
    let saved = app.put("/api/settings", settings).await;
    assert_eq!(
        (saved.body["settings"]["daytime_from"].as_str(), saved.body["settings"]["daytime_to"].as_str()),
        (Some("09:30"), Some("21:00"))
    );

    let empty = app.get("/api/analytics/ratings").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!((empty.body["count"].as_u64(), empty.body["average"].is_null()), (Some(0), true));
    assert_eq!(empty.body["by_staff"], json!([]));
    let backwards = app.get("/api/analytics/ratings?from=2026-03-10&to=2026-03-01").await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let anonymous = app.anonymous(zapys_testkit::reqwest::Method::GET, "/api/analytics/ratings", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
