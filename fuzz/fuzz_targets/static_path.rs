//! The file server's path check: any request path is refused or split into
//! plain segments, none of them a dotfile, `..`, or holding a separator.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = String::from_utf8_lossy(data);
    if let Some(segments) = phieu_cli::statics::segments(&path) {
        for s in segments {
            assert!(!s.is_empty() && !s.starts_with('.') && !s.contains(['/', '\\', '\0']), "{path:?} gave {s:?}");
        }
    }
    let _ = phieu_cli::statics::inline_script_hashes(&path);
});
