//! What the app keeps on the device.
//!
//! Reports (the outbox), drafts and, later, file contents live in IndexedDB
//! (`src/idb.js`: one database, `phieu`), which holds far more than
//! `localStorage`'s 5 MB and can hold blobs. Small things read synchronously
//! at start stay in `localStorage`: the settings, the language, the office's
//! feed and cached form definitions (a form opens offline without waiting).
//!
//! Each record has its own key and carries a schema version
//! (`phieu_core::record`), so one bad record cannot spoil the others and a
//! later app can migrate them. A record that cannot be read is moved aside
//! (quarantined) and shown, never dropped. Every write is checked: a failure
//! goes back to the caller, which shows it and keeps the data in memory. An
//! IndexedDB write counts as done only once its transaction has committed.
//!
//! An outbox entry is stored in two parts, written in one transaction: the
//! entry without its answers (store `outbox`: what the start screen and the
//! sender's rules read, small), and its answers (store `answers`: read when
//! the entry is sent, exported or shown in full). The answers never change
//! once queued; a new state rewrites the first part only. So the outbox in
//! memory holds entries without their answers, except those not yet moved
//! out of `localStorage` (below).
//!
//! The first start of this version moves every outbox entry and draft from
//! `localStorage` into IndexedDB in one transaction and deletes the old
//! copies only once it has committed. If it fails, the old records stay, the
//! failure is shown, and the app works from them (they are read, sent and
//! updated where they are) until a later start moves them.

use gloo_storage::{LocalStorage, Storage};
use js_sys::Array;
use phieu_core::feed::Feed;
use phieu_core::json::{Fields, FromJson, ToJson, Writer};
pub use phieu_core::Draft;
use phieu_core::{record, Entry, Form};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

pub const OUTBOX: &str = "phieu/outbox/";
pub const DRAFT: &str = "phieu/draft/";
const FORM: &str = "phieu/form/";
const FORM_VERSION: &str = "phieu/formv/";
const QUARANTINE: &str = "phieu/quarantine/";
const LANG: &str = "phieu/lang";
const SETTINGS: &str = "phieu/settings";
const FEED: &str = "phieu/feed";
/// The addresses of the forms that have drafts, for `index.html`'s inline
/// script, which preloads a form's definition unless a draft will reopen on
/// its stored copy, and cannot wait for IndexedDB.
const DRAFT_FORMS: &str = "phieu/draftforms";

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

impl Settings {
    /// Who this phone is enrolled as: "name (unit)", for the settings and enrol screens.
    pub fn who(&self) -> Option<String> {
        self.name.clone().map(|n| format!("{n}{}", self.unit.as_deref().map(|u| format!(" ({u})")).unwrap_or_default()))
    }
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

#[wasm_bindgen(module = "/src/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = write)]
    fn idb_write(ops: &Array) -> js_sys::Promise;
    #[wasm_bindgen(js_name = get)]
    fn idb_get(stores: &Array, key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = all)]
    fn idb_all(store: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = later)]
    fn idb_later(endpoint: &str, token: &str) -> js_sys::Promise;
}

/// IndexedDB stores (see `src/idb.js`).
const ENTRIES: &str = "outbox";
const ANSWERS: &str = "answers";
const DRAFTS: &str = "drafts";
const ASIDE: &str = "quarantine";

/// Whether a DOMException's name says the site's storage is full.
pub fn is_full(name: &str) -> bool {
    name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED"
}

pub fn write_error(e: &JsValue) -> WriteError {
    let name = js_sys::Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    if is_full(&name) {
        WriteError::Full
    } else {
        WriteError::Other(crate::platform::error_text(e))
    }
}

fn write_raw(key: &str, text: &str) -> Result<(), WriteError> {
    LocalStorage::raw().set_item(key, text).map_err(|e| write_error(&e))
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
    Some(parse(&text).ok_or(text))
}

fn parse<T: FromJson>(text: &str) -> Option<T> {
    record::unwrap(text).and_then(|d| T::from_json(&d).ok())
}

