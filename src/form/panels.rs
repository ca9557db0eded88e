//! Panels group questions; a paneldynamic repeats its template once per
//! item (a household member, a visit), with buttons to add and remove them.

use super::question::{element, piped, Repeat, Slot};
use super::responses::Responses;
use crate::i18n::{text_or, Msg};
use leptos::prelude::*;
use phieu_core::expr::Val;
use phieu_core::sort::HashMap;
use phieu_core::{Element, Kind, Localized, Target};
use std::sync::Arc;

/// A text that follows the language and the answers.
pub type Words = Arc<dyn Fn() -> String + Send + Sync>;
/// What a button does.
pub type Act = Arc<dyn Fn() + Send + Sync>;

/// One repeat of a paneldynamic or one row of a matrix: the same frame for
/// both (one view type in the wasm), each element in a `.cell` (a matrix's
/// table cell from 40rem), then the remove button's cell.
pub struct Frame {
    pub class: &'static str,
    pub heading: Words,
    pub shown: Signal<bool>,
    pub elements: StoredValue<Vec<Element>>,
    pub repeat: Repeat,
    pub can_remove: Signal<bool>,
    pub remove: Act,
    pub remove_label: Words,
    pub remove_aria: Words,
}

fn frame(r: Responses, f: Frame) -> impl IntoView {
    let Frame { class, heading, shown, elements, repeat, can_remove, remove, remove_label, remove_aria } = f;
    let cells =
        elements.get_value().into_iter().map(|e| view! { <div class="cell">{element(e, r, Some(repeat.clone()))}</div> }).collect_view();
    let label = heading.clone();
    view! {
        <section class=class role="group" aria-label=move || label() prop:hidden=move || !shown.get()>
            <h3 class="cell">{move || heading()}</h3>
            {cells}
            <div class="cell" prop:hidden=move || !can_remove.get()>
                <button type="button" class="small remove" aria-label=move || remove_aria() on:click=move |_| remove()>{move || remove_label()}</button>
            </div>
        </section>
    }
}

/// Removes repeat (or row) `index` from the list answer in `slot`; what the
/// later ones remember moves up with them ([`phieu_core::session::Session::remove_repeat`]).
pub fn remove_at(r: Responses, slot: Slot, index: usize) -> Act {
    let name = slot.key();
    Arc::new(move || r.edit(|s| s.remove_repeat(&name, index)))
}

/// The repeats at `indexes`, each framed as `row` says: one reactive list type
/// for a paneldynamic's repeats and a matrix's rows.
pub fn repeats(r: Responses, indexes: Memo<Vec<usize>>, row: Arc<dyn Fn(usize) -> Frame + Send + Sync>) -> impl IntoView {
    move || indexes.get().into_iter().map(|i| frame(r, row(i))).collect_view()
}

pub fn panel(q: Element, r: Responses, repeat: Option<Repeat>) -> AnyView {
    let Kind::Panel { elements } = q.kind else { return ().into_any() };
    let slot = Slot { name: q.name.clone(), repeat: repeat.clone() };
    let hidden = move || !slot.holds(r, Target::Visible(slot.name.clone()), true);
    let title = (!q.title.is_empty()).then(|| view! { <h3>{piped(r, q.title.clone(), repeat.clone())}</h3> });
    let description = q.description.map(|d| view! { <p class="desc">{piped(r, d, repeat.clone())}</p> });
    view! {
        <section class="panel" data-question=q.name prop:hidden=hidden>
            {title}
            {description}
            {elements.into_iter().map(|e| element(e, r, repeat.clone())).collect_view()}
        </section>
    }
    .into_any()
}

