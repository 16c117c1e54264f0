//! The issuance register: for each certificate id (HCID) the credential
//! type, when it was issued, a digest of the credential, and its status
//! list entries; for each status list its URL, purpose, size and the
//! entries set. It holds no name, birth date or health data.
//!
//! Two stores, one behaviour:
//! - **SQLite** (the embedded default): one file, created on first use
//!   (mode 0600), in WAL mode.
//! - **PostgreSQL** (`postgres://…`), for issuers that outgrow one machine:
//!   several issuing processes on several machines share one register.
//!
//! Every change is one transaction, so a crash leaves all of it or none of
//! it. Allocation transactions are serialised (SQLite's write lock; a
//! PostgreSQL advisory lock), indexes are drawn at random within lists of
//! [`ddcc_status::MIN_LIST_BITS`] entries, and the database refuses a
//! status index allocated twice (primary key) and an HCID registered twice
//! (primary key), so re-running a batch is idempotent.
//!
//! **Who is issuing what.** A reservation belongs to the process that made
//! it (its [`Owner`]: host, process id and start time) until the
//! credential is marked issued. Another process asking for the same HCID
//! meanwhile is told it is [`Reservation::held_elsewhere`] and must not
//! issue it; a reservation whose owner has died (same host: the process is
//! gone; another host: its lease of [`LEASE_SECONDS`] ran out) is taken
//! over, with the same status entries.

#![forbid(unsafe_code)]

mod owner;
mod pg;
mod sqlite;

use std::path::Path;

use ddcc_status::{Bitstring, MIN_LIST_BITS, Purpose, StatusEntry, StatusList};

pub use owner::Owner;

/// How long a reservation stays with a process on another host that stops
/// answering, in seconds.
pub const LEASE_SECONDS: i64 = 300;

