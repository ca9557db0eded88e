//! Input masks (`maskType`, `maskSettings`), step for step as survey-core
//! 2.5's `InputMaskNumeric`, `InputMaskCurrency`, `InputMaskDateTime` and
//! `InputMaskPattern` do them, quirks included, so that the same keystrokes
//! give the same text on screen and the same stored answer.
//! `tests/mask-diff` runs survey-core's classes over a corpus and
//! `core/tests/mask_diff.rs` checks these functions give the same.
//!
//! Text is handled as a list of `char`s; carets cross the API in UTF-16
//! units, as the browser's `selectionStart` counts.

// The calendar arithmetic is the expression language's (JavaScript's `Date`).
use crate::expr::date::days_from_civil;
use serde_json::{Number, Value};

/// A text question's mask, as its `maskSettings` configure it.
#[derive(Clone, Debug, PartialEq)]
pub struct Mask {
    pub rule: Rule,
    /// `saveMaskedValue`: the answer is the text as shown.
    pub save_masked: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// `numeric`, and `currency` (a number with a prefix and a suffix).
    Number(Numeric),
    DateTime(DateTime),
    Pattern(Pattern),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Numeric {
    pub allow_negative: bool,
    pub decimal: char,
    /// None: digits are not grouped (`thousandsSeparator: ""`).
    pub thousands: Option<char>,
    pub precision: u32,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub prefix: String,
    pub suffix: String,
}

impl Default for Numeric {
    fn default() -> Self {
        Numeric {
            allow_negative: true,
            decimal: '.',
            thousands: Some(','),
            precision: 2,
            min: None,
            max: None,
            prefix: String::new(),
            suffix: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// As written in `maskSettings` (what crosses to the engine).
    pattern: String,
    literals: Vec<Literal>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DateTime {
    pattern: String,
    lexems: Vec<Lexem>,
    min: Option<String>,
    max: Option<String>,
}

/// One character of a pattern: a place for a character of a kind, a
/// literal that is part of the answer (a definition character escaped, or
/// one such as `8` in `+84`), or one that is not.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Literal {
    Slot(char),
    Fixed(char),
    Const(char),
}

fn is_definition(c: char) -> bool {
    matches!(c, '9' | 'a' | '#')
}

impl Pattern {
    pub fn new(pattern: &str) -> Pattern {
        let mut literals = Vec::new();
        let mut escaped = false;
        for c in pattern.chars() {
            if c == '\\' {
                escaped = true;
            } else if escaped {
                escaped = false;
                literals.push(Literal::Fixed(c));
            } else if is_definition(c) {
                literals.push(Literal::Slot(c));
            } else if c.is_ascii_alphanumeric() {
                literals.push(Literal::Fixed(c));
            } else {
                literals.push(Literal::Const(c));
            }
        }
        Pattern { pattern: pattern.into(), literals }
    }

    /// Whether the pattern asks for anything at all.
    pub fn has_slots(&self) -> bool {
        self.literals.iter().any(|l| matches!(l, Literal::Slot(_)))
    }

    /// Whether every place takes a digit (a number pad will do).
    pub fn digits_only(&self) -> bool {
        self.literals.iter().all(|l| !matches!(l, Literal::Slot('a' | '#')))
    }
}

/// One edit of the text, as a `beforeinput` event reports it (survey-core's
/// `ITextInputParams`, after `InputElementAdapter.createArgs`).
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The text before the edit.
    pub text: String,
    /// The selection replaced, in UTF-16 units.
    pub start: usize,
    pub end: usize,
    /// What is typed or pasted in its place (nothing for a deletion).
    pub inserted: String,
    /// A deletion backwards (Backspace).
    pub backward: bool,
}

impl Edit {
    /// The edit a `beforeinput` event of this `inputType` means.
    pub fn of_event(input_type: &str, text: String, start: usize, end: usize, inserted: Option<String>) -> Edit {
        let mut e = Edit { text, start, end, inserted: inserted.unwrap_or_default(), backward: false };
        if input_type == "deleteContentBackward" {
            e.backward = true;
            if e.start == e.end {
                e.start = e.start.saturating_sub(1);
            }
        }
        if input_type == "deleteContentForward" && e.start == e.end {
            e.end += 1;
        }
        e
    }
}

/// What an edit gives: the new text and where the caret goes (UTF-16 units).
type Edited = (String, i64);

// ---- The engine ----
//
// What a mask does to text (the numeric, datetime and pattern algorithms) is
// most of this module's code, and few forms use masks: the phone keeps it out
// of its first download, in a second small wasm module (`mask/`, crate
// `phieu-mask`) loaded when a form with a mask opens. Every operation crosses
// as one request and one reply of text (`Wire`), so the same code serves
// natively (`engine::serve`, feature `mask`) and in that module.

/// Answers one request (see `Wire`); `None` when no engine is at hand.
pub type Engine = fn(request: &str) -> Option<String>;

static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();

/// Replaces the built-in engine: the web app installs its bridge to the
/// mask module once that is loaded.
pub fn set_engine(engine: Engine) {
    let _ = ENGINE.set(engine);
}

/// Whether masks can be worked here now (built in, or an engine installed).
pub fn ready() -> bool {
    cfg!(feature = "mask") || ENGINE.get().is_some()
}

#[cfg(feature = "mask")]
mod engine;
#[cfg(feature = "mask")]
pub use engine::serve;

/// Requests and replies: fields one after another, each its length in bytes,
/// a colon and the text (`5:hello`), so that any text crosses unchanged.
/// A request is an operation letter, the mask's settings, then its arguments.
#[derive(Default)]
pub struct Wire(pub String);

impl Wire {
    pub fn put(&mut self, s: &str) -> &mut Wire {
        self.0.push_str(&s.len().to_string());
        self.0.push(':');
        self.0.push_str(s);
        self
    }
    fn flag(&mut self, b: bool) -> &mut Wire {
        self.put(if b { "1" } else { "" })
    }
    fn char(&mut self, c: Option<char>) -> &mut Wire {
        self.put(c.map(String::from).as_deref().unwrap_or(""))
    }
    /// A number exactly, as the bits of its `f64` (no float printing either side).
    fn number(&mut self, x: Option<f64>) -> &mut Wire {
        self.put(&x.map(|x| x.to_bits().to_string()).unwrap_or_default())
    }
}

/// Reads the fields of a `Wire` text one by one.
pub struct Fields<'a>(pub &'a str);

impl<'a> Fields<'a> {
    pub fn field(&mut self) -> Option<&'a str> {
        let (n, rest) = self.0.split_once(':')?;
        let n: usize = n.parse().ok()?;
        let field = rest.get(..n)?;
        self.0 = &rest[n..];
        Some(field)
    }
    fn flag(&mut self) -> Option<bool> {
        self.field().map(|s| !s.is_empty())
    }
    fn char(&mut self) -> Option<Option<char>> {
        self.field().map(|s| s.chars().next())
    }
    fn number(&mut self) -> Option<Option<f64>> {
        let s = self.field()?;
        if s.is_empty() {
            return Some(None);
        }
        s.parse().ok().map(|bits| Some(f64::from_bits(bits)))
    }
    fn count(&mut self) -> Option<i64> {
        self.field()?.parse().ok()
    }
}

