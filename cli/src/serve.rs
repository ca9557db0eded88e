//! `phieu serve`: a reference receiving server. It serves the built app and
//! takes submissions at `/api/submissions`, storing each exactly once, and
//! checks them with the same `phieu-core` code the phone used.
//!
//! Database work runs on blocking threads, never on the async workers, each
//! with a connection from a pool: writers (one on SQLite, several on
//! PostgreSQL) and a few readers beside them (SQLite's WAL lets them read
//! while it writes), so a long listing neither stalls `/api/health` nor new
//! submissions. On PostgreSQL several instances may share one database.

use crate::faults::{Cut, Faults};
use crate::listen::{self, Limits};
use crate::office::{self, Who};
use crate::statics::{self, Statics};
use crate::store::{Filter, Kind, Location, PageQuery, Reader, Role, Store, Stored};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use phieu_core::expr::Clock;
use phieu_core::{Form, Submission};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Semaphore};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

#[derive(clap::Args)]
pub struct Options {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The database: a SQLite file (created if missing), or PostgreSQL as
    /// postgres://user:password@host:port/database, which several instances may share.
    #[arg(long, env = "PHIEU_DB", default_value = "phieu.db", value_parser = parse_location)]
    db: Location,
    /// The built app to serve (the output of `trunk build`).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Largest submission accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_body: usize,
    /// Check each submission against the form definitions in this folder
    /// (by form id and version) and answer 422 with the problems.
    #[arg(long)]
    forms: Option<PathBuf>,
    /// A shared token that lets its holder submit reports (and nothing else), beside the
    /// accounts' tokens. Prefer the PHIEU_TOKEN environment variable or --token-file:
    /// `ps` shows a command line.
    #[arg(long)]
    token: Option<String>,
    /// Read the shared submitting token from this file (its first line).
    #[arg(long, conflicts_with = "token")]
    token_file: Option<PathBuf>,
    /// Let anyone submit without a credential (a public survey, the local demo). It never grants reading.
    #[arg(long, conflicts_with_all = ["token", "token_file"])]
    allow_anonymous: bool,
    /// The address the office's links start with (default: the address it listens on).
    #[arg(long, env = "PHIEU_PUBLIC_URL")]
    url: Option<String>,
    /// Allow the app on this origin (or `*`) to call the API from another origin; repeatable.
    #[arg(long = "cors-origin")]
    cors_origins: Vec<String>,
    /// Misbehave on purpose, for tests: "fail:0.3,drop:0.1,slow:2s,status:503,retry-after:2,seed:1".
    #[arg(long)]
    faults: Option<String>,
    /// Local time's offset from UTC in minutes, for date functions in validation (Vietnam: 420).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    utc_offset: f64,
    /// Connections open at once; more get 503 and are closed. Keep it below the file limit (`ulimit -n`).
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// Seconds a client has to send a request's headers (and an idle connection stays open).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a client has to send a request's body, or to take a piece of the answer.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
    /// Where files attached to reports are kept, one per SHA-256 (default: `files` beside a
    /// SQLite database; on PostgreSQL give a folder every instance shares).
    #[arg(long, env = "PHIEU_FILES")]
    files: Option<PathBuf>,
    /// Largest file accepted, in bytes (20 MiB).
    #[arg(long, default_value_t = 20 << 20, value_parser = clap::value_parser!(u64).range(1..))]
    max_file: u64,
}

/// Listing pages: how many rows by default, at most, and about how many bytes at most.
const PAGE_DEFAULT: usize = 100;
const PAGE_MAX: usize = 1000;
const PAGE_MAX_BYTES: usize = 8 << 20;
/// Database readers at once; more wait their turn (each may hold a page in memory).
const READERS: usize = 4;
/// Database writers at once on PostgreSQL (SQLite has one): commits wait
/// for the disk, and several under way share its flushes.
const PG_WRITERS: usize = 8;
/// After SIGTERM: how long open connections get to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

pub(crate) struct AppState {
    /// Writers, used on blocking threads; waiting for one does not hold a thread.
    pub(crate) writers: Arc<Pool<Store>>,
    pub(crate) readers: Arc<Pool<Reader>>,
    max_body: usize,
    pub(crate) body_timeout: Duration,
    /// Form id → (version, form), from `--forms`.
    forms: HashMap<String, (String, Form)>,
    /// SHA-256 of the shared submitting token: compared in constant time, never the token itself.
    pub(crate) token: Option<[u8; 32]>,
    allow_anonymous: bool,
    /// Where links to this server start (`--url`, else the address it listens on).
    public_url: std::sync::OnceLock<String>,
    pub(crate) faults: Option<Faults>,
    pub(crate) utc_offset: f64,
    /// `--files` and `--max-file`.
    pub(crate) files: crate::files::Files,
}

impl AppState {
    pub(crate) fn public_url(&self) -> &str {
        self.public_url.get().map_or("", String::as_str)
    }
}

pub(crate) type Shared = State<Arc<AppState>>;

/// What a [`Pool`] keeps: a connection that may break (a restarted PostgreSQL).
pub(crate) trait Pooled: Send + 'static {
    fn open(at: &Location) -> crate::store::Result<Self>
    where
        Self: Sized;
    fn is_broken(&self) -> bool;
}

impl Pooled for Store {
    fn open(at: &Location) -> crate::store::Result<Self> {
        Store::connect(at)
    }
    fn is_broken(&self) -> bool {
        Store::is_broken(self)
    }
}

