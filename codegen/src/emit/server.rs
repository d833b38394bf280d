//! Emits the server crate: a service trait with one method per operation (the input and the
//! request context in, the output or error out), `router()` returning an axum `Router`, and per
//! operation a `handlers` module with its route and glue (read, check constraints, call,
//! answer). Routes, request parsers and response writers come from the service's protocol
//! ([`super::protocol`]); the glue calls the runtime's `server` module and the protocol's
//! `ServerProtocol`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{EmitContext, docs, ident, snake_ident};
use crate::ir::{Ir, Named, NamedKind, Operation, Structure, Type};

/// The whole `generated.rs` of the server crate.
pub fn emit(ir: &Ir, ctx: &EmitContext) -> TokenStream {
    let types = &ctx.types;
    let service = ident(&ir.service.name);
    let trait_doc = format!(
        " The operations of {}: implement the ones you serve and pass the implementation to [`router`]. Operations left \
         out answer 501 `NotImplementedException`.",
        ir.service.title
    );
    let methods = ir.operations.iter().map(|op| {
        let f = ident(&op.snake_name);
        let module = ident(&op.snake_name);
        let input = ident(&op.input.rust_name);
        let output = ident(&op.output.rust_name);
        let error = ident(&op.error_name);
        let d = docs(&op.docs, &format!("The `{}` operation.", op.name));
        let name = &op.name;
        quote! {
            #d
            fn #f(&self, input: operation::#module::#input, context: RequestContext) -> impl Future<Output = Result<operation::#module::#output, operation::#module::#error>> + Send {
                let _ = (input, context);
                ::smithy_runtime::server::not_implemented(#name)
            }
        }
    });
    let protocol = super::protocol::of(ir);
    let server_protocol = protocol.server_protocol();
    let n_routes = ir.operations.len();
    let routes = ir.operations.iter().map(|op| {
        let module = ident(&op.snake_name);
        quote!(#module::ROUTE)
    });
    let arms = ir.operations.iter().enumerate().map(|(i, op)| {
        let module = ident(&op.snake_name);
        quote!(#i => ::std::boxed::Box::pin(#module::handle(service, request)),)
    });
    let handlers = ir.operations.iter().map(|op| operation(ir, ctx, op, &service));
    let errors = ir.structures.iter().filter(|s| s.error.is_some()).map(|s| error_writer(ir, ctx, s));
    quote! {
        #![allow(deprecated, reason = "deprecated members are still sent and received")]
        #![allow(clippy::needless_update, clippy::useless_conversion, reason = "generated code is uniform across shapes")]

        /// The shapes of the model.
        pub mod types {
            pub use #types::types::*;
        }
        /// The input, output and error types of each operation.
        pub mod operation {
            pub use #types::operation::*;
        }
        pub use ::smithy_runtime::server::{RequestContext, axum};

        #[doc = #trait_doc]
        ///
        /// Each method gets the parsed and checked input, and the request's [`RequestContext`]
        /// (request id, headers, what tower layers attached), which most implementations ignore.
        pub trait #service: Send + Sync + 'static {
            #(#methods)*
        }

        /// An axum router serving `service`: routing by the model's URIs, request parsing,
        /// constraint checks, AWS-shaped errors. Add tower layers with `.layer(...)` as usual.
        pub fn router<S: #service>(service: S) -> ::smithy_runtime::server::axum::Router {
            ::smithy_runtime::server::router(self::service(service))
        }

        /// [`router`] with another request body size limit (the default is 16 MiB).
        pub fn router_with_body_limit<S: #service>(service: S, limit: usize) -> ::smithy_runtime::server::axum::Router {
            ::smithy_runtime::server::router_with_limit(self::service(service), limit)
        }

        /// `service` without axum's router around it: a request (its body already read) in, a
        /// response out, through [`Service::call`](smithy_runtime::server::Service::call), for
        /// a server that drives hyper itself. Routing, parsing, checks and errors are
        /// [`router`]'s.
        pub fn service<S: #service>(service: S) -> ::smithy_runtime::server::Service<S> {
            ::smithy_runtime::server::Service {
                service: ::std::sync::Arc::new(service),
                routes: &handlers::ROUTES,
                dispatch: handlers::dispatch::<S>,
                protocol: &PROTOCOL,
            }
        }

        /// The wire protocol: routing, media types and error answers.
        static PROTOCOL: #server_protocol = #server_protocol;

        /// Per operation: the route, the request parser, the handler call and the response
        /// writers. Public only for the generated protocol tests; not part of the API.
        #[doc(hidden)]
        pub mod handlers {
            #(#handlers)*

            /// The routes, in operation order.
            pub(crate) static ROUTES: [::smithy_runtime::server::Route; #n_routes] = [#(#routes),*];

            /// Runs the handler of the operation at `index` in [`ROUTES`].
            pub(crate) fn dispatch<S: crate::generated::#service>(service: ::std::sync::Arc<S>, index: usize, request: ::smithy_runtime::server::ServerRequest) -> ::smithy_runtime::server::ResponseFuture {
                match index {
                    #(#arms)*
                    _ => ::std::boxed::Box::pin(async move {
                        ::smithy_runtime::server::ServerProtocol::rejection(&crate::generated::PROTOCOL, request.request_id(), &::smithy_runtime::server::Rejection::UnknownOperation)
                    }),
                }
            }
        }

        mod ser_errors {
            #(#errors)*
        }
    }
}

