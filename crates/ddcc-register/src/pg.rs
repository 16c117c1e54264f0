//! The PostgreSQL store. Allocation transactions take one advisory lock, so
//! processes on several machines allocate one after the other; the primary
//! keys refuse a duplicate whatever happens.
//!
//! The synchronous `postgres` client runs its own runtime and cannot be
//! called from inside another one (the CLI and the service are tokio
//! programs), so every call runs on a short-lived scoped thread: the
//! calling thread waits for it, as it would for a blocking call.

use std::collections::HashMap;

use ddcc_status::Purpose;
use postgres::{Client, NoTls, Statement};

use crate::{CredRow, ListRow, OpenList, RegisterError, Tx};

/// The advisory lock key that serialises allocation ("ddcc reg").
const LOCK_KEY: i64 = 0x6464_6363_5f72_6567;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ddcc_lists (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    size BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    taken BYTEA
);
CREATE TABLE IF NOT EXISTS ddcc_credentials (
    hcid TEXT PRIMARY KEY,
    credential_type TEXT NOT NULL,
    issued_at TEXT,
    digest TEXT,
    owner TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS ddcc_entries (
    list_id BIGINT NOT NULL REFERENCES ddcc_lists(id),
    idx BIGINT NOT NULL,
    hcid TEXT NOT NULL REFERENCES ddcc_credentials(hcid),
    status BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (list_id, idx),
    UNIQUE (hcid, list_id)
);
ALTER TABLE ddcc_lists ADD COLUMN IF NOT EXISTS issuer TEXT;
";

pub(crate) struct Pg {
    client: Option<Client>,
    statements: HashMap<&'static str, Statement>,
}

/// Runs `f` on a scoped thread (see the module documentation).
fn in_thread<R: Send>(
    f: impl FnOnce() -> Result<R, RegisterError> + Send,
) -> Result<R, RegisterError> {
    std::thread::scope(|s| s.spawn(f).join())
        .unwrap_or_else(|_| Err(RegisterError::Pg("the database thread failed".into())))
}

/// The TLS connector: rustls, verifying the server against `root` (a PEM
/// file of trusted certificates) or else the system's roots.
fn tls(
    root: Option<&std::path::Path>,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, RegisterError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    match root {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path).map_err(|_| {
                RegisterError::Pg("the root certificate file cannot be read".into())
            })?;
            for cert in certs {
                let cert = cert.map_err(|_| {
                    RegisterError::Pg("the root certificate file is not PEM".into())
                })?;
                roots
                    .add(cert)
                    .map_err(|_| RegisterError::Pg("a root certificate is not usable".into()))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system certificate rustls cannot use is skipped.
                let _ = roots.add(cert);
            }
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| RegisterError::Pg(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

impl Pg {
    pub(crate) fn connect(
        url: &str,
        root: Option<&std::path::Path>,
    ) -> Result<Self, RegisterError> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|_| RegisterError::Pg("the PostgreSQL URL cannot be read".into()))?;
        // The password need not be in the URL (a command line is visible
        // to every user of the machine): PGPASSWORD, as libpq reads it.
        if config.get_password().is_none()
            && let Ok(p) = std::env::var("PGPASSWORD")
        {
            config.password(p);
        }
        // TLS unless the URL says sslmode=disable; the server is always
        // verified (unlike libpq's `require`), and with the default
        // `prefer` a server that offers no TLS is spoken to in the clear.
        let tls = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => None,
            _ => Some(tls(root)?),
        };
        let client = in_thread(move || {
            let mut client = match tls {
                Some(t) => config.connect(t)?,
                None => config.connect(NoTls)?,
            };
            // Two processes starting at once must not both create tables.
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
            tx.batch_execute(SCHEMA)?;
            tx.commit()?;
            Ok(client)
        })?;
        Ok(Self {
            client: Some(client),
            statements: HashMap::new(),
        })
    }

    pub(crate) fn transaction<R: Send>(
        &mut self,
        write: bool,
        f: impl FnOnce(&mut dyn Tx) -> Result<R, RegisterError> + Send,
    ) -> Result<R, RegisterError> {
        let client = self
            .client
            .as_mut()
            .ok_or_else(|| RegisterError::Pg("the connection is closed".into()))?;
        let statements = &mut self.statements;
        in_thread(move || {
            let mut tx = client.transaction()?;
            if write {
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
            }
            let mut t = PgTx {
                tx: &mut tx,
                statements,
            };
            let out = f(&mut t)?;
            tx.commit()?;
            Ok(out)
        })
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        // Closing the client blocks on its runtime: not on this thread,
        // which may be inside another.
        if let Some(client) = self.client.take() {
            let _ = std::thread::spawn(move || drop(client)).join();
        }
    }
}

