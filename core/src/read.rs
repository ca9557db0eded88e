//! Reading a definition: the form plus every problem found, never stopping
//! at the first. Each diagnostic is made with its JSON path; lines and
//! columns are found afterwards, so a good form pays nothing for them.

use crate::answers::name_key;
use crate::diagnostic::{line_col, locate, Diagnostic, JsonPath, Severity};
use crate::expr::{self, Expr};
use crate::form::*;
use crate::lists::kind_of;
use crate::localized::Localized;
use crate::mask::{self, Mask};
use crate::sort::Names;
use crate::spec::{self, Prop};
use serde_json::{Map, Value};

/// The result of reading a definition: the form, when it has no errors, and
/// every problem found, each with its line and column in `source`.
#[derive(Debug)]
pub struct Loaded {
    pub form: Option<Form>,
    pub diagnostics: Vec<Diagnostic>,
    /// The lists the definition names (`choicesByUrl`), by address as
    /// written (relative to the form), each once: what to fetch for [`load_with`].
    pub lists: Vec<String>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Whether the loader makes warnings: not on the phone, which shows errors only.
const WARNINGS: bool = cfg!(not(target_family = "wasm"));

/// A warning's text: written out (`format_args!`) only when warnings are made.
trait Message {
    fn text(self) -> String;
}
impl Message for &str {
    fn text(self) -> String {
        self.to_string()
    }
}
impl Message for std::fmt::Arguments<'_> {
    fn text(self) -> String {
        self.to_string()
    }
}

/// Deeper than this, panels inside panels are refused (and the JSON parser
/// itself stops at 128 levels).
pub const MAX_NESTING: usize = 20;

/// Reads a definition that names no lists (one that does gets an error for
/// each list, and [`Loaded::lists`] says which to fetch for [`load_with`]).
pub fn load(source: &str) -> Loaded {
    load_with(source, &[])
}

/// A list's text by address as written in `choicesByUrl`, or why it could
/// not be had (the file is missing, the network failed).
pub type List = (String, Result<String, String>);

/// Reads a definition with the text of the lists it names: their options
/// become the questions' own, and a fingerprint of them joins the version.
pub fn load_with(source: &str, lists: &[List]) -> Loaded {
    let value: Value = match crate::json::parse(source) {
        Ok(v) => v,
        Err(e) => {
            let d = Diagnostic {
                severity: Severity::Error,
                path: JsonPath::root(),
                message: format!("this is not valid JSON: {}", e.message),
                line: e.line,
                column: e.column,
            };
            return Loaded { form: None, diagnostics: vec![d], lists: Vec::new() };
        }
    };
    let mut r = Reader { given: lists, ..Reader::default() };
    let mut form = r.survey(&value, source);
    if let Some(form) = &mut form {
        r.carry_choices(form);
        r.check_references(form);
    }
    let mut diagnostics = r.diagnostics;
    for d in &mut diagnostics {
        (d.line, d.column) = line_col(source, locate(source, &d.path));
    }
    crate::sort::sort_by(&mut diagnostics, |a, b| (a.line, a.column) < (b.line, b.column));
    let form = if diagnostics.iter().any(Diagnostic::is_error) { None } else { form };
    Loaded { form, diagnostics, lists: r.named }
}

/// Where an expression sits and which names it may use besides questions.
struct ExprSite {
    path: JsonPath,
    tree: Expr,
    /// Extra names it may refer to: `panel` inside a paneldynamic, `item` in choicesVisibleIf.
    extra: &'static [&'static str],
    /// The paneldynamic it sits in, whose template questions `{panel.x}` may name.
    panel_of: Option<String>,
}

#[derive(Default)]
struct Reader<'a> {
    /// The lists' texts, as the caller fetched or read them.
    given: &'a [List],
    /// The lists named so far, by address as written.
    named: Vec<String>,
    diagnostics: Vec<Diagnostic>,
    /// Answer names seen so far (lower case), for duplicates.
    names: Names,
    /// Names inside each paneldynamic's template (lower case), for `{panel.x}`:
    /// a list, not a map (a form has few templates, and a map of this type is wasm of its own).
    template_names: Vec<(String, Names)>,
    /// Every expression, checked for unknown names once all questions are known.
    sites: Vec<ExprSite>,
    /// Text with `{name}` in it, checked the same way (warnings only).
    piped: Vec<(JsonPath, String)>,
    /// Questions written in the file, read or not.
    written: usize,
    depth: usize,
    /// While reading a paneldynamic's template (or a matrix's columns): its
    /// name and the names in it so far; a repeat inside a repeat above it.
    in_template: Vec<(String, Names)>,
    /// Variables set by triggers (`isVariable`), which expressions may read.
    variables: Names,
    /// Names a trigger sets, copies from or goes to, checked once all questions are known.
    targets: Vec<(JsonPath, String)>,
    /// Calculated values and expression questions: name → names they read, for cycles;
    /// sorted by name, as a map would be (a list: a map of this type is wasm of its own).
    computed: Vec<(String, (JsonPath, Vec<String>))>,
    /// `choicesFromQuestion`: where it is written, the question, the source, `choicesFromQuestionMode`,
    /// and the paneldynamics the question is in (outermost first).
    carried: Vec<(JsonPath, String, String, String, Vec<String>)>,
    /// Matrices (lower case), whose columns are their template: `{row.x}` there, not `{panel.x}`.
    matrices: Names,
    /// While reading a column that takes the matrix's `choices`: its own are not missing.
    inherits_choices: bool,
    /// The survey's `storeOthersAsComment: false`: the default of each question's own.
    others_as_value: bool,
}

