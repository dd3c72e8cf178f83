//! The HTTP contract: what the OpenAPI document promises, the server keeps.
//! (schemathesis checks the same from outside in `cargo xtask contract`.)

use zapys_testkit::reqwest::{Method, StatusCode};
use zapys_testkit::serde_json::{Value, json};
use zapys_testkit::spawn_app;

async fn document() -> Value {
    let app = spawn_app().await;
    let doc = app.anonymous(Method::GET, "/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    doc.body
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            all.push((path.clone(), method.clone(), operation.clone()));
        }
    }
    all
}

#[tokio::test]
async fn every_path_parameter_is_declared_by_each_operation_that_uses_it() {
    let doc = document().await;
    let mut checked = 0;
    for (path, method, operation) in operations(&doc) {
        let names = path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name);
        for name in names {
            let declared = operation["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true));
            assert!(declared, "{method} {path} declares its path parameter '{name}'");
            checked += 1;
        }
    }
    assert!(checked >= 21, "every operation with an id in its path was checked ({checked})");
}

#[tokio::test]
async fn every_json_answer_has_a_schema_and_every_error_is_the_error_body() {
    let doc = document().await;
    for (path, method, operation) in operations(&doc) {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            let Some(content) = response["content"].as_object() else {
                assert!(status == "204", "{method} {path} {status} describes its body");
                continue;
            };
            for (media, body) in content {
                assert!(body.get("schema").is_some(), "{method} {path} {status} {media} has a schema");
            }
            if status.starts_with('4') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                    "{method} {path} {status} answers the error body"
                );
            }
        }
    }
}

#[tokio::test]
async fn operation_ids_are_unique() {
    let doc = document().await;
    let mut ids: Vec<String> =
        operations(&doc).iter().map(|(_, _, op)| op["operationId"].as_str().expect("an id").to_owned()).collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[tokio::test]
async fn errors_carry_a_stable_machine_code_beside_the_message() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена Коваль", "0671234567", Some(555001)).await;
    let ten = app.slot("2026-03-03", "10:00").await;
    app.book(olena, haircut, ten).await;

    let cases = [
        (app.get("/api/services/999").await, StatusCode::NOT_FOUND, "not_found"),
        (app.get("/api/appointments?from=2026-13-01").await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
        (
            app.post("/api/appointments", json!({"user_id": olena, "service_id": haircut, "date_id": ten})).await,
            StatusCode::CONFLICT,
            "time_taken",
        ),
        (
            app.post("/api/appointments", json!({"user_id": 999, "service_id": haircut, "date_id": ten})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_reference",
        ),
        (
            app.post("/api/services", json!({"duration_minutes": 30})).await,
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
        (
            app.post("/api/available_dates", json!({"available_date": "2026-03-03", "available_time": "10:00"})).await,
            StatusCode::CONFLICT,
            "duplicate",
        ),
        (app.delete(&format!("/api/services/{haircut}")).await, StatusCode::CONFLICT, "in_use"),
        (app.anonymous(Method::GET, "/api/services", None).await, StatusCode::UNAUTHORIZED, "unauthorized"),
    ];
    for (reply, status, code) in cases {
        assert_eq!((reply.status, reply.body["code"].as_str()), (status, Some(code)), "{reply:?}");
        assert!(reply.body["error"].as_str().is_some_and(|e| !e.is_empty()), "{reply:?}");
    }
}

#[tokio::test]
async fn the_original_my_bookings_query_lists_only_bookings_still_standing() {
    let app = spawn_app().await;
    let haircut = app.service("Стрижка", 60).await;
    let olena = app.client("Олена Коваль", "0671234567", Some(555001)).await;
    let kept = app.book(olena, haircut, app.slot("2026-03-03", "10:00").await).await;
    let cancelled = app.book(olena, haircut, app.slot("2026-03-04", "10:00").await).await;
    let reply = app.call(Method::POST, &format!("/api/appointments/{cancelled}/cancel"), None).await;
    assert_eq!(reply.status, StatusCode::OK);

    let mine = app.get("/api/appointments?user_id=555001").await;
    assert_eq!(mine.body["total"], 1, "the original deleted cancelled bookings; its bot saw only the rest");
    assert_eq!(mine.body["appointments"][0]["id"], kept);
    assert_eq!(app.get("/api/appointments?user_id=555001&status=all").await.body["total"], 2);
    assert_eq!(app.get("/api/appointments?user_id=555001&status=cancelled").await.body["total"], 1);
    assert_eq!(app.get("/api/appointments").await.body["total"], 2, "the admin's list keeps history");
}
