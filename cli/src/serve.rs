//! `phieu serve`: a reference receiving server. It serves the built app and
//! takes submissions at `/api/submissions`, storing each exactly once, and
//! checks them with the same `phieu-core` code the phone used.

use crate::faults::{Cut, Cuttable, Faults};
use crate::store::{Store, Stored};
use axum::body::{to_bytes, Body};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use phieu_core::expr::Clock;
use phieu_core::{Form, Submission};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

#[derive(clap::Args)]
pub struct Options {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// SQLite database file; created if missing.
    #[arg(long, default_value = "phieu.db")]
    db: PathBuf,
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
    /// Require `Authorization: Bearer <token>` on the API.
    #[arg(long)]
    token: Option<String>,
    /// Allow the app on this origin (or `*`) to call the API from another origin; repeatable.
    #[arg(long = "cors-origin")]
    cors_origins: Vec<String>,
    /// Misbehave on purpose, for tests: "fail:0.3,drop:0.1,slow:2s,status:503,retry-after:2,seed:1".
    #[arg(long)]
    faults: Option<String>,
    /// Local time's offset from UTC in minutes, for date functions in validation (Vietnam: 420).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    utc_offset: f64,
}

struct AppState {
    store: Mutex<Store>,
    max_body: usize,
    /// Form id → (version, form), from `--forms`.
    forms: HashMap<String, (String, Form)>,
    token: Option<String>,
    faults: Option<Faults>,
    utc_offset: f64,
}

type Shared = State<Arc<AppState>>;

pub fn run(opts: Options) -> Result<(), String> {
    let store = Store::open(&opts.db).map_err(|e| format!("cannot open the database {}: {e}", opts.db.display()))?;
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
    let state = Arc::new(AppState {
        store: Mutex::new(store),
        max_body: opts.max_body,
        forms,
        token: opts.token.clone(),
        faults,
        utc_offset: opts.utc_offset,
    });
    let api = Router::new()
        .route("/api/submissions", post(receive).get(list))
        .route("/api/submissions.csv", get(list_csv))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    let mut app = Router::new()
        .merge(api)
        .route("/api/health", get(|| async { "ok" }))
        // The build's own brotli (quality 11) and gzip copies, where they exist.
        .fallback_service(ServeDir::new(&opts.dist).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(cache_control))
        // Everything else compressed on the fly (what is compressed already is left alone).
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state.clone());
    if !opts.cors_origins.is_empty() {
        app = app.layer(cors(&opts.cors_origins)?);
    }

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e} (is another server using that port? try --addr 127.0.0.1:0)", opts.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests read this first line to learn the port.
        println!("phieu serve: listening on http://{addr} (database {}, app {})", opts.db.display(), opts.dist.display());
        if let Some(f) = &state.faults {
            eprintln!("phieu serve: test mode, injecting faults: {f:?}");
            return serve_cuttable(listener, app).await;
        }
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await.map_err(|e| e.to_string())
    })
}

/// Serves each connection through [`Cuttable`], so a handler can drop it.
async fn serve_cuttable(listener: tokio::net::TcpListener, app: Router) -> Result<(), String> {
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => continue,
            },
            _ = &mut stop => return Ok(()),
        };
        let cut = Cut::default();
        let service = hyper_util::service::TowerToHyperService::new(app.clone().layer(Extension(cut.clone())));
        let io = hyper_util::rt::TokioIo::new(Cuttable { inner: stream, cut });
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
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
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
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
        let loaded = phieu_core::load(&text);
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
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn require_token(State(st): Shared, req: Request, next: Next) -> Response {
    if let Some(token) = &st.token {
        let given = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if given != Some(token.as_str()) {
            let mut res = error(StatusCode::UNAUTHORIZED, "this server needs an access token: send Authorization: Bearer <token>");
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return res;
        }
    }
    next.run(req).await
}

