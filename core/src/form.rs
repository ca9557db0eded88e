//! The form model: pages, elements, question kinds, choices and validators,
//! as [`crate::read`] builds them from a definition. Nothing here reads JSON.

use crate::answers::same_name;
use crate::expr::Expr;
use crate::localized::Localized;
use serde_json::Value;

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
    pub show_progress_bar: bool,
    pub completed_html: Option<Localized>,
    pub calculated_values: Vec<CalculatedValue>,
    /// `triggers`, in the order SurveyJS runs them.
    pub triggers: Vec<Trigger>,
    pub submit: Option<Submit>,
}

/// A survey trigger: when its `expression` turns true after an answer that
/// it reads changes, it acts.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    /// `None` only for `copyvalue`, which then copies whenever `fromName` changes.
    pub expression: Option<Expression>,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Finish after the page where it holds: Next goes to the review.
    Complete,
    /// Put `value` into the answer `to` (`None` clears it), or into a variable.
    SetValue { to: String, value: Option<Value>, variable: bool },
    /// Copy the answer `from` into `to`.
    CopyValue { to: String, from: String },
    /// Evaluate `run`, and put its result into `to` when there is one.
    RunExpression { to: Option<String>, run: Expression },
    /// Go to the page of question `to`.
    Skip { to: String },
}

/// `phieu.submit`: where this form's submissions go.
#[derive(Clone, Debug, PartialEq)]
pub struct Submit {
    pub url: Option<String>,
    pub headers: Vec<(String, String)>,
    pub flat: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub name: String,
    pub title: Option<Localized>,
    pub description: Option<Localized>,
    pub visible_if: Option<Expression>,
    pub elements: Vec<Element>,
}

