//! Several instances on one PostgreSQL database, as behind a load balancer: none is special, and
//! together they behave as one. Skipped (with a line saying so) where PostgreSQL is not installed.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use zapys::lease;
use zapys_fake_telegram::{FakeTelegram, Fault};
use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_postgres_app_with};

const BUSINESS_CHAT: i64 = 42;
const WAIT: Duration = Duration::from_secs(30);

/// Three instances on one fresh database, or `None` without PostgreSQL.
async fn three(adjust: impl FnOnce(&mut zapys::Config)) -> Option<[TestApp; 3]> {
    let first = spawn_postgres_app_with(adjust).await?;
    let second = first.another_instance().await;
    let third = first.another_instance().await;
    Some([first, second, third])
}

/// Three instances connected to one fake Telegram (polling).
async fn three_with_telegram() -> Option<(FakeTelegram, [TestApp; 3])> {
    let tg = FakeTelegram::start("123456:TEST-TOKEN").await;
    tg.user(BUSINESS_CHAT, "Салон", Some("uk"));
    let (url, token) = (tg.api_url(), tg.token().to_owned());
    let apps = three(|config| {
        config.telegram_bot_token = Some(token.parse().expect("infallible"));
        config.telegram_api_url = url;
        config.admin_chat_id = Some(BUSINESS_CHAT);
    })
    .await?;
    Some((tg, apps))
}

