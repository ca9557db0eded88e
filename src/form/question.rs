//! The frame every question shares (title, description, error, visibility),
//! and where its answer lives. Widgets know question *types*, never a
//! particular form.

use super::responses::Responses;
use super::widgets;
use crate::app::use_state;
use leptos::prelude::*;
use phieu_core::answers::put;
use phieu_core::expr::{is_true, Val};
use phieu_core::sort::HashMap;
use phieu_core::{Element, Kind, Localized, Target};
use serde_json::{Map, Value};

/// One repeat of a paneldynamic (or row of a matrix), and the outcome of its template's rules.
#[derive(Clone)]
pub struct Repeat {
    pub dynamic: String,
    pub index: usize,
    pub rules: Memo<HashMap<Target, Val>>,
    /// A matrixdropdown's row: its value, which keys its cells in the answer.
    pub row: Option<String>,
    /// In a repeat inside a repeat, the enclosing one (`{parentPanel.x}`); for a matrix row, the repeat around the matrix.
    pub parent: Option<Box<Repeat>>,
    /// A matrix row: a column's title is the same in every row, as survey-core fills it in.
    pub grid: bool,
}

impl Repeat {
    /// The answer at the top of the form this repeat is part of.
    pub fn top(&self) -> &str {
        self.dynamic.split('[').next().unwrap_or(&self.dynamic)
    }

    /// The repeat (or row) in the whole answer.
    fn of<'v>(&self, all: &'v Value) -> Option<&'v Value> {
        match &self.row {
            Some(key) => all.get(key),
            None => all.get(self.index),
        }
    }
}

/// Where a question's answer lives: at the top of the answers, or inside
/// one repeat of a paneldynamic.
#[derive(Clone)]
pub struct Slot {
    pub name: String,
    pub repeat: Option<Repeat>,
}

impl Slot {
    /// How validation names this answer.
    pub fn key(&self) -> String {
        match &self.repeat {
            None => self.name.clone(),
            Some(p) => format!("{}[{}].{}", p.dynamic, p.index, self.name),
        }
    }

    pub fn dom_id(&self) -> String {
        control_id(&self.key())
    }

    /// The answer, subscribed (to the whole answer at the top, which a repeat is part of).
    pub fn value(&self, r: Responses) -> Option<Value> {
        let Some(p) = &self.repeat else { return r.get(&self.name) };
        r.with(p.top(), |_| ());
        r.session(|s| match &p.row {
            // A matrixdropdown's row: its cells are keyed by the row's value.
            Some(_) => phieu_core::answers::find(&s.answers, &p.dynamic).and_then(|v| p.of(v)?.get(&self.name)).cloned(),
            None => phieu_core::answers::find(&s.answers, &self.key()).cloned(),
        })
    }

    pub fn set(&self, r: Responses, value: Option<Value>) {
        let Some(p) = &self.repeat else {
            return r.set(&self.name, value);
        };
        let (at, value) = match &p.row {
            Some(row) => {
                // A matrixdropdown: a row without answers, and a matrix without rows, are left out.
                let mut all = match r.session(|s| phieu_core::answers::find(&s.answers, &p.dynamic).cloned()) {
                    Some(Value::Object(o)) => o,
                    _ => Map::new(),
                };
                let mut cells = all.get(row).and_then(Value::as_object).cloned().unwrap_or_default();
                put(&mut cells, &self.name, value);
                put(&mut all, row, Some(Value::Object(cells)));
                (p.dynamic.clone(), Some(Value::Object(all)))
            }
            None => (self.key(), value),
        };
        // The answer at the top is stored whole, with the repeat (inside repeats) or matrix changed.
        let top = p.top();
        let mut one = Map::new();
        if let Some(v) = r.session(|s| s.answers.get(top).cloned()) {
            one.insert(top.to_string(), v);
        }
        phieu_core::answers::put_at(&mut one, &at, value);
        r.set(top, one.remove(top));
        r.clear_error(&self.key());
    }

    /// Whether a rule about this question holds, at the top or in its repeat.
    pub fn holds(&self, r: Responses, target: Target, default: bool) -> bool {
        match &self.repeat {
            None => r.holds(target, default),
            Some(p) => p.rules.with(|m| m.get(&target).map_or(default, is_true)),
        }
    }

    /// A list answer's items (a paneldynamic's repeats, a matrixdynamic's rows), subscribed.
    pub fn list(&self, r: Responses) -> Vec<Value> {
        self.value(r).and_then(|v| v.as_array().cloned()).unwrap_or_default()
    }

