//! The validated scenario: run settings, demand flows, overrides, disruptions, sweeps.
//!
//! A [`Scenario`] is built only by [`crate::input`], against the network it names, so
//! every node or leg it refers to exists.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, Period};
use crate::dist::Dist;
use crate::network::{Change, Departure, Network, NodeId, Param, Target, UncertainInput, limits};

/// What "best" means for a route.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Least expected days.
    #[default]
    Time,
    /// Least USD per TEU.
    Cost,
    /// Least kg CO2 per TEU.
    Co2,
}

impl Criterion {
    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Criterion::Time => "time",
            Criterion::Cost => "cost",
            Criterion::Co2 => "co2",
        }
    }
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// The scenario file.
    pub path: PathBuf,
    /// The network file, resolved against the scenario file's folder.
    pub network_path: PathBuf,
    /// How long and how often to run.
    pub run: RunSettings,
    /// Demand.
    pub flows: Vec<Flow>,
    /// Changes made to the network before running (already applied to the network
    /// returned with the scenario).
    pub overrides: Vec<Override>,
    /// Closures.
    pub disruptions: Vec<Disruption>,
    /// The sweep declared in the file, if any.
    pub sweep: Option<Sweep>,
    /// The files this scenario extends (`extends = "..."`), nearest first; empty for a
    /// file that extends none.
    pub bases: Vec<PathBuf>,
    /// The command-line changes (`--set TARGET.PARAM=VALUE`) applied after the file's
    /// overrides, as given.
    pub sets: Vec<String>,
    /// Where day 0 is (`start_date`).
    pub calendar: Calendar,
    /// Changes that apply between dates (`from` / `until`), in file order; not applied
    /// to the network returned with the scenario, which is the corridor at day 0
    /// before them.
    pub dated: Vec<DatedOverride>,
    /// Trains already in the corridor at day 0.
    pub backlog: Vec<Backlog>,
    /// Results over time: the period to group them by (`None`: no time series).
    pub period: Option<Period>,
    /// Train classes (`classes = [...]`), highest priority first; empty: every queue
    /// is first come, first served.
    pub classes: Vec<String>,
    /// The uncertain inputs of the run: the network file's ranges as the overrides
    /// left them, then the overrides' own, in file order. The network returned with
    /// the scenario holds their point values.
    pub uncertain: Vec<UncertainInput>,
    /// Whether replications draw the uncertain inputs (`--inputs sampled`, the
    /// default) or use their point values (`--inputs fixed`).
    pub inputs: InputMode,
    /// Embargoes (`[[embargo]]`), in file order.
    pub embargoes: Vec<Embargo>,
}

/// An embargo: while the backlog at `node` is above `stop_above`, trains of the flows
/// routed through it wait at their origin; dispatching resumes below `resume_below`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Embargo {
    /// The node whose backlog is watched.
    pub node: NodeId,
    /// The backlog above which dispatching stops.
    pub stop_above: f64,
    /// The backlog below which it resumes (`1 <= resume_below <= stop_above`).
    pub resume_below: f64,
    /// The backlog counts wagons (else trains).
    pub wagons: bool,
}

/// How replications treat uncertain inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputMode {
    /// Each replication draws every uncertain input once from its range.
    #[default]
    Sampled,
    /// Every replication uses the point values.
    Fixed,
}

impl InputMode {
    /// The name used on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            InputMode::Sampled => "sampled",
            InputMode::Fixed => "fixed",
        }
    }
}

impl Scenario {
    /// The uncertain inputs replications draw: none with `--inputs fixed`.
    pub fn sampled_inputs(&self) -> &[UncertainInput] {
        match self.inputs {
            InputMode::Sampled => &self.uncertain,
            InputMode::Fixed => &[],
        }
    }
}

/// A network change that holds from one day until another.
#[derive(Clone, Debug)]
pub struct DatedOverride {
    /// Its `id`, by which a sweep moves its date (`from:ID`).
    pub id: Option<String>,
    /// The change.
    pub change: Override,
    /// First day it applies.
    pub from_day: f64,
    /// First day it no longer applies (`None`: until the horizon).
    pub until_day: Option<f64>,
}

impl DatedOverride {
    /// True if the change applies on day `t`.
    pub fn applies_on(&self, t: f64) -> bool {
        self.from_day <= t && self.until_day.is_none_or(|u| t < u)
    }
}

/// Trains of one flow waiting at one node at day 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Backlog {
    /// Index of the flow in [`Scenario::flows`].
    pub flow: usize,
    /// The node they wait at (its station, or the ferry port that departs from it).
    pub at: NodeId,
    /// How many trains.
    pub trains: u32,
}

/// A flow's demand over time, relative to its level `trains_per_week`: the rate at
/// day `t` is the level times [`RateProfile::multiplier`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RateProfile {
    /// `(from_day, factor)` pairs, increasing in day: the factor holds from its day
    /// until the next pair's; before the first pair the rate is zero. Empty: factor 1.
    pub steps: Vec<(f64, f64)>,
    /// Growth per year (0.1 = +10% a year, compounded continuously from day 0 at
    /// `ln(1.1)` per year).
    pub growth_per_year: f64,
}

