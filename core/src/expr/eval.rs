//! Evaluation, operator by operator, with SurveyJS's coercions.
//!
//! The function names here follow SurveyJS's own (`convert_for_arithmetic`,
//! `contains_core`, `values_equal`) so that a difference found by the
//! differential test can be traced to its counterpart in `survey-core`.

use super::date::Clock;
use super::value::{js_add, js_compare, js_loose_eq, number_to_string, parse_float, parse_int, round_to_fixed, string_to_number, Val};
use super::{BinOp, Expr, UnOp};
use crate::answers::same_name;
use std::cmp::Ordering;

/// Where `{name}` finds its value.
pub trait Scope {
    /// The value at `path` (`a`, `a.b`, `a[0].c`), or `None` when there is none.
    fn lookup(&self, path: &str) -> Option<Val>;
}

impl Scope for serde_json::Map<String, serde_json::Value> {
    fn lookup(&self, path: &str) -> Option<Val> {
        // The first key that matches ignoring case, as SurveyJS finds it.
        resolve_path(path, &|key| self.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| Val::from_json(v)))
    }
}

impl Scope for std::collections::BTreeMap<String, Val> {
    fn lookup(&self, path: &str) -> Option<Val> {
        resolve_path(path, &|key| self.get(key).or_else(|| self.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| v)).cloned())
    }
}

/// Resolves `a.b[0].c`: the longest leading part that names a value (names
/// may contain dots), then properties and indexes into it. Case-insensitive,
/// like SurveyJS.
pub fn resolve_path(path: &str, top: &dyn Fn(&str) -> Option<Val>) -> Option<Val> {
    if let Some(v) = top(path) {
        return Some(v);
    }
    let splits: Vec<usize> = path.char_indices().filter(|(_, c)| *c == '.' || *c == '[').map(|(i, _)| i).collect();
    for &at in splits.iter().rev() {
        if let Some(v) = top(&path[..at]) {
            return walk(v, &path[at..]);
        }
    }
    None
}

fn walk(mut v: Val, mut rest: &str) -> Option<Val> {
    let mut after_index = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            if after_index {
                return None; // SurveyJS reads one index at a time: a[0][1] is nothing
            }
            let end = r.find(']')?;
            let index: i64 = r[..end].trim().parse().ok()?;
            v = match v {
                Val::Arr(mut a) => {
                    // A negative index counts from the end, as SurveyJS allows.
                    let i = if index < 0 { a.len() as i64 + index } else { index };
                    if i < 0 || i as usize >= a.len() {
                        return None;
                    }
                    a.swap_remove(i as usize)
                }
                _ => return None,
            };
            after_index = true;
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            v = match v {
                Val::Obj(o) => {
                    let found = o.get(key).cloned().or_else(|| o.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| v.clone()));
                    found?
                }
                Val::Arr(a) if key == "length" => Val::Num(a.len() as f64),
                Val::Str(s) if key == "length" => Val::Num(s.encode_utf16().count() as f64),
                _ => return None,
            };
            after_index = false;
            rest = &r[end..];
        } else {
            return None;
        }
    }
    Some(v)
}

pub fn evaluate(e: &Expr, scope: &dyn Scope, clock: &Clock) -> Val {
    match e {
        Expr::Const(v) => v.clone(),
        // `{#name}`: the value as stored, without reading "10" as a number.
        Expr::Var(name) if name.len() > 1 && name.starts_with('#') => lookup(scope, &name[1..]).unwrap_or(Val::Null),
        Expr::Var(name) => lookup(scope, name).map_or(Val::Null, correct_value),
        Expr::Array(items) => Val::Arr(items.iter().map(|i| evaluate(i, scope, clock)).collect()),
        Expr::Unary(op, inner) => {
            let v = evaluate(inner, scope, clock);
            match op {
                UnOp::Not => Val::Bool(!v.truthy()),
                UnOp::Empty => Val::Bool(v.is_empty()),
                UnOp::NotEmpty => Val::Bool(!v.is_empty()),
            }
        }
        Expr::Binary(op, a, b) => binary(*op, evaluate(a, scope, clock), evaluate(b, scope, clock), clock),
        Expr::Call(name, args) => super::functions::call(name, args, scope, clock),
    }
}

