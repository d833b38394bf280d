//! Timestamps and the three Smithy timestamp formats.
//!
//! [`DateTime`] is seconds since the Unix epoch plus nanoseconds, so it holds any instant a
//! model can send (before 1970 too) without a calendar crate in the public API. Its own serde
//! implementation is the restJson1 body default, `epoch-seconds` as a JSON number; members with
//! another `@timestampFormat` use the adapters in [`crate::json`]. Text forms (headers, query
//! strings, labels) go through [`DateTime::fmt`] and [`DateTime::parse`].

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{OffsetDateTime, UtcOffset};

/// An instant: whole seconds since 1970-01-01T00:00:00Z and a nanosecond fraction.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

/// The Smithy timestamp formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Seconds since the epoch, with an optional fraction: `1515531081.123`.
    EpochSeconds,
    /// RFC 3339 in UTC: `2019-12-16T23:48:18.52Z`.
    DateTime,
    /// The HTTP date of RFC 9110 (IMF-fixdate): `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
}

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
            Format::DateTime => "date-time (RFC 3339)",
            Format::HttpDate => "http-date",
        };
        write!(f, "not a valid {name} timestamp: {}", self.reason)
    }
}

impl std::error::Error for DateTimeParseError {}

/// The instants RFC 3339 and HTTP dates can write (years 0001 to 9999), in epoch seconds.
/// Others are written as epoch seconds in every format.
const MIN_SECONDS: i64 = -62_135_596_800;
const MAX_SECONDS: i64 = 253_402_300_799;

impl DateTime {
    /// Whole seconds and a fraction; `nanos` above 999,999,999 carry into the seconds.
    pub fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos / 1_000_000_000);
        DateTime { seconds: seconds.saturating_add(carry), nanos: nanos % 1_000_000_000 }
    }

    /// Whole seconds since the epoch.
    pub fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, nanos: 0 }
    }

    /// Milliseconds since the epoch.
    pub fn from_millis(millis: i64) -> Self {
        DateTime { seconds: millis.div_euclid(1000), nanos: (millis.rem_euclid(1000) as u32) * 1_000_000 }
    }

    /// Seconds since the epoch as a float. The fraction is taken from the shortest decimal that
    /// reads back as this float, so `1.1` means 1 s and 100,000,000 ns exactly, not the binary
    /// approximation. `None` for NaN and infinities.
    pub fn from_secs_f64(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        let text = format!("{value}");
        parse_epoch_decimal(&text).ok()
    }

    /// The whole seconds (the floor: -0.5 s is -1 s plus 500,000,000 ns).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanosecond fraction, 0..1,000,000,000.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float (precise to about a microsecond today).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }

    /// Milliseconds since the epoch, truncated toward negative infinity.
    pub fn to_millis(&self) -> i64 {
        self.seconds.saturating_mul(1000).saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// The current time.
    pub fn now() -> Self {
        DateTime::from(SystemTime::now())
    }

    /// Formats in one of the Smithy formats.
    pub fn fmt(&self, format: Format) -> String {
        match format {
            Format::EpochSeconds => self.epoch_text(),
            Format::DateTime => match self.offset_date_time() {
                Some(t) => {
                    // RFC 3339 with the fraction only when there is one, trimmed of zeros.
                    let mut out = format!(
                        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                        t.year(),
                        u8::from(t.month()),
                        t.day(),
                        t.hour(),
                        t.minute(),
                        t.second()
                    );
                    if self.nanos != 0 {
                        let frac = format!("{:09}", self.nanos);
                        out.push('.');
                        out.push_str(frac.trim_end_matches('0'));
                    }
                    out.push('Z');
                    out
                }
                None => self.epoch_text(),
            },
            Format::HttpDate => match self.offset_date_time() {
                Some(t) => httpdate_text(&t),
                None => self.epoch_text(),
            },
        }
    }

    /// Parses text in one of the Smithy formats.
    pub fn parse(text: &str, format: Format) -> Result<Self, DateTimeParseError> {
        let err = |reason: &str| DateTimeParseError { format, reason: reason.to_owned() };
        match format {
            Format::EpochSeconds => parse_epoch_decimal(text),
            Format::DateTime => parse_rfc3339(text, !OFFSETS_REFUSED.with(std::cell::Cell::get)).map_err(&err),
            Format::HttpDate => {
                parse_http_date(text).ok_or_else(|| err("expected e.g. `Mon, 16 Dec 2019 23:48:18 GMT`"))
            }
        }
    }

    fn epoch_text(&self) -> String {
        if self.nanos == 0 {
            return self.seconds.to_string();
        }
        // Exact decimal, trimmed: -1 s + 500,000,000 ns is "-0.5".
        let (sign, whole, frac) = if self.seconds < 0 {
            let total_whole = -(self.seconds + 1);
            ("-", total_whole, 1_000_000_000 - self.nanos)
        } else {
            ("", self.seconds, self.nanos)
        };
        let frac = format!("{frac:09}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }

    fn offset_date_time(&self) -> Option<OffsetDateTime> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&self.seconds) {
            return None;
        }
        let t = OffsetDateTime::from_unix_timestamp(self.seconds).ok()?;
        t.replace_nanosecond(self.nanos).ok()
    }

    fn from_offset_date_time(t: OffsetDateTime) -> Self {
        let t = t.to_offset(UtcOffset::UTC);
        DateTime { seconds: t.unix_timestamp(), nanos: t.nanosecond() }
    }
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
fn parse_epoch_decimal(text: &str) -> Result<DateTime, DateTimeParseError> {
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
            Ok(DateTime { seconds: -whole, nanos: 0 })
        } else {
            Ok(DateTime { seconds: -whole - 1, nanos: 1_000_000_000 - nanos })
        }
    } else {
        Ok(DateTime { seconds: whole, nanos })
    }
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn httpdate_text(t: &OffsetDateTime) -> String {
    let day = DAYS[t.weekday().number_days_from_monday() as usize];
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    let mut out =
        format!("{day}, {:02} {month} {:04} {:02}:{:02}:{:02}", t.day(), t.year(), t.hour(), t.minute(), t.second());
    if t.nanosecond() != 0 {
        let frac = format!("{:09}", t.nanosecond());
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push_str(" GMT");
    out
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
    Some(DateTime::from_offset_date_time(t))
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fmt(Format::DateTime))
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", DateTime::fmt(self, Format::DateTime))
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime { seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX), nanos: d.subsec_nanos() },
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    DateTime { seconds: -secs, nanos: 0 }
                } else {
                    DateTime { seconds: -secs - 1, nanos: 1_000_000_000 - d.subsec_nanos() }
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = &'static str;
    fn try_from(t: DateTime) -> Result<Self, Self::Error> {
        const OUT: &str = "the instant is outside what SystemTime can hold";
        if t.seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(t.seconds as u64, t.nanos)).ok_or(OUT)
        } else {
            let before = Duration::new(t.seconds.unsigned_abs(), 0);
            UNIX_EPOCH
                .checked_sub(before)
                .and_then(|s| s.checked_add(Duration::from_nanos(u64::from(t.nanos))))
                .ok_or(OUT)
        }
    }
}

