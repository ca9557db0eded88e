//! Values as SurveyJS's expressions see them: JavaScript values.
//!
//! SurveyJS evaluates expressions in JavaScript, so its results follow
//! JavaScript's coercions (`"5" + 3` is `"53"`, `true + 1` is `2`, `[] == ""`).
//! Matching it means modelling those rules exactly, here and nowhere else.

use serde_json::{Map, Number, Value as Json};
use std::cmp::Ordering;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// JavaScript's `null` and `undefined`, which SurveyJS treats alike.
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Val>),
    Obj(BTreeMap<String, Val>),
    /// A point in time, in milliseconds since the epoch (a JavaScript `Date`).
    Date(f64),
}

impl Val {
    pub fn from_json(v: &Json) -> Val {
        match v {
            Json::Null => Val::Null,
            Json::Bool(b) => Val::Bool(*b),
            Json::Number(n) => Val::Num(n.as_f64().unwrap_or(f64::NAN)),
            Json::String(s) => Val::Str(s.clone()),
            Json::Array(a) => Val::Arr(a.iter().map(Val::from_json).collect()),
            Json::Object(o) => Val::Obj(crate::sort::map(o.iter().map(|(k, v)| (k.clone(), Val::from_json(v))))),
        }
    }

    /// As `JSON.stringify` would write it: NaN and infinities become null,
    /// a date its ISO string.
    pub fn to_json(&self) -> Json {
        match self {
            Val::Null => Json::Null,
            Val::Bool(b) => Json::Bool(*b),
            Val::Num(n) => num_json(*n),
            Val::Str(s) => Json::String(s.clone()),
            Val::Arr(a) => Json::Array(a.iter().map(Val::to_json).collect()),
            Val::Obj(o) => Json::Object(crate::sort::map::<_, _, Map<_, _>>(o.iter().map(|(k, v)| (k.clone(), v.to_json())))),
            Val::Date(ms) => {
                if ms.is_finite() {
                    Json::String(crate::expr::date::iso_string(*ms))
                } else {
                    Json::Null
                }
            }
        }
    }

    /// SurveyJS's `createDate`, in milliseconds: no value is now; a date
    /// stays; text and numbers are read as `new Date(…)` would.
    pub fn to_date(&self, clock: &super::date::Clock) -> f64 {
        match self {
            Val::Null => clock.now_ms,
            v if !v.truthy() => clock.now_ms,
            Val::Date(t) => *t,
            Val::Num(n) if n.abs() <= 8.64e15 => *n,
            Val::Num(_) => f64::NAN,
            Val::Str(s) => super::date::parse(s, clock),
            Val::Bool(b) => f64::from(u8::from(*b)),
            _ => f64::NAN,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    /// JavaScript's ToBoolean.
    pub fn truthy(&self) -> bool {
        match self {
            Val::Null => false,
            Val::Bool(b) => *b,
            Val::Num(n) => *n != 0.0 && !n.is_nan(),
            Val::Str(s) => !s.is_empty(),
            Val::Arr(_) | Val::Obj(_) => true,
            Val::Date(_) => true,
        }
    }

    /// SurveyJS's `Helpers.isValueEmpty`: null, "", NaN, [] and objects whose
    /// values are all empty. `0` and `false` are values.
    pub fn is_empty(&self) -> bool {
        match self {
            Val::Arr(a) => a.is_empty(),
            Val::Obj(o) => o.values().all(Val::is_empty),
            Val::Num(n) => n.is_nan(),
            Val::Bool(_) | Val::Date(_) => false,
            Val::Null => true,
            Val::Str(s) => s.is_empty(),
        }
    }

    /// JavaScript's ToNumber.
    pub fn to_number(&self) -> f64 {
        match self {
            Val::Null => 0.0, // null; SurveyJS has no undefined here
            Val::Bool(b) => f64::from(u8::from(*b)),
            Val::Num(n) => *n,
            Val::Str(s) => string_to_number(s),
            Val::Arr(_) | Val::Obj(_) => string_to_number(&self.to_js_string()),
            Val::Date(ms) => *ms,
        }
    }

    /// JavaScript's ToString.
    pub fn to_js_string(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => number_to_string(*n),
            Val::Str(s) => s.clone(),
            Val::Arr(a) => {
                let parts: Vec<String> = a.iter().map(|v| if v.is_null() { String::new() } else { v.to_js_string() }).collect();
                parts.join(",")
            }
            Val::Obj(_) => "[object Object]".into(),
            Val::Date(ms) => crate::expr::date::to_js_string(*ms),
        }
    }

    /// ToPrimitive with no hint: arrays, objects and dates become their string.
    fn to_primitive(&self) -> Val {
        match self {
            Val::Arr(_) | Val::Obj(_) | Val::Date(_) => Val::Str(self.to_js_string()),
            other => other.clone(),
        }
    }
}

fn num_json(n: f64) -> Json {
    if n.is_finite() {
        if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
            return Json::Number(Number::from(n as i64));
        }
        Number::from_f64(n).map_or(Json::Null, Json::Number)
    } else {
        Json::Null
    }
}

