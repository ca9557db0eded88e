//! The phone's file store: photos, files and signatures kept in IndexedDB
//! by their SHA-256 (`src/media.js`), from the moment one is chosen until
//! the server has every report that names it. Decoding, shrinking, hashing,
//! drawing and the thumbnails are the browser's, in media.js: far fewer
//! bytes there than as views and futures in the wasm.

use js_sys::{Array, Reflect};
use phieu_core::form::FileItem;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/media.js")]
extern "C" {
    #[wasm_bindgen(js_name = keepAll)]
    fn keep_all(input: &JsValue, max: u32, most: u32, room: u32) -> js_sys::Promise;
    /// Shows `items` ([sha256, label, type] each) in a list, with thumbnails.
    pub fn show(ul: &JsValue, items: &Array, remove: &str);
    #[wasm_bindgen(js_name = file)]
    fn js_file(sha: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = sweep)]
    fn js_sweep(sent: &Array, age: f64) -> js_sys::Promise;
    #[wasm_bindgen(js_name = withFiles)]
    fn with_files(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = importFiles)]
    fn import_files(text: &str) -> js_sys::Promise;
    /// A signature pad on a canvas (see media.js).
    pub fn pad(canvas: &JsValue, color: &str, sha: &str);
}

/// Why a file was not kept. Nothing of it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeepError {
    /// Larger than the question's `maxSize`, once made smaller.
    TooLarge,
    /// More than the question takes.
    TooMany,
    Full,
    Other,
}

impl KeepError {
    /// From the name of media.js's error ("" when there was none).
    pub fn of(name: &str) -> Option<KeepError> {
        match name {
            "" => None,
            "TooLarge" => Some(KeepError::TooLarge),
            "TooMany" => Some(KeepError::TooMany),
            n => Some(if crate::storage::is_full(n) { KeepError::Full } else { KeepError::Other }),
        }
    }
}

/// Keeps the files chosen in `input` (at most `room`): each photo made
/// smaller (longest side `max_image` pixels, JPEG), hashed and stored. The
/// items stored, and why the others were not.
pub async fn keep_chosen(input: &JsValue, max_image: u32, max_size: Option<u32>, room: u32) -> (Vec<FileItem>, Option<KeepError>) {
    let Ok(r) = JsFuture::from(keep_all(input, max_image, max_size.unwrap_or(0), room)).await else {
        return (Vec::new(), Some(KeepError::Other));
    };
    let r = Array::from(&r);
    let items = Array::from(&r.get(0)).iter().filter_map(|v| item_of(&v)).collect();
    (items, KeepError::of(&r.get(1).as_string().unwrap_or_default()))
}

/// What the signature pad on `canvas` kept after its last stroke.
pub fn signed(canvas: &JsValue) -> Result<FileItem, KeepError> {
    let get = |k: &str| Reflect::get(canvas, &k.into()).unwrap_or_default();
    item_of(&get("kept")).ok_or_else(|| KeepError::of(&get("failed").as_string().unwrap_or_default()).unwrap_or(KeepError::Other))
}

/// `[name, type, size, sha256]` from media.js.
fn item_of(v: &JsValue) -> Option<FileItem> {
    let a: &Array = v.dyn_ref()?;
    Some(FileItem {
        name: a.get(0).as_string()?,
        media_type: a.get(1).as_string()?,
        size: a.get(2).as_f64()? as u64,
        sha256: a.get(3).as_string()?,
    })
}

/// A kept file's bytes, to send.
pub async fn contents(sha: &str) -> Option<web_sys::Blob> {
    JsFuture::from(js_file(sha)).await.ok()?.dyn_into().ok()
}

/// Forgets kept files that no draft and no report names, but those of
/// `sent` reports (the server has them), once they are an hour old: another
/// tab's draft may be about to name a newer one.
pub async fn sweep(sent: Vec<String>) {
    let sent: Array = sent.iter().map(|id| JsValue::from(id.as_str())).collect();
    let _ = JsFuture::from(js_sweep(&sent, 3_600_000.0)).await;
}

/// An export with the contents of the files its reports name, so that no
/// photo stays behind when reports leave the phone as a file.
pub async fn export_with_files(text: String) -> String {
    JsFuture::from(with_files(&text)).await.ok().and_then(|t| t.as_string()).unwrap_or(text)
}

/// Keeps the files an export brought (each under the hash of its bytes).
pub async fn import(text: &str) -> Result<(), crate::storage::WriteError> {
    JsFuture::from(import_files(text)).await.map(drop).map_err(|e| crate::storage::write_error(&e))
}
