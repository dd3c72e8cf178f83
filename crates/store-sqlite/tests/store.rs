//! The SQLite store against the shared conformance suite, plus what only a file on disk can show.

use zapys_domain::BusinessTime;
use zapys_store::DataCipher;
use zapys_store_sqlite::{OpenOptions, SqliteStore};

async fn temporary_store() -> SqliteStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = dir.path().join("zapys.db").display().to_string();
    SqliteStore::open(OpenOptions {
        url,
        cipher: DataCipher::random(),
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
    let first =
        SqliteStore::open(OpenOptions { url: url.clone(), cipher: DataCipher::random(), timezone: timezone.clone() })
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
        store.set_telegram_token(Some("987654:Unique-Bot-Token")).await.expect("saved");
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
        assert!(!contains("Unique-Bot-Token"), "the bot token is in the file");
    }

    #[tokio::test]
    async fn the_schema_refuses_overlaps_even_when_the_application_does_not_check() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let store = SqliteStore::open(OpenOptions {
            url: path.display().to_string(),
            cipher: DataCipher::random(),
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
        sqlx::query("INSERT INTO staff (id, name, color, created_at) VALUES (2, 'Second', '#000000', 0)")
            .execute(&pool)
            .await
            .expect("a second staff member");
        let start = Timestamp::now().as_second();
        // The staff member's time (blocked_*) is what the guard compares; the visit lies inside it.
        let insert = |staff: i64, from: i64, to: i64, status: &'static str| {
            sqlx::query(
                "INSERT INTO appointments (client_id, service_id, staff_id, starts_at, ends_at, blocked_from,
                     blocked_until, status, source, created_at, updated_at, cancelled_at)
                 VALUES (1, 1, ?, ?, ?, ?, ?, ?, 'api', 0, 0, CASE WHEN ? = 'cancelled' THEN 0 END)",
            )
            .bind(staff)
            .bind(from)
            .bind(to)
            .bind(from)
            .bind(to)
            .bind(status)
            .bind(status)
            .execute(&pool)
        };
        let hour = 1.hour().total(jiff::Unit::Second).expect("whole") as i64;
        insert(1, start, start + 2 * hour, "pending").await.expect("the first booking");
        let overlapping = insert(1, start + hour, start + 2 * hour, "confirmed").await;
        assert!(overlapping.is_err_and(|e| e.to_string().contains("overlapping")), "an overlap is refused");
        insert(2, start + hour, start + 2 * hour, "confirmed").await.expect("another staff member's time is theirs");
        insert(1, start + hour, start + 2 * hour, "cancelled").await.expect("a cancelled one holds no time");
        insert(1, start + 2 * hour, start + 3 * hour, "pending").await.expect("touching is fine");
        let reassign = sqlx::query("UPDATE appointments SET staff_id = 1 WHERE staff_id = 2").execute(&pool).await;
        assert!(reassign.is_err(), "moving a booking onto a staff member's taken time is refused");
        let buffer = sqlx::query(
            "UPDATE appointments SET blocked_until = blocked_until + 600 WHERE staff_id = 1 AND starts_at = ?",
        )
        .bind(start)
        .execute(&pool)
        .await;
        assert!(buffer.is_err(), "a buffer running into the next booking is refused too");
        let revive =
            sqlx::query("UPDATE appointments SET status = 'pending', cancelled_at = NULL WHERE status = 'cancelled'")
                .execute(&pool)
                .await;
        assert!(revive.is_err(), "reviving a cancelled booking onto taken time is refused");
    }
}

