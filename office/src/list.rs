//! The reports that came in, newest first, a page at a time from the server,
//! filtered; and the export of what the filter shows.

use crate::api::{self, text};
use crate::filter::FilterForm;
use crate::i18n::{self, w};
use crate::{forms, office, Screen};
use leptos::prelude::*;
use serde_json::Value;

const PAGE: &str = "50";

/// The first long text answered (what people said, usually), cut short: the
/// gist of a report without opening it.
fn preview(form: &str, submission: &Value) -> Option<String> {
    let def = forms::get(form)?;
    let answers = submission.get("answers")?.as_object()?;
    let said = def.elements().into_iter().filter(|e| matches!(e.kind, phieu_core::Kind::Comment { .. })).find_map(|e| {
        let key = phieu_core::answers::name_key(&e.name);
        answers
            .iter()
            .find(|(k, _)| phieu_core::answers::name_key(k) == key)
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|t| !t.is_empty())
    })?;
    Some(if said.chars().count() > 140 { said.chars().take(139).chain(['…']).collect() } else { said.to_string() })
}

#[component]
pub fn Reports() -> impl IntoView {
    let office = office();
    let rows = RwSignal::new(Vec::<Value>::new());
    let next = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    // Only the answer to the latest request counts: an earlier filter's may arrive after it.
    let latest = StoredValue::new(0u32);
    let load = move |cursor: Option<String>| {
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        loading.set(true);
        let mut pairs = office.filter.get_untracked().pairs();
        pairs.push(("limit", PAGE.into()));
        pairs.push(("cursor", cursor.clone().unwrap_or_default()));
        leptos::task::spawn_local(async move {
            let answer = api::get(&format!("../api/submissions?{}", api::query(&pairs))).await;
            if latest.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(page) => {
                    let more = page.get("submissions").and_then(Value::as_array).cloned().unwrap_or_default();
                    rows.update(|r| {
                        if cursor.is_none() {
                            r.clear();
                        }
                        r.extend(more);
                    });
                    next.set(page.get("next").and_then(|n| n.as_str().map(str::to_string).or_else(|| n.as_u64().map(|n| n.to_string()))));
                    problem.set(None);
                }
                Err(f) => problem.set(Some(f.message)),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        office.filter.track();
        load(None);
    });
    let export = move |ext: &'static str| {
        let pairs = office.filter.get().pairs();
        format!("../api/submissions.{ext}?{}", api::query(&pairs))
    };
    let no_form = move || office.filter.with(|f| f.form.is_empty());
    let list = move || {
        forms::loaded().track();
        let locale = i18n::locale();
        rows.get()
            .into_iter()
            .map(|r| {
                let sub = r.get("submission").cloned().unwrap_or(Value::Null);
                let id = text(&sub, "id");
                let form = sub.get("form").map(|f| text(f, "id")).unwrap_or_default();
                let who = crate::api::sender(&r);
                let said = preview(&form, &sub);
                let status = text(&r, "status");
                let class = format!("badge s-{status}");
                let open = id.clone();
                view! {
                    <li>
                        <button type="button" class="row" on:click=move |_| office.go(Screen::Report(open.clone()))>
                            <span class="title">{forms::title(&form, locale)}</span>
                            <span class="meta">
                                <span class="by">{who}</span>
                                " · "
                                <span>{i18n::time(&text(&r, "receivedAt"))}</span>
                            </span>
                            <span class=class>{i18n::status(&status)}</span>
                            {said.map(|t| view! { <span class="preview">{t}</span> })}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h1>{w("Phản ánh đã nhận", "Reports received")}</h1>
        <FilterForm/>
        <p class="exports">
            <span>{w("Tải về những gì đang lọc:", "Download what the filter shows:")}</span>
            " "
            {move || (!no_form()).then(|| view! {
                <a class="button small" href=move || export("csv") download="">{w("Bảng tính (CSV)", "Spreadsheet (CSV)")}</a>
            })}
            " "
            <a class="button small" href=move || export("json") download="">"JSON"</a>
        </p>
        {move || no_form().then(|| view! {
            <p class="hint">{w("Muốn tải bảng tính (CSV), hãy chọn một mẫu phiếu: mỗi mẫu có các cột riêng.", "For a spreadsheet (CSV), choose a form: each form has its own columns.")}</p>
        })}
        {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        <p role="status" class="count">
            {move || {
                let n = rows.with(Vec::len);
                match (loading.get(), n) {
                    (true, _) => i18n::pick("Đang tải…", "Loading…").to_string(),
                    (false, 0) => i18n::pick("Không có phản ánh nào.", "No reports.").to_string(),
                    (false, n) => format!("{n} {}", i18n::pick("phản ánh", "reports")),
                }
            }}
        </p>
        <ul class="reports">{list}</ul>
        {move || next.get().map(|c| view! {
            <button type="button" on:click=move |_| load(Some(c.clone()))>{w("Xem thêm", "Show more")}</button>
        })}
    }
}
