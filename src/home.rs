//! The home screen: the forms to fill in, and the reports left unfinished.

use crate::app::use_state;
use crate::i18n::{t, tr, Msg};
use crate::platform::{confirm, fetch_text, format_time, new_id, now_ms};
use crate::storage::{self, Draft};
use leptos::prelude::*;
use phieu_core::draft::Stamp;
use phieu_core::feed::text;
use phieu_core::json;
use phieu_core::Localized;

#[derive(Clone)]
struct Listing {
    url: String,
    title: serde_json::Value,
    description: Option<serde_json::Value>,
}

/// `forms/index.json`, read by hand: `None` if it is not a list of objects with an address.
fn listings(text: &str) -> Option<Vec<Listing>> {
    let v = json::parse(text).ok()?;
    let listing = |f: &serde_json::Value| {
        let description = f.get("description").filter(|d| !d.is_null()).cloned();
        Some(Listing { url: f.get("url")?.as_str()?.to_string(), title: f.get("title").cloned().unwrap_or_default(), description })
    };
    v.as_array()?.iter().map(listing).collect()
}

/// Runs `fut` once and holds its result; `None` while it runs. A plain
/// signal instead of a resource: the screens never refetch, and the async
/// resource machinery costs wasm size. Held in a Mutex and announced by a
/// Trigger (a type the app has) rather than a signal type of its own.
pub fn load<T: Clone + Send + Sync + 'static>(fut: impl std::future::Future<Output = T> + 'static) -> impl Fn() -> Option<T> {
    let (done, slot) = (Trigger::new(), std::sync::Arc::new(std::sync::Mutex::new(None)));
    let held = slot.clone();
    leptos::task::spawn_local(async move {
        let v = fut.await;
        *held.lock().unwrap_or_else(|e| e.into_inner()) = Some(v);
        done.notify();
    });
    move || {
        done.track();
        slot.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

pub fn form_href(url: &str, draft: &str) -> String {
    format!("?form={}&draft={}", js_sys::encode_uri_component(url), js_sys::encode_uri_component(draft))
}

/// `tag` with `text` added at the end of `parent`.
fn add(parent: &web_sys::Element, tag: &str, class: &str, text: &str) -> Option<web_sys::Element> {
    let el = document().create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el.set_text_content(Some(text));
    parent.append_child(&el).ok()?;
    Some(el)
}

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_state().lang;
    // How many forms there are (None while loading or when the list could
    // not be had), and whether it failed: signal types the app already has.
    let (count, failed) = (RwSignal::new(None::<usize>), RwSignal::new(false));
    let forms = std::rc::Rc::new(std::cell::RefCell::new(Vec::<Listing>::new()));
    {
        let forms = forms.clone();
        leptos::task::spawn_local(async move {
            match fetch_text("forms/index.json").await.ok().and_then(|text| listings(&text)) {
                Some(l) => {
                    let n = l.len();
                    *forms.borrow_mut() = l;
                    count.set(Some(n));
                }
                None => failed.set(true),
            }
        });
    }
    let list = NodeRef::<leptos::html::Ul>::new();
    // Drawn with plain DOM calls, as the announcements: a list only read and followed.
    Effect::new(move |_| {
        let code = lang.get().code();
        count.track();
        let Some(ul) = list.get() else { return };
        ul.set_text_content(None);
        let text = |v: &serde_json::Value| Localized::from_json(v).map(|l| l.get(code).to_string()).unwrap_or_default();
        for f in forms.borrow().iter() {
            let Some(a) = add(&ul, "li", "", "").and_then(|li| add(&li, "a", "", "")) else { continue };
            let _ = a.set_attribute("href", &form_href(&f.url, "new"));
            add(&a, "span", "title", &text(&f.title));
            add(&a, "span", "desc", &f.description.as_ref().map(text).unwrap_or_default());
        }
    });
    view! {
        <News/>
        <Drafts/>
        <h1>{tr(Msg::Forms)}</h1>
        // Fixed nodes: the state only hides and shows them, and fills the list.
        <p hidden=move || count.get().is_some() || failed.get()>{tr(Msg::Loading)}</p>
        <p hidden=move || count.get() != Some(0)>{tr(Msg::NoForms)}</p>
        <p class="alert" hidden=move || !failed.get()>{tr(Msg::FormsUnavailable)}</p>
        <ul class="forms" node_ref=list></ul>
    }
}

/// What the office sent down, kept for offline: a count of new replies
/// (they are read on the outbox screen) and the announcements.
#[component]
fn News() -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    let unread = move || state.feed.with(|f| f.unread());
    let none = move || state.feed.with(|f| f.announcements().next().is_none());
    let list = NodeRef::<leptos::html::Ul>::new();
    // The list is drawn with plain DOM calls (text only, never HTML): far
    // less wasm than a view per item, for a list the person only reads.
    Effect::new(move |_| {
        let lang = lang.get();
        let Some(ul) = list.get() else { return };
        ul.set_text_content(None);
        state.feed.with(|f| {
            for a in f.announcements() {
                let topic = if text(a, "kind") == "topic" { format!("{}: ", t(lang, Msg::Topic)) } else { String::new() };
                let when = format_time(crate::platform::parse_time(text(a, "at")), lang.code());
                let Some(li) = add(&ul, "li", "", "") else { continue };
                add(&li, "strong", "", &format!("{topic}{}", text(a, "title")));
                add(&li, "p", "", text(a, "body"));
                add(&li, "span", "", &when);
            }
        });
    });
    view! {
        <p class="notice" data-testid="new-replies" hidden=move || unread() == 0>
            <a href="?screen=outbox">{unread} " " {tr(Msg::NewReplies)}</a>
        </p>
        <h1 hidden=none>{tr(Msg::Announcements)}</h1>
        <ul class="announcements" data-testid="announcements" hidden=none node_ref=list></ul>
    }
}

