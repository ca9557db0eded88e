//! Carries the outbox to the server. The rules live in `phieu_core::outbox`;
//! this file only performs the request and reports what happened.

use crate::app::AppState;
use crate::platform::{error_text, now_ms, online, random, window};
use leptos::prelude::*;
use phieu_core::outbox::Verdict;
use phieu_core::{Outcome, Submission};
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, RequestRedirect, Response, ResponseType};

const TIMEOUT: Duration = Duration::from_secs(30);

thread_local! {
    static WAKE: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
}

/// Sends the next due entry, if any, then looks for the one after it.
/// Safe to call at any time and as often as wanted: only one request runs.
pub fn kick(state: AppState) {
    if !online() {
        return; // the `online` event will call again
    }
    let now = now_ms();
    let started = state.outbox.try_update(|o| {
        let id = o.next_due(now)?.id().to_string();
        o.start(&id)
    });
    let Some(Some(entry)) = started else {
        schedule_wake(state);
        return;
    };
    let endpoint = state.endpoint.get_value();
    leptos::task::spawn_local(async move {
        let outcome = upload(&endpoint, &entry.submission).await;
        let verdict = state.outbox.try_update(|o| o.finish(entry.id(), outcome, now_ms(), random())).flatten();
        // Either way the entry is stored as it now is: a delivered one as a
        // receipt in the sent archive, pruned after some days.
        let saved = match &verdict {
            Some(Verdict::Delivered(e) | Verdict::Kept(e)) => crate::storage::save_entry(e),
            None => Ok(()),
        };
        if let Err(e) = saved {
            state.storage_error.set(Some(e));
        }
        kick(state);
    });
}

/// Sets the single wake-up timer for when the next waiting entry falls due.
fn schedule_wake(state: AppState) {
    if let Some(h) = WAKE.take() {
        h.clear();
    }
    let Some(at) = state.outbox.with_untracked(|o| o.next_wake()) else { return };
    let wait = (at - now_ms()).clamp(0.0, 300_000.0);
    if let Ok(h) = set_timeout_with_handle(move || kick(state), Duration::from_millis(wait as u64 + 50)) {
        WAKE.set(Some(h));
    }
}

async fn upload(endpoint: &str, submission: &Submission) -> Outcome {
    let body = match serde_json::to_string(submission) {
        Ok(b) => b,
        Err(e) => return Outcome::NetworkError(e.to_string()),
    };
    let controller = AbortController::new().ok();
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    // A captive portal answers with a redirect to its login page; following it
    // could end in a 200 that is not the server's.
    init.set_redirect(RequestRedirect::Manual);
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let headers = Headers::new().expect("Headers");
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Idempotency-Key", &submission.id);
    init.set_headers(&headers);
    let request = match Request::new_with_str_and_init(endpoint, &init) {
        Ok(r) => r,
        Err(e) => return Outcome::NetworkError(error_text(&e)),
    };
    let timed_out = std::rc::Rc::new(Cell::new(false));
    let timer = {
        let timed_out = timed_out.clone();
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                if let Some(c) = controller {
                    c.abort();
                }
            },
            TIMEOUT,
        )
        .ok()
    };
    let result = JsFuture::from(window().fetch_with_request(&request)).await;
    if let Some(t) = timer {
        t.clear();
    }
    let response: Response = match result.and_then(|r| r.dyn_into()) {
        Ok(r) => r,
        Err(_) if timed_out.get() => return Outcome::Timeout,
        Err(e) => return Outcome::NetworkError(error_text(&e)),
    };
    if response.type_() == ResponseType::Opaqueredirect || response.redirected() {
        return Outcome::Redirected;
    }
    let code = response.status();
    if (200..300).contains(&code) {
        return Outcome::Accepted;
    }
    let retry_after_secs = response.headers().get("Retry-After").ok().flatten().and_then(|v| v.trim().parse().ok());
    let message = server_message(&response).await;
    Outcome::Status { code, retry_after_secs, message }
}

/// The server's own words: `{"error": "..."}` from phieu serve, else the text, shortened.
async fn server_message(response: &Response) -> String {
    let Ok(p) = response.text() else { return String::new() };
    let text = JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
    let msg = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("error")?.as_str().map(str::to_string))
        .unwrap_or(text);
    msg.chars().take(300).collect()
}
