//! The server's submission reader: any body, with or without an
//! Idempotency-Key, is read or refused with 400 or 422, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks whether a key is sent, and how long it is.
    let (key, body) = match data.split_first() {
        Some((&n, rest)) if n & 1 == 1 => rest.split_at((n as usize >> 1).min(rest.len())),
        Some((_, rest)) => (&[][..], rest),
        None => (&[][..], data),
    };
    let key = (!key.is_empty()).then_some(key);
    match phieu_cli::serve::read_submission(body, key) {
        Ok((value, sub)) => assert_eq!(value["id"].as_str(), Some(sub.id.as_str())),
        Err((status, message)) => assert!(matches!(status.as_u16(), 400 | 422) && !message.is_empty()),
    }
});
