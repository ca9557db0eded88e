//! The outbox against thousands of random fault sequences: a simulated server
//! that fails, cuts connections after storing, stalls, rate-limits, asks for
//! credentials and refuses. Whatever happens, no submission is acknowledged
//! twice or without the server having it, ids never change (so the server can
//! deduplicate), and every submission the server does not refuse outright is
//! eventually delivered.

use phieu_core::outbox::{EntryState, Outbox, Outcome, Verdict};
use phieu_core::submission::{FormRef, Meta};
use phieu_core::{Entry, Submission};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug)]
enum Fault {
    /// 2xx: stored and acknowledged.
    Ok,
    /// 5xx before storing.
    Fail,
    /// Stored, then the connection dropped: the phone hears nothing.
    DropAfterStore,
    /// No answer in time; sometimes the server had stored it.
    Timeout { stored: bool },
    /// 429 with Retry-After.
    TooMany { after_secs: u8 },
    /// A captive portal's redirect.
    Redirect,
    /// 401: credentials needed; the person gives them a while later.
    Unauthorized,
    /// 422: refused for good.
    Refused,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::Ok),
        3 => Just(Fault::Fail),
        2 => Just(Fault::DropAfterStore),
        1 => any::<bool>().prop_map(|stored| Fault::Timeout { stored }),
        1 => (1u8..120).prop_map(|after_secs| Fault::TooMany { after_secs }),
        1 => Just(Fault::Redirect),
        1 => Just(Fault::Unauthorized),
        1 => Just(Fault::Refused),
    ]
}

fn submission(i: usize) -> Submission {
    Submission {
        id: format!("id-{i}"),
        form: FormRef { id: "f".into(), version: "1".into() },
        started_at: String::new(),
        completed_at: String::new(),
        answers: Default::default(),
        meta: Meta { locale: "vi".into(), app_version: "t".into(), replaces: None },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn delivers_everything_once_whatever_the_faults(
        count in 1usize..15,
        script in prop::collection::vec(fault(), 0..60),
        jitters in prop::collection::vec(0.0f64..1.0, 1..16),
        gaps in prop::collection::vec(0u32..10_000, 1..15),
    ) {
        let mut now = 0.0f64;
        let mut outbox = Outbox::new(Vec::new());
        for i in 0..count {
            now += f64::from(gaps[i % gaps.len()]);
            outbox.push(Entry::new(submission(i), now));
        }
        let ids: HashSet<String> = (0..count).map(|i| format!("id-{i}")).collect();
        let mut stored: HashMap<String, u32> = HashMap::new(); // id -> rows (the server dedupes by id)
        let mut acks: HashMap<String, u32> = HashMap::new();
        let mut refused: HashSet<String> = HashSet::new();
        let mut earliest_retry: HashMap<String, f64> = HashMap::new();
        let mut faults = script.into_iter();

        for step in 0..10_000 {
            if outbox.paused().is_some() {
                now += 60_000.0; // the person enters the token a minute later
                outbox.resume(now);
            }
            let Some(due) = outbox.next_due(now).map(|e| e.id().to_string()) else {
                match outbox.next_wake() {
                    Some(t) => { now = now.max(t); continue; }
                    None => break,
                }
            };
            if let Some(t) = earliest_retry.get(&due) {
                prop_assert!(now >= *t, "Retry-After not honoured for {}", due);
            }
            let sending = outbox.start(&due).expect("a due entry can start");
            prop_assert_eq!(sending.id(), due.as_str(), "the id never changes");
            prop_assert!(outbox.start(&due).is_none() && outbox.next_due(now).is_none(), "one request at a time");
            prop_assert!(ids.contains(sending.id()));

            let f = faults.next().unwrap_or(Fault::Ok); // faults run out: the network heals
            let mut store = |id: &str| { stored.entry(id.to_string()).and_modify(|n| *n = 1).or_insert(1); };
            let outcome = match f {
                Fault::Ok => { store(&due); Outcome::Accepted }
                Fault::Fail => Outcome::Status { code: 503, retry_after_secs: None, message: String::new() },
                Fault::DropAfterStore => { store(&due); Outcome::NetworkError("connection reset".into()) }
                Fault::Timeout { stored: s } => { if s { store(&due) } Outcome::Timeout }
                Fault::TooMany { after_secs } => {
                    earliest_retry.insert(due.clone(), now + f64::from(after_secs) * 1000.0);
                    Outcome::Status { code: 429, retry_after_secs: Some(f64::from(after_secs)), message: String::new() }
                }
                Fault::Redirect => Outcome::Redirected,
                Fault::Unauthorized => Outcome::Status { code: 401, retry_after_secs: None, message: String::new() },
                Fault::Refused => { refused.insert(due.clone()); Outcome::Status { code: 422, retry_after_secs: None, message: "no".into() } }
            };
            now += 50.0;
            let jitter = jitters[step % jitters.len()];
            match outbox.finish(&due, outcome, now, jitter) {
                Some(Verdict::Delivered(e)) => {
                    *acks.entry(e.id().to_string()).or_insert(0) += 1;
                    prop_assert!(stored.contains_key(e.id()), "acknowledged without the server having it");
                }
                Some(Verdict::Kept(_)) => {}
                None => prop_assert!(false, "finish of a started entry must answer"),
            }
            // A late duplicate answer is ignored.
            prop_assert_eq!(outbox.finish(&due, Outcome::Accepted, now, 0.5), None);
        }

        for e in outbox.entries() {
            let id = e.id();
            prop_assert!(acks.get(id).copied().unwrap_or(0) <= 1, "acknowledged twice: {}", id);
            if refused.contains(id) && e.state == EntryState::Failed {
                prop_assert!(e.last_error.as_deref().unwrap_or("").contains("422"));
            } else {
                prop_assert_eq!(e.state, EntryState::Sent, "{} was never delivered", id);
                prop_assert_eq!(acks.get(id).copied(), Some(1));
            }
        }
        prop_assert!(stored.keys().all(|id| ids.contains(id)));
        prop_assert!(stored.values().all(|n| *n == 1), "the server holds at most one row per id");
    }
}
