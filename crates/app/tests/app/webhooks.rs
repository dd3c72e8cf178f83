//! Webhooks: signed events about bookings, delivered through the outbox to a receiver on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{TestApp, spawn_app_with};

/// What the receiver got: each request's event, signature check, and body.
#[derive(Default)]
struct Received {
    deliveries: Vec<(String, bool, Value)>,
    attempts: usize,
}

type Shared = (Arc<Mutex<Received>>, Arc<Mutex<String>>);

struct Receiver {
    url: String,
    seen: Arc<Mutex<Received>>,
}

async fn receiver(secret: Arc<Mutex<String>>, fail_with: Option<StatusCode>) -> Receiver {
    let seen = Arc::new(Mutex::new(Received::default()));
    let state = (seen.clone(), secret);
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(
                move |State((seen, secret)): State<Shared>, headers: HeaderMap, body: Bytes| async move {
                    let mut seen = seen.lock().expect("not poisoned");
                    seen.attempts += 1;
                    if let Some(status) = fail_with {
                        return status;
                    }
                    let secret = secret.lock().expect("not poisoned").clone();
                    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key");
                    mac.update(&body);
                    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
                    let given = headers.get("x-zapys-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    let event =
                        headers.get("x-zapys-event").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    let body: Value = zapys_testkit::serde_json::from_slice(&body).unwrap_or(Value::Null);
                    seen.deliveries.push((event, given == format!("sha256={expected}"), body));
                    StatusCode::OK
                },
            ),
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, seen }
}

async fn app() -> TestApp {
    spawn_app_with(|config| {
        config.notify_limits = Some(zapys_notify::Limits {
            per_chat: Duration::from_millis(10),
            overall: Duration::from_millis(1),
            max_attempts: 3,
            backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(200),
        });
    })
    .await
}

async fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_events_reach_the_receiver_in_order() {
    let app = app().await;
    let secret = Arc::new(Mutex::new(String::new()));
    let hook = receiver(secret.clone(), None).await;
    let created = app.post("/api/webhooks", json!({"url": hook.url})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    *secret.lock().expect("not poisoned") = created.body["secret"].as_str().expect("a secret").to_owned();
    assert!(app.get("/api/webhooks").await.body["webhooks"][0].get("secret").is_none(), "the secret is shown once");

    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    let two = app.slot("2026-03-03", "14:00").await;
    let booking = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;
    app.post(&format!("/api/appointments/{booking}/confirm"), json!({})).await;
    app.put(&format!("/api/appointments/{booking}"), json!({"date_id": two})).await;
    app.post(&format!("/api/appointments/{booking}/cancel"), json!({"reason": "ill"})).await;

    let seen = hook.seen.clone();
    assert!(wait_for(|| seen.lock().expect("not poisoned").deliveries.len() == 4).await, "four events");
    let got = hook.seen.lock().expect("not poisoned");
    let events: Vec<&str> = got.deliveries.iter().map(|(e, _, _)| e.as_str()).collect();
    assert_eq!(events, ["booking.created", "booking.confirmed", "booking.moved", "booking.cancelled"]);
    assert!(got.deliveries.iter().all(|(_, signed, _)| *signed), "every body carries a valid HMAC-SHA256 signature");
    let last = &got.deliveries[3].2;
    assert_eq!(
        (last["appointment"]["id"].as_i64(), last["appointment"]["status"].as_str()),
        (Some(booking), Some("cancelled"))
    );
    assert_eq!(last["appointment"]["cancel_reason"], "ill");
    assert_eq!(last["appointment"]["client_name"], "Олена");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_receiver_is_retried_then_shown_as_failed() {
    let app = app().await;
    let hook = receiver(Arc::new(Mutex::new(String::new())), Some(StatusCode::INTERNAL_SERVER_ERROR)).await;
    let created = app.post("/api/webhooks", json!({"url": hook.url, "events": ["booking.created"]})).await;
    assert_eq!(created.body["events"], json!(["booking.created"]));
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;

    let mut failed = Value::Null;
    for _ in 0..100 {
        failed = app.get("/api/notifications?status=failed").await.body;
        if failed["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(failed["total"], 1, "{failed}");
    let item = &failed["notifications"][0];
    assert_eq!((item["kind"].as_str(), item["event"].as_str()), (Some("webhook"), Some("booking.created")));
    assert!(item["last_error"].as_str().is_some_and(|e| e.contains("500")), "{item}");
    assert_eq!(hook.seen.lock().expect("not poisoned").attempts, 3, "tried three times");
}

#[tokio::test]
async fn webhooks_are_validated() {
    let app = app().await;
    for body in [
        json!({"url": "ftp://example.com"}),
        json!({"url": "https://"}),
        json!({"url": "https://x.test", "events": ["booking.exploded"]}),
    ] {
        assert_eq!(app.post("/api/webhooks", body.clone()).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    assert_eq!(app.delete("/api/webhooks/99").await.status, StatusCode::NOT_FOUND);
}
