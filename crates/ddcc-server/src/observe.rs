//! Logs, request ids and metrics. Logs and metrics carry the route (its
//! pattern, not the URL: a DID in a path stays out), the status, the time
//! taken and the verdict; never a body, a header value or a key.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::IntoResponse as _;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerdictLabels {
    endpoint: String,
    verdict: String,
}

/// The service's metrics, in the Prometheus / OpenMetrics text format.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    verdicts: Family<VerdictLabels, Counter>,
    work_pending: Gauge,
    work_shed: Counter,
    work_deadline: Counter,
    work_abandoned: Counter,
    connections_open: Gauge,
    connections_refused: Counter,
}

/// The pool's and the listener's numbers, read when metrics are asked for.
pub(crate) struct Load<'a> {
    pub(crate) work: &'a crate::work::WorkPool,
    pub(crate) connections: Option<&'a ddcc::registry::ConnectionCounters>,
}

/// Raises a counter to `total` (counters only go up).
fn counter_to(c: &Counter, total: u64) {
    c.inc_by(total.saturating_sub(c.get()));
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            new_latency_histogram as fn() -> Histogram,
        );
        let verdicts = Family::<VerdictLabels, Counter>::default();
        registry.register(
            "ddcc_http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "ddcc_http_request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        registry.register(
            "ddcc_verdicts",
            "Verification verdicts by endpoint",
            verdicts.clone(),
        );
        let work_pending = Gauge::default();
        let work_shed = Counter::default();
        let work_deadline = Counter::default();
        let work_abandoned = Counter::default();
        let connections_open = Gauge::default();
        let connections_refused = Counter::default();
        registry.register(
            "ddcc_work_pending",
            "Requests holding a place in the CPU pool (running or waiting)",
            work_pending.clone(),
        );
        registry.register(
            "ddcc_work_shed",
            "Requests turned away (503 overloaded) because the CPU pool was full",
            work_shed.clone(),
        );
        registry.register(
            "ddcc_work_deadline_exceeded",
            "Requests answered 503 deadline_exceeded",
            work_deadline.clone(),
        );
        registry.register(
            "ddcc_work_abandoned",
            "Requests whose client left before the answer (their work cancelled)",
            work_abandoned.clone(),
        );
        registry.register(
            "ddcc_connections_open",
            "Client connections open",
            connections_open.clone(),
        );
        registry.register(
            "ddcc_connections_refused",
            "Connections closed on arrival at the connection limit",
            connections_refused.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            verdicts,
            work_pending,
            work_shed,
            work_deadline,
            work_abandoned,
            connections_open,
            connections_refused,
        }
    }

    /// Takes the pool's and the listener's numbers.
    pub(crate) fn load(&self, load: &Load<'_>) {
        use std::sync::atomic::Ordering::Relaxed;
        let c = &load.work.counters;
        self.work_pending
            .set(i64::try_from(load.work.pending()).unwrap_or(i64::MAX));
        counter_to(&self.work_shed, c.shed.load(Relaxed));
        counter_to(&self.work_deadline, c.deadline_exceeded.load(Relaxed));
        counter_to(&self.work_abandoned, c.abandoned.load(Relaxed));
        if let Some(conn) = load.connections {
            self.connections_open
                .set(i64::try_from(conn.open()).unwrap_or(i64::MAX));
            counter_to(&self.connections_refused, conn.refused());
        }
    }

    /// Counts a verdict given at `endpoint`.
    pub(crate) fn verdict(&self, endpoint: &str, verdict: &str) {
        self.verdicts
            .get_or_create(&VerdictLabels {
                endpoint: endpoint.to_owned(),
                verdict: verdict.to_owned(),
            })
            .inc();
    }

    /// The text exposition.
    pub(crate) fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

