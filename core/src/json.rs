//! JSON text to and from `serde_json::Value`, and the stored and sent types
//! to and from JSON, without serde's generic code.
//!
//! serde generates a reader and a writer per type and per format; on the
//! phone that was about a tenth of the download. Here there is one reader
//! (text → `Value`), one writer (anything → text) and a hand conversion per
//! type over them. The server keeps serde: the core's types still derive it
//! (feature `serde`), and the tests hold the two encodings byte for byte equal.
//! Numbers are printed by [`crate::num`], which the phone hands to the browser.

use serde_json::{Map, Number, Value};
use std::fmt;

/// Text that is not JSON, with where: the same words and place as serde_json's,
/// except that columns count characters where serde_json counts bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub message: &'static str,
    /// 1-based line and column (in characters) of the offending character.
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

/// Reads a whole JSON document, as `serde_json::from_str::<Value>` does.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut p = Parser { text, b: text.as_bytes(), i: 0, depth: 0 };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.fail("trailing characters"));
    }
    Ok(v)
}

/// Compact text, as `serde_json::to_string` writes it.
pub fn to_string(v: &(impl ToJson + ?Sized)) -> String {
    let mut w = Writer::new(false);
    v.write_json(&mut w);
    w.out
}

/// Indented by two spaces, as `serde_json::to_string_pretty` writes it.
pub fn to_string_pretty(v: &(impl ToJson + ?Sized)) -> String {
    let mut w = Writer::new(true);
    v.write_json(&mut w);
    w.out
}

/// A number as JavaScript's `String(n)` shows it (`5`, `0.1`, `1e+21`):
/// whole numbers exactly, others by [`crate::num::to_js_string`].
pub fn number_text(n: &Number) -> String {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => u.to_string(),
        (_, Some(i)) => i.to_string(),
        _ => crate::num::to_js_string(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// Reads a stored or received type from text.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, String> {
    T::from_json(&parse(text).map_err(|e| e.to_string())?)
}

/// A type written as JSON, fields in the order serde's derive writes them.
pub trait ToJson {
    fn write_json(&self, w: &mut Writer);
}

/// A type read from JSON, as serde's derive reads it: unknown fields are
/// ignored, a missing `Option` is `None`.
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> Result<Self, String>;
}

/// Text under construction. Objects and arrays are opened and closed by the
/// caller; the writer puts in the commas (and, pretty, the line breaks).
pub struct Writer {
    out: String,
    pretty: bool,
    /// Per open object or array: whether it has a member yet.
    open: Vec<bool>,
}

impl Writer {
    fn new(pretty: bool) -> Writer {
        Writer { out: String::new(), pretty, open: Vec::new() }
    }

    pub fn begin_object(&mut self) {
        self.out.push('{');
        self.open.push(false);
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) {
        self.out.push('[');
        self.open.push(false);
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// A member of the open object.
    pub fn field(&mut self, key: &str, value: &dyn ToJson) {
        self.next_member();
        self.string(key);
        self.out.push_str(if self.pretty { ": " } else { ":" });
        value.write_json(self);
    }

    /// A member left out when it is `None`, as `skip_serializing_if = "Option::is_none"`.
    pub fn field_some<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.field(key, v);
        }
    }

    /// An element of the open array.
    pub fn item(&mut self, value: &dyn ToJson) {
        self.next_member();
        value.write_json(self);
    }

    pub fn string(&mut self, s: &str) {
        self.out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..0x20 => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 15)]));
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
    }

    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn next_member(&mut self) {
        if let Some(has) = self.open.last_mut() {
            if *has {
                self.out.push(',');
            }
            *has = true;
        }
        if self.pretty {
            self.newline(self.open.len());
        }
    }

    fn close(&mut self, bracket: char) {
        let had = self.open.pop().unwrap_or(false);
        if self.pretty && had {
            self.newline(self.open.len());
        }
        self.out.push(bracket);
    }

    fn newline(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }
}

impl ToJson for Value {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Value::Null => w.raw("null"),
            Value::Bool(b) => b.write_json(w),
            Value::Number(n) => n.write_json(w),
            Value::String(s) => w.string(s),
            Value::Array(a) => a.as_slice().write_json(w),
            Value::Object(m) => m.write_json(w),
        }
    }
}

