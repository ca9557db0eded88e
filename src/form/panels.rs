//! Panels group questions; a paneldynamic repeats its template once per
//! item (a household member, a visit), with buttons to add and remove them.

use super::question::{element, piped, Repeat, Slot};
use super::responses::Responses;
use crate::i18n::{text_or, Msg};
use leptos::prelude::*;
use phieu_core::{Element, Kind, Localized, Target};
use serde_json::{Map, Value};

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

/// Repeat `index` of a paneldynamic or a matrix, with its template's rules.
/// They may read any answer, so they follow every change; a template
/// without rules is evaluated once.
pub fn repeat(r: Responses, name: &str, index: usize, row: Option<String>) -> Repeat {
    let has_rules = r.session(|s| s.logic.has_template_rules(name));
    let rules = {
        let name = name.to_string();
        Memo::new(move |_| {
            if has_rules {
                r.version.track();
            }
            r.session(|s| s.panel(&name, index))
        })
    };
    Repeat { dynamic: name.to_string(), index, rules, row }
}

pub fn dynamic(q: Element, r: Responses) -> AnyView {
    let Kind::PanelDynamic { template, template_title, min, max, add_text, remove_text, .. } = q.kind else { return ().into_any() };
    let (add_label, remove_label) = (text_or(add_text, Msg::AddRepeat), text_or(remove_text, Msg::RemoveRepeat));
    let name = q.name.clone();
    let template = StoredValue::new(template);
    // The repeats' positions (a memo type the app already has, not one of its own for a count).
    let repeat_indexes = {
        let name = name.clone();
        Memo::new(move |_| (0..r.with(&name, |v| v.and_then(Value::as_array).map_or(0, Vec::len))).collect::<Vec<usize>>())
    };
    let count = move || repeat_indexes.with(Vec::len);
    let hidden = {
        let name = name.clone();
        move || !r.holds(Target::Visible(name.clone()), true)
    };
    let add = {
        let name = name.clone();
        move |_| {
            let mut list = r.repeats(&name);
            list.push(Value::Object(Map::new()));
            let index = list.len() - 1;
            r.set(&name, Some(Value::Array(list)));
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
        let name = name.clone();
        move || {
            repeat_indexes
                .get()
                .into_iter()
                .map(|index| {
                    let repeat = repeat(r, &name, index, None);
                    let remove = {
                        let name = name.clone();
                        move |_| {
                            let mut list = r.repeats(&name);
                            if index < list.len() {
                                list.remove(index);
                                r.set(&name, Some(Value::Array(list)));
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
    let described = q.description.map(|d| view! { <p class="desc">{piped(r, d, None)}</p> });
    view! {
        <section class="dynamic question" data-question=name prop:hidden=hidden>
            <h2 class="q-title">{piped(r, q.title, None)}{q.is_required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}</h2>
            {described}
            {repeats}
            <button type="button" class="add" prop:hidden=move || !can_add() on:click=add>{add_label}</button>
            <p class="error">{error}</p>
        </section>
    }
    .into_any()
}