/// Why the register refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The SQLite database could not be opened, read or written.
    #[error("register database: {0}")]
    Db(#[from] rusqlite::Error),
    /// The PostgreSQL database could not be reached, read or written.
    #[error("register database (PostgreSQL): {0}")]
    Pg(String),
    /// The register file could not be created.
    #[error("register file: {0}")]
    Io(#[from] std::io::Error),
    /// No certificate with this HCID is registered.
    #[error("no certificate with this HCID is in the register")]
    UnknownHcid,
    /// The certificate has no entry for this purpose.
    #[error("the certificate has no {0} entry")]
    NoEntry(&'static str),
    /// A revoked certificate cannot be reinstated.
    #[error("a revoked certificate cannot be reinstated")]
    Revoked,
    /// Another process holds (or has issued) this certificate: this one
    /// must not record it as its own.
    #[error("another issuing process holds this certificate")]
    HeldElsewhere,
    /// The register location is neither a file path nor a `postgres://` URL.
    #[error("the register location is not a file path or a postgres:// URL")]
    BadLocation,
    /// A status list is full (should not happen: a new list is opened).
    #[error("status: {0}")]
    Status(#[from] ddcc_status::StatusError),
}

impl From<postgres::Error> for RegisterError {
    fn from(e: postgres::Error) -> Self {
        // The driver's message names the server condition (and its cause,
        // e.g. why a TLS certificate was refused); it carries no row data
        // of ours (HCIDs are not personal data in any case).
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        Self::Pg(text)
    }
}

/// What [`Register::reserve`] found or made for a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// Its status entries (the same on every call for one HCID); empty
    /// when it is held elsewhere.
    pub entries: Vec<StatusEntry>,
    /// The digest of the credential, if it was already issued.
    pub issued_digest: Option<String>,
    /// Another live process has reserved it and not yet issued it: do
    /// not issue it here.
    pub held_elsewhere: bool,
}

/// A row of the credentials table, as allocation needs it.
pub(crate) struct CredRow {
    pub(crate) digest: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) lease_until: i64,
}

/// A status list as a transaction allocates from it.
pub(crate) struct OpenList {
    pub(crate) id: i64,
    pub(crate) url: String,
    pub(crate) purpose: Purpose,
    pub(crate) size: usize,
    pub(crate) used: usize,
    pub(crate) taken: Bitstring,
}

/// A list as stored: (id, url, purpose, size).
pub(crate) type ListRow = (i64, String, String, i64);

/// What both stores do inside one transaction.
pub(crate) trait Tx {
    fn credential(&mut self, hcid: &str) -> Result<Option<CredRow>, RegisterError>;
    fn insert_credential(
        &mut self,
        hcid: &str,
        credential_type: &str,
        owner: &str,
        lease_until: i64,
    ) -> Result<(), RegisterError>;
    fn set_owner(&mut self, hcid: &str, owner: &str, lease_until: i64)
    -> Result<(), RegisterError>;
    fn entries_of(&mut self, hcid: &str) -> Result<Vec<(String, String, i64)>, RegisterError>;
    /// The list of `purpose` with room (at most half used), loaded with its
    /// taken indexes; `None` when there is none.
    /// A list of `purpose` and `issuer` under `base` (its URL starts with
    /// `base/`) with room left.
    fn list_with_room(
        &mut self,
        purpose: Purpose,
        issuer: Option<&str>,
        base: &str,
    ) -> Result<Option<OpenList>, RegisterError>;
    fn count_lists(&mut self, purpose: Purpose) -> Result<i64, RegisterError>;
    fn insert_list(
        &mut self,
        url: &str,
        purpose: Purpose,
        size: i64,
        issuer: Option<&str>,
    ) -> Result<i64, RegisterError>;
    fn insert_entry(&mut self, list_id: i64, idx: i64, hcid: &str) -> Result<(), RegisterError>;
    fn save_list(&mut self, list: &OpenList) -> Result<(), RegisterError>;
    /// Sets the digest where the row is not issued and belongs to `owner`;
    /// the number of rows changed.
    fn mark_issued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
        owner: &str,
    ) -> Result<u64, RegisterError>;
    fn entry_of(
        &mut self,
        hcid: &str,
        purpose: Purpose,
    ) -> Result<Option<(i64, String)>, RegisterError>;
    fn is_revoked(&mut self, hcid: &str) -> Result<bool, RegisterError>;
    fn set_entry_status(
        &mut self,
        hcid: &str,
        list_id: i64,
        set: bool,
    ) -> Result<(), RegisterError>;
    fn all_lists(&mut self, issuer: Option<&str>) -> Result<Vec<ListRow>, RegisterError>;
    fn set_indexes(&mut self, list_id: i64) -> Result<Vec<i64>, RegisterError>;
    fn counts(&mut self) -> Result<(u64, u64), RegisterError>;
    /// Replaces the digest of an issued certificate; rows changed.
    fn reissued(&mut self, hcid: &str, digest: &str, issued_at: &str)
    -> Result<u64, RegisterError>;

    /// The rows of those of `hcids` that are registered (one query where
    /// the store allows).
    fn credentials_many(
        &mut self,
        hcids: &[&str],
    ) -> Result<std::collections::HashMap<String, CredRow>, RegisterError> {
        let mut out = std::collections::HashMap::new();
        for h in hcids {
            if let Some(r) = self.credential(h)? {
                out.insert((*h).to_owned(), r);
            }
        }
        Ok(out)
    }

    /// Inserts new credentials and their entries `(list_id, idx, hcid)`.
    fn insert_many(
        &mut self,
        credentials: &[(&str, &str)],
        owner: &str,
        lease_until: i64,
        entries: &[(i64, i64, &str)],
    ) -> Result<(), RegisterError> {
        for (h, t) in credentials {
            self.insert_credential(h, t, owner, lease_until)?;
        }
        for (l, i, h) in entries {
            self.insert_entry(*l, *i, h)?;
        }
        Ok(())
    }

    /// [`Tx::mark_issued`] for many; the number of rows changed.
    fn mark_issued_many(
        &mut self,
        items: &[(&str, &str)],
        issued_at: &str,
        owner: &str,
    ) -> Result<u64, RegisterError> {
        let mut n = 0;
        for (h, d) in items {
            n += self.mark_issued(h, d, issued_at, owner)?;
        }
        Ok(n)
    }
}

enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(Box<pg::Pg>),
}

/// The register.
pub struct Register {
    store: Store,
    base_url: String,
    owner: Owner,
    issuer: Option<String>,
}

