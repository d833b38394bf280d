//! The JSON document of a rule set into its typed [`Tree`], checked once.
//!
//! Besides the shape of the document, parsing checks what would otherwise fail at every
//! resolution: unknown functions and wrong argument counts, `getAttr` paths, templates with
//! unbalanced braces, references to names that are neither parameters nor assigned by an
//! earlier condition of the same or an enclosing rule, assignments that would shadow a name,
//! and defaults of the wrong type. Every error names the place in the document
//! (`rules[1].conditions[0].argv[1]`).

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::Value;
use super::tree::{
    Body, Call, Condition, EndpointSpec, Expr, Function, ParamType, Parameter, Part, Path, Rule, Template, Tree,
};

/// How deeply a rule set may nest (JSON arrays and objects). serde_json refuses text nested
/// deeper than 128; a document built in memory is held to a similar bound here, so that the
/// recursive parse and evaluation below never exhaust the stack.
const MAX_DEPTH: usize = 192;

/// Parses a whole rule set document.
pub(crate) fn parse(doc: &Json) -> Result<Tree, String> {
    if nesting(doc) > MAX_DEPTH {
        return Err(format!("the rule set nests deeper than {MAX_DEPTH} levels"));
    }
    let top = object(doc, "the rule set")?;
    let version = match top.get("version") {
        None => None,
        Some(Json::String(v)) => Some(v.clone()),
        Some(_) => return Err("`version` must be a string".into()),
    };
    let parameters = parameters(top.get("parameters").ok_or("the rule set has no `parameters`")?)?;
    let mut scope = Scope { names: parameters.iter().map(|p| p.name.clone()).collect() };
    let rules = rules(top.get("rules").ok_or("the rule set has no `rules`")?, "rules", &mut scope)?;
    Ok(Tree { version, parameters, rules })
}

/// The deepest nesting of arrays and objects in `doc`, found without recursion.
fn nesting(doc: &Json) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(doc, 1)];
    while let Some((v, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match v {
            Json::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Json::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    deepest
}

/// The names visible at a point: parameters, then assignments of enclosing conditions.
struct Scope {
    names: Vec<String>,
}

impl Scope {
    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }
}

fn object<'a>(v: &'a Json, what: &str) -> Result<&'a Map<String, Json>, String> {
    v.as_object().ok_or_else(|| format!("{what} must be an object"))
}

fn array<'a>(v: &'a Json, what: &str) -> Result<&'a Vec<Json>, String> {
    v.as_array().ok_or_else(|| format!("{what} must be an array"))
}

fn opt_string(obj: &Map<String, Json>, key: &str, at: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{at}.{key} must be a string")),
    }
}

fn opt_bool(obj: &Map<String, Json>, key: &str, at: &str) -> Result<bool, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(false),
        Some(Json::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("{at}.{key} must be a boolean")),
    }
}

fn parameters(v: &Json) -> Result<Vec<Parameter>, String> {
    let map = object(v, "`parameters`")?;
    let mut out = Vec::with_capacity(map.len());
    for (name, p) in map {
        let at = format!("parameters.{name}");
        if name.is_empty() {
            return Err("a parameter has an empty name".into());
        }
        let obj = object(p, &at)?;
        let ty = match obj.get("type").and_then(Json::as_str).map(str::to_ascii_lowercase).as_deref() {
            Some("string") => ParamType::String,
            Some("boolean") => ParamType::Boolean,
            Some("stringarray") => ParamType::StringArray,
            Some(other) => return Err(format!("{at}.type `{other}` is not string, boolean or stringArray")),
            None => return Err(format!("{at} has no `type`")),
        };
        let default = match obj.get("default") {
            None | Some(Json::Null) => None,
            Some(d) => {
                let value = param_value(d).ok_or_else(|| format!("{at}.default is not a {}", ty.name()))?;
                if !ty.admits(&value) {
                    return Err(format!("{at}.default is not a {}", ty.name()));
                }
                Some(value)
            }
        };
        out.push(Parameter {
            name: name.clone(),
            ty,
            required: opt_bool(obj, "required", &at)?,
            default,
            built_in: opt_string(obj, "builtIn", &at)?,
            documentation: opt_string(obj, "documentation", &at)?,
            deprecated: obj.get("deprecated").is_some_and(|d| !d.is_null() && d != &Json::Bool(false)),
        });
    }
    Ok(out)
}

