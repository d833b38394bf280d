//! The typed form of a rule set, built once by [`super::parse`] and walked by [`super::eval`].
//!
//! Everything a rule set can say has a variant here, and nothing else does: names are checked
//! against the parameters and assignments in scope, functions against the known library,
//! `getAttr` paths and templates are parsed, so evaluation never meets a malformed tree.

use super::Value;

/// A parsed `smithy.rules#endpointRuleSet`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tree {
    /// The rules-engine version the rule set declares (`1.0`, `1.1`, …), when it does.
    pub version: Option<String>,
    /// Parameters in declaration order.
    pub parameters: Vec<Parameter>,
    /// The top-level rules, tried in order.
    pub rules: Vec<Rule>,
}

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

impl ParamType {
    /// The name the specification uses.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        }
    }

    /// Whether `value` has this type.
    pub fn admits(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (ParamType::String, Value::String(_))
                | (ParamType::Boolean, Value::Bool(_))
                | (ParamType::StringArray, Value::StringArray(_))
        )
    }
}

/// One declared parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Its name, e.g. `Region`.
    pub name: String,
    /// Its type.
    pub ty: ParamType,
    /// Whether resolution fails without a value (given or default).
    pub required: bool,
    /// The value used when none is given.
    pub default: Option<Value>,
    /// The built-in value it is bound to, e.g. `AWS::Region` or `SDK::Endpoint`.
    pub built_in: Option<String>,
    /// Documentation.
    pub documentation: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
}

/// One rule: conditions, then what happens when they all hold.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    /// Where the rule is in the document (`rules[2].rules[0]`), for messages.
    pub at: String,
    /// Conditions, evaluated in order; each may bind a name for the ones after it.
    pub conditions: Vec<Condition>,
    /// What the rule does.
    pub body: Body,
}

/// What a rule does when its conditions hold.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    /// Resolves to an endpoint.
    Endpoint(EndpointSpec),
    /// Fails with a message.
    Error(Expr),
    /// Tries nested rules; one of them must match.
    Tree(Vec<Rule>),
}

/// The endpoint of an `endpoint` rule, before evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EndpointSpec {
    /// The URL: a template string or an expression giving a string.
    pub url: Expr,
    /// Properties (e.g. `authSchemes`), any literal shape.
    pub properties: Vec<(String, Expr)>,
    /// Headers, each with its list of values.
    pub headers: Vec<(String, Vec<Expr>)>,
}

/// A condition: a function call, with an optional name for its result.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    /// The call.
    pub call: Call,
    /// The name its (set) result is bound to.
    pub assign: Option<String>,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    /// A string, possibly with `{name}` or `{name#path}` placeholders.
    Str(Template),
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array literal.
    Array(Vec<Expr>),
    /// A record literal.
    Object(Vec<(String, Expr)>),
    /// `{"ref": "name"}`
    Ref(String),
    /// `{"fn": "name", "argv": [...]}`
    Call(Box<Call>),
}

/// A function call.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Call {
    /// The function.
    pub function: Function,
    /// Its arguments (for `getAttr`, only the value: the path is in the variant).
    pub args: Vec<Expr>,
}

