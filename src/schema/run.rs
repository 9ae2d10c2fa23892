//! The files of a `run` (and of `--replay`): `summary.json`, `flows.csv`,
//! `resources.csv`, `replications.csv`, `transit.csv`, `trains.csv`, `network.json`.

use serde::{Deserialize, Serialize};

use crate::network::{Mode, NodeKind};
use crate::sim::ResourceKind;
use crate::stats::{Estimate, number};

/// The summary of a run (`summary.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// Master seed.
    pub seed: u64,
    /// Replications every figure rests on.
    pub replications: u64,
    /// Simulated days, warm-up included.
    pub horizon_days: f64,
    /// Discarded initial days.
    pub warmup_days: f64,
    /// Observed days per replication (horizon minus warm-up).
    pub window_days: f64,
    /// All flows together.
    pub overall: Overall,
    /// Per flow.
    pub flows: Vec<FlowSummary>,
    /// Per resource some route uses.
    pub resources: Vec<ResourceSummary>,
    /// Mean events processed per replication.
    #[serde(with = "number")]
    pub events_per_replication: f64,
    /// Replications stopped early because too many trains were in the system (absent
    /// when none was): their figures cover the window up to the day they stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturation: Option<Saturation>,
    /// What a reader must know before trusting the figures, in words: overload
    /// (delivered/offered below 0.99, so transit covers delivered trains only) and a
    /// warm-up chosen automatically. Also printed in the terminal.
    #[serde(default)]
    pub notices: Vec<String>,
    /// Figures per train class, highest priority first (absent when the scenario has
    /// no `classes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassSummary>,
    /// How much each uncertain input moves each main figure, by figure and then by
    /// rank (absent without uncertain inputs drawn); the rows of `sensitivity.csv`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitivity: Vec<super::SensitivityRow>,
    /// Figures of the nodes' storage limits, in node order (absent when no node has
    /// a `storage`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage: Vec<StorageSummary>,
    /// Figures of the embargoes, in scenario order (absent without `[[embargo]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embargoes: Vec<EmbargoSummary>,
}

/// Figures of one embargo over the observation window (means over replications).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbargoSummary {
    /// The node whose backlog is watched.
    pub node: String,
    /// Dispatching stops when the backlog is above this.
    pub stop_above: f64,
    /// It resumes when the backlog is below this.
    pub resume_below: f64,
    /// What the backlog counts: `trains` or `wagons`.
    pub unit: String,
    /// Episodes that began in the window, per replication.
    pub episodes: Estimate,
    /// Days in force, per replication.
    pub days: Estimate,
    /// Trains held at their origin, all replications together.
    pub held_trains: u64,
    /// Trains held at their origin, per replication.
    pub held_per_replication: Estimate,
    /// Mean hold of the holds that ended (days).
    pub hold_days: Estimate,
}

/// Figures of one node's storage limit (means over replications; per-day figures over
/// the observation window).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StorageSummary {
    /// Node id.
    pub node: String,
    /// The limit, in `unit`s.
    pub limit: f64,
    /// What it counts: `wagons` or `teu`.
    pub unit: String,
    /// `hold` or `refuse`.
    pub when_full: String,
    /// Trains reaching the node per day (admitted, held or refused).
    pub arrivals_per_day: Estimate,
    /// Trains held for room, all replications together.
    pub held_trains: u64,
    /// Trains held per day.
    pub held_per_day: Estimate,
    /// Mean hold of the holds that ended (days).
    pub hold_days: Estimate,
    /// Trains turned away, all replications together.
    pub refused_trains: u64,
    /// Trains turned away per day.
    pub refused_per_day: Estimate,
    /// Refused over arriving trains: the blocking probability.
    pub refused_share: Estimate,
    /// Share of the window the node had no room for its smallest train.
    pub full_share: Estimate,
    /// Time-average trains held.
    pub held_mean: Estimate,
    /// Time-average wagons (or TEU) at the node.
    pub occupancy_mean: Estimate,
}

/// Figures of one train class.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassSummary {
    /// Class name, as in the scenario's `classes`.
    pub class: String,
    /// Its rank: 1 is served first.
    pub priority: u32,
    /// The flows of the class.
    pub flows: Vec<String>,
    /// Trains of the class that arrived in the window and were delivered.
    pub delivered_trains: Estimate,
    /// Mean transit of those trains (days).
    pub transit_days: Estimate,
    /// The resources at which trains of the class waited, in resource order.
    pub resources: Vec<ClassResource>,
}

