//! Results over time: what one replication records per period, and the layout of
//! its columns.

use super::model::{Model, ResourceKind};

/// A figure recorded per period (written in `timeseries.csv` by its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Measure {
    /// Time-average number of trains waiting.
    #[serde(rename = "queue_trains")]
    QueueTrains,
    /// Time-average number of wagons waiting.
    #[serde(rename = "queue_wagons")]
    QueueWagons,
    /// Trains waiting at the period's end.
    #[serde(rename = "waiting_at_end_trains")]
    WaitingAtEnd,
    /// Share of capacity used in the period, in [0, 1].
    #[serde(rename = "utilization")]
    Utilization,
    /// Mean wait of the trains that started service in the period (days).
    #[serde(rename = "wait_mean_days")]
    WaitMeanDays,
    /// Ferry sailings that left in the period.
    #[serde(rename = "sailings")]
    Sailings,
    /// Wagons carried by those sailings.
    #[serde(rename = "wagons_carried")]
    WagonsCarried,
    /// TEU carried by those sailings.
    #[serde(rename = "teu_carried")]
    TeuCarried,
    /// Wagons carried over the room on the sailings made, in [0, 1].
    #[serde(rename = "load_factor")]
    LoadFactor,
    /// Trains of the flow that arrived (were offered) in the period.
    #[serde(rename = "offered_trains")]
    Offered,
    /// Trains of the flow that left their origin in the period.
    #[serde(rename = "dispatched_trains")]
    Dispatched,
    /// Trains of the flow that reached their destination in the period (any cohort).
    #[serde(rename = "delivered_trains")]
    Delivered,
    /// Trains of the flow in the corridor at the period's end.
    #[serde(rename = "in_system_at_end_trains")]
    InSystemAtEnd,
    /// Mean transit of the trains that arrived in the period (days; by departure).
    #[serde(rename = "transit_mean_days_by_departure")]
    TransitMeanDays,
    /// 95th percentile transit of the trains that arrived in the period (days).
    #[serde(rename = "transit_p95_days_by_departure")]
    TransitP95Days,
}

impl Measure {
    /// The name used in `timeseries.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Measure::QueueTrains => "queue_trains",
            Measure::QueueWagons => "queue_wagons",
            Measure::WaitingAtEnd => "waiting_at_end_trains",
            Measure::Utilization => "utilization",
            Measure::WaitMeanDays => "wait_mean_days",
            Measure::Sailings => "sailings",
            Measure::WagonsCarried => "wagons_carried",
            Measure::TeuCarried => "teu_carried",
            Measure::LoadFactor => "load_factor",
            Measure::Offered => "offered_trains",
            Measure::Dispatched => "dispatched_trains",
            Measure::Delivered => "delivered_trains",
            Measure::InSystemAtEnd => "in_system_at_end_trains",
            Measure::TransitMeanDays => "transit_mean_days_by_departure",
            Measure::TransitP95Days => "transit_p95_days_by_departure",
        }
    }

    /// Every measure, in column order.
    pub const ALL: [Measure; 15] = [
        Measure::QueueTrains,
        Measure::QueueWagons,
        Measure::WaitingAtEnd,
        Measure::Utilization,
        Measure::WaitMeanDays,
        Measure::Sailings,
        Measure::WagonsCarried,
        Measure::TeuCarried,
        Measure::LoadFactor,
        Measure::Offered,
        Measure::Dispatched,
        Measure::Delivered,
        Measure::InSystemAtEnd,
        Measure::TransitMeanDays,
        Measure::TransitP95Days,
    ];

    /// Parses a name written by [`Measure::name`].
    pub fn parse(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// What a column is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// A resource, as an index into [`Model::resources`].
    Resource(u32),
    /// A flow, as an index into [`Model::flows`].
    Flow(u32),
}

/// One column of a replication's time series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeriesColumn {
    /// Resource or flow.
    pub entity: Entity,
    /// The figure.
    pub measure: Measure,
}

/// Measures of every resource.
pub(crate) const RESOURCE_MEASURES: [Measure; 5] = [
    Measure::QueueTrains,
    Measure::QueueWagons,
    Measure::WaitingAtEnd,
    Measure::Utilization,
    Measure::WaitMeanDays,
];
/// Further measures of ferry resources.
pub(crate) const FERRY_MEASURES: [Measure; 4] = [
    Measure::Sailings,
    Measure::WagonsCarried,
    Measure::TeuCarried,
    Measure::LoadFactor,
];
/// Measures of every flow.
pub(crate) const FLOW_MEASURES: [Measure; 6] = [
    Measure::Offered,
    Measure::Dispatched,
    Measure::Delivered,
    Measure::InSystemAtEnd,
    Measure::TransitMeanDays,
    Measure::TransitP95Days,
];

/// One replication's figures per period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesResult {
    /// Columns per period ([`Model::series_columns`]).
    pub width: usize,
    /// Period-major: period `k`, column `c` at `k * width + c`; NaN where a figure is
    /// not defined (no train started service, no train of the cohort delivered, or
    /// the replication saturated before the period ended).
    pub values: Vec<f64>,
}

impl SeriesResult {
    /// Number of periods.
    pub fn periods(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    /// The figures of period `k`.
    pub fn period(&self, k: usize) -> &[f64] {
        &self.values[k * self.width..(k + 1) * self.width]
    }
}

impl Model {
    /// The columns of every replication's time series, in order: for each resource
    /// its `RESOURCE_MEASURES` (and `FERRY_MEASURES` for ferries), then for each
    /// flow its `FLOW_MEASURES`. Empty if the model has no time series.
    pub fn series_columns(&self) -> Vec<SeriesColumn> {
        if self.period_starts.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, r) in self.resources().iter().enumerate() {
            let extra: &[Measure] = if r.kind == ResourceKind::Ferry {
                &FERRY_MEASURES
            } else {
                &[]
            };
            for &measure in RESOURCE_MEASURES.iter().chain(extra) {
                out.push(SeriesColumn {
                    entity: Entity::Resource(i as u32),
                    measure,
                });
            }
        }
        for f in 0..self.flows().len() {
            for &measure in &FLOW_MEASURES {
                out.push(SeriesColumn {
                    entity: Entity::Flow(f as u32),
                    measure,
                });
            }
        }
        out
    }

    /// The first day of every period (empty without time series).
    pub fn period_start_days(&self) -> Vec<f64> {
        self.period_starts.iter().map(|t| t.days()).collect()
    }

    /// The period of the time series, if any.
    pub fn period(&self) -> Option<crate::calendar::Period> {
        self.period
    }

    /// Where day 0 is.
    pub fn calendar(&self) -> crate::calendar::Calendar {
        self.calendar
    }
}
