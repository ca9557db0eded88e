//! Carries the outbox to the server. The rules live in `phieu_core::outbox`;
//! this file performs the requests and reports what happened.
//!
//! Only one tab sends at a time (a Web Lock), and before each request the
//! entry is read back from storage, with its answers (the outbox in memory
//! holds entries without them), so an entry another tab has just sent is
//! not sent again.

use crate::app::AppState;
use crate::platform::{error_text, now_ms, online, origin_of, random, window};
use crate::storage;
use leptos::prelude::*;
use phieu_core::form::size_text;
use phieu_core::outbox::Verdict;
use phieu_core::{Entry, EntryState, Outcome};
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, RequestRedirect, Response, ResponseType};

const TIMEOUT: Duration = Duration::from_secs(30);

thread_local! {
    static WAKE: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
}

/// Sends whatever is due, one entry at a time. Safe to call at any time and
/// as often as wanted: on start, on `online`, when the page becomes visible,
/// on the timer, after a submit.
pub fn kick(state: AppState) {
    if !online() {
        send_later(state); // or the `online` event, if the app is still open
        return;
    }
    // Another tab, or the service worker, is sending: look again soon, in case it stops short.
    let again = move || wake_in(state, Duration::from_secs(5));
    crate::platform::with_lock("phieu-outbox", send_due(state), again);
}

async fn send_due(state: AppState) {
    let mut delivered = false;
    loop {
        let now = now_ms();
        let Some(id) = state.outbox.with_untracked(|o| o.next_due(now).map(|e| e.id().to_string())) else {
            schedule_wake(state);
            if delivered {
                fetch_feed(state); // the office may have answered already
                let sent = state
                    .outbox
                    .with_untracked(|o| o.entries().iter().filter(|e| e.state == EntryState::Sent).map(|e| e.id().to_string()).collect());
                crate::files::sweep(sent).await;
            }
            return;
        };
        // Storage is the truth between tabs: another tab may have sent it,
        // or removed it. The entry in memory has no answers: the stored one is sent.
        let Some(stored) = storage::load_entry(&id).await else {
            state.outbox.update(|o| o.forget(&id));
            continue;
        };
        if stored.state != EntryState::Waiting {
            state.outbox.update(|o| o.upsert(stored));
            continue;
        }
        if state.outbox.try_update(|o| o.start(&id)).flatten().is_none() {
            return;
        }
        let outcome = upload(state, &stored).await;
        state.progress.set(None);
        if matches!(outcome, Outcome::NetworkError(_) | Outcome::Timeout) {
            send_later(state);
        }
        let verdict = state.outbox.try_update(|o| o.finish(&id, outcome, now_ms(), random())).flatten();
        // Either way the entry is stored as it now is: a delivered one as a
        // receipt in the sent archive, pruned after some days.
        delivered |= matches!(verdict, Some(Verdict::Delivered(_)));
        if let Some(Verdict::Delivered(e) | Verdict::Kept(e)) = &verdict {
            if let Err(e) = storage::save_entry(e).await {
                state.storage_error.set(Some(e));
            }
        }
        if state.outbox.with_untracked(|o| o.paused().is_some()) {
            return;
        }
    }
}

/// Asks the service worker to send what waits when a connection returns,
/// in case the app is closed by then.
fn send_later(state: AppState) {
    let token = token(state).unwrap_or_default();
    storage::send_later(&beside(&global_endpoint(state), ""), &token);
}

/// Sets the single wake-up timer for when the next waiting entry falls due.
fn schedule_wake(state: AppState) {
    if let Some(h) = WAKE.take() {
        h.clear();
    }
    let Some(at) = state.outbox.with_untracked(|o| o.next_wake()) else { return };
    let wait = phieu_core::num::clamp(at - now_ms(), 0.0, 300_000.0);
    wake_in(state, Duration::from_millis(wait as u64 + 50));
}

/// The single wake-up timer: a `kick` after `wait`, replacing any other.
fn wake_in(state: AppState, wait: Duration) {
    if let Ok(h) = set_timeout_with_handle(move || kick(state), wait) {
        if let Some(old) = WAKE.replace(Some(h)) {
            old.clear();
        }
    }
}

/// Where an entry goes: its form's own endpoint if it has one, else the
/// person's or `config.json`'s.
fn destination(state: AppState, entry: &Entry) -> String {
    let global = global_endpoint(state);
    entry.target.as_ref().and_then(|t| t.url.clone()).unwrap_or(global)
}

/// The access token, if the person set one.
fn token(state: AppState) -> Option<String> {
    state.settings.with_untracked(|s| s.token.clone()).filter(|t| !t.is_empty())
}

fn global_endpoint(state: AppState) -> String {
    state.settings.with_untracked(|s| s.endpoint.clone()).filter(|e| !e.trim().is_empty()).unwrap_or_else(|| state.endpoint.get_value())
}

