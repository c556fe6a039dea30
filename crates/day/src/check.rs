//! The first step of a day: every row checked, its handout resolved and
//! fitted to its page, before anything is made.

use std::collections::BTreeSet;
use std::io::{self, Write};

use handout_content::{
    ReviewWarning, Roster, RosterField, RosterRow, RowError, SignOff, Topic, WeeksMismatch,
    approve_command,
};
use handout_render::{DocumentInfo, Fit, LongItem, RenderError, RenderOptions};

use crate::combined::CombinedSink;
use crate::names::file_names;
use crate::pool::parallel;
use crate::warning::{DraftRows, Note, Refusal, Warning};
use crate::{Day, DayOptions};

/// A roster with every row checked: each row's handout, resolved and
/// fitted to its page, or its error. Nothing is placed on a page or
/// written yet.
#[derive(Debug)]
pub struct Checked<'d> {
    pub(crate) day: &'d Day<'d>,
    pub(crate) roster: Roster,
    pub(crate) rows: Vec<Result<Ready, RowError>>,
    pub(crate) files: Vec<String>,
    /// Whether the combined PDF is for printing on both sides, each
    /// handout on a sheet of its own.
    two_sided: bool,
    warnings: Vec<Warning>,
    notes: Vec<Note>,
    drafts: Option<DraftRows>,
}

/// A row that can be made: the style its page fits in. Its handout is
/// resolved again from the row when it is made, which costs little, so
/// that a day does not hold every row's handout at once.
#[derive(Debug)]
pub(crate) struct Ready {
    pub fit: Fit,
}

/// What the check learns of a good row, beyond its fit: for the day's
/// warnings, taken before its handout is dropped.
struct Learned<'t> {
    topic: &'t Topic,
    mismatch: Option<WeeksMismatch>,
    more_info_left_out: bool,
    omitted: Vec<LongItem>,
}

impl<'a> Day<'a> {
    /// Checks every row of `roster`, on all cores: its cells, its request,
    /// and that its handout fits one page. `progress` is called once a row.
    pub fn check(&self, roster: Roster, progress: &(dyn Fn() + Sync)) -> Checked<'_> {
        let context = self.context();
        let checked = parallel(roster.rows.len(), self.options.jobs, |index| {
            let row = &roster.rows[index];
            let result = roster.request(row, &context).and_then(|request| {
                let options = RenderOptions {
                    paper: request.paper,
                    large_print: request.large_print,
                };
                let fitted = self.renderer.fit(&request.handout, &options);
                let fit = fitted.map_err(|error| RowError {
                    // A name or note the page cannot print is a refused
                    // cell of the roster.
                    field: match error.place() {
                        Some(RenderError::NAME) => Some(RosterField::Name),
                        Some(RenderError::MIDWIFE) => Some(RosterField::Midwife),
                        Some(RenderError::NOTE) => Some(RosterField::Note),
                        _ => None,
                    },
                    ..roster.row_error(row, error.to_string())
                })?;
                // Only large print leaves items out.
                let learned = Learned {
                    topic: request.topic,
                    mismatch: request.mismatch,
                    more_info_left_out: fit.more_info_left_out(&request.handout),
                    omitted: fit.omitted(&request.handout),
                };
                Ok((learned, Ready { fit }))
            });
            progress();
            result
        });

