//! The command line as clap parses it, before any value is checked.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// What every command's exit code means, for the end of its help.
macro_rules! exit_status {
    () => {
        "

Exit status:
  0  everything asked for was made
  1  some of it could not be made for what it asks (a roster row or the
     handout: an unknown item, weeks out of range, a page too full), or a
     topic file failed its check; the rest was made
  2  the command stopped before making anything: a usage error, or a
     practice file, content folder, roster or output place that cannot be
     used (or, for batch, a combined file or manifest that a full disk cut
     short, which the message explains)"
    };
}

const EXAMPLES: &str = concat!(
    "\
Examples:
  handout list
  handout render --name \"Ana López\" --weeks 28 -o ana.pdf
  handout render --name \"Ana López\" --due-date 2027-02-17 \\
      --prevention walking,calf-stretches --treatment warm-bath \\
      --note \"Call me if the cramps wake you every night.\" \\
      --practice practice.toml --paper letter -o ana.pdf
  handout render --content leaflets --topic back-care \\
      --pick at-home=all --name \"Ana López\" -o ana.pdf",
    exit_status!()
);

/// Prints personalised one-page patient handouts.
#[derive(Debug, Parser)]
#[command(name = "handout", version, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the topics, or one topic's sections and every item id, marking
    /// the defaults.
    #[command(after_help = concat!("Example:\n  handout list leg-cramps --language es", exit_status!()))]
    List(ListArgs),
    /// List every topic and language with where it comes from, its version,
    /// whether it is reviewed and when its review is due, whether the
    /// practice approved it, and any error.
    #[command(after_help = concat!("Example:\n  handout topics --content leaflets", exit_status!()))]
    Topics(TopicsArgs),
    /// Show a leaflet's whole text for the practice's clinical lead to read,
    /// with its version and SHA-256, and the [[approval]] entry to add to
    /// the practice file once she approves it. Writes nothing.
    #[command(after_help = APPROVE_EXAMPLES)]
    Approve(ApproveArgs),
    /// Write one handout as a PDF.
    #[command(after_help = EXAMPLES)]
    Render(Box<RenderArgs>),
    /// Write one handout per patient of a roster, a combined file to print
    /// and a manifest.
    #[command(after_help = BATCH_EXAMPLES)]
    Batch(Box<BatchArgs>),
    /// Check topic files before a patient sees them: every error located,
    /// each translation against its original, review dates, and the
    /// reading age of English text.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Print the JSON Schema of topic files, for an editor's completion and
    /// checks as you type, or write it into a folder of topics.
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema(SchemaArgs),
    /// Start your practice's own leaflet: a draft topic file, with a
    /// placeholder for every sentence, that `handout check` passes.
    #[command(after_help = NEW_TOPIC_EXAMPLES)]
    NewTopic(NewTopicArgs),
    /// Open the form in a browser on this computer: tick the advice, type
    /// the name and a note, see the page as it prints, then print it; or
    /// drop in a clinic day's roster.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Print an example practice file to start your own from.
    #[command(after_help = concat!("Example:\n  handout practice --example > practice.toml", exit_status!()))]
    Practice(PracticeArgs),
}

/// Where the topics come from, and the practice's details: shared by
/// every command that prints or lists.
#[derive(Debug, Args)]
pub struct ContentArgs {
    /// The practice's details: name, phone, address, emergency number,
    /// default midwife, paper, its own topics' folder and how its rosters
    /// read (`handout practice --example` shows one).
    #[arg(long, value_name = "FILE")]
    pub practice: Option<PathBuf>,

    /// A folder of the practice's own topics, named TOPIC.LANG.toml; one
    /// with a built-in's topic and language replaces it. Overrides the
    /// practice file's `content`.
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
}

/// Options of `handout list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The topic to show; without it, every topic and language.
    #[arg(value_name = "TOPIC")]
    pub topic: Option<String>,

    /// The language of the topic to show.
    #[arg(long, value_name = "LANG")]
    pub language: Option<String>,

    #[command(flatten)]
    pub content: ContentArgs,
}

/// Options of `handout topics`.
#[derive(Debug, Args)]
pub struct TopicsArgs {
    #[command(flatten)]
    pub content: ContentArgs,
}