fn offered_ids(reply: &zapys_testkit::Reply) -> Vec<i64> {
    reply.body["available_dates"].as_array().expect("a list").iter().filter_map(|s| s["id"].as_i64()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_clients_racing_for_one_time_through_three_instances_get_one_booking() {
    let Some(apps) = three(|_| {}).await else { return };
    let haircut = apps[0].service("Стрижка", 60).await;
    let slot = apps[1].slot("2026-03-03", "10:00").await;
    let mut clients = Vec::new();
    for i in 0..60 {
        clients.push(apps[i % 3].client(&format!("Клієнт {i}"), &format!("+38067{i:07}"), None).await);
    }
    let attempts = clients.iter().enumerate().map(|(i, client)| {
        apps[i % 3].call(
            Method::POST,
            "/api/appointments",
            Some(json!({"user_id": client, "service_id": haircut, "date_id": slot})),
        )
    });
    let replies = join_all(attempts).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let taken = replies.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
    assert_eq!((created, taken), (1, 59), "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    for app in &apps {
        let listed = app.get("/api/appointments?status=all").await;
        assert_eq!(listed.body["appointments"].as_array().map(Vec::len), Some(1), "every instance sees one booking");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_booking_through_one_instance_hides_the_time_at_the_others_at_once() {
    let Some(apps) = three(|_| {}).await else { return };
    let haircut = apps[0].service("Стрижка", 60).await;
    let ten = apps[0].slot("2026-03-03", "10:00").await;
    let eleven = apps[0].slot("2026-03-03", "11:00").await;
    let offered = format!("/api/available_dates?service_id={haircut}&order=asc");
    for app in &apps[1..] {
        assert_eq!(offered_ids(&app.get(&offered).await), [ten, eleven], "both times, now cached");
    }
    let client = apps[0].client("Олена", "+380671234567", None).await;
    let booked = Instant::now();
    apps[0].book(client, haircut, ten).await;
    for app in &apps[1..] {
        loop {
            if offered_ids(&app.get(&offered).await) == [eleven] {
                break;
            }
            assert!(booked.elapsed() < Duration::from_secs(2), "another instance still offers the booked time");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // And the panel's live view at another instance hears of it too (a refetch follows).
    let events = apps[2].request(Method::GET, "/api/events").send().await.expect("the event stream opens");
    assert_eq!(events.status(), StatusCode::OK);
    let mut stream = events.bytes_stream();
    apps[0].book(client, haircut, eleven).await;
    let heard = tokio::time::timeout(Duration::from_secs(2), async {
        use futures_util::StreamExt as _;
        while let Some(Ok(chunk)) = stream.next().await {
            if String::from_utf8_lossy(&chunk).contains("appointment") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(heard, Ok(true), "a write at one instance reaches the live view at another");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_confirmations_over_three_instances_with_a_flaky_telegram_reach_each_client_once() {
    let Some((tg, apps)) = three_with_telegram().await else { return };
    let haircut = apps[0].service("Стрижка", 30).await;
    let mut bookings = Vec::new();
    for i in 0..30_i64 {
        let chat = 2000 + i;
        tg.user(chat, &format!("Клієнт {i}"), Some("uk"));
        let client = apps[0].client(&format!("Клієнт {i}"), &format!("+38067{i:07}"), Some(chat)).await;
        let slot = apps[0].slot("2026-03-04", &format!("{:02}:{:02}", 8 + i / 2, (i % 2) * 30)).await;
        bookings.push((chat, apps[0].book(client, haircut, slot).await));
    }
    // One in five sends fails; each is retried.
    tg.fail_every("sendMessage", Fault::ServerError, 5);
    let paths: Vec<String> =
        bookings.iter().map(|(_, booking)| format!("/api/appointments/{booking}/confirm")).collect();
    let confirmations = paths.iter().enumerate().map(|(i, path)| apps[i % 3].call(Method::POST, path, Some(json!({}))));
    for reply in join_all(confirmations).await {
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    }
    let confirmed = |tg: &FakeTelegram| -> HashMap<i64, usize> {
        tg.with_state(|s| {
            bookings
                .iter()
                .map(|(chat, _)| (*chat, s.chat(*chat).iter().filter(|m| m.text.contains("підтверджено")).count()))
                .collect()
        })
    };
    let everyone = tg
        .wait_until(
            |s| bookings.iter().all(|(chat, _)| s.chat(*chat).iter().any(|m| m.text.contains("підтверджено"))),
            WAIT,
        )
        .await;
    assert!(everyone, "every client hears of the confirmation: {:?}", confirmed(&tg));
    tokio::time::sleep(Duration::from_secs(2)).await; // room for a duplicate to show up
    assert!(confirmed(&tg).values().all(|n| *n == 1), "each exactly once: {:?}", confirmed(&tg));
    let failed = tg.calls_of("sendMessage").iter().filter(|c| c.faulted).count();
    assert!(failed >= 6, "the fake failed about a fifth of the sends ({failed})");
    let conflicts = tg.calls_of("getUpdates").iter().filter(|c| c.status == 409).count();
    assert_eq!(conflicts, 0, "only one instance polls Telegram at a time");
    let delivering = apps.iter().filter(|app| app.app().leases.holds(lease::DELIVERY)).count();
    assert_eq!(delivering, 1, "one instance delivers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn notices_of_an_instance_that_dies_mid_delivery_are_delivered_by_another_once() {
    let Some((tg, mut apps)) = three_with_telegram().await else { return };
    let haircut = apps[0].service("Стрижка", 30).await;
    let mut bookings = Vec::new();
    for i in 0..10_i64 {
        let chat = 3000 + i;
        tg.user(chat, &format!("Клієнт {i}"), Some("uk"));
        let client = apps[0].client(&format!("Клієнт {i}"), &format!("+38068{i:07}"), Some(chat)).await;
        let slot = apps[0].slot("2026-03-05", &format!("{:02}:00", 8 + i)).await;
        bookings.push((chat, apps[0].book(client, haircut, slot).await));
    }
    // Telegram hangs: the deliverer's sends are on their way when it dies.
    tg.fail_every("sendMessage", Fault::Stall(Duration::from_secs(60)), 1);
    for (i, (_, booking)) in bookings.iter().enumerate() {
        let reply = apps[i % 3].post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    }
    let deliverer = apps.iter().position(|app| app.app().leases.holds(lease::DELIVERY)).expect("one delivers");
    // Stalled calls are recorded only when answered: give the sends a moment to be on their way.
    tokio::time::sleep(Duration::from_secs(1)).await;
    apps[deliverer].kill();
    tg.clear_faults();

    // Its lease lapses; a standby takes the work over and delivers what was never confirmed sent.
    apps[(deliverer + 1) % 3].clock.advance(lease::TTL);
    let everyone = tg
        .wait_until(
            |s| bookings.iter().all(|(chat, _)| s.chat(*chat).iter().any(|m| m.text.contains("підтверджено"))),
            WAIT,
        )
        .await;
    assert!(everyone, "the notices of the dead instance were delivered by another");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let counts: Vec<usize> = tg.with_state(|s| {
        bookings
            .iter()
            .map(|(chat, _)| s.chat(*chat).iter().filter(|m| m.text.contains("підтверджено")).count())
            .collect()
    });
    assert!(counts.iter().all(|n| *n == 1), "each client told once: {counts:?}");
    let taken_over =
        apps.iter().enumerate().filter(|(i, app)| *i != deliverer && app.app().leases.holds(lease::DELIVERY));
    assert_eq!(taken_over.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_instance_stopped_gracefully_hands_its_work_over_at_once() {
    let Some((tg, mut apps)) = three_with_telegram().await else { return };
    let haircut = apps[0].service("Стрижка", 30).await;
    let deliverer = apps.iter().position(|app| app.app().leases.holds(lease::DELIVERY)).expect("one delivers");
    let poller = apps.iter().position(|app| app.app().leases.holds(lease::TELEGRAM_POLLING)).expect("one polls");
    apps[deliverer].stop().await;
    if poller != deliverer {
        apps[poller].stop().await;
    }
    let live = (0..3).find(|i| *i != deliverer && *i != poller).expect("one is left running");
    // No clock moves: the leases were let go, not left to lapse.
    let olena = tg.user(1001, "Олена", Some("uk"));
    let client = apps[live].client("Олена", "+380671234567", Some(1001)).await;
    let booking = apps[live].book(client, haircut, apps[live].slot("2026-03-03", "10:00").await).await;
    apps[live].post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
    let told = tg.wait_until(|s| s.chat(olena.id).iter().any(|m| m.text.contains("підтверджено")), WAIT).await;
    assert!(told, "the remaining instance took the delivery over");
    assert!(apps[live].app().leases.holds(lease::DELIVERY));
    assert!(tg.wait_until(|_| apps[live].app().leases.holds(lease::TELEGRAM_POLLING), WAIT).await, "and the polling");
}
