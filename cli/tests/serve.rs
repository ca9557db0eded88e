//! `phieu serve` over real HTTP: the binary is started as a process on a free port.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    base: String,
    dir: PathBuf,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
        Self::start_in(dir.clone(), &dir.join("test.db"), extra)
    }

    /// Another server on an existing database (in a fresh folder of its own).
    fn start_with_db(db: &std::path::Path) -> Server {
        let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
        Self::start_in(dir, db, &[])
    }

    fn start_in(dir: PathBuf, db: &std::path::Path, extra: &[&str]) -> Server {
        Self::launch(dir, db, extra, &[], None)
    }

    /// `env` is added to the server's environment; `ulimit_n` lowers its file limit.
    fn launch(dir: PathBuf, db: &std::path::Path, extra: &[&str], env: &[(&str, &str)], ulimit_n: Option<u32>) -> Server {
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        if !dir.join("dist/index.html").exists() {
            std::fs::write(dir.join("dist/index.html"), "<!doctype html><title>phieu</title>").unwrap();
        }
        let mut wasm = b"\0asm".to_vec();
        wasm.extend(std::iter::repeat_n(b"phieu ".as_slice(), 1000).flatten());
        std::fs::write(dir.join("dist/phieu-app-c0b48f70b4be9ff5_bg.wasm"), wasm).unwrap();
        // A build's own brotli copy (any bytes will do: it is sent as is).
        std::fs::write(dir.join("dist/style-80e3793aeb9d42ec.css"), "body { color: black; }".repeat(100)).unwrap();
        std::fs::write(dir.join("dist/style-80e3793aeb9d42ec.css.br"), "precompressed").unwrap();
        let mut cmd = match ulimit_n {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(format!("ulimit -n {n} && exec \"$0\" \"$@\"")).arg(env!("CARGO_BIN_EXE_phieu"));
                c
            }
            None => Command::new(env!("CARGO_BIN_EXE_phieu")),
        };
        cmd.args(["serve", "--addr", "127.0.0.1:0"]).arg("--db").arg(db).arg("--dist").arg(dir.join("dist")).args(extra);
        cmd.env_remove("PHIEU_TOKEN").envs(env.iter().copied());
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("listening line").to_string();
        Server { child, base: url, dir }
    }

    fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).build().into()
    }

    fn post(&self, body: &str, key: Option<&str>) -> (u16, Value) {
        let mut req = Self::agent().post(format!("{}/api/submissions", self.base)).header("content-type", "application/json");
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let mut res = req.send(body).unwrap();
        let status = res.status().as_u16();
        (status, res.body_mut().read_json().unwrap_or(Value::Null))
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut res = Self::agent().get(format!("{}{path}", self.base)).call().unwrap();
        (res.status().as_u16(), res.body_mut().read_to_string().unwrap())
    }

    /// Every row the listing gives, page after page.
    fn rows(&self) -> Vec<Value> {
        self.pages("/api/submissions?limit=1000")
    }

    fn pages(&self, first: &str) -> Vec<Value> {
        let mut rows = Vec::new();
        let mut path = first.to_string();
        loop {
            let (status, body) = self.get(&path);
            assert_eq!(status, 200, "{body}");
            let page: Value = serde_json::from_str(&body).unwrap();
            rows.extend(page["submissions"].as_array().unwrap().iter().cloned());
            match page["next"].as_str() {
                Some(next) => path = format!("{first}&cursor={next}"),
                None => return rows,
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn hashed_files_are_kept_for_good_and_everything_else_revalidated() {
    let s = Server::start(&[]);
    let cache = |path: &str| {
        let res = Server::agent().get(format!("{}{path}", s.base)).call().unwrap();
        (res.status().as_u16(), res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string()))
    };
    assert_eq!(cache("/phieu-app-c0b48f70b4be9ff5_bg.wasm"), (200, Some("public, max-age=31536000, immutable".into())));
    // Trunk drops a hash's leading zeros: 15 digits here.
    assert_eq!(cache("/style-2505100c10de9ac.css").0, 404);
    std::fs::write(s.dir.join("dist/style-2505100c10de9ac.css"), "p {}").unwrap();
    assert_eq!(cache("/style-2505100c10de9ac.css"), (200, Some("public, max-age=31536000, immutable".into())));
    assert_eq!(cache("/"), (200, Some("no-cache".into())));
    assert_eq!(cache("/index.html"), (200, Some("no-cache".into())));
    assert_eq!(cache("/api/submissions"), (200, Some("no-cache".into())));
    // Compressed for whoever asks, whole for whoever does not.
    let get = |enc: &str| {
        let mut res =
            Server::agent().get(format!("{}/phieu-app-c0b48f70b4be9ff5_bg.wasm", s.base)).header("accept-encoding", enc).call().unwrap();
        let encoding = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string());
        (encoding, res.body_mut().with_config().limit(1 << 20).read_to_vec().unwrap().len())
    };
    let (br, br_len) = get("br");
    assert_eq!(br.as_deref(), Some("br"));
    assert!(br_len < 200, "{br_len} bytes");
    assert_eq!(get("gzip").0.as_deref(), Some("gzip"));
    assert_eq!(get("identity"), (None, 6004));
    // The build's own brotli copy is sent as it is, with its type.
    let mut res = Server::agent().get(format!("{}/style-80e3793aeb9d42ec.css", s.base)).header("accept-encoding", "br").call().unwrap();
    assert_eq!(res.headers().get("content-encoding").unwrap(), "br");
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/css"));
    assert_eq!(res.body_mut().read_to_string().unwrap(), "precompressed");
    // A hashed name that is not there is not cached for a year.
    assert_eq!(cache("/phieu-app-0000000000000000_bg.wasm").1, Some("no-cache".into()));
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

fn submission(id: &str, district: &str) -> Value {
    json!({
        "id": id,
        "form": {"id": "phan-anh-du-luan", "version": "1"},
        "startedAt": "2026-11-26T01:00:00.000Z",
        "completedAt": "2026-11-26T01:05:00.000Z",
        "answers": {"district": district, "channels": ["zalo", "facebook"], "opinion": "Đường ngập, \"khó đi\"\nsau mưa"},
        "meta": {"locale": "vi", "appVersion": "0.1.0"}
    })
}

#[test]
fn stores_once_and_answers_resends_as_success() {
    let s = Server::start(&[]);
    let body = submission("7d0c4a5e-1b2c-4d3e-8f00-000000000001", "Hà Đông").to_string();
    let (status, reply) = s.post(&body, Some("7d0c4a5e-1b2c-4d3e-8f00-000000000001"));
    assert_eq!(status, 201);
    assert_eq!(reply["status"], "stored");
    // Same id, same body (keys reordered): success, nothing new.
    let reordered = serde_json::to_string(&serde_json::from_str::<serde_json::Map<String, Value>>(&body).unwrap()).unwrap();
    let (status, reply) = s.post(&reordered, None);
    assert_eq!(status, 200);
    assert_eq!(reply["status"], "duplicate");
    // Same id, different body: conflict, and the first one is kept.
    let (status, reply) = s.post(&submission("7d0c4a5e-1b2c-4d3e-8f00-000000000001", "Ba Đình").to_string(), None);
    assert_eq!(status, 409);
    assert!(reply["error"].as_str().unwrap().contains("already stored"));
    let rows = s.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["submission"], serde_json::from_str::<Value>(&body).unwrap());
    assert!(rows[0]["receivedAt"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn rejects_bad_requests_with_json_messages() {
    let s = Server::start(&["--max-body", "2000"]);
    let (status, reply) = s.post("{not json", None);
    assert_eq!(status, 400);
    assert!(reply["error"].as_str().unwrap().starts_with("the body is not valid JSON"));

    let mut no_id = submission("x", "Hà Đông");
    no_id.as_object_mut().unwrap().remove("id");
    let (status, reply) = s.post(&no_id.to_string(), None);
    assert_eq!(status, 422);
    assert!(reply["error"].as_str().unwrap().contains("missing field `id`"), "{reply}");

    let (status, reply) = s.post(&submission("a", "Hà Đông").to_string(), Some("b"));
    assert_eq!(status, 400);
    assert!(reply["error"].as_str().unwrap().contains("Idempotency-Key"));

    let mut big = submission("big", "Hà Đông");
    big["answers"]["opinion"] = json!("x".repeat(5000));
    let (status, reply) = s.post(&big.to_string(), None);
    assert_eq!(status, 413);
    assert!(reply["error"].as_str().unwrap().contains("2000 bytes"));
    assert!(s.rows().is_empty());
}

#[test]
fn lists_by_form_and_as_csv() {
    let s = Server::start(&[]);
    assert_eq!(s.post(&submission("a1", "Hà Đông").to_string(), None).0, 201);
    let mut other = submission("b1", "Ba Đình");
    other["form"]["id"] = json!("other");
    assert_eq!(s.post(&other.to_string(), None).0, 201);

    let (status, body) = s.get("/api/submissions?form=phan-anh-du-luan");
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["next"], Value::Null);
    let rows = page["submissions"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["submission"]["id"], "a1");

    let (status, csv) = s.get("/api/submissions.csv?form=phan-anh-du-luan");
    assert_eq!(status, 200);
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next().unwrap(), "\u{feff}id,form,formVersion,startedAt,completedAt,locale,receivedAt,channels,district,opinion");
    assert_eq!(lines.next().unwrap(), ",,,,,,,channels,district,opinion");
    let row = lines.next().unwrap();
    assert!(row.starts_with("a1,phan-anh-du-luan,1,2026-11-26T01:00:00.000Z,2026-11-26T01:05:00.000Z,vi,"), "{row}");
    assert!(row.ends_with("Z,\"zalo; facebook\",Hà Đông,\"Đường ngập, \"\"khó đi\"\"\nsau mưa\""), "{row}");

    let (status, _) = s.get("/api/submissions.csv");
    assert_eq!(status, 400);
}

#[test]
fn serves_the_app() {
    let s = Server::start(&[]);
    let (status, body) = s.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("<title>phieu</title>"));
    assert_eq!(s.get("/api/health"), (200, "ok".to_string()));
}

#[test]
fn check_reports_positions_and_fails_on_errors() {
    let dir = std::env::temp_dir().join(format!("phieu-check-test-{}", rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\"elements\": [\n  {\"type\": \"text\", \"name\": \"a\", \"width\": \"50%\"},\n  {\"type\": \"slider\", \"name\": \"b\"}\n]}",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).arg("check").arg(&bad).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let name = bad.display();
    assert!(
        stdout.contains(&format!(
            "{name}:2:33: warning: elements[0].width: 'width' only changes how SurveyJS lays out a 'text' question; phieu ignores it"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{name}:3:4: error: elements[1].type: question type 'slider' is not supported yet: use 'text' with inputType 'range'"
        )),
        "{stdout}"
    );

    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"elements": [{"type": "text", "name": "a"}]}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).arg("check").arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eval_prints_json_and_batch_never_stops() {
    let out = Command::new(env!("CARGO_BIN_EXE_phieu"))
        .args(["eval", "{a} anyof ['x', 'y'] and {n} * 2 > 7", "--values", r#"{"a": ["y"], "n": "4"}"#])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "true\n");

    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).args(["eval", "{a} +* 2"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("but found '*'") && err.contains("      ^"), "{err}");

    let mut child =
        Command::new(env!("CARGO_BIN_EXE_phieu")).args(["eval", "--batch"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let input = concat!(
        "{\"expr\": \"1 + 1\"}\n",
        "not json\n",
        "{\"expr\": \"1 +\"}\n",
        "{\"expr\": \"age('1960-05-01')\", \"now\": \"2026-11-26T10:00:00Z\"}\n",
        "{\"expr\": \"today()\", \"now\": \"2026-11-26T10:00:00Z\"}\n",
    );
    use std::io::Write;
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0], json!({"value": 2}));
    assert!(lines[1]["error"].as_str().unwrap().starts_with("the line is not JSON"));
    assert!(lines[2]["error"].as_str().unwrap().contains("expected a value"));
    assert_eq!(lines[3], json!({"value": 66}));
    assert_eq!(lines[4], json!({"value": "2026-11-26T00:00:00.000Z"}));
}

#[test]
fn committed_schema_is_what_phieu_schema_prints() {
    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).arg("schema").output().unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/form.schema.json")).unwrap())
            .unwrap();
    assert!(printed == committed, "schema/form.schema.json is stale: run `target/debug/phieu schema > schema/form.schema.json`");
    let types: Vec<&str> =
        printed["definitions"]["question"]["properties"]["type"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(types.contains(&"paneldynamic") && types.contains(&"matrix") && !types.contains(&"file"));
}

fn write_form(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("report.json"),
        r#"{"phieu": {"id": "phan-anh-du-luan", "version": "1"}, "elements": [
            {"type": "text", "name": "district", "isRequired": true},
            {"type": "text", "name": "age", "inputType": "number", "min": 0, "max": 120}
        ]}"#,
    )
    .unwrap();
}

