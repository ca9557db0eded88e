//! Checks a response against its form, the same way on phone and server:
//! required answers (with `requiredIf`), the question's own limits, and its
//! validators. Hidden questions are not checked, as in SurveyJS.

use crate::answers::{comment_key, is_empty, name_key, Answers};
use crate::expr::{self, Clock, Val};
use crate::form::{value_text, Check, Choices, Element, FileItem, FileRules, Form, Grid, InputType, Kind, NONE_VALUE, OTHER_VALUE};
use crate::localized::Localized;
use crate::logic::{shown, Logic, State, Target, Values};
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct AnswerError {
    /// The question: `name`, or `dynamic[2].name` inside a paneldynamic repeat.
    pub question: String,
    pub kind: ErrorKind,
    /// The author's own message, when the form gives one.
    pub text: Option<Localized>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    Required,
    /// "Other" was chosen but not described.
    OtherEmpty,
    NotNumber,
    OutOfRange {
        min: Option<f64>,
        max: Option<f64>,
    },
    DateOutOfRange {
        min: Option<String>,
        max: Option<String>,
    },
    TooShort(u32),
    TooLong(u32),
    NoDigitsAllowed,
    TooFew(u32),
    TooMany(u32),
    TooFewRepeats(u32),
    TooManyRepeats(u32),
    Pattern,
    Email,
    Expression,
    /// A file larger than `maxSize` bytes.
    FileTooLarge(u32),
    /// A masked box holds text that makes no answer yet (`+84 912 3__ ___`).
    Incomplete,
    /// A matrix with `eachRowRequired` has a shown row without an answer.
    EachRow,
}

impl AnswerError {
    /// The message to show, in `locale` (Vietnamese unless it is English).
    pub fn message(&self, locale: &str) -> String {
        if let Some(t) = &self.text {
            return t.get(locale).to_string();
        }
        let en = locale.starts_with("en");
        let num = |n: f64| crate::expr::value::number_to_string(n);
        match &self.kind {
            ErrorKind::Required => if en { "Please answer this question." } else { "Vui lòng trả lời câu hỏi này." }.into(),
            ErrorKind::OtherEmpty => if en { "Please describe your other answer." } else { "Vui lòng ghi rõ lựa chọn khác." }.into(),
            ErrorKind::NotNumber => if en { "Please enter a number." } else { "Vui lòng nhập một số." }.into(),
            ErrorKind::OutOfRange { min: Some(a), max: Some(b) } => {
                if en {
                    format!("The value must be between {} and {}.", num(*a), num(*b))
                } else {
                    format!("Giá trị phải từ {} đến {}.", num(*a), num(*b))
                }
            }
            ErrorKind::OutOfRange { min: Some(a), .. } => {
                if en {
                    format!("The value must be at least {}.", num(*a))
                } else {
                    format!("Giá trị phải từ {} trở lên.", num(*a))
                }
            }
            ErrorKind::OutOfRange { max: Some(b), .. } => {
                if en {
                    format!("The value must be at most {}.", num(*b))
                } else {
                    format!("Giá trị không được lớn hơn {}.", num(*b))
                }
            }
            ErrorKind::OutOfRange { .. } => String::new(),
            ErrorKind::DateOutOfRange { min, max } => match (min, max, en) {
                (Some(a), Some(b), true) => format!("Please enter a value from {a} to {b}."),
                (Some(a), Some(b), false) => format!("Vui lòng nhập giá trị từ {a} đến {b}."),
                (Some(a), None, true) => format!("Please enter {a} or later."),
                (Some(a), None, false) => format!("Vui lòng nhập từ {a} trở về sau."),
                (None, Some(b), true) => format!("Please enter {b} or earlier."),
                (None, Some(b), false) => format!("Vui lòng nhập từ {b} trở về trước."),
                (None, None, _) => String::new(),
            },
            ErrorKind::TooShort(n) => {
                if en {
                    format!("Please enter at least {n} characters.")
                } else {
                    format!("Vui lòng nhập ít nhất {n} ký tự.")
                }
            }
            ErrorKind::TooLong(n) => {
                if en {
                    format!("Please enter no more than {n} characters.")
                } else {
                    format!("Vui lòng nhập không quá {n} ký tự.")
                }
            }
            ErrorKind::NoDigitsAllowed => if en { "Digits are not allowed here." } else { "Không được nhập chữ số ở đây." }.into(),
            ErrorKind::TooFew(n) => {
                if en {
                    format!("Please choose at least {n}.")
                } else {
                    format!("Vui lòng chọn ít nhất {n} mục.")
                }
            }
            ErrorKind::TooMany(n) => {
                if en {
                    format!("Please choose no more than {n}.")
                } else {
                    format!("Vui lòng chọn không quá {n} mục.")
                }
            }
            ErrorKind::TooFewRepeats(n) => {
                if en {
                    format!("Please add at least {n}.")
                } else {
                    format!("Vui lòng thêm ít nhất {n} mục.")
                }
            }
            ErrorKind::TooManyRepeats(n) => {
                if en {
                    format!("Please add no more than {n}.")
                } else {
                    format!("Vui lòng không thêm quá {n} mục.")
                }
            }
            ErrorKind::Pattern => {
                if en { "The answer is not in the expected format." } else { "Câu trả lời không đúng định dạng." }.into()
            }
            ErrorKind::Email => if en { "Please enter a valid email address." } else { "Vui lòng nhập địa chỉ email hợp lệ." }.into(),
            ErrorKind::Expression => if en { "The answer is not valid." } else { "Câu trả lời không hợp lệ." }.into(),
            ErrorKind::Incomplete => if en {
                "Please complete the value to match the required format."
            } else {
                "Vui lòng hoàn thành giá trị để phù hợp với định dạng yêu cầu."
            }
            .into(),
            // survey-core's requiredInAllRowsError, in its words and its Vietnamese translation's.
            ErrorKind::EachRow => if en {
                "Response required: answer questions in all rows."
            } else {
                "Vui lòng trả lời các câu hỏi trên tất cả các dòng."
            }
            .into(),
            ErrorKind::FileTooLarge(n) => {
                let most = crate::form::size_text(u64::from(*n));
                if en {
                    format!("Each file may be at most {most}.")
                } else {
                    format!("Mỗi tệp không được lớn hơn {most}.")
                }
            }
        }
    }
}

