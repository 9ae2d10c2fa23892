//! Cartesian plot frames: mapping data to pixels, grid lines, ticks and axis titles.
//!
//! Charts lay out their plot rectangle with [`x_axis_height`] and [`y_axis_width`],
//! build a [`Frame`], draw the axes, then their data with [`Frame::x`] and
//! [`Frame::y`].

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, Area, Drawn, GRID, INK, MUTED, Theme, Ticks, size};

/// A plot rectangle (pixels) and the data ranges it shows.
#[derive(Clone, Copy, Debug)]
pub(super) struct Frame {
    /// Left edge (pixels).
    pub(super) left: i32,
    /// Top edge (pixels).
    pub(super) top: i32,
    /// Right edge (pixels).
    pub(super) right: i32,
    /// Bottom edge (pixels).
    pub(super) bottom: i32,
    /// Data range shown from left to right.
    pub(super) x: (f64, f64),
    /// Data range shown from bottom to top.
    pub(super) y: (f64, f64),
}

impl Frame {
    /// The pixel column of data value `v`.
    pub(super) fn x(&self, v: f64) -> i32 {
        let (lo, hi) = self.x;
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
        (self.left as f64 + t * (self.right - self.left) as f64).round() as i32
    }

    /// The pixel row of data value `v`.
    pub(super) fn y(&self, v: f64) -> i32 {
        let (lo, hi) = self.y;
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
        (self.bottom as f64 - t * (self.bottom - self.top) as f64).round() as i32
    }

    /// The pixel position of a data point.
    pub(super) fn at(&self, x: f64, y: f64) -> (i32, i32) {
        (self.x(x), self.y(y))
    }

    /// Width in pixels.
    pub(super) fn width(&self) -> i32 {
        self.right - self.left
    }

    /// Height in pixels.
    pub(super) fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

/// A numeric axis: its ticks, tick labels and title.
pub(super) struct Axis<'a> {
    /// Tick values; the axis runs from the first to the last.
    pub(super) ticks: Ticks,
    /// Tick label of a value.
    pub(super) label: &'a dyn Fn(f64) -> String,
    /// Axis title with its unit.
    pub(super) title: &'a str,
}

impl Axis<'_> {
    fn labels(&self) -> Vec<String> {
        self.ticks.values.iter().map(|v| (self.label)(*v)).collect()
    }
}

/// Tick labels (default anchor).
fn tick_text(theme: &Theme) -> style::Text {
    theme.text(size::LABEL, MUTED)
}

/// Axis title text.
fn title_text(theme: &Theme) -> style::Text {
    theme.text(size::AXIS, INK)
}

/// Pixels an x axis needs below the plot: ticks, labels and title.
pub(super) fn x_axis_height(theme: &Theme) -> i32 {
    theme.px(8.0)
        + tick_text(theme).line_height()
        + theme.px(14.0)
        + title_text(theme).line_height()
        + theme.px(6.0)
}

/// Pixels a y axis needs left of the plot: title, labels and ticks.
pub(super) fn y_axis_width(theme: &Theme, axis: &Axis) -> i32 {
    let widest = axis
        .labels()
        .iter()
        .map(|l| tick_text(theme).measure(l).0)
        .max()
        .unwrap_or(0);
    title_text(theme).line_height() + theme.px(16.0) + widest + theme.px(10.0)
}

/// Draws vertical grid lines, ticks, tick labels and the title of an x axis.
pub(super) fn draw_x_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    frame: &Frame,
    axis: &Axis,
) -> Drawn {
    let tick = tick_text(theme).anchor(HPos::Center, VPos::Top);
    let y = frame.bottom + theme.px(8.0);
    for (v, label) in axis.ticks.values.iter().zip(axis.labels()) {
        let x = frame.x(*v);
        style::line(area, (x, frame.top), (x, frame.bottom), GRID.into(), 1)?;
        style::line(
            area,
            (x, frame.bottom),
            (x, frame.bottom + theme.px(5.0)),
            MUTED.into(),
            1,
        )?;
        tick.draw(area, &label, (x, y))?;
    }
    let title = title_text(theme).anchor(HPos::Center, VPos::Top);
    let y = y + tick.line_height() + theme.px(14.0);
    title.draw(area, axis.title, ((frame.left + frame.right) / 2, y))
}

/// Draws horizontal grid lines, ticks, tick labels and the title of a y axis.
pub(super) fn draw_y_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    frame: &Frame,
    axis: &Axis,
) -> Drawn {
    let tick = tick_text(theme).anchor(HPos::Right, VPos::Center);
    let x = frame.left - theme.px(10.0);
    for (v, label) in axis.ticks.values.iter().zip(axis.labels()) {
        let y = frame.y(*v);
        style::line(area, (frame.left, y), (frame.right, y), GRID.into(), 1)?;
        tick.draw(area, &label, (x, y))?;
    }
    let title = title_text(theme).anchor(HPos::Center, VPos::Top).vertical();
    let x = frame.left - y_axis_width(theme, axis) + theme.px(4.0);
    title.draw(area, axis.title, (x, (frame.top + frame.bottom) / 2))
}

