//! `timeseries.csv`: results over time, one tidy row per period, entity and measure.

use serde::{Deserialize, Serialize};

use crate::sim::Measure;
use crate::stats::number;

/// What a row of `timeseries.csv` is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A station (a node's terminal, yard, port or border post).
    Station,
    /// One direction of a rail leg.
    Rail,
    /// One direction of a road leg.
    Road,
    /// One direction of a ferry service.
    Ferry,
    /// A demand flow.
    Flow,
}

/// A row of `timeseries.csv`: one measure of one resource or flow in one period,
/// across replications.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimeseriesRow {
    /// Scenario name.
    pub scenario: String,
    /// First day of the period: a date (`YYYY-MM-DD`) with a start date, else the
    /// day number.
    pub period_start: String,
    /// The same as days since day 0.
    pub period_start_day: f64,
    /// Length of the period (days; the last may be cut short by the horizon).
    pub period_days: f64,
    /// True if the period begins before the warm-up ends.
    pub in_warmup: bool,
    /// Resource kind, or `flow`.
    pub entity_kind: EntityKind,
    /// Resource label (`FROM->TO` for a leg direction, the node id for a station) or
    /// flow id.
    pub entity: String,
    /// The figure (units in its name: `_days`, `_trains`, shares without unit).
    pub measure: Measure,
    /// Replications that define the figure in this period (a mean wait needs a train
    /// that started service; a cohort's transit needs a delivered train).
    pub replications: u64,
    /// Mean over those replications.
    #[serde(with = "number")]
    pub mean: f64,
    /// Lower end of the Student-t 95% interval of the mean (clamped at 0, as every
    /// figure is non-negative).
    #[serde(with = "number")]
    pub ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub ci95_high: f64,
    /// 10th percentile across replications (the band most replications fall in).
    #[serde(with = "number")]
    pub p10: f64,
    /// 90th percentile across replications.
    #[serde(with = "number")]
    pub p90: f64,
}
