//! Emits the types crate: structures with accessors, builders and `validate()`, enums and
//! unions that keep unknown values, error structures, and per-operation input, output and error
//! types, laid out as in the AWS SDK for Rust (`types`, `types::error`, `types::builders`,
//! `operation::<op>`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{
    EmitContext, JsonField, WhenAbsent, adapter, brief_docs, default_expr, docs, from_json_impl, ident, is_copy,
    prefixed, to_json_impl,
};
use crate::ir::{
    Binding, Constraints, Enum, EnumVariant, EnumVariants, Ir, Member, Named, NamedKind, Operation, Structure,
    StructureRole, Type, Union,
};

/// The lints the types crate's (and the shapes crate's) generated code allows, with why.
fn crate_attributes() -> TokenStream {
    quote! {
        #![allow(deprecated, reason = "deprecated members are still generated and used by the generated code")]
        #![allow(clippy::large_enum_variant, reason = "error enums hold their errors by value, as the AWS SDK does")]
        #![allow(clippy::wrong_self_convention, reason = "accessors are named after model members")]
        #![allow(clippy::only_used_in_recursion, reason = "a recursive shape with no constraints of its own only passes `violations` on")]
    }
}

/// The whole `generated.rs` of the types crate when the shapes are in it too: the `types`
/// module of [`shapes`] and the `operation` module of [`operations`].
pub fn emit(ir: &Ir, ctx: &EmitContext) -> TokenStream {
    let attributes = crate_attributes();
    let types = types_module(ir, ctx, &|_| true, None);
    let operations = operation_module(ctx, &ir.operations.iter().collect::<Vec<_>>());
    quote! {
        #attributes
        #types
        #operations
    }
}

/// The `generated.rs` of a shapes crate (see `super::ShapesCrate`): the `types` module alone,
/// with every shape but those one group of operations has to itself (`homes`, from
/// `super::Groups::shapes`).
pub fn shapes(ir: &Ir, ctx: &EmitContext, homes: &BTreeMap<String, usize>) -> TokenStream {
    let attributes = crate_attributes();
    let types = types_module(ir, ctx, &|name| !homes.contains_key(name), None);
    quote! {
        #attributes
        #types
    }
}

/// The `generated.rs` of the types crate of a service whose shapes are in the crate at
/// `shapes_crate` (`::connect_shapes`) and whose operations are not grouped: that crate's
/// `types` module re-exported at the same path, so `crate::types::X` means the same in every
/// layout, and the `operation` module.
pub fn operations(ctx: &EmitContext, shapes_crate: &TokenStream, operations: &[&Operation]) -> TokenStream {
    let attributes = crate_attributes();
    let operations = operation_module(ctx, operations);
    quote! {
        #attributes
        #[doc(inline)]
        pub use #shapes_crate::types;
        #operations
    }
}

/// The `generated.rs` of the types crate of group `group` of operations
/// (`super::Options::operations_per_crate`): a `types` module with the shapes only this group's
/// operations use (`homes`) over the shapes crate's, re-exported, so that `crate::types::X`
/// means the same as in one crate, and the group's `operation` module.
pub fn group(
    ir: &Ir,
    ctx: &EmitContext,
    shapes_crate: &TokenStream,
    operations: &[&Operation],
    homes: &BTreeMap<String, usize>,
    group: usize,
) -> TokenStream {
    let attributes = crate_attributes();
    let shared = Kinds::of(ir, &|name| !homes.contains_key(name));
    let types = types_module(ir, ctx, &|name| homes.get(name) == Some(&group), Some((shapes_crate, shared)));
    let operations = operation_module(ctx, operations);
    quote! {
        #attributes
        #types
        #operations
    }
}

/// The `generated.rs` of a types crate whose operations are in the operation crates `groups`:
/// the shapes of the shapes crate and of every group (`homes`), and every group's operation
/// modules, re-exported at the paths they would have in one crate (`connect_types::types::User`,
/// `connect_types::operation::list_users::ListUsersInput`).
pub fn reexports(
    ir: &Ir,
    homes: &BTreeMap<String, usize>,
    shapes_crate: &TokenStream,
    groups: &[TokenStream],
) -> TokenStream {
    // Each crate's modules that have shapes of their own: a glob that brings nothing is an
    // unused import.
    let shared = (shapes_crate, Kinds::of(ir, &|name| !homes.contains_key(name)));
    let own = groups.iter().enumerate().map(|(k, g)| (g, Kinds::of(ir, &|name| homes.get(name) == Some(&k))));
    let crates: Vec<(&TokenStream, Kinds)> = std::iter::once(shared).chain(own).collect();
    let globs = |has: fn(&Kinds) -> bool, module: TokenStream| {
        let paths = crates.iter().filter(|(_, kinds)| has(kinds)).map(|(path, _)| path);
        quote!(#( #[doc(inline)] pub use #paths::types #module::*; )*)
    };
    let types = types_tree(
        globs(|k| k.types, quote!()),
        globs(|k| k.builders, quote!(::builders)),
        globs(|k| k.errors, quote!(::error)),
        globs(|k| k.errors, quote!(::error::builders)),
    );
    quote! {
        #types
        /// Operation inputs, outputs and errors, one module per operation.
        pub mod operation {
            #(
                #[doc(inline)]
                pub use #groups::operation::*;
            )*
        }
    }
}

/// Which modules of a crate's `types` have shapes in them: `types` itself (structures, unions,
/// enums), `types::builders`, and `types::error` with its `builders`.
#[derive(Clone, Copy)]
struct Kinds {
    types: bool,
    builders: bool,
    errors: bool,
}

impl Kinds {
    /// The modules the shapes whose Rust names `keep` accepts fill.
    fn of(ir: &Ir, keep: &dyn Fn(&str) -> bool) -> Kinds {
        let structures = ir.structures.iter().filter(|s| keep(&s.rust_name));
        let (errors, others): (Vec<&Structure>, Vec<&Structure>) = structures.partition(|s| s.error.is_some());
        let builders = !others.is_empty();
        let types =
            builders || ir.unions.iter().any(|u| keep(&u.rust_name)) || ir.enums.iter().any(|e| keep(&e.rust_name));
        Kinds { types, builders, errors: !errors.is_empty() }
    }
}

