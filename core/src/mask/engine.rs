//! What a mask does to text, step for step as survey-core's mask classes:
//! the built-in engine natively (feature `mask`), and the whole of the
//! phone's mask module (`mask/`), which the app loads only for a form with a
//! mask. Requests come as `Wire` text from `Mask::ask`; `serve` answers.
//!
//! The module compiles this file with `#![no_std]` (`mask/lib.rs`): `core`
//! and `alloc` only, numbers printed by `int_text` or `num::to_js_string`
//! (the browser's there), never through `core::fmt`.

use super::*;
use crate::expr::date::civil_from_days;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Answers one request made by `Mask::ask` (empty when it cannot be read).
pub fn serve(request: &str) -> String {
    answer(request).map(|w| w.0).unwrap_or_default()
}

fn answer(request: &str) -> Option<Wire> {
    let mut f = Fields(request);
    let op = f.field()?;
    let mask = Mask::read(&mut f)?;
    let mut w = Wire::default();
    match op {
        "m" => {
            let src = f.field()?;
            let s = chars(src);
            let shown = match &mask.rule {
                Rule::Number(n) => n.masked(&s),
                Rule::Pattern(p) => Some(text(&masked_by(if f.flag()? { &s } else { &[] }, &p.literals, true))),
                Rule::DateTime(d) => Some(d.masked_iso(src)),
            };
            w.flag(shown.is_some()).put(shown.as_deref().unwrap_or(""));
        }
        "u" => {
            let s = chars(f.field()?);
            let typed = match &mask.rule {
                Rule::Number(n) => {
                    match n.unmasked(&s) {
                        Some(x) => w.put("n").number(Some(x)),
                        None => w.put(""),
                    };
                    return Some(w);
                }
                Rule::Pattern(p) => Some(text(&unmasked_by(&s, &p.literals, true, false))),
                Rule::DateTime(d) => d.unmasked(&s),
            };
            match typed.filter(|t| !t.is_empty()) {
                Some(t) => w.put("s").put(&t),
                None => w.put(""),
            };
        }
        "i" => {
            let prev = chars(f.field()?);
            let (start, end) = (f.count()?, f.count()?);
            let (start, end) = (char_index(&prev, start as usize) as i64, char_index(&prev, end as usize) as i64);
            let ins = chars(f.field()?);
            let backward = f.flag()?;
            let (value, caret) = match &mask.rule {
                Rule::Number(n) => n.input(prev, start, end, &ins, backward),
                Rule::Pattern(p) => p.input(&prev, start, end, &ins, backward),
                Rule::DateTime(d) => d.input(&prev, start, end, &ins, backward),
            };
            w.put(&text(&value)).put(&int_text(utf16_index(&value, caret)));
        }
        _ => return None,
    }
    Some(w)
}

const PLACEHOLDER: char = '_';

/// survey-core's `patternDefinitions`: `9` a digit, `a` a letter, `#` either.
fn fits(definition: char, c: char) -> bool {
    match definition {
        '9' => c.is_ascii_digit(),
        'a' => c.is_ascii_alphabetic(),
        _ => c.is_ascii_alphanumeric(),
    }
}

fn masked_by(input: &[char], literals: &[Literal], whole: bool) -> Vec<char> {
    let mut out = Vec::new();
    let mut i = 0;
    for l in literals {
        match *l {
            Literal::Slot(d) => {
                if i < input.len() {
                    while i < input.len() && !fits(d, input[i]) {
                        i += 1;
                    }
                }
                if i < input.len() {
                    out.push(input[i]);
                } else if whole {
                    out.push(PLACEHOLDER);
                } else {
                    return out;
                }
                i += 1;
            }
            Literal::Fixed(c) | Literal::Const(c) => {
                out.push(c);
                if input.get(i) == Some(&c) {
                    i += 1;
                }
            }
        }
    }
    out
}

fn unmasked_by(s: &[char], literals: &[Literal], whole: bool, skip_fixed: bool) -> Vec<char> {
    let mut out = Vec::new();
    if s.is_empty() {
        return out;
    }
    for (i, l) in literals.iter().enumerate() {
        match *l {
            Literal::Fixed(c) if !skip_fixed => out.push(c),
            Literal::Slot(d) => match s.get(i) {
                Some(&c) if fits(d, c) => out.push(c),
                _ => {
                    if whole {
                        out.clear();
                    }
                    break;
                }
            },
            _ => {}
        }
    }
    out
}

/// JavaScript's `slice(start, end)` on a list: negative counts from the end.
fn slice<T: Clone>(v: &[T], start: i64, end: Option<i64>) -> Vec<T> {
    let n = v.len() as i64;
    let at = |i: i64| if i < 0 { (n + i).max(0) } else { i.min(n) } as usize;
    let (a, b) = (at(start), at(end.unwrap_or(n)));
    if a < b {
        v[a..b].to_vec()
    } else {
        Vec::new()
    }
}

