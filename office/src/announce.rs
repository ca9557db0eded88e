//! Announcements and topics to watch, to everyone or to one unit; and the
//! ones already sent, as the feed gives them.

use crate::api::{self, text};
use crate::i18n::{self, w};
use crate::office;
use leptos::prelude::*;
use serde_json::{json, Value};

/// The announcements this account can read, newest first (the feed, every page).
async fn sent() -> Result<Vec<Value>, api::Failure> {
    let mut out = Vec::new();
    let mut since = String::new();
    for _ in 0..20 {
        let page = api::get(&format!("../api/feed?{}", api::query(&[("since", since.clone()), ("limit", "500".into())]))).await?;
        let events = page.get("events").and_then(Value::as_array).cloned().unwrap_or_default();
        out.extend(events.iter().filter(|e| matches!(e.get("kind").and_then(Value::as_str), Some("announcement" | "topic"))).cloned());
        let next = page.get("next").map(|n| n.as_str().map_or_else(|| n.to_string(), str::to_string)).unwrap_or_default();
        if events.is_empty() || page.get("more") == Some(&Value::Bool(false)) || next == since {
            break;
        }
        since = next;
    }
    out.reverse();
    Ok(out)
}

#[component]
pub fn Announce() -> impl IntoView {
    let office = office();
    let kind = RwSignal::new("announcement".to_string());
    let (title, body, unit) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let message = RwSignal::new(None::<(bool, crate::i18n::Note)>);
    let list = RwSignal::new(Vec::<Value>::new());
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(l) = sent().await {
                list.set(l);
            }
        })
    };
    refresh();
    let own_unit = move || office.me.with(|m| text(m, "unit"));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let u = unit.get_untracked().trim().to_string();
        let payload = json!({
            "kind": kind.get_untracked(),
            "title": title.get_untracked(),
            "body": body.get_untracked(),
            "unit": if u.is_empty() { Value::Null } else { json!(u) },
        });
        leptos::task::spawn_local(async move {
            match api::post("../api/announcements", &payload).await {
                Ok(_) => {
                    title.set(String::new());
                    body.set(String::new());
                    message.set(Some((true, Ok(("Đã gửi. Điện thoại sẽ nhận khi có mạng.", "Sent. Phones get it when they are online.")))));
                    refresh();
                }
                Err(f) => message.set(Some((false, Err(f.message)))),
            }
        });
    };
    let kinds = move || {
        [("announcement", "Thông báo", "Announcement"), ("topic", "Chủ đề cần theo dõi", "Topic to watch")]
            .into_iter()
            .map(|(value, vi, en)| {
                let id = format!("kind-{value}");
                let for_id = id.clone();
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" name="kind" id=id value=value prop:checked=move || kind.get() == value on:change=move |_| kind.set(value.into())/>
                        {w(vi, en)}
                    </label>
                }
            })
            .collect_view()
    };
    let items = move || {
        list.get()
            .into_iter()
            .map(|a| {
                let kind = if text(&a, "kind") == "topic" {
                    i18n::pick("Chủ đề", "Topic")
                } else {
                    i18n::pick("Thông báo", "Announcement")
                };
                let to =
                    a.get("unit").and_then(Value::as_str).map_or_else(|| i18n::pick("mọi người", "everyone").to_string(), str::to_string);
                view! {
                    <li class="card">
                        <p class="meta">{kind} " · " {i18n::time(&text(&a, "at"))} " · " {i18n::pick("gửi", "to")} " " {to}</p>
                        <h3>{text(&a, "title")}</h3>
                        <p class="body">{text(&a, "body")}</p>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h1>{w("Thông báo và chủ đề", "Announcements and topics")}</h1>
        <form class="card" on:submit=send>
            <fieldset>
                <legend>{w("Loại", "Kind")}</legend>
                {kinds}
            </fieldset>
            <label for="a-title">{w("Tiêu đề", "Title")}</label>
            <input id="a-title" type="text" required maxlength="500" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="a-body">{w("Nội dung", "Text")}</label>
            <textarea id="a-body" rows="5" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <label for="a-unit">{w("Gửi đơn vị (mã; để trống là gửi mọi người)", "To unit (code; empty sends to everyone)")}</label>
            <input id="a-unit" type="text" prop:value=move || { let o = own_unit(); if o.is_empty() { unit.get() } else { o } }
                readonly=move || !own_unit().is_empty() on:input=move |ev| unit.set(event_target_value(&ev))/>
            <button type="submit" class="primary">{w("Gửi", "Send")}</button>
            <p role="status" class=move || match message.get() { Some((false, _)) => "error", _ => "ok" }>
                {move || message.get().map(|(_, m)| crate::i18n::note(&m))}
            </p>
        </form>
        <h2>{w("Đã gửi", "Sent")}</h2>
        <ul class="announcements">{items}</ul>
    }
}