    /// Whether the element is hidden now (`visibleIf`): one closure type for every element's frame.
    pub fn hidden(&self, r: Responses) -> impl Fn() -> bool + Clone + Send + Sync + 'static {
        let slot = self.clone();
        move || !slot.holds(r, Target::Visible(slot.name.clone()), true)
    }

    pub fn comment(&self) -> Slot {
        Slot { name: phieu_core::answers::comment_key(&self.name), repeat: self.repeat.clone() }
    }
}

/// `id` attribute for a question's control; names may hold spaces and brackets.
/// Characters beyond ASCII stay as they are (an id may hold anything but ASCII
/// spaces), which keeps the standard library's Unicode letter tables out of the wasm.
pub fn control_id(key: &str) -> String {
    let mut id = String::from("q-");
    id.extend(key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() { c } else { '_' }));
    id
}

/// What every widget needs to know about its question.
#[derive(Clone)]
pub struct Control {
    pub slot: Slot,
    pub id: String,
    pub described_by: String,
    pub required: bool,
    pub read_only: bool,
    pub r: Responses,
}

impl Control {
    pub fn value(&self) -> Option<Value> {
        self.slot.value(self.r)
    }
    pub fn set(&self, value: Option<Value>) {
        self.slot.set(self.r, value)
    }
    /// Read-only, or disabled by `enableIf` now.
    pub fn disabled(&self) -> impl Fn() -> bool + Clone + 'static {
        let c = self.clone();
        move || c.read_only || !c.slot.holds(c.r, Target::Enabled(c.slot.name.clone()), true)
    }
    /// Whether item `i` of `n` of a list is shown now: an option
    /// (`Target::ChoiceVisible`: its own `visibleIf` and `choicesVisibleIf`),
    /// a matrix row or column.
    pub fn shown(&self, make: fn(String, usize) -> Target, i: usize, n: usize) -> Signal<bool> {
        self.shown_with_room(make, i, n, None)
    }
    /// The same, and with `room` (`maxSelectedChoices` and the option's
    /// value) only while fewer are chosen or this one is: one closure type for both.
    pub fn shown_with_room(&self, make: fn(String, usize) -> Target, i: usize, n: usize, room: Option<(u32, Value)>) -> Signal<bool> {
        let c = self.clone();
        Signal::derive(move || {
            phieu_core::logic::item_shown(|t| c.slot.holds(c.r, t, true), make, &c.slot.name, n, i)
                && room.as_ref().is_none_or(|(m, v)| {
                    let chosen = super::widgets::picked(c.value());
                    chosen.len() < *m as usize || chosen.contains(v)
                })
        })
    }
    pub fn invalid(&self) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
        on_error(self.r, self.slot.key(), false, ["true", "false"])
    }
}

/// `yes` while the answer `key` has an error (only "Other" not described, with
/// `other`), else `no`: one closure type for the frame's class and every aria-invalid.
pub fn on_error(
    r: Responses,
    key: String,
    other: bool,
    [yes, no]: [&'static str; 2],
) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    move || if r.has_error(&key, other) { yes } else { no }
}

/// A form text in the chosen language, with `{name}` replaced by answers
/// (and `{panel.x}`, `{panelIndex}` inside a repeat).
pub fn piped(r: Responses, text: Localized, repeat: Option<Repeat>) -> impl Fn() -> String + Clone + 'static {
    let lang = use_state().lang;
    move || {
        let locale = lang.get().code();
        let raw = text.get(locale);
        if !raw.contains('{') {
            return raw.to_string();
        }
        phieu_core::piping::pipe(raw, &|name| show(r, name, repeat.as_ref(), locale))
    }
}

fn show(r: Responses, name: &str, repeat: Option<&Repeat>, locale: &str) -> Option<String> {
    // survey-core fills in no `{rowIndex}` or `{row.x}` in a column's title: a
    // matrix row's texts see the repeat around the matrix, or the form's top.
    let repeat = match repeat {
        Some(p) if p.grid => p.parent.as_deref(),
        p => p,
    };
    if let Some(p) = repeat {
        if name.eq_ignore_ascii_case("panelindex") {
            return Some((p.index + 1).to_string());
        }
        let (inner, p) = match (name.strip_prefix("panel."), name.strip_prefix("parentPanel.")) {
            (Some(inner), _) => (Some(inner), Some(p)),
            (_, Some(inner)) => (Some(inner), p.parent.as_deref()),
            _ => (None, None),
        };
        if let (Some(inner), Some(p)) = (inner, p) {
            let v = Slot { name: inner.to_string(), repeat: Some(p.clone()) }.value(r)?;
            return Some(r.with_form(|f| display(f.question(inner), &v, locale)));
        }
    }
    // `{đơn_vị}` shows the answer of `Đơn_vị`, as in SurveyJS.
    let name = r.session(|s| s.canonical(name).to_string());
    let v = r.get(&name).or_else(|| r.computed(&name).filter(|v| !v.is_empty()).map(|v| v.to_json()))?;
    Some(r.with_form(|f| display(f.question(&name), &v, locale)))
}