/// `n` in decimal, as `uint_text`.
pub(crate) fn int_text(n: i64) -> String {
    let digits = uint_text(n.unsigned_abs());
    if n < 0 {
        String::from("-") + &digits
    } else {
        digits
    }
}

/// `hay.find(needle)`, plainly: the standard library's two-way searcher is
/// 2 kB of the mask module, for a currency's prefix and suffix.
fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h.get(i..).is_some_and(|t| t.starts_with(n)))
}

/// `s.chars().count()`, plainly (the standard library's is unrolled).
fn count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn text(v: &[char]) -> String {
    v.iter().collect()
}

/// A UTF-16 offset into `s` as a char index (past the end as far past it:
/// a forward deletion at the end reaches one beyond, and survey-core counts it).
fn char_index(s: &[char], utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.iter().enumerate() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    s.len() + utf16.saturating_sub(units)
}

/// A char index into `s` as a UTF-16 offset (negative ones as they are).
fn utf16_index(s: &[char], i: i64) -> i64 {
    if i <= 0 {
        return i;
    }
    let i = i as usize;
    (s.iter().take(i).map(|c| c.len_utf16()).sum::<usize>() + i.saturating_sub(s.len())) as i64
}

impl Pattern {
    fn input(&self, prev: &[char], start: i64, end: i64, ins: &[char], backward: bool) -> (Vec<char>, i64) {
        if ins.is_empty() && start == end {
            return (prev.to_vec(), end);
        }
        let mut left = slice(prev, 0, Some(start));
        let mut un = unmasked_by(&left, &slice(&self.literals, 0, Some(start)), false, false);
        left.extend_from_slice(ins);
        un.extend_from_slice(ins);
        un.extend(unmasked_by(&slice(prev, end, None), &slice(&self.literals, end, None), false, true));
        let value = masked_by(&un, &self.literals, true);
        let caret = if ins.is_empty() && backward { start } else { masked_by(&left, &self.literals, false).len() as i64 };
        (value, caret)
    }
}

/// A number as survey-core takes it apart while typing.
#[derive(Clone, Debug, Default)]
struct Parts {
    int: Vec<char>,
    frac: Vec<char>,
    negative: bool,
    point: bool,
}

impl Parts {
    fn is_empty(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }
}

impl Numeric {
    fn parse(&self, s: &[char]) -> Parts {
        let mut p = Parts::default();
        let mut minus = 0;
        for &c in s {
            if c == '-' {
                if self.allow_negative && self.min.is_none_or(|m| m < 0.0) {
                    minus += 1;
                }
            } else if c == self.decimal {
                if self.precision > 0 {
                    p.point = true;
                }
            } else if Some(c) == self.thousands {
            } else if c.is_ascii_digit() {
                if p.point {
                    p.frac.push(c);
                } else {
                    p.int.push(c);
                }
            }
        }
        p.negative = minus % 2 != 0;
        if p.int.len() > 1 && p.int[0] == '0' {
            p.int.remove(0);
        }
        p
    }

    fn display(&self, p: &Parts, group: bool, whole: bool) -> Vec<char> {
        let mut int = p.int.clone();
        if let (true, false, Some(sep)) = (group, int.is_empty(), self.thousands) {
            let mut grouped = Vec::new();
            for (i, c) in int.iter().enumerate() {
                if i > 0 && (int.len() - i).is_multiple_of(3) {
                    grouped.push(sep);
                }
                grouped.push(*c);
            }
            int = grouped;
        }
        let minus: &[char] = if p.negative { &['-'] } else { &[] };
        let signed = |v: Vec<char>| [minus, &v].concat();
        if p.frac.is_empty() {
            if whole {
                return if int.is_empty() || int == ['0'] { int } else { signed(int) };
            }
            if p.point {
                int.push(self.decimal);
            }
            return if int == ['0'] { int } else { signed(int) };
        }
        if int.is_empty() {
            int.push('0');
        }
        let mut out = signed(int);
        out.push(self.decimal);
        out.extend(p.frac.iter().take(self.precision as usize));
        out
    }

    fn convert(&self, p: &Parts) -> f64 {
        let minus = if p.negative { "-" } else { "" };
        let int = text(&p.int);
        if !p.frac.is_empty() {
            let frac: String = p.frac.iter().take(self.precision as usize).collect();
            let int = if int.is_empty() { "0".to_string() } else { int };
            return crate::num::parse(&(minus.to_string() + &int + "." + &frac)).unwrap_or(f64::NAN);
        }
        let s = minus.to_string() + &int;
        crate::num::parse(if s.is_empty() { "0" } else { &s }).unwrap_or(f64::NAN)
    }

