//! The files of `sweep` and `compare`: `curve.json` with `curve.csv`,
//! `curve_resources.csv` and `curve_flows.csv`; `compare.json` with `compare.csv`.

use serde::{Deserialize, Serialize};

use super::run::{Saturation, Transit};
use crate::sim::ResourceKind;
use crate::stats::{Estimate, number};

/// A capacity curve (`curve.json`; `compare --param` writes one per scenario as
/// `curve-<i>-<scenario>.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Curve {
    /// Scenario name.
    pub scenario: String,
    /// The swept parameter: `demand` (a factor on every flow) or `TARGET.PARAM`.
    pub param: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per point, with the same random streams at every point.
    pub replications: u64,
    /// Simulated days per replication, warm-up included.
    pub horizon_days: f64,
    /// Discarded initial days.
    pub warmup_days: f64,
    /// Largest acceptable p95 transit, as a multiple of the reference p95.
    pub p95_limit_factor: f64,
    /// The p95 limit (days): the factor times the reference p95 (each replication's
    /// p95, averaged) at the lowest demand (for a demand sweep) or at the best point
    /// (otherwise).
    #[serde(with = "number")]
    pub p95_limit_days: f64,
    /// Delivered/offered must stay at or above this.
    pub delivered_ratio_min: f64,
    /// The points, by increasing value.
    pub points: Vec<CurvePoint>,
    /// Demand sweeps: the practical capacity.
    pub practical_capacity: Option<PracticalCapacity>,
    /// The smallest swept value whose point meets both criteria.
    pub first_value_meeting_criteria: Option<f64>,
}

impl Curve {
    /// True if the sweep scales demand (x is then the offered load).
    pub fn is_demand(&self) -> bool {
        self.param == "demand"
    }
}

/// The figures of one sweep point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The parameter's value.
    pub value: f64,
    /// Offered block trains per week.
    pub offered_trains_per_week: Estimate,
    /// Delivered block trains per week (throughput).
    pub delivered_trains_per_week: Estimate,
    /// Delivered / offered, per replication.
    pub delivered_ratio: Estimate,
    /// Transit times: replication means with their interval; pooled p50 and p95.
    pub transit_days: Transit,
    /// The 95th percentile of each replication's transit times.
    pub transit_p95_days: Estimate,
    /// True if the mean delivered/offered >= the minimum and the mean p95 of the
    /// replications is within the limit, and no replication saturated.
    pub meets_criteria: bool,
    /// Share of replications meeting both criteria.
    pub replications_meeting: f64,
    /// The binding resource.
    pub bottleneck: Option<Bottleneck>,
    /// Every resource.
    pub resources: Vec<ResourcePoint>,
    /// Every flow.
    pub flows: Vec<FlowPoint>,
    /// Replications of this point stopped early because too many trains were in the
    /// system, with when and where the first did (absent when none did): the point is
    /// saturated, its figures cover the window up to the day they stopped, and the
    /// sweep went on to its next point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturation: Option<Saturation>,
}

/// The binding resource at a point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bottleneck {
    /// Node or leg id.
    pub id: String,
    /// Station, rail, road or ferry.
    pub kind: ResourceKind,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Its utilisation.
    pub utilization: Estimate,
    /// Share of replications in which it had the highest utilisation.
    pub binding_share: f64,
    /// Its share of all waiting time at this point.
    pub wait_share: f64,
}

/// One resource at one point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourcePoint {
    /// Node or leg id.
    pub id: String,
    /// Station, rail, road or ferry.
    pub kind: ResourceKind,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Utilisation.
    pub utilization: Estimate,
    /// Mean wait (days).
    pub wait_days: Estimate,
    /// Share of all waiting time at this point.
    pub wait_share: f64,
}

/// One flow at one point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlowPoint {
    /// Flow id.
    pub id: String,
    /// Offered block trains per week.
    pub offered_trains_per_week: Estimate,
    /// Delivered block trains per week.
    pub delivered_trains_per_week: Estimate,
    /// Transit times.
    pub transit_days: Transit,
}

/// Where the practical capacity lies relative to the swept range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bracket {
    /// Between two swept points.
    WithinRange,
    /// Every point passed: the capacity is at least the last point.
    AboveRange,
    /// The first point failed: the capacity is at most the first point.
    BelowRange,
}

impl Bracket {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Bracket::WithinRange => "within_range",
            Bracket::AboveRange => "above_range",
            Bracket::BelowRange => "below_range",
        }
    }
}

/// The criterion that failed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitedBy {
    /// Delivered/offered fell below the minimum.
    Throughput,
    /// The p95 transit passed its limit.
    TransitP95,
    /// No criterion failed in the swept range.
    None,
}

impl LimitedBy {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            LimitedBy::Throughput => "throughput",
            LimitedBy::TransitP95 => "transit_p95",
            LimitedBy::None => "none",
        }
    }
}