const APPROVE_EXAMPLES: &str = concat!(
    "\
The leaflet's text is printed with every item's id, sources and hint, and
which items print when the midwife picks nothing. Once the lead approves
it, paste the [[approval]] entry printed at the end into the practice file:
the leaflet's footer then says \"approved by NAME, MONTH YEAR\" (the
practice's name is on the line above it).
The approval covers that text only: when the file changes (the practice's
copy is edited, or a new version of handout brings new words), every use
warns and the footer claims nothing until it is approved again. A draft is
not approved.

Examples:
  handout approve leg-cramps --practice practice.toml --by \"the Lead Midwife\"
  handout approve back-care --content leaflets --language en | less
  handout approve leg-cramps --practice practice.toml >> practice.toml",
    exit_status!()
);

/// Options of `handout approve`.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The topic to show and approve (see `handout topics`).
    #[arg(value_name = "TOPIC")]
    pub topic: String,

    /// The topic's language; its only one, or English, when left out.
    #[arg(long, value_name = "LANG")]
    pub language: Option<String>,

    /// Who approves it, as the footer should print it after "approved by":
    /// a name or a role, such as "the Lead Midwife". Without it, the entry
    /// has a line to fill in, which the practice file refuses until it is.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    #[command(flatten)]
    pub content: ContentArgs,
}

const CHECK_EXAMPLES: &str = concat!(
    "\
Examples:
  handout check
  handout check --content leaflets
  handout check leaflets/back-care.en.toml --max-grade 6",
    exit_status!()
);

/// Options of `handout check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Topic files or folders of them to check; without any, the practice's
    /// folder (from --content or the practice file) and the built-in topics.
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// The highest SMOG grade allowed; a file above it fails. A grade is a
    /// US school grade: grade 6 is a reading age of about 11 to 12, grade 8
    /// of 13 to 14. Patient leaflets should aim for 6 or lower, and be 8 at
    /// the most.
    #[arg(long, value_name = "GRADE", default_value_t = 8.0)]
    pub max_grade: f64,

    /// Check review dates as on this day; today if not given.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    #[command(flatten)]
    pub content: ContentArgs,
}

const SCHEMA_EXAMPLES: &str = concat!(
    "\
Examples:
  handout schema > topic.schema.json
  handout schema --write leaflets

A topic file whose first line is `#:schema ./topic.schema.json` is then
checked as you type in an editor with Taplo (Even Better TOML in VS Code).",
    exit_status!()
);

/// Options of `handout schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write topic.schema.json into this folder, made if missing, instead
    /// of printing it.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

const NEW_TOPIC_EXAMPLES: &str = concat!(
    "\
It is a draft: its footer says so and `handout batch` refuses it until a
clinician has read it and you set status = \"reviewed\" in the file.

Examples:
  handout new-topic back-care --write leaflets
  handout check --content leaflets
  handout render --content leaflets --topic back-care --pick at-home=all -o ana.pdf",
    exit_status!()
);

/// Options of `handout new-topic`.
#[derive(Debug, Args)]
pub struct NewTopicArgs {
    /// The topic's id: lower-case words joined by '-', such as back-care.
    #[arg(value_name = "TOPIC")]
    pub topic: String,

    /// The leaflet's language: one with built-in page labels (en, es).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub language: String,

    /// Write TOPIC.LANG.toml, and the schema for your editor, into this
    /// folder (made if missing) instead of printing it. An existing file is
    /// never replaced.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

const SERVE_EXAMPLES: &str = concat!(
    "\
It listens on this computer only (127.0.0.1) and prints an address with a
one-time token: the first browser to open it gets the page, and the address
then opens nothing anywhere else, so no other user or program on this
computer can use the page. In that browser, opening the address again, in a
new tab or window, leads to the page. To use another browser, stop the
server (Ctrl-C) and start it again for a new address. Nothing typed into it
is stored.

Examples:
  handout serve
  handout serve --practice practice.toml
  handout serve --port 8471 --no-open",
    exit_status!()
);

/// Options of `handout serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1; without it, 8470 or the first free one of
    /// the nine after it.
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,

    /// Print the address without opening a browser.
    #[arg(long)]
    pub no_open: bool,

    #[command(flatten)]
    pub content: ContentArgs,
}

/// Options of `handout practice`.
#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Print the example practice file, with a comment on every setting.
    #[arg(long, required = true)]
    pub example: bool,
}

