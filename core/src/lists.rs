//! Choice lists kept beside a form (`choicesByUrl`): which addresses phieu
//! accepts, and a list's text turned into options as survey-core's
//! `ChoicesRestful` turns a response into them. The caller fetches or reads
//! the text (the core does no IO); [`crate::read`] says where a problem is.

use crate::form::{value_text, Choice};
use crate::localized::Localized;
use serde_json::Value;

/// Where in `choicesByUrl` a problem with a list lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Url,
    Path,
    ValueName,
    TitleName,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::Url => "url",
            Field::Path => "path",
            Field::ValueName => "valueName",
            Field::TitleName => "titleName",
        }
    }
}

/// How to read options out of a list (`choicesByUrl` without its `url`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Reading<'a> {
    pub path: Option<&'a str>,
    pub value_name: Option<&'a str>,
    pub title_name: Option<&'a str>,
    pub image_name: Option<&'a str>,
    pub allow_empty: bool,
}

/// The address as survey-core uses it: without its `{CACHE}` and `{NOCACHE}` marks.
pub fn address(url: &str) -> String {
    url.replace("{CACHE}", "").replace("{NOCACHE}", "").trim().to_string()
}

/// Why phieu cannot keep this address with the form, if it cannot. Only a
/// path relative to the form qualifies: it resolves to the form's own site
/// on the phone and to a file beside the form's on the server, and its text
/// is the same in both places.
pub fn address_problem(address: &str) -> Option<&'static str> {
    let b = address.as_bytes();
    let scheme = b.iter().position(|&c| c == b':').is_some_and(|c| !b[..c].contains(&b'/'));
    if b.contains(&b'{') {
        Some("the address depends on answers ({name}); phieu keeps a list with the form: give one fixed file, narrowed by 'choicesVisibleIf'")
    } else if scheme || b.first() == Some(&b'/') || b.contains(&b'\\') {
        Some("phieu keeps a list with the form: give a path beside it, such as \"lists/districts.json\", and copy the list there")
    } else if b.iter().any(|c| b"?#%".contains(c)) {
        Some("a list's path has no '?', '#' or '%'")
    } else {
        None
    }
}

/// The options in a list's text, as survey-core reads them: `path` leads to
/// the array (split at `;`, else `,`, else `.`); each item's value is its
/// `valueName` field (dots go deeper), or the item itself when it is a
/// string or number; its text is its `titleName` field (default `title`),
/// a string or texts by language, else the value. Items that are JavaScript
/// falsy are skipped. A plain-text list (not JSON) is one option a line.
/// What survey-core would read otherwise than phieu is an error, with the
/// field of `choicesByUrl` it concerns: the first one found.
pub fn options(text: &str, how: &Reading) -> Result<Vec<Choice>, (Field, String)> {
    let text = text.trim_start_matches('\u{feff}');
    let parsed = match text.trim_start().bytes().next() {
        Some(b'<') => return Err((Field::Url, "this list is XML; phieu reads JSON (or plain text, one option a line)".into())),
        Some(b'[' | b'{' | b'"') => crate::json::parse(text).map_err(|e| (Field::Url, format!("this list is not valid JSON: {e}")))?,
        // survey-core's fallback for a response that is not JSON: its lines.
        _ => Value::Array(text.split('\n').map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.into())).collect()),
    };
    let mut at = &parsed;
    let path = how.path.unwrap_or("");
    if !path.is_empty() {
        let sep = [';', ','].into_iter().find(|&c| path.contains(c)).unwrap_or('.');
        for step in path.split(sep) {
            at = step_into(at, step).filter(|v| !falsy(v)).ok_or_else(|| {
                (Field::Path, format!("the list has nothing at '{step}' of this path (survey-core would offer no options)"))
            })?;
        }
    }
    let Value::Array(items) = at else {
        return Err((Field::Path, format!("expected a list of options at this path, found {}", kind_of(at))));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !falsy(item) {
            out.push(option(item, how).map_err(|(f, m)| (f, format!("option {i} {m}")))?);
        }
    }
    if out.is_empty() && !how.allow_empty {
        return Err((Field::Url, "this list has no options (survey-core shows an error; \"allowEmptyResponse\": true offers none)".into()));
    }
    Ok(out)
}

