//! The look shared by every chart: colour palettes, sizes that scale with the image,
//! the embedded font (DejaVu Sans, `assets/fonts/`) and text measuring, number
//! formatting, tick choice and the title block.
//!
//! Sizes are given for a 1600 × 1000 image and multiplied by [`Theme::s`], so a chart
//! drawn at another size keeps its proportions.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The drawing area of a whole image, in pixels.
pub(super) type Area<DB> = DrawingArea<DB, Shift>;

/// A drawing failure, as text (plotters' errors are generic over the backend).
#[derive(Debug)]
pub(super) struct DrawError(pub(super) String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawError {
        DrawError(e.to_string())
    }
}

/// The result of drawing.
pub(super) type Drawn = Result<(), DrawError>;

/// Okabe–Ito colours (colour-blind safe), in the order series use them.
pub(super) const SERIES: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// Colour of rail legs and rail sections.
pub(super) const RAIL: RGBColor = RGBColor(0, 114, 178);
/// Colour of sea legs and ferries.
pub(super) const SEA: RGBColor = RGBColor(86, 180, 233);
/// Colour of road legs.
pub(super) const ROAD: RGBColor = RGBColor(213, 94, 0);
/// Colour of stations (terminals, ports, border and gauge-change points).
pub(super) const STATION: RGBColor = RGBColor(204, 121, 167);
/// Main text.
pub(super) const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text (subtitles, notes, tick labels).
pub(super) const MUTED: RGBColor = RGBColor(85, 85, 85);
/// Grid lines.
pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);
/// Things without data (unused legs, unused stations).
pub(super) const UNUSED: RGBColor = RGBColor(190, 190, 190);

/// The colour of a resource or leg kind (`station`, `rail`, `road`, `ferry`/`sea`).
pub(super) fn kind_color(kind: &str) -> RGBColor {
    match kind {
        "station" => STATION,
        "rail" => RAIL,
        "road" => ROAD,
        "ferry" | "sea" => SEA,
        _ => MUTED,
    }
}

/// A sequential, colour-blind-safe colour for `t` in 0..=1: reversed viridis, light
/// yellow for 0 and dark violet for 1, so that high values stand out on white.
pub(super) fn sequential(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ViridisRGB::get_color(1.0 - t)
}

/// The font family of every text. The first name is the embedded font, the only one
/// PNGs are drawn with; SVG viewers without it fall back to the next ones (Verdana has
/// nearly the same widths).
pub(super) const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
/// DejaVu Sans.
pub(super) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub(super) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Width of `s` in ems of the embedded font (regular or bold), from its advances.
fn width_em(s: &str, bold: bool) -> f64 {
    static FACES: OnceLock<Option<[ttf_parser::Face<'static>; 2]>> = OnceLock::new();
    let Some(faces) = FACES.get_or_init(|| {
        Some([
            ttf_parser::Face::parse(REGULAR, 0).ok()?,
            ttf_parser::Face::parse(BOLD, 0).ok()?,
        ])
    }) else {
        // The fonts are compiled in, so this cannot happen; estimate rather than fail.
        return 0.6 * s.chars().count() as f64;
    };
    let face = &faces[usize::from(bold)];
    let units: u32 = s
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(u32::from(face.units_per_em()) / 2, u32::from)
        })
        .sum();
    f64::from(units) / f64::from(face.units_per_em())
}

/// Sizes shared by every drawing function of one image.
#[derive(Clone, Copy, Debug)]
pub(super) struct Theme {
    /// Scale factor: 1 for a 1600 × 1000 image.
    pub(super) s: f64,
    /// Width of the image (pixels).
    pub(super) width: i32,
    /// Height of the image (pixels).
    pub(super) height: i32,
}

/// Font sizes at 1600 px width, in plotters' unit: 1.24 times the em, in pixels.
pub(super) mod size {
    /// Chart title.
    pub(in super::super) const TITLE: f64 = 36.0;
    /// Subtitle under the title.
    pub(in super::super) const SUBTITLE: f64 = 24.0;
    /// Axis titles.
    pub(in super::super) const AXIS: f64 = 25.0;
    /// Tick labels, legend entries, category labels.
    pub(in super::super) const LABEL: f64 = 22.0;
    /// Small notes (map labels, graticule).
    pub(in super::super) const SMALL: f64 = 19.0;
}