/// `pub mod types { .. }`: the structure, union, enum and error shapes whose Rust names `keep`
/// accepts, and, with `shared`, the shapes crate at that path re-exported beneath them (the
/// modules of it that have shapes). Every shape has a private module of
/// its own (`types::_credentials`, so a file of its own too), which its public path
/// re-exports, as the AWS SDK for Rust lays its crates out.
fn types_module(
    ir: &Ir,
    ctx: &EmitContext,
    keep: &dyn Fn(&str) -> bool,
    shared: Option<(&TokenStream, Kinds)>,
) -> TokenStream {
    let mut modules = ShapeModules::default();
    let mut types = TokenStream::new();
    let mut builders = TokenStream::new();
    let mut errors = TokenStream::new();
    let mut error_builders = TokenStream::new();
    for s in ir.structures.iter().filter(|s| keep(&s.rust_name)) {
        let (item, builder) = structure(ctx, s);
        let (body, uses) =
            if s.error.is_some() { (&mut errors, &mut error_builders) } else { (&mut types, &mut builders) };
        let module = modules.name(&s.rust_name);
        let (name, builder_name) = (ident(&s.rust_name), format_ident!("{}Builder", s.rust_name));
        body.extend(quote! {
            mod #module { #item #builder }
            pub use #module::#name;
        });
        uses.extend(quote!(pub use super::#module::#builder_name;));
    }
    for u in ir.unions.iter().filter(|u| keep(&u.rust_name)) {
        types.extend(shape_module(&mut modules, &u.rust_name, union(ctx, u)));
    }
    for e in ir.enums.iter().filter(|e| keep(&e.rust_name)) {
        types.extend(shape_module(&mut modules, &e.rust_name, enumeration(e)));
    }
    // A group's crate: the shared shapes beneath its own, at the same paths, where there are any.
    let reexport = |has: bool, path: TokenStream| match shared {
        Some((shapes_crate, _)) if has => quote!(#[doc(inline)] pub use #shapes_crate::types #path::*;),
        _ => quote!(),
    };
    let kinds = shared.map(|(_, kinds)| kinds);
    let shared_types = reexport(kinds.is_some_and(|k| k.types), quote!());
    let shared_builders = reexport(kinds.is_some_and(|k| k.builders), quote!(::builders));
    let shared_errors = reexport(kinds.is_some_and(|k| k.errors), quote!(::error));
    let shared_error_builders = reexport(kinds.is_some_and(|k| k.errors), quote!(::error::builders));
    types_tree(
        quote!(#shared_types #types),
        quote!(#shared_builders #builders),
        quote!(#shared_errors #errors),
        quote!(#shared_error_builders #error_builders),
    )
}

/// `pub mod types { .. }` around the items of `types`, `types::builders`, `types::error` and
/// `types::error::builders`: the same modules, with the same documentation, in every crate
/// that has shapes or re-exports them.
fn types_tree(
    types: TokenStream,
    builders: TokenStream,
    errors: TokenStream,
    error_builders: TokenStream,
) -> TokenStream {
    quote! {
        /// The shapes of the model: structures, unions and enums.
        pub mod types {
            #types
            /// Builders for the structures in [`types`](crate::types).
            pub mod builders {
                #builders
            }
            /// The errors operations can return.
            pub mod error {
                #errors
                /// Builders for the errors in [`error`](crate::types::error).
                pub mod builders {
                    #error_builders
                }
            }
        }
    }
}

/// `pub mod operation { .. }`: each operation's input, output and error types.
fn operation_module(ctx: &EmitContext, operations: &[&Operation]) -> TokenStream {
    let operations = operations.iter().map(|op| operation(ctx, op));
    quote! {
        /// Operation inputs, outputs and errors, one module per operation.
        pub mod operation {
            #(#operations)*
        }
    }
}

/// The private module names of shapes: `_` and the snake-case name, unique within a crate
/// (`ABTest` and `AbTest` would both be `_ab_test`; the second gets `_ab_test_2`).
#[derive(Default)]
struct ShapeModules(std::collections::BTreeSet<String>);

impl ShapeModules {
    fn name(&mut self, rust_name: &str) -> proc_macro2::Ident {
        let base = format!("_{}", heck::ToSnakeCase::to_snake_case(crate::naming::bare(rust_name)));
        let mut name = base.clone();
        let mut n = 1;
        while !self.0.insert(name.clone()) {
            n += 1;
            name = format!("{base}_{n}");
        }
        format_ident!("{name}")
    }
}

/// A shape's items in a private module, and the `pub use` of its type.
fn shape_module(modules: &mut ShapeModules, rust_name: &str, items: TokenStream) -> TokenStream {
    let module = modules.name(rust_name);
    let name = ident(rust_name);
    quote! {
        mod #module { #items }
        pub use #module::#name;
    }
}

fn operation(ctx: &EmitContext, op: &Operation) -> TokenStream {
    let module = ident(&op.snake_name);
    let mut modules = ShapeModules::default();
    let mut shapes = TokenStream::new();
    let mut builders = TokenStream::new();
    for s in [&op.input, &op.output] {
        let (item, builder) = structure(ctx, s);
        let shape = modules.name(&s.rust_name);
        let (name, builder_name) = (ident(&s.rust_name), format_ident!("{}Builder", s.rust_name));
        shapes.extend(quote! {
            mod #shape { #item #builder }
            pub use #shape::#name;
        });
        builders.extend(quote!(pub use super::#shape::#builder_name;));
    }
    let error = error_enum(ctx, op);
    let doc = format!(" Types of the `{}` operation.", op.name);
    quote! {
        #[doc = #doc]
        pub mod #module {
            #shapes
            #error
            /// Builders for this operation's input and output.
            pub mod builders {
                #builders
            }
        }
    }
}

fn json_name(m: &Member) -> &str {
    match &m.binding {
        Binding::Body(json) => json,
        _ => &m.name,
    }
}

fn default_fn(s: &Structure, m: &Member) -> proc_macro2::Ident {
    format_ident!(
        "default_{}_{}",
        heck::ToSnakeCase::to_snake_case(s.rust_name.as_str()),
        crate::naming::bare(&m.rust_name)
    )
}

/// The struct (and its impls) and its builder.
fn structure(ctx: &EmitContext, s: &Structure) -> (TokenStream, TokenStream) {
    let name = ident(&s.rust_name);
    let name_str = &s.rust_name;
    let builder = format_ident!("{}Builder", s.rust_name);
    let is_error = s.error.is_some();
    let struct_docs = docs(&s.docs, &format!("The `{}` structure.", s.id.name()));

    // An operation's input and output are never a JSON document of their own: the protocol
    // binds their members to the HTTP message one by one (the client's and the server's local
    // `Body` structs carry the JSON part). They have no JSON impls, as in the AWS SDK, which
    // spares a whole service's types crate about half of its JSON code.
    let json_shape = !matches!(s.role, StructureRole::Input | StructureRole::Output);
    let mut fields = Vec::new();
    let mut json_fields = Vec::new();
    let mut accessors = Vec::new();
    let mut default_fns = Vec::new();
    for m in &s.members {
        let f = ident(&m.rust_name);
        let ty = ctx.field_ty(m);
        let json = json_name(m);
        let absent = if m.optional {
            WhenAbsent::None
        } else if m.default.is_some() {
            WhenAbsent::Default(default_fn(s, m))
        } else {
            WhenAbsent::Missing
        };
        json_fields.push(JsonField { field: f.clone(), json: json.to_owned(), adapter: adapter(&m.ty), absent });
        if !m.optional
            && let Some(value) = &m.default
        {
            let func = default_fn(s, m);
            let base = ctx.ty(&m.ty);
            let mut expr = default_expr(ctx, &m.ty, value);
            let mut ret = base;
            if m.boxed {
                expr = quote!(::std::boxed::Box::new(#expr));
                ret = quote!(::std::boxed::Box<#ret>);
            }
            default_fns.push(quote! {
                fn #func() -> #ret {
                    #expr
                }
            });
        }
        let member_docs = docs(&m.docs, &format!("The `{}` member.", m.name));
        let deprecated = if m.deprecated { quote!(#[deprecated]) } else { quote!() };
        fields.push(quote! {
            #member_docs
            #deprecated
            pub #f: #ty,
        });
        accessors.push(accessor(ctx, s, m));
    }

    let is_output = s.role == StructureRole::Output;
    let meta_field = if is_error {
        quote! {
            /// Code, message and request id of the response this error came from.
            #[doc(hidden)]
            pub meta: ::smithy_runtime::ErrorMetadata,
        }
    } else if is_output {
        // The AWS SDK's `_request_id`: read by `RequestId::request_id`, not part of the value.
        quote!(_request_id: ::smithy_runtime::error::ResponseRequestId,)
    } else {
        quote!()
    };
    let request_id_impl = if is_output {
        quote! {
            impl ::smithy_runtime::RequestId for #name {
                /// The request id of the response this output was read from.
                fn request_id(&self) -> ::std::option::Option<&str> {
                    self._request_id.get()
                }
            }
        }
    } else {
        quote!()
    };
    // A structure with a stream is read once: neither `Clone` nor `PartialEq` (as in the SDK).
    let streaming = s.has_stream();
    let derive_eq = if is_error || streaming { quote!() } else { quote!(::std::cmp::PartialEq,) };
    let derive_clone = if streaming { quote!() } else { quote!(::std::clone::Clone,) };
    // `Default` is written out below, not derived: a derived `default()` is `#[inline]`, so
    // every crate that makes a builder (the client, for each operation's input) compiled its
    // own copy, calling `Option::default` once per field.
    let derive_builder =
        if streaming { quote!() } else { quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq)]) };
    let debug_fields = s.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let label = crate::naming::bare(&m.rust_name);
        if m.sensitive || s.sensitive {
            quote!(formatter.field(#label, &::smithy_runtime::REDACTED);)
        } else {
            quote!(formatter.field(#label, &self.#f);)
        }
    });
    let debug_builder_fields = s.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let label = crate::naming::bare(&m.rust_name);
        if m.sensitive || s.sensitive {
            quote!(formatter.field(#label, &::smithy_runtime::REDACTED);)
        } else {
            quote!(formatter.field(#label, &self.#f);)
        }
    });

    let validate = validate_impl(s);
    let error_impls = if is_error { error_impls(s) } else { quote!() };
    if is_error {
        json_fields.push(JsonField {
            field: ident("meta"),
            json: String::new(),
            adapter: None,
            absent: WhenAbsent::NotOnTheWire,
        });
    }
    // Each side compiles only the direction it uses (`EmitContext::json_cfg`).
    let deserialize = if json_shape {
        let cfg = ctx.json_cfg(name_str, true);
        let read = from_json_impl(&name, name_str, &json_fields, quote!());
        quote!(#cfg #read)
    } else {
        quote!()
    };
    let derives = if derive_clone.is_empty() && derive_eq.is_empty() {
        quote!()
    } else {
        quote!(#[derive(#derive_clone #derive_eq)])
    };
    // Protocol compliance tests compare an input or output with the test case's through its
    // JSON form (so that NaN equals NaN): with the types crate's `protocol-test` feature, which
    // only their dev-dependencies turn on.
    let serialize = if json_shape {
        to_json_impl(&name, &json_fields, ctx.json_cfg(name_str, false))
    } else if ctx.protocol_tests {
        to_json_impl(&name, &json_fields, quote!(#[cfg(feature = "protocol-test")]))
    } else {
        quote!()
    };

    let item = quote! {
        #struct_docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #meta_field
        }

        #deserialize
        #serialize

        impl #name {
            #(#accessors)*

            /// A builder for this type.
            #[inline]
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }

            #validate
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut formatter = f.debug_struct(#name_str);
                #(#debug_fields)*
                formatter.finish()
            }
        }

        #(#default_fns)*
        #error_impls
        #request_id_impl
    };

    // The builder.
    let mut builder_fields = Vec::new();
    let mut builder_defaults = Vec::new();
    let mut setters = Vec::new();
    let mut inits = Vec::new();
    let mut fallible = s.role == StructureRole::Input;
    for m in &s.members {
        let f = ident(&m.rust_name);
        let base = ctx.ty(&m.ty);
        builder_fields.push(quote!(pub(crate) #f: ::std::option::Option<#base>,));
        builder_defaults.push(quote!(#f: ::std::option::Option::None,));
        setters.push(setter(ctx, s, m));
        let label = crate::naming::bare(&m.rust_name);
        let mut value = if m.optional {
            quote!(self.#f)
        } else if m.default.is_some() {
            let func = default_fn(s, m);
            if m.boxed {
                quote!(self.#f.map(::std::boxed::Box::new).unwrap_or_else(#func))
            } else {
                quote!(self.#f.unwrap_or_else(#func))
            }
        } else {
            fallible = true;
            quote!(self.#f.ok_or_else(|| ::smithy_runtime::BuildError::missing_field(#label, #name_str))?)
        };
        if m.boxed && m.optional {
            value = quote!(#value.map(::std::boxed::Box::new));
        } else if m.boxed && m.default.is_none() {
            value = quote!(::std::boxed::Box::new(#value));
        }
        inits.push(quote!(#f: #value,));
    }
    let meta_init = if is_error {
        quote!(meta: ::std::default::Default::default(),)
    } else if is_output {
        quote!(_request_id: ::smithy_runtime::error::ResponseRequestId::new(self._request_id),)
    } else {
        quote!()
    };
    if is_output {
        builder_fields.push(quote!(pub(crate) _request_id: ::std::option::Option<::std::string::String>,));
        builder_defaults.push(quote!(_request_id: ::std::option::Option::None,));
        setters.push(quote! {
            /// The request id of the response (set by the client).
            #[doc(hidden)]
            pub fn _request_id(mut self, request_id: impl ::std::convert::Into<::std::string::String>) -> Self {
                self._request_id = ::std::option::Option::Some(request_id.into());
                self
            }
            /// Sets or clears the request id of the response (set by the client).
            #[doc(hidden)]
            #[inline]
            pub fn _set_request_id(mut self, request_id: ::std::option::Option<::std::string::String>) -> Self {
                self._request_id = request_id;
                self
            }
        });
    }
    let build = if fallible {
        quote! {
            /// Builds the value; fails when a required member is missing.
            pub fn build(self) -> ::std::result::Result<#name, ::smithy_runtime::BuildError> {
                ::std::result::Result::Ok(#name { #(#inits)* #meta_init })
            }
        }
    } else {
        quote! {
            /// Builds the value.
            pub fn build(self) -> #name {
                #name { #(#inits)* #meta_init }
            }
        }
    };
    let builder_doc = format!(" A builder for [`{name_str}`].");
    let builder_item = quote! {
        #[doc = #builder_doc]
        #derive_builder
        #[non_exhaustive]
        pub struct #builder {
            #(#builder_fields)*
        }

        #[allow(clippy::derivable_impls)]
        impl ::std::default::Default for #builder {
            /// A builder with no member set.
            fn default() -> Self {
                Self { #(#builder_defaults)* }
            }
        }

        impl #builder {
            #(#setters)*
            #build
        }

        impl ::std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut formatter = f.debug_struct(stringify!(#builder));
                #(#debug_builder_fields)*
                formatter.finish()
            }
        }
    };
    (item, builder_item)
}

fn accessor(ctx: &EmitContext, s: &Structure, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let doc = brief_docs(&m.docs, &format!("The `{}` member.", m.name), &more_on(s, m));
    let base = ctx.ty(&m.ty);
    let body = match (&m.ty, m.optional) {
        (Type::String { .. }, true) => quote!(-> ::std::option::Option<&str> { self.#f.as_deref() }),
        (Type::String { .. }, false) => quote!(-> &str { &self.#f }),
        (Type::List { member, sparse }, optional) => {
            let mut e = ctx.ty(&member.ty);
            if *sparse {
                e = quote!(::std::option::Option<#e>);
            }
            if optional {
                quote!(-> &[#e] { self.#f.as_deref().unwrap_or_default() })
            } else {
                quote!(-> &[#e] { &self.#f })
            }
        }
        (t, true) if is_copy(t) => quote!(-> ::std::option::Option<#base> { self.#f }),
        (t, false) if is_copy(t) => quote!(-> #base { self.#f }),
        (_, true) if m.boxed => quote!(-> ::std::option::Option<&#base> { self.#f.as_deref() }),
        (_, true) => quote!(-> ::std::option::Option<&#base> { self.#f.as_ref() }),
        (_, false) => quote!(-> &#base { &self.#f }),
    };
    let list_note = if matches!(m.ty, Type::List { .. }) && m.optional {
        quote!(#[doc = ""] #[doc = " Empty when the member was not set; check the field to tell the two apart."])
    } else {
        quote!()
    };
    // Accessors and setters are one-liners: `#[inline]` compiles them where they are used (and
    // only there) rather than once each in this crate, thousands of them for a whole service.
    quote! {
        #doc
        #list_note
        #[inline]
        pub fn #f(&self) #body
    }
}

fn setter(ctx: &EmitContext, s: &Structure, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let set = prefixed("set_", &m.rust_name);
    let get = prefixed("get_", &m.rust_name);
    let base = ctx.ty(&m.ty);
    let doc = docs(&m.docs, &format!("The `{}` member.", m.name));
    let brief = brief_docs(&m.docs, &format!("The `{}` member.", m.name), &more_on(s, m));
    let adder = match &m.ty {
        Type::List { member, sparse } => {
            let e = ctx.ty(&member.ty);
            let (param, value) = if *sparse {
                (quote!(input: ::std::option::Option<#e>), quote!(input))
            } else {
                (quote!(input: impl ::std::convert::Into<#e>), quote!(input.into()))
            };
            quote! {
                #doc
                #[doc = ""]
                #[doc = " Appends one item; use the `set_` method to replace the whole list."]
                pub fn #f(mut self, #param) -> Self {
                    let mut items = self.#f.unwrap_or_default();
                    items.push(#value);
                    self.#f = ::std::option::Option::Some(items);
                    self
                }
            }
        }
        Type::Map { key, value, sparse } => {
            let k = ctx.ty(&key.ty);
            let v = ctx.ty(&value.ty);
            let (param, val) = if *sparse {
                (quote!(value: ::std::option::Option<#v>), quote!(value))
            } else {
                (quote!(value: impl ::std::convert::Into<#v>), quote!(value.into()))
            };
            quote! {
                #doc
                #[doc = ""]
                #[doc = " Inserts one entry; use the `set_` method to replace the whole map."]
                pub fn #f(mut self, key: impl ::std::convert::Into<#k>, #param) -> Self {
                    let mut entries = self.#f.unwrap_or_default();
                    entries.insert(key.into(), #val);
                    self.#f = ::std::option::Option::Some(entries);
                    self
                }
            }
        }
        _ => quote! {
            #doc
            pub fn #f(mut self, input: impl ::std::convert::Into<#base>) -> Self {
                self.#f = ::std::option::Option::Some(input.into());
                self
            }
        },
    };
    quote! {
        #adder
        #brief
        #[inline]
        pub fn #set(mut self, input: ::std::option::Option<#base>) -> Self {
            self.#f = input;
            self
        }
        #brief
        #[inline]
        pub fn #get(&self) -> &::std::option::Option<#base> {
            &self.#f
        }
    }
}

/// Where a member's long documentation is in full: the field of its structure, which is in
/// scope where the docs are.
fn more_on(s: &Structure, m: &Member) -> String {
    more_on_at(s, m, "")
}

/// [`more_on`] with the structure at `path` (`super::` or empty).
pub(super) fn more_on_at(s: &Structure, m: &Member, path: &str) -> String {
    let (field, name) = (crate::naming::bare(&m.rust_name), &s.rust_name);
    format!("The `{field}` field of [`{name}`]({path}{name}) has the whole description.")
}

/// `validate()` and `validate_into()`.
fn validate_impl(s: &Structure) -> TokenStream {
    let mut checks = TokenStream::new();
    for m in &s.members {
        let f = ident(&m.rust_name);
        let wire = &m.name;
        if m.required && m.optional && m.default.is_none() {
            checks.extend(quote! {
                if self.#f.is_none() {
                    violations.missing(path, #wire);
                }
            });
        }
        let path = quote!(::smithy_runtime::constraint::child(path, #wire));
        let value_checks = value_check(&quote!(value), &m.ty, &m.constraints, &path, 0);
        if !value_checks.is_empty() {
            if m.optional {
                checks.extend(quote!(if let ::std::option::Option::Some(value) = &self.#f { #value_checks }));
            } else {
                checks.extend(quote!({ let value = &self.#f; #value_checks }));
            }
        }
    }
    validate_fns(checks)
}

fn validate_fns(checks: TokenStream) -> TokenStream {
    let unused = if checks.is_empty() { quote!(let _ = (path, violations);) } else { quote!() };
    quote! {
        /// Checks the model's constraints (`@required`, `@length`, `@range`, `@pattern`, enum
        /// values) on this value and everything in it, reporting every violation.
        ///
        /// With the crate's `validate` feature, which the server turns on: a client does not
        /// check constraints (as with the AWS SDKs), and does not compile the checks.
        #[cfg(feature = "validate")]
        pub fn validate(&self) -> ::std::result::Result<(), ::smithy_runtime::constraint::ValidationError> {
            let mut violations = ::smithy_runtime::constraint::Violations::new();
            self.validate_into("", &mut violations);
            violations.into_result()
        }

        #[cfg(feature = "validate")]
        #[doc(hidden)]
        pub fn validate_into(&self, path: &str, violations: &mut ::smithy_runtime::constraint::Violations) {
            #unused
            #checks
        }
    }
}

/// Checks of one value (`value` is an expression of type `&T`; `path` an expression giving
/// its path as a `String`).
fn value_check(value: &TokenStream, ty: &Type, c: &Constraints, path: &TokenStream, depth: usize) -> TokenStream {
    let mut out = TokenStream::new();
    let opt_u = |v: Option<u64>| match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    };
    let opt_f = |v: Option<f64>| match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    };
    if let Some((min, max)) = c.length {
        let len = match ty {
            Type::String { .. } => quote!(#value.chars().count()),
            Type::Blob { .. } => quote!(#value.as_ref().len()),
            _ => quote!(#value.len()),
        };
        let (min, max) = (opt_u(min), opt_u(max));
        out.extend(quote!(violations.length(|| #path, #len, #min, #max);));
    }
    if let Some((min, max)) = &c.range {
        if matches!(ty, Type::BigInteger | Type::BigDecimal) {
            let bound = |b: &Option<String>| match b {
                Some(t) => quote!(::std::option::Option::Some(#t)),
                None => quote!(::std::option::Option::None),
            };
            let (min, max) = (bound(min), bound(max));
            out.extend(quote!(violations.range_decimal(|| #path, #value.as_ref(), #min, #max);));
        } else {
            let (min, max) = (
                opt_f(min.as_deref().and_then(|t| t.parse().ok())),
                opt_f(max.as_deref().and_then(|t| t.parse().ok())),
            );
            let as_f64 = match ty {
                // i64 has no lossless conversion to f64; a cast is close enough to compare bounds.
                Type::Long => quote!(*#value as f64),
                Type::Double => quote!(*#value),
                _ => quote!(f64::from(*#value)),
            };
            out.extend(quote!(violations.range(|| #path, #as_f64, #min, #max);));
        }
    }
    if let Some(p) = &c.pattern {
        out.extend(quote!(violations.pattern(|| #path, #value, #p);));
    }
    if c.unique_items {
        out.extend(quote!(violations.unique_items(|| #path, #value);));
    }
    match ty {
        Type::Named(_) => out.extend(quote!(#value.validate_into(&#path, violations);)),
        Type::List { member, sparse } => {
            let item = format_ident!("item{}", depth);
            let index = format_ident!("index{}", depth);
            let list_path = format_ident!("list_path{}", depth);
            let item_path = quote!(::smithy_runtime::constraint::item(&#list_path, #index));
            let inner = value_check(&quote!(#item), &member.ty, &member.constraints, &item_path, depth + 1);
            if !inner.is_empty() {
                let body =
                    if *sparse { quote!(if let ::std::option::Option::Some(#item) = #item { #inner }) } else { inner };
                out.extend(quote! {
                    let #list_path = #path;
                    for (#index, #item) in #value.iter().enumerate() {
                        #body
                    }
                });
            }
        }
        Type::Map { key, value: v, sparse } => {
            let k = format_ident!("key{}", depth);
            let val = format_ident!("value{}", depth);
            let map_path = format_ident!("map_path{}", depth);
            let entry_path = quote!(::smithy_runtime::constraint::item(&#map_path, #k));
            // A key's violation is reported at the map's path, as Smithy's validation does.
            let key_checks = value_check(&quote!(#k), &key.ty, &key.constraints, &quote!(#map_path.clone()), depth + 1);
            let value_checks = value_check(&quote!(#val), &v.ty, &v.constraints, &entry_path, depth + 1);
            let value_checks = if *sparse && !value_checks.is_empty() {
                quote!(if let ::std::option::Option::Some(#val) = #val { #value_checks })
            } else {
                value_checks
            };
            if !key_checks.is_empty() || !value_checks.is_empty() {
                out.extend(quote! {
                    let #map_path = #path;
                    for (#k, #val) in #value.iter() {
                        let _ = &#val;
                        #key_checks
                        #value_checks
                    }
                });
            }
        }
        _ => {}
    }
    out
}

fn error_impls(s: &Structure) -> TokenStream {
    let name = ident(&s.rust_name);
    let code = s.id.name();
    let eq_fields: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let f = ident(&m.rust_name);
            quote!(self.#f == other.#f)
        })
        .collect();
    let eq_body = if eq_fields.is_empty() { quote!(let _ = other; true) } else { quote!(#(#eq_fields)&&*) };
    let message = s
        .error
        .as_ref()
        .and_then(|e| e.message_member.as_ref())
        .and_then(|rust| s.members.iter().find(|m| &m.rust_name == rust));
    let message_expr = match message {
        Some(m) if !m.sensitive && matches!(m.ty, Type::String { .. }) => {
            let f = ident(&m.rust_name);
            if m.optional {
                quote!(self.#f.as_deref().or(self.meta.message()))
            } else {
                quote!(::std::option::Option::Some(self.#f.as_str()))
            }
        }
        Some(_) => quote!(::std::option::Option::None),
        None => quote!(self.meta.message()),
    };
    quote! {
        impl ::std::cmp::PartialEq for #name {
            /// Compares the modeled members; where the error came from is not part of it.
            fn eq(&self, other: &Self) -> bool {
                #eq_body
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::smithy_runtime::error::display_error(f, #code, #message_expr, &self.meta)
            }
        }

        impl ::std::error::Error for #name {}

        impl ::smithy_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::smithy_runtime::ErrorMetadata {
                &self.meta
            }
            fn code(&self) -> ::std::option::Option<&str> {
                ::std::option::Option::Some(#code)
            }
            fn message(&self) -> ::std::option::Option<&str> {
                #message_expr
            }
        }

        impl ::smithy_runtime::RequestId for #name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta.request_id()
            }
        }
    }
}

fn error_enum(ctx: &EmitContext, op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let doc = format!(
        " An error of the `{}` operation: one variant per modeled error, and `Unhandled` for any other.",
        op.name
    );
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        let t = ctx.named(&Named { rust_name: e.rust_name.clone(), kind: NamedKind::Structure });
        let d = format!(" The `{}` error.", e.code);
        quote!(#[doc = #d] #v(#t),)
    });
    // One match gives the variant as a trait object; `meta`, `code`, `message`, `Display` and
    // `source` call through it (the variant's own impls answer as before), so that each enum
    // compiles one match instead of five.
    let variant_arms = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        quote!(Self::#v(e) => e,)
    });
    let variant = quote!(match self { #(#variant_arms)* Self::Unhandled(e) => e, });
    let is_fns = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        let f = format_ident!("is_{}", heck::ToSnakeCase::to_snake_case(e.rust_name.as_str()));
        let d = format!(" `true` for the `{}` error.", e.code);
        quote!(#[doc = #d] #[inline] pub fn #f(&self) -> bool { matches!(self, Self::#v(_)) })
    });
    let froms = op.errors.iter().map(|e| {
        let v = ident(&e.rust_name);
        let t = ctx.named(&Named { rust_name: e.rust_name.clone(), kind: NamedKind::Structure });
        quote! {
            impl ::std::convert::From<#t> for #name {
                #[inline]
                fn from(e: #t) -> Self {
                    Self::#v(e)
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error the model does not describe; it keeps the code, message, status and
            /// request id.
            Unhandled(::smithy_runtime::Unhandled),
        }

        impl #name {
            /// An error the model does not describe.
            pub fn unhandled(meta: ::smithy_runtime::ErrorMetadata) -> Self {
                Self::Unhandled(::smithy_runtime::Unhandled::new(meta))
            }

            /// Code, message and request id of the response. `code()` and `message()` come
            /// from [`ProvideErrorMetadata`](::smithy_runtime::ProvideErrorMetadata), the request
            /// id from [`RequestId`](::smithy_runtime::RequestId), as in the AWS SDK.
            pub fn meta(&self) -> &::smithy_runtime::ErrorMetadata {
                ::smithy_runtime::ProvideErrorMetadata::meta(self.variant())
            }

            /// The variant's error, whichever it is.
            fn variant(&self) -> &dyn ::smithy_runtime::error::ErrorVariant {
                #variant
            }

            #(#is_fns)*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.variant(), f)
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                let source: &(dyn ::std::error::Error + 'static) = self.variant();
                ::std::option::Option::Some(source)
            }
        }

        impl ::smithy_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::smithy_runtime::ErrorMetadata {
                #name::meta(self)
            }
            /// The error code, e.g. `ResourceNotFoundException`.
            fn code(&self) -> ::std::option::Option<&str> {
                ::smithy_runtime::ProvideErrorMetadata::code(self.variant())
            }
            /// The error message.
            fn message(&self) -> ::std::option::Option<&str> {
                ::smithy_runtime::ProvideErrorMetadata::message(self.variant())
            }
        }

        impl ::smithy_runtime::RequestId for #name {
            /// The request id the service assigned.
            fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta().request_id()
            }
        }

        impl ::smithy_runtime::error::CreateUnhandledError for #name {
            fn create_unhandled_error(meta: ::smithy_runtime::ErrorMetadata, source: ::std::option::Option<::smithy_runtime::error::BoxError>) -> Self {
                Self::Unhandled(::smithy_runtime::Unhandled::with_optional_source(meta, source))
            }
        }

        #(#froms)*
    }
}

fn enumeration(e: &Enum) -> TokenStream {
    match &e.variants {
        EnumVariants::Int(variants) => int_enum(e, variants),
        EnumVariants::String(variants) => string_enum(e, variants),
    }
}

/// The `enum` item's variants, each documented with its wire value.
fn variant_defs<V: std::fmt::Display>(variants: &[EnumVariant<V>]) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| {
            let id = ident(&v.rust_name);
            let d = docs(&v.docs, &format!("`{}`", v.value));
            let dep = if v.deprecated { quote!(#[deprecated]) } else { quote!() };
            quote!(#d #dep #id,)
        })
        .collect()
}

/// What every enum has, whatever its kind: its doc, a redacting `Debug` when sensitive (and
/// no derived one then), and the values a validation message names (without internal ones).
struct EnumParts {
    name: proc_macro2::Ident,
    doc: TokenStream,
    debug: TokenStream,
    derive_debug: TokenStream,
    public_values: Vec<TokenStream>,
}

fn enum_parts<V: quote::ToTokens>(e: &Enum, variants: &[EnumVariant<V>]) -> EnumParts {
    let name = ident(&e.rust_name);
    let doc = docs(&e.docs, &format!("The `{}` enum.", e.id.name()));
    let debug = if e.sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(::smithy_runtime::REDACTED)
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = if e.sensitive { quote!() } else { quote!(::std::fmt::Debug,) };
    let public_values = variants
        .iter()
        .filter(|v| !v.internal)
        .map(|v| {
            let value = &v.value;
            quote!(#value)
        })
        .collect();
    EnumParts { name, doc, debug, derive_debug, public_values }
}

fn int_enum(e: &Enum, variants: &[EnumVariant<i32>]) -> TokenStream {
    let EnumParts { name, doc, debug, derive_debug, public_values } = enum_parts(e, variants);
    let variant_defs = variant_defs(variants);
    let values: Vec<i32> = variants.iter().map(|v| v.value).collect();
    let ids: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::marker::Copy, #derive_debug ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_defs)*
                /// A value this build does not know, kept as received.
                Unknown(i32),
            }

            impl ::smithy_runtime::json::FromJson for #name {
                fn from_json(node: ::smithy_runtime::json::Node<'_>) -> ::std::result::Result<Self, ::smithy_runtime::json::DecodeError> {
                    ::smithy_runtime::json::int_enum(node)
                }
            }

            impl ::smithy_runtime::json::ToJson for #name {
                fn to_json(&self, writer: &mut ::smithy_runtime::json::JsonWriter) {
                    writer.leaf(&self.value())
                }
            }

            impl #name {
                /// The wire value.
                pub fn value(&self) -> i32 {
                    match self {
                        #(Self::#ids => #values,)*
                        Self::Unknown(v) => *v,
                    }
                }

                /// Every value the model lists.
                pub const fn values() -> &'static [i32] {
                    &[#(#values),*]
                }

                #[cfg(feature = "validate")]
                #[doc(hidden)]
                pub fn validate_into(&self, path: &str, violations: &mut ::smithy_runtime::constraint::Violations) {
                    if let Self::Unknown(_) = self {
                        violations.int_enum_value(|| path.to_owned(), &[#(#public_values),*]);
                    }
                }
            }

            impl ::std::convert::From<i32> for #name {
                fn from(v: i32) -> Self {
                    match v {
                        #(#values => Self::#ids,)*
                        other => Self::Unknown(other),
                    }
                }
            }

            impl ::std::convert::From<#name> for i32 {
                fn from(v: #name) -> Self {
                    v.value()
                }
            }

            impl ::smithy_runtime::text::TextValue for #name {
                fn to_text(&self, _: ::smithy_runtime::TimestampFormat) -> ::std::string::String {
                    self.value().to_string()
                }
                fn from_text(text: &str, format: ::smithy_runtime::TimestampFormat) -> ::std::result::Result<Self, ::smithy_runtime::text::TextError> {
                    <i32 as ::smithy_runtime::text::TextValue>::from_text(text, format).map(Self::from)
                }
            }

            #debug
    }
}

fn string_enum(e: &Enum, variants: &[EnumVariant<String>]) -> TokenStream {
    let EnumParts { name, doc, debug, derive_debug, public_values } = enum_parts(e, variants);
    let variant_defs = variant_defs(variants);
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let ids: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    quote! {
        #doc
        #[derive(::std::clone::Clone, #derive_debug ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value this build does not know, kept as received.
            Unknown(::smithy_runtime::UnknownVariantValue),
        }

        impl ::smithy_runtime::json::FromJson for #name {
            fn from_json(node: ::smithy_runtime::json::Node<'_>) -> ::std::result::Result<Self, ::smithy_runtime::json::DecodeError> {
                ::smithy_runtime::json::string_enum(node)
            }
        }

        impl ::smithy_runtime::json::ToJson for #name {
            fn to_json(&self, writer: &mut ::smithy_runtime::json::JsonWriter) {
                writer.leaf(self.as_str())
            }
        }

        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#ids => #values,)*
                    Self::Unknown(v) => v.as_str(),
                }
            }

            /// Every value the model lists.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }

            #[cfg(feature = "validate")]
            #[doc(hidden)]
            pub fn validate_into(&self, path: &str, violations: &mut ::smithy_runtime::constraint::Violations) {
                if let Self::Unknown(_) = self {
                    violations.enum_value(|| path.to_owned(), &[#(#public_values),*]);
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#values => Self::#ids,)*
                    other => Self::Unknown(::smithy_runtime::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(s: ::std::string::String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl ::std::convert::From<#name> for ::std::string::String {
            fn from(v: #name) -> Self {
                v.as_str().to_owned()
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::smithy_runtime::text::TextValue for #name {
            fn to_text(&self, _: ::smithy_runtime::TimestampFormat) -> ::std::string::String {
                self.as_str().to_owned()
            }
            fn from_text(text: &str, _: ::smithy_runtime::TimestampFormat) -> ::std::result::Result<Self, ::smithy_runtime::text::TextError> {
                ::std::result::Result::Ok(Self::from(text))
            }
        }

        #debug
    }
}

fn union(ctx: &EmitContext, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let name_str = &u.rust_name;
    let doc = docs(&u.docs, &format!("The `{}` union.", u.id.name()));
    let (read_cfg, write_cfg) = (ctx.json_cfg(name_str, true), ctx.json_cfg(name_str, false));
    let mut defs = Vec::new();
    let mut ser = Vec::new();
    let mut read = Vec::new();
    let mut debug = Vec::new();
    let mut accessors = Vec::new();
    let mut checks = Vec::new();
    for v in &u.variants {
        let id = ident(&v.rust_name);
        let vdoc = docs(&v.docs, &format!("The `{}` member.", v.name));
        let json = &v.json_name;
        let key = crate::emit::common::quoted_json_key(json);
        let snake = heck::ToSnakeCase::to_snake_case(v.rust_name.as_str());
        let is_fn = format_ident!("is_{}", snake);
        let as_fn = format_ident!("as_{}", snake);
        let is_doc = format!(" `true` when the `{}` member is set.", v.name);
        let as_doc = format!(" The `{}` member's value, or the union itself when another member is set.", v.name);
        match &v.ty {
            None => {
                defs.push(quote!(#vdoc #id,));
                ser.push(quote!(Self::#id => object.member_quoted(#key, ::std::option::Option::Some(&::smithy_runtime::json::Unit)),));
                read.push(quote!(#json => Self::#id,));
                debug.push(quote!(Self::#id => f.write_str(stringify!(#id)),));
                accessors.push(quote! {
                    #[doc = #is_doc]
                    pub fn #is_fn(&self) -> bool { matches!(self, Self::#id) }
                });
            }
            Some(ty) => {
                let mut t = ctx.ty(ty);
                if v.boxed {
                    t = quote!(::std::boxed::Box<#t>);
                }
                defs.push(quote!(#vdoc #id(#t),));
                match adapter(ty) {
                    Some(a) => {
                        ser.push(
                            quote!(Self::#id(v) => object.member_quoted_as::<_, #a>(#key, ::std::option::Option::Some(v)),),
                        );
                        read.push(quote!(#json => Self::#id(<#a as ::smithy_runtime::json::FromJsonAs<#t>>::from_json_as(node)?),));
                    }
                    None => {
                        ser.push(quote!(Self::#id(v) => object.member_quoted(#key, ::std::option::Option::Some(v)),));
                        read.push(quote!(#json => Self::#id(::smithy_runtime::json::FromJson::from_json(node)?),));
                    }
                }
                if v.sensitive || u.sensitive {
                    debug.push(quote!(Self::#id(_) => f.debug_tuple(stringify!(#id)).field(&::smithy_runtime::REDACTED).finish(),));
                } else {
                    debug.push(quote!(Self::#id(v) => f.debug_tuple(stringify!(#id)).field(v).finish(),));
                }
                accessors.push(quote! {
                    #[doc = #is_doc]
                    pub fn #is_fn(&self) -> bool { matches!(self, Self::#id(_)) }
                    #[doc = #as_doc]
                    pub fn #as_fn(&self) -> ::std::result::Result<&#t, &Self> {
                        if let Self::#id(v) = self { ::std::result::Result::Ok(v) } else { ::std::result::Result::Err(self) }
                    }
                });
                let wire = &v.name;
                let path = quote!(::smithy_runtime::constraint::child(path, #wire));
                let inner = value_check(&quote!(value), ty, &v.constraints, &path, 0);
                if !inner.is_empty() {
                    checks.push(quote!(Self::#id(value) => { #inner }));
                }
            }
        }
    }
    let unknown_check = quote! {
        Self::Unknown(member) => violations.unknown_union_member(|| path.to_owned(), member.name()),
    };
    let all_checked = checks.len() == u.variants.len();
    let rest = if all_checked { quote!() } else { quote!(_ => {}) };
    let validate = if checks.is_empty() {
        quote! {
            if let Self::Unknown(member) = self {
                violations.unknown_union_member(|| path.to_owned(), member.name());
            }
        }
    } else {
        quote! {
            match self {
                #(#checks)*
                #unknown_check
                #rest
            }
        }
    };
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            /// A member this build does not know, kept with its raw value.
            Unknown(::smithy_runtime::UnknownUnionMember),
        }

        impl #name {
            #(#accessors)*

            /// `true` when the member is one this build does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            /// Checks the model's constraints on the member that is set (with the crate's
            /// `validate` feature, which the server turns on).
            #[cfg(feature = "validate")]
            pub fn validate(&self) -> ::std::result::Result<(), ::smithy_runtime::constraint::ValidationError> {
                let mut violations = ::smithy_runtime::constraint::Violations::new();
                self.validate_into("", &mut violations);
                violations.into_result()
            }

            #[cfg(feature = "validate")]
            #[doc(hidden)]
            pub fn validate_into(&self, path: &str, violations: &mut ::smithy_runtime::constraint::Violations) {
                #validate
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug)*
                    Self::Unknown(member) => f.debug_tuple("Unknown").field(&member.name()).finish(),
                }
            }
        }

        #write_cfg
        impl ::smithy_runtime::json::ToJson for #name {
            fn to_json(&self, writer: &mut ::smithy_runtime::json::JsonWriter) {
                let mut object = writer.object();
                match self {
                    #(#ser)*
                    Self::Unknown(member) => object.member(member.name(), ::std::option::Option::Some(member.value())),
                }
                object.end();
            }
        }

        #read_cfg
        impl ::smithy_runtime::json::FromJson for #name {
            fn from_json(node: ::smithy_runtime::json::Node<'_>) -> ::std::result::Result<Self, ::smithy_runtime::json::DecodeError> {
                ::smithy_runtime::json::union(
                    node,
                    #name_str,
                    |key, node| ::std::result::Result::Ok(::std::result::Result::Ok(match key {
                        #(#read)*
                        _ => return ::std::result::Result::Ok(::std::result::Result::Err(node)),
                    })),
                    Self::Unknown,
                )
            }
        }
    }
}
