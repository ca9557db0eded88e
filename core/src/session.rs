//! One person filling in one form: the form, its logic, the answers so far
//! and what the logic makes of them, kept together so that every caller
//! changes an answer, checks a page or builds the submission the same way.
//!
//! The app wraps a `Session` with its reactive triggers; tests and the
//! benchmarks drive it directly.

use crate::answers::{name_key, put, same_name, Answers};
use crate::expr::{Clock, Val};
use crate::form::{Element, Form, InputType, Kind};
use crate::logic::{Logic, State, Target};
use crate::validate::AnswerError;
use serde_json::Value;
use std::collections::HashMap;

pub struct Session {
    pub form: Form,
    pub logic: Logic,
    /// What the rules make of the answers now.
    pub state: State,
    pub answers: Answers,
    /// The time, read whenever a rule may need it (`today()`, `age()`).
    pub clock: fn() -> Clock,
    /// The page each top-level answer is asked on, by [`name_key`].
    pages: HashMap<String, usize>,
}

impl Session {
    pub fn new(form: Form, answers: Answers, clock: fn() -> Clock) -> Session {
        let logic = Logic::compile(&form);
        let state = logic.evaluate_all(&answers, &clock());
        let pages = pages_of(&form);
        Session { form, logic, state, answers, clock, pages }
    }

    /// Stores an answer (or clears it) and re-evaluates what depends on it;
    /// returns the rules whose outcome changed.
    pub fn set(&mut self, name: &str, value: Option<Value>) -> Vec<Target> {
        put(&mut self.answers, name, value);
        self.logic.update(&mut self.state, &self.answers, &(self.clock)(), name)
    }

    /// Whether a rule holds (`default` when the form has none about it).
    pub fn holds(&self, target: &Target, default: bool) -> bool {
        self.state.holds(target, default)
    }

    /// Every problem with the answers, in the order the questions appear.
    pub fn check(&self) -> Vec<AnswerError> {
        crate::validate::check(&self.form, &self.logic, &self.state, &self.answers, &(self.clock)())
    }

    /// The problems on one page.
    pub fn check_page(&self, page: usize) -> Vec<AnswerError> {
        self.check().into_iter().filter(|p| self.page_of(&p.question) == Some(page)).collect()
    }

    /// What is submitted: hidden answers left out, computed values added.
    pub fn result(&self) -> Answers {
        crate::logic::result(&self.form, &self.logic, &self.state, &self.answers, &(self.clock)())
    }

    /// The outcomes of a paneldynamic's template rules for one repeat.
    pub fn panel(&self, dynamic: &str, index: usize) -> HashMap<Target, Val> {
        self.logic.evaluate_panel(dynamic, index, &self.answers, &self.state, &(self.clock)())
    }

    /// A question's or calculated value's name as the form writes it, for a
    /// name as a text refers to it (`{đơn_vị}` for `Đơn_vị`); else `name`.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        match self.form.question(name) {
            Some(q) => &q.name,
            None => self.state.computed.keys().find(|k| same_name(k, name)).map_or(name, String::as_str),
        }
    }

    /// The pages shown now, in order.
    pub fn visible_pages(&self) -> Vec<usize> {
        (0..self.form.pages.len()).filter(|&i| self.holds(&Target::PageVisible(i), true)).collect()
    }

    /// The page a question is asked on: `name`, or `dynamic[i].name` for one in a repeat.
    pub fn page_of(&self, key: &str) -> Option<usize> {
        self.pages.get(name_key(key.split('[').next().unwrap_or(key)).as_ref()).copied()
    }

    /// What `defaultValueExpression` gives for questions not yet answered,
    /// as each question's input holds it (a date as `YYYY-MM-DD`).
    pub fn default_expressions(&self) -> Vec<(String, Value)> {
        let clock = (self.clock)();
        self.form
            .questions()
            .filter(|q| q.default_value_expression.is_some() && !self.answers.contains_key(&q.name))
            .filter_map(|q| {
                let v = self.state.value(&Target::Default(q.name.clone())).filter(|v| !v.is_empty())?;
                let input_type = match q.kind {
                    Kind::Text { input_type, .. } => input_type,
                    _ => InputType::Text,
                };
                Some((q.name.clone(), crate::display::for_input(v, input_type, &clock)))
            })
            .collect()
    }

    /// Fills [`Self::default_expressions`] in (a new report only); returns the names filled.
    pub fn fill_default_expressions(&mut self) -> Vec<String> {
        self.default_expressions()
            .into_iter()
            .map(|(name, v)| {
                self.set(&name, Some(v));
                name
            })
            .collect()
    }
}

