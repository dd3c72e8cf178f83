//! Analytics benchmark: `cargo bench -p zapys --bench analytics`.
//!
//! 20,000 bookings over a year (ten-minute bookings in ten-minute slots,
//! 08:00–21:00 every day, 2,000 clients, a mix of statuses and sources), then
//! the year's figures: in process (`Store::analytics`) and through
//! `GET /api/analytics`, each the median of 20 runs. Goal: well under 100 ms.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp, ToSpan};
use zapys::App;
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Actor, Duration as ServiceDuration, Language, PersonName, PhoneNumber, Price, ServiceDraft, ServiceName, Source,
    TelegramId, Transition, WorkingHours,
};
use zapys_store::{BookingRequest, SlotQuery};
use zapys_testkit::TestClock;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let start: Timestamp = "2025-01-01T06:00:00Z".parse()?;
    let clock = Arc::new(TestClock::at(start));
    let config = zapys_testkit::test_config(format!("sqlite://{}", dir.path().join("analytics.db").display()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app = App::start(&config, listener, clock.clone()).await?;
    let store = app.store.clone();
    let tz = store.settings().timezone;

    let built = Instant::now();
    let mut services = Vec::new();
    for n in 0..10 {
        let draft = ServiceDraft {
            name: ServiceName::parse(&format!("Послуга {n}"))?,
            duration: ServiceDuration::from_minutes(10)?,
            price: Some(Price::from_units(100.0 + f64::from(n) * 50.0)?),
            description: String::new(),
            hidden: false,
            buffers: zapys_domain::Buffers::NONE,
            rebook_after_days: None,
        };
        services.push(store.create_service(&draft).await?.id);
    }
    let first_day = tz.today(start).tomorrow()?;
    let hours = WorkingHours::new(
        first_day,
        first_day.checked_add(364.days())?,
        &[1, 2, 3, 4, 5, 6, 7],
        jiff::civil::time(8, 0, 0, 0),
        jiff::civil::time(21, 0, 0, 0),
        10,
    )?;
    let grid: Vec<_> = hours
        .starts(&tz)
        .into_iter()
        .map(|s| zapys_store::GeneratedStart { at: s.instant, ends_by: s.ends_by })
        .collect();
    store.generate_slots(zapys_store::sole_staff_member(&*store).await?, &grid, None).await?;
    let mut clients = Vec::new();
    for n in 0..2000 {
        let draft = ClientDraft {
            telegram_id: Some(TelegramId(9_000_000 + n)),
            contact: ContactDetails {
                name: PersonName::parse("Клієнт Аналітики")?,
                phone: PhoneNumber::parse(&format!("+38067{n:07}"))?,
            },
            language: Language::Uk,
        };
        clients.push(store.create_client(&draft).await?.id);
    }
    let slots = store.slots(&SlotQuery::default()).await?.items;
    let mut booked = 0usize;
    for (i, slot) in slots.iter().enumerate() {
        if booked == 20_000 {
            break;
        }
        if i % 10 == 9 {
            continue; // leave some time free
        }
        // Booked some days ahead, as clients do.
        let made_at = slot.starts_at - SignedDuration::from_hours(1 + (i as i64 % 240));
        let source = if i % 3 == 0 { Source::Bot } else { Source::Admin };
        let request = BookingRequest {
            client_id: clients[i % clients.len()],
            service_id: services[i % services.len()],
            at: zapys_store::BookAt::Slot(slot.id),
            staff_id: None,
            source,
            notes: String::new(),
        };
        let id = store.book(&request, made_at.max(start)).await?.appointment.id;
        let after = slot.starts_at + SignedDuration::from_mins(15);
        let outcome = match i % 7 {
            0 => Some((Transition::Cancel { reason: None }, Actor::Client)),
            1 => Some((Transition::NoShow, Actor::Admin)),
            2..=4 => Some((Transition::Complete, Actor::Admin)),
            _ => None,
        };
        if let Some((transition, by)) = outcome {
            store.transition(id, &transition, by, after).await?;
        }
        booked += 1;
    }
    eprintln!(
        "dataset: {booked} bookings over a year, {} slots, built in {:.1} s",
        slots.len(),
        built.elapsed().as_secs_f64()
    );

    let (from, to) = (tz.start_of_day(first_day), tz.start_of_day(first_day.checked_add(365.days())?));
    let mut in_process = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        store.analytics(from, to, &tz).await?;
        in_process.push(t.elapsed());
    }
    let http = reqwest::Client::new();
    let base = format!("http://{}", app.addr);
    let login = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": zapys_testkit::ADMIN_USER, "password": zapys_testkit::ADMIN_PASSWORD}))
        .send()
        .await?;
    let cookie = login.headers()["set-cookie"].to_str()?.split(';').next().unwrap_or_default().to_owned();
    let url = format!(
        "{base}/api/analytics?from={}&to={}",
        zapys_domain::time::format_date(first_day),
        zapys_domain::time::format_date(first_day.checked_add(364.days())?)
    );
    let mut over_http = Vec::new();
    let mut total = serde_json::Value::Null;
    for _ in 0..20 {
        let t = Instant::now();
        let body: serde_json::Value = http.get(&url).header("cookie", &cookie).send().await?.json().await?;
        over_http.push(t.elapsed());
        total = body["total"].clone();
    }
    println!("\n### Zapys analytics benchmark ({booked} bookings over a year)\n");
    println!("| figure | median of 20 |\n|---|---|");
    println!("| Store::analytics for the year | {:.1} ms |", median(in_process).as_secs_f64() * 1000.0);
    println!(
        "| GET /api/analytics for the year (total {total}) | {:.1} ms |",
        median(over_http).as_secs_f64() * 1000.0
    );
    app.stop().await?;
    Ok(())
}
