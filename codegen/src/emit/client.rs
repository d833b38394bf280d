//! Emits the client crate: `Client` with one method per operation, fluent builders with
//! `send()`, and per operation the request serialiser and response parser, all calling the
//! runtime's `client` module. The module layout matches the AWS SDK for Rust.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{Ctx, docs, ident, prefixed, snake_ident, text_format, with_attr};
use crate::ir::{Binding, HostPrefixPart, Ir, Member, Named, NamedKind, Operation, Segment, Structure, Type};

/// The whole `generated.rs` of the client crate.
pub fn emit(ir: &Ir, ctx: &Ctx) -> TokenStream {
    let types = &ctx.types;
    let s = &ir.service;
    let sdk_id = &s.sdk_id;
    let signing = opt_str(&s.signing_name);
    let prefix = opt_str(&s.endpoint_prefix);
    let version = opt_str(&s.version);
    let rules = opt_str(&s.endpoint_rule_set);
    let client_doc = format!(" A client for {}.", s.title);
    let methods = ir.operations.iter().map(|op| {
        let f = ident(&op.snake_name);
        let module = ident(&op.snake_name);
        let fluent = format_ident!("{}FluentBuilder", op.name);
        let d = docs(&op.docs, &format!("Calls the `{}` operation.", op.name));
        quote! {
            #d
            pub fn #f(&self) -> operation::#module::builders::#fluent {
                operation::#module::builders::#fluent::new(self.handle.clone())
            }
        }
    });
    let operations = ir.operations.iter().map(|op| operation(ir, ctx, op));
    let errors = ir.structures.iter().filter(|s| s.error.is_some()).map(|s| error_parser(ctx, s));
    quote! {
        #![allow(deprecated, reason = "deprecated members are still sent and received")]
        #![allow(clippy::needless_update, clippy::useless_conversion, reason = "generated code is uniform across shapes")]
        #![allow(clippy::result_large_err, reason = "modeled errors travel by value, as in the AWS SDK; they are the uncommon path")]

        /// Client configuration: region, endpoint, credentials, retries, timeouts.
        pub mod config {
            pub use ::smithy_runtime::client::{
                Config, ConfigBuilder as Builder, Credentials, ProvideCredentials, Region, SharedCredentialsProvider,
                StaticTimeSource, TimeSource,
            };
            pub use ::smithy_runtime::client::env::Env;
            /// Retry settings.
            pub mod retry {
                pub use ::smithy_runtime::client::retry::RetryConfig;
            }
            /// Timeout settings.
            pub mod timeout {
                pub use ::smithy_runtime::client::{TimeoutConfig, TimeoutConfigBuilder};
            }
            /// Endpoint resolution with the model's endpoint rules (`smithy.rules#endpointRuleSet`).
            pub mod endpoint {
                pub use ::smithy_runtime::client::endpoint::{Endpoint, EndpointError, Params, RuleSet, Value};
                /// The model's endpoint rule set as JSON text, `None` when the model has none.
                pub const RULE_SET: ::std::option::Option<&str> = #rules;
                /// The rule set the client resolves endpoints with, parsed; `None` when the model
                /// has none (the client then uses `https://{endpoint prefix}.{region}.amazonaws.com`).
                pub fn rule_set() -> ::std::option::Option<::std::result::Result<RuleSet, EndpointError>> {
                    RULE_SET.map(RuleSet::parse)
                }
            }
        }
        pub use config::Config;

        /// Errors of calls.
        pub mod error {
            pub use ::smithy_runtime::client::{ConstructionFailure, DispatchFailure, ResponseError, SdkError, ServiceError, TimeoutError};
            pub use ::smithy_runtime::{BuildError, ErrorMetadata, ProvideErrorMetadata, Unhandled};
        }

        /// Primitive types the shapes use.
        pub mod primitives {
            pub use ::smithy_runtime::{Blob, DateTime, Document, UnknownUnionMember, UnknownVariantValue};
        }

        /// The shapes of the model.
        pub mod types {
            pub use #types::types::*;
        }

        pub(crate) static SERVICE: ::smithy_runtime::client::ServiceInfo = ::smithy_runtime::client::ServiceInfo {
            sdk_id: #sdk_id,
            signing_name: #signing,
            endpoint_prefix: #prefix,
            api_version: #version,
            crate_name: env!("CARGO_PKG_NAME"),
            crate_version: env!("CARGO_PKG_VERSION"),
            endpoint_rules: config::endpoint::RULE_SET,
        };

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share one connection pool.
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            handle: ::std::sync::Arc<::smithy_runtime::client::Handle>,
        }

        impl Client {
            /// A client with this configuration.
            pub fn from_conf(conf: Config) -> Self {
                Client { handle: ::std::sync::Arc::new(::smithy_runtime::client::Handle::new(conf, &SERVICE)) }
            }

            /// A client configured by aws-config, as the AWS SDK for Rust's `Client::new`: region,
            /// credentials, endpoint URL (the service-specific one first), FIPS and dual-stack,
            /// retries, timeouts, clock and app name from the `SdkConfig`, where set.
            ///
            /// ```ignore
            /// let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
            /// let client = Client::new(&sdk_config);
            /// ```
            #[cfg(feature = "aws-config")]
            pub fn new(sdk_config: &::smithy_runtime::client::sdk_config::SdkConfig) -> Self {
                Self::from_conf(::smithy_runtime::client::Config::from_sdk_config_for_service(sdk_config, &SERVICE))
            }

            /// The configuration.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            #(#methods)*
        }

        /// One module per operation: its input, output and error types, and its fluent builder.
        pub mod operation {
            #(#operations)*
        }

        mod de_errors {
            #(#errors)*
        }
    }
}

