//! The rules for [`BigInteger`] and [`BigDecimal`] (aws-smithy-types' types, the SDK's):
//! numbers of any size and precision (`bigInteger` and `bigDecimal` shapes), kept exactly as
//! their decimal text.
//!
//! On the wire they are JSON numbers, written and read as their exact digits (never through a
//! float), and plain text in headers, query strings and labels; either way the text must be
//! JSON's number grammar ([`is_integer`], [`is_decimal`]), stricter than the types' own
//! `FromStr`. [`compare`] orders two decimal texts exactly, for `@range` checks.

use std::cmp::Ordering;

pub use aws_smithy_types::{BigDecimal, BigInteger};

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

/// Whether `text` is an integer in JSON's grammar (`-12`; no `+`, leading zero, fraction or
/// exponent).
pub fn is_integer(text: &str) -> bool {
    parse(text, true).is_some()
}

/// Whether `text` is a number in JSON's grammar (`-12.5e3`).
pub fn is_decimal(text: &str) -> bool {
    parse(text, false).is_some()
}

/// Reads a `bigInteger` from text in JSON's number grammar.
pub fn big_integer(text: &str) -> Option<BigInteger> {
    if is_integer(text) { text.parse().ok() } else { None }
}

/// Reads a `bigDecimal` from text in JSON's number grammar.
pub fn big_decimal(text: &str) -> Option<BigDecimal> {
    if is_decimal(text) { text.parse().ok() } else { None }
}

macro_rules! text_value {
    ($t:ty, $read:ident, $expected:literal) => {
        impl crate::text::TextValue for $t {
            fn to_text(&self, _: crate::timestamp::Format) -> String {
                self.as_ref().to_owned()
            }
            fn from_text(text: &str, _: crate::timestamp::Format) -> Result<Self, crate::text::TextError> {
                $read(text).ok_or_else(|| crate::text::TextError::new($expected, text))
            }
        }
    };
}
text_value!(BigInteger, big_integer, "an integer");
text_value!(BigDecimal, big_decimal, "a decimal number");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_size_survives_json_exactly() {
        let big: BigInteger = "123000000000000000000000000000000000000001".parse().unwrap();
        let json = crate::json::to_body(&big).unwrap();
        assert_eq!(json, b"123000000000000000000000000000000000000001");
        assert_eq!(crate::json::from_body::<BigInteger>(&json).unwrap(), big);
        let dec: BigDecimal = "-1.000000000000000000000000000001e-400".parse().unwrap();
        let back: BigDecimal = crate::json::from_body(&crate::json::to_body(&dec).unwrap()).unwrap();
        assert_eq!(back, dec);
        type S = std::collections::HashMap<String, BigInteger>;
        let s: S = crate::json::from_body(br#"{"n": 98765432109876543210987654321}"#).unwrap();
        assert_eq!(s["n"].as_ref(), "98765432109876543210987654321");
        assert!(crate::json::from_body::<S>(br#"{"n": 1.5}"#).is_err());
        assert!(crate::json::from_body::<S>(br#"{"n": "1"}"#).is_err());
    }

    #[test]
    fn only_numbers_parse() {
        for ok in ["0", "-0", "12", "-12"] {
            assert!(big_integer(ok).is_some(), "{ok}");
        }
        for bad in ["", "-", "01", "1.0", "1e3", "+1", "0x10", " 1", "NaN"] {
            assert!(big_integer(bad).is_none(), "{bad}");
        }
        for ok in ["0.5", "1e3", "1E-3", "-12.25e+10", "1e400"] {
            assert!(big_decimal(ok).is_some(), "{ok}");
        }
        for bad in [".5", "1.", "1e", "1e+", "--1", "Infinity"] {
            assert!(big_decimal(bad).is_none(), "{bad}");
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