/// Moves an unreadable `localStorage` record aside, where the person can see
/// and export it. The original goes only once its copy is stored: when
/// storage is full the record stays where it is, and is listed all the same.
fn quarantine(key: &str, text: &str) {
    match write_raw(&format!("{QUARANTINE}{key}"), text) {
        Ok(()) => LocalStorage::delete(key),
        Err(_) => unmoved(key),
    }
}

fn unmoved(name: &str) {
    UNMOVED.with_borrow_mut(|u| {
        if !u.iter().any(|k| k == name) {
            u.push(name.to_string());
        }
    })
}

thread_local! {
    /// Unreadable records that could not be moved aside (storage was full).
    static UNMOVED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Records set aside in IndexedDB, by store and key.
    static ASIDE_NAMES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Outbox entries still in `localStorage` (their move failed), by id.
    static LEFTOVER: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The drafts, read once at start: a handful, needed synchronously.
    static DRAFT_LIST: RefCell<Vec<Draft>> = const { RefCell::new(Vec::new()) };
}

/// One write of [`idb_write`]: `None` deletes.
fn op(store: &str, key: &str, value: Option<String>) -> JsValue {
    Array::of3(&store.into(), &key.into(), &value.map_or(JsValue::UNDEFINED, JsValue::from)).into()
}

/// Writes `ops` in one transaction; `Ok` once it has committed.
async fn commit(ops: Vec<JsValue>) -> Result<(), WriteError> {
    let ops: Array = ops.into_iter().collect();
    JsFuture::from(idb_write(&ops)).await.map(drop).map_err(|e| write_error(&e))
}

/// An entry's two records: without its answers, and its answers.
fn entry_ops(e: &Entry) -> [JsValue; 2] {
    let mut light = e.clone();
    let answers = std::mem::take(&mut light.submission.answers);
    [op(ENTRIES, e.id(), Some(record::wrap(&light))), op(ANSWERS, e.id(), Some(record::wrap(&answers)))]
}

fn is_leftover(id: &str) -> bool {
    LEFTOVER.with_borrow(|l| l.iter().any(|k| k == id))
}

/// Sets an unreadable IndexedDB record aside (with the entry's answers,
/// when it is an entry), in one transaction: copied and removed, or neither.
async fn set_aside(store: &str, id: &str, texts: &[Option<String>]) {
    let name = format!("{store}/{id}");
    let mut ops = Vec::new();
    for (part, text) in [store, ANSWERS].iter().zip(texts) {
        ops.push(op(part, id, None));
        ops.push(op(ASIDE, &format!("{part}/{id}"), text.clone()));
    }
    if commit(ops).await.is_ok() {
        ASIDE_NAMES.with_borrow_mut(|a| a.push(name));
    } else {
        unmoved(&name);
    }
}

/// Every key and text of an IndexedDB store.
async fn all(store: &str) -> Vec<(String, String)> {
    let Ok(kv) = JsFuture::from(idb_all(store)).await else { return Vec::new() };
    let (keys, values): (Array, Array) = (Array::from(&kv.get(0)), Array::from(&kv.get(1)));
    keys.iter().zip(values.iter()).filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?))).collect()
}

trait Get {
    fn get(&self, i: u32) -> JsValue;
}
impl Get for JsValue {
    fn get(&self, i: u32) -> JsValue {
        js_sys::Reflect::get_u32(self, i).unwrap_or_default()
    }
}

