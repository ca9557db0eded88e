//! What a form looks like for the answers given so far: which questions are
//! shown, enabled and required, which options are offered, and what the
//! computed values are.
//!
//! Every expression of the form is compiled once into a [`Rule`]. A rule
//! records the names it reads, so when an answer changes only the rules that
//! read it (and, through computed values, what depends on those) are
//! evaluated again, each once, in dependency order.

use crate::answers::{comment_key, name_key, same_name, Answers};
use crate::expr::{self, resolve_path, Clock, Expr, Scope, Val};
use crate::form::value_text;
use crate::form::{Choice, Element, Expression, Form, Grid, Kind, Total};
use crate::sort::{HashMap, Names};
use std::collections::BTreeMap;

/// What a rule decides.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A question or panel is shown (`visibleIf`).
    Visible(String),
    /// A question can be answered (`enableIf`).
    Enabled(String),
    /// A question must be answered (`requiredIf`).
    Required(String),
    /// A page is shown, by index (`visibleIf`).
    PageVisible(usize),
    /// Option `index` of a question is offered (`visibleIf` of the option, or `choicesVisibleIf`).
    ChoiceVisible(String, usize),
    /// Option `index` of a question can be chosen (`choicesEnableIf`).
    ChoiceEnabled(String, usize),
    /// Row `index` of a matrix is shown (its `visibleIf`, or `rowsVisibleIf`), as for options.
    RowVisible(String, usize),
    /// Column `index` of a matrix is shown (its `visibleIf`, or `columnsVisibleIf`).
    ColumnVisible(String, usize),
    /// A calculated value or an expression question.
    Computed(String),
    /// A question's `defaultValueExpression`.
    Default(String),
}

#[derive(Clone, Debug)]
struct Rule {
    target: Target,
    expr: Expr,
    /// Lower-case names it reads (the first part of each `{…}`).
    reads: Vec<String>,
    /// `{item}` stands for this value (choicesVisibleIf).
    item: Option<Val>,
}

/// The compiled logic of one form.
#[derive(Clone, Debug, Default)]
pub struct Logic {
    /// In dependency order: computed values before what reads them.
    rules: Vec<Rule>,
    /// Lower-case name → indexes of the rules that read it, sorted by name.
    /// Lists, not maps: a map of either type would be wasm of its own.
    readers: Vec<(String, Vec<usize>)>,
    /// Paneldynamic or matrix name → the rules of its template (a matrix's
    /// columns), evaluated per repeat (per row). A form has few.
    templates: Vec<(String, Template)>,
}

#[derive(Clone, Debug, Default)]
struct Template {
    rules: Rules,
    /// Lower-case names its rules read outside the repeat (not `{panel.x}`, `{row.x}` and the like).
    reads: Vec<String>,
    /// A matrix's rows see themselves as `{row.x}`: `Some`, with a
    /// matrixdropdown's row values (which key its answer), empty for a matrixdynamic.
    rows: Option<Vec<serde_json::Value>>,
}

/// The outcome of every rule for the current answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    outcomes: HashMap<Target, Val>,
    /// Calculated values and expression questions, by name.
    pub computed: BTreeMap<String, Val>,
    /// Rules evaluated so far, for tests and benchmarks.
    pub evaluations: u64,
}

impl State {
    /// Whether a rule about `target` holds; `default` when there is no such rule.
    pub fn holds(&self, target: &Target, default: bool) -> bool {
        self.outcomes.get(target).map_or(default, expr::is_true)
    }
    pub fn value(&self, target: &Target) -> Option<&Val> {
        self.outcomes.get(target)
    }
}

/// A repeat's template by the names leading to it: `outer[0].inner` → `outer.inner`.
impl Logic {
    /// The template of a repeat or matrix, named as `evaluate_panel` names it.
    fn template(&self, dynamic: &str) -> Option<&Template> {
        let key = template_key(dynamic);
        self.templates.iter().find(|(k, _)| *k == key).map(|(_, t)| t)
    }
}

fn template_key(dynamic: &str) -> String {
    dynamic.split("].").map(|s| name_key(s.split('[').next().unwrap_or(s)).into_owned()).collect::<Vec<_>>().join(".")
}

/// Names for where an expression stands, not answers.
const WHERE_WORDS: &[&str] = &["panel", "parentpanel", "panelindex", "row", "rowindex", "rowvalue", "item"];

fn root(var: &str) -> String {
    name_key(var.split(['.', '[']).next().unwrap_or(var)).into_owned()
}

/// The values an expression sees: answers, computed values, and where it
/// stands (`{panel.x}` and `{panelIndex}` in a paneldynamic, `{item}` for an option).
pub struct Values<'a> {
    pub answers: &'a Answers,
    pub computed: &'a BTreeMap<String, Val>,
    pub panel: Option<(&'a Val, usize)>,
    /// In a repeat inside a repeat, the enclosing one: `{parentPanel.x}`.
    pub parent: Option<&'a Val>,
    /// In a matrix row, its value (`{rowValue}`; null in a matrixdynamic):
    /// `panel` is then the row, `{row.x}`, at `{rowIndex}` (from 1, as SurveyJS counts rows).
    pub row: Option<&'a Val>,
    pub item: Option<&'a Val>,
}

impl Scope for Values<'_> {
    fn lookup(&self, path: &str) -> Option<Val> {
        resolve_path(path, &|key| {
            let lower = crate::answers::lowercase(key);
            match lower.as_str() {
                "item" if self.item.is_some() => return self.item.cloned(),
                "panel" | "row" if self.panel.is_some() && (lower == "row") == self.row.is_some() => {
                    return self.panel.map(|(p, _)| p.clone());
                }
                "panelindex" if self.panel.is_some() && self.row.is_none() => return self.panel.map(|(_, i)| Val::Num(i as f64)),
                "rowindex" if self.row.is_some() => return self.panel.map(|(_, i)| Val::Num(i as f64 + 1.0)),
                "rowvalue" if self.row.is_some() => return self.row.cloned(),
                // A matrix row inside a repeat has no `{parentPanel}` (survey-core finds none there).
                "parentpanel" if self.parent.is_some() && self.row.is_none() => return self.parent.cloned(),
                _ => {}
            }
            self.answers
                .get(key)
                .or_else(|| self.answers.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| v))
                .map(Val::from_json)
                .or_else(|| {
                    self.computed.get(key).or_else(|| self.computed.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| v)).cloned()
                })
        })
    }
}

