//! Sets the blocks and balances them over two columns.

use super::MM;
use super::blocks::Block;
use super::column::Column;
use crate::page::Element;

/// Space between the two columns.
const GUTTER_MM: f32 = 7.0;

/// A block set at the top of a column, ready to be moved into place.
struct SetBlock {
    /// Its elements, y from 0.
    elements: Vec<Element>,
    height: f32,
    /// The space above it when it does not start a column.
    gap: f32,
}

/// Sets `blocks` in two columns across `page`, from `top` down, and adds
/// their elements to the page's in reading order: the first column, then the
/// second. Returns the bottom of the taller column.
pub(super) fn set_flow(page: &mut Column<'_>, blocks: &[Block<'_>], top: f32) -> f32 {
    let style = page.style;
    let gutter = GUTTER_MM * MM;
    let column = (page.right - page.left - gutter) / 2.0;
    let set: Vec<SetBlock> = blocks
        .iter()
        .map(|block| {
            let (elements, height) = block.set(page.prepared, style, 0.0, column, page.emit);
            SetBlock {
                elements,
                height,
                gap: block.gap_before(style),
            }
        })
        .collect();
    let split = balance(blocks, &set);
    let mut tallest: f32 = 0.0;
    let mut set = set.into_iter();
    for (column_index, count) in [split, blocks.len() - split].into_iter().enumerate() {
        let x = page.left + column_index as f32 * (column + gutter);
        let mut y = top;
        for (i, block) in set.by_ref().take(count).enumerate() {
            if i > 0 {
                y += block.gap;
            }
            page.elements
                .extend(block.elements.into_iter().map(|item| moved(item, x, y)));
            y += block.height;
        }
        tallest = tallest.max(y);
    }
    tallest
}

/// Where to start the second column: the split that makes the taller column
/// shortest, never right after a heading. Ties keep more in the first column.
fn balance(blocks: &[Block<'_>], set: &[SetBlock]) -> usize {
    let column_height = |range: std::ops::Range<usize>| {
        set[range]
            .iter()
            .enumerate()
            .map(|(i, block)| block.height + if i > 0 { block.gap } else { 0.0 })
            .sum::<f32>()
    };
    (1..blocks.len())
        .filter(|&split| !blocks[split - 1].is_heading())
        .map(|split| {
            (
                column_height(0..split).max(column_height(split..blocks.len())),
                split,
            )
        })
        .fold(None, |best: Option<(f32, usize)>, candidate| match best {
            Some(best) if best.0 < candidate.0 - 0.01 => Some(best),
            _ => Some(candidate),
        })
        .map_or(blocks.len(), |(_, split)| split)
}

/// An element moved right by `dx` and down by `dy`.
pub(super) fn moved(element: Element, dx: f32, dy: f32) -> Element {
    match element {
        Element::Text(mut run) => {
            run.x += dx;
            run.baseline += dy;
            Element::Text(run)
        }
        Element::Rect(mut rect) => {
            rect.x += dx;
            rect.y += dy;
            Element::Rect(rect)
        }
        Element::Rule(mut rule) => {
            rule.x += dx;
            rule.x_end += dx;
            rule.y += dy;
            Element::Rule(rule)
        }
    }
}
