//! The core's modules form layers: no module uses one that uses it back.
//! The one allowed pair is the expression evaluator and its functions,
//! which call each other as SurveyJS's do. ARCHITECTURE.md lists the layers.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const EXPR_PARTS: &[&str] = &["date", "value", "eval", "functions", "parse"];
const ALLOWED: &[(&str, &str)] = &[("expr::eval", "expr::functions")];

/// Each module of `core/src` and the modules of the core it names, read
/// from the source with comments and tests left out.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(String, String)> = Vec::new();
    for dir in [src.clone(), src.join("expr"), src.join("mask")] {
        for f in fs::read_dir(&dir).expect("core/src is readable") {
            let path = f.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let stem = path.file_stem().and_then(|s| s.to_str()).expect("a file name").to_string();
            let name = match (dir == src, stem.as_str()) {
                (true, "lib") => continue,
                (true, _) => stem,
                (false, "mod") => "expr".to_string(),
                // The mask's engine counts as the mask module itself.
                (false, _) if dir.ends_with("mask") => "mask".to_string(),
                (false, _) => format!("expr::{stem}"),
            };
            files.push((name, fs::read_to_string(&path).expect("a source file")));
        }
    }
    let modules: BTreeSet<String> = files.iter().map(|(n, _)| n.split("::").next().unwrap_or(n).to_string()).collect();
    let mut out = BTreeMap::new();
    for (name, text) in files {
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let mut deps = BTreeSet::new();
        let mut add = |first: &str, second: Option<&str>| {
            let dep = match second {
                Some(s) if first == "expr" && EXPR_PARTS.contains(&s) => format!("expr::{s}"),
                _ => first.to_string(),
            };
            if modules.contains(first) && dep != name {
                deps.insert(dep);
            }
        };
        for (prefix, in_expr_only) in [("crate::", false), ("super::", true)] {
            if in_expr_only && !name.starts_with("expr::") {
                continue;
            }
            for (i, _) in code.match_indices(prefix) {
                let rest = &code[i + prefix.len()..];
                // `use crate::{a, b::c}` names several.
                let items: Vec<&str> = match rest.strip_prefix('{') {
                    Some(list) => list.split('}').next().unwrap_or("").split(',').map(str::trim).collect(),
                    None => vec![rest],
                };
                for item in items {
                    let mut parts = item.split("::").map(|p| p.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'));
                    let first = parts.next().unwrap_or("");
                    let second = parts.next();
                    if in_expr_only {
                        add("expr", Some(first));
                    } else {
                        add(first, second);
                    }
                }
            }
        }
        out.entry(name).or_insert_with(BTreeSet::new).extend(deps);
    }
    out
}

fn reaches(g: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str, skip: &BTreeSet<(String, String)>) -> bool {
    let mut stack = vec![from.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(m) = stack.pop() {
        for d in g.get(&m).into_iter().flatten() {
            if skip.contains(&(m.clone(), d.clone())) {
                continue;
            }
            if d == to {
                return true;
            }
            if seen.insert(d.clone()) {
                stack.push(d.clone());
            }
        }
    }
    false
}

#[test]
fn no_module_of_the_core_uses_one_that_uses_it_back() {
    let g = graph();
    assert!(g.len() > 10, "the graph was read: {g:?}");
    let skip: BTreeSet<(String, String)> =
        ALLOWED.iter().flat_map(|(a, b)| [(a.to_string(), b.to_string()), (b.to_string(), a.to_string())]).collect();
    let mut cycles = Vec::new();
    for (m, deps) in &g {
        for d in deps {
            if !skip.contains(&(m.clone(), d.clone())) && reaches(&g, d, m, &skip) {
                cycles.push(format!("{m} → {d} → … → {m}"));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles in phieu-core:\n{}", cycles.join("\n"));
}

#[test]
fn the_model_and_the_lowest_layers_stand_alone() {
    let g = graph();
    let uses = |m: &str| g.get(m).cloned().unwrap_or_default();
    // The model does not read JSON: that is `read`, which knows `spec`.
    for reader_part in ["read", "spec", "diagnostic"] {
        assert!(!uses("form").contains(reader_part), "form uses {reader_part}");
    }
    for leaf in ["answers", "num", "sort", "regex", "spec"] {
        assert!(uses(leaf).is_empty(), "{leaf} should use no other module of the core, uses {:?}", uses(leaf));
    }
    // JSON text sits just above the numbers; the stored records just above it.
    assert_eq!(uses("json"), BTreeSet::from(["num".to_string()]));
    for stored in ["record", "submission"] {
        assert_eq!(uses(stored), BTreeSet::from(["json".to_string()]), "{stored}");
    }
    // The mask's engine is the phone's mask module (mask/): it stays small
    // when the mask stands on the numbers, JSON text and the calendar alone
    // (the module compiles `expr/date/civil.rs` and brings its own `num`).
    assert_eq!(uses("mask"), BTreeSet::from(["expr::date".to_string(), "json".to_string(), "num".to_string()]));
    assert!(!uses("expr::date").iter().any(|d| d.starts_with("expr")), "dates know nothing of values: {:?}", uses("expr::date"));
}

#[test]
fn the_graph_sees_a_cycle_when_there_is_one() {
    // The check above must be able to fail: a made-up pair is found.
    let mut g = graph();
    g.entry("answers".into()).or_default().insert("validate".into());
    let skip = BTreeSet::new();
    assert!(reaches(&g, "validate", "answers", &skip) && reaches(&g, "answers", "validate", &skip));
}
