//! Sets a resolved handout on one page.
//!
//! Everything is shaped once; then the page is set in a series of styles,
//! from 14 pt with generous space down to 12 pt (the clear-print minimum)
//! with tight space, and the first style that fits wins. Nothing is ever
//! set below 12 pt: a selection that does not fit then is an error that
//! says by how much and which chosen items are longest.

use handout_content::{Field, FieldKind, Handout, Paper, Role};

use crate::RenderError;
use crate::fonts::Fonts;
use crate::inline::{Line, Paragraph, Span};
use crate::page::{Color, Item, Page, PlacedGlyph, Rect, Rule, TextRun};

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// The margin on every side.
pub const MARGIN_MM: f32 = 16.0;
/// The smallest body size ever set (RNIB clear print).
pub const MIN_BODY_PT: f32 = 12.0;
/// Footer text size: small print is still clear print.
const FOOTER_PT: f32 = 12.0;
/// Space between the two columns.
const GUTTER_MM: f32 = 7.0;
/// Space between two fields of the byline or footer, in ems; a dot sits
/// in the middle of it between two values.
const FIELD_GAP_EM: f32 = 1.2;
/// How far below the baseline a write-in line is ruled, in points: where
/// handwriting sits, clear of the label's text.
const WRITE_IN_DROP: f32 = 1.5;

const INK: Color = Color(0x1a, 0x1a, 0x1a);
const MUTED: Color = Color(0x3d, 0x3d, 0x3d);
const ACCENT: Color = Color(0x0b, 0x5a, 0x69);
const URGENT_INK: Color = Color(0x9b, 0x1c, 0x12);
const URGENT_EDGE: Color = Color(0xb4, 0x23, 0x18);
const URGENT_FILL: Color = Color(0xfd, 0xee, 0xeb);
const NOTE_FILL: Color = Color(0xec, 0xf4, 0xf6);
const HAIRLINE: Color = Color(0x9a, 0xa5, 0xa8);

/// Page width and height in points.
pub fn paper_size(paper: Paper) -> (f32, f32) {
    match paper {
        Paper::A4 => (210.0 * MM, 297.0 * MM),
        Paper::Letter => (8.5 * 72.0, 11.0 * 72.0),
    }
}

/// One step of the fitting sequence.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// Body text size in points.
    body: f32,
    /// Scale of the vertical space between blocks, 1 the most generous.
    space: f32,
}

impl Style {
    /// Line height as a multiple of the size: 1.4 with generous space.
    fn leading(self) -> f32 {
        1.24 + 0.16 * self.space
    }

    /// The styles to try, most generous first.
    fn sequence() -> impl Iterator<Item = Style> {
        let sizes = [14.0, 13.5, 13.0, 12.5, MIN_BODY_PT];
        sizes
            .into_iter()
            .flat_map(|body| [1.0, 0.75, 0.5].map(|space| Style { body, space }))
            .chain([Style {
                body: MIN_BODY_PT,
                space: 0.3,
            }])
    }
}

/// A section's shaped text.
struct PreparedSection {
    role: Role,
    heading: Paragraph,
    items: Vec<Paragraph>,
}

/// One field of the byline or footer: its text, and the room a write-in
/// line after it takes, if it has one.
struct PreparedField {
    text: Paragraph,
    write_in: Option<f32>,
}

impl PreparedField {
    fn new(fonts: &Fonts, field: &Field) -> PreparedField {
        let label = field.label.as_ref().map(|label| format!("{label}: "));
        let mut spans = Vec::with_capacity(2);
        if let Some(label) = &label {
            spans.push(Span {
                text: label,
                bold: true,
                fixed: true,
            });
        }
        if let Some(value) = &field.value {
            spans.push(Span {
                text: value,
                // The practice's name stands unlabelled, so bold sets it apart.
                bold: field.kind == FieldKind::Practice,
                fixed: false,
            });
        }
        PreparedField {
            text: Paragraph::new(fonts, &spans),
            write_in: field.value.is_none().then(|| write_in_room(field.kind)),
        }
    }
}

/// The room a write-in line takes after its label, the small space before
/// the rule included: enough to write the field by hand.
fn write_in_room(kind: FieldKind) -> f32 {
    let mm = match kind {
        FieldKind::Patient => 60.0,
        FieldKind::Weeks => 18.0,
        FieldKind::Date => 32.0,
        FieldKind::Midwife | FieldKind::Practice | FieldKind::Phone => 55.0,
    };
    mm * MM
}

/// Every paragraph of the handout, shaped once for all the styles.
struct Prepared {
    title: Paragraph,
    byline: Vec<PreparedField>,
    intro: Paragraph,
    sections: Vec<PreparedSection>,
    note: Option<(Paragraph, Paragraph)>,
    footer: Vec<PreparedField>,
    address: Option<Paragraph>,
    bullet: Paragraph,
    separator: Paragraph,
}

