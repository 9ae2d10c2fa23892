//! `manifest.json`: what produced a results folder, so that any figure can be
//! reproduced: the corridor version, the command, file hashes, every parameter after
//! overrides, seed, replications, threads, wall time and date.

use serde::{Deserialize, Serialize};

use crate::dist::DistParams;
use crate::network::{GaugeChangeMethod, Mode, NodeKind};
use crate::routing::Criterion;
use crate::stats::number;

/// The provenance of a results folder (`manifest.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// `corridor` version that wrote the folder.
    pub corridor_version: String,
    /// The command line.
    pub command: Vec<String>,
    /// What wrote the folder.
    pub kind: RunKind,
    /// When the run ended (UTC, RFC 3339).
    pub created_utc: String,
    /// Wall-clock time of the simulation (seconds).
    pub wall_seconds: f64,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// Master seed.
    pub seed: u64,
    /// Replications (per scenario and sweep point).
    pub replications: u64,
    /// Simulated days, warm-up included.
    pub horizon_days: f64,
    /// Discarded initial days.
    pub warmup_days: f64,
    /// Where the warm-up came from.
    pub warmup_source: WarmupSource,
    /// Extra details (warm-up choice, precision report, replay, sweep values).
    pub details: Details,
    /// Every scenario involved, resolved.
    pub scenarios: Vec<ScenarioRecord>,
}

/// The command that wrote a results folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// `corridor run`.
    Run,
    /// `corridor run --replay K`.
    Replay,
    /// `corridor sweep`.
    Sweep,
    /// `corridor compare`.
    Compare,
    /// `corridor capacity`.
    Capacity,
}

/// Where the warm-up came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarmupSource {
    /// The scenario file.
    Scenario,
    /// `--warmup-days D`.
    CommandLine,
    /// `--warmup-days auto`: MSER-5 on pilot replications.
    Auto,
}

/// Details of a run beyond the common settings; absent entries do not apply.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Details {
    /// `--warmup-days auto`: how the warm-up was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_choice: Option<WarmupChoice>,
    /// `run --precision P`: how the precision target was met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionReport>,
    /// `run --replay K`: the replication replayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<u64>,
    /// `sweep`, `compare --param`: what was swept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepDetails>,
}

/// What a sweep varied.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepDetails {
    /// `demand` or `TARGET.PARAM`.
    pub param: String,
    /// The values, in increasing order.
    pub values: Vec<f64>,
    /// The p95 limit as a multiple of the reference p95.
    pub p95_limit_factor: f64,
}

/// The warm-up chosen and how.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WarmupChoice {
    /// The chosen warm-up (days).
    pub warmup_days: f64,
    /// The method: always MSER-5.
    pub method: WarmupMethod,
    /// Pilot replications (warm-up 0, the scenario's horizon).
    pub pilot_replications: u64,
    /// Width of the time bins of the delivery series (days).
    pub bin_days: f64,
    /// Batches of five bins in the series.
    pub batches: usize,
    /// Batches truncated.
    pub truncated_batches: usize,
}

/// How a warm-up is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WarmupMethod {
    /// MSER-5 (White 1997; Franklin and White).
    #[serde(rename = "MSER-5")]
    Mser5,
}

/// How the precision target was met.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrecisionReport {
    /// Target: 95% half-width at most this share of the mean.
    pub target_relative_half_width: f64,
    /// True if every main figure met the target.
    pub reached: bool,
    /// Replications the figures rest on.
    pub replications: u64,
    /// The most replications allowed.
    pub max_replications: u64,
    /// Runs of replications it took.
    pub rounds: u32,
    /// Each main figure and its relative half-width at the end.
    pub figures: Vec<FigurePrecision>,
}

/// One figure's precision.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FigurePrecision {
    /// What it is: `delivered_trains_per_week`, `transit_mean_days` or
    /// `FLOW: transit_mean_days`.
    pub figure: String,
    /// Its mean.
    #[serde(with = "number")]
    pub mean: f64,
    /// 95% half-width / |mean|.
    #[serde(with = "number")]
    pub relative_half_width: f64,
}