/// SurveyJS's e-mail pattern, with its character classes escaped for Rust.
const EMAIL: &str =
    r#"^(([^<>()\[\]\.,;:\s@"]+(\.[^<>()\[\]\.,;:\s@"]+)*)|(".+"))@(([^<>()=\[\]\.,;:\s@"]+\.)+[^<>()=\[\]\.,;:\s@"]{2,})$"#;

/// Every problem with `answers`, in the order the questions appear. Builds
/// the form's logic for the purpose; [`check`] reuses one already built.
pub fn validate(form: &Form, answers: &Answers) -> Vec<AnswerError> {
    validate_at(form, answers, &Clock::default())
}

pub fn validate_at(form: &Form, answers: &Answers, clock: &Clock) -> Vec<AnswerError> {
    let logic = Logic::compile(form);
    let state = logic.evaluate_all(answers, clock);
    check(form, &logic, &state, answers, clock, &[])
}

/// `incomplete`: the questions (as errors name them) whose masked box holds
/// text that makes no answer yet; survey-core reports that instead of "required".
pub fn check(form: &Form, logic: &Logic, state: &State, answers: &Answers, clock: &Clock, incomplete: &[String]) -> Vec<AnswerError> {
    let mut errors = Vec::new();
    let shown = shown(form, state);
    for q in form.questions() {
        // Hidden, read-only and disabled questions are not the person's to fix.
        if !shown.contains(name_key(&q.name).as_ref()) || q.read_only || !state.holds(&Target::Enabled(q.name.clone()), true) {
            continue;
        }
        let required = q.is_required || state.holds(&Target::Required(q.name.clone()), false);
        let scope = Values { answers, computed: &state.computed, panel: None, parent: None, row: None, item: None };
        if let Kind::Grid(g) = &q.kind {
            let seen = Seen { logic, state, answers, clock, incomplete };
            check_grid(q, g, &q.name, answers.get(&q.name), required, &|t| state.holds(&t, true), &seen, &mut errors);
            continue;
        }
        check_question(q, required, answers, &q.name, &scope, clock, &mut errors);
        each_row(q, &q.name, answers.get(&q.name), &|t| state.holds(&t, true), &mut errors);
        mark_incomplete(&mut errors, q, &q.name, answers.get(&q.name), incomplete);
        let seen = Seen { logic, state, answers, clock, incomplete };
        check_repeats(q, &q.name, answers.get(&q.name), None, &seen, &mut errors);
    }
    errors
}

/// survey-core counts a checkbox's or tagbox's minSelectedChoices even when
/// it is not answered, after "required"; "None" alone is enough.
fn too_few(q: &Element, value: Option<&Value>) -> Option<u32> {
    let (Kind::Checkbox(Choices { min_chosen: Some(m), .. }) | Kind::Tagbox(Choices { min_chosen: Some(m), .. })) = &q.kind else {
        return None;
    };
    let chosen = value.and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    (chosen.len() < *m as usize && !(chosen.len() == 1 && chosen[0] == NONE_VALUE)).then_some(*m)
}

/// A matrix with `eachRowRequired`: every shown row answered, answered or
/// not, as survey-core checks it (after "required", when both fail).
fn each_row(q: &Element, id: &str, value: Option<&Value>, holds: &dyn Fn(Target) -> bool, errors: &mut Vec<AnswerError>) {
    let Kind::Matrix { rows, each_row: true, .. } = &q.kind else { return };
    let unanswered = (0..rows.len()).any(|i| {
        crate::logic::item_shown(holds, Target::RowVisible, &q.name, rows.len(), i)
            && is_empty(value.and_then(|v| v.get(value_text(&rows[i].value))))
    });
    if unanswered {
        errors_push(errors, id.to_string(), ErrorKind::EachRow);
    }
}

/// A paneldynamic's repeats (`key` names it: `name`, or `outer[0].name`
/// inside a repeat), each shown question of each checked, repeats inside
/// repeats too; `parent` is the repeat around it.
#[allow(clippy::too_many_arguments)]
/// What a check of repeats reads besides the repeat itself.
#[derive(Clone, Copy)]
struct Seen<'a> {
    logic: &'a Logic,
    state: &'a State,
    answers: &'a Answers,
    clock: &'a Clock,
    incomplete: &'a [String],
}

fn check_repeats(q: &Element, key: &str, value: Option<&Value>, parent: Option<&Val>, seen: &Seen, errors: &mut Vec<AnswerError>) {
    let Kind::PanelDynamic { template, min, max, .. } = &q.kind else { return };
    let panels = value.and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    if (panels.len() as u32) < *min {
        errors_push(errors, key.to_string(), ErrorKind::TooFewRepeats(*min));
    }
    if max.is_some_and(|m| panels.len() as u32 > m) {
        errors_push(errors, key.to_string(), ErrorKind::TooManyRepeats(max.unwrap_or(0)));
    }
    for (i, panel) in panels.iter().enumerate() {
        let Seen { logic, state, answers, clock, incomplete } = *seen;
        let outcomes = logic.evaluate_panel(key, i, answers, state, clock);
        let holds = |t: Target, d: bool| outcomes.get(&t).map_or(d, expr::is_true);
        let empty = Map::new();
        let values = panel.as_object().unwrap_or(&empty);
        let panel_val = Val::from_json(panel);
        let scope = Values { answers, computed: &state.computed, panel: Some((&panel_val, i)), parent, row: None, item: None };
        for inner in crate::form::answered_in(template, &|p| holds(Target::Visible(p.name.clone()), true)) {
            if !holds(Target::Visible(inner.name.clone()), true) {
                continue;
            }
            let required = inner.is_required || holds(Target::Required(inner.name.clone()), false);
            let id = format!("{key}[{i}].{}", inner.name);
            if let Kind::Grid(g) = &inner.kind {
                check_grid(inner, g, &id, values.get(&inner.name), required, &|t| holds(t, true), seen, errors);
                continue;
            }
            check_question(inner, required, values, &id, &scope, clock, errors);
            each_row(inner, &id, values.get(&inner.name), &|t| holds(t, true), errors);
            mark_incomplete(errors, inner, &id, values.get(&inner.name), incomplete);
            check_repeats(inner, &id, values.get(&inner.name), Some(&panel_val), seen, errors);
        }
    }
}

