//! Numbers as serde_json may hand them to a visitor. With its `arbitrary_precision` feature on
//! anywhere in a build (another dependency of an app may turn it on), serde_json gives a number
//! as a one-entry map holding its exact text; the JSON readers of timestamps and numbers accept
//! that form too. Used by `json` (epoch-seconds timestamps and floats).

use serde::de::{self, MapAccess};

/// The key under which serde_json hands a number to a visitor as a one-entry map, its exact
/// text the value, when its `arbitrary_precision` feature is on anywhere in the build.
pub(crate) const ARBITRARY_PRECISION_NUMBER: &str = "$serde_json::private::Number";

/// The text of a number that a visitor received as a map (see [`ARBITRARY_PRECISION_NUMBER`]):
/// whatever features an app's other dependencies turn on in serde_json, numbers still read.
pub(crate) fn number_text_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(key) if key == ARBITRARY_PRECISION_NUMBER => map.next_value::<String>(),
        _ => Err(de::Error::invalid_type(de::Unexpected::Map, &"a number")),
    }
}
