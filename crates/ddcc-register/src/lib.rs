//! The issuance register: for each certificate id (HCID) the credential
//! type, when it was issued, a digest of the credential, and its status
//! list entries; for each status list its URL, purpose, size and the
//! entries set. It holds no name, birth date or health data.
//!
//! The embedded default is SQLite: one file, created on first use (mode
//! 0600), in WAL mode; every change is one transaction, so a crash leaves
//! either all of it or none of it. Indexes are allocated at random within
//! lists of [`ddcc_status::MIN_LIST_BITS`] entries; a status index is never
//! allocated twice (primary key), and an HCID is never registered twice
//! (primary key), so re-running a batch is idempotent.

#![forbid(unsafe_code)]

use std::path::Path;

use ddcc_status::{Bitstring, MIN_LIST_BITS, Purpose, StatusEntry, StatusList};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// Why the register refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The database could not be opened, read or written.
    #[error("register database: {0}")]
    Db(#[from] rusqlite::Error),
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
    /// A status list is full (should not happen: a new list is opened).
    #[error("status: {0}")]
    Status(#[from] ddcc_status::StatusError),
}

/// What [`Register::reserve`] found or made for a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// Its status entries (the same on every call for one HCID).
    pub entries: Vec<StatusEntry>,
    /// The digest of the credential, if it was already issued.
    pub issued_digest: Option<String>,
}

