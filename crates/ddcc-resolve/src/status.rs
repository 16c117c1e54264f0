//! Status list credentials over HTTPS, under the same network policy as
//! DID resolution, remembered for a while so that a checkpoint does not
//! fetch a list for every credential.

use std::collections::HashMap;
use std::sync::RwLock;

use ddcc_status::{FetchFuture, FetchedList, StatusLists};

use crate::HttpClient;

/// Fetches status lists with an [`HttpClient`] and keeps each for
/// `refetch_after` seconds; the verifier decides, from the fetch time it
/// reports, whether a list is still fresh enough to trust. When a refetch
/// fails, the copy already held is returned (with its old fetch time), so a
/// verifier sees it as stale rather than the status as unreachable.
#[derive(Debug)]
pub struct HttpStatusLists {
    client: HttpClient,
    refetch_after: i64,
    held: RwLock<HashMap<String, FetchedList>>,
    now: fn() -> i64,
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl HttpStatusLists {
    /// A source using `client`, refetching a list after `refetch_after`
    /// seconds.
    pub fn new(client: HttpClient, refetch_after: i64) -> Self {
        Self {
            client,
            refetch_after,
            held: RwLock::new(HashMap::new()),
            now: unix_now,
        }
    }

    async fn get(&self, url: &str) -> Result<FetchedList, String> {
        let now = (self.now)();
        let held = self
            .held
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(url)
            .cloned();
        if let Some(h) = &held
            && now - h.fetched_at < self.refetch_after
        {
            return Ok(h.clone());
        }
        match self
            .client
            .get_json(url, "application/vc+ld+json, application/json")
            .await
        {
            Ok((200, credential)) => {
                let fresh = FetchedList {
                    credential,
                    fetched_at: now,
                };
                self.held
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(url.to_owned(), fresh.clone());
                Ok(fresh)
            }
            Ok((status, _)) => held.ok_or_else(|| format!("the list URL answered HTTP {status}")),
            Err(e) => held.ok_or_else(|| crate::fetch_error(&e, "the status list")),
        }
    }
}

impl StatusLists for HttpStatusLists {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(self.get(url))
    }
}
