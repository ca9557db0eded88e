//! One form on screen: its pages one at a time, a review of every answer,
//! autosave on every change, and submission into the outbox.
//!
//! Nothing here knows a particular form: pages, questions and logic all come
//! from the definition.

mod grid;
mod media;
mod panels;
mod place;
mod question;
mod ranking;
mod responses;
mod review;
mod rich;
mod widgets;

use crate::app::use_state;
use crate::i18n::{t, tr, Lang, Msg};
use crate::platform::{new_id, now_iso, now_ms, window};
use crate::storage;
use leptos::prelude::*;
use phieu_core::draft::{Draft, Stamp};
use phieu_core::outbox::Destination;
use phieu_core::submission::form_id_from_url;
use phieu_core::{Entry, Form, FormRef, Meta, Session, Submission, Target};
use question::{control_id, element, piped};
use responses::Responses;

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
        crate::home::load(async move { with_masks(open(&url, draft, storage_error).await).await })
    };
    let url = StoredValue::new(url);
    view! {
        {move || match opened() {
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
        Opened::Ready(kept, draft) => {
            let loaded = kept.load();
            match loaded.form {
                // Untracked, as a component's body is: what building it reads must not rebuild it.
                Some(form) => untrack(move || form_view(form, url.get_value(), draft.map(|d| *d))).into_any(),
                None => definition_errors(url.get_value(), loaded.diagnostics).into_any(),
            }
        }
        Opened::Unavailable(headline, why) => view! {
            <p class="alert" role="alert">{tr(headline)}</p>
            <p class="detail">{why}</p>
            <p><a href="./">{tr(Msg::Home)}</a></p>
        }
        .into_any(),
    }
}

/// A form definition as the form screen receives it.
#[derive(Clone)]
enum Opened {
    Ready(storage::Kept, Option<Box<Draft>>),
    /// What to say, and the details.
    Unavailable(Msg, String),
}

/// Loads the definition, with its lists, from the network, else from the
/// device, and keeps a copy on the device (also by version). A draft
/// reopens on the version it was started with, lists included, even if the
/// form or a list has changed since.
async fn open(url: &str, draft: Option<Draft>, storage_error: RwSignal<Option<storage::WriteError>>) -> Opened {
    if !crate::sync::is_web_address(url) {
        // Not an http(s) address (`data:`, `javascript:`…): never opened.
        return Opened::Unavailable(Msg::FormAddressRefused, String::new());
    }
    if let Some(kept) = draft.as_ref().and_then(|d| storage::form_by_version(Some(&d.form_url), &d.form_id, &d.form_version)) {
        return Opened::Ready(kept, draft.map(Box::new));
    }
    // The form, then each list it names beside it, fetched at one place (each
    // place a future is awaited is its code again in the wasm).
    let mut addresses = vec![url.to_string()];
    let mut fetched: Vec<Result<String, String>> = Vec::new();
    let (mut names, mut form) = (Vec::new(), None);
    while let Some(at) = addresses.get(fetched.len()) {
        let got = crate::platform::fetch_text(at).await;
        if let (true, Ok(text)) = (fetched.is_empty(), &got) {
            let first = phieu_core::load(text);
            (names, form) = (first.lists, first.form);
            addresses.extend(names.iter().map(|n| beside(url, n).map_or_else(|| n.clone(), |u| u.href())));
        }
        fetched.push(got);
    }
    let mut fetched = fetched.into_iter();
    let text = match fetched.next() {
        Some(Ok(text)) => text,
        failed => {
            return match storage::cached_form(url) {
                Some(kept) => Opened::Ready(kept, draft.map(Box::new)),
                None => Opened::Unavailable(Msg::FormUnavailable, failed.and_then(Result::err).unwrap_or_default()),
            }
        }
    };
    // A list that cannot be fetched now is taken from the copy kept with the
    // form before; without one, the form does not open short of its options.
    let listed = !names.is_empty();
    let before = if listed { storage::cached_form(url) } else { None };
    let mut lists = Vec::with_capacity(names.len());
    for ((name, got), at) in names.into_iter().zip(fetched).zip(addresses.iter().skip(1)) {
        match (got, before.as_ref().and_then(|k| k.lists.iter().find(|(n, _)| *n == name))) {
            (Ok(list), _) => lists.push((name, Ok(list))),
            (Err(_), Some(kept)) => lists.push(kept.clone()),
            (Err(e), None) => return Opened::Unavailable(Msg::ListUnavailable, format!("{at}: {e}")),
        }
    }
    let kept = storage::Kept { text, lists };
    if listed {
        form = kept.load().form;
    }
    if let Some(form) = form {
        let id = form.id.clone().unwrap_or_else(|| form_id_from_url(url));
        if let Err(e) = storage::cache_form(url, &id, &form.version, &kept) {
            storage_error.set(Some(e));
        }
    }
    Opened::Ready(kept, draft.map(Box::new))
}

/// A form with an input mask opens once the mask module is here (fetched
/// the first time, then from the service worker's cache); the others never
/// fetch it.
async fn with_masks(o: Opened) -> Opened {
    if let Opened::Ready(kept, _) = &o {
        if kept.text.contains("\"maskType\"") && kept.load().form.is_some_and(|f| f.has_masks()) {
            if let Err(e) = crate::platform::masks().await {
                return Opened::Unavailable(Msg::MasksUnavailable, e);
            }
        }
    }
    o
}

/// Shown to the form's author instead of a blank page.
fn definition_errors(url: String, diagnostics: Vec<phieu_core::Diagnostic>) -> impl IntoView {
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

impl Step {
    /// Kept in an `RwSignal<Option<usize>>`, a signal type the app has: the
    /// page, `None` for the review, `usize::MAX` once done.
    fn of(at: Option<usize>) -> Step {
        match at {
            None => Step::Review,
            Some(usize::MAX) => Step::Done,
            Some(i) => Step::Page(i),
        }
    }

    fn at(self) -> Option<usize> {
        match self {
            Step::Page(i) => Some(i),
            Step::Review => None,
            Step::Done => Some(usize::MAX),
        }
    }
}

/// Brings the first problem into view and puts the cursor on it, once the
/// page showing it is on screen.
pub(super) fn focus_problem(key: String, other: bool) {
    request_animation_frame(move || {
        let doc = document();
        // "Other" chosen but not described: the cursor goes to its text.
        let id = if other { format!("{}-other", control_id(&key)) } else { control_id(&key) };
        // A multipletext's first box has the question's id; the others their own (`name.box`).
        let by_id = doc.get_element_by_id(&id).or_else(|| doc.get_element_by_id(&control_id(key.rsplit_once('.')?.0)));
        let target = by_id.or_else(|| doc.query_selector(&format!("[data-question=\"{}\"]", key.replace('"', ""))).ok().flatten());
        if let Some(el) = target {
            el.scroll_into_view_with_bool(false);
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

fn form_view(form: Form, url: String, draft: Option<Draft>) -> impl IntoView {
    let state = use_state();
    provide_context(FormAddress(url.clone()));
    // The form's own language is the default until the person picks one.
    if storage::load_lang().is_none() {
        if let Some(code) = form.locale.as_deref().filter(|c| c.starts_with("vi") || c.starts_with("en")) {
            state.lang.set(Lang::from_browser(code));
        }
    }
    let restored = draft.as_ref().is_some_and(|d| !d.answers.is_empty());
    let is_new = draft.is_none();
    let start = draft.as_ref().map_or_else(|| phieu_core::session::defaults(&form), |d| d.answers.clone());
    let draft = draft.unwrap_or_else(|| Draft::new(&form, &url, stamp()));
    let (title, description, completed) = (form.title.clone(), form.description.clone(), form.completed_html.clone());
    let page_count = form.pages.len();
    // A form from another site says so, so a look-alike cannot pass for the office's.
    let foreign = crate::platform::origin_of(&url).filter(|o| Some(o) != window().location().origin().ok().as_ref());
    let draft = StoredValue::new(draft);
    // Whether the draft is in storage yet (a resumed one is).
    // (Read untracked: a RwSignal<bool>, a type the app has, not a StoredValue<bool> of its own.)
    let stored = RwSignal::new(!is_new);
    // The session's handle is made first, so that saving can read it.
    let session = StoredValue::new(Session::new(form, start, crate::platform::clock));
    let changed = Callback::new(move |_: ()| autosave(state, draft, session, stored));
    let r = Responses::new(session, changed);
    if is_new {
        // `defaultValueExpression` fills a new report (not saved until the
        // person answers something, so merely opening a form leaves no draft).
        r.update(Session::fill_default_expressions);
    }
    let pager = Pager::new(r, draft, changed, page_count);
    // A `skip` trigger fired: to the page of its question, if it is shown.
    Effect::new(move || {
        if let Some(to) = r.skip.get() {
            r.skip.update_untracked(|s| *s = None);
            if let Some(p) = r.session(|s| s.page_of(&to).filter(|&p| s.holds(&Target::PageVisible(p), true))) {
                pager.go(Step::Page(p));
                focus_problem(to, false);
            }
        }
    });
    // A finished report that could not be stored on the device.
    // A finished report that could not be stored: the file it can leave as,
    // its name and JSON (signal types the app already has).
    let (unsaved, unsaved_name) = (RwSignal::new(None::<String>), StoredValue::new(String::new()));
    let submitting = RwSignal::new(false);
    // The form gives way to what comes after it once, at Done: a Trigger (a type the app has)
    // instead of <Show>, whose memo of a bool nothing else uses.
    let finished = Trigger::new();
    let submit = move |_| {
        if !pager.check_all() {
            return;
        }
        if submitting.get_untracked() {
            return; // a second tap while the first is being stored
        }
        submitting.set(true);
        leptos::task::spawn_local(async move {
            let stored = store_report(state, r, &draft.get_value()).await;
            submitting.set(false);
            // Not stored: nothing is lost; the answers stay on screen and can leave as a file.
            if let Err(entry) = stored {
                unsaved_name.set_value(format!("phieu-{}.json", entry.id()));
                return unsaved.set(Some(crate::export::to_json(&[*entry])));
            }
            unsaved.set(None);
            pager.go(Step::Done);
            finished.notify();
            crate::sync::kick(state);
        });
    };
    let edit = Callback::new(move |key: String| pager.edit(key));
    let body = move || match pager.step() {
        Step::Page(i) => page_view(r, i).into_any(),
        Step::Review => review::review(r, edit).into_any(),
        Step::Done => ().into_any(),
    };
    let done = move || done_view(r, completed.clone(), crate::home::form_href(&url, "new"));
    let form = move || {
        view! {
            <form class="survey" novalidate on:submit=|ev| ev.prevent_default()>
                <h1>{piped(r, title.clone(), None)}</h1>
                {foreign.clone().map(|o| view! { <p class="form-origin" data-testid="form-origin">{tr(Msg::FormFrom)} " " <strong>{o}</strong></p> })}
                {description.clone().map(|d| view! { <p class="form-desc">{piped(r, d, None)}</p> })}
                {restored.then(|| view! { <p class="notice" role="status">{tr(Msg::DraftRestored)}</p> })}
                {progress_view(pager)}
                {body}
                <p class="error summary" role="alert">
                    {move || (!r.errors.with(Vec::is_empty)).then(|| t(state.lang.get(), Msg::FixErrors))}
                </p>
                {unsaved_view(unsaved, unsaved_name)}
                {nav_view(pager, submit)}
            </form>
        }
    };
    move || {
        finished.track();
        if untrack(|| pager.step()) == Step::Done {
            leptos::either::Either::Right(done())
        } else {
            leptos::either::Either::Left(form())
        }
    }
}

/// The address the form came from: its pictures' paths are beside it.
#[derive(Clone)]
pub struct FormAddress(pub String);

/// A form's picture (`imageLink`) as an address to load: a `data:` URL, or
/// a path resolved against the form's address, kept only if it is on the
/// form's own site (the service worker keeps the app's own for offline use;
/// another site would see who opens the form). `None` otherwise.
pub fn picture(form: Option<&FormAddress>, link: &str) -> Option<String> {
    if link.starts_with("data:image/") {
        return Some(link.to_string());
    }
    let base = &form?.0;
    let url = beside(base, link)?;
    (url.origin() == beside(base, "")?.origin()).then(|| url.href())
}

/// `path` resolved against the form's address (itself relative to the page).
fn beside(form: &str, path: &str) -> Option<web_sys::Url> {
    let page = crate::platform::window().location().href().ok()?;
    let base = web_sys::Url::new_with_base(form, &page).ok()?;
    web_sys::Url::new_with_base(path, &base.href()).ok()
}

/// A new draft's id and times.
fn stamp() -> Stamp {
    Stamp { id: new_id(), started_at: now_iso(), now: now_ms() }
}

/// Saves the draft with the answers as they are now. A new draft is stored
/// at its first answer; the address then names it, so a reload resumes it.
fn autosave(state: crate::app::AppState, draft: StoredValue<Draft>, session: StoredValue<Session>, stored: RwSignal<bool>) {
    draft.update_value(|d| d.record(session.with_value(|s| s.answers.clone()), now_ms()));
    let d = draft.get_value();
    leptos::task::spawn_local(async move {
        if state.wrote(storage::save_draft(&d).await) && !stored.get_untracked() {
            stored.set(true);
            let href = crate::home::form_href(&d.form_url, &d.id);
            let _ = window().history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href)));
        }
    });
}

/// Where the person is, and the moves between pages: only visible pages
/// count, and Next checks the page it leaves.
#[derive(Clone, Copy)]
struct Pager {
    r: Responses,
    at: RwSignal<Option<usize>>,
    draft: StoredValue<Draft>,
    changed: Callback<()>,
    pages: usize,
    /// The page a `complete` trigger finished the form at: later pages are skipped.
    finished_at: RwSignal<Option<usize>>,
}

impl Pager {
    fn new(r: Responses, draft: StoredValue<Draft>, changed: Callback<()>, pages: usize) -> Pager {
        let visible: Vec<usize> = (0..pages).filter(|&i| r.holds(Target::PageVisible(i), true)).collect();
        let resume = draft.with_value(|d| d.page);
        let first = if visible.contains(&resume) { resume } else { visible.first().copied().unwrap_or(0) };
        Pager { r, at: RwSignal::new(Some(first)), draft, changed, pages, finished_at: RwSignal::new(None) }
    }

    /// The pages shown now (and a subscription to their rules).
    fn visible(self) -> Vec<usize> {
        (0..self.pages).filter(|&i| self.r.holds(Target::PageVisible(i), true)).collect()
    }

    fn step(self) -> Step {
        Step::of(self.at.get())
    }

    fn go(self, to: Step) {
        if let Step::Page(i) = to {
            self.draft.update_value(|d| d.page = i);
            self.changed.run(());
        }
        self.at.set(to.at());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Shows the problems of one page (or all) next to their questions and
    /// puts the cursor on the first; whether there were none.
    fn check(self, page: Option<usize>) -> bool {
        let finished_at = self.finished_at.get_untracked();
        let problems = self.r.session(|s| match (page, finished_at) {
            (Some(i), _) => s.check_page(i),
            (None, Some(last)) => s.check_through(last),
            (None, None) => s.check(),
        });
        let first = problems.first().map(|p| (p.question.clone(), p.kind == phieu_core::ErrorKind::OtherEmpty));
        self.r.errors.set(problems);
        match first {
            None => true,
            Some((key, other)) => {
                if page.is_none() {
                    if let Some(p) = self.r.session(|s| s.page_of(&key)) {
                        self.at.set(Some(p));
                    }
                }
                focus_problem(key, other);
                false
            }
        }
    }

    fn check_all(self) -> bool {
        self.check(None)
    }

    fn next(self) {
        let Step::Page(i) = Step::of(self.at.get_untracked()) else { return };
        if self.check(Some(i)) {
            // A `complete` trigger that holds here ends the form: on to the review.
            let done = self.r.session(|s| s.completes_on(i));
            self.finished_at.set(done.then_some(i));
            self.go(if done { Step::Review } else { self.visible().into_iter().find(|&p| p > i).map_or(Step::Review, Step::Page) });
        }
    }

    fn previous(self) {
        let to = match Step::of(self.at.get_untracked()) {
            Step::Page(i) => self.visible().into_iter().rev().find(|&p| p < i),
            _ => self.finished_at.get_untracked().or_else(|| self.visible().last().copied()),
        };
        if let Some(p) = to {
            self.go(Step::Page(p));
        }
    }

    /// From the review, back to the question `key` to change it.
    fn edit(self, key: String) {
        if let Some(p) = self.r.session(|s| s.page_of(&key)) {
            self.go(Step::Page(p));
            focus_problem(key, false);
        }
    }

    /// The place among the visible pages, from 1, and how many there are.
    fn progress(self) -> (usize, usize) {
        let pages = self.visible();
        let at = match self.step() {
            Step::Page(i) => pages.iter().position(|&p| p == i).unwrap_or(0) + 1,
            _ => pages.len(),
        };
        (at, pages.len())
    }

    fn is_first(self) -> bool {
        matches!(self.step(), Step::Page(i) if !self.visible().into_iter().any(|p| p < i))
    }

    /// Only a form with a `complete` trigger looks at every answer change here.
    fn is_last(self) -> bool {
        let completes = |s: &Session| s.form.triggers.iter().any(|t| matches!(t.action, phieu_core::form::Action::Complete));
        matches!(self.step(), Step::Page(i) if !self.visible().into_iter().any(|p| p > i) || self.r.session(completes) && {
            self.r.version.track();
            self.r.session(|s| s.completes_on(i))
        })
    }
}

fn progress_view(pager: Pager) -> impl IntoView {
    let lang = use_state().lang;
    let progress = move || pager.progress();
    let label = move || match pager.step() {
        Step::Review => t(lang.get(), Msg::ReviewTitle).to_string(),
        _ => {
            let (at, of) = progress();
            format!("{} {at}/{of}", t(lang.get(), Msg::Page))
        }
    };
    view! {
        <div class="progress" hidden=move || progress().1 < 2>
            <span id="progress-label">{label}</span>
            <progress max=move || progress().1 value=move || progress().0 aria-labelledby="progress-label"></progress>
        </div>
    }
}

fn nav_view(pager: Pager, submit: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_state().lang;
    let review = move || pager.step() == Step::Review;
    // Both buttons always there; the step decides which one shows.
    view! {
        <nav class="pager">
            <button type="button" data-nav="prev" prop:hidden=move || pager.is_first() on:click=move |_| pager.previous()>{tr(Msg::Previous)}</button>
            <button type="button" class="primary" data-nav="submit" hidden=move || !review() on:click=submit>{tr(Msg::Submit)}</button>
            <button type="button" class="primary" data-nav="next" hidden=review on:click=move |_| pager.next()>
                {move || t(lang.get(), if pager.is_last() { Msg::Review } else { Msg::Next })}
            </button>
        </nav>
    }
}

/// A finished report that could not be stored: it can still leave as a file.
fn unsaved_view(unsaved: RwSignal<Option<String>>, name: StoredValue<String>) -> impl IntoView {
    let export = move |_| {
        if let Some(json) = unsaved.get_untracked() {
            crate::platform::download(&name.get_value(), "application/json", &json);
        }
    };
    view! {
        <p class="alert" role="alert" hidden=move || unsaved.with(Option::is_none)>
            {tr(Msg::StorageFull)} " "
            <button type="button" class="small" on:click=export>{tr(Msg::ExportThis)}</button>
        </p>
    }
}

fn page_view(r: Responses, i: usize) -> impl IntoView {
    let page = r.with_form(|f| f.pages[i].clone());
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
async fn store_report(state: crate::app::AppState, r: Responses, d: &Draft) -> Result<(), Box<Entry>> {
    let (answers, target) = r.session(|s| (s.result(), s.form.submit.clone()));
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
    if !state.wrote(storage::queue_entry(&entry).await) {
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
