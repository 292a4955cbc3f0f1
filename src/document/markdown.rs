//! Markdown: blocks from pulldown-cmark events, with source offsets mapped back to lines, and
//! links kept for citation extraction. The first heading (else the first block) is the title.

use super::LineIndex;
use crate::model::{Block, BlockKind, LineMark, Link};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

struct Open {
    kind: BlockKind,
    text: String,
    /// Characters in `text`, kept so appending stays O(1) per piece.
    chars: usize,
    marks: Vec<LineMark>,
}

pub(super) fn parse(text: &str) -> (Vec<Block>, Vec<Link>) {
    let mut blocks: Vec<Block> = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut link_stack: Vec<(String, String, usize)> = Vec::new();
    let mut seen_h1 = false;
    let lines = LineIndex::new(text);
    let parser = Parser::new_ext(
        text,
        Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let kind = match &tag {
                    Tag::Heading { level, .. } => {
                        if *level == HeadingLevel::H1 && !seen_h1 && blocks.is_empty() {
                            seen_h1 = true;
                            Some(BlockKind::Title)
                        } else {
                            Some(BlockKind::Heading)
                        }
                    }
                    Tag::Paragraph => Some(BlockKind::Paragraph),
                    Tag::Item => Some(BlockKind::ListItem),
                    Tag::BlockQuote(_) => Some(BlockKind::Quote),
                    Tag::FootnoteDefinition(_) => Some(BlockKind::ListItem),
                    _ => None,
                };
                if let Tag::Link { dest_url, .. } = &tag {
                    let start = range.start;
                    link_stack.push((dest_url.to_string(), String::new(), start));
                }
                if let Some(kind) = kind {
                    // A paragraph inside a list item or quote belongs to that item.
                    if kind != BlockKind::Paragraph || stack.is_empty() {
                        stack.push(Open {
                            kind,
                            text: String::new(),
                            chars: 0,
                            marks: Vec::new(),
                        });
                    }
                }
            }
            Event::End(end) => {
                if let TagEnd::Link = end {
                    if let Some((url, label, start)) = link_stack.pop() {
                        let (line, column) = lines.line_col(start);
                        links.push(Link {
                            text: label.trim().to_string(),
                            url,
                            line,
                            column,
                        });
                    }
                }
                let closes = matches!(
                    end,
                    TagEnd::Heading(_)
                        | TagEnd::Item
                        | TagEnd::BlockQuote(_)
                        | TagEnd::FootnoteDefinition
                ) || (matches!(end, TagEnd::Paragraph)
                    && stack.len() == 1
                    && stack[0].kind == BlockKind::Paragraph);
                if closes {
                    if let Some(open) = stack.pop() {
                        finish(open, &mut blocks);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                append(&mut stack, &t, &lines, range.start);
                for l in link_stack.iter_mut() {
                    l.1.push_str(&t);
                }
            }
            Event::FootnoteReference(label) => {
                append(&mut stack, &format!("[^{label}]"), &lines, range.start);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(open) = stack.last_mut() {
                    open.text.push(' ');
                    open.chars += 1;
                }
            }
            _ => {}
        }
    }
    while let Some(open) = stack.pop() {
        finish(open, &mut blocks);
    }
    if !blocks.iter().any(|b| b.kind == BlockKind::Title) {
        if let Some(first) = blocks.first_mut() {
            first.kind = BlockKind::Title;
        }
    }
    (blocks, links)
}

fn append(stack: &mut [Open], piece: &str, lines: &LineIndex, source_offset: usize) {
    let Some(open) = stack.last_mut() else {
        return;
    };
    let offset = open.chars;
    let (line, column) = lines.line_col(source_offset);
    let continues_line = open.marks.last().is_some_and(|m| m.line == line);
    if !continues_line {
        open.marks.push(LineMark {
            offset,
            line,
            column,
        });
    }
    open.text.push_str(piece);
    open.chars += piece.chars().count();
}

fn finish(open: Open, blocks: &mut Vec<Block>) {
    let leading = open.text.chars().take_while(|c| c.is_whitespace()).count();
    let text = open.text.trim().to_string();
    if text.is_empty() {
        return;
    }
    let mut marks: Vec<LineMark> = open
        .marks
        .into_iter()
        .map(|m| LineMark {
            offset: m.offset.saturating_sub(leading),
            ..m
        })
        .collect();
    if let Some(first) = marks.first_mut() {
        first.offset = 0;
    }
    let (line, column) = marks.first().map_or((1, 1), |m| (m.line, m.column));
    blocks.push(Block {
        kind: open.kind,
        text,
        line,
        column,
        marks,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_links_keep_lines() {
        let md = "# Title here\n\nFirst para with a [Reuters story](https://www.reuters.com/a)\nthat wraps.\n\n- item one\n";
        let (blocks, links) = parse(md);
        assert_eq!(blocks[0].kind, BlockKind::Title);
        assert_eq!(blocks[0].text, "Title here");
        assert_eq!(
            blocks[1].text,
            "First para with a Reuters story that wraps."
        );
        assert_eq!(blocks[1].line, 3);
        let wrap_at = blocks[1].text.find("that").unwrap();
        assert_eq!(blocks[1].position(wrap_at).0, 4);
        assert_eq!(blocks[2].kind, BlockKind::ListItem);
        assert_eq!(blocks[2].line, 6);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].text, "Reuters story");
        assert_eq!(links[0].url, "https://www.reuters.com/a");
        assert_eq!((links[0].line, links[0].column), (3, 19));
    }

    #[test]
    fn bold_text_is_plain() {
        let (blocks, _) = parse("标题\n\n**一、芯片之争**\n");
        assert_eq!(blocks[1].text, "一、芯片之争");
        assert_eq!(blocks[0].kind, BlockKind::Title);
    }
}
