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
    /// Where an error token's problem is, when that is not the token's extent: an unclosed
    /// string is reported at the end of the file, as Smithy does; a bad escape or character
    /// from the opening quote (where Smithy reports it) to the end of the offending text.
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
            // Reported where the letter or digit is missing, as Smithy does.
            let next = self.peek(0);
            let message = format!(
                "an identifier needs a letter or digit after its leading underscores, found {}",
                describe(next)
            );
            let at = (self.pos, self.pos + next.map_or(0, char::len_utf8));
            return self.error(start, message, Some(at));
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
        let what = if block { "text block" } else { "string" };
        match decode(self.text, content_start..content_end, block) {
            Ok(value) => self.push(if block { TokenKind::TextBlock } else { TokenKind::String }, start, value),
            // Reported from the opening quote, where Smithy reports it, to the offending text.
            Err(bad) => self.error(start, format!("invalid {what}: {}", bad.message), Some((start, bad.end))),
        }
    }
}

/// What a message says was found: a character, or the end of the file.
fn describe(c: Option<char>) -> String {
    match c {
        None => "the end of the file".to_owned(),
        Some(' ') => "a space".to_owned(),
        Some('\t') => "a tab".to_owned(),
        Some('\n' | '\r') => "a line break".to_owned(),
        Some(c) => format!("`{}`", show_char(c)),
    }
}

/// A character as it should appear in a message: itself, unless it is invisible.
fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() { c.escape_unicode().to_string() } else { c.to_string() }
}

/// A character of a string's content and the byte offset of its source text.
type Located = (char, usize);

/// Why the content of a string or text block cannot be decoded, and where the offending text
/// ends.
#[derive(Debug)]
struct Bad {
    message: String,
    /// Byte offset one past the offending text (an escape, a character).
    end: usize,
}

fn bad(message: impl Into<String>, end: usize) -> Bad {
    Bad { message: message.into(), end }
}

/// The value of a quoted string or text block from the bytes between its delimiters, as the
/// spec's "String values" and "Text blocks" sections say: line breaks normalised to `\n`; for
/// a text block, incidental whitespace removed; then escapes expanded. Every character keeps
/// its place in the file, so that a bad escape is located even after re-indentation.
fn decode(text: &str, content: std::ops::Range<usize>, block: bool) -> Result<String, Bad> {
    let from = content.start;
    let raw = text.get(content).unwrap_or("");
    // CRLF and lone CR become LF, so a model means the same on every platform.
    let mut chars: Vec<Located> = Vec::with_capacity(raw.len());
    let mut iter = raw.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '\r' {
            iter.next_if(|&(_, next)| next == '\n');
            chars.push(('\n', from + i));
        } else {
            chars.push((c, from + i));
        }
    }
    let end = from + raw.len();
    if block {
        chars = text_block(&chars, from)?;
    }
    unescape(&chars, block, end)
}

/// The content of a text block re-indented as the spec says: the line break after the opening
/// `"""` dropped, the common leading spaces of the lines removed (lines made only of spaces do
/// not count, except the last: when the closing delimiter sits on its own line, its
/// indentation sets how much is removed), and trailing spaces trimmed. Only spaces count, not
/// tabs, as in the spec and Smithy's loader. Escapes are expanded afterwards, so that an
/// escaped `\n` does not split a line for the indentation count.
fn text_block(chars: &[Located], open_end: usize) -> Result<Vec<Located>, Bad> {
    if chars.is_empty() {
        return Err(bad("the text block is empty", open_end));
    }
    // The grammar: `"""`, optional spaces or tabs, a line break.
    let spaces = chars.iter().take_while(|(c, _)| matches!(c, ' ' | '\t')).count();
    let content = match chars.get(spaces) {
        Some(('\n', _)) => &chars[spaces + 1..],
        Some(&(c, at)) => {
            return Err(bad("the opening `\"\"\"` must be followed by a line break", at + c.len_utf8()));
        }
        None => return Err(bad("the opening `\"\"\"` must be followed by a line break", open_end + spaces)),
    };
    let lines: Vec<&[Located]> = content.split(|(c, _)| *c == '\n').collect();
    let breaks: Vec<Located> = content.iter().filter(|(c, _)| *c == '\n').copied().collect();
    let last = lines.len() - 1;
    let indent = |line: &[Located]| line.iter().take_while(|(c, _)| *c == ' ').count();
    let blank = |line: &[Located]| line.iter().all(|(c, _)| *c == ' ');
    let common = lines
        .iter()
        .enumerate()
        .filter(|(i, line)| *i == last || !blank(line))
        .map(|(_, line)| indent(line))
        .min()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(content.len());
    for (i, line) in lines.iter().enumerate() {
        // Only spaces are cut: `common` is at most the indentation of every line that counts,
        // and a line that does not count is made of spaces.
        let line = &line[common.min(line.len())..];
        let kept = line.len() - line.iter().rev().take_while(|(c, _)| *c == ' ').count();
        out.extend_from_slice(&line[..kept]);
        if let Some(&line_break) = breaks.get(i) {
            out.push(line_break);
        }
    }
    Ok(out)
}

