//! The `client_response` target: any response through the generated client's parsing.
//!
//! The input is the text of a response (see [`crate::message`]), e.g. `HTTP/1.1 404 Not
//! Found` or just `404`, header lines, an empty line, the body. It goes through
//! `connect_client::operation::get_federation_token::deserialize`, the function the client's
//! call runs on each response (and the benchmarks call directly), into the output or an
//! error, and then through what a caller does with an error: the `SdkError` the call wraps it
//! in, its code, message and request id, `into_service_error`, and `Display` with the whole
//! chain of causes.

use bytes::Bytes;
use connect_client::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use connect_client::operation::RequestId;
use connect_client::operation::get_federation_token::{GetFederationTokenError, GetFederationTokenOutput, deserialize};
use smithy_runtime::client::ParseFailure;

use crate::message::Message;

/// What the client made of a response.
#[derive(Debug)]
pub enum Parsed {
    /// The operation's output.
    Output(GetFederationTokenOutput),
    /// A service error, modeled (its code) or not.
    Service(GetFederationTokenError),
    /// The response could not be read (the message).
    Unreadable(String),
}

/// What the client makes of the response in `data`, or `None` when the start line has no
/// status `http` accepts (three digits).
///
/// A success status must give the output or an unreadable response, any other status a
/// service error or an unreadable response.
pub fn parse(data: &[u8]) -> Option<Parsed> {
    let message = Message::parse(data);
    // `[HTTP/x.y] STATUS [reason]`.
    let mut words = message.start.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let mut status = words.next()?;
    if status.starts_with(b"HTTP/") {
        status = words.next()?;
    }
    let status = http::StatusCode::from_bytes(status).ok()?;
    let mut response = http::Response::new(Bytes::copy_from_slice(message.body));
    *response.status_mut() = status;
    *response.headers_mut() = message.headers;

    let error: SdkError<GetFederationTokenError> = match deserialize(&response) {
        Ok(output) => {
            assert!(status.is_success(), "a {status} response parsed as an output");
            std::hint::black_box(format!("{output:?}"));
            return Some(Parsed::Output(output));
        }
        Err(ParseFailure::Service(e)) => {
            assert!(!status.is_success(), "a {status} response parsed as a service error: {e}");
            SdkError::service_error(e, response)
        }
        Err(ParseFailure::Response(e)) => SdkError::response_error(e, response),
    };
    std::hint::black_box((error.code(), error.message(), error.request_id()));
    let shown = format!("{}", DisplayErrorContext(&error));
    std::hint::black_box(format!("{error} {error:?}"));
    let service = matches!(error, SdkError::ServiceError(_));
    let error = error.into_service_error();
    std::hint::black_box((error.code(), error.message(), error.request_id(), error.meta()));
    std::hint::black_box(format!("{error} {error:?}"));
    Some(if service { Parsed::Service(error) } else { Parsed::Unreadable(shown) })
}