impl Pooled for Reader {
    fn open(at: &Location) -> crate::store::Result<Self> {
        Reader::open(at)
    }
    fn is_broken(&self) -> bool {
        Reader::is_broken(self)
    }
}

/// Connections, opened as needed and kept, at most `size` in use; one that
/// broke is dropped, and the next use opens another.
pub(crate) struct Pool<C> {
    at: Location,
    what: &'static str,
    idle: Mutex<Vec<C>>,
    permits: Arc<Semaphore>,
    size: usize,
}

impl<C: Pooled> Pool<C> {
    fn new(at: Location, what: &'static str, size: usize, first: Option<C>) -> Pool<C> {
        Pool { at, what, idle: Mutex::new(first.into_iter().collect()), permits: Arc::new(Semaphore::new(size)), size }
    }

    /// Runs `f` with a connection on a blocking thread, once one is free.
    pub(crate) async fn run<T: Send + 'static>(self: &Arc<Self>, f: impl FnOnce(&mut C) -> T + Send + 'static) -> Result<T, Response> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| unavailable("the server is stopping"))?;
        let this = self.clone();
        let job = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut conn = match this.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
                Some(c) => c,
                None => C::open(&this.at).map_err(|e| format!("the database could not be opened for {}: {e}", this.what))?,
            };
            let out = f(&mut conn);
            if !conn.is_broken() {
                this.idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            }
            Ok::<T, String>(out)
        });
        match job.await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(e)) => Err(unavailable(e)),
            Err(e) => Err(unavailable(format!("the database work failed: {e}"))),
        }
    }

    /// Waits (up to `wait`) until no connection is in use, and takes them all.
    async fn drain(&self, wait: Duration) {
        let _ = tokio::time::timeout(wait, self.permits.acquire_many(self.size as u32)).await;
    }
}

fn parse_location(s: &str) -> Result<Location, String> {
    if s.trim().is_empty() {
        return Err("give a SQLite file or a postgres:// URL".into());
    }
    Ok(Location::parse(s))
}

pub(crate) fn unavailable(message: impl Into<String>) -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, message)
}

/// The access token: `--token`, else `--token-file`, else `PHIEU_TOKEN`.
fn token(opts: &Options) -> Result<Option<String>, String> {
    let token = if let Some(t) = &opts.token {
        eprintln!("phieu serve: warning: --token shows the token to anyone on this machine who runs `ps`; use PHIEU_TOKEN or --token-file");
        Some(t.clone())
    } else if let Some(file) = &opts.token_file {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read --token-file {}: {e}", file.display()))?;
        let first = text.lines().next().unwrap_or("").trim().to_string();
        if first.is_empty() {
            return Err(format!("--token-file {} is empty; put the token on its first line", file.display()));
        }
        Some(first)
    } else {
        match std::env::var("PHIEU_TOKEN") {
            Ok(t) if t.trim().is_empty() => return Err("PHIEU_TOKEN is set but empty; unset it or give it the token".into()),
            Ok(t) => Some(t.trim().to_string()),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => return Err("PHIEU_TOKEN is not valid text".into()),
        }
    };
    if let Some(t) = &token {
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the access token must be printable ASCII without spaces: it travels in an HTTP header".into());
        }
    }
    Ok(token)
}

