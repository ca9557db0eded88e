//! One form on screen: a widget per question, autosave on every change, and
//! submission into the outbox. Widgets know question *types*, never a
//! particular form.

use crate::app::use_state;
use crate::i18n::{t, text, tr, Msg};
use crate::platform::{new_id, now_iso, now_ms, window};
use crate::storage::{self, Draft};
use leptos::prelude::*;
use phieu_core::form::{InputType, Kind};
use phieu_core::submission::form_id_from_url;
use phieu_core::outbox::Destination;
use phieu_core::{validate, Answers, Element, Entry, Form, FormRef, Logic, Meta, State, Submission, Target};
use serde_json::Value;

/// The answers being filled in, shared by every widget of one form.
#[derive(Clone, Copy)]
struct Responses {
    answers: RwSignal<Answers>,
    /// The questions showing an error, with its message.
    errors: RwSignal<Vec<(String, String)>>,
    changed: Callback<()>,
    /// The form's logic, and its outcome for the answers so far.
    logic: StoredValue<Logic>,
    outcome: RwSignal<State>,
}

impl Responses {
    fn get(self, name: &str) -> Option<Value> {
        self.answers.with(|a| a.get(name).cloned())
    }
    /// Stores an answer (or clears it) and saves the draft.
    fn set(self, name: &str, value: Option<Value>) {
        let empty = phieu_core::validate::is_empty(value.as_ref());
        self.answers.update(|a| match value {
            Some(v) if !empty => {
                a.insert(name.to_string(), v);
            }
            _ => {
                a.remove(name);
            }
        });
        if !empty {
            self.errors.update(|e| e.retain(|(n, _)| n != name));
        }
        // Only what depends on this answer is evaluated again.
        self.answers.with_untracked(|a| self.outcome.update(|s| self.logic.with_value(|l| drop(l.update(s, a, &crate::platform::clock(), name)))));
        self.changed.run(());
    }

    /// Whether a rule holds now (`default` when the form has none about it).
    fn holds(self, target: Target, default: bool) -> bool {
        self.outcome.with(|s| s.holds(&target, default))
    }
}

/// `id` attribute for a question's control; names may hold spaces.
fn control_id(name: &str) -> String {
    format!("q-{}", name.replace(char::is_whitespace, "_"))
}

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
            Some(Opened::Ready(text, draft)) => {
                let loaded = phieu_core::load(&text);
                match loaded.form {
                    Some(form) => view! { <FormView form url=url.get_value() draft/> }.into_any(),
                    None => view! { <DefinitionErrors url=url.get_value() diagnostics=loaded.diagnostics/> }.into_any(),
                }
            }
            Some(Opened::Unavailable(why)) => view! {
                <p class="alert" role="alert">{tr(Msg::FormUnavailable)}</p>
                <p class="detail">{why}</p>
                <p><a href="./">{tr(Msg::Home)}</a></p>
            }.into_any(),
        }}
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

