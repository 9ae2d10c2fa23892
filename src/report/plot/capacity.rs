//! `capacity`: the capacity curve of a sweep (`curve.json`).
//!
//! For a demand sweep: delivered against offered block trains per week, the mean
//! with its 95% band, the line where delivered equals offered, every point marked by
//! whether it meets the criteria, the practical capacity (a vertical line at its
//! point estimate over its 95% interval) and the bottleneck named at the knee. For a
//! sweep of another parameter: offered and delivered trains per week against the
//! parameter, with the first value meeting the criteria marked.

use plotters::prelude::*;

use super::chart::{Axis, Dash, Layer, LineChart, Note, Sample, Shape};
use super::results::experiment::{Bracket, Curve};
use super::style::{self, Area, Drawn, MUTED, SERIES, Theme};
use super::sweep::{
    self, CAPACITY, FAILS, MEETS, bands, capacity_extent, capacity_layers, capacity_words, x_of,
};

/// Colour of delivered trains.
const DELIVERED: RGBColor = SERIES[0];
/// Colour of offered trains.
const OFFERED: RGBColor = SERIES[1];

/// The capacity chart's data.
#[derive(Debug)]
pub(super) struct CapacityChart {
    curve: Curve,
}

impl CapacityChart {
    /// The chart of `curve`.
    pub(super) fn new(curve: &Curve) -> CapacityChart {
        CapacityChart {
            curve: curve.clone(),
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        if self.curve.is_demand() {
            self.draw_demand(area, theme)
        } else {
            self.draw_param(area, theme)
        }
    }

    fn draw_demand<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let c = &self.curve;
        let subtitle = format!(
            "{} Delivered block trains per week: mean with its 95% confidence band. {}",
            sweep::lead(c),
            sweep::criteria_words(c)
        );
        let title = "Capacity curve: delivered against offered block trains";
        let top = style::header(area, theme, title, &subtitle)?;
        let band = bands(c, |p| x_of(c, p), |p| p.delivered_trains_per_week);
        let capacity = c.practical_capacity.as_ref();
        let values = band.iter().flat_map(|b| [b.0, b.1, b.2]);
        let (x_axis, y_axis) =
            sweep::load_axes(values.chain(capacity.map(capacity_extent).unwrap_or_default()));
        let (lo, hi) = (y_axis.ticks.lo, y_axis.ticks.hi);
        let mut chart = LineChart::new(x_axis, y_axis);
        if let Some(cap) = capacity {
            chart
                .layers
                .extend(capacity_layers(cap, (lo, hi), CAPACITY));
        }
        let diagonal = vec![(lo, lo), (hi, hi)];
        chart
            .layers
            .push(Layer::guide(diagonal, MUTED, Dash::Dashed));
        chart.layers.extend(self.delivered_layers(&band));
        let text = "delivered, mean with 95% confidence band";
        chart.legend.push((Sample::banded(DELIVERED), text.into()));
        self.point_legend(&mut chart);
        if let Some(cap) = capacity {
            let (title, detail) = capacity_words(cap, c);
            if let Some(x) = Some(cap.point_estimate).filter(|v| v.is_finite()) {
                let lines = vec![detail].into_iter().filter(|d| !d.is_empty());
                chart
                    .notes
                    .push(Note::bold(title, lines.collect(), CAPACITY, (x, hi)));
            }
            let within = cap.bracket == Bracket::WithinRange;
            let dash = if within { Dash::Solid } else { Dash::Dashed };
            let mut sample = Sample::line(CAPACITY, dash);
            let mut text = "practical capacity";
            if within && cap.offered_trains_per_week.interval().is_some() {
                sample.band = Some(CAPACITY);
                text = "practical capacity with its 95% interval";
            }
            chart.legend.push((sample, text.into()));
        }
        chart.notes.extend(self.knee_note());
        let at = lo + 0.8 * (hi - lo);
        chart
            .notes
            .push(Note::label("delivered = offered", MUTED, (at, at)));
        chart.draw(area, theme, top)
    }

