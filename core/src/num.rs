//! Decimal text to a number, exactly as `str::parse::<f64>` reads it, but
//! without the standard library's parser in the phone's wasm: its correctly
//! rounded slow path brings a table of powers of five, 10 kB gzip, to every
//! download.
//!
//! What binary64 can do exactly is done here: at most 19 significant digits
//! making at most 2^53, times or over a power of ten up to 10^22, is one
//! rounding, so correctly rounded. That is every number a person types into
//! a form. Anything longer goes to the platform's parser: the browser's in
//! the web app ([`set_parser`], as for regular expressions), the standard
//! library's natively (feature `std-float`). Without either, a close
//! approximation.

use std::sync::OnceLock;

/// Converts text already known to be a decimal number (the grammar below)
/// with correct rounding, e.g. JavaScript's `parseFloat`.
pub type Parser = fn(&str) -> f64;

static PARSER: OnceLock<Parser> = OnceLock::new();

/// Installs the platform's parser for numbers too long to convert here.
pub fn set_parser(parser: Parser) {
    let _ = PARSER.set(parser);
}

/// `s.parse::<f64>().ok()`: an optional sign, then digits with an optional
/// point and an optional exponent (`1`, `1.5`, `.5`, `5.`, `1e-3`), or
/// `inf`, `infinity`, `nan` in any case. No spaces.
pub fn parse(s: &str) -> Option<f64> {
    let (neg, rest) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    let signed = |x: f64| if neg { -x } else { x };
    if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        return Some(signed(f64::INFINITY));
    }
    if rest.eq_ignore_ascii_case(b"nan") {
        return Some(f64::NAN);
    }
    let d = Decimal::read(rest)?;
    if d.mantissa == 0 {
        return Some(signed(0.0));
    }
    Some(signed(match d.exact() {
        Some(x) => x,
        None => slow(s, &d),
    }))
}

/// The significant digits (up to 19 of them) and the power of ten they are
/// multiplied by.
struct Decimal {
    mantissa: u64,
    exp10: i64,
    /// Digits beyond the 19th were left out of `mantissa`.
    truncated: bool,
}