#[test]
fn forms_check_submissions_of_their_version() {
    let forms = std::env::temp_dir().join(format!("phieu-forms-{}", rand_suffix()));
    write_form(&forms);
    let s = Server::start(&["--forms", forms.to_str().unwrap()]);
    let mut bad = submission("v1", "");
    bad["answers"] = json!({"age": 130});
    let (status, reply) = s.post(&bad.to_string(), None);
    assert_eq!(status, 422);
    assert_eq!(
        reply["errors"],
        json!([{"question": "district", "message": "Vui lòng trả lời câu hỏi này."}, {"question": "age", "message": "Giá trị phải từ 0 đến 120."}])
    );
    assert!(reply["error"].as_str().unwrap().starts_with("the answers do not fit form 'phan-anh-du-luan': district: "));
    // Another version of the form is stored unchecked.
    bad["form"]["version"] = json!("0");
    assert_eq!(s.post(&bad.to_string(), None).0, 201);
    let mut good = submission("v2", "Hà Đông");
    good["answers"]["age"] = json!(70);
    assert_eq!(s.post(&good.to_string(), None).0, 201);
    let (_, csv) = s.get("/api/submissions.csv?form=phan-anh-du-luan");
    assert!(
        csv.starts_with("\u{feff}id,form,formVersion,startedAt,completedAt,locale,receivedAt,district,age,channels,opinion\r\n"),
        "{csv}"
    );
    let _ = std::fs::remove_dir_all(&forms);
}

