//! The edges of the HTTP server: login floods, proxies, stalled connections, cookies, HTTPS,
//! and what the binary says when its configuration is wrong.

use std::time::Duration;

use futures_util::future::join_all;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::{ADMIN_PASSWORD, ADMIN_USER, http_client, spawn_app, spawn_app_with};

fn set_cookie(response: &zapys_testkit::reqwest::Response) -> String {
    response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

// --- item 1: a login flood ---

#[tokio::test]
async fn two_hundred_parallel_wrong_logins_reach_at_most_ten_password_checks_and_health_stays_up() {
    let app = spawn_app().await;
    let before = app.password_checks();
    let client = http_client();
    let guesses = (0..200).map(|i| {
        client
            .post(app.url("/api/auth/login"))
            .json(&json!({"username": ADMIN_USER, "password": format!("guess number {i}")}))
            .send()
    });
    let health = async {
        let mut answered = 0;
        for _ in 0..5 {
            let reply = client.get(app.url("/healthz")).timeout(Duration::from_secs(5)).send().await;
            answered += usize::from(reply.is_ok_and(|r| r.status() == StatusCode::OK));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        answered
    };
    let (replies, health_answers) = tokio::join!(join_all(guesses), health);

    let statuses: Vec<StatusCode> = replies.into_iter().map(|r| r.expect("every guess is answered").status()).collect();
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS));
    let checks = app.password_checks() - before;
    assert!(checks <= 10, "{checks} guesses reached argon2");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count() as u64, checks);
    assert_eq!(health_answers, 5, "/healthz answers throughout");
}

// --- item 2: lockout behind a proxy ---

async fn login_via_proxy(app: &zapys_testkit::TestApp, forwarded_for: &str, password: &str) -> StatusCode {
    http_client()
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"username": ADMIN_USER, "password": password}))
        .send()
        .await
        .expect("answers")
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_a_stranger_cannot_lock_the_owner_out() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")]).await;
    for _ in 0..10 {
        login_via_proxy(&app, "203.0.113.66", "wrong password").await;
    }
    assert_eq!(login_via_proxy(&app, "203.0.113.66", ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_via_proxy(&app, "198.51.100.7", ADMIN_PASSWORD).await, StatusCode::OK, "the owner gets in");
}

