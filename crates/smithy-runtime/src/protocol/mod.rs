//! One module per wire protocol: what the protocol decides beyond the shared HTTP machinery
//! (error codes, the server's routing, media type checks and error answers). Generated code
//! calls the module of its service's protocol.
//!
//! Only restJson1 is implemented. A second protocol (awsJson1_0, say, which routes on the
//! `X-Amz-Target` header and posts every request to `/`) is a module beside [`rest_json`] that
//! implements [`crate::server::ServerProtocol`] and reads its error codes, plus an emitter
//! beside `codegen/src/emit/protocol/rest_json.rs`.

pub mod rest_json;
