use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::json;
use zapys_testkit::spawn_app;

#[tokio::test]
async fn users_speak_the_original_field_names_with_normalised_phones() {
    let app = spawn_app().await;
    let created = app
        .post("/api/users", json!({"telegram_id": 555001, "name": "  Олена  Коваль ", "phone": "067 123 45 67"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let user = &created.body["user"];
    assert_eq!(
        (user["name"].as_str(), user["phone"].as_str(), user["telegram_id"].as_i64()),
        (Some("Олена Коваль"), Some("+380671234567"), Some(555001))
    );
    let id = created.body["id"].as_i64().expect("an id");

    let updated = app
        .put(
            &format!("/api/users/{id}"),
            json!({"telegram_id": 555001, "name": "Олена Коваленко", "phone": "+380671234567", "language": "en"}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["user"]["language"], "en");
    assert_eq!(app.get(&format!("/api/users/{id}")).await.body["name"], "Олена Коваленко");
    let list = app.get("/api/users").await;
    assert_eq!((list.body["users"].as_array().map(Vec::len), list.body["total"].as_u64()), (Some(1), Some(1)));
}

#[tokio::test]
async fn users_are_searched_by_name_or_phone_and_paged() {
    let app = spawn_app().await;
    app.client("Олена Коваль", "0671110001", None).await;
    app.client("Петро Шевченко", "0501110002", None).await;
    app.client("Ольга Петренко", "0931110003", None).await;
    assert_eq!(
        app.get("/api/users?q=%D0%BF%D0%B5%D1%82%D1%80").await.body["total"],
        2,
        "'петр' finds Петро and Петренко"
    );
    assert_eq!(app.get("/api/users?q=0501110002").await.body["total"], 1, "by the local form of a phone too");
    let page = app.get("/api/users?limit=2&offset=2").await;
    assert_eq!((page.body["users"].as_array().map(Vec::len), page.body["total"].as_u64()), (Some(1), Some(3)));
}

#[tokio::test]
async fn bad_user_values_are_refused() {
    let app = spawn_app().await;
    let cases = [
        (json!({"name": "Олена", "phone": "not a phone"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"name": "", "phone": "0671234567"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"name": "Олена", "phone": "0671234567", "telegram_id": -4}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"name": "Олена", "phone": "0671234567", "telegram_id": "abc"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"name": "Олена", "phone": "0671234567", "language": "fr"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"name": "Олена"}), StatusCode::BAD_REQUEST),
    ];
    for (body, status) in cases {
        assert_eq!(app.post("/api/users", body.clone()).await.status, status, "{body}");
    }
    app.client("Олена", "0671234567", Some(77)).await;
    let duplicate = app.post("/api/users", json!({"name": "Інша", "phone": "0671234568", "telegram_id": 77})).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn deleting_a_user_erases_them_and_cancels_their_future_bookings() {
    let app = spawn_app().await;
    let service = app.service("Стрижка", 60).await;
    let user = app.client("Олена Коваль", "0671234567", Some(77)).await;
    let booking = app.book(user, service, app.slot("2026-03-03", "10:00").await).await;

    assert_eq!(app.delete(&format!("/api/users/{user}")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/users/{user}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/users").await.body["total"], 0);
    let history = app.get(&format!("/api/appointments/{booking}")).await;
    assert_eq!(
        (history.body["status_name"].as_str(), history.body["title"].as_str(), history.body["phone"].as_str()),
        (Some("cancelled"), Some("—"), Some(""))
    );
    assert!(app.get("/api/appointments?user_id=77").await.body["appointments"].as_array().is_some_and(Vec::is_empty));
}

#[tokio::test]
async fn a_users_history_lists_all_their_bookings() {
    let app = spawn_app().await;
    let service = app.service("Стрижка", 60).await;
    let user = app.client("Олена", "0671234567", None).await;
    let other = app.client("Петро", "0671234568", None).await;
    let first = app.book(user, service, app.slot("2026-03-03", "10:00").await).await;
    app.delete(&format!("/api/appointments/{first}")).await;
    app.book(user, service, app.slot("2026-03-04", "10:00").await).await;
    app.book(other, service, app.slot("2026-03-05", "10:00").await).await;
    let history = app.get(&format!("/api/users/{user}/appointments")).await;
    assert_eq!(history.body["total"], 2, "cancelled ones included, other clients' not");
    assert_eq!(app.get("/api/users/999/appointments").await.status, StatusCode::NOT_FOUND);
}