/// An expression as the author wrote it, and parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    pub text: String,
    pub tree: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CalculatedValue {
    pub name: String,
    pub expression: Expression,
    pub include_into_result: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub name: String,
    /// Falls back to `name` for questions, as in SurveyJS; empty for panels and html.
    pub title: Localized,
    pub description: Option<Localized>,
    pub is_required: bool,
    pub required_error_text: Option<Localized>,
    pub visible_if: Option<Expression>,
    pub enable_if: Option<Expression>,
    pub required_if: Option<Expression>,
    pub default_value: Option<Value>,
    pub default_value_expression: Option<Expression>,
    /// `setValueIf`, `setValueExpression` and `resetValueIf`: rules that change this answer.
    pub set_value_if: Option<Expression>,
    pub set_value_expression: Option<Expression>,
    pub reset_value_if: Option<Expression>,
    pub read_only: bool,
    pub validators: Vec<Validator>,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Text {
        input_type: InputType,
        placeholder: Option<Localized>,
        max_length: Option<u32>,
        min: Option<Value>,
        max: Option<Value>,
        step: Option<f64>,
        /// `maskType` with its `maskSettings`; shared, as a question is cloned more often than read.
        mask: Option<std::sync::Arc<crate::mask::Mask>>,
    },
    Comment {
        placeholder: Option<Localized>,
        max_length: Option<u32>,
    },
    RadioGroup(Choices),
    Checkbox(Choices),
    /// `ranking`: the options put in order; the answer is their values, first
    /// to last (with `select`, only those the person ranked).
    Ranking {
        list: Choices,
        /// `selectToRankEnabled`: the person picks which options to rank.
        select: bool,
        /// `minSelectedChoices`: fewer ranked is an error, even unanswered (as survey-core checks it).
        min: Option<u32>,
        /// `maxSelectedChoices`, with `select`: no more can be ranked.
        max: Option<u32>,
    },
    /// A `slider` with `sliderType: "range"`: the answer is `[low, high]`.
    RangeSlider {
        min: f64,
        max: f64,
        step: f64,
        /// `minRangeLength` (default: the step) and `maxRangeLength` (default: the whole scale).
        shortest: f64,
        longest: f64,
    },
    Dropdown(Choices),
    Tagbox(Choices),
    Boolean {
        label_true: Option<Localized>,
        label_false: Option<Localized>,
        /// What is stored for yes and no (`valueTrue`, `valueFalse`; default true and false).
        value_true: Value,
        value_false: Value,
    },
    Rating {
        scale: Vec<Choice>,
        min_description: Option<Localized>,
        max_description: Option<Localized>,
    },
    Matrix {
        rows: Vec<Choice>,
        columns: Vec<Choice>,
        /// `eachRowRequired` (or `isAllRowRequired`): every shown row must be answered.
        each_row: bool,
        /// `rowsVisibleIf` and `columnsVisibleIf`, with `{item}` standing for each row's or column's value.
        rows_visible_if: Option<Expression>,
        columns_visible_if: Option<Expression>,
    },
    MultipleText {
        items: Vec<TextItem>,
    },
    Expression {
        expression: Expression,
    },
    Html {
        html: Localized,
    },
    /// A picture between questions (`image`); no answer.
    Image {
        /// `imageLink`, as written: resolved against the form's address by the app.
        link: Localized,
        alt: Option<Localized>,
        width: Option<u32>,
        height: Option<u32>,
    },
    /// phieu's own type: a place, asked for on a tap. The answer is
    /// `{"latitude", "longitude", "accuracy"}` (decimal degrees, metres).
    Geopoint {
        /// Metres: the phone keeps trying until the fix is this good, or the person accepts a worse one.
        accuracy: f64,
    },
    /// Photos and files: the answer is a list of [`FileItem`]s, the bytes kept apart.
    File(FileRules),
    /// A signature drawn on the screen: the answer is one [`FileItem`] (a PNG).
    Signature {
        pen_color: Option<String>,
        width: u32,
        height: u32,
    },
    Panel {
        elements: Vec<Element>,
    },
    PanelDynamic {
        template: Vec<Element>,
        template_title: Option<Localized>,
        min: u32,
        max: Option<u32>,
        initial: u32,
        /// `panelAddText` and `panelRemoveText`: the labels of the add and remove buttons.
        add_text: Option<Localized>,
        remove_text: Option<Localized>,
    },
    /// `matrixdropdown` and `matrixdynamic`: a table whose every row asks
    /// each column once, as a paneldynamic repeat asks its template. Shared:
    /// cloning a question then copies no columns (and Grid's own clone stays out of the wasm).
    Grid(std::sync::Arc<Grid>),
}

/// A `matrixdropdown` (fixed rows; the answer `{row: {column: value}}`) or a
/// `matrixdynamic` (rows added and removed; the answer `[{column: value}]`).
#[derive(Debug, PartialEq)]
pub struct Grid {
    /// A matrixdropdown's rows, whose values key the answer; `None` for a matrixdynamic.
    pub rows: Option<Vec<Choice>>,
    /// `rowsVisibleIf`, with `{item}` standing for each row's value.
    pub rows_visible_if: Option<Expression>,
    /// Each column as the question its cells ask (its `cellType`), named by the column's `name`.
    pub columns: Vec<Element>,
    /// Each column's total (`totalType`, `totalExpression`), in column order.
    pub totals: Vec<Option<Total>>,
    /// A matrixdynamic's `minRowCount`, `maxRowCount` and starting rows (`rowCount`).
    pub min: u32,
    pub max: Option<u32>,
    pub initial: u32,
    pub add_text: Option<Localized>,
    pub remove_text: Option<Localized>,
    /// `allowAddRows` and `allowRemoveRows`.
    pub can_add: bool,
    pub can_remove: bool,
    /// `defaultRowValue`: what a new row starts with.
    pub default_row: Option<Value>,
    /// `totalText`: the title of the totals.
    pub total_text: Option<Localized>,
}

