//! Regular expressions for `regex` validators, through a replaceable engine:
//! regex-lite natively, the browser's own `RegExp` (SurveyJS's engine) in the
//! app, which keeps regex-lite out of the wasm.

/// Matches a `regex` validator's pattern against an answer: `Ok(true)` when
/// it matches somewhere (unless anchored with `^`/`$`), `Err` when the
/// pattern is not valid.
pub type Engine = fn(pattern: &str, case_insensitive: bool, text: &str) -> Result<bool, String>;

static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();

/// Replaces the built-in engine. The web app installs the browser's own
/// `RegExp`, which is what SurveyJS uses, and leaves regex-lite out of the wasm.
pub fn set_engine(engine: Engine) {
    let _ = ENGINE.set(engine);
}

pub fn is_match(pattern: &str, case_insensitive: bool, text: &str) -> Result<bool, String> {
    if let Some(engine) = ENGINE.get() {
        return engine(pattern, case_insensitive, text);
    }
    builtin_regex(pattern, case_insensitive, text)
}

#[cfg(feature = "regex")]
fn builtin_regex(pattern: &str, case_insensitive: bool, text: &str) -> Result<bool, String> {
    let re = regex_lite::RegexBuilder::new(pattern).case_insensitive(case_insensitive).build().map_err(|e| {
        let text = e.to_string();
        text.lines().last().unwrap_or(&text).trim().to_string()
    })?;
    Ok(re.is_match(text))
}

#[cfg(not(feature = "regex"))]
fn builtin_regex(_: &str, _: bool, _: &str) -> Result<bool, String> {
    Err("no regular expression engine is installed".into())
}