pub fn run(opts: Options) -> Result<(), String> {
    let token = token(&opts)?;
    let mut store = Store::open(&opts.db).map_err(|e| format!("cannot open the database {}: {e}", opts.db))?;
    let first_start = store.no_accounts().map_err(|e| format!("cannot read the accounts in {}: {e}", opts.db))?;
    let writers = if store.kind() == Kind::Postgres { PG_WRITERS } else { 1 };
    if !opts.dist.join("index.html").is_file() {
        eprintln!(
            "phieu serve: warning: {} has no index.html, so only the API is served; build the app with `trunk build --release`",
            opts.dist.display()
        );
    }
    let forms = match &opts.forms {
        Some(dir) => load_forms(dir)?,
        None => HashMap::new(),
    };
    let faults = opts.faults.as_deref().map(Faults::parse).transpose().map_err(|e| format!("--faults: {e}"))?;
    let files_dir = match (&opts.files, &opts.db) {
        (Some(dir), _) => Some(dir.clone()),
        (None, Location::File(db)) => Some(db.parent().map_or_else(|| PathBuf::from("files"), |p| p.join("files"))),
        (None, Location::Postgres(_)) => {
            eprintln!(
                "phieu serve: warning: no --files: reports with photos or other files are refused until it is given \
                 (on PostgreSQL, a folder every instance shares; docs/deploy.md)"
            );
            None
        }
    };
    let files = crate::files::Files::open(files_dir, opts.max_file)?;
    let state = Arc::new(AppState {
        writers: Arc::new(Pool::new(opts.db.clone(), "writing", writers, Some(store))),
        readers: Arc::new(Pool::new(opts.db.clone(), "reading", READERS, None)),
        max_body: opts.max_body,
        body_timeout: Duration::from_secs(opts.body_timeout),
        forms,
        token: token.as_deref().map(crate::secret::digest),
        allow_anonymous: opts.allow_anonymous,
        public_url: opts.url.clone().map(std::sync::OnceLock::from).unwrap_or_default(),
        faults,
        utc_offset: opts.utc_offset,
        files,
    });
    let statics = Arc::new(Statics::new(&opts.dist));
    let api = Router::new()
        .route("/api/submissions", post(receive).get(list))
        .route("/api/submissions.csv", get(list_csv))
        .route("/api/submissions.json", get(list_json))
        .route("/api/submissions/{id}", get(office::detail))
        .route("/api/submissions/{id}/status", post(office::set_status))
        .route("/api/summary", get(summary))
        .route("/api/feed", get(office::feed))
        .route("/api/announcements", post(office::announce))
        .route("/api/me", get(office::me))
        .route("/api/session", get(office::session_get).post(office::session_open).delete(office::session_close))
        .route("/api/accounts", get(office::accounts).post(office::add_account))
        .route("/api/accounts/{id}/revoke", post(office::revoke_account))
        .route("/api/files/missing", post(crate::files::missing))
        .route("/api/files/{sha256}", get(crate::files::get).put(crate::files::put));
    // The build's own brotli (quality 11) and gzip copies, where they exist.
    let files = Router::new()
        .fallback_service(ServeDir::new(&opts.dist).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(tag_by_content))
        .layer(middleware::from_fn_with_state(statics.clone(), statics::guard));
    let mut app = Router::new()
        .merge(api)
        .route("/api/health", get(|| async { "ok" }))
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        // Everything else compressed on the fly (what is compressed already is left alone).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(middleware::from_fn_with_state(statics, statics::headers))
        .with_state(state.clone());
    if !opts.cors_origins.is_empty() {
        app = app.layer(cors(&opts.cors_origins)?);
    }

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    let writers = state.writers.clone();
    let served = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e} (is another server using that port? try --addr 127.0.0.1:0)", opts.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests read this first line to learn the port.
        let files = state.files.dir.as_ref().map_or_else(|| "none".to_string(), |d| d.display().to_string());
        println!("phieu serve: listening on http://{addr} (database {}, app {}, files {files})", opts.db, opts.dist.display());
        let _ = state.public_url.set(format!("http://{addr}"));
        // The first start makes an admin, so a newcomer can read reports at
        // once; only once listening, so a failed start strands no account.
        if first_start {
            let url = state.public_url().to_string();
            let made = state
                .writers
                .run(move |store| {
                    let Some(admin) = store.first_admin(&crate::time::now_rfc3339())? else { return Ok(None) };
                    let link = crate::users::signin_link(store, &admin, &url)?;
                    Ok::<_, String>(Some((admin, link)))
                })
                .await
                .map_err(|_| "the database could not be reached at the first start".to_string())??;
            if let Some((admin, link)) = made {
                println!("phieu serve: first start: made an admin account ({}); sign in once, within 24 hours, at", admin.id);
                println!("link: {link}");
                println!("phieu serve: another link: phieu users link --db {} {}", opts.db, admin.id);
            }
        }
        if !state.allow_anonymous {
            eprintln!("phieu serve: submitting needs a credential (phieu users add …); --allow-anonymous lets anyone submit");
        }
        if let Some(f) = &state.faults {
            eprintln!("phieu serve: test mode, injecting faults: {f:?}");
        }
        let limits = Limits {
            max_connections: opts.max_connections as usize,
            header_timeout: Duration::from_secs(opts.header_timeout),
            write_timeout: Duration::from_secs(opts.body_timeout),
            shutdown_grace: SHUTDOWN_GRACE,
            cuttable: state.faults.is_some(),
        };
        listen::serve(listener, app, limits, shutdown()).await;
        // A commit under way finishes (its phone gets no answer, and resends).
        writers.drain(Duration::from_secs(2)).await;
        Ok(())
    });
    // Readers still streaming to a client are not waited for.
    rt.shutdown_timeout(Duration::from_millis(200));
    served
}

fn cors(origins: &[String]) -> Result<CorsLayer, String> {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let list = origins
            .iter()
            .map(|o| HeaderValue::from_str(o).map_err(|_| format!("--cors-origin '{o}' is not a valid origin")))
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(list)
    };
    Ok(CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::HeaderName::from_static("idempotency-key")])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(3600)))
}

/// Reads every form definition in `dir`; a broken one is reported and skipped.
fn load_forms(dir: &Path) -> Result<HashMap<String, (String, Form)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read --forms {}: {e}", dir.display()))?;
    let mut forms = HashMap::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") || path.file_name().is_some_and(|n| n == "index.json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let loaded = crate::check::load_form(&path, &text);
        match loaded.form {
            Some(form) => {
                let id = form.id.clone().unwrap_or_else(|| phieu_core::submission::form_id_from_url(&path.to_string_lossy()));
                eprintln!("phieu serve: checking submissions of form '{id}' version {} ({})", form.version, path.display());
                forms.insert(id, (form.version.clone(), form));
            }
            None => {
                for d in loaded.errors() {
                    eprintln!("phieu serve: warning: skipping {}:{d}", path.display());
                }
            }
        }
    }
    Ok(forms)
}

/// The app's JSON (forms, their lists, config.json) is revalidated by its
/// bytes, not its time: `Last-Modified` counts whole seconds, so a list
/// rewritten within the second of the copy a phone held was answered
/// "304 Not Modified" and a new report kept the old options.
async fn tag_by_content(mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::GET || !path.ends_with(".json") || is_hashed(path) {
        return next.run(req).await;
    }
    req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    let asked = req.headers_mut().remove(header::IF_NONE_MATCH);
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 64 << 20).await else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    use sha2::Digest;
    let digest = sha2::Sha256::digest(&bytes);
    let tag = format!("W/\"{}\"", crate::files::hex(&digest[..12]));
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.insert(header::ETAG, HeaderValue::from_str(&tag).expect("hex is a valid header"));
    if asked.as_ref().and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Files whose name carries a content hash (`app-3f2a…_bg.wasm`) never