/// A parameter value written in JSON: a string, a boolean or an array of strings.
pub(crate) fn param_value(v: &Json) -> Option<Value> {
    match v {
        Json::String(s) => Some(Value::String(s.clone())),
        Json::Bool(b) => Some(Value::Bool(*b)),
        Json::Array(items) => {
            items.iter().map(|i| i.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>().map(Value::StringArray)
        }
        _ => None,
    }
}

fn rules(v: &Json, at: &str, scope: &mut Scope) -> Result<Vec<Rule>, String> {
    array(v, at)?.iter().enumerate().map(|(i, r)| rule(r, &format!("{at}[{i}]"), scope)).collect()
}

fn rule(v: &Json, at: &str, scope: &mut Scope) -> Result<Rule, String> {
    let obj = object(v, at)?;
    let depth = scope.names.len();
    let mut conditions = Vec::new();
    if let Some(cs) = obj.get("conditions") {
        for (i, c) in array(cs, &format!("{at}.conditions"))?.iter().enumerate() {
            conditions.push(condition(c, &format!("{at}.conditions[{i}]"), scope)?);
        }
    }
    let kind = obj.get("type").and_then(Json::as_str).ok_or_else(|| format!("{at} has no `type`"))?;
    let body = match kind {
        "endpoint" => Body::Endpoint(endpoint(
            obj.get("endpoint").ok_or_else(|| format!("{at} is an endpoint rule without `endpoint`"))?,
            &format!("{at}.endpoint"),
            scope,
        )?),
        "error" => Body::Error(expr(
            obj.get("error").ok_or_else(|| format!("{at} is an error rule without `error`"))?,
            &format!("{at}.error"),
            scope,
        )?),
        "tree" => Body::Tree(rules(
            obj.get("rules").ok_or_else(|| format!("{at} is a tree rule without `rules`"))?,
            &format!("{at}.rules"),
            scope,
        )?),
        other => return Err(format!("{at}.type `{other}` is not endpoint, error or tree")),
    };
    // Names a rule's conditions assign are visible in its body only, not in its siblings.
    scope.names.truncate(depth);
    Ok(Rule { at: at.to_owned(), conditions, body })
}

fn condition(v: &Json, at: &str, scope: &mut Scope) -> Result<Condition, String> {
    let obj = object(v, at)?;
    if !obj.contains_key("fn") {
        return Err(format!("{at} is not a function call (no `fn`)"));
    }
    let call = call(obj, at, scope)?;
    let assign = opt_string(obj, "assign", at)?;
    if let Some(name) = &assign {
        if name.is_empty() {
            return Err(format!("{at}.assign is empty"));
        }
        if scope.has(name) {
            return Err(format!("{at} assigns `{name}`, which is already defined"));
        }
        scope.names.push(name.clone());
    }
    Ok(Condition { call, assign })
}

fn call(obj: &Map<String, Json>, at: &str, scope: &Scope) -> Result<Call, String> {
    let name = obj.get("fn").and_then(Json::as_str).ok_or_else(|| format!("{at}.fn must be a string"))?;
    let (mut function, arity) =
        Function::by_name(name).ok_or_else(|| format!("{at} calls the unknown function `{name}`"))?;
    let argv = array(obj.get("argv").ok_or_else(|| format!("{at} has no `argv`"))?, &format!("{at}.argv"))?;
    match arity {
        Some(n) if argv.len() != n => {
            return Err(format!(
                "{at}: `{name}` takes {n} argument{}, not {}",
                if n == 1 { "" } else { "s" },
                argv.len()
            ));
        }
        None if argv.is_empty() => return Err(format!("{at}: `{name}` takes at least one argument")),
        _ => {}
    }
    let mut args = Vec::with_capacity(argv.len());
    for (i, a) in argv.iter().enumerate() {
        let arg_at = format!("{at}.argv[{i}]");
        if let (Function::GetAttr(path), 1) = (&mut function, i) {
            let text = a.as_str().ok_or_else(|| format!("{arg_at}: the path of `getAttr` must be a string"))?;
            *path = Path::parse(text).map_err(|e| format!("{arg_at}: {e}"))?;
            continue;
        }
        args.push(expr(a, &arg_at, scope)?);
    }
    Ok(Call { function, args })
}

fn expr(v: &Json, at: &str, scope: &Scope) -> Result<Expr, String> {
    Ok(match v {
        Json::String(s) => Expr::Str(template(s, at, scope)?),
        Json::Bool(b) => Expr::Bool(*b),
        Json::Number(n) => Expr::Int(n.as_i64().ok_or_else(|| format!("{at}: the number {n} is not an integer"))?),
        Json::Array(items) => Expr::Array(
            items.iter().enumerate().map(|(i, x)| expr(x, &format!("{at}[{i}]"), scope)).collect::<Result<_, _>>()?,
        ),
        Json::Object(obj) if obj.contains_key("fn") => Expr::Call(Box::new(call(obj, at, scope)?)),
        Json::Object(obj) if obj.contains_key("ref") => {
            let name = obj.get("ref").and_then(Json::as_str).ok_or_else(|| format!("{at}.ref must be a string"))?;
            check_name(name, at, scope)?;
            Expr::Ref(name.to_owned())
        }
        Json::Object(obj) => Expr::Object(
            obj.iter()
                .map(|(k, x)| Ok((k.clone(), expr(x, &format!("{at}.{k}"), scope)?)))
                .collect::<Result<_, String>>()?,
        ),
        Json::Null => return Err(format!("{at} is null")),
    })
}

fn check_name(name: &str, at: &str, scope: &Scope) -> Result<(), String> {
    if scope.has(name) {
        Ok(())
    } else {
        Err(format!("{at} refers to `{name}`, which is neither a parameter nor assigned by an earlier condition"))
    }
}

/// Parses a template string: text with `{name}` / `{name#path}` placeholders, `{{` and `}}`
/// standing for literal braces.
fn template(text: &str, at: &str, scope: &Scope) -> Result<Template, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                chars.next();
                literal.push('}');
            }
            '}' => return Err(format!("{at}: unmatched `}}` in the template `{text}`")),
            '{' => {
                let rest = &text[i + 1..];
                let close = rest.find('}').ok_or_else(|| format!("{at}: unclosed `{{` in the template `{text}`"))?;
                let inner = &rest[..close];
                for _ in 0..inner.chars().count() + 1 {
                    chars.next();
                }
                let (name, path) = match inner.split_once('#') {
                    Some((n, p)) => (n, Some(Path::parse(p).map_err(|e| format!("{at}: {e}"))?)),
                    None => (inner, None),
                };
                if name.is_empty() || name.contains('{') {
                    return Err(format!("{at}: the placeholder `{{{inner}}}` in `{text}` names nothing"));
                }
                check_name(name, at, scope)?;
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(Part::Ref { name: name.to_owned(), path });
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(Part::Text(literal));
    }
    Ok(Template(parts))
}

