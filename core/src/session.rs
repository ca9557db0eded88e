//! One person filling in one form: the form, its logic, the answers so far
//! and what the logic makes of them, kept together so that every caller
//! changes an answer, checks a page or builds the submission the same way.
//!
//! A change runs what SurveyJS runs after it, in its order: the rules that
//! read the answer (visibility, computed values, and `defaultValueExpression`
//! of answers the person has not changed), then the questions' value rules
//! (`resetValueIf`, `setValueIf`/`setValueExpression`), then the survey's
//! triggers. Answers those change run the same again; survey triggers run
//! in passes, as SurveyJS's do (at most three, each seeing the answers the
//! previous one changed).
//!
//! The app wraps a `Session` with its reactive triggers; tests and the
//! benchmarks drive it directly.

use crate::answers::{is_empty, name_key, put, same_name, Answers};
use crate::expr::{self, Clock, Expr, Val};
use crate::form::{value_text, Action, Element, Form, InputType, Kind, NONE_VALUE, OTHER_VALUE};
use crate::logic::{item_shown, Logic, State, Target, Values};
use crate::sort::{position, HashMap};
use crate::validate::AnswerError;
use serde_json::Value;

pub struct Session {
    pub form: Form,
    pub logic: Logic,
    /// What the rules make of the answers now.
    pub state: State,
    pub answers: Answers,
    /// The time, read whenever a rule may need it (`today()`, `age()`).
    pub clock: fn() -> Clock,
    /// The page each top-level answer is asked on, by [`name_key`], sorted by it.
    pages: Vec<(String, usize)>,
    /// Questions with a `defaultValueExpression` whose answer was changed
    /// otherwise (by the person, a trigger or a value rule): it is no longer
    /// recomputed. By [`name_key`].
    /// A list (each key once), not a set: short, and a set's code costs the phone kilobytes.
    changed: Vec<String>,
    /// While the survey's triggers run: the answers changed so far, which the
    /// next trigger sees (SurveyJS's `triggerKeys`).
    keys: Option<Vec<Key>>,
    /// How deep changes cascade, against forms whose rules feed each other.
    depth: u32,
    /// Options of a list answer that [`Self::drop_unoffered`] took out, by
    /// [`name_key`]: put back if they are offered again before the answer
    /// is changed otherwise (survey-core's `invisibleOldValues`).
    /// A list, not a map: it is short, and a map of another type costs the phone a kilobyte.
    dropped: Vec<(String, Vec<Value>)>,
    /// Masked boxes (by the key errors name them with) whose text makes no
    /// answer yet: checking reports them, as survey-core does.
    incomplete: Vec<String>,
    /// Whether a paneldynamic template has value rules (`defaultValueExpression` too).
    repeat_rules: bool,
    /// While a repeat is added or removed: no other repeat's answers changed.
    reshaped: bool,
    /// The questions whose answer is being stored, with all it sets off
    /// (`q`, `m[0].q`, by [`name_key`]): their own value rules wait, as
    /// survey-core's `isSettingQuestionValue` holds them.
    setting: Vec<String>,
    /// A repeat being added (`m[2]`) and the names of its questions built so far.
    building: Option<(String, Vec<String>)>,
}

/// One repeat as [`Session::reached`] finds it.
struct Reached {
    /// The paneldynamic as [`Logic::evaluate_panel`] names it (`m`, `outer[0].inner`).
    dynamic: String,
    index: usize,
    /// A matrixdropdown's row: its value, which keys its cells (`m[r1].a`).
    row: Option<String>,
    /// What changed in it and in the repeats around it (`panel.q`, or `row.q` in a matrix; lower case).
    keys: Vec<String>,
    /// Its template's questions the caller wanted, by position in the list returned beside.
    template: usize,
}

/// A changed answer as triggers see it: its name (lower case) and its new value.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    name: String,
    value: Option<Value>,
    old: Option<Value>,
}

/// What one change did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// The rules whose outcome changed.
    pub rules: Vec<Target>,
    /// The answers that changed, the one set first.
    pub answers: Vec<String>,
    /// A `skip` trigger fired: the question to go to.
    pub skip_to: Option<String>,
}

/// Past this depth a cascade stops: rules that set each other forever
/// would otherwise never end (SurveyJS overflows its stack).
const MAX_DEPTH: u32 = 16;

impl Session {
    pub fn new(form: Form, mut answers: Answers, clock: fn() -> Clock) -> Session {
        for p in &form.pages {
            fill_cells(&p.elements, &mut answers);
        }
        let logic = Logic::compile(&form);
        let state = logic.evaluate_all(&answers, &clock());
        let pages = pages_of(&form);
        let mut s = Session {
            form,
            logic,
            state,
            answers,
            clock,
            pages,
            changed: Vec::new(),
            keys: None,
            depth: 0,
            dropped: Vec::new(),
            incomplete: Vec::new(),
            repeat_rules: false,
            reshaped: false,
            setting: Vec::new(),
            building: None,
        };

        // As SurveyJS reads saved data: an answer that differs from what its
        // defaultValueExpression gives now was changed on purpose.
        let changed: Vec<String> = s
            .form
            .questions()
            .filter(|q| q.default_value_expression.is_some() && s.answers.get(&q.name).is_some())
            .filter(|q| s.default_of(q) != s.answers.get(&q.name).cloned())
            .map(|q| name_key(&q.name).into_owned())
            .collect();
        s.changed = changed;
        // The same in each repeat.
        let (templates, reached) = s.reached("", &Answers::new(), &|q| q.default_value_expression.is_some() || has_value_rules(q));
        s.repeat_rules = s.form.pages.iter().any(|p| rules_in_repeats(&p.elements, false));
        for r in reached {
            let outcomes = s.panel(&r.dynamic, r.index);
            for q in templates[r.template].iter().filter(|q| q.default_value_expression.is_some()) {
                let key = format!("{}[{}].{}", r.dynamic, r.index, q.name);
                let given = crate::answers::find(&s.answers, &key);
                if given.is_some() && given.cloned() != s.default_in(q, outcomes.get(&Target::Default(q.name.clone()))) {
                    s.changed.push(name_key(&key).into_owned());
                }
            }
        }
        s
    }

    /// The person changes an answer (or clears it): stores it and runs what
    /// depends on it.
    pub fn set(&mut self, name: &str, value: Option<Value>) -> Changes {
        let mut ch = Changes::default();
        self.store(name, value, false, &mut ch);
        ch
    }

    /// The person adds a repeat to paneldynamic `dynamic` (`m`, or
    /// `outer[0].inner`), or a row to a matrixdynamic (see [`crate::form::Grid::new_row`]): a repeat starts with its questions' `defaultValue` and
    /// `panelCount` repeats inside, then each `defaultValueExpression` in it
    /// computes from those and the answers around it, as survey-core fills a
    /// new panel. The value rules there run only for what those change.
    pub fn add_repeat(&mut self, dynamic: &str) -> Changes {
        let mut ch = Changes::default();
        let fresh = match self.dynamic_of(dynamic).map(|q| &q.kind) {
            Some(Kind::PanelDynamic { template, .. }) => new_repeat(template),
            // A matrixdynamic's new row.
            Some(Kind::Grid(g)) if g.rows.is_none() => g.new_row(),
            _ => return ch,
        };
        let mut list = crate::answers::find(&self.answers, dynamic).and_then(Value::as_array).cloned().unwrap_or_default();
        let at = format!("{dynamic}[{}]", list.len());
        list.push(fresh);
        self.reshaped = true;
        self.store_at(dynamic, Some(Value::Array(list)), false, &mut ch);
        self.reshaped = false;
        // As survey-core builds a panel: question by question, each
        // defaultValueExpression computed as its question joins, running the
        // value rules of those before it; then every one again, now that all are there.
        self.defaults_within(&at, true, &mut ch);
        self.defaults_within(&at, false, &mut ch);
        ch
    }

    /// The person removes repeat `index` of paneldynamic (or matrix) `dynamic`:
    /// what the later ones remember (answers changed by the person, options
    /// lost) moves up with them, as survey-core's panels keep theirs.
    pub fn remove_repeat(&mut self, dynamic: &str, index: usize) -> Changes {
        let mut ch = Changes::default();
        let mut list = crate::answers::find(&self.answers, dynamic).and_then(Value::as_array).cloned().unwrap_or_default();
        if index >= list.len() {
            return ch;
        }
        list.remove(index);
        let lower = name_key(dynamic).into_owned();
        self.changed = self.changed.iter().filter_map(|k| shift_after_removal(k, &lower, index)).collect();
        let dropped = std::mem::take(&mut self.dropped);
        self.dropped = dropped.into_iter().filter_map(|(k, v)| Some((shift_after_removal(&k, dynamic, index)?, v))).collect();
        self.reshaped = true;
        self.store_at(dynamic, Some(Value::Array(list)), false, &mut ch);
        self.reshaped = false;
        ch
    }

    /// A paneldynamic or matrix by its key (`m`, `outer[0].inner`).
    fn dynamic_of(&self, dynamic: &str) -> Option<&Element> {
        let mut es: Vec<&Element> = self.form.questions().collect();
        let mut found = None;
        for step in dynamic.split("].") {
            let name = step.split('[').next().unwrap_or(step);
            let q = es.into_iter().find(|e| same_name(&e.name, name))?;
            es = match &q.kind {
                Kind::PanelDynamic { template, .. } => crate::form::answered_in(template, &|_| true),
                _ => Vec::new(),
            };
            found = Some(q);
        }
        found
    }

    /// Each `defaultValueExpression` of repeat `at` (`m[2]`, every repeat when
    /// empty) and the repeats inside it; `building`: see [`Self::repeat_defaults`].
    fn defaults_within(&mut self, at: &str, building: bool, ch: &mut Changes) {
        let (templates, reached) = self.reached("", &Answers::new(), &|q| q.default_value_expression.is_some() || has_value_rules(q));
        for r in reached {
            let here = format!("{}[{}]", r.dynamic, r.index);
            if at.is_empty() || here == at || here.starts_with(&format!("{at}.")) {
                self.repeat_defaults(&r.dynamic, r.index, &templates[r.template], building, ch);
            }
        }
    }

    /// What `defaultValueExpression` gives `q` now, as its answer.
    fn default_of(&self, q: &Element) -> Option<Value> {
        let v = self.state.value(&Target::Default(q.name.clone()))?;
        if v.is_empty() {
            return q.default_value.clone();
        }
        self.as_answer(q, v)
    }