#[component]
pub fn FormView(form: Form, url: String, draft: Option<Draft>) -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    let restored = draft.as_ref().is_some_and(|d| !d.answers.is_empty());
    let answers = RwSignal::new(draft.as_ref().map(|d| d.answers.clone()).unwrap_or_default());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let submitted = RwSignal::new(false);
    let total = form.questions().filter(|q| !matches!(q.kind, Kind::Expression { .. })).count() as u32;
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
    });
    let draft = StoredValue::new(base);
    let changed = Callback::new(move |_: ()| {
        let mut d = draft.get_value();
        let first_save = storage::load_draft(&d.id).is_none();
        d.answers = answers.get_untracked();
        d.updated_at = now_ms();
        d.progress = (d.answers.keys().filter(|k| !k.ends_with("-Comment")).count() as u32, total);
        if state.wrote(storage::save_draft(&d)) && first_save {
            // A reload now resumes this very draft.
            let _ = window().history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&crate::home::form_href(&d.form_url, &d.id))));
        }
        draft.set_value(d);
    });
    let logic = Logic::compile(&form);
    let outcome = RwSignal::new(answers.with_untracked(|a| logic.evaluate_all(a, &crate::platform::clock())));
    let responses = Responses { answers, errors, changed, logic: StoredValue::new(logic), outcome };
    let form = StoredValue::new(form);
    // A finished report that could not be stored on the device.
    let unsaved = RwSignal::new(None::<Entry>);
    let export_unsaved = move |_| {
        if let Some(e) = unsaved.get_untracked() {
            crate::platform::download(&format!("phieu-{}.json", e.id()), "application/json", &crate::export::to_json(&[e]));
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let problems = form.with_value(|f| answers.with_untracked(|a| validate(f, a)));
        if let Some(first) = problems.first() {
            let locale = lang.get_untracked().code();
            errors.set(problems.iter().map(|p| (p.question.clone(), p.message(locale))).collect());
            if let Some(el) = document().get_element_by_id(&control_id(&first.question)) {
                el.scroll_into_view();
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
            return;
        }
        let d = draft.get_value();
        let submission = Submission {
            id: new_id(),
            form: FormRef { id: d.form_id.clone(), version: d.form_version.clone() },
            started_at: d.started_at.clone(),
            completed_at: now_iso(),
            // Hidden questions' answers are left out, computed values added (as SurveyJS does).
            answers: form.with_value(|f| outcome.with_untracked(|s| answers.with_untracked(|a| phieu_core::logic::result(f, s, a)))),
            meta: Meta {
                locale: lang.get_untracked().code().to_string(),
                app_version: env!("CARGO_PKG_VERSION").to_string(),
                replaces: d.replaces.clone(),
            },
        };
        let mut entry = Entry::new(submission, now_ms());
        entry.form_url = Some(d.form_url.clone());
        entry.target = form.with_value(|f| f.submit.clone()).map(|s| Destination { url: s.url, headers: s.headers, flat: s.flat });
        // The draft (and a replaced entry) go only once the entry is safely stored.
        if !state.wrote(storage::save_entry(&entry)) {
            // Nothing is lost: the answers stay on screen, and can leave as a file.
            unsaved.set(Some(entry));
            return;
        }
        unsaved.set(None);
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
        submitted.set(true);
        window().scroll_to_with_x_and_y(0.0, 0.0);
        crate::sync::kick(state);
    };

    let title = move || form.with_value(|f| f.title.get(lang.get().code()).to_string());
    let description = move || form.with_value(|f| f.description.as_ref().map(|d| d.get(lang.get().code()).to_string()));
    let pages = form.with_value(|f| f.pages.clone());
    let another = crate::home::form_href(&url, "new");
    view! {
        <Show
            when=move || !submitted.get()
            fallback=move || view! {
                <section class="done" role="status">
                    <h1>{tr(Msg::Queued)}</h1>
                    <p>{tr(Msg::QueuedHint)}</p>
                    <p class="actions">
                        <a class="button" href=another.clone()>{tr(Msg::FillAnother)}</a>
                        <a href="./">{tr(Msg::Home)}</a>
                    </p>
                </section>
            }
        >
            <form class="survey" novalidate on:submit=submit>
                <h1>{title}</h1>
                {description().map(|_| view! { <p class="form-desc">{description}</p> })}
                {restored.then(|| view! { <p class="notice" role="status">{tr(Msg::DraftRestored)}</p> })}
                {pages.clone().into_iter().enumerate().map(|(i, page)| view! {
                    <section class="page" prop:hidden=move || !responses.holds(Target::PageVisible(i), true)>
                        {page.title.clone().map(|title| view! { <h2>{text(title)}</h2> })}
                        {page.elements.into_iter().map(|q| view! { <Question q responses/> }).collect_view()}
                    </section>
                }).collect_view()}
                <p class="error summary" aria-live="assertive">
                    {move || (!errors.get().is_empty()).then(|| t(lang.get(), Msg::FixErrors))}
                </p>
                {move || unsaved.with(|u| u.is_some()).then(|| view! {
                    <p class="alert" role="alert">
                        {tr(Msg::StorageFull)} " "
                        <button type="button" class="small" on:click=export_unsaved>{tr(Msg::ExportThis)}</button>
                    </p>
                })}
                <button type="submit" class="primary">{tr(Msg::Submit)}</button>
            </form>
        </Show>
    }
}

#[component]
fn Question(q: Element, responses: Responses) -> impl IntoView {
    let id = control_id(&q.name);
    let error_id = format!("{id}-error");
    let desc_id = format!("{id}-desc");
    let name = q.name.clone();
    let error_text = {
        let name = name.clone();
        move || responses.errors.with(|e| e.iter().find(|(n, _)| *n == name).map(|(_, m)| m.clone()))
    };
    let has_error = {
        let error_text = error_text.clone();
        move || error_text().is_some()
    };
    let described_by = if q.description.is_some() { format!("{desc_id} {error_id}") } else { error_id.clone() };
    let title = q.title.clone();
    let heading = text(title);
    let required_now = {
        let (name, always) = (name.clone(), q.is_required);
        move || always || responses.holds(Target::Required(name.clone()), false)
    };
    let required = move || required_now().then(|| view! { <span class="req" aria-hidden="true">" *"</span> });
    let hidden = {
        let name = name.clone();
        move || !responses.holds(Target::Visible(name.clone()), true)
    };
    let description = q.description.clone().map(|d| {
        let desc_id = desc_id.clone();
        view! { <p class="desc" id=desc_id>{text(d)}</p> }
    });
    let control = Control { name: name.clone(), id: id.clone(), described_by, required: q.is_required, read_only: q.read_only, responses };
    let control_disabled = control.disabled();
    let grouped = matches!(q.kind, Kind::RadioGroup(_) | Kind::Checkbox(_) | Kind::Tagbox(_) | Kind::Boolean { .. });
    let widget = match q.kind {
        Kind::Text { input_type, placeholder, max_length, .. } => text_input(control, input_type, placeholder, max_length).into_any(),
        Kind::Comment { placeholder, max_length } => comment_input(control, placeholder, max_length).into_any(),
        Kind::RadioGroup(c) => choice_group(control, c.items, false).into_any(),
        Kind::Checkbox(c) | Kind::Tagbox(c) => choice_group(control, c.items, true).into_any(),
        Kind::Dropdown(c) => dropdown(control, c.items).into_any(),
        Kind::Boolean { label_true, label_false } => boolean_input(control, label_true, label_false).into_any(),
        Kind::Html { html } => view! { <p class="html">{text(html)}</p> }.into_any(),
        // The renderer for these comes with the mobile renderer (issue 4).
        _ => view! { <p class="notice">{tr(Msg::NotYetShown)}</p> }.into_any(),
    };
    let class = {
        let has_error = has_error.clone();
        move || if has_error() { "question invalid" } else { "question" }
    };
    let error = view! {
        <p class="error" id=error_id aria-live="polite">{error_text}</p>
    };
    let disabled = control_disabled;
    if grouped {
        view! {
            <fieldset class=class data-question=name prop:hidden=hidden prop:disabled=disabled>
                <legend class="q-title">{heading}{required}</legend>
                {description}
                {widget}
                {error}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class=class data-question=name prop:hidden=hidden>
                <label class="q-title" for=id>{heading}{required}</label>
                {description}
                {widget}
                {error}
            </div>
        }
        .into_any()
    }
}

/// What every widget needs to know about its question.
#[derive(Clone)]
struct Control {
    name: String,
    id: String,
    described_by: String,
    required: bool,
    read_only: bool,
    responses: Responses,
}

impl Control {
    fn text(&self) -> impl Fn() -> String + 'static {
        let (r, name) = (self.responses, self.name.clone());
        move || match r.get(&name) {
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }
    /// Read-only, or disabled by `enableIf` now.
    fn disabled(&self) -> impl Fn() -> bool + Copy + 'static {
        let (r, read_only) = (self.responses, self.read_only);
        let name = StoredValue::new(self.name.clone());
        move || read_only || !r.holds(Target::Enabled(name.get_value()), true)
    }
    /// Whether option `i` of `n` is offered now (its own `visibleIf` and `choicesVisibleIf`).
    fn offered(&self, i: usize, n: usize) -> impl Fn() -> bool + 'static {
        let (r, name) = (self.responses, self.name.clone());
        move || r.holds(Target::ChoiceVisible(name.clone(), i), true) && r.holds(Target::ChoiceVisible(name.clone(), n + i), true)
    }
    fn invalid(&self) -> impl Fn() -> &'static str + 'static {
        let (r, name) = (self.responses, self.name.clone());
        move || if r.errors.with(|e| e.iter().any(|(n, _)| *n == name)) { "true" } else { "false" }
    }
}