/// Draws the left and bottom axis lines.
pub(super) fn draw_axis_lines<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    frame: &Frame,
) -> Drawn {
    let w = theme.px(1.5).max(1) as u32;
    style::line(
        area,
        (frame.left, frame.bottom),
        (frame.right, frame.bottom),
        MUTED.into(),
        w,
    )?;
    style::line(
        area,
        (frame.left, frame.top),
        (frame.left, frame.bottom),
        MUTED.into(),
        w,
    )
}

/// Ticks of a logarithmic axis, in log10 units: the powers of ten from below `lo` to
/// above `hi` (both above 0).
pub(super) fn log_ticks(lo: f64, hi: f64) -> Ticks {
    let ok = |v: f64| v.is_finite() && v > 0.0;
    let (lo, hi) = match (ok(lo), ok(hi)) {
        (true, true) => (lo.min(hi), lo.max(hi)),
        (true, false) => (lo, lo),
        (false, true) => (hi, hi),
        (false, false) => (1.0, 10.0),
    };
    let a = (lo.log10() + 1e-9).floor() as i32;
    let b = ((hi.log10() - 1e-9).ceil() as i32).max(a + 1);
    let values: Vec<f64> = (a..=b).map(f64::from).collect();
    Ticks {
        lo: a as f64,
        hi: b as f64,
        values,
        decimals: 0,
    }
}

/// The label of a log tick `v` (log10 units): 10 to the `v` as a plain number, such as
/// 0.01, 1 or 10,000.
pub(super) fn log_label(v: f64) -> String {
    let p = v.round() as i32;
    if p >= 0 {
        style::number(10f64.powi(p), 0)
    } else {
        style::number(10f64.powi(p), (-p) as usize)
    }
}

/// Draws light grid lines at 2 to 9 times each power of ten of a log axis, vertical
/// for an x axis (`vertical`) or horizontal for a y axis.
pub(super) fn draw_log_minor_grid<DB: DrawingBackend>(
    area: &Area<DB>,
    frame: &Frame,
    vertical: bool,
) -> Drawn {
    let (lo, hi) = if vertical { frame.x } else { frame.y };
    let light = RGBColor(240, 240, 240);
    for decade in (lo.floor() as i32)..=(hi.ceil() as i32) {
        for k in 2..=9 {
            let v = decade as f64 + (k as f64).log10();
            if v <= lo || v >= hi {
                continue;
            }
            if vertical {
                let x = frame.x(v);
                style::line(area, (x, frame.top), (x, frame.bottom), light.into(), 1)?;
            } else {
                let y = frame.y(v);
                style::line(area, (frame.left, y), (frame.right, y), light.into(), 1)?;
            }
        }
    }
    Ok(())
}

/// Draws ticks, tick labels and the title of a y axis on the right of the plot
/// (without grid lines, which belong to the left axis).
pub(super) fn draw_y_axis_right<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    frame: &Frame,
    axis: &Axis,
) -> Drawn {
    let tick = tick_text(theme).anchor(HPos::Left, VPos::Center);
    let x = frame.right + theme.px(10.0);
    for (v, label) in axis.ticks.values.iter().zip(axis.labels()) {
        let y = frame.y(*v);
        style::line(
            area,
            (frame.right, y),
            (frame.right + theme.px(5.0), y),
            MUTED.into(),
            1,
        )?;
        tick.draw(area, &label, (x, y))?;
    }
    let w = theme.px(1.5).max(1) as u32;
    style::line(
        area,
        (frame.right, frame.top),
        (frame.right, frame.bottom),
        MUTED.into(),
        w,
    )?;
    // Anchored like the left axis title, with the text to the right of the anchor.
    let text = title_text(theme);
    let title = text.anchor(HPos::Center, VPos::Top).vertical();
    let x = frame.right + y_axis_width(theme, axis) - text.line_height() - theme.px(4.0);
    title.draw(area, axis.title, (x, (frame.top + frame.bottom) / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_cover_whole_decades() {
        let t = log_ticks(0.0016, 5.2);
        assert_eq!(t.values, vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
        let labels: Vec<String> = t.values.iter().map(|v| log_label(*v)).collect();
        assert_eq!(labels, ["0.001", "0.01", "0.1", "1", "10"]);
        assert_eq!(log_ticks(10.0, 10_000.0).values, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(log_label(4.0), "10,000");
        assert_eq!(log_ticks(5.0, 5.0).values, vec![0.0, 1.0]);
    }
}
