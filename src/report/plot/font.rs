//! The embedded font (DejaVu Sans, `assets/fonts/`): loading, measuring, and drawing
//! text into bitmaps.
//!
//! SVG text is left to the viewer (a `<text>` element naming the family). Bitmap text
//! is rasterised here with ab_glyph rather than by plotters, whose ab_glyph renderer
//! drops each glyph's side bearing and so spaces letters unevenly. Text is placed as
//! SVG viewers place it (baseline 0.76 em below a top anchor, 0.5 ex below a centre
//! anchor), so both formats look alike.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{FontStyle, register_font};

use super::PlotError;
use super::style::{Area, Drawn};

/// The font family of every text. The first name is the embedded font; SVG viewers
/// without it fall back to the next ones (Verdana has nearly the same widths).
pub(super) const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// x-height of DejaVu Sans (em), which SVG viewers use for `ex`.
const EX: f32 = 0.546;

/// plotters' font size is 1.24 times the CSS font size (the em) it writes to SVG.
const SIZE_PER_EM: f64 = 1.24;

struct Faces {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some(Faces {
                regular: FontRef::try_from_slice(REGULAR).ok()?,
                bold: FontRef::try_from_slice(BOLD).ok()?,
            })
        })
        .as_ref()
}

/// Loads the embedded fonts and registers them with plotters (for any text plotters
/// draws itself), once per process.
pub(super) fn load() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        // Also under "sans-serif", plotters' default family, so that no text can ask
        // for a font that is not there.
        [FAMILY, "sans-serif"].iter().all(|name| {
            register_font(name, FontStyle::Normal, REGULAR).is_ok()
                && register_font(name, FontStyle::Bold, BOLD).is_ok()
        })
    });
    if ok && faces().is_some() {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// A font face at a size.
struct Scaled {
    font: &'static FontRef<'static>,
    scale: PxScale,
    /// Pixels per em.
    em: f32,
}

impl Scaled {
    fn new(size: f64, bold: bool) -> Option<Scaled> {
        let faces = faces()?;
        let font = if bold { &faces.bold } else { &faces.regular };
        let em = (size / SIZE_PER_EM) as f32;
        // ab_glyph scales by ascent minus descent, not by the em.
        let upem = font.units_per_em().unwrap_or(2048.0);
        let scale = PxScale::from(em * font.height_unscaled() / upem);
        Some(Scaled { font, scale, em })
    }

    /// Pen positions (x offsets from the start) of the glyphs of `text`, and the
    /// total advance.
    fn layout(&self, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
        let sf = self.font.as_scaled(self.scale);
        let mut caret = 0.0;
        let mut prev: Option<GlyphId> = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = sf.glyph_id(c);
            if let Some(p) = prev {
                caret += sf.kern(p, id);
            }
            glyphs.push((id, caret));
            caret += sf.h_advance(id);
            prev = Some(id);
        }
        (glyphs, caret)
    }
}

/// Width of `text` in pixels.
pub(super) fn width(text: &str, size: f64, bold: bool) -> f64 {
    Scaled::new(size, bold).map_or(0.0, |s| s.layout(text).1 as f64)
}

/// How to draw one string into a bitmap.
#[derive(Clone, Copy)]
pub(super) struct Spec {
    /// plotters' size.
    pub(super) size: f64,
    /// Bold face.
    pub(super) bold: bool,
    /// Colour.
    pub(super) color: RGBColor,
    /// Horizontal anchor.
    pub(super) h: HPos,
    /// Vertical anchor.
    pub(super) v: VPos,
    /// Read from bottom to top.
    pub(super) vertical: bool,
}

/// Rasterises `text` anchored at `(x, y)`, blending it onto the bitmap.
pub(super) fn draw_bitmap<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    (x, y): (i32, i32),
    spec: Spec,
) -> Drawn {
    let Some(scaled) = Scaled::new(spec.size, spec.bold) else {
        return Ok(());
    };
    let (glyphs, advance) = scaled.layout(text);
    // In the text's own frame (x along the text, y down), relative to the anchor.
    let start = match spec.h {
        HPos::Left => 0.0,
        HPos::Center => -advance / 2.0,
        HPos::Right => -advance,
    };
    let baseline = match spec.v {
        VPos::Top => 0.76 * scaled.em,
        VPos::Center => 0.5 * EX * scaled.em,
        VPos::Bottom => -0.5 * EX * scaled.em,
    };
    let RGBColor(r, g, b) = spec.color;
    for (id, pen) in glyphs {
        let glyph = id.with_scale_and_position(scaled.scale, point(start + pen, baseline));
        let Some(outlined) = scaled.font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        let (bx, by) = (bounds.min.x as i32, bounds.min.y as i32);
        let mut pixels = Vec::new();
        outlined.draw(|gx, gy, coverage| {
            if coverage > 0.0 {
                pixels.push((bx + gx as i32, by + gy as i32, coverage.min(1.0)));
            }
        });
        for (tx, ty, coverage) in pixels {
            let at = if spec.vertical {
                (x + ty, y - tx)
            } else {
                (x + tx, y + ty)
            };
            area.draw_pixel(at, &RGBAColor(r, g, b, coverage as f64))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_with_the_embedded_font() {
        load().unwrap();
        let w = width("Transit time (days)", 24.0, false);
        // About 0.55 em per character for DejaVu Sans.
        assert!((150.0..250.0).contains(&w), "{w}");
        assert!(width("Bold", 24.0, true) > width("Bold", 24.0, false));
        assert_eq!(width("", 24.0, false), 0.0);
    }
}
