//! Glyphs on a screen's pixel grid, where a PDF viewer puts them.

use crate::document::Document;
use crate::page::Element;

/// The document with each glyph placed on a screen's pixel grid at
/// `px_per_pt` device pixels per point, as Poppler places glyphs when it
/// shows a PDF: the baseline on a whole pixel (rounded up, as Splash floors
/// it in device space), the left edge on a quarter pixel. Boxes and rules
/// stay where they are. A preview drawn at that scale is then as sharp as
/// the page in a PDF viewer, and matches it pixel for pixel; at any other
/// scale, draw the document as laid out.
pub(super) fn on_pixel_grid(document: &Document, px_per_pt: f32) -> Document {
    let mut document = document.clone();
    if !(px_per_pt.is_finite() && px_per_pt > 0.0) {
        return document;
    }
    let px = px_per_pt;
    for item in document
        .pages
        .iter_mut()
        .flat_map(|page| &mut page.elements)
    {
        let Element::Text(run) = item else { continue };
        let baseline = (run.baseline * px).floor() / px;
        let mut pen = 0.0;
        for glyph in &mut run.glyphs {
            let x = (run.x + (pen + glyph.x_offset) * run.size) * px;
            let x = (x.floor() + ((x - x.floor()) * 4.0).floor() / 4.0) / px;
            glyph.x_offset = (x - run.x) / run.size - pen;
            pen += glyph.advance;
            let y = ((run.baseline - glyph.y_offset * run.size) * px).floor() / px;
            glyph.y_offset = (baseline - y) / run.size;
        }
        run.baseline = baseline;
    }
    document
}
