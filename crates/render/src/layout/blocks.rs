//! Turns a handout into shaped blocks, by the role of each section.
//!
//! Every paragraph is shaped once, for all the styles the search tries. The
//! two columns are then a list of blocks in reading order: the introduction;
//! for an `info` or `choose` section its heading and one block per item; the
//! `urgent` section as one boxed block; the note. Only the role decides
//! which, never what a topic calls its sections.

use handout_content::{Field, Handout, SectionRole};

use super::column::Column;
use super::fields::PreparedField;
use super::fit::Style;
use super::inline::{Paragraph, Pen, Span};
use super::{ACCENT, INK, NOTE_FILL, URGENT_EDGE, URGENT_FILL, URGENT_INK};
use crate::RenderError;
use crate::fonts::Fonts;
use crate::glyphs::GlyphUse;
use crate::page::{Color, Element, Rect};
use crate::role::{NotePart, Role, UrgentPart};
use crate::shape::{Glyph, Writing};

/// A section's shaped text.
pub(super) struct PreparedSection {
    pub role: SectionRole,
    pub heading: Paragraph,
    pub items: Vec<Paragraph>,
    /// Whether each item is a caution, kept in the column of the item
    /// before it, which it qualifies.
    pub cautions: Vec<bool>,
}

/// Every paragraph of the handout, shaped once for all the styles.
pub(super) struct Prepared {
    /// How the leaflet is written: a right-to-left one is set mirrored.
    pub writing: Writing,
    pub title: Paragraph,
    pub byline: Vec<PreparedField>,
    pub intro: Paragraph,
    pub sections: Vec<PreparedSection>,
    pub note: Option<(Paragraph, Paragraph)>,
    pub footer: Vec<PreparedField>,
    pub address: Option<Paragraph>,
    /// The text's version and review, at the foot.
    pub record: Paragraph,
    /// The address and the record on one line, used when they fit on one.
    pub address_and_record: Option<Paragraph>,
    /// A draft's warning, in its language and in English, above the footer.
    pub draft: Option<Paragraph>,
    pub bullet: Paragraph,
    pub separator: Paragraph,
    /// The first text with a glyph that reaches past its face's height or
    /// depth, over the lines around it.
    pub overdrawn: Option<&'static str>,
}

impl Prepared {
    pub fn new(fonts: &Fonts, handout: &Handout) -> Prepared {
        // Fixed text (the topic's words, headings, labels) is shaped once per
        // process; the patient's details and the note every time.
        let writing = Writing::of_language(handout.language);
        let fixed = |text: &str, bold: bool| {
            Paragraph::written(
                fonts,
                &[Span {
                    text,
                    bold,
                    fixed: true,
                }],
                writing,
            )
        };
        let plain = |text: &str| {
            Paragraph::written(
                fonts,
                &[Span {
                    text,
                    bold: false,
                    fixed: false,
                }],
                writing,
            )
        };
        let bold = |text: &str| fixed(text, true);
        let sections = handout
            .sections
            .iter()
            .map(|section| PreparedSection {
                role: section.role,
                heading: bold(section.heading),
                items: section
                    .items
                    .iter()
                    .map(|item| {
                        Paragraph::written(
                            fonts,
                            &[
                                Span {
                                    text: &item.lead,
                                    bold: true,
                                    fixed: true,
                                },
                                Span {
                                    text: " ",
                                    bold: false,
                                    fixed: true,
                                },
                                Span {
                                    text: &item.text,
                                    bold: false,
                                    fixed: true,
                                },
                            ],
                            writing,
                        )
                    })
                    .collect(),
                cautions: section.items.iter().map(|item| item.caution).collect(),
            })
            .collect();
        let fields = |fields: &[Field]| {
            fields
                .iter()
                .map(|field| PreparedField::new(fonts, field, writing))
                .collect()
        };
        let mut prepared = Prepared {
            writing,
            title: bold(handout.title),
            byline: fields(&handout.byline),
            intro: fixed(handout.intro, false),
            sections,
            note: handout
                .note
                .as_ref()
                .map(|(heading, text)| (bold(heading), plain(text))),
            footer: fields(&handout.footer),
            address: handout.address.as_deref().map(plain),
            record: fixed(&handout.review, false),
            address_and_record: handout
                .address
                .as_deref()
                .map(|address| plain(&format!("{address} · {}", handout.review))),
            draft: (!handout.draft.is_empty()).then(|| bold(&handout.draft.join(" · "))),
            bullet: bold("•"),
            separator: fixed("·", false),
            overdrawn: None,
        };
        prepared.overdrawn = prepared
            .paragraphs()
            .into_iter()
            .find_map(|(paragraph, place)| {
                paragraph
                    .glyphs
                    .iter()
                    .any(|glyph| overdraws(fonts, glyph))
                    .then_some(place)
            });
        prepared
    }

