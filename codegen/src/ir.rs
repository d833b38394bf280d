//! The plain intermediate representation the emitters work from.
//!
//! Produced by [`crate::lower`], consumed by [`crate::emit`]. Everything a Smithy trait decides
//! has already been decided here: Rust names beside wire names, HTTP bindings, timestamp formats,
//! optionality, boxing of recursive members, sensitivity and constraints. The IR is plain data
//! (`Debug`, `PartialEq`, no token streams) so it can be snapshot-tested as text, and its vectors
//! are sorted so the output never depends on hash order.

use crate::model::shape_id::ShapeId;

/// A whole service, ready to emit.
#[derive(Clone, Debug, PartialEq)]
pub struct Ir {
    /// The service.
    pub service: Service,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Structures that are not operation inputs or outputs (errors included), sorted by name.
    pub structures: Vec<Structure>,
    /// Unions, sorted by name.
    pub unions: Vec<Union>,
    /// String and int enums, sorted by name.
    pub enums: Vec<Enum>,
    /// The model's protocol compliance test cases (`smithy.test#…`) for the service's
    /// protocol, sorted by operation and in model order within one.
    pub protocol_tests: Vec<ProtocolTest>,
}

/// One case of Smithy's protocol compliance tests, with parameterised malformed-request cases
/// already expanded (one case per set of `testParameters`).
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolTest {
    /// The case's `id` (`_caseN` appended for each expansion of a parameterised case).
    pub id: String,
    /// The Rust test function name, unique among the service's cases of its kind.
    pub fn_name: String,
    /// The operation's wire name.
    pub operation: String,
    /// The Rust name of the error, for a response test defined on an error structure.
    pub error: Option<String>,
    /// The case's `documentation`.
    pub documentation: Option<String>,
    /// Where the case's trait sits in the model (its operation or error shape).
    pub span: Option<crate::model::source::Span>,
    /// The one side the operation is tested on, when it is tagged `client-only` or
    /// `server-only` (`@tags`), as Smithy's suite marks operations only one side can run.
    pub operation_only: Option<TestSide>,
    /// What the case checks.
    pub kind: ProtocolTestKind,
}

/// Which side of the protocol a case tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TestSide {
    /// The generated client.
    Client,
    /// The generated server.
    Server,
}

/// The three kinds of HTTP protocol tests.
#[derive(Clone, Debug, PartialEq)]
pub enum ProtocolTestKind {
    /// `smithy.test#httpRequestTests`: `params` serialise to this request (client), and this
    /// request parses to `params` (server).
    Request(HttpRequestTest),
    /// `smithy.test#httpResponseTests`: this response parses to `params` (client), and `params`
    /// serialise to this response (server).
    Response(HttpResponseTest),
    /// `smithy.test#httpMalformedRequestTests`: the server rejects this request this way.
    Malformed(MalformedRequestTest),
}

impl ProtocolTestKind {
    /// `request`, `response` or `malformed`: the module of the generated tests.
    pub fn module(&self) -> &'static str {
        match self {
            ProtocolTestKind::Request(_) => "request",
            ProtocolTestKind::Response(_) => "response",
            ProtocolTestKind::Malformed(_) => "malformed",
        }
    }
}

impl ProtocolTest {
    /// The sides the case itself applies to (`appliesTo`, else both; malformed requests are for
    /// servers only).
    pub fn case_sides(&self) -> Vec<TestSide> {
        let applies_to = match &self.kind {
            ProtocolTestKind::Request(r) => r.applies_to,
            ProtocolTestKind::Response(r) => r.applies_to,
            ProtocolTestKind::Malformed(_) => Some(TestSide::Server),
        };
        match applies_to {
            Some(side) => vec![side],
            None => vec![TestSide::Client, TestSide::Server],
        }
    }

