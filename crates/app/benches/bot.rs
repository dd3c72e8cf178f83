//! Bot load benchmark: `cargo bench -p zapys --bench bot` (or `cargo xtask bench`).
//!
//! Starts the real app polling a fake Telegram Bot API server on 127.0.0.1,
//! then lets N clients (default 200, `--clients N`) at once register and book
//! through the bot: /start, name, shared contact, "Записатись", service, day,
//! time, confirm. Each step's latency runs from the update being queued at the
//! fake server to the bot's answer arriving there (long-poll pickup, the
//! conversation, the database, the Bot API call). Afterwards the database must
//! hold exactly one booking per client, none overlapping.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};
use zapys::{App, Config, Secret};
use zapys_domain::{Duration as ServiceDuration, ServiceDraft, ServiceName, SystemClock, WorkingHours};
use zapys_fake_telegram::{BotMessage, FakeTelegram, TgUser};
use zapys_store::{AppointmentQuery, SlotQuery};

const STEP_TIMEOUT: Duration = Duration::from_secs(30);

fn clients() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == "--clients").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(200)
}

fn config(database: &std::path::Path, tg: &FakeTelegram) -> Config {
    {
        let mut config = zapys_testkit::test_config(format!("sqlite://{}", database.display()));
        config.telegram_bot_token = Some(tg.token().parse::<Secret>().expect("infallible"));
        config.telegram_api_url = tg.api_url();
        config
    }
}

/// What the client sees: every bot message's id, text and buttons.
fn screen_of(messages: &[BotMessage]) -> Vec<(i64, String, Vec<String>)> {
    messages
        .iter()
        .map(|m| {
            (
                m.message_id,
                m.text.clone(),
                m.inline_keyboard.iter().flatten().flatten().map(|b| b.text.clone()).collect(),
            )
        })
        .collect()
}

/// The bot's latest message is the one every step changes (a new one, or the one edited in place).
fn screen(tg: &FakeTelegram, user: &TgUser) -> Vec<(i64, String, Vec<String>)> {
    screen_of(tg.last_message(user).as_slice())
}

/// Does one step and waits until the client's screen changes; answers the latency.
async fn step(tg: &FakeTelegram, user: &TgUser, act: impl FnOnce() -> Result<(), String>) -> Result<Duration, String> {
    let before = screen(tg, user);
    let id = user.id;
    let started = Instant::now();
    act()?;
    let changed = tg.wait_until(|s| screen_of(s.last_message(id).as_slice()) != before, STEP_TIMEOUT).await;
    if changed {
        Ok(started.elapsed())
    } else {
        Err(format!(
            "client {id}: no answer within {STEP_TIMEOUT:?}; the screen was {:?}",
            before.last().map(|(_, t, _)| t.chars().take(40).collect::<String>())
        ))
    }
}

fn press(tg: &FakeTelegram, user: &TgUser, label: &str) -> Result<(), String> {
    tg.press_last_inline(user, label).map(|_| ())
}

