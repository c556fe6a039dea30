//! The search for the largest style in which a handout fits its page, or,
//! in large print, its two sides.

use handout_content::{Handout, Paper, SectionRole};

use super::blocks::Prepared;
use super::{LARGE_PRINT_PT, MIN_BODY_PT, MM, pages, sides};
use crate::{LongItem, RenderError};

/// The least space between two list items beyond a line's pitch, in bodies.
pub(super) const ITEM_SPACE: f32 = 0.2;

/// One step of the fitting sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    /// Body text size in points.
    pub body: f32,
    /// Scale of the vertical space between blocks, 1 the most generous.
    pub space: f32,
    /// Whether the columns must keep every list under a heading and every
    /// caution with its item (see `flow`). Every style is tried so first,
    /// then, when none fits, without.
    pub keep: bool,
    /// Whether it is large print: every text at 18 pt or more, lines
    /// spaced at 1.5 or more, over both sides of the sheet.
    pub large: bool,
    /// Whether a paragraph may take a line more than it needs to avoid a
    /// defect of its breaks (see `Paragraph::break_lines`). Tried last,
    /// in the style found to fit, so that it never costs a page its size.
    pub loose: bool,
    /// Whether the footer prints the page for more information, where the
    /// handout names one: its code and its address. Every style is tried
    /// with it first; only a page that fits in none is set without, and
    /// the midwife is told (see [`Fit::more_info_left_out`]).
    pub more_info: bool,
}

impl Style {
    /// Line height as a multiple of the size: 1.4 with generous space,
    /// 1.26 at the tightest (it was 1.29: the difference pays for the
    /// space between list items, which a reader misses more); in large
    /// print 1.5, as the APH and the ACB ask, and no more: two sides must
    /// hold what one page holds in normal print.
    pub fn leading(self) -> f32 {
        if self.large {
            MIN_LARGE_LEADING
        } else {
            1.2 + 0.2 * self.space
        }
    }

    /// A leading set for one kind of text (a heading's 1.15), raised to
    /// large print's least where the style is large print.
    pub fn at_least(self, leading: f32) -> f32 {
        if self.large {
            leading.max(MIN_LARGE_LEADING)
        } else {
            leading
        }
    }

    /// A space between two blocks or parts of one, widened in large print
    /// so that the last line of one and the first of the next are as far
    /// apart as two lines of a paragraph: a line's descent and the next
    /// one's ascent take 1.05 of the size.
    pub fn gap(self, gap: f32) -> f32 {
        if self.large {
            gap.max((MIN_LARGE_LEADING - 1.05) * self.body)
        } else {
            gap
        }
    }

    /// The size of the title: large, but in large print only half again
    /// the body's, for the room the advice needs.
    pub fn title_size(self) -> f32 {
        (self.body * if self.large { 1.5 } else { 1.8 }).round()
    }

    /// The size of the footer's text: small print is still clear print at
    /// 12 pt, and large print's footer is as large as its body.
    pub fn footer_size(self) -> f32 {
        if self.large { self.body } else { FOOTER_PT }
    }

    /// Space between two items of a list: a line's pitch and more, never
    /// less than a fifth of the body more in normal print, so that even the
    /// tightest style sets each item apart, as a reader scanning the list
    /// for hers needs. Large print's tightest style, whose lines are already
    /// half a size apart, keeps a ninth (2 pt at 18 pt, about normal
    /// print's least): with it the default items fit two Letter sides
    /// under a practice's whole footer.
    /// A paragraph ends at its last line's descent (a quarter of the body)
    /// and starts at its first line's ascent (0.8), so a gap of the
    /// leading less those would only keep the pitch.
    pub fn item_gap(self) -> f32 {
        (self.leading() - 1.05 + ITEM_SPACE + 0.3 * (self.space - 0.3)) * self.body
    }

    /// The styles to try, most generous first, and all of them again
    /// without keeping lists and cautions whole: a clean flow is worth a
    /// smaller size, but not a page that does not fit.
    pub fn sequence() -> impl Iterator<Item = Style> {
        [true, false].into_iter().flat_map(|keep| {
            let sizes = [14.0, 13.5, 13.0, 12.5, MIN_BODY_PT];
            let style = move |body, space| Style {
                body,
                space,
                keep,
                large: false,
                loose: false,
                more_info: true,
            };
            sizes
                .into_iter()
                .flat_map(move |body| [1.0, 0.75, 0.5].map(|space| style(body, space)))
                .chain([style(MIN_BODY_PT, 0.3)])
        })
    }

    /// The large-print styles to try, most generous first: the size never
    /// changes, only the space between blocks and items; then all of them
    /// again without a list's heading set again over the page, whose line
    /// may be the one that does not fit.
    pub fn large_sequence() -> [Style; 10] {
        let style = |keep, space| Style {
            body: LARGE_PRINT_PT,
            space,
            keep,
            large: true,
            loose: false,
            more_info: true,
        };
        let spaces = [1.0, 0.75, 0.5, 0.3, 0.0];
        std::array::from_fn(|i| style(i < spaces.len(), spaces[i % spaces.len()]))
    }
}

/// Footer text size in normal print.
const FOOTER_PT: f32 = 12.0;
/// The least line height of large print, as a multiple of the size.
pub(super) const MIN_LARGE_LEADING: f32 = 1.5;