/// One item of a list as an option, or what is wrong with it.
fn option(item: &Value, how: &Reading) -> Result<Choice, (Field, String)> {
    let value = match (how.value_name, item) {
        (Some(name), _) => deep(item, name),
        // survey-core takes an object's first field as written, which a parsed object no longer tells.
        (None, Value::Object(o)) if o.len() > 1 => {
            return Err((Field::ValueName, "has several fields: say which is the value with 'valueName'".into()))
        }
        (None, Value::Object(o)) => o.values().next(),
        (None, other) => Some(other),
    };
    let value = match value {
        Some(v @ (Value::String(_) | Value::Number(_))) => v.clone(),
        Some(v) if !falsy(v) => return Err((Field::ValueName, format!("has a value that is {}, not a string or a number", kind_of(v)))),
        _ => return Err((Field::ValueName, format!("has no '{}'", how.value_name.unwrap_or("value")))),
    };
    let text = match deep(item, how.title_name.unwrap_or("title")).filter(|v| !falsy(v)) {
        None => Localized::plain(value_text(&value)),
        Some(Value::Number(n)) => Localized::plain(crate::json::number_text(n)),
        Some(t) => Localized::from_json(t).ok_or_else(|| (Field::TitleName, format!("has a text that is {}", kind_of(t))))?,
    };
    if let Some(rule) =
        ["visibleIf", "enableIf", "isExclusive", "showCommentArea", "isCommentRequired"].into_iter().find(|k| item.get(k).is_some())
    {
        return Err((Field::Url, format!("has '{rule}', which phieu does not read from a list yet")));
    }
    let image =
        deep(item, how.image_name.unwrap_or("imageLink")).and_then(Value::as_str).filter(|l| !l.trim().is_empty()).map(str::to_string);
    Ok(Choice { value, text, visible_if: None, enable_if: None, image })
}

/// `v[step]` in JavaScript: a field of an object, an element of an array.
fn step_into<'v>(v: &'v Value, step: &str) -> Option<&'v Value> {
    match v {
        Value::Object(o) => o.get(step),
        Value::Array(a) => a.get(step.parse::<usize>().ok()?),
        _ => None,
    }
}

/// survey-core's `getValueCore`: a field, or with dots a field of a field.
fn deep<'v>(item: &'v Value, name: &str) -> Option<&'v Value> {
    if !name.contains('.') {
        return step_into(item, name);
    }
    let mut at = item;
    for step in name.split('.') {
        at = step_into(at, step).filter(|v| !falsy(v))?;
    }
    Some(at)
}

