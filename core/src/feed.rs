//! What the office sends back down to a phone (see `docs/office.md`): the
//! status and reply of each report this phone sent, and announcements and
//! topics to watch. The phone keeps the latest of each, and the cursor to ask
//! only for what is new, so it reads offline what was last fetched.
//!
//! Read and written by hand over `Value`, not derived: every derived type
//! costs the phone kilobytes of wasm.

use serde_json::{json, Map, Value};

/// How many announcements a phone keeps, newest first.
pub const KEEP_ANNOUNCEMENTS: usize = 50;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Feed {
    /// Where the next fetch starts; `None` before the first.
    pub cursor: Option<String>,
    /// The latest word on each report, newest first.
    pub replies: Vec<Reply>,
    /// Newest first.
    pub announcements: Vec<Announcement>,
}

/// The office's latest word on one report.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The submission id.
    pub submission: String,
    pub status: String,
    /// The office's answer, if it wrote one.
    pub reply: Option<String>,
    pub by: Option<String>,
    pub at: String,
    pub seq: u64,
    /// The person has seen it.
    pub read: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Announcement {
    /// `announcement` or `topic` (a topic to watch).
    pub kind: String,
    pub title: String,
    pub body: String,
    pub at: String,
    pub seq: u64,
}

impl Feed {
    /// Takes one page of `GET /api/feed`; whether anything changed. Events
    /// already taken (by `seq`) are skipped, so a page read twice is harmless.
    pub fn apply(&mut self, page: &Value) -> Result<bool, String> {
        let events = page.get("events").and_then(Value::as_array).ok_or("the feed has no list of events")?;
        let mut changed = false;
        for e in events {
            let Some(seq) = e.get("seq").and_then(Value::as_u64) else { continue };
            let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
            match e.get("kind").and_then(Value::as_str) {
                Some("status") => {
                    let Some(submission) = text("submission") else { continue };
                    if self.replies.iter().any(|r| r.submission == submission && r.seq >= seq) {
                        continue;
                    }
                    let earlier = self.replies.iter().position(|r| r.submission == submission).map(|i| self.replies.remove(i));
                    // A status change alone keeps the reply given before.
                    let reply = text("reply").filter(|r| !r.trim().is_empty()).or(earlier.and_then(|r| r.reply));
                    let status = text("status").unwrap_or_else(|| "received".into());
                    let (by, at) = (text("by"), text("at").unwrap_or_default());
                    self.replies.insert(0, Reply { submission, status, reply, by, at, seq, read: false });
                    changed = true;
                }
                Some(kind @ ("announcement" | "topic")) => {
                    if self.announcements.iter().any(|a| a.seq == seq) {
                        continue;
                    }
                    let a = Announcement {
                        kind: kind.to_string(),
                        title: text("title").unwrap_or_default(),
                        body: text("body").unwrap_or_default(),
                        at: text("at").unwrap_or_default(),
                        seq,
                    };
                    let at = self.announcements.iter().position(|b| b.seq < seq).unwrap_or(self.announcements.len());
                    self.announcements.insert(at, a);
                    self.announcements.truncate(KEEP_ANNOUNCEMENTS);
                    changed = true;
                }
                _ => {} // a kind this app does not know yet
            }
        }
        if let Some(next) = page.get("next").and_then(|n| n.as_str().map(str::to_string).or_else(|| n.as_u64().map(|n| n.to_string()))) {
            changed |= self.cursor.as_deref() != Some(next.as_str());
            self.cursor = Some(next);
        }
        Ok(changed)
    }

    /// The office's latest word on a report this phone sent.
    pub fn reply_for(&self, submission: &str) -> Option<&Reply> {
        self.replies.iter().find(|r| r.submission == submission)
    }

    /// Replies the person has not seen yet.
    pub fn unread(&self) -> usize {
        self.replies.iter().filter(|r| !r.read && r.reply.is_some()).count()
    }

    pub fn mark_read(&mut self) {
        self.replies.iter_mut().for_each(|r| r.read = true);
    }

