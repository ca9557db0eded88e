//! Messages about a form definition, pointing at the exact place in the file.
//!
//! `serde_json::Value` forgets where things were, so positions are recovered
//! afterwards: [`locate`] walks the original text along a [`JsonPath`]. That
//! keeps the loader simple and costs nothing when a form has no problems.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where a value sits in a JSON document, e.g. `pages[0].elements[2].type`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Segment>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_string()));
        p
    }
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Index(i));
        p
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: JsonPath,
    pub message: String,
    /// 1-based line and column (in characters) in the source, when known.
    pub line: usize,
    pub column: usize,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `line:col: error: path: message`, the file name is the caller's to add.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {sev}: {}: {}", self.line, self.column, self.path, self.message)
    }
}

/// Byte offset of the value at `path` in `src`; for a path ending in a key,
/// the offset of that key, which is where an editor should put the cursor.
/// Falls back to the deepest part of the path that exists.
pub fn locate(src: &str, path: &JsonPath) -> usize {
    let mut s = Scanner { b: src.as_bytes(), i: 0 };
    s.ws();
    let mut found = s.i;
    for seg in &path.0 {
        match seg {
            Segment::Key(want) => {
                if s.peek() != Some(b'{') {
                    return found;
                }
                s.i += 1;
                loop {
                    s.ws();
                    if s.peek() != Some(b'"') {
                        return found;
                    }
                    let key_at = s.i;
                    let Some(key) = s.string() else { return found };
                    s.ws();
                    if s.peek() != Some(b':') {
                        return found;
                    }
                    s.i += 1;
                    s.ws();
                    if key == *want {
                        found = key_at;
                        break;
                    }
                    if !s.skip_value() {
                        return found;
                    }
                    s.ws();
                    if s.peek() == Some(b',') {
                        s.i += 1;
                    } else {
                        return found;
                    }
                }
            }
            Segment::Index(n) => {
                if s.peek() != Some(b'[') {
                    return found;
                }
                s.i += 1;
                for _ in 0..*n {
                    s.ws();
                    if !s.skip_value() {
                        return found;
                    }
                    s.ws();
                    if s.peek() == Some(b',') {
                        s.i += 1;
                    } else {
                        return found;
                    }
                }
                s.ws();
                found = s.i;
            }
        }
    }
    found
}

/// 1-based line and character column of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src.as_bytes()[..offset];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    /// Moves past a string token; false when it never ends.
    fn skip_string(&mut self) -> bool {
        self.i += 1;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            self.i += 1;
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                return true;
            }
        }
        false
    }
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        if !self.skip_string() {
            return None;
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).ok()?;
        crate::json::parse(text).ok()?.as_str().map(str::to_string)
    }
    /// Skips one value without recursion, so deep nesting cannot overflow.
    fn skip_value(&mut self) -> bool {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return false,
                Some(b'"') => {
                    if !self.skip_string() {
                        return false;
                    }
                }
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return false;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Some(b',' | b':') if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                Some(_) => {
                    while matches!(self.peek(), Some(c) if !b" \t\r\n,:]}".contains(&c)) {
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, path: &JsonPath) -> (usize, usize) {
        line_col(src, locate(src, path))
    }

    #[test]
    fn finds_keys_and_indexes() {
        let src = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": {\"d\": [true, null, \"é\", {\"e\": 2}]}\n}";
        let p = JsonPath::root();
        assert_eq!(at(src, &p.key("a")), (2, 3));
        assert_eq!(at(src, &p.key("a").index(1).key("b")), (2, 13));
        assert_eq!(at(src, &p.key("c").key("d").index(3).key("e")), (3, 33));
        assert_eq!(p.key("c").key("d").index(3).key("e").to_string(), "c.d[3].e");
    }

    #[test]
    fn missing_part_falls_back_to_deepest_found() {
        let src = "{\"a\": {\"b\": 1}}";
        let p = JsonPath::root().key("a").key("zzz");
        assert_eq!(at(src, &p), (1, 2));
    }

    #[test]
    fn counts_columns_in_characters() {
        let src = "{\"tiêu đề\": 1, \"x\": 2}";
        assert_eq!(at(src, &JsonPath::root().key("x")), (1, 16));
    }

    #[test]
    fn survives_garbage_and_deep_nesting() {
        let deep = "[".repeat(100_000);
        assert_eq!(locate(&deep, &JsonPath::root().index(0).key("a")), 1);
        let _ = locate("{\"a\": \"unterminated", &JsonPath::root().key("b"));
        let _ = locate("", &JsonPath::root().key("b").index(3));
    }
}
