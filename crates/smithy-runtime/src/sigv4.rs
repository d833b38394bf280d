//! AWS Signature Version 4, both ways: [`sign`] an outgoing request (the client does, once per
//! attempt) and [`verify`] an incoming one (a server standing in for AWS, such as a mock, does).
//!
//! All the signing math is the `aws-sigv4` crate's, the one the AWS SDK for Rust uses: [`sign`]
//! hands it the request, and [`verify`] hands it the request as received (the headers the client
//! listed in `SignedHeaders`, the body, the time of `X-Amz-Date`) with the secret the server knows
//! for the access key, then compares the two signatures in constant time.
//!
//! Headers are signed, not the query string (`Authorization`, `X-Amz-Date`, and
//! `X-Amz-Security-Token` for temporary credentials). No `x-amz-content-sha256` header is added:
//! only S3-style services require it; [`verify`] accepts requests that carry it signed.
//!
//! Secrets stay secret: no error, `Debug` or log line here contains a secret key, a session token
//! or a signature. Access key ids are identifiers, not secrets, and do appear.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SessionTokenMode, SignableBody, SignableRequest, SigningSettings, sign as sigv4_sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http::HeaderMap;
use http::header::{AUTHORIZATION, HOST};
use subtle::ConstantTimeEq;

use crate::error::BoxError;

/// The SigV4 algorithm name, first in the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The header with the signing time, `20150830T123600Z`.
pub const X_AMZ_DATE: &str = "x-amz-date";
/// The header with the session token of temporary credentials.
pub const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
/// The header with the payload hash (S3-style services).
pub const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
/// How far AWS lets a request's signing time be from its own clock.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// A request that could not be signed. Says why, never with a secret.
#[derive(Debug)]
pub struct SigningError(String);

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not sign the request: {}", self.0)
    }
}

impl std::error::Error for SigningError {}

/// The request's headers as `aws-sigv4` takes them (every value must be text).
fn header_pairs(headers: &HeaderMap) -> Result<Vec<(&str, &str)>, SigningError> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = value
                .to_str()
                .map_err(|_| SigningError(format!("the value of header `{name}` is not visible ASCII")))?;
            Ok((name.as_str(), value))
        })
        .collect()
}

/// Signs `request` for `service` (the signing name, `connect`) in `region` at `time`, with the
/// headers `Authorization`, `X-Amz-Date` and, for temporary credentials, `X-Amz-Security-Token`.
///
/// The URI must be absolute (its host is signed). Signing again (a retry) replaces the previous
/// signature. `Authorization` and `X-Amz-Security-Token` are marked sensitive, so `http`'s
/// `Debug` of the request hides them.
pub fn sign(
    request: &mut http::Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), BoxError> {
    sign_inner(request, credentials, region, service, time).map_err(|e| std::sync::Arc::new(e) as BoxError)
}

fn sign_inner(
    request: &mut http::Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), SigningError> {
    if request.uri().host().is_none_or(str::is_empty) && !request.headers().contains_key(HOST) {
        return Err(SigningError(format!("the URI `{}` has no host", request.uri())));
    }
    // A request signed before (an earlier attempt) is signed afresh.
    for stale in [AUTHORIZATION.as_str(), X_AMZ_DATE, X_AMZ_SECURITY_TOKEN] {
        request.headers_mut().remove(stale);
    }
    let identity: Identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| SigningError(e.to_string()))?
        .into();
    let uri = request.uri().to_string();
    let instructions = {
        let headers = header_pairs(request.headers())?;
        let signable = SignableRequest::new(
            request.method().as_str(),
            uri.as_str(),
            headers.into_iter(),
            SignableBody::Bytes(request.body()),
        )
        .map_err(|e| SigningError(e.to_string()))?;
        sigv4_sign(signable, &params).map_err(|e| SigningError(e.to_string()))?.into_parts().0
    };
    instructions.apply_to_request_http1x(request);
    if let Some(auth) = request.headers_mut().get_mut(AUTHORIZATION) {
        auth.set_sensitive(true);
    }
    Ok(())
}