/// JavaScript's `+`: concatenation when either side is (or becomes) a string.
pub fn js_add(a: &Val, b: &Val) -> Val {
    let (pa, pb) = (a.to_primitive(), b.to_primitive());
    if matches!(pa, Val::Str(_)) || matches!(pb, Val::Str(_)) {
        return Val::Str(pa.to_js_string() + &pb.to_js_string());
    }
    Val::Num(pa.to_number() + pb.to_number())
}

/// JavaScript's abstract relational comparison (`<`); `None` when undefined (NaN).
pub fn js_compare(a: &Val, b: &Val) -> Option<Ordering> {
    let number_hint = |v: &Val| match v {
        Val::Date(t) => Val::Num(*t),
        other => other.to_primitive(),
    };
    let (pa, pb) = (number_hint(a), number_hint(b));
    if let (Val::Str(x), Val::Str(y)) = (&pa, &pb) {
        return Some(cmp_utf16(x, y));
    }
    pa.to_number().partial_cmp(&pb.to_number())
}

fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// JavaScript's loose equality `==` between two values that are not objects.
pub fn js_loose_eq(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Null, _) | (_, Val::Null) => false,
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Date(x), Val::Date(y)) => x == y, // same object only in JS; SurveyJS compares times first
        (Val::Bool(_), _) => js_loose_eq(&Val::Num(a.to_number()), b),
        (_, Val::Bool(_)) => js_loose_eq(a, &Val::Num(b.to_number())),
        (Val::Num(x), Val::Str(_)) => *x == b.to_number(),
        (Val::Str(_), Val::Num(y)) => a.to_number() == *y,
        (Val::Arr(_) | Val::Obj(_) | Val::Date(_), _) | (_, Val::Arr(_) | Val::Obj(_) | Val::Date(_)) => {
            let (pa, pb) = (a.to_primitive(), b.to_primitive());
            if matches!(pa, Val::Arr(_) | Val::Obj(_)) || matches!(pb, Val::Arr(_) | Val::Obj(_)) {
                return false;
            }
            match (&pa, &pb) {
                (Val::Date(x), Val::Date(y)) => x == y,
                (Val::Date(x), other) | (other, Val::Date(x)) => js_loose_eq(&Val::Str(crate::expr::date::to_js_string(*x)), other),
                _ => js_loose_eq(&pa, &pb),
            }
        }
    }
}

/// JavaScript's StringToNumber: trimmed decimal, `0x`/`0o`/`0b` integers,
/// `Infinity`; "" is 0; anything else NaN.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(digits) = t.strip_prefix(prefix) {
            return parse_radix(digits, radix).unwrap_or(f64::NAN);
        }
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned == "Infinity" {
        return if t.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    if !is_decimal_literal(unsigned) {
        return f64::NAN;
    }
    crate::num::parse(t).unwrap_or(f64::NAN)
}

fn parse_radix(digits: &str, radix: u32) -> Option<f64> {
    if digits.is_empty() {
        return None;
    }
    let mut n = 0f64;
    for c in digits.chars() {
        n = n * f64::from(radix) + f64::from(c.to_digit(radix)?);
    }
    Some(n)
}