/// change, so browsers keep them for good and the service worker's first
/// install reuses what the page just downloaded. Everything else (the page,
/// the service worker, forms, the API) is revalidated: the HTTP cache must
/// never stand between the service worker and a new build.
async fn cache_control(req: Request, next: Next) -> Response {
    let immutable = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let value = if immutable && res.status() == StatusCode::OK { "public, max-age=31536000, immutable" } else { "no-cache" };
    res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static(value));
    res
}

/// Whether a path names a file Trunk hashed: `…-<hex digits>[_bg].ext`, the
/// hash a 64-bit number in hex (so 16 digits, or fewer when it starts with zeros).
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches("_bg");
    stem.rsplit_once('-').is_some_and(|(_, h)| (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} },
            Err(e) => {
                eprintln!("phieu serve: warning: cannot watch for SIGTERM ({e}); stop it with Ctrl-C");
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    eprintln!("phieu serve: stopping");
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// Whether a request says its body is JSON. Anything else is refused: a
/// web page may post `text/plain` or a form to any origin without asking,
/// and JSON may only come with the browser's preflight.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(v) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json")
}

/// Who may submit (and upload files): the account of a Bearer token, or
/// nobody in particular with the shared token or `--allow-anonymous`.
///
/// The sender is whoever the credential names, never what the body says.
/// Only a token counts here. An office's session cookie rides along with
/// any request from a browser where the office is signed in, so the phone
/// app in that browser must not become the office, nor be asked for CSRF.
pub(crate) async fn submitter(st: &AppState, headers: &HeaderMap) -> Result<Option<crate::store::Account>, Response> {
    match office::who(st, headers).await? {
        Who::Account(c) if matches!(c.via, office::Via::Bearer) => Ok(Some(c.account)),
        Who::Shortcut => Ok(None),
        Who::Account(_) | Who::Nobody if st.allow_anonymous => Ok(None),
        Who::Account(_) | Who::Nobody => {
            let mut res = error(
                StatusCode::UNAUTHORIZED,
                "this server needs an access token: enter the one the office gave you in the app's settings, or send Authorization: Bearer <token>",
            );
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            Err(res)
        }
    }
}

/// `--faults`' failure answer.
pub(crate) fn injected_failure(f: &Faults) -> Response {
    let mut res =
        error(StatusCode::from_u16(f.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE), "injected failure (phieu serve --faults)");
    if let Some(s) = f.retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    res
}

async fn receive(State(st): Shared, cut: Option<Extension<Cut>>, headers: HeaderMap, body: Body) -> Response {
    let by = match submitter(&st, &headers).await {
        Ok(by) => by,
        Err(res) => return res,
    };
    if let Some(f) = &st.faults {
        if !f.slow.is_zero() {
            tokio::time::sleep(f.slow).await;
        }
        if f.roll() < f.fail {
            return injected_failure(f);
        }
    }
    let response = store_submission(&st, &headers, body, by).await;
    if let (Some(f), Some(Extension(cut))) = (&st.faults, cut) {
        if response.status().is_success() && f.roll() < f.drop {
            // Stored, but the phone will never hear so: it must resend, and
            // the resend must not make a second row.
            cut.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    response
}

/// A request body read as a submission: the JSON as it will be stored, and
/// its typed view. Refusals carry the status and a message for the sender.
pub fn read_submission(bytes: &[u8], idempotency_key: Option<&[u8]>) -> Result<(Value, Submission), (StatusCode, String)> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| (StatusCode::BAD_REQUEST, format!("the body is not valid JSON: {e}")))?;
    let sub: Submission = Submission::deserialize(&value).map_err(|e| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("not a phieu submission: {e}; expected {{\"id\", \"form\": {{\"id\", \"version\"}}, \"startedAt\", \"completedAt\", \"answers\", \"meta\"}}"),
        )
    })?;
    if sub.id.trim().is_empty() || sub.id.len() > 200 {
        return Err((StatusCode::UNPROCESSABLE_ENTITY, "the submission id must be 1 to 200 characters".into()));
    }
    if let Some(key) = idempotency_key {
        if key != sub.id.as_bytes() {
            return Err((StatusCode::BAD_REQUEST, format!("the Idempotency-Key header does not match the submission id '{}'", sub.id)));
        }
    }
    Ok((value, sub))
}

