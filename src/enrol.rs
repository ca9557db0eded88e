//! Enrolment in one tap. The office's link `?screen=enrol#token=…` sets this
//! phone up for one collaborator, once the person confirms who they are. The
//! token travels in the fragment, which no server or proxy logs, and leaves
//! the address bar at once.

use crate::app::use_state;
use crate::i18n::{tr, Msg};
use crate::platform::{fetch_authorized, now_ms, window};
use crate::storage::{self, Settings};
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn EnrolScreen() -> impl IntoView {
    let state = use_state();
    let token = take_token();
    // Who the office says the token is, or why it could not say: signal
    // types the app already has (the found name and unit as settings).
    let (found, failed) = (RwSignal::new(Settings::default()), RwSignal::new(None::<String>));
    {
        let token = token.clone();
        leptos::task::spawn_local(async move {
            match account(state, token).await {
                Ok((name, unit)) => found.set(Settings { name: Some(name), unit, ..Settings::default() }),
                Err(e) => failed.set(Some(e)),
            }
        });
    }
    let confirm = move |_| {
        let Settings { name: Some(name), unit, .. } = found.get_untracked() else { return };
        let settings = Settings { token: token.clone(), name: Some(name), unit, ..state.settings.get_untracked() };
        if state.wrote(storage::save_settings(&settings)) {
            state.settings.set(settings);
            state.outbox.update(|o| o.resume(now_ms()));
            let _ = window().location().set_href("./");
        }
    };
    // One fixed page whose parts show or hide: cheaper in wasm than a view per outcome.
    let who = move || found.with(Settings::who).unwrap_or_default();
    let failed = move || failed.get();
    view! {
        <h1>{tr(Msg::EnrolTitle)}</h1>
        <p hidden=move || found.with(|s| s.name.is_some()) || failed().is_some()>{tr(Msg::Loading)}</p>
        <div hidden=move || who().is_empty()>
            <p>{tr(Msg::EnrolAs)} " " <strong data-testid="enrol-name">{who}</strong></p>
            <p class="actions">
                <button type="button" class="primary" on:click=confirm>{tr(Msg::Confirm)}</button>
                <a href="./">{tr(Msg::Cancel)}</a>
            </p>
        </div>
        <div hidden=move || failed().is_none()>
            <p class="alert" role="alert">{tr(Msg::EnrolFailed)}</p>
            <p class="detail">{move || failed().unwrap_or_default()}</p>
        </div>
    }
}

/// The office's name and unit for `token` (`GET api/me`), or why not.
async fn account(state: crate::app::AppState, token: Option<String>) -> Result<(String, Option<String>), String> {
    let token = token.ok_or_else(String::new)?;
    let me = fetch_authorized(&crate::sync::api_url(state, "me"), &token).await.map_err(|(code, why)| format!("{code} {why}"))?;
    let me: Value = phieu_core::json::parse(&me).map_err(|e| e.to_string())?;
    let text = |k: &str| me.get(k).and_then(Value::as_str).map(str::to_string);
    text("name").map(|name| (name, text("unit"))).ok_or_else(|| "no name".to_string())
}

/// The token from the link's fragment. The page's first script took the
/// fragment out of the address bar (and so out of history) before the app
/// loaded, and left it in `window.phieuEnrol`, which is emptied here.
fn take_token() -> Option<String> {
    let fragment = js_sys::Reflect::get(&window(), &"phieuEnrol".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let _ = js_sys::Reflect::set(&window(), &"phieuEnrol".into(), &wasm_bindgen::JsValue::UNDEFINED);
    let token = fragment.split('&').find_map(|p| p.strip_prefix("token=")).map(str::to_string);
    token.filter(|t| !t.is_empty() && t.is_ascii())
}
