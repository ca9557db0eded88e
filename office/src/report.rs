//! One report as the phone's review shows it (labels, not codes, through
//! `phieu_core::display`), its history, and the office's status and reply.

use crate::api::{self, text};
use crate::filter::STATUSES;
use crate::i18n::{self, w};
use crate::{forms, office, Screen};
use leptos::html;
use leptos::prelude::*;
use phieu_core::answers::{comment_key, name_key};
use phieu_core::form::value_text;
use phieu_core::{Element, Form, Kind};
use serde_json::{json, Map, Value};

/// One line of the report: a question and its answer, or a repeat of a
/// paneldynamic with lines of its own.
struct Line {
    title: String,
    answer: Vec<String>,
    nested: Vec<(String, Vec<Line>)>,
    /// Files and places in the answer, shown beside its words.
    media: Vec<Media>,
}

/// What an answer holds besides words: a file sent with the report (by its
/// content hash, fetched from `/api/files/` with the office's session), or a
/// place (`{"latitude", "longitude", "accuracy"}`).
enum Media {
    Image { href: String, name: String },
    File { href: String, name: String },
    Place { href: String },
}

/// Every file item and place in `v`, at any depth of lists.
fn media(v: &Value) -> Vec<Media> {
    match v {
        Value::Array(items) => items.iter().flat_map(media).collect(),
        Value::Object(_) => {
            let sha = v.get("sha256").and_then(Value::as_str).filter(|s| phieu_core::form::is_sha256(s));
            if let Some(sha) = sha {
                let name = v.get("name").and_then(Value::as_str).unwrap_or(sha).to_string();
                let href = format!("../api/files/{sha}");
                let image = v
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"].contains(&t));
                return vec![if image { Media::Image { href, name } } else { Media::File { href, name } }];
            }
            match phieu_core::form::Place::of(v) {
                Some(p) => {
                    let (lat, lon) = (phieu_core::num::to_fixed(p.latitude, 6), phieu_core::num::to_fixed(p.longitude, 6));
                    vec![Media::Place { href: format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}") }]
                }
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn lines(es: &[Element], answers: &Map<String, Value>, locale: &str, out: &mut Vec<Line>) {
    let get = |name: &str| answers.iter().find(|(k, _)| name_key(k) == name_key(name)).map(|(_, v)| v);
    for e in es {
        match &e.kind {
            Kind::Html { .. } => {}
            Kind::Panel { elements } => lines(elements, answers, locale, out),
            Kind::PanelDynamic { template, template_title, .. } => {
                let items = get(&e.name).and_then(Value::as_array).cloned().unwrap_or_default();
                if items.is_empty() {
                    continue;
                }
                let nested = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let title = template_title.as_ref().map_or_else(
                            || format!("#{}", i + 1),
                            |t| {
                                phieu_core::piping::pipe(t.get(locale), &|n| {
                                    n.eq_ignore_ascii_case("panelIndex").then(|| (i + 1).to_string())
                                })
                            },
                        );
                        let mut inner = Vec::new();
                        if let Some(o) = item.as_object() {
                            lines(template, o, locale, &mut inner);
                        }
                        (title, inner)
                    })
                    .collect();
                out.push(Line { title: e.title.get(locale).to_string(), answer: Vec::new(), nested, media: Vec::new() });
            }
            _ => {
                let Some(v) = get(&e.name) else { continue };
                let comment = get(&comment_key(&e.name)).and_then(Value::as_str);
                let answer = phieu_core::display::answer(e, v, comment, locale);
                if !answer.is_empty() {
                    out.push(Line { title: e.title.get(locale).to_string(), answer, nested: Vec::new(), media: media(v) });
                }
            }
        }
    }
}

/// Answers the form does not name (another version of it, or no definition
/// here), as they came: nothing answered is hidden.
fn unnamed(form: Option<&Form>, answers: &Map<String, Value>, out: &mut Vec<Line>) {
    let known: Vec<String> = form.map_or_else(Vec::new, |f| {
        f.elements().iter().flat_map(|e| [name_key(&e.name).into_owned(), name_key(&comment_key(&e.name)).into_owned()]).collect()
    });
    for (k, v) in answers {
        if !known.contains(&name_key(k).into_owned()) && !phieu_core::answers::is_empty(Some(v)) {
            out.push(Line { title: k.clone(), answer: vec![value_text(v)], nested: Vec::new(), media: media(v) });
        }
    }
}

fn render(lines: Vec<Line>) -> impl IntoView {
    lines
        .into_iter()
        .map(|l| {
            let nested = l
                .nested
                .into_iter()
                .map(|(title, inner)| view! { <div class="repeat"><h3>{title}</h3><dl>{render(inner).into_any()}</dl></div> })
                .collect_view();
            let answer = l.answer.into_iter().map(|a| view! { <span class="line">{a}</span> }).collect_view();
            let media = l
                .media
                .into_iter()
                .map(|m| match m {
                    Media::Image { href, name } => {
                        let src = href.clone();
                        view! { <a class="thumb" href=href target="_blank" rel="noopener"><img src=src alt=name loading="lazy"/></a> }
                            .into_any()
                    }
                    Media::File { href, name } => view! { <a class="file" href=href download="">{name}</a> }.into_any(),
                    Media::Place { href } => view! {
                        <a class="map" href=href target="_blank" rel="noopener noreferrer">{w("Xem trên bản đồ", "Show on a map")}</a>
                    }
                    .into_any(),
                })
                .collect_view();
            view! { <dt>{l.title}</dt><dd>{answer}{media}{nested}</dd> }
        })
        .collect_view()
}

#[component]
pub fn Report(id: String) -> impl IntoView {
    let office = office();
    let report = RwSignal::new(Value::Null);
    let problem = RwSignal::new(None::<String>);
    let url = format!("../api/submissions/{}", api::segment(&id));
    let fetch_url = url.clone();
    leptos::task::spawn_local(async move {
        match api::get(&fetch_url).await {
            Ok(v) => report.set(v),
            Err(f) => problem.set(Some(f.message)),
        }
    });
    let heading = NodeRef::<html::H1>::new();
    // Keyboard and screen reader users land on the report they opened.
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let back = move |_| office.go(Screen::Reports);
    let title = move || {
        forms::loaded().track();
        report.with(|r| r.pointer("/submission/form/id").and_then(Value::as_str).map(|f| forms::title(f, i18n::locale())))
    };
    let facts = move || {
        report.with(|r| {
            if r.is_null() {
                return None;
            }
            let who = crate::api::sender(r);
            let status = i18n::status(&text(r, "status"));
            let received = i18n::time(&text(r, "receivedAt"));
            let completed = r.pointer("/submission/completedAt").and_then(Value::as_str).map(i18n::time).unwrap_or_default();
            Some(view! {
                <dl class="facts">
                    <dt>{w("Người gửi", "Sent by")}</dt><dd class="sender">{who}</dd>
                    <dt>{w("Điền xong lúc", "Completed")}</dt><dd>{completed}</dd>
                    <dt>{w("Nhận lúc", "Received")}</dt><dd>{received}</dd>
                    <dt>{w("Trạng thái", "Status")}</dt><dd class="status-now">{status}</dd>
                </dl>
            })
        })
    };
    let answers = move || {
        forms::loaded().track();
        let locale = i18n::locale();
        report.with(|r| {
            let sub = r.get("submission")?;
            let answers = sub.get("answers").and_then(Value::as_object).cloned().unwrap_or_default();
            let form = sub.pointer("/form/id").and_then(Value::as_str).and_then(forms::get);
            let mut out = Vec::new();
            let pages = form.as_ref().map(|f| f.pages.clone()).unwrap_or_default();
            let mut sections = Vec::new();
            for (i, p) in pages.iter().enumerate() {
                let mut page_lines = Vec::new();
                lines(&p.elements, &answers, locale, &mut page_lines);
                if page_lines.is_empty() {
                    continue;
                }
                let title = p.title.as_ref().map_or_else(|| format!("{} {}", i18n::pick("Trang", "Page"), i + 1), |t| t.get(locale).to_string());
                sections.push(view! { <section class="page"><h3>{title}</h3><dl>{render(page_lines)}</dl></section> });
            }
            unnamed(form.as_deref(), &answers, &mut out);
            let other = (!out.is_empty()).then(|| {
                view! { <section class="page"><h3>{w("Câu trả lời khác", "Other answers")}</h3><dl>{render(out)}</dl></section> }
            });
            let missing = form.is_none().then(|| {
                view! { <p class="hint">{w("Không tìm thấy mẫu phiếu này trên máy chủ: câu trả lời hiện theo mã.", "This form's definition is not on the server: answers show as codes.")}</p> }
            });
            Some(view! { {missing}{sections}{other} })
        })
    };
    let history = move || {
        report.with(|r| {
            let events = r.get("history").and_then(Value::as_array).cloned().unwrap_or_default();
            if events.is_empty() {
                return view! { <p>{w("Chưa có thay đổi nào.", "No changes yet.")}</p> }.into_any();
            }
            let items = events
                .into_iter()
                .map(|e| {
                    let status = text(&e, "status");
                    let reply = text(&e, "reply");
                    view! {
                        <li>
                            <span class="when">{i18n::time(&text(&e, "at"))}</span>
                            " · " <span class="by">{text(&e, "by")}</span>
                            {(!status.is_empty()).then(|| view! { " · " <strong>{i18n::status(&status)}</strong> })}
                            {(!reply.is_empty()).then(|| view! { <p class="reply">{reply}</p> })}
                        </li>
                    }
                })
                .collect_view();
            view! { <ol class="history">{items}</ol> }.into_any()
        })
    };
    view! {
        <p><button type="button" class="small" on:click=back>{w("← Về danh sách", "← Back to the list")}</button></p>
        <h1 node_ref=heading tabindex="-1">{move || title().unwrap_or_else(|| i18n::pick("Phản ánh", "Report").to_string())}</h1>
        {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        {facts}
        <h2>{w("Câu trả lời", "Answers")}</h2>
        <div class="answers">{answers}</div>
        <h2>{w("Trạng thái và trả lời", "Status and reply")}</h2>
        <StatusForm url=url report=report/>
        <h2>{w("Lịch sử", "History")}</h2>
        {history}
    }
}

/// The status, and a reply the collaborator reads on the phone.
#[component]
fn StatusForm(url: String, report: RwSignal<Value>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| chosen.set(report.with(|r| text(r, "status"))));
    let reply = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, crate::i18n::Note)>);
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = format!("{url}/status");
        let (status, text) = (chosen.get_untracked(), reply.get_untracked());
        let mut body = json!({});
        if !status.is_empty() && report.with_untracked(|r| api::text(r, "status")) != status {
            body["status"] = json!(status);
        }
        if !text.trim().is_empty() {
            body["reply"] = json!(text);
        }
        if body.as_object().is_some_and(Map::is_empty) {
            message.set(Some((false, Ok(("Hãy chọn trạng thái khác hoặc viết câu trả lời.", "Choose another status or write a reply.")))));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::post(&url, &body).await {
                Ok(v) => {
                    if v.is_object() {
                        report.set(v);
                    }
                    reply.set(String::new());
                    message.set(Some((
                        true,
                        Ok(("Đã lưu. Người gửi sẽ thấy trên điện thoại.", "Saved. The sender will see it on the phone.")),
                    )));
                }
                Err(f) => message.set(Some((false, Err(f.message)))),
            }
            busy.set(false);
        });
    };
    let radios = move || {
        STATUSES
            .iter()
            .map(|s| {
                let id = format!("st-{s}");
                let for_id = id.clone();
                let value = *s;
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" name="status" id=id value=value prop:checked=move || chosen.get() == value
                            on:change=move |_| chosen.set(value.to_string())/>
                        {i18n::status(value)}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <form class="card status-form" on:submit=save>
            <fieldset>
                <legend>{w("Trạng thái", "Status")}</legend>
                {radios}
            </fieldset>
            <label for="reply">{w("Trả lời người gửi (không bắt buộc)", "Reply to the sender (optional)")}</label>
            <textarea id="reply" rows="4" prop:value=move || reply.get() on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
            <button type="submit" class="primary" disabled=move || busy.get()>{w("Lưu", "Save")}</button>
            <p role="status" class=move || match message.get() { Some((false, _)) => "error", _ => "ok" }>
                {move || message.get().map(|(_, m)| crate::i18n::note(&m))}
            </p>
        </form>
    }
}
