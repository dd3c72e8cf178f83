//! The bot in the browser: the same conversation engine, through the simulator API.

use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{TestApp, spawn_app};

async fn send(app: &TestApp, body: Value) -> Value {
    let reply = app.post("/api/simulator/send", body.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{body}: {reply:?}");
    reply.body
}

/// The button with this text in the latest reply that has inline buttons: (data, message id).
fn button(answer: &Value, label: &str) -> (String, i64) {
    for reply in answer["replies"].as_array().expect("replies").iter().rev() {
        for row in reply["inline_keyboard"].as_array().into_iter().flatten() {
            for b in row.as_array().expect("a row") {
                if b["text"] == label {
                    return (
                        b["callback_data"].as_str().expect("data").to_owned(),
                        reply["message_id"].as_i64().expect("id"),
                    );
                }
            }
        }
    }
    panic!("no button {label:?} in {answer}");
}

#[tokio::test]
async fn a_booking_made_in_the_simulated_bot_shows_in_the_api() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    app.slot("2026-03-03", "10:00").await;
    let chat = 777_001;

    let hello = send(&app, json!({"chat_id": chat, "text": "/start"})).await;
    assert!(hello["replies"][0]["text"].as_str().is_some_and(|t| t.contains("Вітаємо")));
    assert_eq!(hello["replies"][0]["remove_keyboard"], true);
    let ask_phone = send(&app, json!({"chat_id": chat, "text": "Олена Коваль"})).await;
    assert_eq!(ask_phone["replies"][0]["reply_keyboard"][0][0]["request_contact"], true);
    let menu = send(&app, json!({"chat_id": chat, "contact_phone": "+380671234567"})).await;
    assert_eq!(menu["replies"][0]["reply_keyboard"][0][0]["text"], "Записатись");

    let services = send(&app, json!({"chat_id": chat, "text": "Записатись"})).await;
    let (data, message_id) = button(&services, "Стрижка · 60 хв");
    let calendar = send(&app, json!({"chat_id": chat, "callback_data": data, "message_id": message_id})).await;
    assert_eq!(
        (calendar["replies"][0]["edit"].as_bool(), calendar["replies"][0]["message_id"].as_i64()),
        (Some(true), Some(message_id)),
        "edited in place"
    );
    let (data, message_id) = button(&calendar, "3");
    let times = send(&app, json!({"chat_id": chat, "callback_data": data, "message_id": message_id})).await;
    let (data, message_id) = button(&times, "10:00");
    let summary = send(&app, json!({"chat_id": chat, "callback_data": data, "message_id": message_id})).await;
    let (data, message_id) = button(&summary, "✅ Підтвердити");
    let booked = send(&app, json!({"chat_id": chat, "callback_data": data, "message_id": message_id})).await;
    assert!(booked["replies"][0]["text"].as_str().is_some_and(|t| t.contains("Ви записані")), "{booked}");

    let appointments = app.get(&format!("/api/appointments?user_id={chat}")).await;
    assert_eq!(appointments.body["total"], 1);
    let a = &appointments.body["appointments"][0];
    assert_eq!(
        (a["title"].as_str(), a["start"].as_str(), a["source"].as_str(), a["service_id"].as_i64()),
        (Some("Олена Коваль"), Some("2026-03-03T10:00:00"), Some("bot"), Some(haircut))
    );
}

#[tokio::test]
async fn the_simulator_needs_an_admin_and_one_action() {
    let app = spawn_app().await;
    let anonymous =
        app.anonymous(Method::POST, "/api/simulator/send", Some(json!({"chat_id": 1, "text": "/start"}))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for body in [
        json!({"chat_id": 1}),
        json!({"chat_id": 1, "text": "a", "callback_data": "M"}),
        json!({"chat_id": -4, "text": "a"}),
    ] {
        assert_eq!(
            app.post("/api/simulator/send", body.clone()).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
}