    /// The sides the case is run on: [`ProtocolTest::case_sides`] less the side a
    /// `client-only` or `server-only` operation excludes.
    pub fn sides(&self) -> Vec<TestSide> {
        let mut sides = self.case_sides();
        if let Some(only) = self.operation_only {
            sides.retain(|s| *s == only);
        }
        sides
    }
}

/// `smithy.test#HttpRequestTestCase`.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequestTest {
    /// `appliesTo`, when the case is for one side only.
    pub applies_to: Option<TestSide>,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query string, as sent (percent-encoded).
    pub uri: String,
    /// The host given to the client (its endpoint, without scheme).
    pub host: Option<String>,
    /// The host the client must send to (after an `@endpoint` host prefix).
    pub resolved_host: Option<String>,
    /// Query parameters that must be present, `key=value` or `key`, as sent.
    pub query_params: Vec<String>,
    /// Query parameter names that must be absent.
    pub forbid_query_params: Vec<String>,
    /// Query parameter names that must be present, with any value.
    pub require_query_params: Vec<String>,
    /// The message's HTTP fields.
    pub message: HttpMessage,
    /// The input, as the test gives it.
    pub params: crate::model::Node,
}

/// `smithy.test#HttpResponseTestCase`.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponseTest {
    /// `appliesTo`, when the case is for one side only.
    pub applies_to: Option<TestSide>,
    /// The status code.
    pub code: u16,
    /// The message's HTTP fields.
    pub message: HttpMessage,
    /// The output (or error), as the test gives it.
    pub params: crate::model::Node,
}

/// The fields requests and responses share (`smithy.test#HttpMessageMixin`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpMessage {
    /// Headers with their exact values.
    pub headers: Vec<(String, String)>,
    /// Headers that must be absent.
    pub forbid_headers: Vec<String>,
    /// Headers that must be present, with any value.
    pub require_headers: Vec<String>,
    /// The body; `None` asserts nothing about it.
    pub body: Option<String>,
    /// How to compare the body (`application/json` bodies are compared as JSON values).
    pub body_media_type: Option<String>,
}

/// `smithy.test#HttpMalformedRequestTestCase`, its parameters substituted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedRequestTest {
    /// The HTTP method.
    pub method: String,
    /// The path, without the query string.
    pub uri: String,
    /// The host the request is sent to.
    pub host: Option<String>,
    /// The query string parameters, `key=value`, as sent.
    pub query_params: Vec<String>,
    /// The request headers.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Option<String>,
    /// The status the server must answer with.
    pub code: u16,
    /// Headers the response must have, with their values.
    pub response_headers: Vec<(String, String)>,
    /// What the response body must be.
    pub response_body: Option<MalformedBody>,
}

/// The expected body of a malformed request's response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedBody {
    /// Its media type (`application/json` bodies are compared as JSON values).
    pub media_type: String,
    /// The assertion.
    pub assertion: BodyAssertion,
}

/// How a malformed request's response body is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyAssertion {
    /// The whole body.
    Contents(String),
    /// A regular expression the body's `message` must match.
    MessageRegex(String),
}

/// The service shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The service shape id.
    pub id: ShapeId,
    /// The service shape's name, e.g. `AmazonConnectService`; names the server trait.
    pub name: String,
    /// `aws.api#service` `sdkId`, else the shape name.
    pub sdk_id: String,
    /// A human title (`@title`), else the sdk id.
    pub title: String,
    /// The API version.
    pub version: Option<String>,
    /// `aws.auth#sigv4` `name`.
    pub signing_name: Option<String>,
    /// `aws.api#service` `endpointPrefix`.
    pub endpoint_prefix: Option<String>,
    /// The wire protocol.
    pub protocol: Protocol,
    /// The `smithy.rules#endpointRuleSet` document, as JSON text, when the model has one.
    pub endpoint_rule_set: Option<String>,
    /// The cases of the `smithy.rules#endpointTests` trait, in model order (empty without it).
    pub endpoint_tests: Vec<EndpointTest>,
    /// Documentation.
    pub docs: Option<String>,
}

