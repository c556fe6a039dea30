//! A practice's own pictogram, `pictures/NAME.svg` in its content folder:
//! a small, safe subset of SVG read into outlines, so that the picture
//! prints from its own strokes and fills in the text's colour, and a file
//! that asks for more is refused with its file, line and column.
//!
//! What is read: `svg` with a `viewBox` (or a `width` and `height`), `g`,
//! `path`, `line`, `circle`, `ellipse`, `rect`, `polyline` and `polygon`,
//! with `fill`, `stroke` and `stroke-width` on them or on a group around
//! them (`title` and `desc` are skipped). What is refused: a document type
//! or entities, scripts and event handlers, links to anything outside the
//! file (`href`), embedded images, text, styles and transforms, any other
//! element, and a file over [`MAX_PICTURE_BYTES`].

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{ContentError, Lines, Location};

/// The largest picture file read: a pictogram's outlines take a few
/// kilobytes (Tabler's are under 2 KB).
pub const MAX_PICTURE_BYTES: usize = 32 * 1024;

/// The built-in pictures, by the name a topic gives them, with their files
/// in `pictures/` (see its README for each one's source and licence).
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "walk",
        "tabler-walk.svg",
        include_str!("../../../pictures/tabler-walk.svg"),
    ),
    (
        "stretch",
        "tabler-stretching.svg",
        include_str!("../../../pictures/tabler-stretching.svg"),
    ),
    (
        "bed",
        "tabler-bed.svg",
        include_str!("../../../pictures/tabler-bed.svg"),
    ),
    (
        "rest",
        "tabler-armchair.svg",
        include_str!("../../../pictures/tabler-armchair.svg"),
    ),
    (
        "massage",
        "tabler-massage.svg",
        include_str!("../../../pictures/tabler-massage.svg"),
    ),
    (
        "bath",
        "tabler-bath.svg",
        include_str!("../../../pictures/tabler-bath.svg"),
    ),
    (
        "tablet",
        "tabler-pill.svg",
        include_str!("../../../pictures/tabler-pill.svg"),
    ),
    (
        "stockings",
        "tabler-sock.svg",
        include_str!("../../../pictures/tabler-sock.svg"),
    ),
    (
        "phone",
        "tabler-phone.svg",
        include_str!("../../../pictures/tabler-phone.svg"),
    ),
    (
        "water",
        "material-water_full.svg",
        include_str!("../../../pictures/material-water_full.svg"),
    ),
];

/// The names of the built-in pictures, as a topic gives them.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _, _)| *name)
}

/// The built-in picture called `name`, read on first use.
pub fn builtin(name: &str) -> Option<&'static Arc<Picture>> {
    static READ: std::sync::LazyLock<Vec<Arc<Picture>>> = std::sync::LazyLock::new(|| {
        BUILTIN
            .iter()
            .map(|(_, file, text)| {
                Picture::parse(&format!("pictures/{file}"), text)
                    .map(Arc::new)
                    .unwrap_or_else(|error| panic!("a built-in picture does not read: {error}"))
            })
            .collect()
    });
    let index = BUILTIN.iter().position(|(known, _, _)| *known == name)?;
    Some(&READ[index])
}

/// A picture as an item names it: the name, and the outlines it stands
/// for, the practice's own or a built-in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The name the topic file gives.
    pub name: String,
    /// Its outlines.
    pub picture: Arc<Picture>,
}

/// A practice's own pictures, `pictures/NAME.svg` in its content folder,
/// by name. A file that cannot be used is kept with why, so that a topic
/// naming it says so, and `handout check` lists it.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    by_name: BTreeMap<String, Own>,
}

/// One of a practice's pictures.
#[derive(Debug, Clone)]
struct Own {
    /// The file, as shown to the user.
    origin: String,
    /// The picture, or why it cannot be used.
    picture: Result<Arc<Picture>, ContentError>,
}