    /// A computed value as question `q`'s answer: a date as its field holds it
    /// (SurveyJS's `convertValToQuestionVal`), empty as none.
    fn as_answer(&self, q: &Element, v: &Val) -> Option<Value> {
        let input = match date_input(&q.kind) {
            t @ (InputType::DateTimeLocal | InputType::Time) => t,
            _ => InputType::Date,
        };
        let v = crate::display::for_input(v, input, &(self.clock)());
        (!is_empty(Some(&v))).then_some(v)
    }

    /// SurveyJS's `setValue`: stores the answer unless it is the same, then
    /// runs the rules, the value rules and the triggers that read it.
    /// `by_default`: put there by its own defaultValueExpression.
    fn store(&mut self, name: &str, value: Option<Value>, by_default: bool, ch: &mut Changes) {
        let value = value.filter(|v| !is_empty(Some(v)));
        let old = self.answers.get(name).filter(|v| !is_empty(Some(v))).cloned();
        if old == value || self.depth >= MAX_DEPTH {
            return;
        }
        let key = name_key(name).into_owned();
        let reshaped = std::mem::take(&mut self.reshaped);
        // The questions being set: the one named, or those of its repeats whose answers differ.
        let mut setting = vec![key.clone()];
        if !reshaped {
            changed_in_repeats(&key, old.as_ref(), value.as_ref(), &mut setting);
        }
        if !by_default {
            for k in &setting {
                if !self.changed.contains(k) {
                    self.changed.push(k.clone());
                }
            }
        }
        put(&mut self.answers, name, value.clone());
        // What the person changed forgets what it lost (in a repeat: the answers of it that changed).
        let before = one(name, old.clone());
        // A repeat added or removed changes no answer of the others.
        let seen = if reshaped { one(name, value.clone()) } else { before.clone() };
        let answers = &self.answers;
        self.dropped.retain(|(k, _)| match k.find('[') {
            Some(at) => !same_name(&k[..at], name) || crate::answers::find(&before, k) == crate::answers::find(answers, k),
            None => *k != key,
        });
        ch.answers.push(name.to_string());
        self.depth += 1;
        let setting_len = setting.len();
        self.setting.extend(setting);
        let clock = (self.clock)();
        let mut names = vec![key.clone()];
        // Choice questions whose options changed.
        let mut lists: Vec<String> = Vec::new();
        // What changed that a repeat's options may follow: these answers and computed values.
        let mut read = Vec::new();
        let mut i = 0;
        // The rules, and answers that follow their defaultValueExpression.
        while i < names.len() {
            let rules = self.logic.update(&mut self.state, &self.answers, &clock, &names[i]);
            for t in &rules {
                if let Target::Computed(c) = t {
                    read.push(name_key(c).into_owned());
                }
                if let Target::ChoiceVisible(q, _) = t {
                    if !lists.contains(q) {
                        lists.push(q.clone());
                    }
                }
                let Target::Default(q) = t else { continue };
                let q_key = name_key(q).into_owned();
                if self.changed.contains(&q_key) {
                    continue;
                }
                let Some(el) = self.form.questions().find(|e| same_name(&e.name, q)) else { continue };
                let v = self.default_of(el);
                let (q, before) = (el.name.clone(), self.answers.get(q).cloned());
                if v != before {
                    put(&mut self.answers, &q, v);
                    ch.answers.push(q);
                    names.push(q_key);
                }
            }
            ch.rules.extend(rules);
            i += 1;
        }
        for q in lists {
            self.drop_unoffered(&q, ch);
        }
        read.extend(names.iter().cloned());
        self.drop_unoffered_in_repeats(name, &seen, &read, ch);
        self.value_rules(&names, ch);
        self.repeat_rules(name, &seen, &names, &read, ch);
        let mut keys = vec![Key { name: key, value, old }];
        for n in &names[1..] {
            keys.push(Key {
                name: n.clone(),
                value: self.answers.iter().find(|(k, _)| same_name(k, n)).map(|(_, v)| v.clone()),
                old: None,
            });
        }
        self.triggers(keys, name, ch);
        self.depth -= 1;
        self.setting.truncate(self.setting.len() - setting_len);
    }

    /// As SurveyJS when a question's options change (`clearIncorrectValues`):
    /// a chosen option no longer offered leaves the answer; one that left so
    /// comes back when offered again ([`kept_offered`]).
    fn drop_unoffered(&mut self, name: &str, ch: &mut Changes) {
        let Some(q) = self.form.questions().find(|e| e.name == name) else { return };
        let Some(list) = q.kind.choice_list() else { return };
        let n = list.items.len();
        let key = name_key(name).into_owned();
        let dropped = self.dropped.iter().find(|(k, _)| *k == key).map(|(_, d)| d.clone()).unwrap_or_default();
        let shown = |i| item_shown(|t| self.state.holds(&t, true), Target::ChoiceVisible, name, n, i);
        if let Some((v, lost)) = kept_offered(q, self.answers.get(name), &dropped, &shown) {
            self.store(name, Some(v), false, ch);
            self.dropped.retain(|(k, _)| *k != key);
            self.dropped.push((key, lost));
        }
    }

    /// The same in each repeat whose options may have changed: one that reads
    /// an answer in `names`, or one whose own answers (or its enclosing
    /// repeat's) `name` changed from `old`. Typing in a repeat checks that repeat alone.
    fn drop_unoffered_in_repeats(&mut self, name: &str, before: &Answers, names: &[String], ch: &mut Changes) {
        if !self.logic.has_repeat_choice_rules() {
            return;
        }
        // (the repeat or matrix as `evaluate_panel` names it, its index, a matrixdropdown row's key, its choice questions)
        let mut todo: Vec<(String, usize, Option<String>, Vec<Element>)> = Vec::new();
        let mut stack: Vec<(String, bool, &[Element])> = self.form.pages.iter().map(|p| (String::new(), false, &p.elements[..])).collect();
        while let Some((within, outer_changed, es)) = stack.pop() {
            for q in crate::form::answered_in(es, &|_| true) {
                // A matrix's rows are repeats of its columns.
                let (template, rows) = match &q.kind {
                    Kind::PanelDynamic { template, .. } => (template, None),
                    Kind::Grid(g) => (&g.columns, g.rows.as_ref()),
                    _ => continue,
                };
                let dynamic = format!("{within}{}", q.name);
                let all = crate::answers::find(&self.answers, &dynamic);
                let count = rows.map_or_else(|| all.and_then(Value::as_array).map_or(0, Vec::len), Vec::len);
                let reads = self.logic.repeat_choices_read(&dynamic, names);
                let choices: Vec<Element> =
                    crate::form::answered_in(template, &|_| true).into_iter().filter(|e| e.kind.choice_list().is_some()).cloned().collect();
                let mine = same_name(&dynamic[..dynamic.find('[').unwrap_or(dynamic.len())], name);
                for i in 0..count {
                    let at = format!("{dynamic}[{i}]");
                    let row = rows.map(|r| value_text(&r[i].value));
                    // A matrixdropdown's rows are keyed by value: the matrix is compared whole.
                    let at_now = if row.is_some() { dynamic.as_str() } else { at.as_str() };
                    let changed =
                        outer_changed || (mine && crate::answers::find(before, at_now) != crate::answers::find(&self.answers, at_now));
                    if (reads || changed) && !choices.is_empty() {
                        todo.push((dynamic.clone(), i, row, choices.clone()));
                    }
                    if rows.is_none() && matches!(q.kind, Kind::PanelDynamic { .. }) {
                        stack.push((format!("{at}."), changed, template));
                    }
                }
            }
        }
        for (dynamic, i, row, choices) in todo {
            let outcomes = self.panel(&dynamic, i);
            for q in choices {
                let key = format!("{dynamic}[{}].{}", row.clone().unwrap_or_else(|| i.to_string()), q.name);
                let n = q.kind.choice_list().map_or(0, |l| l.items.len());
                let dropped = self.dropped.iter().find(|(k, _)| *k == key).map(|(_, d)| d.clone()).unwrap_or_default();
                let shown = |j| item_shown(|t| outcomes.get(&t).is_none_or(expr::is_true), Target::ChoiceVisible, &q.name, n, j);
                let value = match &row {
                    Some(r) => crate::answers::find(&self.answers, &dynamic).and_then(|m| m.get(r)?.get(&q.name)),
                    None => crate::answers::find(&self.answers, &key),
                };
                if let Some((v, lost)) = kept_offered(&q, value, &dropped, &shown) {
                    let (at, v) = match &row {
                        // A matrixdropdown's cell: its row and matrix stored back (an empty row leaves).
                        Some(r) => {
                            let mut matrix =
                                crate::answers::find(&self.answers, &dynamic).and_then(Value::as_object).cloned().unwrap_or_default();
                            let mut cells = matrix.get(r).and_then(Value::as_object).cloned().unwrap_or_default();
                            put(&mut cells, &q.name, Some(v));
                            put(&mut matrix, r, Some(Value::Object(cells)));
                            (dynamic.clone(), Value::Object(matrix))
                        }
                        None => (key.clone(), v),
                    };
                    self.store_at(&at, Some(v), false, ch);
                    self.dropped.retain(|(k, _)| *k != key);
                    self.dropped.push((key, lost));
                }
            }
        }
    }

    /// [`Self::store`] for an answer inside repeats (`m[0].inner[1].q`): the answer at the top, with that one changed.
    fn store_at(&mut self, key: &str, value: Option<Value>, by_default: bool, ch: &mut Changes) {
        let top = &key[..key.find('[').unwrap_or(key.len())];
        // A matrixdropdown not answered yet is an object of rows.
        let empty = match self.form.question(top).map(|q| &q.kind) {
            Some(Kind::Grid(g)) if g.rows.is_some() => Some(Value::Object(Default::default())),
            _ => None,
        };
        let mut whole = Answers::new();
        if let Some(v) = self.answers.get(top).cloned().or(empty) {
            whole.insert(top.to_string(), v);
        }
        crate::answers::put_at(&mut whole, key, value);
        self.store(top, whole.remove(top), by_default, ch);
    }