/// `123`, `1.5`, `.5`, `5.`, with an optional exponent.
fn is_decimal_literal(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let ok_mantissa = digits(int) && frac.is_none_or(digits) && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let ok_exp = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    ok_mantissa && ok_exp
}

pub fn is_js_whitespace(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// JavaScript's `parseFloat`: the longest decimal prefix after leading
/// whitespace, `Infinity` included; NaN when there is none.
pub fn parse_float(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_whitespace);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if t[i..].starts_with("Infinity") {
        return if t.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    let start_digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut end = i;
    let mut any = i > start_digits;
    if i < b.len() && b[i] == b'.' {
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > i + 1 || any {
            any = any || j > i + 1;
            end = j;
            i = j;
        }
    }
    if !any {
        return f64::NAN;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let d = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > d {
            end = j;
        }
    }
    crate::num::parse(&t[..end]).unwrap_or(f64::NAN)
}

/// JavaScript's `parseInt(s)` with radix 10 (or 16 after `0x`).
pub fn parse_int(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_whitespace);
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, t) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(rest) => (16, rest),
        None => (10, t),
    };
    let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
    match parse_radix(&digits, radix) {
        Some(n) if neg => -n,
        Some(n) => n,
        None => f64::NAN,
    }
}

/// JavaScript's Number::toString for radix 10.
pub fn number_to_string(x: f64) -> String {
    crate::num::to_js_string(x)
}

/// JavaScript's `Number.prototype.toFixed(digits)` followed by `parseFloat`,
/// which SurveyJS uses to round away binary noise (0.1 + 0.2 is 0.3).
pub fn round_to_fixed(x: f64, digits: u32) -> f64 {
    if !x.is_finite() || x.abs() >= 1e21 {
        return x;
    }
    crate::num::parse(&crate::num::to_fixed(x, digits)).unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        for (n, s) in [
            (1.0, "1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (-1.5, "-1.5"),
            (2f64.sqrt(), "1.4142135623730951"),
            (1.2345e-10, "1.2345e-10"),
        ] {
            assert_eq!(number_to_string(n), s);
        }
    }

    #[test]
    fn strings_become_numbers_like_javascript() {
        assert_eq!(string_to_number(" 12 "), 12.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number("0x1A"), 26.0);
        assert_eq!(string_to_number(".5"), 0.5);
        assert_eq!(string_to_number("5."), 5.0);
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert!(string_to_number("1,5").is_nan());
        assert!(string_to_number("abc").is_nan());
        assert_eq!(parse_float("1.5abc"), 1.5);
        assert_eq!(parse_float(" -3e2x"), -300.0);
        assert!(parse_float(".").is_nan());
        assert_eq!(parse_int("12.7"), 12.0);
        assert_eq!(parse_int("0x1f"), 31.0);
    }

    #[test]
    fn plus_and_comparisons() {
        let s = |x: &str| Val::Str(x.into());
        assert_eq!(js_add(&s("5"), &Val::Num(3.0)), s("53"));
        assert_eq!(js_add(&Val::Bool(true), &Val::Num(1.0)), Val::Num(2.0));
        assert_eq!(js_add(&Val::Arr(vec![Val::Num(1.0), Val::Num(2.0)]), &Val::Num(1.0)), s("1,21"));
        assert_eq!(js_compare(&s("10"), &s("9")), Some(Ordering::Less));
        assert_eq!(js_compare(&s("10"), &Val::Num(9.0)), Some(Ordering::Greater));
        assert_eq!(js_compare(&s("x"), &Val::Num(9.0)), None);
        assert!(js_loose_eq(&Val::Num(0.0), &s("")));
        assert!(js_loose_eq(&Val::Bool(true), &s("1")));
        assert!(!js_loose_eq(&Val::Null, &Val::Num(0.0)));
    }

    #[test]
    fn fixed_rounding() {
        assert_eq!(round_to_fixed(0.1 + 0.2, 1), 0.3);
        assert_eq!(round_to_fixed(1.005 * 1000.0, 3), 1005.0);
    }
}