impl Prepared {
    fn new(fonts: &Fonts, handout: &Handout) -> Prepared {
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
                heading: bold(&section.heading),
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
        Prepared {
            title: bold(&handout.title),
            byline: fields(&handout.byline),
            intro: fixed(&handout.intro, false),
            sections,
            note: handout
                .note
                .as_ref()
                .map(|(heading, text)| (bold(heading), plain(text))),
            footer: fields(&handout.footer),
            address: handout.address.as_deref().map(plain),
            bullet: bold("•"),
            separator: fixed("·", false),
        }
    }

    /// Characters no embedded face can draw, with where they are.
    fn unprintable(&self) -> Option<(String, &'static str)> {
        let mut places: Vec<(&Paragraph, &'static str)> = vec![(&self.title, "the topic text")];
        places.extend(self.byline.iter().map(|field| (&field.text, "the name")));
        places.push((&self.intro, "the topic text"));
        for section in &self.sections {
            places.push((&section.heading, "the topic text"));
            places.extend(section.items.iter().map(|item| (item, "the topic text")));
        }
        if let Some((heading, text)) = &self.note {
            places.push((heading, "the topic text"));
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
        places.into_iter().find_map(|(paragraph, place)| {
            let missing: String = (0..paragraph.glyphs.len())
                .filter(|&i| paragraph.glyphs[i].id == 0)
                .map(|i| paragraph.cluster_text(i))
                .filter(|text| !text.trim().is_empty())
                .collect();
            (!missing.is_empty()).then_some((missing, place))
        })
    }
}

/// Lays out a handout on one page of `paper`, in the largest style that fits.
pub fn layout_handout(fonts: &Fonts, handout: &Handout, paper: Paper) -> Result<Page, RenderError> {
    let prepared = Prepared::new(fonts, handout);
    let style = fit(&prepared, handout, paper)?;
    Ok(set_page(&prepared, style, paper, true).0)
}

/// Checks that a handout can be laid out, without placing a glyph: what a
/// batch does for every row before it writes anything.
pub fn check_handout(fonts: &Fonts, handout: &Handout, paper: Paper) -> Result<(), RenderError> {
    fit(&Prepared::new(fonts, handout), handout, paper).map(|_| ())
}

/// The largest style in which the handout fits, or why none does.
fn fit(prepared: &Prepared, handout: &Handout, paper: Paper) -> Result<Style, RenderError> {
    if let Some((characters, place)) = prepared.unprintable() {
        return Err(RenderError::Unprintable { characters, place });
    }
    let mut overflow = 0.0;
    for style in Style::sequence() {
        let (_, over) = set_page(prepared, style, paper, false);
        if over <= 0.0 {
            return Ok(style);
        }
        overflow = over;
    }

    let mut chosen: Vec<(usize, &str)> = handout
        .sections
        .iter()
        .filter(|section| section.role == Role::Choose)
        .flat_map(|section| &section.items)
        .filter(|item| !item.caution)
        .map(|item| {
            (
                item.lead.chars().count() + item.text.chars().count(),
                item.id.as_str(),
            )
        })
        .collect();
    chosen.sort_by_key(|&(length, _)| std::cmp::Reverse(length));
    Err(RenderError::DoesNotFit {
        over_mm: overflow / MM,
        longest: chosen
            .iter()
            .take(3)
            .map(|(_, id)| id.to_string())
            .collect(),
        note_chars: handout.note.as_ref().map(|(_, note)| note.chars().count()),
    })
}

/// Builds items top to bottom in a column.
struct Setter<'a> {
    items: Vec<Item>,
    style: Style,
    left: f32,
    right: f32,
    y: f32,
    prepared: &'a Prepared,
    /// Whether to make text runs, or only measure. Fitting tries many
    /// styles; only the one that fits needs its glyphs placed.
    emit: bool,
}

impl<'a> Setter<'a> {
    fn new(
        prepared: &'a Prepared,
        style: Style,
        left: f32,
        right: f32,
        y: f32,
        emit: bool,
    ) -> Setter<'a> {
        Setter {
            items: Vec::new(),
            style,
            left,
            right,
            y,
            prepared,
            emit,
        }
    }

    /// Places one broken line of a paragraph.
    fn line(
        &mut self,
        paragraph: &Paragraph,
        line: &Line,
        x: f32,
        baseline: f32,
        size: f32,
        color: Color,
    ) {
        if self.emit {
            push_line(&mut self.items, paragraph, line, x, baseline, size, color);
        }
    }

    fn size(&self) -> f32 {
        self.style.body
    }

