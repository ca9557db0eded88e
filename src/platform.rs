//! The few browser facilities the app needs, each behind a plain function.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Uniform in [0, 1), for backoff jitter.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// A fresh UUID v4 from the browser's cryptographic random source, which,
/// unlike `crypto.randomUUID`, works on plain-HTTP LAN addresses too.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = window().crypto().and_then(|c| c.get_random_values_with_u8_array(&mut bytes)).is_ok();
    if !filled {
        for b in &mut bytes {
            *b = (random() * 256.0) as u8;
        }
    }
    phieu_core::submission::uuid_v4(bytes)
}

pub fn online() -> bool {
    window().navigator().on_line()
}

pub fn browser_language() -> String {
    window().navigator().language().unwrap_or_default()
}

/// The `?name=` parameter of the page's address.
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name).filter(|v| !v.is_empty())
}

pub fn error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// GET `url` as text; any failure, including a non-2xx answer, is an `Err`.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = JsFuture::from(window().fetch_with_str(url)).await.map_err(|e| error_text(&e))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|e| error_text(&e))?;
    if !resp.ok() {
        return Err(format!("{} {}", resp.status(), resp.status_text()));
    }
    let text = JsFuture::from(resp.text().map_err(|e| error_text(&e))?).await.map_err(|e| error_text(&e))?;
    text.as_string().ok_or_else(|| "the answer was not text".into())
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `RegExp(pattern, flags)`: throws on a bad pattern, hence `catch`.
    #[wasm_bindgen(catch, js_name = RegExp)]
    fn make_regexp(pattern: &str, flags: &str) -> Result<js_sys::RegExp, JsValue>;
}

/// `regex` validators run on the browser's own `RegExp`, as in SurveyJS.
pub fn browser_regex(pattern: &str, case_insensitive: bool, text: &str) -> Result<bool, String> {
    let re = make_regexp(pattern, if case_insensitive { "i" } else { "" }).map_err(|e| error_text(&e))?;
    Ok(re.test(text))
}

pub fn register_service_worker() {
    let sw = window().navigator().service_worker();
    let promise = sw.register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(promise).await {
            web_sys::console::warn_1(&format!("phieu: offline support is not available: {}", error_text(&e)).into());
        }
    });
}