impl ToJson for Map<String, Value> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        for (k, v) in self {
            w.field(k, v);
        }
        w.end_object();
    }
}

impl ToJson for Number {
    fn write_json(&self, w: &mut Writer) {
        if let Some(n) = self.as_u64() {
            w.raw(&n.to_string());
        } else if let Some(n) = self.as_i64() {
            w.raw(&n.to_string());
        } else {
            w.raw(&crate::num::to_json_text(self.as_f64().unwrap_or(f64::NAN)));
        }
    }
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut Writer) {
        w.raw(if *self { "true" } else { "false" });
    }
}

impl ToJson for f64 {
    fn write_json(&self, w: &mut Writer) {
        w.raw(&crate::num::to_json_text(*self));
    }
}

impl ToJson for u32 {
    fn write_json(&self, w: &mut Writer) {
        w.raw(&self.to_string());
    }
}

impl ToJson for usize {
    fn write_json(&self, w: &mut Writer) {
        w.raw(&self.to_string());
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write_json(w),
            None => w.raw("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        for v in self {
            w.item(v);
        }
        w.end_array();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        self.as_slice().write_json(w);
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        w.item(&self.0);
        w.item(&self.1);
        w.end_array();
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

/// The members of an object being read into a type; `what` names the type
/// in messages.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    what: &'static str,
}

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value, what: &'static str) -> Result<Fields<'a>, String> {
        match v {
            Value::Object(map) => Ok(Fields { map, what }),
            other => Err(format!("{what}: expected an object, found {}", kind(other))),
        }
    }

    /// A member that must be there (an `Option` may be missing: `None`).
    pub fn get<T: FromJson>(&self, key: &str) -> Result<T, String> {
        T::from_json(self.map.get(key).unwrap_or(&Value::Null)).map_err(|e| self.at(key, e))
    }

    /// A member that takes its default when missing (`#[serde(default)]`).
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, String> {
        match self.map.get(key) {
            None => Ok(T::default()),
            Some(v) => T::from_json(v).map_err(|e| self.at(key, e)),
        }
    }

    /// A member's error with where it is; one function, not one per type read.
    #[inline(never)]
    fn at(&self, key: &str, e: String) -> String {
        format!("{}.{key}: {e}", self.what)
    }

    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }
}

/// What a value is, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, v: &Value) -> String {
    format!("expected {what}, found {}", kind(v))
}

impl FromJson for Value {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(v.clone())
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_object().cloned().ok_or_else(|| expected("an object", v))
    }
}

impl FromJson for String {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_str().map(str::to_string).ok_or_else(|| expected("a string", v))
    }
}

impl FromJson for bool {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| expected("true or false", v))
    }
}

impl FromJson for f64 {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_f64().ok_or_else(|| expected("a number", v))
    }
}

impl FromJson for u32 {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| expected("a whole number from 0 to 4294967295", v))
    }
}

impl FromJson for u16 {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_u64().and_then(|n| u16::try_from(n).ok()).ok_or_else(|| expected("a whole number from 0 to 65535", v))
    }
}

impl FromJson for usize {
    fn from_json(v: &Value) -> Result<Self, String> {
        v.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| expected("a whole number", v))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
}

/// An item's error with its index; one function, not one per type read.
#[inline(never)]
fn at_index(i: usize, e: String) -> String {
    format!("[{i}]: {e}")
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Result<Self, String> {
        let items = v.as_array().ok_or_else(|| expected("an array", v))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item).map_err(|e| at_index(i, e))?);
        }
        Ok(out)
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v.as_array().map(Vec::as_slice) {
            Some([a, b]) => Ok((A::from_json(a)?, B::from_json(b)?)),
            _ => Err(expected("an array of two", v)),
        }
    }
}