/// The headers every request for `entry` carries: its form's own, and the
/// access token, which goes only to the endpoint it was given for.
fn headers_for(state: AppState, entry: &Entry, url: &str) -> Result<Headers, Outcome> {
    let headers = Headers::new().map_err(|e| Outcome::NetworkError(error_text(&e)))?;
    for (k, v) in entry.target.as_ref().map(|t| t.headers.as_slice()).unwrap_or_default() {
        let _ = headers.set(k, v);
    }
    if let Some(token) = token(state) {
        if origin_of(url).is_some() && origin_of(url) == origin_of(&global_endpoint(state)) {
            // Never in clear text across a network: held back, and the person told.
            if !may_carry_secret(url) {
                return Err(Outcome::Insecure);
            }
            let _ = headers.set("Authorization", &format!("Bearer {token}"));
        }
    }
    Ok(headers)
}

fn request(method: &str, url: &str, headers: &Headers, body: &JsValue) -> Result<Request, Outcome> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_body(body);
    init.set_headers(headers);
    // A captive portal answers with a redirect to its login page; following it
    // could end in a 200 that is not the server's.
    init.set_redirect(RequestRedirect::Manual);
    Request::new_with_str_and_init(url, &init).map_err(|e| Outcome::NetworkError(error_text(&e)))
}

/// `name` resolved against `url`: `api/submissions` → `api/files/missing`.
fn beside(url: &str, name: &str) -> String {
    let page = window().location().href().unwrap_or_default();
    web_sys::Url::new_with_base(url, &page)
        .and_then(|e| web_sys::Url::new_with_base(name, &e.href()))
        .map_or_else(|_| name.to_string(), |u| u.href())
}

/// An address of the office's API beside the endpoint (`api/submissions` →
/// `api/feed`), as `docs/office.md` lays them out.
#[inline(never)]
pub fn api_url(state: AppState, name: &str) -> String {
    beside(&global_endpoint(state), name)
}

/// Brings in what the office sent back since the last time, page by page,
/// and keeps it on the device. Only a phone with a token has a feed.
#[inline(never)] // called from several places: one copy in the wasm
pub fn fetch_feed(state: AppState) {
    const PAGE: usize = 100;
    let Some(token) = token(state) else { return };
    let url = api_url(state, "feed");
    if !online() || !may_carry_secret(&url) {
        return;
    }
    leptos::task::spawn_local(async move {
        // Bounded: what is left comes with the next fetch.
        for _ in 0..20 {
            let since = state.feed.with_untracked(|f| f.cursor().unwrap_or_default().to_string());
            let page_url = format!("{url}?limit={PAGE}&since={}", js_sys::encode_uri_component(&since));
            let page = match crate::platform::fetch_authorized(&page_url, &token).await {
                Ok(text) => phieu_core::json::parse(&text).ok(),
                Err((401, _)) => {
                    // Revoked: nothing more goes out; every report stays and can be exported.
                    state.outbox.update(|o| o.pause("the server no longer accepts this phone's token (401)".into()));
                    None
                }
                Err(_) => None,
            };
            let Some(page) = page else { return };
            if state.feed.try_update(|f| f.apply(&page)).is_some_and(|r| r == Ok(true)) {
                state.feed.with_untracked(|f| state.wrote(storage::save_feed(f)));
            }
            if page.get("events").and_then(|e| e.as_array()).is_none_or(|e| e.len() < PAGE) {
                return;
            }
        }
    });
}

/// `url` resolved against the page, as (protocol, host name).
fn read_url(url: &str) -> (String, String) {
    let base = window().location().href().unwrap_or_default();
    web_sys::Url::new_with_base(url, &base).map_or_else(|_| Default::default(), |u| (u.protocol(), u.hostname()))
}

/// Whether `url` is an http or https address.
pub fn is_web_address(url: &str) -> bool {
    matches!(read_url(url).0.as_str(), "http:" | "https:")
}

/// Whether the access token may go to `url`:
/// `phieu_core::submission::may_carry_secret` on the browser's reading of it.
pub fn may_carry_secret(url: &str) -> bool {
    let (protocol, host) = read_url(url);
    phieu_core::submission::may_carry_secret(&protocol, &host)
}

