//! `matrixdropdown` and `matrixdynamic`: reading, answers as SurveyJS shapes
//! them (checked against survey-core 2.5.43 by hand, and by
//! tests/expr-diff/logic-compare.mjs), rules per row, checks and totals.

use phieu_core::expr::{date_parse, Clock};
use phieu_core::session::{defaults, Session};
use phieu_core::{ErrorKind, Kind};
use serde_json::{json, Value};

fn clock() -> Clock {
    Clock { now_ms: date_parse("2026-11-26T10:00:00Z", &Clock::default()), utc_offset_min: 420.0 }
}

fn session(form: Value) -> Session {
    let loaded = phieu_core::load(&form.to_string());
    let form = loaded.form.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let start = defaults(&form);
    Session::new(form, start, clock)
}

fn messages(form: Value) -> Vec<String> {
    phieu_core::load(&form.to_string()).diagnostics.iter().map(|d| d.to_string()).collect()
}

fn has(ms: &[String], needle: &str) -> bool {
    ms.iter().any(|m| m.contains(needle))
}

/// A household's rooms (fixed rows) and its members (rows added).
fn household() -> Value {
    json!({"elements": [
        {"type": "text", "name": "z"},
        {"type": "matrixdropdown", "name": "rooms", "rows": ["bed", {"value": "kitchen", "text": "Kitchen", "visibleIf": "{z} != 'no-kitchen'"}],
         "choices": ["tile", "wood"],
         "columns": [
            {"name": "floor"},
            {"name": "area", "cellType": "text", "inputType": "number", "totalType": "sum", "validators": [{"type": "numeric", "maxValue": 100}]},
            {"name": "note", "cellType": "comment", "visibleIf": "{row.area} > 50"},
            {"name": "twice", "cellType": "expression", "expression": "{row.area} * 2", "totalType": "max"},
            {"name": "which", "cellType": "expression", "expression": "{rowValue} + {rowIndex}"}]},
        {"type": "matrixdynamic", "name": "members", "rowCount": 2, "minRowCount": 1, "maxRowCount": 3,
         "columns": [
            {"name": "who", "cellType": "text", "isRequired": true},
            {"name": "age", "cellType": "text", "inputType": "number", "totalType": "avg"},
            {"name": "works", "cellType": "boolean", "requiredIf": "{row.age} >= 18"},
            {"name": "tags", "cellType": "checkbox", "choices": ["x", "y"], "totalType": "count"}]}
    ]})
}

#[test]
fn both_types_load_with_their_columns_as_questions() {
    let s = session(household());
    let rooms = s.form.question("rooms").unwrap();
    let Kind::Grid(g) = &rooms.kind else { panic!("{:?}", rooms.kind) };
    assert_eq!(g.rows.as_ref().map(Vec::len), Some(2));
    // The default cellType is dropdown, with the matrix's choices.
    assert!(matches!(&g.columns[0].kind, Kind::Dropdown(c) if c.items.len() == 2));
    assert!(matches!(g.columns[2].kind, Kind::Comment { .. }));
    let Kind::Grid(m) = &s.form.question("members").unwrap().kind else { panic!() };
    assert!(m.rows.is_none());
    assert_eq!((m.min, m.max, m.initial), (1, Some(3), 2));
    // rowCount rows to start with, each empty.
    assert_eq!(s.answers["members"], json!([{}, {}]));
}

