//! The server's API as the office screen uses it (docs/office.md): the
//! session cookie goes with every request (same origin), and every request
//! that changes something carries the CSRF value `GET /api/session` gave.

use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The CSRF value of this session, from `GET`/`POST /api/session`.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

thread_local! {
    /// Set when the server no longer knows this session (it expired, or the
    /// account was revoked): the screen goes back to signing in.
    static EXPIRED: leptos::prelude::RwSignal<bool> = leptos::prelude::RwSignal::new(false);
}

pub fn expired() -> leptos::prelude::RwSignal<bool> {
    EXPIRED.with(|e| *e)
}

pub fn set_csrf(v: &str) {
    CSRF.with(|c| *c.borrow_mut() = v.to_string());
}

/// A failed request: the HTTP status (0 when there was no answer) and what to show.
#[derive(Clone, Debug)]
pub struct Failure {
    pub status: u16,
    pub message: String,
}

fn js_text(e: &wasm_bindgen::JsValue) -> String {
    e.as_string().or_else(|| js_sys::Error::from(e.clone()).message().as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// One request; JSON in, JSON (or nothing) out.
pub async fn call(method: &str, url: &str, body: Option<&Value>) -> Result<Value, Failure> {
    let fail = |e: wasm_bindgen::JsValue| Failure { status: 0, message: js_text(&e) };
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(fail)?;
    headers.set("Accept", "application/json").map_err(fail)?;
    if method != "GET" {
        headers.set("X-Phieu-CSRF", &CSRF.with(|c| c.borrow().clone())).map_err(fail)?;
    }
    if let Some(b) = body {
        headers.set("Content-Type", "application/json").map_err(fail)?;
        init.set_body(&wasm_bindgen::JsValue::from_str(&b.to_string()));
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(fail)?;
    let window = web_sys::window().expect("a window");
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&request)).await.and_then(|r| r.dyn_into()).map_err(fail)?;
    let status = resp.status();
    let text = JsFuture::from(resp.text().map_err(fail)?).await.map_err(fail)?.as_string().unwrap_or_default();
    let json: Value = if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    if status == 401 && !url.ends_with("/api/session") {
        use leptos::prelude::Set;
        expired().set(true);
    }
    if resp.ok() {
        Ok(json)
    } else {
        let message = json.get("error").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| json.to_string());
        Err(Failure { status, message })
    }
}

pub async fn get(url: &str) -> Result<Value, Failure> {
    call("GET", url, None).await
}

pub async fn post(url: &str, body: &Value) -> Result<Value, Failure> {
    call("POST", url, Some(body)).await
}

/// A query string from the pairs whose value is not empty.
pub fn query(pairs: &[(&str, String)]) -> String {
    let params = web_sys::UrlSearchParams::new().expect("URLSearchParams");
    for (k, v) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        params.append(k, v.trim());
    }
    String::from(params.to_string())
}

/// A path segment, percent-encoded.
pub fn segment(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// The text of a field of a JSON object, or "".
/// Who sent a report, from its listing row: "name · unit", or anonymous.
pub fn sender(row: &Value) -> String {
    match row.get("submittedBy").filter(|b| b.is_object()) {
        None => crate::i18n::pick("(không đăng nhập)", "(anonymous)").to_string(),
        Some(b) => match text(b, "unit") {
            unit if unit.is_empty() => text(b, "name"),
            unit => format!("{} · {unit}", text(b, "name")),
        },
    }
}

pub fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}