const BATCH_EXAMPLES: &str = concat!(
    "\
A roster is CSV from a spreadsheet or a records system (UTF-8, UTF-16 or
an Excel code page; comma, semicolon or tab; a header row) or TOML
([[patient]] tables). Columns, under these names or their records systems'
(Patient Name, Forenames + Surname, NHS No, MRN, Gestational Age, GA,
Estimated Due Date, EDD): name (required), id, weeks (28, 28+3, 28w3d, 28/40)
and/or due date (2026-11-25, 25/11/2026 or 11/25/2026; given both, the due
date is printed, with a warning when they are over a week apart), one per
section to choose from, by its key (prevention, treatment, ...: ids or leads
separated by , or ; empty = defaults, none = none), note, midwife, topic,
language. A column that names one of these in other words (Date Baby Due) is
refused with the practice file's [roster.columns] line that maps it; other
columns are ignored, with a note.

Examples:
  handout batch clinic.csv -o handouts --practice practice.toml
  handout batch clinic.csv -o handouts --combined clinic-day.pdf --date 2026-11-25
  handout batch clinic.csv -o handouts --check
  handout batch clinic.csv -o handouts --encoding windows-1250
  handout batch clinic.csv -o handouts --content leaflets --topic back-care
  export-from-records | handout batch - -o handouts --combined - | lp",
    exit_status!()
);

/// Options of `handout batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The roster: a CSV or TOML file with one patient per row; "-" reads
    /// standard input.
    #[arg(value_name = "ROSTER")]
    pub roster: PathBuf,

    /// The folder for the handouts and manifest.csv; made if missing.
    #[arg(short, long, value_name = "OUTDIR")]
    pub output: PathBuf,

    /// Also write every handout, in roster order, as one PDF to print; "-"
    /// writes it to standard output.
    #[arg(long, value_name = "FILE")]
    pub combined: Option<PathBuf>,

    /// Check every row and write nothing.
    #[arg(long)]
    pub check: bool,

    /// Replace handouts, the combined file and a manifest that exist with
    /// other content (never a file that is not a PDF or not a manifest this
    /// program wrote, and never an input); take over a lock left in the
    /// folder by a run on another computer.
    #[arg(long)]
    pub force: bool,

    /// How many handouts to make at once; all cores by default.
    #[arg(long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,

    /// File names: {id}, {row}, {name} and {date} are filled in; the
    /// default is {id}-{name}, or {row}-{name} for rows without an id.
    #[arg(long, value_name = "TEMPLATE")]
    pub name_template: Option<String>,

    #[command(flatten)]
    pub content: ContentArgs,

    #[command(flatten)]
    pub topic: TopicArgs,

    /// Read dates such as 05/11/2026 day first (dmy: UK, Europe) or month
    /// first (mdy: US); needed only when every date could be either.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,

    /// Print rows whose topic is a draft, not yet clinically reviewed (their
    /// footer says so); without it, a roster with such rows is refused.
    #[arg(long)]
    pub allow_draft: bool,

    /// Refuse columns handout does not use, instead of ignoring them.
    #[arg(long)]
    pub strict_columns: bool,

    /// The roster's encoding, when it is not UTF-8: the code page its
    /// export was written in, such as windows-1250 (Central European),
    /// windows-1254 (Turkish), windows-1251 (Cyrillic) or any WHATWG label;
    /// overrides the practice file's. Without it, a code page is guessed,
    /// and a roster that two would read differently is refused.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// The date printed on every named handout (a blank one has a line for
    /// it); today if not given.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Paper size; overrides the practice file's.
    #[arg(long, value_enum, value_name = "SIZE")]
    pub paper: Option<PaperArg>,

    /// Large print for every row whose large-print cell does not say no:
    /// every text at 18 pt or more, on both sides of the sheet. A combined
    /// file then starts each handout on a new sheet.
    #[arg(long)]
    pub large_print: bool,

    /// A bullet beside each piece of advice, not its picture; overrides
    /// the practice file's `pictures`.
    #[arg(long)]
    pub no_pictures: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Orders of day and month.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    /// Day, month, year: 25/11/2026.
    Dmy,
    /// Month, day, year: 11/25/2026.
    Mdy,
}

