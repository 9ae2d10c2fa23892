//! `transit`: the distribution of transit times of each flow, as empirical
//! cumulative distribution curves from the pooled histograms of `transit.csv`, with
//! each flow's p50 and p95 marked.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Axis, Frame};
use super::labels::Rect;
use super::results::{Summary, TransitRow};
use super::style::{self, Area, Drawn, GRID, INK, MUTED, SERIES, Theme, size};

/// The transit chart's data.
#[derive(Debug)]
pub(super) struct TransitChart {
    scenario: String,
    replications: u64,
    /// Curves in legend order (by median).
    curves: Vec<Curve>,
    /// Flows without delivered trains.
    empty: Vec<String>,
}

/// One flow's curve.
#[derive(Debug)]
struct Curve {
    flow: String,
    /// (days, share delivered within) from the first to the last bin.
    points: Vec<(f64, f64)>,
    p50: Option<f64>,
    p95: Option<f64>,
    trains: u64,
    color: RGBColor,
}

impl TransitChart {
    /// Builds the curves of every flow of `summary` (and any other flow in `bins`).
    pub(super) fn new(summary: &Summary, bins: &[TransitRow]) -> TransitChart {
        let mut flows: Vec<&str> = summary.flows.iter().map(|f| f.id.as_str()).collect();
        for b in bins {
            if !flows.contains(&b.flow.as_str()) {
                flows.push(&b.flow);
            }
        }
        let mut curves = Vec::new();
        let mut empty = Vec::new();
        for (i, flow) in flows.iter().enumerate() {
            let mut own: Vec<&TransitRow> = bins.iter().filter(|b| b.flow == *flow).collect();
            own.sort_by(|a, b| a.lower_days.total_cmp(&b.lower_days));
            let n: u64 = own.iter().map(|b| b.trains).sum();
            if n == 0 {
                empty.push(flow.to_string());
                continue;
            }
            let mut points = vec![(own[0].lower_days, 0.0)];
            let mut seen = 0u64;
            for b in &own {
                let last = points.last().map_or(0.0, |p| p.0);
                if b.lower_days > last {
                    points.push((b.lower_days, seen as f64 / n as f64));
                }
                seen += b.trains;
                points.push((b.upper_days, seen as f64 / n as f64));
            }
            let reported = summary.flows.iter().find(|f| f.id == *flow);
            let pick = |q: f64, from_summary: Option<f64>| {
                from_summary
                    .filter(|v| v.is_finite())
                    .or_else(|| quantile(&own, n, q))
            };
            curves.push(Curve {
                flow: flow.to_string(),
                points,
                p50: pick(0.5, reported.and_then(|f| f.transit_days.p50)),
                p95: pick(0.95, reported.and_then(|f| f.transit_days.p95)),
                trains: n,
                color: SERIES[i % SERIES.len()],
            });
        }
        curves.sort_by(|a, b| {
            let key = |c: &Curve| c.p50.unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b)).then_with(|| a.flow.cmp(&b.flow))
        });
        TransitChart {
            scenario: summary.scenario.clone(),
            replications: summary.replications,
            curves,
            empty,
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let trains: u64 = self.curves.iter().map(|c| c.trains).sum();
        let mut subtitle = format!(
            "{}: share of delivered trains that arrived within x days (empirical distribution), \
             pooled over {} ({}). Circles mark each flow's median (p50), triangles its 95th \
             percentile (p95).",
            self.scenario,
            style::plural(self.replications, "replication"),
            style::plural(trains, "train"),
        );
        if !self.empty.is_empty() {
            subtitle.push_str(&format!(" No train delivered: {}.", self.empty.join(", ")));
        }
        let top = style::header(area, theme, "Transit time by flow", &subtitle)?;

        let x_max = self
            .curves
            .iter()
            .filter_map(|c| c.points.last().map(|p| p.0))
            .fold(1.0, f64::max);
        let xt = style::ticks(0.0, x_max, 8);
        let x_decimals = xt.decimals;
        let x_label = move |v: f64| style::number(v, x_decimals);
        let y_label = |v: f64| format!("{}%", style::number(v * 100.0, 0));
        let x_axis = Axis {
            ticks: xt,
            label: &x_label,
            title: "Transit time (days)",
        };
        let y_axis = Axis {
            ticks: style::ticks(0.0, 1.0, 5),
            label: &y_label,
            title: "Trains delivered within x (%)",
        };
        let m = theme.margin();
        let mut frame = Frame {
            left: m + axes::y_axis_width(theme, &y_axis),
            top: top + theme.px(12.0),
            right: theme.width
                - m
                - theme.text(size::SMALL, MUTED).measure("p95").0
                - theme.px(8.0),
            bottom: theme.height - m - axes::x_axis_height(theme),
            x: (x_axis.ticks.lo, x_axis.ticks.hi),
            y: (0.0, 1.0),
        };
        // The legend goes inside the plot where it hides no curve, or else above it.
        let legend = Legend::new(self, theme);
        let inside = legend.free_spot(self, &frame, theme);
        let columns = if inside.is_none() && !legend.rows.is_empty() {
            let columns = legend.columns(theme.width - frame.left - m);
            let rows = legend.rows.len().div_ceil(columns) as i32;
            frame.top += rows * legend.row_h + theme.px(12.0);
            columns
        } else {
            1
        };
        axes::draw_x_axis(area, theme, &frame, &x_axis)?;
        axes::draw_y_axis(area, theme, &frame, &y_axis)?;
        self.draw_reference_lines(area, theme, &frame)?;
        axes::draw_axis_lines(area, theme, &frame)?;
        let width = theme.px(3.5).max(2) as u32;
        for c in &self.curves {
            let points: Vec<(i32, i32)> = c.points.iter().map(|&(x, y)| frame.at(x, y)).collect();
            area.draw(&PathElement::new(
                points,
                ShapeStyle::from(c.color).stroke_width(width),
            ))?;
        }
        for c in &self.curves {
            if let Some(p) = c.p50 {
                circle(area, theme, frame.at(p, 0.5), c.color)?;
            }
            if let Some(p) = c.p95 {
                triangle(area, theme, frame.at(p, 0.95), c.color)?;
            }
        }
        match inside {
            Some((x, y)) => {
                let (w, h) = legend.size(1);
                area.draw(&Rectangle::new(
                    [(x, y), (x + w, y + h)],
                    RGBColor(255, 255, 255).mix(0.92).filled(),
                ))?;
                area.draw(&Rectangle::new(
                    [(x, y), (x + w, y + h)],
                    ShapeStyle::from(GRID).stroke_width(1),
                ))?;
                legend.draw(area, self, (x, y), 1)
            }
            None => legend.draw(area, self, (frame.left - legend.pad, top), columns),
        }
    }

    /// Dashed guides at 50% and 95%, labelled at the right.
    fn draw_reference_lines<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        frame: &Frame,
    ) -> Drawn {
        let text = theme
            .text(size::SMALL, MUTED)
            .anchor(HPos::Left, VPos::Center);
        for (q, label) in [(0.5, "p50"), (0.95, "p95")] {
            let y = frame.y(q);
            let dash = theme.px(10.0).max(2);
            let mut x = frame.left;
            while x < frame.right {
                let x1 = (x + dash).min(frame.right);
                style::line(area, (x, y), (x1, y), RGBColor(170, 170, 170).into(), 1)?;
                x += 2 * dash;
            }
            text.draw(area, label, (frame.right + theme.px(6.0), y))?;
        }
        Ok(())
    }
}

