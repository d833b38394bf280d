//! Rust names for Smithy names, fixed once by the lower pass.
//!
//! Types and variants are UpperCamelCase, fields, methods and modules snake_case. Keywords
//! become raw identifiers (`r#type`), except the few that cannot be raw (`self`, `Self`,
//! `super`, `crate`), which get a suffix. Names the generated API itself uses (`builder`,
//! `build`, `validate`, `meta`, the `Unknown` variant) are avoided the same way.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords of every edition, strict and reserved.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Field names the generated code uses for its own methods on every structure, builder or
/// fluent builder (`send`, `new`, `as_input`, `config_override` are the client's).
const RESERVED_FIELDS: &[&str] =
    &["as_input", "build", "builder", "config_override", "meta", "new", "send", "validate", "validate_into"];

/// A type name: `ARN` stays readable as `Arn`, `get_thing` becomes `GetThing`.
pub fn type_name(name: &str) -> String {
    let mut out = name.to_upper_camel_case();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push_str("Value");
    }
    out
}

/// A field, method or module name, as an identifier string (raw when it is a keyword).
pub fn field_name(name: &str) -> String {
    let mut out = snake(name);
    if RESERVED_FIELDS.contains(&out.as_str()) {
        out.push_str("_value");
    }
    escape_keyword(out)
}

/// A snake_case method or module name for an operation.
pub fn operation_name(name: &str) -> String {
    escape_keyword(snake(name))
}

fn snake(name: &str) -> String {
    let mut out = name.to_snake_case();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'v');
    }
    out
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// An enum or union variant name; `Unknown` is taken by the variant that keeps unknown values.
pub fn variant_name(name: &str) -> String {
    let mut out = type_name(name);
    if out == "Unknown" {
        out.push_str("Value");
    }
    out
}

/// A field name without a raw-identifier prefix, for use inside other identifiers
/// (`set_type`, not `set_r#type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Makes names unique in order: the first keeps its name, later ones get `_2`, `_3`, ... (or
/// `2`, `3` for type-like names). Returns the names in the same order.
pub fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut n = 2;
        while seen.contains(&candidate) {
            // `self_` (an escaped keyword) and `self` again give `self_2`, not `self__2`.
            let base = bare(&name).trim_end_matches('_');
            let sep = if base.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
            candidate = format!("{base}{sep}{n}");
            n += 1;
        }
        seen.push(candidate.clone());
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("GetFederationTokenRequest"), "GetFederationTokenRequest");
        assert_eq!(type_name("ARN"), "Arn");
        assert_eq!(type_name("self"), "SelfValue");
        assert_eq!(field_name("InstanceId"), "instance_id");
        assert_eq!(field_name("SignInUrl"), "sign_in_url");
        assert_eq!(field_name("UserARN"), "user_arn");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("builder"), "builder_value");
        assert_eq!(field_name("Send"), "send_value");
        assert_eq!(variant_name("SOFT_PHONE"), "SoftPhone");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("_1"), "T1");
        assert_eq!(operation_name("GetFederationToken"), "get_federation_token");
    }

    #[test]
    fn dedupe_is_deterministic() {
        let names = vec![
            "foo_bar".into(),
            "foo_bar".into(),
            "FooBar".into(),
            "FooBar".into(),
            "r#type".into(),
            "r#type".into(),
        ];
        assert_eq!(dedupe(names), ["foo_bar", "foo_bar_2", "FooBar", "FooBar2", "r#type", "type_2"]);
        assert_eq!(dedupe(vec![field_name("self"), field_name("Self")]), ["self_", "self_2"]);
    }
}
