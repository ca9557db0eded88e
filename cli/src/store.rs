//! The server's storage: submissions, accounts, sessions, and the events
//! (status changes, replies, announcements) that make up the feed. Every SQL
//! statement of the server is in this file, written once for both databases
//! (`db.rs`: SQLite by default, PostgreSQL for several instances); the few
//! places where their dialects differ ask [`Conn::kind`].
//!
//! [`Store`]s write; any number of [`Reader`]s read beside them. On SQLite
//! one `Store` writes at a time (WAL lets readers run beside it); on
//! PostgreSQL several do, from several `phieu serve` processes. Every call
//! here blocks: the server runs them on blocking threads, never on its async workers.
//!
//! One row per submission id: the id is the idempotency key (a unique
//! constraint: `INSERT … ON CONFLICT DO NOTHING`, never a look first), so a
//! phone that resends after a lost answer stores nothing new, whichever
//! instance it reaches.
//!
//! Cursors (a listing's, the feed's) are `seq` numbers, and a reader must
//! never see a later one before an earlier one: SQLite commits one writer at
//! a time, in order; on PostgreSQL, see `add_event` and `Reader::horizon`.

use crate::db::{Conn, Pg, Row as DbRow, P};
pub use crate::db::{Error, Kind, Location, Result};
use crate::secret;
use serde_json::{json, Value};

pub struct Store {
    conn: Conn,
}

/// A report as it arrives, to be stored: `by` is the account its credential named.
#[derive(Clone, Copy)]
pub struct Arrival<'a> {
    pub id: &'a str,
    pub form_id: &'a str,
    pub form_version: &'a str,
    pub body: &'a Value,
    pub received_at: &'a str,
    pub by: Option<&'a Account>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same id with the same body was already stored.
    Duplicate,
    /// The same id with a different body: somebody's bug, never overwritten.
    Conflict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Collaborator,
    Office,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "collaborator" => Some(Role::Collaborator),
            "office" => Some(Role::Office),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Collaborator => "collaborator",
            Role::Office => "office",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub unit: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

impl Account {
    pub fn json(&self) -> Value {
        json!({"id": self.id, "name": self.name, "role": self.role.as_str(), "unit": self.unit})
    }
    /// Who sent a report, as stored with it.
    pub fn sender(&self) -> Value {
        json!({"id": self.id, "name": self.name, "unit": self.unit})
    }
    /// The unit whose reports this account may read; `None` reads every unit.
    pub fn reads_unit(&self) -> Option<&str> {
        if self.role == Role::Admin {
            None
        } else {
            self.unit.as_deref()
        }
    }
}

/// The statuses a report moves through.
pub const STATUSES: &[&str] = &["new", "received", "in_progress", "answered", "closed"];

/// Versioned schema changes for SQLite, applied in order at start; `PRAGMA
/// user_version` holds how many are applied. Never edit one that has shipped: add another.
const MIGRATIONS: &[&str] = &[
    // 1: submissions, as before accounts existed.
    "CREATE TABLE IF NOT EXISTS submissions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        form_id TEXT NOT NULL,
        form_version TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS submissions_form ON submissions(form_id, seq);",
    // 2: accounts, sessions, who sent a report, status, search text, events.
    "CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        unit TEXT,
        token_hash BLOB NOT NULL UNIQUE,
        password TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE UNIQUE INDEX accounts_name ON accounts(name) WHERE revoked_at IS NULL AND password IS NOT NULL;
    CREATE TABLE signins (hash BLOB PRIMARY KEY, account TEXT NOT NULL, expires_at TEXT NOT NULL);
    CREATE TABLE sessions (hash BLOB PRIMARY KEY, account TEXT NOT NULL, expires_at TEXT NOT NULL);
    ALTER TABLE submissions ADD COLUMN by_id TEXT;
    ALTER TABLE submissions ADD COLUMN by_name TEXT;
    ALTER TABLE submissions ADD COLUMN by_unit TEXT;
    ALTER TABLE submissions ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
    ALTER TABLE submissions ADD COLUMN folded TEXT;
    CREATE INDEX submissions_status ON submissions(status, seq);
    CREATE INDEX submissions_unit ON submissions(by_unit, seq);
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        audience TEXT NOT NULL,
        submission TEXT,
        status TEXT,
        reply TEXT,
        by_id TEXT,
        by_name TEXT,
        title TEXT,
        body TEXT,
        unit TEXT
    );
    CREATE INDEX events_audience ON events(audience, seq);
    CREATE INDEX events_submission ON events(submission, seq);",
    // 3: an office of one unit filters by status within its unit: one index
    // range, instead of every row of the unit when few have that status.
    "CREATE INDEX submissions_unit_status ON submissions(by_unit, status, seq);",
    // 4: the search text in a narrow table of its own, read newest first: a
    // search that matches almost nothing reads it, not every report's body.
    "CREATE TABLE search (seq INTEGER PRIMARY KEY, folded TEXT NOT NULL);
    INSERT INTO search (seq, folded) SELECT seq, folded FROM submissions WHERE folded IS NOT NULL;
    ALTER TABLE submissions DROP COLUMN folded;",
    // 5: files (photos, signatures) by content hash: what is stored and who
    // sent it; the reports that name each file; everyone who uploaded it.
    // The bytes are in `--files`, not here.
    "CREATE TABLE files (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        type TEXT NOT NULL,
        by_id TEXT,
        at TEXT NOT NULL
    );
    CREATE TABLE file_uploaders (sha256 TEXT NOT NULL, by_id TEXT NOT NULL, PRIMARY KEY (sha256, by_id));
    CREATE TABLE submission_files (sha256 TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (sha256, seq));",
];

