use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app};

/// 50 clients, each registered, then all booking at once through the API.
async fn race(app: &TestApp, service: i64, slots: &[i64]) -> (usize, usize) {
    let token = app.api_token("rush").await;
    let mut clients = Vec::new();
    for n in 0..50 {
        clients.push(app.client(&format!("Клієнт {n}"), &format!("+38067{n:07}"), None).await);
    }
    let attempts = clients.iter().enumerate().map(|(n, &client)| {
        let body = json!({"user_id": client, "service_id": service, "date_id": slots[n % slots.len()]});
        let token = token.clone();
        async move { app.call_with_token(&token, Method::POST, "/api/appointments", Some(body)).await }
    });
    let replies = futures_util::future::join_all(attempts).await;
    let won = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let taken = replies.iter().filter(|r| r.status == StatusCode::CONFLICT && r.error().contains("taken")).count();
    (won, taken)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clients_racing_for_one_time_end_with_one_booking() {
    let app = spawn_app().await;
    let service = app.service("Стрижка", 60).await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let (won, taken) = race(&app, service, &[slot]).await;
    assert_eq!((won, taken), (1, 49));
    assert_eq!(app.get("/api/appointments").await.body["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clients_racing_for_overlapping_times_of_a_two_hour_service_end_with_one_booking() {
    let app = spawn_app().await;
    let service = app.service("Фарбування", 120).await;
    let mut slots = Vec::new();
    for time in ["10:00", "10:30", "11:00", "11:30"] {
        slots.push(app.slot("2026-03-03", time).await);
    }
    let (won, taken) = race(&app, service, &slots).await;
    assert_eq!((won, taken), (1, 49), "any two of these starts lie within two hours of each other");
    assert_eq!(app.get("/api/appointments").await.body["total"], 1);
}
