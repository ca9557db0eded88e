//! Input masks (`maskType`, `maskSettings`), step for step as survey-core
//! 2.5's `InputMaskNumeric`, `InputMaskCurrency`, `InputMaskDateTime` and
//! `InputMaskPattern` do them, quirks included, so that the same keystrokes
//! give the same text on screen and the same stored answer.
//! `tests/mask-diff` runs survey-core's classes over a corpus and
//! `core/tests/mask_diff.rs` checks these functions give the same.
//!
//! Text is handled as a list of `char`s; carets cross the API in UTF-16
//! units, as the browser's `selectionStart` counts.

use serde_json::{Number, Value};

// The settings and the wire are shared with the engine, and with the mask module.
mod settings;
pub use settings::*;

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

impl Mask {
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
