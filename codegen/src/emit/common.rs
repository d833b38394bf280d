//! Helpers every emitter uses: identifiers, doc attributes, Rust types for IR types, serde
//! adapters and timestamp formats.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Binding, DefaultValue, Element, Ir, Member, Named, NamedKind, TimestampFormat, Type};

/// Where the emitted code sits, which decides how it names generated types.
#[derive(Clone, Debug)]
pub struct EmitContext {
    /// The path of the types crate from the emitted code: `crate` inside it, else
    /// `::connect_types`.
    pub types: TokenStream,
    /// Rust names of error structures (they live in `types::error`).
    pub errors: BTreeSet<String>,
    /// Whether the model has protocol test cases: the types crate then has a `protocol-test`
    /// feature.
    pub protocol_tests: bool,
    /// Which way each structure and union travels (`Ir::flows`): it decides the features
    /// under which its JSON reading and writing are compiled.
    pub flows: std::collections::BTreeMap<String, crate::ir::Flow>,
}

impl EmitContext {
    /// A context for code inside the crate `types` names (`crate` or an extern crate path).
    pub fn new(ir: &Ir, types: TokenStream) -> Self {
        let errors = ir.structures.iter().filter(|s| s.error.is_some()).map(|s| s.rust_name.clone()).collect();
        use crate::ir::TestSide;
        let protocol_tests = ir.has_protocol_cases(TestSide::Client) || ir.has_protocol_cases(TestSide::Server);
        EmitContext { types, errors, protocol_tests, flows: ir.flows() }
    }

