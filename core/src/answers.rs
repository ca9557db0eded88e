//! What an answer map is: answers by question name, when two names are the
//! same, when an answer counts as given, and where "Other" text lives.
//!
//! SurveyJS finds an answer by the JavaScript `toLowerCase()` of its name,
//! which is Unicode-aware: `{đơn_vị}` reads the answer of `Đơn_vị`. Every map
//! keyed by name and every comparison of names in phieu goes through
//! [`name_key`] or [`same_name`], so the phone, the server and the
//! expressions agree.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Answers by question name, as they are stored and submitted.
pub type Answers = Map<String, Value>;

/// A name as maps key it: lower case by Unicode's default mapping (what
/// JavaScript's `toLowerCase()` does). Borrows when nothing changes.
pub fn name_key(name: &str) -> Cow<'_, str> {
    if name.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(lowercase(name))
    }
}

/// Lower-cases text as JavaScript's `toLowerCase()` does.
pub type Lowercase = fn(&str) -> String;

static LOWERCASE: OnceLock<Lowercase> = OnceLock::new();

/// Installs the platform's lower-casing (the browser's `toLowerCase`), so
/// the standard library's Unicode case tables stay out of the phone's wasm.
pub fn set_lowercase(f: Lowercase) {
    let _ = LOWERCASE.set(f);
}

/// `s` in lower case by Unicode's default mapping, as JavaScript's
/// `toLowerCase()` (and Rust's `str::to_lowercase`) make it. Every
/// lower-casing in phieu goes through here.
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    match LOWERCASE.get() {
        Some(f) => f(s),
        None => builtin_lowercase(s),
    }
}

#[cfg(feature = "unicode-case")]
fn builtin_lowercase(s: &str) -> String {
    s.to_lowercase()
}

/// Without the standard library's tables or the platform's: ASCII only.
#[cfg(not(feature = "unicode-case"))]
fn builtin_lowercase(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Whether two names refer to the same answer.
pub fn same_name(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        name_key(a) == name_key(b)
    }
}

/// The key of the text a person types for "Other" (or a question's comment
/// box): `<name>-Comment`, as SurveyJS stores it.
pub fn comment_key(name: &str) -> String {
    format!("{name}{COMMENT_SUFFIX}")
}

/// Whether `key` holds "Other" text rather than an answer of its own.
pub fn is_comment_key(key: &str) -> bool {
    key.ends_with(COMMENT_SUFFIX)
}

const COMMENT_SUFFIX: &str = "-Comment";

/// A value that counts as "not answered": missing, null, blank text or an
/// empty list. `false` is an answer (a boolean question answered "no").
pub fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.values().all(|v| is_empty(Some(v))),
        Some(_) => false,
    }
}

/// Stores `value` under `key`, or removes the key when the value is empty:
/// an unanswered question has no key at all, at the top or in an object.
pub fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) if !is_empty(Some(&v)) => {
            map.insert(key.to_string(), v);
        }
        _ => {
            map.remove(key);
        }
    }
}

/// The answer at `key` as validation names one inside repeats
/// (`outer[0].inner[1].q`; a plain name at the top).
pub fn find<'a>(answers: &'a Answers, key: &str) -> Option<&'a Value> {
    let mut steps = key.split("].");
    let (name, mut index) = step(steps.next()?);
    let mut at = answers.get(name)?;
    for s in steps {
        at = within(at, index?)?;
        let (name, i) = step(s);
        at = at.get(name)?;
        index = i;
    }
    match index {
        Some(i) => within(at, i),
        None => Some(at),
    }
}

/// A repeat by its position, or a matrixdropdown's row by its value (`m[r1].a`).
fn within<'a>(v: &'a Value, index: &str) -> Option<&'a Value> {
    match v {
        Value::Object(rows) => rows.get(index),
        _ => v.get(index.parse::<usize>().ok()?),
    }
}

/// Stores `value` at `key` (as [`find`] reads it) by [`put`]'s rules, adding
/// empty repeats up to the one it is in (a matrixdropdown's row, an object, leaves when empty).
pub fn put_at(answers: &mut Answers, key: &str, value: Option<Value>) {
    let Some((outer, rest)) = key.split_once("].") else { return put(answers, key, value) };
    let (name, Some(index)) = step(outer) else { return };
    if let Some(Value::Object(rows)) = answers.get_mut(name) {
        let mut row = rows.get(index).and_then(Value::as_object).cloned().unwrap_or_default();
        put_at(&mut row, rest, value);
        return put(rows, index, Some(Value::Object(row)));
    }
    let Ok(index) = index.parse::<usize>() else { return };
    let mut list = match answers.remove(name) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    while list.len() <= index {
        list.push(Value::Object(Map::new()));
    }
    if let Value::Object(repeat) = &mut list[index] {
        put_at(repeat, rest, value);
    }
    answers.insert(name.to_string(), Value::Array(list));
}

/// `name[3` (a step of a key split at `].`), or `name`.
fn step(s: &str) -> (&str, Option<&str>) {
    match s.rsplit_once('[') {
        Some((name, i)) => (name, Some(i.trim_end_matches(']'))),
        None => (s, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_compare_as_javascript_lower_cases_them() {
        assert!(same_name("Đơn_vị", "đơn_vị"));
        assert!(same_name("ĐƠN_VỊ", "đơn_vị"));
        assert!(same_name("Age", "age"));
        assert!(!same_name("don_vi", "đơn_vị"), "diacritics are part of a name");
        assert_eq!(name_key("Đơn_vị"), "đơn_vị");
        assert!(matches!(name_key("age"), Cow::Borrowed(_)));
        // The Kelvin sign lower-cases to a plain k, in JavaScript as here.
        assert!(same_name("\u{212A}m", "km"));
    }

    #[test]
    fn emptiness_and_put() {
        assert!(is_empty(Some(&json!("  "))));
        assert!(is_empty(Some(&json!({"a": "", "b": []}))));
        assert!(!is_empty(Some(&json!(false))));
        assert!(!is_empty(Some(&json!(0))));
        let mut m = Answers::new();
        put(&mut m, "q", Some(json!("x")));
        put(&mut m, "r", Some(json!([])));
        assert_eq!(Value::Object(m.clone()), json!({"q": "x"}));
        put(&mut m, "q", None);
        assert!(m.is_empty());
        assert_eq!(comment_key("kenh"), "kenh-Comment");
        assert!(is_comment_key("kenh-Comment") && !is_comment_key("kenh"));
    }

    #[test]
    fn answers_inside_repeats_inside_repeats_are_found_and_stored_by_their_key() {
        let mut m = Answers::new();
        put_at(&mut m, "h[1].members[0].name", Some(json!("Lan")));
        assert_eq!(Value::Object(m.clone()), json!({"h": [{}, {"members": [{"name": "Lan"}]}]}));
        assert_eq!(find(&m, "h[1].members[0].name"), Some(&json!("Lan")));
        assert_eq!(find(&m, "h[1].members[0]"), Some(&json!({"name": "Lan"})));
        assert_eq!(find(&m, "h[1].members"), Some(&json!([{"name": "Lan"}])));
        assert_eq!(find(&m, "h[0].members"), None);
        put_at(&mut m, "h[1].members[0].name", None);
        assert_eq!(Value::Object(m.clone()), json!({"h": [{}, {"members": [{}]}]}));
        put_at(&mut m, "h", None);
        assert!(m.is_empty());
    }
}
