//! Every answer before it is sent, grouped by page, each with a way back to
//! change it. The same view is the printed copy of a report.

use super::question::piped;
use super::responses::Responses;
use crate::app::use_state;
use crate::i18n::{t, tr, Lang, Msg};
use leptos::prelude::*;
use phieu_core::expr::is_true;
use phieu_core::{Element, Kind, Target};
use serde_json::Value;

/// One line of the summary: a question and its answer, or a repeat of a
/// paneldynamic with its own lines.
struct Line {
    key: String,
    title: String,
    answer: Vec<String>,
    nested: Vec<(String, Vec<Line>)>,
}

fn lines(r: Responses, es: &[Element], locale: &str, out: &mut Vec<Line>) {
    r.session(|s| {
        let (state, answers) = (&s.state, &s.answers);
        // What is sent: computed values in, a matrix's hidden cells out.
        let sent = s.result();
        for e in es {
            // The caller shows only visible pages, and a panel's lines are
            // read only when the panel is shown: the element's own rule decides.
            if !state.holds(&Target::Visible(e.name.clone()), true) {
                continue;
            }
            match &e.kind {
                Kind::Html { .. } | Kind::Image { .. } => {}
                Kind::Panel { elements } => lines(r, elements, locale, out),
                Kind::PanelDynamic { .. } => {
                    let nested = repeats(s, e, &e.name, sent.get(&e.name), locale);
                    out.push(Line { key: e.name.clone(), title: e.title.get(locale).to_string(), answer: Vec::new(), nested });
                }
                _ => {
                    let value = sent.get(&e.name).cloned();
                    let comment = answers.get(&phieu_core::answers::comment_key(&e.name)).and_then(Value::as_str);
                    let mut answer = value.map(|v| phieu_core::display::answer(e, &v, comment, locale)).unwrap_or_default();
                    totals(e, &sent, locale, &mut answer);
                    out.push(Line { key: e.name.clone(), title: e.title.get(locale).to_string(), answer, nested: Vec::new() });
                }
            }
        }
    });
}

/// A matrix's totals, as sent beside it (in `sent`: the answers or a repeat).
fn totals(q: &Element, sent: &serde_json::Map<String, Value>, locale: &str, answer: &mut Vec<String>) {
    if let (Kind::Grid(g), Some(totals)) = (&q.kind, sent.get(&phieu_core::form::total_key(&q.name))) {
        let label = g.total_text.as_ref().map_or(t(Lang::from_browser(locale), Msg::Total), |l| l.get(locale));
        answer.extend(phieu_core::display::grid_totals(g, totals, locale).map(|line| format!("{label} — {line}")));
    }
}

/// Each repeat of paneldynamic `q` (named `key`: `name`, or `outer[0].name`
/// inside a repeat; `value` as sent), with the lines of its shown questions, repeats inside it too.
fn repeats(s: &phieu_core::Session, q: &Element, key: &str, value: Option<&Value>, locale: &str) -> Vec<(String, Vec<Line>)> {
    let Kind::PanelDynamic { template, template_title, .. } = &q.kind else { return Vec::new() };
    let items = value.and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let rules = s.panel(key, i);
            let shown = |q: &Element| rules.get(&Target::Visible(q.name.clone())).is_none_or(is_true);
            let title = template_title.as_ref().map_or_else(
                || format!("#{}", i + 1),
                |t| phieu_core::piping::pipe(t.get(locale), &|n| n.eq_ignore_ascii_case("panelIndex").then(|| (i + 1).to_string())),
            );
            let inner = phieu_core::form::answered_in(template, &shown)
                .into_iter()
                .filter(|q| shown(q))
                .map(|q| {
                    let key = format!("{key}[{i}].{}", q.name);
                    let comment = item.get(phieu_core::answers::comment_key(&q.name)).and_then(Value::as_str);
                    let mut answer = match &q.kind {
                        Kind::PanelDynamic { .. } => Vec::new(),
                        _ => item.get(&q.name).map(|v| phieu_core::display::answer(q, v, comment, locale)).unwrap_or_default(),
                    };
                    if let Some(item) = item.as_object() {
                        totals(q, item, locale, &mut answer);
                    }
                    let nested = repeats(s, q, &key, item.get(&q.name), locale);
                    Line { key, title: q.title.get(locale).to_string(), answer, nested }
                })
                .collect();
            (title, inner)
        })
        .collect()
}

fn render(lines: Vec<Line>, edit: Callback<String>) -> impl IntoView {
    lines
        .into_iter()
        .map(|l| {
            let key = l.key.clone();
            let has_nested = !l.nested.is_empty();
            let nested = l
                .nested
                .into_iter()
                .map(|(title, inner)| view! { <div class="repeat"><h4>{title}</h4><dl>{render(inner, edit)}</dl></div> }.into_any())
                .collect_view();
            let unanswered = l.answer.is_empty() && !has_nested;
            let answer = l.answer.into_iter().map(|a| view! { <span class="line">{a}</span> }).collect_view();
            view! {
                <dt>{l.title}</dt>
                <dd>
                    <button type="button" class="link edit" on:click=move |_| edit.run(key.clone())>{tr(Msg::Edit)}</button>
                    {answer}
                    <span class="none" hidden=!unanswered>{tr(Msg::NotAnswered)}</span>
                    {nested}
                </dd>
            }
        })
        .collect_view()
}

pub fn review(r: Responses, edit: Callback<String>) -> impl IntoView {
    let lang = use_state().lang;
    let print = |_| {
        let _ = crate::platform::window().print();
    };
    let pages = move || {
        let locale = lang.get().code();
        let pages = r.with_form(|f| f.pages.clone());
        pages
            .into_iter()
            .enumerate()
            .filter(|(i, _)| r.holds(Target::PageVisible(*i), true))
            .map(|(i, p)| {
                let mut out = Vec::new();
                lines(r, &p.elements, locale, &mut out);
                let title = p.title.map(|t| piped(r, t, None)());
                let title = title.unwrap_or_else(|| format!("{} {}", t(lang.get(), Msg::Page), i + 1));
                view! {
                    <section class="review-page">
                        <h2>{title}</h2>
                        <dl>{render(out, edit)}</dl>
                    </section>
                }
            })
            .collect_view()
    };
    view! {
        <section class="review" aria-labelledby="review-title">
            <h2 id="review-title">{tr(Msg::ReviewTitle)}</h2>
            <p class="hint">{tr(Msg::ReviewHint)}</p>
            {pages}
            <p><button type="button" class="small print" on:click=print>{tr(Msg::Print)}</button></p>
        </section>
    }
}
