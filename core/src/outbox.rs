//! The outbox: finished responses waiting to reach the server, and the rules
//! for when to try again.
//!
//! This is a pure state machine. The browser adapter tells it what happened
//! ([`Outcome`]) and the time; it answers what to keep and when to wake up.
//! Time and randomness come from outside so that every rule can be tested
//! natively, including thousands of random fault sequences.
//!
//! The one rule that matters most: an entry leaves the outbox only on
//! [`Outcome::Accepted`], a 2xx that was not redirected.

use crate::json::{Fields, FromJson, ToJson, Writer};
use crate::submission::Submission;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Entry {
    pub submission: Submission,
    pub state: EntryState,
    /// Failed attempts so far; drives the backoff.
    pub attempts: u32,
    /// Milliseconds since the epoch before which no new attempt is made.
    pub next_attempt_at: f64,
    pub queued_at: f64,
    /// The last failure, in words (English, for exports and logs).
    pub last_error: Option<String>,
    /// The last failure, for the app to put in the person's language.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub problem: Option<Problem>,
    /// When the server acknowledged it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub sent_at: Option<f64>,
    /// The earliest next attempt the server asked for (`Retry-After`); neither
    /// the `online` event nor "send now" goes before it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub not_before: f64,
    /// Where it goes, when its form says (`phieu.submit`); else the app's endpoint.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub target: Option<Destination>,
    /// Where its form definition came from, to reopen it for a correction.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub form_url: Option<String>,
}

/// A form's own endpoint: `phieu.submit` in the definition.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Destination {
    pub url: Option<String>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub headers: Vec<(String, String)>,
    /// Send the answers alone, for webhooks and spreadsheet scripts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub flat: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum EntryState {
    /// Queued; will be sent when due and a connection is there.
    Waiting,
    /// A request is under way. Never stored: after a restart it is `Waiting`
    /// again and the resend carries the same id.
    Sending,
    /// The server has it. Kept for a while as a receipt, then pruned.
    Sent,
    /// The server refused it for a reason a retry cannot fix.
    Failed,
}

impl Entry {
    pub fn new(submission: Submission, now: f64) -> Self {
        Entry {
            submission,
            state: EntryState::Waiting,
            attempts: 0,
            next_attempt_at: now,
            queued_at: now,
            last_error: None,
            problem: None,
            sent_at: None,
            not_before: 0.0,
            target: None,
            form_url: None,
        }
    }
    pub fn id(&self) -> &str {
        &self.submission.id
    }
    /// Still the person's concern: not yet acknowledged by the server.
    pub fn is_pending(&self) -> bool {
        self.state != EntryState::Sent
    }
}

/// Why the last attempt did not deliver an entry.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", tag = "kind"))]
pub enum Problem {
    NoConnection,
    Timeout,
    /// A captive portal, most likely.
    Redirected,
    /// The server answered, with its own words.
    Server {
        code: u16,
        message: String,
    },
    /// The app would not send the access token unencrypted (plain http off
    /// this machine); see [`crate::submission::may_carry_secret`].
    Insecure,
    /// A file the report names is neither on the server nor on this phone
    /// any more: only a correction (without it, or with it again) can be sent.
    FileLost {
        name: String,
    },
}

/// What became of one upload attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A 2xx response that was not redirected.
    Accepted,
    /// The request was redirected: a captive portal or a misconfigured endpoint.
    Redirected,
    /// No response at all: offline, DNS, connection reset.
    NetworkError(String),
    Timeout,
    /// Any other HTTP answer.
    Status {
        code: u16,
        retry_after_secs: Option<f64>,
        message: String,
    },
    /// Not sent: the access token would have crossed a network in clear text.
    Insecure,
    /// Not sent: a file it names is missing on the server and on the phone.
    FileLost(String),
}

/// Capped exponential backoff with jitter, so that a fleet of phones coming
/// back online together does not hit the server in one wave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    pub base_ms: f64,
    pub cap_ms: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { base_ms: 2_000.0, cap_ms: 300_000.0 }
    }
}

impl Backoff {
    /// The wait after the `attempts`-th failure; `jitter` is uniform in [0, 1).
    /// Half the delay is fixed and half random, so it never collapses to zero.
    pub fn delay_ms(&self, attempts: u32, jitter: f64) -> f64 {
        let exp = self.base_ms * 2f64.powi(attempts.saturating_sub(1).min(30) as i32);
        let d = exp.min(self.cap_ms);
        d / 2.0 + d / 2.0 * crate::num::clamp(jitter, 0.0, 1.0)
    }
}

