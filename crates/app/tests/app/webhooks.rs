//! Webhooks: signed events about bookings, delivered through the outbox to a receiver on 127.0.0.1
//! (which the app reaches only because these tests allow private receivers explicitly), and the
//! rules that keep webhooks from reaching into the business's own network.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use zapys_domain::Clock as _;
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

/// An app that allows receivers on 127.0.0.1 (`ZAPYS_WEBHOOK_ALLOW_PRIVATE=1`), as the receivers here are.
async fn app() -> TestApp {
    app_allowing_private(true).await
}

async fn app_allowing_private(allow: bool) -> TestApp {
    spawn_app_with(|config| {
        config.webhook_allow_private = allow;
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
    let created =
        app.post("/api/webhooks", json!({"url": hook.url, "personal_fields": ["client_name", "client_phone"]})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body["personal_fields"], json!(["client_name", "client_phone"]));
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
    assert_eq!(last["appointment"]["client_name"], "Олена", "opted into the name");
    assert_eq!(last["appointment"]["client_phone"], "+380671234567", "and the phone");
}

/// Fills `seen` as the receiver is asked; waits for `n` deliveries.
async fn deliveries(hook: &Receiver, n: usize) -> Vec<Value> {
    let seen = hook.seen.clone();
    assert!(wait_for(|| seen.lock().expect("not poisoned").deliveries.len() >= n).await, "{n} deliveries");
    hook.seen.lock().expect("not poisoned").deliveries.iter().map(|(_, _, body)| body.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payloads_carry_ids_and_only_the_personal_fields_the_receiver_opted_into() {
    let app = app().await;
    let plain = receiver(Arc::new(Mutex::new(String::new())), None).await;
    let named = receiver(Arc::new(Mutex::new(String::new())), None).await;
    let created = app.post("/api/webhooks", json!({"url": plain.url, "events": ["booking.created"]})).await;
    assert_eq!(created.body["personal_fields"], json!([]), "none unless asked for");
    let body = json!({"url": named.url, "events": ["booking.created"], "personal_fields": ["client_name"]});
    assert_eq!(app.post("/api/webhooks", body).await.status, StatusCode::CREATED);
    let listed = app.get("/api/webhooks").await;
    assert_eq!(listed.body["webhooks"][1]["personal_fields"], json!(["client_name"]));

    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    let booking = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;

    let ids_only = &deliveries(&plain, 1).await[0]["appointment"];
    assert_eq!((ids_only["id"].as_i64(), ids_only["client_id"].as_i64()), (Some(booking), Some(olena)));
    assert!(ids_only.get("client_name").is_none() && ids_only.get("client_phone").is_none(), "{ids_only}");
    let with_name = &deliveries(&named, 1).await[0]["appointment"];
    assert_eq!(with_name["client_name"], "Олена");
    assert!(with_name.get("client_phone").is_none(), "only what was asked for: {with_name}");

    let unknown = app.post("/api/webhooks", json!({"url": named.url, "personal_fields": ["passport"]})).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.error().contains("client_name, client_phone"), "{unknown:?}");
}

#[tokio::test]
async fn receivers_must_be_https_on_a_public_address() {
    let app = app_allowing_private(false).await;
    let plain_http = app.post("/api/webhooks", json!({"url": "http://hooks.example.com/zapys"})).await;
    assert_eq!(plain_http.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(plain_http.error().contains("https://"), "{plain_http:?}");
    for inside in [
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://[::1]/hook",
        "https://10.0.0.1/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/hook",
    ] {
        let refused = app.post("/api/webhooks", json!({"url": inside})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{inside}: {refused:?}");
        assert!(
            refused.error().contains("private") && refused.error().contains("ZAPYS_WEBHOOK_ALLOW_PRIVATE"),
            "{inside}: {refused:?}"
        );
    }
    assert_eq!(app.get("/api/webhooks").await.body["webhooks"], json!([]), "none was kept");
}

/// The one failed delivery in the notifications log.
async fn failed_delivery(app: &TestApp) -> Value {
    let mut failed = Value::Null;
    for _ in 0..100 {
        failed = app.get("/api/notifications?status=failed").await.body;
        if failed["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(failed["total"], 1, "{failed}");
    failed["notifications"][0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_receiver_already_stored_is_refused_at_delivery() {
    let app = app_allowing_private(false).await;
    let hook = receiver(Arc::new(Mutex::new(String::new())), None).await;
    // As a database from before these rules (or DNS that now answers 127.0.0.1) would hold it.
    let loopback = hook.url.replace("http://127.0.0.1", "https://localhost");
    let events = vec!["booking.created".to_owned()];
    app.store.create_webhook(&loopback, "s", &events, &[], app.clock.now()).await.expect("stored");

    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;

    let item = failed_delivery(&app).await;
    assert!(item["last_error"].as_str().is_some_and(|e| e.contains("refused") && e.contains("127.0.0.1")), "{item}");
    assert_eq!(hook.seen.lock().expect("not poisoned").attempts, 0, "no request reached the receiver");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_not_followed_and_only_the_status_is_logged() {
    let app = app().await;
    let elsewhere = Arc::new(Mutex::new(0usize));
    let hits = elsewhere.clone();
    let routes = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(|| async {
                (StatusCode::FOUND, [("location", "/internal")], "the receiver's own words")
            }),
        )
        .route(
            "/internal",
            axum::routing::any(move || async move {
                *hits.lock().expect("not poisoned") += 1;
                "secret internal answer"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, routes).await });
    assert_eq!(app.post("/api/webhooks", json!({"url": url})).await.status, StatusCode::CREATED);

    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;

    let item = failed_delivery(&app).await;
    let error = item["last_error"].as_str().unwrap_or_default();
    assert!(error.contains("302"), "the status is logged: {item}");
    assert!(!error.contains("words") && !error.contains("secret"), "never the body: {item}");
    assert_eq!(*elsewhere.lock().expect("not poisoned"), 0, "the redirect was not followed");
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
        // Even with private receivers allowed, plain HTTP goes only to them, never across the internet.
        json!({"url": "http://93.184.216.34/hook"}),
    ] {
        assert_eq!(app.post("/api/webhooks", body.clone()).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    assert_eq!(app.delete("/api/webhooks/99").await.status, StatusCode::NOT_FOUND);
}
