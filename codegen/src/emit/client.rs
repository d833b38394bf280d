//! Emits the client crate: `Client` with one method per operation, its config, fluent builders
//! with `send()`, and per operation the static facts the orchestrator needs. The request
//! serialiser, response parser and error parsers come from the service's protocol
//! ([`super::protocol`]). The module layout matches the AWS SDK for Rust.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{EmitContext, brief_docs, compiled_where_called, docs, ident, prefixed};
use crate::ir::{Ir, Member, Named, NamedKind, Operation, Pagination, PathStep, Structure, Type};

/// The lint settings of a client crate's `generated.rs`.
fn crate_attributes() -> TokenStream {
    quote! {
        #![allow(deprecated, reason = "deprecated members are still sent and received")]
        #![allow(clippy::needless_update, clippy::useless_conversion, reason = "generated code is uniform across shapes")]
        #![allow(clippy::result_large_err, reason = "modeled errors travel by value, as in the AWS SDK; they are the uncommon path")]
    }
}

/// The whole `generated.rs` of the client crate. With `groups` (each a client group crate's
/// name and its operations, as indices into `ir.operations`), the operations' modules are in
/// those crates and re-exported here (see [`emit_group`]); without, they are here.
pub fn emit(ir: &Ir, ctx: &EmitContext, groups: &[(String, Vec<usize>)]) -> TokenStream {
    let inline = compiled_where_called();
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
            #inline
            pub fn #f(&self) -> operation::#module::builders::#fluent {
                operation::#module::builders::#fluent::new(self.handle.clone())
            }
        }
    });
    let protocol = super::protocol::of(ir);
    let (operations, de_errors): (Vec<TokenStream>, TokenStream) = if groups.is_empty() {
        let errors = ir.structures.iter().filter(|s| s.error.is_some()).map(|s| protocol.client_error_parser(ctx, s));
        (ir.operations.iter().map(|op| operation(ir, ctx, op, false)).collect(), quote!(mod de_errors { #(#errors)* }))
    } else {
        let reexports = groups.iter().flat_map(|(name, operations)| {
            let group = super::common::crate_path(name);
            operations.iter().map(move |&i| operation_reexport(&ir.operations[i], &group))
        });
        (reexports.collect(), quote!())
    };
    let service_error = service_error(ir, ctx);
    let attributes = crate_attributes();
    quote! {
        #attributes

        /// Client configuration: region, endpoint, credentials, retries, timeouts.
        pub mod config {
            pub use ::smithy_runtime::client::{
                BehaviorVersion, Config, ConfigBuilder as Builder, Credentials, IntoRegion, ProvideCredentials, Region,
                SharedCredentialsProvider, StaticTimeSource, TimeSource,
            };
            pub use ::smithy_runtime::client::env::Env;
            /// The HTTP request and response types (`raw_response()` gives the latter).
            pub mod http {
                pub use ::smithy_runtime::client::{HttpRequest, HttpResponse};
            }
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

        /// Errors of calls. `ProvideErrorMetadata` (for `code()` and `message()`) and
        /// `operation::RequestId` (for `request_id()`) are traits, as in the AWS SDK: bring them
        /// into scope to call them.
        pub mod error {
            pub use ::smithy_runtime::client::{ConstructionFailure, DispatchFailure, DisplayErrorContext, ResponseError, SdkError, ServiceError, TimeoutError};
            pub use ::smithy_runtime::{BuildError, ErrorMetadata, ProvideErrorMetadata, Unhandled};
        }

        mod error_meta {
            #service_error
        }
        pub use error_meta::Error;

        /// The client, and per-call customisation of its operations.
        pub mod client {
            pub use super::Client;
            /// An operation sent with per-call settings: the fluent builders' `customize()`.
            pub mod customize {
                pub use ::smithy_runtime::client::customize::CustomizableOperation;
            }
        }

        /// Primitive types the shapes use: aws-smithy-types' own, as in the AWS SDK, so that
        /// whatever works with the SDK's values (aws-smithy-types-convert's conversions to chrono
        /// and time, for one) works with these.
        pub mod primitives {
            pub use ::smithy_runtime::aws_smithy_types::date_time::Format as DateTimeFormat;
            pub use ::smithy_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document, Number, UnknownUnionMember, UnknownVariantValue};
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
            ///
            /// Needs this crate's `aws-config` feature (`features = ["aws-config"]` on its
            /// dependency line); without it, build a [`Config`] and call [`Client::from_conf`].
            #[cfg(feature = "aws-config")]
            pub fn new(sdk_config: &::smithy_runtime::client::sdk_config::SdkConfig) -> Self {
                Self::from_conf(::smithy_runtime::client::Config::from_sdk_config_for_service(sdk_config, &SERVICE))
            }

            /// Without this crate's `aws-config` feature there is no `Client::new(&SdkConfig)`:
            /// a call to it fails to compile with a message that says to turn the feature on
            /// (`features = ["aws-config"]`), or to build a [`Config`] and call
            /// [`Client::from_conf`].
            #[cfg(not(feature = "aws-config"))]
            pub fn new<C: NeedsAwsConfigFeature>(sdk_config: &C) -> Self {
                Self::from_conf(sdk_config.config())
            }

            /// The configuration.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            #(#methods)*
        }

        /// Implemented by nothing: what `Client::new` asks of its argument without the
        /// `aws-config` feature, so that the compiler's error says what is missing.
        #[cfg(not(feature = "aws-config"))]
        #[diagnostic::on_unimplemented(
            message = "`Client::new(&SdkConfig)` needs the `aws-config` feature of this client crate",
            label = "`Client::new` takes an aws-config `SdkConfig` only with the `aws-config` feature",
            note = "add `features = [\"aws-config\"]` to the client's dependency line in Cargo.toml, or build a `Config` with `Config::builder()` and call `Client::from_conf`"
        )]
        pub trait NeedsAwsConfigFeature {
            /// Never called: nothing implements this trait.
            #[doc(hidden)]
            fn config(&self) -> Config;
        }

        /// One module per operation: its input, output and error types, and its fluent builder.
        pub mod operation {
            pub use ::smithy_runtime::RequestId;

            #(#operations)*
        }

        #de_errors
    }
}

