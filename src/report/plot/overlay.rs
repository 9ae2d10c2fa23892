//! What goes over a plot's data: legends (rows of a sample and a text) and notes (a
//! few lines of text about one place of the plot, with a leader line to it when they
//! sit away from it).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::labels::Rect;
use super::layers::{self, Dash, Shape};
use super::style::{self, Area, Drawn, GRID, INK, MUTED, Theme, size};

/// What a legend row shows before its text: any of a band, a line and a marker.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Sample {
    /// A shaded band behind the line.
    pub(super) band: Option<RGBColor>,
    /// A line.
    pub(super) line: Option<(RGBColor, Dash)>,
    /// A marker in the middle.
    pub(super) marker: Option<(Shape, RGBColor)>,
}

impl Sample {
    /// A line with its shaded 95% band.
    pub(super) fn banded(color: RGBColor) -> Sample {
        Sample {
            band: Some(color),
            line: Some((color, Dash::Solid)),
            marker: None,
        }
    }

    /// A line.
    pub(super) fn line(color: RGBColor, dash: Dash) -> Sample {
        Sample {
            line: Some((color, dash)),
            ..Sample::default()
        }
    }

    /// A marker.
    pub(super) fn marker(shape: Shape, color: RGBColor) -> Sample {
        Sample {
            marker: Some((shape, color)),
            ..Sample::default()
        }
    }
}

/// A legend: rows of a sample and a text.
#[derive(Clone, Debug, Default)]
pub(super) struct Legend {
    /// The rows, top to bottom.
    pub(super) rows: Vec<(Sample, String)>,
}

/// Sizes of a legend's parts (pixels).
struct Metrics {
    text: style::Text,
    text_w: i32,
    row_h: i32,
    pad: i32,
    sample: i32,
    gap: i32,
}

impl Legend {
    fn metrics(&self, theme: &Theme) -> Metrics {
        let text = theme.text(size::LABEL, INK);
        Metrics {
            text_w: self
                .rows
                .iter()
                .map(|(_, t)| text.measure(t).0)
                .max()
                .unwrap_or(0),
            row_h: text.line_height() + theme.px(12.0),
            pad: theme.px(14.0),
            sample: theme.px(44.0),
            gap: theme.px(12.0),
            text,
        }
    }

    /// True without rows.
    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Width and height in `columns` columns, padding included.
    pub(super) fn size(&self, theme: &Theme, columns: usize) -> (i32, i32) {
        let m = self.metrics(theme);
        let columns = columns.max(1) as i32;
        let rows = self.rows.len().div_ceil(columns as usize) as i32;
        let column_w = m.sample + m.gap + m.text_w;
        (
            2 * m.pad + column_w * columns + 3 * m.pad * (columns - 1),
            2 * m.pad + m.row_h * rows - m.gap,
        )
    }

    /// As many columns as fit in `width` pixels (at least one).
    pub(super) fn columns(&self, theme: &Theme, width: i32) -> usize {
        (1..=self.rows.len().max(1))
            .rev()
            .find(|&c| self.size(theme, c).0 <= width)
            .unwrap_or(1)
    }

    /// Draws the legend with its top-left corner at `(x, y)`, in `columns` columns, on
    /// a white box with a thin border if `boxed`.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        (x, y): (i32, i32),
        columns: usize,
        boxed: bool,
    ) -> Drawn {
        let m = self.metrics(theme);
        if boxed {
            let (w, h) = self.size(theme, columns);
            area.draw(&Rectangle::new(
                [(x, y), (x + w, y + h)],
                WHITE.mix(0.92).filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x, y), (x + w, y + h)],
                ShapeStyle::from(GRID).stroke_width(1),
            ))?;
        }
        let per_column = self.rows.len().div_ceil(columns.max(1));
        let column_w = m.sample + m.gap + m.text_w;
        for (i, (sample, text)) in self.rows.iter().enumerate() {
            let (col, line) = ((i / per_column) as i32, (i % per_column) as i32);
            let x0 = x + m.pad + col * (column_w + 3 * m.pad);
            let cy = y + m.pad + m.row_h * line + m.text.line_height() / 2;
            draw_sample(area, theme, sample, (x0, cy), m.sample)?;
            m.text.draw(area, text, (x0 + m.sample + m.gap, cy))?;
        }
        Ok(())
    }
}

