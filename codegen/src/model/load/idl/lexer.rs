//! IDL lexer: the text of one `.smithy` file into a flat list of tokens.
//!
//! Consumes the file text; produces every token, whitespace and comments included, ending with
//! exactly one [`TokenKind::Eof`]. The IDL is whitespace-sensitive (a statement must end at a
//! line break, a shape id must not contain spaces), so the parser needs to see spaces, newlines
//! and comments rather than have them dropped here. Strings and text blocks are decoded here
//! (escapes, newline normalisation, incidental-whitespace stripping), so the parser only sees
//! their values. The lexer never fails: a malformed piece of input becomes a
//! [`TokenKind::Error`] token carrying its message, and the parser reports it where it meets it,
//! as Smithy's own tokenizer does.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// One or more spaces or tabs.
    Space,
    /// `\n`, `\r\n` or a lone `\r`.
    Newline,
    /// `,`: whitespace everywhere outside strings, but kept apart so a line break can be told from
    /// a comma.
    Comma,
    /// `// ...`, including the line break that ends it.
    Comment,
    /// `/// ...`, including the line break that ends it; the text is in [`Token::text`].
    DocComment,
    /// `[A-Za-z_][A-Za-z0-9_]*`, not only underscores.
    Identifier,
    /// A number in JSON syntax; the lexeme is the token's source text.
    Number,
    /// A quoted string; the decoded value is in [`Token::text`].
    String,
    /// A `"""` text block; the decoded value is in [`Token::text`].
    TextBlock,
    /// `@`
    At,
    /// `$`
    Dollar,
    /// `.`
    Dot,
    /// `#`
    Pound,
    /// `=`
    Equal,
    /// `:`
    Colon,
    /// `:=`
    Walrus,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// Input that is not a token; the message is in [`Token::text`], the place in
    /// [`Token::error_at`].
    Error,
    /// The end of the input.
    Eof,
}

impl TokenKind {
    /// Whitespace in the grammar's sense (`WS`), documentation comments excluded.
    pub(super) fn is_ws(self) -> bool {
        matches!(self, TokenKind::Space | TokenKind::Newline | TokenKind::Comma | TokenKind::Comment)
    }

    /// Everything that is not whitespace or a comment.
    pub(super) fn is_significant(self) -> bool {
        !self.is_ws() && self != TokenKind::DocComment
    }
}

/// One token: its kind, its byte range, and its decoded text when it has one.
#[derive(Clone, Debug)]
pub(super) struct Token {
    /// What it is.
    pub(super) kind: TokenKind,
    /// Byte offset of its first byte.
    pub(super) start: usize,
    /// Byte offset one past its last byte.
    pub(super) end: usize,
    /// The decoded value of a string or text block, the text of a doc comment, or the message
    /// of an error.
    pub(super) text: String,
    /// Where an error token's problem is, when that is not the token's start (an unclosed
    /// string is reported at the end of the file, as Smithy does).
    pub(super) error_at: Option<(usize, usize)>,
}

