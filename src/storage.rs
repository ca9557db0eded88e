//! What the app keeps on the device, in `localStorage`.
//!
//! Each record has its own key under `phieu/` and carries a schema version,
//! so one bad record cannot spoil the others and a later app can migrate
//! them. Every write is checked: a failure is returned to the caller, which
//! shows it, and the in-memory copy stays. Photos will later go to IndexedDB
//! under the same record ids; nothing here assumes all data fits in one store.

use gloo_storage::{LocalStorage, Storage};
use phieu_core::{Answers, Entry};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

const SCHEMA: u32 = 1;
const OUTBOX: &str = "phieu/outbox/";
const DRAFT: &str = "phieu/draft/";
const FORM: &str = "phieu/form/";
const LANG: &str = "phieu/lang";

#[derive(Serialize, Deserialize)]
struct Record<T> {
    v: u32,
    data: T,
}

/// An unfinished response, saved on every change.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub form_url: String,
    pub form_id: String,
    pub form_version: String,
    pub started_at: String,
    pub updated_at: String,
    pub answers: Answers,
}

fn write<T: Serialize>(key: &str, data: &T) -> Result<(), String> {
    LocalStorage::set(key, Record { v: SCHEMA, data }).map_err(|e| e.to_string())
}

fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    LocalStorage::get::<Record<T>>(key).ok().map(|r| r.data)
}

fn keys_with(prefix: &str) -> Vec<String> {
    let s = LocalStorage::raw();
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
}

pub fn save_entry(e: &Entry) -> Result<(), String> {
    write(&format!("{OUTBOX}{}", e.id()), e)
}

pub fn delete_entry(id: &str) {
    LocalStorage::delete(format!("{OUTBOX}{id}"));
}

/// Every stored outbox entry, and the keys of those that could not be read.
pub fn load_outbox() -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    for key in keys_with(OUTBOX) {
        match read::<Entry>(&key) {
            Some(e) => entries.push(e),
            None => unreadable.push(key),
        }
    }
    (entries, unreadable)
}

pub fn save_draft(d: &Draft) -> Result<(), String> {
    write(&format!("{DRAFT}{}", d.form_url), d)
}

pub fn load_draft(form_url: &str) -> Option<Draft> {
    read(&format!("{DRAFT}{form_url}"))
}

pub fn delete_draft(form_url: &str) {
    LocalStorage::delete(format!("{DRAFT}{form_url}"));
}

/// Keeps a form definition opened by address, so it opens offline next time.
pub fn cache_form(url: &str, text: &str) -> Result<(), String> {
    write(&format!("{FORM}{url}"), &text)
}

pub fn cached_form(url: &str) -> Option<String> {
    read(&format!("{FORM}{url}"))
}

pub fn save_lang(lang: crate::i18n::Lang) -> Result<(), String> {
    write(LANG, &lang)
}

pub fn load_lang() -> Option<crate::i18n::Lang> {
    read(LANG)
}
