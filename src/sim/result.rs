//! What one replication measures. Every figure covers the observation window from the
//! end of the warm-up to the horizon.

use super::series::SeriesResult;
use crate::stats::Histogram;

/// The figures of one replication.
#[derive(Clone, Debug, Default)]
pub struct ReplicationResult {
    /// Replication index (its random stream).
    pub index: u64,
    /// Events processed.
    pub events: u64,
    /// Per flow, in scenario order.
    pub flows: Vec<FlowResult>,
    /// Per resource, in [`crate::sim::Model::resources`] order.
    pub resources: Vec<ResourceResult>,
    /// Median transit of all delivered trains of this replication (days; NaN if none).
    pub transit_p50_days: f64,
    /// 95th percentile transit of all delivered trains of this replication (days).
    pub transit_p95_days: f64,
    /// Set if the replication saturated: the trains in the system passed the limit
    /// (`max_trains_in_system`) and the run stopped there; its figures then cover the
    /// window from the end of the warm-up to [`Saturation::day`].
    pub saturated: Option<Saturation>,
    /// Figures per period, if the model has time series.
    pub series: Option<Box<SeriesResult>>,
    /// Waits per train class (outer, in [`crate::sim::Model::classes`] order) and
    /// resource (inner, in [`crate::sim::Model::resources`] order); empty without
    /// classes.
    pub class_waits: Vec<Vec<ClassWait>>,
    /// The values the replication drew for the model's uncertain inputs, in
    /// [`crate::sim::Model::uncertain_inputs`] order (for a duration, the factor on
    /// its draws); empty without uncertain inputs.
    pub inputs: Vec<f64>,
    /// Per storage limit, in [`crate::sim::Model::storage`] order (empty without
    /// limits).
    pub stores: Vec<StoreResult>,
    /// Per embargo, in [`crate::sim::Model::embargoes`] order (empty without).
    pub embargoes: Vec<EmbargoResult>,
}

/// An embargo in one replication (over the window).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EmbargoResult {
    /// Episodes that began.
    pub episodes: u64,
    /// Days it was in force.
    pub days: f64,
    /// Trains held at their origin.
    pub held: u64,
    /// Holds that ended by the end of the run.
    pub holds_ended: u64,
    /// Their sum (days).
    pub hold_sum_days: f64,
    /// Trains of the window still held at the end: their holds so far (days).
    pub censored_hold_sum_days: f64,
}

/// A node's storage limit in one replication (trains counted in the window).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StoreResult {
    /// Trains that reached the node (admitted at once, held or refused).
    pub arrivals: u64,
    /// Trains held for room.
    pub held: u64,
    /// Holds that ended by the end of the run.
    pub holds_ended: u64,
    /// Their sum (days).
    pub hold_sum_days: f64,
    /// Trains turned away (`when_full = "refuse"`).
    pub refused: u64,
    /// Share of the window the node had no room for the smallest train that comes to
    /// it.
    pub full_share: f64,
    /// Time-average trains held.
    pub held_mean: f64,
    /// Time-average wagons (or TEU) at the node.
    pub occupancy_mean: f64,
}

/// The waits of one train class at one resource that began after the warm-up and
/// ended by the end of the run (trains still waiting at the end are not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClassWait {
    /// Waits that ended.
    pub waits: u64,
    /// Their sum (days).
    pub wait_sum_days: f64,
}

impl ClassWait {
    /// Mean wait (days); NaN if no train of the class waited here.
    pub fn mean_days(&self) -> f64 {
        if self.waits == 0 {
            f64::NAN
        } else {
            self.wait_sum_days / self.waits as f64
        }
    }
}

/// When and where a replication saturated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Saturation {
    /// Simulated day the limit was passed (days since the start).
    pub day: f64,
    /// Trains in the system at that moment.
    pub trains_in_system: u64,
    /// The resource with the largest backlog of waiting trains, as an index into
    /// [`crate::sim::Model::resources`] (`None` if no train was waiting anywhere).
    pub resource: Option<u32>,
}

