//! Constraints and defaults: `@length`, `@range`, `@pattern`, `@uniqueItems` and enum checks
//! collected per member, and `@default` values read into typed IR values.

use super::*;

impl<'m> Lowerer<'m> {
    pub(super) fn constraints(
        &mut self,
        member_id: &ShapeId,
        m: &model::Member,
        target: &Shape,
        ty: &Type,
    ) -> Constraints {
        let mut c = Constraints::default();
        if let Some(traits) = effective(m, target, &t::LENGTH) {
            let Some(length) = self.read::<t::LengthTrait>(member_id, traits) else { return c };
            if matches!(ty, Type::String { .. } | Type::Blob { .. } | Type::List { .. } | Type::Map { .. }) {
                c.length = Some((length.min, length.max));
            } else {
                self.error(member_id, "@length applies to strings, blobs, lists and maps");
            }
        }
        if let Some(traits) = effective(m, target, &t::RANGE) {
            let Some(range) = self.read::<t::RangeTrait>(member_id, traits) else { return c };
            if ty.is_number() {
                c.range = Some((range.min.map(|n| n.to_string()), range.max.map(|n| n.to_string())));
            } else {
                self.error(member_id, "@range applies to numbers");
            }
        }
        if let Some(traits) = effective(m, target, &t::PATTERN) {
            let Some(pattern) = self.read_string(member_id, traits, &t::PATTERN) else { return c };
            if matches!(ty, Type::String { .. }) {
                c.pattern = Some(pattern.to_owned());
            } else {
                self.error(member_id, "@pattern applies to strings");
            }
        }
        if effective(m, target, &t::UNIQUE_ITEMS).is_some() || matches!(target.kind, ShapeKind::Set(_)) {
            if matches!(ty, Type::List { .. }) {
                c.unique_items = true;
            } else {
                self.error(member_id, "@uniqueItems applies to lists");
            }
        }
        c
    }

    pub(super) fn default_value(&mut self, member_id: &ShapeId, ty: &Type, v: &Node) -> Option<DefaultValue> {
        let value = match (ty, v) {
            (Type::Boolean, Node::Bool(b)) => DefaultValue::Bool(*b),
            (Type::Byte | Type::Short | Type::Integer | Type::Long, Node::Number(n)) if n.as_i64().is_some() => {
                DefaultValue::Int(n.as_i64().unwrap_or_default())
            }
            (Type::Float | Type::Double, Node::Number(n)) => DefaultValue::Float(n.as_f64().unwrap_or_default()),
            (Type::String { .. }, Node::String(s)) => DefaultValue::String(s.clone()),
            (Type::Named(Named { kind: NamedKind::Enum, .. }), Node::String(s)) => DefaultValue::String(s.clone()),
            (Type::Named(Named { kind: NamedKind::IntEnum, .. }), Node::Number(n)) if n.as_i64().is_some() => {
                DefaultValue::Int(n.as_i64().unwrap_or_default())
            }
            (Type::List { .. }, Node::Array(a)) if a.is_empty() => DefaultValue::Empty,
            (Type::Map { .. }, Node::Object(o)) if o.is_empty() => DefaultValue::Empty,
            (Type::Document, v) => DefaultValue::Document(v.to_string()),
            (Type::BigInteger, Node::Number(n)) if !n.to_string().contains(['.', 'e', 'E']) => {
                DefaultValue::Number(n.to_string())
            }
            (Type::BigDecimal, Node::Number(n)) => DefaultValue::Number(n.to_string()),
            (Type::Blob { .. } | Type::ByteStream { .. }, Node::String(s)) => {
                use base64::Engine as _;
                match base64::engine::general_purpose::STANDARD.decode(s) {
                    Ok(bytes) => DefaultValue::Blob(bytes),
                    Err(e) => {
                        self.error(member_id, format!("@default of a blob must be base64: {e}"));
                        return None;
                    }
                }
            }
            (Type::Timestamp(_), v) => match timestamp_default(v) {
                Ok((seconds, nanos)) => DefaultValue::Timestamp { seconds, nanos },
                Err(e) => {
                    self.error(member_id, format!("@default {v} of a timestamp: {e}"));
                    return None;
                }
            },
            _ => {
                self.error(member_id, format!("@default value {v} does not fit the member's type"));
                return None;
            }
        };
        Some(value)
    }
}

/// A timestamp `@default`: epoch seconds (a number, its decimal text read exactly) or an RFC
/// 3339 date-time string.
pub(super) fn timestamp_default(node: &Node) -> Result<(i64, u32), String> {
    match node {
        Node::Number(n) => {
            let text = n.to_string();
            let (negative, digits) = text.strip_prefix('-').map_or((false, text.as_str()), |d| (true, d));
            let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
            if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return Err("write epoch seconds as a plain decimal number".into());
            }
            let whole: i64 = whole.parse().map_err(|_| "out of range".to_owned())?;
            let nanos: u32 = format!("{:0<9}", &frac[..frac.len().min(9)]).parse().unwrap_or(0);
            Ok(match (negative, nanos) {
                (false, _) => (whole, nanos),
                (true, 0) => (-whole, 0),
                (true, n) => (-whole - 1, 1_000_000_000 - n),
            })
        }
        Node::String(s) => parse_date_time(s).ok_or_else(|| "expected an RFC 3339 date-time in UTC".to_owned()),
        _ => Err("expected epoch seconds or an RFC 3339 date-time".into()),
    }
}

/// `YYYY-MM-DDThh:mm:ss[.fraction]Z` as seconds and nanoseconds since the epoch.
pub(super) fn parse_date_time(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && (sep(10, b'T') || sep(10, b't')) && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &s[19..];
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => r.split_at(r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len())),
        None => ("", rest),
    };
    if !matches!(zone, "Z" | "z") || !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let nanos: u32 = if frac.is_empty() { 0 } else { format!("{:0<9}", &frac[..frac.len().min(9)]).parse().ok()? };
    Some((days * 86_400 + hh * 3600 + mm * 60 + ss, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_defaults_are_exact() {
        let n = |text: &str| serde_json::from_str::<Node>(text).unwrap();
        assert_eq!(timestamp_default(&n("0")), Ok((0, 0)));
        assert_eq!(timestamp_default(&n("1515531081.123")), Ok((1515531081, 123_000_000)));
        assert_eq!(timestamp_default(&n("-1.5")), Ok((-2, 500_000_000)));
        assert_eq!(timestamp_default(&n("\"1985-04-12T23:20:50.52Z\"")), Ok((482196050, 520_000_000)));
        assert_eq!(timestamp_default(&n("\"1970-01-01T00:00:00Z\"")), Ok((0, 0)));
        assert!(timestamp_default(&n("\"1985-04-12 23:20:50Z\"")).is_err());
        assert!(timestamp_default(&n("true")).is_err());
    }
}
