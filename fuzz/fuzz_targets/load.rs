//! The definition loader: any bytes, read as (lossy) UTF-8, must give a form
//! or diagnostics, never a panic or a stack overflow. A form that loads also
//! has its logic and validation run once, with no answers.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phieu_core::expr::Clock;
use phieu_core::logic::Logic;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = phieu_core::load(&text);
    for d in &loaded.diagnostics {
        let _ = d.to_string();
    }
    let has_errors = loaded.errors().next().is_some();
    match &loaded.form {
        Some(form) => {
            assert!(!has_errors, "a form came back with errors: {:?}", loaded.diagnostics);
            let answers = serde_json::Map::new();
            let clock = Clock { now_ms: 1_767_225_600_000.0, utc_offset_min: 420.0 };
            let _ = Logic::compile(form).evaluate_all(&answers, &clock);
            let _ = phieu_core::validate::validate_at(form, &answers, &clock);
        }
        None => assert!(has_errors, "no form, yet no error to say why"),
    }
});
