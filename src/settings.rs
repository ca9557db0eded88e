//! Settings: where reports go and the access token, and how safe the
//! device's storage is.

use crate::app::use_state;
use crate::i18n::{t, tr, Msg};
use crate::platform::{now_ms, persist_storage, storage_estimate};
use crate::storage::{self, Settings};
use leptos::prelude::*;

fn kb(b: f64) -> String {
    format!("{} KB", (b / 1024.0).round() as u64)
}

#[component]
pub fn SettingsScreen() -> impl IntoView {
    let state = use_state();
    let current = state.settings.get_untracked();
    let endpoint = RwSignal::new(current.endpoint.unwrap_or_default());
    let token = RwSignal::new(current.token.unwrap_or_default());
    let saved = RwSignal::new(false);
    // Why the token cannot be saved: not ASCII, or it would cross a network in
    // clear text (two flags: signal types the app already has).
    let (not_ascii, insecure) = (RwSignal::new(false), RwSignal::new(false));
    let token_error = move || match (not_ascii.get(), insecure.get()) {
        (true, _) => Some(Msg::TokenAscii),
        (_, true) => Some(Msg::InsecureEndpoint),
        _ => None,
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let old = state.settings.get_untracked();
        let mut s = Settings { endpoint: some(endpoint.get_untracked()), token: some(token.get_untracked()), ..old.clone() };
        if s.token != old.token {
            // Another token is another person: the enrolment no longer holds.
            (s.name, s.unit) = (None, None);
        }
        let target = s.endpoint.clone().unwrap_or_else(|| state.endpoint.get_value());
        // HTTP headers carry ASCII only; a token with "ế" could never be sent.
        not_ascii.set(s.token.as_ref().is_some_and(|t| !t.is_ascii()));
        insecure.set(s.token.is_some() && !crate::sync::may_carry_secret(&target));
        if untrack(token_error).is_some() {
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
    // Asked in one task, kept in signal types the app already has: whether
    // the browser keeps our data, and " (used / quota)".
    let (persisted, estimate) = (RwSignal::new(false), RwSignal::new(None::<String>));
    leptos::task::spawn_local(async move {
        persisted.set(persist_storage().await == Some(true));
        estimate.set(storage_estimate().await.map(|(used, quota)| format!(" ({} / {})", kb(used), kb(quota))));
    });
    let leave = move |_| {
        if crate::platform::confirm(t(state.lang.get_untracked(), Msg::ConfirmLeave)) {
            // Only the credentials go: every report stays, sent or not.
            let s = Settings { token: None, name: None, unit: None, ..state.settings.get_untracked() };
            if state.wrote(storage::save_settings(&s)) {
                token.set(String::new());
                state.settings.set(s);
            }
        }
    };
    let enrolled = move || state.settings.with(Settings::who);
    view! {
        <h1>{tr(Msg::Settings)}</h1>
        <p class="notice" data-testid="enrolled" hidden=move || enrolled().is_none()>{tr(Msg::EnrolledAs)} " "
            <strong>{move || enrolled().unwrap_or_default()}</strong> " "
            <button type="button" class="small" on:click=leave>{tr(Msg::Leave)}</button></p>
        <form class="settings" on:submit=save>
            <div class="question">
                <label class="q-title" for="endpoint">{tr(Msg::Endpoint)}</label>
                <p class="desc" id="endpoint-hint">{tr(Msg::EndpointHint)} " (" {state.endpoint.get_value()} ")"</p>
                <input id="endpoint" type="url" inputmode="url" autocomplete="url" aria-describedby="endpoint-hint"
                    prop:value=move || endpoint.get() on:input=move |ev| endpoint.set(event_target_value(&ev))/>
            </div>
            <div class="question">
                <label class="q-title" for="token">{tr(Msg::Token)}</label>
                <input id="token" type="password" autocomplete="off" aria-describedby="token-error" aria-invalid=move || if token_error().is_some() { "true" } else { "false" }
                    prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                <p class="error" id="token-error" aria-live="polite">{move || token_error().map(|m| t(state.lang.get(), m))}</p>
            </div>
            <button type="submit" class="primary">{tr(Msg::Save)}</button>
            <p class="notice" role="status" hidden=move || !saved.get()>{tr(Msg::Saved)}</p>
        </form>
        <section class="storage" data-testid="storage">
            <p>{move || if persisted.get() { tr(Msg::Persisted)() } else { tr(Msg::NotPersisted)() }}</p>
            <p>{tr(Msg::Usage)} ": " {kb(storage::bytes_used() as f64)}
                {move || estimate.get()}
            </p>
        </section>
    }
}
