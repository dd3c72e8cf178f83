//! Test support for Zapys: [`spawn_app`] starts the real application on a
//! random port with a fresh temporary database and a clock the test controls,
//! and hands back HTTP helpers that speak to it like any client would.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zapys::{App, Config, LogFormat, Secret};
use zapys_domain::Clock;

pub use reqwest;
pub use serde_json;

pub const ADMIN_USER: &str = "owner";
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// A clock that stands still until the test moves it.
#[derive(Debug)]
pub struct TestClock(Mutex<Timestamp>);

impl TestClock {
    pub fn at(instant: Timestamp) -> Self {
        Self(Mutex::new(instant))
    }

    pub fn set(&self, instant: Timestamp) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = instant;
    }

    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut now = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// "Now" in every test unless it says otherwise: Monday 2026-03-02, 08:00 in Kyiv (06:00 UTC).
pub fn monday_morning() -> Timestamp {
    "2026-03-02T06:00:00Z".parse().expect("valid instant")
}

/// The configuration tests start the app with.
pub fn test_config(database_url: String) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().expect("valid address"),
        database_url,
        admin_user: ADMIN_USER.into(),
        admin_password: Some(ADMIN_PASSWORD.parse::<Secret>().expect("infallible")),
        data_key: Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".parse::<Secret>().expect("infallible")),
        data_key_file: None,
        timezone: "Europe/Kyiv".into(),
        demo: false,
        secure_cookies: false,
        trusted_proxies: Vec::new(),
        public_url: None,
        tls_cert: None,
        tls_key: None,
        // Tests move the clock by days; the idle timeout has its own test.
        session_idle_hours: 168,
        header_timeout_secs: 10,
        request_timeout_secs: 30,
        import_timeout_secs: 300,
        max_connections: 512,
        telegram_bot_token: None,
        telegram_api_url: "http://127.0.0.1:9".into(),
        telegram_webhook_url: None,
        telegram_webhook_secret: None,
        admin_chat_id: None,
        // Webhook receivers on 127.0.0.1 are refused unless a test allows them explicitly.
        webhook_allow_private: false,
        log_format: LogFormat::Pretty,
        notify_limits: None,
    }
}

/// A running app and a client logged in as its admin.
pub struct TestApp {
    pub base: String,
    pub clock: Arc<TestClock>,
    pub store: Arc<dyn zapys_store::Store>,
    pub database_path: std::path::PathBuf,
    config: Config,
    http: reqwest::Client,
    session: String,
    app: Option<App>,
    /// The SQLite database's directory, shared by every instance on it.
    _dir: Option<Arc<tempfile::TempDir>>,
}

/// Starts the app with the test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app after `adjust` has changed the test configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let database_path = dir.path().join("zapys.db");
    let mut config = test_config(format!("sqlite://{}", database_path.display()));
    adjust(&mut config);
    let clock = Arc::new(TestClock::at(monday_morning()));
    TestApp::start(config, clock, Some(Arc::new(dir)), database_path).await
}

/// Starts the app with exactly this configuration (its database already exists or is made at start).
pub async fn start_app(config: Config) -> TestApp {
    let clock = Arc::new(TestClock::at(monday_morning()));
    TestApp::start(config, clock, None, std::path::PathBuf::new()).await
}

/// Starts the app on a fresh PostgreSQL database of the test cluster (see `zapys_pg_test`), after
/// `adjust`; `None` when PostgreSQL is not available (the test then skips, as the cluster said).
pub async fn spawn_postgres_app_with(adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let cluster = zapys_pg_test::cluster().await?;
    let mut config = test_config(cluster.fresh_database().await);
    adjust(&mut config);
    let clock = Arc::new(TestClock::at(monday_morning()));
    Some(TestApp::start(config, clock, None, std::path::PathBuf::new()).await)
}

/// The HTTP client tests use; it accepts the self-signed certificates tests make for HTTPS.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder().danger_accept_invalid_certs(true).build().expect("an HTTP client")
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `error` text of an error answer.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }
}

impl TestApp {
    async fn start(
        config: Config,
        clock: Arc<TestClock>,
        dir: Option<Arc<tempfile::TempDir>>,
        database_path: std::path::PathBuf,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let app = App::start(&config, listener, clock.clone()).await.expect("the app starts");
        let mut test = TestApp {
            base: format!("{}://{}", app.scheme, app.addr),
            clock,
            store: app.store.clone(),
            database_path,
            config,
            http: http_client(),
            session: String::new(),
            app: Some(app),
            _dir: dir,
        };
        test.session = test.login(ADMIN_USER, ADMIN_PASSWORD).await.expect("the admin logs in");
        test
    }

    /// Another instance of the app on the same database, with the same configuration and clock, as
    /// behind a load balancer.
    pub async fn another_instance(&self) -> TestApp {
        Self::start(self.config.clone(), self.clock.clone(), self._dir.clone(), self.database_path.clone()).await
    }