/// One client's whole flow towards the slot at `day`/`time`.
async fn book(tg: Arc<FakeTelegram>, user: TgUser, day: String, time: String) -> Result<Vec<Duration>, String> {
    let mut latencies = Vec::new();
    latencies.push(
        step(&tg, &user, || {
            tg.send_text(&user, "/start");
            Ok(())
        })
        .await?,
    );
    latencies.push(
        step(&tg, &user, || {
            tg.send_text(&user, "Клієнт Навантаження");
            Ok(())
        })
        .await?,
    );
    let phone = format!("+38067{:07}", user.id % 10_000_000);
    latencies.push(
        step(&tg, &user, || {
            tg.share_contact(&user, &phone, true);
            Ok(())
        })
        .await?,
    );
    latencies.push(step(&tg, &user, || tg.press_reply_button(&user, "Записатись")).await?);
    latencies.push(step(&tg, &user, || press(&tg, &user, "Стрижка · 30 хв")).await?);
    // The calendar opens at the first month with free days; the day may be in the next one.
    let shows_day =
        tg.last_message(&user).is_some_and(|m| m.inline_keyboard.iter().flatten().flatten().any(|b| b.text == day));
    if !shows_day {
        latencies.push(step(&tg, &user, || press(&tg, &user, "›")).await?);
    }
    latencies.push(step(&tg, &user, || press(&tg, &user, &day)).await?);
    latencies.push(step(&tg, &user, || press(&tg, &user, &time)).await?);
    latencies.push(step(&tg, &user, || press(&tg, &user, "✅ Підтвердити")).await?);
    let last = tg.last_message(&user).map(|m| m.text).unwrap_or_default();
    if last.contains("Ви записані") {
        Ok(latencies)
    } else {
        Err(format!("client {}: ended with {last:?}", user.id))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let n = clients();
    let tg = Arc::new(FakeTelegram::start("123456:BENCH").await);
    let dir = tempfile::tempdir()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app = App::start(&config(&dir.path().join("bot.db"), &tg), listener, Arc::new(SystemClock)).await?;
    let store = app.store.clone();

    let draft = ServiceDraft {
        name: ServiceName::parse("Стрижка")?,
        duration: ServiceDuration::from_minutes(30)?,
        price: None,
        description: String::new(),
        hidden: false,
        buffers: zapys_domain::Buffers::NONE,
        rebook_after_days: None,
    };
    store.create_service(&draft).await?;
    let tz = store.settings().timezone;
    let today = tz.today(Timestamp::now());
    let hours = WorkingHours::new(
        today.checked_add(1.day())?,
        today.checked_add(30.days())?,
        &[1, 2, 3, 4, 5, 6, 7],
        jiff::civil::time(8, 0, 0, 0),
        jiff::civil::time(20, 0, 0, 0),
        30,
    )?;
    let grid: Vec<_> = hours
        .starts(&tz)
        .into_iter()
        .map(|s| zapys_store::GeneratedStart { at: s.instant, ends_by: s.ends_by })
        .collect();
    store.generate_slots(zapys_store::sole_staff_member(&*store).await?, &grid, None).await?;
    let slots = store.slots(&SlotQuery::default()).await?.items;
    anyhow::ensure!(slots.len() >= n, "need at least {n} slots");

    // Each client aims at a different time, so every flow can complete.
    let started = Instant::now();
    let flows: Vec<_> = (0..n)
        .map(|i| {
            let local = tz.local(slots[i].starts_at);
            let user = tg.user(5_000_000 + i as i64, "Клієнт", Some("uk"));
            let (day, time) = (local.day().to_string(), local.strftime("%H:%M").to_string());
            tokio::spawn(book(tg.clone(), user, day, time))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for flow in flows {
        match flow.await? {
            Ok(steps) => latencies.extend(steps),
            Err(error) => failures.push(error),
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();

    let booked = store.appointments(&AppointmentQuery::default()).await?.items;
    let mut spans: Vec<_> = booked
        .iter()
        .filter(|v| v.appointment.status.occupies_time())
        .map(|v| (v.appointment.starts_at, v.appointment.ends_at))
        .collect();
    spans.sort();
    let overlaps = spans.windows(2).filter(|w| w[0].1 > w[1].0).count();
    let completed = n - failures.len();

    println!("\n### Zapys bot load benchmark ({n} clients at once, fake Bot API on the same machine)\n");
    println!("| figure | value |\n|---|---|");
    println!("| flows completed | {completed} of {n} |");
    println!("| total time | {:.2} s |", elapsed.as_secs_f64());
    println!("| bookings per second | {:.1} |", completed as f64 / elapsed.as_secs_f64());
    println!("| updates answered | {} |", latencies.len());
    println!("| update → reply p50 | {:.1} ms |", percentile(&latencies, 0.50).as_secs_f64() * 1000.0);
    println!("| update → reply p99 | {:.1} ms |", percentile(&latencies, 0.99).as_secs_f64() * 1000.0);
    println!("| update → reply max | {:.1} ms |", latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0);
    // Four steps of each flow are messages (/start, name, contact, the menu button); the rest are button presses.
    let presses = latencies.len().saturating_sub(4 * completed);
    let answered = tg.with_state(|s| s.answered_callbacks().len());
    println!("| button presses answered (answerCallbackQuery) | {answered} of {presses} |");
    println!("| bookings in the database | {} (overlapping pairs: {overlaps}) |", booked.len());
    for failure in failures.iter().take(5) {
        println!("failure: {failure}");
    }
    anyhow::ensure!(
        booked.len() == completed && overlaps == 0,
        "the database must hold exactly one booking per completed flow, none overlapping"
    );
    app.stop().await?;
    Ok(())
}
