//! The SQLite store against the shared conformance suite, plus what only a file on disk can show.

use zapys_domain::BusinessTime;
use zapys_store::DataCipher;
use zapys_store_sqlite::{OpenOptions, SqliteStore};

async fn temporary_store() -> SqliteStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = dir.path().join("zapys.db").display().to_string();
    SqliteStore::open(OpenOptions {
        url,
        cipher: DataCipher::development(),
        timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
    })
    .await
    .expect("opens")
    .keep_alive(dir)
}

zapys_store::conformance_suite!(temporary_store());

#[tokio::test]
async fn a_database_opened_with_another_key_is_refused() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = dir.path().join("zapys.db").display().to_string();
    let timezone = BusinessTime::parse("Europe/Kyiv").expect("known zone");
    let first = SqliteStore::open(OpenOptions {
        url: url.clone(),
        cipher: DataCipher::development(),
        timezone: timezone.clone(),
    })
    .await
    .expect("opens");
    first.close().await;
    let other = DataCipher::from_base64(&DataCipher::generate_key()).expect("valid key");
    let error = SqliteStore::open(OpenOptions { url, cipher: other, timezone }).await.expect_err("wrong key");
    assert!(error.to_string().contains("ZAPYS_DATA_KEY"), "{error}");
}

mod on_disk {
    use super::*;
    use jiff::{Timestamp, ToSpan};
    use zapys_domain::client::{ClientDraft, ContactDetails};
    use zapys_domain::{Language, PersonName, PhoneNumber};
    use zapys_store::Store;

    #[tokio::test]
    async fn the_database_file_holds_no_plain_name_or_phone() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let store = SqliteStore::open(OpenOptions {
            url: path.display().to_string(),
            cipher: DataCipher::from_base64(&DataCipher::generate_key()).expect("valid key"),
            timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
        })
        .await
        .expect("opens");
        let draft = ClientDraft {
            telegram_id: None,
            contact: ContactDetails {
                name: PersonName::parse("Zoryana Unique-Surname").expect("valid"),
                phone: PhoneNumber::parse("+380931234567").expect("valid"),
            },
            language: Language::Uk,
        };
        store.create_client(&draft).await.expect("created");
        store.close().await; // checkpoints the WAL into the main file

        let mut bytes = std::fs::read(&path).expect("readable");
        for extra in ["zapys.db-wal", "zapys.db-shm"] {
            if let Ok(more) = std::fs::read(dir.path().join(extra)) {
                bytes.extend(more);
            }
        }
        let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!contains("380931234567"), "the phone number is in the file");
        assert!(!contains("Unique-Surname"), "the name is in the file");
    }

    #[tokio::test]
    async fn the_schema_refuses_overlaps_even_when_the_application_does_not_check() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let store = SqliteStore::open(OpenOptions {
            url: path.display().to_string(),
            cipher: DataCipher::development(),
            timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
        })
        .await
        .expect("opens");
        store.close().await;

        // Straight SQL, as a careless future change might write it.
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("connects");
        sqlx::query("INSERT INTO services (id, name, duration_minutes, created_at) VALUES (1, 'S', 120, 0)")
            .execute(&pool)
            .await
            .expect("service");
        sqlx::query("INSERT INTO clients (id, name_sealed, phone_sealed, created_at) VALUES (1, x'00', x'00', 0)")
            .execute(&pool)
            .await
            .expect("client");
        let start = Timestamp::now().as_second();
        let insert = |from: i64, to: i64, status: &'static str| {
            sqlx::query(
                "INSERT INTO appointments (client_id, service_id, starts_at, ends_at, status, source, created_at, updated_at, cancelled_at)
                 VALUES (1, 1, ?, ?, ?, 'api', 0, 0, CASE WHEN ? = 'cancelled' THEN 0 END)",
            )
            .bind(from)
            .bind(to)
            .bind(status)
            .bind(status)
            .execute(&pool)
        };
        let hour = 1.hour().total(jiff::Unit::Second).expect("whole") as i64;
        insert(start, start + 2 * hour, "pending").await.expect("the first booking");
        let overlapping = insert(start + hour, start + 2 * hour, "confirmed").await;
        assert!(overlapping.is_err_and(|e| e.to_string().contains("overlapping")), "an overlap is refused");
        insert(start + hour, start + 2 * hour, "cancelled").await.expect("a cancelled one holds no time");
        insert(start + 2 * hour, start + 3 * hour, "pending").await.expect("touching is fine");
        let revive =
            sqlx::query("UPDATE appointments SET status = 'pending', cancelled_at = NULL WHERE status = 'cancelled'")
                .execute(&pool)
                .await;
        assert!(revive.is_err(), "reviving a cancelled booking onto taken time is refused");
    }
}
