//! Counts what a typesetter would mark on a laid-out page: the defects of
//! line breaking and column flow that issue 21 lists, and a raggedness
//! figure, read from the placed lines alone.
//!
//! It reads a page as a proofreader does, from its text runs in reading
//! order, and needs of the handout only what the page cannot say: which
//! words are a name and which items are cautions. The breaker and the flow
//! avoid these defects; this module checks that they did, on fixtures.

use std::fmt;

use handout_content::Handout;

use super::MM;
use super::words::{is_phrase, is_short_word, starts_number};
use crate::fonts::Face;
use crate::page::{Element, Page, TextRun};
use crate::role::{ListPart, NotePart, Role, UrgentPart};

/// Space between the two columns, as `flow` leaves it.
const GUTTER_MM: f32 = 7.0;

/// What the page cannot say about its own words.
pub(crate) struct Facts {
    /// Names printed on the page (the patient's, the midwife's), each to be
    /// kept on one line where it fits.
    pub names: Vec<String>,
    /// The leads of the caution items, each to stay with the item it
    /// qualifies.
    pub cautions: Vec<String>,
}

impl Facts {
    /// The facts of a handout printed for a patient called `names[0]`.
    pub fn of(handout: &Handout, names: &[&str]) -> Facts {
        Facts {
            names: names.iter().map(|name| name.to_string()).collect(),
            cautions: handout
                .sections
                .iter()
                .flat_map(|section| &section.items)
                .filter(|item| item.caution)
                .map(|item| item.lead.trim().to_string())
                .collect(),
        }
    }
}

/// How often each class of defect occurs on a page, and how ragged its
/// right edges are.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Defects {
    /// A paragraph of two lines or more whose last line is one word.
    pub widows: usize,
    /// A line (not a paragraph's last) ending in a short function word of
    /// three letters or fewer with nothing after it ("It", "or", "of",
    /// "if", "the", "de", "la").
    pub short_ends: usize,
    /// A short phrase ("short of breath", "calf or thigh") broken before
    /// its short middle word.
    pub phrases: usize,
    /// A bold lead over two lines when it fits on one.
    pub leads: usize,
    /// A line ending in a number, parted from its unit or its noun.
    pub numbers: usize,
    /// A name broken when it fits on a line, after one of its hyphens when
    /// it has spaces, after a particle ("de la"), or between letters.
    pub names: usize,
    /// A heading last in its column.
    pub heading_feet: usize,
    /// An item whose lines are in two columns, so that its first line sits
    /// alone at the foot of one.
    pub split_items: usize,
    /// A list continued at the top of a column with no heading.
    pub continued: usize,
    /// A caution in another column than the item it qualifies.
    pub cautions: usize,
    /// A heading at the foot of the first column with one item under it, its
    /// list going on in the second.
    pub unbalanced: usize,
    /// The sum, over every line of the body's paragraphs but each one's
    /// last, of the square of the space left at the line's end, in em².
    pub raggedness: f32,
}

impl Defects {
    /// The defects, raggedness aside.
    pub fn total(&self) -> usize {
        self.widows
            + self.short_ends
            + self.phrases
            + self.leads
            + self.numbers
            + self.names
            + self.heading_feet
            + self.split_items
            + self.continued
            + self.cautions
            + self.unbalanced
    }

    /// The heading of the table `Display` writes rows of.
    pub const HEADER: &str = "widow short phrase lead number name head-foot split contd caution unbal | total  ragged em²";
}

impl fmt::Display for Defects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:5} {:5} {:6} {:4} {:6} {:4} {:9} {:5} {:5} {:7} {:5} | {:5} {:9.1}",
            self.widows,
            self.short_ends,
            self.phrases,
            self.leads,
            self.numbers,
            self.names,
            self.heading_feet,
            self.split_items,
            self.continued,
            self.cautions,
            self.unbalanced,
            self.total(),
            self.raggedness,
        )
    }
}

/// What a paragraph on the page is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Title,
    Byline,
    Heading,
    Intro,
    Item { urgent: bool },
    UrgentHeading,
    NoteHeading,
    NoteText,
    Footer,
}

