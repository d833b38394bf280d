//! Every Smithy trait the generator knows, and what it does with each.
//!
//! Search this folder for a trait's name to find how it is handled: the table below says, for
//! every trait, which pass reads it, or why it is safe to ignore, or why it is refused. The lower pass checks every
//! trait of every shape it reaches against this table: a trait marked [`Handling::Unsupported`]
//! is an error naming the shape and trait, and a trait the table does not know is a warning, so
//! a model never silently means something the generated code does not do.
//!
//! The ids of the traits the generator reads are `ShapeId` constants (in `ids.rs`), so a pass
//! looks a trait up with `traits.get(&t::HTTP)` without parsing text; their values are read by
//! the typed readers of `values.rs` ([`HttpTrait`], [`PaginatedTrait`], [`LengthTrait`], …).
//! Both are re-exported here.

mod ids;
mod values;
pub use ids::*;
pub use values::*;

/// What the generator does with a trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handling {
    /// Read by the generator; the text says where.
    Supported(&'static str),
    /// Safe to ignore for generated code; the text says why.
    Ignored(&'static str),
    /// Changes the wire format or behaviour in a way the generator does not implement yet.
    Unsupported(&'static str),
}

/// The table. Sorted by trait id.
pub const TABLE: &[(&str, Handling)] = {
    use Handling::{Ignored as I, Supported as S, Unsupported as U};
    &[
        ("aws.api#arn", I("documents ARN templates; no wire effect")),
        ("aws.api#arnReference", I("documents which strings are ARNs; no wire effect")),
        ("aws.api#clientDiscoveredEndpoint", U("endpoint discovery is not implemented")),
        ("aws.api#clientEndpointDiscovery", U("endpoint discovery is not implemented")),
        ("aws.api#controlPlane", I("classification only")),
        ("aws.api#data", I("classification only")),
        ("aws.api#dataPlane", I("classification only")),
        ("aws.api#service", S("lower: sdkId, endpointPrefix, arnNamespace")),
        ("aws.auth#cognitoUserPools", I("an alternative auth scheme; clients use SigV4")),
        ("aws.auth#sigv4", S("lower: signing name for the client")),
        ("aws.auth#unsignedPayload", U("unsigned payloads are not implemented")),
        ("aws.customizations#s3UnwrappedXmlOutput", U("S3 customisation")),
        ("aws.endpoints#dualStackOnlyEndpoints", I("endpoint rule set metadata")),
        ("aws.endpoints#rulesBasedEndpoints", I("endpoint rule set metadata")),
        ("aws.endpoints#standardPartitionalEndpoints", I("endpoint rule set metadata")),
        ("aws.endpoints#standardRegionalEndpoints", I("endpoint rule set metadata")),
        ("aws.protocols#awsJson1_0", I("another protocol the service also speaks; restJson1 is used")),
        ("aws.protocols#awsJson1_1", I("another protocol the service also speaks; restJson1 is used")),
        ("aws.protocols#awsQueryCompatible", U("awsQuery-compatible error codes are not implemented")),
        ("aws.protocols#awsQueryError", I("error code for the awsQuery protocol, which is not generated")),
        ("aws.protocols#httpChecksum", U("request and response checksums are not implemented")),
        ("aws.protocols#restJson1", S("lower: selects the restJson1 protocol")),
        ("smithy.api#addedDefault", I("documents that a default was added later")),
        ("smithy.api#auth", I("SigV4 is the only scheme clients use")),
        ("smithy.api#box", I("Smithy 1.0 nullability hint; members are optional unless required")),
        ("smithy.api#clientOptional", S("lower: keeps the member optional")),
        ("smithy.api#cors", I("browser CORS configuration; no effect on generated code")),
        ("smithy.api#default", S("lower: default values")),
        ("smithy.api#deprecated", S("lower: #[deprecated] on members")),
        ("smithy.api#documentation", S("lower: /// docs")),
        ("smithy.api#endpoint", S("lower, emit client: the host prefix of an operation's requests")),
        ("smithy.api#enum", S("lower: Smithy 1.0 string enums")),
        ("smithy.api#enumValue", S("lower: enum wire values")),
        ("smithy.api#error", S("lower: error structures")),
        ("smithy.api#eventHeader", U("event streams are not implemented")),
        ("smithy.api#eventPayload", U("event streams are not implemented")),
        ("smithy.api#examples", I("documentation examples")),
        ("smithy.api#externalDocumentation", I("links for documentation")),
        ("smithy.api#hostLabel", S("lower, emit client: a member's value in the host prefix")),
        ("smithy.api#http", S("lower: method, URI and status code")),
        ("smithy.api#httpChecksumRequired", S("lower: the client sends Content-MD5")),
        ("smithy.api#httpError", S("lower: error status codes")),
        ("smithy.api#httpHeader", S("lower: header bindings")),
        ("smithy.api#httpLabel", S("lower: URI label bindings")),
        ("smithy.api#httpPayload", S("lower: payload bindings")),
        ("smithy.api#httpPrefixHeaders", S("lower: prefix header bindings")),
        ("smithy.api#httpQuery", S("lower: query bindings")),
        ("smithy.api#httpQueryParams", S("lower: query map bindings")),
        ("smithy.api#httpResponseCode", S("lower: status code bindings")),
        ("smithy.api#idempotencyToken", S("lower: auto-filled tokens")),
        ("smithy.api#idempotent", I("retry classification is by error, not by operation")),
        ("smithy.api#input", S("lower: operation input structures")),
        ("smithy.api#internal", S("lower: internal enum values are left out of validation messages")),
        ("smithy.api#jsonName", S("lower: JSON keys")),
        ("smithy.api#length", S("lower: validation")),
        ("smithy.api#longPoll", I("a hint for timeouts")),
        ("smithy.api#mediaType", S("lower: base64 JSON headers")),
        ("smithy.api#mixin", S("resolve: mixins are copied into the shapes that use them")),
        ("smithy.api#nestedProperties", I("resource property mapping")),
        ("smithy.api#noReplace", I("resource lifecycle metadata")),
        ("smithy.api#notProperty", I("resource property mapping")),
        ("smithy.api#optionalAuth", I("auth is configured on the client")),
        ("smithy.api#output", S("lower: operation output structures")),
        ("smithy.api#paginated", S("lower/pagination: `into_paginator()` on the client's fluent builders")),
        ("smithy.api#pattern", S("lower: validation")),
        ("smithy.api#private", I("model visibility only")),
        ("smithy.api#property", I("resource property mapping")),
        ("smithy.api#protocolDefinition", I("trait definition metadata")),
        ("smithy.api#range", S("lower: validation")),
        ("smithy.api#readonly", I("retry classification is by error, not by operation")),
        ("smithy.api#recommended", I("model guidance only")),
        ("smithy.api#references", I("resource references")),
        ("smithy.api#requestCompression", S("lower: the client gzips large bodies, the server inflates them")),
        ("smithy.api#required", S("lower: required members")),
        ("smithy.api#requiresLength", S("lower: a streaming payload sent with its Content-Length")),
        ("smithy.api#resourceIdentifier", I("resource identifier mapping")),
        ("smithy.api#retryable", S("lower: retryable errors")),
        ("smithy.api#sensitive", S("lower: redacted Debug")),
        ("smithy.api#since", I("documentation")),
        ("smithy.api#sparse", S("lower: sparse lists and maps")),
        ("smithy.api#streaming", S("lower: blobs are ByteStream payloads; unions (event streams) are refused")),
        ("smithy.api#suppress", S("lower: silences the warnings of the validators it names")),
        ("smithy.api#tags", S("lower/protocol_tests: `client-only` and `server-only` operations")),
        ("smithy.api#timestampFormat", S("lower: timestamp formats")),
        ("smithy.api#title", S("lower: crate docs")),
        ("smithy.api#trait", I("trait definitions are not generated")),
        ("smithy.api#uniqueItems", S("lower: validation that list items differ (lists stay Vec)")),
        ("smithy.api#unitType", S("lower: Unit")),
        ("smithy.api#unstable", I("documentation")),
        ("smithy.api#xmlAttribute", I("XML protocols only")),
        ("smithy.api#xmlFlattened", I("XML protocols only")),
        ("smithy.api#xmlName", I("XML protocols only")),
        ("smithy.api#xmlNamespace", I("XML protocols only")),
        ("smithy.rules#clientContextParams", I("endpoint rule parameters")),
        ("smithy.rules#contextParam", I("endpoint rule parameters")),
        ("smithy.rules#endpointRuleSet", S("lower: endpoint rules")),
        ("smithy.rules#endpointTests", S("lower: endpoint tests")),
        ("smithy.rules#operationContextParams", I("endpoint rule parameters")),
        ("smithy.rules#staticContextParams", I("endpoint rule parameters")),
        ("smithy.test#eventStreamTests", I("event stream protocol tests; event streams are not generated")),
        ("smithy.test#httpMalformedRequestTests", S("lower/protocol_tests: generated server tests")),
        ("smithy.test#httpRequestTests", S("lower/protocol_tests: generated client and server tests")),
        ("smithy.test#httpResponseTests", S("lower/protocol_tests: generated client and server tests")),
        ("smithy.waiters#waitable", I("waiters are not generated")),
    ]
};

/// How the generator handles a trait, or `None` when it does not know it.
pub fn handling(trait_id: &str) -> Option<Handling> {
    TABLE.binary_search_by(|(id, _)| (*id).cmp(trait_id)).ok().map(|i| TABLE[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shape_id::ShapeId;

    #[test]
    fn table_is_sorted_without_duplicates() {
        for pair in TABLE.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} must sort before {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn every_constant_is_in_the_table() {
        for id in [
            DOCUMENTATION,
            REQUIRED,
            DEFAULT,
            CLIENT_OPTIONAL,
            SENSITIVE,
            LENGTH,
            RANGE,
            PATTERN,
            ENUM_VALUE,
            ENUM,
            ERROR,
            HTTP_ERROR,
            RETRYABLE,
            IDEMPOTENCY_TOKEN,
            HTTP,
            HTTP_LABEL,
            HTTP_QUERY,
            HTTP_QUERY_PARAMS,
            HTTP_HEADER,
            HTTP_PREFIX_HEADERS,
            HTTP_PAYLOAD,
            HTTP_RESPONSE_CODE,
            JSON_NAME,
            TIMESTAMP_FORMAT,
            SPARSE,
            MEDIA_TYPE,
            INPUT,
            OUTPUT,
            UNIT_TYPE,
            MIXIN,
            DEPRECATED,
            TITLE,
            REST_JSON_1,
            SIGV4,
            AWS_SERVICE,
            ENDPOINT_RULE_SET,
            ENDPOINT_TESTS,
            HTTP_REQUEST_TESTS,
            HTTP_RESPONSE_TESTS,
            TAGS,
            SUPPRESS,
            UNIQUE_ITEMS,
            INTERNAL,
            ENDPOINT,
            HOST_LABEL,
            HTTP_CHECKSUM_REQUIRED,
            REQUEST_COMPRESSION,
            STREAMING,
            REQUIRES_LENGTH,
            PAGINATED,
            HTTP_MALFORMED_REQUEST_TESTS,
        ] {
            let text = id.to_string();
            assert!(matches!(handling(&text), Some(Handling::Supported(_))), "{id}");
            assert_eq!(ShapeId::parse(&text).as_ref(), Ok(&id), "a constant must be a valid shape id");
        }
    }
}