/// Opens the storage at start: moves what an older version left in
/// `localStorage` (see the module's notes), then reads what the start
/// needs: the outbox entries without their answers, and the drafts.
/// Returns the entries and, if the move failed, why.
pub async fn start() -> (Vec<Entry>, Option<WriteError>) {
    let moved = migrate().await.err();
    let mut entries = Vec::new();
    for (id, text) in all(ENTRIES).await {
        match parse::<Entry>(&text) {
            Some(e) => entries.push(e),
            None => {
                let answers = JsFuture::from(idb_get(&Array::of1(&ANSWERS.into()), &id)).await.ok().and_then(|a| a.get(0).as_string());
                set_aside(ENTRIES, &id, &[Some(text), answers]).await
            }
        }
    }
    let mut drafts = Vec::new();
    for (id, text) in all(DRAFTS).await {
        match parse::<Draft>(&text) {
            Some(d) => drafts.push(d),
            None => set_aside(DRAFTS, &id, &[Some(text)]).await,
        }
    }
    // What a failed move left where it was.
    for key in keys_with(OUTBOX) {
        if let Some(e) = load_stored::<Entry>(&key) {
            LEFTOVER.with_borrow_mut(|l| l.push(e.id().to_string()));
            entries.retain(|x| x.id() != e.id());
            entries.push(e);
        }
    }
    for key in keys_with(DRAFT) {
        if let Some(d) = load_stored::<Draft>(&key) {
            drafts.retain(|x| x.id != d.id);
            drafts.push(d);
        }
    }
    DRAFT_LIST.set(drafts);
    note_draft_forms();
    let aside: Vec<String> = all(ASIDE).await.into_iter().map(|(k, _)| k).filter(|k| !k.starts_with(ANSWERS)).collect();
    ASIDE_NAMES.with_borrow_mut(|a| a.extend(aside));
    (entries, moved)
}

/// Copies every outbox entry and draft an older version kept in
/// `localStorage` into IndexedDB, in one transaction, and deletes the old
/// copies only once it has committed. Unreadable ones are set aside as
/// before. On failure nothing is deleted.
async fn migrate() -> Result<(), WriteError> {
    let (mut ops, mut keys) = (Vec::new(), Vec::new());
    for key in keys_with(OUTBOX) {
        if let Some(e) = load_stored::<Entry>(&key) {
            ops.extend(entry_ops(&e));
            keys.push(key);
        }
    }
    for key in keys_with(DRAFT) {
        if let Some(d) = load_stored::<Draft>(&key) {
            ops.push(op(DRAFTS, &d.id, Some(record::wrap(&d))));
            keys.push(key);
        }
    }
    if ops.is_empty() {
        return Ok(());
    }
    commit(ops).await?;
    for key in keys {
        LocalStorage::delete(key);
    }
    Ok(())
}

/// A `localStorage` record; an unreadable one is quarantined.
fn load_stored<T: FromJson>(key: &str) -> Option<T> {
    match read::<T>(key)? {
        Ok(v) => Some(v),
        Err(text) => {
            quarantine(key, &text);
            None
        }
    }
}

pub fn keys_with(prefix: &str) -> Vec<String> {
    let s = LocalStorage::raw();
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
}

/// Puts a finished report in the outbox: the entry and its answers, in one
/// transaction. `Ok` once it has committed.
pub async fn queue_entry(e: &Entry) -> Result<(), WriteError> {
    commit(entry_ops(e).into()).await
}

/// Stores an entry's new state. Its answers were stored when it was queued
/// and never change; an entry no longer stored (another tab removed it) is
/// not written back without them.
pub async fn save_entry(e: &Entry) -> Result<(), WriteError> {
    if is_leftover(e.id()) {
        return write(&format!("{OUTBOX}{}", e.id()), e);
    }
    let [light, _] = entry_ops(e);
    let _ = js_sys::Reflect::set_u32(&light, 3, &JsValue::TRUE); // only if present
    commit(vec![light]).await
}

/// Removes an entry (sent and pruned, or replaced). Nothing is lost if it fails.
pub fn delete_entry(id: &str) {
    LocalStorage::delete(format!("{OUTBOX}{id}"));
    let ops = vec![op(ENTRIES, id, None), op(ANSWERS, id, None)];
    leptos::task::spawn_local(async move {
        let _ = commit(ops).await;
    });
}

