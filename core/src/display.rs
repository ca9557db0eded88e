//! How answers are shown to a person and how they are searched.
//!
//! The review screen, printouts and exports all read answers the way a
//! person says them (a choice's label, "1.234,5", "26/11/2026") rather than
//! as stored values, and search ignores case and Vietnamese diacritics so
//! "ha dong" finds "Hà Đông". Living in the core keeps the phone and the
//! exports word-for-word identical.

use crate::expr::value::{number_to_string, round_to_fixed};
use crate::form::{value_text, Choice, Choices, Element, Grid, InputType, Kind, NONE_VALUE, OTHER_VALUE};
use crate::localized::Localized;
use serde_json::Value;

/// Text folded for searching: lower case, Vietnamese (and other Latin) diacritics removed, đ/Đ → d. Handles both precomposed characters (NFC, e.g. "Hà Đông") and decomposed ones (base letter + combining marks U+0300–U+036F, which are dropped).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::answers::lowercase(s).chars() {
        if !('\u{300}'..='\u{36f}').contains(&c) {
            out.push(base_letter(c));
        }
    }
    out
}

/// Base letters of U+00E0–U+00FF and U+0100–U+017F; `*` keeps the character.
const LATIN1: &[u8; 32] = b"aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
const LATIN_EXT_A: &[u8; 128] =
    b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// The letter without its marks, for a lower-case letter.
fn base_letter(c: char) -> char {
    let table = |t: &[u8], i: u32| match t[i as usize] {
        b'*' => c,
        b => char::from(b),
    };
    match c as u32 {
        n @ 0xE0..=0xFF => table(LATIN1, n - 0xE0),
        n @ 0x100..=0x17F => table(LATIN_EXT_A, n - 0x100),
        0x1A0 | 0x1A1 => 'o', // ơ
        0x1AF | 0x1B0 => 'u', // ư
        // Latin Extended Additional's Vietnamese block, in alphabet order.
        0x1EA0..=0x1EB7 => 'a',
        0x1EB8..=0x1EC7 => 'e',
        0x1EC8..=0x1ECB => 'i',
        0x1ECC..=0x1EE3 => 'o',
        0x1EE4..=0x1EF1 => 'u',
        0x1EF2..=0x1EF9 => 'y',
        _ => c,
    }
}

/// Whether `query` matches `text` ignoring case and diacritics: every whitespace-separated word of the folded query occurs in the folded text. An empty query matches everything. "ha dong" matches "Quận Hà Đông"; "dong ha" also matches; "hà đông" matches "Ha Dong".
pub fn matches(text: &str, query: &str) -> bool {
    let text = fold(text);
    fold(query).split_whitespace().all(|w| text.contains(w))
}

fn english(locale: &str) -> bool {
    locale.get(..2).is_some_and(|l| l.eq_ignore_ascii_case("en"))
}

/// A number as people write it in `locale` (English for "en…", Vietnamese for anything else): vi "1.234.567,5", en "1,234,567.5". Integers get no decimals; others at most 10, trailing zeros trimmed, so binary noise never shows (0.1 + 0.2 is "0,3"). Negative numbers keep the minus sign. NaN and infinities as [`number_to_string`] gives.
pub fn number(n: f64, locale: &str) -> String {
    if !n.is_finite() {
        return number_to_string(n);
    }
    // Ten decimals hide binary noise; a tiny number that rounds to 0 keeps its digits.
    let r = round_to_fixed(n, 10);
    let r = if r != 0.0 {
        r
    } else if n != 0.0 {
        n
    } else {
        0.0
    };
    let s = crate::num::to_plain_string(r); // shortest round trip, never an exponent
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |t| ("-", t));
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let (group, point) = if english(locale) { (',', '.') } else { ('.', ',') };
    let mut out = String::from(sign);
    for (i, d) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(d);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// `hh:mm` or `hh:mm:ss`, checked.
fn is_time(t: &str) -> bool {
    let b = t.as_bytes();
    let two = |i: usize, max: u8| b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() && (b[i] - b'0') * 10 + (b[i + 1] - b'0') <= max;
    matches!(b.len(), 5 | 8) && two(0, 23) && b[2] == b':' && two(3, 59) && (b.len() == 5 || (b[5] == b':' && two(6, 59)))
}

