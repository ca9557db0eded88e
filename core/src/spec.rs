//! The supported subset of SurveyJS's format, written down once as data.
//!
//! The loader warns about any property not listed here, `phieu schema`
//! turns these tables into a JSON Schema, and the docs list the same names;
//! so what phieu reads, what editors suggest and what the docs promise
//! cannot drift apart.

/// The shape of a property's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A plain string.
    Str,
    /// A string, or texts by language: `{"default": "…", "en": "…"}`.
    Text,
    Bool,
    /// A whole number from 0.
    Count,
    Number,
    /// A string, or a number (kept as text).
    StrOrNumber,
    /// An expression in SurveyJS's expression language.
    Expression,
    /// Any JSON value (an answer).
    Any,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A list of choices: strings, numbers or `{value, text, visibleIf}`.
    Choices,
    /// A list of questions and panels.
    Elements,
    /// A list of validators.
    Validators,
    /// A list of pages.
    Pages,
    /// A list of `{name, expression, includeIntoResult}`.
    CalculatedValues,
    /// A list of triggers (`{type, expression, …}`).
    Triggers,
    /// A list of `{name, title, inputType, placeholder, isRequired}`.
    TextItems,
    /// A matrix's columns: `{name, title, cellType, …}`, each a question asked once per row.
    Columns,
    /// A geopoint's own settings: `{"accuracy": metres}`.
    PhieuGeopoint,
    /// A file question's own settings: `{"maxImageSize": pixels}`.
    PhieuFile,
    /// A text question's `maskSettings` ([`MASK_SETTINGS`]).
    MaskSettings,
    /// Numbers, strings or `{value, text}` for a rating scale.
    RateValues,
    /// An object of string values (HTTP headers).
    StrMap,
    /// The `phieu` extension object.
    Phieu,
    /// The `submit` object inside `phieu`.
    Submit,
    /// `choicesByUrl`: a list beside the form and how to read it.
    ChoicesByUrl,
}

#[derive(Clone, Copy, Debug)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    /// What it means, for the schema and the docs; only with the `docs` feature,
    /// so the phone does not download prose it never shows.
    #[cfg(feature = "docs")]
    pub doc: &'static str,
}

const fn p(name: &'static str, ty: Ty, doc: &'static str) -> Prop {
    #[cfg(not(feature = "docs"))]
    let _ = doc;
    Prop {
        name,
        ty,
        #[cfg(feature = "docs")]
        doc,
    }
}

pub const SURVEY: &[Prop] = &[
    p("$schema", Ty::Str, "The JSON Schema, for editors; ignored."),
    p("title", Ty::Text, "The form's title."),
    p("description", Ty::Text, "Shown under the title."),
    p("locale", Ty::Str, "The language of the texts given as plain strings or as `default` (e.g. `vi`)."),
    p("pages", Ty::Pages, "The pages, in order."),
    p("elements", Ty::Elements, "The questions of a single-page form (instead of `pages`)."),
    p(
        "showProgressBar",
        Ty::OneOf(&["off", "top", "bottom", "both", "auto", "aboveheader", "belowheader"]),
        "Whether to show progress through the pages.",
    ),
    p("storeOthersAsComment", Ty::Bool, "`false`: every question's \"Other\" text is its answer itself (a question's own setting wins)."),
    p("completedHtml", Ty::Text, "Shown after submitting: text or safe Markdown (no raw HTML)."),
    p("calculatedValues", Ty::CalculatedValues, "Named values computed from the answers, usable as `{name}`."),
    p(
        "triggers",
        Ty::Triggers,
        "Actions run when an answer changes and their `expression` becomes true: complete, setvalue, copyvalue, runexpression, skip.",
    ),
    p("phieu", Ty::Phieu, "phieu's own settings: id, version and where to submit."),
];

pub const PHIEU: &[Prop] = &[
    p("id", Ty::Str, "The form id sent with each submission; default: the file name without `.json`."),
    p("version", Ty::StrOrNumber, "The form version sent with each submission; default: a hash of the file."),
    p("submit", Ty::Submit, "Where this form's submissions go, overriding the app's endpoint."),
];

/// What a `geopoint` question takes under `phieu`.
pub const PHIEU_GEOPOINT: &[Prop] = &[p(
    "accuracy",
    Ty::Number,
    "Metres: the phone tries again until its fix is this good, or the person accepts a worse one (default 50).",
)];

/// A geopoint's `phieu.accuracy` when the form gives none, in metres.
pub const DEFAULT_ACCURACY: f64 = 50.0;

