//! Everything the phone asks of the engine, and no UI: loading a form,
//! its logic, validation, the submitted result, the outbox, how answers
//! read, Markdown. Built like the app (release profile, wasm-opt -Oz), its
//! size is the floor under the app's bundle: what no renderer can remove.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn probe(form: &str, answers: &str, entries: &str) -> String {
    let loaded = phieu_core::load(form);
    let Some(form) = loaded.form else {
        return loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    };
    let a: phieu_core::Answers = serde_json::from_str(answers).unwrap_or_default();
    let logic = phieu_core::Logic::compile(&form);
    let clock = phieu_core::expr::Clock { now_ms: js_sys::Date::now(), utc_offset_min: 0.0 };
    let mut state = logic.evaluate_all(&a, &clock);
    logic.update(&mut state, &a, &clock, "x");
    let errors = phieu_core::validate::check(&form, &logic, &state, &a, &clock, &[]);
    let result = phieu_core::logic::result(&form, &logic, &state, &a, &clock);
    let mut outbox = phieu_core::Outbox::new(serde_json::from_str(entries).unwrap_or_default());
    outbox.retry_now(js_sys::Date::now());
    let shown = form.questions().flat_map(|q| phieu_core::display::answer(q, &serde_json::Value::Null, None, "vi")).count();
    let blocks = form.completed_html.as_ref().map_or(0, |c| phieu_core::markdown::parse(c.get("vi")).len());
    format!(
        "{} {} {} {} {} {}",
        errors.iter().map(|e| e.message("vi")).collect::<String>(),
        serde_json::to_string(&result).unwrap_or_default(),
        serde_json::to_string(outbox.entries()).unwrap_or_default(),
        shown,
        blocks,
        phieu_core::display::matches(answers, entries),
    )
}
