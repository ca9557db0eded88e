//! A widget for every question type. Each one reads and writes its answer
//! through [`Control`], so the same widget works at the top of a form and
//! inside a paneldynamic repeat.

use super::question::Control;
use crate::app::use_state;
use crate::i18n::{t, tr, Msg};
use leptos::prelude::*;
use phieu_core::form::{value_text, ChoicesOrder, InputType, NONE_VALUE, OTHER_VALUE};
use phieu_core::mask::{Edit, Mask};
use phieu_core::{Choice, Choices, Kind, Localized, Target};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Lists with more options than this get a search box.
const SEARCH_FROM: usize = 10;

pub fn widget(c: Control, kind: Kind) -> AnyView {
    match kind {
        Kind::Text { input_type, placeholder, max_length, min, max, step, mask } => {
            text_input(c, input_type, placeholder, max_length, [min, max], step, mask).into_any()
        }
        Kind::Comment { placeholder, max_length } => comment_input(c, placeholder, max_length).into_any(),
        Kind::RadioGroup(list) if list.buttons => {
            let entries = entries(&c, &list);
            rating(c, entries, None, None).into_any()
        }
        Kind::RadioGroup(list) => choice_group(c, list, false).into_any(),
        Kind::Checkbox(list) => choice_group(c, list, true).into_any(),
        Kind::Ranking { list, select, max, .. } => super::ranking::ranking(c, list, select, max).into_any(),
        Kind::RangeSlider { min, max, step, shortest, longest } => range_slider(c, [min, max, step], [shortest, longest]).into_any(),
        Kind::Dropdown(list) if list.items.len() <= SEARCH_FROM => select(c, list).into_any(),
        Kind::Dropdown(list) => picker(c, list, false).into_any(),
        Kind::Tagbox(list) => picker(c, list, true).into_any(),
        Kind::Boolean { label_true, label_false, value_true, value_false } => {
            boolean_input(c, [(value_true, label_true), (value_false, label_false)]).into_any()
        }
        Kind::Rating { scale, min_description, max_description } => {
            let entries = scale.into_iter().map(|ch| fixed(ch.value, localized(ch.text))).collect();
            rating(c, entries, min_description, max_description).into_any()
        }
        Kind::Matrix { rows, columns, .. } => matrix(c, rows, columns).into_any(),
        Kind::MultipleText { items } => multiple_text(c, items).into_any(),
        Kind::Grid(g) => super::grid::grid(c, g).into_any(),
        Kind::Expression { .. } => expression(c).into_any(),
        // Panels and html are elements, not questions; `element` renders them.
        Kind::Geopoint { accuracy } => super::place::geopoint(c, accuracy).into_any(),
        Kind::File(rules) => super::media::file(c, rules).into_any(),
        Kind::Signature { pen_color, width, height } => super::media::signature(c, pen_color, width, height).into_any(),
        Kind::Html { .. } | Kind::Image { .. } | Kind::Panel { .. } | Kind::PanelDynamic { .. } => ().into_any(),
    }
}

fn localized(l: Localized) -> Signal<String> {
    Signal::derive(crate::i18n::text(l))
}

/// No attribute without one: a closure of `Option<String>`, an attribute type the picker has,
/// rather than an `Option<Signal>` of its own.
fn placeholder_of(p: Option<Localized>) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    let lang = use_state().lang;
    move || p.as_ref().map(|l| l.get(lang.get().code()).to_string())
}

/// What was last typed into a field, so that "1." stays "1." while a decimal
/// is being typed, though the answer is already the number 1.
/// A Mutex, not a StoredValue of a type of its own (which costs wasm): only its closures reach it.
#[derive(Clone, Default)]
struct Typed(Arc<std::sync::Mutex<(Option<Value>, String)>>);

impl Typed {
    /// What was typed, if it made the answer `v`.
    fn raw(&self, v: &Option<Value>) -> Option<String> {
        let last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (last.0 == *v).then(|| last.1.clone())
    }