/// What a `file` question takes under `phieu`.
pub const PHIEU_FILE: &[Prop] = &[p(
    "maxImageSize",
    Ty::Count,
    "Pixels: a photo is made smaller on the phone until its longest side is at most this (default 1600), and sent as JPEG.",
)];

/// A photo's longest side when the form gives no `phieu.maxImageSize`, in pixels.
pub const DEFAULT_IMAGE_SIZE: u32 = 1600;

pub const SUBMIT: &[Prop] = &[
    p("url", Ty::Str, "The endpoint URL."),
    p("headers", Ty::StrMap, "Extra HTTP headers, sent only to that endpoint's origin."),
    p("format", Ty::OneOf(&["envelope", "flat"]), "`envelope` (default): id, form, times, answers, meta; `flat`: the answers alone."),
];

pub const PAGE: &[Prop] = &[
    p("name", Ty::Str, "The page's name."),
    p("title", Ty::Text, "Shown at the top of the page."),
    p("description", Ty::Text, "Shown under the page title."),
    p("visible", Ty::Bool, "`false`: the page is never shown (unless `visibleIf` says otherwise)."),
    p("visibleIf", Ty::Expression, "The page is shown only while this is true."),
    p("elements", Ty::Elements, "The questions and panels on the page."),
];

pub const CALCULATED_VALUE: &[Prop] = &[
    p("name", Ty::Str, "Its name, used as `{name}`."),
    p("expression", Ty::Expression, "How it is computed."),
    p("includeIntoResult", Ty::Bool, "Whether it is submitted with the answers."),
];

/// Properties every question (and panel) may have.
pub const QUESTION: &[Prop] = &[
    p("type", Ty::Str, "The question type."),
    p("name", Ty::Str, "Unique; the key its answer is stored under."),
    p("title", Ty::Text, "The question as shown; default: the name. May contain `{name}` to show an answer."),
    p("description", Ty::Text, "Help shown under the title."),
    p("isRequired", Ty::Bool, "An answer is needed to submit."),
    p("requiredErrorText", Ty::Text, "The message shown when a required answer is missing."),
    p("visible", Ty::Bool, "`false`: never shown (unless `visibleIf` says otherwise), and its answer is not submitted."),
    p("visibleIf", Ty::Expression, "Shown only while this is true; a hidden question's answer is not submitted."),
    p("enableIf", Ty::Expression, "Can be answered only while this is true."),
    p("requiredIf", Ty::Expression, "Required while this is true."),
    p("defaultValue", Ty::Any, "The answer it starts with."),
    p(
        "defaultValueExpression",
        Ty::Expression,
        "Computes the answer it starts with, again whenever what it reads changes, until the person changes the answer.",
    ),
    p(
        "setValueIf",
        Ty::Expression,
        "When an answer it reads changes and it is true, the answer becomes `setValueExpression` (or is cleared).",
    ),
    p("setValueExpression", Ty::Expression, "The answer given by `setValueIf`; alone, recomputed whenever an answer it reads changes."),
    p(
        "resetValueIf",
        Ty::Expression,
        "When an answer it reads changes and it is true, the answer goes back to its default (or is cleared).",
    ),
    p("readOnly", Ty::Bool, "Shown but cannot be changed."),
    p("validators", Ty::Validators, "Further checks of the answer."),
];

/// The properties of every choice question, then `$extra`.
macro_rules! choice_props {
    ($($extra:expr),*) => {
        &[
    p("choices", Ty::Choices, "The options."),
    p("choicesVisibleIf", Ty::Expression, "An option is shown only while this is true; `{item}` is the option's value."),
    p("choicesEnableIf", Ty::Expression, "An option can be chosen only while this is true (it stays shown); `{item}` is its value."),
    p("choicesOrder", Ty::OneOf(&["none", "asc", "desc", "random"]), "The order the options are shown in."),
    p("choicesFromQuestion", Ty::Str, "Offer the options of this other choice question instead of `choices`."),
    p(
        "choicesFromQuestionMode",
        Ty::OneOf(&["all", "selected", "unselected"]),
        "With choicesFromQuestion: all its options (default), those chosen there, or those not chosen there.",
    ),
    p("choicesByUrl", Ty::ChoicesByUrl, "Offer the options of a list kept beside the form (a relative path), instead of `choices`."),
    p("showOtherItem", Ty::Bool, "Adds \"Other (please specify)\" with a text box; its text is stored as `<name>-Comment`."),
    p(
        "storeOthersAsComment",
        Ty::Bool,
        "`false`: the \"Other\" text is stored as the answer itself (in a list, in place of `\"other\"`), not as `<name>-Comment`.",
    ),
    p("showNoneItem", Ty::Bool, "Adds \"None\", which clears and excludes the other options."),
    p("otherText", Ty::Text, "The label of the \"Other\" option."),
    p("noneText", Ty::Text, "The label of the \"None\" option."),
            $($extra),*
        ]
    };
}

