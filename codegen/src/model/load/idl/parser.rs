//! IDL parser: the tokens of one file into its syntax tree ([`ast::File`]).
//!
//! Consumes the token list of [`lexer::tokenize`]; produces the syntax tree and the syntax
//! errors. It is a recursive-descent parser that follows the grammar of the Smithy IDL 2.0 spec
//! and, where the spec leaves room, what Smithy's own loader accepts, so that both accept and
//! reject the same files and point at the same line. Shape ids are checked for form but not
//! resolved (see `desugar`).
//!
//! After a syntax error the parser skips to the next token that starts a line and can start a
//! statement (an identifier, `@`, `$` or `///`), like Smithy's loader, and goes on, so one
//! mistake does not hide the next. Node values may nest at most [`MAX_DEPTH`] levels, which
//! bounds the recursion whatever the input.
//!
//! Documentation comments are buffered as they are skipped over and attached to the traits of
//! the next shape or member; consuming any other token, or a line break that ends a statement,
//! drops them. That makes `///` apply only when it comes directly before a shape's or member's
//! traits, as the spec says.

use std::collections::HashSet;

use super::ast::{self, Body, Entry, Member, Ref, Statement, Trait, Value, ValueKind, Version};
use super::lexer::{Token, TokenKind};
use crate::model::SimpleType;
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::shape_id::ShapeId;
use crate::model::source::{FileId, Span};

/// How deeply arrays, objects and structured trait values may nest: Smithy's own limit.
pub(super) const MAX_DEPTH: usize = 64;

/// The id of the documentation trait that `///` comments stand for.
const DOCUMENTATION: &str = "smithy.api#documentation";

/// Parses the tokens of one file.
pub(super) fn parse(file: FileId, text: &str, tokens: Vec<Token>) -> (ast::File, Diagnostics) {
    let reported = vec![false; tokens.len()];
    let mut parser = Parser {
        file,
        text,
        tokens,
        pos: 0,
        docs: Vec::new(),
        depth: 0,
        reported,
        diagnostics: Diagnostics::new(),
        input_suffix: "Input".to_owned(),
        output_suffix: "Output".to_owned(),
        out: ast::File {
            version_text: "1.0".to_owned(),
            version: Version::V1,
            metadata: Vec::new(),
            namespace: None,
            uses: Vec::new(),
            statements: Vec::new(),
        },
    };
    parser.file();
    (parser.out, parser.diagnostics)
}

/// Marks a failed production whose diagnostic has already been recorded.
#[derive(Debug)]
struct Reported;

type PResult<T> = Result<T, Reported>;

/// The shape types, as written in the IDL.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ShapeType {
    Simple(SimpleType),
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Resource,
    Operation,
}

impl ShapeType {
    fn from_keyword(word: &str) -> Option<Self> {
        Some(match word {
            "enum" => ShapeType::Enum,
            "intEnum" => ShapeType::IntEnum,
            "list" => ShapeType::List,
            "set" => ShapeType::Set,
            "map" => ShapeType::Map,
            "structure" => ShapeType::Structure,
            "union" => ShapeType::Union,
            "service" => ShapeType::Service,
            "resource" => ShapeType::Resource,
            "operation" => ShapeType::Operation,
            other => ShapeType::Simple(SimpleType::from_name(other)?),
        })
    }
}

struct Parser<'a> {
    file: FileId,
    text: &'a str,
    /// Ends with `Eof`.
    tokens: Vec<Token>,
    /// The current token; never past the `Eof` token.
    pos: usize,
    /// Documentation comment lines skipped since the last significant token, with the span of
    /// the first one.
    docs: Vec<(String, Span)>,
    /// How deeply node values are nested at the moment.
    depth: usize,
    /// Which error tokens have been reported, so that none is reported twice.
    reported: Vec<bool>,
    diagnostics: Diagnostics,
    input_suffix: String,
    output_suffix: String,
    out: ast::File,
}

