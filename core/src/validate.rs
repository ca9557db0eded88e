//! Checks a set of answers against a form, the same way on phone and server.

use crate::form::Form;
use serde_json::{Map, Value};

/// Answers by question name, as they are stored and submitted.
pub type Answers = Map<String, Value>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerError {
    pub question: String,
    pub kind: AnswerErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerErrorKind {
    Required,
}

/// A value that counts as "not answered": missing, null, blank text or an
/// empty list. `false` is an answer (a boolean question answered "no").
pub fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.values().all(|v| is_empty(Some(v))),
        Some(_) => false,
    }
}

/// Every problem with `answers`, in the order the questions appear.
pub fn validate(form: &Form, answers: &Answers) -> Vec<AnswerError> {
    form.questions()
        .filter(|q| q.is_required && is_empty(answers.get(&q.name)))
        .map(|q| AnswerError { question: q.name.clone(), kind: AnswerErrorKind::Required })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_questions_need_a_real_answer() {
        let form = crate::load(
            r#"{"elements": [
                {"type": "text", "name": "a", "isRequired": true},
                {"type": "checkbox", "name": "b", "isRequired": true, "choices": ["x"]},
                {"type": "boolean", "name": "c", "isRequired": true},
                {"type": "text", "name": "d"}
            ]}"#,
        )
        .form
        .unwrap();
        let errs = |v: Value| -> Vec<String> {
            validate(&form, v.as_object().unwrap()).into_iter().map(|e| e.question).collect()
        };
        assert_eq!(errs(json!({})), ["a", "b", "c"]);
        assert_eq!(errs(json!({"a": "  ", "b": [], "c": null})), ["a", "b", "c"]);
        assert!(errs(json!({"a": "Hà", "b": ["x"], "c": false})).is_empty());
    }
}