impl std::fmt::Debug for Register {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A PostgreSQL URL may carry a password: it is not shown.
        f.debug_struct("Register")
            .field(
                "store",
                &match self.store {
                    Store::Sqlite(_) => "sqlite",
                    Store::Postgres(_) => "postgres",
                },
            )
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Register {
    /// Opens (or creates, mode 0600) the SQLite register at `path`; status
    /// lists it opens get URLs under `base_url` (`{base}/{purpose}-{n}.json`,
    /// a path a static web server or `ddcc registry serve` can publish).
    ///
    /// # Errors
    /// [`RegisterError`] if the file cannot be created or read.
    pub fn open(path: &Path, base_url: &str) -> Result<Self, RegisterError> {
        Ok(Self {
            store: Store::Sqlite(sqlite::Sqlite::open(path)?),
            base_url: base_url.trim_end_matches('/').to_owned(),
            owner: Owner::this_process(),
            issuer: None,
        })
    }

    /// Connects to the PostgreSQL register at `url`
    /// (`postgres://user@host/db`), creating its tables on first use. The
    /// password, when not in the URL, comes from `PGPASSWORD`. The
    /// connection uses TLS unless the URL says `sslmode=disable`; the
    /// server's certificate is verified against the PEM file
    /// `PGSSLROOTCERT` names, or the system's roots.
    ///
    /// # Errors
    /// [`RegisterError::Pg`] if the server cannot be reached or refuses.
    pub fn connect(url: &str, base_url: &str) -> Result<Self, RegisterError> {
        let root = std::env::var_os("PGSSLROOTCERT").map(std::path::PathBuf::from);
        Self::connect_with_root(url, base_url, root.as_deref())
    }

    /// [`Register::connect`] trusting the certificates in the PEM file
    /// `root` for the server's TLS certificate (`None`: the system's roots).
    ///
    /// # Errors
    /// [`RegisterError::Pg`] if the server cannot be reached, refuses, or
    /// its certificate is not trusted.
    pub fn connect_with_root(
        url: &str,
        base_url: &str,
        root: Option<&Path>,
    ) -> Result<Self, RegisterError> {
        Ok(Self {
            store: Store::Postgres(Box::new(pg::Pg::connect(url, root)?)),
            base_url: base_url.trim_end_matches('/').to_owned(),
            owner: Owner::this_process(),
            issuer: None,
        })
    }

    /// [`Register::connect`] for a `postgres://` or `postgresql://` URL,
    /// [`Register::open`] for anything else (a file path).
    ///
    /// # Errors
    /// As those.
    pub fn open_location(location: &str, base_url: &str) -> Result<Self, RegisterError> {
        if is_postgres_url(location) {
            Self::connect(location, base_url)
        } else if location.contains("://") {
            Err(RegisterError::BadLocation)
        } else {
            Self::open(Path::new(location), base_url)
        }
    }

    /// The same register acting for another owner (tests and tools that
    /// stand in for several processes).
    #[must_use]
    pub fn with_owner(mut self, owner: Owner) -> Self {
        self.owner = owner;
        self
    }

    /// The same register acting for another issuer of its certificates:
    /// the lists it opens are that issuer's, and [`Register::lists`] gives
    /// only those. Without it, the lists are those of the register's own
    /// issuer. Certificate ids stay unique across issuers: an HCID is
    /// issued once, by one of them.
    #[must_use]
    pub fn with_issuer(mut self, issuer: &str) -> Self {
        self.issuer = Some(issuer.to_owned());
        self
    }

    /// Whether this register is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.store, Store::Postgres(_))
    }

    fn run<R: Send>(
        &mut self,
        write: bool,
        f: impl FnOnce(&mut dyn Tx) -> Result<R, RegisterError> + Send,
    ) -> Result<R, RegisterError> {
        match &mut self.store {
            Store::Sqlite(s) => s.transaction(write, f),
            Store::Postgres(p) => p.transaction(write, f),
        }
    }

