//! Breaks a shaped paragraph into lines, and a line into text runs.
//!
//! A paragraph is shaped once, in ems, and can then be broken for any column
//! width and font size without shaping again: the fitting loop tries many.
//! Lines are chosen for the whole paragraph at once: first the fewest lines,
//! then the most even right edge, then no lonely last word.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use smol_str::SmolStr;
use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::words::{is_phrase, is_short_word, starts_number};
use crate::fonts::Fonts;
use crate::page::{Color, Element, PlacedGlyph, TextRun};
use crate::role::Role;
use crate::shape::{Glyph, SpanRange, Writing, shape_paragraph, width};

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

/// A shaped paragraph, ready to be broken into lines. Cheap to clone: a
/// paragraph of the topic's own words is made once per process and shared
/// by every handout that prints it ([`Fonts::paragraph`]), and each keeps
/// the lines it was last broken into at each measure.
#[derive(Debug, Clone)]
pub struct Paragraph {
    shaped: Arc<Shaped>,
}

impl std::ops::Deref for Paragraph {
    type Target = Shaped;

    fn deref(&self) -> &Shaped {
        &self.shaped
    }
}

/// What a [`Paragraph`] holds.
#[derive(Debug)]
pub struct Shaped {
    /// The paragraph's text, the spans joined.
    pub text: String,
    /// Its glyphs, in text order.
    pub glyphs: Vec<Glyph>,
    /// Pieces between break opportunities, in order.
    pieces: Vec<Piece>,
    /// Whether the paragraph runs right to left, on a mirrored page.
    pub rtl: bool,
    /// What a break after each piece costs besides raggedness: see
    /// [`break_penalties`].
    penalties: Vec<Penalty>,
    /// The lines it was broken into, by measure and cost of a line: the
    /// same paragraph is broken at the same few measures on every
    /// handout, and in every style a fit tries.
    broken: Mutex<Vec<(BreakKey, Vec<Line>)>>,
}

/// What a paragraph's lines depend on besides the paragraph: the measure
/// and the cost of an extra line (as bits), and in tests whether breaking
/// is plain.
type BreakKey = (u32, u32, bool);

/// How many measures a paragraph keeps its lines for.
const BROKEN_KEPT: usize = 8;