/// A few words that tell one draft from another: its first text answer, in
/// the form's question order when the definition is on the device.
fn hint(d: &Draft) -> Option<String> {
    let form = storage::stored_form(Some(&d.form_url), &d.form_id, &d.form_version);
    let text = |v: &serde_json::Value| v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let in_order = form.and_then(|f| f.questions().find_map(|q| d.answers.get(&q.name).and_then(text)));
    let first = in_order.or_else(|| d.answers.values().find_map(text))?;
    let mut short: String = first.chars().take(40).collect();
    if first.chars().count() > 40 {
        short.push('…');
    }
    Some(short)
}

/// Unfinished reports, most recent first: continue, duplicate or discard.
/// Drawn with plain DOM calls, redrawn whole when one goes or the language
/// changes; one click handler on the list serves every row's buttons.
#[component]
fn Drafts() -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    // The drafts are read from storage's list whenever this fires (a Trigger,
    // not a signal of a type of its own).
    let changed = Trigger::new();
    let empty = move || {
        changed.track();
        storage::list_drafts().is_empty()
    };
    let list = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        let lang = lang.get();
        changed.track();
        let Some(ul) = list.get() else { return };
        ul.set_text_content(None);
        for d in storage::list_drafts() {
            let Some(li) = add(&ul, "li", "draft", "") else { continue };
            let href = form_href(&d.form_url, &d.id);
            let title = Localized::from_json(&d.title).unwrap_or_default();
            if let Some(a) = add(&li, "a", "title", title.get(lang.code())) {
                let _ = a.set_attribute("href", &href);
            }
            let hint = hint(&d).map(|h| format!("“{h}”")).unwrap_or_default();
            if let Some(span) = add(&li, "span", "hint", &hint) {
                span.toggle_attribute_with_force("hidden", hint.is_empty()).ok();
            }
            let (edited, when) = (t(lang, Msg::Edited), format_time(d.updated_at, lang.code()));
            let meta = format!("{edited} {when} · {}/{} {}", d.progress.0, d.progress.1, t(lang, Msg::Answered));
            add(&li, "span", "meta", &meta);
            let Some(actions) = add(&li, "span", "actions", "") else { continue };
            if let Some(a) = add(&actions, "a", "button small", t(lang, Msg::Resume)) {
                let _ = a.set_attribute("href", &href);
            }
            for (class, msg) in [("small", Msg::Duplicate), ("small danger", Msg::Discard)] {
                if let Some(b) = add(&actions, "button", class, t(lang, msg)) {
                    let _ = b.set_attribute("type", "button");
                    let _ = b.set_attribute("data-draft", &d.id);
                }
            }
        }
    });
    let click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) else { return };
        let Some(id) = button.get_attribute("data-draft") else { return };
        if button.class_list().contains("danger") {
            if confirm(t(lang.get_untracked(), Msg::ConfirmDiscard)) {
                storage::delete_draft(&id);
                changed.notify();
            }
            return;
        }
        let Some(d) = storage::list_drafts().into_iter().find(|d| d.id == id) else { return };
        let copy = d.duplicate(Stamp { id: new_id(), started_at: crate::platform::now_iso(), now: now_ms() });
        leptos::task::spawn_local(async move {
            if state.wrote(storage::save_draft(&copy).await) {
                changed.notify();
            }
        });
    };
    view! {
        <h1 hidden=empty>{tr(Msg::Drafts)}</h1>
        <ul class="drafts" data-testid="drafts" hidden=empty node_ref=list on:click=click></ul>
    }
}