impl Mask {
    /// The settings as `Wire` fields (`Mask::read` reads them back).
    fn write(&self, w: &mut Wire) {
        w.flag(self.save_masked);
        match &self.rule {
            Rule::Number(n) => {
                w.put("n").flag(n.allow_negative).char(Some(n.decimal)).char(n.thousands);
                w.put(&n.precision.to_string()).number(n.min).number(n.max).put(&n.prefix).put(&n.suffix);
            }
            Rule::DateTime(d) => {
                w.put("d").put(&d.pattern).put(d.min.as_deref().unwrap_or("")).put(d.max.as_deref().unwrap_or(""));
            }
            Rule::Pattern(p) => {
                w.put("p").put(&p.pattern);
            }
        }
    }

    /// The settings `write` wrote.
    pub fn read(f: &mut Fields) -> Option<Mask> {
        let save_masked = f.flag()?;
        let rule = match f.field()? {
            "n" => Rule::Number(Numeric {
                allow_negative: f.flag()?,
                decimal: f.char()?.unwrap_or('.'),
                thousands: f.char()?,
                precision: f.count()? as u32,
                min: f.number()?,
                max: f.number()?,
                prefix: f.field()?.into(),
                suffix: f.field()?.into(),
            }),
            "d" => {
                let pattern = f.field()?;
                let mut limit = || f.field().map(|s| Some(s.to_string()).filter(|s| !s.is_empty()));
                let (min, max) = (limit()?, limit()?);
                Rule::DateTime(DateTime::new(pattern, min, max))
            }
            _ => Rule::Pattern(Pattern::new(f.field()?)),
        };
        Some(Mask { rule, save_masked })
    }

    /// One request to the engine: the operation, these settings, the arguments.
    fn ask(&self, op: &str, args: &[&str]) -> Option<String> {
        let mut w = Wire::default();
        w.put(op);
        self.write(&mut w);
        for a in args {
            w.put(a);
        }
        match ENGINE.get() {
            Some(engine) => engine(&w.0),
            #[cfg(feature = "mask")]
            None => Some(serve(&w.0)),
            #[cfg(not(feature = "mask"))]
            None => None,
        }
    }

