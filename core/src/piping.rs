//! Piping: `{name}` inside a title or description shows an answer there,
//! e.g. "Thông tin về {member_name}". The app supplies how a value is shown
//! (a choice's label rather than its value), so this module only finds and
//! replaces.

/// The names in `{…}` in a text, in order.
pub fn names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find(['}', '{']) {
            Some(close) if after.as_bytes()[close] == b'}' => {
                let name = &after[..close];
                if !name.trim().is_empty() {
                    out.push(name.to_string());
                }
                rest = &after[close + 1..];
            }
            Some(close) => rest = &after[close..],
            None => break,
        }
    }
    out
}

/// Replaces each `{name}` with what `show` says; a name it does not know
/// becomes empty text, as in SurveyJS.
pub fn pipe(text: &str, show: &dyn Fn(&str) -> Option<String>) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(['}', '{']) {
            Some(close) if after.as_bytes()[close] == b'}' && !after[..close].trim().is_empty() => {
                out.push_str(&show(&after[..close]).unwrap_or_default());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_names() {
        assert_eq!(names("Hi {a}, {b.c} and {} {x"), ["a", "b.c"]);
        let show = |n: &str| (n == "a").then(|| "Lan".to_string());
        assert_eq!(pipe("Chào {a}{missing}! {x", &show), "Chào Lan! {x");
        assert_eq!(pipe("no braces", &show), "no braces");
    }
}