struct PgTx<'a, 'c> {
    tx: &'a mut postgres::Transaction<'c>,
    statements: &'a mut HashMap<&'static str, Statement>,
}

impl PgTx<'_, '_> {
    /// A prepared statement, prepared once per connection.
    fn stmt(&mut self, sql: &'static str) -> Result<Statement, RegisterError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }

    fn all_indexes(&mut self, list_id: i64) -> Result<Vec<i64>, RegisterError> {
        let s = self.stmt("SELECT idx FROM ddcc_entries WHERE list_id = $1")?;
        Ok(self
            .tx
            .query(&s, &[&list_id])?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, postgres::Error>>()?)
    }
}

impl Tx for PgTx<'_, '_> {
    fn credential(&mut self, hcid: &str) -> Result<Option<CredRow>, RegisterError> {
        let s =
            self.stmt("SELECT digest, owner, lease_until FROM ddcc_credentials WHERE hcid = $1")?;
        let Some(r) = self.tx.query_opt(&s, &[&hcid])? else {
            return Ok(None);
        };
        Ok(Some(CredRow {
            digest: r.try_get(0)?,
            owner: r.try_get(1)?,
            lease_until: r.try_get(2)?,
        }))
    }

    fn insert_credential(
        &mut self,
        hcid: &str,
        credential_type: &str,
        owner: &str,
        lease_until: i64,
    ) -> Result<(), RegisterError> {
        let s = self.stmt(
            "INSERT INTO ddcc_credentials (hcid, credential_type, owner, lease_until) VALUES ($1, $2, $3, $4)",
        )?;
        self.tx
            .execute(&s, &[&hcid, &credential_type, &owner, &lease_until])?;
        Ok(())
    }

    fn set_owner(
        &mut self,
        hcid: &str,
        owner: &str,
        lease_until: i64,
    ) -> Result<(), RegisterError> {
        let s =
            self.stmt("UPDATE ddcc_credentials SET owner = $2, lease_until = $3 WHERE hcid = $1")?;
        self.tx.execute(&s, &[&hcid, &owner, &lease_until])?;
        Ok(())
    }

    fn entries_of(&mut self, hcid: &str) -> Result<Vec<(String, String, i64)>, RegisterError> {
        let s = self.stmt(
            "SELECT l.url, l.purpose, e.idx FROM ddcc_entries e JOIN ddcc_lists l ON l.id = e.list_id
             WHERE e.hcid = $1 ORDER BY l.purpose",
        )?;
        Ok(self
            .tx
            .query(&s, &[&hcid])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect::<Result<_, postgres::Error>>()?)
    }

