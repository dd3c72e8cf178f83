use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::spawn_app;

#[tokio::test]
async fn the_analytics_report_counts_the_periods_bookings() {
    let app = spawn_app().await;
    let haircut =
        app.post("/api/services", json!({"service_name": "Стрижка", "duration_minutes": 60, "price": 600})).await.body
            ["id"]
            .as_i64()
            .expect("an id");
    let olena = app.client("Олена", "0671234567", None).await;
    let petro = app.client("Петро", "0501234567", None).await;
    let first = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;
    let second = app.book(petro, haircut, app.slot("2026-03-03", "11:00").await).await;
    app.book(petro, haircut, app.slot("2026-03-05", "12:00").await).await;
    app.slot("2026-03-05", "13:00").await;
    app.post(&format!("/api/appointments/{second}/cancel"), json!({"reason": "x"})).await;
    app.advance_hours(27); // Tuesday 11:00: the first visit is over
    app.call(Method::POST, &format!("/api/appointments/{first}/complete"), None).await;

    let report = app.get("/api/analytics?from=2026-03-02&to=2026-03-08").await;
    assert_eq!(report.status, StatusCode::OK, "{report:?}");
    let r = &report.body;
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str(), r["total"].as_u64()),
        (Some("2026-03-02"), Some("2026-03-08"), Some(3))
    );
    assert_eq!(r["per_day"], json!([{"date": "2026-03-03", "bookings": 1}, {"date": "2026-03-05", "bookings": 1}]));
    assert_eq!(r["revenue"], 600.0);
    assert_eq!(r["cancelled_by"], json!([{"name": "admin", "count": 1, "share": 0.333}]));
    assert_eq!(
        (r["booked_hours"].as_f64(), r["offered_hours"].as_f64(), r["utilisation"].as_f64()),
        (Some(2.0), Some(4.0), Some(0.5))
    );
    assert_eq!((r["new_clients"].as_u64(), r["returning_clients"].as_u64()), (Some(2), Some(0)));
    assert_eq!(
        r["heat"],
        json!([{"weekday": 2, "hour": 10, "bookings": 1}, {"weekday": 4, "hour": 12, "bookings": 1}])
    );

    let default_period = app.get("/api/analytics").await;
    assert_eq!(default_period.status, StatusCode::OK);
    assert_eq!(default_period.body["to"], "2026-03-03", "today by default (the clock moved a day)");
    assert_eq!(app.get("/api/analytics?from=2026-13-01").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/analytics?from=2024-01-01&to=2026-03-01").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.anonymous(Method::GET, "/api/analytics", None).await.status, StatusCode::UNAUTHORIZED);
}
