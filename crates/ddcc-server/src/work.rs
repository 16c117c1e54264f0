//! Where CPU work runs: verification, canonicalization, signing, bbs and
//! picture decoding go to a pool of threads of their own, so the threads
//! that accept connections and answer `/health` and `/metrics` are never
//! the ones busy with a stranger's request.
//!
//! - **Admission**: at most `max_pending` requests hold a place in the pool
//!   (running or waiting); one more is answered at once with 503
//!   `overloaded` and `Retry-After`, never queued without bound.
//! - **Deadline**: a request not answered within the deadline gets 503
//!   `deadline_exceeded`; its work is cancelled at its next await (the
//!   synchronous parts in between have work bounds of their own).
//! - **Disconnection**: when the client goes, the server drops the
//!   request, and the work is cancelled the same way.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use crate::AppState;
use crate::api::ApiError;

/// The pool's counters, for `/metrics`.
#[derive(Debug, Default)]
pub(crate) struct WorkCounters {
    /// Requests turned away because the pool was full.
    pub(crate) shed: AtomicU64,
    /// Requests that ran out of time.
    pub(crate) deadline_exceeded: AtomicU64,
    /// Requests whose client left before the answer.
    pub(crate) abandoned: AtomicU64,
}

/// The CPU pool and its limits.
pub(crate) struct WorkPool {
    runtime: Option<tokio::runtime::Runtime>,
    permits: Arc<tokio::sync::Semaphore>,
    max_pending: usize,
    pub(crate) deadline: Duration,
    pub(crate) counters: WorkCounters,
}

impl std::fmt::Debug for WorkPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkPool")
            .field("max_pending", &self.max_pending)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl WorkPool {
    /// A pool of `threads` threads admitting `max_pending` requests, each
    /// with `deadline`.
    pub(crate) fn new(
        threads: usize,
        max_pending: usize,
        deadline: Duration,
    ) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("ddcc-work")
            .enable_all()
            .build()?;
        Ok(Self {
            runtime: Some(runtime),
            permits: Arc::new(tokio::sync::Semaphore::new(max_pending.max(1))),
            max_pending: max_pending.max(1),
            deadline,
            counters: WorkCounters::default(),
        })
    }

    /// Requests holding a place now (running or waiting).
    pub(crate) fn pending(&self) -> usize {
        self.max_pending - self.permits.available_permits()
    }

    /// The most that may hold a place at once.
    pub(crate) fn max_pending(&self) -> usize {
        self.max_pending
    }

    /// Runs a background job (list signing, trust refresh) on the pool.
    pub(crate) fn spawn<F>(&self, job: F) -> Option<tokio::task::JoinHandle<F::Output>>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.runtime.as_ref().map(|r| r.spawn(job))
    }
}

impl Drop for WorkPool {
    fn drop(&mut self) {
        // Dropping a runtime waits for its threads, which an async caller
        // must not; the threads end by themselves once their work is gone.
        if let Some(r) = self.runtime.take() {
            r.shutdown_background();
        }
    }
}

/// Cancels a task when its handle is dropped (the client went, or the
/// deadline passed).
struct CancelOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for CancelOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Marks a request as abandoned unless it was answered.
struct Watch<'a> {
    counters: &'a WorkCounters,
    answered: bool,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.counters.abandoned.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn retry_after(mut r: Response, seconds: &'static str) -> Response {
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(seconds));
    r
}

/// The 503 for a request that ran out of time.
fn deadline_exceeded(pool: &WorkPool) -> Response {
    pool.counters
        .deadline_exceeded
        .fetch_add(1, Ordering::Relaxed);
    retry_after(
        ApiError::unavailable(
            "deadline_exceeded",
            format!(
                "the request was not answered within the service's deadline ({} s)",
                pool.deadline.as_secs_f64()
            ),
        )
        .into_response(),
        "1",
    )
}

/// The answer for a body that could not be read whole.
fn body_error(e: &axum::Error) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return crate::api::body_too_large();
        }
        source = s.source();
    }
    ApiError::bad("unreadable_body", "the request body could not be read")
}

/// The middleware for CPU-heavy routes: admission, the pool, the deadline.
///
/// `max_body` is the largest body any of these routes takes; each route's
/// own limit still applies to what is read here.
pub(crate) async fn offload(
    State((state, max_body)): State<(Arc<AppState>, usize)>,
    request: Request,
    next: Next,
) -> Response {
    let pool = &state.work;
    let Ok(permit) = pool.permits.clone().try_acquire_owned() else {
        pool.counters.shed.fetch_add(1, Ordering::Relaxed);
        let mut r = retry_after(
            ApiError::unavailable(
                "overloaded",
                "the service is busy with as many requests as it takes; try again shortly",
            )
            .into_response(),
            "1",
        );
        // The body was not read: the connection cannot carry another
        // request, and the client is told so.
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    };
    let deadline = tokio::time::Instant::now() + pool.deadline;
    let mut watch = Watch {
        counters: &pool.counters,
        answered: false,
    };
    // The body is read here, on the connection's own threads, so that
    // the pool gets a request it can answer without waiting for the
    // network: one hand-over in, one back. The place taken above bounds
    // how many bodies are held at once.
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout_at(deadline, axum::body::to_bytes(body, max_body)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            watch.answered = true;
            return body_error(&e).into_response();
        }
        Err(_) => {
            watch.answered = true;
            return deadline_exceeded(pool);
        }
    };
    let request = Request::from_parts(parts, axum::body::Body::from(body));
    let Some(task) = pool.spawn(async move {
        let response = next.run(request).await;
        drop(permit);
        response
    }) else {
        watch.answered = true;
        return ApiError::unavailable("shutting_down", "the service is stopping").into_response();
    };
    let mut task = CancelOnDrop(task);
    let answer = match tokio::time::timeout_at(deadline, &mut task.0).await {
        Ok(Ok(response)) => response,
        Ok(Err(_)) => ApiError::unavailable("unavailable", "the request could not be completed")
            .into_response(),
        Err(_) => deadline_exceeded(pool),
    };
    watch.answered = true;
    answer
}