/// One case of `smithy.rules#endpointTests`: parameters, and what resolving them gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointTest {
    /// The case's `documentation`.
    pub documentation: Option<String>,
    /// The case's `params`, in model order.
    pub params: Vec<(String, EndpointParam)>,
    /// The case's `expect`.
    pub expect: EndpointExpectation,
}

/// An endpoint parameter value in a test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointParam {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

/// What an endpoint test case expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointExpectation {
    /// An endpoint.
    Endpoint {
        /// The URL.
        url: String,
        /// The headers, when the case lists them, in model order.
        headers: Option<Vec<(String, Vec<String>)>>,
        /// The properties, when the case lists them, as JSON text of an object.
        properties: Option<String>,
    },
    /// An error with this message.
    Error(String),
}

/// The wire protocols the generator knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#restJson1`
    RestJson1,
}

/// One operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The operation shape id.
    pub id: ShapeId,
    /// The wire name, e.g. `GetFederationToken`.
    pub name: String,
    /// The snake_case name of the client method and module, e.g. `get_federation_token`.
    pub snake_name: String,
    /// The HTTP method (`@http`'s `method`).
    pub method: HttpMethod,
    /// The URI pattern.
    pub uri: UriPattern,
    /// The success status code.
    pub code: u16,
    /// `@endpoint(hostPrefix)`: what the client puts before the endpoint's host name.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
    /// `@httpChecksumRequired`: the client sends `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` encodings, in the model's order of preference.
    pub request_compression: Vec<String>,
    /// Headers the client sends on every request unless a member sets them (AWS SDK
    /// customisations, `lower/customize.rs`).
    pub constant_headers: Vec<(String, String)>,
    /// Labels the client fills in when the caller leaves them unset or empty (AWS SDK
    /// customisations).
    pub label_fallbacks: Vec<LabelFallback>,
    /// The client sends SHA-256 and tree-hash checksums of the body (Glacier's uploads).
    pub tree_hash_checksums: bool,
    /// `@paginated`: how the client pages through results.
    pub pagination: Option<Pagination>,
    /// The input structure, renamed `<Op>Input`.
    pub input: Structure,
    /// The output structure, renamed `<Op>Output`.
    pub output: Structure,
    /// The name of the error enum, `<Op>Error`.
    pub error_name: String,
    /// The errors the operation can return (its own and the service's), sorted by name.
    pub errors: Vec<ErrorRef>,
    /// The error that constraint violations are reported as, when the operation declares a
    /// suitable one (`smithy.framework#ValidationException` first, else a 400 client error
    /// named like `InvalidParameterException`), with the JSON name of its message member.
    pub validation_error: Option<ValidationError>,
    /// Documentation.
    pub docs: Option<String>,
}

/// The HTTP methods an operation may be bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// Every method, for parsing and messages.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Head,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Trace,
    ];

    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method named `text` (case-sensitive, as HTTP methods are).
    pub fn parse(text: &str) -> Option<Self> {
        HttpMethod::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// A piece of an `@endpoint` host prefix such as `{bucket}.data.`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPrefixPart {
    /// Literal text.
    Literal(String),
    /// `{Name}`: the value of the input's `@hostLabel` member with this name.
    Label {
        /// The member's name in the model.
        member: String,
        /// Its Rust field name.
        rust_name: String,
    },
}

/// How an operation's results are paged (`@paginated`).
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The Rust name of the input member that takes the page token.
    pub input_token: String,
    /// The output members that lead to the next page's token.
    pub output_token: Vec<PathStep>,
    /// The output members that lead to the page's items (empty when the trait names none).
    pub items: Vec<PathStep>,
    /// The type of the items member: a list or a map.
    pub item_type: Option<Type>,
    /// The Rust name of the input member that sets the page size.
    pub page_size: Option<String>,
}

