//! Emits the types crate's property tests: a proptest strategy for every generated type and a
//! test that each survives value → JSON → value. Generated from the IR, so the check covers
//! whatever model the crates come from.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::common::{Ctx, ident, prefixed};
use crate::ir::{EnumValue, Ir, Member, NamedKind, Structure, StructureRole, TimestampFormat, Type};

fn arb_fn(rust_name: &str, module: Option<&str>) -> Ident {
    let snake = heck::ToSnakeCase::to_snake_case(rust_name);
    match module {
        // The module is an operation's snake name, which may be a raw identifier (`r#match`).
        Some(m) => format_ident!("arb_{}_{}", crate::naming::bare(m), snake),
        None => format_ident!("arb_{}", snake),
    }
}

/// The test file.
pub fn emit(ir: &Ir, ctx: &Ctx) -> TokenStream {
    let mut fns = Vec::new();
    let mut tests = Vec::new();
    let mut push_test = |arb: &Ident, ty: &TokenStream, label: &str| {
        let test = format_ident!("{}_round_trips_through_json", label);
        tests.push(quote! {
            #[test]
            fn #test(value in #arb(3)) {
                let json = ::smithy_runtime::serde_json::to_string(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let back: #ty = ::smithy_runtime::serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e} in {json}")))?;
                prop_assert_eq!(back, value, "JSON: {}", json);
            }
        });
    };
    for s in &ir.structures {
        let arb = arb_fn(&s.rust_name, None);
        let ty = ctx.named(&crate::ir::Named { rust_name: s.rust_name.clone(), kind: NamedKind::Structure });
        fns.push(structure(ctx, s, &arb, &ty));
        push_test(&arb, &ty, &heck::ToSnakeCase::to_snake_case(s.rust_name.as_str()));
    }
    for op in &ir.operations {
        let types = &ctx.types;
        let module = ident(&op.snake_name);
        // A structure with a stream has no `PartialEq` to compare the round trip with.
        for s in [&op.input, &op.output].into_iter().filter(|s| !s.has_stream()) {
            let arb = arb_fn(&s.rust_name, Some(&op.snake_name));
            let name = ident(&s.rust_name);
            let ty = quote!(#types::operation::#module::#name);
            fns.push(structure(ctx, s, &arb, &ty));
            push_test(&arb, &ty, &heck::ToSnakeCase::to_snake_case(s.rust_name.as_str()));
        }
    }
    for u in &ir.unions {
        let arb = arb_fn(&u.rust_name, None);
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
        fns.push(quote! {
            fn #arb(depth: u32) -> BoxedStrategy<#ty> {
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
        });
        push_test(&arb, &ty, &heck::ToSnakeCase::to_snake_case(u.rust_name.as_str()));
    }
    for e in &ir.enums {
        let arb = arb_fn(&e.rust_name, None);
        let kind = if e.int { NamedKind::IntEnum } else { NamedKind::Enum };
        let ty = ctx.named(&crate::ir::Named { rust_name: e.rust_name.clone(), kind });
        let body = if e.int {
            let values: Vec<i32> = e
                .variants
                .iter()
                .filter_map(|v| if let EnumValue::Int(i) = v.value { Some(i) } else { None })
                .collect();
            if values.is_empty() {
                quote!(any::<i32>().prop_map(#ty::from).boxed())
            } else {
                quote!(prop_oneof![proptest::sample::select(vec![#(#values),*]).prop_map(#ty::from), any::<i32>().prop_map(#ty::from)].boxed())
            }
        } else {
            let values: Vec<String> = e
                .variants
                .iter()
                .filter_map(|v| if let EnumValue::String(s) = &v.value { Some(s.clone()) } else { None })
                .collect();
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
        fns.push(quote! {
            fn #arb(depth: u32) -> BoxedStrategy<#ty> {
                let _ = depth;
                #body
            }
        });
        push_test(&arb, &ty, &heck::ToSnakeCase::to_snake_case(e.rust_name.as_str()));
    }
    quote! {
        #![allow(unused_imports, unused_parens, clippy::all, reason = "generated strategies are uniform across shapes")]
        use proptest::prelude::*;

        #(#fns)*

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            #(#tests)*
        }
    }
}

fn structure(ctx: &Ctx, s: &Structure, arb: &Ident, ty: &TokenStream) -> TokenStream {
    if s.members.is_empty() {
        let build = if s.role == StructureRole::Input { quote!(.build().unwrap()) } else { quote!(.build()) };
        return quote! {
            fn #arb(depth: u32) -> BoxedStrategy<#ty> {
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
        fn #arb(depth: u32) -> BoxedStrategy<#ty> {
            let _ = depth;
            (#(#strategies,)*)
                .prop_map(|(#(#patterns,)*)| #ty::builder() #(#sets)* #build)
                .boxed()
        }
    }
}

/// A strategy for a member's builder value, `Option<T>`.
fn member_strategy(ctx: &Ctx, m: &Member) -> TokenStream {
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

fn strategy(ctx: &Ctx, ty: &Type, depth: &TokenStream) -> TokenStream {
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
        Type::BigInteger => quote!(any::<i128>().prop_map(::smithy_runtime::BigInteger::from)),
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
        },
        Type::Named(n) => {
            let f = arb_fn(&n.rust_name, None);
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