/// Expands the escapes of a quoted string or text block (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
/// `\r`, `\t`, `\uXXXX`, and an escaped line break, which expands to nothing); any other
/// escape is an error, as are the control characters the grammar leaves out of `QuotedChar`.
/// `end` is the offset of the closing delimiter.
fn unescape(chars: &[Located], block: bool, end: usize) -> Result<String, Bad> {
    let what = if block { "text block" } else { "string" };
    let end_of = |&(c, at): &Located| at + c.len_utf8();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&(c, at)) = chars.get(i) {
        i += 1;
        if c != '\\' {
            // `QuotedChar`: tab, line break, and everything from U+0020 on.
            if c < ' ' && !matches!(c, '\t' | '\n') {
                let code = u32::from(c);
                return Err(bad(
                    format!("control character U+{code:04X} must be escaped, as `\\u{code:04X}`"),
                    at + c.len_utf8(),
                ));
            }
            out.push(c);
            continue;
        }
        let Some(&escaped) = chars.get(i) else {
            return Err(bad(format!("a `\\` at the end of the {what} escapes nothing"), at + 1));
        };
        i += 1;
        match escaped.0 {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            // An escaped line break joins the lines.
            '\n' => {}
            'u' => {
                let (character, next) = unicode_escape(chars, i, end, what)?;
                out.push(character);
                i = next;
            }
            other => {
                let message = if other == ' ' || !(other.is_control() || other.is_whitespace()) {
                    format!("invalid escape `\\{other}`")
                } else {
                    format!("invalid escape: `\\` followed by U+{:04X}", u32::from(other))
                };
                return Err(bad(message, end_of(&escaped)));
            }
        }
    }
    Ok(out)
}

/// The character of a `\uXXXX` escape whose hex digits start at `chars[i]`, and the index after
/// it. A UTF-16 surrogate pair written as two escapes is one character; a surrogate on its own
/// is an error (a Rust string cannot hold one).
fn unicode_escape(chars: &[Located], i: usize, end: usize, what: &str) -> Result<(char, usize), Bad> {
    let high = hex4(chars, i, end, what)?;
    let after = i + 4;
    let end_of = |index: usize| chars.get(index - 1).map_or(end, |&(c, at)| at + c.len_utf8());
    if !(0xD800..=0xDFFF).contains(&high) {
        // Not a surrogate, so a character.
        let c =
            char::from_u32(high).ok_or_else(|| bad(format!("`\\u{high:04X}` is not a character"), end_of(after)))?;
        return Ok((c, after));
    }
    if high >= 0xDC00 {
        return Err(bad(
            format!("`\\u{high:04X}` is a low surrogate without a high surrogate escape before it"),
            end_of(after),
        ));
    }
    let unpaired = || {
        bad(
            format!("`\\u{high:04X}` is a high surrogate that must be followed by a `\\uXXXX` low surrogate escape"),
            end_of(after),
        )
    };
    let pair = matches!((chars.get(after), chars.get(after + 1)), (Some(('\\', _)), Some(('u', _))));
    if !pair {
        return Err(unpaired());
    }
    let low = hex4(chars, after + 2, end, what)?;
    if !(0xDC00..=0xDFFF).contains(&low) {
        return Err(unpaired());
    }
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(code).map(|c| (c, after + 6)).ok_or_else(unpaired)
}

