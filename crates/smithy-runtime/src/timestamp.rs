//! The three Smithy timestamp formats for [`DateTime`] (aws-smithy-types' type, the SDK's).
//!
//! [`format()`] and [`parse`] are the text forms the protocols use (headers, query strings,
//! labels, JSON strings), with the rules Smithy's protocol tests check: `date-time` refuses
//! offsets on a server (see [`refusing_offsets`]), epoch seconds are read exactly (no float
//! rounding), and an instant no calendar format can write is written as epoch seconds in every
//! format. In JSON bodies the default form, epoch seconds as a number, is
//! [`crate::json::EpochSeconds`].

use std::fmt;

use time::{OffsetDateTime, UtcOffset};

pub use aws_smithy_types::DateTime;
pub use aws_smithy_types::date_time::Format;

/// Why text is not a timestamp in the expected format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    format: Format,
    reason: String,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.format {
            Format::EpochSeconds => "epoch-seconds",
            Format::DateTime | Format::DateTimeWithOffset => "date-time (RFC 3339)",
            Format::HttpDate => "http-date",
        };
        write!(f, "not a valid {name} timestamp: {}", self.reason)
    }
}

impl std::error::Error for DateTimeParseError {}

/// The instants RFC 3339 and HTTP dates can write (years 0001 to 9999), in epoch seconds.
/// Others are written as epoch seconds in every format.
pub(crate) const MIN_SECONDS: i64 = -62_135_596_800;
pub(crate) const MAX_SECONDS: i64 = 253_402_300_799;

/// Seconds since the epoch as a float. The fraction is taken from the shortest decimal that
/// reads back as this float, so `1.1` means 1 s and 100,000,000 ns exactly, not the binary
/// approximation. `None` for NaN and infinities.
pub fn from_secs_f64(value: f64) -> Option<DateTime> {
    if !value.is_finite() {
        return None;
    }
    let text = format!("{value}");
    parse_epoch_decimal(&text).ok()
}

/// Writes `t` in one of the Smithy formats; an instant outside years 0001 to 9999 is written
/// as epoch seconds whatever the format.
pub fn format(t: &DateTime, format: Format) -> String {
    match format {
        Format::EpochSeconds => epoch_text(t),
        Format::DateTime | Format::DateTimeWithOffset => match offset_date_time(t) {
            Some(odt) => {
                // RFC 3339 with the fraction only when there is one, trimmed of zeros.
                let mut out = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    odt.year(),
                    u8::from(odt.month()),
                    odt.day(),
                    odt.hour(),
                    odt.minute(),
                    odt.second()
                );
                push_fraction(&mut out, t.subsec_nanos());
                out.push('Z');
                out
            }
            None => epoch_text(t),
        },
        Format::HttpDate => match offset_date_time(t) {
            Some(odt) => httpdate_text(&odt),
            None => epoch_text(t),
        },
    }
}

/// Reads text in one of the Smithy formats. `DateTime` accepts UTC offsets (`-08:00`) except
/// inside [`refusing_offsets`]; `DateTimeWithOffset` always accepts them.
pub fn parse(text: &str, format: Format) -> Result<DateTime, DateTimeParseError> {
    let err = |reason: &str| DateTimeParseError { format, reason: reason.to_owned() };
    match format {
        Format::EpochSeconds => parse_epoch_decimal(text),
        Format::DateTime => parse_rfc3339(text, !OFFSETS_REFUSED.with(std::cell::Cell::get)).map_err(&err),
        Format::DateTimeWithOffset => parse_rfc3339(text, true).map_err(&err),
        Format::HttpDate => parse_http_date(text).ok_or_else(|| err("expected e.g. `Mon, 16 Dec 2019 23:48:18 GMT`")),
    }
}