/// A matrix: answered when a cell is (SurveyJS's "Response required"), and
/// each shown row's shown cells checked as questions of their own
/// (`name[i].column`, `i` a matrixdropdown's row as written). Row counts are
/// not checked: SurveyJS's buttons keep them within bounds, and it sends no
/// rows at all while every row is empty.
/// `key` names the matrix (`p[0].m` in a repeat), `value` is its answer,
/// `holds` the rules where it is (its rows' rules).
#[allow(clippy::too_many_arguments)]
fn check_grid(
    q: &Element,
    g: &Grid,
    key: &str,
    value: Option<&Value>,
    required: bool,
    holds: &dyn Fn(Target) -> bool,
    seen: &Seen,
    errors: &mut Vec<AnswerError>,
) {
    let Seen { logic, state, answers, clock, .. } = *seen;
    let (empty, no_cells) = (Value::Object(Map::new()), Map::new());
    let mut rows: Vec<(usize, &Value, Val)> = Vec::new();
    match &g.rows {
        Some(all) => {
            for (i, r) in all.iter().enumerate() {
                if crate::logic::item_shown(holds, Target::RowVisible, &q.name, all.len(), i) {
                    rows.push((i, value.and_then(|v| v.get(value_text(&r.value))).unwrap_or(&empty), Val::from_json(&r.value)));
                }
            }
        }
        None => {
            for (i, v) in value.and_then(Value::as_array).into_iter().flatten().enumerate() {
                rows.push((i, v, Val::Null));
            }
        }
    }
    if rows.iter().all(|(_, cells, _)| is_empty(Some(cells))) {
        if required {
            errors.push(AnswerError { question: key.to_string(), kind: ErrorKind::Required, text: q.required_error_text.clone() });
        }
    } else {
        // The matrix's own validators (an expression validator reads answers at the top).
        let scope = Values { answers, computed: &state.computed, panel: None, parent: None, row: None, item: None };
        let mut own = Answers::new();
        crate::answers::put(&mut own, &q.name, value.cloned());
        check_question(q, false, &own, key, &scope, clock, errors);
    }
    for (i, cells, row) in rows {
        let outcomes = logic.evaluate_panel(key, i, answers, state, clock);
        let holds = |t: Target, d: bool| outcomes.get(&t).map_or(d, expr::is_true);
        let values = cells.as_object().unwrap_or(&no_cells);
        let cells_val = Val::from_json(cells);
        let scope = Values { answers, computed: &state.computed, panel: Some((&cells_val, i)), parent: None, row: Some(&row), item: None };
        for c in &g.columns {
            let n = &c.name;
            if matches!(c.kind, Kind::Expression { .. })
                || c.read_only
                || !holds(Target::Visible(n.clone()), true)
                || !holds(Target::Enabled(n.clone()), true)
            {
                continue;
            }
            let required = c.is_required || holds(Target::Required(n.clone()), false);
            check_question(c, required, values, &format!("{key}[{i}].{n}"), &scope, clock, errors);
        }
    }
}

