//! JavaScript `Date` arithmetic for the date functions, without a date crate.
//!
//! The core never reads the clock: "now" and the device's UTC offset come in
//! a [`Clock`], so the phone, the server and the tests agree on what
//! `today()` is.

/// The moment an expression is evaluated, and where.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Clock {
    /// Milliseconds since the epoch.
    pub now_ms: f64,
    /// Minutes east of UTC of the device's local time (Vietnam: 420).
    pub utc_offset_min: f64,
}

const DAY_MS: f64 = 86_400_000.0;

// The proleptic Gregorian calendar in whole days, in a file of its own: the
// phone's mask module (`mask/lib.rs`, `#![no_std]`) compiles it too.
mod civil;
pub use civil::{civil_from_days, days_from_civil};

/// The local calendar fields of a time, as `getFullYear()`, `getMonth()` … see them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fields {
    pub year: f64,
    /// 0 = January, as in JavaScript.
    pub month: f64,
    pub day: f64,
    pub hours: f64,
    pub minutes: f64,
    pub seconds: f64,
    pub ms: f64,
    /// 0 = Sunday.
    pub weekday: f64,
}

pub fn fields(t: f64, clock: &Clock) -> Option<Fields> {
    // JavaScript's TimeClip: beyond ±8.64e15 ms a Date is invalid.
    if !t.is_finite() || t.abs() > 8.64e15 || !clock.utc_offset_min.is_finite() {
        return None;
    }
    let local = t + clock.utc_offset_min * 60_000.0;
    let days = (local / DAY_MS).floor();
    let in_day = local - days * DAY_MS;
    let (y, m, d) = civil_from_days(days as i64);
    Some(Fields {
        year: y as f64,
        month: (m - 1) as f64,
        day: d as f64,
        hours: (in_day / 3_600_000.0).floor(),
        minutes: (in_day / 60_000.0).floor() % 60.0,
        seconds: (in_day / 1_000.0).floor() % 60.0,
        ms: in_day % 1_000.0,
        weekday: (days + 4.0).rem_euclid(7.0),
    })
}

/// JavaScript's MakeDay/MakeTime from local fields that may overflow
/// (month 12 is next January, day 0 the last of the previous month).
pub fn make_local(f: &Fields, clock: &Clock) -> f64 {
    let parts = [f.year, f.month, f.day, f.hours, f.minutes, f.seconds, f.ms];
    if parts.iter().any(|p| !p.is_finite()) {
        return f64::NAN;
    }
    let y = f.year + (f.month / 12.0).floor();
    let m = f.month.rem_euclid(12.0);
    if y.abs() > 400_000.0 {
        return f64::NAN;
    }
    let days = days_from_civil(y as i64, m as i64 + 1, 1) as f64 + f.day - 1.0;
    let local = days * DAY_MS + f.hours * 3_600_000.0 + f.minutes * 60_000.0 + f.seconds * 1_000.0 + f.ms;
    let t = local - clock.utc_offset_min * 60_000.0;
    if t.abs() > 8.64e15 {
        f64::NAN
    } else {
        t
    }
}

/// `Date.UTC(y, m, d)` for whole local dates.
pub fn utc_date(f: &Fields) -> f64 {
    make_local(&Fields { hours: 0.0, minutes: 0.0, seconds: 0.0, ms: 0.0, ..*f }, &Clock::default())
}

/// `toISOString()`.
pub fn iso_string(t: f64) -> String {
    let Some(f) = fields(t, &Clock::default()) else { return "Invalid Date".into() };
    let year = if (0.0..=9999.0).contains(&f.year) { format!("{:04}", f.year as i64) } else { format!("{:+07}", f.year as i64) };
    format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        f.month as i64 + 1,
        f.day as i64,
        f.hours as i64,
        f.minutes as i64,
        f.seconds as i64,
        f.ms as i64
    )
}

/// `Date.prototype.toString()` as a UTC device prints it; devices in other
/// zones print their own offset and zone name, which the core cannot know.
pub fn to_js_string(t: f64) -> String {
    let Some(f) = fields(t, &Clock::default()) else { return "Invalid Date".into() };
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{} {} {:02} {:04} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        DAYS[f.weekday as usize], MONTHS[f.month as usize], f.day as i64, f.year as i64, f.hours as i64, f.minutes as i64, f.seconds as i64
    )
}

