//! The built-in functions, as `survey-core`'s `functionsfactory` defines them.

use super::date::{self, Clock, Fields};
use super::eval::{correct_after_plus_minus, evaluate, get_number, is_number, is_true, Scope};
use super::value::{js_add, js_compare, Val};
use super::Expr;
use std::cmp::Ordering;

/// Every function an expression may call.
pub const FUNCTIONS: &[&str] = &[
    "iif",
    "sum",
    "min",
    "max",
    "avg",
    "count",
    "round",
    "trunc",
    "sumInArray",
    "minInArray",
    "maxInArray",
    "countInArray",
    "avgInArray",
    "age",
    "today",
    "currentDate",
    "currentYear",
    "getDate",
    "getYear",
    "dateAdd",
    "dateDiff",
    "diffDays",
    "year",
    "month",
    "day",
    "weekday",
    "substring",
];

pub fn call(name: &str, args: &[Expr], scope: &dyn Scope, clock: &Clock) -> Val {
    let params: Vec<Val> = args.iter().map(|a| evaluate(a, scope, clock)).collect();
    let p = |i: usize| params.get(i).cloned().unwrap_or(Val::Null);
    match name {
        "iif" => {
            if params.len() < 2 {
                Val::Null
            } else if params[0].truthy() {
                p(1)
            } else {
                p(2)
            }
        }
        "sum" => sum(&flat(&params)),
        "min" => min_max(&flat(&params), true),
        "max" => min_max(&flat(&params), false),
        "count" => Val::Num(flat(&params).len() as f64),
        "avg" => {
            let items = flat(&params);
            if items.is_empty() {
                Val::Num(0.0)
            } else {
                Val::Num(sum(&items).to_number() / items.len() as f64)
            }
        }
        "round" => round(&flat(&params)),
        "trunc" => trunc(&flat(&params)),
        "sumInArray" => {
            let r = in_array(&params, args, scope, clock, true, |res, v| {
                let res = res.unwrap_or(Val::Num(0.0));
                if v.is_null() {
                    return res;
                }
                let sum = js_add(&res, &v);
                match sum {
                    Val::Num(n) => Val::Num(correct_after_plus_minus(&res, &v, n)),
                    other => other,
                }
            });
            r.unwrap_or(Val::Num(0.0))
        }
        "countInArray" => count_in_array(&params, args, scope, clock),
        "avgInArray" => {
            let count = count_in_array(&params, args, scope, clock).to_number();
            if count == 0.0 {
                return Val::Num(0.0);
            }
            let sum = call("sumInArray", args, scope, clock);
            Val::Num(sum.to_number() / count)
        }
        "minInArray" => min_max_in_array(&params, args, scope, clock, true),
        "maxInArray" => min_max_in_array(&params, args, scope, clock, false),
        "getDate" => {
            if !p(0).truthy() {
                Val::Null
            } else {
                Val::Date(p(0).to_date(clock))
            }
        }
        "age" => {
            if !p(0).truthy() {
                return Val::Null;
            }
            let kind = if p(1).truthy() { p(1) } else { Val::Str("years".into()) };
            date_diff_months(&p(0), &Val::Null, &kind, clock)
        }
        "dateDiff" => {
            if params.len() < 2 || !p(0).truthy() || !p(1).truthy() {
                return Val::Null;
            }
            let kind = if p(2).truthy() { p(2) } else { Val::Str("days".into()) };
            let unit = match &kind {
                Val::Str(s) if s == "hours" => Some(3_600_000.0),
                Val::Str(s) if s == "minutes" => Some(60_000.0),
                Val::Str(s) if s == "seconds" => Some(1_000.0),
                _ => None,
            };
            match unit {
                Some(u) => {
                    let (a, b) = (p(0).to_date(clock), p(1).to_date(clock));
                    Val::Num(((b - a).abs() / u).ceil())
                }
                None => date_diff_months(&p(0), &p(1), &kind, clock),
            }
        }
        "dateAdd" => {
            if params.len() < 2 || !p(0).truthy() || !p(1).truthy() {
                return Val::Null;
            }
            let t = p(0).to_date(clock);
            let kind = if p(2).truthy() { p(2).to_js_string() } else { "days".into() };
            Val::Date(add_to_date(t, &p(1), &kind, clock))
        }
        "currentDate" => Val::Date(clock.now_ms),
        "today" => {
            let mut t = today(clock);
            if params.len() == 1 {
                t = add_to_date(t, &params[0], "days", clock);
            }
            Val::Date(t)
        }
        "getYear" => {
            if params.len() != 1 || !p(0).truthy() {
                return Val::Null;
            }
            field(p(0).to_date(clock), clock, |f| f.year)
        }
        "currentYear" => field(clock.now_ms, clock, |f| f.year),
        "diffDays" => diff_days(&params, clock),
        "year" | "month" | "day" | "weekday" => {
            let t = if p(0).truthy() { p(0).to_date(clock) } else { today(clock) };
            field(t, clock, |f| match name {
                "year" => f.year,
                "month" => f.month + 1.0,
                "day" => f.day,
                _ => f.weekday,
            })
        }
        "substring" => substring(&params),
        _ => Val::Null,
    }
}