/// One scenario with its files and every parameter after overrides.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioRecord {
    /// Scenario name.
    pub name: String,
    /// Scenario file.
    pub file: String,
    /// SHA-256 of the scenario file.
    pub file_sha256: String,
    /// The files the scenario extends (`extends`), nearest first, each with its
    /// SHA-256 (absent when it extends none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extends: Vec<FileRecord>,
    /// The `--set TARGET.PARAM=VALUE` changes given on the command line, in order,
    /// applied after the file's overrides (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// Network file.
    pub network_file: String,
    /// SHA-256 of the network file.
    pub network_sha256: String,
    /// Flows as run.
    pub flows: Vec<FlowRecord>,
    /// Overrides applied.
    pub overrides: Vec<OverrideRecord>,
    /// Disruptions.
    pub disruptions: Vec<DisruptionRecord>,
    /// The date of day 0, `YYYY-MM-DD` (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// The period of the time series (`month`, `week`, days; absent without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Overrides that hold between days (`from` / `until`), not in `network`
    /// (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dated_overrides: Vec<DatedOverrideRecord>,
    /// Trains waiting at day 0 (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backlog: Vec<BacklogRecord>,
    /// Embargoes (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embargoes: Vec<EmbargoRecord>,
    /// The network after overrides (uncertain inputs at their point values).
    pub network: NetworkRecord,
    /// The uncertain inputs (numbers given as ranges) and whether replications drew
    /// them (absent without any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<UncertainRecord>,
}

/// The uncertain inputs of a scenario as run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UncertainRecord {
    /// `sampled` (each replication drew every input once from its range) or `fixed`
    /// (`--inputs fixed`: every replication used the point values).
    pub inputs: String,
    /// The inputs, in the order of the columns of `replications.csv`.
    pub ranges: Vec<RangeRecord>,
}

/// One uncertain input and its range.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RangeRecord {
    /// `TARGET.PARAM`.
    pub input: String,
    /// `uniform` or `triangular`.
    pub shape: String,
    /// Smallest value (for a duration: of the factor on its draws).
    pub min: f64,
    /// Most likely value (triangular only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<f64>,
    /// Largest value.
    pub max: f64,
    /// The point value the network holds (the mode, or the midpoint).
    pub point: f64,
    /// True if the range is of a factor on a duration's distribution.
    pub scale: bool,
}

/// An embargo's rule.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbargoRecord {
    /// Node id.
    pub node: String,
    /// Dispatching stops when the backlog is above this.
    pub stop_above: f64,
    /// It resumes when the backlog is below this.
    pub resume_below: f64,
    /// `trains` or `wagons`.
    pub unit: String,
}

/// An override that holds between two days.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DatedOverrideRecord {
    /// The change.
    #[serde(flatten)]
    pub change: OverrideRecord,
    /// First day it holds.
    pub from_day: f64,
    /// First day it no longer holds (`null`: until the horizon).
    pub until_day: Option<f64>,
}

/// Trains of a flow waiting at a node at day 0.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BacklogRecord {
    /// Flow id.
    pub flow: String,
    /// Node id.
    pub at: String,
    /// Trains.
    pub trains: u32,
}

/// A flow's volume over time: factors on its level from days on, and a growth rate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProfileRecord {
    /// `[from_day, factor]` pairs (none before the first).
    pub steps: Vec<[f64; 2]>,
    /// Growth per year.
    pub growth_per_year: f64,
}

/// An input file and its hash.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileRecord {
    /// The file.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A flow as run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlowRecord {
    /// Flow id.
    pub id: String,
    /// Origin node id.
    pub from: String,
    /// Destination node id.
    pub to: String,
    /// Volume (trains per week).
    pub trains_per_week: f64,
    /// Arrival process.
    pub arrivals: ArrivalsRecord,
    /// Size of one train.
    pub train: TrainRecord,
    /// What "best" means for its routes.
    pub route_by: Criterion,
    /// How the volume changes over time, relative to `trains_per_week` (absent when it
    /// does not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileRecord>,
    /// How its trains choose routes.
    pub policy: PolicyRecord,
}

/// An arrival process.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalsRecord {
    /// Poisson arrivals at the mean rate.
    Poisson,
    /// Evenly spaced arrivals.
    Timetable {
        /// Time of the first train (days).
        offset_days: f64,
    },
    /// Poisson arrivals with monthly factors (January to December).
    Seasonal(Vec<f64>),
}

/// The size of one block train.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct TrainRecord {
    /// Wagons.
    pub wagons: u32,
    /// TEU carried.
    pub teu: f64,
    /// Tonnes carried.
    pub tonnes: f64,
}

/// How a flow's trains choose routes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyRecord {
    /// The best route through the `via` nodes.
    Fixed {
        /// Node ids to pass, in order.
        via: Vec<String>,
    },
    /// Trains shared over routes.
    Split(Vec<SplitRecord>),
    /// The best of the k best routes at each branch point.
    Adaptive {
        /// How many best routes to choose among.
        alternatives: usize,
    },
}