/// Deeper than this, a document is refused, as serde_json refuses it.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    /// serde_json reports where it stopped reading: just after the
    /// character it stopped on (so a line break there is the next line's
    /// column 0), or after the last character at the end of the text.
    fn fail(&self, message: &'static str) -> Error {
        self.fail_after(self.i + 1, message)
    }

    fn fail_after(&self, end: usize, message: &'static str) -> Error {
        let before = &self.b[..end.min(self.b.len())];
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        let start = before.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
        // Characters, not bytes: a byte that continues a character is not counted.
        let column = before[start..].iter().filter(|&&c| c & 0xC0 != 0x80).count();
        Error { message, line, column }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        match self.peek() {
            None => Err(self.fail("EOF while parsing a value")),
            Some(b'n') => self.ident("null", Value::Null),
            Some(b't') => self.ident("true", Value::Bool(true)),
            Some(b'f') => self.ident("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.nested(Parser::array),
            Some(b'{') => self.nested(Parser::object),
            Some(_) => Err(self.fail("expected value")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Error>) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.fail("recursion limit exceeded"));
        }
        self.i += 1;
        let v = read(self);
        self.depth -= 1;
        v
    }

    fn ident(&mut self, word: &str, v: Value) -> Result<Value, Error> {
        for &c in word.as_bytes() {
            match self.peek() {
                None => return Err(self.fail("EOF while parsing a value")),
                Some(x) if x == c => self.i += 1,
                Some(_) => return Err(self.fail("expected ident")),
            }
        }
        Ok(v)
    }

    fn array(&mut self) -> Result<Value, Error> {
        let mut items = Vec::new();
        self.ws();
        match self.peek() {
            Some(b']') => {
                self.i += 1;
                return Ok(Value::Array(items));
            }
            None => return Err(self.fail("EOF while parsing a list")),
            Some(_) => {}
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        return Err(self.fail("trailing comma"));
                    }
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.fail("EOF while parsing a list")),
                Some(_) => return Err(self.fail("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, Error> {
        let mut map = Map::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(map));
        }
        loop {
            let key = match self.peek() {
                Some(b'"') => self.string()?,
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("key must be a string")),
            };
            self.ws();
            match self.peek() {
                Some(b':') => self.i += 1,
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("expected `:`")),
            }
            self.ws();
            let value = self.value()?;
            map.insert(key, value);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        return Err(self.fail("trailing comma"));
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(map));
                }
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("expected `,` or `}`")),
            }
        }
    }

    fn string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let mut out = String::new();
        let mut start = self.i;
        loop {
            match self.peek() {
                None => return Err(self.fail("EOF while parsing a string")),
                Some(b'"') => {
                    out.push_str(&self.text[start..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[start..self.i]);
                    self.i += 1;
                    self.escape(&mut out)?;
                    start = self.i;
                }
                Some(0..0x20) => return Err(self.fail("control character (\\u0000-\\u001F) found while parsing a string")),
                Some(_) => self.i += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        let c = match self.peek() {
            None => return Err(self.fail("EOF while parsing a string")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.i += 1;
                let first = self.hex4()?;
                let c = match first {
                    0xD800..=0xDBFF => {
                        match (self.peek(), self.b.get(self.i + 1)) {
                            (None, _) | (Some(b'\\'), None) => return Err(self.fail("EOF while parsing a string")),
                            (Some(b'\\'), Some(b'u')) => self.i += 2,
                            _ => return Err(self.fail("unexpected end of hex escape")),
                        }
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(self.fail_after(self.i, "lone leading surrogate in hex escape"));
                        }
                        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                    }
                    0xDC00..=0xDFFF => return Err(self.fail_after(self.i, "lone leading surrogate in hex escape")),
                    n => char::from_u32(n),
                };
                out.push(c.unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            Some(_) => return Err(self.fail("invalid escape")),
        };
        out.push(c);
        self.i += 1;
        Ok(())
    }

    /// Four hex digits; serde_json takes all four before it looks at them.
    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(four) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.fail("EOF while parsing a string"));
        };
        self.i += 4;
        let mut n = 0;
        for &c in four {
            n = n * 16 + char::from(c).to_digit(16).ok_or_else(|| self.fail_after(self.i, "invalid escape"))?;
        }
        Ok(n)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.fail("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            None => return Err(self.fail("EOF while parsing a value")),
            Some(_) => return Err(self.fail("invalid number")),
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            if self.digits() == 0 {
                return Err(self.fail(if self.peek().is_none() { "EOF while parsing a value" } else { "invalid number" }));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail(if self.peek().is_none() { "EOF while parsing a value" } else { "invalid number" }));
            }
        }
        let text = &self.text[start..self.i];
        if !float {
            if negative {
                if let Ok(n) = text.parse::<i64>() {
                    // serde_json reads "-0" as the float -0.0.
                    return Ok(if n == 0 { float_value(-0.0) } else { Value::Number(n.into()) });
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return Ok(Value::Number(n.into()));
            }
        }
        match crate::num::parse(text) {
            Some(x) if x.is_finite() => Ok(float_value(x)),
            _ => Err(self.fail_after(self.i, "number out of range")),
        }
    }
}