    /// The text shown for a stored answer (`getMaskedValue`); `None` where
    /// survey-core gives `null` (a number outside `min`/`max`), and where no
    /// engine is at hand.
    pub fn masked(&self, value: Option<&Value>) -> Option<String> {
        let src = match value {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => crate::num::to_js_string(n.as_f64().unwrap_or(f64::NAN)),
            Some(Value::Bool(b)) => b.to_string(),
            Some(_) => String::new(),
        };
        // survey-core reads a non-string answer as no text in a pattern.
        let reply = self.ask("m", &[&src, if value.is_some_and(Value::is_string) { "1" } else { "" }])?;
        let mut f = Fields(&reply);
        f.flag()?.then(|| f.field().map(String::from))?
    }

    /// The answer a text stands for (`getUnmaskedValue`): a number for
    /// numeric and currency, an ISO date or time for datetime, the typed
    /// characters for a pattern; `None` when that is empty or incomplete.
    pub fn unmasked(&self, s: &str) -> Option<Value> {
        let reply = self.ask("u", &[s])?;
        let mut f = Fields(&reply);
        match f.field()? {
            "s" => Some(Value::String(f.field()?.into())),
            "n" => number_json(f.number()??),
            _ => None,
        }
    }

    /// What is stored when the box shows `s` (the question's `inputValue`
    /// setter): the unmasked answer, or with `saveMaskedValue` the text as
    /// the mask writes it; `None` while nothing complete is typed.
    pub fn stored(&self, s: &str) -> Option<Value> {
        let value = self.unmasked(s)?;
        if !self.save_masked {
            return Some(value);
        }
        self.masked(Some(&value)).map(Value::String)
    }

    /// The text the box shows for an answer: with `saveMaskedValue` the
    /// answer as it is, else masked. An answer the mask cannot show (a
    /// number outside its limits, a date not in ISO form) is shown as it
    /// is, where survey-core leaves the box empty: an answer is never hidden.
    pub fn shown(&self, value: Option<&Value>) -> String {
        let raw = || match value {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => crate::json::number_text(n),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        match value {
            Some(Value::String(s)) if self.save_masked => s.clone(),
            None | Some(Value::Null) => self.empty(),
            Some(_) => self.masked(value).filter(|m| *m != self.empty() || raw().is_empty()).unwrap_or_else(raw),
        }
    }

    /// The box's text with nothing typed (`dd/mm/yyyy`, `+84 ___`).
    pub fn empty(&self) -> String {
        self.masked(None).unwrap_or_default()
    }

    /// Whether `typed` is text that makes no answer yet (survey-core's
    /// "Please complete the value" error).
    pub fn incomplete(&self, typed: &str) -> bool {
        !typed.is_empty() && typed != self.empty() && self.stored(typed).is_none()
    }

    /// One keystroke, paste or deletion (`processInput`). Without an engine
    /// the text stays as it was.
    pub fn input(&self, e: &Edit) -> Edited {
        let reply = self.ask("i", &[&e.text, &e.start.to_string(), &e.end.to_string(), &e.inserted, if e.backward { "1" } else { "" }]);
        let edited = reply.as_deref().and_then(|r| {
            let mut f = Fields(r);
            Some((f.field()?.to_string(), f.count()?))
        });
        edited.unwrap_or_else(|| (e.text.clone(), e.end as i64))
    }

    /// A datetime mask's answers: with a time (`Some(true)`, SurveyJS's
    /// `datetime-local`) or dates alone; `None` for other masks.
    pub fn with_time(&self) -> Option<bool> {
        match &self.rule {
            Rule::DateTime(d) => Some(d.has_time()),
            _ => None,
        }
    }

    /// The keyboard a phone should offer (`inputmode`).
    pub fn keyboard(&self) -> &'static str {
        match &self.rule {
            Rule::Number(_) => "decimal",
            Rule::DateTime(d) if d.lexems.iter().any(|l| l.kind == Part::TimeMarker) => "text",
            Rule::DateTime(_) => "numeric",
            Rule::Pattern(p) if p.digits_only() => "numeric",
            Rule::Pattern(_) => "text",
        }
    }
}

const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A JavaScript number as JSON: whole numbers as integers, as `JSON.stringify` writes them.
fn number_json(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE {
        return Some(Value::Number(Number::from(x as i64)));
    }
    Number::from_f64(x).map(Value::Number)
}

// ---- Dates and times ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Month,
    Day,
    Year,
    Hour,
    Minute,
    Second,
    TimeMarker,
    Separator,
}

#[derive(Clone, Debug, PartialEq)]
struct Lexem {
    kind: Part,
    /// The pattern character (`d`, `m`, `y`, `H`, …; a separator's own).
    ch: char,
    count: usize,
    max_count: usize,
    upper: bool,
}