/// One flow in one replication. Trains count if they arrived after the warm-up
/// (the cohort); `offered = delivered + refused + in_system` exactly.
#[derive(Clone, Debug, Default)]
pub struct FlowResult {
    /// Trains that arrived in the window.
    pub offered: u64,
    /// Of those, trains that reached the destination by the horizon.
    pub delivered: u64,
    /// Of those, trains still under way at the horizon.
    pub in_system: u64,
    /// Of those, trains turned away by a full node (`when_full = "refuse"`).
    pub refused: u64,
    /// Trains (of any cohort) that reached the destination in the window: the
    /// throughput.
    pub completed: u64,
    /// Sum of transit times of delivered trains (days).
    pub transit_sum_days: f64,
    /// TEU delivered (delivered trains).
    pub teu_delivered: f64,
    /// Tonnes delivered (delivered trains).
    pub tonnes_delivered: f64,
    /// Transit times of delivered trains (days).
    pub transit: Histogram,
    /// Their median (days; NaN if none).
    pub transit_p50_days: f64,
    /// Their 95th percentile (days; NaN if none).
    pub transit_p95_days: f64,
    /// Per route of the flow, in the order of [`crate::sim::FlowInfo::routes`].
    pub routes: Vec<RouteResult>,
    /// Trains of the starting backlog that reached the destination (not in any
    /// cohort: their start is unknown).
    pub initial_delivered: u64,
    /// Sum of the ages (days since arrival) of the cohort's trains still under way at
    /// the end: they are censored, not in the transit figures.
    pub in_system_age_sum_days: f64,
    /// The oldest of them (days; 0 if none).
    pub in_system_age_max_days: f64,
}

/// One route of a flow in one replication; trains are counted by the route they
/// finally took (adaptive trains may change route on the way).
#[derive(Clone, Debug, Default)]
pub struct RouteResult {
    /// Delivered trains.
    pub delivered: u64,
    /// Trains of the cohort still under way on this route at the horizon.
    pub in_system: u64,
    /// Sum of their transit times (days).
    pub transit_sum_days: f64,
    /// Their transit times (days).
    pub transit: Histogram,
}

/// One resource in one replication.
#[derive(Clone, Debug, Default)]
pub struct ResourceResult {
    /// Trains that arrived at the resource in the window.
    pub arrivals: u64,
    /// Trains whose wait ended in the window, among those that arrived in it.
    pub waits: u64,
    /// Sum of those waits (days).
    pub wait_sum_days: f64,
    /// Share of capacity used, in [0, 1]: time-average busy servers / servers
    /// (stations); headway time booked / window (line sections); deck used (wagons,
    /// and road units in wagon equivalents) / the larger of the fleet's nominal
    /// capacity over the window and the room on the sailings made in it (ferries).
    /// Zero for an empty window.
    pub utilization: f64,
    /// Time-average number of trains waiting.
    pub queue_mean: f64,
    /// Time-average number of trains in service (stations) or occupying the line.
    pub in_service_mean: f64,
    /// Share of the window the resource was closed.
    pub closed_share: f64,
    /// Ferries: sailings in the window.
    pub sailings: u64,
    /// Ferries: wagons carried in the window.
    pub wagons: u64,
    /// Trains of the window still waiting at the end: censored waits.
    pub censored_waits: u64,
    /// Their waits so far (days).
    pub censored_wait_sum_days: f64,
    /// Ferries with vessel availability: vessel-days absent in the window (the
    /// service's figure, on each of its ports).
    pub vessel_days_absent: f64,
    /// Ferries: timetabled sailings in the window cancelled for want of a vessel in
    /// port (closures aside).
    pub sailings_without_vessel: u64,
    /// Ferries with shared decks: road units carried in the window.
    pub road_units: u64,
}

impl ReplicationResult {
    /// Mean transit time over all flows (days); NaN if nothing was delivered.
    pub fn transit_mean_days(&self) -> f64 {
        let (sum, n) = self.flows.iter().fold((0.0, 0), |(s, n), f| {
            (s + f.transit_sum_days, n + f.delivered)
        });
        if n == 0 { f64::NAN } else { sum / n as f64 }
    }
}

impl ResourceResult {
    /// Mean wait counting trains still waiting at the end with their wait so far
    /// (a lower bound on the true mean when trains are still waiting); NaN if none.
    pub fn wait_mean_with_censored_days(&self) -> f64 {
        let n = self.waits + self.censored_waits;
        if n == 0 {
            f64::NAN
        } else {
            (self.wait_sum_days + self.censored_wait_sum_days) / n as f64
        }
    }

    /// Mean wait (days); NaN if no train waited.
    pub fn wait_mean_days(&self) -> f64 {
        if self.waits == 0 {
            f64::NAN
        } else {
            self.wait_sum_days / self.waits as f64
        }
    }
}