fn float_value(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Both readers take or refuse the same text, take it to the same value
    /// and refuse it with the same words.
    fn same(text: &str) {
        let ours = parse(text);
        let theirs = serde_json::from_str::<Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{text:?}");
                assert_eq!(to_string(a), serde_json::to_string(b).unwrap(), "{text:?}");
                assert_eq!(to_string_pretty(a), serde_json::to_string_pretty(b).unwrap(), "{text:?}");
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.message, b.to_string().split(" at line ").next().unwrap_or(""), "{text:?}");
                assert_eq!(a.line, b.line(), "{text:?}: {b}");
                // serde_json counts bytes; a person counts characters.
                if text.is_ascii() {
                    assert_eq!(a.column, b.column(), "{text:?}: {b}");
                }
            }
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn reads_and_writes_as_serde_json_does() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "-0.0",
            "1",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "1e3",
            "1E+3",
            "2.5e-7",
            "1e400",
            "-1e400",
            "[1e400]",
            "[1e400\n]",
            "1e-400",
            "0.1",
            "123456789012345678901234567890",
            "\"\"",
            "\"Hà Nội\"",
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u00e0\u0041\ud83d\ude00""#,
            "\"\u{7f}\u{1f600}\"",
            "[]",
            "[ ]",
            "[1,2 , 3]",
            "{}",
            r#"{"b": 1, "a": [true, null, {"c": "d"}], "a": 2}"#,
            "{\n  \"x\": [\n    1,\n    {}\n  ]\n}",
            r#"{"q": "line\nbreak", "ctl": "\u0001\u001f"}"#,
            // Refused:
            "",
            "   ",
            "nul",
            "nulx",
            "True",
            "[1,]",
            "[1 2]",
            "[1,",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":1",
            "{\"a\"",
            "{",
            "[",
            "01",
            "-",
            "-a",
            "1.",
            "1.e5",
            "1e",
            "1e+",
            ".5",
            "+1",
            "\"abc",
            "\"a\tb\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\u12g4""#,
            r#""\ud800""#,
            r#""\ud800\u0041""#,
            r#""\udc00""#,
            "1 2",
            "{} x",
            "\u{feff}{}",
            "[1,\n2,\n]",
            "{\n\"a\": [1, 2],\n\"b\": ,\n}",
            "{\"tên\": \"Hà\", x}",
        ] {
            same(text);
        }
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for depth in [127, 128, 129, 200] {
            same(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            same(&format!("{}1{}", "[".repeat(depth), "]".repeat(depth)));
        }
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            any::<u64>().prop_map(|n| Value::Number(n.into())),
            // Numbers as people type them; any float at all is in `num`'s tests,
            // where two equally short texts may be printed differently.
            (0u64..1_000_000_000_000_000, -30i32..30).prop_map(|(m, e)| float_value(format!("-{m}e{e}").parse().unwrap_or(0.0))),
            (0u64..1_000_000_000_000_000, -30i32..30).prop_map(|(m, e)| float_value(format!("{m}e{e}").parse().unwrap_or(0.0))),
            "\\PC*".prop_map(Value::String),
            "[\\x00-\\x20\"\\\\\u{7f}à]*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-zà\"]{0,4}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_round_trips_as_serde_json_writes_it(v in any_value()) {
            let text = to_string(&v);
            prop_assert_eq!(&text, &serde_json::to_string(&v).unwrap());
            prop_assert_eq!(to_string_pretty(&v), serde_json::to_string_pretty(&v).unwrap());
            prop_assert_eq!(parse(&text).unwrap(), v);
        }

        #[test]
        fn any_text_is_read_or_refused_as_serde_json_does(text in "[\\[\\]{}\",:0-9eE.+\\- a-z\\\\\n]{0,24}") {
            same(&text);
        }
    }
}
