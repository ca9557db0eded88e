//! The safe text format of `completedHtml` and `html` questions.
//!
//! SurveyJS renders these as raw HTML. phieu never does: a form is data that
//! may come from anywhere. It reads a small Markdown subset (headings, lists,
//! **bold**, *italic*, links to http(s), mailto and tel) into a tree that the
//! app renders as DOM nodes, never as HTML. HTML tags that authors copied
//! from SurveyJS are dropped (block tags become paragraph breaks) and
//! entities decoded, so `<h3>Cảm ơn!</h3>` still reads well.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Emphasis(String),
    Link { text: String, url: String },
    LineBreak,
}

pub fn parse(source: &str) -> Vec<Block> {
    let text = strip_html(source);
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            let mut inlines = Vec::new();
            for (i, line) in para.iter().enumerate() {
                if i > 0 {
                    inlines.push(Inline::LineBreak);
                }
                inlines.extend(inline(line));
            }
            blocks.push(Block::Paragraph(inlines));
            para.clear();
        }
    };
    for raw in text.lines() {
        let line = raw.trim();
        let item = list_item(line);
        if item.is_none() {
            if let Some((ordered, items)) = list.take() {
                blocks.push(Block::List { ordered, items });
            }
        }
        if line.is_empty() {
            flush_para(&mut para, &mut blocks);
        } else if let Some((level, rest)) = heading(line) {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::Heading(level, inline(rest)));
        } else if let Some((ordered, rest)) = item {
            flush_para(&mut para, &mut blocks);
            match &mut list {
                Some((o, items)) if *o == ordered => items.push(inline(rest)),
                _ => {
                    if let Some((o, items)) = list.take() {
                        blocks.push(Block::List { ordered: o, items });
                    }
                    list = Some((ordered, vec![inline(rest)]));
                }
            }
        } else {
            para.push(line);
        }
    }
    flush_para(&mut para, &mut blocks);
    if let Some((ordered, items)) = list {
        blocks.push(Block::List { ordered, items });
    }
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&level) && line[level..].starts_with(' ') {
        Some((level as u8, line[level..].trim()))
    } else {
        None
    }
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest.trim()));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some((true, line[digits + 2..].trim()));
    }
    None
}

/// `**strong**`, `*em*` / `_em_`, `[text](url)`; anything else is text.
fn inline(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let span = if let Some(after) = rest.strip_prefix("**") {
            after.find("**").filter(|&e| e > 0).map(|e| (Inline::Strong(after[..e].to_string()), 4 + e))
        } else if c == '*' || c == '_' {
            rest[1..].find(c).filter(|&e| e > 0).map(|e| (Inline::Emphasis(rest[1..1 + e].to_string()), 2 + e))
        } else if c == '[' {
            link(rest)
        } else {
            None
        };
        match span {
            Some((node, len)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(node);
                rest = &rest[len..];
            }
            None => {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

fn link(s: &str) -> Option<(Inline, usize)> {
    let close = s.find("](")?;
    let end = s[close + 2..].find(')')? + close + 2;
    let text = &s[1..close];
    let url = s[close + 2..end].trim();
    let safe = ["https://", "http://", "mailto:", "tel:"].iter().any(|p| url.to_ascii_lowercase().starts_with(p));
    if !safe || text.is_empty() {
        return None;
    }
    Some((Inline::Link { text: text.to_string(), url: url.to_string() }, end + 1))
}

/// Drops HTML tags (block tags become paragraph breaks) and decodes the
/// common entities. What remains is text.
fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..close].trim_start_matches('/').split([' ', '/']).next().unwrap_or("").to_ascii_lowercase();
        let is_tag = !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric());
        if !is_tag {
            out.push('<');
            rest = &after[1..];
            continue;
        }
        match tag.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "li" | "section" | "article" | "header" | "footer" => {
                out.push_str("\n\n")
            }
            _ => {}
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    #[test]
    fn reads_the_subset() {
        let blocks = parse(
            "# Cảm ơn!\n\nPhiếu đã được **ghi nhận**, *cảm ơn* bạn.\nLiên hệ [đường dây nóng](tel:1900123).\n\n- một\n- hai\n\n1. first",
        );
        assert_eq!(
            blocks,
            [
                Block::Heading(1, vec![Text("Cảm ơn!".into())]),
                Block::Paragraph(vec![
                    Text("Phiếu đã được ".into()),
                    Strong("ghi nhận".into()),
                    Text(", ".into()),
                    Emphasis("cảm ơn".into()),
                    Text(" bạn.".into()),
                    LineBreak,
                    Text("Liên hệ ".into()),
                    Link { text: "đường dây nóng".into(), url: "tel:1900123".into() },
                    Text(".".into()),
                ]),
                Block::List { ordered: false, items: vec![vec![Text("một".into())], vec![Text("hai".into())]] },
                Block::List { ordered: true, items: vec![vec![Text("first".into())]] },
            ]
        );
    }

    #[test]
    fn html_is_never_kept() {
        let blocks = parse("<h3>Thank you</h3><script>alert(1)</script><p>a &lt;b&gt; &amp; c</p> [x](javascript:alert(1)) 2 < 3");
        assert_eq!(
            blocks,
            [
                Block::Paragraph(vec![Text("Thank you".into())]),
                Block::Paragraph(vec![Text("alert(1)".into())]),
                Block::Paragraph(vec![Text("a <b> & c".into())]),
                Block::Paragraph(vec![Text("[x](javascript:alert(1)) 2 < 3".into())]),
            ]
        );
    }
}