fn opt_str(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn operation(ir: &Ir, ctx: &Ctx, op: &Operation) -> TokenStream {
    let types = &ctx.types;
    let module = ident(&op.snake_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let input_builder = format_ident!("{}Builder", op.input.rust_name);
    let fluent = format_ident!("{}FluentBuilder", op.name);
    let name = &op.name;
    let fluent_doc = format!(
        " Builds and sends a `{}` request: set members, then call [`send`]({}FluentBuilder::send).",
        op.name, op.name
    );
    let forwards = op.input.members.iter().map(|m| forward(ctx, m));
    let serialize = serializer(ctx, op);
    let retryable = op.errors.iter().filter_map(|e| {
        let info = ir.structures.iter().find(|s| s.rust_name == e.rust_name)?.error.as_ref()?;
        let throttling = info.retryable?.throttling;
        let code = &e.code;
        Some(quote!((#code, #throttling)))
    });
    let deserialize = deserializer(ctx, op);
    let module_doc = format!(" The `{}` operation.", op.name);
    let checksum_required = op.checksum_required;
    let compression = &op.request_compression;
    // Idempotency tokens the caller left unset come from the config's provider.
    let tokens: Vec<TokenStream> = op
        .input
        .members
        .iter()
        .filter(|m| m.idempotency_token && matches!(m.ty, Type::String { .. }))
        .map(|m| {
            let f = ident(&m.rust_name);
            quote! {
                if input.#f.is_none() {
                    input.#f = ::std::option::Option::Some(self.handle.idempotency_token(self.config_override.as_ref()));
                }
            }
        })
        .collect();
    // A streaming payload is read into memory before sending, so that its length is known
    // (`@requiresLength`) and a retry can send it again.
    let buffers: Vec<TokenStream> = op
        .input
        .members
        .iter()
        .filter(|m| matches!(m.ty, Type::ByteStream { .. }))
        .map(|m| {
            let f = ident(&m.rust_name);
            quote! {
                if let ::std::option::Option::Some(body) = input.#f.take() {
                    input.#f = ::std::option::Option::Some(body.buffered().await.map_err(|e| ::smithy_runtime::client::SdkError::construction_failure(::smithy_runtime::error::boxed(e)))?);
                }
            }
        })
        .collect();
    let input_mut = if tokens.is_empty() && buffers.is_empty() { quote!() } else { quote!(mut) };
    let fluent_derive =
        if op.input.has_stream() { quote!(::std::fmt::Debug) } else { quote!(::std::clone::Clone, ::std::fmt::Debug) };
    quote! {
        #[doc = #module_doc]
        pub mod #module {
            pub use #types::operation::#module::{#input, #output, #error};

            /// The fluent builder and the input and output builders.
            pub mod builders {
                pub use #types::operation::#module::builders::*;

                #[doc = #fluent_doc]
                #[derive(#fluent_derive)]
                pub struct #fluent {
                    handle: ::std::sync::Arc<::smithy_runtime::client::Handle>,
                    inner: #input_builder,
                    config_override: ::std::option::Option<::smithy_runtime::client::ConfigBuilder>,
                }

                impl #fluent {
                    pub(crate) fn new(handle: ::std::sync::Arc<::smithy_runtime::client::Handle>) -> Self {
                        Self { handle, inner: ::std::default::Default::default(), config_override: ::std::option::Option::None }
                    }

                    /// The input built so far.
                    pub fn as_input(&self) -> &#input_builder {
                        &self.inner
                    }

                    /// Settings that apply to this call only.
                    pub fn config_override(mut self, config: impl ::std::convert::Into<::smithy_runtime::client::ConfigBuilder>) -> Self {
                        self.config_override = ::std::option::Option::Some(config.into());
                        self
                    }

                    /// Sends the request and waits for the response.
                    pub async fn send(self) -> ::std::result::Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>> {
                        let #input_mut input = self.inner.build().map_err(|e| ::smithy_runtime::client::SdkError::construction_failure(::smithy_runtime::error::boxed(e)))?;
                        #(#tokens)*
                        #(#buffers)*
                        self.handle.call(&super::OPERATION, self.config_override.as_ref(), super::serialize(&input), super::deserialize).await
                    }

                    #(#forwards)*
                }
            }

            static OPERATION: ::smithy_runtime::client::OperationInfo = ::smithy_runtime::client::OperationInfo {
                name: #name,
                service: &crate::generated::SERVICE,
                retryable_errors: &[#(#retryable),*],
                checksum_required: #checksum_required,
                request_compression: &[#(#compression),*],
            };

            #serialize
            #deserialize
        }
    }
}

/// The fluent builder's copy of one input builder method set.
fn forward(ctx: &Ctx, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let set = prefixed("set_", &m.rust_name);
    let get = prefixed("get_", &m.rust_name);
    let base = ctx.ty(&m.ty);
    let doc = docs(&m.docs, &format!("The `{}` member.", m.name));
    let adder = match &m.ty {
        Type::List { member, sparse } => {
            let e = ctx.ty(&member.ty);
            let param = if *sparse {
                quote!(input: ::std::option::Option<#e>)
            } else {
                quote!(input: impl ::std::convert::Into<#e>)
            };
            quote! {
                #doc
                #[doc = ""]
                #[doc = " Appends one item; use the `set_` method to replace the whole list."]
                pub fn #f(mut self, #param) -> Self {
                    self.inner = self.inner.#f(input);
                    self
                }
            }
        }
        Type::Map { key, value, sparse } => {
            let k = ctx.ty(&key.ty);
            let v = ctx.ty(&value.ty);
            let param = if *sparse {
                quote!(value: ::std::option::Option<#v>)
            } else {
                quote!(value: impl ::std::convert::Into<#v>)
            };
            quote! {
                #doc
                #[doc = ""]
                #[doc = " Inserts one entry; use the `set_` method to replace the whole map."]
                pub fn #f(mut self, key: impl ::std::convert::Into<#k>, #param) -> Self {
                    self.inner = self.inner.#f(key, value);
                    self
                }
            }
        }
        _ => quote! {
            #doc
            pub fn #f(mut self, input: impl ::std::convert::Into<#base>) -> Self {
                self.inner = self.inner.#f(input);
                self
            }
        },
    };
    quote! {
        #adder
        #doc
        pub fn #set(mut self, input: ::std::option::Option<#base>) -> Self {
            self.inner = self.inner.#set(input);
            self
        }
        #doc
        pub fn #get(&self) -> &::std::option::Option<#base> {
            self.inner.#get()
        }
    }
}

