//! Load pass, JSON AST half: Smithy JSON AST text into a [`Fragment`].
//!
//! Consumes the text of one `.json` model file; produces its shapes, `apply` entries and
//! metadata with absolute ids, and a span for every shape and member, found by locating its key
//! in the text (serde_json does not report positions of values). Every structural problem is a
//! diagnostic at the offending shape; the loader never panics on any input.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{
    Apply, Fragment, Member, OperationShape, ResourceShape, ServiceShape, Shape, ShapeKind, SimpleType, Traits,
};
use crate::prelude;
use crate::shape_id::ShapeId;
use crate::source::{FileId, Span};

/// Parses one JSON AST file.
pub fn parse(file: FileId, text: &str) -> Result<Fragment, Diagnostics> {
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let d =
                Diagnostic::error(format!("invalid JSON: {e}")).with_span(Some(Span::new(file, offset, offset + 1)));
            return Err(d.into());
        }
    };
    let mut loader =
        JsonLoader { file, text, cursor: 0, diagnostics: Diagnostics::new(), fragment: Fragment::default() };
    loader.root(&root);
    if loader.diagnostics.has_errors() { Err(loader.diagnostics) } else { Ok(loader.fragment) }
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (line_start + column.saturating_sub(1)).min(text.len())
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
            self.error(None, "a JSON AST model must be an object", None);
            return;
        };
        match root.get("smithy") {
            Some(Value::String(v)) if v.starts_with('1') || v.starts_with('2') => self.fragment.version = v.clone(),
            Some(Value::String(v)) => {
                self.error(None, &format!("unsupported Smithy version `{v}`"), self.find("\"smithy\"", 0))
            }
            _ => self.error(None, "the model must have a string `smithy` version", None),
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

    /// The span of the first occurrence of `needle` at or after `from`.
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
                let member = self.named_member(&id, obj, "member", at);
                let Some(member) = member else { return };
                if ty == "list" { ShapeKind::List(member) } else { ShapeKind::Set(member) }
            }
            "map" => {
                let key_m = self.named_member(&id, obj, "key", at);
                let value_m = self.named_member(&id, obj, "value", at);
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

    fn named_member(&mut self, id: &ShapeId, obj: &Map<String, Value>, name: &str, at: usize) -> Option<Member> {
        match obj.get(name) {
            Some(v) => self.member(id, name, v, at),
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
        if !crate::shape_id::is_identifier(name) {
            self.error(Some(id), &format!("`{name}` is not a valid member name"), span);
            return None;
        }
        let Some(obj) = value.as_object() else {
            self.error(Some(&member_id), "a member must be an object", span);
            return None;
        };
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
    fn syntax_errors_point_at_the_position() {
        let text = "{\"smithy\": \"2.0\",\n \"shapes\": {,}}";
        let errs = parse(FileId(0), text).unwrap_err();
        let span = errs.0[0].span.unwrap();
        assert_eq!(&text[span.start as usize..span.end as usize], ",");
    }
}