#[tokio::test]
async fn forwarded_for_is_not_believed_from_an_untrusted_peer() {
    let app = spawn_app().await;
    for i in 0..5 {
        login_via_proxy(&app, &format!("203.0.113.{i}"), "wrong password").await;
    }
    // Rotating the header does not give an attacker fresh limits: the peer is what counts.
    assert_eq!(login_via_proxy(&app, "203.0.113.99", ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn ipv6_clients_are_limited_per_64() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")]).await;
    for i in 1..=5 {
        login_via_proxy(&app, &format!("2001:db8:aa:bb::{i}"), "wrong password").await;
    }
    assert_eq!(login_via_proxy(&app, "2001:db8:aa:bb:ffff::9", ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_via_proxy(&app, "2001:db8:aa:cc::1", ADMIN_PASSWORD).await, StatusCode::OK);
}

#[tokio::test]
async fn the_counts_live_in_the_database_so_a_restart_does_not_reset_them() {
    let mut app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")]).await;
    for _ in 0..5 {
        login_via_proxy(&app, "203.0.113.66", "wrong password").await;
    }
    app.restart().await;
    assert_eq!(login_via_proxy(&app, "203.0.113.66", ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(jiff::SignedDuration::from_mins(15));
    assert_eq!(login_via_proxy(&app, "203.0.113.66", ADMIN_PASSWORD).await, StatusCode::OK, "the window ended");
}

// --- item 3: timeouts and the connection cap ---

/// Reads until the server closes the connection; false if it is still open after `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn connections_that_stall_halfway_through_their_headers_are_dropped() {
    let app = spawn_app_with(|c| c.header_timeout_secs = 1).await;
    let mut stalled = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(app.addr()).await.expect("connects");
        stream.write_all(b"GET /api/services HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.expect("writes");
        stalled.push(stream);
    }
    for stream in &mut stalled {
        assert!(closed_within(stream, Duration::from_secs(10)).await, "a stalled connection was left open");
    }
    assert_eq!(app.anonymous(Method::GET, "/healthz", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_told_the_server_is_busy() {
    let app = spawn_app_with(|c| c.max_connections = 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(app.addr()).await.expect("connects"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(app.addr()).await.expect("connects");
    extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.expect("writes");
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), extra.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(held);
}

/// A body that sends half, waits, then sends the rest.
fn trickled(first: &str, pause: Duration, rest: &str) -> zapys_testkit::reqwest::Body {
    let (first, rest) = (first.as_bytes().to_vec(), rest.as_bytes().to_vec());
    let chunks =
        futures_util::stream::iter([(first, Duration::ZERO), (rest, pause)]).then(|(chunk, wait)| async move {
            tokio::time::sleep(wait).await;
            Ok::<_, std::io::Error>(chunk)
        });
    zapys_testkit::reqwest::Body::wrap_stream(chunks)
}

use futures_util::StreamExt as _;

#[tokio::test]
async fn a_slow_request_is_answered_408_but_a_csv_import_gets_longer() {
    let app = spawn_app_with(|c| {
        c.request_timeout_secs = 1;
        c.import_timeout_secs = 20;
    })
    .await;
    let slow = app
        .request(Method::POST, "/api/services")
        .header("content-type", "application/json")
        .body(trickled(r#"{"service_name": "Стрижка", "#, Duration::from_secs(3), r#""duration_minutes": 30}"#))
        .send()
        .await
        .expect("answers");
    assert_eq!(slow.status(), StatusCode::REQUEST_TIMEOUT);
    let body: zapys_testkit::serde_json::Value = slow.json().await.expect("json");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));

    let import = app
        .request(Method::POST, "/api/users/import")
        .header("content-type", "text/csv")
        .body(trickled("name,phone\nОксана,+380", Duration::from_secs(3), "501234567\n"))
        .send()
        .await
        .expect("answers");
    assert!(import.status().is_success(), "{}", import.status());
}

#[tokio::test]
async fn unknown_bearer_tokens_are_refused_without_a_database_write() {
    use sqlx::Connection as _;
    let app = spawn_app().await;
    // Another writer holds SQLite's single write lock; a lookup that wanted to write would wait for it.
    let mut writer =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", app.database_path.display())).await.expect("opens");
    sqlx::query("BEGIN IMMEDIATE").execute(&mut writer).await.expect("takes the write lock");
    let client = http_client();
    for i in 0..20 {
        let reply = client
            .get(app.url("/api/services"))
            .bearer_auth(format!("zps_guessed-{i}"))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .expect("answered while the database is locked for writing");
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    }
    sqlx::query("ROLLBACK").execute(&mut writer).await.expect("releases");
}

// --- item 13: cookies and sessions ---

#[tokio::test]
async fn over_plain_http_the_cookie_is_the_plain_one_without_secure() {
    let app = spawn_app().await;
    let reply = http_client()
        .post(app.url("/api/auth/login"))
        .json(&json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("answers");
    let cookie = set_cookie(&reply);
    assert!(cookie.starts_with("zapys_session=") && !cookie.contains("Secure"), "{cookie}");
    assert!(reply.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn behind_a_trusted_https_proxy_the_cookie_is_host_prefixed_and_secure() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")]).await;
    let client = http_client();
    let login = |proto: &'static str| {
        client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", "198.51.100.7")
            .header("x-forwarded-proto", proto)
            .json(&json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD}))
            .send()
    };
    let reply = login("https").await.expect("answers");
    let cookie = set_cookie(&reply);
    assert!(cookie.starts_with("__Host-zapys_session=") && cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    assert!(reply.headers().contains_key("strict-transport-security"));
    let session = cookie.split(';').next().expect("name=value").to_owned();
    let me = client
        .get(app.url("/api/settings"))
        .header("x-forwarded-proto", "https")
        .header("cookie", &session)
        .send()
        .await
        .expect("answers");
    assert_eq!(me.status(), StatusCode::OK);

    let plain = set_cookie(&login("http").await.expect("answers"));
    assert!(plain.starts_with("zapys_session=") && !plain.contains("Secure"), "{plain}");
}

#[tokio::test]
async fn an_untrusted_peer_cannot_claim_https() {
    let app = spawn_app().await;
    let reply = http_client()
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("answers");
    assert!(set_cookie(&reply).starts_with("zapys_session="));
}

#[tokio::test]
async fn a_session_left_idle_ends_before_its_seven_days() {
    let app = spawn_app_with(|c| c.session_idle_hours = 12).await;
    app.advance_hours(6);
    assert_eq!(app.get("/api/settings").await.status, StatusCode::OK, "used after 6 hours");
    app.advance_hours(11);
    assert_eq!(app.get("/api/settings").await.status, StatusCode::OK, "11 idle hours after the last use");
    app.advance_hours(13);
    assert_eq!(app.get("/api/settings").await.status, StatusCode::UNAUTHORIZED, "13 idle hours: ended");
}

#[tokio::test]
async fn dead_sessions_are_purged_at_the_next_login() {
    use sqlx::Connection as _;
    let app = spawn_app().await;
    app.advance_hours(8 * 24);
    app.login(ADMIN_USER, ADMIN_PASSWORD).await.expect("logs in");
    let mut db =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", app.database_path.display())).await.expect("opens");
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM admin_sessions").fetch_one(&mut db).await.expect("counts");
    assert_eq!(sessions, 1, "only the new session is left");
}

#[tokio::test]
async fn with_a_public_url_writes_must_come_from_that_origin() {
    let app = spawn_app_with(|c| c.public_url = Some("https://book.example.com".into())).await;
    let write = |origin: &'static str| {
        app.request(Method::POST, "/api/services")
            .header("origin", origin)
            .json(&json!({"service_name": "Манікюр", "duration_minutes": 60}))
            .send()
    };
    assert_eq!(write("https://book.example.com").await.expect("answers").status(), StatusCode::CREATED);
    assert_eq!(write("https://evil.example").await.expect("answers").status(), StatusCode::FORBIDDEN);
}

// --- item 14: HTTPS ---

struct Certificate {
    pem: String,
    der: Vec<u8>,
    key: String,
}

fn self_signed() -> Certificate {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("a certificate");
    Certificate { pem: made.cert.pem(), der: made.cert.der().to_vec(), key: made.signing_key.serialize_pem() }
}

async fn served_certificate(url: &str) -> Vec<u8> {
    let response = zapys_testkit::reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .tls_info(true)
        .build()
        .expect("client")
        .get(url)
        .send()
        .await
        .expect("answers over TLS");
    response
        .extensions()
        .get::<zapys_testkit::reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .expect("a peer certificate")
        .to_vec()
}

#[tokio::test]
async fn with_a_certificate_zapys_serves_https_with_hsts_and_secure_cookies() {
    let dir = tempfile::tempdir().expect("dir");
    let certificate = self_signed();
    std::fs::write(dir.path().join("cert.pem"), &certificate.pem).expect("writes");
    std::fs::write(dir.path().join("key.pem"), &certificate.key).expect("writes");
    let app = spawn_app_with(|c| {
        c.tls_cert = Some(dir.path().join("cert.pem"));
        c.tls_key = Some(dir.path().join("key.pem"));
    })
    .await;
    assert!(app.base.starts_with("https://"));
    let reply = http_client()
        .post(app.url("/api/auth/login"))
        .json(&json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("answers");
    assert_eq!(reply.status(), StatusCode::OK);
    assert!(reply.headers()["strict-transport-security"].to_str().expect("ascii").contains("max-age="));
    let cookie = set_cookie(&reply);
    assert!(cookie.starts_with("__Host-zapys_session=") && cookie.contains("; Secure"), "{cookie}");
    assert_eq!(app.get("/api/settings").await.status, StatusCode::OK, "the panel works over HTTPS");

    // Plain HTTP to the TLS port gets nowhere.
    let plain = zapys_testkit::reqwest::get(format!("http://{}/healthz", app.addr())).await;
    assert!(plain.is_err() || !plain.expect("response").status().is_success());
}

#[cfg(unix)]
#[tokio::test]
async fn a_renewed_certificate_is_served_after_sighup() {
    let dir = tempfile::tempdir().expect("dir");
    let (old, new) = (self_signed(), self_signed());
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, &old.pem).expect("writes");
    std::fs::write(&key, &old.key).expect("writes");
    let app = spawn_app_with(|c| {
        c.tls_cert = Some(cert.clone());
        c.tls_key = Some(key.clone());
    })
    .await;
    assert_eq!(served_certificate(&app.url("/healthz")).await, old.der);

    std::fs::write(&cert, &new.pem).expect("writes");
    std::fs::write(&key, &new.key).expect("writes");
    let status =
        std::process::Command::new("kill").args(["-HUP", &std::process::id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let mut served = Vec::new();
    for _ in 0..50 {
        served = served_certificate(&app.url("/healthz")).await;
        if served == new.der {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(served, new.der, "the renewed certificate is served without a restart");
}

// --- item 15: start-up errors ---

/// Runs the real binary with `vars` (and a valid data key) in an empty directory; answers its exit code and stderr.
fn run_binary(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_zapys"));
    command
        .current_dir(dir.path())
        .env_clear()
        .env("RUST_BACKTRACE", "1")
        .env("ZAPYS_ADDR", "127.0.0.1:0")
        .env("ZAPYS_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("z.db").display()))
        .args(["migrate"]);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("the binary runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn configuration_errors_are_one_line_naming_the_variable() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("DATABASE_URL", "mysql://db.example/zapys")], "DATABASE_URL"),
        (&[("DATABASE_URL", "sqlite:///no/such/directory/zapys.db")], "DATABASE_URL"),
        (&[("ZAPYS_TIMEZONE", "Mars/Olympus_Mons")], "ZAPYS_TIMEZONE"),
        (&[("ZAPYS_DATA_KEY", "too short")], "ZAPYS_DATA_KEY"),
        (&[("ZAPYS_ADDR", "not an address")], "ZAPYS_ADDR"),
        (&[("ZAPYS_TRUSTED_PROXIES", "127.0.0.1,proxy.local")], "ZAPYS_TRUSTED_PROXIES"),
        (&[("ZAPYS_PUBLIC_URL", "book.example.com")], "ZAPYS_PUBLIC_URL"),
        (&[("ZAPYS_TLS_CERT", "/no/such/cert.pem")], "ZAPYS_TLS_KEY"),
        (&[("ZAPYS_TLS_CERT", "/no/such/cert.pem"), ("ZAPYS_TLS_KEY", "/no/such/key.pem")], "ZAPYS_TLS_CERT"),
        (&[("ZAPYS_HEADER_TIMEOUT_SECS", "600")], "ZAPYS_HEADER_TIMEOUT_SECS"),
        (&[("ZAPYS_ADMIN_PASSWORD", "short")], "ZAPYS_ADMIN_PASSWORD"),
    ];
    for (vars, named) in cases {
        let (code, stderr) = run_binary(vars);
        assert!(code.is_some_and(|c| c != 0), "{vars:?}: exit code {code:?}");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{vars:?}: one line, got:\n{stderr}");
        assert!(lines[0].contains(named), "{vars:?}: the line names {named}: {stderr}");
        assert!(!stderr.contains("acktrace") && !stderr.contains("Caused by"), "{stderr}");
    }
    let (_, stderr) = run_binary(&[("DATABASE_URL", "mysql://db.example/zapys")]);
    assert!(stderr.contains("DATABASE_URL: unsupported database URL scheme 'mysql'"), "{stderr}");
    assert!(stderr.contains("use sqlite:// or postgres://"), "{stderr}");
}

// --- the accept loop keeps graceful shutdown ---

#[tokio::test]
async fn stopping_lets_a_request_in_flight_finish() {
    let mut app = spawn_app().await;
    let in_flight = tokio::spawn(
        app.request(Method::POST, "/api/services")
            .header("content-type", "application/json")
            .body(trickled(r#"{"service_name": "Фарбування", "#, Duration::from_secs(1), r#""duration_minutes": 90}"#))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let addr = app.addr();
    app.stop().await;
    let finished = in_flight.await.expect("joins").expect("answered despite the shutdown");
    assert_eq!(finished.status(), StatusCode::CREATED);
    assert!(TcpStream::connect(addr).await.is_err(), "no new connections after stop");
}
