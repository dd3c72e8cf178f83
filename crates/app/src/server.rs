//! The accept loop: one place for what a public HTTP server needs besides its routes.
//!
//! - a connection cap: beyond it a connection is answered 503 and closed at once, so a flood of
//!   idle sockets cannot pile up without bound;
//! - a header-read timeout, which also limits how long a keep-alive connection may sit idle, so
//!   half-sent requests and stalled sockets are dropped;
//! - TLS (rustls, TLS 1.2 and 1.3) when a certificate is configured, re-read on demand (SIGHUP);
//! - graceful shutdown: stop accepting, let requests in flight finish, close idle connections.
//!
//! Request deadlines (408) are the router's business (`zapys_api`), since they depend on the route.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;
use zapys_api::ConnectionInfo;

use crate::config::ConfigError;

/// How long requests in flight get to finish once shutdown has begun.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Limits of the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    pub header_read_timeout: Duration,
    pub max_connections: usize,
}

/// The certificate and key, loaded from PEM files and swappable while serving.
pub struct Tls {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<TlsAcceptor>,
}

impl Tls {
    /// Loads the certificate chain and key; errors name the variable at fault.
    pub fn load(cert: &Path, key: &Path) -> Result<Self, ConfigError> {
        let acceptor = acceptor(cert, key)?;
        Ok(Self { cert: cert.to_owned(), key: key.to_owned(), current: RwLock::new(acceptor) })
    }

    /// Reads the files again (after a certificate renewal). On an error the old certificate stays.
    pub fn reload(&self) -> Result<(), ConfigError> {
        let fresh = acceptor(&self.cert, &self.key)?;
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        Ok(())
    }

    fn acceptor(&self) -> TlsAcceptor {
        self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, ConfigError> {
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| ConfigError::new("ZAPYS_TLS_CERT", format!("cannot read {}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(ConfigError::new("ZAPYS_TLS_CERT", format!("{} holds no PEM certificate", cert.display())));
    }
    let private_key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        ConfigError::new("ZAPYS_TLS_KEY", format!("cannot read a PEM private key from {}: {e}", key.display()))
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ConfigError::new("ZAPYS_TLS_CERT", e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, private_key)
        .map_err(|e| ConfigError::new("ZAPYS_TLS_KEY", format!("does not fit the certificate: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves `router` on `listener` until `shutdown` turns true, then waits for requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    tls: Option<Arc<Tls>>,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stopping(&mut shutdown) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            connections.spawn(refuse_busy(stream, tls.is_some()));
            continue;
        };
        let (router, tls, stop) = (router.clone(), tls.clone(), shutdown.clone());
        connections.spawn(async move {
            let _slot = slot;
            let _ = stream.set_nodelay(true);
            match tls {
                None => connection(stream, peer, false, router, limits, stop).await,
                Some(tls) => {
                    // The handshake is part of "sending the headers": the same time limit.
                    match tokio::time::timeout(limits.header_read_timeout, tls.acceptor().accept(stream)).await {
                        Ok(Ok(stream)) => connection(stream, peer, true, router, limits, stop).await,
                        Ok(Err(error)) => tracing::debug!(%error, %peer, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
            }
        });
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Resolves once shutdown has begun (or its sender is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// Too many connections: say so in one write and close.
async fn refuse_busy(mut stream: TcpStream, tls: bool) {
    if !tls {
        let body = r#"{"error":"the server is busy; try again in a few seconds","code":"busy"}"#;
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 5\r\n\
             connection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(response.as_bytes())).await;
    }
    let _ = stream.shutdown().await;
}

async fn connection<S>(
    stream: S,
    peer: SocketAddr,
    tls: bool,
    router: Router,
    limits: ServerLimits,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let info = ConnectionInfo { peer, tls };
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(info);
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            return;
        }
        () = stopping(&mut shutdown) => {}
    }
    // Shutting down: finish the request in flight, then close. Endless responses (an open
    // event stream) get a grace period, not a veto.
    connection.as_mut().graceful_shutdown();
    match tokio::time::timeout(SHUTDOWN_GRACE, connection).await {
        Ok(Err(error)) => tracing::debug!(%error, %peer, "connection ended with an error during shutdown"),
        Ok(Ok(())) => {}
        Err(_) => tracing::debug!(%peer, "connection still busy at shutdown; closed"),
    }
}
