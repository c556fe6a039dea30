//! Breaks a shaped paragraph into lines, and a line into text runs.
//!
//! A paragraph is shaped once, in ems, and can then be broken for any column
//! width and font size without shaping again: the fitting loop tries many.
//! Lines are chosen for the whole paragraph at once: first the fewest lines,
//! then the most even right edge, then no lonely last word.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::words::{is_phrase, is_short_word, starts_number};
use crate::fonts::{Face, Fonts};
use crate::glyphs::{GlyphUse, MAX_GLYPH_TEXT_UNITS, glyph_text};
use crate::page::{Color, Element, PlacedGlyph, TextRun};
use crate::role::Role;
use crate::shape::{Glyph, shape_fixed_into, shape_into, width};

/// A run of text in one weight.
#[derive(Debug, Clone, Copy)]
pub struct Span<'a> {
    /// The text.
    pub text: &'a str,
    /// Whether it is bold.
    pub bold: bool,
    /// Whether the text is the same on every handout (the topic's own words),
    /// so that its shaping can be kept for the next one.
    pub fixed: bool,
}

/// A shaped paragraph, ready to be broken into lines.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// The paragraph's text, the spans joined.
    pub text: String,
    /// Its glyphs, in text order.
    pub glyphs: Vec<Glyph>,
    /// Pieces between break opportunities, in order.
    pieces: Vec<Piece>,
    /// What a break after each piece costs besides raggedness: see
    /// [`break_penalties`].
    penalties: Vec<Penalty>,
}

/// Glyphs between two break opportunities.
#[derive(Debug, Clone)]
struct Piece {
    glyphs: Range<usize>,
    /// Width with trailing spaces, in ems.
    width: f32,
    /// Width of the trailing spaces, which vanish at a line end.
    trailing: f32,
    /// Whether a line must end after this piece (a line break in the text).
    forced: bool,
}

/// One line of a broken paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The paragraph's glyphs on this line, trailing spaces left out.
    pub glyphs: Range<usize>,
    /// The line's width in ems.
    pub width: f32,
}