/// A date or date-time answer as people read it: "2026-11-26" → vi "26/11/2026", en "26 Nov 2026"; "2026-11-26T08:05" → vi "26/11/2026 08:05", en "26 Nov 2026 08:05"; "08:05" (time) unchanged. Anything not of these shapes → None.
///
/// Seconds ("…T08:05:30", "08:05:30") are kept. A time with a zone
/// ("…Z", "…+07:00") is None: showing it needs the device's offset.
pub fn date(iso: &str, locale: &str) -> Option<String> {
    if is_time(iso) {
        return Some(iso.to_string());
    }
    let (day, time) = match iso.split_once('T') {
        Some((d, t)) if is_time(t) => (d, Some(t)),
        Some(_) => return None,
        None => (iso, None),
    };
    let b = day.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = day.get(r)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    // A real day of the calendar: it survives the round trip through day numbers.
    let civil = (i64::from(y), i64::from(m), i64::from(d));
    if !(1..=12).contains(&m) || crate::expr::date::civil_from_days(crate::expr::date::days_from_civil(civil.0, civil.1, civil.2)) != civil
    {
        return None;
    }
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut out = if english(locale) { format!("{d} {} {y:04}", MONTHS[m as usize - 1]) } else { format!("{d:02}/{m:02}/{y:04}") };
    if let Some(t) = time {
        out.push(' ');
        out.push_str(t);
    }
    Some(out)
}

/// One answer as lines a person reads, for the review screen and printouts. `comment` is the `<name>-Comment` answer (the text of "Other").
/// - choice questions (radiogroup, dropdown, checkbox, tagbox): the choice texts in `locale` (Localized::get), joined by ", " for lists; value "other" (OTHER_VALUE) → the other label (choices.other, else "Khác"/"Other") followed by ": " and the comment when present; "none" → choices.none label else "Không có"/"None"; an unknown value → its value_text.
/// - boolean: label_true/label_false else "Có"/"Không" (vi) / "Yes"/"No" (en).
/// - rating: the scale choice's text.
/// - text: number() for numeric input types and for JSON numbers; date() for date/datetime-local input types; else the string.
/// - expression: number() for numbers, date() if it parses as a date, else value_text.
/// - matrix: one line per answered row, in row order: `"<row text>: <column text>"`.
/// - multipletext: one line per answered item, in item order: `"<item title>: <value>"`.
/// - comment / others: the string (value_text).
/// - paneldynamic/panel/html: empty Vec (the caller renders those itself).
///
/// Empty answers (null, "", [], {}) → empty Vec. Matrix cells and
/// multipletext entries whose key the form does not name come last, as
/// `"<key>: <value>"`, so nothing answered is hidden.
pub fn answer(q: &Element, value: &Value, comment: Option<&str>, locale: &str) -> Vec<String> {
    if crate::answers::is_empty(Some(value)) {
        return Vec::new();
    }
    let en = english(locale);
    let line = match &q.kind {
        Kind::RadioGroup(c) | Kind::Dropdown(c) | Kind::Checkbox(c) | Kind::Tagbox(c) => {
            let one = |v: &Value| choice_text(c, v, comment, locale);
            match value {
                Value::Array(vs) => vs.iter().filter(|v| !v.is_null()).map(one).collect::<Vec<_>>().join(", "),
                v => one(v),
            }
        }
        // One line per place, so the order reads as a list.
        Kind::Ranking { list, .. } => {
            let ranked = value.as_array().map_or(&[][..], Vec::as_slice);
            return ranked.iter().enumerate().map(|(i, v)| format!("{}. {}", i + 1, choice_text(list, v, None, locale))).collect();
        }
        Kind::RangeSlider { .. } => match crate::form::range_ends(value) {
            Some((lo, hi)) => format!("{} – {}", number(lo, locale), number(hi, locale)),
            None => value_text(value),
        },
        Kind::Boolean { label_true, label_false, value_true, value_false } => match (value == value_true, value == value_false) {
            (b, no) if b || no => {
                let (label, vi, en_text) = if b { (label_true, "Có", "Yes") } else { (label_false, "Không", "No") };
                label.as_ref().map_or(if en { en_text } else { vi }, |l| l.get(locale)).to_string()
            }
            _ => value_text(value),
        },
        Kind::Rating { scale, .. } => find(scale, value).map_or_else(|| value_text(value), |c| c.text.get(locale).to_string()),
        Kind::Text { mask: Some(m), .. } => m.shown(Some(value)),
        Kind::Text { input_type, .. } => typed(*input_type, value, locale),
        Kind::Expression { .. } => match value {
            Value::Number(n) => n.as_f64().map_or_else(|| value_text(value), |n| number(n, locale)),
            Value::String(s) => date(s, locale).unwrap_or_else(|| s.clone()),
            v => value_text(v),
        },
        Kind::Matrix { rows, columns, .. } => {
            let known = rows.iter().map(|r| (value_text(&r.value), r.text.get(locale))).collect();
            return lines(value, known, &|_, v| Some(find(columns, v).map_or_else(|| value_text(v), |c| c.text.get(locale).to_string())));
        }
        Kind::MultipleText { items } => {
            let known = items.iter().map(|i| (i.name.clone(), i.title.get(locale))).collect();
            return lines(value, known, &|key, v| {
                let item = items.iter().find(|i| i.name == key);
                Some(match item.and_then(|i| i.mask.as_ref()) {
                    Some(m) => m.shown(Some(v)),
                    None => typed(item.map_or(InputType::Text, |i| i.input_type), v, locale),
                })
            });
        }
        Kind::Geopoint { .. } => crate::form::Place::of(value).map_or_else(|| value_text(value), |p| p.text()),
        Kind::File(_) | Kind::Signature { .. } => {
            let one = |v: &Value| crate::form::FileItem::of(v).map_or_else(|| value_text(v), |f| f.text());
            match value {
                Value::Array(vs) => return vs.iter().map(one).collect(),
                v => one(v),
            }
        }
        Kind::Grid(g) => return grid(g, value, locale),
        Kind::Html { .. } | Kind::Image { .. } | Kind::Panel { .. } | Kind::PanelDynamic { .. } => return Vec::new(),
        Kind::Comment { .. } => value_text(value),
    };
    vec![line]
}

