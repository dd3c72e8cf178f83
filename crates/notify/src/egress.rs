//! Where webhook deliveries may go, and the HTTP client that goes there.
//!
//! A webhook URL is chosen by whoever holds an admin session or an API token,
//! and Zapys then makes requests to it from inside the business's network. So
//! a receiver must be an `https://` address whose host resolves only to public
//! addresses: never loopback, private, link-local (cloud metadata at
//! 169.254.169.254), shared, multicast or reserved ones. The check runs when a
//! webhook is created, again before every delivery, and once more inside the
//! HTTP client's own DNS resolver, so a name that resolved to a public address
//! at creation and to 127.0.0.1 now (DNS rebinding) is still refused: the
//! client only ever connects to addresses that passed the check. Redirects are
//! not followed, proxies from the environment are not used, and only the
//! receiver's status code is recorded, never its body.
//!
//! `ZAPYS_WEBHOOK_ALLOW_PRIVATE=1` lifts the address rule and allows `http://`
//! to addresses that are not public, for receivers on the same machine or
//! network (and for tests on 127.0.0.1); plain HTTP never crosses the internet.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::{SendError, WebhookPoster};

/// Whether receivers on loopback, private and link-local addresses (and over `http://`) are allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllowPrivate(pub bool);

/// Why a webhook URL is refused; the text is shown to the admin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("url must be an https:// address")]
    Malformed,
    #[error("url must be an https:// address (http:// only with ZAPYS_WEBHOOK_ALLOW_PRIVATE=1)")]
    NotHttps,
    #[error(
        "url points to {0}, a loopback, private, link-local or reserved address; webhooks go only to public \
         addresses (ZAPYS_WEBHOOK_ALLOW_PRIVATE=1 allows them)"
    )]
    PrivateAddress(IpAddr),
    #[error("url's host {0} could not be resolved")]
    Unresolvable(String),
}

/// Checks the form of a receiver's URL: `https://` (or `http://` when private receivers are allowed) and a host.
pub fn parse_receiver(url: &str, allow: AllowPrivate) -> Result<Url, Refusal> {
    if url.len() > 2000 || url.contains(char::is_whitespace) {
        return Err(Refusal::Malformed);
    }
    let parsed = Url::parse(url).map_err(|_| Refusal::Malformed)?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow.0 => {}
        "http" => return Err(Refusal::NotHttps),
        _ => return Err(Refusal::Malformed),
    }
    if parsed.host().is_none() || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Refusal::Malformed);
    }
    Ok(parsed)
}

/// Parses the URL and resolves its host: every address it names must be public. With private receivers
/// allowed, any address may be used over `https://`, and `http://` only to addresses that are not public
/// (plain HTTP never crosses the internet).
pub async fn check_receiver(url: &str, allow: AllowPrivate) -> Result<Url, Refusal> {
    let parsed = parse_receiver(url, allow)?;
    let plain_http = parsed.scheme() == "http";
    if allow.0 && !plain_http {
        return Ok(parsed);
    }
    let host = parsed.host_str().ok_or(Refusal::Malformed)?;
    let addresses = match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => match tokio::time::timeout(RESOLVE_LIMIT, resolve(host)).await {
            Ok(Ok(found)) if !found.is_empty() => found.into_iter().map(|a| a.ip()).collect(),
            _ => return Err(Refusal::Unresolvable(host.to_owned())),
        },
    };
    for ip in addresses {
        match (plain_http, is_public(ip)) {
            (true, true) => return Err(Refusal::NotHttps),
            (false, false) => return Err(Refusal::PrivateAddress(ip)),
            _ => {}
        }
    }
    Ok(parsed)
}

/// How long a receiver's name may take to resolve.
const RESOLVE_LIMIT: Duration = Duration::from_secs(5);

async fn resolve(name: &str) -> std::io::Result<Vec<SocketAddr>> {
    Ok(tokio::net::lookup_host((name, 0)).await?.collect())
}

