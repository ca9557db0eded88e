//! The phone's mask module: `phieu_core::mask`'s engine (what a mask does
//! to each keystroke, and between answers and text) as a wasm module of its
//! own, so the first download holds no mask logic. `src/mask.js` fetches it
//! when a form with a mask opens; the app's `mask::set_engine` bridge then
//! calls it synchronously.
//!
//! No wasm-bindgen: text crosses through this module's memory. The caller
//! asks `alloc(n)` for room, writes a request of `n` bytes of UTF-8 there
//! (`phieu_core::mask::Wire`) and calls `call(at, n)`, which takes the
//! request back and answers with the address of the reply: its length
//! (4 bytes, little-endian), then its bytes, valid until the next call.

use std::cell::RefCell;

thread_local! {
    static REPLY: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for a request of `n` bytes; `call` frees it.
#[no_mangle]
pub extern "C" fn alloc(n: usize) -> *mut u8 {
    let mut room = Vec::<u8>::with_capacity(n);
    let at = room.as_mut_ptr();
    std::mem::forget(room);
    at
}

/// Answers the request of `n` bytes at `at` (from `alloc`).
///
/// # Safety
/// `at` and `n` are what `alloc(n)` was given and returned, with `n` bytes written.
#[no_mangle]
pub unsafe extern "C" fn call(at: *mut u8, n: usize) -> *const u8 {
    set_parser();
    let request = String::from_utf8(Vec::from_raw_parts(at, n, n)).unwrap_or_default();
    let reply = phieu_core::mask::serve(&request);
    REPLY.with_borrow_mut(|r| {
        r.clear();
        r.extend_from_slice(&(reply.len() as u32).to_le_bytes());
        r.extend_from_slice(reply.as_bytes());
        r.as_ptr()
    })
}

// Numbers too long to convert exactly are read by the browser's parseFloat,
// as in the app (`phieu_core::num`), not by a parser of this module's own.
#[cfg(target_arch = "wasm32")]
fn set_parser() {
    #[link(wasm_import_module = "env")]
    extern "C" {
        fn parse_float(at: *const u8, n: usize) -> f64;
    }
    phieu_core::num::set_parser(|s| unsafe { parse_float(s.as_ptr(), s.len()) });
}

#[cfg(not(target_arch = "wasm32"))]
fn set_parser() {}
