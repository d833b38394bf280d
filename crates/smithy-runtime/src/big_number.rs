//! [`BigInteger`] and [`BigDecimal`]: numbers of any size and precision (`bigInteger` and
//! `bigDecimal` shapes), kept exactly as their decimal text.
//!
//! On the wire they are JSON numbers, written and read as their exact digits (never through a
//! float), and plain text in headers, query strings and labels. [`compare`] orders two decimal
//! texts exactly, for `@range` checks.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Text that is not a number of the kind expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberError {
    expected: &'static str,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected)
    }
}

impl std::error::Error for NumberError {}

/// The parts of a decimal number: sign, significant digits (no leading zeros; empty for zero)
/// and the power of ten they are scaled by, so that the value is `±0.digits × 10^exponent`.
#[derive(Debug, PartialEq, Eq)]
struct Parts {
    negative: bool,
    digits: String,
    exponent: i64,
}

/// Reads JSON's number grammar (`-12.5e3`); `integer` refuses a fraction and an exponent.
fn parse(text: &str, integer: bool) -> Option<Parts> {
    let (negative, rest) = text.strip_prefix('-').map_or((false, text), |r| (true, r));
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) if !integer => (&rest[..i], Some(&rest[i + 1..])),
        Some(_) => return None,
        None => (rest, None),
    };
    let (whole, frac) = match mantissa.split_once('.') {
        Some(_) if integer => return None,
        Some((w, f)) if !f.is_empty() => (w, f),
        Some(_) => return None,
        None => (mantissa, ""),
    };
    let valid_whole =
        !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && (whole == "0" || !whole.starts_with('0'));
    if !valid_whole || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exponent: i64 = match exp {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 15 {
                return None;
            }
            e.parse().ok()?
        }
    };
    let all = format!("{whole}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0').to_owned();
    Some(Parts {
        negative: negative && !digits.is_empty(),
        digits,
        exponent: exponent + whole.len() as i64 - leading as i64,
    })
}

/// Orders two decimal numbers exactly (`"1e400" > "99"`, `"-0.5" < "0"`); `None` when either is
/// not a number.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a, false)?, parse(b, false)?);
    let magnitude = |x: &Parts, y: &Parts| -> Ordering {
        match (x.digits.is_empty(), y.digits.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.exponent.cmp(&y.exponent).then_with(|| {
                let width = x.digits.len().max(y.digits.len());
                format!("{:0<width$}", x.digits).cmp(&format!("{:0<width$}", y.digits))
            }),
        }
    };
    Some(match (a.negative, b.negative) {
        (false, false) => magnitude(&a, &b),
        (true, true) => magnitude(&b, &a),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    })
}

macro_rules! big_number {
    ($(#[$doc:meta])* $name:ident, integer: $integer:expr, expected: $expected:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = NumberError;
            fn from_str(text: &str) -> Result<Self, NumberError> {
                parse(text, $integer).map(|_| $name(text.to_owned())).ok_or(NumberError { expected: $expected })
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name("0".to_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v.to_string())
            }
        }

        impl From<u64> for $name {
            fn from(v: u64) -> Self {
                $name(v.to_string())
            }
        }

        impl From<i128> for $name {
            fn from(v: i128) -> Self {
                $name(v.to_string())
            }
        }

        /// A JSON number with exactly these digits.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let raw = serde_json::value::RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
                raw.serialize(s)
            }
        }

        /// A JSON number, read as its digits.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw: Box<serde_json::value::RawValue> = serde::Deserialize::deserialize(d)?;
                let text = raw.get().trim();
                text.parse().map_err(|_| {
                    serde::de::Error::invalid_value(serde::de::Unexpected::Other(text), &$expected)
                })
            }
        }

        impl crate::text::TextValue for $name {
            fn to_text(&self, _: crate::datetime::Format) -> String {
                self.0.clone()
            }
            fn from_text(text: &str, _: crate::datetime::Format) -> Result<Self, crate::text::TextError> {
                text.parse().map_err(|_| crate::text::TextError::new($expected, text))
            }
        }
    };
}

big_number!(
    /// An integer of any size (`bigInteger`), as its decimal digits.
    BigInteger, integer: true, expected: "an integer"
);

big_number!(
    /// A decimal number of any size and precision (`bigDecimal`), as written.
    BigDecimal, integer: false, expected: "a decimal number"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_size_survives_json_exactly() {
        let big: BigInteger = "123000000000000000000000000000000000000001".parse().unwrap();
        let json = serde_json::to_string(&big).unwrap();
        assert_eq!(json, "123000000000000000000000000000000000000001");
        assert_eq!(serde_json::from_str::<BigInteger>(&json).unwrap(), big);
        let dec: BigDecimal = "-1.000000000000000000000000000001e-400".parse().unwrap();
        let back: BigDecimal = serde_json::from_str(&serde_json::to_string(&dec).unwrap()).unwrap();
        assert_eq!(back, dec);
        type S = std::collections::HashMap<String, BigInteger>;
        let s: S = crate::json::from_body(br#"{"n": 98765432109876543210987654321}"#).unwrap();
        assert_eq!(s["n"].as_str(), "98765432109876543210987654321");
        assert!(crate::json::from_body::<S>(br#"{"n": 1.5}"#).is_err());
        assert!(crate::json::from_body::<S>(br#"{"n": "1"}"#).is_err());
    }

    #[test]
    fn only_numbers_parse() {
        for ok in ["0", "-0", "12", "-12"] {
            assert!(ok.parse::<BigInteger>().is_ok(), "{ok}");
        }
        for bad in ["", "-", "01", "1.0", "1e3", "+1", "0x10", " 1", "NaN"] {
            assert!(bad.parse::<BigInteger>().is_err(), "{bad}");
        }
        for ok in ["0.5", "1e3", "1E-3", "-12.25e+10", "1e400"] {
            assert!(ok.parse::<BigDecimal>().is_ok(), "{ok}");
        }
        for bad in [".5", "1.", "1e", "1e+", "--1", "Infinity"] {
            assert!(bad.parse::<BigDecimal>().is_err(), "{bad}");
        }
    }

    #[test]
    fn comparison_is_exact() {
        use Ordering::*;
        for (a, b, want) in [
            ("1e400", "99", Greater),
            ("-0.5", "0", Less),
            ("0", "-0", Equal),
            ("10", "1e1", Equal),
            ("2.2", "2.19999999999999999999999", Greater),
            ("-1e400", "-1e399", Less),
            ("0.001", "1e-3", Equal),
            ("123000000000000000000000", "1.23e23", Equal),
            ("8", "8.0000000000000000000000000000001", Less),
        ] {
            assert_eq!(compare(a, b), Some(want), "{a} vs {b}");
        }
        assert_eq!(compare("x", "1"), None);
    }
}