/// The largest offered load at which the corridor keeps up on the mean curve (each
/// replication's delivered/offered, averaged, at least 0.99) and the p95 transit
/// (each replication's p95, averaged) stays within its limit, interpolated linearly
/// between the last probe meeting both and the first failing one, after the
/// crossing has been refined by bisection (see [`Refinement`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PracticalCapacity {
    /// The practical capacity from the mean curve (trains per week), with a 95%
    /// percentile-bootstrap interval over replications (1,000 resamples).
    pub offered_trains_per_week: Estimate,
    /// From the mean curve (trains per week).
    #[serde(with = "number")]
    pub point_estimate: f64,
    /// The demand factor at the point estimate.
    #[serde(with = "number")]
    pub value: f64,
    /// Where the capacity lies relative to the swept range.
    pub bracket: Bracket,
    /// The criterion that failed first.
    pub limited_by: LimitedBy,
    /// The binding resource at the first failing point.
    pub bottleneck: Option<String>,
    /// The same capacity in TEU per year: trains per week (and its interval) times the
    /// TEU per train of the flows counted (the group's, or all flows'), their mean
    /// weighted by offered trains, times 365 / 7. Absent when those trains carry no
    /// TEU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teu_per_year: Option<Estimate>,
    /// How the crossing was refined beyond the starting points (absent in files
    /// written before refinement existed).
    #[serde(default)]
    pub refinement: Option<Refinement>,
}

/// The refinement of a practical capacity: bisection on the demand factor between the
/// last point meeting the criteria and the first failing one, with the same
/// replications (common random numbers) at every probe, until the two are closer than
/// the tolerance.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Refinement {
    /// The estimate from the starting points alone (trains per week): the grid of a
    /// sweep, or the first bracket of a search. Its distance from
    /// `point_estimate` is how far the grid limited the answer.
    #[serde(with = "number")]
    pub grid_point_estimate: f64,
    /// The demand factors probed in addition to the starting points, in probe order.
    pub probed_values: Vec<f64>,
    /// Offered load between the last probe meeting the criteria and the first failing
    /// one (trains per week); null if the crossing is not bracketed.
    #[serde(with = "number")]
    pub resolution_trains_per_week: f64,
    /// The tolerance: refinement stops once the resolution is at most this share of
    /// the offered load.
    pub tolerance: f64,
}

/// A row of `curve.csv`: one sweep point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CurveRow {
    /// Scenario name.
    pub scenario: String,
    /// The swept parameter.
    pub param: String,
    /// Its value.
    pub value: f64,
    /// Replications per point.
    pub replications: u64,
    /// Offered trains per week: mean.
    #[serde(with = "number")]
    pub offered_trains_per_week_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub offered_trains_per_week_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub offered_trains_per_week_ci95_high: f64,
    /// Delivered trains per week: mean.
    #[serde(with = "number")]
    pub delivered_trains_per_week_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub delivered_trains_per_week_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub delivered_trains_per_week_ci95_high: f64,
    /// Delivered / offered: mean.
    #[serde(with = "number")]
    pub delivered_ratio_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub delivered_ratio_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub delivered_ratio_ci95_high: f64,
    /// Transit days: mean of replication means.
    #[serde(with = "number")]
    pub transit_days_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub transit_days_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub transit_days_ci95_high: f64,
    /// Pooled median transit (days).
    #[serde(with = "number")]
    pub transit_days_p50: f64,
    /// Pooled 95th percentile transit (days).
    #[serde(with = "number")]
    pub transit_days_p95: f64,
    /// Each replication's p95 transit (days): mean.
    #[serde(with = "number")]
    pub transit_p95_days_per_replication_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub transit_p95_days_per_replication_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub transit_p95_days_per_replication_ci95_high: f64,
    /// True if the point meets both criteria.
    pub meets_criteria: bool,
    /// Share of replications meeting both criteria.
    pub replications_meeting_share: f64,
    /// The binding resource (empty without one).
    pub bottleneck: Option<String>,
    /// Its kind.
    pub bottleneck_kind: Option<ResourceKind>,
    /// Legs: where traffic comes from.
    pub bottleneck_from: Option<String>,
    /// Legs: where traffic goes.
    pub bottleneck_to: Option<String>,
    /// Its mean utilisation.
    #[serde(with = "number")]
    pub bottleneck_utilization_mean: f64,
    /// Share of replications in which it bound.
    #[serde(with = "number")]
    pub bottleneck_binding_share: f64,
    /// Its share of all waiting time.
    #[serde(with = "number")]
    pub bottleneck_wait_share: f64,
    /// Replications of the point that saturated (stopped early with too many trains in
    /// the system; see `saturation` in `curve.json`).
    #[serde(default)]
    pub saturated_replications: u64,
}

