//! Export and import: the escape hatch when no endpoint works. Reports leave
//! the device as a JSON file (which imports back into another phone's
//! outbox) or as CSV for a spreadsheet, by download or by the share sheet
//! (Zalo, e-mail).

use crate::storage;
use phieu_core::{csv, transfer};
use phieu_core::{Entry, EntryState};

pub fn to_json(entries: &[Entry]) -> String {
    transfer::export(entries, &crate::platform::now_iso())
}

/// One row per report, one column per question in the form's order,
/// choices as their values; the second header row has the question titles.
/// The same table as the server's export (`phieu_core::csv::Table`), with the
/// outbox `state` (sent, failed, waiting) where the server has `receivedAt`.
/// Masked answers read as their boxes show them, so a form with a mask
/// first has the mask module loaded (without it, they read as stored).
pub async fn to_csv(entries: &[Entry], locale: &str) -> String {
    let form = |e: &Entry| storage::stored_form(e.form_url.as_deref(), &e.submission.form.id, &e.submission.form.version);
    if entries.iter().any(|e| form(e).is_some_and(|f| f.has_masks())) {
        let _ = crate::platform::masks().await;
    }
    let mut table = csv::Table::new("state");
    for e in entries {
        // Parsed once per version (`stored_form` keeps it); a known column is skipped in O(1).
        if let Some(f) = form(e) {
            table.form(&f, locale);
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

/// Reads an export back (see `phieu_core::transfer::import`): everything
/// comes in waiting to be sent from this device.
pub fn parse_import(text: &str) -> Result<Vec<Entry>, String> {
    transfer::import(text, crate::platform::now_ms())
}
