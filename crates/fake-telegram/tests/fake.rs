//! The fake Telegram server spoken to over raw HTTP, as a bot would.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;
use zapys_fake_telegram::{FakeTelegram, Fault, TgUser};

const TOKEN: &str = "123:TEST";
const WAIT: Duration = Duration::from_secs(5);

/// A minimal Bot API client.
struct Bot {
    http: reqwest::Client,
    base: String,
}

impl Bot {
    fn new(tg: &FakeTelegram) -> Self {
        Self { http: reqwest::Client::new(), base: format!("{}/bot{}", tg.api_url(), tg.token()) }
    }

    /// POSTs JSON parameters; returns the HTTP status and the answer.
    async fn call(&self, method: &str, params: Value) -> (u16, Value) {
        let answer =
            self.http.post(format!("{}/{method}", self.base)).json(&params).send().await.expect("the fake answers");
        read(answer).await
    }

    /// POSTs a form-urlencoded body.
    async fn form(&self, method: &str, body: &str) -> (u16, Value) {
        let answer = self
            .http
            .post(format!("{}/{method}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .expect("the fake answers");
        read(answer).await
    }

    /// GETs with a query string.
    async fn get(&self, method_and_query: &str) -> (u16, Value) {
        let answer = self.http.get(format!("{}/{method_and_query}", self.base)).send().await.expect("the fake answers");
        read(answer).await
    }

    async fn ok(&self, method: &str, params: Value) -> Value {
        let (status, body) = self.call(method, params).await;
        assert_eq!(status, 200, "{method} answered {body}");
        assert_eq!(body["ok"], true);
        body["result"].clone()
    }

    async fn send(&self, chat_id: i64, text: &str) -> Value {
        self.ok("sendMessage", json!({ "chat_id": chat_id, "text": text })).await
    }
}

async fn read(answer: reqwest::Response) -> (u16, Value) {
    let status = answer.status().as_u16();
    let body = answer.json().await.expect("a JSON answer");
    (status, body)
}

async fn setup() -> (FakeTelegram, Bot, TgUser) {
    let tg = FakeTelegram::start(TOKEN).await;
    let bot = Bot::new(&tg);
    let olena = tg.user(1001, "Олена", Some("uk"));
    (tg, bot, olena)
}

fn inline(rows: Value) -> Value {
    json!({ "inline_keyboard": rows })
}

#[tokio::test]
async fn get_me_answers_the_bot_user() {
    let (_tg, bot, _) = setup().await;
    let me = bot.ok("getMe", json!({})).await;
    assert_eq!(me["id"], 123);
    assert_eq!(me["is_bot"], true);
    assert_eq!(me["username"], "zapys_test_bot");
    assert!(me["first_name"].is_string());
}

#[tokio::test]
async fn method_names_are_case_insensitive() {
    let (tg, bot, olena) = setup().await;
    assert_eq!(bot.ok("GETME", json!({})).await["is_bot"], true);
    let sent = bot.ok("SendMessage", json!({ "chat_id": olena.id, "text": "Вітаю" })).await;
    assert_eq!(sent["text"], "Вітаю");
    let calls = tg.calls();
    assert_eq!(calls[0].method, "getme");
    assert_eq!(calls[1].method, "sendmessage");
    assert_eq!(calls[1].params["chat_id"], 1001);
    assert_eq!(calls[1].status, 200);
}

#[tokio::test]
async fn wrong_token_and_unknown_method_answer_like_telegram() {
    let (tg, bot, _) = setup().await;
    let answer = reqwest::get(format!("{}/bot999:WRONG/getMe", tg.api_url())).await.expect("answers");
    let (status, body) = read(answer).await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"ok": false, "error_code": 401, "description": "Unauthorized"}));

    let (status, body) = bot.call("sendTelepathy", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(body, json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"}));
}

#[tokio::test]
async fn long_poll_returns_as_soon_as_an_update_arrives() {
    let (tg, bot, olena) = setup().await;
    let started = Instant::now();
    let poll = tokio::spawn(async move {
        let answer = bot.call("getUpdates", json!({ "timeout": 20 })).await;
        (answer, bot)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    tg.send_text(&olena, "/start");
    let ((status, body), _bot) = poll.await.expect("the poll finishes");
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(5), "returned early");
    let updates = body["result"].as_array().expect("an array");
    assert_eq!(updates.len(), 1);
    let message = &updates[0]["message"];
    assert_eq!(message["text"], "/start");
    assert_eq!(message["from"]["id"], 1001);
    assert_eq!(message["from"]["is_bot"], false);
    assert_eq!(message["from"]["language_code"], "uk");
    assert_eq!(message["chat"]["id"], 1001);
    assert_eq!(message["chat"]["type"], "private");
    assert_eq!(message["entities"], json!([{ "type": "bot_command", "offset": 0, "length": 6 }]));
    assert!(message["date"].as_i64().expect("date") > 1_700_000_000);
}

#[tokio::test]
async fn long_poll_answers_empty_after_the_timeout() {
    let (_tg, bot, _) = setup().await;
    let started = Instant::now();
    let updates = bot.ok("getUpdates", json!({ "timeout": 1 })).await;
    assert_eq!(updates, json!([]));
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(900), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "waited {elapsed:?}");
}

#[tokio::test]
async fn offset_acknowledges_earlier_updates() {
    let (tg, bot, olena) = setup().await;
    let first = tg.send_text(&olena, "один");
    let second = tg.send_text(&olena, "два");
    assert_eq!(second, first + 1, "update ids increase");

    let updates = bot.ok("getUpdates", json!({})).await;
    assert_eq!(updates.as_array().map(Vec::len), Some(2));
    assert_eq!(updates[0]["update_id"], first);

    // Not acknowledged: delivered again.
    let again = bot.ok("getUpdates", json!({ "limit": 1 })).await;
    assert_eq!(again.as_array().map(Vec::len), Some(1));
    assert_eq!(again[0]["update_id"], first);

    let rest = bot.ok("getUpdates", json!({ "offset": first + 1, "allowed_updates": ["message"] })).await;
    assert_eq!(rest.as_array().map(Vec::len), Some(1));
    assert_eq!(rest[0]["message"]["text"], "два");

    let none = bot.ok("getUpdates", json!({ "offset": second + 1 })).await;
    assert_eq!(none, json!([]));
    assert!(tg.pending_updates().is_empty());
}

#[tokio::test]
async fn send_message_result_is_realistic_and_echoes_only_inline_markup() {
    let (tg, bot, olena) = setup().await;
    let keyboard = inline(json!([[{ "text": "Записатися", "callback_data": "book" }]]));
    let sent = bot
        .ok(
            "sendMessage",
            json!({ "chat_id": olena.id, "text": "<b>Вітаю</b>, Олено!", "parse_mode": "HTML", "reply_markup": keyboard }),
        )
        .await;
    assert_eq!(sent["message_id"], 1);
    assert!(sent["date"].as_i64().expect("date") > 1_700_000_000);
    assert_eq!(sent["chat"], json!({ "id": 1001, "type": "private", "first_name": "Олена" }));
    assert_eq!(sent["from"]["is_bot"], true);
    assert_eq!(sent["from"]["username"], "zapys_test_bot");
    assert_eq!(sent["text"], "Вітаю, Олено!");
    assert_eq!(sent["reply_markup"], keyboard);

    let reply = json!({
        "keyboard": [[{ "text": "Поділитися номером", "request_contact": true }], ["Мої записи"]],
        "resize_keyboard": true,
        "one_time_keyboard": true,
    });
    let second =
        bot.ok("sendMessage", json!({ "chat_id": olena.id, "text": "Ваш номер?", "reply_markup": reply })).await;
    assert_eq!(second["message_id"], 2);
    assert!(second.get("reply_markup").is_none(), "reply keyboards are never echoed");

    let shown = tg.reply_keyboard(&olena).expect("a reply keyboard is shown");
    assert_eq!(shown[0][0].text, "Поділитися номером");
    assert!(shown[0][0].request_contact);
    assert_eq!(shown[1][0].text, "Мої записи");

    let messages = tg.chat(&olena);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].inline_labels(), ["Записатися"]);
    assert_eq!(messages[0].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(messages[1].reply_labels(), ["Поділитися номером", "Мої записи"]);

    // The keyboard stays until removed.
    bot.send(olena.id, "Ще щось").await;
    assert!(tg.reply_keyboard(&olena).is_some());
    bot.ok("sendMessage", json!({ "chat_id": olena.id, "text": "Дякую", "reply_markup": { "remove_keyboard": true } }))
        .await;
    assert!(tg.reply_keyboard(&olena).is_none());
    assert!(tg.last_message(&olena).expect("sent").remove_keyboard);
}