impl Kind {
    /// The kind of paragraph a run of `role` belongs to.
    fn of(role: Role) -> Option<Kind> {
        Some(match role {
            Role::Title => Kind::Title,
            Role::Byline => Kind::Byline,
            Role::Heading | Role::HeadingAgain => Kind::Heading,
            Role::Paragraph => Kind::Intro,
            Role::ListItem(_) => Kind::Item { urgent: false },
            Role::Urgent(UrgentPart::Item(_)) => Kind::Item { urgent: true },
            Role::Urgent(UrgentPart::Heading) => Kind::UrgentHeading,
            Role::Note(NotePart::Heading) => Kind::NoteHeading,
            Role::Note(NotePart::Text) => Kind::NoteText,
            Role::Footer | Role::Pagination | Role::Link => Kind::Footer,
            Role::Urgent(UrgentPart::Box) | Role::Decoration | Role::Code => return None,
        })
    }

    /// Whether the paragraph is running text of the body, whose lines a
    /// reader reads as a paragraph.
    fn is_body(self) -> bool {
        matches!(
            self,
            Kind::Intro | Kind::Item { .. } | Kind::NoteText | Kind::Heading
        )
    }
}

/// One placed line of a paragraph.
#[derive(Debug)]
struct PlacedLine {
    x: f32,
    end: f32,
    baseline: f32,
    size: f32,
    text: String,
    /// The width of the bold runs on it.
    bold: f32,
}

/// A paragraph as placed: its lines in order.
#[derive(Debug)]
struct Placed {
    kind: Kind,
    column: usize,
    lines: Vec<PlacedLine>,
}

impl Placed {
    fn left(&self) -> f32 {
        self.lines
            .iter()
            .map(|line| line.x)
            .fold(f32::MAX, f32::min)
    }

    /// The bold lead's text.
    fn lead(&self, runs: &[&TextRun]) -> String {
        runs.iter()
            .filter(|run| run.face == Face::Bold && self.holds(run))
            .map(|run| run.text.as_str())
            .collect::<String>()
            .trim()
            .to_string()
    }

    fn holds(&self, run: &TextRun) -> bool {
        self.lines.iter().any(|line| {
            (line.baseline - run.baseline).abs() < 0.5
                && run.x >= line.x - 0.01
                && run.x <= line.end
        })
    }
}

/// Counts the defects on `page`.
pub(crate) fn count(page: &Page, facts: &Facts) -> Defects {
    let runs: Vec<&TextRun> = page.runs().collect();
    let paragraphs = paragraphs(page);
    let mut defects = Defects::default();
    for paragraph in paragraphs.iter().filter(|p| p.kind.is_body()) {
        count_lines(page, paragraph, &mut defects);
    }
    defects.names = count_names(page, &runs, facts);
    count_flow(&paragraphs, &runs, facts, &mut defects);
    defects
}

/// The page's paragraphs in reading order: a list item starts at its
/// label, anything else where the kind of run changes.
fn paragraphs(page: &Page) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    let column = |x: f32| usize::from(x > page.width / 2.0);
    let is_label = |role: Role| {
        matches!(
            role,
            Role::ListItem(ListPart::Label) | Role::Urgent(UrgentPart::Item(ListPart::Label))
        )
    };
    // An item starts at its label: a bullet, or the shapes of a pictogram
    // in its place, which comes before its item's text.
    let marks = page.elements.iter().filter_map(|element| match element {
        Element::Text(run) => Some((run.role, run.x, Some(run))),
        Element::Path(path) if is_label(path.role) => Some((path.role, path.bounds()[0], None)),
        _ => None,
    });
    let mut item_open = false;
    for (role, x, run) in marks {
        let Some(kind) = Kind::of(role) else {
            continue;
        };
        if is_label(role) {
            out.push(Placed {
                kind,
                column: column(x),
                lines: Vec::new(),
            });
            item_open = true;
            continue;
        }
        let Some(run) = run else { continue };
        let same = out.last().is_some_and(|last| last.kind == kind)
            && (item_open || !matches!(kind, Kind::Item { .. }));
        if !same {
            item_open = false;
            out.push(Placed {
                kind,
                column: column(run.x),
                lines: Vec::new(),
            });
        }
        let paragraph = out.last_mut().expect("a paragraph was pushed");
        let bold = if run.face == Face::Bold {
            run.width()
        } else {
            0.0
        };
        match paragraph.lines.last_mut() {
            Some(line) if (line.baseline - run.baseline).abs() < 0.5 => {
                if run.x > line.end + 0.15 * run.size && !line.text.ends_with(' ') {
                    line.text.push(' ');
                }
                line.text.push_str(&run.text);
                line.end = run.x + run.width();
                line.bold += bold;
            }
            _ => paragraph.lines.push(PlacedLine {
                x: run.x,
                end: run.x + run.width(),
                baseline: run.baseline,
                size: run.size,
                text: run.text.clone(),
                bold,
            }),
        }
    }
    out.retain(|paragraph| !paragraph.lines.is_empty());
    out
}