async fn receive(State(st): Shared, cut: Option<Extension<Cut>>, headers: HeaderMap, body: Body) -> Response {
    if let Some(f) = &st.faults {
        if !f.slow.is_zero() {
            tokio::time::sleep(f.slow).await;
        }
        if f.roll() < f.fail {
            let mut res =
                error(StatusCode::from_u16(f.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE), "injected failure (phieu serve --faults)");
            if let Some(s) = f.retry_after {
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
            }
            return res;
        }
    }
    let response = store_submission(&st, &headers, body).await;
    if let (Some(f), Some(Extension(cut))) = (&st.faults, cut) {
        if response.status().is_success() && f.roll() < f.drop {
            // Stored, but the phone will never hear so: it must resend, and
            // the resend must not make a second row.
            cut.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    response
}

async fn store_submission(st: &AppState, headers: &HeaderMap, body: Body) -> Response {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let too_big =
        || error(StatusCode::PAYLOAD_TOO_LARGE, format!("the submission is larger than the server's limit of {} bytes", st.max_body));
    if declared.is_some_and(|n| n > st.max_body) {
        return too_big();
    }
    let Ok(bytes) = to_bytes(body, st.max_body).await else { return too_big() };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("the body is not valid JSON: {e}")),
    };
    let sub: Submission = match serde_json::from_value(value.clone()) {
        Ok(s) => s,
        Err(e) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("not a phieu submission: {e}; expected {{\"id\", \"form\": {{\"id\", \"version\"}}, \"startedAt\", \"completedAt\", \"answers\", \"meta\"}}"),
            )
        }
    };
    if sub.id.trim().is_empty() || sub.id.len() > 200 {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "the submission id must be 1 to 200 characters");
    }
    if let Some(key) = headers.get("idempotency-key") {
        if key.as_bytes() != sub.id.as_bytes() {
            return error(StatusCode::BAD_REQUEST, format!("the Idempotency-Key header does not match the submission id '{}'", sub.id));
        }
    }
    if let Some(problems) = check_answers(st, &sub) {
        return problems;
    }
    let received_at = crate::time::now_rfc3339();
    let stored = {
        let mut store = st.store.lock().unwrap_or_else(|p| p.into_inner());
        store.insert(&sub.id, &sub.form.id, &sub.form.version, &value, &received_at)
    };
    match stored {
        Ok(Stored::New) => (StatusCode::CREATED, Json(json!({ "id": sub.id, "status": "stored" }))).into_response(),
        Ok(Stored::Duplicate) => (StatusCode::OK, Json(json!({ "id": sub.id, "status": "duplicate" }))).into_response(),
        Ok(Stored::Conflict) => error(
            StatusCode::CONFLICT,
            format!("a different submission with id '{}' is already stored; a changed response needs a new id", sub.id),
        ),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("the database could not store it: {e}")),
    }
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
    if problems.is_empty() {
        return None;
    }
    let locale = sub.meta.locale.as_str();
    let list: Vec<Value> = problems.iter().map(|p| json!({"question": p.question, "message": p.message(locale)})).collect();
    let summary: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.question, p.message(locale))).collect();
    let res = (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "error": format!("the answers do not fit form '{}': {}", sub.form.id, summary.join("; ")), "errors": list })),
    );
    Some(res.into_response())
}

#[derive(Deserialize)]
struct Filter {
    form: Option<String>,
}

async fn list(State(st): Shared, Query(f): Query<Filter>) -> Response {
    let rows = st.store.lock().unwrap_or_else(|p| p.into_inner()).list(f.form.as_deref());
    match rows {
        Ok(rows) => {
            let out: Vec<Value> = rows.into_iter().map(|r| json!({ "receivedAt": r.received_at, "submission": r.body })).collect();
            Json(out).into_response()
        }
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("the database could not be read: {e}")),
    }
}

async fn list_csv(State(st): Shared, Query(f): Query<Filter>) -> Response {
    let Some(form) = f.form else {
        return error(StatusCode::BAD_REQUEST, "say which form: /api/submissions.csv?form=<form id>");
    };
    let rows = match st.store.lock().unwrap_or_else(|p| p.into_inner()).list(Some(&form)) {
        Ok(rows) => rows,
        Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, format!("the database could not be read: {e}")),
    };
    // One column per answer: the form's questions in order when the server
    // knows the form, then any others in the order they first appear.
    let mut names: Vec<String> = st.forms.get(&form).map(|(_, f)| f.questions().map(|q| q.name.clone()).collect()).unwrap_or_default();
    for r in &rows {
        if let Some(answers) = r.body.get("answers").and_then(Value::as_object) {
            for k in answers.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
    }
    let mut out = String::from("\u{feff}");
    let fixed = ["id", "formVersion", "startedAt", "completedAt", "receivedAt", "locale"];
    phieu_core::csv::row(&mut out, fixed.iter().map(|s| s.to_string()).chain(names.iter().cloned()));
    for r in &rows {
        let b = &r.body;
        let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
        let mut cells = vec![
            s(b.get("id")),
            s(b.pointer("/form/version")),
            s(b.get("startedAt")),
            s(b.get("completedAt")),
            r.received_at.clone(),
            s(b.pointer("/meta/locale")),
        ];
        cells.extend(names.iter().map(|n| b.get("answers").and_then(|a| a.get(n)).map(phieu_core::csv::answer_text).unwrap_or_default()));
        phieu_core::csv::row(&mut out, cells);
    }
    let disposition =
        format!("attachment; filename=\"{}.csv\"", form.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_', "_"));
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], out).into_response()
}