/// What a name stands for, to a topic's check.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// A picture that can be printed.
    Found(&'a Arc<Picture>),
    /// The practice's file of that name, which cannot be used.
    Broken(&'a ContentError),
    /// No picture has the name.
    Unknown,
}

impl Pictures {
    /// Adds the file `origin`, called `NAME.svg`, read as `bytes`, or
    /// notes that it could not be read; a later file of the same name
    /// replaces it.
    pub fn add(&mut self, origin: &str, name: &str, bytes: Result<&[u8], &str>) {
        let picture = match bytes {
            Ok(bytes) => {
                crate::error::utf8_text(origin, bytes).and_then(|text| Picture::parse(origin, text))
            }
            Err(reason) => Err(ContentError::BadValue {
                at: Location {
                    origin: origin.to_string(),
                    line: 1,
                    column: 1,
                },
                message: reason.to_string(),
            }),
        };
        self.by_name.insert(
            name.to_string(),
            Own {
                origin: origin.to_string(),
                picture: picture.map(Arc::new),
            },
        );
    }

    /// The picture `name` stands for: the practice's own first, then a
    /// built-in one.
    pub fn lookup(&self, name: &str) -> Lookup<'_> {
        match self.by_name.get(name).map(|own| &own.picture) {
            Some(Ok(picture)) => Lookup::Found(picture),
            Some(Err(error)) => Lookup::Broken(error),
            None => builtin(name).map_or(Lookup::Unknown, Lookup::Found),
        }
    }

    /// Every name a topic may give: the practice's own pictures that can
    /// be used, and the built-in ones, each once.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .by_name
            .iter()
            .filter(|(_, own)| own.picture.is_ok())
            .map(|(name, _)| name.as_str())
            .collect();
        for name in builtin_names() {
            if !self.by_name.contains_key(name) {
                names.push(name);
            }
        }
        names
    }

    /// The practice's pictures, by name, with their files: what `handout
    /// check` reads.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str, Result<&Picture, &ContentError>)> {
        self.by_name
            .iter()
            .map(|(name, own)| (name.as_str(), own.origin.as_str(), own.picture.as_deref()))
    }
}

/// One step of an outline, in the picture's own units (its `viewBox`), y
/// down as in SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathOp {
    /// Starts a new outline at a point.
    Move([f32; 2]),
    /// A straight line to a point.
    Line([f32; 2]),
    /// A cubic Bézier curve through two control points to a point.
    Cubic([f32; 2], [f32; 2], [f32; 2]),
    /// Closes the outline back to its start.
    Close,
}

/// One shape of a picture: its outline and how it is painted.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The outline.
    pub ops: Vec<PathOp>,
    /// Whether it is filled (non-zero winding).
    pub fill: bool,
    /// The width of its outline's stroke, in the picture's units, if it is
    /// stroked.
    pub stroke: Option<f32>,
}

/// A pictogram, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The picture's box: left, top, width and height, in its own units.
    pub view_box: [f32; 4],
    /// Its shapes, in drawing order; none is invisible.
    pub shapes: Vec<Shape>,
}

// Every number in a picture is finite: `parse` refuses any other.
impl Eq for Picture {}

/// How a shape is painted, as inherited from the groups around it.
#[derive(Debug, Clone, Copy)]
struct Paint {
    fill: bool,
    stroke: bool,
    width: f32,
}

/// The elements a picture may hold.
const SHAPES: &[&str] = &[
    "path", "line", "circle", "ellipse", "rect", "polyline", "polygon",
];

impl Picture {
    /// Reads the picture in `text`, which came from the file `origin`.
    pub fn parse(origin: &str, text: &str) -> Result<Picture, ContentError> {
        let lines = Lines::new(text);
        let refuse = |at: usize, message: String| ContentError::BadValue {
            at: lines.locate(origin, at),
            message,
        };
        if text.len() > MAX_PICTURE_BYTES {
            return Err(refuse(
                0,
                format!(
                    "the picture is {} KB; a picture may be at most {} KB: save it as plain \
                     SVG outlines, without embedded images or fonts",
                    text.len().div_ceil(1024),
                    MAX_PICTURE_BYTES / 1024
                ),
            ));
        }
        let document = roxmltree::Document::parse(text).map_err(|error| {
            let position = error.pos();
            let mut at = offset_of(text, position.row as usize, position.col as usize);
            if matches!(error, roxmltree::Error::DtdDetected) {
                // The parser says where the document starts; the user
                // wants the line of the document type itself.
                at = text.find("<!DOCTYPE").unwrap_or(at);
            }
            let message = match error {
                roxmltree::Error::DtdDetected => {
                    "a picture may not have a document type or entities (<!DOCTYPE ...>); \
                     remove it"
                        .to_string()
                }
                other => format!("the picture is not well-formed SVG: {other}"),
            };
            refuse(at, message)
        })?;
        let root = document.root_element();
        if root.tag_name().name() != "svg" {
            return Err(refuse(
                root.range().start,
                format!(
                    "a picture's outermost element must be <svg>, not <{}>",
                    root.tag_name().name()
                ),
            ));
        }
        let view_box = view_box(root).map_err(|(at, message)| refuse(at, message))?;
        let mut shapes = Vec::new();
        let paint = Paint {
            fill: true,
            stroke: false,
            width: 1.0,
        };
        read_children(root, paint, &mut shapes).map_err(|(at, message)| refuse(at, message))?;
        Ok(Picture { view_box, shapes })
    }
}

/// An error: where in the text, and what to do.
type Refusal = (usize, String);

/// The byte offset of a row and column (from 1) in `text`.
fn offset_of(text: &str, row: usize, col: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(row.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line = &text[line_start.min(text.len())..];
    line_start
        + line
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line.len(), |(at, _)| at)
}

