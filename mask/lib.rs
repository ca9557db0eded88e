//! The phone's mask module: `phieu_core::mask`'s engine (what a mask does
//! to each keystroke, and between answers and text) as a wasm module of its
//! own, so the first download holds no mask logic. `src/mask.js` fetches it
//! when a form with a mask opens; the app's `mask::set_engine` bridge then
//! calls it synchronously.
//!
//! Small because it is `#![no_std]`: it compiles phieu-core's engine files
//! (`mask/engine.rs`, `mask/settings.rs`, `expr/date/civil.rs`) itself, with
//! no standard library, and so with none of its allocator, formatting and
//! panic machinery. Memory is a bump allocator emptied at each request; a
//! panic traps; numbers are read and printed by the browser (`env` imports).
//! Natively this crate is empty: phieu-core runs the same files there.
//!
//! No wasm-bindgen: text crosses through this module's memory. The caller
//! asks `alloc(n)` for room, writes a request of `n` bytes of UTF-8 there
//! (`phieu_core::mask::Wire`) and calls `call(at, n)`, which answers with the
//! address of the reply: its length (4 bytes, little-endian), then its
//! bytes, valid until the next `alloc`.
#![cfg(target_arch = "wasm32")]
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;

#[path = "../core/src/expr/date/civil.rs"]
mod civil;
#[path = "../core/src/mask/engine.rs"]
#[allow(dead_code)]
mod engine;
#[path = "../core/src/mask/settings.rs"]
#[allow(dead_code)]
mod settings;

// What `engine.rs` finds in phieu-core through `use super::*` and `crate::`.
use settings::*;
mod expr {
    pub mod date {
        pub use crate::civil::*;
    }
}

/// The browser's numbers (JavaScript's own rules, and no parser or printer here).
mod num {
    use alloc::string::String;

    #[link(wasm_import_module = "env")]
    extern "C" {
        fn parse_float(at: *const u8, n: usize) -> f64;
        fn number_text(x: f64, at: *mut u8) -> usize;
        pub fn pow(x: f64, y: f64) -> f64;
    }

    /// `parseFloat(s)`: the engine reads only digits, a sign and a point.
    pub fn parse(s: &str) -> Option<f64> {
        Some(unsafe { parse_float(s.as_ptr(), s.len()) })
    }

    /// `String(x)`, at most 25 ASCII characters (`-1.7976931348623157e+308`).
    pub fn to_js_string(x: f64) -> String {
        let mut text = [0u8; 32];
        let n = unsafe { number_text(x, text.as_mut_ptr()) };
        text[..n.min(32)].iter().map(|&b| char::from(b)).collect()
    }
}

/// The float methods the engine calls that `core` lacks (the standard
/// library's are its platform's): by integers, and `Math.pow`.
trait Float {
    fn floor(self) -> f64;
    fn ceil(self) -> f64;
    fn fract(self) -> f64;
    fn powf(self, y: f64) -> f64;
}

/// `Math.trunc`: beyond 2^52 every float is whole already (and NaN stays).
fn trunc(x: f64) -> f64 {
    if x > -4_503_599_627_370_496.0 && x < 4_503_599_627_370_496.0 {
        x as i64 as f64
    } else {
        x
    }
}

impl Float for f64 {
    fn floor(self) -> f64 {
        let t = trunc(self);
        if t > self {
            t - 1.0
        } else {
            t
        }
    }
    fn ceil(self) -> f64 {
        let t = trunc(self);
        if t < self {
            t + 1.0
        } else {
            t
        }
    }
    fn fract(self) -> f64 {
        self - trunc(self)
    }
    fn powf(self, y: f64) -> f64 {
        unsafe { num::pow(self, y) }
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    wasm32::unreachable()
}

/// Memory handed out upwards from the heap's start and never freed one by
/// one: a request needs little, and `alloc` empties it all for the next.
struct Bump;

static mut NEXT: usize = 0;
const PAGE: usize = 65_536;

extern "C" {
    static __heap_base: u8;
}

/// Moves the end of what is handed out to `end`, growing memory as needed.
unsafe fn reach(end: usize) -> bool {
    let have = wasm32::memory_size(0) * PAGE;
    if end > have && wasm32::memory_grow(0, (end - have).div_ceil(PAGE)) == usize::MAX {
        return false;
    }
    NEXT = end;
    true
}

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let at = (NEXT + layout.align() - 1) & !(layout.align() - 1);
        if reach(at + layout.size()) {
            at as *mut u8
        } else {
            core::ptr::null_mut()
        }
    }
    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    unsafe fn realloc(&self, at: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // The last block grows in place (a string being pushed to).
        if at as usize + layout.size() == NEXT {
            return if reach(at as usize + size) { at } else { core::ptr::null_mut() };
        }
        let new = self.alloc(Layout::from_size_align_unchecked(size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(at, new, layout.size().min(size));
        }
        new
    }
}

#[global_allocator]
static BUMP: Bump = Bump;

/// Room for a request of `n` bytes; everything handed out before is free again.
#[no_mangle]
pub extern "C" fn alloc(n: usize) -> *mut u8 {
    unsafe {
        NEXT = core::ptr::addr_of!(__heap_base) as usize;
        BUMP.alloc(Layout::from_size_align_unchecked(n, 1))
    }
}

/// Answers the request of `n` bytes at `at` (from `alloc`).
///
/// # Safety
/// `at` and `n` are what `alloc(n)` was given and returned, with `n` bytes of
/// UTF-8 written (`TextEncoder`'s, which is always valid).
#[no_mangle]
pub unsafe extern "C" fn call(at: *const u8, n: usize) -> *const u8 {
    let request = core::str::from_utf8_unchecked(core::slice::from_raw_parts(at, n));
    let reply = engine::serve(request);
    let mut out = Vec::with_capacity(4 + reply.len());
    out.extend_from_slice(&(reply.len() as u32).to_le_bytes());
    out.extend_from_slice(reply.as_bytes());
    let at = out.as_ptr();
    core::mem::forget(out);
    at
}
