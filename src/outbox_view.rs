//! The outbox screen: where each finished report is (waiting, sending, sent,
//! refused and why), and what the person can do about it: send now, fix and
//! resend, export or share, import, clear the sent archive.

use crate::app::use_state;
use crate::export;
use crate::i18n::{t, tr, Msg};
use crate::platform::{confirm, download, format_time, new_id, now_ms, read_chosen_file, share_file};
use crate::storage::{self, Draft};
use crate::sync;
use leptos::prelude::*;
use phieu_core::draft::Stamp;
use phieu_core::feed::text;
use phieu_core::{Entry, EntryState, Localized, Problem};

#[component]
pub fn OutboxScreen() -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    let outbox = state.outbox;
    // How many an import added, or why it failed (signal types the app already has).
    let (imported, import_failed) = (RwSignal::new(None::<usize>), RwSignal::new(None::<String>));
    let locale = move || lang.get_untracked().code();
    // The office's replies are read here: the count on the home screen goes.
    if state.feed.with_untracked(|f| f.unread() > 0) {
        state.feed.update(|f| f.mark_read());
        state.feed.with_untracked(|f| state.wrote(storage::save_feed(f)));
    }

    // The outbox in memory has no answers: an export reads them first.
    let export_all = move |csv: bool| {
        leptos::task::spawn_local(async move {
            let mut entries = outbox.with_untracked(|o| o.entries().to_vec());
            let answers = storage::load_answers().await;
            for e in entries.iter_mut().filter(|e| e.submission.answers.is_empty()) {
                if let Some((_, a)) = answers.iter().find(|(id, _)| id == e.id()) {
                    e.submission.answers = a.clone();
                }
            }
            match csv {
                true => download("phieu-outbox.csv", "text/csv", &export::to_csv(&entries, locale()).await),
                false => {
                    download("phieu-outbox.json", "application/json", &crate::files::export_with_files(export::to_json(&entries)).await)
                }
            }
        })
    };
    let clear_sent = move |_| {
        if confirm(t(lang.get_untracked(), Msg::ConfirmClearSent)) {
            for id in outbox.try_update(|o| o.clear_sent()).unwrap_or_default() {
                storage::delete_entry(&id);
            }
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(event_target::<web_sys::EventTarget>(&ev)).ok()
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Some(text) = read_chosen_file(&input).await else { return };
            let result = match export::parse_import(&text) {
                // Files first: a report is queued only once the files it names are kept.
                Ok(_) if !state.wrote(crate::files::import(&text).await) => Ok(0),
                Ok(entries) => {
                    let mut added = 0;
                    for e in entries {
                        if outbox.with_untracked(|o| o.get(e.id()).is_none()) && state.wrote(storage::queue_entry(&e).await) {
                            outbox.update(|o| o.push(e));
                            added += 1;
                        }
                    }
                    Ok(added)
                }
                Err(e) => Err(e),
            };
            imported.set(result.as_ref().ok().copied());
            import_failed.set(result.err());
            sync::kick(state);
        });
    };

    // Pending first (oldest first), then the sent archive (newest first).
    let rows = move || {
        outbox.with(|o| {
            let e = o.entries();
            e.iter().filter(|e| e.is_pending()).chain(e.iter().rev().filter(|e| !e.is_pending())).cloned().collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{tr(Msg::OutboxTitle)}</h1>
        <p class="toolbar">
            <button type="button" on:click=move |_| export_all(false)>{tr(Msg::ExportJson)}</button>
            <button type="button" on:click=move |_| export_all(true)>{tr(Msg::ExportCsv)}</button>
            <label class="button">{tr(Msg::Import)}<input type="file" accept="application/json,.json" class="visually-hidden" data-testid="import" on:change=import/></label>
            <button type="button" on:click=clear_sent>{tr(Msg::ClearSent)}</button>
        </p>
        <p class="notice" role="status" hidden=move || imported.get().is_none()>
            {tr(Msg::Imported)} " " {move || imported.get()}
        </p>
        <p class="alert" role="alert" hidden=move || import_failed.with(Option::is_none)>{move || import_failed.get()}</p>
        // Fixed nodes: the outbox's emptiness only hides one or the other.
        <p hidden=move || !outbox.with(|o| o.is_empty())>{tr(Msg::OutboxEmpty)}</p>
        <ul class="entries" hidden=move || outbox.with(|o| o.is_empty())>
            // Keyed: a delivery redraws its own row only, so the others keep
            // their nodes and a focused button its focus (4.4 kB of wasm; a
            // list redrawn whole was measured and not kept).
            <For each=rows key=|e| (e.id().to_string(), e.state as u8, e.attempts) let:e>
                <EntryRow e/>
            </For>
        </ul>
    }
}

/// Why `e` did not go, in the person's language (the server's own words kept).
fn why(lang: crate::i18n::Lang, e: &Entry) -> String {
    match &e.problem {
        Some(Problem::NoConnection) => t(lang, Msg::NoConnection).to_string(),
        Some(Problem::Timeout) => t(lang, Msg::TooSlow).to_string(),
        Some(Problem::Redirected) => t(lang, Msg::Redirected).to_string(),
        Some(Problem::Server { code, message }) => format!("{} {code}: {message}", t(lang, Msg::ServerSaid)),
        Some(Problem::Insecure) => t(lang, Msg::InsecureEndpoint).to_string(),
        Some(Problem::FileLost { name }) => format!("{} {name}", t(lang, Msg::FileLost)),
        None => e.last_error.clone().unwrap_or_default(),
    }
}

#[component]
fn EntryRow(e: Entry) -> impl IntoView {
    let state = use_state();
    let lang = state.lang;
    let id = e.id().to_string();
    let status = {
        let e = e.clone();
        move || {
            let lang = lang.get();
            let when = |ms: f64| format_time(ms, lang.code());
            match e.state {
                EntryState::Sent => format!("{} {}", t(lang, Msg::Sent), e.sent_at.map(when).unwrap_or_default()),
                EntryState::Sending => {
                    // "id\n2/3\n1.2 MB/3.4 MB" while this report's files go.
                    let shown = state.progress.get().unwrap_or_default();
                    match shown.strip_prefix(e.submission.id.as_str()).and_then(|p| p.strip_prefix('\n')?.split_once('\n')) {
                        // "Sending… 2/3 files sent · 1.2 MB/3.4 MB"
                        Some((files, bytes)) => format!("{} {files} {} · {bytes}", t(lang, Msg::Sending), t(lang, Msg::FilesSent)),
                        None => t(lang, Msg::Sending).to_string(),
                    }
                }
                EntryState::Failed => format!("{}: {}", t(lang, Msg::Refused), why(lang, &e)),
                EntryState::Waiting if e.problem.is_some() || e.last_error.is_some() => {
                    format!("{} ({}). {} {}", t(lang, Msg::Waiting), why(lang, &e), t(lang, Msg::NextTry), when(e.next_attempt_at))
                }
                EntryState::Waiting => t(lang, Msg::Waiting).to_string(),
            }
        }
    };
    // The form's title when its definition is on the device, else its id.
    let form = &e.submission.form;
    // Each definition is parsed once per page load, however many reports it has.
    let title = storage::stored_form(e.form_url.as_deref(), &form.id, &form.version)
        .map_or_else(|| Localized::plain(form.id.clone()), |f| f.title.clone());
    let send_now = {
        let id = id.clone();
        move |_| {
            if let Some(e) = state.outbox.try_update(|o| o.send_now(&id, now_ms())).flatten() {
                leptos::task::spawn_local(async move {
                    state.wrote(storage::save_entry(&e).await);
                    sync::kick(state);
                });
            }
        }
    };
    // The entry as stored, with its answers (the outbox in memory has none).
    let stored = {
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { storage::load_entry(&id).await }
        }
    };
    let fix = {
        let (stored, title_json) = (stored.clone(), title.to_json());
        move |_| {
            let (stored, title_json) = (stored.clone(), title_json.clone());
            leptos::task::spawn_local(async move {
                let stamp = Stamp { id: new_id(), started_at: crate::platform::now_iso(), now: now_ms() };
                let Some(draft) = stored().await.and_then(|e| Draft::correcting(&e, title_json, stamp)) else { return };
                if state.wrote(storage::save_draft(&draft).await) {
                    let _ = crate::platform::window().location().set_href(&crate::home::form_href(&draft.form_url, &draft.id));
                }
            });
        }
    };
    let filename = format!("phieu-{}.json", e.id());
    // Exported as a file (download), or handed to the share sheet.
    let export_one = move |share: bool| {
        let (stored, filename) = (stored.clone(), filename.clone());
        leptos::task::spawn_local(async move {
            let Some(e) = stored().await else { return };
            let text = crate::files::export_with_files(export::to_json(&[e])).await;
            if !share || !share_file(&filename, "application/json", &text).await {
                download(&filename, "application/json", &text);
            }
        });
    };
    let share = {
        let export_one = export_one.clone();
        move |_| export_one(true)
    };
    let can_send = matches!(e.state, EntryState::Waiting | EntryState::Failed);
    let can_fix = e.state == EntryState::Failed && e.form_url.is_some();
    let state_name = match e.state {
        EntryState::Waiting => "waiting",
        EntryState::Sending => "sending",
        EntryState::Sent => "sent",
        EntryState::Failed => "failed",
    };
    let s = e.submission;
    let not_correction = s.meta.replaces.is_none();
    // The office's latest word on it: one line of text, empty while there is none.
    let reply = {
        let id = StoredValue::new(s.id.clone());
        move || {
            let lang = lang.get();
            state.feed.with(|f| match id.with_value(|id| f.reply_for(id)) {
                Some(r) => {
                    let status = phieu_core::feed::status_label(text(r, "status"), lang.code());
                    match text(r, "reply") {
                        "" => status.to_string(),
                        reply => format!("{status}. {}: “{reply}”", t(lang, Msg::OfficeSaid)),
                    }
                }
                None => String::new(),
            })
        }
    };
    view! {
        <li class=format!("entry {state_name}") data-testid="entry" data-state=state_name data-id=id>
            <span class="what"><strong>{crate::i18n::text(title)}</strong> " · " {format_time(crate::platform::parse_time(&s.completed_at), lang.get_untracked().code())}</span>
            <span class="meta" hidden=not_correction>{tr(Msg::Replaces)} " " {s.meta.replaces.clone().unwrap_or_default()}</span>
            <span class="state" role="status">{status}</span>
            <span class="reply" data-testid="reply" hidden=move || reply().is_empty()>{reply}</span>
            <span class="actions">
                <button type="button" class="small" hidden=!can_send on:click=send_now>{tr(Msg::SendNow)}</button>
                <button type="button" class="small" hidden=!can_fix on:click=fix>{tr(Msg::Fix)}</button>
                <button type="button" class="small" on:click=move |_| export_one(false)>{tr(Msg::ExportJson)}</button>
                <button type="button" class="small" on:click=share>{tr(Msg::Share)}</button>
            </span>
        </li>
    }
}