fn localized_attr(text: Option<phieu_core::Localized>) -> impl Fn() -> Option<String> {
    let lang = use_state().lang;
    move || text.as_ref().map(|t| t.get(lang.get().code()).to_string())
}

fn text_input(c: Control, input_type: InputType, placeholder: Option<phieu_core::Localized>, max_length: Option<u32>) -> impl IntoView {
    let inputmode = match input_type {
        InputType::Number => Some("decimal"),
        InputType::Tel => Some("tel"),
        InputType::Email => Some("email"),
        InputType::Url => Some("url"),
        _ => None,
    };
    let (r, name) = (c.responses, c.name.clone());
    let on_input = move |ev| {
        let raw = event_target_value(&ev);
        let value = match input_type {
            InputType::Number => raw.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).or(Some(Value::String(raw))),
            _ => Some(Value::String(raw)),
        };
        r.set(&name, value);
    };
    view! {
        <input
            id=c.id.clone()
            type=input_type.as_str()
            inputmode=inputmode
            maxlength=max_length
            placeholder=localized_attr(placeholder)
            aria-describedby=c.described_by.clone()
            aria-required=c.required.then_some("true")
            aria-invalid=c.invalid()
            prop:value=c.text()
            prop:disabled=c.disabled()
            on:input=on_input
        />
    }
}

