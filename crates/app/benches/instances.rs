//! Bookings through one and through several instances: `cargo bench -p zapys --bench instances`.
//!
//! Scenarios, each on a fresh database: SQLite with one instance; PostgreSQL with one instance;
//! PostgreSQL with three instances of the real app (`App::start`, as `main` does) on loopback ports,
//! sharing one database and one configuration apart from the listener, as behind a load balancer.
//! PostgreSQL is a throwaway cluster (`zapys_pg_test::Cluster::start`), or the one named by
//! `ZAPYS_TEST_POSTGRES`.
//!
//! The dataset is built through the API: eight staff members who all perform one 30-minute service,
//! half-hourly slots for each of them from tomorrow on, and clients. Then, per run, `--bookings N`
//! (default 1000) booking requests (`POST /api/appointments` with an admin session), each for a
//! different free slot, with `--concurrency N` (default 32) in flight, spread round-robin over the
//! instances; consecutive requests go to different staff members. The contended variant sends
//! `--contended N` requests (default 640) for only 16 slots: exactly 16 must succeed, the rest are
//! refused (409). Every figure is the median of `--runs N` (default 3) runs.
//!
//! The throwaway cluster runs with PostgreSQL's default durability (`Cluster::start_durable`), so
//! that it, like SQLite's `synchronous=FULL`, waits for the disk at every commit; `--pg-fast` starts
//! it as the tests do, with `fsync`, `synchronous_commit` and `full_page_writes` off. An existing
//! cluster (`ZAPYS_TEST_POSTGRES`) is used as it is configured.
//!
//! The load generator, every instance and PostgreSQL share the machine's cores: the figures are a
//! floor, and on two cores three instances compete for the same CPU as one.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use zapys::{App, Config};
use zapys_domain::SystemClock;

/// Staff members who perform the service.
const STAFF: usize = 8;
/// Slots the contended variant races for.
const CONTENDED_SLOTS: usize = 16;

#[derive(Clone, Copy)]
struct Options {
    concurrency: usize,
    bookings: usize,
    contended: usize,
    runs: usize,
    pg_fast: bool,
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
    Options {
        concurrency: value("--concurrency", 32).max(1),
        bookings: value("--bookings", 1000).max(1),
        contended: value("--contended", 640),
        runs: value("--runs", 3).max(1),
        pg_fast: args.iter().any(|a| a == "--pg-fast"),
    }
}

/// One running instance and the admin session it gave.
struct Instance {
    app: App,
    base: String,
    cookie: String,
}

/// The instances of one scenario and the HTTP client that speaks to them.
struct Deployment {
    instances: Vec<Instance>,
    http: reqwest::Client,
}

impl Deployment {
    async fn start(config: &Config, count: usize, concurrency: usize) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build()?;
        let mut instances = Vec::new();
        for _ in 0..count {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let app = App::start(config, listener, Arc::new(SystemClock)).await?;
            let base = format!("{}://{}", app.scheme, app.addr);
            let login = http
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"username": zapys_testkit::ADMIN_USER, "password": zapys_testkit::ADMIN_PASSWORD}))
                .send()
                .await?;
            anyhow::ensure!(login.status() == StatusCode::OK, "login at {base}: {}", login.status());
            let cookie = login
                .headers()
                .get("set-cookie")
                .ok_or_else(|| anyhow::anyhow!("no session cookie from {base}"))?
                .to_str()?
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned();
            instances.push(Instance { app, base, cookie });
        }
        Ok(Self { instances, http })
    }

    /// A request to the first instance, with its session.
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let first = &self.instances[0];
        let mut request =
            self.http.request(method.clone(), format!("{}{path}", first.base)).header("cookie", &first.cookie);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        anyhow::ensure!(status.is_success(), "{method} {path}: {status} {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn stop(self) -> anyhow::Result<()> {
        for instance in self.instances {
            instance.app.stop().await?;
        }
        Ok(())
    }
}

/// What the dataset gives the runs: the service, the clients, and free slots ordered so that
/// consecutive ones belong to different staff members.
struct Dataset {
    service: i64,
    clients: Vec<i64>,
    slots: Vec<i64>,
}