/// The wait of one train class at one resource.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassResource {
    /// The resource, labelled as in `saturation`.
    pub resource: String,
    /// Waits of the class counted here, all replications together (trains that
    /// arrived after the warm-up and whose wait ended by the horizon).
    pub waits: u64,
    /// Mean wait (days) of the class's trains here.
    pub wait_days: Estimate,
}

/// Replications that saturated: how many, and the first of them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Saturation {
    /// Replications that stopped as saturated.
    pub replications: u64,
    /// The first saturated replication's index.
    pub first_replication: u64,
    /// The simulated day it stopped (days since the start).
    pub first_day: f64,
    /// Trains in the system then.
    pub trains_in_system: u64,
    /// The resource with the largest backlog then (absent if no train was waiting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// Transit-time figures (days).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Transit {
    /// Mean over replications of each replication's mean transit time.
    #[serde(with = "number")]
    pub mean: f64,
    /// Its Student-t 95% interval.
    pub ci95: Option<[f64; 2]>,
    /// Median of all delivered trains of all replications (pooled).
    pub p50: Option<f64>,
    /// 95th percentile, pooled.
    pub p95: Option<f64>,
    /// Trains the percentiles rest on.
    pub trains: u64,
}

impl Transit {
    /// The mean with its interval.
    pub fn estimate(&self) -> Estimate {
        Estimate {
            mean: self.mean,
            ci95: self.ci95,
        }
    }
}

/// Figures of all flows together.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Overall {
    /// Trains that arrived in the window.
    pub offered_trains: Estimate,
    /// Of those, trains delivered by the horizon.
    pub delivered_trains: Estimate,
    /// Of those, trains still under way at the horizon.
    pub in_system_trains: Estimate,
    /// Their mean age at the horizon (days since they arrived): censored transit
    /// times, not in `transit_days` (`null` in replications where none is left).
    pub in_system_age_days: Estimate,
    /// Trains of the starting backlog delivered (not in any cohort figure).
    pub backlog_delivered_trains: Estimate,
    /// Offered trains per week.
    pub offered_trains_per_week: Estimate,
    /// Trains reaching their destination per week (any arrival time): throughput.
    pub delivered_trains_per_week: Estimate,
    /// Transit times of delivered trains.
    pub transit_days: Transit,
    /// TEU delivered.
    pub teu_delivered: Estimate,
    /// Tonnes delivered.
    pub tonnes_delivered: Estimate,
}

/// Figures of one flow.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlowSummary {
    /// Flow id.
    pub id: String,
    /// Origin node id.
    pub from: String,
    /// Destination node id.
    pub to: String,
    /// Volume in the scenario (trains per week).
    pub scenario_trains_per_week: f64,
    /// Trains that arrived in the window.
    pub offered_trains: Estimate,
    /// Of those, trains delivered by the horizon.
    pub delivered_trains: Estimate,
    /// Of those, trains still under way at the horizon.
    pub in_system_trains: Estimate,
    /// Their mean age at the horizon (days since they arrived): censored transit
    /// times, not in `transit_days` (`null` in replications where none is left).
    pub in_system_age_days: Estimate,
    /// Trains of the starting backlog delivered (not in any cohort figure).
    pub backlog_delivered_trains: Estimate,
    /// Offered trains per week.
    pub offered_trains_per_week: Estimate,
    /// Throughput (trains per week).
    pub delivered_trains_per_week: Estimate,
    /// Transit times.
    pub transit_days: Transit,
    /// TEU delivered.
    pub teu_delivered: Estimate,
    /// Tonnes delivered.
    pub tonnes_delivered: Estimate,
    /// The routes trains took.
    pub routes: Vec<RouteSummary>,
}

/// Figures of one route of a flow.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RouteSummary {
    /// Node ids visited.
    pub nodes: Vec<String>,
    /// Share of the flow's delivered trains that took this route (pooled).
    pub share: f64,
    /// Expected days without queueing (the routing estimate).
    pub expected_days: f64,
    /// Length (km).
    pub km: f64,
    /// Delivered trains.
    pub delivered_trains: Estimate,
    /// Trains still under way on it at the horizon.
    pub in_system_trains: Estimate,
    /// Mean transit of its delivered trains (days) (pooled over replications).
    pub transit_days_mean: Option<f64>,
    /// Median transit of its delivered trains (days), pooled.
    pub transit_days_p50: Option<f64>,
    /// 95th percentile transit of its delivered trains (days), pooled.
    pub transit_days_p95: Option<f64>,
}