#[test]
fn a_token_guards_the_api() {
    let s = Server::start(&["--token", "s3cret"]);
    let (status, reply) = s.post(&submission("t1", "Ba Vì").to_string(), None);
    assert_eq!(status, 401);
    assert!(reply["error"].as_str().unwrap().contains("Bearer"));
    let res = Server::agent()
        .post(format!("{}/api/submissions", s.base))
        .header("authorization", "Bearer s3cret")
        .header("content-type", "application/json")
        .send(submission("t1", "Ba Vì").to_string())
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    assert_eq!(s.get("/api/submissions").0, 401);
    assert_eq!(s.get("/").0, 200, "the app itself needs no token");
}

#[test]
fn cors_lets_a_named_origin_in() {
    let s = Server::start(&["--cors-origin", "https://app.example.org"]);
    let res = Server::agent()
        .run(
            ureq::http::Request::builder()
                .method("OPTIONS")
                .uri(format!("{}/api/submissions", s.base))
                .header("origin", "https://app.example.org")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type,idempotency-key")
                .body(())
                .unwrap(),
        )
        .unwrap();
    let h = res.headers();
    assert_eq!(h.get("access-control-allow-origin").unwrap(), "https://app.example.org");
    assert!(h.get("access-control-allow-headers").unwrap().to_str().unwrap().contains("idempotency-key"));
}