pub const CHOICE_COMMON: &[Prop] = choice_props!();

/// `checkbox` and `tagbox`: any number of options, within limits.
pub const MULTIPLE_CHOICE: &[Prop] = choice_props!(
    p(
        "minSelectedChoices",
        Ty::Count,
        "At least this many must be chosen (an error otherwise, even when not answered, as in SurveyJS; \"None\" alone is enough)."
    ),
    p("maxSelectedChoices", Ty::Count, "Once this many are chosen, the other options (and \"Other\") are disabled until one is unticked.")
);

pub struct TypeSpec {
    pub name: &'static str,
    #[cfg(feature = "docs")]
    pub doc: &'static str,
    pub props: &'static [Prop],
}

/// A question type: `t(name, doc, props)`.
const fn t(name: &'static str, doc: &'static str, props: &'static [Prop]) -> TypeSpec {
    #[cfg(not(feature = "docs"))]
    let _ = doc;
    TypeSpec {
        name,
        #[cfg(feature = "docs")]
        doc,
        props,
    }
}

pub const TYPES: &[TypeSpec] = &[
    t(
        "text",
        "A one-line answer.",
        &[
            p(
                "inputType",
                Ty::OneOf(&["text", "number", "email", "tel", "url", "date", "time", "datetime-local", "month", "week", "range", "color"]),
                "The kind of input and keyboard.",
            ),
            p("min", Ty::StrOrNumber, "The smallest value (numbers, dates, times)."),
            p("max", Ty::StrOrNumber, "The largest value (numbers, dates, times)."),
            p("step", Ty::Number, "The step between allowed numbers."),
            p("maxLength", Ty::Count, "The most characters accepted."),
            p("placeholder", Ty::Text, "A hint shown while the box is empty."),
            p(
                "maskType",
                Ty::OneOf(MASK_TYPES),
                "An input mask (inputType text or tel): the box shows the answer formatted while it is typed; the answer is stored unmasked, as SurveyJS stores it.",
            ),
            p("maskSettings", Ty::MaskSettings, "The mask's settings."),
        ],
    ),
    t(
        "comment",
        "A multi-line answer.",
        &[
            p("maxLength", Ty::Count, "The most characters accepted."),
            p("placeholder", Ty::Text, "A hint shown while the box is empty."),
            p("rows", Ty::Count, "The height of the box in lines."),
        ],
    ),
    t("radiogroup", "One option, all options shown.", CHOICE_COMMON),
    t("checkbox", "Any number of options; the answer is a list.", MULTIPLE_CHOICE),
    t("dropdown", "One option from a list that opens.", CHOICE_COMMON),
    t("tagbox", "Any number of options from a list that opens; the answer is a list.", MULTIPLE_CHOICE),
    t(
        "slider",
        "A number chosen on a scale (SurveyJS 2); the answer is the number.",
        &[
            p("sliderType", Ty::OneOf(&["single", "range"]), "`single` (default): one number; `range`: two, answered as [low, high]."),
            p("min", Ty::Number, "The lowest value (default 0)."),
            p("max", Ty::Number, "The highest value (default 100)."),
            p("step", Ty::Number, "The step between values (default 1)."),
            p("minRangeLength", Ty::Number, "A range's two ends are at least this far apart (default: the step)."),
            p("maxRangeLength", Ty::Number, "A range's two ends are at most this far apart (default: the whole scale)."),
        ],
    ),
    t(
        "ranking",
        "The options put in order, by dragging or by buttons and keys; the answer is their values, first to last.",
        RANKING,
    ),
    t("imagepicker", "One picture, or several with multiSelect; the answer is a radiogroup's or a checkbox's.", IMAGEPICKER),
    t(
        "image",
        "A picture between questions; no answer.",
        &[
            p("imageLink", Ty::Text, "The picture: a path beside the form, or a data: URL."),
            p("altText", Ty::Text, "What the picture shows, for those who cannot see it."),
            p("imageWidth", Ty::Count, "Its width in pixels."),
            p("imageHeight", Ty::Count, "Its height in pixels."),
            p("imageFit", Ty::OneOf(&["contain", "cover", "fill", "none"]), "How it fills its box."),
            p("contentMode", Ty::OneOf(&["auto", "image"]), "phieu shows images; SurveyJS's video and youtube modes are errors."),
        ],
    ),
    t("buttongroup", "One option, shown as a row of buttons; the answer is a radiogroup's (showOtherItem and showNoneItem do nothing, as in SurveyJS).", CHOICE_COMMON),
    t(
        "geopoint",
        "phieu's own (SurveyJS has no such type): a place, asked for on a tap; the answer is {\"latitude\", \"longitude\", \"accuracy\"} in decimal degrees and metres, usable as {place.accuracy} in expressions.",
        &[p("phieu", Ty::PhieuGeopoint, "phieu's settings of this question: `accuracy` in metres.")],
    ),
    t(
        "file",
        "Photos and other files. Each is kept on the phone and sent on its own before the report, which names it by content hash; the answer is a list of {\"name\", \"type\", \"size\", \"sha256\"}.",
        &[
            p("allowMultiple", Ty::Bool, "More than one file may be attached."),
            p("acceptedTypes", Ty::Str, "The kinds of file offered, as in HTML's accept: \"image/*\", \".pdf\", \"image/*,application/pdf\"."),
            p("maxSize", Ty::Count, "The largest file in bytes, measured after a photo has been made smaller."),
            p("maxFiles", Ty::Count, "The most files, with allowMultiple."),
            p(
                "sourceType",
                Ty::OneOf(&["file", "camera", "file-camera"]),
                "`camera` opens the phone's camera at once; `file` and `file-camera` let the person choose.",
            ),
            p("storeDataAsText", Ty::Bool, "Must be false or absent: phieu sends files on their own, never inside the answer."),
            p("phieu", Ty::PhieuFile, "phieu's settings of this question: `maxImageSize` in pixels."),
        ],
    ),
    t(
        "signaturepad",
        "A signature drawn with a finger or a mouse; the answer is one file item (a PNG), sent like a file.",
        &[
            p("penColor", Ty::Str, "The colour of the pen (a CSS colour; default black)."),
            p("signatureWidth", Ty::Count, "The width of the drawing area in pixels (default 300)."),
            p("signatureHeight", Ty::Count, "The height of the drawing area in pixels (default 200)."),
            p("dataFormat", Ty::OneOf(&["png"]), "The image format; phieu stores PNG."),
            p("storeDataAsText", Ty::Bool, "Must be false or absent: phieu sends the image on its own, never inside the answer."),
        ],
    ),
    t(
        "boolean",
        "Yes or no; the answer is true or false, or `valueTrue` and `valueFalse`.",
        &[
            p("labelTrue", Ty::Text, "The label of \"yes\"."),
            p("labelFalse", Ty::Text, "The label of \"no\"."),
            p("valueTrue", Ty::StrOrNumber, "What is stored for \"yes\" instead of true (a string or a number)."),
            p("valueFalse", Ty::StrOrNumber, "What is stored for \"no\" instead of false (a string or a number)."),
        ],
    ),
    t(
        "rating",
        "A score on a scale.",
        &[
            p("rateMin", Ty::Number, "The lowest score (default 1)."),
            p("rateMax", Ty::Number, "The highest score (default 5)."),
            p("rateStep", Ty::Number, "The step between scores (default 1)."),
            p("rateValues", Ty::RateValues, "The scores, instead of rateMin/rateMax/rateStep."),
            p("minRateDescription", Ty::Text, "A label under the lowest score."),
            p("maxRateDescription", Ty::Text, "A label under the highest score."),
        ],
    ),
    t(
        "matrix",
        "One column chosen for each row (a Likert grid); the answer is {row: column}.",
        &[
            p("rows", Ty::Choices, "The rows (statements); a row's `visibleIf` shows it only while true."),
            p("columns", Ty::Choices, "The columns (the scale); a column's `visibleIf` shows it only while true."),
            p("rowsVisibleIf", Ty::Expression, "A row is shown only while this is true; `{item}` is the row's value."),
            p("columnsVisibleIf", Ty::Expression, "A column is shown only while this is true; `{item}` is the column's value."),
            p("eachRowRequired", Ty::Bool, "Every shown row must be answered (an error otherwise, even when not answered, as in SurveyJS)."),
            p("isAllRowRequired", Ty::Bool, "SurveyJS's older name of `eachRowRequired`."),
        ],
    ),
    t("multipletext", "Several short answers; the answer is {item: text}.", &[p("items", Ty::TextItems, "The boxes.")]),
    t(
        "expression",
        "A computed, read-only value.",
        &[
            p("expression", Ty::Expression, "How the value is computed."),
            p("displayStyle", Ty::OneOf(&["none", "decimal", "currency", "percent", "date"]), "How the value is shown."),
        ],
    ),
    t("html", "Text between questions (safe Markdown; raw HTML is shown as text).", &[p("html", Ty::Text, "The text.")]),
    t("panel", "A group of questions.", &[p("elements", Ty::Elements, "The questions in the panel.")]),
    t(
        "matrixdropdown",
        "A table with a fixed row per item and a question per column; the answer is {row: {column: value}}.",
        &[
            p("rows", Ty::Choices, "The rows; a row's `visibleIf` shows it only while true."),
            p("rowsVisibleIf", Ty::Expression, "A row is shown only while this is true; `{item}` is the row's value."),
            GRID_COLUMNS,
            GRID_CHOICES,
            GRID_CELL_TYPE,
            GRID_TOTAL_TEXT,
        ],
    ),
    t(
        "matrixdynamic",
        "A table whose rows the person adds and removes, a question per column; the answer is a list of {column: value}.",
        &[
            GRID_COLUMNS,
            GRID_CHOICES,
            GRID_CELL_TYPE,
            GRID_TOTAL_TEXT,
            p("rowCount", Ty::Count, "How many rows it starts with (default 2)."),
            p("minRowCount", Ty::Count, "The fewest rows: rows cannot be removed below it."),
            p("maxRowCount", Ty::Count, "The most rows: no row can be added beyond it."),
            p("addRowText", Ty::Text, "The label of the add button."),
            p("removeRowText", Ty::Text, "The label of each row's remove button."),
            p("allowAddRows", Ty::Bool, "`false`: no add button."),
            p("allowRemoveRows", Ty::Bool, "`false`: no remove buttons."),
            p("defaultRowValue", Ty::Any, "What a new row starts with: {column: value}."),
        ],
    ),
    t(
        "paneldynamic",
        "A group of questions repeated as many times as needed; the answer is a list of objects.",
        &[
            p("templateElements", Ty::Elements, "The questions of each repeat; `{panel.q}` is question q of the same repeat."),
            p("templateTitle", Ty::Text, "The title of each repeat; may use `{panelIndex}` and `{panel.q}`."),
            p("minPanelCount", Ty::Count, "The fewest repeats."),
            p("maxPanelCount", Ty::Count, "The most repeats."),
            p("panelCount", Ty::Count, "How many repeats it starts with."),
            p("panelAddText", Ty::Text, "The label of the add button."),
            p("panelRemoveText", Ty::Text, "The label of the remove button."),
        ],
    ),
];