impl Paragraph {
    /// Shapes the spans as one paragraph.
    pub fn new(fonts: &Fonts, spans: &[Span<'_>]) -> Paragraph {
        let mut text = String::new();
        let mut glyphs = Vec::new();
        for span in spans {
            // A line break has no glyph; shaped as a space (same length in
            // bytes, so clusters still match `text`) it becomes trailing space.
            let shapeable = span.text.replace(['\n', '\r'], " ");
            let face = Face::main(span.bold);
            if span.fixed {
                shape_fixed_into(fonts, &shapeable, face, text.len(), &mut glyphs);
            } else {
                shape_into(fonts, &shapeable, face, text.len(), &mut glyphs);
            }
            text.push_str(span.text);
        }

        let mut pieces = Vec::new();
        let mut start_glyph = 0;
        for (at, opportunity) in linebreaks(&text) {
            let end_glyph = start_glyph + glyphs[start_glyph..].partition_point(|g| g.cluster < at);
            if end_glyph == start_glyph {
                continue;
            }
            let piece_glyphs = &glyphs[start_glyph..end_glyph];
            let spaces = piece_glyphs
                .iter()
                .rev()
                .take_while(|glyph| text[glyph.cluster..].starts_with(char::is_whitespace))
                .count();
            pieces.push(Piece {
                glyphs: start_glyph..end_glyph,
                width: width(piece_glyphs),
                trailing: width(&piece_glyphs[piece_glyphs.len() - spaces..]),
                forced: opportunity == BreakOpportunity::Mandatory && at < text.len(),
            });
            start_glyph = end_glyph;
        }
        let penalties = break_penalties(&text, &glyphs, &pieces);
        Paragraph {
            text,
            glyphs,
            pieces,
            penalties,
        }
    }

    /// The text a glyph's cluster stands for, on the cluster's first glyph;
    /// "" on the others.
    pub fn cluster_text(&self, index: usize) -> &str {
        let cluster = self.glyphs[index].cluster;
        if index > 0 && self.glyphs[index - 1].cluster == cluster {
            return "";
        }
        let end = self.glyphs[index..]
            .iter()
            .find(|glyph| glyph.cluster != cluster)
            .map_or(self.text.len(), |glyph| glyph.cluster);
        &self.text[cluster..end]
    }

    /// Adds the paragraph's glyphs, each with its text, to `used`: all but
    /// line breaks, which end a line and are never drawn.
    pub fn add_glyphs(&self, used: &mut GlyphUse) {
        let mut start = 0;
        for run in self.glyphs.chunk_by(|a, b| a.face == b.face) {
            let drawn = (start..start + run.len())
                .map(|index| (self.glyphs[index].id, self.cluster_text(index)))
                .filter(|(_, text)| !text.contains(['\n', '\r']));
            used.extend(run[0].face, drawn);
            start += run.len();
        }
    }

    /// Whether a glyph shares its cluster with another glyph, so that its
    /// text cannot be given glyph by glyph.
    pub fn is_shared_cluster(&self, index: usize) -> bool {
        let cluster = self.glyphs[index].cluster;
        (index > 0 && self.glyphs[index - 1].cluster == cluster)
            || self
                .glyphs
                .get(index + 1)
                .is_some_and(|glyph| glyph.cluster == cluster)
    }

    /// Breaks the paragraph into lines no wider than `max` ems.
    ///
    /// A word wider than `max` is cut between letters rather than allowed
    /// to overflow. Every line holds at least one glyph.
    ///
    /// The search weighs what a typesetter weighs. The fewest lines always
    /// win, so that a page that fits today still fits: an extra line costs
    /// more than anything else. Among breaks into that many lines, a number
    /// parted from its unit, a bold lead broken when it fits on a line, a
    /// name broken and one word alone on the last line each cost more than
    /// a line's worst raggedness; a short function word at a line's end or
    /// a short phrase split costs as much as a line a fifth of the measure
    /// short, so that it is avoided where the lines stay even enough.
    pub fn break_lines(&self, max: f32) -> Vec<Line> {
        let (pieces, penalties) = self.fitting_pieces(max);
        let n = pieces.len();
        if n == 0 {
            return Vec::new();
        }
        let square = max * max;
        let line_cost = LINE_COST * square;
        let lead = self.lead_fits(max);
        let mut best = vec![f32::INFINITY; n + 1];
        let mut from = vec![0; n + 1];
        best[0] = 0.0;
        for end in 1..=n {
            let mut line_width = 0.0;
            // Whether the line so far is one word: no space inside it.
            let mut one_word = true;
            for start in (0..end).rev() {
                if start < end - 1 && pieces[start].forced {
                    break;
                }
                if start < end - 1 && pieces[start].trailing > 0.0 {
                    one_word = false;
                }
                line_width += pieces[start].width;
                let set_width = line_width - pieces[end - 1].trailing;
                if set_width > max && start < end - 1 {
                    break;
                }
                let slack = (max - set_width).max(0.0);
                let is_last = end == n || pieces[end - 1].forced;
                let rag = if !is_last {
                    slack * slack + penalties[end - 1].total(lead) * square
                } else if one_word && start > 0 && !pieces[start - 1].forced {
                    // A lonely word on the last line looks like an accident.
                    WIDOW * square
                } else {
                    0.0
                };
                let cost = best[start] + line_cost + rag;
                if cost < best[end] {
                    best[end] = cost;
                    from[end] = start;
                }
            }
        }

        let mut lines = Vec::new();
        let mut end = n;
        while end > 0 {
            let start = from[end];
            let glyphs = pieces[start].glyphs.start..pieces[end - 1].glyphs.end;
            let spaces = self.glyphs[glyphs.clone()]
                .iter()
                .rev()
                .take_while(|glyph| self.text[glyph.cluster..].starts_with(char::is_whitespace))
                .count();
            let glyphs = glyphs.start..glyphs.end - spaces;
            lines.push(Line {
                width: width(&self.glyphs[glyphs.clone()]),
                glyphs,
            });
            end = start;
        }
        lines.reverse();
        lines.retain(|line| !line.glyphs.is_empty());
        lines
    }

    /// Whether the bold lead that opens the paragraph, if it has one, fits
    /// on a line `max` wide, and so should not be broken.
    fn lead_fits(&self, max: f32) -> bool {
        let bold = self
            .glyphs
            .iter()
            .take_while(|glyph| is_bold(glyph.face))
            .count();
        let lead = &self.glyphs[..bold];
        let spaces = lead
            .iter()
            .rev()
            .take_while(|glyph| self.text[glyph.cluster..].starts_with(char::is_whitespace))
            .count();
        bold > 0 && width(&lead[..bold - spaces]) <= max
    }

    /// Marks the text in `bytes` as a name, to be kept on one line where it
    /// fits and broken between its words before anywhere else: a break in
    /// it costs more than any other, and a break after one of its hyphens
    /// more than a break at a space.
    pub fn mark_name(&mut self, bytes: Range<usize>) {
        for (piece, penalty) in self.pieces.iter().zip(&mut self.penalties) {
            let Some(next) = self.glyphs.get(piece.glyphs.end) else {
                continue;
            };
            let at = next.cluster;
            if at <= bytes.start || at >= bytes.end {
                continue;
            }
            penalty.name = if piece.trailing > 0.0 {
                NAME_AT_SPACE
            } else {
                NAME_AFTER_HYPHEN
            };
        }
    }

    /// The pieces, with any piece wider than `max` cut between clusters,
    /// and what a break after each costs. A cut inside a word costs
    /// nothing more: it is the only way the word can be set.
    fn fitting_pieces(&self, max: f32) -> (Vec<Piece>, Vec<Penalty>) {
        let mut out = Vec::with_capacity(self.pieces.len());
        let mut penalties = Vec::with_capacity(self.pieces.len());
        for (piece, penalty) in self.pieces.iter().zip(&self.penalties) {
            if piece.width - piece.trailing <= max {
                out.push(piece.clone());
                penalties.push(*penalty);
                continue;
            }
            let mut start = piece.glyphs.start;
            let mut run = 0.0;
            let mut i = start;
            while i < piece.glyphs.end {
                let cluster = self.glyphs[i].cluster;
                let mut next = i;
                let mut cluster_width = 0.0;
                while next < piece.glyphs.end && self.glyphs[next].cluster == cluster {
                    cluster_width += self.glyphs[next].advance;
                    next += 1;
                }
                if run + cluster_width > max && i > start {
                    out.push(Piece {
                        glyphs: start..i,
                        width: run,
                        trailing: 0.0,
                        forced: false,
                    });
                    penalties.push(Penalty::default());
                    start = i;
                    run = 0.0;
                }
                run += cluster_width;
                i = next;
            }
            out.push(Piece {
                glyphs: start..piece.glyphs.end,
                width: run,
                trailing: piece.trailing,
                forced: piece.forced,
            });
            penalties.push(*penalty);
        }
        (out, penalties)
    }
}

/// What an extra line costs, in squares of the measure: more than all the
/// raggedness and the lesser penalties of a paragraph together.
const LINE_COST: f32 = 1000.0;
/// One word alone on a paragraph's last line: more than a line's worst
/// raggedness, less than an extra line.
const WIDOW: f32 = 1.1;
/// A short function word ("It", "or", "if", "the") at a line's end, or a
/// short phrase ("short of breath") split: a line about 45 % of the
/// measure short costs as much.
const SHORT_BREAK: f32 = 0.2;
/// A number parted from its unit ("6 / months"), or a bold lead broken
/// when it fits on a line: worse than any raggedness of a paragraph.
const KEEP_TOGETHER: f32 = 10.0;

/// A name broken between its words, and after one of its own hyphens:
/// worse than any other break.
const NAME_AT_SPACE: f32 = 20.0;
const NAME_AFTER_HYPHEN: f32 = 40.0;

/// What a break after one piece costs besides raggedness, by kind.
#[derive(Debug, Clone, Copy, Default)]
struct Penalty {
    /// After a short word, a number, or inside a short phrase.
    words: f32,
    /// Inside the bold lead, which is only kept whole when it fits.
    in_lead: bool,
    /// Inside a name.
    name: f32,
}

impl Penalty {
    /// The cost of the break, in squares of the measure, given whether the
    /// bold lead fits on a line.
    fn total(self, lead_fits: bool) -> f32 {
        let lead = if self.in_lead && lead_fits {
            KEEP_TOGETHER
        } else {
            0.0
        };
        self.words + lead + self.name
    }
}

/// Whether a face is a bold one, as a lead is set.
fn is_bold(face: Face) -> bool {
    matches!(face, Face::Bold | Face::FallbackBold)
}

/// What breaking after each piece costs, from the words around the break
/// (see `words`) and whether it falls inside the bold lead.
fn break_penalties(text: &str, glyphs: &[Glyph], pieces: &[Piece]) -> Vec<Penalty> {
    let word = |index: usize| -> &str {
        pieces.get(index).map_or("", |piece| {
            let start = glyphs[piece.glyphs.start].cluster;
            let end = glyphs
                .get(piece.glyphs.end)
                .map_or(text.len(), |g| g.cluster);
            text[start..end].trim()
        })
    };
    (0..pieces.len())
        .map(|i| {
            let piece = &pieces[i];
            let before = word(i);
            let at_space = piece.trailing > 0.0;
            let short = at_space && is_short_word(before);
            let number = starts_number(before) && before.ends_with(char::is_alphanumeric);
            let phrase = at_space && is_phrase(before, word(i + 1), word(i + 2));
            let words = if number {
                KEEP_TOGETHER
            } else if short || phrase {
                SHORT_BREAK
            } else {
                0.0
            };
            let in_lead = is_bold(glyphs[piece.glyphs.end - 1].face)
                && glyphs
                    .get(piece.glyphs.end)
                    .is_some_and(|next| is_bold(next.face));
            Penalty {
                words,
                in_lead,
                name: 0.0,
            }
        })
        .collect()
}

/// How a line's text is set: its size, its colour and what it is for.
#[derive(Debug, Clone, Copy)]
pub struct Pen {
    /// Font size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Color,
    /// The role of the runs it sets.
    pub role: Role,
}

/// Adds one broken line as text runs, one per face, starting at `x`.
pub(crate) fn push_line(
    elements: &mut Vec<Element>,
    paragraph: &Paragraph,
    line: &Line,
    x: f32,
    baseline: f32,
    pen: Pen,
) {
    let glyphs = &paragraph.glyphs[line.glyphs.clone()];
    let mut pen_x = x;
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
        let glyphs: Vec<PlacedGlyph> = (first..last)
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
            .collect();
        // A glyph whose text its ToUnicode entry cannot give whole (no
        // UTF-8 text of that many bytes has more UTF-16 units) needs the
        // run's ActualText too.
        let too_long =
            |text: &str| text.len() > MAX_GLYPH_TEXT_UNITS && glyph_text(text).len() < text.len();
        let needs_actual_text = (first..last).any(|i| paragraph.is_shared_cluster(i))
            || glyphs.iter().any(|glyph| too_long(&glyph.text));
        let run = TextRun {
            x: pen_x,
            baseline,
            size: pen.size,
            face,
            color: pen.color,
            role: pen.role,
            glyphs,
            text: paragraph.text[paragraph.glyphs[first].cluster..text_end].to_string(),
            needs_actual_text,
        };
        pen_x += run.width();
        elements.push(Element::Text(run));
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Stretch your calf muscles during the day and a few times before bed. \
                        When you sit, turn your ankles in circles and wiggle your toes.";

    fn paragraph(text: &str) -> Paragraph {
        Paragraph::new(
            &Fonts::new(),
            &[Span {
                text,
                bold: false,
                fixed: false,
            }],
        )
    }

    fn line_texts(paragraph: &Paragraph, lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let glyphs = &paragraph.glyphs[line.glyphs.clone()];
                let start = glyphs.first().unwrap().cluster;
                let end = paragraph
                    .glyphs
                    .get(line.glyphs.end)
                    .map_or(paragraph.text.len(), |g| g.cluster);
                paragraph.text[start..end].to_string()
            })
            .collect()
    }

    #[test]
    fn no_line_is_wider_than_the_column_or_empty() {
        let paragraph = paragraph(TEXT);
        for max in [6.0, 10.0, 17.5, 25.0, 40.0] {
            let lines = paragraph.break_lines(max);
            assert!(!lines.is_empty());
            for line in &lines {
                assert!(
                    line.width <= max + 1e-4,
                    "line of {} em in {max}",
                    line.width
                );
                assert!(!line.glyphs.is_empty());
                assert!(line.width > 0.0);
            }
            let joined = line_texts(&paragraph, &lines).join(" ");
            assert_eq!(
                joined.split_whitespace().collect::<Vec<_>>(),
                TEXT.split_whitespace().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn lines_end_at_spaces_not_inside_words() {
        let paragraph = paragraph(TEXT);
        let words: Vec<&str> = TEXT.split_whitespace().collect();
        for max in [8.0, 12.0, 20.0] {
            let lines = paragraph.break_lines(max);
            assert!(lines.len() >= 3, "{max} em: {} lines", lines.len());
            // What follows each line but the last is the space it broke at.
            for line in &lines[..lines.len() - 1] {
                let next = paragraph.glyphs[line.glyphs.end].cluster;
                assert!(
                    paragraph.text[next..].starts_with(' '),
                    "{max} em: a line ends inside {:?}",
                    &paragraph.text[next.saturating_sub(8)..next + 8]
                );
            }
            // And every line holds whole words, none starting with a space.
            for text in line_texts(&paragraph, &lines) {
                assert!(!text.starts_with(' '), "{text:?}");
                for word in text.split_whitespace() {
                    assert!(words.contains(&word), "{max} em: {word:?} is not a word");
                }
            }
        }
    }

    #[test]
    fn a_word_too_long_for_the_column_is_cut() {
        let paragraph = paragraph("Pneumonoultramicroscopicsilicovolcanoconiosis is long.");
        let lines = paragraph.break_lines(4.0);
        assert!(lines.len() >= 4, "{:?}", line_texts(&paragraph, &lines));
        for line in &lines {
            assert!(line.width <= 4.0 + 1e-4);
        }
        // The word is cut into pieces that follow each other exactly.
        let joined: String = line_texts(&paragraph, &lines).concat();
        let letters: String = joined.split_whitespace().collect();
        assert_eq!(
            letters,
            "Pneumonoultramicroscopicsilicovolcanoconiosisislong."
        );
    }

    #[test]
    fn fewest_lines_then_even_edges() {
        let paragraph = paragraph(TEXT);
        let total = width(&paragraph.glyphs);
        let max = total / 2.6;
        let lines = paragraph.break_lines(max);
        assert_eq!(lines.len(), 3);
        // The balanced break leaves no line much shorter than the others,
        // the last excepted.
        for line in &lines[..lines.len() - 1] {
            assert!(line.width > 0.75 * max, "{} of {max}", line.width);
        }
    }

    #[test]
    fn line_breaks_in_the_text_are_kept() {
        let paragraph = paragraph("First line.\nSecond line.");
        let texts = line_texts(&paragraph, &paragraph.break_lines(40.0));
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("First line."));
        assert!(texts[1].starts_with("Second line."));
    }

    #[test]
    fn cluster_text_gives_each_letter_once() {
        let paragraph = paragraph("Nguyễn");
        let text: String = (0..paragraph.glyphs.len())
            .map(|i| paragraph.cluster_text(i))
            .collect();
        assert_eq!(text, "Nguyễn");
    }
}
