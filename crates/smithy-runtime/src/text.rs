//! Simple values as text, for URI labels, query parameters and headers.
//!
//! [`TextValue`] writes and reads the types a member bound outside the body can have. The
//! timestamp format is passed in because it depends on where the value goes (headers default to
//! `http-date`, labels and query parameters to `date-time`); the generator has already decided it.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::timestamp::{self, DateTime, Format};
use aws_smithy_types::Blob;

/// Bytes as standard base64 with padding, as Smithy protocols write blobs in text.
pub fn to_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// A blob from standard base64 (padding required; whitespace around it ignored).
pub fn blob_from_base64(text: &str) -> Result<Blob, base64::DecodeError> {
    STANDARD.decode(text.trim()).map(Blob::new)
}

/// Why text could not be read as a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    expected: &'static str,
    found: String,
}

impl TextError {
    /// `found` was not a valid `expected`.
    pub fn new(expected: &'static str, found: &str) -> Self {
        let mut found = found.to_owned();
        if found.len() > 64 {
            let cut = (0..=64).rev().find(|i| found.is_char_boundary(*i)).unwrap_or(0);
            found.truncate(cut);
            found.push('…');
        }
        TextError { expected, found }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {:?}", self.expected, self.found)
    }
}

impl std::error::Error for TextError {}

/// A value that can be written as and read from text.
pub trait TextValue: Sized {
    /// `true` for timestamps, whose `http-date` text contains a comma: header lists of them are
    /// split on every second comma.
    const IS_TIMESTAMP: bool = false;
    /// The text form; `format` applies to timestamps only.
    fn to_text(&self, format: Format) -> String;
    /// Reads the text form.
    fn from_text(text: &str, format: Format) -> Result<Self, TextError>;
}

impl TextValue for String {
    fn to_text(&self, _: Format) -> String {
        self.clone()
    }
    fn from_text(text: &str, _: Format) -> Result<Self, TextError> {
        Ok(text.to_owned())
    }
}

impl TextValue for bool {
    fn to_text(&self, _: Format) -> String {
        self.to_string()
    }
    fn from_text(text: &str, _: Format) -> Result<Self, TextError> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(TextError::new("`true` or `false`", text)),
        }
    }
}

macro_rules! int_text {
    ($($t:ty => $name:literal),*) => {$(
        impl TextValue for $t {
            fn to_text(&self, _: Format) -> String {
                self.to_string()
            }
            fn from_text(text: &str, _: Format) -> Result<Self, TextError> {
                text.parse().map_err(|_| TextError::new($name, text))
            }
        }
    )*};
}
int_text!(i8 => "an 8-bit integer", i16 => "a 16-bit integer", i32 => "a 32-bit integer", i64 => "a 64-bit integer");

macro_rules! float_text {
    ($($t:ty),*) => {$(
        impl TextValue for $t {
            fn to_text(&self, _: Format) -> String {
                if self.is_nan() {
                    "NaN".into()
                } else if self.is_infinite() {
                    if *self > 0.0 { "Infinity".into() } else { "-Infinity".into() }
                } else {
                    self.to_string()
                }
            }
            fn from_text(text: &str, _: Format) -> Result<Self, TextError> {
                match text {
                    "NaN" => Ok(<$t>::NAN),
                    "Infinity" => Ok(<$t>::INFINITY),
                    "-Infinity" => Ok(<$t>::NEG_INFINITY),
                    // Rust also accepts "inf" and "nan"; Smithy does not.
                    _ if text.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') => {
                        Err(TextError::new("a number", text))
                    }
                    _ => text.parse().map_err(|_| TextError::new("a number", text)),
                }
            }
        }
    )*};
}
float_text!(f32, f64);

impl TextValue for DateTime {
    const IS_TIMESTAMP: bool = true;
    fn to_text(&self, format: Format) -> String {
        timestamp::format(self, format)
    }
    fn from_text(text: &str, format: Format) -> Result<Self, TextError> {
        timestamp::parse(text, format).map_err(|_| {
            TextError::new(
                match format {
                    Format::EpochSeconds => "an epoch-seconds timestamp",
                    Format::DateTime | Format::DateTimeWithOffset => "an RFC 3339 timestamp",
                    Format::HttpDate => "an HTTP date",
                },
                text,
            )
        })
    }
}

impl TextValue for Blob {
    fn to_text(&self, _: Format) -> String {
        to_base64(self.as_ref())
    }
    fn from_text(text: &str, _: Format) -> Result<Self, TextError> {
        blob_from_base64(text).map_err(|_| TextError::new("base64", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_errors() {
        let f = Format::DateTime;
        assert_eq!(i32::from_text("42", f), Ok(42));
        assert!(i32::from_text("4.2", f).is_err());
        assert!(i8::from_text("300", f).is_err());
        assert_eq!(bool::from_text("true", f), Ok(true));
        assert!(bool::from_text("TRUE", f).is_err());
        assert!(f64::from_text("NaN", f).unwrap().is_nan());
        assert_eq!(f64::from_text("-Infinity", f), Ok(f64::NEG_INFINITY));
        assert!(f64::from_text("inf", f).is_err());
        assert_eq!(f64::from_text("1e3", f), Ok(1000.0));
        assert_eq!(1.5f64.to_text(f), "1.5");
        let t = DateTime::from_secs(0);
        assert_eq!(t.to_text(Format::HttpDate), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(DateTime::from_text("1970-01-01T00:00:00Z", f), Ok(t));
        let long = "x".repeat(100);
        assert!(i32::from_text(&long, f).unwrap_err().to_string().ends_with("…\""));
    }
}
