//! The phone writes and reads its stored and sent types with the hand
//! conversions in `json`; the server with serde's derive. Both must make the
//! same bytes and read each other's, for every type and every variant, and
//! still read what the earlier release stored.

#![cfg(feature = "serde")]

use phieu_core::json::{self, FromJson, ToJson};
use phieu_core::outbox::Destination;
use phieu_core::{Draft, Entry, EntryState, FormRef, Meta, Problem, Submission};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use std::fmt::Debug;

fn same<T: ToJson + FromJson + Serialize + DeserializeOwned + PartialEq + Debug>(x: &T) {
    let theirs = serde_json::to_string(x).expect("serde writes it");
    assert_eq!(json::to_string(x), theirs, "compact");
    assert_eq!(json::to_string_pretty(x), serde_json::to_string_pretty(x).expect("serde writes it"), "pretty");
    assert_eq!(&json::from_str::<T>(&theirs).expect("ours reads serde's"), x);
    assert_eq!(&serde_json::from_str::<T>(&json::to_string(x)).expect("serde reads ours"), x);
}

fn submission(id: &str, answers: serde_json::Value, replaces: Option<&str>) -> Submission {
    Submission {
        id: id.into(),
        form: FormRef { id: "phan-anh".into(), version: "3".into() },
        started_at: "2026-11-30T01:00:00.000Z".into(),
        completed_at: "2026-11-30T01:02:00.000Z".into(),
        answers: answers.as_object().cloned().expect("an object"),
        meta: Meta { locale: "vi".into(), app_version: "0.1.0".into(), replaces: replaces.map(str::to_string) },
    }
}

fn entries() -> Vec<Entry> {
    let answers = json!({"quan": "hoan-kiem", "so": 12.5, "n": 3, "neg": -7, "big": 1e21, "tiny": 1.5e-7,
        "ds": ["a", "b"], "matrix": {"r1": "c1"}, "text": "Dòng 1\nDòng \"2\"\t\u{1}", "ok": true, "none": null});
    let plain = Entry::new(submission("a", answers.clone(), None), 1_764_464_400_000.0);
    let mut all = vec![plain.clone()];
    for (i, problem) in [
        Problem::NoConnection,
        Problem::Timeout,
        Problem::Redirected,
        Problem::Server { code: 422, message: "câu 'x' thiếu".into() },
        Problem::Insecure,
        Problem::FileLost { name: "ảnh 1.jpg".into() },
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = Entry::new(submission(&format!("p{i}"), answers.clone(), Some("old")), 1.0);
        e.state = [EntryState::Waiting, EntryState::Sending, EntryState::Sent, EntryState::Failed][i % 4];
        e.attempts = i as u32;
        e.last_error = Some(format!("error {i}"));
        e.problem = Some(problem);
        e.sent_at = (i % 2 == 0).then_some(1_764_464_500_000.5);
        e.not_before = 0.25 * i as f64;
        e.target = Some(Destination {
            url: (i % 2 == 1).then(|| "https://example.org/hook".into()),
            headers: vec![("X-Key".into(), format!("v{i}"))],
            flat: i % 2 == 0,
        });
        e.form_url = Some("forms/phan-anh.json".into());
        all.push(e);
    }
    all
}

fn draft() -> Draft {
    Draft {
        id: "d1".into(),
        form_url: "forms/phan-anh.json".into(),
        form_id: "phan-anh".into(),
        form_version: "3".into(),
        title: json!({"default": "Phản ánh", "en": "Report"}),
        started_at: "2026-11-30T01:00:00.000Z".into(),
        updated_at: 1_764_464_400_123.0,
        answers: json!({"a": "1", "b-Comment": "x"}).as_object().cloned().expect("an object"),
        progress: (2, 7),
        replaces: Some("r".into()),
        page: 3,
    }
}

#[test]
fn every_stored_and_sent_type_is_written_and_read_as_serde_does() {
    for e in entries() {
        same(&e);
        same(&e.submission);
        same(&e.submission.form);
        same(&e.submission.meta);
        same(&e.state);
        if let Some(p) = &e.problem {
            same(p);
        }
        if let Some(t) = &e.target {
            same(t);
        }
    }
    same(&draft());
    same(&Draft { replaces: None, page: 0, ..draft() });
    same(&entries());
}

#[test]
fn what_the_earlier_release_stored_still_reads() {
    // Written by serde's derive through a Value: keys sorted, optional
    // members missing, as records in localStorage are today.
    let entry = r#"{"attempts":2,"lastError":"offline","nextAttemptAt":1764464400000.0,"queuedAt":1764464300000.0,"state":"waiting","submission":{"answers":{"q":"Hà Nội"},"completedAt":"b","form":{"id":"f","version":"1"},"id":"x","meta":{"appVersion":"0.1.0","locale":"vi"},"startedAt":"a"}}"#;
    let e: Entry = json::from_str(entry).expect("reads");
    assert_eq!(e, serde_json::from_str::<Entry>(entry).expect("serde reads it"));
    assert_eq!((e.attempts, e.sent_at, e.not_before, e.problem), (2, None, 0.0, None));
    let draft = r#"{"answers":{},"formId":"f","formUrl":"forms/f.json","formVersion":"1","id":"d","progress":[0,4],"startedAt":"a","title":"T","updatedAt":5.0}"#;
    let d: Draft = json::from_str(draft).expect("reads");
    assert_eq!(d, serde_json::from_str::<Draft>(draft).expect("serde reads it"));
    assert_eq!((d.page, d.replaces), (0, None));
}

#[test]
fn what_serde_refuses_is_refused() {
    for bad in [
        r#"{"id":"x"}"#,
        r#"{"id":1,"form":{"id":"f","version":"1"},"startedAt":"a","completedAt":"b","answers":{},"meta":{"locale":"vi","appVersion":"1"}}"#,
        r#"{"id":"x","form":{"id":"f","version":"1"},"startedAt":"a","completedAt":"b","answers":[],"meta":{"locale":"vi","appVersion":"1"}}"#,
        "[]",
        "null",
    ] {
        assert!(json::from_str::<Submission>(bad).is_err(), "{bad}");
        assert!(serde_json::from_str::<Submission>(bad).is_err(), "{bad}");
    }
    for bad in [r#""queued""#, "1", r#"{"kind":"server"}"#] {
        assert!(json::from_str::<EntryState>(bad).is_err() && serde_json::from_str::<EntryState>(bad).is_err(), "{bad}");
        assert!(json::from_str::<Problem>(bad).is_err() && serde_json::from_str::<Problem>(bad).is_err(), "{bad}");
    }
    let e = json::from_str::<Submission>(r#"{"id":1}"#).unwrap_err();
    assert!(e.contains("submission.id") && e.contains("expected a string"), "{e}");
}

proptest! {
    #[test]
    fn any_text_and_numbers_in_a_report(text in "\\PC{0,12}", key in "[a-zđ-]{1,6}", n in any::<i64>(), m in 0u64..1_000_000_000_000, e in -12i32..12, attempts in any::<u32>()) {
        let x: f64 = format!("{m}e{e}").parse().expect("a number");
        let mut entry = Entry::new(submission(&text, json!({ key.clone(): text.clone(), "n": n, "x": x, "l": [x, n, text.clone()] }), Some(&text)), x);
        entry.attempts = attempts;
        entry.last_error = Some(text.clone());
        entry.problem = Some(Problem::Server { code: (attempts % 1000) as u16, message: text });
        same(&entry);
    }
}
