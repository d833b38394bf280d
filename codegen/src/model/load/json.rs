//! Load pass, JSON AST half: Smithy JSON AST text into a [`Fragment`].
//!
//! Consumes the text of one `.json` model file; produces its shapes, `apply` entries and
//! metadata with absolute ids, and a span for every shape and member, found by locating its key
//! in the text (serde_json does not report positions of values). Every structural problem is a
//! diagnostic at the offending shape; the loader never panics on any input.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::prelude;
use crate::model::shape_id::ShapeId;
use crate::model::source::{FileId, Span};
use crate::model::{
    Apply, Fragment, Member, OperationShape, ResourceShape, ServiceShape, Shape, ShapeKind, SimpleType, Traits,
};

/// Parses one JSON AST file.
pub fn parse(file: FileId, text: &str) -> Result<Fragment, Diagnostics> {
    parse_with_warnings(file, text).map(|(fragment, _)| fragment)
}

/// Parses one JSON AST file, keeping its warnings (properties the JSON AST does not define, as
/// Smithy warns of them): the fragment and the warnings, or every diagnostic when any is an
/// error.
pub fn parse_with_warnings(file: FileId, text: &str) -> Result<(Fragment, Diagnostics), Diagnostics> {
    let mut root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Err(syntax_error(file, text, &e).into()),
    };
    crate::model::canonical_numbers(&mut root);
    let mut loader =
        JsonLoader { file, text, cursor: 0, diagnostics: Diagnostics::new(), fragment: Fragment::default() };
    loader.root(&root);
    loader.diagnostics.into_result(loader.fragment)
}

/// The properties each kind of JSON AST object may have; others are warned of.
const TOP_LEVEL_PROPERTIES: &[&str] = &["smithy", "metadata", "shapes"];
const APPLY_PROPERTIES: &[&str] = &["type", "traits"];
const SIMPLE_PROPERTIES: &[&str] = &["type", "traits", "mixins"];
const AGGREGATE_PROPERTIES: &[&str] = &["type", "members", "traits", "mixins"];
const LIST_PROPERTIES: &[&str] = &["type", "member", "traits", "mixins"];
const MAP_PROPERTIES: &[&str] = &["type", "key", "value", "traits", "mixins"];
const OPERATION_PROPERTIES: &[&str] = &["type", "input", "output", "errors", "traits", "mixins"];
const SERVICE_PROPERTIES: &[&str] =
    &["type", "version", "operations", "resources", "errors", "rename", "traits", "mixins"];
const RESOURCE_PROPERTIES: &[&str] = &[
    "type",
    "identifiers",
    "properties",
    "create",
    "put",
    "read",
    "update",
    "delete",
    "list",
    "operations",
    "collectionOperations",
    "resources",
    "traits",
    "mixins",
];
const MEMBER_PROPERTIES: &[&str] = &["target", "traits"];

/// The escape (`\\x`, or `\\u` and up to four characters) whose bytes include `at`, if any, on
/// the line starting at `line_start`. A JSON string never spans lines, so the line is read
/// from outside any string.
fn escape_around(text: &str, line_start: usize, at: usize) -> Option<(usize, usize)> {
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let mut chars = line.char_indices().map(|(i, c)| (line_start + i, c)).peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        if i > at {
            return None;
        }
        match (in_string, c) {
            (false, '"') => in_string = true,
            (true, '"') => in_string = false,
            (true, '\\') => {
                let mut end = i + 1;
                let mut length = 1;
                while let Some(&(j, next)) = chars.peek() {
                    // `\\u` takes four more characters, any other escape one.
                    if length > 1 && !(text[i..].starts_with("\\u") && length < 6) {
                        break;
                    }
                    end = j + next.len_utf8();
                    length += 1;
                    chars.next();
                }
                if (i..end).contains(&at) {
                    return Some((i, end));
                }
            }
            _ => {}
        }
    }
    None
}