async fn dataset(deployment: &Deployment, options: &Options) -> anyhow::Result<Dataset> {
    use reqwest::Method;
    let mut staff = Vec::new();
    for n in 0..STAFF {
        let created =
            deployment.call(Method::POST, "/api/staff", Some(json!({"name": format!("Майстер {n}")}))).await?;
        staff.push(created["id"].as_i64().ok_or_else(|| anyhow::anyhow!("no staff id: {created}"))?);
    }
    let service = deployment
        .call(
            Method::POST,
            "/api/services",
            Some(json!({"service_name": "Стрижка", "duration_minutes": 30, "staff_ids": staff})),
        )
        .await?["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no service id"))?;

    // 24 half-hour starts a day (08:00–20:00) for each staff member, from tomorrow on.
    let needed = options.runs * (options.bookings + CONTENDED_SLOTS);
    let days = needed.div_ceil(24 * STAFF) as i64 + 2;
    let tomorrow = jiff::Timestamp::now().in_tz("Europe/Kyiv")?.date().tomorrow()?;
    let last = tomorrow.checked_add(jiff::Span::new().days(days - 1))?;
    for &member in &staff {
        deployment
            .call(
                Method::POST,
                "/api/available_dates/generate",
                Some(json!({
                    "staff_id": member,
                    "date_from": tomorrow.to_string(),
                    "date_to": last.to_string(),
                    "step_minutes": 30,
                    "time_from": "08:00",
                    "time_to": "20:00",
                    "weekdays": [1, 2, 3, 4, 5, 6, 7],
                })),
            )
            .await?;
    }

    // Clients, made concurrently; admins may book beyond a client's limit, so they are reused.
    let client_count = options.bookings.min(1000);
    let next = Arc::new(AtomicUsize::new(0));
    let deployment_http = deployment.http.clone();
    let (base, cookie) = (deployment.instances[0].base.clone(), deployment.instances[0].cookie.clone());
    let makers: Vec<_> = (0..options.concurrency.min(16))
        .map(|_| {
            let (http, base, cookie, next) = (deployment_http.clone(), base.clone(), cookie.clone(), next.clone());
            tokio::spawn(async move {
                let mut ids = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= client_count {
                        break;
                    }
                    let reply: Value = http
                        .post(format!("{base}/api/users"))
                        .header("cookie", &cookie)
                        .json(&json!({"name": format!("Клієнт Номер {n}"), "phone": format!("+38067{n:07}")}))
                        .send()
                        .await?
                        .error_for_status()?
                        .json()
                        .await?;
                    ids.push(reply["id"].as_i64().ok_or_else(|| anyhow::anyhow!("no client id: {reply}"))?);
                }
                anyhow::Ok(ids)
            })
        })
        .collect();
    let mut clients = Vec::new();
    for maker in makers {
        clients.extend(maker.await??);
    }

    // The free slots, per staff member, interleaved.
    let mut per_staff: Vec<Vec<i64>> = vec![Vec::new(); STAFF];
    let mut offset = 0;
    loop {
        let page = deployment
            .call(
                Method::GET,
                &format!("/api/available_dates?service_id={service}&order=asc&limit=1000&offset={offset}"),
                None,
            )
            .await?;
        let items = page["available_dates"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        offset += items.len();
        for item in items {
            let (Some(id), Some(member)) = (item["id"].as_i64(), item["staff_id"].as_i64()) else { continue };
            if let Some(i) = staff.iter().position(|&s| s == member) {
                per_staff[i].push(id);
            }
        }
    }
    let longest = per_staff.iter().map(Vec::len).max().unwrap_or(0);
    let slots: Vec<i64> = (0..longest).flat_map(|k| per_staff.iter().filter_map(move |s| s.get(k).copied())).collect();
    anyhow::ensure!(slots.len() >= needed, "only {} free slots, {needed} needed", slots.len());
    Ok(Dataset { service, clients, slots })
}

/// One run of booking requests.
struct Run {
    created: usize,
    refused: usize,
    failed: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.created as f64 / self.elapsed.as_secs_f64()
    }

    fn attempts_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default().as_secs_f64()
            * 1000.0
    }
}