/// `getParamsAsArray`: nested lists flattened, nulls dropped, numeric text made numbers.
fn flat(params: &[Val]) -> Vec<Val> {
    fn push(v: &Val, out: &mut Vec<Val>) {
        match v {
            Val::Null => {}
            Val::Arr(items) => items.iter().for_each(|i| push(i, out)),
            other => {
                let n = get_number(other);
                out.push(if n.is_nan() { other.clone() } else { Val::Num(n) });
            }
        }
    }
    let mut out = Vec::new();
    params.iter().for_each(|p| push(p, &mut out));
    out
}

fn sum(items: &[Val]) -> Val {
    let mut res = Val::Num(0.0);
    for item in items {
        let next = js_add(&res, item);
        res = match next {
            Val::Num(n) => Val::Num(correct_after_plus_minus(&res, item, n)),
            other => other,
        };
    }
    res
}

fn min_max(items: &[Val], is_min: bool) -> Val {
    let mut res: Option<Val> = None;
    for item in items {
        let current = res.get_or_insert_with(|| item.clone());
        let replace =
            if is_min { js_compare(current, item) == Some(Ordering::Greater) } else { js_compare(current, item) == Some(Ordering::Less) };
        if replace {
            *current = item.clone();
        }
    }
    res.unwrap_or(Val::Null)
}

/// JavaScript's `Math.round`: halves go up, toward +∞.
fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    if x - f < 0.5 {
        f
    } else {
        f + 1.0
    }
}

fn round(items: &[Val]) -> Val {
    let Some(num) = items.first() else { return Val::Num(f64::NAN) };
    let precision = items.get(1).filter(|p| p.truthy()).cloned().unwrap_or(Val::Num(0.0));
    if !is_number(num) || !is_number(&precision) {
        return Val::Num(f64::NAN);
    }
    let p = 10f64.powf(precision.to_number());
    let n = num.to_number() * p * (1.0 + f64::EPSILON);
    Val::Num(js_round(n) / p)
}

/// SurveyJS truncates by matching `^-?\d+(?:.\d{0,P})?` against the number's text.
fn trunc(items: &[Val]) -> Val {
    let Some(num) = items.first() else { return Val::Num(f64::NAN) };
    let precision = items.get(1).filter(|p| p.truthy()).cloned().unwrap_or(Val::Num(-1.0));
    if !is_number(num) || !is_number(&precision) {
        return Val::Num(f64::NAN);
    }
    let text = num.to_js_string();
    let chars: Vec<char> = text.chars().collect();
    let mut i = usize::from(chars.first() == Some(&'-'));
    let digits_start = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if i == digits_start {
        return Val::Num(f64::NAN);
    }
    let p = precision.to_number();
    // `\d{0,P}` is a quantifier only for a whole P from 0; otherwise the
    // pattern asks for those characters literally and the group never matches.
    if p >= 0.0 && p.fract() == 0.0 && i < chars.len() {
        // `.` in that pattern is any character, then up to P digits.
        let mut j = i + 1;
        while j < chars.len() && ((j - i - 1) as f64) < p && chars[j].is_ascii_digit() {
            j += 1;
        }
        i = j;
    }
    let matched: String = chars[..i].iter().collect();
    Val::Num(super::value::string_to_number(&matched))
}

