//! The server's storage: submissions, accounts, sessions, and the events
//! (status changes, replies, announcements) that make up the feed. Every SQL
//! statement of the server is in this file, so another database (PostgreSQL
//! is planned) means another implementation of these methods, nothing else.
//!
//! One [`Store`] writes; any number of [`Reader`]s read beside it (WAL lets
//! readers and the writer run at once). Every call here blocks: the server
//! runs them on blocking threads, never on its async workers.
//!
//! One row per submission id: the id is the idempotency key, so a phone
//! that resends after a lost answer stores nothing new.

use crate::secret;
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension};
use serde_json::{json, Value};
use std::path::Path;

pub struct Store {
    conn: Connection,
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

/// Versioned schema changes, applied in order at start; `PRAGMA user_version`
/// holds how many are applied. Never edit one that has shipped: add another.
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
];

/// The columns of a listed submission.
const ROW_COLUMNS: &str = "submissions.seq, received_at, body, status, by_id, by_name, by_unit";
const ACCOUNT_COLUMNS: &str = "id, name, role, unit, created_at, revoked_at";
const EVENT_COLUMNS: &str = "seq, at, kind, submission, status, reply, by_id, by_name, title, body, unit";

/// Who reads an event: the sender of a report (`a:<id>`), one unit
/// (`u:<unit>`), or everyone (`*`).
fn audience_of_account(id: &str) -> String {
    format!("a:{id}")
}

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a COMMIT is on disk before the phone hears 201 and deletes its
        // copy. NORMAL can lose the last commits to a power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let applied: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            tx.execute_batch(sql)?;
            if i == 1 {
                // Reports stored before search existed get their search text.
                let rows: Vec<(i64, String)> = tx
                    .prepare("SELECT seq, body FROM submissions")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                let mut set = tx.prepare("UPDATE submissions SET folded = ?2 WHERE seq = ?1")?;
                for (seq, body) in rows {
                    set.execute(params![seq, searchable(&serde_json::from_str(&body).unwrap_or(Value::Null))])?;
                }
            }
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        tx.commit()
    }

    /// Stores a submission once; `by` is the account the credential named.
    pub fn insert(
        &mut self,
        id: &str,
        form_id: &str,
        form_version: &str,
        body: &Value,
        received_at: &str,
        by: Option<&Account>,
    ) -> rusqlite::Result<Stored> {
        let tx = self.conn.transaction()?;
        let existing: Option<String> = tx.query_row("SELECT body FROM submissions WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let outcome = match existing {
            Some(old) => {
                let same = serde_json::from_str::<Value>(&old).is_ok_and(|old| same_json(&old, body));
                if same {
                    Stored::Duplicate
                } else {
                    Stored::Conflict
                }
            }
            None => {
                tx.execute(
                    "INSERT INTO submissions (id, form_id, form_version, received_at, body, by_id, by_name, by_unit)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        id,
                        form_id,
                        form_version,
                        received_at,
                        body.to_string(),
                        by.map(|a| &a.id),
                        by.map(|a| &a.name),
                        by.and_then(|a| a.unit.as_ref()),
                    ],
                )?;
                tx.execute("INSERT INTO search (seq, folded) VALUES (last_insert_rowid(), ?1)", [searchable(body)])?;
                Stored::New
            }
        };
        tx.commit()?;
        Ok(outcome)
    }

    /// Whether no account was ever made (the first start).
    pub fn no_accounts(&self) -> rusqlite::Result<bool> {
        self.conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))
    }

    /// A new account and its token (shown once; only its digest is kept).
    pub fn add_account(&mut self, name: &str, role: Role, unit: Option<&str>, now: &str) -> Result<(Account, String), String> {
        let (id, token) = (secret::new_id()?, secret::new_secret()?);
        self.conn
            .execute(
                "INSERT INTO accounts (id, name, role, unit, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, name, role.as_str(), unit, secret::digest(&token).as_slice(), now],
            )
            .map_err(|e| format!("the account could not be stored: {e}"))?;
        let account =
            Account { id, name: name.to_string(), role, unit: unit.map(str::to_string), created_at: now.to_string(), revoked_at: None };
        Ok((account, token))
    }

    /// Revokes an account: its token, sessions and sign-in links stop working. False if there is no such account.
    pub fn revoke(&mut self, id: &str, now: &str) -> rusqlite::Result<bool> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE accounts SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1", params![id, now])?;
        tx.execute("DELETE FROM sessions WHERE account = ?1", [id])?;
        tx.execute("DELETE FROM signins WHERE account = ?1", [id])?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Sets an account's password (an argon2id PHC string). False if there is no such account.
    pub fn set_password(&mut self, id: &str, phc: &str) -> rusqlite::Result<bool> {
        Ok(self.conn.execute("UPDATE accounts SET password = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![id, phc])? == 1)
    }

    /// A one-time sign-in secret for an account, valid until `expires_at`.
    pub fn add_signin(&mut self, account: &str, expires_at: &str) -> Result<String, String> {
        let s = secret::new_secret()?;
        self.conn
            .execute(
                "INSERT INTO signins (hash, account, expires_at) VALUES (?1, ?2, ?3)",
                params![secret::digest(&s).as_slice(), account, expires_at],
            )
            .map_err(|e| format!("the sign-in link could not be stored: {e}"))?;
        Ok(s)
    }

    /// Uses a sign-in secret up: its account, if it was valid. A second use finds nothing.
    pub fn use_signin(&mut self, secret: &str, now: &str) -> rusqlite::Result<Option<Account>> {
        let tx = self.conn.transaction()?;
        let hash = secret::digest(secret);
        let account: Option<(String, String)> = tx
            .query_row("DELETE FROM signins WHERE hash = ?1 RETURNING account, expires_at", [hash.as_slice()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        tx.execute("DELETE FROM signins WHERE expires_at <= ?1", [now])?;
        let found = match account {
            Some((id, expires)) if expires.as_str() > now => account_by(&tx, "id = ?1", &id)?,
            _ => None,
        };
        tx.commit()?;
        Ok(found)
    }

    /// A new session for an account; its secret goes in the cookie.
    pub fn open_session(&mut self, account: &str, expires_at: &str, now: &str) -> Result<String, String> {
        let s = secret::new_secret()?;
        let run = || -> rusqlite::Result<()> {
            self.conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
            self.conn.execute(
                "INSERT INTO sessions (hash, account, expires_at) VALUES (?1, ?2, ?3)",
                params![secret::digest(&s).as_slice(), account, expires_at],
            )?;
            Ok(())
        };
        run().map_err(|e| format!("the session could not be stored: {e}"))?;
        Ok(s)
    }

    pub fn close_session(&mut self, hash: &[u8; 32]) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM sessions WHERE hash = ?1", [hash.as_slice()]).map(|_| ())
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
    ) -> rusqlite::Result<Option<i64>> {
        let tx = self.conn.transaction()?;
        let found: Option<(String, Option<String>, Option<String>)> = tx
            .query_row("SELECT status, by_id, by_unit FROM submissions WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((old, sender, sender_unit)) = found else { return Ok(None) };
        if unit.is_some() && sender_unit.as_deref() != unit {
            return Ok(None);
        }
        let status = status.unwrap_or(&old);
        tx.execute("UPDATE submissions SET status = ?2 WHERE id = ?1", params![id, status])?;
        // An anonymous report's events go in its history only.
        let audience = sender.as_deref().map_or_else(|| "-".to_string(), audience_of_account);
        tx.execute(
            "INSERT INTO events (at, kind, audience, submission, status, reply, by_id, by_name) VALUES (?1, 'status', ?2, ?3, ?4, ?5, ?6, ?7)",
            params![now, audience, id, status, reply, by.id, by.name],
        )?;
        let seq = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Some(seq))
    }

    /// An announcement or topic to watch, for everyone or one unit.
    pub fn announce(&mut self, kind: &str, title: &str, body: &str, unit: Option<&str>, by: &Account, now: &str) -> rusqlite::Result<i64> {
        let audience = unit.map_or_else(|| "*".to_string(), |u| format!("u:{u}"));
        self.conn.execute(
            "INSERT INTO events (at, kind, audience, title, body, unit, by_id, by_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![now, kind, audience, title, body, unit, by.id, by.name],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The accounts, oldest first (the `users` command reads through its writer).
    pub fn accounts(&self) -> rusqlite::Result<Vec<Account>> {
        accounts(&self.conn)
    }
}

fn account_row(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    let role: String = r.get(2)?;
    Ok(Account {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Collaborator),
        unit: r.get(3)?,
        created_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

/// An account that is not revoked, found by one condition on one parameter.
fn account_by(conn: &Connection, condition: &str, param: &dyn rusqlite::ToSql) -> rusqlite::Result<Option<Account>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {condition} AND revoked_at IS NULL");
    conn.prepare_cached(&sql)?.query_row([param], account_row).optional()
}

fn accounts(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, id");
    conn.prepare(&sql)?.query_map([], account_row)?.collect()
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

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    let by_id: Option<String> = r.get(4)?;
    let submitted_by = match by_id {
        Some(id) => json!({"id": id, "name": r.get::<_, Option<String>>(5)?, "unit": r.get::<_, Option<String>>(6)?}),
        None => Value::Null,
    };
    Ok(Row { seq: r.get(0)?, received_at: r.get(1)?, body: r.get(2)?, status: r.get(3)?, submitted_by })
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
struct Where {
    from: &'static str,
    key: &'static str,
    cond: String,
    params: Vec<Sql>,
}

impl Filter {
    fn sql(&self) -> Where {
        let mut conds = Vec::new();
        let mut params = Vec::new();
        let mut add = |cond: &str, v: &Option<String>| {
            if let Some(v) = v {
                params.push(Sql::Text(v.clone()));
                conds.push(cond.replace('?', &format!("?{}", params.len())));
            }
        };
        add("form_id = ?", &self.form);
        add("status = ?", &self.status);
        add("by_unit = ?", &self.unit);
        add("received_at >= ?", &self.since);
        add("received_at < ?", &self.until);
        // Each word on its own, in any order, as the phone's search matches
        // (`phieu_core::display::matches`): "doi can ngap" finds "ngập ở phố Đội Cấn".
        for word in self.q.iter().flat_map(|q| q.split_whitespace()) {
            add("instr(s.folded, ?) > 0", &Some(word.to_string()));
        }
        let cond = if conds.is_empty() { "1".into() } else { conds.join(" AND ") };
        // A search walks the narrow table newest first and stops at a full
        // page (CROSS JOIN keeps that order); otherwise the reports' own indexes serve.
        let (from, key) = if self.q.is_some() {
            ("search s CROSS JOIN submissions ON submissions.seq = s.seq", "s.seq")
        } else {
            ("submissions", "submissions.seq")
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

fn event(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    let seq: i64 = r.get(0)?;
    let kind: String = r.get(2)?;
    let s = |i| r.get::<_, Option<String>>(i);
    let json = if kind == "status" {
        json!({"seq": seq, "at": s(1)?, "kind": kind, "submission": s(3)?, "status": s(4)?, "reply": s(5)?, "by": s(7)?})
    } else {
        json!({"seq": seq, "at": s(1)?, "kind": kind, "title": s(8)?, "body": s(9)?, "unit": s(10)?, "by": s(7)?})
    };
    Ok(Event { seq, json })
}

/// A read-only connection.
pub struct Reader {
    conn: Connection,
}

impl Reader {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Reader { conn })
    }

    /// The account a token names, unless revoked.
    pub fn account_by_token(&self, token: &str) -> rusqlite::Result<Option<Account>> {
        let hash = secret::digest(token);
        account_by(&self.conn, "token_hash = ?1", &hash.as_slice())
    }

    /// The account of a live session, given the digest of its secret.
    pub fn account_by_session(&self, hash: &[u8; 32], now: &str) -> rusqlite::Result<Option<Account>> {
        let account: Option<String> = self
            .conn
            .prepare_cached("SELECT account FROM sessions WHERE hash = ?1 AND expires_at > ?2")?
            .query_row(params![hash.as_slice(), now], |r| r.get(0))
            .optional()?;
        match account {
            Some(id) => account_by(&self.conn, "id = ?1", &id),
            None => Ok(None),
        }
    }

    pub fn accounts(&self) -> rusqlite::Result<Vec<Account>> {
        accounts(&self.conn)
    }

    /// The account a name and password sign in as (argon2id, checked by the caller).
    pub fn password_of(&self, name: &str) -> rusqlite::Result<Option<(Account, String)>> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS}, password FROM accounts WHERE name = ?1 AND revoked_at IS NULL AND password IS NOT NULL");
        self.conn.query_row(&sql, [name], |r| Ok((account_row(r)?, r.get(6)?))).optional()
    }

    /// One page of submissions.
    pub fn page(&self, q: &PageQuery) -> rusqlite::Result<Page> {
        let Where { from, key, cond, mut params } = q.filter.sql();
        let (op, order) = if q.newest_first { ("<", "DESC") } else { (">", "ASC") };
        params.push(Sql::Integer(q.after.unwrap_or(if q.newest_first { i64::MAX } else { 0 })));
        params.push(Sql::Integer(q.limit as i64 + 1));
        let n = params.len();
        let sql = format!("SELECT {ROW_COLUMNS} FROM {from} WHERE {cond} AND {key} {op} ?{} ORDER BY {key} {order} LIMIT ?{n}", n - 1);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let (mut out, mut bytes, mut next) = (Vec::new(), 0, None);
        while let Some(r) = rows.next()? {
            if out.len() == q.limit || (!out.is_empty() && bytes >= q.max_bytes) {
                next = out.last().map(|r: &Row| r.seq);
                break;
            }
            let row = row(r)?;
            bytes += row.body.len();
            out.push(row);
        }
        Ok(Page { rows: out, next })
    }

    /// One submission by id, with its history (oldest first).
    pub fn submission(&self, id: &str) -> rusqlite::Result<Option<(Row, Vec<Event>)>> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM submissions WHERE id = ?1");
        let Some(found) = self.conn.query_row(&sql, [id], row).optional()? else { return Ok(None) };
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE submission = ?1 ORDER BY seq");
        let history = self.conn.prepare_cached(&sql)?.query_map([id], event)?.collect::<Result<_, _>>()?;
        Ok(Some((found, history)))
    }

    /// The unit of a submission's sender: None if there is no such
    /// submission, Some(None) if it has no unit.
    pub fn submission_unit(&self, id: &str) -> rusqlite::Result<Option<Option<String>>> {
        self.conn.query_row("SELECT by_unit FROM submissions WHERE id = ?1", [id], |r| r.get(0)).optional()
    }

    /// The feed of an account after `after`, oldest first: status events of
    /// its own reports, and announcements for everyone or its unit (every
    /// unit's for an account that reads them all).
    ///
    /// Nothing is missed, nothing comes twice: a `seq` is given inside the
    /// writing transaction and SQLite lets one write at a time, so events
    /// become visible in `seq` order, and a reader never sees a later `seq`
    /// before an earlier one.
    pub fn feed(&self, account: &Account, after: i64, limit: usize) -> rusqlite::Result<Vec<Event>> {
        let own = audience_of_account(&account.id);
        let every_unit = account.role != Role::Collaborator && account.reads_unit().is_none();
        let (sql, params): (String, Vec<Sql>) = if every_unit {
            (
                format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > ?1 AND (audience = ?2 OR kind <> 'status') ORDER BY seq LIMIT ?3"),
                vec![Sql::Integer(after), Sql::Text(own), Sql::Integer(limit as i64)],
            )
        } else {
            let unit = account.unit.as_ref().map_or_else(|| "*".to_string(), |u| format!("u:{u}"));
            (
                format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > ?1 AND audience IN (?2, '*', ?3) ORDER BY seq LIMIT ?4"),
                vec![Sql::Integer(after), Sql::Text(own), Sql::Text(unit), Sql::Integer(limit as i64)],
            )
        };
        self.conn.prepare_cached(&sql)?.query_map(params_from_iter(params), event)?.collect()
    }

    /// The last `seq` of the filter's rows now (0 when it has none).
    pub fn last_seq(&self, filter: &Filter) -> rusqlite::Result<i64> {
        let Where { from, key, cond, params } = filter.sql();
        let sql = format!("SELECT coalesce(max({key}), 0) FROM {from} WHERE {cond}");
        self.conn.query_row(&sql, params_from_iter(params), |r| r.get(0))
    }

    /// Each of the filter's rows up to `last` in arrival order, one at a
    /// time; `each` answers false to stop.
    pub fn each(&self, filter: &Filter, last: i64, mut each: impl FnMut(Row) -> bool) -> rusqlite::Result<()> {
        let Where { from, key, cond, mut params } = filter.sql();
        params.push(Sql::Integer(last));
        let sql = format!("SELECT {ROW_COLUMNS} FROM {from} WHERE {cond} AND {key} <= ?{} ORDER BY {key}", params.len());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            if !each(row(r)?) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn temp_db(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("phieu-store-{name}-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("t.db")
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
        let s = Store::open(&temp_db("sync")).unwrap();
        let level: i64 = s.conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(level, 2, "synchronous=FULL");
    }

    #[test]
    fn pages_follow_the_cursor_and_cap_bytes() {
        let db = temp_db("pages");
        let mut s = Store::open(&db).unwrap();
        for i in 0..5 {
            let body = json!({"n": i, "pad": "x".repeat(100)});
            assert_eq!(s.insert(&format!("id{i}"), if i % 2 == 0 { "a" } else { "b" }, "1", &body, "2026", None).unwrap(), Stored::New);
        }
        let r = Reader::open(&db).unwrap();
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
        let db = temp_db("migrate");
        let old = Connection::open(&db).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.execute(
            "INSERT INTO submissions (id, form_id, form_version, received_at, body) VALUES ('x', 'f', '1', '2026', ?1)",
            [json!({"answers": {"district": "Hà Đông"}}).to_string()],
        )
        .unwrap();
        drop(old);
        drop(Store::open(&db).unwrap());
        let s = Store::open(&db).unwrap();
        let version: i64 = s.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        let r = Reader::open(&db).unwrap();
        let found = |q: &str| {
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

    /// Everything a feed reader collects page by page, while another thread
    /// writes events to it and to others, arrives once, in order, none missing.
    #[test]
    fn the_feed_cursor_misses_nothing_and_repeats_nothing_across_pages_and_concurrent_writes() {
        let db = temp_db("feed");
        let mut s = Store::open(&db).unwrap();
        let now = "2026-11-30T00:00:00.000Z";
        let (me, _) = s.add_account("An", Role::Collaborator, Some("ha-dong"), now).unwrap();
        let (other, _) = s.add_account("Bình", Role::Collaborator, Some("ba-vi"), now).unwrap();
        let (office, _) = s.add_account("Office", Role::Office, None, now).unwrap();
        s.insert("mine", "f", "1", &json!({}), now, Some(&me)).unwrap();
        s.insert("theirs", "f", "1", &json!({}), now, Some(&other)).unwrap();
        let writer = std::thread::spawn({
            let (me_unit, office) = (me.unit.clone(), office.clone());
            move || {
                let mut expected = Vec::new();
                for i in 0..300 {
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
            }
        });
        let r = Reader::open(&db).unwrap();
        let (mut seen, mut cursor) = (Vec::new(), 0);
        loop {
            let page = r.feed(&me, cursor, 7).unwrap();
            if let Some(last) = page.last() {
                cursor = last.seq;
            } else if writer.is_finished() {
                // One more read after the writer is done: whatever it wrote last is seen.
                let rest = r.feed(&me, cursor, 1000).unwrap();
                seen.extend(rest.iter().map(|e| e.seq));
                break;
            }
            seen.extend(page.iter().map(|e| e.seq));
        }
        let expected = writer.join().unwrap();
        assert_eq!(seen, expected);
        let all = r.feed(&office, 0, 1000).unwrap();
        assert_eq!(all.iter().filter(|e| e.json["kind"] != "status").count(), 150, "an office without a unit sees every announcement");
    }

    #[test]
    fn a_signin_secret_works_once_and_not_after_it_expires() {
        let db = temp_db("signin");
        let mut s = Store::open(&db).unwrap();
        let (a, token) = s.add_account("Admin", Role::Admin, None, "2026").unwrap();
        let link = s.add_signin(&a.id, "2026-12-01T00:00:00.000Z").unwrap();
        assert_eq!(s.use_signin(&link, "2026-11-30T00:00:00.000Z").unwrap().map(|a| a.id), Some(a.id.clone()));
        assert_eq!(s.use_signin(&link, "2026-11-30T00:00:00.000Z").unwrap(), None, "used once");
        let late = s.add_signin(&a.id, "2026-12-01T00:00:00.000Z").unwrap();
        assert_eq!(s.use_signin(&late, "2026-12-01T00:00:00.001Z").unwrap(), None, "expired");
        let r = Reader::open(&db).unwrap();
        assert!(r.account_by_token(&token).unwrap().is_some());
        assert!(s.revoke(&a.id, "2026").unwrap());
        assert!(r.account_by_token(&token).unwrap().is_none(), "revoked");
    }
}
