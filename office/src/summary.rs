//! A summary of what the filter shows: reports per day, and per answer of a
//! chosen choice question (district, topic, sentiment…), drawn as SVG here
//! with no charting library, with the same numbers in a table.

use crate::api;
use crate::filter::FilterForm;
use crate::i18n::{self, w};
use crate::{forms, office};
use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq)]
struct Counts {
    /// (yyyy-mm-dd, reports), oldest first.
    days: Vec<(String, u64)>,
    /// (the stored value, reports), most first.
    values: Vec<(Value, u64)>,
}

/// `[{"day"|"value": k, "count": n}]`, as `GET /api/summary` answers.
fn pairs(v: &Value, list: &str, key: &str) -> Vec<(Value, u64)> {
    let rows = v.get(list).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    rows.iter().filter_map(|e| Some((e.get(key)?.clone(), e.get("count")?.as_u64()?))).collect()
}

async fn fetch(mut query: Vec<(&'static str, String)>, question: String) -> Result<Counts, api::Failure> {
    query.push(("question", question));
    let v = api::get(&format!("../api/summary?{}", api::query(&query))).await?;
    let days = with_empty_days(pairs(&v, "days", "day").into_iter().map(|(k, n)| (phieu_core::form::value_text(&k), n)).collect());
    let mut values = pairs(&v, "values", "value");
    values.sort_by_key(|v| std::cmp::Reverse(v.1));
    Ok(Counts { days, values })
}

/// The days between the first and the last with none, so the columns keep
/// time's proportions (at most a year and a day; a longer range as given).
fn with_empty_days(days: Vec<(String, u64)>) -> Vec<(String, u64)> {
    const DAY_MS: f64 = 86_400_000.0;
    let ms = |d: &str| js_sys::Date::parse(d);
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return days };
    let (from, to) = (ms(&first.0), ms(&last.0));
    if from.is_nan() || to.is_nan() || (to - from) / DAY_MS > 366.0 {
        return days;
    }
    let mut out = Vec::new();
    let mut at = from;
    while at <= to {
        let day = String::from(js_sys::Date::new(&at.into()).to_iso_string()).chars().take(10).collect::<String>();
        let n = days.iter().find(|(d, _)| *d == day).map_or(0, |(_, n)| *n);
        out.push((day, n));
        at += DAY_MS;
    }
    out
}

#[component]
pub fn Summary() -> impl IntoView {
    let office = office();
    let question = RwSignal::new(String::new());
    let counts = RwSignal::new(None::<Counts>);
    let problem = RwSignal::new(None::<String>);
    let form_id = move || office.filter.with(|f| f.form.clone());
    let questions = move || {
        forms::loaded().track();
        forms::get(&form_id()).map(|f| forms::choice_questions(&f)).unwrap_or_default()
    };
    // Only the answer to the latest request counts.
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let (filter, q) = (office.filter.get(), question.get());
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        leptos::task::spawn_local(async move {
            let answer = fetch(filter.pairs(), q).await;
            if latest.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(c) => {
                    counts.set(Some(c));
                    problem.set(None);
                }
                Err(f) => problem.set(Some(f.message)),
            }
        });
    });
    let options = move || {
        let locale = i18n::locale();
        let chosen = question.get();
        questions()
            .into_iter()
            .map(|e| {
                let selected = e.name == chosen;
                view! { <option value=e.name.clone() selected=selected>{e.title.get(locale).to_string()}</option> }
            })
            .collect_view()
    };
    let label = move |v: &Value| {
        let locale = i18n::locale();
        let q = questions().into_iter().find(|e| e.name == question.get_untracked());
        q.map(|q| phieu_core::display::answer(&q, v, None, locale).join(", "))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| phieu_core::form::value_text(v))
    };
    let charts = move || {
        let c = counts.get()?;
        let locale = i18n::locale();
        let days: Vec<(String, u64)> =
            c.days.iter().map(|(d, n)| (phieu_core::display::date(d, locale).unwrap_or(d.clone()), *n)).collect();
        let values: Vec<(String, u64)> = c.values.iter().map(|(v, n)| (label(v), *n)).collect();
        let total: u64 = c.days.iter().map(|(_, n)| n).sum();
        let has_question = !question.get().is_empty();
        Some(view! {
            <p class="count">{format!("{total} {}", i18n::pick("phản ánh", "reports"))}</p>
            <h2 id="per-day">{w("Số phản ánh theo ngày", "Reports per day")}</h2>
            {columns(&days)}
            {table(&days, i18n::pick("Ngày", "Day"))}
            {has_question.then(|| view! {
                <h2 id="per-value">{w("Theo câu trả lời", "Per answer")}</h2>
                {bars(&values)}
                {table(&values, i18n::pick("Câu trả lời", "Answer"))}
            })}
        })
    };
    view! {
        <h1>{w("Tổng hợp", "Summary")}</h1>
        <FilterForm/>
        <div class="card">
            <label for="s-question">{w("Đếm theo câu hỏi", "Count by question")}</label>
            <select id="s-question" on:change=move |ev| question.set(event_target_value(&ev)) prop:value=move || question.get()>
                <option value="">{move || if form_id().is_empty() { i18n::pick("(chọn mẫu phiếu ở bộ lọc trước)", "(choose a form in the filter first)") } else { i18n::pick("(không)", "(none)") }}</option>
                {options}
            </select>
        </div>
        {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        {charts}
    }
}