    /// Every paragraph the page may set, each with what it holds in the
    /// words of an error: the one list that finding the glyphs and finding
    /// what cannot be printed both walk, in the page's reading order.
    fn paragraphs(&self) -> Vec<(&Paragraph, &'static str)> {
        const TOPIC: &str = "the topic text";
        let mut places: Vec<(&Paragraph, &'static str)> = vec![(&self.title, TOPIC)];
        places.extend(
            self.byline
                .iter()
                .map(|field| (&field.text, RenderError::NAME)),
        );
        places.push((&self.intro, TOPIC));
        for section in &self.sections {
            places.push((&section.heading, TOPIC));
            places.extend(section.items.iter().map(|item| (item, TOPIC)));
        }
        if let Some((heading, text)) = &self.note {
            places.push((heading, TOPIC));
            places.push((text, "the note"));
        }
        places.extend(
            self.footer
                .iter()
                .map(|field| (&field.text, "the midwife or practice details")),
        );
        if let Some(address) = &self.address {
            places.push((address, "the practice address"));
        }
        places.push((&self.record, TOPIC));
        places.extend(self.draft.iter().map(|draft| (draft, TOPIC)));
        if let Some(both) = &self.address_and_record {
            places.push((both, "the practice address"));
        }
        places.push((&self.bullet, TOPIC));
        places.push((&self.separator, TOPIC));
        places
    }

    /// Every glyph the page can draw, with its text: every paragraph's, but
    /// for the line breaks a note may hold, which end a line and are never
    /// drawn. A few more are never drawn (the address and the text's record
    /// are set on one line or two, whichever fits), which costs a combined
    /// file's subsets a glyph at most: a superset is all a subset needs.
    pub fn glyphs(&self) -> GlyphUse {
        let mut used = GlyphUse::default();
        for (paragraph, _) in self.paragraphs() {
            paragraph.add_glyphs(&mut used);
        }
        used
    }

    /// The first character no embedded face can draw, with where it is:
    /// the first of a cluster that every face left as `.notdef`.
    pub fn unprintable(&self) -> Option<(char, &'static str)> {
        self.paragraphs()
            .into_iter()
            .find_map(|(paragraph, place)| {
                (0..paragraph.glyphs.len())
                    .filter(|&i| paragraph.glyphs[i].id == 0)
                    .find_map(|i| paragraph.cluster_text(i).trim().chars().next())
                    .map(|character| (character, place))
            })
    }

    /// The blocks of the two columns, in reading order.
    pub fn blocks(&self) -> Vec<Block<'_>> {
        let mut blocks = vec![Block::Intro(&self.intro)];
        for section in &self.sections {
            match section.role {
                SectionRole::Urgent => blocks.push(Block::Urgent(section)),
                SectionRole::Info | SectionRole::Choose => {
                    blocks.push(Block::Heading(&section.heading));
                    blocks.extend(section.items.iter().enumerate().map(|(i, paragraph)| {
                        Block::Item {
                            paragraph,
                            first: i == 0,
                            caution: section.cautions[i],
                            heading: &section.heading,
                        }
                    }));
                }
            }
        }
        if let Some((heading, text)) = &self.note {
            blocks.push(Block::Note(heading, text));
        }
        blocks
    }
}

/// Whether a glyph that shaping moved up or down (a stacked mark) reaches
/// past its face's height or depth, where it would draw over the lines
/// around its own. A glyph that was not moved stays within its face.
fn overdraws(fonts: &Fonts, glyph: &Glyph) -> bool {
    /// Rounding in the font's units, and no more.
    const SLACK: f32 = 0.01;
    if glyph.y_offset == 0.0 {
        return false;
    }
    let (below, above) = fonts.reach(glyph.face);
    fonts
        .ink(glyph)
        .is_some_and(|(bottom, top)| top > above + SLACK || bottom < below - SLACK)
}

