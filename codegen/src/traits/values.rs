//! Typed values of the traits whose values the generator reads.
//!
//! Each type here reads one trait's value ([`Node`]) into Rust data and checks it against the
//! trait's definition in the Smithy prelude (or the AWS trait files): a value of the wrong shape
//! is an error message naming the trait, never a silent default. The passes read traits through
//! [`read`] (or `Lowerer::read` in the lower pass, which reports the error against the shape)
//! and never pick values apart by JSON key themselves.
//!
//! Traits that are only present or absent (`@required`, `@sensitive`, …) need no reader: the
//! passes ask `traits.contains_key(&t::REQUIRED)`. Traits whose value is one string are read by
//! [`read_string`] with the trait's id.

use serde_json::Number;

use crate::ir::{HttpMethod, TimestampFormat};
use crate::model::shape_id::ShapeId;
use crate::model::{Node, Traits};

use super::ids::*;

/// A trait whose value the generator reads into a Rust type.
pub trait TraitValue: Sized {
    /// The trait's id.
    const ID: ShapeId;
    /// Reads the value. `Err` is a whole sentence that names the trait (`@http …`).
    fn from_node(node: &Node) -> Result<Self, String>;
}

/// The value of trait `T` in `traits`: `None` when the trait is absent, else the value or what
/// is wrong with it.
pub fn read<T: TraitValue>(traits: &Traits) -> Option<Result<T, String>> {
    traits.get(&T::ID).map(T::from_node)
}

/// The value of trait `id` when its value is one string (`@jsonName("x")`, `@httpHeader("X-Y")`,
/// `@documentation("…")`, `@pattern("^a+$")`, …): `None` when absent, else the string or what
/// is wrong with it.
pub fn read_string<'a>(traits: &'a Traits, id: &ShapeId) -> Option<Result<&'a str, String>> {
    traits.get(id).map(|node| node.as_str().ok_or_else(|| format!("@{} must be a string, not {node}", id.name())))
}

/// `@http(method, uri, code)` on an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpTrait {
    /// The request method.
    pub method: HttpMethod,
    /// The URI pattern as written (`/user/federate/{InstanceId}`); the lower pass parses it.
    pub uri: String,
    /// The success status code (200 when not given).
    pub code: u16,
}

impl TraitValue for HttpTrait {
    const ID: ShapeId = HTTP;
    fn from_node(node: &Node) -> Result<Self, String> {
        let method_text = optional_str(node, "http", "method")?.unwrap_or("");
        let Some(method) = HttpMethod::parse(method_text) else {
            let known: Vec<&str> = HttpMethod::ALL.iter().map(|m| m.as_str()).collect();
            return Err(format!(
                "@http method `{method_text}` is not one of the HTTP methods the generator binds ({})",
                known.join(", ")
            ));
        };
        let uri = optional_str(node, "http", "uri")?.ok_or("@http needs a `uri` string")?.to_owned();
        let code = match node.get("code") {
            None => 200,
            Some(v) => v
                .as_u64()
                .and_then(|c| u16::try_from(c).ok())
                .filter(|c| (100..600).contains(c))
                .ok_or_else(|| format!("@http code {v} is not an HTTP status code"))?,
        };
        Ok(HttpTrait { method, uri, code })
    }
}

/// Who is at fault for an error, from `@error("client" | "server")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `"client"`: 400 unless `@httpError` says otherwise.
    Client,
    /// `"server"`: 500 unless `@httpError` says otherwise.
    Server,
}

/// `@error` on a structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorTrait {
    /// Whose fault the error is.
    pub fault: Fault,
}

impl TraitValue for ErrorTrait {
    const ID: ShapeId = ERROR;
    fn from_node(node: &Node) -> Result<Self, String> {
        let fault = match node.as_str() {
            Some("client") => Fault::Client,
            Some("server") => Fault::Server,
            _ => return Err(format!("@error must be \"client\" or \"server\", not {node}")),
        };
        Ok(ErrorTrait { fault })
    }
}

