use std::process::Command;

use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{spawn_app, test_config};

#[tokio::test]
async fn health_is_public() {
    let app = spawn_app().await;
    let reply = app.anonymous(Method::GET, "/healthz", None).await;
    assert_eq!((reply.status, reply.body["status"].as_str()), (StatusCode::OK, Some("ok")));
}

#[tokio::test]
async fn the_openapi_document_describes_every_original_route() {
    let app = spawn_app().await;
    let doc = app.anonymous(Method::GET, "/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc.body["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/services", "get"),
        ("/api/services", "post"),
        ("/api/services/{id}", "put"),
        ("/api/services/{id}", "delete"),
        ("/api/available_dates", "get"),
        ("/api/available_dates", "post"),
        ("/api/available_dates/{id}", "put"),
        ("/api/available_dates/{id}", "delete"),
        ("/api/users", "get"),
        ("/api/users", "post"),
        ("/api/users/{id}", "put"),
        ("/api/users/{id}", "delete"),
        ("/api/appointments", "get"),
        ("/api/appointments", "post"),
        ("/api/appointments/{id}", "put"),
        ("/api/appointments/{id}", "delete"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is documented");
    }
    let item = &doc.body["components"]["schemas"]["AppointmentItem"]["properties"];
    for field in
        ["id", "user_id", "service_id", "date_id", "title", "phone", "service", "start", "end", "status", "telegram_id"]
    {
        assert!(item.get(field).is_some(), "AppointmentItem.{field}");
    }
    let page = app.anonymous(Method::GET, "/api/docs", None).await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn changes_stream_to_the_panel_as_they_happen() {
    use futures_util::StreamExt as _;
    let app = spawn_app().await;
    let service = app.service("Стрижка", 60).await;
    let client = app.client("Олена", "0671234567", None).await;
    let slot = app.slot("2026-03-03", "10:00").await;
    let session = app.login(zapys_testkit::ADMIN_USER, zapys_testkit::ADMIN_PASSWORD).await.expect("logs in");
    let response = zapys_testkit::reqwest::Client::new()
        .get(app.url("/api/events"))
        .header("cookie", session)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.bytes_stream();

    let id = app.book(client, service, slot).await;
    let expected = format!(r#"data: {{"kind":"appointment","id":{id}}}"#);
    let mut seen = String::new();
    let found = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(Ok(chunk)) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(&expected) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "saw: {seen}");
}

#[tokio::test]
async fn the_database_file_shows_no_phone_number_created_through_the_api() {
    let mut app = spawn_app().await;
    app.client("Зоряна Приховувана", "+380 93 765 43 21", Some(4242)).await;
    let path = app.database_path.clone();
    app.stop().await;
    let mut bytes = std::fs::read(&path).expect("the database file");
    bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(b"380937654321"), "the phone number is readable in the file");
    assert!(!contains("Приховувана".as_bytes()), "the name is readable in the file");
}

fn zapys(database: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zapys"))
        .args(args)
        .env_clear()
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .env("ZAPYS_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .env("ZAPYS_ADMIN_PASSWORD", "a long enough password")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[test]
fn the_command_line_migrates_creates_admins_and_tokens_and_backs_up() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("zapys.db");
    assert!(zapys(&db, &["migrate"]).status.success());
    let created = zapys(&db, &["admin", "create", "manager"]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let again = zapys(&db, &["admin", "create", "manager"]);
    assert!(!again.status.success(), "a second admin of the same name is refused");
    assert!(zapys(&db, &["admin", "password", "manager"]).status.success());
    assert!(!zapys(&db, &["admin", "password", "nobody"]).status.success());

    let token = zapys(&db, &["token", "create", "crm"]);
    assert!(token.status.success());
    let printed = String::from_utf8_lossy(&token.stdout);
    assert!(printed.trim().starts_with("zps_") && printed.trim().len() > 40, "{printed}");

    assert!(zapys(&db, &["demo"]).status.success());
    assert!(!zapys(&db, &["demo"]).status.success(), "demo data only goes into an empty database");
    let backup = dir.path().join("copy.db");
    assert!(zapys(&db, &["backup", backup.to_str().expect("utf-8")]).status.success());
    assert!(backup.exists());
    assert!(!zapys(&db, &["backup", backup.to_str().expect("utf-8")]).status.success(), "never overwrites");

    let openapi: Value = serde_json::from_slice(&zapys(&db, &["openapi"]).stdout).expect("JSON");
    assert!(openapi["paths"].get("/api/appointments").is_some());
}

#[tokio::test]
async fn the_backup_is_a_working_database_with_the_same_data() {
    let app = spawn_app().await;
    app.client("Олена", "0671234567", None).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = dir.path().join("copy.db");
    app.store.backup(&copy).await.expect("backs up");
    let reopened =
        zapys::open_store(&test_config(format!("sqlite://{}", copy.display()))).await.expect("opens the copy");
    let clients = reopened.clients(&Default::default()).await.expect("reads");
    assert_eq!(clients.total, 1);
}

#[tokio::test]
async fn demo_data_fills_a_new_database_with_something_to_look_at() {
    let app = zapys_testkit::spawn_app_with(|config| config.demo = true).await;
    let services = app.get("/api/services").await;
    assert_eq!(services.body["services"].as_array().map(Vec::len), Some(5));
    let slots = app.get("/api/available_dates").await;
    assert!(slots.body["total"].as_u64().is_some_and(|n| n > 200), "a month of working hours");
    let appointments = app.get("/api/appointments").await;
    assert!(appointments.body["total"].as_u64().is_some_and(|n| n >= 8), "{}", appointments.body["total"]);
    let users = app.get("/api/users").await;
    assert_eq!(users.body["total"], 6);
    let _ = json!(null);
}