/// The whole `generated.rs` of a client group crate (`connect-client-1`; see
/// `super::Options::operations_per_crate`): the modules of `operations`, and the error parsers
/// they use. The client crate re-exports each module at the same path and adds what needs the
/// whole service: `Client`'s methods and the `From` of each operation's error into `Error`.
pub fn emit_group(ir: &Ir, ctx: &EmitContext, operations: &[&Operation]) -> TokenStream {
    let protocol = super::protocol::of(ir);
    let used: BTreeSet<&str> =
        operations.iter().flat_map(|op| op.errors.iter().map(|e| e.rust_name.as_str())).collect();
    let errors = ir
        .structures
        .iter()
        .filter(|s| s.error.is_some() && used.contains(s.rust_name.as_str()))
        .map(|s| protocol.client_error_parser(ctx, s));
    let modules = operations.iter().map(|op| operation(ir, ctx, op, true));
    let attributes = crate_attributes();
    quote! {
        #attributes

        /// One module per operation: its input, output and error types, its fluent builder
        /// and paginator, its request writing and response reading.
        pub mod operation {
            #(#modules)*
        }

        mod de_errors {
            #(#errors)*
        }
    }
}

/// An operation's module in the client crate when a group crate has its code: the group's
/// module re-exported, and the `From` of its error into the crate's `Error`, which only this
/// crate can implement.
fn operation_reexport(op: &Operation, group: &TokenStream) -> TokenStream {
    let module = ident(&op.snake_name);
    let module_doc = format!(" The `{}` operation.", op.name);
    let from = into_service_error(op);
    quote! {
        #[doc = #module_doc]
        pub mod #module {
            #[doc(inline)]
            pub use #group::operation::#module::*;

            #from
        }
    }
}

