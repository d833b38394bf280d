//! Emits the server crate: a service trait with one method per operation (model types in,
//! model types out), `router()` returning an axum `Router`, and per operation the request
//! parser, the constraint check and the output and error writers, all calling the runtime's
//! `server` module.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{Ctx, default_expr, docs, ident, prefixed, snake_ident, text_format, with_attr};
use crate::ir::{Binding, Ir, Member, Named, NamedKind, Operation, Segment, Structure, Type};

/// The whole `generated.rs` of the server crate.
pub fn emit(ir: &Ir, ctx: &Ctx) -> TokenStream {
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
        let message = format!("{} is not implemented by this server", op.name);
        let with_context = format_ident!("{}_with_context", crate::naming::bare(&op.snake_name));
        let ctx_doc = format!(
            " `{}` with what else is known about the request (request id, headers, what tower layers attached). The \
             router calls this; by default it calls [`{}`](Self::{}), so implement whichever you need.",
            op.name,
            crate::naming::bare(&op.snake_name),
            crate::naming::bare(&op.snake_name)
        );
        quote! {
            #d
            fn #f(&self, input: #types::operation::#module::#input) -> impl ::std::future::Future<Output = ::std::result::Result<#types::operation::#module::#output, #types::operation::#module::#error>> + ::std::marker::Send {
                let _ = input;
                async {
                    ::std::result::Result::Err(#types::operation::#module::#error::Unhandled(::smithy_runtime::Unhandled::from_code(501, "NotImplementedException", #message)))
                }
            }

            #[doc = #ctx_doc]
            fn #with_context(&self, input: #types::operation::#module::#input, context: ::smithy_runtime::server::RequestContext) -> impl ::std::future::Future<Output = ::std::result::Result<#types::operation::#module::#output, #types::operation::#module::#error>> + ::std::marker::Send {
                let _ = context;
                self.#f(input)
            }
        }
    });
    let routes = ir.operations.iter().map(route);
    let n_routes = ir.operations.len();
    let arms = ir.operations.iter().enumerate().map(|(i, op)| {
        let module = ident(&op.snake_name);
        quote!(#i => ::std::boxed::Box::pin(handlers::#module::handle(service, request)),)
    });
    let handlers = ir.operations.iter().map(|op| operation(ctx, op, &service));
    let errors = ir.structures.iter().filter(|s| s.error.is_some()).map(|s| error_writer(ctx, s));
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
        pub trait #service: ::std::marker::Send + ::std::marker::Sync + 'static {
            #(#methods)*
        }

        /// An axum router serving `service`: routing by the model's URIs, request parsing,
        /// constraint checks, AWS-shaped errors. Add tower layers with `.layer(...)` as usual.
        pub fn router<S: #service>(service: S) -> ::smithy_runtime::server::axum::Router {
            ::smithy_runtime::server::router(::std::sync::Arc::new(service), &ROUTES, dispatch::<S>)
        }

        /// [`router`] with another request body size limit (the default is 16 MiB).
        pub fn router_with_body_limit<S: #service>(service: S, limit: usize) -> ::smithy_runtime::server::axum::Router {
            ::smithy_runtime::server::router_with_limit(::std::sync::Arc::new(service), &ROUTES, dispatch::<S>, limit)
        }

        static ROUTES: [::smithy_runtime::server::Route; #n_routes] = [#(#routes),*];

        fn dispatch<S: #service>(service: ::std::sync::Arc<S>, index: usize, request: ::smithy_runtime::server::ServerRequest) -> ::smithy_runtime::server::ResponseFuture {
            match index {
                #(#arms)*
                _ => ::std::boxed::Box::pin(async move {
                    ::smithy_runtime::server::rejection_response(request.request_id(), &::smithy_runtime::server::Rejection::UnknownOperation)
                }),
            }
        }

        /// Per operation: the request parser, the handler call and the response writers. Public
        /// only for the generated protocol tests; not part of the API.
        #[doc(hidden)]
        pub mod handlers {
            #(#handlers)*
        }

        mod ser_errors {
            #(#errors)*
        }
    }
}