impl Theme {
    /// The theme of a `width` × `height` image.
    pub(super) fn new(width: u32, height: u32) -> Theme {
        let s = (width as f64 / 1600.0).min(height as f64 / 1000.0);
        Theme {
            s,
            width: width as i32,
            height: height as i32,
        }
    }

    /// `v` pixels at 1600 px width, scaled to this image.
    pub(super) fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// `v` pixels at 1600 px width, scaled, unrounded.
    pub(super) fn pxf(&self, v: f64) -> f64 {
        v * self.s
    }

    /// The outer margin.
    pub(super) fn margin(&self) -> i32 {
        self.px(28.0)
    }

    /// Regular text of `size` (at 1600 px width) in `color`.
    pub(super) fn text(&self, size: f64, color: RGBColor) -> Text {
        Text {
            size: (size * self.s).max(8.0),
            bold: false,
            color,
            h: HPos::Left,
            v: VPos::Center,
        }
    }
}

/// A text style with its anchor: how to draw and measure a string.
#[derive(Clone, Copy)]
pub(super) struct Text {
    /// Size in pixels (plotters' convention).
    pub(super) size: f64,
    bold: bool,
    color: RGBColor,
    h: HPos,
    v: VPos,
}

impl Text {
    /// Bold.
    pub(super) fn bold(mut self) -> Text {
        self.bold = true;
        self
    }

    /// Anchored at `h`, `v` (default: left, centre).
    pub(super) fn anchor(mut self, h: HPos, v: VPos) -> Text {
        self.h = h;
        self.v = v;
        self
    }

    fn font(&self) -> FontDesc<'static> {
        let font = (FAMILY, self.size).into_font();
        if self.bold {
            font.style(FontStyle::Bold)
        } else {
            font
        }
    }

    /// Width and height of `s` in pixels (the height is one line, whatever `s` is).
    pub(super) fn measure(&self, s: &str) -> (i32, i32) {
        // plotters' size is 1.24 times the em it writes to SVG.
        let w = (width_em(s, self.bold) * self.size / 1.24).ceil() as i32;
        (w, self.line_height())
    }

    /// Height of one line (capitals to descenders), in pixels.
    pub(super) fn line_height(&self) -> i32 {
        (self.size * 0.86).round() as i32
    }

    /// Draws `s` at `pos`.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        s: &str,
        pos: (i32, i32),
    ) -> Drawn {
        let style = TextStyle::from(self.font())
            .color(&self.color)
            .pos(Pos::new(self.h, self.v));
        area.draw_text(s, &style, pos)?;
        Ok(())
    }

    /// Splits `s` into lines no wider than `max_width` pixels, at spaces.
    pub(super) fn wrap(&self, s: &str, max_width: i32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in s.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.measure(&candidate).0 > max_width {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Draws the title and subtitle at the top left; returns the y below them.
pub(super) fn header<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    title: &str,
    subtitle: &str,
) -> Result<i32, DrawError> {
    let m = theme.margin();
    // Leave room for SVG viewers that fall back to a wider font.
    let max_w = (0.94 * (theme.width - 2 * m) as f64) as i32;
    let t = theme
        .text(size::TITLE, INK)
        .bold()
        .anchor(HPos::Left, VPos::Top);
    let mut y = theme.px(24.0);
    t.draw(area, title, (m, y))?;
    y += t.line_height() + theme.px(12.0);
    let st = theme
        .text(size::SUBTITLE, MUTED)
        .anchor(HPos::Left, VPos::Top);
    for line in st.wrap(subtitle, max_w) {
        st.draw(area, &line, (m, y))?;
        y += st.line_height() + theme.px(8.0);
    }
    Ok(y + theme.px(10.0))
}

/// A filled rectangle.
pub(super) fn fill_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    color: RGBAColor,
) -> Drawn {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))?;
    Ok(())
}

/// A straight line.
pub(super) fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBAColor,
    width: u32,
) -> Drawn {
    area.draw(&PathElement::new(
        vec![a, b],
        ShapeStyle::from(color).stroke_width(width.max(1)),
    ))?;
    Ok(())
}

