//! The search for the largest style in which a handout fits its page.

use handout_content::{Handout, Paper, SectionRole};

use super::blocks::Prepared;
use super::{MIN_BODY_PT, MM, pages};
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
}

impl Style {
    /// Line height as a multiple of the size: 1.4 with generous space,
    /// 1.26 at the tightest (it was 1.29: the difference pays for the
    /// space between list items, which a reader misses more).
    pub fn leading(self) -> f32 {
        1.2 + 0.2 * self.space
    }

    /// Space between two items of a list: a line's pitch and more, never
    /// less than a fifth of the body more, so that even the tightest style
    /// sets each item apart, as a reader scanning the list for hers needs.
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
            sizes
                .into_iter()
                .flat_map(move |body| [1.0, 0.75, 0.5].map(|space| Style { body, space, keep }))
                .chain([Style {
                    body: MIN_BODY_PT,
                    space: 0.3,
                    keep,
                }])
        })
    }
}

/// The style a handout was found to fit its paper in. It is only good for
/// the handout and paper it was found for; small and `Copy`, so that a
/// batch can keep one for every row between checking and making them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub(super) style: Style,
    pub(super) paper: Paper,
}

impl Fit {
    /// The body text size, in points.
    pub fn body_size(&self) -> f32 {
        self.style.body
    }
}

/// The largest style in which the handout fits, or why none does.
pub(super) fn search(
    prepared: &Prepared,
    handout: &Handout,
    paper: Paper,
) -> Result<Fit, RenderError> {
    if let Some((character, place)) = prepared.unprintable() {
        return Err(RenderError::Unprintable { character, place });
    }
    if let Some(place) = prepared.overdrawn {
        return Err(RenderError::Overdrawn { place });
    }
    let mut overflow = 0.0;
    for style in Style::sequence() {
        let (_, over) = pages::set_page(prepared, style, paper, false);
        if over <= 0.0 {
            return Ok(Fit { style, paper });
        }
        overflow = over;
    }

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
    })
}