impl Grid {
    /// A new row as survey-core builds it: `defaultRowValue`, then each
    /// column's `defaultValue` in the cells that leaves empty.
    pub fn new_row(&self) -> Value {
        let mut row = Value::Object(Default::default());
        if let Some(Value::Object(given)) = &self.default_row {
            row = Value::Object(given.clone());
        }
        self.fill_row(&mut row);
        row
    }

    /// Each column's `defaultValue` into the empty cells of `row`, as
    /// survey-core fills a row whenever it builds it (a saved one too).
    pub fn fill_row(&self, row: &mut Value) {
        let Value::Object(cells) = row else { return };
        for c in &self.columns {
            if let Some(v) = &c.default_value {
                if crate::answers::is_empty(cells.get(&c.name)) {
                    cells.insert(c.name.clone(), v.clone());
                }
            }
        }
    }
}

/// How a column's total is made from its cells (SurveyJS's `totalType`), or
/// `totalExpression`, where `{row.x}` is column x's total.
#[derive(Clone, Debug, PartialEq)]
pub enum Total {
    Sum,
    Count,
    Min,
    Max,
    Avg,
    Expression(Expression),
}

/// The key SurveyJS keeps a matrix's totals under in the data: `<name>-total`.
pub fn total_key(name: &str) -> String {
    format!("{name}-total")
}

/// A geopoint's answer: decimal degrees and metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy: f64,
}

impl Place {
    /// The answer read back, if it is a place on Earth with a sensible accuracy.
    pub fn of(v: &Value) -> Option<Place> {
        let n = |k: &str| v.get(k).and_then(Value::as_f64);
        let p = Place { latitude: n("latitude")?, longitude: n("longitude")?, accuracy: n("accuracy")? };
        let ok = (-90.0..=90.0).contains(&p.latitude) && (-180.0..=180.0).contains(&p.longitude) && p.accuracy >= 0.0;
        ok.then_some(p)
    }

    pub fn to_json(self) -> Value {
        let n = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
        let mut m = serde_json::Map::new();
        m.insert("latitude".into(), n(self.latitude));
        m.insert("longitude".into(), n(self.longitude));
        m.insert("accuracy".into(), n(self.accuracy));
        Value::Object(m)
    }

    /// `21.028511, 105.854167 (±12 m)`: six decimals are about 10 cm.
    pub fn text(self) -> String {
        use crate::num::to_fixed;
        format!("{}, {} (±{} m)", to_fixed(self.latitude, 6), to_fixed(self.longitude, 6), to_fixed(self.accuracy, 0))
    }

    /// The phone's map app at this place.
    pub fn geo_uri(self) -> String {
        let at = format!("{},{}", crate::num::to_fixed(self.latitude, 6), crate::num::to_fixed(self.longitude, 6));
        format!("geo:{at}?q={at}")
    }
}

/// What a `file` question accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRules {
    pub multiple: bool,
    /// HTML's `accept`: `image/*,.pdf`.
    pub accepted: Option<String>,
    /// Bytes, after a photo has been made smaller.
    pub max_size: Option<u32>,
    pub max_files: Option<u32>,
    /// Open the camera at once (`sourceType: "camera"`).
    pub camera: bool,
    /// A photo's longest side, in pixels.
    pub max_image: u32,
}

/// A file answer's item: the file is named by its content's hash and
/// travels on its own (`docs/submission.md`, "Files").
#[derive(Clone, Debug, PartialEq)]
pub struct FileItem {
    pub name: String,
    /// The media type, `image/jpeg`.
    pub media_type: String,
    pub size: u64,
    /// SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: String,
}