/// The cell types a matrix column may have (`cellType`): the question types its cells are.
pub const CELL_TYPES: &[&str] = &["dropdown", "checkbox", "radiogroup", "tagbox", "text", "comment", "boolean", "expression", "rating"];

// What `matrixdropdown` and `matrixdynamic` share.
const GRID_COLUMNS: Prop = p("columns", Ty::Columns, "The columns: each asks one question per row (its `cellType`).");
const GRID_CHOICES: Prop = p("choices", Ty::Choices, "The options of every choice column that has none of its own.");
const GRID_CELL_TYPE: Prop = p("cellType", Ty::OneOf(CELL_TYPES), "The cell type of columns that give none (default `dropdown`).");
const GRID_TOTAL_TEXT: Prop = p("totalText", Ty::Text, "The title of the totals under the rows.");

/// A matrix column: the properties of a question of its `cellType`, and these.
pub const COLUMN: &[Prop] = &[
    p("name", Ty::Str, "The key of this column's cells in each row's answer."),
    p("title", Ty::Text, "The column's heading; default: the name."),
    p("cellType", Ty::OneOf(CELL_TYPES), "The question each cell asks; default: the matrix's `cellType`."),
    p("isRequired", Ty::Bool, "Every shown row must answer this cell."),
    p("requiredErrorText", Ty::Text, "The message shown when a required cell is empty."),
    p("visibleIf", Ty::Expression, "The cell is shown only while this is true; `{row.x}` is column x of the same row."),
    p("enableIf", Ty::Expression, "The cell can be answered only while this is true."),
    p("requiredIf", Ty::Expression, "The cell is required while this is true."),
    p("readOnly", Ty::Bool, "The cells are shown but cannot be changed."),
    p("validators", Ty::Validators, "Further checks of each cell."),
    p("totalType", Ty::OneOf(&["none", "sum", "count", "min", "max", "avg"]), "A total of the column under the rows."),
    p("totalExpression", Ty::Expression, "The column's total computed; `{row.x}` is column x's total."),
    p(
        "totalDisplayStyle",
        Ty::OneOf(&["none", "decimal", "currency", "percent", "date"]),
        "How SurveyJS formats the total; phieu shows the number.",
    ),
    p("totalFormat", Ty::Text, "SurveyJS's text around the total (`Total: {0}`); phieu shows the number."),
];