    fn keep(&self, v: Option<Value>, raw: String) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = (v, raw);
    }

    /// The field's text for the answer `v`.
    fn show(&self, v: Option<Value>) -> String {
        self.raw(&v).unwrap_or_else(|| match v {
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) => phieu_core::json::number_text(&n),
            _ => String::new(),
        })
    }

    /// A text field for `c`'s answer: the text to show, and what typing does.
    fn bind(c: &Control, input_type: InputType) -> (impl Fn() -> String + Clone + 'static, impl Fn(web_sys::Event) + Clone + 'static) {
        let (shown, on_input, _) = Typed::bind_masked(c, None, input_type, None, false);
        (shown, on_input)
    }

    /// The same with an input mask: the box shows the answer masked and
    /// every keystroke goes through the mask (`beforeinput`, as survey-core's
    /// `InputElementAdapter`); the answer is what the mask stores. `field`:
    /// a multipletext's box, whose answer is that field of the question's.
    #[allow(clippy::type_complexity)]
    fn bind_masked(
        c: &Control,
        field: Option<String>,
        input_type: InputType,
        mask: Option<Arc<Mask>>,
        placeholder: bool,
    ) -> (impl Fn() -> String + Clone + 'static, impl Fn(web_sys::Event) + Clone + 'static, impl Fn(web_sys::InputEvent) + Clone + 'static)
    {
        let typed = Typed::default();
        let value = {
            let (c, field) = (c.clone(), field.clone());
            move || match &field {
                None => c.value(),
                Some(f) => c.value().and_then(|o| o.get(f).cloned()),
            }
        };
        let set = {
            let (c, field) = (c.clone(), field.clone());
            move |v: Option<Value>| match &field {
                None => c.set(v),
                Some(f) => set_field(&c, f, v),
            }
        };
        let shown = {
            let (mask, value, typed) = (mask.clone(), value.clone(), typed.clone());
            move || match &mask {
                Some(m) => {
                    let v = value();
                    typed.raw(&v).filter(|raw| !raw.is_empty()).unwrap_or_else(|| match v {
                        None if placeholder => String::new(),
                        v => m.shown(v.as_ref()),
                    })
                }
                None => typed.show(value()),
            }
        };
        // The masked text is kept, the answer stored, an incomplete text noted.
        let commit = {
            let (c, mask, set, typed) = (c.clone(), mask.clone(), set.clone(), typed.clone());
            move |text: String| {
                if let Some(m) = &mask {
                    let value = m.stored(&text);
                    let key = c.slot.key();
                    c.r.set_incomplete(&field.as_ref().map_or(key.clone(), |f| format!("{key}.{f}")), m.incomplete(&text));
                    typed.keep(value.clone(), text);
                    set(value);
                }
            }
        };
        let on_input = {
            let (mask, commit) = (mask.clone(), commit.clone());
            move |ev: web_sys::Event| match &mask {
                // Only what `beforeinput` could not stop (an IME's composition) gets here: masked afresh, as survey-core's change handler does.
                Some(m) => {
                    let el = event_target::<web_sys::HtmlInputElement>(&ev);
                    let (text, _) = m.input(&Edit { text: String::new(), start: 0, end: 0, inserted: el.value(), backward: false });
                    el.set_value(&text);
                    commit(text);
                }
                None => set(typed.read(input_type, event_target_value(&ev))),
            }
        };
        let on_before = move |ev: web_sys::InputEvent| {
            let Some(m) = &mask else { return };
            if ev.is_composing() || ev.input_type() == "insertCompositionText" {
                return;
            }
            let el = event_target::<web_sys::HtmlInputElement>(&ev);
            let at = |p: Result<Option<u32>, _>| p.ok().flatten().unwrap_or(0) as usize;
            let edit = Edit::of_event(&ev.input_type(), el.value(), at(el.selection_start()), at(el.selection_end()), ev.data());
            let (text, caret) = m.input(&edit);
            ev.prevent_default();
            el.set_value(&text);
            let caret = caret.max(0) as u32;
            let _ = el.set_selection_range(caret, caret);
            commit(text);
        };
        (shown, on_input, on_before)
    }

    /// What was typed, as an answer for a field of `input_type`.
    fn read(&self, input_type: InputType, raw: String) -> Option<Value> {
        let number = input_type.is_numeric().then(|| phieu_core::num::parse(raw.trim()).and_then(serde_json::Number::from_f64)).flatten();
        let value = Some(number.map_or_else(|| Value::String(raw.clone()), Value::Number));
        self.keep(value.clone().filter(|v| !phieu_core::answers::is_empty(Some(v))), raw);
        value
    }
}

/// The phone keyboard (`inputmode`) and `autocomplete` for a kind of text.
fn keyboard(input_type: InputType) -> (Option<&'static str>, Option<&'static str>) {
    match input_type {
        InputType::Number => (Some("decimal"), None),
        InputType::Tel => (Some("tel"), Some("tel")),
        InputType::Email => (Some("email"), Some("email")),
        InputType::Url => (Some("url"), Some("url")),
        _ => (None, None),
    }
}