/// A variable's value, with SurveyJS's fallbacks: `.length` of anything
/// without one is 0, and a name that is JSON object content is that object.
fn lookup(scope: &dyn Scope, name: &str) -> Option<Val> {
    if let Some(v) = scope.lookup(name) {
        return Some(v);
    }
    if name.len() > 7 && name.get(name.len() - 7..).is_some_and(|tail| tail.eq_ignore_ascii_case(".length")) {
        return Some(Val::Num(0.0));
    }
    if name.find(':').is_some_and(|i| i >= 1) {
        if let Ok(v @ serde_json::Value::Object(_)) = crate::json::parse(&format!("{{{name}}}")) {
            return Some(Val::from_json(&v));
        }
    }
    None
}

/// A condition (`visibleIf` …) holds when its value `== true` in JavaScript:
/// `true`, `1`, `"1"`, but not `"yes"`.
pub fn is_true(v: &Val) -> bool {
    js_loose_eq(v, &Val::Bool(true))
}

/// What SurveyJS makes of a raw value read from the answers (`Const.getCorrectValue`):
/// `"true"` is true, `"10"` is 10 (but `"007"` stays text), `"'x'"` is `x`.
pub fn correct_value(v: Val) -> Val {
    let Val::Str(s) = v else { return v };
    if s.is_empty() {
        return Val::Str(s);
    }
    let lower = crate::answers::lowercase(&s);
    if lower == "true" || lower == "false" {
        return Val::Bool(lower == "true");
    }
    let chars: Vec<char> = s.chars().collect();
    let quote = |c: char| c == '\'' || c == '"';
    if chars.len() > 1 && quote(chars[0]) && quote(chars[chars.len() - 1]) {
        return Val::Str(chars[1..chars.len() - 1].iter().collect());
    }
    let n = get_number(&Val::Str(s.clone()));
    if !n.is_nan() {
        if chars[0] == '0' && !s.starts_with("0x") {
            let has_point = chars.len() > 1 && (chars[1] == '.' || chars[1] == ',');
            if (!has_point && chars.len() > 1) || (has_point && chars.len() < 2) {
                return Val::Str(s);
            }
        }
        return Val::Num(n);
    }
    Val::Str(s)
}

/// SurveyJS's `Helpers.getNumber`: a number, or NaN when the value is not one.
/// Accepts " 5 ", "1,5" (a decimal comma), "0x1A"; refuses "5-3" and 16+ digit strings.
pub fn get_number(v: &Val) -> f64 {
    match v {
        Val::Str(s) => {
            let t = s.trim_matches(super::value::is_js_whitespace);
            if t.is_empty() {
                return f64::NAN;
            }
            if t.starts_with("0x") {
                return if t.len() > 32 { f64::NAN } else { parse_int(t) };
            }
            if t.len() > 15 && t.bytes().all(|b| b.is_ascii_digit()) {
                return f64::NAN;
            }
            if has_operator(t) {
                return f64::NAN;
            }
            let prepared = match t.find(',') {
                Some(i) if !t[i + 1..].contains(',') => t.replacen(',', ".", 1),
                _ => t.to_string(),
            };
            let res = parse_float(&prepared);
            if res.is_nan() || !string_to_number(&prepared).is_finite() {
                f64::NAN
            } else {
                res
            }
        }
        other => {
            let res = parse_float(&other.to_js_string());
            if res.is_nan() || !other.to_number().is_finite() {
                f64::NAN
            } else {
                res
            }
        }
    }
}

pub fn is_number(v: &Val) -> bool {
    !get_number(v).is_nan()
}

fn has_operator(s: &str) -> bool {
    if s.rfind('-').is_some_and(|i| i > 0) || s.rfind('+').is_some_and(|i| i > 0) {
        return false;
    }
    s.contains(['*', '^', '/', '%'])
}

fn binary(op: BinOp, a: Val, b: Val, clock: &Clock) -> Val {
    use BinOp::*;
    match op {
        Or | And | Plus | Minus | Mul | Div | Mod | Power => {
            let a = convert_for_arithmetic(a, &b);
            let b = convert_for_arithmetic(b, &a);
            arithmetic(op, a, b)
        }
        Equal => Val::Bool(equal(a, b, clock)),
        NotEqual => Val::Bool(!equal(a, b, clock)),
        Greater => Val::Bool(greater(a, b, clock)),
        Less => Val::Bool(greater(b, a, clock)),
        GreaterOrEqual => Val::Bool(equal(a.clone(), b.clone(), clock) || greater(a, b, clock)),
        LessOrEqual => Val::Bool(equal(a.clone(), b.clone(), clock) || greater(b, a, clock)),
        Contains => Val::Bool(contains_core(&a, &b, true)),
        NotContains => Val::Bool(not_contains(&a, &b)),
        AnyOf => Val::Bool(any_of(&a, &b)),
        NoneOf => Val::Bool(!any_of(&a, &b)),
        AllOf => Val::Bool(all_of(&a, &b)),
    }
}