    /// Every repeat, in form order, with what changed in it and in the repeats
    /// around it when `name` changed from `before`, as survey-core's keys name
    /// them (`panel.q`); and the questions of its template that `wanted` picks
    /// (a repeat whose template has none is left out).
    fn reached(&self, name: &str, before: &Answers, wanted: &dyn Fn(&Element) -> bool) -> (Vec<Vec<Element>>, Vec<Reached>) {
        struct Walk<'a> {
            s: &'a Session,
            name: &'a str,
            before: &'a Answers,
            wanted: &'a dyn Fn(&Element) -> bool,
            templates: Vec<Vec<Element>>,
            out: Vec<Reached>,
        }
        fn walk(w: &mut Walk, within: &str, around: &[String], es: &[Element]) {
            for q in crate::form::answered_in(es, &|_| true) {
                // A matrix's rows are repeats of its columns; a matrixdropdown's every row, answered or not.
                let (template, rows, prefix) = match &q.kind {
                    Kind::PanelDynamic { template, .. } => (template, None, "panel"),
                    Kind::Grid(g) => (&g.columns, g.rows.as_ref(), "row"),
                    _ => continue,
                };
                let dynamic = format!("{within}{}", q.name);
                let keyed = |a: &Answers| -> Vec<Value> {
                    let all = crate::answers::find(a, &dynamic);
                    match rows {
                        Some(rows) => {
                            rows.iter().map(|r| all.and_then(|m| m.get(value_text(&r.value))).cloned().unwrap_or(Value::Null)).collect()
                        }
                        None => all.and_then(Value::as_array).cloned().unwrap_or_default(),
                    }
                };
                let (now, old) = (keyed(&w.s.answers), keyed(w.before));
                // A matrixdynamic first answered keeps its rows: compared cell by cell.
                let old = match prefix {
                    "row" if rows.is_none() && old.is_empty() => vec![Value::Null; now.len()],
                    _ => old,
                };
                let (now, old) = (Some(&now), (prefix == "row" || crate::answers::find(w.before, &dynamic).is_some()).then_some(&old));
                let mine = same_name(&dynamic[..dynamic.find('[').unwrap_or(dynamic.len())], w.name);
                let picked: Vec<Element> =
                    crate::form::answered_in(template, &|_| true).into_iter().filter(|e| (w.wanted)(e)).cloned().collect();
                // (An inner repeat's template may join the list after this one's.)
                let at = (!picked.is_empty()).then(|| {
                    w.templates.push(picked);
                    w.templates.len() - 1
                });
                for (i, repeat) in now.into_iter().flatten().enumerate() {
                    let mut keys = around.to_vec();
                    if mine && old.map(Vec::len) == now.map(Vec::len) {
                        let was = old.and_then(|o| o.get(i)).and_then(Value::as_object);
                        let is = repeat.as_object();
                        for k in was.into_iter().chain(is).flat_map(|o| o.keys()) {
                            let key = format!("{prefix}.{}", name_key(k));
                            if was.and_then(|o| o.get(k)) != is.and_then(|o| o.get(k)) && !keys.contains(&key) {
                                keys.push(key);
                            }
                        }
                    }
                    if let Some(at) = at {
                        let row = rows.map(|r| value_text(&r[i].value));
                        w.out.push(Reached { dynamic: dynamic.clone(), index: i, row, keys: keys.clone(), template: at });
                    }
                    if rows.is_none() {
                        walk(w, &format!("{dynamic}[{i}]."), &keys, template);
                    }
                }
            }
        }
        let mut w = Walk { s: self, name, before, wanted, templates: Vec::new(), out: Vec::new() };
        for p in &self.form.pages {
            walk(&mut w, "", &[], &p.elements);
        }
        (w.templates, w.out)
    }

    /// The value rules of the questions inside repeats, each repeat on its own,
    /// as survey-core runs them per panel: `defaultValueExpression` of an
    /// answer not changed there follows what it reads; `resetValueIf`,
    /// `setValueIf` and `setValueExpression` run in the repeat where one of
    /// its answers they read changed (`{panel.x}`), and in every repeat when
    /// an answer outside that they read did (`names`). A repeat nothing
    /// concerns is not evaluated.
    fn repeat_rules(&mut self, name: &str, before: &Answers, names: &[String], read: &[String], ch: &mut Changes) {
        if !self.repeat_rules {
            return;
        }
        let (templates, reached) = self.reached(name, before, &|q| q.default_value_expression.is_some() || has_value_rules(q));
        for r in reached {
            // survey-core does not run a panel's rules for a change of the paneldynamic it is in.
            let top = &r.dynamic[..r.dynamic.find('[').unwrap_or(r.dynamic.len())];
            let outside: Vec<&String> = names.iter().filter(|n| !same_name(n, top)).collect();
            let at = format!("{}[{}]", r.dynamic, r.index);
            let cells = format!("{}[{}]", r.dynamic, r.row.clone().unwrap_or_else(|| r.index.to_string()));
            // A repeat being built has only its questions so far (see `add_repeat`).
            let built = self.building.as_ref().filter(|(b, _)| *b == at).map(|(_, n)| n.clone());
            if built.is_none() && (!r.keys.is_empty() || self.logic.repeat_choices_read(&r.dynamic, read)) {
                self.repeat_defaults(&r.dynamic, r.index, &templates[r.template], false, ch);
            }
            if r.keys.is_empty() && outside.is_empty() {
                continue;
            }
            let mut keys: Vec<Key> = r.keys.iter().map(|n| Key { name: n.clone(), value: None, old: None }).collect();
            keys.extend(outside.iter().map(|n| Key { name: (*n).clone(), value: None, old: None }));
            for q in templates[r.template].iter().filter(|q| built.as_ref().is_none_or(|n| n.contains(&q.name))) {
                let key = format!("{cells}.{}", q.name);
                let eval = |s: &Session, e: &Expr| s.logic.evaluate_in(&r.dynamic, r.index, e, &s.answers, &s.state, &(s.clock)());
                self.rules_of(q, &key, Some((&r.dynamic, r.index)), &keys, &eval, ch);
            }
        }
    }

    /// Each `defaultValueExpression` of repeat `dynamic[index]` whose answer was not
    /// changed there (by the person, a trigger or a value rule) becomes what it gives now.
    /// `building`: the repeat is new, its questions join one by one (see `add_repeat`).
    fn repeat_defaults(&mut self, dynamic: &str, index: usize, questions: &[Element], building: bool, ch: &mut Changes) {
        let at = format!("{dynamic}[{index}]");
        let mut outcomes = self.panel(dynamic, index);
        for (i, q) in questions.iter().enumerate() {
            let key = format!("{at}.{}", q.name);
            if q.default_value_expression.is_none() || self.changed.iter().any(|k| *k == name_key(&key)) {
                continue;
            }
            if building {
                outcomes = self.panel(dynamic, index);
                self.building = Some((at.clone(), questions[..=i].iter().map(|q| q.name.clone()).collect()));
            }
            let v = self.default_in(q, outcomes.get(&Target::Default(q.name.clone())));
            if v.as_ref() != crate::answers::find(&self.answers, &key) {
                self.store_at(&key, v, true, ch);
            }
            self.building = None;
        }
    }

    /// A computed `defaultValueExpression` as question `q`'s answer (its `defaultValue` when empty).
    fn default_in(&self, q: &Element, v: Option<&Val>) -> Option<Value> {
        match v {
            Some(v) if !v.is_empty() => self.as_answer(q, v),
            _ => q.default_value.clone(),
        }
    }

    /// One question's `resetValueIf`, `setValueIf` and `setValueExpression`
    /// (answer `key`), each run when it reads one of `keys` (SurveyJS's `runTriggers`).
    fn rules_of(
        &mut self,
        q: &Element,
        key: &str,
        repeat: Option<(&str, usize)>,
        keys: &[Key],
        eval: &dyn Fn(&Session, &Expr) -> Val,
        ch: &mut Changes,
    ) {
        let tree = |e: &Option<crate::form::Expression>| e.as_ref().map(|e| e.tree.clone());
        if self.setting.iter().any(|k| *k == name_key(key)) {
            return;
        }
        let (reset, set_if, set_expr) = (tree(&q.reset_value_if), tree(&q.set_value_if), tree(&q.set_value_expression));
        let answered = |s: &Session| crate::answers::find(&s.answers, key).is_some();
        if let Some(reset) = reset.filter(|e| runs(e, keys) != Run::No) {
            if answered(self) && expr::is_true(&eval(self, &reset)) {
                let by_default = q.default_value_expression.is_some();
                let v = match repeat {
                    Some((dynamic, index)) if by_default => {
                        self.default_in(q, self.panel(dynamic, index).get(&Target::Default(q.name.clone())))
                    }
                    None if by_default => self.default_of(q),
                    _ => q.default_value.clone(),
                };
                self.store_at(key, v, by_default, ch);
            }
        }
        match (set_if, set_expr) {
            (Some(cond), second) => {
                let first = runs(&cond, keys);
                let go = match &second {
                    _ if first == Run::Var => true,
                    None => first != Run::No,
                    Some(e) => runs(e, keys) != Run::No,
                };
                if go && expr::is_true(&eval(self, &cond)) {
                    let v = second.map(|e| eval(self, &e)).and_then(|v| self.as_answer(q, &v));
                    self.store_at(key, v, false, ch);
                }
            }
            (None, Some(e)) if runs(&e, keys) != Run::No => {
                let v = eval(self, &e);
                let v = self.as_answer(q, &v);
                self.store_at(key, v, false, ch);
            }
            _ => {}
        }
    }

    /// Every question's `resetValueIf`, `setValueIf` and `setValueExpression`
    /// that reads one of `names` (SurveyJS's `runQuestionsTriggers`).
    fn value_rules(&mut self, names: &[String], ch: &mut Changes) {
        let keys: Vec<Key> = names.iter().map(|n| Key { name: n.clone(), value: None, old: None }).collect();
        let rules: Vec<Element> = self.form.questions().filter(|q| has_value_rules(q)).cloned().collect();
        for q in rules {
            let name = q.name.clone();
            self.rules_of(&q, &name, None, &keys, &|s, e| s.eval(e), ch);
        }
    }

    fn eval(&self, e: &Expr) -> Val {
        let scope = Values { answers: &self.answers, computed: &self.state.computed, panel: None, parent: None, row: None, item: None };
        expr::evaluate(e, &scope, &(self.clock)())
    }

    /// The survey's triggers after `key` changed (SurveyJS's `checkTriggers`):
    /// while they run, a change they make joins the keys the next ones see;
    /// then they run again over what changed, three passes at most.
    fn triggers(&mut self, changed: Vec<Key>, name: &str, ch: &mut Changes) {
        if self.form.triggers.is_empty() {
            return;
        }
        if let Some(keys) = &mut self.keys {
            for key in changed {
                keys.retain(|k| k.name != key.name);
                keys.push(key);
            }
            return;
        }
        // A skip waits until the answer that moves on is a valid one.
        let invalid = self.form.triggers.iter().any(|t| matches!(t.action, Action::Skip { .. }))
            && self.check().iter().any(|p| same_name(&p.question, name));
        self.keys = Some(changed);
        let mut original = self.keys.clone().unwrap_or_default();
        for _ in 0..3 {
            for i in 0..self.form.triggers.len() {
                let keys = self.keys.clone().unwrap_or_default();
                let t = &self.form.triggers[i];
                let fires = match (&t.expression, &t.action) {
                    (_, Action::Complete) => false,
                    (_, Action::Skip { .. }) if invalid => false,
                    (_, Action::SetValue { to, .. } | Action::CopyValue { to, .. }) if keys.len() == 1 && same_name(&keys[0].name, to) => {
                        false
                    }
                    (Some(e), Action::CopyValue { from, .. }) => {
                        (runs(&e.tree, &keys) != Run::No || keys.iter().any(|k| same_name(&k.name, from)))
                            && expr::is_true(&self.eval(&e.tree))
                    }
                    (Some(e), _) => runs(&e.tree, &keys) != Run::No && expr::is_true(&self.eval(&e.tree)),
                    (None, Action::CopyValue { from, .. }) => keys.iter().any(|k| same_name(&k.name, from)),
                    (None, _) => false,
                };
                if fires {
                    let action = self.form.triggers[i].action.clone();
                    self.act(&action, ch);
                }
            }
            let now = self.keys.clone().unwrap_or_default();
            if now == original {
                break;
            }
            let diff: Vec<Key> = now.into_iter().filter(|k| !original.contains(k)).collect();
            self.keys = Some(diff.clone());
            original = diff;
        }
        self.keys = None;
    }

    fn act(&mut self, action: &Action, ch: &mut Changes) {
        match action {
            Action::SetValue { to, value, variable: true } => {
                let v = value.as_ref().map_or(Val::Null, Val::from_json);
                self.state.computed.insert(to.clone(), v);
                let rules = self.logic.update(&mut self.state, &self.answers, &(self.clock)(), to);
                ch.rules.extend(rules);
            }
            Action::SetValue { to, value, .. } => {
                let to = self.canonical(to).to_string();
                self.store(&to, value.clone(), false, ch);
            }
            Action::CopyValue { to, from } => {
                let (to, from) = (self.canonical(to).to_string(), self.canonical(from).to_string());
                let v = self.answers.get(&from).cloned();
                self.store(&to, v, false, ch);
            }
            Action::RunExpression { to, run } => {
                let v = self.eval(&run.tree);
                if let Some(to) = to {
                    // JavaScript's undefined leaves the answer alone.
                    if !matches!(v, Val::Null) {
                        let to = self.canonical(to).to_string();
                        let v = match self.form.question(&to) {
                            Some(q) if matches!(v, Val::Date(_)) => self.as_answer(q, &v),
                            _ => Some(v.to_json()),
                        };
                        self.store(&to, v, false, ch);
                    }
                }
            }
            Action::Skip { to } => ch.skip_to = Some(self.canonical(to).to_string()),
            Action::Complete => {}
        }
    }

    /// Whether a `complete` trigger ends the form at `page`: SurveyJS runs
    /// them when the person moves on from a page, over that page's answers
    /// (and the calculated values), and finishes when one holds.
    pub fn completes_on(&self, page: usize) -> bool {
        let mut keys: Vec<Key> = Vec::new();
        for (name, p) in &self.pages {
            if *p == page {
                keys.push(Key { name: name.clone(), value: None, old: None });
            }
        }
        for c in &self.form.calculated_values {
            keys.push(Key { name: name_key(&c.name).into_owned(), value: None, old: None });
        }
        self.form.triggers.iter().any(|t| match (&t.action, &t.expression) {
            (Action::Complete, Some(e)) => runs(&e.tree, &keys) != Run::No && expr::is_true(&self.eval(&e.tree)),
            _ => false,
        })
    }

    /// The problems on the pages up to `last`: what a form that a `complete`
    /// trigger finishes at `last` must fix (later pages are never reached).
    pub fn check_through(&self, last: usize) -> Vec<AnswerError> {
        self.check().into_iter().filter(|p| self.page_of(&p.question).is_none_or(|i| i <= last)).collect()
    }

    /// Whether a rule holds (`default` when the form has none about it).
    pub fn holds(&self, target: &Target, default: bool) -> bool {
        self.state.holds(target, default)
    }

    /// Every problem with the answers, in the order the questions appear.
    pub fn check(&self) -> Vec<AnswerError> {
        crate::validate::check(&self.form, &self.logic, &self.state, &self.answers, &(self.clock)(), &self.incomplete)
    }

    /// Whether the masked box of `key` (`name`, or `dynamic[i].name`) holds text that makes no answer yet.
    pub fn set_incomplete(&mut self, key: &str, incomplete: bool) {
        self.incomplete.retain(|k| k != key);
        if incomplete {
            self.incomplete.push(key.to_string());
        }
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

    /// What a repeat's rules read now ([`Logic::panel_inputs`]).
    pub fn panel_inputs(&self, dynamic: &str, index: usize) -> Vec<Option<Value>> {
        self.logic.panel_inputs(dynamic, index, &self.answers, &self.state)
    }

    /// A matrix's totals now, as SurveyJS keeps them in the data (`<name>-total`).
    /// `key`: its name, or `p[0].m` in a repeat.
    pub fn totals(&self, key: &str) -> Option<Value> {
        let q = self.form.element_at(key)?;
        let Kind::Grid(g) = &q.kind else { return None };
        let clock = (self.clock)();
        let value = self.logic.grid_value(key, g, crate::answers::find(&self.answers, key), &self.answers, &self.state, &clock);
        // Its rows' rules are those of the repeat it is in.
        let rules = key.rsplit_once("].").and_then(|(outer, _)| {
            let (dynamic, i) = outer.rsplit_once('[')?;
            Some(self.panel(dynamic, i.parse().ok()?))
        });
        let holds = |t: Target| match &rules {
            Some(r) => r.get(&t).is_none_or(expr::is_true),
            None => self.state.holds(&t, true),
        };
        self.logic.grid_totals(&q.name, g, value.as_ref(), &holds, &self.answers, &self.state, &clock).map(|t| t.to_json())
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
        let top = key.split('[').next().unwrap_or(key);
        // `name.box`: a multipletext's box.
        let page = |k: &str| position(&self.pages, &name_key(k)).ok().map(|i| self.pages[i].1);
        page(top).or_else(|| page(top.split('.').next().unwrap_or(top)))
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
                let input_type = date_input(&q.kind);
                Some((q.name.clone(), crate::display::for_input(v, input_type, &clock)))
            })
            .collect()
    }

    /// Fills [`Self::default_expressions`] in (a new report only), as their
    /// own defaults: they follow what they read until the person changes them.
    pub fn fill_default_expressions(&mut self) -> Changes {
        let mut ch = Changes::default();
        for (name, v) in self.default_expressions() {
            self.store(&name, Some(v), true, &mut ch);
        }
        // And in the repeats a new report starts with (`panelCount`).
        if self.repeat_rules {
            self.defaults_within("", false, &mut ch);
        }
        ch
    }
}

