//! The bot in the browser: the same conversation engine, through the simulator API.

use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{TestApp, spawn_app};

/// A simulated client: simulator chat ids start at 2^52, above every real Telegram user id.
const CHAT: i64 = (1 << 52) + 777_001;

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
    let chat = CHAT;

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
        app.anonymous(Method::POST, "/api/simulator/send", Some(json!({"chat_id": CHAT, "text": "/start"}))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for body in [
        json!({"chat_id": CHAT}),
        json!({"chat_id": CHAT, "text": "a", "callback_data": "M"}),
        json!({"chat_id": -4, "text": "a"}),
    ] {
        assert_eq!(
            app.post("/api/simulator/send", body.clone()).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_simulator_cannot_act_as_a_real_client_nor_for_an_api_token() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена Коваль", "0671234567", Some(555_001)).await;
    let booking = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;

    // Olena's real Telegram id: her bookings can be neither listed nor cancelled from the simulator.
    for body in [
        json!({"chat_id": 555_001, "text": "Мої записи"}),
        json!({"chat_id": 555_001, "callback_data": format!("k{booking}")}),
    ] {
        let reply = app.post("/api/simulator/send", body.clone()).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_value")),
            "{body}"
        );
    }
    assert_eq!(app.get(&format!("/api/appointments/{booking}")).await.body["status_name"], "pending");

    let token = app.api_token("crm").await;
    let by_token = app
        .call_with_token(&token, Method::POST, "/api/simulator/send", Some(json!({"chat_id": CHAT, "text": "/start"})))
        .await;
    assert_eq!((by_token.status, by_token.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
}
