//! CSV for people who open it in a spreadsheet: UTF-8 with a byte-order mark
//! (so Vietnamese shows right in Excel), RFC 4180 quoting, and text that a
//! spreadsheet would run as a formula made inert.
//!
//! [`Table`] is the one table builder: the server's export (`phieu serve`,
//! `/api/submissions.csv`) and the phone's (`src/export.rs`) both use it, so
//! the same reports give the same columns. The only difference is the last
//! fixed column, which says what only that side knows: `receivedAt` on the
//! server, the outbox `state` on the phone.

use crate::sort::position;
use crate::{Form, Submission};
use serde_json::{Map, Value};

/// The byte-order mark every export starts with.
pub const BOM: &str = "\u{feff}";

/// The fixed columns before the answers; the caller names one more after them.
pub const FIXED: [&str; 6] = ["id", "form", "formVersion", "startedAt", "completedAt", "locale"];

/// Writes one cell. Quoted when it holds `,`, `;`, a quote or a line break:
/// `;` because spreadsheets set to `;` separators (the usual Vietnamese
/// setting) would split an unquoted `x;=1+1` and run its second half. Text a
/// spreadsheet would run as a formula gets a `'` in front; numbers such as
/// `-3` stay numbers.
pub fn field(out: &mut String, text: &str) {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && crate::num::parse(text).is_none();
    let needs_quotes = risky || text.contains([',', ';', '"', '\n', '\r']);
    if needs_quotes {
        out.push('"');
        if risky {
            out.push('\'');
        }
        for (i, part) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
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
        other => crate::json::to_string(other),
    }
}

/// One line of cells, ended by CRLF.
pub fn row(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, c.as_ref());
    }
    out.push_str("\r\n");
}

/// The fixed cells of one report.
pub struct Fixed<'a> {
    pub id: &'a str,
    pub form: &'a str,
    pub form_version: &'a str,
    pub started_at: &'a str,
    pub completed_at: &'a str,
    pub locale: &'a str,
    /// The cell of the caller's own last fixed column.
    pub last: &'a str,
}

impl<'a> Fixed<'a> {
    pub fn of(s: &'a Submission, last: &'a str) -> Self {
        Fixed {
            id: &s.id,
            form: &s.form.id,
            form_version: &s.form.version,
            started_at: &s.started_at,
            completed_at: &s.completed_at,
            locale: &s.meta.locale,
            last,
        }
    }
}

/// A CSV table of reports: the [`FIXED`] columns and the caller's last one,
/// then one column per answer name: a known form's questions in its order
/// (added with [`Table::form`]), then other names in the order they are first
/// seen (added with [`Table::answers`]). Two header rows: the names, then the
/// questions' titles (a name where no title is known). Then one
/// [`Table::row`] per report.
///
/// Every name must be added before the first row is written, so a caller that
/// streams makes one pass over the reports for the names, then one for the rows.
/// Finding a name is O(log n); a row costs its answers plus its columns.
pub struct Table {
    last: &'static str,
    names: Vec<String>,
    titles: Vec<String>,
    /// Each name's column, sorted by name.
    index: Vec<(String, usize)>,
}

impl Table {
    /// `last` names the column after [`FIXED`]: `receivedAt`, `state`.
    pub fn new(last: &'static str) -> Table {
        Table { last, names: Vec::new(), titles: Vec::new(), index: Vec::new() }
    }

    /// Adds a column for `name` unless there is one.
    pub fn column(&mut self, name: &str, title: &str) {
        if let Err(at) = position(&self.index, name) {
            self.index.insert(at, (name.to_string(), self.names.len()));
            self.names.push(name.to_string());
            self.titles.push(title.to_string());
        }
    }

    /// The form's questions, in its order, titled in `locale`.
    pub fn form(&mut self, form: &Form, locale: &str) {
        for q in form.questions() {
            self.column(&q.name, q.title.get(locale));
            // A matrix's totals, sent beside it as SurveyJS keeps them, in the column after it.
            if let crate::Kind::Grid(g) = &q.kind {
                if g.totals.iter().any(Option::is_some) {
                    let title = g.total_text.as_ref().map_or_else(|| crate::form::total_key(&q.name), |t| t.get(locale).to_string());
                    self.column(&crate::form::total_key(&q.name), &title);
                }
            }
        }
    }

    /// Every answer's name not seen yet, titled with the name.
    pub fn answers(&mut self, answers: &Map<String, Value>) {
        for k in answers.keys() {
            self.column(k, k);
        }
    }

    /// The answer columns' names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The byte-order mark and the two header rows.
    pub fn header(&self, out: &mut String) {
        out.push_str(BOM);
        row(out, FIXED.iter().copied().chain([self.last]).chain(self.names.iter().map(String::as_str)));
        row(out, FIXED.iter().map(|_| "").chain([""]).chain(self.titles.iter().map(String::as_str)));
    }