    /// The `#[cfg(..)]` of a shape's `FromJson` (`reads`) or `ToJson` impl in the types crate:
    /// compiled with the `client` feature when the client needs it (it reads what travels to
    /// the client, writes what travels to the server), with the `server` feature when the
    /// server does, and with `protocol-test`, whose tests compare values through their JSON.
    pub fn json_cfg(&self, rust_name: &str, reads: bool) -> TokenStream {
        // A shape no operation holds (none is generated today) keeps both, as before.
        let flow = self.flows.get(rust_name).copied().unwrap_or(crate::ir::Flow { to_server: true, to_client: true });
        let (client, server) = if reads { (flow.to_client, flow.to_server) } else { (flow.to_server, flow.to_client) };
        let features = [("client", client), ("server", server), ("protocol-test", self.protocol_tests)]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| f)
            .collect::<Vec<_>>();
        match features.as_slice() {
            [one] => quote!(#[cfg(feature = #one)]),
            _ => quote!(#[cfg(any(#(feature = #features),*))]),
        }
    }

    /// The path of a generated named type.
    pub fn named(&self, named: &Named) -> TokenStream {
        let types = &self.types;
        let name = ident(&named.rust_name);
        if named.kind == NamedKind::Structure && self.errors.contains(&named.rust_name) {
            quote!(#types::types::error::#name)
        } else {
            quote!(#types::types::#name)
        }
    }

    /// The Rust type of an IR type.
    pub fn ty(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::Boolean => quote!(bool),
            Type::Byte => quote!(i8),
            Type::Short => quote!(i16),
            Type::Integer => quote!(i32),
            Type::Long => quote!(i64),
            Type::Float => quote!(f32),
            Type::Double => quote!(f64),
            Type::BigInteger => quote!(::smithy_runtime::BigInteger),
            Type::BigDecimal => quote!(::smithy_runtime::BigDecimal),
            Type::String { .. } => quote!(::std::string::String),
            Type::Blob { .. } => quote!(::smithy_runtime::Blob),
            Type::ByteStream { .. } => quote!(::smithy_runtime::ByteStream),
            Type::Timestamp(_) => quote!(::smithy_runtime::DateTime),
            Type::Document => quote!(::smithy_runtime::Document),
            Type::Named(n) => self.named(n),
            Type::List { member, sparse } => {
                let inner = self.element(member, *sparse);
                quote!(::std::vec::Vec<#inner>)
            }
            Type::Map { key, value, sparse } => {
                let k = self.ty(&key.ty);
                let v = self.element(value, *sparse);
                quote!(::std::collections::HashMap<#k, #v>)
            }
        }
    }

    fn element(&self, element: &Element, sparse: bool) -> TokenStream {
        let t = self.ty(&element.ty);
        if sparse { quote!(::std::option::Option<#t>) } else { t }
    }

    /// The field type of a member: boxed and optional as the IR says.
    pub fn field_ty(&self, m: &Member) -> TokenStream {
        let mut t = self.ty(&m.ty);
        if m.boxed {
            t = quote!(::std::boxed::Box<#t>);
        }
        if m.optional { quote!(::std::option::Option<#t>) } else { t }
    }
}

/// The attribute of per-operation client code (the client's method and fluent builder, request
/// writing, response reading, paginators, error conversion): `#[inline]`, under which rustc
/// compiles a function to machine code in the crate that calls it rather than in the crate that
/// defines it. An app thus pays code generation for the operations it calls, not for all of the
/// service's (as it already does for each operation's `async fn send`, whose body is compiled
/// where it is awaited); the client crate itself keeps only the front end's work for the rest.
pub fn compiled_where_called() -> TokenStream {
    quote!(#[inline])
}

/// An identifier; `r#type` style names become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The snake_case function name for a type name, escaped when it is a keyword: the error
/// structure `Loop` is read by `r#loop`, not by a `loop` that does not parse.
pub fn snake_ident(type_name: &str) -> Ident {
    ident(&crate::naming::operation_name(type_name))
}

/// An identifier with a prefix: `set_` + `type` is `set_type`.
pub fn prefixed(prefix: &str, name: &str) -> Ident {
    format_ident!("{}{}", prefix, crate::naming::bare(name))
}

/// `#[doc = "..."]` lines for documentation, or a fallback line.
pub fn docs(docs: &Option<String>, fallback: &str) -> TokenStream {
    let text = docs.as_deref().filter(|d| !d.trim().is_empty()).unwrap_or(fallback);
    let lines = text.lines().map(doc_line);
    quote!(#(#[doc = #lines])*)
}

/// The literal of one line of documentation, with the space that follows `///`.
fn doc_line(line: &str) -> Literal {
    if line.is_empty() { doc_literal("") } else { doc_literal(&format!(" {line}")) }
}

/// A string literal for documentation text: raw (`r"…"`, `r#"…"#`) where the text allows it.
/// Doc text is long (a fifth of the whole Connect model's generated bytes), and a raw literal
/// is neither escaped here nor unescaped again when the code is parsed and printed as `///`
/// lines, which prints the same text either way.
pub fn doc_literal(text: &str) -> Literal {
    // A raw literal cannot hold a carriage return; `"` followed by n `#` needs n + 1 of them.
    if text.contains('\r') {
        return Literal::string(text);
    }
    let mut hashes = 0;
    for (at, _) in text.match_indices('"') {
        let run = text[at + 1..].bytes().take_while(|b| *b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}").parse().unwrap_or_else(|_| Literal::string(text))
}

/// Documentation for a second or later place a member's docs appear (accessor, `set_` and
/// `get_` methods): the docs themselves when short, else their first paragraph and `more`, a
/// pointer to where they are in full. Some models document a member with a thousand lines
/// (Connect's `GetMetricDataV2` lists every metric); repeating them on every method would make
/// files no one can read.
pub fn brief_docs(docs_text: &Option<String>, fallback: &str, more: &str) -> TokenStream {
    const MAX_LINES: usize = 12;
    let Some(text) = docs_text.as_deref().filter(|d| !d.trim().is_empty()) else {
        return docs(&None, fallback);
    };
    if text.lines().count() <= MAX_LINES {
        return docs(docs_text, fallback);
    }
    let first: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).take(MAX_LINES).collect();
    docs(&Some(format!("{}\n\n{more}", first.join("\n"))), fallback)
}

/// The runtime's name for a timestamp format.
pub fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(::smithy_runtime::TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(::smithy_runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_runtime::TimestampFormat::HttpDate),
    }
}

/// The timestamp format of a value bound outside the body: the model's, else the location's
/// default (`http-date` in headers, `date-time` in labels and query strings).
pub fn text_format(ty: &Type, binding: &Binding) -> TokenStream {
    let explicit = match ty {
        Type::Timestamp(f) => *f,
        Type::List { member, .. } => match member.ty {
            Type::Timestamp(f) => f,
            _ => None,
        },
        _ => None,
    };
    let default = match binding {
        Binding::Header(_) | Binding::PrefixHeaders(_) => TimestampFormat::HttpDate,
        _ => TimestampFormat::DateTime,
    };
    format_tokens(explicit.unwrap_or(default))
}

/// The adapter (`FromJsonAs`, `ToJsonAs`) a value needs in JSON, or `None` when its type's own
/// impls are right: timestamps in another format than epoch-seconds, and collections of them.
/// (Floats need none: theirs write and read `NaN` and the infinities as Smithy's strings.)
pub fn adapter(ty: &Type) -> Option<TokenStream> {
    match ty {
        Type::Timestamp(Some(TimestampFormat::DateTime)) => Some(quote!(::smithy_runtime::json::DateTimeString)),
        Type::Timestamp(Some(TimestampFormat::HttpDate)) => Some(quote!(::smithy_runtime::json::HttpDateString)),
        Type::List { member, sparse } => {
            let inner = adapter(&member.ty)?;
            let inner = if *sparse { quote!(::std::option::Option<#inner>) } else { inner };
            Some(quote!(::std::vec::Vec<#inner>))
        }
        Type::Map { value, sparse, .. } => {
            let inner = adapter(&value.ty)?;
            let inner = if *sparse { quote!(::std::option::Option<#inner>) } else { inner };
            Some(quote!(::std::collections::HashMap<::smithy_runtime::serde_with::Same, #inner>))
        }
        _ => None,
    }
}

/// What a generated `FromJson` impl puts in a field whose key is absent (or `null`).
pub enum WhenAbsent {
    /// An `Option` field: `None`.
    None,
    /// A member with a `@default`: the value of this function.
    Default(Ident),
    /// A required member: the "missing field" error, which a server reports as a violation.
    Missing,
    /// A field that is not on the wire (an error's metadata): `Default::default()`.
    NotOnTheWire,
}

/// One field of a generated `FromJson` impl.
pub struct JsonField {
    pub field: Ident,
    pub json: String,
    /// The adapter for the member's wire form ([`adapter`]), never wrapped in `Option`.
    pub adapter: Option<TokenStream>,
    pub absent: WhenAbsent,
}

/// `impl FromJson` for a structure read from a JSON object: one loop over the object's members
/// that matches keys, unknown keys skipped. It is an ordinary function, compiled once in the
/// crate that defines the structure; serde's `Deserialize` (derived or written out) is generic
/// over the parser and was compiled again, with the parser's own code, for every structure in
/// every crate that read it: for the 1,792 shapes of Amazon Connect, over half of the client's
/// machine code. `attrs` go on the function (the client's response bodies take
/// [`compiled_where_called`]).
pub fn from_json_impl(name: &Ident, label: &str, fields: &[JsonField], attrs: TokenStream) -> TokenStream {
    let expecting = format!("a `{label}` structure (a JSON object)");
    let on_wire: Vec<&JsonField> = fields.iter().filter(|f| !matches!(f.absent, WhenAbsent::NotOnTheWire)).collect();
    // The local that holds a member's value while the keys are read.
    let slot_of = |f: &JsonField| format_ident!("v_{}", crate::naming::bare(&f.field.to_string()));
    let declared = on_wire.iter().map(|f| slot_of(f));
    let reads: Vec<(&str, TokenStream)> = on_wire
        .iter()
        .map(|f| {
            let slot = slot_of(f);
            let json = &f.json;
            let read = match &f.adapter {
                Some(adapter) => quote!(#slot = ::smithy_runtime::json::member_as::<_, #adapter>(value, #json)?;),
                None => quote!(#slot = ::smithy_runtime::json::member(value, #json)?;),
            };
            (json.as_str(), read)
        })
        .collect();
    // One member is an `if` (what clippy asks for), more a `match`.
    let dispatch = match reads.as_slice() {
        [(json, read)] => quote! {
            if key.as_str() == #json {
                #read
            }
        },
        _ => {
            let arms = reads.iter().map(|(json, read)| quote!(#json => { #read }));
            quote! {
                match key.as_str() {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    let inits = fields.iter().map(|f| {
        let field = &f.field;
        let slot = slot_of(f);
        let json = &f.json;
        let value = match &f.absent {
            WhenAbsent::None => quote!(#slot),
            WhenAbsent::Default(func) => quote!(#slot.unwrap_or_else(#func)),
            WhenAbsent::Missing => quote!(#slot.ok_or_else(|| ::smithy_runtime::json::DecodeError::missing(#json))?),
            WhenAbsent::NotOnTheWire => quote!(::std::default::Default::default()),
        };
        quote!(#field: #value,)
    });
    // Without members on the wire, the object is only checked to be one.
    let read_members = if on_wire.is_empty() {
        quote!(::smithy_runtime::json::object(node, #expecting)?;)
    } else {
        quote! {
            #(let mut #declared = ::std::option::Option::None;)*
            for (key, value) in ::smithy_runtime::json::object(node, #expecting)? {
                #dispatch
            }
        }
    };
    quote! {
        impl ::smithy_runtime::json::FromJson for #name {
            #attrs
            fn from_json(node: ::smithy_runtime::json::Node<'_>) -> ::std::result::Result<Self, ::smithy_runtime::json::DecodeError> {
                #read_members
                ::std::result::Result::Ok(#name { #(#inits)* })
            }
        }
    }
}

/// A statement that writes one member into the `object` being written (an
/// `ObjectWriter`); `value` is an `Option<&T>` expression, `None` leaving the member out.
pub fn write_member(json: &str, adapter: Option<&TokenStream>, value: &TokenStream) -> TokenStream {
    let key = quoted_json_key(json);
    match adapter {
        Some(adapter) => quote!(object.member_quoted_as::<_, #adapter>(#key, #value);),
        None => quote!(object.member_quoted(#key, #value);),
    }
}

/// A member's JSON key as the writer puts it in the text, quoted and escaped, with its colon
/// (`r#""AccessToken":"#`): escaped once here rather than checked on every write.
pub fn quoted_json_key(json: &str) -> Literal {
    // A JSON string value's text (`Value`'s `Display` cannot fail, unlike `to_string`).
    let quoted = serde_json::Value::from(json).to_string();
    doc_literal(&format!("{quoted}:"))
}

/// `impl ToJson` for a structure written as a JSON object: its members in model order, unset
/// ones left out. Like [`from_json_impl`], an ordinary function compiled once where the
/// structure is defined, not serde's derive, which is generic over the serializer. `cfg` is put
/// on the impl (the inputs and outputs of a model with protocol tests get one only with the
/// types crate's `protocol-test` feature).
pub fn to_json_impl(name: &Ident, fields: &[JsonField], cfg: TokenStream) -> TokenStream {
    let writes: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let field = &f.field;
            let value = match f.absent {
                WhenAbsent::None => quote!(self.#field.as_ref()),
                WhenAbsent::Default(_) | WhenAbsent::Missing => quote!(::std::option::Option::Some(&self.#field)),
                WhenAbsent::NotOnTheWire => return None,
            };
            Some(write_member(&f.json, f.adapter.as_ref(), &value))
        })
        .collect();
    let body = if writes.is_empty() {
        quote!(writer.object().end();)
    } else {
        quote! {
            let mut object = writer.object();
            #(#writes)*
            object.end();
        }
    };
    quote! {
        #cfg
        impl ::smithy_runtime::json::ToJson for #name {
            fn to_json(&self, writer: &mut ::smithy_runtime::json::JsonWriter) {
                #body
            }
        }
    }
}

/// Whether values of the type are `Copy` (accessors return them by value).
pub fn is_copy(ty: &Type) -> bool {
    matches!(ty, Type::Boolean | Type::Byte | Type::Short | Type::Integer | Type::Long | Type::Float | Type::Double)
}

/// The expression for a member's default value.
pub fn default_expr(ctx: &EmitContext, ty: &Type, value: &DefaultValue) -> TokenStream {
    match (value, ty) {
        (DefaultValue::Bool(b), _) => quote!(#b),
        (DefaultValue::Int(i), Type::Named(n)) => {
            let t = ctx.named(n);
            let i = i32::try_from(*i).unwrap_or_default();
            quote!(<#t as ::std::convert::From<i32>>::from(#i))
        }
        (DefaultValue::Int(i), _) => {
            let l = Literal::i64_unsuffixed(*i);
            quote!(#l)
        }
        (DefaultValue::Float(f), _) => {
            let l = Literal::f64_unsuffixed(*f);
            quote!(#l)
        }
        (DefaultValue::String(s), Type::Named(n)) => {
            let t = ctx.named(n);
            quote!(<#t as ::std::convert::From<&str>>::from(#s))
        }
        (DefaultValue::String(s), _) => quote!(::std::string::String::from(#s)),
        (DefaultValue::Empty, _) => quote!(::std::default::Default::default()),
        (DefaultValue::Document(json), _) => {
            quote!(::smithy_runtime::json::document_from_str(#json).unwrap_or_default())
        }
        (DefaultValue::Number(text), _) => {
            let t = ctx.ty(ty);
            quote!(<#t as ::std::str::FromStr>::from_str(#text).unwrap_or_default())
        }
        (DefaultValue::Blob(bytes), Type::ByteStream { .. }) => {
            let bytes = Literal::byte_string(bytes);
            quote!(::smithy_runtime::ByteStream::from_static(#bytes))
        }
        (DefaultValue::Blob(bytes), _) => {
            let bytes = Literal::byte_string(bytes);
            quote!(::smithy_runtime::Blob::new(&#bytes[..]))
        }
        (DefaultValue::Timestamp { seconds, nanos }, _) => {
            quote!(::smithy_runtime::DateTime::from_secs_and_nanos(#seconds, #nanos))
        }
    }
}

/// The crate name of the types crate as a path, e.g. `::connect_types`.
pub fn crate_path(crate_name: &str) -> TokenStream {
    let id = ident(&crate_name.replace('-', "_"));
    quote!(::#id)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use quote::ToTokens;

    use super::{doc_literal, quoted_json_key};

    fn value(literal: proc_macro2::Literal) -> String {
        syn::parse2::<syn::LitStr>(literal.into_token_stream()).unwrap().value()
    }

    #[test]
    fn doc_text_is_a_raw_literal_with_as_many_hashes_as_it_needs() {
        assert_eq!(doc_literal(" plain").to_string(), "r\" plain\"");
        assert_eq!(doc_literal(r#" a "quote""#).to_string(), r##"r#" a "quote""#"##);
        assert_eq!(doc_literal(r##" "#"##).to_string(), r###"r##" "#"##"###);
        // A carriage return cannot be in a raw literal.
        assert_eq!(doc_literal("a\rb").to_string(), r#""a\rb""#);
    }

    #[test]
    fn json_keys_are_quoted_and_escaped_with_their_colon() {
        assert_eq!(quoted_json_key("AccessToken").to_string(), r##"r#""AccessToken":"#"##);
        assert_eq!(value(quoted_json_key("a\"b\\c\u{1}é")), "\"a\\\"b\\\\c\\u0001é\":");
    }

    proptest! {
        /// Whatever a member's JSON name, the key written is that name as a JSON string.
        #[test]
        fn any_json_key_reads_back_as_its_name(name in "(\\PC|[\"#\\\\\r\n\t\0])*") {
            let key = value(quoted_json_key(&name));
            let quoted = key.strip_suffix(':').unwrap();
            prop_assert_eq!(serde_json::from_str::<String>(quoted).unwrap(), name);
        }

        #[test]
        fn any_doc_text_reads_back_the_same(text in "(\\PC|[\"#\\\\\r\n\t\0])*") {
            prop_assert_eq!(value(doc_literal(&text)), text);
        }
    }
}
