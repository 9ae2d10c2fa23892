//! `capacity`: the capacity curve of a sweep (`curve.json`).
//!
//! For a demand sweep: delivered against offered block trains per week, the mean
//! with its 95% band, the line where delivered equals offered, every point marked by
//! whether it meets the criteria, the practical capacity (a vertical line at its
//! point estimate over its 95% interval) and the bottleneck named at the knee. For a
//! sweep of another parameter: offered and delivered trains per week against the
//! parameter, with the first value meeting the criteria marked.

use plotters::prelude::*;

use super::chart::Axis;
use super::chart::LineChart;
use super::chart::{Dash, Layer, Shape};
use super::chart::{Legend, Note, Sample};
use super::results::experiment::{Bracket, Curve};
use super::style::{self, Area, Drawn, MUTED, SERIES, Theme};
use super::sweep::{
    self, CAPACITY, FAILS, MEETS, band_point, capacity_extent, capacity_layers, capacity_words,
    extent, x_of,
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
        let top = style::header(
            area,
            theme,
            "Capacity curve: delivered against offered block trains",
            &subtitle,
        )?;
        let band: Vec<(f64, f64, f64)> = c
            .points
            .iter()
            .filter_map(|p| band_point(x_of(c, p), &p.delivered_trains_per_week))
            .filter(|b| b.0.is_finite())
            .collect();
        let capacity = c.practical_capacity.as_ref();
        let (lo, hi) = extent(
            band.iter()
                .flat_map(|b| [b.0, b.1, b.2])
                .chain(capacity.map(capacity_extent).unwrap_or_default()),
        )
        .unwrap_or((0.0, 1.0));
        let t = style::ticks(lo, hi, 8);
        let (lo, hi) = (t.lo, t.hi);
        let decimals = t.decimals;
        let label = move |v: f64| style::number(v, decimals);
        let x_axis = Axis {
            ticks: t.clone(),
            label: &label,
            title: "Offered load (block trains per week)",
        };
        let y_axis = Axis {
            ticks: t,
            label: &label,
            title: "Delivered (block trains per week)",
        };

        let mut layers = Vec::new();
        if let Some(cap) = capacity {
            layers.extend(capacity_layers(cap, (lo, hi), CAPACITY));
        }
        layers.push(Layer::guide(vec![(lo, lo), (hi, hi)], MUTED, Dash::Dashed));
        layers.extend(self.delivered_layers(&band));
        let mut notes = Vec::new();
        let mut legend = Legend::default();
        legend.rows.push((
            Sample::banded(DELIVERED),
            "delivered, mean with 95% confidence band".into(),
        ));
        self.point_legend(&mut legend);
        if let Some(cap) = capacity {
            let (title, detail) = capacity_words(cap, c);
            if let Some(x) = Some(cap.point_estimate).filter(|v| v.is_finite()) {
                notes.push(Note {
                    title,
                    lines: vec![detail].into_iter().filter(|d| !d.is_empty()).collect(),
                    color: CAPACITY,
                    anchor: (x, hi),
                    bold: true,
                    leader: false,
                });
            }
            let within = cap.bracket == Bracket::WithinRange;
            let dash = if within { Dash::Solid } else { Dash::Dashed };
            let mut sample = Sample::line(CAPACITY, dash);
            if within && cap.offered_trains_per_week.interval().is_some() {
                sample.band = Some(CAPACITY);
                legend
                    .rows
                    .push((sample, "practical capacity with its 95% interval".into()));
            } else {
                legend.rows.push((sample, "practical capacity".into()));
            }
        }
        if let Some(note) = self.knee_note() {
            notes.push(note);
        }
        let at = lo + 0.8 * (hi - lo);
        notes.push(Note::label("delivered = offered", MUTED, (at, at)));
        let chart = LineChart {
            x_axis,
            y_axis,
            layers,
            notes,
            legend,
            x_margin: 0.0,
        };
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
        let delivered: Vec<(f64, f64, f64)> = c
            .points
            .iter()
            .filter_map(|p| band_point(p.value, &p.delivered_trains_per_week))
            .collect();
        let offered: Vec<(f64, f64, f64)> = c
            .points
            .iter()
            .filter_map(|p| band_point(p.value, &p.offered_trains_per_week))
            .collect();
        let (x_lo, x_hi) = extent(c.points.iter().map(|p| p.value)).unwrap_or((0.0, 1.0));
        let xt = sweep::x_ticks(c, x_lo, x_hi);
        let (y_lo, y_hi) =
            extent(delivered.iter().chain(&offered).flat_map(|b| [b.1, b.2])).unwrap_or((0.0, 1.0));
        let yt = style::ticks(y_lo, y_hi, 6);
        let (lo, hi) = (yt.lo, yt.hi);
        let (xd, yd) = (xt.decimals, yt.decimals);
        let x_label = move |v: f64| style::number(v, xd);
        let y_label = move |v: f64| style::number(v, yd);
        let x_title = sweep::x_title(c);
        let x_axis = Axis {
            ticks: xt,
            label: &x_label,
            title: &x_title,
        };
        let y_axis = Axis {
            ticks: yt,
            label: &y_label,
            title: "Block trains per week",
        };
        let mut layers = Vec::new();
        let mut notes = Vec::new();
        let mut legend = Legend::default();
        if let Some(first) = c.first_value_meeting_criteria.filter(|v| v.is_finite()) {
            layers.push(Layer::guide(
                vec![(first, lo), (first, hi)],
                MEETS,
                Dash::Dashed,
            ));
            notes.push(Note {
                title: format!(
                    "Criteria first met at {} = {}",
                    c.param,
                    sweep::value(first)
                ),
                lines: Vec::new(),
                color: MEETS,
                anchor: (first, hi),
                bold: true,
                leader: false,
            });
        }
        // Offered is drawn over delivered, whose line it hides where they agree.
        layers.push(Layer::band(offered.clone(), OFFERED));
        let mut own = self.delivered_layers(&delivered);
        // Band and line below the offered line, point markers above it.
        let markers = own.split_off(2);
        layers.extend(own);
        layers.push(Layer::Line {
            points: c
                .points
                .iter()
                .filter_map(|p| Some((p.value, p.offered_trains_per_week.value()?)))
                .collect(),
            color: OFFERED,
            width: 3.0,
            dash: Dash::Dashed,
        });
        layers.extend(markers);
        legend.rows.push((
            Sample {
                band: Some(OFFERED),
                line: Some((OFFERED, Dash::Dashed)),
                marker: None,
            },
            "offered, mean with 95% confidence band".into(),
        ));
        legend.rows.push((
            Sample::banded(DELIVERED),
            "delivered, mean with 95% confidence band".into(),
        ));
        self.point_legend(&mut legend);
        if let Some(note) = self.knee_note() {
            notes.push(note);
        }
        let chart = LineChart {
            x_axis,
            y_axis,
            layers,
            notes,
            legend,
            x_margin: 0.03,
        };
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
    fn point_legend(&self, legend: &mut Legend) {
        let pts = &self.curve.points;
        if pts.iter().any(|p| p.meets_criteria) {
            legend.rows.push((
                Sample::marker(Shape::Disc, MEETS),
                "point meets both criteria".into(),
            ));
        }
        if pts.iter().any(|p| !p.meets_criteria) {
            legend.rows.push((
                Sample::marker(Shape::Ring, FAILS),
                "point fails a criterion".into(),
            ));
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