/// What JSON allows after a `\\` in a string (RFC 8259), for the help of escape errors.
const JSON_ESCAPES: &str = "JSON strings allow the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX \
     (a surrogate written as two: \\uD83D\\uDE00), and no control characters unescaped";

/// A JSON syntax error, located at the character serde_json stopped at: for a bad escape, the
/// character after the `\\` or the first bad hex digit; for a bad character, itself.
fn syntax_error(file: FileId, text: &str, e: &serde_json::Error) -> Diagnostic {
    // serde_json counts lines by `\n` and columns in bytes: the column is how many bytes of the
    // line it has read, so the last byte it read (the offending one) is just before that.
    let line_start: usize = text.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
    let mut at = (line_start + e.column()).saturating_sub(1).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    // serde_json reads the four digits of `\\u` before checking them: point at the whole escape.
    if let Some((from, to)) = escape_around(text, line_start, at) {
        (at, end) = (from, to.max(end));
    }
    let span = Some(Span::new(file, at, end));
    // The message without serde_json's ` at line L column C`: the span says where.
    let full = e.to_string();
    let what = full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full);
    let message = match what {
        // serde_json says "leading" for a trailing surrogate too; say which it is.
        "lone leading surrogate in hex escape" => match text.get(at..end) {
            Some(escape)
                if escape.starts_with("\\u") && u16::from_str_radix(&escape[2..], 16).is_ok_and(|u| u >= 0xDC00) =>
            {
                format!("invalid JSON: `{escape}` is a low surrogate without a high surrogate escape before it")
            }
            _ => {
                "invalid JSON: a high surrogate escape must be followed by a `\\uXXXX` low surrogate escape".to_owned()
            }
        },
        "unexpected end of hex escape" => {
            "invalid JSON: a high surrogate escape must be followed by a `\\uXXXX` low surrogate escape".to_owned()
        }
        other => format!("invalid JSON: {other}"),
    };
    let d = Diagnostic::error(message).with_span(span);
    let about_strings = what.contains("escape") || what.contains("control character");
    if about_strings { d.with_help(JSON_ESCAPES) } else { d }
}

struct JsonLoader<'a> {
    file: FileId,
    text: &'a str,
    /// Where the previous shape's key was found: shapes come in file order, so the next one is
    /// searched for from here, which keeps locating keys linear in the file size.
    cursor: usize,
    diagnostics: Diagnostics,
    fragment: Fragment,
}