/// Versioned schema changes for PostgreSQL, applied in order at start; the
/// table `phieu_schema` holds how many are applied. The first is SQLite's
/// four above as they ended (PostgreSQL came after them). Never edit one
/// that has shipped: add another, to both lists when both need it.
///
/// Text that is compared or ordered (times, names) is `COLLATE "C"`: byte
/// order, as SQLite compares, whatever locale the database was made with.
const PG_MIGRATIONS: &[&str] = &[
    // 1: everything of SQLite's migrations 1 to 4.
    r#"CREATE TABLE submissions (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        form_id TEXT COLLATE "C" NOT NULL,
        form_version TEXT NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        body TEXT NOT NULL,
        by_id TEXT COLLATE "C",
        by_name TEXT,
        by_unit TEXT COLLATE "C",
        status TEXT COLLATE "C" NOT NULL DEFAULT 'new'
    );
    CREATE INDEX submissions_form ON submissions(form_id, seq);
    CREATE INDEX submissions_status ON submissions(status, seq);
    CREATE INDEX submissions_unit ON submissions(by_unit, seq);
    CREATE INDEX submissions_unit_status ON submissions(by_unit, status, seq);
    CREATE TABLE search (seq BIGINT PRIMARY KEY, folded TEXT NOT NULL);
    CREATE TABLE accounts (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        role TEXT NOT NULL,
        unit TEXT COLLATE "C",
        token_hash BYTEA NOT NULL UNIQUE,
        password TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        revoked_at TEXT COLLATE "C"
    );
    CREATE UNIQUE INDEX accounts_name ON accounts(name) WHERE revoked_at IS NULL AND password IS NOT NULL;
    CREATE TABLE signins (hash BYTEA PRIMARY KEY, account TEXT COLLATE "C" NOT NULL, expires_at TEXT COLLATE "C" NOT NULL);
    CREATE TABLE sessions (hash BYTEA PRIMARY KEY, account TEXT COLLATE "C" NOT NULL, expires_at TEXT COLLATE "C" NOT NULL);
    CREATE TABLE events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        audience TEXT COLLATE "C" NOT NULL,
        submission TEXT COLLATE "C",
        status TEXT,
        reply TEXT,
        by_id TEXT,
        by_name TEXT,
        title TEXT,
        body TEXT,
        unit TEXT
    );
    CREATE INDEX events_audience ON events(audience, seq);
    CREATE INDEX events_submission ON events(submission, seq);"#,
    // 2: a trigram index on the search text, so a search for a word that
    // few reports have reads the index instead of walking every report
    // (over 1,000,000 reports: 0.6 s to 20 ms); a word that many have still
    // walks newest first and stops at a full page. The planner chooses, per
    // search (readers plan each query with its words). pg_trgm ships with
    // PostgreSQL and a database's owner may add it; where it cannot be
    // added, search works without the index, only slower.
    r#"DO $$
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX search_trigrams ON search USING gin (folded gin_trgm_ops);
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE WARNING 'phieu: pg_trgm could not be added (%): a search for a rare word reads every report', SQLERRM;
    END
    $$;"#,
    // 3: SQLite's 5: files by content hash, who uploaded them, the reports that name them.
    r#"CREATE TABLE files (
        sha256 TEXT COLLATE "C" PRIMARY KEY,
        size BIGINT NOT NULL,
        type TEXT NOT NULL,
        by_id TEXT COLLATE "C",
        at TEXT COLLATE "C" NOT NULL
    );
    CREATE TABLE file_uploaders (sha256 TEXT COLLATE "C" NOT NULL, by_id TEXT COLLATE "C" NOT NULL, PRIMARY KEY (sha256, by_id));
    CREATE TABLE submission_files (sha256 TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (sha256, seq));"#,
];

/// Advisory lock keys (PostgreSQL): one migration at a time, one feed event
/// at a time, one first start at a time.
const LOCK_MIGRATE: i64 = 0x7068_6965_7501;
const LOCK_FEED: i64 = 0x7068_6965_7502;
const LOCK_FIRST_START: i64 = 0x7068_6965_7503;
/// Held shared by every transaction storing a report, from before its `seq`
/// is given until it ends; taken alone, for a moment, by a listing (see `Reader::horizon`).
const LOCK_ARRIVALS: i64 = 0x7068_6965_7504;

/// The columns of a listed submission.
const ROW_COLUMNS: &str = "submissions.seq, received_at, body, status, by_id, by_name, by_unit";
const ACCOUNT_COLUMNS: &str = "id, name, role, unit, created_at, revoked_at";
const EVENT_COLUMNS: &str = "seq, at, kind, submission, status, reply, by_id, by_name, title, body, unit";

/// Who reads an event: the sender of a report (`a:<id>`), one unit
/// (`u:<unit>`), or everyone (`*`).
fn audience_of_account(id: &str) -> String {
    format!("a:{id}")
}

/// Opens a connection that writes, for either database.
fn open_writer(at: &Location) -> Result<Conn> {
    match at {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // FULL: a COMMIT is on disk before the phone hears 201 and deletes its
            // copy. NORMAL can lose the last commits to a power cut.
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(Conn::Lite(conn))
        }
        // PostgreSQL's default, synchronous_commit = on, has a COMMIT on disk
        // before it returns: the same promise as SQLite's FULL above.
        Location::Postgres(url) => Ok(Conn::Pg(Box::new(Pg::connect(url, false)?))),
    }
}

impl Store {
    /// Opens the database, applying the migrations it lacks.
    pub fn open(at: &Location) -> Result<Self> {
        let mut store = Self::connect(at)?;
        store.migrate()?;
        Ok(store)
    }

    /// Another connection that writes, to a database already migrated.
    pub fn connect(at: &Location) -> Result<Self> {
        Ok(Store { conn: open_writer(at)? })
    }

    pub fn kind(&self) -> Kind {
        self.conn.kind()
    }

    /// Whether the connection is gone (a pool drops it and opens another).
    pub fn is_broken(&self) -> bool {
        self.conn.is_broken()
    }

