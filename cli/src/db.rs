//! The two databases the server stores in, behind one small interface:
//! SQLite (a file, the default: one machine) and PostgreSQL (`postgres://…`:
//! several `phieu serve` on one database). `store.rs` writes every SQL
//! statement once, with PostgreSQL's `$1` placeholders; for SQLite they
//! become `?1` here (SQLite reads `$1` as a *named* parameter numbered by
//! first appearance, so `$2 … $1` would bind the wrong values). What the
//! dialects do differently is asked of [`Conn::kind`] in the few places it matters.
//!
//! Every call blocks. The `postgres` crate (synchronous, over tokio-postgres)
//! was chosen over an async client because the server already runs every
//! database call on a blocking thread with a connection of its own
//! (`serve::Pool`): the same code drives both databases, and a long export
//! streams rows from either the same way.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where the data is: `--db` / `PHIEU_DB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    /// A libpq-style URL: `postgres://user:password@host:port/database`.
    Postgres(String),
}

impl Location {
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::File(PathBuf::from(s))
        }
    }
}

impl std::fmt::Display for Location {
    /// The place as it may be printed: a password in the URL is never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// A URL with its password (`user:password@`, `?password=`) replaced by `***`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|kv| if kv.to_ascii_lowercase().starts_with("password=") { "password=***".to_string() } else { kv.to_string() })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    Pg(postgres::Error),
    Other(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sqlite(e) => write!(f, "{e}"),
            // The server's own words (message, detail), not just "db error".
            Error::Pg(e) => match (e.as_db_error(), std::error::Error::source(e)) {
                (Some(db), _) => write!(f, "PostgreSQL: {db}"),
                (None, Some(cause)) => write!(f, "PostgreSQL: {e}: {cause}"),
                (None, None) => write!(f, "PostgreSQL: {e}"),
            },
            Error::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Pg(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// A parameter: the few types the server stores.
#[derive(Debug, Clone, Copy)]
pub enum P<'a> {
    Int(i64),
    /// Text, or NULL.
    Text(Option<&'a str>),
    Bytes(&'a [u8]),
}

impl<'a> From<&'a str> for P<'a> {
    fn from(s: &'a str) -> Self {
        P::Text(Some(s))
    }
}
impl<'a> From<&'a String> for P<'a> {
    fn from(s: &'a String) -> Self {
        P::Text(Some(s))
    }
}
impl<'a> From<Option<&'a str>> for P<'a> {
    fn from(s: Option<&'a str>) -> Self {
        P::Text(s)
    }
}
impl From<i64> for P<'_> {
    fn from(i: i64) -> Self {
        P::Int(i)
    }
}
impl<'a> From<&'a [u8]> for P<'a> {
    fn from(b: &'a [u8]) -> Self {
        P::Bytes(b)
    }
}

impl rusqlite::ToSql for P<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match *self {
            P::Int(i) => ToSqlOutput::Owned(Value::Integer(i)),
            P::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            P::Text(None) => ToSqlOutput::Owned(Value::Null),
            P::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl P<'_> {
    fn pg(&self) -> &(dyn postgres::types::ToSql + Sync) {
        match self {
            P::Int(i) => i,
            P::Text(s) => s,
            P::Bytes(b) => b,
        }
    }
}