impl Reader<'_> {
    #[inline(never)]
    fn report(&mut self, severity: Severity, path: JsonPath, message: String) {
        self.diagnostics.push(Diagnostic { severity, path, message, line: 0, column: 0 });
    }
    fn error(&mut self, path: JsonPath, message: impl Into<String>) {
        self.report(Severity::Error, path, message.into());
    }
    /// "expected {what}, found {kind}": one function for the loader's many type errors.
    #[inline(never)]
    fn expected(&mut self, path: JsonPath, what: &str, v: &Value) {
        self.report(Severity::Error, path, format!("expected {what}, found {}", kind_of(v)));
    }
    /// The names inside a template by its key; the last written wins, as a map's insert would.
    fn template_names(&self, key: &str) -> Option<&Names> {
        self.template_names.iter().rev().find(|(k, _)| k == key).map(|(_, names)| names)
    }
    /// What phieu loads as SurveyJS would, but shows or keeps otherwise. The
    /// phone shows a form's errors only (a form with warnings works), so
    /// there warnings are not made, and their texts stay out of the wasm;
    /// `phieu check` and `phieu serve --forms` print them.
    fn warning(&mut self, path: JsonPath, message: impl Message) {
        if WARNINGS {
            self.report(Severity::Warning, path, message.text());
        }
    }

    fn object<'v>(&mut self, v: &'v Value, path: &JsonPath, what: &str) -> Option<&'v Map<String, Value>> {
        let obj = v.as_object();
        if obj.is_none() {
            self.expected(path.clone(), &format!("{what} (a JSON object)"), v);
        }
        obj
    }

    /// Warns about every property not in `known`.
    fn unknown_properties(&mut self, obj: &Map<String, Value>, path: &JsonPath, known: &[&[Prop]], what: &str) {
        for key in obj.keys() {
            if known.iter().any(|props| props.iter().any(|p| p.name == key)) {
                continue;
            }
            if let Some((_, what)) = spec::CHANGES_DATA.iter().find(|(k, _)| *k == key) {
                // "onComplete" is what phieu does.
                if !(key == "clearInvisibleValues" && obj.get(key).and_then(Value::as_str) == Some("onComplete")) {
                    self.error(path.key(key), format!("'{key}' is not supported yet: {what}, and phieu would not"));
                    continue;
                }
            }
            if !WARNINGS {
                continue;
            }
            let message = if spec::PRESENTATION.contains(&key.as_str()) {
                format!("'{key}' only changes how SurveyJS lays out {what}; phieu ignores it")
            } else {
                format!("'{key}' is not supported on {what} and is ignored")
            };
            self.warning(path.key(key), message.as_str());
        }
    }

    fn localized(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<Localized> {
        let v = obj.get(key)?;
        let l = Localized::from_json(v);
        match &l {
            None => self.error(
                path.key(key),
                format!(
                    "expected text, or an object of texts by language like {{\"default\": \"…\", \"en\": \"…\"}}, found {}",
                    kind_of(v)
                ),
            ),
            Some(l) if l.texts().any(|t| t.contains('{')) => {
                for t in l.texts() {
                    self.piped.push((path.key(key), t.to_string()));
                }
            }
            Some(_) => {}
        }
        l
    }

    fn string(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<String> {
        match obj.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(crate::json::number_text(n)),
            v => {
                self.expected(path.key(key), "a string", v);
                None
            }
        }
    }

    /// An answer to store as it is written: a string or a number.
    fn stored_value(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<Value> {
        match obj.get(key)? {
            v @ (Value::String(_) | Value::Number(_)) => Some(v.clone()),
            v => {
                self.expected(path.key(key), "a string or a number", v);
                None
            }
        }
    }

    fn boolean(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> bool {
        match obj.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                let b = s.eq_ignore_ascii_case("true");
                self.warning(
                    path.key(key),
                    format_args!("'{key}' is written as the text \"{s}\"; phieu reads it as {b}, as SurveyJS does"),
                );
                b
            }
            Some(v) => {
                self.expected(path.key(key), "true or false", v);
                false
            }
        }
    }

    /// A true-or-false property with a default when it is absent.
    fn flag(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath, default: bool) -> bool {
        if obj.contains_key(key) {
            self.boolean(obj, key, path)
        } else {
            default
        }
    }

    fn count(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<u32> {
        let v = obj.get(key)?;
        let mut n = v.as_u64().and_then(|n| u32::try_from(n).ok());
        if let (None, Value::String(s)) = (n, v) {
            n = s.trim().parse::<u32>().ok();
            if let Some(n) = n {
                self.warning(
                    path.key(key),
                    format_args!("'{key}' is written as the text \"{s}\"; phieu reads it as the number {n}, as SurveyJS does"),
                );
            }
        }
        if n.is_none() {
            self.expected(path.key(key), "a whole number from 0", v);
        }
        n
    }

    fn number(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Option<f64> {
        let v = obj.get(key)?;
        let n = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => {
                let n = crate::num::parse(s.trim()).filter(|n| n.is_finite());
                if n.is_some() {
                    self.warning(path.key(key), format_args!("'{key}' is written as the text \"{s}\"; phieu reads it as a number"));
                }
                n
            }
            _ => None,
        };
        if n.is_none() {
            self.expected(path.key(key), "a number", v);
        }
        n
    }

    /// A property whose values `props` (a table of [`spec`]) lists.
    fn one_of(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath, props: &[Prop]) -> Option<String> {
        let allowed = spec::allowed(props, key);
        debug_assert!(!allowed.is_empty(), "{key} is not a OneOf property of that table");
        let v = self.string(obj, key, path)?;
        if allowed.contains(&v.as_str()) {
            Some(v)
        } else {
            self.error(path.key(key), format!("'{v}' is not one of: {}", allowed.join(", ")));
            None
        }
    }

    /// A `file` question; apart from [`Self::kind`], so that the loader's
    /// big match stays one function in the wasm.
    #[inline(never)]
    fn file(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Kind {
        self.no_data_as_text(obj, path);
        let mut max_image = spec::DEFAULT_IMAGE_SIZE;
        match obj.get("phieu") {
            None => {}
            Some(Value::Object(own)) => {
                if let Some(n) = self.count(own, "maxImageSize", &path.key("phieu")) {
                    if n >= 100 {
                        max_image = n;
                    } else {
                        self.error(
                            path.key("phieu").key("maxImageSize"),
                            "the longest side of a photo is in pixels and must be at least 100",
                        );
                    }
                }
            }
            Some(v) => self.expected(path.key("phieu"), "an object like {\"maxImageSize\": 1280}", v),
        }
        let multiple = self.boolean(obj, "allowMultiple", path);
        let max_files = self.count(obj, "maxFiles", path);
        if max_files.is_some() && !multiple {
            self.warning(path.key("maxFiles"), "'maxFiles' counts only with \"allowMultiple\": true; this question takes one file");
        }
        Kind::File(crate::form::FileRules {
            multiple,
            accepted: self.string(obj, "acceptedTypes", path).filter(|a| !a.trim().is_empty()),
            max_size: self.count(obj, "maxSize", path).filter(|n| *n > 0),
            max_files,
            camera: self.one_of(obj, "sourceType", path, spec::type_props("file")).as_deref() == Some("camera"),
            max_image,
        })
    }

    #[inline(never)]
    fn signature(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Kind {
        self.no_data_as_text(obj, path);
        self.one_of(obj, "dataFormat", path, spec::type_props("signaturepad"));
        let size = |r: &mut Self, key: &str, default: u32| match r.count(obj, key, path) {
            Some(n) if (50..=2000).contains(&n) => n,
            Some(n) => {
                r.warning(path.key(key), format_args!("'{key}' is {n} pixels; phieu draws between 50 and 2000, so uses {default}"));
                default
            }
            None => default,
        };
        Kind::Signature {
            pen_color: self.string(obj, "penColor", path).filter(|c| !c.trim().is_empty()),
            width: size(self, "signatureWidth", 300),
            height: size(self, "signatureHeight", 200),
        }
    }

    /// An `imagepicker`: a radiogroup (a checkbox with `multiSelect`) whose
    /// options are pictures, answered as those are.
    #[inline(never)]
    fn imagepicker(&mut self, name: &str, obj: &Map<String, Value>, path: &JsonPath) -> Kind {
        let mut list = self.choices(name, obj, path);
        for (i, c) in list.items.iter().enumerate() {
            if c.image.is_none() && !obj.contains_key("choicesByUrl") {
                self.warning(path.key("choices").index(i), "this option has no 'imageLink': it shows as its text alone");
            }
        }
        self.one_of(obj, "imageFit", path, spec::IMAGEPICKER);
        self.count(obj, "imageWidth", path);
        self.count(obj, "imageHeight", path);
        list.pictures = Some(self.boolean(obj, "showLabel", path));
        // Not in SurveyJS's imagepicker either (and not in its properties, so the author was warned).
        (list.other, list.none) = (None, None);
        if self.boolean(obj, "multiSelect", path) {
            Kind::Checkbox(list)
        } else {
            Kind::RadioGroup(list)
        }
    }

    /// SurveyJS 2's slider: one number, or two with `sliderType: "range"`.
    #[inline(never)]
    fn slider(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Kind {
        let (min, max) = (self.number(obj, "min", path).unwrap_or(0.0), self.number(obj, "max", path).unwrap_or(100.0));
        let step = self.number(obj, "step", path).filter(|s| *s > 0.0).unwrap_or(1.0);
        let shortest = self.number(obj, "minRangeLength", path);
        let longest = self.number(obj, "maxRangeLength", path);
        if self.one_of(obj, "sliderType", path, spec::type_props("slider")).as_deref() != Some("range") {
            for key in ["minRangeLength", "maxRangeLength"].into_iter().filter(|k| obj.contains_key(*k)) {
                self.warning(
                    path.key(key),
                    format_args!("'{key}' counts only with \"sliderType\": \"range\"; this slider answers one number"),
                );
            }
            // The browser's own range input, answered as a number: a text question's with inputType range.
            let n = |x: f64| serde_json::Number::from_f64(x).map(Value::Number);
            return Kind::Text {
                input_type: InputType::Range,
                placeholder: None,
                max_length: None,
                min: n(min),
                max: n(max),
                step: Some(step),
                mask: None,
            };
        }
        // As survey-core: the thumbs at least a step apart, at most the whole scale.
        let shortest = shortest.filter(|l| *l >= 0.0).unwrap_or(step);
        let longest = longest.filter(|l| *l > 0.0).unwrap_or(max - min);
        if longest < shortest {
            self.error(path.key("maxRangeLength"), "'maxRangeLength' is less than 'minRangeLength'");
        }
        Kind::RangeSlider { min, max, step, shortest, longest }
    }

    /// `minSelectedChoices` and `maxSelectedChoices` (0 means none, as in survey-core).
    /// `both`: the maximum counts too, so it must not be below the minimum.
    fn selected_counts(&mut self, obj: &Map<String, Value>, path: &JsonPath, both: bool) -> (Option<u32>, Option<u32>) {
        let min = self.count(obj, "minSelectedChoices", path).filter(|n| *n > 0);
        let max = self.count(obj, "maxSelectedChoices", path).filter(|n| *n > 0);
        if let (true, Some(lo), Some(hi)) = (both, min, max) {
            if hi < lo {
                self.error(path.key("maxSelectedChoices"), "'maxSelectedChoices' is less than 'minSelectedChoices'");
            }
        }
        (min, max)
    }

    /// A checkbox's or tagbox's options, with how many may be chosen.
    fn chosen_counts(&mut self, name: &str, obj: &Map<String, Value>, path: &JsonPath) -> Choices {
        let mut list = self.choices(name, obj, path);
        (list.min_chosen, list.max_chosen) = self.selected_counts(obj, path, true);
        list
    }

    /// `ranking`: a checkbox's options put in order (survey-core's ranking is one).
    #[inline(never)]
    fn ranking(&mut self, name: &str, obj: &Map<String, Value>, path: &JsonPath) -> Kind {
        let mut list = self.choices(name, obj, path);
        // Not in SurveyJS's ranking either (and not in its properties, so the author was warned).
        (list.other, list.none) = (None, None);
        let select = self.boolean(obj, "selectToRankEnabled", path);
        let (min, max) = self.selected_counts(obj, path, select);
        if max.is_some() && !select {
            // survey-core ignores it: every option is ranked.
            self.warning(
                path.key("maxSelectedChoices"),
                "'maxSelectedChoices' counts only with \"selectToRankEnabled\": true; every option is ranked",
            );
        }
        Kind::Ranking { list, select, min, max: max.filter(|_| select) }
    }

    /// SurveyJS can keep a file's bytes inside the answer, as base64; phieu never does.
    fn no_data_as_text(&mut self, obj: &Map<String, Value>, path: &JsonPath) {
        if self.boolean(obj, "storeDataAsText", path) {
            self.error(
                path.key("storeDataAsText"),
                "phieu does not put a file's bytes inside the answer: each file is sent on its own and the answer names it by hash \
                 ({\"name\", \"type\", \"size\", \"sha256\"}); remove 'storeDataAsText' or set it to false",
            );
        }
    }

    /// `inputType` of a text question or a multipletext box.
    fn input_type(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> InputType {
        match obj.get("inputType").and_then(Value::as_str) {
            None => InputType::Text,
            Some(t) => InputType::parse(t).unwrap_or_else(|| {
                self.warning(path.key("inputType"), format_args!("input type '{t}' is not supported; it is shown as plain text"));
                InputType::Text
            }),
        }
    }

    /// A text question's `maskType` and `maskSettings`, as survey-core reads them.
    #[inline(never)]
    fn mask(&mut self, obj: &Map<String, Value>, path: &JsonPath, input_type: InputType) -> Option<Mask> {
        let ty = self.one_of(obj, "maskType", path, spec::type_props("text"));
        let at = path.key("maskSettings");
        let Some(ty) = ty.filter(|t| t != "none") else {
            if obj.contains_key("maskSettings") && !obj.contains_key("maskType") {
                self.warning(at, "'maskSettings' does nothing without a 'maskType'");
            }
            return None;
        };
        if !matches!(input_type, InputType::Text | InputType::Tel) {
            self.warning(
                path.key("maskType"),
                format_args!(
                    "SurveyJS masks only inputType text and tel; on '{}' it ignores the mask, and so does phieu",
                    input_type.as_str()
                ),
            );
            return None;
        }
        let empty = Map::new();
        let settings = match obj.get("maskSettings") {
            Some(v) => self.object(v, &at, "the mask's settings")?,
            None => &empty,
        };
        self.unknown_properties(settings, &at, &[spec::MASK_SETTINGS], "a mask");
        let save_masked = self.boolean(settings, "saveMaskedValue", &at);
        let pattern = self.string(settings, "pattern", &at).unwrap_or_default();
        let rule = match ty.as_str() {
            "numeric" | "currency" => {
                let mut n = mask::Numeric::default();
                let separator = |r: &mut Self, key: &str, default: char, may_be_empty: bool| match r.string(settings, key, &at) {
                    None => Some(default),
                    Some(s) if s.is_empty() && may_be_empty => None,
                    Some(s) if s.chars().count() == 1 && !s.chars().any(|c| c.is_ascii_digit() || c == '-') => s.chars().next(),
                    Some(s) => {
                        r.error(at.key(key), format!("'{key}' must be one character other than a digit or '-', found \"{s}\""));
                        Some(default)
                    }
                };
                n.decimal = separator(self, "decimalSeparator", '.', false).unwrap_or('.');
                n.thousands = separator(self, "thousandsSeparator", ',', true);
                n.precision = self.count(settings, "precision", &at).unwrap_or(2);
                if settings.contains_key("allowNegativeValues") {
                    n.allow_negative = self.boolean(settings, "allowNegativeValues", &at);
                }
                n.min = self.number(settings, "min", &at);
                n.max = self.number(settings, "max", &at);
                if ty == "currency" {
                    n.prefix = self.string(settings, "prefix", &at).unwrap_or_default();
                    n.suffix = self.string(settings, "suffix", &at).unwrap_or_default();
                }
                mask::Rule::Number(n)
            }
            "datetime" => {
                let d = mask::DateTime::new(&pattern, None, None);
                if !d.has_parts() {
                    self.error(
                        at.key("pattern"),
                        format!("a datetime mask needs a 'pattern' of dd, mm, yyyy, HH, MM, ss (like \"dd/mm/yyyy\"), found \"{pattern}\""),
                    );
                    return None;
                }
                let limit = |r: &mut Self, key: &str| {
                    let s = r.string(settings, key, &at)?;
                    if mask::is_iso(&s, d.with_date()) {
                        Some(s)
                    } else {
                        let want = if d.with_date() { "a date like \"2024-12-31\"" } else { "a time like \"17:30\"" };
                        r.error(at.key(key), format!("'{key}' must be {want}, found \"{s}\""));
                        None
                    }
                };
                let (min, max) = (limit(self, "min"), limit(self, "max"));
                mask::Rule::DateTime(mask::DateTime::new(&pattern, min, max))
            }
            _ => {
                let p = mask::Pattern::new(&pattern);
                if !p.has_slots() {
                    self.error(
                        at.key("pattern"),
                        format!(
                            "a pattern mask needs a 'pattern' with 9 (a digit), a (a letter) or # (either), like \"+84 999 999 999\"; \
                             with \"{pattern}\" SurveyJS would keep nothing that is typed"
                        ),
                    );
                    return None;
                }
                mask::Rule::Pattern(p)
            }
        };
        Some(Mask { rule, save_masked })
    }

    /// Parses an expression property and remembers it for the name check.
    fn expression(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath, extra: &'static [&'static str]) -> Option<Expression> {
        let at = path.key(key);
        let text = match obj.get(key)? {
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => crate::json::number_text(n),
            v => {
                self.expected(at, "an expression (a string)", v);
                return None;
            }
        };
        self.parse_expression(at, text, extra)
    }

    /// `visibleIf`; or, without one, `"visible": false` as a rule that never
    /// holds (SurveyJS runs visibleIf over `visible`, so with one `visible` does nothing).
    fn visibility(&mut self, obj: &Map<String, Value>, path: &JsonPath, extra: &'static [&'static str]) -> Option<Expression> {
        let rule = self.expression(obj, "visibleIf", path, extra);
        if rule.is_some() || !obj.contains_key("visible") || self.boolean(obj, "visible", path) {
            return rule;
        }
        Some(Expression { text: "false".into(), tree: Expr::Const(expr::Val::Bool(false)) })
    }

    fn parse_expression(&mut self, at: JsonPath, text: String, extra: &'static [&'static str]) -> Option<Expression> {
        match expr::parse(&text) {
            Ok(tree) => {
                for f in tree.functions() {
                    if !expr::FUNCTIONS.contains(&f) {
                        let hint = expr::FUNCTIONS
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(f))
                            .map(|k| format!(" (did you mean '{k}'? names of functions are case-sensitive)"))
                            .unwrap_or_default();
                        self.error(at.clone(), format!("the expression calls '{f}', which is not a function phieu knows{hint}"));
                    }
                }
                let panel_of = self.template_key();
                self.sites.push(ExprSite { path: at, tree: tree.clone(), extra, panel_of });
                Some(Expression { text, tree })
            }
            Err(e) => {
                self.error(at, format!("the expression '{text}' does not parse: {} at column {}", e.message, e.column));
                None
            }
        }
    }

    fn survey(&mut self, v: &Value, source: &str) -> Option<Form> {
        let root = JsonPath::root();
        let obj = self.object(v, &root, "a form definition")?;
        self.unknown_properties(obj, &root, &[spec::SURVEY], "a form");
        self.others_as_value = !self.flag(obj, "storeOthersAsComment", &root, true);

        let title = self.localized(obj, "title", &root).unwrap_or_default();
        let description = self.localized(obj, "description", &root);
        let locale = self.string(obj, "locale", &root);
        let completed_html = self.localized(obj, "completedHtml", &root);
        let show_progress_bar = match obj.get("showProgressBar") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => self.one_of(obj, "showProgressBar", &root, spec::SURVEY).is_some_and(|s| s != "off"),
        };
        let (id, version, submit) = self.phieu(obj.get("phieu"), &root.key("phieu"));

        // Calculated values first: questions may refer to them.
        let mut calculated_values = Vec::new();
        match obj.get("calculatedValues") {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(c) = self.calculated_value(item, &root.key("calculatedValues").index(i)) {
                        calculated_values.push(c);
                    }
                }
            }
            Some(other) => self.expected(root.key("calculatedValues"), "a list", other),
        }

        let triggers = self.triggers(obj.get("triggers"), &root.key("triggers"));

        let mut pages = Vec::new();
        match (obj.get("pages"), obj.get("elements")) {
            (Some(_), Some(_)) => {
                self.written += 1; // one error is enough
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
                self.expected(root.key("pages"), "a list of pages", other);
            }
            (None, Some(_)) => {
                let elements = self.elements(obj, "elements", &root);
                pages.push(Page { name: "page1".into(), title: None, description: None, visible_if: None, elements });
            }
            (None, None) => {}
        }
        if self.written == 0 {
            self.error(root.clone(), "the form has no questions: add 'pages' with 'elements', or top-level 'elements'");
        }
        let mut version = version.unwrap_or_else(|| format!("h{:016x}", fnv1a(source.as_bytes())));
        if !self.named.is_empty() {
            // The same form with another list is another version: drafts keep theirs, the server checks each by its own.
            let mut bytes = Vec::new();
            for (address, text) in self.named.iter().filter_map(|a| self.given.iter().find(|(g, _)| g == a)) {
                bytes.extend_from_slice(address.as_bytes());
                bytes.push(0);
                bytes.extend_from_slice(text.as_deref().unwrap_or("").as_bytes());
                bytes.push(0);
            }
            let h = fnv1a(&bytes);
            version = format!("{version}+{:08x}", (h >> 32) as u32 ^ h as u32);
        }
        Some(Form {
            id,
            version,
            title,
            description,
            locale,
            pages,
            show_progress_bar,
            completed_html,
            calculated_values,
            triggers,
            submit,
        })
    }

    fn triggers(&mut self, v: Option<&Value>, path: &JsonPath) -> Vec<Trigger> {
        let items = match v {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.expected(path.clone(), "a list of triggers", other);
                return Vec::new();
            }
        };
        let kinds: Vec<&str> = spec::TRIGGER_TYPES.iter().map(|(n, _)| *n).collect();
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            let Some(o) = self.object(item, &at, "a trigger") else { continue };
            let written = o.get("type").and_then(Value::as_str).unwrap_or("");
            let ty = written.strip_suffix("trigger").unwrap_or(written);
            let Some((ty, props)) = spec::TRIGGER_TYPES.iter().find(|(n, _)| *n == ty) else {
                let why = if ty == "visible" {
                    "the old 'visible' trigger is not supported; use 'visibleIf' on the questions".to_string()
                } else {
                    format!("trigger type '{written}' is not supported; use one of: {}", kinds.join(", "))
                };
                self.error(at.key("type"), why);
                continue;
            };
            self.unknown_properties(o, &at, &[spec::TRIGGER_COMMON, props], &format!("a '{ty}' trigger"));
            let expression =
                if o.contains_key("expression") { self.expression(o, "expression", &at, &[]) } else { self.old_trigger_condition(o, &at) };
            let name = |key: &str, this: &mut Self| -> Option<String> {
                match this.string(o, key, &at) {
                    Some(n) if !n.trim().is_empty() => {
                        this.targets.push((at.key(key), n.clone()));
                        Some(n)
                    }
                    _ => None,
                }
            };
            let action = match *ty {
                "complete" => Some(Action::Complete),
                "setvalue" => {
                    let variable = self.boolean(o, "isVariable", &at);
                    let to = if variable {
                        let v = self.string(o, "setToName", &at).filter(|n| !n.trim().is_empty());
                        if let Some(v) = &v {
                            self.variables.insert(name_key(v).into_owned());
                        }
                        v
                    } else {
                        name("setToName", self)
                    };
                    to.map(|to| Action::SetValue { to, value: o.get("setValue").cloned().filter(|v| !v.is_null()), variable })
                }
                "copyvalue" => {
                    if self.boolean(o, "copyDisplayValue", &at) {
                        self.error(
                            at.key("copyDisplayValue"),
                            "copying the text shown instead of the value is not supported yet; SurveyJS would store that text",
                        );
                    }
                    match (name("setToName", self), name("fromName", self)) {
                        (Some(to), Some(from)) => Some(Action::CopyValue { to, from }),
                        _ => None,
                    }
                }
                "runexpression" => {
                    let to = name("setToName", self);
                    self.expression(o, "runExpression", &at, &[]).map(|run| Action::RunExpression { to, run })
                }
                _ => name("gotoName", self).map(|to| Action::Skip { to }),
            };
            let Some(action) = action else {
                let needs = match *ty {
                    "setvalue" => "'setToName'",
                    "copyvalue" => "'setToName' and 'fromName'",
                    "runexpression" => "'runExpression'",
                    _ => "'gotoName'",
                };
                self.warning(at.clone(), format_args!("this '{ty}' trigger has no {needs}, so it never does anything (as in SurveyJS)"));
                continue;
            };
            if expression.is_none() && !matches!(action, Action::CopyValue { .. }) {
                self.warning(at.clone(), format_args!("this '{ty}' trigger has no 'expression', so it never fires (as in SurveyJS)"));
                continue;
            }
            out.push(Trigger { expression, action });
        }
        out
    }

    /// The old way of writing a trigger's condition: `name`, `operator`, `value`.
    fn old_trigger_condition(&mut self, o: &Map<String, Value>, at: &JsonPath) -> Option<Expression> {
        let name = o.get("name").and_then(Value::as_str).filter(|n| !n.is_empty())?;
        let op = self.one_of(o, "operator", at, spec::TRIGGER_COMMON).unwrap_or_else(|| "equal".into());
        let symbol = match op.as_str() {
            "equal" => "=",
            "notequal" => "!=",
            "greater" => ">",
            "less" => "<",
            "greaterorequal" => ">=",
            "lessorequal" => "<=",
            other => other,
        };
        let text = match (op.as_str(), o.get("value")) {
            ("empty" | "notempty", _) => format!("{{{name}}} {symbol}"),
            (_, None | Some(Value::Null)) => return None,
            (_, Some(Value::String(s))) => format!("{{{name}}} {symbol} '{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            (_, Some(v @ (Value::Number(_) | Value::Bool(_)))) => format!("{{{name}}} {symbol} {}", crate::json::to_string(v)),
            (_, Some(v)) => {
                self.error(
                    at.key("value"),
                    format!("compare with a string, a number or true/false, not {}; or write an 'expression'", kind_of(v)),
                );
                return None;
            }
        };
        self.parse_expression(at.key("name"), text, &[])
    }

    fn calculated_value(&mut self, v: &Value, path: &JsonPath) -> Option<CalculatedValue> {
        let obj = self.object(v, path, "a calculated value")?;
        self.unknown_properties(obj, path, &[spec::CALCULATED_VALUE], "a calculated value");
        let name = match self.string(obj, "name", path) {
            Some(n) if !n.trim().is_empty() => n,
            _ => {
                self.error(path.key("name"), "a calculated value needs a 'name'");
                return None;
            }
        };
        self.claim_name(&name, &path.key("name"));
        let Some(expression) = self.expression(obj, "expression", path, &[]) else {
            if !obj.contains_key("expression") {
                self.error(path.key("expression"), "a calculated value needs an 'expression'");
            }
            return None;
        };
        self.compute(name_key(&name).into_owned(), path.key("expression"), expression.tree.variables());
        let include_into_result = self.boolean(obj, "includeIntoResult", path);
        Some(CalculatedValue { name, expression, include_into_result })
    }

    /// The template being read, by the names leading to it (`outer.inner`), as `Logic` keys templates.
    fn template_key(&self) -> Option<String> {
        let names: Vec<String> = self.in_template.iter().map(|(n, _)| name_key(n).into_owned()).collect();
        (!names.is_empty()).then(|| names.join("."))
    }

    fn claim_name(&mut self, name: &str, at: &JsonPath) {
        let set = match self.in_template.last_mut() {
            Some((_, names)) => names,
            None => &mut self.names,
        };
        if !set.insert(name_key(name).into_owned()) {
            self.error(at.clone(), format!("the name '{name}' is used by an earlier question; names must be unique (ignoring case)"));
        }
    }

    fn phieu(&mut self, v: Option<&Value>, path: &JsonPath) -> (Option<String>, Option<String>, Option<Submit>) {
        let Some(v) = v else { return (None, None, None) };
        let Some(obj) = self.object(v, path, "phieu's settings") else { return (None, None, None) };
        self.unknown_properties(obj, path, &[spec::PHIEU], "'phieu'");
        let id = self.string(obj, "id", path);
        if id.as_deref().is_some_and(|i| i.trim().is_empty()) {
            self.error(path.key("id"), "the form id must not be empty");
        }
        let version = self.string(obj, "version", path);
        let submit = obj.get("submit").and_then(|s| self.submit(s, &path.key("submit")));
        (id, version, submit)
    }

    fn submit(&mut self, v: &Value, path: &JsonPath) -> Option<Submit> {
        let obj = self.object(v, path, "submission settings")?;
        self.unknown_properties(obj, path, &[spec::SUBMIT], "'submit'");
        let url = self.string(obj, "url", path);
        let mut headers = Vec::new();
        match obj.get("headers") {
            None => {}
            Some(Value::Object(h)) => {
                for (k, v) in h {
                    match v.as_str() {
                        Some(s) => match header_problem(k, s) {
                            None => headers.push((k.clone(), s.to_string())),
                            Some(problem) => self.error(path.key("headers").key(k), problem),
                        },
                        None => self.error(path.key("headers").key(k), "a header value must be a string"),
                    }
                }
            }
            Some(other) => self.expected(path.key("headers"), "an object of header names and values", other),
        }
        let flat = self.one_of(obj, "format", path, spec::SUBMIT).is_some_and(|f| f == "flat");
        Some(Submit { url, headers, flat })
    }

    fn page(&mut self, v: &Value, path: &JsonPath, i: usize) -> Option<Page> {
        let obj = self.object(v, path, "a page")?;
        self.unknown_properties(obj, path, &[spec::PAGE], "a page");
        let name = self.string(obj, "name", path).unwrap_or_else(|| format!("page{}", i + 1));
        let title = self.localized(obj, "title", path);
        let description = self.localized(obj, "description", path);
        let visible_if = self.visibility(obj, path, &[]);
        let elements = self.elements(obj, "elements", path);
        Some(Page { name, title, description, visible_if, elements })
    }

    fn elements(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath) -> Vec<Element> {
        let path = path.key(key);
        match obj.get(key) {
            None => Vec::new(),
            Some(Value::Array(es)) => {
                self.written += es.len();
                es.iter().enumerate().filter_map(|(i, e)| self.element(e, &path.index(i))).collect()
            }
            Some(other) => {
                self.expected(path, "a list of questions", other);
                Vec::new()
            }
        }
    }

    fn element(&mut self, v: &Value, path: &JsonPath) -> Option<Element> {
        let obj = self.object(v, path, "a question")?;
        let supported = spec::type_names().join(", ");
        let Some(ty) = obj.get("type").and_then(Value::as_str) else {
            self.error(path.key("type"), format!("every question needs a 'type', one of: {supported}"));
            return None;
        };
        let Some(type_spec) = spec::type_spec(ty) else {
            let message = match spec::NOT_YET.iter().find(|(t, _)| *t == ty) {
                Some((_, why)) => format!("question type '{ty}' is not supported yet: {why}"),
                None => format!("question type '{ty}' is not supported; use one of: {supported}"),
            };
            self.error(path.key("type"), message);
            return None;
        };
        let is_answer = !matches!(ty, "html" | "image" | "panel");
        let name = match self.string(obj, "name", path) {
            Some(n) if !n.trim().is_empty() => n,
            _ if !is_answer => format!("{ty}{}", self.written),
            _ => {
                self.error(path.key("name"), "every question needs a 'name': the key its answer is stored under");
                return None;
            }
        };
        if is_answer {
            self.claim_name(&name, &path.key("name"));
        }
        let what = format!("a '{ty}' question");
        self.unknown_properties(obj, path, &[spec::QUESTION, type_spec.props], &what);

        let title = self.localized(obj, "title", path).unwrap_or_else(|| {
            if is_answer {
                Localized::plain(name.clone())
            } else {
                Localized::default()
            }
        });
        let description = self.localized(obj, "description", path);
        let is_required = self.boolean(obj, "isRequired", path);
        let required_error_text = self.localized(obj, "requiredErrorText", path);
        let visible_if = self.visibility(obj, path, &["panel", "panelindex"]);
        let enable_if = self.expression(obj, "enableIf", path, &["panel", "panelindex"]);
        let required_if = self.expression(obj, "requiredIf", path, &["panel", "panelindex"]);
        let default_value = obj.get("defaultValue").cloned();
        let default_value_expression = self.expression(obj, "defaultValueExpression", path, &["panel", "panelindex"]);
        let set_value_if = self.expression(obj, "setValueIf", path, &["panel", "panelindex"]);
        let set_value_expression = self.expression(obj, "setValueExpression", path, &["panel", "panelindex"]);
        let reset_value_if = self.expression(obj, "resetValueIf", path, &["panel", "panelindex"]);
        let read_only = self.boolean(obj, "readOnly", path);
        let validators = self.validators(obj, path);

        self.depth += 1;
        let kind = if self.depth > MAX_NESTING {
            self.error(path.clone(), format!("panels are nested more than {MAX_NESTING} deep"));
            None
        } else {
            self.kind(ty, &name, obj, path)
        };
        self.depth -= 1;
        // survey-core ranks every option once a ranking has a value: its default too.
        let default_value = match (&kind, default_value) {
            (Some(Kind::Ranking { list, select: false, .. }), Some(Value::Array(mut ranked))) => {
                ranked.extend(list.items.iter().map(|c| c.value.clone()).filter(|v| !ranked.contains(v)).collect::<Vec<_>>());
                Some(Value::Array(ranked))
            }
            // survey-core stores valueTrue for a default of true, as for a tap on yes.
            (Some(Kind::Boolean { value_true, value_false, .. }), Some(Value::Bool(b))) => {
                Some(if b { value_true.clone() } else { value_false.clone() })
            }
            (_, d) => d,
        };
        Some(Element {
            name,
            title,
            description,
            is_required,
            required_error_text,
            visible_if,
            enable_if,
            required_if,
            default_value,
            default_value_expression,
            set_value_if,
            set_value_expression,
            reset_value_if,
            read_only,
            validators,
            kind: kind?,
        })
    }

    fn kind(&mut self, ty: &str, name: &str, obj: &Map<String, Value>, path: &JsonPath) -> Option<Kind> {
        Some(match ty {
            "text" => {
                let input_type = self.input_type(obj, path);
                Kind::Text {
                    input_type,
                    placeholder: self.localized(obj, "placeholder", path),
                    max_length: self.count(obj, "maxLength", path),
                    min: obj.get("min").cloned(),
                    max: obj.get("max").cloned(),
                    step: self.number(obj, "step", path),
                    mask: self.mask(obj, path, input_type).map(std::sync::Arc::new),
                }
            }
            "comment" => {
                self.count(obj, "rows", path);
                Kind::Comment { placeholder: self.localized(obj, "placeholder", path), max_length: self.count(obj, "maxLength", path) }
            }
            "radiogroup" => Kind::RadioGroup(self.choices(name, obj, path)),
            "checkbox" => Kind::Checkbox(self.chosen_counts(name, obj, path)),
            "dropdown" => Kind::Dropdown(self.choices(name, obj, path)),
            "tagbox" => Kind::Tagbox(self.chosen_counts(name, obj, path)),
            "imagepicker" => self.imagepicker(name, obj, path),
            "slider" => self.slider(obj, path),
            "ranking" => self.ranking(name, obj, path),
            "image" => {
                if obj.get("contentMode").and_then(Value::as_str).is_some_and(|m| m == "video" || m == "youtube") {
                    self.error(path.key("contentMode"), "phieu shows images only; a video needs a link in an 'html' question");
                    return None;
                }
                self.one_of(obj, "imageFit", path, spec::type_props("image"));
                Kind::Image {
                    link: self.localized(obj, "imageLink", path).unwrap_or_default(),
                    alt: self.localized(obj, "altText", path),
                    width: self.count(obj, "imageWidth", path),
                    height: self.count(obj, "imageHeight", path),
                }
            }
            "buttongroup" => {
                let mut list = self.choices(name, obj, path);
                // SurveyJS's buttongroup has no "Other" or "None".
                (list.buttons, list.other, list.none) = (true, None, None);
                Kind::RadioGroup(list)
            }
            "boolean" => {
                let value_true = self.stored_value(obj, "valueTrue", path).unwrap_or(Value::Bool(true));
                let value_false = self.stored_value(obj, "valueFalse", path).unwrap_or(Value::Bool(false));
                if value_true == value_false {
                    self.error(path.key("valueFalse"), "is the same as 'valueTrue': yes and no would be stored alike");
                }
                Kind::Boolean {
                    label_true: self.localized(obj, "labelTrue", path),
                    label_false: self.localized(obj, "labelFalse", path),
                    value_true,
                    value_false,
                }
            }
            "rating" => self.rating(obj, path),
            "matrix" => {
                let rows = self.choice_items(obj, "rows", path, false);
                let columns = self.choice_items(obj, "columns", path, false);
                if columns.is_empty() {
                    // survey-core loads it; its rows offer nothing to choose.
                    self.warning(
                        path.key("columns"),
                        "a matrix without columns offers nothing to choose (SurveyJS loads it so too); phieu shows its rows alone",
                    );
                }
                let rows_visible_if = self.expression(obj, "rowsVisibleIf", path, &["item", "panel", "panelindex"]);
                let columns_visible_if = self.expression(obj, "columnsVisibleIf", path, &["item", "panel", "panelindex"]);
                if rows.is_empty() {
                    // SurveyJS shows one row, whose answer is the column chosen: a radiogroup's answer.
                    self.warning(
                        path.key("rows"),
                        "a matrix without rows is one row whose answer is the column chosen (as in SurveyJS); phieu shows it as a list of options",
                    );
                    let columns = Choices {
                        items: columns,
                        visible_if: columns_visible_if,
                        enable_if: None,
                        order: ChoicesOrder::AsWritten,
                        other: None,
                        none: None,
                        other_as_value: false,
                        buttons: false,
                        pictures: None,
                        min_chosen: None,
                        max_chosen: None,
                    };
                    return Some(Kind::RadioGroup(columns));
                }
                // SurveyJS's old name and its new one.
                let each_row = self.boolean(obj, "eachRowRequired", path) || self.boolean(obj, "isAllRowRequired", path);
                Kind::Matrix { rows, columns, each_row, rows_visible_if, columns_visible_if }
            }
            "multipletext" => Kind::MultipleText { items: self.text_items(obj, path) },
            "expression" => {
                let expression = self.expression(obj, "expression", path, &["panel", "panelindex"]);
                let Some(expression) = expression else {
                    if !obj.contains_key("expression") {
                        // survey-core shows it empty; it has no value to send either way.
                        self.warning(
                            path.key("expression"),
                            "an expression question without an 'expression' has no value (SurveyJS shows it empty); phieu leaves it out",
                        );
                        return Some(Kind::Html { html: Localized::default() });
                    }
                    return None;
                };
                if self.in_template.is_empty() {
                    self.compute(name_key(name).into_owned(), path.key("expression"), expression.tree.variables());
                }
                self.one_of(obj, "displayStyle", path, spec::type_props("expression"));
                Kind::Expression { expression }
            }
            "html" => Kind::Html { html: self.localized(obj, "html", path).unwrap_or_default() },
            "geopoint" => {
                let mut accuracy = spec::DEFAULT_ACCURACY;
                match obj.get("phieu") {
                    None => {}
                    Some(Value::Object(own)) => {
                        if let Some(a) = self.number(own, "accuracy", &path.key("phieu")) {
                            if a > 0.0 {
                                accuracy = a;
                            } else {
                                self.error(path.key("phieu").key("accuracy"), "the accuracy is in metres and must be more than 0");
                            }
                        }
                    }
                    Some(v) => self.expected(path.key("phieu"), "an object like {\"accuracy\": 30}", v),
                }
                Kind::Geopoint { accuracy }
            }
            "file" => self.file(obj, path),
            "signaturepad" => self.signature(obj, path),
            "panel" => Kind::Panel { elements: self.elements(obj, "elements", path) },
            "matrixdropdown" | "matrixdynamic" => return self.grid(ty == "matrixdynamic", name, obj, path),
            "paneldynamic" => {
                self.in_template.push((name.to_string(), Names::default()));
                let key = self.template_key().unwrap_or_default();
                let template = self.elements(obj, "templateElements", path);
                let template_title = self.localized(obj, "templateTitle", path);
                let (_, names) = self.in_template.pop().unwrap_or_default();
                self.template_names.push((key, names));
                let min = self.count(obj, "minPanelCount", path).unwrap_or(0);
                let max = self.count(obj, "maxPanelCount", path);
                let initial = self.count(obj, "panelCount", path).unwrap_or(0).max(min);
                let add_text = self.localized(obj, "panelAddText", path);
                let remove_text = self.localized(obj, "panelRemoveText", path);
                if max.is_some_and(|m| m < min) {
                    self.error(path.key("maxPanelCount"), "maxPanelCount is less than minPanelCount");
                }
                if template.is_empty() {
                    self.warning(
                        path.key("templateElements"),
                        "this paneldynamic has no 'templateElements': its repeats have nothing to fill in (as in SurveyJS)",
                    );
                }
                Kind::PanelDynamic { template, template_title, min, max, initial, add_text, remove_text }
            }
            _ => return None,
        })
    }

    /// `matrixdropdown` and `matrixdynamic`: the columns are read as the
    /// template of a repeat (one per row), each a question of its `cellType`.
    #[inline(never)]
    fn grid(&mut self, dynamic: bool, name: &str, obj: &Map<String, Value>, path: &JsonPath) -> Option<Kind> {
        let props = spec::type_props(if dynamic { "matrixdynamic" } else { "matrixdropdown" });
        let (rows, rows_visible_if) = if dynamic {
            (None, None)
        } else {
            let rows = self.choice_items(obj, "rows", path, false);
            if rows.is_empty() {
                self.warning(path.key("rows"), "a matrixdropdown without rows has nothing to fill in (SurveyJS loads it so too)");
            }
            // In a repeat, `{panel.x}` is the repeat's x, as for any question there.
            let extra: &'static [&'static str] = if self.in_template.is_empty() { &["item"] } else { &["item", "panel", "panelindex"] };
            (Some(rows), self.expression(obj, "rowsVisibleIf", path, extra))
        };
        let choices = self.choice_items(obj, "choices", path, false);
        let cell_type = self.one_of(obj, "cellType", path, props).unwrap_or_else(|| "dropdown".into());
        self.in_template.push((name.to_string(), Names::default()));
        // Keyed as `Logic` keys templates: `p.m` for a matrix in repeats of `p`.
        let key = self.template_key().unwrap_or_default();
        self.matrices.insert(key.clone());
        let (mut columns, mut totals) = (Vec::new(), Vec::new());
        match obj.get("columns") {
            Some(Value::Array(cs)) if !cs.is_empty() => {
                for (i, c) in cs.iter().enumerate() {
                    if let Some((column, total)) = self.column(c, &path.key("columns").index(i), &cell_type, &choices) {
                        columns.push(column);
                        totals.push(total);
                    }
                }
            }
            None | Some(Value::Array(_)) => {
                self.warning(path.key("columns"), "a matrix without columns has nothing to fill in (SurveyJS loads it so too)")
            }
            Some(other) => self.expected(path.key("columns"), "a list of columns", other),
        }
        let (_, names) = self.in_template.pop().unwrap_or_default();
        self.template_names.push((key, names));
        let (mut min, mut max, mut initial) = (0, None, 0);
        if dynamic {
            min = self.count(obj, "minRowCount", path).unwrap_or(0);
            max = self.count(obj, "maxRowCount", path);
            initial = self.count(obj, "rowCount", path).unwrap_or(2).max(min);
            if let Some(m) = max {
                if m < min {
                    self.error(path.key("maxRowCount"), "maxRowCount is less than minRowCount");
                }
                initial = initial.min(m.max(min));
            }
        }
        let default_row = match obj.get("defaultRowValue") {
            Some(v @ Value::Object(_)) => Some(v.clone()),
            None => None,
            Some(v) => {
                self.expected(path.key("defaultRowValue"), "a row's answers ({\"column\": value})", v);
                None
            }
        };
        let allowed = |r: &mut Self, key| !obj.contains_key(key) || r.boolean(obj, key, path);
        Some(Kind::Grid(std::sync::Arc::new(Grid {
            rows,
            rows_visible_if,
            columns,
            totals,
            min,
            max,
            initial,
            add_text: self.localized(obj, "addRowText", path),
            remove_text: self.localized(obj, "removeRowText", path),
            can_add: dynamic && allowed(self, "allowAddRows"),
            can_remove: dynamic && allowed(self, "allowRemoveRows"),
            default_row,
            total_text: self.localized(obj, "totalText", path),
        })))
    }

    /// A matrix column: a question of its `cellType` (or the matrix's), with
    /// the matrix's `choices` when it has none, and its total.
    fn column(&mut self, v: &Value, path: &JsonPath, cell_type: &str, choices: &[Choice]) -> Option<(Element, Option<Total>)> {
        let obj = self.object(v, path, "a column")?;
        let ty = match obj.get("cellType") {
            None => cell_type.to_string(),
            Some(_) => self.one_of(obj, "cellType", path, spec::COLUMN)?,
        };
        // A column's defaultValue fills each row (`Grid::new_row`); its expression does not yet.
        if obj.contains_key("defaultValueExpression") {
            self.error(
                path.key("defaultValueExpression"),
                "'defaultValueExpression' on a matrix column is not supported yet; SurveyJS would start each row's cell with it"
                    .to_string(),
            );
        }
        let mut total = match self.one_of(obj, "totalType", path, spec::COLUMN).as_deref() {
            Some("sum") => Some(Total::Sum),
            Some("count") => Some(Total::Count),
            Some("min") => Some(Total::Min),
            Some("max") => Some(Total::Max),
            Some("avg") => Some(Total::Avg),
            _ => None,
        };
        if let Some(e) = self.expression(obj, "totalExpression", path, &[]) {
            total = Some(Total::Expression(e));
        }
        self.one_of(obj, "totalDisplayStyle", path, spec::COLUMN);
        self.localized(obj, "totalFormat", path);
        let mut q = obj.clone();
        for key in ["cellType", "totalType", "totalExpression", "totalDisplayStyle", "totalFormat"] {
            q.remove(key);
        }
        q.insert("type".into(), Value::String(ty.clone()));
        let inherits = matches!(ty.as_str(), "dropdown" | "checkbox" | "radiogroup" | "tagbox")
            && !q.contains_key("choices")
            && !q.contains_key("choicesFromQuestion");
        self.inherits_choices = inherits && !choices.is_empty();
        let column = self.element(&Value::Object(q), path);
        self.inherits_choices = false;
        let mut column = column?;
        if let (true, Kind::RadioGroup(l) | Kind::Checkbox(l) | Kind::Dropdown(l) | Kind::Tagbox(l)) = (inherits, &mut column.kind) {
            l.items = choices.to_vec();
        }
        Some((column, total))
    }

    fn rating(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Kind {
        let min_description = self.localized(obj, "minRateDescription", path);
        let max_description = self.localized(obj, "maxRateDescription", path);
        // An empty list is no list: SurveyJS then counts from rateMin to rateMax.
        let scale = if obj.get("rateValues").is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty())) {
            self.choice_items(obj, "rateValues", path, true)
        } else {
            let min = self.number(obj, "rateMin", path).unwrap_or(1.0);
            let max = self.number(obj, "rateMax", path).unwrap_or(5.0);
            let step = self.number(obj, "rateStep", path).unwrap_or(1.0);
            if step <= 0.0 || max < min || (max - min) / step > 100.0 {
                self.error(path.key("rateMax"), "the scale must go up from rateMin to rateMax in at most 100 steps of a positive rateStep");
                Vec::new()
            } else {
                let mut out = Vec::new();
                let mut i = 0.0;
                while min + i * step <= max + 1e-9 {
                    let v = min + i * step;
                    let v = (v * 1e9).round() / 1e9;
                    let value = if v.fract() == 0.0 {
                        Value::from(v as i64)
                    } else {
                        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
                    };
                    out.push(Choice { text: Localized::plain(value_text(&value)), value, visible_if: None, enable_if: None, image: None });
                    i += 1.0;
                }
                out
            }
        };
        Kind::Rating { scale, min_description, max_description }
    }

    fn text_items(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Vec<TextItem> {
        let path = path.key("items");
        let Some(items) = obj.get("items") else {
            // survey-core reports it too ("The property 'items' is required").
            self.error(path, "a multipletext question needs 'items': its boxes");
            return Vec::new();
        };
        let Some(items) = items.as_array() else {
            self.expected(path, "a list of boxes", items);
            return Vec::new();
        };
        let mut seen = Names::default();
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            let (name, obj) = match item {
                Value::String(s) => (s.clone(), None),
                Value::Object(o) => match o.get("name").and_then(Value::as_str) {
                    Some(n) => (n.to_string(), Some(o)),
                    None => {
                        self.error(at.key("name"), "each box needs a 'name'");
                        continue;
                    }
                },
                other => {
                    self.expected(at, "a box ({\"name\", \"title\"})", other);
                    continue;
                }
            };
            if !seen.insert(name_key(&name).into_owned()) {
                self.error(at.key("name"), format!("the box name '{name}' is used twice"));
            }
            let mut item = TextItem {
                title: Localized::plain(name.clone()),
                name,
                input_type: InputType::Text,
                placeholder: None,
                is_required: false,
                mask: None,
            };
            if let Some(o) = obj {
                self.unknown_properties(o, &at, &[spec::TEXT_ITEM], "a box");
                if let Some(t) = self.localized(o, "title", &at) {
                    item.title = t;
                }
                item.input_type = self.input_type(o, &at);
                item.mask = self.mask(o, &at, item.input_type).map(std::sync::Arc::new);
                item.placeholder = self.localized(o, "placeholder", &at);
                item.is_required = self.boolean(o, "isRequired", &at);
            }
            out.push(item);
        }
        out
    }

    fn choices(&mut self, name: &str, obj: &Map<String, Value>, path: &JsonPath) -> Choices {
        let mut items = self.choice_items(obj, "choices", path, false);
        let listed = obj.get("choicesByUrl").and_then(|v| self.choices_by_url(v, &path.key("choicesByUrl")));
        if let Some(listed) = listed {
            if obj.contains_key("choicesFromQuestion") {
                self.error(path.key("choicesFromQuestion"), "options come from a list ('choicesByUrl') or from another question, not both");
            }
            if !items.is_empty() {
                self.warning(path.key("choices"), "these choices are not offered: the list of 'choicesByUrl' replaces them");
            }
            items = listed;
        } else if let Some(from) = self.string(obj, "choicesFromQuestion", path).filter(|f| !f.trim().is_empty()) {
            let mode = self.one_of(obj, "choicesFromQuestionMode", path, spec::CHOICE_COMMON).unwrap_or_default();
            let at = path.key("choicesFromQuestion");
            // In a matrix column survey-core finds only a question at the top of the form.
            let bare = from.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("panel."))
                || from.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("row."));
            if bare && self.template_key().is_some_and(|k| self.matrices.contains(&k)) {
                self.error(
                    at,
                    "in a matrix column 'choicesFromQuestion' names a question at the top of the form; SurveyJS finds no other there",
                );
            } else {
                if !items.is_empty() {
                    self.warning(
                        path.key("choices"),
                        format_args!(
                            "these choices are not offered: 'choicesFromQuestion' offers those of '{from}' instead, as in SurveyJS"
                        ),
                    );
                }
                let within = self.in_template.iter().map(|(n, _)| n.clone()).collect();
                self.carried.push((at, name.to_string(), from, mode, within));
            }
        } else if items.is_empty() && !self.inherits_choices && !obj.contains_key("choicesByUrl") {
            let only = match (obj.get("showOtherItem"), obj.get("showNoneItem")) {
                (Some(Value::Bool(true)), _) => "only \"Other\"",
                (_, Some(Value::Bool(true))) => "only \"None\"",
                _ => "nothing to choose",
            };
            self.warning(path.key("choices"), format_args!("this question has no 'choices': it offers {only}, as in SurveyJS"));
        }
        let visible_if = self.expression(obj, "choicesVisibleIf", path, &["item", "panel", "panelindex"]);
        let enable_if = self.expression(obj, "choicesEnableIf", path, &["item", "panel", "panelindex"]);
        let order = match self.one_of(obj, "choicesOrder", path, spec::CHOICE_COMMON).as_deref() {
            Some("asc") => ChoicesOrder::Ascending,
            Some("desc") => ChoicesOrder::Descending,
            Some("random") => ChoicesOrder::Random,
            _ => ChoicesOrder::AsWritten,
        };
        let other_text = self.localized(obj, "otherText", path);
        let none_text = self.localized(obj, "noneText", path);
        let other = self
            .boolean(obj, "showOtherItem", path)
            .then(|| other_text.unwrap_or_else(|| Localized::from_pairs(&[("", "Khác (ghi rõ)"), ("en", "Other (please specify)")])));
        let none = self
            .boolean(obj, "showNoneItem", path)
            .then(|| none_text.unwrap_or_else(|| Localized::from_pairs(&[("", "Không có"), ("en", "None")])));
        // A question's own `storeOthersAsComment` wins over the survey's, as in survey-core.
        let other_as_value = other.is_some() && !self.flag(obj, "storeOthersAsComment", path, !self.others_as_value);
        Choices {
            items,
            visible_if,
            enable_if,
            order,
            other,
            none,
            other_as_value,
            buttons: false,
            pictures: None,
            min_chosen: None,
            max_chosen: None,
        }
    }

    /// `choicesByUrl`: the options of a list kept beside the form, from the
    /// text the caller gave for its address. `None` when there is none to read.
    #[inline(never)]
    fn choices_by_url(&mut self, v: &Value, path: &JsonPath) -> Option<Vec<Choice>> {
        let obj = self.object(v, path, "a list's address and how to read it ({\"url\", \"valueName\", \"titleName\"})")?;
        self.unknown_properties(obj, path, &[spec::CHOICES_BY_URL], "'choicesByUrl'");
        let url = self.string(obj, "url", path).map(|u| crate::lists::address(&u)).unwrap_or_default();
        if url.is_empty() {
            self.warning(
                path.key("url"),
                "there is no 'url': no list is fetched, and the question offers its 'choices', as in survey-core",
            );
            return None;
        }
        let (list_path, value_name, title_name, image_name) = (
            self.string(obj, "path", path),
            self.string(obj, "valueName", path).filter(|n| !n.is_empty()),
            self.string(obj, "titleName", path).filter(|n| !n.is_empty()),
            self.string(obj, "imageLinkName", path).filter(|n| !n.is_empty()),
        );
        let allow_empty = self.boolean(obj, "allowEmptyResponse", path);
        if let Some(problem) = crate::lists::address_problem(&url) {
            self.error(path.key("url"), problem);
            return None;
        }
        if list_path.as_deref().is_some_and(|p| p.contains('{')) {
            self.error(
                path.key("path"),
                "the path depends on answers ({name}); phieu keeps each list as it is with the form: give a fixed path",
            );
            return None;
        }
        if !self.named.contains(&url) {
            self.named.push(url.clone());
        }
        let text = match self.given.iter().find(|(a, _)| *a == url).map(|(_, t)| t) {
            Some(Ok(text)) => text,
            Some(Err(why)) => {
                self.error(path.key("url"), format!("the list '{url}' could not be read: {why}"));
                return None;
            }
            None => {
                self.error(path.key("url"), format!("the list '{url}' was not loaded with the form"));
                return None;
            }
        };
        let how = crate::lists::Reading {
            path: list_path.as_deref(),
            value_name: value_name.as_deref(),
            title_name: title_name.as_deref(),
            image_name: image_name.as_deref(),
            allow_empty,
        };
        match crate::lists::options(text, &how) {
            Ok(options) => Some(options),
            Err((field, message)) => {
                // On the field as written; a default one on `url`, the list itself.
                let at = if obj.contains_key(field.key()) { path.key(field.key()) } else { path.key("url") };
                self.error(at, format!("in '{url}': {message}"));
                None
            }
        }
    }

    fn choice_items(&mut self, obj: &Map<String, Value>, key: &str, path: &JsonPath, required: bool) -> Vec<Choice> {
        let path = path.key(key);
        let items = match obj.get(key) {
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.expected(path, "a list", other);
                return Vec::new();
            }
            None => {
                if required {
                    self.error(path, format!("this question needs '{key}': a list of strings or {{\"value\": …, \"text\": …}}"));
                }
                return Vec::new();
            }
        };
        let mut seen = Names::default();
        let mut choices = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            let choice = match item {
                Value::String(_) | Value::Number(_) => {
                    Choice { value: item.clone(), text: Localized::plain(value_text(item)), visible_if: None, enable_if: None, image: None }
                }
                Value::Object(o) => {
                    self.unknown_properties(o, &at, &[spec::CHOICE], "a choice");
                    let value = match self.stored_value(o, "value", &at) {
                        Some(v) => v,
                        None if o.contains_key("value") => continue,
                        None => {
                            self.error(at.clone(), "this choice has no 'value'");
                            continue;
                        }
                    };
                    let text = self.localized(o, "text", &at).unwrap_or_else(|| Localized::plain(value_text(&value)));
                    let visible_if = self.expression(o, "visibleIf", &at, &["panel", "panelindex", "item"]);
                    let enable_if = self.expression(o, "enableIf", &at, &["panel", "panelindex", "item"]);
                    let image = self.string(o, "imageLink", &at).filter(|l| !l.trim().is_empty());
                    Choice { value, text, visible_if, enable_if, image }
                }
                other => {
                    self.expected(at, "a choice (a string, a number or {\"value\", \"text\"})", other);
                    continue;
                }
            };
            if !seen.insert(value_text(&choice.value)) {
                self.warning(path.index(i), format_args!("the value '{}' is used by an earlier choice", value_text(&choice.value)));
            }
            choices.push(choice);
        }
        choices
    }

    fn validators(&mut self, obj: &Map<String, Value>, path: &JsonPath) -> Vec<Validator> {
        let path = path.key("validators");
        let items = match obj.get("validators") {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.expected(path, "a list of validators", other);
                return Vec::new();
            }
        };
        let kinds: Vec<&str> = spec::VALIDATOR_TYPES.iter().map(|(n, _)| *n).collect();
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            let Some(o) = self.object(item, &at, "a validator") else { continue };
            let ty = o.get("type").and_then(Value::as_str).unwrap_or("");
            let Some((_, props)) = spec::VALIDATOR_TYPES.iter().find(|(n, _)| *n == ty) else {
                self.error(at.key("type"), format!("validator type '{ty}' is not supported; use one of: {}", kinds.join(", ")));
                continue;
            };
            self.unknown_properties(o, &at, &[spec::VALIDATOR_COMMON, props], &format!("a '{ty}' validator"));
            let text = self.localized(o, "text", &at);
            let check = match ty {
                "numeric" => Check::Numeric { min: self.number(o, "minValue", &at), max: self.number(o, "maxValue", &at) },
                "text" => Check::Text {
                    min_length: self.count(o, "minLength", &at),
                    max_length: self.count(o, "maxLength", &at),
                    allow_digits: !o.contains_key("allowDigits") || self.boolean(o, "allowDigits", &at),
                },
                "answercount" => Check::AnswerCount { min: self.count(o, "minCount", &at), max: self.count(o, "maxCount", &at) },
                "regex" => {
                    let Some(pattern) = self.string(o, "regex", &at) else {
                        self.error(at.key("regex"), "a regex validator needs 'regex': the pattern");
                        continue;
                    };
                    let case_insensitive = self.boolean(o, "caseInsensitive", &at);
                    if let Err(e) = crate::regex::is_match(&pattern, case_insensitive, "") {
                        self.error(at.key("regex"), format!("the pattern '{pattern}' is not a regular expression phieu can use: {e}"));
                        continue;
                    }
                    Check::Regex { pattern, case_insensitive }
                }
                "email" => Check::Email,
                "expression" => match self.expression(o, "expression", &at, &["panel", "panelindex"]) {
                    Some(e) => Check::Expression(e),
                    None => {
                        if !o.contains_key("expression") {
                            self.error(at.key("expression"), "an expression validator needs an 'expression'");
                        }
                        continue;
                    }
                },
                _ => continue,
            };
            out.push(Validator { check, text });
        }
        out
    }

    /// `choicesFromQuestion`, once every question is read: the source's
    /// options become the question's, each shown while it is shown in the
    /// source (its own rules) and, by `choicesFromQuestionMode`, while it is
    /// chosen there (`selected`) or not (`unselected`), as SurveyJS offers them.
    fn carry_choices(&mut self, form: &mut Form) {
        let mut pending = std::mem::take(&mut self.carried);
        while !pending.is_empty() {
            // A question whose options come from one that takes them from a third: that one first.
            let bare = |f: &str| f.get(..6).filter(|p| p.eq_ignore_ascii_case("panel.")).map_or(f, |_| &f[6..]).to_string();
            let next = pending
                .iter()
                .position(|(_, _, from, _, _)| !pending.iter().any(|(_, to, _, _, _)| crate::answers::same_name(to, &bare(from))));
            let (at, to, from, mode, within) = pending.remove(next.unwrap_or(0));
            // The paneldynamic a question is in: its template (the form's top when `within` is empty).
            fn template<'f>(es: &'f mut [Element], within: &[String]) -> Option<&'f mut Vec<Element>> {
                let (first, rest) = within.split_first()?;
                for e in es {
                    match &mut e.kind {
                        Kind::PanelDynamic { template: t, .. } if e.name == *first => {
                            return if rest.is_empty() { Some(t) } else { template(t, rest) }
                        }
                        // A matrix's columns (only just read: no other holder of its Arc yet).
                        Kind::Grid(g) if e.name == *first && rest.is_empty() => return std::sync::Arc::get_mut(g).map(|g| &mut g.columns),
                        Kind::Panel { elements } => {
                            if let Some(t) = template(elements, within) {
                                return Some(t);
                            }
                        }
                        _ => {}
                    }
                }
                None
            }
            // In a repeat, as in survey-core, `panel.q` is question q of the same repeat and `q` one at the top of the form.
            let in_repeat = bare(&from) != from && !within.is_empty();
            let is_source = |q: &&Element| crate::answers::same_name(&q.name, &bare(&from)) && !crate::answers::same_name(&q.name, &to);
            let found = if in_repeat {
                let es = form.pages.iter_mut().find_map(|p| template(&mut p.elements, &within)).map(|t| &t[..]).unwrap_or(&[]);
                crate::form::answered_in(es, &|_| true).into_iter().find(is_source).cloned()
            } else {
                form.questions().find(is_source).cloned()
            };
            let source = found.and_then(|q| Some((q.name.clone(), q.kind.is_multiple(), q.kind.choice_list()?.clone())));
            let Some((from, multiple, list)) = source else {
                let why = match (in_repeat, within.is_empty()) {
                    (true, _) => "of the same paneldynamic repeat",
                    (_, true) => "of this form (radiogroup, checkbox, dropdown or tagbox, outside a paneldynamic)",
                    _ => "at the top of this form (in a paneldynamic, 'panel.q' names q of the same repeat, as in SurveyJS)",
                };
                self.error(at, format!("'{from}' is not another choice question {why}"));
                continue;
            };
            let from = if in_repeat { format!("panel.{from}") } else { from };
            let chosen = Expr::Binary(
                if multiple { expr::BinOp::Contains } else { expr::BinOp::Equal },
                Box::new(Expr::Var(from.clone())),
                Box::new(Expr::Var("item".into())),
            );
            let mode_rule = match mode.as_str() {
                "selected" => Some(chosen),
                "unselected" => Some(Expr::Unary(expr::UnOp::Not, Box::new(chosen))),
                _ => None,
            };
            fn and(a: Option<Expr>, b: Option<Expr>) -> Option<Expr> {
                match (a, b) {
                    (Some(a), Some(b)) => Some(Expr::Binary(expr::BinOp::And, Box::new(a), Box::new(b))),
                    (a, b) => a.or(b),
                }
            }
            let mut items = list.items;
            for c in &mut items {
                let tree = and(and(c.visible_if.take().map(|e| e.tree), list.visible_if.clone().map(|e| e.tree)), mode_rule.clone());
                c.visible_if = tree.map(|tree| Expression { text: String::new(), tree });
            }
            fn find<'f>(es: &'f mut [Element], name: &str) -> Option<&'f mut Element> {
                for e in es {
                    if e.name == name && e.kind.choice_list().is_some() {
                        return Some(e);
                    }
                    if let Kind::Panel { elements } = &mut e.kind {
                        if let Some(found) = find(elements, name) {
                            return Some(found);
                        }
                    }
                }
                None
            }
            let target = if within.is_empty() {
                form.pages.iter_mut().find_map(|p| find(&mut p.elements, &to))
            } else {
                form.pages.iter_mut().find_map(|p| template(&mut p.elements, &within)).and_then(|t| find(t, &to))
            };
            if let Some(l) = target.and_then(|e| e.kind.choice_list_mut()) {
                l.items = items;
            }
        }
    }

    /// Once every name is known: expressions may only name questions,
    /// calculated values or what their place allows; calculations may not
    /// depend on themselves.
    fn check_references(&mut self, form: &Form) {
        let sites = std::mem::take(&mut self.sites);
        for site in &sites {
            for var in site.tree.variables() {
                if let Some(problem) = self.unknown_name(&var, site.extra, site.panel_of.as_deref()) {
                    self.error(site.path.clone(), problem);
                }
            }
        }
        for (path, name) in std::mem::take(&mut self.targets) {
            // A trigger reaches answers at the top of the form only.
            if !form.questions().any(|q| crate::answers::same_name(&q.name, &name)) {
                let why = if name.contains(['.', '[']) {
                    "a trigger can set only a question at the top of the form, not one inside another yet"
                } else {
                    "SurveyJS would keep a value under this name in the data; phieu keeps only questions' answers"
                };
                self.error(path, format!("'{name}' does not name a question of this form: {why}"));
            }
        }
        let piped = std::mem::take(&mut self.piped);
        for (path, text) in piped {
            for var in crate::piping::names(&text) {
                if let Some(problem) = self.unknown_name(&var, &["panel", "panelindex", "parentpanel", "item", "locale"], None) {
                    self.warning(path.clone(), format_args!("{problem}; it is shown as empty"));
                }
            }
        }
        self.check_cycles();
    }

    /// Why `var` names nothing known here: a question, a calculated value or a trigger's variable, or what `extra` allows.
    fn unknown_name(&self, var: &str, extra: &[&str], panel_of: Option<&str>) -> Option<String> {
        let lower = name_key(var).into_owned();
        // `{q-Comment}` is the text of q's "Other" (or comment) box.
        let lower = lower.strip_suffix("-comment").map(str::to_string).unwrap_or(lower);
        let mut prefixes: Vec<&str> = lower.char_indices().filter(|(_, c)| *c == '.' || *c == '[').map(|(i, _)| &lower[..i]).collect();
        prefixes.push(&lower);
        if prefixes.iter().any(|p| self.names.contains(p) || self.variables.contains(p)) {
            return None;
        }
        let root = prefixes[0];
        // In a matrix column: `{row.x}`, `{rowIndex}`, `{rowValue}`, as SurveyJS names them there.
        let matrix = panel_of.is_some_and(|p| self.matrices.contains(name_key(p).as_ref()));
        let row_words: &[&str] = if matrix { &["row", "rowindex", "rowvalue"] } else { &[] };
        // In a repeat inside a repeat, `{parentPanel.x}` is the enclosing repeat's x.
        let parent = panel_of.and_then(|p| p.rsplit_once('.')).map(|(outer, _)| outer).filter(|_| !matrix && extra.contains(&"panel"));
        // survey-core finds no repeat from a matrix cell (`{panel.x}` there reads unreliably), so these are refused.
        if matrix && ["panel", "panelindex", "parentpanel"].contains(&root) {
            return Some(format!("'{{{var}}}' is for a paneldynamic; in a matrix column use {{row.x}}, {{rowIndex}} or {{rowValue}}"));
        }
        if root == "parentpanel" && parent.is_some() {
            let inner = lower.strip_prefix("parentpanel.").unwrap_or("");
            let inner_root = inner.split(['.', '[']).next().unwrap_or("");
            if self.template_names(parent.unwrap_or("")).is_some_and(|names| names.contains(inner_root)) {
                return None;
            }
            return Some(format!("'{{{var}}}' names '{inner_root}', which is not a question of the enclosing paneldynamic"));
        }
        if extra.contains(&root) || row_words.contains(&root) {
            if root == "panel" || root == "row" {
                let inner = lower.strip_prefix(root).and_then(|r| r.strip_prefix('.')).unwrap_or("");
                let inner_root = inner.split(['.', '[']).next().unwrap_or("");
                let ok = match panel_of.and_then(|p| self.template_names(name_key(p).as_ref())) {
                    Some(names) => names.contains(inner_root),
                    None => panel_of.is_none(),
                };
                if !ok {
                    let whose = if matrix { "a column of this matrix" } else { "a question of this paneldynamic" };
                    return Some(format!("'{{{var}}}' names '{inner_root}', which is not {whose}"));
                }
            }
            return None;
        }
        Some(format!("'{{{var}}}' does not name any question or calculated value in this form"))
    }

    /// A computed name and what it reads; a later one of the same name replaces it, as a map's insert would.
    fn compute(&mut self, name: String, at: JsonPath, vars: Vec<String>) {
        match self.computed.binary_search_by(|(n, _)| n.as_str().cmp(&name)) {
            Ok(i) => self.computed[i].1 = (at, vars),
            Err(i) => self.computed.insert(i, (name, (at, vars))),
        }
    }

    /// Where `name` is in `computed`, if it is.
    fn computed_at(&self, name: &str) -> Option<usize> {
        self.computed.binary_search_by(|(n, _)| n.as_str().cmp(name)).ok()
    }

    fn check_cycles(&mut self) {
        // By name, as `computed` is.
        let graph: Vec<(String, Vec<String>)> = self
            .computed
            .iter()
            .map(|(name, (_, vars))| {
                let deps = vars
                    .iter()
                    .map(|v| name_key(v.split(['.', '[']).next().unwrap_or("")).into_owned())
                    .filter(|d| self.computed_at(d).is_some())
                    .collect();
                (name.clone(), deps)
            })
            .collect();
        // The cycles reported, each by its names in order (a list: a set of this type is wasm of its own).
        let mut reported: Vec<Vec<String>> = Vec::new();
        for (at, (start, _)) in graph.iter().enumerate() {
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            let mut seen = Names::default();
            while let Some((node, trail)) = stack.pop() {
                let deps = graph.iter().find(|(n, _)| *n == node).map(|(_, d)| d);
                for next in deps.into_iter().flatten() {
                    if next == start {
                        let mut cycle = trail.clone();
                        cycle.push(start.clone());
                        let mut key: Vec<String> = trail.clone();
                        crate::sort::sort_by(&mut key, |a, b| a < b);
                        if !reported.contains(&key) {
                            reported.push(key);
                            let path = self.computed[at].1 .0.clone();
                            self.error(path, format!("these calculations depend on each other in a circle: {}", cycle.join(" → ")));
                        }
                    } else if seen.insert(next.clone()) {
                        let mut t = trail.clone();
                        t.push(next.clone());
                        stack.push((next.clone(), t));
                    }
                }
            }
        }
    }
}