#[test]
fn answers_have_surveyjs_shapes_with_expression_cells_and_totals() {
    let mut s = session(household());
    // Nothing answered: no matrix in the data, but SurveyJS's totals are.
    let r = s.result();
    assert_eq!(r.get("members"), None, "a matrixdynamic whose rows are all empty is not sent");
    assert_eq!(r["members-total"], json!({"age": 0, "tags": 0}));
    // Expression cells are computed into every shown row, as survey-core's data holds them.
    assert_eq!(r["rooms"], json!({"bed": {"twice": 0, "which": "bed1"}, "kitchen": {"twice": 0, "which": "kitchen2"}}));
    assert_eq!(r["rooms-total"], json!({"area": 0, "twice": 0}));
    s.set("rooms", Some(json!({"bed": {"floor": "wood", "area": 12}, "kitchen": {"area": "8"}})));
    s.set("members", Some(json!([{"who": "An", "age": 40, "tags": ["x"]}, {"who": "Bình", "age": 12}, {}])));
    let r = s.result();
    assert_eq!(
        r["rooms"],
        json!({"bed": {"floor": "wood", "area": 12, "twice": 24, "which": "bed1"}, "kitchen": {"area": "8", "twice": 16, "which": "kitchen2"}})
    );
    assert_eq!(r["rooms-total"], json!({"area": 20, "twice": 24}));
    assert_eq!(r["members"], json!([{"who": "An", "age": 40, "tags": ["x"]}, {"who": "Bình", "age": 12}, {}]));
    assert_eq!(r["members-total"], json!({"age": 26, "tags": 1}));
}

#[test]
fn cell_rules_see_their_own_row() {
    let mut s = session(household());
    s.set("rooms", Some(json!({"bed": {"area": 60, "note": "big"}, "kitchen": {"area": 10, "note": "stale"}})));
    let bed = s.panel("rooms", 0);
    let kitchen = s.panel("rooms", 1);
    let shown = |rules: &phieu_core::sort::HashMap<phieu_core::Target, phieu_core::expr::Val>| {
        rules.get(&phieu_core::Target::Visible("note".into())).is_none_or(phieu_core::expr::is_true)
    };
    assert!(shown(&bed) && !shown(&kitchen));
    // SurveyJS keeps a hidden cell's answer at completion; a hidden row goes.
    assert_eq!(s.result()["rooms"]["kitchen"]["note"], json!("stale"));
    s.set("z", Some(json!("no-kitchen")));
    assert_eq!(s.result()["rooms"], json!({"bed": {"area": 60, "note": "big", "twice": 120, "which": "bed1"}}));
    // requiredIf per row.
    let m = s.panel("members", 0);
    assert!(!m.get(&phieu_core::Target::Required("works".into())).is_some_and(phieu_core::expr::is_true));
    s.set("members", Some(json!([{"who": "An", "age": 40}])));
    let m = s.panel("members", 0);
    assert!(m.get(&phieu_core::Target::Required("works".into())).is_some_and(phieu_core::expr::is_true));
}

#[test]
fn required_cells_column_validators_and_a_required_matrix_are_checked_per_row() {
    let mut f = household();
    f["elements"][2]["isRequired"] = json!(true);
    let mut s = session(f);
    let problems = |s: &Session| s.check().into_iter().map(|p| (p.question, p.kind)).collect::<Vec<_>>();
    // Every row's required cell, even an empty row's (as survey-core); the matrix as a whole.
    let p = problems(&s);
    assert!(p.contains(&("members".into(), ErrorKind::Required)), "{p:?}");
    assert!(p.contains(&("members[0].who".into(), ErrorKind::Required)) && p.contains(&("members[1].who".into(), ErrorKind::Required)));
    s.set("members", Some(json!([{"who": "An", "age": 30}, {"who": "Bình"}])));
    s.set("rooms", Some(json!({"bed": {"area": 120}})));
    let p = problems(&s);
    assert_eq!(
        p,
        vec![
            ("rooms[0].area".into(), ErrorKind::OutOfRange { min: None, max: Some(100.0) }),
            ("members[0].works".into(), ErrorKind::Required)
        ]
    );
    assert_eq!(s.page_of("members[0].works"), Some(0));
    s.set("members", Some(json!([{"who": "An", "age": 30, "works": false}, {"who": "Bình"}])));
    s.set("rooms", Some(json!({"bed": {"area": 90}})));
    assert!(problems(&s).is_empty(), "{:?}", problems(&s));
    // The server accepts what the phone sends, totals included.
    assert!(phieu_core::validate::unexpected(&s.form, &s.result()).is_empty());
    assert!(!phieu_core::validate::unexpected(&s.form, &json!({"rooms": {"bed": {"nope": 1}}}).as_object().unwrap().clone()).is_empty());
}