/// One row of an answer, read by column index.
pub enum Row<'a, 'b> {
    Lite(&'a rusqlite::Row<'b>),
    Pg(&'a postgres::Row),
}

impl Row<'_, '_> {
    pub fn int(&self, i: usize) -> Result<i64> {
        Ok(match self {
            Row::Lite(r) => r.get(i)?,
            Row::Pg(r) => r.try_get(i)?,
        })
    }
    pub fn text(&self, i: usize) -> Result<String> {
        Ok(match self {
            Row::Lite(r) => r.get(i)?,
            Row::Pg(r) => r.try_get(i)?,
        })
    }
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(match self {
            Row::Lite(r) => r.get(i)?,
            Row::Pg(r) => r.try_get(i)?,
        })
    }
    pub fn opt(&self, i: usize) -> Result<Option<String>> {
        Ok(match self {
            Row::Lite(r) => r.get(i)?,
            Row::Pg(r) => r.try_get(i)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A PostgreSQL connection and its prepared statements, by SQL text.
pub struct Pg {
    /// Always there but while dropped (see `Drop`).
    client: Option<postgres::Client>,
    statements: HashMap<String, postgres::Statement>,
}

impl Drop for Pg {
    /// The `postgres` client says goodbye to the server on a runtime of its
    /// own, which tokio forbids on an async worker (where the server's last
    /// reference to a pool may go at shutdown): there, another thread does it.
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || drop(client));
            }
        }
    }
}

/// Prepared statements kept per PostgreSQL connection; past this many (a
/// listing's filters combine) they are all dropped and prepared again.
const STATEMENTS_KEPT: usize = 256;