/// The values of `maskType`.
pub const MASK_TYPES: &[&str] = &["none", "numeric", "currency", "datetime", "pattern"];

/// A text question's `maskSettings`: which apply depends on `maskType`.
pub const MASK_SETTINGS: &[Prop] = &[
    p(
        "pattern",
        Ty::Str,
        "pattern: `9` a digit, `a` a letter, `#` either, `\\` makes the next character literal (`+84 999 999 999`); \
         datetime: `dd`, `mm`, `yyyy` or `yy`, `HH` or `hh`, `MM`, `ss`, `TT` or `tt` and separators (`dd/mm/yyyy`).",
    ),
    p("decimalSeparator", Ty::Str, "numeric, currency: the character before the decimals (default `.`; `,` in Vietnamese)."),
    p(
        "thousandsSeparator",
        Ty::Str,
        "numeric, currency: the character between groups of three digits (default `,`; `.` in Vietnamese; empty: none).",
    ),
    p("precision", Ty::Count, "numeric, currency: the most decimals kept (default 2; 0: whole numbers)."),
    p("allowNegativeValues", Ty::Bool, "numeric, currency: whether a minus sign may be typed (default true)."),
    p("min", Ty::StrOrNumber, "numeric, currency: the smallest number that can be typed; datetime: the earliest date or time (ISO)."),
    p("max", Ty::StrOrNumber, "numeric, currency: the largest number that can be typed; datetime: the latest date or time (ISO)."),
    p("prefix", Ty::Str, "currency: shown before the number (`$`)."),
    p("suffix", Ty::Str, "currency: shown after the number (` ₫`)."),
    p("saveMaskedValue", Ty::Bool, "Store the text as shown (`+84 912 345 678`) instead of the unmasked answer."),
];

