//! Bot API plumbing: error answers and request parameters (JSON, form-urlencoded, query string).

use serde_json::{Map, Value, json};

/// An error answer: `{"ok":false,"error_code":N,"description":"...","parameters":{...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        Self { code, description: description.into(), retry_after: None }
    }

    /// 400 `Bad Request: {what}`.
    pub fn bad_request(what: &str) -> Self {
        Self::new(400, format!("Bad Request: {what}"))
    }

    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    pub fn method_not_found() -> Self {
        Self::new(404, "Not Found: method not found")
    }

    pub fn blocked() -> Self {
        Self::new(403, "Forbidden: bot was blocked by the user")
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        Self {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let (Some(retry_after), Some(map)) = (self.retry_after, body.as_object_mut()) {
            map.insert("parameters".to_owned(), json!({ "retry_after": retry_after }));
        }
        body
    }
}

/// A successful answer: the `result` and an optional `description` (setWebhook has one).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub result: Value,
    pub description: Option<&'static str>,
}

impl Answer {
    pub fn body(&self) -> Value {
        let mut body = json!({ "ok": true, "result": self.result });
        if let (Some(description), Some(map)) = (self.description, body.as_object_mut()) {
            map.insert("description".to_owned(), Value::from(description));
        }
        body
    }
}

impl From<Value> for Answer {
    fn from(result: Value) -> Self {
        Self { result, description: None }
    }
}

/// The parameters of one call, merged from the query string and the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Params(pub Map<String, Value>);

impl Params {
    /// Parses the query string and the body (JSON, or form-urlencoded; a body without a
    /// content type is tried as JSON, then as a form). Body values win over query values.
    pub fn parse(query: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Result<Self, ApiError> {
        let mut params = Map::new();
        if let Some(query) = query {
            params.extend(parse_urlencoded(query));
        }
        let content_type = content_type.unwrap_or("").to_ascii_lowercase();
        let body_is_blank = body.iter().all(u8::is_ascii_whitespace);
        if body_is_blank {
            return Ok(Self(params));
        }
        if content_type.starts_with("multipart/") {
            return Err(ApiError::bad_request("multipart requests are not supported by the fake Telegram server"));
        }
        let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("request body is not valid UTF-8"))?;
        let as_json = || -> Result<Map<String, Value>, ApiError> {
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(_) => Err(ApiError::bad_request("parameters must be a JSON object")),
                Err(e) => Err(ApiError::bad_request(&format!("can't parse JSON: {e}"))),
            }
        };
        if content_type.starts_with("application/json") {
            params.extend(as_json()?);
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            params.extend(parse_urlencoded(text));
        } else {
            match as_json() {
                Ok(map) => params.extend(map),
                Err(_) => params.extend(parse_urlencoded(text)),
            }
        }
        Ok(Self(params))
    }

    pub fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }

    pub fn has(&self, key: &str) -> bool {
        !matches!(self.0.get(key), None | Some(Value::Null))
    }

    /// A string parameter (numbers and booleans are given as their text).
    pub fn str(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// An integer parameter, given as a JSON number or as a numeric string.
    pub fn i64(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(&format!("field \"{key}\" must be an integer"))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad_request(&format!("field \"{key}\" must be an integer"))),
            Some(_) => Err(ApiError::bad_request(&format!("field \"{key}\" must be an integer"))),
        }
    }

    /// A number parameter (`timeout` may be fractional in some clients).
    pub fn f64(&self, key: &str) -> Option<f64> {
        match self.0.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A boolean parameter: `true`, `"true"`, `1`, `"1"`.
    pub fn bool(&self, key: &str) -> bool {
        match self.0.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.trim(), "true" | "True" | "1"),
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    /// A JSON object/array parameter, given as JSON or as a string holding JSON.
    pub fn json(&self, key: &str) -> Result<Option<Value>, ApiError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| ApiError::bad_request(&format!("can't parse {key} JSON object"))),
            Some(other) => Ok(Some(other.clone())),
        }
    }
}

/// Decodes `a=1&b=%7B%7D` into a map; values that are JSON objects or arrays are parsed.
fn parse_urlencoded(input: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for pair in input.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key);
        let value = percent_decode(value);
        let trimmed = value.trim_start();
        let parsed = if trimmed.starts_with('{') || trimmed.starts_with('[') {
            serde_json::from_str(&value).unwrap_or(Value::String(value))
        } else {
            Value::String(value)
        };
        map.insert(key, parsed);
    }
    map
}

fn percent_decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_decoded_and_json_strings_parsed() {
        let params = Params::parse(
            None,
            Some("application/x-www-form-urlencoded"),
            b"chat_id=1001&text=%D0%9F%D1%80%D0%B8%D0%B2%D1%96%D1%82+%21&reply_markup=%7B%22remove_keyboard%22%3Atrue%7D",
        )
        .expect("form parses");
        assert_eq!(params.i64("chat_id").expect("integer"), Some(1001));
        assert_eq!(params.str("text").as_deref(), Some("Привіт !"));
        assert_eq!(params.json("reply_markup").expect("json"), Some(json!({"remove_keyboard": true})));
    }

    #[test]
    fn truncated_percent_escape_is_kept() {
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41"), "A");
    }
}