/// A choice answer with only the options offered now (`shown`, by index)
/// when that changes it, and the options it lost (SurveyJS's
/// `clearIncorrectValues`): "Other" and "None" stay while the question has
/// them; in a list answer, one of `dropped` (lost before) offered again comes back, at the end.
fn kept_offered(q: &Element, value: Option<&Value>, dropped: &[Value], shown: &dyn Fn(usize) -> bool) -> Option<(Value, Vec<Value>)> {
    let list = q.kind.choice_list()?;
    let offered = |v: &Value| {
        let text = value_text(v);
        (list.other.is_some() && text == OTHER_VALUE)
            || (list.none.is_some() && text == NONE_VALUE)
            || list.items.iter().enumerate().any(|(i, c)| value_text(&c.value) == text && shown(i))
    };
    // `storeOthersAsComment: false`: while "Other" is chosen (its text is the
    // answer, or "other" still), survey-core clears nothing of the answer.
    let other_chosen = |v: &Value| list.other_as_value && (v == OTHER_VALUE || list.is_other_text(v));
    let keep_all = match value {
        Some(Value::Array(items)) => items.iter().any(other_chosen),
        v => v.is_some_and(other_chosen),
    };
    let mut lost = Vec::new();
    let kept = match value {
        Some(v) if !q.kind.is_multiple() => (!keep_all && !offered(v)).then_some(Value::Null),
        v => {
            let before = v.and_then(Value::as_array).cloned().unwrap_or_default();
            let mut kept = Vec::new();
            for (i, v) in before.iter().chain(dropped).enumerate() {
                if !(offered(v) || (keep_all && i < before.len())) {
                    lost.push(v.clone());
                } else if !kept.contains(v) {
                    kept.push(v.clone());
                }
            }
            // survey-core ranks every option offered once a ranking is answered: one offered again, or for the first time, goes last.
            if matches!(q.kind, Kind::Ranking { select: false, .. }) && !before.is_empty() {
                for (i, c) in list.items.iter().enumerate() {
                    if !kept.contains(&c.value) && shown(i) {
                        kept.push(c.value.clone());
                    }
                }
            }
            (kept != before).then_some(Value::Array(kept))
        }
    };
    kept.map(|v| (v, lost))
}

/// The answers inside repeats that differ between `old` and `new` (the
/// answer `key` at the top, or inside a repeat), keyed as
/// [`Session::changed`] keys them. Only where the repeats line up: a list
/// that grew or shrank was reshaped, not answered.
fn changed_in_repeats(key: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<String>) {
    let (Some(Value::Array(old)), Some(Value::Array(new))) = (old, new) else { return };
    if old.len() != new.len() {
        return;
    }
    for (i, (a, b)) in old.iter().zip(new).enumerate() {
        let (a, b) = (a.as_object(), b.as_object());
        for k in a.into_iter().chain(b).flat_map(|o| o.keys()) {
            let (x, y) = (a.and_then(|o| o.get(k)), b.and_then(|o| o.get(k)));
            if x != y {
                let at = format!("{key}[{i}].{}", name_key(k));
                changed_in_repeats(&at, x, y, out);
                out.push(at);
            }
        }
    }
}

