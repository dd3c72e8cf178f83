//! API benchmark: `cargo xtask bench` (or `cargo bench -p zapys --bench api`).
//!
//! Builds the dataset of the booking-core issue — 20 services, a year of
//! hourly slots in working hours (~4,000), 2,000 clients and 1,500 bookings —
//! in a temporary SQLite database, starts the real app on a loopback port and
//! measures requests per second and p50/p99 latency of the main routes with
//! concurrent clients, and the time to compute a service's bookable times for
//! a year. The load generator runs on the same cores as the server, so the
//! figures are a floor. Options: `--concurrency N` (default 32), `--requests N`
//! per scenario (default 4000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};
use serde_json::{Value, json};
use zapys::{App, Config};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Duration as ServiceDuration, Language, PersonName, PhoneNumber, ServiceDraft, ServiceName, Source, SystemClock,
    WorkingHours,
};
use zapys_store::{BookingRequest, SlotQuery, Store, bookable_times};

const PASSWORD: &str = zapys_testkit::ADMIN_PASSWORD;

struct Options {
    concurrency: usize,
    requests: usize,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    Options { concurrency: value("--concurrency", 32), requests: value("--requests", 4000) }
}

fn config(database: &std::path::Path) -> Config {
    zapys_testkit::test_config(format!("sqlite://{}", database.display()))
}

/// Fills the store through its public interface; answers the ids of services and free slot candidates.
async fn dataset(store: &dyn Store, now: Timestamp) -> anyhow::Result<Vec<i64>> {
    let mut services = Vec::new();
    for n in 0..20 {
        let draft = ServiceDraft {
            name: ServiceName::parse(&format!("Послуга {n}"))?,
            duration: ServiceDuration::from_minutes([30, 45, 60, 90, 120][n % 5])?,
            price: None,
            description: String::new(),
            hidden: false,
            buffers: zapys_domain::Buffers::NONE,
            rebook_after_days: None,
        };
        services.push(store.create_service(&draft).await?.id);
    }
    let tz = store.settings().timezone;
    let today = tz.today(now);
    let year = WorkingHours::new(
        today.tomorrow()?,
        today.checked_add(364.days())?,
        &[1, 2, 3, 4, 5, 6],
        jiff::civil::time(8, 0, 0, 0),
        jiff::civil::time(21, 0, 0, 0),
        60,
    )?;
    let grid: Vec<_> = year
        .starts(&tz)
        .into_iter()
        .map(|s| zapys_store::GeneratedStart { at: s.instant, ends_by: s.ends_by })
        .collect();
    store.generate_slots(zapys_store::sole_staff_member(store).await?, &grid, None).await?;

    let mut clients = Vec::new();
    for n in 0..2000 {
        let draft = ClientDraft {
            telegram_id: Some(zapys_domain::TelegramId(10_000_000 + n)),
            contact: ContactDetails {
                name: PersonName::parse(&format!("Клієнт Номер {n}"))?,
                phone: PhoneNumber::parse(&format!("+38067{n:07}"))?,
            },
            language: Language::Uk,
        };
        clients.push(store.create_client(&draft).await?.id);
    }
    let slots = store.slots(&SlotQuery::default()).await?.items;
    let mut booked = 0;
    for (n, slot) in slots.iter().enumerate().skip(1) {
        if booked == 1500 {
            break;
        }
        if n % 2 == 0 {
            let request = BookingRequest {
                client_id: clients[booked % clients.len()],
                service_id: services[0],
                at: zapys_store::BookAt::Slot(slot.id),
                staff_id: None,
                source: Source::Admin,
                notes: String::new(),
            };
            store.book(&request, now).await?;
            booked += 1;
        }
    }
    Ok(services.into_iter().map(|s| s.0).collect())
}

struct Measured {
    name: String,
    requests: usize,
    failures: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Measured {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
    }

    fn row(&self) -> String {
        format!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {} |",
            self.name,
            self.requests,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.percentile(0.50).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0,
            self.failures
        )
    }
}