/// restJson1's default for body members: `epoch-seconds`, a JSON number.
impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.nanos == 0 { s.serialize_i64(self.seconds) } else { s.serialize_f64(self.as_secs_f64()) }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EpochVisitor;
        impl<'de> Visitor<'de> for EpochVisitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp as a number of seconds since the epoch")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v).map(DateTime::from_secs).map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_secs_f64(v).ok_or_else(|| E::custom("timestamp must be a finite number"))
            }
            // A number's exact text, when serde_json's `arbitrary_precision` is on in the build.
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<DateTime, A::Error> {
                let text = crate::number_text::number_text_from_map(map)?;
                parse_epoch_decimal(&text)
                    .ok()
                    .or_else(|| text.parse().ok().and_then(DateTime::from_secs_f64))
                    .ok_or_else(|| de::Error::custom(format!("`{text}` is not a timestamp in seconds")))
            }
        }
        d.deserialize_any(EpochVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn date_times_are_strict_rfc3339() {
        let parse = |t: &str| DateTime::parse(t, Format::DateTime);
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
        assert_eq!(t.fmt(Format::EpochSeconds), "1576540098.52");
        assert_eq!(t.fmt(Format::DateTime), "2019-12-16T23:48:18.52Z");
        assert_eq!(t.fmt(Format::HttpDate), "Mon, 16 Dec 2019 23:48:18.52 GMT");
        assert_eq!(DateTime::from_secs(1_576_540_098).fmt(Format::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(DateTime::from_secs_and_nanos(-1, 500_000_000).fmt(Format::EpochSeconds), "-0.5");
    }

    #[test]
    fn parses_what_services_send() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(DateTime::parse("2019-12-16T23:48:18.52Z", Format::DateTime), Ok(t));
        assert_eq!(DateTime::parse("2019-12-17T00:48:18.52+01:00", Format::DateTime), Ok(t));
        assert_eq!(DateTime::parse("Mon, 16 Dec 2019 23:48:18.52 GMT", Format::HttpDate), Ok(t));
        assert_eq!(DateTime::parse("1576540098.52", Format::EpochSeconds), Ok(t));
        assert_eq!(DateTime::from_secs_f64(1_576_540_098.52), Some(t));
        assert!(DateTime::parse("Tue, 16 Dec 2019 23:48:18 GMT", Format::HttpDate).is_err(), "wrong weekday");
        assert!(DateTime::parse("yesterday", Format::DateTime).is_err());
        assert!(DateTime::parse("1e3", Format::EpochSeconds).is_err());
        assert_eq!(DateTime::from_secs_f64(f64::NAN), None);
    }

    #[test]
    fn serde_is_epoch_seconds() {
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000.123");
        assert_eq!(serde_json::to_string(&DateTime::from_secs(5)).unwrap(), "5");
        assert_eq!(serde_json::from_str::<DateTime>("1700000000.123").unwrap(), t);
        assert!(serde_json::from_str::<DateTime>("\"soon\"").is_err());
    }

    proptest! {
        #[test]
        fn text_formats_round_trip(secs in MIN_SECONDS..=MAX_SECONDS, nanos in 0u32..1_000_000_000) {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            for format in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
                prop_assert_eq!(DateTime::parse(&t.fmt(format), format), Ok(t));
            }
        }

        #[test]
        fn json_round_trips_at_millisecond_precision(secs in -10_000_000_000i64..10_000_000_000, millis in 0u32..1000) {
            let t = DateTime::from_secs_and_nanos(secs, millis * 1_000_000);
            let json = serde_json::to_string(&t).unwrap();
            prop_assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), t);
        }

        #[test]
        fn system_time_round_trips(secs in -10_000_000_000i64..10_000_000_000, nanos in 0u32..1_000_000_000) {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            let st = SystemTime::try_from(t).unwrap();
            prop_assert_eq!(DateTime::from(st), t);
        }
    }
}
