//! Who is asking, and the office's side of the two-way channel: sessions,
//! reading reports, status and replies, the feed, announcements, a summary,
//! accounts. The contract is docs/office.md.

// A refusal is the answer itself, made at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use crate::secret;
use crate::serve::{error, unavailable, AppState, Shared};
use crate::store::{Account, Filter, Role, Store};
use axum::body::{to_bytes, Body};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

/// The session cookie's name, and how long a session lasts.
const COOKIE: &str = "phieu_session";
const SESSION_MS: f64 = 12.0 * 3600.0 * 1000.0;
/// The header a page's state-changing request must carry with the session's CSRF value.
pub const CSRF_HEADER: &str = "x-phieu-csrf";
/// Largest body of an office request (a reply, an announcement).
const OFFICE_BODY_MAX: usize = 64 << 10;
/// One password check at a time, and a wrong one holds the turn for a
/// second: guessing is slow, and argon2's CPU never crowds out the reports.
static PASSWORD_TURN: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
const WRONG_PASSWORD_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);
/// A hash of nothing anyone knows, made once, to check unknown names against.
fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::users::hash_password("no account has this password").unwrap_or_default())
}

/// Feed pages: default and largest.
const FEED_DEFAULT: usize = 100;
const FEED_MAX: usize = 500;

/// How a caller proved who it is.
pub enum Via {
    Bearer,
    /// A session cookie: the digest of its secret, and whether the request carried its CSRF value.
    Cookie {
        session: [u8; 32],
        csrf_ok: bool,
    },
}

pub struct Caller {
    pub account: Account,
    pub via: Via,
}

pub enum Who {
    Nobody,
    /// The server's own `--token` (or `PHIEU_TOKEN`): it may submit, nothing more.
    Shortcut,
    Account(Caller),
}

/// The credentials of `Authorization: Bearer <token>`; the scheme is
/// case-insensitive (RFC 9110, 11.1).
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim_start_matches(' '))
}

/// The value of the session cookie, if the request has one.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}

fn unauthorized(message: &str) -> Response {
    let mut res = error(StatusCode::UNAUTHORIZED, message);
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    res
}

/// Who sent a request: a Bearer token wins over a cookie. A token that is
/// wrong or revoked is refused (401) rather than taken as nobody.
pub async fn who(st: &AppState, headers: &HeaderMap) -> Result<Who, Response> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let Some(token) = value.to_str().ok().and_then(bearer).map(str::to_string) else {
            return Err(unauthorized("send the token as Authorization: Bearer <token>"));
        };
        if st.token.is_some_and(|t| secret::same_digest(&secret::digest(&token), &t)) {
            return Ok(Who::Shortcut);
        }
        let found = st.readers.run(move |r| r.account_by_token(&token)).await?;
        return match found {
            Ok(Some(account)) => Ok(Who::Account(Caller { account, via: Via::Bearer })),
            Ok(None) => Err(unauthorized("this access token is not valid or was revoked; ask the office for a new one")),
            Err(e) => Err(unavailable(format!("the database could not be read: {e}"))),
        };
    }
    if let Some(cookie) = session_cookie(headers) {
        let hash = secret::digest(cookie);
        let csrf_ok = headers
            .get(CSRF_HEADER)
            .is_some_and(|v| secret::same_digest(&secret::digest(&secret::csrf_of(cookie)), &secret::digest(v.to_str().unwrap_or(""))));
        let now = crate::time::now_rfc3339();
        let found = st.readers.run(move |r| r.account_by_session(&hash, &now)).await?;
        return match found {
            Ok(Some(account)) => Ok(Who::Account(Caller { account, via: Via::Cookie { session: hash, csrf_ok } })),
            Ok(None) => Ok(Who::Nobody),
            Err(e) => Err(unavailable(format!("the database could not be read: {e}"))),
        };
    }
    Ok(Who::Nobody)
}

