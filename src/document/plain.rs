//! Plain text: each non-empty line is a block; the first is the title.

use crate::model::{Block, BlockKind};

/// Blocks of a plain-text article, one per non-empty line.
pub(super) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let leading = raw.chars().take_while(|c| c.is_whitespace()).count();
        let kind = if out.is_empty() {
            BlockKind::Title
        } else {
            BlockKind::Paragraph
        };
        out.push(Block::new(kind, trimmed, i + 1, leading + 1));
    }
    out
}