    fn migrate(&mut self) -> Result<()> {
        match self.conn.kind() {
            Kind::Sqlite => self.conn.write(|tx| {
                let applied = tx.row("PRAGMA user_version", &[], |r| r.int(0))?.unwrap_or(0) as usize;
                for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
                    tx.batch(sql)?;
                    if i == 1 {
                        // Reports stored before search existed get their search text.
                        let rows = tx.rows("SELECT seq, body FROM submissions", &[], |r| Ok((r.int(0)?, r.text(1)?)))?;
                        for (seq, body) in rows {
                            let folded = searchable(&serde_json::from_str(&body).unwrap_or(Value::Null));
                            tx.exec("UPDATE submissions SET folded = $2 WHERE seq = $1", &[P::Int(seq), P::Text(Some(&folded))])?;
                        }
                    }
                    tx.batch(&format!("PRAGMA user_version = {}", i + 1))?;
                }
                Ok(())
            }),
            Kind::Postgres => self.conn.write(|tx| {
                // Two instances starting at once: the second waits, then finds nothing to do.
                tx.lock(LOCK_MIGRATE)?;
                tx.batch("CREATE TABLE IF NOT EXISTS phieu_schema (version INTEGER NOT NULL)")?;
                let applied = tx.row("SELECT max(version)::bigint FROM phieu_schema", &[], |r| Ok(r.opt_int(0)?.unwrap_or(0)))?;
                let applied = applied.unwrap_or(0) as usize;
                if applied > PG_MIGRATIONS.len() {
                    return Err(Error::Other(format!(
                        "the database has schema version {applied}, newer than this phieu knows ({}): run the newer phieu",
                        PG_MIGRATIONS.len()
                    )));
                }
                for (i, sql) in PG_MIGRATIONS.iter().enumerate().skip(applied) {
                    tx.batch(sql)?;
                    tx.exec("INSERT INTO phieu_schema (version) VALUES ($1::bigint)", &[P::Int(i as i64 + 1)])?;
                }
                Ok(())
            }),
        }
    }

    /// Stores a submission once.
    ///
    /// The unique id decides (`ON CONFLICT DO NOTHING`): of two instances
    /// storing one id at once, one inserts and the other, after waiting for
    /// it to commit, finds the row and compares.
    pub fn insert(&mut self, report: &Arrival) -> Result<Stored> {
        self.insert_with_files(report, &[])
    }

    /// As [`Store::insert`], and the report's files (their hashes, checked by
    /// the caller) are recorded as named by it, in the same transaction.
    pub fn insert_with_files(&mut self, report: &Arrival, files: &[String]) -> Result<Stored> {
        let Arrival { id, form_id, form_version, body, received_at, by } = *report;
        let (text, folded) = (body.to_string(), searchable(body));
        // Hashes are 64 hex digits: a comma never occurs in one.
        let hashes = files.join(",");
        let params = [
            id.into(),
            form_id.into(),
            form_version.into(),
            received_at.into(),
            P::Text(Some(&text)),
            by.map(|a| a.id.as_str()).into(),
            by.map(|a| a.name.as_str()).into(),
            by.and_then(|a| a.unit.as_deref()).into(),
            P::Text(Some(&folded)),
            P::Int(LOCK_ARRIVALS),
            P::Text(Some(&hashes)),
        ];
        let stored = match self.conn.kind() {
            Kind::Sqlite => self.conn.write(|tx| {
                let seq = tx.row(
                    "INSERT INTO submissions (id, form_id, form_version, received_at, body, by_id, by_name, by_unit)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING seq",
                    &params[..8],
                    |r| r.int(0),
                )?;
                if let Some(seq) = seq {
                    tx.exec("INSERT INTO search (seq, folded) VALUES ($1, $2)", &[P::Int(seq), P::Text(Some(&folded))])?;
                    for hash in files {
                        tx.exec(
                            "INSERT INTO submission_files (sha256, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            &[hash.into(), P::Int(seq)],
                        )?;
                    }
                }
                Ok(seq.is_some())
            })?,
            // The same in one statement, its own transaction: one round trip
            // instead of five (BEGIN, the lock, two inserts, COMMIT), which
            // on two cores was the difference between under and over 2,000
            // reports a second. The arrivals lock (see `Reader::horizon`) is
            // taken as the row is made, before its `seq` is given, and held to the commit.
            Kind::Postgres => self
                .conn
                .row(
                    "WITH arrived AS (
                        INSERT INTO submissions (id, form_id, form_version, received_at, body, by_id, by_name, by_unit)
                        SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM (SELECT pg_advisory_xact_lock_shared($10)) AS arrivals
                        ON CONFLICT (id) DO NOTHING RETURNING seq),
                     named AS (
                        INSERT INTO submission_files (sha256, seq)
                        SELECT DISTINCT h, arrived.seq FROM arrived, unnest(string_to_array($11, ',')) AS h)
                     INSERT INTO search (seq, folded) SELECT seq, $9 FROM arrived RETURNING seq",
                    &params,
                    |r| r.int(0),
                )?
                .is_some(),
        };
        if stored {
            return Ok(Stored::New);
        }
        // Stored before (or by another instance just now: ON CONFLICT waited for its commit).
        let old = self.conn.row("SELECT body FROM submissions WHERE id = $1", &[id.into()], |r| r.text(0))?;
        let same = old.is_some_and(|old| serde_json::from_str::<Value>(&old).is_ok_and(|old| same_json(&old, body)));
        Ok(if same { Stored::Duplicate } else { Stored::Conflict })
    }

    /// Records a file written to `--files` (after it is on disk): its size,
    /// type and first uploader; and `by` among its uploaders. True when it
    /// was not recorded before.
    pub fn add_file(&mut self, sha256: &str, size: u64, content_type: &str, by: Option<&Account>, now: &str) -> Result<bool> {
        let by_id = by.map(|a| a.id.as_str());
        self.conn.write(|tx| {
            let new = tx.exec(
                "INSERT INTO files (sha256, size, type, by_id, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
                &[sha256.into(), P::Int(size as i64), content_type.into(), by_id.into(), now.into()],
            )? == 1;
            if let Some(by_id) = by_id {
                tx.exec(
                    "INSERT INTO file_uploaders (sha256, by_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[sha256.into(), by_id.into()],
                )?;
            }
            Ok(new)
        })
    }

    /// Whether no account was ever made (the first start).
    pub fn no_accounts(&mut self) -> Result<bool> {
        Ok(self.conn.row("SELECT id FROM accounts LIMIT 1", &[], |_| Ok(()))?.is_none())
    }

    /// A new account and its token (shown once; only its digest is kept).
    pub fn add_account(&mut self, name: &str, role: Role, unit: Option<&str>, now: &str) -> std::result::Result<(Account, String), String> {
        let (id, token) = (secret::new_id()?, secret::new_secret()?);
        insert_account(&mut self.conn, &id, name, role, unit, &token, now).map_err(|e| format!("the account could not be stored: {e}"))?;
        let account =
            Account { id, name: name.to_string(), role, unit: unit.map(str::to_string), created_at: now.to_string(), revoked_at: None };
        Ok((account, token))
    }

    /// The first start's admin, made only if there is no account at all yet
    /// (of several instances starting at once on one database, one makes it).
    pub fn first_admin(&mut self, now: &str) -> std::result::Result<Option<Account>, String> {
        let (id, token) = (secret::new_id()?, secret::new_secret()?);
        let made = self
            .conn
            .write(|tx| {
                tx.lock(LOCK_FIRST_START)?;
                if tx.row("SELECT id FROM accounts LIMIT 1", &[], |_| Ok(()))?.is_some() {
                    return Ok(false);
                }
                insert_account(tx, &id, "admin", Role::Admin, None, &token, now)?;
                Ok(true)
            })
            .map_err(|e| format!("the first admin could not be stored: {e}"))?;
        Ok(made.then(|| Account { id, name: "admin".into(), role: Role::Admin, unit: None, created_at: now.to_string(), revoked_at: None }))
    }

    /// Revokes an account: its token, sessions and sign-in links stop working. False if there is no such account.
    pub fn revoke(&mut self, id: &str, now: &str) -> Result<bool> {
        self.conn.write(|tx| {
            let n = tx.exec("UPDATE accounts SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", &[id.into(), now.into()])?;
            tx.exec("DELETE FROM sessions WHERE account = $1", &[id.into()])?;
            tx.exec("DELETE FROM signins WHERE account = $1", &[id.into()])?;
            Ok(n == 1)
        })
    }

    /// Sets an account's password (an argon2id PHC string). False if there is no such account.
    pub fn set_password(&mut self, id: &str, phc: &str) -> Result<bool> {
        Ok(self.conn.exec("UPDATE accounts SET password = $2 WHERE id = $1 AND revoked_at IS NULL", &[id.into(), phc.into()])? == 1)
    }

    /// A one-time sign-in secret for an account, valid until `expires_at`.
    pub fn add_signin(&mut self, account: &str, expires_at: &str) -> std::result::Result<String, String> {
        let s = secret::new_secret()?;
        self.conn
            .exec(
                "INSERT INTO signins (hash, account, expires_at) VALUES ($1, $2, $3)",
                &[P::Bytes(secret::digest(&s).as_slice()), account.into(), expires_at.into()],
            )
            .map_err(|e| format!("the sign-in link could not be stored: {e}"))?;
        Ok(s)
    }

    /// Uses a sign-in secret up: its account, if it was valid. A second use
    /// finds nothing, on this instance or any other: the row is deleted as it is read.
    pub fn use_signin(&mut self, secret: &str, now: &str) -> Result<Option<Account>> {
        let hash = secret::digest(secret);
        self.conn.write(|tx| {
            let found = tx.row("DELETE FROM signins WHERE hash = $1 RETURNING account, expires_at", &[P::Bytes(hash.as_slice())], |r| {
                Ok((r.text(0)?, r.text(1)?))
            })?;
            tx.exec("DELETE FROM signins WHERE expires_at <= $1", &[now.into()])?;
            match found {
                Some((id, expires)) if expires.as_str() > now => account_by(tx, "id = $1", id.as_str().into()),
                _ => Ok(None),
            }
        })
    }

    /// A new session for an account; its secret goes in the cookie.
    pub fn open_session(&mut self, account: &str, expires_at: &str, now: &str) -> std::result::Result<String, String> {
        let s = secret::new_secret()?;
        let hash = secret::digest(&s);
        self.conn
            .exec("DELETE FROM sessions WHERE expires_at <= $1", &[now.into()])
            .and_then(|_| {
                self.conn.exec(
                    "INSERT INTO sessions (hash, account, expires_at) VALUES ($1, $2, $3)",
                    &[P::Bytes(hash.as_slice()), account.into(), expires_at.into()],
                )
            })
            .map_err(|e| format!("the session could not be stored: {e}"))?;
        Ok(s)
    }

    pub fn close_session(&mut self, hash: &[u8; 32]) -> Result<()> {
        self.conn.exec("DELETE FROM sessions WHERE hash = $1", &[P::Bytes(hash.as_slice())]).map(drop)
    }

    /// Sets a report's status and/or adds a reply, in its history and its
    /// sender's feed. None when there is no such report (or it is outside `unit`).
    pub fn set_status(
        &mut self,
        id: &str,
        unit: Option<&str>,
        status: Option<&str>,
        reply: Option<&str>,
        by: &Account,
        now: &str,
    ) -> Result<Option<i64>> {
        self.conn.write(|tx| {
            // One statement reads and changes the row, so two offices
            // answering at once (on two instances) each record what they set.
            let found = tx.row(
                "UPDATE submissions SET status = coalesce(CAST($2 AS TEXT), status)
                 WHERE id = $1 AND (CAST($3 AS TEXT) IS NULL OR by_unit = $3) RETURNING status, by_id",
                &[id.into(), status.into(), unit.into()],
                |r| Ok((r.text(0)?, r.opt(1)?)),
            )?;
            let Some((status, sender)) = found else { return Ok(None) };
            // An anonymous report's events go in its history only.
            let audience = sender.as_deref().map_or_else(|| "-".to_string(), audience_of_account);
            let seq = add_event(
                tx,
                "INSERT INTO events (at, kind, audience, submission, status, reply, by_id, by_name)
                 VALUES ($1, 'status', $2, $3, $4, $5, $6, $7) RETURNING seq",
                &[
                    now.into(),
                    P::Text(Some(&audience)),
                    id.into(),
                    P::Text(Some(&status)),
                    reply.into(),
                    (&by.id).into(),
                    (&by.name).into(),
                ],
            )?;
            Ok(Some(seq))
        })
    }

    /// An announcement or topic to watch, for everyone or one unit.
    pub fn announce(&mut self, kind: &str, title: &str, body: &str, unit: Option<&str>, by: &Account, now: &str) -> Result<i64> {
        let audience = unit.map_or_else(|| "*".to_string(), |u| format!("u:{u}"));
        self.conn.write(|tx| {
            add_event(
                tx,
                "INSERT INTO events (at, kind, audience, title, body, unit, by_id, by_name)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
                &[
                    now.into(),
                    kind.into(),
                    P::Text(Some(&audience)),
                    title.into(),
                    body.into(),
                    unit.into(),
                    (&by.id).into(),
                    (&by.name).into(),
                ],
            )
        })
    }

    /// The accounts, oldest first (the `users` command reads through its writer).
    pub fn accounts(&mut self) -> Result<Vec<Account>> {
        accounts(&mut self.conn)
    }
}

