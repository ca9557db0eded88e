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

    proptest! {
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
