use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::json;
use zapys_testkit::{ADMIN_PASSWORD, ADMIN_USER, spawn_app};

/// Every operation the OpenAPI document declares (the router serves exactly those), with
/// `{id}` filled in; public ones are those declared with an empty security requirement.
async fn declared_operations(app: &zapys_testkit::TestApp) -> Vec<(Method, String, bool)> {
    let doc = app.anonymous(Method::GET, "/api/openapi.json", None).await.body;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let public = operation["security"].as_array().is_some_and(|s| s.iter().all(|r| r == &json!({})));
            operations.push((method.to_uppercase().parse().expect("a method"), path.replace("{id}", "1"), public));
        }
    }
    operations
}

#[tokio::test]
async fn every_api_route_refuses_a_request_without_credentials() {
    let app = spawn_app().await;
    let operations = declared_operations(&app).await;
    assert!(operations.len() >= 50, "the document lists every route ({})", operations.len());
    let mut public = Vec::new();
    for (method, path, is_public) in operations {
        if is_public {
            public.push(format!("{method} {path}"));
            continue;
        }
        let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
        let reply = app.anonymous(method.clone(), &path, body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}: {reply:?}");
        assert_eq!(reply.body["code"], "unauthorized", "{method} {path}");
        assert!(!reply.error().is_empty(), "{method} {path} explains itself");
    }
    public.sort();
    assert_eq!(public, ["GET /api/auth/me", "POST /api/auth/login", "POST /api/auth/logout"]);
}

