//! Vietnamese first, English alongside. Every word the screen shows is a
//! pair written where it is used; form text comes from the form, statuses
//! from `phieu_core::feed::status_label`.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

thread_local! {
    /// The language of the screen: one for the page, readable from tasks too
    /// (a spawned task has no component context).
    static LANG: RwSignal<Lang> = RwSignal::new(Lang::Vi);
}

/// The language of the screen, shared by every component.
pub fn lang() -> RwSignal<Lang> {
    LANG.with(|l| *l)
}

/// The locale now, for `phieu_core::display`.
pub fn locale() -> &'static str {
    lang().get().code()
}

/// One of the two texts, by the language now.
pub fn pick(vi: &'static str, en: &'static str) -> &'static str {
    match lang().get() {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// A text that follows the language switch, for a view.
pub fn w(vi: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let l = lang();
    move || match l.get() {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// A report's status as office staff read it.
pub fn status(s: &str) -> String {
    phieu_core::feed::status_label(s, locale()).to_string()
}

/// A time the server wrote (RFC 3339, UTC) in this computer's time zone: "30/11/2026 15:04".
pub fn time(iso: &str) -> String {
    let ms = js_sys::Date::parse(iso);
    if ms.is_nan() {
        return iso.to_string();
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let local =
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes());
    phieu_core::display::date(&local, locale()).unwrap_or(local)
}

/// A message to show: words of the screen in both languages, or the server's own.
pub type Note = Result<(&'static str, &'static str), String>;

pub fn note(n: &Note) -> String {
    match n {
        Ok((vi, en)) => pick(vi, en).to_string(),
        Err(e) => e.clone(),
    }
}