#[tokio::test]
async fn callback_data_limit_is_64_bytes_with_cyrillic_as_two() {
    let (tg, bot, olena) = setup().await;
    let with_data = |data: String| json!({ "chat_id": olena.id, "text": "Оберіть", "reply_markup": inline(json!([[{ "text": "x", "callback_data": data }]])) });
    // 32 Cyrillic letters: 32 characters, 64 bytes.
    bot.ok("sendMessage", with_data("я".repeat(32))).await;
    // 33 letters: 66 bytes, though only 33 characters.
    let (status, body) = bot.call("sendMessage", with_data("я".repeat(33))).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: BUTTON_DATA_INVALID");
    let (status, _) = bot.call("sendMessage", with_data(String::new())).await;
    assert_eq!(status, 400);
    assert_eq!(tg.chat(&olena).len(), 1, "failed sends create no message");
}

#[tokio::test]
async fn text_is_validated_like_telegram() {
    let (tg, bot, olena) = setup().await;
    let (status, body) = bot.call("sendMessage", json!({ "chat_id": olena.id, "text": "" })).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: message text is empty");

    // 4096 Cyrillic characters are 8192 bytes: still allowed.
    bot.send(olena.id, &"ж".repeat(4096)).await;
    let (status, body) = bot.call("sendMessage", json!({ "chat_id": olena.id, "text": "ж".repeat(4097) })).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: message is too long");

    let (status, body) = bot
        .call("sendMessage", json!({ "chat_id": olena.id, "text": "Ціна 100.50", "parse_mode": "MarkdownV2" }))
        .await;
    assert_eq!(status, 400);
    assert!(body["description"].as_str().expect("a description").starts_with("Bad Request: can't parse entities:"));

    let (status, body) = bot.call("sendMessage", json!({ "chat_id": 4242, "text": "хто тут?" })).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: chat not found");
    assert_eq!(tg.chat(&olena).len(), 1);
}