/// The register.
#[derive(Debug)]
pub struct Register {
    conn: Connection,
    base_url: String,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS lists (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    size INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS credentials (
    hcid TEXT PRIMARY KEY,
    credential_type TEXT NOT NULL,
    issued_at TEXT,
    digest TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    list_id INTEGER NOT NULL REFERENCES lists(id),
    idx INTEGER NOT NULL,
    hcid TEXT NOT NULL REFERENCES credentials(hcid),
    status INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (list_id, idx),
    UNIQUE (hcid, list_id)
);
";

impl Register {
    /// Opens (or creates, mode 0600) the register at `path`; status lists
    /// it opens get URLs under `base_url` (`{base}/{purpose}-{n}.json`, a path a static web server or `ddcc registry serve` can publish).
    ///
    /// # Errors
    /// [`RegisterError`] if the file cannot be created or read.
    pub fn open(path: &Path, base_url: &str) -> Result<Self, RegisterError> {
        if !path.exists() {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            drop(options.open(path)?);
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The status entries of `hcid`, allocating them (at random, one per
    /// purpose) if it is new. Calling it again for the same HCID returns
    /// the same entries: this is what makes issuing idempotent.
    ///
    /// # Errors
    /// [`RegisterError::Db`].
    pub fn reserve(
        &mut self,
        hcid: &str,
        credential_type: &str,
        purposes: &[Purpose],
        rng: &mut dyn rand_core::RngCore,
    ) -> Result<Reservation, RegisterError> {
        let mut all = self.reserve_many(&[(hcid, credential_type)], purposes, rng)?;
        all.pop().ok_or(RegisterError::UnknownHcid)
    }

    /// [`Register::reserve`] for many certificates in one transaction (what
    /// batch issuance uses: one commit per chunk, not per certificate).
    ///
    /// # Errors
    /// [`RegisterError::Db`]; nothing is reserved then.
    pub fn reserve_many(
        &mut self,
        items: &[(&str, &str)],
        purposes: &[Purpose],
        rng: &mut dyn rand_core::RngCore,
    ) -> Result<Vec<Reservation>, RegisterError> {
        let base = self.base_url.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut open: Vec<OpenList> = Vec::new();
        let mut out = Vec::with_capacity(items.len());
        for (hcid, credential_type) in items {
            out.push(reserve_in(
                &tx,
                &base,
                hcid,
                credential_type,
                purposes,
                rng,
                &mut open,
            )?);
        }
        for list in &open {
            list.save(&tx)?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Records that the credential for `hcid` was written out, with a
    /// digest of it and the time.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`] or [`RegisterError::Db`].
    pub fn mark_issued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
    ) -> Result<(), RegisterError> {
        self.mark_issued_many(&[(hcid, digest)], issued_at)
    }

    /// [`Register::mark_issued`] for many certificates in one transaction.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`] (nothing is recorded then) or
    /// [`RegisterError::Db`].
    pub fn mark_issued_many(
        &mut self,
        items: &[(&str, &str)],
        issued_at: &str,
    ) -> Result<(), RegisterError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt =
                tx.prepare("UPDATE credentials SET digest = ?2, issued_at = ?3 WHERE hcid = ?1")?;
            for (hcid, digest) in items {
                if stmt.execute(params![hcid, digest, issued_at])? == 0 {
                    return Err(RegisterError::UnknownHcid);
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Sets (`true`) or clears the status bit of `hcid` for `purpose`;
    /// returns the list URL to republish. A revocation cannot be undone.
    ///
    /// # Errors
    /// [`RegisterError::UnknownHcid`], [`RegisterError::NoEntry`],
    /// [`RegisterError::Revoked`] or [`RegisterError::Db`].
    pub fn set_status(
        &mut self,
        hcid: &str,
        purpose: Purpose,
        set: bool,
    ) -> Result<String, RegisterError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: bool = tx
            .query_row(
                "SELECT 1 FROM credentials WHERE hcid = ?1",
                params![hcid],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !known {
            return Err(RegisterError::UnknownHcid);
        }
        let row: Option<(i64, String)> = tx
            .query_row(
                "SELECT e.list_id, l.url FROM entries e JOIN lists l ON l.id = e.list_id
                 WHERE e.hcid = ?1 AND l.purpose = ?2",
                params![hcid, purpose.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((list_id, url)) = row else {
            return Err(RegisterError::NoEntry(purpose.as_str()));
        };
        // Revocation is final: it cannot be cleared, and a revoked
        // certificate is not reinstated from a suspension either.
        let revoked: bool = tx
            .query_row(
                "SELECT 1 FROM entries e JOIN lists l ON l.id = e.list_id
                 WHERE e.hcid = ?1 AND l.purpose = 'revocation' AND e.status = 1",
                params![hcid],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !set && revoked {
            return Err(RegisterError::Revoked);
        }
        tx.execute(
            "UPDATE entries SET status = ?3 WHERE hcid = ?1 AND list_id = ?2",
            params![hcid, list_id, i64::from(set)],
        )?;
        tx.commit()?;
        Ok(url)
    }

    /// Every status list, with its bits as the register has them.
    ///
    /// # Errors
    /// [`RegisterError::Db`].
    pub fn lists(&self) -> Result<Vec<StatusList>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, url, purpose, size FROM lists ORDER BY id")?;
        let rows: Vec<(i64, String, String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, url, purpose, size) in rows {
            let mut bits = Bitstring::new(usize::try_from(size).unwrap_or(MIN_LIST_BITS));
            let mut set = self
                .conn
                .prepare("SELECT idx FROM entries WHERE list_id = ?1 AND status = 1")?;
            let idxs: Vec<i64> = set
                .query_map(params![id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for i in idxs {
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
    }

    /// How many certificates are registered, and how many were written out.
    ///
    /// # Errors
    /// [`RegisterError::Db`].
    pub fn counts(&self) -> Result<(u64, u64), RegisterError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*), COUNT(digest) FROM credentials", [], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })?)
    }
}

/// The list a transaction is allocating from, for one purpose: which
/// indexes are taken is read once per transaction (the transaction holds the
/// write lock, so nobody else allocates meanwhile).
struct OpenList {
    id: i64,
    url: String,
    purpose: Purpose,
    size: usize,
    used: usize,
    taken: Bitstring,
}

impl OpenList {
    fn load(
        tx: &rusqlite::Transaction<'_>,
        base: &str,
        purpose: Purpose,
    ) -> Result<Self, RegisterError> {
        let (id, size) = open_list(tx, base, purpose)?;
        let (url, used): (String, i64) = tx.query_row(
            "SELECT url, used FROM lists WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut taken = Bitstring::new(size);
        let mut stmt = tx.prepare_cached("SELECT idx FROM entries WHERE list_id = ?1")?;
        let idxs = stmt.query_map(params![id], |r| r.get::<_, i64>(0))?;
        for i in idxs {
            taken.set(usize::try_from(i?).unwrap_or(usize::MAX), true)?;
        }
        Ok(Self {
            id,
            url,
            purpose,
            size,
            used: usize::try_from(used).unwrap_or(0),
            taken,
        })
    }

    fn save(&self, tx: &rusqlite::Transaction<'_>) -> Result<(), RegisterError> {
        tx.prepare_cached("UPDATE lists SET used = ?2 WHERE id = ?1")?
            .execute(params![self.id, self.used as i64])?;
        Ok(())
    }
}

fn reserve_in(
    tx: &rusqlite::Transaction<'_>,
    base: &str,
    hcid: &str,
    credential_type: &str,
    purposes: &[Purpose],
    rng: &mut dyn rand_core::RngCore,
    open: &mut Vec<OpenList>,
) -> Result<Reservation, RegisterError> {
    let existing: Option<Option<String>> = tx
        .prepare_cached("SELECT digest FROM credentials WHERE hcid = ?1")?
        .query_row(params![hcid], |r| r.get(0))
        .optional()?;
    if let Some(digest) = existing {
        return Ok(Reservation {
            entries: entries_of(tx, hcid)?,
            issued_digest: digest,
        });
    }
    tx.prepare_cached("INSERT INTO credentials (hcid, credential_type) VALUES (?1, ?2)")?
        .execute(params![hcid, credential_type])?;
    let mut entries = Vec::with_capacity(purposes.len());
    for purpose in purposes {
        let pos = match open.iter().position(|l| l.purpose == *purpose) {
            Some(p) => p,
            None => {
                open.push(OpenList::load(tx, base, *purpose)?);
                open.len() - 1
            }
        };
        // A list half full is closed for allocation: the next one opens.
        if open[pos].used * 2 >= open[pos].size {
            open[pos].save(tx)?;
            open[pos] = OpenList::load(tx, base, *purpose)?;
        }
        let list = &mut open[pos];
        let taken = &list.taken;
        let idx = ddcc_status::random_free_index(list.size, |i| taken.get(i).unwrap_or(true), rng)?;
        list.taken.set(idx, true)?;
        list.used += 1;
        tx.prepare_cached("INSERT INTO entries (list_id, idx, hcid) VALUES (?1, ?2, ?3)")?
            .execute(params![list.id, idx as i64, hcid])?;
        entries.push(StatusEntry {
            purpose: *purpose,
            index: idx,
            list_url: list.url.clone(),
        });
    }
    entries.sort_by_key(|e| e.purpose.as_str());
    Ok(Reservation {
        entries,
        issued_digest: None,
    })
}

fn entries_of(
    tx: &rusqlite::Transaction<'_>,
    hcid: &str,
) -> Result<Vec<StatusEntry>, RegisterError> {
    let mut stmt = tx.prepare(
        "SELECT l.url, l.purpose, e.idx FROM entries e JOIN lists l ON l.id = e.list_id
         WHERE e.hcid = ?1 ORDER BY l.purpose",
    )?;
    let rows: Vec<(String, String, i64)> = stmt
        .query_map(params![hcid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(url, purpose, idx)| StatusEntry {
            purpose: Purpose::parse(&purpose).unwrap_or(Purpose::Revocation),
            index: usize::try_from(idx).unwrap_or(0),
            list_url: url,
        })
        .collect())
}

/// The list of `purpose` with room left (at most half full, so random
/// draws stay cheap), opening a new one when needed. Returns (id, size).
fn open_list(
    tx: &rusqlite::Transaction<'_>,
    base: &str,
    purpose: Purpose,
) -> Result<(i64, usize), RegisterError> {
    let size = MIN_LIST_BITS as i64;
    let found: Option<(i64, i64)> = tx
        .query_row(
            "SELECT id, size FROM lists WHERE purpose = ?1 AND used * 2 < size ORDER BY id LIMIT 1",
            params![purpose.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, size)) = found {
        return Ok((id, usize::try_from(size).unwrap_or(MIN_LIST_BITS)));
    }
    let n: i64 = tx.query_row(
        "SELECT COUNT(*) FROM lists WHERE purpose = ?1",
        params![purpose.as_str()],
        |r| r.get(0),
    )?;
    let url = format!("{base}/{}-{}.json", purpose.as_str(), n + 1);
    tx.execute(
        "INSERT INTO lists (url, purpose, size) VALUES (?1, ?2, ?3)",
        params![url, purpose.as_str(), size],
    )?;
    Ok((tx.last_insert_rowid(), MIN_LIST_BITS))
}
