//! The id of every trait the generator reads, as a [`ShapeId`] constant, each with the pass that
//! reads it. The table of what the generator does with every trait it knows is in the parent
//! module.

use crate::model::shape_id::ShapeId;

/// `smithy.api#documentation`: copied into the generated code as `///` docs (lower).
pub const DOCUMENTATION: ShapeId = ShapeId::from_static("smithy.api", "documentation");
/// `smithy.api#required`: non-optional fields, builder checks and server validation (lower).
pub const REQUIRED: ShapeId = ShapeId::from_static("smithy.api", "required");
/// `smithy.api#default`: non-optional fields with a default value (lower).
pub const DEFAULT: ShapeId = ShapeId::from_static("smithy.api", "default");
/// `smithy.api#clientOptional`: keeps a required or defaulted member optional (lower).
pub const CLIENT_OPTIONAL: ShapeId = ShapeId::from_static("smithy.api", "clientOptional");
/// `smithy.api#sensitive`: redacted `Debug` output (lower, emit types).
pub const SENSITIVE: ShapeId = ShapeId::from_static("smithy.api", "sensitive");
/// `smithy.api#length`: server-side validation (lower, emit types `validate`).
pub const LENGTH: ShapeId = ShapeId::from_static("smithy.api", "length");
/// `smithy.api#range`: server-side validation (lower, emit types `validate`).
pub const RANGE: ShapeId = ShapeId::from_static("smithy.api", "range");
/// `smithy.api#pattern`: server-side validation (lower, emit types `validate`).
pub const PATTERN: ShapeId = ShapeId::from_static("smithy.api", "pattern");
/// `smithy.api#enumValue`: the wire value of an enum or intEnum variant (lower).
pub const ENUM_VALUE: ShapeId = ShapeId::from_static("smithy.api", "enumValue");
/// `smithy.api#enum`: the Smithy 1.0 way to make a string an enum (lower).
pub const ENUM: ShapeId = ShapeId::from_static("smithy.api", "enum");
/// `smithy.api#error`: marks error structures, `client` or `server` fault (lower).
pub const ERROR: ShapeId = ShapeId::from_static("smithy.api", "error");
/// `smithy.api#httpError`: the status code of an error (lower, emit server).
pub const HTTP_ERROR: ShapeId = ShapeId::from_static("smithy.api", "httpError");
/// `smithy.api#retryable`: errors the client may retry (lower; used by retries).
pub const RETRYABLE: ShapeId = ShapeId::from_static("smithy.api", "retryable");
/// `smithy.api#idempotencyToken`: filled with a fresh UUID by the client when unset (lower).
pub const IDEMPOTENCY_TOKEN: ShapeId = ShapeId::from_static("smithy.api", "idempotencyToken");
/// `smithy.api#http`: method, URI pattern and status code of an operation (lower).
pub const HTTP: ShapeId = ShapeId::from_static("smithy.api", "http");
/// `smithy.api#httpLabel`: a member bound to a URI label (lower).
pub const HTTP_LABEL: ShapeId = ShapeId::from_static("smithy.api", "httpLabel");
/// `smithy.api#httpQuery`: a member bound to a query parameter (lower).
pub const HTTP_QUERY: ShapeId = ShapeId::from_static("smithy.api", "httpQuery");
/// `smithy.api#httpQueryParams`: a map member bound to all other query parameters (lower).
pub const HTTP_QUERY_PARAMS: ShapeId = ShapeId::from_static("smithy.api", "httpQueryParams");
/// `smithy.api#httpHeader`: a member bound to a header (lower).
pub const HTTP_HEADER: ShapeId = ShapeId::from_static("smithy.api", "httpHeader");
/// `smithy.api#httpPrefixHeaders`: a map member bound to headers with a prefix (lower).
pub const HTTP_PREFIX_HEADERS: ShapeId = ShapeId::from_static("smithy.api", "httpPrefixHeaders");
/// `smithy.api#httpPayload`: a member that is the whole body (lower).
pub const HTTP_PAYLOAD: ShapeId = ShapeId::from_static("smithy.api", "httpPayload");
/// `smithy.api#httpResponseCode`: a member bound to the response status code (lower).
pub const HTTP_RESPONSE_CODE: ShapeId = ShapeId::from_static("smithy.api", "httpResponseCode");
/// `smithy.api#jsonName`: the JSON key of a member (lower).
pub const JSON_NAME: ShapeId = ShapeId::from_static("smithy.api", "jsonName");
/// `smithy.api#timestampFormat`: how a timestamp is written on the wire (lower).
pub const TIMESTAMP_FORMAT: ShapeId = ShapeId::from_static("smithy.api", "timestampFormat");
/// `smithy.api#sparse`: lists and maps that may hold nulls (lower).
pub const SPARSE: ShapeId = ShapeId::from_static("smithy.api", "sparse");
/// `smithy.api#mediaType`: a string header carrying JSON is base64-encoded (lower).
pub const MEDIA_TYPE: ShapeId = ShapeId::from_static("smithy.api", "mediaType");
/// `smithy.api#input`: marks an operation input structure (lower).
pub const INPUT: ShapeId = ShapeId::from_static("smithy.api", "input");
/// `smithy.api#output`: marks an operation output structure (lower).
pub const OUTPUT: ShapeId = ShapeId::from_static("smithy.api", "output");
/// `smithy.api#unitType`: marks `smithy.api#Unit` (lower).
pub const UNIT_TYPE: ShapeId = ShapeId::from_static("smithy.api", "unitType");
/// `smithy.api#mixin`: marks mixin shapes, which are not generated (resolve, lower). Defined in
/// the model toolkit's prelude, which the resolve pass reads it from.
pub use crate::model::prelude::MIXIN;
/// `smithy.api#deprecated`: `#[deprecated]` on generated items (lower).
pub const DEPRECATED: ShapeId = ShapeId::from_static("smithy.api", "deprecated");
/// `smithy.api#title`: the service's human name, used in crate docs (lower).
pub const TITLE: ShapeId = ShapeId::from_static("smithy.api", "title");
/// `aws.protocols#restJson1`: the only protocol generated so far (lower).
pub const REST_JSON_1: ShapeId = ShapeId::from_static("aws.protocols", "restJson1");
/// `aws.auth#sigv4`: the SigV4 signing name (lower; used by the client).
pub const SIGV4: ShapeId = ShapeId::from_static("aws.auth", "sigv4");
/// `aws.api#service`: sdkId, endpointPrefix and arnNamespace (lower).
pub const AWS_SERVICE: ShapeId = ShapeId::from_static("aws.api", "service");
/// `smithy.rules#endpointRuleSet`: the endpoint rules, kept for the client (lower).
pub const ENDPOINT_RULE_SET: ShapeId = ShapeId::from_static("smithy.rules", "endpointRuleSet");
/// `smithy.rules#endpointTests`: endpoint test cases, kept for tests (lower).
pub const ENDPOINT_TESTS: ShapeId = ShapeId::from_static("smithy.rules", "endpointTests");
/// `smithy.api#uniqueItems`: server-side validation that list items differ (lower, emit types).
pub const UNIQUE_ITEMS: ShapeId = ShapeId::from_static("smithy.api", "uniqueItems");
/// `smithy.api#internal`: on enum values, left out of validation messages (lower).
pub const INTERNAL: ShapeId = ShapeId::from_static("smithy.api", "internal");
/// `smithy.api#endpoint`: the host prefix the client puts before the endpoint (lower, emit
/// client).
pub const ENDPOINT: ShapeId = ShapeId::from_static("smithy.api", "endpoint");
/// `smithy.api#hostLabel`: an input member whose value goes into the host prefix (lower).
pub const HOST_LABEL: ShapeId = ShapeId::from_static("smithy.api", "hostLabel");
/// `smithy.api#httpChecksumRequired`: the client sends `Content-MD5` (lower, runtime client).
pub const HTTP_CHECKSUM_REQUIRED: ShapeId = ShapeId::from_static("smithy.api", "httpChecksumRequired");
/// `smithy.api#requestCompression`: the client gzips large bodies, the server inflates them
/// (lower, runtime).
pub const REQUEST_COMPRESSION: ShapeId = ShapeId::from_static("smithy.api", "requestCompression");
/// `smithy.api#streaming`: on a blob, a `ByteStream` payload (lower); on a union, an event
/// stream, which is not implemented.
pub const STREAMING: ShapeId = ShapeId::from_static("smithy.api", "streaming");
/// `smithy.api#requiresLength`: a streaming blob whose length is sent (lower; the client
/// always knows it).
pub const REQUIRES_LENGTH: ShapeId = ShapeId::from_static("smithy.api", "requiresLength");
/// `smithy.api#paginated`: paginators on the client (lower/pagination, emit client).
pub const PAGINATED: ShapeId = ShapeId::from_static("smithy.api", "paginated");
/// `smithy.api#tags`: ignored, except `client-only` and `server-only` on operations, which limit
/// their protocol tests to one side (lower/protocol_tests).
pub const TAGS: ShapeId = ShapeId::from_static("smithy.api", "tags");
/// `smithy.api#suppress`: validator ids whose warnings the model silences (lower).
pub const SUPPRESS: ShapeId = ShapeId::from_static("smithy.api", "suppress");
/// `smithy.test#httpRequestTests`: request protocol tests, generated as tests (lower, emit).
pub const HTTP_REQUEST_TESTS: ShapeId = ShapeId::from_static("smithy.test", "httpRequestTests");
/// `smithy.test#httpResponseTests`: response protocol tests, generated as tests (lower, emit).
pub const HTTP_RESPONSE_TESTS: ShapeId = ShapeId::from_static("smithy.test", "httpResponseTests");
/// `smithy.test#httpMalformedRequestTests`: server rejection tests, generated (lower, emit).
pub const HTTP_MALFORMED_REQUEST_TESTS: ShapeId = ShapeId::from_static("smithy.test", "httpMalformedRequestTests");
/// `smithy.framework#ValidationException`: the standard error for constraint violations.
pub const VALIDATION_EXCEPTION: ShapeId = ShapeId::from_static("smithy.framework", "ValidationException");