#[tokio::test]
async fn edits_apply_and_unchanged_edit_is_not_modified() {
    let (tg, bot, olena) = setup().await;
    let keyboard = inline(json!([[{ "text": "Так", "callback_data": "yes" }]]));
    let sent =
        bot.ok("sendMessage", json!({ "chat_id": olena.id, "text": "Підтвердити?", "reply_markup": keyboard })).await;
    let id = sent["message_id"].as_i64().expect("id");

    let (status, body) = bot
        .call(
            "editMessageText",
            json!({ "chat_id": olena.id, "message_id": id, "text": "Підтвердити?", "reply_markup": keyboard }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
    );

    let (status, body) =
        bot.call("editMessageText", json!({ "chat_id": olena.id, "message_id": id + 10, "text": "Інше" })).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: message to edit not found");

    // An edit without reply_markup removes the inline keyboard, as in Telegram.
    let edited =
        bot.ok("editMessageText", json!({ "chat_id": olena.id, "message_id": id, "text": "Підтверджено" })).await;
    assert_eq!(edited["text"], "Підтверджено");
    assert!(edited.get("reply_markup").is_none());
    assert!(edited["edit_date"].is_i64());

    let new_keyboard = inline(json!([[{ "text": "Скасувати", "callback_data": "cancel" }]]));
    let edited = bot
        .ok("editMessageReplyMarkup", json!({ "chat_id": olena.id, "message_id": id, "reply_markup": new_keyboard }))
        .await;
    assert_eq!(edited["reply_markup"], new_keyboard);
    let (status, _) = bot
        .call("editMessageReplyMarkup", json!({ "chat_id": olena.id, "message_id": id, "reply_markup": new_keyboard }))
        .await;
    assert_eq!(status, 400, "same markup again is not modified");

    let now = tg.last_message(&olena).expect("the message");
    assert!(now.edited);
    assert_eq!(now.text, "Підтверджено");
    assert_eq!(now.inline_labels(), ["Скасувати"]);
    // wait_for_message gives it as sent.
    let as_sent = tg.wait_for_message(&olena, WAIT).await.expect("sent");
    assert_eq!(as_sent.text, "Підтвердити?");
    assert!(!as_sent.edited);

    assert_eq!(bot.ok("deleteMessage", json!({ "chat_id": olena.id, "message_id": id })).await, true);
    assert!(tg.chat(&olena).is_empty());
    let (status, body) = bot.call("deleteMessage", json!({ "chat_id": olena.id, "message_id": id })).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: message to delete not found");
}

#[tokio::test]
async fn too_many_requests_on_demand_has_retry_after_and_no_effect() {
    let (tg, bot, olena) = setup().await;
    tg.fail_next("sendMessage", Fault::TooManyRequests { retry_after: 3 });
    let (status, body) = bot.call("SendMessage", json!({ "chat_id": olena.id, "text": "Нагадування" })).await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({
            "ok": false,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": { "retry_after": 3 },
        })
    );
    assert!(tg.chat(&olena).is_empty(), "a faulted call has no effect");
    let call = tg.calls_of("sendMessage").pop().expect("recorded");
    assert!(call.faulted);
    assert_eq!(call.status, 429);

    // Only the next call failed.
    assert_eq!(bot.send(olena.id, "Нагадування").await["message_id"], 1);
}

