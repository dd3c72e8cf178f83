//! The PostgreSQL store against the shared conformance suite, plus what only
//! the server itself can show: the schema refuses double booking from any
//! connection, whatever the application does. Each check gets a fresh database
//! on the test cluster (`zapys_pg_test`); without PostgreSQL they are skipped.

use zapys_domain::BusinessTime;
use zapys_store::DataCipher;
use zapys_store_postgres::{OpenOptions, PostgresStore};

/// A migrated store on a fresh, empty database, and its URL; `None` when PostgreSQL is not available.
async fn fresh() -> Option<(PostgresStore, String)> {
    let cluster = zapys_pg_test::cluster().await?;
    let url = cluster.fresh_database().await;
    let store = PostgresStore::open(OpenOptions {
        url: url.clone(),
        cipher: DataCipher::random(),
        timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
    })
    .await
    .expect("opens");
    Some((store, url))
}

async fn fresh_store() -> Option<PostgresStore> {
    fresh().await.map(|(store, _)| store)
}

zapys_store::conformance_suite!(optional fresh_store(), "PostgreSQL not available");

#[tokio::test]
async fn a_database_opened_with_another_key_is_refused() {
    let Some(cluster) = zapys_pg_test::cluster().await else {
        eprintln!("skipped: PostgreSQL not available");
        return;
    };
    let url = cluster.fresh_database().await;
    assert_eq!(PostgresStore::stored_key_fingerprint(&url).await.expect("reads"), None, "no schema yet");
    let timezone = BusinessTime::parse("Europe/Kyiv").expect("known zone");
    let first = DataCipher::random();
    let store =
        PostgresStore::open(OpenOptions { url: url.clone(), cipher: first.clone(), timezone: timezone.clone() })
            .await
            .expect("opens");
    store.close().await;
    assert_eq!(PostgresStore::stored_key_fingerprint(&url).await.expect("reads").as_deref(), Some(first.fingerprint()));
    let other = DataCipher::from_base64(&DataCipher::generate_key()).expect("valid key");
    let error = PostgresStore::open(OpenOptions { url, cipher: other, timezone }).await.expect_err("wrong key");
    assert!(error.to_string().contains("ZAPYS_DATA_KEY"), "{error}");
}

#[tokio::test]
async fn backup_says_to_use_pg_dump() {
    let Some(store) = fresh_store().await else {
        eprintln!("skipped: PostgreSQL not available");
        return;
    };
    let error = zapys_store::Store::backup(&store, std::path::Path::new("/nonexistent/zapys.db"))
        .await
        .expect_err("not a SQLite file");
    assert!(error.to_string().contains("pg_dump"), "{error}");
}

/// Raw SQL on connections of their own, in transactions that overlap in time:
/// the exclusion constraint alone decides, with no application code involved.
mod schema {
    use sqlx::postgres::PgPoolOptions;
    use sqlx::{Connection, PgConnection, PgPool};

    /// A migrated database with two staff members, a service and a client; its pool and URL.
    async fn database() -> Option<(PgPool, String)> {
        let (store, url) = super::fresh().await?;
        store.close().await;
        let pool = PgPoolOptions::new().max_connections(2).connect(&url).await.expect("connects");
        for sql in [
            "INSERT INTO staff (id, name, color, created_at) VALUES (2, 'Second', '#000000', 0)",
            "INSERT INTO services (id, name, duration_minutes, created_at) VALUES (1, 'S', 60, 0)",
            "INSERT INTO clients (id, name_sealed, phone_sealed, created_at) VALUES (1, '\\x00', '\\x00', 0)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        Some((pool, url))
    }

    const INSERT: &str = "INSERT INTO appointments (client_id, service_id, staff_id, starts_at, ends_at, blocked_from,
            blocked_until, status, source, created_at, updated_at, cancelled_at)
        VALUES (1, 1, $1, $2, $3, $2, $3, $4, 'admin', 0, 0, CASE WHEN $4 = 'cancelled' THEN 0 END)";

    /// A connection with an open transaction.
    async fn begin(url: &str) -> PgConnection {
        let mut conn = PgConnection::connect(url).await.expect("connects");
        sqlx::query("BEGIN").execute(&mut conn).await.expect("begins");
        conn
    }

    /// Inserts a booking of `staff` over `[from, to)` inside `conn`'s open transaction.
    async fn insert(conn: &mut PgConnection, staff: i64, from: i64, to: i64, status: &str) -> Result<(), String> {
        sqlx::query(INSERT).bind(staff).bind(from).bind(to).bind(status).execute(conn).await.map(|_| ()).map_err(code)
    }

    async fn commit(conn: &mut PgConnection) -> Result<(), String> {
        sqlx::query("COMMIT").execute(conn).await.map(|_| ()).map_err(code)
    }

    /// The SQLSTATE of a refusal.
    fn code(error: sqlx::Error) -> String {
        match error {
            sqlx::Error::Database(e) => e.code().map(|c| c.into_owned()).unwrap_or_default(),
            other => other.to_string(),
        }
    }

