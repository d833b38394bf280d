//! Writes a [`Model`] as Smithy JSON AST text (`cargo xtask model to-json`).
//!
//! Prelude shapes are left out. Shapes are sorted by id and every object's keys come in one fixed
//! order, so the text is stable and diffs well. Mixed-in members, traits and properties
//! (operation `errors`, service and resource bindings) are written as the resolved model holds
//! them, beside the `mixins` list. Loading the text back changes nothing: every member is then
//! declared by the shape, with the mixin member's target and every trait it had, so it keeps its
//! place (mixin members first) and its own traits override the inherited copies of themselves;
//! shape traits likewise; inherited list entries come first again and the repeats are dropped;
//! and enum members already have their values. So load, write, load is an identity.

use serde_json::{Map, Value};

use crate::model::shape_id::ShapeId;
use crate::model::{Member, Model, ShapeKind, Traits};

/// The model as pretty-printed JSON AST (four-space indent, trailing newline).
pub fn to_json(model: &Model) -> String {
    let value = to_value(model);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Serialising a `Value` into memory cannot fail.
    let _ = serde::Serialize::serialize(&value, &mut ser);
    let mut text = String::from_utf8(out).unwrap_or_default();
    text.push('\n');
    text
}

/// The model as a JSON AST value.
pub fn to_value(model: &Model) -> Value {
    let mut root = Map::new();
    root.insert("smithy".into(), Value::from("2.0"));
    if !model.metadata.is_empty() {
        root.insert(
            "metadata".into(),
            Value::Object(model.metadata.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        );
    }
    let mut shapes = Map::new();
    for (id, shape) in &model.shapes {
        if id.is_prelude() {
            continue;
        }
        let mut obj = Map::new();
        obj.insert("type".into(), Value::from(shape.kind.type_name()));
        match &shape.kind {
            ShapeKind::Simple(_) => {}
            ShapeKind::Enum(m) | ShapeKind::IntEnum(m) | ShapeKind::Structure(m) | ShapeKind::Union(m) => {
                obj.insert("members".into(), Value::Object(m.iter().map(|m| (m.name.clone(), member(m))).collect()));
            }
            ShapeKind::List(m) | ShapeKind::Set(m) => {
                obj.insert("member".into(), member(m));
            }
            ShapeKind::Map { key, value } => {
                obj.insert("key".into(), member(key));
                obj.insert("value".into(), member(value));
            }
            ShapeKind::Service(s) => {
                if let Some(v) = &s.version {
                    obj.insert("version".into(), Value::from(v.clone()));
                }
                refs(&mut obj, "operations", &s.operations);
                refs(&mut obj, "resources", &s.resources);
                refs(&mut obj, "errors", &s.errors);
                if !s.rename.is_empty() {
                    obj.insert(
                        "rename".into(),
                        Value::Object(s.rename.iter().map(|(k, v)| (k.to_string(), Value::from(v.clone()))).collect()),
                    );
                }
            }
            ShapeKind::Operation(o) => {
                if o.input != crate::model::prelude::unit() {
                    obj.insert("input".into(), reference(&o.input));
                }
                if o.output != crate::model::prelude::unit() {
                    obj.insert("output".into(), reference(&o.output));
                }
                refs(&mut obj, "errors", &o.errors);
            }
            ShapeKind::Resource(r) => {
                let map = |m: &std::collections::BTreeMap<String, ShapeId>| {
                    Value::Object(m.iter().map(|(k, v)| (k.clone(), reference(v))).collect())
                };
                if !r.identifiers.is_empty() {
                    obj.insert("identifiers".into(), map(&r.identifiers));
                }
                if !r.properties.is_empty() {
                    obj.insert("properties".into(), map(&r.properties));
                }
                for name in ["create", "put", "read", "update", "delete", "list"] {
                    if let Some(t) = r.lifecycle.get(name) {
                        obj.insert(name.into(), reference(t));
                    }
                }
                refs(&mut obj, "operations", &r.operations);
                refs(&mut obj, "collectionOperations", &r.collection_operations);
                refs(&mut obj, "resources", &r.resources);
            }
        }
        refs(&mut obj, "mixins", &shape.mixins);
        if !shape.traits.is_empty() {
            obj.insert("traits".into(), traits(&shape.traits));
        }
        shapes.insert(id.to_string(), Value::Object(obj));
    }
    root.insert("shapes".into(), Value::Object(shapes));
    Value::Object(root)
}

fn member(m: &Member) -> Value {
    let mut obj = Map::new();
    obj.insert("target".into(), Value::from(m.target.to_string()));
    if !m.traits.is_empty() {
        obj.insert("traits".into(), traits(&m.traits));
    }
    Value::Object(obj)
}

fn traits(traits: &Traits) -> Value {
    Value::Object(traits.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn reference(id: &ShapeId) -> Value {
    let mut obj = Map::new();
    obj.insert("target".into(), Value::from(id.to_string()));
    Value::Object(obj)
}

fn refs(obj: &mut Map<String, Value>, key: &str, ids: &[ShapeId]) {
    if !ids.is_empty() {
        obj.insert(key.into(), Value::Array(ids.iter().map(reference).collect()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::Sources;

    #[test]
    fn round_trips_through_the_json_loader() {
        let text = r#"{"smithy": "2.0", "metadata": {"m": [1]}, "shapes": {
            "a#M": {"type": "structure", "members": {"m": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#M"}], "members": {"own": {"target": "a#L"}}},
            "a#L": {"type": "list", "member": {"target": "smithy.api#Integer"}},
            "a#Op": {"type": "operation", "input": {"target": "a#S"}, "mixins": [{"target": "a#OpMixin"}], "errors": [{"target": "a#Err"}]},
            "a#OpMixin": {"type": "operation", "errors": [{"target": "a#Other"}, {"target": "a#Err"}], "traits": {"smithy.api#mixin": {}}},
            "a#Err": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "a#Other": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "server"}},
            "a#LM": {"type": "list", "member": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 1}}}, "traits": {"smithy.api#mixin": {}, "smithy.api#tags": ["m"]}},
            "a#L2": {"type": "list", "mixins": [{"target": "a#LM"}]},
            "a#L2$member": {"type": "apply", "traits": {"smithy.api#pattern": "x"}},
            "a#S$m": {"type": "apply", "traits": {"smithy.api#documentation": "applied"}},
            "a#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}, "traits": {"smithy.api#mixin": {}}},
            "a#E2": {"type": "enum", "mixins": [{"target": "a#E"}], "members": {"B": {"target": "smithy.api#Unit"}}},
            "a#SvcMixin": {"type": "service", "version": "0", "errors": [{"target": "a#Err"}], "traits": {"smithy.api#mixin": {}}},
            "a#Svc": {"type": "service", "mixins": [{"target": "a#SvcMixin"}], "operations": [{"target": "a#Op"}]}
        }}"#;
        let mut sources = Sources::new();
        sources.add("a.json", text);
        let model = crate::load(&sources).unwrap();
        let written = to_json(&model);
        let mut again = Sources::new();
        again.add("b.json", written.clone());
        let reloaded = crate::load(&again).unwrap();
        assert_eq!(model, reloaded);
        assert_eq!(to_json(&reloaded), written);
        assert!(!written.contains("smithy.api#String\": {"), "prelude shapes are left out");
        let op = &model.shapes[&ShapeId::parse("a#Op").unwrap_or_else(|e| panic!("{e}"))];
        let ShapeKind::Operation(op) = &op.kind else { panic!("not an operation") };
        assert_eq!(op.errors.len(), 2, "the mixin's errors first, without repeats");
        assert!(written.contains("\"smithy.api#pattern\": \"x\""), "{written}");
    }
}