    fn draw_param<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let c = &self.curve;
        let subtitle = format!(
            "{} Offered and delivered block trains per week: means with their 95% \
             confidence bands. {}",
            sweep::lead(c),
            sweep::criteria_words(c)
        );
        let title = format!("Throughput against {}", c.param);
        let top = style::header(area, theme, &title, &subtitle)?;
        let delivered = bands(c, |p| p.value, |p| p.delivered_trains_per_week);
        let offered = bands(c, |p| p.value, |p| p.offered_trains_per_week);
        let yt =
            sweep::throughput_ticks(delivered.iter().chain(&offered).flat_map(|b| [b.1, b.2]), 6);
        let (lo, hi) = (yt.lo, yt.hi);
        let mut chart = LineChart::new(
            sweep::x_axis(c, []),
            Axis::numbers(yt, "Block trains per week"),
        );
        chart.x_margin = sweep::x_margin(c);
        if let Some(first) = c.first_value_meeting_criteria.filter(|v| v.is_finite()) {
            let line = vec![(first, lo), (first, hi)];
            chart.layers.push(Layer::guide(line, MEETS, Dash::Dashed));
            let text = format!(
                "Criteria first met at {} = {}",
                c.param,
                sweep::value(first)
            );
            chart
                .notes
                .push(Note::bold(text, vec![], MEETS, (first, hi)));
        }
        // Offered is drawn over delivered, whose line it hides where they agree.
        chart.layers.push(Layer::band(offered, OFFERED));
        let mut own = self.delivered_layers(&delivered);
        // Band and line below the offered line, point markers above it.
        let markers = own.split_off(2);
        chart.layers.extend(own);
        chart.layers.push(Layer::Line {
            points: c
                .points
                .iter()
                .filter_map(|p| Some((p.value, p.offered_trains_per_week.value()?)))
                .collect(),
            color: OFFERED,
            width: 3.0,
            dash: Dash::Dashed,
        });
        chart.layers.extend(markers);
        let offered_sample = Sample {
            band: Some(OFFERED),
            ..Sample::line(OFFERED, Dash::Dashed)
        };
        let text = "offered, mean with 95% confidence band";
        chart.legend.push((offered_sample, text.into()));
        let text = "delivered, mean with 95% confidence band";
        chart.legend.push((Sample::banded(DELIVERED), text.into()));
        self.point_legend(&mut chart);
        chart.notes.extend(self.knee_note());
        chart.draw(area, theme, top)
    }

    /// The delivered band (`(x, low, high)`) and line, then the points marked by the
    /// criteria.
    fn delivered_layers(&self, band: &[(f64, f64, f64)]) -> Vec<Layer> {
        let c = &self.curve;
        let (line, meets, fails) = sweep::delivered_points(c, |p| x_of(c, p));
        vec![
            Layer::band(band.to_vec(), DELIVERED),
            Layer::line(line, DELIVERED),
            Layer::markers(meets, Shape::Disc, MEETS),
            Layer::markers(fails, Shape::Ring, FAILS),
        ]
    }

    /// Legend rows of the point markers (only kinds present).
    fn point_legend(&self, chart: &mut LineChart) {
        let kinds = [
            (true, Shape::Disc, MEETS, "point meets both criteria"),
            (false, Shape::Ring, FAILS, "point fails a criterion"),
        ];
        for (meets, shape, color, text) in kinds {
            if self.curve.points.iter().any(|p| p.meets_criteria == meets) {
                chart
                    .legend
                    .push((Sample::marker(shape, color), text.into()));
            }
        }
    }

    /// The bottleneck note at the knee of the delivered curve.
    fn knee_note(&self) -> Option<Note> {
        let c = &self.curve;
        let p = &c.points[sweep::knee(c)?];
        let anchor = (x_of(c, p), p.delivered_trains_per_week.value()?);
        sweep::bottleneck_note(c, anchor)
    }
}