/// `@httpError(code)` on an error structure: a 4xx or 5xx status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpErrorTrait {
    /// The status code.
    pub code: u16,
}

impl TraitValue for HttpErrorTrait {
    const ID: ShapeId = HTTP_ERROR;
    fn from_node(node: &Node) -> Result<Self, String> {
        node.as_u64()
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (400..600).contains(c))
            .map(|code| HttpErrorTrait { code })
            .ok_or_else(|| format!("@httpError {node} must be a 4xx or 5xx status"))
    }
}

/// `@retryable(throttling)` on an error structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryableTrait {
    /// `true` when the error means the caller is being throttled.
    pub throttling: bool,
}

impl TraitValue for RetryableTrait {
    const ID: ShapeId = RETRYABLE;
    fn from_node(node: &Node) -> Result<Self, String> {
        object(node, "retryable")?;
        let throttling = match node.get("throttling") {
            None => false,
            Some(v) => v.as_bool().ok_or_else(|| format!("@retryable `throttling` must be a boolean, not {v}"))?,
        };
        Ok(RetryableTrait { throttling })
    }
}

/// `@timestampFormat` on a timestamp shape or member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampFormatTrait(pub TimestampFormat);

impl TraitValue for TimestampFormatTrait {
    const ID: ShapeId = TIMESTAMP_FORMAT;
    fn from_node(node: &Node) -> Result<Self, String> {
        let format = match node.as_str() {
            Some("epoch-seconds") => TimestampFormat::EpochSeconds,
            Some("date-time") => TimestampFormat::DateTime,
            Some("http-date") => TimestampFormat::HttpDate,
            _ => return Err(format!("@timestampFormat {node} is not one of epoch-seconds, date-time, http-date")),
        };
        Ok(TimestampFormatTrait(format))
    }
}

/// `@endpoint(hostPrefix)` on an operation; the lower pass parses the prefix's labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointTrait {
    /// The host prefix as written, e.g. `{AccountId}.data.`.
    pub host_prefix: String,
}

impl TraitValue for EndpointTrait {
    const ID: ShapeId = ENDPOINT;
    fn from_node(node: &Node) -> Result<Self, String> {
        let host_prefix =
            optional_str(node, "endpoint", "hostPrefix")?.ok_or("@endpoint needs a `hostPrefix` string")?;
        Ok(EndpointTrait { host_prefix: host_prefix.to_owned() })
    }
}

/// `@requestCompression(encodings)` on an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestCompressionTrait {
    /// The encodings the service accepts, in preference order.
    pub encodings: Vec<String>,
}

impl TraitValue for RequestCompressionTrait {
    const ID: ShapeId = REQUEST_COMPRESSION;
    fn from_node(node: &Node) -> Result<Self, String> {
        let encodings = node
            .get("encodings")
            .and_then(string_list)
            .ok_or("@requestCompression needs `encodings`, a list of strings")?;
        Ok(RequestCompressionTrait { encodings })
    }
}

/// `@paginated` on an operation or (as defaults) on the service. Paths such as
/// `result.nextToken` are kept as written; the pagination pass follows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaginatedTrait {
    /// The input member that takes the token.
    pub input_token: Option<String>,
    /// Where the next token is in the output.
    pub output_token: Option<String>,
    /// Where the page's items are in the output.
    pub items: Option<String>,
    /// The input member that sets the page size.
    pub page_size: Option<String>,
}

impl PaginatedTrait {
    /// This operation's names, each falling back to the service's (`items` is not inherited,
    /// as Smithy says).
    pub fn over(self, service: &PaginatedTrait) -> PaginatedTrait {
        PaginatedTrait {
            input_token: self.input_token.or_else(|| service.input_token.clone()),
            output_token: self.output_token.or_else(|| service.output_token.clone()),
            items: self.items,
            page_size: self.page_size.or_else(|| service.page_size.clone()),
        }
    }
}

