//! One form on screen: its pages one at a time, a review of every answer,
//! autosave on every change, and submission into the outbox.
//!
//! Nothing here knows a particular form: pages, questions and logic all come
//! from the definition.

mod panels;
mod question;
mod responses;
mod review;
mod rich;
mod widgets;

use crate::app::use_state;
use crate::i18n::{t, tr, Lang, Msg};
use crate::platform::{new_id, now_iso, now_ms, window};
use crate::storage::{self, Draft};
use leptos::prelude::*;
use phieu_core::outbox::Destination;
use phieu_core::submission::form_id_from_url;
use phieu_core::{AnswerError, Answers, Element, Entry, Form, FormRef, Kind, Meta, Submission, Target};
use question::{control_id, element, piped};
use responses::Responses;
use serde_json::Value;
use std::collections::HashMap;

/// A form opened by address (`?form=<url>`), with a draft: `draft=new`
/// starts one, `draft=<id>` resumes that one, and no draft resumes the most
/// recent one of this form (so a reopened page carries on where it stopped).
#[component]
pub fn FormScreen(url: String, draft: Option<String>) -> impl IntoView {
    let state = use_state();
    let draft = match draft.as_deref() {
        Some("new") => None,
        Some(id) => storage::load_draft(id),
        None => storage::list_drafts().into_iter().find(|d| d.form_url == url),
    };
    let opened = {
        let url = url.clone();
        let storage_error = state.storage_error;
        crate::home::load(async move { open(&url, draft, storage_error).await })
    };
    let url = StoredValue::new(url);
    view! {
        {move || match opened.get() {
            None => view! { <p>{tr(Msg::Loading)}</p> }.into_any(),
            Some(o) => {
                let view = shown(o, url);
                state.lang_settled.set(true);
                crate::platform::started();
                view
            }
        }}
    }
}

fn shown(o: Opened, url: StoredValue<String>) -> AnyView {
    match o {
        Opened::Ready(text, draft) => {
            let loaded = phieu_core::load(&text);
            match loaded.form {
                Some(form) => view! { <FormView form url=url.get_value() draft/> }.into_any(),
                None => view! { <DefinitionErrors url=url.get_value() diagnostics=loaded.diagnostics/> }.into_any(),
            }
        }
        Opened::Unavailable(why) => view! {
            <p class="alert" role="alert">{tr(Msg::FormUnavailable)}</p>
            <p class="detail">{why}</p>
            <p><a href="./">{tr(Msg::Home)}</a></p>
        }
        .into_any(),
    }
}

/// A form definition as the form screen receives it.
#[derive(Clone)]
enum Opened {
    Ready(String, Option<Draft>),
    Unavailable(String),
}