#[tokio::test]
async fn server_errors_stalls_and_standing_faults() {
    let (tg, bot, olena) = setup().await;
    tg.fail_next("getUpdates", Fault::ServerError);
    let (status, body) = bot.call("getUpdates", json!({})).await;
    assert_eq!(status, 502);
    assert_eq!(body, json!({ "ok": false, "error_code": 502, "description": "Bad Gateway" }));

    tg.fail_next("sendMessage", Fault::Stall(Duration::from_millis(700)));
    let started = Instant::now();
    bot.send(olena.id, "повільно").await;
    assert!(started.elapsed() >= Duration::from_millis(650));
    assert_eq!(tg.chat(&olena).len(), 1, "a stalled call takes effect");

    tg.fail_every("sendMessage", Fault::InternalError, 3);
    let mut statuses = Vec::new();
    for i in 0..6 {
        statuses.push(bot.call("sendMessage", json!({ "chat_id": olena.id, "text": format!("#{i}") })).await.0);
    }
    assert_eq!(statuses, [200, 200, 500, 200, 200, 500]);
    tg.clear_faults();
    assert_eq!(bot.call("sendMessage", json!({ "chat_id": olena.id, "text": "ok" })).await.0, 200);
}

#[tokio::test]
async fn blocked_user_gets_403() {
    let (tg, bot, olena) = setup().await;
    tg.block(&olena);
    let (status, body) = bot.call("sendMessage", json!({ "chat_id": olena.id, "text": "Нагадування" })).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" })
    );
    assert!(tg.chat(&olena).is_empty());
    let updates = bot.ok("getUpdates", json!({})).await;
    assert_eq!(updates[0]["my_chat_member"]["new_chat_member"]["status"], "kicked");

    tg.unblock(&olena);
    bot.send(olena.id, "Знову разом").await;
}