/// Hashes asked about at once: one statement text (padded), so PostgreSQL prepares it once.
const FILES_AT_ONCE: usize = 64;

fn files_present(conn: &mut Conn, hashes: &[String]) -> Result<std::collections::HashMap<String, u64>> {
    let marks: Vec<String> = (1..=FILES_AT_ONCE).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT sha256, size FROM files WHERE sha256 IN ({})", marks.join(", "));
    let mut found = std::collections::HashMap::new();
    for chunk in hashes.chunks(FILES_AT_ONCE) {
        let params: Vec<P> = (0..FILES_AT_ONCE).map(|i| chunk.get(i).unwrap_or(&chunk[0]).into()).collect();
        conn.each(&sql, &params, |r| {
            found.insert(r.text(0)?, r.int(1)? as u64);
            Ok(true)
        })?;
    }
    Ok(found)
}

/// Adds an event (inside the caller's transaction) and answers its `seq`.
///
/// A feed reader asks for `seq > cursor`, so events must become visible in
/// `seq` order: a `seq` given first but committed last would be behind a
/// cursor that already passed it, and missed for good. SQLite writes one
/// transaction at a time, so that holds by itself. On PostgreSQL several
/// connections write at once, so each takes the feed's lock before it is
/// given its `seq` and holds it until its commit is visible (a transaction's
/// locks are let go after that): the next event's `seq` is given only then.
/// Status changes and announcements are few; reports do not take this lock.
fn add_event(tx: &mut Conn, sql: &str, params: &[P]) -> Result<i64> {
    tx.lock(LOCK_FEED)?;
    tx.row(sql, params, |r| r.int(0))?.ok_or_else(|| Error::Other("the event was not stored".into()))
}

fn insert_account(conn: &mut Conn, id: &str, name: &str, role: Role, unit: Option<&str>, token: &str, now: &str) -> Result<()> {
    conn.exec(
        "INSERT INTO accounts (id, name, role, unit, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[id.into(), name.into(), role.as_str().into(), unit.into(), P::Bytes(secret::digest(token).as_slice()), now.into()],
    )
    .map(drop)
}

fn account_row(r: &DbRow) -> Result<Account> {
    let role = r.text(2)?;
    Ok(Account {
        id: r.text(0)?,
        name: r.text(1)?,
        role: Role::parse(&role).unwrap_or(Role::Collaborator),
        unit: r.opt(3)?,
        created_at: r.text(4)?,
        revoked_at: r.opt(5)?,
    })
}