impl Logic {
    pub fn compile(form: &Form) -> Logic {
        let mut computed = Vec::new();
        let mut others = Vec::new();
        for c in &form.calculated_values {
            computed.push((Target::Computed(c.name.clone()), c.expression.tree.clone(), None));
        }
        for (i, page) in form.pages.iter().enumerate() {
            if let Some(e) = &page.visible_if {
                others.push((Target::PageVisible(i), e.tree.clone(), None));
            }
        }
        let mut templates = Vec::new();
        // A nested paneldynamic's template is known by the names leading to it: `outer.inner`.
        fn find_templates(es: &[Element], within: &str, out: &mut Vec<(String, Template)>) {
            for el in es {
                let key = format!("{within}{}", name_key(&el.name));
                let (template, rows) = match &el.kind {
                    Kind::Panel { elements } => {
                        find_templates(elements, within, out);
                        continue;
                    }
                    Kind::PanelDynamic { template, .. } => (template, None),
                    Kind::Grid(g) => (&g.columns, Some(g.rows.iter().flatten().map(|r| r.value.clone()).collect())),
                    _ => continue,
                };
                let mut flat = Vec::new();
                let mut rules = Vec::new();
                collect(template, &mut rules, &mut flat);
                rules.extend(flat);
                find_templates(template, &format!("{key}."), out);
                let mut reads: Vec<String> = rules.iter().flat_map(|(_, e, _)| e.variables()).map(|v| root(&v)).collect();
                reads.retain(|r| !WHERE_WORDS.contains(&r.as_str()));
                crate::sort::sort_by(&mut reads, |a, b| a < b);
                reads.dedup();
                let template = Template { rules, reads, rows };
                // A later one of the same name replaces it, as a map's insert would.
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some(found) => found.1 = template,
                    None => out.push((key, template)),
                }
            }
        }
        for page in &form.pages {
            find_templates(&page.elements, "", &mut templates);
        }
        fn collect(es: &[Element], computed: &mut Rules, others: &mut Rules) {
            for el in es {
                let n = &el.name;
                for (t, e) in [
                    (Target::Visible(n.clone()), &el.visible_if),
                    (Target::Enabled(n.clone()), &el.enable_if),
                    (Target::Required(n.clone()), &el.required_if),
                    (Target::Default(n.clone()), &el.default_value_expression),
                ] {
                    if let Some(e) = e {
                        others.push((t, e.tree.clone(), None));
                    }
                }
                if let Some(list) = el.kind.choice_list() {
                    item_rules(Target::ChoiceVisible, n, &list.items, |c| &c.visible_if, &list.visible_if, others);
                    item_rules(Target::ChoiceEnabled, n, &list.items, |c| &c.enable_if, &list.enable_if, others);
                }
                if let Kind::Matrix { rows, columns, rows_visible_if, columns_visible_if, .. } = &el.kind {
                    item_rules(Target::RowVisible, n, rows, |c| &c.visible_if, rows_visible_if, others);
                    item_rules(Target::ColumnVisible, n, columns, |c| &c.visible_if, columns_visible_if, others);
                }
                if let Kind::Grid(g) = &el.kind {
                    if let Some(rows) = &g.rows {
                        item_rules(Target::RowVisible, n, rows, |c| &c.visible_if, &g.rows_visible_if, others);
                    }
                }
                match &el.kind {
                    Kind::Expression { expression } => computed.push((Target::Computed(n.clone()), expression.tree.clone(), None)),
                    Kind::Panel { elements } => collect(elements, computed, others),
                    _ => {}
                }
            }
        }
        for page in &form.pages {
            // Paneldynamic templates are collected separately above, per repeat.
            let top: Vec<Element> = page.elements.iter().map(|e| strip_templates(e.clone())).collect();
            collect(&top, &mut computed, &mut others);
        }
        let computed = order_computed(computed);
        let rules: Vec<Rule> = computed
            .into_iter()
            .chain(others)
            .map(|(target, expr, item)| {
                let mut reads: Vec<String> = expr.variables().iter().map(|v| root(v)).filter(|r| r != "item").collect();
                crate::sort::sort_by(&mut reads, |a, b| a < b);
                reads.dedup();
                Rule { target, expr, reads, item }
            })
            .collect();
        let mut readers: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            for name in &r.reads {
                match readers.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
                    Ok(at) => readers[at].1.push(i),
                    Err(at) => readers.insert(at, (name.clone(), vec![i])),
                }
            }
        }
        Logic { rules, readers, templates }
    }

    /// Evaluates every rule: the state for a form just opened.
    pub fn evaluate_all(&self, answers: &Answers, clock: &Clock) -> State {
        let mut state = State::default();
        for i in 0..self.rules.len() {
            self.run(i, answers, clock, &mut state);
        }
        state
    }

    /// After `name` was answered: re-evaluates only the rules that depend on
    /// it, directly or through computed values, and returns the targets whose
    /// outcome changed.
    pub fn update(&self, state: &mut State, answers: &Answers, clock: &Clock, name: &str) -> Vec<Target> {
        let mut affected: Vec<usize> = Vec::new();
        let mut seen = vec![false; self.rules.len()];
        let mut queue = vec![name_key(name).into_owned()];
        // A name queued again (two computed values of one name) finds its readers all `seen`: no set of names needed.
        while let Some(n) = queue.pop() {
            let readers = self.readers.binary_search_by(|(k, _)| k.as_str().cmp(&n)).ok().map(|at| &self.readers[at].1);
            for &i in readers.into_iter().flatten() {
                if !std::mem::replace(&mut seen[i], true) {
                    affected.push(i);
                    if let Target::Computed(c) = &self.rules[i].target {
                        queue.push(name_key(c).into_owned());
                    }
                }
            }
        }
        crate::sort::sort_by(&mut affected, |a, b| a < b);
        let mut changed = Vec::new();
        for i in affected {
            if self.run(i, answers, clock, state) {
                changed.push(self.rules[i].target.clone());
            }
        }
        changed
    }

    /// Evaluates rule `i` into `state`; true when its outcome changed.
    fn run(&self, i: usize, answers: &Answers, clock: &Clock, state: &mut State) -> bool {
        let rule = &self.rules[i];
        state.evaluations += 1;
        let v = {
            let scope = Values { answers, computed: &state.computed, panel: None, parent: None, row: None, item: rule.item.as_ref() };
            expr::evaluate(&rule.expr, &scope, clock)
        };
        if let Target::Computed(name) = &rule.target {
            state.computed.insert(name.clone(), v.clone());
        }
        state.outcomes.insert(rule.target.clone(), v.clone()) != Some(v)
    }

    /// How many rules the form has (paneldynamic templates not counted).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether a paneldynamic's or matrix's template has rules of its own to evaluate per repeat.
    /// `dynamic` as [`Self::evaluate_panel`] takes it.
    pub fn has_template_rules(&self, dynamic: &str) -> bool {
        self.template(dynamic).is_some_and(|t| !t.rules.is_empty())
    }

    /// Whether a paneldynamic's template or a matrix's columns offer options by rules (`choicesVisibleIf`, an option's `visibleIf`).
    pub fn has_repeat_choice_rules(&self) -> bool {
        self.templates.iter().any(|(_, t)| t.rules.iter().any(|(t, _, _)| matches!(t, Target::ChoiceVisible(..))))
    }

    /// Whether repeat `dynamic`'s rules read one of `names` (lower case) outside the repeat.
    pub fn repeat_choices_read(&self, dynamic: &str, names: &[String]) -> bool {
        self.template(dynamic).is_some_and(|t| t.reads.iter().any(|r| names.contains(r)))
    }

    /// The outcomes of a paneldynamic's template rules for repeat `index`,
    /// or of a matrix's column rules for row `index` (a matrixdropdown's row
    /// in the order written, hidden rows counted, as SurveyJS's `{rowIndex}`).
    ///
    /// A repeat inside a repeat is named as validation names it:
    /// `outer[0].inner` and `index` for `outer[0].inner[index]`.
    pub fn evaluate_panel(&self, dynamic: &str, index: usize, answers: &Answers, state: &State, clock: &Clock) -> HashMap<Target, Val> {
        let mut out = HashMap::default();
        let Some(t) = self.template(dynamic) else { return out };
        let (cells, parent, row) = locate(t, dynamic, index, answers);
        let parent = parent.map(Val::from_json);
        let mut panel = cells.map(Val::from_json).filter(|v| matches!(v, Val::Obj(_))).unwrap_or(Val::Obj(Default::default()));
        let mut computed = state.computed.clone();
        for (target, e, item) in &t.rules {
            let v = {
                let row = t.rows.as_ref().map(|_| &row);
                let scope = Values {
                    answers,
                    computed: &computed,
                    panel: Some((&panel, index)),
                    parent: parent.as_ref(),
                    row,
                    item: item.as_ref(),
                };
                expr::evaluate(e, &scope, clock)
            };
            match (target, &mut panel) {
                // An expression cell is part of its row, as `{row.x}` reads it in SurveyJS.
                (Target::Computed(n), Val::Obj(cells)) if t.rows.is_some() => {
                    cells.insert(n.clone(), v.clone());
                }
                (Target::Computed(n), _) => {
                    computed.insert(n.clone(), v.clone());
                }
                _ => {}
            }
            out.insert(target.clone(), v);
        }
        out
    }

    /// An expression of repeat `index`'s template (a value rule) in that
    /// repeat, as [`Self::evaluate_panel`] evaluates the template's rules.
    pub fn evaluate_in(&self, dynamic: &str, index: usize, e: &Expr, answers: &Answers, state: &State, clock: &Clock) -> Val {
        let Some(t) = self.template(dynamic) else { return Val::Null };
        let (cells, parent, row) = locate(t, dynamic, index, answers);
        let parent = parent.map(Val::from_json);
        let panel = cells.map(Val::from_json).filter(|v| matches!(v, Val::Obj(_))).unwrap_or(Val::Obj(Default::default()));
        // In a matrix row, `{row.x}` (see `Values::row`).
        let row = t.rows.as_ref().map(|_| &row);
        let scope = Values { answers, computed: &state.computed, panel: Some((&panel, index)), parent: parent.as_ref(), row, item: None };
        expr::evaluate(e, &scope, clock)
    }

    /// What repeat `index`'s rules read now: its own answers, the enclosing
    /// repeat's, and the answers and computed values they name elsewhere.
    /// The outcomes change only when these do (or the clock moves on), so the
    /// phone leaves a repeat asleep while another one is typed in.
    pub fn panel_inputs(&self, dynamic: &str, index: usize, answers: &Answers, state: &State) -> Vec<Option<serde_json::Value>> {
        let Some(t) = self.template(dynamic) else { return Vec::new() };
        let (cells, parent, _) = locate(t, dynamic, index, answers);
        let mut out = vec![cells.cloned(), parent.cloned()];
        for n in &t.reads {
            out.push(answers.iter().find(|(k, _)| name_key(k) == *n).map(|(_, v)| v.clone()));
            out.push(state.computed.iter().find(|(k, _)| name_key(k) == *n).map(|(_, v)| v.to_json()));
        }
        out
    }

    /// A matrix's answer (`given`) as SurveyJS's data holds it: every expression cell
    /// computed into its row, and a matrixdynamic whose rows are all empty left out.
    /// `key` names the matrix as [`Self::evaluate_panel`] takes it (`p[0].m` in a repeat).
    #[inline(never)]
    pub fn grid_value(
        &self,
        key: &str,
        grid: &Grid,
        given: Option<&serde_json::Value>,
        answers: &Answers,
        state: &State,
        clock: &Clock,
    ) -> Option<serde_json::Value> {
        use serde_json::Value;
        let is_expression = |c: &&Element| matches!(c.kind, Kind::Expression { .. });
        let has_expressions = grid.columns.iter().any(|c| is_expression(&c));
        let fill = |i: usize, cells: &mut serde_json::Map<String, Value>| {
            if !has_expressions {
                return;
            }
            let rules = self.evaluate_panel(key, i, answers, state, clock);
            for c in grid.columns.iter().filter(is_expression) {
                let v = rules.get(&Target::Computed(c.name.clone())).filter(|v| !v.is_empty()).map(Val::to_json);
                crate::answers::put(cells, &c.name, v);
            }
        };
        match &grid.rows {
            Some(rows) => {
                let mut out = given.and_then(Value::as_object).cloned().unwrap_or_default();
                for (i, row) in rows.iter().enumerate() {
                    let key = value_text(&row.value);
                    let mut cells = out.get(&key).and_then(Value::as_object).cloned().unwrap_or_default();
                    fill(i, &mut cells);
                    crate::answers::put(&mut out, &key, Some(Value::Object(cells)));
                }
                (!out.is_empty()).then_some(Value::Object(out))
            }
            None => {
                let mut out = given.and_then(Value::as_array).cloned().unwrap_or_default();
                for (i, row) in out.iter_mut().enumerate() {
                    if let Value::Object(cells) = row {
                        fill(i, cells);
                    }
                }
                out.iter().any(|r| !crate::answers::is_empty(Some(r))).then_some(Value::Array(out))
            }
        }
    }

    /// A matrix's totals, `{column: total}`, from its value as [`Self::grid_value`]
    /// gives it: SurveyJS keeps them in the data as `<name>-total` (in a repeat,
    /// in the repeat). Sum, count and average are 0 over no cells; min and max
    /// are then absent. `holds`: the rules where the matrix is (its rows' rules).
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    pub fn grid_totals(
        &self,
        name: &str,
        grid: &Grid,
        value: Option<&serde_json::Value>,
        holds: &dyn Fn(Target) -> bool,
        answers: &Answers,
        state: &State,
        clock: &Clock,
    ) -> Option<Val> {
        if grid.totals.iter().all(Option::is_none) {
            return None;
        }
        // Over the rows shown (plain loops: each iterator chain is code of its own in the wasm).
        let mut rows: Vec<&serde_json::Value> = Vec::new();
        match (value, &grid.rows) {
            (Some(v), Some(all)) => {
                for (i, row) in all.iter().enumerate() {
                    if item_shown(holds, Target::RowVisible, name, all.len(), i) {
                        rows.extend(v.get(value_text(&row.value)));
                    }
                }
            }
            (Some(serde_json::Value::Array(a)), None) => rows.extend(a),
            _ => {}
        }
        let mut totals = BTreeMap::new();
        for (column, total) in grid.columns.iter().zip(&grid.totals) {
            let (mut count, mut numbers) = (0, Vec::new());
            for v in rows.iter().filter_map(|r| r.get(&column.name)) {
                if !crate::answers::is_empty(Some(v)) {
                    count += 1;
                    numbers.push(expr::get_number(&Val::from_json(v)));
                }
            }
            numbers.retain(|n| !n.is_nan());
            let sum: f64 = numbers.iter().sum();
            let fold = |pick: fn(f64, f64) -> f64| numbers.iter().copied().reduce(pick).map(Val::Num);
            let v = match total {
                Some(Total::Sum) => Some(Val::Num(sum)),
                Some(Total::Count) => Some(Val::Num(count as f64)),
                Some(Total::Avg) => Some(Val::Num(if numbers.is_empty() { 0.0 } else { sum / numbers.len() as f64 })),
                Some(Total::Min) => fold(f64::min),
                Some(Total::Max) => fold(f64::max),
                _ => None,
            };
            if let Some(v) = v {
                totals.insert(column.name.clone(), v);
            }
        }
        // Expressions last: `{row.x}` is column x's total.
        for (column, total) in grid.columns.iter().zip(&grid.totals) {
            if let Some(Total::Expression(e)) = total {
                let so_far = Val::Obj(totals.clone());
                let scope = Values {
                    answers,
                    computed: &state.computed,
                    panel: Some((&so_far, 0)),
                    parent: None,
                    row: Some(&Val::Null),
                    item: None,
                };
                let v = expr::evaluate(&e.tree, &scope, clock);
                if !v.is_empty() {
                    totals.insert(column.name.clone(), v);
                }
            }
        }
        Some(Val::Obj(totals))
    }
}

