//! restJson1 (`aws.protocols#restJson1`) for the emitters: members bound to the URI, query
//! string and headers by the HTTP binding traits, the rest in a JSON object (or the
//! `@httpPayload` member as the whole body), error codes in `X-Amzn-ErrorType`, routing on
//! method and URI pattern, and the media types the server checks.
//!
//! The code written here calls the runtime's shared HTTP machinery (`smithy_runtime::client`,
//! `smithy_runtime::server`) and its restJson1 module (`smithy_runtime::protocol::rest_json`).

use proc_macro2::TokenStream;
use quote::quote;

use super::Protocol;
use crate::emit::common::{
    EmitContext, JsonField, WhenAbsent, adapter, compiled_where_called, default_expr, from_json_impl, ident, prefixed,
    snake_ident, text_format, write_member,
};
use crate::ir::{Binding, HostPrefixPart, Member, Named, NamedKind, Operation, Segment, Structure, Type};

/// restJson1.
pub(super) struct RestJson1;

impl Protocol for RestJson1 {
    fn client_serializer(&self, _ctx: &EmitContext, op: &Operation) -> TokenStream {
        serializer(op)
    }

    fn client_deserializer(&self, ctx: &EmitContext, op: &Operation) -> TokenStream {
        deserializer(ctx, op)
    }

    fn client_error_parser(&self, ctx: &EmitContext, error: &Structure) -> TokenStream {
        error_parser(ctx, error)
    }

    fn server_protocol(&self) -> TokenStream {
        quote!(::smithy_runtime::protocol::rest_json::RestJson1)
    }

    fn server_route(&self, op: &Operation) -> TokenStream {
        route(op)
    }

    fn server_deserializer(&self, ctx: &EmitContext, op: &Operation) -> TokenStream {
        request_parser(ctx, op)
    }

    fn server_serializer(&self, _ctx: &EmitContext, op: &Operation) -> TokenStream {
        response_writer(&op.output, &quote!(output), op.code, None)
    }

    fn server_error_serializer(&self, _ctx: &EmitContext, error: &Structure) -> TokenStream {
        let status = error.error.as_ref().map_or(500, |e| e.status);
        response_writer(error, &quote!(error), status, Some(error.id.name()))
    }
}

/// The statement that writes a body member (`value`, an `Option<&T>`) under its JSON key,
/// left out when unset.
fn body_write(m: &Member, json: &str, value: &TokenStream) -> TokenStream {
    write_member(json, adapter(&m.ty).as_ref(), value)
}

/// Writes the members bound to the body as one JSON object, with the builder's method `set`.
fn written_body(writes: &[TokenStream], set: TokenStream) -> TokenStream {
    quote! {
        let mut body = ::smithy_runtime::json::JsonWriter::new();
        let mut object = body.object();
        #(#writes)*
        object.end();
        #set
    }
}

