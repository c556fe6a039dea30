//! Turns a handout into shaped blocks, by the role of each section.
//!
//! Every paragraph is shaped once, for all the styles the search tries. The
//! two columns are then a list of blocks in reading order: the introduction;
//! for an `info` or `choose` section its heading and one block per item; the
//! `urgent` section as one boxed block; the note. Only the role decides
//! which, never what a topic calls its sections. Large print sets the same
//! blocks in one column down two sides, the urgent box first.

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
use crate::shape::Glyph;

/// A section's shaped text.
pub(super) struct PreparedSection {
    pub role: SectionRole,
    pub heading: Paragraph,
    pub items: Vec<Paragraph>,
}

/// Every paragraph of the handout, shaped once for all the styles.
pub(super) struct Prepared {
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
    /// In large print, what the foot of each side says: "Page 1 of 2 ·
    /// please turn over", "Page 2 of 2".
    pub sides: Option<[Paragraph; 2]>,
    pub bullet: Paragraph,
    pub separator: Paragraph,
    /// The first text with a glyph that reaches past its face's height or
    /// depth, over the lines around it.
    pub overdrawn: Option<&'static str>,
}

impl Prepared {
    /// Shapes every paragraph of `handout`, and in `large_print` the words
    /// at the foot of each side.
    pub fn new(fonts: &Fonts, handout: &Handout, large_print: bool) -> Prepared {
        // Fixed text (the topic's words, headings, labels) is shaped once per
        // process; the patient's details and the note every time.
        let fixed = |text: &str, bold: bool| {
            Paragraph::new(
                fonts,
                &[Span {
                    text,
                    bold,
                    fixed: true,
                }],
            )
        };
        let plain = |text: &str| {
            Paragraph::new(
                fonts,
                &[Span {
                    text,
                    bold: false,
                    fixed: false,
                }],
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
                        Paragraph::new(
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
                        )
                    })
                    .collect(),
            })
            .collect();
        let fields = |fields: &[Field]| {
            fields
                .iter()
                .map(|field| PreparedField::new(fonts, field))
                .collect()
        };
        let mut prepared = Prepared {
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
            sides: large_print.then(|| handout.sides.map(|side| fixed(side, true))),
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
        places.extend(self.sides.iter().flatten().map(|side| (side, TOPIC)));
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

    /// Characters no embedded face can draw, with where they are.
    pub fn unprintable(&self) -> Option<(String, &'static str)> {
        self.paragraphs()
            .into_iter()
            .find_map(|(paragraph, place)| {
                let missing: String = (0..paragraph.glyphs.len())
                    .filter(|&i| paragraph.glyphs[i].id == 0)
                    .map(|i| paragraph.cluster_text(i))
                    .filter(|text| !text.trim().is_empty())
                    .collect();
                (!missing.is_empty()).then_some((missing, place))
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

    /// The blocks of large print's one column, in reading order, each with
    /// the place among the `info` items of the item it is, or of a heading's
    /// first item: the introduction, then the urgent box, so that it is on
    /// the first side whatever follows, then the sections and the note as in
    /// [`Prepared::blocks`]. Leaving out the last `info` items, and a heading
    /// whose items all are, is what large print does when two sides cannot
    /// hold them all.
    pub fn large_blocks(&self) -> Vec<(Block<'_>, Option<usize>)> {
        let mut blocks = vec![(Block::Intro(&self.intro), None)];
        blocks.extend(
            self.sections
                .iter()
                .filter(|section| section.role == SectionRole::Urgent)
                .map(|section| (Block::Urgent(section), None)),
        );
        let mut info = 0;
        for section in &self.sections {
            let first = match section.role {
                SectionRole::Urgent => continue,
                SectionRole::Choose => None,
                SectionRole::Info => Some(info),
            };
            blocks.push((Block::Heading(&section.heading), first));
            blocks.extend(section.items.iter().enumerate().map(|(i, paragraph)| {
                let item = Block::Item {
                    paragraph,
                    first: i == 0,
                };
                (item, first.map(|first| first + i))
            }));
            if first.is_some() {
                info += section.items.len();
            }
        }
        if let Some((heading, text)) = &self.note {
            blocks.push((Block::Note(heading, text), None));
        }
        blocks
    }

    /// How many `info` items there are, which large print may leave out.
    pub fn info_items(&self) -> usize {
        self.sections
            .iter()
            .filter(|section| section.role == SectionRole::Info)
            .map(|section| section.items.len())
            .sum()
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

/// A piece of the two-column flow. Columns break only between blocks, and
/// never right after a heading.
pub(super) enum Block<'a> {
    Intro(&'a Paragraph),
    Heading(&'a Paragraph),
    Item {
        paragraph: &'a Paragraph,
        first: bool,
    },
    Urgent(&'a PreparedSection),
    Note(&'a Paragraph, &'a Paragraph),
}

impl Block<'_> {
    /// Whether the block is a heading, which a column must not end with.
    pub fn is_heading(&self) -> bool {
        matches!(self, Block::Heading(_))
    }

    /// Space above the block when it does not start a column.
    pub fn gap_before(&self, style: Style) -> f32 {
        let body = style.body;
        style.gap(match self {
            Block::Intro(_) => 0.0,
            Block::Heading(_) | Block::Urgent(_) | Block::Note(..) => {
                (0.4 + 0.8 * style.space) * body
            }
            Block::Item { first: true, .. } => 0.3 * body,
            Block::Item { first: false, .. } => 0.4 * body * style.space,
        })
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
        set.y += if i == 0 {
            set.style.gap(0.3 * body)
        } else {
            set.item_gap()
        };
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
    set.y += set.style.gap(0.2 * body);
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
