//! "Any staff member" benchmark: `cargo bench -p zapys --bench staff`.
//!
//! Ten staff members who all perform one service, each with weekly hours and a lunch break (Mon–Sat
//! 09:00–13:00 and 14:00–19:00), a day off per fortnight as exceptions, a year of half-hour slots
//! generated from those hours, and 3,000 bookings spread over them, in a temporary SQLite database.
//! Measures, in process, the bookable times of the service for "any staff member" over the year
//! (the sweep alone, and through the store with its snapshot), then over HTTP
//! `GET /api/available_dates?service_id=` for "any" with 8 connections: a week (what the bot's
//! calendar and the panel's form ask for) and the whole year. The load generator shares the cores
//! with the server, so the figures are a floor. Options: `--requests N` per scenario (default 800).

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};
use zapys::App;
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Buffers, Color, Duration as ServiceDuration, ExceptionDraft, Language, PersonName, PhoneNumber, ServiceDraft,
    ServiceName, Source, StaffDraft, StaffName, StaffService, Stretch, SystemClock, WeeklyHours,
};
use zapys_store::{BookAt, BookingRequest, GeneratedStart, SlotQuery, Store, bookable_times};

const STAFF: usize = 10;

fn requests() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--requests")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(800)
}

async fn dataset(store: &dyn Store, now: Timestamp) -> anyhow::Result<zapys_domain::ServiceId> {
    let draft = ServiceDraft {
        name: ServiceName::parse("Стрижка")?,
        duration: ServiceDuration::from_minutes(60)?,
        price: None,
        description: String::new(),
        hidden: false,
        buffers: Buffers::from_minutes(0, 10)?,
        rebook_after_days: None,
    };
    let service = store.create_service(&draft).await?.id;
    let tz = store.settings().timezone;
    let today = tz.today(now);
    let time = |h: i8| jiff::civil::time(h, 0, 0, 0);
    let mut stretches = Vec::new();
    for day in 1..=6 {
        stretches.push((day, Stretch::new(time(9), time(13))?));
        stretches.push((day, Stretch::new(time(14), time(19))?));
    }
    let hours = WeeklyHours::new(stretches)?;
    let first = zapys_store::sole_staff_member(store).await?;
    let mut staff = Vec::new();
    for n in 0..STAFF {
        let draft = StaffDraft {
            name: StaffName::parse(&format!("Майстер {n}"))?,
            description: String::new(),
            color: Color::nth(n),
            hidden: false,
            telegram_chat_id: None,
            services: vec![StaffService { service_id: service, duration: None, price: None }],
        };
        let id =
            if n == 0 { store.update_staff(first, &draft).await?.id } else { store.create_staff(&draft).await?.id };
        store.set_weekly_hours(id, &hours).await?;
        for fortnight in 0..26 {
            let day = today.checked_add((fortnight * 14 + (n as i64 % 6) + 1).days())?;
            store.add_exception(id, &ExceptionDraft::new(day, day, Vec::new(), "")?).await?;
        }
        let schedule = store.schedule(id).await?;
        let grid: Vec<GeneratedStart> = schedule
            .grid(today.tomorrow()?, today.checked_add(364.days())?, 30, &tz)
            .iter()
            .map(|g| GeneratedStart { at: g.instant, ends_by: g.ends_by })
            .collect();
        store.generate_slots(id, &grid, None).await?;
        staff.push(id);
    }
    let mut clients = Vec::new();
    for n in 0..300 {
        let draft = ClientDraft {
            telegram_id: None,
            contact: ContactDetails {
                name: PersonName::parse("Клієнт Майстрів")?,
                phone: PhoneNumber::parse(&format!("+38063{n:07}"))?,
            },
            language: Language::Uk,
        };
        clients.push(store.create_client(&draft).await?.id);
    }
    let mut booked = 0;
    for (n, &member) in staff.iter().enumerate() {
        let query = SlotQuery { staff_id: Some(member), newest_first: false, ..Default::default() };
        for (i, slot) in store.slots(&query).await?.items.iter().enumerate().skip(n).step_by(17).take(300) {
            let request = BookingRequest {
                client_id: clients[i % clients.len()],
                service_id: service,
                at: BookAt::Slot(slot.id),
                staff_id: None,
                source: Source::Admin,
                notes: String::new(),
            };
            if store.book(&request, now).await.is_ok() {
                booked += 1;
            }
        }
    }
    eprintln!("dataset: {STAFF} staff, {booked} bookings");
    Ok(service)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}