    /// Sets a paragraph at `x` in a column of `width`, its first line's
    /// top at the current position, and moves below it.
    fn paragraph(
        &mut self,
        paragraph: &Paragraph,
        x: f32,
        width: f32,
        size: f32,
        leading: f32,
        color: Color,
    ) {
        let lines = paragraph.break_lines(width / size);
        let baseline = self.y + 0.8 * size;
        for (i, line) in lines.iter().enumerate() {
            self.line(
                paragraph,
                line,
                x,
                baseline + i as f32 * size * leading,
                size,
                color,
            );
        }
        self.y = baseline + (lines.len().max(1) - 1) as f32 * size * leading + 0.25 * size;
    }

    /// A section heading across the column.
    fn heading(&mut self, paragraph: &Paragraph, color: Color) {
        let size = heading_size(self.size());
        self.paragraph(
            paragraph,
            self.left,
            self.right - self.left,
            size,
            1.15,
            color,
        );
    }

    /// One bulleted item with a hanging indent.
    fn item(&mut self, item: &Paragraph, bullet: Color) {
        let size = self.size();
        let indent = 1.0 * size;
        let baseline = self.y + 0.8 * size;
        let dot = &self.prepared.bullet;
        if let Some(line) = dot.break_lines(f32::INFINITY).first() {
            self.line(dot, line, self.left + 0.1 * size, baseline, size, bullet);
        }
        let (left, width) = (self.left + indent, self.right - self.left - indent);
        self.paragraph(item, left, width, size, self.style.leading(), INK);
    }

    /// Space between two items of a list.
    fn item_gap(&self) -> f32 {
        0.4 * self.size() * self.style.space
    }
}

fn heading_size(body: f32) -> f32 {
    (body * 1.2 * 2.0).round() / 2.0
}

/// A piece of the two-column flow. Columns break only between blocks, and
/// never right after a heading.
enum Block<'a> {
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
    /// Space above the block when it does not start a column.
    fn gap_before(&self, style: Style) -> f32 {
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
    fn set(
        &self,
        prepared: &Prepared,
        style: Style,
        left: f32,
        right: f32,
        emit: bool,
    ) -> (Vec<Item>, f32) {
        let mut set = Setter::new(prepared, style, left, right, 0.0, emit);
        let body = style.body;
        match self {
            Block::Intro(paragraph) => {
                set.paragraph(paragraph, left, right - left, body, style.leading(), INK)
            }
            Block::Heading(paragraph) => set.heading(paragraph, ACCENT),
            Block::Item { paragraph, .. } => set.item(paragraph, ACCENT),
            Block::Urgent(section) => urgent_box(&mut set, section),
            Block::Note(heading, text) => note_box(&mut set, heading, text),
        }
        let height = set.y;
        (set.items, height)
    }
}

/// Sets the page in one style. Returns the page and by how many points the
/// content overlaps the footer's space (zero or less when it fits).
fn set_page(prepared: &Prepared, style: Style, paper: Paper, emit: bool) -> (Page, f32) {
    let (width, height) = paper_size(paper);
    let margin = MARGIN_MM * MM;
    let body = style.body;
    let mut set = Setter::new(prepared, style, margin, width - margin, margin, emit);
    let measure = set.right - set.left;

    set.paragraph(
        &prepared.title,
        set.left,
        measure,
        (body * 1.9).round(),
        1.1,
        ACCENT,
    );
    set.y += 0.4 * body;
    let byline = flow_fields(&prepared.byline, body, measure);
    let baseline = set.y + 0.8 * body;
    let leading = body * style.leading();
    set_fields(
        &mut set,
        &prepared.byline,
        &byline,
        baseline,
        body,
        leading,
        MUTED,
    );
    set.y = baseline + (byline.lines - 1) as f32 * leading + 0.25 * body;
    set.y += 0.5 * body;
    set.items.push(Item::Rule(Rule {
        x: set.left,
        x_end: set.right,
        y: set.y,
        thickness: 1.5,
        color: ACCENT,
    }));
    set.y += 0.75 * body;
    let flow_top = set.y;
    let footer_top = footer(&mut set, prepared, height - margin);

    // The blocks of the two columns, in reading order.
    let mut blocks = vec![Block::Intro(&prepared.intro)];
    for section in &prepared.sections {
        if section.role == Role::Urgent {
            blocks.push(Block::Urgent(section));
            continue;
        }
        blocks.push(Block::Heading(&section.heading));
        blocks.extend(
            section
                .items
                .iter()
                .enumerate()
                .map(|(i, paragraph)| Block::Item {
                    paragraph,
                    first: i == 0,
                }),
        );
    }
    if let Some((heading, text)) = &prepared.note {
        blocks.push(Block::Note(heading, text));
    }

    let gutter = GUTTER_MM * MM;
    let column = (measure - gutter) / 2.0;
    let set_blocks: Vec<(Vec<Item>, f32, f32)> = blocks
        .iter()
        .map(|block| {
            let (items, height) = block.set(prepared, style, 0.0, column, emit);
            (items, height, block.gap_before(style))
        })
        .collect();
    let split = balance(&blocks, &set_blocks);
    let mut tallest: f32 = 0.0;
    for (column_index, range) in [0..split, split..blocks.len()].into_iter().enumerate() {
        let x = set.left + column_index as f32 * (column + gutter);
        let mut y = flow_top;
        for (i, (items, block_height, gap)) in set_blocks[range.clone()].iter().enumerate() {
            if i > 0 {
                y += gap;
            }
            set.items
                .extend(items.iter().cloned().map(|item| moved(item, x, y)));
            y += block_height;
        }
        tallest = tallest.max(y);
    }

    let over = tallest + 0.9 * body - footer_top;
    let page = Page {
        width,
        height,
        margin,
        body_size: body,
        items: set.items,
    };
    (page, over)
}