/// An empty operand of arithmetic takes the type of the other side: 0 beside a number, "" beside text.
fn convert_for_arithmetic(v: Val, other: &Val) -> Val {
    if !v.is_empty() {
        return v;
    }
    match (other, &v) {
        (Val::Num(_), _) => Val::Num(0.0),
        (_, Val::Str(_)) => v,
        (Val::Str(_), _) => Val::Str(String::new()),
        (Val::Arr(_), _) => Val::Arr(Vec::new()),
        _ => Val::Num(0.0),
    }
}

fn arithmetic(op: BinOp, a: Val, b: Val) -> Val {
    match op {
        BinOp::And => {
            if a.truthy() {
                b
            } else {
                a
            }
        }
        BinOp::Or => {
            if a.truthy() {
                a
            } else {
                b
            }
        }
        BinOp::Plus => sum_any_values(&a, &b),
        BinOp::Minus => Val::Num(correct_after_plus_minus(&a, &b, a.to_number() - b.to_number())),
        BinOp::Mul => Val::Num(correct_after_multiple(&a, &b, a.to_number() * b.to_number())),
        BinOp::Div if !b.truthy() => Val::Null,
        BinOp::Div => Val::Num(a.to_number() / b.to_number()),
        BinOp::Mod if !b.truthy() => Val::Null,
        BinOp::Mod => Val::Num(a.to_number() % b.to_number()),
        BinOp::Power => Val::Num(js_pow(a.to_number(), b.to_number())),
        _ => Val::Null,
    }
}

fn js_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() || (x.abs() == 1.0 && y.is_infinite()) {
        return f64::NAN;
    }
    x.powf(y)
}

