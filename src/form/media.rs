//! `file` and `signaturepad`. A chosen photo is made smaller, hashed and
//! stored on the phone (`crate::files`) before the answer names it, so a
//! photo that could not be stored is not half-kept and the other answers
//! stay as they were. The answer holds only `{name, type, size, sha256}`.
//! The lists and the drawing are the browser's (src/media.js); these views
//! are fixed frames around them.

use super::question::Control;
use crate::files::{self, KeepError};
use crate::i18n::{t, tr, Lang, Msg};
use leptos::prelude::*;
use phieu_core::form::{FileItem, FileRules};
use phieu_core::validate::AnswerError;
use phieu_core::ErrorKind;
use serde_json::Value;
use wasm_bindgen::JsCast;

/// What the note under the question says, kept in an `RwSignal<Option<usize>>`
/// (a signal type the app has): `None` nothing, [`BUSY`] while a photo is
/// decoded and shrunk (seconds on a slow phone), else a [`failed`] keeping.
const BUSY: Option<usize> = Some(0);

fn failed(e: KeepError) -> Option<usize> {
    Some(match e {
        KeepError::TooLarge => 1,
        KeepError::TooMany => 2,
        KeepError::Full => 3,
        KeepError::Other => 4,
    })
}

fn note_text(note: Option<usize>, lang: Lang, rules: (Option<u32>, u32)) -> String {
    let error = |kind: ErrorKind| AnswerError { question: String::new(), kind, text: None }.message(lang.code());
    match note {
        None => String::new(),
        Some(0) => t(lang, Msg::PreparingFile).into(),
        Some(1) => error(ErrorKind::FileTooLarge(rules.0.unwrap_or(0))),
        Some(2) => error(ErrorKind::TooMany(rules.1)),
        Some(3) => t(lang, Msg::FileStorageFull).into(),
        _ => t(lang, Msg::FileNotKept).into(),
    }
}

fn items(v: Option<Value>) -> Vec<FileItem> {
    v.as_ref().and_then(Value::as_array).map(|vs| vs.iter().filter_map(FileItem::of).collect()).unwrap_or_default()
}

fn answer(items: Vec<FileItem>) -> Option<Value> {
    (!items.is_empty()).then(|| Value::Array(items.iter().map(FileItem::to_json).collect()))
}

pub fn file(c: Control, rules: FileRules) -> impl IntoView {
    let lang = crate::app::use_state().lang;
    let note = RwSignal::new(None::<usize>);
    let list = NodeRef::<leptos::html::Ul>::new();
    let most = if rules.multiple { rules.max_files.unwrap_or(u32::MAX) } else { 1 };
    let limits = (rules.max_size, most);
    let (c1, c2, c3) = (c.clone(), c.clone(), c.clone());
    Effect::new(move |_| {
        let shown: js_sys::Array = items(c1.value())
            .iter()
            .map(|f| js_sys::Array::of3(&f.sha256.as_str().into(), &f.text().into(), &f.media_type.as_str().into()))
            .collect();
        if let Some(ul) = list.get() {
            files::show(&ul, &shown, t(lang.get(), Msg::RemoveFile));
        }
    });
    let add = move |ev: leptos::ev::Event| {
        let (Some(input), c) = (ev.target(), c2.clone()) else { return };
        let multiple = rules.multiple;
        let before = if multiple { items(c.value()) } else { Vec::new() };
        let room = most.saturating_sub(before.len() as u32);
        note.set(BUSY);
        leptos::task::spawn_local(async move {
            let (kept, error) = files::keep_chosen(&input, rules.max_image, rules.max_size, room).await;
            if !kept.is_empty() {
                // The answer as it is now: another file may have been removed meanwhile.
                let mut now = if multiple { items(c.value()) } else { Vec::new() };
                now.extend(kept.into_iter().filter(|k| now.iter().all(|x| x.sha256 != k.sha256)).collect::<Vec<_>>());
                c.set(answer(now));
            }
            note.set(error.and_then(failed));
        });
    };
    let remove = move |ev: leptos::ev::MouseEvent| {
        let button =
            ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("button[data-sha]").ok().flatten());
        if let Some(sha) = button.and_then(|b| b.get_attribute("data-sha")) {
            c3.set(answer(items(c3.value()).into_iter().filter(|x| x.sha256 != sha).collect()));
        }
    };
    let label = if rules.camera {
        Msg::TakePhoto
    } else if rules.accepted.as_deref().is_some_and(|a| a.starts_with("image/")) {
        Msg::AddPhoto
    } else {
        Msg::AddFile
    };
    let full = {
        let c = c.clone();
        move || items(c.value()).len() as u32 >= most && rules.multiple
    };
    let disabled = c.disabled();
    view! {
        <div class="files" id=c.id.clone() aria-describedby=c.described_by.clone()>
            <ul class="thumbs" node_ref=list on:click=remove></ul>
            <p class="note" role="status" data-testid="file-note">{move || note_text(note.get(), lang.get(), limits)}</p>
            <label class="button" hidden=full>
                {tr(label)}
                <input
                    type="file"
                    class="visually-hidden"
                    accept=rules.accepted
                    capture=rules.camera.then_some("environment")
                    multiple=rules.multiple
                    prop:disabled=move || disabled() || note.get() == BUSY
                    on:change=add
                />
            </label>
        </div>
    }
}

pub fn signature(c: Control, pen: Option<String>, width: u32, height: u32) -> impl IntoView {
    let lang = crate::app::use_state().lang;
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let note = RwSignal::new(None::<usize>);
    let kept = c.value().as_ref().and_then(FileItem::of).map(|f| f.sha256).unwrap_or_default();
    canvas.on_load(move |el| files::pad(&el, pen.as_deref().unwrap_or("#000"), &kept));
    let (c1, c2) = (c.clone(), c.clone());
    // media.js has kept the drawing after a stroke.
    let signed = move |ev: leptos::ev::Event| {
        let Some(el) = ev.target() else { return };
        match files::signed(&el) {
            Ok(item) => {
                c1.set(Some(item.to_json()));
                note.set(None);
            }
            Err(e) => note.set(failed(e)),
        }
    };
    let clear = move |_| {
        if let Some(el) = canvas.get_untracked() {
            let _ =
                js_sys::Reflect::get(&el, &"clear".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()).map(|f| f.call0(&el));
        }
        c2.set(None);
    };
    let disabled = c.disabled();
    view! {
        <div class="signature" id=c.id.clone() aria-describedby=c.described_by.clone()>
            <canvas node_ref=canvas width=width height=height role="img" aria-label=tr(Msg::SignHere) class:off=disabled.clone() on:change=signed></canvas>
            <p class="note" role="status">{move || note_text(note.get(), lang.get(), (None, 1))}</p>
            <button type="button" on:click=clear prop:disabled=disabled>{tr(Msg::ClearSignature)}</button>
        </div>
    }
}