/// What [`Outbox::finish`] decided; either way, store the entry as given.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The server has it: the entry is now `Sent`.
    Delivered(Entry),
    /// It stays to be sent again (or, if `Failed`, to be fixed).
    Kept(Entry),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    entries: Vec<Entry>,
    pub backoff: Backoff,
    /// Set when the server asked for credentials (401/403), or the token
    /// could not be sent safely: nothing is sent until the person has changed
    /// the settings and [`Outbox::resume`] is called.
    paused: Option<String>,
}

impl Outbox {
    /// Builds the outbox from stored entries; an entry stored mid-send is waiting.
    pub fn new(mut entries: Vec<Entry>) -> Self {
        for e in &mut entries {
            if e.state == EntryState::Sending {
                e.state = EntryState::Waiting;
            }
        }
        // Storage hands entries back in any order, and there may be thousands.
        crate::sort::sort_by(&mut entries, |a, b| a.queued_at.total_cmp(&b.queued_at).is_lt());
        Outbox { entries, backoff: Backoff::default(), paused: None }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id() == id)
    }

    /// Every entry, the sent archive included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many are not yet acknowledged: what the person is told is waiting.
    pub fn pending(&self) -> usize {
        self.entries.iter().filter(|e| e.is_pending()).count()
    }

    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Takes an entry as another tab stored it: replaces ours or adds it.
    /// An entry this tab is sending right now is left alone.
    pub fn upsert(&mut self, entry: Entry) {
        match self.entries.iter_mut().find(|e| e.id() == entry.id()) {
            Some(e) if e.state == EntryState::Sending => {}
            Some(e) => *e = entry,
            None => self.entries.push(entry),
        }
    }

    /// Another tab removed an entry (a pruned receipt, a replaced failure).
    pub fn forget(&mut self, id: &str) {
        self.entries.retain(|e| e.id() != id || e.state == EntryState::Sending);
    }

    /// Only one request is in flight at a time.
    pub fn is_sending(&self) -> bool {
        self.entries.iter().any(|e| e.state == EntryState::Sending)
    }

    /// Why sending is paused, if it is.
    pub fn paused(&self) -> Option<&str> {
        self.paused.as_deref()
    }

    /// Credentials were given: everything waiting is due again.
    pub fn resume(&mut self, now: f64) {
        self.paused = None;
        self.retry_now(now);
    }

    /// The oldest waiting entry that is due, unless a request is under way
    /// or the queue is paused.
    pub fn next_due(&self, now: f64) -> Option<&Entry> {
        if self.is_sending() || self.paused.is_some() {
            return None;
        }
        self.entries.iter().find(|e| e.state == EntryState::Waiting && e.next_attempt_at <= now)
    }

    /// When the next waiting entry falls due, for the wake-up timer.
    pub fn next_wake(&self) -> Option<f64> {
        if self.paused.is_some() {
            return None;
        }
        self.entries.iter().filter(|e| e.state == EntryState::Waiting).map(|e| e.next_attempt_at).min_by(f64::total_cmp)
    }

    /// The connection is back: everything waiting is due now.
    pub fn retry_now(&mut self, now: f64) {
        for e in &mut self.entries {
            if e.state == EntryState::Waiting {
                e.next_attempt_at = e.next_attempt_at.min(now).max(e.not_before);
            }
        }
    }

    /// "Send now" on one entry: a waiting one is due at once, a failed one
    /// is tried again as it is. Returns the entry to store.
    pub fn send_now(&mut self, id: &str, now: f64) -> Option<Entry> {
        let e = self.entries.iter_mut().find(|e| e.id() == id && matches!(e.state, EntryState::Waiting | EntryState::Failed))?;
        e.state = EntryState::Waiting;
        e.next_attempt_at = now.max(e.not_before);
        Some(e.clone())
    }

    /// Marks an entry as being sent; `None` if it is not there or not waiting.
    pub fn start(&mut self, id: &str) -> Option<Entry> {
        if self.is_sending() || self.paused.is_some() {
            return None;
        }
        let e = self.entries.iter_mut().find(|e| e.id() == id && e.state == EntryState::Waiting)?;
        e.state = EntryState::Sending;
        Some(e.clone())
    }

    /// Records the outcome of the attempt that [`start`](Self::start) began.
    /// An outcome for an entry that is not being sent is ignored, so a late
    /// or repeated answer can never acknowledge anything twice.
    pub fn finish(&mut self, id: &str, outcome: Outcome, now: f64, jitter: f64) -> Option<Verdict> {
        let i = self.entries.iter().position(|e| e.id() == id && e.state == EntryState::Sending)?;
        let backoff = self.backoff;
        let e = &mut self.entries[i];
        if outcome == Outcome::Accepted {
            e.state = EntryState::Sent;
            e.sent_at = Some(now);
            e.last_error = None;
            e.problem = None;
            return Some(Verdict::Delivered(e.clone()));
        }
        e.attempts = e.attempts.saturating_add(1);
        let retry_in = backoff.delay_ms(e.attempts, jitter);
        let mut asked_ms = 0.0;
        let problem = match &outcome {
            Outcome::Accepted => None,
            Outcome::Redirected => Some(Problem::Redirected),
            Outcome::NetworkError(_) => Some(Problem::NoConnection),
            Outcome::Timeout => Some(Problem::Timeout),
            Outcome::Status { code, message, .. } => Some(Problem::Server { code: *code, message: message.clone() }),
            Outcome::Insecure => Some(Problem::Insecure),
            Outcome::FileLost(name) => Some(Problem::FileLost { name: name.clone() }),
        };
        let (state, wait, reason) = match outcome {
            Outcome::Accepted => unreachable!(),
            Outcome::Redirected => {
                (EntryState::Waiting, retry_in, "the network sent the request somewhere else (a Wi-Fi login page?)".to_string())
            }
            Outcome::NetworkError(why) => (EntryState::Waiting, retry_in, format!("no connection to the server ({why})")),
            Outcome::Timeout => (EntryState::Waiting, retry_in, "the server took too long to answer".to_string()),
            Outcome::Insecure => {
                // The settings' fault, not the entry's: hold everything, as for 401.
                let reason = "the access token would travel unencrypted: use an https:// address".to_string();
                self.paused = Some(reason.clone());
                (EntryState::Waiting, 0.0, reason)
            }
            Outcome::FileLost(name) => {
                (EntryState::Failed, 0.0, format!("the file '{name}' is no longer on this phone, nor on the server"))
            }
            Outcome::Status { code, retry_after_secs, message } => {
                let reason =
                    if message.is_empty() { format!("server answered {code}") } else { format!("server answered {code}: {message}") };
                if code == 401 || code == 403 {
                    // Not this entry's fault: the credentials. Hold everything.
                    self.paused = Some(reason.clone());
                    (EntryState::Waiting, 0.0, reason)
                } else if matches!(code, 408 | 424 | 429) || !(400..500).contains(&code) {
                    // 424: a file went missing on the server; the next attempt asks again which.
                    asked_ms = retry_after_secs.filter(|s| s.is_finite() && *s >= 0.0).map_or(0.0, |s| s * 1000.0);
                    (EntryState::Waiting, retry_in.max(asked_ms), reason)
                } else {
                    (EntryState::Failed, 0.0, reason)
                }
            }
        };
        let e = &mut self.entries[i];
        e.state = state;
        e.next_attempt_at = now + wait;
        e.not_before = now + asked_ms;
        e.last_error = Some(reason);
        e.problem = problem;
        Some(Verdict::Kept(e.clone()))
    }

    /// A failed entry, corrected: the new one (with a new id and
    /// `meta.replaces` set) takes its place. Returns the id to delete, after
    /// the new entry has been stored.
    pub fn replace(&mut self, old_id: &str, new: Entry) -> Option<String> {
        let i = self.entries.iter().position(|e| e.id() == old_id && e.state == EntryState::Failed)?;
        self.entries.remove(i);
        self.entries.push(new);
        Some(old_id.to_string())
    }

    /// Drops receipts of entries sent more than `keep_ms` ago; returns their ids.
    pub fn prune_sent(&mut self, now: f64, keep_ms: f64) -> Vec<String> {
        self.remove_sent(|sent_at| now - sent_at > keep_ms)
    }

    /// The same, but `still_open` keeps the receipt of a report the office
    /// has not closed yet, however old (the person waits for its answer).
    pub fn prune_sent_keeping(&mut self, now: f64, keep_ms: f64, still_open: impl Fn(&str) -> bool) -> Vec<String> {
        let mut removed = Vec::new();
        self.entries.retain(|e| {
            let drop = e.state == EntryState::Sent && now - e.sent_at.unwrap_or(0.0) > keep_ms && !still_open(e.id());
            if drop {
                removed.push(e.id().to_string());
            }
            !drop
        });
        removed
    }

    /// Holds everything, as a 401 does: the credentials were refused
    /// elsewhere (the feed), or withdrawn.
    pub fn pause(&mut self, reason: String) {
        self.paused = Some(reason);
    }

    /// The person cleared the sent archive.
    pub fn clear_sent(&mut self) -> Vec<String> {
        self.remove_sent(|_| true)
    }

    fn remove_sent(&mut self, old: impl Fn(f64) -> bool) -> Vec<String> {
        let mut removed = Vec::new();
        self.entries.retain(|e| {
            let drop = e.state == EntryState::Sent && old(e.sent_at.unwrap_or(0.0));
            if drop {
                removed.push(e.id().to_string());
            }
            !drop
        });
        removed
    }
}