/// The right edge of the lines of a paragraph of `kind` in `column`.
fn right_edge(page: &Page, kind: Kind, column: usize, size: f32) -> f32 {
    let width = (page.width - 2.0 * page.margin - GUTTER_MM * MM) / 2.0;
    let right = if column == 0 {
        page.margin + width
    } else {
        page.width - page.margin
    };
    match kind {
        Kind::Item { urgent: true } | Kind::UrgentHeading => right - 1.5 - 0.6 * size,
        Kind::NoteHeading | Kind::NoteText => right - 0.6 * size,
        _ => right,
    }
}

/// Counts the defects of one paragraph's lines and adds its raggedness.
fn count_lines(page: &Page, paragraph: &Placed, defects: &mut Defects) {
    let lines = &paragraph.lines;
    let size = lines[0].size;
    let measure =
        right_edge(page, paragraph.kind, paragraph.column, page.body_size) - paragraph.left();
    if lines.len() > 1 && lines[lines.len() - 1].text.split_whitespace().count() == 1 {
        defects.widows += 1;
    }
    for pair in lines.windows(2) {
        let (line, next) = (&pair[0], &pair[1]);
        let Some(last) = line.text.split_whitespace().last() else {
            continue;
        };
        let after: Vec<&str> = next.text.split_whitespace().take(2).collect();
        if is_short_word(last) {
            defects.short_ends += 1;
        }
        if starts_number(last) && last.ends_with(char::is_alphanumeric) {
            defects.numbers += 1;
        }
        let ends_phrase = matches!(
            line.text.split_whitespace().rev().take(3).collect::<Vec<_>>()[..],
            [last, middle, first] if is_phrase(first, middle, last)
        );
        if let [middle, then] = after[..]
            && !ends_phrase
            && is_phrase(last, middle, then)
        {
            defects.phrases += 1;
        }
        let gap = (measure - (line.end - paragraph.left())) / size;
        if paragraph.kind != Kind::Heading {
            defects.raggedness += gap * gap;
        }
    }
    let bold_lines = lines.iter().filter(|line| line.bold > 0.0).count();
    let bold: f32 = lines.iter().map(|line| line.bold).sum();
    if bold_lines > 1 && bold <= measure + 0.01 {
        defects.leads += 1;
    }
    if lines
        .windows(2)
        .any(|pair| (pair[0].x > page.width / 2.0) != (pair[1].x > page.width / 2.0))
    {
        defects.split_items += 1;
    }
}

/// Counts the names broken inside themselves, in the byline and footer.
fn count_names(page: &Page, runs: &[&TextRun], facts: &Facts) -> usize {
    let measure = page.width - 2.0 * page.margin;
    let mut broken = 0;
    for role in [Role::Byline, Role::Footer] {
        // Each line's text, the lines in order.
        let mut lines: Vec<(f32, String)> = Vec::new();
        for run in runs.iter().filter(|run| run.role == role) {
            match lines.last_mut() {
                Some((baseline, text)) if (*baseline - run.baseline).abs() < 0.5 => {
                    text.push_str(&run.text)
                }
                _ => lines.push((run.baseline, run.text.clone())),
            }
        }
        for name in &facts.names {
            broken += lines
                .windows(2)
                .filter(|pair| is_name_broken(&pair[0].1, &pair[1].1, name, runs, measure))
                .count();
        }
    }
    broken
}

/// Whether `name` runs from the end of `line` onto `next` where it should
/// not: anywhere when it fits on a line, after a hyphen when it has
/// spaces, after a short particle, or between letters.
fn is_name_broken(line: &str, next: &str, name: &str, runs: &[&TextRun], measure: f32) -> bool {
    let line = line.trim_end();
    let next = next.trim_start();
    // The longest end of the line that starts the name, with the rest of
    // the name starting the next line.
    let split = (1..name.len())
        .filter(|&at| name.is_char_boundary(at))
        .filter(|&at| {
            let (head, tail) = name.split_at(at);
            line.ends_with(head.trim_end()) && next.starts_with(tail.trim_start())
        })
        .max();
    let Some(at) = split else {
        return false;
    };
    let (head, tail) = name.split_at(at);
    let fits = name_width(name, runs) <= measure;
    let at_space = head.ends_with(' ') || tail.starts_with(' ');
    let after_hyphen = head.ends_with('-');
    let after_particle = head.split_whitespace().last().is_some_and(|word| {
        at_space && word.chars().count() <= 3 && word.starts_with(char::is_lowercase)
    });
    fits || !(at_space || after_hyphen) || (after_hyphen && name.contains(' ')) || after_particle
}