fn check_question(q: &Element, required: bool, answers: &Answers, id: &str, scope: &Values, clock: &Clock, errors: &mut Vec<AnswerError>) {
    let value = answers.get(&q.name);
    if let Kind::MultipleText { items } = &q.kind {
        // Each required box on its own, whether or not the others are filled.
        for item in items.iter().filter(|i| i.is_required) {
            if is_empty(value.and_then(|v| v.get(&item.name))) {
                errors_push(errors, format!("{id}.{}", item.name), ErrorKind::Required);
            }
        }
    }
    let mut push = |kind: ErrorKind, text: Option<Localized>| errors.push(AnswerError { question: id.to_string(), kind, text });
    // survey-core counts a ranking's minSelectedChoices even when it is not answered.
    if let Kind::Ranking { min: Some(m), max, .. } = &q.kind {
        let n = value.and_then(Value::as_array).map_or(0, Vec::len) as u32;
        if n < *m && !(is_empty(value) && required) {
            push(ErrorKind::TooFew(*m), None);
        }
        if max.is_some_and(|hi| n > hi) {
            push(ErrorKind::TooMany(max.unwrap_or(0)), None);
        }
    }
    let few = too_few(q, value);
    if is_empty(value) {
        if required {
            push(ErrorKind::Required, q.required_error_text.clone());
        }
        if let Some(m) = few {
            push(ErrorKind::TooFew(m), None);
        }
        return;
    }
    if let Some(m) = few {
        push(ErrorKind::TooFew(m), None);
    }
    let value = value.unwrap_or(&Value::Null);
    let other_chosen = q.kind.choice_list().is_some_and(|c| c.other.is_some())
        && match value {
            Value::Array(items) => items.iter().any(|v| v == OTHER_VALUE),
            v => v == OTHER_VALUE,
        };
    if other_chosen && is_empty(answers.get(&comment_key(&q.name))) {
        push(ErrorKind::OtherEmpty, None);
    }
    match &q.kind {
        Kind::Text { input_type, max_length, min, max, .. } => {
            if input_type.is_numeric() {
                let n = expr::get_number(&Val::from_json(value));
                if n.is_nan() {
                    push(ErrorKind::NotNumber, None);
                } else {
                    let bound = |b: &Option<Value>| b.as_ref().map(|v| expr::get_number(&Val::from_json(v))).filter(|n| !n.is_nan());
                    let (lo, hi) = (bound(min), bound(max));
                    if lo.is_some_and(|lo| n < lo) || hi.is_some_and(|hi| n > hi) {
                        push(ErrorKind::OutOfRange { min: lo, max: hi }, None);
                    }
                }
            } else if matches!(input_type, InputType::Email) && !value.as_str().is_some_and(is_email) {
                push(ErrorKind::Email, None);
            } else if matches!(
                input_type,
                InputType::Date | InputType::Time | InputType::DateTimeLocal | InputType::Month | InputType::Week
            ) {
                // ISO dates and times of one format compare as text.
                let bound = |b: &Option<Value>| b.as_ref().and_then(Value::as_str).map(str::to_string);
                let (lo, hi) = (bound(min), bound(max));
                if let Some(v) = value.as_str() {
                    if lo.as_deref().is_some_and(|lo| v < lo) || hi.as_deref().is_some_and(|hi| v > hi) {
                        push(ErrorKind::DateOutOfRange { min: lo, max: hi }, None);
                    }
                }
            }
            if let (Some(m), Some(s)) = (max_length, value.as_str()) {
                if s.chars().count() > *m as usize {
                    push(ErrorKind::TooLong(*m), None);
                }
            }
        }
        Kind::Comment { max_length: Some(m), .. } if value.as_str().is_some_and(|s| s.chars().count() > *m as usize) => {
            push(ErrorKind::TooLong(*m), None);
        }
        Kind::Geopoint { .. } if crate::form::Place::of(value).is_none() => push(ErrorKind::Pattern, None),
        Kind::RangeSlider { min, max, .. } => match crate::form::range_ends(value) {
            None => push(ErrorKind::Pattern, None),
            Some((lo, hi)) if lo < *min || hi > *max => push(ErrorKind::OutOfRange { min: Some(*min), max: Some(*max) }, None),
            _ => {}
        },
        Kind::Signature { .. } if FileItem::of(value).is_none() => push(ErrorKind::Pattern, None),
        // What survey-core stores for yes or no, and nothing else.
        Kind::Boolean { value_true, value_false, .. } if value != value_true && value != value_false => push(ErrorKind::Pattern, None),
        Kind::File(FileRules { max_size, max_files, .. }) => match value.as_array() {
            Some(items) if items.iter().any(|i| FileItem::of(i).is_none()) => push(ErrorKind::Pattern, None),
            Some(items) if max_files.is_some_and(|m| items.len() > m as usize) => push(ErrorKind::TooMany(max_files.unwrap_or(0)), None),
            Some(items) if items.iter().any(|i| max_size.is_some_and(|m| i.get("size").and_then(Value::as_u64) > Some(m.into()))) => {
                push(ErrorKind::FileTooLarge(max_size.unwrap_or(0)), None)
            }
            Some(_) => {}
            None => push(ErrorKind::Pattern, None),
        },
        _ => {}
    }
    for v in &q.validators {
        let text = v.text.clone();
        let fail = |kind: ErrorKind| Some((kind, text.clone()));
        let outcome = match &v.check {
            Check::Numeric { min, max } => {
                let n = expr::get_number(&Val::from_json(value));
                if n.is_nan() {
                    fail(ErrorKind::NotNumber)
                } else if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    fail(ErrorKind::OutOfRange { min: *min, max: *max })
                } else {
                    None
                }
            }
            Check::Text { min_length, max_length, allow_digits } => {
                let s = value.as_str().map_or_else(|| crate::json::to_string(value), str::to_string);
                let len = s.chars().count() as u32;
                if min_length.is_some_and(|m| len < m) {
                    fail(ErrorKind::TooShort(min_length.unwrap_or(0)))
                } else if max_length.is_some_and(|m| len > m) {
                    fail(ErrorKind::TooLong(max_length.unwrap_or(0)))
                } else if !allow_digits && s.chars().any(|c| c.is_ascii_digit()) {
                    fail(ErrorKind::NoDigitsAllowed)
                } else {
                    None
                }
            }
            Check::AnswerCount { min, max } => match value.as_array() {
                Some(items) if min.is_some_and(|m| (items.len() as u32) < m) => fail(ErrorKind::TooFew(min.unwrap_or(0))),
                Some(items) if max.is_some_and(|m| (items.len() as u32) > m) => fail(ErrorKind::TooMany(max.unwrap_or(0))),
                _ => None,
            },
            Check::Regex { pattern, case_insensitive } => {
                // A list answer (checkbox, tagbox) is checked item by item, as SurveyJS does.
                let items: Vec<&Value> = match value {
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                let text = |v: &Value| match v {
                    Value::String(s) => s.clone(),
                    other => crate::json::to_string(other),
                };
                if items.iter().all(|v| crate::regex::is_match(pattern, *case_insensitive, &text(v)) == Ok(true)) {
                    None
                } else {
                    fail(ErrorKind::Pattern)
                }
            }
            Check::Email => {
                if value.as_str().is_some_and(is_email) {
                    None
                } else {
                    fail(ErrorKind::Email)
                }
            }
            Check::Expression(e) => {
                if expr::is_true(&expr::evaluate(&e.tree, scope, clock)) {
                    None
                } else {
                    fail(ErrorKind::Expression)
                }
            }
        };
        if let Some((kind, text)) = outcome {
            errors.push(AnswerError { question: id.to_string(), kind, text });
        }
    }
}

fn mark_incomplete(errors: &mut Vec<AnswerError>, q: &Element, id: &str, value: Option<&Value>, incomplete: &[String]) {
    // A multipletext's masked boxes, each as a question of its own (`id.box`).
    if let Kind::MultipleText { items } = &q.kind {
        for item in items.iter().filter(|i| i.mask.is_some()) {
            mark_one_incomplete(errors, &format!("{id}.{}", item.name), value.and_then(|v| v.get(&item.name)), incomplete);
        }
    }
    mark_one_incomplete(errors, id, value, incomplete);
}

fn mark_one_incomplete(errors: &mut Vec<AnswerError>, id: &str, value: Option<&Value>, incomplete: &[String]) {
    if is_empty(value) && incomplete.iter().any(|k| k == id) {
        errors.retain(|e| !(e.question == id && e.kind == ErrorKind::Required));
        errors_push(errors, id.to_string(), ErrorKind::Incomplete);
    }
}

fn errors_push(errors: &mut Vec<AnswerError>, question: String, kind: ErrorKind) {
    errors.push(AnswerError { question, kind, text: None });
}

pub fn is_email(s: &str) -> bool {
    crate::regex::is_match(EMAIL, true, s.trim()) == Ok(true)
}