    fn valid(&self, p: &Parts, whole: bool) -> bool {
        // JavaScript's `this.min || MIN_SAFE_INTEGER`: a limit of 0 is none.
        let min = self.min.filter(|m| *m != 0.0).unwrap_or(-MAX_SAFE);
        let max = self.max.filter(|m| *m != 0.0).unwrap_or(MAX_SAFE);
        if p.is_empty() || (self.min.is_none() && self.max.is_none()) {
            return true;
        }
        let value = self.convert(p);
        if value.is_nan() || (value >= min && value <= max) {
            return true;
        }
        if whole {
            return false;
        }
        // While typing: can more digits still bring it within the limits?
        if !p.point && value != 0.0 {
            let (mut high, mut low) = (value, value);
            if value > 0.0 {
                if value + 1.0 > min && value <= max {
                    return true;
                }
                loop {
                    high = high * 10.0 + 9.0;
                    low *= 10.0;
                    if low > max {
                        return false;
                    }
                    if high > min {
                        return true;
                    }
                }
            }
            if value >= min && value - 1.0 < max {
                return true;
            }
            loop {
                high *= 10.0;
                low = low * 10.0 - 9.0;
                if high < min {
                    return false;
                }
                if low < max {
                    return true;
                }
            }
        }
        let delta = 0.1f64.powf(p.frac.len() as f64);
        if value >= 0.0 {
            value + delta > min && value <= max
        } else {
            value >= min && value - delta < max
        }
    }

    fn masked_number(&self, s: &[char], whole: bool) -> Option<Vec<char>> {
        let p = self.parse(s);
        self.valid(&p, whole).then(|| self.display(&p, true, whole))
    }

    fn masked(&self, s: &[char]) -> Option<String> {
        let mut s = s.to_vec();
        if let Some(i) = s.iter().position(|c| *c == '.') {
            s[i] = self.decimal;
        }
        self.masked_number(&s, true).map(|v| self.wrap(v)).map(|v| text(&v))
    }

    /// The number typed; `None` for nothing, or what no JSON number can be.
    fn unmasked(&self, s: &[char]) -> Option<f64> {
        let p = self.parse(s);
        if p.is_empty() {
            return None;
        }
        Some(self.convert(&p)).filter(|x| x.is_finite())
    }

    fn wrap(&self, v: Vec<char>) -> Vec<char> {
        if v.is_empty() {
            return v;
        }
        let mut s = text(&v);
        if find(&s, &self.prefix).is_none() {
            s = self.prefix.clone() + &s;
        }
        if find(&s, &self.suffix).is_none() {
            s.push_str(&self.suffix);
        }
        chars(&s)
    }

    fn input(&self, mut prev: Vec<char>, mut start: i64, mut end: i64, ins: &[char], backward: bool) -> (Vec<char>, i64) {
        // Currency: the prefix and suffix come off first (`unwrapInputArgs`).
        let plen = count(&self.prefix) as i64;
        if !prev.is_empty() {
            let s = text(&prev);
            let mut rest: &str = &s;
            if let Some(i) = find(rest, &self.prefix).filter(|_| !self.prefix.is_empty()) {
                rest = rest.get(i + self.prefix.len()..).unwrap_or_default();
                start = (start - plen).max(0);
                end -= plen;
            }
            if let Some(i) = find(rest, &self.suffix).filter(|_| !self.suffix.is_empty()) {
                rest = rest.get(..i).unwrap_or_default();
            }
            prev = chars(rest);
        }
        let (value, caret) = self.input_number(prev, start, end, ins, backward);
        let caret = if value.is_empty() { caret } else { caret + plen };
        (self.wrap(value), caret)
    }

    fn input_number(&self, prev: Vec<char>, start: i64, end: i64, ins: &[char], backward: bool) -> (Vec<char>, i64) {
        let mut left = slice(&prev, 0, Some(start));
        left.extend_from_slice(ins);
        let mut src = left.clone();
        src.extend(slice(&prev, end, None));
        let p = self.parse(&src);
        if !self.valid(&p, false) {
            return (prev, end);
        }
        let masked = self.display(&p, true, false);
        // Where the caret goes: after as many digits (and signs) as were left of it.
        let left_len = if left.is_empty() { 0 } else { self.display(&self.parse(&left), false, false).len() };
        let deleting = ins.is_empty() && !backward;
        let target = left_len + usize::from(deleting);
        let mut caret = start;
        let mut counted = 0;
        for (i, c) in masked.iter().enumerate() {
            if Some(*c) != self.thousands {
                counted += 1;
            }
            if counted == target {
                caret = if deleting { i } else { i + 1 } as i64;
                break;
            }
        }
        (masked, caret)
    }
}

/// What has been typed for one lexem.
#[derive(Clone, Debug, Default)]
struct Typed {
    value: Option<String>,
    completed: bool,
}