/// The width of a name as set on the page, in points: its glyphs found in
/// the runs, and a space's width for each space.
fn name_width(name: &str, runs: &[&TextRun]) -> f32 {
    let squeezed: String = name.split_whitespace().collect();
    let glyphs: Vec<(&str, f32)> = runs
        .iter()
        .filter(|run| matches!(run.role, Role::Byline | Role::Footer))
        .flat_map(|run| {
            run.glyphs
                .iter()
                .filter(|glyph| !glyph.text.trim().is_empty())
                .map(move |glyph| (glyph.text.as_str(), glyph.advance * run.size))
        })
        .collect();
    for start in 0..glyphs.len() {
        let mut text = String::new();
        let mut width = 0.0;
        for (glyph, advance) in &glyphs[start..] {
            text.push_str(glyph);
            width += advance;
            if !squeezed.starts_with(&text) {
                break;
            }
            if text == squeezed {
                let size = runs.first().map_or(12.0, |run| run.size);
                return width + name.matches(' ').count() as f32 * 0.3 * size;
            }
        }
    }
    0.0
}

/// What a column holds, as the flow placed it.
#[derive(Debug, PartialEq)]
enum Block {
    Heading(String),
    Item { caution: bool },
    Other,
}

/// Counts the defects of the two columns' flow.
fn count_flow(paragraphs: &[Placed], runs: &[&TextRun], facts: &Facts, defects: &mut Defects) {
    let mut columns: [Vec<Block>; 2] = [Vec::new(), Vec::new()];
    for paragraph in paragraphs {
        let block = match paragraph.kind {
            Kind::Heading => Block::Heading(paragraph.lines[0].text.trim().to_string()),
            Kind::Item { urgent: false } => Block::Item {
                caution: facts.cautions.contains(&paragraph.lead(runs)),
            },
            // The urgent box and the note are one block each, which their
            // headings stand for.
            Kind::Intro | Kind::UrgentHeading | Kind::NoteHeading => Block::Other,
            _ => continue,
        };
        columns[paragraph.column].push(block);
    }
    let [first, second] = &columns;
    for column in &columns {
        if matches!(column.last(), Some(Block::Heading(_))) {
            defects.heading_feet += 1;
        }
    }
    if matches!(second.first(), Some(Block::Item { .. })) {
        defects.continued += 1;
    }
    for column in &columns {
        defects.cautions += column
            .iter()
            .take(1)
            .filter(|block| matches!(block, Block::Item { caution: true }))
            .count();
    }
    // A heading with one item at the foot of the first column, its list
    // going on in the second, under no heading or under the same one again.
    if let [.., Block::Heading(heading), Block::Item { .. }] = &first[..] {
        let goes_on = match second.first() {
            Some(Block::Item { .. }) => true,
            Some(Block::Heading(next)) => next.starts_with(heading.as_str()),
            _ => false,
        };
        if goes_on {
            defects.unbalanced += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Fonts;
    use crate::layout::layout_handout;
    use crate::layout::tests::NOTE_200;
    use crate::testing::{english, handout_of, spanish};
    use handout_content::{Paper, Patient, Picks, Practice, Pregnancy};

    fn practice() -> Practice {
        Practice::parse(
            "practice.example.toml",
            include_str!("../../../../content/practice.example.toml"),
        )
        .unwrap()
    }

    /// The fixtures: a name, the topic's language, whether the
    /// 200-character note is printed, and the papers it fits today (the
    /// Spanish page with the note is 1 mm too long for Letter).
    fn fixtures() -> Vec<(&'static str, &'static str, bool, &'static [Paper])> {
        const BOTH: &[Paper] = &[Paper::A4, Paper::Letter];
        vec![
            ("Ana López", "en", true, BOTH),
            ("Ana López", "en", false, BOTH),
            // With no practice, "Call your local emergency number now".
            ("Ana", "en", false, BOTH),
            ("Featherstonehaugh-Vandenberghe-Ramírez", "en", true, BOTH),
            ("María de la Concepción Ramírez", "en", true, BOTH),
            (
                "Featherstonehaugh-Vandenberghe Ramírez de la Concepción Smythe-Jones Abernathy J",
                "en",
                false,
                BOTH,
            ),
            (
                "Featherstonehaugh-Vandenberghe-Ramírez-Concepción-Smythe-Jones-Abernathy-Whitby",
                "en",
                false,
                BOTH,
            ),
            ("María de la Concepción Ramírez", "es", true, &[Paper::A4]),
            ("María de la Concepción Ramírez", "es", false, BOTH),
        ]
    }

    /// Lays out every fixture on A4 and Letter and counts its defects.
    fn count_fixtures() -> Vec<(String, Defects)> {
        let fonts = Fonts::new();
        let mut rows = Vec::new();
        for (name, language, note, papers) in fixtures() {
            let topic = if language == "es" {
                spanish()
            } else {
                english()
            };
            let patient = Patient {
                name: Some(name.into()),
                pregnancy: Some(Pregnancy::Weeks(28)),
                note: note.then(|| NOTE_200.to_string()),
                midwife: None,
            };
            let practice = if name == "Ana" {
                Practice::default()
            } else {
                practice()
            };
            let handout = handout_of(topic, &practice, &patient, &Picks::new());
            let facts = Facts::of(&handout, &[name, "Jo Smith"]);
            for &paper in papers {
                let label = format!(
                    "{language} {paper:?} {}{}",
                    name.chars().take(24).collect::<String>(),
                    if note { " +note" } else { "" }
                );
                let document = layout_handout(
                    &fonts,
                    &handout,
                    &crate::RenderOptions {
                        paper,
                        large_print: false,
                    },
                )
                .unwrap_or_else(|error| panic!("{label}: {error}"));
                assert_eq!(document.pages.len(), 1, "{label}");
                if std::env::var_os("DEFECTS_DUMP").is_some() {
                    println!("{label}\n{}", document.pages[0].dump(1));
                }
                rows.push((label, count(&document.pages[0], &facts)));
            }
        }
        rows
    }

    #[test]
    fn defects_on_the_fixtures() {
        // The breaker before issue 21 (fewest lines, then the most even
        // right edge), on the same pages, for comparison.
        crate::layout::inline::PLAIN_BREAKS.set(true);
        let plain = count_fixtures();
        crate::layout::inline::PLAIN_BREAKS.set(false);
        let plain_total: usize = plain.iter().map(|(_, defects)| defects.total()).sum();
        let plain_ragged: f32 = plain.iter().map(|(_, defects)| defects.raggedness).sum();
        println!(
            "the breaker without break costs: {plain_total} defects, raggedness \
             {plain_ragged:.1} em²"
        );
        let rows = count_fixtures();
        println!("{:40} {}", "fixture", Defects::HEADER);
        let mut sum = Defects::default();
        for (label, defects) in &rows {
            println!("{label:40} {defects}");
            sum.raggedness += defects.raggedness;
        }
        let total: usize = rows.iter().map(|(_, defects)| defects.total()).sum();
        println!(
            "all fixtures: {total} defects, raggedness {:.1} em²",
            sum.raggedness
        );
        // Every class is held at zero on every fixture, but two pages that
        // are full at the smallest size, where the fix costs a line the
        // page does not have: the Letter page with the note keeps its
        // lists whole only by breaking one over the columns, with no room
        // left in the second for its heading again, and so does the
        // Spanish A4 page with the note (which, before version 4 of the
        // text, ended a line on "por la" instead). One of the two, and no
        // more, on each.
        for (label, defects) in &rows {
            let full_letter = label.starts_with("en Letter") && label.ends_with("+note");
            let full_spanish = label.starts_with("es A4") && label.ends_with("+note");
            assert!(
                defects.total() <= usize::from(full_letter || full_spanish),
                "{label}: {defects}"
            );
            let kept = [
                ("one-word last lines", defects.widows, 0),
                (
                    "short words at a line's end",
                    defects.short_ends,
                    usize::from(full_spanish),
                ),
                ("short phrases split", defects.phrases, 0),
                ("bold leads broken", defects.leads, 0),
                ("numbers parted from their unit", defects.numbers, 0),
                ("names broken", defects.names, 0),
                ("headings at a column's foot", defects.heading_feet, 0),
                ("items split over columns", defects.split_items, 0),
                (
                    "lists continued with no heading",
                    defects.continued,
                    usize::from(full_letter || full_spanish),
                ),
                ("cautions apart from their item", defects.cautions, 0),
                ("heading and one item at a foot", defects.unbalanced, 0),
            ];
            for (class, count, allowed) in kept {
                assert!(count <= allowed, "{label}: {count} {class}");
            }
        }
    }
}