#[tokio::test]
async fn form_and_query_parameters_with_json_string_markup() {
    let (tg, bot, olena) = setup().await;
    // reply_markup={"inline_keyboard":[[{"text":"Так","callback_data":"так"}]]}, percent-encoded.
    let body = "chat_id=1001&text=%D0%A2%D0%B5%D1%81%D1%82+%D1%84%D0%BE%D1%80%D0%BC%D0%B8\
&reply_markup=%7B%22inline_keyboard%22%3A%5B%5B%7B%22text%22%3A%22%D0%A2%D0%B0%D0%BA%22%2C%22callback_data%22%3A%22%D1%82%D0%B0%D0%BA%22%7D%5D%5D%7D";
    let (status, answer) = bot.form("sendMessage", body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["text"], "Тест форми");
    assert_eq!(answer["result"]["reply_markup"], inline(json!([[{ "text": "Так", "callback_data": "так" }]])));
    let recorded = tg.calls_of("sendmessage").pop().expect("recorded");
    assert_eq!(recorded.params["reply_markup"]["inline_keyboard"][0][0]["text"], "Так");

    let (status, answer) =
        bot.get("sendMessage?chat_id=1001&text=query%20string&reply_markup=%7B%22remove_keyboard%22%3Atrue%7D").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["text"], "query string");
    assert!(tg.last_message(&olena).expect("sent").remove_keyboard);

    let (status, answer) = bot.form("getUpdates", "timeout=0&offset=0").await;
    assert_eq!(status, 200);
    assert_eq!(answer["result"], json!([]));
}

#[tokio::test]
async fn press_last_inline_sends_the_message_as_last_edited() {
    let (tg, bot, olena) = setup().await;
    let sent = bot
        .ok(
            "sendMessage",
            json!({
                "chat_id": olena.id,
                "text": "Оберіть день",
                "reply_markup": inline(json!([[{ "text": "Пн", "callback_data": "d:1" }, { "text": "Вт", "callback_data": "d:2" }]])),
            }),
        )
        .await;
    let id = sent["message_id"].as_i64().expect("id");
    let next_month = inline(
        json!([[{ "text": "Ср", "callback_data": "d:3" }], [{ "text": "Сайт", "url": "https://zapys.example" }]]),
    );
    bot.ok(
        "editMessageText",
        json!({ "chat_id": olena.id, "message_id": id, "text": "Оберіть день (травень)", "reply_markup": next_month }),
    )
    .await;

    let error = tg.press_last_inline(&olena, "Пн").expect_err("edited away");
    assert!(error.contains("\"Ср\""), "{error}");
    let query_id = tg.press_last_inline(&olena, "Ср").expect("shown");

    let updates = bot.ok("getUpdates", json!({ "timeout": 1 })).await;
    let query = &updates[0]["callback_query"];
    assert_eq!(query["id"], query_id.as_str());
    assert_eq!(query["data"], "d:3");
    assert_eq!(query["from"]["id"], 1001);
    assert!(query["chat_instance"].is_string());
    assert_eq!(query["message"]["message_id"], id);
    assert_eq!(query["message"]["text"], "Оберіть день (травень)");
    assert_eq!(query["message"]["reply_markup"], next_month);
    assert_eq!(query["message"]["chat"]["id"], 1001);

    assert_eq!(bot.ok("answerCallbackQuery", json!({ "callback_query_id": query_id, "text": "Обрано" })).await, true);
    let (status, body) = bot.call("answerCallbackQuery", json!({ "callback_query_id": query_id })).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
    assert_eq!(tg.answered_callbacks(), [(query_id, Some("Обрано".to_owned()))]);
}