impl ToJson for Entry {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("submission", &self.submission);
        w.field("state", &self.state);
        w.field("attempts", &self.attempts);
        w.field("nextAttemptAt", &self.next_attempt_at);
        w.field("queuedAt", &self.queued_at);
        w.field("lastError", &self.last_error);
        w.field_some("problem", &self.problem);
        w.field("sentAt", &self.sent_at);
        w.field("notBefore", &self.not_before);
        w.field_some("target", &self.target);
        w.field_some("formUrl", &self.form_url);
        w.end_object();
    }
}

impl FromJson for Entry {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "entry")?;
        Ok(Entry {
            submission: f.get("submission")?,
            state: f.get("state")?,
            attempts: f.get("attempts")?,
            next_attempt_at: f.get("nextAttemptAt")?,
            queued_at: f.get("queuedAt")?,
            last_error: f.get("lastError")?,
            problem: f.or_default("problem")?,
            sent_at: f.or_default("sentAt")?,
            not_before: f.or_default("notBefore")?,
            target: f.or_default("target")?,
            form_url: f.or_default("formUrl")?,
        })
    }
}

impl ToJson for Destination {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("url", &self.url);
        w.field("headers", &self.headers);
        w.field("flat", &self.flat);
        w.end_object();
    }
}

impl FromJson for Destination {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "target")?;
        Ok(Destination { url: f.get("url")?, headers: f.or_default("headers")?, flat: f.or_default("flat")? })
    }
}