/// The caller, if it has at least `role`; `changes` says the request changes
/// something, so a cookie must come with the CSRF header.
pub async fn need(st: &AppState, headers: &HeaderMap, role: Role, changes: bool) -> Result<Caller, Response> {
    match who(st, headers).await? {
        Who::Nobody => Err(unauthorized("sign in first: open your sign-in link, or send Authorization: Bearer <token>")),
        Who::Shortcut => Err(error(StatusCode::FORBIDDEN, "the server's shared token may only submit reports; use an account's token")),
        Who::Account(c) => {
            check_csrf(&c, changes)?;
            if c.account.role < role {
                let what = if role == Role::Admin { "an admin account" } else { "an office or admin account" };
                return Err(error(StatusCode::FORBIDDEN, format!("this needs {what}; yours may submit reports and read their replies")));
            }
            Ok(c)
        }
    }
}

pub fn check_csrf(c: &Caller, changes: bool) -> Result<(), Response> {
    if let Via::Cookie { csrf_ok: false, .. } = c.via {
        if changes {
            return Err(error(
                StatusCode::FORBIDDEN,
                "a request that changes something must carry the header X-Phieu-CSRF with the value GET /api/session gives",
            ));
        }
    }
    Ok(())
}

/// A JSON request body of at most [`OFFICE_BODY_MAX`] bytes, read as `T`.
async fn read_json<T: DeserializeOwned>(st: &AppState, headers: &HeaderMap, body: Body) -> Result<T, Response> {
    if !crate::serve::is_json(headers) {
        return Err(error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send JSON with the header Content-Type: application/json"));
    }
    let bytes = match tokio::time::timeout(st.body_timeout, to_bytes(body, OFFICE_BODY_MAX)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return Err(error(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is larger than {OFFICE_BODY_MAX} bytes"))),
        Err(_) => return Err(error(StatusCode::REQUEST_TIMEOUT, "the body did not arrive in time; send it again")),
    };
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| error(StatusCode::BAD_REQUEST, format!("the body is not valid JSON: {e}")))?;
    T::deserialize(&value).map_err(|e| error(StatusCode::UNPROCESSABLE_ENTITY, format!("{e}")))
}

/// Runs `f` with a writer on a blocking thread.
pub async fn write<T: Send + 'static>(st: &AppState, f: impl FnOnce(&mut Store) -> T + Send + 'static) -> Result<T, Response> {
    st.writers.run(f).await
}

fn db_error(e: impl std::fmt::Display) -> Response {
    unavailable(format!("the database could not be used: {e}"))
}

// ---- sessions ----

pub async fn me(State(st): Shared, headers: HeaderMap) -> Response {
    match need(&st, &headers, Role::Collaborator, false).await {
        Ok(c) => Json(c.account.json()).into_response(),
        Err(res) => res,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    signin: Option<String>,
    name: Option<String>,
    password: Option<String>,
}

/// `POST /api/session`: a sign-in link's secret or a name and password, in the body.
pub async fn session_open(State(st): Shared, headers: HeaderMap, body: Body) -> Response {
    let form: SignIn = match read_json(&st, &headers, body).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let now = crate::time::now_rfc3339();
    let account = match (form.signin, form.name, form.password) {
        (Some(s), None, None) => match write(&st, move |w| w.use_signin(&s, &now)).await {
            Ok(Ok(Some(a))) => a,
            Ok(Ok(None)) => {
                return unauthorized("this sign-in link was used already or has expired; ask an admin for a new one (phieu users link ID)")
            }
            Ok(Err(e)) => return db_error(e),
            Err(res) => return res,
        },
        (None, Some(name), Some(password)) => {
            // Busy: say so at once, rather than queue (waiting requests would
            // hold connections until the server has none left for phones).
            let Ok(_turn) = PASSWORD_TURN.try_acquire() else {
                let mut res = error(StatusCode::TOO_MANY_REQUESTS, "another sign-in is being checked; try again in a second");
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return res;
            };
            let found = match st.readers.run(move |r| r.password_of(&name)).await {
                Ok(Ok(found)) => found,
                Ok(Err(e)) => return db_error(e),
                Err(res) => return res,
            };
            // argon2 takes tens of milliseconds of CPU: not on an async worker.
            // An unknown name is checked against a stand-in hash, so the time
            // taken does not tell whether the name exists.
            let checked = tokio::task::spawn_blocking(move || match found {
                Some((a, phc)) => crate::users::verify_password(&password, &phc).then_some(a),
                None => {
                    crate::users::verify_password(&password, stand_in_hash());
                    None
                }
            })
            .await;
            match checked {
                Ok(Some(a)) => a,
                _ => {
                    tokio::time::sleep(WRONG_PASSWORD_PAUSE).await;
                    return unauthorized("the name or the password is wrong");
                }
            }
        }
        _ => return error(StatusCode::UNPROCESSABLE_ENTITY, "send {\"signin\": <the secret after #signin=>} or {\"name\", \"password\"}"),
    };
    if account.role == Role::Collaborator {
        return error(StatusCode::FORBIDDEN, "the office screen is for office and admin accounts");
    }
    let (id, expires, now) =
        (account.id.clone(), phieu_core::expr::iso_string(crate::users::now_ms() + SESSION_MS), crate::time::now_rfc3339());
    let session = match write(&st, move |w| w.open_session(&id, &expires, &now)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return unavailable(e),
        Err(res) => return res,
    };
    let secure = if https(&headers) { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}", (SESSION_MS / 1000.0) as u64);
    let mut res = Json(json!({"account": account.json(), "csrf": secret::csrf_of(&session)})).into_response();
    res.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("a cookie of base64url"));
    res
}

/// Whether the request came over https (a proxy in front says so).
fn https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// `GET /api/session`: the signed-in account and the CSRF value for its requests.
pub async fn session_get(State(st): Shared, headers: HeaderMap) -> Response {
    let c = match need(&st, &headers, Role::Collaborator, false).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    match (&c.via, session_cookie(&headers)) {
        (Via::Cookie { .. }, Some(cookie)) => Json(json!({"account": c.account.json(), "csrf": secret::csrf_of(cookie)})).into_response(),
        _ => error(StatusCode::BAD_REQUEST, "there is no session: a Bearer token needs none"),
    }
}

/// `DELETE /api/session`: signs out.
pub async fn session_close(State(st): Shared, headers: HeaderMap) -> Response {
    let c = match need(&st, &headers, Role::Collaborator, true).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    if let Via::Cookie { session, .. } = c.via {
        if let Err(res) = write(&st, move |w| w.close_session(&session)).await.and_then(|r| r.map_err(db_error)) {
            return res;
        }
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_static("phieu_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"));
    res
}

// ---- reports ----

/// The filter a request may use: its unit is forced for an office of one unit.
pub fn scope(account: &Account, filter: &mut Filter) -> Result<(), Response> {
    if let Some(own) = account.reads_unit() {
        match &filter.unit {
            Some(u) if u != own => {
                return Err(error(StatusCode::FORBIDDEN, format!("your account reads the reports of unit '{own}' only")));
            }
            _ => filter.unit = Some(own.to_string()),
        }
    }
    Ok(())
}

/// A listed report: `{"receivedAt", "submittedBy", "status", "submission"}`.
pub fn row_json(out: &mut String, row: &crate::store::Row) {
    out.push_str("{\"receivedAt\":");
    out.push_str(&Value::from(row.received_at.as_str()).to_string());
    out.push_str(",\"submittedBy\":");
    out.push_str(&row.submitted_by.to_string());
    out.push_str(",\"status\":");
    out.push_str(&Value::from(row.status.as_str()).to_string());
    out.push_str(",\"submission\":");
    // Stored as JSON text; sent as it is, unless it is somehow not JSON.
    if serde_json::from_str::<serde::de::IgnoredAny>(&row.body).is_ok() {
        out.push_str(&row.body);
    } else {
        out.push_str(&Value::from(row.body.as_str()).to_string());
    }
    out.push('}');
}

/// `GET /api/submissions/{id}`: one report with its history.
pub async fn detail(State(st): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let c = match need(&st, &headers, Role::Office, false).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let found = match st.readers.run(move |r| r.submission(&id)).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return db_error(e),
        Err(res) => return res,
    };
    let unit = c.account.reads_unit();
    // Another unit's report is as good as missing: its existence is not told.
    match found.filter(|(row, _)| unit.is_none() || row.submitted_by["unit"].as_str() == unit) {
        Some((row, history)) => {
            let mut out = String::new();
            row_json(&mut out, &row);
            out.pop();
            out.push_str(",\"history\":");
            out.push_str(&Value::Array(history.into_iter().map(|e| e.json).collect()).to_string());
            out.push('}');
            ([(header::CONTENT_TYPE, "application/json")], out).into_response()
        }
        None => error(StatusCode::NOT_FOUND, "there is no such report (or it is another unit's)"),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusChange {
    status: Option<String>,
    reply: Option<String>,
}

/// `POST /api/submissions/{id}/status`: `{"status", "reply"}`, either or both.
pub async fn set_status(State(st): Shared, headers: HeaderMap, Path(id): Path<String>, body: Body) -> Response {
    let c = match need(&st, &headers, Role::Office, true).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let change: StatusChange = match read_json(&st, &headers, body).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    if let Some(s) = &change.status {
        if !crate::store::STATUSES.contains(&s.as_str()) {
            return error(StatusCode::UNPROCESSABLE_ENTITY, format!("status '{s}' is not one of {}", crate::store::STATUSES.join(", ")));
        }
    }
    let reply = change.reply.filter(|r| !r.trim().is_empty());
    if change.status.is_none() && reply.is_none() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "send a status, a reply, or both: {\"status\": \"answered\", \"reply\": \"…\"}");
    }
    let (now, unit, key) = (crate::time::now_rfc3339(), c.account.reads_unit().map(str::to_string), id.clone());
    let done = write(&st, move |w| w.set_status(&key, unit.as_deref(), change.status.as_deref(), reply.as_deref(), &c.account, &now)).await;
    match done {
        Ok(Ok(Some(_))) => detail(State(st), headers, Path(id)).await,
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "there is no such report (or it is another unit's)"),
        Ok(Err(e)) => db_error(e),
        Err(res) => res,
    }
}