    /// Whether a sent report still waits for the office: its receipt is kept
    /// past `keepSentDays` until the report is closed.
    pub fn is_open(&self, submission: &str) -> bool {
        self.reply_for(submission).is_none_or(|r| r.status != "closed")
    }

    pub fn to_json(&self) -> Value {
        let replies: Vec<Value> = self
            .replies
            .iter()
            .map(|r| {
                json!({"submission": r.submission, "status": r.status, "reply": r.reply, "by": r.by, "at": r.at, "seq": r.seq, "read": r.read})
            })
            .collect();
        let announcements: Vec<Value> = self
            .announcements
            .iter()
            .map(|a| json!({"kind": a.kind, "title": a.title, "body": a.body, "at": a.at, "seq": a.seq}))
            .collect();
        json!({"cursor": self.cursor, "replies": replies, "announcements": announcements})
    }

    /// As [`Self::to_json`] wrote it; what cannot be read is left out.
    pub fn from_json(v: &Value) -> Feed {
        let list = |k: &str| v.get(k).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let text = |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
        let replies = list("replies")
            .iter()
            .filter_map(Value::as_object)
            .filter_map(|o| {
                Some(Reply {
                    submission: text(o, "submission")?,
                    status: text(o, "status")?,
                    reply: text(o, "reply"),
                    by: text(o, "by"),
                    at: text(o, "at").unwrap_or_default(),
                    seq: o.get("seq")?.as_u64()?,
                    read: o.get("read").and_then(Value::as_bool).unwrap_or(false),
                })
            })
            .collect();
        let announcements = list("announcements")
            .iter()
            .filter_map(Value::as_object)
            .filter_map(|o| {
                Some(Announcement {
                    kind: text(o, "kind")?,
                    title: text(o, "title").unwrap_or_default(),
                    body: text(o, "body").unwrap_or_default(),
                    at: text(o, "at").unwrap_or_default(),
                    seq: o.get("seq")?.as_u64()?,
                })
            })
            .collect();
        Feed { cursor: v.get("cursor").and_then(Value::as_str).map(str::to_string), replies, announcements }
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
        assert_eq!(f.cursor.as_deref(), Some("3"));
        let a = f.reply_for("a").expect("a reply");
        assert_eq!((a.status.as_str(), a.reply.as_deref()), ("answered", Some("Đã xử lý")));
        assert_eq!(f.unread(), 1);
        // A later status change alone keeps the reply; closing ends the wait.
        f.apply(&json!({"events": [status(4, "a", "closed", None)], "next": "4"})).expect("a page");
        assert_eq!(f.reply_for("a").and_then(|r| r.reply.as_deref()), Some("Đã xử lý"));
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
        assert_eq!(f.reply_for("a").map(|r| r.status.as_str()), Some("answered"));
    }

    #[test]
    fn announcements_are_newest_first_and_bounded() {
        let mut f = Feed::default();
        let events: Vec<Value> = (1..=60).map(|i| announcement(i, &format!("n{i}"))).collect();
        f.apply(&json!({"events": events, "next": "60"})).expect("a page");
        assert_eq!(f.announcements.len(), KEEP_ANNOUNCEMENTS);
        assert_eq!((f.announcements[0].seq, f.announcements[KEEP_ANNOUNCEMENTS - 1].seq), (60, 11));
    }

    #[test]
    fn stored_and_read_back_the_same() {
        let mut f = Feed::default();
        f.apply(&json!({"events": [status(1, "a", "answered", Some("ok")), announcement(2, "T")], "next": 2})).expect("a page");
        f.replies[0].read = true;
        assert_eq!(Feed::from_json(&f.to_json()), f);
        assert_eq!(Feed::from_json(&json!("garbage")), Feed::default());
        assert!(Feed::default().apply(&json!({"error": "x"})).is_err());
    }

    #[test]
    fn statuses_read_in_both_languages() {
        assert_eq!(status_label("in_progress", "vi"), "đang xử lý");
        assert_eq!(status_label("in_progress", "en-GB"), "in progress");
        assert_eq!(status_label("unheard-of", "vi"), "unheard-of");
    }
}
