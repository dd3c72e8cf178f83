use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::{TestApp, spawn_app};

struct Salon {
    app: TestApp,
    haircut: i64,
    olena: i64,
}

async fn salon() -> Salon {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена Коваль", "0671234567", Some(555001)).await;
    Salon { app, haircut, olena }
}

#[tokio::test]
async fn an_appointment_carries_every_original_field() {
    let Salon { app, haircut, olena } = salon().await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let created = app
        .post(
            "/api/appointments",
            json!({"user_id": olena, "service_id": haircut, "date_id": slot, "notes": "перший візит"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    let a = &created.body["appointment"];
    assert_eq!(created.body["id"], a["id"]);
    assert_eq!(a["user_id"], olena);
    assert_eq!(a["service_id"], haircut);
    assert_eq!(a["date_id"], slot);
    assert_eq!(a["title"], "Олена Коваль");
    assert_eq!(a["phone"], "+380671234567");
    assert_eq!(a["service"], "Стрижка");
    assert_eq!(a["start"], "2026-03-03T10:00:00");
    assert_eq!(a["end"], "2026-03-03T11:00:00");
    assert_eq!(a["status"], 0);
    assert_eq!(a["status_name"], "pending");
    assert_eq!(a["telegram_id"], 555001);
    assert_eq!(a["notes"], "перший візит");
    assert_eq!(a["source"], "admin");

    let list = app.get("/api/appointments").await;
    assert_eq!(list.body["appointments"][0]["id"], a["id"]);
    let by_telegram = app.get("/api/appointments?user_id=555001").await;
    assert_eq!(by_telegram.body["total"], 1, "user_id in the query is the Telegram id, as in the original");
    assert_eq!(app.get("/api/appointments?user_id=1").await.body["total"], 0);
}

#[tokio::test]
async fn the_lifecycle_confirm_complete_and_history() {
    let Salon { app, haircut, olena } = salon().await;
    let id = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;

    let confirmed = app.call(Method::POST, &format!("/api/appointments/{id}"), None).await;
    assert_eq!(confirmed.status, StatusCode::OK, "POST /api/appointments/{{id}} confirms, as in the original");
    assert_eq!(confirmed.body["appointment"]["status"], 1);
    let again = app.call(Method::POST, &format!("/api/appointments/{id}/confirm"), None).await;
    assert_eq!(
        (again.status, again.body["message"].as_str()),
        (StatusCode::OK, Some("Appointment was already confirmed"))
    );

    let too_early = app.call(Method::POST, &format!("/api/appointments/{id}/complete"), None).await;
    assert_eq!(too_early.status, StatusCode::CONFLICT);
    app.advance_hours(27); // Tuesday 11:00
    let done = app.call(Method::POST, &format!("/api/appointments/{id}/complete"), None).await;
    assert_eq!(done.body["appointment"]["status_name"], "completed");
    let cancel_done = app.call(Method::POST, &format!("/api/appointments/{id}/cancel"), None).await;
    assert_eq!(cancel_done.status, StatusCode::CONFLICT, "a completed visit cannot be cancelled");

    let history = app.get(&format!("/api/appointments/{id}/history")).await;
    let kinds: Vec<&str> = history.body.as_array().expect("a list").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["booked", "confirmed", "completed"]);
}

#[tokio::test]
async fn cancelling_keeps_the_history_and_frees_the_time() {
    let Salon { app, haircut, olena } = salon().await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let id = app.book(olena, haircut, slot).await;
    let cancelled = app.post(&format!("/api/appointments/{id}/cancel"), json!({"reason": "Майстер захворів"})).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    let a = &cancelled.body["appointment"];
    assert_eq!(
        (a["status"].as_i64(), a["cancel_reason"].as_str(), a["cancelled_by"].as_str()),
        (Some(3), Some("Майстер захворів"), Some("admin"))
    );

    let petro = app.client("Петро", "0501234567", None).await;
    app.book(petro, haircut, slot).await;
    assert_eq!(app.get("/api/appointments").await.body["total"], 2);
    assert_eq!(app.get("/api/appointments?status=cancelled").await.body["total"], 1);
    assert_eq!(app.get("/api/appointments?status=0").await.body["total"], 1);
    assert_eq!(app.get("/api/appointments?status=lost").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_taken_or_overlapping_time_is_a_conflict() {
    let Salon { app, haircut, olena } = salon().await;
    let colouring = app.service("Фарбування", 120).await;
    let petro = app.client("Петро", "0501234567", None).await;
    let ten = app.slot("2026-03-03", "10:00").await;
    let eleven = app.slot("2026-03-03", "11:00").await;
    app.book(olena, colouring, ten).await;
    for slot in [ten, eleven] {
        let reply =
            app.post("/api/appointments", json!({"user_id": petro, "service_id": haircut, "date_id": slot})).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert!(reply.error().contains("taken"), "{}", reply.error());
    }
}

#[tokio::test]
async fn moving_a_booking_frees_the_old_time_and_rechecks_the_new_one() {
    let Salon { app, haircut, olena } = salon().await;
    let petro = app.client("Петро", "0501234567", None).await;
    let ten = app.slot("2026-03-03", "10:00").await;
    let two = app.slot("2026-03-03", "14:00").await;
    let four = app.slot("2026-03-03", "16:00").await;
    let id = app.book(olena, haircut, ten).await;
    app.book(petro, haircut, four).await;

    let moved = app
        .put(&format!("/api/appointments/{id}"), json!({"user_id": olena, "service_id": haircut, "date_id": two}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    assert_eq!(moved.body["appointment"]["start"], "2026-03-03T14:00:00");
    assert_eq!(
        app.get(&format!("/api/available_dates/{ten}")).await.body["is_appointments"],
        0,
        "the old time is free"
    );

    let onto_taken = app.put(&format!("/api/appointments/{id}"), json!({"start": "2026-03-03T15:30"})).await;
    assert_eq!(onto_taken.status, StatusCode::CONFLICT, "15:30–16:30 overlaps 16:00");
    assert_eq!(app.get(&format!("/api/appointments/{id}")).await.body["start"], "2026-03-03T14:00:00", "unchanged");

    let dragged = app.put(&format!("/api/appointments/{id}"), json!({"start": "2026-03-04T12:15"})).await;
    assert_eq!(dragged.status, StatusCode::OK, "an admin may drag to any free time");
    assert_eq!(dragged.body["appointment"]["end"], "2026-03-04T13:15:00");

    let token = app.api_token("crm").await;
    let by_token = app
        .call_with_token(
            &token,
            Method::PUT,
            &format!("/api/appointments/{id}"),
            Some(json!({"start": "2026-03-05T12:00"})),
        )
        .await;
    assert_eq!(by_token.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn integrations_book_under_the_client_rules() {
    let Salon { app, haircut, olena } = salon().await;
    let token = app.api_token("website").await;
    let book = |slot: i64| {
        let (app, token) = (&app, &token);
        async move {
            app.call_with_token(
                token,
                Method::POST,
                "/api/appointments",
                Some(json!({"user_id": olena, "service_id": haircut, "date_id": slot})),
            )
            .await
        }
    };
    let soon = app.slot("2026-03-02", "08:30").await;
    let too_soon = book(soon).await;
    assert_eq!(too_soon.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_soon.error().contains("notice"), "{}", too_soon.error());

    for day in ["03", "04", "05"] {
        let made = book(app.slot(&format!("2026-03-{day}"), "10:00").await).await;
        assert_eq!(made.status, StatusCode::CREATED);
        assert_eq!(made.body["appointment"]["source"], "api");
    }
    let fourth = book(app.slot("2026-03-06", "10:00").await).await;
    assert_eq!(fourth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fourth.error().contains("3 active bookings"), "{}", fourth.error());
    assert!(app.book(olena, haircut, soon).await > 0, "the business itself may still book her");
}

#[tokio::test]
async fn unknown_ids_in_a_body_are_unprocessable_and_in_a_path_not_found() {
    let Salon { app, haircut, olena } = salon().await;
    let slot = app.slot("2026-03-03", "10:00").await;
    for body in [
        json!({"user_id": 999, "service_id": haircut, "date_id": slot}),
        json!({"user_id": olena, "service_id": 999, "date_id": slot}),
        json!({"user_id": olena, "service_id": haircut, "date_id": 999}),
    ] {
        let reply = app.post("/api/appointments", body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(reply.error().contains("does not exist"), "{}", reply.error());
    }
    for path in ["/api/appointments/999", "/api/appointments/abc", "/api/appointments/999/history"] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.call(Method::POST, "/api/appointments/999/confirm", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete("/api/appointments/999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn appointments_are_filtered_and_paged() {
    let Salon { app, haircut, olena } = salon().await;
    let nails = app.service("Манікюр", 60).await;
    let petro = app.client("Петро Шевченко", "0501234567", None).await;
    for (day, client, service) in
        [("03", olena, haircut), ("04", petro, nails), ("05", olena, nails), ("06", petro, haircut)]
    {
        app.book(client, service, app.slot(&format!("2026-03-{day}"), "10:00").await).await;
    }
    let total = |path: &str| {
        let app = &app;
        let path = path.to_owned();
        async move { app.get(&path).await.body["total"].as_u64() }
    };
    assert_eq!(total("/api/appointments?from=2026-03-04&to=2026-03-05").await, Some(2), "both ends inclusive");
    assert_eq!(total(&format!("/api/appointments?service_id={nails}")).await, Some(2));
    assert_eq!(total("/api/appointments?q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE").await, Some(2), "by client name");
    assert_eq!(total("/api/appointments?q=0501234567").await, Some(2), "by client phone");
    let page = app.get("/api/appointments?limit=2&offset=1").await;
    let starts: Vec<&str> =
        page.body["appointments"].as_array().expect("list").iter().filter_map(|a| a["start"].as_str()).collect();
    assert_eq!(starts, ["2026-03-05T10:00:00", "2026-03-04T10:00:00"], "newest first");
    for bad in
        ["limit=0", "limit=abc", "offset=-1", "from=2026-13-01", "from=2026-03-05&to=2026-03-01", "order=sideways"]
    {
        assert_eq!(
            app.get(&format!("/api/appointments?{bad}")).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_business_adjusts_one_visits_price_at_checkout() {
    let app = zapys_testkit::spawn_app().await;
    let colour =
        app.post("/api/services", json!({"service_name": "Фарбування", "duration_minutes": 60, "price": 600})).await;
    let colour = colour.body["id"].as_i64().expect("created");
    let olena = app.client("Олена", "0671234567", None).await;
    let visit = app.book(olena, colour, app.slot("2026-03-03", "10:00").await).await;

    let discounted = app.put(&format!("/api/appointments/{visit}"), json!({"price": 500.5})).await;
    assert_eq!(discounted.status.as_u16(), 200, "{}", discounted.body);
    assert_eq!(discounted.body["appointment"]["price"], 500.5);
    assert_eq!(app.get(&format!("/api/services/{colour}")).await.body["price"], 600.0, "the service keeps its price");
    let history = app.get(&format!("/api/appointments/{visit}/history")).await.body;
    assert!(history.to_string().contains("from 600.00 to 500.50"), "{history}");

    for bad in [json!(-1), json!(1e12), json!("дешевше")] {
        let refused = app.put(&format!("/api/appointments/{visit}"), json!({"price": bad})).await;
        assert!(matches!(refused.status.as_u16(), 400 | 422), "{bad}: {} {}", refused.status, refused.body);
    }
    let token = app.api_token_with_scope("crm", "book").await;
    let by_integration = app
        .call_with_token(&token, Method::PUT, &format!("/api/appointments/{visit}"), Some(json!({"price": 1})))
        .await;
    assert_eq!((by_integration.status.as_u16(), by_integration.body["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(app.get(&format!("/api/appointments/{visit}")).await.body["price"], 500.5, "unchanged");

    // A move with a price: both or neither.
    let taken = app.slot("2026-03-03", "12:00").await;
    let taras = app.client("Тарас", "0671234568", None).await;
    app.book(taras, colour, taken).await;
    let refused = app.put(&format!("/api/appointments/{visit}"), json!({"date_id": taken, "price": 450})).await;
    assert_eq!(refused.status.as_u16(), 409, "{}", refused.body);
    assert_eq!(app.get(&format!("/api/appointments/{visit}")).await.body["price"], 500.5, "no price without the move");
    let later = app.slot("2026-03-03", "14:00").await;
    let moved = app.put(&format!("/api/appointments/{visit}"), json!({"date_id": later, "price": 450})).await;
    assert_eq!(moved.status.as_u16(), 200, "{}", moved.body);
    let moved = &moved.body["appointment"];
    assert_eq!((moved["start"].as_str(), moved["price"].as_f64()), (Some("2026-03-03T14:00:00"), Some(450.0)));
}