/// Splits `text` into tokens. The last token is always [`TokenKind::Eof`].
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer { text, pos: 0, tokens: Vec::new() };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) {
        // A byte-order mark says nothing about the model; treat it as a space.
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
            self.push(TokenKind::Space, 0, String::new());
        }
        while let Some(c) = self.peek(0) {
            let start = self.pos;
            match c {
                ' ' | '\t' => {
                    self.eat_while(|c| c == ' ' || c == '\t');
                    self.push(TokenKind::Space, start, String::new());
                }
                '\n' => self.single(TokenKind::Newline),
                '\r' => {
                    self.pos += 1;
                    if self.peek(0) == Some('\n') {
                        self.pos += 1;
                    }
                    self.push(TokenKind::Newline, start, String::new());
                }
                ',' => self.single(TokenKind::Comma),
                '@' => self.single(TokenKind::At),
                '$' => self.single(TokenKind::Dollar),
                '.' => self.single(TokenKind::Dot),
                '#' => self.single(TokenKind::Pound),
                '=' => self.single(TokenKind::Equal),
                '{' => self.single(TokenKind::LBrace),
                '}' => self.single(TokenKind::RBrace),
                '[' => self.single(TokenKind::LBracket),
                ']' => self.single(TokenKind::RBracket),
                '(' => self.single(TokenKind::LParen),
                ')' => self.single(TokenKind::RParen),
                ':' => {
                    if self.peek(1) == Some('=') {
                        self.pos += 2;
                        self.push(TokenKind::Walrus, start, String::new());
                    } else {
                        self.single(TokenKind::Colon);
                    }
                }
                '/' => self.comment(),
                '"' => self.string(),
                '-' | '0'..='9' => self.number(),
                'a'..='z' | 'A'..='Z' | '_' => self.identifier(),
                other => {
                    self.pos += other.len_utf8();
                    self.error(start, format!("unexpected character `{}`", show_char(other)), None);
                }
            }
        }
        let end = self.text.len();
        self.push(TokenKind::Eof, end, String::new());
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.text.get(self.pos..)?.chars().nth(ahead)
    }

    fn eat_while(&mut self, keep: impl Fn(char) -> bool) {
        while let Some(c) = self.peek(0) {
            if !keep(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, text: String) {
        self.tokens.push(Token { kind, start, end: self.pos, text, error_at: None });
    }

    fn single(&mut self, kind: TokenKind) {
        let start = self.pos;
        self.pos += 1;
        self.push(kind, start, String::new());
    }

    fn error(&mut self, start: usize, message: String, at: Option<(usize, usize)>) {
        self.tokens.push(Token { kind: TokenKind::Error, start, end: self.pos, text: message, error_at: at });
    }

    /// Consumes the rest of the line and the line break that ends it, if any.
    fn rest_of_line(&mut self) -> (usize, usize) {
        let content_start = self.pos;
        self.eat_while(|c| c != '\n' && c != '\r');
        let content_end = self.pos;
        if self.peek(0) == Some('\r') {
            self.pos += 1;
        }
        if self.peek(0) == Some('\n') {
            self.pos += 1;
        }
        (content_start, content_end)
    }

    fn comment(&mut self) {
        let start = self.pos;
        if self.peek(1) != Some('/') {
            self.pos += 1;
            return self.error(start, "expected `/` after `/` to start a comment".to_owned(), None);
        }
        if self.peek(2) == Some('/') {
            self.pos += 3;
            // The documentation text drops one leading space, so `/// Foo` documents "Foo".
            if self.peek(0) == Some(' ') {
                self.pos += 1;
            }
            let (from, to) = self.rest_of_line();
            let text = self.text[from..to].to_owned();
            self.push(TokenKind::DocComment, start, text);
        } else {
            self.pos += 2;
            self.rest_of_line();
            self.push(TokenKind::Comment, start, String::new());
        }
    }

    fn identifier(&mut self) {
        let start = self.pos;
        self.eat_while(|c| c.is_ascii_alphanumeric() || c == '_');
        if self.text[start..self.pos].bytes().all(|b| b == b'_') {
            let message = "an identifier needs a letter or digit after its leading underscores".to_owned();
            return self.error(start, message, None);
        }
        self.push(TokenKind::Identifier, start, String::new());
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, with a precise message for each
    /// way it can be cut short.
    fn number(&mut self) {
        let start = self.pos;
        let digits = |lexer: &mut Self| {
            let before = lexer.pos;
            lexer.eat_while(|c| c.is_ascii_digit());
            lexer.pos > before
        };
        if self.peek(0) == Some('-') {
            self.pos += 1;
        }
        if !digits(self) {
            return self.bad_number(start, "`-` must be followed by a digit");
        }
        if self.peek(0) == Some('.') {
            self.pos += 1;
            if !digits(self) {
                return self.bad_number(start, "`.` must be followed by a digit");
            }
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(0), Some('+' | '-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return self.bad_number(start, "an exponent needs at least one digit");
            }
        }
        self.push(TokenKind::Number, start, String::new());
    }

    fn bad_number(&mut self, start: usize, why: &str) {
        let message = format!("invalid number `{}`: {why}", &self.text[start..self.pos]);
        self.error(start, message, None);
    }

    /// A quoted string, an empty string `""`, or a `"""` text block.
    fn string(&mut self) {
        let start = self.pos;
        let block = self.text[start..].starts_with("\"\"\"");
        let open = if block { 3 } else { 1 };
        if !block && self.text[start..].starts_with("\"\"") {
            self.pos += 2;
            return self.push(TokenKind::String, start, String::new());
        }
        self.pos += open;
        let content_start = self.pos;
        // Find the closing quote(s); a backslash always takes the next character with it, so
        // `\"` never closes.
        let content_end = loop {
            let Some(c) = self.peek(0) else {
                let end = self.text.len();
                let what = if block { "text block" } else { "string" };
                let message =
                    format!("unclosed {what}: expected a closing `{}` before the end of the file", &"\"\"\""[..open]);
                return self.error(start, message, Some((end, end)));
            };
            if c == '"' && (!block || self.text[self.pos..].starts_with("\"\"\"")) {
                break self.pos;
            }
            self.pos += c.len_utf8();
            if c == '\\'
                && let Some(next) = self.peek(0)
            {
                self.pos += next.len_utf8();
            }
        };
        self.pos += open;
        let raw = &self.text[content_start..content_end];
        let decoded = if block { text_block(raw) } else { unescape(&normalize_newlines(raw)) };
        match decoded {
            Ok(value) => self.push(if block { TokenKind::TextBlock } else { TokenKind::String }, start, value),
            Err(why) => {
                let what = if block { "text block" } else { "string" };
                self.error(start, format!("invalid {what}: {why}"), None);
            }
        }
    }
}

/// A character as it should appear in a message: itself, unless it is invisible.
fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() { c.escape_unicode().to_string() } else { c.to_string() }
}

/// CRLF and lone CR become LF, so a model means the same on every platform.
fn normalize_newlines(raw: &str) -> String {
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

/// The value of a text block from the text between its delimiters: re-indented as the Smithy
/// spec says (incidental whitespace removed, trailing spaces trimmed), then unescaped. Escapes
/// are expanded last so that an escaped `\n` does not split a line for the indentation count.
fn text_block(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("the text block is empty".to_owned());
    }
    let raw = normalize_newlines(raw);
    let after_spaces = raw.trim_start_matches([' ', '\t']);
    let Some(content) = after_spaces.strip_prefix('\n') else {
        return Err("the opening `\"\"\"` must be followed by a line break".to_owned());
    };
    let lines: Vec<&str> = content.split('\n').collect();
    let last = lines.len() - 1;
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    // Blank lines do not count towards the common indentation, except the last one: when the
    // closing delimiter sits on its own line, its indentation sets how much is removed.
    let common = lines
        .iter()
        .enumerate()
        .filter(|(i, line)| *i == last || !line.trim_matches([' ', '\t']).is_empty())
        .map(|(_, line)| indent(line))
        .min()
        .unwrap_or(0);
    let stripped: Vec<&str> = lines
        .iter()
        .map(|line| {
            // Leading whitespace is ASCII, so `common` (or the line's own indentation, if it is
            // shorter) is a character boundary.
            let cut = common.min(indent(line));
            line[cut..].trim_end_matches([' ', '\t'])
        })
        .collect();
    unescape(&stripped.join("\n"))
}

/// Expands the escapes of a quoted string or text block.
fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('\'') => out.push('\''),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            // An escaped line break joins the lines.
            Some('\n') => {}
            Some('u') => out.push(unicode_escape(&mut chars)?),
            Some(other) => return Err(format!("invalid escape `\\{}`", other.escape_debug())),
            None => return Err("a `\\` at the end needs a character to escape".to_owned()),
        }
    }
    Ok(out)
}