impl From<DateOrderArg> for handout_content::DateOrder {
    fn from(order: DateOrderArg) -> Self {
        match order {
            DateOrderArg::Dmy => handout_content::DateOrder::DayFirst,
            DateOrderArg::Mdy => handout_content::DateOrder::MonthFirst,
        }
    }
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperArg {
    /// ISO A4, 210 x 297 mm (the default).
    A4,
    /// US Letter, 8.5 x 11 in.
    Letter,
}

impl From<PaperArg> for handout_content::Paper {
    fn from(paper: PaperArg) -> Self {
        match paper {
            PaperArg::A4 => handout_content::Paper::A4,
            PaperArg::Letter => handout_content::Paper::Letter,
        }
    }
}

/// Which topic to print: shared by `render` and `batch`.
#[derive(Debug, Args)]
pub struct TopicArgs {
    /// The topic to print (see `handout list`); for a roster, the topic of
    /// the rows that name none. The only one there is when left out.
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// The topic's language, such as en (for a roster, of the rows that
    /// name none); its only one, or English, when left out.
    #[arg(long, value_name = "LANG")]
    pub language: Option<String>,
}

/// Options of `handout render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The leaflet to print (`handout list` shows them); the only one there
    /// is when left out.
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// The leaflet's language, such as en or es; its only one, or English,
    /// when left out.
    #[arg(long, value_name = "LANG")]
    pub language: Option<String>,

    /// The patient's name as it should be printed (at most 80 characters).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Weeks of pregnancy, 1 to 42, as midwives write them: 28, 28+3,
    /// 28w3d, 28/40. Give these or --due-date, not both.
    #[arg(long, value_name = "WEEKS", conflicts_with = "due_date")]
    pub weeks: Option<String>,

    /// The due date, instead of --weeks: 2027-03-04, or 04/03/2027 as the
    /// practice file's date-order says (dmy or mdy), or a date that reads
    /// only one way (25/03/2027). Weeks are counted from the handout's
    /// date.
    #[arg(long, value_name = "DATE")]
    pub due_date: Option<String>,

    /// Items to print from a section the midwife picks from, by id,
    /// separated by commas: `--pick prevention=walking,fluids`; "all" for
    /// every item without a hint (those with one are picked by id); "none"
    /// for none. Sections not named print their defaults (see `handout
    /// list`).
    #[arg(long, value_name = "SECTION=IDS")]
    pub pick: Vec<String>,

    /// The same as `--pick prevention=IDS`.
    #[arg(long, value_name = "IDS")]
    pub prevention: Option<String>,

    /// The same as `--pick treatment=IDS`.
    #[arg(long, value_name = "IDS")]
    pub treatment: Option<String>,

    /// A personal note from the midwife, printed in a panel: at most 600
    /// characters, and as long as fits on the page.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// The language the note is written in, when it is not the leaflet's:
    /// a language tag such as "ar", "ur" or "pl". A screen reader then
    /// reads the note in that language's voice.
    #[arg(long, value_name = "TAG")]
    pub note_language: Option<String>,

    /// The midwife's name; overrides the practice file's.
    #[arg(long, value_name = "NAME")]
    pub midwife: Option<String>,

    /// The date printed on a named handout (a blank one has a line for it);
    /// today if not given.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    #[command(flatten)]
    pub content: ContentArgs,

    /// Paper size; overrides the practice file's.
    #[arg(long, value_enum, value_name = "SIZE")]
    pub paper: Option<PaperArg>,

    /// Large print: every text at 18 pt or more, lines 1.5 apart, on both
    /// sides of the sheet; a practice file's `large-print = true` makes it
    /// the default.
    #[arg(long)]
    pub large_print: bool,

    /// A bullet beside each piece of advice, not its picture; overrides
    /// the practice file's `pictures`.
    #[arg(long)]
    pub no_pictures: bool,

    /// Where to write the PDF; "-" writes it to standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Replace the output file if it exists and holds a PDF.
    #[arg(long)]
    pub force: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also write the layout as text to FILE: each item's page, position,
    /// face, size, role and text, to 0.01 pt, for diffing two layouts.
    /// Hidden: a tool for whoever works on the layout, not for a midwife.
    #[arg(long, value_name = "FILE", hide = true)]
    pub dump_layout: Option<PathBuf>,
}
