//! Files attached to reports over real HTTP (docs/submission.md, "Files"):
//! uploads verified, stored once and durably, only what is missing sent
//! again, reports refused until their files are here, and who may read them.
//! On SQLite, or on PostgreSQL with `PHIEU_TEST_DB=postgres` (see `common/mod.rs`).

mod common;
use common::{rand_suffix, users_add, Db};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    base: String,
    dir: PathBuf,
    db: Db,
    files: PathBuf,
    admin: String,
}

impl Server {
    /// A server whose files go to `<dir>/files`; submitting needs a token unless `extra` says otherwise.
    fn start(extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!("phieu-files-test-{}-{}", std::process::id(), rand_suffix()));
        let files = dir.join("files");
        let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        args.extend(["--files".to_string(), files.to_string_lossy().into_owned()]);
        Self::launch(dir, &args, files)
    }

    fn launch(dir: PathBuf, extra: &[String], files: PathBuf) -> Server {
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        let db = Db::in_dir(&dir, "test.db");
        let admin = users_add(&db, "Quản trị", "admin", None).token;
        let mut child = Command::new(env!("CARGO_BIN_EXE_phieu"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .arg("--db")
            .arg(&db)
            .arg("--dist")
            .arg(dir.join("dist"))
            .args(extra)
            .env_remove("PHIEU_TOKEN")
            .env_remove("PHIEU_DB")
            .env_remove("PHIEU_FILES")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.split_whitespace().find(|w| w.starts_with("http://")).expect("listening line").to_string();
        Server { child, base, dir, db, files, admin }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).build().into()
    }

    fn user(&self, name: &str, role: &str, unit: Option<&str>) -> String {
        users_add(&self.db, name, role, unit).token
    }

    /// `PUT /api/files/{hash}`: the status and the JSON answer, or Err when the connection broke.
    fn put(&self, hash: &str, bytes: &[u8], content_type: &str, token: Option<&str>) -> Result<(u16, Value), ureq::Error> {
        let mut req = Self::agent().put(format!("{}/api/files/{hash}", self.base)).header("content-type", content_type);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut res = req.send(bytes)?;
        let status = res.status().as_u16();
        Ok((status, res.body_mut().read_json().unwrap_or(Value::Null)))
    }

    fn missing(&self, hashes: &[&str], token: Option<&str>) -> (u16, Value) {
        self.post_json("/api/files/missing", &json!({"sha256": hashes}), token)
    }

    fn post_json(&self, path: &str, body: &Value, token: Option<&str>) -> (u16, Value) {
        let mut req = Self::agent().post(format!("{}{path}", self.base)).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut res = req.send(body.to_string().as_str()).unwrap();
        let status = res.status().as_u16();
        (status, res.body_mut().read_json().unwrap_or(Value::Null))
    }

    /// `GET` with a token: the status, the headers asked for, and the body.
    fn get(&self, path: &str, token: Option<&str>, names: &[&str]) -> (u16, Vec<Option<String>>, Vec<u8>) {
        let mut req = Self::agent().get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut res = req.call().unwrap();
        let headers = names.iter().map(|n| res.headers().get(*n).map(|v| v.to_str().unwrap().to_string())).collect();
        let mut body = Vec::new();
        res.body_mut().as_reader().read_to_end(&mut body).unwrap();
        (res.status().as_u16(), headers, body)
    }

    /// Where a stored file must be.
    fn path_of(&self, hash: &str) -> PathBuf {
        self.files.join(&hash[..2]).join(&hash[2..])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes that look like a small JPEG (only the hash matters to the server).
fn photo(n: usize, seed: u8) -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xe0];
    v.extend((0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

fn item(bytes: &[u8], name: &str) -> Value {
    json!({"name": name, "type": "image/jpeg", "size": bytes.len(), "sha256": sha(bytes)})
}

fn report(id: &str, answers: Value) -> Value {
    json!({
        "id": id,
        "form": {"id": "hien-truong", "version": "1"},
        "startedAt": "2026-11-26T01:00:00.000Z",
        "completedAt": "2026-11-26T01:05:00.000Z",
        "answers": answers,
        "meta": {"locale": "vi", "appVersion": "0.1.0"}
    })
}

/// Every file under `dir`, at any depth.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(all_files(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn an_upload_is_verified_and_stored_once_under_its_hash_before_the_answer() {
    let s = Server::start(&[]);
    let token = s.user("An", "collaborator", Some("ha-dong"));
    let bytes = photo(300_000, 1);
    let hash = sha(&bytes);
    let (status, body) = s.put(&hash, &bytes, "image/jpeg", Some(&token)).unwrap();
    assert_eq!(status, 201, "{body}");
    assert_eq!(body, json!({"sha256": hash, "size": bytes.len(), "status": "stored"}));
    // Once 2xx is answered, the whole file is there under its hash, and nothing else is.
    assert_eq!(std::fs::read(s.path_of(&hash)).unwrap(), bytes);
    assert_eq!(all_files(&s.files), [s.path_of(&hash)], "no temporary file is left");
    let first = std::fs::metadata(s.path_of(&hash)).unwrap();

    // Again: 200, and the file is not written again.
    let (status, body) = s.put(&hash, &bytes, "image/jpeg", Some(&token)).unwrap();
    assert_eq!((status, body["status"].as_str()), (200, Some("present")), "{body}");
    let again = std::fs::metadata(s.path_of(&hash)).unwrap();
    assert_eq!(again.modified().unwrap(), first.modified().unwrap(), "not rewritten");
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(again.ino(), first.ino(), "the same file, not a replacement");
    }
    assert_eq!(s.db.count("files"), 1);
    assert_eq!(s.db.query(&format!("SELECT type FROM files WHERE sha256 = '{hash}'")), "image/jpeg");
    assert_eq!(s.db.query(&format!("SELECT size FROM files WHERE sha256 = '{hash}'")), bytes.len().to_string());

    // An empty file is a file too.
    let (status, _) = s.put(&sha(b""), b"", "text/plain", Some(&token)).unwrap();
    assert_eq!(status, 201);
}

#[test]
fn a_body_of_another_hash_or_too_large_or_without_credential_is_refused_and_nothing_is_stored() {
    let s = Server::start(&["--max-file", "100000"]);
    let token = s.user("An", "collaborator", None);
    let bytes = photo(5_000, 2);
    let hash = sha(&bytes);

    let mut changed = bytes.clone();
    changed[100] ^= 1;
    let (status, body) = s.put(&hash, &changed, "image/jpeg", Some(&token)).unwrap();
    assert_eq!(status, 422, "{body}");
    let message = body["error"].as_str().unwrap();
    assert!(message.contains(&sha(&changed)) && message.contains("send it again"), "{message}");
    // Cut short on the way: the same.
    let (status, _) = s.put(&hash, &bytes[..4000], "image/jpeg", Some(&token)).unwrap();
    assert_eq!(status, 422);

    let big = photo(100_001, 3);
    let (status, body) = s.put(&sha(&big), &big, "image/jpeg", Some(&token)).unwrap();
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].as_str().unwrap().contains("100000"), "{body}");
    // Without a declared length (chunked), the limit holds as the bytes arrive.
    let status = put_chunked(&s, &sha(&big), &big, &token);
    assert_eq!(status, 413);

    let (status, _) = s.put(&hash, &bytes, "image/jpeg", None).unwrap();
    assert_eq!(status, 401, "uploading needs what submitting needs");
    let (status, _) = s.put(&hash, &bytes, "image/jpeg", Some("wrong")).unwrap();
    assert_eq!(status, 401);
    let res = Server::agent()
        .put(format!("{}/api/files/{hash}", s.base))
        .header("authorization", format!("Bearer {token}"))
        .send(bytes.as_slice())
        .unwrap();
    assert_eq!(res.status().as_u16(), 415, "a file without Content-Type");

    for bad in [hash.to_uppercase(), hash[..63].to_string(), format!("{hash}0"), "..%2F..%2Fetc%2Fpasswd".to_string()] {
        let (status, _) = s.put(&bad, &bytes, "image/jpeg", Some(&token)).unwrap();
        assert_eq!(status, 400, "{bad}");
    }
    assert!(all_files(&s.files).is_empty(), "nothing stored: {:?}", all_files(&s.files));
    assert_eq!(s.db.count("files"), 0);
    let (status, body) = s.missing(&[&hash], Some(&token));
    assert_eq!((status, body), (200, json!({"missing": [hash]})));
}

