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