/// The four hex digits of a unicode escape, from `chars[i]`.
fn hex4(chars: &[Located], i: usize, end: usize, what: &str) -> Result<u32, Bad> {
    let mut value = 0;
    for index in i..i + 4 {
        match chars.get(index) {
            Some(&(c, at)) => match c.to_digit(16) {
                Some(d) => value = value * 16 + d,
                None => {
                    let shown = match c {
                        ' ' => "a space".to_owned(),
                        '\n' => "a line break".to_owned(),
                        c => format!("`{}`", c.escape_debug()),
                    };
                    return Err(bad(
                        format!("a unicode escape needs four hex digits after `\\u`, found {shown}"),
                        at + c.len_utf8(),
                    ));
                }
            },
            None => {
                return Err(bad(
                    format!("a unicode escape needs four hex digits after `\\u`, found the end of the {what}"),
                    end,
                ));
            }
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

    /// The located error of the first token: its message, and the source text its span
    /// covers.
    fn located_error(text: &str) -> (String, String) {
        let token = &tokenize(text)[0];
        assert_eq!(token.kind, TokenKind::Error, "{text:?} decodes to {:?}", token.text);
        let (start, end) = token.error_at.unwrap_or((token.start, token.end));
        (token.text.clone(), text.get(start..end).unwrap_or_else(|| panic!("{text:?}: bad span")).to_owned())
    }

    /// Each escape of the spec's "String escape characters" table, in a quoted string and in a
    /// text block (escapes are expanded after re-indentation there), and the characters that
    /// need no escape.
    #[test]
    fn every_escape_of_the_spec_decodes() {
        let cases: &[(&str, &str)] = &[
            (r#"\""#, "\""),
            (r"\\", "\\"),
            (r"\/", "/"),
            (r"\b", "\u{8}"),
            (r"\f", "\u{c}"),
            (r"\n", "\n"),
            (r"\r", "\r"),
            (r"\t", "\t"),
            (r"\u00e9", "é"),
            (r"\u00E9", "é"),
            (r"\u0000", "\u{0}"),
            (r"\u001f", "\u{1f}"),
            (r"\uFFFF", "\u{ffff}"),
            (r"\uD83D\uDE00", "😀"),
            (r"\ud83d\ude00", "😀"),
            // An escaped line break (LF, CRLF or CR) expands to nothing.
            ("a\\\nb", "ab"),
            ("a\\\r\nb", "ab"),
            ("a\\\rb", "ab"),
            // Characters that need no escape: tab, DEL, non-ASCII, `'`.
            ("\t\u{7f}é😀'", "\t\u{7f}é😀'"),
            (r#"\\\"\/"#, "\\\"/"),
        ];
        for (escaped, expected) in cases {
            let quoted = format!("\"{escaped}\"");
            assert_eq!(value(&quoted).as_deref(), Ok(*expected), "{quoted:?}");
            let block = format!("\"\"\"\n{escaped}\"\"\"");
            assert_eq!(value(&block).as_deref(), Ok(*expected), "{block:?}");
        }
        // Unescaped line breaks are normalised to LF, in both forms.
        assert_eq!(value("\"a\r\nb\rc\"").as_deref(), Ok("a\nb\nc"));
        assert_eq!(value("\"\"\"\r\n  a\r\n  b\r  \"\"\"").as_deref(), Ok("a\nb\n"));
        assert_eq!(value("\"\"").as_deref(), Ok(""));
    }

    /// Every escape the spec does not list is an error, and so is every control character the
    /// grammar leaves out of `QuotedChar`. The error is reported from the opening quote, where
    /// Smithy reports it, to the end of the offending text, which the span ends with.
    #[test]
    fn invalid_escapes_and_characters_are_located_errors() {
        let cases: &[(&str, &str, &str)] = &[
            // (content, message, end of the located text)
            (r"a\ b", "invalid escape `\\ `", r"\ "),
            (r"\'", "invalid escape `\\'`", r"\'"),
            (r"\a", "invalid escape `\\a`", r"\a"),
            (r"\x41", "invalid escape `\\x`", r"\x"),
            (r"\U0041", "invalid escape `\\U`", r"\U"),
            (r"\0", "invalid escape `\\0`", r"\0"),
            ("\\\t", "invalid escape: `\\` followed by U+0009", "\\\t"),
            ("\\é", "invalid escape `\\é`", "\\é"),
            (r"\u12", "four hex digits after `\\u`, found the end of the", r"\u12"),
            (r"\u12 x", "four hex digits after `\\u`, found a space", r"\u12 "),
            (r"\uZZZZ", "four hex digits after `\\u`, found `Z`", r"\uZ"),
            (r"\u00g0", "four hex digits after `\\u`, found `g`", r"\u00g"),
            (r"\uD83D", "`\\uD83D` is a high surrogate that must be followed by a `\\uXXXX` low surrogate", r"\uD83D"),
            (r"\uD83Dx", "high surrogate", r"\uD83D"),
            (r"\uD83D\n", "high surrogate", r"\uD83D"),
            (r"\uD83D\u0041", "high surrogate", r"\uD83D"),
            (r"\uD83D\uD83D", "high surrogate", r"\uD83D"),
            (r"\uD83D\uDE", "found the end of the", r"\uD83D\uDE"),
            (r"\uDE00", "`\\uDE00` is a low surrogate without a high surrogate", r"\uDE00"),
            ("a\u{1}", "control character U+0001 must be escaped, as `\\u0001`", "a\u{1}"),
            ("\u{0}", "U+0000", "\u{0}"),
            ("\u{8}", "U+0008", "\u{8}"),
            ("\u{b}", "U+000B", "\u{b}"),
            ("\u{c}", "U+000C", "\u{c}"),
            ("\u{1f}", "U+001F", "\u{1f}"),
        ];
        for (content, message, located_end) in cases {
            for text in [format!("\"{content}\" x"), format!("\"\"\"\n    {content}\"\"\" x")] {
                let (error, located) = located_error(&text);
                let what = if text.starts_with("\"\"\"") { "invalid text block: " } else { "invalid string: " };
                assert!(error.starts_with(what) && error.contains(message), "{text:?}: {error}");
                assert!(located.starts_with('"'), "{text:?}: located at {located:?}");
                assert!(located.ends_with(located_end), "{text:?}: located at {located:?}");
            }
        }
    }

    /// In a text block the offending escape may be lines below the opening `"""`: the span
    /// still starts at the `"""` and ends after the escape, whatever re-indentation removed.
    #[test]
    fn text_block_errors_are_located_in_the_source() {
        let text = "\"\"\"\r\n        one\r\n          two \\q three\r\n        \"\"\"";
        let (error, located) = located_error(text);
        assert!(error.contains("invalid escape `\\q`"), "{error}");
        assert_eq!(located, "\"\"\"\r\n        one\r\n          two \\q");
        // A `\` left at the end once trailing spaces are trimmed escapes nothing.
        let (error, located) = located_error("\"\"\"\n    a\\   \"\"\"");
        assert!(error.contains("escapes nothing"), "{error}");
        assert!(located.ends_with("a\\"), "{located:?}");
        let (error, located) = located_error("\"\"\"\"\"\"");
        assert!(error.contains("empty"), "{error}");
        assert_eq!(located, "\"\"\"");
        let (error, located) = located_error("\"\"\"  x\n\"\"\"");
        assert!(error.contains("must be followed by a line break"), "{error}");
        assert_eq!(located, "\"\"\"  x");
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
            // The spec's example of incidental whitespace removal.
            ("\"\"\"\n    Foo\n        Baz\n\n  \n    Bar\n    \"\"\"", "Foo\n    Baz\n\n\nBar\n"),
            // Only spaces are incidental, not tabs (the spec and Smithy's loader count spaces).
            ("\"\"\"\n\tFoo\n\t\"\"\"", "\tFoo\n\t"),
            ("\"\"\"\n    Foo \t\n    \t\n    \"\"\"", "Foo \t\n\t\n"),
            // Spaces or tabs may follow the opening delimiter (the spec's `[SP] NL`).
            ("\"\"\" \t\n    Foo\"\"\"", "Foo"),
            // Three quotes with one escaped do not close the block.
            ("\"\"\"\n    foo \\\"\"\"\n    baz\"\"\"", "foo \"\"\"\nbaz"),
            // A `\` followed by trailing spaces escapes the line break once they are trimmed.
            ("\"\"\"\n    Foo \\   \n    Baz\"\"\"", "Foo Baz"),
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
