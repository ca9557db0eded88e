//! Several `phieu serve` on one PostgreSQL database (issue 17), as behind a
//! load balancer: idempotency, sessions and sign-in links across instances,
//! and an instance killed under load. Needs `PHIEU_TEST_PG` (`eval "$(scripts/pg.sh start)"`);
//! without it each test says it was skipped and passes.

mod common;
use common::{users_add, Db};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A PostgreSQL database of the test's own, or None (and a notice) without `PHIEU_TEST_PG`.
fn database(test: &str) -> Option<Db> {
    if common::pg_url().is_none() {
        // Straight to stderr: the test harness captures eprintln! of a passing test.
        let notice = format!("skipped {test}: PHIEU_TEST_PG is not set (eval \"$(scripts/pg.sh start)\" gives a PostgreSQL)\n");
        let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
        return None;
    }
    Some(Db::postgres(&format!("phieu_i_{test}_{}", std::process::id())))
}

struct Instance {
    child: Child,
    base: String,
    dir: PathBuf,
}

impl Instance {
    fn start(db: &Db, name: &str) -> Instance {
        let dir = std::env::temp_dir().join(format!("phieu-instance-{}-{name}-{}", std::process::id(), nanos()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><title>phieu</title>").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
            .args(["serve", "--addr", "127.0.0.1:0", "--allow-anonymous"])
            .arg("--db")
            .arg(db)
            .arg("--dist")
            .arg(&dir)
            .env_remove("PHIEU_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let base =
            line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no address in {line:?}")).to_string();
        // Whatever else it prints is read and dropped, so it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Instance { child, base, dir }
    }

    /// SIGKILL: no shutdown, no last commit finished.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(std::time::Duration::from_secs(20))).build().into()
}

/// A request; its status, JSON body and headers, or None when the connection failed.
fn call(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Option<(u16, Value, ureq::http::HeaderMap)> {
    let mut req = ureq::http::Request::builder().method(method).uri(format!("{base}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut res = agent().run(req.body(body.to_string()).unwrap()).ok()?;
    let text = res.body_mut().read_to_string().unwrap_or_default();
    Some((res.status().as_u16(), serde_json::from_str(&text).unwrap_or(Value::Null), res.headers().clone()))
}

fn submission(id: &str) -> Value {
    json!({
        "id": id,
        "form": {"id": "phan-anh-du-luan", "version": "1"},
        "startedAt": "2026-11-26T01:00:00.000Z",
        "completedAt": "2026-11-26T01:05:00.000Z",
        "answers": {"district": "Hà Đông", "opinion": "Đường ngập sau mưa"},
        "meta": {"locale": "vi", "appVersion": "0.1.0"}
    })
}

/// Posts a report: the status, or None when the connection failed (refused, cut).
fn post(base: &str, body: &Value) -> Option<u16> {
    call(base, "POST", "/api/submissions", &[("content-type", "application/json")], &body.to_string()).map(|r| r.0)
}

#[test]
fn fifty_concurrent_posts_of_one_id_over_two_instances_store_one_row() {
    let Some(db) = database("one_id") else { return };
    let (a, b) = (Instance::start(&db, "a"), Instance::start(&db, "b"));
    let bases = [a.base.clone(), b.base.clone()];
    let body = submission("3f0b8c1e-0000-4000-8000-000000000001");
    let go = Arc::new(std::sync::Barrier::new(50));
    let statuses: Vec<u16> = (0..50)
        .map(|i| {
            let (base, body, go) = (bases[i % 2].clone(), body.clone(), go.clone());
            std::thread::spawn(move || {
                go.wait();
                post(&base, &body).expect("an answer")
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 1, "one stores it: {statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 49, "the others hear it is a duplicate: {statuses:?}");
    assert_eq!(db.count("submissions"), 1);
    assert_eq!(db.count("search"), 1);
    // A different body under the same id is refused on either instance.
    let mut changed = body.clone();
    changed["answers"]["opinion"] = json!("khác");
    assert_eq!(post(&b.base, &changed), Some(409));
    assert_eq!(post(&a.base, &changed), Some(409));
}

#[test]
fn two_thousand_reports_over_two_instances_are_two_thousand_rows() {
    let Some(db) = database("two_thousand") else { return };
    let (a, b) = (Instance::start(&db, "a"), Instance::start(&db, "b"));
    let bases = [a.base.clone(), b.base.clone()];
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let bases = bases.clone();
            std::thread::spawn(move || {
                for i in 0..250 {
                    let id = format!("00000000-0000-4000-8000-{:04}{:08}", t, i);
                    assert_eq!(post(&bases[i % 2], &submission(&id)), Some(201), "{id}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(db.count("submissions"), 2000);
    assert_eq!(db.query("SELECT count(DISTINCT id) FROM submissions"), "2000");
    assert_eq!(db.count("search"), 2000);
    // Either instance lists them all, page after page.
    let common::Made { id: admin, token, .. } = users_add(&db, "Quản trị", "admin", None);
    let auth = format!("Bearer {token}");
    let mut seen = HashSet::new();
    let mut cursor = String::new();
    loop {
        let (status, page, _) =
            call(&bases[seen.len() % 2], "GET", &format!("/api/submissions?limit=300{cursor}"), &[("authorization", &auth)], "").unwrap();
        assert_eq!(status, 200, "{page} ({admin})");
        for row in page["submissions"].as_array().unwrap() {
            assert!(seen.insert(row["submission"]["id"].as_str().unwrap().to_string()), "a row came twice");
        }
        match page["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 2000);
}

/// Phones send to both instances; one is killed (SIGKILL) in the middle.
/// Every report acknowledged (201 or 200) is stored, none twice; the phones
/// then resend what was not acknowledged, to the instance left, and
/// everything sent is there once.
#[test]
fn an_instance_killed_mid_load_loses_no_acknowledged_report_and_stores_none_twice() {
    let Some(db) = database("killed") else { return };
    let (mut a, b) = (Instance::start(&db, "a"), Instance::start(&db, "b"));
    let bases = [a.base.clone(), b.base.clone()];
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let unacked = Arc::new(Mutex::new(Vec::<String>::new()));
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let (bases, acked, unacked) = (bases.clone(), acked.clone(), unacked.clone());
            std::thread::spawn(move || {
                for i in 0..300 {
                    let id = format!("00000000-0000-4000-9000-{:04}{:08}", t, i);
                    match post(&bases[(t + i) % 2], &submission(&id)) {
                        Some(201) | Some(200) => acked.lock().unwrap().push(id),
                        // Refused, cut, or 503: the phone keeps it and sends it again later.
                        _ => unacked.lock().unwrap().push(id),
                    }
                }
            })
        })
        .collect();
    // Kill once the load is well under way.
    while acked.lock().unwrap().len() < 400 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    a.kill();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let unacked = unacked.lock().unwrap().clone();
    assert!(!unacked.is_empty(), "the kill came during the load: some reports went unanswered");
    let stored: HashSet<String> = stored_ids(&db);
    assert_eq!(db.count("submissions") as usize, stored.len(), "no id twice");
    assert_eq!(db.count("search") as usize, stored.len(), "every report with its search text, once");
    let missing: Vec<&String> = acked.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(missing.is_empty(), "acknowledged but not stored: {missing:?}");
    // The phones resend what they never heard about, to the instance still up.
    for id in &unacked {
        let status = post(&b.base, &submission(id));
        assert!(matches!(status, Some(201) | Some(200)), "{id}: {status:?}");
    }
    let stored = stored_ids(&db);
    assert_eq!(stored.len(), 1800);
    assert_eq!(db.count("submissions"), 1800);
}

fn stored_ids(db: &Db) -> HashSet<String> {
    let mut c = postgres::Client::connect(&db.0, postgres::NoTls).unwrap();
    c.query("SELECT id FROM submissions", &[]).unwrap().iter().map(|r| r.get(0)).collect()
}

/// Signs in on one instance with a link's secret: the cookie pair and the CSRF value.
fn sign_in(base: &str, secret: &str) -> Option<(String, String)> {
    let (status, body, headers) =
        call(base, "POST", "/api/session", &[("content-type", "application/json")], &json!({ "signin": secret }).to_string())?;
    if status != 200 {
        return None;
    }
    let cookie = headers.get("set-cookie")?.to_str().ok()?.split(';').next()?.to_string();
    Some((cookie, body["csrf"].as_str()?.to_string()))
}

#[test]
fn an_office_session_made_on_one_instance_is_valid_on_the_other() {
    let Some(db) = database("session") else { return };
    let (a, b) = (Instance::start(&db, "a"), Instance::start(&db, "b"));
    let link = users_add(&db, "Văn phòng", "office", None).link;
    let an_token = users_add(&db, "An", "collaborator", Some("ha-dong")).token;
    let secret = link.split_once("#signin=").unwrap().1;
    let an = format!("Bearer {an_token}");
    let json_type = ("content-type", "application/json");
    let r = call(&a.base, "POST", "/api/submissions", &[("authorization", &an), json_type], &submission("r-1").to_string()).unwrap();
    assert_eq!(r.0, 201);

    let (cookie, csrf) = sign_in(&a.base, secret).expect("the link signs in on a");
    assert!(sign_in(&b.base, secret).is_none(), "a link used on a is used up on b too");
    let with_cookie = [("cookie", cookie.as_str())];
    let (status, me, _) = call(&b.base, "GET", "/api/session", &with_cookie, "").unwrap();
    assert_eq!((status, me["account"]["name"].as_str()), (200, Some("Văn phòng")), "the session made on a is valid on b");
    // It changes things on b, with the CSRF value a gave.
    let changes = [("cookie", cookie.as_str()), ("x-phieu-csrf", csrf.as_str()), json_type];
    let reply = json!({"status": "answered", "reply": "Đã xử lý."}).to_string();
    assert_eq!(call(&b.base, "POST", "/api/submissions/r-1/status", &changes, &reply).unwrap().0, 200);
    let announcement = json!({"title": "Lịch họp"}).to_string();
    assert_eq!(call(&a.base, "POST", "/api/announcements", &changes, &announcement).unwrap().0, 201);
    // The collaborator's feed, asked of either, holds both events in order.
    for base in [&a.base, &b.base] {
        let (_, feed, _) = call(base, "GET", "/api/feed", &[("authorization", &an)], "").unwrap();
        let kinds: Vec<&str> = feed["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["status", "announcement"], "{feed}");
    }
    // Signed out on b: gone on a too.
    assert_eq!(call(&b.base, "DELETE", "/api/session", &changes, "").unwrap().0, 204);
    assert_eq!(call(&a.base, "GET", "/api/session", &with_cookie, "").unwrap().0, 401);
}

/// A password in `--db` is never printed: not in the line that says where
/// the data is, nor in the first start's lines, nor when it fails to connect.
#[test]
fn a_password_in_the_database_url_is_never_printed() {
    let Some(db) = database("password") else { return };
    // The test cluster trusts 127.0.0.1, so a password given is ignored there, but printed if anything prints it.
    let with_password = db.0.replacen("postgres://phieu@", "postgres://phieu:s3cret-pw@", 1);
    assert_ne!(with_password, db.0, "PHIEU_TEST_PG is postgres://phieu@…");
    let dir = std::env::temp_dir().join(format!("phieu-instance-{}-password-{}", std::process::id(), nanos()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
        .args(["serve", "--addr", "127.0.0.1:0", "--allow-anonymous", "--db", &with_password])
        .arg("--dist")
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.contains("another link") {
        assert!(out.read_line(&mut printed).unwrap() > 0, "{printed}");
    }
    assert!(printed.contains("phieu:***@"), "{printed}");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    // A database that is not there: the error names the URL, without its password.
    let missing = with_password.rsplit_once('/').unwrap().0.to_string() + "/no_such_database";
    let failed = Command::new(env!("CARGO_BIN_EXE_phieu")).args(["users", "list", "--db", &missing]).output().unwrap();
    assert!(!failed.status.success());
    let failed = String::from_utf8_lossy(&failed.stderr).to_string();
    assert!(failed.contains("no_such_database"), "{failed}");
    for text in [&printed, &err, &failed] {
        assert!(!text.contains("s3cret-pw"), "the password was printed: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
