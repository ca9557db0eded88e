//! A widget for every question type. Each one reads and writes its answer
//! through [`Control`], so the same widget works at the top of a form and
//! inside a paneldynamic repeat.

use super::question::Control;
use crate::app::use_state;
use crate::i18n::{t, tr, Msg};
use leptos::prelude::*;
use phieu_core::form::{value_text, ChoicesOrder, InputType, NONE_VALUE, OTHER_VALUE};
use phieu_core::{Choice, Choices, Kind, Localized, Target};
use serde_json::{Map, Value};

/// Lists with more options than this get a search box.
const SEARCH_FROM: usize = 10;

pub fn widget(c: Control, kind: Kind) -> AnyView {
    match kind {
        Kind::Text { input_type, placeholder, max_length, min, max, step } => {
            text_input(c, input_type, placeholder, max_length, [min, max], step).into_any()
        }
        Kind::Comment { placeholder, max_length } => comment_input(c, placeholder, max_length).into_any(),
        Kind::RadioGroup(list) if list.buttons => {
            let options = entries(&c, &list).into_iter().map(|e| (e.value, e.label, e.offered)).collect();
            rating(c, options, None, None).into_any()
        }
        Kind::RadioGroup(list) => choice_group(c, list, false).into_any(),
        Kind::Checkbox(list) => choice_group(c, list, true).into_any(),
        Kind::Dropdown(list) if list.items.len() <= SEARCH_FROM => select(c, list).into_any(),
        Kind::Dropdown(list) => picker(c, list, false).into_any(),
        Kind::Tagbox(list) => picker(c, list, true).into_any(),
        Kind::Boolean { label_true, label_false } => boolean_input(c, label_true, label_false).into_any(),
        Kind::Rating { scale, min_description, max_description } => {
            let yes = Signal::derive(|| true);
            let options = scale.into_iter().map(|ch| (ch.value, localized(ch.text), yes)).collect();
            rating(c, options, min_description, max_description).into_any()
        }
        Kind::Matrix { rows, columns, .. } => matrix(c, rows, columns).into_any(),
        Kind::MultipleText { items } => multiple_text(c, items).into_any(),
        Kind::Expression { .. } => expression(c).into_any(),
        // Panels and html are elements, not questions; `element` renders them.
        Kind::Geopoint { accuracy } => super::place::geopoint(c, accuracy).into_any(),
        Kind::Html { .. } | Kind::Panel { .. } | Kind::PanelDynamic { .. } => ().into_any(),
    }
}

fn localized(l: Localized) -> Signal<String> {
    Signal::derive(crate::i18n::text(l))
}

fn placeholder_of(p: Option<Localized>) -> Option<Signal<String>> {
    p.map(localized)
}

/// What was last typed into a field, so that "1." stays "1." while a decimal
/// is being typed, though the answer is already the number 1.
#[derive(Clone, Copy)]
struct Typed(StoredValue<(Option<Value>, String)>);

impl Typed {
    fn new() -> Self {
        Typed(StoredValue::new((None, String::new())))
    }

    /// The field's text for the answer `v`.
    fn show(self, v: Option<Value>) -> String {
        self.0.with_value(|(last, raw)| (*last == v).then(|| raw.clone())).unwrap_or_else(|| match v {
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) => phieu_core::json::number_text(&n),
            _ => String::new(),
        })
    }

    /// A text field for `c`'s answer: the text to show, and what typing does.
    fn bind(c: &Control, input_type: InputType) -> (impl Fn() -> String + Clone + 'static, impl Fn(web_sys::Event) + Clone + 'static) {
        let typed = Typed::new();
        let shown = {
            let c = c.clone();
            move || typed.show(c.value())
        };
        let on_input = {
            let c = c.clone();
            move |ev: web_sys::Event| c.set(typed.read(input_type, event_target_value(&ev)))
        };
        (shown, on_input)
    }

    /// What was typed, as an answer for a field of `input_type`.
    fn read(self, input_type: InputType, raw: String) -> Option<Value> {
        let number = input_type.is_numeric().then(|| phieu_core::num::parse(raw.trim()).and_then(serde_json::Number::from_f64)).flatten();
        let value = Some(number.map_or_else(|| Value::String(raw.clone()), Value::Number));
        self.0.set_value((value.clone().filter(|v| !phieu_core::answers::is_empty(Some(v))), raw));
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
) -> impl IntoView {
    let (inputmode, autocomplete) = keyboard(input_type);
    let (shown, on_input) = Typed::bind(&c, input_type);
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
struct Entry {
    value: Value,
    label: Signal<String>,
    offered: Signal<bool>,
    choosable: Signal<bool>,
}

/// A rule's opposite, for `prop:hidden` and `prop:disabled`: one closure type for all of them.
fn not(s: Signal<bool>) -> impl Fn() -> bool + Clone + Send + Sync + 'static {
    move || !s.get()
}

