//! Reminder delivery benchmark: `cargo bench -p zapys --bench reminders [-- --reminders N]`.
//!
//! N clients (default 10,000) each hold a one-minute booking, one minute
//! apart, and a single reminder offset of 7 days puts every reminder due at
//! the same instant. The test clock jumps there; the real notifier then
//! delivers through a fake Bot API server on 127.0.0.1 at Telegram's limits
//! (about 30 a second overall). Reported: delivery time and rate, and this
//! process's resident memory sampled during delivery (the fake runs in a child
//! process, so its records of every message do not count).

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use zapys::{App, Secret};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Duration as ServiceDuration, Language, PersonName, PhoneNumber, ServiceDraft, ServiceName, Source, TelegramId,
};
use zapys_fake_telegram::FakeTelegram;
use zapys_store::{BookingRequest, NoticeQuery, NoticeState};
use zapys_testkit::TestClock;

fn reminders() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--reminders")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

/// The fake Bot API server runs in a child process (this same binary with
/// `--serve-fake N`), so the memory measured here is Zapys's alone: the fake
/// keeps a record of every message it receives.
async fn serve_fake(n: usize) -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt as _;
    let tg = FakeTelegram::start("123456:BENCH").await;
    for i in 0..n {
        tg.user(7_000_000 + i as i64, "Клієнт", Some("uk"));
    }
    println!("{}", tg.api_url());
    // Serve until the parent closes our standard input.
    let mut rest = Vec::new();
    tokio::io::stdin().read_to_end(&mut rest).await?;
    Ok(())
}

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n = reminders();
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--serve-fake") {
        return serve_fake(n).await;
    }
    let mut fake = tokio::process::Command::new(std::env::current_exe()?)
        .args(["--serve-fake", "--reminders", &n.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let api_url = {
        use tokio::io::AsyncBufReadExt as _;
        let stdout = fake.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        tokio::io::BufReader::new(stdout)
            .lines()
            .next_line()
            .await?
            .ok_or_else(|| anyhow::anyhow!("the fake did not start"))?
    };
    let dir = tempfile::tempdir()?;
    let t0: Timestamp = "2026-03-02T06:00:00Z".parse()?;
    let clock = Arc::new(TestClock::at(t0));
    let config = {
        let mut config = zapys_testkit::test_config(format!("sqlite://{}", dir.path().join("reminders.db").display()));
        config.telegram_bot_token = Some("123456:BENCH".parse::<Secret>()?);
        config.telegram_api_url = api_url;
        config
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app = App::start(&config, listener, clock.clone()).await?;
    let store = app.store.clone();
    let mut settings = store.settings();
    settings.reminder_offsets_minutes = vec![7 * 24 * 60];
    store.save_settings(&settings).await?;

    let prepared = Instant::now();
    let service = store
        .create_service(&ServiceDraft {
            name: ServiceName::parse("Експрес")?,
            duration: ServiceDuration::from_minutes(1)?,
            price: None,
            description: String::new(),
            hidden: false,
            buffers: zapys_domain::Buffers::NONE,
            rebook_after_days: None,
        })
        .await?
        .id;
    let first = t0 + SignedDuration::from_hours(8 * 24);
    let starts: Vec<Timestamp> = (0..n).map(|i| first + SignedDuration::from_mins(i as i64)).collect();
    let grid: Vec<_> = starts
        .iter()
        .map(|&at| zapys_store::GeneratedStart { at, ends_by: at + SignedDuration::from_hours(1) })
        .collect();
    store.generate_slots(zapys_store::sole_staff_member(&*store).await?, &grid, None).await?;
    let slots = store.slots(&Default::default()).await?.items;
    for (i, slot) in slots.iter().enumerate() {
        let id = 7_000_000 + i as i64;
        let client = store
            .create_client(&ClientDraft {
                telegram_id: Some(TelegramId(id)),
                contact: ContactDetails {
                    name: PersonName::parse("Клієнт Нагадування")?,
                    phone: PhoneNumber::parse(&format!("+38067{i:07}"))?,
                },
                language: Language::Uk,
            })
            .await?;
        let request = BookingRequest {
            client_id: client.id,
            service_id: service,
            at: zapys_store::BookAt::Slot(slot.id),
            staff_id: None,
            source: Source::Admin,
            notes: String::new(),
        };
        store.book(&request, t0).await?;
    }
    eprintln!("prepared {n} bookings in {:.1} s", prepared.elapsed().as_secs_f64());

    // Every reminder falls due at once: the last booking's 7-day mark, before the first one starts.
    let memory_before = resident_kib();
    clock.set(starts[n - 1] - SignedDuration::from_hours(7 * 24));
    let started = Instant::now();
    app.notifier.wake();
    let mut samples = vec![memory_before];
    let mut at_half = None;
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        samples.push(resident_kib());
        let sent =
            store.notices(&NoticeQuery { state: Some(NoticeState::Sent), ..Default::default() }).await?.total as usize;
        if at_half.is_none() && sent >= n / 2 {
            at_half = Some((started.elapsed(), sent));
        }
        if sent >= n || started.elapsed() > Duration::from_secs(3600) {
            break;
        }
    }
    let elapsed = started.elapsed();
    let sent = store.notices(&NoticeQuery { state: Some(NoticeState::Sent), ..Default::default() }).await?.total;
    let peak = samples.iter().copied().max().unwrap_or(0);
    println!("\n### Zapys reminder delivery benchmark ({n} reminders due at once)\n");
    println!("| figure | value |\n|---|---|");
    println!("| delivered | {sent} of {n} |");
    println!("| time to deliver all | {:.1} s |", elapsed.as_secs_f64());
    println!("| rate | {:.1} messages/s (limit: about 30/s) |", sent as f64 / elapsed.as_secs_f64());
    if let Some((half, count)) = at_half {
        println!("| rate over the first half | {:.1} messages/s |", count as f64 / half.as_secs_f64());
    }
    println!(
        "| resident memory | {:.1} MiB before, {:.1} MiB peak, {:.1} MiB at the end ({} samples) |",
        memory_before as f64 / 1024.0,
        peak as f64 / 1024.0,
        samples.last().copied().unwrap_or(0) as f64 / 1024.0,
        samples.len()
    );
    app.stop().await?;
    drop(fake.stdin.take());
    fake.wait().await?;
    Ok(())
}