/// Sealing, keys and what the files on disk hold.
mod at_rest {
    use jiff::Timestamp;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool};
    use zapys_domain::client::{ClientDraft, ContactDetails};
    use zapys_domain::{
        Actor, AppointmentId, ClientId, Duration, Language, PersonName, PhoneNumber, ServiceDraft, ServiceName, Source,
        Transition,
    };
    use zapys_store::{BookingRequest, DataCipher, NoticeQuery, Store};
    use zapys_store_sqlite::{OpenOptions, SqliteStore};

    use super::BusinessTime;

    async fn open(path: &std::path::Path, cipher: &DataCipher) -> zapys_store::Result<SqliteStore> {
        SqliteStore::open(OpenOptions {
            url: path.display().to_string(),
            cipher: cipher.clone(),
            timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
        })
        .await
    }

    /// The database file and its WAL, as anyone who copies them would see them.
    fn raw_bytes(path: &std::path::Path) -> Vec<u8> {
        let mut bytes = std::fs::read(path).expect("readable");
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if let Ok(more) = std::fs::read(wal) {
            bytes.extend(more);
        }
        bytes
    }

    fn holds(bytes: &[u8], text: &str) -> bool {
        bytes.windows(text.len()).any(|w| w == text.as_bytes())
    }

    async fn client(store: &SqliteStore, name: &str, phone: &str, telegram: i64) -> ClientId {
        let draft = ClientDraft {
            telegram_id: Some(zapys_domain::TelegramId(telegram)),
            contact: ContactDetails {
                name: PersonName::parse(name).expect("valid"),
                phone: PhoneNumber::parse(phone).expect("valid"),
            },
            language: Language::Uk,
        };
        store.create_client(&draft).await.expect("created").id
    }

    /// A client with a booking that carries notes and was cancelled with a reason.
    async fn cancelled_booking(store: &SqliteStore, client: ClientId, notes: &str, reason: &str) -> AppointmentId {
        let service = store
            .create_service(&ServiceDraft {
                name: ServiceName::parse("Стрижка").expect("valid"),
                duration: Duration::from_minutes(60).expect("valid"),
                price: None,
                description: String::new(),
                hidden: false,
                buffers: zapys_domain::Buffers::NONE,
                rebook_after_days: None,
            })
            .await
            .expect("created");
        let now = Timestamp::now();
        let staff = zapys_store::sole_staff_member(store).await.expect("one");
        let slot = store.create_slot(staff, now + jiff::SignedDuration::from_hours(48)).await.expect("slot").id;
        let request = BookingRequest {
            client_id: client,
            service_id: service.id,
            at: zapys_store::BookAt::Slot(slot),
            staff_id: None,
            source: Source::Admin,
            notes: notes.into(),
        };
        let id = store.book(&request, now).await.expect("booked").appointment.id;
        let cancel = Transition::Cancel { reason: Some(reason.into()) };
        store.transition(id, &cancel, Actor::Client, now).await.expect("cancelled");
        id
    }

    #[tokio::test]
    async fn notes_reasons_details_and_conversations_are_sealed_on_disk() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let store = open(&path, &DataCipher::random()).await.expect("opens");
        let olena = client(&store, "Олена Коваль", "+380671234567", 501).await;
        let id = cancelled_booking(&store, olena, "Алергія на аміак", "Лікарняний у Дзвенислави").await;
        store
            .save_conversation(502, r#"{"step":"ask_phone","name":"Зоряна Покинута"}"#, Timestamp::now())
            .await
            .expect("saved");

        let seen = store.appointment(id).await.expect("reads");
        assert_eq!(seen.appointment.notes, "Алергія на аміак");
        assert_eq!(seen.appointment.cancellation.and_then(|c| c.reason).as_deref(), Some("Лікарняний у Дзвенислави"));
        let events = store.appointment_events(id).await.expect("reads");
        assert!(events.iter().any(|e| e.detail.as_deref() == Some("Лікарняний у Дзвенислави")));
        let notices = store.notices(&NoticeQuery::default()).await.expect("reads");
        assert!(notices.items.iter().any(|n| n.detail.as_deref() == Some("Лікарняний у Дзвенислави")));
        assert!(store.conversation(502).await.expect("reads").is_some_and(|s| s.contains("Зоряна Покинута")));

        let bytes = raw_bytes(&path);
        for secret in ["Алергія", "Дзвенислави", "Зоряна Покинута"] {
            assert!(!holds(&bytes, secret), "{secret:?} is readable in the database files");
        }
        store.close().await;
        let bytes = raw_bytes(&path);
        for secret in ["Алергія", "Дзвенислави", "Зоряна Покинута"] {
            assert!(!holds(&bytes, secret), "{secret:?} is readable in the database file after a checkpoint");
        }
    }

    #[tokio::test]
    async fn a_sealed_value_copied_to_another_row_does_not_open() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let store = open(&path, &DataCipher::random()).await.expect("opens");
        let a = client(&store, "Олена Коваль", "+380671234567", 501).await;
        let b = client(&store, "Петро Мельник", "+380671234568", 502).await;
        let pool = SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("connects");
        sqlx::query("UPDATE clients SET name_sealed = (SELECT name_sealed FROM clients WHERE id = ?) WHERE id = ?")
            .bind(a.0)
            .bind(b.0)
            .execute(&pool)
            .await
            .expect("copied");
        assert!(store.client(a).await.is_ok());
        let error = store.client(b).await.expect_err("a's name does not open as b's");
        assert!(error.to_string().contains("cannot be decrypted"), "{error}");
    }

    #[tokio::test]
    async fn rekey_reseals_everything_and_the_old_key_is_refused() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let (old, new) = (DataCipher::random(), DataCipher::random());
        let store = open(&path, &old).await.expect("opens");
        let olena = client(&store, "Олена Коваль", "+380671234567", 501).await;
        let id = cancelled_booking(&store, olena, "Алергія на аміак", "Лікарняний").await;
        store.save_conversation(502, r#"{"step":"ready"}"#, Timestamp::now()).await.expect("saved");
        store
            .create_webhook(
                "https://example.test/hook",
                "whsec_1",
                &["appointment.created".into()],
                &[],
                Timestamp::now(),
            )
            .await
            .expect("created");
        store.set_telegram_token(Some("123:bot-token")).await.expect("saved");

        let resealed = store.rekey(&new).await.expect("re-keys");
        assert!(resealed >= 8, "names, phones, notes, reasons, details, conversation, secret: {resealed}");

        let error = open(&path, &old).await.expect_err("the old key is refused");
        assert!(error.to_string().contains("data key"), "{error}");
        let store = open(&path, &new).await.expect("the new key opens it");
        let client = store.client(olena).await.expect("reads");
        assert_eq!(client.contact.map(|c| c.name.as_str().to_owned()).as_deref(), Some("Олена Коваль"));
        let seen = store.appointment(id).await.expect("reads");
        assert_eq!(seen.appointment.notes, "Алергія на аміак");
        assert!(store.appointment_events(id).await.expect("reads").iter().any(|e| e.detail.is_some()));
        assert!(store.notices(&NoticeQuery::default()).await.expect("reads").items.iter().any(|n| n.detail.is_some()));
        assert_eq!(store.conversation(502).await.expect("reads").as_deref(), Some(r#"{"step":"ready"}"#));
        let hook = store.webhooks().await.expect("reads")[0].id;
        assert_eq!(store.webhook_target(hook).await.expect("reads").map(|t| t.secret).as_deref(), Some("whsec_1"));
        assert_eq!(store.telegram_token().await.expect("reads").as_deref(), Some("123:bot-token"));
    }

    #[tokio::test]
    async fn an_interrupted_rekey_leaves_the_database_under_the_old_key() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let old = DataCipher::random();
        let store = open(&path, &old).await.expect("opens");
        let first = client(&store, "Олена Коваль", "+380671234567", 501).await;
        let second = client(&store, "Петро Мельник", "+380671234568", 502).await;
        let last = client(&store, "Ірина Бойко", "+380671234569", 503).await;
        // The last client's phone no longer opens, so the rekey fails after
        // it has re-sealed the rows before it.
        let pool = SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("connects");
        sqlx::query("UPDATE clients SET phone_sealed = (SELECT phone_sealed FROM clients WHERE id = ?) WHERE id = ?")
            .bind(first.0)
            .bind(last.0)
            .execute(&pool)
            .await
            .expect("damaged");
        pool.close().await;

        let new = DataCipher::random();
        store.rekey(&new).await.expect_err("a value that does not open stops the rekey");

        assert!(open(&path, &new).await.is_err(), "the new key was never recorded");
        let store = open(&path, &old).await.expect("the old key still opens it");
        for id in [first, second] {
            assert!(store.client(id).await.expect("still readable").contact.is_some());
        }
    }

    /// A database as versions before row-bound sealing left it: the public
    /// key, values bound to their column only, free texts in plain text.
    async fn legacy_database(path: &std::path::Path) {
        let options =
            SqliteConnectOptions::new().filename(path).create_if_missing(true).journal_mode(SqliteJournalMode::Wal);
        let pool = SqlitePool::connect_with(options).await.expect("creates");
        let mut migrator = sqlx::migrate!("./migrations");
        migrator.migrations = migrator.migrations.iter().filter(|m| m.version <= 4).cloned().collect::<Vec<_>>().into();
        migrator.run(&pool).await.expect("the old schema");
        let public = DataCipher::legacy_public();
        let statements: Vec<sqlx::query::Query<'_, sqlx::Sqlite, _>> = vec![
            sqlx::query("INSERT INTO meta (key, value) VALUES ('data_key_fingerprint', ?)")
                .bind(public.fingerprint().to_owned()),
            sqlx::query("INSERT INTO services (id, name, duration_minutes, created_at) VALUES (1, 'Стрижка', 60, 0)"),
            sqlx::query(
                "INSERT INTO clients (id, telegram_id, name_sealed, phone_sealed, phone_index, created_at)
                 VALUES (1, 501, ?, ?, ?, 0)",
            )
            .bind(public.seal_legacy("client.name", "Левко Старенький"))
            .bind(public.seal_legacy("client.phone", "+380671234567"))
            .bind(public.blind_index("+380671234567")),
            sqlx::query(
                "INSERT INTO appointments (id, client_id, service_id, starts_at, ends_at, status, notes, source,
                     cancelled_by, cancelled_at, cancel_reason, created_at, updated_at, scheduled_at)
                 VALUES (1, 1, 1, 3600, 7200, 'cancelled', 'Алергія на аміак', 'bot', 'client', 0,
                         'Лікарняний у Дзвенислави', 0, 0, 0)",
            ),
            sqlx::query(
                "INSERT INTO appointment_events (appointment_id, kind, actor, at, detail)
                 VALUES (1, 'cancelled', 'client', 0, 'Лікарняний у Дзвенислави')",
            ),
            sqlx::query(
                "INSERT INTO outbox (chat_id, kind, appointment_id, starts_at, detail, created_at, due_at)
                 VALUES (501, 'cancelled', 1, 3600, 'Лікарняний у Дзвенислави', 0, 0)",
            ),
            sqlx::query(
                "INSERT INTO bot_conversations (chat_id, state, updated_at)
                 VALUES (502, '{\"step\":\"ask_phone\",\"name\":\"Зоряна Покинута\"}', 0)",
            ),
            sqlx::query(
                "INSERT INTO webhooks (id, url, secret_sealed, events, created_at) VALUES (1, 'https://example.test', ?, '[]', 0)",
            )
            .bind(public.seal_legacy("webhook.secret", "whsec_old")),
        ];
        for statement in statements {
            statement.execute(&pool).await.expect("old data");
        }
        pool.close().await;
        assert!(holds(&raw_bytes(path), "Зоряна Покинута"), "the old format kept it in plain text");
    }

    #[tokio::test]
    async fn a_database_of_an_earlier_version_is_resealed_under_the_real_key_at_start() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        legacy_database(&path).await;

        let key = DataCipher::random();
        let store = open(&path, &key).await.expect("a real key takes over from the public one");
        let client = store.client(ClientId(1)).await.expect("reads");
        assert_eq!(client.contact.map(|c| c.name.as_str().to_owned()).as_deref(), Some("Левко Старенький"));
        let seen = store.appointment(AppointmentId(1)).await.expect("reads");
        assert_eq!(seen.appointment.notes, "Алергія на аміак");
        assert_eq!(seen.appointment.cancellation.and_then(|c| c.reason).as_deref(), Some("Лікарняний у Дзвенислави"));
        let events = store.appointment_events(AppointmentId(1)).await.expect("reads");
        assert_eq!(events[0].detail.as_deref(), Some("Лікарняний у Дзвенислави"));
        let notices = store.notices(&NoticeQuery::default()).await.expect("reads");
        assert_eq!(notices.items[0].detail.as_deref(), Some("Лікарняний у Дзвенислави"));
        assert!(store.conversation(502).await.expect("reads").is_some_and(|s| s.contains("Зоряна Покинута")));
        assert_eq!(store.webhook_target(1).await.expect("reads").map(|t| t.secret).as_deref(), Some("whsec_old"));
        store.close().await;

        let bytes = raw_bytes(&path);
        for plain in ["Алергія", "Дзвенислави", "Зоряна Покинута"] {
            assert!(!holds(&bytes, plain), "{plain:?} is still readable in the upgraded file");
        }
        let stored = SqliteStore::stored_key_fingerprint(&path.display().to_string()).await.expect("reads");
        assert_eq!(stored.as_deref(), Some(key.fingerprint()), "the public key is gone for good");
        assert!(open(&path, &DataCipher::legacy_public()).await.is_err());
        assert!(open(&path, &key).await.is_ok(), "and the upgrade happens once");
    }
}