/// Why [`verify`] refused a request, with the error code AWS answers in each case (all with
/// HTTP 403). `Display` gives the code and AWS's message; nothing here holds a secret or a
/// signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// No `Authorization` header: `MissingAuthenticationTokenException`.
    MissingAuthentication,
    /// An `Authorization` header that is not a well-formed SigV4 one, or no `X-Amz-Date`:
    /// `IncompleteSignatureException`.
    Malformed {
        /// What is wrong with it.
        reason: String,
    },
    /// The access key is not one the server knows: `UnrecognizedClientException`.
    UnknownAccessKey {
        /// The access key id of the request.
        access_key_id: String,
    },
    /// The signature is not the one the secret gives: `InvalidSignatureException`.
    SignatureMismatch {
        /// Why, when more can be said than "it differs" (a signed header missing, say).
        reason: Option<String>,
    },
    /// The signing time is further than the allowed skew from the server's clock:
    /// `InvalidSignatureException` with a "Signature expired" (or "not yet current") message.
    SignatureExpired {
        /// When the request says it was signed (`X-Amz-Date`).
        signed_at: SystemTime,
        /// The server's time.
        now: SystemTime,
        /// The largest difference allowed.
        max_skew: Duration,
    },
}

impl VerifyError {
    /// The error code AWS answers with (the `x-amzn-ErrorType` of the 403 response).
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::MissingAuthentication => "MissingAuthenticationTokenException",
            VerifyError::Malformed { .. } => "IncompleteSignatureException",
            VerifyError::UnknownAccessKey { .. } => "UnrecognizedClientException",
            VerifyError::SignatureMismatch { .. } | VerifyError::SignatureExpired { .. } => "InvalidSignatureException",
        }
    }

    /// The HTTP status AWS answers with: 403 for all of them.
    pub fn status(&self) -> u16 {
        403
    }

    /// The message AWS answers with.
    pub fn message(&self) -> String {
        match self {
            VerifyError::MissingAuthentication => "Missing Authentication Token".to_owned(),
            VerifyError::Malformed { reason } => reason.clone(),
            VerifyError::UnknownAccessKey { .. } => "The security token included in the request is invalid.".to_owned(),
            VerifyError::SignatureMismatch { reason } => {
                let mut m = "The request signature we calculated does not match the signature you provided. \
                             Check your AWS Secret Access Key and signing method. Consult the service \
                             documentation for details."
                    .to_owned();
                if let Some(r) = reason {
                    m.push(' ');
                    m.push_str(r);
                }
                m
            }
            VerifyError::SignatureExpired { signed_at, now, max_skew } => {
                let skew = if max_skew.as_secs() % 60 == 0 {
                    format!("{} min.", max_skew.as_secs() / 60)
                } else {
                    format!("{} sec.", max_skew.as_secs())
                };
                if signed_at < now {
                    format!(
                        "Signature expired: {} is now earlier than {} ({} - {skew})",
                        format_amz_date(*signed_at),
                        format_amz_date(now.checked_sub(*max_skew).unwrap_or(*now)),
                        format_amz_date(*now),
                    )
                } else {
                    format!(
                        "Signature not yet current: {} is still later than {} ({} + {skew})",
                        format_amz_date(*signed_at),
                        format_amz_date(now.checked_add(*max_skew).unwrap_or(*now)),
                        format_amz_date(*now),
                    )
                }
            }
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for VerifyError {}

fn malformed(reason: impl Into<String>) -> VerifyError {
    VerifyError::Malformed { reason: reason.into() }
}

fn mismatch(reason: impl Into<String>) -> VerifyError {
    VerifyError::SignatureMismatch { reason: Some(reason.into()) }
}

/// Who signed a request that [`verify`] accepted.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedIdentity {
    /// The access key id.
    pub access_key_id: String,
    /// The region of the credential scope.
    pub region: String,
    /// The service (signing name) of the credential scope.
    pub service: String,
    /// When the request was signed (`X-Amz-Date`).
    pub signed_at: SystemTime,
    /// The headers the signature covers, lower case, sorted.
    pub signed_headers: Vec<String>,
    /// The session token of temporary credentials (`X-Amz-Security-Token`); redacted in `Debug`.
    pub session_token: Option<String>,
}

impl fmt::Debug for VerifiedIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedIdentity")
            .field("access_key_id", &self.access_key_id)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("signed_at", &format_amz_date(self.signed_at))
            .field("signed_headers", &self.signed_headers)
            .field("session_token", &self.session_token.as_ref().map(|_| crate::REDACTED))
            .finish()
    }
}