fn entries(c: &Control, list: &Choices) -> Vec<Entry> {
    let n = list.items.len();
    let mut out: Vec<Entry> = ordered(list)
        .into_iter()
        .map(|(i, ch)| Entry {
            value: ch.value,
            label: localized(ch.text),
            offered: c.shown(Target::ChoiceVisible, i, n),
            choosable: Signal::derive(c.choosable(i)),
        })
        .collect();
    for (extra, value, msg) in [(&list.none, NONE_VALUE, Msg::NoneItem), (&list.other, OTHER_VALUE, Msg::OtherItem)] {
        if extra.is_some() {
            let label = Signal::derive(crate::i18n::text_or(extra.clone(), msg));
            let yes = Signal::derive(|| true);
            out.push(Entry { value: Value::String(value.into()), label, offered: yes, choosable: yes });
        }
    }
    // As in SurveyJS: the options, then "None", then "Other".
    out
}

fn picked(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(items)) => items,
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

/// Ticks or unticks `value` in a list answer: "None" excludes the rest, and
/// the answer keeps the options' order whatever order they were ticked in.
fn toggle(c: &Control, order: &[Value], value: &Value, on: bool) {
    let none = Value::String(NONE_VALUE.into());
    let mut list = picked(c.slot.value(c.r));
    list.retain(|v| v != value);
    if on {
        if *value == none {
            list.clear();
        } else {
            list.retain(|v| *v != none);
        }
        list.push(value.clone());
    }
    let list: Vec<Value> = order.iter().filter(|v| list.contains(v)).cloned().collect();
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

/// The text field of "Other (please specify)", shown while "Other" is chosen.
fn other_text(c: &Control) -> impl IntoView {
    let other = Value::String(OTHER_VALUE.into());
    let shown = {
        let c = c.clone();
        move || picked(c.value()).contains(&other)
    };
    let comment = Control { slot: c.slot.comment(), id: format!("{}-other", c.id), ..c.clone() };
    let (text, on_input) = Typed::bind(&comment, InputType::Text);
    let invalid = {
        let (r, key) = (c.r, c.slot.key());
        move || if r.error(&key).is_some_and(|e| e.kind == phieu_core::ErrorKind::OtherEmpty) { "true" } else { "false" }
    };
    move || {
        shown().then(|| {
            view! {
                <input
                    class="other"
                    id=comment.id.clone()
                    type="text"
                    aria-label=tr(Msg::OtherText)
                    aria-describedby=comment.described_by.clone()
                    aria-invalid=invalid.clone()
                    prop:value=text.clone()
                    prop:disabled=comment.disabled()
                    on:input=on_input.clone()
                />
            }
        })
    }
}

fn choice_group(c: Control, list: Choices, multiple: bool) -> impl IntoView {
    let entries = entries(&c, &list);
    let order: Vec<Value> = entries.iter().map(|e| e.value.clone()).collect();
    let order = StoredValue::new(order);
    let options = entries
        .into_iter()
        .enumerate()
        .map(|(k, e)| {
            let checked = {
                let (c, value) = (c.clone(), e.value.clone());
                move || picked(c.value()).contains(&value)
            };
            let on_change = {
                let (c, value) = (c.clone(), e.value.clone());
                move |ev| {
                    let on = event_target_checked(&ev);
                    if multiple {
                        order.with_value(|o| toggle(&c, o, &value, on));
                    } else if on {
                        set_choice(&c, Some(value.clone()));
                    }
                }
            };
            view! {
                <label class="choice" prop:hidden=not(e.offered)>
                    <input
                        prop:disabled=not(e.choosable)
                        type=if multiple { "checkbox" } else { "radio" }
                        id=(k == 0).then(|| c.id.clone())
                        name=c.id.clone()
                        aria-describedby=c.described_by.clone()
                        prop:checked=checked
                        on:change=on_change
                    />
                    <span>{e.label}</span>
                </label>
            }
        })
        .collect_view();
    view! { {options} {other_text(&c)} }
}

fn select(c: Control, list: Choices) -> impl IntoView {
    let entries = entries(&c, &list);
    let values: Vec<Value> = entries.iter().map(|e| e.value.clone()).collect();
    let selected = {
        let (c, values) = (c.clone(), values.clone());
        move || c.value().and_then(|v| values.iter().position(|x| *x == v)).map(|i| i.to_string()).unwrap_or_default()
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
        {other_text(&c)}
    }
}

/// A list searched by typing (a combobox): for long dropdowns and tagboxes.
/// Matching ignores case and Vietnamese diacritics: "ha dong" finds "Hà Đông".
fn picker(c: Control, list: Choices, multiple: bool) -> impl IntoView {
    let entries = StoredValue::new(entries(&c, &list));
    let order = StoredValue::new(entries.with_value(|e| e.iter().map(|e| e.value.clone()).collect::<Vec<_>>()));
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);
    let list_id = format!("{}-list", c.id);
    let option_id = {
        let id = c.id.clone();
        move |k: usize| format!("{id}-opt-{k}")
    };
    let chosen = {
        let c = c.clone();
        Memo::new(move |_| picked(c.value()))
    };
    let matches = Memo::new(move |_| {
        let q = query.get();
        entries.with_value(|es| {
            es.iter()
                .enumerate()
                .filter(|(_, e)| e.offered.get() && phieu_core::display::matches(&e.label.get(), &q))
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        })
    });
    let label_of =
        move |v: &Value| entries.with_value(|es| es.iter().find(|e| e.value == *v).map(|e| e.label.get()).unwrap_or_else(|| value_text(v)));
    let pick = {
        let c = c.clone();
        move |k: usize| {
            let Some(value) = entries.with_value(|es| es.get(k).filter(|e| e.choosable.get_untracked()).map(|e| e.value.clone())) else {
                return;
            };
            if multiple {
                let on = !chosen.get_untracked().contains(&value);
                order.with_value(|o| toggle(&c, o, &value, on));
            } else {
                set_choice(&c, Some(value));
                open.set(false);
            }
            query.set(String::new());
        }
    };
    let shown_text = move || {
        if open.get() || multiple {
            query.get()
        } else {
            chosen.with(|v| v.first().map(label_of)).unwrap_or_default()
        }
    };
    let on_key = {
        let pick = pick.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let n = matches.with_untracked(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    open.set(true);
                    active.update(|a| *a = (*a + 1).min(n.saturating_sub(1)));
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    active.update(|a| *a = a.saturating_sub(1));
                }
                "Enter" => {
                    ev.prevent_default();
                    if let Some(k) = matches.with_untracked(|m| m.get(active.get_untracked()).copied()) {
                        pick(k);
                    }
                }
                "Escape" => open.set(false),
                _ => {}
            }
        }
    };
    let chips = {
        let c = c.clone();
        move || {
            chosen
                .get()
                .into_iter()
                .map(|v| {
                    let label = label_of(&v);
                    let remove = {
                        let (c, v) = (c.clone(), v.clone());
                        move |_| order.with_value(|o| toggle(&c, o, &v, false))
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
    let listbox = {
        let (list_id, option_id) = (list_id.clone(), option_id.clone());
        move || {
            open.get().then(|| {
                let items = matches
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(pos, k)| {
                        let (label, value, choosable) = entries.with_value(|es| (es[k].label, es[k].value.clone(), es[k].choosable));
                        let pick = pick.clone();
                        view! {
                            <li
                                role="option"
                                id=option_id(k)
                                class:active=move || active.get() == pos
                                aria-selected=move || if chosen.with(|c| c.contains(&value)) { "true" } else { "false" }
                                prop:ariaDisabled=not(choosable)
                                on:mousedown=|ev| ev.prevent_default()
                                on:click=move |_| pick(k)
                            >{label}</li>
                        }
                    })
                    .collect_view();
                view! {
                    <ul class="listbox" id=list_id.clone() role="listbox" aria-multiselectable=multiple.then_some("true")>
                        {items}
                        {move || matches.with(Vec::is_empty).then(|| view! { <li class="empty">{tr(Msg::NoMatch)}</li> })}
                    </ul>
                }
            })
        }
    };
    let active_id = move || if open.get() { matches.with(|m| m.get(active.get()).map(|&k| option_id(k))) } else { None };
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
                on:focus=move |_| { query.set(String::new()); active.set(0); open.set(true); }
                on:click=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:input=move |ev| { query.set(event_target_value(&ev)); active.set(0); open.set(true); }
                on:keydown=on_key
            />
            {listbox}
        </div>
        {other_text(&c)}
    }
}

/// A pair of radio buttons, for `answer` true and false.
fn boolean_input(c: Control, label_true: Option<Localized>, label_false: Option<Localized>) -> impl IntoView {
    let option = move |answer: bool, label: Option<Localized>| {
        let checked = {
            let c = c.clone();
            move || c.value() == Some(Value::Bool(answer))
        };
        let on_change = {
            let c = c.clone();
            move |_| c.set(Some(Value::Bool(answer)))
        };
        view! {
            <label class="choice">
                <input
                    type="radio"
                    id=answer.then(|| c.id.clone())
                    name=c.id.clone()
                    aria-describedby=c.described_by.clone()
                    prop:checked=checked
                    on:change=on_change
                />
                <span>{crate::i18n::text_or(label, if answer { Msg::Yes } else { Msg::No })}</span>
            </label>
        }
    };
    view! { <div class="inline">{option.clone()(true, label_true)} {option(false, label_false)}</div> }
}

/// Radio buttons for `options`, laid out in a row of large buttons.
fn button_row(
    c: &Control,
    name: String,
    id: Option<String>,
    options: Vec<(Value, Signal<String>, Signal<bool>)>,
    get: impl Fn() -> Option<Value> + Clone + Send + Sync + 'static,
    set: impl Fn(Value) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    options
        .into_iter()
        .enumerate()
        .map(|(k, (value, label, shown))| {
            let checked = {
                let (get, value) = (get.clone(), value.clone());
                move || get() == Some(value.clone())
            };
            let set = set.clone();
            view! {
                <label class="pill" prop:hidden=not(shown)>
                    <input
                        type="radio"
                        id=if k == 0 { id.clone() } else { None }
                        name=name.clone()
                        aria-describedby=c.described_by.clone()
                        prop:checked=checked
                        on:change=move |_| set(value.clone())
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
}

/// A row of buttons: a rating's scale, or a buttongroup's options.
fn rating(
    c: Control,
    options: Vec<(Value, Signal<String>, Signal<bool>)>,
    min: Option<Localized>,
    max: Option<Localized>,
) -> impl IntoView {
    let get = {
        let c = c.clone();
        move || c.value()
    };
    let set = {
        let c = c.clone();
        move |v| c.set(Some(v))
    };
    view! {
        <div class="rating">{button_row(&c, c.id.clone(), Some(c.id.clone()), options, get, set)}</div>
        {(min.is_some() || max.is_some()).then(|| view! {
            <p class="rating-ends" aria-hidden="true"><span>{min.map(localized)}</span><span>{max.map(localized)}</span></p>
        })}
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
    let options: Vec<_> =
        columns.into_iter().enumerate().map(|(j, ch)| (ch.value, localized(ch.text), c.shown(Target::ColumnVisible, j, m))).collect();
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let key = value_text(&row.value);
            let get = {
                let (c, key) = (c.clone(), key.clone());
                move || c.value().and_then(|v| v.get(&key).cloned())
            };
            let set = {
                let (c, key) = (c.clone(), key.clone());
                move |v| set_field(&c, &key, Some(v))
            };
            let id = (i == 0).then(|| c.id.clone());
            view! {
                <fieldset class="matrix-row" prop:hidden=not(c.shown(Target::RowVisible, i, n))>
                    <legend>{localized(row.text)}</legend>
                    <div class="rating">{button_row(&c, format!("{}-{i}", c.id), id, options.clone(), get, set)}</div>
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
            let id = if i == 0 { c.id.clone() } else { format!("{}-{i}", c.id) };
            let typed = Typed::new();
            let field = item.name.clone();
            let shown = {
                let (c, field) = (c.clone(), field.clone());
                move || typed.show(c.value().and_then(|o| o.get(&field).cloned()))
            };
            let on_input = {
                let (c, input_type) = (c.clone(), item.input_type);
                move |ev| set_field(&c, &field, typed.read(input_type, event_target_value(&ev)))
            };
            let (inputmode, _) = keyboard(item.input_type);
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
        Memo::new(move |_| match &c.slot.repeat {
            None => c.r.computed(&c.slot.name).filter(|v| !v.is_empty()).map(|v| v.to_json()),
            Some(p) => p.rules.with(|m| m.get(&Target::Computed(c.slot.name.clone())).filter(|v| !v.is_empty()).map(|v| v.to_json())),
        })
    };
    if c.slot.repeat.is_some() {
        let c = c.clone();
        Effect::new(move |_| {
            let v = value.get();
            if untrack(|| c.value()) != v {
                c.set(v);
            }
        });
    }
    let q = c.r.with_form(|f| f.question(&c.slot.name).cloned());
    let shown = move || {
        let locale = lang.get().code();
        value.get().map(|v| super::question::display(q.as_ref(), &v, locale))
    };
    view! { <output id=c.id.clone() aria-describedby=c.described_by.clone()>{shown}</output> }
}
