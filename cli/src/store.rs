//! Submissions in SQLite. One row per submission id: the id is the
//! idempotency key, so a phone that resends after a lost answer stores nothing new.

use rusqlite::{params, Connection, OptionalExtension};
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

pub struct Row {
    pub received_at: String,
    pub body: Value,
}

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
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
                let same = serde_json::from_str::<Value>(&old).is_ok_and(|old| old == *body);
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

    /// All submissions in arrival order, optionally of one form.
    pub fn list(&self, form_id: Option<&str>) -> rusqlite::Result<Vec<Row>> {
        let mut stmt = self.conn.prepare("SELECT received_at, body FROM submissions WHERE (?1 IS NULL OR form_id = ?1) ORDER BY seq")?;
        let rows = stmt.query_map([form_id], |r| {
            let body: String = r.get(1)?;
            Ok(Row { received_at: r.get(0)?, body: serde_json::from_str(&body).unwrap_or(Value::String(body)) })
        })?;
        rows.collect()
    }
}
