//! `transit_load`: transit time against the offered load (or the swept parameter):
//! the mean over replications with its 95% band, the pooled median and 95th
//! percentile, and the p95 limit of the criteria as a dashed line.

use plotters::prelude::*;

use super::chart::Axis;
use super::chart::LineChart;
use super::chart::{Dash, Layer, Shape};
use super::chart::{Legend, Note, Sample};
use super::results::experiment::{Bracket, Curve, CurvePoint, Transit};
use super::style::{self, Area, Drawn, INK, SERIES, Theme};
use super::sweep::{self, CAPACITY, band_point, extent, x_of};

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
        let title = if c.is_demand() {
            "Transit time against offered load".to_string()
        } else {
            format!("Transit time against {}", c.param)
        };
        let subtitle = format!(
            "{} Transit time of delivered trains: mean of the replication means, and the \
             95th percentile (p95) of each replication averaged, each with its 95% \
             confidence band; median (p50) of all trains pooled.",
            sweep::lead(c)
        );
        let top = style::header(area, theme, &title, &subtitle)?;

        // One of the transit figures of every point, against x.
        let series = |pick: fn(&Transit) -> Option<f64>| -> Vec<(f64, f64)> {
            c.points
                .iter()
                .filter_map(|p| Some((x_of(c, p), pick(&p.transit_days)?)))
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect()
        };
        let mean = series(|t| Some(t.mean));
        let p50 = series(|t| t.p50);
        // The p95 the criteria use: each replication's, averaged (with its band).
        let p95_estimate = |p: &CurvePoint| p.transit_p95_days;
        let p95: Vec<(f64, f64)> = c
            .points
            .iter()
            .filter_map(|p| Some((x_of(c, p), p95_estimate(p).value()?)))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        let p95_band: Vec<(f64, f64, f64)> = c
            .points
            .iter()
            .filter_map(|p| band_point(x_of(c, p), &p95_estimate(p)))
            .filter(|b| b.0.is_finite())
            .collect();
        let band: Vec<(f64, f64, f64)> = c
            .points
            .iter()
            .filter_map(|p| band_point(x_of(c, p), &p.transit_days.estimate()))
            .filter(|b| b.0.is_finite())
            .collect();
        let limit = Some(c.p95_limit_days).filter(|v| v.is_finite() && *v > 0.0);
        let capacity = c
            .practical_capacity
            .as_ref()
            .filter(|cap| cap.bracket == Bracket::WithinRange)
            .map(|cap| cap.point_estimate)
            .filter(|v| v.is_finite());

        let (x_lo, x_hi) =
            extent(c.points.iter().map(|p| x_of(c, p)).chain(capacity)).unwrap_or((0.0, 1.0));
        let xt = sweep::x_ticks(c, x_lo, x_hi);
        let y_hi = extent(
            band.iter()
                .chain(&p95_band)
                .map(|b| b.2)
                .chain(p95.iter().map(|p| p.1))
                .chain(limit),
        )
        .map_or(1.0, |e| e.1);
        let yt = style::ticks(0.0, y_hi * 1.04, 6);
        let (lo, hi) = (xt.lo, xt.hi);
        let (xd, yd) = (xt.decimals, yt.decimals);
        let x_label = move |v: f64| style::number(v, xd);
        let y_label = move |v: f64| style::number(v, yd);
        let x_title = sweep::x_title(c);
        let y_top = yt.hi;
        let x_axis = Axis {
            ticks: xt,
            label: &x_label,
            title: &x_title,
        };
        let y_axis = Axis {
            ticks: yt,
            label: &y_label,
            title: "Transit time (days)",
        };

        let mut layers = Vec::new();
        let mut notes = Vec::new();
        let mut legend = Legend::default();
        if let Some(limit) = limit {
            layers.push(Layer::guide(
                vec![(lo, limit), (hi, limit)],
                INK,
                Dash::Dashed,
            ));
            let factor = Some(c.p95_limit_factor).map_or(String::new(), |f| {
                format!(" ({} × reference)", sweep::value(f))
            });
            notes.push(Note::label(
                format!("p95 limit {} days{factor}", style::number(limit, 1)),
                INK,
                (hi, limit),
            ));
        }
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
        layers.push(Layer::band(band, MEAN));
        layers.push(Layer::band(p95_band, P95));
        layers.push(Layer::line(mean.clone(), MEAN));
        layers.push(Layer::Line {
            points: p50.clone(),
            color: P50,
            width: 3.0,
            dash: Dash::Solid,
        });
        layers.push(Layer::Line {
            points: p95.clone(),
            color: P95,
            width: 3.0,
            dash: Dash::Solid,
        });
        for (points, color, shape) in [
            (mean, MEAN, Shape::Disc),
            (p50, P50, Shape::Square),
            (p95, P95, Shape::Diamond),
        ] {
            layers.push(Layer::Markers {
                points,
                shape,
                color,
                size: 5.5,
            });
        }
        legend.rows.push((
            Sample {
                marker: Some((Shape::Disc, MEAN)),
                ..Sample::banded(MEAN)
            },
            "mean, with 95% confidence band".into(),
        ));
        legend.rows.push((
            Sample {
                marker: Some((Shape::Square, P50)),
                ..Sample::line(P50, Dash::Solid)
            },
            "median (p50), pooled".into(),
        ));
        legend.rows.push((
            Sample {
                marker: Some((Shape::Diamond, P95)),
                ..Sample::banded(P95)
            },
            "95th percentile (p95) of a replication, mean with 95% band".into(),
        ));
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