#[tokio::test]
async fn reply_buttons_send_text_or_share_the_contact() {
    let (tg, bot, olena) = setup().await;
    let olena = tg.register(olena.with_phone("380671234567"));
    assert!(tg.press_reply_button(&olena, "Мої записи").is_err(), "no keyboard yet");
    bot.ok(
        "sendMessage",
        json!({
            "chat_id": olena.id,
            "text": "Поділіться номером",
            "reply_markup": { "keyboard": [[{ "text": "📱 Номер", "request_contact": true }], [{ "text": "Мої записи" }]] },
        }),
    )
    .await;
    let error = tg.press_reply_button(&olena, "Скасувати").expect_err("not shown");
    assert!(error.contains("Мої записи"), "{error}");
    tg.press_reply_button(&olena, "📱 Номер").expect("shown");
    tg.press_reply_button(&olena, "Мої записи").expect("shown");
    tg.share_contact(&olena, "+380501112233", false);

    let updates = bot.ok("getUpdates", json!({})).await;
    let contact = &updates[0]["message"];
    assert!(contact.get("text").is_none());
    assert_eq!(contact["contact"]["phone_number"], "380671234567");
    assert_eq!(contact["contact"]["user_id"], 1001);
    assert_eq!(updates[1]["message"]["text"], "Мої записи");
    assert_ne!(updates[2]["message"]["contact"]["user_id"], 1001);
    // Client messages share the chat's message ids with the bot's.
    assert_eq!(updates[0]["message"]["message_id"], 2);
}

#[tokio::test]
async fn unsupported_kinds_are_realistic_messages() {
    let (tg, bot, olena) = setup().await;
    tg.send_sticker(&olena);
    tg.send_photo(&olena);
    let updates = bot.ok("getUpdates", json!({})).await;
    assert_eq!(updates[0]["message"]["sticker"]["type"], "regular");
    assert!(updates[0]["message"].get("text").is_none());
    assert!(updates[1]["message"]["photo"].as_array().is_some_and(|p| p.len() == 2));
}

#[tokio::test]
async fn wait_for_message_has_a_cursor_per_chat() {
    let (tg, bot, olena) = setup().await;
    let taras = tg.user(1002, "Тарас", None);
    assert!(tg.wait_for_message(&olena, Duration::from_millis(100)).await.is_none());

    let waiter = async { tg.wait_for_message(&olena, WAIT).await.map(|m| m.text) };
    let sender = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        bot.send(taras.id, "Тарасу").await;
        bot.send(olena.id, "перше").await;
        bot.send(olena.id, "друге").await;
    };
    let (first, ()) = tokio::join!(waiter, sender);
    assert_eq!(first.as_deref(), Some("перше"));
    let second = tg.wait_for_message(&olena, WAIT).await.expect("the second");
    assert_eq!(second.text, "друге");
    assert!(tg.wait_for_message(&olena, Duration::from_millis(100)).await.is_none());
    assert_eq!(tg.take_messages(&taras)[0].text, "Тарасу");
    assert!(tg.take_messages(&taras).is_empty());
}

#[tokio::test]
async fn wait_until_sees_calls_and_commands() {
    let (tg, bot, _) = setup().await;
    let setter = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        bot.ok(
            "setMyCommands",
            json!({ "commands": [{ "command": "start", "description": "Почати" }], "language_code": "uk" }),
        )
        .await;
        let (status, body) =
            bot.call("setMyCommands", json!({ "commands": [{ "command": "Bad-Name", "description": "x" }] })).await;
        assert_eq!((status, body["description"].clone()), (400, json!("Bad Request: BOT_COMMAND_INVALID")));
        bot.ok("setChatMenuButton", json!({ "menu_button": { "type": "commands" } })).await;
    };
    let waiter = tg.wait_until(|s| s.calls_of("setChatMenuButton").count() == 1, WAIT);
    let (seen, ()) = tokio::join!(waiter, setter);
    assert!(seen);
    tg.with_state(|s| {
        assert_eq!(s.commands(Some("uk")), Some(&json!([{ "command": "start", "description": "Почати" }])));
        assert_eq!(s.menu_button(None), Some(&json!({ "type": "commands" })));
    });
    assert!(!tg.wait_until(|s| s.calls().len() > 100, Duration::from_millis(100)).await);
}

