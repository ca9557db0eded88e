//! phieu's side of bench/logic.sh: compile a form's logic, evaluate all of
//! it, then apply answers one by one. Prints one JSON line of timings and
//! how many rules each change evaluated.

use phieu_core::expr::Clock;
use phieu_core::{Answers, Logic};
use serde_json::{json, Value};
use std::time::Instant;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let form_text = std::fs::read_to_string(&args[1]).expect("form file");
    let changes: Vec<(String, Value)> = serde_json::from_str(&std::fs::read_to_string(&args[2]).expect("changes file")).expect("changes");
    let clock = Clock::default();

    let t = Instant::now();
    let form = phieu_core::load(&form_text).form.expect("the benchmark form loads");
    let logic = Logic::compile(&form);
    let load = ms(t);

    let mut answers = Answers::new();
    for _ in 0..5 {
        logic.evaluate_all(&answers, &clock);
    }
    let fulls: Vec<f64> = (0..50)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(logic.evaluate_all(&answers, &clock));
            ms(t)
        })
        .collect();

    let mut state = logic.evaluate_all(&answers, &clock);
    let mut single = Vec::new();
    let mut evaluated = Vec::new();
    for (name, value) in changes {
        let t = Instant::now();
        answers.insert(name.clone(), value);
        let before = state.evaluations;
        logic.update(&mut state, &answers, &clock, &name);
        single.push(ms(t));
        evaluated.push(state.evaluations - before);
    }
    let shown = phieu_core::logic::shown(&form, &state);
    let visible = form.questions().filter(|q| shown.contains(&q.name.to_lowercase())).count();
    println!(
        "{}",
        json!({"load_ms": load, "full_ms": fulls, "change_ms": single, "evaluated": evaluated, "rules": logic.len(), "visible": visible})
    );
}