/// What a resource is in detail: the node kind of a station, the mode of a leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Detail {
    /// A station: its node's kind.
    Node(NodeKind),
    /// One direction of a leg: its mode.
    Leg(Mode),
}

impl Detail {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Detail::Node(k) => k.name(),
            Detail::Leg(m) => m.name(),
        }
    }
}

/// Figures of one resource.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceSummary {
    /// Node or leg id.
    pub id: String,
    /// Station, or a leg direction by rail, road or ferry.
    pub kind: ResourceKind,
    /// Node kind of a station, mode of a leg.
    pub detail: Detail,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Servers (stations), trains or trucks per day (0 = no limit), wagons per day
    /// (ferries).
    pub capacity: f64,
    /// Share of capacity used.
    pub utilization: Estimate,
    /// Mean wait before service, entry or sailing (days), of the trains whose wait
    /// ended in the window.
    pub wait_days: Estimate,
    /// Mean wait counting also the trains still waiting at the horizon, with their
    /// wait so far (censored; a lower bound on their full waits).
    pub wait_days_with_censored: Estimate,
    /// Trains still waiting at the horizon.
    pub waiting_at_end: Estimate,
    /// Time-average number of trains waiting.
    pub queue_length: Estimate,
    /// Time-average number of trains in service (stations) or occupying the line.
    pub in_service: Estimate,
    /// Trains arriving per day.
    pub arrivals_per_day: Estimate,
    /// Share of time closed.
    pub closed_share: Estimate,
    /// Ferries whose vessels leave service at random: vessel-days absent per year
    /// (the service's figure, on each direction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel_days_absent_per_year: Option<Estimate>,
    /// The same ferries, if timetabled: sailings per year from this port cancelled for
    /// want of a vessel in port (closures aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sailings_without_vessel_per_year: Option<Estimate>,
}

impl ResourceSummary {
    /// The `from` and `to` node ids of a leg direction; `None` for a station.
    pub fn direction(&self) -> Option<(&str, &str)> {
        match (&self.from, &self.to) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        }
    }
}

impl Summary {
    /// The station resource of node `id`.
    pub fn station(&self, id: &str) -> Option<&ResourceSummary> {
        self.resources
            .iter()
            .find(|r| r.id == id && r.direction().is_none())
    }

    /// The resources of leg `id` (one per direction used).
    pub fn leg(&self, id: &str) -> impl Iterator<Item = &ResourceSummary> {
        self.resources
            .iter()
            .filter(move |r| r.id == id && r.direction().is_some())
    }
}

/// Which rows of `flows.csv` a row is: a flow's total (`all`) or its route number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RouteRef {
    /// Route number within the flow, from 1, in the order of `summary.json`.
    Number(u32),
    /// All routes of the flow together.
    All(AllRoutes),
}

/// The word `all` in the `route` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllRoutes {
    /// All routes of the flow.
    All,
}

/// A row of `flows.csv`: a flow's figures (`route` = `all`), or one route's (the
/// columns a route has no figure for are empty). Each estimate is three columns:
/// mean, and the ends of its Student-t 95% interval.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlowRow {
    /// Scenario name.
    pub scenario: String,
    /// Replications.
    pub replications: u64,
    /// Flow id.
    pub flow: String,
    /// Origin node id.
    pub from: String,
    /// Destination node id.
    pub to: String,
    /// `all` or the route number.
    pub route: RouteRef,
    /// Node ids of the route joined by `>` (empty for `all`).
    pub nodes: String,
    /// Share of the flow's delivered trains on the route (1 for `all`).
    #[serde(with = "number")]
    pub route_share: f64,
    /// Expected days of the route without queueing (empty for `all`).
    #[serde(with = "number")]
    pub expected_days: f64,
    /// Offered trains in the window: mean.
    #[serde(with = "number")]
    pub offered_trains_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub offered_trains_ci95_low: f64,
    /// Upper end of its 95% interval.
    #[serde(with = "number")]
    pub offered_trains_ci95_high: f64,
    /// Of the trains offered in the window, those delivered by the horizon: mean
    /// (offered = delivered + in system).
    #[serde(with = "number")]
    pub delivered_trains_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub delivered_trains_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub delivered_trains_ci95_high: f64,
    /// Trains in the system at the horizon: mean.
    #[serde(with = "number")]
    pub in_system_trains_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub in_system_trains_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub in_system_trains_ci95_high: f64,
    /// Offered trains per week: mean.
    #[serde(with = "number")]
    pub offered_trains_per_week_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub offered_trains_per_week_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub offered_trains_per_week_ci95_high: f64,
    /// Throughput: trains reaching their destination per week in the window, whenever
    /// they were offered (`delivered_trains_per_week` in summary.json): mean.
    #[serde(with = "number")]
    pub throughput_trains_per_week_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub throughput_trains_per_week_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub throughput_trains_per_week_ci95_high: f64,
    /// Transit days: mean of replication means (routes: pooled mean).
    #[serde(with = "number")]
    pub transit_days_mean: f64,
    /// Lower end (flows only).
    #[serde(with = "number")]
    pub transit_days_ci95_low: f64,
    /// Upper end (flows only).
    #[serde(with = "number")]
    pub transit_days_ci95_high: f64,
    /// Pooled median transit (days).
    #[serde(with = "number")]
    pub transit_days_p50: f64,
    /// Pooled 95th percentile transit (days).
    #[serde(with = "number")]
    pub transit_days_p95: f64,
    /// TEU of the delivered trains (the offered trains delivered by the horizon, as
    /// `delivered_trains_*`): mean (flows only).
    #[serde(with = "number")]
    pub teu_delivered_mean: f64,
    /// Tonnes of the delivered trains (as `teu_delivered_mean`): mean (flows only).
    #[serde(with = "number")]
    pub tonnes_delivered_mean: f64,
}