/// The parts of a SigV4 `Authorization` header. The signature is kept but never shown:
/// `Debug` redacts it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authorization {
    /// The access key id (`Credential=AKID/...`).
    pub access_key_id: String,
    /// The date of the credential scope, `YYYYMMDD`.
    pub date: String,
    /// The region of the credential scope.
    pub region: String,
    /// The service of the credential scope.
    pub service: String,
    /// `SignedHeaders`, as listed.
    pub signed_headers: Vec<String>,
    signature: String,
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("access_key_id", &self.access_key_id)
            .field("date", &self.date)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &crate::REDACTED)
            .finish()
    }
}

/// A parsed header, borrowing from the text.
struct Parsed<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_header(value: &str) -> Result<Parsed<'_>, VerifyError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|r| r.starts_with([' ', '\t']))
        .ok_or_else(|| malformed(format!("Authorization header requires the algorithm `{ALGORITHM}`.")))?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, val) = part
            .split_once('=')
            .ok_or_else(|| malformed("Authorization header parameters must have the form `Name=value`."))?;
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return Err(malformed("Authorization header has an unknown parameter.")),
        };
        if slot.replace(val.trim()).is_some() {
            return Err(malformed(format!("Authorization header has `{}` twice.", key.trim())));
        }
    }
    let mut missing = Vec::new();
    for (name, v) in [("Credential", &credential), ("SignedHeaders", &signed_headers), ("Signature", &signature)] {
        if v.is_none_or(str::is_empty) {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    if !missing.is_empty() {
        return Err(malformed(missing.join(" ")));
    }
    let (credential, signed_headers, signature) =
        (credential.unwrap_or_default(), signed_headers.unwrap_or_default(), signature.unwrap_or_default());
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(malformed(
            "Credential should have the form `<access key id>/<date>/<region>/<service>/aws4_request`.",
        ));
    };
    if access_key_id.is_empty() || region.is_empty() || service.is_empty() || terminator != "aws4_request" {
        return Err(malformed(
            "Credential should have the form `<access key id>/<date>/<region>/<service>/aws4_request`.",
        ));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("The date of the Credential scope should have the form YYYYMMDD."));
    }
    Ok(Parsed { access_key_id, date, region, service, signed_headers, signature })
}

/// Parses a SigV4 `Authorization` header value, without checking the signature.
pub fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let p = parse_header(value)?;
    Ok(Authorization {
        access_key_id: p.access_key_id.to_owned(),
        date: p.date.to_owned(),
        region: p.region.to_owned(),
        service: p.service.to_owned(),
        signed_headers: p.signed_headers.split(';').map(str::to_owned).collect(),
        signature: p.signature.to_owned(),
    })
}

/// The access key id of a request's SigV4 `Authorization` header, without checking the
/// signature: enough to tell callers apart, not to trust them.
pub fn access_key_id(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    parse_header(value).ok().map(|p| p.access_key_id)
}

/// `20150830T123600Z`.
pub fn format_amz_date(time: SystemTime) -> String {
    let t = time::OffsetDateTime::from(time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads `20150830T123600Z`.
pub fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().ok() } else { None }
    };
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let date = time::Date::from_calendar_date(
        i32::try_from(digits(0..4)?).ok()?,
        time::Month::try_from(u8::try_from(digits(4..6)?).ok()?).ok()?,
        u8::try_from(digits(6..8)?).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(digits(9..11)?).ok()?,
        u8::try_from(digits(11..13)?).ok()?,
        u8::try_from(digits(13..15)?).ok()?,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_utc().into())
}

