//! What the app keeps on the device, in `localStorage`.
//!
//! Each record has its own key under `phieu/` and carries a schema version,
//! so one bad record cannot spoil the others and a later app can migrate
//! them. A record that cannot be read is moved aside (quarantined) and shown,
//! never dropped. Every write is checked: a failure goes back to the caller,
//! which shows it and keeps the data in memory. Photos will later go to
//! IndexedDB under the same record ids; nothing here assumes all data fits
//! in one store.

use gloo_storage::{LocalStorage, Storage};
use phieu_core::feed::Feed;
use phieu_core::json::{Fields, FromJson, ToJson, Writer};
pub use phieu_core::Draft;
use phieu_core::{record, Entry, Form};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
pub const OUTBOX: &str = "phieu/outbox/";
pub const DRAFT: &str = "phieu/draft/";
const FORM: &str = "phieu/form/";
const FORM_VERSION: &str = "phieu/formv/";
const QUARANTINE: &str = "phieu/quarantine/";
const LANG: &str = "phieu/lang";
const SETTINGS: &str = "phieu/settings";
const FEED: &str = "phieu/feed";

/// A write that did not happen.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteError {
    /// The browser's storage for this site is full.
    Full,
    Other(String),
}

/// What the person sets in the settings screen; overrides `config.json`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub endpoint: Option<String>,
    pub token: Option<String>,
    /// Who this phone is enrolled as (from the office's link), for the settings screen.
    pub name: Option<String>,
    pub unit: Option<String>,
}

impl ToJson for Settings {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("endpoint", &self.endpoint);
        w.field("token", &self.token);
        w.field_some("name", &self.name);
        w.field_some("unit", &self.unit);
        w.end_object();
    }
}

impl FromJson for Settings {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "settings")?;
        Ok(Settings { endpoint: f.get("endpoint")?, token: f.get("token")?, name: f.or_default("name")?, unit: f.or_default("unit")? })
    }
}

fn write_raw(key: &str, text: &str) -> Result<(), WriteError> {
    LocalStorage::raw().set_item(key, text).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
            WriteError::Full
        } else {
            WriteError::Other(crate::platform::error_text(&e))
        }
    })
}

fn write(key: &str, data: &dyn ToJson) -> Result<(), WriteError> {
    write_raw(key, &record::wrap(data))
}

