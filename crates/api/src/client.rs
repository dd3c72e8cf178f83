//! Who is on the other end of a request: the client's address and whether it
//! reached us over HTTPS.
//!
//! The TCP peer is the client unless the peer is a reverse proxy the operator
//! named in `ZAPYS_TRUSTED_PROXIES`; only then are its `X-Forwarded-For`,
//! `X-Forwarded-Proto` and `Forwarded` headers believed. Believing them from
//! anyone would let every client pick its own address (and dodge the login
//! limits); ignoring them behind a proxy makes every client 127.0.0.1 (and lets
//! one stranger lock the owner out).

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::AppState;

/// What the server knows about a connection; the accept loop puts it in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionInfo {
    pub peer: SocketAddr,
    /// The connection is TLS, terminated by Zapys itself.
    pub tls: bool,
}

/// Reverse proxies whose forwarding headers are believed. Empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A trusted-proxy entry that is neither an address nor a CIDR range.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not an IP address or a CIDR range (like 127.0.0.1, ::1 or 10.0.0.0/8)")]
pub struct BadProxy(String);

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets)
    }

    /// One entry: `127.0.0.1`, `::1`, `10.0.0.0/8`, `fd00::/8`.
    pub fn parse_entry(entry: &str) -> Result<IpNet, BadProxy> {
        let entry = entry.trim();
        IpNet::from_str(entry)
            .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
            .map_err(|_| BadProxy(entry.to_owned()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// `::ffff:1.2.3.4` is 1.2.3.4: a dual-stack socket reports IPv4 peers that way.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The client of one request, as far as the server can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// `None` only when the server was started without connection info (unit tests of the router).
    pub addr: Option<IpAddr>,
    /// The client's side of the connection is HTTPS: TLS here, or a trusted proxy says so.
    pub https: bool,
}

impl Client {
    /// Resolves the client of a request that arrived on `connection`.
    pub fn resolve(connection: Option<ConnectionInfo>, headers: &HeaderMap, trusted: &TrustedProxies) -> Self {
        let Some(connection) = connection else {
            return Self { addr: None, https: false };
        };
        let peer = canonical(connection.peer.ip());
        if connection.tls || !trusted.contains(peer) {
            // Over our own TLS the peer is the client; an untrusted peer's headers are its own words.
            return Self { addr: Some(peer), https: connection.tls };
        }
        let hops = forwarded_for(headers);
        // Walk from the nearest hop outwards; the first address no trusted proxy vouches for is the client.
        let mut client = peer;
        for hop in hops.iter().rev() {
            client = canonical(*hop);
            if !trusted.contains(client) {
                break;
            }
        }
        Self { addr: Some(client), https: forwarded_proto(headers).is_some_and(|p| p.eq_ignore_ascii_case("https")) }
    }
}

/// Addresses in `X-Forwarded-For` (all header lines, in order), or else in `Forwarded: for=`.
/// Entries that are not addresses (`unknown`, obfuscated names) end the list: nothing before
/// them can be checked.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let x_forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let entries: Vec<String> = if x_forwarded.is_empty() {
        forwarded_pairs(headers, "for")
    } else {
        x_forwarded.into_iter().map(str::to_owned).collect()
    };
    let mut addresses = Vec::new();
    for entry in entries.iter().rev() {
        match parse_node(entry) {
            Some(ip) => addresses.push(ip),
            None => break,
        }
    }
    addresses.reverse();
    addresses
}

/// `X-Forwarded-Proto`, or else `Forwarded: proto=`; the nearest proxy's word counts.
fn forwarded_proto(headers: &HeaderMap) -> Option<String> {
    let x_proto = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|v| !v.is_empty())
        .map(str::to_owned);
    x_proto.or_else(|| forwarded_pairs(headers, "proto").pop())
}

/// The values of `key=` in the `Forwarded` header (RFC 7239), nearest proxy last.
fn forwarded_pairs(headers: &HeaderMap, key: &str) -> Vec<String> {
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find_map(|(k, v)| k.trim().eq_ignore_ascii_case(key).then(|| v.trim().trim_matches('"').to_owned()))
        })
        .collect()
}

/// `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]`, `[2001:db8::1]:443` or a bare IPv6 address.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(node) {
        return Some(ip);
    }
    if let Ok(addr) = SocketAddr::from_str(node) {
        return Some(addr.ip());
    }
    node.strip_prefix('[').and_then(|rest| rest.split_once(']')).and_then(|(ip, _)| IpAddr::from_str(ip).ok())
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(client_of(parts, state))
    }
}

pub(crate) fn client_of(parts: &Parts, state: &AppState) -> Client {
    let connection = parts.extensions.get::<ConnectionInfo>().copied().or_else(|| {
        // `axum::serve(...).into_make_service_with_connect_info` gives only the peer.
        parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| ConnectionInfo { peer: info.0, tls: false })
    });
    let mut client = Client::resolve(connection, &parts.headers, &state.config().trusted_proxies);
    client.https |= state.config().secure_cookies;
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::new(entries.iter().map(|e| TrustedProxies::parse_entry(e).expect("valid")).collect())
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("valid header"));
        }
        map
    }

    fn from(peer: &str) -> Option<ConnectionInfo> {
        Some(ConnectionInfo { peer: SocketAddr::new(peer.parse().expect("ip"), 40000), tls: false })
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[("x-forwarded-for", "9.9.9.9"), ("x-forwarded-proto", "https")]);
        let client = Client::resolve(from("203.0.113.7"), &h, &proxies(&["127.0.0.1"]));
        assert_eq!(client, Client { addr: Some("203.0.113.7".parse().expect("ip")), https: false });
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_the_scheme() {
        let h = headers(&[("x-forwarded-for", "198.51.100.4"), ("x-forwarded-proto", "https")]);
        let client = Client::resolve(from("127.0.0.1"), &h, &proxies(&["127.0.0.1"]));
        assert_eq!(client, Client { addr: Some("198.51.100.4".parse().expect("ip")), https: true });
    }

    #[test]
    fn addresses_a_client_wrote_itself_are_skipped() {
        // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the real address.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.4")]);
        let client = Client::resolve(from("10.0.0.2"), &h, &proxies(&["10.0.0.0/8"]));
        assert_eq!(client.addr, Some("198.51.100.4".parse().expect("ip")));
    }

    #[test]
    fn chains_of_trusted_proxies_are_walked() {
        let h = headers(&[("x-forwarded-for", "198.51.100.4, 10.0.0.9")]);
        let client = Client::resolve(from("10.0.0.2"), &h, &proxies(&["10.0.0.0/8"]));
        assert_eq!(client.addr, Some("198.51.100.4".parse().expect("ip")));
    }

    #[test]
    fn the_forwarded_header_is_understood() {
        let h = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")]);
        let client = Client::resolve(from("::1"), &h, &proxies(&["::1"]));
        assert_eq!(client, Client { addr: Some("2001:db8::7".parse().expect("ip")), https: true });
    }

    #[test]
    fn own_tls_is_https_whatever_the_headers_say() {
        let connection = Some(ConnectionInfo { peer: "127.0.0.1:5".parse().expect("addr"), tls: true });
        let client = Client::resolve(connection, &headers(&[("x-forwarded-proto", "http")]), &proxies(&[]));
        assert!(client.https);
    }

    #[test]
    fn bad_proxy_entries_are_named() {
        assert!(TrustedProxies::parse_entry("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse_entry("proxy.local").is_err());
        assert!(TrustedProxies::parse_entry(" ::1 ").is_ok());
    }
}
