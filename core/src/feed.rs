//! What the office sends back down to a phone (see `docs/office.md`): the
//! status and reply of each report this phone sent, and announcements and
//! topics to watch. The phone keeps the latest of each, and the cursor to ask
//! only for what is new, so it reads offline what was last fetched.
//!
//! The feed is kept as the JSON it is stored as, `{"cursor", "replies",
//! "announcements"}`, each item as the server sent it (plus `read` on a
//! reply): no conversion to and from structs, which would cost the phone
//! kilobytes of wasm.

use serde_json::{json, Map, Value};

/// How many announcements a phone keeps, newest first.
pub const KEEP_ANNOUNCEMENTS: usize = 50;

#[derive(Clone, Debug, PartialEq)]
pub struct Feed(Value);

impl Default for Feed {
    fn default() -> Self {
        Feed(json!({"cursor": null, "replies": [], "announcements": []}))
    }
}

/// The office's latest word on one report: a `status` event as the server
/// sent it (`submission`, `status`, `reply`, `by`, `at`, `seq`).
pub type Reply = Map<String, Value>;
/// An `announcement` or `topic` event (`kind`, `title`, `body`, `at`, `seq`).
pub type Announcement = Map<String, Value>;

fn seq(item: &Map<String, Value>) -> u64 {
    item.get("seq").and_then(Value::as_u64).unwrap_or(0)
}

/// A text field of an event; empty when missing.
pub fn text<'a>(item: &'a Map<String, Value>, key: &str) -> &'a str {
    item.get(key).and_then(Value::as_str).unwrap_or("")
}

impl Feed {
    /// A feed as stored; what is not one starts empty.
    pub fn from_json(v: Value) -> Feed {
        match v {
            Value::Object(ref o)
                if o.get("replies").is_some_and(Value::is_array) && o.get("announcements").is_some_and(Value::is_array) =>
            {
                Feed(v)
            }
            _ => Feed::default(),
        }
    }

    /// The feed as it is stored.
    pub fn json(&self) -> &Value {
        &self.0
    }

    pub fn cursor(&self) -> Option<&str> {
        self.0.get("cursor").and_then(Value::as_str)
    }

    fn list(&self, key: &str) -> impl Iterator<Item = &Map<String, Value>> {
        self.0.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object)
    }

    fn list_mut(&mut self, key: &str) -> &mut Vec<Value> {
        let o = self.0.as_object_mut().expect("a feed is an object");
        match o.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(a) => a,
            other => {
                *other = Value::Array(Vec::new());
                other.as_array_mut().expect("just made")
            }
        }
    }

    /// Newest first.
    pub fn announcements(&self) -> impl Iterator<Item = &Announcement> {
        self.list("announcements")
    }

    /// Takes one page of `GET /api/feed`; whether anything changed. Events
    /// already taken (by `seq`) are skipped, so a page read twice is harmless.
    pub fn apply(&mut self, page: &Value) -> Result<bool, String> {
        let events = page.get("events").and_then(Value::as_array).ok_or("the feed has no list of events")?;
        let mut changed = false;
        for e in events.iter().filter_map(Value::as_object) {
            let n = seq(e);
            if n == 0 {
                continue;
            }
            match e.get("kind").and_then(Value::as_str) {
                Some("status") => {
                    let id = text(e, "submission");
                    if id.is_empty() || self.list("replies").any(|r| text(r, "submission") == id && seq(r) >= n) {
                        continue;
                    }
                    let replies = self.list_mut("replies");
                    let earlier =
                        replies.iter().position(|r| r.get("submission").and_then(Value::as_str) == Some(id)).map(|i| replies.remove(i));
                    let mut reply = e.clone();
                    // A status change alone keeps the reply given before.
                    if text(e, "reply").trim().is_empty() {
                        match earlier.as_ref().and_then(|r| r.get("reply")).filter(|r| r.as_str().is_some_and(|t| !t.trim().is_empty())) {
                            Some(before) => reply.insert("reply".into(), before.clone()),
                            None => reply.remove("reply"),
                        };
                    }
                    reply.insert("read".into(), Value::Bool(false));
                    replies.insert(0, Value::Object(reply));
                    changed = true;
                }
                Some("announcement" | "topic") => {
                    if self.announcements().any(|a| seq(a) == n) {
                        continue;
                    }
                    let list = self.list_mut("announcements");
                    let at = list.iter().position(|b| b.get("seq").and_then(Value::as_u64).unwrap_or(0) < n).unwrap_or(list.len());
                    list.insert(at, Value::Object(e.clone()));
                    list.truncate(KEEP_ANNOUNCEMENTS);
                    changed = true;
                }
                _ => {} // a kind this app does not know yet
            }
        }
        if let Some(next) = page.get("next").and_then(|n| n.as_str().map(str::to_string).or_else(|| n.as_u64().map(|n| n.to_string()))) {
            changed |= self.cursor() != Some(next.as_str());
            if let Some(o) = self.0.as_object_mut() {
                o.insert("cursor".into(), Value::String(next));
            }
        }
        Ok(changed)
    }

    /// The office's latest word on a report this phone sent.
    pub fn reply_for(&self, submission: &str) -> Option<&Reply> {
        self.list("replies").find(|r| text(r, "submission") == submission)
    }

    /// Replies the person has not seen yet.
    pub fn unread(&self) -> usize {
        self.list("replies").filter(|r| r.get("read") != Some(&Value::Bool(true)) && !text(r, "reply").is_empty()).count()
    }

    pub fn mark_read(&mut self) {
        for r in self.list_mut("replies").iter_mut().filter_map(Value::as_object_mut) {
            r.insert("read".into(), Value::Bool(true));
        }
    }

    /// Whether a sent report still waits for the office: its receipt is kept
    /// past `keepSentDays` until the report is closed.
    pub fn is_open(&self, submission: &str) -> bool {
        self.reply_for(submission).is_none_or(|r| text(r, "status") != "closed")
    }
}