/// The legend: one row per flow, with its line, p50, p95 and number of trains.
struct Legend {
    text: style::Text,
    rows: Vec<String>,
    /// Widest row text (pixels).
    text_w: i32,
    row_h: i32,
    pad: i32,
    sample: i32,
    gap: i32,
}

impl Legend {
    fn new(chart: &TransitChart, theme: &Theme) -> Legend {
        let text = theme.text(size::LABEL, INK);
        let rows: Vec<String> = chart
            .curves
            .iter()
            .map(|c| {
                let q = |v: Option<f64>| v.map_or("-".to_string(), |v| style::number(v, 1));
                format!(
                    "{}: p50 {} d, p95 {} d, {}",
                    c.flow,
                    q(c.p50),
                    q(c.p95),
                    style::plural(c.trains, "train")
                )
            })
            .collect();
        Legend {
            text_w: rows.iter().map(|r| text.measure(r).0).max().unwrap_or(0),
            rows,
            row_h: text.line_height() + theme.px(12.0),
            pad: theme.px(14.0),
            sample: theme.px(44.0),
            gap: theme.px(12.0),
            text,
        }
    }

    /// Width of one column (pixels).
    fn column_w(&self) -> i32 {
        self.sample + self.gap + self.text_w
    }

    /// Size of the legend in `columns` columns, padding included.
    fn size(&self, columns: usize) -> (i32, i32) {
        let rows = self.rows.len().div_ceil(columns.max(1)) as i32;
        let w =
            self.pad * 2 + self.column_w() * columns as i32 + 3 * self.pad * (columns as i32 - 1);
        let h = self.pad * 2 + self.row_h * rows - self.gap;
        (w, h)
    }

    /// As many columns as fit in `width` pixels (at least one).
    fn columns(&self, width: i32) -> usize {
        (1..=self.rows.len().max(1))
            .rev()
            .find(|&c| self.size(c).0 <= width)
            .unwrap_or(1)
    }