/// A row of `storage.csv` (written when some node has a `storage` limit): one node's
/// limit, with means over replications and their 95% intervals.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StorageRow {
    /// Scenario name.
    pub scenario: String,
    /// Replications.
    pub replications: u64,
    /// Node id.
    pub node: String,
    /// What the limit counts: `wagons` or `teu`.
    pub unit: String,
    /// The limit, in `unit`s.
    pub limit: f64,
    /// `hold` or `refuse`.
    pub when_full: String,
    /// Trains reaching the node per day: mean.
    #[serde(with = "number")]
    pub arrivals_per_day_mean: f64,
    /// Trains held for room, all replications together.
    pub held_trains: u64,
    /// Trains held per day: mean.
    #[serde(with = "number")]
    pub held_per_day_mean: f64,
    /// Mean hold (days): mean over replications.
    #[serde(with = "number")]
    pub hold_days_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub hold_days_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub hold_days_ci95_high: f64,
    /// Trains turned away, all replications together.
    pub refused_trains: u64,
    /// Refused over arriving trains: mean.
    #[serde(with = "number")]
    pub refused_share_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub refused_share_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub refused_share_ci95_high: f64,
    /// Share of the window the node was full: mean.
    #[serde(with = "number")]
    pub full_share_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub full_share_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub full_share_ci95_high: f64,
    /// Time-average trains held: mean.
    #[serde(with = "number")]
    pub held_trains_mean: f64,
    /// Time-average wagons (or TEU) at the node: mean.
    #[serde(with = "number")]
    pub occupancy_mean: f64,
}

/// A row of `resources.csv`: one resource (a station, or a leg in one direction).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceRow {
    /// Scenario name.
    pub scenario: String,
    /// Replications.
    pub replications: u64,
    /// Node or leg id.
    pub resource: String,
    /// Station, rail, road or ferry.
    pub kind: ResourceKind,
    /// Node kind of a station, mode of a leg.
    pub detail: Detail,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Stations: parallel servers; empty for other kinds.
    pub capacity_servers: Option<f64>,
    /// Rail legs: trains per day per direction; empty for other kinds and for a leg
    /// that never limits traffic.
    pub capacity_trains_per_day: Option<f64>,
    /// Road legs: trucks per day per direction; empty for other kinds and for a leg
    /// that never limits traffic.
    pub capacity_trucks_per_day: Option<f64>,
    /// Ferries: wagons per day the service carries in this direction; empty for
    /// other kinds.
    pub capacity_wagons_per_day: Option<f64>,
    /// Share of capacity used: mean.
    #[serde(with = "number")]
    pub utilization_mean: f64,
    /// Lower end of its 95% interval.
    #[serde(with = "number")]
    pub utilization_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub utilization_ci95_high: f64,
    /// Mean wait (days): mean over replications.
    #[serde(with = "number")]
    pub wait_days_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub wait_days_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub wait_days_ci95_high: f64,
    /// Time-average trains waiting: mean.
    #[serde(with = "number")]
    pub queue_trains_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub queue_trains_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub queue_trains_ci95_high: f64,
    /// Time-average trains in service: mean.
    #[serde(with = "number")]
    pub in_service_trains_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub in_service_trains_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub in_service_trains_ci95_high: f64,
    /// Trains arriving per day: mean.
    #[serde(with = "number")]
    pub arrivals_per_day_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub arrivals_per_day_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub arrivals_per_day_ci95_high: f64,
    /// Share of time closed: mean.
    #[serde(with = "number")]
    pub closed_share_mean: f64,
    /// Lower end.
    #[serde(with = "number")]
    pub closed_share_ci95_low: f64,
    /// Upper end.
    #[serde(with = "number")]
    pub closed_share_ci95_high: f64,
}