/// A PUT whose body is sent in chunks with no Content-Length; the status answered.
fn put_chunked(s: &Server, hash: &str, bytes: &[u8], token: &str) -> u16 {
    let mut c = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
    let head = format!(
        "PUT /api/files/{hash} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    c.write_all(head.as_bytes()).unwrap();
    for chunk in bytes.chunks(8192) {
        if c.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .and_then(|_| c.write_all(chunk))
            .and_then(|_| c.write_all(b"\r\n"))
            .is_err()
        {
            break;
        }
    }
    let _ = c.write_all(b"0\r\n\r\n");
    let mut answer = String::new();
    let _ = BufReader::new(c).read_line(&mut answer);
    answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn the_server_says_which_files_it_lacks() {
    let s = Server::start(&[]);
    let token = s.user("An", "collaborator", None);
    let (a, b) = (photo(1000, 4), photo(1000, 5));
    assert_eq!(s.put(&sha(&a), &a, "image/jpeg", Some(&token)).unwrap().0, 201);
    let (status, body) = s.missing(&[&sha(&b), &sha(&a), &sha(&b)], Some(&token));
    assert_eq!((status, body), (200, json!({"missing": [sha(&b)]})), "in the order asked, each once");
    let (status, body) = s.missing(&[], Some(&token));
    assert_eq!((status, body), (200, json!({"missing": []})));
    let (status, _) = s.missing(&[&sha(&a)], None);
    assert_eq!(status, 401);
    let (status, body) = s.missing(&["not-a-hash"], Some(&token));
    assert_eq!(status, 422, "{body}");
    let many: Vec<String> = (0..1001).map(|i| sha(&[i as u8, (i >> 8) as u8])).collect();
    let (status, _) = s.missing(&many.iter().map(String::as_str).collect::<Vec<_>>(), Some(&token));
    assert_eq!(status, 413);
    // Many at once (more than one statement's worth), on either database.
    let mut asked: Vec<String> = (0..200).map(|i| sha(&[i as u8, 7])).collect();
    asked.push(sha(&a));
    let (status, body) = s.missing(&asked.iter().map(String::as_str).collect::<Vec<_>>(), Some(&token));
    assert_eq!(status, 200);
    assert_eq!(body["missing"].as_array().unwrap().len(), 200);
}

#[test]
fn a_report_is_stored_only_once_every_file_it_names_is_here() {
    let s = Server::start(&["--allow-anonymous"]);
    let (a, b) = (photo(2000, 6), photo(3000, 7));
    assert_eq!(s.put(&sha(&a), &a, "image/jpeg", None).unwrap().0, 201);
    // b, inside a paneldynamic's repeat, is not here yet.
    let answers = json!({"photos": [item(&a, "a.jpg")], "households": [{"consent": item(&b, "ky.png")}, {"name": "Bình"}]});
    let r = report("r1", answers.clone());
    let (status, body) = s.post_json("/api/submissions", &r, None);
    assert_eq!(status, 424, "{body}");
    assert_eq!(body["missing"], json!([sha(&b)]));
    assert!(body["error"].as_str().unwrap().contains("PUT /api/files/"), "{body}");
    assert_eq!(s.db.count("submissions"), 0, "nothing stored half");

    // A file item that is not one: 422, whatever is here.
    for bad in [
        json!({"sign": {"name": "x", "type": "image/png", "size": 3, "sha256": "ABC"}}),
        json!({"sign": {"type": "image/png", "size": 3, "sha256": sha(&a)}}),
        json!({"sign": [{"name": "x", "type": "image/png", "size": "3", "sha256": sha(&a)}]}),
    ] {
        let (status, body) = s.post_json("/api/submissions", &report("bad", bad.clone()), None);
        assert_eq!(status, 422, "{bad}: {body}");
    }
    // A size other than the stored file's.
    let mut wrong = item(&a, "a.jpg");
    wrong["size"] = json!(1);
    let (status, body) = s.post_json("/api/submissions", &report("bad", json!({"p": wrong})), None);
    assert_eq!(status, 422, "{body}");
    assert_eq!(s.db.count("submissions"), 0);

    assert_eq!(s.put(&sha(&b), &b, "image/png", None).unwrap().0, 201);
    let (status, body) = s.post_json("/api/submissions", &r, None);
    assert_eq!(status, 201, "{body}");
    let (status, _) = s.post_json("/api/submissions", &r, None);
    assert_eq!(status, 200, "a resend is still a duplicate");
    assert_eq!(s.db.count("submissions"), 1);
    assert_eq!(s.db.count("submission_files"), 2);
}

#[test]
fn offices_read_files_and_collaborators_only_their_own() {
    let s = Server::start(&[]);
    let an = s.user("An", "collaborator", Some("ha-dong"));
    let binh = s.user("Bình", "collaborator", Some("ha-dong"));
    let office = s.user("Văn phòng", "office", None);
    let ha_dong = s.user("Phường Hà Đông", "office", Some("ha-dong"));
    let ba_vi = s.user("Ba Vì", "office", Some("ba-vi"));
    let (pic, pdf, own) = (photo(70_000, 8), b"%PDF-1.4 <script>alert(1)</script>".to_vec(), photo(10, 9));
    assert_eq!(s.put(&sha(&pic), &pic, "image/jpeg", Some(&an)).unwrap().0, 201);
    assert_eq!(s.put(&sha(&pdf), &pdf, "application/pdf", Some(&an)).unwrap().0, 201);
    assert_eq!(s.put(&sha(&own), &own, "image/jpeg", Some(&binh)).unwrap().0, 201);
    let answers = json!({"photo": [item(&pic, "a.jpg")], "doc": {"name": "d.pdf", "type": "application/pdf", "size": pdf.len(), "sha256": sha(&pdf)}});
    assert_eq!(s.post_json("/api/submissions", &report("r1", answers), Some(&an)).0, 201);

    let path = format!("/api/files/{}", sha(&pic));
    let names = ["content-type", "x-content-type-options", "content-disposition", "content-security-policy", "content-length"];
    for (who, token) in [("admin", &s.admin), ("office", &office), ("the unit's office", &ha_dong), ("its sender", &an)] {
        let (status, h, body) = s.get(&path, Some(token), &names);
        assert_eq!(status, 200, "{who}");
        assert_eq!(body, pic, "{who}");
        assert_eq!(h[0].as_deref(), Some("image/jpeg"));
        assert_eq!(h[1].as_deref(), Some("nosniff"));
        assert!(h[2].as_deref().unwrap().starts_with("inline"), "{h:?}");
        assert!(h[3].as_deref().unwrap().contains("sandbox") && h[3].as_deref().unwrap().contains("default-src 'none'"), "{h:?}");
    }
    let (status, h, body) = s.get(&format!("/api/files/{}", sha(&pdf)), Some(&office), &names);
    assert_eq!((status, body), (200, pdf.clone()));
    assert_eq!(h[0].as_deref(), Some("application/pdf"));
    assert!(h[2].as_deref().unwrap().starts_with("attachment"), "anything but a raster image is downloaded: {h:?}");
    assert!(!h[3].as_deref().unwrap().contains("'self'"), "the page's policy is not the file's: {h:?}");

    // Another collaborator, another unit's office: as if there were no such file.
    for (who, token) in [("another collaborator", &binh), ("another unit's office", &ba_vi)] {
        let (status, _, body) = s.get(&path, Some(token), &[]);
        assert_eq!(status, 404, "{who}: {}", String::from_utf8_lossy(&body));
    }
    // A file one uploaded is one's own, even before a report names it.
    assert_eq!(s.get(&format!("/api/files/{}", sha(&own)), Some(&binh), &[]).0, 200);
    assert_eq!(s.get(&format!("/api/files/{}", sha(&own)), Some(&an), &[]).0, 404);
    // Nobody: 401, before anything else is looked at.
    let (status, h, _) = s.get(&path, None, &["www-authenticate"]);
    assert_eq!((status, h[0].as_deref()), (401, Some("Bearer")));
    assert_eq!(s.get("/api/files/nothex", None, &[]).0, 401);
    assert_eq!(s.get("/api/files/nothex", Some(&office), &[]).0, 400);
    assert_eq!(s.get(&format!("/api/files/{}", sha(b"never")), Some(&office), &[]).0, 404);
    // Traversal never reaches the disk: not a hash.
    assert_eq!(s.get("/api/files/..%2F..%2F..%2Fetc%2Fpasswd", Some(&office), &[]).0, 400);
}

#[test]
fn the_shared_token_uploads_but_reads_no_file() {
    let dir = std::env::temp_dir().join(format!("phieu-files-test-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("token"), "shared-secret-token\n").unwrap();
    let files = dir.join("files");
    let args = [
        "--token-file".to_string(),
        dir.join("token").to_string_lossy().into_owned(),
        "--files".into(),
        files.to_string_lossy().into_owned(),
    ];
    let s = Server::launch(dir, &args, files);
    let bytes = photo(100, 10);
    assert_eq!(s.put(&sha(&bytes), &bytes, "image/jpeg", Some("shared-secret-token")).unwrap().0, 201);
    assert_eq!(s.put(&sha(&bytes), &bytes, "image/jpeg", None).unwrap().0, 401);
    assert_eq!(s.get(&format!("/api/files/{}", sha(&bytes)), Some("shared-secret-token"), &[]).0, 403);
    assert_eq!(s.get(&format!("/api/files/{}", sha(&bytes)), Some(&s.admin), &[]).0, 200);
}

#[test]
fn a_connection_cut_mid_upload_leaves_nothing_under_the_hash() {
    let s = Server::start(&["--allow-anonymous", "--faults", "cut:1"]);
    let bytes = photo(2_000_000, 11);
    let hash = sha(&bytes);
    let sent = s.put(&hash, &bytes, "image/jpeg", None);
    assert!(sent.is_err(), "the connection should be cut, got {:?}", sent.map(|r| r.0));
    assert!(!s.path_of(&hash).exists(), "no partial file under the hash");
    assert!(all_files(&s.files).is_empty(), "and no temporary file left: {:?}", all_files(&s.files));
    assert_eq!(s.missing(&[&hash], None).1, json!({"missing": [hash]}));
}

#[test]
fn a_file_stored_before_a_cut_answer_is_not_sent_again() {
    let s = Server::start(&["--allow-anonymous", "--faults", "drop:1"]);
    let bytes = photo(50_000, 12);
    let hash = sha(&bytes);
    assert!(s.put(&hash, &bytes, "image/jpeg", None).is_err(), "stored, then cut");
    assert_eq!(std::fs::read(s.path_of(&hash)).unwrap(), bytes);
    assert_eq!(s.missing(&[&hash], None).1, json!({"missing": []}), "the phone learns it need not send it again");
}

#[test]
fn the_csv_has_a_place_in_three_columns_and_files_as_links() {
    let s = Server::start(&["--allow-anonymous"]);
    let bytes = photo(100, 13);
    assert_eq!(s.put(&sha(&bytes), &bytes, "image/jpeg", None).unwrap().0, 201);
    let answers = json!({"place": {"latitude": 21.0285, "longitude": 105.8542, "accuracy": 12.5}, "photo": [item(&bytes, "a.jpg")]});
    assert_eq!(s.post_json("/api/submissions", &report("r1", answers), None).0, 201);
    let (status, _, body) = s.get("/api/submissions.csv?form=hien-truong", Some(&s.admin), &[]);
    assert_eq!(status, 200);
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let row: Vec<&str> = lines[2].split(',').collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}: {header:?}"))];
    assert_eq!((cell("place.latitude"), cell("place.longitude"), cell("place.accuracy")), ("21.0285", "105.8542", "12.5"));
    assert_eq!(cell("photo"), format!("{}/api/files/{}", s.base, sha(&bytes)));
    assert!(!header.contains(&"place"), "{header:?}");
}

#[test]
fn files_go_beside_a_sqlite_database_by_default() {
    if common::on_postgres() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("phieu-files-test-{}-{}", std::process::id(), rand_suffix()));
    let files = dir.join("files");
    let s = Server::launch(dir, &["--allow-anonymous".to_string()], files);
    let bytes = photo(10, 14);
    assert_eq!(s.put(&sha(&bytes), &bytes, "image/jpeg", None).unwrap().0, 201);
    assert_eq!(std::fs::read(s.path_of(&sha(&bytes))).unwrap(), bytes);
}
