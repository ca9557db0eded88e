//! Files attached to reports (photos, signatures, documents): the file
//! protocol of docs/submission.md.
//!
//! A report names each file by the SHA-256 of its bytes
//! (`{"name", "type", "size", "sha256"}` in its answers). The phone asks
//! which of its files the server lacks (`POST /api/files/missing`), sends
//! each of those once (`PUT /api/files/{sha256}`, the raw bytes), then the
//! report; a report is stored only when every file it names is here.
//!
//! Bytes live in `--files DIR`, one file per hash (`DIR/ab/cdef…`, the
//! first two hex digits a folder), written to a temporary file in the same
//! folder, hashed as they arrive, flushed to disk, then linked under the
//! hash's name and the folder flushed: a name under a hash always holds the
//! whole, verified file, and the server answers 2xx only after that. What
//! is stored (size, type, who sent it) and which reports name a file are
//! rows in the database (`store.rs`).

// A refusal is the answer itself, made at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use crate::faults::Cut;
use crate::office::{self, Who};
use crate::serve::{error, unavailable, AppState, Shared};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

/// Hashes one `POST /api/files/missing` may ask about.
pub const MISSING_MAX: usize = 1000;
/// Files one report may name.
pub const REPORT_FILES_MAX: usize = 1000;
/// A temporary file older than this is left from a crash: removed at start.
const STALE_PART: Duration = Duration::from_secs(24 * 3600);
/// Bytes read from disk at a time when a file is sent.
const READ_CHUNK: usize = 64 << 10;
/// The policy of a file sent back: nothing in it runs, nothing is loaded, it is never framed.
const FILE_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";
/// Types shown in the browser rather than downloaded: raster images (never
/// SVG, which may carry scripts; `<img>` shows SVG whatever this header says).
const INLINE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"];

/// Whether `s` is a SHA-256 as the protocol writes it: 64 lowercase hex digits.
pub use phieu_core::form::is_sha256;

/// Bytes as lowercase hex digits (digests, ids, tags).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where files are kept (`--files`), and the largest accepted.
pub struct Files {
    /// None: the server keeps no files (PostgreSQL without `--files`).
    pub dir: Option<PathBuf>,
    pub max: u64,
}

impl Files {
    /// Makes the folder if needed, checks that it can be written, and removes
    /// temporary files that a crash left behind.
    pub fn open(dir: Option<PathBuf>, max: u64) -> Result<Files, String> {
        if let Some(d) = &dir {
            std::fs::create_dir_all(d).map_err(|e| format!("cannot make --files {}: {e}", d.display()))?;
            let mut r = [0u8; 8];
            getrandom::fill(&mut r).map_err(|e| format!("the system gave no random numbers: {e}"))?;
            let probe = d.join(format!(".probe-{}", hex(&r)));
            std::fs::write(&probe, b"")
                .and_then(|_| std::fs::remove_file(&probe))
                .map_err(|e| format!("cannot write in --files {}: {e} (the server's user must own it)", d.display()))?;
            // Beside the start, not before it: a large folder takes a while to walk.
            let d = d.clone();
            std::thread::spawn(move || sweep(&d));
        }
        Ok(Files { dir, max })
    }

    /// The folder and the file a hash is kept in.
    fn place(&self, sha256: &str) -> Option<(PathBuf, PathBuf)> {
        debug_assert!(is_sha256(sha256));
        let folder = self.dir.as_ref()?.join(&sha256[..2]);
        let file = folder.join(&sha256[2..]);
        Some((folder, file))
    }
}

/// Removes `*.part-*` files older than [`STALE_PART`] (an upload under way
/// on another instance sharing the folder is younger than that).
fn sweep(dir: &std::path::Path) {
    let Ok(folders) = std::fs::read_dir(dir) else { return };
    for folder in folders.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())) {
        let Ok(files) = std::fs::read_dir(folder.path()) else { continue };
        for f in files.flatten() {
            let old = f.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_PART));
            if old && f.file_name().to_string_lossy().contains(".part-") {
                let _ = std::fs::remove_file(f.path());
            }
        }
    }
}

// ---- files named by a report ----

/// A file a report names: its hash and the size the report says it has.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRef {
    pub sha256: String,
    pub size: u64,
    /// Where in the answers, for messages: `photo[0]`, `household[1].consent`.
    pub at: String,
}