    /// One report. An answer whose name was never added has no column; it is
    /// left out (and a debug build stops), so add every name first.
    pub fn row(&self, out: &mut String, fixed: &Fixed, answers: &Map<String, Value>) {
        let mut cells: Vec<Option<&Value>> = vec![None; self.names.len()];
        for (k, v) in answers {
            match position(&self.index, k) {
                Ok(i) => cells[self.index[i].1] = Some(v),
                Err(_) => debug_assert!(false, "csv::Table::row: no column for answer '{k}'"),
            }
        }
        let f = fixed;
        for cell in [f.id, f.form, f.form_version, f.started_at, f.completed_at, f.locale, f.last] {
            field(out, cell);
            out.push(',');
        }
        for cell in &cells {
            if let Some(v) = cell {
                field(out, &answer_text(v));
            }
            out.push(',');
        }
        out.pop();
        out.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn quotes_and_defuses() {
        let mut out = String::new();
        row(&mut out, ["a,b", "say \"hi\"", "=SUM(A1)", "-3", "Hà Nội"]);
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",\"'=SUM(A1)\",-3,Hà Nội\r\n");
    }

    #[test]
    fn semicolons_are_quoted_so_a_semicolon_spreadsheet_keeps_one_cell() {
        let mut out = String::new();
        row(&mut out, [";=1+1", "a;b", "=1;2"]);
        assert_eq!(out, "\";=1+1\",\"a;b\",\"'=1;2\"\r\n");
    }

    #[test]
    fn answers_as_cells() {
        assert_eq!(answer_text(&json!(["Zalo", "Facebook"])), "Zalo; Facebook");
        assert_eq!(answer_text(&json!(true)), "true");
        assert_eq!(answer_text(&json!(2.5)), "2.5");
    }