type Rules = Vec<(Target, Expr, Option<Val>)>;

/// The rules that show the items of a list (options, matrix rows or
/// columns): item `i`'s own `visibleIf` in slot `i`, and the list's rule
/// (`choicesVisibleIf`, `rowsVisibleIf`, …) in slot `n + i`, each with
/// `{item}` standing for the item's value. Both must hold ([`item_shown`]).
fn item_rules(
    make: fn(String, usize) -> Target,
    name: &str,
    items: &[Choice],
    own: fn(&Choice) -> &Option<Expression>,
    all: &Option<Expression>,
    out: &mut Rules,
) {
    for (i, item) in items.iter().enumerate() {
        let value = Some(Val::from_json(&item.value));
        if let Some(e) = own(item) {
            out.push((make(name.to_string(), i), e.tree.clone(), value.clone()));
        }
        if let Some(e) = all {
            out.push((make(name.to_string(), items.len() + i), e.tree.clone(), value));
        }
    }
}

/// Whether item `i` of `n` of a list is shown (or, for `ChoiceEnabled`,
/// can be chosen): its own rule at `i`, the list's at `n + i` (see [`item_rules`]).
pub fn item_shown(holds: impl Fn(Target) -> bool, make: fn(String, usize) -> Target, name: &str, n: usize, i: usize) -> bool {
    holds(make(name.to_string(), i)) && holds(make(name.to_string(), n + i))
}