/// Keys of repeat answers (`m[2].q`, `m[2].inner[0].q`) after repeat `index` of
/// `dynamic` is removed: its own go, the later ones move up one.
fn shift_after_removal(key: &str, dynamic: &str, index: usize) -> Option<String> {
    let Some(rest) = key.strip_prefix(dynamic).and_then(|r| r.strip_prefix('[')) else { return Some(key.to_string()) };
    let (i, after) = rest.split_once(']')?;
    match i.parse::<usize>() {
        Ok(i) if i == index => None,
        Ok(i) if i > index => Some(format!("{dynamic}[{}]{after}", i - 1)),
        _ => Some(key.to_string()),
    }
}

fn has_value_rules(q: &Element) -> bool {
    q.reset_value_if.is_some() || q.set_value_if.is_some() || q.set_value_expression.is_some()
}

/// Whether a question inside a paneldynamic (`inside`: these are) has value rules or a `defaultValueExpression`.
fn rules_in_repeats(es: &[Element], inside: bool) -> bool {
    crate::form::answered_in(es, &|_| true).into_iter().any(|q| match &q.kind {
        Kind::PanelDynamic { template, .. } => rules_in_repeats(template, true),
        Kind::Grid(g) => g.columns.iter().any(has_value_rules),
        _ => inside && (q.default_value_expression.is_some() || has_value_rules(q)),
    })
}

/// Answers holding `name` alone (built so, not collected: a collected map costs the phone the standard library's sort).
fn one(name: &str, value: Option<Value>) -> Answers {
    let mut a = Answers::new();
    put(&mut a, name, value);
    a
}

/// How a rule relates to the answers that changed (SurveyJS's
/// `canExecuteTriggerByKeys`): it reads one of them, it calls a function
/// without reading any (`today()`), it reads nothing, or none of this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Var,
    Func,
    Const,
    No,
}

fn runs(e: &Expr, keys: &[Key]) -> Run {
    fn bare_call(e: &Expr) -> bool {
        match e {
            Expr::Call(_, args) => args.iter().all(|a| a.variables().is_empty()),
            Expr::Array(items) => items.iter().any(bare_call),
            Expr::Unary(_, x) => bare_call(x),
            Expr::Binary(_, a, b) => bare_call(a) || bare_call(b),
            _ => false,
        }
    }
    if bare_call(e) {
        return Run::Func;
    }
    let vars = e.variables();
    if vars.is_empty() {
        return Run::Const;
    }
    // `{a.b[0]}` reads key `a`; in a repeat, `{panel.x.y}` reads `panel.x`.
    let reads = |v: &str, k: &str| v.strip_prefix(k).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
    if vars.iter().any(|v| keys.iter().any(|k| reads(&name_key(v), &k.name))) {
        Run::Var
    } else {
        Run::No
    }
}

/// The input a computed date goes into: a text question's, or for a
/// datetime mask SurveyJS's `datetime-local` or date (`getTypeForExpressions`).
fn date_input(kind: &Kind) -> InputType {
    match kind {
        Kind::Text { mask: Some(m), .. } if m.with_time().is_some() => {
            if m.with_time() == Some(true) {
                InputType::DateTimeLocal
            } else {
                InputType::Date
            }
        }
        Kind::Text { input_type, .. } => *input_type,
        _ => InputType::Text,
    }
}

/// A repeat just added: its questions' `defaultValue`, the `panelCount`
/// repeats of each paneldynamic inside it and a matrixdynamic's `rowCount`
/// rows, as SurveyJS fills a new panel.
pub fn new_repeat(template: &[Element]) -> Value {
    let mut a = Answers::new();
    for q in crate::form::answered_in(template, &|_| true) {
        match &q.kind {
            Kind::PanelDynamic { initial, template, .. } if *initial > 0 => {
                a.insert(q.name.clone(), Value::Array(vec![new_repeat(template); *initial as usize]));
            }
            Kind::Grid(g) if g.rows.is_none() && g.initial > 0 && q.default_value.is_none() => {
                a.insert(q.name.clone(), start_rows(g));
            }
            _ => put(&mut a, &q.name, q.default_value.clone()),
        }
    }
    fill_cells(template, &mut a);
    Value::Object(a)
}

/// A matrixdynamic's `rowCount` rows, each as [`crate::form::Grid::new_row`] builds it.
fn start_rows(g: &crate::form::Grid) -> Value {
    Value::Array(vec![g.new_row(); g.initial as usize])
}