impl TraitValue for PaginatedTrait {
    const ID: ShapeId = PAGINATED;
    fn from_node(node: &Node) -> Result<Self, String> {
        object(node, "paginated")?;
        let get = |key| optional_str(node, "paginated", key).map(|v| v.map(str::to_owned));
        Ok(PaginatedTrait {
            input_token: get("inputToken")?,
            output_token: get("outputToken")?,
            items: get("items")?,
            page_size: get("pageSize")?,
        })
    }
}

/// `@length(min, max)`: bounds on a string's characters, a blob's bytes, a list's or map's
/// entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LengthTrait {
    /// The least length allowed.
    pub min: Option<u64>,
    /// The greatest length allowed.
    pub max: Option<u64>,
}

impl TraitValue for LengthTrait {
    const ID: ShapeId = LENGTH;
    fn from_node(node: &Node) -> Result<Self, String> {
        object(node, "length")?;
        let bound = |key: &str| match node.get(key) {
            None => Ok(None),
            Some(v) => {
                v.as_u64().map(Some).ok_or_else(|| format!("@length `{key}` must be a whole number ≥ 0, not {v}"))
            }
        };
        let (min, max) = (bound("min")?, bound("max")?);
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            return Err(format!("@length min {min} is greater than max {max}"));
        }
        Ok(LengthTrait { min, max })
    }
}

/// `@range(min, max)`: bounds on a number, as written in the model (they may be decimals).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeTrait {
    /// The least value allowed.
    pub min: Option<Number>,
    /// The greatest value allowed.
    pub max: Option<Number>,
}

impl TraitValue for RangeTrait {
    const ID: ShapeId = RANGE;
    fn from_node(node: &Node) -> Result<Self, String> {
        object(node, "range")?;
        let bound = |key: &str| match node.get(key) {
            None => Ok(None),
            Some(Node::Number(n)) => Ok(Some(n.clone())),
            Some(v) => Err(format!("@range `{key}` must be a number, not {v}")),
        };
        Ok(RangeTrait { min: bound("min")?, max: bound("max")? })
    }
}

/// `@aws.auth#sigv4(name)` on a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sigv4Trait {
    /// The signing name, e.g. `connect`.
    pub name: String,
}

impl TraitValue for Sigv4Trait {
    const ID: ShapeId = SIGV4;
    fn from_node(node: &Node) -> Result<Self, String> {
        let name = optional_str(node, "aws.auth#sigv4", "name")?.ok_or("@aws.auth#sigv4 needs a `name` string")?;
        Ok(Sigv4Trait { name: name.to_owned() })
    }
}

/// `@aws.api#service(sdkId, endpointPrefix, …)` on a service: the properties the generator uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsServiceTrait {
    /// The SDK's name of the service, e.g. `Connect`.
    pub sdk_id: String,
    /// The endpoint prefix, e.g. `connect`.
    pub endpoint_prefix: Option<String>,
}

impl TraitValue for AwsServiceTrait {
    const ID: ShapeId = AWS_SERVICE;
    fn from_node(node: &Node) -> Result<Self, String> {
        let field = |key| optional_str(node, "aws.api#service", key);
        let sdk_id = field("sdkId")?.ok_or("@aws.api#service needs an `sdkId` string")?.to_owned();
        Ok(AwsServiceTrait { sdk_id, endpoint_prefix: field("endpointPrefix")?.map(str::to_owned) })
    }
}

/// One entry of a Smithy 1.0 `@enum([...])` trait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDefinition {
    /// The wire value.
    pub value: String,
    /// The name the generated variant takes (the value when absent).
    pub name: Option<String>,
    /// Documentation of the value.
    pub documentation: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `tags`, e.g. `internal`.
    pub tags: Vec<String>,
}