/// One share of a split flow.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SplitRecord {
    /// Node ids to pass, in order.
    pub via: Vec<String>,
    /// Share of the flow's trains.
    pub share: f64,
}

/// An override as applied.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OverrideRecord {
    /// Node or leg id.
    pub target: String,
    /// Parameter name.
    pub param: String,
    /// The change.
    pub change: ChangeRecord,
    /// The scenario's note on it.
    pub note: String,
}

/// The change an override makes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChangeRecord {
    /// A new number.
    Number {
        /// The value.
        value: f64,
    },
    /// A new distribution.
    Dist {
        /// The distribution.
        value: DistParams,
    },
    /// A factor on the current value or on every draw.
    Scale {
        /// The factor.
        factor: f64,
    },
    /// An amount added to the current value.
    Add {
        /// The amount.
        add: f64,
    },
}

/// A disruption.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DisruptionRecord {
    /// Node or leg id.
    pub target: String,
    /// When it strikes.
    pub timing: TimingRecord,
    /// How long each closure lasts (days).
    pub duration_days: DistParams,
}

/// When a disruption strikes.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TimingRecord {
    /// Once, at a given day.
    Scheduled {
        /// Day it starts.
        start_day: f64,
    },
    /// At random, a given number of times a year on average.
    Random {
        /// Closures per year (with monthly rates, the mean of the twelve).
        per_year: f64,
        /// Closures per year in each calendar month (January first), if seasonal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        per_year_by_month: Option<[f64; 12]>,
    },
}

/// Every parameter of the network as run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NetworkRecord {
    /// Network name.
    pub name: String,
    /// Nodes.
    pub nodes: Vec<NodeRecord>,
    /// Legs.
    pub legs: Vec<LegRecord>,
}

/// A node with every parameter.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodeRecord {
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
    /// Handling cost (USD per TEU).
    pub handling_usd_per_teu: f64,
    /// Its station, if it has one.
    pub resource: Option<StationRecord>,
    /// Its storage limit, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageRecord>,
}

/// A node's storage limit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StorageRecord {
    /// The limit, in `unit`s.
    pub limit: f64,
    /// `wagons` or `teu`.
    pub unit: String,
    /// `hold` or `refuse`.
    pub when_full: String,
}

/// A station's parameters.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StationRecord {
    /// Parallel servers.
    pub servers: u32,
    /// Service time (days).
    pub service_days: DistParams,
    /// How gauge is changed here, if it is.
    pub gauge_change: Option<GaugeChangeMethod>,
}

/// A leg with every parameter.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LegRecord {
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
    /// Travel or sailing time (days).
    pub travel_days: DistParams,
    /// Trains or trucks per day per direction; `null` without a limit.
    pub capacity_per_day: Option<f64>,
    /// TEU per truck (road legs).
    pub teu_per_truck: f64,
    /// Rail gauge (mm).
    pub gauge_mm: Option<u32>,
    /// Tariff (USD per TEU).
    pub tariff_usd_per_teu: f64,
    /// Emissions (kg CO2 per TEU-km).
    pub co2_kg_per_teu_km: f64,
    /// True if it runs only from `from` to `to`.
    pub one_way: bool,
    /// Its ferry service, if it has one.
    pub ferry: Option<FerryRecord>,
}

/// A ferry service's parameters.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FerryRecord {
    /// Vessels.
    pub vessels: u32,
    /// Wagons per sailing.
    pub wagons_per_sailing: u32,
    /// TEU per sailing, if limited.
    pub teu_per_sailing: Option<f64>,
    /// When vessels leave.
    pub departure: DepartureRecord,
    /// Time in port between sailings (days).
    pub turnaround_days: DistParams,
    /// Storm closures, if any.
    pub weather: Option<WeatherRecord>,
}

/// When ferries leave.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DepartureRecord {
    /// At fixed times.
    Timetable {
        /// Interval between sailings (days).
        every_days: f64,
        /// Time of the first sailing (days).
        first_days: f64,
    },
    /// When full, or after a longest wait.
    WhenFull {
        /// Longest a loaded vessel waits (days).
        max_wait_days: f64,
    },
}

/// Storm closures of a crossing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeatherRecord {
    /// Closures per year (with monthly rates, the mean of the twelve).
    pub closures_per_year: f64,
    /// Closures per year in each calendar month (January first), if seasonal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closures_per_year_by_month: Option<[f64; 12]>,
    /// Duration of a closure (days).
    pub closure_days: DistParams,
}