/// Axis ticks: evenly spaced round values covering a range.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Ticks {
    /// Lowest value of the axis (a tick).
    pub(super) lo: f64,
    /// Highest value of the axis (a tick).
    pub(super) hi: f64,
    /// The ticks, from `lo` to `hi`.
    pub(super) values: Vec<f64>,
    /// Decimals that show every tick exactly.
    pub(super) decimals: usize,
}

/// About `target` ticks at 1, 2 or 5 times a power of ten, covering `lo..=hi`.
pub(super) fn ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let exp = raw.log10().floor() as i32;
    let base = 10f64.powi(exp);
    let step_m = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * base >= raw)
        .unwrap_or(10.0);
    // Work in integer multiples of `unit` so that no tick carries rounding noise.
    let (unit, mult) = if step_m == 10.0 {
        (base * 10.0, 1i64)
    } else {
        (base, step_m as i64)
    };
    let first = (lo / unit / mult as f64 + 1e-9).floor() as i64 * mult;
    let last = (hi / unit / mult as f64 - 1e-9).ceil() as i64 * mult;
    let unit_exp = unit.log10().round() as i32;
    // Dividing by a power of ten is exact where multiplying by 0.1 is not.
    let value = |k: i64| {
        if unit_exp < 0 {
            k as f64 / 10f64.powi(-unit_exp)
        } else {
            k as f64 * 10f64.powi(unit_exp)
        }
    };
    let mut values: Vec<f64> = (0..)
        .map(|k| first + k * mult)
        .take_while(|&k| k <= last)
        .take(1000)
        .map(value)
        .collect();
    if values.len() < 2 {
        values = vec![lo, hi];
    }
    Ticks {
        lo: values[0],
        hi: *values.last().expect("at least one tick"),
        values,
        decimals: (-unit_exp).max(0) as usize,
    }
}

/// `v` with `decimals` decimals and thousands separators; never `-0`.
pub(super) fn number(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    let s = if s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A count with thousands separators.
pub(super) fn count(n: u64) -> String {
    number(n as f64, 0)
}

/// `plural(n, "train")`: "1 train", "2 trains", with separators.
pub(super) fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", count(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_exact() {
        let t = ticks(0.0, 0.9, 5);
        assert_eq!(t.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let labels: Vec<_> = t.values.iter().map(|v| number(*v, t.decimals)).collect();
        assert_eq!(labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let t = ticks(0.0, 29.5, 6);
        assert_eq!(t.values, vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]);
        assert_eq!(t.decimals, 0);
        let t = ticks(0.1, 0.3, 4);
        let labels: Vec<_> = t.values.iter().map(|v| number(*v, t.decimals)).collect();
        assert_eq!(labels, ["0.10", "0.15", "0.20", "0.25", "0.30"]);
        let t = ticks(0.0, 1.0, 10);
        assert_eq!(t.values.len(), 11);
    }

    #[test]
    fn numbers_have_separators_and_no_negative_zero() {
        assert_eq!(number(92418.0, 0), "92,418");
        assert_eq!(number(1234.5, 1), "1,234.5");
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(number(-12345.0, 0), "-12,345");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(plural(1, "train"), "1 train");
        assert_eq!(plural(12000, "train"), "12,000 trains");
    }

    #[test]
    fn text_is_measured_with_the_embedded_font() {
        let t = Theme::new(1600, 1000).text(24.0 * 1.24, INK);
        // About 0.55 em per character for DejaVu Sans.
        let w = t.measure("Transit time (days)").0;
        assert!((200..280).contains(&w), "{w}");
        assert!(t.bold().measure("Bold").0 > t.measure("Bold").0);
        assert_eq!(t.measure("").0, 0);
    }

    #[test]
    fn the_colour_scale_runs_from_light_to_dark() {
        let light = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        let steps: Vec<u32> = (0..=10)
            .map(|i| light(sequential(i as f64 / 10.0)))
            .collect();
        assert!(steps.windows(2).all(|w| w[0] > w[1]), "{steps:?}");
        assert_eq!(sequential(f64::NAN), sequential(0.0));
    }
}