/// `@enum([...])` on a string shape: the Smithy 1.0 way of writing an enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumTrait(pub Vec<EnumDefinition>);

impl TraitValue for EnumTrait {
    const ID: ShapeId = ENUM;
    fn from_node(node: &Node) -> Result<Self, String> {
        let items = node.as_array().ok_or_else(|| format!("@enum must be a list of definitions, not {node}"))?;
        let definitions = items
            .iter()
            .map(|d| {
                object(d, "enum")?;
                let text = |key| optional_str(d, "enum", key).map(|v| v.map(str::to_owned));
                let value = text("value")?.ok_or_else(|| format!("@enum definition {d} needs a string `value`"))?;
                let deprecated = match d.get("deprecated") {
                    None => false,
                    Some(v) => v.as_bool().ok_or_else(|| format!("@enum `deprecated` must be a boolean, not {v}"))?,
                };
                let tags = match d.get("tags") {
                    None => Vec::new(),
                    Some(v) => {
                        string_list(v).ok_or_else(|| format!("@enum `tags` must be a list of strings, not {v}"))?
                    }
                };
                Ok(EnumDefinition {
                    value,
                    name: text("name")?,
                    documentation: text("documentation")?,
                    deprecated,
                    tags,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(EnumTrait(definitions))
    }
}

/// `@tags([...])` on any shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagsTrait(pub Vec<String>);

impl TraitValue for TagsTrait {
    const ID: ShapeId = TAGS;
    fn from_node(node: &Node) -> Result<Self, String> {
        string_list(node).map(TagsTrait).ok_or_else(|| format!("@tags must be a list of strings, not {node}"))
    }
}

/// `@suppress([...])`: the validator ids whose warnings a shape silences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuppressTrait(pub Vec<String>);

impl TraitValue for SuppressTrait {
    const ID: ShapeId = SUPPRESS;
    fn from_node(node: &Node) -> Result<Self, String> {
        string_list(node).map(SuppressTrait).ok_or_else(|| format!("@suppress must be a list of strings, not {node}"))
    }
}

/// `Err` unless the value is an object: structure-valued traits.
fn object(node: &Node, trait_name: &str) -> Result<(), String> {
    if node.is_object() { Ok(()) } else { Err(format!("@{trait_name} must be a structure value, not {node}")) }
}

/// The string under `key` of a structure value: `None` when absent, `Err` when not a string.
fn optional_str<'a>(node: &'a Node, trait_name: &str, key: &str) -> Result<Option<&'a str>, String> {
    match node.get(key) {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or_else(|| format!("@{trait_name} `{key}` must be a string, not {v}")),
    }
}

/// A list of strings, or `None`.
fn string_list(node: &Node) -> Option<Vec<String>> {
    node.as_array()?.iter().map(|v| v.as_str().map(str::to_owned)).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn err<T: TraitValue + std::fmt::Debug>(node: Node) -> String {
        T::from_node(&node).expect_err("the value must be refused")
    }

    #[test]
    fn http_reads_method_uri_and_code() {
        let http = HttpTrait::from_node(&json!({"method": "GET", "uri": "/a/{B}", "code": 201})).unwrap();
        assert_eq!(http, HttpTrait { method: HttpMethod::Get, uri: "/a/{B}".into(), code: 201 });
        assert_eq!(HttpTrait::from_node(&json!({"method": "PUT", "uri": "/"})).unwrap().code, 200);
        assert!(err::<HttpTrait>(json!({"method": "FETCH", "uri": "/"})).contains("`FETCH` is not one of"));
        assert!(err::<HttpTrait>(json!({"method": "GET"})).contains("needs a `uri`"));
        assert!(err::<HttpTrait>(json!({"method": "GET", "uri": "/", "code": 700})).contains("code 700"));
        assert!(err::<HttpTrait>(json!({"method": "GET", "uri": 3})).contains("`uri` must be a string"));
    }

    #[test]
    fn error_traits() {
        assert_eq!(ErrorTrait::from_node(&json!("server")).unwrap().fault, Fault::Server);
        assert!(err::<ErrorTrait>(json!("nobody")).contains("\"client\" or \"server\""));
        assert_eq!(HttpErrorTrait::from_node(&json!(429)).unwrap().code, 429);
        for bad in [json!(200), json!(99999), json!("404")] {
            assert!(err::<HttpErrorTrait>(bad).contains("4xx or 5xx"));
        }
        assert!(RetryableTrait::from_node(&json!({"throttling": true})).unwrap().throttling);
        assert!(!RetryableTrait::from_node(&json!({})).unwrap().throttling);
        assert!(err::<RetryableTrait>(json!({"throttling": "yes"})).contains("boolean"));
    }

    #[test]
    fn constraint_traits() {
        assert_eq!(LengthTrait::from_node(&json!({"min": 1})).unwrap(), LengthTrait { min: Some(1), max: None });
        assert!(err::<LengthTrait>(json!({"min": -1})).contains("`min`"));
        assert!(err::<LengthTrait>(json!({"min": 3, "max": 2})).contains("greater than max"));
        let range = RangeTrait::from_node(&json!({"min": 0.5})).unwrap();
        assert_eq!(range.min.map(|n| n.to_string()), Some("0.5".to_owned()));
        assert!(err::<RangeTrait>(json!({"max": "9"})).contains("`max` must be a number"));
    }

    #[test]
    fn paginated_inherits_all_but_items() {
        let service =
            PaginatedTrait::from_node(&json!({"inputToken": "a", "outputToken": "b", "pageSize": "n"})).unwrap();
        let op = PaginatedTrait::from_node(&json!({"items": "Things", "outputToken": "c"})).unwrap().over(&service);
        assert_eq!(op.input_token.as_deref(), Some("a"));
        assert_eq!(op.output_token.as_deref(), Some("c"));
        assert_eq!(op.items.as_deref(), Some("Things"));
        assert_eq!(op.page_size.as_deref(), Some("n"));
        let service_items = PaginatedTrait { items: Some("x".into()), ..PaginatedTrait::default() };
        assert_eq!(PaginatedTrait::default().over(&service_items).items, None);
        assert!(err::<PaginatedTrait>(json!({"items": 1})).contains("`items` must be a string"));
    }

    #[test]
    fn other_traits() {
        assert_eq!(
            TimestampFormatTrait::from_node(&json!("http-date")).unwrap(),
            TimestampFormatTrait(TimestampFormat::HttpDate)
        );
        assert!(err::<TimestampFormatTrait>(json!("x")).contains("not one of"));
        assert!(err::<EndpointTrait>(json!({})).contains("hostPrefix"));
        assert_eq!(
            RequestCompressionTrait::from_node(&json!({"encodings": ["gzip"]})).unwrap().encodings,
            vec!["gzip".to_owned()]
        );
        assert!(err::<RequestCompressionTrait>(json!({"encodings": [1]})).contains("list of strings"));
        assert!(err::<AwsServiceTrait>(json!({"endpointPrefix": "x"})).contains("sdkId"));
        assert!(err::<Sigv4Trait>(json!({})).contains("name"));
        assert!(err::<TagsTrait>(json!(["a", 2])).contains("list of strings"));
        let e = EnumTrait::from_node(&json!([{"value": "A", "tags": ["internal"]}])).unwrap();
        assert_eq!(e.0[0].tags, vec!["internal".to_owned()]);
        assert!(err::<EnumTrait>(json!([{"name": "A"}])).contains("needs a string `value`"));
        let traits: Traits = [(JSON_NAME, json!(3))].into_iter().collect();
        assert!(read_string(&traits, &JSON_NAME).unwrap().unwrap_err().contains("@jsonName must be a string"));
    }
}
