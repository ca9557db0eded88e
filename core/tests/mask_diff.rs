//! phieu's input masks against survey-core's: every case survey-core's own
//! mask classes answered in `tests/mask-diff/expected.jsonl` (written by
//! `node tests/mask-diff/surveyjs.mjs`) must get the same answer from
//! `phieu_core::mask`, or match an entry of `known-differences.json`.
//! Every request the masks make of the engine, with its answer, is written to
//! `target/tmp/mask-wire.jsonl`, which `tests/mask-diff/module.mjs` asks the
//! phone's mask module (mask/, the same engine built `no_std`) again.

use phieu_core::mask::{Edit, Mask};
use phieu_core::Kind;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/mask-diff");

fn mask_of(spec: &Value) -> Mask {
    let form = json!({"elements": [{"type": "text", "name": "q", "maskType": spec["maskType"], "maskSettings": spec["maskSettings"]}]});
    let loaded = phieu_core::load(&form.to_string());
    let form = loaded.form.unwrap_or_else(|| panic!("{spec} does not load: {:?}", loaded.diagnostics));
    match &form.pages[0].elements[0].kind {
        Kind::Text { mask: Some(m), .. } => (**m).clone(),
        other => panic!("{spec}: no mask in {other:?}"),
    }
}

/// What phieu gives for one case, in the expected file's terms.
fn phieu(m: &Mask, op: &str, args: &Value) -> Value {
    let text = || args["text"].as_str().unwrap_or_default();
    match op {
        "masked" => m.masked(Some(&args["value"])).map_or(Value::Null, Value::String),
        "unmasked" => m.unmasked(text()).unwrap_or(Value::Null),
        "stored" => m.stored(text()).unwrap_or(Value::Null),
        "input" => {
            let n = |k: &str| args[k].as_u64().unwrap_or(0) as usize;
            let e = Edit {
                text: text().to_string(),
                start: n("start"),
                end: n("end"),
                inserted: args["inserted"].as_str().unwrap_or_default().to_string(),
                backward: args["backward"] == json!(true),
            };
            let (value, caret) = m.input(&e);
            json!([value, caret])
        }
        other => panic!("unknown op {other}"),
    }
}

/// survey-core answers "" where nothing complete is typed; phieu has no answer then.
fn normal(op: &str, out: &Value) -> Value {
    match (op, out) {
        ("unmasked" | "stored", Value::String(s)) if s.is_empty() => Value::Null,
        _ => out.clone(),
    }
}

/// Each request to the engine and its answer, in the order first asked.
static WIRE: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

fn recording_engine(request: &str) -> Option<String> {
    let reply = phieu_core::mask::serve(request);
    WIRE.lock().unwrap().push((request.to_string(), reply.clone()));
    Some(reply)
}

#[test]
fn masks_give_what_survey_core_gives() {
    phieu_core::mask::set_engine(recording_engine);
    let expected = std::fs::read_to_string(format!("{DIR}/expected.jsonl")).expect("run node tests/mask-diff/surveyjs.mjs");
    let known: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/known-differences.json")).unwrap()).unwrap();
    let mut masks: BTreeMap<String, Mask> = BTreeMap::new();
    let (mut passed, mut explained, mut failed) = (0, 0, Vec::new());
    let mut used = vec![false; known.len()];
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let key = case["mask"].to_string();
        let m = masks.entry(key).or_insert_with(|| mask_of(&case["mask"]));
        let op = case["op"].as_str().unwrap();
        let got = phieu(m, op, &case["args"]);
        if got == normal(op, &case["out"]) {
            passed += 1;
            continue;
        }
        let view = json!({
            "maskType": case["mask"]["maskType"],
            "pattern": case["mask"]["maskSettings"]["pattern"],
            "op": op,
            "out": case["out"],
            "args": case["args"],
        });
        let hit = known.iter().position(|k| k["match"].as_object().unwrap().iter().all(|(f, v)| view[f] == *v));
        match hit {
            Some(i) => {
                used[i] = true;
                explained += 1;
            }
            None => failed.push(format!("{line}\n    phieu: {got}")),
        }
    }
    let unused: Vec<&str> = known.iter().zip(&used).filter(|(_, u)| !**u).map(|(k, _)| k["why"].as_str().unwrap_or("")).collect();
    println!("mask-diff: {passed} passed, {explained} known differences, {} failed", failed.len());
    assert!(
        failed.is_empty(),
        "{} differences from survey-core, the first:\n{}",
        failed.len(),
        failed.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(unused.is_empty(), "known differences that no case shows any more: {unused:?}");
    assert!(passed > 4000, "the corpus shrank: {passed} cases");
    let mut seen = std::collections::BTreeSet::new();
    let lines: String = WIRE
        .lock()
        .unwrap()
        .iter()
        .filter(|(request, _)| seen.insert(request.clone()))
        .map(|(request, reply)| json!([request, reply]).to_string() + "\n")
        .collect();
    assert!(seen.len() > 3000, "the masks asked the engine {} things", seen.len());
    std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/mask-wire.jsonl"), lines).unwrap();
}