fn bound(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.contains('(') => Some(s.clone()),
        Some(Value::Number(n)) => Some(phieu_core::json::number_text(n)),
        _ => None,
    }
}

fn text_input(
    c: Control,
    input_type: InputType,
    placeholder: Option<Localized>,
    max_length: Option<u32>,
    range: [Option<Value>; 2],
    step: Option<f64>,
    mask: Option<Arc<Mask>>,
) -> impl IntoView {
    let (mut inputmode, autocomplete) = keyboard(input_type);
    if let (Some(m), InputType::Text) = (&mask, input_type) {
        inputmode = Some(m.keyboard());
    }
    let (shown, on_input, on_before) = Typed::bind_masked(&c, None, input_type, mask, placeholder.is_some());
    view! {
        <input
            id=c.id.clone()
            type=input_type.as_str()
            inputmode=inputmode
            autocomplete=autocomplete
            maxlength=max_length
            min=bound(&range[0])
            max=bound(&range[1])
            step=step.map(phieu_core::num::to_js_string)
            placeholder=placeholder_of(placeholder)
            aria-describedby=c.described_by.clone()
            aria-required=c.required.then_some("true")
            aria-invalid=c.invalid()
            prop:value=shown
            prop:disabled=c.disabled()
            on:input=on_input
            on:beforeinput=on_before
        />
    }
}

fn comment_input(c: Control, placeholder: Option<Localized>, max_length: Option<u32>) -> impl IntoView {
    let (shown, on_input) = Typed::bind(&c, InputType::Text);
    view! {
        <textarea
            id=c.id.clone()
            rows="4"
            maxlength=max_length
            placeholder=placeholder_of(placeholder)
            aria-describedby=c.described_by.clone()
            aria-required=c.required.then_some("true")
            aria-invalid=c.invalid()
            prop:value=shown
            prop:disabled=c.disabled()
            on:input=on_input
        ></textarea>
    }
}

/// The options in the order the author asked for, each with its index in the
/// definition (which its rules are keyed by).
fn ordered(list: &Choices) -> Vec<(usize, Choice)> {
    let mut items: Vec<(usize, Choice)> = list.items.iter().cloned().enumerate().collect();
    match list.order {
        ChoicesOrder::AsWritten => {}
        ChoicesOrder::Ascending | ChoicesOrder::Descending => {
            let desc = list.order == ChoicesOrder::Descending;
            // Ignoring diacritics, so "Ứng Hòa" sorts among the U's, not after Z.
            let key = |c: &Choice| phieu_core::display::fold(c.text.get(""));
            phieu_core::sort::sort_by(&mut items, |a, b| {
                let (a, b) = (key(&a.1), key(&b.1));
                if desc {
                    b < a
                } else {
                    a < b
                }
            });
        }
        ChoicesOrder::Random => {
            for i in (1..items.len()).rev() {
                let j = (crate::platform::random() * (i + 1) as f64) as usize;
                items.swap(i, j.min(i));
            }
        }
    }
    items
}

/// One entry of a choice list as shown: a value, its label, whether it is
/// offered now, and whether it can be chosen (`choicesEnableIf`).
#[derive(Clone)]
pub(super) struct Entry {
    pub(super) value: Value,
    pub(super) label: Signal<String>,
    pub(super) offered: Signal<bool>,
    pub(super) choosable: Signal<bool>,
    /// An imagepicker option's picture, ready to load.
    picture: Option<String>,
}

/// A rule's opposite, for `prop:hidden` and `prop:disabled`: one closure type for all of them.
fn not(s: Signal<bool>) -> impl Fn() -> bool + Clone + Send + Sync + 'static {
    move || !s.get()
}

