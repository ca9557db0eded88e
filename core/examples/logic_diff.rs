//! phieu's side of `tests/expr-diff/logic-compare.mjs`: runs each case of a
//! cases file (a form and the steps a person takes: an answer set, Next,
//! Previous, a repeat added or removed) through a [`Session`] and prints, per case, one JSON line with
//! the state after each step: the data (answers and computed values, as
//! SurveyJS's `survey.data` holds them), the questions shown, the page, and
//! whether the form is complete. `logic-surveyjs.mjs` prints the same from
//! survey-core.
//!
//!     cargo run -q -p phieu-core --example logic_diff -- tests/expr-diff/logic/cases.json

use phieu_core::expr::{date_parse, Clock};
use phieu_core::form::{value_text, Kind};
use phieu_core::{logic, session, Session, Target};
use serde_json::{json, Value};

fn clock() -> Clock {
    Clock { now_ms: date_parse("2026-11-26T10:00:00Z", &Clock::default()), utc_offset_min: 0.0 }
}

fn run(case: &Value) -> Value {
    let name = case["name"].clone();
    let text = serde_json::to_string(&case["form"]).unwrap_or_default();
    // `choicesByUrl`: the case's lists by address, as the phone fetches them.
    let lists: Vec<phieu_core::read::List> =
        case["lists"].as_object().into_iter().flatten().map(|(a, t)| (a.clone(), Ok(t.as_str().unwrap_or("").to_string()))).collect();
    let loaded = phieu_core::load_with(&text, &lists);
    let Some(form) = loaded.form else {
        let errors: Vec<String> = loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
        return json!({"name": name, "error": errors});
    };
    let start = session::defaults(&form);
    let mut s = Session::new(form, start, clock);
    s.fill_default_expressions();
    let mut page = s.visible_pages().first().copied().unwrap_or(0);
    let mut completed = false;
    let mut states = Vec::new();
    for step in case["steps"].as_array().into_iter().flatten() {
        if step["next"] == json!(true) {
            if s.check_page(page).is_empty() {
                match s.visible_pages().into_iter().find(|&p| p > page) {
                    _ if s.completes_on(page) => completed = true,
                    Some(p) => page = p,
                    None => completed = s.check().is_empty(),
                }
            }
        } else if step["prev"] == json!(true) {
            if let Some(p) = s.visible_pages().into_iter().rev().find(|&p| p < page) {
                page = p;
            }
        } else if let Some(dynamic) = step["add"].as_str() {
            s.add_repeat(dynamic);
        } else if let Some(dynamic) = step["remove"].as_str() {
            s.remove_repeat(dynamic, step["index"].as_u64().unwrap_or(0) as usize);
        } else if let (Some(q), Some(text)) = (step["other"].as_str(), step["text"].as_str()) {
            // The "Other" text typed, as the app's box writes it (storeOthersAsComment: false: into the answer).
            let q = s.canonical(q).to_string();
            let list = s.form.elements().iter().find(|e| e.name == q).and_then(|e| e.kind.choice_list()).cloned();
            match list.filter(|l| l.other_as_value) {
                Some(l) => s.set(&q, l.with_other_text(l.shown(s.answers.get(&q).cloned()), text)),
                None => s.set(&phieu_core::answers::comment_key(&q), Some(json!(text)).filter(|_| !text.is_empty())),
            };
        } else if let Some(q) = step["set"].as_str() {
            let v = step.get("value").cloned().filter(|v| !v.is_null());
            let changes = match q.split_once('[') {
                // A question in a repeat, as the app sets it: the answer at the top, with that repeat changed.
                Some((top, _)) => {
                    let top = s.canonical(top).to_string();
                    let mut one: phieu_core::Answers = s.answers.get(&top).map(|v| (top.clone(), v.clone())).into_iter().collect();
                    // A matrixdropdown's row by its value (`m[r1].a`): the matrix is an object of rows.
                    let by_value = q.split_once('[').and_then(|(_, r)| r.split(']').next()).is_some_and(|r| r.parse::<usize>().is_err());
                    if by_value {
                        one.entry(top.clone()).or_insert_with(|| json!({}));
                    }
                    phieu_core::answers::put_at(&mut one, q, v);
                    s.set(&top, one.remove(&top))
                }
                None => {
                    let q = s.canonical(q).to_string();
                    s.set(&q, v)
                }
            };
            if let Some(p) = changes.skip_to.as_deref().filter(|to| logic::is_visible(&s.form, &s.state, to)).and_then(|to| s.page_of(to)) {
                page = p;
            }
        }
        // Once complete, what is submitted: survey-core clears what is hidden then.
        let mut data = if completed { s.result() } else { s.answers.clone() };
        // A matrix as survey-core's data holds it: expression cells in its rows, its totals beside it (in repeats too).
        if !completed {
            let top: Vec<phieu_core::Element> = s.form.questions().cloned().collect();
            grids_as_data(&s, &top, "", &mut data);
        }
        for q in s.form.questions() {
            if let (Kind::Expression { .. }, Some(v)) = (&q.kind, s.state.computed.get(&q.name)) {
                if !v.is_empty() {
                    data.insert(q.name.clone(), v.to_json());
                }
            }
        }
        for c in &s.form.calculated_values {
            if let (true, Some(v)) = (c.include_into_result, s.state.computed.get(&c.name)) {
                data.insert(c.name.clone(), v.to_json());
            }
        }
        let shown = logic::shown(&s.form, &s.state).into_vec();
        let page_name = (!completed).then(|| s.form.pages[page].name.clone());
        states
            .push(json!({"data": data, "shown": shown, "page": page_name, "completed": completed, "items": items(&s, !lists.is_empty())}));
    }
    json!({"name": name, "states": states})
}

