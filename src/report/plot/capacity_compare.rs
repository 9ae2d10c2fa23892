//! `capacity_compare`: the capacity curves of every scenario of a comparison
//! (`curve-<i>-<scenario>.json`) overlaid, one colour each, with their 95% bands, the
//! line where delivered equals offered and each scenario's practical capacity.

use plotters::prelude::*;

use super::chart::{Axis, Dash, Layer, LineChart, Note, Sample, Shape};
use super::results::experiment::{Curve, CurvePoint};
use super::style::{self, Area, Drawn, MUTED, SERIES, Theme};
use super::sweep::{self, bands, capacity_extent, capacity_layers, extent, x_of};

/// The chart's data.
#[derive(Debug)]
pub(super) struct CapacityCompareChart {
    curves: Vec<Curve>,
}

impl CapacityCompareChart {
    /// The chart of `curves`, in colour order.
    pub(super) fn new(curves: &[Curve]) -> CapacityCompareChart {
        CapacityCompareChart {
            curves: curves.to_vec(),
        }
    }

    /// True if every curve sweeps demand (x is then the offered load).
    fn demand(&self) -> bool {
        self.curves.iter().all(Curve::is_demand)
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let demand = self.demand();
        let x = |c: &Curve, p: &CurvePoint| if demand { x_of(c, p) } else { p.value };
        let names: Vec<&str> = self.curves.iter().map(|c| c.scenario.as_str()).collect();
        let first = &self.curves[0];
        let reps: Vec<u64> = self.curves.iter().map(|c| c.replications).collect();
        let reps = if reps.iter().all(|r| *r == reps[0]) {
            style::plural(reps[0], "replication")
        } else {
            "several replications".to_string()
        };
        let swept = if demand {
            "demand".to_string()
        } else {
            first.param.clone()
        };
        let subtitle = format!(
            "{}: {swept} swept over {} with {reps} per point and common random numbers. \
             Delivered block trains per week: mean with its 95% confidence band; filled \
             dots meet both criteria (delivered ≥ 99% of offered, p95 transit within its \
             limit), open dots fail one.",
            names.join(", "),
            style::plural(first.points.len() as u64, "point"),
        );
        let title = if demand {
            "Capacity curves: delivered against offered block trains".to_string()
        } else {
            format!("Throughput against {}", first.param)
        };
        let top = style::header(area, theme, &title, &subtitle)?;

        let bands: Vec<Vec<(f64, f64, f64)>> = self
            .curves
            .iter()
            .map(|c| bands(c, |p| x(c, p), |p| p.delivered_trains_per_week))
            .collect();
        let capacity_xs: Vec<f64> = self
            .curves
            .iter()
            .filter_map(|c| c.practical_capacity.as_ref())
            .flat_map(capacity_extent)
            .collect();
        let xs = bands.iter().flatten().map(|b| b.0);
        let ys = bands.iter().flatten().flat_map(|b| [b.1, b.2]);
        let mut chart = if demand {
            let (x_axis, y_axis) = sweep::load_axes(xs.chain(ys).chain(capacity_xs));
            LineChart::new(x_axis, y_axis)
        } else {
            let (xl, xh) = extent(xs).unwrap_or((0.0, 1.0));
            let x_axis = Axis::numbers(sweep::x_ticks(first, xl, xh), sweep::x_title(first));
            let y_axis = Axis::numbers(
                sweep::throughput_ticks(ys, 6),
                "Delivered (block trains per week)",
            );
            let mut chart = LineChart::new(x_axis, y_axis);
            chart.x_margin = 0.03;
            chart
        };
        let (lo, hi) = (chart.y_axis.ticks.lo, chart.y_axis.ticks.hi);
        for (i, c) in self.curves.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            let Some(cap) = c.practical_capacity.as_ref().filter(|_| demand) else {
                continue;
            };
            for mut layer in capacity_layers(cap, (lo, hi), color) {
                if let Layer::Line { dash, width, .. } = &mut layer {
                    *dash = Dash::Dashed;
                    *width = 2.5;
                }
                chart.layers.push(layer);
            }
            if let Some(v) = Some(cap.point_estimate).filter(|v| v.is_finite()) {
                let n = style::number(v, 1);
                let short = match cap.bracket.name() {
                    "above_range" => format!("≥ {n}"),
                    "below_range" => format!("< {n}"),
                    _ => n,
                };
                chart.notes.push(Note::bold(short, vec![], color, (v, hi)));
            }
        }
        if demand {
            let diagonal = vec![(lo, lo), (hi, hi)];
            chart
                .layers
                .push(Layer::guide(diagonal, MUTED, Dash::Dashed));
        }
        for (i, band) in bands.into_iter().enumerate() {
            chart
                .layers
                .push(Layer::band(band, SERIES[i % SERIES.len()]));
        }
        for (i, c) in self.curves.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            let (line, meets, fails) = sweep::delivered_points(c, |p| x(c, p));
            chart.layers.push(Layer::line(line, color));
            chart.layers.push(Layer::markers(meets, Shape::Disc, color));
            chart.layers.push(Layer::markers(fails, Shape::Ring, color));
            let mut row = c.scenario.clone();
            if let Some(cap) = c.practical_capacity.as_ref().filter(|_| demand) {
                let (title, detail) = sweep::capacity_words(cap, c);
                let title = title.replacen("Practical capacity", "practical capacity", 1);
                row = if detail.is_empty() {
                    format!("{row}: {title}")
                } else {
                    format!("{row}: {title} ({detail})")
                };
            }
            chart.legend.push((Sample::banded(color), row));
        }
        if demand {
            let sample = Sample {
                band: Some(MUTED),
                ..Sample::line(MUTED, Dash::Dashed)
            };
            let text = "practical capacity (dashed) with its 95% interval";
            chart.legend.push((sample, text.into()));
            let at = lo + 0.8 * (hi - lo);
            chart
                .notes
                .push(Note::label("delivered = offered", MUTED, (at, at)));
        }
        chart.draw(area, theme, top)
    }
}