/// Sends `requests` bookings: request `i` goes to instance `i % instances` for `slots[i % slots.len()]`.
async fn book(deployment: &Deployment, data: &Dataset, slots: &[i64], requests: usize, concurrency: usize) -> Run {
    let targets: Arc<Vec<(String, String)>> = Arc::new(
        deployment.instances.iter().map(|i| (format!("{}/api/appointments", i.base), i.cookie.clone())).collect(),
    );
    let slots = Arc::new(slots.to_vec());
    let clients = Arc::new(data.clients.clone());
    let service = data.service;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (http, targets, slots, clients, next) =
                (deployment.http.clone(), targets.clone(), slots.clone(), clients.clone(), next.clone());
            tokio::spawn(async move {
                let (mut latencies, mut created, mut refused, mut failed) = (Vec::new(), 0, 0, 0);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let (url, cookie) = &targets[i % targets.len()];
                    let body = json!({
                        "user_id": clients[i % clients.len()],
                        "service_id": service,
                        "date_id": slots[i % slots.len()],
                    });
                    let sent = Instant::now();
                    let outcome = http.post(url).header("cookie", cookie).json(&body).send().await;
                    match outcome {
                        Ok(response) => {
                            let status = response.status();
                            let text = response.text().await.unwrap_or_default();
                            match status {
                                StatusCode::CREATED => created += 1,
                                StatusCode::CONFLICT => refused += 1,
                                _ => {
                                    failed += 1;
                                    if failed <= 3 {
                                        eprintln!("unexpected answer: {status} {text}");
                                    }
                                }
                            }
                        }
                        Err(error) => {
                            failed += 1;
                            if failed <= 3 {
                                eprintln!("request failed: {error}");
                            }
                        }
                    }
                    latencies.push(sent.elapsed());
                }
                (latencies, created, refused, failed)
            })
        })
        .collect();
    let mut run = Run { created: 0, refused: 0, failed: 0, elapsed: Duration::ZERO, latencies: Vec::new() };
    for worker in workers {
        let (latencies, created, refused, failed) = worker.await.expect("a booking worker");
        run.latencies.extend(latencies);
        run.created += created;
        run.refused += refused;
        run.failed += failed;
    }
    run.elapsed = started.elapsed();
    run
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The figures of one scenario, medians over the runs.
struct Figures {
    name: String,
    runs: Vec<Run>,
    contended: Vec<Run>,
}

impl Figures {
    fn rows(&self, options: &Options) -> (String, Option<String>) {
        let all = |f: &dyn Fn(&Run) -> f64, runs: &[Run]| median(runs.iter().map(f).collect());
        let each = |f: &dyn Fn(&Run) -> String, runs: &[Run]| runs.iter().map(f).collect::<Vec<_>>().join(" / ");
        let main = format!(
            "| {} | {} | {:.0} ({}) | {:.1} | {:.1} | {} |",
            self.name,
            options.bookings,
            all(&Run::per_second, &self.runs),
            each(&|r| format!("{:.0}", r.per_second()), &self.runs),
            all(&|r| r.percentile(0.50), &self.runs),
            all(&|r| r.percentile(0.99), &self.runs),
            each(&|r| format!("{}/{}/{}", r.created, r.refused, r.failed), &self.runs),
        );
        let contended = (!self.contended.is_empty()).then(|| {
            format!(
                "| {} | {} for {CONTENDED_SLOTS} | {:.0} | {:.1} | {:.1} | {} |",
                self.name,
                options.contended,
                all(&Run::attempts_per_second, &self.contended),
                all(&|r| r.percentile(0.50), &self.contended),
                all(&|r| r.percentile(0.99), &self.contended),
                each(&|r| format!("{}/{}/{}", r.created, r.refused, r.failed), &self.contended),
            )
        });
        (main, contended)
    }
}