impl RateProfile {
    /// True if the rate does not change over time.
    pub fn is_flat(&self) -> bool {
        self.steps.is_empty() && self.growth_per_year == 0.0
    }

    /// The step factor on day `t`, and the day it next changes (infinity if never).
    pub fn step_at(&self, t: f64) -> (f64, f64) {
        if self.steps.is_empty() {
            return (1.0, f64::INFINITY);
        }
        let i = self.steps.partition_point(|(d, _)| *d <= t);
        let factor = if i == 0 { 0.0 } else { self.steps[i - 1].1 };
        let next = self.steps.get(i).map_or(f64::INFINITY, |(d, _)| *d);
        (factor, next)
    }

    /// The growth factor on day `t`.
    pub fn growth_at(&self, t: f64) -> f64 {
        if self.growth_per_year == 0.0 {
            1.0
        } else {
            (self.growth_per_year.ln_1p() * t / 365.0).exp()
        }
    }

    /// The factor on the level at day `t`.
    pub fn multiplier(&self, t: f64) -> f64 {
        self.step_at(t).0 * self.growth_at(t)
    }

    /// The integral of the multiplier over `[a, b)` (days), exactly (piecewise
    /// constant steps times an exponential).
    pub fn integral(&self, a: f64, b: f64) -> f64 {
        let g = self.growth_per_year.ln_1p() / 365.0;
        let grown = |x: f64, y: f64| {
            if g == 0.0 {
                y - x
            } else {
                ((g * y).exp() - (g * x).exp()) / g
            }
        };
        let mut total = 0.0;
        let mut t = a;
        while t < b {
            let (factor, next) = self.step_at(t);
            let end = next.min(b);
            total += factor * grown(t, end);
            t = end;
        }
        total
    }
}

/// How long and how often to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSettings {
    /// Simulated time, warm-up included (days).
    pub horizon_days: f64,
    /// Initial period whose observations are discarded (days).
    pub warmup_days: f64,
    /// Number of replications.
    pub replications: u64,
    /// Master seed.
    pub seed: u64,
    /// Most trains in the system at once; a replication that reaches it stops and is
    /// reported as saturated (see [`crate::sim::Saturation`]).
    pub max_trains_in_system: u64,
}

/// Block trains from an origin to a destination.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Id used in results.
    pub id: String,
    /// The group the flow belongs to (`group = "..."`; its id when not given), for
    /// sweeps and capacity searches of one group's demand.
    pub group: String,
    /// Origin.
    pub from: NodeId,
    /// Destination.
    pub to: NodeId,
    /// Mean volume (block trains per week).
    pub trains_per_week: f64,
    /// How trains arrive.
    pub arrivals: Arrivals,
    /// Size of one train.
    pub train: TrainSize,
    /// How trains choose routes.
    pub policy: RoutePolicy,
    /// What "best" means when routes are chosen.
    pub route_by: Criterion,
    /// How the volume changes over time (flat unless the file gives rates by date,
    /// monthly volumes or a growth rate).
    pub profile: RateProfile,
    /// Its train class, an index into [`Scenario::classes`] (0 when there are none).
    pub class: u32,
}

/// Arrival processes.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrivals {
    /// Poisson arrivals at the mean rate.
    Poisson,
    /// Evenly spaced arrivals, the first at `offset_days`.
    Timetable {
        /// Time of the first train (days).
        offset_days: f64,
    },
    /// Poisson arrivals whose rate is the mean rate times the month's factor.
    Seasonal {
        /// Factors for January to December (their mean is 1).
        factors: [f64; 12],
    },
}

/// Size of one block train.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainSize {
    /// Wagons.
    pub wagons: u32,
    /// TEU carried.
    pub teu: f64,
    /// Tonnes carried.
    pub tonnes: f64,
}

/// How a flow's trains choose their routes.
#[derive(Clone, Debug, PartialEq)]
pub enum RoutePolicy {
    /// Every train takes the best route through the `via` nodes.
    Fixed {
        /// Nodes to pass, in order.
        via: Vec<NodeId>,
    },
    /// Trains are shared over routes.
    Split(Vec<SplitRoute>),
    /// At each branch point, the alternative with the least expected remaining time.
    Adaptive {
        /// How many best routes to choose among.
        alternatives: usize,
    },
}

/// One share of a split flow.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitRoute {
    /// Nodes the route passes, in order.
    pub via: Vec<NodeId>,
    /// Share of the flow's trains.
    pub share: f64,
}

/// A change to one network parameter.
#[derive(Clone, Debug)]
pub struct Override {
    /// Node or leg.
    pub target: Target,
    /// Parameter.
    pub param: Param,
    /// New value or factor.
    pub change: Change,
    /// Why.
    pub note: String,
}

/// Closures of a node or leg.
#[derive(Clone, Debug)]
pub struct Disruption {
    /// What closes.
    pub target: Target,
    /// When.
    pub timing: DisruptionTiming,
    /// How long one closure lasts (days).
    pub duration_days: Dist,
}