#[tokio::test]
async fn a_newer_get_updates_terminates_the_pending_one() {
    let (_tg, bot, _) = setup().await;
    let first = bot.call("getUpdates", json!({ "timeout": 10 }));
    let second = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        bot.call("getUpdates", json!({ "timeout": 0 })).await
    };
    let ((status, body), (second_status, _)) = tokio::join!(first, second);
    assert_eq!(status, 409);
    assert_eq!(
        body["description"],
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    );
    assert_eq!(second_status, 200);
}

#[tokio::test]
async fn webhook_excludes_polling_and_receives_updates_with_the_secret() {
    use axum::http::HeaderMap;
    use tokio::sync::mpsc;

    let (tg, bot, olena) = setup().await;
    // The bot's webhook endpoint.
    let (tx, mut rx) = mpsc::unbounded_channel::<(Option<String>, Value)>();
    let app = axum::Router::new().route(
        "/telegram/hook",
        axum::routing::post(move |headers: HeaderMap, axum::Json(update): axum::Json<Value>| {
            let tx = tx.clone();
            async move {
                let secret =
                    headers.get("x-telegram-bot-api-secret-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
                let _ = tx.send((secret, update));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the webhook endpoint");
    let hook_url = format!("http://{}/telegram/hook", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let set = bot.call("setWebhook", json!({ "url": hook_url, "secret_token": "s3cret-Token_1" })).await;
    assert_eq!(set.1["description"], "Webhook was set");
    let (status, body) = bot.call("getUpdates", json!({})).await;
    assert_eq!(status, 409);
    assert!(
        body["description"]
            .as_str()
            .expect("description")
            .starts_with("Conflict: can't use getUpdates method while webhook is active")
    );

    tg.send_text(&olena, "/start");
    let info = bot.ok("getWebhookInfo", json!({})).await;
    assert_eq!(info["url"], hook_url.as_str());
    assert_eq!(info["pending_update_count"], 1);

    tg.deliver_webhooks(true);
    let (secret, update) = tokio::time::timeout(WAIT, rx.recv()).await.expect("delivered in time").expect("delivered");
    assert_eq!(secret.as_deref(), Some("s3cret-Token_1"));
    assert_eq!(update["message"]["text"], "/start");
    assert!(tg.wait_until(|s| s.pending_updates().is_empty(), WAIT).await, "a delivered update is no longer pending");

    let deleted = bot.call("deleteWebhook", json!({})).await;
    assert_eq!(deleted.1["description"], "Webhook was deleted");
    assert_eq!(bot.ok("getUpdates", json!({})).await, json!([]));
    server.abort();
}

#[tokio::test]
async fn shutdown_ends_pending_long_polls() {
    let (tg, bot, _) = setup().await;
    let poll = tokio::spawn(async move { bot.call("getUpdates", json!({ "timeout": 30 })).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    tg.shutdown().await;
    let (status, body) = poll.await.expect("the poll finishes");
    assert_eq!((status, body["result"].clone()), (200, json!([])));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn failed_webhook_delivery_is_reported_and_kept_pending() {
    let (tg, bot, olena) = setup().await;
    // A port with nothing listening: bind, note the address, close.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("address");
    bot.ok("setWebhook", json!({ "url": format!("http://{closed}/hook") })).await;
    tg.deliver_webhooks(true);
    tg.send_text(&olena, "привіт");
    assert!(tg.wait_until(|s| s.webhook_url().is_some() && s.pending_updates().len() == 1, WAIT).await);
    let mut info = Value::Null;
    for _ in 0..50 {
        info = bot.ok("getWebhookInfo", json!({})).await;
        if info.get("last_error_message").is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(info["last_error_message"], "Connection refused");
    assert_eq!(info["pending_update_count"], 1);
}

#[test]
fn the_fake_can_be_shared_between_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<FakeTelegram>();
}
