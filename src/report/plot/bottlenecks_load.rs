//! `bottlenecks_load`: utilisation against the offered load (or the swept parameter)
//! of the resources that come closest to their capacity anywhere on the sweep, one
//! line each with its 95% band.

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::chart::{Axis, Layer, LineChart, Sample, Shape};
use super::results::experiment::Curve;
use super::style::{self, Area, Drawn, SERIES, Theme};
use super::sweep::{self, band_point, extent, x_of};

/// Resources shown at most.
const TOP: usize = 5;

/// The chart's data.
#[derive(Debug)]
pub(super) struct BottlenecksLoadChart {
    curve: Curve,
    /// The busiest resources, busiest first.
    lines: Vec<Line>,
    /// Resources used at some point.
    resources: usize,
}

#[derive(Debug)]
struct Line {
    name: String,
    /// Highest mean utilisation over the points.
    peak: f64,
    /// `(x, low, high)` of the 95% interval, and the mean, by point.
    band: Vec<(f64, f64, f64)>,
    mean: Vec<(f64, f64)>,
}

impl BottlenecksLoadChart {
    /// The busiest resources of `curve`.
    pub(super) fn new(curve: &Curve) -> BottlenecksLoadChart {
        // Resources keyed by id and direction (their order is set by the sort below).
        let mut lines: BTreeMap<(&str, Option<&str>, Option<&str>), Line> = BTreeMap::new();
        for p in &curve.points {
            let x = x_of(curve, p);
            for r in p.resources.iter().filter(|_| x.is_finite()) {
                let Some(u) = r.utilization.value() else {
                    continue;
                };
                let (from, to) = (r.from.as_deref(), r.to.as_deref());
                let line = lines.entry((&r.id, from, to)).or_insert_with(|| Line {
                    name: sweep::resource_name(&r.id, r.kind.name(), from, to),
                    peak: f64::NEG_INFINITY,
                    band: Vec::new(),
                    mean: Vec::new(),
                });
                line.peak = line.peak.max(u);
                line.mean.push((x, u));
                line.band.extend(band_point(x, &r.utilization));
            }
        }
        // Resources without a capacity limit have no utilisation to speak of.
        let resources = lines.values().filter(|l| l.peak > 0.0).count();
        let mut lines: Vec<Line> = lines.into_values().collect();
        lines.sort_by(|a, b| b.peak.total_cmp(&a.peak).then_with(|| a.name.cmp(&b.name)));
        lines.truncate(TOP);
        BottlenecksLoadChart {
            curve: curve.clone(),
            lines,
            resources,
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let c = &self.curve;
        let subtitle = format!(
            "{} Utilisation (share of capacity in use) of the {} of {} resources that come \
             closest to their capacity anywhere on the sweep: mean with its 95% confidence \
             band.",
            sweep::lead(c),
            self.lines.len(),
            self.resources,
        );
        let title = sweep::title(c, "Busiest resources");
        let top = style::header(area, theme, &title, &subtitle)?;
        let capacity = sweep::capacity_within(c);
        let y_hi = extent(self.lines.iter().flat_map(|l| l.band.iter().map(|b| b.2)))
            .map_or(1.0, |e| e.1.max(1.0));
        let mut chart = LineChart::new(
            sweep::x_axis(c, capacity),
            Axis::percent(style::ticks(0.0, y_hi, 5), "Utilisation (% of capacity)"),
        );
        chart.x_margin = sweep::x_margin(c);
        if let Some(x) = capacity {
            sweep::mark_capacity(&mut chart, x);
        }
        for (i, line) in self.lines.iter().enumerate() {
            let band = Layer::band(line.band.clone(), SERIES[i % SERIES.len()]);
            chart.layers.push(band);
        }
        for (i, line) in self.lines.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            chart.layers.push(Layer::line(line.mean.clone(), color));
            chart.layers.push(Layer::Markers {
                points: line.mean.clone(),
                shape: Shape::Disc,
                color,
                size: 5.0,
            });
            let peak = style::number(line.peak * 100.0, 0);
            let text = format!("{}, up to {peak}%", line.name);
            chart.legend.push((Sample::banded(color), text));
        }
        chart.draw(area, theme, top)
    }
}