/// Question types SurveyJS has that phieu knows of but does not support yet.
pub const NOT_YET: &[(&str, &str)] = &[("geolocation", "use phieu's own type 'geopoint'"), ("location", "use phieu's own type 'geopoint'")];

pub const CHOICE: &[Prop] = &[
    p("value", Ty::StrOrNumber, "What is stored when chosen."),
    p("text", Ty::Text, "What is shown; default: the value."),
    p("visibleIf", Ty::Expression, "Shown only while this is true; cascading choices refer to an earlier answer here."),
    p("enableIf", Ty::Expression, "Can be chosen only while this is true (shown, disabled otherwise); an answer already given stays."),
    p("imageLink", Ty::Str, "An imagepicker option's picture: a path beside the form, or a data: URL."),
];

/// An `imagepicker`'s properties: the options' rules, and how the pictures show.
pub const IMAGEPICKER: &[Prop] = &[
    p("choices", Ty::Choices, "The options, each with an `imageLink`."),
    p("choicesVisibleIf", Ty::Expression, "An option is shown only while this is true; `{item}` is the option's value."),
    p("choicesEnableIf", Ty::Expression, "An option can be chosen only while this is true."),
    p("choicesOrder", Ty::OneOf(&["none", "asc", "desc", "random"]), "The order the options are shown in."),
    p("choicesFromQuestion", Ty::Str, "Offer the options (and pictures) of this other choice question instead of `choices`."),
    p(
        "choicesFromQuestionMode",
        Ty::OneOf(&["all", "selected", "unselected"]),
        "With choicesFromQuestion: all, chosen, or not chosen there.",
    ),
    p("choicesByUrl", Ty::ChoicesByUrl, "Offer the options (and pictures, by `imageLinkName`) of a list kept beside the form."),
    p("multiSelect", Ty::Bool, "Any number of pictures; the answer is a list (a checkbox's)."),
    p("showLabel", Ty::Bool, "Show each option's text under its picture (it is read out either way)."),
    p("imageFit", Ty::OneOf(&["contain", "cover", "fill", "none"]), "How a picture fills its box."),
    p("imageWidth", Ty::Count, "A picture's width in pixels (default 200)."),
    p("imageHeight", Ty::Count, "A picture's height in pixels (default 150)."),
];

/// `choicesByUrl`: where a list is and how survey-core reads options from it.
pub const CHOICES_BY_URL: &[Prop] = &[
    p("url", Ty::Str, "The list: a path relative to the form, such as `lists/districts.json`. Fetched with the form and kept with it."),
    p("path", Ty::Str, "Where the array is inside the list: field names separated by `.` (or `;` or `,`)."),
    p("valueName", Ty::Str, "The field of each item that holds its value (dots go deeper); default: the item itself, or its only field."),
    p("titleName", Ty::Str, "The field of each item that holds its text, or texts by language (default `title`; else the value)."),
    p("imageLinkName", Ty::Str, "The field of each item that holds its picture (default `imageLink`)."),
    p("allowEmptyResponse", Ty::Bool, "An empty list offers no options instead of being an error."),
];