/// A date and time being typed: each part a JavaScript number or `undefined`
/// (`Some(NaN)` is NaN), and the limits as JavaScript `Date`s (ms, NaN invalid).
#[derive(Clone, Copy, Debug, Default)]
struct Moment {
    year: Option<f64>,
    month: Option<f64>,
    day: Option<f64>,
    hour: Option<f64>,
    minute: Option<f64>,
    second: Option<f64>,
    /// The time marker's first letter (`a`, `p`), as survey-core reads it.
    marker: Option<char>,
    min: f64,
    max: f64,
}

impl Moment {
    fn get(&self, p: Part) -> Option<f64> {
        match p {
            Part::Year => self.year,
            Part::Month => self.month,
            Part::Day => self.day,
            Part::Hour => self.hour,
            Part::Minute => self.minute,
            Part::Second => self.second,
            _ => None,
        }
    }
    fn set(&mut self, p: Part, v: Option<f64>) {
        match p {
            Part::Year => self.year = v,
            Part::Month => self.month = v,
            Part::Day => self.day = v,
            Part::Hour => self.hour = v,
            Part::Minute => self.minute = v,
            Part::Second => self.second = v,
            _ => {}
        }
    }
}

/// JavaScript's `parseInt(s)` (NaN as `None`'s stand-in: `f64::NAN`).
fn parse_int(s: &str) -> f64 {
    let s = s.trim_start();
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let n = crate::num::parse(&digits).unwrap_or(f64::NAN);
    if neg {
        -n
    } else {
        n
    }
}

fn pad(width: usize, s: &str, c: char) -> String {
    let n = count(s);
    if n < width {
        core::iter::repeat_n(c, width - n).collect()
    } else {
        String::new()
    }
}

/// A `Date`'s fields (local time taken as UTC): year, month 1–12, day, hours, minutes, seconds.
fn fields(ms: f64) -> (i64, i64, i64, i64, i64, i64) {
    let ms = ms as i64;
    let (days, rest) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
    let (y, m, d) = civil_from_days(days);
    (y, m, d, rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60)
}

impl DateTime {
    fn is12(&self) -> bool {
        self.lexems.iter().any(|l| l.kind == Part::Hour && !l.upper)
    }

    /// The limits as `Date`s, in the form `createIDateTimeComposition` makes them.
    fn moment(&self) -> Moment {
        let (lo, hi) = if self.has_date() {
            (self.min.clone().unwrap_or_else(|| "0001-01-01".into()), self.max.clone().unwrap_or_else(|| "9996-12-31".into()))
        } else {
            (
                "1970-01-01T".to_string() + self.min.as_deref().unwrap_or("00:00:00"),
                "1970-01-01T".to_string() + self.max.as_deref().unwrap_or("23:59:59"),
            )
        };
        Moment { min: parse_date(&lo), max: parse_date(&hi), ..Moment::default() }
    }

    /// `getISO_8601Format`.
    fn iso(m: &Moment) -> String {
        let two = |v: f64| {
            let s = crate::num::to_js_string(v);
            pad(2, &s, '0') + &s
        };
        // The parts joined by "-" and ":", date and time by "T"; a time needs two parts.
        let mut out = String::new();
        if let Some(y) = m.year {
            let s = crate::num::to_js_string(y);
            out = pad(4, &s, '0') + &s;
            for v in [m.month, m.day].into_iter().map_while(|v| v) {
                out = out + "-" + &two(v);
            }
        }
        if let (Some(h), Some(mi)) = (m.hour, m.minute) {
            if !out.is_empty() {
                out.push('T');
            }
            out = out + &two(h) + ":" + &two(mi);
            if let Some(s) = m.second {
                out = out + ":" + &two(s);
            }
        }
        out
    }

    fn with_defaults(&self, m: &Moment, upper: bool) -> Moment {
        let leap = m.day == Some(29.0) && m.month == Some(2.0);
        let (mut lo, mut hi) = (Some(fields_year(m.min)), Some(fields_year(m.max)));
        if leap {
            let (a, b) = ((lo.unwrap_or(f64::NAN) / 4.0).ceil() * 4.0, (hi.unwrap_or(f64::NAN) / 4.0).floor() * 4.0);
            (lo, hi) = if a > b { (None, None) } else { (Some(a), Some(b)) };
        }
        let year = m.year.or(if upper { hi } else { lo });
        let has_date = self.has_date();
        let month = m.month.or(Some(if upper && has_date { 12.0 } else { 1.0 }));
        let day = m.day.or(Some(if upper && has_date { max_day(year, month) } else { 1.0 }));
        let or = |v: Option<f64>, hi: f64| v.or(Some(if upper { hi } else { 0.0 }));
        Moment {
            year,
            month,
            day,
            hour: or(m.hour, 23.0),
            minute: or(m.minute, 59.0),
            second: or(m.second, 59.0),
            marker: None,
            min: f64::NAN,
            max: f64::NAN,
        }
    }

