$version: "2.0"

// The Amazon Connect operation GetFederationToken, modelled from its API reference page.
// Shape and member names match the official AWS model so that both lower to the same IR; the
// documentation is our own.
namespace com.amazonaws.connect

use aws.api#service
use aws.auth#sigv4
use aws.protocols#restJson1
use smithy.rules#endpointRuleSet
use smithy.rules#endpointTests

/// Amazon Connect is a cloud contact center. This model describes the part of its API that
/// issues federation tokens for SAML sign-in.
@title("Amazon Connect Service")
@restJson1
@sigv4(name: "connect")
@service(
    sdkId: "Connect"
    arnNamespace: "connect"
    cloudFormationName: "Connect"
    cloudTrailEventSource: "connect.amazonaws.com"
    endpointPrefix: "connect"
)
// Where Amazon Connect lives, written from AWS's published endpoint facts: the regional
// endpoint is `connect.{region}.{partition DNS suffix}`, FIPS endpoints are `connect-fips.…`,
// dual-stack (IPv4 and IPv6) endpoints use the partition's dual-stack suffix, and in AWS
// GovCloud (US) the regional endpoints are themselves the FIPS endpoints.
@endpointRuleSet({
    version: "1.1"
    parameters: {
        Region: {
            type: "string"
            builtIn: "AWS::Region"
            required: false
            documentation: "The AWS region to send the request to, e.g. `us-east-1`."
        }
        UseFIPS: {
            type: "boolean"
            builtIn: "AWS::UseFIPS"
            required: true
            default: false
            documentation: "Send the request to a FIPS 140 validated endpoint; an error where the partition has none."
        }
        UseDualStack: {
            type: "boolean"
            builtIn: "AWS::UseDualStack"
            required: true
            default: false
            documentation: "Send the request to an endpoint that answers over IPv4 and IPv6; an error where the partition has none."
        }
        Endpoint: {
            type: "string"
            builtIn: "SDK::Endpoint"
            required: false
            documentation: "A URL that replaces the resolved endpoint, e.g. a local test server."
        }
    }
    rules: [
        {
            documentation: "A custom endpoint is used as given: FIPS and dual-stack cannot be promised for it."
            type: "tree"
            conditions: [
                { fn: "isSet", argv: [{ ref: "Endpoint" }] }
            ]
            rules: [
                {
                    type: "error"
                    conditions: [
                        { fn: "booleanEquals", argv: [{ ref: "UseFIPS" }, true] }
                    ]
                    error: "Invalid Configuration: FIPS and custom endpoint are not supported"
                }
                {
                    type: "error"
                    conditions: [
                        { fn: "booleanEquals", argv: [{ ref: "UseDualStack" }, true] }
                    ]
                    error: "Invalid Configuration: Dualstack and custom endpoint are not supported"
                }
                {
                    type: "endpoint"
                    conditions: []
                    endpoint: { url: { ref: "Endpoint" } }
                }
            ]
        }
        {
            documentation: "Without a custom endpoint, the region decides."
            type: "error"
            conditions: [
                { fn: "not", argv: [{ fn: "isSet", argv: [{ ref: "Region" }] }] }
            ]
            error: "Invalid Configuration: Missing Region"
        }
        {
            documentation: "The region becomes a DNS label of the host name."
            type: "error"
            conditions: [
                { fn: "not", argv: [{ fn: "isValidHostLabel", argv: [{ ref: "Region" }, false] }] }
            ]
            error: "Invalid Configuration: the region `{Region}` is not a valid DNS host label"
        }
        {
            documentation: "The region's partition gives the DNS suffixes and what the partition supports."
            type: "tree"
            conditions: [
                { fn: "aws.partition", argv: [{ ref: "Region" }], assign: "Partition" }
            ]
            rules: [
                {
                    type: "error"
                    conditions: [
                        { fn: "booleanEquals", argv: [{ ref: "UseFIPS" }, true] }
                        { fn: "booleanEquals", argv: [{ fn: "getAttr", argv: [{ ref: "Partition" }, "supportsFIPS"] }, false] }
                    ]
                    error: "FIPS is enabled but the {Partition#name} partition has no FIPS endpoints"
                }
                {
                    type: "error"
                    conditions: [
                        { fn: "booleanEquals", argv: [{ ref: "UseDualStack" }, true] }
                        { fn: "booleanEquals", argv: [{ fn: "getAttr", argv: [{ ref: "Partition" }, "supportsDualStack"] }, false] }
                    ]
                    error: "DualStack is enabled but the {Partition#name} partition has no dual-stack endpoints"
                }
                {
                    documentation: "AWS GovCloud (US): the regional IPv4 endpoints are the FIPS endpoints."
                    type: "endpoint"
                    conditions: [
                        { fn: "stringEquals", argv: [{ fn: "getAttr", argv: [{ ref: "Partition" }, "name"] }, "aws-us-gov"] }
                        { fn: "booleanEquals", argv: [{ ref: "UseFIPS" }, true] }
                        { fn: "booleanEquals", argv: [{ ref: "UseDualStack" }, false] }
                    ]
                    endpoint: { url: "https://connect.{Region}.{Partition#dnsSuffix}" }
                }
                {
                    documentation: "connect or connect-fips, in the region, under the plain or the dual-stack suffix."
                    type: "endpoint"
                    conditions: [
                        { fn: "ite", argv: [{ ref: "UseFIPS" }, "connect-fips", "connect"], assign: "Service" }
                        {
                            fn: "ite"
                            argv: [
                                { ref: "UseDualStack" }
                                { fn: "getAttr", argv: [{ ref: "Partition" }, "dualStackDnsSuffix"] }
                                { fn: "getAttr", argv: [{ ref: "Partition" }, "dnsSuffix"] }
                            ]
                            assign: "DnsSuffix"
                        }
                    ]
                    endpoint: { url: "https://{Service}.{Region}.{DnsSuffix}" }
                }
            ]
        }
    ]
})
@endpointTests(
    version: "1.0"
    testCases: [
        {
            documentation: "us-east-1: the regional endpoint"
            params: { Region: "us-east-1", UseFIPS: false, UseDualStack: false }
            expect: { endpoint: { url: "https://connect.us-east-1.amazonaws.com" } }
        }
        {
            documentation: "us-east-1 with FIPS"
            params: { Region: "us-east-1", UseFIPS: true, UseDualStack: false }
            expect: { endpoint: { url: "https://connect-fips.us-east-1.amazonaws.com" } }
        }
        {
            documentation: "us-east-1 with dual-stack"
            params: { Region: "us-east-1", UseFIPS: false, UseDualStack: true }
            expect: { endpoint: { url: "https://connect.us-east-1.api.aws" } }
        }
        {
            documentation: "us-east-1 with FIPS and dual-stack"
            params: { Region: "us-east-1", UseFIPS: true, UseDualStack: true }
            expect: { endpoint: { url: "https://connect-fips.us-east-1.api.aws" } }
        }
        {
            documentation: "FIPS and dual-stack default to off"
            params: { Region: "eu-west-2" }
            expect: { endpoint: { url: "https://connect.eu-west-2.amazonaws.com" } }
        }
        {
            documentation: "a region AWS has not listed yet resolves by its name's pattern"
            params: { Region: "ap-southeast-9" }
            expect: { endpoint: { url: "https://connect.ap-southeast-9.amazonaws.com" } }
        }
        {
            documentation: "China (Beijing): the aws-cn DNS suffix"
            params: { Region: "cn-north-1" }
            expect: { endpoint: { url: "https://connect.cn-north-1.amazonaws.com.cn" } }
        }
        {
            documentation: "China (Ningxia) with dual-stack"
            params: { Region: "cn-northwest-1", UseDualStack: true }
            expect: { endpoint: { url: "https://connect.cn-northwest-1.api.amazonwebservices.com.cn" } }
        }
        {
            documentation: "GovCloud (US-West): the regional endpoint"
            params: { Region: "us-gov-west-1" }
            expect: { endpoint: { url: "https://connect.us-gov-west-1.amazonaws.com" } }
        }
        {
            documentation: "GovCloud (US-West) with FIPS: the regional endpoint is the FIPS one"
            params: { Region: "us-gov-west-1", UseFIPS: true }
            expect: { endpoint: { url: "https://connect.us-gov-west-1.amazonaws.com" } }
        }
        {
            documentation: "GovCloud (US-East) with FIPS and dual-stack"
            params: { Region: "us-gov-east-1", UseFIPS: true, UseDualStack: true }
            expect: { endpoint: { url: "https://connect-fips.us-gov-east-1.api.aws" } }
        }
        {
            documentation: "US ISO East: the aws-iso DNS suffix"
            params: { Region: "us-iso-east-1" }
            expect: { endpoint: { url: "https://connect.us-iso-east-1.c2s.ic.gov" } }
        }
        {
            documentation: "US ISO East with FIPS"
            params: { Region: "us-iso-east-1", UseFIPS: true }
            expect: { endpoint: { url: "https://connect-fips.us-iso-east-1.c2s.ic.gov" } }
        }
        {
            documentation: "US ISO East has no dual-stack endpoints"
            params: { Region: "us-iso-east-1", UseDualStack: true }
            expect: { error: "DualStack is enabled but the aws-iso partition has no dual-stack endpoints" }
        }
        {
            documentation: "US ISOB East has no dual-stack endpoints, with FIPS too"
            params: { Region: "us-isob-east-1", UseFIPS: true, UseDualStack: true }
            expect: { error: "DualStack is enabled but the aws-iso-b partition has no dual-stack endpoints" }
        }
        {
            documentation: "EU ISOE West: the aws-iso-e DNS suffix"
            params: { Region: "eu-isoe-west-1" }
            expect: { endpoint: { url: "https://connect.eu-isoe-west-1.cloud.adc-e.uk" } }
        }
        {
            documentation: "US ISOF South: the aws-iso-f DNS suffix"
            params: { Region: "us-isof-south-1" }
            expect: { endpoint: { url: "https://connect.us-isof-south-1.csp.hci.ic.gov" } }
        }
        {
            documentation: "EU (Germany) sovereign cloud: the aws-eusc DNS suffix"
            params: { Region: "eusc-de-east-1" }
            expect: { endpoint: { url: "https://connect.eusc-de-east-1.amazonaws.eu" } }
        }
        {
            documentation: "a custom endpoint with a region"
            params: { Region: "us-east-1", Endpoint: "http://127.0.0.1:4566" }
            expect: { endpoint: { url: "http://127.0.0.1:4566" } }
        }
        {
            documentation: "a custom endpoint without a region"
            params: { Endpoint: "http://127.0.0.1:4566" }
            expect: { endpoint: { url: "http://127.0.0.1:4566" } }
        }
        {
            documentation: "a custom endpoint with FIPS is an error"
            params: { Region: "us-east-1", UseFIPS: true, Endpoint: "http://127.0.0.1:4566" }
            expect: { error: "Invalid Configuration: FIPS and custom endpoint are not supported" }
        }
        {
            documentation: "a custom endpoint with dual-stack is an error"
            params: { Region: "us-east-1", UseDualStack: true, Endpoint: "http://127.0.0.1:4566" }
            expect: { error: "Invalid Configuration: Dualstack and custom endpoint are not supported" }
        }
        {
            documentation: "no region and no custom endpoint is an error"
            params: { UseFIPS: false, UseDualStack: false }
            expect: { error: "Invalid Configuration: Missing Region" }
        }
        {
            documentation: "a region that is not a DNS label is an error"
            params: { Region: "us-east-1.evil.example" }
            expect: { error: "Invalid Configuration: the region `us-east-1.evil.example` is not a valid DNS host label" }
        }
    ]
)
service AmazonConnectService {
    version: "2017-08-08"
    operations: [
        GetFederationToken
    ]
}

