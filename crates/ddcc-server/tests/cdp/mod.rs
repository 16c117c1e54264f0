//! A minimal Chrome DevTools Protocol client for the browser test: start
//! headless Chromium, open a page, evaluate JavaScript, give a file input
//! its file, take a screenshot. Written here because the CDP client crate
//! tried (chromiumoxide 0.9) never returned from opening a page with
//! Chromium 148, and the test needs five commands.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

/// A running headless Chromium.
pub struct Chromium {
    child: Child,
    port: u16,
}

impl Chromium {
    /// Starts `binary` headless with `args` on top of the test settings.
    pub fn start(binary: &Path, profile: &Path, args: &[String]) -> Chromium {
        let mut child = Command::new(binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--window-size=900,1300",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…"
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("DevTools listening on ws://127.0.0.1:").nth(1) {
                    let port: u16 = rest.split('/').next().unwrap_or("").parse().unwrap_or(0);
                    let _ = tx.send(port);
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("chromium did not report its DevTools port");
        Chromium { child, port }
    }

    /// Opens `url` in a new tab.
    pub fn open(&self, url: &str) -> Page {
        let target = http(self.port, "PUT", &format!("/json/new?{url}"));
        let ws = target["webSocketDebuggerUrl"].as_str().unwrap().to_owned();
        let (socket, _) = tungstenite::connect(ws).expect("connect to the page");
        let mut page = Page { socket, next: 1 };
        page.call("Page.enable", json!({}));
        page.call("Runtime.enable", json!({}));
        page
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP request to the DevTools endpoint (plain HTTP on loopback).
fn http(port: u16, method: &str, path: &str) -> Value {
    use std::io::{Read as _, Write as _};
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // The DevTools server keeps the connection open: read the headers,
    // then exactly Content-Length bytes.
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).expect("DevTools HTTP headers");
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("DevTools answer without Content-Length");
    let mut body = vec![0u8; length];
    s.read_exact(&mut body).expect("DevTools HTTP body");
    serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("DevTools answered: {}", String::from_utf8_lossy(&body)))
}

/// A tab.
pub struct Page {
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
}

impl Page {
    /// Sends a command and waits for its answer (events in between are
    /// skipped).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.socket
            .send(Message::text(
                json!({"id": id, "method": method, "params": params}).to_string(),
            ))
            .unwrap();
        loop {
            let msg = self.socket.read().expect("DevTools connection");
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(text.as_str()).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        r["result"]["value"].clone()
    }

    /// Waits until `expression` is true (or panics after `timeout`).
    pub fn wait_for(&mut self, expression: &str, timeout: Duration) {
        let start = Instant::now();
        while self.eval(expression) != json!(true) {
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {expression}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Gives the file input matching `selector` the file `path` (the
    /// browser fires its change event).
    pub fn set_file(&mut self, selector: &str, path: &Path) {
        let doc = self.call("DOM.getDocument", json!({"depth": 0}));
        let root = doc["root"]["nodeId"].as_i64().unwrap();
        let node = self.call(
            "DOM.querySelector",
            json!({"nodeId": root, "selector": selector}),
        );
        let node_id = node["nodeId"].as_i64().unwrap();
        assert_ne!(node_id, 0, "no element {selector}");
        self.call(
            "DOM.setFileInputFiles",
            json!({"files": [path.to_string_lossy()], "nodeId": node_id}),
        );
    }

    /// A PNG screenshot of the whole page.
    pub fn screenshot(&mut self) -> Vec<u8> {
        use base64::Engine as _;
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap()
    }
}
