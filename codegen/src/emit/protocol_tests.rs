//! Emits Smithy's protocol compliance tests (`smithy.test#…`, read by the lower pass into
//! [`ProtocolTest`]s) as `#[test]`s of the generated crates.
//!
//! Client crate (`tests/protocol/`): a request case sends its `params` through the real client,
//! whose connector records the request instead of sending it, and checks method, path, host,
//! query, headers and body; a response case parses the given response with the operation's
//! deserialiser and compares the result (output or modeled error) with `params`.
//!
//! Server crate (`tests/protocol/`): a request case runs the request through the generated
//! router and compares what the handler receives with `params`; a response case writes
//! `params` with the operation's serialiser and checks the response; a malformed-request case
//! checks how the router answers.
//!
//! Cases only say what they expect, as data; the checks are the runtime's
//! `smithy_runtime::protocol_test`. `params` become builder calls on the generated types
//! ([`Values`]); a case whose `params` do not fit the model becomes a test that fails with the
//! reason, so that it shows up in the suite's report rather than stopping generation.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::common::{EmitContext, ident, prefixed};
use crate::ir::{
    BodyAssertion, HttpMessage, Ir, NamedKind, Operation, ProtocolTest, ProtocolTestKind, Structure, TestSide, Type,
    Union,
};
use crate::model::Node;

/// The token stream of the client crate's protocol test file, `None` when no case applies to
/// clients. `client` is the client crate's path (`::rest_json_client`).
pub fn emit_client(ir: &Ir, client: &TokenStream) -> Option<TokenStream> {
    let ctx = EmitContext::new(ir, client.clone());
    let values = Values::new(ir, &ctx);
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for (case, op) in ir.protocol_cases(TestSide::Client) {
        match &case.kind {
            ProtocolTestKind::Request(_) => requests.push(client_request(&values, client, case, op)),
            ProtocolTestKind::Response(_) => responses.push(client_response(&values, client, case, op)),
            ProtocolTestKind::Malformed(_) => {}
        }
    }
    if requests.is_empty() && responses.is_empty() {
        return None;
    }
    let requests = module(
        "request",
        "`smithy.test#httpRequestTests`: the request the client sends for `params`.",
        requests,
        false,
    );
    let responses =
        module("response", "`smithy.test#httpResponseTests`: what the client reads from a response.", responses, false);
    Some(quote! {
        #![allow(clippy::redundant_clone, clippy::approx_constant, clippy::excessive_precision, reason = "values are written as the test cases give them")]

        #requests
        #responses
    })
}

/// The token stream of the server crate's protocol test file, `None` when no case applies to
/// servers. `server` is the server crate's path.
pub fn emit_server(ir: &Ir, server: &TokenStream) -> Option<TokenStream> {
    let ctx = EmitContext::new(ir, server.clone());
    let values = Values::new(ir, &ctx);
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    let mut malformed = Vec::new();
    for (case, op) in ir.protocol_cases(TestSide::Server) {
        match &case.kind {
            ProtocolTestKind::Request(_) => requests.push(server_request(&values, server, case, op)),
            ProtocolTestKind::Response(_) => responses.push(server_response(&values, server, case, op)),
            ProtocolTestKind::Malformed(_) => malformed.push(server_malformed(server, case)),
        }
    }
    if requests.is_empty() && responses.is_empty() && malformed.is_empty() {
        return None;
    }
    let recorder_used = !requests.is_empty() || !malformed.is_empty();
    let requests =
        module("request", "`smithy.test#httpRequestTests`: what the handler receives for a request.", requests, true);
    let responses = module(
        "response",
        "`smithy.test#httpResponseTests`: the response the server writes for `params`.",
        responses,
        false,
    );
    let malformed = module(
        "malformed",
        "`smithy.test#httpMalformedRequestTests`: how the server rejects a bad request.",
        malformed,
        true,
    );
    let service = ident(&ir.service.name);
    let methods = ir.operations.iter().map(|op| {
        let f = ident(&op.snake_name);
        let module = ident(&op.snake_name);
        let input = ident(&op.input.rust_name);
        let output = ident(&op.output.rust_name);
        let error = ident(&op.error_name);
        let name = &op.name;
        quote! {
            fn #f(&self, input: #server::operation::#module::#input, _context: #server::RequestContext) -> impl ::std::future::Future<Output = ::std::result::Result<#server::operation::#module::#output, #server::operation::#module::#error>> + ::std::marker::Send {
                self.0.record(#name, input);
                async {
                    ::std::result::Result::Err(#server::operation::#module::#error::Unhandled(::smithy_runtime::Unhandled::from_code(500, "ProtocolTestRecorder", "the protocol test only records the input")))
                }
            }
        }
    });
    let recorder = if recorder_used {
        quote! {
            /// A service whose every operation records its input for the test to compare.
            #[derive(::std::clone::Clone, ::std::default::Default)]
            struct Recorder(::smithy_runtime::protocol_test::server::Recorder);

            impl #server::#service for Recorder {
                #(#methods)*
            }
        }
    } else {
        quote!()
    };
    Some(quote! {
        #![allow(clippy::redundant_clone, clippy::approx_constant, clippy::excessive_precision, reason = "values are written as the test cases give them")]

        #recorder

        #requests
        #responses
        #malformed
    })
}