/// Loads the definition from the network, else from the device, and keeps
/// a copy on the device (also by version). A draft reopens on the version it
/// was started with, even if the form has changed since.
async fn open(url: &str, draft: Option<Draft>, storage_error: RwSignal<Option<storage::WriteError>>) -> Opened {
    if let Some(text) = draft.as_ref().and_then(|d| storage::form_by_version(&d.form_id, &d.form_version)) {
        return Opened::Ready(text, draft);
    }
    match crate::platform::fetch_text(url).await {
        Ok(text) => {
            if let Some(form) = phieu_core::load(&text).form {
                let id = form.id.clone().unwrap_or_else(|| form_id_from_url(url));
                if let Err(e) = storage::cache_form(url, &id, &form.version, &text) {
                    storage_error.set(Some(e));
                }
            }
            Opened::Ready(text, draft)
        }
        Err(e) => match storage::cached_form(url) {
            Some(text) => Opened::Ready(text, draft),
            None => Opened::Unavailable(e),
        },
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

/// Where the person is in the form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Page(usize),
    Review,
    Done,
}

/// A new draft's answers: each question's `defaultValue`, and one empty
/// repeat per `panelCount` of a paneldynamic.
fn defaults(form: &Form) -> Answers {
    let mut a = Answers::new();
    for p in &form.pages {
        for q in &p.elements {
            add_default(q, &mut a);
        }
    }
    a
}

fn add_default(q: &Element, a: &mut Answers) {
    match &q.kind {
        Kind::Panel { elements } => elements.iter().for_each(|e| add_default(e, a)),
        Kind::PanelDynamic { initial, .. } if *initial > 0 && q.default_value.is_none() => {
            a.insert(q.name.clone(), Value::Array(vec![Value::Object(Default::default()); *initial as usize]));
        }
        _ => {
            if let Some(v) = q.default_value.clone() {
                a.insert(q.name.clone(), v);
            }
        }
    }
}

/// The page each top-level answer is asked on, by lower-case name.
fn pages_of(form: &Form) -> HashMap<String, usize> {
    fn walk(es: &[Element], page: usize, out: &mut HashMap<String, usize>) {
        for e in es {
            out.insert(phieu_core::answers::name_key(&e.name).into_owned(), page);
            if let Kind::Panel { elements } = &e.kind {
                walk(elements, page, out);
            }
        }
    }
    let mut out = HashMap::new();
    for (i, p) in form.pages.iter().enumerate() {
        walk(&p.elements, i, &mut out);
    }
    out
}

/// Brings the first problem into view and puts the cursor on it, once the
/// page showing it is on screen.
pub(super) fn focus_problem(key: String, other: bool) {
    request_animation_frame(move || {
        let doc = document();
        // "Other" chosen but not described: the cursor goes to its text.
        let id = if other { format!("{}-other", control_id(&key)) } else { control_id(&key) };
        let by_id = doc.get_element_by_id(&id);
        let target = by_id.or_else(|| doc.query_selector(&format!("[data-question=\"{}\"]", key.replace('"', ""))).ok().flatten());
        if let Some(el) = target {
            el.scroll_into_view_with_bool(false);
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

#[component]
pub fn FormView(form: Form, url: String, draft: Option<Draft>) -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    // The form's own language is the default until the person picks one.
    if storage::load_lang().is_none() {
        if let Some(code) = form.locale.as_deref().filter(|c| c.starts_with("vi") || c.starts_with("en")) {
            lang.set(Lang::from_browser(code));
        }
    }
    let restored = draft.as_ref().is_some_and(|d| !d.answers.is_empty());
    let is_new = draft.is_none();
    let total = form.questions().filter(|q| !matches!(q.kind, Kind::Expression { .. })).count() as u32;
    let start = draft.as_ref().map(|d| d.answers.clone()).unwrap_or_else(|| defaults(&form));
    let base = draft.unwrap_or_else(|| Draft {
        id: new_id(),
        form_url: url.clone(),
        form_id: form.id.clone().unwrap_or_else(|| form_id_from_url(&url)),
        form_version: form.version.clone(),
        title: form.title.to_json(),
        started_at: now_iso(),
        updated_at: now_ms(),
        answers: Answers::new(),
        progress: (0, total),
        replaces: None,
        page: 0,
    });
    let draft = StoredValue::new(base);
    let responses = StoredValue::new(None::<Responses>);
    // Whether the draft is in storage yet (a resumed one is).
    let stored = StoredValue::new(!is_new);
    let changed = Callback::new(move |_: ()| {
        let Some(r) = responses.get_value() else { return };
        draft.update_value(|d| {
            d.answers = r.answers_untracked();
            d.updated_at = now_ms();
            d.progress = (d.answers.keys().filter(|k| !phieu_core::answers::is_comment_key(k)).count() as u32, total);
            let saved = state.wrote(storage::save_draft(d));
            if saved && !stored.get_value() {
                stored.set_value(true);
                // A reload now resumes this very draft.
                let _ = window().history().and_then(|h| {
                    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&crate::home::form_href(&d.form_url, &d.id)))
                });
            }
        });
    });
    let page_of = pages_of(&form);
    let page_count = form.pages.len();
    let r = Responses::new(form, start, changed);
    responses.set_value(Some(r));
    // `defaultValueExpression` fills a new report (not saved until the person
    // answers something, so merely opening a form leaves no draft behind).
    let defaults_now: Vec<(String, Value)> = r.with_state(|f, _, s, a| {
        f.questions()
            .filter(|q| is_new && q.default_value_expression.is_some() && !a.contains_key(&q.name))
            .filter_map(|q| {
                let v = s.value(&Target::Default(q.name.clone())).filter(|v| !v.is_empty())?;
                let input_type = match q.kind {
                    Kind::Text { input_type, .. } => input_type,
                    _ => phieu_core::form::InputType::Text,
                };
                Some((q.name.clone(), phieu_core::display::for_input(v, input_type, &crate::platform::clock())))
            })
            .collect()
    });
    for (name, v) in defaults_now {
        r.set_quietly(&name, Some(v));
    }

    let visible_pages = move || (0..page_count).filter(|&i| r.holds(Target::PageVisible(i), true)).collect::<Vec<_>>();
    let resume = draft.with_value(|d| d.page);
    let first = if visible_pages().contains(&resume) { resume } else { visible_pages().first().copied().unwrap_or(0) };
    let step = RwSignal::new(Step::Page(first));
    // A finished report that could not be stored on the device.
    let unsaved = RwSignal::new(None::<Entry>);
    let export_unsaved = move |_| {
        if let Some(e) = unsaved.get_untracked() {
            crate::platform::download(&format!("phieu-{}.json", e.id()), "application/json", &crate::export::to_json(&[e]));
        }
    };
    let page_of = StoredValue::new(page_of);
    let page_index = move |key: &str| {
        page_of.with_value(|m| m.get(phieu_core::answers::name_key(key.split('[').next().unwrap_or(key)).as_ref()).copied())
    };

    // The problems on one page (or all), shown next to their questions.
    let check = move |only: Option<usize>| -> Vec<AnswerError> {
        let problems = r.with_state(|f, l, s, a| phieu_core::validate::check(f, l, s, a, &crate::platform::clock()));
        let problems: Vec<AnswerError> = problems.into_iter().filter(|p| only.is_none() || page_index(&p.question) == only).collect();
        r.errors.set(problems.clone());
        problems
    };
    let go = move |to: Step| {
        if let Step::Page(i) = to {
            draft.update_value(|d| d.page = i);
            changed.run(());
        }
        step.set(to);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    let next = move |_| {
        let Step::Page(i) = step.get_untracked() else { return };
        if let Some(first) = check(Some(i)).first() {
            return focus_problem(first.question.clone(), first.kind == phieu_core::ErrorKind::OtherEmpty);
        }
        match visible_pages().into_iter().find(|&p| p > i) {
            Some(p) => go(Step::Page(p)),
            None => go(Step::Review),
        }
    };
    let previous = move |_| {
        if let Some(p) = match step.get_untracked() {
            Step::Page(i) => visible_pages().into_iter().rev().find(|&p| p < i),
            _ => visible_pages().last().copied(),
        } {
            go(Step::Page(p));
        }
    };
    let edit = Callback::new(move |key: String| {
        if let Some(p) = page_index(&key) {
            go(Step::Page(p));
            focus_problem(key, false);
        }
    });

    let submit = move |_| {
        if let Some(first) = check(None).first() {
            if let Some(p) = page_index(&first.question) {
                step.set(Step::Page(p));
            }
            return focus_problem(first.question.clone(), first.kind == phieu_core::ErrorKind::OtherEmpty);
        }
        // Not stored: nothing is lost; the answers stay on screen and can leave as a file.
        if let Err(entry) = store_report(state, r, &draft.get_value()) {
            return unsaved.set(Some(*entry));
        }
        unsaved.set(None);
        go(Step::Done);
        crate::sync::kick(state);
    };

    let (title, description, completed) = r.form.with_value(|f| (f.title.clone(), f.description.clone(), f.completed_html.clone()));
    let another = crate::home::form_href(&url, "new");
    let progress = move || {
        let pages = visible_pages();
        let at = match step.get() {
            Step::Page(i) => pages.iter().position(|&p| p == i).unwrap_or(0) + 1,
            _ => pages.len(),
        };
        (at, pages.len())
    };
    let last_page = move || matches!(step.get(), Step::Page(i) if !visible_pages().into_iter().any(|p| p > i));
    let first_page = move || matches!(step.get(), Step::Page(i) if !visible_pages().into_iter().any(|p| p < i));
    let body = move || match step.get() {
        Step::Page(i) => page_view(r, i).into_any(),
        Step::Review => view! { <review::Review r edit/> }.into_any(),
        Step::Done => ().into_any(),
    };
    let done = move || done_view(r, completed.clone(), another.clone());
    view! {
        <Show when=move || step.get() != Step::Done fallback=done>
            <form class="survey" novalidate on:submit=|ev| ev.prevent_default()>
                <h1>{piped(r, title.clone(), None)}</h1>
                {description.clone().map(|d| view! { <p class="form-desc">{piped(r, d, None)}</p> })}
                {restored.then(|| view! { <p class="notice" role="status">{tr(Msg::DraftRestored)}</p> })}
                {move || {
                    let (at, of) = progress();
                    (of > 1).then(|| {
                        let label = move || match step.get() {
                            Step::Review => t(lang.get(), Msg::ReviewTitle).to_string(),
                            _ => format!("{} {at}/{of}", t(lang.get(), Msg::Page)),
                        };
                        view! {
                            <div class="progress">
                                <span id="progress-label">{label}</span>
                                <progress max=of value=at aria-labelledby="progress-label"></progress>
                            </div>
                        }
                    })
                }}
                {body}
                <p class="error summary" role="alert">
                    {move || (!r.errors.with(Vec::is_empty)).then(|| t(lang.get(), Msg::FixErrors))}
                </p>
                {move || unsaved.with(|u| u.is_some()).then(|| view! {
                    <p class="alert" role="alert">
                        {tr(Msg::StorageFull)} " "
                        <button type="button" class="small" on:click=export_unsaved>{tr(Msg::ExportThis)}</button>
                    </p>
                })}
                <nav class="pager">
                    <button type="button" data-nav="prev" prop:hidden=first_page on:click=previous>{tr(Msg::Previous)}</button>
                    {move || match step.get() {
                        Step::Review => view! {
                            <button type="button" class="primary" data-nav="submit" on:click=submit>{tr(Msg::Submit)}</button>
                        }.into_any(),
                        _ => view! {
                            <button type="button" class="primary" data-nav="next" on:click=next>
                                {move || t(lang.get(), if last_page() { Msg::Review } else { Msg::Next })}
                            </button>
                        }.into_any(),
                    }}
                </nav>
            </form>
        </Show>
    }
}

fn page_view(r: Responses, i: usize) -> impl IntoView {
    let page = r.form.with_value(|f| f.pages[i].clone());
    let title = page.title.map(|t| view! { <h2>{piped(r, t, None)}</h2> });
    let description = page.description.map(|d| view! { <p class="form-desc">{piped(r, d, None)}</p> });
    view! {
        <section class="page" data-page=page.name>
            {title}
            {description}
            {page.elements.into_iter().map(|e| element(e, r, None)).collect_view()}
        </section>
    }
}

/// After submitting: the form's own `completedHtml`, then what happens next.
fn done_view(r: Responses, completed: Option<phieu_core::Localized>, another: String) -> impl IntoView {
    let completed = completed.map(|c| rich::markdown(piped(r, c, None)));
    view! {
        <section class="done" role="status">
            <h1>{tr(Msg::Queued)}</h1>
            {completed}
            <p>{tr(Msg::QueuedHint)}</p>
            <p class="actions">
                <a class="button" href=another>{tr(Msg::FillAnother)}</a>
                <a href="./">{tr(Msg::Home)}</a>
            </p>
        </section>
    }
}

/// Puts the finished report in the outbox. The draft (and a report it
/// corrects) go only once the new entry is safely stored; if it cannot be
/// stored, the entry comes back so it can leave as a file.
fn store_report(state: crate::app::AppState, r: Responses, d: &Draft) -> Result<(), Box<Entry>> {
    let (answers, target) = r.with_state(|f, l, s, a| (phieu_core::logic::result(f, l, s, a, &crate::platform::clock()), f.submit.clone()));
    let submission = Submission {
        id: new_id(),
        form: FormRef { id: d.form_id.clone(), version: d.form_version.clone() },
        started_at: d.started_at.clone(),
        completed_at: now_iso(),
        // Hidden questions' answers are left out, computed values added (as SurveyJS does).
        answers,
        meta: Meta {
            locale: state.lang.get_untracked().code().to_string(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            replaces: d.replaces.clone(),
        },
    };
    let mut entry = Entry::new(submission, now_ms());
    entry.form_url = Some(d.form_url.clone());
    entry.target = target.map(|s| Destination { url: s.url, headers: s.headers, flat: s.flat });
    if !state.wrote(storage::save_entry(&entry)) {
        return Err(Box::new(entry));
    }
    match &d.replaces {
        Some(old) => {
            if let Some(old) = state.outbox.try_update(|o| o.replace(old, entry.clone())).flatten() {
                storage::delete_entry(&old);
            } else {
                state.outbox.update(|o| o.push(entry));
            }
        }
        None => state.outbox.update(|o| o.push(entry)),
    }
    storage::delete_draft(&d.id);
    Ok(())
}