/// Returns a federation token for the Amazon Connect user that matches the IAM identity
/// that signed the request, so that the user can sign in to the instance through SAML.
///
/// Root credentials cannot be federated: calling this operation with them fails with a
/// message of the form "Provided identity: Principal: ... User: ... cannot be used for
/// federation with Amazon Connect".
@http(method: "GET", uri: "/user/federate/{InstanceId}", code: 200)
operation GetFederationToken {
    input: GetFederationTokenRequest
    output: GetFederationTokenResponse
    errors: [
        DuplicateResourceException
        InternalServiceException
        InvalidParameterException
        InvalidRequestException
        ResourceNotFoundException
        UserNotFoundException
    ]
}

@input
structure GetFederationTokenRequest {
    /// The Amazon Connect instance to federate into. Its identifier is the last part of the
    /// instance ARN.
    @httpLabel
    @required
    InstanceId: InstanceId
}

@output
structure GetFederationTokenResponse {
    /// The tokens the federated user signs in with.
    Credentials: Credentials

    /// Where the user signs in to the instance.
    SignInUrl: Url

    /// The ARN of the Connect user the tokens were issued for.
    UserArn: ARN

    /// The user's identifier: its ID or its ARN.
    UserId: AgentResourceId
}

/// Tokens for a federated sign-in, each with the instant it stops being valid. Secret as a
/// whole: never logged or printed.
@sensitive
structure Credentials {
    /// The token that gives the federated user access to Amazon Connect.
    AccessToken: SecurityToken

    /// When the access token expires.
    AccessTokenExpiration: Timestamp

    /// The token that renews the session once the access token has expired.
    RefreshToken: SecurityToken

    /// When the refresh token expires.
    RefreshTokenExpiration: Timestamp
}