impl Parser<'_> {
    // ----- Tokens -----

    fn tok(&self) -> &Token {
        // The lexer ends every token list with `Eof`, so the fallback is never used; it only
        // keeps this function total.
        static END: Token = Token { kind: TokenKind::Eof, start: 0, end: 0, text: String::new(), error_at: None };
        self.tokens.get(self.pos).or(self.tokens.last()).unwrap_or(&END)
    }

    fn kind(&self) -> TokenKind {
        self.tok().kind
    }

    fn lexeme(&self) -> &str {
        let t = self.tok();
        self.text.get(t.start..t.end).unwrap_or("")
    }

    fn span(&self) -> Span {
        let t = self.tok();
        Span::new(self.file, t.start, t.end)
    }

    fn span_from(&self, start: usize) -> Span {
        let end = self.tokens.get(self.pos.wrapping_sub(1)).map_or(start, |t| t.end);
        Span::new(self.file, start, end)
    }

    fn start(&self) -> usize {
        self.tok().start
    }

    fn at_word(&self, word: &str) -> bool {
        self.kind() == TokenKind::Identifier && self.lexeme() == word
    }

    /// Moves to the next token. Consuming anything but whitespace drops buffered doc comments:
    /// they only document what comes directly after them.
    fn bump(&mut self) {
        let kind = self.kind();
        if kind == TokenKind::Eof {
            return;
        }
        if kind.is_significant() {
            self.docs.clear();
        }
        self.pos += 1;
    }

    fn skip_spaces(&mut self) {
        while self.kind() == TokenKind::Space {
            self.bump();
        }
    }

    fn skip_ws(&mut self) {
        while self.kind().is_ws() {
            self.bump();
        }
    }

    /// Skips whitespace and comments, buffering the text of doc comments.
    fn skip_ws_docs(&mut self) {
        loop {
            match self.kind() {
                k if k.is_ws() => self.bump(),
                TokenKind::DocComment => {
                    let line = (self.tok().text.clone(), self.span());
                    self.docs.push(line);
                    self.bump();
                }
                _ => break,
            }
        }
    }

    /// The buffered doc comment lines as one documentation string, and where they start.
    fn take_docs(&mut self) -> Option<(String, Span)> {
        let span = self.docs.first()?.1;
        let lines: Vec<String> = self.docs.drain(..).map(|(line, _)| line).collect();
        Some((lines.join("\n"), span))
    }

    // ----- Errors -----

    fn error(&mut self, span: Span, message: impl Into<String>) -> Reported {
        self.diagnostics.push(Diagnostic::error(message).with_span(Some(span)));
        Reported
    }

    fn error_help(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) -> Reported {
        self.diagnostics.push(Diagnostic::error(message).with_span(Some(span)).with_help(help));
        Reported
    }

    /// Reports an error about shape `name` of this file, naming it when the namespace is known.
    fn shape_error(&mut self, span: Span, name: &str, mut diagnostic: Diagnostic) -> Reported {
        if let Some(namespace) = &self.out.namespace {
            diagnostic = diagnostic.with_shape(&ShapeId::new(namespace, name));
        }
        self.diagnostics.push(diagnostic.with_span(Some(span)));
        Reported
    }

    /// Reports the lexical error of the token at `index`, once.
    fn report_token_error(&mut self, index: usize) -> Reported {
        if let (Some(token), Some(done)) = (self.tokens.get(index), self.reported.get(index))
            && token.kind == TokenKind::Error
            && !done
        {
            let (start, end) = token.error_at.unwrap_or((token.start, token.end));
            let d = Diagnostic::error(token.text.clone()).with_span(Some(Span::new(self.file, start, end)));
            self.diagnostics.push(d);
            self.reported[index] = true;
        }
        Reported
    }

    /// Reports that the current token is not what the grammar expects here. An error token
    /// reports its own problem instead.
    fn unexpected(&mut self, expected: &str) -> Reported {
        if self.kind() == TokenKind::Error {
            return self.report_token_error(self.pos);
        }
        let found = self.describe();
        let span = self.span();
        self.error(span, format!("expected {expected}, found {found}"))
    }

    fn expect(&mut self, kind: TokenKind, expected: &str) -> PResult<()> {
        if self.kind() == kind { Ok(()) } else { Err(self.unexpected(expected)) }
    }

    /// Expects the token and moves past it.
    fn eat(&mut self, kind: TokenKind, expected: &str) -> PResult<()> {
        self.expect(kind, expected)?;
        self.bump();
        Ok(())
    }

    /// The current token as a message shows it.
    fn describe(&self) -> String {
        let t = self.tok();
        match t.kind {
            TokenKind::Space => "a space".to_owned(),
            TokenKind::Newline => "a line break".to_owned(),
            TokenKind::Comment => "a comment".to_owned(),
            TokenKind::DocComment => "a documentation comment".to_owned(),
            TokenKind::Identifier => format!("`{}`", self.lexeme()),
            TokenKind::Number => format!("number `{}`", self.lexeme()),
            TokenKind::String => "a string".to_owned(),
            TokenKind::TextBlock => "a text block".to_owned(),
            TokenKind::Eof => "the end of the file".to_owned(),
            TokenKind::Error => t.text.clone(),
            _ => format!("`{}`", self.lexeme()),
        }
    }

    /// Skips to the next token that can start a statement at the start of a line, reporting
    /// any lexical errors on the way.
    fn recover(&mut self) {
        self.depth = 0;
        self.docs.clear();
        loop {
            if self.kind() == TokenKind::Eof {
                break;
            }
            if self.kind() == TokenKind::Error {
                self.report_token_error(self.pos);
            }
            self.pos += 1;
            let t = self.tok();
            let line_start = t.start == 0 || matches!(self.text.as_bytes().get(t.start - 1), Some(b'\n' | b'\r'));
            let can_start =
                matches!(t.kind, TokenKind::Identifier | TokenKind::At | TokenKind::Dollar | TokenKind::DocComment);
            if line_start && can_start {
                break;
            }
        }
    }

    /// Spaces are required here (after a keyword).
    fn expect_spaces(&mut self, after: &str) -> PResult<()> {
        if self.kind() != TokenKind::Space {
            return Err(self.unexpected(&format!("a space after `{after}`")));
        }
        self.skip_spaces();
        Ok(())
    }

    /// The end of a statement: optional spaces and commas, then a line break, a comment or the
    /// end of the file. Doc comments buffered so far document nothing and are dropped.
    fn expect_br(&mut self) -> PResult<()> {
        while matches!(self.kind(), TokenKind::Space | TokenKind::Comma) {
            self.bump();
        }
        match self.kind() {
            TokenKind::Newline | TokenKind::Comment | TokenKind::DocComment => {
                self.docs.clear();
                self.pos += 1;
                self.skip_ws();
                Ok(())
            }
            TokenKind::Eof => Ok(()),
            _ => Err(self.unexpected("a line break")),
        }
    }

    fn require_v2(&mut self, span: Span, what: &str) {
        if self.out.version == Version::V1 {
            let message = format!("{what} need IDL version 2.0, but this file is version {}", self.out.version_text);
            self.error_help(span, message, "start the file with `$version: \"2\"`");
        }
    }

    // ----- Sections -----

    fn file(&mut self) {
        self.skip_ws_docs();
        let mut seen = HashSet::new();
        while self.kind() == TokenKind::Dollar {
            if self.control_statement(&mut seen).is_err() {
                self.recover();
            }
            self.skip_ws_docs();
        }
        while self.at_word("metadata") {
            if self.metadata_statement().is_err() {
                self.recover();
            }
            self.skip_ws_docs();
        }
        self.shape_section();
    }

    /// `$name: value`
    fn control_statement(&mut self, seen: &mut HashSet<String>) -> PResult<()> {
        self.bump();
        let key = match self.kind() {
            TokenKind::Identifier => self.lexeme().to_owned(),
            TokenKind::String => self.tok().text.clone(),
            _ => return Err(self.unexpected("a control statement name after `$`")),
        };
        self.bump();
        self.skip_spaces();
        self.eat(TokenKind::Colon, "`:`")?;
        self.skip_spaces();
        if !seen.insert(key.clone()) {
            let span = self.span();
            return Err(self.error(span, format!("duplicate control statement `${key}`")));
        }
        let value = self.value()?;
        match key.as_str() {
            "version" => self.version(&value),
            "operationInputSuffix" | "operationOutputSuffix" => match &value.kind {
                ValueKind::String(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    if key == "operationInputSuffix" {
                        self.input_suffix = s.clone();
                    } else {
                        self.output_suffix = s.clone();
                    }
                }
                _ => {
                    self.error(value.span, format!("`${key}` must be a string of letters, digits and underscores"));
                }
            },
            // The spec says unknown control statements must be ignored.
            _ => {}
        }
        self.expect_br()
    }

    fn version(&mut self, value: &Value) {
        let ValueKind::String(text) = &value.kind else {
            self.error(value.span, "`$version` must be a string such as \"2.0\"");
            return;
        };
        let version = match text.as_str() {
            "1" | "1.0" => Version::V1,
            "2" | "2.0" => Version::V2,
            _ => {
                self.error_help(
                    value.span,
                    format!("unsupported Smithy IDL version `{text}`"),
                    "this loader reads IDL versions 1.0 and 2.0",
                );
                return;
            }
        };
        self.out.version = version;
        self.out.version_text = text.clone();
    }

    /// `metadata key = value`
    fn metadata_statement(&mut self) -> PResult<()> {
        self.bump();
        self.expect_spaces("metadata")?;
        let key = match self.kind() {
            TokenKind::Identifier => self.lexeme().to_owned(),
            TokenKind::String => self.tok().text.clone(),
            _ => return Err(self.unexpected("a metadata key")),
        };
        let span = self.span();
        self.bump();
        self.skip_spaces();
        self.eat(TokenKind::Equal, "`=`")?;
        self.skip_spaces();
        let value = self.value()?;
        self.out.metadata.push(ast::Metadata { key, span, value });
        self.expect_br()
    }

    /// `namespace`, `use` statements, then shapes and `apply` statements.
    fn shape_section(&mut self) {
        if self.kind() == TokenKind::Eof {
            return;
        }
        if !self.at_word("namespace") {
            // Shapes cannot be given ids without a namespace, so there is no point going on.
            self.unexpected("a `namespace` statement");
            return;
        }
        self.bump();
        match self.namespace_statement() {
            Ok(namespace) => self.out.namespace = Some(namespace),
            Err(Reported) => return,
        }
        if self.expect_br().is_err() {
            self.recover();
        }
        self.skip_ws_docs();
        while self.at_word("use") {
            if self.use_statement().is_err() {
                self.recover();
            }
            self.skip_ws_docs();
        }
        while self.kind() != TokenKind::Eof {
            let before = self.pos;
            self.depth = 0;
            if self.statement().is_err() {
                self.recover();
            }
            if self.pos == before {
                // Every statement consumes something; this only guards against a parser bug
                // turning into an endless loop.
                self.pos += 1;
            }
        }
    }

    fn namespace_statement(&mut self) -> PResult<String> {
        self.expect_spaces("namespace")?;
        let start = self.start();
        self.eat(TokenKind::Identifier, "a namespace")?;
        while self.kind() == TokenKind::Dot {
            self.bump();
            self.eat(TokenKind::Identifier, "an identifier after `.`")?;
        }
        Ok(self.reference(start).text)
    }

    /// `use a.b#C`
    fn use_statement(&mut self) -> PResult<()> {
        self.bump();
        self.expect_spaces("use")?;
        let id = self.absolute_shape_id()?;
        if id.text.contains('$') {
            return Err(self.error(id.span, "a `use` statement cannot name a member"));
        }
        self.out.uses.push(id);
        self.expect_br()
    }

    // ----- Shape ids -----

    fn reference(&self, start: usize) -> Ref {
        let span = self.span_from(start);
        let text = self.text.get(span.start as usize..span.end as usize).unwrap_or("").to_owned();
        Ref { text, span }
    }

    /// `namespace#Name` with an optional `$member`. Its parts are separate tokens that must
    /// touch: any whitespace ends the id.
    fn absolute_shape_id(&mut self) -> PResult<Ref> {
        let start = self.start();
        self.eat(TokenKind::Identifier, "a namespace")?;
        while self.kind() == TokenKind::Dot {
            self.bump();
            self.eat(TokenKind::Identifier, "an identifier after `.`")?;
        }
        self.eat(TokenKind::Pound, "`#`")?;
        self.eat(TokenKind::Identifier, "a shape name after `#`")?;
        self.member_suffix()?;
        Ok(self.reference(start))
    }

    /// A relative (`Name`, `Name$member`) or absolute shape id.
    fn shape_id(&mut self) -> PResult<Ref> {
        let start = self.start();
        self.eat(TokenKind::Identifier, "a shape id")?;
        let mut dotted = false;
        while self.kind() == TokenKind::Dot {
            dotted = true;
            self.bump();
            self.eat(TokenKind::Identifier, "an identifier after `.`")?;
        }
        if self.kind() == TokenKind::Pound {
            self.bump();
            self.eat(TokenKind::Identifier, "a shape name after `#`")?;
        } else if dotted {
            return Err(self.unexpected("`#` after the namespace"));
        }
        self.member_suffix()?;
        Ok(self.reference(start))
    }

    fn member_suffix(&mut self) -> PResult<()> {
        if self.kind() == TokenKind::Dollar {
            self.bump();
            self.eat(TokenKind::Identifier, "a member name after `$`")?;
        }
        Ok(())
    }

    // ----- Shapes -----

    /// One shape or `apply` statement, with the doc comments and traits before it.
    fn statement(&mut self) -> PResult<()> {
        let traits = self.docs_and_traits()?;
        if self.kind() == TokenKind::Eof {
            if traits.iter().any(|t| t.name.text != DOCUMENTATION) {
                return Err(self.unexpected("a shape definition after the traits"));
            }
            // A doc comment at the end of the file documents nothing; Smithy only warns.
            return Ok(());
        }
        if self.kind() != TokenKind::Identifier {
            return Err(self.unexpected("a shape definition or an `apply` statement"));
        }
        let word = self.lexeme().to_owned();
        if word == "apply" {
            if let Some(t) = traits.iter().find(|t| t.name.text != DOCUMENTATION) {
                let span = t.span;
                self.error_help(
                    span,
                    "traits cannot be applied to an `apply` statement",
                    "put them inside the `apply` statement",
                );
            }
            let apply = self.apply_statement()?;
            self.out.statements.push(Statement::Apply(apply));
            return Ok(());
        }
        let Some(ty) = ShapeType::from_keyword(&word) else {
            let span = self.span();
            let help = match word.as_str() {
                "use" => "`use` statements must come right after the `namespace` statement",
                "metadata" => "`metadata` statements must come before the `namespace` statement",
                "namespace" => "a file has only one `namespace` statement",
                "with" => "`with [...]` must be on the same line as the shape name",
                _ => {
                    "shape types are the simple types, `enum`, `intEnum`, `list`, `map`, `structure`, `union`, `service`, `operation` and `resource`"
                }
            };
            return Err(self.error_help(span, format!("unknown shape type `{word}`"), help));
        };
        let shapes = self.shape(ty, traits)?;
        self.out.statements.extend(shapes.into_iter().map(|shape| Statement::Shape(Box::new(shape))));
        Ok(())
    }

    /// Doc comments and traits before a shape or member. The doc comment counts only when it
    /// comes before the traits; it becomes a `smithy.api#documentation` trait.
    fn docs_and_traits(&mut self) -> PResult<Vec<Trait>> {
        self.skip_ws_docs();
        let docs = self.take_docs();
        let mut traits = Vec::new();
        while self.kind() == TokenKind::At {
            traits.push(self.trait_application()?);
            self.skip_ws_docs();
        }
        if let Some((text, span)) = docs {
            let value = Value { kind: ValueKind::String(text), span };
            traits.push(Trait { name: Ref { text: DOCUMENTATION.to_owned(), span }, value: Some(value), span });
        }
        Ok(traits)
    }

    /// A shape statement, from its type keyword; returns the shape and any inline operation
    /// input and output structures it defines.
    fn shape(&mut self, ty: ShapeType, traits: Vec<Trait>) -> PResult<Vec<ast::Shape>> {
        let keyword = self.lexeme().to_owned();
        let type_span = self.span();
        self.bump();
        self.expect_spaces(&keyword)?;
        self.expect(TokenKind::Identifier, "a shape name")?;
        let name = self.lexeme().to_owned();
        let span = self.span();
        self.bump();
        let mut shape = ast::Shape {
            name,
            span,
            traits,
            mixins: Vec::new(),
            resource: None,
            body: Body::Simple(SimpleType::String),
        };
        let mut inline = Vec::new();
        shape.body = match ty {
            ShapeType::Simple(simple) => {
                shape.mixins = self.mixins()?;
                Body::Simple(simple)
            }
            ShapeType::Enum | ShapeType::IntEnum => {
                self.require_v2(type_span, &format!("`{keyword}` shapes"));
                shape.mixins = self.mixins()?;
                self.open_brace()?;
                let members = self.enum_members()?;
                if ty == ShapeType::Enum { Body::Enum(members) } else { Body::IntEnum(members) }
            }
            ShapeType::List | ShapeType::Set => {
                if ty == ShapeType::Set && self.out.version == Version::V2 {
                    self.error_help(
                        type_span,
                        "`set` shapes are not part of IDL 2.0",
                        "use a `list` with the `@uniqueItems` trait",
                    );
                }
                shape.resource = self.for_resource()?;
                shape.mixins = self.mixins()?;
                self.open_brace()?;
                let member = self.collection_members(&["member"])?.pop();
                if ty == ShapeType::List { Body::List(member) } else { Body::Set(member) }
            }
            ShapeType::Map => {
                shape.resource = self.for_resource()?;
                shape.mixins = self.mixins()?;
                self.open_brace()?;
                let mut members = self.collection_members(&["key", "value"])?;
                let value = members.iter().position(|m| m.name == "value").map(|i| members.remove(i));
                Body::Map(members.pop(), value)
            }
            ShapeType::Structure | ShapeType::Union => {
                shape.resource = self.for_resource()?;
                shape.mixins = self.mixins()?;
                self.open_brace()?;
                let members = self.members(ty == ShapeType::Structure)?;
                if ty == ShapeType::Structure { Body::Structure(members) } else { Body::Union(members) }
            }
            ShapeType::Service | ShapeType::Resource => {
                shape.mixins = self.mixins()?;
                self.skip_ws_docs();
                self.expect(TokenKind::LBrace, "`{`")?;
                let body = self.value()?;
                if ty == ShapeType::Service { Body::Service(body) } else { Body::Resource(body) }
            }
            ShapeType::Operation => {
                shape.mixins = self.mixins()?;
                self.open_brace()?;
                let (operation, shapes) = self.operation_body(&shape.name)?;
                inline = shapes;
                Body::Operation(operation)
            }
        };
        self.expect_br()?;
        let mut out = vec![shape];
        out.append(&mut inline);
        Ok(out)
    }

    fn open_brace(&mut self) -> PResult<()> {
        self.skip_ws_docs();
        self.eat(TokenKind::LBrace, "`{`")
    }

    /// `for Resource`, on the line of the shape name.
    fn for_resource(&mut self) -> PResult<Option<Ref>> {
        self.skip_spaces();
        if !self.at_word("for") {
            return Ok(None);
        }
        let span = self.span();
        self.require_v2(span, "resource-bound shapes (`for`)");
        self.bump();
        self.expect_spaces("for")?;
        Ok(Some(self.shape_id()?))
    }

    /// `with [A, B]`, on the line of the shape name.
    fn mixins(&mut self) -> PResult<Vec<Ref>> {
        self.skip_spaces();
        if !self.at_word("with") {
            return Ok(Vec::new());
        }
        let span = self.span();
        self.require_v2(span, "mixins (`with`)");
        self.bump();
        self.skip_ws_docs();
        self.eat(TokenKind::LBracket, "`[`")?;
        self.skip_ws_docs();
        let mut mixins = vec![self.shape_id()?];
        self.skip_ws_docs();
        while self.kind() != TokenKind::RBracket {
            mixins.push(self.shape_id()?);
            self.skip_ws_docs();
        }
        self.bump();
        Ok(mixins)
    }

    /// The members of a structure or union, up to and including the `}`.
    fn members(&mut self, allow_default: bool) -> PResult<Vec<Member>> {
        let mut members: Vec<Member> = Vec::new();
        let mut names = HashSet::new();
        self.skip_ws_docs();
        while !matches!(self.kind(), TokenKind::RBrace | TokenKind::Eof) {
            if let Some(member) = self.member(allow_default)? {
                if !names.insert(member.name.clone()) {
                    return Err(self.error(member.span, format!("member `{}` is defined twice", member.name)));
                }
                members.push(member);
            }
            self.skip_ws_docs();
        }
        self.eat(TokenKind::RBrace, "`}`")?;
        Ok(members)
    }

    /// `name: Target`, `$name`, either with `= default` when allowed; `None` for a doc comment
    /// that is left dangling before the `}`.
    fn member(&mut self, allow_default: bool) -> PResult<Option<Member>> {
        let traits = self.docs_and_traits()?;
        if self.kind() == TokenKind::RBrace && traits.iter().all(|t| t.name.text == DOCUMENTATION) {
            return Ok(None);
        }
        let elided = self.kind() == TokenKind::Dollar;
        if elided {
            let span = self.span();
            self.require_v2(span, "elided member targets (`$name`)");
            self.bump();
        }
        self.expect(TokenKind::Identifier, "a member name")?;
        let name = self.lexeme().to_owned();
        let span = self.span();
        self.bump();
        let target = if elided {
            None
        } else {
            self.skip_spaces();
            self.eat(TokenKind::Colon, "`:`")?;
            self.skip_spaces();
            Some(self.shape_id()?)
        };
        self.skip_spaces();
        let mut value = None;
        if self.kind() == TokenKind::Equal {
            let at = self.span();
            if !allow_default {
                return Err(self.error(at, "only structure members can have a default value"));
            }
            self.require_v2(at, "default values (`= value`)");
            self.bump();
            self.skip_spaces();
            value = Some(self.value()?);
            self.expect_br()?;
        }
        Ok(Some(Member { name, span, target, traits, value }))
    }

    /// The members of a list (`member`) or map (`key`, `value`), in that order, each of which
    /// may be left out (a mixin provides it), up to and including the `}`.
    fn collection_members(&mut self, names: &[&str]) -> PResult<Vec<Member>> {
        let mut members: Vec<Member> = Vec::new();
        let expected = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ");
        self.skip_ws_docs();
        while !matches!(self.kind(), TokenKind::RBrace | TokenKind::Eof) {
            let traits = self.docs_and_traits()?;
            if self.kind() == TokenKind::RBrace && traits.iter().all(|t| t.name.text == DOCUMENTATION) {
                break;
            }
            let elided = self.kind() == TokenKind::Dollar;
            if elided {
                let span = self.span();
                self.require_v2(span, "elided member targets (`$name`)");
                self.bump();
            }
            let position = names.iter().position(|n| self.at_word(n));
            let Some(position) = position else {
                return Err(self.unexpected(&format!("{expected} or `}}`")));
            };
            let name = names[position].to_owned();
            let span = self.span();
            // `key` must come before `value`, and each at most once.
            let last = members.last().and_then(|m| names.iter().position(|n| *n == m.name));
            if last.is_some_and(|last| last >= position) {
                return Err(self.error(
                    span,
                    format!("unexpected `{name}`: each member is written once, in the order {expected}"),
                ));
            }
            self.bump();
            let target = if elided {
                None
            } else {
                self.skip_ws_docs();
                self.eat(TokenKind::Colon, "`:`")?;
                self.skip_ws_docs();
                Some(self.shape_id()?)
            };
            members.push(Member { name, span, target, traits, value: None });
            self.skip_ws_docs();
        }
        self.eat(TokenKind::RBrace, "`}`")?;
        Ok(members)
    }

    /// The members of an enum or intEnum, up to and including the `}`.
    fn enum_members(&mut self) -> PResult<Vec<Member>> {
        let mut members: Vec<Member> = Vec::new();
        let mut names = HashSet::new();
        self.skip_ws_docs();
        while !matches!(self.kind(), TokenKind::RBrace | TokenKind::Eof) {
            let traits = self.docs_and_traits()?;
            if self.kind() == TokenKind::RBrace && traits.iter().all(|t| t.name.text == DOCUMENTATION) {
                break;
            }
            self.expect(TokenKind::Identifier, "an enum member name")?;
            let name = self.lexeme().to_owned();
            let span = self.span();
            if !names.insert(name.clone()) {
                return Err(self.error(span, format!("member `{name}` is defined twice")));
            }
            self.bump();
            self.skip_spaces();
            let mut value = None;
            if self.kind() == TokenKind::Equal {
                self.bump();
                self.skip_spaces();
                value = Some(self.value()?);
                self.expect_br()?;
            }
            members.push(Member { name, span, target: None, traits, value });
            self.skip_ws_docs();
        }
        self.eat(TokenKind::RBrace, "`}`")?;
        Ok(members)
    }

    /// The properties of an operation, up to and including the `}`; inline input and output
    /// structures are returned beside it.
    fn operation_body(&mut self, operation: &str) -> PResult<(ast::Operation, Vec<ast::Shape>)> {
        let mut body = ast::Operation::default();
        let mut inline = Vec::new();
        let mut seen = HashSet::new();
        self.skip_ws_docs();
        while !matches!(self.kind(), TokenKind::RBrace | TokenKind::Eof) {
            self.expect(TokenKind::Identifier, "`input`, `output`, `errors` or `}`")?;
            let key = self.lexeme().to_owned();
            let key_span = self.span();
            if !seen.insert(key.clone()) {
                let d = Diagnostic::error(format!("operation property `{key}` is given twice"));
                return Err(self.shape_error(key_span, operation, d));
            }
            self.bump();
            self.skip_ws_docs();
            match key.as_str() {
                "input" | "output" => {
                    let target = match self.kind() {
                        TokenKind::Colon => {
                            self.bump();
                            self.skip_ws_docs();
                            self.shape_id()?
                        }
                        TokenKind::Walrus => {
                            let at = self.span();
                            self.require_v2(at, "inline operation input and output (`:=`)");
                            self.bump();
                            let suffix = if key == "input" { &self.input_suffix } else { &self.output_suffix };
                            let name = format!("{operation}{suffix}");
                            let shape = self.inline_structure(name.clone(), key_span, &key)?;
                            inline.push(shape);
                            Ref { text: name, span: key_span }
                        }
                        _ => return Err(self.unexpected("`:` or `:=`")),
                    };
                    if key == "input" {
                        body.input = Some(target);
                    } else {
                        body.output = Some(target);
                    }
                }
                "errors" => {
                    self.eat(TokenKind::Colon, "`:`")?;
                    self.skip_ws_docs();
                    self.eat(TokenKind::LBracket, "`[`")?;
                    self.skip_ws_docs();
                    while self.kind() != TokenKind::RBracket {
                        body.errors.push(self.shape_id()?);
                        self.skip_ws_docs();
                    }
                    self.bump();
                }
                _ => {
                    let message = format!("unknown operation property `{key}`");
                    let d = Diagnostic::error(message).with_help("an operation has `input`, `output` and `errors`");
                    return Err(self.shape_error(key_span, operation, d));
                }
            }
            // Each property ends at whitespace (a line break or a comma) or at the `}`.
            if !self.kind().is_ws() && !matches!(self.kind(), TokenKind::DocComment | TokenKind::RBrace) {
                return Err(self.unexpected("a line break or `,`"));
            }
            self.skip_ws_docs();
        }
        self.eat(TokenKind::RBrace, "`}`")?;
        Ok((body, inline))
    }

    /// `:= @traits with [...] { members }`, after the `:=`. The structure is marked `@input` or
    /// `@output`.
    fn inline_structure(&mut self, name: String, span: Span, role: &str) -> PResult<ast::Shape> {
        let mut traits = self.docs_and_traits()?;
        let marker = Value { kind: ValueKind::Object(Vec::new()), span };
        traits.push(Trait { name: Ref { text: format!("smithy.api#{role}"), span }, value: Some(marker), span });
        // Smithy accepts `for` and `with` in either order here.
        let mut resource = self.for_resource()?;
        let mixins = self.mixins()?;
        if resource.is_none() {
            resource = self.for_resource()?;
        }
        self.open_brace()?;
        let members = self.members(true)?;
        Ok(ast::Shape { name, span, traits, mixins, resource, body: Body::Structure(members) })
    }

    /// `apply Target @trait` or `apply Target { @trait ... }`, from the `apply` keyword.
    fn apply_statement(&mut self) -> PResult<ast::Apply> {
        self.bump();
        if !self.kind().is_ws() {
            return Err(self.unexpected("whitespace after `apply`"));
        }
        self.skip_ws_docs();
        let target = self.shape_id()?;
        if !self.kind().is_ws() {
            return Err(self.unexpected("whitespace after the shape id"));
        }
        self.skip_ws_docs();
        let mut traits = Vec::new();
        match self.kind() {
            TokenKind::At => traits.push(self.trait_application()?),
            TokenKind::LBrace => {
                self.bump();
                self.skip_ws_docs();
                while self.kind() == TokenKind::At {
                    traits.push(self.trait_application()?);
                    self.skip_ws_docs();
                }
                self.eat(TokenKind::RBrace, "`@` or `}`")?;
            }
            _ => return Err(self.unexpected("`@` or `{`")),
        }
        self.expect_br()?;
        Ok(ast::Apply { target, traits })
    }

    // ----- Traits -----

    /// `@name`, `@name()` or `@name(value)`.
    fn trait_application(&mut self) -> PResult<Trait> {
        let start = self.start();
        self.bump();
        if self.kind() != TokenKind::Identifier {
            return Err(self.unexpected("a trait name after `@`"));
        }
        let name = self.shape_id()?;
        if self.kind() != TokenKind::LParen {
            return Ok(Trait { name, value: None, span: self.span_from(start) });
        }
        self.bump();
        self.skip_ws_docs();
        let value = if self.kind() == TokenKind::RParen { None } else { Some(self.trait_body()?) };
        self.skip_ws_docs();
        self.eat(TokenKind::RParen, "`)`")?;
        Ok(Trait { name, value, span: self.span_from(start) })
    }

    /// What is between a trait's parentheses: one node value, or `key: value` pairs without
    /// braces.
    fn trait_body(&mut self) -> PResult<Value> {
        match self.kind() {
            TokenKind::String => {
                let key_span = self.span();
                let text = self.tok().text.clone();
                self.bump();
                self.skip_ws_docs();
                if self.kind() == TokenKind::Colon {
                    self.bump();
                    self.skip_ws_docs();
                    return self.structured_body(text, key_span);
                }
                Ok(Value { kind: ValueKind::String(text), span: key_span })
            }
            TokenKind::Identifier => {
                let id = self.shape_id()?;
                self.skip_ws_docs();
                // `foo` alone is a shape id value, `foo: ...` starts key-value pairs; anything
                // with `.`, `#` or `$` can only be a shape id.
                if self.kind() == TokenKind::RParen || id.text.contains(['.', '#', '$']) {
                    return Ok(identifier_value(id));
                }
                self.eat(TokenKind::Colon, "`:` or `)`")?;
                self.skip_ws_docs();
                self.structured_body(id.text, id.span)
            }
            _ => self.value(),
        }
    }

    /// `key: value` pairs of a trait, from the first value on.
    fn structured_body(&mut self, first_key: String, first_span: Span) -> PResult<Value> {
        self.enter()?;
        let first = self.value()?;
        let mut keys = HashSet::from([first_key.clone()]);
        let mut entries = vec![Entry { key: first_key, key_span: first_span, value: first }];
        self.skip_ws_docs();
        while self.kind() != TokenKind::RParen {
            let entry = self.entry()?;
            if !keys.insert(entry.key.clone()) {
                return Err(self.error(entry.key_span, format!("key `{}` is given twice", entry.key)));
            }
            entries.push(entry);
            self.skip_ws_docs();
        }
        self.depth -= 1;
        let span = Span { end: self.span().start, ..first_span };
        Ok(Value { kind: ValueKind::Object(entries), span })
    }

    // ----- Node values -----

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.span();
            return Err(self.error(span, format!("values are nested more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }

    /// A node value: string, text block, number, `true`, `false`, `null`, shape id, array or
    /// object.
    fn value(&mut self) -> PResult<Value> {
        let start = self.start();
        let kind = match self.kind() {
            TokenKind::String | TokenKind::TextBlock => {
                let text = self.tok().text.clone();
                self.bump();
                ValueKind::String(text)
            }
            TokenKind::Number => {
                let number = parse_number(self.lexeme());
                let Some(number) = number else {
                    let (span, lexeme) = (self.span(), self.lexeme().to_owned());
                    return Err(self.error(span, format!("number `{lexeme}` is out of range")));
                };
                self.bump();
                ValueKind::Number(number)
            }
            TokenKind::Identifier => return Ok(identifier_value(self.shape_id()?)),
            TokenKind::LBracket => {
                self.enter()?;
                self.bump();
                self.skip_ws_docs();
                let mut items = Vec::new();
                while self.kind() != TokenKind::RBracket {
                    items.push(self.value()?);
                    self.skip_ws_docs();
                }
                self.bump();
                self.depth -= 1;
                ValueKind::Array(items)
            }
            TokenKind::LBrace => {
                self.enter()?;
                self.bump();
                self.skip_ws_docs();
                let mut entries: Vec<Entry> = Vec::new();
                let mut keys = HashSet::new();
                while self.kind() != TokenKind::RBrace {
                    let entry = self.entry()?;
                    if !keys.insert(entry.key.clone()) {
                        return Err(self.error(entry.key_span, format!("key `{}` is given twice", entry.key)));
                    }
                    entries.push(entry);
                    self.skip_ws_docs();
                }
                self.bump();
                self.depth -= 1;
                ValueKind::Object(entries)
            }
            _ => return Err(self.unexpected("a value (a string, text block, number, shape id, `{` or `[`)")),
        };
        Ok(Value { kind, span: self.span_from(start) })
    }

    /// `key: value` inside an object or a trait body.
    fn entry(&mut self) -> PResult<Entry> {
        let key = match self.kind() {
            TokenKind::Identifier => self.lexeme().to_owned(),
            TokenKind::String => self.tok().text.clone(),
            _ => return Err(self.unexpected("an object key (an identifier or a quoted string)")),
        };
        let key_span = self.span();
        self.bump();
        self.skip_ws_docs();
        self.eat(TokenKind::Colon, "`:`")?;
        self.skip_ws_docs();
        let value = self.value()?;
        Ok(Entry { key, key_span, value })
    }
}

/// An unquoted value: a keyword, or a shape id to resolve later.
fn identifier_value(id: Ref) -> Value {
    let kind = match id.text.as_str() {
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "null" => ValueKind::Null,
        _ => ValueKind::ShapeId(id.text),
    };
    Value { kind, span: id.span }
}

/// A number lexeme as the JSON AST loader reads the same text (in the form of
/// [`crate::model::canonical_number`]), so that the IDL and the JSON AST give equal values. The
/// IDL allows leading zeros (`007`), which JSON does not: they are dropped first.
fn parse_number(lexeme: &str) -> Option<serde_json::Number> {
    let (sign, digits) = match lexeme.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", lexeme),
    };
    let trimmed = digits.trim_start_matches('0');
    let normalized = if trimmed.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{sign}0{trimmed}")
    } else {
        format!("{sign}{trimmed}")
    };
    serde_json::from_str(&normalized).ok().map(|n| crate::model::canonical_number(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::idl::lexer::tokenize;

    fn parse_text(text: &str) -> (ast::File, Vec<(usize, usize, String)>) {
        let (file, diagnostics) = parse(FileId(0), text, tokenize(text));
        let source = crate::model::source::SourceFile { name: "t.smithy".into(), text: text.into() };
        let errors = diagnostics
            .iter()
            .map(|d| {
                let (line, col) = d.span.map_or((0, 0), |s| source.line_col(s.start));
                (line, col, d.message.clone())
            })
            .collect();
        (file, errors)
    }

    fn first_error(text: &str) -> (usize, usize, String) {
        let (_, errors) = parse_text(text);
        errors.into_iter().next().unwrap_or_else(|| panic!("no error for {text:?}"))
    }

    #[test]
    fn parses_sections_in_order() {
        let (file, errors) = parse_text(
            "$version: \"2\"\n$operationInputSuffix: \"Request\"\nmetadata a = [1, 2]\nnamespace x.y\nuse a.b#C\n\nstring S\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(file.version, Version::V2);
        assert_eq!(file.metadata.len(), 1);
        assert_eq!(file.namespace.as_deref(), Some("x.y"));
        assert_eq!(file.uses[0].text, "a.b#C");
        assert_eq!(file.statements.len(), 1);
    }

    #[test]
    fn docs_attach_only_before_traits() {
        let (file, errors) = parse_text(
            "$version: \"2\"\nnamespace x\n/// A\n/// B\n@since(\"1\")\n/// ignored\nstring S\n\nstructure T {\n    /// m\n    @required\n    m: S\n    /// dangling\n}\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Statement::Shape(s) = &file.statements[0] else { panic!() };
        let docs: Vec<_> = s.traits.iter().filter(|t| t.name.text == DOCUMENTATION).collect();
        assert_eq!(docs.len(), 1);
        assert!(matches!(&docs[0].value.as_ref().unwrap().kind, ValueKind::String(d) if d == "A\nB"));
        let Statement::Shape(t) = &file.statements[1] else { panic!() };
        let Body::Structure(members) = &t.body else { panic!() };
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].traits.len(), 2);
    }

    #[test]
    fn trait_bodies() {
        let (file, errors) = parse_text(
            "namespace x\n@a @b() @c(1) @d(k: 1, \"q\": [x]) @e(Foo$bar) @f(\"s\") @g({}) @h(\"\"\"\n  t\n  \"\"\")\nstring S\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Statement::Shape(s) = &file.statements[0] else { panic!() };
        assert!(s.traits[0].value.is_none() && s.traits[1].value.is_none());
        assert!(matches!(s.traits[3].value.as_ref().unwrap().kind, ValueKind::Object(ref e) if e.len() == 2));
        assert!(matches!(s.traits[4].value.as_ref().unwrap().kind, ValueKind::ShapeId(ref t) if t == "Foo$bar"));
        assert!(matches!(s.traits[7].value.as_ref().unwrap().kind, ValueKind::String(ref t) if t == "t\n"));
    }

    #[test]
    fn inline_io_uses_the_suffixes() {
        let (file, errors) = parse_text(
            "$version: \"2\"\n$operationOutputSuffix: \"Response\"\nnamespace x\noperation Op {\n    input := @since(\"1\") {\n        a: String\n    }\n    output := with [M] {}\n    errors: [E1, E2]\n}\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<_> = file
            .statements
            .iter()
            .map(|s| match s {
                Statement::Shape(s) => s.name.clone(),
                Statement::Apply(_) => String::new(),
            })
            .collect();
        assert_eq!(names, ["Op", "OpInput", "OpResponse"]);
    }

    #[test]
    fn syntax_errors_point_at_the_offending_token() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("$version: \"2.0\" $xyz: \"100\"", (1, 17), "line break"),
            ("$version:\n\"2.0\"", (1, 10), "value"),
            ("$version: \"2.0\"\n$version: \"2.0\"", (2, 11), "duplicate"),
            ("namespace com.foo\nstructure Foo Baz {}", (2, 15), "`{`"),
            ("$version: \"2\"\nnamespace com.foo\nstructure Foo {\n    bar: String =\n}", (4, 18), "value"),
            ("namespace com.foo\nmap MyMap { key: SomeShape,\n", (3, 1), "`}`"),
            ("namespace com.foo\n@foo(100: true)\nstring S", (2, 9), "`)`"),
            ("namespace com.foo\n@foo(foo: true, {}: true)\nstring S", (2, 17), "object key"),
            ("namespace com.foo\n@tags([[[[\n", (3, 1), "value"),
            ("namespace com.foo\nstringFoo\n", (2, 1), "unknown shape type"),
            ("namespace com.foo\nstring S\nuse a.b#C\n", (3, 1), "unknown shape type"),
            ("string S\n", (1, 1), "namespace"),
            ("namespace not.valid.\n", (1, 21), "identifier"),
            ("$version: \"2\"\nnamespace x\noperation O {\n    errors := [{}]\n}", (4, 12), "`:`"),
            ("$version: \"2\"\nnamespace x\noperation O {\n    input: A,\n    input: A\n}", (5, 5), "twice"),
            ("namespace x\n@documentation(\")\nstring S\n", (4, 1), "unclosed string"),
            ("$version: \"2\"\nnamespace x\nenum Foo {\n    BAR =\n    \"hi\"\n}", (4, 10), "value"),
            ("$version: \"1.0\"\nnamespace x\nstructure Foo {\n    baz: String = \"hello\"\n}", (4, 17), "version 2.0"),
            ("namespace x\n@test(-)\nstring S", (2, 7), "invalid number"),
            ("namespace x\nstructure _ {}", (2, 12), "underscores, found a space"),
            ("namespace x\nstructure __", (2, 13), "underscores, found the end of the file"),
        ];
        for (text, (line, col), needle) in cases {
            let (l, c, message) = first_error(text);
            assert_eq!((l, c), (*line, *col), "{text:?}: {message}");
            assert!(message.contains(needle), "{text:?}: {message}");
        }
    }

    #[test]
    fn recovers_at_the_next_statement() {
        let (file, errors) = parse_text("namespace x\nstring A B\nstring C\nstructure D { a: }\nstring E\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].0, errors[1].0), (2, 4));
        assert_eq!(file.statements.len(), 2);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("metadata a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let (_, errors) = parse_text(&deep);
        assert!(errors[0].2.contains("nested"), "{errors:?}");
    }

    #[test]
    fn numbers_read_like_json() {
        assert_eq!(parse_number("10e0"), serde_json::from_str("10.0").ok());
        assert_eq!(parse_number("007"), Some(7.into()));
        assert_eq!(parse_number("-0.5"), serde_json::from_str("-0.5").ok());
        assert!(parse_number("1e999").is_some_and(|n| n.to_string().ends_with("999")), "kept exactly");
    }
}
