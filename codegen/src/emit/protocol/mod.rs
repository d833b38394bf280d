//! The protocol seam of the emitters: what a wire protocol decides about requests and
//! responses, behind one interface ([`Protocol`]) that the client and server emitters call.
//!
//! The client emitter writes the `Client`, its config and fluent builders, and asks the
//! protocol for each operation's `serialize` and `deserialize` functions and for the parser of
//! each error; the server emitter writes the service trait, the router and the handler glue, and
//! asks the protocol for each operation's route, request parser and response writer, and for
//! the writer of each error. Shapes, builders, names and constraints are protocol-free.
//!
//! One protocol is one module here plus one runtime module (`smithy_runtime::protocol::<name>`),
//! which the code the module emits calls. restJson1 is [`rest_json`]. A second protocol
//! (awsJson1_0) would add `emit/protocol/aws_json.rs` and
//! `crates/smithy-runtime/src/protocol/aws_json.rs`, and a variant of [`crate::ir::Protocol`].

mod rest_json;

use proc_macro2::TokenStream;

use super::common::EmitContext;
use crate::ir::{Ir, Operation, Protocol as WireProtocol, Structure};

/// What a wire protocol contributes to the generated client and server.
pub(super) trait Protocol {
    /// The client's `serialize(input) -> Result<HttpRequest, BindingError>` function for `op`.
    fn client_serializer(&self, ctx: &EmitContext, op: &Operation) -> TokenStream;

    /// The client's `deserialize(response)` function for `op`, with its `deserialize_error`.
    fn client_deserializer(&self, ctx: &EmitContext, op: &Operation) -> TokenStream;

    /// A `pub(crate) fn <error>(response, meta)` that reads one error structure off a response.
    fn client_error_parser(&self, ctx: &EmitContext, error: &Structure) -> TokenStream;

    /// The path of the runtime's `ServerProtocol` value for this protocol.
    fn server_protocol(&self) -> TokenStream;

    /// The `smithy_runtime::server::Route` of `op`, an expression.
    fn server_route(&self, op: &Operation) -> TokenStream;

    /// The server's `deserialize(request) -> Result<Input, Rejection>` function for `op`.
    fn server_deserializer(&self, ctx: &EmitContext, op: &Operation) -> TokenStream;

    /// Statements that answer with `op`'s output, held by reference in `output` (a streaming
    /// payload already moved out into `payload_stream`), ending in the response.
    fn server_serializer(&self, ctx: &EmitContext, op: &Operation) -> TokenStream;

    /// Statements that answer with one error structure, held by reference in `error`, ending in
    /// the response.
    fn server_error_serializer(&self, ctx: &EmitContext, error: &Structure) -> TokenStream;
}

/// The protocol of a service.
pub(super) fn of(ir: &Ir) -> &'static dyn Protocol {
    match ir.service.protocol {
        WireProtocol::RestJson1 => &rest_json::RestJson1,
    }
}