impl Decimal {
    fn read(b: &[u8]) -> Option<Decimal> {
        let mut d = Decimal { mantissa: 0, exp10: 0, truncated: false };
        let mut kept = 0;
        let mut seen = 0;
        let mut i = 0;
        let mut fraction = false;
        loop {
            match b.get(i) {
                Some(c @ b'0'..=b'9') => {
                    seen += 1;
                    let digit = u64::from(c - b'0');
                    if d.mantissa == 0 && digit == 0 {
                        // A leading zero: only its place counts.
                        d.exp10 -= i64::from(fraction);
                    } else if kept < 19 {
                        d.mantissa = d.mantissa * 10 + digit;
                        kept += 1;
                        d.exp10 -= i64::from(fraction);
                    } else {
                        d.truncated |= digit != 0;
                        d.exp10 += i64::from(!fraction);
                    }
                }
                Some(b'.') if !fraction => fraction = true,
                _ => break,
            }
            i += 1;
        }
        if seen == 0 {
            return None;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            let negative = match b.get(i) {
                Some(b'-') => (i += 1, true).1,
                Some(b'+') => (i += 1, false).1,
                _ => false,
            };
            let start = i;
            let mut e: i64 = 0;
            while let Some(c @ b'0'..=b'9') = b.get(i) {
                // The standard library's rule, so a huge exponent is read as it reads it.
                if e < 0x10000 {
                    e = 10 * e + i64::from(c - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            d.exp10 += if negative { -e } else { e };
        }
        (i == b.len()).then_some(d)
    }

    /// Correctly rounded when binary64 arithmetic makes it so (one rounding).
    fn exact(&self) -> Option<f64> {
        const POW10: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        // Trailing zeros move to the exponent: "1500000.0000000000" is 15e5.
        let (mut m, mut e) = (self.mantissa, self.exp10);
        while m != 0 && m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        if self.truncated || m > 1 << 53 || !(-22..=22).contains(&e) {
            return None;
        }
        let p = POW10[e.unsigned_abs() as usize];
        Some(if e >= 0 { m as f64 * p } else { m as f64 / p })
    }
}

/// The magnitude of `s`, for what [`Decimal::exact`] cannot do.
fn slow(s: &str, d: &Decimal) -> f64 {
    let x = match PARSER.get() {
        Some(parser) => parser(s),
        None => builtin(s, d),
    };
    x.abs()
}

#[cfg(feature = "std-float")]
fn builtin(s: &str, _: &Decimal) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

#[cfg(not(feature = "std-float"))]
fn builtin(_: &str, d: &Decimal) -> f64 {
    d.mantissa as f64 * 10f64.powi(d.exp10.clamp(-400, 400) as i32)
}

/// Prints a finite, non-negative number as JavaScript's `String(x)` does:
/// the shortest digits that read back to `x`, laid out by ECMAScript's rules.
pub type Printer = fn(f64) -> String;

static PRINTER: OnceLock<Printer> = OnceLock::new();

/// Installs the platform's number printer (the browser's `String`), so the
/// standard library's float formatting stays out of the phone's wasm.
pub fn set_printer(printer: Printer) {
    let _ = PRINTER.set(printer);
}

/// `x` kept within `lo..=hi` (NaN becomes `lo`). Not `f64::clamp`: its panic
/// message prints floats, which brings the float printer to the phone.
#[allow(clippy::manual_clamp)]
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}

/// `x.toFixed(digits)` for a finite `|x| < 1e21`, as JavaScript prints it.
pub type FixedPrinter = fn(f64, u32) -> String;

static FIXED: OnceLock<FixedPrinter> = OnceLock::new();

/// Installs the platform's `toFixed` (the browser's), for the same reason as [`set_printer`].
pub fn set_fixed_printer(printer: FixedPrinter) {
    let _ = FIXED.set(printer);
}

/// `x` rounded to `digits` decimals, as text (JavaScript's `toFixed`).
pub fn to_fixed(x: f64, digits: u32) -> String {
    match FIXED.get() {
        Some(print) => print(x, digits),
        None => builtin_fixed(x, digits),
    }
}

#[cfg(feature = "std-float")]
fn builtin_fixed(x: f64, digits: u32) -> String {
    format!("{:.*}", digits as usize, x)
}

/// Without a printer: by integers, where they hold the scaled number; else
/// the number's own digits, which is no rounding at all.
#[cfg(not(feature = "std-float"))]
fn builtin_fixed(x: f64, digits: u32) -> String {
    let scaled = (x.abs() * 10f64.powi(digits as i32)).round();
    if scaled >= 9.0e18 {
        return to_plain_string(x);
    }
    let n = scaled as u64;
    let p = 10u64.pow(digits.min(19));
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    if digits == 0 {
        return format!("{sign}{n}");
    }
    format!("{sign}{}.{:0width$}", n / p, n % p, width = digits as usize)
}

/// The shortest decimal digits of a finite `x > 0` that read back to `x`,
/// and the place of the decimal point: `x = 0.DIGITS × 10^point`.
fn shortest(x: f64) -> (String, i32) {
    let text = match PRINTER.get() {
        Some(print) => print(x),
        None => builtin_print(x),
    };
    let (mantissa, exp) = text.split_once(['e', 'E']).unwrap_or((&text, "0"));
    let exp: i32 = exp.trim_start_matches('+').parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut point = int.len() as i32 + exp;
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let leading = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..leading);
    point -= leading as i32;
    digits.truncate(digits.trim_end_matches('0').len());
    if digits.is_empty() {
        return ("0".into(), 1);
    }
    (digits, point)
}

#[cfg(feature = "std-float")]
fn builtin_print(x: f64) -> String {
    format!("{x:e}")
}

/// Without the standard library's printer or the platform's: 17 significant
/// digits, which read back to `x` but are not always the shortest.
#[cfg(not(feature = "std-float"))]
fn builtin_print(mut x: f64) -> String {
    let mut exp = 0;
    while x >= 10.0 {
        x /= 10.0;
        exp += 1;
    }
    while x < 1.0 {
        x *= 10.0;
        exp -= 1;
    }
    let mut digits = String::new();
    for _ in 0..17 {
        let d = (x as u8).min(9);
        digits.push(char::from(b'0' + d));
        x = (x - f64::from(d)) * 10.0;
    }
    format!("{}.{}e{exp}", &digits[..1], &digits[1..])
}

/// JavaScript's `Number.prototype.toString()` for radix 10.
pub fn to_js_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if x < 0.0 {
        return format!("-{}", to_js_string(-x));
    }
    let (digits, n) = shortest(x);
    let k = digits.len() as i32;
    if k <= n && n <= 21 {
        digits + &"0".repeat((n - k) as usize)
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{}", "0".repeat((-n) as usize), digits)
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let e = (n - 1).abs();
        if k == 1 {
            format!("{digits}e{sign}{e}")
        } else {
            format!("{}.{}e{sign}{e}", &digits[..1], &digits[1..])
        }
    }
}