    async fn holding(pool: &PgPool) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE status <> 'cancelled'")
            .fetch_one(pool)
            .await
            .expect("counts")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn overlapping_bookings_of_one_staff_member_from_two_connections_are_refused() {
        let Some((pool, url)) = database().await else {
            eprintln!("skipped: PostgreSQL not available");
            return;
        };
        // The first transaction holds 10:00-11:00, not yet committed; the second inserts
        // 10:30-11:30 for the same staff member, waits for the first, and is refused once it commits.
        let mut first = begin(&url).await;
        insert(&mut first, 1, 36_000, 39_600, "confirmed").await.expect("the first insert is accepted");
        let mut second = begin(&url).await;
        let racing = tokio::spawn(async move {
            insert(&mut second, 1, 37_800, 41_400, "pending").await?;
            commit(&mut second).await
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!racing.is_finished(), "the second waits for the first transaction to end");
        commit(&mut first).await.expect("the first commits");
        assert_eq!(racing.await.expect("joins"), Err("23P01".to_owned()), "exclusion_violation");
        assert_eq!(holding(&pool).await, 1);

        // Back to back is no overlap (the ranges are half-open); a completed visit still holds its time.
        let mut third = begin(&url).await;
        insert(&mut third, 1, 39_600, 43_200, "completed").await.expect("accepted");
        commit(&mut third).await.expect("commits");
        let mut fourth = begin(&url).await;
        assert_eq!(insert(&mut fourth, 1, 42_000, 44_000, "confirmed").await, Err("23P01".to_owned()));
        assert_eq!(holding(&pool).await, 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_same_time_with_two_staff_members_is_accepted() {
        let Some((pool, url)) = database().await else {
            eprintln!("skipped: PostgreSQL not available");
            return;
        };
        let mut first = begin(&url).await;
        insert(&mut first, 1, 36_000, 39_600, "confirmed").await.expect("accepted");
        let mut second = begin(&url).await;
        insert(&mut second, 2, 36_000, 39_600, "confirmed").await.expect("accepted without waiting");
        commit(&mut first).await.expect("commits");
        commit(&mut second).await.expect("commits");
        assert_eq!(holding(&pool).await, 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_booking_holds_no_time() {
        let Some((pool, url)) = database().await else {
            eprintln!("skipped: PostgreSQL not available");
            return;
        };
        let mut first = begin(&url).await;
        insert(&mut first, 1, 36_000, 39_600, "cancelled").await.expect("accepted");
        let mut second = begin(&url).await;
        insert(&mut second, 1, 36_000, 39_600, "pending").await.expect("accepted without waiting");
        commit(&mut first).await.expect("commits");
        commit(&mut second).await.expect("commits");
        assert_eq!(holding(&pool).await, 1);

        // Reviving the cancelled one onto the held time is refused too.
        let revived =
            sqlx::query("UPDATE appointments SET status = 'pending', cancelled_at = NULL WHERE status = 'cancelled'")
                .execute(&pool)
                .await
                .map_err(code);
        assert_eq!(revived.map(|_| ()), Err("23P01".to_owned()));
    }
}

/// Races the shared suite does not run, on decisions that PostgreSQL serialises with row
/// locks (a booking's row, a client's) rather than with SQLite's single writer.
mod races {
    use std::sync::Arc;

    use jiff::{Timestamp, ToSpan};
    use zapys_domain::client::{ClientDraft, ContactDetails};
    use zapys_domain::{
        Actor, BookingRefusal, Color, Duration, Language, PersonName, PhoneNumber, ServiceDraft, ServiceName, Source,
        StaffDraft, StaffName, StaffService, Status, Transition,
    };
    use zapys_store::conformance::now;
    use zapys_store::{BookAt, BookingRequest, Reschedule, Store, StoreError, Target};

    async fn store() -> Option<Arc<dyn Store>> {
        Some(Arc::new(super::fresh_store().await?))
    }

    async fn setup(store: &Arc<dyn Store>, staff: usize) -> (zapys_domain::Service, Vec<zapys_domain::StaffId>) {
        let service = store
            .create_service(&ServiceDraft {
                name: ServiceName::parse("Haircut").expect("valid"),
                duration: Duration::from_minutes(60).expect("valid"),
                price: None,
                description: String::new(),
                hidden: false,
                buffers: zapys_domain::Buffers::NONE,
                rebook_after_days: None,
            })
            .await
            .expect("created");
        let mut members = vec![zapys_store::sole_staff_member(&**store).await.expect("one")];
        for n in 1..staff {
            let draft = StaffDraft {
                name: StaffName::parse(&format!("Member {n}")).expect("valid"),
                description: String::new(),
                color: Color::nth(n),
                hidden: false,
                telegram_chat_id: None,
                services: vec![StaffService { service_id: service.id, duration: None, price: None }],
            };
            members.push(store.create_staff(&draft).await.expect("created").id);
        }
        (service, members)
    }

    async fn client(store: &Arc<dyn Store>, n: i64) -> zapys_domain::ClientId {
        let draft = ClientDraft {
            telegram_id: Some(zapys_domain::TelegramId(5000 + n)),
            contact: ContactDetails {
                name: PersonName::parse(&format!("Client {n}")).expect("valid"),
                phone: PhoneNumber::parse(&format!("+38050{n:07}")).expect("valid"),
            },
            language: Language::Uk,
        };
        store.create_client(&draft).await.expect("created").id
    }

    fn at(hours: i64) -> Timestamp {
        now() + hours.hours()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn twenty_confirmations_of_one_booking_change_it_once() {
        let Some(store) = store().await else {
            eprintln!("skipped: PostgreSQL not available");
            return;
        };
        let (service, staff) = setup(&store, 1).await;
        let slot = store.create_slot(staff[0], at(5)).await.expect("slot").id;
        let client = client(&store, 1).await;
        let request = BookingRequest {
            client_id: client,
            service_id: service.id,
            at: BookAt::Slot(slot),
            staff_id: None,
            source: Source::Bot,
            notes: String::new(),
        };
        let booked = store.book(&request, now()).await.expect("booked");
        assert_eq!(booked.appointment.status, Status::Pending);
        let id = booked.appointment.id;
        let taps: Vec<_> = (0..20)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.transition(id, &Transition::Confirm, Actor::Client, now()).await })
            })
            .collect();
        let mut changed = 0;
        for tap in taps {
            let (view, did) = tap.await.expect("no panic").expect("confirming a confirmed booking is no error");
            assert_eq!(view.appointment.status, Status::Confirmed);
            changed += usize::from(did);
        }
        assert_eq!(changed, 1, "a double tap confirms once");
        let events = store.appointment_events(id).await.expect("reads");
        assert_eq!(events.iter().filter(|e| e.kind == "confirmed").count(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_client_racing_with_every_staff_member_keeps_to_the_limit() {
        let Some(store) = store().await else {
            eprintln!("skipped: PostgreSQL not available");
            return;
        };
        // Ten staff members, so the staff locks do not order these bookings: only the client's does.
        let (service, staff) = setup(&store, 10).await;
        let client = client(&store, 1).await;
        let limit = store.settings().max_active_bookings;
        let mut attempts = Vec::new();
        for (n, member) in staff.iter().enumerate() {
            let slot = store.create_slot(*member, at(5 + i64::try_from(n).expect("small"))).await.expect("slot").id;
            let request = BookingRequest {
                client_id: client,
                service_id: service.id,
                at: BookAt::Slot(slot),
                staff_id: None,
                source: Source::Bot,
                notes: String::new(),
            };
            let store = store.clone();
            attempts.push(tokio::spawn(async move { store.book(&request, now()).await }));
        }
        let mut won = 0;
        for attempt in attempts {
            match attempt.await.expect("no panic") {
                Ok(_) => won += 1,
                Err(StoreError::Refused(BookingRefusal::LimitReached { .. })) => {}
                Err(other) => panic!("only the limit refuses here, got {other:?}"),
            }
        }
        assert_eq!(won, limit, "the client's limit of active bookings holds under a race");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bookings_racing_to_move_onto_one_time_end_with_one_there() {
        let Some(store) = store().await else {
            eprintln!("skipped: PostgreSQL not available");
            return;
        };
        let (service, staff) = setup(&store, 1).await;
        let target = store.create_slot(staff[0], at(30)).await.expect("slot").id;
        let mut ids = Vec::new();
        for n in 0..12 {
            let slot = store.create_slot(staff[0], at(5 + n)).await.expect("slot").id;
            let client = client(&store, n).await;
            let request = BookingRequest {
                client_id: client,
                service_id: service.id,
                at: BookAt::Slot(slot),
                staff_id: None,
                source: Source::Admin,
                notes: String::new(),
            };
            ids.push(store.book(&request, now()).await.expect("booked").appointment.id);
        }
        let moves: Vec<_> = ids
            .iter()
            .map(|&id| {
                let store = store.clone();
                let change = Reschedule {
                    target: Some(Target::Slot(target)),
                    staff_id: None,
                    service_id: None,
                    client_id: None,
                    notes: None,
                    source: Source::Bot,
                    price: None,
                };
                tokio::spawn(async move { store.reschedule(id, &change, now()).await })
            })
            .collect();
        let mut moved = 0;
        for attempt in moves {
            match attempt.await.expect("no panic") {
                Ok(_) => moved += 1,
                Err(StoreError::Refused(BookingRefusal::Taken)) => {}
                Err(other) => panic!("a loser must be told the time is taken, got {other:?}"),
            }
        }
        assert_eq!(moved, 1);
        let there = store.slot(target).await.expect("reads");
        assert!(there.reserved);
    }
}