/// Every file item in a report's answers, at any depth (a paneldynamic's
/// repeats, a list of photos): an object with a `sha256` key. A file item
/// must be `{"name": text, "type": text, "size": whole number, "sha256": 64
/// lowercase hex digits}`; anything else is refused with a message.
pub fn file_items(answers: &Map<String, Value>) -> Result<Vec<FileRef>, String> {
    fn walk(v: &Value, at: &mut String, out: &mut Vec<FileRef>) -> Result<(), String> {
        match v {
            Value::Object(m) if m.contains_key("sha256") => {
                let bad = |what: &str| Err(format!("answer {at}: {what}; a file is {{\"name\", \"type\", \"size\", \"sha256\"}}"));
                let sha256 = match m.get("sha256") {
                    Some(Value::String(s)) if is_sha256(s) => s.clone(),
                    _ => return bad("its sha256 must be the file's SHA-256 as 64 lowercase hex digits"),
                };
                let text = |key: &str, max: usize| m.get(key).and_then(Value::as_str).is_some_and(|s| s.len() <= max);
                if !text("name", 1000) {
                    return bad("its name must be text (at most 1000 bytes)");
                }
                if !text("type", 255) {
                    return bad("its type must be text, such as image/jpeg");
                }
                let Some(size) = m.get("size").and_then(Value::as_u64) else {
                    return bad("its size must be a whole number of bytes");
                };
                out.push(FileRef { sha256, size, at: at.clone() });
            }
            Value::Object(m) => {
                for (k, v) in m {
                    let len = at.len();
                    at.push('.');
                    at.push_str(k);
                    walk(v, at, out)?;
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("[{i}]"));
                    walk(v, at, out)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    let mut out = Vec::new();
    for (name, v) in answers {
        let mut at = format!("'{name}'");
        walk(v, &mut at, &mut out)?;
    }
    let mut distinct: Vec<&str> = out.iter().map(|f| f.sha256.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() > REPORT_FILES_MAX {
        return Err(format!("the report names {} files; at most {REPORT_FILES_MAX} are accepted", distinct.len()));
    }
    Ok(out)
}

// ---- CSV ----

/// Whether a value is a place: `{"latitude": number, "longitude": number, …}`.
fn is_geopoint(m: &Map<String, Value>) -> bool {
    m.get("latitude").is_some_and(Value::is_number) && m.get("longitude").is_some_and(Value::is_number)
}

/// A report's answers as the CSV export shows them: a place becomes three
/// columns (`name.latitude`, `name.longitude`, `name.accuracy`), and each
/// file, at any depth, a link to it (`{base}/api/files/{sha256}`).
pub fn export_answers(answers: &Map<String, Value>, base: &str) -> Map<String, Value> {
    fn links(v: &Value, base: &str) -> Value {
        match v {
            Value::Object(m) => match m.get("sha256").and_then(Value::as_str).filter(|s| is_sha256(s)) {
                Some(hash) => Value::String(format!("{base}/api/files/{hash}")),
                None => Value::Object(m.iter().map(|(k, v)| (k.clone(), links(v, base))).collect()),
            },
            Value::Array(items) => Value::Array(items.iter().map(|v| links(v, base)).collect()),
            other => other.clone(),
        }
    }
    let mut out = Map::new();
    for (name, v) in answers {
        match v {
            Value::Object(m) if is_geopoint(m) => {
                for part in GEO_PARTS {
                    out.insert(format!("{name}.{part}"), m.get(part).cloned().unwrap_or(Value::Null));
                }
            }
            other => {
                out.insert(name.clone(), links(other, base));
            }
        }
    }
    out
}

/// A place's columns, in order.
pub const GEO_PARTS: [&str; 3] = ["latitude", "longitude", "accuracy"];

// ---- HTTP ----

/// Uploading needs what submitting needs: an account's token, the shared
/// token, or nothing with `--allow-anonymous`. A session cookie never counts
/// (see `serve::submitter`). Then the file folder must exist.
async fn uploader(st: &AppState, headers: &HeaderMap) -> Result<Option<crate::store::Account>, Response> {
    let by = crate::serve::submitter(st, headers).await?;
    if st.files.dir.is_none() {
        return Err(no_folder());
    }
    Ok(by)
}

fn no_folder() -> Response {
    unavailable("this server keeps no files: it was started on PostgreSQL without --files DIR (a folder every instance shares)")
}

/// `--faults`: `slow`, then `fail` (the caller has read the body first when there is one).
async fn injected(st: &AppState) -> Option<Response> {
    let f = st.faults.as_ref()?;
    if !f.slow.is_zero() {
        tokio::time::sleep(f.slow).await;
    }
    (f.roll() < f.fail).then(|| crate::serve::injected_failure(f))
}

/// `POST /api/files/missing` with `{"sha256": ["…", …]}`: `{"missing": […]}`,
/// those the server lacks, in the order asked, each once.
pub async fn missing(State(st): Shared, headers: HeaderMap, body: Body) -> Response {
    if let Err(res) = uploader(&st, &headers).await {
        return res;
    }
    if !crate::serve::is_json(&headers) {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send {\"sha256\": [...]} with the header Content-Type: application/json");
    }
    let limit = MISSING_MAX * 70 + 1024;
    let bytes = match tokio::time::timeout(st.body_timeout, to_bytes(body, limit)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return error(StatusCode::PAYLOAD_TOO_LARGE, format!("ask about at most {MISSING_MAX} files at a time")),
        Err(_) => return error(StatusCode::REQUEST_TIMEOUT, "the body did not arrive in time; send it again"),
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("the body is not valid JSON: {e}")),
    };
    let asked = match value.as_object().filter(|o| o.len() == 1).and_then(|o| o.get("sha256")).and_then(Value::as_array) {
        Some(list) => list,
        None => return error(StatusCode::UNPROCESSABLE_ENTITY, "send {\"sha256\": [\"<64 lowercase hex digits>\", ...]}"),
    };
    if asked.len() > MISSING_MAX {
        return error(StatusCode::PAYLOAD_TOO_LARGE, format!("ask about at most {MISSING_MAX} files at a time"));
    }
    let mut hashes: Vec<String> = Vec::with_capacity(asked.len());
    for (i, h) in asked.iter().enumerate() {
        match h.as_str() {
            Some(s) if is_sha256(s) => {
                if !hashes.iter().any(|x| x == s) {
                    hashes.push(s.to_string());
                }
            }
            _ => return error(StatusCode::UNPROCESSABLE_ENTITY, format!("sha256[{i}] is not a SHA-256 as 64 lowercase hex digits")),
        }
    }
    if let Some(res) = injected(&st).await {
        return res;
    }
    let asked = hashes.clone();
    match st.readers.run(move |r| r.files_present(&asked)).await {
        Ok(Ok(found)) => {
            Json(json!({"missing": hashes.into_iter().filter(|h| !found.contains_key(h)).collect::<Vec<_>>()})).into_response()
        }
        Ok(Err(e)) => unavailable(format!("the database could not be read: {e}")),
        Err(res) => res,
    }
}

/// The media type of an upload, without parameters, in lower case: `type/subtype`.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = v.split(';').next()?.trim().to_ascii_lowercase();
    let (t, s) = essence.split_once('/')?;
    let token = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    (token(t) && token(s) && essence.len() <= 127).then_some(essence)
}

/// What the thread writing an upload is told.
enum ToDisk {
    Bytes(Bytes),
    /// Everything arrived and its hash is right: make it the file.
    Commit,
}

/// Where an upload stands once its body has been read.
enum Received {
    Whole {
        sha256: String,
        size: u64,
    },
    TooLarge,
    Stalled,
    /// The connection broke (or `--faults cut` cut it).
    Broken,
}

/// `PUT /api/files/{sha256}`: the file's raw bytes, its type as
/// `Content-Type`. 201 when stored, 200 when it was here already; 422 when
/// the bytes' hash is another, 413 beyond `--max-file`.
pub async fn put(State(st): Shared, cut: Option<Extension<Cut>>, Path(sha256): Path<String>, headers: HeaderMap, body: Body) -> Response {
    let by = match uploader(&st, &headers).await {
        Ok(by) => by,
        Err(res) => return res,
    };
    if !is_sha256(&sha256) {
        return error(StatusCode::BAD_REQUEST, "the address must end in the file's SHA-256: 64 lowercase hex digits");
    }
    let Some(content_type) = media_type(&headers) else {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send the file's type as Content-Type, such as image/jpeg or application/pdf");
    };
    let max = st.files.max;
    let too_large =
        || error(StatusCode::PAYLOAD_TOO_LARGE, format!("the file is larger than the server's limit of {max} bytes (--max-file)"));
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return too_large();
    }
    let (folder, file) = st.files.place(&sha256).expect("uploader checked the folder");
    let cut = cut.map(|Extension(c)| c);
    // `--faults cut:P`: the connection is cut once about half the body has arrived.
    let cut_at = match (&st.faults, &cut) {
        (Some(f), Some(_)) if f.roll() < f.cut => Some(declared.unwrap_or(2) / 2),
        _ => None,
    };
    let present = {
        let file = file.clone();
        tokio::task::spawn_blocking(move || file.is_file()).await.unwrap_or(false)
    };
    // The bytes go to a thread that writes them, unless the file is here already (then they are only hashed).
    let (tx, writer) = if present {
        (None, None)
    } else {
        let (tx, rx) = mpsc::channel::<ToDisk>(8);
        let (folder, file, hash) = (folder.clone(), file.clone(), sha256.clone());
        (Some(tx), Some(tokio::task::spawn_blocking(move || write_file(&folder, &file, &hash, rx))))
    };
    let received = receive(body, max, st.body_timeout, tx.as_ref(), cut_at, cut.as_ref()).await;
    let failure = match received {
        Received::Whole { sha256: got, size } if got == sha256 => {
            if let Some(res) = injected(&st).await {
                drop(tx);
                if let Some(w) = writer {
                    let _ = w.await;
                }
                return res;
            }
            let stored = match (tx, writer) {
                (Some(tx), Some(writer)) => {
                    let _ = tx.send(ToDisk::Commit).await;
                    drop(tx);
                    match writer.await {
                        Ok(Ok(new)) => new,
                        Ok(Err(e)) => return unavailable(format!("the file could not be written to --files: {e}")),
                        Err(e) => return unavailable(format!("the file could not be written: {e}")),
                    }
                }
                _ => false,
            };
            let (hash, ty, now) = (sha256.clone(), content_type.clone(), crate::time::now_rfc3339());
            let recorded = st.writers.run(move |w| w.add_file(&hash, size, &ty, by.as_ref(), &now)).await;
            let res = match recorded {
                Ok(Ok(_)) if stored => {
                    (StatusCode::CREATED, Json(json!({"sha256": sha256, "size": size, "status": "stored"}))).into_response()
                }
                Ok(Ok(_)) => (StatusCode::OK, Json(json!({"sha256": sha256, "size": size, "status": "present"}))).into_response(),
                Ok(Err(e)) => return unavailable(format!("the database could not record the file: {e}")),
                Err(res) => return res,
            };
            if let (Some(f), Some(cut)) = (&st.faults, &cut) {
                if f.roll() < f.drop {
                    // Stored, but the phone never hears so: it asks again, and sends nothing twice.
                    cut.0.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            return res;
        }
        Received::Whole { sha256: got, size } => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the {size} bytes received have SHA-256 {got}, not the {sha256} in the address: \
                 the file was changed or cut short on the way; nothing was stored, send it again"
            ),
        ),
        Received::TooLarge => too_large(),
        Received::Stalled => error(
            StatusCode::REQUEST_TIMEOUT,
            format!("no part of the file arrived for {} s; nothing was stored, send it again", st.body_timeout.as_secs()),
        ),
        Received::Broken => error(StatusCode::BAD_REQUEST, "the connection broke before the whole file arrived; nothing was stored"),
    };
    // Not committed: the writer removes its temporary file; wait for it, so
    // that nothing is left once the answer (or the cut) reaches the client.
    drop(tx);
    if let Some(w) = writer {
        let _ = w.await;
    }
    failure
}

/// Reads an upload's body, hashing it and handing it to the writer, a frame
/// at a time; a client that sends nothing for `idle` is given up on (a
/// large photo on a slow link may take minutes in all, which is fine).
async fn receive(
    mut body: Body,
    max: u64,
    idle: Duration,
    tx: Option<&mpsc::Sender<ToDisk>>,
    cut_at: Option<u64>,
    cut: Option<&Cut>,
) -> Received {
    use http_body::Body as _;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx));
        let frame = match tokio::time::timeout(idle, frame).await {
            Err(_) => return Received::Stalled,
            Ok(None) => break,
            Ok(Some(Err(_))) => return Received::Broken,
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else { continue };
        size += data.len() as u64;
        if size > max {
            return Received::TooLarge;
        }
        hasher.update(&data);
        if let Some(tx) = tx {
            if tx.send(ToDisk::Bytes(data)).await.is_err() {
                // The writer failed; it says why when it is awaited.
                return Received::Broken;
            }
        }
        if cut_at.is_some_and(|at| size >= at) {
            if let Some(cut) = cut {
                cut.0.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            return Received::Broken;
        }
    }
    Received::Whole { sha256: hex(&hasher.finalize()), size }
}

