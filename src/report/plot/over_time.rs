//! Charts of `timeseries.csv`: the backlog at the busiest resources, transit time by
//! departure period, and deliveries against offered trains, each period's mean over
//! replications with the band that holds the middle 80% of replications (10th to
//! 90th percentile).

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::chart::{Axis, Dash, Layer, LineChart, Sample};
use super::style::{self, Area, Drawn, SERIES, Theme, Ticks};
use crate::schema::{EntityKind, TimeseriesRow};
use crate::sim::Measure;

/// Most series on one chart.
const MAX_SERIES: usize = 4;

/// Which chart of the time series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Trains waiting (time average) at the busiest resources.
    Backlog,
    /// Transit of the trains that left in each period, per flow.
    Transit,
    /// Trains delivered per week against trains offered per week, per flow.
    Deliveries,
}

/// One of the time-series charts.
#[derive(Debug)]
pub(super) struct OverTimeChart {
    kind: Kind,
    scenario: String,
    replications: u64,
    /// Period starts and their labels, in order.
    periods: Vec<(f64, String)>,
    /// The horizon (end of the last period).
    end: f64,
    /// Series: label, points `(x, mean, p10, p90)`; and for deliveries the offered line.
    series: Vec<Series>,
}

/// A series: its label, its points `(x, mean, p10, p90)`, and a dashed companion line.
type Series = (String, Vec<(f64, f64, f64, f64)>, Vec<(f64, f64)>);

/// One entity's rows of one measure, keyed by period start.
type Rows<'a> = BTreeMap<String, Vec<&'a TimeseriesRow>>;

fn by_entity<'a>(rows: &'a [TimeseriesRow], pick: impl Fn(&TimeseriesRow) -> bool) -> Rows<'a> {
    let mut out: Rows<'a> = BTreeMap::new();
    for r in rows.iter().filter(|r| pick(r)) {
        out.entry(r.entity.clone()).or_default().push(r);
    }
    out
}

/// The charts a time series supports (none if it is empty).
pub(super) fn charts(rows: &[TimeseriesRow]) -> Vec<OverTimeChart> {
    if rows.is_empty() {
        return Vec::new();
    }
    [Kind::Backlog, Kind::Transit, Kind::Deliveries]
        .into_iter()
        .filter_map(|k| OverTimeChart::new(k, rows))
        .collect()
}

