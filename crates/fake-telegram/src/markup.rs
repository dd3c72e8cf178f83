//! Telegram's validation of what the bot sends: `reply_markup` objects and formatted text.

use serde_json::{Map, Value};

use crate::api::ApiError;
use crate::types::{InlineButton, ReplyButton};

/// Most characters a message text may have (after entity parsing).
pub(crate) const MAX_TEXT_CHARS: usize = 4096;
/// Most bytes a button's `callback_data` may have.
pub(crate) const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// A parsed `reply_markup` parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Markup {
    /// No markup (also an inline keyboard without buttons).
    None,
    /// An inline keyboard: the buttons and the object Telegram echoes in the `Message`.
    Inline { rows: Vec<Vec<InlineButton>>, echo: Value },
    /// A reply keyboard (never echoed).
    Reply { rows: Vec<Vec<ReplyButton>> },
    /// `ReplyKeyboardRemove`.
    Remove,
    /// `ForceReply`.
    ForceReply,
}

const INLINE_ACTIONS: &[&str] = &[
    "callback_data",
    "url",
    "login_url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// Parses and validates `reply_markup` like Telegram (400 on a malformed object,
/// `BUTTON_DATA_INVALID` on `callback_data` of 0 or more than 64 bytes).
pub(crate) fn parse_markup(value: Option<Value>) -> Result<Markup, ApiError> {
    let Some(value) = value else {
        return Ok(Markup::None);
    };
    let Some(object) = value.as_object() else {
        return Err(ApiError::bad_request("can't parse reply keyboard markup JSON object"));
    };
    if let Some(rows) = object.get("inline_keyboard") {
        parse_inline(rows)
    } else if let Some(rows) = object.get("keyboard") {
        parse_reply(rows)
    } else if object.get("remove_keyboard").is_some() {
        Ok(Markup::Remove)
    } else if object.get("force_reply").is_some() {
        Ok(Markup::ForceReply)
    } else {
        Err(ApiError::bad_request("can't parse reply keyboard markup JSON object"))
    }
}

fn rows_of(value: &Value, field: &str) -> Result<Vec<Vec<Value>>, ApiError> {
    let malformed = || {
        ApiError::bad_request(&format!(
            "can't parse reply keyboard markup JSON object: field \"{field}\" must be an Array of Arrays"
        ))
    };
    value.as_array().ok_or_else(malformed)?.iter().map(|row| row.as_array().cloned().ok_or_else(malformed)).collect()
}

fn parse_inline(value: &Value) -> Result<Markup, ApiError> {
    let button_error = |what: &str| ApiError::bad_request(&format!("can't parse inline keyboard button: {what}"));
    let mut rows = Vec::new();
    let mut echo_rows = Vec::new();
    for row in rows_of(value, "inline_keyboard")? {
        let mut buttons = Vec::new();
        let mut echo_row = Vec::new();
        for button in row {
            let Some(object) = button.as_object() else {
                return Err(button_error("InlineKeyboardButton must be an Object"));
            };
            let Some(text) = object.get("text").and_then(Value::as_str) else {
                return Err(button_error("Field \"text\" must be of type String"));
            };
            let callback_data = match object.get("callback_data") {
                None | Some(Value::Null) => None,
                Some(Value::String(data)) => {
                    if data.is_empty() || data.len() > MAX_CALLBACK_DATA_BYTES {
                        return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
                    }
                    Some(data.clone())
                }
                Some(_) => {
                    return Err(button_error("Field \"callback_data\" must be of type String"));
                }
            };
            let has_action =
                INLINE_ACTIONS.iter().any(|action| !matches!(object.get(*action), None | Some(Value::Null)));
            if !has_action {
                return Err(button_error("Text buttons are unallowed in the inline keyboard"));
            }
            let url = object.get("url").and_then(Value::as_str).map(str::to_owned);
            let echo: Map<String, Value> =
                object.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect();
            echo_row.push(Value::Object(echo));
            buttons.push(InlineButton { text: text.to_owned(), callback_data, url });
        }
        if !buttons.is_empty() {
            rows.push(buttons);
            echo_rows.push(Value::Array(echo_row));
        }
    }
    if rows.is_empty() {
        return Ok(Markup::None);
    }
    let mut echo = Map::new();
    echo.insert("inline_keyboard".to_owned(), Value::Array(echo_rows));
    Ok(Markup::Inline { rows, echo: Value::Object(echo) })
}

fn parse_reply(value: &Value) -> Result<Markup, ApiError> {
    let mut rows = Vec::new();
    for row in rows_of(value, "keyboard")? {
        let mut buttons = Vec::new();
        for button in row {
            let parsed = match &button {
                Value::String(text) => ReplyButton { text: text.clone(), request_contact: false },
                Value::Object(object) => {
                    let Some(text) = object.get("text").and_then(Value::as_str) else {
                        return Err(ApiError::bad_request(
                            "can't parse keyboard button: Field \"text\" must be of type String",
                        ));
                    };
                    ReplyButton {
                        text: text.to_owned(),
                        request_contact: object.get("request_contact").and_then(Value::as_bool).unwrap_or(false),
                    }
                }
                _ => {
                    return Err(ApiError::bad_request(
                        "can't parse keyboard button: KeyboardButton must be a String or an Object",
                    ));
                }
            };
            if parsed.text.is_empty() {
                return Err(ApiError::bad_request("keyboard button text is empty"));
            }
            buttons.push(parsed);
        }
        if !buttons.is_empty() {
            rows.push(buttons);
        }
    }
    Ok(Markup::Reply { rows })
}

/// Validates a message text like Telegram: applies `parse_mode` (HTML, MarkdownV2, Markdown),
/// then rejects an empty text and one over 4096 characters. Returns the text the client sees.
pub(crate) fn validate_text(raw: Option<&str>, parse_mode: Option<&str>) -> Result<String, ApiError> {
    let raw = raw.unwrap_or("");
    let text = render_text(raw, parse_mode)?;
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(text)
}

/// Applies a `parse_mode`: the plain text the client sees, or Telegram's
/// `can't parse entities` error.
pub(crate) fn render_text(raw: &str, parse_mode: Option<&str>) -> Result<String, ApiError> {
    match parse_mode.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(raw.to_owned()),
        Some(mode) if mode.eq_ignore_ascii_case("html") => html(raw),
        Some(mode) if mode.eq_ignore_ascii_case("markdownv2") => markdown_v2(raw),
        Some(mode) if mode.eq_ignore_ascii_case("markdown") => markdown_legacy(raw),
        Some(_) => Err(ApiError::bad_request("unsupported parse_mode")),
    }
}