fn endpoint(v: &Json, at: &str, scope: &Scope) -> Result<EndpointSpec, String> {
    let obj = object(v, at)?;
    let url = expr(obj.get("url").ok_or_else(|| format!("{at} has no `url`"))?, &format!("{at}.url"), scope)?;
    let mut properties = Vec::new();
    if let Some(p) = obj.get("properties").filter(|p| !p.is_null()) {
        for (k, x) in object(p, &format!("{at}.properties"))? {
            properties.push((k.clone(), expr(x, &format!("{at}.properties.{k}"), scope)?));
        }
    }
    let mut headers = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(h) = obj.get("headers").filter(|h| !h.is_null()) {
        for (name, values) in object(h, &format!("{at}.headers"))? {
            let h_at = format!("{at}.headers.{name}");
            if !seen.insert(name.to_ascii_lowercase()) {
                return Err(format!("{h_at} repeats a header name"));
            }
            let values = array(values, &h_at)?.iter().enumerate().map(|(i, x)| expr(x, &format!("{h_at}[{i}]"), scope));
            headers.push((name.clone(), values.collect::<Result<_, _>>()?));
        }
    }
    Ok(EndpointSpec { url, properties, headers })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::client::endpoint::tree::Step;

    fn scope(names: &[&str]) -> Scope {
        Scope { names: names.iter().map(|n| (*n).to_owned()).collect() }
    }

    fn parse_err(doc: Json) -> String {
        parse(&doc).unwrap_err()
    }

    fn minimal(rules: Json) -> Json {
        json!({
            "version": "1.0",
            "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region"},
                "UseFIPS": {"type": "boolean", "required": true, "default": false},
            },
            "rules": rules,
        })
    }

    #[test]
    fn deep_documents_are_refused_without_recursing() {
        assert_eq!(nesting(&json!(1)), 1);
        assert_eq!(nesting(&json!({"a": [1, {"b": []}]})), 4);
        let mut deep = json!([]);
        for _ in 0..1_000 {
            deep = Json::Array(vec![deep]);
        }
        let doc = json!({"parameters": {}, "rules": [{"type": "error", "conditions": [], "error": deep}]});
        assert!(parse_err(doc).contains("nests deeper than 192"));
        let ok = minimal(json!([{"type": "error", "conditions": [], "error": "fine"}]));
        assert!(nesting(&ok) < MAX_DEPTH);
    }

    #[test]
    fn templates_split_text_and_placeholders() {
        let t = template("https://{Region}.{P#dnsSuffix}/x", "t", &scope(&["Region", "P"])).unwrap();
        assert_eq!(
            t.0,
            [
                Part::Text("https://".into()),
                Part::Ref { name: "Region".into(), path: None },
                Part::Text(".".into()),
                Part::Ref { name: "P".into(), path: Some(Path(vec![Step::Field("dnsSuffix".into())])) },
                Part::Text("/x".into()),
            ]
        );
        assert_eq!(template("", "t", &scope(&[])).unwrap().0, [Part::Text(String::new())]);
    }

    #[test]
    fn doubled_braces_are_literal() {
        let t = template("{{a}}{X}}}", "t", &scope(&["X"])).unwrap();
        assert_eq!(t.0, [Part::Text("{a}".into()), Part::Ref { name: "X".into(), path: None }, Part::Text("}".into())]);
    }

    #[test]
    fn bad_templates_are_errors() {
        let s = scope(&["X"]);
        assert!(template("{X", "t", &s).unwrap_err().contains("unclosed"));
        assert!(template("X}", "t", &s).unwrap_err().contains("unmatched"));
        assert!(template("{}", "t", &s).unwrap_err().contains("names nothing"));
        assert!(template("{Y}", "t", &s).unwrap_err().contains("refers to `Y`"));
        assert!(template("{X#}", "t", &s).unwrap_err().contains("empty segment"));
    }

    #[test]
    fn parameters_are_typed_with_defaults() {
        let tree = parse(&minimal(json!([]))).unwrap();
        assert_eq!(tree.version.as_deref(), Some("1.0"));
        let region = &tree.parameters[0];
        assert_eq!((region.name.as_str(), region.ty, region.required), ("Region", ParamType::String, false));
        assert_eq!(region.built_in.as_deref(), Some("AWS::Region"));
        assert_eq!(tree.parameters[1].default, Some(Value::Bool(false)));
        let arr = json!({"parameters": {"A": {"type": "stringArray", "default": ["x"]}}, "rules": []});
        assert_eq!(parse(&arr).unwrap().parameters[0].default, Some(Value::StringArray(vec!["x".into()])));
    }

    #[test]
    fn bad_parameters_are_errors() {
        let e = parse_err(json!({"parameters": {"A": {"type": "number"}}, "rules": []}));
        assert!(e.contains("parameters.A.type `number`"), "{e}");
        let e = parse_err(json!({"parameters": {"A": {"type": "string", "default": true}}, "rules": []}));
        assert!(e.contains("default is not a string"), "{e}");
        let e = parse_err(json!({"parameters": {"A": {}}, "rules": []}));
        assert!(e.contains("has no `type`"), "{e}");
        assert!(parse_err(json!({"rules": []})).contains("no `parameters`"));
        assert!(parse_err(json!({"parameters": {}})).contains("no `rules`"));
        assert!(parse_err(json!([])).contains("must be an object"));
    }

    #[test]
    fn rules_of_each_kind_parse() {
        let tree = parse(&minimal(json!([
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {
                    "url": "https://{Region}.example.com",
                    "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]},
                    "headers": {"x-a": ["1", "{Region}"]},
                }},
            ]},
            {"type": "error", "conditions": [], "error": "no region"},
        ])))
        .unwrap();
        assert_eq!(tree.rules.len(), 2);
        assert_eq!(tree.rules[1].at, "rules[1]");
        let Body::Tree(inner) = &tree.rules[0].body else { panic!() };
        assert_eq!(inner[0].at, "rules[0].rules[0]");
        let Body::Endpoint(e) = &inner[0].body else { panic!() };
        assert_eq!(e.headers[0].1.len(), 2);
        assert_eq!(e.properties[0].0, "authSchemes");
    }

    #[test]
    fn functions_are_checked() {
        let e =
            parse_err(minimal(json!([{"type": "error", "error": "x", "conditions": [{"fn": "nope", "argv": []}]}])));
        assert!(e.contains("rules[0].conditions[0] calls the unknown function `nope`"), "{e}");
        let e =
            parse_err(minimal(json!([{"type": "error", "error": "x", "conditions": [{"fn": "isSet", "argv": []}]}])));
        assert!(e.contains("`isSet` takes 1 argument, not 0"), "{e}");
        let e = parse_err(minimal(json!([{"type": "error", "error": "x", "conditions": [
            {"fn": "getAttr", "argv": [{"ref": "Region"}, "a..b"]}
        ]}])));
        assert!(e.contains("argv[1]: the path `a..b`"), "{e}");
        let e = parse_err(minimal(
            json!([{"type": "error", "error": "x", "conditions": [{"fn": "coalesce", "argv": []}]}]),
        ));
        assert!(e.contains("at least one"), "{e}");
        let e = parse_err(minimal(json!([{"type": "error", "error": "x", "conditions": [
            {"fn": "substring", "argv": ["a", 1.5, 2, false]}
        ]}])));
        assert!(e.contains("not an integer"), "{e}");
    }

    #[test]
    fn assignments_are_scoped_to_their_rule() {
        // `p` is visible in the rule's own later conditions and body...
        let ok = minimal(json!([
            {"type": "error", "conditions": [
                {"fn": "aws.partition", "argv": ["{Region}"], "assign": "p"},
                {"fn": "getAttr", "argv": [{"ref": "p"}, "name"]},
            ], "error": "{p#name}"},
        ]));
        parse(&ok).unwrap();
        // ...but not in a sibling.
        let e = parse_err(minimal(json!([
            {"type": "error", "conditions": [{"fn": "aws.partition", "argv": ["{Region}"], "assign": "p"}], "error": "a"},
            {"type": "error", "conditions": [], "error": "{p#name}"},
        ])));
        assert!(e.contains("rules[1].error refers to `p`"), "{e}");
        // Shadowing is refused.
        let e = parse_err(minimal(json!([
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "Region"}], "error": "a"},
        ])));
        assert!(e.contains("assigns `Region`, which is already defined"), "{e}");
    }

    #[test]
    fn malformed_rules_are_errors() {
        for (rules, needle) in [
            (json!([{"type": "endpoint"}]), "without `endpoint`"),
            (json!([{"type": "error"}]), "without `error`"),
            (json!([{"type": "tree"}]), "without `rules`"),
            (json!([{"type": "other"}]), "`other` is not"),
            (json!([{}]), "no `type`"),
            (json!([{"type": "endpoint", "endpoint": {}}]), "no `url`"),
            (json!([{"type": "endpoint", "endpoint": {"url": "x", "headers": {"a": "b"}}}]), "must be an array"),
            (json!([{"type": "endpoint", "endpoint": {"url": "x", "headers": {"a": [], "A": []}}}]), "repeats"),
            (json!([{"type": "error", "error": null}]), "is null"),
            (json!([{"type": "error", "error": "x", "conditions": [true]}]), "must be an object"),
            (json!([{"type": "error", "error": "x", "conditions": [{"ref": "Region"}]}]), "not a function call"),
            (json!({}), "must be an array"),
        ] {
            let e = parse_err(minimal(rules));
            assert!(e.contains(needle), "{e} (wanted {needle})");
        }
    }
}