pub(super) fn entries(c: &Control, list: &Choices) -> Vec<Entry> {
    let n = list.items.len();
    let form = list.pictures.and_then(|_| use_context::<super::FormAddress>());
    // `maxSelectedChoices` reached: what is not chosen is disabled, "Other" too (as survey-core; "None" stays).
    let room = |v: &Value| list.max_chosen.map(|m| (m, v.clone()));
    let mut out: Vec<Entry> = ordered(list)
        .into_iter()
        .map(|(i, ch)| Entry {
            choosable: c.shown_with_room(Target::ChoiceEnabled, i, n, room(&ch.value)),
            value: ch.value,
            label: localized(ch.text),
            offered: c.shown(Target::ChoiceVisible, i, n),
            picture: ch.image.as_deref().and_then(|l| list.pictures.and_then(|_| super::picture(form.as_ref(), l))),
        })
        .collect();
    for (extra, value, msg) in [(&list.none, NONE_VALUE, Msg::NoneItem), (&list.other, OTHER_VALUE, Msg::OtherItem)] {
        if extra.is_some() {
            let label = Signal::derive(crate::i18n::text_or(extra.clone(), msg));
            let (yes, value) = (Signal::stored(true), Value::String(value.into()));
            // No rule of its own: an index no rule has.
            let choosable =
                if value == NONE_VALUE { yes } else { c.shown_with_room(Target::ChoiceEnabled, usize::MAX / 2, 0, room(&value)) };
            out.push(Entry { value, label, offered: yes, choosable, picture: None });
        }
    }
    // As in SurveyJS: the options, then "None", then "Other".
    out
}

pub(super) fn picked(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(items)) => items,
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

/// Ticks or unticks `value` in a list answer: "None" excludes the rest, and
/// the answer keeps the options' order whatever order they were ticked in.
/// `other_as_value` (`storeOthersAsComment: false`): the one value no option
/// has is the "Other" text, ticked as "Other" and kept in its place.
fn toggle(c: &Control, order: &[Value], value: &Value, on: bool, other_as_value: bool) {
    let (none, other) = (Value::String(NONE_VALUE.into()), Value::String(OTHER_VALUE.into()));
    let mut list = picked(c.slot.value(c.r));
    let text = list.iter().find(|v| other_as_value && !order.contains(v)).cloned();
    list.iter_mut().filter(|v| text.as_ref() == Some(v)).for_each(|v| *v = other.clone());
    list.retain(|v| v != value);
    if on {
        if *value == none {
            list.clear();
        } else {
            list.retain(|v| *v != none);
        }
        list.push(value.clone());
    }
    let list: Vec<Value> = order
        .iter()
        .filter(|v| list.contains(v))
        .map(|v| if *v == other { text.clone().unwrap_or_else(|| v.clone()) } else { v.clone() })
        .collect();
    set_choice(c, Some(Value::Array(list)));
}

/// Sets a choice answer, and drops the "Other" text once "Other" is no longer chosen.
fn set_choice(c: &Control, value: Option<Value>) {
    let other = Value::String(OTHER_VALUE.into());
    if !picked(value.clone()).contains(&other) && c.slot.comment().value(c.r).is_some() {
        c.slot.comment().set(c.r, None);
    }
    c.set(value);
}

/// The text field of "Other (please specify)", for lists that offer "Other":
/// always in the page, hidden unless "Other" is chosen.
fn other_text(c: &Control, list: &Choices) -> Option<impl IntoView> {
    list.other.as_ref()?;
    let (other, chosen) = (Value::String(OTHER_VALUE.into()), chosen_of(c, list));
    let shown = move || chosen().contains(&other);
    let comment = Control { slot: c.slot.comment(), id: format!("{}-other", c.id), ..c.clone() };
    let (comment_text, on_comment) = Typed::bind(&comment, InputType::Text);
    // `storeOthersAsComment: false`: the text is the answer itself, "other" while empty.
    let as_value = list.other_as_value.then(|| (c.clone(), list.clone()));
    let text = {
        let as_value = as_value.clone();
        move || match &as_value {
            Some((c, list)) => list.other_text(c.value().as_ref()).unwrap_or_default(),
            None => comment_text(),
        }
    };
    let on_input = move |ev: web_sys::Event| match &as_value {
        Some((c, list)) => c.set(list.with_other_text(list.shown(c.value()), &event_target_value(&ev))),
        None => on_comment(ev),
    };
    let invalid = super::question::on_error(c.r, c.slot.key(), true, ["true", "false"]);
    Some(view! {
        <input
            class="other"
            id=comment.id.clone()
            type="text"
            aria-label=tr(Msg::OtherText)
            aria-describedby=comment.described_by.clone()
            aria-invalid=invalid
            hidden=move || !shown()
            prop:value=text
            prop:disabled=comment.disabled()
            on:input=on_input
        />
    })
}

/// How a list of options looks: radio buttons, checkboxes, or radio buttons
/// as a row of large buttons (a rating, a matrix row).
#[derive(Clone, Copy, PartialEq)]
enum Look {
    Radio,
    Checkbox,
    Pill,
}