fn epoch_text(t: &DateTime) -> String {
    let (seconds, nanos) = (t.secs(), t.subsec_nanos());
    if nanos == 0 {
        return seconds.to_string();
    }
    // Exact decimal, trimmed: -1 s + 500,000,000 ns is "-0.5".
    let (sign, whole, frac) =
        if seconds < 0 { ("-", -(seconds + 1), 1_000_000_000 - nanos) } else { ("", seconds, nanos) };
    let frac = format!("{frac:09}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

fn offset_date_time(t: &DateTime) -> Option<OffsetDateTime> {
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&t.secs()) {
        return None;
    }
    let odt = OffsetDateTime::from_unix_timestamp(t.secs()).ok()?;
    odt.replace_nanosecond(t.subsec_nanos()).ok()
}

fn from_offset_date_time(t: OffsetDateTime) -> DateTime {
    let t = t.to_offset(UtcOffset::UTC);
    DateTime::from_secs_and_nanos(t.unix_timestamp(), t.nanosecond())
}

thread_local! {
    /// Set while a server reads a request: see [`refusing_offsets`].
    static OFFSETS_REFUSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `date-time` parsing refusing UTC offsets (`-08:00`): only `Z` is accepted, as
/// Smithy requires of servers, while clients accept the offsets some services send. The
/// generated server reads requests inside this.
pub fn refusing_offsets<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            OFFSETS_REFUSED.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(OFFSETS_REFUSED.with(|c| c.replace(true)));
    f()
}

/// RFC 3339 as Smithy's `date-time` allows it: `2019-12-16T23:48:18.52Z`, the `T` and the
/// zone required (no space, no missing seconds, no basic format), an offset (`+01:00`) only when
/// `offsets` is set.
fn parse_rfc3339(text: &str, offsets: bool) -> Result<DateTime, &'static str> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let shape = "expected `YYYY-MM-DDThh:mm:ss[.fraction]Z`";
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && (at(10, b'T') || at(10, b't')) && at(13, b':') && at(16, b':')) {
        return Err(shape);
    }
    let (year, month, day) = (digits(0..4).ok_or(shape)?, digits(5..7).ok_or(shape)?, digits(8..10).ok_or(shape)?);
    let (hour, minute, second) =
        (digits(11..13).ok_or(shape)?, digits(14..16).ok_or(shape)?, digits(17..19).ok_or(shape)?);
    let mut i = 19;
    let mut nanos = 0u32;
    if at(i, b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 9 {
                nanos += u32::from(b[i] - b'0') * 10u32.pow(8 - (i - start) as u32);
            }
            i += 1;
        }
        if i == start {
            return Err(shape);
        }
    }
    let offset_seconds: i64 = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && at(i + 3, b':') => {
            if !offsets {
                return Err("a UTC offset is not allowed here: write the instant in UTC with `Z`");
            }
            let (h, m) = (digits(i + 1..i + 3).ok_or(shape)?, digits(i + 4..i + 6).ok_or(shape)?);
            if h > 23 || m > 59 {
                return Err("the UTC offset is out of range");
            }
            let seconds = i64::from(h * 3600 + m * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return Err(shape),
    };
    let month = time::Month::try_from(u8::try_from(month).map_err(|_| "the month is out of range")?)
        .map_err(|_| "the month is out of range")?;
    let date = time::Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| "no such date")?;
    let clock = time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos).map_err(|_| "no such time")?;
    let t = time::PrimitiveDateTime::new(date, clock).assume_utc();
    Ok(DateTime::from_secs_and_nanos(t.unix_timestamp() - offset_seconds, t.nanosecond()))
}

/// Parses a decimal number of seconds exactly (no float rounding), up to nanoseconds.
pub(crate) fn parse_epoch_decimal(text: &str) -> Result<DateTime, DateTimeParseError> {
    let err = |reason: &str| DateTimeParseError { format: Format::EpochSeconds, reason: reason.to_owned() };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("expected a decimal number of seconds"));
    }
    let whole: i64 = whole.parse().map_err(|_| err("out of range"))?;
    let mut nanos: u32 = 0;
    for (i, b) in frac.bytes().take(9).enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
    }
    if negative && (whole > 0 || nanos > 0) {
        if nanos == 0 {
            Ok(DateTime::from_secs(-whole))
        } else {
            Ok(DateTime::from_secs_and_nanos(-whole - 1, 1_000_000_000 - nanos))
        }
    } else {
        Ok(DateTime::from_secs_and_nanos(whole, nanos))
    }
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn httpdate_text(t: &OffsetDateTime) -> String {
    let day = DAYS[t.weekday().number_days_from_monday() as usize];
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    let mut out =
        format!("{day}, {:02} {month} {:04} {:02}:{:02}:{:02}", t.day(), t.year(), t.hour(), t.minute(), t.second());
    push_fraction(&mut out, t.nanosecond());
    out.push_str(" GMT");
    out
}

/// `.` and the fraction of a second without trailing zeros, when there is one.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
}