async fn store_submission(st: &AppState, headers: &HeaderMap, body: Body, by: Option<crate::store::Account>) -> Response {
    if !is_json(headers) {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send the submission as JSON with the header Content-Type: application/json");
    }
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let too_big =
        || error(StatusCode::PAYLOAD_TOO_LARGE, format!("the submission is larger than the server's limit of {} bytes", st.max_body));
    if declared.is_some_and(|n| n > st.max_body) {
        return too_big();
    }
    let bytes = match tokio::time::timeout(st.body_timeout, to_bytes(body, st.max_body)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return too_big(),
        Err(_) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                format!("the submission did not arrive within {} s; send it again", st.body_timeout.as_secs()),
            )
        }
    };
    let (value, sub) = match read_submission(&bytes, headers.get("idempotency-key").map(|k| k.as_bytes())) {
        Ok(read) => read,
        Err((status, message)) => return error(status, message),
    };
    let files = match crate::files::file_items(&sub.answers) {
        Ok(f) => f,
        Err(message) => return error(StatusCode::UNPROCESSABLE_ENTITY, message),
    };
    if let Some(problems) = check_answers(st, &sub) {
        return problems;
    }
    let hashes = match files_here(st, &files).await {
        Ok(h) => h,
        Err(res) => return res,
    };
    let received_at = crate::time::now_rfc3339();
    let (id, form_id, version) = (sub.id.clone(), sub.form.id, sub.form.version);
    let stored = st
        .writers
        .run(move |store| {
            let report = crate::store::Arrival {
                id: &id,
                form_id: &form_id,
                form_version: &version,
                body: &value,
                received_at: &received_at,
                by: by.as_ref(),
            };
            store.insert_with_files(&report, &hashes)
        })
        .await;
    match stored {
        Ok(Ok(Stored::New)) => (StatusCode::CREATED, Json(json!({ "id": sub.id, "status": "stored" }))).into_response(),
        Ok(Ok(Stored::Duplicate)) => (StatusCode::OK, Json(json!({ "id": sub.id, "status": "duplicate" }))).into_response(),
        Ok(Ok(Stored::Conflict)) => error(
            StatusCode::CONFLICT,
            format!("a different submission with id '{}' is already stored; a changed response needs a new id", sub.id),
        ),
        Ok(Err(e)) => unavailable(format!("the database could not store it: {e}")),
        Err(res) => res,
    }
}

/// The distinct hashes of a report's files, once every one is stored here
/// with the size the report says. Otherwise 424 with the hashes missing (the
/// phone sends them, then the report again), or 422 for a wrong size.
async fn files_here(st: &AppState, files: &[crate::files::FileRef]) -> Result<Vec<String>, Response> {
    let mut hashes: Vec<String> = files.iter().map(|f| f.sha256.clone()).collect();
    hashes.sort_unstable();
    hashes.dedup();
    if hashes.is_empty() {
        return Ok(hashes);
    }
    let asked = hashes.clone();
    let found = match st.readers.run(move |r| r.files_present(&asked)).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return Err(unavailable(format!("the database could not be read: {e}"))),
        Err(res) => return Err(res),
    };
    // In the order the answers name them.
    let mut missing: Vec<&str> = Vec::new();
    for f in files {
        match found.get(&f.sha256) {
            None if !missing.contains(&f.sha256.as_str()) => missing.push(&f.sha256),
            Some(&size) if size != f.size => {
                return Err(error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("answer {}: the file {} has {size} bytes here, not the {} the report says", f.at, f.sha256, f.size),
                ))
            }
            _ => {}
        }
    }
    if missing.is_empty() {
        return Ok(hashes);
    }
    let res = (
        StatusCode::FAILED_DEPENDENCY,
        Json(json!({
            "error": format!(
                "{} of the report's files {} not on the server yet: send each with PUT /api/files/<sha256>, then the report again",
                missing.len(),
                if missing.len() == 1 { "is" } else { "are" }
            ),
            "missing": missing,
        })),
    );
    Err(res.into_response())
}

/// With `--forms`: the answers checked as the phone checks them. A
/// submission of another version of the form than the server has is
/// stored unchecked: it was valid for the form it was filled in.
fn check_answers(st: &AppState, sub: &Submission) -> Option<Response> {
    let (version, form) = st.forms.get(&sub.form.id)?;
    if *version != sub.form.version {
        return None;
    }
    // "Today" is the day the person completed the report, not the day it
    // finally arrived after days offline.
    let completed = phieu_core::expr::date_parse(&sub.completed_at, &Clock::default());
    let now_ms = if completed.is_finite() {
        completed
    } else {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
    };
    let clock = Clock { now_ms, utc_offset_min: st.utc_offset };
    let problems = phieu_core::validate::validate_at(form, &sub.answers, &clock);
    // And what no phone would send: unknown names, choices not offered.
    let foreign = phieu_core::validate::unexpected(form, &sub.answers);
    if problems.is_empty() && foreign.is_empty() {
        return None;
    }
    let locale = sub.meta.locale.as_str();
    let all: Vec<(String, String)> = problems.iter().map(|p| (p.question.clone(), p.message(locale))).chain(foreign).collect();
    let list: Vec<Value> = all.iter().map(|(q, m)| json!({"question": q, "message": m})).collect();
    let summary: Vec<String> = all.iter().map(|(q, m)| format!("{q}: {m}")).collect();
    let res = (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "error": format!("the answers do not fit form '{}': {}", sub.form.id, summary.join("; ")), "errors": list })),
    );
    Some(res.into_response())
}

/// A listing's parameters, checked.
#[derive(Debug, PartialEq)]
struct Listing {
    filter: Filter,
    newest_first: bool,
    limit: usize,
    after: Option<i64>,
}