fn opt_str(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

/// An operation's module of the client: its fluent builder, paginator, request writing and
/// response reading, and (`in_group` false) the `From` of its error into the crate's `Error`.
/// In a group crate (`in_group`), the fluent builder's constructor is public (hidden) for the
/// client crate's `Client` method, and the `From` is left to the client crate (see
/// [`operation_reexport`]).
fn operation(ir: &Ir, ctx: &EmitContext, op: &Operation, in_group: bool) -> TokenStream {
    let inline = compiled_where_called();
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
    let forwards = op.input.members.iter().map(|m| forward(ctx, &op.input, m));
    let protocol = super::protocol::of(ir);
    let serialize = protocol.client_serializer(ctx, op);
    let retryable = op.errors.iter().filter_map(|e| {
        let info = ir.structures.iter().find(|s| s.rust_name == e.rust_name)?.error.as_ref()?;
        let throttling = info.retryable?.throttling;
        let code = &e.code;
        Some(quote!((#code, #throttling)))
    });
    let deserialize = protocol.client_deserializer(ctx, op);
    let module_doc = format!(" The `{}` operation.", op.name);
    let checksum_required = op.checksum_required;
    let tree_hash = op.tree_hash_checksums;
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
    let into_service_error = if in_group { quote!() } else { into_service_error(op) };
    let new_visibility = if in_group { quote!(#[doc(hidden)] pub) } else { quote!(pub(crate)) };
    let (into_paginator, paginator) = match &op.pagination {
        Some(p) => paginator(ctx, op, p),
        None => (quote!(), quote!()),
    };
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
                    pub(crate) handle: ::std::sync::Arc<::smithy_runtime::client::Handle>,
                    pub(crate) inner: #input_builder,
                    pub(crate) config_override: ::std::option::Option<::smithy_runtime::client::ConfigBuilder>,
                }

                impl #fluent {
                    #inline
                    #new_visibility fn new(handle: ::std::sync::Arc<::smithy_runtime::client::Handle>) -> Self {
                        Self { handle, inner: ::std::default::Default::default(), config_override: ::std::option::Option::None }
                    }

                    /// The input built so far.
                    #inline
                    pub fn as_input(&self) -> &#input_builder {
                        &self.inner
                    }

                    /// Settings that apply to this call only, over the client's.
                    #inline
                    pub fn config_override(mut self, config: impl ::std::convert::Into<::smithy_runtime::client::ConfigBuilder>) -> Self {
                        self.config_override = ::std::option::Option::Some(config.into());
                        self
                    }

                    /// Sets or clears the settings that apply to this call only.
                    #inline
                    pub fn set_config_override(&mut self, config: ::std::option::Option<::smithy_runtime::client::ConfigBuilder>) -> &mut Self {
                        self.config_override = config;
                        self
                    }

                    /// This call with per-call settings: `.customize().config_override(..).send()`,
                    /// as in the AWS SDK.
                    #inline
                    pub fn customize(self) -> ::smithy_runtime::client::customize::CustomizableOperation<super::#output, super::#error, Self> {
                        ::smithy_runtime::client::customize::CustomizableOperation::new(self)
                    }

                    /// Sends the request and waits for the response.
                    pub async fn send(self) -> ::std::result::Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>> {
                        let #input_mut input = self.inner.build().map_err(|e| ::smithy_runtime::client::SdkError::construction_failure(::smithy_runtime::error::boxed(e)))?;
                        #(#tokens)*
                        #(#buffers)*
                        self.handle.call(&super::OPERATION, self.config_override.as_ref(), super::serialize(&input), super::deserialize).await
                    }

                    #into_paginator

                    #(#forwards)*
                }
            }

            impl ::smithy_runtime::client::customize::CustomizableSend<#output, #error> for builders::#fluent {
                #inline
                fn send_with_config_override(self, config_override: ::std::option::Option<::smithy_runtime::client::ConfigBuilder>) -> impl ::std::future::Future<Output = ::std::result::Result<#output, ::smithy_runtime::client::SdkError<#error>>> {
                    let builder = match config_override {
                        ::std::option::Option::Some(config) => self.config_override(config),
                        ::std::option::Option::None => self,
                    };
                    builder.send()
                }
            }

            #into_service_error

            #paginator

            static OPERATION: ::smithy_runtime::client::OperationInfo = ::smithy_runtime::client::OperationInfo {
                name: #name,
                retryable_errors: &[#(#retryable),*],
                checksum_required: #checksum_required,
                request_compression: &[#(#compression),*],
                tree_hash_checksums: #tree_hash,
            };

            #serialize
            #deserialize
        }
    }
}

