//! Settings: where reports go and the access token, and how safe the
//! device's storage is.

use crate::app::use_state;
use crate::i18n::{tr, Msg};
use crate::platform::{now_ms, persist_storage, storage_estimate};
use crate::storage::{self, Settings};
use leptos::prelude::*;

#[component]
pub fn SettingsScreen() -> impl IntoView {
    let state = use_state();
    let current = state.settings.get_untracked();
    let endpoint = RwSignal::new(current.endpoint.unwrap_or_default());
    let token = RwSignal::new(current.token.unwrap_or_default());
    let saved = RwSignal::new(false);
    let bad_token = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let s = Settings { endpoint: some(endpoint.get_untracked()), token: some(token.get_untracked()) };
        // HTTP headers carry ASCII only; a token with "ế" could never be sent.
        bad_token.set(s.token.as_deref().is_some_and(|t| !t.is_ascii()));
        if bad_token.get_untracked() {
            saved.set(false);
            return;
        }
        if state.wrote(storage::save_settings(&s)) {
            state.settings.set(s);
            saved.set(true);
            state.outbox.update(|o| o.resume(now_ms()));
            crate::sync::kick(state);
        }
    };
    let persisted = crate::home::load(persist_storage());
    let estimate = crate::home::load(storage_estimate());
    let kb = |b: f64| format!("{:.0} KB", b / 1024.0);
    view! {
        <h1>{tr(Msg::Settings)}</h1>
        <form class="settings" on:submit=save>
            <div class="question">
                <label class="q-title" for="endpoint">{tr(Msg::Endpoint)}</label>
                <p class="desc" id="endpoint-hint">{tr(Msg::EndpointHint)} " (" {state.endpoint.get_value()} ")"</p>
                <input id="endpoint" type="url" inputmode="url" autocomplete="url" aria-describedby="endpoint-hint"
                    prop:value=move || endpoint.get() on:input=move |ev| endpoint.set(event_target_value(&ev))/>
            </div>
            <div class="question">
                <label class="q-title" for="token">{tr(Msg::Token)}</label>
                <input id="token" type="password" autocomplete="off" aria-describedby="token-error" aria-invalid=move || if bad_token.get() { "true" } else { "false" }
                    prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                <p class="error" id="token-error" aria-live="polite">{move || bad_token.get().then(tr(Msg::TokenAscii))}</p>
            </div>
            <button type="submit" class="primary">{tr(Msg::Save)}</button>
            {move || saved.get().then(|| view! { <p class="notice" role="status">{tr(Msg::Saved)}</p> })}
        </form>
        <section class="storage" data-testid="storage">
            <p>{move || match persisted.get().flatten() {
                Some(true) => tr(Msg::Persisted)(),
                _ => tr(Msg::NotPersisted)(),
            }}</p>
            <p>{tr(Msg::Usage)} ": " {kb(storage::bytes_used() as f64)}
                {move || estimate.get().flatten().map(|(used, quota)| format!(" ({} / {})", kb(used), kb(quota)))}
            </p>
        </section>
    }
}