/// Draws a legend sample `w` pixels wide, centred vertically on `cy`.
fn draw_sample<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    sample: &Sample,
    (x, cy): (i32, i32),
    w: i32,
) -> Drawn {
    if let Some(color) = sample.band {
        let h = theme.px(9.0).max(3);
        let h = if sample.line.is_none() { 2 * h } else { h };
        area.draw(&Rectangle::new(
            [(x, cy - h), (x + w, cy + h)],
            color.mix(0.3).filled(),
        ))?;
    }
    if let Some((color, dash)) = sample.line {
        let width = if dash == Dash::Solid { 3.5 } else { 2.0 };
        let a = (x as f64, cy as f64);
        let b = ((x + w) as f64, cy as f64);
        layers::stroke(area, theme, (a, b), color, theme.pxf(width).max(1.0), dash)?;
    }
    if let Some((shape, color)) = sample.marker {
        layers::marker(area, theme, (x + w / 2, cy), shape, color, 7.5)?;
    }
    Ok(())
}

/// A note about one place of a plot: a first line (bold unless it is a plain label) and
/// muted further lines.
#[derive(Clone, Debug)]
pub(super) struct Note {
    /// The first line.
    pub(super) title: String,
    /// Further lines.
    pub(super) lines: Vec<String>,
    /// Colour of the first line.
    pub(super) color: RGBColor,
    /// The place the note is about, in data coordinates.
    pub(super) anchor: (f64, f64),
    /// True if the first line is bold.
    pub(super) bold: bool,
    /// True if a leader line joins the note to its anchor when it sits away from it.
    pub(super) leader: bool,
}

impl Note {
    /// A one-line plain label in `color`.
    pub(super) fn label(text: impl Into<String>, color: RGBColor, anchor: (f64, f64)) -> Note {
        Note {
            title: text.into(),
            lines: Vec::new(),
            color,
            anchor,
            bold: false,
            leader: false,
        }
    }

    fn texts(&self, theme: &Theme) -> (style::Text, style::Text) {
        let first = theme
            .text(size::LABEL, self.color)
            .anchor(HPos::Left, VPos::Top);
        (
            if self.bold { first.bold() } else { first },
            theme.text(size::LABEL, MUTED).anchor(HPos::Left, VPos::Top),
        )
    }

    fn pad(theme: &Theme) -> i32 {
        theme.px(6.0)
    }

    fn line_step(theme: &Theme, t: &style::Text) -> i32 {
        t.line_height() + theme.px(7.0)
    }

    /// Width and height with padding (pixels).
    pub(super) fn size(&self, theme: &Theme) -> (f64, f64) {
        let (bold, plain) = self.texts(theme);
        let w = std::iter::once(bold.measure(&self.title).0)
            .chain(self.lines.iter().map(|l| plain.measure(l).0))
            .max()
            .unwrap_or(0);
        let h = bold.line_height() + self.lines.len() as i32 * Note::line_step(theme, &plain);
        let pad = Note::pad(theme);
        ((w + 2 * pad) as f64, (h + 2 * pad) as f64)
    }

    /// Draws the note in `rect`, with a leader line from `anchor` (pixels) if it has
    /// one and sits more than a few pixels away.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        rect: &Rect,
        anchor: (f64, f64),
    ) -> Drawn {
        if self.leader && needs_leader(theme, rect, anchor) {
            let end = rect.nearest(anchor);
            layers::stroke(
                area,
                theme,
                (anchor, end),
                MUTED,
                theme.pxf(1.5).max(1.0),
                Dash::Solid,
            )?;
        }
        let r = |v: f64| v.round() as i32;
        area.draw(&Rectangle::new(
            [(r(rect.x0), r(rect.y0)), (r(rect.x1), r(rect.y1))],
            WHITE.mix(0.85).filled(),
        ))?;
        let (bold, plain) = self.texts(theme);
        let pad = Note::pad(theme);
        let x = r(rect.x0) + pad;
        let mut y = r(rect.y0) + pad;
        bold.draw(area, &self.title, (x, y))?;
        y += Note::line_step(theme, &plain);
        for line in &self.lines {
            plain.draw(area, line, (x, y))?;
            y += Note::line_step(theme, &plain);
        }
        Ok(())
    }
}

/// True if a note in `rect` is far enough from `anchor` to need a leader line.
pub(super) fn needs_leader(theme: &Theme, rect: &Rect, anchor: (f64, f64)) -> bool {
    super::occupancy::distance(rect, anchor) > theme.pxf(18.0)
}
