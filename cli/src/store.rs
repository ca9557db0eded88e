//! Submissions in SQLite. One row per submission id: the id is the
//! idempotency key, so a phone that resends after a lost answer stores nothing new.
//!
//! One [`Store`] writes; any number of [`Reader`]s read beside it (WAL lets
//! readers and the writer run at once). Every call here blocks: the server
//! runs them on blocking threads, never on its async workers.

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde_json::Value;
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

/// A stored submission as listed: its body is the JSON text as stored.
pub struct Row {
    pub seq: i64,
    pub received_at: String,
    pub body: String,
}

/// Which rows a page holds: after `after` (a row's `seq`), in arrival order.
pub struct PageQuery<'a> {
    pub form: Option<&'a str>,
    /// RFC 3339 UTC as the server writes it: rows received at or after it.
    pub since: Option<&'a str>,
    pub after: i64,
    pub limit: usize,
    /// Stop adding rows once their bodies reach this many bytes (at least one row is given).
    pub max_bytes: usize,
}

pub struct Page {
    pub rows: Vec<Row>,
    /// The `seq` to continue after, when there may be more.
    pub next: Option<i64>,
}

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a COMMIT is on disk before the phone hears 201 and deletes its
        // copy. NORMAL can lose the last commits to a power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS submissions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                form_id TEXT NOT NULL,
                form_version TEXT NOT NULL,
                received_at TEXT NOT NULL,
                body TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS submissions_form ON submissions(form_id, seq);",
        )?;
        Ok(Store { conn })
    }

    pub fn insert(&mut self, id: &str, form_id: &str, form_version: &str, body: &Value, received_at: &str) -> rusqlite::Result<Stored> {
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
                    "INSERT INTO submissions (id, form_id, form_version, received_at, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, form_id, form_version, received_at, body.to_string()],
                )?;
                Stored::New
            }
        };
        tx.commit()?;
        Ok(outcome)
    }
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

    /// One page of submissions in arrival order.
    pub fn page(&self, q: &PageQuery) -> rusqlite::Result<Page> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, received_at, body FROM submissions
             WHERE seq > ?1 AND (?2 IS NULL OR form_id = ?2) AND (?3 IS NULL OR received_at >= ?3)
             ORDER BY seq LIMIT ?4",
        )?;
        let mut rows = stmt.query(params![q.after, q.form, q.since, q.limit as i64 + 1])?;
        let (mut out, mut bytes, mut next) = (Vec::new(), 0, None);
        while let Some(r) = rows.next()? {
            if out.len() == q.limit || (!out.is_empty() && bytes >= q.max_bytes) {
                next = out.last().map(|r: &Row| r.seq);
                break;
            }
            let row = Row { seq: r.get(0)?, received_at: r.get(1)?, body: r.get(2)? };
            bytes += row.body.len();
            out.push(row);
        }
        Ok(Page { rows: out, next })
    }

    /// The last `seq` of a form's rows now (0 when it has none).
    pub fn last_seq(&self, form: &str) -> rusqlite::Result<i64> {
        self.conn.query_row("SELECT coalesce(max(seq), 0) FROM submissions WHERE form_id = ?1", [form], |r| r.get(0))
    }

    /// Each of a form's rows up to `last` in arrival order, one at a time;
    /// `each` answers false to stop.
    pub fn each(&self, form: &str, last: i64, mut each: impl FnMut(Row) -> bool) -> rusqlite::Result<()> {
        let mut stmt =
            self.conn.prepare_cached("SELECT seq, received_at, body FROM submissions WHERE form_id = ?1 AND seq <= ?2 ORDER BY seq")?;
        let mut rows = stmt.query(params![form, last])?;
        while let Some(r) = rows.next()? {
            if !each(Row { seq: r.get(0)?, received_at: r.get(1)?, body: r.get(2)? }) {
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
        let dir = std::env::temp_dir().join(format!("phieu-store-sync-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let s = Store::open(&dir.join("t.db")).unwrap();
        let level: i64 = s.conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(level, 2, "synchronous=FULL");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn pages_follow_the_cursor_and_cap_bytes() {
        let dir = std::env::temp_dir().join(format!("phieu-store-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("t.db");
        let mut s = Store::open(&db).unwrap();
        for i in 0..5 {
            let body = json!({"n": i, "pad": "x".repeat(100)});
            assert_eq!(s.insert(&format!("id{i}"), if i % 2 == 0 { "a" } else { "b" }, "1", &body, "2026").unwrap(), Stored::New);
        }
        let r = Reader::open(&db).unwrap();
        let q = |after, limit, max_bytes| PageQuery { form: None, since: None, after, limit, max_bytes };
        let p = r.page(&q(0, 2, 1 << 20)).unwrap();
        assert_eq!((p.rows.len(), p.next), (2, Some(2)));
        let p = r.page(&q(2, 10, 1 << 20)).unwrap();
        assert_eq!((p.rows.len(), p.next), (3, None));
        let p = r.page(&q(0, 10, 150)).unwrap();
        assert_eq!((p.rows.len(), p.next), (2, Some(2)), "the row that crosses the cap is the last");
        let p = r.page(&PageQuery { form: Some("a"), ..q(0, 10, 1 << 20) }).unwrap();
        assert_eq!(p.rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(r.last_seq("b").unwrap(), 4);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