    /// Ends the app abruptly, as a crash or a power cut would: nothing is finished or handed back.
    pub fn kill(&mut self) {
        if let Some(app) = self.app.take() {
            app.abort();
        }
    }

    /// The running app, for its notifier and counters.
    pub fn app(&self) -> &App {
        self.app.as_ref().expect("the app is running")
    }

    /// The session cookie (`name=value`) the admin logged in with.
    pub fn session_cookie(&self) -> &str {
        &self.session
    }

    /// Password checks (argon2) the server has started so far.
    pub fn password_checks(&self) -> u64 {
        self.app.as_ref().map_or(0, |app| app.api.login_guard().checks_started())
    }

    /// The server's address (`127.0.0.1:port`), for raw sockets.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.app.as_ref().map(|app| app.addr).expect("the app is running")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in and answers the session cookie's value, or the failed reply.
    pub async fn login(&self, username: &str, password: &str) -> Result<String, Reply> {
        let reply = self
            .anonymous(Method::POST, "/api/auth/login", Some(json!({"username": username, "password": password})))
            .await;
        if reply.status != StatusCode::OK {
            return Err(reply);
        }
        let cookie = reply.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        Ok(cookie.split(';').next().unwrap_or_default().to_owned())
    }

    async fn send(&self, request: reqwest::RequestBuilder, body: Option<Value>) -> Reply {
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        let response = request.send().await.expect("the app answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Reply { status, headers, body }
    }

    /// A request with the admin's session.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(self.http.request(method, self.url(path)).header("cookie", &self.session), body).await
    }

    /// A request with `Authorization: Bearer <token>`.
    pub async fn call_with_token(&self, token: &str, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(self.http.request(method, self.url(path)).bearer_auth(token), body).await
    }

    /// A request without credentials.
    pub async fn anonymous(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(self.http.request(method, self.url(path)), body).await
    }

    /// A raw request builder with the admin's session, for unusual bodies and headers.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).header("cookie", &self.session)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates an API token through the API (scope `book`, the default) and answers it.
    pub async fn api_token(&self, name: &str) -> String {
        self.api_token_with_scope(name, "book").await
    }

    /// Creates an API token with this scope (`read`, `book` or `admin`) and answers it.
    pub async fn api_token_with_scope(&self, name: &str, scope: &str) -> String {
        let reply = self.post("/api/tokens", json!({"name": name, "scope": scope})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        reply.body["token"].as_str().expect("a token").to_owned()
    }

    fn created_id(reply: &Reply) -> i64 {
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        reply.body["id"].as_i64().expect("an id")
    }

    pub async fn service(&self, name: &str, minutes: i64) -> i64 {
        Self::created_id(&self.post("/api/services", json!({"service_name": name, "duration_minutes": minutes})).await)
    }

    /// A slot at a local date (`YYYY-MM-DD`) and time (`HH:MM`).
    pub async fn slot(&self, date: &str, time: &str) -> i64 {
        Self::created_id(
            &self.post("/api/available_dates", json!({"available_date": date, "available_time": time})).await,
        )
    }

    pub async fn client(&self, name: &str, phone: &str, telegram_id: Option<i64>) -> i64 {
        Self::created_id(
            &self.post("/api/users", json!({"name": name, "phone": phone, "telegram_id": telegram_id})).await,
        )
    }

    /// Books as the admin and answers the appointment's id.
    pub async fn book(&self, user_id: i64, service_id: i64, date_id: i64) -> i64 {
        Self::created_id(
            &self
                .post("/api/appointments", json!({"user_id": user_id, "service_id": service_id, "date_id": date_id}))
                .await,
        )
    }

    /// Moves the clock, and wakes the notifier to look at the new time.
    pub fn advance_hours(&self, hours: i64) {
        self.advance(jiff::SignedDuration::from_hours(hours));
    }

    /// Moves the clock, and wakes the notifier to look at the new time.
    pub fn advance(&self, by: jiff::SignedDuration) {
        self.clock.advance(by);
        if let Some(app) = &self.app {
            app.notifier.wake();
        }
    }

    /// Stops the app and starts it again on the same database (on a new port), as after a crash or an upgrade.
    pub async fn restart(&mut self) {
        self.stop().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let app = App::start(&self.config, listener, self.clock.clone()).await.expect("the app starts again");
        self.base = format!("{}://{}", app.scheme, app.addr);
        self.store = app.store.clone();
        self.app = Some(app);
        self.session = self.login(ADMIN_USER, ADMIN_PASSWORD).await.expect("the admin logs in");
    }

    /// The configuration the app runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Stops the app gracefully.
    pub async fn stop(&mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await.expect("stops cleanly");
        }
    }
}