impl OverTimeChart {
    fn new(kind: Kind, rows: &[TimeseriesRow]) -> Option<OverTimeChart> {
        let mut periods: Vec<(f64, String)> = Vec::new();
        let mut end: f64 = 0.0;
        for r in rows {
            if periods.last().is_none_or(|(d, _)| *d < r.period_start_day) {
                periods.push((r.period_start_day, r.period_start.clone()));
            }
            end = end.max(r.period_start_day + r.period_days);
        }
        let mid = |r: &TimeseriesRow| r.period_start_day + r.period_days / 2.0;
        let point =
            |r: &TimeseriesRow, scale: f64| (mid(r), r.mean * scale, r.p10 * scale, r.p90 * scale);
        let peak = |rs: &[&TimeseriesRow]| {
            rs.iter()
                .map(|r| r.mean)
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max)
        };
        let mut series = Vec::new();
        match kind {
            Kind::Backlog => {
                let all = by_entity(rows, |r| {
                    r.measure == Measure::QueueTrains && r.entity_kind != EntityKind::Flow
                });
                let mut ranked: Vec<_> = all.into_iter().filter(|(_, rs)| peak(rs) > 0.0).collect();
                ranked.sort_by(|a, b| peak(&b.1).total_cmp(&peak(&a.1)));
                for (name, rs) in ranked.into_iter().take(MAX_SERIES) {
                    series.push((name, rs.iter().map(|r| point(r, 1.0)).collect(), Vec::new()));
                }
            }
            Kind::Transit | Kind::Deliveries => {
                let offered = by_entity(rows, |r| r.measure == Measure::Offered);
                // Flows whose demand changes the most over time first, then the largest.
                let rank = |rs: &[&TimeseriesRow]| {
                    let v: Vec<f64> = rs
                        .iter()
                        .map(|r| r.mean / r.period_days)
                        .filter(|v| v.is_finite())
                        .collect();
                    let (lo, hi) = v
                        .iter()
                        .fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(*x), b.max(*x)));
                    let swing = if hi > 0.0 {
                        ((hi - lo) / hi * 10.0).round()
                    } else {
                        0.0
                    };
                    (swing, v.iter().sum::<f64>())
                };
                let mut ranked: Vec<_> = offered
                    .iter()
                    .map(|(k, rs)| (k.clone(), rank(rs)))
                    .collect();
                ranked.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(b.1.1.total_cmp(&a.1.1)));
                let most = if kind == Kind::Deliveries {
                    3
                } else {
                    MAX_SERIES
                };
                let measure = if kind == Kind::Transit {
                    Measure::TransitMeanDays
                } else {
                    Measure::Delivered
                };
                let values = by_entity(rows, |r| r.measure == measure);
                for (name, _) in ranked.into_iter().take(most) {
                    let Some(rs) = values.get(&name) else {
                        continue;
                    };
                    let weekly = |r: &TimeseriesRow| {
                        if kind == Kind::Deliveries {
                            7.0 / r.period_days
                        } else {
                            1.0
                        }
                    };
                    let points: Vec<_> = rs
                        .iter()
                        .filter(|r| r.mean.is_finite())
                        .map(|r| point(r, weekly(r)))
                        .collect();
                    let line = if kind == Kind::Deliveries {
                        offered[&name]
                            .iter()
                            .filter(|r| r.mean.is_finite())
                            .map(|r| (mid(r), r.mean * weekly(r)))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    series.push((name, points, line));
                }
            }
        }
        if series.iter().all(|s| s.1.is_empty()) {
            return None;
        }
        Some(OverTimeChart {
            kind,
            scenario: rows[0].scenario.clone(),
            replications: rows.iter().map(|r| r.replications).max().unwrap_or(0),
            periods,
            end,
            series,
        })
    }

    /// The file name of the chart.
    pub(super) fn name(&self) -> &'static str {
        match self.kind {
            Kind::Backlog => "backlog",
            Kind::Transit => "transit_by_departure",
            Kind::Deliveries => "deliveries",
        }
    }

    /// The x axis: period starts, labelled by their dates (months as `Jan 2024`) or
    /// day numbers, thinned to at most 13 labels.
    fn x_axis(&self) -> Axis {
        let step = self.periods.len().div_ceil(13).max(1);
        let marks: Vec<(f64, String)> = self
            .periods
            .iter()
            .step_by(step)
            .map(|(d, label)| (*d, short_date(label)))
            .collect();
        let values: Vec<f64> = marks.iter().map(|m| m.0).collect();
        let ticks = Ticks {
            lo: self.periods.first().map_or(0.0, |p| p.0),
            hi: self.end,
            values,
            decimals: 0,
        };
        let dated = self.periods.iter().any(|p| p.1.contains('-'));
        let title = if dated { "Period" } else { "Day" };
        Axis::new(ticks, title, move |v| {
            marks
                .iter()
                .find(|m| (m.0 - v).abs() < 1e-9)
                .map_or_else(String::new, |m| m.1.clone())
        })
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let (title, y_title, what) = match self.kind {
            Kind::Backlog => (
                "Backlog over time",
                "Trains waiting (time average)",
                "Trains waiting at the resources with the largest backlogs",
            ),
            Kind::Transit => (
                "Transit time by departure",
                "Transit time (days)",
                "Mean transit of the trains that left in each period (the cohort figure); trains still under way at the end are not in it",
            ),
            Kind::Deliveries => (
                "Deliveries against demand",
                "Trains per week",
                "Trains delivered per week (solid, with band) against trains offered per week (dashed)",
            ),
        };
        let subtitle = format!(
            "{what}; mean over {} replications per period, band from the 10th to the 90th percentile of the replications.",
            self.replications
        );
        let top = style::header(
            area,
            theme,
            &format!("{title} — {}", self.scenario),
            &subtitle,
        )?;
        let y_hi = self
            .series
            .iter()
            .flat_map(|s| {
                s.1.iter()
                    .map(|p| p.3.max(p.1))
                    .chain(s.2.iter().map(|p| p.1))
            })
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let mut chart = LineChart::new(
            self.x_axis(),
            Axis::numbers(style::ticks(0.0, (y_hi * 1.05).max(1e-6), 6), y_title),
        );
        for (i, (name, points, offered)) in self.series.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            let band = points.iter().map(|p| (p.0, p.2, p.3)).collect();
            chart.layers.push(Layer::band(band, color));
            chart.layers.push(Layer::line(
                points.iter().map(|p| (p.0, p.1)).collect(),
                color,
            ));
            chart.legend.push((Sample::banded(color), name.clone()));
            if !offered.is_empty() {
                chart
                    .layers
                    .push(Layer::guide(offered.clone(), color, Dash::Dashed));
            }
        }
        if self.kind == Kind::Deliveries {
            chart
                .legend
                .push((Sample::line(style::MUTED, Dash::Dashed), "offered".into()));
        }
        chart.draw(area, theme, top)
    }
}

/// `2024-03-01` as `Mar 2024` for January, `Mar` otherwise; a day number as itself.
fn short_date(label: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = label.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => {
            let Ok(mi) = m.parse::<usize>() else {
                return label.to_string();
            };
            let name = MONTHS.get(mi.wrapping_sub(1)).copied().unwrap_or("?");
            match (*d, mi) {
                ("01", 1) => format!("{name} {y}"),
                ("01", _) => name.to_string(),
                _ => format!("{d} {name}"),
            }
        }
        _ => label.trim_end_matches(".0").to_string(),
    }
}