/// The filter's parameters, shared by the listing, the exports and the summary;
/// `also` names the other parameters the caller takes (they are left for it).
fn filter_params(params: &[(String, String)], also: &[&str]) -> Result<(Filter, Vec<(String, String)>), String> {
    let mut f = Filter::default();
    let mut rest = Vec::new();
    let time = |k: &str, v: &str| {
        let ms = phieu_core::expr::date_parse(v, &Clock::default());
        if !ms.is_finite() {
            return Err(format!("{k}: '{v}' is not a date and time; use RFC 3339, e.g. 2026-11-26T00:00:00Z"));
        }
        // As the server writes receivedAt, so that text order is time order.
        Ok(Some(phieu_core::expr::iso_string(ms)))
    };
    for (k, v) in params {
        match k.as_str() {
            "form" => f.form = Some(v.clone()),
            "since" => f.since = time(k, v)?,
            "until" => f.until = time(k, v)?,
            "status" if crate::store::STATUSES.contains(&v.as_str()) => f.status = Some(v.clone()),
            "status" => return Err(format!("status: '{v}' is not one of {}", crate::store::STATUSES.join(", "))),
            "unit" => f.unit = Some(v.clone()),
            "q" => {
                let folded = phieu_core::display::fold(v.trim());
                f.q = (!folded.is_empty()).then_some(folded);
            }
            other if also.contains(&other) => rest.push((k.clone(), v.clone())),
            other => {
                return Err(format!("unknown parameter '{other}'; use form, status, unit, since, until, q{}", {
                    also.iter().map(|a| format!(", {a}")).collect::<String>()
                }))
            }
        }
    }
    Ok((f, rest))
}

fn listing(params: &[(String, String)]) -> Result<Listing, String> {
    let (filter, rest) = filter_params(params, &["limit", "cursor", "order"])?;
    let mut l = Listing { filter, newest_first: true, limit: PAGE_DEFAULT, after: None };
    for (k, v) in rest {
        match k.as_str() {
            "limit" => {
                let n = v.parse::<usize>().ok().filter(|n| *n >= 1);
                l.limit = n.ok_or_else(|| format!("limit: '{v}' is not a whole number from 1 to {PAGE_MAX}"))?.min(PAGE_MAX);
            }
            "cursor" => {
                let n = v.parse::<i64>().ok().filter(|n| *n >= 0);
                l.after = Some(n.ok_or_else(|| format!("cursor: '{v}' is not one this server gave; start again without a cursor"))?);
            }
            _ => match v.as_str() {
                "newest" => l.newest_first = true,
                "oldest" => l.newest_first = false,
                _ => return Err(format!("order: '{v}' is not newest or oldest")),
            },
        }
    }
    Ok(l)
}

/// The caller, if it may read reports, and the filter of its request
/// (an office of one unit reads that unit only).
async fn reading(
    st: &AppState,
    headers: &HeaderMap,
    params: &[(String, String)],
    also: &[&str],
) -> Result<(Filter, Vec<(String, String)>), Response> {
    let c = office::need(st, headers, Role::Office, false).await?;
    let (mut filter, rest) = filter_params(params, also).map_err(|e| error(StatusCode::BAD_REQUEST, e))?;
    office::scope(&c.account, &mut filter)?;
    Ok((filter, rest))
}

/// `{"submissions": [{"receivedAt", "submittedBy", "status", "submission"}…], "next": cursor or null}`,
/// newest first (or `order=oldest`: arrival order), a page at a time: follow
/// `next` until it is null. The cursor is a row's place in arrival order, so
/// rows never come twice or in between; in arrival order, rows that arrive
/// meanwhile come on later pages.
async fn list(State(st): Shared, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    // Who asks comes first: nobody learns even which parameters are right.
    let c = match office::need(&st, &headers, Role::Office, false).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let mut l = match listing(&params) {
        Ok(l) => l,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    if let Err(res) = office::scope(&c.account, &mut l.filter) {
        return res;
    }
    let page = st
        .readers
        .run(move |r| {
            let q =
                PageQuery { filter: &l.filter, newest_first: l.newest_first, after: l.after, limit: l.limit, max_bytes: PAGE_MAX_BYTES };
            r.page(&q).map(|page| {
                let mut out = String::with_capacity(page.rows.iter().map(|r| r.body.len() + 128).sum::<usize>() + 64);
                out.push_str("{\"submissions\":[");
                for (i, row) in page.rows.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    office::row_json(&mut out, row);
                }
                out.push_str("],\"next\":");
                match page.next {
                    Some(seq) => out.push_str(&format!("\"{seq}\"")),
                    None => out.push_str("null"),
                }
                out.push('}');
                out
            })
        })
        .await;
    match page {
        Ok(Ok(body)) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Ok(Err(e)) => unavailable(format!("the database could not be read: {e}")),
        Err(res) => res,
    }
}

/// Bytes of CSV sent at a time.
const CSV_CHUNK: usize = 64 << 10;

/// The whole table of a form, streamed: a first pass over the rows learns
/// the columns (the header comes first, and holds every answer's name), a
/// second writes rows as the client takes them. Memory stays at the columns
/// and one chunk, however many rows; rows that arrive meanwhile wait for the next export.
async fn list_csv(State(st): Shared, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (filter, rest) = match reading(&st, &headers, &params, &["locale"]).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let locale = rest.into_iter().map(|(_, v)| v).next_back().unwrap_or_default();
    let Some(form) = filter.form.clone() else {
        return error(StatusCode::BAD_REQUEST, "say which form: /api/submissions.csv?form=<form id>");
    };
    let (tx, rx) = mpsc::channel(4);
    let (ready_tx, ready_rx) = oneshot::channel();
    let (state, rt) = (st.clone(), tokio::runtime::Handle::current());
    let readers = st.readers.clone();
    tokio::spawn(async move {
        let _ = readers.run(move |r| csv_rows(&state, r, &filter, &locale, ready_tx, tx, rt)).await;
    });
    match ready_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return unavailable(e),
        Err(_) => return unavailable("the database could not be read"),
    }
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, attachment(&form, "csv"))],
        Body::new(ChannelBody(rx)),
    )
        .into_response()
}