/// A new report's answers: each question's `defaultValue`, and one empty
/// repeat per `panelCount` of a paneldynamic.
pub fn defaults(form: &Form) -> Answers {
    fn add(q: &Element, a: &mut Answers) {
        match &q.kind {
            Kind::Panel { elements } => elements.iter().for_each(|e| add(e, a)),
            Kind::PanelDynamic { initial, .. } if *initial > 0 && q.default_value.is_none() => {
                a.insert(q.name.clone(), Value::Array(vec![Value::Object(Default::default()); *initial as usize]));
            }
            _ => {
                if let Some(v) = q.default_value.clone() {
                    a.insert(q.name.clone(), v);
                }
            }
        }
    }
    let mut a = Answers::new();
    for q in form.pages.iter().flat_map(|p| &p.elements) {
        add(q, &mut a);
    }
    a
}

fn pages_of(form: &Form) -> HashMap<String, usize> {
    fn walk(es: &[Element], page: usize, out: &mut HashMap<String, usize>) {
        for e in es {
            out.insert(name_key(&e.name).into_owned(), page);
            if let Kind::Panel { elements } = &e.kind {
                walk(elements, page, out);
            }
        }
    }
    let mut out = HashMap::new();
    for (i, p) in form.pages.iter().enumerate() {
        walk(&p.elements, i, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clock() -> Clock {
        Clock { now_ms: crate::expr::date_parse("2026-11-26T10:00:00Z", &Clock::default()), utc_offset_min: 420.0 }
    }

    fn session(src: &str) -> Session {
        let form = crate::load(src).form.expect("a valid form");
        let start = defaults(&form);
        Session::new(form, start, clock)
    }

    const TWO_PAGES: &str = r#"{"pages": [
        {"name": "p1", "elements": [
            {"type": "text", "name": "Tên", "isRequired": true},
            {"type": "boolean", "name": "more"},
            {"type": "paneldynamic", "name": "members", "panelCount": 2, "templateElements": [
                {"type": "text", "name": "age", "isRequired": true, "visibleIf": "{panel.name} notempty"},
                {"type": "text", "name": "name"}]}]},
        {"name": "p2", "visibleIf": "{more} = true", "elements": [
            {"type": "text", "name": "detail", "isRequired": true},
            {"type": "text", "name": "day", "inputType": "date", "defaultValueExpression": "today()"}]}
    ]}"#;

    #[test]
    fn pages_follow_the_answers_and_problems_are_found_per_page() {
        let mut s = session(TWO_PAGES);
        assert_eq!(s.answers.get("members"), Some(&json!([{}, {}])), "panelCount makes empty repeats");
        assert_eq!(s.visible_pages(), [0]);
        let changed = s.set("more", Some(json!(true)));
        assert!(changed.contains(&Target::PageVisible(1)), "{changed:?}");
        assert_eq!(s.visible_pages(), [0, 1]);
        let names = |errs: Vec<AnswerError>| errs.into_iter().map(|e| e.question).collect::<Vec<_>>();
        assert_eq!(names(s.check_page(0)), ["Tên"]);
        assert_eq!(names(s.check_page(1)), ["detail"]);
        s.set("members", Some(json!([{"name": "Lan"}, {}])));
        assert_eq!(names(s.check_page(0)), ["Tên", "members[0].age"]);
        assert_eq!(s.page_of("members[0].age"), Some(0));
        assert_eq!(s.page_of("tên"), Some(0), "names match as everywhere else");
        assert!(s.panel("members", 0).get(&Target::Visible("age".into())).is_some_and(crate::expr::is_true));
    }

    #[test]
    fn a_name_as_a_text_refers_to_it_finds_the_name_as_written() {
        let s = session(
            r#"{"elements": [{"type": "text", "name": "Đơn_vị"}, {"type": "text", "name": "x", "title": "{đơn_vị}"}],
            "calculatedValues": [{"name": "Tổng", "expression": "1"}]}"#,
        );
        assert_eq!(s.canonical("đơn_vị"), "Đơn_vị");
        assert_eq!(s.canonical("tỔNG"), "Tổng");
        assert_eq!(s.canonical("nothing"), "nothing");
    }

    #[test]
    fn defaults_by_expression_fill_only_what_is_unanswered() {
        let mut s = session(TWO_PAGES);
        assert_eq!(s.fill_default_expressions(), ["day"]);
        assert_eq!(s.answers.get("day"), Some(&json!("2026-11-26")));
        s.set("day", Some(json!("2026-01-02")));
        assert!(s.fill_default_expressions().is_empty());
        assert_eq!(s.answers.get("day"), Some(&json!("2026-01-02")));
    }

    #[test]
    fn the_result_leaves_out_a_hidden_page() {
        let mut s = session(TWO_PAGES);
        s.set("Tên", Some(json!("Lan")));
        s.set("more", Some(json!(true)));
        s.set("detail", Some(json!("x")));
        assert!(s.result().contains_key("detail"));
        s.set("more", Some(json!(false)));
        assert!(!s.result().contains_key("detail"));
        s.set("Tên", None);
        assert!(!s.answers.contains_key("Tên"), "a cleared answer has no key");
    }
}
