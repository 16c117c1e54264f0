//! What one client may hold of a server: a connection over the limit is
//! closed on arrival, and a connection that sends no request (or stops
//! half-way through its headers, or never finishes its TLS handshake) is
//! closed after the header-read, idle or handshake timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use ddcc_registry::{ConnectionLimits, RunningRegistry};

async fn start(limits: ConnectionLimits, tls: bool) -> (RunningRegistry, std::net::SocketAddr) {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let identity = tls.then(|| ddcc_registry::self_signed(&["127.0.0.1".into()]).unwrap().1);
    let running = ddcc_registry::start_with(
        listener,
        ddcc_registry::router(dir.path()),
        identity.as_ref(),
        &limits,
    )
    .await
    .unwrap();
    (running, addr)
}

/// Whether the server closes `stream` within `within` (reads until EOF or
/// an error; what arrives before is ignored).
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
        if start.elapsed() > within {
            return false;
        }
    }
}

fn get(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /1.0/identifiers/did:example:1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_over_the_limit_is_closed_on_arrival() {
    let limits = ConnectionLimits {
        max_connections: 4,
        ..ConnectionLimits::default()
    };
    let (running, addr) = start(limits, false).await;
    let counters = running.connections();
    tokio::task::spawn_blocking(move || {
        let mut held: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
        // The four are served (each answers a request).
        for s in &mut held {
            assert!(
                get(s).starts_with("HTTP/1.1 "),
                "a held connection is served"
            );
        }
        assert_eq!(counters.open(), 4);
        let mut fifth = TcpStream::connect(addr).unwrap();
        assert!(
            closed_within(&mut fifth, Duration::from_secs(10)),
            "the fifth is closed"
        );
        assert_eq!(counters.refused(), 1);
        // One leaves; another may come.
        drop(held.pop());
        let deadline = Instant::now() + Duration::from_secs(10);
        while counters.open() > 3 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut next = TcpStream::connect(addr).unwrap();
        assert!(get(&mut next).starts_with("HTTP/1.1 "));
        assert_eq!(counters.refused(), 1);
    })
    .await
    .unwrap();
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_slow_and_idle_connections_are_closed_after_their_timeouts() {
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(1),
        tls_handshake_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
        ..ConnectionLimits::default()
    };
    let (plain, plain_addr) = start(limits, false).await;
    let (tls, tls_addr) = start(limits, true).await;
    tokio::task::spawn_blocking(move || {
        // Connects and says nothing.
        let mut silent = TcpStream::connect(plain_addr).unwrap();
        assert!(
            closed_within(&mut silent, Duration::from_secs(10)),
            "silent"
        );
        // Sends its headers a byte every 300 ms (slowloris): never idle,
        // but the headers take longer than the timeout.
        let mut slow = TcpStream::connect(plain_addr).unwrap();
        let mut writer = slow.try_clone().unwrap();
        let trickle = std::thread::spawn(move || {
            let line = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: 1111111111111111111\r\n";
            for byte in line {
                if writer.write_all(&[*byte]).is_err() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(300));
            }
            false
        });
        assert!(
            closed_within(&mut slow, Duration::from_secs(10)),
            "slow headers"
        );
        assert!(trickle.join().unwrap(), "the server stopped the trickle");
        // Gets an answer, then keeps the connection idle.
        let mut idle = TcpStream::connect(plain_addr).unwrap();
        assert!(get(&mut idle).starts_with("HTTP/1.1 "));
        assert!(
            closed_within(&mut idle, Duration::from_secs(10)),
            "idle keep-alive"
        );
        // Opens TCP to the TLS port and never sends a ClientHello.
        let mut no_hello = TcpStream::connect(tls_addr).unwrap();
        assert!(
            closed_within(&mut no_hello, Duration::from_secs(10)),
            "no TLS handshake"
        );
    })
    .await
    .unwrap();
    plain.stop().await;
    tls.stop().await;
}

#[tokio::test]
async fn zero_limits_are_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let limits = ConnectionLimits {
        max_connections: 0,
        ..ConnectionLimits::default()
    };
    assert!(
        ddcc_registry::start_with(listener, ddcc_registry::router(dir.path()), None, &limits)
            .await
            .is_err()
    );
}