/// What no phone would send: an answer under a name the form does not have,
/// or a choice the question does not offer (and "Other"/"None" only where
/// offered). For the server, which refuses such a report (422); the key (as
/// `check` names it) and what is wrong, in English, for the sender's developer.
pub fn unexpected(form: &Form, answers: &Answers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let top: Vec<&Element> = form.questions().collect();
    // Calculated values, and the totals SurveyJS keeps beside a matrix.
    let totals: Vec<String> = top.iter().filter(|q| matches!(q.kind, Kind::Grid(_))).map(|q| crate::form::total_key(&q.name)).collect();
    let mut computed: Vec<&str> = form.calculated_values.iter().map(|c| c.name.as_str()).collect();
    computed.extend(totals.iter().map(String::as_str));
    for q in &top {
        let Some(v) = answers.get(&q.name) else { continue };
        match &q.kind {
            Kind::Grid(g) => grid_unexpected(g, v, &q.name, &mut out),
            Kind::PanelDynamic { .. } => repeats_unexpected(q, v, &q.name, &mut out),
            _ => offered(q, v, &q.name, &mut out),
        }
    }
    // The form's own questions first, in its order; then names it lacks.
    foreign_keys(answers, &top, &computed, "", &mut out);
    out
}

/// A matrix's rows and cells, as [`unexpected`] checks answers (`key` names it).
fn grid_unexpected(g: &Grid, v: &Value, key: &str, out: &mut Vec<(String, String)>) {
    let rows: Vec<(String, &Value)> = match v {
        Value::Object(o) if g.rows.is_some() => o.iter().map(|(k, v)| (format!("{key}[{k}]"), v)).collect(),
        Value::Array(a) if g.rows.is_none() => a.iter().enumerate().map(|(i, v)| (format!("{key}[{i}]"), v)).collect(),
        _ => {
            out.push((
                key.to_string(),
                "a matrix's answer is {row: {column: value}} (matrixdropdown) or a list of rows (matrixdynamic)".into(),
            ));
            return;
        }
    };
    let columns: Vec<&Element> = g.columns.iter().collect();
    for (at, row) in rows {
        let Some(o) = row.as_object() else {
            out.push((at, "a matrix row must be an object of cells".into()));
            continue;
        };
        foreign_keys(o, &columns, &[], &format!("{at}."), out);
        for c in &columns {
            if let Some(v) = o.get(&c.name) {
                offered(c, v, &format!("{at}.{}", c.name), out);
            }
        }
    }
}

/// Keys that name no question (nor its "Other" text, nor a calculated value).
/// A paneldynamic's repeats, repeats inside them too, as [`unexpected`] checks answers.
fn repeats_unexpected(q: &Element, v: &Value, key: &str, out: &mut Vec<(String, String)>) {
    let Kind::PanelDynamic { template, .. } = &q.kind else { return offered(q, v, key, out) };
    let inner = crate::form::answered_in(template, &|_| true);
    // The totals SurveyJS keeps beside a matrix in the repeat.
    let totals: Vec<String> = inner.iter().filter(|q| matches!(q.kind, Kind::Grid(_))).map(|q| crate::form::total_key(&q.name)).collect();
    let totals: Vec<&str> = totals.iter().map(String::as_str).collect();
    for (i, repeat) in v.as_array().into_iter().flatten().enumerate() {
        let prefix = format!("{key}[{i}].");
        match repeat.as_object() {
            Some(o) => {
                foreign_keys(o, &inner, &totals, &prefix, out);
                for e in &inner {
                    match (o.get(&e.name), &e.kind) {
                        (Some(v), Kind::Grid(g)) => grid_unexpected(g, v, &format!("{prefix}{}", e.name), out),
                        (Some(v), _) => repeats_unexpected(e, v, &format!("{prefix}{}", e.name), out),
                        _ => {}
                    }
                }
            }
            None => out.push((prefix.trim_end_matches('.').to_string(), "a repeat must be an object of answers".into())),
        }
    }
}

fn foreign_keys(answers: &Answers, questions: &[&Element], computed: &[&str], prefix: &str, out: &mut Vec<(String, String)>) {
    for key in answers.keys() {
        let name = key.strip_suffix("-Comment").filter(|_| crate::answers::is_comment_key(key)).unwrap_or(key);
        let known = questions.iter().any(|q| crate::answers::same_name(&q.name, name))
            || computed.iter().any(|c| crate::answers::same_name(c, name));
        if !known {
            out.push((format!("{prefix}{key}"), "the form has no question of this name".into()));
        }
    }
}

