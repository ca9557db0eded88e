//! The answers of one form and what the form's logic makes of them, shared
//! by every widget.
//!
//! Answers and rule outcomes live outside the reactive graph; a widget
//! subscribes to the one answer or rule it reads. A keystroke then wakes
//! only the widgets whose answer or rule actually changed, not the whole
//! form: on a 500-question form that is the difference between a frame and
//! a visible lag on a cheap phone.

use leptos::prelude::*;
use phieu_core::answers::name_key;
use phieu_core::expr::Val;
use phieu_core::session::Changes;
use phieu_core::sort::HashMap;
use phieu_core::{AnswerError, Form, Session, Target};
use serde_json::Value;

#[derive(Clone, PartialEq, Eq, Hash)]
enum Watch {
    /// An answer, by lower-case name (expressions ignore case).
    Answer(String),
    Rule(Target),
}

#[derive(Clone, Copy)]
pub struct Responses {
    session: StoredValue<Session>,
    watchers: StoredValue<HashMap<Watch, ArcTrigger>>,
    /// Bumped on every change, for what reads everything (paneldynamic repeats).
    pub version: Trigger,
    /// The problems found by the last "next" or "submit".
    pub errors: RwSignal<Vec<AnswerError>>,
    /// A `skip` trigger fired: the question to go to.
    pub skip: RwSignal<Option<String>>,
    changed: Callback<()>,
}

impl Responses {
    pub fn new(session: StoredValue<Session>, changed: Callback<()>) -> Self {
        Responses {
            session,
            watchers: StoredValue::new(HashMap::default()),
            version: Trigger::new(),
            errors: RwSignal::new(Vec::new()),
            skip: RwSignal::new(None),
            changed,
        }
    }

    fn track(self, w: Watch) {
        let trigger = self.watchers.try_update_value(|m| m.entry(w).or_default().clone());
        if let Some(t) = trigger {
            t.track();
        }
    }

    fn notify(self, w: &Watch) {
        if let Some(t) = self.watchers.with_value(|m| m.get(w).cloned()) {
            t.notify();
        }
    }

    /// An answer, and a subscription to it.
    pub fn get(self, name: &str) -> Option<Value> {
        self.with(name, |v| v.cloned())
    }

    /// Reads an answer in place (a repeat's one field, not every member
    /// copied), and subscribes to it.
    pub fn with<T>(self, name: &str, f: impl FnOnce(Option<&Value>) -> T) -> T {
        self.track(Watch::Answer(name_key(name).into_owned()));
        self.session.with_value(|s| f(s.answers.get(name)))
    }

    /// The session as it is, with no subscription.
    pub fn session<T>(self, f: impl FnOnce(&Session) -> T) -> T {
        self.session.with_value(f)
    }

    pub fn with_form<T>(self, f: impl FnOnce(&Form) -> T) -> T {
        self.session.with_value(|s| f(&s.form))
    }

    /// Whether a rule holds now (`default` when the form has none about it).
    pub fn holds(self, target: Target, default: bool) -> bool {
        let holds = self.session.with_value(|s| s.holds(&target, default));
        self.track(Watch::Rule(target));
        holds
    }

    /// A calculated value or expression question.
    pub fn computed(self, name: &str) -> Option<Val> {
        self.track(Watch::Rule(Target::Computed(name.to_string())));
        self.session.with_value(|s| s.state.computed.get(name).cloned())
    }

    /// Stores an answer (or clears it), re-evaluates what depends on it,
    /// wakes the widgets concerned and saves the draft.
    pub fn set(self, name: &str, value: Option<Value>) {
        self.set_quietly(name, value);
        self.save_soon();
    }

    /// What the person did to the session otherwise (a repeat added or
    /// removed): wakes what it changed and saves the draft.
    pub fn edit(self, f: impl FnOnce(&mut Session) -> Changes) {
        self.update(f);
        self.save_soon();
    }

    fn save_soon(self) {
        // Saved in this same turn of the event loop, just after the screen
        // has been brought up to date: the person sees the keystroke first.
        let changed = self.changed;
        leptos::prelude::queue_microtask(move || {
            changed.try_run(());
        });
    }

    /// The same, without saving the draft: for what the form fills in itself.
    pub fn set_quietly(self, name: &str, value: Option<Value>) {
        let changes = self.session.try_update_value(|s| s.set(name, value)).unwrap_or_default();
        self.apply(changes);
        self.clear_error(name);
    }

    /// Changes the session in place and wakes what that changed.
    pub fn update(self, f: impl FnOnce(&mut Session) -> Changes) {
        let changes = self.session.try_update_value(f).unwrap_or_default();
        self.apply(changes);
    }

    /// Wakes the widgets of every answer and rule a change touched (triggers
    /// and value rules may change other answers than the one set).
    fn apply(self, changes: Changes) {
        for a in &changes.answers {
            self.notify(&Watch::Answer(name_key(a).into_owned()));
        }
        for t in changes.rules {
            self.notify(&Watch::Rule(t));
        }
        if changes.skip_to.is_some() {
            self.skip.set(changes.skip_to);
        }
        self.version.notify();
    }

    /// Whether the masked box of `key` holds text that makes no answer yet.
    pub fn set_incomplete(self, key: &str, incomplete: bool) {
        self.session.update_value(|s| s.set_incomplete(key, incomplete));
    }

    /// An answer was given: its error goes (the rest stay until the next check).
    pub fn clear_error(self, key: &str) {
        if self.errors.with_untracked(|e| e.iter().any(|p| about(p, key))) {
            self.errors.update(|e| e.retain(|p| !about(p, key)));
        }
    }

    /// The error shown for `key` (`name`, or `dynamic[i].name`), if any.
    /// The question's problem, its message in the chosen language (not a clone of the problem).
    pub fn error(self, key: &str, lang: RwSignal<crate::i18n::Lang>) -> Option<String> {
        self.errors.with(|e| e.iter().find(|p| about(p, key)).map(|p| p.message(lang.get().code())))
    }

    /// Whether the question has a problem (with `other`, whether its "Other" box is empty).
    pub fn has_error(self, key: &str, other: bool) -> bool {
        self.errors.with(|e| e.iter().find(|p| about(p, key)).is_some_and(|p| !other || p.kind == phieu_core::ErrorKind::OtherEmpty))
    }
}

/// Whether a problem is the question's own, or one of its multipletext boxes' (`key.box`).
fn about(p: &AnswerError, key: &str) -> bool {
    p.question.strip_prefix(key).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}