/// Verifies the SigV4 signature of a request as a server receives it: `parts` (its URI may be
/// origin-form: the host comes from the `Host` header) and the whole `body`.
///
/// `lookup_secret` gives the secret access key of an access key id, or `None` for a key the
/// server does not know. The signing time (`X-Amz-Date`) must be within `max_skew` of `now`
/// (AWS allows [`DEFAULT_MAX_SKEW`]). The signature is recomputed with `aws-sigv4` over the
/// headers the request lists in `SignedHeaders` (which must include `host` and `x-amz-date`) and
/// compared in constant time.
///
/// The checks run in this order, so each error says the first thing wrong: a missing
/// `Authorization` header, a malformed one, an unknown access key, the time, the signature.
pub fn verify(
    request: &http::request::Parts,
    body: &[u8],
    lookup_secret: impl Fn(&str) -> Option<String>,
    now: SystemTime,
    max_skew: Duration,
) -> Result<VerifiedIdentity, VerifyError> {
    let headers = &request.headers;
    let mut auths = headers.get_all(AUTHORIZATION).iter();
    let auth = auths.next().ok_or(VerifyError::MissingAuthentication)?;
    if auths.next().is_some() {
        return Err(malformed("The request has more than one Authorization header."));
    }
    let auth = auth.to_str().map_err(|_| malformed("The Authorization header is not visible ASCII."))?;
    let parsed = parse_header(auth)?;

    let mut dates = headers.get_all(X_AMZ_DATE).iter();
    let (Some(date), None) = (dates.next(), dates.next()) else {
        return Err(malformed("Authorization header requires existence of exactly one 'X-Amz-Date' header."));
    };
    let date_text = date.to_str().unwrap_or_default();
    let signed_at = parse_amz_date(date_text).ok_or_else(|| {
        malformed("The X-Amz-Date header must have the form YYYYMMDD'T'HHMMSS'Z' (ISO 8601 basic format, UTC).")
    })?;

    let secret = lookup_secret(parsed.access_key_id)
        .ok_or_else(|| VerifyError::UnknownAccessKey { access_key_id: parsed.access_key_id.to_owned() })?;

    let skew = now.duration_since(signed_at).unwrap_or_else(|e| e.duration());
    if skew > max_skew {
        return Err(VerifyError::SignatureExpired { signed_at, now, max_skew });
    }
    if parsed.date != &date_text[..8] {
        return Err(mismatch(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'.",
            parsed.date,
            &date_text[..8]
        )));
    }

    let signed: Vec<&str> = parsed.signed_headers.split(';').collect();
    for required in [HOST.as_str(), X_AMZ_DATE] {
        if !signed.contains(&required) {
            return Err(mismatch(format!("The signed headers must include `{required}`.")));
        }
    }
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for &name in &signed {
        if name == AUTHORIZATION.as_str() {
            return Err(mismatch("The Authorization header cannot sign itself."));
        }
        let mut found = false;
        for value in headers.get_all(name) {
            let value = value.to_str().map_err(|_| mismatch(format!("The signed header `{name}` is not text.")))?;
            pairs.push((name, value));
            found = true;
        }
        if !found {
            match (name, request.uri.authority()) {
                ("host", Some(authority)) => pairs.push((name, authority.as_str())),
                _ => return Err(mismatch(format!("The signed header `{name}` is not in the request."))),
            }
        }
    }

    let token = headers.get(X_AMZ_SECURITY_TOKEN).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    if !signed.contains(&X_AMZ_SECURITY_TOKEN) {
        settings.session_token_mode = SessionTokenMode::Exclude;
    }
    let content_sha = signed
        .contains(&X_AMZ_CONTENT_SHA256)
        .then(|| headers.get(X_AMZ_CONTENT_SHA256).and_then(|v| v.to_str().ok()).unwrap_or_default());
    let signable_body = match content_sha {
        Some(hash) => {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
            if hash == "UNSIGNED-PAYLOAD" { SignableBody::UnsignedPayload } else { SignableBody::Bytes(body) }
        }
        None => SignableBody::Bytes(body),
    };

    let credentials = Credentials::new(parsed.access_key_id, secret, token.clone(), None, "verify");
    let identity: Identity = credentials.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(parsed.region)
        .name(parsed.service)
        .time(signed_at)
        .settings(settings)
        .build()
        .map_err(|_| mismatch("The credential scope cannot be signed for."))?
        .into();
    let path_and_query = request.uri.path_and_query().map_or("/", |p| p.as_str());
    let signable = SignableRequest::new(request.method.as_str(), path_and_query, pairs.into_iter(), signable_body)
        .map_err(|_| mismatch("The request URI cannot be signed."))?;
    let (instructions, expected) =
        sigv4_sign(signable, &params).map_err(|_| mismatch("The request cannot be signed."))?.into_parts();

    // The recomputed signature covers exactly the listed headers, or the request's list was not
    // the canonical one (sorted, lower case, no duplicates).
    let recomputed_list = instructions
        .headers()
        .find(|(name, _)| *name == AUTHORIZATION.as_str())
        .and_then(|(_, value)| parse_header(value).ok().map(|p| p.signed_headers.to_owned()));
    if recomputed_list.as_deref() != Some(parsed.signed_headers) {
        return Err(mismatch("SignedHeaders must be lower case, sorted, without duplicates."));
    }
    if !bool::from(expected.as_bytes().ct_eq(parsed.signature.as_bytes())) {
        return Err(VerifyError::SignatureMismatch { reason: None });
    }
    Ok(VerifiedIdentity {
        access_key_id: parsed.access_key_id.to_owned(),
        region: parsed.region.to_owned(),
        service: parsed.service.to_owned(),
        signed_at,
        signed_headers: signed.iter().map(|s| (*s).to_owned()).collect(),
        session_token: token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AKID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "SESSION-TOKEN-SECRET";

    /// 2015-08-30T12:36:00Z, the time of the AWS SigV4 test suite.
    fn t0() -> SystemTime {
        parse_amz_date("20150830T123600Z").unwrap()
    }

    fn creds(token: Option<&str>) -> Credentials {
        Credentials::new(AKID, SECRET, token.map(str::to_owned), None, "test")
    }

    fn lookup(key: &str) -> Option<String> {
        (key == AKID).then(|| SECRET.to_owned())
    }

    fn request(method: &str, uri: &str, body: &str) -> http::Request<Bytes> {
        http::Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .header("user-agent", "connect-client/0.1.0")
            .body(Bytes::from(body.to_owned()))
            .unwrap()
    }

    fn signed(method: &str, uri: &str, body: &str, token: Option<&str>) -> http::Request<Bytes> {
        let mut req = request(method, uri, body);
        sign(&mut req, &creds(token), "us-east-1", "connect", t0()).unwrap();
        req
    }

    /// The request as a server receives it: origin-form URI, the host in `Host`.
    fn received(req: &http::Request<Bytes>) -> (http::request::Parts, Bytes) {
        let mut builder = http::Request::builder()
            .method(req.method())
            .uri(req.uri().path_and_query().unwrap().as_str())
            .header("host", req.uri().authority().unwrap().as_str());
        for (k, v) in req.headers() {
            builder = builder.header(k, v);
        }
        let (parts, ()) = builder.body(()).unwrap().into_parts();
        (parts, req.body().clone())
    }

    fn check(req: &http::Request<Bytes>, now: SystemTime) -> Result<VerifiedIdentity, VerifyError> {
        let (parts, body) = received(req);
        verify(&parts, &body, lookup, now, DEFAULT_MAX_SKEW)
    }

    fn auth(req: &http::Request<Bytes>) -> &str {
        req.headers()[AUTHORIZATION].to_str().unwrap()
    }

    #[test]
    fn signing_matches_the_aws_sigv4_test_suite() {
        // `get-vanilla` from the AWS SigV4 test suite.
        let mut req = http::Request::builder().uri("https://example.amazonaws.com/").body(Bytes::new()).unwrap();
        sign(&mut req, &creds(None), "us-east-1", "service", t0()).unwrap();
        assert_eq!(
            auth(&req),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(req.headers()[X_AMZ_DATE], "20150830T123600Z");
        assert!(!req.headers().contains_key(X_AMZ_CONTENT_SHA256), "no payload hash header for Connect");
    }

    #[test]
    fn signing_matches_aws_sigv4_on_the_same_request() {
        for token in [None, Some(TOKEN)] {
            let ours =
                signed("POST", "https://connect.us-east-1.amazonaws.com/users/i%2Fd?b=2&a=1", "{\"x\":1}", token);

            let plain = request("POST", "https://connect.us-east-1.amazonaws.com/users/i%2Fd?b=2&a=1", "{\"x\":1}");
            let identity = creds(token).into();
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("connect")
                .time(t0())
                .settings(SigningSettings::default())
                .build()
                .unwrap()
                .into();
            let headers: Vec<(&str, &str)> =
                plain.headers().iter().map(|(k, v)| (k.as_str(), v.to_str().unwrap())).collect();
            let uri = plain.uri().to_string();
            let signable =
                SignableRequest::new("POST", uri.as_str(), headers.into_iter(), SignableBody::Bytes(plain.body()))
                    .unwrap();
            let (instructions, _) = sigv4_sign(signable, &params).unwrap().into_parts();
            let mut reference = plain.clone();
            instructions.apply_to_request_http1x(&mut reference);

            assert_eq!(auth(&ours), auth(&reference));
            assert_eq!(ours.headers()[X_AMZ_DATE], reference.headers()[X_AMZ_DATE]);
            assert_eq!(
                ours.headers().get(X_AMZ_SECURITY_TOKEN).map(|v| v.to_str().unwrap()),
                token,
                "the session token is carried"
            );
        }
    }

    #[test]
    fn signed_requests_verify() {
        let req = signed("POST", "https://connect.us-east-1.amazonaws.com/user/federate/a%2Fb%20c?x=1", "{}", None);
        let id = check(&req, t0()).unwrap();
        assert_eq!(
            (id.access_key_id.as_str(), id.region.as_str(), id.service.as_str()),
            (AKID, "us-east-1", "connect")
        );
        assert_eq!(id.signed_at, t0());
        assert_eq!(id.signed_headers, ["content-type", "host", "x-amz-date"]);
        assert_eq!(id.session_token, None);
    }

    #[test]
    fn session_tokens_are_signed_and_carried() {
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/user/federate/i", "", Some(TOKEN));
        assert!(auth(&req).contains("x-amz-security-token"));
        let id = check(&req, t0()).unwrap();
        assert_eq!(id.session_token.as_deref(), Some(TOKEN));
        assert!(!format!("{id:?}").contains(TOKEN));

        let mut changed = req.clone();
        changed.headers_mut().insert(X_AMZ_SECURITY_TOKEN, "OTHER".parse().unwrap());
        assert_eq!(check(&changed, t0()).unwrap_err().code(), "InvalidSignatureException");
        let mut dropped = req.clone();
        dropped.headers_mut().remove(X_AMZ_SECURITY_TOKEN);
        assert!(matches!(check(&dropped, t0()), Err(VerifyError::SignatureMismatch { reason: Some(_) })));
    }

    #[test]
    fn a_wrong_secret_is_a_signature_mismatch() {
        let mut req = request("GET", "https://connect.us-east-1.amazonaws.com/user/federate/i", "");
        let wrong = Credentials::new(AKID, "not-the-secret", None, None, "test");
        sign(&mut req, &wrong, "us-east-1", "connect", t0()).unwrap();
        let e = check(&req, t0()).unwrap_err();
        assert_eq!(e, VerifyError::SignatureMismatch { reason: None });
        assert_eq!((e.code(), e.status()), ("InvalidSignatureException", 403));
        assert!(e.message().starts_with("The request signature we calculated does not match"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_unrecognized() {
        let mut req = request("GET", "https://connect.us-east-1.amazonaws.com/", "");
        sign(&mut req, &Credentials::new("AKIDOTHER", SECRET, None, None, "t"), "us-east-1", "connect", t0()).unwrap();
        let e = check(&req, t0()).unwrap_err();
        assert_eq!(e, VerifyError::UnknownAccessKey { access_key_id: "AKIDOTHER".into() });
        assert_eq!(e.code(), "UnrecognizedClientException");
        assert_eq!(e.message(), "The security token included in the request is invalid.");
    }

    #[test]
    fn a_missing_authorization_header_is_missing_authentication() {
        let req = request("GET", "https://connect.us-east-1.amazonaws.com/", "");
        let e = check(&req, t0()).unwrap_err();
        assert_eq!(e, VerifyError::MissingAuthentication);
        assert_eq!(
            (e.code(), e.message().as_str()),
            ("MissingAuthenticationTokenException", "Missing Authentication Token")
        );
    }

    #[test]
    fn a_skewed_time_is_expired_either_way() {
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/", "", None);
        let late = t0() + Duration::from_secs(301);
        let e = check(&req, late).unwrap_err();
        assert!(matches!(e, VerifyError::SignatureExpired { .. }), "{e:?}");
        assert_eq!(e.code(), "InvalidSignatureException");
        assert_eq!(
            e.message(),
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)"
        );
        let early = t0() - Duration::from_secs(301);
        let e = check(&req, early).unwrap_err();
        assert!(e.message().starts_with("Signature not yet current: 20150830T123600Z is still later than"), "{e}");
        // Within the skew, either way, is fine.
        check(&req, t0() + Duration::from_secs(299)).unwrap();
        check(&req, t0() - Duration::from_secs(299)).unwrap();
        let (parts, body) = received(&req);
        assert!(verify(&parts, &body, lookup, t0() + Duration::from_secs(10), Duration::from_secs(5)).is_err());
    }

    #[test]
    fn tampering_is_detected_and_unsigned_headers_are_free() {
        let req = signed("POST", "https://connect.us-east-1.amazonaws.com/user/federate/i?a=1", "{\"a\":1}", None);
        let mut body = req.clone();
        *body.body_mut() = Bytes::from_static(b"{\"a\":2}");
        let mut path = req.clone();
        *path.uri_mut() = "https://connect.us-east-1.amazonaws.com/user/federate/j?a=1".parse().unwrap();
        let mut query = req.clone();
        *query.uri_mut() = "https://connect.us-east-1.amazonaws.com/user/federate/i?a=2".parse().unwrap();
        let mut header = req.clone();
        header.headers_mut().insert("content-type", "text/plain".parse().unwrap());
        let mut method = req.clone();
        *method.method_mut() = http::Method::PUT;
        let mut host = req.clone();
        *host.uri_mut() = "https://evil.example.com/user/federate/i?a=1".parse().unwrap();
        for (what, r) in
            [("body", body), ("path", path), ("query", query), ("header", header), ("method", method), ("host", host)]
        {
            assert!(matches!(check(&r, t0()), Err(VerifyError::SignatureMismatch { .. })), "{what}");
        }
        let mut free = req.clone();
        free.headers_mut().insert("user-agent", "a proxy changed me".parse().unwrap());
        free.headers_mut().insert("x-unsigned", "added".parse().unwrap());
        check(&free, t0()).unwrap();
    }

    #[test]
    fn malformed_headers_are_incomplete_signatures() {
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/", "", None);
        let good = auth(&req).to_owned();
        let cases = [
            good.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
            good.replace("Credential=", "Cred="),
            good.split(", Signature=").next().unwrap().to_owned(),
            good.replace("/aws4_request", "/aws5_request"),
            good.replace("/20150830/", "/2015-08-30/"),
            format!("{good}, Signature=00"),
            "Bearer abc".to_owned(),
        ];
        for value in cases {
            let mut r = req.clone();
            r.headers_mut().insert(AUTHORIZATION, value.parse().unwrap());
            let e = check(&r, t0()).unwrap_err();
            assert!(matches!(e, VerifyError::Malformed { .. }), "{value}: {e:?}");
            assert_eq!(e.code(), "IncompleteSignatureException");
        }
        let mut no_date = req.clone();
        no_date.headers_mut().remove(X_AMZ_DATE);
        assert!(matches!(check(&no_date, t0()), Err(VerifyError::Malformed { .. })));
        let mut bad_date = req.clone();
        bad_date.headers_mut().insert(X_AMZ_DATE, "2015-08-30T12:36:00Z".parse().unwrap());
        assert!(matches!(check(&bad_date, t0()), Err(VerifyError::Malformed { .. })));
    }

    #[test]
    fn a_scope_date_other_than_the_signing_date_is_a_mismatch() {
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/", "", None);
        let mut r = req.clone();
        let value = auth(&req).replace("/20150830/", "/20150831/");
        r.headers_mut().insert(AUTHORIZATION, value.parse().unwrap());
        let e = check(&r, t0()).unwrap_err();
        assert!(e.message().contains("Date in Credential scope does not match"), "{e}");
    }

    #[test]
    fn signing_again_replaces_the_signature() {
        let mut req = signed("GET", "https://connect.us-east-1.amazonaws.com/", "", Some(TOKEN));
        sign(&mut req, &creds(None), "us-east-1", "connect", t0() + Duration::from_secs(60)).unwrap();
        assert_eq!(req.headers().get_all(AUTHORIZATION).iter().count(), 1);
        assert!(!req.headers().contains_key(X_AMZ_SECURITY_TOKEN));
        check(&req, t0() + Duration::from_secs(60)).unwrap();
    }

    #[test]
    fn requests_with_the_host_in_the_uri_verify() {
        // As an HTTP/2 server sees them: `:authority`, no `Host` header.
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/x", "", None);
        let (parts, ()) = http::Request::builder()
            .uri(req.uri().clone())
            .header(AUTHORIZATION, req.headers()[AUTHORIZATION].clone())
            .header(X_AMZ_DATE, req.headers()[X_AMZ_DATE].clone())
            .header("content-type", "application/json")
            .body(())
            .unwrap()
            .into_parts();
        verify(&parts, b"", lookup, t0(), DEFAULT_MAX_SKEW).unwrap();
    }

    #[test]
    fn payload_hash_headers_are_verified_when_signed() {
        for body in [SignableBody::Bytes(b"{}"), SignableBody::UnsignedPayload] {
            let mut req = request("PUT", "https://s3.example.com/bucket/key", "{}");
            let identity = creds(None).into();
            let mut settings = SigningSettings::default();
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("s3")
                .time(t0())
                .settings(settings)
                .build()
                .unwrap()
                .into();
            let headers: Vec<(&str, &str)> =
                req.headers().iter().map(|(k, v)| (k.as_str(), v.to_str().unwrap())).collect();
            let uri = req.uri().to_string();
            let signable = SignableRequest::new("PUT", uri.as_str(), headers.into_iter(), body).unwrap();
            let (instructions, _) = sigv4_sign(signable, &params).unwrap().into_parts();
            instructions.apply_to_request_http1x(&mut req);
            assert!(auth(&req).contains(X_AMZ_CONTENT_SHA256));
            check(&req, t0()).unwrap();
        }
    }

    #[test]
    fn nothing_secret_is_shown() {
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/", "", Some(TOKEN));
        let signature = auth(&req).rsplit("Signature=").next().unwrap().to_owned();
        let parsed = parse_authorization(auth(&req)).unwrap();
        assert_eq!(parsed.access_key_id, AKID);
        assert_eq!(parsed.signed_headers, ["content-type", "host", "x-amz-date", "x-amz-security-token"]);
        let mut texts = vec![format!("{parsed:?}"), format!("{:?}", check(&req, t0()).unwrap()), format!("{req:?}")];
        let mut wrong = req.clone();
        wrong.headers_mut().insert("content-type", "text/plain".parse().unwrap());
        let e = check(&wrong, t0()).unwrap_err();
        texts.push(format!("{e} {e:?}"));
        for text in texts {
            for secret in [signature.as_str(), SECRET, TOKEN] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }

    #[test]
    fn the_access_key_id_is_read_without_verifying() {
        let req = signed("GET", "https://connect.us-east-1.amazonaws.com/", "", None);
        assert_eq!(access_key_id(req.headers()), Some(AKID));
        let mut other = HeaderMap::new();
        other.insert(AUTHORIZATION, "Bearer x".parse().unwrap());
        assert_eq!(access_key_id(&other), None);
        assert_eq!(access_key_id(&HeaderMap::new()), None);
    }

    #[test]
    fn a_uri_without_a_host_is_not_signed() {
        let mut req = http::Request::builder().uri("/relative").body(Bytes::new()).unwrap();
        let e = sign(&mut req, &creds(None), "us-east-1", "connect", t0()).unwrap_err();
        assert!(e.to_string().contains("no host"), "{e}");
    }

    #[test]
    fn amz_dates_round_trip() {
        assert_eq!(format_amz_date(t0()), "20150830T123600Z");
        for bad in
            ["", "20150830T123600", "20151330T123600Z", "2015083OT123600Z", "20150830T246000Z", "２0150830T123600Z"]
        {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn verify_never_panics(
            auth in "(AWS4-HMAC-SHA256 )?(Credential=[A-Z/0-9a-z_]{0,30}|SignedHeaders=[a-z;\\-]{0,20}|Signature=[0-9a-f]{0,64}|, |=|[ -~]{0,5}){0,6}",
            date in "(20150830T123600Z|[0-9TZ]{0,17})",
            path in "/[a-zA-Z0-9%/._~\\-?=&]{0,20}",
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..16),
        ) {
            let mut builder = http::Request::builder().uri(path.as_str()).header("host", "h");
            if let Ok(v) = http::HeaderValue::from_str(&auth) {
                builder = builder.header(AUTHORIZATION, v);
            }
            if let Ok(v) = http::HeaderValue::from_str(&date) {
                builder = builder.header(X_AMZ_DATE, v);
            }
            if let Ok(request) = builder.body(()) {
                let (parts, ()) = request.into_parts();
                let _ = verify(&parts, &body, |_| Some("s".to_owned()), t0(), DEFAULT_MAX_SKEW);
            }
        }
    }
}