/// Sends `entry`: first the files it names that the server lacks, then the report.
async fn upload(state: AppState, entry: &Entry) -> Outcome {
    let url = destination(state, entry);
    let headers = match headers_for(state, entry, &url) {
        Ok(h) => h,
        Err(outcome) => return outcome,
    };
    if let Err(outcome) = send_files(state, entry, &url, &headers).await {
        return outcome;
    }
    let body = if entry.target.as_ref().is_some_and(|t| t.flat) {
        phieu_core::json::to_string(&entry.submission.answers)
    } else {
        phieu_core::json::to_string(&entry.submission)
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Idempotency-Key", &entry.submission.id);
    match request("POST", &url, &headers, &body.into()) {
        Ok(r) => send(r, TIMEOUT).await.err().unwrap_or(Outcome::Accepted),
        Err(outcome) => outcome,
    }
}

/// How far the report being sent has got with its files.
#[derive(Default)]
struct Progress {
    files: usize,
    of: usize,
    bytes: u64,
    of_bytes: u64,
}

impl Progress {
    /// Shown as `AppState::progress`: "id\n2/3\n1.2 MB/3.4 MB", a signal type
    /// the app already has rather than one of its own.
    fn show(&self, state: AppState, id: &str) {
        let (files, bytes) = (format!("{}/{}", self.files, self.of), format!("{}/{}", size_text(self.bytes), size_text(self.of_bytes)));
        state.progress.set(Some(format!("{id}\n{files}\n{bytes}")));
    }
}

/// The files `entry` names, before it (docs/submission.md, "Files"): asks
/// which the server lacks, then sends each of those once. After a cut, the
/// server's answer is what says what arrived, so nothing goes twice.
async fn send_files(state: AppState, entry: &Entry, url: &str, headers: &Headers) -> Result<(), Outcome> {
    let mut items = Vec::new();
    phieu_core::form::file_items(&serde_json::Value::Object(entry.submission.answers.clone()), &mut items);
    if items.is_empty() {
        return Ok(());
    }
    let _ = headers.set("Content-Type", "application/json");
    let asked = items.iter().map(|f| format!("\"{}\"", f.sha256)).collect::<Vec<_>>().join(",");
    let response =
        send(request("POST", &beside(url, "files/missing"), headers, &format!("{{\"sha256\":[{asked}]}}").into())?, TIMEOUT).await?;
    let text = JsFuture::from(response.text().map_err(|e| Outcome::NetworkError(error_text(&e)))?).await;
    let answer = text.ok().and_then(|t| t.as_string()).and_then(|t| phieu_core::json::parse(&t).ok());
    let missing: Vec<String> = answer
        .as_ref()
        .and_then(|a| a.get("missing")?.as_array())
        .map(|m| m.iter().filter_map(|h| h.as_str().map(str::to_string)).collect())
        .ok_or_else(|| Outcome::Status { code: 502, retry_after_secs: None, message: "files/missing: not {\"missing\": [...]}".into() })?;
    let mut progress = Progress { of: items.len(), ..Progress::default() };
    for f in &items {
        progress.of_bytes += f.size;
        if !missing.contains(&f.sha256) {
            progress.files += 1;
            progress.bytes += f.size;
        }
    }
    progress.show(state, entry.id());
    for f in items.iter().filter(|f| missing.contains(&f.sha256)) {
        let blob = crate::files::contents(&f.sha256).await.ok_or_else(|| Outcome::FileLost(f.name.clone()))?;
        let _ = headers.set("Content-Type", &f.media_type);
        // A photo takes a while on a slow link: 30 s, and a second more for each 8 kB.
        let timeout = TIMEOUT + Duration::from_secs(f.size / 8192);
        send(request("PUT", &beside(url, &format!("files/{}", f.sha256)), headers, &blob)?, timeout).await?;
        progress.files += 1;
        progress.bytes += f.size;
        progress.show(state, entry.id());
    }
    Ok(())
}

/// Performs `request`: the response if it is a 2xx that was not redirected,
/// else what became of it.
async fn send(request: Request, timeout: Duration) -> Result<Response, Outcome> {
    let controller = AbortController::new().ok();
    let timed_out = std::rc::Rc::new(Cell::new(false));
    let timer = {
        let (timed_out, controller) = (timed_out.clone(), controller.clone());
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                if let Some(c) = controller {
                    c.abort();
                }
            },
            timeout,
        )
        .ok()
    };
    let signal = controller.as_ref().map(AbortController::signal);
    let fetch = match &signal {
        Some(s) => {
            let init = RequestInit::new();
            init.set_signal(Some(s));
            window().fetch_with_request_and_init(&request, &init)
        }
        None => window().fetch_with_request(&request),
    };
    let result = JsFuture::from(fetch).await;
    if let Some(t) = timer {
        t.clear();
    }
    let response: Response = match result.and_then(|r| r.dyn_into()) {
        Ok(r) => r,
        Err(_) if timed_out.get() => return Err(Outcome::Timeout),
        Err(e) => return Err(Outcome::NetworkError(error_text(&e))),
    };
    if response.type_() == ResponseType::Opaqueredirect || response.redirected() {
        return Err(Outcome::Redirected);
    }
    let code = response.status();
    if (200..300).contains(&code) {
        return Ok(response);
    }
    let retry_after_secs = response.headers().get("Retry-After").ok().flatten().and_then(|v| phieu_core::num::parse(v.trim()));
    let message = server_message(&response).await;
    Err(Outcome::Status { code, retry_after_secs, message })
}

/// The server's own words: `{"error": "..."}` from phieu serve, else the
/// text, shortened; the status text if the body cannot be read.
async fn server_message(response: &Response) -> String {
    let body = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let Some(text) = body else { return response.status_text() };
    let msg = phieu_core::json::parse(&text).ok().and_then(|v| v.get("error")?.as_str().map(str::to_string)).unwrap_or(text);
    msg.chars().take(300).collect()
}
