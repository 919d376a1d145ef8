//! ISO 8601 timestamps as Orcheo writes them, to milliseconds since the Unix epoch.
//!
//! Orcheo mixes two shapes: values made with a naive `datetime.now()` carry no zone
//! (`2026-11-21T08:42:05.723254`) and values made with `datetime.now(UTC)` end in `Z`. Naive
//! values are read as UTC. An explicit `±HH:MM` offset is honoured too.

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (a space may stand for the `T`).
pub fn parse_iso8601_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() < 19 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        // Only the first three digits matter; pad "5" to "500".
        let head: String = fraction[..digits].chars().chain("00".chars()).take(3).collect();
        millis = head.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = rest[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = zone[..2].parse().ok()?;
            let minutes: i64 = zone[2..].parse().ok()?;
            sign * (hours * 60 + minutes)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_and_zulu_timestamps_are_the_same_instant() {
        let naive = parse_iso8601_ms("2026-11-21T08:42:05.723254");
        let zulu = parse_iso8601_ms("2026-11-21T08:42:05.723254Z");
        assert_eq!(naive, Some(1_795_250_525_723));
        assert_eq!(naive, zulu);
    }

    #[test]
    fn offsets_and_short_fractions_are_honoured() {
        assert_eq!(parse_iso8601_ms("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_iso8601_ms("1970-01-01T00:00:00.5Z"), Some(500));
        assert_eq!(parse_iso8601_ms("1969-12-31T23:59:59Z"), Some(-1_000));
        assert_eq!(parse_iso8601_ms("2000-03-01 00:00:00"), Some(951_868_800_000));
    }

    #[test]
    fn malformed_values_are_rejected() {
        for bad in [
            "",
            "2026-11-21",
            "2026-13-01T00:00:00",
            "2026-11-21T25:00:00",
            "2026-11-21T08:42:05.Z",
            "yesterday",
        ] {
            assert_eq!(parse_iso8601_ms(bad), None, "{bad}");
        }
    }
}