    fn date_valid(&self, m: &Moment) -> bool {
        let date = parse_date(&Self::iso(&self.with_defaults(m, false)));
        let high = parse_date(&Self::iso(&self.with_defaults(m, true)));
        if date.is_nan() {
            return false;
        }
        let (y, mo, d, ..) = fields(date);
        let same = |v: Option<f64>, f: i64| v.is_none_or(|v| v == f as f64);
        same(m.day, d) && same(m.month, mo) && same(m.year, y) && high >= m.min && date <= m.max
    }

    fn date_valid12(&self, m: &mut Moment) -> bool {
        if !self.is12() {
            return self.date_valid(m);
        }
        if m.hour.is_some_and(|h| h > 12.0) {
            return false;
        }
        let add12 = |h: Option<f64>| Some(h.unwrap_or(f64::NAN) + 12.0);
        match m.marker {
            None => {
                if self.date_valid(m) {
                    return true;
                }
                m.hour = add12(m.hour);
            }
            Some(c) if c.eq_ignore_ascii_case(&'p') => {
                if m.hour != Some(12.0) {
                    m.hour = add12(m.hour);
                }
            }
            Some(_) => {
                if m.hour == Some(12.0) {
                    m.hour = Some(0.0);
                }
            }
        }
        self.date_valid(m)
    }

    fn two_digit_year(&self, l: &Lexem, value: &str) -> String {
        if l.kind != Part::Year || l.count > 2 {
            return value.to_string();
        }
        let turn = match &self.max {
            Some(m) if count(m) >= 4 => parse_int(&m.chars().skip(2).take(2).collect::<String>()),
            _ => 68.0,
        };
        (if parse_int(value) > turn { "19" } else { "20" }).to_string() + value
    }

    fn year_valid(&self, m: &Moment) -> bool {
        let data = crate::num::to_js_string(m.year.unwrap_or(f64::NAN));
        let n = count(&data);
        // `toISOString().slice(0, n)`: the year's four digits, then "-"; a typed year has at most five characters.
        let part = |ms: f64| {
            let y = crate::num::to_js_string(fields_year(ms));
            let iso = pad(4, &y, '0') + &y + "-";
            parse_int(&iso.chars().take(n).collect::<String>())
        };
        let y = m.year.unwrap_or(f64::NAN);
        y >= part(m.min) && y <= part(m.max)
    }

    fn update(&self, l: &Lexem, item: &mut Typed, m: &mut Moment) {
        let Some(mut data) = item.value.clone().filter(|d| !d.is_empty()) else { return };
        let kind = l.kind;
        let mut temp = *m;
        temp.set(kind, Some(parse_int(&self.two_digit_year(l, &data))));
        let as_value = |d: &str| Some(parse_int(d)).filter(|n| *n > 0.0);
        if count(&data) == l.max_count {
            if self.date_valid12(&mut temp) {
                item.completed = true;
                m.set(kind, as_value(&data));
                return;
            }
            data.pop();
        }
        temp.set(kind, Some(parse_int(&data)));
        let first = data.chars().next().map_or(f64::NAN, |c| parse_int(&c.to_string()));
        let start = match (kind, l.upper) {
            (Part::Hour, true) => Some(2.0),
            (Part::Hour, false) | (Part::Month, _) => Some(1.0),
            (Part::Minute | Part::Second, _) => Some(5.0),
            (Part::Day, _) => Some(3.0),
            _ => None,
        };
        if kind == Part::Year && !self.year_valid(&temp) {
            data.pop();
            item.completed = false;
        } else if start.is_some_and(|s| first > s) {
            if self.date_valid12(&mut temp) {
                item.completed = true;
            } else {
                data.pop();
            }
        } else if start.is_some_and(|s| first != 0.0 && first <= s) {
            self.check_part(&mut temp, kind, item);
            if item.completed && !self.date_valid12(&mut temp) {
                data.pop();
            }
        }
        m.set(kind, as_value(&data));
        item.value = Some(data).filter(|d| !d.is_empty());
    }

    fn check_part(&self, m: &mut Moment, kind: Part, item: &mut Typed) {
        let prev = m.get(kind);
        let base = prev.unwrap_or(f64::NAN) * 10.0;
        let tries = match kind {
            Part::Month => 3,
            Part::Hour if self.is12() => 3,
            Part::Hour => 5,
            _ => 10,
        };
        item.completed = true;
        for i in 0..tries {
            m.set(kind, Some(base + f64::from(i)));
            if self.date_valid12(m) {
                item.completed = false;
                break;
            }
        }
        m.set(kind, prev);
    }