/// A piece of the two-column flow. Columns break only between blocks, never
/// right after a heading, and never between an item and its caution; a list
/// that goes on in the second column has its heading again there.
pub(super) enum Block<'a> {
    Intro(&'a Paragraph),
    Heading(&'a Paragraph),
    Item {
        paragraph: &'a Paragraph,
        first: bool,
        /// Whether it is a caution, which stays with the item before it.
        caution: bool,
        /// Its section's heading, set again above it when it starts a
        /// column.
        heading: &'a Paragraph,
    },
    Urgent(&'a PreparedSection),
    Note(&'a Paragraph, &'a Paragraph),
}

impl Block<'_> {
    /// Whether the block is a heading, which a column must not end with.
    pub fn is_heading(&self) -> bool {
        matches!(self, Block::Heading(_))
    }

    /// Whether the block is a caution, which a column must not start with.
    pub fn is_caution(&self) -> bool {
        matches!(self, Block::Item { caution: true, .. })
    }

    /// For an item, its section's heading: set again above it when the
    /// item starts a column, so that no list goes on under no heading.
    pub fn continued_heading(&self) -> Option<&Paragraph> {
        match self {
            Block::Item { heading, .. } => Some(heading),
            _ => None,
        }
    }

    /// Space above the block when it does not start a column.
    pub fn gap_before(&self, style: Style) -> f32 {
        let body = style.body;
        match self {
            Block::Intro(_) => 0.0,
            Block::Heading(_) | Block::Urgent(_) | Block::Note(..) => {
                (0.4 + 0.8 * style.space) * body
            }
            Block::Item { first: true, .. } => 0.3 * body,
            Block::Item { first: false, .. } => 0.4 * body * style.space,
        }
    }

    /// Sets the block at the top of a column from `left` to `right`, and
    /// returns its items (y from 0) and height.
    pub fn set(
        &self,
        prepared: &Prepared,
        style: Style,
        left: f32,
        right: f32,
        emit: bool,
    ) -> (Vec<Element>, f32) {
        let mut set = Column::new(prepared, style, left, right, 0.0, emit);
        let body = style.body;
        match self {
            Block::Intro(paragraph) => {
                let pen = Pen {
                    size: body,
                    color: INK,
                    role: Role::Paragraph,
                };
                set.paragraph(paragraph, left, right - left, style.leading(), pen);
            }
            Block::Heading(paragraph) => set.heading(paragraph, ACCENT, Role::Heading),
            Block::Item { paragraph, .. } => set.item(paragraph, ACCENT, Role::ListItem),
            Block::Urgent(section) => urgent_box(&mut set, section),
            Block::Note(heading, text) => note_box(&mut set, heading, text),
        }
        let height = set.y;
        (set.elements, height)
    }
}

/// The shaded "when to call" panel, filling the column.
fn urgent_box(set: &mut Column<'_>, section: &PreparedSection) {
    let body = set.size();
    let edge = 1.5;
    let pad = 0.6 * body;
    let (outer_left, outer_right) = (set.left, set.right);
    let top = set.y;
    set.y += pad;
    set.left = outer_left + edge + pad;
    set.right = outer_right - edge - pad;
    set.heading(
        &section.heading,
        URGENT_INK,
        Role::Urgent(UrgentPart::Heading),
    );
    for (i, item) in section.items.iter().enumerate() {
        set.y += if i == 0 { 0.3 * body } else { set.item_gap() };
        set.item(item, URGENT_EDGE, |part| {
            Role::Urgent(UrgentPart::Item(part))
        });
    }
    set.y += pad;
    set.left = outer_left;
    set.right = outer_right;
    // The box comes before what it holds: drawn first, read first.
    set.elements.insert(
        0,
        Element::Rect(Rect {
            x: outer_left + edge / 2.0,
            y: top + edge / 2.0,
            width: outer_right - outer_left - edge,
            height: set.y - top - edge,
            fill: Some(URGENT_FILL),
            stroke: Some((URGENT_EDGE, edge)),
            role: Role::Urgent(UrgentPart::Box),
        }),
    );
}

/// The midwife's note: a tinted panel with a bar down its left side.
fn note_box(set: &mut Column<'_>, heading: &Paragraph, text: &Paragraph) {
    let body = set.size();
    let bar = 3.0;
    let pad = 0.6 * body;
    let top = set.y;
    let (outer_left, outer_right) = (set.left, set.right);
    set.y += pad;
    let left = outer_left + bar + pad;
    let width = outer_right - pad - left;
    let leading = set.style.leading();
    let pen = |color, part| Pen {
        size: body,
        color,
        role: Role::Note(part),
    };
    set.paragraph(
        heading,
        left,
        width,
        leading,
        pen(ACCENT, NotePart::Heading),
    );
    set.y += 0.2 * body;
    set.paragraph(text, left, width, leading, pen(INK, NotePart::Text));
    set.y += pad;
    let height = set.y - top;
    let panel = |x: f32, width: f32, fill: Color| {
        Element::Rect(Rect {
            x,
            y: top,
            width,
            height,
            fill: Some(fill),
            stroke: None,
            role: Role::Decoration,
        })
    };
    set.elements.insert(0, panel(outer_left, bar, ACCENT));
    set.elements
        .insert(0, panel(outer_left, outer_right - outer_left, NOTE_FILL));
}