#[test]
fn totals_follow_survey_core() {
    let s = session(json!({"elements": [{"type": "text", "name": "z"}, {"type": "matrixdynamic", "name": "m", "rowCount": 0, "columns": [
        {"name": "a", "cellType": "text", "totalType": "sum"},
        {"name": "b", "cellType": "text", "totalType": "max"},
        {"name": "c", "cellType": "text", "totalType": "min"},
        {"name": "d", "cellType": "text", "totalExpression": "{row.a} * 10 + {z}"},
        {"name": "e", "cellType": "boolean", "totalType": "count"}]}]}));
    let mut s = s;
    assert_eq!(s.result()["m-total"], json!({"a": 0, "d": 0, "e": 0}), "min and max of no cells are absent");
    s.set("z", Some(json!(1)));
    s.set("m", Some(json!([{"a": "2", "b": "x", "c": 4, "e": false}, {"a": "3", "b": "7", "c": 2}, {"a": "abc", "b": 5}])));
    assert_eq!(s.result()["m-total"], json!({"a": 5, "b": 7, "c": 2, "d": 51, "e": 1}));
}

#[test]
fn a_new_row_starts_with_default_row_value() {
    let s = session(json!({"elements": [{"type": "matrixdynamic", "name": "m", "rowCount": 1, "defaultRowValue": {"a": "z"},
        "columns": [{"name": "a", "cellType": "text"}]}]}));
    assert_eq!(s.answers["m"], json!([{"a": "z"}]));
}

#[test]
fn the_loader_says_what_it_cannot_do_in_a_matrix() {
    let m = messages(json!({"elements": [
        {"type": "matrixdynamic", "name": "a", "minRowCount": 3, "maxRowCount": 2, "detailElements": [], "columns": [
            {"name": "x", "cellType": "ranking"},
            {"name": "y", "cellType": "text", "defaultValueExpression": "1", "visibleIf": "{panel.y} = 1"},
            {"name": "z", "cellType": "text", "visibleIf": "{row.nope} = 1", "totalType": "median"},
            {"name": "y"}]},
        {"type": "matrixdropdown", "name": "b", "columns": [{"name": "c", "cellType": "text", "horizontalScroll": true}], "transposeData": true},
        {"type": "paneldynamic", "name": "p", "templateElements": [{"type": "text", "name": "k"},
            {"type": "matrixdynamic", "name": "inner", "columns": [{"name": "c"}, {"name": "d", "visibleIf": "{panel.k} = 1"},
                {"name": "e", "visibleIf": "{parentPanel.k} = 1"}, {"name": "f", "enableIf": "{panelIndex} = 1"}]}]}
    ]}));
    for needle in [
        "error: elements[0].maxRowCount: maxRowCount is less than minRowCount",
        "error: elements[0].detailElements: 'detailElements' is not supported yet",
        "error: elements[0].columns[0].cellType: 'ranking' is not one of: dropdown",
        "error: elements[0].columns[1].defaultValueExpression: 'defaultValueExpression' on a matrix column is not supported yet",
        "error: elements[0].columns[1].visibleIf: '{panel.y}' is for a paneldynamic; in a matrix column use {row.x}",
        "error: elements[0].columns[2].visibleIf: '{row.nope}' names 'nope', which is not a column of this matrix",
        "error: elements[0].columns[2].totalType: 'median' is not one of",
        "error: elements[0].columns[3].name: the name 'y' is used by an earlier question",
        "warning: elements[1].rows: a matrixdropdown without rows has nothing to fill in",
        "warning: elements[1].transposeData: 'transposeData' only changes how SurveyJS lays out",
        "error: elements[2].templateElements[1].columns[1].visibleIf: '{panel.k}' is for a paneldynamic; in a matrix column use {row.x}",
        "error: elements[2].templateElements[1].columns[2].visibleIf: '{parentPanel.k}' is for a paneldynamic",
        "error: elements[2].templateElements[1].columns[3].enableIf: '{panelIndex}' is for a paneldynamic",
    ] {
        assert!(has(&m, needle), "{needle}\n{m:#?}");
    }
    // Column names may repeat names outside the matrix; `{row.x}` outside a matrix names nothing.
    let m = messages(json!({"elements": [{"type": "text", "name": "c"}, {"type": "text", "name": "d", "visibleIf": "{row.c} = 1"},
        {"type": "matrixdynamic", "name": "m", "columns": [{"name": "c"}]}]}));
    assert!(has(&m, "error: elements[1].visibleIf: '{row.c}' does not name any question"), "{m:#?}");
    assert!(!has(&m, "used by an earlier question"), "{m:#?}");
}

