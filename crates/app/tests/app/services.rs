use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::json;
use zapys_testkit::spawn_app;

#[tokio::test]
async fn services_speak_the_original_field_names() {
    let app = spawn_app().await;
    let created = app.post("/api/services", json!({"service_name": "Стрижка", "duration_hours": 1.5})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["message"], "Service added");
    let id = created.body["id"].as_i64().expect("an id");
    let service = &created.body["service"];
    assert_eq!((service["service_name"].as_str(), service["duration_hours"].as_f64()), (Some("Стрижка"), Some(1.5)));
    assert_eq!(service["duration_minutes"], 90);

    app.service("Манікюр", 60).await;
    let list = app.get("/api/services").await;
    assert_eq!(list.status, StatusCode::OK);
    let names: Vec<&str> =
        list.body["services"].as_array().expect("a list").iter().filter_map(|s| s["service_name"].as_str()).collect();
    assert_eq!(names, ["Манікюр", "Стрижка"], "newest first");

    let updated = app
        .put(
            &format!("/api/services/{id}"),
            json!({"service_name": "Стрижка жіноча", "duration_hours": 2, "price": 650}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{updated:?}");
    assert_eq!(updated.body["service"]["duration_minutes"], 120);
    assert_eq!(updated.body["service"]["price"], 650.0);
    let hidden =
        app.put(&format!("/api/services/{id}"), json!({"service_name": "Стрижка жіноча", "hidden": true})).await;
    assert_eq!(hidden.body["service"]["price"], 650.0, "left-out fields keep their values");
    assert_eq!(hidden.body["service"]["hidden"], true);

    let deleted = app.delete(&format!("/api/services/{id}")).await;
    assert_eq!((deleted.status, deleted.body["message"].as_str()), (StatusCode::OK, Some("Service deleted")));
    assert_eq!(app.get(&format!("/api/services/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/services/{id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_service_values_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let cases = [
        (json!({"service_name": "X", "duration_hours": -1}), StatusCode::UNPROCESSABLE_ENTITY, "duration_hours"),
        (json!({"service_name": "X", "duration_minutes": 0}), StatusCode::UNPROCESSABLE_ENTITY, "duration"),
        (json!({"service_name": "X", "duration_hours": 0}), StatusCode::UNPROCESSABLE_ENTITY, "duration_hours"),
        (json!({"service_name": "   ", "duration_minutes": 30}), StatusCode::UNPROCESSABLE_ENTITY, "service_name"),
        (json!({"service_name": "X", "duration_minutes": "thirty"}), StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        (json!({"service_name": 5, "duration_minutes": 30}), StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        (json!({"service_name": "X", "duration_minutes": 30, "price": -5}), StatusCode::UNPROCESSABLE_ENTITY, "price"),
        (json!({"service_name": "X"}), StatusCode::BAD_REQUEST, "duration"),
        (json!({"duration_hours": 1}), StatusCode::BAD_REQUEST, "service_name"),
    ];
    for (body, status, mentions) in cases {
        let reply = app.post("/api/services", body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {reply:?}");
        assert!(reply.error().contains(mentions), "{body}: {:?} should mention {mentions}", reply.error());
    }
    assert_eq!(app.get("/api/services").await.body["services"].as_array().map(Vec::len), Some(0), "nothing was stored");
}

#[tokio::test]
async fn a_service_with_upcoming_bookings_cannot_be_deleted() {
    let app = spawn_app().await;
    let service = app.service("Фарбування", 120).await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let client = app.client("Олена", "0671234567", None).await;
    let booking = app.book(client, service, slot).await;

    let refused = app.delete(&format!("/api/services/{service}")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.error().contains("upcoming"), "{}", refused.error());
    app.delete(&format!("/api/appointments/{booking}")).await;
    assert_eq!(app.delete(&format!("/api/services/{service}")).await.status, StatusCode::OK);
    let history = app.get(&format!("/api/appointments/{booking}")).await;
    assert_eq!(history.body["service"], "Фарбування", "history keeps the name");
}