/// The values chosen now, as a list (one answer or many).
type Chosen = Arc<dyn Fn() -> Vec<Value> + Send + Sync>;
/// What ticking (`true`) or unticking an option does to the answer.
type Pick = Arc<dyn Fn(&Value, bool) + Send + Sync>;

/// Every list of radio buttons or checkboxes (choices, Yes/No, a rating, a
/// row of a matrix) is this one view; the data and two callbacks say what it
/// is. One view type instead of one per widget: each costs wasm.
fn options(
    c: &Control,
    name: String,
    first_id: Option<String>,
    entries: Vec<Entry>,
    look: Look,
    chosen: Chosen,
    pick: Pick,
) -> impl IntoView {
    entries
        .into_iter()
        .enumerate()
        .map(|(k, e)| {
            let checked = {
                let (chosen, value) = (chosen.clone(), e.value.clone());
                move || chosen().contains(&value)
            };
            let on_change = {
                let (pick, value) = (pick.clone(), e.value);
                move |ev| pick(&value, event_target_checked(&ev))
            };
            view! {
                <label class=if look == Look::Pill { "pill" } else { "choice" } prop:hidden=not(e.offered)>
                    <input
                        prop:disabled=not(e.choosable)
                        type=if look == Look::Checkbox { "checkbox" } else { "radio" }
                        id=if k == 0 { first_id.clone() } else { None }
                        name=name.clone()
                        aria-describedby=c.described_by.clone()
                        prop:checked=checked
                        on:change=on_change
                    />
                    {e.picture.map(|src| view! { <img src=src alt=""/> })}
                    <span>{e.label}</span>
                </label>
            }
        })
        .collect_view()
}

/// The answer as a list of chosen values.
fn chosen(c: &Control) -> Chosen {
    let c = c.clone();
    Arc::new(move || picked(c.value()))
}

/// The same for a choice list: an "Other" text stored as the answer ticks "Other".
fn chosen_of(c: &Control, list: &Choices) -> Chosen {
    let (c, list) = (c.clone(), list.clone());
    Arc::new(move || picked(list.shown(c.value())))
}

/// One answer: ticking an option makes it the answer.
fn pick_one(c: &Control) -> Pick {
    let c = c.clone();
    Arc::new(move |v, on| {
        if on {
            set_choice(&c, Some(v.clone()));
        }
    })
}

/// An option that is always offered.
fn fixed(value: Value, label: Signal<String>) -> Entry {
    let yes = Signal::stored(true);
    Entry { value, label, offered: yes, choosable: yes, picture: None }
}

fn choice_group(c: Control, list: Choices, multiple: bool) -> impl IntoView {
    let entries = entries(&c, &list);
    let pick = if multiple {
        let order: Vec<Value> = entries.iter().map(|e| e.value.clone()).collect();
        let (c, as_value) = (c.clone(), list.other_as_value);
        Arc::new(move |v: &Value, on| toggle(&c, &order, v, on, as_value)) as Pick
    } else {
        pick_one(&c)
    };
    view! {
        {options(&c, c.id.clone(), Some(c.id.clone()), entries, if multiple { Look::Checkbox } else { Look::Radio }, chosen_of(&c, &list), pick)}
        {other_text(&c, &list)}
    }
}

fn select(c: Control, list: Choices) -> impl IntoView {
    let entries = entries(&c, &list);
    let values: Vec<Value> = entries.iter().map(|e| e.value.clone()).collect();
    let selected = {
        let (c, values, list) = (c.clone(), values.clone(), list.clone());
        move || list.shown(c.value()).and_then(|v| values.iter().position(|x| *x == v)).map(|i| i.to_string()).unwrap_or_default()
    };
    let on_change = {
        let c = c.clone();
        move |ev| set_choice(&c, event_target_value(&ev).parse::<usize>().ok().and_then(|i| values.get(i).cloned()))
    };
    view! {
        <select
            id=c.id.clone()
            aria-describedby=c.described_by.clone()
            aria-required=c.required.then_some("true")
            aria-invalid=c.invalid()
            prop:value=selected
            prop:disabled=c.disabled()
            on:change=on_change
        >
            <option value="">{tr(Msg::Choose)}</option>
            {entries.into_iter().enumerate().map(|(i, e)| {
                view! { <option value=i.to_string() prop:hidden=not(e.offered) prop:disabled=not(e.choosable)>{e.label}</option> }
            }).collect_view()}
        </select>
        {other_text(&c, &list)}
    }
}