    fn update_marker(&self, item: &mut Typed, m: &mut Moment) {
        let Some(mut data) = item.value.clone().filter(|d| !d.is_empty()) else { return };
        let mut temp = *m;
        temp.marker = data.chars().next();
        if self.date_valid12(&mut temp) {
            item.completed = true;
        } else {
            data.pop();
        }
        item.value = Some(data.clone()).filter(|d| !d.is_empty());
        m.marker = item.value.as_deref().and_then(|v| v.chars().next());
    }

    fn part_text(l: &Lexem, item: &Typed, whole: bool) -> String {
        let mut s = item.value.clone().unwrap_or_default();
        if !s.is_empty() && l.kind == Part::TimeMarker {
            if whole {
                s += &pad(l.count, &s, l.ch);
            }
            return s;
        }
        if !s.is_empty() && item.completed {
            let n = crate::num::to_js_string(parse_int(&s));
            return pad(l.count, &n, '0') + &n;
        }
        if l.count < l.max_count && matches!(l.kind, Part::Day | Part::Month) && s.starts_with('0') {
            s.remove(0);
        }
        if whole {
            s += &pad(l.count, &s, l.ch);
        }
        s
    }

    /// `getFormatedString`.
    fn format(&self, items: &[Typed], whole: bool) -> String {
        let mut out = String::new();
        let mut sep = String::new();
        let mut prev_done = false;
        let last = if whole {
            items.len() as i64 - 1
        } else {
            items.iter().rposition(|i| i.value.as_deref().is_some_and(|v| !v.is_empty())).map_or(-1, |i| i as i64)
        };
        for (i, (l, item)) in self.lexems.iter().zip(items).enumerate() {
            if l.kind == Part::Separator {
                sep = l.ch.to_string();
                continue;
            }
            if item.value.is_none() && !whole {
                if prev_done {
                    out += &sep;
                }
                return out;
            }
            out += &sep;
            out += &Self::part_text(l, item, whole || last > i as i64);
            prev_done = item.completed;
        }
        out
    }

    /// `getParts`: the typed text cut into one piece per date or time part.
    fn pieces(&self, input: &[char]) -> Vec<String> {
        let parts: Vec<&Lexem> = self.lexems.iter().filter(|l| l.kind != Part::Separator).collect();
        let seps: Vec<char> = self.lexems.iter().filter(|l| l.kind == Part::Separator).map(|l| l.ch).collect();
        let mut out = Vec::new();
        let mut cur = String::new();
        let (mut sep, mut pseudo) = (false, false);
        for &c in input {
            let Some(l) = parts.get(out.len()) else { break };
            if c.is_ascii_digit() || c == l.ch || l.kind == Part::TimeMarker {
                (sep, pseudo) = (false, false);
                cur.push(c);
            } else if seps.contains(&c) {
                if !pseudo {
                    sep = true;
                    out.push(core::mem::take(&mut cur));
                }
            } else if !sep {
                pseudo = true;
                out.push(core::mem::take(&mut cur));
            }
            if out.len() >= parts.len() {
                sep = false;
                break;
            }
        }
        if !cur.is_empty() || sep {
            out.push(cur);
        }
        out
    }

    /// `setInputDateTimeData`.
    fn typed(&self, pieces: &[String]) -> Vec<Typed> {
        let mut items: Vec<Typed> = self.lexems.iter().map(|_| Typed::default()).collect();
        let mut k = 0;
        for (l, item) in self.lexems.iter().zip(items.iter_mut()) {
            if k >= pieces.len() || l.kind == Part::Separator {
                continue;
            }
            let piece = &pieces[k];
            let data: String = if l.kind == Part::TimeMarker {
                let mut r = String::new();
                for c in piece.chars().map(|c| c.to_ascii_uppercase()) {
                    if (r.is_empty() && (c == 'P' || c == 'A')) || (!r.is_empty() && c == 'M') {
                        r.push(c);
                    }
                }
                if l.upper {
                    r
                } else {
                    r.to_ascii_lowercase()
                }
            } else {
                piece.chars().filter(char::is_ascii_digit).collect()
            };
            item.value = Some(data.chars().take(l.max_count).collect());
            k += 1;
        }
        items
    }

    /// `_getMaskedValue`: typed text as the mask writes it.
    fn mask_text(&self, input: &[char], whole: bool) -> String {
        let mut items = self.typed(&self.pieces(input));
        let mut m = self.moment();
        for (l, item) in self.lexems.iter().zip(items.iter_mut()) {
            if l.kind == Part::TimeMarker {
                self.update_marker(item, &mut m);
            } else {
                self.update(l, item, &mut m);
            }
        }
        self.format(&items, whole)
    }

