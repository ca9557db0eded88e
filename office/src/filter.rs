//! Which reports: by form, status, unit, days received and free text. The
//! server filters (`q` ignoring case and Vietnamese diacritics, as the
//! phone's search does); the same filter drives the list, the summary and
//! the export links.

use crate::i18n::{self, w};
use crate::{forms, office};
use leptos::prelude::*;

pub const STATUSES: [&str; 5] = ["new", "received", "in_progress", "answered", "closed"];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub form: String,
    pub status: String,
    pub unit: String,
    /// Days as a date input gives them (yyyy-mm-dd), in this computer's time zone; both included.
    pub from: String,
    pub to: String,
    pub q: String,
}

impl Filter {
    /// The query parameters of the API (docs/office.md); days become instants.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("form", self.form.clone()),
            ("status", self.status.clone()),
            ("unit", self.unit.clone()),
            ("since", day_start(&self.from, 0)),
            ("until", day_start(&self.to, 1)),
            ("q", self.q.clone()),
        ]
    }
}

/// The start of a local day (plus `later` days) as RFC 3339 UTC, or "".
fn day_start(day: &str, later: i32) -> String {
    let parts: Vec<i32> = day.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else { return String::new() };
    let date = js_sys::Date::new_with_year_month_day(y as u32, m - 1, d + later);
    if date.get_time().is_nan() {
        return String::new();
    }
    String::from(date.to_iso_string())
}

/// The filter's fields; "Lọc" applies them.
#[component]
pub fn FilterForm() -> impl IntoView {
    let office = office();
    let draft = RwSignal::new(office.filter.get_untracked());
    let field = move |get: fn(&Filter) -> String, set: fn(&mut Filter, String)| {
        (move || draft.with(get), move |ev: leptos::ev::Event| draft.update(|f| set(f, event_target_value(&ev))))
    };
    let (form, set_form) = field(|f| f.form.clone(), |f, v| f.form = v);
    let (status, set_status) = field(|f| f.status.clone(), |f, v| f.status = v);
    let (unit, set_unit) = field(|f| f.unit.clone(), |f, v| f.unit = v);
    let (from, set_from) = field(|f| f.from.clone(), |f, v| f.from = v);
    let (to, set_to) = field(|f| f.to.clone(), |f, v| f.to = v);
    let (q, set_q) = field(|f| f.q.clone(), |f, v| f.q = v);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        office.filter.set(draft.get_untracked());
    };
    let clear = move |_| {
        draft.set(Filter::default());
        office.filter.set(Filter::default());
    };
    let own_unit = move || office.me.with(|m| crate::api::text(m, "unit"));
    let form_options = move || {
        forms::loaded().track();
        let chosen = draft.with(|f| f.form.clone());
        forms::list(i18n::locale())
            .into_iter()
            .map(|(id, title)| {
                let selected = id == chosen;
                view! { <option value=id selected=selected>{title}</option> }
            })
            .collect_view()
    };
    let status_options = move || {
        let chosen = draft.with(|f| f.status.clone());
        STATUSES
            .iter()
            .map(|s| {
                let selected = *s == chosen;
                view! { <option value=*s selected=selected>{i18n::status(s)}</option> }
            })
            .collect_view()
    };
    view! {
        <form class="card filter" role="search" aria-label=w("Lọc phản ánh", "Filter reports") on:submit=apply>
            <div class="fields">
                <div>
                    <label for="f-q">{w("Tìm (không cần dấu)", "Search (accents optional)")}</label>
                    <input id="f-q" type="search" prop:value=q on:input=set_q/>
                </div>
                <div>
                    <label for="f-form">{w("Mẫu phiếu", "Form")}</label>
                    <select id="f-form" on:change=set_form prop:value=form>
                        <option value="">{w("Tất cả", "All")}</option>
                        {form_options}
                    </select>
                </div>
                <div>
                    <label for="f-status">{w("Trạng thái", "Status")}</label>
                    <select id="f-status" on:change=set_status prop:value=status>
                        <option value="">{w("Tất cả", "All")}</option>
                        {status_options}
                    </select>
                </div>
                <div>
                    <label for="f-unit">{w("Đơn vị (mã, ví dụ ha-dong)", "Unit (code, e.g. ha-dong)")}</label>
                    <input id="f-unit" type="text" prop:value=move || { let u = unit(); if u.is_empty() { own_unit() } else { u } } on:input=set_unit
                        readonly=move || !own_unit().is_empty()/>
                </div>
                <div>
                    <label for="f-from">{w("Từ ngày", "From")}</label>
                    <input id="f-from" type="date" prop:value=from on:input=set_from/>
                </div>
                <div>
                    <label for="f-to">{w("Đến ngày", "To")}</label>
                    <input id="f-to" type="date" prop:value=to on:input=set_to/>
                </div>
            </div>
            <div class="actions">
                <button type="submit" class="primary">{w("Lọc", "Filter")}</button>
                <button type="button" on:click=clear>{w("Bỏ lọc", "Clear")}</button>
            </div>
        </form>
    }
}
