//! `phieu serve` over real HTTP: the binary is started as a process on a free port.
//! On SQLite, or on PostgreSQL with `PHIEU_TEST_DB=postgres` (see `common/mod.rs`).

mod common;
use common::{rand_suffix, users_add, Db};

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    base: String,
    dir: PathBuf,
    /// An admin account's token, made before the start: it reads the listing.
    admin: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
        Self::start_in(dir.clone(), &Db::in_dir(&dir, "test.db"), extra)
    }

    /// Another server on an existing database (in a fresh folder of its own).
    fn start_with_db(db: &Db) -> Server {
        let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
        Self::start_in(dir, db, &[])
    }

    /// Anyone may submit (`--allow-anonymous`) unless a shared token is given.
    fn start_in(dir: PathBuf, db: &Db, extra: &[&str]) -> Server {
        let mut args = extra.to_vec();
        if !extra.iter().any(|a| a.starts_with("--token")) {
            args.push("--allow-anonymous");
        }
        Self::launch(dir, db, &args, &[], None)
    }

    /// `env` is added to the server's environment; `ulimit_n` lowers its file limit.
    fn launch(dir: PathBuf, db: &Db, extra: &[&str], env: &[(&str, &str)], ulimit_n: Option<u32>) -> Server {
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        let admin = users_add(db, "Quản trị", "admin", None).token;
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
        cmd.env_remove("PHIEU_TOKEN").env_remove("PHIEU_DB").envs(env.iter().copied());
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("listening line").to_string();
        Server { child, base: url, dir, admin }
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

    /// A GET as the admin.
    fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, Some(&self.admin))
    }

    fn get_as(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut req = Self::agent().get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut res = req.call().unwrap();
        (res.status().as_u16(), res.body_mut().read_to_string().unwrap())
    }

    /// Every row the listing gives, page after page, in arrival order.
    fn rows(&self) -> Vec<Value> {
        self.pages("/api/submissions?limit=1000&order=oldest")
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
    assert_eq!(cache("/api/submissions"), (401, Some("no-cache".into())));
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

#[test]
fn a_list_rewritten_within_the_second_is_sent_again() {
    let s = Server::start(&[]);
    let list = s.dir.join("dist/wards.json");
    std::fs::write(&list, r#"["a", "b"]"#).unwrap();
    let url = format!("{}/wards.json", s.base);
    let mut first = Server::agent().get(&url).call().unwrap();
    let tag = first.headers().get("etag").expect("an ETag").to_str().unwrap().to_string();
    assert!(first.headers().get("last-modified").is_none());
    assert_eq!(first.body_mut().read_to_string().unwrap(), r#"["a", "b"]"#);
    // Unchanged: 304 by its bytes.
    let again = Server::agent().get(&url).header("if-none-match", &tag).call().unwrap();
    assert_eq!(again.status().as_u16(), 304);
    // Changed in the same second, as a browser revalidates (both validators): the new list.
    let since = httpdate_now();
    std::fs::write(&list, r#"["a", "c"]"#).unwrap();
    let mut changed = Server::agent().get(&url).header("if-none-match", &tag).header("if-modified-since", &since).call().unwrap();
    assert_eq!(changed.status().as_u16(), 200);
    assert_eq!(changed.body_mut().read_to_string().unwrap(), r#"["a", "c"]"#);
}

/// Now as an HTTP date, a second ahead (what a browser would send after a fetch this second).
fn httpdate_now() -> String {
    let out = std::process::Command::new("date").args(["-u", "-d", "+1 second", "+%a, %d %b %Y %H:%M:%S GMT"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
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
        "{\"elements\": [\n  {\"type\": \"text\", \"name\": \"a\", \"width\": \"50%\"},\n  {\"type\": \"location\", \"name\": \"b\"}\n]}",
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
            "{name}:3:4: error: elements[1].type: question type 'location' is not supported yet: use phieu's own type 'geopoint'"
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
fn check_locates_what_a_matrix_cannot_do_here() {
    let dir = std::env::temp_dir().join(format!("phieu-check-matrix-{}", rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("matrix.json");
    std::fs::write(
        &file,
        "{\"elements\": [{\"type\": \"matrixdynamic\", \"name\": \"m\", \"transposeData\": true,\n  \"columns\": [\n    {\"name\": \"a\", \"cellType\": \"text\", \"visibleIf\": \"{row.b} = 1\"},\n    {\"name\": \"c\", \"cellType\": \"file\"}],\n  \"detailElements\": []}]}",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).arg("check").arg(&file).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let name = file.display();
    for line in [
        format!("{name}:1:54: warning: elements[0].transposeData: 'transposeData' only changes how SurveyJS lays out a 'matrixdynamic' question; phieu ignores it"),
        format!("{name}:3:39: error: elements[0].columns[0].visibleIf: '{{row.b}}' names 'b', which is not a column of this matrix"),
        format!("{name}:4:19: error: elements[0].columns[1].cellType: 'file' is not one of: dropdown, checkbox, radiogroup, tagbox, text, comment, boolean, expression, rating"),
        format!("{name}:5:3: error: elements[0].detailElements: 'detailElements' is not supported yet: SurveyJS asks more questions in each matrix row's detail panel, and phieu would not"),
    ] {
        assert!(stdout.contains(&line), "{line}\n{stdout}");
    }
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
    assert!(
        types.contains(&"paneldynamic")
            && types.contains(&"file")
            && types.contains(&"signaturepad")
            && types.contains(&"ranking")
            && !types.contains(&"location")
    );
}

fn write_form(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("report.json"),
        r#"{"phieu": {"id": "phan-anh-du-luan", "version": "1"}, "elements": [
            {"type": "text", "name": "district", "isRequired": true},
            {"type": "text", "name": "age", "inputType": "number", "min": 0, "max": 120},
            {"type": "checkbox", "name": "channels", "choices": ["zalo", "facebook"]},
            {"type": "comment", "name": "opinion"}
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
    // What no phone would send: a name the form lacks, a choice it does not offer.
    let mut foreign = submission("v3", "Hà Đông");
    foreign["answers"]["channels"] = json!(["zalo", "tiktok"]);
    foreign["answers"]["who_knows"] = json!("x");
    let (status, reply) = s.post(&foreign.to_string(), None);
    assert_eq!(status, 422, "{reply}");
    let named: Vec<&str> = reply["errors"].as_array().unwrap().iter().map(|e| e["question"].as_str().unwrap()).collect();
    assert_eq!(named, ["channels", "who_knows"], "{reply}");
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
fn forms_check_chosen_counts_and_every_matrix_row() {
    let forms = std::env::temp_dir().join(format!("phieu-counts-{}", rand_suffix()));
    std::fs::create_dir_all(&forms).unwrap();
    std::fs::write(
        forms.join("report.json"),
        r#"{"phieu": {"id": "phan-anh-du-luan", "version": "1"}, "elements": [
            {"type": "checkbox", "name": "channels", "choices": ["zalo", "facebook", "loa"], "minSelectedChoices": 2, "maxSelectedChoices": 2},
            {"type": "matrix", "name": "grades", "rows": ["road", "light"], "columns": [1, 2, 3], "eachRowRequired": true}
        ]}"#,
    )
    .unwrap();
    let s = Server::start(&["--forms", forms.to_str().unwrap()]);
    let mut bad = submission("c1", "");
    bad["answers"] = json!({"channels": ["zalo"], "grades": {"road": 2}});
    let (status, reply) = s.post(&bad.to_string(), None);
    assert_eq!(status, 422, "{reply}");
    assert_eq!(
        reply["errors"],
        json!([
            {"question": "channels", "message": "Vui lòng chọn ít nhất 2 mục."},
            {"question": "grades", "message": "Vui lòng trả lời các câu hỏi trên tất cả các dòng."}
        ])
    );
    // More than the maximum is taken, as survey-core takes it: the maximum only disables options on screen.
    let mut good = submission("c2", "");
    good["answers"] = json!({"channels": ["zalo", "facebook", "loa"], "grades": {"road": 2, "light": 3}});
    assert_eq!(s.post(&good.to_string(), None).0, 201);
    let _ = std::fs::remove_dir_all(&forms);
}

/// A form whose districts come from a list beside it (`choicesByUrl`).
const LISTED: &str = r#"{"phieu": {"id": "phan-anh-du-luan", "version": "1"}, "elements": [
  {"type": "dropdown", "name": "district", "isRequired": true,
   "choicesByUrl": {"url": "lists/districts.json", "path": "data.items", "valueName": "code", "titleName": "name"}}]}"#;

#[test]
fn check_and_serve_read_a_list_beside_the_form() {
    let dir = std::env::temp_dir().join(format!("phieu-lists-{}", rand_suffix()));
    std::fs::create_dir_all(dir.join("lists")).unwrap();
    let list = r#"{"data": {"items": [{"code": "ba-dinh", "name": "Quận Ba Đình"}, {"code": "hoan-kiem", "name": "Quận Hoàn Kiếm"}]}}"#;
    std::fs::write(dir.join("lists/districts.json"), list).unwrap();
    std::fs::write(dir.join("report.json"), LISTED).unwrap();
    let check = |file: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_phieu")).arg("check").arg(file).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    assert_eq!(check(&dir.join("report.json")), (Some(0), String::new()));

    // A wrong path, a missing field, a missing file: each an error where it is written.
    let name = dir.join("wrong.json");
    std::fs::write(&name, LISTED.replace("data.items", "data.list").replace(r#""code""#, r#""id""#)).unwrap();
    let (code, out) = check(&name);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(&format!(
            "{}:3:52: error: elements[0].choicesByUrl.path: in 'lists/districts.json': the list has nothing at 'list'",
            name.display()
        )),
        "{out}"
    );
    std::fs::write(&name, LISTED.replace("data.items\", \"valueName\": \"code", "data.items\", \"valueName\": \"id")).unwrap();
    let (_, out) = check(&name);
    assert!(out.contains("elements[0].choicesByUrl.valueName: in 'lists/districts.json': option 0 has no 'id'"), "{out}");
    std::fs::write(&name, LISTED.replace("lists/districts.json", "lists/wards.json")).unwrap();
    let (_, out) = check(&name);
    assert!(
        out.contains("elements[0].choicesByUrl.url: the list 'lists/wards.json' could not be read: ") && out.contains("wards.json"),
        "{out}"
    );
    std::fs::remove_file(&name).unwrap();

    // The server checks a report against the same list: a district on it is taken, another refused.
    let version = phieu_core::load_with(LISTED, &[("lists/districts.json".into(), Ok(list.into()))]).form.unwrap().version;
    assert!(version.starts_with("1+"), "{version}");
    let s = Server::start(&["--forms", dir.to_str().unwrap()]);
    let mut good = submission("l1", "hoan-kiem");
    good["form"]["version"] = json!(version);
    good["answers"] = json!({"district": "hoan-kiem"});
    assert_eq!(s.post(&good.to_string(), None).0, 201);
    let mut bad = good.clone();
    bad["id"] = json!("l2");
    bad["answers"] = json!({"district": "ha-dong"});
    let (status, reply) = s.post(&bad.to_string(), None);
    assert_eq!(status, 422, "{reply}");
    assert_eq!(reply["errors"][0]["question"], "district", "{reply}");
    let _ = std::fs::remove_dir_all(&dir);
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
    assert_eq!(s.get_as("/api/submissions", None).0, 401);
    let (status, body) = s.get_as("/api/submissions", Some("s3cret"));
    assert_eq!(status, 403, "the shared token submits, it never reads: {body}");
    assert_eq!(s.get_as("/api/feed", Some("s3cret")).0, 403);
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
    let db = db_of(&s);
    let count: i64 = rusqlite_count(&db);
    assert_eq!(count, 1);
    // Resending is safe: after a drop the connection is cut again, but no second row appears.
    let _ = Server::agent().post(format!("{}/api/submissions", s.base)).header("content-type", "application/json").send(body.as_str());
    assert_eq!(rusqlite_count(&db), 1);
}

fn rusqlite_count(db: &Db) -> i64 {
    if db.is_postgres() {
        return db.count("submissions");
    }
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
        spec::CHOICES_BY_URL,
        spec::TEXT_ITEM,
        spec::VALIDATOR_COMMON,
        spec::MASK_SETTINGS,
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
fn fill(db: &Db, form: &str, n: usize) {
    db.fill(n, |i| {
        let id = format!("bulk-{form}-{i}");
        let mut body = submission(&id, "Hà Đông");
        body["form"]["id"] = json!(form);
        (id, form.to_string(), body.to_string())
    });
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
    let db = db_of(&s);
    fill(&db, "big", 2_500);
    let (_, body) = s.get("/api/submissions");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["submissions"].as_array().unwrap().len(), 100, "100 by default");
    let (_, body) = s.get("/api/submissions?limit=5000&order=oldest");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["submissions"].as_array().unwrap().len(), 1000, "at most 1000");
    let next = page["next"].as_str().unwrap().to_string();
    // Rows that arrive between two pages come later, once.
    assert_eq!(s.post(&submission("late-1", "Ba Vì").to_string(), None).0, 201);
    let rest = s.pages(&format!("/api/submissions?limit=700&order=oldest&cursor={next}"));
    assert_eq!(rest.len(), 1_501);
    assert_eq!(rest.last().unwrap()["submission"]["id"], "late-1");
    let all = s.rows();
    let ids: std::collections::HashSet<&str> = all.iter().map(|r| r["submission"]["id"].as_str().unwrap()).collect();
    assert_eq!((all.len(), ids.len()), (2_501, 2_501));
    assert_eq!(s.pages("/api/submissions?form=phan-anh-du-luan&limit=10").len(), 1);
    assert_eq!(s.pages("/api/submissions?since=2026-11-27T00:00:00Z").len(), 1, "only the late one");
    for bad in ["limit=0", "limit=x", "cursor=-1", "cursor=abc", "since=yesterday", "status=done", "order=up", "colour=red"] {
        let (status, body) = s.get(&format!("/api/submissions?{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
    }
}

#[test]
fn many_long_listings_hold_up_neither_health_nor_new_submissions() {
    let s = Server::start(&[]);
    fill(&db_of(&s), "phan-anh-du-luan", 20_000);
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
    let s = Server::launch(dir.clone(), &Db::in_dir(&dir, "test.db"), &["--faults", "seed:1", "--max-connections", "1000"], &[], Some(40));
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
    // Quadratic work over 80,000 columns takes minutes; a debug build on a busy
    // two-core machine takes up to about 6 s, so 20 s tells the two apart.
    assert!(t.elapsed() < Duration::from_secs(20), "the export took {:?}", t.elapsed());
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
    let s = Server::launch(dir.clone(), &Db::in_dir(&dir, "test.db"), &[], &[("PHIEU_TOKEN", "from-env")], None);
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
    let s = Server::start_in(dir.clone(), &Db::in_dir(&dir, "test.db"), &[]);
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

// ---- Issue 12: accounts, least privilege, the two-way channel ----

/// A request with any method, headers and body: (status, body as JSON or null, headers).
fn call(s: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value, ureq::http::HeaderMap) {
    let mut req = ureq::http::Request::builder().method(method).uri(format!("{}{path}", s.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut res = Server::agent().run(req.body(body.to_string()).unwrap()).unwrap();
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), res.headers().clone())
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Posts a submission with a token: its status.
fn submit_as(s: &Server, token: &str, body: &Value) -> u16 {
    let auth = bearer(token);
    call(s, "POST", "/api/submissions", &[("authorization", &auth), ("content-type", "application/json")], &body.to_string()).0
}

/// A server where submitting needs a credential (no `--allow-anonymous`).
fn strict(extra: &[&str]) -> Server {
    let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
    Server::launch(dir.clone(), &Db::in_dir(&dir, "test.db"), extra, &[], None)
}

fn db_of(s: &Server) -> Db {
    Db::in_dir(&s.dir, "test.db")
}

#[test]
fn a_collaborator_cannot_read_nobody_can_without_a_credential_and_a_revoked_token_is_refused() {
    let s = strict(&[]);
    let an = users_add(&db_of(&s), "Nguyễn Văn An", "collaborator", Some("ha-dong"));
    assert_eq!(s.post(&submission("anon-1", "Ba Vì").to_string(), None).0, 401, "anonymous submitting needs --allow-anonymous");
    assert_eq!(submit_as(&s, &an.token, &submission("an-1", "Hà Đông")), 201);
    for path in
        ["/api/submissions", "/api/submissions.csv?form=phan-anh-du-luan", "/api/submissions.json", "/api/submissions/an-1", "/api/summary"]
    {
        assert_eq!(s.get_as(path, Some(&an.token)).0, 403, "{path}: a collaborator may not read");
        let (status, body) = s.get_as(path, None);
        assert_eq!(status, 401, "{path}: {body}");
        assert!(body.contains("\"error\""));
    }
    assert_eq!(s.get_as("/api/accounts", Some(&an.token)).0, 403);
    let (status, me) = s.get_as("/api/me", Some(&an.token));
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&me).unwrap(),
        json!({"id": an.id, "name": "Nguyễn Văn An", "role": "collaborator", "unit": "ha-dong"})
    );
    assert!(an.link.starts_with("http://phieu.test/?screen=enrol#token="), "{}", an.link);
    assert!(an.link.ends_with(&an.token));

    let out = Command::new(env!("CARGO_BIN_EXE_phieu")).args(["users", "revoke", &an.id]).arg("--db").arg(db_of(&s)).output().unwrap();
    assert!(out.status.success());
    assert_eq!(submit_as(&s, &an.token, &submission("an-2", "Hà Đông")), 401, "revoked");
    assert_eq!(s.get_as("/api/me", Some(&an.token)).0, 401);
    let list = Command::new(env!("CARGO_BIN_EXE_phieu")).args(["users", "list"]).arg("--db").arg(db_of(&s)).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    let line = list.lines().find(|l| l.starts_with(&an.id)).unwrap();
    assert!(line.contains("collaborator\tha-dong") && !line.ends_with("\t-"), "{line}");
    assert!(!list.contains(&an.token));
}

#[test]
fn who_sent_a_report_comes_from_the_credential_never_from_the_body() {
    let s = strict(&[]);
    let an = users_add(&db_of(&s), "An", "collaborator", Some("ha-dong"));
    let mut claim = submission("claim-1", "Hà Đông");
    claim["submittedBy"] = json!({"id": "a_0000000000000000", "name": "Giám đốc", "unit": "ba-vi"});
    claim["meta"]["submittedBy"] = json!("a_0000000000000000");
    assert_eq!(submit_as(&s, &an.token, &claim), 201);
    let rows = s.rows();
    assert_eq!(rows[0]["submittedBy"], json!({"id": an.id, "name": "An", "unit": "ha-dong"}));
    assert_eq!(rows[0]["status"], "new");
    // Anonymous, where allowed: nobody.
    let open = Server::start(&[]);
    assert_eq!(open.post(&claim.to_string(), None).0, 201);
    assert_eq!(open.rows()[0]["submittedBy"], Value::Null);
}

#[test]
fn an_office_of_one_unit_sees_its_units_reports_only() {
    let s = strict(&[]);
    let db = db_of(&s);
    let (an, binh) = (users_add(&db, "An", "collaborator", Some("ha-dong")), users_add(&db, "Bình", "collaborator", Some("ba-vi")));
    let office = users_add(&db, "Văn phòng Hà Đông", "office", Some("ha-dong"));
    assert!(office.link.starts_with("http://phieu.test/office/#signin="), "{}", office.link);
    assert_eq!(submit_as(&s, &an.token, &submission("hd-1", "Hà Đông")), 201);
    assert_eq!(submit_as(&s, &binh.token, &submission("bv-1", "Ba Vì")), 201);
    let ids = |token: &str, path: &str| -> Vec<String> {
        let (status, body) = s.get_as(path, Some(token));
        assert_eq!(status, 200, "{path}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        v["submissions"].as_array().unwrap().iter().map(|r| r["submission"]["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&office.token, "/api/submissions"), ["hd-1"]);
    assert_eq!(s.get_as("/api/submissions?unit=ba-vi", Some(&office.token)).0, 403);
    assert_eq!(s.get_as("/api/submissions/bv-1", Some(&office.token)).0, 404);
    assert_eq!(s.get_as("/api/submissions/hd-1", Some(&office.token)).0, 200);
    let (_, csv) = s.get_as("/api/submissions.csv?form=phan-anh-du-luan", Some(&office.token));
    assert!(csv.contains("\r\nhd-1,") && !csv.contains("bv-1"), "{csv}");
    let (_, summary) = s.get_as("/api/summary?question=district", Some(&office.token));
    assert_eq!(serde_json::from_str::<Value>(&summary).unwrap()["total"], 1);
    let auth = bearer(&office.token);
    let h = [("authorization", auth.as_str()), ("content-type", "application/json")];
    assert_eq!(call(&s, "POST", "/api/submissions/bv-1/status", &h, r#"{"status": "closed"}"#).0, 404);
    // The admin reads every unit, newest first.
    assert_eq!(ids(&s.admin, "/api/submissions"), ["bv-1", "hd-1"]);
    assert_eq!(ids(&s.admin, "/api/submissions?unit=ba-vi"), ["bv-1"]);
}

#[test]
fn status_replies_and_announcements_reach_the_right_feeds_with_history() {
    let s = strict(&[]);
    let db = db_of(&s);
    let (an, binh) = (users_add(&db, "An", "collaborator", Some("ha-dong")), users_add(&db, "Bình", "collaborator", Some("ba-vi")));
    let office = users_add(&db, "Trần Thị Bình", "office", None);
    assert_eq!(submit_as(&s, &an.token, &submission("hd-1", "Hà Đông")), 201);
    assert_eq!(submit_as(&s, &binh.token, &submission("bv-1", "Ba Vì")), 201);
    let (oa, aa) = (bearer(&office.token), bearer(&an.token));
    let as_office = [("authorization", oa.as_str()), ("content-type", "application/json")];
    let as_an = [("authorization", aa.as_str()), ("content-type", "application/json")];
    assert_eq!(call(&s, "POST", "/api/submissions/hd-1/status", &as_an, r#"{"status": "closed"}"#).0, 403, "a collaborator sets nothing");
    assert_eq!(call(&s, "POST", "/api/submissions/hd-1/status", &as_office, r#"{"status": "done"}"#).0, 422);
    assert_eq!(call(&s, "POST", "/api/submissions/hd-1/status", &as_office, r#"{}"#).0, 422);
    assert_eq!(call(&s, "POST", "/api/submissions/nope/status", &as_office, r#"{"status": "received"}"#).0, 404);
    let (status, detail, _) =
        call(&s, "POST", "/api/submissions/hd-1/status", &as_office, r#"{"status": "answered", "reply": "Phường đã xử lý."}"#);
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["status"], "answered");
    assert_eq!(detail["history"][0]["reply"], "Phường đã xử lý.");
    assert_eq!(detail["history"][0]["by"], "Trần Thị Bình");
    assert_eq!(call(&s, "POST", "/api/submissions/bv-1/status", &as_office, r#"{"status": "received"}"#).0, 200);
    let (status, _, _) =
        call(&s, "POST", "/api/announcements", &as_office, r#"{"kind": "topic", "title": "Giá điện", "body": "Theo dõi", "unit": null}"#);
    assert_eq!(status, 201);
    assert_eq!(call(&s, "POST", "/api/announcements", &as_office, r#"{"title": "Chỉ Ba Vì", "unit": "ba-vi"}"#).0, 201);
    assert_eq!(call(&s, "POST", "/api/announcements", &as_an, r#"{"title": "x"}"#).0, 403);

    let feed = |token: &str, since: &str| -> Value {
        let (status, body) = s.get_as(&format!("/api/feed?since={since}&limit=2"), Some(token));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let first = feed(&an.token, "");
    let events = first["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["kind"], "status");
    assert_eq!(events[0]["submission"], "hd-1");
    assert_eq!(events[0]["status"], "answered");
    assert_eq!(events[0]["reply"], "Phường đã xử lý.");
    assert_eq!(events[1]["kind"], "topic");
    assert_eq!(events[1]["unit"], Value::Null);
    let next = first["next"].as_str().unwrap().to_string();
    let rest = feed(&an.token, &next);
    assert_eq!(rest["events"], json!([]), "nothing else for An: not Bình's status, not Ba Vì's announcement");
    assert_eq!(rest["next"], next.as_str(), "an empty page keeps the cursor");
    let b = feed(&binh.token, "");
    assert_eq!(b["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["status", "topic"]);
    let b = feed(&binh.token, b["next"].as_str().unwrap());
    assert_eq!(b["events"][0]["title"], "Chỉ Ba Vì");
    assert!(b["events"][0]["seq"].as_i64().unwrap() > 0);
    assert_eq!(s.get_as("/api/feed", None).0, 401);
    assert_eq!(s.get_as("/api/feed?since=x", Some(&an.token)).0, 400);
    // The listing filters by status.
    let (_, body) = s.get("/api/submissions?status=answered");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["submissions"].as_array().unwrap().len(), 1);
    assert_eq!(v["submissions"][0]["submission"]["id"], "hd-1");
}

/// The secret of a sign-in link (after `#signin=`).
fn signin_secret(link: &str) -> &str {
    link.split_once("#signin=").unwrap().1
}

/// Signs in with a link's secret: the cookie pair and the CSRF value.
fn sign_in(s: &Server, secret: &str) -> Option<(String, String)> {
    let (status, body, headers) =
        call(s, "POST", "/api/session", &[("content-type", "application/json")], &json!({ "signin": secret }).to_string());
    if status != 200 {
        return None;
    }
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "not over plain http");
    Some((cookie.split(';').next().unwrap().to_string(), body["csrf"].as_str().unwrap().to_string()))
}

#[test]
fn the_office_signs_in_once_per_link_and_a_cross_site_form_post_is_refused() {
    let s = strict(&[]);
    let db = db_of(&s);
    let an = users_add(&db, "An", "collaborator", Some("ha-dong"));
    assert_eq!(submit_as(&s, &an.token, &submission("hd-1", "Hà Đông")), 201);
    let office = users_add(&db, "Văn phòng", "office", None);
    let (cookie, csrf) = sign_in(&s, signin_secret(&office.link)).expect("the link signs in");
    assert!(sign_in(&s, signin_secret(&office.link)).is_none(), "a link works once");
    // A collaborator's enrolment is not an office sign-in.
    assert_eq!(call(&s, "POST", "/api/session", &[("content-type", "application/json")], &json!({"signin": an.token}).to_string()).0, 401);

    let (status, session, _) = call(&s, "GET", "/api/session", &[("cookie", &cookie)], "");
    assert_eq!((status, session["csrf"].as_str()), (200, Some(csrf.as_str())));
    assert_eq!(call(&s, "GET", "/api/submissions", &[("cookie", &cookie)], "").0, 200, "reading needs no CSRF value");
    // What another site's page can make a browser send: a form post with the cookie.
    let forged = [("cookie", cookie.as_str()), ("content-type", "application/x-www-form-urlencoded"), ("origin", "https://evil.example")];
    let (status, body, _) = call(&s, "POST", "/api/submissions/hd-1/status", &forged, "status=closed&reply=pwned");
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("X-Phieu-CSRF"));
    let json_no_csrf = [("cookie", cookie.as_str()), ("content-type", "application/json")];
    assert_eq!(call(&s, "POST", "/api/submissions/hd-1/status", &json_no_csrf, r#"{"status": "closed"}"#).0, 403);
    assert_eq!(call(&s, "POST", "/api/announcements", &forged, "title=x").0, 403);
    assert_eq!(call(&s, "DELETE", "/api/session", &[("cookie", &cookie)], "").0, 403);
    let (_, detail) = s.get("/api/submissions/hd-1");
    assert_eq!(serde_json::from_str::<Value>(&detail).unwrap()["status"], "new", "nothing changed");
    let good = [("cookie", cookie.as_str()), ("content-type", "application/json"), ("x-phieu-csrf", csrf.as_str())];
    assert_eq!(call(&s, "POST", "/api/submissions/hd-1/status", &good, r#"{"status": "received"}"#).0, 200);
    // Signing out ends the session.
    assert_eq!(call(&s, "DELETE", "/api/session", &[("cookie", &cookie), ("x-phieu-csrf", &csrf)], "").0, 204);
    assert_eq!(call(&s, "GET", "/api/submissions", &[("cookie", &cookie)], "").0, 401);
}

#[test]
fn passwords_sign_in_the_office_and_the_admin_api_makes_and_revokes_accounts() {
    let s = strict(&[]);
    let db = db_of(&s);
    let office = users_add(&db, "Văn phòng", "office", Some("ha-dong"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
        .args(["users", "password", &office.id])
        .arg("--db")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"mat khau that dai\n").unwrap();
    assert!(child.wait().unwrap().success());
    let h = [("content-type", "application/json")];
    let wrong = json!({"name": "Văn phòng", "password": "mat khau sai roi"}).to_string();
    let t = Instant::now();
    assert_eq!(call(&s, "POST", "/api/session", &h, &wrong).0, 401);
    assert!(t.elapsed() >= Duration::from_millis(900), "a wrong password holds the turn: {:?}", t.elapsed());
    let right = json!({"name": "Văn phòng", "password": "mat khau that dai"}).to_string();
    // Behind a proxy that speaks https, the cookie is Secure.
    let (status, body, headers) = call(&s, "POST", "/api/session", &[h[0], ("x-forwarded-proto", "https")], &right);
    assert_eq!((status, &body["account"]["role"]), (200, &json!("office")), "{body}");
    assert!(headers.get("set-cookie").unwrap().to_str().unwrap().ends_with("; Secure"));

    let admin = bearer(&s.admin);
    let as_admin = [("authorization", admin.as_str()), ("content-type", "application/json")];
    let (status, made, _) = call(&s, "POST", "/api/accounts", &as_admin, r#"{"name": "Chi", "role": "collaborator", "unit": "ba-vi"}"#);
    assert_eq!(status, 201, "{made}");
    let token = made["token"].as_str().unwrap();
    assert_eq!(token.len(), 43);
    assert!(made["link"].as_str().unwrap().ends_with(&format!("/?screen=enrol#token={token}")));
    assert_eq!(submit_as(&s, token, &submission("chi-1", "Ba Vì")), 201);
    let as_office = bearer(&office.token);
    assert_eq!(call(&s, "GET", "/api/accounts", &[("authorization", &as_office)], "").0, 403);
    assert_eq!(call(&s, "POST", "/api/accounts", &as_admin, r#"{"name": "X", "role": "king"}"#).0, 422);
    let id = made["account"]["id"].as_str().unwrap();
    assert_eq!(call(&s, "POST", &format!("/api/accounts/{id}/revoke"), &as_admin, "").0, 204);
    let (_, me, _) = call(&s, "GET", "/api/me", &as_admin, "");
    let own = format!("/api/accounts/{}/revoke", me["id"].as_str().unwrap());
    assert_eq!(call(&s, "POST", &own, &as_admin, "").0, 422, "an admin does not revoke itself");
    assert_eq!(submit_as(&s, token, &submission("chi-2", "Ba Vì")), 401);
    let (_, list, _) = call(&s, "GET", "/api/accounts", &as_admin, "");
    assert!(list["accounts"].as_array().unwrap().iter().any(|a| a["id"] == id && a["revoked"].is_string()));
}

#[test]
fn the_first_start_prints_an_admin_sign_in_link_that_works_once() {
    let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
        .args(["serve", "--addr", "127.0.0.1:0", "--allow-anonymous"])
        .arg("--db")
        .arg(Db::in_dir(&dir, "first.db"))
        .arg("--dist")
        .arg(&dir)
        .env_remove("PHIEU_PUBLIC_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &String| l.starts_with("link: ")) {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "{lines:?}");
        lines.push(line.trim_end().to_string());
    }
    let base = lines[0].split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let link = lines.iter().find_map(|l| l.strip_prefix("link: ")).unwrap().to_string();
    assert!(link.starts_with(&format!("{base}/office/#signin=")), "{link}");
    // Its drop removes nothing: the database is started again below.
    let s = Server { child, base, dir: dir.join("nothing"), admin: String::new() };
    let (cookie, _) = sign_in(&s, signin_secret(&link)).expect("the first link signs in");
    assert!(sign_in(&s, signin_secret(&link)).is_none(), "once only");
    let (status, me, _) = call(&s, "GET", "/api/me", &[("cookie", &cookie)], "");
    assert_eq!((status, &me["role"]), (200, &json!("admin")));
    assert_eq!(call(&s, "GET", "/api/submissions", &[("cookie", &cookie)], "").0, 200);
    drop(s);
    // The second start makes no other admin.
    let again = Server::start_in(dir.clone(), &Db::in_dir(&dir, "first.db"), &[]);
    let (_, list) = again.get("/api/accounts");
    let names: Vec<Value> =
        serde_json::from_str::<Value>(&list).unwrap()["accounts"].as_array().unwrap().iter().map(|a| a["name"].clone()).collect();
    assert_eq!(names, [json!("admin"), json!("Quản trị")]);
}

#[test]
fn a_token_never_appears_in_the_servers_output_nor_is_it_taken_from_a_url() {
    let dir = std::env::temp_dir().join(format!("phieu-serve-test-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    let db = Db::in_dir(&dir, "test.db");
    let admin = users_add(&db, "Quản trị", "admin", None);
    let an = users_add(&db, "An", "collaborator", None);
    let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .arg("--db")
        .arg(&db)
        .arg("--dist")
        .arg(dir.join("dist"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let stderr = child.stderr.take().unwrap();
    let s = Server { child, base, dir, admin: admin.token.clone() };
    assert_eq!(submit_as(&s, &an.token, &submission("t-1", "Hà Đông")), 201);
    assert_eq!(submit_as(&s, &format!("{}x", an.token), &submission("t-2", "Hà Đông")), 401);
    assert_eq!(s.rows().len(), 1);
    for path in [format!("/api/submissions?token={}", admin.token), format!("/api/submissions?access_token={}", admin.token)] {
        assert_eq!(s.get_as(&path, None).0, 401, "a token in a URL is no credential");
    }
    assert_eq!(s.get_as(&format!("/api/feed?token={}", an.token), None).0, 401);
    let mut s = s;
    let _ = Command::new("kill").arg("-TERM").arg(s.child.id().to_string()).status();
    let _ = s.child.wait();
    let mut output = String::new();
    stdout.read_to_string(&mut output).unwrap();
    BufReader::new(stderr).read_to_string(&mut output).unwrap();
    assert!(output.contains("phieu serve"), "the output was captured: {output}");
    for secret in [&an.token, &admin.token] {
        assert!(!output.contains(secret.as_str()), "a token in the log: {output}");
    }
}

#[test]
fn search_ignores_case_and_diacritics_and_exports_follow_the_filter() {
    let s = Server::start(&[]);
    assert_eq!(s.post(&submission("q-1", "Hà Đông").to_string(), None).0, 201);
    assert_eq!(s.post(&submission("q-2", "Ba Vì").to_string(), None).0, 201);
    let ids = |path: &str| -> Vec<String> { s.pages(path).iter().map(|r| r["submission"]["id"].as_str().unwrap().to_string()).collect() };
    assert_eq!(ids("/api/submissions?q=ha%20dong"), ["q-1"]);
    assert_eq!(ids("/api/submissions?q=H%C3%80%20%C4%90%C3%94NG"), ["q-1"]);
    assert_eq!(ids("/api/submissions?q=ngap"), ["q-2", "q-1"], "the opinion of both");
    assert!(ids("/api/submissions?q=zzz").is_empty());
    let (status, json_export) = s.get("/api/submissions.json?q=vi");
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&json_export).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["submission"]["id"], "q-2");
    let (_, csv) = s.get("/api/submissions.csv?form=phan-anh-du-luan&q=ba%20vi");
    assert!(csv.contains("\r\nq-2,") && !csv.contains("q-1"), "{csv}");
    let (status, summary) = s.get("/api/summary?question=channels&form=phan-anh-du-luan");
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(v["total"], 2);
    assert_eq!(v["values"], json!([{"value": "zalo", "count": 2}, {"value": "facebook", "count": 2}]));
    assert_eq!(v["days"].as_array().unwrap().iter().map(|d| d["count"].as_u64().unwrap()).sum::<u64>(), 2);
}

#[test]
fn the_phone_in_a_browser_where_the_office_signed_in_still_sends() {
    // The browser sends the office's cookie with the phone app's report too:
    // the report is not the office's, and no CSRF value is asked of it.
    let s = strict(&["--allow-anonymous"]);
    let office = users_add(&db_of(&s), "Văn phòng", "office", None);
    let (cookie, _) = sign_in(&s, signin_secret(&office.link)).expect("the link signs in");
    let h = [("cookie", cookie.as_str()), ("content-type", "application/json")];
    let (status, body, _) = call(&s, "POST", "/api/submissions", &h, &submission("beside-office", "Hà Đông").to_string());
    assert_eq!(status, 201, "{body}");
    let (_, detail) = s.get("/api/submissions/beside-office");
    assert_eq!(serde_json::from_str::<Value>(&detail).unwrap()["submittedBy"], Value::Null);
    // Without --allow-anonymous the cookie is no credential for sending either.
    let closed = strict(&[]);
    let office = users_add(&db_of(&closed), "Văn phòng", "office", None);
    let (cookie, _) = sign_in(&closed, signin_secret(&office.link)).expect("the link signs in");
    let h = [("cookie", cookie.as_str()), ("content-type", "application/json")];
    assert_eq!(call(&closed, "POST", "/api/submissions", &h, &submission("x", "Ba Vì").to_string()).0, 401);
}

#[test]
fn password_guesses_are_turned_away_at_once_while_one_is_checked() {
    let s = strict(&[]);
    let db = db_of(&s);
    let office = users_add(&db, "Văn phòng", "office", None);
    let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
        .args(["users", "password", &office.id])
        .arg("--db")
        .arg(&db)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"mat khau that dai\n").unwrap();
    assert!(child.wait().unwrap().success());
    let wrong = json!({"name": "Văn phòng", "password": "sai"}).to_string();
    let unknown = json!({"name": "không có ai", "password": "sai"}).to_string();
    let h = [("content-type", "application/json")];
    // Several guesses at once: one is checked (and holds the turn a second),
    // the others are told to come back, not queued holding connections.
    let answers: Vec<(u16, Duration)> = std::thread::scope(|scope| {
        let tries: Vec<_> = (0..4)
            .map(|i| {
                let (s, body) = (&s, if i % 2 == 0 { &wrong } else { &unknown });
                scope.spawn(move || {
                    let t = Instant::now();
                    (call(s, "POST", "/api/session", &h, body).0, t.elapsed())
                })
            })
            .collect();
        tries.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let busy: Vec<_> = answers.iter().filter(|(status, _)| *status == 429).collect();
    assert!(!busy.is_empty() && answers.iter().all(|(status, _)| matches!(status, 401 | 429)), "{answers:?}");
    assert!(busy.iter().all(|(_, took)| *took < Duration::from_millis(900)), "turned away at once: {answers:?}");
    assert_eq!(s.get("/api/health").0, 200);
}
