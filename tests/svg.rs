//! The SVG preview draws what the PDF prints: one document written both
//! ways, the PDF rasterised by poppler's pdftoppm and the SVG by headless
//! Chromium at the same scale, and the two pictures compared by SSIM.
//!
//! pdftoppm (Splash) does not put glyphs where the PDF says at 100 dpi: it
//! draws each glyph's baseline on a whole pixel (the one above) and its
//! origin on a quarter pixel (the one to the left), so every line of its
//! text is up to a pixel higher than it should be, and the exact SVG scores
//! only about 0.91 against it (pdftocairo, which places glyphs its own way,
//! agrees with pdftoppm on the same PDF less than that). So the test compares twice: the SVG as written, held to a loose
//! bound that only a grossly wrong page fails, and the SVG of the same
//! document with each glyph moved to where Splash draws it, which must match
//! closely everywhere: its mean SSIM and that of its worst tile. A box left
//! out, a wrong weight, a missing line or text half a pixel off fail it.
//!
//! It needs pdftoppm and Chromium, so it is ignored unless asked for
//! (`-- --include-ignored`), and then fails without them, saying what to
//! install. `HANDOUT_KEEP_PREVIEW=folder` keeps each case's PDF, the SVG's
//! HTML page and the PNGs there, to look at.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use handout_content::{Date, Handout, Library, Paper, Patient, Picks, Practice, Pregnancy, Topic};
use handout_render::{Document, RenderOptions, Renderer, SvgOptions};

use crate::util::{PRACTICE_EXAMPLE, Test};

/// Pixels per inch of both rasters.
const DPI: f32 = 100.0;
/// The least mean SSIM of the SVG with its glyphs on Splash's grid.
pub const MIN_SSIM: f64 = 0.97;
/// The least SSIM of its worst tile. The mean alone says little: a page
/// without its boxes, with its bold set in regular or without its last
/// three lines still scores 0.98 on the mean, but 0.74 to 0.84, 0.88 to
/// 0.90 and 0.58 to 0.72 on its worst tile, where a matching page scores
/// 0.97 to 0.98.
pub const MIN_TILE_SSIM: f64 = 0.93;
/// The side of a tile, in pixels.
const TILE: usize = 64;
/// The least mean SSIM of the SVG as written: a matching page scores 0.91
/// to 0.92, one whose text is a third of a point low 0.80 to 0.82.
const MIN_RAW_SSIM: f64 = 0.85;

const NOTE: &str = "Try the calf stretches before bed and keep a glass of water by your \
bed. Call me if the cramps wake you every night, or if one leg gets swollen or red. From Jo";

/// The Arabic test fixture: a right-to-left page.
const ARABIC: &str = include_str!("fixtures/rtl/leg-cramps.ar.toml");

/// One handout to compare: the leg-cramps topic in a language, for a
/// patient, on a paper, and which of its pages.
struct Case {
    language: &'static str,
    name: &'static str,
    paper: Paper,
    large_print: bool,
    page: usize,
}

impl Case {
    fn label(&self) -> String {
        let print = if self.large_print { "-large" } else { "" };
        let page = self.page + 1;
        format!("{}-{:?}{print}-{page}", self.language, self.paper).to_lowercase()
    }