/// `requests` GETs of `url` with 8 in flight; answers (p50, p99, requests per second, failures).
async fn load(http: &reqwest::Client, cookie: &str, url: &str, requests: usize) -> (Duration, Duration, f64, usize) {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (http, cookie, url, next) = (http.clone(), cookie.to_owned(), url.to_owned(), next.clone());
            tokio::spawn(async move {
                let (mut latencies, mut failures) = (Vec::new(), 0);
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < requests {
                    let sent = Instant::now();
                    match http.get(&url).header("cookie", &cookie).send().await {
                        Ok(response) if response.status().is_success() => {
                            let _ = response.bytes().await;
                        }
                        _ => failures += 1,
                    }
                    latencies.push(sent.elapsed());
                }
                (latencies, failures)
            })
        })
        .collect();
    let (mut all, mut failed) = (Vec::new(), 0);
    for worker in workers {
        if let Ok((latencies, failures)) = worker.await {
            all.extend(latencies);
            failed += failures;
        }
    }
    let elapsed = started.elapsed();
    all.sort();
    (percentile(&all, 0.5), percentile(&all, 0.99), all.len() as f64 / elapsed.as_secs_f64(), failed)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let requests = requests();
    let dir = tempfile::tempdir()?;
    let config = zapys_testkit::test_config(format!("sqlite://{}", dir.path().join("staff.db").display()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app = App::start(&config, listener, Arc::new(SystemClock)).await?;
    let now = Timestamp::now();
    let built = Instant::now();
    let service_id = dataset(app.store.as_ref(), now).await?;
    eprintln!("built in {:.1} s", built.elapsed().as_secs_f64());

    let service = app.store.service(service_id).await?;
    let year_end = now + (366 * 24).hours();
    let members = app.store.staff().await?;
    let windows = app.store.availability(now, year_end).await?;
    let slots: usize = windows.iter().map(|w| w.slots.len()).sum();
    let (mut sweep, mut through_store, mut free) = (Vec::new(), Vec::new(), 0);
    for _ in 0..100 {
        let t = Instant::now();
        free = bookable_times(&service, &members, None, &windows, now).len();
        sweep.push(t.elapsed());
        let t = Instant::now();
        app.store.bookable(&service, None, now, year_end).await?;
        through_store.push(t.elapsed());
    }

    let base = format!("http://{}", app.addr);
    let http = reqwest::Client::builder().pool_max_idle_per_host(8).build()?;
    let login = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": zapys_testkit::ADMIN_USER, "password": zapys_testkit::ADMIN_PASSWORD}))
        .send()
        .await?;
    let cookie = login.headers()["set-cookie"].to_str()?.split(';').next().unwrap_or_default().to_owned();
    let tz = app.store.settings().timezone;
    let week_from = zapys_domain::time::format_date(tz.today(now).tomorrow()?);
    let week_to = zapys_domain::time::format_date(tz.today(now).checked_add(7.days())?);
    let week = format!("{base}/api/available_dates?service_id={}&from={week_from}&to={week_to}", service_id.0);
    let year = format!("{base}/api/available_dates?service_id={}", service_id.0);
    let week_answer: serde_json::Value = http.get(&week).header("cookie", &cookie).send().await?.json().await?;

    println!(
        "\"Any staff member\", {STAFF} staff, a year of half-hour slots from their hours ({slots} slots, {free} \
         bookable): sweep alone median {:.3} ms; through the store (snapshot, hours to spans) median {:.3} ms \
         (100 runs).",
        median(sweep).as_secs_f64() * 1000.0,
        median(through_store).as_secs_f64() * 1000.0
    );
    println!("\n| request (8 connections) | requests | req/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|");
    for (name, url, n) in [
        (format!("GET /api/available_dates?service_id= a week ({} times)", week_answer["total"]), week, requests),
        (format!("GET /api/available_dates?service_id= the year ({free} times)"), year, requests / 8),
    ] {
        let (p50, p99, rate, failed) = load(&http, &cookie, &url, n).await;
        println!(
            "| {name} | {n} | {rate:.0} | {:.2} | {:.2} | {failed} |",
            p50.as_secs_f64() * 1000.0,
            p99.as_secs_f64() * 1000.0
        );
    }
    app.stop().await?;
    Ok(())
}
