//! The SQLite store: one file, WAL, one write transaction at a time.

use std::path::Path;

use ddcc_status::Purpose;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::{CredRow, ListRow, OpenList, RegisterError, Tx};

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

/// Schema version 1 adds who holds a reservation and the stored bitmap of
/// taken indexes.
const MIGRATE_1: &str = "
ALTER TABLE credentials ADD COLUMN owner TEXT;
ALTER TABLE credentials ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lists ADD COLUMN taken BLOB;
PRAGMA user_version = 1;
";

/// Schema version 2 records which issuer a list belongs to (NULL: the
/// register's own).
const MIGRATE_2: &str = "
ALTER TABLE lists ADD COLUMN issuer TEXT;
PRAGMA user_version = 2;
";

pub(crate) struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    pub(crate) fn open(path: &Path) -> Result<Self, RegisterError> {
        if !path.exists() {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(f) => drop(f),
                // Another process created it first: fine.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e.into()),
            }
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(60))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let mut s = Self { conn };
        s.migrate()?;
        Ok(s)
    }

    fn migrate(&mut self) -> Result<(), RegisterError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(SCHEMA)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version < 1 {
            tx.execute_batch(MIGRATE_1)?;
        }
        if version < 2 {
            tx.execute_batch(MIGRATE_2)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn transaction<R>(
        &mut self,
        write: bool,
        f: impl FnOnce(&mut dyn Tx) -> Result<R, RegisterError>,
    ) -> Result<R, RegisterError> {
        let tx = self.conn.transaction_with_behavior(if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        })?;
        let mut t = SqliteTx { tx: &tx };
        let out = f(&mut t)?;
        tx.commit()?;
        Ok(out)
    }
}

struct SqliteTx<'a, 'c> {
    tx: &'a rusqlite::Transaction<'c>,
}