fn new_latency_histogram() -> Histogram {
    // 0.25 ms … about 4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

/// Gives each request an id (`x-request-id`: the caller's when it is a
/// short token, else a fresh one), logs it when it ends, and counts it.
pub(crate) async fn observe(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    // Labels and log fields come from fixed sets, never as sent: a client
    // inventing methods must not grow the metrics or the log.
    let method = method_label(request.method()).to_owned();
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(fresh_id);
    if let Ok(v) = HeaderValue::from_str(&id) {
        request.headers_mut().insert("x-request-id", v);
    }
    let mut pending = Unanswered {
        id: &id,
        method: &method,
        route: &route,
        started,
        answered: false,
    };
    let mut response = if host_allowed(&state.hosts, request.headers()) {
        next.run(request).await
    } else {
        crate::api::ApiError::misdirected().into_response()
    };
    pending.answered = true;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", v);
    }
    // No response is to be read as another type than it says.
    headers.insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if state.https {
        headers.insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method: method.clone(),
            status,
        })
        .inc();
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.clone(),
        })
        .observe(elapsed.as_secs_f64());
    tracing::info!(
        request_id = %id,
        method = %method,
        route = %route,
        status,
        micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

/// Logs a request whose client left before it was answered (the server
/// then drops it, and this with it).
struct Unanswered<'a> {
    id: &'a str,
    method: &'a str,
    route: &'a str,
    started: Instant,
    answered: bool,
}

impl Drop for Unanswered<'_> {
    fn drop(&mut self) {
        if !self.answered {
            tracing::info!(
                request_id = %self.id,
                method = %self.method,
                route = %self.route,
                micros = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX),
                "request abandoned: the client left before the answer"
            );
        }
    }
}

/// Whether the request's `Host` names this service (a request without one
/// is no browser's, and passes).
fn host_allowed(hosts: &[String], headers: &axum::http::HeaderMap) -> bool {
    let Some(host) = headers.get(axum::http::header::HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    // `name`, `name:port`, `[v6]` or `[v6]:port`.
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    hosts.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// The metric label and log field of a request method: the methods HTTP
/// defines, or `other`.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// A request id no other request of any run has: a random per-process
/// prefix and a counter. Ids identify requests, they are no secret, so a
/// request does not pay for a system call to the random source.
fn fresh_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| {
        use rand_core::RngCore as _;
        rand_core::OsRng.next_u64()
    });
    format!(
        "{prefix:016x}{:08x}",
        NEXT.fetch_add(1, Ordering::Relaxed) & 0xffff_ffff
    )
}

/// Logs to standard error: JSON lines when `json`, else text; the level
/// from `RUST_LOG` (default `info`).
///
/// Lines below `WARN` (the access log) are gathered and written every
/// 100 ms, or at once when 64 KiB are waiting; a warning or an error is
/// written at once, after what was gathered. A request thus costs no
/// write of its own. [`flush_logs`] writes what is waiting; the service
/// calls it when it stops.
pub fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(log::Stderr::start())
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub use log::flush as flush_logs;

