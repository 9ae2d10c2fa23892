//! `transit`: the distribution of transit times of each flow, as empirical
//! cumulative distribution curves from the pooled histograms of `transit.csv`, with
//! each flow's p50 and p95 marked.

use plotters::prelude::*;

use super::chart::{Axis, Dash, Layer, LineChart, Note, Sample, Shape};
use super::results::{Summary, TransitRow};
use super::style::{self, Area, Drawn, MUTED, SERIES, Theme};

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
        let mut chart = LineChart::new(
            Axis::numbers(style::ticks(0.0, x_max, 8), "Transit time (days)"),
            Axis::percent(style::ticks(0.0, 1.0, 5), "Trains delivered within x (%)"),
        );
        let (lo, hi) = (chart.x_axis.ticks.lo, chart.x_axis.ticks.hi);
        let guide = RGBColor(170, 170, 170);
        chart.layers = vec![
            Layer::guide(vec![(lo, 0.5), (hi, 0.5)], guide, Dash::Dashed),
            Layer::guide(vec![(lo, 0.95), (hi, 0.95)], guide, Dash::Dashed),
        ];
        chart.layers.extend(
            self.curves
                .iter()
                .map(|c| Layer::line(c.points.clone(), c.color)),
        );
        for c in &self.curves {
            let at = |p: Option<f64>, q: f64| p.map(|p| vec![(p, q)]).unwrap_or_default();
            chart
                .layers
                .push(Layer::markers(at(c.p50, 0.5), Shape::Disc, c.color));
            chart
                .layers
                .push(Layer::markers(at(c.p95, 0.95), Shape::Triangle, c.color));
        }
        let q = |v: Option<f64>| v.map_or("-".to_string(), |v| style::number(v, 1));
        for c in &self.curves {
            let text = format!(
                "{}: p50 {} d, p95 {} d, {}",
                c.flow,
                q(c.p50),
                q(c.p95),
                style::plural(c.trains, "train")
            );
            chart
                .legend
                .push((Sample::line(c.color, Dash::Solid), text));
        }
        chart.notes = [(0.5, "p50"), (0.95, "p95")]
            .map(|(y, label)| Note::label(label, MUTED, (hi, y)))
            .into();
        chart.draw(area, theme, top)
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