/// A matrix: one line per answered row, `"<row> — <column>: <cell>; …"`, in
/// row order (`#1`, `#2` in a matrixdynamic), cells in column order, then
/// any cell the form does not name.
fn grid(g: &Grid, value: &Value, locale: &str) -> Vec<String> {
    let row = |title: String, cells: &Value| -> Option<String> {
        cells.as_object()?;
        let known = g.columns.iter().map(|c| (c.name.clone(), c.title.get(locale))).collect();
        // "Other" texts show with their option, not as cells of their own.
        let parts = lines(cells, known, &|key, v| match g.columns.iter().find(|c| c.name == key) {
            _ if crate::answers::is_comment_key(key) => None,
            Some(c) => {
                let comment = cells.get(crate::answers::comment_key(key)).and_then(Value::as_str);
                Some(answer(c, v, comment, locale).join(", "))
            }
            None => Some(value_text(v)),
        });
        (!parts.is_empty()).then(|| format!("{title} — {}", parts.join("; ")))
    };
    match (value, &g.rows) {
        (Value::Object(o), Some(rows)) => {
            let mut out: Vec<String> =
                rows.iter().filter_map(|r| row(r.text.get(locale).to_string(), o.get(&value_text(&r.value))?)).collect();
            let named: Vec<String> = rows.iter().map(|r| value_text(&r.value)).collect();
            out.extend(o.iter().filter(|(k, _)| !named.contains(k)).filter_map(|(k, v)| row(k.clone(), v)));
            out
        }
        (Value::Array(rows), None) => {
            let mut out = Vec::new();
            for (i, v) in rows.iter().enumerate() {
                out.extend(row(format!("#{}", i + 1), v));
            }
            out
        }
        (v, _) => vec![value_text(v)],
    }
}

