//! The database a test's `phieu serve` uses. By default a SQLite file; with
//! `PHIEU_TEST_DB=postgres` and `PHIEU_TEST_PG=postgres://user@host:port/db`
//! (`eval "$(scripts/pg.sh start)"` sets the latter) a new PostgreSQL
//! database instead, so the same suite runs on both.
#![allow(dead_code)]

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::Path;
use std::sync::Mutex;

/// The server given by `PHIEU_TEST_PG`, if any.
pub fn pg_url() -> Option<String> {
    std::env::var("PHIEU_TEST_PG").ok().filter(|u| !u.is_empty())
}

/// Whether the suite runs on PostgreSQL (`PHIEU_TEST_DB=postgres`).
pub fn on_postgres() -> bool {
    let pg = std::env::var("PHIEU_TEST_DB").is_ok_and(|v| v == "postgres");
    if pg && pg_url().is_none() {
        panic!("PHIEU_TEST_DB=postgres needs PHIEU_TEST_PG=postgres://…; `eval \"$(scripts/pg.sh start)\"` gives one");
    }
    pg
}

/// What `--db` is given: a SQLite file or a postgres:// URL.
#[derive(Clone, Debug)]
pub struct Db(pub String);

impl AsRef<OsStr> for Db {
    fn as_ref(&self) -> &OsStr {
        OsStr::new(&self.0)
    }
}

static MADE: Mutex<Option<HashSet<String>>> = Mutex::new(None);

impl Db {
    /// The test's database called `name` beside its folder `dir`: the same
    /// `dir` and `name` give the same database.
    pub fn in_dir(dir: &Path, name: &str) -> Db {
        if !on_postgres() {
            return Db(dir.join(name).to_string_lossy().into_owned());
        }
        // FNV-1a of the folder and name: a database name of its own.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in dir.as_os_str().as_encoded_bytes().iter().chain(name.as_bytes()) {
            h = (h ^ *b as u64).wrapping_mul(0x100000001b3);
        }
        Db::postgres(&format!("phieu_t_{h:016x}"))
    }

    /// A PostgreSQL database of this name on `PHIEU_TEST_PG`, made (empty) on first use in this process.
    pub fn postgres(name: &str) -> Db {
        let url = pg_url().expect("PHIEU_TEST_PG");
        let mut made = MADE.lock().unwrap_or_else(|p| p.into_inner());
        if made.get_or_insert_with(HashSet::new).insert(name.to_string()) {
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("PHIEU_TEST_PG: cannot connect");
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
            admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        }
        let base = url.rsplit_once('/').expect("PHIEU_TEST_PG is postgres://user@host:port/database").0;
        Db(format!("{base}/{name}"))
    }

    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres")
    }

    /// The first column of the first row of a query, as text.
    pub fn query(&self, sql: &str) -> String {
        if self.is_postgres() {
            let mut c = postgres::Client::connect(&self.0, postgres::NoTls).unwrap();
            let row = c.query_one(&format!("SELECT ({sql})::text"), &[]).unwrap();
            row.get(0)
        } else {
            let c = rusqlite::Connection::open(&self.0).unwrap();
            c.query_row(&format!("SELECT CAST(({sql}) AS TEXT)"), [], |r| r.get(0)).unwrap()
        }
    }

    pub fn count(&self, table: &str) -> i64 {
        self.query(&format!("SELECT count(*) FROM {table}")).parse().unwrap()
    }

    /// Rows written straight into the database (no search text), as if they
    /// had arrived: `row(i)` gives each one's id, form and body.
    pub fn fill(&self, n: usize, row: impl Fn(usize) -> (String, String, String)) {
        let sql =
            "INSERT INTO submissions (id, form_id, form_version, received_at, body) VALUES ($1, $2, '1', '2026-11-26T00:00:00.000Z', $3)";
        if self.is_postgres() {
            let mut c = postgres::Client::connect(&self.0, postgres::NoTls).unwrap();
            let mut tx = c.transaction().unwrap();
            let stmt = tx.prepare(sql).unwrap();
            for i in 0..n {
                let (id, form, body) = row(i);
                tx.execute(&stmt, &[&id, &form, &body]).unwrap();
            }
            tx.commit().unwrap();
        } else {
            let mut c = rusqlite::Connection::open(&self.0).unwrap();
            let tx = c.transaction().unwrap();
            for i in 0..n {
                let (id, form, body) = row(i);
                tx.execute(&sql.replace('$', "?"), rusqlite::params![id, form, body]).unwrap();
            }
            tx.commit().unwrap();
        }
    }
}

/// An account `phieu users add` made: the lines it prints.
pub struct Made {
    pub id: String,
    pub token: String,
    pub link: String,
}

/// `phieu users add` on a database, as an admin runs it.
pub fn users_add(db: &Db, name: &str, role: &str, unit: Option<&str>) -> Made {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_phieu"));
    cmd.args(["users", "add", "--name", name, "--role", role, "--url", "http://phieu.test"]).arg("--db").arg(db).env_remove("PHIEU_DB");
    if let Some(u) = unit {
        cmd.args(["--unit", u]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |p: &str| text.lines().find_map(|l| l.strip_prefix(p)).unwrap_or_else(|| panic!("no '{p}' in {text}")).to_string();
    Made { id: line("id: "), token: line("token: "), link: line("link: ") }
}

/// A name no other test of this run uses.
pub fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}
