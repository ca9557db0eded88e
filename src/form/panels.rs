//! Panels group questions; a paneldynamic repeats its template once per
//! item (a household member, a visit), with buttons to add and remove them.

use super::question::{element, piped, Repeat, Slot};
use super::responses::Responses;
use crate::i18n::{text_or, Msg};
use leptos::prelude::*;
use phieu_core::expr::Val;
use phieu_core::sort::HashMap;
use phieu_core::{Element, Kind, Localized, Target};
use serde_json::Value;

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
    Repeat { dynamic: name.to_string(), index, rules, row, parent: None }
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
        move || slot.value(r).and_then(|v| v.as_array().cloned()).unwrap_or_default()
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
        let (name, slot, list) = (name.clone(), slot.clone(), list.clone());
        move |_| {
            let mut list = list();
            list.push(template.with_value(|t| phieu_core::session::new_repeat(t)));
            let index = list.len() - 1;
            slot.set(r, Some(Value::Array(list)));
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
    let error = {
        let lang = crate::app::use_state().lang;
        move || r.error(&key).map(|e| e.message(lang.get().code()))
    };
    let repeats = {
        let (name, outer) = (name.clone(), outer.clone());
        move || {
            repeat_indexes
                .get()
                .into_iter()
                .map(|index| {
                    let mut repeat = repeat(r, &name, index, None);
                    repeat.parent = outer.clone().map(Box::new);
                    let remove = {
                        let (slot, list) = (slot.clone(), list.clone());
                        move |_| {
                            let mut list = list();
                            if index < list.len() {
                                list.remove(index);
                                slot.set(r, Some(Value::Array(list)));
                            }
                        }
                    };
                    let heading = piped(r, title.clone(), Some(repeat.clone()));
                    view! {
                        <section class="repeat" role="group" aria-label=heading.clone()>
                            <h3>{heading.clone()}</h3>
                            {template.get_value().into_iter().map(|e| element(e, r, Some(repeat.clone()))).collect_view()}
                            <button type="button" class="small remove" prop:hidden=move || !can_remove() on:click=remove>{remove_label.clone()}</button>
                        </section>
                    }
                })
                .collect_view()
        }
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
