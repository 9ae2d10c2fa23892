//! `transit_load`: transit time against the offered load (or the swept parameter):
//! the mean over replications with its 95% band, the pooled median and 95th
//! percentile, and the p95 limit of the criteria as a dashed line.

use plotters::prelude::*;

use super::chart::{Axis, Dash, Layer, LineChart, Note, Sample, Shape};
use super::results::experiment::{Curve, CurvePoint};
use super::style::{self, Area, Drawn, INK, SERIES, Theme};
use super::sweep::{self, bands, extent, x_of};

/// Colour of the mean.
const MEAN: RGBColor = SERIES[0];
/// Colour of the median.
const P50: RGBColor = SERIES[2];
/// Colour of the 95th percentile.
const P95: RGBColor = SERIES[3];

/// The transit-against-load chart's data.
#[derive(Debug)]
pub(super) struct TransitLoadChart {
    curve: Curve,
}

impl TransitLoadChart {
    /// The chart of `curve`.
    pub(super) fn new(curve: &Curve) -> TransitLoadChart {
        TransitLoadChart {
            curve: curve.clone(),
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let c = &self.curve;
        let subtitle = format!(
            "{} Transit time of delivered trains: mean of the replication means, and the \
             95th percentile (p95) of each replication averaged, each with its 95% \
             confidence band; median (p50) of all trains pooled.",
            sweep::lead(c)
        );
        let title = sweep::title(c, "Transit time");
        let top = style::header(area, theme, &title, &subtitle)?;

        // One transit figure of every point, against x.
        let series = |pick: &dyn Fn(&CurvePoint) -> Option<f64>| -> Vec<(f64, f64)> {
            c.points
                .iter()
                .filter_map(|p| Some((x_of(c, p), pick(p)?)))
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect()
        };
        let mean = series(&|p| Some(p.transit_days.mean));
        let p50 = series(&|p| p.transit_days.p50);
        // The p95 the criteria use: each replication's, averaged (with its band).
        let p95 = series(&|p| p.transit_p95_days.value());
        let p95_band = bands(c, |p| x_of(c, p), |p| p.transit_p95_days);
        let band = bands(c, |p| x_of(c, p), |p| p.transit_days.estimate());
        let limit = Some(c.p95_limit_days).filter(|v| v.is_finite() && *v > 0.0);
        let capacity = sweep::capacity_within(c);
        let highs = band.iter().chain(&p95_band).map(|b| b.2);
        let y_hi = extent(highs.chain(p95.iter().map(|p| p.1)).chain(limit)).map_or(1.0, |e| e.1);
        let mut chart = LineChart::new(
            sweep::x_axis(c, capacity),
            Axis::numbers(style::ticks(0.0, y_hi * 1.04, 6), "Transit time (days)"),
        );
        chart.x_margin = sweep::x_margin(c);
        if let Some(limit) = limit {
            let (lo, hi) = (chart.x_axis.ticks.lo, chart.x_axis.ticks.hi);
            let line = vec![(lo, limit), (hi, limit)];
            chart.layers.push(Layer::guide(line, INK, Dash::Dashed));
            let factor = Some(c.p95_limit_factor).map_or(String::new(), |f| {
                format!(" ({} × reference)", sweep::value(f))
            });
            let text = format!("p95 limit {} days{factor}", style::number(limit, 1));
            chart.notes.push(Note::label(text, INK, (hi, limit)));
        }
        if let Some(x) = capacity {
            sweep::mark_capacity(&mut chart, x);
        }
        chart.layers.push(Layer::band(band, MEAN));
        chart.layers.push(Layer::band(p95_band, P95));
        chart.layers.push(Layer::line(mean.clone(), MEAN));
        let series = [
            (mean, MEAN, Shape::Disc, "mean, with 95% confidence band"),
            (p50, P50, Shape::Square, "median (p50), pooled"),
            (
                p95,
                P95,
                Shape::Diamond,
                "95th percentile (p95) of a replication, mean with 95% band",
            ),
        ];
        for (points, color, _, _) in &series[1..] {
            chart.layers.push(Layer::Line {
                points: points.clone(),
                color: *color,
                width: 3.0,
                dash: Dash::Solid,
            });
        }
        for (points, color, shape, text) in series {
            chart.layers.push(Layer::Markers {
                points,
                shape,
                color,
                size: 5.5,
            });
            let sample = if color == P50 {
                Sample::line(color, Dash::Solid)
            } else {
                Sample::banded(color)
            };
            let marker = Some((shape, color));
            chart
                .legend
                .push((Sample { marker, ..sample }, text.into()));
        }
        chart.draw(area, theme, top)
    }
}