/// Whether a choice (or each of a list of choices) is one the question offers.
fn offered(q: &Element, v: &Value, key: &str, out: &mut Vec<(String, String)>) {
    let one_of = |v: &Value, items: &[crate::form::Choice], special: &[&str]| {
        let text = crate::form::value_text(v);
        special.contains(&text.as_str()) || items.iter().any(|c| c.value == *v || crate::form::value_text(&c.value) == text)
    };
    let (items, special): (&[crate::form::Choice], Vec<&str>) = match &q.kind {
        Kind::RadioGroup(c) | Kind::Checkbox(c) | Kind::Dropdown(c) | Kind::Tagbox(c) | Kind::Ranking { list: c, .. } => {
            let mut special = Vec::new();
            if c.other.is_some() {
                special.push(OTHER_VALUE);
            }
            if c.none.is_some() {
                special.push(crate::form::NONE_VALUE);
            }
            (&c.items, special)
        }
        Kind::Rating { scale, .. } => (scale, Vec::new()),
        Kind::Matrix { rows, columns, .. } => {
            for (row, col) in v.as_object().into_iter().flatten() {
                if !rows.iter().any(|r| crate::form::value_text(&r.value) == *row) {
                    out.push((format!("{key}.{row}"), "the question has no such row".into()));
                } else if !one_of(col, columns, &[]) {
                    out.push((format!("{key}.{row}"), format!("{} is not one of the question's columns", col)));
                }
            }
            return;
        }
        _ => return,
    };
    let values: Vec<&Value> = match v {
        Value::Array(list) if q.kind.is_multiple() => list.iter().collect(),
        one => vec![one],
    };
    let other_text = |v: &Value| q.kind.choice_list().is_some_and(|c| c.is_other_text(v));
    for v in values {
        if !one_of(v, items, &special) && !other_text(v) {
            out.push((key.to_string(), format!("{v} is not one of the question's choices")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(src: &str, answers: serde_json::Value) -> Vec<(String, String)> {
        let loaded = crate::load(src);
        let form = loaded.form.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        validate(&form, answers.as_object().unwrap()).into_iter().map(|e| (e.question.clone(), e.message("en"))).collect()
    }

    #[test]
    fn a_submitted_other_text_in_place_of_a_choice_is_accepted_only_with_store_others_as_comment_false() {
        let form = |store: bool| {
            format!(
                r#"{{"elements": [{{"type": "radiogroup", "name": "r", "choices": ["a"], "showOtherItem": true, "storeOthersAsComment": {store}}},
                {{"type": "checkbox", "name": "c", "choices": ["a"], "showOtherItem": true, "storeOthersAsComment": {store}}}]}}"#
            )
        };
        let answers = json!({"r": "xyz", "c": ["a", "xyz"]});
        let unexpected = |src: &str| unexpected(&crate::load(src).form.expect("loads"), answers.as_object().unwrap());
        assert!(unexpected(&form(false)).is_empty(), "{:?}", unexpected(&form(false)));
        assert_eq!(unexpected(&form(true)).len(), 2);
    }

    #[test]
    fn required_questions_need_a_real_answer() {
        let src = r#"{"elements": [
            {"type": "text", "name": "a", "isRequired": true},
            {"type": "checkbox", "name": "b", "isRequired": true, "choices": ["x"]},
            {"type": "boolean", "name": "c", "isRequired": true, "requiredErrorText": {"default": "Chọn có hoặc không", "en": "Pick yes or no"}},
            {"type": "text", "name": "d"}
        ]}"#;
        let names = |v| errors(src, v).into_iter().map(|(q, _)| q).collect::<Vec<_>>();
        assert_eq!(names(json!({})), ["a", "b", "c"]);
        assert_eq!(names(json!({"a": "  ", "b": [], "c": null})), ["a", "b", "c"]);
        assert!(names(json!({"a": "Hà", "b": ["x"], "c": false})).is_empty());
        assert_eq!(errors(src, json!({"a": "x", "b": ["x"]}))[0].1, "Pick yes or no");
    }

    #[test]
    fn a_ranking_counts_its_ranked_options_and_a_range_slider_its_two_ends() {
        // survey-core 2.5.43: minSelectedChoices counts even an unanswered ranking; an unanswered required one says "required" alone.
        let src = r#"{"elements": [
            {"type": "ranking", "name": "r", "choices": ["a", "b", "c"], "selectToRankEnabled": true, "minSelectedChoices": 2, "maxSelectedChoices": 2},
            {"type": "ranking", "name": "q", "choices": ["a", "b"], "isRequired": true, "minSelectedChoices": 1},
            {"type": "slider", "name": "s", "sliderType": "range", "min": 0, "max": 10}
        ]}"#;
        let names = |v| errors(src, v).into_iter().map(|(q, m)| format!("{q}: {m}")).collect::<Vec<_>>();
        assert_eq!(names(json!({})), ["r: Please choose at least 2.", "q: Please answer this question."]);
        assert_eq!(names(json!({"r": ["c"], "q": ["b", "a"]})), ["r: Please choose at least 2."]);
        assert_eq!(names(json!({"r": ["c", "a", "b"], "q": ["b", "a"]})), ["r: Please choose no more than 2."]);
        assert!(names(json!({"r": ["c", "a"], "q": ["b", "a"], "s": [2, 7]})).is_empty());
        assert_eq!(names(json!({"r": ["c", "a"], "q": ["b", "a"], "s": [2, 17]})), ["s: The value must be between 0 and 10."]);
        assert_eq!(names(json!({"r": ["c", "a"], "q": ["b", "a"], "s": [7, 2]}))[0].split(':').next(), Some("s"));
        assert_eq!(names(json!({"r": ["c", "x"], "q": ["b", "a"]})), [] as [String; 0], "an unknown option is `unexpected`'s to name");
    }

    #[test]
    fn a_checkbox_and_a_tagbox_count_their_chosen_options_as_survey_core() {
        // survey-core 2.5.43: minSelectedChoices counts even unanswered, after "required"; "None" alone
        // is enough; more than maxSelectedChoices is not an error (the options are disabled, nothing refused).
        let src = r#"{"elements": [
            {"type": "checkbox", "name": "c", "choices": ["a", "b", "c"], "showNoneItem": true, "minSelectedChoices": 2, "maxSelectedChoices": 2},
            {"type": "tagbox", "name": "t", "choices": ["a", "b", "c"], "isRequired": true, "minSelectedChoices": 2},
            {"type": "matrixdynamic", "name": "g", "columns": [{"name": "x", "cellType": "checkbox", "choices": ["a", "b"], "minSelectedChoices": 2}]}
        ]}"#;
        let names = |v| errors(src, v).into_iter().map(|(q, m)| format!("{q}: {m}")).collect::<Vec<_>>();
        assert_eq!(names(json!({})), ["c: Please choose at least 2.", "t: Please answer this question.", "t: Please choose at least 2."]);
        assert_eq!(names(json!({"c": ["a"], "t": ["b"]})), ["c: Please choose at least 2.", "t: Please choose at least 2."]);
        assert!(names(json!({"c": ["none"], "t": ["a", "b", "c"]})).is_empty());
        assert!(names(json!({"c": ["a", "b", "c"], "t": ["a", "c"]})).is_empty(), "over the maximum is not refused");
        assert_eq!(names(json!({"c": ["none"], "t": ["a", "c"], "g": [{"x": ["a"]}]})), ["g[0].x: Please choose at least 2."]);
        let vi = crate::load(src).form.unwrap();
        assert_eq!(validate(&vi, json!({"c": ["none"], "t": ["a"]}).as_object().unwrap())[0].message("vi"), "Vui lòng chọn ít nhất 2 mục.");
    }

    #[test]
    fn a_matrix_with_each_row_required_needs_every_shown_row() {
        // survey-core 2.5.43: checked answered or not, after "required"; a hidden row does not count.
        let src = r#"{"elements": [
            {"type": "boolean", "name": "more"},
            {"type": "matrix", "name": "m", "rows": ["r1", "r2", {"value": "r3", "visibleIf": "{more} = true"}], "columns": ["1", "2"], "eachRowRequired": true},
            {"type": "matrix", "name": "n", "rows": ["r1", "r2"], "columns": ["1", "2"], "isAllRowRequired": true, "isRequired": true},
            {"type": "paneldynamic", "name": "p", "templateElements": [{"type": "matrix", "name": "k", "rows": ["a", "b"], "columns": ["1"], "eachRowRequired": true}]}
        ]}"#;
        let all = "Response required: answer questions in all rows.";
        let names = |v| errors(src, v).into_iter().map(|(q, m)| format!("{q}: {m}")).collect::<Vec<_>>();
        assert_eq!(names(json!({})), [format!("m: {all}"), "n: Please answer this question.".into(), format!("n: {all}")]);
        assert_eq!(names(json!({"m": {"r1": "1"}, "n": {"r1": "1", "r2": "2"}})), [format!("m: {all}")]);
        assert!(names(json!({"m": {"r1": "1", "r2": "2"}, "n": {"r1": "1", "r2": "2"}})).is_empty());
        assert_eq!(names(json!({"more": true, "m": {"r1": "1", "r2": "2"}, "n": {"r1": "1", "r2": "2"}})), [format!("m: {all}")]);
        assert_eq!(
            names(json!({"m": {"r1": "1", "r2": "2"}, "n": {"r1": "1", "r2": "2"}, "p": [{"k": {"a": "1", "b": "1"}}, {"k": {"a": "1"}}]})),
            [format!("p[1].k: {all}")]
        );
        let form = crate::load(src).form.unwrap();
        assert_eq!(
            validate(&form, json!({"n": {"r1": "1", "r2": "2"}}).as_object().unwrap())[0].message("vi"),
            "Vui lòng trả lời các câu hỏi trên tất cả các dòng."
        );
    }

    #[test]
    fn month_week_and_color_inputs_give_text_and_months_and_weeks_keep_their_limits() {
        let src = r#"{"elements": [
            {"type": "text", "name": "m", "inputType": "month", "min": "2026-01", "max": "2026-12"},
            {"type": "text", "name": "w", "inputType": "week", "min": "2026-W02"},
            {"type": "text", "name": "c", "inputType": "color"}
        ]}"#;
        assert!(crate::load(src).diagnostics.is_empty(), "no warning: {:?}", crate::load(src).diagnostics);
        assert!(errors(src, json!({"m": "2026-11", "w": "2026-W48", "c": "#1a7f37"})).is_empty());
        let names = |v| errors(src, v).into_iter().map(|(q, _)| q).collect::<Vec<_>>();
        assert_eq!(names(json!({"m": "2027-01", "w": "2026-W01"})), ["m", "w"]);
    }

    #[test]
    fn hidden_questions_are_not_checked_and_required_if_applies() {
        let src = r#"{"elements": [
            {"type": "radiogroup", "name": "u", "choices": ["low", "high"]},
            {"type": "comment", "name": "p", "requiredIf": "{u} = 'high'"},
            {"type": "text", "name": "h", "isRequired": true, "visibleIf": "{u} = 'low'"}
        ]}"#;
        assert_eq!(errors(src, json!({"u": "high"})), [("p".to_string(), "Please answer this question.".to_string())]);
        assert_eq!(errors(src, json!({"u": "low"})), [("h".to_string(), "Please answer this question.".to_string())]);
    }

    #[test]
    fn validators_and_limits() {
        let src = r#"{"elements": [
            {"type": "text", "name": "n", "inputType": "number", "min": 0, "max": 120},
            {"type": "text", "name": "m", "validators": [{"type": "numeric", "minValue": 10}]},
            {"type": "text", "name": "t", "validators": [{"type": "text", "minLength": 3, "maxLength": 5}]},
            {"type": "checkbox", "name": "c", "choices": ["a", "b", "c"], "validators": [{"type": "answercount", "maxCount": 2}]},
            {"type": "text", "name": "r", "validators": [{"type": "regex", "regex": "^0\\d{9}$", "text": "Số điện thoại gồm 10 chữ số"}]},
            {"type": "text", "name": "e", "validators": [{"type": "email"}]},
            {"type": "text", "name": "x", "validators": [{"type": "expression", "expression": "{x} != {t}"}]},
            {"type": "radiogroup", "name": "o", "choices": ["a"], "showOtherItem": true}
        ]}"#;
        let got = errors(
            src,
            json!({"n": 130, "m": "9", "t": "ab", "c": ["a", "b", "c"], "r": "12345", "e": "not-an-email", "x": "ab", "o": "other"}),
        );
        assert_eq!(
            got,
            [
                ("n", "The value must be between 0 and 120."),
                ("m", "The value must be at least 10."),
                ("t", "Please enter at least 3 characters."),
                ("c", "Please choose no more than 2."),
                ("r", "Số điện thoại gồm 10 chữ số"),
                ("e", "Please enter a valid email address."),
                ("x", "The answer is not valid."),
                ("o", "Please describe your other answer."),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let ok = errors(
            src,
            json!({"n": "42", "m": 10, "t": "abcd", "c": ["a"], "r": "0912345678", "e": "lan@example.vn", "x": "z", "o": "other", "o-Comment": "Tiktok"}),
        );
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn paneldynamic_repeats_are_checked_one_by_one() {
        let src = r#"{"elements": [{"type": "paneldynamic", "name": "members", "minPanelCount": 1, "templateElements": [
            {"type": "text", "name": "name", "isRequired": true},
            {"type": "text", "name": "job", "isRequired": true, "visibleIf": "{panel.name} notempty"}]}]}"#;
        assert_eq!(errors(src, json!({})), [("members".to_string(), "Please add at least 1.".to_string())]);
        let got: Vec<String> = errors(src, json!({"members": [{"name": "Lan"}, {}]})).into_iter().map(|(q, _)| q).collect();
        assert_eq!(got, ["members[0].job", "members[1].name"]);
    }

    #[test]
    fn a_boolean_takes_only_what_survey_core_stores_for_yes_and_no() {
        let src = r#"{"elements": [{"type": "boolean", "name": "s", "valueTrue": "yes", "valueFalse": "no"}, {"type": "boolean", "name": "b"},
            {"type": "matrixdropdown", "name": "m", "rows": ["r"], "columns": [{"name": "k", "cellType": "boolean", "valueTrue": 1, "valueFalse": 0}]}]}"#;
        assert!(errors(src, json!({"s": "yes", "b": true, "m": {"r": {"k": 0}}})).is_empty());
        assert!(errors(src, json!({"s": "no", "b": false, "m": {"r": {"k": 1}}})).is_empty());
        let got: Vec<String> = errors(src, json!({"s": true, "b": "yes", "m": {"r": {"k": false}}})).into_iter().map(|(q, _)| q).collect();
        assert_eq!(got, ["s", "b", "m[0].k"]);
    }

    #[test]
    fn repeats_inside_repeats_are_checked_and_named_by_their_path() {
        let src = r#"{"elements": [{"type": "paneldynamic", "name": "households", "templateElements": [
            {"type": "boolean", "name": "rented"},
            {"type": "panel", "name": "lease", "visibleIf": "{panel.rented} = true", "elements": [
                {"type": "text", "name": "landlord", "isRequired": true}]},
            {"type": "paneldynamic", "name": "members", "minPanelCount": 1, "templateElements": [
                {"type": "text", "name": "name", "isRequired": true},
                {"type": "text", "name": "share", "isRequired": true, "visibleIf": "{parentPanel.rented} = true"}]}]}]}"#;
        let got: Vec<String> = errors(src, json!({"households": [{"rented": true, "members": [{"name": "Lan"}, {}]}, {}]}))
            .into_iter()
            .map(|(q, _)| q)
            .collect();
        assert_eq!(
            got,
            [
                "households[0].landlord",
                "households[0].members[0].share",
                "households[0].members[1].name",
                "households[0].members[1].share",
                "households[1].members"
            ]
        );
        assert!(errors(src, json!({"households": [{"rented": false, "members": [{"name": "Lan"}]}]})).is_empty());
        let form = crate::load(src).form.unwrap();
        let odd = unexpected(&form, json!({"households": [{"landlord": "B", "members": [{"name": "L", "age": 3}]}]}).as_object().unwrap());
        assert_eq!(odd, [("households[0].members[0].age".to_string(), "the form has no question of this name".to_string())]);
    }

    #[test]
    fn dates_lists_and_boxes() {
        let src = r#"{"elements": [
            {"type": "text", "name": "d", "inputType": "date", "min": "2024-01-01", "max": "2026-12-31"},
            {"type": "checkbox", "name": "c", "choices": ["a1", "b2", "zz"], "validators": [{"type": "regex", "regex": "^[a-z]\\d$"}]},
            {"type": "multipletext", "name": "m", "items": [{"name": "street", "isRequired": true}, "ward"]}
        ]}"#;
        assert_eq!(
            errors(src, json!({"d": "2023-05-01", "c": ["a1", "zz"]})),
            [
                ("d".to_string(), "Please enter a value from 2024-01-01 to 2026-12-31.".to_string()),
                ("c".to_string(), "The answer is not in the expected format.".to_string()),
                ("m.street".to_string(), "Please answer this question.".to_string()),
            ]
        );
        assert!(errors(src, json!({"d": "2025-05-01", "c": ["a1", "b2"], "m": {"street": "Lê Lợi"}})).is_empty());
    }

    #[test]
    fn what_no_phone_would_send_is_named() {
        let form = crate::load(
            r#"{"elements": [
            {"type": "radiogroup", "name": "kenh", "choices": ["zalo", {"value": 2, "text": "Hai"}], "showOtherItem": true},
            {"type": "checkbox", "name": "ds", "choices": ["a", "b"]},
            {"type": "matrix", "name": "m", "rows": ["r1"], "columns": [1, 2]},
            {"type": "paneldynamic", "name": "ho", "templateElements": [{"type": "dropdown", "name": "gioi", "choices": ["nam", "nu"]}]}
        ], "calculatedValues": [{"name": "tong", "expression": "1", "includeIntoResult": true}]}"#,
        )
        .form
        .expect("valid");
        let fine = json!({"kenh": "other", "kenh-Comment": "Tiktok", "ds": ["a", "b"], "m": {"r1": 2}, "ho": [{"gioi": "nu"}], "tong": 1, "KENH": "zalo"});
        assert_eq!(unexpected(&form, fine.as_object().expect("an object")), Vec::<(String, String)>::new());
        assert_eq!(unexpected(&form, json!({"kenh": "2"}).as_object().expect("an object")), Vec::<(String, String)>::new(), "2 as text");
        let bad = json!({"kenh": "facebook", "ds": ["a", "z"], "m": {"r9": 1, "r1": 5}, "ho": [{"gioi": "x", "extra": 1}], "who": "?"});
        let keys: Vec<String> = unexpected(&form, bad.as_object().expect("an object")).into_iter().map(|(k, _)| k).collect();
        for k in ["kenh", "ds", "m.r9", "m.r1", "ho[0].gioi", "ho[0].extra", "who"] {
            assert!(keys.iter().any(|x| x == k), "{k} in {keys:?}");
        }
        let no_other = crate::load(r#"{"elements": [{"type": "radiogroup", "name": "k", "choices": ["a"]}]}"#).form.expect("valid");
        assert_eq!(unexpected(&no_other, json!({"k": "other"}).as_object().expect("an object")).len(), 1, "Other only where offered");
    }

    #[test]
    fn messages_default_to_vietnamese() {
        let e = AnswerError { question: "a".into(), kind: ErrorKind::OutOfRange { min: Some(1.5), max: None }, text: None };
        assert_eq!(e.message("vi"), "Giá trị phải từ 1.5 trở lên.");
        assert_eq!(e.message("fr"), "Giá trị phải từ 1.5 trở lên.");
    }
}