fn comment_input(c: Control, placeholder: Option<phieu_core::Localized>, max_length: Option<u32>) -> impl IntoView {
    let (r, name) = (c.responses, c.name.clone());
    view! {
        <textarea
            id=c.id.clone()
            rows="4"
            maxlength=max_length
            placeholder=localized_attr(placeholder)
            aria-describedby=c.described_by.clone()
            aria-required=c.required.then_some("true")
            aria-invalid=c.invalid()
            prop:value=c.text()
            prop:disabled=c.disabled()
            on:input=move |ev| r.set(&name, Some(Value::String(event_target_value(&ev))))
        ></textarea>
    }
}

fn choice_group(c: Control, choices: Vec<phieu_core::Choice>, multiple: bool) -> impl IntoView {
    let values: Vec<Value> = choices.iter().map(|ch| ch.value.clone()).collect();
    let values = StoredValue::new(values);
    let n = choices.len();
    choices
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            let offered = c.offered(i, n);
            let (r, name) = (c.responses, c.name.clone());
            let value = choice.value.clone();
            let checked = {
                let (name, value) = (name.clone(), value.clone());
                move || match r.get(&name) {
                    Some(Value::Array(items)) => items.contains(&value),
                    Some(v) => v == value,
                    None => false,
                }
            };
            let on_change = move |ev| {
                let on = event_target_checked(&ev);
                if !multiple {
                    r.set(&name, on.then(|| value.clone()));
                    return;
                }
                // Keep the author's choice order whatever order they were ticked in.
                let mut picked: Vec<Value> = match r.get(&name) {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                picked.retain(|v| v != &value);
                if on {
                    picked.push(value.clone());
                }
                let ordered: Vec<Value> = values.with_value(|all| all.iter().filter(|v| picked.contains(v)).cloned().collect());
                r.set(&name, Some(Value::Array(ordered)));
            };
            let label = choice.text.clone();
            view! {
                <label class="choice" prop:hidden=move || !offered()>
                    <input
                        type=if multiple { "checkbox" } else { "radio" }
                        id=(i == 0).then(|| c.id.clone())
                        name=c.id.clone()
                        aria-describedby=c.described_by.clone()
                        prop:checked=checked
                        on:change=on_change
                    />
                    <span>{text(label)}</span>
                </label>
            }
        })
        .collect_view()
}

fn dropdown(c: Control, choices: Vec<phieu_core::Choice>) -> impl IntoView {
    let n = choices.len();
    let offered_at = |i: usize| c.offered(i, n);
    let (r, name) = (c.responses, c.name.clone());
    let values: Vec<Value> = choices.iter().map(|ch| ch.value.clone()).collect();
    let selected = {
        let (name, values) = (name.clone(), values.clone());
        move || r.get(&name).and_then(|v| values.iter().position(|x| *x == v)).map(|i| i.to_string()).unwrap_or_default()
    };
    let on_change = move |ev| {
        let picked = event_target_value(&ev).parse::<usize>().ok().and_then(|i| values.get(i).cloned());
        r.set(&name, picked);
    };
    view! {
        <select
            id=c.id.clone()
            aria-describedby=c.described_by.clone()
            aria-required=c.required.then_some("true")
            aria-invalid=c.invalid()
            prop:value=selected
            prop:disabled=c.disabled()
            on:change=on_change
        >
            <option value="">{tr(Msg::Choose)}</option>
            {choices.into_iter().enumerate().map(|(i, ch)| {
                let offered = offered_at(i);
                view! { <option value=i.to_string() prop:hidden=move || !offered()>{text(ch.text)}</option> }
            }).collect_view()}
        </select>
    }
}

fn boolean_input(c: Control, label_true: Option<phieu_core::Localized>, label_false: Option<phieu_core::Localized>) -> impl IntoView {
    let lang = use_state().lang;
    let option = move |answer: bool, label: Option<phieu_core::Localized>, first: bool| {
        let (r, name) = (c.responses, c.name.clone());
        let checked = {
            let name = name.clone();
            move || r.get(&name) == Some(Value::Bool(answer))
        };
        let fallback = if answer { Msg::Yes } else { Msg::No };
        let text = move || label.as_ref().map(|l| l.get(lang.get().code()).to_string()).unwrap_or_else(|| t(lang.get(), fallback).to_string());
        view! {
            <label class="choice">
                <input
                    type="radio"
                    id=first.then(|| c.id.clone())
                    name=c.id.clone()
                    aria-describedby=c.described_by.clone()
                    prop:checked=checked
                    on:change=move |_| r.set(&name, Some(Value::Bool(answer)))
                />
                <span>{text}</span>
            </label>
        }
    };
    view! { {option(true, label_true, true)} {option(false, label_false, false)} }
}
