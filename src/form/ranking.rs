//! `ranking`: the options put in order by dragging a row's handle (the
//! drag is `src/media.js`'s), by its "Up" and "Down" buttons, or by the
//! arrow keys on a focused row, as in SurveyJS. With `selectToRankEnabled`
//! the options not ranked yet come first: a tap (or Enter) moves one into
//! the ranking, its "Remove" (or Enter on the row) moves it back. The DOM is
//! fixed: one row per place in each list, whose text follows the answer.
//! An untouched ranking is unanswered, as in survey-core.

use super::question::Control;
use super::widgets::{entries, picked};
use crate::app::use_state;
use crate::i18n::{t, tr, Msg};
use leptos::prelude::*;
use phieu_core::Choices;
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/media.js")]
extern "C" {
    fn drag(ev: &web_sys::Event);
    #[wasm_bindgen(js_name = focusSoon)]
    fn focus_soon(id: &str);
}

/// Moves option `x` (a position in the entries) to place `k` of the
/// ranking, or out of it (`None`).
type Put = Arc<dyn Fn(usize, Option<usize>) + Send + Sync>;

pub fn ranking(c: Control, list: Choices, select: bool, max: Option<u32>) -> impl IntoView {
    let lang = use_state().lang;
    let entries = StoredValue::new(entries(&c, &list));
    let n = entries.with_value(Vec::len);
    let offered = move |i: usize| entries.with_value(|es| es[i].offered.get());
    // The ranking, as positions in the entries: the answer's order; then,
    // unless the person picks what to rank, every other option offered, in
    // the order shown (how SurveyJS shows an untouched ranking).
    let ranked = {
        let c = c.clone();
        Memo::new(move |_| {
            let mut out: Vec<usize> = Vec::new();
            for v in picked(c.value()) {
                if let Some(i) = entries.with_value(|es| es.iter().position(|e| e.value == v)).filter(|&i| offered(i) && !out.contains(&i))
                {
                    out.push(i);
                }
            }
            if !select {
                out.extend((0..n).filter(|i| offered(*i) && !out.contains(i)).collect::<Vec<_>>());
            }
            out
        })
    };
    let unranked =
        Memo::new(move |_| if select { ranked.with(|r| (0..n).filter(|i| offered(*i) && !r.contains(i)).collect()) } else { Vec::new() });
    let label = move |i: usize| entries.with_value(|es| es[i].label.get());
    let off = move |i: usize| entries.with_value(|es| !es[i].choosable.get());
    let said = RwSignal::new(String::new());
    let disabled = c.disabled();
    let id = c.id.clone();
    let put: Put = {
        let (c, id, disabled) = (c.clone(), id.clone(), disabled.clone());
        Arc::new(move |x, to| {
            let mut order = ranked.get_untracked();
            let was = order.iter().position(|&i| i == x);
            let full = max.is_some_and(|m| order.len() >= m as usize);
            if untrack(&disabled) || untrack(|| off(x)) || (was.is_none() && (to.is_none() || full)) {
                return;
            }
            order.retain(|&i| i != x);
            let l = lang.get_untracked();
            let name = untrack(|| label(x));
            let (row, note) = match to {
                Some(k) => {
                    let k = k.min(order.len());
                    order.insert(k, x);
                    (format!("{id}-r{k}"), format!("{name}: {} {} {} {}", t(l, Msg::RankPlace), k + 1, t(l, Msg::RankOf), order.len()))
                }
                None => {
                    let k = (0..x).filter(|i| untrack(|| offered(*i)) && !order.contains(i)).count();
                    (format!("{id}-u{k}-add"), format!("{name}: {}", t(l, Msg::RankOut)))
                }
            };
            let values: Vec<Value> = entries.with_value(|es| order.iter().map(|&i| es[i].value.clone()).collect());
            c.set((!values.is_empty()).then_some(Value::Array(values)));
            said.set(note);
            focus_soon(&row);
        })
    };
    let at = move |k: usize| ranked.with(|o| o.get(k).copied());
    let named = move |msg: Msg, k: usize| move || format!("{}: {}", t(lang.get(), msg), at(k).map(label).unwrap_or_default());
    let answered = {
        let c = c.clone();
        move || c.value().is_some()
    };
    let rows = (0..n)
        .map(|k| {
            let (p1, p2, p3, p4) = (put.clone(), put.clone(), put.clone(), put.clone());
            let shift = move |p: &Put, by: isize| {
                if let (Some(x), Some(to)) = (at(k), k.checked_add_signed(by)) {
                    p(x, Some(to));
                }
            };
            let on_key = move |ev: leptos::ev::KeyboardEvent| {
                // Keys on the row itself; its buttons have their own.
                if ev.target() != ev.current_target() {
                    return;
                }
                match ev.key().as_str() {
                    "ArrowUp" if k > 0 => shift(&p1, -1),
                    "ArrowDown" if at(k + 1).is_some() => shift(&p1, 1),
                    "Enter" | " " if select => {
                        if let Some(x) = at(k) {
                            p1(x, None);
                        }
                    }
                    _ => return,
                }
                ev.prevent_default();
            };
            let answered = answered.clone();
            view! {
                <li
                    id=format!("{id}-r{k}")
                    data-slot=format!("r{k}")
                    tabindex="0"
                    hidden=move || at(k).is_none()
                    data-off=move || at(k).is_some_and(off).then_some("")
                    on:keydown=on_key
                >
                    <span class="grip" aria-hidden="true" on:pointerdown=move |ev| drag(&ev)>"⠿"</span>
                    <span class="rank-no" aria-hidden="true">{move || if answered() { (k + 1).to_string() } else { "–".into() }}</span>
                    <span class="rank-text">{move || at(k).map(label)}</span>
                    <button
                        type="button"
                        aria-label=named(Msg::RankUp, k)
                        prop:disabled=move || k == 0 || at(k).is_some_and(off)
                        on:click=move |_| shift(&p2, -1)
                    >
                        {tr(Msg::RankUp)}
                    </button>
                    <button
                        type="button"
                        aria-label=named(Msg::RankDown, k)
                        prop:disabled=move || at(k + 1).is_none() || at(k).is_some_and(off)
                        on:click=move |_| shift(&p3, 1)
                    >
                        {tr(Msg::RankDown)}
                    </button>
                    <button
                        type="button"
                        hidden=!select
                        aria-label=named(Msg::Remove, k)
                        prop:disabled=move || at(k).is_some_and(off)
                        on:click=move |_| {
                            if let Some(x) = at(k) {
                                p4(x, None);
                            }
                        }
                    >
                        {tr(Msg::Remove)}
                    </button>
                </li>
            }
        })
        .collect_view();
    let full = move || max.is_some_and(|m| ranked.with(Vec::len) >= m as usize);
    let choices = (0..n)
        .map(|k| {
            let put = put.clone();
            let item = move || unranked.with(|u| u.get(k).copied());
            view! {
                <li id=format!("{id}-u{k}") data-slot=format!("u{k}") hidden=move || item().is_none() data-off=move || item().is_some_and(off).then_some("")>
                    <span class="grip" aria-hidden="true" on:pointerdown=move |ev| drag(&ev)>"⠿"</span>
                    <button
                        type="button"
                        class="rank-add"
                        id=format!("{id}-u{k}-add")
                        prop:disabled=move || full() || item().is_some_and(off)
                        on:click=move |_| {
                            if let Some(x) = item() {
                                put(x, Some(usize::MAX));
                            }
                        }
                    >
                        {move || item().map(label)}
                    </button>
                </li>
            }
        })
        .collect_view();
    let dropped = move |ev: leptos::ev::Event| {
        let Some(root) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let moved = root.get_attribute("data-move").unwrap_or_default();
        let mut ends = moved.split(' ').map(|s| (s.get(..1).unwrap_or(""), s.get(1..).and_then(|k| k.parse::<usize>().ok())));
        let (Some(from), Some(to)) = (ends.next(), ends.next()) else { return };
        let x = match from {
            ("r", Some(k)) => at(k),
            ("u", Some(k)) => unranked.with_untracked(|u| u.get(k).copied()),
            _ => None,
        };
        if let Some(x) = x {
            put(x, if to.0 == "r" { to.1 } else { None });
        }
    };
    view! {
        <div class="ranking" id=c.id.clone() aria-describedby=c.described_by.clone() on:change=dropped>
            <p class="rank-caption" hidden=!select>{tr(Msg::Unranked)}</p>
            <ol data-list="u" hidden=!select aria-label=tr(Msg::Unranked)>{choices}</ol>
            <p class="rank-caption" hidden=!select>{tr(Msg::Ranked)}</p>
            <ol data-list="r" aria-label=tr(Msg::Ranked)>
                {rows}
                <li class="rank-empty" hidden=move || !select || ranked.with(|r| !r.is_empty())>{tr(Msg::RankEmpty)}</li>
            </ol>
            <p class="visually-hidden" role="status">{move || said.get()}</p>
        </div>
    }
}