/// A `ranking`'s properties: the options' rules, and choosing which to rank.
pub const RANKING: &[Prop] = &[
    p("choices", Ty::Choices, "The options to put in order."),
    p("choicesVisibleIf", Ty::Expression, "An option is offered only while this is true; `{item}` is the option's value."),
    p("choicesEnableIf", Ty::Expression, "An option can be moved only while this is true; the others may still pass it."),
    p("choicesOrder", Ty::OneOf(&["none", "asc", "desc", "random"]), "The order the options are first shown in."),
    p("choicesFromQuestion", Ty::Str, "Offer the options of this other choice question instead of `choices`."),
    p(
        "choicesFromQuestionMode",
        Ty::OneOf(&["all", "selected", "unselected"]),
        "With choicesFromQuestion: all, chosen, or not chosen there.",
    ),
    p("selectToRankEnabled", Ty::Bool, "The person picks which options to rank; the answer holds those alone."),
    p("minSelectedChoices", Ty::Count, "At least this many must be ranked (an error otherwise, even when not answered, as in SurveyJS)."),
    p("maxSelectedChoices", Ty::Count, "With selectToRankEnabled: at most this many can be ranked."),
];

pub const TEXT_ITEM: &[Prop] = &[
    p("name", Ty::Str, "The key of this box's answer."),
    p("title", Ty::Text, "The label of the box."),
    p(
        "inputType",
        Ty::OneOf(&["text", "number", "email", "tel", "url", "date", "time", "datetime-local", "month", "week", "range", "color"]),
        "The kind of input.",
    ),
    p("placeholder", Ty::Text, "A hint shown while the box is empty."),
    p("isRequired", Ty::Bool, "This box must be filled."),
    p(
        "maskType",
        Ty::OneOf(MASK_TYPES),
        "An input mask, as on a `text` question: the box shows the answer formatted; its answer is stored unmasked, as SurveyJS stores it.",
    ),
    p("maskSettings", Ty::MaskSettings, "The mask's settings."),
];

pub const VALIDATOR_TYPES: &[(&str, &[Prop])] = &[
    ("numeric", &[p("minValue", Ty::Number, "The smallest number allowed."), p("maxValue", Ty::Number, "The largest number allowed.")]),
    (
        "text",
        &[
            p("minLength", Ty::Count, "The fewest characters."),
            p("maxLength", Ty::Count, "The most characters."),
            p("allowDigits", Ty::Bool, "Whether digits are allowed (default true)."),
        ],
    ),
    ("answercount", &[p("minCount", Ty::Count, "The fewest options chosen."), p("maxCount", Ty::Count, "The most options chosen.")]),
    (
        "regex",
        &[p("regex", Ty::Str, "A regular expression the answer must match somewhere."), p("caseInsensitive", Ty::Bool, "Ignore case.")],
    ),
    ("email", &[]),
    ("expression", &[p("expression", Ty::Expression, "Must be true for the answer to be accepted.")]),
];

/// Trigger types (`type`, as SurveyJS writes it, with or without the `trigger` suffix) and their own properties.
pub const TRIGGER_TYPES: &[(&str, &[Prop])] = &[
    ("complete", &[]),
    (
        "setvalue",
        &[
            p("setToName", Ty::Str, "The question whose answer is set."),
            p("setValue", Ty::Any, "The value put there; none clears the answer."),
            p("isVariable", Ty::Bool, "Set a variable (usable as `{name}`, never submitted) instead of an answer."),
        ],
    ),
    (
        "copyvalue",
        &[
            p("setToName", Ty::Str, "The question whose answer is set."),
            p("fromName", Ty::Str, "The question whose answer is copied."),
            p("copyDisplayValue", Ty::Bool, "Copy the text shown instead of the value (not supported: an error when true)."),
        ],
    ),
    (
        "runexpression",
        &[
            p("setToName", Ty::Str, "The question that receives the result, if any."),
            p("runExpression", Ty::Expression, "The expression evaluated when the trigger fires."),
        ],
    ),
    ("skip", &[p("gotoName", Ty::Str, "The question to go to: the form moves to its page.")]),
];

pub const TRIGGER_COMMON: &[Prop] = &[
    p("type", Ty::Str, "complete, setvalue, copyvalue, runexpression or skip."),
    p("expression", Ty::Expression, "When the trigger fires: re-evaluated whenever an answer it reads changes."),
    p("name", Ty::Str, "Old format: the question compared (with `operator` and `value`) when there is no `expression`."),
    p(
        "operator",
        Ty::OneOf(&[
            "equal",
            "notequal",
            "empty",
            "notempty",
            "contains",
            "notcontains",
            "greater",
            "less",
            "greaterorequal",
            "lessorequal",
        ]),
        "Old format: how `name`'s answer is compared with `value`.",
    ),
    p("value", Ty::Any, "Old format: what `name`'s answer is compared with."),
];