/// True for an address on the public internet; false for loopback, private, link-local (and so cloud
/// metadata), shared (CGNAT), unspecified, multicast, broadcast, documentation and reserved ranges, also
/// when written inside an IPv6 address (IPv4-mapped, NAT64, 6to4).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if s[0] == 0x64 && s[1] == 0xff9b {
        return is_public_v4(embedded_v4(s[6], s[7])); // NAT64
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2])); // 6to4
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[..6] == [0; 6]) // IPv4-compatible and other reserved ::/96 forms
}

/// The HTTP client's resolver: resolves as usual, then keeps only the addresses that may be reached.
/// The client connects to what this answers, so the address checked is the address connected to.
#[derive(Debug, Clone, Copy)]
struct GuardedResolver(AllowPrivate);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.0;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found = resolve(&host).await?;
            let allowed: Vec<SocketAddr> = found.iter().copied().filter(|a| allow.0 || is_public(a.ip())).collect();
            if allowed.is_empty() {
                let refusal = match found.first() {
                    Some(address) => Refusal::PrivateAddress(address.ip()),
                    None => Refusal::Unresolvable(host),
                };
                return Err(Box::new(refusal) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// Posts webhook events over HTTPS to checked addresses only.
pub struct HttpPoster {
    http: reqwest::Client,
    allow: AllowPrivate,
}

impl HttpPoster {
    /// `timeout`: how long one delivery may take in all.
    pub fn new(allow: AllowPrivate, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver(allow)))
            .build()?;
        Ok(Self { http, allow })
    }
}

/// An error and its causes in one line, without the URL (it may carry a token of the receiver's).
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[async_trait]
impl WebhookPoster for HttpPoster {
    async fn post(&self, url: &str, headers: &[(&'static str, String)], body: Vec<u8>) -> Result<(), SendError> {
        // The receiver was checked when it was created; check again, as its name may resolve elsewhere now.
        let url = check_receiver(url, self.allow).await.map_err(|refusal| match refusal {
            Refusal::Unresolvable(_) => SendError::Transient(refusal.to_string()),
            other => SendError::Permanent(format!("refused: {other}")),
        })?;
        let mut request = self.http.post(url).body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.map_err(|e| SendError::Transient(describe(e)))?;
        // Only the status is kept: the body is the receiver's business and may be anything.
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let retry_after =
            response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        Err(match status.as_u16() {
            429 => SendError::RetryAfter(Duration::from_secs(retry_after.unwrap_or(30))),
            300..=399 => SendError::Permanent(format!("the receiver answered {status}; redirects are not followed")),
            408 | 500.. => SendError::Transient(format!("the receiver answered {status}")),
            _ => SendError::Permanent(format!("the receiver answered {status}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
        ] {
            assert!(!is_public(private.parse().expect("an address")), "{private}");
        }
        for public in ["1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(public.parse().expect("an address")), "{public}");
        }
    }

    #[tokio::test]
    async fn the_client_connects_only_to_addresses_that_pass_whatever_a_name_resolves_to() {
        let name = |n: &str| n.parse::<Name>().expect("a name");
        let refused = GuardedResolver(AllowPrivate(false)).resolve(name("localhost")).await;
        let error = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("loopback, private"), "{error}");
        let allowed = GuardedResolver(AllowPrivate(true)).resolve(name("localhost")).await;
        assert!(allowed.expect("resolves").any(|a| a.ip().is_loopback()), "allowed when asked for");
    }

    #[test]
    fn receivers_need_https_unless_private_ones_are_allowed() {
        let strict = AllowPrivate(false);
        assert_eq!(parse_receiver("http://hooks.example.com/x", strict), Err(Refusal::NotHttps));
        assert!(parse_receiver("https://hooks.example.com/x", strict).is_ok());
        assert!(parse_receiver("http://127.0.0.1:9/x", AllowPrivate(true)).is_ok());
        for bad in ["ftp://example.com", "https://", "https://user:pw@example.com/", "https://a b.com", "hooks"] {
            assert_eq!(parse_receiver(bad, AllowPrivate(true)), Err(Refusal::Malformed), "{bad}");
        }
    }
}