const STATES: [(EntryState, &str); 4] =
    [(EntryState::Waiting, "waiting"), (EntryState::Sending, "sending"), (EntryState::Sent, "sent"), (EntryState::Failed, "failed")];

impl ToJson for EntryState {
    fn write_json(&self, w: &mut Writer) {
        let name = STATES.iter().find(|(s, _)| s == self).map_or("waiting", |(_, n)| n);
        w.string(name);
    }
}

impl FromJson for EntryState {
    fn from_json(v: &Value) -> Result<Self, String> {
        let name = v.as_str().unwrap_or_default();
        STATES.iter().find(|(_, n)| *n == name).map(|(s, _)| *s).ok_or_else(|| format!("unknown state '{name}'"))
    }
}

impl ToJson for Problem {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        let kind = match self {
            Problem::NoConnection => "noConnection",
            Problem::Timeout => "timeout",
            Problem::Redirected => "redirected",
            Problem::Server { .. } => "server",
            Problem::Insecure => "insecure",
            Problem::FileLost { .. } => "fileLost",
        };
        w.field("kind", &kind);
        if let Problem::Server { code, message } = self {
            w.field("code", &u32::from(*code));
            w.field("message", message);
        }
        if let Problem::FileLost { name } = self {
            w.field("name", name);
        }
        w.end_object();
    }
}