/// `new Date(text)` for the formats forms use: ISO 8601 dates and date-times
/// (`2024-02-29`, `2024-02-29T08:30`, `…Z`, `…+07:00`) and `2024/02/29`. A date
/// without a time or zone is local midnight, as SurveyJS's `createDate` makes it.
/// NaN (an invalid date) otherwise.
pub fn parse(text: &str, clock: &Clock) -> f64 {
    let s = text.trim();
    if let Some(t) = parse_partial(s, clock) {
        return t;
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| digits_at(s, r);
    let sep = match b.get(4) {
        Some(b'-') => b'-',
        Some(b'/') => b'/',
        _ => return f64::NAN,
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return f64::NAN };
    // V8 takes any day up to 31 and lets it overflow: 2024-02-30 is 1 March.
    if b.get(7) != Some(&sep) || !(1.0..=12.0).contains(&m) || !(1.0..=31.0).contains(&d) {
        return f64::NAN;
    }
    let mut f = Fields { year: y, month: m - 1.0, day: d, hours: 0.0, minutes: 0.0, seconds: 0.0, ms: 0.0, weekday: 0.0 };
    let rest = &s[10..];
    if rest.is_empty() {
        return make_local(&f, clock);
    }
    let Some(rest) = rest.strip_prefix(['T', ' ']) else { return f64::NAN };
    let rb = rest.as_bytes();
    let rnum = |r: std::ops::Range<usize>| digits_at(rest, r);
    let (Some(h), Some(mi)) = (rnum(0..2), rnum(3..5)) else { return f64::NAN };
    if rb.get(2) != Some(&b':') || h > 24.0 || mi > 59.0 {
        return f64::NAN;
    }
    f.hours = h;
    f.minutes = mi;
    let mut i = 5;
    if rb.get(i) == Some(&b':') {
        let Some(sec) = rnum(i + 1..i + 3) else { return f64::NAN };
        f.seconds = sec;
        i += 3;
        if rb.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut j = start;
            while rb.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            if j == start {
                return f64::NAN;
            }
            let frac = crate::num::parse(&format!("0.{}", &rest[start..j])).unwrap_or(0.0);
            f.ms = (frac * 1000.0).floor();
            i = j;
        }
    }
    let zone = &rest[i..];
    let offset = match zone {
        "" => return make_local(&f, clock),
        "Z" | "z" => 0.0,
        _ => {
            let zb = zone.as_bytes();
            let sign = match zb.first() {
                Some(b'+') => 1.0,
                Some(b'-') => -1.0,
                _ => return f64::NAN,
            };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return f64::NAN;
            }
            let hh = crate::num::parse(&digits[..2]).unwrap_or(0.0);
            let mm = crate::num::parse(&digits[2..]).unwrap_or(0.0);
            sign * (hh * 60.0 + mm)
        }
    };
    make_local(&f, &Clock { utc_offset_min: offset, ..*clock })
}

/// The number written with digits only at `r` in `s`.
fn digits_at(s: &str, r: std::ops::Range<usize>) -> Option<f64> {
    let part = s.get(r)?;
    if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    crate::num::parse(part)
}

/// The shorter forms browsers accept: `2024` and `2024-02` (UTC, as ISO
/// says), and `2024-2-9` without zero padding (local, as V8 reads it).
fn parse_partial(s: &str, clock: &Clock) -> Option<f64> {
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    let at = |y: f64, m: f64, d: f64, c: &Clock| {
        Some(make_local(&Fields { year: y, month: m - 1.0, day: d, hours: 0.0, minutes: 0.0, seconds: 0.0, ms: 0.0, weekday: 0.0 }, c))
    };
    match parts.as_slice() {
        [y] if y.len() == 4 && all_digits(y) => at(crate::num::parse(y)?, 1.0, 1.0, &Clock::default()),
        [y, m] if y.len() == 4 && m.len() == 2 && all_digits(y) && all_digits(m) => {
            let m = crate::num::parse(m)?;
            if !(1.0..=12.0).contains(&m) {
                return Some(f64::NAN);
            }
            at(crate::num::parse(y)?, m, 1.0, &Clock::default())
        }
        [y, m, d]
            if y.len() == 4
                && (m.len() == 1 || d.len() == 1)
                && m.len() <= 2
                && d.len() <= 2
                && [y, m, d].iter().all(|p| all_digits(p)) =>
        {
            let (m, d) = (crate::num::parse(m)?, crate::num::parse(d)?);
            if !(1.0..=12.0).contains(&m) || !(1.0..=31.0).contains(&d) {
                return Some(f64::NAN);
            }
            at(crate::num::parse(y)?, m, d, clock)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HANOI: Clock = Clock { now_ms: 0.0, utc_offset_min: 420.0 };

    #[test]
    fn round_trips_calendar_days() {
        for days in [-800_000, -1, 0, 59, 365, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn parses_iso_dates_as_local_midnight() {
        let utc = Clock::default();
        assert_eq!(iso_string(parse("2024-02-29", &utc)), "2024-02-29T00:00:00.000Z");
        assert_eq!(iso_string(parse("2024-02-29", &HANOI)), "2024-02-28T17:00:00.000Z");
        assert_eq!(iso_string(parse("2024-02-29T08:30:15.250Z", &HANOI)), "2024-02-29T08:30:15.250Z");
        assert_eq!(iso_string(parse("2024-02-29T08:30+07:00", &utc)), "2024-02-29T01:30:00.000Z");
        assert_eq!(iso_string(parse("2024/02/29", &utc)), "2024-02-29T00:00:00.000Z");
        assert_eq!(iso_string(parse("2024-02-30", &utc)), "2024-03-01T00:00:00.000Z");
        assert_eq!(iso_string(parse("2024", &HANOI)), "2024-01-01T00:00:00.000Z");
        assert_eq!(iso_string(parse("2024-2-9", &HANOI)), "2024-02-08T17:00:00.000Z");
        assert_eq!(to_js_string(parse("2026-11-26", &utc)), "Thu Nov 26 2026 00:00:00 GMT+0000 (Coordinated Universal Time)");
        for bad in ["2024-02-32", "29/02/2024", "soon", "", "2024-13-01", "2024-02-29T25:00"] {
            assert!(parse(bad, &utc).is_nan(), "{bad}");
        }
    }

    #[test]
    fn fields_follow_local_time_and_overflow_like_javascript() {
        let t = parse("2026-11-26T20:00:00Z", &HANOI);
        let f = fields(t, &HANOI).unwrap();
        assert_eq!((f.year, f.month, f.day, f.hours, f.weekday), (2026.0, 10.0, 27.0, 3.0, 5.0));
        let jan31 = parse("2025-01-31", &HANOI);
        let next = make_local(&Fields { month: 1.0, ..fields(jan31, &HANOI).unwrap() }, &HANOI);
        assert_eq!(iso_string(next), "2025-03-02T17:00:00.000Z"); // 3 March local
    }
}
