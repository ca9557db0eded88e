//! Text that a form author may give in several languages.
//!
//! SurveyJS writes it as a plain string or as `{"default": "...", "vi": "...",
//! "en": "..."}`, where `default` is the text in the form's own language.

use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Localized {
    /// `(locale, text)` pairs in locale order; `default` is stored as "".
    texts: Vec<(String, String)>,
}

impl Localized {
    pub fn plain(text: impl Into<String>) -> Self {
        Localized { texts: vec![(String::new(), text.into())] }
    }

    /// Reads a string or a locale map; `None` for any other JSON value.
    pub fn from_json(v: &Value) -> Option<Self> {
        match v {
            Value::String(s) => Some(Self::plain(s.clone())),
            Value::Object(map) => {
                let mut texts = Vec::with_capacity(map.len());
                for (k, v) in map {
                    let text = v.as_str()?.to_string();
                    let locale = if k == "default" { String::new() } else { k.clone() };
                    texts.push((locale, text));
                }
                Some(Localized { texts })
            }
            _ => None,
        }
    }

    /// The text for `locale` (`vi`, `en`, `vi-VN` …): the exact locale, then its
    /// language, then the default, then the first by locale name.
    pub fn get(&self, locale: &str) -> &str {
        let lang = locale.split(['-', '_']).next().unwrap_or("");
        let find = |l: &str| self.texts.iter().find(|(k, _)| k.eq_ignore_ascii_case(l));
        find(locale).or_else(|| find(lang)).or_else(|| find("")).or_else(|| self.texts.first()).map_or("", |(_, t)| t.as_str())
    }

    /// From `(locale, text)` pairs; "" is the default.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Localized { texts: pairs.iter().map(|(l, t)| (l.to_string(), t.to_string())).collect() }
    }

    /// Back to JSON: a plain string, or texts by language with `default`.
    pub fn to_json(&self) -> Value {
        match self.texts.as_slice() {
            [(l, t)] if l.is_empty() => Value::String(t.clone()),
            texts => Value::Object(crate::sort::map(
                texts.iter().map(|(l, t)| (if l.is_empty() { "default".into() } else { l.clone() }, Value::String(t.clone()))),
            )),
        }
    }

    /// Every text, in every language.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|(_, t)| t.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.texts.iter().all(|(_, t)| t.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn picks_locale_then_language_then_default() {
        let l = Localized::from_json(&json!({"default": "Quận", "en": "District"})).unwrap();
        assert_eq!(l.get("en"), "District");
        assert_eq!(l.get("en-GB"), "District");
        assert_eq!(l.get("vi"), "Quận");
        assert_eq!(l.get("fr"), "Quận");
    }

    #[test]
    fn plain_string_serves_every_locale() {
        let l = Localized::from_json(&json!("Họ tên")).unwrap();
        assert_eq!(l.get("en"), "Họ tên");
    }

    #[test]
    fn without_default_falls_back_to_first_locale() {
        let l = Localized::from_json(&json!({"vi": "Có", "en": "Yes"})).unwrap();
        assert_eq!(l.get("vi"), "Có");
        assert_eq!(l.get("fr"), "Yes");
        assert!(Localized::from_json(&json!({"vi": 3})).is_none());
        assert!(Localized::from_json(&json!(3)).is_none());
    }
}
