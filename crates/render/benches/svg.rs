//! Times what a web preview does for a page: lay out one handout and write
//! its SVG, in one process. `scripts/bench-svg` runs it in release mode
//! (`cargo bench -p handout-render --bench svg`); `RUNS` sets the number of
//! runs, 200 by default.
//!
//! A benchmark, not a test: timings say nothing on a busy machine, so it
//! is kept out of `cargo test`.

use std::time::{Duration, Instant};

use handout_content::{Date, Handout, Picks, Topic};
use handout_render::{RenderOptions, Renderer, SvgOptions};

mod common;

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(200)
        .max(1);
    let practice = common::practice();
    let patient = common::patient();
    let topic = Topic::builtin().remove(0);
    let date = Date::new(2026, 11, 25).unwrap();
    let handout = Handout::resolve(&topic, &practice, &patient, &Picks::new(), date, None).unwrap();
    let renderer = Renderer::new();
    let options = RenderOptions::default();

    let start = Instant::now();
    let document = renderer.layout(&handout, &options).unwrap();
    let svg = renderer.write_svg(&document, 0, SvgOptions::default());
    let cold = start.elapsed();
    let bytes = svg.len();

    let mut layout = Vec::with_capacity(runs);
    let mut write = Vec::with_capacity(runs);
    let mut total = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let document = renderer
            .layout(std::hint::black_box(&handout), &options)
            .unwrap();
        let laid_out = Instant::now();
        std::hint::black_box(renderer.write_svg(&document, 0, SvgOptions::default()));
        let end = Instant::now();
        layout.push(laid_out - start);
        write.push(end - laid_out);
        total.push(end - start);
    }
    let summary = |times: &mut Vec<Duration>| {
        times.sort();
        let ms = |time: Duration| time.as_secs_f64() * 1000.0;
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        format!(
            "median {:.2} ms, mean {:.2} ms, fastest {:.2} ms, slowest {:.2} ms",
            ms(times[times.len() / 2]),
            ms(mean),
            ms(times[0]),
            ms(times[times.len() - 1])
        )
    };
    println!(
        "layout + SVG of one handout, {runs} runs: {}",
        summary(&mut total)
    );
    println!("  layout: {}", summary(&mut layout));
    println!("  SVG:    {}", summary(&mut write));
    println!(
        "first page of a fresh renderer (fonts parsed, outlines drawn): {:.2} ms",
        cold.as_secs_f64() * 1000.0
    );
    println!("SVG size: {bytes} bytes ({:.1} KB)", bytes as f64 / 1024.0);
}
