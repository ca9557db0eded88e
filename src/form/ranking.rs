//! `ranking`: the options put in order by dragging a row's handle, by its
//! "Up" and "Down" buttons, or by the arrow keys on a focused row, as in
//! SurveyJS. With `selectToRankEnabled` the options not ranked yet come
//! first: a tap (or Enter) moves one into the ranking, its "Remove" (or
//! Enter on the row) moves it back. The rows, their keys and the drag are
//! `src/media.js`'s (`rank`), far smaller there than as views in the wasm;
//! here is what the answer is and which moves it allows. An untouched
//! ranking is unanswered, as in survey-core.

use super::question::Control;
use super::widgets::{entries, picked};
use crate::app::use_state;
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use phieu_core::Choices;
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/media.js")]
extern "C" {
    fn rank(list: &web_sys::Element, ranked: &js_sys::Array, unranked: &js_sys::Array, words: &js_sys::Array, answered: bool, full: bool);
}

pub fn ranking(c: Control, list: Choices, select: bool, max: Option<u32>) -> impl IntoView {
    let lang = use_state().lang;
    // Shared read-only by Arc, as the picker's (no StoredValue type of its own).
    let entries = Arc::new(entries(&c, &list));
    let n = entries.len();
    let offered = {
        let es = entries.clone();
        move |i: usize| es[i].offered.get()
    };
    // The ranking, as positions in the entries: the answer's order; then,
    // unless the person picks what to rank, every other option offered, in
    // the order shown (how SurveyJS shows an untouched ranking). A plain
    // closure: each change reads it once, and a memo type costs a kilobyte.
    let ranked = {
        let (c, es, offered) = (c.clone(), entries.clone(), offered.clone());
        move || {
            let mut out: Vec<usize> = Vec::new();
            for v in picked(c.value()) {
                if let Some(i) = es.iter().position(|e| e.value == v).filter(|&i| offered(i) && !out.contains(&i)) {
                    out.push(i);
                }
            }
            if !select {
                out.extend((0..n).filter(|i| offered(*i) && !out.contains(i)).collect::<Vec<_>>());
            }
            out
        }
    };
    let unranked = move |r: &[usize]| -> Vec<usize> { (0..n).filter(|i| select && offered(*i) && !r.contains(i)).collect() };
    let full = move |r: &[usize]| max.is_some_and(|m| r.len() >= m as usize);
    // The ranking's list (media.js finds the widget from it): a node type the app has.
    let list = NodeRef::<leptos::html::Ul>::new();
    {
        let (c, ranked, es, unranked) = (c.clone(), ranked.clone(), entries.clone(), unranked.clone());
        Effect::new(move |_| {
            let rows = |list: &[usize]| -> js_sys::Array {
                list.iter()
                    .map(|&i| js_sys::Array::of3(&(i as u32).into(), &es[i].label.get().into(), &(!es[i].choosable.get()).into()))
                    .collect()
            };
            let (r, l) = (ranked(), lang.get());
            let words: js_sys::Array = [
                Msg::RankUp,
                Msg::RankDown,
                Msg::Remove,
                Msg::RankPlace,
                Msg::RankOf,
                Msg::RankOut,
                Msg::Unranked,
                Msg::Ranked,
                Msg::RankEmpty,
            ]
            .into_iter()
            .map(|m| JsValue::from(t(l, m)))
            .collect();
            if let Some(el) = list.get() {
                rank(&el, &rows(&r), &rows(&unranked(&r)), &words, c.value().is_some(), full(&r));
            }
        });
    }
    // A move from the rows: "r2 r0", "u1 r9", "r1 u" (see media.js).
    let moved = {
        let (c, disabled) = (c.clone(), c.disabled());
        let ranked = move || untrack(&ranked);
        move |ev: leptos::ev::Event| {
            let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let said = el.get_attribute("data-move").unwrap_or_default();
            let mut ends = said.split(' ').map(|s| (s.get(..1).unwrap_or(""), s.get(1..).and_then(|k| k.parse::<usize>().ok())));
            let (Some(from), Some((to, at))) = (ends.next(), ends.next()) else { return };
            let mut order = ranked();
            let x = match from {
                ("r", Some(k)) => order.get(k).copied(),
                ("u", Some(k)) => untrack(|| unranked(&order)).get(k).copied(),
                _ => None,
            };
            let Some(x) = x.filter(|&x| !untrack(&disabled) && entries[x].choosable.get_untracked()) else { return };
            let was = order.iter().position(|&i| i == x);
            if (to == "r" && was.is_none() && full(&order)) || (to != "r" && (was.is_none() || !select)) {
                return;
            }
            order.retain(|&i| i != x);
            if to == "r" {
                order.insert(at.unwrap_or(0).min(order.len()), x);
            }
            let values: Vec<Value> = order.iter().map(|&i| entries[i].value.clone()).collect();
            c.set((!values.is_empty()).then_some(Value::Array(values)));
        }
    };
    view! {
        <div class="ranking" id=c.id.clone() aria-describedby=c.described_by.clone() data-select=select.then_some("1") on:change=moved>
            <ul node_ref=list></ul>
        </div>
    }
}