    /// `getMaskedStrFromISO`: a stored date or time as the mask writes it.
    fn masked_iso(&self, s: &str) -> String {
        let mut date = parse_date(s);
        if !self.has_time() {
            date = parse_date(&(s.to_string() + "T00:00:00"));
        }
        if !self.has_date() {
            date = parse_date(&("1970-01-01T".to_string() + s));
        }
        let mut items: Vec<Typed> = self.lexems.iter().map(|_| Typed::default()).collect();
        if !date.is_nan() {
            let (y, mo, d, h, mi, sec) = fields(date);
            let is12 = self.is12();
            for (l, item) in self.lexems.iter().zip(items.iter_mut()) {
                item.completed = true;
                item.value = match l.kind {
                    Part::Hour if is12 => Some(int_text((h - 1) % 12 + 1)),
                    Part::Hour => Some(int_text(h)),
                    Part::Minute => Some(int_text(mi)),
                    Part::Second => Some(int_text(sec)),
                    Part::TimeMarker => {
                        let m = if h >= 12 { "pm" } else { "am" };
                        Some(if l.upper { m.to_ascii_uppercase() } else { m.to_string() })
                    }
                    Part::Day => Some(int_text(d)),
                    Part::Month => Some(int_text(mo)),
                    Part::Year => Some(int_text(if l.count == 2 { y % 100 } else { y })),
                    Part::Separator => None,
                };
            }
        }
        self.format(&items, true)
    }

    /// `getUnmaskedValue`: `None` where survey-core throws (a time marker
    /// part not reached yet).
    fn unmasked(&self, input: &[char]) -> Option<String> {
        let items = self.typed(&self.pieces(input));
        let marker = match self.lexems.iter().position(|l| l.kind == Part::TimeMarker) {
            Some(i) => Some(items[i].value.as_deref()?.chars().next().map(|c| c.to_ascii_lowercase())),
            None => None,
        };
        let mut m = self.moment();
        for (l, item) in self.lexems.iter().zip(&items) {
            if matches!(l.kind, Part::TimeMarker | Part::Separator) {
                continue;
            }
            let s = item.value.as_deref().unwrap_or("");
            if s.is_empty() || count(s) < l.count {
                return Some(String::new());
            }
            let mut v = parse_int(&self.two_digit_year(l, s));
            if l.kind == Part::Hour && marker == Some(Some('p')) && v != 12.0 {
                v += 12.0;
            }
            m.set(l.kind, Some(v));
        }
        Some(Self::iso(&m))
    }

    fn input(&self, prev: &[char], start: i64, end: i64, ins: &[char], backward: bool) -> (Vec<char>, i64) {
        let mut left = slice(prev, 0, Some(start));
        left.extend_from_slice(ins);
        let mut all = left.clone();
        all.extend(slice(prev, end, None));
        let value = chars(&self.mask_text(&all, true));
        let caret = if ins.is_empty() && backward { start } else { count(&self.mask_text(&left, false)) as i64 };
        (value, caret)
    }
}

fn fields_year(ms: f64) -> f64 {
    if ms.is_nan() {
        f64::NAN
    } else {
        fields(ms).0 as f64
    }
}