const DAY_MS: i64 = 86_400_000;

/// `new Date(s).getTime()` for the ISO forms V8 reads (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, each optionally with `THH:MM`, `:SS`, `.sss` and `Z` or
/// `±HH:MM`); NaN for anything else. Local time is taken as UTC: phieu
/// compares dates as written, whatever the phone's time zone.
fn parse_date(s: &str) -> f64 {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    c.date().unwrap_or(f64::NAN)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    /// `n` digits here, as a number.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let d = self.b.get(self.i..self.i + n).filter(|d| d.iter().all(u8::is_ascii_digit))?;
        self.i += n;
        Some(d.iter().fold(0, |v, c| v * 10 + i64::from(c - b'0')))
    }
    fn at(&mut self, c: u8) -> bool {
        let here = self.b.get(self.i) == Some(&c);
        self.i += usize::from(here);
        here
    }
    fn date(&mut self) -> Option<f64> {
        let y = self.digits(4)?;
        let (mut m, mut d, mut ms) = (1, 1, 0);
        if self.at(b'-') {
            m = self.digits(2)?;
            if self.at(b'-') {
                d = self.digits(2)?;
            }
        }
        if self.at(b'T') {
            let h = self.digits(2)?;
            self.at(b':').then_some(())?;
            let mi = self.digits(2)?;
            let (mut sec, mut milli) = (0, 0);
            if self.at(b':') {
                sec = self.digits(2)?;
                if self.at(b'.') {
                    let mut scale = 100;
                    self.digits(1)?;
                    self.i -= 1;
                    while let Some(v) = self.digits(1) {
                        milli += v * scale;
                        scale /= 10;
                    }
                }
            }
            if h > 24 || mi > 59 || sec > 59 || (h == 24 && mi + sec + milli > 0) {
                return None;
            }
            ms = ((h * 60 + mi) * 60 + sec) * 1000 + milli;
            if !self.at(b'Z') && (self.at(b'+') || self.at(b'-')) {
                let east = self.b[self.i - 1] == b'+';
                let zh = self.digits(2)?;
                self.at(b':').then_some(())?;
                let off = (zh * 60 + self.digits(2)?) * 60_000;
                ms += if east { -off } else { off };
            }
        }
        (self.i == self.b.len() && (1..=12).contains(&m) && (1..=31).contains(&d)).then(|| (days_from_civil(y, m, d) * DAY_MS + ms) as f64)
    }
}

impl DateTime {
    pub fn new(pattern: &str, min: Option<String>, max: Option<String>) -> DateTime {
        let mut lexems: Vec<Lexem> = Vec::new();
        for c in pattern.chars() {
            let (kind, upper) = match c {
                'm' => (Part::Month, false),
                'd' => (Part::Day, false),
                'y' => (Part::Year, false),
                'h' => (Part::Hour, false),
                'H' => (Part::Hour, true),
                'M' => (Part::Minute, false),
                's' => (Part::Second, false),
                't' => (Part::TimeMarker, false),
                'T' => (Part::TimeMarker, true),
                _ => (Part::Separator, false),
            };
            match lexems.last_mut() {
                Some(last) if last.kind == kind && kind != Part::Separator => {
                    last.count += 1;
                    last.max_count = match kind {
                        Part::Year | Part::TimeMarker => last.count,
                        _ => 2,
                    };
                }
                _ => {
                    let max_count = match kind {
                        Part::Separator | Part::Year | Part::TimeMarker => 1,
                        _ => 2,
                    };
                    lexems.push(Lexem { kind, ch: c, count: 1, max_count, upper });
                }
            }
        }
        DateTime { pattern: pattern.into(), lexems, min, max }
    }

    /// Whether the pattern has a day, month, year, hour, minute or second.
    pub fn has_parts(&self) -> bool {
        self.lexems.iter().any(|l| !matches!(l.kind, Part::Separator | Part::TimeMarker))
    }

    fn has_date(&self) -> bool {
        self.lexems.iter().any(|l| matches!(l.kind, Part::Day | Part::Month | Part::Year))
    }
    fn has_time(&self) -> bool {
        self.lexems.iter().any(|l| matches!(l.kind, Part::Hour | Part::Minute | Part::Second))
    }
}

/// Whether `s` is a date or time a datetime mask's `min`/`max` may be.
pub fn is_iso(s: &str, with_date: bool) -> bool {
    if with_date {
        !parse_date(s).is_nan()
    } else {
        !parse_date(&("1970-01-01T".to_string() + s)).is_nan()
    }
}

impl DateTime {
    /// Whether the pattern has a date part (its `min`/`max` are dates, else times).
    pub fn with_date(&self) -> bool {
        self.has_date()
    }
}
