//! A progress bar on a terminal, and nothing otherwise. It shows counts
//! only, never a patient's name.

/// A bar counting up to a total.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// A bar for `total` steps of `what` ("checking", "writing"), shown only
    /// when `show` is true.
    pub fn new(show: bool, total: usize, what: &'static str) -> Progress {
        Progress(show.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
                "{what:>9} [{{bar:30}}] {{pos}}/{{len}}, about {{eta}} left"
            )) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        }))
    }

    /// One more step done; called from any thread.
    pub fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Takes the bar off the screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
