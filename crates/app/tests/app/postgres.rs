//! Zapys on PostgreSQL as an operator meets it: choosing it, moving a business onto it, backing it
//! up. Skipped (with a line saying so) where PostgreSQL is not installed.

use zapys_testkit::reqwest::StatusCode;
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::{spawn_app, test_config};

const DATA_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// Runs `zapys <args>` with exactly these variables; answers the exit code, stdout and stderr.
fn zapys(args: &[&str], vars: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_zapys"));
    command.current_dir(dir.path()).env_clear().env("ZAPYS_ADDR", "127.0.0.1:0").args(args);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("the binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[tokio::test]
async fn a_postgres_url_needs_a_shared_data_key_and_never_shows_its_password() {
    let Some(cluster) = zapys_pg_test::cluster().await else { return };
    let url = cluster.fresh_database().await;
    let (code, _, stderr) = zapys(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(code.is_some_and(|c| c != 0));
    assert!(stderr.contains("ZAPYS_DATA_KEY") && stderr.contains("same"), "{stderr}");

    let (code, stdout, stderr) = zapys(&["migrate"], &[("DATABASE_URL", &url), ("ZAPYS_DATA_KEY", DATA_KEY)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("is up to date"), "{stdout}");

    let wrong = url.replacen("postgres@", "postgres:hunter2-secret@", 1).replace("/zapys_", "/no_such_db_");
    let (code, _, stderr) = zapys(&["migrate"], &[("DATABASE_URL", &wrong), ("ZAPYS_DATA_KEY", DATA_KEY)]);
    assert!(code.is_some_and(|c| c != 0));
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "the password is never printed: {stderr}");
}

/// What an owner sees of their business, read through the API.
async fn business(app: &zapys_testkit::TestApp) -> Vec<Value> {
    let mut seen = Vec::new();
    for path in ["/api/services", "/api/staff", "/api/users", "/api/appointments?status=all", "/api/settings"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {reply:?}");
        seen.push(reply.body);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_data_moves_a_business_from_sqlite_to_postgres_with_its_ids_and_key() {
    let Some(cluster) = zapys_pg_test::cluster().await else { return };
    let mut sqlite = spawn_app().await;
    let haircut = sqlite.service("Стрижка", 60).await;
    let olena = sqlite.client("Олена Коваль", "+380671234567", Some(1001)).await;
    let ten = sqlite.slot("2026-03-03", "10:00").await;
    let eleven = sqlite.slot("2026-03-03", "11:00").await;
    let booked = sqlite.book(olena, haircut, ten).await;
    sqlite.post(&format!("/api/appointments/{booked}/confirm"), json!({})).await;
    let mut settings = sqlite.get("/api/settings").await.body;
    settings["business_name"] = json!("Весна");
    assert_eq!(sqlite.put("/api/settings", settings).await.status, StatusCode::OK);
    let before = business(&sqlite).await;
    sqlite.stop().await;

    let from = sqlite.config().database_url.clone();
    let to = cluster.fresh_database().await;
    let copied = zapys::copy_data::copy(sqlite.config(), &from, &to).await.expect("copies");
    assert!(copied.rows.iter().any(|(table, rows)| *table == "appointments" && *rows == 1), "{copied:?}");

    // The same business on PostgreSQL, under the same data key: names open, ids are kept.
    let mut config = test_config(to.clone());
    config.data_key = sqlite.config().data_key.clone();
    let postgres = zapys_testkit::start_app(config).await;
    assert_eq!(business(&postgres).await, before);
    // New rows continue after the copied ids.
    let later = postgres.book(olena, haircut, eleven).await;
    assert!(later > booked, "{later} after {booked}");

    let again = zapys::copy_data::copy(sqlite.config(), &from, &to).await.expect_err("the target holds data now");
    assert!(again.to_string().contains("already holds data"), "{again}");
}

#[tokio::test]
async fn backup_on_postgres_is_a_pg_dump() {
    let Some(cluster) = zapys_pg_test::cluster().await else { return };
    let url = cluster.fresh_database().await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("zapys.dump");
    let path = format!("{}:/usr/lib/postgresql/15/bin:/usr/bin:/bin", std::env::var("PATH").unwrap_or_default());
    let vars = [("DATABASE_URL", url.as_str()), ("ZAPYS_DATA_KEY", DATA_KEY), ("PATH", path.as_str())];
    let (code, stdout, stderr) = zapys(&["backup", &file.display().to_string()], &vars);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("pg_restore"), "{stdout}");
    let dump = std::fs::read(&file).expect("the dump exists");
    assert!(dump.starts_with(b"PGDMP"), "a pg_dump custom-format archive");

    let no_tools = [("DATABASE_URL", url.as_str()), ("ZAPYS_DATA_KEY", DATA_KEY), ("PATH", "/nonexistent")];
    let (code, _, stderr) = zapys(&["backup", &dir.path().join("other.dump").display().to_string()], &no_tools);
    assert!(code.is_some_and(|c| c != 0));
    assert!(stderr.contains("pg_dump"), "says what to use instead: {stderr}");
}