/// IMF-fixdate, with an optional fraction of seconds (which some services send).
fn parse_http_date(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let (day_name, rest) = text.split_once(", ")?;
    if !DAYS.contains(&day_name) {
        return None;
    }
    let mut parts = rest.split(' ');
    let day: u8 = parts.next().filter(|d| d.len() == 2)?.parse().ok()?;
    let month_name = parts.next()?;
    let month_idx = MONTHS.iter().position(|m| *m == month_name)?;
    let year: i32 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let clock = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms_parts = hms.split(':');
    let mut field = || -> Option<u8> { hms_parts.next().filter(|p| p.len() == 2)?.parse().ok() };
    let (hour, minute, second) = (field()?, field()?, field()?);
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
        return None;
    }
    let nanos = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse::<u32>().ok()? };
    let month = time::Month::try_from(u8::try_from(month_idx + 1).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    let t = time::PrimitiveDateTime::new(date, clock).assume_utc();
    if DAYS[t.weekday().number_days_from_monday() as usize] != day_name {
        return None;
    }
    Some(from_offset_date_time(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn date_times_are_strict_rfc3339() {
        let parse = |t: &str| parse(t, Format::DateTime);
        assert_eq!(parse("1985-04-12T23:20:50.52Z").unwrap(), DateTime::from_secs_and_nanos(482196050, 520_000_000));
        assert_eq!(parse("1970-01-01t00:00:00z").unwrap(), DateTime::from_secs(0));
        assert_eq!(parse("1996-12-19T16:39:57-08:00").unwrap(), parse("1996-12-20T00:39:57Z").unwrap());
        for bad in [
            "1996-12-19 16:39:57Z",
            "1996-12-19T16:39:57",
            "1996-12-19T16:39Z",
            "19961219T163957Z",
            "1996-12-19T16:39:57+00",
            "1996-12-19T16:39:57+00Z",
            "2011-12-03T10:15:30+01:00[Europe/Paris]",
            "1996-02-30T16:39:57Z",
            "1996-12-19T16:39:57.Z",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let refused = refusing_offsets(|| parse("1996-12-19T16:39:57-08:00"));
        assert!(refused.unwrap_err().to_string().contains("UTC offset"));
        assert!(refusing_offsets(|| parse("1996-12-19T16:39:57Z")).is_ok());
        assert!(parse("1996-12-19T16:39:57-08:00").is_ok(), "the strict mode ends with the closure");
    }

    #[test]
    fn formats_known_instants() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(format(&t, Format::EpochSeconds), "1576540098.52");
        assert_eq!(format(&t, Format::DateTime), "2019-12-16T23:48:18.52Z");
        assert_eq!(format(&t, Format::HttpDate), "Mon, 16 Dec 2019 23:48:18.52 GMT");
        assert_eq!(format(&DateTime::from_secs(1_576_540_098), Format::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(format(&DateTime::from_secs_and_nanos(-1, 500_000_000), Format::EpochSeconds), "-0.5");
    }

    #[test]
    fn parses_what_services_send() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(parse("2019-12-16T23:48:18.52Z", Format::DateTime), Ok(t));
        assert_eq!(parse("2019-12-17T00:48:18.52+01:00", Format::DateTime), Ok(t));
        assert_eq!(parse("Mon, 16 Dec 2019 23:48:18.52 GMT", Format::HttpDate), Ok(t));
        assert_eq!(parse("1576540098.52", Format::EpochSeconds), Ok(t));
        assert_eq!(from_secs_f64(1_576_540_098.52), Some(t));
        assert!(parse("Tue, 16 Dec 2019 23:48:18 GMT", Format::HttpDate).is_err(), "wrong weekday");
        assert!(parse("yesterday", Format::DateTime).is_err());
        assert!(parse("1e3", Format::EpochSeconds).is_err());
        assert_eq!(from_secs_f64(f64::NAN), None);
    }

    #[test]
    fn json_is_epoch_seconds() {
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000);
        assert_eq!(String::from_utf8(crate::json::to_body(&t).unwrap()).unwrap(), "1700000000.123");
        assert_eq!(String::from_utf8(crate::json::to_body(&DateTime::from_secs(5)).unwrap()).unwrap(), "5");
        assert_eq!(crate::json::from_body::<DateTime>("1700000000.123".as_bytes()).unwrap(), t);
        assert!(crate::json::from_body::<DateTime>("\"soon\"".as_bytes()).is_err());
    }

    proptest! {
        #[test]
        fn text_formats_round_trip(secs in MIN_SECONDS..=MAX_SECONDS, nanos in 0u32..1_000_000_000) {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            for f in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
                prop_assert_eq!(parse(&format(&t, f), f), Ok(t));
            }
        }

        #[test]
        fn json_round_trips_at_millisecond_precision(secs in -10_000_000_000i64..10_000_000_000, millis in 0u32..1000) {
            let t = DateTime::from_secs_and_nanos(secs, millis * 1_000_000);
            let json = String::from_utf8(crate::json::to_body(&t).unwrap()).unwrap();
            prop_assert_eq!(crate::json::from_body::<DateTime>(json.as_bytes()).unwrap(), t);
        }

    }
}
