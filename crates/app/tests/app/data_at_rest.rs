//! Personal data at rest: the data key and its file, rekey, and what the
//! database files hold after registration and erasure.

use zapys::data_key::{self, KeySource};
use zapys_store::DataCipher;
use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{TestApp, spawn_app_with};

/// The app as an operator starts it: no ZAPYS_DATA_KEY.
async fn spawn_app_without_a_key() -> TestApp {
    spawn_app_with(|config| config.data_key = None).await
}

fn key_file(app: &TestApp) -> std::path::PathBuf {
    let mut name = app.database_path.as_os_str().to_owned();
    name.push(".key");
    name.into()
}

fn read_key(app: &TestApp) -> DataCipher {
    DataCipher::from_base64(&std::fs::read_to_string(key_file(app)).expect("a key file")).expect("a valid key")
}

/// The database file and its WAL, byte for byte, as a copy of them would show.
fn raw_files(app: &TestApp) -> Vec<u8> {
    let mut bytes = std::fs::read(&app.database_path).expect("the database file");
    let mut wal = app.database_path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

async fn say(app: &TestApp, body: Value) -> Value {
    let reply = app.post("/api/simulator/send", body.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{body}: {reply:?}");
    reply.body
}

/// Presses the inline button labelled `label` in the latest reply that has it.
async fn press(app: &TestApp, chat: i64, answer: &Value, label: &str) -> Value {
    for reply in answer["replies"].as_array().expect("replies").iter().rev() {
        for row in reply["inline_keyboard"].as_array().into_iter().flatten() {
            for b in row.as_array().expect("a row") {
                if b["text"] == label {
                    let body = json!({"chat_id": chat, "callback_data": b["callback_data"], "message_id": reply["message_id"]});
                    return say(app, body).await;
                }
            }
        }
    }
    panic!("no button {label:?} in {answer}");
}

#[tokio::test]
async fn the_first_start_without_a_key_writes_a_private_key_file_beside_the_database() {
    let mut app = spawn_app_without_a_key().await;
    let path = key_file(&app);
    assert!(path.exists(), "the key file is beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).expect("exists").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
    }
    let key = read_key(&app);
    assert_ne!(key.fingerprint(), DataCipher::legacy_public().fingerprint(), "never the public key");
    let stored =
        zapys_store_sqlite::SqliteStore::stored_key_fingerprint(&app.config().database_url).await.expect("reads");
    assert_eq!(stored.as_deref(), Some(key.fingerprint()), "the database is sealed with the file's key");

    let olena = app.client("Олена Коваль", "+380671234567", None).await;
    app.restart().await;
    assert_eq!(read_key(&app).fingerprint(), key.fingerprint(), "a restart keeps the key");
    assert_eq!(app.get(&format!("/api/users/{olena}")).await.body["name"], "Олена Коваль");
}

#[tokio::test]
async fn a_database_whose_key_file_is_lost_is_refused_with_a_clear_message() {
    let mut app = spawn_app_without_a_key().await;
    app.client("Олена Коваль", "+380671234567", None).await;
    app.stop().await;
    std::fs::remove_file(key_file(&app)).expect("removed");

    let error = zapys::open_store(app.config()).await.expect_err("no key, no data");
    assert!(error.to_string().contains("key file"), "{error:#}");
    assert!(!key_file(&app).exists(), "no new key is made for a database sealed with another one");
}

#[tokio::test]
async fn a_name_typed_in_an_abandoned_registration_is_not_readable_in_the_database_files() {
    let mut app = spawn_app_without_a_key().await;
    let chat = (1_i64 << 52) + 880_001; // a simulator chat
    say(&app, json!({"chat_id": chat, "text": "/start"})).await;
    say(&app, json!({"chat_id": chat, "text": "Зореслава Неповторна"})).await;
    // They never send a phone number.

    assert!(!holds(&raw_files(&app), "Зореслава Неповторна"), "the typed name is readable in the database or WAL");
    app.stop().await;
    assert!(!holds(&raw_files(&app), "Зореслава Неповторна"), "the typed name is readable in the database file");
    app.restart().await;
    let resumed = say(&app, json!({"chat_id": chat, "contact_phone": "+380671234567"})).await;
    assert!(
        resumed.to_string().contains("Зореслава Неповторна"),
        "the registration goes on after a restart: {resumed}"
    );
}

#[tokio::test]
async fn deleting_my_data_in_the_bot_leaves_no_conversation_and_no_name_on_disk() {
    let app = spawn_app_without_a_key().await;
    let chat = (1_i64 << 52) + 880_002; // a simulator chat
    say(&app, json!({"chat_id": chat, "text": "/start"})).await;
    say(&app, json!({"chat_id": chat, "text": "Мирослава Стерта"})).await;
    say(&app, json!({"chat_id": chat, "contact_phone": "+380671234599"})).await;
    let profile = say(&app, json!({"chat_id": chat, "text": "Профіль"})).await;
    let ask = press(&app, chat, &profile, "🗑 Видалити мої дані").await;
    let erased = press(&app, chat, &ask, "Так, видалити").await;
    assert!(erased.to_string().contains("Ваші дані видалено"), "{erased}");

    assert_eq!(app.store.conversation(chat).await.expect("reads"), None, "no conversation row for the chat");
    let users = app.get("/api/users").await;
    assert_eq!(users.body["total"], 0, "{users:?}");
    assert!(!holds(&raw_files(&app), "Мирослава Стерта"), "the name lingers in the database or WAL");
}

#[tokio::test]
async fn rekey_moves_the_data_to_a_new_key_and_the_old_key_is_refused() {
    let mut app = spawn_app_without_a_key().await;
    let olena = app.client("Олена Коваль", "+380671234567", Some(501)).await;
    app.stop().await;
    let old = read_key(&app);

    let done = data_key::rekey(app.config(), None).await.expect("re-keys");
    assert_eq!(done.source, KeySource::File(key_file(&app)));
    assert!(done.values >= 2, "{done:?}");
    let new = read_key(&app);
    assert_ne!(new.fingerprint(), old.fingerprint(), "the key file holds the new key");
    assert!(!data_key::pending_path(&key_file(&app)).exists(), "no temporary key is left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(key_file(&app)).expect("exists").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let refused = zapys::open_store_with(app.config(), old).await.expect_err("the old key opens nothing");
    assert!(format!("{refused:#}").contains("data key"), "{refused:#}");
    app.restart().await;
    assert_eq!(app.get(&format!("/api/users/{olena}")).await.body["name"], "Олена Коваль");
}

#[tokio::test]
async fn with_zapys_data_key_set_rekey_takes_the_new_key_from_zapys_new_data_key() {
    let mut app = spawn_app_with(|_| {}).await;
    let olena = app.client("Олена Коваль", "+380671234567", None).await;
    app.stop().await;

    let error = data_key::rekey(app.config(), None).await.expect_err("the operator keeps the key, so gives it");
    assert!(error.to_string().contains("ZAPYS_NEW_DATA_KEY"), "{error:#}");
    let new_key = DataCipher::generate_key();
    let done = data_key::rekey(app.config(), Some(&new_key.parse().expect("infallible"))).await.expect("re-keys");
    assert_eq!(done.source, KeySource::Environment);
    assert!(zapys::open_store(app.config()).await.is_err(), "the old ZAPYS_DATA_KEY is refused");

    let mut config = app.config().clone();
    config.data_key = Some(new_key.parse().expect("infallible"));
    let store = zapys::open_store(&config).await.expect("the new one opens it");
    let client = store.client(zapys_domain::ClientId(olena)).await.expect("reads");
    assert_eq!(client.contact.map(|c| c.name.as_str().to_owned()).as_deref(), Some("Олена Коваль"));
}

/// `zapys rekey` writes `<key file>.new`, commits, then renames. These two
/// tests stop it on either side of the commit, as a crash would.
#[tokio::test]
async fn a_rekey_stopped_after_its_commit_is_finished_at_the_next_start() {
    let mut app = spawn_app_without_a_key().await;
    let olena = app.client("Олена Коваль", "+380671234567", None).await;
    app.stop().await;
    let new_key = DataCipher::generate_key();
    std::fs::write(data_key::pending_path(&key_file(&app)), &new_key).expect("written");
    let store = zapys::open_store_with(app.config(), read_key(&app)).await.expect("opens");
    store.rekey(&DataCipher::from_base64(&new_key).expect("valid")).await.expect("committed");
    // ...and here the process died, before the rename.

    app.restart().await;
    assert_eq!(read_key(&app).fingerprint(), DataCipher::from_base64(&new_key).expect("valid").fingerprint());
    assert!(!data_key::pending_path(&key_file(&app)).exists());
    assert_eq!(app.get(&format!("/api/users/{olena}")).await.body["name"], "Олена Коваль");
}

#[tokio::test]
async fn a_rekey_stopped_before_its_commit_changes_nothing() {
    let mut app = spawn_app_without_a_key().await;
    let olena = app.client("Олена Коваль", "+380671234567", None).await;
    app.stop().await;
    let old = read_key(&app);
    std::fs::write(data_key::pending_path(&key_file(&app)), DataCipher::generate_key()).expect("written");
    // ...and here the process died, before the commit.

    app.restart().await;
    assert_eq!(read_key(&app).fingerprint(), old.fingerprint(), "the old key stays");
    assert!(!data_key::pending_path(&key_file(&app)).exists(), "the unused new key is removed");
    assert_eq!(app.get(&format!("/api/users/{olena}")).await.body["name"], "Олена Коваль");
}

#[tokio::test]
async fn a_clients_private_notes_are_sealed_and_kept_from_integrations_and_erased() {
    let app = zapys_testkit::spawn_app().await;
    let olena = app.client("Олена", "0671234567", None).await;
    let formula = "Формула фарбування: 7.1 + 3 відсотки, алергія на аміак";
    assert_eq!(app.get(&format!("/api/users/{olena}/notes")).await.body["notes"], "");
    let saved = app.put(&format!("/api/users/{olena}/notes"), json!({"notes": formula})).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(app.get(&format!("/api/users/{olena}/notes")).await.body["notes"], formula);
    assert!(!holds(&raw_files(&app), formula), "the notes are sealed at rest");

    let too_long = app.put(&format!("/api/users/{olena}/notes"), json!({"notes": "я".repeat(4001)})).await;
    assert_eq!(
        (too_long.status, too_long.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_value"))
    );
    for scope in ["read", "book"] {
        let token = app.api_token_with_scope(&format!("crm-{scope}"), scope).await;
        let read = app
            .call_with_token(&token, zapys_testkit::reqwest::Method::GET, &format!("/api/users/{olena}/notes"), None)
            .await;
        assert_eq!(read.status, StatusCode::FORBIDDEN, "a {scope} token does not read private notes");
    }

    assert_eq!(app.delete(&format!("/api/users/{olena}")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/users/{olena}/notes")).await.status, StatusCode::NOT_FOUND);
}