#[test]
fn injected_failures_answer_with_retry_after_and_store_nothing() {
    let s = Server::start(&["--faults", "fail:1,status:503,retry-after:2"]);
    let res = Server::agent()
        .post(format!("{}/api/submissions", s.base))
        .header("content-type", "application/json")
        .send(submission("f1", "Sóc Sơn").to_string())
        .unwrap();
    assert_eq!(res.status().as_u16(), 503);
    assert_eq!(res.headers().get("retry-after").unwrap(), "2");
    assert!(s.rows().is_empty());
}

#[test]
fn an_injected_drop_stores_then_cuts_and_the_resend_is_a_duplicate() {
    let s = Server::start(&["--faults", "drop:1"]);
    let body = submission("d1", "Mê Linh").to_string();
    let sent = Server::agent().post(format!("{}/api/submissions", s.base)).header("content-type", "application/json").send(body.as_str());
    assert!(sent.is_err(), "the connection should be cut, got {:?}", sent.map(|r| r.status()));
    // The row is there although the phone never heard back.
    let db = s.dir.join("test.db");
    let count: i64 = rusqlite_count(&db);
    assert_eq!(count, 1);
    // Resending is safe: after a drop the connection is cut again, but no second row appears.
    let _ = Server::agent().post(format!("{}/api/submissions", s.base)).header("content-type", "application/json").send(body.as_str());
    assert_eq!(rusqlite_count(&db), 1);
}