/// Sends `requests` requests made by `make(i)` with `concurrency` in flight.
async fn load<F>(name: &str, options: &Options, make: F) -> Measured
where
    F: Fn(usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let total = options.requests;
    let started = Instant::now();
    let workers: Vec<_> = (0..options.concurrency)
        .map(|_| {
            let (make, next) = (make.clone(), next.clone());
            tokio::spawn(async move {
                let (mut latencies, mut failures) = (Vec::new(), 0);
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let sent = Instant::now();
                    match make(i).send().await {
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
    let (mut latencies, mut failures) = (Vec::new(), 0);
    for worker in workers {
        let (l, f) = worker.await.expect("worker");
        latencies.extend(l);
        failures += f;
    }
    Measured { name: name.into(), requests: total, failures, elapsed: started.elapsed(), latencies }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options();
    let dir = tempfile::tempdir()?;
    let config = config(&dir.path().join("bench.db"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app = App::start(&config, listener, Arc::new(SystemClock)).await?;
    let now = Timestamp::now();
    let built = Instant::now();
    let services = dataset(app.store.as_ref(), now).await?;
    let slot_count = app.store.slots(&SlotQuery::default()).await?.total;
    eprintln!(
        "dataset: 20 services, {slot_count} slots, 2000 clients, 1500 bookings (built in {:.1} s)",
        built.elapsed().as_secs_f64()
    );

    // A year of bookable times for one service, in process.
    let service = app.store.service(zapys_domain::ServiceId(services[3])).await?;
    let year_end = now + (366 * 24).hours();
    let members = app.store.staff().await?;
    let windows = app.store.availability(now, year_end).await?;
    let mut sweep = Vec::new();
    let mut with_fetch = Vec::new();
    let mut free = 0;
    for _ in 0..200 {
        let t = Instant::now();
        free = bookable_times(&service, &members, None, &windows, now).len();
        sweep.push(t.elapsed());
        let t = Instant::now();
        app.store.bookable(&service, None, now, year_end).await?;
        with_fetch.push(t.elapsed());
    }

    let base = format!("http://{}", app.addr);
    let http = reqwest::Client::builder().pool_max_idle_per_host(options.concurrency).build()?;
    let login = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": zapys_testkit::ADMIN_USER, "password": PASSWORD}))
        .send()
        .await?;
    let cookie = login.headers()["set-cookie"].to_str()?.split(';').next().unwrap_or_default().to_owned();

    let get = |path: String| {
        let (http, cookie, url) = (http.clone(), cookie.clone(), format!("{base}{path}"));
        move |_: usize| http.get(&url).header("cookie", &cookie)
    };
    let today = zapys_domain::time::format_date(app.store.settings().timezone.today(now));
    let mut results = vec![
        load(
            "GET /api/appointments (all 1,500, the original answer)",
            &Options { requests: options.requests / 10, ..options },
            get("/api/appointments".into()),
        )
        .await,
        load("GET /api/appointments?limit=50 (a page)", &options, get("/api/appointments?limit=50".into())).await,
        load(
            &format!("GET /api/available_dates?service_id= (a year, {free} times)"),
            &Options { requests: options.requests / 10, ..options },
            get(format!("/api/available_dates?service_id={}", services[3])),
        )
        .await,
        load(
            "GET /api/available_dates?service_id=&from=&to= (a week)",
            &options,
            get(format!(
                "/api/available_dates?service_id={}&from={today}&to={}",
                services[3],
                zapys_domain::time::format_date(app.store.settings().timezone.today(now + (7 * 24).hours()))
            )),
        )
        .await,
    ];

    // Bookings on free times, each by a different client.
    let free_page: Value = http
        .get(format!("{base}/api/available_dates?service_id={}&order=asc", services[0]))
        .header("cookie", &cookie)
        .send()
        .await?
        .json()
        .await?;
    let free_slots: Vec<i64> = free_page["available_dates"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["id"].as_i64()).collect())
        .unwrap_or_default();
    let posts = free_slots.len().min(options.requests / 2);
    let (post_http, post_cookie, post_url, service0) =
        (http.clone(), cookie.clone(), format!("{base}/api/appointments"), services[0]);
    let slots_for_posts = Arc::new(free_slots);
    results.push(
        load("POST /api/appointments (a booking)", &Options { requests: posts, ..options }, move |i| {
            post_http
                .post(&post_url)
                .header("cookie", &post_cookie)
                .json(&json!({"user_id": (i % 2000) + 1, "service_id": service0, "date_id": slots_for_posts[i]}))
        })
        .await,
    );

    println!(
        "\n### Zapys API benchmark ({} concurrent clients, load generator on the same machine)\n",
        options.concurrency
    );
    println!("| request | requests | req/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|");
    for measured in &mut results {
        println!("{}", measured.row());
    }
    println!(
        "\nBookable times of a {}-minute service for a year, every staff member who performs it ({} staff, \
         {} slots, {} busy spans, {free} free): sweep alone median {:.3} ms; through the store's snapshot \
         median {:.3} ms (200 runs).",
        service.duration.minutes(),
        windows.len(),
        windows.iter().map(|w| w.slots.len()).sum::<usize>(),
        windows.iter().map(|w| w.busy.len()).sum::<usize>(),
        median(sweep).as_secs_f64() * 1000.0,
        median(with_fetch).as_secs_f64() * 1000.0
    );
    let total_bookings = app.store.appointments(&Default::default()).await?.total;
    println!("Bookings in the database afterwards: {total_bookings} (1,500 + {posts} posted).");
    app.stop().await?;
    Ok(())
}
