//! The CSV table: any JSON reports give a header and one row each, every
//! line as wide as the header, with no line break or separator outside quotes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phieu_core::csv::{Fixed, Table};
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Array(reports)) = serde_json::from_slice::<Value>(data) else { return };
    let answers: Vec<Map<String, Value>> = reports.into_iter().filter_map(|r| r.as_object().cloned()).collect();
    let mut table = Table::new("state");
    for a in &answers {
        table.answers(a);
    }
    let mut out = String::new();
    table.header(&mut out);
    for (i, a) in answers.iter().enumerate() {
        let id = i.to_string();
        let text = a.keys().next().map(String::as_str).unwrap_or("");
        let fixed = Fixed { id: &id, form: text, form_version: text, started_at: "", completed_at: "", locale: "", last: "sent" };
        table.row(&mut out, &fixed, a);
    }
    // Split into records, honouring quotes; count cells.
    let width = phieu_core::csv::FIXED.len() + 1 + table.names().len();
    let (mut quoted, mut cells, mut lines) = (false, 1, 0);
    let body = out.strip_prefix(phieu_core::csv::BOM).unwrap();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cells += 1,
            ';' if !quoted => panic!("a ';' outside quotes: {out:?}"),
            '\r' if !quoted => {
                assert_eq!(chars.next(), Some('\n'));
                assert_eq!(cells, width, "{out:?}");
                cells = 1;
                lines += 1;
            }
            '\n' if !quoted => panic!("a bare line feed outside quotes: {out:?}"),
            _ => {}
        }
    }
    assert!(!quoted);
    assert_eq!(lines, 2 + answers.len());
});
