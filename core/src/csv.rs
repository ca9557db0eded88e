//! CSV for people who open it in a spreadsheet: UTF-8 with a byte-order mark
//! (so Vietnamese shows right in Excel), RFC 4180 quoting, and text that a
//! spreadsheet would run as a formula made inert. Shared by the server's
//! export and the phone's, so both write the same file.

use serde_json::Value;

pub fn field(out: &mut String, text: &str) {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && crate::num::parse(text).is_none();
    let needs_quotes = risky || text.contains([',', '"', '\n', '\r']);
    if needs_quotes {
        out.push('"');
        if risky {
            out.push('\'');
        }
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// An answer as one cell: choices of a checkbox joined by "; ".
pub fn answer_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(answer_text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

pub fn row(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, c.as_ref());
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_and_defuses() {
        let mut out = String::new();
        row(&mut out, ["a,b", "say \"hi\"", "=SUM(A1)", "-3", "Hà Nội"]);
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",\"'=SUM(A1)\",-3,Hà Nội\r\n");
    }

    #[test]
    fn answers_as_cells() {
        assert_eq!(answer_text(&json!(["Zalo", "Facebook"])), "Zalo; Facebook");
        assert_eq!(answer_text(&json!(true)), "true");
        assert_eq!(answer_text(&json!(2.5)), "2.5");
    }
}
