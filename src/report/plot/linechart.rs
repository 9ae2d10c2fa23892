//! A line chart below a title block: a frame with x and y axes, data [`Layer`]s,
//! [`Note`]s set near what they describe, and a [`Legend`] inside the plot where it
//! hides no data, or else above the plot.
//!
//! Notes are placed first, in order (the most important first), each where it hides
//! the least data and lies nearest its anchor; then the legend, nearest a corner.

use plotters::prelude::*;

use super::axes::{self, Axis, Frame};
use super::labels::Rect;
use super::layers::{self, Layer, frame_rect, pixel};
use super::occupancy::{Occupancy, TAKEN, distance};
use super::overlay::{Legend, Note, needs_leader};
use super::style::{Area, Drawn, MUTED, Theme, size};

/// A line chart's content.
pub(super) struct LineChart<'a> {
    /// The horizontal axis.
    pub(super) x_axis: Axis<'a>,
    /// The vertical axis.
    pub(super) y_axis: Axis<'a>,
    /// Data, drawn in order.
    pub(super) layers: Vec<Layer>,
    /// Notes, most important first.
    pub(super) notes: Vec<Note>,
    /// The legend.
    pub(super) legend: Legend,
    /// Room left and right of the x ticks, as a share of their range (so that markers
    /// at the ends stay clear of the axes).
    pub(super) x_margin: f64,
}

/// Where the notes and the legend go.
struct Placed {
    notes: Vec<Option<Rect>>,
    legend: Option<Rect>,
}

impl LineChart<'_> {
    /// Draws the chart below `top` (the y under the title block).
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        top: i32,
    ) -> Drawn {
        let mut frame = self.frame(theme, top);
        let mut placed = self.place(theme, &frame, true);
        let mut above = None;
        if placed.legend.is_none() && !self.legend.is_empty() {
            let m = theme.margin();
            let columns = self.legend.columns(theme, theme.width - 2 * m);
            let (w, h) = self.legend.size(theme, columns);
            let x = (frame.left - theme.px(14.0))
                .min(theme.width - m - w)
                .max(m);
            above = Some((columns, (x, top)));
            frame.top = top + h + theme.px(14.0);
            placed = self.place(theme, &frame, false);
        }
        axes::draw_x_axis(area, theme, &frame, &self.x_axis)?;
        axes::draw_y_axis(area, theme, &frame, &self.y_axis)?;
        layers::draw(area, theme, &frame, &self.layers)?;
        axes::draw_axis_lines(area, theme, &frame)?;
        for (note, rect) in self.notes.iter().zip(&placed.notes) {
            if let Some(rect) = rect {
                note.draw(area, theme, rect, pixel(&frame, note.anchor))?;
            }
        }
        if let Some(r) = placed.legend {
            let at = (r.x0.round() as i32, r.y0.round() as i32);
            self.legend.draw(area, theme, at, 1, true)?;
        }
        if let Some((columns, at)) = above {
            self.legend.draw(area, theme, at, columns, false)?;
        }
        Ok(())
    }

    /// The plot frame below `top`, with room for the axes.
    fn frame(&self, theme: &Theme, top: i32) -> Frame {
        let m = theme.margin();
        // Half the last x tick label may stick out on the right.
        let tick = theme.text(size::LABEL, MUTED);
        let last = self
            .x_axis
            .ticks
            .values
            .last()
            .map_or(0, |v| tick.measure(&(self.x_axis.label)(*v)).0);
        let right = (last / 2 - m + theme.px(6.0)).max(theme.px(14.0));
        let span = self.x_axis.ticks.hi - self.x_axis.ticks.lo;
        Frame {
            left: m + axes::y_axis_width(theme, &self.y_axis),
            top: top + theme.px(12.0),
            right: theme.width - m - right,
            bottom: theme.height - m - axes::x_axis_height(theme),
            x: (
                self.x_axis.ticks.lo - self.x_margin * span,
                self.x_axis.ticks.hi + self.x_margin * span,
            ),
            y: (self.y_axis.ticks.lo, self.y_axis.ticks.hi),
        }
    }

    /// Places the notes, then the legend if `legend_inside` (`None` if it finds no
    /// free place).
    fn place(&self, theme: &Theme, frame: &Frame, legend_inside: bool) -> Placed {
        let inset = theme.pxf(6.0);
        let bounds = frame_rect(frame);
        let bounds = Rect {
            x0: bounds.x0 + inset,
            y0: bounds.y0 + inset,
            x1: bounds.x1 - inset,
            y1: bounds.y1 - inset,
        };
        let mut occ = Occupancy::new(bounds, theme.pxf(6.0));
        layers::mark(&mut occ, theme, frame, &self.layers);
        let pad = theme.pxf(8.0);
        let mut notes = Vec::new();
        for note in &self.notes {
            let (w, h) = note.size(theme);
            let anchor = pixel(frame, note.anchor);
            // A leader line should cross as little as possible on its way.
            let skip = theme.pxf(14.0);
            let cost = |r: &Rect| {
                let d = distance(r, anchor);
                if note.leader && needs_leader(theme, r, anchor) {
                    d + 40.0 * occ.crossings(anchor, r.nearest(anchor), skip) as f64
                } else {
                    d
                }
            };
            let spot = occ.best_spot(w, h, pad, &cost);
            if let Some((rect, _)) = spot {
                occ.mark_rect(&rect);
                if note.leader && needs_leader(theme, &rect, anchor) {
                    occ.mark_segment(anchor, rect.nearest(anchor), theme.pxf(3.0));
                }
            }
            notes.push(spot.map(|s| s.0));
        }
        let legend = if legend_inside && !self.legend.is_empty() {
            let (w, h) = self.legend.size(theme, 1);
            let corners = [
                (bounds.x0, bounds.y0),
                (bounds.x1, bounds.y0),
                (bounds.x1, bounds.y1),
                (bounds.x0, bounds.y1),
            ];
            let cost = |r: &Rect| {
                corners
                    .iter()
                    .enumerate()
                    .map(|(i, c)| distance(r, *c) + i as f64)
                    .fold(f64::INFINITY, f64::min)
            };
            occ.best_spot(w as f64, h as f64, theme.pxf(10.0), &cost)
                .filter(|(_, weight)| *weight < u64::from(TAKEN))
                .map(|(r, _)| r)
        } else {
            None
        };
        Placed { notes, legend }
    }
}
