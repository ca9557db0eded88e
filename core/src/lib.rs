//! The heart of phieu, shared by the phone and the server.
//!
//! Everything that decides what a form *means* lives here: how a definition is
//! read, what an answer must look like, what a submission is, and when the
//! outbox should try again. Keeping it free of browser and IO crates lets the
//! same code run in the wasm app, in `phieu serve` and in plain `cargo test`,
//! so the phone and the server can never disagree about a form.

// `alloc`, not `std`, by name in the files the phone's mask module shares (`mask/lib.rs`).
extern crate alloc;

pub mod answers;
pub mod csv;
pub mod diagnostic;
pub mod display;
pub mod draft;
pub mod expr;
pub mod feed;
pub mod form;
pub mod json;
pub mod lists;
pub mod localized;
pub mod logic;
pub mod markdown;
pub mod mask;
pub mod num;
pub mod outbox;
pub mod piping;
pub mod read;
pub mod record;
pub mod regex;
pub mod session;
pub mod sort;
pub mod spec;
pub mod submission;
pub mod transfer;
pub mod validate;

pub use answers::Answers;
pub use diagnostic::{Diagnostic, JsonPath, Severity};
pub use draft::Draft;
pub use form::{Choice, Choices, Element, Form, Kind, Page};
pub use localized::Localized;
pub use logic::{Logic, State, Target};
pub use outbox::{Backoff, Entry, EntryState, Outbox, Outcome, Problem};
pub use read::{load, load_with, Loaded};
pub use session::Session;
pub use submission::{FormRef, Meta, Submission};
pub use validate::{validate, AnswerError, ErrorKind};