fn raw(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Reads a record, upgraded by [`record::unwrap`]; `Err` with the raw text
/// when it cannot be understood (from a newer app, or garbage).
fn read<T: FromJson>(key: &str) -> Option<Result<T, String>> {
    let text = raw(key)?;
    Some(record::unwrap(&text).and_then(|d| T::from_json(&d).ok()).ok_or(text))
}

/// Moves an unreadable record aside, where the person can see and export it.
/// The original goes only once its copy is stored: when storage is full the
/// record stays where it is, and is listed all the same.
fn quarantine(key: &str, text: &str) {
    match write_raw(&format!("{QUARANTINE}{key}"), text) {
        Ok(()) => LocalStorage::delete(key),
        Err(_) => UNMOVED.with_borrow_mut(|u| {
            if !u.iter().any(|k| k == key) {
                u.push(key.to_string());
            }
        }),
    }
}

thread_local! {
    /// Unreadable records that could not be moved aside (storage was full).
    static UNMOVED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

pub fn keys_with(prefix: &str) -> Vec<String> {
    let s = LocalStorage::raw();
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
}

pub fn save_entry(e: &Entry) -> Result<(), WriteError> {
    write(&format!("{OUTBOX}{}", e.id()), e)
}

pub fn delete_entry(id: &str) {
    LocalStorage::delete(format!("{OUTBOX}{id}"));
}

/// One stored entry, for a change made by another tab; `None` if it is gone.
pub fn load_entry(key: &str) -> Option<Entry> {
    match read::<Entry>(key)? {
        Ok(e) => Some(e),
        Err(text) => {
            quarantine(key, &text);
            None
        }
    }
}

/// Every stored outbox entry. Unreadable ones are quarantined.
pub fn load_outbox() -> Vec<Entry> {
    keys_with(OUTBOX).iter().filter_map(|k| load_entry(k)).collect()
}

pub fn save_draft(d: &Draft) -> Result<(), WriteError> {
    write(&format!("{DRAFT}{}", d.id), d)
}

pub fn load_draft(id: &str) -> Option<Draft> {
    let key = format!("{DRAFT}{id}");
    match read::<Draft>(&key)? {
        Ok(d) => Some(d),
        Err(text) => {
            quarantine(&key, &text);
            None
        }
    }
}

pub fn delete_draft(id: &str) {
    LocalStorage::delete(format!("{DRAFT}{id}"));
}

/// All drafts, most recently edited first.
pub fn list_drafts() -> Vec<Draft> {
    let mut drafts: Vec<Draft> = keys_with(DRAFT).iter().filter_map(|k| load_draft(k.trim_start_matches(DRAFT))).collect();
    phieu_core::sort::sort_by(&mut drafts, |a, b| b.updated_at.total_cmp(&a.updated_at).is_lt());
    drafts
}

/// Keeps a form definition opened by address, so it opens offline next
/// time, and a copy by version, so a draft can always reopen on its version.
pub fn cache_form(url: &str, form_id: &str, version: &str, text: &str) -> Result<(), WriteError> {
    write(&format!("{FORM}{url}"), &text)?;
    let key = version_key(Some(url), form_id, version);
    if raw(&key).is_none() {
        write(&key, &text)?;
    }
    Ok(())
}

/// A copy of one version is kept under the address it came from: a
/// definition from one address never stands in for another's, whatever id
/// and version it claims. Copies stored by id and version alone (before
/// this rule) are still read when there is no other.
fn version_key(source: Option<&str>, form_id: &str, version: &str) -> String {
    match source {
        Some(url) => format!("{FORM_VERSION}{url}#{form_id}@{version}"),
        None => format!("{FORM_VERSION}{form_id}@{version}"),
    }
}

pub fn cached_form(url: &str) -> Option<String> {
    read(&format!("{FORM}{url}"))?.ok()
}

/// The stored definition of a version, from `source` when it is known.
pub fn form_by_version(source: Option<&str>, form_id: &str, version: &str) -> Option<String> {
    let from = |source| read(&version_key(source, form_id, version))?.ok();
    source.and_then(|url| from(Some(url))).or_else(|| from(None))
}

/// Parsed definitions by storage key; `None` where none is stored. A device
/// holds a handful: a list costs less wasm than a map.
type Forms = Vec<(String, Option<Rc<Form>>)>;

thread_local! {
    static FORMS: RefCell<Forms> = const { RefCell::new(Vec::new()) };
}

/// A stored definition, read once per page load: a version never changes,
/// so lists and exports share one parsed copy.
pub fn stored_form(source: Option<&str>, form_id: &str, version: &str) -> Option<Rc<Form>> {
    let key = version_key(source, form_id, version);
    if let Some(hit) = FORMS.with_borrow(|m| m.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone())) {
        return hit;
    }
    let form = form_by_version(source, form_id, version).and_then(|t| phieu_core::load(&t).form).map(Rc::new);
    FORMS.with_borrow_mut(|m| m.push((key, form.clone())));
    form
}

/// Records that were moved aside because they could not be read: key and raw text.
/// Also those that could not be moved and stay under their own key.
pub fn quarantined() -> Vec<(String, String)> {
    let moved = keys_with(QUARANTINE).into_iter().filter_map(|k| raw(&k).map(|t| (k.trim_start_matches(QUARANTINE).to_string(), t)));
    let unmoved: Vec<(String, String)> = UNMOVED.with_borrow(|u| u.iter().filter_map(|k| raw(k).map(|t| (k.clone(), t))).collect());
    moved.chain(unmoved).collect()
}

/// What the office sent back, as last fetched.
#[inline(never)]
pub fn load_feed() -> Feed {
    raw(FEED).and_then(|t| record::unwrap(&t)).map(Feed::from_json).unwrap_or_default()
}

pub fn save_feed(f: &Feed) -> Result<(), WriteError> {
    write_raw(FEED, &record::wrap(f.json()))
}

pub fn save_settings(s: &Settings) -> Result<(), WriteError> {
    write(SETTINGS, s)
}

pub fn load_settings() -> Settings {
    read(SETTINGS).and_then(Result::ok).unwrap_or_default()
}

pub fn save_lang(lang: crate::i18n::Lang) -> Result<(), WriteError> {
    write(LANG, &lang)
}

pub fn load_lang() -> Option<crate::i18n::Lang> {
    read(LANG)?.ok()
}

/// Roughly how many bytes phieu keeps in `localStorage` (UTF-16, as browsers count).
pub fn bytes_used() -> usize {
    keys_with("phieu/").iter().map(|k| (k.len() + raw(k).map_or(0, |v| v.encode_utf16().count())) * 2).sum()
}