fn entities_error(what: &str) -> ApiError {
    ApiError::bad_request(&format!("can't parse entities: {what}"))
}

const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

fn html(raw: &str) -> Result<String, ApiError> {
    let mut out = String::with_capacity(raw.len());
    let mut open: Vec<String> = Vec::new();
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        let offset = raw.len() - rest.len();
        match c {
            '<' => {
                let Some(end) = rest.find('>') else {
                    return Err(entities_error(&format!("Unclosed start tag at byte offset {offset}")));
                };
                let tag = &rest[1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match open.pop() {
                        Some(top) if top == name => {}
                        Some(top) => {
                            return Err(entities_error(&format!(
                                "Unmatched end tag at byte offset {offset}, expected \"</{top}>\", found \"</{name}>\""
                            )));
                        }
                        None => {
                            return Err(entities_error(&format!("Unexpected end tag at byte offset {offset}")));
                        }
                    }
                } else {
                    let name =
                        tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("").to_ascii_lowercase();
                    if !HTML_TAGS.contains(&name.as_str()) {
                        return Err(entities_error(&format!(
                            "Unsupported start tag \"{name}\" at byte offset {offset}"
                        )));
                    }
                    open.push(name);
                }
                rest = &rest[end + 1..];
            }
            '&' => {
                let entity = rest
                    .char_indices()
                    .take(12)
                    .find(|(_, c)| *c == ';')
                    .and_then(|(end, _)| decode_entity(&rest[1..end]).map(|c| (end, c)));
                match entity {
                    Some((end, decoded)) => {
                        out.push(decoded);
                        rest = &rest[end + 1..];
                    }
                    None => {
                        out.push('&');
                        rest = &rest[1..];
                    }
                }
            }
            c => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(top) = open.pop() {
        return Err(entities_error(&format!("Can't find end tag corresponding to start tag \"{top}\"")));
    }
    Ok(out)
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

const MARKDOWN_V2_RESERVED: &[char] =
    &['_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!'];

fn markdown_v2(raw: &str) -> Result<String, ApiError> {
    let mut out = String::with_capacity(raw.len());
    let mut open: Vec<(&'static str, usize)> = Vec::new();
    let mut link_open = false;
    let chars: Vec<(usize, char)> = raw.char_indices().collect();
    let mut i = 0;
    let at_line_start = |i: usize| i == 0 || chars[i - 1].1 == '\n';
    while i < chars.len() {
        let (offset, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        match c {
            '\\' => {
                match next {
                    Some(escaped) => out.push(escaped),
                    None => {
                        return Err(reserved('\\'));
                    }
                }
                i += 2;
                continue;
            }
            '`' => {
                // Inline code or a pre block: literal up to the closing backtick(s).
                let fence = next == Some('`') && chars.get(i + 2).map(|(_, c)| *c) == Some('`');
                let width = if fence { 3 } else { 1 };
                let mut j = i + width;
                let mut body = String::new();
                loop {
                    let Some(&(_, d)) = chars.get(j) else {
                        let name = if fence { "Pre" } else { "Code" };
                        return Err(entities_error(&format!(
                            "Can't find end of {name} entity at byte offset {offset}"
                        )));
                    };
                    if d == '\\' {
                        if let Some(&(_, e)) = chars.get(j + 1) {
                            body.push(e);
                        }
                        j += 2;
                        continue;
                    }
                    if d == '`'
                        && (!fence
                            || (chars.get(j + 1).map(|(_, c)| *c) == Some('`')
                                && chars.get(j + 2).map(|(_, c)| *c) == Some('`')))
                    {
                        break;
                    }
                    body.push(d);
                    j += 1;
                }
                if fence {
                    // The first line of a pre block may name the language.
                    body = match body.split_once('\n') {
                        Some((first, code)) if !first.contains(' ') => code.to_owned(),
                        _ => body,
                    };
                }
                out.push_str(&body);
                i = j + width;
                continue;
            }
            '*' | '_' | '~' | '|' => {
                let (marker, name, width) = match (c, next) {
                    ('_', Some('_')) => ("__", "Underline", 2),
                    ('|', Some('|')) => ("||", "Spoiler", 2),
                    ('*', _) => ("*", "Bold", 1),
                    ('_', _) => ("_", "Italic", 1),
                    ('~', _) => ("~", "Strikethrough", 1),
                    _ => {
                        return Err(reserved(c));
                    }
                };
                if open.last().map(|(m, _)| *m) == Some(marker) {
                    open.pop();
                } else if open.iter().any(|(m, _)| *m == marker) {
                    return Err(entities_error(&format!("Can't find end of {name} entity at byte offset {offset}")));
                } else {
                    open.push((marker, offset));
                }
                i += width;
                continue;
            }
            '[' => {
                if link_open {
                    return Err(reserved(c));
                }
                link_open = true;
            }
            '!' if next == Some('[') => {
                // A custom emoji: ![👍](tg://emoji?id=...)
            }
            ']' if link_open && next == Some('(') => {
                link_open = false;
                let mut j = i + 2;
                loop {
                    match chars.get(j) {
                        None => {
                            return Err(entities_error(&format!("Can't find end of a url at byte offset {offset}")));
                        }
                        Some((_, ')')) => break,
                        Some((_, '\\')) => j += 2,
                        Some(_) => j += 1,
                    }
                }
                i = j + 1;
                continue;
            }
            '>' if at_line_start(i) => {
                // A block quotation line.
            }
            c if MARKDOWN_V2_RESERVED.contains(&c) => return Err(reserved(c)),
            c => out.push(c),
        }
        i += 1;
    }
    if let Some((marker, offset)) = open.pop() {
        let name = match marker {
            "__" => "Underline",
            "||" => "Spoiler",
            "*" => "Bold",
            "_" => "Italic",
            _ => "Strikethrough",
        };
        return Err(entities_error(&format!("Can't find end of {name} entity at byte offset {offset}")));
    }
    if link_open {
        return Err(reserved('['));
    }
    Ok(out)
}

fn reserved(c: char) -> ApiError {
    entities_error(&format!("Character '{c}' is reserved and must be escaped with the preceding '\\'"))
}

/// Legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, `[text](url)`; unclosed markers fail.
fn markdown_legacy(raw: &str) -> Result<String, ApiError> {
    let mut out = String::with_capacity(raw.len());
    let mut open: Option<(char, usize)> = None;
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        let offset = raw.len() - rest.len();
        match c {
            '*' | '_' | '`' => match open {
                Some((m, _)) if m == c => open = None,
                Some(_) => out.push(c),
                None => open = Some((c, offset)),
            },
            '[' if open.is_none() => {
                if let Some(close) = rest.find("](")
                    && let Some(end) = rest[close..].find(')')
                {
                    out.push_str(&rest[1..close]);
                    rest = &rest[close + end + 1..];
                    continue;
                }
                out.push(c);
            }
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    if let Some((_, offset)) = open {
        return Err(entities_error(&format!("Can't find end of the entity starting at byte offset {offset}")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn html_tags_are_stripped_and_entities_decoded() {
        assert_eq!(
            html("<b>Олена</b>, запис на <i>12:00</i> &lt;ok&gt; &amp; <a href=\"https://x\">тут</a>")
                .expect("valid HTML"),
            "Олена, запис на 12:00 <ok> & тут"
        );
    }

    #[test]
    fn html_errors_like_telegram() {
        let err = html("a <br> b").expect_err("br is unsupported");
        assert_eq!(err.description, "Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 2");
        assert!(html("<b>open").is_err());
        assert!(html("1 < 2").is_err());
        assert!(html("<b><i>x</b></i>").is_err());
    }

    #[test]
    fn markdown_v2_needs_escapes() {
        assert_eq!(
            markdown_v2("*Запис* на 12:00\\. `code.` [тут](https://x.y/a_b)").expect("valid"),
            "Запис на 12:00. code. тут"
        );
        let err = markdown_v2("Ціна 100.50").expect_err("unescaped dot");
        assert_eq!(
            err.description,
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
        );
        assert!(markdown_v2("*bold").is_err());
    }

    #[test]
    fn callback_data_limit_counts_bytes() {
        let keyboard = |data: &str| Some(json!({"inline_keyboard": [[{"text": "x", "callback_data": data}]]}));
        // 32 Cyrillic letters are 64 bytes: allowed; 33 are 66 bytes: rejected.
        assert!(parse_markup(keyboard(&"я".repeat(32))).is_ok());
        let err = parse_markup(keyboard(&"я".repeat(33))).expect_err("66 bytes");
        assert_eq!(err.description, "Bad Request: BUTTON_DATA_INVALID");
        assert!(parse_markup(keyboard("")).is_err());
    }

    #[test]
    fn empty_inline_keyboard_is_no_markup() {
        assert_eq!(parse_markup(Some(json!({"inline_keyboard": []}))).expect("valid"), Markup::None);
    }
}
