//! `phieu schema`: a JSON Schema of the supported subset, generated from the
//! same tables (`phieu_core::spec`) that the loader checks against. Editors
//! use it to suggest and check properties. Unknown properties are allowed
//! (phieu only warns about them), unknown question types are not.

use phieu_core::spec::{self, Prop, Ty};
use serde_json::{json, Map, Value};

pub fn json_schema() -> Value {
    let mut definitions = Map::new();
    definitions.insert(
        "text".into(),
        json!({
            "description": "Text, or texts by language: {\"default\": \"…\", \"en\": \"…\"}.",
            "oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]
        }),
    );
    definitions.insert(
        "expression".into(),
        json!({"type": "string", "description": "An expression, e.g. \"{age} >= 18 and {district} = 'ba-dinh'\"."}),
    );
    definitions.insert("choice".into(), json!({"oneOf": [{"type": "string"}, {"type": "number"}, object(spec::CHOICE, &["value"])]}));
    definitions.insert("page".into(), object(spec::PAGE, &[]));
    definitions.insert("calculatedValue".into(), object(spec::CALCULATED_VALUE, &["name", "expression"]));
    definitions.insert("textItem".into(), json!({"oneOf": [{"type": "string"}, object(spec::TEXT_ITEM, &["name"])]}));
    // A column is a question of its cellType: those properties are allowed too, as unknown ones are.
    definitions.insert("column".into(), object(spec::COLUMN, &["name"]));

    let validator_types: Vec<&str> = spec::VALIDATOR_TYPES.iter().map(|(n, _)| *n).collect();
    let mut validator = object(spec::VALIDATOR_COMMON, &["type"]);
    validator["properties"]["type"] = json!({"enum": validator_types, "description": "The kind of check."});
    validator["allOf"] = Value::Array(spec::VALIDATOR_TYPES.iter().map(|(name, props)| when_type(name, props)).collect());
    definitions.insert("validator".into(), validator);

    let mut trigger_types: Vec<String> = Vec::new();
    for (n, _) in spec::TRIGGER_TYPES {
        trigger_types.push(n.to_string());
        trigger_types.push(format!("{n}trigger"));
    }
    let mut trigger = object(spec::TRIGGER_COMMON, &["type"]);
    trigger["properties"]["type"] = json!({"enum": trigger_types, "description": "What the trigger does."});
    trigger["allOf"] = Value::Array(spec::TRIGGER_TYPES.iter().map(|(name, props)| when_type(name, props)).collect());
    definitions.insert("trigger".into(), trigger);

    let mut question = object(spec::QUESTION, &["type"]);
    question["properties"]["type"] = json!({"enum": spec::type_names(), "description": "The question type."});
    question["allOf"] = Value::Array(spec::TYPES.iter().map(|t| when_type(t.name, t.props)).collect());
    definitions.insert("question".into(), question);

    let mut root = object(spec::SURVEY, &[]);
    let root_obj = root.as_object_mut().expect("object");
    root_obj.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    root_obj.insert("title".into(), json!("phieu form definition"));
    root_obj.insert("description".into(), json!("The subset of SurveyJS's form JSON that phieu reads. See docs/form-format.md."));
    root_obj.insert("definitions".into(), Value::Object(definitions));
    root
}

/// `{"type": "object", "properties": …}` for a table of properties.
fn object(props: &[Prop], required: &[&str]) -> Value {
    let mut properties = Map::new();
    for p in props {
        let mut s = ty(p.ty);
        if let Some(o) = s.as_object_mut() {
            o.entry("description").or_insert_with(|| json!(p.doc));
        }
        properties.insert(p.name.into(), s);
    }
    let mut o = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

fn when_type(name: &str, props: &[Prop]) -> Value {
    json!({"if": {"properties": {"type": {"const": name}}, "required": ["type"]}, "then": object(props, &[])})
}

fn ty(t: Ty) -> Value {
    match t {
        Ty::Str => json!({"type": "string"}),
        Ty::Text => json!({"$ref": "#/definitions/text"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Count => json!({"type": "integer", "minimum": 0}),
        Ty::Number => json!({"type": "number"}),
        Ty::StrOrNumber => json!({"type": ["string", "number"]}),
        Ty::Expression => json!({"$ref": "#/definitions/expression"}),
        Ty::Any => json!({}),
        Ty::OneOf(values) => json!({"enum": values}),
        Ty::Choices => json!({"type": "array", "items": {"$ref": "#/definitions/choice"}}),
        Ty::Elements => json!({"type": "array", "items": {"$ref": "#/definitions/question"}}),
        Ty::Validators => json!({"type": "array", "items": {"$ref": "#/definitions/validator"}}),
        Ty::Pages => json!({"type": "array", "items": {"$ref": "#/definitions/page"}}),
        Ty::CalculatedValues => json!({"type": "array", "items": {"$ref": "#/definitions/calculatedValue"}}),
        Ty::Triggers => json!({"type": "array", "items": {"$ref": "#/definitions/trigger"}}),
        Ty::TextItems => json!({"type": "array", "items": {"$ref": "#/definitions/textItem"}}),
        Ty::Columns => json!({"type": "array", "items": {"$ref": "#/definitions/column"}}),
        Ty::RateValues => json!({"type": "array", "items": {"$ref": "#/definitions/choice"}}),
        Ty::StrMap => json!({"type": "object", "additionalProperties": {"type": "string"}}),
        Ty::Phieu => object(spec::PHIEU, &[]),
        Ty::PhieuGeopoint => object(spec::PHIEU_GEOPOINT, &[]),
        Ty::PhieuFile => object(spec::PHIEU_FILE, &[]),
        Ty::MaskSettings => object(spec::MASK_SETTINGS, &[]),
        Ty::Submit => object(spec::SUBMIT, &[]),
        Ty::ChoicesByUrl => object(spec::CHOICES_BY_URL, &["url"]),
    }
}

pub fn run() -> std::process::ExitCode {
    match serde_json::to_string_pretty(&json_schema()) {
        Ok(text) => {
            use std::io::Write;
            // A closed pipe (`phieu schema | head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("phieu schema: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
