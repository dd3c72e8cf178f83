//! The fake Bot API as a program, for tests outside Rust (the panel's browser tests, the contract
//! run): `zapys-fake-telegram <token>` serves it on a free port of 127.0.0.1, prints
//! `listening http://127.0.0.1:PORT`, then one line per call it receives (`call getme`; a call with
//! a token it does not know: `refused getme`; method names lowercased), until SIGTERM or Ctrl-C.

use std::time::Duration;

use zapys_fake_telegram::FakeTelegram;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Some(token) = std::env::args().nth(1) else {
        eprintln!("usage: zapys-fake-telegram <bot token to accept>");
        std::process::exit(2);
    };
    let telegram = FakeTelegram::start(&token).await;
    println!("listening {}", telegram.api_url());
    let mut printed = 0;
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
        let calls = telegram.calls();
        for call in calls.iter().skip(printed) {
            let verb = if call.status == 401 { "refused" } else { "call" };
            println!("{verb} {}", call.method);
        }
        printed = calls.len();
    }
    telegram.shutdown().await;
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
