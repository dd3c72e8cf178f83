//! The booking horizon and dates from the edges of the calendar: nothing far
//! ahead is offered or accepted, and no date from outside makes the server fail.

use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::spawn_app;

#[tokio::test]
async fn times_beyond_the_horizon_are_refused_with_a_clear_code() {
    let app = spawn_app().await; // "now" is 2026-03-02; the default horizon is 365 days
    let far =
        app.post("/api/available_dates", json!({"available_date": "9999-12-30", "available_time": "10:00"})).await;
    assert_eq!((far.status, far.body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("outside_horizon")));
    assert!(far.error().contains("settings"), "says where to widen it: {}", far.error());
    let next_year =
        app.post("/api/available_dates", json!({"available_date": "2027-03-03", "available_time": "10:00"})).await;
    assert_eq!(next_year.body["code"], "outside_horizon");
    let generate = app
        .post(
            "/api/available_dates/generate",
            json!({"date_from": "9999-12-01", "date_to": "9999-12-31", "weekdays": [1, 2, 3, 4, 5, 6, 7],
                   "time_from": "10:00", "time_to": "19:00", "step_minutes": 60}),
        )
        .await;
    assert_eq!(
        (generate.status, generate.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("outside_horizon"))
    );

    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена Коваль", "0671234567", None).await;
    let id = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;
    let moved = app.put(&format!("/api/appointments/{id}"), json!({"start": "9999-12-30T10:00"})).await;
    assert_eq!(
        (moved.status, moved.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("outside_horizon"))
    );
}

#[tokio::test]
async fn the_admin_may_widen_the_horizon_and_every_time_within_it_is_listed() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let mut settings = app.get("/api/settings").await.body;
    assert_eq!(settings["booking_horizon_days"], 365, "a year by default");
    settings["booking_horizon_days"] = json!(730);
    let saved = app.put("/api/settings", settings.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{saved:?}");
    let soon = app.slot("2026-03-10", "10:00").await;
    let in_twenty_months = app.slot("2027-11-02", "10:00").await;

    let offered = app.get(&format!("/api/available_dates?service_id={haircut}&order=asc")).await;
    let ids: Vec<i64> =
        offered.body["available_dates"].as_array().expect("a list").iter().filter_map(|s| s["id"].as_i64()).collect();
    assert_eq!(ids, [soon, in_twenty_months], "a time more than a year ahead is listed while the horizon covers it");

    settings["booking_horizon_days"] = json!(3651);
    let too_wide = app.put("/api/settings", settings).await;
    assert_eq!(
        (too_wide.status, too_wide.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_value"))
    );
}

#[tokio::test]
async fn dates_from_any_year_never_make_the_server_fail() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let mut dates = vec!["0001-01-01".to_owned(), "9999-12-30".to_owned(), "9999-12-31".to_owned()];
    let mut seed = 0x853c_49e6_748f_ea9b_u64;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    for _ in 0..40 {
        dates.push(format!("{:04}-{:02}-{:02}", 1 + next(9999), 1 + next(12), 1 + next(31)));
    }
    for date in &dates {
        let paths = [
            format!("/api/available_dates?service_id={haircut}&from={date}"),
            format!("/api/available_dates?service_id={haircut}&to={date}"),
            format!("/api/available_dates?from={date}&to={date}"),
            format!("/api/appointments?from={date}&to={date}"),
            format!("/api/appointments.csv?from={date}"),
            format!("/api/analytics?from={date}&to={date}"),
            format!("/api/analytics?to={date}"),
        ];
        for path in paths {
            let reply = app.call(Method::GET, &path, None).await;
            assert!(reply.status.is_success() || reply.status.is_client_error(), "GET {path}: {reply:?}");
        }
        let slot = app.post("/api/available_dates", json!({"available_date": date, "available_time": "10:00"})).await;
        assert!(slot.status.is_client_error(), "POST a slot on {date}: {slot:?}");
        let start = app
            .post(
                "/api/simulator/send",
                json!({"chat_id": (1_i64 << 52) + 77, "callback_data": format!("d{haircut}:{}", date.replace('-', ""))}),
            )
            .await;
        assert!(start.status.is_success(), "a day button for {date}: {start:?}");
    }
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}