/// One member on a path through nested structures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathStep {
    /// The member's Rust name.
    pub rust_name: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is boxed.
    pub boxed: bool,
}

/// A value the client puts in a URI label the caller left unset or empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelFallback {
    /// The label member's name in the model.
    pub member: String,
    /// The value.
    pub value: String,
}

/// A modeled error of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorRef {
    /// The error structure's Rust name (the variant name too).
    pub rust_name: String,
    /// The error code on the wire (the shape name).
    pub code: String,
}

/// How an operation reports constraint violations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The error structure's Rust name.
    pub rust_name: String,
    /// Its error code (shape name).
    pub code: String,
    /// The JSON key of its message member, when it has one.
    pub message_json: Option<String>,
    /// `true` for `smithy.framework#ValidationException`, which also lists the fields.
    pub framework: bool,
}

/// An operation's URI pattern, e.g. `/user/federate/{InstanceId}?x=y`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UriPattern {
    /// The pattern as written in the model.
    pub text: String,
    /// The path segments.
    pub segments: Vec<Segment>,
    /// Literal query parameters: key and optional value.
    pub query: Vec<(String, Option<String>)>,
}

/// One path segment of a URI pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// `{Name}`: the wire name of the label member.
    Label(String),
    /// `{Name+}`: a greedy label spanning segments.
    Greedy(String),
}

/// A structure (or an operation input or output).
#[derive(Clone, Debug, PartialEq)]
pub struct Structure {
    /// The model shape id (for an input or output, the shape the operation names).
    pub id: ShapeId,
    /// The Rust type name.
    pub rust_name: String,
    /// The role the structure plays.
    pub role: StructureRole,
    /// Members, in model order.
    pub members: Vec<Member>,
    /// The whole shape is `@sensitive`.
    pub sensitive: bool,
    /// Error details, when the structure is an `@error`.
    pub error: Option<ErrorInfo>,
    /// Documentation.
    pub docs: Option<String>,
}

/// What a structure is for; it decides optionality and builders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructureRole {
    /// An operation input: every member is optional in Rust, checked at send time.
    Input,
    /// An operation output.
    Output,
    /// An error.
    Error,
    /// Any other structure.
    Plain,
}

/// What an error structure says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The HTTP status: `@httpError`, else 400 for client and 500 for server errors.
    pub status: u16,
    /// `@retryable`, and whether it is throttling.
    pub retryable: Option<Retryable>,
    /// The Rust name of the message member (`message`/`Message`/`errorMessage`), if any.
    pub message_member: Option<String>,
}

/// `@retryable`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retryable {
    /// `@retryable(throttling: true)`
    pub throttling: bool,
}

/// A member of a structure or union.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The snake_case Rust field name (a raw identifier when it is a keyword).
    pub rust_name: String,
    /// The Rust type.
    pub ty: Type,
    /// Where the member goes on the wire.
    pub binding: Binding,
    /// The field is an `Option`.
    pub optional: bool,
    /// The model says `@required`.
    pub required: bool,
    /// The `@default` value, when the member has a non-null one.
    pub default: Option<DefaultValue>,
    /// The field is boxed to break a cycle of structures.
    pub boxed: bool,
    /// The member or anything it holds is `@sensitive`: redacted in `Debug`.
    pub sensitive: bool,
    /// Constraints on the value itself.
    pub constraints: Constraints,
    /// `@idempotencyToken`
    pub idempotency_token: bool,
    /// `@deprecated`
    pub deprecated: bool,
    /// Documentation.
    pub docs: Option<String>,
}

/// Where a member is serialised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A URI label.
    Label {
        /// `{Name+}`
        greedy: bool,
    },
    /// A query parameter.
    Query(String),
    /// All other query parameters (a map).
    QueryParams,
    /// A header.
    Header(String),
    /// Headers with a prefix (a map).
    PrefixHeaders(String),
    /// The whole body.
    Payload,
    /// A key of the JSON body.
    Body(String),
    /// The response status code.
    ResponseCode,
}