fn operation(ir: &Ir, ctx: &EmitContext, op: &Operation, service: &proc_macro2::Ident) -> TokenStream {
    let protocol = super::protocol::of(ir);
    let types = &ctx.types;
    let module = ident(&op.snake_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let validation = match &op.validation_error {
        Some(v) if v.framework => quote!(::smithy_runtime::server::ValidationShape::Framework),
        Some(v) => {
            let code = &v.code;
            let key = match &v.message_json {
                Some(k) => quote!(::std::option::Option::Some(#k)),
                None => quote!(::std::option::Option::None),
            };
            quote!(::smithy_runtime::server::ValidationShape::Modeled { code: #code, message_key: #key })
        }
        None => quote!(::smithy_runtime::server::ValidationShape::Default),
    };
    let deserialize = protocol.server_deserializer(ctx, op);
    let route = protocol.server_route(op);
    let f = ident(&op.snake_name);
    let serialize = protocol.server_serializer(ctx, op);
    // A streaming payload is moved into the response; everything else is written by reference.
    let stream = op.output.members.iter().find(|m| matches!(m.ty, Type::ByteStream { .. }));
    let (output_param, take_stream) = match stream {
        Some(m) => {
            let f = ident(&m.rust_name);
            let take = if m.optional {
                quote!(let payload_stream = output.#f.take();)
            } else {
                quote!(let payload_stream = ::std::option::Option::Some(::std::mem::take(&mut output.#f));)
            };
            (quote!(mut output), take)
        }
        None => (quote!(output), quote!()),
    };
    let error_arms = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        let w = snake_ident(&e.rust_name);
        quote!(#error::#v(e) => crate::generated::ser_errors::#w(request_id, &e),)
    });
    quote! {
        pub mod #module {
            use #types::operation::#module::{#input, #output, #error};

            /// How requests reach this operation.
            pub(crate) const ROUTE: ::smithy_runtime::server::Route = #route;

            /// Parses, checks and answers one request.
            pub async fn handle<S: crate::generated::#service>(service: ::std::sync::Arc<S>, request: ::smithy_runtime::server::ServerRequest) -> ::smithy_runtime::server::Response {
                let request_id = request.shared_request_id();
                let input = match request.parse_input(deserialize) {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(rejection) => return ::smithy_runtime::server::ServerProtocol::input_rejection(&crate::generated::PROTOCOL, &request_id, &rejection, #validation),
                };
                if let ::std::result::Result::Err(violations) = input.validate() {
                    return ::smithy_runtime::server::ServerProtocol::validation(&crate::generated::PROTOCOL, &request_id, &violations, #validation);
                }
                let context = request.context();
                match service.#f(input, context).await {
                    ::std::result::Result::Ok(output) => serialize(&request_id, output),
                    ::std::result::Result::Err(error) => serialize_error(&request_id, error),
                }
            }

            #deserialize

            /// The response for an output.
            pub fn serialize(request_id: &str, #output_param: #output) -> ::smithy_runtime::server::Response {
                #take_stream
                let output = &output;
                #serialize
            }

            /// The response for an error.
            pub fn serialize_error(request_id: &str, error: #error) -> ::smithy_runtime::server::Response {
                match error {
                    #(#error_arms)*
                    #error::Unhandled(e) => ::smithy_runtime::server::ServerProtocol::unhandled(&crate::generated::PROTOCOL, request_id, &e),
                    _ => ::smithy_runtime::server::ServerProtocol::rejection(&crate::generated::PROTOCOL, request_id, &::smithy_runtime::server::Rejection::Internal),
                }
            }
        }
    }
}

/// Writes one error structure (shared by every operation that can return it).
fn error_writer(ir: &Ir, ctx: &EmitContext, s: &Structure) -> TokenStream {
    let f = snake_ident(&s.rust_name);
    let t = ctx.named(&Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure });
    let body = super::protocol::of(ir).server_error_serializer(ctx, s);
    quote! {
        pub(crate) fn #f(request_id: &str, error: &#t) -> ::smithy_runtime::server::Response {
            #body
        }
    }
}
