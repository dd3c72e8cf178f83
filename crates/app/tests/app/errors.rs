use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::spawn_app;

#[tokio::test]
async fn malformed_bodies_get_clear_json_errors() {
    let app = spawn_app().await;
    let broken = app
        .request(Method::POST, "/api/services")
        .header("content-type", "application/json")
        .body("{\"service_name\": ")
        .send()
        .await
        .expect("answers");
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    let body: zapys_testkit::serde_json::Value = broken.json().await.expect("a JSON error");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("not valid JSON")), "{body}");

    let not_json = app.request(Method::POST, "/api/services").body("service_name=x").send().await.expect("answers");
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let wrong_shape = app.post("/api/services", json!([1, 2, 3])).await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = spawn_app().await;
    let huge = "я".repeat(100_000);
    let reply = app.post("/api/services", json!({"service_name": huge, "duration_minutes": 30})).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!reply.error().is_empty());
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s_not_the_panel() {
    let app = spawn_app().await;
    let reply = app.get("/api/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.error().contains("no such API route"));
    let asset = app.anonymous(Method::GET, "/assets/missing-file.js", None).await;
    assert_eq!(asset.status, StatusCode::NOT_FOUND, "a missing asset is not answered with index.html");
    let page = app.anonymous(Method::GET, "/clients", None).await;
    assert_eq!(page.status, StatusCode::OK, "other paths are pages of the panel");
    assert_eq!(page.headers["cache-control"], "no-cache");
}

#[tokio::test]
async fn settings_round_trip_and_refuse_nonsense() {
    let app = spawn_app().await;
    let current = app.get("/api/settings").await;
    assert_eq!(
        (current.body["timezone"].as_str(), current.body["max_active_bookings"].as_u64()),
        (Some("Europe/Kyiv"), Some(3))
    );
    assert_eq!(current.body["telegram"]["configured"], false);
    let mut body = current.body.clone();
    body.as_object_mut().expect("an object").remove("telegram");
    body["business_name"] = json!("Салон «Весна»");
    body["reminder_offsets_minutes"] = json!([120, 1440]);
    let saved = app.put("/api/settings", body.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{saved:?}");
    assert_eq!(saved.body["settings"]["reminder_offsets_minutes"], json!([1440, 120]));
    assert_eq!(app.get("/api/settings").await.body["business_name"], "Салон «Весна»");

    // The optional policies: set, kept when left out, and switched off with an explicit null.
    body["auto_cancel_pending_minutes"] = json!(180);
    body["thank_you"] = json!(true);
    assert_eq!(app.put("/api/settings", body.clone()).await.body["settings"]["auto_cancel_pending_minutes"], 180);
    let mut without = body.clone();
    without.as_object_mut().expect("an object").remove("auto_cancel_pending_minutes");
    let kept = app.put("/api/settings", without).await;
    assert_eq!(kept.body["settings"]["auto_cancel_pending_minutes"], 180, "left out: kept");
    body["auto_cancel_pending_minutes"] = json!(null);
    let off = app.put("/api/settings", body.clone()).await;
    assert!(off.body["settings"]["auto_cancel_pending_minutes"].is_null(), "null switches it off: {off:?}");
    assert_eq!(off.body["settings"]["thank_you"], true);

    for (field, value) in [
        ("timezone", json!("Mars/Olympus")),
        ("max_active_bookings", json!(0)),
        ("min_notice_minutes", json!(-5)),
        ("business_name", json!("")),
    ] {
        let mut bad = body.clone();
        bad[field] = value;
        assert_eq!(app.put("/api/settings", bad).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
    }
}
