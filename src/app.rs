//! The app's frame: shared state, the screens, and the status bar that every
//! screen shows (connection, how many reports wait to be sent, what needs the
//! person's attention).

use crate::i18n::{t, tr, Lang, Msg};
use crate::platform::{fetch_text, now_ms, query_param, window};
use crate::storage::{self, Settings, WriteError};
use crate::{form::FormScreen, home::Home, outbox_view::OutboxScreen, settings::SettingsScreen, sync};
use leptos::prelude::*;
use phieu_core::feed::Feed;
use phieu_core::json;
use phieu_core::Outbox;
use wasm_bindgen::JsValue;

/// How long receipts of sent reports are kept on the device, unless
/// `config.json` says otherwise (`keepSentDays`).
const KEEP_SENT_DAYS: f64 = 30.0;

/// What every screen shares. All fields are cheap handles (`Copy`).
#[derive(Clone, Copy)]
pub struct AppState {
    pub outbox: RwSignal<Outbox>,
    pub online: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    /// The last failed write to storage, shown until the next good one.
    pub storage_error: RwSignal<Option<WriteError>>,
    /// The endpoint from `config.json`.
    pub endpoint: StoredValue<String>,
    pub settings: RwSignal<Settings>,
    /// What the office sent back: statuses, replies, announcements.
    pub feed: RwSignal<Feed>,
    /// A new version of the app is installed and waits for the person's consent.
    pub update_ready: RwSignal<bool>,
    /// Whether the language is known. A form's own `locale` decides it when
    /// the person never chose one, so until the form is read nothing with
    /// words is shown: the bar would change size under the person's thumb.
    pub lang_settled: RwSignal<bool>,
    /// How far the report being sent has got with its files: its id, the
    /// files and the bytes sent, a line each ("id\n2/3\n1.2 MB/3.4 MB").
    pub progress: RwSignal<Option<String>>,
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    /// Shows a failed write (or clears the message after a good one).
    pub fn wrote(self, result: Result<(), WriteError>) -> bool {
        match result {
            Ok(()) => true,
            Err(e) => {
                self.storage_error.set(Some(e));
                false
            }
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let chosen = storage::load_lang();
    let lang = chosen.unwrap_or_else(|| Lang::from_browser(&crate::platform::browser_language()));
    let state = AppState {
        outbox: RwSignal::new(Outbox::default()),
        online: RwSignal::new(crate::platform::online()),
        lang: RwSignal::new(lang),
        storage_error: RwSignal::new(None),
        endpoint: StoredValue::new("api/submissions".to_string()),
        settings: RwSignal::new(storage::load_settings()),
        feed: RwSignal::new(storage::load_feed()),
        update_ready: RwSignal::new(js_sys::Reflect::get(&window(), &"phieuUpdateReady".into()).is_ok_and(|w| w.is_truthy())),
        lang_settled: RwSignal::new(chosen.is_some() || query_param("form").is_none()),
        progress: RwSignal::new(None),
    };
    provide_context(state);
    listen(state);
    // The screens wait for the device's storage: the drafts and the outbox
    // (without the answers, which are read when shown or sent).
    let ready = RwSignal::new(false);

    leptos::task::spawn_local(async move {
        let (entries, moved) = storage::start().await;
        state.outbox.set(Outbox::new(entries));
        if moved.is_some() {
            state.storage_error.set(moved);
        }
        ready.set(true);
        // config.json: read by hand, a field of another type is left out.
        let config = fetch_text("config.json").await.ok().and_then(|t| json::parse(&t).ok()).unwrap_or_default();
        let keep_days = config.get("keepSentDays").and_then(|d| d.as_f64()).filter(|d| *d >= 0.0).unwrap_or(KEEP_SENT_DAYS);
        if let Some(endpoint) = config.get("endpoint").and_then(|e| e.as_str()) {
            state.endpoint.set_value(endpoint.to_string());
        }
        // A receipt waits for the office's answer while the phone has a feed.
        let enrolled = state.settings.with_untracked(|s| s.token.is_some());
        let pruned = state
            .outbox
            .try_update(|o| {
                state.feed.with_untracked(|f| o.prune_sent_keeping(now_ms(), keep_days * 86_400_000.0, |id| enrolled && f.is_open(id)))
            })
            .unwrap_or_default();
        for id in pruned {
            storage::delete_entry(&id);
        }
        sync::kick(state);
        sync::fetch_feed(state);
    });
    // Every five minutes while the app is open, also when nothing waits to be sent.
    let _ = set_interval_with_handle(move || sync::fetch_feed(state), std::time::Duration::from_secs(300));
    // Ask once that the browser keep our data; the settings screen shows the answer.
    leptos::task::spawn_local(async {
        crate::platform::persist_storage().await;
    });

    Effect::new(move |_| {
        let code = state.lang.get().code();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
    });

    let screen = move || {
        // The form screen says so itself, once its first page is there.
        if query_param("form").is_none() {
            crate::platform::started();
        }
        screen()
    };
    view! {
        {move || (ready.get() && state.lang_settled.get()).then(|| view! { <StatusBar/> })}
        <main>{move || ready.get().then(screen)}</main>
    }
}

fn screen() -> AnyView {
    match (query_param("screen").as_deref(), query_param("form")) {
        (Some("outbox"), _) => view! { <OutboxScreen/> }.into_any(),
        (Some("settings"), _) => view! { <SettingsScreen/> }.into_any(),
        (Some("enrol"), _) => view! { <crate::enrol::EnrolScreen/> }.into_any(),
        (_, Some(url)) => view! { <FormScreen url draft=query_param("draft")/> }.into_any(),
        _ => view! { <Home/> }.into_any(),
    }
}

/// The events that wake the outbox or bring in another tab's changes.
fn listen(state: AppState) {
    let _ = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        state.outbox.update(|o| o.retry_now(now_ms()));
        sync::kick(state);
        sync::fetch_feed(state);
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if crate::platform::page_visible() {
            sync::kick(state);
        }
    });
    // Another tab queued, sent or removed an entry.
    storage::on_other_tab(move |id, entry| match entry {
        Some(mut entry) => state.outbox.update(|o| {
            // Answers never change: those already read here stay.
            if let Some(old) = o.get(&id) {
                entry.submission.answers = old.submission.answers.clone();
            }
            o.upsert(entry)
        }),
        None => state.outbox.update(|o| o.forget(&id)),
    });
    let _ = window_event_listener_untyped("phieu-update", move |_| state.update_ready.set(true));
}

