//! The expression parser and evaluator: any bytes, read as (lossy) UTF-8,
//! must parse or give an error, never panic. What parses must evaluate
//! against a few answers to a value that serialises, and its printed form
//! must parse again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phieu_core::expr::{evaluate, parse, Clock, MAX_LEN};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn values() -> &'static Map<String, Value> {
    static VALUES: OnceLock<Map<String, Value>> = OnceLock::new();
    VALUES.get_or_init(|| {
        let v = json!({
            "a": 5,
            "b": "text",
            "n": null,
            "flag": true,
            "arr": [1, "x", 2.5, null, [3]],
            "obj": { "x": 1, "y": { "z": [1, 2] } },
            "d": "2024-02-29",
            "big": 1e308,
            "panel": { "q": 1 },
        });
        v.as_object().unwrap().clone()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(tree) = parse(&text) else { return };
    let clock = Clock { now_ms: 1_767_225_600_000.0, utc_offset_min: 420.0 };
    let value = evaluate(&tree, values(), &clock);
    serde_json::to_string(&value.to_json()).expect("a value serialises");
    let _ = tree.variables();
    let printed = tree.to_string();
    if let Err(e) = parse(&printed) {
        // Printing adds parentheses and spaces, so a text near the length
        // limit may print longer than the limit; nothing else excuses it.
        if printed.chars().count() <= MAX_LEN {
            panic!("{text:?} parses, but its printed form {printed:?} does not: {e}");
        }
    }
});