/// An account that is not revoked, found by one condition on one parameter (`$1`).
fn account_by(conn: &mut Conn, condition: &str, param: P) -> Result<Option<Account>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {condition} AND revoked_at IS NULL");
    conn.row(&sql, &[param], account_row)
}

fn accounts(conn: &mut Conn) -> Result<Vec<Account>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, id");
    conn.rows(&sql, &[], account_row)
}

/// The text `q` searches in: every answer's text and values, folded (case
/// and Vietnamese diacritics away), one per line.
pub fn searchable(body: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(&phieu_core::display::fold(s));
                out.push('\n');
            }
            Value::Number(n) => {
                out.push_str(&n.to_string());
                out.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(m) => m.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    if let Some(a) = body.get("answers") {
        walk(a, &mut out);
    }
    out
}

/// Equal as JSON values, numbers by value: a resend whose `1` became `1.0`
/// on the way (another JSON library, a proxy) is the same report.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

/// A stored submission as listed: its body is the JSON text as stored.
pub struct Row {
    pub seq: i64,
    pub received_at: String,
    pub body: String,
    pub status: String,
    /// `{"id", "name", "unit"}`, or null for an anonymous report.
    pub submitted_by: Value,
}

fn row(r: &DbRow) -> Result<Row> {
    let submitted_by = match r.opt(4)? {
        Some(id) => json!({"id": id, "name": r.opt(5)?, "unit": r.opt(6)?}),
        None => Value::Null,
    };
    Ok(Row { seq: r.int(0)?, received_at: r.text(1)?, body: r.text(2)?, status: r.text(3)?, submitted_by })
}

/// Which reports: every condition given must hold.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Filter {
    pub form: Option<String>,
    pub status: Option<String>,
    /// The sender's unit.
    pub unit: Option<String>,
    /// RFC 3339 UTC as the server writes it: received at or after it.
    pub since: Option<String>,
    /// Received before it.
    pub until: Option<String>,
    /// Already folded (`phieu_core::display::fold`).
    pub q: Option<String>,
}

/// A filter as SQL: the tables, the column that orders rows (arrival), the
/// conditions (only those given, so the indexes serve them) and their parameters.
struct Where<'a> {
    from: &'static str,
    key: &'static str,
    cond: String,
    params: Vec<P<'a>>,
}

impl Filter {
    fn sql<'a>(&'a self, kind: Kind) -> Where<'a> {
        let mut conds = Vec::new();
        let mut params = Vec::new();
        let mut add = |cond: &str, v: Option<&'a str>| {
            if let Some(v) = v {
                params.push(P::Text(Some(v)));
                conds.push(cond.replace('?', &format!("${}", params.len())));
            }
        };
        add("form_id = ?", self.form.as_deref());
        add("status = ?", self.status.as_deref());
        add("by_unit = ?", self.unit.as_deref());
        add("received_at >= ?", self.since.as_deref());
        add("received_at < ?", self.until.as_deref());
        // Each word on its own, in any order, as the phone's search matches
        // (`phieu_core::display::matches`): "doi can ngap" finds "ngập ở phố Đội Cấn".
        let contains = match kind {
            Kind::Sqlite => "instr(s.folded, ?) > 0",
            // LIKE '%word%' (the word's own % _ \ escaped), which the
            // trigram index serves; the pattern is folded to a constant
            // as each query is planned with its words.
            Kind::Postgres => r"s.folded LIKE '%' || replace(replace(replace(?, '\', '\\'), '%', '\%'), '_', '\_') || '%'",
        };
        for word in self.q.iter().flat_map(|q| q.split_whitespace()) {
            add(contains, Some(word));
        }
        let cond = if conds.is_empty() { "TRUE".into() } else { conds.join(" AND ") };
        // A search walks the narrow table newest first and stops at a full
        // page (SQLite's CROSS JOIN keeps that order; PostgreSQL's planner
        // takes no such hint and has no CROSS JOIN … ON); otherwise the
        // reports' own indexes serve.
        let (from, key) = match (self.q.is_some(), kind) {
            (true, Kind::Sqlite) => ("search s CROSS JOIN submissions ON submissions.seq = s.seq", "s.seq"),
            (true, Kind::Postgres) => ("search s JOIN submissions ON submissions.seq = s.seq", "s.seq"),
            (false, _) => ("submissions", "submissions.seq"),
        };
        Where { from, key, cond, params }
    }
}

/// Which rows a page holds: after the cursor `after` (a row's `seq`), newest or oldest first.
pub struct PageQuery<'a> {
    pub filter: &'a Filter,
    pub newest_first: bool,
    /// The cursor: rows beyond this `seq` in the page's order (None: from the start).
    pub after: Option<i64>,
    pub limit: usize,
    /// Stop adding rows once their bodies reach this many bytes (at least one row is given).
    pub max_bytes: usize,
}

pub struct Page {
    pub rows: Vec<Row>,
    /// The `seq` to continue after, when there may be more.
    pub next: Option<i64>,
}

/// An event of the feed or a report's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub seq: i64,
    pub json: Value,
}

fn event(r: &DbRow) -> Result<Event> {
    let seq = r.int(0)?;
    let kind = r.text(2)?;
    let s = |i| r.opt(i);
    let json = if kind == "status" {
        json!({"seq": seq, "at": s(1)?, "kind": kind, "submission": s(3)?, "status": s(4)?, "reply": s(5)?, "by": s(7)?})
    } else {
        json!({"seq": seq, "at": s(1)?, "kind": kind, "title": s(8)?, "body": s(9)?, "unit": s(10)?, "by": s(7)?})
    };
    Ok(Event { seq, json })
}

/// A connection that only reads.
pub struct Reader {
    conn: Conn,
}

impl Reader {
    pub fn open(at: &Location) -> Result<Self> {
        let conn = match at {
            Location::File(path) => {
                use rusqlite::OpenFlags;
                let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
                conn.busy_timeout(std::time::Duration::from_secs(5))?;
                Conn::Lite(conn)
            }
            Location::Postgres(url) => Conn::Pg(Box::new(Pg::connect(url, true)?)),
        };
        Ok(Reader { conn })
    }

    pub fn is_broken(&self) -> bool {
        self.conn.is_broken()
    }

    /// The account a token names, unless revoked.
    pub fn account_by_token(&mut self, token: &str) -> Result<Option<Account>> {
        let hash = secret::digest(token);
        account_by(&mut self.conn, "token_hash = $1", P::Bytes(hash.as_slice()))
    }

    /// The account of a live session, given the digest of its secret.
    pub fn account_by_session(&mut self, hash: &[u8; 32], now: &str) -> Result<Option<Account>> {
        let account = self.conn.row(
            "SELECT account FROM sessions WHERE hash = $1 AND expires_at > $2",
            &[P::Bytes(hash.as_slice()), now.into()],
            |r| r.text(0),
        )?;
        match account {
            Some(id) => account_by(&mut self.conn, "id = $1", id.as_str().into()),
            None => Ok(None),
        }
    }

    pub fn accounts(&mut self) -> Result<Vec<Account>> {
        accounts(&mut self.conn)
    }