fn max_day(year: Option<f64>, month: Option<f64>) -> f64 {
    let y = year.unwrap_or(f64::NAN);
    match month {
        Some(2.0) => {
            // By integers: a float's `%` is a libm routine of 2 kB in the mask module.
            let leap = y.fract() == 0.0 && {
                let y = y as i64;
                (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            };
            if leap {
                29.0
            } else {
                28.0
            }
        }
        Some(m) if (1.0..=12.0).contains(&m) && m.fract() == 0.0 => {
            [31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0][m as usize - 1]
        }
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn numeric(n: Numeric) -> Mask {
        Mask { rule: Rule::Number(n), save_masked: false }
    }
    fn vn() -> Numeric {
        Numeric { decimal: ',', thousands: Some('.'), ..Numeric::default() }
    }
    fn typing(m: &Mask, keys: &str) -> (String, i64) {
        let mut text = String::new();
        let mut caret = 0;
        for k in keys.chars() {
            let at = caret.max(0) as usize;
            (text, caret) = m.input(&Edit { text: text.clone(), start: at, end: at, inserted: k.to_string(), backward: false });
        }
        (text, caret)
    }

    #[test]
    fn a_vietnamese_number_groups_by_dots_and_is_stored_as_a_number() {
        let m = numeric(vn());
        assert_eq!(typing(&m, "1234567,891"), ("1.234.567,89".into(), 12));
        assert_eq!(m.stored("1.234.567,89"), Some(json!(1234567.89)));
        assert_eq!(m.stored("1.234"), Some(json!(1234)));
        assert_eq!(m.shown(Some(&json!(1234.5))), "1.234,5");
        assert_eq!(m.stored(""), None);
    }

    #[test]
    fn a_number_outside_the_limits_cannot_be_typed() {
        let m = numeric(Numeric { min: Some(1.0), max: Some(100.0), ..Numeric::default() });
        assert_eq!(typing(&m, "1000"), ("100".into(), 3));
        assert_eq!(m.masked(Some(&json!(500))), None);
        assert_eq!(m.shown(Some(&json!(500))), "500");
    }

    #[test]
    fn currency_wraps_the_number_and_keeps_the_caret_before_the_suffix() {
        let m = numeric(Numeric { precision: 0, suffix: " ₫".into(), ..vn() });
        assert_eq!(typing(&m, "250000"), ("250.000 ₫".into(), 7));
        assert_eq!(m.stored("250.000 ₫"), Some(json!(250000)));
        let back = m.input(&Edit::of_event("deleteContentBackward", "250.000 ₫".into(), 7, 7, None));
        assert_eq!(back, ("25.000 ₫".into(), 6));
    }

    #[test]
    fn a_pattern_keeps_its_literals_out_of_the_answer_but_fixed_digits_in() {
        let m = Mask { rule: Rule::Pattern(Pattern::new("+84 999 999 999")), save_masked: false };
        assert_eq!(m.empty(), "+84 ___ ___ ___");
        assert_eq!(typing(&m, "912345678"), ("+84 912 345 678".into(), 15));
        assert_eq!(m.stored("+84 912 345 678"), Some(json!("84912345678")));
        assert_eq!(m.stored("+84 912 34_ ___"), None);
        assert!(m.incomplete("+84 912 34_ ___"));
        assert!(!m.incomplete("+84 ___ ___ ___"));
        let saved = Mask { save_masked: true, ..m };
        assert_eq!(saved.stored("+84 912 345 678"), Some(json!("+84 912 345 678")));
    }

    #[test]
    fn a_date_is_typed_in_the_pattern_and_stored_as_iso() {
        let m = Mask { rule: Rule::DateTime(DateTime::new("dd/mm/yyyy", None, None)), save_masked: false };
        assert_eq!(m.empty(), "dd/mm/yyyy");
        assert_eq!(typing(&m, "25122024").0, "25/12/2024");
        // A 4 cannot begin a day: it is day 4.
        assert_eq!(typing(&m, "4").0, "04/mm/yyyy");
        assert_eq!(m.stored("25/12/2024"), Some(json!("2024-12-25")));
        assert_eq!(m.shown(Some(&json!("2024-12-25"))), "25/12/2024");
        assert_eq!(m.stored("25/12/20yy"), None);
        let t = Mask { rule: Rule::DateTime(DateTime::new("HH:MM", None, None)), save_masked: false };
        assert_eq!(t.stored(&typing(&t, "0905").0), Some(json!("09:05")));
    }

    #[test]
    fn dates_count_as_javascript_counts_them() {
        assert_eq!(parse_date("2024-02-31"), parse_date("2024-03-02"));
        assert!(parse_date("2024-12-25T24:00:01").is_nan());
        assert_eq!(fields(parse_date("0001-01-01")), (1, 1, 1, 0, 0, 0));
        assert_eq!(parse_date("2024-12-25T10:00:00.5Z") - parse_date("2024-12-25T10:00"), 500.0);
        assert_eq!(parse_date("2024-12-25T10:00+07:00"), parse_date("2024-12-25T03:00"));
        assert!(parse_date("2024-12-25T10").is_nan() && parse_date("2024-1-5").is_nan() && parse_date("1970-01-01T25:00").is_nan());
        assert_eq!(fields(parse_date("2024-12-25T10:30:15")), (2024, 12, 25, 10, 30, 15));
    }

    #[test]
    fn an_edit_from_a_browser_event() {
        let e = Edit::of_event("deleteContentForward", "12".into(), 0, 0, None);
        assert_eq!((e.start, e.end, e.backward), (0, 1, false));
        assert_eq!(utf16_index(&chars("a😀b"), 2), 3);
        assert_eq!(char_index(&chars("a😀b"), 3), 2);
    }

    #[test]
    fn any_text_and_every_setting_cross_the_wire_unchanged() {
        let mut w = Wire::default();
        w.put("1:2:").put("").put("a😀b");
        let mut f = Fields(&w.0);
        assert_eq!((f.field(), f.field(), f.field(), f.field()), (Some("1:2:"), Some(""), Some("a😀b"), None));
        let masks = [
            numeric(Numeric { min: Some(-0.5), max: Some(1e300), thousands: None, suffix: " ₫:".into(), ..vn() }),
            Mask { rule: Rule::DateTime(DateTime::new("dd/mm/yyyy", Some("2024-01-01".into()), None)), save_masked: true },
            Mask { rule: Rule::Pattern(Pattern::new("+84 \\9 999")), save_masked: false },
        ];
        for m in masks {
            let mut w = Wire::default();
            m.write(&mut w);
            assert_eq!(Mask::read(&mut Fields(&w.0)), Some(m));
        }
        // A request that cannot be read has an empty answer, which reads as none.
        assert_eq!(serve("1:x"), "");
    }
}