/// A module of tests of one kind, nothing when there are none; `recorder` brings the server's
/// recording service into scope.
fn module(name: &str, doc: &str, tests: Vec<TokenStream>, recorder: bool) -> TokenStream {
    if tests.is_empty() {
        return quote!();
    }
    let name = format_ident!("{}", name);
    let doc = format!(" {doc}");
    let recorder = if recorder {
        quote!(
            use super::Recorder;
        )
    } else {
        quote!()
    };
    quote! {
        #[doc = #doc]
        mod #name {
            #recorder
            #(#tests)*
        }
    }
}

fn doc(case: &ProtocolTest) -> TokenStream {
    let mut lines = vec![format!(" `{}` ({})", case.id, case.operation)];
    if let Some(d) = &case.documentation {
        lines.push(String::new());
        lines.extend(d.lines().map(|l| if l.trim().is_empty() { String::new() } else { format!(" {}", l.trim()) }));
    }
    quote!(#(#[doc = #lines])*)
}

fn strs(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

fn pairs(items: &[(String, String)]) -> TokenStream {
    let pairs = items.iter().map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#pairs),*])
}

fn opt(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

/// A test whose case cannot be expressed: it fails with the reason.
fn broken(case: &ProtocolTest, why: &str) -> TokenStream {
    let name = format_ident!("{}", case.fn_name);
    let doc = doc(case);
    let message = format!("the test case cannot be generated: {why}");
    quote! {
        #doc
        #[test]
        fn #name() {
            panic!(#message);
        }
    }
}

fn client_request(values: &Values, client: &TokenStream, case: &ProtocolTest, op: &Operation) -> TokenStream {
    let ProtocolTestKind::Request(test) = &case.kind else { return quote!() };
    let setters = match values.setters(&op.input, &test.params) {
        Ok(s) => s,
        Err(e) => return broken(case, &e),
    };
    let name = format_ident!("{}", case.fn_name);
    let doc = doc(case);
    let f = ident(&op.snake_name);
    let endpoint = format!("https://{}", test.host.as_deref().unwrap_or("example.com"));
    let host = opt(&test
        .resolved_host
        .clone()
        .or_else(|| test.host.clone().map(|h| h.split('/').next().unwrap_or("").to_owned())));
    let (method, uri) = (&test.method, &test.uri);
    let query = strs(&test.query_params);
    let forbid_query = strs(&test.forbid_query_params);
    let require_query = strs(&test.require_query_params);
    let HttpMessage { headers, forbid_headers, require_headers, body, body_media_type } = &test.message;
    let (headers, forbid_headers, require_headers) = (pairs(headers), strs(forbid_headers), strs(require_headers));
    let (body, media_type) = (opt(body), opt(body_media_type));
    quote! {
        #doc
        #[::tokio::test]
        async fn #name() {
            let connector = ::smithy_runtime::client::test_util::CaptureConnector::new();
            let config = ::smithy_runtime::protocol_test::client::config(#endpoint, connector.clone());
            let client = #client::Client::from_conf(config);
            let result = client.#f() #(#setters)* .send().await;
            let requests = connector.requests();
            let request = match requests.as_slice() {
                [one] => one,
                _ => panic!("expected one request, the client sent {}: {result:?}", requests.len()),
            };
            ::smithy_runtime::protocol_test::assert_request(request, &::smithy_runtime::protocol_test::ExpectedRequest {
                method: #method,
                uri: #uri,
                host: #host,
                query_params: #query,
                forbid_query_params: #forbid_query,
                require_query_params: #require_query,
                headers: #headers,
                forbid_headers: #forbid_headers,
                require_headers: #require_headers,
                body: #body,
                body_media_type: #media_type,
            });
        }
    }
}

/// The expected value of a response case: the operation's output, or the error the case is
/// defined on, with the tokens that unwrap the parsed result into it.
fn expected_result(
    values: &Values,
    krate: &TokenStream,
    case: &ProtocolTest,
    op: &Operation,
    params: &Node,
) -> Result<(TokenStream, Option<TokenStream>), String> {
    let module = ident(&op.snake_name);
    match &case.error {
        None => Ok((values.structure(&op.output, params)?, None)),
        Some(error) => {
            let s = values.structs.get(error.as_str()).ok_or_else(|| format!("no error structure `{error}`"))?;
            let variant = op.errors.iter().find(|e| &e.rust_name == error).map(|e| ident(&e.rust_name));
            let variant = variant.ok_or_else(|| format!("`{}` does not declare the error `{error}`", op.name))?;
            let op_error = ident(&op.error_name);
            Ok((values.structure(s, params)?, Some(quote!(#krate::operation::#module::#op_error::#variant))))
        }
    }
}

fn client_response(values: &Values, client: &TokenStream, case: &ProtocolTest, op: &Operation) -> TokenStream {
    let ProtocolTestKind::Response(test) = &case.kind else { return quote!() };
    let (expected, variant) = match expected_result(values, client, case, op, &test.params) {
        Ok(e) => e,
        Err(e) => return broken(case, &e),
    };
    let name = format_ident!("{}", case.fn_name);
    let doc = doc(case);
    let module = ident(&op.snake_name);
    let code = test.code;
    let headers = pairs(&test.message.headers);
    let body = test.message.body.as_deref().unwrap_or("");
    let check = match variant {
        None => quote! {
            match parsed {
                ::std::result::Result::Ok(actual) => ::smithy_runtime::protocol_test::assert_same(&expected, &actual),
                ::std::result::Result::Err(e) => panic!("the response did not parse as the output: {e:?}"),
            }
        },
        Some(variant) => quote! {
            match parsed {
                ::std::result::Result::Err(::smithy_runtime::client::ParseFailure::Service(#variant(actual))) => {
                    ::smithy_runtime::protocol_test::assert_same(&expected, &actual)
                }
                other => panic!("the response did not parse as the expected error: {other:?}"),
            }
        },
    };
    quote! {
        #doc
        #[test]
        fn #name() {
            let response = ::smithy_runtime::protocol_test::http_response(#code, #headers, #body);
            let parsed = #client::operation::#module::deserialize(&response);
            let expected = #expected;
            #check
        }
    }
}

fn server_request(values: &Values, server: &TokenStream, case: &ProtocolTest, op: &Operation) -> TokenStream {
    let ProtocolTestKind::Request(test) = &case.kind else { return quote!() };
    // A server reads an absent member with a default as the default, and so does the case.
    let expected = match values.structure_with_defaults(&op.input, &test.params) {
        Ok(e) => e,
        Err(e) => return broken(case, &e),
    };
    let name = format_ident!("{}", case.fn_name);
    let doc = doc(case);
    let module = ident(&op.snake_name);
    let input = ident(&op.input.rust_name);
    let (method, uri, op_name) = (&test.method, &test.uri, &op.name);
    let query = strs(&test.query_params);
    let headers = pairs(&test.message.headers);
    let body = test.message.body.as_deref().unwrap_or("");
    quote! {
        #doc
        #[::tokio::test]
        async fn #name() {
            let recorder = Recorder::default();
            let request = ::smithy_runtime::protocol_test::server::request(#method, #uri, #query, #headers, #body);
            let response = ::smithy_runtime::protocol_test::server::serve(#server::router(recorder.clone()), request).await;
            let actual: #server::operation::#module::#input = recorder.0.take(#op_name, &response);
            let expected = #expected;
            ::smithy_runtime::protocol_test::assert_same(&expected, &actual);
        }
    }
}

fn server_response(values: &Values, server: &TokenStream, case: &ProtocolTest, op: &Operation) -> TokenStream {
    let ProtocolTestKind::Response(test) = &case.kind else { return quote!() };
    let (value, variant) = match expected_result(values, server, case, op, &test.params) {
        Ok(e) => e,
        Err(e) => return broken(case, &e),
    };
    let name = format_ident!("{}", case.fn_name);
    let doc = doc(case);
    let module = ident(&op.snake_name);
    let write = match variant {
        None => quote!(#server::handlers::#module::serialize("protocol-test", value)),
        Some(variant) => quote!(#server::handlers::#module::serialize_error("protocol-test", #variant(value))),
    };
    let code = test.code;
    let HttpMessage { headers, forbid_headers, require_headers, body, body_media_type } = &test.message;
    let (headers, forbid_headers, require_headers) = (pairs(headers), strs(forbid_headers), strs(require_headers));
    let (body, media_type) = (opt(body), opt(body_media_type));
    quote! {
        #doc
        #[::tokio::test]
        async fn #name() {
            let value = #value;
            let response = ::smithy_runtime::protocol_test::server::read(#write).await;
            ::smithy_runtime::protocol_test::assert_response(&response, &::smithy_runtime::protocol_test::ExpectedResponse {
                code: #code,
                headers: #headers,
                forbid_headers: #forbid_headers,
                require_headers: #require_headers,
                body: #body,
                body_media_type: #media_type,
            });
        }
    }
}

fn server_malformed(server: &TokenStream, case: &ProtocolTest) -> TokenStream {
    let ProtocolTestKind::Malformed(test) = &case.kind else { return quote!() };
    let name = format_ident!("{}", case.fn_name);
    let doc = doc(case);
    let (method, uri) = (&test.method, &test.uri);
    let query = strs(&test.query_params);
    let headers = pairs(&test.headers);
    let body = test.body.as_deref().unwrap_or("");
    let code = test.code;
    let response_headers = pairs(&test.response_headers);
    let assertion = match &test.response_body {
        None => quote!(::std::option::Option::None),
        Some(b) => {
            let media_type = &b.media_type;
            let assertion = match &b.assertion {
                BodyAssertion::Contents(c) => quote!(::smithy_runtime::protocol_test::BodyAssertion::Contents(#c)),
                BodyAssertion::MessageRegex(r) => {
                    quote!(::smithy_runtime::protocol_test::BodyAssertion::MessageRegex(#r))
                }
            };
            quote!(::std::option::Option::Some((#media_type, #assertion)))
        }
    };
    quote! {
        #doc
        #[::tokio::test]
        async fn #name() {
            let request = ::smithy_runtime::protocol_test::server::request(#method, #uri, #query, #headers, #body);
            let response = ::smithy_runtime::protocol_test::server::serve(#server::router(Recorder::default()), request).await;
            ::smithy_runtime::protocol_test::assert_malformed(&response, &::smithy_runtime::protocol_test::ExpectedMalformed {
                code: #code,
                headers: #response_headers,
                body: #assertion,
            });
        }
    }
}

/// Turns a case's `params` into Rust expressions that build the generated types.
struct Values<'a> {
    ctx: &'a EmitContext,
    structs: BTreeMap<&'a str, &'a Structure>,
    unions: BTreeMap<&'a str, &'a Union>,
}

impl<'a> Values<'a> {
    fn new(ir: &'a Ir, ctx: &'a EmitContext) -> Self {
        Values {
            ctx,
            structs: ir.structures.iter().map(|s| (s.rust_name.as_str(), s)).collect(),
            unions: ir.unions.iter().map(|u| (u.rust_name.as_str(), u)).collect(),
        }
    }

    /// `.set_member(Some(value))` calls for the members `params` sets.
    fn setters(&self, s: &Structure, params: &Node) -> Result<Vec<TokenStream>, String> {
        let object = params.as_object().ok_or_else(|| format!("`{}` must be given as an object", s.id.name()))?;
        let mut out = Vec::new();
        for (key, value) in object {
            let m = s
                .members
                .iter()
                .find(|m| &m.name == key)
                .ok_or_else(|| format!("`{}` has no member `{key}`", s.id.name()))?;
            if value.is_null() {
                continue;
            }
            let set = prefixed("set_", &m.rust_name);
            let v = self.value(&m.ty, value).map_err(|e| format!("`{}.{key}`: {e}", s.id.name()))?;
            out.push(quote!(.#set(::std::option::Option::Some(#v))));
        }
        Ok(out)
    }

    /// A structure value through its builder.
    fn structure(&self, s: &Structure, params: &Node) -> Result<TokenStream, String> {
        self.build(s, params, false)
    }

    /// A structure value through its builder, members with a `@default` that `params` leaves
    /// out set to it (an input as a server reads it).
    fn structure_with_defaults(&self, s: &Structure, params: &Node) -> Result<TokenStream, String> {
        self.build(s, params, true)
    }

    fn build(&self, s: &Structure, params: &Node, defaults: bool) -> Result<TokenStream, String> {
        let mut setters = self.setters(s, params)?;
        if defaults {
            for m in &s.members {
                let given = params.get(&m.name).is_some_and(|v| !v.is_null());
                if let (false, Some(value)) = (given, &m.default) {
                    let set = prefixed("set_", &m.rust_name);
                    let value = super::common::default_expr(self.ctx, &m.ty, value);
                    setters.push(quote!(.#set(::std::option::Option::Some(#value))));
                }
            }
        }
        let path = match s.role {
            crate::ir::StructureRole::Input | crate::ir::StructureRole::Output => {
                let types = &self.ctx.types;
                let name = ident(&s.rust_name);
                let module = ident(&crate::naming::operation_name(
                    s.rust_name.strip_suffix("Input").or_else(|| s.rust_name.strip_suffix("Output")).unwrap_or(""),
                ));
                quote!(#types::operation::#module::#name)
            }
            _ => self.ctx.named(&crate::ir::Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure }),
        };
        let fallible =
            s.role == crate::ir::StructureRole::Input || s.members.iter().any(|m| !m.optional && m.default.is_none());
        let build = if fallible {
            let message = format!("the test case's `{}` is complete", s.id.name());
            quote!(.build().expect(#message))
        } else {
            quote!(.build())
        };
        Ok(quote!(#path::builder() #(#setters)* #build))
    }

    fn value(&self, ty: &Type, node: &Node) -> Result<TokenStream, String> {
        let int = |min: i64, max: i64| -> Result<i64, String> {
            node.as_i64().filter(|v| (min..=max).contains(v)).ok_or_else(|| format!("{node} is not a fitting integer"))
        };
        Ok(match ty {
            Type::Boolean => {
                let b = node.as_bool().ok_or_else(|| format!("{node} is not a boolean"))?;
                quote!(#b)
            }
            Type::Byte => {
                let l = Literal::i8_suffixed(int(i8::MIN.into(), i8::MAX.into())? as i8);
                quote!(#l)
            }
            Type::Short => {
                let l = Literal::i16_suffixed(int(i16::MIN.into(), i16::MAX.into())? as i16);
                quote!(#l)
            }
            Type::Integer => {
                let l = Literal::i32_suffixed(int(i32::MIN.into(), i32::MAX.into())? as i32);
                quote!(#l)
            }
            Type::Long => {
                let l = Literal::i64_suffixed(int(i64::MIN, i64::MAX)?);
                quote!(#l)
            }
            Type::Float | Type::Double => {
                let t = if matches!(ty, Type::Float) { quote!(f32) } else { quote!(f64) };
                match node {
                    Node::String(s) if s == "NaN" => quote!(#t::NAN),
                    Node::String(s) if s == "Infinity" => quote!(#t::INFINITY),
                    Node::String(s) if s == "-Infinity" => quote!(#t::NEG_INFINITY),
                    Node::Number(n) => {
                        let v = n.as_f64().ok_or_else(|| format!("{node} is not a number"))?;
                        let l = if matches!(ty, Type::Float) {
                            Literal::f32_suffixed(v as f32)
                        } else {
                            Literal::f64_suffixed(v)
                        };
                        quote!(#l)
                    }
                    _ => return Err(format!("{node} is not a number")),
                }
            }
            Type::String { .. } => {
                let s = node.as_str().ok_or_else(|| format!("{node} is not a string"))?;
                quote!(::std::string::String::from(#s))
            }
            Type::BigInteger | Type::BigDecimal => {
                let n = node.as_number().ok_or_else(|| format!("{node} is not a number"))?.to_string();
                let t = self.ctx.ty(ty);
                quote!(<#t as ::std::str::FromStr>::from_str(#n).expect("a number"))
            }
            Type::Blob { .. } => {
                let s = node.as_str().ok_or_else(|| format!("{node} is not a string"))?;
                quote!(::smithy_runtime::Blob::new(#s.as_bytes()))
            }
            Type::ByteStream { .. } => {
                let s = node.as_str().ok_or_else(|| format!("{node} is not a string"))?;
                quote!(::smithy_runtime::ByteStream::from(#s.as_bytes().to_vec()))
            }
            Type::Timestamp(_) => match node {
                Node::Number(n) => {
                    let v = n.as_f64().ok_or_else(|| format!("{node} is not a number"))?;
                    let l = Literal::f64_suffixed(v);
                    quote!(::smithy_runtime::timestamp::from_secs_f64(#l).expect("a finite timestamp"))
                }
                Node::String(s) => quote! {
                    ::smithy_runtime::timestamp::parse(#s, ::smithy_runtime::TimestampFormat::DateTime).expect("an RFC 3339 timestamp")
                },
                _ => return Err(format!("{node} is not a timestamp")),
            },
            Type::Document => {
                let json = node.to_string();
                quote!(::smithy_runtime::json::document_from_str(#json).expect("JSON"))
            }
            Type::List { member, sparse } => {
                let items = node.as_array().ok_or_else(|| format!("{node} is not a list"))?;
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let v = if *sparse && item.is_null() {
                        quote!(::std::option::Option::None)
                    } else {
                        let v = self.value(&member.ty, item).map_err(|e| format!("[{i}]: {e}"))?;
                        if *sparse { quote!(::std::option::Option::Some(#v)) } else { v }
                    };
                    out.push(v);
                }
                quote!(::std::vec![#(#out),*])
            }
            Type::Map { key, value, sparse } => {
                let entries = node.as_object().ok_or_else(|| format!("{node} is not a map"))?;
                let mut out = Vec::new();
                for (k, v) in entries {
                    let key = self.value(&key.ty, &Node::String(k.clone()))?;
                    let v = if *sparse && v.is_null() {
                        quote!(::std::option::Option::None)
                    } else {
                        let v = self.value(&value.ty, v).map_err(|e| format!("[{k:?}]: {e}"))?;
                        if *sparse { quote!(::std::option::Option::Some(#v)) } else { v }
                    };
                    out.push(quote!((#key, #v)));
                }
                quote!(::std::collections::HashMap::from([#(#out),*]))
            }
            Type::Named(named) => {
                let path = self.ctx.named(named);
                match named.kind {
                    NamedKind::Enum => {
                        let s = node.as_str().ok_or_else(|| format!("{node} is not a string enum value"))?;
                        quote!(<#path as ::std::convert::From<&str>>::from(#s))
                    }
                    NamedKind::IntEnum => {
                        let v = node
                            .as_i64()
                            .and_then(|v| i32::try_from(v).ok())
                            .ok_or_else(|| format!("{node} is not an int enum value"))?;
                        quote!(<#path as ::std::convert::From<i32>>::from(#v))
                    }
                    NamedKind::Structure => {
                        let s = self
                            .structs
                            .get(named.rust_name.as_str())
                            .ok_or_else(|| format!("no structure `{}`", named.rust_name))?;
                        self.structure(s, node)?
                    }
                    NamedKind::Union => {
                        let u = self
                            .unions
                            .get(named.rust_name.as_str())
                            .ok_or_else(|| format!("no union `{}`", named.rust_name))?;
                        self.union(u, &path, node)?
                    }
                }
            }
        })
    }

    fn union(&self, u: &Union, path: &TokenStream, node: &Node) -> Result<TokenStream, String> {
        let object = node.as_object().ok_or_else(|| format!("{node} is not a union (an object)"))?;
        let set: Vec<(&String, &Node)> = object.iter().filter(|(_, v)| !v.is_null()).collect();
        let [(key, value)] = set.as_slice() else {
            return Err(format!("a `{}` union value must set exactly one member", u.id.name()));
        };
        let variant = u
            .variants
            .iter()
            .find(|v| &v.name == *key)
            .ok_or_else(|| format!("`{}` has no member `{key}`", u.id.name()))?;
        let id = ident(&variant.rust_name);
        Ok(match &variant.ty {
            None => quote!(#path::#id),
            Some(ty) => {
                let mut v = self.value(ty, value).map_err(|e| format!("`{}.{key}`: {e}", u.id.name()))?;
                if variant.boxed {
                    v = quote!(::std::boxed::Box::new(#v));
                }
                quote!(#path::#id(#v))
            }
        })
    }
}