/// Where to start the second column: the split that makes the taller column
/// shortest, never right after a heading. Ties keep more in the first column.
fn balance(blocks: &[Block<'_>], set: &[(Vec<Item>, f32, f32)]) -> usize {
    let column_height = |range: std::ops::Range<usize>| {
        set[range]
            .iter()
            .enumerate()
            .map(|(i, (_, height, gap))| height + if i > 0 { *gap } else { 0.0 })
            .sum::<f32>()
    };
    (1..blocks.len())
        .filter(|&split| !matches!(blocks[split - 1], Block::Heading(_)))
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

/// An item moved right by `dx` and down by `dy`.
fn moved(item: Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text(mut run) => {
            run.x += dx;
            run.baseline += dy;
            Item::Text(run)
        }
        Item::Rect(mut rect) => {
            rect.x += dx;
            rect.y += dy;
            Item::Rect(rect)
        }
        Item::Rule(mut rule) => {
            rule.x += dx;
            rule.x_end += dx;
            rule.y += dy;
            Item::Rule(rule)
        }
    }
}

/// The shaded "when to call" panel, filling the column.
fn urgent_box(set: &mut Setter<'_>, section: &PreparedSection) {
    let body = set.size();
    let edge = 1.5;
    let pad = 0.6 * body;
    let (outer_left, outer_right) = (set.left, set.right);
    let top = set.y;
    set.y += pad;
    set.left = outer_left + edge + pad;
    set.right = outer_right - edge - pad;
    set.heading(&section.heading, URGENT_INK);
    for (i, item) in section.items.iter().enumerate() {
        set.y += if i == 0 { 0.3 * body } else { set.item_gap() };
        set.item(item, URGENT_EDGE);
    }
    set.y += pad;
    set.left = outer_left;
    set.right = outer_right;
    set.items.insert(
        0,
        Item::Rect(Rect {
            x: outer_left + edge / 2.0,
            y: top + edge / 2.0,
            width: outer_right - outer_left - edge,
            height: set.y - top - edge,
            fill: Some(URGENT_FILL),
            stroke: Some((URGENT_EDGE, edge)),
        }),
    );
}

/// The midwife's note: a tinted panel with a bar down its left side.
fn note_box(set: &mut Setter<'_>, heading: &Paragraph, text: &Paragraph) {
    let body = set.size();
    let bar = 3.0;
    let pad = 0.6 * body;
    let top = set.y;
    let (outer_left, outer_right) = (set.left, set.right);
    set.y += pad;
    let left = outer_left + bar + pad;
    let width = outer_right - pad - left;
    set.paragraph(heading, left, width, body, set.style.leading(), ACCENT);
    set.y += 0.2 * body;
    set.paragraph(text, left, width, body, set.style.leading(), INK);
    set.y += pad;
    let height = set.y - top;
    let panel = |x: f32, width: f32, fill: Color| {
        Item::Rect(Rect {
            x,
            y: top,
            width,
            height,
            fill: Some(fill),
            stroke: None,
        })
    };
    set.items.insert(0, panel(outer_left, bar, ACCENT));
    set.items
        .insert(0, panel(outer_left, outer_right - outer_left, NOTE_FILL));
}

/// Fields flowed into lines: as many to a line as fit, a field moving down
/// whole when it does not, and broken only when it is wider than a line.
struct FieldFlow {
    placed: Vec<PlacedField>,
    /// How many lines the fields take, at least one.
    lines: usize,
}

/// Where one field goes.
struct PlacedField {
    /// Which field.
    index: usize,
    /// Its left edge, from the start of the line.
    x: f32,
    /// The line it starts on, from 0.
    line: usize,
    /// Its text's lines; the write-in line follows the last.
    text: Vec<Line>,
}

fn flow_fields(fields: &[PreparedField], size: f32, measure: f32) -> FieldFlow {
    let gap = FIELD_GAP_EM * size;
    let mut placed = Vec::with_capacity(fields.len());
    let (mut line, mut x) = (0, 0.0);
    for (index, field) in fields.iter().enumerate() {
        let room = field.write_in.unwrap_or(0.0);
        let mut text = field.text.break_lines(f32::INFINITY);
        let width = text.first().map_or(0.0, |line| line.width * size) + room;
        let mut start = if placed.is_empty() { 0.0 } else { x + gap };
        if start > 0.0 && start + width > measure {
            line += 1;
            start = 0.0;
        }
        if width > measure {
            text = field.text.break_lines((measure - room).max(0.0) / size);
        }
        // The next field follows the end of this one's last line.
        let last_start = if text.len() > 1 { 0.0 } else { start };
        let last_width = text.last().map_or(0.0, |line| line.width * size);
        let first_line = line;
        line += text.len().max(1) - 1;
        x = last_start + last_width + room;
        placed.push(PlacedField {
            index,
            x: start,
            line: first_line,
            text,
        });
    }
    FieldFlow {
        placed,
        lines: line + 1,
    }
}

/// Sets flowed fields from the left edge, the first line on `first_baseline`:
/// labels, values, write-in lines, and a dot between two values.
fn set_fields(
    set: &mut Setter<'_>,
    fields: &[PreparedField],
    flow: &FieldFlow,
    first_baseline: f32,
    size: f32,
    leading: f32,
    color: Color,
) {
    let gap = FIELD_GAP_EM * size;
    let prepared = set.prepared;
    let separator = prepared.separator.break_lines(f32::INFINITY);
    let separator_width = separator.first().map_or(0.0, |line| line.width * size);
    for (k, placed) in flow.placed.iter().enumerate() {
        let field = &fields[placed.index];
        let x = set.left + placed.x;
        let mut baseline = first_baseline + placed.line as f32 * leading;
        if placed.x > 0.0
            && field.write_in.is_none()
            && fields[flow.placed[k - 1].index].write_in.is_none()
            && let Some(line) = separator.first()
        {
            let dot_x = x - gap / 2.0 - separator_width / 2.0;
            set.line(&prepared.separator, line, dot_x, baseline, size, MUTED);
        }
        let mut end = x;
        for (j, line) in placed.text.iter().enumerate() {
            baseline = first_baseline + (placed.line + j) as f32 * leading;
            let left = if j == 0 { x } else { set.left };
            set.line(&field.text, line, left, baseline, size, color);
            end = left + line.width * size;
        }
        if let Some(room) = field.write_in {
            set.items.push(Item::Rule(Rule {
                x: end + 0.2 * size,
                x_end: end + room,
                y: baseline + WRITE_IN_DROP,
                thickness: 0.75,
                color: MUTED,
            }));
        }
    }
}

/// Sets the footer so that its last line sits on the bottom margin, and
/// returns the top of its rule.
fn footer(set: &mut Setter<'_>, prepared: &Prepared, bottom: f32) -> f32 {
    let size = FOOTER_PT;
    let leading = 1.35 * size;
    let measure = set.right - set.left;
    let flow = flow_fields(&prepared.footer, size, measure);
    let lines = flow.lines + usize::from(prepared.address.is_some());
    let last_baseline = bottom - 0.25 * size;
    let first_baseline = last_baseline - (lines - 1) as f32 * leading;
    let rule_y = first_baseline - 0.8 * size - 0.6 * size;
    set.items.push(Item::Rule(Rule {
        x: set.left,
        x_end: set.right,
        y: rule_y,
        thickness: 0.75,
        color: HAIRLINE,
    }));
    set_fields(
        set,
        &prepared.footer,
        &flow,
        first_baseline,
        size,
        leading,
        MUTED,
    );
    if let Some(address) = &prepared.address {
        for line in address.break_lines(measure / size).iter().take(1) {
            set.line(address, line, set.left, last_baseline, size, MUTED);
        }
    }
    rule_y - 0.5 * size
}

/// Adds one broken line as text runs, one per face, starting at `x`.
fn push_line(
    items: &mut Vec<Item>,
    paragraph: &Paragraph,
    line: &Line,
    x: f32,
    baseline: f32,
    size: f32,
    color: Color,
) {
    let glyphs = &paragraph.glyphs[line.glyphs.clone()];
    let mut pen = x;
    let mut start = 0;
    while start < glyphs.len() {
        let face = glyphs[start].face;
        let end = start
            + glyphs[start..]
                .iter()
                .take_while(|glyph| glyph.face == face)
                .count();
        let first = line.glyphs.start + start;
        let last = line.glyphs.start + end;
        let text_end = paragraph
            .glyphs
            .get(last)
            .map_or(paragraph.text.len(), |glyph| glyph.cluster);
        let run = TextRun {
            x: pen,
            baseline,
            size,
            face,
            color,
            glyphs: (first..last)
                .map(|i| {
                    let glyph = &paragraph.glyphs[i];
                    PlacedGlyph {
                        id: glyph.id,
                        advance: glyph.advance,
                        x_offset: glyph.x_offset,
                        y_offset: glyph.y_offset,
                        text: paragraph.cluster_text(i).to_string(),
                    }
                })
                .collect(),
            text: paragraph.text[paragraph.glyphs[first].cluster..text_end].to_string(),
            needs_actual_text: (first..last).any(|i| paragraph.is_shared_cluster(i)),
        };
        pen += run.width();
        items.push(Item::Text(run));
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handout_content::{Choice, Patient, Picks, Practice, Pregnancy, Topic};

    /// A note of exactly 200 characters.
    pub(crate) const NOTE_200: &str = "Try the calf stretches before bed and keep a glass of \
        water by your bed. Call me if the cramps wake you every night, or if one leg gets \
        swollen or red. See you at your next visit in two weeks. From Jo";

    fn practice() -> Practice {
        Practice::parse(
            "practice.example.toml",
            include_str!("../../../content/practice.example.toml"),
        )
        .unwrap()
    }

    fn handout(selection: Picks, note: Option<&str>) -> Handout {
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: note.map(str::to_string),
            midwife: None,
        };
        let topic = Topic::builtin().remove(0);
        Handout::resolve(
            &topic,
            &practice(),
            &patient,
            &selection,
            jiff::civil::date(2026, 11, 25),
        )
        .unwrap()
    }

    fn everything() -> Picks {
        let topic = Topic::builtin().remove(0);
        let all = |key| {
            Choice::Items(
                topic
                    .section(key)
                    .expect("the built-in topic has the section")
                    .pickable()
                    .map(|i| i.id.clone())
                    .collect(),
            )
        };
        Picks::new()
            .with("prevention", all("prevention"))
            .with("treatment", all("treatment"))
    }

    /// Asserts that nothing leaves the margins and no two text runs overlap.
    fn assert_well_placed(page: &Page) {
        let (low, high_x, high_y) = (
            page.margin - 0.01,
            page.width - page.margin + 0.01,
            page.height - page.margin + 0.01,
        );
        let boxes: Vec<([f32; 4], &str)> = page
            .runs()
            .map(|run| (run.bounds(), run.text.as_str()))
            .collect();
        for (bounds, text) in &boxes {
            assert!(
                bounds[0] >= low && bounds[1] >= low,
                "{text:?} leaves the top or left margin: {bounds:?}"
            );
            assert!(
                bounds[2] <= high_x && bounds[3] <= high_y,
                "{text:?} leaves the right or bottom margin: {bounds:?}"
            );
        }
        for item in &page.items {
            if let Item::Rect(rect) = item {
                assert!(
                    rect.x >= low
                        && rect.y >= low
                        && rect.x + rect.width <= high_x
                        && rect.y + rect.height <= high_y
                );
            }
        }
        for (i, (a, text_a)) in boxes.iter().enumerate() {
            for (b, text_b) in &boxes[i + 1..] {
                let overlap_x = a[0] < b[2] - 0.01 && b[0] < a[2] - 0.01;
                let overlap_y = a[1] < b[3] - 0.01 && b[1] < a[3] - 0.01;
                assert!(!(overlap_x && overlap_y), "{text_a:?} overlaps {text_b:?}");
            }
        }
        // Rules (write-in lines among them) stay inside and cross no text.
        for rule in rules(page) {
            let (top, bottom) = (rule.y - rule.thickness / 2.0, rule.y + rule.thickness / 2.0);
            assert!(
                rule.x >= low && rule.x_end <= high_x && top >= low && bottom <= high_y,
                "{rule:?} leaves the margins"
            );
            for (b, text) in &boxes {
                let overlap_x = rule.x < b[2] - 0.01 && b[0] < rule.x_end - 0.01;
                let overlap_y = top < b[3] - 0.01 && b[1] < bottom - 0.01;
                assert!(!(overlap_x && overlap_y), "{rule:?} crosses {text:?}");
            }
        }
    }

    fn rules(page: &Page) -> impl Iterator<Item = &Rule> {
        page.items.iter().filter_map(|item| match item {
            Item::Rule(rule) => Some(rule),
            _ => None,
        })
    }

    fn blank(pregnancy: Option<Pregnancy>) -> Handout {
        let patient = Patient {
            pregnancy,
            ..Patient::default()
        };
        Handout::resolve(
            &Topic::builtin().remove(0),
            &Practice::default(),
            &patient,
            &Picks::new(),
            jiff::civil::date(2026, 11, 25),
        )
        .unwrap()
    }

    /// The byline's write-in lines: thin rules above the thick one under the
    /// byline, left to right.
    fn byline_write_ins(page: &Page) -> Vec<&Rule> {
        let under_byline = rules(page)
            .find(|rule| rule.color == ACCENT)
            .expect("a rule under the byline");
        let mut write_ins: Vec<&Rule> =
            rules(page).filter(|rule| rule.y < under_byline.y).collect();
        write_ins.sort_by(|a, b| a.x.total_cmp(&b.x));
        write_ins
    }

    fn page_text(page: &Page) -> String {
        page.text_lines()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn defaults_with_name_note_and_footer_fit_a4_and_letter() {
        assert_eq!(NOTE_200.chars().count(), 200);
        let fonts = Fonts::new();
        let handout = handout(Picks::new(), Some(NOTE_200));
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_handout(&fonts, &handout, paper).unwrap();
            assert!(
                page.body_size >= MIN_BODY_PT,
                "{paper:?}: {} pt",
                page.body_size
            );
            assert!(page.runs().all(|run| run.size >= MIN_BODY_PT));
            assert_well_placed(&page);
            let text = page_text(&page);
            for section in &handout.sections {
                for item in &section.items {
                    assert!(
                        text.contains(&item.lead),
                        "{paper:?}: {:?} missing",
                        item.lead
                    );
                }
            }
            assert!(text.contains("Prepared for Ana López · 28 weeks · 25 November 2026"));
            assert!(text.contains("Your midwife: Jo Smith"));
        }
    }

    #[test]
    fn a_blank_handout_is_set_larger() {
        let fonts = Fonts::new();
        let topic = Topic::builtin().remove(0);
        let blank = Handout::resolve(
            &topic,
            &Practice::default(),
            &Patient::default(),
            &Picks::new(),
            jiff::civil::date(2026, 11, 25),
        )
        .unwrap();
        let page = layout_handout(&fonts, &blank, Paper::A4).unwrap();
        assert!(page.body_size >= 13.0, "{}", page.body_size);
        assert_well_placed(&page);
        // Write-in lines for the midwife and the phone.
        let rules = page
            .items
            .iter()
            .filter(|item| matches!(item, Item::Rule(_)))
            .count();
        assert!(rules >= 3, "{rules} rules");
    }

    #[test]
    fn a_blank_byline_has_write_in_lines_at_every_size() {
        let fonts = Fonts::new();
        let handout = blank(None);
        let prepared = Prepared::new(&fonts, &handout);
        for paper in [Paper::A4, Paper::Letter] {
            for style in Style::sequence() {
                // Not every style fits the whole page; the title and byline must.
                let (page, _) = set_page(&prepared, style, paper, true);
                let at = format!("{paper:?} at {} pt, space {}", style.body, style.space);
                let under_byline = rules(&page).find(|rule| rule.color == ACCENT).unwrap().y;
                let top = Page {
                    items: page
                        .items
                        .iter()
                        .filter(|item| match item {
                            Item::Text(run) => run.baseline < under_byline,
                            Item::Rule(rule) => rule.y <= under_byline,
                            Item::Rect(_) => false,
                        })
                        .cloned()
                        .collect(),
                    ..page.clone()
                };
                assert_well_placed(&top);
                let write_ins = byline_write_ins(&page);
                assert_eq!(write_ins.len(), 3, "{at}: {write_ins:?}");
                // Room to write a name, the weeks and a date by hand.
                let lengths: Vec<f32> = write_ins.iter().map(|r| (r.x_end - r.x) / MM).collect();
                assert!(
                    lengths[0] >= 55.0 && lengths[1] >= 15.0 && lengths[2] >= 30.0,
                    "{at}: {lengths:?} mm"
                );
                let runs: Vec<&TextRun> = page.runs().collect();
                for (rule, label) in write_ins.iter().zip(["Name:", "Weeks:", "Date:"]) {
                    // Each line follows its label on one baseline, a little below it.
                    let run = runs
                        .iter()
                        .find(|run| run.text == label)
                        .unwrap_or_else(|| panic!("{at}: no {label:?}"));
                    assert_eq!(run.size, style.body, "{at}: {label}");
                    assert_eq!(rule.y, write_ins[0].y, "{at}: {label} not on one line");
                    let gap = rule.x - (run.x + run.width());
                    assert!(gap > 0.0 && gap < 0.5 * run.size, "{at}: {label} gap {gap}");
                    let drop = rule.y - run.baseline;
                    assert!(
                        drop > 0.0 && drop < 0.25 * run.size,
                        "{at}: {label} drop {drop}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_blank_byline_prints_the_weeks_but_no_date() {
        let fonts = Fonts::new();
        let page = layout_handout(&fonts, &blank(Some(Pregnancy::Weeks(28))), Paper::A4).unwrap();
        assert_well_placed(&page);
        assert_eq!(page.text_lines()[1], "Name: Weeks: 28 Date:");
        assert_eq!(byline_write_ins(&page).len(), 2);

        let page = layout_handout(&fonts, &blank(None), Paper::A4).unwrap();
        assert_eq!(page.text_lines()[1], "Name: Weeks: Date:");
        assert!(!page_text(&page).contains("November"));
    }

    #[test]
    fn a_named_byline_has_no_write_in_lines() {
        let fonts = Fonts::new();
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_handout(&fonts, &handout(Picks::new(), None), paper).unwrap();
            assert_well_placed(&page);
            assert_eq!(byline_write_ins(&page), Vec::<&Rule>::new());
            assert_eq!(
                page.text_lines()[1],
                "Prepared for Ana López · 28 weeks · 25 November 2026"
            );
        }
    }

    #[test]
    fn few_items_are_set_at_14_pt() {
        let selection = Picks::new()
            .with("prevention", Choice::parse("walking"))
            .with("treatment", Choice::parse("warm-bath"));
        let page = layout_handout(&Fonts::new(), &handout(selection, None), Paper::Letter).unwrap();
        assert_eq!(page.body_size, 14.0);
        assert_well_placed(&page);
    }

    #[test]
    fn everything_fits_a4_at_the_minimum_but_not_letter_with_a_long_note() {
        let fonts = Fonts::new();
        let page = layout_handout(&fonts, &handout(everything(), None), Paper::A4).unwrap();
        assert_eq!(page.body_size, MIN_BODY_PT);
        assert_well_placed(&page);

        let note = "Please rest with your feet up when you can. ".repeat(14);
        let error = layout_handout(
            &fonts,
            &handout(everything(), Some(note.trim())),
            Paper::Letter,
        )
        .unwrap_err();
        let RenderError::DoesNotFit {
            over_mm,
            longest,
            note_chars,
        } = &error
        else {
            panic!("{error}")
        };
        assert!(*over_mm > 10.0);
        assert_eq!(*note_chars, Some(note.trim().chars().count()));
        assert_eq!(longest.len(), 3);
        // The longest of the picks, cautions (never picked) aside.
        assert_eq!(longest, &["herbal", "pain-relief", "calcium-magnesium"]);
        assert!(error.to_string().contains("mm too long"), "{error}");
    }

    #[test]
    fn a_heading_is_never_the_last_line_of_a_column() {
        let fonts = Fonts::new();
        for (selection, note) in [(Picks::new(), Some(NOTE_200)), (everything(), None)] {
            let page = layout_handout(&fonts, &handout(selection, note), Paper::A4).unwrap();
            let runs: Vec<_> = page.runs().collect();
            // Section headings only: the title is larger, the box's heading red.
            let headings: Vec<_> = runs
                .iter()
                .filter(|run| run.size == heading_size(page.body_size) && run.color == ACCENT)
                .collect();
            assert_eq!(headings.len(), 3, "why, prevention and treatment headings");
            for heading in headings {
                let below = runs.iter().any(|run| {
                    (run.x - heading.x).abs() < 20.0
                        && run.baseline > heading.baseline
                        && run.baseline < heading.baseline + 3.0 * page.body_size
                });
                assert!(below, "heading {:?} has nothing under it", heading.text);
            }
        }
    }

    #[test]
    fn unprintable_letters_are_an_error_not_boxes() {
        let topic = Topic::builtin().remove(0);
        let patient = Patient {
            name: Some("王秀英".into()),
            ..Patient::default()
        };
        let handout = Handout::resolve(
            &topic,
            &Practice::default(),
            &patient,
            &Picks::new(),
            jiff::civil::date(2026, 11, 25),
        )
        .unwrap();
        let error = layout_handout(&Fonts::new(), &handout, Paper::A4).unwrap_err();
        assert_eq!(
            error,
            RenderError::Unprintable {
                characters: "王秀英".into(),
                place: "the name"
            }
        );
    }

    #[test]
    fn layout_matches_the_golden_dump() {
        let fonts = Fonts::new();
        let dump = layout_handout(&fonts, &handout(Picks::new(), Some(NOTE_200)), Paper::A4)
            .unwrap()
            .dump();
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/default-a4.txt");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &dump).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "{} missing: run `UPDATE_GOLDEN=1 cargo test -p handout-render golden`",
                path.display()
            )
        });
        assert!(
            dump == expected,
            "layout changed; if on purpose, run `UPDATE_GOLDEN=1 cargo test -p handout-render golden` \
             and commit {}\n--- new dump ---\n{dump}",
            path.display()
        );
    }
}