impl Clone for Shaped {
    fn clone(&self) -> Self {
        Shaped {
            text: self.text.clone(),
            glyphs: self.glyphs.clone(),
            pieces: self.pieces.clone(),
            rtl: self.rtl,
            penalties: self.penalties.clone(),
            broken: Mutex::default(),
        }
    }
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
    /// Shapes the spans as one left-to-right paragraph.
    #[cfg(test)]
    pub fn new(fonts: &Fonts, spans: &[Span<'_>]) -> Paragraph {
        Paragraph::written(fonts, spans, Writing::default())
    }

    /// Shapes the spans as one paragraph written as `writing` says: once
    /// per process, if every span is the topic's own words.
    pub fn written(fonts: &Fonts, spans: &[Span<'_>], writing: Writing) -> Paragraph {
        if spans.iter().all(|span| span.fixed) {
            fonts.paragraph(spans, writing, || Paragraph::shaped(fonts, spans, writing))
        } else {
            Paragraph::shaped(fonts, spans, writing)
        }
    }

    /// Shapes the spans as one paragraph, every time.
    fn shaped(fonts: &Fonts, spans: &[Span<'_>], writing: Writing) -> Paragraph {
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(spans.len());
        for span in spans {
            let start = text.len();
            text.push_str(span.text);
            ranges.push(SpanRange {
                range: start..text.len(),
                bold: span.bold,
                fixed: span.fixed,
            });
        }
        // A line break has no glyph; shaped as a space (same length in
        // bytes, so clusters still match `text`) it becomes trailing space.
        let mut glyphs = Vec::new();
        if text.contains(['\n', '\r']) {
            let shapeable = text.replace(['\n', '\r'], " ");
            shape_paragraph(fonts, &shapeable, &ranges, writing, &mut glyphs);
        } else {
            shape_paragraph(fonts, &text, &ranges, writing, &mut glyphs);
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
            shaped: Arc::new(Shaped {
                text,
                glyphs,
                pieces,
                rtl: writing.rtl,
                penalties,
                broken: Mutex::default(),
            }),
        }
    }

    /// The paragraph's own, to change: a copy if it is shared, with no
    /// lines kept, as changing it changes them.
    fn to_mut(&mut self) -> &mut Shaped {
        let shaped = Arc::make_mut(&mut self.shaped);
        shaped
            .broken
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        shaped
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

    /// The text a glyph stands for in the PDF's ToUnicode map: its
    /// cluster's, on the cluster's first glyph. But where a right-to-left
    /// cluster has as many glyphs as characters (a letter and its vowel
    /// marks), each glyph stands for its own character, in text order: a
    /// reader puts such text back in order glyph by glyph, and would turn
    /// the whole text of a run, given as ActualText, around.
    ///
    /// A right-to-left glyph that stands for several characters (the
    /// ligature of "الله" in "عبد الله") stands for them from the last:
    /// a reader takes a glyph's characters as drawn from left to right,
    /// as it takes the glyphs, and turns the right-to-left run around
    /// whole, so that given in text order they would come out reversed.
    pub fn glyph_text(&self, index: usize) -> Cow<'_, str> {
        let text = match self.own_character(index) {
            Some(range) => &self.text[range],
            None => self.cluster_text(index),
        };
        let mut chars = text.chars();
        if !self.glyphs[index].level.is_multiple_of(2)
            && chars.next().is_some()
            && chars.next().is_some()
        {
            Cow::Owned(text.chars().rev().collect())
        } else {
            Cow::Borrowed(text)
        }
    }

    /// The bytes of the one character glyph `index` stands for, when its
    /// right-to-left cluster is split character by character.
    fn own_character(&self, index: usize) -> Option<Range<usize>> {
        let glyph = &self.glyphs[index];
        if glyph.level.is_multiple_of(2) || !self.is_shared_cluster(index) {
            return None;
        }
        let first = self.glyphs[..index]
            .iter()
            .rev()
            .take_while(|other| other.cluster == glyph.cluster)
            .count();
        let count = first
            + self.glyphs[index..]
                .iter()
                .take_while(|other| other.cluster == glyph.cluster)
                .count();
        let text = self.cluster_text(index - first);
        if text.chars().count() != count {
            return None;
        }
        let (at, c) = text.char_indices().nth(first)?;
        Some(glyph.cluster + at..glyph.cluster + at + c.len_utf8())
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
        self.break_with(max, LINE_COST)
    }

    /// Breaks the paragraph as `break_lines` does, but lets it take a line
    /// more than it needs where that is the only way to keep a short word
    /// or phrase, a number and its unit, a lead or a name together, or to
    /// avoid one word alone on the last line: an extra line costs a little
    /// less than the least of those defects, and more than any line's
    /// raggedness, so that a paragraph with none keeps its lines.
    pub fn break_lines_loosely(&self, max: f32) -> Vec<Line> {
        self.break_with(max, LOOSE_LINE_COST)
    }

    /// Breaks the paragraph, an extra line costing `line_cost` squares of
    /// the measure.
    fn break_with(&self, max: f32, line_cost: f32) -> Vec<Line> {
        let key = (max.to_bits(), line_cost.to_bits(), plain_breaks());
        let kept = |broken: &Vec<(BreakKey, Vec<Line>)>| {
            broken
                .iter()
                .find(|(kept, _)| *kept == key)
                .map(|(_, lines)| lines.clone())
        };
        if let Some(lines) = kept(&self.broken.lock().unwrap_or_else(PoisonError::into_inner)) {
            return lines;
        }
        let lines = self.break_anew(max, line_cost);
        let mut broken = self.broken.lock().unwrap_or_else(PoisonError::into_inner);
        if kept(&broken).is_none() {
            if broken.len() == BROKEN_KEPT {
                broken.remove(0);
            }
            broken.push((key, lines.clone()));
        }
        lines
    }

    /// Breaks the paragraph as [`Paragraph::break_with`] does, every time.
    fn break_anew(&self, max: f32, line_cost: f32) -> Vec<Line> {
        let plain = plain_breaks();
        let (pieces, penalties) = self.fitting_pieces(max);
        let n = pieces.len();
        if n == 0 {
            return Vec::new();
        }
        let square = max * max;
        let line_cost = line_cost * square;
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
                    let penalty = if plain {
                        0.0
                    } else {
                        penalties[end - 1].total(lead)
                    };
                    slack * slack + penalty * square
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
            .take_while(|glyph| glyph.face.is_bold())
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
    /// more than a break at a space. A break just before it costs nothing
    /// more, so that a name too long for the rest of a line starts the
    /// next.
    pub fn mark_name(&mut self, bytes: Range<usize>) {
        let shaped = self.to_mut();
        for (piece, penalty) in shaped.pieces.iter().zip(&mut shaped.penalties) {
            let Some(next) = shaped.glyphs.get(piece.glyphs.end) else {
                continue;
            };
            let at = next.cluster;
            if at == bytes.start {
                // The name starts the next line: the words before it
                // ("Prepared for") end this one, whatever they are.
                penalty.words = 0.0;
            }
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

    /// Keeps only the break opportunities after which `may_break` lets a
    /// line end, given the paragraph's text before the break; the others
    /// join the pieces around them. For a web address, whose every hyphen
    /// and dot is a break to Unicode's rules, but where a line that ends in
    /// a hyphen reads as a word broken in two. A piece then too long for a
    /// line is still cut between letters rather than left to overflow.
    pub fn keep_breaks(&mut self, may_break: impl Fn(&str) -> bool) {
        let shaped = self.to_mut();
        let mut pieces: Vec<Piece> = Vec::with_capacity(shaped.pieces.len());
        let mut penalties: Vec<Penalty> = Vec::with_capacity(shaped.penalties.len());
        for (piece, penalty) in shaped.pieces.drain(..).zip(shaped.penalties.drain(..)) {
            let before = &shaped.text[..shaped.glyphs[piece.glyphs.start].cluster];
            match (pieces.last_mut(), penalties.last_mut()) {
                (Some(last), Some(last_penalty)) if !last.forced && !may_break(before) => {
                    last.glyphs.end = piece.glyphs.end;
                    last.width += piece.width;
                    last.trailing = piece.trailing;
                    last.forced = piece.forced;
                    *last_penalty = penalty;
                }
                _ => {
                    pieces.push(piece);
                    penalties.push(penalty);
                }
            }
        }
        shaped.pieces = pieces;
        shaped.penalties = penalties;
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

#[cfg(test)]
thread_local! {
    /// Whether this thread breaks lines as the breaker before issue 21 did:
    /// the fewest lines, then the most even right edge and no lone last
    /// word, with no cost for the words at a break and no line taken more.
    /// The defects test sets it to measure both breakers on the same pages.
    pub(crate) static PLAIN_BREAKS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether lines are broken as the breaker before issue 21 did: only ever
/// in the defects test.
#[cfg(test)]
pub(crate) fn plain_breaks() -> bool {
    PLAIN_BREAKS.get()
}

#[cfg(not(test))]
pub(crate) fn plain_breaks() -> bool {
    false
}

/// What an extra line costs, in squares of the measure: more than all the
/// raggedness and the lesser penalties of a paragraph together.
const LINE_COST: f32 = 1000.0;
/// What an extra line costs where a paragraph may take one to avoid a
/// defect: more than the worst raggedness of a line, less than the least
/// defect.
const LOOSE_LINE_COST: f32 = 1.05;
/// One word alone on a paragraph's last line: more than a line's worst
/// raggedness, less than an extra line.
const WIDOW: f32 = 1.1;
/// A short function word ("It", "or", "if", "the") at a line's end, or a
/// short phrase ("short of breath") split: a line about 22 % of the
/// measure short costs as much. At 0.2 the breaker left lines half empty
/// to move one "or" ("Call 999 now if you have leg / pain or swelling and
/// you are / short of breath"): raggedness over all fixtures doubled to
/// 3,407 em², against 2,537 em² here, for 26 short words fewer.
const SHORT_BREAK: f32 = 1.5;
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
            // A word that ends one phrase ("short of breath") starts no
            // other ("breath or have").
            let ends_phrase = i >= 2 && is_phrase(word(i - 2), word(i - 1), before);
            let phrase = at_space && !ends_phrase && is_phrase(before, word(i + 1), word(i + 2));
            let words = if number {
                KEEP_TOGETHER
            } else if short || phrase {
                SHORT_BREAK
            } else {
                0.0
            };
            let in_lead = glyphs[piece.glyphs.end - 1].face.is_bold()
                && glyphs
                    .get(piece.glyphs.end)
                    .is_some_and(|next| next.face.is_bold());
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

/// Adds one broken line as text runs, one per face and direction,
/// starting at `x`.
///
/// The line's glyphs are put in visual order by the bidi algorithm's rule
/// L2: from the highest level down to the lowest odd one, every run at that
/// level or higher is reversed. A right-to-left paragraph is set on a page
/// that is mirrored once laid out ([`mirror`]), so its runs are placed here
/// from the right: mirroring puts them back in visual order.
pub(crate) fn push_line(
    elements: &mut Vec<Element>,
    paragraph: &Paragraph,
    line: &Line,
    x: f32,
    baseline: f32,
    pen: Pen,
) {
    let glyphs = &paragraph.glyphs;
    let mut pen_x = x;
    let mut place = |mut run: TextRun| {
        run.x = pen_x;
        pen_x += run.width();
        elements.push(Element::Text(run));
    };
    // Nearly every line is of a left-to-right paragraph with no
    // right-to-left text on it: its glyphs are drawn in text order, a run
    // for each face, with no need to put them in visual order first.
    if !paragraph.rtl
        && glyphs[line.glyphs.clone()]
            .iter()
            .all(|glyph| glyph.level.is_multiple_of(2))
    {
        let mut start = line.glyphs.start;
        while start < line.glyphs.end {
            let face = glyphs[start].face;
            let end = start
                + glyphs[start..line.glyphs.end]
                    .iter()
                    .take_while(|glyph| glyph.face == face)
                    .count();
            place(text_run(paragraph, start..end, start..end, baseline, pen));
            start = end;
        }
        return;
    }
    let order = visual_order(glyphs, line.glyphs.clone());
    let mut runs: Vec<TextRun> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let first = &glyphs[order[start]];
        let rtl = first.level % 2 == 1;
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| {
                    let glyph = &glyphs[i];
                    glyph.face == first.face && (glyph.level % 2 == 1) == rtl
                })
                .count();
        let indices = &order[start..end];
        let lowest = indices.iter().copied().min().unwrap_or(0);
        let highest = indices.iter().copied().max().unwrap_or(0);
        runs.push(text_run(
            paragraph,
            indices.iter().copied(),
            lowest..highest + 1,
            baseline,
            pen,
        ));
        start = end;
    }
    if paragraph.rtl {
        runs.reverse();
    }
    runs.into_iter().for_each(place);
}

/// The glyphs of `range` in the order they are drawn, left to right.
fn visual_order(glyphs: &[Glyph], range: Range<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = range.collect();
    let levels = || order.iter().map(|&i| glyphs[i].level);
    let highest = levels().max().unwrap_or(0);
    let Some(lowest_odd) = levels().filter(|level| level % 2 == 1).min() else {
        return order;
    };
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < order.len() {
            if glyphs[order[i]].level < level {
                i += 1;
                continue;
            }
            let run = order[i..]
                .iter()
                .take_while(|&&g| glyphs[g].level >= level)
                .count();
            order[i..i + run].reverse();
            i += run;
        }
    }
    order
}

/// One run of a line: `indices` are glyphs of one face and direction, in
/// visual order, which together are the glyphs `covered` in text order.
/// Its text is given in logical order.
fn text_run(
    paragraph: &Paragraph,
    indices: impl Iterator<Item = usize>,
    covered: Range<usize>,
    baseline: f32,
    pen: Pen,
) -> TextRun {
    let glyphs = &paragraph.glyphs;
    let first = &glyphs[covered.start];
    let text_end = glyphs
        .get(covered.end)
        .map_or(paragraph.text.len(), |glyph| glyph.cluster);
    TextRun {
        x: 0.0,
        baseline,
        size: pen.size,
        face: first.face,
        color: pen.color,
        role: pen.role,
        glyphs: indices
            .map(|i| {
                let glyph = &glyphs[i];
                // A left-to-right glyph's text is its cluster's, as
                // `glyph_text` would find after its right-to-left checks.
                let text = match glyph.level.is_multiple_of(2) {
                    true => SmolStr::new(paragraph.cluster_text(i)),
                    false => SmolStr::new(paragraph.glyph_text(i)),
                };
                PlacedGlyph {
                    id: glyph.id,
                    advance: glyph.advance,
                    x_offset: glyph.x_offset,
                    y_offset: glyph.y_offset,
                    text,
                }
            })
            .collect(),
        text: paragraph.text[first.cluster..text_end].to_string(),
        right_to_left: !first.level.is_multiple_of(2),
    }
}

/// Mirrors a laid-out page left to right, for a right-to-left leaflet:
/// every box, rule and line of text moves to the other side, each line of
/// text whole (its glyphs keep their order, set by [`push_line`]).
pub(crate) fn mirror(elements: &mut [Element], page_width: f32) {
    for element in elements {
        match element {
            Element::Text(run) => run.x = page_width - run.x - run.width(),
            Element::Rect(rect) => rect.x = page_width - rect.x - rect.width,
            Element::Rule(rule) => {
                let (x, x_end) = (rule.x, rule.x_end);
                rule.x = page_width - x_end;
                rule.x_end = page_width - x;
            }
            Element::Path(path) => path.mirrored(page_width),
        }
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
    fn chinese_and_japanese_break_between_any_two_ideographs_but_not_before_closing_marks() {
        // No spaces: a line may end after any ideograph or kana, but never
        // before a closing mark ("。", "、", "」", "ー"): kinsoku, as UAX #14
        // classes them (CL, NS).
        let texts = [
            "睡前做小腿伸展运动，床边放一杯水。如果每晚都被抽筋痛醒，或者一条腿肿了、红了，\
             请给我打电话。下次见。",
            "寝る前にふくらはぎを伸ばし、枕元に水を置いてください。毎晩こむら返りで目が覚める、\
             または片足が腫れたり赤くなったりしたら、電話してください。「また来週」。",
        ];
        let never_first = ['。', '，', '、', '」', '）', 'ー', 'ッ'];
        for text in texts {
            let paragraph = paragraph(text);
            for max in [3.0, 5.5, 8.0, 12.0] {
                let lines = paragraph.break_lines(max);
                let texts = line_texts(&paragraph, &lines);
                assert!(lines.len() > 1, "{max}: {texts:?}");
                assert_eq!(texts.concat(), text, "{max}: nothing lost or added");
                for (line, text) in lines.iter().zip(&texts) {
                    assert!(line.width <= max + 1e-4, "{text:?} is {} em", line.width);
                    assert!(
                        !text.starts_with(never_first),
                        "{max}: a line starts with a closing mark: {texts:?}"
                    );
                }
                // Lines end between ideographs, not only at punctuation: at
                // 5.5 ems no clause fits whole.
                if max == 5.5 {
                    assert!(
                        texts.iter().any(|text| !text.ends_with(never_first)),
                        "{texts:?}"
                    );
                }
            }
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
    /// A paragraph of a right-to-left leaflet.
    fn right_to_left(text: &str) -> Paragraph {
        let span = Span {
            text,
            bold: false,
            fixed: false,
        };
        Paragraph::written(&Fonts::new(), &[span], Writing::of_language("ar"))
    }

    /// The runs of a paragraph's first line, as a page shows them: left
    /// to right, each with its text and its glyphs' texts in drawing order.
    fn drawn(paragraph: &Paragraph) -> Vec<(String, String)> {
        let line = &paragraph.break_lines(200.0)[0];
        let mut elements = Vec::new();
        let pen = Pen {
            size: 10.0,
            color: crate::page::Color(0, 0, 0),
            role: Role::Paragraph,
        };
        push_line(&mut elements, paragraph, line, 10.0, 20.0, pen);
        if paragraph.rtl {
            mirror(&mut elements, 600.0);
        }
        let mut runs: Vec<&TextRun> = elements
            .iter()
            .filter_map(|element| match element {
                Element::Text(run) => Some(run),
                _ => None,
            })
            .collect();
        runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        for pair in runs.windows(2) {
            assert!(
                pair[0].x + pair[0].width() <= pair[1].x + 0.01,
                "runs overlap"
            );
        }
        runs.iter()
            .map(|run| {
                let glyphs: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
                (run.text.trim().to_string(), glyphs.trim().to_string())
            })
            .filter(|(text, _)| !text.is_empty())
            .collect()
    }

    #[test]
    fn a_right_to_left_name_is_drawn_right_to_left_inside_a_left_to_right_line() {
        let runs = drawn(&paragraph("Anna عائشة Smith"));
        let texts: Vec<&str> = runs.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(texts, ["Anna", "عائشة", "Smith"]);
        // The Arabic is drawn from its last letter to its first.
        let reversed: String = "عائشة".chars().rev().collect();
        assert_eq!(runs[1].1, reversed);
        assert_eq!(runs[0].1, "Anna");
    }

    #[test]
    fn a_right_to_left_ligature_stands_for_its_letters_from_the_last() {
        // Noto Naskh Arabic draws the "لله" of "الله" as one glyph. A reader
        // takes the glyphs' texts as drawn, left to right, and turns the
        // right-to-left run around whole: the ligature's letters must come
        // last first, as the glyphs do, to come out in text order.
        let name = "عبد الله";
        let runs = drawn(&paragraph(name));
        let (text, glyphs) = &runs[0];
        assert_eq!(text, name);
        assert!(
            glyphs.chars().count() == name.chars().count(),
            "every letter is given: {glyphs:?}"
        );
        let read: String = glyphs.chars().rev().collect();
        assert_eq!(read, name);
    }

    #[test]
    fn numbers_and_latin_keep_their_order_on_a_right_to_left_page() {
        let runs = drawn(&right_to_left("من 6 أشهر Ana Lopez"));
        let texts: Vec<&str> = runs.iter().map(|(text, _)| text.as_str()).collect();
        // Read right to left: "من", "6", "أشهر", then the Latin name, which
        // reads left to right within itself.
        assert_eq!(texts, ["Ana Lopez", "أشهر", "6", "من"]);
        assert_eq!(runs[0].1, "Ana Lopez");
        // A name in two faces is one left-to-right run of them.
        let runs = drawn(&right_to_left("أعدت من أجل 王秀英 (Wang Xiuying)"));
        let texts: Vec<&str> = runs.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(texts, ["王秀英", "(Wang Xiuying)", "أعدت من أجل"]);
        // What the midwife typed keeps its own direction: a phone number's
        // groups, an address's house number.
        for typed in ["01632 960 123", "12 River Street, EX1 2AB"] {
            let runs = drawn(&right_to_left(typed));
            assert_eq!(runs.len(), 1, "{runs:?}");
            assert_eq!(runs[0].1, typed);
        }
    }

    #[test]
    fn arabic_letters_join() {
        let isolated = paragraph("ع");
        let word = paragraph("عائشة");
        assert!(
            word.glyphs
                .iter()
                .all(|glyph| glyph.id != 0 && glyph.level == 1)
        );
        // The initial form of ain is another glyph than the isolated one.
        assert_ne!(isolated.glyphs[0].id, word.glyphs[0].id);
        assert_eq!(word.glyphs[0].face, crate::fonts::Face::ArabicRegular);
    }
}