/// A Rust type as the emitters spell it.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// `bool`
    Boolean,
    /// `i8`
    Byte,
    /// `i16`
    Short,
    /// `i32`
    Integer,
    /// `i64`
    Long,
    /// `f32`
    Float,
    /// `f64`
    Double,
    /// The runtime's `BigInteger`: an integer of any size.
    BigInteger,
    /// The runtime's `BigDecimal`: a decimal of any size and precision.
    BigDecimal,
    /// `String`; `media_type` when `@mediaType` says it holds e.g. JSON.
    String {
        /// `@mediaType`
        media_type: Option<String>,
    },
    /// The runtime's `Blob`; `media_type` is the `Content-Type` of a blob payload.
    Blob {
        /// `@mediaType`
        media_type: Option<String>,
    },
    /// The runtime's `ByteStream`: a `@streaming` blob, always an operation's payload.
    ByteStream {
        /// `@mediaType`
        media_type: Option<String>,
        /// `@requiresLength`: the length must be known before sending.
        requires_length: bool,
    },
    /// The runtime's `DateTime`, with the format the model asks for, if any.
    Timestamp(Option<TimestampFormat>),
    /// The runtime's `Document`.
    Document,
    /// A generated struct, union or enum, by Rust name.
    Named(Named),
    /// `Vec<T>`; `sparse` lists hold `Option<T>`.
    List {
        /// The element.
        member: Box<Element>,
        /// `@sparse`
        sparse: bool,
    },
    /// `HashMap<String, V>`; `sparse` maps hold `Option<V>`.
    Map {
        /// The key, a string or string enum.
        key: Box<Element>,
        /// The value.
        value: Box<Element>,
        /// `@sparse`
        sparse: bool,
    },
}

impl Type {
    /// A number: byte, short, integer, long, float, double, big integer or big decimal (what
    /// `@range` applies to).
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Type::Byte
                | Type::Short
                | Type::Integer
                | Type::Long
                | Type::Float
                | Type::Double
                | Type::BigInteger
                | Type::BigDecimal
        )
    }
}

/// A reference to a generated type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// Its Rust name.
    pub rust_name: String,
    /// What it is.
    pub kind: NamedKind,
}

/// The kinds of generated types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedKind {
    /// A structure.
    Structure,
    /// A union.
    Union,
    /// A string enum.
    Enum,
    /// An int enum.
    IntEnum,
}

/// The element of a list or the key or value of a map, with what its shape says.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// The Rust type.
    pub ty: Type,
    /// Constraints on each element.
    pub constraints: Constraints,
    /// Each element is `@sensitive`.
    pub sensitive: bool,
}

/// The timestamp formats of `@timestampFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `epoch-seconds`
    EpochSeconds,
    /// `date-time` (RFC 3339)
    DateTime,
    /// `http-date` (RFC 7231 IMF-fixdate)
    HttpDate,
}

