//! The bot connected from Settings: the owner pastes the token from @BotFather, Telegram is asked
//! whether it knows it, and the bot answers clients at once, with no restart. The real app against
//! the fake Bot API over HTTP.

use std::time::Duration;

use zapys_fake_telegram::{FakeTelegram, Fault, TgUser};
use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app_with, spawn_postgres_app_with};

const WAIT: Duration = Duration::from_secs(10);
/// Shaped like a real token (the fake accepts exactly this one).
const TOKEN: &str = "7012345678:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0";
/// Shaped like one too, but no bot has it.
const UNKNOWN: &str = "7012345678:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHmXXX";

/// The app pointed at the fake Bot API, with no `TELEGRAM_BOT_TOKEN`.
async fn app_without_a_token(tg: &FakeTelegram, adjust: impl FnOnce(&mut zapys::Config)) -> TestApp {
    let url = tg.api_url();
    spawn_app_with(|config| {
        config.telegram_bot_token = None;
        config.telegram_api_url = url;
        adjust(config);
    })
    .await
}

async fn greeted(tg: &FakeTelegram, user: &TgUser) -> bool {
    let id = user.id;
    tg.wait_until(|s| s.chat(id).iter().any(|m| m.text.contains("Вітаємо")), WAIT).await
}

fn getupdates_calls(tg: &FakeTelegram) -> usize {
    tg.calls_of("getupdates").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_pasted_in_settings_is_checked_kept_sealed_and_the_bot_answers_at_once() {
    let tg = FakeTelegram::start(TOKEN).await;
    let app = app_without_a_token(&tg, |_| {}).await;
    let before = app.get("/api/settings/telegram").await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!((before.body["source"].as_str(), before.body["configured"].as_bool()), (Some("none"), Some(false)));

    let typo = app.put("/api/settings/telegram", json!({"token": "7012345678 AAHfiqks"})).await;
    assert_eq!((typo.status, typo.body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_value")));
    assert!(tg.calls_of("getme").is_empty(), "a typo is named before Telegram is asked");

    let unknown = app.put("/api/settings/telegram", json!({"token": UNKNOWN})).await;
    assert_eq!(
        (unknown.status, unknown.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("telegram_token_refused")),
        "{:?}",
        unknown.body
    );
    assert_eq!(app.store.telegram_token().await.expect("reads"), None, "a refused token is not kept");

    let connected = app.put("/api/settings/telegram", json!({"token": format!("  {TOKEN}\n")})).await;
    assert_eq!(connected.status, StatusCode::OK, "{:?}", connected.body);
    assert_eq!(connected.body["bot_username"], "zapys_test_bot");
    assert_eq!(
        (connected.body["source"].as_str(), connected.body["mode"].as_str()),
        (Some("settings"), Some("polling"))
    );
    assert!(!connected.body.to_string().contains(TOKEN), "the token is never answered back");
    assert_eq!(app.store.telegram_token().await.expect("reads").as_deref(), Some(TOKEN), "kept, trimmed");
    let settings = app.get("/api/settings").await;
    assert_eq!(settings.body["telegram"]["bot_username"], "zapys_test_bot", "the settings page sees it too");

    // The conversation answers, and what the business does reaches the client (the notifier sends too).
    let olena = tg.user(1001, "Олена", Some("uk"));
    tg.send_text(&olena, "/start");
    assert!(greeted(&tg, &olena).await, "the bot answers without a restart: {:?}", tg.chat(&olena));
    let taras = tg.user(1002, "Тарас", Some("uk"));
    let client = app.client("Тарас", "+380671000002", Some(1002)).await;
    let haircut = app.service("Стрижка", 60).await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let booking = app.book(client, haircut, slot).await;
    app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
    let id = taras.id;
    assert!(
        tg.wait_until(|s| s.chat(id).iter().any(|m| m.text.contains("підтверджено")), WAIT).await,
        "the confirmation reaches the client: {:?}",
        tg.chat(&taras)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_token_survives_a_restart_and_disconnecting_stops_the_bot() {
    let tg = FakeTelegram::start(TOKEN).await;
    let mut app = app_without_a_token(&tg, |_| {}).await;
    assert_eq!(app.put("/api/settings/telegram", json!({"token": TOKEN})).await.status, StatusCode::OK);

    app.restart().await;
    let after_restart = app.get("/api/settings/telegram").await;
    assert_eq!(after_restart.body["source"], "settings", "{:?}", after_restart.body);
    assert_eq!(after_restart.body["bot_username"], "zapys_test_bot");
    let olena = tg.user(1001, "Олена", Some("uk"));
    tg.send_text(&olena, "/start");
    assert!(greeted(&tg, &olena).await, "the bot is back after the restart");

    let disconnected = app.delete("/api/settings/telegram").await;
    assert_eq!(disconnected.status, StatusCode::OK);
    assert_eq!(
        (disconnected.body["source"].as_str(), disconnected.body["configured"].as_bool()),
        (Some("none"), Some(false))
    );
    assert_eq!(app.store.telegram_token().await.expect("reads"), None, "the token is forgotten");
    // Polling has stopped: no new getUpdates, and a client's message waits at Telegram unanswered.
    let polls = getupdates_calls(&tg);
    let taras = tg.user(1002, "Тарас", Some("uk"));
    tg.send_text(&taras, "/start");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(getupdates_calls(&tg), polls, "nobody polls any more");
    assert!(tg.chat(&taras).is_empty(), "nobody answers");

    // Connecting again picks the waiting message up.
    assert_eq!(app.put("/api/settings/telegram", json!({"token": TOKEN})).await.status, StatusCode::OK);
    assert!(greeted(&tg, &taras).await, "the bot answers once connected again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_token_wins_and_settings_cannot_change_it() {
    let tg = FakeTelegram::start(TOKEN).await;
    let app = app_without_a_token(&tg, |config| {
        config.telegram_bot_token = Some(TOKEN.parse().expect("infallible"));
    })
    .await;
    app.store.set_telegram_token(Some(UNKNOWN)).await.expect("an old token was saved before");
    let status = app.get("/api/settings/telegram").await;
    assert_eq!(
        (status.body["source"].as_str(), status.body["bot_username"].as_str()),
        (Some("environment"), Some("zapys_test_bot"))
    );

    for refused in
        [app.put("/api/settings/telegram", json!({"token": UNKNOWN})).await, app.delete("/api/settings/telegram").await]
    {
        assert_eq!(
            (refused.status, refused.body["code"].as_str()),
            (StatusCode::CONFLICT, Some("telegram_from_environment")),
            "{:?}",
            refused.body
        );
    }
    let olena = tg.user(1001, "Олена", Some("uk"));
    tg.send_text(&olena, "/start");
    assert!(greeted(&tg, &olena).await, "the environment's bot keeps answering");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_telegram_saves_nothing_and_says_so() {
    // Nobody listens on port 9 here: every call is refused at once.
    let app = spawn_app_with(|config| {
        config.telegram_bot_token = None;
        config.telegram_api_url = "http://127.0.0.1:9".into();
    })
    .await;
    let reply = app.put("/api/settings/telegram", json!({"token": TOKEN})).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("telegram_unreachable")),
        "{:?}",
        reply.body
    );
    assert!(!reply.error().contains(TOKEN), "the token is not in the message: {}", reply.error());
    assert_eq!(app.store.telegram_token().await.expect("reads"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_webhook_mode_a_pasted_token_registers_the_webhook_and_disconnecting_deletes_it() {
    let tg = FakeTelegram::start(TOKEN).await;
    let app = app_without_a_token(&tg, |config| {
        config.telegram_webhook_url = Some("https://bot.example.com/telegram/webhook".into());
    })
    .await;
    let update = json!({"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"id": 1001, "type": "private"},
        "from": {"id": 1001, "is_bot": false, "first_name": "Олена"}, "text": "/start"}});
    let post = |secret: String| {
        app.request(zapys_testkit::reqwest::Method::POST, "/telegram/webhook")
            .header("x-telegram-bot-api-secret-token", secret)
            .json(&update)
            .send()
    };
    let secret = zapys::derived_webhook_secret(TOKEN);
    assert_eq!(post(secret.clone()).await.expect("answers").status(), StatusCode::SERVICE_UNAVAILABLE, "no bot yet");

    // Telegram refuses the webhook once: the token is kept, the problem is named, and pasting it
    // again (once the address is mended) connects.
    tg.fail_next("setWebhook", Fault::Error { code: 400, description: "Bad Request: bad webhook".into() });
    let refused = app.put("/api/settings/telegram", json!({"token": TOKEN})).await;
    assert_eq!(refused.status, StatusCode::OK);
    assert_eq!(
        (refused.body["problem"].as_str(), refused.body["mode"].as_str()),
        (Some("webhook_refused"), Some("none"))
    );
    let connected = app.put("/api/settings/telegram", json!({"token": TOKEN})).await;
    assert_eq!(connected.body["mode"], "webhook", "{:?}", connected.body);
    assert!(connected.body["problem"].is_null(), "{:?}", connected.body);
    assert_eq!(tg.with_state(|s| s.webhook_secret().map(str::to_owned)).as_deref(), Some(secret.as_str()));
    let olena = tg.user(1001, "Олена", Some("uk"));
    assert_eq!(post("wrong".into()).await.expect("answers").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(post(secret.clone()).await.expect("answers").status(), StatusCode::OK);
    assert!(greeted(&tg, &olena).await, "the webhook's update was answered");

    let deleted_before = tg.calls_of("deletewebhook").len();
    app.delete("/api/settings/telegram").await;
    assert_eq!(tg.calls_of("deletewebhook").len(), deleted_before + 1, "Telegram is told to stop posting");
    assert_eq!(tg.with_state(|s| s.webhook_url().map(str::to_owned)), None, "no webhook is left registered");
    assert_eq!(post(secret).await.expect("answers").status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_saved_at_one_instance_connects_the_others_and_one_of_them_polls() {
    let tg = FakeTelegram::start(TOKEN).await;
    let url = tg.api_url();
    let Some(first) = spawn_postgres_app_with(|config| {
        config.telegram_bot_token = None;
        config.telegram_api_url = url;
    })
    .await
    else {
        return;
    };
    let second = first.another_instance().await;
    assert_eq!(first.put("/api/settings/telegram", json!({"token": TOKEN})).await.status, StatusCode::OK);
    let deadline = tokio::time::Instant::now() + WAIT;
    while second.app().telegram.status().bot_username.is_none() {
        assert!(tokio::time::Instant::now() < deadline, "the other instance never connected the bot");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let olena = tg.user(1001, "Олена", Some("uk"));
    tg.send_text(&olena, "/start");
    assert!(greeted(&tg, &olena).await);
    let pollers = [&first, &second].iter().filter(|app| app.app().leases.holds(zapys::lease::TELEGRAM_POLLING)).count();
    assert_eq!(pollers, 1, "one instance polls, the other stands by");

    assert_eq!(second.delete("/api/settings/telegram").await.status, StatusCode::OK);
    let deadline = tokio::time::Instant::now() + WAIT;
    while first.app().telegram.status().configured {
        assert!(tokio::time::Instant::now() < deadline, "the first instance kept the forgotten bot");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
