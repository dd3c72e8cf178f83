//! What clients do for themselves in the bot beyond booking, end to end: the real app polls the
//! fake Bot API on 127.0.0.1 and the test plays the clients and the business.

use zapys_testkit::serde_json::json;

use crate::telegram::{BUSINESS_CHAT, World, book, press, register, see, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_moves_a_booking_and_the_business_and_the_api_see_the_new_time() {
    let World { tg, app } = world().await;
    let olena = tg.user(1001, "Олена", Some("uk"));
    register(&tg, &olena, "Олена", "0671234567").await;
    book(&tg, &olena, "10:00").await;
    see(&tg, &olena, "Ви записані").await;

    tg.press_reply_button(&olena, "Мої записи").unwrap_or_else(|e| panic!("{e}"));
    see(&tg, &olena, "1. Стрижка").await;
    press(&tg, &olena, "🔁 Перенести №1").await;
    see(&tg, &olena, "Перенесення запису").await;
    press(&tg, &olena, "3").await;
    see(&tg, &olena, "Оберіть час").await;
    press(&tg, &olena, "12:00").await;
    see(&tg, &olena, "Було: Вт 03.03.2026 о 10:00").await;
    press(&tg, &olena, "✅ Перенести").await;
    see(&tg, &olena, "Запис перенесено: Стрижка, тепер Вт 03.03.2026 о 12:00").await;

    let business = tg.user(BUSINESS_CHAT, "Салон", Some("uk"));
    see(&tg, &business, "🔁 Клієнт переніс запис: Олена, +380671234567").await;
    let booked = app.get("/api/appointments?user_id=1001").await;
    assert_eq!(booked.body["total"], 1, "moved, not copied: {}", booked.body);
    let start = booked.body["appointments"][0]["start"].as_str().expect("a start").to_owned();
    assert!(start.contains("12:00") || start.contains("T10:00:00Z"), "noon in Kyiv: {start}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_the_change_window_the_bot_explains_and_the_booking_stays() {
    let World { tg, app } = world().await;
    let mut settings = app.get("/api/settings").await.body;
    assert_eq!(settings["change_window_hours"], 0, "always, by default");
    settings["change_window_hours"] = json!(48);
    settings["phone"] = json!("+380441234567");
    let saved = app.put("/api/settings", settings.clone()).await;
    assert_eq!(saved.status.as_u16(), 200, "{}", saved.body);
    settings["change_window_hours"] = json!(745);
    let refused = app.put("/api/settings", settings).await;
    assert_eq!((refused.status.as_u16(), refused.body["code"].as_str()), (422, Some("invalid_value")));

    let olena = tg.user(1001, "Олена", Some("uk"));
    register(&tg, &olena, "Олена", "0671234567").await;
    book(&tg, &olena, "10:00").await;
    see(&tg, &olena, "Ви записані").await;
    let before = app.get("/api/appointments?user_id=1001").await.body["appointments"][0].clone();
    tg.press_reply_button(&olena, "Мої записи").unwrap_or_else(|e| panic!("{e}"));
    see(&tg, &olena, "1. Стрижка").await;
    press(&tg, &olena, "✖️ Скасувати №1").await;
    see(&tg, &olena, "не пізніше ніж за 48 год").await;
    let booked = app.get("/api/appointments?user_id=1001").await;
    assert_eq!(booked.body["appointments"][0], before, "nothing changed");

    // The business is never held to it.
    let id = booked.body["appointments"][0]["id"].as_i64().expect("an id");
    let cancelled = app.post(&format!("/api/appointments/{id}/cancel"), json!({})).await;
    assert_eq!(cancelled.status.as_u16(), 200, "{}", cancelled.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_link_to_a_service_opens_its_calendar_after_registration() {
    let World { tg, app: _app } = world().await;
    let olena = tg.user(1001, "Олена", Some("uk"));
    tg.send_text(&olena, "/start s1");
    see(&tg, &olena, "звертатися").await;
    tg.send_text(&olena, "Олена");
    see(&tg, &olena, "поділіться номером").await;
    tg.share_contact(&olena, "0671234567", true);
    see(&tg, &olena, "ви зареєстровані").await;
    see(&tg, &olena, "Оберіть день").await;
    press(&tg, &olena, "3").await;
    see(&tg, &olena, "Оберіть час").await;

    // An unknown link is the ordinary greeting.
    tg.send_text(&olena, "/start s999");
    see(&tg, &olena, "З поверненням").await;
}