fn attachment(name: &str, ext: &str) -> String {
    format!("attachment; filename=\"{}.{ext}\"", name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_', "_"))
}

type Chunk = Result<Bytes, std::io::Error>;

/// On a blocking thread: the two passes of [`list_csv`].
fn csv_rows(
    st: &AppState,
    r: &mut Reader,
    filter: &Filter,
    locale: &str,
    ready: oneshot::Sender<Result<(), String>>,
    tx: mpsc::Sender<Chunk>,
    rt: tokio::runtime::Handle,
) {
    let base = st.public_url();
    let empty = Map::new();
    // Answers as exported: a place in three columns, files as links.
    let answers = |v: &Value| crate::files::export_answers(v.get("answers").and_then(Value::as_object).unwrap_or(&empty), base);
    let (mut seen, mut order) = (std::collections::HashSet::new(), Vec::new());
    let names = r.last_seq(filter).and_then(|last| {
        r.each(filter, last, |row| {
            for k in answers(&body(&row.body)).into_iter().map(|(k, _)| k) {
                if seen.insert(k.clone()) {
                    order.push(k);
                }
            }
            true
        })?;
        Ok(last)
    });
    let last = match names {
        Ok(last) => last,
        Err(e) => {
            let _ = ready.send(Err(format!("the database could not be read: {e}")));
            return;
        }
    };
    let mut table = phieu_core::csv::Table::new("receivedAt");
    // A known form's questions first, in its order: a place as its three columns where the reports have them.
    if let Some((_, f)) = filter.form.as_ref().and_then(|form| st.forms.get(form)) {
        for q in f.questions() {
            let title = q.title.get(locale);
            let parts: Vec<String> =
                crate::files::GEO_PARTS.iter().map(|p| format!("{}.{p}", q.name)).filter(|n| seen.contains(n)).collect();
            for (name, part) in parts.iter().zip(crate::files::GEO_PARTS) {
                table.column(name, &format!("{title} ({part})"));
            }
            if parts.is_empty() || seen.contains(&q.name) {
                table.column(&q.name, title);
            }
        }
    }
    for name in &order {
        table.column(name, name);
    }
    if ready.send(Ok(())).is_err() {
        return;
    }
    // A client that takes nothing for this long is given up on.
    let stall = st.body_timeout;
    let send = |chunk: Chunk| rt.block_on(tx.send_timeout(chunk, stall)).is_ok();
    let mut out = String::with_capacity(CSV_CHUNK * 2);
    table.header(&mut out);
    let mut gone = false;
    let rows = r.each(filter, last, |row| {
        let v = body(&row.body);
        let s = |p: &str| v.pointer(p).and_then(Value::as_str).unwrap_or("");
        let fixed = phieu_core::csv::Fixed {
            id: s("/id"),
            form: s("/form/id"),
            form_version: s("/form/version"),
            started_at: s("/startedAt"),
            completed_at: s("/completedAt"),
            locale: s("/meta/locale"),
            last: &row.received_at,
        };
        table.row(&mut out, &fixed, &answers(&v));
        if out.len() >= CSV_CHUNK {
            gone = !send(Ok(Bytes::from(std::mem::replace(&mut out, String::with_capacity(CSV_CHUNK * 2)))));
        }
        !gone
    });
    finish(rows, gone, out, send);
}

/// The end of a streamed export: the last chunk, or the transfer cut when
/// the database failed (the client sees it cut, not a short file that looks whole).
fn finish(rows: crate::store::Result<()>, gone: bool, out: String, send: impl Fn(Chunk) -> bool) {
    match rows {
        Ok(()) if !gone && !out.is_empty() => {
            send(Ok(Bytes::from(out)));
        }
        Ok(()) => {}
        Err(e) => {
            send(Err(std::io::Error::other(format!("the database could not be read: {e}"))));
        }
    }
}

/// `GET /api/submissions.json`: every report the filter shows, oldest
/// first, as one JSON array of listing rows, streamed.
async fn list_json(State(st): Shared, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (filter, _) = match reading(&st, &headers, &params, &[]).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let name = filter.form.clone().unwrap_or_else(|| "submissions".into());
    let (tx, rx) = mpsc::channel(4);
    let (stall, rt, readers) = (st.body_timeout, tokio::runtime::Handle::current(), st.readers.clone());
    tokio::spawn(async move {
        let _ = readers
            .run(move |r| {
                let send = |chunk: Chunk| rt.block_on(tx.send_timeout(chunk, stall)).is_ok();
                let (mut out, mut gone, mut first) = (String::from("["), false, true);
                let rows = r.last_seq(&filter).and_then(|last| {
                    r.each(&filter, last, |row| {
                        if !std::mem::take(&mut first) {
                            out.push(',');
                        }
                        office::row_json(&mut out, &row);
                        if out.len() >= CSV_CHUNK {
                            gone = !send(Ok(Bytes::from(std::mem::take(&mut out))));
                        }
                        !gone
                    })
                });
                out.push(']');
                finish(rows, gone, out, send);
            })
            .await;
    });
    (
        [(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, attachment(&name, "json"))],
        Body::new(ChannelBody(rx)),
    )
        .into_response()
}

/// `GET /api/summary?question=&…filter`: how many reports per day (in
/// `--utc-offset` local time) and per value of one choice question.
async fn summary(State(st): Shared, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (filter, rest) = match reading(&st, &headers, &params, &["question"]).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let question = rest.into_iter().map(|(_, v)| v).next_back();
    let offset_ms = st.utc_offset * 60_000.0;
    let counted = st
        .readers
        .run(move |r| {
            let (mut days, mut values, mut total) = (std::collections::BTreeMap::<String, u64>::new(), Vec::<(Value, u64)>::new(), 0u64);
            // Where each value is in `values` (kept in the order values first appear).
            let mut index = HashMap::<String, usize>::new();
            let last = r.last_seq(&filter)?;
            r.each(&filter, last, |row| {
                total += 1;
                let ms = phieu_core::expr::date_parse(&row.received_at, &Clock::default());
                let day = phieu_core::expr::iso_string(ms + offset_ms).get(..10).unwrap_or("").to_string();
                *days.entry(day).or_default() += 1;
                if let Some(q) = &question {
                    let answer = body(&row.body).get("answers").and_then(|a| a.get(q.as_str())).cloned();
                    let each = match answer {
                        Some(Value::Array(list)) => list,
                        Some(v) => vec![v],
                        None => vec![],
                    };
                    for v in each {
                        match index.get(&v.to_string()) {
                            Some(&i) => values[i].1 += 1,
                            None => {
                                index.insert(v.to_string(), values.len());
                                values.push((v, 1));
                            }
                        }
                    }
                }
                true
            })?;
            Ok::<_, crate::store::Error>(json!({
                "total": total,
                "days": days.into_iter().map(|(day, count)| json!({"day": day, "count": count})).collect::<Vec<_>>(),
                "values": values.into_iter().map(|(value, count)| json!({"value": value, "count": count})).collect::<Vec<_>>(),
            }))
        })
        .await;
    match counted {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => unavailable(format!("the database could not be read: {e}")),
        Err(res) => res,
    }
}

/// A stored body as JSON (a string if it somehow is not JSON).
fn body(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// A response body fed by a channel.
pub(crate) struct ChannelBody(pub(crate) mpsc::Receiver<Chunk>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.0.poll_recv(cx).map(|m| m.map(|r| r.map(http_body::Frame::data)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bearer_is_any_case() {
        use crate::office::bearer;
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bEaReR   a.b=c"), Some("a.b=c"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
    }

    #[test]
    fn listing_parameters_are_checked() {
        let p = |q: &[(&str, &str)]| listing(&q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>());
        assert_eq!(p(&[]).unwrap(), Listing { filter: Filter::default(), newest_first: true, limit: 100, after: None });
        let l =
            p(&[("limit", "99999"), ("cursor", "42"), ("since", "2026-11-26T07:00:00+07:00"), ("form", "f"), ("order", "oldest")]).unwrap();
        let filter = Filter { form: Some("f".into()), since: Some("2026-11-26T00:00:00.000Z".into()), ..Filter::default() };
        assert_eq!(l, Listing { filter, newest_first: false, limit: 1000, after: Some(42) });
        let l = p(&[("status", "answered"), ("unit", "ha-dong"), ("q", " Hà  ĐÔNG "), ("until", "2026-11-27T00:00:00Z")]).unwrap();
        assert_eq!(
            (l.filter.status.as_deref(), l.filter.unit.as_deref(), l.filter.q.as_deref()),
            (Some("answered"), Some("ha-dong"), Some("ha  dong"))
        );
        assert!(p(&[("status", "done")]).unwrap_err().contains("is not one of new, received"));
        assert!(p(&[("order", "up")]).is_err());
        assert!(p(&[("token", "x")]).unwrap_err().contains("unknown parameter 'token'"));
    }

    fn submission_json() -> impl Strategy<Value = Value> {
        let answer =
            prop_oneof![any::<String>().prop_map(Value::from), any::<f64>().prop_map(Value::from), any::<bool>().prop_map(Value::from)];
        (any::<String>(), any::<String>(), any::<String>(), proptest::collection::btree_map(any::<String>(), answer, 0..5)).prop_map(
            |(id, form, version, answers)| {
                json!({
                    "id": id, "form": {"id": form, "version": version},
                    "startedAt": "2026-11-26T01:00:00.000Z", "completedAt": "2026-11-26T01:05:00.000Z",
                    "answers": answers, "meta": {"locale": "vi", "appVersion": "0.1.0"}
                })
            },
        )
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_with_a_client_error(bytes in proptest::collection::vec(any::<u8>(), 0..400), key in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20))) {
            match read_submission(&bytes, key.as_deref()) {
                Ok((value, sub)) => prop_assert_eq!(value["id"].as_str(), Some(sub.id.as_str())),
                Err((status, message)) => {
                    prop_assert!([400, 422].contains(&status.as_u16()));
                    prop_assert!(!message.is_empty());
                }
            }
        }

        #[test]
        fn any_submission_is_read_as_sent(v in submission_json()) {
            let bytes = v.to_string();
            let id = v["id"].as_str().unwrap().to_string();
            match read_submission(bytes.as_bytes(), Some(id.as_bytes())) {
                Ok((value, sub)) => {
                    prop_assert!(crate::store::same_json(&value, &v));
                    prop_assert_eq!(sub.id, id);
                }
                Err((status, _)) => prop_assert!(status == StatusCode::UNPROCESSABLE_ENTITY && (id.trim().is_empty() || id.len() > 200)),
            }
        }
    }
}