    /// The handout, laid out.
    fn document(&self, renderer: &Renderer) -> Document {
        let arabic;
        let library = Library::builtin();
        let topic = if self.language == "ar" {
            arabic = Topic::parse("leg-cramps.ar.toml", ARABIC).expect("the fixture parses");
            &arabic
        } else {
            library
                .topic(Some("leg-cramps"), Some(self.language))
                .expect("the built-in topic is there")
        };
        let practice =
            Practice::parse("practice.toml", PRACTICE_EXAMPLE).expect("the example parses");
        let patient = Patient {
            name: Some(self.name.into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: (self.language == "en" && !self.large_print).then(|| NOTE.to_string()),
            midwife: None,
        };
        let date = Date::new(2026, 11, 25).expect("a real date");
        let handout = Handout::resolve(topic, &practice, &patient, &Picks::new(), date, None)
            .expect("the handout resolves");
        renderer
            .layout(
                &handout,
                &RenderOptions {
                    paper: self.paper,
                    large_print: self.large_print,
                },
            )
            .expect("the handout fits")
    }
}

/// What the test compares: both papers in English and Spanish; the
/// right-to-left page with a Chinese name, whose fonts, glyphs and mirrored
/// layout the preview must draw as the PDF does; and large print's second
/// side.
fn cases() -> Vec<Case> {
    let case = |language, name, paper, large_print, page| Case {
        language,
        name,
        paper,
        large_print,
        page,
    };
    vec![
        case("en", "Ana López", Paper::A4, false, 0),
        case("en", "Ana López", Paper::Letter, false, 0),
        case("es", "Ana López", Paper::A4, false, 0),
        case("es", "Ana López", Paper::Letter, false, 0),
        case("ar", "王秀英", Paper::A4, false, 0),
        case("en", "Ana López", Paper::A4, true, 1),
    ]
}

/// The tools the comparison needs, or why it cannot run.
pub struct Rasterisers {
    chromium: PathBuf,
}

impl Rasterisers {
    pub fn find() -> Result<Rasterisers, String> {
        let pdftoppm = Command::new("pdftoppm")
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if pdftoppm.is_err() {
            return Err("pdftoppm is not installed: install poppler-utils".into());
        }
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .map(PathBuf::from)
            .find(|path| path.is_file())
            .ok_or("Chromium is not installed at /usr/bin/chromium: install chromium")?;
        Ok(Rasterisers { chromium })
    }