/// On a blocking thread: writes what arrives to a temporary file beside the
/// file's place; on [`ToDisk::Commit`], flushes it to disk, gives it the
/// hash's name (a hard link, which fails rather than replace a file there
/// already) and flushes the folder. Without a commit (the channel closed
/// first) the temporary file is removed. True when this made the file.
fn write_file(folder: &std::path::Path, file: &std::path::Path, sha256: &str, mut rx: mpsc::Receiver<ToDisk>) -> io::Result<bool> {
    let made_folder = match std::fs::create_dir(folder) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
        Err(e) => return Err(e),
    };
    if made_folder {
        // The new folder's own name must survive a power cut too.
        sync_dir(folder.parent().unwrap_or(folder))?;
    }
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| io::Error::other(format!("no random numbers: {e}")))?;
    let temp = folder.join(format!("{}.part-{}", &sha256[2..], hex(&suffix)));
    let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
    let result = (|| {
        loop {
            match rx.blocking_recv() {
                Some(ToDisk::Bytes(b)) => out.write_all(&b)?,
                Some(ToDisk::Commit) => break,
                None => return Ok(None),
            }
        }
        out.sync_all()?;
        let made = match std::fs::hard_link(&temp, file) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
            // A file system without hard links: a rename is atomic too.
            Err(_) => {
                std::fs::rename(&temp, file)?;
                sync_dir(folder)?;
                return Ok(Some(true));
            }
        };
        std::fs::remove_file(&temp)?;
        sync_dir(folder)?;
        Ok(Some(made))
    })();
    match result {
        Ok(Some(made)) => Ok(made),
        Ok(None) => {
            drop(out);
            std::fs::remove_file(&temp)?;
            Err(io::Error::other("the upload ended before its bytes were checked"))
        }
        Err(e) => {
            drop(out);
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Flushes a folder's entries (a new name in it) to disk.
fn sync_dir(dir: &std::path::Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// `GET /api/files/{sha256}` (and `HEAD`): the bytes with their stored type,
/// to an office or admin account (an office of one unit: files of its unit's
/// reports), or to the collaborator whose report names the file or who uploaded it.
pub async fn get(State(st): Shared, headers: HeaderMap, Path(sha256): Path<String>) -> Response {
    let account = match office::who(&st, &headers).await {
        Ok(Who::Account(c)) => c.account,
        Ok(Who::Nobody) => {
            let mut res = error(StatusCode::UNAUTHORIZED, "sign in first, or send Authorization: Bearer <token>");
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return res;
        }
        Ok(Who::Shortcut) => {
            return error(
                StatusCode::FORBIDDEN,
                "the server's shared token may only submit reports and their files; use an account's token",
            )
        }
        Err(res) => return res,
    };
    if !is_sha256(&sha256) {
        return error(StatusCode::BAD_REQUEST, "the address must end in the file's SHA-256: 64 lowercase hex digits");
    }
    let Some((_, path)) = st.files.place(&sha256) else { return no_folder() };
    let hash = sha256.clone();
    let found = st
        .readers
        .run(move |r| match r.file(&hash)? {
            Some(f) if r.may_read_file(&hash, &account)? => Ok(Some(f)),
            _ => Ok::<_, crate::store::Error>(None),
        })
        .await;
    let (size, content_type) = match found {
        Ok(Ok(Some(f))) => f,
        // Another's file is as good as missing: its existence is not told.
        Ok(Ok(None)) => return error(StatusCode::NOT_FOUND, "there is no such file (or it is not yours to read)"),
        Ok(Err(e)) => return unavailable(format!("the database could not be read: {e}")),
        Err(res) => return res,
    };
    let opened = tokio::task::spawn_blocking(move || std::fs::File::open(path)).await;
    let file = match opened {
        Ok(Ok(f)) => f,
        _ => return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the file is recorded but not in --files: is the folder the one every instance shares, and was it restored with the database?",
        ),
    };
    let (tx, rx) = mpsc::channel(4);
    let stall = st.body_timeout;
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            let chunk = match file.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => Ok(Bytes::copy_from_slice(&buf[..n])),
                Err(e) => Err(e),
            };
            let failed = chunk.is_err();
            if rt.block_on(tx.send_timeout(chunk, stall)).is_err() || failed {
                return;
            }
        }
    });
    let disposition = if INLINE_TYPES.contains(&content_type.as_str()) { "inline" } else { "attachment" };
    let mut res = Body::new(crate::serve::ChannelBody(rx)).into_response();
    let h = res.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, value(&content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    h.insert(header::CONTENT_DISPOSITION, value(&format!("{disposition}; filename=\"{sha256}\"")));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    h.insert(header::ETAG, value(&format!("\"{sha256}\"")));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn a_hash_is_64_lowercase_hex_digits() {
        assert!(is_sha256(H));
        assert!(!is_sha256(&H.to_uppercase()));
        assert!(!is_sha256(&H[1..]));
        assert!(!is_sha256(&format!("{}/", &H[1..])));
        assert!(!is_sha256("../../../../../../../../../../../../../../../../../../../etc/passwd"));
        assert_eq!(hex(&Sha256::digest(b"test")), H);
    }

    #[test]
    fn file_items_are_found_at_any_depth_and_checked() {
        let item = |h: &str| json!({"name": "a.jpg", "type": "image/jpeg", "size": 4, "sha256": h});
        let answers = json!({
            "photo": [item(H)],
            "household": [{"consent": item(&"a".repeat(64))}, {"name": "x"}],
            "place": {"latitude": 21.0, "longitude": 105.8, "accuracy": 12},
            "note": "sha256",
        });
        let found = file_items(answers.as_object().unwrap()).unwrap();
        let at: Vec<(&str, &str)> = found.iter().map(|f| (f.at.as_str(), &f.sha256[..2])).collect();
        assert_eq!(at, [("'household'[0].consent", "aa"), ("'photo'[0]", "9f")]);
        for bad in [
            json!({"p": {"sha256": H.to_uppercase(), "name": "a", "type": "t", "size": 1}}),
            json!({"p": {"sha256": H, "type": "t", "size": 1}}),
            json!({"p": {"sha256": H, "name": "a", "type": "t", "size": -1}}),
            json!({"p": {"sha256": H, "name": "a", "type": "t", "size": 1.5}}),
            json!({"p": [{"sha256": 1, "name": "a", "type": "t", "size": 1}]}),
        ] {
            assert!(file_items(bad.as_object().unwrap()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_export_shows_places_as_three_columns_and_files_as_links() {
        let answers = json!({
            "place": {"latitude": 21.0285, "longitude": 105.8542, "accuracy": 8.5},
            "photos": [{"name": "a.jpg", "type": "image/jpeg", "size": 4, "sha256": H}],
            "sign": {"name": "s.png", "type": "image/png", "size": 4, "sha256": H},
            "n": 3,
        });
        let out = export_answers(answers.as_object().unwrap(), "https://x.org");
        let link = format!("https://x.org/api/files/{H}");
        assert_eq!(
            Value::Object(out),
            json!({"place.latitude": 21.0285, "place.longitude": 105.8542, "place.accuracy": 8.5, "photos": [link.clone()], "sign": link, "n": 3})
        );
    }

    #[test]
    fn media_types_are_checked() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(v).unwrap());
            media_type(&h)
        };
        assert_eq!(with("Image/JPEG; q=1").as_deref(), Some("image/jpeg"));
        assert_eq!(with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").as_deref().map(str::len), Some(65));
        assert_eq!(with("text"), None);
        assert_eq!(with("a/b c"), None);
        assert_eq!(with("/x"), None);
    }
}