/// Why a browser's `fetch` would refuse or silently drop this header, if it
/// would: the app must never send without a header the form asked for.
fn header_problem(name: &str, value: &str) -> Option<String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Some(format!("'{name}' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"));
    }
    let lower = name.to_ascii_lowercase();
    if FORBIDDEN_HEADERS.contains(&lower.as_str()) || lower.starts_with("proxy-") || lower.starts_with("sec-") {
        return Some(format!("browsers do not let a page set the header '{name}'; leave it out"));
    }
    if ["content-type", "idempotency-key"].contains(&lower.as_str()) {
        return Some(format!("phieu sets '{name}' itself; leave it out"));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Some("a header value cannot contain a line break".into());
    }
    None
}

/// Fetch's forbidden request-header names.
const FORBIDDEN_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

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

    fn has(ms: &[String], needle: &str) -> bool {
        ms.iter().any(|m| m.contains(needle))
    }

    #[test]
    fn reads_pages_questions_and_choices() {
        let src = r#"{
          "title": {"default": "Phiếu", "en": "Report"},
          "phieu": {"id": "r", "version": 3, "submit": {"url": "https://x.org/hook", "headers": {"X-Token": "t"}, "format": "flat"}},
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
        assert_eq!(
            form.submit,
            Some(Submit { url: Some("https://x.org/hook".into()), headers: vec![("X-Token".into(), "t".into())], flat: true })
        );
        let qs: Vec<_> = form.questions().collect();
        assert_eq!(qs.len(), 3);
        assert!(qs[0].is_required);
        assert!(matches!(qs[0].kind, Kind::Text { input_type: InputType::Tel, .. }));
        let choices = qs[1].kind.choices();
        assert_eq!(choices[0].value, Value::from("Zalo"));
        assert_eq!(choices[1].value, Value::from(2));
        assert_eq!(choices[1].text.get("en"), "Phone");
        assert_eq!(qs[2].title.get("vi"), "ok");
    }

    #[test]
    fn reads_every_supported_type() {
        let src = r#"{"pages": [{"name": "p", "visibleIf": "{a} notempty", "elements": [
            {"type": "text", "name": "a", "inputType": "number", "min": 0, "max": 120, "step": 1, "placeholder": "…",
             "validators": [{"type": "numeric", "minValue": 0, "maxValue": 120, "text": "0–120"}]},
            {"type": "comment", "name": "b", "maxLength": 500, "rows": 3},
            {"type": "tagbox", "name": "c", "choices": ["x", "y"], "showOtherItem": true, "showNoneItem": true, "choicesOrder": "asc",
             "choicesVisibleIf": "{item} != 'y' or {a} > 1"},
            {"type": "rating", "name": "d", "rateMin": 1, "rateMax": 10, "rateStep": 3},
            {"type": "rating", "name": "d2", "rateValues": [1, 2, {"value": 3, "text": "ba"}]},
            {"type": "matrix", "name": "e", "rows": ["r1", "r2"], "columns": [1, 2, 3]},
            {"type": "multipletext", "name": "f", "items": [{"name": "x", "inputType": "number"}, "y"]},
            {"type": "expression", "name": "g", "expression": "{a} * 2"},
            {"type": "html", "html": "**Chú ý**"},
            {"type": "panel", "name": "h", "elements": [{"type": "text", "name": "i", "visibleIf": "{g} > 2"}]},
            {"type": "paneldynamic", "name": "j", "minPanelCount": 1, "maxPanelCount": 9, "templateElements": [
                {"type": "text", "name": "k"}, {"type": "boolean", "name": "l", "visibleIf": "{panel.k} notempty"}]}
        ]}], "calculatedValues": [{"name": "total", "expression": "sum({a}, {g})", "includeIntoResult": true}]}"#;
        let loaded = load(src);
        assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        let el = |n: &str| form.elements().into_iter().find(|e| e.name == n).unwrap().clone();
        let Kind::Rating { scale, .. } = el("d").kind else { panic!() };
        assert_eq!(
            scale.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
            [Value::from(1), Value::from(4), Value::from(7), Value::from(10)]
        );
        let Kind::Tagbox(c) = el("c").kind else { panic!() };
        assert!(c.other.is_some() && c.none.is_some() && c.visible_if.is_some());
        assert_eq!(c.order, ChoicesOrder::Ascending);
        let Kind::PanelDynamic { template, min, max, .. } = el("j").kind else { panic!() };
        assert_eq!((template.len(), min, max), (2, 1, Some(9)));
        assert_eq!(form.calculated_values[0].name, "total");
        assert_eq!(form.questions().map(|q| q.name.clone()).collect::<Vec<_>>(), ["a", "b", "c", "d", "d2", "e", "f", "g", "i", "j"]);
    }

    #[test]
    fn top_level_elements_make_one_page() {
        let form = load(r#"{"elements": [{"type": "comment", "name": "c"}]}"#).form.unwrap();
        assert_eq!(form.pages.len(), 1);
        assert!(form.version.starts_with('h'));
    }

    #[test]
    fn unknown_type_is_an_error_with_position() {
        let src = "{\"elements\": [\n  {\"type\": \"location\", \"name\": \"s\"},\n  {\"type\": \"text\", \"name\": \"t\"}\n]}";
        let loaded = load(src);
        assert!(loaded.form.is_none());
        assert_eq!(
            messages(src),
            ["2:4: error: elements[0].type: question type 'location' is not supported yet: use phieu's own type 'geopoint'"]
        );
        let m = messages(r#"{"elements": [{"type": "slider2", "name": "s"}]}"#);
        assert!(has(&m, "question type 'slider2' is not supported; use one of: text, comment, radiogroup"), "{m:?}");
    }

    #[test]
    fn surveyjs_location_types_point_to_geopoint() {
        let m = messages(r#"{"elements": [{"type": "file", "name": "photo"}, {"type": "geolocation", "name": "where"}]}"#);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(has(&m, "'geolocation' is not supported yet: use phieu's own type 'geopoint'"), "{m:?}");
    }

    #[test]
    fn presentation_properties_only_warn_and_the_form_still_loads() {
        let src = r#"{"elements": [{"type": "text", "name": "t", "titleLocation": "left", "customThing": 1}], "showQuestionNumbers": "off", "widthMode": "static"}"#;
        let loaded = load(src);
        assert!(loaded.form.is_some());
        let m = messages(src);
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(has(
            &m,
            "warning: elements[0].titleLocation: 'titleLocation' only changes how SurveyJS lays out a 'text' question; phieu ignores it"
        ));
        assert!(has(&m, "warning: elements[0].customThing: 'customThing' is not supported on a 'text' question and is ignored"));
        assert!(has(&m, "warning: showQuestionNumbers:"));
    }

    #[test]
    fn an_unknown_box_input_type_warns_as_a_text_question_does() {
        let src = r#"{"elements": [{"type": "multipletext", "name": "m", "items": [{"name": "a", "inputType": "colour"}]},
            {"type": "text", "name": "t", "inputType": "colour"}]}"#;
        let loaded = load(src);
        let warnings: Vec<String> = loaded.diagnostics.iter().filter(|d| !d.is_error()).map(|d| d.to_string()).collect();
        assert_eq!(warnings.iter().filter(|m| m.contains("input type 'colour' is not supported")).count(), 2, "{warnings:?}");
        assert!(has(&warnings, "elements[0].items[0].inputType"), "{warnings:?}");
        assert!(loaded.form.is_some());
    }

    #[test]
    fn submit_headers_a_browser_would_drop_are_errors() {
        let with = |headers: &str| {
            messages(&format!(
                r#"{{"phieu": {{"submit": {{"url": "https://x.vn/r", "headers": {headers}}}}}, "elements": [{{"type": "text", "name": "q"}}]}}"#
            ))
        };
        assert!(with(r#"{"X-Api-Key": "abc", "Authorization": "Bearer t"}"#).is_empty());
        assert!(has(&with(r#"{"X Api": "a"}"#), "not a valid header name"));
        assert!(has(&with(r#"{"Cookie": "a=1"}"#), "browsers do not let a page set the header 'Cookie'"));
        assert!(has(&with(r#"{"Sec-Fetch-Mode": "cors"}"#), "browsers do not let a page set"));
        assert!(has(&with(r#"{"content-type": "text/plain"}"#), "phieu sets 'content-type' itself"));
        assert!(has(&with(r#"{"X-A": "a\r\nX-B: b"}"#), "line break"));
    }

    #[test]
    fn allowed_values_come_from_the_spec() {
        let ms = messages(
            r#"{"showProgressBar": "sideways", "elements": [{"type": "radiogroup", "name": "q", "choices": ["a"], "choicesOrder": "shuffled"}]}"#,
        );
        assert!(has(&ms, "'sideways' is not one of: off, top, bottom"), "{ms:?}");
        assert!(has(&ms, "'shuffled' is not one of: none, asc, desc, random"), "{ms:?}");
    }

    #[test]
    fn structural_errors() {
        let m = messages(
            r#"{"elements": [{"type": "text", "name": "a"}, {"type": "text", "name": "A"}, {"type": "text"}, {"type": "dropdown", "name": "d"}]}"#,
        );
        assert!(has(&m, "elements[1].name: the name 'A' is used by an earlier question"), "{m:?}");
        assert!(has(&m, "elements[2].name: every question needs a 'name'"), "{m:?}");
        assert!(has(&m, "warning: elements[3].choices: this question has no 'choices': it offers nothing to choose"), "{m:?}");
    }

    #[test]
    fn expressions_are_checked_for_syntax_names_functions_and_cycles() {
        let m = messages(
            r#"{"elements": [
                {"type": "text", "name": "a", "visibleIf": "{b} = "},
                {"type": "text", "name": "b", "enableIf": "{nobody} > 1"},
                {"type": "expression", "name": "c", "expression": "{d} + 1"},
                {"type": "expression", "name": "d", "expression": "{c} + 1"},
                {"type": "text", "name": "e", "requiredIf": "Age({a}) > 1"},
                {"type": "text", "name": "f", "validators": [{"type": "regex", "regex": "(unclosed"}]},
                {"type": "paneldynamic", "name": "g", "templateElements": [{"type": "text", "name": "h", "visibleIf": "{panel.zz} = 1"}]}
            ], "calculatedValues": [{"name": "x", "expression": "{y}"}, {"name": "y", "expression": "{x} * 2"}]}"#,
        );
        assert!(has(&m, "elements[0].visibleIf: the expression '{b} = ' does not parse: expected a value"), "{m:?}");
        assert!(has(&m, "elements[1].enableIf: '{nobody}' does not name any question or calculated value"), "{m:?}");
        assert!(has(&m, "these calculations depend on each other in a circle: c → d → c"), "{m:?}");
        assert!(has(&m, "these calculations depend on each other in a circle: x → y → x"), "{m:?}");
        assert!(has(&m, "calls 'Age', which is not a function phieu knows (did you mean 'age'?"), "{m:?}");
        assert!(has(&m, "elements[5].validators[0].regex: the pattern '(unclosed' is not a regular expression"), "{m:?}");
        assert!(has(&m, "'{panel.zz}' names 'zz', which is not a question of this paneldynamic"), "{m:?}");
    }

    #[test]
    fn references_may_use_paths_calculated_values_and_case() {
        let src = r#"{"elements": [
            {"type": "multipletext", "name": "addr", "items": ["street"]},
            {"type": "paneldynamic", "name": "members", "templateElements": [{"type": "text", "name": "age"}]},
            {"type": "text", "name": "n", "visibleIf": "{ADDR.street} notempty and {members[0].age} > 1 and {total} > 0",
             "title": "Xin chào {addr.street} {unknownThing}"},
            {"type": "checkbox", "name": "c", "choices": [{"value": "x", "visibleIf": "{n} = 1"}], "choicesVisibleIf": "{item} != 'z'"}
        ], "calculatedValues": [{"name": "total", "expression": "countInArray({members}, 'age')"}]}"#;
        let loaded = load(src);
        assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
        let m = messages(src);
        assert!(has(&m, "warning: elements[2].title: '{unknownThing}' does not name any question"), "{m:?}");
    }

    #[test]
    fn a_repeat_inside_a_repeat_names_its_own_and_the_enclosing_questions() {
        let src = r#"{"elements": [{"type": "paneldynamic", "name": "households", "templateElements": [
            {"type": "text", "name": "head", "visibleIf": "{panel.members[0].name} notempty or {parentPanel.x} empty"},
            {"type": "paneldynamic", "name": "members", "templateElements": [
                {"type": "text", "name": "name"},
                {"type": "text", "name": "head", "visibleIf": "{panel.name} <> {parentPanel.head} and {parentPanel.nothing} empty"}]}]},
            {"type": "paneldynamic", "name": "others", "templateElements": [{"type": "text", "name": "y", "visibleIf": "{panel.name} empty"}]}]}"#;
        let m = messages(src);
        assert!(load(src).form.is_none());
        assert_eq!(
            m,
            [
                "2:46: error: elements[0].templateElements[0].visibleIf: '{parentPanel.x}' does not name any question or calculated value in this form",
                "5:50: error: elements[0].templateElements[1].templateElements[1].visibleIf: '{parentPanel.nothing}' names 'nothing', which is not a question of the enclosing paneldynamic",
                "6:107: error: elements[1].templateElements[0].visibleIf: '{panel.name}' names 'name', which is not a question of this paneldynamic",
            ]
        );
    }

    #[test]
    fn other_text_and_non_ascii_names_can_be_referred_to() {
        let src = r#"{"elements": [
            {"type": "radiogroup", "name": "kenh", "choices": ["zalo"], "showOtherItem": true},
            {"type": "text", "name": "Đơn_vị"},
            {"type": "text", "name": "x", "visibleIf": "{kenh-Comment} notempty and {đơn_vị} notempty"}
        ]}"#;
        assert!(load(src).errors().next().is_none(), "{:?}", load(src).diagnostics);
        let both = messages(r#"{"pages": [{"elements": [{"type": "text", "name": "a"}]}], "elements": []}"#);
        assert_eq!(both.len(), 1, "{both:?}");
    }

    #[test]
    fn a_matrix_without_columns_and_an_expression_without_one_load_as_survey_core_loads_them() {
        // survey-core 2.5: no JSON error for either; the rows show with nothing to choose, the expression has no value.
        let src = r#"{"elements": [{"type": "matrix", "name": "m", "rows": ["r1"]}, {"type": "expression", "name": "e"}]}"#;
        let loaded = load(src);
        assert_eq!(loaded.errors().count(), 0, "{:?}", loaded.diagnostics);
        let m = messages(src);
        assert!(has(&m, "elements[0].columns: a matrix without columns offers nothing to choose"), "{m:?}");
        assert!(has(&m, "elements[1].expression: an expression question without an 'expression' has no value"), "{m:?}");
        let form = loaded.form.unwrap();
        assert!(matches!(&form.pages[0].elements[0].kind, Kind::Matrix { columns, .. } if columns.is_empty()));
        assert!(matches!(form.pages[0].elements[1].kind, Kind::Html { .. }));
        // survey-core does report a multipletext without items.
        assert!(has(&messages(r#"{"elements": [{"type": "multipletext", "name": "t"}]}"#), "needs 'items'"));
    }

    #[test]
    fn imagepicker_answers_as_a_radiogroup_or_a_checkbox_and_image_has_no_answer() {
        let src = r#"{"elements": [
            {"type": "imagepicker", "name": "one", "choices": [{"value": "a", "imageLink": "pics/a.svg"}, "b"]},
            {"type": "imagepicker", "name": "many", "multiSelect": true, "showLabel": true, "showOtherItem": true,
             "choices": [{"value": 1, "imageLink": "data:image/png;base64,AA=="}]},
            {"type": "image", "name": "map", "imageLink": "pics/map.png", "altText": "Sơ đồ", "imageWidth": 320},
            {"type": "image", "name": "clip", "imageLink": "v.mp4", "contentMode": "video"}]}"#;
        let m = messages(src);
        assert!(has(&m, "elements[0].choices[1]: this option has no 'imageLink'"), "{m:?}");
        assert!(has(&m, "elements[3].contentMode: phieu shows images only"), "{m:?}");
        let ok = src.replace(r#", "contentMode": "video""#, "");
        let form = load(&ok).form.expect("loads");
        let kinds: Vec<&Kind> = form.pages[0].elements.iter().map(|e| &e.kind).collect();
        assert!(matches!(kinds[0], Kind::RadioGroup(l) if l.pictures == Some(false) && l.items[0].image.as_deref() == Some("pics/a.svg")));
        assert!(matches!(kinds[1], Kind::Checkbox(l) if l.pictures == Some(true) && l.other.is_none()), "no Other, as in SurveyJS");
        assert!(matches!(kinds[2], Kind::Image { width: Some(320), .. }));
        assert!(!kinds[2].has_answer());
    }

    #[test]
    fn a_slider_is_a_number_on_a_scale_and_a_range_slider_an_error() {
        let form = load(r#"{"elements": [{"type": "slider", "name": "s", "max": 10, "step": 0.5}, {"type": "slider", "name": "d"}]}"#);
        let form = form.form.expect("loads");
        let kinds: Vec<&Kind> = form.pages[0].elements.iter().map(|e| &e.kind).collect();
        assert!(matches!(kinds[0], Kind::Text { input_type: InputType::Range, min: Some(lo), max: Some(hi), step: Some(s), .. }
                if lo.as_f64() == Some(0.0) && hi.as_f64() == Some(10.0) && *s == 0.5));
        assert!(matches!(kinds[1], Kind::Text { max: Some(hi), step: Some(s), .. } if hi.as_f64() == Some(100.0) && *s == 1.0));
        // survey-core 2.5.43: a range slider answers [low, high]; its thumbs at least a step apart by default.
        let loaded = load(
            r#"{"elements": [{"type": "slider", "name": "r", "sliderType": "range", "min": 1, "max": 9, "step": 2},
            {"type": "slider", "name": "w", "sliderType": "range", "minRangeLength": 3, "maxRangeLength": 6}]}"#,
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        let kinds: Vec<_> = form.questions().map(|q| q.kind.clone()).collect();
        assert_eq!(kinds[0], Kind::RangeSlider { min: 1.0, max: 9.0, step: 2.0, shortest: 2.0, longest: 8.0 });
        assert_eq!(kinds[1], Kind::RangeSlider { min: 0.0, max: 100.0, step: 1.0, shortest: 3.0, longest: 6.0 });
        let m =
            messages(r#"{"elements": [{"type": "slider", "name": "r", "sliderType": "range", "minRangeLength": 5, "maxRangeLength": 2}]}"#);
        assert!(has(&m, "error: elements[0].maxRangeLength: 'maxRangeLength' is less than 'minRangeLength'"), "{m:?}");
        let m = messages(r#"{"elements": [{"type": "slider", "name": "r", "minRangeLength": 5}]}"#);
        assert!(has(&m, "warning: elements[0].minRangeLength: 'minRangeLength' counts only with"), "{m:?}");
    }

    #[test]
    fn a_ranking_is_a_checkbox_put_in_order() {
        let loaded = load(
            r#"{"elements": [{"type": "ranking", "name": "r", "choices": ["a", "b", "c"], "defaultValue": ["c"], "showOtherItem": true,
                "choicesVisibleIf": "{item} != 'x'", "choicesOrder": "desc"},
            {"type": "ranking", "name": "s", "choices": ["a", "b"], "selectToRankEnabled": true, "minSelectedChoices": 1, "maxSelectedChoices": 2,
                "selectToRankAreasLayout": "vertical"}]}"#,
        );
        let form = loaded.form.as_ref().unwrap();
        let Kind::Ranking { list, select: false, min: None, max: None } = &form.question("r").unwrap().kind else { panic!() };
        assert!(list.other.is_none() && list.visible_if.is_some() && list.order == ChoicesOrder::Descending);
        // survey-core ranks every option once a ranking has a value: its default too.
        assert_eq!(form.question("r").unwrap().default_value, Some(serde_json::json!(["c", "a", "b"])));
        assert!(matches!(form.question("s").unwrap().kind, Kind::Ranking { select: true, min: Some(1), max: Some(2), .. }));
        let warnings: Vec<_> = loaded.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[1].contains("only changes how SurveyJS lays out"), "{warnings:?}");
        let m = messages(r#"{"elements": [{"type": "ranking", "name": "r", "choices": ["a"], "maxSelectedChoices": 2}]}"#);
        assert!(has(&m, "warning: elements[0].maxSelectedChoices: 'maxSelectedChoices' counts only with"), "{m:?}");
        let m = messages(
            r#"{"elements": [{"type": "ranking", "name": "r", "choices": ["a"], "selectToRankEnabled": true, "minSelectedChoices": 3, "maxSelectedChoices": 2}]}"#,
        );
        assert!(has(&m, "error: elements[0].maxSelectedChoices: 'maxSelectedChoices' is less than 'minSelectedChoices'"), "{m:?}");
    }

    #[test]
    fn only_unsupported_questions_is_one_error_not_two() {
        let loaded = load(r#"{"elements": [{"type": "location", "name": "s"}]}"#);
        assert_eq!(loaded.errors().count(), 1);
    }

    #[test]
    fn bad_json_reports_serde_position() {
        let m = messages("{\n \"title\": \"x\",\n}");
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with("3:1: error: $: this is not valid JSON: trailing comma"), "{m:?}");
    }

    #[test]
    fn empty_form_is_an_error() {
        assert!(load("{}").form.is_none());
        assert!(load("[]").form.is_none());
        assert!(load(r#"{"pages": []}"#).form.is_none());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut el = r#"{"type": "text", "name": "leaf"}"#.to_string();
        for i in 0..30 {
            el = format!(r#"{{"type": "panel", "name": "p{i}", "elements": [{el}]}}"#);
        }
        let m = messages(&format!(r#"{{"elements": [{el}]}}"#));
        assert!(has(&m, "panels are nested more than 20 deep"), "{m:?}");
        let deep_json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(load(&deep_json).form.is_none());
    }

    #[test]
    fn version_follows_the_text() {
        let a = load(r#"{"elements": [{"type": "text", "name": "a"}]}"#).form.unwrap();
        let b = load(r#"{"elements": [{"type": "text", "name": "b"}]}"#).form.unwrap();
        assert_ne!(a.version, b.version);
    }

    #[test]
    fn triggers_and_value_rules_are_read() {
        let src = r#"{"elements": [{"type": "text", "name": "a"}, {"type": "text", "name": "b", "setValueIf": "{a} = 1", "setValueExpression": "{a} + 1",
              "resetValueIf": "{a} = 2"}],
            "triggers": [{"type": "complete", "expression": "{a} = 'stop'"},
                {"type": "setvaluetrigger", "expression": "{a} = 'x'", "setToName": "b", "setValue": "y"},
                {"type": "copyvalue", "setToName": "b", "fromName": "a"},
                {"type": "runexpression", "expression": "{a} notempty", "runExpression": "{a} + 1", "setToName": "B"},
                {"type": "skip", "name": "a", "operator": "equal", "value": "it's", "gotoName": "b"},
                {"type": "setvalue", "expression": "true", "setToName": "v", "setValue": 1, "isVariable": true}]}"#;
        let loaded = load(src);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        assert_eq!(form.triggers.len(), 6);
        assert_eq!(form.triggers[1].action, Action::SetValue { to: "b".into(), value: Some(Value::from("y")), variable: false });
        assert!(form.triggers[2].expression.is_none());
        assert_eq!(form.triggers[4].expression.as_ref().map(|e| e.text.as_str()), Some("{a} = 'it\\'s'"));
        let b = form.question("b").unwrap();
        assert!(b.set_value_if.is_some() && b.set_value_expression.is_some() && b.reset_value_if.is_some());
    }

    #[test]
    fn what_a_trigger_cannot_do_here_is_an_error() {
        let m = messages(
            r#"{"elements": [{"type": "text", "name": "a"},
                {"type": "paneldynamic", "name": "p", "templateElements": [{"type": "text", "name": "x", "setValueIf": "{panel.x} = 1"},
                    {"type": "text", "name": "y", "defaultValueExpression": "{panel.x} + 1"}]}],
            "triggers": [{"type": "setvalue", "expression": "{a} = 1", "setToName": "nowhere", "setValue": 1},
                {"type": "copyvalue", "expression": "{a} = 1", "setToName": "a", "fromName": "p[0].x"},
                {"type": "copyvalue", "expression": "{a} = 1", "setToName": "a", "fromName": "a", "copyDisplayValue": true},
                {"type": "visible", "expression": "{a} = 1", "questions": ["a"]},
                {"type": "skip", "expression": "{a} = 1"}]}"#,
        );
        assert!(
            has(&m, "error: triggers[0].setToName: 'nowhere' does not name a question of this form: SurveyJS would keep a value"),
            "{m:?}"
        );
        assert!(has(&m, "error: triggers[1].fromName: 'p[0].x' does not name a question of this form: a trigger can set only"), "{m:?}");
        assert!(has(&m, "error: triggers[2].copyDisplayValue:"), "{m:?}");
        assert!(has(&m, "error: triggers[3].type: the old 'visible' trigger is not supported"), "{m:?}");
        assert!(has(&m, "warning: triggers[4]: this 'skip' trigger has no 'gotoName'"), "{m:?}");
        assert!(!m.iter().any(|d| d.contains("templateElements")), "value rules run in each repeat: {m:?}");
    }

    #[test]
    fn a_column_default_value_is_read_its_expression_is_an_error() {
        let src = r#"{"elements": [{"type": "matrixdynamic", "name": "t", "columns": [{"name": "a", "cellType": "text", "defaultValue": "x"},
                {"name": "b", "cellType": "text", "defaultValueExpression": "{row.a}"}]}]}"#;
        let m = messages(src);
        assert!(!m.iter().any(|d| d.contains("columns[0]")), "{m:?}");
        assert!(has(&m, "error: elements[0].columns[1].defaultValueExpression: 'defaultValueExpression' on a matrix column"), "{m:?}");
    }

    #[test]
    fn value_rules_on_a_matrix_column_load() {
        let m = messages(
            r#"{"elements": [{"type": "matrixdynamic", "name": "t", "columns": [{"name": "a", "cellType": "text", "setValueExpression": "{row.b}"},
                {"name": "b", "cellType": "text", "resetValueIf": "{row.a} = 1", "setValueIf": "{row.a} = 2"}]}]}"#,
        );
        assert!(m.is_empty(), "{m:?}");
    }

    #[test]
    fn what_surveyjs_loads_phieu_loads_with_a_warning() {
        let src = r#"{"elements": [
            {"type": "checkbox", "name": "c", "showOtherItem": true},
            {"type": "matrix", "name": "m", "columns": ["1", "2"]},
            {"type": "paneldynamic", "name": "p"},
            {"type": "text", "name": "t", "readOnly": "true", "isRequired": "False", "maxLength": "20"},
            {"type": "rating", "name": "r", "rateMax": "10"}]}"#;
        let loaded = load(src);
        let m: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(loaded.errors().next().is_none(), "{m:?}");
        assert!(has(&m, "warning: elements[0].choices: this question has no 'choices': it offers only \"Other\""), "{m:?}");
        assert!(has(&m, "warning: elements[1].rows: a matrix without rows is one row whose answer is the column chosen"), "{m:?}");
        assert!(has(&m, "warning: elements[2].templateElements: this paneldynamic has no 'templateElements'"), "{m:?}");
        assert!(has(&m, "warning: elements[3].readOnly: 'readOnly' is written as the text \"true\"; phieu reads it as true"), "{m:?}");
        assert!(
            has(&m, "warning: elements[3].maxLength: 'maxLength' is written as the text \"20\"; phieu reads it as the number 20"),
            "{m:?}"
        );
        let form = loaded.form.unwrap();
        let t = form.question("t").unwrap();
        assert!(t.read_only && !t.is_required);
        assert!(matches!(form.question("m").unwrap().kind, Kind::RadioGroup(_)), "answered as SurveyJS stores it: the column alone");
        let Kind::Checkbox(c) = &form.question("c").unwrap().kind else { panic!() };
        assert!(c.items.is_empty() && c.other.is_some());
        assert!(has(
            &messages(r#"{"elements": [{"type": "text", "name": "t", "readOnly": "yes"}]}"#),
            "error: elements[0].readOnly: expected true or false"
        ));
    }

    #[test]
    fn visible_false_hides_as_in_surveyjs_and_an_empty_rate_values_is_the_default_scale() {
        // survey-core 2.5.43: `visible: false` hides a question, panel or page for good,
        // unless a visibleIf decides; `rateValues: []` counts from rateMin to rateMax.
        let src = r#"{"pages": [{"name": "p1", "visible": "false", "elements": [{"type": "text", "name": "x"}]},
            {"name": "p2", "elements": [{"type": "text", "name": "a"},
            {"type": "text", "name": "u", "visible": false, "visibleIf": "{a} = 1"},
            {"type": "text", "name": "v", "visible": false},
            {"type": "panel", "name": "pp", "visible": false, "elements": [{"type": "text", "name": "w"}]},
            {"type": "rating", "name": "r", "rateValues": []}]}]}"#;
        let loaded = load(src);
        assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        let logic = crate::logic::Logic::compile(&form);
        let shown = |a: serde_json::Value| {
            let s = logic.evaluate_all(a.as_object().unwrap(), &expr::Clock::default());
            crate::logic::shown(&form, &s).into_vec()
        };
        assert_eq!(shown(serde_json::json!({})), ["a", "r"]);
        assert_eq!(shown(serde_json::json!({"a": 1})), ["a", "r", "u"]);
        let Kind::Rating { scale, .. } = &form.question("r").unwrap().kind else { panic!() };
        assert_eq!(scale.len(), 5);
    }

    #[test]
    fn choices_from_question_must_name_another_choice_question() {
        let m = messages(
            r#"{"elements": [{"type": "text", "name": "t"},
            {"type": "radiogroup", "name": "a", "choicesFromQuestion": "t"},
            {"type": "radiogroup", "name": "b", "choicesFromQuestion": "b"},
            {"type": "radiogroup", "name": "c", "choicesFromQuestion": "nobody", "choicesFromQuestionMode": "some"},
            {"type": "checkbox", "name": "d", "choicesFromQuestion": "A", "choices": ["x"]},
            {"type": "dropdown", "name": "f", "choicesFromQuestion": "g"},
            {"type": "dropdown", "name": "g", "choicesFromQuestion": "h"},
            {"type": "dropdown", "name": "h", "choices": ["1", "2"]},
            {"type": "paneldynamic", "name": "p", "templateElements": [{"type": "checkbox", "name": "e", "choicesFromQuestion": "panel.x"},
                {"type": "checkbox", "name": "src", "choices": ["1"]}, {"type": "checkbox", "name": "k", "choicesFromQuestion": "src"},
                {"type": "checkbox", "name": "fine", "choicesFromQuestion": "panel.src"}, {"type": "checkbox", "name": "top", "choicesFromQuestion": "h"}]}]}"#,
        );
        for (at, what) in [
            ("elements[1].choicesFromQuestion", "error: elements[1].choicesFromQuestion: 't' is not another choice question"),
            ("elements[2]", "error: elements[2].choicesFromQuestion: 'b' is not another choice question"),
            ("elements[3]", "error: elements[3].choicesFromQuestionMode: 'some' is not one of: all, selected, unselected"),
            ("elements[4]", "warning: elements[4].choices: these choices are not offered: 'choicesFromQuestion' offers those of 'A' instead"),
            ("elements[8]", "error: elements[8].templateElements[0].choicesFromQuestion: 'panel.x' is not another choice question of the same paneldynamic repeat"),
            ("elements[8]", "error: elements[8].templateElements[2].choicesFromQuestion: 'src' is not another choice question at the top of this form (in a paneldynamic, 'panel.q' names q of the same repeat"),
        ] {
            assert!(has(&m, what), "{at}: {m:?}");
        }
        assert!(!m.iter().any(|m| m.contains("elements[4].choicesFromQuestion")), "names match ignoring case: {m:?}");
        assert!(!m.iter().any(|m| m.contains("templateElements[3]") || m.contains("templateElements[4]")), "{m:?}");
        let chain = load(
            r#"{"elements": [{"type": "dropdown", "name": "f", "choicesFromQuestion": "g"}, {"type": "dropdown", "name": "g", "choicesFromQuestion": "h"},
            {"type": "dropdown", "name": "h", "choices": ["1", "2"]}]}"#,
        );
        assert_eq!(chain.form.unwrap().question("f").unwrap().kind.choices().len(), 2, "options from options from a third question");
    }

    #[test]
    fn a_buttongroup_is_a_radiogroup_shown_as_buttons() {
        // survey-core 2.5.43: the answer is the option's value; no "Other" or "None".
        let loaded = load(
            r#"{"elements": [{"type": "buttongroup", "name": "b", "choices": ["a", "b"], "showOtherItem": true, "choicesVisibleIf": "{item} != 'x'"}]}"#,
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        let Kind::RadioGroup(list) = &form.question("b").unwrap().kind else { panic!() };
        assert!(list.buttons && list.other.is_none() && list.visible_if.is_some() && list.items.len() == 2);
        // choicesEnableIf disables buttons, as on the other choice widgets.
        let loaded =
            load(r#"{"elements": [{"type": "buttongroup", "name": "b", "choices": ["a", "b"], "choicesEnableIf": "{item} = 'a'"}]}"#);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        let Kind::RadioGroup(list) = &form.question("b").unwrap().kind else { panic!() };
        assert!(list.buttons && list.enable_if.is_some());
    }

    #[test]
    fn selected_counts_and_each_row_are_read_where_survey_core_has_them() {
        let form = load(
            r#"{"elements": [{"type": "checkbox", "name": "c", "choices": ["a", "b"], "minSelectedChoices": 1, "maxSelectedChoices": 2},
            {"type": "tagbox", "name": "t", "choices": ["a"], "maxSelectedChoices": 0},
            {"type": "matrix", "name": "m", "rows": ["r"], "columns": ["1"], "isAllRowRequired": true},
            {"type": "matrix", "name": "n", "rows": ["r"], "columns": ["1"], "eachRowRequired": true},
            {"type": "matrixdropdown", "name": "g", "rows": ["r"], "columns": [{"name": "x", "cellType": "checkbox", "choices": ["a"], "maxSelectedChoices": 1}]}]}"#,
        )
        .form
        .unwrap();
        let Kind::Checkbox(c) = &form.question("c").unwrap().kind else { panic!() };
        assert_eq!((c.min_chosen, c.max_chosen), (Some(1), Some(2)));
        let Kind::Tagbox(t) = &form.question("t").unwrap().kind else { panic!() };
        assert_eq!(t.max_chosen, None, "0 is no limit, as in survey-core");
        for m in ["m", "n"] {
            assert!(matches!(form.question(m).unwrap().kind, Kind::Matrix { each_row: true, .. }), "{m}");
        }
        let Kind::Grid(g) = &form.question("g").unwrap().kind else { panic!() };
        assert!(matches!(&g.columns[0].kind, Kind::Checkbox(l) if l.max_chosen == Some(1)), "a checkbox column has them too");
        // survey-core has neither on these types: it ignores them, so phieu warns.
        let m = messages(
            r#"{"elements": [{"type": "radiogroup", "name": "r", "choices": ["a"], "maxSelectedChoices": 1},
            {"type": "matrixdropdown", "name": "g", "rows": ["r"], "columns": [{"name": "x"}], "isAllRowRequired": true},
            {"type": "checkbox", "name": "c", "choices": ["a", "b"], "minSelectedChoices": 2, "maxSelectedChoices": 1}]}"#,
        );
        assert!(has(&m, "warning: elements[0].maxSelectedChoices: 'maxSelectedChoices' is not supported"), "{m:?}");
        assert!(has(&m, "warning: elements[1].isAllRowRequired: 'isAllRowRequired' is not supported"), "{m:?}");
        assert!(has(&m, "error: elements[2].maxSelectedChoices: 'maxSelectedChoices' is less than 'minSelectedChoices'"), "{m:?}");
    }

    #[test]
    fn a_boolean_stores_its_value_true_and_value_false() {
        let loaded = load(
            r#"{"elements": [{"type": "boolean", "name": "a", "valueTrue": "yes", "valueFalse": "no", "defaultValue": true},
            {"type": "boolean", "name": "b", "valueTrue": 1, "valueFalse": 0, "defaultValue": false},
            {"type": "boolean", "name": "c", "valueTrue": "Y"},
            {"type": "matrixdropdown", "name": "m", "rows": ["r"], "columns": [{"name": "k", "cellType": "boolean", "valueTrue": "ja", "valueFalse": "nein"}]}]}"#,
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let form = loaded.form.unwrap();
        let stored = |name: &str| {
            let q = form.question(name).unwrap();
            let Kind::Boolean { value_true, value_false, .. } = &q.kind else { panic!() };
            (value_true.clone(), value_false.clone(), q.default_value.clone())
        };
        // survey-core stores valueTrue for a default of true.
        assert_eq!(stored("a"), (serde_json::json!("yes"), serde_json::json!("no"), Some(serde_json::json!("yes"))));
        assert_eq!(stored("b"), (serde_json::json!(1), serde_json::json!(0), Some(serde_json::json!(0))));
        assert_eq!(stored("c"), (serde_json::json!("Y"), serde_json::json!(false), None));
        let m = messages(
            r#"{"elements": [{"type": "boolean", "name": "a", "valueTrue": true, "valueFalse": ["n"]},
            {"type": "boolean", "name": "b", "valueTrue": "s", "valueFalse": "s"}]}"#,
        );
        assert!(has(&m, "error: elements[0].valueTrue: expected a string or a number, found"), "{m:?}");
        assert!(has(&m, "error: elements[0].valueFalse: expected a string or a number, found"), "{m:?}");
        assert!(has(&m, "error: elements[1].valueFalse: is the same as 'valueTrue'"), "{m:?}");
    }

    #[test]
    fn what_would_change_the_data_is_an_error_not_a_warning() {
        let m = messages(
            r#"{"clearInvisibleValues": "none", "elements": [{"type": "checkbox", "name": "a", "choices": ["x"]},
            {"type": "checkbox", "name": "b", "choicesFromQuestion": "a", "valueName": "x"},
            {"type": "matrixdynamic", "name": "m", "columns": [{"name": "c"}], "keyName": "c"},
            {"type": "radiogroup", "name": "r", "choices": ["x"], "showOtherItem": true}]}"#,
        );
        for key in ["clearInvisibleValues", "elements[1].valueName", "elements[2].keyName"] {
            assert!(has(&m, &format!("error: {key}: '")), "{key}: {m:?}");
        }
        assert!(load(r#"{"clearInvisibleValues": "onComplete", "elements": [{"type": "text", "name": "a"}]}"#).form.is_some());
    }

    #[test]
    fn store_others_as_comment_false_is_read_from_the_survey_or_the_question() {
        let form = load(
            r#"{"storeOthersAsComment": false, "elements": [
            {"type": "radiogroup", "name": "a", "choices": ["x"], "showOtherItem": true},
            {"type": "checkbox", "name": "b", "choices": ["x"], "showOtherItem": true, "storeOthersAsComment": true},
            {"type": "dropdown", "name": "c", "choices": ["x"]}]}"#,
        )
        .form
        .expect("loads");
        let as_value: Vec<bool> = form.elements().iter().map(|e| e.kind.choice_list().is_some_and(|c| c.other_as_value)).collect();
        assert_eq!(as_value, [true, false, false], "the question's own setting wins; no Other, nothing to store");
        let one = load(
            r#"{"elements": [{"type": "dropdown", "name": "d", "choices": ["x"], "showOtherItem": true, "storeOthersAsComment": false}]}"#,
        );
        assert!(one.form.expect("loads").elements()[0].kind.choice_list().is_some_and(|c| c.other_as_value));
    }

    #[test]
    fn choices_by_url_reads_the_list_given_and_joins_its_version() {
        let form = r#"{"phieu": {"version": "4"}, "elements": [
            {"type": "dropdown", "name": "district", "choicesByUrl": {"url": "lists/d.json", "valueName": "code", "titleName": "name"}},
            {"type": "checkbox", "name": "again", "choicesByUrl": {"url": "{CACHE}lists/d.json", "valueName": "code"}, "choices": ["x"]}]}"#;
        // Without the list: which to fetch, and an error on the address.
        let bare = load(form);
        assert_eq!(bare.lists, vec!["lists/d.json".to_string()]);
        assert!(bare.form.is_none());
        assert!(
            bare.diagnostics[0].to_string().contains("elements[0].choicesByUrl.url: the list 'lists/d.json' was not loaded"),
            "{:?}",
            bare.diagnostics
        );
        let v1 = [("lists/d.json".to_string(), Ok(r#"[{"code": "ba-dinh", "name": "Ba Đình"}, {"code": "hoan-kiem"}]"#.to_string()))];
        let loaded = load_with(form, &v1);
        let f = loaded.form.expect("loads");
        let options: Vec<(String, String)> =
            f.questions().next().unwrap().kind.choices().iter().map(|c| (value_text(&c.value), c.text.get("vi").to_string())).collect();
        assert_eq!(options, vec![("ba-dinh".into(), "Ba Đình".into()), ("hoan-kiem".into(), "hoan-kiem".into())]);
        // The list replaces inline choices, with a warning.
        assert_eq!(f.questions().nth(1).unwrap().kind.choices().len(), 2);
        assert!(loaded.diagnostics.iter().any(|d| d.to_string().contains("elements[1].choices: these choices are not offered")));
        // The version names the list too: another list, another version; the same, the same.
        assert!(f.version.starts_with("4+") && f.version.len() == 10, "{}", f.version);
        let v2 = [("lists/d.json".to_string(), Ok(r#"[{"code": "ba-dinh"}]"#.to_string()))];
        assert_ne!(load_with(form, &v2).form.unwrap().version, f.version);
        assert_eq!(load_with(form, &v1).form.unwrap().version, f.version);
        // A form without lists keeps its version as written.
        assert_eq!(load(r#"{"phieu": {"version": "4"}, "elements": [{"type": "text", "name": "a"}]}"#).form.unwrap().version, "4");
    }

    #[test]
    fn a_list_problem_is_located_on_the_field_it_concerns() {
        let given = |text: &str| vec![("l.json".to_string(), Ok(text.to_string()))];
        let at = |form: &str, lists: &[List]| {
            load_with(form, lists).diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect::<Vec<_>>()
        };
        let q = |by: &str| {
            format!(
                r#"{{"elements": [{{"type": "radiogroup", "name": "q",
  "choicesByUrl": {by}}}]}}"#
            )
        };
        let e = at(&q(r#"{"url": "l.json", "valueName": "code"}"#), &given(r#"[{"id": 1}]"#));
        assert_eq!(e, vec!["2:37: error: elements[0].choicesByUrl.valueName: in 'l.json': option 0 has no 'code'"]);
        let e = at(&q(r#"{"url": "l.json", "path": "data.items"}"#), &given(r#"{"data": {}}"#));
        assert!(e[0].contains("choicesByUrl.path: in 'l.json': the list has nothing at 'items'"), "{e:?}");
        let e = at(&q(r#"{"url": "l.json"}"#), &[("l.json".to_string(), Err("No such file or directory (os error 2)".to_string()))]);
        assert!(e[0].contains("choicesByUrl.url: the list 'l.json' could not be read: No such file"), "{e:?}");
        let e = at(&q(r#"{"url": "https://api.example/{district}/wards"}"#), &[]);
        assert!(e[0].contains("choicesByUrl.url: the address depends on answers"), "{e:?}");
        let e = at(&q(r#"{"url": "https://surveyjs.io/api/CountriesExample"}"#), &[]);
        assert!(e[0].contains("give a path beside it"), "{e:?}");
        let e = at(&q(r#"{"url": "l.json", "path": "{x}"}"#), &[]);
        assert!(e[0].contains("choicesByUrl.path: the path depends on answers"), "{e:?}");
        let e = at(&q(r#""l.json""#), &[]);
        assert!(e[0].contains("choicesByUrl: expected a list's address"), "{e:?}");
        // No url: nothing fetched, the question offers its choices (a warning only).
        let loaded = load(&q(r#"{"path": "x"}"#));
        assert!(loaded.form.is_some() && loaded.lists.is_empty());
        let both = r#"{"elements": [{"type": "radiogroup", "name": "a", "choices": ["x"]},
            {"type": "radiogroup", "name": "b", "choicesFromQuestion": "a", "choicesByUrl": {"url": "l.json"}}]}"#;
        assert!(at(both, &given(r#"["p"]"#))[0].contains("or from another question, not both"));
    }

    #[test]
    fn masks_are_read_and_what_survey_core_would_not_mask_is_said() {
        let form = load(
            r#"{"elements": [
            {"type": "text", "name": "money", "maskType": "currency", "maskSettings": {"decimalSeparator": ",", "thousandsSeparator": ".", "suffix": " ₫", "precision": 0}},
            {"type": "text", "name": "phone", "inputType": "tel", "maskType": "pattern", "maskSettings": {"pattern": "+84 999 999 999"}},
            {"type": "text", "name": "day", "maskType": "datetime", "maskSettings": {"pattern": "dd/mm/yyyy", "min": "2000-01-01"}}]}"#,
        )
        .form
        .expect("loads");
        let masks: Vec<_> = form.pages[0].elements.iter().map(|e| matches!(&e.kind, Kind::Text { mask: Some(_), .. })).collect();
        assert_eq!(masks, [true, true, true]);

        let m = messages(
            r#"{"elements": [
            {"type": "text", "name": "a", "maskType": "phone"},
            {"type": "text", "name": "b", "maskType": "pattern", "maskSettings": {"pattern": "+84"}},
            {"type": "text", "name": "c", "inputType": "number", "maskType": "numeric"},
            {"type": "text", "name": "d", "maskType": "datetime", "maskSettings": {"pattern": "dd/mm/yyyy", "max": "31/12/2030"}},
            {"type": "text", "name": "e", "maskType": "numeric", "maskSettings": {"decimalSeparator": ",,", "sufix": "$"}},
            {"type": "multipletext", "name": "f", "items": [{"name": "x", "maskType": "numeric"}, {"name": "y", "inputType": "number", "maskType": "numeric"},
                {"name": "z", "maskType": "pattern", "maskSettings": {"pattern": "+84"}}]}]}"#,
        );
        assert!(has(&m, "error: elements[0].maskType: 'phone' is not one of: none, numeric"), "{m:?}");
        assert!(has(&m, "error: elements[1].maskSettings.pattern: a pattern mask needs"), "{m:?}");
        assert!(has(&m, "warning: elements[2].maskType: SurveyJS masks only inputType text and tel"), "{m:?}");
        assert!(has(&m, "error: elements[3].maskSettings.max: 'max' must be a date"), "{m:?}");
        assert!(has(&m, "error: elements[4].maskSettings.decimalSeparator: 'decimalSeparator' must be one character"), "{m:?}");
        assert!(has(&m, "warning: elements[4].maskSettings.sufix: 'sufix' is not supported on a mask"), "{m:?}");
        // A multipletext box takes a mask as a text question does, with the same checks.
        assert!(!m.iter().any(|l| l.contains("elements[5].items[0]")), "{m:?}");
        assert!(has(&m, "warning: elements[5].items[1].maskType: SurveyJS masks only inputType text and tel"), "{m:?}");
        assert!(has(&m, "error: elements[5].items[2].maskSettings.pattern: a pattern mask needs"), "{m:?}");
        let form = load(r#"{"elements": [{"type": "multipletext", "name": "f", "items": [{"name": "x", "maskType": "currency", "maskSettings": {"prefix": "$"}}, "y"]}]}"#).form.unwrap();
        let Kind::MultipleText { items } = &form.pages[0].elements[0].kind else { panic!() };
        assert!(items[0].mask.is_some() && items[1].mask.is_none());
        // The phone fetches its mask module for a masked box as for a masked text question.
        assert!(form.has_masks());
        let plain =
            load(r#"{"elements": [{"type": "multipletext", "name": "f", "items": ["x"]}, {"type": "text", "name": "t"}]}"#).form.unwrap();
        assert!(!plain.has_masks());
    }
}