fn rusqlite_count(db: &std::path::Path) -> i64 {
    let out = Command::new("sqlite3").arg(db).arg("SELECT count(*) FROM submissions").output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().parse().unwrap(),
        _ => {
            // No sqlite3 tool: ask phieu itself, started read-only on the same database.
            let s = Server::start_with_db(db);
            s.rows().len() as i64
        }
    }
}

#[test]
fn docs_cover_every_supported_name() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/form-format.md")).unwrap();
    use phieu_core::spec;
    let mut names: Vec<&str> = Vec::new();
    for table in [
        spec::SURVEY,
        spec::PHIEU,
        spec::SUBMIT,
        spec::PAGE,
        spec::CALCULATED_VALUE,
        spec::QUESTION,
        spec::CHOICE,
        spec::TEXT_ITEM,
        spec::VALIDATOR_COMMON,
    ] {
        names.extend(table.iter().map(|p| p.name));
    }
    for t in spec::TYPES {
        names.push(t.name);
        names.extend(t.props.iter().map(|p| p.name));
    }
    for (v, props) in spec::VALIDATOR_TYPES {
        names.push(v);
        names.extend(props.iter().map(|p| p.name));
    }
    names.extend(spec::NOT_YET.iter().map(|(t, _)| *t));
    let missing: Vec<&str> = names.into_iter().filter(|n| !docs.contains(&format!("`{n}`"))).collect();
    assert!(missing.is_empty(), "docs/form-format.md does not mention: {missing:?}");
}