// ---- the feed and announcements ----

/// `GET /api/feed?since=CURSOR&limit=N`.
pub async fn feed(State(st): Shared, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    let c = match need(&st, &headers, Role::Collaborator, false).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let (mut since, mut limit) = (0i64, FEED_DEFAULT);
    for (k, v) in params {
        match k.as_str() {
            "since" if v.is_empty() => {}
            "since" => match v.parse::<i64>() {
                Ok(n) if n >= 0 => since = n,
                _ => {
                    return error(StatusCode::BAD_REQUEST, format!("since: '{v}' is not a cursor this server gave; start again without it"))
                }
            },
            "limit" => match v.parse::<usize>() {
                Ok(n) if n >= 1 => limit = n.min(FEED_MAX),
                _ => return error(StatusCode::BAD_REQUEST, format!("limit: '{v}' is not a whole number from 1 to {FEED_MAX}")),
            },
            other => return error(StatusCode::BAD_REQUEST, format!("unknown parameter '{other}'; use since and limit")),
        }
    }
    let events = match st.readers.run(move |r| r.feed(&c.account, since, limit)).await {
        Ok(Ok(e)) => e,
        Ok(Err(e)) => return db_error(e),
        Err(res) => return res,
    };
    let next = events.last().map_or(since, |e| e.seq);
    let more = events.len() == limit;
    Json(json!({"events": events.into_iter().map(|e| e.json).collect::<Vec<_>>(), "next": next.to_string(), "more": more})).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Announcement {
    #[serde(default = "announcement")]
    kind: String,
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    unit: Option<String>,
}

fn announcement() -> String {
    "announcement".into()
}

/// `POST /api/announcements`: to everyone, or to one unit. An office of one unit announces to its unit.
pub async fn announce(State(st): Shared, headers: HeaderMap, body: Body) -> Response {
    let c = match need(&st, &headers, Role::Office, true).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let a: Announcement = match read_json(&st, &headers, body).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    if a.kind != "announcement" && a.kind != "topic" {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "kind must be \"announcement\" or \"topic\"");
    }
    if a.title.trim().is_empty() || a.title.chars().count() > 500 {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "the title must be 1 to 500 characters");
    }
    let unit = match (c.account.reads_unit(), a.unit) {
        (Some(own), Some(u)) if u != own => return error(StatusCode::FORBIDDEN, format!("your account announces to unit '{own}' only")),
        (Some(own), _) => Some(own.to_string()),
        (None, u) => u,
    };
    let now = crate::time::now_rfc3339();
    let (kind, title, text, u) = (a.kind.clone(), a.title.clone(), a.body.clone(), unit.clone());
    match write(&st, move |w| w.announce(&kind, &title, &text, u.as_deref(), &c.account, &now)).await {
        Ok(Ok(seq)) => {
            (StatusCode::CREATED, Json(json!({"seq": seq, "kind": a.kind, "title": a.title, "body": a.body, "unit": unit}))).into_response()
        }
        Ok(Err(e)) => db_error(e),
        Err(res) => res,
    }
}

