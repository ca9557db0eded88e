use phieu_core::expr::{evaluate, parse, Clock};
fn n() -> usize { std::env::var("N").unwrap().parse().unwrap() }
fn chain() -> phieu_core::expr::Expr { parse(&format!("1{}", "+1".repeat(n()))).unwrap() }
#[test] fn p_parse() { let e = chain(); drop(e); }
#[test] fn p_print() { let e = chain(); let s = e.to_string(); std::mem::forget(e); assert!(s.len() > 0); }
#[test] fn p_eval() { let e = chain(); let v = evaluate(&e, &serde_json::Map::new(), &Clock::default()); std::mem::forget(e); println!("{v:?}"); }
#[test] fn p_vars() { let e = chain(); let v = e.variables(); std::mem::forget(e); println!("{v:?}"); }
#[test] fn p_load() { let t = format!("1{}", "+1".repeat(n())); let f = serde_json::json!({"pages":[{"name":"p","elements":[{"type":"text","name":"a","visibleIf": t}]}]}).to_string(); let l = phieu_core::load(&f); println!("{:?}", l.diagnostics); }
