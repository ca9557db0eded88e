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

use crate::submission::Submission;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub submission: Submission,
    pub state: EntryState,
    /// Failed attempts so far; drives the backoff.
    pub attempts: u32,
    /// Milliseconds since the epoch before which no new attempt is made.
    pub next_attempt_at: f64,
    pub queued_at: f64,
    /// The last failure, in words the person can read.
    pub last_error: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryState {
    /// Queued; will be sent when due and a connection is there.
    Waiting,
    /// A request is under way. Never stored: after a restart it is `Waiting`
    /// again and the resend carries the same id.
    Sending,
    /// The server refused it for a reason a retry cannot fix.
    Failed,
}

impl Entry {
    pub fn new(submission: Submission, now: f64) -> Self {
        Entry { submission, state: EntryState::Waiting, attempts: 0, next_attempt_at: now, queued_at: now, last_error: None }
    }
    pub fn id(&self) -> &str {
        &self.submission.id
    }
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
    Status { code: u16, retry_after_secs: Option<f64>, message: String },
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
        d / 2.0 + d / 2.0 * jitter.clamp(0.0, 1.0)
    }
}

/// What [`Outbox::finish`] decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The server has it: the entry has been removed and may be deleted from storage.
    Delivered(Entry),
    /// The entry stays; store this new state.
    Kept(Entry),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    entries: Vec<Entry>,
    pub backoff: Backoff,
}

impl Outbox {
    /// Builds the outbox from stored entries; an entry stored mid-send is waiting.
    pub fn new(mut entries: Vec<Entry>) -> Self {
        for e in &mut entries {
            if e.state == EntryState::Sending {
                e.state = EntryState::Waiting;
            }
        }
        crate::sort::sort_by(&mut entries, |a, b| a.queued_at < b.queued_at);
        Outbox { entries, backoff: Backoff::default() }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Only one request is in flight at a time.
    pub fn is_sending(&self) -> bool {
        self.entries.iter().any(|e| e.state == EntryState::Sending)
    }

    /// The oldest waiting entry that is due, unless a request is under way.
    pub fn next_due(&self, now: f64) -> Option<&Entry> {
        if self.is_sending() {
            return None;
        }
        self.entries.iter().find(|e| e.state == EntryState::Waiting && e.next_attempt_at <= now)
    }

    /// When the next waiting entry falls due, for the wake-up timer.
    pub fn next_wake(&self) -> Option<f64> {
        self.entries
            .iter()
            .filter(|e| e.state == EntryState::Waiting)
            .map(|e| e.next_attempt_at)
            .min_by(f64::total_cmp)
    }

    /// The connection is back: everything waiting is due now.
    pub fn retry_now(&mut self, now: f64) {
        for e in &mut self.entries {
            if e.state == EntryState::Waiting {
                e.next_attempt_at = e.next_attempt_at.min(now);
            }
        }
    }

    /// Marks an entry as being sent; `None` if it is not there or not waiting.
    pub fn start(&mut self, id: &str) -> Option<Entry> {
        if self.is_sending() {
            return None;
        }
        let e = self.entries.iter_mut().find(|e| e.id() == id && e.state == EntryState::Waiting)?;
        e.state = EntryState::Sending;
        Some(e.clone())
    }

    /// Records the outcome of the attempt that [`start`](Self::start) began.
    pub fn finish(&mut self, id: &str, outcome: Outcome, now: f64, jitter: f64) -> Option<Verdict> {
        let i = self.entries.iter().position(|e| e.id() == id && e.state == EntryState::Sending)?;
        if outcome == Outcome::Accepted {
            return Some(Verdict::Delivered(self.entries.remove(i)));
        }
        let backoff = self.backoff;
        let e = &mut self.entries[i];
        e.attempts = e.attempts.saturating_add(1);
        let retry_in = backoff.delay_ms(e.attempts, jitter);
        let (state, wait, reason) = match outcome {
            Outcome::Accepted => unreachable!(),
            Outcome::Redirected => (
                EntryState::Waiting,
                retry_in,
                "the network sent the request somewhere else (a Wi-Fi login page?)".to_string(),
            ),
            Outcome::NetworkError(why) => (EntryState::Waiting, retry_in, format!("no connection to the server ({why})")),
            Outcome::Timeout => (EntryState::Waiting, retry_in, "the server took too long to answer".to_string()),
            Outcome::Status { code, retry_after_secs, message } => {
                let reason = if message.is_empty() { format!("server answered {code}") } else { format!("server answered {code}: {message}") };
                if code == 408 || code == 429 || code >= 500 || code < 400 {
                    let asked = retry_after_secs.filter(|s| s.is_finite() && *s >= 0.0).map_or(0.0, |s| s * 1000.0);
                    (EntryState::Waiting, retry_in.max(asked), reason)
                } else {
                    (EntryState::Failed, 0.0, reason)
                }
            }
        };
        e.state = state;
        e.next_attempt_at = now + wait;
        e.last_error = Some(reason);
        Some(Verdict::Kept(e.clone()))
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
            assert_eq!(ob.len(), 1);
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
    fn retry_after_is_honoured() {
        let mut ob = outbox(&["a"]);
        ob.start("a");
        ob.finish("a", Outcome::Status { code: 429, retry_after_secs: Some(30.0), message: String::new() }, 0.0, 0.0);
        assert_eq!(ob.next_wake(), Some(30_000.0));
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