        let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut draft_lines = Vec::new();
        let mut draft_topics = BTreeSet::new();
        let mut mismatches = Vec::new();
        let rows: Vec<Result<Ready, RowError>> = checked
            .into_iter()
            .zip(&roster.rows)
            .map(|(result, row)| {
                result.map(|(learned, ready): (Learned<'_>, Ready)| {
                    let topic = learned.topic;
                    used.insert((&topic.id, &topic.language));
                    if topic.review.is_draft() {
                        draft_lines.push(row.line);
                        draft_topics.insert(topic.name());
                    }
                    if let Some(mismatch) = learned.mismatch {
                        mismatches.push(Warning::Weeks {
                            line: row.line,
                            mismatch,
                        });
                    }
                    if learned.more_info_left_out {
                        mismatches.push(Warning::MoreInfo { line: row.line });
                    }
                    if !learned.omitted.is_empty() {
                        mismatches.push(Warning::Omitted {
                            line: row.line,
                            items: learned.omitted,
                        });
                    }
                    ready
                })
            })
            .collect();
        // A topic past its review date, or whose approval has lapsed, is
        // named on every use, in the library's order: past it today, or on
        // the day the handouts are dated, if that is later.
        let review_day = self.options.today.max(self.options.date);
        let in_use = || {
            self.library
                .topics()
                .filter(|topic| used.contains(&(topic.id.as_str(), topic.language.as_str())))
        };
        let mut warnings: Vec<Warning> = in_use()
            .flat_map(|topic| self.practice.review_warnings(topic, review_day))
            .filter(|warning| {
                matches!(
                    warning,
                    ReviewWarning::Overdue { .. } | ReviewWarning::Lapsed { .. }
                )
            })
            .map(Warning::Review)
            .collect();
        // Only a practice with a practice file has a clinical lead to
        // approve its leaflets; a draft is named as one already.
        let mut notes: Vec<Note> = in_use()
            .filter(|_| self.practice.origin.is_some())
            .filter(|topic| {
                !topic.review.is_draft() && self.practice.sign_off(topic) == SignOff::NotApproved
            })
            .map(|topic| Note::Unapproved {
                topic: topic.name(),
                command: approve_command(topic),
            })
            .collect();
        // A combined file with a two-sided handout in it is printed on both
        // sides: then no handout may start on the back of another's.
        let fits = || rows.iter().filter_map(|row| row.as_ref().ok());
        let two_sided = self.options.combined && fits().any(|ready| ready.fit.pages() > 1);
        if two_sided {
            let blanks = fits().filter(|ready| ready.fit.pages() % 2 == 1).count();
            notes.push(Note::TwoSided { blanks });
        }
        let drafts = (!draft_lines.is_empty()).then(|| DraftRows {
            lines: draft_lines,
            topics: draft_topics.into_iter().collect(),
        });
        if self.options.allow_draft
            && let Some(drafts) = &drafts
        {
            warnings.push(Warning::Drafts(drafts.clone()));
        }
        // Each row's own, in roster order, after those of the whole day.
        warnings.extend(mismatches);
        let files = file_names(
            &roster.rows,
            self.options.template.as_ref(),
            self.options.date,
        );
        Checked {
            day: self,
            two_sided,
            files,
            warnings,
            notes,
            drafts,
            rows,
            roster,
        }
    }
}

impl Checked<'_> {
    /// The options the day is made with.
    pub fn options(&self) -> &DayOptions {
        &self.day.options
    }

    /// The roster as it was read.
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// The rows that failed their check, in roster order.
    pub fn failed_rows(&self) -> impl Iterator<Item = &RosterRow> {
        self.rows
            .iter()
            .zip(&self.roster.rows)
            .filter(|(checked, _)| checked.is_err())
            .map(|(_, row)| row)
    }

    /// Every row's error, in roster order.
    pub fn errors(&self) -> impl Iterator<Item = &RowError> {
        self.rows.iter().filter_map(|row| row.as_ref().err())
    }

    /// How many rows can be made.
    pub fn ready(&self) -> usize {
        self.rows.iter().filter(|row| row.is_ok()).count()
    }

    /// What to tell the user, though the day can be made: topics past
    /// their review date, rows printed as drafts, and rows whose weeks are
    /// more than a week off their due date's.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// What to know, though nothing calls for action before the day is
    /// made: topics the rows use that the practice has not approved, and
    /// a combined PDF to print on both sides.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Why nothing may be made: rows of a draft topic, without leave to
    /// print drafts.
    pub fn refusal(&self) -> Option<Refusal> {
        if self.day.options.allow_draft {
            return None;
        }
        self.drafts.clone().map(Refusal::Drafts)
    }

    /// The rows of a draft topic that can be made.
    pub fn drafts(&self) -> Option<&DraftRows> {
        self.drafts.as_ref()
    }

    /// Every row's file name, in roster order, failed rows too, so that a
    /// name does not change when another row is fixed.
    pub fn file_names(&self) -> &[String] {
        &self.files
    }

    /// Starts the day's combined PDF, written to `out` as handouts are
    /// made: a sink to give [`Checked::make`]. When a handout in it takes
    /// both sides of a sheet, each handout starts on a new sheet: a blank
    /// back follows each of one page ([`Note::TwoSided`]). It says of itself what the
    /// first row that can be made says (its title, language and date).
    /// Fails when no row can be made, or when the day's options did not
    /// ask for a combined PDF, for which the check then did not learn
    /// whether it is for printing on both sides.
    pub fn combined_pdf<W: Write>(&self, out: W) -> io::Result<CombinedSink<W>> {
        if !self.day.options.combined {
            return Err(io::Error::other(
                "the day was checked without a combined PDF in its options",
            ));
        }
        let first = self
            .rows
            .iter()
            .position(Result::is_ok)
            .ok_or_else(|| io::Error::other("no row of the roster can be made"))?;
        let handout = self
            .day
            .handout(&self.roster, first)
            .map_err(|error| io::Error::other(error.to_string()))?;
        let info = DocumentInfo::of(&handout);
        let pdf = self.day.renderer.combined_pdf(out, &info)?;
        Ok(CombinedSink::new(pdf, self.two_sided))
    }
}