/// A row of `replications.csv`: one replication of one flow (of one sweep point).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReplicationRow {
    /// Scenario name.
    pub scenario: String,
    /// Sweeps: the swept parameter (empty in a run).
    pub param: Option<String>,
    /// Sweeps: its value at this point (empty in a run).
    pub value: Option<f64>,
    /// Replication index.
    pub replication: u64,
    /// Flow id.
    pub flow: String,
    /// Trains that arrived in the window.
    pub offered_trains: u64,
    /// Of those, delivered by the horizon.
    pub delivered_trains: u64,
    /// Of those, still under way at the horizon.
    pub in_system_trains: u64,
    /// Trains reaching their destination in the window (any arrival time).
    pub delivered_in_window_trains: u64,
    /// Mean transit of the delivered trains (days; empty without any).
    #[serde(with = "number")]
    pub transit_days_mean: f64,
    /// Median transit (days).
    #[serde(with = "number")]
    pub transit_days_p50: f64,
    /// 95th percentile transit (days).
    #[serde(with = "number")]
    pub transit_days_p95: f64,
    /// TEU delivered.
    pub teu_delivered: f64,
    /// Tonnes delivered.
    pub tonnes_delivered: f64,
    /// Events the replication processed (all flows).
    pub events: u64,
}

/// A row of `transit.csv`: one non-empty bin of a flow's pooled transit-time histogram
/// (all delivered trains of all replications).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransitRow {
    /// Scenario name.
    pub scenario: String,
    /// Flow id.
    pub flow: String,
    /// Lower edge (days).
    pub lower_days: f64,
    /// Upper edge (days).
    pub upper_days: f64,
    /// Delivered trains in the bin, all replications.
    pub trains: u64,
}

/// A row of `trains.csv` (`run --replay K`): one step of one train, in the order
/// trains reached steps. Times are days since the start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainRow {
    /// Replication index.
    pub replication: u64,
    /// Train number.
    pub train: u64,
    /// Flow id.
    pub flow: String,
    /// Route number within the flow, from 1.
    pub route: u32,
    /// Step number within the route, from 1.
    pub step: u32,
    /// Node or leg id.
    pub resource: String,
    /// Station, rail, road or ferry.
    pub kind: ResourceKind,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// When the train reached the resource (day).
    pub arrive_day: f64,
    /// When its service, entry or sailing began (day; empty if not yet).
    pub start_day: Option<f64>,
    /// When it moved on (day; empty if not by the horizon).
    pub leave_day: Option<f64>,
}

/// The network as run (overrides applied), for maps and GeoJSON: `network.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NetworkExport {
    /// Network name.
    pub name: String,
    /// Nodes.
    pub nodes: Vec<NodeExport>,
    /// Legs.
    pub legs: Vec<LegExport>,
}

/// A node in `network.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodeExport {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO country code.
    pub country: String,
    /// Latitude (degrees north).
    pub lat: f64,
    /// Longitude (degrees east).
    pub lon: f64,
    /// Node kind.
    pub kind: NodeKind,
    /// Servers of its resource (0 without one).
    pub servers: u32,
}

/// A leg in `network.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LegExport {
    /// Leg id.
    pub id: String,
    /// Start node id.
    pub from: String,
    /// End node id.
    pub to: String,
    /// Rail, sea or road.
    pub mode: Mode,
    /// Length (km).
    pub length_km: f64,
    /// Trains or trucks per day per direction; for ferries, wagons per day one
    /// direction can carry; `null` without a limit.
    pub capacity_per_day: Option<f64>,
    /// Rail gauge (mm).
    pub gauge_mm: Option<u32>,
    /// True if it runs only from `from` to `to`.
    pub one_way: bool,
}

impl NetworkExport {
    /// The node with id `id`.
    pub fn node(&self, id: &str) -> Option<&NodeExport> {
        self.nodes.iter().find(|n| n.id == id)
    }
}