// ---- Issue 13: the server under hostile or heavy use ----

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Rows written straight into the database, as if they had arrived.
fn fill(db: &std::path::Path, form: &str, n: usize) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    for i in 0..n {
        let id = format!("bulk-{form}-{i}");
        let mut body = submission(&id, "Hà Đông");
        body["form"]["id"] = json!(form);
        tx.execute(
            "INSERT INTO submissions (id, form_id, form_version, received_at, body) VALUES (?1, ?2, '1', '2026-11-26T00:00:00.000Z', ?3)",
            rusqlite::params![id, form, body.to_string()],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// The status line's code of a raw HTTP exchange, or None when the server closed without one.
fn raw(addr: &str, request: &[u8], wait: Duration) -> Option<u16> {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(wait)).unwrap();
    c.write_all(request).unwrap();
    let mut buf = Vec::new();
    let _ = c.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    text.strip_prefix("HTTP/1.1 ").and_then(|t| t.get(..3)).and_then(|c| c.parse().ok())
}

#[test]
fn listing_comes_in_pages_that_follow_a_cursor_through_concurrent_inserts() {
    let s = Server::start(&[]);
    let db = s.dir.join("test.db");
    fill(&db, "big", 2_500);
    let (_, body) = s.get("/api/submissions");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["submissions"].as_array().unwrap().len(), 100, "100 by default");
    let (_, body) = s.get("/api/submissions?limit=5000");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["submissions"].as_array().unwrap().len(), 1000, "at most 1000");
    let next = page["next"].as_str().unwrap().to_string();
    // Rows that arrive between two pages come later, once.
    assert_eq!(s.post(&submission("late-1", "Ba Vì").to_string(), None).0, 201);
    let rest = s.pages(&format!("/api/submissions?limit=700&cursor={next}"));
    assert_eq!(rest.len(), 1_501);
    assert_eq!(rest.last().unwrap()["submission"]["id"], "late-1");
    let all = s.rows();
    let ids: std::collections::HashSet<&str> = all.iter().map(|r| r["submission"]["id"].as_str().unwrap()).collect();
    assert_eq!((all.len(), ids.len()), (2_501, 2_501));
    assert_eq!(s.pages("/api/submissions?form=phan-anh-du-luan&limit=10").len(), 1);
    assert_eq!(s.pages("/api/submissions?since=2026-11-27T00:00:00Z").len(), 1, "only the late one");
    for bad in ["limit=0", "limit=x", "cursor=-1", "cursor=abc", "since=yesterday", "q=ngập", "colour=red"] {
        let (status, body) = s.get(&format!("/api/submissions?{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
    }
}

#[test]
fn many_long_listings_hold_up_neither_health_nor_new_submissions() {
    let s = Server::start(&[]);
    fill(&s.dir.join("test.db"), "phan-anh-du-luan", 20_000);
    let s = std::sync::Arc::new(s);
    let readers: Vec<_> = (0..16)
        .map(|i| {
            let s = s.clone();
            std::thread::spawn(move || {
                if i % 2 == 0 {
                    s.rows().len()
                } else {
                    let (status, csv) = s.get("/api/submissions.csv?form=phan-anh-du-luan");
                    assert_eq!(status, 200);
                    csv.matches("\r\nbulk-").count()
                }
            })
        })
        .collect();
    let (mut worst_health, mut worst_post, mut n) = (Duration::ZERO, Duration::ZERO, 0);
    while !readers.iter().all(|r| r.is_finished()) {
        let t = Instant::now();
        assert_eq!(s.get("/api/health").0, 200);
        worst_health = worst_health.max(t.elapsed());
        let t = Instant::now();
        assert_eq!(s.post(&submission(&format!("during-{n}"), "Ba Vì").to_string(), None).0, 201);
        worst_post = worst_post.max(t.elapsed());
        n += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    for r in readers {
        assert!(r.join().unwrap() >= 20_000);
    }
    assert!(n > 0);
    assert!(worst_health < Duration::from_millis(1000), "health took {worst_health:?}");
    assert!(worst_post < Duration::from_millis(2000), "a submission took {worst_post:?}");
}

#[test]
fn a_body_that_is_not_declared_json_is_refused_with_415() {
    let s = Server::start(&[]);
    let body = submission("ct-1", "Ba Vì").to_string();
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data; boundary=x")] {
        let mut req = Server::agent().post(format!("{}/api/submissions", s.base));
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let mut res = req.send(body.as_str()).unwrap();
        assert_eq!(res.status().as_u16(), 415, "{ct:?}");
        assert!(res.body_mut().read_json::<Value>().unwrap()["error"].as_str().unwrap().contains("Content-Type: application/json"));
    }
    assert!(s.rows().is_empty());
    let res = Server::agent()
        .post(format!("{}/api/submissions", s.base))
        .header("content-type", "Application/JSON; charset=utf-8")
        .send(body.as_str())
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
}

#[test]
fn slow_clients_are_cut_off_and_connections_are_limited() {
    let s = Server::start(&["--max-connections", "4", "--header-timeout", "1", "--body-timeout", "1"]);
    let addr = s.addr();
    // Half a header on every connection there is.
    let slow: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut c = TcpStream::connect(&addr).unwrap();
            c.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n").unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // Over the limit: told to come back, at once.
    let t = Instant::now();
    assert_eq!(raw(&addr, b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n", Duration::from_secs(5)), Some(503));
    assert!(t.elapsed() < Duration::from_secs(1));
    // The slow ones are closed once their second is up, and health answers again.
    for mut c in slow {
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 256];
        let closed = matches!(c.read(&mut buf), Ok(_) | Err(_) if t.elapsed() < Duration::from_secs(4));
        assert!(closed, "a slow client was kept for {:?}", t.elapsed());
    }
    assert_eq!(s.get("/api/health").0, 200);
    // A body that stops coming: 408.
    let started = Instant::now();
    let code = raw(
        &addr,
        b"POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":",
        Duration::from_secs(5),
    );
    assert_eq!(code, Some(408));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
#[cfg(unix)]
fn sigterm_stops_the_server_within_seconds_whatever_the_clients_do() {
    let mut s = Server::start(&["--header-timeout", "60", "--body-timeout", "60"]);
    let addr = s.addr();
    let mut half_header = TcpStream::connect(&addr).unwrap();
    half_header.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let mut half_body = TcpStream::connect(&addr).unwrap();
    half_body
        .write_all(b"POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &s.child.id().to_string()]).status().unwrap().success());
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(6), "still running {:?} after SIGTERM", t.elapsed());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// CPU time (user + system) of a process so far, in clock ticks.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
#[cfg(target_os = "linux")]
fn out_of_file_descriptors_the_accept_loop_waits_instead_of_spinning() {
    let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
    let s = Server::launch(dir.clone(), &dir.join("test.db"), &["--faults", "seed:1", "--max-connections", "1000"], &[], Some(40));
    let addr = s.addr();
    let _held: Vec<TcpStream> = (0..60).filter_map(|_| TcpStream::connect(&addr).ok()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(s.child.id());
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(s.child.id()) - before;
    // Spinning would be about 200 ticks (100 a second).
    assert!(used < 40, "the server used {used} ticks of CPU in 2 s while out of file descriptors");
}

#[test]
fn csv_of_one_hostile_wide_report_is_quick_and_quotes_semicolons() {
    let s = Server::start(&["--max-body", "4000000"]);
    let mut wide = submission("wide", "Hà Đông");
    let answers = wide["answers"].as_object_mut().unwrap();
    for i in 0..80_000 {
        answers.insert(format!("k{i:05}"), json!(i));
    }
    answers.insert("formula".into(), json!(";=1+1"));
    assert_eq!(s.post(&wide.to_string(), None).0, 201);
    let t = Instant::now();
    let (status, csv) = s.get("/api/submissions.csv?form=phan-anh-du-luan");
    assert_eq!(status, 200);
    assert!(t.elapsed() < Duration::from_secs(5), "the export took {:?}", t.elapsed());
    let header = csv.lines().next().unwrap();
    assert_eq!(header.split(',').count(), 7 + 3 + 80_001);
    assert!(csv.contains(",\";=1+1\","), "a ';' must be quoted");
    assert!(!csv.contains(",;=1+1"));
}

#[test]
fn a_resend_whose_numbers_are_written_differently_is_a_duplicate() {
    let s = Server::start(&[]);
    let mut first = submission("num-1", "Ba Vì");
    first["answers"]["age"] = json!(1);
    first["answers"]["score"] = json!(2.5);
    assert_eq!(s.post(&first.to_string(), None).0, 201);
    let resend = first.to_string().replace("\"age\":1", "\"age\":1.0").replace("\"score\":2.5", "\"score\":2.50");
    assert_ne!(resend, first.to_string());
    assert_eq!(s.post(&resend, None), (200, json!({"id": "num-1", "status": "duplicate"})));
    first["answers"]["age"] = json!(2);
    assert_eq!(s.post(&first.to_string(), None).0, 409);
}

fn post_with_auth(s: &Server, auth: &str, id: &str) -> u16 {
    Server::agent()
        .post(format!("{}/api/submissions", s.base))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .send(submission(id, "Ba Vì").to_string())
        .unwrap()
        .status()
        .as_u16()
}

#[test]
#[cfg(target_os = "linux")]
fn the_token_comes_from_the_environment_or_a_file_and_bearer_is_any_case() {
    let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
    let s = Server::launch(dir.clone(), &dir.join("test.db"), &[], &[("PHIEU_TOKEN", "from-env")], None);
    assert_eq!(post_with_auth(&s, "Bearer wrong", "e0"), 401);
    assert_eq!(post_with_auth(&s, "Bearer from-env", "e1"), 201);
    assert_eq!(post_with_auth(&s, "bearer from-env", "e2"), 201);
    assert_eq!(post_with_auth(&s, "BEARER   from-env", "e3"), 201);
    assert_eq!(post_with_auth(&s, "Basic from-env", "e4"), 401);
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", s.child.id())).unwrap();
    assert!(!String::from_utf8_lossy(&cmdline).contains("from-env"));
    drop(s);

    let file = std::env::temp_dir().join(format!("phieu-token-{}", rand_suffix()));
    std::fs::write(&file, "from-file\n").unwrap();
    let s = Server::start(&["--token-file", file.to_str().unwrap()]);
    assert_eq!(post_with_auth(&s, "Bearer from-file", "f1"), 201);
    assert_eq!(post_with_auth(&s, "Bearer from-file2", "f2"), 401);
    drop(s);

    std::fs::write(&file, "\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).args(["serve", "--token-file"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty; put the token on its first line"));
    let _ = std::fs::remove_file(&file);
}

#[test]
#[cfg(unix)]
fn static_files_are_guarded_and_every_answer_carries_the_security_headers() {
    let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("sub")).unwrap();
    // A minified page as Trunk writes it: an inline script of the page's own, and Trunk's loader.
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>phieu</title><script>boot()</script><script type=module>import init from'/phieu-app-1.js';init()</script><script src=/x.js></script>",
    )
    .unwrap();
    std::fs::write(dist.join(".env"), "SECRET=1").unwrap();
    std::fs::write(dist.join("sub/ok.txt"), "inside").unwrap();
    let outside = dir.join("outside.txt");
    std::fs::write(&outside, "private").unwrap();
    std::os::unix::fs::symlink(&outside, dist.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", dist.join("etc")).unwrap();
    std::os::unix::fs::symlink(dist.join("sub/ok.txt"), dist.join("alias.txt")).unwrap();
    let s = Server::start_in(dir.clone(), &dir.join("test.db"), &[]);
    for path in ["/.env", "/%2eenv", "/sub/../.env", "/leak.txt", "/etc/hostname", "/etc/passwd"] {
        let (status, body) = s.get(path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("SECRET") && !body.contains("private"));
    }
    assert_eq!(s.get("/sub/ok.txt"), (200, "inside".into()));
    assert_eq!(s.get("/alias.txt"), (200, "inside".into()), "a link inside the folder is fine");

    for path in ["/", "/api/health", "/api/submissions", "/nothing-here"] {
        let res = Server::agent().get(format!("{}{path}", s.base)).call().unwrap();
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        // sha256 of "boot()" and of Trunk's loader, as `openssl dgst -sha256 -binary | base64` gives them.
        assert!(csp.contains("'sha256-MeZS89WlF0u+o0hCvHTBt4q1WHU+U+sJKgbdRUc36mY='"), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(!csp.contains("'unsafe-inline' 'sha") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
    }
}