/// Standard error with the access log gathered (see [`init_logging`]).
///
/// `tracing-appender`'s non-blocking writer hands each line to a thread,
/// which wakes that thread for nearly every request at the rates the
/// service sees; gathering in place and writing on a timer does not.
mod log {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, MutexGuard, Once};
    use std::time::Duration;

    use tracing::{Level, Metadata};
    use tracing_subscriber::fmt::MakeWriter;

    /// Written when this much is waiting.
    const LIMIT: usize = 64 * 1024;
    const PERIOD: Duration = Duration::from_millis(100);

    fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        // A panic while holding the lock leaves bytes, not broken state.
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Lines waiting for `out`.
    pub(super) struct Gathered<W> {
        waiting: Mutex<Vec<u8>>,
        /// Held while writing, so lines leave in the order they came.
        out: Mutex<W>,
        limit: usize,
    }

    impl<W: Write> Gathered<W> {
        pub(super) const fn new(out: W, limit: usize) -> Self {
            Self {
                waiting: Mutex::new(Vec::new()),
                out: Mutex::new(out),
                limit,
            }
        }

        /// Writes the waiting lines, then `also`.
        fn write_out(&self, also: &[u8]) {
            let mut out = lock(&self.out);
            let waiting = std::mem::take(&mut *lock(&self.waiting));
            // Nowhere to report a failed log write; the lines are dropped
            // rather than kept without bound.
            let _ = out.write_all(&waiting);
            let _ = out.write_all(also);
            let _ = out.flush();
        }

        /// Writes every waiting line now.
        pub(super) fn flush(&self) {
            if !lock(&self.waiting).is_empty() {
                self.write_out(&[]);
            }
        }

        /// Takes one line: written at once (after the waiting ones) when
        /// `urgent`, else gathered until the limit.
        pub(super) fn line(&self, line: &[u8], urgent: bool) {
            if urgent {
                return self.write_out(line);
            }
            let full = {
                let mut waiting = lock(&self.waiting);
                waiting.extend_from_slice(line);
                waiting.len() >= self.limit
            };
            if full {
                self.write_out(&[]);
            }
        }
    }

    /// The process's standard error.
    struct ErrOut;

    impl Write for ErrOut {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            std::io::stderr().lock().write(buf)
        }
        fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
            std::io::stderr().lock().write_all(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            std::io::stderr().lock().flush()
        }
    }

    static STDERR: Gathered<ErrOut> = Gathered::new(ErrOut, LIMIT);
    /// Set when the writing thread could not start: then nothing waits.
    static UNGATHERED: AtomicBool = AtomicBool::new(false);

    /// Writes every waiting line now.
    pub fn flush() {
        STDERR.flush();
    }

    /// The writer [`super::init_logging`] gives `tracing`.
    pub(super) struct Stderr;

    impl Stderr {
        /// Starts the thread that writes gathered lines every 100 ms.
        pub(super) fn start() -> Self {
            static STARTED: Once = Once::new();
            STARTED.call_once(|| {
                let spawned = std::thread::Builder::new()
                    .name("ddcc-log".into())
                    .spawn(|| {
                        loop {
                            std::thread::sleep(PERIOD);
                            flush();
                        }
                    });
                if spawned.is_err() {
                    UNGATHERED.store(true, Ordering::Relaxed);
                }
            });
            Self
        }
    }

    /// One log line's writer.
    pub(super) struct Line {
        urgent: bool,
    }

    impl<'a> MakeWriter<'a> for Stderr {
        type Writer = Line;

        fn make_writer(&'a self) -> Line {
            Line { urgent: true }
        }

        fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Line {
            Line {
                urgent: *meta.level() <= Level::WARN || UNGATHERED.load(Ordering::Relaxed),
            }
        }
    }

    impl Write for Line {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            STDERR.line(buf, self.urgent);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// A sink that counts writes of a non-empty batch.
        #[derive(Default)]
        struct Sink {
            bytes: Vec<u8>,
            writes: usize,
        }

        impl Write for Sink {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if !buf.is_empty() {
                    self.writes += 1;
                }
                self.bytes.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        fn written(g: &Gathered<Sink>) -> (String, usize) {
            let out = lock(&g.out);
            (String::from_utf8(out.bytes.clone()).unwrap(), out.writes)
        }

        #[test]
        fn ordinary_lines_wait_and_urgent_ones_follow_them_at_once() {
            let g = Gathered::new(Sink::default(), 1024);
            g.line(b"a\n", false);
            g.line(b"b\n", false);
            assert_eq!(written(&g), (String::new(), 0));
            g.line(b"WARN c\n", true);
            assert_eq!(written(&g), ("a\nb\nWARN c\n".to_owned(), 2));
            g.line(b"d\n", false);
            g.flush();
            g.flush();
            assert_eq!(written(&g), ("a\nb\nWARN c\nd\n".to_owned(), 3));
        }

        #[test]
        fn a_full_buffer_is_written_without_waiting_for_the_timer() {
            let g = Gathered::new(Sink::default(), 10);
            for _ in 0..4 {
                g.line(b"0123\n", false);
            }
            // Written at 10 and at 20 bytes; nothing left waiting.
            assert_eq!(written(&g).1, 2);
            assert_eq!(written(&g).0.len(), 20);
            assert!(lock(&g.waiting).is_empty());
        }
    }
}