/// Reports per day as columns.
fn columns(days: &[(String, u64)]) -> impl IntoView {
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let (w, h, base) = (640.0, 220.0, 180.0);
    let step = w / days.len().max(1) as f64;
    let label_every = (days.len() / 8).max(1);
    let bar = (step * 0.7).min(48.0);
    let cols = days
        .iter()
        .enumerate()
        .map(|(i, (day, n))| {
            let bh = (*n as f64 / max) * (base - 20.0);
            let x = i as f64 * step;
            let show = i % label_every == 0;
            view! {
                <g>
                    <rect class="bar" x=x + (step - bar) / 2.0 y=base - bh width=bar height=bh><title>{format!("{day}: {n}")}</title></rect>
                    <text x=x + step / 2.0 y=base - bh - 4.0 text-anchor="middle" class="num">{n.to_string()}</text>
                    {show.then(|| view! { <text x=x + step / 2.0 y=base + 18.0 text-anchor="middle" class="axis">{day.clone()}</text> })}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-labelledby="per-day">
            <line x1="0" x2=w y1=base y2=base class="axis-line"/>
            {cols}
        </svg>
    }
}

/// Reports per answer as horizontal bars.
fn bars(values: &[(String, u64)]) -> impl IntoView {
    let max = values.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let (w, row) = (640.0, 30.0);
    let h = row * values.len().max(1) as f64;
    let rows = values
        .iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let y = i as f64 * row;
            let bw = (*n as f64 / max) * (w * 0.5);
            let short: String = if label.chars().count() > 28 { label.chars().take(27).chain(['…']).collect() } else { label.clone() };
            view! {
                <g>
                    <text x="0" y=y + row * 0.65 class="axis">{short}</text>
                    <rect class="bar" x=w * 0.42 y=y + 5.0 width=bw height=row - 10.0><title>{format!("{label}: {n}")}</title></rect>
                    <text x=w * 0.42 + bw + 6.0 y=y + row * 0.65 class="num">{n.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! { <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-labelledby="per-value">{rows}</svg> }
}

/// The numbers behind a chart.
fn table(rows: &[(String, u64)], what: &'static str) -> impl IntoView {
    let body = rows.iter().map(|(k, n)| view! { <tr><td>{k.clone()}</td><td class="n">{n.to_string()}</td></tr> }).collect_view();
    view! {
        <details>
            <summary>{w("Xem dạng bảng", "Show as a table")}</summary>
            <table>
                <thead><tr><th scope="col">{what}</th><th scope="col">{w("Số phản ánh", "Reports")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        </details>
    }
}
