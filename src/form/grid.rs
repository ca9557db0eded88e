//! `matrixdropdown` and `matrixdynamic`. A row is a repeat whose questions
//! are the columns (a paneldynamic's `Repeat`, its rules per row), each cell
//! the widget of its `cellType`. One DOM for every screen: on a phone each
//! row is a card of labelled fields, as SurveyJS shows it there; from 40rem
//! `style.css` lays the same rows out as a table under the column titles.

use super::panels::repeat;
use super::question::{element, Control};
use crate::app::use_state;
use crate::i18n::{t, text, text_or, Msg};
use leptos::prelude::*;
use phieu_core::form::Grid;
use phieu_core::{Element, Target};
use serde_json::{Map, Value};
use std::sync::Arc;

type Title = Arc<dyn Fn() -> String + Send + Sync>;

pub fn grid(c: Control, g: Arc<Grid>) -> impl IntoView {
    let (r, name) = (c.r, c.slot.name.clone());
    let columns = StoredValue::new(g.columns.clone());
    let lang = use_state().lang;
    let head = g.columns.iter().map(|col| view! { <span>{text(col.title.clone())}{col.is_required.then_some(" *")}</span> }).collect_view();
    let remove_label: Title = Arc::new(text_or(g.remove_text.clone(), Msg::RemoveRow));
    // A matrixdropdown's rows are fixed; a matrixdynamic's follow its answer's length.
    let fixed = g.rows.clone().map(|rows| {
        let n = rows.len();
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| {
                let title: Title = Arc::new(text(row.text));
                let key = phieu_core::form::value_text(&row.value);
                row_view(&c, i, Some(key), title, c.shown(Target::RowVisible, i, n), columns, None)
            })
            .collect_view()
    });
    let indexes = {
        let name = name.clone();
        Memo::new(move |_| (0..r.with(&name, |v| v.and_then(Value::as_array).map_or(0, Vec::len))).collect::<Vec<usize>>())
    };
    let count = move || indexes.with(Vec::len) as u32;
    let (min, max) = (g.min, g.max);
    let can_remove = g.can_remove;
    let grows = g.can_add;
    let can_add = move || grows && max.is_none_or(|m| count() < m);
    let dynamic = g.rows.is_none().then(|| {
        let (c, name) = (c.clone(), name.clone());
        move || {
            indexes
                .get()
                .into_iter()
                .map(|i| {
                    let title: Title = Arc::new(move || format!("{} {}", t(lang.get(), Msg::Row), i + 1));
                    let remove: Remove = {
                        let name = name.clone();
                        Arc::new(move || {
                            let mut list = r.repeats(&name);
                            if i < list.len() {
                                list.remove(i);
                                r.set(&name, Some(Value::Array(list)));
                            }
                        })
                    };
                    let shown = Signal::stored(true);
                    let can = Signal::derive(move || can_remove && count() > min);
                    row_view(&c, i, None, title, shown, columns, Some((can, remove, remove_label.clone())))
                })
                .collect_view()
        }
    });
    let add = {
        let (name, default_row) = (name.clone(), g.default_row.clone());
        move |_| {
            let mut list = r.repeats(&name);
            list.push(default_row.clone().unwrap_or_else(|| Value::Object(Map::new())));
            let index = list.len() - 1;
            r.set(&name, Some(Value::Array(list)));
            // The cursor goes to the new row's first cell.
            if let Some(first) = columns.with_value(|cs| cs.first().map(|e| e.name.clone())) {
                super::focus_problem(format!("{name}[{index}].{first}"), false);
            }
        }
    };
    let add_button = g.rows.is_none().then(|| {
        view! { <button type="button" class="add" prop:hidden=move || !can_add() on:click=add>{text_or(g.add_text.clone(), Msg::AddRow)}</button> }
    });
    let has_totals = g.totals.iter().any(Option::is_some);
    let totals = has_totals.then(move || {
        let label = text_or(g.total_text.clone(), Msg::Total);
        let shown = move || {
            r.with(&name, |_| ());
            let locale = lang.get().code();
            r.session(|s| s.totals(&name)).and_then(|v| phieu_core::display::grid_totals(&g, &v, locale)).unwrap_or_default()
        };
        view! { <p class="grid-totals"><b>{label}</b>": "{shown}</p> }
    });
    view! {
        <div class="grid-rows">
            <div class="grid-head" aria-hidden="true"><span></span>{head}</div>
            {fixed}
            {dynamic}
        </div>
        {totals}
        {add_button}
    }
}

type Remove = Arc<dyn Fn() + Send + Sync>;

/// One row: its title, a cell per column (each the question of its
/// `cellType`, answering into the row), and a matrixdynamic's remove button.
fn row_view(
    c: &Control,
    index: usize,
    key: Option<String>,
    title: Title,
    shown: Signal<bool>,
    columns: StoredValue<Vec<Element>>,
    remove: Option<(Signal<bool>, Remove, Title)>,
) -> impl IntoView {
    let r = c.r;
    let repeat = repeat(r, &c.slot.name, index, key);
    let cells =
        columns.get_value().into_iter().map(|col| view! { <div class="cell">{element(col, r, Some(repeat.clone()))}</div> }).collect_view();
    let remove = remove.map(|(can, remove, label)| {
        let aria = {
            let (title, label) = (title.clone(), label.clone());
            move || format!("{} {}", label(), title())
        };
        view! {
            <div class="cell">
                <button type="button" class="small remove" aria-label=aria prop:hidden=move || !can.get() on:click=move |_| remove()>{move || label()}</button>
            </div>
        }
    });
    let label = title.clone();
    view! {
        <section class="grid-row" role="group" aria-label=move || label() prop:hidden=move || !shown.get()>
            <h3 class="cell">{move || title()}</h3>
            {cells}
            {remove}
        </section>
    }
}
