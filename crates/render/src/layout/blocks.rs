//! Turns a handout into shaped blocks, by the role of each section.
//!
//! Every paragraph is shaped once, for all the styles the search tries. The
//! two columns are then a list of blocks in reading order: the introduction;
//! for an `info` or `choose` section its heading and one block per item; the
//! `urgent` section as one boxed block; the note. Only the role decides
//! which, never what a topic calls its sections. Large print sets the same
//! blocks in one column down two sides, the urgent box first.

use std::sync::Arc;

use handout_content::picture::Picture;
use handout_content::{Field, Handout, SectionRole};

use super::column::{Column, heading_size};
use super::fields::PreparedField;
use super::fit::Style;
use super::inline::{Paragraph, Pen, Span};
use super::more_info::MoreInfo;
use super::{ACCENT, INK, NOTE_FILL, URGENT_EDGE, URGENT_FILL, URGENT_INK};
use crate::RenderError;
use crate::fonts::{Face, Fonts};
use crate::page::{Color, Element, Path, PathOp, Rect};
use crate::role::{NotePart, Role, UrgentPart};
use crate::shape::{Glyph, Writing};

/// A section's shaped text.
pub(super) struct PreparedSection {
    pub role: SectionRole,
    pub heading: Paragraph,
    /// The heading set again over the rest of its list at the top of the
    /// second column: "To prevent it (continued)".
    pub continued: Paragraph,
    pub items: Vec<Paragraph>,
    /// Whether each item is a caution, kept in the column of the item
    /// before it, which it qualifies.
    pub cautions: Vec<bool>,
    /// Each item's pictogram, printed in its bullet's place.
    pub pictures: Vec<Option<Arc<Picture>>>,
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
    /// A web page for more information, printed in the footer as a QR
    /// code with its address beside it.
    pub more_info: Option<MoreInfo>,
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
                continued: bold(&handout.continued.replace("{heading}", section.heading)),
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
                pictures: section
                    .items
                    .iter()
                    .map(|item| item.picture.cloned())
                    .collect(),
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
            more_info: handout
                .more_info
                .as_ref()
                .map(|(label, address)| MoreInfo::new(fonts, label, address, writing)),
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
        places.extend(self.byline.iter().map(|field| (&field.text, field.place)));
        places.push((&self.intro, TOPIC));
        for section in &self.sections {
            places.push((&section.heading, TOPIC));
            places.push((&section.continued, TOPIC));
            places.extend(section.items.iter().map(|item| (item, TOPIC)));
        }
        if let Some((heading, text)) = &self.note {
            places.push((heading, TOPIC));
            places.push((text, RenderError::NOTE));
        }
        places.extend(self.footer.iter().map(|field| (&field.text, field.place)));
        if let Some(address) = &self.address {
            places.push((address, "the practice address"));
        }
        places.push((&self.record, TOPIC));
        places.extend(self.draft.iter().map(|draft| (draft, TOPIC)));
        places.extend(
            self.more_info
                .iter()
                .map(|more| (&more.text, "the address for more information")),
        );
        places.extend(self.sides.iter().flatten().map(|side| (side, TOPIC)));
        if let Some(both) = &self.address_and_record {
            places.push((both, "the practice address"));
        }
        places.push((&self.bullet, TOPIC));
        places.push((&self.separator, TOPIC));
        places
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
                            heading: &section.continued,
                            picture: section.pictures[i].as_deref(),
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
                    caution: section.cautions[i],
                    heading: &section.continued,
                    picture: section.pictures[i].as_deref(),
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

/// Space between a heading and its first item, in bodies: less than
/// between two items, so that a heading sits with the list it heads.
pub(super) const FIRST_ITEM_GAP: f32 = 0.2;

/// A piece of the two-column flow. Columns break only between blocks, never
/// right after a heading, and never between an item and its caution; a list
/// that goes on in the second column has its heading again there.
pub(super) enum Block<'a> {
    Intro(&'a Paragraph),
    Heading(&'a Paragraph),
    /// A section's heading set again over the rest of its list, at the top
    /// of the next column or side.
    HeadingAgain(&'a Paragraph),
    Item {
        paragraph: &'a Paragraph,
        first: bool,
        /// Whether it is a caution, which stays with the item before it.
        caution: bool,
        /// Its section's heading, set again above it when it starts a
        /// column.
        heading: &'a Paragraph,
        /// Its pictogram, printed in the bullet's place.
        picture: Option<&'a Picture>,
    },
    Urgent(&'a PreparedSection),
    Note(&'a Paragraph, &'a Paragraph),
}

impl Block<'_> {
    /// Whether the block is a heading, which a column must not end with.
    pub fn is_heading(&self) -> bool {
        matches!(self, Block::Heading(_) | Block::HeadingAgain(_))
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
        style.gap(match self {
            Block::Intro(_) => 0.0,
            Block::Heading(_) | Block::HeadingAgain(_) | Block::Urgent(_) | Block::Note(..) => {
                (0.25 + 0.8 * style.space) * body
            }
            Block::Item { first: true, .. } => FIRST_ITEM_GAP * body,
            Block::Item { first: false, .. } => style.item_gap(),
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
            Block::HeadingAgain(paragraph) => set.heading(paragraph, ACCENT, Role::HeadingAgain),
            Block::Item {
                paragraph, picture, ..
            } => set.item(paragraph, *picture, ACCENT, Role::ListItem),
            Block::Urgent(section) => urgent_box(&mut set, section),
            Block::Note(heading, text) => note_box(&mut set, heading, text),
        }
        let height = set.y;
        (set.elements, height)
    }
}

/// The thickness of the urgent box's frame: the heaviest line on the page,
/// so that the box stands out on a black-and-white printer, where its tint
/// is lost and its red is a grey like any other.
pub(super) const URGENT_FRAME: f32 = 2.5;

/// The "when to call" panel, filling the column: a heavy frame, a tint,
/// and a warning sign before its heading, so that it says "urgent" in
/// grey as well as in colour.
fn urgent_box(set: &mut Column<'_>, section: &PreparedSection) {
    let body = set.size();
    let edge = URGENT_FRAME;
    let pad = 0.5 * body;
    let (outer_left, outer_right) = (set.left, set.right);
    let top = set.y;
    set.y += pad;
    set.left = outer_left + edge + pad;
    set.right = outer_right - edge - pad;
    let size = heading_size(body);
    let sign = warning_sign(set.left, set.y + 0.8 * size, cap_height(Face::Bold) * size);
    let sign_right = sign[0].bounds()[2];
    let content_left = set.left;
    // The heading hangs beside the sign, its lines all starting after it.
    set.left = sign_right + 0.3 * size;
    set.elements.extend(sign.into_iter().map(Element::Path));
    set.heading(
        &section.heading,
        URGENT_INK,
        Role::Urgent(UrgentPart::Heading),
    );
    set.left = content_left;
    for (i, item) in section.items.iter().enumerate() {
        set.y += if i == 0 {
            set.style.gap(FIRST_ITEM_GAP * body)
        } else {
            set.style.item_gap()
        };
        set.item(item, section.pictures[i].as_deref(), URGENT_EDGE, |part| {
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

/// A face's cap height in ems, from its OS/2 table; 0.7, about that of
/// most sans faces, if it gives none.
fn cap_height(face: Face) -> f32 {
    use skrifa::raw::TableProvider;
    let font = skrifa::FontRef::new(face.bytes()).ok();
    font.and_then(|font| {
        let em = f32::from(font.head().ok()?.units_per_em());
        let cap = f32::from(font.os2().ok()?.s_cap_height()?);
        (cap > 0.0).then_some(cap / em)
    })
    .unwrap_or(0.7)
}

/// The warning sign: a filled triangle with a white exclamation mark, its
/// left corner at `left`, standing on `baseline`, drawn as shapes so that
/// it prints the same from any viewer on any printer. It is as tall as
/// a capital of `cap` points and a little more, as a triangle's point
/// looks shorter than a letter's flat top.
fn warning_sign(left: f32, baseline: f32, cap: f32) -> [Path; 2] {
    let height = 1.12 * cap;
    let width = 1.16 * height;
    // The round joins of the stroke soften the corners; the triangle is
    // drawn inside by half the stroke so its ink keeps to its box.
    let stroke = 0.12 * height;
    let inset = stroke / 2.0;
    let (bottom, apex) = (baseline - inset, baseline - height + inset);
    let triangle = Path {
        ops: vec![
            PathOp::Move(left + width / 2.0, apex),
            PathOp::Line(left + width - inset, bottom),
            PathOp::Line(left + inset, bottom),
            PathOp::Close,
        ],
        fill: Some(URGENT_EDGE),
        stroke: Some((URGENT_EDGE, stroke)),
        role: Role::Decoration,
    };
    let centre = left + width / 2.0;
    let at = |fraction: f32| baseline - fraction * height;
    // The bar narrows to its foot, as a drawn "!" does; the dot is a
    // circle of four quarter curves.
    let (top_half, foot_half) = (0.075 * height, 0.055 * height);
    let (radius, dot) = (0.07 * height, at(0.2));
    let k = 0.552_284_8 * radius;
    let white = Color(0xff, 0xff, 0xff);
    let mark = Path {
        ops: vec![
            PathOp::Move(centre - top_half, at(0.72)),
            PathOp::Line(centre + top_half, at(0.72)),
            PathOp::Line(centre + foot_half, at(0.36)),
            PathOp::Line(centre - foot_half, at(0.36)),
            PathOp::Close,
            PathOp::Move(centre + radius, dot),
            PathOp::Cubic(
                [centre + radius, dot + k],
                [centre + k, dot + radius],
                [centre, dot + radius],
            ),
            PathOp::Cubic(
                [centre - k, dot + radius],
                [centre - radius, dot + k],
                [centre - radius, dot],
            ),
            PathOp::Cubic(
                [centre - radius, dot - k],
                [centre - k, dot - radius],
                [centre, dot - radius],
            ),
            PathOp::Cubic(
                [centre + k, dot - radius],
                [centre + radius, dot - k],
                [centre + radius, dot],
            ),
            PathOp::Close,
        ],
        fill: Some(white),
        stroke: None,
        role: Role::Decoration,
    };
    [triangle, mark]
}

/// The midwife's note: a tinted panel with a bar down its left side.
fn note_box(set: &mut Column<'_>, heading: &Paragraph, text: &Paragraph) {
    let body = set.size();
    let bar = 3.0;
    let pad = 0.5 * body;
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
