//! An unfinished report, saved on the device on every change.

use crate::answers::{is_comment_key, Answers};
use crate::form::{Form, Kind};
use crate::json::{Fields, FromJson, ToJson, Writer};
use crate::outbox::Entry;
use crate::submission::form_id_from_url;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Draft {
    pub id: String,
    pub form_url: String,
    pub form_id: String,
    /// The definition's version when the draft was started; the draft keeps
    /// that version even if the form changes on the server meanwhile.
    pub form_version: String,
    /// The form's title, for the list of drafts.
    pub title: Value,
    pub started_at: String,
    pub updated_at: f64,
    pub answers: Answers,
    /// Questions answered and questions in all, for the list of drafts.
    pub progress: (u32, u32),
    /// A failed submission this draft corrects.
    #[cfg_attr(feature = "serde", serde(default))]
    pub replaces: Option<String>,
    /// The page the person was on, so a reopened draft carries on there.
    #[cfg_attr(feature = "serde", serde(default))]
    pub page: usize,
}

/// Who made a new draft and when: the caller brings the id and the time.
pub struct Stamp {
    pub id: String,
    /// ISO 8601, for `startedAt`.
    pub started_at: String,
    /// Milliseconds since the epoch.
    pub now: f64,
}

impl Draft {
    /// A new, empty draft of `form`, opened from `url`.
    pub fn new(form: &Form, url: &str, stamp: Stamp) -> Draft {
        Draft {
            id: stamp.id,
            form_url: url.to_string(),
            form_id: form.id.clone().unwrap_or_else(|| form_id_from_url(url)),
            form_version: form.version.clone(),
            title: form.title.to_json(),
            started_at: stamp.started_at,
            updated_at: stamp.now,
            answers: Answers::new(),
            progress: (0, questions_in(form)),
            replaces: None,
            page: 0,
        }
    }

    /// A draft that corrects a report the server refused: its answers, its
    /// form version and start time; submitting it replaces the report.
    /// `None` when the report does not say where its form came from.
    pub fn correcting(entry: &Entry, title: Value, stamp: Stamp) -> Option<Draft> {
        let s = &entry.submission;
        let answered = s.answers.keys().filter(|k| !is_comment_key(k)).count() as u32;
        Some(Draft {
            id: stamp.id,
            form_url: entry.form_url.clone()?,
            form_id: s.form.id.clone(),
            form_version: s.form.version.clone(),
            title,
            started_at: s.started_at.clone(),
            updated_at: stamp.now,
            answers: s.answers.clone(),
            progress: (answered, answered),
            replaces: Some(s.id.clone()),
            page: 0,
        })
    }

    /// A copy to fill in as a new report (the same answers, a new start).
    pub fn duplicate(&self, stamp: Stamp) -> Draft {
        Draft { id: stamp.id, started_at: stamp.started_at, updated_at: stamp.now, replaces: None, ..self.clone() }
    }

    /// Takes the answers as they are now.
    pub fn record(&mut self, answers: Answers, now: f64) {
        self.progress.0 = answers.keys().filter(|k| !is_comment_key(k)).count() as u32;
        self.answers = answers;
        self.updated_at = now;
    }
}

/// The questions a person answers (computed ones left out), for progress.
fn questions_in(form: &Form) -> u32 {
    form.questions().filter(|q| !matches!(q.kind, Kind::Expression { .. })).count() as u32
}

impl ToJson for Draft {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("id", &self.id);
        w.field("formUrl", &self.form_url);
        w.field("formId", &self.form_id);
        w.field("formVersion", &self.form_version);
        w.field("title", &self.title);
        w.field("startedAt", &self.started_at);
        w.field("updatedAt", &self.updated_at);
        w.field("answers", &self.answers);
        w.field("progress", &self.progress);
        w.field("replaces", &self.replaces);
        w.field("page", &self.page);
        w.end_object();
    }
}

impl FromJson for Draft {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "draft")?;
        Ok(Draft {
            id: f.get("id")?,
            form_url: f.get("formUrl")?,
            form_id: f.get("formId")?,
            form_version: f.get("formVersion")?,
            title: f.get("title")?,
            started_at: f.get("startedAt")?,
            updated_at: f.get("updatedAt")?,
            answers: f.get("answers")?,
            progress: f.get("progress")?,
            replaces: f.or_default("replaces")?,
            page: f.or_default("page")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::{FormRef, Meta, Submission};
    use serde_json::json;

    fn stamp(id: &str) -> Stamp {
        Stamp { id: id.into(), started_at: "2026-11-30T08:00:00.000Z".into(), now: 1000.0 }
    }

    #[test]
    fn a_new_draft_takes_its_form_and_counts_its_questions() {
        let form = crate::load(r#"{"title": "Phản ánh", "elements": [{"type": "text", "name": "a"}, {"type": "radiogroup", "name": "b", "choices": ["x"], "showOtherItem": true},
            {"type": "expression", "name": "c", "expression": "1"}]}"#)
        .form
        .expect("valid");
        let mut d = Draft::new(&form, "https://x.vn/forms/bao-cao.json", stamp("d1"));
        assert_eq!((d.form_id.as_str(), d.progress), ("bao-cao", (0, 2)));
        assert_eq!(d.title, json!("Phản ánh"));
        d.record(serde_json::from_value(json!({"a": "1", "b": "other", "b-Comment": "x"})).expect("a map"), 2000.0);
        assert_eq!((d.progress, d.updated_at), ((2, 2), 2000.0), "Other's text is not a question of its own");
        let copy = d.duplicate(stamp("d2"));
        assert_eq!((copy.id.as_str(), &copy.answers, copy.replaces.as_deref()), ("d2", &d.answers, None));
    }

    #[test]
    fn a_correction_keeps_the_report_and_names_what_it_replaces() {
        let submission = Submission {
            id: "s1".into(),
            form: FormRef { id: "f".into(), version: "3".into() },
            started_at: "2026-11-29T01:00:00.000Z".into(),
            completed_at: "2026-11-29T01:05:00.000Z".into(),
            answers: serde_json::from_value(json!({"a": "1"})).expect("a map"),
            meta: Meta { locale: "vi".into(), app_version: "0".into(), replaces: None },
        };
        let mut entry = Entry::new(submission, 0.0);
        assert!(Draft::correcting(&entry, json!("F"), stamp("d")).is_none(), "no form to reopen");
        entry.form_url = Some("forms/f.json".into());
        let d = Draft::correcting(&entry, json!("F"), stamp("d")).expect("a draft");
        assert_eq!(d.replaces.as_deref(), Some("s1"));
        assert_eq!((d.form_version.as_str(), d.started_at.as_str()), ("3", "2026-11-29T01:00:00.000Z"));
        assert_eq!(d.answers.get("a"), Some(&json!("1")));
    }
}