/// Every matrix among `questions` (in `data`, the answers or a repeat named
/// `within`), and in the repeats inside them, as survey-core's data holds it.
fn grids_as_data(s: &Session, questions: &[phieu_core::Element], within: &str, data: &mut phieu_core::Answers) {
    let clock = clock();
    for q in questions {
        let key = format!("{within}{}", q.name);
        match &q.kind {
            Kind::Grid(g) => {
                let value = s.logic.grid_value(&key, g, data.get(&q.name), &s.answers, &s.state, &clock);
                if let Some(t) = s.totals(&key) {
                    data.insert(phieu_core::form::total_key(&q.name), t);
                }
                phieu_core::answers::put(data, &q.name, value);
            }
            Kind::PanelDynamic { template, .. } => {
                let inner: Vec<phieu_core::Element> = phieu_core::form::answered_in(template, &|_| true).into_iter().cloned().collect();
                for (i, repeat) in data.get_mut(&q.name).and_then(Value::as_array_mut).into_iter().flatten().enumerate() {
                    if let Some(repeat) = repeat.as_object_mut() {
                        grids_as_data(s, &inner, &format!("{key}[{i}]."), repeat);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The options each choice question offers now, as written (a disabled one
/// marked), and each matrix's rows and columns shown: what
/// logic-surveyjs.mjs reads from `visibleChoices`, `visibleRows` and `visibleColumns`.
/// With `texts`, each option as `value=text` (the default language's).
fn items(s: &Session, texts: bool) -> Value {
    let mut out = serde_json::Map::new();
    for q in s.form.questions() {
        if let Some(list) = q.kind.choice_list() {
            let n = list.items.len();
            let chosen = match s.answers.get(&q.name) {
                Some(Value::Array(a)) => a.clone(),
                _ => Vec::new(),
            };
            let holds = |t: Target| s.holds(&t, true);
            let shown: Vec<String> = (0..n)
                .filter(|&i| holds(Target::ChoiceVisible(q.name.clone(), i)) && holds(Target::ChoiceVisible(q.name.clone(), n + i)))
                .map(|i| {
                    let mut v = value_text(&list.items[i].value);
                    if texts {
                        v = format!("{v}={}", list.items[i].text.get(""));
                    }
                    if holds(Target::ChoiceEnabled(q.name.clone(), i))
                        && holds(Target::ChoiceEnabled(q.name.clone(), n + i))
                        && !list.full_for(&chosen, &list.items[i].value)
                    {
                        v
                    } else {
                        format!("{v} (disabled)")
                    }
                })
                .collect();
            out.insert(q.name.clone(), json!(shown));
        }
        if let Kind::Grid(g) = &q.kind {
            let n = g.rows.as_ref().map_or_else(|| s.answers.get(&q.name).and_then(Value::as_array).map_or(0, Vec::len), Vec::len);
            let shown: Vec<usize> = (0..n)
                .filter(|&i| g.rows.is_none() || logic::item_shown(|t| s.holds(&t, true), Target::RowVisible, &q.name, n, i))
                .collect();
            if let Some(rows) = &g.rows {
                out.insert(format!("{}.rows", q.name), json!(shown.iter().map(|&i| value_text(&rows[i].value)).collect::<Vec<_>>()));
            }
            let cells: Vec<Vec<String>> = shown
                .iter()
                .map(|&i| {
                    let rules = s.panel(&q.name, i);
                    let holds = |t: Target, d: bool| rules.get(&t).map_or(d, phieu_core::expr::is_true);
                    g.columns
                        .iter()
                        .filter(|c| holds(Target::Visible(c.name.clone()), true))
                        .map(|c| {
                            let required = c.is_required || holds(Target::Required(c.name.clone()), false);
                            let disabled = c.read_only || !holds(Target::Enabled(c.name.clone()), true);
                            format!("{}{}{}", c.name, if required { "*" } else { "" }, if disabled { " (disabled)" } else { "" })
                        })
                        .collect()
                })
                .collect();
            out.insert(format!("{}.cells", q.name), json!(cells));
        }
        if let Kind::Matrix { rows, columns, .. } = &q.kind {
            for (key, make, items) in
                [("rows", Target::RowVisible as fn(String, usize) -> Target, rows), ("columns", Target::ColumnVisible, columns)]
            {
                let shown: Vec<String> = (0..items.len())
                    .filter(|&i| logic::item_shown(|t| s.holds(&t, true), make, &q.name, items.len(), i))
                    .map(|i| value_text(&items[i].value))
                    .collect();
                out.insert(format!("{}.{key}", q.name), json!(shown));
            }
        }
    }
    Value::Object(out)
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "tests/expr-diff/logic/cases.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    for c in &cases {
        println!("{}", run(c));
    }
}