fn route(op: &Operation) -> TokenStream {
    let name = &op.name;
    let method = &op.method;
    let segments = op.uri.segments.iter().map(|s| match s {
        Segment::Literal(t) => quote!(::smithy_runtime::server::Segment::Literal(#t)),
        Segment::Label(_) => quote!(::smithy_runtime::server::Segment::Label),
        Segment::Greedy(_) => quote!(::smithy_runtime::server::Segment::Greedy),
    });
    let query = op.uri.query.iter().map(|(k, v)| match v {
        Some(v) => quote!((#k, ::std::option::Option::Some(#v))),
        None => quote!((#k, ::std::option::Option::None)),
    });
    let compression = &op.request_compression;
    let request_media_type = match request_media_type(&op.input) {
        RequestMedia::None => quote!(::smithy_runtime::server::MediaType::None),
        RequestMedia::Any => quote!(::smithy_runtime::server::MediaType::Any),
        RequestMedia::Exact(t) => quote!(::smithy_runtime::server::MediaType::Exact(#t)),
    };
    let response_media_type = match response_media_type(&op.output) {
        Some(t) => quote!(::std::option::Option::Some(#t)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        ::smithy_runtime::server::Route {
            operation: #name,
            method: #method,
            path: &[#(#segments),*],
            query: &[#(#query),*],
            request_media_type: #request_media_type,
            response_media_type: #response_media_type,
            request_compression: &[#(#compression),*],
        }
    }
}

/// What a request's `Content-Type` may be.
enum RequestMedia {
    None,
    Any,
    Exact(String),
}

/// The media type of an input's body: `Any` when a member carries the `Content-Type` itself or
/// the payload is a blob of no particular media type.
fn request_media_type(input: &Structure) -> RequestMedia {
    let sets_content_type = input
        .members
        .iter()
        .any(|m| matches!(&m.binding, Binding::Header(h) if h.eq_ignore_ascii_case("content-type")));
    let generic_blob = input.members.iter().any(|m| {
        m.binding == Binding::Payload
            && matches!(m.ty, Type::Blob { media_type: None } | Type::ByteStream { media_type: None, .. })
    });
    if sets_content_type || generic_blob {
        return RequestMedia::Any;
    }
    if let Some(t) = payload_media_type(input) {
        return RequestMedia::Exact(t);
    }
    // A request body is JSON when the input has body members or none at all (an empty
    // structure is `{}`); `Unit` and inputs bound wholly to the URI and headers take no body.
    let has_body = input.members.iter().any(|m| matches!(m.binding, Binding::Body(_)));
    if input.id != crate::prelude::unit() && (has_body || input.members.is_empty()) {
        RequestMedia::Exact("application/json".into())
    } else {
        RequestMedia::None
    }
}

/// The media type of a structure's payload member, when it has one.
fn payload_media_type(s: &Structure) -> Option<String> {
    let payload = s.members.iter().find(|m| m.binding == Binding::Payload)?;
    Some(match &payload.ty {
        Type::Blob { media_type } | Type::ByteStream { media_type, .. } => {
            media_type.clone().unwrap_or_else(|| "application/octet-stream".into())
        }
        Type::String { media_type } => media_type.clone().unwrap_or_else(|| "text/plain".into()),
        Type::Named(Named { kind: NamedKind::Enum, .. }) => "text/plain".into(),
        _ => "application/json".into(),
    })
}

/// The media type of a successful response that an `Accept` header must allow: the payload's,
/// else JSON (restJson1 answers a JSON object, `{}` at least, for any output but `Unit`);
/// `None` for `Unit` and for a blob payload of no particular media type.
fn response_media_type(output: &Structure) -> Option<String> {
    let generic_blob =
        |ty: &Type| matches!(ty, Type::Blob { media_type: None } | Type::ByteStream { media_type: None, .. });
    if output.members.iter().any(|m| m.binding == Binding::Payload && generic_blob(&m.ty)) {
        return None;
    }
    payload_media_type(output).or_else(|| (output.id != crate::prelude::unit()).then(|| "application/json".into()))
}

fn operation(ctx: &Ctx, op: &Operation, service: &proc_macro2::Ident) -> TokenStream {
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
    let deserialize = request_parser(ctx, op);
    let with_context = format_ident!("{}_with_context", crate::naming::bare(&op.snake_name));
    let serialize = response_writer(ctx, &op.output, &quote!(output), op.code, None);
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

            /// Parses, checks and answers one request.
            pub async fn handle<S: crate::generated::#service>(service: ::std::sync::Arc<S>, request: ::smithy_runtime::server::ServerRequest) -> ::smithy_runtime::server::Response {
                let request_id = request.request_id().to_owned();
                let input = match request.parse_input(deserialize) {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(rejection) => return ::smithy_runtime::server::input_rejection_response(&request_id, &rejection, #validation),
                };
                if let ::std::result::Result::Err(violations) = input.validate() {
                    return ::smithy_runtime::server::validation_response(&request_id, &violations, #validation);
                }
                let context = request.context();
                match service.#with_context(input, context).await {
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
                    #error::Unhandled(e) => ::smithy_runtime::server::unhandled_response(request_id, &e),
                    _ => ::smithy_runtime::server::rejection_response(request_id, &::smithy_runtime::server::Rejection::Internal),
                }
            }
        }
    }
}

fn request_parser(ctx: &Ctx, op: &Operation) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let mut reads = Vec::new();
    let mut body_fields = Vec::new();
    let mut body_sets = Vec::new();
    let label_index = |name: &str| {
        op.uri
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Label(_) | Segment::Greedy(_)))
            .position(|s| matches!(s, Segment::Label(n) | Segment::Greedy(n) if n == name))
    };
    for m in &op.input.members {
        let f = ident(&m.rust_name);
        let set = prefixed("set_", &m.rust_name);
        let wire = &m.name;
        let fmt = text_format(&m.ty, &m.binding);
        let t = ctx.ty(&m.ty);
        let read = match &m.binding {
            Binding::Label { .. } => {
                let Some(i) = label_index(&m.name) else { continue };
                quote!(::std::option::Option::Some(request.label::<#t>(#i, #wire, #fmt)?))
            }
            Binding::Query(key) => match &m.ty {
                Type::List { member, .. } => {
                    let e = ctx.ty(&member.ty);
                    quote!(request.query_list::<#e>(#key, #fmt)?)
                }
                _ => quote!(request.query::<#t>(#key, #fmt)?),
            },
            Binding::QueryParams => match &m.ty {
                Type::Map { value, .. } if matches!(value.ty, Type::List { .. }) => {
                    quote!(request.query_param_lists())
                }
                _ => quote!(request.query_params()),
            },
            Binding::Header(name) => {
                let name = name.to_ascii_lowercase();
                match &m.ty {
                    Type::List { member, .. } => {
                        let e = ctx.ty(&member.ty);
                        quote!(request.header_list::<#e>(#name, #fmt)?)
                    }
                    Type::String { media_type: Some(_) } => quote! {
                        request.header::<::smithy_runtime::Blob>(#name, #fmt)?.map(|b| ::std::string::String::from_utf8_lossy(b.as_ref()).into_owned())
                    },
                    _ => quote!(request.header::<#t>(#name, #fmt)?),
                }
            }
            Binding::PrefixHeaders(prefix) => quote!(request.prefix_headers(#prefix)),
            Binding::Payload => match &m.ty {
                Type::Blob { .. } => quote!(request.blob_body()),
                Type::ByteStream { .. } => quote!(::std::option::Option::Some(request.stream_body())),
                Type::String { .. } => quote!(request.text_body()?),
                Type::Named(Named { kind: NamedKind::Enum, .. }) => {
                    quote!(request.text_body()?.map(|s| <#t>::from(s.as_str())))
                }
                _ => quote! {
                    if request.body().is_empty() { ::std::option::Option::None } else { ::std::option::Option::Some(request.json_body::<#t>()?) }
                },
            },
            Binding::Body(json) => {
                let with = with_attr(&m.ty, true, false).map(|w| quote!(, with = #w));
                body_fields.push(quote! {
                    #[serde(rename = #json, default #with)]
                    #f: ::std::option::Option<#t>,
                });
                body_sets.push(quote!(builder = builder.#set(body.#f);));
                continue;
            }
            Binding::ResponseCode => continue,
        };
        reads.push(quote!(builder = builder.#set(#read);));
    }
    let body = if body_fields.is_empty() {
        quote!()
    } else {
        quote! {
            #[derive(::smithy_runtime::serde::Deserialize)]
            #[serde(crate = "::smithy_runtime::serde")]
            struct Body {
                #(#body_fields)*
            }
            let body: Body = request.json_body()?;
            #(#body_sets)*
        }
    };
    // A server sees the input with the model's defaults in place of absent members (a client
    // leaves them out of the request, and reading must give the same value).
    let defaults: Vec<TokenStream> = op
        .input
        .members
        .iter()
        .filter_map(|m| {
            let value = default_expr(ctx, &m.ty, m.default.as_ref()?);
            let (set, get) = (prefixed("set_", &m.rust_name), prefixed("get_", &m.rust_name));
            Some(quote! {
                if builder.#get().is_none() {
                    builder = builder.#set(::std::option::Option::Some(#value));
                }
            })
        })
        .collect();
    let builder_mut = if reads.is_empty() && body.is_empty() && defaults.is_empty() { quote!() } else { quote!(mut) };
    let unused = if reads.is_empty() && body.is_empty() { quote!(let _ = request;) } else { quote!() };
    quote! {
        /// The input of a request, or why it cannot be read.
        pub fn deserialize(request: &::smithy_runtime::server::ServerRequest) -> ::std::result::Result<#input, ::smithy_runtime::server::Rejection> {
            #unused
            let #builder_mut builder = #input::builder();
            #(#reads)*
            #body
            #(#defaults)*
            builder.build().map_err(|e| ::smithy_runtime::server::Rejection::Malformed(e.to_string()))
        }
    }
}

/// A reference to an output or error member's value as `Option<&T>`.
fn value_ref(value: &TokenStream, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    match (m.optional, m.boxed) {
        (true, true) => quote!(#value.#f.as_deref()),
        (true, false) => quote!(#value.#f.as_ref()),
        (false, true) => quote!(::std::option::Option::Some(&*#value.#f)),
        (false, false) => quote!(::std::option::Option::Some(&#value.#f)),
    }
}

/// Statements building the response for an output or error structure held in `value`.
fn response_writer(
    ctx: &Ctx,
    s: &Structure,
    value: &TokenStream,
    status: u16,
    error_code: Option<&str>,
) -> TokenStream {
    let mut writes = Vec::new();
    let mut body_fields = Vec::new();
    let mut body_values = Vec::new();
    if let Some(code) = error_code {
        writes.push(quote!(response.error_type(#code);));
    }
    for m in &s.members {
        let f = ident(&m.rust_name);
        let fmt = text_format(&m.ty, &m.binding);
        let v = value_ref(value, m);
        match &m.binding {
            Binding::Header(name) => {
                let name = name.to_ascii_lowercase();
                writes.push(match &m.ty {
                    Type::List { .. } => {
                        let items = if m.optional {
                            quote!(#value.#f.as_deref())
                        } else {
                            quote!(::std::option::Option::Some(#value.#f.as_slice()))
                        };
                        quote!(response.header_list(#name, #items, #fmt);)
                    }
                    Type::String { media_type: Some(_) } => {
                        quote!(response.header(#name, #v.map(|s| ::smithy_runtime::Blob::new(s.as_bytes())).as_ref(), #fmt);)
                    }
                    _ => quote!(response.header(#name, #v, #fmt);),
                });
            }
            Binding::PrefixHeaders(prefix) => writes.push(quote!(response.prefix_headers(#prefix, #v);)),
            Binding::ResponseCode => writes.push(quote!(response.status(#v.copied());)),
            Binding::Payload => writes.push(match &m.ty {
                Type::Blob { media_type } => {
                    let ct = media_type.as_deref().unwrap_or("application/octet-stream");
                    quote!(response.blob_body(#v, #ct);)
                }
                Type::ByteStream { media_type, .. } => {
                    let ct = media_type.as_deref().unwrap_or("application/octet-stream");
                    quote!(response.stream_body(payload_stream, #ct);)
                }
                Type::String { media_type } => {
                    let ct = media_type.clone().unwrap_or_else(|| "text/plain".to_owned());
                    // `as_deref`, not `as_ref().map(..)`, which clippy's `option_as_ref_deref` flags.
                    let text = if m.optional {
                        quote!(#value.#f.as_deref())
                    } else {
                        quote!(::std::option::Option::Some(#value.#f.as_str()))
                    };
                    quote!(response.text_body(#text, #ct);)
                }
                Type::Named(Named { kind: NamedKind::Enum, .. }) => {
                    quote!(response.text_body(#v.map(|v| v.as_str()), "text/plain");)
                }
                _ => quote! {
                    if let ::std::option::Option::Some(payload) = #v {
                        response.json_body(payload);
                    }
                },
            }),
            Binding::Body(json) => {
                let t = ctx.ty(&m.ty);
                let with = with_attr(&m.ty, true, true).map(|w| quote!(, with = #w));
                body_fields.push(quote! {
                    #[serde(rename = #json, skip_serializing_if = "::std::option::Option::is_none" #with)]
                    #f: ::std::option::Option<&'a #t>,
                });
                body_values.push(quote!(#f: #v,));
            }
            Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams => {}
        }
    }
    // With no body members, restJson1 answers `{}` all the same, but nothing for `Unit` or when a
    // payload member is the body.
    let has_payload = s.members.iter().any(|m| m.binding == Binding::Payload);
    let body = if body_fields.is_empty() {
        if !has_payload && s.id != crate::prelude::unit() {
            quote!(response.json_body(&::smithy_runtime::serde_json::json!({}));)
        } else {
            quote!()
        }
    } else {
        quote! {
            #[derive(::smithy_runtime::serde::Serialize)]
            #[serde(crate = "::smithy_runtime::serde")]
            struct Body<'a> {
                #(#body_fields)*
            }
            response.json_body(&Body { #(#body_values)* });
        }
    };
    let unused = if s.members.is_empty() { quote!(let _ = #value;) } else { quote!() };
    let response_mut = if writes.is_empty() && body.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        #unused
        let #response_mut response = ::smithy_runtime::server::ResponseBuilder::new(#status);
        #(#writes)*
        #body
        response.build(request_id)
    }
}

/// Writes one error structure (shared by every operation that can return it).
fn error_writer(ctx: &Ctx, s: &Structure) -> TokenStream {
    let f = snake_ident(&s.rust_name);
    let t = ctx.named(&Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure });
    let status = s.error.as_ref().map_or(500, |e| e.status);
    let body = response_writer(ctx, s, &quote!(error), status, Some(s.id.name()));
    quote! {
        pub(crate) fn #f(request_id: &str, error: &#t) -> ::smithy_runtime::server::Response {
            #body
        }
    }
}