/// An answer or computed value as a person reads it, in one line.
pub fn display(q: Option<&Element>, v: &Value, locale: &str) -> String {
    match q {
        Some(q) => phieu_core::display::answer(q, v, None, locale).join(", "),
        None => match v {
            Value::Number(n) => phieu_core::display::number(n.as_f64().unwrap_or(0.0), locale),
            v => phieu_core::form::value_text(v),
        },
    }
}

/// Whether a type's controls form a group (fieldset and legend) rather than
/// one labelled control.
fn is_group(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::RadioGroup(_)
            | Kind::Checkbox(_)
            | Kind::Ranking { .. }
            | Kind::RangeSlider { .. }
            | Kind::Boolean { .. }
            | Kind::Rating { .. }
            | Kind::Matrix { .. }
            | Kind::MultipleText { .. }
            | Kind::Grid(_)
            | Kind::File(_)
            | Kind::Signature { .. }
    )
}

/// Any element of a page, panel or repeat.
pub fn element(q: Element, r: Responses, repeat: Option<Repeat>) -> AnyView {
    match q.kind {
        Kind::Panel { .. } => super::panels::panel(q, r, repeat),
        Kind::PanelDynamic { .. } => super::panels::dynamic(q, r, repeat),
        Kind::Html { html } => {
            let hidden = Slot { name: q.name.clone(), repeat: repeat.clone() }.hidden(r);
            view! { <div class="html" prop:hidden=hidden>{super::rich::markdown(piped(r, html, repeat))}</div> }.into_any()
        }
        Kind::Image { link, alt, width, height } => {
            let hidden = Slot { name: q.name.clone(), repeat }.hidden(r);
            let (src, form) = (crate::i18n::text(link), use_context::<super::FormAddress>());
            let alt = crate::i18n::text(alt.unwrap_or_default());
            view! { <img class="image" src=move || super::picture(form.as_ref(), &src()) alt=alt width=width height=height prop:hidden=hidden/> }
                .into_any()
        }
        _ => question(q, r, repeat),
    }
}

fn question(q: Element, r: Responses, repeat: Option<Repeat>) -> AnyView {
    let slot = Slot { name: q.name.clone(), repeat: repeat.clone() };
    let id = slot.dom_id();
    let error_id = format!("{id}-error");
    let desc_id = format!("{id}-desc");
    let key = slot.key();
    let lang = use_state().lang;
    let error_text = {
        let key = key.clone();
        move || r.error(&key, lang)
    };
    let described_by = if q.description.is_some() { format!("{desc_id} {error_id}") } else { error_id.clone() };
    let required_now = {
        let (slot, always) = (slot.clone(), q.is_required);
        move || always || slot.holds(r, Target::Required(slot.name.clone()), false)
    };
    // Always there, empty when not required: a fixed node, not a view swapped in
    // (empty rather than hidden, so that the label's text is the title alone).
    let required = view! { <span class="req" aria-hidden="true">{move || if required_now() { " *" } else { "" }}</span> };
    let hidden = slot.hidden(r);
    let description = q.description.clone().map(|d| view! { <p class="desc" id=desc_id>{piped(r, d, repeat.clone())}</p> });
    let heading = piped(r, q.title.clone(), repeat.clone());
    let c = Control { slot, id: id.clone(), described_by, required: q.is_required, read_only: q.read_only, r };
    let disabled = c.disabled();
    let group = is_group(&q.kind);
    // An imagepicker: its options as pictures, their texts read out, shown only with showLabel.
    let look = match &q.kind {
        Kind::RadioGroup(l) | Kind::Checkbox(l) => l.pictures.map(|labels| if labels { "pictures" } else { "pictures quiet" }),
        _ => None,
    };
    let widget = widgets::widget(c, q.kind);
    let class = on_error(r, key.clone(), false, ["question invalid", "question"]);
    let error = view! { <p class="error" id=error_id>{error_text}</p> };
    if group {
        view! {
            <fieldset class=class data-question=key data-look=look prop:hidden=hidden prop:disabled=disabled>
                <legend class="q-title">{heading}{required}</legend>
                {description}
                {widget}
                {error}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class=class data-question=key prop:hidden=hidden>
                <label class="q-title" for=id>{heading}{required}</label>
                {description}
                {widget}
                {error}
            </div>
        }
        .into_any()
    }
}