/// The parts of the `…InArray` functions' arguments: the list, the property,
/// the property to return, and the condition an item must meet.
struct InArray<'a> {
    items: Vec<Val>,
    name: String,
    return_name: String,
    condition: Option<std::borrow::Cow<'a, Expr>>,
}

fn in_array_params<'a>(params: &[Val], args: &'a [Expr]) -> Option<InArray<'a>> {
    if params.len() < 2 || params.len() > 4 || !params[0].truthy() {
        return None;
    }
    let items = match &params[0] {
        Val::Arr(a) => a.clone(),
        Val::Obj(o) => o.values().cloned().collect(),
        Val::Str(s) => s.chars().map(|c| Val::Str(c.to_string())).collect(),
        _ => Vec::new(),
    };
    let Val::Str(name) = &params[1] else { return None };
    let mut return_name = name.clone();
    let mut expression_index = 2;
    if params.len() > 2 {
        if let (Val::Str(s), Some(Expr::Const(_))) = (&params[2], args.get(2)) {
            if !s.contains(['{', '}', '>', '<', '=', '!']) {
                return_name = s.clone();
                expression_index = 3;
            }
        }
    }
    let condition = match params.get(expression_index) {
        Some(Val::Str(text)) if !text.is_empty() => super::parse(text).ok().map(std::borrow::Cow::Owned),
        _ => args
            .get(expression_index)
            .filter(|a| !matches!(a, Expr::Const(Val::Null) | Expr::Const(Val::Str(_))))
            .map(std::borrow::Cow::Borrowed),
    };
    Some(InArray { items, name: name.clone(), return_name, condition })
}

fn item_value(item: &Val, name: &str) -> Val {
    match item {
        Val::Obj(o) => o.get(name).cloned().unwrap_or(Val::Null),
        _ => Val::Null,
    }
}

fn item_passes(item: &Val, condition: &Option<std::borrow::Cow<'_, Expr>>, clock: &Clock) -> bool {
    let Some(c) = condition else { return true };
    let scope: std::collections::BTreeMap<String, Val> = match item {
        Val::Obj(o) => o.clone(),
        _ => Default::default(),
    };
    is_true(&evaluate(c, &scope, clock))
}

fn to_number_or_null(v: Val) -> Val {
    match v {
        Val::Str(_) => {
            let n = get_number(&v);
            if n.is_nan() {
                Val::Null
            } else {
                Val::Num(n)
            }
        }
        other => other,
    }
}

fn in_array(
    params: &[Val],
    args: &[Expr],
    _scope: &dyn Scope,
    clock: &Clock,
    convert: bool,
    f: impl Fn(Option<Val>, Val) -> Val,
) -> Option<Val> {
    let v = in_array_params(params, args)?;
    let mut res: Option<Val> = None;
    for item in &v.items {
        let value = item_value(item, &v.name);
        if !item.truthy() || value.is_empty() || !item_passes(item, &v.condition, clock) {
            continue;
        }
        let value = if convert { to_number_or_null(value) } else { Val::Num(1.0) };
        res = Some(f(res, value));
    }
    res
}

fn count_in_array(params: &[Val], args: &[Expr], scope: &dyn Scope, clock: &Clock) -> Val {
    in_array(params, args, scope, clock, false, |res, v| {
        let res = res.unwrap_or(Val::Num(0.0));
        if v.is_null() {
            res
        } else {
            Val::Num(res.to_number() + 1.0)
        }
    })
    .unwrap_or(Val::Num(0.0))
}

