//! Sets the blocks and balances them over two columns.

use super::MM;
use super::blocks::Block;
use super::column::Column;
use crate::page::Element;

/// Space between the two columns.
pub(crate) const GUTTER_MM: f32 = 7.0;

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
/// second. A list that goes on in the second column has its heading set
/// again at the top. Columns that keep every list under a heading and every
/// caution with its item are chosen when the style keeps them or when they
/// end above `bottom`; otherwise the shortest columns. Returns the bottom of
/// the taller column.
pub(super) fn set_flow(page: &mut Column<'_>, blocks: &[Block<'_>], top: f32, bottom: f32) -> f32 {
    let style = page.style;
    let gutter = GUTTER_MM * MM;
    let column = (page.right - page.left - gutter) / 2.0;
    let set_block = |block: &Block<'_>| {
        let (elements, height) = block.set(page.prepared, style, 0.0, column, page.emit);
        SetBlock {
            elements,
            height,
            gap: block.gap_before(style),
        }
    };
    let set: Vec<SetBlock> = blocks.iter().map(set_block).collect();
    // The heading each item would have again at the top of the second
    // column, and the space under it, as under the heading itself.
    let again = |split: usize| {
        blocks.get(split)?.continued_heading().map(|heading| {
            let block = set_block(&Block::HeadingAgain(heading));
            let under = Block::Item {
                paragraph: heading,
                first: true,
                caution: false,
                heading,
                picture: None,
            }
            .gap_before(style);
            (block, under)
        })
    };
    let kept = balance(blocks, &set, true, |split| {
        again(split).map(|(block, under)| block.height + under)
    });
    let (split, mut heading_again) = match kept {
        Some((height, split)) if style.keep || top + height <= bottom => (split, again(split)),
        _ => {
            let shortest = balance(blocks, &set, false, |_| None);
            (shortest.map_or(blocks.len(), |(_, split)| split), None)
        }
    };
    let mut tallest: f32 = 0.0;
    let mut set = set.into_iter();
    for (column_index, count) in [split, blocks.len() - split].into_iter().enumerate() {
        let x = page.left + column_index as f32 * (column + gutter);
        let mut y = top;
        let mut column_blocks: Vec<SetBlock> = set.by_ref().take(count).collect();
        if column_index == 1
            && let Some((heading, under)) = heading_again.take()
        {
            if let Some(first) = column_blocks.first_mut() {
                first.gap = under;
            }
            column_blocks.insert(0, heading);
        }
        for (i, block) in column_blocks.into_iter().enumerate() {
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

/// Where to start the second column, and the taller column's height: the
/// split that makes the taller column shortest, counting the heading
/// `again(split)` adds over a list that goes on there. Never right after a
/// heading; when `keep`, also never before a caution (which stays with its
/// item), and never so that a heading ends the first column with one item
/// under it while its list goes on. Ties keep more in the first column.
fn balance(
    blocks: &[Block<'_>],
    set: &[SetBlock],
    keep: bool,
    again: impl Fn(usize) -> Option<f32>,
) -> Option<(f32, usize)> {
    let column_height = |range: std::ops::Range<usize>| {
        set[range]
            .iter()
            .enumerate()
            .map(|(i, block)| block.height + if i > 0 { block.gap } else { 0.0 })
            .sum::<f32>()
    };
    let allowed = |split: usize| {
        // A heading with one item at the foot, its list going on.
        let one_under = split >= 2
            && blocks[split - 2].is_heading()
            && blocks[split].continued_heading().is_some();
        let kept = !blocks[split].is_caution() && !one_under;
        !blocks[split - 1].is_heading() && (kept || !keep)
    };
    (1..blocks.len())
        .filter(|&split| allowed(split))
        .map(|split| {
            let second = column_height(split..blocks.len()) + again(split).unwrap_or(0.0);
            (column_height(0..split).max(second), split)
        })
        .fold(None, |best: Option<(f32, usize)>, candidate| match best {
            Some(best) if best.0 < candidate.0 - 0.01 => Some(best),
            _ => Some(candidate),
        })
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
        Element::Path(path) => Element::Path(path.moved(dx, dy)),
    }
}