/// The style a handout was found to fit its paper in. It is only good for
/// the handout and paper it was found for; small and `Copy`, so that a
/// batch can keep one for every row between checking and making them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub(super) style: Style,
    pub(super) paper: Paper,
    /// How many `info` items, the last in reading order, are left out: only
    /// ever in large print, when two sides cannot hold them all.
    pub(super) omitted: u16,
}

impl Fit {
    /// The body text size, in points.
    pub fn body_size(&self) -> f32 {
        self.style.body
    }

    /// Whether it is large print.
    pub fn is_large_print(&self) -> bool {
        self.style.large
    }

    /// How many pages the handout takes: one, or both sides of a sheet in
    /// large print.
    pub fn pages(&self) -> usize {
        if self.style.large { 2 } else { 1 }
    }

    /// Whether the page for more information the handout names was left
    /// out, its code and its address, because the page holds the chosen
    /// items and the note only without it. `handout` must be the one the
    /// fit was found for.
    pub fn more_info_left_out(&self, handout: &Handout) -> bool {
        handout.more_info.is_some() && !self.style.more_info
    }

    /// The `info` items left out so that large print holds every chosen
    /// item on two sides, in reading order: what every front end tells the
    /// midwife. `handout` must be the one the fit was found for.
    pub fn omitted(&self, handout: &Handout) -> Vec<LongItem> {
        omitted_items(handout, usize::from(self.omitted))
    }
}

/// The last `count` `info` items of a handout, in reading order.
pub(super) fn omitted_items(handout: &Handout, count: usize) -> Vec<LongItem> {
    if count == 0 {
        return Vec::new();
    }
    let info: Vec<LongItem> = handout
        .sections
        .iter()
        .filter(|section| section.role == SectionRole::Info)
        .flat_map(|section| {
            section.items.iter().map(|item| LongItem {
                id: item.id.to_string(),
                lead: item.lead.trim_end_matches(['.', ':']).to_string(),
                section: section.heading.to_string(),
                by_default: false,
            })
        })
        .collect();
    let keep = info.len().saturating_sub(count);
    info.into_iter().skip(keep).collect()
}

/// The style to set a handout in that fits in `style`: the same, or a
/// line more here and there for a cleaner break (`Style::loose`), with as
/// little less space between blocks as it takes, or half a point smaller.
/// A short word stranded at a line's end ("for a / long time") is a
/// defect a reader sees at once; half a point is not, and no size is ever
/// below clear print's 12 pt.
fn loosest(
    prepared: &Prepared,
    style: Style,
    rest: impl Iterator<Item = Style>,
    paper: Paper,
) -> Style {
    if super::inline::plain_breaks() {
        return style;
    }
    let near = |other: &Style| other.body >= style.body - 0.5 && other.keep == style.keep;
    std::iter::once(style)
        .chain(rest.take_while(near))
        .map(|style| Style {
            loose: true,
            ..style
        })
        .find(|&loose| pages::set_page(prepared, loose, paper, false).1 <= 0.0)
        .unwrap_or(style)
}

/// The largest style in which the handout fits, or why none does.
pub(super) fn search(
    prepared: &Prepared,
    handout: &Handout,
    paper: Paper,
    large_print: bool,
) -> Result<Fit, RenderError> {
    if let Some((character, place)) = prepared.unprintable() {
        return Err(RenderError::Unprintable { character, place });
    }
    if let Some(place) = prepared.overdrawn {
        return Err(RenderError::Overdrawn { place });
    }
    let mut overflow = None;
    // With the page for more information, then, where it is what does not
    // fit, without: the advice and the note matter more than a link.
    let tries: &[bool] = if prepared.more_info.is_some() {
        &[true, false]
    } else {
        &[true]
    };
    for &more_info in tries {
        let with = move |style: Style| Style { more_info, ..style };
        if large_print {
            match sides::search(prepared, paper, more_info) {
                Ok((style, omitted)) => {
                    return Ok(Fit {
                        style,
                        paper,
                        omitted,
                    });
                }
                Err(over) => {
                    if !more_info || overflow.is_none() {
                        overflow = Some(over);
                    }
                }
            }
        } else {
            let mut styles = Style::sequence().map(with);
            while let Some(style) = styles.next() {
                let (_, over) = pages::set_page(prepared, style, paper, false);
                if over <= 0.0 {
                    return Ok(Fit {
                        style: loosest(prepared, style, styles, paper),
                        paper,
                        omitted: 0,
                    });
                }
                if !more_info || overflow.is_none() {
                    // The figure said is the page's without the code: what
                    // the midwife must take out for it to print at all.
                    overflow = Some(over);
                }
            }
        }
    }
    let overflow = overflow.unwrap_or(0.0);

    let mut chosen: Vec<(usize, LongItem)> = handout
        .sections
        .iter()
        .filter(|section| section.role == SectionRole::Choose)
        .flat_map(|section| section.items.iter().map(move |item| (section, item)))
        .filter(|(_, item)| !item.caution)
        .map(|(section, item)| {
            let long = LongItem {
                id: item.id.to_string(),
                lead: item.lead.trim_end_matches(['.', ':']).to_string(),
                section: section.heading.to_string(),
                by_default: handout.by_default.contains(&section.key),
            };
            (item.lead.chars().count() + item.text.chars().count(), long)
        })
        .collect();
    chosen.sort_by_key(|(length, _)| std::cmp::Reverse(*length));
    Err(RenderError::DoesNotFit {
        over_mm: overflow / MM,
        longest: chosen.into_iter().take(3).map(|(_, item)| item).collect(),
        note_chars: handout.note.as_ref().map(|(_, note)| note.chars().count()),
        large_print,
    })
}