/// A list searched by typing (a combobox): for long dropdowns and tagboxes.
/// Matching ignores case and Vietnamese diacritics: "ha dong" finds "Hà Đông".
fn picker(c: Control, list: Choices, multiple: bool) -> impl IntoView {
    // Read only: shared by the closures (a StoredValue of a type of its own costs wasm).
    let entries = Arc::new(entries(&c, &list));
    let order: Arc<Vec<Value>> = Arc::new(entries.iter().map(|e| e.value.clone()).collect());
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    // The option under the keyboard's cursor, by position; None (the first)
    // until the arrows move it. Option<usize>: a signal type the app has.
    let active = RwSignal::new(None::<usize>);
    let at = move || active.get().unwrap_or(0);
    let list_id = format!("{}-list", c.id);
    let option_id = {
        let id = c.id.clone();
        move |k: usize| format!("{id}-opt-{k}")
    };
    let chosen = chosen_of(&c, &list);
    let as_value = list.other_as_value;
    let matches = {
        let es = entries.clone();
        Memo::new(move |_| {
            let q = query.get();
            es.iter()
                .enumerate()
                .filter(|(_, e)| e.offered.get() && phieu_core::display::matches(&e.label.get(), &q))
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        })
    };
    let label_of = {
        let es = entries.clone();
        move |v: &Value| es.iter().find(|e| e.value == *v).map(|e| e.label.get()).unwrap_or_else(|| value_text(v))
    };
    let pick = {
        let (c, chosen, es, order) = (c.clone(), chosen.clone(), entries.clone(), order.clone());
        move |k: usize| {
            let Some(value) = es.get(k).filter(|e| e.choosable.get_untracked()).map(|e| e.value.clone()) else {
                return;
            };
            if multiple {
                let on = !untrack(|| chosen()).contains(&value);
                toggle(&c, &order, &value, on, as_value);
            } else {
                set_choice(&c, Some(value));
                open.set(false);
            }
            query.set(String::new());
        }
    };
    let shown_text = {
        let (chosen, label_of) = (chosen.clone(), label_of.clone());
        move || if open.get() || multiple { query.get() } else { chosen().first().map(&label_of).unwrap_or_default() }
    };
    let on_key = {
        let pick = pick.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let n = matches.with_untracked(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    open.set(true);
                    active.set(Some((untrack(at) + 1).min(n.saturating_sub(1))));
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    active.set(Some(untrack(at).saturating_sub(1)));
                }
                "Enter" => {
                    ev.prevent_default();
                    if let Some(k) = matches.with_untracked(|m| m.get(untrack(at)).copied()) {
                        pick(k);
                    }
                }
                "Escape" => open.set(false),
                _ => {}
            }
        }
    };
    let chips = {
        let (c, chosen) = (c.clone(), chosen.clone());
        move || {
            chosen()
                .into_iter()
                .map(|v| {
                    let label = label_of(&v);
                    let remove = {
                        let (c, v, order) = (c.clone(), v.clone(), order.clone());
                        move |_| toggle(&c, &order, &v, false, as_value)
                    };
                    let lang = use_state().lang;
                    let aria = {
                        let label = label.clone();
                        move || format!("{} {label}", t(lang.get(), Msg::Remove))
                    };
                    view! { <li>{label}<button type="button" class="chip-remove" aria-label=aria on:click=remove>"×"</button></li> }
                })
                .collect_view()
        }
    };
    // The list is always in the page, hidden while closed; its items are
    // drawn only while it is open.
    let items = {
        let option_id = option_id.clone();
        move || {
            let shown = if open.get() { matches.get() } else { Vec::new() };
            shown
                .into_iter()
                .enumerate()
                .map(|(pos, k)| {
                    let (label, value, choosable) = (entries[k].label, entries[k].value.clone(), entries[k].choosable);
                    let (pick, chosen) = (pick.clone(), chosen.clone());
                    view! {
                        <li
                            role="option"
                            id=option_id(k)
                            class:active=move || at() == pos
                            aria-selected=move || if chosen().contains(&value) { "true" } else { "false" }
                            prop:ariaDisabled=not(choosable)
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| pick(k)
                        >{label}</li>
                    }
                })
                .collect_view()
        }
    };
    let listbox = view! {
        <ul class="listbox" id=list_id.clone() role="listbox" aria-multiselectable=multiple.then_some("true") hidden=move || !open.get()>
            {items}
            <li class="empty" hidden=move || matches.with(|m| !m.is_empty())>{tr(Msg::NoMatch)}</li>
        </ul>
    };
    let active_id = move || if open.get() { matches.with(|m| m.get(at()).map(|&k| option_id(k))) } else { None };
    view! {
        <div class="picker">
            {multiple.then(|| view! { <ul class="chips">{chips}</ul> })}
            <input
                id=c.id.clone()
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=list_id
                aria-activedescendant=active_id
                aria-describedby=c.described_by.clone()
                aria-required=c.required.then_some("true")
                aria-invalid=c.invalid()
                placeholder=tr(Msg::TypeToSearch)
                prop:value=shown_text
                prop:disabled=c.disabled()
                on:focus=move |_| { query.set(String::new()); active.set(None); open.set(true); }
                on:click=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:input=move |ev| { query.set(event_target_value(&ev)); active.set(None); open.set(true); }
                on:keydown=on_key
            />
            {listbox}
        </div>
        {other_text(&c, &list)}
    }
}