/// A member read from a JSON body: the field of the local `Body` struct, how it is read, and the
/// statement that moves it into the builder.
fn read_body_field(ctx: &EmitContext, m: &Member, json: &str) -> (TokenStream, JsonField, TokenStream) {
    let f = ident(&m.rust_name);
    let set = prefixed("set_", &m.rust_name);
    let t = ctx.ty(&m.ty);
    let field = quote!(#f: ::std::option::Option<#t>,);
    let read = JsonField { field: f.clone(), json: json.to_owned(), adapter: adapter(&m.ty), absent: WhenAbsent::None };
    (field, read, quote!(builder = builder.#set(body.#f);))
}

/// The local `Body` struct of a structure's body members, and how it is read.
fn body_struct(s: &Structure, fields: &[TokenStream], reads: &[JsonField]) -> TokenStream {
    let body = ident("Body");
    let deserialize = from_json_impl(&body, &format!("{} body", s.id.name()), reads, compiled_where_called());
    quote! {
        struct Body {
            #(#fields)*
        }
        #deserialize
    }
}

// ---- client ----

/// A reference to a member's value as `Option<&T>`, for an input whose fields are all optional.
fn value_ref(m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    if m.boxed { quote!(input.#f.as_deref()) } else { quote!(input.#f.as_ref()) }
}

fn serializer(op: &Operation) -> TokenStream {
    let inline = compiled_where_called();
    let input_ty = ident(&op.input.rust_name);
    let method = op.method.as_str();
    let members = &op.input.members;
    let member = |name: &str| members.iter().find(|m| m.name == name);

    let mut path = Vec::new();
    for seg in &op.uri.segments {
        match seg {
            Segment::Literal(text) => {
                let s = format!("/{text}");
                path.push(quote!(uri.push_str(#s);));
            }
            Segment::Label(name) | Segment::Greedy(name) => {
                let greedy = matches!(seg, Segment::Greedy(_));
                let Some(m) = member(name) else { continue };
                let wire = &m.name;
                let fmt = text_format(&m.ty, &m.binding);
                let value = match op.label_fallbacks.iter().find(|l| &l.member == name) {
                    // A customisation's value for a label left unset or empty.
                    Some(fallback) => {
                        let f = ident(&m.rust_name);
                        let text = &fallback.value;
                        quote!(::std::option::Option::Some(&input.#f.clone().filter(|v| !v.is_empty()).unwrap_or_else(|| ::std::string::String::from(#text))))
                    }
                    None => value_ref(m),
                };
                path.push(quote! {
                    uri.push('/');
                    ::smithy_runtime::binding::push_label(&mut uri, #wire, #value, #greedy, #fmt)?;
                });
            }
        }
    }
    if op.uri.segments.is_empty() {
        path.push(quote!(uri.push('/');));
    }

    let mut query = Vec::new();
    for (k, v) in &op.uri.query {
        let v = match v {
            Some(v) => quote!(::std::option::Option::Some(#v)),
            None => quote!(::std::option::Option::None),
        };
        query.push(quote!(query.literal(#k, #v);));
    }
    let mut params = Vec::new();
    let mut headers = Vec::new();
    let mut body_writes = Vec::new();
    let mut payload = TokenStream::new();
    for m in members {
        let f = ident(&m.rust_name);
        let wire = &m.name;
        let fmt = text_format(&m.ty, &m.binding);
        let value = value_ref(m);
        match &m.binding {
            Binding::Query(key) => match &m.ty {
                Type::List { .. } => query.push(quote!(query.push_list(#key, input.#f.as_deref(), #fmt);)),
                _ => query.push(quote!(query.push(#key, #value, #fmt);)),
            },
            Binding::QueryParams => match &m.ty {
                Type::Map { value: v, .. } if matches!(v.ty, Type::List { .. }) => {
                    params.push(quote!(query.push_param_lists(input.#f.iter().flatten());))
                }
                _ => params.push(quote!(query.push_params(input.#f.iter().flatten());)),
            },
            Binding::Header(name) => {
                let name = name.to_ascii_lowercase();
                match &m.ty {
                    Type::List { .. } => headers.push(quote!(request.header_list(#wire, #name, input.#f.as_deref(), #fmt)?;)),
                    Type::String { media_type: Some(_) } => headers.push(quote! {
                        request.header(#wire, #name, input.#f.as_ref().map(|s| ::smithy_runtime::Blob::new(s.as_bytes())).as_ref(), #fmt)?;
                    }),
                    _ => headers.push(quote!(request.header(#wire, #name, #value, #fmt)?;)),
                }
            }
            Binding::PrefixHeaders(prefix) => {
                headers.push(quote!(request.prefix_headers(#wire, #prefix, input.#f.as_ref())?;))
            }
            Binding::Payload => {
                payload = match &m.ty {
                    Type::Blob { media_type } => {
                        let ct = media_type.as_deref().unwrap_or("application/octet-stream");
                        quote!(request.blob_body(input.#f.as_ref(), #ct);)
                    }
                    Type::ByteStream { media_type, .. } => {
                        let ct = media_type.as_deref().unwrap_or("application/octet-stream");
                        quote!(request.stream_body(#wire, input.#f.as_ref(), #ct)?;)
                    }
                    Type::String { media_type } => {
                        let ct = media_type.clone().unwrap_or_else(|| "text/plain".to_owned());
                        quote!(request.text_body(input.#f.as_deref(), #ct);)
                    }
                    Type::Named(Named { kind: NamedKind::Enum, .. }) => {
                        quote!(request.text_body(input.#f.as_ref().map(|v| v.as_str()), "text/plain");)
                    }
                    // An unset structure payload is still a JSON object, `{}`; an unset union
                    // or document sends no body.
                    Type::Named(Named { kind: NamedKind::Structure, .. }) => quote! {
                        match #value {
                            ::std::option::Option::Some(payload) => request.json_body(#wire, payload)?,
                            ::std::option::Option::None => request.json_body(#wire, &::smithy_runtime::json::Unit)?,
                        }
                    },
                    _ => quote! {
                        if let ::std::option::Option::Some(payload) = #value {
                            request.json_body(#wire, payload)?;
                        }
                    },
                };
            }
            Binding::Body(json) => body_writes.push(body_write(m, json, &value)),
            Binding::Label { .. } | Binding::ResponseCode => {}
        }
    }
    let query_block = if query.is_empty() && params.is_empty() {
        quote!()
    } else {
        quote! {
            {
                let mut query = ::smithy_runtime::binding::QueryWriter::new(&mut uri);
                #(#query)*
                #(#params)*
            }
        }
    };
    let body = if body_writes.is_empty() {
        payload
    } else {
        written_body(&body_writes, quote!(request.written_json_body("body", body)?;))
    };
    for (name, value) in &op.constant_headers {
        let name = name.to_ascii_lowercase();
        headers.push(quote!(request.default_header(#name, #value)?;));
    }
    let host_prefix = op.host_prefix.as_ref().map(|parts| {
        let parts = parts.iter().map(|p| match p {
            HostPrefixPart::Literal(text) => quote!(::smithy_runtime::client::HostPrefixPart::Literal(#text)),
            HostPrefixPart::Label { member, rust_name } => {
                let f = ident(rust_name);
                quote!(::smithy_runtime::client::HostPrefixPart::Label(#member, input.#f.as_deref()))
            }
        });
        quote!(request.host_prefix(&[#(#parts),*])?;)
    });
    let unused = if members.is_empty() { quote!(let _ = input;) } else { quote!() };
    let request_mut =
        if headers.is_empty() && body.is_empty() && host_prefix.is_none() { quote!() } else { quote!(mut) };
    quote! {
        /// The operation's request, before endpoint and signing. Public only for the project's
        /// benchmarks; not part of the API.
        #[doc(hidden)]
        #inline
        pub fn serialize(input: &#input_ty) -> ::std::result::Result<::smithy_runtime::client::HttpRequest, ::smithy_runtime::binding::BindingError> {
            #unused
            let mut uri = ::std::string::String::new();
            #(#path)*
            #query_block
            let #request_mut request = ::smithy_runtime::client::RequestBuilder::new(#method, uri);
            #(#headers)*
            #body
            #host_prefix
            request.build()
        }
    }
}

/// Statements that read an output or error structure's members off a response into `builder`.
fn read_members(ctx: &EmitContext, s: &Structure, map_err: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut body_fields = Vec::new();
    let mut body_reads = Vec::new();
    let mut body_sets = Vec::new();
    for m in &s.members {
        let set = prefixed("set_", &m.rust_name);
        let fmt = text_format(&m.ty, &m.binding);
        let t = ctx.ty(&m.ty);
        match &m.binding {
            Binding::Header(name) => {
                let name = name.to_ascii_lowercase();
                let read = match &m.ty {
                    Type::List { member, .. } => {
                        let e = ctx.ty(&member.ty);
                        quote!(::smithy_runtime::client::response_header_list::<#e>(response, #name, #fmt) #map_err ?)
                    }
                    Type::String { media_type: Some(_) } => quote! {
                        ::smithy_runtime::client::response_header::<::smithy_runtime::Blob>(response, #name, #fmt) #map_err ?
                            .map(|b| ::std::string::String::from_utf8_lossy(b.as_ref()).into_owned())
                    },
                    _ => quote!(::smithy_runtime::client::response_header::<#t>(response, #name, #fmt) #map_err ?),
                };
                out.extend(quote!(builder = builder.#set(#read);));
            }
            Binding::PrefixHeaders(prefix) => {
                out.extend(quote!(builder = builder.#set(::smithy_runtime::client::response_prefix_headers(response, #prefix));));
            }
            Binding::ResponseCode => {
                out.extend(
                    quote!(builder = builder.#set(::std::option::Option::Some(i32::from(response.status().as_u16())));),
                );
            }
            Binding::Payload => {
                let read = match &m.ty {
                    Type::Blob { .. } => quote!(
                        (!response.body().is_empty()).then(|| ::smithy_runtime::Blob::new(response.body().to_vec()))
                    ),
                    Type::ByteStream { .. } => {
                        quote!(::std::option::Option::Some(::smithy_runtime::ByteStream::new(response.body().clone())))
                    }
                    Type::String { .. } => quote!(
                        (!response.body().is_empty())
                            .then(|| ::std::string::String::from_utf8_lossy(response.body()).into_owned())
                    ),
                    Type::Named(Named { kind: NamedKind::Enum, .. }) => {
                        quote!((!response.body().is_empty()).then(|| <#t>::from(::std::string::String::from_utf8_lossy(response.body()).as_ref())))
                    }
                    _ => quote! {
                        if response.body().is_empty() {
                            ::std::option::Option::None
                        } else {
                            ::std::option::Option::Some(::smithy_runtime::client::response_json::<#t>(response) #map_err ?)
                        }
                    },
                };
                out.extend(quote!(builder = builder.#set(#read);));
            }
            Binding::Body(json) => {
                let (field, read, set) = read_body_field(ctx, m, json);
                body_fields.push(field);
                body_reads.push(read);
                body_sets.push(set);
            }
            Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams => {}
        }
    }
    if !body_fields.is_empty() {
        let body_struct = body_struct(s, &body_fields, &body_reads);
        out.extend(quote! {
            #body_struct
            let body: Body = ::smithy_runtime::client::response_json(response) #map_err ?;
            #(#body_sets)*
        });
    }
    out
}

/// `true` when the structure's builder returns a `Result`.
fn fallible(s: &Structure) -> bool {
    s.members.iter().any(|m| !m.optional && m.default.is_none())
}

fn deserializer(ctx: &EmitContext, op: &Operation) -> TokenStream {
    let inline = compiled_where_called();
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let read = read_members(ctx, &op.output, &quote!());
    let build = if fallible(&op.output) { quote!(builder.build()?) } else { quote!(builder.build()) };
    let arms = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        let code = &e.code;
        let f = snake_ident(&e.rust_name);
        // A plain match, not `.map_err(..)?`: those instantiate `map_err` and the `?` machinery
        // once per error structure and operation (about 1,400 copies in the whole Connect model).
        quote! {
            ::std::option::Option::Some(#code) => match crate::generated::de_errors::#f(response, meta) {
                ::std::result::Result::Ok(e) => #error::#v(e),
                ::std::result::Result::Err(e) => return ::std::result::Result::Err(e),
            },
        }
    });
    let builder_mut = if read.is_empty() { quote!() } else { quote!(mut) };
    // Without modeled errors a match would have only the wildcard arm (clippy's
    // `match_single_binding`).
    let error_value = if op.errors.is_empty() {
        quote!(#error::unhandled(meta))
    } else {
        quote! {
            match meta.code() {
                #(#arms)*
                _ => #error::unhandled(meta),
            }
        }
    };
    quote! {
        /// The operation's output or error, from a whole response. Public only for the project's
        /// benchmarks; not part of the API.
        #[doc(hidden)]
        #inline
        pub fn deserialize(response: &::smithy_runtime::client::HttpResponse) -> ::std::result::Result<#output, ::smithy_runtime::client::ParseFailure<#error>> {
            if !response.status().is_success() {
                return ::std::result::Result::Err(match deserialize_error(response) {
                    ::std::result::Result::Ok(e) => ::smithy_runtime::client::ParseFailure::Service(e),
                    ::std::result::Result::Err(e) => ::smithy_runtime::client::ParseFailure::Response(e),
                });
            }
            let #builder_mut builder = #output::builder()._set_request_id(::smithy_runtime::RequestId::request_id(response).map(::std::borrow::ToOwned::to_owned));
            #read
            ::std::result::Result::Ok(#build)
        }

        /// The operation's error from an error response, or why the response could not be read.
        #inline
        fn deserialize_error(response: &::smithy_runtime::client::HttpResponse) -> ::std::result::Result<#error, ::smithy_runtime::error::BoxError> {
            let meta = ::smithy_runtime::protocol::rest_json::error_metadata(response.status().as_u16(), response.headers(), response.body());
            ::std::result::Result::Ok(#error_value)
        }
    }
}

/// Reads one error structure from a response (shared by every operation that can return it).
fn error_parser(ctx: &EmitContext, s: &Structure) -> TokenStream {
    let f = snake_ident(&s.rust_name);
    let t = ctx.named(&Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure });
    let map_err = quote!(.map_err(::smithy_runtime::error::boxed));
    let read = read_members(ctx, s, &map_err);
    let build = if fallible(s) { quote!(builder.build() #map_err ?) } else { quote!(builder.build()) };
    // Services send the message as `message` as often as the model's `Message`; fall back to
    // whatever the metadata found.
    let message = s
        .error
        .as_ref()
        .and_then(|e| e.message_member.as_ref())
        .and_then(|r| s.members.iter().find(|m| &m.rust_name == r));
    let fallback = match message {
        Some(m) if m.optional && matches!(m.ty, Type::String { .. }) => {
            let mf = ident(&m.rust_name);
            quote! {
                if error.#mf.is_none() {
                    error.#mf = meta.message().map(::std::borrow::ToOwned::to_owned);
                }
            }
        }
        _ => quote!(),
    };
    let builder_mut = if read.is_empty() { quote!() } else { quote!(mut) };
    // A member-less error reads nothing from the response but its metadata.
    let unused = if read.is_empty() { quote!(let _ = response;) } else { quote!() };
    quote! {
        pub(crate) fn #f(response: &::smithy_runtime::client::HttpResponse, meta: ::smithy_runtime::ErrorMetadata) -> ::std::result::Result<#t, ::smithy_runtime::error::BoxError> {
            #unused
            let #builder_mut builder = #t::builder();
            #read
            let mut error = #build;
            #fallback
            error.meta = meta;
            ::std::result::Result::Ok(error)
        }
    }
}

// ---- server ----

fn route(op: &Operation) -> TokenStream {
    let name = &op.name;
    let method = op.method.as_str();
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
    if input.id != crate::model::prelude::unit() && (has_body || input.members.is_empty()) {
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
    payload_media_type(output)
        .or_else(|| (output.id != crate::model::prelude::unit()).then(|| "application/json".into()))
}

fn request_parser(ctx: &EmitContext, op: &Operation) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let mut reads = Vec::new();
    let mut body_fields = Vec::new();
    let mut body_reads = Vec::new();
    let mut body_sets = Vec::new();
    let label_index = |name: &str| {
        op.uri
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Label(_) | Segment::Greedy(_)))
            .position(|s| matches!(s, Segment::Label(n) | Segment::Greedy(n) if n == name))
    };
    for m in &op.input.members {
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
                let (field, read, set) = read_body_field(ctx, m, json);
                body_fields.push(field);
                body_reads.push(read);
                body_sets.push(set);
                continue;
            }
            Binding::ResponseCode => continue,
        };
        reads.push(quote!(builder = builder.#set(#read);));
    }
    let body = if body_fields.is_empty() {
        quote!()
    } else {
        let body_struct = body_struct(&op.input, &body_fields, &body_reads);
        quote! {
            #body_struct
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
fn output_value_ref(value: &TokenStream, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    match (m.optional, m.boxed) {
        (true, true) => quote!(#value.#f.as_deref()),
        (true, false) => quote!(#value.#f.as_ref()),
        (false, true) => quote!(::std::option::Option::Some(&*#value.#f)),
        (false, false) => quote!(::std::option::Option::Some(&#value.#f)),
    }
}

/// Statements building the response for an output or error structure held in `value`.
fn response_writer(s: &Structure, value: &TokenStream, status: u16, error_code: Option<&str>) -> TokenStream {
    let mut writes = Vec::new();
    let mut body_writes = Vec::new();
    if let Some(code) = error_code {
        writes.push(quote!(::smithy_runtime::protocol::rest_json::error_type(&mut response, #code);));
    }
    for m in &s.members {
        let f = ident(&m.rust_name);
        let fmt = text_format(&m.ty, &m.binding);
        let v = output_value_ref(value, m);
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
            Binding::Body(json) => body_writes.push(body_write(m, json, &v)),
            Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams => {}
        }
    }
    // With no body members, restJson1 answers `{}` all the same, but nothing for `Unit` or when a
    // payload member is the body.
    let has_payload = s.members.iter().any(|m| m.binding == Binding::Payload);
    let body = if body_writes.is_empty() {
        if !has_payload && s.id != crate::model::prelude::unit() {
            quote!(response.json_body(&::smithy_runtime::json::Unit);)
        } else {
            quote!()
        }
    } else {
        written_body(&body_writes, quote!(response.written_json_body(body);))
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