/// A row of `curve_resources.csv`: one resource at one sweep point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CurveResourceRow {
    /// Scenario name.
    pub scenario: String,
    /// The swept parameter.
    pub param: String,
    /// Its value.
    pub value: f64,
    /// Node or leg id.
    pub resource: String,
    /// Station, rail, road or ferry.
    pub kind: ResourceKind,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Utilisation: mean.
    #[serde(with = "number")]
    pub utilization_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub utilization_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub utilization_ci95_high: f64,
    /// Mean wait (days): mean.
    #[serde(with = "number")]
    pub wait_days_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub wait_days_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub wait_days_ci95_high: f64,
    /// Share of all waiting time at this point.
    pub wait_share: f64,
}

/// A row of `curve_flows.csv`: one flow at one sweep point.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CurveFlowRow {
    /// Scenario name.
    pub scenario: String,
    /// The swept parameter.
    pub param: String,
    /// Its value.
    pub value: f64,
    /// Flow id.
    pub flow: String,
    /// Offered trains per week: mean.
    #[serde(with = "number")]
    pub offered_trains_per_week_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub offered_trains_per_week_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub offered_trains_per_week_ci95_high: f64,
    /// Delivered trains per week: mean.
    #[serde(with = "number")]
    pub delivered_trains_per_week_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub delivered_trains_per_week_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub delivered_trains_per_week_ci95_high: f64,
    /// Transit days: mean of replication means.
    #[serde(with = "number")]
    pub transit_days_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub transit_days_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub transit_days_ci95_high: f64,
    /// Pooled median transit (days).
    #[serde(with = "number")]
    pub transit_days_p50: f64,
    /// Pooled 95th percentile transit (days).
    #[serde(with = "number")]
    pub transit_days_p95: f64,
}

/// Alternatives against a base scenario (`compare.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Comparison {
    /// Base scenario name.
    pub base: String,
    /// Master seed shared by every scenario.
    pub seed: u64,
    /// Replications per scenario; replication i of every scenario uses the same streams.
    pub replications: u64,
    /// One entry per alternative.
    pub alternatives: Vec<ScenarioComparison>,
}

/// One alternative against the base.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioComparison {
    /// Alternative scenario name.
    pub scenario: String,
    /// All flows together.
    pub overall: FlowComparison,
    /// Flows present in both scenarios (matched by id).
    pub flows: Vec<FlowComparison>,
    /// Flow ids present in only one of the two.
    pub unmatched_flows: Vec<String>,
}

/// Paired differences for one flow (or all flows).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlowComparison {
    /// Flow id, or `all`.
    pub flow: String,
    /// Offered block trains per week.
    pub offered_trains_per_week: Difference,
    /// Delivered block trains per week (throughput).
    pub delivered_trains_per_week: Difference,
    /// Mean transit (days).
    pub transit_mean_days: Difference,
    /// 95th percentile transit (days), per replication.
    pub transit_p95_days: Difference,
}

impl FlowComparison {
    /// Each compared figure with its difference, in the order of `compare.csv`.
    pub fn figures(&self) -> [(Figure, &Difference); 4] {
        [
            (Figure::OfferedTrainsPerWeek, &self.offered_trains_per_week),
            (
                Figure::DeliveredTrainsPerWeek,
                &self.delivered_trains_per_week,
            ),
            (Figure::TransitMeanDays, &self.transit_mean_days),
            (Figure::TransitP95Days, &self.transit_p95_days),
        ]
    }
}

/// A paired difference, alternative minus base, over replications.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Difference {
    /// Base mean.
    #[serde(with = "number")]
    pub base: f64,
    /// Alternative mean.
    #[serde(with = "number")]
    pub alternative: f64,
    /// Mean of the paired differences with its Student-t 95% interval.
    pub difference: Estimate,
    /// True if the 95% interval of the difference excludes zero.
    pub significant: bool,
}

/// A figure compared in `compare.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Offered block trains per week.
    OfferedTrainsPerWeek,
    /// Delivered block trains per week.
    DeliveredTrainsPerWeek,
    /// Mean transit (days).
    TransitMeanDays,
    /// 95th percentile transit (days).
    TransitP95Days,
}

/// A row of `compare.csv`: one alternative, flow (or `all`) and figure.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompareRow {
    /// Base scenario name.
    pub base: String,
    /// Alternative scenario name.
    pub alternative: String,
    /// Replications per scenario.
    pub replications: u64,
    /// Flow id, or `all`.
    pub flow: String,
    /// The figure.
    pub figure: Figure,
    /// Its mean in the base.
    #[serde(with = "number")]
    pub base_mean: f64,
    /// Its mean in the alternative.
    #[serde(with = "number")]
    pub alternative_mean: f64,
    /// Mean paired difference, alternative minus base.
    #[serde(with = "number")]
    pub difference_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub difference_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub difference_ci95_high: f64,
    /// True if the interval excludes zero.
    pub significant: bool,
}