// ---- accounts (admin) ----

pub async fn accounts(State(st): Shared, headers: HeaderMap) -> Response {
    if let Err(res) = need(&st, &headers, Role::Admin, false).await {
        return res;
    }
    match st.readers.run(|r| r.accounts()).await {
        Ok(Ok(list)) => Json(json!({"accounts": list.iter().map(|a| {
            let mut j = a.json();
            j["created"] = json!(a.created_at);
            j["revoked"] = json!(a.revoked_at);
            j
        }).collect::<Vec<_>>()}))
        .into_response(),
        Ok(Err(e)) => db_error(e),
        Err(res) => res,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    name: String,
    role: String,
    #[serde(default)]
    unit: Option<String>,
}

/// `POST /api/accounts`: `{"name", "role", "unit"}` → the account, its token and link (shown once).
pub async fn add_account(State(st): Shared, headers: HeaderMap, body: Body) -> Response {
    if let Err(res) = need(&st, &headers, Role::Admin, true).await {
        return res;
    }
    let n: NewAccount = match read_json(&st, &headers, body).await {
        Ok(n) => n,
        Err(res) => return res,
    };
    let role = match crate::users::check_account(&n.name, &n.role, n.unit.as_deref()) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::UNPROCESSABLE_ENTITY, e),
    };
    let (now, url) = (crate::time::now_rfc3339(), st.public_url().to_string());
    let made = write(&st, move |w| {
        let (account, token) = w.add_account(&n.name, role, n.unit.as_deref(), &now)?;
        let link = crate::users::link(w, &account, &token, &url)?;
        Ok::<_, String>((account, token, link))
    })
    .await;
    match made {
        Ok(Ok((account, token, link))) => {
            (StatusCode::CREATED, Json(json!({"account": account.json(), "token": token, "link": link}))).into_response()
        }
        Ok(Err(e)) => unavailable(e),
        Err(res) => res,
    }
}

/// `POST /api/accounts/{id}/revoke`.
pub async fn revoke_account(State(st): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    match need(&st, &headers, Role::Admin, true).await {
        // The last admin could lock everyone out of the accounts.
        Ok(c) if c.account.id == id => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "you cannot revoke your own account; another admin can, or `phieu users revoke`",
            )
        }
        Ok(_) => {}
        Err(res) => return res,
    }
    let now = crate::time::now_rfc3339();
    match write(&st, move |w| w.revoke(&id, &now)).await {
        Ok(Ok(true)) => StatusCode::NO_CONTENT.into_response(),
        Ok(Ok(false)) => error(StatusCode::NOT_FOUND, "there is no such account"),
        Ok(Err(e)) => db_error(e),
        Err(res) => res,
    }
}
