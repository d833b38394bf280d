//! Emits the types crate's property tests: a proptest strategy for every generated type and a
//! test that each survives value → JSON → value. Generated from the IR, so the check covers
//! whatever model the crates come from.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::common::{EmitContext, ident, prefixed, snake_ident};
use crate::ir::{EnumVariants, Ir, Member, NamedKind, Structure, StructureRole, TimestampFormat, Type};

/// The module of a shape's strategy and test: `types::<snake name>`.
fn shape_module(rust_name: &str) -> Ident {
    snake_ident(rust_name)
}

/// The path of a shape's strategy, for strategies of the shapes that hold it.
fn shape_strategy(rust_name: &str) -> TokenStream {
    let module = shape_module(rust_name);
    quote!(crate::generated::types::#module::strategy)
}

/// The round-trip test of the values of `strategy`, named `test`; `cfg` on it.
fn round_trip_test(test: &Ident, strategy: &TokenStream, cfg: TokenStream) -> TokenStream {
    quote! {
        #cfg
        #[test]
        fn #test() {
            crate::generated::check_round_trips(#strategy(3));
        }
    }
}

/// The round-trip test of an operation's input or output, which has no JSON form of its own:
/// every value, fed field by field to its builder's `set_` methods, builds back equal.
fn builder_round_trip_test(s: &Structure, test: &Ident, strategy: &Ident, ty: &TokenStream) -> TokenStream {
    let sets = s.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let set = prefixed("set_", &m.rust_name);
        let value = match (m.optional, m.boxed) {
            (true, false) => quote!(value.#f.clone()),
            (true, true) => quote!(value.#f.clone().map(|b| *b)),
            (false, false) => quote!(::std::option::Option::Some(value.#f.clone())),
            (false, true) => quote!(::std::option::Option::Some((*value.#f).clone())),
        };
        quote!(.#set(#value))
    });
    let fallible = s.role == StructureRole::Input || s.members.iter().any(|m| !m.optional && m.default.is_none());
    let build = if fallible { quote!(.build().unwrap()) } else { quote!(.build()) };
    let value = if s.members.is_empty() { quote!(_) } else { quote!(value) };
    quote! {
        #[test]
        fn #test() {
            crate::generated::check_rebuilds(#strategy(3), |#value| #ty::builder() #(#sets)* #build);
        }
    }
}

/// The test file: the checker, then one module per shape (`types::credentials`: its
/// strategy and its test) and per operation (`operation::get_federation_token`: the input's
/// and the output's), each in a file of its own.
pub fn emit(ir: &Ir, ctx: &EmitContext) -> TokenStream {
    let strategy_fn = format_ident!("strategy");
    let test_fn = format_ident!("round_trips_through_json");
    let mut shape_items: Vec<(String, TokenStream)> = Vec::new();
    // A structure's or union's reading and writing are both there only when the types crate is
    // built for both sides (a workspace with client and server, as `cargo test` builds it).
    let both_directions = quote!(#[cfg(all(feature = "client", feature = "server"))]);
    for s in &ir.structures {
        let ty = ctx.named(&crate::ir::Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure });
        let strategy = structure(ctx, s, &strategy_fn, &ty);
        let test = round_trip_test(&test_fn, &quote!(strategy), both_directions.clone());
        shape_items.push((s.rust_name.to_string(), quote!(#strategy #test)));
    }
    let mut operations = Vec::new();
    for op in &ir.operations {
        let types = &ctx.types;
        let module = ident(&op.snake_name);
        let mut items = TokenStream::new();
        // A structure with a stream has no `PartialEq` to compare the round trip with.
        for (s, side) in [(&op.input, "input"), (&op.output, "output")] {
            if s.has_stream() {
                continue;
            }
            let strategy = format_ident!("{side}_strategy");
            let test = format_ident!("{side}_round_trips_through_its_builder");
            let name = ident(&s.rust_name);
            let ty = quote!(#types::operation::#module::#name);
            items.extend(structure(ctx, s, &strategy, &ty));
            items.extend(builder_round_trip_test(s, &test, &strategy, &ty));
        }
        if !items.is_empty() {
            let doc = format!(" The input and output of `{}`.", op.name);
            operations.push(quote! {
                #[doc = #doc]
                mod #module {
                    use proptest::prelude::*;
                    #items
                }
            });
        }
    }
    for u in &ir.unions {
        let ty = ctx.named(&crate::ir::Named { rust_name: u.rust_name.clone(), kind: NamedKind::Union });
        let known: Vec<&str> = u.variants.iter().map(|v| v.json_name.as_str()).collect();
        let arms = u.variants.iter().map(|v| {
            let id = ident(&v.rust_name);
            let arm = match &v.ty {
                None => quote!(Just(#ty::#id).boxed()),
                Some(t) => {
                    let st = strategy(ctx, t, &quote!(depth.saturating_sub(1)));
                    let arm = if v.boxed {
                        quote!(#st.prop_map(|v| #ty::#id(::std::boxed::Box::new(v))).boxed())
                    } else {
                        quote!(#st.prop_map(#ty::#id).boxed())
                    };
                    // Building a member's strategy that holds a structure or union may recurse
                    // into this function, so such members stop at depth 0.
                    if holds_named(t) {
                        return quote!(if depth > 0 { variants.push(#arm); });
                    }
                    arm
                }
            };
            quote!(variants.push(#arm);)
        });
        let test = round_trip_test(&test_fn, &quote!(strategy), both_directions.clone());
        shape_items.push((u.rust_name.to_string(), quote! {
            pub(crate) fn strategy(depth: u32) -> BoxedStrategy<#ty> {
                let _ = depth;
                let known: &[&str] = &[#(#known),*];
                let unknown = ("[a-z][a-zA-Z0-9]{0,8}", any::<i64>())
                    .prop_filter("an unknown member's name", move |(name, _)| !known.contains(&name.as_str()))
                    .prop_map(|(name, v)| #ty::Unknown(::smithy_runtime::UnknownUnionMember::new(name, ::smithy_runtime::serde_json::Value::from(v))))
                    .boxed();
                let mut variants: ::std::vec::Vec<BoxedStrategy<#ty>> = ::std::vec::Vec::new();
                #(#arms)*
                variants.push(unknown);
                proptest::strategy::Union::new(variants).boxed()
            }
            #test
        }));
    }
    for e in &ir.enums {
        let ty = ctx.named(&crate::ir::Named { rust_name: e.rust_name.clone(), kind: e.kind() });
        let body = if let EnumVariants::Int(variants) = &e.variants {
            let values: Vec<i32> = variants.iter().map(|v| v.value).collect();
            if values.is_empty() {
                quote!(any::<i32>().prop_map(#ty::from).boxed())
            } else {
                quote!(prop_oneof![proptest::sample::select(vec![#(#values),*]).prop_map(#ty::from), any::<i32>().prop_map(#ty::from)].boxed())
            }
        } else {
            let values: Vec<&str> = match &e.variants {
                EnumVariants::String(variants) => variants.iter().map(|v| v.value.as_str()).collect(),
                EnumVariants::Int(_) => Vec::new(),
            };
            if values.is_empty() {
                quote!("\\PC{0,12}".prop_map(|s| #ty::from(s.as_str())).boxed())
            } else {
                quote! {
                    prop_oneof![
                        proptest::sample::select(vec![#(#values),*]).prop_map(#ty::from),
                        "\\PC{0,12}".prop_map(|s| #ty::from(s.as_str())),
                    ]
                    .boxed()
                }
            }
        };
        let test = round_trip_test(&test_fn, &quote!(strategy), quote!());
        shape_items.push((
            e.rust_name.to_string(),
            quote! {
                pub(crate) fn strategy(depth: u32) -> BoxedStrategy<#ty> {
                    let _ = depth;
                    #body
                }
                #test
            },
        ));
    }
    let shapes = shape_items.into_iter().map(|(rust_name, items)| {
        let module = shape_module(&rust_name);
        let doc = format!(" `{rust_name}`.");
        quote! {
            #[doc = #doc]
            pub(crate) mod #module {
                use proptest::prelude::*;
                #items
            }
        }
    });
    quote! {
        #![allow(unused_imports, unused_parens, dead_code, clippy::all, reason = "generated strategies are uniform across shapes, and some tests need both sides' features")]

        /// Checks that every value of `strategy` survives value -> JSON -> value, on 48 cases.
        fn check_round_trips<T>(strategy: impl proptest::strategy::Strategy<Value = T>)
        where
            T: ::smithy_runtime::json::ToJson + ::smithy_runtime::json::FromJson + ::std::cmp::PartialEq + ::std::fmt::Debug,
        {
            use proptest::test_runner::{Config, TestCaseError, TestRunner};
            let config = Config { cases: 48, failure_persistence: ::std::option::Option::None, ..Config::default() };
            let result = TestRunner::new(config).run(&strategy, |value| {
                let json = ::smithy_runtime::json::to_body(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let json = ::std::string::String::from_utf8_lossy(&json);
                let back: T = ::smithy_runtime::json::from_body(json.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e} in {json}")))?;
                proptest::prop_assert_eq!(back, value, "JSON: {}", json);
                ::std::result::Result::Ok(())
            });
            if let ::std::result::Result::Err(e) = result {
                panic!("{e}");
            }
        }

        /// Checks that every value of `strategy` comes back equal from `rebuild`, on 48 cases.
        fn check_rebuilds<T>(strategy: impl proptest::strategy::Strategy<Value = T>, rebuild: impl Fn(&T) -> T)
        where
            T: ::std::cmp::PartialEq + ::std::fmt::Debug,
        {
            use proptest::test_runner::{Config, TestRunner};
            let config = Config { cases: 48, failure_persistence: ::std::option::Option::None, ..Config::default() };
            let result = TestRunner::new(config).run(&strategy, |value| {
                proptest::prop_assert_eq!(rebuild(&value), value);
                ::std::result::Result::Ok(())
            });
            if let ::std::result::Result::Err(e) = result {
                panic!("{e}");
            }
        }

        /// One module per shape: its strategy and its round-trip test.
        mod types {
            #(#shapes)*
        }

        /// One module per operation: its input's and output's strategies and tests.
        mod operation {
            #(#operations)*
        }
    }
}

fn structure(ctx: &EmitContext, s: &Structure, arb: &Ident, ty: &TokenStream) -> TokenStream {
    if s.members.is_empty() {
        let build = if s.role == StructureRole::Input { quote!(.build().unwrap()) } else { quote!(.build()) };
        return quote! {
            pub(crate) fn #arb(depth: u32) -> BoxedStrategy<#ty> {
                let _ = depth;
                Just(()).prop_map(|()| #ty::builder()#build).boxed()
            }
        };
    }
    let fallible = s.role == StructureRole::Input || s.members.iter().any(|m| !m.optional && m.default.is_none());
    let build = if fallible { quote!(.build().unwrap()) } else { quote!(.build()) };
    // proptest tuples go up to 12; nest chunks of 8.
    let chunks: Vec<&[Member]> = s.members.chunks(8).collect();
    let strategies = chunks.iter().map(|chunk| {
        let parts = chunk.iter().map(|m| member_strategy(ctx, m));
        quote!((#(#parts,)*))
    });
    let patterns = chunks.iter().enumerate().map(|(c, chunk)| {
        let names = chunk.iter().enumerate().map(|(i, _)| format_ident!("m{}_{}", c, i));
        quote!((#(#names,)*))
    });
    let sets = chunks.iter().enumerate().flat_map(|(c, chunk)| {
        chunk.iter().enumerate().map(move |(i, m)| {
            let v = format_ident!("m{}_{}", c, i);
            let set = prefixed("set_", &m.rust_name);
            quote!(.#set(#v))
        })
    });
    quote! {
        pub(crate) fn #arb(depth: u32) -> BoxedStrategy<#ty> {
            let _ = depth;
            (#(#strategies,)*)
                .prop_map(|(#(#patterns,)*)| #ty::builder() #(#sets)* #build)
                .boxed()
        }
    }
}

/// A strategy for a member's builder value, `Option<T>`.
fn member_strategy(ctx: &EmitContext, m: &Member) -> TokenStream {
    let inner = strategy(ctx, &m.ty, &quote!(depth.saturating_sub(1)));
    let recursive = matches!(&m.ty, Type::Named(n) if matches!(n.kind, NamedKind::Structure | NamedKind::Union));
    if !m.optional {
        return quote!(#inner.prop_map(::std::option::Option::Some).boxed());
    }
    if recursive {
        quote!(if depth == 0 { Just(::std::option::Option::None).boxed() } else { proptest::option::of(#inner).boxed() })
    } else {
        quote!(proptest::option::of(#inner).boxed())
    }
}

fn strategy(ctx: &EmitContext, ty: &Type, depth: &TokenStream) -> TokenStream {
    match ty {
        Type::Boolean => quote!(any::<bool>()),
        Type::Byte => quote!(any::<i8>()),
        Type::Short => quote!(any::<i16>()),
        Type::Integer => quote!(any::<i32>()),
        Type::Long => quote!(any::<i64>()),
        Type::Float => quote!(
            (proptest::num::f32::POSITIVE
                | proptest::num::f32::NEGATIVE
                | proptest::num::f32::NORMAL
                | proptest::num::f32::ZERO
                | proptest::num::f32::INFINITE)
        ),
        Type::Double => quote!(
            (proptest::num::f64::POSITIVE
                | proptest::num::f64::NEGATIVE
                | proptest::num::f64::NORMAL
                | proptest::num::f64::ZERO
                | proptest::num::f64::INFINITE)
        ),
        Type::String { .. } => quote!("\\PC{0,12}"),
        Type::BigInteger => quote! {
            any::<i128>().prop_map(|n| <::smithy_runtime::BigInteger as ::std::str::FromStr>::from_str(&n.to_string()).unwrap_or_default())
        },
        Type::BigDecimal => quote! {
            (any::<i64>(), 0u32..30, any::<bool>()).prop_map(|(m, places, exp)| {
                let text = if exp { format!("{m}e{places}") } else { format!("{m}.{}", "7".repeat(places as usize + 1)) };
                <::smithy_runtime::BigDecimal as ::std::str::FromStr>::from_str(&text).unwrap_or_default()
            })
        },
        Type::Blob { .. } => {
            quote!(proptest::collection::vec(any::<u8>(), 0..12).prop_map(::smithy_runtime::Blob::new))
        }
        // Structures with streams are left out of the round trips; nothing else holds one.
        Type::ByteStream { .. } => {
            quote!(proptest::collection::vec(any::<u8>(), 0..12).prop_map(::smithy_runtime::ByteStream::from))
        }
        Type::Timestamp(format) => match format {
            None | Some(TimestampFormat::EpochSeconds) => quote! {
                (-10_000_000_000i64..10_000_000_000i64, 0u32..1000).prop_map(|(s, ms)| ::smithy_runtime::DateTime::from_secs_and_nanos(s, ms * 1_000_000))
            },
            Some(_) => quote! {
                (-62_135_596_800i64..=253_402_300_799i64, 0u32..1_000_000_000).prop_map(|(s, n)| ::smithy_runtime::DateTime::from_secs_and_nanos(s, n))
            },
        },
        // Never `null`: restJson1 reads a `null` member (or sparse item, or union member) as
        // absent, so `Some(Null)` cannot survive the wire and is not a value to test with.
        Type::Document => quote! {
            prop_oneof![
                any::<bool>().prop_map(::smithy_runtime::serde_json::Value::from),
                any::<i64>().prop_map(::smithy_runtime::serde_json::Value::from),
                "\\PC{0,8}".prop_map(::smithy_runtime::serde_json::Value::from),
                // Objects, with `null` inside, where it is kept.
                proptest::collection::btree_map("[a-z]{0,4}", any::<::std::option::Option<bool>>(), 0..3).prop_map(|m| {
                    ::smithy_runtime::serde_json::Value::Object(
                        m.into_iter().map(|(k, v)| (k, v.map_or(::smithy_runtime::serde_json::Value::Null, ::smithy_runtime::serde_json::Value::from))).collect(),
                    )
                }),
            ]
            .prop_map(::smithy_runtime::json::document_from_value)
        },
        Type::Named(n) => {
            let f = shape_strategy(&n.rust_name);
            let _ = ctx;
            quote!(#f(#depth))
        }
        Type::List { member, sparse } => {
            let inner = strategy(ctx, &member.ty, depth);
            let inner = if *sparse { quote!(proptest::option::of(#inner)) } else { inner };
            let list = quote!(proptest::collection::vec(#inner, 0..3).boxed());
            // Building the element strategy of a recursive shape recurses, so stop at depth 0.
            if holds_named(&member.ty) {
                quote!(if #depth == 0 { Just(::std::vec::Vec::new()).boxed() } else { #list })
            } else {
                list
            }
        }
        Type::Map { key, value, sparse } => {
            let k = strategy(ctx, &key.ty, depth);
            let v = strategy(ctx, &value.ty, depth);
            let v = if *sparse { quote!(proptest::option::of(#v)) } else { v };
            let map = quote!(proptest::collection::hash_map(#k, #v, 0..3).boxed());
            if holds_named(&value.ty) {
                quote!(if #depth == 0 { Just(::std::collections::HashMap::new()).boxed() } else { #map })
            } else {
                map
            }
        }
    }
}

/// `true` when a type holds a structure or union, whose strategy may recurse.
fn holds_named(ty: &Type) -> bool {
    match ty {
        Type::Named(n) => matches!(n.kind, NamedKind::Structure | NamedKind::Union),
        Type::List { member, .. } => holds_named(&member.ty),
        Type::Map { value, .. } => holds_named(&value.ty),
        _ => false,
    }
}