    /// The account a name and password sign in as (argon2id, checked by the caller).
    pub fn password_of(&mut self, name: &str) -> Result<Option<(Account, String)>> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS}, password FROM accounts WHERE name = $1 AND revoked_at IS NULL AND password IS NOT NULL");
        self.conn.row(&sql, &[name.into()], |r| Ok((account_row(r)?, r.text(6)?)))
    }

    /// One page of submissions.
    pub fn page(&mut self, q: &PageQuery) -> Result<Page> {
        let horizon = self.horizon()?;
        let Where { from, key, mut cond, mut params } = q.filter.sql(self.conn.kind());
        if let Some(h) = horizon {
            params.push(P::Int(h));
            cond = format!("{cond} AND {key} <= ${}", params.len());
        }
        let (op, order) = if q.newest_first { ("<", "DESC") } else { (">", "ASC") };
        params.push(P::Int(q.after.unwrap_or(if q.newest_first { i64::MAX } else { 0 })));
        params.push(P::Int(q.limit as i64 + 1));
        let n = params.len();
        let sql = format!("SELECT {ROW_COLUMNS} FROM {from} WHERE {cond} AND {key} {op} ${} ORDER BY {key} {order} LIMIT ${n}", n - 1);
        let (mut out, mut bytes, mut next) = (Vec::new(), 0, None);
        self.conn.each(&sql, &params, |r| {
            if out.len() == q.limit || (!out.is_empty() && bytes >= q.max_bytes) {
                next = out.last().map(|r: &Row| r.seq);
                return Ok(false);
            }
            let row = row(r)?;
            bytes += row.body.len();
            out.push(row);
            Ok(true)
        })?;
        Ok(Page { rows: out, next })
    }

    /// The last `seq` a listing may show so that no report becomes visible
    /// behind a cursor later (None: any, on SQLite).
    ///
    /// A page asks for `seq` beyond a cursor. SQLite commits one report at a
    /// time, in `seq` order, so every `seq` it shows is final. On PostgreSQL
    /// reports commit side by side (several connections, several instances):
    /// one given `seq` 10 may commit after one given 11, and a reader who saw
    /// 11 and moved its cursor past would never see 10. So every report's
    /// transaction holds `LOCK_ARRIVALS` shared from before its `seq` is
    /// given; the listing takes it alone for a moment, which waits until
    /// every report under way has committed (or not), and reads the last
    /// `seq` given then. Rows up to it are all visible from then on; the page
    /// shows nothing beyond it. Reports wait only while the lock is asked for.
    fn horizon(&mut self) -> Result<Option<i64>> {
        if self.conn.kind() == Kind::Sqlite {
            return Ok(None);
        }
        self.conn.write(|tx| {
            tx.lock(LOCK_ARRIVALS)?;
            tx.row("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('submissions', 'seq')::regclass), 0)", &[], |r| r.int(0))
        })
    }

    /// The stored sizes of those of `hashes` the server has (hash → size).
    pub fn files_present(&mut self, hashes: &[String]) -> Result<std::collections::HashMap<String, u64>> {
        files_present(&mut self.conn, hashes)
    }

    /// A stored file's size and type.
    pub fn file(&mut self, sha256: &str) -> Result<Option<(u64, String)>> {
        self.conn.row("SELECT size, type FROM files WHERE sha256 = $1", &[sha256.into()], |r| Ok((r.int(0)? as u64, r.text(1)?)))
    }

    /// Whether `account` may read a stored file: an admin, or an office of
    /// no unit, any; an office of one unit, one named by a report of its
    /// unit; a collaborator, one named by a report of its own. Anyone, one it uploaded.
    pub fn may_read_file(&mut self, sha256: &str, account: &Account) -> Result<bool> {
        if account.role != Role::Collaborator && account.reads_unit().is_none() {
            return Ok(true);
        }
        let uploaded = "SELECT 1 FROM file_uploaders WHERE sha256 = $1 AND by_id = $2";
        if self.conn.row(uploaded, &[sha256.into(), (&account.id).into()], |_| Ok(()))?.is_some() {
            return Ok(true);
        }
        let (column, value) = match (account.role, account.reads_unit()) {
            (Role::Collaborator, _) | (_, None) => ("by_id", account.id.as_str()),
            (_, Some(unit)) => ("by_unit", unit),
        };
        let sql =
            format!("SELECT 1 FROM submission_files f JOIN submissions s ON s.seq = f.seq WHERE f.sha256 = $1 AND s.{column} = $2 LIMIT 1");
        Ok(self.conn.row(&sql, &[sha256.into(), value.into()], |_| Ok(()))?.is_some())
    }

    /// One submission by id, with its history (oldest first).
    pub fn submission(&mut self, id: &str) -> Result<Option<(Row, Vec<Event>)>> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM submissions WHERE id = $1");
        let Some(found) = self.conn.row(&sql, &[id.into()], row)? else { return Ok(None) };
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE submission = $1 ORDER BY seq");
        let history = self.conn.rows(&sql, &[id.into()], event)?;
        Ok(Some((found, history)))
    }

    /// The unit of a submission's sender: None if there is no such
    /// submission, Some(None) if it has no unit.
    pub fn submission_unit(&mut self, id: &str) -> Result<Option<Option<String>>> {
        self.conn.row("SELECT by_unit FROM submissions WHERE id = $1", &[id.into()], |r| r.opt(0))
    }

    /// The feed of an account after `after`, oldest first: status events of
    /// its own reports, and announcements for everyone or its unit (every
    /// unit's for an account that reads them all).
    ///
    /// Nothing is missed, nothing comes twice: events become visible in
    /// `seq` order (see `add_event`), so a reader never sees a later `seq`
    /// before an earlier one, on either database and from any instance.
    pub fn feed(&mut self, account: &Account, after: i64, limit: usize) -> Result<Vec<Event>> {
        let own = audience_of_account(&account.id);
        let every_unit = account.role != Role::Collaborator && account.reads_unit().is_none();
        if every_unit {
            let sql =
                format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 AND (audience = $2 OR kind <> 'status') ORDER BY seq LIMIT $3");
            self.conn.rows(&sql, &[P::Int(after), P::Text(Some(&own)), P::Int(limit as i64)], event)
        } else {
            let unit = account.unit.as_ref().map_or_else(|| "*".to_string(), |u| format!("u:{u}"));
            let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 AND audience IN ($2, '*', $3) ORDER BY seq LIMIT $4");
            self.conn.rows(&sql, &[P::Int(after), P::Text(Some(&own)), P::Text(Some(&unit)), P::Int(limit as i64)], event)
        }
    }

    /// The last `seq` of the filter's rows now (0 when it has none).
    pub fn last_seq(&mut self, filter: &Filter) -> Result<i64> {
        let horizon = self.horizon()?;
        let Where { from, key, mut cond, mut params } = filter.sql(self.conn.kind());
        if let Some(h) = horizon {
            params.push(P::Int(h));
            cond = format!("{cond} AND {key} <= ${}", params.len());
        }
        let sql = format!("SELECT coalesce(max({key}), 0) FROM {from} WHERE {cond}");
        Ok(self.conn.row(&sql, &params, |r| r.int(0))?.unwrap_or(0))
    }

    /// Each of the filter's rows up to `last` in arrival order, one at a
    /// time; `each` answers false to stop.
    pub fn each(&mut self, filter: &Filter, last: i64, mut each: impl FnMut(Row) -> bool) -> Result<()> {
        let Where { from, key, cond, mut params } = filter.sql(self.conn.kind());
        params.push(P::Int(last));
        let sql = format!("SELECT {ROW_COLUMNS} FROM {from} WHERE {cond} AND {key} <= ${} ORDER BY {key}", params.len());
        self.conn.each(&sql, &params, |r| Ok(each(row(r)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An anonymous report of `form` version 1, received in 2026.
    fn arrival<'a>(id: &'a str, form: &'a str, body: &'a Value) -> Arrival<'a> {
        Arrival { id, form_id: form, form_version: "1", body, received_at: "2026", by: None }
    }

    fn temp_file(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("phieu-store-{name}-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("t.db")
    }

    fn temp_db(name: &str) -> Location {
        Location::File(temp_file(name))
    }

    /// A new empty database of each kind under test: a SQLite file, and a
    /// PostgreSQL database when `PHIEU_TEST_PG` names a server
    /// (`scripts/pg.sh start` gives one).
    fn temp_dbs(name: &str) -> Vec<Location> {
        let mut dbs = vec![temp_db(name)];
        match std::env::var("PHIEU_TEST_PG") {
            Ok(url) if !url.is_empty() => {
                let db = format!("phieu_unit_{name}_{}", std::process::id());
                let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("PHIEU_TEST_PG: cannot connect");
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).unwrap();
                admin.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
                let base = url.rsplit_once('/').expect("PHIEU_TEST_PG is postgres://user@host:port/database").0;
                dbs.push(Location::Postgres(format!("{base}/{db}")));
            }
            _ => {
                let notice = format!("PHIEU_TEST_PG is not set: {name} runs on SQLite only\n");
                let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
            }
        }
        dbs
    }

    fn sqlite_pragma(s: &mut Store, name: &str) -> i64 {
        s.conn.row(&format!("PRAGMA {name}"), &[], |r| r.int(0)).unwrap().unwrap()
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_json(&json!({"a": [1, {"b": 2.5}]}), &serde_json::from_str(r#"{"a": [1.0, {"b": 2.50}]}"#).unwrap()));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1.5})));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": "1"})));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same_json(&json!(u64::MAX), &json!(u64::MAX - 1)));
        assert!(!same_json(&json!(-1), &json!(u64::MAX)));
    }

    #[test]
    fn commits_reach_the_disk_before_they_are_acknowledged() {
        let mut s = Store::open(&temp_db("sync")).unwrap();
        assert_eq!(sqlite_pragma(&mut s, "synchronous"), 2, "synchronous=FULL");
    }

    #[test]
    fn pages_follow_the_cursor_and_cap_bytes() {
        for db in temp_dbs("pages") {
            pages_follow_the_cursor_and_cap_bytes_on(&db);
        }
    }

    fn pages_follow_the_cursor_and_cap_bytes_on(db: &Location) {
        let mut s = Store::open(db).unwrap();
        for i in 0..5 {
            let body = json!({"n": i, "pad": "x".repeat(100)});
            assert_eq!(s.insert(&arrival(&format!("id{i}"), if i % 2 == 0 { "a" } else { "b" }, &body)).unwrap(), Stored::New);
        }
        let mut r = Reader::open(db).unwrap();
        let all = Filter::default();
        let q = |after, limit, max_bytes| PageQuery { filter: &all, newest_first: false, after, limit, max_bytes };
        let p = r.page(&q(None, 2, 1 << 20)).unwrap();
        assert_eq!((p.rows.len(), p.next), (2, Some(2)));
        let p = r.page(&q(Some(2), 10, 1 << 20)).unwrap();
        assert_eq!((p.rows.len(), p.next), (3, None));
        let p = r.page(&q(None, 10, 150)).unwrap();
        assert_eq!((p.rows.len(), p.next), (2, Some(2)), "the row that crosses the cap is the last");
        let a = Filter { form: Some("a".into()), ..Filter::default() };
        let p = r.page(&PageQuery { filter: &a, ..q(None, 10, 1 << 20) }).unwrap();
        assert_eq!(p.rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 3, 5]);
        let p = r.page(&PageQuery { filter: &a, newest_first: true, ..q(None, 2, 1 << 20) }).unwrap();
        assert_eq!((p.rows.iter().map(|r| r.seq).collect::<Vec<_>>(), p.next), (vec![5, 3], Some(3)));
        let p = r.page(&PageQuery { filter: &a, newest_first: true, ..q(Some(3), 2, 1 << 20) }).unwrap();
        assert_eq!((p.rows.iter().map(|r| r.seq).collect::<Vec<_>>(), p.next), (vec![1], None));
        let b = Filter { form: Some("b".into()), ..Filter::default() };
        assert_eq!(r.last_seq(&b).unwrap(), 4);
    }

    #[test]
    fn migrations_keep_reports_stored_before_accounts_and_make_them_searchable() {
        let file = temp_file("migrate");
        let db = Location::File(file.clone());
        let old = rusqlite::Connection::open(&file).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.execute(
            "INSERT INTO submissions (id, form_id, form_version, received_at, body) VALUES ('x', 'f', '1', '2026', ?1)",
            [json!({"answers": {"district": "Hà Đông"}}).to_string()],
        )
        .unwrap();
        drop(old);
        drop(Store::open(&db).unwrap());
        let mut s = Store::open(&db).unwrap();
        assert_eq!(sqlite_pragma(&mut s, "user_version") as usize, MIGRATIONS.len());
        let mut r = Reader::open(&db).unwrap();
        let mut found = |q: &str| {
            let f = Filter { q: Some(phieu_core::display::fold(q)), status: Some("new".into()), ..Filter::default() };
            r.page(&PageQuery { filter: &f, newest_first: true, after: None, limit: 10, max_bytes: 1 << 20 }).unwrap().rows
        };
        let rows = found("HA DONG");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].submitted_by, Value::Null);
        // Words in any order, as the phone's search takes them; each must be there.
        assert_eq!(found("dong ha").len(), 1);
        assert!(found("dong ba vi").is_empty());
    }

    /// Everything a feed reader collects page by page, while two writers
    /// (two connections: on PostgreSQL as two instances would) write events
    /// to it and to others, arrives once, in order, none missing.
    #[test]
    fn the_feed_cursor_misses_nothing_and_repeats_nothing_across_pages_and_concurrent_writes() {
        for db in temp_dbs("feed") {
            feed_on(&db);
        }
    }

    fn feed_on(db: &Location) {
        let mut s = Store::open(db).unwrap();
        let now = "2026-11-30T00:00:00.000Z";
        let (me, _) = s.add_account("An", Role::Collaborator, Some("ha-dong"), now).unwrap();
        let (other, _) = s.add_account("Bình", Role::Collaborator, Some("ba-vi"), now).unwrap();
        let (office, _) = s.add_account("Office", Role::Office, None, now).unwrap();
        let empty = json!({});
        let from = |id, by| Arrival { id, form_id: "f", form_version: "1", body: &empty, received_at: now, by: Some(by) };
        s.insert(&from("mine", &me)).unwrap();
        s.insert(&from("theirs", &other)).unwrap();
        let writer = |mut s: Store, from: usize| {
            let (me_unit, office) = (me.unit.clone(), office.clone());
            std::thread::spawn(move || {
                let mut expected = Vec::new();
                for i in from..from + 300 {
                    let seq = match i % 4 {
                        0 => s.set_status("mine", None, Some("received"), Some(&format!("r{i}")), &office, now).unwrap().unwrap(),
                        1 => s.set_status("theirs", None, None, Some("not for me"), &office, now).unwrap().unwrap(),
                        2 => s.announce("announcement", &format!("a{i}"), "", None, &office, now).unwrap(),
                        _ => s
                            .announce("topic", "unit", "", if i % 8 == 3 { me_unit.as_deref() } else { Some("ba-vi") }, &office, now)
                            .unwrap(),
                    };
                    if i % 4 == 0 || i % 4 == 2 || i % 8 == 3 {
                        expected.push(seq);
                    }
                }
                expected
            })
        };
        let writers = [writer(s, 0), writer(Store::connect(db).unwrap(), 300)];
        let mut r = Reader::open(db).unwrap();
        let (mut seen, mut cursor) = (Vec::new(), 0);
        loop {
            let page = r.feed(&me, cursor, 7).unwrap();
            if let Some(last) = page.last() {
                cursor = last.seq;
            } else if writers.iter().all(|w| w.is_finished()) {
                // One more read after the writers are done: whatever they wrote last is seen.
                let rest = r.feed(&me, cursor, 1000).unwrap();
                seen.extend(rest.iter().map(|e| e.seq));
                break;
            }
            seen.extend(page.iter().map(|e| e.seq));
        }
        let mut expected: Vec<i64> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        expected.sort();
        assert_eq!(seen.len(), expected.len(), "{db}: every event of mine, once");
        assert_eq!(seen, expected, "{db}");
        let all = r.feed(&office, 0, 1000).unwrap();
        assert_eq!(all.iter().filter(|e| e.json["kind"] != "status").count(), 300, "an office without a unit sees every announcement");
    }

    /// A search matches each word as text, in any order, ignoring case and
    /// diacritics; `%`, `_` and `\` in a word are themselves (PostgreSQL
    /// searches with LIKE, where they would be wildcards).
    #[test]
    fn search_words_are_matched_as_written() {
        for db in temp_dbs("search") {
            let mut s = Store::open(&db).unwrap();
            for (id, text) in
                [("a", "Giảm 50% phí ở Hà Đông"), ("b", "mã a_b"), ("c", "mã axb"), ("d", r"đường dẫn C:\x"), ("e", "giam 500 phi")]
            {
                s.insert(&arrival(id, "f", &json!({"answers": {"q": text}}))).unwrap();
            }
            let mut r = Reader::open(&db).unwrap();
            let mut found = |q: &str| {
                let f = Filter { q: Some(phieu_core::display::fold(q)), ..Filter::default() };
                r.page(&PageQuery { filter: &f, newest_first: true, after: None, limit: 10, max_bytes: 1 << 20 }).unwrap().rows.len()
            };
            assert_eq!(found("50%"), 1, "{db}: % is a percent sign");
            assert_eq!(found("a_b"), 1, "{db}: _ is an underscore");
            assert_eq!(found(r"c:\x"), 1, "{db}: a backslash is a backslash");
            assert_eq!(found("DONG giam"), 1, "{db}");
            assert_eq!(found("giam phi"), 2, "{db}");
            assert_eq!(found("khong co"), 0, "{db}");
        }
    }

    /// A script following the listing in arrival order with its cursor,
    /// while two writers (two connections: two instances on PostgreSQL)
    /// store reports, gets every report once, in order, none skipped.
    #[test]
    fn the_arrival_cursor_misses_no_report_stored_by_concurrent_writers() {
        for db in temp_dbs("arrivals") {
            arrivals_on(&db);
        }
    }

    fn arrivals_on(db: &Location) {
        let s = Store::open(db).unwrap();
        let writer = |mut s: Store, w: usize| {
            std::thread::spawn(move || {
                for i in 0..300 {
                    assert_eq!(s.insert(&arrival(&format!("w{w}-{i}"), "f", &json!({"i": i}))).unwrap(), Stored::New);
                }
            })
        };
        let writers = [writer(s, 0), writer(Store::connect(db).unwrap(), 1)];
        let mut r = Reader::open(db).unwrap();
        let all = Filter::default();
        let (mut seen, mut cursor) = (Vec::new(), 0);
        loop {
            let done = writers.iter().all(|w| w.is_finished());
            let page = r.page(&PageQuery { filter: &all, newest_first: false, after: Some(cursor), limit: 7, max_bytes: 1 << 20 }).unwrap();
            if let Some(last) = page.rows.last() {
                cursor = last.seq;
            }
            seen.extend(page.rows.iter().map(|r| r.seq));
            // Writers done before this page was read: it saw all they wrote.
            if page.rows.is_empty() && done {
                break;
            }
        }
        for w in writers {
            w.join().unwrap();
        }
        assert_eq!(seen.len(), 600, "{db}: every report once");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{db}: in arrival order");
    }

    #[test]
    fn a_signin_secret_works_once_and_not_after_it_expires() {
        for db in temp_dbs("signin") {
            signin_on(&db);
        }
    }

    fn signin_on(db: &Location) {
        let mut s = Store::open(db).unwrap();
        let (a, token) = s.add_account("Admin", Role::Admin, None, "2026").unwrap();
        let link = s.add_signin(&a.id, "2026-12-01T00:00:00.000Z").unwrap();
        assert_eq!(s.use_signin(&link, "2026-11-30T00:00:00.000Z").unwrap().map(|a| a.id), Some(a.id.clone()));
        assert_eq!(s.use_signin(&link, "2026-11-30T00:00:00.000Z").unwrap(), None, "used once");
        let late = s.add_signin(&a.id, "2026-12-01T00:00:00.000Z").unwrap();
        assert_eq!(s.use_signin(&late, "2026-12-01T00:00:00.001Z").unwrap(), None, "expired");
        let mut r = Reader::open(db).unwrap();
        assert!(r.account_by_token(&token).unwrap().is_some());
        assert!(s.revoke(&a.id, "2026").unwrap());
        assert!(r.account_by_token(&token).unwrap().is_none(), "revoked");
    }
}