/// The functions of the standard library and of the AWS extension.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Function {
    /// `isSet(value)`
    IsSet,
    /// `not(bool)`
    Not,
    /// `booleanEquals(a, b)`
    BooleanEquals,
    /// `stringEquals(a, b)`
    StringEquals,
    /// `getAttr(value, "path")`, the path parsed.
    GetAttr(Path),
    /// `substring(input, start, stop, reverse)`
    Substring,
    /// `uriEncode(value)`
    UriEncode,
    /// `parseURL(value)`
    ParseUrl,
    /// `isValidHostLabel(value, allowSubDomains)`
    IsValidHostLabel,
    /// `coalesce(a, b, …)`
    Coalesce,
    /// `ite(condition, then, else)`
    Ite,
    /// `split(value, delimiter, limit)`
    Split,
    /// `aws.partition(region)`
    AwsPartition,
    /// `aws.parseArn(value)`
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    /// The function of a name, and how many arguments it takes (`None`: one or more).
    pub fn by_name(name: &str) -> Option<(Function, Option<usize>)> {
        Some(match name {
            "isSet" => (Function::IsSet, Some(1)),
            "not" => (Function::Not, Some(1)),
            "booleanEquals" => (Function::BooleanEquals, Some(2)),
            "stringEquals" => (Function::StringEquals, Some(2)),
            "getAttr" => (Function::GetAttr(Path(Vec::new())), Some(2)),
            "substring" => (Function::Substring, Some(4)),
            "uriEncode" => (Function::UriEncode, Some(1)),
            "parseURL" => (Function::ParseUrl, Some(1)),
            "isValidHostLabel" => (Function::IsValidHostLabel, Some(2)),
            "coalesce" => (Function::Coalesce, None),
            "ite" => (Function::Ite, Some(3)),
            "split" => (Function::Split, Some(3)),
            "aws.partition" => (Function::AwsPartition, Some(1)),
            "aws.parseArn" => (Function::AwsParseArn, Some(1)),
            "aws.isVirtualHostableS3Bucket" => (Function::AwsIsVirtualHostableS3Bucket, Some(2)),
            _ => return None,
        })
    }

    /// The name rule sets call it by.
    pub fn name(&self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::GetAttr(_) => "getAttr",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Coalesce => "coalesce",
            Function::Ite => "ite",
            Function::Split => "split",
            Function::AwsPartition => "aws.partition",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// A string with placeholders: `https://{Region}.{PartitionResult#dnsSuffix}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Template(pub Vec<Part>);

/// A piece of a template.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    /// Literal text (`{{` and `}}` already unescaped).
    Text(String),
    /// `{name}` or `{name#path}`.
    Ref {
        /// The parameter or assigned name.
        name: String,
        /// The attribute path after `#`, if any.
        path: Option<Path>,
    },
}

/// A `getAttr` path: `name`, `list[0]`, `a.b[2]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Path(pub Vec<Step>);

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A record field.
    Field(String),
    /// An array element.
    Index(usize),
}

impl Path {
    /// Parses `a.b[0]`-style text.
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut steps = Vec::new();
        for segment in text.split('.') {
            let (name, mut rest) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (segment, ""),
            };
            if name.is_empty() && rest.is_empty() {
                return Err(format!("the path `{text}` has an empty segment"));
            }
            if !name.is_empty() {
                if name.contains(']') {
                    return Err(format!("the path `{text}` has a stray `]`"));
                }
                steps.push(Step::Field(name.to_owned()));
            }
            while !rest.is_empty() {
                let Some(close) = rest.find(']') else {
                    return Err(format!("the path `{text}` has an unclosed `[`"));
                };
                let digits = &rest[1..close];
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("the path `{text}` has the index `[{digits}]`, not a non-negative integer"));
                }
                let index = digits.parse().map_err(|_| format!("the index `[{digits}]` in `{text}` is too large"))?;
                steps.push(Step::Index(index));
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("the path `{text}` has text after an index"));
                }
            }
        }
        Ok(Path(steps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_fields_and_indices() {
        assert_eq!(Path::parse("dnsSuffix").unwrap().0, [Step::Field("dnsSuffix".into())]);
        assert_eq!(Path::parse("[0]").unwrap().0, [Step::Index(0)]);
        assert_eq!(Path::parse("resourceId[2]").unwrap().0, [Step::Field("resourceId".into()), Step::Index(2)]);
        assert_eq!(
            Path::parse("a.b[1][3]").unwrap().0,
            [Step::Field("a".into()), Step::Field("b".into()), Step::Index(1), Step::Index(3)]
        );
    }

    #[test]
    fn bad_paths_are_errors() {
        for bad in ["", "a..b", "a.", "[x]", "[-1]", "a[1", "a[]", "a[1]b", "a]b", "[99999999999999999999999]"] {
            assert!(Path::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn functions_are_known_by_name() {
        for name in [
            "isSet",
            "not",
            "booleanEquals",
            "stringEquals",
            "getAttr",
            "substring",
            "uriEncode",
            "parseURL",
            "isValidHostLabel",
            "coalesce",
            "ite",
            "split",
            "aws.partition",
            "aws.parseArn",
            "aws.isVirtualHostableS3Bucket",
        ] {
            let (f, _) = Function::by_name(name).unwrap();
            assert_eq!(f.name(), name);
        }
        assert!(Function::by_name("aws.unknown").is_none());
        assert!(Function::by_name("IsSet").is_none());
    }

    #[test]
    fn parameter_types_admit_their_values() {
        assert!(ParamType::String.admits(&Value::String("x".into())));
        assert!(!ParamType::String.admits(&Value::Bool(true)));
        assert!(ParamType::Boolean.admits(&Value::Bool(false)));
        assert!(ParamType::StringArray.admits(&Value::StringArray(vec![])));
        assert!(!ParamType::StringArray.admits(&Value::String("x".into())));
    }
}