/// Visits, each with the medicines given (rows added) and the rooms seen
/// (fixed rows): a matrix in every repeat, as survey-core 2.x answers it.
fn visits() -> Value {
    json!({"elements": [{"type": "text", "name": "z"}, {"type": "paneldynamic", "name": "visits", "panelCount": 2, "templateElements": [
        {"type": "text", "name": "k"},
        {"type": "matrixdynamic", "name": "meds", "rowCount": 1, "isRequired": true, "columns": [
            {"name": "drug", "cellType": "text", "isRequired": true},
            {"name": "doses", "cellType": "text", "inputType": "number", "totalType": "sum", "validators": [{"type": "numeric", "maxValue": 9}]},
            {"name": "twice", "cellType": "expression", "expression": "{row.doses} * 2"}]},
        {"type": "matrixdropdown", "name": "rooms", "rows": ["r1", {"value": "r2", "visibleIf": "{panel.k} != 'no'"}], "rowsVisibleIf": "{item} != {z}",
         "columns": [{"name": "ok", "cellType": "boolean", "totalType": "count"}]}]}]})
}

#[test]
fn a_matrix_in_a_repeat_answers_in_surveyjs_nested_shape_with_its_totals_in_the_repeat() {
    let mut s = session(visits());
    // Each new repeat starts with the matrixdynamic's rowCount rows.
    assert_eq!(s.answers["visits"], json!([{"meds": [{}]}, {"meds": [{}]}]));
    s.set(
        "visits",
        Some(json!([
        {"k": "no", "meds": [{"drug": "A", "doses": 2}, {"drug": "B", "doses": "3"}], "rooms": {"r1": {"ok": true}, "r2": {"ok": false}}},
        {"meds": [{"drug": "C"}], "rooms": {"r2": {"ok": true}}}])),
    );
    let r = s.result();
    assert_eq!(
        r["visits"],
        json!([
            {"k": "no", "meds": [{"drug": "A", "doses": 2, "twice": 4}, {"drug": "B", "doses": "3", "twice": 6}], "meds-total": {"doses": 5},
             "rooms": {"r1": {"ok": true}}, "rooms-total": {"ok": 1}},
            {"meds": [{"drug": "C", "twice": 0}], "meds-total": {"doses": 0}, "rooms": {"r2": {"ok": true}}, "rooms-total": {"ok": 1}}])
    );
    assert_eq!(s.totals("visits[0].meds"), Some(json!({"doses": 5})));
    // A row hidden by an answer outside leaves every repeat's matrix; one with nothing left goes.
    s.set("z", Some(json!("r2")));
    assert_eq!(s.result()["visits"][1].get("rooms"), None);
    assert_eq!(s.result()["visits"][1]["rooms-total"], json!({"ok": 0}));
    assert!(phieu_core::validate::unexpected(&s.form, &s.result()).is_empty(), "the server takes what the phone sends");
    let wrong = json!({"visits": [{"meds": [{"nope": 1}], "rooms-total": {"ok": 1}}]});
    let u = phieu_core::validate::unexpected(&s.form, wrong.as_object().unwrap());
    assert_eq!(u.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["visits[0].meds[0].nope"]);
}