/// One stored entry with its answers, as it is to be sent or exported;
/// `None` if it is gone, or unreadable (then it is set aside).
pub async fn load_entry(id: &str) -> Option<Entry> {
    if is_leftover(id) {
        return load_stored(&format!("{OUTBOX}{id}"));
    }
    let parts = JsFuture::from(idb_get(&Array::of2(&ENTRIES.into(), &ANSWERS.into()), id)).await.ok()?;
    let (light, answers) = (parts.get(0).as_string()?, parts.get(1).as_string());
    let mut e = parse::<Entry>(&light);
    match (&mut e, answers.as_deref().and_then(parse)) {
        (Some(e), Some(a)) => e.submission.answers = a,
        _ => {
            set_aside(ENTRIES, id, &[Some(light), answers]).await;
            return None;
        }
    }
    e
}

/// Every stored entry's answers, for the outbox screen and its exports.
pub async fn load_answers() -> Vec<(String, phieu_core::Answers)> {
    let mut out: Vec<_> = all(ANSWERS).await.into_iter().filter_map(|(id, text)| Some((id, parse(&text)?))).collect();
    for id in LEFTOVER.with_borrow(Clone::clone) {
        if let Some(e) = load_stored::<Entry>(&format!("{OUTBOX}{id}")) {
            out.push((id, e.submission.answers));
        }
    }
    out
}

/// Calls `changed(id, entry)` when another tab has stored (`Some`, without
/// its answers) or removed (`None`) an outbox entry.
pub fn on_other_tab(changed: impl Fn(String, Option<Entry>) + Copy + 'static) {
    let _ = leptos::prelude::window_event_listener_untyped("phieu-changed", move |e| {
        let ids = Array::from(&js_sys::Reflect::get(&e, &"detail".into()).unwrap_or_default());
        for id in ids.iter().filter_map(|i| i.as_string()) {
            leptos::task::spawn_local(async move {
                let stored = JsFuture::from(idb_get(&Array::of1(&ENTRIES.into()), &id)).await.ok();
                let entry = stored.and_then(|s| s.get(0).as_string()).and_then(|t| parse(&t));
                changed(id, entry);
            });
        }
    });
}

/// Has the service worker send the outbox to `endpoint` when a connection
/// returns, even if the app is closed by then (where the browser can).
pub fn send_later(endpoint: &str, token: &str) {
    let _ = idb_later(endpoint, token);
}

/// Saves a draft. It is first written to `localStorage`, synchronously, so
/// that a page closed before the IndexedDB transaction commits (which would
/// then be aborted) keeps its last answer: the next start moves that copy
/// over. The copy goes once the same text is committed in IndexedDB.
pub async fn save_draft(d: &Draft) -> Result<(), WriteError> {
    DRAFT_LIST.with_borrow_mut(|l| match l.iter_mut().find(|x| x.id == d.id) {
        Some(x) => *x = d.clone(),
        None => l.push(d.clone()),
    });
    note_draft_forms();
    let (key, text) = (format!("{DRAFT}{}", d.id), record::wrap(d));
    let _ = write_raw(&key, &text); // IndexedDB's answer is the one that counts
    commit(vec![op(DRAFTS, &d.id, Some(text.clone()))]).await?;
    // Not if a later save has written a newer copy meanwhile.
    if raw(&key).as_deref() == Some(&text) {
        LocalStorage::delete(key);
    }
    Ok(())
}

pub fn load_draft(id: &str) -> Option<Draft> {
    DRAFT_LIST.with_borrow(|l| l.iter().find(|d| d.id == id).cloned())
}

pub fn delete_draft(id: &str) {
    DRAFT_LIST.with_borrow_mut(|l| l.retain(|d| d.id != id));
    note_draft_forms();
    LocalStorage::delete(format!("{DRAFT}{id}"));
    let ops = vec![op(DRAFTS, id, None)];
    leptos::task::spawn_local(async move {
        let _ = commit(ops).await;
    });
}

/// Writes [`DRAFT_FORMS`] when it has changed.
fn note_draft_forms() {
    let mut urls: Vec<String> = Vec::new();
    DRAFT_LIST.with_borrow(|l| {
        for d in l {
            if !urls.contains(&d.form_url) {
                urls.push(d.form_url.clone());
            }
        }
    });
    let text = record::wrap(&urls);
    if raw(DRAFT_FORMS).as_deref() != Some(&text) {
        let _ = write_raw(DRAFT_FORMS, &text); // at worst, a preload too many
    }
}

