//! A mask's settings and the text they cross in (`Wire`): what both sides
//! of the engine read, the app (`Mask::ask`) and the engine (`engine.rs`).
//! Like `engine.rs`, this file is also compiled into the phone's mask module
//! (`mask/lib.rs`, `#![no_std]`): `core` and `alloc` only, and no number
//! printed through `core::fmt` (`int_text`), whose code the module would carry.

use alloc::string::String;
use alloc::vec::Vec;
// The calendar arithmetic is the expression language's (JavaScript's `Date`).
use crate::expr::date::days_from_civil;

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
    pub(crate) pattern: String,
    pub(crate) literals: Vec<Literal>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DateTime {
    pub(crate) pattern: String,
    pub(crate) lexems: Vec<Lexem>,
    pub(crate) min: Option<String>,
    pub(crate) max: Option<String>,
}

/// One character of a pattern: a place for a character of a kind, a
/// literal that is part of the answer (a definition character escaped, or
/// one such as `8` in `+84`), or one that is not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Literal {
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

/// Requests and replies: fields one after another, each its length in bytes,
/// a colon and the text (`5:hello`), so that any text crosses unchanged.
/// A request is an operation letter, the mask's settings, then its arguments.
#[derive(Default)]
pub struct Wire(pub String);

impl Wire {
    pub fn put(&mut self, s: &str) -> &mut Wire {
        self.0.push_str(&uint_text(s.len() as u64));
        self.0.push(':');
        self.0.push_str(s);
        self
    }
    pub(crate) fn flag(&mut self, b: bool) -> &mut Wire {
        self.put(if b { "1" } else { "" })
    }
    pub(crate) fn char(&mut self, c: Option<char>) -> &mut Wire {
        self.put(c.map(String::from).as_deref().unwrap_or(""))
    }
    /// A number exactly, as the bits of its `f64` (no float printing either side).
    pub(crate) fn number(&mut self, x: Option<f64>) -> &mut Wire {
        self.put(&x.map(|x| uint_text(x.to_bits())).unwrap_or_default())
    }
}

/// `n` in decimal, without `core::fmt` (see the top of this file).
pub(crate) fn uint_text(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[i..].iter().map(|&d| char::from(d)).collect()
}

/// The whole number `uint_text` wrote (not `str::parse`: its overflow checks
/// cost the mask module a 128-bit multiplication).
fn uint(s: &str) -> Option<u64> {
    let ok = !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.bytes().fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add(u64::from(b - b'0'))))
}

/// Reads the fields of a `Wire` text one by one.
pub struct Fields<'a>(pub &'a str);

impl<'a> Fields<'a> {
    pub fn field(&mut self) -> Option<&'a str> {
        let (n, rest) = self.0.split_at_checked(self.0.bytes().position(|b| b == b':')?)?;
        let (field, rest) = rest.get(1..)?.split_at_checked(uint(n)? as usize)?;
        self.0 = rest;
        Some(field)
    }
    pub(crate) fn flag(&mut self) -> Option<bool> {
        self.field().map(|s| !s.is_empty())
    }
    pub(crate) fn char(&mut self) -> Option<Option<char>> {
        self.field().map(|s| s.chars().next())
    }
    pub(crate) fn number(&mut self) -> Option<Option<f64>> {
        let s = self.field()?;
        if s.is_empty() {
            return Some(None);
        }
        uint(s).map(|bits| Some(f64::from_bits(bits)))
    }
    pub(crate) fn count(&mut self) -> Option<i64> {
        let s = self.field()?;
        match s.strip_prefix('-') {
            Some(n) => uint(n).map(|n| (n as i64).wrapping_neg()),
            None => uint(s).map(|n| n as i64),
        }
    }
}

impl Mask {
    /// The settings as `Wire` fields (`Mask::read` reads them back).
    pub(crate) fn write(&self, w: &mut Wire) {
        w.flag(self.save_masked);
        match &self.rule {
            Rule::Number(n) => {
                w.put("n").flag(n.allow_negative).char(Some(n.decimal)).char(n.thousands);
                w.put(&uint_text(n.precision.into())).number(n.min).number(n.max).put(&n.prefix).put(&n.suffix);
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
                let mut limit = || f.field().map(|s| Some(String::from(s)).filter(|s| !s.is_empty()));
                let (min, max) = (limit()?, limit()?);
                Rule::DateTime(DateTime::new(pattern, min, max))
            }
            _ => Rule::Pattern(Pattern::new(f.field()?)),
        };
        Some(Mask { rule, save_masked })
    }
}

pub(crate) const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

// ---- Dates and times ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
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
pub(crate) struct Lexem {
    pub(crate) kind: Part,
    /// The pattern character (`d`, `m`, `y`, `H`, …; a separator's own).
    pub(crate) ch: char,
    pub(crate) count: usize,
    pub(crate) max_count: usize,
    pub(crate) upper: bool,
}

pub(crate) const DAY_MS: i64 = 86_400_000;

/// `new Date(s).getTime()` for the ISO forms V8 reads (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, each optionally with `THH:MM`, `:SS`, `.sss` and `Z` or
/// `±HH:MM`); NaN for anything else. Local time is taken as UTC: phieu
/// compares dates as written, whatever the phone's time zone.
pub(crate) fn parse_date(s: &str) -> f64 {
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

    pub(crate) fn has_date(&self) -> bool {
        self.lexems.iter().any(|l| matches!(l.kind, Part::Day | Part::Month | Part::Year))
    }
    pub(crate) fn has_time(&self) -> bool {
        self.lexems.iter().any(|l| matches!(l.kind, Part::Hour | Part::Minute | Part::Second))
    }
}