/// A pair of radio buttons, for `answer` true and false.
/// Yes and no, each stored as its `valueTrue`/`valueFalse` (true and false by default).
fn boolean_input(c: Control, [(yes, label_true), (no, label_false)]: [(Value, Option<Localized>); 2]) -> impl IntoView {
    let label = |l, msg| Signal::derive(crate::i18n::text_or(l, msg));
    let entries = vec![fixed(yes, label(label_true, Msg::Yes)), fixed(no, label(label_false, Msg::No))];
    view! { <div class="inline">{options(&c, c.id.clone(), Some(c.id.clone()), entries, Look::Radio, chosen(&c), pick_one(&c))}</div> }
}

/// A row of buttons: a rating's scale, or a buttongroup's options.
fn rating(c: Control, entries: Vec<Entry>, min: Option<Localized>, max: Option<Localized>) -> impl IntoView {
    view! {
        <div class="rating">{options(&c, c.id.clone(), Some(c.id.clone()), entries, Look::Pill, chosen(&c), pick_one(&c))}</div>
        {(min.is_some() || max.is_some()).then(|| view! {
            <p class="rating-ends" aria-hidden="true"><span>{localized(min.unwrap_or_default())}</span><span>{localized(max.unwrap_or_default())}</span></p>
        })}
    }
}

/// A range slider (`sliderType: "range"`): two of the phone's own range
/// inputs, "From" and "To"; the answer is `[low, high]`. A thumb stops
/// `shortest` from the other and goes no further than `longest` from it.
/// Unanswered, the thumbs sit at the ends (nearer the middle when a range
/// may not be that long), as SurveyJS shows them.
fn range_slider(c: Control, [min, max, step]: [f64; 3], [shortest, longest]: [f64; 2]) -> impl IntoView {
    let ends = {
        let c = c.clone();
        move || {
            c.value().as_ref().and_then(phieu_core::form::range_ends).unwrap_or_else(|| {
                let gap = ((max - min) - longest).max(0.0) / 2.0;
                (min + gap, max - gap)
            })
        }
    };
    let js = phieu_core::num::to_js_string;
    let thumb = |end: usize| {
        let on_input = {
            let (c, ends) = (c.clone(), ends.clone());
            move |ev: web_sys::Event| {
                let input = event_target::<web_sys::HtmlInputElement>(&ev);
                let Some(v) = phieu_core::num::parse(&input.value()) else { return };
                let (lo, hi) = untrack(&ends);
                let (lo, hi) = if end == 0 {
                    (v.min(hi - shortest).max(hi - longest).max(min), hi)
                } else {
                    (lo, v.max(lo + shortest).min(lo + longest).min(max))
                };
                input.set_value(&js(if end == 0 { lo } else { hi }));
                let n = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
                c.set(Some(Value::Array(vec![n(lo), n(hi)])));
            }
        };
        let value = {
            let ends = ends.clone();
            move || js(if end == 0 { ends().0 } else { ends().1 })
        };
        view! {
            <label class="item">
                <span>{tr(if end == 0 { Msg::RangeFrom } else { Msg::RangeTo })}</span>
                <input
                    type="range"
                    id=(end == 0).then(|| c.id.clone())
                    min=js(min)
                    max=js(max)
                    step=js(step)
                    aria-describedby=c.described_by.clone()
                    prop:value=value
                    prop:disabled=c.disabled()
                    on:input=on_input
                />
            </label>
        }
    };
    let lang = use_state().lang;
    let shown = {
        let c = c.clone();
        move || {
            let locale = lang.get().code();
            c.value()
                .as_ref()
                .and_then(phieu_core::form::range_ends)
                .map(|(lo, hi)| format!("{} – {}", phieu_core::display::number(lo, locale), phieu_core::display::number(hi, locale)))
        }
    };
    view! {
        {thumb(0)}
        {thumb(1)}
        <output class="range-shown">{shown}</output>
    }
}