#[tokio::test]
async fn a_forged_session_or_token_is_refused() {
    let app = spawn_app().await;
    let forged = app.anonymous(Method::GET, "/api/services", None).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let reply = app.call_with_token("zps_not-a-real-token", Method::GET, "/api/services", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let raw = zapys_testkit::reqwest::Client::new()
        .get(app.url("/api/services"))
        .header("cookie", "zapys_session=guessed")
        .send()
        .await
        .expect("answers");
    assert_eq!(raw.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logging_in_sets_a_protected_cookie_and_logging_out_ends_the_session() {
    let app = spawn_app().await;
    let reply = app
        .anonymous(Method::POST, "/api/auth/login", Some(json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD})))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["username"], ADMIN_USER);
    let cookie = reply.headers["set-cookie"].to_str().expect("ascii");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = cookie.split(';').next().expect("name=value").to_owned();

    let client = zapys_testkit::reqwest::Client::new();
    let me = client.get(app.url("/api/auth/me")).header("cookie", &session).send().await.expect("answers");
    assert_eq!(me.status(), StatusCode::OK);
    let me: zapys_testkit::serde_json::Value = me.json().await.expect("JSON");
    assert_eq!((me["authenticated"].as_bool(), me["username"].as_str()), (Some(true), Some(ADMIN_USER)));
    let out = client.post(app.url("/api/auth/logout")).header("cookie", &session).send().await.expect("answers");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = client.get(app.url("/api/auth/me")).header("cookie", &session).send().await.expect("answers");
    assert_eq!(after.status(), StatusCode::OK, "asking is never an error (browsers log every 401)");
    let after: zapys_testkit::serde_json::Value = after.json().await.expect("JSON");
    assert_eq!(after["authenticated"], false, "the session is gone on the server, not just in the browser");
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_then_rate_limited() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let failed = app.login(ADMIN_USER, "wrong password").await.expect_err("refused");
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        assert_eq!(failed.error(), "wrong username or password");
    }
    let limited =
        app.login(ADMIN_USER, ADMIN_PASSWORD).await.expect_err("locked for a while, even with the right password");
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    let unknown = app.login("nobody", "whatever pass").await.expect_err("refused");
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED, "unknown users get the same answer");
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    let app = spawn_app().await;
    let token = app.api_token("crm").await;
    assert!(token.starts_with("zps_"));
    let reply = app.call_with_token(&token, Method::GET, "/api/services", None).await;
    assert_eq!(reply.status, StatusCode::OK);

    let listed = app.get("/api/tokens").await;
    let id = listed.body["tokens"][0]["id"].as_i64().expect("listed");
    assert!(listed.body["tokens"][0].get("token").is_none(), "the token itself is never shown again");
    assert_eq!(app.delete(&format!("/api/tokens/{id}")).await.status, StatusCode::OK);
    let after = app.call_with_token(&token, Method::GET, "/api/services", None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_cannot_mint_more_tokens_whatever_its_scope() {
    let app = spawn_app().await;
    for scope in ["read", "book", "admin"] {
        let token = app.api_token_with_scope(&format!("crm-{scope}"), scope).await;
        for (method, path, body) in [
            (Method::POST, "/api/tokens", Some(json!({"name": "more", "scope": "admin"}))),
            (Method::GET, "/api/tokens", None),
            (Method::DELETE, "/api/tokens/1", None),
        ] {
            let reply = app.call_with_token(&token, method.clone(), path, body).await;
            assert_eq!(
                (reply.status, reply.body["code"].as_str()),
                (StatusCode::FORBIDDEN, Some("insufficient_scope")),
                "{scope}: {method} {path}"
            );
        }
    }
}

/// What a token of each scope may do: `read` < `book` < `admin`.
#[tokio::test]
async fn each_token_does_only_what_its_scope_allows() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена Коваль", "0671234567", Some(555_001)).await;
    let ten = app.slot("2026-03-03", "10:00").await;
    let eleven = app.slot("2026-03-03", "11:00").await;
    let (read, book, admin) = (
        app.api_token_with_scope("reader", "read").await,
        app.api_token_with_scope("website", "book").await,
        app.api_token_with_scope("owner-scripts", "admin").await,
    );
    let status = |reply: zapys_testkit::Reply| (reply.status, reply.body["code"].as_str().map(str::to_owned));
    let refused = (StatusCode::FORBIDDEN, Some("insufficient_scope".to_owned()));

    // read: every list, but no change.
    assert_eq!(app.call_with_token(&read, Method::GET, "/api/appointments", None).await.status, StatusCode::OK);
    assert_eq!(app.call_with_token(&read, Method::GET, "/api/users", None).await.status, StatusCode::OK);
    let booking = json!({"user_id": olena, "service_id": haircut, "date_id": ten});
    assert_eq!(
        status(app.call_with_token(&read, Method::POST, "/api/appointments", Some(booking.clone())).await),
        refused
    );

    // book: act for clients, nothing of the business's own.
    let booked = app.call_with_token(&book, Method::POST, "/api/appointments", Some(booking)).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{booked:?}");
    let id = booked.body["id"].as_i64().expect("an id");
    let moved = app
        .call_with_token(&book, Method::PUT, &format!("/api/appointments/{id}"), Some(json!({"date_id": eleven})))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    for (method, path, body) in [
        (Method::POST, "/api/services".to_owned(), Some(json!({"service_name": "Манікюр", "duration_minutes": 60}))),
        (Method::POST, "/api/webhooks".to_owned(), Some(json!({"url": "https://example.com/hook"}))),
        (Method::GET, "/api/webhooks".to_owned(), None),
        (Method::PUT, "/api/settings".to_owned(), Some(app.get("/api/settings").await.body)),
        (Method::DELETE, format!("/api/users/{olena}"), None),
        (Method::POST, format!("/api/appointments/{id}/complete"), None),
    ] {
        assert_eq!(
            status(app.call_with_token(&book, method.clone(), &path, body).await),
            refused,
            "book: {method} {path}"
        );
    }
    let cancelled = app.call_with_token(&book, Method::POST, &format!("/api/appointments/{id}/cancel"), None).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{cancelled:?}");

    // admin: the business's own changes too.
    let service = app
        .call_with_token(
            &admin,
            Method::POST,
            "/api/services",
            Some(json!({"service_name": "Манікюр", "duration_minutes": 60})),
        )
        .await;
    assert_eq!(service.status, StatusCode::CREATED, "{service:?}");
    assert_eq!(app.call_with_token(&admin, Method::GET, "/api/webhooks", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_document_says_which_scope_each_operation_needs() {
    let app = spawn_app().await;
    let doc = app.anonymous(Method::GET, "/api/openapi.json", None).await.body;
    let bearer = |path: &str, method: &str| {
        doc["paths"][path][method]["security"]
            .as_array()
            .expect("security")
            .iter()
            .find_map(|r| r.get("bearer"))
            .cloned()
    };
    assert_eq!(bearer("/api/services", "get"), Some(json!(["read"])));
    assert_eq!(bearer("/api/services", "post"), Some(json!(["admin"])));
    assert_eq!(bearer("/api/appointments", "post"), Some(json!(["book"])));
    assert_eq!(bearer("/api/simulator/send", "post"), None, "the simulator takes no token");
    assert_eq!(bearer("/api/tokens", "post"), None, "tokens are made in a session");
}

#[tokio::test]
async fn writes_from_another_site_are_refused() {
    let app = spawn_app().await;
    let cross_site = app
        .request(Method::POST, "/api/services")
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"service_name": "X", "duration_minutes": 30}))
        .send()
        .await
        .expect("answers");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let other_origin = app
        .request(Method::DELETE, "/api/services/1")
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("answers");
    assert_eq!(other_origin.status(), StatusCode::FORBIDDEN);
    let same_origin = app
        .request(Method::POST, "/api/services")
        .header("origin", app.base.clone())
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"service_name": "X", "duration_minutes": 30}))
        .send()
        .await
        .expect("answers");
    assert_eq!(same_origin.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_admin_changes_their_own_password_and_their_other_sessions_end() {
    let app = spawn_app().await;
    let other_browser = app.login(ADMIN_USER, ADMIN_PASSWORD).await.expect("logs in");

    let wrong =
        app.post("/api/auth/password", json!({"current_password": "not it", "new_password": "a new secret 1"})).await;
    assert_eq!((wrong.status, wrong.body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_value")));
    let short =
        app.post("/api/auth/password", json!({"current_password": ADMIN_PASSWORD, "new_password": "short"})).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body["error"].as_str().is_some_and(|e| e.contains("at least 8")), "{}", short.body);
    assert!(app.login(ADMIN_USER, ADMIN_PASSWORD).await.is_ok(), "a refused change changes nothing");

    let changed = app
        .post("/api/auth/password", json!({"current_password": ADMIN_PASSWORD, "new_password": "a new secret 1"}))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let fresh = changed.headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("a fresh session").to_owned();
    let fresh = fresh.split(';').next().expect("name=value").to_owned();

    // This browser goes on with its fresh session; the other one is logged out.
    for (cookie, logged_in) in [(fresh, true), (other_browser, false)] {
        let me: zapys_testkit::serde_json::Value = zapys_testkit::reqwest::Client::new()
            .get(app.url("/api/auth/me"))
            .header("cookie", cookie)
            .send()
            .await
            .expect("answers")
            .json()
            .await
            .expect("json");
        assert_eq!(me["authenticated"], logged_in, "this browser stays, the other session ended");
    }

    assert!(app.login(ADMIN_USER, ADMIN_PASSWORD).await.is_err(), "the old password no longer works");
    assert!(app.login(ADMIN_USER, "a new secret 1").await.is_ok());
}

#[tokio::test]
async fn guessing_the_current_password_is_rate_limited_like_logins() {
    let app = spawn_app().await;
    let mut limited = false;
    for n in 0..12 {
        let reply = app
            .post(
                "/api/auth/password",
                json!({"current_password": format!("guess {n}"), "new_password": "whatever 123"}),
            )
            .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert!(limited, "guesses are limited");
}

#[tokio::test]
async fn an_api_token_has_no_password_to_change() {
    let app = spawn_app().await;
    let token = app.api_token_with_scope("crm", "admin").await;
    let reply = app
        .call_with_token(
            &token,
            Method::POST,
            "/api/auth/password",
            Some(json!({"current_password": ADMIN_PASSWORD, "new_password": "a new secret 1"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
}
