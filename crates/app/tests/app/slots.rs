use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::spawn_app;

fn times(reply: &Value) -> Vec<String> {
    reply["available_dates"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| {
            format!("{} {}", s["available_date"].as_str().unwrap_or("?"), s["available_time"].as_str().unwrap_or("?"))
        })
        .collect()
}

#[tokio::test]
async fn slots_speak_the_original_field_names_newest_first() {
    let app = spawn_app().await;
    let created =
        app.post("/api/available_dates", json!({"available_date": "2026-03-03", "available_time": "10:00"})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let item = &created.body["available_date"];
    assert_eq!((item["available_date"].as_str(), item["available_time"].as_str()), (Some("2026-03-03"), Some("10:00")));
    assert_eq!(item["is_appointments"], 0);
    assert_eq!(item["start"], "2026-03-03T10:00:00");
    app.slot("2026-03-04", "09:30").await;

    let list = app.get("/api/available_dates").await;
    assert_eq!(times(&list.body), ["2026-03-04 09:30", "2026-03-03 10:00"]);
    assert_eq!(list.body["total"], 2);
    let ascending = app.get("/api/available_dates?order=asc&limit=1").await;
    assert_eq!(times(&ascending.body), ["2026-03-03 10:00"]);
    assert_eq!(ascending.body["total"], 2);
}

#[tokio::test]
async fn with_a_service_only_bookable_times_are_listed_with_their_end() {
    let app = spawn_app().await;
    let colouring = app.service("Фарбування", 120).await;
    let trim = app.service("Стрижка", 30).await;
    let client = app.client("Олена", "0671234567", None).await;
    let mut ids = Vec::new();
    for time in ["09:00", "10:00", "11:00", "12:00", "13:00"] {
        ids.push(app.slot("2026-03-03", time).await);
    }
    app.slot("2026-03-02", "08:30").await; // "now" is 08:00 that day: too soon for clients
    app.book(client, trim, ids[2]).await; // 11:00–11:30

    let for_trim = app.get(&format!("/api/available_dates?service_id={trim}&order=asc")).await;
    assert_eq!(for_trim.status, StatusCode::OK);
    assert_eq!(
        times(&for_trim.body),
        ["2026-03-02 08:30", "2026-03-03 09:00", "2026-03-03 10:00", "2026-03-03 12:00", "2026-03-03 13:00"]
    );
    assert_eq!(for_trim.body["available_dates"][1]["end_datetime"], "09:30");

    let for_colouring = app.get(&format!("/api/available_dates?service_id={colouring}&order=asc")).await;
    assert_eq!(
        times(&for_colouring.body),
        ["2026-03-02 08:30", "2026-03-03 09:00", "2026-03-03 12:00", "2026-03-03 13:00"],
        "at 10:00 a 2-hour service would run into 11:00; at 9:00 it ends as that begins"
    );
    assert_eq!(for_colouring.body["available_dates"][2]["end"], "2026-03-03T14:00:00");

    let token = app.api_token("bot").await;
    let for_client = app
        .call_with_token(
            &token,
            zapys_testkit::reqwest::Method::GET,
            &format!("/api/available_dates?service_id={trim}&order=asc"),
            None,
        )
        .await;
    assert_eq!(times(&for_client.body)[0], "2026-03-03 09:00", "clients need the minimum notice (60 minutes)");

    let unknown = app.get("/api/available_dates?service_id=999").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn impossible_dates_and_times_are_refused() {
    let app = spawn_app().await;
    let cases = [
        ("2024-13-45", "10:00", "not a valid date"),
        ("2026-02-30", "10:00", "not a valid date"),
        ("03/03/2026", "10:00", "not a valid date"),
        ("2026-03-03", "25:99", "not a valid time"),
        ("2026-03-03", "9:00", "not a valid time"),
        ("2026-03-01", "10:00", "passed"),
        ("2026-03-29", "03:30", "does not exist"), // Kyiv's clocks jump from 03:00 to 04:00
    ];
    for (date, time, mentions) in cases {
        let reply = app.post("/api/available_dates", json!({"available_date": date, "available_time": time})).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{date} {time}: {reply:?}");
        assert!(reply.error().contains(mentions), "{date} {time}: {}", reply.error());
    }
    let missing = app.post("/api/available_dates", json!({"available_date": "2026-03-03"})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let query = app.get("/api/available_dates?from=2026-99-01").await;
    assert_eq!(query.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_same_time_twice_is_a_conflict() {
    let app = spawn_app().await;
    app.slot("2026-03-03", "10:00").await;
    let again =
        app.post("/api/available_dates", json!({"available_date": "2026-03-03", "available_time": "10:00"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn slots_are_generated_from_working_hours_across_a_dst_change() {
    let app = spawn_app().await;
    app.slot("2026-03-30", "10:00").await;
    // Friday 27 March to Monday 30 March 2026; Kyiv moves to summer time on Sunday the 29th.
    let body = json!({"date_from": "2026-03-27", "date_to": "2026-03-30", "weekdays": [1, 5, 7],
                      "time_from": "09:00", "time_to": "12:00", "step_minutes": 60});
    let reply = app.post("/api/available_dates/generate", body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    assert_eq!((reply.body["created"].as_u64(), reply.body["skipped"].as_u64()), (Some(8), Some(1)));

    let list = app.get("/api/available_dates?from=2026-03-29&to=2026-03-29&order=asc").await;
    assert_eq!(
        times(&list.body),
        ["2026-03-29 09:00", "2026-03-29 10:00", "2026-03-29 11:00"],
        "wall-clock times survive the change"
    );

    let invalid = app
        .post(
            "/api/available_dates/generate",
            json!({"date_from": "2026-03-27", "date_to": "2026-03-20", "weekdays": [1],
        "time_from": "09:00", "time_to": "12:00", "step_minutes": 60}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_reserved_slot_is_deleted_only_when_forced_which_cancels_the_booking() {
    let app = spawn_app().await;
    let service = app.service("Стрижка", 60).await;
    let client = app.client("Олена", "0671234567", None).await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let booking = app.book(client, service, slot).await;
    assert_eq!(app.get(&format!("/api/available_dates/{slot}")).await.body["is_appointments"], 1);

    let refused = app.delete(&format!("/api/available_dates/{slot}")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let moved = app
        .put(
            &format!("/api/available_dates/{slot}"),
            json!({"available_date": "2026-03-04", "available_time": "10:00"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::CONFLICT, "a reserved time cannot be moved from under its booking");

    let forced = app.delete(&format!("/api/available_dates/{slot}?force=true")).await;
    assert_eq!(forced.status, StatusCode::OK);
    assert!(forced.body["message"].as_str().unwrap_or_default().contains("1 booking"));
    let after = app.get(&format!("/api/appointments/{booking}")).await;
    assert_eq!((after.body["status"].as_i64(), after.body["date_id"].is_null()), (Some(3), true));
}

#[tokio::test]
async fn a_free_slot_can_be_moved() {
    let app = spawn_app().await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let moved = app
        .put(
            &format!("/api/available_dates/{slot}"),
            json!({"available_date": "2026-03-05", "available_time": "15:30"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK);
    assert_eq!(moved.body["available_date"]["start"], "2026-03-05T15:30:00");
}