/// An expression reading a path of members (`page.result.next_token`) off `value` (owned when
/// `owned`): the last member's value (by reference unless owned; `&str` for a string), in an
/// `Option` when some member on the way is optional (the `bool`).
fn path_expr(value: TokenStream, steps: &[PathStep], owned: bool, last: &Type) -> (TokenStream, bool) {
    let mut expr = value;
    let mut wrapped = false;
    for (i, step) in steps.iter().enumerate() {
        let f = ident(&step.rust_name);
        let string = i + 1 == steps.len() && matches!(last, Type::String { .. });
        let access = |v: TokenStream| match (owned, step.optional, step.boxed) {
            (true, true, true) => quote!(#v.#f.map(|b| *b)),
            (true, true, false) | (true, false, false) => quote!(#v.#f),
            (true, false, true) => quote!(*#v.#f),
            (false, true, boxed) if string || boxed => quote!(#v.#f.as_deref()),
            (false, true, _) => quote!(#v.#f.as_ref()),
            (false, false, _) if string => quote!(#v.#f.as_str()),
            (false, false, true) => quote!(&*#v.#f),
            (false, false, false) => quote!(&#v.#f),
        };
        expr = match (wrapped, step.optional) {
            (false, _) => access(expr),
            (true, true) => {
                let inner = access(quote!(v));
                quote!(#expr.and_then(|v| #inner))
            }
            (true, false) => {
                let inner = access(quote!(v));
                quote!(#expr.map(|v| #inner))
            }
        };
        wrapped |= step.optional;
    }
    (expr, wrapped)
}

/// `into_paginator()` for the fluent builder, and the operation's `paginator` module.
fn paginator(ctx: &EmitContext, op: &Operation, p: &Pagination) -> (TokenStream, TokenStream) {
    let inline = compiled_where_called();
    let fluent = format_ident!("{}FluentBuilder", op.name);
    let paginator = format_ident!("{}Paginator", op.name);
    let items_name = format_ident!("{}PaginatorItems", op.name);
    let input_builder = format_ident!("{}Builder", op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let get_token = prefixed("get_", &p.input_token);
    let set_token = prefixed("set_", &p.input_token);
    let next_token = match path_expr(quote!(page), &p.output_token, false, &Type::String { media_type: None }) {
        (expr, true) => expr,
        (expr, false) => quote!(::std::option::Option::Some(#expr)),
    };
    let page_size = p.page_size.as_ref().map(|size| {
        let f = ident(size);
        let ty = op.input.members.iter().find(|m| &m.rust_name == size).map_or(quote!(i32), |m| ctx.ty(&m.ty));
        quote! {
            /// The most items a page holds (the input member the model names as the page size).
            #inline
            pub fn page_size(mut self, limit: #ty) -> Self {
                self.inner = self.inner.#f(limit);
                self
            }
        }
    });
    let (items_method, items_type) = match &p.item_type {
        None => (quote!(), quote!()),
        Some(ty) => {
            let (take, optional) = path_expr(quote!(page), &p.items, true, ty);
            let (item, collect) = match (ty, optional) {
                (Type::List { member, sparse }, optional) => {
                    let e = ctx.ty(&member.ty);
                    let e = if *sparse { quote!(::std::option::Option<#e>) } else { e };
                    (e, if optional { quote!(#take.unwrap_or_default()) } else { take })
                }
                (Type::Map { key, value, sparse }, optional) => {
                    let (k, v) = (ctx.ty(&key.ty), ctx.ty(&value.ty));
                    let v = if *sparse { quote!(::std::option::Option<#v>) } else { v };
                    let collect = if optional {
                        quote!(#take.map(|m| m.into_iter().collect()).unwrap_or_default())
                    } else {
                        quote!(#take.into_iter().collect())
                    };
                    (quote!((#k, #v)), collect)
                }
                _ => (quote!(()), quote!(::std::vec::Vec::new())),
            };
            let doc = format!(" The items of every page of `{}`, one at a time.", op.name);
            let method = quote! {
                /// The items of every page instead of the pages.
                #inline
                pub fn items(self) -> #items_name {
                    #items_name(self)
                }
            };
            let items_type = quote! {
                #[doc = #doc]
                #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                pub struct #items_name(#paginator);

                impl #items_name {
                    /// Sends the requests as the stream is read.
                    #inline
                    pub fn send(self) -> ::smithy_runtime::client::paginator::PaginationStream<::std::result::Result<#item, ::smithy_runtime::client::SdkError<super::#error>>> {
                        ::smithy_runtime::client::paginator::items(self.0.send(), |page: super::#output| -> ::std::vec::Vec<#item> { #collect })
                    }
                }
            };
            (method, items_type)
        }
    };
    let paginator_doc = format!(
        " Pages through `{}`: [`send`]({paginator}::send) gives a stream of pages, each request carrying the token of the page before.",
        op.name
    );
    let into = quote! {
        /// Pages through the results instead of sending one request: see the paginator.
        #inline
        pub fn into_paginator(self) -> super::paginator::#paginator {
            super::paginator::#paginator::new(self.handle, self.inner, self.config_override)
        }
    };
    let module = quote! {
        /// The paginator of this operation.
        pub mod paginator {
            #[doc = #paginator_doc]
            #[derive(::std::clone::Clone, ::std::fmt::Debug)]
            pub struct #paginator {
                handle: ::std::sync::Arc<::smithy_runtime::client::Handle>,
                inner: super::builders::#input_builder,
                config_override: ::std::option::Option<::smithy_runtime::client::ConfigBuilder>,
                stop_on_duplicate_token: bool,
            }

            impl #paginator {
                #inline
                pub(crate) fn new(
                    handle: ::std::sync::Arc<::smithy_runtime::client::Handle>,
                    inner: super::builders::#input_builder,
                    config_override: ::std::option::Option<::smithy_runtime::client::ConfigBuilder>,
                ) -> Self {
                    Self { handle, inner, config_override, stop_on_duplicate_token: true }
                }

                #page_size

                /// Whether a page that repeats its request's token ends the stream with an
                /// error (the default), or paging goes on (for the rare operation where that is
                /// intended).
                #inline
                pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                    self.stop_on_duplicate_token = stop;
                    self
                }

                #items_method

                /// Sends the requests as the stream is read.
                #inline
                pub fn send(self) -> ::smithy_runtime::client::paginator::PaginationStream<::std::result::Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>>> {
                    let Self { handle, inner, config_override, stop_on_duplicate_token } = self;
                    ::smithy_runtime::client::paginator::paginate(
                        inner.#get_token().clone(),
                        stop_on_duplicate_token,
                        |page: &super::#output| #next_token,
                        move |token| {
                            let inner = inner.clone().#set_token(token);
                            let call = super::builders::#fluent { handle: handle.clone(), inner, config_override: config_override.clone() };
                            call.send()
                        },
                    )
                }
            }

            #items_type
        }
    };
    (into, module)
}

/// The fluent builder's copy of one input builder method set.
fn forward(ctx: &EmitContext, input: &Structure, m: &Member) -> TokenStream {
    let inline = compiled_where_called();
    let f = ident(&m.rust_name);
    let set = prefixed("set_", &m.rust_name);
    let get = prefixed("get_", &m.rust_name);
    let base = ctx.ty(&m.ty);
    let doc = docs(&m.docs, &format!("The `{}` member.", m.name));
    let brief =
        brief_docs(&m.docs, &format!("The `{}` member.", m.name), &super::types::more_on_at(input, m, "super::"));
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
                #inline
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
                #inline
                pub fn #f(mut self, key: impl ::std::convert::Into<#k>, #param) -> Self {
                    self.inner = self.inner.#f(key, value);
                    self
                }
            }
        }
        _ => quote! {
            #doc
            #inline
            pub fn #f(mut self, input: impl ::std::convert::Into<#base>) -> Self {
                self.inner = self.inner.#f(input);
                self
            }
        },
    };
    quote! {
        #adder
        #brief
        #inline
        pub fn #set(mut self, input: ::std::option::Option<#base>) -> Self {
            self.inner = self.inner.#set(input);
            self
        }
        #brief
        #inline
        pub fn #get(&self) -> &::std::option::Option<#base> {
            self.inner.#get()
        }
    }
}

/// The crate-level `Error` (the AWS SDK's `crate::Error`): one variant per modeled error of any
/// operation, and an opaque `Unhandled`, with `From` every operation error and every
/// `SdkError`, so that `?` gathers the errors of all calls into one type.
fn service_error(ir: &Ir, ctx: &EmitContext) -> TokenStream {
    let mut names: Vec<&str> =
        ir.operations.iter().flat_map(|op| op.errors.iter().map(|e| e.rust_name.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    let variants = names.iter().map(|name| {
        let v = ident(name);
        let t = ctx.named(&Named { rust_name: (*name).to_owned(), kind: NamedKind::Structure });
        let s = ir.structures.iter().find(|s| s.rust_name == *name);
        let d = brief_docs(
            &s.and_then(|s| s.docs.clone()),
            &format!("The `{name}` error."),
            "More in the error type's documentation.",
        );
        quote!(#d #v(#t),)
    });
    let arms = |body: TokenStream, unhandled: TokenStream| {
        let arms = names.iter().map(|name| {
            let v = ident(name);
            quote!(Error::#v(inner) => #body,)
        });
        quote!(match self { #(#arms)* Error::Unhandled(inner) => #unhandled, })
    };
    let display = arms(quote!(::std::fmt::Display::fmt(inner, f)), quote!(::std::fmt::Display::fmt(inner, f)));
    let source = arms(
        quote!(::std::error::Error::source(inner)),
        quote!(::std::option::Option::Some(inner.source.as_ref() as &(dyn ::std::error::Error + 'static))),
    );
    let meta = arms(quote!(::smithy_runtime::ProvideErrorMetadata::meta(inner)), quote!(&inner.meta));
    let code = arms(quote!(::smithy_runtime::ProvideErrorMetadata::code(inner)), quote!(inner.meta.code()));
    let message = arms(quote!(::smithy_runtime::ProvideErrorMetadata::message(inner)), quote!(inner.meta.message()));
    let request_id = arms(quote!(::smithy_runtime::RequestId::request_id(inner)), quote!(inner.meta.request_id()));
    quote! {
        /// Every error of the service: one variant per modeled error of any operation, and
        /// `Unhandled` for anything else (an error the model does not describe, a timeout, a
        /// connection failure, a response that could not be read). Every operation's error and
        /// `SdkError` convert into it, so `?` gathers the errors of all calls, as with the AWS
        /// SDK's `Error`. Its `Display` names the cause; `code()`, `message()` and `meta()` come
        /// from `error::ProvideErrorMetadata`, `request_id()` from `operation::RequestId`.
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum Error {
            #(#variants)*
            /// Anything the other variants do not describe. Its content is opaque, as in the
            /// AWS SDK: match it with a wildcard and look at `.code()`.
            #[deprecated(note = "Matching `Unhandled` directly is not forwards compatible: match with a wildcard pattern and check `.code()` (from `error::ProvideErrorMetadata`).")]
            Unhandled(sealed_unhandled::Unhandled),
        }

        pub(crate) mod sealed_unhandled {
            /// An error none of `Error`'s other variants describes: its metadata, and the
            /// error it came from.
            #[derive(::std::fmt::Debug)]
            pub struct Unhandled {
                pub(crate) source: ::smithy_runtime::error::BoxError,
                pub(crate) meta: ::smithy_runtime::ErrorMetadata,
            }

            impl ::std::fmt::Display for Unhandled {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.source, f)
                }
            }

            impl Unhandled {
                /// From any error, with the metadata it gives.
                pub(crate) fn new<E: ::smithy_runtime::ProvideErrorMetadata + ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>(err: E) -> Self {
                    let meta = ::smithy_runtime::ProvideErrorMetadata::meta(&err).clone();
                    Unhandled { source: ::smithy_runtime::error::boxed(err), meta }
                }
            }
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                #source
            }
        }

        impl ::smithy_runtime::ProvideErrorMetadata for Error {
            fn meta(&self) -> &::smithy_runtime::ErrorMetadata {
                #meta
            }
            fn code(&self) -> ::std::option::Option<&str> {
                #code
            }
            fn message(&self) -> ::std::option::Option<&str> {
                #message
            }
        }

        impl ::smithy_runtime::RequestId for Error {
            fn request_id(&self) -> ::std::option::Option<&str> {
                #request_id
            }
        }

        impl<E> ::std::convert::From<::smithy_runtime::client::SdkError<E>> for Error
        where
            E: ::std::convert::Into<Error> + ::smithy_runtime::ProvideErrorMetadata + ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static,
        {
            /// The service error as its variant; any other failure as `Unhandled`, with the
            /// request id and status of a response that could not be read.
            fn from(err: ::smithy_runtime::client::SdkError<E>) -> Self {
                match err {
                    ::smithy_runtime::client::SdkError::ServiceError(context) => context.into_err().into(),
                    err => {
                        let meta = ::smithy_runtime::client::failure_metadata(&err);
                        Error::Unhandled(sealed_unhandled::Unhandled { source: ::smithy_runtime::error::boxed(err), meta })
                    }
                }
            }
        }

        impl ::std::convert::From<::smithy_runtime::BuildError> for Error {
            fn from(err: ::smithy_runtime::BuildError) -> Self {
                Error::Unhandled(sealed_unhandled::Unhandled { source: ::smithy_runtime::error::boxed(err), meta: ::std::default::Default::default() })
            }
        }
    }
}

/// `From` the operation's error into the crate-level `Error`: its modeled errors as the
/// variants of the same name, anything else as `Unhandled`.
fn into_service_error(op: &Operation) -> TokenStream {
    let inline = compiled_where_called();
    let error = ident(&op.error_name);
    let body = if op.errors.is_empty() {
        quote!(crate::generated::Error::Unhandled(crate::generated::error_meta::sealed_unhandled::Unhandled::new(err)))
    } else {
        let arms = op.errors.iter().map(|e| {
            let v = ident(&e.rust_name);
            quote!(#error::#v(inner) => crate::generated::Error::#v(inner),)
        });
        quote! {
            // The operation error is `#[non_exhaustive]`: its `Unhandled` and any later
            // variant take the wildcard.
            match err {
                #(#arms)*
                other => crate::generated::Error::Unhandled(crate::generated::error_meta::sealed_unhandled::Unhandled::new(other)),
            }
        }
    };
    quote! {
        impl ::std::convert::From<#error> for crate::generated::Error {
            #inline
            fn from(err: #error) -> Self {
                #body
            }
        }
    }
}