#[test]
fn a_matrix_in_a_repeat_is_checked_cell_by_cell_in_that_repeat() {
    let mut s = session(visits());
    let problems = |s: &Session| s.check().into_iter().map(|p| (p.question, p.kind)).collect::<Vec<_>>();
    let p = problems(&s);
    assert!(p.contains(&("visits[0].meds".into(), ErrorKind::Required)), "{p:?}");
    assert!(p.contains(&("visits[1].meds[0].drug".into(), ErrorKind::Required)), "{p:?}");
    s.set("visits", Some(json!([{"meds": [{"drug": "A", "doses": 12}]}, {"meds": [{"drug": "B"}]}])));
    assert_eq!(problems(&s), [("visits[0].meds[0].doses".into(), ErrorKind::OutOfRange { min: None, max: Some(9.0) })]);
    assert_eq!(s.page_of("visits[0].meds[0].doses"), Some(0));
}

#[test]
fn a_column_title_is_the_same_in_every_row_as_in_survey_core() {
    // survey-core 2.x fills in neither {rowIndex} nor {row.x} in a column's title (nor its cells' titles).
    let m = messages(json!({"elements": [{"type": "matrixdynamic", "name": "m", "columns": [
        {"name": "a", "cellType": "text", "title": "Liều {rowIndex}"}, {"name": "b", "cellType": "text", "title": "Sau {row.a}"}]}]}));
    assert!(has(&m, "warning: elements[0].columns[0].title: '{rowIndex}' does not name any question"), "{m:#?}");
    assert!(has(&m, "warning: elements[0].columns[1].title: '{row.a}' does not name any question"), "{m:#?}");
    assert!(!m.iter().any(|m| m.contains("error")), "{m:#?}");
}

#[test]
fn a_column_offers_the_options_of_a_question_at_the_top_and_a_cell_no_longer_offered_goes() {
    let mut s = session(json!({"elements": [{"type": "checkbox", "name": "src", "choices": ["a", "b"]},
        {"type": "matrixdropdown", "name": "d", "rows": ["r1"], "columns": [{"name": "u", "cellType": "radiogroup", "choicesFromQuestion": "src", "choicesFromQuestionMode": "selected"}]},
        {"type": "paneldynamic", "name": "p", "panelCount": 1, "templateElements": [
            {"type": "matrixdynamic", "name": "m", "rowCount": 1, "columns": [{"name": "v", "cellType": "checkbox", "choicesFromQuestion": "src"}]}]}]}));
    let Kind::Grid(g) = &s.form.question("d").unwrap().kind else { panic!() };
    assert_eq!(g.columns[0].kind.choices().len(), 2, "src's options, each offered while chosen there");
    s.set("src", Some(json!(["a", "b"])));
    s.set("d", Some(json!({"r1": {"u": "b"}})));
    s.set("p", Some(json!([{"m": [{"v": ["a", "b"]}]}])));
    s.set("src", Some(json!(["a"])));
    assert_eq!(s.answers.get("d"), None, "b is no longer chosen in src: the cell, then its row, leave");
    assert_eq!(s.answers["p"], json!([{"m": [{"v": ["a", "b"]}]}]), "all of src's options stay offered");
    // survey-core finds no repeat's or row's question from a column.
    let m = messages(
        json!({"elements": [{"type": "paneldynamic", "name": "p", "templateElements": [{"type": "checkbox", "name": "c", "choices": [1]},
        {"type": "matrixdynamic", "name": "m", "columns": [{"name": "v", "cellType": "dropdown", "choicesFromQuestion": "panel.c"}]}]}]}),
    );
    assert!(has(&m, "error: elements[0].templateElements[1].columns[0].choicesFromQuestion: in a matrix column 'choicesFromQuestion' names a question at the top"), "{m:#?}");
}