    /// The top-left corner of a place inside the plot where the legend box covers no
    /// curve and no marker, nearest the lower right; `None` if there is none.
    fn free_spot(&self, chart: &TransitChart, frame: &Frame, theme: &Theme) -> Option<(i32, i32)> {
        if self.rows.is_empty() {
            return None;
        }
        let (w, h) = self.size(1);
        let inset = theme.px(16.0);
        let (span_x, span_y) = (
            frame.width() - w - 2 * inset,
            frame.height() - h - 2 * inset,
        );
        if span_x < 0 || span_y < 0 {
            return None;
        }
        let segments: Vec<((f64, f64), (f64, f64))> = chart
            .curves
            .iter()
            .flat_map(|c| {
                c.points.windows(2).map(|p| {
                    let (a, b) = (frame.at(p[0].0, p[0].1), frame.at(p[1].0, p[1].1));
                    ((a.0 as f64, a.1 as f64), (b.0 as f64, b.1 as f64))
                })
            })
            .collect();
        let markers: Vec<(f64, f64)> = chart
            .curves
            .iter()
            .flat_map(|c| [c.p50.map(|p| (p, 0.5)), c.p95.map(|p| (p, 0.95))])
            .flatten()
            .map(|(x, y)| (frame.x(x) as f64, frame.y(y) as f64))
            .collect();
        let steps = 12;
        // From the lower right, along the bottom first, then upwards.
        for iy in (0..=steps).rev() {
            for ix in (0..=steps).rev() {
                let x = frame.left + inset + span_x * ix / steps;
                let y = frame.top + inset + span_y * iy / steps;
                let margin = theme.pxf(12.0);
                let rect = Rect {
                    x0: x as f64 - margin,
                    y0: y as f64 - margin,
                    x1: (x + w) as f64 + margin,
                    y1: (y + h) as f64 + margin,
                };
                let hides_curve = segments.iter().any(|(a, b)| rect.clip(*a, *b).is_some());
                let hides_marker = markers.iter().any(|p| rect.contains_point(*p));
                if !hides_curve && !hides_marker {
                    return Some((x, y));
                }
            }
        }
        None
    }

    /// Draws the rows, in `columns` columns, from the top-left corner `(x, y)` of the
    /// legend box.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        chart: &TransitChart,
        (x, y): (i32, i32),
        columns: usize,
    ) -> Drawn {
        let per_column = self.rows.len().div_ceil(columns.max(1));
        let width = (self.sample / 12).max(2) as u32;
        for (i, (c, row)) in chart.curves.iter().zip(&self.rows).enumerate() {
            let (col, line) = ((i / per_column) as i32, (i % per_column) as i32);
            let x0 = x + self.pad + col * (self.column_w() + 3 * self.pad);
            let cy = y + self.pad + self.row_h * line + self.text.line_height() / 2;
            style::line(
                area,
                (x0, cy),
                (x0 + self.sample, cy),
                c.color.into(),
                width,
            )?;
            self.text
                .draw(area, row, (x0 + self.sample + self.gap, cy))?;
        }
        Ok(())
    }
}

/// The `q` quantile as `Histogram::quantile` computes it: the midpoint of the bin
/// holding the value of rank `ceil(q * n)`.
fn quantile(bins: &[&TransitRow], n: u64, q: f64) -> Option<f64> {
    let rank = ((q * n as f64).ceil() as u64).max(1);
    let mut seen = 0;
    bins.iter().find_map(|b| {
        seen += b.trains;
        (seen >= rank).then_some((b.lower_days + b.upper_days) / 2.0)
    })
}

/// A p50 marker.
fn circle<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    at: (i32, i32),
    color: RGBColor,
) -> Drawn {
    let r = theme.px(8.0).max(3);
    area.draw(&Circle::new(at, r + theme.px(2.0).max(1), WHITE.filled()))?;
    area.draw(&Circle::new(at, r, color.filled()))?;
    Ok(())
}

/// A p95 marker.
fn triangle<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    (x, y): (i32, i32),
    color: RGBColor,
) -> Drawn {
    let r = theme.pxf(11.0).max(4.0);
    let pts = |r: f64| {
        vec![
            (x, y - r.round() as i32),
            (x - (r * 0.87).round() as i32, y + (r * 0.5).round() as i32),
            (x + (r * 0.87).round() as i32, y + (r * 0.5).round() as i32),
        ]
    };
    area.draw(&Polygon::new(pts(r + theme.pxf(3.0)), WHITE.filled()))?;
    area.draw(&Polygon::new(pts(r), color.filled()))?;
    Ok(())
}