    /// Rasterises one page of the PDF, from 0, with pdftoppm.
    fn pdf(&self, dir: &Path, pdf: &[u8], page: usize) -> Gray {
        fs::write(dir.join("page.pdf"), pdf).expect("failed to write the PDF");
        let page = (page + 1).to_string();
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "100", "-f", &page, "-l", &page, "-singlefile"])
            .args(["page.pdf", "pdf"])
            .current_dir(dir)
            .status()
            .expect("failed to run pdftoppm");
        assert!(status.success(), "pdftoppm failed with {status}");
        Gray::read(&dir.join("pdf.png"))
    }

    /// Rasterises the SVG in headless Chromium, shown at exactly the PDF
    /// raster's scale in a window the PDF raster's size.
    /// `name` names its files: `{name}.html` and `{name}.png`.
    pub fn svg(
        &self,
        dir: &Path,
        svg: &str,
        page_pt: (f32, f32),
        window: (usize, usize),
        name: &str,
    ) -> Gray {
        let px = |pt: f32| pt * DPI / 72.0;
        let html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>\
             html,body{{margin:0;padding:0;background:#fff;overflow:hidden}}\
             svg{{display:block;width:{}px;height:{}px}}</style></head><body>{svg}</body></html>",
            px(page_pt.0),
            px(page_pt.1)
        );
        let page = dir.join(format!("{name}.html"));
        fs::write(&page, html).expect("failed to write the HTML");
        let profile = dir.join(format!("{name}-profile"));
        let screenshot = dir.join(format!("{name}.png"));
        let mut child = Command::new(&self.chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--window-size={},{}", window.0, window.1))
            .arg(format!("--screenshot={}", screenshot.display()))
            .arg(format!("file://{}", page.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("failed to run chromium");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("failed to wait for chromium") {
                break status;
            }
            if start.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium took over two minutes for one screenshot");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "chromium failed with {status}");
        Gray::read(&screenshot)
    }
}

/// A picture in gray levels 0 to 255, row by row.
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pixels: Vec<f64>,
}

impl Gray {
    /// The picture's top left `width` × `height` pixels.
    pub fn cropped(&self, width: usize, height: usize) -> Gray {
        assert!(width <= self.width && height <= self.height);
        let pixels = self
            .pixels
            .chunks_exact(self.width)
            .take(height)
            .flat_map(|row| &row[..width])
            .copied()
            .collect();
        Gray {
            width,
            height,
            pixels,
        }
    }

    /// Reads an 8-bit PNG as luma (ITU-R BT.601 weights), alpha over white.
    pub fn read(path: &Path) -> Gray {
        let file = fs::File::open(path)
            .unwrap_or_else(|error| panic!("failed to open `{}`: {error}", path.display()));
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buffer = vec![0; reader.output_buffer_size().expect("a PNG of sane size")];
        let frame = reader.next_frame(&mut buffer).expect("a PNG frame");
        let bytes = &buffer[..frame.buffer_size()];
        let channels = frame.color_type.samples();
        let pixels = bytes
            .chunks_exact(channels)
            .map(|pixel| {
                let value = |i: usize| f64::from(pixel[i]);
                let (luma, alpha) = match channels {
                    1 => (value(0), 255.0),
                    2 => (value(0), value(1)),
                    3 => (
                        0.299 * value(0) + 0.587 * value(1) + 0.114 * value(2),
                        255.0,
                    ),
                    _ => (
                        0.299 * value(0) + 0.587 * value(1) + 0.114 * value(2),
                        value(3),
                    ),
                };
                (luma * alpha + 255.0 * (255.0 - alpha)) / 255.0
            })
            .collect();
        Gray {
            width: frame.width as usize,
            height: frame.height as usize,
            pixels,
        }
    }
}

/// How alike two pictures are.
#[derive(Debug, Clone, Copy)]
pub struct Similarity {
    /// The mean SSIM.
    pub mean: f64,
    /// The mean SSIM of the least alike tile of [`TILE`] pixels square.
    pub worst_tile: f64,
}

/// The structural similarity of two pictures of one size (Wang et al.
/// 2004): Gaussian windows of 11 × 11 pixels, σ = 1.5, C1 = (0.01 · 255)²,
/// C2 = (0.03 · 255)², over every window that lies wholly inside; its mean
/// and that of its worst tile.
pub fn ssim(a: &Gray, b: &Gray) -> Similarity {
    assert_eq!(
        (a.width, a.height),
        (b.width, b.height),
        "the pictures differ in size"
    );
    const RADIUS: usize = 5;
    let weights: Vec<f64> = {
        let raw: Vec<f64> = (0..=2 * RADIUS)
            .map(|i| {
                let d = i as f64 - RADIUS as f64;
                (-d * d / (2.0 * 1.5 * 1.5)).exp()
            })
            .collect();
        let sum: f64 = raw.iter().sum();
        raw.into_iter().map(|w| w / sum).collect()
    };
    let (width, height) = (a.width, a.height);
    let product = |f: &dyn Fn(f64, f64) -> f64| -> Vec<f64> {
        a.pixels
            .iter()
            .zip(&b.pixels)
            .map(|(&x, &y)| f(x, y))
            .collect()
    };
    let maps = [
        product(&|x, _| x),
        product(&|_, y| y),
        product(&|x, _| x * x),
        product(&|_, y| y * y),
        product(&|x, y| x * y),
    ];
    let [mu_x, mu_y, xx, yy, xy] = maps.map(|map| blur(&map, width, height, &weights));
    let (c1, c2) = ((0.01_f64 * 255.0).powi(2), (0.03_f64 * 255.0).powi(2));
    let map_width = width + 1 - weights.len();
    let tiles_across = map_width.div_ceil(TILE);
    let mut tiles = vec![(0.0, 0_usize); tiles_across * (mu_x.len() / map_width).div_ceil(TILE)];
    let mut sum = 0.0;
    for i in 0..mu_x.len() {
        let (mx, my) = (mu_x[i], mu_y[i]);
        let var_x = xx[i] - mx * mx;
        let var_y = yy[i] - my * my;
        let cov = xy[i] - mx * my;
        let value = ((2.0 * mx * my + c1) * (2.0 * cov + c2))
            / ((mx * mx + my * my + c1) * (var_x + var_y + c2));
        sum += value;
        let tile = &mut tiles[(i / map_width / TILE) * tiles_across + (i % map_width) / TILE];
        tile.0 += value;
        tile.1 += 1;
    }
    Similarity {
        mean: sum / mu_x.len() as f64,
        worst_tile: tiles
            .iter()
            .map(|&(sum, count)| sum / count as f64)
            .fold(1.0, f64::min),
    }
}

/// Filters a picture with a separable kernel, keeping only the windows that
/// lie wholly inside: the result is smaller by the kernel's size less one.
fn blur(map: &[f64], width: usize, height: usize, weights: &[f64]) -> Vec<f64> {
    let taps = weights.len();
    let out_width = width + 1 - taps;
    let out_height = height + 1 - taps;
    let mut rows = vec![0.0; out_width * height];
    for y in 0..height {
        let line = &map[y * width..(y + 1) * width];
        for x in 0..out_width {
            rows[y * out_width + x] = line[x..x + taps]
                .iter()
                .zip(weights)
                .map(|(value, weight)| value * weight)
                .sum();
        }
    }
    let mut out = vec![0.0; out_width * out_height];
    for y in 0..out_height {
        for (k, weight) in weights.iter().enumerate() {
            let row = &rows[(y + k) * out_width..(y + k + 1) * out_width];
            for (cell, value) in out[y * out_width..(y + 1) * out_width].iter_mut().zip(row) {
                *cell += value * weight;
            }
        }
    }
    out
}

#[test]
fn ssim_is_one_for_the_same_picture_and_lower_for_another() {
    let pattern: Vec<f64> = (0..32 * 32)
        .map(|i| f64::from((i * 37 % 256) as u8))
        .collect();
    let picture = |pixels: Vec<f64>| Gray {
        width: 32,
        height: 32,
        pixels,
    };
    let a = picture(pattern.clone());
    let b = picture(pattern.iter().map(|value| 255.0 - value).collect());
    assert!((ssim(&a, &a).mean - 1.0).abs() < 1e-9);
    assert!((ssim(&a, &a).worst_tile - 1.0).abs() < 1e-9);
    assert!(ssim(&a, &b).mean < 0.5);
}

#[test]
#[ignore = "needs Chromium and pdftoppm (poppler-utils); run with -- --include-ignored"]
fn the_svg_preview_looks_like_the_printed_page() {
    let tools = Rasterisers::find().unwrap_or_else(|missing| {
        panic!("{missing} (on Debian or Ubuntu, `apt-get install poppler-utils chromium`)")
    });
    let keep = std::env::var_os("HANDOUT_KEEP_PREVIEW").map(PathBuf::from);
    let renderer = Renderer::new();
    // One case at a time: two Chromiums at once would starve a small machine.
    let mut figures = Vec::new();
    for case in cases() {
        let document = case.document(&renderer);
        let index = case.page;
        let case = case.label();
        let page = &document.pages[index];
        let pdf = renderer.write_pdf(&document);
        let svg = renderer.write_svg(&document, index, SvgOptions::default());
        // Each glyph where pdftoppm draws it at `DPI`, as the web preview
        // asks for it at the screen's scale.
        let at_screen_scale = SvgOptions {
            px_per_pt: Some(DPI / 72.0),
        };
        let aligned = renderer.write_svg(&document, index, at_screen_scale);

        let test = Test::new();
        let printed = tools.pdf(test.dir(), &pdf, index);
        let page_pt = (page.width, page.height);
        let window = (printed.width, printed.height);
        let raw = ssim(
            &printed,
            &tools.svg(test.dir(), &svg, page_pt, window, "svg"),
        );
        let on_grid = ssim(
            &printed,
            &tools.svg(test.dir(), &aligned, page_pt, window, "aligned"),
        );
        if let Some(keep) = &keep {
            fs::create_dir_all(keep).expect("failed to create the folder to keep files in");
            for name in ["page.pdf", "svg.html", "pdf.png", "svg.png", "aligned.png"] {
                fs::copy(test.dir().join(name), keep.join(format!("{case}-{name}")))
                    .expect("failed to keep a file");
            }
        }
        eprintln!(
            "{case} ({} x {} px): SSIM {:.4} as written; on pdftoppm's glyph grid {:.4}, \
             worst {TILE} px tile {:.4}",
            printed.width, printed.height, raw.mean, on_grid.mean, on_grid.worst_tile
        );
        let figure = (raw, on_grid);
        figures.push((case, figure));
    }
    assert!(
        figures.iter().all(|(_, (raw, on_grid))| {
            raw.mean >= MIN_RAW_SSIM
                && on_grid.mean >= MIN_SSIM
                && on_grid.worst_tile >= MIN_TILE_SSIM
        }),
        "the preview differs from the printed page (SSIM as written below {MIN_RAW_SSIM}, \
         on the grid below {MIN_SSIM}, or a tile below {MIN_TILE_SSIM}): {figures:#?}"
    );
}