    fn list_with_room(
        &mut self,
        purpose: Purpose,
        issuer: Option<&str>,
        base: &str,
    ) -> Result<Option<OpenList>, RegisterError> {
        let s = self.stmt(
            "SELECT id, url, size, used, taken FROM ddcc_lists
             WHERE purpose = $1 AND issuer IS NOT DISTINCT FROM $2 AND used * 2 < size
               AND left(url, char_length($3)) = $3
             ORDER BY id LIMIT 1",
        )?;
        let Some(row) = self
            .tx
            .query_opt(&s, &[&purpose.as_str(), &issuer, &base])?
        else {
            return Ok(None);
        };
        let (id, url, size, used, stored): (i64, String, i64, i64, Option<Vec<u8>>) = (
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
        );
        let size = usize::try_from(size).unwrap_or(ddcc_status::MIN_LIST_BITS);
        let taken = match stored {
            Some(bytes) if bytes.len() * 8 == size => {
                crate::taken_bitmap(Some(bytes), size, || Ok(Vec::new()))?
            }
            _ => {
                let idx = self.all_indexes(id)?;
                crate::taken_bitmap(None, size, || Ok(idx))?
            }
        };
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
        let s = self.stmt("SELECT COUNT(*) FROM ddcc_lists WHERE purpose = $1")?;
        Ok(self.tx.query_one(&s, &[&purpose.as_str()])?.get(0))
    }

    fn insert_list(
        &mut self,
        url: &str,
        purpose: Purpose,
        size: i64,
        issuer: Option<&str>,
    ) -> Result<i64, RegisterError> {
        let s = self.stmt(
            "INSERT INTO ddcc_lists (url, purpose, size, issuer) VALUES ($1, $2, $3, $4) RETURNING id",
        )?;
        Ok(self
            .tx
            .query_one(&s, &[&url, &purpose.as_str(), &size, &issuer])?
            .get(0))
    }

    fn insert_entry(&mut self, list_id: i64, idx: i64, hcid: &str) -> Result<(), RegisterError> {
        let s = self.stmt("INSERT INTO ddcc_entries (list_id, idx, hcid) VALUES ($1, $2, $3)")?;
        self.tx.execute(&s, &[&list_id, &idx, &hcid])?;
        Ok(())
    }

    fn save_list(&mut self, list: &OpenList) -> Result<(), RegisterError> {
        let s = self.stmt("UPDATE ddcc_lists SET used = $2, taken = $3 WHERE id = $1")?;
        let used = list.used as i64;
        self.tx
            .execute(&s, &[&list.id, &used, &list.taken.as_bytes()])?;
        Ok(())
    }

    fn mark_issued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
        owner: &str,
    ) -> Result<u64, RegisterError> {
        let s = self.stmt(
            "UPDATE ddcc_credentials SET digest = $2, issued_at = $3, owner = NULL, lease_until = 0
             WHERE hcid = $1 AND digest IS NULL AND owner = $4",
        )?;
        Ok(self.tx.execute(&s, &[&hcid, &digest, &issued_at, &owner])?)
    }

    fn entry_of(
        &mut self,
        hcid: &str,
        purpose: Purpose,
    ) -> Result<Option<(i64, String)>, RegisterError> {
        let s = self.stmt(
            "SELECT e.list_id, l.url FROM ddcc_entries e JOIN ddcc_lists l ON l.id = e.list_id
             WHERE e.hcid = $1 AND l.purpose = $2",
        )?;
        Ok(self
            .tx
            .query_opt(&s, &[&hcid, &purpose.as_str()])?
            .map(|r| Ok::<_, postgres::Error>((r.try_get(0)?, r.try_get(1)?)))
            .transpose()?)
    }

    fn is_revoked(&mut self, hcid: &str) -> Result<bool, RegisterError> {
        let s = self.stmt(
            "SELECT 1 FROM ddcc_entries e JOIN ddcc_lists l ON l.id = e.list_id
             WHERE e.hcid = $1 AND l.purpose = 'revocation' AND e.status = 1",
        )?;
        Ok(self.tx.query_opt(&s, &[&hcid])?.is_some())
    }

    fn set_entry_status(
        &mut self,
        hcid: &str,
        list_id: i64,
        set: bool,
    ) -> Result<(), RegisterError> {
        let s =
            self.stmt("UPDATE ddcc_entries SET status = $3 WHERE hcid = $1 AND list_id = $2")?;
        self.tx.execute(&s, &[&hcid, &list_id, &i64::from(set)])?;
        Ok(())
    }