fn falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// How a JSON value is named in messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, how: Reading) -> Result<Vec<(String, String)>, (Field, String)> {
        options(text, &how).map(|os| os.into_iter().map(|c| (value_text(&c.value), c.text.get("en").to_string())).collect())
    }
    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn values_and_texts_are_read_as_survey_core_reads_them() {
        // Strings and numbers are their own value and text; falsy items are skipped.
        assert_eq!(read(r#"["a", 2, null, "", 0, false]"#, Reading::default()), Ok(pairs(&[("a", "a"), ("2", "2")])));
        // Without valueName an item with one field gives that field; `title` is the default text.
        assert_eq!(read(r#"[{"code": "x"}, {"id": 7}]"#, Reading::default()), Ok(pairs(&[("x", "x"), ("7", "7")])));
        // valueName and titleName with dots go deeper; texts by language are kept.
        let how = Reading { value_name: Some("k.id"), title_name: Some("name"), ..Reading::default() };
        let text = r#"[{"k": {"id": "ba-dinh"}, "name": {"default": "Ba Đình", "en": "Ba Dinh"}}, {"k": {"id": "hk"}}]"#;
        assert_eq!(read(text, how), Ok(pairs(&[("ba-dinh", "Ba Dinh"), ("hk", "hk")])));
        let both = options(text, &how).unwrap();
        assert_eq!(both[0].text.get("vi"), "Ba Đình");
        // A path, split at `;`, else `,`, else `.`, through objects and arrays.
        for path in ["data.0.items", "data;0;items", "data,0,items"] {
            let how = Reading { path: Some(path), ..Reading::default() };
            assert_eq!(read(r#"{"data": [{"items": ["p", "q"]}]}"#, how), Ok(pairs(&[("p", "p"), ("q", "q")])), "{path}");
        }
        // Not JSON: one option a line, as survey-core's fallback.
        assert_eq!(
            read("\u{feff}Hàng Bạc\n  Hàng Bồ \n\n", Reading::default()),
            Ok(pairs(&[("Hàng Bạc", "Hàng Bạc"), ("Hàng Bồ", "Hàng Bồ")]))
        );
        // Pictures by imageLinkName (default imageLink).
        let pics = options(
            r#"[{"value": "a", "imageLink": "a.png"}, {"value": "b", "pic": "b.png"}]"#,
            &Reading { value_name: Some("value"), ..Reading::default() },
        )
        .unwrap();
        assert_eq!((pics[0].image.as_deref(), pics[1].image.as_deref()), (Some("a.png"), None));
    }

    #[test]
    fn what_survey_core_would_read_otherwise_is_an_error_on_its_field() {
        let err = |text: &str, how: Reading| read(text, how).unwrap_err();
        let named = Reading { value_name: Some("code"), ..Reading::default() };
        let (field, message) = err(r#"[{"code": "a"}, {"name": "b"}, {"name": "c"}]"#, named);
        assert_eq!(field, Field::ValueName);
        assert_eq!(message, "option 1 has no 'code'");
        assert_eq!(err(r#"{"items": []}"#, Reading { path: Some("list"), ..Reading::default() }).0, Field::Path);
        assert!(err(r#"{"items": []}"#, Reading::default()).1.contains("expected a list of options"));
        assert!(err(r#"[{"value": "a", "title": "A"}]"#, Reading::default()).1.contains("say which is the value with 'valueName'"));
        assert!(err(r#"[{"v": true}]"#, Reading { value_name: Some("v"), ..Reading::default() }).1.contains("not a string or a number"));
        assert!(err("[1, 2", Reading::default()).1.starts_with("this list is not valid JSON"));
        assert!(err("<list/>", Reading::default()).1.contains("XML"));
        assert_eq!(err("[]", Reading::default()).0, Field::Url);
        assert_eq!(read("[]", Reading { allow_empty: true, ..Reading::default() }), Ok(vec![]));
        assert!(err(r#"[{"value": "a", "visibleIf": "{x} = 1"}]"#, Reading { value_name: Some("value"), ..Reading::default() })
            .1
            .contains("'visibleIf'"));
        assert_eq!(
            err(
                r#"[{"value": "a", "title": 5, "t": []}]"#,
                Reading { value_name: Some("value"), title_name: Some("t"), ..Reading::default() }
            )
            .0,
            Field::TitleName
        );
    }

    #[test]
    fn only_a_fixed_path_beside_the_form_is_kept_with_it() {
        for ok in ["lists/districts.json", "../shared/wards.json", "x.txt"] {
            assert_eq!(address_problem(ok), None, "{ok}");
        }
        for bad in [
            "https://surveyjs.io/api/CountriesExample",
            "//cdn.example/x.json",
            "/lists/x.json",
            "lists\\x.json",
            "data:text/plain,a",
            "x.json?v=2",
            "lists/{district}.json",
        ] {
            assert!(address_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(address("{CACHE}lists/a.json"), "lists/a.json");
    }
}