fn object_answer(c: &Control) -> Map<String, Value> {
    match c.slot.value(c.r) {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

fn set_field(c: &Control, field: &str, value: Option<Value>) {
    let mut o = object_answer(c);
    phieu_core::answers::put(&mut o, field, value);
    c.set(Some(Value::Object(o)));
}

/// A Likert matrix: one group of buttons per row, which reads well on a
/// narrow screen where a table would not fit. Rows and columns follow their
/// rules (`visibleIf`, `rowsVisibleIf`, `columnsVisibleIf`).
fn matrix(c: Control, rows: Vec<Choice>, columns: Vec<Choice>) -> impl IntoView {
    let (n, m) = (rows.len(), columns.len());
    let yes = Signal::stored(true);
    let entries: Vec<Entry> = columns
        .into_iter()
        .enumerate()
        .map(|(j, ch)| Entry {
            value: ch.value,
            label: localized(ch.text),
            offered: c.shown(Target::ColumnVisible, j, m),
            choosable: yes,
            picture: None,
        })
        .collect();
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let key = value_text(&row.value);
            let chosen: Chosen = {
                let (c, key) = (c.clone(), key.clone());
                Arc::new(move || picked(c.value().and_then(|v| v.get(&key).cloned())))
            };
            let pick: Pick = {
                let c = c.clone();
                Arc::new(move |v, on| {
                    if on {
                        set_field(&c, &key, Some(v.clone()));
                    }
                })
            };
            let id = (i == 0).then(|| c.id.clone());
            view! {
                <fieldset class="matrix-row" prop:hidden=not(c.shown(Target::RowVisible, i, n))>
                    <legend>{localized(row.text)}</legend>
                    <div class="rating">{options(&c, format!("{}-{i}", c.id), id, entries.clone(), Look::Pill, chosen, pick)}</div>
                </fieldset>
            }
        })
        .collect_view()
}

fn multiple_text(c: Control, items: Vec<phieu_core::form::TextItem>) -> impl IntoView {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let id = if i == 0 { c.id.clone() } else { super::question::control_id(&format!("{}.{}", c.slot.key(), item.name)) };
            let (mut inputmode, _) = keyboard(item.input_type);
            if let (Some(m), InputType::Text) = (&item.mask, item.input_type) {
                inputmode = Some(m.keyboard());
            }
            let (shown, on_input, on_before) =
                Typed::bind_masked(&c, Some(item.name), item.input_type, item.mask, item.placeholder.is_some());
            view! {
                <div class="item">
                    <label for=id.clone()>{localized(item.title)}{item.is_required.then_some(" *")}</label>
                    <input
                        id=id
                        type=item.input_type.as_str()
                        inputmode=inputmode
                        placeholder=placeholder_of(item.placeholder)
                        aria-describedby=c.described_by.clone()
                        prop:value=shown
                        prop:disabled=c.disabled()
                        on:input=on_input
                        on:beforeinput=on_before
                    />
                </div>
            }
        })
        .collect_view()
}

/// A computed answer. Inside a repeat its value is also stored in the repeat,
/// as SurveyJS does, so `{panel.age}` and the submission see it.
fn expression(c: Control) -> impl IntoView {
    let lang = use_state().lang;
    let value = {
        let c = c.clone();
        move || match &c.slot.repeat {
            None => c.r.computed(&c.slot.name).filter(|v| !v.is_empty()).map(|v| v.to_json()),
            Some(p) => p.rules.with(|m| m.get(&Target::Computed(c.slot.name.clone())).filter(|v| !v.is_empty()).map(|v| v.to_json())),
        }
    };
    if c.slot.repeat.is_some() {
        let (c, value) = (c.clone(), value.clone());
        Effect::new(move |_| {
            let v = value();
            if untrack(|| c.value()) != v {
                c.set(v);
            }
        });
    }
    let q = c.r.with_form(|f| f.question(&c.slot.name).cloned());
    let shown = move || {
        let locale = lang.get().code();
        value().map(|v| super::question::display(q.as_ref(), &v, locale))
    };
    view! { <output id=c.id.clone() aria-describedby=c.described_by.clone()>{shown}</output> }
}