    fn answers(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn fixed<'a>(id: &'a str, last: &'a str) -> Fixed<'a> {
        Fixed { id, form: "f", form_version: "1", started_at: "s", completed_at: "c", locale: "vi", last }
    }

    #[test]
    fn a_table_has_the_form_order_then_names_in_first_seen_order() {
        let form = crate::load(
            r#"{"elements": [{"type": "text", "name": "b", "title": {"vi": "Bê", "en": "Bee"}}, {"type": "text", "name": "a"}]}"#,
        )
        .form
        .unwrap();
        let mut t = Table::new("receivedAt");
        t.form(&form, "vi");
        let one = answers(json!({"z": 1, "a": "x"}));
        let two = answers(json!({"y": ["p", "q"], "b": "B", "z": 2}));
        t.answers(&one);
        t.answers(&two);
        assert_eq!(t.names(), ["b", "a", "z", "y"]);
        let mut out = String::new();
        t.header(&mut out);
        t.row(&mut out, &fixed("1", "r1"), &one);
        t.row(&mut out, &fixed("2", "r2"), &two);
        assert_eq!(
            out,
            "\u{feff}id,form,formVersion,startedAt,completedAt,locale,receivedAt,b,a,z,y\r\n\
             ,,,,,,,Bê,a,z,y\r\n\
             1,f,1,s,c,vi,r1,,x,1,\r\n\
             2,f,1,s,c,vi,r2,B,,2,\"p; q\"\r\n"
        );
    }

    #[test]
    fn a_matrix_is_one_cell_of_surveyjs_json_and_its_totals_the_next() {
        let form = crate::load(
            r#"{"elements": [{"type": "matrixdynamic", "name": "m", "columns": [{"name": "a", "cellType": "text", "totalType": "sum"}]},
                {"type": "matrixdropdown", "name": "d", "rows": ["r"], "columns": [{"name": "c"}]}]}"#,
        )
        .form
        .unwrap();
        let mut t = Table::new("receivedAt");
        t.form(&form, "vi");
        assert_eq!(t.names(), ["m", "m-total", "d"]);
        let a = answers(json!({"m": [{"a": 2}, {"a": 3}], "m-total": {"a": 5}, "d": {"r": {"c": "x"}}}));
        let mut out = String::new();
        t.row(&mut out, &fixed("1", "r1"), &a);
        assert_eq!(out, "1,f,1,s,c,vi,r1,\"{\"\"a\"\":2}; {\"\"a\"\":3}\",\"{\"\"a\"\":5}\",\"{\"\"r\"\":{\"\"c\"\":\"\"x\"\"}}\"\r\n");
    }

    #[test]
    fn a_matrix_in_a_repeat_travels_in_its_repeat_with_its_totals() {
        let form = crate::load(
            r#"{"elements": [{"type": "paneldynamic", "name": "p", "templateElements": [
                {"type": "matrixdynamic", "name": "m", "columns": [{"name": "a", "cellType": "text", "totalType": "sum"}]}]}]}"#,
        )
        .form
        .unwrap();
        let mut t = Table::new("receivedAt");
        t.form(&form, "vi");
        assert_eq!(t.names(), ["p"]);
        let a = answers(json!({"p": [{"m": [{"a": 2}], "m-total": {"a": 2}}]}));
        let mut out = String::new();
        t.row(&mut out, &fixed("1", "r1"), &a);
        assert_eq!(out, "1,f,1,s,c,vi,r1,\"{\"\"m\"\":[{\"\"a\"\":2}],\"\"m-total\"\":{\"\"a\"\":2}}\"\r\n");
    }

    #[test]
    fn many_names_cost_linear_time() {
        // One hostile report with many names: a quadratic column check would
        // take minutes. Compared by growth, not by a deadline, so a slow or
        // busy machine does not fail it: 4× the names costs about 4× the time
        // when linear, 16× when quadratic.
        fn cost(n: usize) -> std::time::Duration {
            let many: Map<String, Value> = (0..n).map(|i| (format!("k{i}"), json!(i))).collect();
            (0..3)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let mut t = Table::new("state");
                    t.answers(&many);
                    t.answers(&many);
                    let mut out = String::new();
                    t.header(&mut out);
                    t.row(&mut out, &fixed("1", "sent"), &many);
                    t.row(&mut out, &fixed("2", "sent"), &Map::new());
                    assert_eq!(t.names().len(), n);
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        }
        let (small, large) = (cost(25_000), cost(100_000));
        let growth = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        assert!(growth < 9.0, "4x the names took {growth:.1}x the time ({small:?} → {large:?})");
    }

    /// Reads one line of RFC 4180 CSV back into cells.
    fn parse_line(line: &str) -> Vec<String> {
        let mut cells = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cells.last_mut().unwrap().push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cells.last_mut().unwrap().push(c),
                (false, '"') => quoted = true,
                (false, ',') => cells.push(String::new()),
                (false, c) => cells.last_mut().unwrap().push(c),
            }
        }
        cells
    }

    proptest! {
        #[test]
        fn any_cells_read_back_and_never_split_or_run(cells in proptest::collection::vec(any::<String>(), 1..6)) {
            let mut out = String::new();
            row(&mut out, &cells);
            prop_assert!(out.ends_with("\r\n"));
            let back = parse_line(&out[..out.len() - 2]);
            prop_assert_eq!(back.len(), cells.len());
            for (cell, read) in cells.iter().zip(&back) {
                // What a spreadsheet would run as a formula comes back behind a '.
                let expected = if read.starts_with('\'') && !cell.starts_with('\'') { format!("'{cell}") } else { cell.clone() };
                prop_assert_eq!(read, &expected);
            }
            // Outside quotes there is no separator of any kind and no line break.
            let mut quoted = false;
            for c in out[..out.len() - 2].chars() {
                if c == '"' { quoted = !quoted; }
                prop_assert!(quoted || !matches!(c, ';' | '\n' | '\r'), "{:?}", out);
            }
            // A cell never starts with a formula character unless it is a number.
            for cell in &cells {
                let mut f = String::new();
                field(&mut f, cell);
                let inner = f.strip_prefix('"').unwrap_or(&f);
                prop_assert!(!inner.starts_with(['=', '+', '-', '@', '\t', '\r']) || crate::num::parse(cell).is_some(), "{:?}", f);
            }
        }

        #[test]
        fn any_answers_make_rows_of_the_header_width(
            reports in proptest::collection::vec(proptest::collection::btree_map("[a-z;,\"=]{0,4}", any::<i64>(), 0..5), 0..5)
        ) {
            let reports: Vec<Map<String, Value>> =
                reports.into_iter().map(|m| m.into_iter().map(|(k, v)| (k, json!(v))).collect()).collect();
            let mut t = Table::new("state");
            for r in &reports { t.answers(r); }
            let mut out = String::new();
            t.header(&mut out);
            for r in &reports { t.row(&mut out, &fixed("id", "sent"), r); }
            let lines: Vec<Vec<String>> = out.trim_end_matches("\r\n").split("\r\n").map(parse_line).collect();
            prop_assert_eq!(lines.len(), 2 + reports.len());
            let width = FIXED.len() + 1 + t.names().len();
            for l in &lines { prop_assert_eq!(l.len(), width); }
            for (r, l) in reports.iter().zip(&lines[2..]) {
                for (k, v) in r {
                    let col = FIXED.len() + 1 + t.names().iter().position(|n| n == k).unwrap();
                    prop_assert_eq!(&l[col], &v.to_string());
                }
            }
        }
    }
}
