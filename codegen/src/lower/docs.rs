//! Documentation: `@documentation` (HTML, as AWS models write it) into the Markdown of
//! rustdoc comments.

use super::*;

pub(super) fn docs(traits: &model::Traits) -> Option<String> {
    traits.get(&t::DOCUMENTATION).and_then(Node::as_str).map(clean_docs).filter(|d| !d.is_empty())
}

/// Turns model documentation (often HTML in AWS models) into plain Markdown paragraphs that
/// rustdoc and clippy accept: tags dropped (paragraphs and list items kept as line breaks),
/// entities decoded, whitespace collapsed, and characters Markdown would misread escaped.
pub fn clean_docs(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find('>') {
            Some(end)
                if after[1..].trim_start_matches('/').starts_with(|c: char| c.is_ascii_alphabetic())
                    && after[1..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || " /=\"'-_.:#?&%+,;()".contains(c)) =>
            {
                let tag =
                    after[1..end].trim_start_matches('/').split_whitespace().next().unwrap_or("").to_ascii_lowercase();
                match tag.as_str() {
                    "p" | "br" | "ul" | "ol" | "note" | "important" => out.push_str("\n\n"),
                    "li" if !after[1..].starts_with('/') => out.push_str("\n\n- "),
                    "code" => out.push('`'),
                    _ => {}
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let mut paragraphs = Vec::new();
    // A list item whose text is in a paragraph of its own (`<li><p>text</p></li>`, as AWS
    // models write them): the bullet goes before that paragraph, not on a line alone.
    let mut bullet = false;
    for para in decoded.split("\n\n") {
        let words: Vec<&str> = para.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if words == ["-"] {
            bullet = true;
            continue;
        }
        let mut line = words.join(" ");
        if std::mem::take(&mut bullet) && !line.starts_with("- ") {
            line.insert_str(0, "- ");
        }
        // Backticks come in pairs from <code>; an odd count would open an unterminated span.
        if line.matches('`').count() % 2 == 1 {
            line = line.replace('`', "");
        }
        let mut escaped = String::with_capacity(line.len());
        let mut in_code = false;
        for c in line.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    escaped.push(c);
                }
                '[' | ']' | '<' | '>' | '\\' if !in_code => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                _ => escaped.push(c),
            }
        }
        paragraphs.push(autolink_urls(&escaped));
    }
    paragraphs.join("\n\n")
}

/// Writes bare URLs outside code spans as Markdown autolinks (`<https://…>`), which rustdoc
/// links rather than warns about. Trailing punctuation stays outside the link.
pub(super) fn autolink_urls(line: &str) -> String {
    let mut in_code = false;
    let words: Vec<String> = line
        .split(' ')
        .map(|word| {
            let was_in_code = in_code;
            if word.matches('`').count() % 2 == 1 {
                in_code = !in_code;
            }
            let body = word.trim_start_matches(['(', '"', '\'']);
            let head = &word[..word.len() - body.len()];
            if was_in_code || word.contains('`') || !(body.starts_with("https://") || body.starts_with("http://")) {
                return word.to_owned();
            }
            let url = body.trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"']);
            let tail = &body[url.len()..];
            // Inside an autolink a backslash is a character, not an escape.
            format!("{head}<{}>{tail}", url.replace('\\', ""))
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks_outside_code() {
        let html = "<p>See https://docs.aws.amazon.com/a_b.html#x. Or <code>https://in.code</code> (http://x.y/z).</p>";
        assert_eq!(
            clean_docs(html),
            "See <https://docs.aws.amazon.com/a_b.html#x>. Or `https://in.code` (<http://x.y/z>)."
        );
    }

    #[test]
    fn html_docs_become_plain_paragraphs() {
        let html = "<p>Supports SAML sign-in. See <a href=\"https://x\">the guide</a>.</p> <note><p>Use <code>a_b</code> [x] &lt;y&gt;</p></note>";
        assert_eq!(clean_docs(html), "Supports SAML sign-in. See the guide.\n\nUse `a_b` \\[x\\] \\<y\\>");
        assert_eq!(clean_docs("<ul><li>one</li><li>two</li></ul>"), "- one\n\n- two");
        assert_eq!(
            clean_docs("<ul>\n  <li>\n    <p>one</p>\n  </li>\n  <li><p>two</p></li>\n</ul><p>after</p>"),
            "- one\n\n- two\n\nafter"
        );
        assert_eq!(clean_docs("1 < 2 and a > b"), "1 \\< 2 and a \\> b");
    }
}
