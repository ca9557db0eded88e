//! "Now" as the server writes it: RFC 3339 in UTC, with milliseconds, the
//! same text the phone's `Date.toISOString()` gives (phieu-core's calendar).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_rfc3339() -> String {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64);
    phieu_core::expr::iso_string(ms)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_known_instants() {
        use phieu_core::expr::iso_string;
        assert_eq!(iso_string(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_string(1_795_651_200_005.0), "2026-11-26T00:00:00.005Z");
        assert_eq!(iso_string(951_825_600_000.0), "2000-02-29T12:00:00.000Z");
        assert!(super::now_rfc3339().ends_with('Z'));
    }
}
