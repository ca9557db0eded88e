//! `matrixdropdown` and `matrixdynamic`. A row is a repeat whose questions
//! are the columns (a paneldynamic's `Repeat` and frame, its rules per row),
//! each cell the widget of its `cellType`. One DOM for every screen: on a
//! phone each row is a card of labelled fields, as SurveyJS shows it there;
//! from 40rem `style.css` lays the same rows out as a table under the column titles.

use super::panels::{remove_at, repeat, repeats, Frame, Words};
use super::question::Control;
use crate::app::use_state;
use crate::i18n::{t, text, text_or, Msg};
use leptos::prelude::*;
use phieu_core::form::Grid;
use phieu_core::Target;
use serde_json::Value;
use std::sync::Arc;

pub fn grid(c: Control, g: Arc<Grid>) -> impl IntoView {
    // `name`, or `p[0].name` in a repeat: its rows' rules, errors and totals are found by it.
    let (r, name, slot) = (c.r, c.slot.key(), c.slot.clone());
    let columns = StoredValue::new(g.columns.clone());
    let lang = use_state().lang;
    let head = g.columns.iter().map(|col| view! { <span>{text(col.title.clone())}{col.is_required.then_some(" *")}</span> }).collect_view();
    let remove_label: Words = Arc::new(text_or(g.remove_text.clone(), Msg::RemoveRow));
    // A matrixdropdown's rows are fixed; a matrixdynamic's follow its answer's length.
    let fixed = g.rows.clone();
    let indexes = {
        let (slot, n) = (slot.clone(), fixed.as_ref().map(Vec::len));
        Memo::new(move |_| (0..n.unwrap_or_else(|| slot.list(r).len())).collect::<Vec<usize>>())
    };
    let count = move || indexes.with(Vec::len) as u32;
    let (min, max) = (g.min, g.max);
    let (can_add, can_remove) = (g.can_add, g.can_remove);
    let removable: Signal<bool> = Signal::derive(move || can_remove && count() > min);
    let rows = {
        let (c, name, slot) = (c.clone(), name.clone(), slot.clone());
        repeats(
            r,
            indexes,
            Arc::new(move |i| {
                let (heading, key, shown): (Words, _, _) = match &fixed {
                    Some(rows) => (
                        Arc::new(text(rows[i].text.clone())),
                        Some(phieu_core::form::value_text(&rows[i].value)),
                        c.shown(Target::RowVisible, i, rows.len()),
                    ),
                    None => (Arc::new(move || format!("{} {}", t(lang.get(), Msg::Row), i + 1)), None, Signal::stored(true)),
                };
                let label = remove_label.clone();
                let mut row = repeat(r, &name, i, key);
                (row.grid, row.parent) = (true, c.slot.repeat.clone().map(Box::new));
                let remove_aria: Words = {
                    let (heading, label) = (heading.clone(), label.clone());
                    Arc::new(move || format!("{} {}", label(), heading()))
                };
                Frame {
                    class: "grid-row",
                    heading,
                    shown,
                    elements: columns,
                    repeat: row,
                    can_remove: removable,
                    remove: remove_at(r, slot.clone(), i),
                    remove_label: label,
                    remove_aria,
                }
            }),
        )
    };
    let add = {
        let (name, new_row, slot) = (name.clone(), g.new_row(), slot.clone());
        move |_| {
            let mut list = slot.list(r);
            list.push(new_row.clone());
            let index = list.len() - 1;
            slot.set(r, Some(Value::Array(list)));
            // The cursor goes to the new row's first cell.
            if let Some(first) = columns.with_value(|cs| cs.first().map(|e| e.name.clone())) {
                super::focus_problem(format!("{name}[{index}].{first}"), false);
            }
        }
    };
    // A matrixdropdown's `can_add` is false: the button stays hidden.
    let addable = move || can_add && max.is_none_or(|m| count() < m);
    let has_totals = g.totals.iter().any(Option::is_some);
    let label = text_or(g.total_text.clone(), Msg::Total);
    let add_text = text_or(g.add_text.clone(), Msg::AddRow);
    let totals = move || {
        if !has_totals {
            return String::new();
        }
        slot.value(r);
        let locale = lang.get().code();
        r.session(|s| s.totals(&name)).and_then(|v| phieu_core::display::grid_totals(&g, &v, locale)).unwrap_or_default()
    };
    view! {
        <div class="grid-rows">
            <div class="grid-head" aria-hidden="true"><span></span>{head}</div>
            {rows}
        </div>
        <p class="grid-totals" prop:hidden=!has_totals><b>{label}</b>": "{totals}</p>
        <button type="button" class="add" prop:hidden=move || !addable() on:click=add>{add_text}</button>
    }
}