#[component]
fn StatusBar() -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    let waiting = move || state.outbox.with(|o| o.pending());
    let switch = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        state.wrote(storage::save_lang(next));
    };
    let apply_update = move |_| {
        if let Ok(f) = js_sys::Reflect::get(&window(), &"phieuApplyUpdate".into()) {
            if let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f) {
                let _ = f.call0(&JsValue::UNDEFINED);
            }
        }
    };
    let storage_error = move || match state.storage_error.get() {
        Some(WriteError::Full) => t(lang.get(), Msg::StorageFull).to_string(),
        Some(WriteError::Other(why)) => format!("{}: {why}", t(lang.get(), Msg::StorageFailed)),
        None => String::new(),
    };
    let quarantined = storage::quarantined();
    view! {
        <header class="status">
            <a class="brand" href="./">{tr(Msg::AppName)}</a>
            <span class="net" class:offline=move || !state.online.get() data-testid="connection">
                {move || t(lang.get(), if state.online.get() { Msg::Online } else { Msg::Offline })}
            </span>
            <a class="outbox" href="?screen=outbox" data-testid="outbox-count">
                {tr(Msg::Outbox)} ": " <strong>{waiting}</strong>
            </a>
            <a class="settings" href="?screen=settings" aria-label=tr(Msg::Settings)>"⚙"</a>
            <button type="button" class="lang" on:click=switch>{tr(Msg::SwitchLanguage)}</button>
        </header>
        // Fixed nodes, hidden while there is nothing to say.
        <div class="alert" role="alert" data-testid="storage-error" hidden=move || state.storage_error.with(Option::is_none)>{storage_error}</div>
        <div class="alert" role="alert" data-testid="paused" hidden=move || state.outbox.with(|o| o.paused().is_none())>
            <a href="?screen=settings">{tr(Msg::Paused)}</a>
        </div>
        <div class="notice update" role="status" hidden=move || !state.update_ready.get()>
            {tr(Msg::UpdateReady)} " "
            <button type="button" on:click=apply_update>{tr(Msg::UpdateNow)}</button>
        </div>
        <div class="alert" role="alert" data-testid="quarantined" hidden=quarantined.is_empty()>
            {tr(Msg::Quarantined)} " " {quarantined.join(", ")}
        </div>
    }
}