pub const VALIDATOR_COMMON: &[Prop] =
    &[p("type", Ty::Str, "The kind of check."), p("text", Ty::Text, "The message shown when the check fails.")];

/// SurveyJS properties phieu does not do yet that change what is collected
/// or checked: errors, never warnings, so a ported form cannot quietly
/// behave differently. Each with what SurveyJS would do.
pub const CHANGES_DATA: &[(&str, &str)] = &[
    ("valueName", "SurveyJS stores the answer under this other name"),
    ("clearInvisibleValues", "SurveyJS keeps or clears hidden answers otherwise than at submit"),
    ("detailElements", "SurveyJS asks more questions in each matrix row's detail panel"),
    ("detailPanelMode", "SurveyJS asks more questions in each matrix row's detail panel"),
    ("keyName", "SurveyJS refuses two matrix rows with the same value in this column"),
    ("isUnique", "SurveyJS refuses two matrix rows with the same value in this column"),
    ("copyDefaultValueFromLastEntry", "SurveyJS starts a new row with the last row's answers"),
    ("hideIfRowsEmpty", "SurveyJS hides the matrix, and clears its answer, when no row is shown"),
    ("minValueExpression", "SurveyJS computes the slider's lowest value from the answers"),
    ("maxValueExpression", "SurveyJS computes the slider's highest value from the answers"),
];

/// SurveyJS properties that only change how a form looks there. phieu
/// ignores them with a warning, never an error, so real forms still load.
pub const PRESENTATION: &[&str] = &[
    "titleLocation",
    "descriptionLocation",
    "width",
    "minWidth",
    "maxWidth",
    "startWithNewLine",
    "colCount",
    "indent",
    "hideNumber",
    "showQuestionNumbers",
    "questionTitleLocation",
    "widthMode",
    "logo",
    "logoPosition",
    "logoWidth",
    "logoHeight",
    "logoFit",
    "showTitle",
    "showPageTitles",
    "showPageNumbers",
    "questionsOnPageMode",
    "firstPageIsStarted",
    "showCompletedPage",
    "showPrevButton",
    "showNavigationButtons",
    "navigateToUrl",
    "completeText",
    "pageNextText",
    "pagePrevText",
    "questionErrorLocation",
    "focusFirstQuestionAutomatic",
    "textUpdateMode",
    "autoGrow",
    "allowResize",
    "renderAs",
    "separateSpecialChoices",
    "displayMode",
    "rateType",
    "rateColorMode",
    "scaleColorMode",
    "rateDisplayMode",
    "itemComponent",
    "alternateRows",
    "columnMinWidth",
    "rowTitleWidth",
    "showHeader",
    "verticalAlign",
    "templateTabTitle",
    "renderMode",
    "questionStartIndex",
    "headerView",
    "progressBarType",
    "showTimerPanel",
    "useDisplayValuesInDynamicTexts",
    "searchEnabled",
    "allowClear",
    "addRowLocation",
    "addRowButtonLocation",
    "confirmDelete",
    "confirmDeleteText",
    "emptyRowsText",
    "noRowsText",
    "columnLayout",
    "transposeData",
    "horizontalScroll",
    "columnColCount",
    "cellErrorLocation",
    "hideColumnsIfEmpty",
    "allowRowsDragAndDrop",
    "showInMultipleColumns",
    "totalCurrency",
    "totalMaximumFractionDigits",
    "totalMinimumFractionDigits",
    "totalAlignment",
    "cellComponent",
    "selectToRankAreasLayout",
    "selectToRankSwapAreas",
    "selectToRankEmptyRankedAreaText",
    "selectToRankEmptyUnrankedAreaText",
    "longTap",
];

/// The values a `OneOf` property of `props` may take; none if `key` is not one.
pub fn allowed(props: &[Prop], key: &str) -> &'static [&'static str] {
    match props.iter().find(|p| p.name == key).map(|p| p.ty) {
        Some(Ty::OneOf(values)) => values,
        _ => &[],
    }
}

/// The properties of a question type, beside the common ones.
pub fn type_props(name: &str) -> &'static [Prop] {
    type_spec(name).map_or(&[], |t| t.props)
}

pub fn type_spec(name: &str) -> Option<&'static TypeSpec> {
    TYPES.iter().find(|t| t.name == name)
}

pub fn type_names() -> Vec<&'static str> {
    TYPES.iter().map(|t| t.name).collect()
}