    /// The status entries of `hcid`, allocating them (at random, one per
    /// purpose) if it is new. Calling it again for the same HCID returns
    /// the same entries: this is what makes issuing idempotent.
    ///
    /// # Errors
    /// [`RegisterError::Db`] / [`RegisterError::Pg`].
    pub fn reserve(
        &mut self,
        hcid: &str,
        credential_type: &str,
        purposes: &[Purpose],
        rng: &mut (dyn rand_core::RngCore + Send),
    ) -> Result<Reservation, RegisterError> {
        let mut all = self.reserve_many(&[(hcid, credential_type)], purposes, rng)?;
        all.pop().ok_or(RegisterError::UnknownHcid)
    }

    /// [`Register::reserve`] for many certificates in one transaction (what
    /// batch issuance uses: one commit per chunk, not per certificate).
    ///
    /// # Errors
    /// [`RegisterError::Db`] / [`RegisterError::Pg`]; nothing is reserved
    /// then.
    pub fn reserve_many(
        &mut self,
        items: &[(&str, &str)],
        purposes: &[Purpose],
        rng: &mut (dyn rand_core::RngCore + Send),
    ) -> Result<Vec<Reservation>, RegisterError> {
        let base = self.base_url.clone();
        let owner = self.owner.clone();
        let issuer = self.issuer.clone();
        self.run(true, move |tx| {
            let lists = Lists {
                base: &base,
                issuer: issuer.as_deref(),
            };
            reserve_all(tx, &lists, &owner, items, purposes, rng)
        })
    }

