//! Times each stage of making one handout, with divan: resolving the
//! handout, finding the style it fits in, laying it out (shaping and
//! breaking its paragraphs), encoding its page, subsetting its fonts and
//! writing the whole PDF.
//!
//! `cargo bench -p handout-render --bench stages` runs them in release
//! mode. Stages marked "warm" reuse a renderer that has made the same
//! handout before, as a clinic day's rows do; "cold" ones start from a new
//! renderer, as a single `handout render` does. `scripts/bench`,
//! `scripts/bench-batch` and `scripts/bench-instructions` measure the whole
//! process.

use std::hint::black_box;
use std::sync::LazyLock;

use divan::Bencher;
use handout_content::{Date, Handout, Patient, Picks, Practice, Topic};
use handout_render::{Document, Fit, RenderOptions, Renderer, stages};

mod common;

fn main() {
    divan::main();
}

static TOPIC: LazyLock<Topic> = LazyLock::new(|| Topic::builtin().remove(0));
static PRACTICE: LazyLock<Practice> = LazyLock::new(common::practice);

fn resolve(patient: &Patient) -> Handout<'static> {
    let date = Date::new(2026, 11, 25).expect("a real date");
    Handout::resolve(&TOPIC, &PRACTICE, patient, &Picks::new(), date, None)
        .expect("the handout resolves")
}

/// A renderer that has made this handout once, its fit and its document.
fn warm() -> (Renderer, Handout<'static>, Fit, Document) {
    let renderer = Renderer::new();
    let handout = resolve(&common::patient());
    let fit = renderer
        .fit(&handout, &RenderOptions::default())
        .expect("it fits");
    let document = renderer.layout_fitted(&handout, &fit);
    renderer.write_pdf(&document);
    (renderer, handout, fit, document)
}

#[divan::bench]
fn resolve_handout(bencher: Bencher) {
    let patient = common::patient();
    bencher.bench(|| resolve(black_box(&patient)));
}

#[divan::bench]
fn fit_warm(bencher: Bencher) {
    let (renderer, handout, _, _) = warm();
    bencher.bench(|| renderer.fit(black_box(&handout), &RenderOptions::default()));
}

#[divan::bench]
fn layout_warm(bencher: Bencher) {
    let (renderer, handout, fit, _) = warm();
    bencher.bench(|| renderer.layout_fitted(black_box(&handout), &fit));
}

/// Shaping and breaking every paragraph afresh, with the fonts loaded.
#[divan::bench]
fn fit_and_layout_cold(bencher: Bencher) {
    let handout = resolve(&common::patient());
    bencher
        .with_inputs(|| {
            let renderer = Renderer::new();
            // Load the faces, so that only shaping and breaking are timed.
            let other = resolve(&Patient::default());
            renderer.layout(&other, &RenderOptions::default()).ok();
            renderer
        })
        .bench_local_refs(|renderer| {
            let fit = renderer
                .fit(black_box(&handout), &RenderOptions::default())
                .expect("it fits");
            renderer.layout_fitted(&handout, &fit)
        });
}

#[divan::bench]
fn encode_page(bencher: Bencher) {
    let (renderer, _, _, document) = warm();
    bencher.bench(|| stages::encode_pages(&renderer, black_box(&document)));
}

#[divan::bench]
fn subset_fonts(bencher: Bencher) {
    let (renderer, _, _, document) = warm();
    bencher.bench(|| stages::subset_fonts(&renderer, black_box(&document)));
}

/// The whole file, its subsets already made.
#[divan::bench]
fn write_pdf_warm(bencher: Bencher) {
    let (renderer, _, _, document) = warm();
    bencher.bench(|| renderer.write_pdf(black_box(&document)));
}

/// Everything a single `handout render` does after reading its topics:
/// a new renderer, the fit, the layout and the PDF.
#[divan::bench]
fn render_cold(bencher: Bencher) {
    let handout = resolve(&common::patient());
    bencher.bench(|| {
        let renderer = Renderer::new();
        let fit = renderer
            .fit(black_box(&handout), &RenderOptions::default())
            .expect("it fits");
        let document = renderer.layout_fitted(&handout, &fit);
        renderer.write_pdf(&document)
    });
}