/// Repeat `index` of a paneldynamic or a matrix (`name` as validation names
/// it: `outer[0].inner` inside a repeat), with its template's rules. They
/// may read any answer, so they look at every change, but are evaluated
/// again only when what they read changed: typing in one repeat leaves the
/// others asleep. A template without rules is evaluated once.
pub fn repeat(r: Responses, name: &str, index: usize, row: Option<String>) -> Repeat {
    let has_rules = r.session(|s| s.logic.has_template_rules(name));
    let rules = {
        let name = name.to_string();
        let seen = std::sync::Mutex::new(Vec::new());
        Memo::new(move |old: Option<&HashMap<Target, Val>>| {
            if has_rules {
                r.version.track();
            }
            let inputs = r.session(|s| s.panel_inputs(&name, index));
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            match old {
                Some(old) if *seen == inputs => old.clone(),
                _ => {
                    *seen = inputs;
                    r.session(|s| s.panel(&name, index))
                }
            }
        })
    };
    Repeat { dynamic: name.to_string(), index, rules, row, parent: None, grid: false }
}

/// A paneldynamic, at the top or inside a repeat (`outer`).
pub fn dynamic(q: Element, r: Responses, outer: Option<Repeat>) -> AnyView {
    let Kind::PanelDynamic { template, template_title, min, max, add_text, remove_text, .. } = q.kind else { return ().into_any() };
    let (add_label, remove_label) = (text_or(add_text, Msg::AddRepeat), text_or(remove_text, Msg::RemoveRepeat));
    let slot = Slot { name: q.name.clone(), repeat: outer.clone() };
    // Its key (`name`, or `outer[0].name`) names its repeats' answers and errors.
    let name = slot.key();
    let template = StoredValue::new(template);
    let list = {
        let slot = slot.clone();
        move || slot.list(r)
    };
    // The repeats' positions (a memo type the app already has, not one of its own for a count).
    let repeat_indexes = {
        let list = list.clone();
        Memo::new(move |_| (0..list().len()).collect::<Vec<usize>>())
    };
    let count = move || repeat_indexes.with(Vec::len);
    let hidden = {
        let slot = slot.clone();
        move || !slot.holds(r, Target::Visible(slot.name.clone()), true)
    };
    let add = {
        let name = name.clone();
        move |_| {
            let index = count();
            // Its defaults, and its value rules run as survey-core runs them in a new panel.
            r.edit(|s| s.add_repeat(&name));
            r.clear_error(&name);
            // The cursor goes to the new repeat's first question.
            if let Some(first) = template.with_value(|t| t.iter().find(|e| e.kind.has_answer()).map(|e| e.name.clone())) {
                super::focus_problem(format!("{name}[{index}].{first}"), false);
            }
        }
    };
    let can_add = move || max.is_none_or(|m| (count() as u32) < m);
    let can_remove = move || count() as u32 > min;
    let title = template_title.unwrap_or_else(|| Localized::plain("#{panelIndex}"));
    let key = name.clone();
    let lang = crate::app::use_state().lang;
    let error = move || r.error(&key, lang);
    let remove_label: Words = Arc::new(remove_label);
    let can: Signal<bool> = Signal::derive(can_remove);
    let repeats = {
        let (name, outer) = (name.clone(), outer.clone());
        repeats(
            r,
            repeat_indexes,
            Arc::new(move |index| {
                let mut repeat = repeat(r, &name, index, None);
                repeat.parent = outer.clone().map(Box::new);
                let remove = remove_at(r, slot.clone(), index);
                let heading: Words = Arc::new(piped(r, title.clone(), Some(repeat.clone())));
                let label = remove_label.clone();
                Frame {
                    class: "repeat",
                    heading,
                    shown: Signal::stored(true),
                    elements: template,
                    repeat,
                    can_remove: can,
                    remove,
                    remove_aria: label.clone(),
                    remove_label: label,
                }
            }),
        )
    };
    let described = q.description.map(|d| view! { <p class="desc">{piped(r, d, outer.clone())}</p> });
    view! {
        <section class="dynamic question" data-question=name prop:hidden=hidden>
            <h2 class="q-title">{piped(r, q.title, outer)}{q.is_required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}</h2>
            {described}
            {repeats}
            <button type="button" class="add" prop:hidden=move || !can_add() on:click=add>{add_label}</button>
            <p class="error">{error}</p>
        </section>
    }
    .into_any()
}