/// Column `defaultValue`s into the empty cells of every matrix row among
/// `es` (and in the repeats inside): survey-core fills them as it builds the
/// rows, a matrixdropdown's at the start too, so they are answers.
fn fill_cells(es: &[Element], answers: &mut Answers) {
    for q in crate::form::answered_in(es, &|_| true) {
        match &q.kind {
            Kind::Grid(g) if g.columns.iter().any(|c| c.default_value.is_some()) => match &g.rows {
                None => {
                    if let Some(Value::Array(rows)) = answers.get_mut(&q.name) {
                        rows.iter_mut().for_each(|r| g.fill_row(r));
                    }
                }
                Some(keys) => {
                    let mut matrix = answers.get(&q.name).and_then(Value::as_object).cloned().unwrap_or_default();
                    for k in keys {
                        let key = value_text(&k.value);
                        let mut row = matrix.get(&key).cloned().unwrap_or_else(|| Value::Object(Default::default()));
                        g.fill_row(&mut row);
                        matrix.insert(key, row);
                    }
                    answers.insert(q.name.clone(), Value::Object(matrix));
                }
            },
            Kind::PanelDynamic { template, .. } => {
                if let Some(Value::Array(repeats)) = answers.get_mut(&q.name) {
                    for r in repeats.iter_mut().filter_map(Value::as_object_mut) {
                        fill_cells(template, r);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A new report's answers: each question's `defaultValue`, one empty
/// repeat per `panelCount` of a paneldynamic, and a matrixdynamic's `rowCount`
/// rows (each its `defaultRowValue`).
pub fn defaults(form: &Form) -> Answers {
    fn add(q: &Element, a: &mut Answers) {
        match &q.kind {
            Kind::Panel { elements } => elements.iter().for_each(|e| add(e, a)),
            Kind::PanelDynamic { initial, template, .. } if *initial > 0 && q.default_value.is_none() => {
                a.insert(q.name.clone(), Value::Array(vec![new_repeat(template); *initial as usize]));
            }
            Kind::Grid(g) if g.rows.is_none() && g.initial > 0 && q.default_value.is_none() => {
                a.insert(q.name.clone(), start_rows(g));
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

fn pages_of(form: &Form) -> Vec<(String, usize)> {
    fn walk(es: &[Element], page: usize, out: &mut Vec<(String, usize)>) {
        for e in es {
            let key = name_key(&e.name).into_owned();
            // A later one of the same name wins, as a map's insert would.
            match position(out, &key) {
                Ok(i) => out[i].1 = page,
                Err(i) => out.insert(i, (key, page)),
            }
            if let Kind::Panel { elements } = &e.kind {
                walk(elements, page, out);
            }
        }
    }
    let mut out = Vec::new();
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
    fn an_other_text_stored_as_the_answer_is_not_an_option_lost() {
        // storeOthersAsComment: false. A rule that hides options runs on every change of q.
        let mut s = session(
            r#"{"storeOthersAsComment": false, "elements": [{"type": "text", "name": "q"},
            {"type": "radiogroup", "name": "r", "choices": ["a", "b"], "showOtherItem": true, "choicesVisibleIf": "{item} != {q}"},
            {"type": "checkbox", "name": "c", "choices": ["a", "b"], "showOtherItem": true, "choicesVisibleIf": "{item} != {q}"}]}"#,
        );
        s.set("r", Some(json!("xyz")));
        s.set("c", Some(json!(["a", "xyz"])));
        s.set("q", Some(json!("a")));
        assert_eq!(s.answers.get("r"), Some(&json!("xyz")));
        assert_eq!(s.answers.get("c"), Some(&json!(["a", "xyz"])), "while Other is chosen, survey-core clears nothing");
        s.set("c", Some(json!(["a", "b"])));
        s.set("q", Some(json!("b")));
        assert_eq!(s.answers.get("c"), Some(&json!(["a"])), "without it, the hidden option leaves");
        assert!(crate::validate::validate(&s.form, &s.answers).is_empty(), "{:?}", crate::validate::validate(&s.form, &s.answers));
        s.set("r", Some(json!("other")));
        assert!(crate::validate::validate(&s.form, &s.answers).iter().any(|e| e.kind == crate::ErrorKind::OtherEmpty));
    }

    #[test]
    fn pages_follow_the_answers_and_problems_are_found_per_page() {
        let mut s = session(TWO_PAGES);
        assert_eq!(s.answers.get("members"), Some(&json!([{}, {}])), "panelCount makes empty repeats");
        assert_eq!(s.visible_pages(), [0]);
        let changed = s.set("more", Some(json!(true))).rules;
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
    fn a_ranking_keeps_every_option_offered_in_its_answer_as_survey_core_does() {
        // survey-core 2.5.43: once answered, an option hidden leaves the ranking, one offered (again or for
        // the first time) goes last; with selectToRankEnabled only those ranked come back.
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "q"},
            {"type": "ranking", "name": "r", "choices": ["a", "b", "c", "d"], "choicesVisibleIf": "{item} != {q}"},
            {"type": "ranking", "name": "t", "choices": ["a", "b", "c"], "choicesVisibleIf": "{item} != {q}", "selectToRankEnabled": true}]}"#,
        );
        s.set("q", Some(json!("d")));
        assert_eq!(s.answers.get("r"), None, "an untouched ranking stays unanswered");
        s.set("r", Some(json!(["c", "a", "b"])));
        s.set("t", Some(json!(["c", "a"])));
        s.set("q", Some(json!("a")));
        assert_eq!((s.answers.get("r"), s.answers.get("t")), (Some(&json!(["c", "b", "d"])), Some(&json!(["c"]))));
        s.set("q", Some(json!("x")));
        assert_eq!((s.answers.get("r"), s.answers.get("t")), (Some(&json!(["c", "b", "d", "a"])), Some(&json!(["c", "a"]))));
    }

    #[test]
    fn a_chosen_option_no_longer_offered_leaves_the_answer() {
        // As survey-core 2.5.43 (tests/expr-diff/logic/cases.json compares more).
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "q"},
            {"type": "radiogroup", "name": "v", "choices": ["x", "y"], "showOtherItem": true, "choicesVisibleIf": "{item} != {q}"},
            {"type": "checkbox", "name": "w", "choices": ["x", "y", "z"], "choicesVisibleIf": "{item} != {q}"}]}"#,
        );
        s.set("v", Some(json!("x")));
        s.set("w", Some(json!(["x", "y"])));
        let ch = s.set("q", Some(json!("x")));
        assert_eq!((s.answers.get("v"), s.answers.get("w")), (None, Some(&json!(["y"]))));
        assert!(ch.answers.iter().any(|a| a == "v") && ch.answers.iter().any(|a| a == "w"), "the app is told: {ch:?}");
        s.set("v", Some(json!("other")));
        s.set("q", Some(json!("other")));
        assert_eq!(s.answers.get("v"), Some(&json!("other")), "Other stays while the question has it");
        assert_eq!(s.answers.get("w"), Some(&json!(["y", "x"])), "a list answer gets back what it lost, at the end");
        s.set("w", Some(json!(["z"])));
        s.set("q", Some(json!("z")));
        s.set("q", Some(json!("x")));
        assert_eq!(s.answers.get("w"), Some(&json!(["z"])), "what it lost comes back");
        s.set("w", Some(json!(["y"])));
        s.set("q", Some(json!("none")));
        assert_eq!(s.answers.get("w"), Some(&json!(["y"])), "but not once the person has changed the answer");
    }

    #[test]
    fn in_a_repeat_a_chosen_option_no_longer_offered_leaves_the_answer() {
        // As survey-core 2.5.43 (tests/expr-diff/logic/cases.json compares more).
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "q"}, {"type": "paneldynamic", "name": "m", "templateElements": [
                {"type": "text", "name": "p"},
                {"type": "radiogroup", "name": "v", "choices": ["x", "y"], "choicesVisibleIf": "{item} != {q} and {item} != {panel.p}"},
                {"type": "paneldynamic", "name": "inner", "templateElements": [
                    {"type": "checkbox", "name": "w", "choices": ["x", "y", {"value": "z", "visibleIf": "{parentPanel.p} != 'z'"}]}]}]}]}"#,
        );
        s.set("m", Some(json!([{"v": "x", "inner": [{"w": ["x", "z"]}]}, {"v": "y", "inner": [{"w": ["z"]}]}])));
        let ch = s.set("q", Some(json!("x")));
        assert_eq!(s.answers.get("m"), Some(&json!([{"inner": [{"w": ["x", "z"]}]}, {"v": "y", "inner": [{"w": ["z"]}]}])));
        assert!(ch.answers.iter().any(|a| a == "m"), "the app is told: {ch:?}");
        s.set("m", Some(json!([{"inner": [{"w": ["x", "z"]}]}, {"v": "y", "p": "z", "inner": [{"w": ["z"]}]}])));
        assert_eq!(
            s.answers.get("m"),
            Some(&json!([{"inner": [{"w": ["x", "z"]}]}, {"p": "z", "v": "y", "inner": [{}]}])),
            "the enclosing repeat's answer hides 'z' in the inner one"
        );
        s.set("m", Some(json!([{"inner": [{"w": ["x", "z"]}]}, {"v": "y", "p": "k", "inner": [{}]}])));
        assert_eq!(crate::answers::find(&s.answers, "m[1].inner[0].w"), Some(&json!(["z"])), "a ticked option comes back with it");
        s.set("q", Some(json!("k")));
        assert_eq!(crate::answers::find(&s.answers, "m[0].v"), None, "a single answer does not come back, as in survey-core");
    }

    #[test]
    fn a_new_repeat_starts_with_its_questions_default_values() {
        // survey-core 2.5.43 fills each new panel so, inner panels too.
        let form = crate::load(
            r#"{"elements": [{"type": "paneldynamic", "name": "m", "panelCount": 1, "templateElements": [{"type": "text", "name": "d", "defaultValue": "start"},
                {"type": "paneldynamic", "name": "inner", "panelCount": 1, "templateElements": [{"type": "checkbox", "name": "c", "choices": ["a"], "defaultValue": ["a"]}]}]}]}"#,
        )
        .form
        .unwrap();
        assert_eq!(defaults(&form).get("m"), Some(&json!([{"d": "start", "inner": [{"c": ["a"]}]}])));
    }

    #[test]
    fn typing_in_one_repeat_checks_the_options_of_that_repeat_alone() {
        let form = crate::load(
            r#"{"elements": [{"type": "paneldynamic", "name": "m", "templateElements": [{"type": "text", "name": "p"},
                {"type": "radiogroup", "name": "v", "choices": ["x", "y"], "choicesVisibleIf": "{item} != {panel.p}"}]}]}"#,
        )
        .form
        .unwrap();
        // Saved so (by an older version): the first repeat's answer is not offered, and no change there checks it.
        let saved = json!({"m": [{"v": "x", "p": "x"}, {"v": "x"}]}).as_object().unwrap().clone();
        let mut s = Session::new(form, saved, clock);
        s.set("m", Some(json!([{"v": "x", "p": "x"}, {"v": "x", "p": "x"}])));
        assert_eq!(s.answers.get("m"), Some(&json!([{"v": "x", "p": "x"}, {"p": "x"}])), "the second repeat alone was checked");
    }

    #[test]
    fn in_a_repeat_choices_from_a_question_of_the_same_repeat_or_the_top() {
        // survey-core 2.5.43: in a panel, 'panel.q' is the same panel's q and 'q' the survey's (tests/expr-diff/logic/cases.json compares more).
        let mut s = session(
            r#"{"elements": [{"type": "checkbox", "name": "top", "choices": ["t1", "t2"]}, {"type": "paneldynamic", "name": "m", "templateElements": [
                {"type": "checkbox", "name": "src", "choices": ["a", "b", {"value": "c", "visibleIf": "{panel.k} != 1"}]}, {"type": "text", "name": "k"},
                {"type": "radiogroup", "name": "sel", "choicesFromQuestion": "panel.src", "choicesFromQuestionMode": "selected"},
                {"type": "checkbox", "name": "rest", "choicesFromQuestion": "top", "choicesFromQuestionMode": "unselected"}]}]}"#,
        );
        let offered = |s: &Session, i: usize, q: &str| -> Vec<usize> {
            let (rules, n) = (s.panel("m", i), if q == "sel" { 3 } else { 2 });
            (0..n)
                .filter(|&j| crate::logic::item_shown(|t| rules.get(&t).is_none_or(crate::expr::is_true), Target::ChoiceVisible, q, n, j))
                .collect()
        };
        s.set("m", Some(json!([{"src": ["a", "c"]}, {"src": ["b"]}])));
        assert_eq!((offered(&s, 0, "sel"), offered(&s, 1, "sel")), (vec![0, 2], vec![1]), "each repeat its own source");
        s.set("m", Some(json!([{"src": ["a", "c"], "sel": "c", "rest": ["t1"]}, {"src": ["b"]}])));
        s.set("m", Some(json!([{"src": ["a", "c"], "sel": "c", "k": 1, "rest": ["t1"]}, {"src": ["b"]}])));
        assert_eq!(
            crate::answers::find(&s.answers, "m[0]"),
            Some(&json!({"src": ["a"], "k": 1, "rest": ["t1"]})),
            "'c' hidden in the source"
        );
        assert_eq!(offered(&s, 1, "rest"), [0, 1]);
        s.set("top", Some(json!(["t1"])));
        assert_eq!(offered(&s, 1, "rest"), [1], "the top question's options, unselected there");
        assert_eq!(crate::answers::find(&s.answers, "m[0].rest"), None);
    }

    #[test]
    fn choices_from_another_question_and_a_chosen_option_no_longer_offered() {
        // As survey-core 2.5.43 (tests/expr-diff/logic/cases.json compares more).
        let mut s = session(
            r#"{"elements": [{"type": "checkbox", "name": "src", "choices": ["a", "b", {"value": "c", "visibleIf": "{z} != 1"}]},
            {"type": "text", "name": "z"},
            {"type": "radiogroup", "name": "sel", "choicesFromQuestion": "src", "choicesFromQuestionMode": "selected", "choices": ["own"]},
            {"type": "checkbox", "name": "uns", "choicesFromQuestion": "src", "choicesFromQuestionMode": "unselected"}]}"#,
        );
        let offered = |s: &Session, q: &str| -> Vec<usize> {
            let n = s.form.question(q).map_or(0, |e| e.kind.choices().len());
            (0..n).filter(|&i| crate::logic::item_shown(|t| s.holds(&t, true), Target::ChoiceVisible, q, n, i)).collect()
        };
        assert_eq!(s.form.question("sel").unwrap().kind.choices().len(), 3, "the source's options, not its own");
        assert_eq!(offered(&s, "sel"), [] as [usize; 0]);
        assert_eq!(offered(&s, "uns"), [0, 1, 2]);
        s.set("src", Some(json!(["a", "b"])));
        assert_eq!((offered(&s, "sel"), offered(&s, "uns")), (vec![0, 1], vec![2]));
        s.set("sel", Some(json!("a")));
        s.set("uns", Some(json!(["c"])));
        let ch = s.set("src", Some(json!(["b", "c"])));
        assert_eq!(s.answers.get("sel"), None, "'a' is no longer offered");
        assert_eq!(s.answers.get("uns"), None, "nor is 'c'");
        assert!(ch.answers.iter().any(|a| a == "sel") && ch.answers.iter().any(|a| a == "uns"), "{ch:?}");
        s.set("src", Some(json!(["b"])));
        assert_eq!(s.answers.get("uns"), Some(&json!(["c"])), "a list answer gets back what it lost, as survey-core's does");
        s.set("uns", Some(json!(["a", "c"])));
        s.set("z", Some(json!(1)));
        assert_eq!(s.answers.get("uns"), Some(&json!(["a"])), "'c' hidden in the source");
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
        assert_eq!(s.fill_default_expressions().answers, ["day"]);
        assert_eq!(s.answers.get("day"), Some(&json!("2026-11-26")));
        s.set("day", Some(json!("2026-01-02")));
        assert!(s.fill_default_expressions().answers.is_empty());
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

    #[test]
    fn a_setvalue_trigger_sets_an_answer_when_what_it_reads_changes() {
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "a"}, {"type": "text", "name": "b"}, {"type": "text", "name": "c", "visibleIf": "{b} = 'y'"}],
            "triggers": [{"type": "setvalue", "expression": "{a} = 'x'", "setToName": "b", "setValue": "y"}]}"#,
        );
        let ch = s.set("a", Some(json!("x")));
        assert_eq!(ch.answers, ["a", "b"]);
        assert!(ch.rules.contains(&Target::Visible("c".into())), "{ch:?}");
        assert_eq!(s.answers.get("b"), Some(&json!("y")));
        s.set("b", Some(json!("mine")));
        assert_eq!(s.answers.get("b"), Some(&json!("mine")), "the trigger reads a, not b: the person's answer stays");
    }

    #[test]
    fn triggers_cascade_in_passes_three_at_most_as_surveyjs_does() {
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "a"}, {"type": "text", "name": "b"}, {"type": "text", "name": "c"},
                {"type": "text", "name": "d"}, {"type": "text", "name": "e"}],
            "triggers": [{"type": "setvalue", "expression": "{d} = 4", "setToName": "e", "setValue": 5},
                {"type": "setvalue", "expression": "{c} = 3", "setToName": "d", "setValue": 4},
                {"type": "setvalue", "expression": "{b} = 2", "setToName": "c", "setValue": 3},
                {"type": "setvalue", "expression": "{a} = 1", "setToName": "b", "setValue": 2}]}"#,
        );
        s.set("a", Some(json!(1)));
        assert_eq!(s.answers, json!({"a": 1, "b": 2, "c": 3, "d": 4}).as_object().unwrap().clone(), "the fourth step needs a fourth pass");
    }

    #[test]
    fn copy_run_and_skip() {
        let mut s = session(
            r#"{"pages": [{"name": "p1", "elements": [{"type": "text", "name": "home"}, {"type": "boolean", "name": "same"},
                {"type": "text", "name": "n", "inputType": "number"}]},
                {"name": "p2", "elements": [{"type": "text", "name": "work"}, {"type": "text", "name": "twice"}]}],
            "triggers": [{"type": "copyvalue", "expression": "{same} = true", "setToName": "work", "fromName": "home"},
                {"type": "runexpression", "expression": "{n} > 0", "runExpression": "{n} * 2", "setToName": "twice"},
                {"type": "skip", "expression": "{n} = 99", "gotoName": "work"}]}"#,
        );
        s.set("home", Some(json!("Hà Đông")));
        s.set("same", Some(json!(true)));
        assert_eq!(s.answers.get("work"), Some(&json!("Hà Đông")));
        assert_eq!(s.set("n", Some(json!(4))).skip_to, None);
        assert_eq!(s.answers.get("twice"), Some(&json!(8)));
        assert_eq!(s.set("n", Some(json!(99))).skip_to.as_deref(), Some("work"));
    }

    #[test]
    fn complete_holds_on_the_page_it_reads_and_later_pages_go_unchecked() {
        let mut s = session(
            r#"{"pages": [{"name": "p1", "elements": [{"type": "radiogroup", "name": "a", "choices": ["go", "stop"]}]},
                {"name": "p2", "elements": [{"type": "text", "name": "b", "isRequired": true}]}],
            "triggers": [{"type": "complete", "expression": "{a} = 'stop'"}]}"#,
        );
        s.set("a", Some(json!("go")));
        assert!(!s.completes_on(0));
        s.set("a", Some(json!("stop")));
        assert!(s.completes_on(0));
        assert!(!s.completes_on(1), "the trigger reads nothing on page 2");
        assert!(s.check_through(0).is_empty());
        assert_eq!(s.check().len(), 1);
    }

    #[test]
    fn value_rules_follow_surveyjs() {
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "a", "inputType": "number"},
                {"type": "text", "name": "b", "setValueIf": "{a} > 5", "setValueExpression": "{a} * 2"},
                {"type": "text", "name": "c", "defaultValue": "start", "resetValueIf": "{a} = 0"},
                {"type": "text", "name": "d", "setValueIf": "{a} = 1"}]}"#,
        );
        s.set("d", Some(json!("text")));
        s.set("a", Some(json!(6)));
        assert_eq!(s.answers.get("b"), Some(&json!(12)));
        s.set("b", Some(json!("mine")));
        s.set("a", Some(json!(7)));
        assert_eq!(s.answers.get("b"), Some(&json!(14)), "setValueIf runs again whenever a changes");
        s.set("c", Some(json!("changed")));
        s.set("a", Some(json!(0)));
        assert_eq!(s.answers.get("c"), Some(&json!("start")));
        s.set("a", Some(json!(1)));
        assert_eq!(s.answers.get("d"), None, "setValueIf without setValueExpression clears");
    }

    #[test]
    fn a_default_expression_follows_until_the_person_changes_it() {
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "a", "inputType": "number"}, {"type": "text", "name": "b", "defaultValueExpression": "{a} + 1"}]}"#,
        );
        s.set("a", Some(json!(1)));
        assert_eq!(s.answers.get("b"), Some(&json!(2)));
        s.set("a", Some(json!(5)));
        assert_eq!(s.answers.get("b"), Some(&json!(6)));
        s.set("b", Some(json!(100)));
        s.set("a", Some(json!(9)));
        assert_eq!(s.answers.get("b"), Some(&json!(100)));
        // Reopened: an answer that is not what the expression gives was the person's.
        let mut again = Session::new(s.form.clone(), s.answers.clone(), clock);
        again.set("a", Some(json!(3)));
        assert_eq!(again.answers.get("b"), Some(&json!(100)));
        let mut fresh = Session::new(s.form.clone(), json!({"a": 1, "b": 2}).as_object().unwrap().clone(), clock);
        fresh.set("a", Some(json!(2)));
        assert_eq!(fresh.answers.get("b"), Some(&json!(3)), "an answer equal to the expression's still follows it");
    }

    #[test]
    fn value_rules_in_a_repeat_run_there_alone_and_a_top_answer_in_every_repeat() {
        // As survey-core 2.5.43 (tests/expr-diff/logic/cases.json compares more).
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "top"}, {"type": "paneldynamic", "name": "m", "panelCount": 2, "templateElements": [
                {"type": "text", "name": "x"},
                {"type": "text", "name": "se", "setValueExpression": "{panel.x} + {top}"},
                {"type": "text", "name": "c", "setValueIf": "{panel.x} = 0"},
                {"type": "text", "name": "r", "defaultValue": "d", "resetValueIf": "{top} = 'reset'"}]}]}"#,
        );
        let set = |s: &mut Session, key: &str, v: Value| {
            let mut whole = one("m", s.answers.get("m").cloned());
            crate::answers::put_at(&mut whole, key, Some(v));
            s.set("m", whole.remove("m"))
        };
        set(&mut s, "m[0].x", json!("a"));
        assert_eq!(s.answers["m"], json!([{"x": "a", "se": "a", "r": "d"}, {"r": "d"}]), "the other repeat's rules did not run");
        set(&mut s, "m[1].se", json!("mine"));
        set(&mut s, "m[1].c", json!("kept"));
        set(&mut s, "m[0].c", json!("gone"));
        set(&mut s, "m[0].x", json!(0));
        assert_eq!(s.answers["m"], json!([{"x": 0, "se": 0, "r": "d"}, {"se": "mine", "c": "kept", "r": "d"}]));
        s.set("top", Some(json!("T")));
        assert_eq!(
            s.answers["m"],
            json!([{"x": 0, "se": "0T", "r": "d"}, {"se": "T", "c": "kept", "r": "d"}]),
            "a top-level answer reaches every repeat"
        );
        set(&mut s, "m[1].r", json!("r1"));
        s.set("top", Some(json!("reset")));
        assert_eq!(s.answers["m"][1], json!({"se": "reset", "c": "kept", "r": "d"}));
    }

    #[test]
    fn a_default_expression_in_a_repeat_follows_until_the_person_changes_it_in_that_repeat() {
        let form = r#"{"elements": [{"type": "text", "name": "top"}, {"type": "paneldynamic", "name": "m", "panelCount": 1, "templateElements": [
            {"type": "text", "name": "x"}, {"type": "text", "name": "d", "defaultValueExpression": "{panel.x} + {top}"}]}]}"#;
        let mut s = session(form);
        s.fill_default_expressions();
        assert_eq!(s.answers["m"], json!([{"d": 0}]), "undefined + undefined, as in JavaScript");
        s.set("top", Some(json!("T")));
        let ch = s.add_repeat("m");
        assert_eq!(s.answers["m"], json!([{"d": "T"}, {"d": "T"}]), "a new repeat computes it from the answers now");
        assert!(ch.answers.iter().any(|a| a == "m"), "{ch:?}");
        s.set("m", Some(json!([{"d": "mine"}, {"d": "T", "x": "b"}])));
        assert_eq!(s.answers["m"], json!([{"d": "mine"}, {"d": "bT", "x": "b"}]));
        s.set("top", Some(json!("U")));
        assert_eq!(s.answers["m"], json!([{"d": "mine"}, {"d": "bU", "x": "b"}]), "the person's answer stays, the other follows");
        s.add_repeat("m");
        s.remove_repeat("m", 0);
        s.set("top", Some(json!("V")));
        assert_eq!(s.answers["m"], json!([{"d": "bV", "x": "b"}, {"d": "V"}]), "what a repeat remembers moves up with it");
        s.set("m", Some(json!([{"d": "bV", "x": "b"}, {"d": "own"}])));
        // Reopened: an answer that is not what the expression gives was the person's, in each repeat.
        let mut again = Session::new(s.form.clone(), s.answers.clone(), clock);
        again.set("top", Some(json!("W")));
        assert_eq!(again.answers["m"], json!([{"d": "bW", "x": "b"}, {"d": "own"}]));
    }

    #[test]
    fn value_rules_of_matrix_columns_run_per_row() {
        // As survey-core 2.x: a top-level answer reaches every row (a matrixdropdown's empty ones too),
        // a cell its own row alone.
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "q", "inputType": "number"},
                {"type": "matrixdropdown", "name": "md", "rows": ["r1", "r2"], "columns": [{"name": "a", "cellType": "text", "inputType": "number"},
                    {"name": "b", "cellType": "text", "setValueExpression": "{row.a} + {q}"},
                    {"name": "c", "cellType": "text", "resetValueIf": "{q} = 9 or {row.a} = 0"}]},
                {"type": "matrixdynamic", "name": "dy", "rowCount": 2, "columns": [{"name": "a", "cellType": "text", "inputType": "number"},
                    {"name": "b", "cellType": "text", "setValueIf": "{row.a} > 1", "setValueExpression": "{row.a} * 10"}]}]}"#,
        );
        let cell = |s: &mut Session, key: &str, v: Value| {
            let top = &key[..key.find('[').unwrap()];
            let mut whole = one(top, s.answers.get(top).cloned());
            crate::answers::put_at(&mut whole, key, Some(v));
            s.set(top, whole.remove(top))
        };
        s.set("q", Some(json!(1)));
        assert_eq!(s.answers["md"], json!({"r1": {"b": 1}, "r2": {"b": 1}}));
        cell(&mut s, "md[r1].a", json!(5));
        assert_eq!(s.answers["md"], json!({"r1": {"a": 5, "b": 6}, "r2": {"b": 1}}), "the other row's rules did not run");
        cell(&mut s, "md[r2].c", json!("x"));
        s.set("q", Some(json!(9)));
        assert_eq!(s.answers["md"], json!({"r1": {"a": 5, "b": 14}, "r2": {"b": 9}}));
        s.set("dy", Some(json!([{}, {}])));
        cell(&mut s, "dy[1].a", json!(3));
        cell(&mut s, "dy[0].a", json!(1));
        assert_eq!(s.answers["dy"], json!([{"a": 1}, {"a": 3, "b": 30}]));
    }

    #[test]
    fn value_rules_in_an_inner_repeat_of_a_form_that_starts_with_no_repeats() {
        let mut s = session(
            r#"{"elements": [{"type": "paneldynamic", "name": "h", "templateElements": [{"type": "paneldynamic", "name": "mm", "panelCount": 1,
                "templateElements": [{"type": "text", "name": "y"}, {"type": "text", "name": "z", "setValueExpression": "{panel.y} + 1"}]}]}]}"#,
        );
        s.add_repeat("h");
        s.set("h", Some(json!([{"mm": [{"y": 1}]}])));
        assert_eq!(s.answers["h"], json!([{"mm": [{"y": 1, "z": 2}]}]));
    }

    #[test]
    fn value_rules_in_a_repeat_inside_a_repeat() {
        let mut s = session(
            r#"{"elements": [{"type": "paneldynamic", "name": "h", "panelCount": 1, "templateElements": [{"type": "text", "name": "x"},
                {"type": "paneldynamic", "name": "mm", "panelCount": 1, "templateElements": [{"type": "text", "name": "y"},
                    {"type": "text", "name": "d", "defaultValueExpression": "{parentPanel.x} + '/' + {panel.y}"}]}]}]}"#,
        );
        s.fill_default_expressions();
        assert_eq!(s.answers["h"], json!([{"mm": [{"d": "/"}]}]));
        s.set("h", Some(json!([{"x": "X", "mm": [{"d": "/"}]}])));
        s.add_repeat("h[0].mm");
        assert_eq!(s.answers["h"], json!([{"x": "X", "mm": [{"d": "X/"}, {"d": "X/"}]}]));
        s.add_repeat("h");
        assert_eq!(s.answers["h"][1], json!({"mm": [{"d": "/"}]}), "the new repeat's own inner repeat too");
        s.remove_repeat("h[0].mm", 0);
        assert_eq!(s.answers["h"][0], json!({"x": "X", "mm": [{"d": "X/"}]}));
    }

    #[test]
    fn a_column_default_value_fills_each_row_as_survey_core_builds_it() {
        // As survey-core 2.x: every row starts with it, a matrixdropdown's rows at once;
        // defaultRowValue wins over it; a saved row's empty cell is filled, a given one kept.
        let mut s = session(
            r#"{"elements": [{"type": "matrixdynamic", "name": "t", "rowCount": 1, "defaultRowValue": {"b": "d"},
                "columns": [{"name": "a", "cellType": "text", "defaultValue": "x"}, {"name": "b", "cellType": "text", "defaultValue": "z"},
                    {"name": "k", "cellType": "checkbox", "choices": [1, 2], "defaultValue": [1]}]},
                {"type": "matrixdropdown", "name": "d", "rows": ["r1", 2], "columns": [{"name": "a", "cellType": "text", "defaultValue": 5}]}]}"#,
        );
        assert_eq!(s.answers["t"], json!([{"a": "x", "b": "d", "k": [1]}]));
        assert_eq!(s.answers["d"], json!({"r1": {"a": 5}, "2": {"a": 5}}));
        s.set("t", Some(json!([{"a": "own", "b": "d", "k": [2]}])));
        s.add_repeat("t");
        assert_eq!(s.answers["t"], json!([{"a": "own", "b": "d", "k": [2]}, {"a": "x", "b": "d", "k": [1]}]));
        s.remove_repeat("t", 0);
        assert_eq!(s.answers["t"], json!([{"a": "x", "b": "d", "k": [1]}]));
        let saved = json!({"t": [{"b": "y"}, {}], "d": {"r1": {"a": 7}}}).as_object().cloned().unwrap();
        let again = Session::new(s.form.clone(), saved, clock);
        assert_eq!(again.answers["t"], json!([{"a": "x", "b": "y", "k": [1]}, {"a": "x", "b": "z", "k": [1]}]));
        assert_eq!(again.answers["d"], json!({"r1": {"a": 7}, "2": {"a": 5}}));
    }

    #[test]
    fn a_column_default_value_in_a_matrix_inside_a_repeat() {
        let mut s = session(
            r#"{"elements": [{"type": "paneldynamic", "name": "p", "panelCount": 1, "templateElements": [{"type": "matrixdynamic", "name": "t",
                "rowCount": 1, "columns": [{"name": "a", "cellType": "text", "defaultValue": "x"}]}]}]}"#,
        );
        assert_eq!(s.answers["p"], json!([{"t": [{"a": "x"}]}]));
        s.add_repeat("p[0].t");
        s.add_repeat("p");
        assert_eq!(s.answers["p"], json!([{"t": [{"a": "x"}, {"a": "x"}]}, {"t": [{"a": "x"}]}]));
    }

    #[test]
    fn rules_that_feed_each_other_stop() {
        let mut s = session(
            r#"{"elements": [{"type": "text", "name": "a", "inputType": "number", "setValueExpression": "{b} + 1"},
                {"type": "text", "name": "b", "inputType": "number", "setValueExpression": "{a} + 1"}]}"#,
        );
        s.set("a", Some(json!(1)));
        assert!(s.answers.get("b").is_some());
    }

    #[test]
    fn an_incomplete_masked_value_is_an_error_in_place_of_required() {
        let form = crate::load(
            r#"{"elements": [{"type": "text", "name": "phone", "isRequired": true, "maskType": "pattern", "maskSettings": {"pattern": "999"}}]}"#,
        )
        .form
        .unwrap();
        let mut s = Session::new(form, Answers::new(), Clock::default);
        assert_eq!(s.check().iter().map(|e| e.kind.clone()).collect::<Vec<_>>(), [crate::ErrorKind::Required]);
        s.set_incomplete("phone", true);
        assert_eq!(s.check().iter().map(|e| e.kind.clone()).collect::<Vec<_>>(), [crate::ErrorKind::Incomplete]);
        s.set_incomplete("phone", false);
        s.set("phone", Some(serde_json::json!("123")));
        assert!(s.check().is_empty());
    }

    #[test]
    fn a_multipletext_box_with_a_mask_is_incomplete_on_its_own_and_reviewed_masked() {
        // survey-core 2.5.43: the box's answer unmasked ({"phone": "84123456", "amt": 1234.5}); a box
        // half typed has no answer and the error "Please complete the value to match the required format."
        let form = crate::load(
            r#"{"elements": [{"type": "multipletext", "name": "m", "items": [
                {"name": "phone", "isRequired": true, "maskType": "pattern", "maskSettings": {"pattern": "+99 999 999"}},
                {"name": "amt", "maskType": "numeric"}, "note"]}]}"#,
        )
        .form
        .unwrap();
        let mut s = Session::new(form, Answers::new(), Clock::default);
        let errors = |s: &Session| s.check().iter().map(|e| format!("{} {:?}", e.question, e.kind)).collect::<Vec<_>>();
        assert_eq!(errors(&s), ["m.phone Required"]);
        s.set_incomplete("m.phone", true);
        assert_eq!(errors(&s), ["m.phone Incomplete"]);
        assert_eq!(s.check_page(0).len(), 1, "a box's problem is its page's");
        s.set_incomplete("m.phone", false);
        s.set("m", Some(serde_json::json!({"phone": "84123456", "amt": 1234.5})));
        assert!(s.check().is_empty());
        let q = s.form.question("m").unwrap();
        let lines = crate::display::answer(q, s.answers.get("m").unwrap(), None, "vi");
        assert_eq!(lines, ["phone: +84 123 456", "amt: 1,234.5"]);
    }

    #[test]
    fn a_computed_date_goes_into_a_datetime_mask_as_survey_core_puts_it() {
        let form = crate::load(
            r#"{"elements": [{"type": "text", "name": "d", "maskType": "datetime", "maskSettings": {"pattern": "dd/mm/yyyy"}, "defaultValueExpression": "today()"},
            {"type": "text", "name": "dt", "maskType": "datetime", "maskSettings": {"pattern": "dd/mm/yyyy HH:MM"}, "defaultValueExpression": "today()"}]}"#,
        )
        .form
        .unwrap();
        let mut s = Session::new(form, Answers::new(), clock);
        s.fill_default_expressions();
        // survey-core (in Hanoi's time zone): "2026-11-26" and "2026-11-26T00:00".
        assert_eq!(s.answers.get("d"), Some(&json!("2026-11-26")));
        assert_eq!(s.answers.get("dt"), Some(&json!("2026-11-26T00:00")));
    }

    #[test]
    fn a_number_outside_a_masks_limits_is_kept_and_not_an_error_as_in_survey_core() {
        let form = crate::load(
            r#"{"elements": [{"type": "text", "name": "n", "maskType": "numeric", "maskSettings": {"min": 1, "max": 100, "decimalSeparator": ",", "thousandsSeparator": "."}}]}"#,
        )
        .form
        .unwrap();
        let q = form.pages[0].elements[0].clone();
        let mut s = Session::new(form, Answers::new(), Clock::default);
        s.set("n", Some(json!(5000)));
        assert!(s.check().is_empty());
        assert_eq!(s.result().get("n"), Some(&json!(5000)));
        // The review shows what the box shows: masked within the limits, as it is outside them.
        assert_eq!(crate::display::answer(&q, &json!(5000), None, "vi"), ["5000"]);
        assert_eq!(crate::display::answer(&q, &json!(12.5), None, "vi"), ["12,5"]);
    }
}
