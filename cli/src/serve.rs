//! `phieu serve`: a reference receiving server. It serves the built app and
//! takes submissions at `/api/submissions`, storing each exactly once.

use crate::store::{Store, Stored};
use axum::body::{to_bytes, Body};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use phieu_core::Submission;
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

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
}

struct AppState {
    store: Mutex<Store>,
    max_body: usize,
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
    let state = Arc::new(AppState { store: Mutex::new(store), max_body: opts.max_body });
    let app = Router::new()
        .route("/api/submissions", post(receive).get(list))
        .route("/api/submissions.csv", get(list_csv))
        .route("/api/health", get(|| async { "ok" }))
        .fallback_service(ServeDir::new(&opts.dist))
        // The service worker makes the app work offline; the HTTP cache must
        // not stand between it and a new build.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .with_state(state);

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e} (is another server using that port? try --addr 127.0.0.1:0)", opts.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests read this first line to learn the port.
        println!("phieu serve: listening on http://{addr} (database {}, app {})", opts.db.display(), opts.dist.display());
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await.map_err(|e| e.to_string())
    })
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

async fn receive(State(st): Shared, headers: HeaderMap, body: Body) -> Response {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let too_big = || error(StatusCode::PAYLOAD_TOO_LARGE, format!("the submission is larger than the server's limit of {} bytes", st.max_body));
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
    // One column per answer, in the order they first appear.
    let mut names: Vec<String> = Vec::new();
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
    crate::csv::row(&mut out, fixed.iter().map(|s| s.to_string()).chain(names.iter().cloned()));
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
        cells.extend(names.iter().map(|n| b.get("answers").and_then(|a| a.get(n)).map(crate::csv::answer_text).unwrap_or_default()));
        crate::csv::row(&mut out, cells);
    }
    let disposition = format!("attachment; filename=\"{}.csv\"", form.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_', "_"));
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], out).into_response()
}