/// The shortest digits that read back to `x`, never with an exponent
/// (`1000000000000000000000`, `0.0000001`), as Rust's `x.to_string()` prints it.
pub fn to_plain_string(x: f64) -> String {
    if !x.is_finite() {
        return to_js_string(x);
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let (digits, n) = shortest(x.abs());
    let k = digits.len() as i32;
    let body = if n >= k {
        digits + &"0".repeat((n - k) as usize)
    } else if n > 0 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    };
    format!("{sign}{body}")
}

/// A finite number as serde_json writes a float (`5.0`, `0.001`, `1e-7`,
/// `1.5e+16`), so a document reads and writes the same
/// on the phone and on the server. Not finite: `null`, as JSON has no such number.
pub fn to_json_text(x: f64) -> String {
    if !x.is_finite() {
        return "null".into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let (digits, kk) = shortest(x.abs());
    let len = digits.len() as i32;
    let k = kk - len;
    let body = if 0 <= k && kk <= 16 {
        format!("{digits}{}.0", "0".repeat(k as usize))
    } else if 0 < kk && kk <= 16 {
        format!("{}.{}", &digits[..kk as usize], &digits[kk as usize..])
    } else if -5 < kk && kk <= 0 {
        format!("0.{}{digits}", "0".repeat((-kk) as usize))
    } else {
        let e = kk - 1;
        let sign = if e < 0 { '-' } else { '+' };
        let point = if len == 1 { "" } else { "." };
        format!("{}{point}{}e{sign}{}", &digits[..1], &digits[1..], e.abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::parse;
    use proptest::prelude::*;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse(s);
        match (got, want) {
            (Some(a), Some(b)) if a.is_nan() && b.is_nan() => {}
            (Some(a), Some(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{s:?}: {a:e} against {b:e}"),
            (a, b) => assert_eq!(a, b, "{s:?}"),
        }
    }

    #[test]
    fn reads_as_the_standard_library_does() {
        for s in [
            "0",
            "-0",
            "+0",
            "00",
            "0.0",
            "-0.0",
            ".5",
            "5.",
            "-.5",
            "1",
            "12.5",
            "-12.5",
            "+3",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "2.5e-7",
            "0.1",
            "0.2",
            "0.30000000000000004",
            "9007199254740992",
            "9007199254740993",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567890",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "4.9e-324",
            "2e-324",
            "1.7976931348623157e308",
            "1.8e308",
            "1e400",
            "-1e400",
            "1e-400",
            "0e999999999",
            "0.000000000000000000000000001",
            "100000000000000000000000",
            "1e65536",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0.0000000000000000000000001e25",
            "inf",
            "-inf",
            "+INF",
            "Infinity",
            "-infinity",
            "nan",
            "NaN",
            "-nan",
            "",
            "-",
            "+",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "0x10",
            "1_000",
            "--1",
            "+-1",
            "1e5.5",
            "Inf1",
            "∞",
        ] {
            same(s);
        }
    }

    #[test]
    fn typed_numbers_take_the_exact_path() {
        // display::number reads round_to_fixed's "1500000.0000000000" too.
        for s in ["12.5", "0.1", "-3", "1500000", "99.99", "1e-3", "0.000123", "123456.789", "1500000.0000000000", "250000000.5000000000"] {
            let d = super::Decimal::read(s.trim_start_matches('-').as_bytes()).unwrap();
            assert!(d.exact().is_some(), "{s}");
        }
    }

    #[test]
    fn huge_exponents_are_read_as_the_standard_library_reads_them() {
        // Leading zeros that bring a capped exponent back near zero.
        same(&format!("0.{}1e655360", "0".repeat(655_359)));
        same(&format!("0.{}1e1000001", "0".repeat(99_999)));
        same(&format!("{}e-65540", "1".repeat(30)));
    }

    #[test]
    fn prints_as_javascript_and_serde_json_do() {
        use super::{to_js_string, to_json_text};
        for (x, js, json) in [
            (5.0, "5", "5.0"),
            (0.1, "0.1", "0.1"),
            (-12.5, "-12.5", "-12.5"),
            (1e21, "1e+21", "1e+21"),
            (1e16, "10000000000000000", "1e+16"),
            (1e15, "1000000000000000", "1000000000000000.0"),
            (123456789012345680000.0, "123456789012345680000", "1.2345678901234568e+20"),
            (0.000001, "0.000001", "1e-6"),
            (0.0001, "0.0001", "0.0001"),
            (1.5e-7, "1.5e-7", "1.5e-7"),
            (5e-324, "5e-324", "5e-324"),
            (f64::MAX, "1.7976931348623157e+308", "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004", "0.30000000000000004"),
            (1700000000000.0, "1700000000000", "1700000000000.0"),
        ] {
            assert_eq!(to_js_string(x), js, "{x:e}");
            assert_eq!(to_json_text(x), json, "{x:e}");
            assert_eq!(serde_json::to_string(&x).unwrap(), json, "serde_json and {x:e}");
        }
        assert_eq!(to_json_text(f64::NAN), "null");
        for x in [0.0, -0.0, 1.0, -12.5, 1e21, 1e-7, 123456.789, 5e-324, f64::MAX, 0.1 + 0.2] {
            assert_eq!(super::to_plain_string(x), x.to_string(), "{x:e}");
        }
        assert_eq!(to_json_text(-0.0), serde_json::to_string(&-0.0f64).unwrap());
    }

    proptest! {
        #[test]
        fn any_float_prints_so_it_reads_back(bits in any::<u64>()) {
            // Where two shortest texts exist, serde_json may take the other one.
            // (The server reads numbers exactly: serde_json's `float_roundtrip`.)
            let x = f64::from_bits(bits);
            let text = super::to_json_text(x);
            if x.is_finite() {
                prop_assert_eq!(text.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{}", text);
            } else {
                prop_assert_eq!(text, "null");
            }
        }

        #[test]
        fn typed_numbers_print_as_serde_json_prints_them(m in 0u64..1_000_000_000_000_000, e in -30i32..30) {
            let x: f64 = format!("{m}e{e}").parse().unwrap();
            prop_assert_eq!(super::to_json_text(x), serde_json::to_string(&x).unwrap());
        }

        #[test]
        fn any_decimal_reads_the_same(s in "[+-]?[0-9]{0,22}(\\.[0-9]{0,22})?([eE][+-]?[0-9]{1,3})?") {
            same(&s);
        }

        #[test]
        fn any_text_is_refused_or_read_the_same(s in "[-+.eE0-9a-z ]{0,12}") {
            same(&s);
        }
    }
}
