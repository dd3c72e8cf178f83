//! Webhook delivery: while the bot has a webhook set and the test enabled delivery, every
//! queued update is POSTed to it, in order, one at a time, retried until answered 2xx.
//!
//! The POST is plain HTTP/1.1 over a tokio `TcpStream` (no HTTP client dependency), so only
//! `http://` webhook URLs can be delivered to; an `https://` URL is recorded as a delivery
//! error (`getWebhookInfo.last_error_message`) and the update stays pending.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::state::{Shared, unix_now};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

struct Delivery {
    url: String,
    secret: Option<String>,
    update_id: i64,
    body: String,
}

/// Runs until the fake shuts down.
pub(crate) async fn run(shared: Arc<Shared>) {
    let mut backoff = Duration::from_millis(50);
    loop {
        let mut changed = shared.subscribe();
        let (job, shutting_down) = shared.read(|s| {
            let job = match (&s.webhook, s.deliver_webhooks, s.updates.front()) {
                (Some(webhook), true, Some(update)) => Some(Delivery {
                    url: webhook.url.clone(),
                    secret: webhook.secret_token.clone(),
                    update_id: update.id,
                    body: update.json.to_string(),
                }),
                _ => None,
            };
            (job, s.shutting_down)
        });
        if shutting_down {
            return;
        }
        let Some(job) = job else {
            if changed.changed().await.is_err() {
                return;
            }
            continue;
        };
        let result = post(&job.url, job.secret.as_deref(), &job.body).await;
        let failed = result.is_err();
        shared.mutate(|s| match result {
            Ok(()) => {
                if s.updates.front().is_some_and(|u| u.id == job.update_id) {
                    s.updates.pop_front();
                }
            }
            Err(message) => {
                tracing::debug!(%message, url = %job.url, "fake telegram webhook delivery failed");
                s.webhook_last_error = Some((unix_now(), message));
            }
        });
        if failed {
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(1));
        } else {
            backoff = Duration::from_millis(50);
        }
    }
}

/// POSTs one update; `Err` carries a Telegram-like `last_error_message`.
async fn post(url: &str, secret: Option<&str>, body: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("http://") else {
        return Err("SSL error: the fake Telegram server can only deliver to http:// URLs".into());
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    let address = if authority.contains(':') { authority.to_owned() } else { format!("{authority}:80") };
    let stream = match timeout(CONNECT_TIMEOUT, TcpStream::connect(&address)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Err("Connection refused".into());
        }
        Ok(Err(e)) => return Err(format!("Failed to connect: {e}")),
        Err(_) => return Err("Connection timed out".into()),
    };
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(secret) = secret {
        request.push_str(&format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);

    let exchange = async {
        write_all(&stream, request.as_bytes()).await?;
        read_status(&stream).await
    };
    let status = match timeout(ANSWER_TIMEOUT, exchange).await {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => return Err(format!("Connection reset by peer: {e}")),
        Err(_) => return Err("Read timeout expired".into()),
    };
    match status {
        (200..=299, _) => Ok(()),
        (code, reason) => Err(format!("Wrong response from the webhook: {code} {reason}")),
    }
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads until the status line is complete and returns `(code, reason)`.
async fn read_status(stream: &TcpStream) -> std::io::Result<(u16, String)> {
    let mut head = Vec::new();
    let mut buf = [0_u8; 1024];
    loop {
        if let Some(end) = head.windows(2).position(|w| w == b"\r\n") {
            let line = String::from_utf8_lossy(&head[..end]).into_owned();
            let mut parts = line.splitn(3, ' ');
            let _version = parts.next();
            let code = parts
                .next()
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
            let reason = parts.next().unwrap_or("").to_owned();
            return Ok((code, reason));
        }
        stream.readable().await?;
        match stream.try_read(&mut buf) {
            Ok(0) => return Err(std::io::Error::other("connection closed before the answer")),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}