fn min_max_in_array(params: &[Val], args: &[Expr], _scope: &dyn Scope, clock: &Clock, is_min: bool) -> Val {
    let Some(v) = in_array_params(params, args) else { return Val::Null };
    let mut best: Option<(Val, &Val)> = None;
    for item in &v.items {
        let value = item_value(item, &v.name);
        if !item.truthy() || value.is_empty() || !item_passes(item, &v.condition, clock) {
            continue;
        }
        let value = to_number_or_null(value);
        if value.is_null() {
            continue;
        }
        let better = match &best {
            None => true,
            Some((b, _)) => js_compare(&value, b) == Some(if is_min { Ordering::Less } else { Ordering::Greater }),
        };
        if better {
            best = Some((value, item));
        }
    }
    match best {
        None => Val::Null,
        Some((_, item)) if v.return_name != v.name => item_value(item, &v.return_name),
        Some((value, _)) => value,
    }
}

fn today(clock: &Clock) -> f64 {
    match date::fields(clock.now_ms, clock) {
        Some(f) => date::make_local(&Fields { hours: 0.0, minutes: 0.0, seconds: 0.0, ms: 0.0, ..f }, clock),
        None => f64::NAN,
    }
}

fn field(t: f64, clock: &Clock, pick: impl Fn(&Fields) -> f64) -> Val {
    date::fields(t, clock).map_or(Val::Num(f64::NAN), |f| Val::Num(pick(&f)))
}

/// `date.setX(date.getX() + amount)` for the named part.
fn add_to_date(t: f64, amount: &Val, kind: &str, clock: &Clock) -> f64 {
    let Some(mut f) = date::fields(t, clock) else { return f64::NAN };
    // JavaScript's setters drop the fraction of what they are given.
    let add = |x: f64| js_add(&Val::Num(x), amount).to_number().trunc();
    match kind {
        "days" => f.day = add(f.day),
        "months" => f.month = add(f.month),
        "years" => f.year = add(f.year),
        "hours" => f.hours = add(f.hours),
        "minutes" => f.minutes = add(f.minutes),
        "seconds" => f.seconds = add(f.seconds),
        _ => {}
    }
    date::make_local(&f, clock)
}

fn diff_days(params: &[Val], clock: &Clock) -> Val {
    if params.len() != 2 || !params[0].truthy() || !params[1].truthy() {
        return Val::Num(0.0);
    }
    let a = date::fields(params[0].to_date(clock), clock);
    let b = date::fields(params[1].to_date(clock), clock);
    match (a, b) {
        (Some(a), Some(b)) => Val::Num(((date::utc_date(&b) - date::utc_date(&a)).abs() / 86_400_000.0).ceil()),
        _ => Val::Num(f64::NAN),
    }
}

fn date_diff_months(d1: &Val, d2: &Val, kind: &Val, clock: &Clock) -> Val {
    if matches!(kind, Val::Str(s) if s == "days") {
        return diff_days(&[d1.clone(), d2.clone()], clock);
    }
    let months = match (date::fields(d1.to_date(clock), clock), date::fields(d2.to_date(clock), clock)) {
        (Some(a), Some(b)) => (b.year - a.year) * 12.0 + b.month - a.month - if b.day < a.day { 1.0 } else { 0.0 },
        _ => f64::NAN,
    };
    if matches!(kind, Val::Str(s) if s == "months") {
        Val::Num(months)
    } else {
        // `~~(months / 12)`: an invalid date gives 0 years, not NaN.
        let years = (months / 12.0).trunc();
        Val::Num(if years.is_finite() { years } else { 0.0 })
    }
}

/// JavaScript's `String.prototype.substring`, in UTF-16 units.
fn substring(params: &[Val]) -> Val {
    if params.len() < 2 {
        return Val::Str(String::new());
    }
    let Val::Str(s) = &params[0] else { return Val::Str(String::new()) };
    if s.is_empty() || !is_number(&params[1]) {
        return Val::Str(String::new());
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    let len = units.len() as f64;
    let clamp = |v: &Val| {
        let n = v.to_number();
        if n.is_nan() {
            0.0
        } else {
            crate::num::clamp(n.trunc(), 0.0, len)
        }
    };
    let start = clamp(&params[1]);
    let end = match params.get(2) {
        Some(e) if is_number(e) => clamp(e),
        _ => len,
    };
    let (a, b) = if start <= end { (start, end) } else { (end, start) };
    Val::Str(String::from_utf16_lossy(&units[a as usize..b as usize]))
}