/// A copy of an element without paneldynamic templates (they are compiled per repeat).
fn strip_templates(mut e: Element) -> Element {
    match &mut e.kind {
        Kind::PanelDynamic { template, .. } => template.clear(),
        Kind::Panel { elements } => {
            let inner = std::mem::take(elements);
            *elements = inner.into_iter().map(strip_templates).collect();
        }
        _ => {}
    }
    e
}

/// Computed values sorted so each comes after those it reads. The loader has
/// already refused circles; should one slip through, order stays as written.
fn order_computed(items: Vec<(Target, Expr, Option<Val>)>) -> Vec<(Target, Expr, Option<Val>)> {
    let names: Vec<String> =
        items.iter().map(|(t, _, _)| if let Target::Computed(n) = t { name_key(n).into_owned() } else { String::new() }).collect();
    let deps: Vec<Vec<usize>> =
        items.iter().map(|(_, e, _)| e.variables().iter().filter_map(|v| names.iter().position(|n| *n == root(v))).collect()).collect();
    let mut placed = vec![false; items.len()];
    let mut order = Vec::with_capacity(items.len());
    while order.len() < items.len() {
        let before = order.len();
        for i in 0..items.len() {
            if !placed[i] && deps[i].iter().all(|&d| placed[d] || d == i) {
                placed[i] = true;
                order.push(i);
            }
        }
        if order.len() == before {
            order.extend((0..items.len()).filter(|&i| !placed[i]));
            break;
        }
    }
    let mut slots: Vec<Option<(Target, Expr, Option<Val>)>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Whether an element is shown: its own rule, and every panel and page around it.
pub fn is_visible(form: &Form, state: &State, name: &str) -> bool {
    fn find(es: &[Element], name: &str, state: &State) -> Option<bool> {
        for e in es {
            let own = state.holds(&Target::Visible(e.name.clone()), true);
            if same_name(&e.name, name) {
                return Some(own);
            }
            if let Kind::Panel { elements } = &e.kind {
                if let Some(v) = find(elements, name, state) {
                    return Some(own && v);
                }
            }
        }
        None
    }
    for (i, p) in form.pages.iter().enumerate() {
        if let Some(v) = find(&p.elements, name, state) {
            return v && state.holds(&Target::PageVisible(i), true);
        }
    }
    false
}

/// The lower-case names of the questions shown (their own rule, and every
/// panel and page around them), in one walk of the form: for callers that
/// ask about every question (checking, the submitted result), where asking
/// [`is_visible`] each time walks the form again per question. Only
/// questions go in: the loader keeps their names unique, while a panel may
/// share a question's name and must not stand for it.
pub fn shown(form: &Form, state: &State) -> Names {
    fn walk(es: &[Element], state: &State, out: &mut Vec<String>) {
        for e in es {
            if state.holds(&Target::Visible(e.name.clone()), true) {
                match &e.kind {
                    Kind::Panel { elements } => walk(elements, state, out),
                    k if k.has_answer() => {
                        out.push(name_key(&e.name).into_owned());
                    }
                    _ => {}
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, p) in form.pages.iter().enumerate() {
        if state.holds(&Target::PageVisible(i), true) {
            walk(&p.elements, state, &mut out);
        }
    }
    Names::from(out)
}

/// The answers as submitted: hidden questions left out (SurveyJS's default,
/// `clearInvisibleValues: "onComplete"`), inside each paneldynamic repeat
/// too, expression questions and calculated values with `includeIntoResult`
/// added.
pub fn result(form: &Form, logic: &Logic, state: &State, answers: &Answers, clock: &Clock) -> Answers {
    let mut out = Answers::new();
    let shown = shown(form, state);
    for q in form.questions() {
        if let Kind::Grid(g) = &q.kind {
            let shown = shown.contains(name_key(&q.name).as_ref());
            grid_result(logic, q, g, &q.name, &|t| state.holds(&t, true), shown, answers.get(&q.name), &mut out, (answers, state, clock));
            continue;
        }
        if !shown.contains(name_key(&q.name).as_ref()) {
            continue;
        }
        if let Kind::Expression { .. } = q.kind {
            if let Some(v) = state.computed.get(&q.name) {
                if !v.is_empty() {
                    out.insert(q.name.clone(), v.to_json());
                }
            }
            continue;
        }
        for key in [q.name.clone(), comment_key(&q.name)] {
            if let Some(v) = answers.get(&key) {
                out.insert(key, v.clone());
            }
        }
        // As SurveyJS at completion: cells of hidden rows, or in hidden columns, go.
        if clear_hidden_cells(q, &|t| state.holds(&t, true), out.get_mut(&q.name)) {
            out.remove(&q.name);
        }
        if let Some(serde_json::Value::Array(repeats)) = out.get_mut(&q.name) {
            clear_hidden_in_repeats(q, &q.name, repeats, logic, state, answers, clock);
        }
    }
    for c in &form.calculated_values {
        if c.include_into_result {
            if let Some(v) = state.computed.get(&c.name) {
                out.insert(c.name.clone(), v.to_json());
            }
        }
    }
    out
}

/// A `matrixdropdown`'s or `matrixdynamic`'s answer and totals as sent, put
/// into `out` (the answers, or a repeat): its value with expression cells
/// ([`Logic::grid_value`]), without hidden rows' cells (hidden cells stay),
/// only while it is `shown`; its totals beside it even while hidden, as
/// survey-core keeps them. `key` as `evaluate_panel` takes it; `holds` the rules where it is.
#[allow(clippy::too_many_arguments)]
fn grid_result(
    logic: &Logic,
    q: &Element,
    g: &Grid,
    key: &str,
    holds: &dyn Fn(Target) -> bool,
    shown: bool,
    given: Option<&serde_json::Value>,
    out: &mut Answers,
    (answers, state, clock): (&Answers, &State, &Clock),
) {
    let value = logic.grid_value(key, g, given, answers, state, clock);
    if let Some(t) = logic.grid_totals(&q.name, g, value.as_ref(), holds, answers, state, clock) {
        out.insert(crate::form::total_key(&q.name), t.to_json());
    }
    let mut value = value.filter(|_| shown);
    if let (Some(rows), Some(serde_json::Value::Object(cells))) = (&g.rows, &mut value) {
        for (i, row) in rows.iter().enumerate() {
            if !item_shown(holds, Target::RowVisible, &q.name, rows.len(), i) {
                cells.remove(&value_text(&row.value));
            }
        }
    }
    crate::answers::put(out, &q.name, value);
}

/// A `matrix`'s cells in hidden rows or columns leave its answer, as
/// survey-core clears them at completion; true when none is left.
fn clear_hidden_cells(q: &Element, holds: &dyn Fn(Target) -> bool, answer: Option<&mut serde_json::Value>) -> bool {
    let (Kind::Matrix { rows, columns, .. }, Some(serde_json::Value::Object(cells))) = (&q.kind, answer) else { return false };
    let shown = |make, items: &[Choice], v: &serde_json::Value| {
        let at = items.iter().position(|c| value_text(&c.value) == value_text(v));
        at.is_none_or(|i| item_shown(holds, make, &q.name, items.len(), i))
    };
    // Not `retain`: the map's retain is a kilobyte of wasm of its own.
    let hidden: Vec<String> = cells
        .iter()
        .filter(|(row, col)| {
            !shown(Target::RowVisible, rows, &serde_json::Value::String(row.to_string())) || !shown(Target::ColumnVisible, columns, col)
        })
        .map(|(row, _)| row.clone())
        .collect();
    for row in hidden {
        cells.remove(&row);
    }
    cells.is_empty()
}

/// In each repeat of paneldynamic `q` (named `key`, as [`Logic::evaluate_panel`]
/// takes it): the answers of hidden questions, and of questions in hidden
/// panels, go; repeats inside repeats are cleared the same way.
fn clear_hidden_in_repeats(
    q: &Element,
    key: &str,
    repeats: &mut [serde_json::Value],
    logic: &Logic,
    state: &State,
    answers: &Answers,
    clock: &Clock,
) {
    let Kind::PanelDynamic { template, .. } = &q.kind else { return };
    for (i, repeat) in repeats.iter_mut().enumerate() {
        let rules = logic.evaluate_panel(key, i, answers, state, clock);
        let shown = |e: &Element| rules.get(&Target::Visible(e.name.clone())).is_none_or(expr::is_true);
        let Some(repeat) = repeat.as_object_mut() else { continue };
        let kept = crate::form::answered_in(template, &shown);
        for inner in crate::form::answered_in(template, &|_| true) {
            let visible = kept.iter().any(|k| std::ptr::eq(*k, inner)) && shown(inner);
            if let Kind::Grid(g) = &inner.kind {
                let (at, given) = (format!("{key}[{i}].{}", inner.name), repeat.remove(&inner.name));
                let holds = |t| rules.get(&t).is_none_or(expr::is_true);
                grid_result(logic, inner, g, &at, &holds, visible, given.as_ref(), repeat, (answers, state, clock));
            } else if !visible {
                repeat.remove(&inner.name);
                repeat.remove(&comment_key(&inner.name));
            } else if clear_hidden_cells(inner, &|t| rules.get(&t).is_none_or(expr::is_true), repeat.get_mut(&inner.name)) {
                repeat.remove(&inner.name);
            } else if let Some(serde_json::Value::Array(nested)) = repeat.get_mut(&inner.name) {
                clear_hidden_in_repeats(inner, &format!("{key}[{i}].{}", inner.name), nested, logic, state, answers, clock);
            }
        }
    }
}

/// Repeat (or matrix row) `index` of `dynamic` in the answers, the repeat
/// around it, and a matrixdropdown row's value.
fn locate<'a>(
    t: &Template,
    dynamic: &str,
    index: usize,
    answers: &'a Answers,
) -> (Option<&'a serde_json::Value>, Option<&'a serde_json::Value>, Val) {
    let all = crate::answers::find(answers, dynamic);
    let parent = dynamic.rsplit_once("].").and_then(|(outer, _)| crate::answers::find(answers, &format!("{outer}]")));
    match &t.rows {
        Some(rows) if !rows.is_empty() => {
            let key = rows.get(index).map(value_text).unwrap_or_default();
            (all.and_then(|v| v.get(&key)), parent, rows.get(index).map_or(Val::Null, Val::from_json))
        }
        _ => (all.and_then(|v| v.as_array()).and_then(|a| a.get(index)), parent, Val::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(src: &str) -> Form {
        let loaded = crate::load(src);
        loaded.form.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    fn answers(v: serde_json::Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    const HOUSEHOLD: &str = r#"{"elements": [
        {"type": "radiogroup", "name": "opinion", "choices": ["good", "bad"]},
        {"type": "comment", "name": "why", "visibleIf": "{opinion} = 'bad'"},
        {"type": "radiogroup", "name": "urgency", "choices": ["low", "high"]},
        {"type": "comment", "name": "proposal", "requiredIf": "{urgency} = 'high'"},
        {"type": "text", "name": "born", "inputType": "date"},
        {"type": "expression", "name": "age", "expression": "age({born})"},
        {"type": "boolean", "name": "pension", "visibleIf": "{age} >= 60"},
        {"type": "dropdown", "name": "ward", "choices": [
            {"value": "vq", "text": "Văn Quán", "visibleIf": "{district} = 'ha-dong'"},
            {"value": "kl", "text": "Kim Liên", "visibleIf": "{district} = 'dong-da'"}]},
        {"type": "text", "name": "district"}
    ], "calculatedValues": [{"name": "senior", "expression": "{age} >= 60", "includeIntoResult": true}]}"#;

    fn clock() -> Clock {
        Clock { now_ms: expr::date_parse("2026-11-26T10:00:00Z", &Clock::default()), utc_offset_min: 420.0 }
    }

    #[test]
    fn conditions_follow_the_answers() {
        let f = form(HOUSEHOLD);
        let logic = Logic::compile(&f);
        let mut a = answers(json!({"opinion": "good"}));
        let mut s = logic.evaluate_all(&a, &clock());
        assert!(!is_visible(&f, &s, "why"));
        a.insert("opinion".into(), json!("bad"));
        let changed = logic.update(&mut s, &a, &clock(), "opinion");
        assert_eq!(changed, [Target::Visible("why".into())]);
        assert!(is_visible(&f, &s, "why"));
        assert!(!s.holds(&Target::Required("proposal".into()), false));
        a.insert("urgency".into(), json!("high"));
        logic.update(&mut s, &a, &clock(), "urgency");
        assert!(s.holds(&Target::Required("proposal".into()), false));
    }

    #[test]
    fn vietnamese_names_match_in_any_case() {
        // SurveyJS compares names by JavaScript's toLowerCase(): `Đ` is `đ`.
        let f = form(
            r#"{"elements": [
            {"type": "text", "name": "Đơn_vị"},
            {"type": "text", "name": "Ý_kiến", "visibleIf": "{đơn_vị} notempty"},
            {"type": "expression", "name": "Tóm_tắt", "expression": "{ĐƠN_VỊ} + ': ' + {ý_kiến}"}
        ]}"#,
        );
        let logic = Logic::compile(&f);
        let mut a = answers(json!({}));
        let mut s = logic.evaluate_all(&a, &clock());
        assert!(!is_visible(&f, &s, "ý_kiến"));
        a.insert("Đơn_vị".into(), json!("Hà Đông"));
        a.insert("Ý_kiến".into(), json!("tốt"));
        let changed = logic.update(&mut s, &a, &clock(), "Đơn_vị");
        assert!(changed.contains(&Target::Visible("Ý_kiến".into())), "{changed:?}");
        assert!(is_visible(&f, &s, "ý_kiến"));
        assert!(shown(&f, &s).contains("ý_kiến"));
        let out = result(&f, &logic, &s, &a, &clock());
        assert_eq!(out.get("Tóm_tắt"), Some(&json!("Hà Đông: tốt")));
        assert_eq!(f.question("đơn_vị").map(|q| q.name.as_str()), Some("Đơn_vị"));
    }

    #[test]
    fn shown_reads_visibility_as_is_visible_does() {
        // Nested panels, a hidden panel, a hidden page, a name in another case.
        let f = form(
            r#"{"pages": [
            {"name": "p1", "elements": [
                {"type": "radiogroup", "name": "kind", "choices": ["a", "b"]},
                {"type": "panel", "name": "outer", "visibleIf": "{kind} = 'a'", "elements": [
                    {"type": "text", "name": "inner"},
                    {"type": "panel", "name": "deeper", "elements": [{"type": "text", "name": "deepest", "visibleIf": "{kind} notempty"}]}]},
                {"type": "text", "name": "Mixed"}]},
            {"name": "p2", "visibleIf": "{kind} = 'b'", "elements": [{"type": "text", "name": "later"}]}]}"#,
        );
        let logic = Logic::compile(&f);
        let questions = ["kind", "inner", "deepest", "Mixed", "later"];
        for kind in [json!(null), json!("a"), json!("b")] {
            let s = logic.evaluate_all(&answers(json!({ "kind": kind })), &clock());
            let set = shown(&f, &s);
            for name in questions {
                assert_eq!(set.contains(name_key(name).as_ref()), is_visible(&f, &s, name), "{name} with kind {kind}");
            }
            assert!(!set.contains("outer") && !set.contains("deeper"), "panels are not questions");
        }
        let s = logic.evaluate_all(&answers(json!({"kind": "a"})), &clock());
        assert!(shown(&f, &s).contains("deepest") && !shown(&f, &s).contains("later"));
    }

    #[test]
    fn a_shown_panel_does_not_show_a_hidden_question_of_the_same_name() {
        let f = form(
            r#"{"elements": [
            {"type": "radiogroup", "name": "x", "choices": ["a", "b"]},
            {"type": "text", "name": "age", "isRequired": true, "visibleIf": "{x} = 'a'"},
            {"type": "panel", "name": "AGE", "elements": [{"type": "text", "name": "other"}]}]}"#,
        );
        let logic = Logic::compile(&f);
        let a = answers(json!({"x": "b", "age": 40}));
        let s = logic.evaluate_all(&a, &clock());
        assert!(!shown(&f, &s).contains("age"));
        assert!(
            crate::validate::check(&f, &logic, &s, &a, &clock(), &[]).is_empty(),
            "a hidden required question is not the person's to fix"
        );
        assert!(!result(&f, &logic, &s, &a, &clock()).contains_key("age"), "a hidden answer is not submitted");
    }

    #[test]
    fn computed_values_cascade_in_order() {
        let f = form(HOUSEHOLD);
        let logic = Logic::compile(&f);
        let mut a = answers(json!({}));
        let mut s = logic.evaluate_all(&a, &clock());
        assert!(!is_visible(&f, &s, "pension"));
        a.insert("born".into(), json!("1960-05-01"));
        let changed = logic.update(&mut s, &a, &clock(), "born");
        assert_eq!(s.computed["age"], Val::Num(66.0));
        assert_eq!(s.computed["senior"], Val::Bool(true));
        assert!(changed.contains(&Target::Visible("pension".into())));
        assert!(is_visible(&f, &s, "pension"));
    }

    #[test]
    fn a_change_evaluates_only_its_dependents() {
        let f = form(HOUSEHOLD);
        let logic = Logic::compile(&f);
        let mut a = answers(json!({}));
        let mut s = logic.evaluate_all(&a, &clock());
        assert_eq!(s.evaluations, logic.len() as u64);
        let before = s.evaluations;
        a.insert("opinion".into(), json!("bad"));
        logic.update(&mut s, &a, &clock(), "opinion");
        assert_eq!(s.evaluations - before, 1, "only 'why' reads opinion");
        let before = s.evaluations;
        a.insert("born".into(), json!("1990-01-01"));
        logic.update(&mut s, &a, &clock(), "born");
        assert_eq!(s.evaluations - before, 3, "age, then senior and pension which read it");
        let before = s.evaluations;
        logic.update(&mut s, &a, &clock(), "nobody-reads-this");
        assert_eq!(s.evaluations, before);
    }

    #[test]
    fn cascading_choices_follow_an_earlier_answer() {
        let f = form(HOUSEHOLD);
        let logic = Logic::compile(&f);
        let s = logic.evaluate_all(&answers(json!({"district": "ha-dong"})), &clock());
        assert!(s.holds(&Target::ChoiceVisible("ward".into(), 0), true));
        assert!(!s.holds(&Target::ChoiceVisible("ward".into(), 1), true));
    }

    #[test]
    fn choices_enable_if_disables_options_and_keeps_the_answer() {
        // survey-core 2.5.43: the option stays shown, disabled; an answer already given stays.
        let f = form(
            r#"{"elements": [{"type": "text", "name": "q"},
            {"type": "radiogroup", "name": "en", "choices": ["x", "y"], "choicesEnableIf": "{item} != {q}"}]}"#,
        );
        let logic = Logic::compile(&f);
        let mut a = answers(json!({"en": "x"}));
        let mut s = logic.evaluate_all(&a, &clock());
        // The list's rule for option i of n is at n + i (its own `enableIf` at i).
        assert!(s.holds(&Target::ChoiceEnabled("en".into(), 2), true));
        a.insert("q".into(), json!("x"));
        let changed = logic.update(&mut s, &a, &clock(), "q");
        assert_eq!(changed, [Target::ChoiceEnabled("en".into(), 2)]);
        assert!(!s.holds(&Target::ChoiceEnabled("en".into(), 2), true) && s.holds(&Target::ChoiceEnabled("en".into(), 3), true));
        assert!(s.holds(&Target::ChoiceVisible("en".into(), 0), true), "still offered");
        assert_eq!(result(&f, &logic, &s, &a, &clock()).get("en"), Some(&json!("x")));
    }

    #[test]
    fn matrix_rows_and_columns_follow_their_rules_and_hidden_cells_are_not_submitted() {
        let f = form(
            r#"{"elements": [{"type": "text", "name": "z"},
            {"type": "matrix", "name": "m", "rows": ["r1", {"value": "r2", "visibleIf": "{z} != 'x'"}], "columns": ["c1", 2],
             "rowsVisibleIf": "{item} != {z}", "columnsVisibleIf": "{item} != {z}"}]}"#,
        );
        let logic = Logic::compile(&f);
        let mut a = answers(json!({"m": {"r1": 2, "r2": "c1"}}));
        let mut s = logic.evaluate_all(&a, &clock());
        let row = |s: &State, i| item_shown(|t| s.holds(&t, true), Target::RowVisible, "m", 2, i);
        let column = |s: &State, i| item_shown(|t| s.holds(&t, true), Target::ColumnVisible, "m", 2, i);
        assert!(row(&s, 0) && row(&s, 1) && column(&s, 0) && column(&s, 1));
        a.insert("z".into(), json!("x"));
        logic.update(&mut s, &a, &clock(), "z");
        assert!(row(&s, 0) && !row(&s, 1), "r2's own visibleIf");
        assert_eq!(result(&f, &logic, &s, &a, &clock())["m"], json!({"r1": 2}));
        a.insert("z".into(), json!(2));
        logic.update(&mut s, &a, &clock(), "z");
        assert!(row(&s, 1) && column(&s, 0) && !column(&s, 1), "columnsVisibleIf with {{item}} = 2");
        assert_eq!(result(&f, &logic, &s, &a, &clock())["m"], json!({"r2": "c1"}));
        a.insert("z".into(), json!("c1"));
        logic.update(&mut s, &a, &clock(), "z");
        a.insert("m".into(), json!({"r2": "c1"}));
        assert!(!result(&f, &logic, &s, &a, &clock()).contains_key("m"), "nothing left to submit");
    }

    #[test]
    fn result_leaves_out_hidden_answers_and_adds_computed_ones() {
        let f = form(HOUSEHOLD);
        let logic = Logic::compile(&f);
        let a = answers(json!({"opinion": "good", "why": "stale text from before", "born": "1950-01-01", "pension": true}));
        let s = logic.evaluate_all(&a, &clock());
        let r = result(&f, &logic, &s, &a, &clock());
        assert_eq!(r, answers(json!({"opinion": "good", "born": "1950-01-01", "age": 76, "pension": true, "senior": true})));
    }

    #[test]
    fn result_leaves_out_what_a_repeat_hides() {
        let f = form(
            r#"{"elements": [{"type": "paneldynamic", "name": "members", "templateElements": [
                {"type": "text", "name": "born"},
                {"type": "boolean", "name": "pension", "visibleIf": "age({panel.born}) >= 60"}]}]}"#,
        );
        let logic = Logic::compile(&f);
        // The second member was first entered as born in 1950, then corrected.
        let a = answers(json!({"members": [{"born": "1950-03-01", "pension": true}, {"born": "2001-03-01", "pension": true}]}));
        let s = logic.evaluate_all(&a, &clock());
        let r = result(&f, &logic, &s, &a, &clock());
        assert_eq!(r, answers(json!({"members": [{"born": "1950-03-01", "pension": true}, {"born": "2001-03-01"}]})));
    }

    /// Households, each with members: SurveyJS's nested shape, `{panel.x}`
    /// the nearest repeat, `{parentPanel.x}` the one around it.
    const NESTED: &str = r#"{"elements": [{"type": "paneldynamic", "name": "households", "templateElements": [
        {"type": "text", "name": "head"},
        {"type": "boolean", "name": "rented"},
        {"type": "panel", "name": "lease", "visibleIf": "{panel.rented} = true", "elements": [{"type": "text", "name": "landlord"}]},
        {"type": "paneldynamic", "name": "members", "templateElements": [
            {"type": "text", "name": "name", "isRequired": true},
            {"type": "text", "name": "relation", "visibleIf": "{panel.name} <> {parentPanel.head} and {panelIndex} >= 0"},
            {"type": "text", "name": "rent_share", "visibleIf": "{parentPanel.rented} = true"}]}]}]}"#;

    #[test]
    fn a_repeat_inside_a_repeat_sees_its_own_and_the_enclosing_one() {
        let f = form(NESTED);
        let logic = Logic::compile(&f);
        let a = answers(json!({"households": [
            {"head": "Lan", "rented": true, "members": [{"name": "Lan"}, {"name": "Minh"}]},
            {"head": "Hoa", "members": [{"name": "Tú"}]}]}));
        let s = logic.evaluate_all(&a, &clock());
        let shown = |dynamic: &str, i, q: &str| {
            logic.evaluate_panel(dynamic, i, &a, &s, &clock()).get(&Target::Visible(q.into())).is_none_or(expr::is_true)
        };
        assert!(!shown("households[0].members", 0, "relation"), "the head is not asked how they relate to themselves");
        assert!(shown("households[0].members", 1, "relation"));
        assert!(shown("households[0].members", 1, "rent_share") && !shown("households[1].members", 0, "rent_share"));
        assert!(shown("households", 0, "lease") && !shown("households", 1, "lease"));
    }

    #[test]
    fn a_repeat_wakes_only_for_what_its_rules_read() {
        let f = form(NESTED);
        let logic = Logic::compile(&f);
        let mut a = answers(json!({"households": [{"head": "Lan", "members": [{"name": "Lan"}]}, {"head": "Hoa", "members": [{}]}]}));
        let s = logic.evaluate_all(&a, &clock());
        let before = logic.panel_inputs("households[1].members", 0, &a, &s);
        let first = logic.panel_inputs("households[0].members", 0, &a, &s);
        a["households"][0]["members"][0]["name"] = json!("Lâm");
        assert_eq!(logic.panel_inputs("households[1].members", 0, &a, &s), before, "another household's member");
        assert_ne!(logic.panel_inputs("households[0].members", 0, &a, &s), first);
        a["households"][1]["rented"] = json!(true);
        assert_ne!(logic.panel_inputs("households[1].members", 0, &a, &s), before, "{{parentPanel.rented}}");
    }

    #[test]
    fn hidden_answers_leave_both_levels_of_repeats_at_completion() {
        let f = form(NESTED);
        let logic = Logic::compile(&f);
        // The second household was first entered as renting, then corrected.
        let a = answers(json!({"households": [
            {"head": "Lan", "rented": true, "landlord": "Bình", "members": [{"name": "Lan", "relation": "self", "rent_share": "1/2"}]},
            {"head": "Hoa", "rented": false, "landlord": "Bình", "members": [{"name": "Tú", "rent_share": "1/3", "relation": "son"}]}]}));
        let s = logic.evaluate_all(&a, &clock());
        let r = result(&f, &logic, &s, &a, &clock());
        assert_eq!(
            r["households"],
            json!([
                {"head": "Lan", "rented": true, "landlord": "Bình", "members": [{"name": "Lan", "rent_share": "1/2"}]},
                {"head": "Hoa", "rented": false, "members": [{"name": "Tú", "relation": "son"}]}])
        );
    }

    #[test]
    fn a_matrix_in_a_repeat_loses_its_hidden_cells_at_completion_in_every_level() {
        // survey-core 2.x clears them at completion, as at the top of the form.
        let f = form(
            r#"{"elements": [{"type": "text", "name": "z"}, {"type": "paneldynamic", "name": "p", "templateElements": [
                {"type": "text", "name": "k"},
                {"type": "matrix", "name": "m", "rows": ["r1", "r2"], "columns": ["c1", "c2"],
                 "rowsVisibleIf": "{item} != {z}", "columnsVisibleIf": "{item} != {panel.k}"},
                {"type": "paneldynamic", "name": "inner", "templateElements": [
                    {"type": "matrix", "name": "mm", "rows": ["a", "b"], "columns": ["x"], "rowsVisibleIf": "{item} != {parentPanel.k}"}]}]}]}"#,
        );
        let logic = Logic::compile(&f);
        let a = answers(json!({"z": "r2", "p": [
            {"k": "c2", "m": {"r1": "c1", "r2": "c1"}, "inner": [{"mm": {"a": "x", "b": "x"}}]},
            {"k": "a", "m": {"r1": "c2", "r2": "c2"}, "inner": [{"mm": {"a": "x"}}]}]}));
        let s = logic.evaluate_all(&a, &clock());
        let r = result(&f, &logic, &s, &a, &clock());
        assert_eq!(
            r["p"],
            json!([{"k": "c2", "m": {"r1": "c1"}, "inner": [{"mm": {"a": "x", "b": "x"}}]}, {"k": "a", "m": {"r1": "c2"}, "inner": [{}]}])
        );
    }

    #[test]
    fn paneldynamic_rules_see_their_own_repeat() {
        let f = form(
            r#"{"elements": [{"type": "paneldynamic", "name": "members", "templateElements": [
                {"type": "text", "name": "born"},
                {"type": "expression", "name": "age", "expression": "age({panel.born})"},
                {"type": "boolean", "name": "pension", "visibleIf": "age({panel.born}) > 60 and {panelIndex} >= 0"}]}]}"#,
        );
        let logic = Logic::compile(&f);
        let a = answers(json!({"members": [{"born": "1950-03-01"}, {"born": "2001-03-01"}]}));
        let s = logic.evaluate_all(&a, &clock());
        let first = logic.evaluate_panel("members", 0, &a, &s, &clock());
        let second = logic.evaluate_panel("members", 1, &a, &s, &clock());
        assert_eq!(first[&Target::Computed("age".into())], Val::Num(76.0));
        assert!(expr::is_true(&first[&Target::Visible("pension".into())]));
        assert!(!expr::is_true(&second[&Target::Visible("pension".into())]));
    }
}