async fn scenario(name: &str, config: &Config, count: usize, options: &Options) -> anyhow::Result<Figures> {
    let deployment = Deployment::start(config, count, options.concurrency).await?;
    let built = Instant::now();
    let data = dataset(&deployment, options).await?;
    eprintln!(
        "{name}: {STAFF} staff, {} clients, {} free slots (built through the API in {:.1} s)",
        data.clients.len(),
        data.slots.len(),
        built.elapsed().as_secs_f64()
    );
    let mut figures = Figures { name: name.into(), runs: Vec::new(), contended: Vec::new() };
    let mut cursor = 0;
    for n in 0..options.runs {
        let slots = &data.slots[cursor..cursor + options.bookings];
        cursor += options.bookings;
        let run = book(&deployment, &data, slots, options.bookings, options.concurrency).await;
        eprintln!(
            "{name}, run {}: {} booked, {} refused, {} failed in {:.2} s: {:.0} bookings/s, p50 {:.1} ms, p99 {:.1} ms",
            n + 1,
            run.created,
            run.refused,
            run.failed,
            run.elapsed.as_secs_f64(),
            run.per_second(),
            run.percentile(0.50),
            run.percentile(0.99)
        );
        figures.runs.push(run);
        if options.contended > 0 {
            let slots = &data.slots[cursor..cursor + CONTENDED_SLOTS];
            cursor += CONTENDED_SLOTS;
            let run = book(&deployment, &data, slots, options.contended, options.concurrency).await;
            eprintln!(
                "{name}, contended run {}: {} booked (of {CONTENDED_SLOTS} slots), {} refused, {} failed in {:.2} s",
                n + 1,
                run.created,
                run.refused,
                run.failed,
                run.elapsed.as_secs_f64()
            );
            if run.created != CONTENDED_SLOTS.min(options.contended) {
                eprintln!("WRONG: {} bookings for {CONTENDED_SLOTS} slots", run.created);
            }
            figures.contended.push(run);
        }
    }
    // Every slot of the runs is held by exactly one booking.
    let total =
        deployment.call(reqwest::Method::GET, "/api/appointments?limit=1", None).await?["total"].as_u64().unwrap_or(0);
    let expected: usize = figures.runs.iter().map(|r| r.created).sum::<usize>()
        + figures.contended.iter().map(|r| r.created).sum::<usize>();
    eprintln!("{name}: {total} bookings in the database, {expected} answered 201");
    if total as usize != expected {
        eprintln!("WRONG: the database holds {total} bookings, {expected} were answered 201");
    }
    deployment.stop().await?;
    Ok(figures)
}

async fn pg_settings(admin_url: &str) -> anyhow::Result<String> {
    let mut connection = sqlx::PgConnection::connect(admin_url).await?;
    let (version, fsync, commit, pages): (String, String, String, String) = sqlx::query_as(
        "SELECT current_setting('server_version'), current_setting('fsync'), \
         current_setting('synchronous_commit'), current_setting('full_page_writes')",
    )
    .fetch_one(&mut connection)
    .await?;
    Ok(format!("PostgreSQL {version}, fsync={fsync}, synchronous_commit={commit}, full_page_writes={pages}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options();
    let mut results = Vec::new();

    let dir = tempfile::tempdir()?;
    let sqlite = zapys_testkit::test_config(format!("sqlite://{}", dir.path().join("bench.db").display()));
    results.push(scenario("SQLite, 1 instance", &sqlite, 1, &options).await?);

    let (cluster, owned) = match std::env::var(zapys_pg_test::URL_VAR) {
        Ok(url) if !url.is_empty() => (zapys_pg_test::Cluster::existing(&url), false),
        _ if options.pg_fast => (tokio::task::spawn_blocking(zapys_pg_test::Cluster::start).await?, true),
        _ => (tokio::task::spawn_blocking(zapys_pg_test::Cluster::start_durable).await?, true),
    };
    let cluster = Arc::new(cluster.map_err(|reason| anyhow::anyhow!("no PostgreSQL: {reason}"))?);
    let settings = pg_settings(&cluster.url("postgres")).await?;
    eprintln!("{settings} ({})", if owned { "a throwaway cluster" } else { zapys_pg_test::URL_VAR });
    for (name, count) in [("PostgreSQL, 1 instance", 1), ("PostgreSQL, 3 instances", 3)] {
        let database = {
            let cluster = cluster.clone();
            tokio::task::spawn_blocking(move || cluster.create_database()).await?
        }
        .map_err(|error| anyhow::anyhow!("a fresh database: {error}"))?;
        let config = zapys_testkit::test_config(database);
        results.push(scenario(name, &config, count, &options).await?);
    }

    println!(
        "\n### Bookings through one and three instances ({} in flight, median of {} runs; {settings})\n",
        options.concurrency, options.runs
    );
    println!(
        "| scenario | bookings per run | bookings/s (each run) | p50 ms | p99 ms | 201/409/other per run |\n|---|---|---|---|---|---|"
    );
    let rows: Vec<_> = results.iter().map(|f| f.rows(&options)).collect();
    for (main, _) in &rows {
        println!("{main}");
    }
    if options.contended > 0 {
        println!(
            "\nContended: {} requests racing for {CONTENDED_SLOTS} slots (a slot's booking must succeed once).\n",
            options.contended
        );
        println!(
            "| scenario | requests | attempts/s | p50 ms | p99 ms | 201/409/other per run |\n|---|---|---|---|---|---|"
        );
        for (_, contended) in &rows {
            if let Some(row) = contended {
                println!("{row}");
            }
        }
    }
    Ok(())
}