impl FileItem {
    /// The item read back, if it has all four fields as the protocol says.
    pub fn of(v: &Value) -> Option<FileItem> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let item = FileItem { name: s("name")?, media_type: s("type")?, size: v.get("size")?.as_u64()?, sha256: s("sha256")? };
        is_sha256(&item.sha256).then_some(item)
    }

    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), Value::String(self.name.clone()));
        m.insert("type".into(), Value::String(self.media_type.clone()));
        m.insert("size".into(), Value::Number(self.size.into()));
        m.insert("sha256".into(), Value::String(self.sha256.clone()));
        Value::Object(m)
    }

    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }

    /// `IMG_0042.jpg (179 KB)`.
    pub fn text(&self) -> String {
        format!("{} ({})", self.name, size_text(self.size))
    }
}

/// `840 B`, `179 KB`, `2.4 MB`: whole numbers only, so no float printing.
pub fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < MB => format!("{} KB", (b + 512) / 1024),
        b => {
            let tenths = (b * 10 + MB / 2) / MB;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// A range slider's answer, `[low, high]` with low <= high.
pub fn range_ends(v: &Value) -> Option<(f64, f64)> {
    match v.as_array()?.as_slice() {
        [lo, hi] => Some((lo.as_f64()?, hi.as_f64()?)).filter(|(lo, hi)| lo <= hi),
        _ => None,
    }
}

/// 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every file item in `v` at any depth (a repeat's photos too), each hash
/// once, in order: the files a report needs on the server before it.
pub fn file_items(v: &Value, out: &mut Vec<FileItem>) {
    match v {
        Value::Object(m) if m.contains_key("sha256") => {
            if let Some(f) = FileItem::of(v).filter(|f| out.iter().all(|o| o.sha256 != f.sha256)) {
                out.push(f);
            }
        }
        Value::Object(m) => m.values().for_each(|v| file_items(v, out)),
        Value::Array(vs) => vs.iter().for_each(|v| file_items(v, out)),
        _ => {}
    }
}

impl Kind {
    /// The options of a choice question; empty for other types.
    pub fn choices(&self) -> &[Choice] {
        self.choice_list().map_or(&[], |c| &c.items)
    }

    pub fn choice_list(&self) -> Option<&Choices> {
        match self {
            Kind::RadioGroup(c) | Kind::Checkbox(c) | Kind::Dropdown(c) | Kind::Tagbox(c) | Kind::Ranking { list: c, .. } => Some(c),
            _ => None,
        }
    }

    pub fn choice_list_mut(&mut self) -> Option<&mut Choices> {
        match self {
            Kind::RadioGroup(c) | Kind::Checkbox(c) | Kind::Dropdown(c) | Kind::Tagbox(c) | Kind::Ranking { list: c, .. } => Some(c),
            _ => None,
        }
    }

    /// Whether the answer is a list of choice values.
    pub fn is_multiple(&self) -> bool {
        matches!(self, Kind::Checkbox(_) | Kind::Tagbox(_) | Kind::Ranking { .. })
    }

    /// Whether the person gives an answer here (panels and html are not questions).
    pub fn has_answer(&self) -> bool {
        !matches!(self, Kind::Html { .. } | Kind::Image { .. } | Kind::Panel { .. })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    pub items: Vec<Choice>,
    /// `choicesVisibleIf`, with `{item}` standing for each option's value.
    pub visible_if: Option<Expression>,
    /// `choicesEnableIf`: an option is shown but cannot be chosen while it is false.
    pub enable_if: Option<Expression>,
    pub order: ChoicesOrder,
    /// The label of "Other (please specify)", when the question has it.
    pub other: Option<Localized>,
    /// The label of "None", when the question has it.
    pub none: Option<Localized>,
    /// `storeOthersAsComment: false`: the "Other" text is the answer itself (in
    /// a list, in place of `"other"`), `"other"` while it is empty; no `<name>-Comment`.
    pub other_as_value: bool,
    /// `buttongroup`: a radiogroup shown as a row of buttons.
    pub buttons: bool,
    /// `imagepicker`: each option is its picture; `Some(true)` shows the text under it too (`showLabel`).
    pub pictures: Option<bool>,
    /// A checkbox's or tagbox's `minSelectedChoices`: fewer chosen is an error, even unanswered (as survey-core checks it).
    pub min_chosen: Option<u32>,
    /// `maxSelectedChoices`: once this many are chosen, the others are disabled (survey-core refuses nothing more).
    pub max_chosen: Option<u32>,
}

impl Choices {
    /// Whether `value` cannot be chosen now because `maxSelectedChoices` are
    /// (survey-core disables the options not chosen, "Other" with them; "None" stays).
    pub fn full_for(&self, chosen: &[Value], value: &Value) -> bool {
        self.max_chosen.is_some_and(|m| chosen.len() >= m as usize) && value != NONE_VALUE && !chosen.contains(value)
    }
}

impl Choices {
    /// Whether `v` is an "Other" text stored as the answer: one no option,
    /// "Other" or "None" has (survey-core reads such an answer back as "Other").
    pub fn is_other_text(&self, v: &Value) -> bool {
        let text = value_text(v);
        self.other_as_value
            && text != OTHER_VALUE
            && !(self.none.is_some() && text == NONE_VALUE)
            && !self.items.iter().any(|c| value_text(&c.value) == text)
    }

    /// The answer as the options show it: an "Other" text as `"other"`.
    pub fn shown(&self, v: Option<Value>) -> Option<Value> {
        let other = || Value::String(OTHER_VALUE.into());
        match v {
            Some(Value::Array(mut items)) => {
                items.iter_mut().filter(|v| self.is_other_text(v)).for_each(|v| *v = other());
                Some(Value::Array(items))
            }
            Some(v) if self.is_other_text(&v) => Some(other()),
            v => v,
        }
    }

    /// The "Other" text held in the answer `v`, if any.
    pub fn other_text(&self, v: Option<&Value>) -> Option<String> {
        match v? {
            Value::Array(items) => items.iter().find(|v| self.is_other_text(v)).map(value_text),
            v => self.is_other_text(v).then(|| value_text(v)),
        }
    }

    /// The answer `v` (as shown) with its `"other"` replaced by `text`; `"other"` stays while `text` is empty.
    pub fn with_other_text(&self, v: Option<Value>, text: &str) -> Option<Value> {
        let mut v = v;
        let put = |v: &mut Value| {
            if *v == OTHER_VALUE && !text.is_empty() {
                *v = Value::String(text.into());
            }
        };
        match &mut v {
            Some(Value::Array(items)) => items.iter_mut().for_each(put),
            Some(one) => put(one),
            None => {}
        }
        v
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoicesOrder {
    AsWritten,
    Ascending,
    Descending,
    Random,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// What goes into the answers: a string or a number, as the author wrote it.
    pub value: Value,
    pub text: Localized,
    pub visible_if: Option<Expression>,
    /// The option can be chosen only while this holds (`enableIf`).
    pub enable_if: Option<Expression>,
    /// An `imagepicker` option's picture (`imageLink`), as written.
    pub image: Option<String>,
}

/// The value SurveyJS stores for "Other" and "None".
pub const OTHER_VALUE: &str = "other";
pub const NONE_VALUE: &str = "none";

#[derive(Clone, Debug, PartialEq)]
pub struct TextItem {
    pub name: String,
    pub title: Localized,
    pub input_type: InputType,
    pub placeholder: Option<Localized>,
    pub is_required: bool,
    /// `maskType` with its `maskSettings`, as on a `text` question: the box's answer stored unmasked.
    pub mask: Option<std::sync::Arc<crate::mask::Mask>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    Text,
    Number,
    Email,
    Tel,
    Url,
    Date,
    Time,
    DateTimeLocal,
    Month,
    Week,
    Range,
    Color,
}

impl InputType {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "text" => InputType::Text,
            "number" => InputType::Number,
            "email" => InputType::Email,
            "tel" => InputType::Tel,
            "url" => InputType::Url,
            "date" => InputType::Date,
            "time" => InputType::Time,
            "datetime-local" => InputType::DateTimeLocal,
            "month" => InputType::Month,
            "week" => InputType::Week,
            "range" => InputType::Range,
            "color" => InputType::Color,
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
            InputType::Time => "time",
            InputType::DateTimeLocal => "datetime-local",
            InputType::Month => "month",
            InputType::Week => "week",
            InputType::Range => "range",
            InputType::Color => "color",
        }
    }
    /// Whether answers are numbers rather than text.
    pub fn is_numeric(self) -> bool {
        matches!(self, InputType::Number | InputType::Range)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Validator {
    pub check: Check,
    /// The author's message; a standard one is used when absent.
    pub text: Option<Localized>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    Numeric { min: Option<f64>, max: Option<f64> },
    Text { min_length: Option<u32>, max_length: Option<u32>, allow_digits: bool },
    AnswerCount { min: Option<u32>, max: Option<u32> },
    Regex { pattern: String, case_insensitive: bool },
    Email,
    Expression(Expression),
}

impl Form {
    /// Every element, depth first, panels and paneldynamic templates included.
    pub fn elements(&self) -> Vec<&Element> {
        fn walk<'a>(es: &'a [Element], out: &mut Vec<&'a Element>) {
            for e in es {
                out.push(e);
                match &e.kind {
                    Kind::Panel { elements } => walk(elements, out),
                    Kind::PanelDynamic { template, .. } => walk(template, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for p in &self.pages {
            walk(&p.elements, &mut out);
        }
        out
    }

    /// The questions whose answers sit at the top level of the answers
    /// (not inside a paneldynamic), in order.
    pub fn questions(&self) -> impl Iterator<Item = &Element> {
        self.pages.iter().flat_map(|p| answered_in(&p.elements, &|_| true)).collect::<Vec<_>>().into_iter()
    }

    /// Whether any text box, a matrix's cells and a multipletext's boxes
    /// included, has an input mask (the phone loads its mask module for such a form).
    pub fn has_masks(&self) -> bool {
        let masked = |e: &Element| match &e.kind {
            Kind::Text { mask, .. } => mask.is_some(),
            Kind::MultipleText { items } => items.iter().any(|i| i.mask.is_some()),
            _ => false,
        };
        self.elements().into_iter().any(|e| masked(e) || matches!(&e.kind, Kind::Grid(g) if g.columns.iter().any(masked)))
    }

    /// The question at `key` as validation names it: `name`, or `outer[0].inner[1].q` inside repeats.
    pub fn element_at(&self, key: &str) -> Option<&Element> {
        let mut scope: Vec<&Element> = self.questions().collect();
        let mut found = None;
        for step in key.split("].") {
            let name = step.split('[').next().unwrap_or(step);
            let e = *scope.iter().find(|e| same_name(&e.name, name))?;
            scope = match &e.kind {
                Kind::PanelDynamic { template, .. } => answered_in(template, &|_| true),
                _ => Vec::new(),
            };
            found = Some(e);
        }
        found
    }

    pub fn question(&self, name: &str) -> Option<&Element> {
        self.elements().into_iter().find(|e| same_name(&e.name, name) && e.kind.has_answer())
    }
}

/// The questions whose answers sit side by side in one object (the answers,
/// or one repeat of a paneldynamic): through the panels `open` lets in, not
/// into repeats.
pub fn answered_in<'a>(es: &'a [Element], open: &dyn Fn(&Element) -> bool) -> Vec<&'a Element> {
    fn walk<'a>(es: &'a [Element], open: &dyn Fn(&Element) -> bool, out: &mut Vec<&'a Element>) {
        for e in es {
            match &e.kind {
                Kind::Panel { elements } if open(e) => walk(elements, open, out),
                k if k.has_answer() => out.push(e),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(es, open, &mut out);
    out
}

pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => crate::json::to_string(other),
    }
}
