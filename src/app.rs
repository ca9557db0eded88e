//! The app's screens: the list of forms, one form, and the status bar that
//! every screen shows (connection and how many reports wait to be sent).

use crate::form_view::FormView;
use crate::i18n::{t, tr, Lang, Msg};
use crate::platform::{fetch_text, query_param};
use crate::{storage, sync};
use leptos::prelude::*;
use phieu_core::{Localized, Outbox};
use serde::Deserialize;

/// How long receipts of sent reports are kept on the device.
const KEEP_SENT_MS: f64 = 30.0 * 86_400_000.0;

/// What every screen shares. All fields are cheap handles (`Copy`).
#[derive(Clone, Copy)]
pub struct AppState {
    pub outbox: RwSignal<Outbox>,
    pub online: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    /// The last failed write to storage, shown until the person dismisses it.
    pub storage_error: RwSignal<Option<String>>,
    pub endpoint: StoredValue<String>,
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

#[derive(Deserialize)]
struct Config {
    endpoint: Option<String>,
}

#[component]
pub fn App() -> impl IntoView {
    let (entries, unreadable) = storage::load_outbox();
    let mut outbox = Outbox::new(entries);
    for id in outbox.prune_sent(crate::platform::now_ms(), KEEP_SENT_MS) {
        storage::delete_entry(&id);
    }
    let lang = storage::load_lang().unwrap_or_else(|| Lang::from_browser(&crate::platform::browser_language()));
    let state = AppState {
        outbox: RwSignal::new(outbox),
        online: RwSignal::new(crate::platform::online()),
        lang: RwSignal::new(lang),
        storage_error: RwSignal::new(None),
        endpoint: StoredValue::new("api/submissions".to_string()),
    };
    if !unreadable.is_empty() {
        state.storage_error.set(Some(format!("{} unreadable record(s): {}", unreadable.len(), unreadable.join(", "))));
    }
    provide_context(state);

    let _ = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        state.outbox.update(|o| o.retry_now(crate::platform::now_ms()));
        sync::kick(state);
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    leptos::task::spawn_local(async move {
        if let Ok(text) = fetch_text("config.json").await {
            if let Some(endpoint) = serde_json::from_str::<Config>(&text).ok().and_then(|c| c.endpoint) {
                state.endpoint.set_value(endpoint);
            }
        }
        sync::kick(state);
    });

    Effect::new(move |_| {
        let code = state.lang.get().code();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
    });

    let form_url = query_param("form");
    view! {
        <StatusBar/>
        <main>
            {match form_url {
                Some(url) => view! { <FormScreen url/> }.into_any(),
                None => view! { <Home/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn StatusBar() -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    let waiting = move || state.outbox.with(|o| o.pending());
    let switch = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        if let Err(e) = storage::save_lang(next) {
            state.storage_error.set(Some(e));
        }
    };
    view! {
        <header class="status">
            <a class="brand" href="./">{tr(Msg::AppName)}</a>
            <span class="net" class:offline=move || !state.online.get() data-testid="connection">
                {move || t(lang.get(), if state.online.get() { Msg::Online } else { Msg::Offline })}
            </span>
            <span class="outbox" data-testid="outbox-count">
                {tr(Msg::Outbox)} ": " <strong>{waiting}</strong>
            </span>
            <button type="button" class="lang" on:click=switch>{tr(Msg::SwitchLanguage)}</button>
        </header>
        <Show when=move || state.storage_error.get().is_some()>
            <div class="alert" role="alert">
                <strong>{tr(Msg::StorageFailed)}</strong>
                ": " {move || state.storage_error.get().unwrap_or_default()}
            </div>
        </Show>
    }
}

#[derive(Clone, Deserialize)]
struct Listing {
    url: String,
    title: serde_json::Value,
    #[serde(default)]
    description: Option<serde_json::Value>,
}

#[component]
fn Home() -> impl IntoView {
    let lang = use_state().lang;
    let forms = load(async {
        let text = fetch_text("forms/index.json").await?;
        serde_json::from_str::<Vec<Listing>>(&text).map_err(|e| e.to_string())
    });
    let text = move |v: &serde_json::Value| Localized::from_json(v).map(|l| l.get(lang.get().code()).to_string()).unwrap_or_default();
    view! {
        <h1>{tr(Msg::Forms)}</h1>
        {move || match forms.get() {
                None => view! { <p>{t(lang.get(), Msg::Loading)}</p> }.into_any(),
                Some(r) => match r {
                Ok(list) if list.is_empty() => view! { <p>{t(lang.get(), Msg::NoForms)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="forms">
                        {list.into_iter().map(|f| {
                            let href = format!("?form={}", js_sys::encode_uri_component(&f.url));
                            let description = f.description.clone();
                            view! {
                                <li><a href=href>
                                    <span class="title">{move || text(&f.title)}</span>
                                    <span class="desc">{move || description.as_ref().map(&text)}</span>
                                </a></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(_) => view! { <p class="alert">{t(lang.get(), Msg::FormsUnavailable)}</p> }.into_any(),
            }}}
    }
}

/// Runs `fut` once and holds its result; `None` while it runs. A plain
/// signal instead of a resource: this app never refetches, and the async
/// resource machinery costs wasm size.
fn load<T: Send + Sync + 'static>(fut: impl std::future::Future<Output = T> + 'static) -> ReadSignal<Option<T>> {
    let (get, set) = signal(None);
    leptos::task::spawn_local(async move { set.set(Some(fut.await)) });
    get
}

/// A form definition as the form screen receives it.
#[derive(Clone)]
enum Fetched {
    Ready(String),
    Unavailable(String),
}

/// Loads the definition from the network, else from the device, and keeps
/// a copy on the device so it opens offline next time.
async fn fetch_form(url: &str, storage_error: RwSignal<Option<String>>) -> Fetched {
    match fetch_text(url).await {
        Ok(text) => {
            if let Err(e) = storage::cache_form(url, &text) {
                storage_error.set(Some(e));
            }
            Fetched::Ready(text)
        }
        Err(e) => match storage::cached_form(url) {
            Some(text) => Fetched::Ready(text),
            None => Fetched::Unavailable(e),
        },
    }
}

#[component]
fn FormScreen(url: String) -> impl IntoView {
    let lang = use_state().lang;
    let source = {
        let url = url.clone();
        let storage_error = use_state().storage_error;
        load(async move { fetch_form(&url, storage_error).await })
    };
    let url = StoredValue::new(url);
    view! {
        {move || match source.get() {
            None => view! { <p>{t(lang.get(), Msg::Loading)}</p> }.into_any(),
            Some(fetched) => match fetched {
                Fetched::Ready(text) => {
                    let loaded = phieu_core::load(&text);
                    match loaded.form {
                        Some(form) => view! { <FormView form url=url.get_value()/> }.into_any(),
                        None => view! { <DefinitionErrors url=url.get_value() diagnostics=loaded.diagnostics/> }.into_any(),
                    }
                }
                Fetched::Unavailable(why) => view! {
                    <p class="alert" role="alert">{tr(Msg::FormUnavailable)}</p>
                    <p class="detail">{why}</p>
                    <p><a href="./">{tr(Msg::Home)}</a></p>
                }.into_any(),
            }
        }}
    }
}

/// Shown to the form's author instead of a blank page.
#[component]
fn DefinitionErrors(url: String, diagnostics: Vec<phieu_core::Diagnostic>) -> impl IntoView {
    view! {
        <section class="definition-errors" role="alert">
            <h1>{tr(Msg::FormHasErrors)}</h1>
            <ul>
                {diagnostics.into_iter().filter(|d| d.is_error()).map(|d| view! {
                    <li><code>{format!("{url}:{d}")}</code></li>
                }).collect_view()}
            </ul>
        </section>
    }
}
