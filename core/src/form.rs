//! The form model and the loader that reads it from SurveyJS-format JSON.
//!
//! The loader never stops at the first problem: it reads as much as it can and
//! reports every problem with its JSON path, so an author fixes a file in one
//! pass. Anything phieu does not understand is reported, never dropped in
//! silence: an unknown question type is an error (the question could not be
//! shown, so its answer would be missing), an unknown property a warning.

use crate::diagnostic::{line_col, locate, Diagnostic, JsonPath, Severity};
use crate::localized::Localized;
use serde_json::{Map, Value};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// `phieu.id`; when absent the app names the form after its file.
    pub id: Option<String>,
    /// `phieu.version`, or a hash of the definition's text when the author set none,
    /// so a changed definition is always a new version.
    pub version: String,
    pub title: Localized,
    pub description: Option<Localized>,
    pub locale: Option<String>,
    pub pages: Vec<Page>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub name: String,
    pub title: Option<Localized>,
    pub description: Option<Localized>,
    pub elements: Vec<Element>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub name: String,
    /// Falls back to `name`, as in SurveyJS.
    pub title: Localized,
    pub description: Option<Localized>,
    pub is_required: bool,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Text { input_type: InputType, placeholder: Option<Localized>, max_length: Option<u32> },
    Comment { placeholder: Option<Localized>, max_length: Option<u32> },
    RadioGroup { choices: Vec<Choice> },
    Checkbox { choices: Vec<Choice> },
    Dropdown { choices: Vec<Choice> },
    Boolean { label_true: Option<Localized>, label_false: Option<Localized> },
}

impl Kind {
    pub fn choices(&self) -> &[Choice] {
        match self {
            Kind::RadioGroup { choices } | Kind::Checkbox { choices } | Kind::Dropdown { choices } => choices,
            _ => &[],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    Text,
    Number,
    Email,
    Tel,
    Url,
    Date,
}

impl InputType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "text" => InputType::Text,
            "number" => InputType::Number,
            "email" => InputType::Email,
            "tel" => InputType::Tel,
            "url" => InputType::Url,
            "date" => InputType::Date,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            InputType::Text => "text",
            InputType::Number => "number",
            InputType::Email => "email",
            InputType::Tel => "tel",
            InputType::Url => "url",
            InputType::Date => "date",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// What goes into the answers: a string or a number, as the author wrote it.
    pub value: Value,
    pub text: Localized,
}

impl Form {
    pub fn questions(&self) -> impl Iterator<Item = &Element> {
        self.pages.iter().flat_map(|p| p.elements.iter())
    }
}

/// The result of reading a definition: the form, when it has no errors, and
/// every problem found, each with its line and column in `source`.
#[derive(Debug)]
pub struct Loaded {
    pub form: Option<Form>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

pub const SUPPORTED_TYPES: &[&str] = &["text", "comment", "radiogroup", "checkbox", "dropdown", "boolean"];

pub fn load(source: &str) -> Loaded {
    let value: Value = match serde_json::from_str(source) {
        Ok(v) => v,
        Err(e) => {
            let d = Diagnostic {
                severity: Severity::Error,
                path: JsonPath::root(),
                message: format!("this is not valid JSON: {}", strip_position(&e.to_string())),
                line: e.line(),
                column: e.column(),
            };
            return Loaded { form: None, diagnostics: vec![d] };
        }
    };
    let mut r = Reader { diagnostics: Vec::new(), names: HashSet::new(), written: 0 };
    let form = r.survey(&value, source);
    let mut diagnostics = r.diagnostics;
    for d in &mut diagnostics {
        (d.line, d.column) = line_col(source, locate(source, &d.path));
    }
    let form = if diagnostics.iter().any(Diagnostic::is_error) { None } else { form };
    Loaded { form, diagnostics }
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

struct Reader {
    diagnostics: Vec<Diagnostic>,
    names: HashSet<String>,
    /// Questions written in the file, read or not.
    written: usize,
}

impl Reader {
    fn report(&mut self, severity: Severity, path: JsonPath, message: String) {
        self.diagnostics.push(Diagnostic { severity, path, message, line: 0, column: 0 });
    }
    fn error(&mut self, path: JsonPath, message: impl Into<String>) {
        self.report(Severity::Error, path, message.into());
    }
    fn warning(&mut self, path: JsonPath, message: impl Into<String>) {
        self.report(Severity::Warning, path, message.into());
    }

    fn object<'v>(&mut self, v: &'v Value, path: &JsonPath, what: &str) -> Option<&'v Map<String, Value>> {
        let obj = v.as_object();
        if obj.is_none() {
            self.error(path.clone(), format!("expected {what} (a JSON object), found {}", kind_of(v)));
        }
        obj
    }

