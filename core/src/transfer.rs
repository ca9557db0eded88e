//! Reports leaving the device as a file and coming back: the escape hatch
//! when no endpoint works (another phone's outbox, or a server's listing).

use crate::json::{FromJson, ToJson, Writer};
use crate::outbox::Entry;
use crate::submission::Submission;
use serde_json::Value;

/// phieu's own export: every entry as stored, with when it was exported;
/// indented, for a person to read.
pub fn export(entries: &[Entry], exported_at: &str) -> String {
    crate::json::to_string_pretty(&Export { entries, exported_at })
}

struct Export<'a> {
    entries: &'a [Entry],
    exported_at: &'a str,
}

impl ToJson for Export<'_> {
    fn write_json(&self, w: &mut Writer) {
        // In the order of the keys, as the file was written before.
        w.begin_object();
        w.field("entries", &self.entries);
        w.field("exportedAt", &self.exported_at);
        w.field("phieu", &"outbox");
        w.end_object();
    }
}

/// Reads an export back: phieu's own file, a list of entries, bare
/// submissions, or a server's listing (`{"submissions": [{"submission"}]}`).
/// Everything comes in waiting to be sent from this device, queued at `now`;
/// the server drops what it already has, by id.
pub fn import(text: &str, now: f64) -> Result<Vec<Entry>, String> {
    let v = crate::json::parse(text).map_err(|e| format!("the file is not JSON: {e}"))?;
    let items = match v {
        Value::Object(mut o) if o.contains_key("entries") || o.contains_key("submissions") => {
            match o.remove("entries").or_else(|| o.remove("submissions")) {
                Some(Value::Array(a)) => a,
                _ => return Err("the file's list of reports is not a list".into()),
            }
        }
        Value::Array(a) => a,
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        // A listing's row, or an entry: the report is under "submission".
        let item = match item.get("submission") {
            Some(s) if item.get("state").is_none() => s.clone(),
            _ => item,
        };
        let entry = match Entry::from_json(&item) {
            Ok(e) => e,
            Err(_) => match Submission::from_json(&item) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::EntryState;
    use crate::submission::{FormRef, Meta};
    use serde_json::json;

    fn submission(id: &str) -> Submission {
        Submission {
            id: id.into(),
            form: FormRef { id: "f".into(), version: "1".into() },
            started_at: "2026-11-30T01:00:00.000Z".into(),
            completed_at: "2026-11-30T01:02:00.000Z".into(),
            answers: serde_json::from_value(json!({"q": "Hà Nội"})).expect("a map"),
            meta: Meta { locale: "vi".into(), app_version: "0.1.0".into(), replaces: None },
        }
    }

    #[test]
    fn an_export_imports_back_waiting_with_its_destination() {
        let mut sent = Entry::new(submission("a"), 5.0);
        sent.state = EntryState::Sent;
        sent.attempts = 3;
        sent.form_url = Some("forms/f.json".into());
        let text = export(&[sent.clone(), Entry::new(submission("b"), 6.0)], "2026-11-30T02:00:00.000Z");
        let back = import(&text, 100.0).expect("imports");
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].submission, sent.submission);
        assert_eq!((back[0].state, back[0].attempts, back[0].queued_at), (EntryState::Waiting, 0, 100.0));
        assert_eq!(back[0].form_url.as_deref(), Some("forms/f.json"));
    }

    #[test]
    fn the_export_holds_what_serde_wrote() {
        // Fields now come in the order they are sent in, not sorted as before.
        let entries = [Entry::new(submission("a"), 5.0), Entry::new(submission("b"), 6.5)];
        let before = json!({ "phieu": "outbox", "exportedAt": "t", "entries": entries });
        assert_eq!(crate::json::parse(&export(&entries, "t")).expect("json"), before);
    }

    #[test]
    fn bare_submissions_and_a_servers_listing_import_too() {
        let one = serde_json::to_string(&submission("a")).expect("json");
        assert_eq!(import(&one, 1.0).expect("one")[0].submission.id, "a");
        let list = json!([submission("a"), submission("b")]).to_string();
        assert_eq!(import(&list, 1.0).expect("list").len(), 2);
        let listing = json!({"submissions": [{"receivedAt": "x", "submission": submission("c")}], "next": null}).to_string();
        assert_eq!(import(&listing, 1.0).expect("listing")[0].submission.id, "c");
        let old_listing = json!([{"receivedAt": "x", "submission": submission("d")}]).to_string();
        assert_eq!(import(&old_listing, 1.0).expect("old listing")[0].submission.id, "d");
    }

    #[test]
    fn what_is_not_a_report_is_refused_with_a_reason() {
        assert!(import("{", 1.0).unwrap_err().starts_with("the file is not JSON"));
        assert!(import(r#"[{"id": 1}]"#, 1.0).unwrap_err().starts_with("an item is neither"));
        assert!(import(r#"{"entries": 3}"#, 1.0).unwrap_err().contains("not a list"));
    }
}
