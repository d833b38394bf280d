$version: "2.0"

// The Amazon Connect operation GetFederationToken, modelled from its API reference page.
// Shape and member names match the official AWS model so that both lower to the same IR; the
// documentation is our own.
namespace com.amazonaws.connect

use aws.api#service
use aws.auth#sigv4
use aws.protocols#restJson1

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
