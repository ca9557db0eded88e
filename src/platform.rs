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
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| "unknown error".into())
}

/// GET `url` as text; any failure, including a non-2xx answer, is an `Err`.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    // One fetch for both: without a token, no Authorization header.
    fetch_authorized(url, "").await.map_err(|(code, why)| if code == 0 { why } else { format!("{code} {why}") })
}

/// GET `url` with the access token (none when empty). `Err` holds the HTTP
/// status (0 when no answer came at all), so a refused token (401) can be told apart.
pub async fn fetch_authorized(url: &str, token: &str) -> Result<String, (u16, String)> {
    let fail = |e: JsValue| (0, error_text(&e));
    let headers = web_sys::Headers::new().map_err(fail)?;
    if !token.is_empty() {
        headers.set("Authorization", &format!("Bearer {token}")).map_err(fail)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(fail)?;
    let resp: web_sys::Response = JsFuture::from(window().fetch_with_request(&request)).await.and_then(|r| r.dyn_into()).map_err(fail)?;
    if !resp.ok() {
        return Err((resp.status(), resp.status_text()));
    }
    let text = JsFuture::from(resp.text().map_err(fail)?).await.map_err(fail)?;
    text.as_string().ok_or((0, "the answer was not text".into()))
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

fn get(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target.name(args…)`; `None` if there is no such method.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<Result<JsValue, JsValue>> {
    let f: js_sys::Function = get(target, name).dyn_into().ok()?;
    Some(f.apply(target, &args.iter().collect::<js_sys::Array>()))
}

async fn call_async(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let promise: js_sys::Promise = call(target, name, args)?.ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// Asks the browser not to evict phieu's storage; `None` where it cannot be asked.
pub async fn persist_storage() -> Option<bool> {
    let storage = get(&window().navigator(), "storage");
    if storage.is_undefined() {
        return None;
    }
    if call_async(&storage, "persisted", &[]).await.and_then(|v| v.as_bool()) == Some(true) {
        return Some(true);
    }
    call_async(&storage, "persist", &[]).await.and_then(|v| v.as_bool())
}

/// Bytes used and the quota, from `navigator.storage.estimate()`.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let storage = get(&window().navigator(), "storage");
    let e = call_async(&storage, "estimate", &[]).await?;
    Some((get(&e, "usage").as_f64()?, get(&e, "quota").as_f64()?))
}

/// Runs `work` holding the named Web Lock, so only one tab (or the service
/// worker) does it at a time; if another holds the lock, `busy` runs
/// instead. Without Web Locks it just runs.
pub fn with_lock(name: &str, work: impl std::future::Future<Output = ()> + 'static, busy: impl FnOnce() + 'static) {
    let locks = get(&window().navigator(), "locks");
    if locks.is_undefined() {
        wasm_bindgen_futures::spawn_local(work);
        return;
    }
    let work = std::cell::RefCell::new(Some(work));
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        match (lock.is_null(), work.borrow_mut().take()) {
            (false, Some(w)) => wasm_bindgen_futures::future_to_promise(async move {
                w.await;
                Ok(JsValue::UNDEFINED)
            }),
            _ => {
                busy();
                js_sys::Promise::resolve(&JsValue::UNDEFINED)
            }
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    if let Some(Ok(p)) = call(&locks, "request", &[name.into(), options.into(), callback]) {
        if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

/// Offers `text` as a file download.
pub fn download(filename: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", filename);
        if let Some(body) = document().body() {
            let _ = body.append_child(&a);
            if let Ok(a) = a.clone().dyn_into::<web_sys::HtmlElement>() {
                a.click();
            }
            let _ = body.remove_child(&a);
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Shares `text` as a file through the Web Share API (to Zalo, e-mail …);
/// false where the browser cannot share files.
pub async fn share_file(filename: &str, mime: &str, text: &str) -> bool {
    let navigator: JsValue = window().navigator().into();
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    let Ok(file) = web_sys::File::new_with_str_sequence_and_options(&parts, filename, &options) else { return false };
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"files".into(), &js_sys::Array::of1(&file));
    let _ = js_sys::Reflect::set(&data, &"title".into(), &filename.into());
    if call(&navigator, "canShare", &[data.clone().into()]).and_then(Result::ok).and_then(|v| v.as_bool()) != Some(true) {
        return false;
    }
    call_async(&navigator, "share", &[data.into()]).await.is_some()
}

/// The text of the first file chosen in an `<input type=file>`.
pub async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    JsFuture::from(file.text()).await.ok()?.as_string()
}

pub fn document() -> web_sys::Document {
    window().document().expect("a document")
}

/// A time as the person's language writes it.
pub fn format_time(ms: f64, lang: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let locale = if lang == "vi" { "vi-VN" } else { "en-GB" };
    date.to_locale_string(locale, &JsValue::UNDEFINED).into()
}

pub fn confirm(message: &str) -> bool {
    window().confirm_with_message(message).unwrap_or(false)
}

/// The origin (`https://host:port`) of an address, resolved against the page.
pub fn origin_of(url: &str) -> Option<String> {
    let base = window().location().href().ok()?;
    web_sys::Url::new_with_base(url, &base).ok().map(|u| u.origin())
}

pub fn page_visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Milliseconds since the epoch of an ISO time (NaN if it is not one).
pub fn parse_time(iso: &str) -> f64 {
    js_sys::Date::parse(iso)
}

/// The moment and the device's UTC offset, for expressions (`today()`).
pub fn clock() -> phieu_core::expr::Clock {
    phieu_core::expr::Clock { now_ms: now_ms(), utc_offset_min: -js_sys::Date::new_0().get_timezone_offset() }
}

/// Tells the page the app is on screen (once): `index.html` then registers
/// the service worker, whose offline copy would otherwise compete with the
/// first visit for a slow link.
pub fn started() {
    thread_local!(static SAID: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !SAID.with(|s| s.replace(true)) {
        leptos::prelude::request_animation_frame(|| {
            if let Ok(e) = web_sys::Event::new("phieu-started") {
                let _ = window().dispatch_event(&e);
            }
        });
    }
}

/// JavaScript's `String(x)`: the browser prints numbers, so the standard
/// library's float formatting stays out of the wasm (see `phieu_core::num`).
pub fn number_text(x: f64) -> String {
    js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// JavaScript's `x.toFixed(digits)`.
pub fn fixed_text(x: f64, digits: u32) -> String {
    js_sys::Number::from(x).to_fixed(digits.min(100) as u8).map(String::from).unwrap_or_default()
}

/// JavaScript's `s.toLowerCase()`.
pub fn lowercase(s: &str) -> String {
    js_sys::JsString::from(s).to_lower_case().into()
}

/// Why a position could not be had: the Geolocation API's codes (1 refused,
/// 2 unavailable, 3 timed out), 0 when the browser has no geolocation.
pub type LocateError = u16;

/// One fix from `navigator.geolocation` (high accuracy, no cached fix),
/// through the page's `phieuLocate` (index.html): latitude, longitude, metres.
pub async fn locate(timeout_ms: u32) -> Result<phieu_core::form::Place, LocateError> {
    let f = js_sys::Reflect::get(&window(), &"phieuLocate".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()).ok_or(0u16)?;
    let promise = f.call1(&JsValue::NULL, &JsValue::from(timeout_ms)).map_err(|_| 0u16)?;
    let read = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).ok().and_then(|x| x.as_f64());
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(p) => match (read(&p, "latitude"), read(&p, "longitude"), read(&p, "accuracy")) {
            (Some(latitude), Some(longitude), Some(accuracy)) => Ok(phieu_core::form::Place { latitude, longitude, accuracy }),
            _ => Err(2),
        },
        Err(e) => Err(read(&e, "code").map_or(0, |c| c as u16)),
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/mask.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = loadMask)]
    async fn load_mask() -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = askMask)]
    fn ask_mask(request: &str) -> String;
}

/// Makes input masks work: the first time, fetches the mask module (not in
/// the first download; the service worker keeps it) and installs it as
/// `phieu_core::mask`'s engine. Calls after that are synchronous.
pub async fn masks() -> Result<(), String> {
    if !phieu_core::mask::ready() {
        load_mask().await.map_err(|e| error_text(&e))?;
        phieu_core::mask::set_engine(|request| Some(ask_mask(request)));
    }
    Ok(())
}