impl Pg {
    pub fn connect(url: &str, read_only: bool) -> Result<Pg> {
        use std::str::FromStr;
        let mut config =
            postgres::Config::from_str(url).map_err(|e| Error::Other(format!("{} is not a PostgreSQL URL: {e}", redact(url))))?;
        if config.get_application_name().is_none() {
            config.application_name("phieu");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let mut client = config.connect(postgres::NoTls)?;
        // A reader cannot write by mistake, and plans each query with its
        // values (a search for a rare word and one for a common word want
        // different plans; a generic plan would serve one of them badly).
        client.batch_execute(if read_only {
            "SET default_transaction_read_only = on; SET plan_cache_mode = force_custom_plan; SET client_encoding = 'UTF8'"
        } else {
            "SET client_encoding = 'UTF8'"
        })?;
        Ok(Pg { client: Some(client), statements: HashMap::new() })
    }

    fn client(&mut self) -> &mut postgres::Client {
        self.client.as_mut().expect("a connection not yet dropped")
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        if self.statements.len() >= STATEMENTS_KEPT {
            self.statements.clear();
        }
        let s = self.client().prepare(sql)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

/// One connection to either database.
pub enum Conn {
    Lite(rusqlite::Connection),
    Pg(Box<Pg>),
}

/// `$1` → `?1` (SQLite numbers `$1` by its first appearance, not by its digits).
/// The server's SQL has no `$` inside string literals.
pub fn lite_sql(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl Conn {
    pub fn kind(&self) -> Kind {
        match self {
            Conn::Lite(_) => Kind::Sqlite,
            Conn::Pg(_) => Kind::Postgres,
        }
    }

    /// Whether the connection is gone (PostgreSQL restarted, the network cut): a pool drops it.
    pub fn is_broken(&self) -> bool {
        match self {
            Conn::Lite(_) => false,
            Conn::Pg(pg) => pg.client.as_ref().is_none_or(postgres::Client::is_closed),
        }
    }

    /// Several statements without parameters (migrations, `BEGIN`).
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(pg) => Ok(pg.client().batch_execute(sql)?),
        }
    }

    /// One statement; the number of rows it changed.
    pub fn exec(&mut self, sql: &str, params: &[P]) -> Result<u64> {
        match self {
            Conn::Lite(c) => Ok(c.prepare_cached(&lite_sql(sql))?.execute(rusqlite::params_from_iter(params))? as u64),
            Conn::Pg(pg) => {
                let s = pg.statement(sql)?;
                let params: Vec<_> = params.iter().map(P::pg).collect();
                Ok(pg.client().execute(&s, &params)?)
            }
        }
    }

    /// Each row in turn, streamed (a long export holds one row at a time);
    /// `f` answers false to stop.
    pub fn each(&mut self, sql: &str, params: &[P], mut f: impl FnMut(&Row) -> Result<bool>) -> Result<()> {
        match self {
            Conn::Lite(c) => {
                let mut stmt = c.prepare_cached(&lite_sql(sql))?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Lite(r))? {
                        break;
                    }
                }
                Ok(())
            }
            Conn::Pg(pg) => {
                use postgres::fallible_iterator::FallibleIterator;
                let s = pg.statement(sql)?;
                let mut rows = pg.client().query_raw(&s, params.iter().map(P::pg))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Pg(&r))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// Every row, each read by `f`.
    pub fn rows<T>(&mut self, sql: &str, params: &[P], mut f: impl FnMut(&Row) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, |r| {
            out.push(f(r)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The first row, if any.
    pub fn row<T>(&mut self, sql: &str, params: &[P], f: impl FnOnce(&Row) -> Result<T>) -> Result<Option<T>> {
        match self {
            Conn::Lite(c) => {
                let mut stmt = c.prepare_cached(&lite_sql(sql))?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                match rows.next()? {
                    Some(r) => Ok(Some(f(&Row::Lite(r))?)),
                    None => Ok(None),
                }
            }
            Conn::Pg(pg) => {
                let s = pg.statement(sql)?;
                let params: Vec<_> = params.iter().map(P::pg).collect();
                match pg.client().query(&s, &params)?.first() {
                    Some(r) => Ok(Some(f(&Row::Pg(r))?)),
                    None => Ok(None),
                }
            }
        }
    }

    /// Runs `f` in a transaction: committed if it returns Ok,
    /// rolled back otherwise. SQLite takes its write lock at once
    /// (`IMMEDIATE`), so another process's writer waits instead of failing.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        self.batch(match self.kind() {
            Kind::Sqlite => "BEGIN IMMEDIATE",
            Kind::Postgres => "BEGIN",
        })?;
        match f(self) {
            Ok(v) => {
                self.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Inside a transaction on PostgreSQL: waits until no other transaction
    /// holds `key`, and holds it until this one ends. SQLite lets one writer
    /// at a time anyway: nothing to do.
    pub fn lock(&mut self, key: i64) -> Result<()> {
        match self {
            Conn::Lite(_) => Ok(()),
            Conn::Pg(_) => self.row("SELECT pg_advisory_xact_lock($1)::text", &[P::Int(key)], |_| Ok(())).map(drop),
        }
    }

    /// As [`Conn::lock`], but shared: any number of transactions hold `key`
    /// together, and one asking for it alone waits until they have all ended.
    pub fn lock_shared(&mut self, key: i64) -> Result<()> {
        match self {
            Conn::Lite(_) => Ok(()),
            Conn::Pg(_) => self.row("SELECT pg_advisory_xact_lock_shared($1)::text", &[P::Int(key)], |_| Ok(())).map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_sqlite_by_their_digits() {
        assert_eq!(lite_sql("UPDATE t SET a = $2 WHERE id = $1 AND b = '$'"), "UPDATE t SET a = ?2 WHERE id = ?1 AND b = '$'");
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let mut conn = Conn::Lite(c);
        conn.batch("CREATE TABLE t (id TEXT, a TEXT)").unwrap();
        conn.exec("INSERT INTO t (a, id) VALUES ($2, $1)", &["x".into(), "y".into()]).unwrap();
        let got = conn.row("SELECT id, a FROM t", &[], |r| Ok((r.text(0)?, r.text(1)?))).unwrap();
        assert_eq!(got, Some(("x".to_string(), "y".to_string())));
    }

    #[test]
    fn a_password_in_the_url_is_never_printed() {
        assert_eq!(redact("postgres://phieu:s3cret@db.internal:5432/phieu"), "postgres://phieu:***@db.internal:5432/phieu");
        assert_eq!(redact("postgresql://u@h/d?password=s3cret&sslmode=disable"), "postgresql://u@h/d?password=***&sslmode=disable");
        assert_eq!(redact("postgres://h/d"), "postgres://h/d");
        let shown = Location::parse("postgres://a:b%40c@h/d").to_string();
        assert!(!shown.contains("b%40c"), "{shown}");
        assert_eq!(Location::parse("phieu.db"), Location::File("phieu.db".into()));
    }
}
