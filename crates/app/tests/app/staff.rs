//! Staff members over HTTP: the resource, their hours, and booking with them.

use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{TestApp, spawn_app};

async fn staff(app: &TestApp, name: &str, services: &[i64]) -> i64 {
    let services: Vec<Value> = services.iter().map(|id| json!({"service_id": id})).collect();
    let created = app.post("/api/staff", json!({"name": name, "services": services})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_i64().expect("an id")
}

fn local_times(reply: &Value) -> Vec<String> {
    reply["available_dates"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| format!("{} {}", s["available_time"].as_str().unwrap_or("?"), s["staff"].as_str().unwrap_or("?")))
        .collect()
}

#[tokio::test]
async fn staff_members_are_a_resource_with_their_services() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let created = app
        .post(
            "/api/staff",
            json!({"name": " Оксана  Мельник ", "color": "#DB2777", "telegram_chat_id": 5550001,
                   "services": [{"service_id": haircut, "price": 750, "duration_minutes": 75}]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_i64().expect("id");
    let item = &created.body["staff"];
    assert_eq!(item["name"], "Оксана Мельник");
    assert_eq!(item["color"], "#db2777");
    assert_eq!(item["service_ids"], json!([haircut]));
    assert_eq!(item["services"][0]["price"], 750.0);
    assert_eq!(item["services"][0]["duration_minutes"], 75);

    let list = app.get("/api/staff").await;
    let names: Vec<&str> =
        list.body["staff"].as_array().expect("list").iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["Майстер", "Оксана Мельник"], "the first staff member every business starts with, then hers");

    let renamed = app.put(&format!("/api/staff/{id}"), json!({"name": "Оксана", "telegram_chat_id": null})).await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(renamed.body["staff"]["telegram_chat_id"], Value::Null);
    assert_eq!(renamed.body["staff"]["service_ids"], json!([haircut]), "services left out stay");

    for (body, code) in [
        (json!({"name": ""}), "invalid_value"),
        (json!({"name": "X", "color": "red"}), "invalid_value"),
        (json!({"name": "X", "services": [{"service_id": 999}]}), "unknown_reference"),
        (json!({"name": "X", "services": [{"service_id": haircut}, {"service_id": haircut}]}), "invalid_value"),
    ] {
        let refused = app.post("/api/staff", body.clone()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(refused.body["code"], code, "{body}");
    }
    assert_eq!(app.get("/api/staff/999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_staff_member_with_upcoming_bookings_cannot_be_deleted() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let oksana = staff(&app, "Оксана", &[haircut]).await;
    let slot = app
        .post(
            "/api/available_dates",
            json!({"available_date": "2026-03-03", "available_time": "10:00", "staff_id": oksana}),
        )
        .await;
    let client = app.client("Олена", "0671234567", None).await;
    let booking = app.book(client, haircut, slot.body["id"].as_i64().expect("id")).await;
    let refused = app.delete(&format!("/api/staff/{oksana}")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["code"], "in_use");
    assert!(refused.error().contains("hide"), "{}", refused.error());
    app.post(&format!("/api/appointments/{booking}/cancel"), json!({})).await;
    assert_eq!(app.delete(&format!("/api/staff/{oksana}")).await.status, StatusCode::OK);
    let history = app.get(&format!("/api/appointments/{booking}")).await;
    assert_eq!(history.body["staff"], "Оксана", "history keeps the name");
}

#[tokio::test]
async fn with_several_staff_members_a_slot_must_say_whose_it_is() {
    let app = spawn_app().await;
    app.slot("2026-03-03", "10:00").await; // one staff member: no need to say
    let haircut = app.service("Стрижка", 60).await;
    staff(&app, "Оксана", &[haircut]).await;
    let refused =
        app.post("/api/available_dates", json!({"available_date": "2026-03-03", "available_time": "11:00"})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["code"], "staff_required");
    for body in [
        json!({"staff_id": 999, "date_from": "2026-03-03", "date_to": "2026-03-03", "step_minutes": 30}),
        json!({"staff_id": 999, "date_from": "2026-03-03", "date_to": "2026-03-03", "step_minutes": 30,
               "weekdays": [2], "time_from": "10:00", "time_to": "12:00"}),
    ] {
        let unknown = app.post("/api/available_dates/generate", body).await;
        assert_eq!(
            unknown.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an id in the body names no record: {}",
            unknown.body
        );
        assert_eq!(unknown.body["code"], "unknown_reference");
    }
    let unknown = app
        .post(
            "/api/available_dates",
            json!({"available_date": "2026-03-03", "available_time": "12:00", "staff_id": 999}),
        )
        .await;
    assert_eq!(unknown.body["code"], "unknown_reference");
}

#[tokio::test]
async fn times_for_any_staff_member_carry_who_and_booking_without_staff_assigns_one() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let nails = app.service("Манікюр", 60).await;
    let oksana = staff(&app, "Оксана", &[haircut]).await;
    let taras = staff(&app, "Тарас", &[haircut]).await;
    let iryna = staff(&app, "Ірина", &[nails]).await;
    for member in [oksana, taras, iryna] {
        let slot = json!({"available_date": "2026-03-03", "available_time": "10:00", "staff_id": member});
        assert_eq!(app.post("/api/available_dates", slot).await.status, StatusCode::CREATED);
    }
    let any = app.get(&format!("/api/available_dates?service_id={haircut}&order=asc")).await;
    let mut seen = local_times(&any.body);
    seen.sort();
    assert_eq!(seen, ["10:00 Оксана", "10:00 Тарас"], "only those who perform it");
    let only_taras = app.get(&format!("/api/available_dates?service_id={haircut}&staff_id={taras}")).await;
    assert_eq!(local_times(&only_taras.body), ["10:00 Тарас"]);

    let olena = app.client("Олена", "0671234567", None).await;
    let petro = app.client("Петро", "0501234567", None).await;
    let marta = app.client("Марта", "0931234567", None).await;
    let mut given = Vec::new();
    for client in [olena, petro] {
        let booked = app
            .post("/api/appointments", json!({"user_id": client, "service_id": haircut, "start": "2026-03-03T10:00"}))
            .await;
        assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
        given.push(booked.body["appointment"]["staff_id"].as_i64().expect("assigned"));
    }
    given.sort_unstable();
    assert_eq!(given, [oksana, taras]);
    let nobody = app
        .post("/api/appointments", json!({"user_id": marta, "service_id": haircut, "start": "2026-03-03T10:00"}))
        .await;
    assert_eq!(nobody.status, StatusCode::CONFLICT);
    assert_eq!(nobody.body["code"], "time_taken");
    let wrong = app
        .post(
            "/api/appointments",
            json!({"user_id": marta, "service_id": haircut, "start": "2026-03-03T10:00", "staff_id": iryna}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.body["code"], "staff_not_performing");
    let mine = app.get(&format!("/api/appointments?staff_id={oksana}")).await;
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["appointments"][0]["staff"], "Оксана");
}

#[tokio::test]
async fn an_admin_reassigns_a_booking_and_the_server_rechecks() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let oksana = staff(&app, "Оксана", &[haircut]).await;
    let taras = staff(&app, "Тарас", &[haircut]).await;
    let (olena, petro) = (app.client("Олена", "0671234567", None).await, app.client("Петро", "0501234567", None).await);
    let first = app
        .post(
            "/api/appointments",
            json!({"user_id": olena, "service_id": haircut, "start": "2026-03-03T10:00", "staff_id": oksana}),
        )
        .await;
    let second = app
        .post(
            "/api/appointments",
            json!({"user_id": petro, "service_id": haircut, "start": "2026-03-03T10:00", "staff_id": taras}),
        )
        .await;
    let (first, second) = (first.body["id"].as_i64().expect("id"), second.body["id"].as_i64().expect("id"));
    let clash = app.put(&format!("/api/appointments/{first}"), json!({"staff_id": taras})).await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "Taras is busy then");
    let moved =
        app.put(&format!("/api/appointments/{first}"), json!({"staff_id": taras, "start": "2026-03-03T11:00"})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["appointment"]["staff_id"], taras);
    assert_eq!(moved.body["appointment"]["start"], "2026-03-03T11:00:00");
    let history = app.get(&format!("/api/appointments/{first}/history")).await;
    assert!(history.body.to_string().contains("reassigned"), "{}", history.body);
    assert_eq!(app.get(&format!("/api/appointments/{second}")).await.body["staff_id"], taras);
}

#[tokio::test]
async fn generating_from_hours_offers_only_visits_that_end_by_closing_and_miss_the_break() {
    let app = spawn_app().await;
    let colouring = app.service("Фарбування", 120).await;
    let staff_id = app.get("/api/staff").await.body["staff"][0]["id"].as_i64().expect("the first staff member");
    // Tuesday 2026-03-03: 10:00–14:00 and 15:00–19:00.
    let hours = json!({"hours": [{"weekday": 2, "from": "10:00", "to": "14:00"}, {"weekday": 2, "from": "15:00", "to": "19:00"}]});
    assert_eq!(app.put(&format!("/api/staff/{staff_id}/hours"), hours).await.status, StatusCode::OK);
    let generated = app
        .post(
            "/api/available_dates/generate",
            json!({"date_from": "2026-03-03", "date_to": "2026-03-03", "step_minutes": 30}),
        )
        .await;
    assert_eq!(generated.status, StatusCode::CREATED, "{}", generated.body);
    assert_eq!(generated.body["created"], 16, "10:00–13:30 and 15:00–18:30");
    let free = app.get(&format!("/api/available_dates?service_id={colouring}&order=asc")).await;
    let times: Vec<&str> = free.body["available_dates"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["available_time"].as_str())
        .collect();
    assert_eq!(times, ["10:00", "10:30", "11:00", "11:30", "12:00", "15:00", "15:30", "16:00", "16:30", "17:00"]);

    // With hours set, explicit hours for that staff member are refused rather than silently hidden.
    let explicit = json!({"date_from": "2026-03-04", "date_to": "2026-03-04", "weekdays": [3], "time_from": "10:00", "time_to": "19:00", "step_minutes": 30});
    let refused = app.post("/api/available_dates/generate", explicit).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.error().contains("working hours"), "{}", refused.error());
    assert_eq!(app.put(&format!("/api/staff/{staff_id}/hours"), json!({"hours": []})).await.status, StatusCode::OK);

    // The form's way with explicit hours: 19:00 is closing time, not the last start.
    let explicit = app
        .post(
            "/api/available_dates/generate",
            json!({"date_from": "2026-03-04", "date_to": "2026-03-04", "weekdays": [3], "time_from": "10:00", "time_to": "19:00", "step_minutes": 30}),
        )
        .await;
    assert_eq!(explicit.status, StatusCode::CREATED);
    let wednesday =
        app.get(&format!("/api/available_dates?service_id={colouring}&from=2026-03-04&to=2026-03-04&order=asc")).await;
    let last = wednesday.body["available_dates"].as_array().expect("list").last().cloned().unwrap_or_default();
    assert_eq!(last["available_time"], "17:00", "a 2-hour visit at 18:30 would end at 20:30: {}", wednesday.body);

    // A vacation empties the day; regenerating hourly replaces the half-hour grid.
    let hours = json!({"hours": [{"weekday": 2, "from": "10:00", "to": "14:00"}, {"weekday": 2, "from": "15:00", "to": "19:00"}]});
    assert_eq!(app.put(&format!("/api/staff/{staff_id}/hours"), hours).await.status, StatusCode::OK);
    let vacation = app
        .post(&format!("/api/staff/{staff_id}/exceptions"), json!({"date_from": "2026-03-03", "note": "відпустка"}))
        .await;
    assert_eq!(vacation.status, StatusCode::CREATED, "{}", vacation.body);
    let tuesday = app.get(&format!("/api/available_dates?service_id={colouring}&from=2026-03-03&to=2026-03-03")).await;
    assert_eq!(tuesday.body["total"], 0);
    let exceptions = app.get(&format!("/api/staff/{staff_id}/exceptions")).await;
    assert_eq!(exceptions.body["exceptions"][0]["note"], "відпустка");
    let exception = vacation.body["id"].as_i64().expect("id");
    assert_eq!(app.delete(&format!("/api/staff/{staff_id}/exceptions/{exception}")).await.status, StatusCode::OK);
    let again = app
        .post(
            "/api/available_dates/generate",
            json!({"date_from": "2026-03-03", "date_to": "2026-03-03", "step_minutes": 60}),
        )
        .await;
    assert_eq!((again.body["created"].as_i64(), again.body["removed"].as_i64()), (Some(0), Some(8)), "{}", again.body);
}

#[tokio::test]
async fn without_any_staff_member_a_time_cannot_be_added_and_the_answer_says_why() {
    let app = spawn_app().await;
    let only = app.get("/api/staff").await.body["staff"][0]["id"].as_i64().expect("the first staff member");
    assert_eq!(app.delete(&format!("/api/staff/{only}")).await.status, StatusCode::OK);
    let slot =
        app.post("/api/available_dates", json!({"available_date": "2026-03-03", "available_time": "10:00"})).await;
    assert_eq!(slot.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(slot.body["code"], "staff_required");
    assert!(slot.error().contains("add one first"), "{}", slot.error());
    let generate = json!({"date_from": "2026-03-03", "date_to": "2026-03-03", "weekdays": [2], "time_from": "10:00", "time_to": "12:00", "step_minutes": 30});
    assert_eq!(app.post("/api/available_dates/generate", generate).await.body["code"], "staff_required");
}