/// A secret token.
@sensitive
string SecurityToken

/// An instant. In a JSON body it travels as seconds since the Unix epoch.
timestamp Timestamp

/// A URL.
string Url

/// An Amazon Resource Name.
string ARN

/// The identifier of an Amazon Connect instance.
@length(min: 1, max: 100)
string InstanceId

/// The identifier of an agent (user): its ID or its ARN.
@length(min: 1, max: 256)
string AgentResourceId

/// A human-readable error message.
string Message

/// A resource with that name already exists.
@error("client")
@httpError(409)
structure DuplicateResourceException {
    Message: Message
}

/// The service failed to process the request.
@error("server")
@httpError(500)
structure InternalServiceException {
    /// What went wrong.
    Message: Message
}

/// A request parameter is not valid.
@error("client")
@httpError(400)
structure InvalidParameterException {
    /// Which parameter is wrong and why.
    Message: Message
}

/// The request is not valid.
@error("client")
@httpError(400)
structure InvalidRequestException {
    /// Why the request is not valid.
    Message: Message

    Reason: InvalidRequestExceptionReason
}

/// The specific reason a request was found not valid.
union InvalidRequestExceptionReason {
    /// What is wrong with an attached file.
    AttachedFileInvalidRequestExceptionReason: AttachedFileInvalidRequestExceptionReason
}

/// What can be wrong with an attached file.
enum AttachedFileInvalidRequestExceptionReason {
    INVALID_FILE_SIZE
    INVALID_FILE_TYPE
    INVALID_FILE_NAME
}

/// No such resource exists.
@error("client")
@httpError(404)
structure ResourceNotFoundException {
    /// Which resource was not found.
    Message: Message
}

/// The instance has no user for the IAM identity that signed the request.
@error("client")
@httpError(404)
structure UserNotFoundException {
    Message: Message
}