impl FromJson for Problem {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "problem")?;
        Ok(match f.get::<String>("kind")?.as_str() {
            "noConnection" => Problem::NoConnection,
            "timeout" => Problem::Timeout,
            "redirected" => Problem::Redirected,
            "server" => Problem::Server { code: f.get("code")?, message: f.get("message")? },
            "insecure" => Problem::Insecure,
            "fileLost" => Problem::FileLost { name: f.get("name")? },
            other => return Err(format!("problem: unknown kind '{other}'")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::{FormRef, Meta};

    fn sub(id: &str) -> Submission {
        Submission {
            id: id.into(),
            form: FormRef { id: "f".into(), version: "1".into() },
            started_at: String::new(),
            completed_at: String::new(),
            answers: Default::default(),
            meta: Meta { locale: "vi".into(), app_version: "0".into(), replaces: None },
        }
    }

    fn outbox(ids: &[&str]) -> Outbox {
        Outbox::new(ids.iter().enumerate().map(|(i, id)| Entry::new(sub(id), i as f64)).collect())
    }

    #[test]
    fn one_request_at_a_time_oldest_first() {
        let mut ob = outbox(&["a", "b"]);
        assert_eq!(ob.next_due(10.0).unwrap().id(), "a");
        ob.start("a").unwrap();
        assert!(ob.next_due(10.0).is_none());
        assert!(ob.start("b").is_none());
        assert!(matches!(ob.finish("a", Outcome::Accepted, 10.0, 0.5), Some(Verdict::Delivered(_))));
        assert_eq!(ob.next_due(10.0).unwrap().id(), "b");
        assert_eq!(ob.pending(), 1);
        // A late second answer for "a" changes nothing.
        assert_eq!(ob.finish("a", Outcome::Accepted, 11.0, 0.5), None);
    }

    #[test]
    fn only_acceptance_removes_an_entry() {
        for outcome in [
            Outcome::Redirected,
            Outcome::NetworkError("offline".into()),
            Outcome::Timeout,
            Outcome::Status { code: 500, retry_after_secs: None, message: String::new() },
            Outcome::Status { code: 422, retry_after_secs: None, message: "bad".into() },
        ] {
            let mut ob = outbox(&["a"]);
            ob.start("a");
            assert!(matches!(ob.finish("a", outcome, 0.0, 0.0), Some(Verdict::Kept(_))));
            assert_eq!(ob.pending(), 1);
        }
    }

    #[test]
    fn network_failures_back_off_and_the_online_event_resets() {
        let mut ob = outbox(&["a"]);
        ob.start("a");
        ob.finish("a", Outcome::NetworkError("x".into()), 1_000.0, 0.0);
        assert!(ob.next_due(1_000.0).is_none());
        assert_eq!(ob.next_wake(), Some(2_000.0));
        ob.retry_now(1_500.0);
        assert_eq!(ob.next_due(1_500.0).unwrap().id(), "a");
    }

    #[test]
    fn client_errors_fail_the_entry_but_not_the_queue() {
        let mut ob = outbox(&["a", "b"]);
        ob.start("a");
        let v = ob.finish("a", Outcome::Status { code: 422, retry_after_secs: None, message: "no district".into() }, 0.0, 0.0);
        let Some(Verdict::Kept(e)) = v else { panic!() };
        assert_eq!(e.state, EntryState::Failed);
        assert_eq!(e.last_error.as_deref(), Some("server answered 422: no district"));
        assert_eq!(ob.next_due(10.0).unwrap().id(), "b");
        ob.retry_now(10.0);
        assert_eq!(ob.next_due(10.0).unwrap().id(), "b");
    }

    #[test]
    fn a_file_missing_on_the_server_is_retried_but_one_lost_on_the_phone_fails() {
        let mut ob = outbox(&["a", "b"]);
        ob.start("a");
        let v = ob.finish("a", Outcome::Status { code: 424, retry_after_secs: None, message: "missing".into() }, 0.0, 0.0);
        let Some(Verdict::Kept(e)) = v else { panic!() };
        assert_eq!(e.state, EntryState::Waiting, "the next attempt sends the file first");
        ob.start("b");
        let v = ob.finish("b", Outcome::FileLost("ảnh.jpg".into()), 0.0, 0.0);
        let Some(Verdict::Kept(e)) = v else { panic!() };
        assert_eq!((e.state, e.problem), (EntryState::Failed, Some(Problem::FileLost { name: "ảnh.jpg".into() })));
        assert!(ob.paused().is_none(), "other reports still go");
    }

    #[test]
    fn retry_after_is_honoured_even_when_the_connection_returns() {
        let mut ob = outbox(&["a"]);
        ob.start("a");
        ob.finish("a", Outcome::Status { code: 429, retry_after_secs: Some(30.0), message: String::new() }, 0.0, 0.0);
        assert_eq!(ob.next_wake(), Some(30_000.0));
        ob.retry_now(1_000.0);
        ob.send_now("a", 2_000.0);
        assert!(ob.next_due(29_999.0).is_none());
        assert_eq!(ob.next_due(30_000.0).unwrap().id(), "a");
    }

    #[test]
    fn credentials_pause_the_queue_until_resumed() {
        let mut ob = outbox(&["a", "b"]);
        ob.start("a");
        ob.finish("a", Outcome::Status { code: 401, retry_after_secs: None, message: "token".into() }, 5.0, 0.0);
        assert_eq!(ob.paused(), Some("server answered 401: token"));
        assert!(ob.next_due(1e9).is_none() && ob.next_wake().is_none() && ob.start("b").is_none());
        ob.resume(6.0);
        assert_eq!(ob.next_due(6.0).unwrap().id(), "a");
    }

    #[test]
    fn a_token_held_back_pauses_the_queue_and_keeps_the_entry() {
        let mut ob = outbox(&["a", "b"]);
        ob.start("a");
        ob.finish("a", Outcome::Insecure, 5.0, 0.0);
        let a = ob.get("a").unwrap();
        assert_eq!((a.state, a.problem.clone(), a.attempts), (EntryState::Waiting, Some(Problem::Insecure), 1));
        assert!(ob.paused().is_some_and(|r| r.contains("https://")));
        assert!(ob.next_due(1e9).is_none() && ob.start("b").is_none());
        ob.resume(6.0);
        assert_eq!(ob.next_due(6.0).unwrap().id(), "a");
    }

    #[test]
    fn sent_receipts_are_kept_then_pruned() {
        let mut ob = outbox(&["a", "b"]);
        ob.start("a");
        ob.finish("a", Outcome::Accepted, 1_000.0, 0.0);
        assert_eq!(ob.get("a").unwrap().state, EntryState::Sent);
        assert_eq!(ob.get("a").unwrap().sent_at, Some(1_000.0));
        assert!(ob.prune_sent(5_000.0, 10_000.0).is_empty());
        // A report the office has not closed keeps its receipt, however old.
        assert!(ob.prune_sent_keeping(20_000.0, 10_000.0, |id| id == "a").is_empty());
        assert_eq!(ob.prune_sent(20_000.0, 10_000.0), ["a"]);
        assert_eq!(ob.len(), 1);
    }

    #[test]
    fn a_failed_entry_is_fixed_by_a_replacement_or_sent_again() {
        let mut ob = outbox(&["a"]);
        ob.start("a");
        ob.finish("a", Outcome::Status { code: 422, retry_after_secs: None, message: String::new() }, 0.0, 0.0);
        let mut fixed = Entry::new(sub("a2"), 1.0);
        fixed.submission.meta.replaces = Some("a".into());
        assert_eq!(ob.replace("a", fixed), Some("a".to_string()));
        assert_eq!(ob.entries().iter().map(|e| e.id()).collect::<Vec<_>>(), ["a2"]);
        assert_eq!(ob.replace("a2", Entry::new(sub("a3"), 2.0)), None, "only a failed entry can be replaced");
        let mut ob = outbox(&["b"]);
        ob.start("b");
        ob.finish("b", Outcome::Status { code: 400, retry_after_secs: None, message: String::new() }, 0.0, 0.0);
        assert!(ob.send_now("b", 3.0).is_some());
        assert_eq!(ob.next_due(3.0).unwrap().id(), "b");
    }

    #[test]
    fn another_tabs_changes_are_taken_in() {
        let mut ob = outbox(&["a", "b"]);
        let mut a = ob.get("a").unwrap().clone();
        a.state = EntryState::Sent;
        ob.upsert(a);
        assert_eq!(ob.pending(), 1);
        ob.upsert(Entry::new(sub("c"), 9.0));
        assert_eq!(ob.len(), 3);
        ob.start("b");
        let mut b = ob.get("b").unwrap().clone();
        b.state = EntryState::Waiting;
        ob.upsert(b);
        ob.forget("b");
        assert_eq!(ob.get("b").unwrap().state, EntryState::Sending, "our own request in flight wins");
        ob.forget("c");
        assert!(ob.get("c").is_none());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(1, 0.0), 1_000.0);
        assert_eq!(b.delay_ms(1, 1.0), 2_000.0);
        assert_eq!(b.delay_ms(3, 1.0), 8_000.0);
        assert_eq!(b.delay_ms(50, 1.0), 300_000.0);
        assert_eq!(b.delay_ms(u32::MAX, 0.0), 150_000.0);
    }

    #[test]
    fn a_stored_sending_entry_is_waiting_after_restart() {
        let mut e = Entry::new(sub("a"), 0.0);
        e.state = EntryState::Sending;
        let ob = Outbox::new(vec![e]);
        assert_eq!(ob.next_due(0.0).unwrap().id(), "a");
    }
}