/// A matrix's totals (`<name>-total`) in one line: `"<column>: <total>; …"`.
pub fn grid_totals(g: &Grid, totals: &Value, locale: &str) -> Option<String> {
    let parts: Vec<String> = g
        .columns
        .iter()
        .filter_map(|c| {
            let v = totals.get(&c.name)?;
            let text = v.as_f64().map_or_else(|| value_text(v), |n| number(n, locale));
            Some(format!("{}: {text}", c.title.get(locale)))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A text answer: numbers and dates as people write them, else the text.
fn typed(ty: InputType, v: &Value, locale: &str) -> String {
    match v {
        Value::Number(n) => n.as_f64().map_or_else(|| value_text(v), |n| number(n, locale)),
        Value::String(s) if ty.is_numeric() => {
            crate::num::parse(s.trim()).filter(|n| n.is_finite()).map_or_else(|| s.clone(), |n| number(n, locale))
        }
        Value::String(s) if matches!(ty, InputType::Date | InputType::DateTimeLocal) => date(s, locale).unwrap_or_else(|| s.clone()),
        v => value_text(v),
    }
}

/// `"<label>: <value>"` for each answered key of an object answer, in the
/// form's order, then any key the form does not name; `show` gives `None`
/// for a key that is not shown. Not generic: one copy for every caller.
fn lines(value: &Value, known: Vec<(String, &str)>, show: &dyn Fn(&str, &Value) -> Option<String>) -> Vec<String> {
    let Value::Object(o) = value else { return vec![value_text(value)] };
    let answered = |v: &Value| !crate::answers::is_empty(Some(v));
    let mut out = Vec::new();
    let mut named = Vec::new();
    for (key, label) in known {
        if let Some(text) = o.get(&key).filter(|v| answered(v)).and_then(|v| show(&key, v)) {
            out.push(format!("{label}: {text}"));
        }
        named.push(key);
    }
    for (key, v) in o {
        if let Some(text) = (!named.contains(key) && answered(v)).then(|| show(key, v)).flatten() {
            out.push(format!("{key}: {text}"));
        }
    }
    out
}

/// A choice whose value is `v`: the same JSON, or the same number or text
/// (an answer "2" is the choice 2).
fn find<'c>(choices: &'c [Choice], v: &Value) -> Option<&'c Choice> {
    choices.iter().find(|c| c.value == *v || value_text(&c.value) == value_text(v) || (v.is_number() && c.value.as_f64() == v.as_f64()))
}

fn choice_text(c: &Choices, v: &Value, comment: Option<&str>, locale: &str) -> String {
    let en = english(locale);
    let item = find(&c.items, v);
    let special = |name: &str, label: &Option<Localized>| v.as_str() == Some(name) && (label.is_some() || item.is_none());
    // `storeOthersAsComment: false`: the answer is the "Other" text itself.
    let own = c.is_other_text(v).then(|| value_text(v));
    if special(OTHER_VALUE, &c.other) || own.is_some() {
        let label = c.other.as_ref().map_or(if en { "Other" } else { "Khác" }, |l| l.get(locale));
        match own.as_deref().or(comment).map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => format!("{label}: {t}"),
            None => label.to_string(),
        }
    } else if special(NONE_VALUE, &c.none) {
        c.none.as_ref().map_or(if en { "None" } else { "Không có" }, |l| l.get(locale)).to_string()
    } else {
        item.map_or_else(|| value_text(v), |ch| ch.text.get(locale).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_other_text_stored_as_the_answer_shows_as_other() {
        let form = crate::load(
            r#"{"storeOthersAsComment": false, "elements": [{"type": "checkbox", "name": "c", "choices": ["a"], "showOtherItem": true}]}"#,
        )
        .form
        .expect("loads");
        let q = &form.elements()[0];
        assert_eq!(answer(q, &json!(["a", "xyz"]), None, "en"), ["a, Other (please specify): xyz"]);
        assert_eq!(answer(q, &json!(["other"]), None, "en"), ["Other (please specify)"]);
    }

    #[test]
    fn folds_every_vietnamese_vowel_family_both_cases() {
        let families = [
            ('a', "aàáảãạăằắẳẵặâầấẩẫậ"),
            ('e', "eèéẻẽẹêềếểễệ"),
            ('i', "iìíỉĩị"),
            ('o', "oòóỏõọôồốổỗộơờớởỡợ"),
            ('u', "uùúủũụưừứửữự"),
            ('y', "yỳýỷỹỵ"),
        ];
        for (base, letters) in families {
            let want: String = letters.chars().map(|_| base).collect();
            assert_eq!(fold(letters), want, "{letters}");
            assert_eq!(fold(&letters.to_uppercase()), want, "{}", letters.to_uppercase());
        }
        assert_eq!(fold("đĐ"), "dd");
        assert_eq!(fold("Hà Đông"), "ha dong");
        assert_eq!(fold("NGUYỄN THỊ MINH KHAI"), "nguyen thi minh khai");
    }

    #[test]
    fn folds_decomposed_marks() {
        // "Hà Đông" and "Phường Bến Thành" in NFD: base letters plus U+0300–U+036F.
        assert_eq!(fold("Ha\u{300} \u{110}o\u{302}ng"), "ha dong");
        assert_eq!(fold("Phu\u{31b}o\u{31b}\u{300}ng Be\u{302}\u{301}n Tha\u{300}nh"), "phuong ben thanh");
        assert_eq!(fold("A\u{306}\u{323}"), "a");
        assert_eq!(fold(&"Hà Đông".chars().collect::<String>()), fold("Ha\u{300} \u{110}o\u{302}ng"));
    }

    #[test]
    fn folds_other_latin_and_leaves_the_rest() {
        assert_eq!(
            fold("Crème Brûlée, Ålborg, Łódź, São Paulo, Øresund, Straße"),
            "creme brulee, alborg, lodz, sao paulo, oresund, straße"
        );
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("ÆŒ 123 – Ωμέγα 東京"), "æœ 123 – ωμέγα 東京", "only Latin loses its marks");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn matches_ignores_case_diacritics_and_word_order() {
        assert!(matches("Quận Hà Đông", "ha dong"));
        assert!(matches("Quận Hà Đông", "dong ha"));
        assert!(matches("Ha Dong", "hà đông"));
        assert!(matches("Quận Hà Đông", "  HÀ   quan "));
        assert!(matches("Quận Hà Đông", ""));
        assert!(matches("", "   "));
        assert!(matches("Ha\u{300} \u{110}o\u{302}ng", "Hà Đông"));
        assert!(matches("Nguyễn Văn Ánh", "anh"));
    }

    #[test]
    fn matches_rejects_missing_words() {
        assert!(!matches("Quận Hà Đông", "ha noi"));
        assert!(!matches("Quận Hà Đông", "dongha"));
        assert!(!matches("Quận Ba Đình", "ha"));
        assert!(!matches("", "a"));
        assert!(!matches("Cầu Giấy", "cau giay x"));
    }

    #[test]
    fn numbers_in_each_locale() {
        assert_eq!(number(0.0, "vi"), "0");
        assert_eq!(number(-0.0, "en"), "0");
        assert_eq!(number(-1234.5, "vi"), "-1.234,5");
        assert_eq!(number(-1234.5, "en"), "-1,234.5");
        assert_eq!(number(1234567.0, "vi"), "1.234.567");
        assert_eq!(number(1234567.0, "en-GB"), "1,234,567");
        assert_eq!(number(1234567.5, "vi-VN"), "1.234.567,5");
        assert_eq!(number(0.1 + 0.2, "vi"), "0,3");
        assert_eq!(number(0.1 + 0.2, "en"), "0.3");
        assert_eq!(number(999.0, "vi"), "999");
        assert_eq!(number(1000.0, "vi"), "1.000");
        assert_eq!(number(-100.0, "en"), "-100");
        assert_eq!(number(0.125, "fr"), "0,125");
        assert_eq!(number(1e21, "en"), "1,000,000,000,000,000,000,000");
        assert_eq!(number(1e-12, "en"), "0.000000000001");
    }

    #[test]
    fn numbers_that_are_not_finite() {
        assert_eq!(number(f64::NAN, "vi"), "NaN");
        assert_eq!(number(f64::INFINITY, "en"), "Infinity");
        assert_eq!(number(f64::NEG_INFINITY, "vi"), "-Infinity");
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(date("2026-11-26", "vi").as_deref(), Some("26/11/2026"));
        assert_eq!(date("2026-11-26", "en").as_deref(), Some("26 Nov 2026"));
        assert_eq!(date("2026-11-26T08:05", "vi").as_deref(), Some("26/11/2026 08:05"));
        assert_eq!(date("2026-11-26T08:05", "en-US").as_deref(), Some("26 Nov 2026 08:05"));
        assert_eq!(date("2026-01-05", "vi").as_deref(), Some("05/01/2026"));
        assert_eq!(date("2026-01-05", "en").as_deref(), Some("5 Jan 2026"));
        assert_eq!(date("2024-02-29", "en").as_deref(), Some("29 Feb 2024"));
        assert_eq!(date("2026-11-26T08:05:30", "fr").as_deref(), Some("26/11/2026 08:05:30"));
        assert_eq!(date("08:05", "en").as_deref(), Some("08:05"));
        assert_eq!(date("23:59:59", "vi").as_deref(), Some("23:59:59"));
        let months: Vec<String> = (1..=12).map(|m| date(&format!("2026-{m:02}-01"), "en").unwrap()).collect();
        assert_eq!(
            months.iter().map(|d| &d[2..5]).collect::<Vec<_>>(),
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        );
    }

    #[test]
    fn not_dates() {
        for s in [
            "",
            "hôm qua",
            "2026",
            "2026-13-01",
            "2026-00-10",
            "2026-02-29",
            "2026-04-31",
            "2026-11-00",
            "26/11/2026",
            "2026-11-26T25:00",
            "2026-11-26T08:60",
            "2026-11-26T08",
            "2026-11-26T08:05Z",
            "2025-11-25T17:00:00.000Z",
            "2026-11-26 08:05",
            "8:05",
            "24:00",
            "+026-11-26",
            "2026-1é-26",
            "2026-11-26T",
            "12345",
        ] {
            assert_eq!(date(s, "vi"), None, "{s}");
        }
    }

    fn form(elements: &str) -> crate::Form {
        let loaded = crate::load(&format!(r#"{{"elements": [{elements}]}}"#));
        assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
        loaded.form.unwrap()
    }

    fn show(f: &crate::Form, name: &str, v: Value, comment: Option<&str>, locale: &str) -> Vec<String> {
        answer(f.question(name).unwrap(), &v, comment, locale)
    }

    #[test]
    fn a_ranking_one_line_per_place_and_a_range_as_its_two_ends() {
        let f = form(
            r#"{"type": "ranking", "name": "r", "choices": [{"value": "d", "text": {"default": "Điện", "en": "Power"}}, "n"]},
               {"type": "slider", "name": "s", "sliderType": "range", "max": 5000}"#,
        );
        assert_eq!(show(&f, "r", json!(["n", "d"]), None, "vi"), ["1. n", "2. Điện"]);
        assert_eq!(show(&f, "r", json!(["d", "n"]), None, "en"), ["1. Power", "2. n"]);
        assert_eq!(show(&f, "s", json!([1500, 2500.5]), None, "vi"), ["1.500 – 2.500,5"]);
        assert_eq!(show(&f, "s", json!([1500, 2500]), None, "en"), ["1,500 – 2,500"]);
        assert_eq!(crate::csv::answer_text(&json!(["n", "d"])), "n; d", "the CSV keeps the order");
    }

    #[test]
    fn choice_answers() {
        let f = form(
            r#"{"type": "radiogroup", "name": "kenh", "showOtherItem": true, "showNoneItem": true,
                "choices": [{"value": "zalo", "text": {"default": "Zalo", "en": "Zalo app"}}, {"value": 2, "text": {"default": "Điện thoại", "en": "Phone"}}]},
               {"type": "checkbox", "name": "nhieu", "choices": ["a", {"value": "b", "text": "Bê"}], "showOtherItem": true, "otherText": {"default": "Khác", "en": "Other"}},
               {"type": "dropdown", "name": "d", "choices": [1, 2]},
               {"type": "tagbox", "name": "t", "choices": [{"value": "x", "text": {"default": "Ích", "en": "Ex"}}], "showNoneItem": true, "noneText": "Chẳng có gì"}"#,
        );
        assert_eq!(show(&f, "kenh", json!("zalo"), None, "vi"), ["Zalo"]);
        assert_eq!(show(&f, "kenh", json!("zalo"), None, "en"), ["Zalo app"]);
        assert_eq!(show(&f, "kenh", json!(2), None, "en"), ["Phone"]);
        assert_eq!(show(&f, "kenh", json!("2"), None, "vi"), ["Điện thoại"]);
        assert_eq!(show(&f, "kenh", json!("other"), Some("TikTok"), "vi"), ["Khác (ghi rõ): TikTok"]);
        assert_eq!(show(&f, "kenh", json!("other"), Some("TikTok"), "en"), ["Other (please specify): TikTok"]);
        assert_eq!(show(&f, "kenh", json!("other"), Some("  "), "vi"), ["Khác (ghi rõ)"]);
        assert_eq!(show(&f, "kenh", json!("other"), None, "vi"), ["Khác (ghi rõ)"]);
        assert_eq!(show(&f, "kenh", json!("none"), None, "vi"), ["Không có"]);
        assert_eq!(show(&f, "kenh", json!("none"), None, "en"), ["None"]);
        assert_eq!(show(&f, "kenh", json!("fax"), None, "vi"), ["fax"]);
        assert_eq!(show(&f, "nhieu", json!(["b", "a", "other"]), Some("Cờ"), "vi"), ["Bê, a, Khác: Cờ"]);
        assert_eq!(show(&f, "nhieu", json!(["other"]), Some("Flag"), "en"), ["Other: Flag"]);
        assert_eq!(show(&f, "nhieu", json!(["a", 7]), None, "vi"), ["a, 7"]);
        assert_eq!(show(&f, "d", json!(2), None, "vi"), ["2"]);
        assert_eq!(show(&f, "t", json!(["x"]), None, "en"), ["Ex"]);
        assert_eq!(show(&f, "t", json!(["none"]), None, "en"), ["Chẳng có gì"]);
    }

    #[test]
    fn other_and_none_without_the_items_use_standard_labels() {
        let f = form(
            r#"{"type": "dropdown", "name": "d", "choices": ["a"]}, {"type": "radiogroup", "name": "r", "choices": [{"value": "other", "text": "Khác nữa"}]}"#,
        );
        assert_eq!(show(&f, "d", json!("other"), Some("z"), "vi"), ["Khác: z"]);
        assert_eq!(show(&f, "d", json!("other"), None, "en"), ["Other"]);
        assert_eq!(show(&f, "d", json!("none"), None, "vi"), ["Không có"]);
        // An author's own choice named "other" keeps its text when there is no "Other" item.
        assert_eq!(show(&f, "r", json!("other"), None, "vi"), ["Khác nữa"]);
    }

    #[test]
    fn boolean_answers() {
        let f = form(
            r#"{"type": "boolean", "name": "b"},
               {"type": "boolean", "name": "c", "labelTrue": {"default": "Đồng ý", "en": "Agree"}, "labelFalse": "Không đồng ý"}"#,
        );
        assert_eq!(show(&f, "b", json!(true), None, "vi"), ["Có"]);
        assert_eq!(show(&f, "b", json!(false), None, "vi"), ["Không"]);
        assert_eq!(show(&f, "b", json!(true), None, "en"), ["Yes"]);
        assert_eq!(show(&f, "b", json!(false), None, "en"), ["No"]);
        assert_eq!(show(&f, "b", json!(false), None, "de"), ["Không"]);
        assert_eq!(show(&f, "c", json!(true), None, "en"), ["Agree"]);
        assert_eq!(show(&f, "c", json!(false), None, "en"), ["Không đồng ý"]);
        // valueTrue/valueFalse: the stored value reads as yes or no; anything else as itself.
        let f = form(
            r#"{"type": "boolean", "name": "s", "valueTrue": "yes", "valueFalse": "no"},
               {"type": "boolean", "name": "n", "valueTrue": 1, "valueFalse": 0, "labelTrue": "Agree"}"#,
        );
        assert_eq!(show(&f, "s", json!("yes"), None, "en"), ["Yes"]);
        assert_eq!(show(&f, "s", json!("no"), None, "vi"), ["Không"]);
        assert_eq!(show(&f, "s", json!(true), None, "en"), ["true"]);
        assert_eq!(show(&f, "n", json!(1), None, "en"), ["Agree"]);
        assert_eq!(show(&f, "n", json!(0), None, "en"), ["No"]);
    }

    #[test]
    fn rating_answers() {
        let f = form(
            r#"{"type": "rating", "name": "r", "rateValues": [1, {"value": 2, "text": {"default": "Tốt", "en": "Good"}}]}, {"type": "rating", "name": "s"}"#,
        );
        assert_eq!(show(&f, "r", json!(2), None, "vi"), ["Tốt"]);
        assert_eq!(show(&f, "r", json!(2), None, "en"), ["Good"]);
        assert_eq!(show(&f, "r", json!(1), None, "en"), ["1"]);
        assert_eq!(show(&f, "s", json!(5), None, "en"), ["5"]);
        assert_eq!(show(&f, "r", json!(9), None, "en"), ["9"]);
    }

    #[test]
    fn text_answers() {
        let f = form(
            r#"{"type": "text", "name": "n", "inputType": "number"},
               {"type": "text", "name": "r", "inputType": "range"},
               {"type": "text", "name": "d", "inputType": "date"},
               {"type": "text", "name": "dt", "inputType": "datetime-local"},
               {"type": "text", "name": "tm", "inputType": "time"},
               {"type": "text", "name": "s"}"#,
        );
        assert_eq!(show(&f, "n", json!(1234567.5), None, "vi"), ["1.234.567,5"]);
        assert_eq!(show(&f, "n", json!("2500"), None, "en"), ["2,500"]);
        assert_eq!(show(&f, "n", json!("khoảng 3"), None, "en"), ["khoảng 3"]);
        assert_eq!(show(&f, "r", json!(40), None, "vi"), ["40"]);
        assert_eq!(show(&f, "d", json!("2026-11-26"), None, "vi"), ["26/11/2026"]);
        assert_eq!(show(&f, "d", json!("2026-11-26"), None, "en"), ["26 Nov 2026"]);
        assert_eq!(show(&f, "d", json!("sắp tới"), None, "en"), ["sắp tới"]);
        assert_eq!(show(&f, "dt", json!("2026-11-26T08:05"), None, "en"), ["26 Nov 2026 08:05"]);
        assert_eq!(show(&f, "tm", json!("08:05"), None, "vi"), ["08:05"]);
        assert_eq!(show(&f, "s", json!("2026-11-26"), None, "vi"), ["2026-11-26"]);
        assert_eq!(show(&f, "s", json!("Lan"), None, "vi"), ["Lan"]);
        assert_eq!(show(&f, "s", json!(12000), None, "vi"), ["12.000"]);
    }

    #[test]
    fn expression_answers() {
        let f = form(r#"{"type": "expression", "name": "e", "expression": "1 + 1"}"#);
        assert_eq!(show(&f, "e", json!(0.30000000000000004), None, "vi"), ["0,3"]);
        assert_eq!(show(&f, "e", json!(1500000), None, "en"), ["1,500,000"]);
        assert_eq!(show(&f, "e", json!("2026-11-26"), None, "vi"), ["26/11/2026"]);
        assert_eq!(show(&f, "e", json!("Đạt"), None, "vi"), ["Đạt"]);
        assert_eq!(show(&f, "e", json!(true), None, "vi"), ["true"]);
    }

    #[test]
    fn matrix_answers_one_line_per_row_in_row_order() {
        let f = form(
            r#"{"type": "matrix", "name": "m", "rows": [{"value": "gia", "text": {"default": "Giá", "en": "Price"}}, {"value": "cl", "text": "Chất lượng"}, "khac"],
                "columns": [{"value": 1, "text": {"default": "Kém", "en": "Poor"}}, {"value": 2, "text": "Tốt"}]}"#,
        );
        assert_eq!(show(&f, "m", json!({"cl": 2, "gia": 1}), None, "vi"), ["Giá: Kém", "Chất lượng: Tốt"]);
        assert_eq!(show(&f, "m", json!({"cl": 2, "gia": 1}), None, "en"), ["Price: Poor", "Chất lượng: Tốt"]);
        assert_eq!(show(&f, "m", json!({"cl": 2, "gia": null, "khac": ""}), None, "vi"), ["Chất lượng: Tốt"]);
        assert_eq!(show(&f, "m", json!({"cl": 9, "cu": 1}), None, "vi"), ["Chất lượng: 9", "cu: Kém"]);
        assert!(show(&f, "m", json!({"gia": null}), None, "vi").is_empty());
    }

    #[test]
    fn multipletext_answers_one_line_per_item_in_item_order() {
        let f = form(
            r#"{"type": "multipletext", "name": "mt", "items": [
                {"name": "ten", "title": {"default": "Họ tên", "en": "Name"}},
                {"name": "tuoi", "title": "Tuổi", "inputType": "number"},
                {"name": "ngay", "title": "Ngày", "inputType": "date"}]}"#,
        );
        assert_eq!(
            show(&f, "mt", json!({"ngay": "2026-11-26", "ten": "Lan", "tuoi": 1200}), None, "vi"),
            ["Họ tên: Lan", "Tuổi: 1.200", "Ngày: 26/11/2026"]
        );
        assert_eq!(show(&f, "mt", json!({"tuoi": "34", "ten": "  "}), None, "en"), ["Tuổi: 34"]);
        assert_eq!(show(&f, "mt", json!({"ten": "Lan", "them": "x"}), None, "en"), ["Name: Lan", "them: x"]);
    }

    #[test]
    fn comment_and_containers() {
        let f = form(
            r#"{"type": "comment", "name": "c"},
               {"type": "paneldynamic", "name": "pd", "templateElements": [{"type": "text", "name": "k"}]},
               {"type": "panel", "name": "p", "elements": [{"type": "text", "name": "inner"}]},
               {"type": "html", "name": "h", "html": "x"}"#,
        );
        assert_eq!(show(&f, "c", json!("Dòng một\nDòng hai"), None, "vi"), ["Dòng một\nDòng hai"]);
        assert_eq!(show(&f, "c", json!(42), None, "vi"), ["42"]);
        assert!(show(&f, "pd", json!([{"k": "a"}]), None, "vi").is_empty());
        let panel = f.elements().into_iter().find(|e| e.name == "p").unwrap();
        assert!(answer(panel, &json!({"inner": "x"}), None, "vi").is_empty());
        let html = f.elements().into_iter().find(|e| e.name == "h").unwrap();
        assert!(answer(html, &json!("x"), None, "vi").is_empty());
    }

    #[test]
    fn empty_answers_show_nothing() {
        let f = form(
            r#"{"type": "text", "name": "s"}, {"type": "checkbox", "name": "c", "choices": ["a"]},
               {"type": "matrix", "name": "m", "rows": ["r"], "columns": [1]}, {"type": "boolean", "name": "b"}"#,
        );
        for (name, v) in [("s", json!(null)), ("s", json!("")), ("c", json!([])), ("m", json!({})), ("b", json!(null))] {
            assert!(show(&f, name, v.clone(), Some("x"), "vi").is_empty(), "{name} {v}");
        }
        assert_eq!(show(&f, "s", json!(0), None, "vi"), ["0"]);
    }
}

/// A computed value (`defaultValueExpression`, an expression's result) as a
/// text field of `input_type` holds it: a date as the local `yyyy-mm-dd`
/// (with `Thh:mm` for date-time, `hh:mm` for a time), as SurveyJS writes a
/// `Date` into a date field; anything else as its JSON.
pub fn for_input(v: &crate::expr::Val, input_type: InputType, clock: &crate::expr::Clock) -> Value {
    let (crate::expr::Val::Date(t), InputType::Date | InputType::DateTimeLocal | InputType::Time) = (v, input_type) else {
        return v.to_json();
    };
    let Some(f) = crate::expr::date::fields(*t, clock) else { return Value::Null };
    // Whole numbers: printing an f64 would bring the float printer to the phone.
    let day = format!("{:04}-{:02}-{:02}", f.year as i64, f.month as i64 + 1, f.day as i64);
    let time = format!("{:02}:{:02}", f.hours as i64, f.minutes as i64);
    Value::String(match input_type {
        InputType::Date => day,
        InputType::Time => time,
        _ => format!("{day}T{time}"),
    })
}

#[cfg(test)]
mod for_input_tests {
    use super::for_input;
    use crate::expr::{Clock, Val};
    use crate::form::InputType;
    use serde_json::json;

    #[test]
    fn dates_go_into_date_fields_as_the_local_day() {
        // 2026-11-25T17:30Z is already the 26th in Hanoi (UTC+7).
        let t = crate::expr::date_parse("2026-11-25T17:30:00Z", &Clock::default());
        let hanoi = Clock { now_ms: t, utc_offset_min: 420.0 };
        assert_eq!(for_input(&Val::Date(t), InputType::Date, &hanoi), json!("2026-11-26"));
        assert_eq!(for_input(&Val::Date(t), InputType::DateTimeLocal, &hanoi), json!("2026-11-26T00:30"));
        assert_eq!(for_input(&Val::Date(t), InputType::Time, &hanoi), json!("00:30"));
        assert_eq!(for_input(&Val::Num(3.0), InputType::Date, &hanoi), json!(3));
        assert_eq!(for_input(&Val::Str("x".into()), InputType::Text, &hanoi), json!("x"));
    }
}