    fn all_lists(&mut self, issuer: Option<&str>) -> Result<Vec<ListRow>, RegisterError> {
        let s = self.stmt(
            "SELECT id, url, purpose, size FROM ddcc_lists WHERE issuer IS NOT DISTINCT FROM $1 ORDER BY id",
        )?;
        Ok(self
            .tx
            .query(&s, &[&issuer])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect::<Result<_, postgres::Error>>()?)
    }

    fn set_indexes(&mut self, list_id: i64) -> Result<Vec<i64>, RegisterError> {
        let s = self.stmt("SELECT idx FROM ddcc_entries WHERE list_id = $1 AND status = 1")?;
        Ok(self
            .tx
            .query(&s, &[&list_id])?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, postgres::Error>>()?)
    }

    fn credentials_many(
        &mut self,
        hcids: &[&str],
    ) -> Result<std::collections::HashMap<String, CredRow>, RegisterError> {
        let s = self.stmt(
            "SELECT hcid, digest, owner, lease_until FROM ddcc_credentials WHERE hcid = ANY($1)",
        )?;
        let mut out = std::collections::HashMap::new();
        for r in self.tx.query(&s, &[&hcids])? {
            out.insert(
                r.try_get(0)?,
                CredRow {
                    digest: r.try_get(1)?,
                    owner: r.try_get(2)?,
                    lease_until: r.try_get(3)?,
                },
            );
        }
        Ok(out)
    }

    fn insert_many(
        &mut self,
        credentials: &[(&str, &str)],
        owner: &str,
        lease_until: i64,
        entries: &[(i64, i64, &str)],
    ) -> Result<(), RegisterError> {
        if !credentials.is_empty() {
            let (h, t): (Vec<&str>, Vec<&str>) = credentials.iter().copied().unzip();
            let s = self.stmt(
                "INSERT INTO ddcc_credentials (hcid, credential_type, owner, lease_until)
                 SELECT h, t, $3, $4 FROM UNNEST($1::text[], $2::text[]) AS u(h, t)",
            )?;
            self.tx.execute(&s, &[&h, &t, &owner, &lease_until])?;
        }
        if !entries.is_empty() {
            let lists: Vec<i64> = entries.iter().map(|e| e.0).collect();
            let idxs: Vec<i64> = entries.iter().map(|e| e.1).collect();
            let hcids: Vec<&str> = entries.iter().map(|e| e.2).collect();
            let s = self.stmt(
                "INSERT INTO ddcc_entries (list_id, idx, hcid)
                 SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[])",
            )?;
            self.tx.execute(&s, &[&lists, &idxs, &hcids])?;
        }
        Ok(())
    }

    fn mark_issued_many(
        &mut self,
        items: &[(&str, &str)],
        issued_at: &str,
        owner: &str,
    ) -> Result<u64, RegisterError> {
        if items.is_empty() {
            return Ok(0);
        }
        let (h, d): (Vec<&str>, Vec<&str>) = items.iter().copied().unzip();
        let s = self.stmt(
            "UPDATE ddcc_credentials c SET digest = u.d, issued_at = $3, owner = NULL, lease_until = 0
             FROM UNNEST($1::text[], $2::text[]) AS u(h, d)
             WHERE c.hcid = u.h AND c.digest IS NULL AND c.owner = $4",
        )?;
        Ok(self.tx.execute(&s, &[&h, &d, &issued_at, &owner])?)
    }

    fn reissued(
        &mut self,
        hcid: &str,
        digest: &str,
        issued_at: &str,
    ) -> Result<u64, RegisterError> {
        let s = self.stmt(
            "UPDATE ddcc_credentials SET digest = $2, issued_at = $3 WHERE hcid = $1 AND digest IS NOT NULL",
        )?;
        Ok(self.tx.execute(&s, &[&hcid, &digest, &issued_at])?)
    }

    fn counts(&mut self) -> Result<(u64, u64), RegisterError> {
        let s = self.stmt("SELECT COUNT(*), COUNT(digest) FROM ddcc_credentials")?;
        let r = self.tx.query_one(&s, &[])?;
        let (a, b): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        Ok((a as u64, b as u64))
    }
}