impl Tx for SqliteTx<'_, '_> {
    fn credential(&mut self, hcid: &str) -> Result<Option<CredRow>, RegisterError> {
        Ok(self
            .tx
            .prepare_cached("SELECT digest, owner, lease_until FROM credentials WHERE hcid = ?1")?
            .query_row(params![hcid], |r| {
                Ok(CredRow {
                    digest: r.get(0)?,
                    owner: r.get(1)?,
                    lease_until: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn insert_credential(
        &mut self,
        hcid: &str,
        credential_type: &str,
        owner: &str,
        lease_until: i64,
    ) -> Result<(), RegisterError> {
        self.tx
            .prepare_cached(
                "INSERT INTO credentials (hcid, credential_type, owner, lease_until) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![hcid, credential_type, owner, lease_until])?;
        Ok(())
    }

    fn set_owner(
        &mut self,
        hcid: &str,
        owner: &str,
        lease_until: i64,
    ) -> Result<(), RegisterError> {
        self.tx
            .prepare_cached("UPDATE credentials SET owner = ?2, lease_until = ?3 WHERE hcid = ?1")?
            .execute(params![hcid, owner, lease_until])?;
        Ok(())
    }

    fn entries_of(&mut self, hcid: &str) -> Result<Vec<(String, String, i64)>, RegisterError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT l.url, l.purpose, e.idx FROM entries e JOIN lists l ON l.id = e.list_id
             WHERE e.hcid = ?1 ORDER BY l.purpose",
        )?;
        let rows = stmt
            .query_map(params![hcid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn list_with_room(
        &mut self,
        purpose: Purpose,
        issuer: Option<&str>,
        base: &str,
    ) -> Result<Option<OpenList>, RegisterError> {
        type Row = (i64, String, i64, i64, Option<Vec<u8>>);
        let found: Option<Row> = self
            .tx
            .query_row(
                "SELECT id, url, size, used, taken FROM lists
                 WHERE purpose = ?1 AND issuer IS ?2 AND used * 2 < size
                   AND substr(url, 1, length(?3)) = ?3
                 ORDER BY id LIMIT 1",
                params![purpose.as_str(), issuer, base],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((id, url, size, used, stored)) = found else {
            return Ok(None);
        };
        let size = usize::try_from(size).unwrap_or(ddcc_status::MIN_LIST_BITS);
        let taken = crate::taken_bitmap(stored, size, || self.all_indexes(id))?;
        Ok(Some(OpenList {
            id,
            url,
            purpose,
            size,
            used: usize::try_from(used).unwrap_or(0),
            taken,
        }))
    }

    fn count_lists(&mut self, purpose: Purpose) -> Result<i64, RegisterError> {
        Ok(self.tx.query_row(
            "SELECT COUNT(*) FROM lists WHERE purpose = ?1",
            params![purpose.as_str()],
            |r| r.get(0),
        )?)
    }

    fn insert_list(
        &mut self,
        url: &str,
        purpose: Purpose,
        size: i64,
        issuer: Option<&str>,
    ) -> Result<i64, RegisterError> {
        self.tx.execute(
            "INSERT INTO lists (url, purpose, size, issuer) VALUES (?1, ?2, ?3, ?4)",
            params![url, purpose.as_str(), size, issuer],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_entry(&mut self, list_id: i64, idx: i64, hcid: &str) -> Result<(), RegisterError> {
        self.tx
            .prepare_cached("INSERT INTO entries (list_id, idx, hcid) VALUES (?1, ?2, ?3)")?
            .execute(params![list_id, idx, hcid])?;
        Ok(())
    }

    fn save_list(&mut self, list: &OpenList) -> Result<(), RegisterError> {
        self.tx
            .prepare_cached("UPDATE lists SET used = ?2, taken = ?3 WHERE id = ?1")?
            .execute(params![list.id, list.used as i64, list.taken.as_bytes()])?;
        Ok(())
    }

    fn mark_issued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
        owner: &str,
    ) -> Result<u64, RegisterError> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE credentials SET digest = ?2, issued_at = ?3, owner = NULL, lease_until = 0
                 WHERE hcid = ?1 AND digest IS NULL AND owner = ?4",
            )?
            .execute(params![hcid, digest, issued_at, owner])? as u64)
    }

    fn entry_of(
        &mut self,
        hcid: &str,
        purpose: Purpose,
    ) -> Result<Option<(i64, String)>, RegisterError> {
        Ok(self
            .tx
            .query_row(
                "SELECT e.list_id, l.url FROM entries e JOIN lists l ON l.id = e.list_id
                 WHERE e.hcid = ?1 AND l.purpose = ?2",
                params![hcid, purpose.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn is_revoked(&mut self, hcid: &str) -> Result<bool, RegisterError> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM entries e JOIN lists l ON l.id = e.list_id
                 WHERE e.hcid = ?1 AND l.purpose = 'revocation' AND e.status = 1",
                params![hcid],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn set_entry_status(
        &mut self,
        hcid: &str,
        list_id: i64,
        set: bool,
    ) -> Result<(), RegisterError> {
        self.tx.execute(
            "UPDATE entries SET status = ?3 WHERE hcid = ?1 AND list_id = ?2",
            params![hcid, list_id, i64::from(set)],
        )?;
        Ok(())
    }

    fn all_lists(&mut self, issuer: Option<&str>) -> Result<Vec<ListRow>, RegisterError> {
        let mut stmt = self
            .tx
            .prepare("SELECT id, url, purpose, size FROM lists WHERE issuer IS ?1 ORDER BY id")?;
        let rows = stmt
            .query_map(params![issuer], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn set_indexes(&mut self, list_id: i64) -> Result<Vec<i64>, RegisterError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT idx FROM entries WHERE list_id = ?1 AND status = 1")?;
        let rows = stmt
            .query_map(params![list_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn reissued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
    ) -> Result<u64, RegisterError> {
        Ok(self.tx.execute(
            "UPDATE credentials SET digest = ?2, issued_at = ?3 WHERE hcid = ?1 AND digest IS NOT NULL",
            params![hcid, digest, issued_at],
        )? as u64)
    }

    fn counts(&mut self) -> Result<(u64, u64), RegisterError> {
        Ok(self
            .tx
            .query_row("SELECT COUNT(*), COUNT(digest) FROM credentials", [], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })?)
    }
}

impl SqliteTx<'_, '_> {
    fn all_indexes(&self, list_id: i64) -> Result<Vec<i64>, RegisterError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT idx FROM entries WHERE list_id = ?1")?;
        let rows = stmt
            .query_map(params![list_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
