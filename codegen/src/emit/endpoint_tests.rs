//! Emits the client crate's endpoint tests: one `#[test]` per case of the model's
//! `smithy.rules#endpointTests`, documented with the case's documentation, that resolves the
//! case's parameters with the service's rule set (through the client crate's
//! `config::endpoint::rule_set()`, the rules the client itself uses) and checks the URL, the
//! headers and properties the case lists, or the error message. The comparison is the
//! runtime's `smithy_runtime::client::endpoint::Expected::check`, written and tested once.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::docs;
use crate::ir::{EndpointExpectation, EndpointParam, EndpointTest, Ir};

/// The test file, for the client crate named `client_crate` (e.g. `connect-client`).
pub fn emit(ir: &Ir, client_crate: &str) -> TokenStream {
    let krate = format_ident!("{}", client_crate.replace('-', "_"));
    let cases = &ir.service.endpoint_tests;
    let width = cases.len().to_string().len();
    let tests = cases.iter().enumerate().map(|(i, case)| test(case, &test_name(i + 1, width, &case.documentation)));
    quote! {
        use ::smithy_runtime::client::endpoint::{Expected, Params};

        /// Resolves `params` with the service's endpoint rules and compares with `expected`.
        fn check(params: Params, expected: Expected) {
            let rules = match #krate::config::endpoint::rule_set() {
                ::std::option::Option::Some(::std::result::Result::Ok(rules)) => rules,
                ::std::option::Option::Some(::std::result::Result::Err(e)) => panic!("the model's endpoint rule set does not parse: {e}"),
                ::std::option::Option::None => panic!("the model has no endpoint rule set"),
            };
            if let ::std::result::Result::Err(e) = expected.check(&rules, &params) {
                panic!("{e}");
            }
        }

        #(#tests)*
    }
}

fn test(case: &EndpointTest, name: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    let doc = docs(&case.documentation, "An endpoint test case without documentation.");
    let params = case.params.iter().map(|(k, v)| {
        let value = match v {
            EndpointParam::String(s) => quote!(#s),
            EndpointParam::Bool(b) => quote!(#b),
            EndpointParam::StringArray(items) => {
                quote!(::smithy_runtime::client::endpoint::Value::StringArray(
                    ::std::vec![#(::std::string::String::from(#items)),*]
                ))
            }
        };
        quote!(.with(#k, #value))
    });
    let expected = match &case.expect {
        EndpointExpectation::Error(message) => quote!(Expected::error(#message)),
        EndpointExpectation::Endpoint { url, headers, properties } => {
            let headers = headers.iter().flatten().map(|(h, values)| quote!(.with_header(#h, &[#(#values),*])));
            let properties = properties.iter().map(|json| {
                quote!(.with_properties(
                    ::smithy_runtime::serde_json::from_str(#json).expect("the case's properties are JSON")
                ))
            });
            quote!(Expected::endpoint(#url) #(#headers)* #(#properties)*)
        }
    };
    quote! {
        #doc
        #[test]
        fn #name() {
            check(Params::new() #(#params)*, #expected);
        }
    }
}

/// `case_07_for_region_us_east_1_with_fips_enabled`: the case number (so names never collide,
/// even for cases documented alike), then the documentation in snake case, cut at a word.
fn test_name(number: usize, width: usize, documentation: &Option<String>) -> String {
    const MAX_SLUG: usize = 60;
    let mut slug = String::new();
    for c in documentation.as_deref().unwrap_or("").chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    if slug.len() > MAX_SLUG {
        let cut = slug[..MAX_SLUG].rfind('_').unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    let slug = slug.trim_end_matches('_');
    if slug.is_empty() { format!("case_{number:0width$}") } else { format!("case_{number:0width$}_{slug}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_numbered_snake_case_and_short() {
        let doc = |s: &str| Some(s.to_owned());
        assert_eq!(
            test_name(7, 2, &doc("For region us-east-1 with FIPS enabled")),
            "case_07_for_region_us_east_1_with_fips_enabled"
        );
        assert_eq!(test_name(3, 1, &None), "case_3");
        assert_eq!(test_name(3, 1, &doc("¡¿?")), "case_3");
        assert_eq!(test_name(12, 3, &doc("  uriEncode: `a/b` → a%2Fb!")), "case_012_uriencode_a_b_a_2fb");
        let long = test_name(1, 1, &doc(&"word ".repeat(40)));
        assert!(long.len() <= "case_1_".len() + 60 && long.ends_with("word"), "{long}");
        let unbroken = test_name(1, 1, &doc(&"x".repeat(80)));
        assert_eq!(unbroken, format!("case_1_{}", "x".repeat(60)));
    }
}
