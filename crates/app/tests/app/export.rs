//! Spreadsheets and calendars: CSV export and import, the iCalendar feed.

use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::spawn_app;

async fn raw(app: &zapys_testkit::TestApp, path: &str) -> (StatusCode, String, Vec<u8>) {
    let response = app.request(Method::GET, path).send().await.expect("answers");
    let status = response.status();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, kind, response.bytes().await.expect("a body").to_vec())
}

#[tokio::test]
async fn clients_survive_a_csv_round_trip_into_an_empty_database() {
    let source = spawn_app().await;
    source.client("Олена Коваль", "0671234567", Some(555_001)).await;
    source.client("Петро, \"Майстер\" Шевченко", "+380501234567", None).await;
    source
        .put("/api/users/2", json!({"name": "Петро, \"Майстер\" Шевченко", "phone": "+380501234567", "language": "en"}))
        .await;
    let (status, kind, body) = raw(&source, "/api/users.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "a BOM, so Excel reads UTF-8");
    let text = String::from_utf8(body.clone()).expect("UTF-8");
    assert!(text.contains("'+380671234567"), "phones are kept as text, not a formula: {text}");

    let target = spawn_app().await;
    let preview = target
        .request(Method::POST, "/api/users/import?dry_run=true")
        .header("content-type", "text/csv")
        .body(body.clone())
        .send()
        .await
        .expect("answers");
    let preview: zapys_testkit::serde_json::Value = preview.json().await.expect("JSON");
    assert_eq!(
        (preview["created"].as_u64(), preview["valid"].as_array().map(Vec::len)),
        (Some(0), Some(2)),
        "{preview}"
    );
    assert_eq!(target.get("/api/users").await.body["total"], 0, "a preview changes nothing");

    let imported = target.request(Method::POST, "/api/users/import").body(body).send().await.expect("answers");
    let imported: zapys_testkit::serde_json::Value = imported.json().await.expect("JSON");
    assert_eq!(imported["created"], 2, "{imported}");
    let mut before: Vec<_> = source.get("/api/users").await.body["users"]
        .as_array()
        .expect("list")
        .iter()
        .map(|u| (u["name"].clone(), u["phone"].clone(), u["telegram_id"].clone(), u["language"].clone()))
        .collect();
    let mut after: Vec<_> = target.get("/api/users").await.body["users"]
        .as_array()
        .expect("list")
        .iter()
        .map(|u| (u["name"].clone(), u["phone"].clone(), u["telegram_id"].clone(), u["language"].clone()))
        .collect();
    before.sort_by_key(|u| u.1.to_string());
    after.sort_by_key(|u| u.1.to_string());
    assert_eq!(before, after, "the same clients");
}

#[tokio::test]
async fn an_import_reports_the_rows_it_refuses_and_adds_the_rest() {
    let app = spawn_app().await;
    app.client("Вже Є", "0671111111", Some(77)).await;
    let csv = "name;phone;telegram_id;language\n\
               Олена;067 123 45 67;;uk\n\
               ;0501234567;;\n\
               Петро;not a phone;;\n\
               Марія;0931234567;77;\n\
               Ігор;0661234567;abc;\n\
               Emily;+447700900123;;fr\n\
               Софія;0971234567;88;en\n\
               Дубль;0971234568;88;\n";
    let response = app.request(Method::POST, "/api/users/import").body(csv).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    let report: zapys_testkit::serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(report["created"], 2, "{report}");
    let rejected: Vec<u64> =
        report["rejected"].as_array().expect("list").iter().filter_map(|r| r["line"].as_u64()).collect();
    assert_eq!(
        rejected,
        [3, 4, 5, 6, 7, 9],
        "empty name, bad phone, a taken telegram id, a bad id, a bad language, a repeat in the file"
    );
    assert!(report["rejected"][2]["error"].as_str().is_some_and(|e| e.contains("telegram_id 77")));
    assert_eq!(app.get("/api/users").await.body["total"], 3);

    let no_header =
        app.request(Method::POST, "/api/users/import").body("Олена,0671234567\n").send().await.expect("answers");
    assert_eq!(no_header.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn appointments_export_follows_the_tables_filters() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    let petro = app.client("Петро", "0501234567", None).await;
    app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;
    let cancelled = app.book(petro, haircut, app.slot("2026-03-04", "10:00").await).await;
    app.post(&format!("/api/appointments/{cancelled}/cancel"), json!({"reason": "ill, sorry"})).await;

    let (_, _, all) = raw(&app, "/api/appointments.csv").await;
    let all = String::from_utf8(all).expect("UTF-8");
    assert_eq!(all.lines().count(), 3, "a header and two rows: {all}");
    assert!(all.contains("\"ill, sorry\""), "a comma is quoted: {all}");
    let (_, _, some) = raw(&app, "/api/appointments.csv?status=pending").await;
    let some = String::from_utf8(some).expect("UTF-8");
    assert_eq!(some.lines().count(), 2);
    assert!(some.contains("Олена") && some.contains("2026-03-03T10:00:00"));
    let (status, _, _) = raw(&app, "/api/appointments.csv?status=lost").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn for_ukrainian_excel_the_export_uses_semicolons_ukrainian_words_and_decimal_commas() {
    let app = spawn_app().await;
    let haircut =
        app.post("/api/services", json!({"service_name": "Стрижка", "duration_minutes": 60, "price": 850.5})).await;
    let haircut = haircut.body["id"].as_i64().unwrap_or_else(|| panic!("created: {}", haircut.body));
    let olena = app.client("Олена", "0671234567", None).await;
    let petro = app.client("Петро", "0501234567", None).await;
    app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;
    let cancelled = app.book(petro, haircut, app.slot("2026-03-04", "10:00").await).await;
    app.post(&format!("/api/appointments/{cancelled}/cancel"), json!({"reason": "ill; sorry"})).await;

    let (status, _, body) = raw(&app, "/api/appointments.csv?lang=uk&delimiter=semicolon&order=asc").await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body).expect("UTF-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "№;Клієнт;Телефон;Послуга;Майстер;Початок;Кінець;Статус;Джерело;Ціна, грн;Нотатки;Причина скасування;Хто скасував;Створено"
    );
    assert!(lines[1].contains(";Очікує підтвердження;Адміністратор;850,50;"), "{}", lines[1]);
    assert!(lines[2].contains(";Скасовано;") && lines[2].contains("\"ill; sorry\";Адміністратор;"), "{}", lines[2]);

    // Integrations keep the English file they had.
    let (_, _, plain) = raw(&app, "/api/appointments.csv").await;
    let plain = String::from_utf8(plain).expect("UTF-8");
    assert!(
        plain.contains("id,client,phone,service,staff,start,end,status,source,price")
            && plain.contains(",pending,admin,850.50,")
    );
    let (status, _, _) = raw(&app, "/api/appointments.csv?lang=de").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_client_list_with_ukrainian_headers_imports_and_the_ukrainian_export_comes_back_in() {
    let app = spawn_app().await;
    let file = "\u{feff}Ім’я;Номер телефону;Telegram ID;Мова\nОлена Коваль;0671234567;555001;українська\nJohn Smith;+380501234567;;англійська\nБез телефону;;;\n";
    let report: zapys_testkit::serde_json::Value = app
        .request(Method::POST, "/api/users/import")
        .header("content-type", "text/csv")
        .body(file.as_bytes().to_vec())
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["rejected"][0]["line"], 4, "{report}");
    let users = app.get("/api/users?q=John").await.body;
    assert_eq!(users["users"][0]["language"], "en", "{users}");

    let (_, _, exported) = raw(&app, "/api/users.csv?lang=uk&delimiter=semicolon").await;
    let text = String::from_utf8(exported.clone()).expect("UTF-8");
    assert!(text.starts_with("\u{feff}Ім'я;Телефон;Telegram ID;Мова;Створено"), "{text}");
    assert!(text.contains(";англійська;"), "{text}");
    let again = spawn_app().await;
    let report: zapys_testkit::serde_json::Value = again
        .request(Method::POST, "/api/users/import")
        .body(exported)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        (report["created"].as_u64(), report["rejected"].as_array().map(Vec::len)),
        (Some(2), Some(0)),
        "{report}"
    );
}

#[tokio::test]
async fn the_calendar_feed_parses_and_keeps_the_right_times_across_a_dst_change() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка, коротка", 60).await;
    let olena = app.client("Олена", "0671234567", None).await;
    // Kyiv moves its clocks forward on Sunday 29 March 2026.
    app.book(olena, haircut, app.slot("2026-03-27", "10:00").await).await;
    app.book(olena, haircut, app.slot("2026-03-30", "10:00").await).await;
    let cancelled = app.book(olena, haircut, app.slot("2026-03-31", "10:00").await).await;
    app.delete(&format!("/api/appointments/{cancelled}")).await;

    assert_eq!(app.get("/api/calendar_feed").await.body["enabled"], false);
    let created = app.call(Method::POST, "/api/calendar_feed", None).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let path = created.body["path"].as_str().expect("a path").to_owned();
    let feed = app.anonymous(Method::GET, &path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "public with the token");
    let text = feed.body.as_str().expect("text").to_owned();
    assert!(feed.headers["content-type"].to_str().is_ok_and(|k| k.starts_with("text/calendar")));

    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar");
    let events: Vec<(String, String, String)> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|e| {
            let value = |name: &str| e.find_prop(name).map(|p| p.val.as_str().to_owned()).unwrap_or_default();
            (value("DTSTART"), value("DTEND"), value("SUMMARY"))
        })
        .collect();
    assert_eq!(
        events,
        [
            ("20260327T080000Z".into(), "20260327T090000Z".into(), "Стрижка, коротка — Олена".into()),
            ("20260330T070000Z".into(), "20260330T080000Z".into(), "Стрижка, коротка — Олена".into()),
        ],
        "10:00 in Kyiv is 08:00 UTC before the change and 07:00 after; the comma survives escaping; cancelled bookings are left out"
    );

    app.call(Method::POST, "/api/calendar_feed", None).await;
    assert_eq!(
        app.anonymous(Method::GET, &path, None).await.status,
        StatusCode::NOT_FOUND,
        "a new URL retires the old one"
    );
    app.delete("/api/calendar_feed").await;
    assert_eq!(app.get("/api/calendar_feed").await.body["enabled"], false);
    assert_eq!(app.anonymous(Method::GET, "/calendar/guess.ics", None).await.status, StatusCode::NOT_FOUND);
}