/// A report's status as a person reads it (Vietnamese unless `locale` is English).
pub fn status_label<'a>(status: &'a str, locale: &str) -> &'a str {
    let en = locale.starts_with("en");
    let (vi, english) = match status {
        "new" => ("mới", "new"),
        "received" => ("đã tiếp nhận", "received"),
        "in_progress" => ("đang xử lý", "in progress"),
        "answered" => ("đã trả lời", "answered"),
        "closed" => ("đã đóng", "closed"),
        other => (other, other),
    };
    if en {
        english
    } else {
        vi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(seq: u64, id: &str, status: &str, reply: Option<&str>) -> Value {
        json!({"seq": seq, "at": "2026-11-30T08:00:00.000Z", "kind": "status", "submission": id, "status": status, "reply": reply, "by": "Bình"})
    }

    fn announcement(seq: u64, title: &str) -> Value {
        json!({"seq": seq, "at": "2026-11-30T09:00:00.000Z", "kind": "announcement", "title": title, "body": "…", "unit": null})
    }

    #[test]
    fn pages_bring_the_latest_word_on_each_report() {
        let mut f = Feed::default();
        let page = json!({"events": [status(1, "a", "received", None), status(2, "a", "answered", Some("Đã xử lý")), announcement(3, "Chủ đề tuần")], "next": "3"});
        assert_eq!(f.apply(&page), Ok(true));
        assert_eq!(f.cursor(), Some("3"));
        let a = f.reply_for("a").expect("a reply");
        assert_eq!((text(a, "status"), text(a, "reply")), ("answered", "Đã xử lý"));
        assert_eq!(f.unread(), 1);
        // A later status change alone keeps the reply; closing ends the wait.
        f.apply(&json!({"events": [status(4, "a", "closed", None)], "next": "4"})).expect("a page");
        assert_eq!(f.reply_for("a").map(|r| text(r, "reply")), Some("Đã xử lý"));
        assert!(!f.is_open("a") && f.is_open("never-answered"));
        f.mark_read();
        assert_eq!(f.unread(), 0);
    }

    #[test]
    fn a_page_read_twice_changes_nothing_and_old_events_never_win() {
        let mut f = Feed::default();
        let page = json!({"events": [status(5, "a", "answered", Some("x")), announcement(6, "A")], "next": "6"});
        f.apply(&page).expect("a page");
        let before = f.clone();
        assert_eq!(f.apply(&page), Ok(false));
        assert_eq!(f, before);
        f.apply(&json!({"events": [status(2, "a", "received", None)], "next": "6"})).expect("a page");
        assert_eq!(f.reply_for("a").map(|r| text(r, "status")), Some("answered"));
    }

    #[test]
    fn announcements_are_newest_first_and_bounded() {
        let mut f = Feed::default();
        let events: Vec<Value> = (1..=60).map(|i| announcement(i, &format!("n{i}"))).collect();
        f.apply(&json!({"events": events, "next": "60"})).expect("a page");
        let seqs: Vec<u64> = f.announcements().map(seq).collect();
        assert_eq!(seqs.len(), KEEP_ANNOUNCEMENTS);
        assert_eq!((seqs[0], seqs[KEEP_ANNOUNCEMENTS - 1]), (60, 11));
    }

    #[test]
    fn stored_and_read_back_the_same() {
        let mut f = Feed::default();
        f.apply(&json!({"events": [status(1, "a", "answered", Some("ok")), announcement(2, "T")], "next": 2})).expect("a page");
        f.mark_read();
        let stored = serde_json::to_string(f.json()).expect("json");
        assert_eq!(Feed::from_json(serde_json::from_str(&stored).expect("json")), f);
        assert_eq!(f.cursor(), Some("2"));
        assert_eq!(Feed::from_json(json!("garbage")), Feed::default());
        assert!(Feed::default().apply(&json!({"error": "x"})).is_err());
    }

    #[test]
    fn statuses_read_in_both_languages() {
        assert_eq!(status_label("in_progress", "vi"), "đang xử lý");
        assert_eq!(status_label("in_progress", "en-GB"), "in progress");
        assert_eq!(status_label("unheard-of", "vi"), "unheard-of");
    }
}