/// All drafts, most recently edited first.
pub fn list_drafts() -> Vec<Draft> {
    let mut drafts = DRAFT_LIST.with_borrow(Clone::clone);
    phieu_core::sort::sort_by(&mut drafts, |a, b| b.updated_at.total_cmp(&a.updated_at).is_lt());
    drafts
}

/// A form definition as the phone keeps it: its text and the lists it
/// names (`choicesByUrl`), by address as written, as they were fetched with
/// it. The version a draft reopens on holds its lists: a list changed on
/// the server since never changes what a half-filled report offers.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub text: String,
    pub lists: Vec<phieu_core::read::List>,
}

impl Kept {
    pub fn load(&self) -> phieu_core::Loaded {
        phieu_core::load_with(&self.text, &self.lists)
    }
}

/// A definition without lists is its text, as it was stored before lists;
/// with lists, `{"form", "lists": [[address, text]…]}`.
impl ToJson for Kept {
    fn write_json(&self, w: &mut Writer) {
        if self.lists.is_empty() {
            return self.text.write_json(w);
        }
        w.begin_object();
        w.field("form", &self.text);
        w.field("lists", &Lists(&self.lists));
        w.end_object();
    }
}

/// The lists as `[[address, text]…]`, written in place (no new generic code).
struct Lists<'a>(&'a [phieu_core::read::List]);

impl ToJson for Lists<'_> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        for (address, text) in self.0 {
            w.begin_array();
            w.item(address);
            w.item(&text.as_deref().unwrap_or(""));
            w.end_array();
        }
        w.end_array();
    }
}

impl FromJson for Kept {
    fn from_json(v: &Value) -> Result<Self, String> {
        if let Some(text) = v.as_str() {
            return Ok(Kept { text: text.to_string(), lists: Vec::new() });
        }
        // By hand: a generic list of pairs is code of its own in the wasm.
        let pair = |p: &Value| Some((p.get(0)?.as_str()?.to_string(), Ok(p.get(1)?.as_str()?.to_string())));
        let lists = v.get("lists").and_then(Value::as_array).and_then(|ls| ls.iter().map(pair).collect());
        match (v.get("form").and_then(Value::as_str), lists) {
            (Some(text), Some(lists)) => Ok(Kept { text: text.to_string(), lists }),
            _ => Err("expected a form kept with its lists".into()),
        }
    }
}

/// Keeps a form definition opened by address, with its lists, so it opens
/// offline next time, and a copy by version, so a draft can always reopen
/// on its version.
pub fn cache_form(url: &str, form_id: &str, version: &str, kept: &Kept) -> Result<(), WriteError> {
    write(&format!("{FORM}{url}"), kept)?;
    let key = version_key(Some(url), form_id, version);
    if raw(&key).is_none() {
        write(&key, kept)?;
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

pub fn cached_form(url: &str) -> Option<Kept> {
    read(&format!("{FORM}{url}"))?.ok()
}

/// The stored definition of a version, from `source` when it is known.
pub fn form_by_version(source: Option<&str>, form_id: &str, version: &str) -> Option<Kept> {
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
    let form = form_by_version(source, form_id, version).and_then(|k| k.load().form).map(Rc::new);
    FORMS.with_borrow_mut(|m| m.push((key, form.clone())));
    form
}

/// The names of records that were moved aside because they could not be
/// read, and of those that could not be moved and stay where they were.
pub fn quarantined() -> Vec<String> {
    let moved = keys_with(QUARANTINE).into_iter().map(|k| k.trim_start_matches(QUARANTINE).to_string());
    let aside = ASIDE_NAMES.with_borrow(Clone::clone);
    let unmoved = UNMOVED.with_borrow(|u| u.iter().filter(|k| !k.starts_with("phieu/") || raw(k).is_some()).cloned().collect::<Vec<_>>());
    moved.chain(aside).chain(unmoved).collect()
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
