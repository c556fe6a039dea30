//! `handout`: prints personalised one-page patient handouts.

mod approve;
mod args;
mod batch;
mod check;
mod cleanup;
mod content;
mod files;
mod input;
mod list;
mod lock;
mod new_topic;
mod output;
mod progress;
mod render;
mod schema;
mod serve;
mod topics;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// An error to explain to the user, with its exit code (see [`EXIT_CODES`]).
#[derive(Debug)]
pub struct Failure {
    /// 1 when what was asked for could not be made for what it asks; 2
    /// when the command could not run at all.
    pub code: u8,
    /// The one-line message.
    pub message: String,
    /// An optional line on what to do.
    pub hint: Option<String>,
}

impl Failure {
    /// A handout that cannot be made for what it asks (an unknown item,
    /// weeks out of range, a page too full): exit code 1.
    pub fn not_made(message: impl ToString) -> Failure {
        Failure {
            code: 1,
            message: message.to_string(),
            hint: None,
        }
    }

    /// The command cannot run: a practice file, content folder, roster or
    /// output place that cannot be used, or a disk that failed: exit code 2.
    pub fn fatal(message: impl ToString) -> Failure {
        Failure {
            code: 2,
            message: message.to_string(),
            hint: None,
        }
    }

    /// A usage error, as clap's own: exit code 2.
    pub fn usage(message: impl ToString) -> Failure {
        Failure::fatal(message)
    }

    /// Adds a hint line.
    pub fn with_hint(mut self, hint: impl ToString) -> Failure {
        self.hint = Some(hint.to_string());
        self
    }
}

/// The computer's time zone. Read from `/etc/localtime` when `TZ` is not
/// set, as is usual: asking jiff for it by name first reads the names of
/// every zone in the system's database, which took as long as making a
/// handout.
fn local_zone() -> jiff::tz::TimeZone {
    if std::env::var_os("TZ").is_none()
        && let Some(zone) = zone_file(std::path::Path::new("/etc/localtime"))
    {
        return zone;
    }
    jiff::tz::TimeZone::system()
}

/// The time zone a TZif file describes, if it can be read as one.
fn zone_file(path: &std::path::Path) -> Option<jiff::tz::TimeZone> {
    let bytes = std::fs::read(path).ok()?;
    jiff::tz::TimeZone::tzif("localtime", &bytes).ok()
}

/// Today, as the computer's clock and time zone say.
fn today() -> handout_content::Date {
    jiff::Timestamp::now().to_zoned(local_zone()).date()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            print_failure(&failure);
            ExitCode::from(failure.code)
        }
    }
}

/// Runs a command; the exit code when it ran (0, or 1 when some rows of a
/// batch failed), or what went wrong.
fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::List(args) => list::list(&args),
        Command::Topics(args) => topics::topics(&args),
        Command::Approve(args) => approve::approve(&args),
        Command::Check(args) => check::check(&args),
        Command::Schema(args) => schema::schema(&args).map(|()| 0),
        Command::NewTopic(args) => new_topic::new_topic(&args).map(|()| 0),
        Command::Practice(_) => render::practice_example().map(|()| 0),
        Command::Render(args) => render::render(*args).map(|()| 0),
        Command::Batch(args) => batch::batch(*args),
        Command::Serve(args) => serve::serve(&args),
    }
}

/// Prints `error:` and `hint:` lines to standard error, coloured only on a terminal.
pub fn print_failure(failure: &Failure) {
    let stderr = std::io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, label: &str| {
        if color {
            format!("\x1b[{code}m{label}\x1b[0m")
        } else {
            label.to_string()
        }
    };
    let mut out = stderr.lock();
    // A message of several problems says each on its own error line.
    for line in failure.message.lines() {
        let _ = writeln!(out, "{} {line}", paint("1;31", "error:"));
    }
    if let Some(hint) = &failure.hint {
        let _ = writeln!(out, "{} {hint}", paint("1;36", "hint:"));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_local_zone_read_from_its_file_is_the_one_jiff_finds() {
        let now = jiff::Timestamp::now();
        let ours = super::local_zone().to_offset(now);
        let jiffs = jiff::tz::TimeZone::system().to_offset(now);
        assert_eq!(ours, jiffs);
    }

    #[test]
    fn a_zone_file_gives_the_offsets_of_its_zone_in_winter_and_summer() {
        let folder = std::path::Path::new("/usr/share/zoneinfo");
        for name in ["Europe/London", "America/New_York", "Asia/Kolkata"] {
            let ours = super::zone_file(&folder.join(name))
                .unwrap_or_else(|| panic!("{name} is in {}", folder.display()));
            let jiffs = jiff::tz::TimeZone::get(name).unwrap();
            for day in ["2026-01-15T12:00:00Z", "2026-07-15T12:00:00Z"] {
                let at: jiff::Timestamp = day.parse().unwrap();
                assert_eq!(ours.to_offset(at), jiffs.to_offset(at), "{name} on {day}");
            }
        }
    }
}