/// When closures happen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DisruptionTiming {
    /// Once, from this day.
    Scheduled {
        /// First day closed.
        start_day: f64,
    },
    /// At random (Poisson).
    Random {
        /// Mean closures per year (with monthly rates, the mean of the twelve).
        per_year: f64,
        /// Rates by calendar month (closures per year while that month lasts, January
        /// first), if the closures are seasonal: a non-homogeneous Poisson process.
        by_month: Option<[f64; 12]>,
    },
}

/// A parameter to sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepParam {
    /// A multiplier on every flow's volume.
    Demand,
    /// A multiplier on the volume of one group's flows (`demand:GROUP`): the index of
    /// the group in [`Scenario::groups`].
    DemandGroup(u32),
    /// A network parameter.
    Network(Target, Param),
    /// The first day of a dated override (`from:ID`): the index of the override in
    /// [`Scenario::dated`]; the value is a day number.
    DatedFrom(u32),
}

/// A sweep declared in a scenario file.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// What varies.
    pub param: SweepParam,
    /// Its values.
    pub values: Vec<f64>,
    /// Largest acceptable p95 transit, as a multiple of its value at the first point.
    pub p95_limit_factor: f64,
}

impl Scenario {
    /// Offered block trains per week over all flows.
    pub fn offered_trains_per_week(&self) -> f64 {
        self.flows.iter().map(|f| f.trains_per_week).sum()
    }

    /// The flow groups, each once, in the order of their first flow.
    pub fn groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for f in &self.flows {
            if !groups.contains(&f.group.as_str()) {
                groups.push(&f.group);
            }
        }
        groups
    }
}

impl SweepParam {
    /// True for a factor on demand (every flow's or one group's).
    pub fn is_demand(self) -> bool {
        matches!(self, SweepParam::Demand | SweepParam::DemandGroup(_))
    }
}

/// Checks that the observation window (horizon minus warm-up) is long enough.
pub fn check_window(horizon_days: f64, warmup_days: f64) -> Result<(), String> {
    if warmup_days >= horizon_days {
        Err(format!(
            "the warm-up ({warmup_days} days) must be shorter than the horizon ({horizon_days} days)"
        ))
    } else if horizon_days - warmup_days < limits::MIN_WINDOW_DAYS {
        Err(format!(
            "the observation window, horizon ({horizon_days} days) minus warm-up ({warmup_days} days), is shorter than one minute ({} days); rates and averages need a longer window",
            limits::MIN_WINDOW_DAYS
        ))
    } else {
        Ok(())
    }
}

/// Checks that a replication of this scenario on this network does a bounded amount of
/// work: trains offered, timetabled sailings, closures, road units and vessel absences
/// expected over the horizon.
/// The error names what is too much and the bound.
pub fn check_work(scenario: &Scenario, network: &Network) -> Result<(), String> {
    let horizon = scenario.run.horizon_days;
    let trains: f64 = scenario
        .flows
        .iter()
        .map(|f| f.trains_per_week / 7.0 * f.profile.integral(0.0, horizon))
        .sum::<f64>()
        + scenario
            .backlog
            .iter()
            .map(|b| f64::from(b.trains))
            .sum::<f64>();
    if trains.is_nan() || trains > limits::MAX_TRAINS_PER_REPLICATION {
        return Err(format!(
            "the flows offer about {trains:.3e} trains per replication over {horizon} days, more than {:e}; lower the demand or shorten the horizon and add replications",
            limits::MAX_TRAINS_PER_REPLICATION
        ));
    }
    let mut events = 0.0;
    for leg in &network.legs {
        if let Some(f) = &leg.ferry {
            if let Departure::Timetable { every_days, .. } = f.departure {
                events += 2.0 * horizon / every_days;
            }
            if let Some(r) = &f.road {
                let ports = if leg.one_way { 1.0 } else { 2.0 };
                events += ports * r.units_per_day * horizon;
            }
            if let Some(a) = &f.availability {
                // A due event and a return per absence.
                events += 2.0 * f64::from(f.vessels) * a.absences_per_year * horizon / 365.0;
            }
            if let Some(w) = &f.weather {
                let peak = w
                    .closures_per_year_by_month
                    .map_or(w.closures_per_year, |m| {
                        m.iter().copied().fold(0.0, f64::max)
                    });
                events += peak * horizon / 365.0;
            }
        }
    }
    for d in &scenario.disruptions {
        if let DisruptionTiming::Random { per_year, by_month } = d.timing {
            let peak = by_month.map_or(per_year, |m| m.iter().copied().fold(0.0, f64::max));
            events += peak * horizon / 365.0;
        }
    }
    if events.is_nan() || events > limits::MAX_EVENTS_PER_REPLICATION {
        return Err(format!(
            "timetabled sailings, closures, road units and vessel absences come to about {events:.3e} per replication over {horizon} days, more than {:e}; use longer intervals between sailings, fewer closures or road units, or a shorter horizon",
            limits::MAX_EVENTS_PER_REPLICATION
        ));
    }
    Ok(())
}