/// Constraint traits on a value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `@length(min, max)`
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range(min, max)`, each bound the model's number as exact decimal text.
    pub range: Option<(Option<String>, Option<String>)>,
    /// `@pattern`
    pub pattern: Option<String>,
    /// `@uniqueItems` (or a Smithy 1.0 `set`): no two items of the list are equal.
    pub unique_items: bool,
}

impl Constraints {
    /// `true` when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none() && !self.unique_items
    }
}

/// A member's `@default`, reduced to what Rust needs.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// `true`/`false`
    Bool(bool),
    /// An integer of any width.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (also a timestamp or blob written as text, and a string enum's value).
    String(String),
    /// `[]` or `{}`.
    Empty,
    /// A document default, as JSON text.
    Document(String),
    /// A `bigInteger` or `bigDecimal` default, as exact decimal text.
    Number(String),
    /// A blob's bytes (the model writes them in base64).
    Blob(Vec<u8>),
    /// A timestamp: seconds since the epoch and a nanosecond fraction.
    Timestamp {
        /// Whole seconds (the floor).
        seconds: i64,
        /// 0..1,000,000,000.
        nanos: u32,
    },
}

/// A union.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// The model shape id.
    pub id: ShapeId,
    /// The Rust type name.
    pub rust_name: String,
    /// Variants, in model order. A member targeting `Unit` has no value (`ty` is `None`).
    pub variants: Vec<Variant>,
    /// `@sensitive`
    pub sensitive: bool,
    /// Documentation.
    pub docs: Option<String>,
}

/// A union variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The member name, also the JSON key unless `json_name` says otherwise.
    pub name: String,
    /// The JSON key.
    pub json_name: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The value type; `None` for `Unit` members.
    pub ty: Option<Type>,
    /// Boxed to break a cycle.
    pub boxed: bool,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// Constraints on the value.
    pub constraints: Constraints,
    /// Documentation.
    pub docs: Option<String>,
}

/// A string or int enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// The model shape id.
    pub id: ShapeId,
    /// The Rust type name.
    pub rust_name: String,
    /// The variants, in model order, with wire values of the enum's kind.
    pub variants: EnumVariants,
    /// `@sensitive`
    pub sensitive: bool,
    /// Documentation.
    pub docs: Option<String>,
}

impl Enum {
    /// [`NamedKind::IntEnum`] or [`NamedKind::Enum`].
    pub fn kind(&self) -> NamedKind {
        match self.variants {
            EnumVariants::String(_) => NamedKind::Enum,
            EnumVariants::Int(_) => NamedKind::IntEnum,
        }
    }
}

/// An enum's variants: a string enum's (`enum`, or a string with Smithy 1.0's `@enum`) or an
/// `intEnum`'s. One kind per enum, so no variant can have a value of the other kind.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumVariants {
    /// A string enum's variants.
    String(Vec<EnumVariant<String>>),
    /// An `intEnum`'s variants.
    Int(Vec<EnumVariant<i32>>),
}

/// One enum value, with its wire value of type `V` (`String` or `i32`).
#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant<V> {
    /// The member name in the model.
    pub name: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: V,
    /// Documentation.
    pub docs: Option<String>,
    /// `@deprecated`
    pub deprecated: bool,
    /// `@internal` (or an `@enum` definition tagged `internal`): a value left out of the value
    /// set that validation messages name.
    pub internal: bool,
}

impl Structure {
    /// `true` when a member is a `@streaming` blob: such a structure is read once, so it is
    /// neither `Clone` nor `PartialEq`.
    pub fn has_stream(&self) -> bool {
        self.members.iter().any(|m| matches!(m.ty, Type::ByteStream { .. }))
    }
}

impl Ir {
    /// The protocol test cases that apply to `side`, each with its operation.
    pub fn protocol_cases(&self, side: TestSide) -> impl Iterator<Item = (&ProtocolTest, &Operation)> {
        self.protocol_tests.iter().filter(move |c| c.sides().contains(&side)).filter_map(|c| {
            let op = self.operations.iter().find(|o| o.name == c.operation)?;
            Some((c, op))
        })
    }

    /// `true` when some protocol test case applies to `side`, so that its crate gets a protocol
    /// test file (and the types crate a `protocol-test` feature). A client has nothing to test
    /// in a malformed-request case.
    pub fn has_protocol_cases(&self, side: TestSide) -> bool {
        self.protocol_cases(side)
            .any(|(case, _)| side == TestSide::Server || !matches!(case.kind, ProtocolTestKind::Malformed(_)))
    }

    /// The same IR without documentation: what two models of one API must agree on.
    pub fn without_docs(&self) -> Ir {
        let mut ir = self.clone();
        ir.service.docs = None;
        ir.service.title = String::new();
        let strip_members = |members: &mut Vec<Member>| members.iter_mut().for_each(|m| m.docs = None);
        for op in &mut ir.operations {
            op.docs = None;
            op.input.docs = None;
            op.output.docs = None;
            strip_members(&mut op.input.members);
            strip_members(&mut op.output.members);
        }
        for s in &mut ir.structures {
            s.docs = None;
            strip_members(&mut s.members);
        }
        for u in &mut ir.unions {
            u.docs = None;
            u.variants.iter_mut().for_each(|v| v.docs = None);
        }
        for e in &mut ir.enums {
            e.docs = None;
            match &mut e.variants {
                EnumVariants::String(vs) => vs.iter_mut().for_each(|v| v.docs = None),
                EnumVariants::Int(vs) => vs.iter_mut().for_each(|v| v.docs = None),
            }
        }
        ir
    }

    /// Every structure: operation inputs and outputs, then the others.
    pub fn all_structures(&self) -> impl Iterator<Item = &Structure> {
        self.operations.iter().flat_map(|o| [&o.input, &o.output]).chain(self.structures.iter())
    }
}

/// Which way a shape travels in request and response bodies; it decides which side reads it
/// (`FromJson`) and which writes it (`ToJson`), so that a client build compiles neither the
/// reading of what only it sends nor the writing of what only it receives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    /// Part of an operation's input: the client writes it, the server reads it.
    pub to_server: bool,
    /// Part of an operation's output or of an error: the server writes it, the client reads it.
    pub to_client: bool,
}

impl Ir {
    /// The [`Flow`] of every structure and union (by Rust name) that some operation's input,
    /// output or error holds, however deeply. Every error structure travels to the client.
    pub fn flows(&self) -> std::collections::BTreeMap<String, Flow> {
        use std::collections::{BTreeMap, HashMap};
        let structures: HashMap<&str, &Structure> = self.structures.iter().map(|s| (s.rust_name.as_str(), s)).collect();
        let unions: HashMap<&str, &Union> = self.unions.iter().map(|u| (u.rust_name.as_str(), u)).collect();
        let mut flows: BTreeMap<String, Flow> = BTreeMap::new();
        // Marks `ty` and everything it holds; `mark` sets the direction, and tells whether it
        // was set already (a shape seen before need not be walked again: this ends cycles).
        let mut walk = |roots: Vec<&Type>, mark: fn(&mut Flow) -> bool| {
            let mut stack = roots;
            while let Some(ty) = stack.pop() {
                match ty {
                    Type::Named(named) => {
                        let name = named.rust_name.as_str();
                        let (is_struct, is_union) = (structures.get(name), unions.get(name));
                        if is_struct.is_none() && is_union.is_none() {
                            continue; // an enum: it holds nothing
                        }
                        if mark(flows.entry(name.to_owned()).or_default()) {
                            continue;
                        }
                        if let Some(s) = is_struct {
                            stack.extend(s.members.iter().map(|m| &m.ty));
                        }
                        if let Some(u) = is_union {
                            stack.extend(u.variants.iter().filter_map(|v| v.ty.as_ref()));
                        }
                    }
                    Type::List { member, .. } => stack.push(&member.ty),
                    Type::Map { key, value, .. } => stack.extend([&key.ty, &value.ty]),
                    _ => {}
                }
            }
        };
        let named: Vec<Type> = self
            .structures
            .iter()
            .filter(|s| s.error.is_some())
            .map(|s| Type::Named(Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure }))
            .collect();
        let to_server = |f: &mut Flow| std::mem::replace(&mut f.to_server, true);
        let to_client = |f: &mut Flow| std::mem::replace(&mut f.to_client, true);
        walk(self.operations.iter().flat_map(|o| o.input.members.iter().map(|m| &m.ty)).collect(), to_server);
        walk(
            self.operations.iter().flat_map(|o| o.output.members.iter().map(|m| &m.ty)).chain(&named).collect(),
            to_client,
        );
        flows
    }
}