/// The `viewBox` of the `svg` element, or its `width` and `height`.
fn view_box(svg: roxmltree::Node<'_, '_>) -> Result<[f32; 4], Refusal> {
    if let Some(attribute) = svg.attributes().find(|a| a.name() == "viewBox") {
        let numbers = numbers(attribute.value(), attribute.range_value().start)?;
        return match numbers[..] {
            [x, y, width, height] if width > 0.0 && height > 0.0 => Ok([x, y, width, height]),
            _ => Err((
                attribute.range_value().start,
                "viewBox must be four numbers, the width and height above 0: \
                 viewBox=\"0 0 24 24\""
                    .to_string(),
            )),
        };
    }
    let size = |name: &str| {
        svg.attribute(name)
            .and_then(|value| value.trim_end_matches("px").trim().parse::<f32>().ok())
            .filter(|size| *size > 0.0)
    };
    match (size("width"), size("height")) {
        (Some(width), Some(height)) => Ok([0.0, 0.0, width, height]),
        _ => Err((
            svg.range().start,
            "the picture has no size: give its <svg> a viewBox, such as viewBox=\"0 0 24 24\""
                .to_string(),
        )),
    }
}

/// Reads the shapes inside `parent`, each painted as `paint` says unless it
/// says otherwise.
fn read_children(
    parent: roxmltree::Node<'_, '_>,
    paint: Paint,
    shapes: &mut Vec<Shape>,
) -> Result<(), Refusal> {
    let paint = paint_of(parent, paint)?;
    for node in parent.children() {
        if node.is_text() {
            if node.text().is_some_and(|text| !text.trim().is_empty()) {
                return Err((
                    node.range().start,
                    "a picture may not hold text; draw it as outlines, or leave it out".to_string(),
                ));
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        if node.tag_name().namespace() != Some("http://www.w3.org/2000/svg") {
            return Err((
                node.range().start,
                format!(
                    "<{name}> is not an SVG element; a picture may hold only SVG shapes \
                     (give its <svg> xmlns=\"http://www.w3.org/2000/svg\")"
                ),
            ));
        }
        match name {
            "title" | "desc" => continue,
            "g" => read_children(node, paint, shapes)?,
            _ if SHAPES.contains(&name) => {
                let paint = paint_of(node, paint)?;
                let ops = outline(node)?;
                if (paint.fill || paint.stroke) && !ops.is_empty() {
                    shapes.push(Shape {
                        ops,
                        fill: paint.fill,
                        stroke: paint.stroke.then_some(paint.width),
                    });
                }
            }
            "script" => return Err((node.range().start, refused(name, "scripts"))),
            "image" | "foreignObject" => {
                return Err((node.range().start, refused(name, "embedded images")));
            }
            "text" | "tspan" | "textPath" => {
                return Err((node.range().start, refused(name, "text")));
            }
            "use" | "a" => return Err((node.range().start, refused(name, "links"))),
            "style" => return Err((node.range().start, refused(name, "styles"))),
            _ => {
                return Err((
                    node.range().start,
                    format!(
                        "a picture may not hold <{name}>; it may hold only <g>, {}",
                        SHAPES
                            .iter()
                            .map(|shape| format!("<{shape}>"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn refused(name: &str, what: &str) -> String {
    format!("a picture may not hold {what} (<{name}>); remove it")
}

/// The paint of `node`: its own `fill`, `stroke` and `stroke-width`, or
/// those it inherits. Refuses what the subset does not read.
fn paint_of(node: roxmltree::Node<'_, '_>, inherited: Paint) -> Result<Paint, Refusal> {
    let mut paint = inherited;
    for attribute in node.attributes() {
        let at = attribute.range_qname().start;
        let value = attribute.value().trim();
        match attribute.name() {
            "href" => {
                return Err((
                    at,
                    "a picture may not link to anything (href); remove the link".to_string(),
                ));
            }
            name if name.starts_with("on") => {
                return Err((
                    at,
                    format!("a picture may not run scripts ({name}); remove the attribute"),
                ));
            }
            "style" => {
                return Err((
                    at,
                    "a picture may not use style=\"...\"; use the fill, stroke and \
                     stroke-width attributes"
                        .to_string(),
                ));
            }
            "transform" => {
                return Err((
                    at,
                    "a picture may not use transform; save it with its transforms applied"
                        .to_string(),
                ));
            }
            "fill" => paint.fill = is_painted(value, at)?,
            "stroke" => paint.stroke = is_painted(value, at)?,
            "stroke-width" => {
                paint.width = value
                    .trim_end_matches("px")
                    .parse::<f32>()
                    .ok()
                    .filter(|width| width.is_finite() && *width >= 0.0)
                    .ok_or_else(|| {
                        (
                            attribute.range_value().start,
                            format!("stroke-width \"{value}\" is not a width, such as 2"),
                        )
                    })?;
            }
            _ => {}
        }
    }
    Ok(paint)
}

/// Whether a `fill` or `stroke` value paints: "none" does not; a colour or
/// `currentColor` does, and prints in the text's colour. A paint server
/// (`url(#...)`) is refused.
fn is_painted(value: &str, at: usize) -> Result<bool, Refusal> {
    if value.starts_with("url(") {
        return Err((
            at,
            "a picture may not use gradients or patterns (url(...)); use a plain colour"
                .to_string(),
        ));
    }
    Ok(value != "none" && value != "transparent")
}

/// The outline of one shape element.
fn outline(node: roxmltree::Node<'_, '_>) -> Result<Vec<PathOp>, Refusal> {
    let number = |name: &str| -> Result<f32, Refusal> {
        match node.attributes().find(|attribute| attribute.name() == name) {
            None => Ok(0.0),
            Some(attribute) => attribute
                .value()
                .trim()
                .trim_end_matches("px")
                .parse::<f32>()
                .ok()
                .filter(|number| number.is_finite())
                .ok_or_else(|| {
                    (
                        attribute.range_value().start,
                        format!("{name}=\"{}\" is not a number", attribute.value()),
                    )
                }),
        }
    };
    let name = node.tag_name().name();
    Ok(match name {
        "path" => match node.attributes().find(|attribute| attribute.name() == "d") {
            Some(d) => path_data(d.value(), d.range_value().start)?,
            None => Vec::new(),
        },
        "line" => vec![
            PathOp::Move([number("x1")?, number("y1")?]),
            PathOp::Line([number("x2")?, number("y2")?]),
        ],
        "circle" => {
            let r = number("r")?;
            ellipse([number("cx")?, number("cy")?], r, r)
        }
        "ellipse" => ellipse([number("cx")?, number("cy")?], number("rx")?, number("ry")?),
        "rect" => rect(
            [number("x")?, number("y")?],
            [number("width")?, number("height")?],
            [number("rx")?, number("ry")?],
        ),
        _ => {
            // polyline, polygon
            let points = node
                .attributes()
                .find(|attribute| attribute.name() == "points");
            let Some(points) = points else {
                return Ok(Vec::new());
            };
            let values = numbers(points.value(), points.range_value().start)?;
            if values.len() % 2 == 1 {
                return Err((
                    points.range_value().start,
                    "points must be pairs of numbers, x and y".to_string(),
                ));
            }
            let mut ops: Vec<PathOp> = values
                .chunks(2)
                .enumerate()
                .map(|(i, pair)| {
                    let point = [pair[0], pair[1]];
                    if i == 0 {
                        PathOp::Move(point)
                    } else {
                        PathOp::Line(point)
                    }
                })
                .collect();
            if name == "polygon" && !ops.is_empty() {
                ops.push(PathOp::Close);
            }
            ops
        }
    })
}

/// The four-curve outline of an ellipse: each quarter a cubic, its control
/// points 0.5523 of the radius along the tangents.
fn ellipse(center: [f32; 2], rx: f32, ry: f32) -> Vec<PathOp> {
    if rx <= 0.0 || ry <= 0.0 {
        return Vec::new();
    }
    const K: f32 = 0.552_284_8;
    let [cx, cy] = center;
    let (kx, ky) = (K * rx, K * ry);
    vec![
        PathOp::Move([cx + rx, cy]),
        PathOp::Cubic([cx + rx, cy + ky], [cx + kx, cy + ry], [cx, cy + ry]),
        PathOp::Cubic([cx - kx, cy + ry], [cx - rx, cy + ky], [cx - rx, cy]),
        PathOp::Cubic([cx - rx, cy - ky], [cx - kx, cy - ry], [cx, cy - ry]),
        PathOp::Cubic([cx + kx, cy - ry], [cx + rx, cy - ky], [cx + rx, cy]),
        PathOp::Close,
    ]
}

/// A rectangle's outline, its corners rounded by `radii` where given.
fn rect(at: [f32; 2], size: [f32; 2], radii: [f32; 2]) -> Vec<PathOp> {
    let ([x, y], [width, height]) = (at, size);
    if width <= 0.0 || height <= 0.0 {
        return Vec::new();
    }
    // An unset radius takes the other's, as SVG says.
    let (rx, ry) = match radii {
        [rx, 0.0] => (rx, rx),
        [0.0, ry] => (ry, ry),
        [rx, ry] => (rx, ry),
    };
    let (rx, ry) = (rx.min(width / 2.0), ry.min(height / 2.0));
    if rx <= 0.0 || ry <= 0.0 {
        return vec![
            PathOp::Move([x, y]),
            PathOp::Line([x + width, y]),
            PathOp::Line([x + width, y + height]),
            PathOp::Line([x, y + height]),
            PathOp::Close,
        ];
    }
    let mut ops = vec![PathOp::Move([x + rx, y])];
    // Each side up to its corner, then the corner, clockwise.
    let corners = [
        ([x + width - rx, y], [x + width, y + ry]),
        ([x + width, y + height - ry], [x + width - rx, y + height]),
        ([x + rx, y + height], [x, y + height - ry]),
        ([x, y + ry], [x + rx, y]),
    ];
    for (side_end, corner_end) in corners {
        ops.push(PathOp::Line(side_end));
        ops.extend(arc(side_end, [rx, ry], 0.0, false, true, corner_end));
    }
    ops.push(PathOp::Close);
    ops
}

/// The numbers of a list such as a `viewBox` or `points`, separated by
/// white space or commas; `at` is where the list starts in the file.
fn numbers(list: &str, at: usize) -> Result<Vec<f32>, Refusal> {
    let mut reader = Reader {
        text: list,
        at: 0,
        base: at,
    };
    let mut out = Vec::new();
    reader.skip_separators();
    while !reader.done() {
        out.push(reader.number()?);
        reader.skip_separators();
    }
    Ok(out)
}

/// Reads path data or a list of numbers.
struct Reader<'a> {
    text: &'a str,
    at: usize,
    /// Where `text` starts in the file.
    base: usize,
}

impl Reader<'_> {
    fn done(&self) -> bool {
        self.at >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_separators(&mut self) {
        while self
            .peek()
            .is_some_and(|byte| byte.is_ascii_whitespace() || byte == b',')
        {
            self.at += 1;
        }
    }

    fn refuse(&self, message: String) -> Refusal {
        (self.base + self.at, message)
    }

    /// A number as path data writes it: a sign, digits, a point, digits,
    /// an exponent ("-.5e-3"); two may touch ("1-2", ".5.5").
    fn number(&mut self) -> Result<f32, Refusal> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut end = start;
        if matches!(bytes.get(end), Some(b'+' | b'-')) {
            end += 1;
        }
        let mut digits = 0;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
            digits += 1;
        }
        if bytes.get(end) == Some(&b'.') {
            end += 1;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
                digits += 1;
            }
        }
        if digits > 0 && matches!(bytes.get(end), Some(b'e' | b'E')) {
            let mut exponent = end + 1;
            if matches!(bytes.get(exponent), Some(b'+' | b'-')) {
                exponent += 1;
            }
            if bytes.get(exponent).is_some_and(u8::is_ascii_digit) {
                end = exponent;
                while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
            }
        }
        let number = (digits > 0)
            .then(|| self.text[start..end].parse::<f32>().ok())
            .flatten()
            .filter(|number| number.is_finite());
        match number {
            Some(number) => {
                self.at = end;
                Ok(number)
            }
            None => {
                let found: String = self.text[start..].chars().take(8).collect();
                Err(self.refuse(format!("expected a number, found \"{found}\"")))
            }
        }
    }

    /// An arc's flag: "0" or "1", which may touch what follows.
    fn flag(&mut self) -> Result<bool, Refusal> {
        self.skip_separators();
        let flag = match self.peek() {
            Some(b'0') => false,
            Some(b'1') => true,
            _ => return Err(self.refuse("expected an arc's flag, 0 or 1".to_string())),
        };
        self.at += 1;
        Ok(flag)
    }

    fn point(&mut self) -> Result<[f32; 2], Refusal> {
        self.skip_separators();
        let x = self.number()?;
        self.skip_separators();
        let y = self.number()?;
        Ok([x, y])
    }
}

/// The outline a path's `d` attribute draws: every command of SVG 1.1,
/// quadratics raised to cubics and arcs cut into cubics.
fn path_data(d: &str, at: usize) -> Result<Vec<PathOp>, Refusal> {
    let mut reader = Reader {
        text: d,
        at: 0,
        base: at,
    };
    let mut ops = Vec::new();
    let mut current = [0.0_f32, 0.0];
    let mut start = current;
    // The last curve's second control point (C, S) or control point (Q, T),
    // for the smooth commands that mirror it.
    let mut last_cubic: Option<[f32; 2]> = None;
    let mut last_quad: Option<[f32; 2]> = None;
    let mut command: Option<u8> = None;
    loop {
        reader.skip_separators();
        let Some(byte) = reader.peek() else { break };
        if byte.is_ascii_alphabetic() {
            command = Some(byte);
            reader.at += 1;
        } else if command.is_none() {
            return Err(reader.refuse("path data must start with a command, such as M".into()));
        }
        let Some(letter) = command else { break };
        let relative = letter.is_ascii_lowercase();
        let offset = |point: [f32; 2], current: [f32; 2]| {
            if relative {
                [point[0] + current[0], point[1] + current[1]]
            } else {
                point
            }
        };
        let (mut cubic, mut quad) = (None, None);
        match letter.to_ascii_uppercase() {
            b'M' => {
                let point = offset(reader.point()?, current);
                ops.push(PathOp::Move(point));
                current = point;
                start = point;
                // Further pairs after a move are lines.
                command = Some(if relative { b'l' } else { b'L' });
            }
            b'L' => {
                current = offset(reader.point()?, current);
                ops.push(PathOp::Line(current));
            }
            b'H' => {
                reader.skip_separators();
                let x = reader.number()?;
                current[0] = if relative { current[0] + x } else { x };
                ops.push(PathOp::Line(current));
            }
            b'V' => {
                reader.skip_separators();
                let y = reader.number()?;
                current[1] = if relative { current[1] + y } else { y };
                ops.push(PathOp::Line(current));
            }
            b'C' => {
                let one = offset(reader.point()?, current);
                let two = offset(reader.point()?, current);
                let end = offset(reader.point()?, current);
                ops.push(PathOp::Cubic(one, two, end));
                (current, cubic) = (end, Some(two));
            }
            b'S' => {
                let one = reflect(last_cubic, current);
                let two = offset(reader.point()?, current);
                let end = offset(reader.point()?, current);
                ops.push(PathOp::Cubic(one, two, end));
                (current, cubic) = (end, Some(two));
            }
            b'Q' => {
                let control = offset(reader.point()?, current);
                let end = offset(reader.point()?, current);
                ops.push(quadratic(current, control, end));
                (current, quad) = (end, Some(control));
            }
            b'T' => {
                let control = reflect(last_quad, current);
                let end = offset(reader.point()?, current);
                ops.push(quadratic(current, control, end));
                (current, quad) = (end, Some(control));
            }
            b'A' => {
                reader.skip_separators();
                let rx = reader.number()?;
                reader.skip_separators();
                let ry = reader.number()?;
                reader.skip_separators();
                let rotation = reader.number()?;
                let large = reader.flag()?;
                let sweep = reader.flag()?;
                let end = offset(reader.point()?, current);
                ops.extend(arc(current, [rx, ry], rotation, large, sweep, end));
                current = end;
            }
            b'Z' => {
                ops.push(PathOp::Close);
                current = start;
                // Z takes no numbers: what follows needs its own command.
                command = None;
                reader.skip_separators();
                if reader
                    .peek()
                    .is_some_and(|byte| !byte.is_ascii_alphabetic())
                {
                    return Err(reader.refuse("expected a command after Z".to_string()));
                }
            }
            _ => {
                return Err((
                    reader.base + reader.at - 1,
                    format!("'{}' is not a path command", char::from(letter)),
                ));
            }
        }
        last_cubic = cubic;
        last_quad = quad;
    }
    Ok(ops)
}

/// The control point a smooth curve takes: the last one reflected through
/// the current point, or the current point after anything else.
fn reflect(last: Option<[f32; 2]>, current: [f32; 2]) -> [f32; 2] {
    last.map_or(current, |[x, y]| {
        [2.0 * current[0] - x, 2.0 * current[1] - y]
    })
}

/// A quadratic curve as the cubic that draws it.
fn quadratic(from: [f32; 2], control: [f32; 2], to: [f32; 2]) -> PathOp {
    let third = |a: f32, b: f32| a + 2.0 / 3.0 * (b - a);
    PathOp::Cubic(
        [third(from[0], control[0]), third(from[1], control[1])],
        [third(to[0], control[0]), third(to[1], control[1])],
        to,
    )
}

/// An elliptical arc from `from` to `to` as cubics of at most a quarter
/// turn each (SVG 1.1, appendix F.6: the centre from the end points).
fn arc(
    from: [f32; 2],
    radii: [f32; 2],
    rotation: f32,
    large: bool,
    sweep: bool,
    to: [f32; 2],
) -> Vec<PathOp> {
    let (mut rx, mut ry) = (radii[0].abs(), radii[1].abs());
    if from == to {
        return Vec::new();
    }
    if rx == 0.0 || ry == 0.0 {
        return vec![PathOp::Line(to)];
    }
    let (sin, cos) = rotation.to_radians().sin_cos();
    let dx = (from[0] - to[0]) / 2.0;
    let dy = (from[1] - to[1]) / 2.0;
    let x1 = cos * dx + sin * dy;
    let y1 = -sin * dx + cos * dy;
    // Radii too small to reach are scaled up until they do.
    let lambda = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry);
    if lambda > 1.0 {
        rx *= lambda.sqrt();
        ry *= lambda.sqrt();
    }
    let numerator = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1;
    let denominator = rx * rx * y1 * y1 + ry * ry * x1 * x1;
    let mut root = (numerator / denominator).max(0.0).sqrt();
    if large == sweep {
        root = -root;
    }
    let cx1 = root * rx * y1 / ry;
    let cy1 = -root * ry * x1 / rx;
    let cx = cos * cx1 - sin * cy1 + (from[0] + to[0]) / 2.0;
    let cy = sin * cx1 + cos * cy1 + (from[1] + to[1]) / 2.0;
    let angle = |ux: f32, uy: f32| uy.atan2(ux);
    let theta = angle((x1 - cx1) / rx, (y1 - cy1) / ry);
    let mut delta = angle((-x1 - cx1) / rx, (-y1 - cy1) / ry) - theta;
    let tau = std::f32::consts::TAU;
    if sweep && delta < 0.0 {
        delta += tau;
    } else if !sweep && delta > 0.0 {
        delta -= tau;
    }
    // A quarter turn is one curve: a hair over it, from rounding, is too.
    let segments = (delta.abs() / (tau / 4.0) - 1e-3).ceil().max(1.0) as usize;
    let step = delta / segments as f32;
    let k = 4.0 / 3.0 * (step / 4.0).tan();
    let point = |t: f32| {
        let (s, c) = t.sin_cos();
        [
            cx + rx * c * cos - ry * s * sin,
            cy + rx * c * sin + ry * s * cos,
        ]
    };
    let derivative = |t: f32| {
        let (s, c) = t.sin_cos();
        [-rx * s * cos - ry * c * sin, -rx * s * sin + ry * c * cos]
    };
    (0..segments)
        .map(|i| {
            let t1 = theta + step * i as f32;
            let t2 = t1 + step;
            let (p1, p2) = (point(t1), point(t2));
            let (d1, d2) = (derivative(t1), derivative(t2));
            let end = if i + 1 == segments { to } else { p2 };
            PathOp::Cubic(
                [p1[0] + k * d1[0], p1[1] + k * d1[1]],
                [p2[0] - k * d2[0], p2[1] - k * d2[1]],
                end,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tabler's "walk" icon (MIT), as its package ships it.
    const WALK: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" class="icon icon-tabler icons-tabler-outline icon-tabler-walk">
  <path stroke="none" d="M0 0h24v24H0z" fill="none"/>
  <path d="M13 4m-1 0a1 1 0 1 0 2 0a1 1 0 1 0 -2 0" />
  <path d="M7 21l3 -4" />
  <path d="M16 21l-2 -4l-3 -3l1 -6" />
  <path d="M6 12l2 -3l4 -1l3 3l3 1" />
</svg>
"#;

    fn refusal(text: &str) -> String {
        Picture::parse("pictures/x.svg", text)
            .expect_err("the picture is refused")
            .to_string()
    }

    fn end_point(op: &PathOp) -> Option<[f32; 2]> {
        match *op {
            PathOp::Move(point) | PathOp::Line(point) | PathOp::Cubic(_, _, point) => Some(point),
            PathOp::Close => None,
        }
    }

    #[test]
    fn a_tabler_icon_is_read_as_stroked_outlines_inside_its_box() {
        let picture = Picture::parse("walk.svg", WALK).unwrap();
        assert_eq!(picture.view_box, [0.0, 0.0, 24.0, 24.0]);
        // The invisible frame (stroke and fill "none") is left out.
        assert_eq!(picture.shapes.len(), 4);
        for shape in &picture.shapes {
            assert_eq!(shape.stroke, Some(2.0));
            assert!(!shape.fill);
            for point in shape.ops.iter().filter_map(end_point) {
                assert!((0.0..=24.0).contains(&point[0]) && (0.0..=24.0).contains(&point[1]));
            }
        }
        // The head: two half-turn arcs around (13, 4) of radius 1, each cut
        // into two quarter-turn curves, every point on the circle.
        let head = &picture.shapes[0].ops;
        let curves: Vec<[f32; 2]> = head
            .iter()
            .filter(|op| matches!(op, PathOp::Cubic(..)))
            .filter_map(end_point)
            .collect();
        assert_eq!(curves.len(), 4, "{head:?}");
        for [x, y] in curves {
            let distance = ((x - 13.0).powi(2) + (y - 4.0).powi(2)).sqrt();
            assert!((distance - 1.0).abs() < 1e-4, "{x}, {y}");
        }
        // "M16 21l-2 -4l-3 -3l1 -6": relative lines from the last point.
        assert_eq!(
            picture.shapes[2].ops,
            [
                PathOp::Move([16.0, 21.0]),
                PathOp::Line([14.0, 17.0]),
                PathOp::Line([11.0, 14.0]),
                PathOp::Line([12.0, 8.0]),
            ]
        );
    }

    #[test]
    fn every_built_in_picture_is_read_and_fills_its_box() {
        for name in builtin_names() {
            let picture = builtin(name).unwrap();
            let [x, y, width, height] = picture.view_box;
            assert!(!picture.shapes.is_empty(), "{name}");
            let points: Vec<[f32; 2]> = picture
                .shapes
                .iter()
                .flat_map(|shape| &shape.ops)
                .filter_map(end_point)
                .collect();
            let (left, right) = points
                .iter()
                .fold((f32::MAX, f32::MIN), |(l, r), p| (l.min(p[0]), r.max(p[0])));
            let (top, bottom) = points
                .iter()
                .fold((f32::MAX, f32::MIN), |(t, b), p| (t.min(p[1]), b.max(p[1])));
            // Inside its box, and most of it: a picture drawn tiny in a
            // corner would print as a speck.
            assert!(
                left >= x - 0.01 && right <= x + width + 0.01,
                "{name}: {left}..{right}"
            );
            assert!(
                top >= y - 0.01 && bottom <= y + height + 0.01,
                "{name}: {top}..{bottom}"
            );
            assert!(
                right - left >= 0.6 * width || bottom - top >= 0.6 * height,
                "{name}"
            );
        }
        assert!(builtin("glass").is_none());
    }

    #[test]
    fn basic_shapes_and_compact_path_data_are_read() {
        let picture = Picture::parse(
            "shapes.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <g stroke="black" fill="none" stroke-width="1.5">
    <line x1="1" y1="1" x2="9" y2="9"/>
    <circle cx="5" cy="5" r="2"/>
    <rect x="1" y="1" width="8" height="6" rx="1"/>
    <polygon points="1,1 9,1 5,8"/>
  </g>
  <path d="M1-2.5.5.5Q3 3 5 1T9 1z" fill="black"/>
</svg>"#,
        )
        .unwrap();
        assert_eq!(picture.view_box, [0.0, 0.0, 10.0, 10.0]);
        let [line, circle, rect, polygon, path] = &picture.shapes[..] else {
            panic!("{:?}", picture.shapes)
        };
        assert_eq!(line.stroke, Some(1.5));
        assert_eq!(
            line.ops,
            [PathOp::Move([1.0, 1.0]), PathOp::Line([9.0, 9.0])]
        );
        assert_eq!(circle.ops.len(), 6);
        // Each rounded corner is one quarter-turn curve.
        let corners = rect.ops.iter().filter(|op| matches!(op, PathOp::Cubic(..)));
        assert_eq!(corners.count(), 4, "{:?}", rect.ops);
        assert_eq!(polygon.ops.last(), Some(&PathOp::Close));
        // Numbers that touch: "1-2.5.5.5" is 1, -2.5, .5 and .5.
        assert_eq!(path.ops[0], PathOp::Move([1.0, -2.5]));
        assert_eq!(path.ops[1], PathOp::Line([0.5, 0.5]));
        assert!(path.fill && path.stroke.is_none());
        assert_eq!(path.ops.last(), Some(&PathOp::Close));
    }

    #[test]
    fn what_a_picture_may_not_hold_is_refused_with_its_line() {
        let svg = |body: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n{body}\n</svg>"
            )
        };
        let cases = [
            (
                "<!DOCTYPE svg [<!ENTITY big \"lol\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
                    .to_string(),
                "pictures/x.svg:1:",
                "document type or entities",
            ),
            (svg("<script>alert(1)</script>"), "pictures/x.svg:2:1", "scripts"),
            (
                svg("<image href=\"https://example.com/a.png\"/>"),
                "pictures/x.svg:2:1",
                "embedded images",
            ),
            (
                svg("<use xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"a.svg#x\"/>"),
                "pictures/x.svg:2:",
                "",
            ),
            (svg("<text>Walk</text>"), "pictures/x.svg:2:1", "text"),
            (svg("<path onclick=\"go()\" d=\"M0 0L1 1\"/>"), "pictures/x.svg:2:7", "scripts"),
            (svg("<path style=\"fill:red\" d=\"M0 0\"/>"), "pictures/x.svg:2:7", "style"),
            (svg("<path d=\"M0 0 L 3 x\"/>"), "pictures/x.svg:2:19", "expected a number"),
            (svg("<foo/>"), "pictures/x.svg:2:1", "may not hold <foo>"),
            (svg("<path fill=\"url(#g)\" d=\"M0 0\"/>"), "pictures/x.svg:2:7", "gradients"),
        ];
        for (text, at, says) in cases {
            let message = refusal(&text);
            assert!(message.starts_with(at), "{text}\n{message}");
            assert!(message.contains(says), "{text}\n{message}");
        }
        let big = svg(&"<path d=\"M0 0L1 1\"/>\n".repeat(2000));
        assert!(refusal(&big).contains("at most 32 KB"), "{}", refusal(&big));
        assert!(refusal("<html/>").contains("must be <svg>"));
        assert!(refusal("<svg xmlns=\"http://www.w3.org/2000/svg\"/>").contains("viewBox"));
    }
}
