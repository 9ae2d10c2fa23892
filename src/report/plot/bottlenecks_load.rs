//! `bottlenecks_load`: utilisation against the offered load (or the swept parameter)
//! of the resources that come closest to their capacity anywhere on the sweep, one
//! line each with its 95% band.

use plotters::prelude::*;

use super::chart::Axis;
use super::chart::LineChart;
use super::chart::{Dash, Layer, Shape};
use super::chart::{Legend, Note, Sample};
use super::results::experiment::{Bracket, Curve};
use super::style::{self, Area, Drawn, SERIES, Theme};
use super::sweep::{self, CAPACITY, band_point, extent, x_of};

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
        // Resources in order of first appearance, keyed by id and direction.
        let mut lines: Vec<(String, Line)> = Vec::new();
        for p in &curve.points {
            let x = x_of(curve, p);
            if !x.is_finite() {
                continue;
            }
            for r in &p.resources {
                let key = format!(
                    "{}\u{1}{}\u{1}{}",
                    r.id,
                    r.from.as_deref().unwrap_or(""),
                    r.to.as_deref().unwrap_or("")
                );
                let Some(u) = r.utilization.value() else {
                    continue;
                };
                let i = match lines.iter().position(|(k, _)| *k == key) {
                    Some(i) => i,
                    None => {
                        let name = sweep::resource_name(
                            &r.id,
                            r.kind.name(),
                            r.from.as_deref(),
                            r.to.as_deref(),
                        );
                        lines.push((
                            key,
                            Line {
                                name,
                                peak: f64::NEG_INFINITY,
                                band: Vec::new(),
                                mean: Vec::new(),
                            },
                        ));
                        lines.len() - 1
                    }
                };
                let line = &mut lines[i].1;
                line.peak = line.peak.max(u);
                line.mean.push((x, u));
                if let Some(b) = band_point(x, &r.utilization) {
                    line.band.push(b);
                }
            }
        }
        // Resources without a capacity limit have no utilisation to speak of.
        let resources = lines.iter().filter(|(_, l)| l.peak > 0.0).count();
        let mut lines: Vec<Line> = lines.into_iter().map(|(_, l)| l).collect();
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
        let title = if c.is_demand() {
            "Busiest resources against offered load".to_string()
        } else {
            format!("Busiest resources against {}", c.param)
        };
        let subtitle = format!(
            "{} Utilisation (share of capacity in use) of the {} of {} resources that come \
             closest to their capacity anywhere on the sweep: mean with its 95% confidence \
             band.",
            sweep::lead(c),
            self.lines.len(),
            self.resources,
        );
        let top = style::header(area, theme, &title, &subtitle)?;
        let capacity = c
            .practical_capacity
            .as_ref()
            .filter(|cap| cap.bracket == Bracket::WithinRange)
            .map(|cap| cap.point_estimate)
            .filter(|v| v.is_finite());
        let (x_lo, x_hi) =
            extent(c.points.iter().map(|p| x_of(c, p)).chain(capacity)).unwrap_or((0.0, 1.0));
        let xt = sweep::x_ticks(c, x_lo, x_hi);
        let y_hi = extent(self.lines.iter().flat_map(|l| l.band.iter().map(|b| b.2)))
            .map_or(1.0, |e| e.1.max(1.0));
        let yt = style::ticks(0.0, y_hi, 5);
        let y_top = yt.hi;
        let xd = xt.decimals;
        let x_label = move |v: f64| style::number(v, xd);
        let yd = yt.decimals.saturating_sub(2);
        let y_label = move |v: f64| format!("{}%", style::number(v * 100.0, yd));
        let x_title = sweep::x_title(c);
        let x_axis = Axis {
            ticks: xt,
            label: &x_label,
            title: &x_title,
        };
        let y_axis = Axis {
            ticks: yt,
            label: &y_label,
            title: "Utilisation (% of capacity)",
        };
        let mut layers = Vec::new();
        let mut notes = Vec::new();
        let mut legend = Legend::default();
        if let Some(x) = capacity {
            layers.push(Layer::guide(
                vec![(x, 0.0), (x, y_top)],
                CAPACITY,
                Dash::Dotted,
            ));
            notes.push(Note::label(
                format!("practical capacity {}", style::number(x, 1)),
                CAPACITY,
                (x, y_top),
            ));
        }
        for (i, line) in self.lines.iter().enumerate() {
            layers.push(Layer::band(line.band.clone(), SERIES[i % SERIES.len()]));
        }
        for (i, line) in self.lines.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            layers.push(Layer::line(line.mean.clone(), color));
            layers.push(Layer::Markers {
                points: line.mean.clone(),
                shape: Shape::Disc,
                color,
                size: 5.0,
            });
            legend.rows.push((
                Sample::banded(color),
                format!(
                    "{}, up to {}%",
                    line.name,
                    style::number(line.peak * 100.0, 0)
                ),
            ));
        }
        let chart = LineChart {
            x_axis,
            y_axis,
            layers,
            notes,
            legend,
            x_margin: if c.is_demand() { 0.0 } else { 0.03 },
        };
        chart.draw(area, theme, top)
    }
}