    /// Records that the credential for `hcid` was written out, with a
    /// digest of it and the time.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`], [`RegisterError::HeldElsewhere`] or
    /// a database error.
    pub fn mark_issued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
    ) -> Result<(), RegisterError> {
        self.mark_issued_many(&[(hcid, digest)], issued_at)
    }

    /// [`Register::mark_issued`] for many certificates in one transaction.
    /// Marking again with the same digest is accepted (idempotent).
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`] or [`RegisterError::HeldElsewhere`]
    /// (nothing is recorded then), or a database error.
    pub fn mark_issued_many(
        &mut self,
        items: &[(&str, &str)],
        issued_at: &str,
    ) -> Result<(), RegisterError> {
        let owner = self.owner.token().to_owned();
        self.run(true, move |tx| {
            if tx.mark_issued_many(items, issued_at, &owner)? == items.len() as u64 {
                return Ok(());
            }
            // Some were not this owner's to mark: accept those already
            // marked with the same digest, refuse the rest (the whole
            // transaction is rolled back then).
            let hcids: Vec<&str> = items.iter().map(|(h, _)| *h).collect();
            let rows = tx.credentials_many(&hcids)?;
            for (hcid, digest) in items {
                match rows.get(*hcid) {
                    None => return Err(RegisterError::UnknownHcid),
                    Some(row) if row.digest.as_deref() == Some(*digest) => {}
                    Some(_) => return Err(RegisterError::HeldElsewhere),
                }
            }
            Ok(())
        })
    }

    /// Records that an issued certificate was issued again (a lost or
    /// damaged copy replaced, with the same status entries): the register
    /// keeps the new copy's digest and time.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`] when no issued certificate has this
    /// HCID, or a database error.
    pub fn mark_reissued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
    ) -> Result<(), RegisterError> {
        self.run(true, move |tx| {
            if tx.reissued(hcid, digest, issued_at)? == 0 {
                return Err(RegisterError::UnknownHcid);
            }
            Ok(())
        })
    }

    /// Sets (`true`) or clears the status bit of `hcid` for `purpose`;
    /// returns the list URL to republish. A revocation cannot be undone.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`], [`RegisterError::NoEntry`],
    /// [`RegisterError::Revoked`] or a database error.
    pub fn set_status(
        &mut self,
        hcid: &str,
        purpose: Purpose,
        set: bool,
    ) -> Result<String, RegisterError> {
        self.run(true, move |tx| {
            if tx.credential(hcid)?.is_none() {
                return Err(RegisterError::UnknownHcid);
            }
            let Some((list_id, url)) = tx.entry_of(hcid, purpose)? else {
                return Err(RegisterError::NoEntry(purpose.as_str()));
            };
            // Revocation is final: it cannot be cleared, and a revoked
            // certificate is not reinstated from a suspension either.
            if !set && tx.is_revoked(hcid)? {
                return Err(RegisterError::Revoked);
            }
            tx.set_entry_status(hcid, list_id, set)?;
            Ok(url)
        })
    }

    /// Every status list of this register's issuer (see
    /// [`Register::with_issuer`]), with its bits as the register has them.
    ///
    /// # Errors
    /// A database error.
    pub fn lists(&mut self) -> Result<Vec<StatusList>, RegisterError> {
        let issuer = self.issuer.clone();
        self.run(false, move |tx| {
            let mut out = Vec::new();
            for (id, url, purpose, size) in tx.all_lists(issuer.as_deref())? {
                let mut bits = Bitstring::new(usize::try_from(size).unwrap_or(MIN_LIST_BITS));
                for i in tx.set_indexes(id)? {
                    bits.set(usize::try_from(i).unwrap_or(usize::MAX), true)?;
                }
                out.push(StatusList {
                    url,
                    purpose: Purpose::parse(&purpose).unwrap_or(Purpose::Revocation),
                    bits,
                    ttl_ms: None,
                });
            }
            Ok(out)
        })
    }

    /// The status entries of a registered certificate.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`] or a database error.
    pub fn entries(&mut self, hcid: &str) -> Result<Vec<StatusEntry>, RegisterError> {
        self.run(false, move |tx| {
            if tx.credential(hcid)?.is_none() {
                return Err(RegisterError::UnknownHcid);
            }
            Ok(to_entries(tx.entries_of(hcid)?))
        })
    }

    /// The digest recorded for an issued certificate (`None` while only
    /// reserved).
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`] or a database error.
    pub fn issued_digest(&mut self, hcid: &str) -> Result<Option<String>, RegisterError> {
        self.run(false, move |tx| {
            tx.credential(hcid)?
                .map(|r| r.digest)
                .ok_or(RegisterError::UnknownHcid)
        })
    }

    /// How many certificates are registered, and how many were written out.
    ///
    /// # Errors
    /// A database error.
    pub fn counts(&mut self) -> Result<(u64, u64), RegisterError> {
        self.run(false, |tx| tx.counts())
    }
}

/// Whether `location` names a PostgreSQL register.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn to_entries(rows: Vec<(String, String, i64)>) -> Vec<StatusEntry> {
    rows.into_iter()
        .map(|(url, purpose, idx)| StatusEntry {
            purpose: Purpose::parse(&purpose).unwrap_or(Purpose::Revocation),
            index: usize::try_from(idx).unwrap_or(0),
            list_url: url,
        })
        .collect()
}

/// Reserves `items` in one transaction: the rows already there are read in
/// one query, indexes for the new ones are drawn in memory, and the new
/// rows are written together.
fn reserve_all(
    tx: &mut dyn Tx,
    lists: &Lists<'_>,
    owner: &Owner,
    items: &[(&str, &str)],
    purposes: &[Purpose],
    rng: &mut (dyn rand_core::RngCore + Send),
) -> Result<Vec<Reservation>, RegisterError> {
    let now = unix_now();
    let hcids: Vec<&str> = items.iter().map(|(h, _)| *h).collect();
    let existing = tx.credentials_many(&hcids)?;
    let mut open: Vec<OpenList> = Vec::new();
    let mut out: Vec<Reservation> = Vec::with_capacity(items.len());
    let mut new_credentials: Vec<(&str, &str)> = Vec::new();
    let mut new_entries: Vec<(i64, i64, &str)> = Vec::new();
    // An HCID twice in `items` gets the first one's reservation.
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (hcid, credential_type) in items {
        if let Some(&i) = first.get(hcid) {
            let again = out[i].clone();
            out.push(again);
            continue;
        }
        first.insert(hcid, out.len());
        if let Some(row) = existing.get(*hcid) {
            out.push(existing_reservation(tx, owner, now, hcid, row)?);
            continue;
        }
        new_credentials.push((hcid, credential_type));
        let mut entries = Vec::with_capacity(purposes.len());
        for purpose in purposes {
            let pos = match open.iter().position(|l| l.purpose == *purpose) {
                Some(p) => p,
                None => {
                    open.push(open_list(tx, lists, *purpose)?);
                    open.len() - 1
                }
            };
            // A list half full is closed for allocation: the next one opens.
            if open[pos].used * 2 >= open[pos].size {
                tx.save_list(&open[pos])?;
                open[pos] = open_list(tx, lists, *purpose)?;
            }
            let list = &mut open[pos];
            let taken = &list.taken;
            let idx =
                ddcc_status::random_free_index(list.size, |i| taken.get(i).unwrap_or(true), rng)?;
            list.taken.set(idx, true)?;
            list.used += 1;
            new_entries.push((list.id, idx as i64, hcid));
            entries.push(StatusEntry {
                purpose: *purpose,
                index: idx,
                list_url: list.url.clone(),
            });
        }
        entries.sort_by_key(|e| e.purpose.as_str());
        out.push(Reservation {
            entries,
            issued_digest: None,
            held_elsewhere: false,
        });
    }
    tx.insert_many(
        &new_credentials,
        owner.token(),
        now + LEASE_SECONDS,
        &new_entries,
    )?;
    for list in &open {
        tx.save_list(list)?;
    }
    Ok(out)
}

/// The reservation of a registered certificate: issued, held by a live
/// owner elsewhere, or this owner's (taken over if its owner died).
fn existing_reservation(
    tx: &mut dyn Tx,
    owner: &Owner,
    now: i64,
    hcid: &str,
    row: &CredRow,
) -> Result<Reservation, RegisterError> {
    if row.digest.is_none() && row.owner.as_deref() != Some(owner.token()) {
        let alive = row
            .owner
            .as_deref()
            .is_some_and(|o| Owner::is_alive(o, row.lease_until, now));
        if alive {
            return Ok(Reservation {
                entries: Vec::new(),
                issued_digest: None,
                held_elsewhere: true,
            });
        }
        // Its owner died before issuing it: take it over, with the same
        // entries.
        tx.set_owner(hcid, owner.token(), now + LEASE_SECONDS)?;
    }
    Ok(Reservation {
        entries: to_entries(tx.entries_of(hcid)?),
        issued_digest: row.digest.clone(),
        held_elsewhere: false,
    })
}

/// The list of `purpose` with room left (at most half full, so random
/// draws stay cheap), opening a new one when needed.
/// Where new lists go: their base URL and their issuer (`None`: the
/// register's own).
struct Lists<'a> {
    base: &'a str,
    issuer: Option<&'a str>,
}

fn open_list(
    tx: &mut dyn Tx,
    lists: &Lists<'_>,
    purpose: Purpose,
) -> Result<OpenList, RegisterError> {
    // A list under this base: a register whose lists were published
    // elsewhere before gives new certificates lists at the new place, so a
    // credential never points at a base the issuer no longer asked for.
    let prefix = format!("{}/", lists.base);
    if let Some(list) = tx.list_with_room(purpose, lists.issuer, &prefix)? {
        return Ok(list);
    }
    // Numbered across issuers, so that two issuers' lists never share a URL.
    let n = tx.count_lists(purpose)?;
    let url = format!("{}/{}-{}.json", lists.base, purpose.as_str(), n + 1);
    let size = MIN_LIST_BITS;
    let id = tx.insert_list(&url, purpose, size as i64, lists.issuer)?;
    Ok(OpenList {
        id,
        url,
        purpose,
        size,
        used: 0,
        taken: Bitstring::new(size),
    })
}

/// Builds the taken bitmap of a list from its stored bytes, or (a register
/// written before the bitmap was stored) from its entries.
pub(crate) fn taken_bitmap(
    stored: Option<Vec<u8>>,
    size: usize,
    indexes: impl FnOnce() -> Result<Vec<i64>, RegisterError>,
) -> Result<Bitstring, RegisterError> {
    if let Some(bytes) = stored.filter(|b| b.len() * 8 == size) {
        return Ok(Bitstring::from_bytes(bytes)?);
    }
    let mut taken = Bitstring::new(size);
    for i in indexes()? {
        taken.set(usize::try_from(i).unwrap_or(usize::MAX), true)?;
    }
    Ok(taken)
}