/// Upgrading a database made before staff existed.
mod upgrade {
    use jiff::Timestamp;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
    use zapys_domain::{Actor, BookingRefusal, ServiceId, SlotId, Source, Transition};
    use zapys_store::{BookAt, BookingRequest, DataCipher, SlotQuery, Store, StoreError};
    use zapys_store_sqlite::{OpenOptions, SqliteStore};

    use super::BusinessTime;

    /// The schema of the release before staff: every migration before 0010.
    async fn previous_release(path: &std::path::Path) -> SqlitePool {
        let options = SqliteConnectOptions::new().filename(path).create_if_missing(true).foreign_keys(true);
        let pool = SqlitePool::connect_with(options).await.expect("creates");
        let mut migrator = sqlx::migrate!("./migrations");
        migrator.migrations = migrator.migrations.iter().filter(|m| m.version < 10).cloned().collect::<Vec<_>>().into();
        migrator.run(&pool).await.expect("the previous schema");
        pool
    }

    #[tokio::test]
    async fn a_database_from_before_staff_gets_one_staff_member_holding_everything() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("zapys.db");
        let pool = previous_release(&path).await;
        let start = Timestamp::now().as_second() + 7 * 86_400;
        for sql in [
            "INSERT INTO services (id, name, duration_minutes, price_cents, created_at) VALUES (1, 'Стрижка', 60, 50000, 0)",
            "INSERT INTO services (id, name, duration_minutes, created_at) VALUES (2, 'Фарбування', 120, 0)",
            "INSERT INTO services (id, name, duration_minutes, created_at, deleted_at) VALUES (3, 'Стара', 30, 0, 1)",
            // An erased client: no sealed values, so the test needs no data key.
            "INSERT INTO clients (id, language, erased_at, created_at) VALUES (1, 'uk', 0, 0)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        for n in 0..3 {
            sqlx::query("INSERT INTO slots (id, starts_at, created_at) VALUES (?, ?, 0)")
                .bind(n + 1)
                .bind(start + n * 3600)
                .execute(&pool)
                .await
                .expect("slot");
        }
        sqlx::query(
            "INSERT INTO appointments (id, client_id, service_id, slot_id, starts_at, ends_at, status, source,
                 price_cents, created_at, updated_at, scheduled_at)
             VALUES (1, 1, 1, 1, ?, ?, 'confirmed', 'bot', 50000, 0, 0, 0)",
        )
        .bind(start)
        .bind(start + 3600)
        .execute(&pool)
        .await
        .expect("a booking");
        pool.close().await;

        let store = SqliteStore::open(OpenOptions {
            url: path.display().to_string(),
            cipher: DataCipher::random(),
            timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
        })
        .await
        .expect("the upgrade runs at open");
        let staff = store.staff().await.expect("lists");
        assert_eq!(staff.len(), 1, "one staff member");
        let only = &staff[0];
        let performed: Vec<ServiceId> = only.services.iter().map(|s| s.service_id).collect();
        assert_eq!(performed, [ServiceId(1), ServiceId(2)], "every service still offered; not the deleted one");
        let slots = store.slots(&SlotQuery::default()).await.expect("lists").items;
        assert_eq!(slots.len(), 3);
        assert!(slots.iter().all(|s| s.staff_id == only.id), "they hold every slot");
        assert!(slots.iter().any(|s| s.id == SlotId(1) && s.reserved));
        let booking = store.appointment(zapys_domain::AppointmentId(1)).await.expect("kept");
        assert_eq!(booking.appointment.staff_id, only.id);
        assert_eq!(booking.staff_name, only.name.as_str());
        assert_eq!(booking.price.map(zapys_domain::Price::cents), Some(50000), "history keeps its price");

        // What worked before keeps working without naming anyone, and the guard still holds.
        assert_eq!(zapys_store::sole_staff_member(&store).await.expect("one"), only.id);
        let haircut = store.service(ServiceId(1)).await.expect("there");
        let free = store
            .bookable(&haircut, None, Timestamp::now(), Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30))
            .await
            .expect("reads");
        assert_eq!(free.iter().map(|t| t.slot_id).collect::<Vec<_>>(), [SlotId(2), SlotId(3)]);
        let draft = zapys_domain::ClientDraft {
            telegram_id: None,
            contact: zapys_domain::ContactDetails {
                name: zapys_domain::PersonName::parse("Олена Коваль").expect("valid"),
                phone: zapys_domain::PhoneNumber::parse("+380671234567").expect("valid"),
            },
            language: zapys_domain::Language::Uk,
        };
        let olena = store.create_client(&draft).await.expect("created");
        let again = BookingRequest {
            client_id: olena.id,
            service_id: ServiceId(1),
            at: BookAt::Slot(SlotId(1)),
            staff_id: None,
            source: Source::Admin,
            notes: String::new(),
        };
        let refused = store.book(&again, Timestamp::now()).await;
        assert!(matches!(refused, Err(StoreError::Refused(BookingRefusal::Taken))), "{refused:?}");
        store
            .transition(
                zapys_domain::AppointmentId(1),
                &Transition::Cancel { reason: None },
                Actor::Admin,
                Timestamp::now(),
            )
            .await
            .expect("cancels as before");
    }
}