/// The character of a `\uXXXX` escape (the `\u` already read), joining a UTF-16 surrogate pair
/// written as two escapes.
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> Result<char, String> {
    let high = hex4(chars)?;
    if !(0xD800..=0xDFFF).contains(&high) {
        return char::from_u32(high).ok_or_else(|| format!("`\\u{high:04X}` is not a character"));
    }
    if high >= 0xDC00 {
        return Err(format!("`\\u{high:04X}` is a low surrogate without a high surrogate before it"));
    }
    let unpaired = || format!("`\\u{high:04X}` is a high surrogate that must be followed by a `\\uXXXX` low surrogate");
    if chars.next() != Some('\\') || chars.next() != Some('u') {
        return Err(unpaired());
    }
    let low = hex4(chars)?;
    if !(0xDC00..=0xDFFF).contains(&low) {
        return Err(unpaired());
    }
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(code).ok_or_else(unpaired)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Result<u32, String> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = chars.next().and_then(|c| c.to_digit(16));
        match digit {
            Some(d) => value = value * 16 + d,
            None => return Err("a unicode escape needs four hex digits after `\\u`".to_owned()),
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text).into_iter().map(|t| t.kind).collect()
    }

    fn value(text: &str) -> Result<String, String> {
        let tokens = tokenize(text);
        match tokens[0].kind {
            TokenKind::String | TokenKind::TextBlock => Ok(tokens[0].text.clone()),
            _ => Err(tokens[0].text.clone()),
        }
    }

    #[test]
    fn splits_punctuation_ids_and_whitespace() {
        use TokenKind::*;
        assert_eq!(
            kinds("a.b#C$d := , @x(1)\r\n"),
            [
                Identifier, Dot, Identifier, Pound, Identifier, Dollar, Identifier, Space, Walrus, Space, Comma, Space,
                At, Identifier, LParen, Number, RParen, Newline, Eof
            ]
        );
        assert_eq!(kinds("// c\n/// d\nx"), [Comment, DocComment, Identifier, Eof]);
        assert_eq!(tokenize("///  two spaces\n")[0].text, " two spaces");
        assert_eq!(tokenize("///\r\n")[0].text, "");
    }

    #[test]
    fn numbers_and_their_errors() {
        for ok in ["0", "-1", "10.5", "1e3", "-10e-2", "1.0E+2"] {
            let t = &tokenize(ok)[0];
            assert_eq!((t.kind, t.end), (TokenKind::Number, ok.len()), "{ok}");
        }
        for (bad, why) in [("-", "`-` must"), ("1.", "`.` must"), ("1.0e", "exponent"), ("1.0e+", "exponent")] {
            let t = &tokenize(bad)[0];
            assert_eq!(t.kind, TokenKind::Error, "{bad}");
            assert!(t.text.contains(why), "{bad}: {}", t.text);
        }
    }

    #[test]
    fn strings_decode_escapes() {
        assert_eq!(value(r#""a\"b\\c\/d\n\t\u00e9""#).unwrap(), "a\"b\\c/d\n\té");
        assert_eq!(value(r#""\uD83D\uDE00""#).unwrap(), "😀");
        assert_eq!(value("\"a\\\nb\"").unwrap(), "ab");
        assert_eq!(value("\"a\r\nb\"").unwrap(), "a\nb");
        assert_eq!(value("\"\"").unwrap(), "");
        assert!(value(r#""\ ""#).unwrap_err().contains("invalid escape `\\ `"));
        assert!(value(r#""\uD83D""#).unwrap_err().contains("high surrogate"));
        assert!(value(r#""\uDE00""#).unwrap_err().contains("low surrogate"));
        assert!(value(r#""\u12""#).unwrap_err().contains("four hex digits"));
    }

    #[test]
    fn unclosed_strings_point_at_the_end() {
        let text = "\"abc\\\"\n";
        let t = &tokenize(text)[0];
        assert_eq!(t.kind, TokenKind::Error);
        assert_eq!(t.error_at, Some((text.len(), text.len())));
    }

    #[test]
    fn text_blocks_strip_incidental_whitespace() {
        let cases = [
            ("\"\"\"\n    \"\"\"", ""),
            ("\"\"\"\n\n    \"\"\"", "\n"),
            ("\"\"\"\n    Hello\n    \"\"\"", "Hello\n"),
            ("\"\"\"\n    Hello\"\"\"", "Hello"),
            ("\"\"\"\n    Hi \\\n    there\"\"\"", "Hi there"),
            ("\"\"\"\n    Hello\n    There\n         \"\"\"", "Hello\nThere\n"),
            ("\"\"\"\n    Hello\n\n    there\n    \"\"\"", "Hello\n\nthere\n"),
            ("\"\"\"\n    \"Hi\\\"\"\"\"", "\"Hi\""),
            ("\"\"\"\n  <div>\n    <p>Hi\\n    bar</p>\n  </div>\n  \"\"\"", "<div>\n  <p>Hi\n    bar</p>\n</div>\n"),
            ("\"\"\"\n    Foo\n        Baz\n    Bar\n\"\"\"", "    Foo\n        Baz\n    Bar\n"),
        ];
        for (text, expected) in cases {
            assert_eq!(value(text).as_deref(), Ok(expected), "{text:?}");
        }
        assert!(value("\"\"\"\"\"\"").unwrap_err().contains("empty"));
        assert!(value("\"\"\"foo\"\"\"").unwrap_err().contains("line break"));
        assert!(value("\"\"\"\n    \\ua\"\"\"").unwrap_err().contains("four hex digits"));
    }

    #[test]
    fn odd_characters_are_error_tokens() {
        let tokens = tokenize("é'_ /x");
        let errors: Vec<&str> = tokens.iter().filter(|t| t.kind == TokenKind::Error).map(|t| t.text.as_str()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("`é`"));
        assert!(errors[1].contains("`'`"));
        assert!(errors[2].contains("underscores"));
        assert!(errors[3].contains("comment"));
    }
}