/// A reference to a member's value as `Option<&T>`, for an input whose fields are all optional.
fn value_ref(m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    if m.boxed { quote!(input.#f.as_deref()) } else { quote!(input.#f.as_ref()) }
}

fn serializer(ctx: &Ctx, op: &Operation) -> TokenStream {
    let input_ty = ident(&op.input.rust_name);
    let method = &op.method;
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
                let value = value_ref(m);
                let fmt = text_format(&m.ty, &m.binding);
                path.push(quote! {
                    uri.push('/');
                    ::smithy_runtime::http::push_label(&mut uri, #wire, #value, #greedy, #fmt)?;
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
    let mut body_fields = Vec::new();
    let mut body_values = Vec::new();
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
                            ::std::option::Option::None => request.json_body(#wire, &::smithy_runtime::serde_json::json!({}))?,
                        }
                    },
                    _ => quote! {
                        if let ::std::option::Option::Some(payload) = #value {
                            request.json_body(#wire, payload)?;
                        }
                    },
                };
            }
            Binding::Body(json) => {
                let t = ctx.ty(&m.ty);
                let with = with_attr(&m.ty, true, true).map(|w| quote!(, with = #w));
                body_fields.push(quote! {
                    #[serde(rename = #json, skip_serializing_if = "::std::option::Option::is_none" #with)]
                    #f: ::std::option::Option<&'a #t>,
                });
                body_values.push(quote!(#f: #value,));
            }
            Binding::Label { .. } | Binding::ResponseCode => {}
        }
    }
    let query_block = if query.is_empty() && params.is_empty() {
        quote!()
    } else {
        quote! {
            {
                let mut query = ::smithy_runtime::http::QueryWriter::new(&mut uri);
                #(#query)*
                #(#params)*
            }
        }
    };
    let body = if body_fields.is_empty() {
        payload
    } else {
        quote! {
            #[derive(::smithy_runtime::serde::Serialize)]
            #[serde(crate = "::smithy_runtime::serde")]
            struct Body<'a> {
                #(#body_fields)*
            }
            request.json_body("body", &Body { #(#body_values)* })?;
        }
    };
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
        pub fn serialize(input: &#input_ty) -> ::std::result::Result<::smithy_runtime::client::HttpRequest, ::smithy_runtime::http::BindingError> {
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
fn read_members(ctx: &Ctx, s: &Structure, map_err: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut body_fields = Vec::new();
    let mut body_sets = Vec::new();
    for m in &s.members {
        let f = ident(&m.rust_name);
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
                let with = with_attr(&m.ty, true, false).map(|w| quote!(, with = #w));
                body_fields.push(quote! {
                    #[serde(rename = #json, default #with)]
                    #f: ::std::option::Option<#t>,
                });
                body_sets.push(quote!(builder = builder.#set(body.#f);));
            }
            Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams => {}
        }
    }
    if !body_fields.is_empty() {
        out.extend(quote! {
            #[derive(::smithy_runtime::serde::Deserialize)]
            #[serde(crate = "::smithy_runtime::serde")]
            struct Body {
                #(#body_fields)*
            }
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

fn deserializer(ctx: &Ctx, op: &Operation) -> TokenStream {
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let read = read_members(ctx, &op.output, &quote!());
    let build = if fallible(&op.output) { quote!(builder.build()?) } else { quote!(builder.build()) };
    let arms = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        let code = &e.code;
        let f = snake_ident(&e.rust_name);
        quote! {
            ::std::option::Option::Some(#code) => #error::#v(
                crate::generated::de_errors::#f(response, meta).map_err(::smithy_runtime::client::ParseFailure::Response)?,
            ),
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
        pub fn deserialize(response: &::smithy_runtime::client::HttpResponse) -> ::std::result::Result<#output, ::smithy_runtime::client::ParseFailure<#error>> {
            if !response.status().is_success() {
                return ::std::result::Result::Err(::smithy_runtime::client::ParseFailure::Service(deserialize_error(response)?));
            }
            let #builder_mut builder = #output::builder();
            #read
            ::std::result::Result::Ok(#build)
        }

        fn deserialize_error(response: &::smithy_runtime::client::HttpResponse) -> ::std::result::Result<#error, ::smithy_runtime::client::ParseFailure<#error>> {
            let meta = ::smithy_runtime::ErrorMetadata::from_response(response.status().as_u16(), response.headers(), response.body());
            ::std::result::Result::Ok(#error_value)
        }
    }
}

/// Reads one error structure from a response (shared by every operation that can return it).
fn error_parser(ctx: &Ctx, s: &Structure) -> TokenStream {
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