/// `+`: numbers add (with binary noise rounded off), text concatenates, lists join.
fn sum_any_values(a: &Val, b: &Val) -> Val {
    if !is_number(a) || !is_number(b) {
        match (a, b) {
            (Val::Arr(x), Val::Arr(y)) => return Val::Arr(x.iter().chain(y).cloned().collect()),
            (Val::Arr(arr), other) | (other, Val::Arr(arr)) => {
                let arr_first = matches!(a, Val::Arr(_));
                match other {
                    Val::Str(s) => {
                        let joined: Vec<String> = arr.iter().map(|v| if v.is_null() { String::new() } else { v.to_js_string() }).collect();
                        let joined = joined.join(", ");
                        return Val::Str(if arr_first { joined + s } else { s.clone() + &joined });
                    }
                    Val::Num(n) => {
                        let mut res = Val::Num(0.0);
                        for item in arr {
                            if let Val::Num(x) = item {
                                let r = res.to_number();
                                res = Val::Num(correct_after_plus_minus(&res, item, r + x));
                            }
                        }
                        let r = res.to_number();
                        return Val::Num(correct_after_plus_minus(&res, other, r + n));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        return js_add(a, b);
    }
    if matches!(a, Val::Str(_)) || matches!(b, Val::Str(_)) {
        return js_add(a, b);
    }
    match js_add(a, b) {
        Val::Num(sum) => Val::Num(correct_after_plus_minus(a, b, sum)),
        other => other, // [5] + 1 is "51" in JavaScript
    }
}

/// Decimal places of a number as JavaScript prints it ("1.25" has 2).
fn count_decimals(v: &Val) -> u32 {
    if !is_number(v) {
        return 0;
    }
    let is_integer = matches!(v, Val::Num(n) if n.floor() == *n);
    if is_integer {
        return 0;
    }
    let text = match v {
        Val::Num(n) => number_to_string(*n),
        other => other.to_js_string(),
    };
    text.split('.').nth(1).map_or(0, |d| d.chars().count() as u32)
}

/// SurveyJS's `correctAfterPlusMinis`: round off binary noise to the
/// operands' decimal places (0.1 + 0.2 is 0.3).
pub(super) fn correct_after_plus_minus(a: &Val, b: &Val, res: f64) -> f64 {
    let digits = count_decimals(a).max(count_decimals(b));
    if digits > 0 {
        round_to_fixed(res, digits.min(100))
    } else {
        res
    }
}

fn correct_after_multiple(a: &Val, b: &Val, res: f64) -> f64 {
    let digits = count_decimals(a) + count_decimals(b);
    if digits > 0 {
        round_to_fixed(res, digits.min(100))
    } else {
        res
    }
}

/// A date compared with text reads the text as a date.
/// SurveyJS's `convertValForDateCompare`, applied left then right: a date
/// compared with text is cut to the text's precision ("2026-11-26" compares
/// days), and the text is read as a date.
fn dates_for_compare(a: Val, b: Val, clock: &Clock) -> (Val, Val) {
    // Text on the left clears the milliseconds of the date on the right.
    let clears_right = matches!((&a, &b), (Val::Str(_), Val::Date(_)));
    let a = convert_for_date_compare(a, &b, clock);
    let mut b = convert_for_date_compare(b, &a, clock);
    if let (true, Val::Date(t)) = (clears_right, &mut b) {
        *t -= t.rem_euclid(1000.0);
    }
    (a, b)
}

fn convert_for_date_compare(v: Val, other: &Val, clock: &Clock) -> Val {
    use super::date::{fields, make_local, Fields};
    match (&v, other) {
        (Val::Str(s), Val::Date(o)) => {
            let t = Val::Str(s.clone()).to_date(clock);
            let o = o - o.rem_euclid(1000.0);
            let has_time = fields(o, clock).is_some_and(|f| f.hours > 0.0 || f.minutes > 0.0 || f.seconds > 0.0);
            if has_time {
                return Val::Date(t);
            }
            match fields(t, clock) {
                Some(f) => Val::Date(make_local(&Fields { hours: 0.0, minutes: 0.0, seconds: 0.0, ..f }, clock)),
                None => Val::Date(t),
            }
        }
        (Val::Date(t), Val::Str(s)) => {
            let Some(mut f) = fields(*t, clock) else { return v };
            let len = s.encode_utf16().count();
            f.ms = 0.0;
            if len < 17 {
                f.seconds = 0.0;
            }
            if len < 14 {
                f.minutes = 0.0;
            }
            if len < 11 {
                f.hours = 0.0;
            }
            Val::Date(make_local(&f, clock))
        }
        _ => v,
    }
}

fn greater(a: Val, b: Val, clock: &Clock) -> bool {
    if a.is_null() || b.is_null() {
        return false;
    }
    let (a, b) = dates_for_compare(a, b, clock);
    js_compare(&a, &b) == Some(Ordering::Greater)
}

fn equal(a: Val, b: Val, clock: &Clock) -> bool {
    let (a, b) = dates_for_compare(a, b, clock);
    values_equal(&a, &b, true)
}

fn is_object(v: &Val) -> bool {
    matches!(v, Val::Arr(_) | Val::Obj(_) | Val::Date(_))
}

/// `Helpers.checkIfValuesEqual` with SurveyJS's defaults: strings trimmed and
/// compared without case, numbers compared by value whatever their type,
/// lists compared in any order.
pub fn values_equal(x: &Val, y: &Val, ignore_order: bool) -> bool {
    // The text "undefined" stands for JavaScript's undefined here.
    let undefined = |v: &Val| matches!(v, Val::Str(s) if s == "undefined");
    let (xu, yu) = (undefined(x), undefined(y));
    if xu && yu {
        return true;
    }
    if strict_equal(x, y) {
        return true;
    }
    if (matches!(x, Val::Arr(a) if a.is_empty()) && yu) || (matches!(y, Val::Arr(a) if a.is_empty()) && xu) {
        return true;
    }
    if ((x.is_null() || xu) && matches!(y, Val::Str(s) if s.is_empty()))
        || ((y.is_null() || yu) && matches!(x, Val::Str(s) if s.is_empty()))
    {
        return true;
    }
    if let (Val::Str(a), Val::Str(b)) = (x, y) {
        if !(xu || yu) {
            return crate::answers::lowercase(a.trim()) == crate::answers::lowercase(b.trim());
        }
    }
    if let (Val::Date(a), Val::Date(b)) = (x, y) {
        return a == b;
    }
    let convertible = |v: &Val, u: bool| !v.is_null() && !u && !matches!(v, Val::Arr(_)) && !v.to_number().is_nan();
    if convertible(x, xu) && convertible(y, yu) {
        let (sx, sy) = (x.to_js_string(), y.to_js_string());
        let (ix, iy) = (parse_int(&sx), parse_int(&sy));
        let (fx, fy) = (parse_float(&sx), parse_float(&sy));
        if ix == iy && fx == fy {
            return true;
        }
    }
    let empty = |v: &Val, u: bool| u || v.is_empty();
    if empty(x, xu) != empty(y, yu) {
        return false;
    }
    match (x, y) {
        (Val::Bool(b), Val::Str(s)) | (Val::Str(s), Val::Bool(b)) => return b.to_string() == crate::answers::lowercase(s),
        _ => {}
    }
    if !is_object(x) && !is_object(y) {
        if xu || yu {
            return (xu || x.is_null()) && (yu || y.is_null());
        }
        return js_loose_eq(x, y);
    }
    if !is_object(x) || !is_object(y) {
        return false;
    }
    match (x, y) {
        (Val::Arr(a), Val::Arr(b)) => arrays_equal(a, b, ignore_order),
        (Val::Date(_), _) | (_, Val::Date(_)) => false,
        _ => {
            // Property by property; a list's properties are its indexes.
            let (a, b) = (own_properties(x), own_properties(y));
            a.iter().all(|(k, v)| b.get(k).is_some_and(|w| values_equal(v, w, ignore_order))) && b.keys().all(|k| a.contains_key(k))
        }
    }
}

fn own_properties(v: &Val) -> std::collections::BTreeMap<String, Val> {
    match v {
        Val::Obj(o) => o.clone(),
        Val::Arr(a) => crate::sort::map(a.iter().enumerate().map(|(i, x)| (i.to_string(), x.clone()))),
        _ => Default::default(),
    }
}

/// JavaScript's `===` for values that came from evaluation: objects are
/// never identical (each evaluation makes new ones).
fn strict_equal(x: &Val, y: &Val) -> bool {
    match (x, y) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(a), Val::Bool(b)) => a == b,
        (Val::Num(a), Val::Num(b)) => a == b,
        (Val::Str(a), Val::Str(b)) => a == b,
        _ => false,
    }
}

fn arrays_equal(a: &[Val], b: &[Val], ignore_order: bool) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if ignore_order {
        let (sa, sb) = (js_sorted(a), js_sorted(b));
        return sa.iter().zip(&sb).all(|(x, y)| values_equal(x, y, ignore_order));
    }
    a.iter().zip(b).all(|(x, y)| values_equal(x, y, ignore_order))
}

/// `Array.prototype.sort()` without a comparator: by string form, UTF-16 order.
fn js_sorted(a: &[Val]) -> Vec<Val> {
    let mut v: Vec<(Vec<u16>, Val)> = a.iter().map(|x| (x.to_js_string().encode_utf16().collect(), x.clone())).collect();
    crate::sort::sort_by(&mut v, |x, y| x.0 < y.0);
    v.into_iter().map(|(_, x)| x).collect()
}

fn not_contains(a: &Val, b: &Val) -> bool {
    if !a.truthy() && !b.is_empty() {
        return true;
    }
    contains_core(a, b, false)
}

/// `contains`: a substring of text (without case), or every item of the
/// right side in the list on the left.
fn contains_core(left: &Val, right: &Val, is_contains: bool) -> bool {
    if matches!(left, Val::Arr(a) if a.is_empty()) {
        return !is_contains;
    }
    if !left.truthy() && !matches!(left, Val::Num(n) if *n == 0.0) && !matches!(left, Val::Bool(false)) {
        return false;
    }
    let has_length = match left {
        Val::Str(s) => !s.is_empty(),
        Val::Arr(a) => !a.is_empty(),
        _ => false,
    };
    let left = if has_length { left.clone() } else { Val::Str(left.to_js_string()) };
    if let Val::Str(l) = &left {
        if !right.truthy() {
            return false;
        }
        let found = crate::answers::lowercase(l).contains(&crate::answers::lowercase(&right.to_js_string()));
        return if is_contains { found } else { !found };
    }
    let Val::Arr(items) = &left else { return false };
    let wanted: Vec<&Val> = match right {
        Val::Arr(r) => r.iter().collect(),
        other => vec![other],
    };
    for w in wanted {
        if !items.iter().any(|i| values_equal(i, w, true)) {
            return !is_contains;
        }
    }
    is_contains
}

fn any_of(l: &Val, r: &Val) -> bool {
    if l.is_empty() && r.is_empty() {
        return true;
    }
    if l.is_empty() {
        return false;
    }
    if r.is_empty() {
        return true;
    }
    match (l, r) {
        (Val::Arr(_), Val::Arr(rs)) => rs.iter().any(|x| contains_core(l, x, true)),
        (Val::Arr(_), _) => contains_core(l, r, true),
        _ => contains_core(r, l, true),
    }
}

fn all_of(l: &Val, r: &Val) -> bool {
    if !l.truthy() && !r.is_empty() {
        return false;
    }
    match r {
        Val::Arr(rs) => rs.iter().all(|x| contains_core(l, x, true)),
        _ => contains_core(l, r, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, values: serde_json::Value) -> serde_json::Value {
        let e = super::super::parse(expr).unwrap_or_else(|err| panic!("{expr}: {err}"));
        evaluate(&e, values.as_object().unwrap(), &Clock::default()).to_json()
    }

    #[test]
    fn matches_surveyjs_on_classic_cases() {
        let cases = [
            ("{a} + 1", json!({"a": 2}), json!(3)),
            ("{a} + 1", json!({"a": "2"}), json!(3)),
            ("'abc' = 'ABC'", json!({}), json!(true)),
            ("{a} empty", json!({"a": []}), json!(true)),
            ("{a} contains 'x'", json!({"a": ["x", "y"]}), json!(true)),
            ("abc = 'abc'", json!({}), json!(true)),
            ("{a} > 5", json!({"a": "10"}), json!(true)),
            ("iif({a} > 1, 'big', 'small')", json!({"a": 3}), json!("big")),
            ("{a.b}", json!({"a": {"B": 5}}), json!(5)),
            ("{a[1].c}", json!({"a": [{"c": 1}, {"c": 5}]}), json!(5)),
            ("{a.length}", json!({"a": [1, 2, 3]}), json!(3)),
            ("{A}", json!({"a": 1}), json!(1)),
            ("2 ^ 3 ^ 2", json!({}), json!(64)),
            ("-2 ^ 2", json!({}), json!(4)),
            ("!true or true", json!({}), json!(true)),
            ("{a} anyof ['x']", json!({"a": ["x"]}), json!(true)),
            ("1/0", json!({}), json!(null)),
            ("'5' + 3", json!({}), json!("53")),
            ("'5' * '3'", json!({}), json!(15)),
            ("null = undefined", json!({}), json!(true)),
            ("{a} = 0", json!({"a": ""}), json!(false)),
            ("{x} notempty", json!({}), json!(false)),
            ("{a}", json!({"a": "007"}), json!("007")),
            ("{a}", json!({"a": "1,5"}), json!(1.5)),
            ("{a}", json!({"a": "5-3"}), json!("5-3")),
            ("{a}", json!({"a": "12345678901234567"}), json!("12345678901234567")),
            ("{a}", json!({"a": "TRUE"}), json!(true)),
            ("1 <> 2", json!({}), json!(true)),
            ("0x10", json!({}), json!(16)),
            ("(1 + 2", json!({}), json!(3)),
            ("'it\\'s'", json!({}), json!("it's")),
            ("{a} contains", json!({"a": "x"}), json!(false)),
            ("1 < 2 < 3", json!({}), json!(true)),
            ("'10' > '9'", json!({}), json!(false)),
            ("true + 1", json!({}), json!(2)),
            ("[1,2] + 1", json!({}), json!(4)),
            ("{a} + {b}", json!({"a": null, "b": null}), json!(0)),
            ("{a} + 'x'", json!({}), json!("x")),
            ("0.1 + 0.2", json!({}), json!(0.3)),
            ("1.005 * 1000", json!({}), json!(1005)),
            ("7 % 0", json!({}), json!(null)),
            ("'' = null", json!({}), json!(true)),
            ("0 = false", json!({}), json!(true)),
            ("{a} = {b}", json!({"a": [1, 2], "b": [2, 1]}), json!(true)),
            ("'x' or 'y'", json!({}), json!("x")),
            ("0 or 'y'", json!({}), json!("y")),
            ("{a} and {b}", json!({"a": null, "b": true}), json!(0)),
            ("!{a}", json!({"a": "false"}), json!(true)),
        ];
        for (expr, values, want) in cases {
            assert_eq!(run(expr, values.clone()), want, "{expr} with {values}");
        }
    }

    #[test]
    fn rejects_what_surveyjs_rejects() {
        for bad in ["-{a}", "0xff", "nullx", "{a} emptyish", "iif (1,2,3)", "'a\"b'", "[1,]", "1e3", "1.", "007", "not true", "1 +", ""] {
            assert!(super::super::parse(bad).is_err(), "{bad} should not parse");
        }
    }
}