#[cfg(test)]
mod tests {
    use handout_content::{Library, Practice};
    use handout_render::Renderer;

    use crate::testing::{MIXED, date, library, practice, roster};
    use crate::{Day, DayOptions, Note, Refusal, Warning};

    fn day<'a>(
        library: &'a Library,
        practice: &'a Practice,
        renderer: &'a Renderer,
        options: impl FnOnce(&mut DayOptions),
    ) -> Day<'a> {
        let mut day = DayOptions::new(date(), date());
        // Rows that name no topic get the built-in one.
        day.topic = Some("leg-cramps".into());
        options(&mut day);
        Day::new(library, practice, renderer, day).unwrap()
    }

    #[test]
    fn every_row_is_checked_and_each_failed_row_says_where_and_why() {
        let (library, practice, renderer) = (library(), practice(), Renderer::new());
        let day = day(&library, &practice, &renderer, |_| {});
        let checked = day.check(roster(&library, MIXED), &|| {});
        let errors: Vec<String> = checked.errors().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "clinic.csv, row 3, column C: weeks must be 1 to 42, not '50'",
                "clinic.csv, row 6, column F: unknown treatment item 'hot-bath'; did you mean 'warm-bath'? \
                 (valid ids: moist-heat, warm-bath, pain-relief, therapist, partner-massage, \
                 herbal)"
            ]
        );
        assert_eq!(checked.ready(), 4);
        assert_eq!(
            checked.file_names(),
            [
                "0001-Ana-López.pdf",
                "0002-Bea-Smith.pdf",
                "0003-Carmen-Ruiz.pdf",
                "0004-Dee-Jones.pdf",
                "0005-Eve-Brown.pdf",
                "0006-Fay-Green.pdf"
            ]
        );
    }

    #[test]
    fn drafts_are_refused_unless_allowed_and_overdue_topics_named() {
        let (library, practice, renderer) = (library(), practice(), Renderer::new());
        let refused = day(&library, &practice, &renderer, |_| {});
        let checked = refused.check(roster(&library, MIXED), &|| {});
        let overdue = "old-care (en) was due for review on 2025-03-01: have it reviewed, then \
                       update reviewed-on and review-due";
        let warnings: Vec<String> = checked.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings, [overdue]);
        assert_eq!(
            checked.refusal().map(|refusal| refusal.to_string()),
            Some(
                "nothing was made: row 4 (leg-cramps (es) is a draft, not yet clinically \
                 reviewed)"
                    .to_string()
            )
        );

        let allowed = day(&library, &practice, &renderer, |options| {
            options.allow_draft = true;
        });
        let checked = allowed.check(roster(&library, MIXED), &|| {});
        assert_eq!(checked.refusal(), None::<Refusal>);
        let warnings: Vec<String> = checked.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                overdue,
                "row 4 (leg-cramps (es) is a draft, not yet clinically reviewed): printed as \
                 drafts; their footer says so"
            ]
        );
        // A draft or an overdue topic that no row can use is not named.
        let checked = allowed.check(roster(&library, "name,weeks,language\nAna,50,es\n"), &|| {});
        assert_eq!(checked.warnings(), [] as [Warning; 0]);
        assert_eq!(checked.drafts(), None);
    }

    #[test]
    fn topics_the_practice_has_not_approved_are_noted_and_a_lapsed_approval_warned() {
        let (library, renderer) = (library(), Renderer::new());
        let english = library.topic(Some("leg-cramps"), Some("en")).unwrap();
        let approval = |topic: &str, sha256: &str| {
            format!(
                "[[approval]]\ntopic = \"{topic}\"\nlanguage = \"en\"\nversion = 5\n\
                 sha256 = \"{sha256}\"\nby = \"the Lead Midwife\"\non = 2026-12-06\n"
            )
        };
        let text = format!(
            "{}\n{}",
            approval("leg-cramps", &english.sha256),
            approval("old-care", &"0".repeat(64))
        );
        let practice = Practice::parse("practice.toml", &text).unwrap();
        let made = day(&library, &practice, &renderer, |options| {
            options.allow_draft = true;
        });
        let checked = made.check(roster(&library, MIXED), &|| {});
        let warnings: Vec<String> = checked.warnings().iter().map(ToString::to_string).collect();
        assert!(
            warnings.iter().any(|warning| warning.starts_with(
                "old-care (en) was approved for the practice by the Lead Midwife on 2026-12-06 \
                 as version 5, and its text has changed since"
            )),
            "{warnings:?}"
        );
        // Approved, lapsed (warned) and a draft (named as one): no note.
        assert_eq!(checked.notes(), [] as [Note; 0]);

        // A practice that has approved nothing: its topics in use are noted,
        // in the library's order; without a practice file, none are.
        let practice = Practice::parse("practice.toml", "").unwrap();
        let made = day(&library, &practice, &renderer, |options| {
            options.allow_draft = true;
        });
        let checked = made.check(roster(&library, MIXED), &|| {});
        let notes: Vec<String> = checked.notes().iter().map(ToString::to_string).collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].starts_with("leg-cramps (en) is not yet approved"),
            "{notes:?}"
        );
        assert!(
            notes[1].starts_with("old-care (en) is not yet approved"),
            "{notes:?}"
        );
        let nobody = Practice::default();
        let made = day(&library, &nobody, &renderer, |_| {});
        assert_eq!(
            made.check(roster(&library, MIXED), &|| {}).notes(),
            [] as [Note; 0]
        );
    }

    #[test]
    fn a_default_topic_that_is_not_there_is_refused_at_once() {
        let (library, practice, renderer) = (library(), practice(), Renderer::new());
        let mut options = DayOptions::new(date(), date());
        options.topic = Some("leg-cramp".into());
        let error = Day::new(&library, &practice, &renderer, options).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("there is no topic 'leg-cramp'; did you mean 'leg-cramps'?"),
            "{error}"
        );
    }

    #[test]
    fn a_row_that_does_not_fit_its_page_fails_at_its_row() {
        let (library, practice, renderer) = (library(), practice(), Renderer::new());
        let day = day(&library, &practice, &renderer, |options| {
            options.paper = Some(handout_content::Paper::Letter);
        });
        let note = "Please rest with your feet up when you can. ".repeat(13);
        let everything = "walking,calcium-magnesium,support-hose,exercise,calf-stretches,\
            ankle-rotation,side-sleeping,fluids,support-belt,massage,relief-techniques,rest,\
            movement-breaks";
        let text = format!(
            "name,prevention,note\nAna,\"{everything}\",\"{}\"\n",
            note.trim()
        );
        let checked = day.check(roster(&library, &text), &|| {});
        let error = checked.errors().next().expect("the row fails");
        assert_eq!((error.line, error.column), (2, None));
        assert!(
            error
                .message
                .starts_with("the handout does not fit on one page even at 12 pt"),
            "{error}"
        );
    }

    #[test]
    fn a_combined_pdf_needs_the_option_and_a_row_that_can_be_made() {
        let (library, practice, renderer) = (library(), practice(), Renderer::new());
        let without = day(&library, &practice, &renderer, |_| {});
        let checked = without.check(roster(&library, "name\nAna\n"), &|| {});
        let error = checked.combined_pdf(Vec::new()).err().unwrap();
        assert!(
            error.to_string().contains("without a combined PDF"),
            "{error}"
        );

        let with = day(&library, &practice, &renderer, |options| {
            options.combined = true
        });
        let checked = with.check(roster(&library, "name,weeks\nAna,50\n"), &|| {});
        let error = checked.combined_pdf(Vec::new()).err().unwrap();
        assert_eq!(error.to_string(), "no row of the roster can be made");
    }
}