    fn unknown_properties(&mut self, obj: &Map<String, Value>, path: &JsonPath, known: &[&str], what: &str) {
        for key in obj.keys() {
            if !known.contains(&key.as_str()) {
                self.warning(path.key(key), format!("'{key}' is not supported on {what} and is ignored"));
            }
        }
    }

    fn localized(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<Localized> {
        let v = obj.get(key)?;
        let l = Localized::from_json(v);
        if l.is_none() {
            self.error(
                path.key(key),
                format!("expected text, or an object of texts by language like {{\"default\": \"…\", \"en\": \"…\"}}, found {}", kind_of(v)),
            );
        }
        l
    }

    fn string(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<String> {
        match obj.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            v => {
                self.error(path.key(key), format!("expected a string, found {}", kind_of(v)));
                None
            }
        }
    }

    fn boolean(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> bool {
        match obj.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.error(path.key(key), format!("expected true or false, found {}", kind_of(v)));
                false
            }
        }
    }

    fn count(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<u32> {
        let v = obj.get(key)?;
        let n = v.as_u64().and_then(|n| u32::try_from(n).ok());
        if n.is_none() {
            self.error(path.key(key), format!("expected a whole number from 0, found {}", kind_of(v)));
        }
        n
    }

    fn survey(&mut self, v: &Value, source: &str) -> Option<Form> {
        let root = JsonPath::root();
        let obj = self.object(v, &root, "a form definition")?;
        const KNOWN: &[&str] = &["$schema", "title", "description", "locale", "pages", "elements", "phieu"];
        self.unknown_properties(obj, &root, KNOWN, "a form");

        let title = self.localized(obj, "title", &root).unwrap_or_default();
        let description = self.localized(obj, "description", &root);
        let locale = self.string(obj, "locale", &root);
        let (id, version) = self.phieu(obj.get("phieu"), &root.key("phieu"));

        let mut pages = Vec::new();
        match (obj.get("pages"), obj.get("elements")) {
            (Some(_), Some(_)) => {
                self.error(root.key("elements"), "a form has either 'pages' or top-level 'elements', not both");
            }
            (Some(Value::Array(ps)), None) => {
                for (i, p) in ps.iter().enumerate() {
                    if let Some(page) = self.page(p, &root.key("pages").index(i), i) {
                        pages.push(page);
                    }
                }
            }
            (Some(other), None) => {
                self.error(root.key("pages"), format!("expected a list of pages, found {}", kind_of(other)));
            }
            (None, Some(_)) => {
                let elements = self.elements(obj, &root);
                pages.push(Page { name: "page1".into(), title: None, description: None, elements });
            }
            (None, None) => {}
        }
        if self.written == 0 {
            self.error(root.clone(), "the form has no questions: add 'pages' with 'elements', or top-level 'elements'");
        }
        let version = version.unwrap_or_else(|| format!("h{:016x}", fnv1a(source.as_bytes())));
        Some(Form { id, version, title, description, locale, pages })
    }

    fn phieu(&mut self, v: Option<&Value>, path: &JsonPath) -> (Option<String>, Option<String>) {
        let Some(v) = v else { return (None, None) };
        let Some(obj) = self.object(v, path, "phieu's settings") else { return (None, None) };
        self.unknown_properties(obj, path, &["id", "version"], "'phieu'");
        let id = self.string(obj, "id", path);
        if id.as_deref() == Some("") {
            self.error(path.key("id"), "the form id must not be empty");
        }
        (id, self.string(obj, "version", path))
    }

    fn page(&mut self, v: &Value, path: &JsonPath, i: usize) -> Option<Page> {
        let obj = self.object(v, path, "a page")?;
        self.unknown_properties(obj, path, &["name", "title", "description", "elements"], "a page");
        let name = self.string(obj, "name", path).unwrap_or_else(|| format!("page{}", i + 1));
        let title = self.localized(obj, "title", path);
        let description = self.localized(obj, "description", path);
        let elements = self.elements(obj, path);
        Some(Page { name, title, description, elements })
    }

    fn elements(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Vec<Element> {
        let path = path.key("elements");
        match obj.get("elements") {
            None => Vec::new(),
            Some(Value::Array(es)) => {
                self.written += es.len();
                es.iter().enumerate().filter_map(|(i, e)| self.element(e, &path.index(i))).collect()
            }
            Some(other) => {
                self.error(path, format!("expected a list of questions, found {}", kind_of(other)));
                Vec::new()
            }
        }
    }

    fn element(&mut self, v: &Value, path: &JsonPath) -> Option<Element> {
        let obj = self.object(v, path, "a question")?;
        let Some(ty) = obj.get("type").and_then(Value::as_str) else {
            self.error(path.key("type"), format!("every question needs a 'type', one of: {}", SUPPORTED_TYPES.join(", ")));
            return None;
        };
        let name = match self.string(obj, "name", path) {
            Some(n) if !n.trim().is_empty() => n,
            _ => {
                self.error(path.key("name"), "every question needs a 'name': the key its answer is stored under");
                return None;
            }
        };
        if !self.names.insert(name.clone()) {
            self.error(path.key("name"), format!("the name '{name}' is used by an earlier question; names must be unique"));
        }
        let title = self.localized(obj, "title", path).unwrap_or_else(|| Localized::plain(name.clone()));
        let description = self.localized(obj, "description", path);
        let is_required = self.boolean(obj, "isRequired", path);

        const COMMON: &[&str] = &["type", "name", "title", "description", "isRequired"];
        let (kind, extra): (Kind, &[&str]) = match ty {
            "text" => {
                let input_type = match obj.get("inputType").and_then(Value::as_str) {
                    None => InputType::Text,
                    Some(t) => InputType::parse(t).unwrap_or_else(|| {
                        self.warning(path.key("inputType"), format!("input type '{t}' is not supported yet; it is shown as plain text"));
                        InputType::Text
                    }),
                };
                let placeholder = self.localized(obj, "placeholder", path);
                let max_length = self.count(obj, "maxLength", path);
                (Kind::Text { input_type, placeholder, max_length }, &["inputType", "placeholder", "maxLength"])
            }
            "comment" => {
                let placeholder = self.localized(obj, "placeholder", path);
                let max_length = self.count(obj, "maxLength", path);
                (Kind::Comment { placeholder, max_length }, &["placeholder", "maxLength"])
            }
            "radiogroup" => (Kind::RadioGroup { choices: self.choices(obj, path) }, &["choices"]),
            "checkbox" => (Kind::Checkbox { choices: self.choices(obj, path) }, &["choices"]),
            "dropdown" => (Kind::Dropdown { choices: self.choices(obj, path) }, &["choices"]),
            "boolean" => {
                let label_true = self.localized(obj, "labelTrue", path);
                let label_false = self.localized(obj, "labelFalse", path);
                (Kind::Boolean { label_true, label_false }, &["labelTrue", "labelFalse"])
            }
            other => {
                self.error(
                    path.key("type"),
                    format!("question type '{other}' is not supported; use one of: {}", SUPPORTED_TYPES.join(", ")),
                );
                return None;
            }
        };
        for key in obj.keys() {
            if !COMMON.contains(&key.as_str()) && !extra.contains(&key.as_str()) {
                self.warning(path.key(key), format!("'{key}' is not supported on a '{ty}' question and is ignored"));
            }
        }
        Some(Element { name, title, description, is_required, kind })
    }

    fn choices(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Vec<Choice> {
        let path = path.key("choices");
        let items = match obj.get("choices") {
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.error(path, format!("expected a list of choices, found {}", kind_of(other)));
                return Vec::new();
            }
            None => {
                self.error(path, "this question needs 'choices': a list of strings or {\"value\": …, \"text\": …}");
                return Vec::new();
            }
        };
        let mut seen = HashSet::new();
        let mut choices = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            let choice = match item {
                Value::String(_) | Value::Number(_) => Choice { value: item.clone(), text: Localized::plain(value_text(item)) },
                Value::Object(o) => {
                    self.unknown_properties(o, &at, &["value", "text"], "a choice");
                    let value = match o.get("value") {
                        Some(v @ (Value::String(_) | Value::Number(_))) => v.clone(),
                        Some(v) => {
                            self.error(at.key("value"), format!("a choice value must be a string or a number, found {}", kind_of(v)));
                            continue;
                        }
                        None => {
                            self.error(at.clone(), "this choice has no 'value'");
                            continue;
                        }
                    };
                    let text = self.localized(o, "text", &at).unwrap_or_else(|| Localized::plain(value_text(&value)));
                    Choice { value, text }
                }
                other => {
                    self.error(at, format!("expected a choice (a string, a number or {{\"value\", \"text\"}}), found {}", kind_of(other)));
                    continue;
                }
            };
            if !seen.insert(value_text(&choice.value)) {
                self.warning(path.index(i), format!("the value '{}' is used by an earlier choice", value_text(&choice.value)));
            }
            choices.push(choice);
        }
        choices
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// FNV-1a, 64 bit: a stable fingerprint for versioning, not for security.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(src: &str) -> Vec<String> {
        load(src).diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn reads_pages_questions_and_choices() {
        let src = r#"{
          "title": {"default": "Phiếu", "en": "Report"},
          "phieu": {"id": "r", "version": 3},
          "pages": [{"name": "p", "elements": [
            {"type": "text", "name": "who", "isRequired": true, "inputType": "tel"},
            {"type": "radiogroup", "name": "how", "choices": ["Zalo", {"value": 2, "text": {"default": "Điện thoại", "en": "Phone"}}]},
            {"type": "boolean", "name": "ok"}
          ]}]
        }"#;
        let loaded = load(src);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        assert_eq!(form.id.as_deref(), Some("r"));
        assert_eq!(form.version, "3");
        assert_eq!(form.title.get("en"), "Report");
        let qs: Vec<_> = form.questions().collect();
        assert_eq!(qs.len(), 3);
        assert!(qs[0].is_required);
        assert_eq!(qs[0].kind, Kind::Text { input_type: InputType::Tel, placeholder: None, max_length: None });
        let choices = qs[1].kind.choices();
        assert_eq!(choices[0].value, Value::from("Zalo"));
        assert_eq!(choices[1].value, Value::from(2));
        assert_eq!(choices[1].text.get("en"), "Phone");
        assert_eq!(qs[2].title.get("vi"), "ok");
    }

    #[test]
    fn top_level_elements_make_one_page() {
        let form = load(r#"{"elements": [{"type": "comment", "name": "c"}]}"#).form.unwrap();
        assert_eq!(form.pages.len(), 1);
        assert!(form.version.starts_with('h'));
    }

    #[test]
    fn unknown_type_is_an_error_with_position() {
        let src = "{\"elements\": [\n  {\"type\": \"signaturepad\", \"name\": \"s\"},\n  {\"type\": \"text\", \"name\": \"t\"}\n]}";
        let loaded = load(src);
        assert!(loaded.form.is_none());
        assert_eq!(
            messages(src),
            ["2:4: error: elements[0].type: question type 'signaturepad' is not supported; use one of: text, comment, radiogroup, checkbox, dropdown, boolean"]
        );
    }

    #[test]
    fn unknown_property_is_a_warning_and_the_form_still_loads() {
        let src = r#"{"elements": [{"type": "text", "name": "t", "titleLocation": "left"}], "showQuestionNumbers": "off"}"#;
        let loaded = load(src);
        assert!(loaded.form.is_some());
        let m = messages(src);
        assert_eq!(m.len(), 2);
        assert!(m.iter().any(|m| m.contains("warning: elements[0].titleLocation: 'titleLocation' is not supported on a 'text' question")));
        assert!(m.iter().any(|m| m.contains("warning: showQuestionNumbers:")));
    }

    #[test]
    fn structural_errors() {
        let m = messages(r#"{"elements": [{"type": "text", "name": "a"}, {"type": "text", "name": "a"}, {"type": "text"}, {"type": "dropdown", "name": "d"}]}"#);
        assert!(m.iter().any(|m| m.contains("elements[1].name: the name 'a' is used by an earlier question")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("elements[2].name: every question needs a 'name'")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("elements[3].choices: this question needs 'choices'")), "{m:?}");
    }

    #[test]
    fn bad_json_reports_serde_position() {
        let m = messages("{\n \"title\": \"x\",\n}");
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with("3:1: error: $: this is not valid JSON: trailing comma"), "{m:?}");
    }

    #[test]
    fn only_unsupported_questions_is_one_error_not_two() {
        let loaded = load(r#"{"elements": [{"type": "signaturepad", "name": "s"}]}"#);
        assert_eq!(loaded.errors().count(), 1);
    }

    #[test]
    fn empty_form_is_an_error() {
        assert!(load("{}").form.is_none());
        assert!(load("[]").form.is_none());
        assert!(load(r#"{"pages": []}"#).form.is_none());
    }

    #[test]
    fn version_follows_the_text() {
        let a = load(r#"{"elements": [{"type": "text", "name": "a"}]}"#).form.unwrap();
        let b = load(r#"{"elements": [{"type": "text", "name": "b"}]}"#).form.unwrap();
        assert_ne!(a.version, b.version);
    }
}
