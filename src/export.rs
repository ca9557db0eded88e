//! Export and import: the escape hatch when no endpoint works. Reports leave
//! the device as a JSON file (which imports back into another phone's
//! outbox) or as CSV for a spreadsheet, by download or by the share sheet
//! (Zalo, e-mail).

use crate::storage;
use phieu_core::csv;
use phieu_core::{Entry, EntryState, Submission};
use serde_json::{json, Value};

pub fn to_json(entries: &[Entry]) -> String {
    let doc = json!({ "phieu": "outbox", "exportedAt": crate::platform::now_iso(), "entries": entries });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// One row per report, one column per question in the form's order,
/// choices as their values; the second header row has the question titles.
/// The same table as the server's export (`phieu_core::csv::Table`), with the
/// outbox `state` (sent, failed, waiting) where the server has `receivedAt`.
pub fn to_csv(entries: &[Entry], locale: &str) -> String {
    let mut table = csv::Table::new("state");
    // Each form version is read once, however many reports it has.
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for e in entries {
        let form = (e.submission.form.id.as_str(), e.submission.form.version.as_str());
        if !seen.contains(&form) {
            seen.push(form);
            if let Some(f) = storage::form_by_version(form.0, form.1).and_then(|t| phieu_core::load(&t).form) {
                table.form(&f, locale);
            }
        }
        table.answers(&e.submission.answers);
    }
    let mut out = String::new();
    table.header(&mut out);
    for e in entries {
        let state = match e.state {
            EntryState::Sent => "sent",
            EntryState::Failed => "failed",
            _ => "waiting",
        };
        table.row(&mut out, &csv::Fixed::of(&e.submission, state), &e.submission.answers);
    }
    out
}

/// Reads an export back: phieu's own file, a list of entries, or bare
/// submissions (as a server would list them). Everything comes in waiting
/// to be sent from this device; the server drops what it already has.
pub fn parse_import(text: &str) -> Result<Vec<Entry>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("the file is not JSON: {e}"))?;
    let items = match &v {
        Value::Object(o) if o.contains_key("entries") => o["entries"].as_array().cloned().unwrap_or_default(),
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let now = crate::platform::now_ms();
    let mut out = Vec::new();
    for item in items {
        let item = item.get("submission").cloned().filter(|_| item.get("state").is_none()).unwrap_or(item);
        let entry = match crate::storage::typed::<Entry>(item.clone()) {
            Ok(e) => e,
            Err(_) => match crate::storage::typed::<Submission>(item) {
                Ok(s) => Entry::new(s, now),
                Err(e) => return Err(format!("an item is neither a phieu report nor a submission: {e}")),
            },
        };
        let mut fresh = Entry::new(entry.submission, now);
        fresh.target = entry.target;
        fresh.form_url = entry.form_url;
        out.push(fresh);
    }
    Ok(out)
}