impl JsonLoader<'_> {
    fn root(&mut self, root: &Value) {
        let Some(root) = root.as_object() else {
            let span = self.value_start();
            self.error(None, "a JSON AST model must be an object", span);
            return;
        };
        self.warn_unknown_properties(None, "model", root, TOP_LEVEL_PROPERTIES, 0);
        match root.get("smithy") {
            Some(Value::String(v)) if v.starts_with('1') || v.starts_with('2') => self.fragment.version = v.clone(),
            Some(Value::String(v)) => {
                self.error(None, &format!("unsupported Smithy version `{v}`"), self.find("\"smithy\"", 0))
            }
            _ => {
                let span = self.find("\"smithy\"", 0).or_else(|| self.value_start());
                self.error(None, "the model must have a string `smithy` version", span);
            }
        }
        if let Some(meta) = root.get("metadata") {
            match meta.as_object() {
                Some(meta) => {
                    for (k, v) in meta {
                        let span = self.find(&format!("\"{k}\""), 0);
                        self.fragment.metadata.push((k.clone(), v.clone(), span));
                    }
                }
                None => self.error(None, "`metadata` must be an object", self.find("\"metadata\"", 0)),
            }
        }
        match root.get("shapes") {
            None => {}
            Some(Value::Object(shapes)) => {
                for (key, value) in shapes {
                    self.shape(key, value);
                }
            }
            Some(_) => self.error(None, "`shapes` must be an object", self.find("\"shapes\"", 0)),
        }
    }

    fn error(&mut self, shape: Option<&ShapeId>, message: &str, span: Option<Span>) {
        let mut d = Diagnostic::error(message).with_span(span);
        if let Some(shape) = shape {
            d = d.with_shape(shape);
        }
        self.diagnostics.push(d);
    }

    /// Warns of each property of `obj` that is not one of `allowed`, as Smithy does: a typo
    /// such as `memebers` would otherwise silently drop what it holds.
    fn warn_unknown_properties(
        &mut self,
        shape: Option<&ShapeId>,
        what: &str,
        obj: &Map<String, Value>,
        allowed: &[&str],
        at: usize,
    ) {
        for key in obj.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let expected = allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let mut d = Diagnostic::warning(format!("unknown property `{key}` is ignored"))
                .with_span(self.find(&format!("\"{key}\""), at))
                .with_help(format!("a JSON AST {what} has the properties {expected}"));
            if let Some(shape) = shape {
                d = d.with_shape(shape);
            }
            self.diagnostics.push(d);
        }
    }

    /// The span of the first occurrence of `needle` at or after `from`.
    /// The first character of the file's value (after leading whitespace), or the end of an
    /// empty file: where errors about the whole model are reported.
    fn value_start(&self) -> Option<Span> {
        let start = self.text.len() - self.text.trim_start().len();
        let end = self.text[start..].chars().next().map_or(start, |c| start + c.len_utf8());
        Some(Span::new(self.file, start, end))
    }

    fn find(&self, needle: &str, from: usize) -> Option<Span> {
        let start = self.text.get(from..)?.find(needle)? + from;
        Some(Span::new(self.file, start, start + needle.len()))
    }

    fn shape(&mut self, key: &str, value: &Value) {
        let needle = format!("\"{key}\"");
        let key_span = self.find(&needle, self.cursor).or_else(|| self.find(&needle, 0));
        if let Some(span) = key_span {
            self.cursor = span.end as usize;
        }
        let id = match ShapeId::parse(key) {
            Ok(id) => id,
            Err(e) => return self.error(None, &e.to_string(), key_span),
        };
        let Some(obj) = value.as_object() else {
            return self.error(Some(&id), "a shape must be an object", key_span);
        };
        let at = key_span.map_or(0, |s| s.start as usize);
        let Some(ty) = obj.get("type").and_then(Value::as_str) else {
            return self.error(Some(&id), "a shape needs a string `type`", key_span);
        };
        let traits = self.traits(&id, obj.get("traits"), key_span);
        let allowed = match ty {
            "apply" => APPLY_PROPERTIES,
            "enum" | "intEnum" | "structure" | "union" => AGGREGATE_PROPERTIES,
            "list" | "set" => LIST_PROPERTIES,
            "map" => MAP_PROPERTIES,
            "operation" => OPERATION_PROPERTIES,
            "service" => SERVICE_PROPERTIES,
            "resource" => RESOURCE_PROPERTIES,
            _ => SIMPLE_PROPERTIES,
        };
        self.warn_unknown_properties(Some(&id), &format!("`{ty}` shape"), obj, allowed, at);
        if ty == "apply" {
            self.fragment.applies.push(Apply { target: id, traits, span: key_span });
            return;
        }
        if id.member().is_some() {
            return self.error(
                None,
                &format!("shape key `{key}` must not name a member (only `apply` entries may)"),
                key_span,
            );
        }
        let mixins = self.id_list(&id, obj, "mixins", key_span);
        let kind = match ty {
            "enum" | "intEnum" | "structure" | "union" => {
                let members = self.members(&id, obj.get("members"), at);
                match ty {
                    "enum" => ShapeKind::Enum(members),
                    "intEnum" => ShapeKind::IntEnum(members),
                    "structure" => ShapeKind::Structure(members),
                    _ => ShapeKind::Union(members),
                }
            }
            "list" | "set" => {
                let member = self.named_member(&id, obj, "member", at, !mixins.is_empty());
                let Some(member) = member else { return };
                if ty == "list" { ShapeKind::List(member) } else { ShapeKind::Set(member) }
            }
            "map" => {
                let key_m = self.named_member(&id, obj, "key", at, !mixins.is_empty());
                let value_m = self.named_member(&id, obj, "value", at, !mixins.is_empty());
                let (Some(key), Some(value)) = (key_m, value_m) else { return };
                ShapeKind::Map { key, value }
            }
            "service" => ShapeKind::Service(ServiceShape {
                version: obj.get("version").and_then(Value::as_str).map(str::to_owned),
                operations: self.id_list(&id, obj, "operations", key_span),
                resources: self.id_list(&id, obj, "resources", key_span),
                errors: self.id_list(&id, obj, "errors", key_span),
                rename: self.rename(&id, obj.get("rename"), key_span),
            }),
            "operation" => ShapeKind::Operation(OperationShape {
                input: self.reference(&id, obj.get("input"), key_span).unwrap_or_else(prelude::unit),
                output: self.reference(&id, obj.get("output"), key_span).unwrap_or_else(prelude::unit),
                errors: self.id_list(&id, obj, "errors", key_span),
            }),
            "resource" => {
                let mut resource = ResourceShape {
                    identifiers: self.id_map(&id, obj.get("identifiers"), key_span),
                    properties: self.id_map(&id, obj.get("properties"), key_span),
                    operations: self.id_list(&id, obj, "operations", key_span),
                    collection_operations: self.id_list(&id, obj, "collectionOperations", key_span),
                    resources: self.id_list(&id, obj, "resources", key_span),
                    ..ResourceShape::default()
                };
                for name in ["create", "put", "read", "update", "delete", "list"] {
                    if let Some(target) = self.reference(&id, obj.get(name), key_span) {
                        resource.lifecycle.insert(name.to_owned(), target);
                    }
                }
                ShapeKind::Resource(resource)
            }
            other => match SimpleType::from_name(other) {
                Some(simple) => ShapeKind::Simple(simple),
                None => return self.error(Some(&id), &format!("unknown shape type `{other}`"), key_span),
            },
        };
        if let Some(span) = key_span {
            self.fragment.spans.insert(id.clone(), span);
        }
        self.fragment.shapes.push(Shape { id, kind, traits, mixins });
    }

    fn traits(&mut self, id: &ShapeId, value: Option<&Value>, span: Option<Span>) -> Traits {
        let mut traits = Traits::new();
        match value {
            None => {}
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    match ShapeId::parse(k) {
                        Ok(trait_id) => {
                            traits.insert(trait_id, v.clone());
                        }
                        Err(e) => self.error(Some(id), &format!("trait key: {e}"), span),
                    }
                }
            }
            Some(_) => self.error(Some(id), "`traits` must be an object", span),
        }
        traits
    }

    fn reference(&mut self, id: &ShapeId, value: Option<&Value>, span: Option<Span>) -> Option<ShapeId> {
        let value = value?;
        let target = value.as_object().and_then(|o| o.get("target")).and_then(Value::as_str);
        match target.map(ShapeId::parse) {
            Some(Ok(t)) => Some(t),
            Some(Err(e)) => {
                self.error(Some(id), &e.to_string(), span);
                None
            }
            None => {
                self.error(Some(id), "a shape reference must be an object with a string `target`", span);
                None
            }
        }
    }

    fn id_list(&mut self, id: &ShapeId, obj: &Map<String, Value>, key: &str, span: Option<Span>) -> Vec<ShapeId> {
        match obj.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().filter_map(|item| self.reference(id, Some(item), span)).collect(),
            Some(_) => {
                self.error(Some(id), &format!("`{key}` must be an array of shape references"), span);
                Vec::new()
            }
        }
    }

    fn id_map(&mut self, id: &ShapeId, value: Option<&Value>, span: Option<Span>) -> BTreeMap<String, ShapeId> {
        let mut out = BTreeMap::new();
        match value {
            None => {}
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    if let Some(t) = self.reference(id, Some(v), span) {
                        out.insert(k.clone(), t);
                    }
                }
            }
            Some(_) => self.error(Some(id), "expected an object of shape references", span),
        }
        out
    }

    fn rename(&mut self, id: &ShapeId, value: Option<&Value>, span: Option<Span>) -> BTreeMap<ShapeId, String> {
        let mut out = BTreeMap::new();
        match value {
            None => {}
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    match (ShapeId::parse(k), v.as_str()) {
                        (Ok(from), Some(to)) => {
                            out.insert(from, to.to_owned());
                        }
                        _ => self.error(Some(id), &format!("invalid `rename` entry `{k}`"), span),
                    }
                }
            }
            Some(_) => self.error(Some(id), "`rename` must be an object", span),
        }
        out
    }

    fn members(&mut self, id: &ShapeId, value: Option<&Value>, at: usize) -> Vec<Member> {
        let mut out = Vec::new();
        match value {
            None => {}
            Some(Value::Object(map)) => {
                for (name, v) in map {
                    if let Some(m) = self.member(id, name, v, at) {
                        out.push(m);
                    }
                }
            }
            Some(_) => self.error(Some(id), "`members` must be an object", self.find("\"members\"", at)),
        }
        out
    }

    /// A list's `member` or a map's `key` or `value`. A shape with mixins may leave it out: it
    /// then inherits it, and gets a placeholder the resolve pass fills in.
    fn named_member(
        &mut self,
        id: &ShapeId,
        obj: &Map<String, Value>,
        name: &str,
        at: usize,
        has_mixins: bool,
    ) -> Option<Member> {
        match obj.get(name) {
            Some(v) => self.member(id, name, v, at),
            None if has_mixins => {
                self.fragment.inherited.insert(id.with_member(name));
                Some(Member { name: name.to_owned(), target: Fragment::placeholder_target(), traits: Traits::new() })
            }
            None => {
                let span = self.find("\"type\"", at);
                self.error(
                    Some(id),
                    &format!(
                        "a {} shape needs a `{name}` member",
                        obj.get("type").and_then(Value::as_str).unwrap_or("")
                    ),
                    span,
                );
                None
            }
        }
    }

    fn member(&mut self, id: &ShapeId, name: &str, value: &Value, at: usize) -> Option<Member> {
        let member_id = id.with_member(name);
        let span = self.find(&format!("\"{name}\""), at);
        if !crate::model::shape_id::is_identifier(name) {
            self.error(Some(id), &format!("`{name}` is not a valid member name"), span);
            return None;
        }
        let Some(obj) = value.as_object() else {
            self.error(Some(&member_id), "a member must be an object", span);
            return None;
        };
        let from = span.map_or(at, |s| s.start as usize);
        self.warn_unknown_properties(Some(&member_id), "member", obj, MEMBER_PROPERTIES, from);
        let target = match obj.get("target").and_then(Value::as_str).map(ShapeId::parse) {
            Some(Ok(t)) => t,
            Some(Err(e)) => {
                self.error(Some(&member_id), &e.to_string(), span);
                return None;
            }
            None => {
                self.error(Some(&member_id), "a member needs a string `target`", span);
                return None;
            }
        };
        let traits = self.traits(&member_id, obj.get("traits"), span);
        if let Some(span) = span {
            self.fragment.spans.insert(member_id, span);
        }
        Some(Member { name: name.to_owned(), target, traits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_shapes_in_member_order_with_spans() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#S": {"type": "structure", "members": {"Z": {"target": "smithy.api#String"}, "A": {"target": "a#L", "traits": {"smithy.api#required": {}}}}},
            "a#L": {"type": "list", "member": {"target": "smithy.api#Integer"}}
        }}"#;
        let f = parse(FileId(0), text).unwrap();
        assert_eq!(f.shapes.len(), 2);
        let names: Vec<_> = f.shapes[0].kind.members().iter().map(|m| m.name.clone()).collect();
        assert_eq!(names, ["Z", "A"]);
        let span = f.spans[&ShapeId::parse("a#S$A").unwrap()];
        assert_eq!(&text[span.start as usize..span.end as usize], "\"A\"");
    }

    #[test]
    fn reports_every_problem_with_its_shape() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#X": {"type": "nonsense"},
            "a#Y": {"type": "list"},
            "bad": {"type": "string"}
        }}"#;
        let errs = parse(FileId(0), text).unwrap_err();
        let messages: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("a#X") && messages[0].contains("unknown shape type `nonsense`"));
        assert!(messages[1].contains("a#Y") && messages[1].contains("`member`"));
        assert!(messages[2].contains("`bad` is not a valid shape id"));
    }

    #[test]
    fn lists_and_maps_with_mixins_may_leave_their_members_to_them() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#L": {"type": "list", "mixins": [{"target": "a#Base"}]},
            "a#M": {"type": "map", "mixins": [{"target": "a#BaseMap"}], "value": {"target": "smithy.api#Integer"}},
            "a#N": {"type": "map", "key": {"target": "smithy.api#String"}}
        }}"#;
        let errs = parse(FileId(0), text).unwrap_err();
        assert_eq!(errs.0.len(), 1, "{errs}");
        assert!(errs.0[0].to_string().contains("a#N: a map shape needs a `value` member"), "{errs}");

        let f = parse(
            FileId(0),
            &text.replace(
                ",\n            \"a#N\": {\"type\": \"map\", \"key\": {\"target\": \"smithy.api#String\"}}",
                "",
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let inherited: Vec<String> = f.inherited.iter().map(ToString::to_string).collect();
        assert_eq!(inherited, ["a#L$member", "a#M$key"]);
        assert_eq!(f.shapes[0].kind.members()[0].target, Fragment::placeholder_target());
        assert_eq!(f.shapes[1].kind.members()[1].target.to_string(), "smithy.api#Integer");
    }

    #[test]
    fn unknown_properties_are_warnings_with_their_place() {
        let text = r#"{"smithy": "2.0", "extra": 1, "shapes": {
            "a#S": {"type": "structure", "memebers": {}, "members": {"x": {"target": "smithy.api#String", "trait": {}}}},
            "a#S$x": {"type": "apply", "traits": {}, "target": "a#S"}
        }}"#;
        let (fragment, warnings) = parse_with_warnings(FileId(0), text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fragment.shapes.len(), 1);
        let found: Vec<(Option<String>, &str)> = warnings
            .iter()
            .map(|d| {
                assert_eq!(d.severity, crate::model::diagnostic::Severity::Warning);
                let span = d.span.unwrap_or_else(|| panic!("no span: {d}"));
                (d.shape.as_ref().map(ToString::to_string), &text[span.start as usize..span.end as usize])
            })
            .collect();
        assert_eq!(
            found,
            [
                (None, "\"extra\""),
                (Some("a#S".into()), "\"memebers\""),
                (Some("a#S$x".into()), "\"trait\""),
                (Some("a#S$x".into()), "\"target\""),
            ]
        );
        assert!(parse(FileId(0), text).is_ok(), "warnings do not fail the load");
    }

    /// A metadata string with `content` between its quotes, on the file's second line.
    fn with_string(content: &str) -> String {
        format!("{{\"smithy\": \"2.0\",\n \"metadata\": {{\"k\": \"ab{content}\"}}}}")
    }

    /// Every escape of RFC 8259 decodes, as Smithy's JSON AST loader reads them.
    #[test]
    fn every_json_escape_decodes() {
        let cases: &[(&str, &str)] = &[
            (r#"\""#, "\""),
            (r"\\", "\\"),
            (r"\/", "/"),
            (r"\b", "\u{8}"),
            (r"\f", "\u{c}"),
            (r"\n", "\n"),
            (r"\r", "\r"),
            (r"\t", "\t"),
            (r"\u00e9", "é"),
            (r"\u00E9", "é"),
            (r"\u0000", "\u{0}"),
            (r"\uD83D\uDE00", "😀"),
            ("é😀\u{7f}'", "é😀\u{7f}'"),
        ];
        for (content, expected) in cases {
            let text = with_string(content);
            let fragment = parse(FileId(0), &text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(fragment.metadata[0].1, Value::from(format!("ab{expected}")), "{text:?}");
        }
    }

    /// Every other escape, a lone surrogate, and an unescaped control character is an error
    /// located on the offending escape or character (line 2 here), with what JSON allows as
    /// help.
    #[test]
    fn invalid_json_escapes_are_located_errors() {
        // (content, message, located text, column of the located text on line 2)
        let cases: &[(&str, &str, &str, usize)] = &[
            (r"\x", "invalid escape", r"\x", 23),
            (r"\'", "invalid escape", r"\'", 23),
            (r"\ ", "invalid escape", r"\ ", 23),
            (r"\U0041", "invalid escape", r"\U", 23),
            ("\\é", "invalid escape", "\\é", 23),
            ("é\\q", "invalid escape", r"\q", 24),
            (r"\uZZZZ", "invalid escape", r"\uZZZZ", 23),
            (r"\u00g0", "invalid escape", r"\u00g0", 23),
            (r"\uD83Dx", r"high surrogate escape must be followed by a `\uXXXX` low surrogate", "x", 29),
            (r"\uD83D\u0041", "high surrogate escape must be followed", r"\u0041", 29),
            (r"\uDE00", r"`\uDE00` is a low surrogate without a high surrogate", r"\uDE00", 23),
            ("\u{1}", "control character", "\u{1}", 23),
            ("\t", "control character", "\t", 23),
        ];
        for (content, message, located, column) in cases {
            let text = with_string(content);
            let errors = parse(FileId(0), &text).err().unwrap_or_else(|| panic!("{text:?} loads"));
            let d = &errors.0[0];
            let span = d.span.unwrap_or_else(|| panic!("{text:?}: not located"));
            let source = crate::model::source::SourceFile { name: "m.json".into(), text: text.clone() };
            assert!(d.message.starts_with("invalid JSON: ") && d.message.contains(message), "{text:?}: {d}");
            assert_eq!(text.get(span.start as usize..span.end as usize), Some(*located), "{text:?}: {d}");
            assert_eq!(source.line_col(span.start), (2, *column), "{text:?}: {d}");
            assert!(d.help.as_deref().is_some_and(|h| h.contains(r"\uXXXX")), "{text:?}: {d}");
        }
        // An escaped line break is not JSON: located on the line break after the `\`.
        let text = with_string("\\\nc");
        let d = &parse(FileId(0), &text).unwrap_err().0[0];
        let span = d.span.unwrap_or_else(|| panic!("not located"));
        assert_eq!(text.get(span.start as usize..span.end as usize), Some("\n"), "{d}");
        assert!(d.message.contains("invalid escape"), "{d}");
    }

    /// Errors about the whole model are located too: at the `smithy` key, or at the start of
    /// the value.
    #[test]
    fn model_errors_are_located() {
        for (text, located) in [
            ("\n  [1, 2]", "["),
            ("{\"shapes\": {}}", "{"),
            ("{\"smithy\": 2}", "\"smithy\""),
            ("{\"smithy\": \"9.0\"}", "\"smithy\""),
        ] {
            let errors = parse(FileId(0), text).err().unwrap_or_else(|| panic!("{text:?} loads"));
            let span = errors.0[0].span.unwrap_or_else(|| panic!("{text:?}: not located"));
            assert_eq!(&text[span.start as usize..span.end as usize], located, "{text:?}");
        }
    }

    #[test]
    fn syntax_errors_point_at_the_position() {
        let text = "{\"smithy\": \"2.0\",\n \"shapes\": {,}}";
        let errs = parse(FileId(0), text).unwrap_err();
        let span = errs.0[0].span.unwrap();
        assert_eq!(&text[span.start as usize..span.end as usize], ",");
    }
}
