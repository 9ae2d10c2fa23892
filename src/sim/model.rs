//! The simulation model: a network and a scenario compiled into flat, indexed arrays
//! (resources, routes as step lists, closures), built once and then shared read-only
//! by every replication.

use std::fmt;
use std::sync::Arc;

use rand::RngExt;

use crate::calendar::{Calendar, Period};
use crate::dist::Dist;
use crate::network::{Departure, LegId, Mode, Network, NodeId, RoadDeck, Target, UncertainInput};
use crate::routing::{
    self, Route, Router, ferry_capacity_wagons_per_day, sailing_interval_days, trucks_for,
};
use crate::scenario::{
    Arrivals, DisruptionTiming, RateProfile, RoutePolicy, Scenario, TrainSize, check_window,
    check_work,
};

use super::engine::{RNG_INPUT, component_rng};
use super::time::{SimTime, to_ms};

/// Why a model could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A flow has no route (after overrides).
    #[error("flow `{flow}` has no route from `{from}` to `{to}`")]
    NoRoute {
        /// Flow id.
        flow: String,
        /// Origin id.
        from: String,
        /// Destination id.
        to: String,
    },
    /// The model would exceed a bound the machine can honour (work or window).
    #[error("{0}")]
    Bounds(String),
}

/// A compiled, immutable simulation model.
#[derive(Clone, Debug)]
pub struct Model {
    pub(crate) horizon: SimTime,
    pub(crate) warmup: SimTime,
    pub(crate) stations: Vec<StationModel>,
    pub(crate) sections: Vec<SectionModel>,
    pub(crate) ferries: Vec<FerryModel>,
    pub(crate) flows: Vec<FlowModel>,
    pub(crate) routes: Vec<RouteModel>,
    /// Every route's steps back to back (route `r` at `routes[r].start`), so the event
    /// loop finds a train's next step with one index.
    pub(crate) steps: Vec<Step>,
    pub(crate) closures: Vec<ClosureModel>,
    /// Most trains in the system at once before a replication stops as saturated.
    pub(crate) max_trains_in_system: u64,
    /// The parameters in force from each change date on (`regimes[0]` from day 0; the
    /// others from the dated overrides' `from` and `until` days), in time order.
    pub(crate) regimes: Vec<Regime>,
    /// Where day 0 is (months of seasonal factors; dates in outputs).
    pub(crate) calendar: Calendar,
    /// Trains placed in the corridor at day 0.
    pub(crate) backlog: Vec<BacklogModel>,
    /// Results over time: the start of every period (empty: no time series).
    pub(crate) period_starts: Vec<SimTime>,
    /// The period, if time series are on.
    pub(crate) period: Option<Period>,
    resources: Vec<ResourceInfo>,
    /// For each resource slot (stations, then sections, then ports), its index in
    /// `resources`, or `None` if no route uses it.
    pub(crate) slot_to_resource: Vec<Option<u32>>,
    flow_info: Vec<FlowInfo>,
    /// For each ferry port, the lightest wagon (tare excluded, tonnes) of the flows
    /// through it: a vessel whose weight room is below its class tare plus this is full.
    pub(crate) port_lightest_wagon_t: Vec<f64>,
    /// Train classes, highest priority first (empty: every queue is first come, first
    /// served). With two or more, queues order their trains by class.
    pub(crate) classes: Vec<String>,
    /// The uncertain inputs each replication draws, with what it takes to rebuild
    /// the parameters from the drawn values (`None`: none, or `--inputs fixed`).
    uncertain: Option<Arc<Uncertain>>,
    /// Nodes with a storage limit that some route reaches (empty: no limits, and the
    /// engine never looks at them).
    pub(crate) stores: Vec<StoreModel>,
    /// For each step of [`Model::steps`], the store of the node it is at, or
    /// [`NO_STORE`] (empty when there are no stores).
    pub(crate) store_of_step: Vec<u32>,
    store_info: Vec<StoreInfo>,
    /// Embargoes (empty: none, and the engine never looks at them).
    pub(crate) embargoes: Vec<EmbargoModel>,
    embargo_info: Vec<EmbargoInfo>,
}

/// An embargo as reported in results.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbargoInfo {
    /// Node id.
    pub node: String,
    /// The backlog above which dispatching stops.
    pub stop_above: f64,
    /// The backlog below which it resumes.
    pub resume_below: f64,
    /// `trains` or `wagons`.
    pub unit: &'static str,
}

/// A storage limit as reported in results.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreInfo {
    /// Node id.
    pub node: String,
    /// The limit, in `unit`s.
    pub limit: f64,
    /// What it counts: `wagons` or `teu`.
    pub unit: &'static str,
    /// Turns full arrivals away (`refuse`) instead of holding them (`hold`).
    pub refuse: bool,
}

/// No store: a step between nodes or at a node without a storage limit.
pub(crate) const NO_STORE: u32 = u32::MAX;

/// A node's storage limit, in engine units: wagons, or thousandths of a TEU.
#[derive(Clone, Debug)]
pub(crate) struct StoreModel {
    /// The node's index in the network.
    pub(crate) node: NodeId,
    /// The limit (units).
    pub(crate) limit: u64,
    /// Counts TEU (each train its [`FlowModel::teu_milli`]) rather than wagons.
    pub(crate) teu: bool,
    /// Arrivals at a full node are turned away rather than held.
    pub(crate) refuse: bool,
    /// Units of the smallest train that comes here: the store is full while it has
    /// no room for this.
    pub(crate) min_units: u64,
    /// The node has a storage limit (else it only counts its backlog for an
    /// embargo, and its limit is `u64::MAX`).
    pub(crate) limited: bool,
    /// The embargo watching this node, or [`NO_STORE`].
    pub(crate) embargo: u32,
}

/// An embargo, in engine units.
#[derive(Clone, Debug)]
pub(crate) struct EmbargoModel {
    /// The store counting its node's backlog.
    pub(crate) store: u32,
    /// Dispatching stops when the backlog is above this.
    pub(crate) stop_above: f64,
    /// It resumes when the backlog is below this.
    pub(crate) resume_below: f64,
    /// The backlog counts wagons (else trains).
    pub(crate) wagons: bool,
}

impl StoreModel {
    /// The units a train of `flow` takes here.
    #[inline]
    pub(crate) fn units(&self, flow: &FlowModel) -> u64 {
        if self.teu {
            flow.teu_milli
        } else {
            u64::from(flow.train.wagons)
        }
    }
}

/// What a replication needs to draw its inputs and rebuild its parameters.
#[derive(Debug)]
struct Uncertain {
    /// The network at the point values (the scenario's overrides applied).
    network: Network,
    /// The scenario (dated overrides, disruptions, flows).
    scenario: Scenario,
}

/// The resource parameters in force from a day on.
#[derive(Clone, Debug)]
pub(crate) struct Regime {
    /// First moment they apply.
    pub(crate) at: SimTime,
    pub(crate) stations: Vec<StationModel>,
    pub(crate) sections: Vec<SectionModel>,
    pub(crate) ferries: Vec<FerryModel>,
}

/// Trains of a flow waiting at one step of a route at day 0.
#[derive(Clone, Debug)]
pub(crate) struct BacklogModel {
    pub(crate) flow: u32,
    pub(crate) route: u32,
    /// The step they wait for, as an index into [`Model::steps`].
    pub(crate) step: u32,
    pub(crate) trains: u32,
}

/// A node's station.
#[derive(Clone, Debug)]
pub(crate) struct StationModel {
    pub(crate) servers: u32,
    pub(crate) service: Dist,
}

/// One direction of a rail or road leg.
#[derive(Clone, Debug)]
pub(crate) struct SectionModel {
    /// Minimum time between two units (trains or trucks) entering (ms); 0 = no limit.
    pub(crate) headway_ms: u64,
    pub(crate) travel: Dist,
}

/// A ferry service; its ports are `2 * index` (at `from`) and `2 * index + 1` (at `to`).
#[derive(Clone, Debug)]
pub(crate) struct FerryModel {
    pub(crate) one_way: bool,
    pub(crate) vessels: u32,
    pub(crate) timetable: Option<(SimTime, u64)>,
    pub(crate) max_wait_ms: u64,
    pub(crate) sailing: Dist,
    pub(crate) turnaround: Dist,
    /// Wagons per day one direction can carry at most.
    pub(crate) capacity_wagons_per_day: f64,
    /// Mean interval between sailings from one port (days), for route estimates.
    pub(crate) interval_days: f64,
    /// The fleet's classes (one, from `vessels`, `wagons` and `teu`, for a fleet of
    /// identical vessels); vessel `i` of the service belongs to the class whose
    /// cumulative count first exceeds `i`.
    pub(crate) classes: Vec<ClassModel>,
    /// Mean deck wagons of one vessel (utilisation, route estimates).
    pub(crate) mean_wagons: f64,
    /// Share of deadweight a sailing may load.
    pub(crate) load_factor: f64,
    /// Monthly factors on `load_factor` (January first).
    pub(crate) load_factor_by_month: Option<[f64; 12]>,
    /// Random absences of each vessel: (absences per year in service, length).
    pub(crate) availability: Option<(f64, Dist)>,
    /// Road units sharing the decks.
    pub(crate) road: Option<RoadDeck>,
}

/// One vessel class of a ferry service.
#[derive(Clone, Debug)]
pub(crate) struct ClassModel {
    pub(crate) count: u32,
    pub(crate) wagons: u32,
    pub(crate) teu: Option<f64>,
    pub(crate) deadweight_t: Option<f64>,
    pub(crate) tare_t: f64,
}

impl FerryModel {
    /// The class of the service's vessel number `i` (in creation order); vessels
    /// beyond the classes' counts (joining on dates) take the last class.
    pub(crate) fn class_of(&self, i: u32) -> u32 {
        let mut acc = 0;
        for (c, cl) in self.classes.iter().enumerate() {
            acc += cl.count;
            if i < acc {
                return c as u32;
            }
        }
        (self.classes.len() - 1) as u32
    }

    /// The lowest load factor in force in any month.
    pub(crate) fn min_load_factor(&self) -> f64 {
        self.load_factor
            * self
                .load_factor_by_month
                .map_or(1.0, |m| m.into_iter().fold(1.0, f64::min))
    }
}

/// A flow's demand and routes.
#[derive(Clone, Debug)]
pub(crate) struct FlowModel {
    /// Mean interval between trains (days).
    pub(crate) mean_interval_days: f64,
    pub(crate) arrivals: Arrivals,
    pub(crate) train: TrainSize,
    pub(crate) teu_per_wagon: f64,
    /// Global route indices of this flow's routes.
    pub(crate) routes: Vec<u32>,
    /// Split policy: cumulative shares, one per route; empty otherwise.
    pub(crate) split_cumulative: Vec<f64>,
    pub(crate) adaptive: bool,
    /// How the rate changes over time (factors on `1 / mean_interval_days`).
    pub(crate) profile: RateProfile,
    /// Train class (index into [`Model::classes`]; 0 without classes).
    pub(crate) class: u32,
    /// TEU of one train in thousandths (rounded), for TEU storage limits.
    pub(crate) teu_milli: u64,
}

/// One thing a train goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A node's station.
    Station(u32),
    /// A line section, entered by `units` trains or trucks.
    Section { section: u32, units: u32 },
    /// A ferry port (then the crossing).
    Port(u32),
}

/// A route compiled into steps.
#[derive(Clone, Debug)]
pub(crate) struct RouteModel {
    /// Index of the route within its flow.
    pub(crate) index_in_flow: u32,
    /// Where its steps start in [`Model::steps`].
    pub(crate) start: u32,
    /// How many steps it has.
    pub(crate) len: u32,
    /// Bit `e` set: the route has a step at the node of embargo `e`.
    pub(crate) embargo_mask: u64,
    /// For each step position, the routes of the same flow that share this route's
    /// history up to there and part ways at it (adaptive flows only).
    pub(crate) branches: Vec<Vec<u32>>,
}

/// A resource a closure acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Res {
    Station(u32),
    Section(u32),
    /// A ferry service: both its ports.
    Ferry(u32),
}

/// A source of closures: a scenario disruption or a ferry's weather.
#[derive(Clone, Debug)]
pub(crate) struct ClosureModel {
    pub(crate) targets: Vec<Res>,
    pub(crate) timing: DisruptionTiming,
    pub(crate) duration: Dist,
}

/// A resource as reported in results.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceInfo {
    /// Node or leg id.
    pub id: String,
    /// `station`, `rail`, `road` or `ferry`.
    pub kind: ResourceKind,
    /// Node kind for stations (`sea_port`, `gauge_change`, ...); mode otherwise.
    pub detail: String,
    /// For legs, the node the traffic comes from.
    pub from: Option<String>,
    /// For legs, the node the traffic goes to.
    pub to: Option<String>,
    /// Servers (stations), trains or trucks per day (sections; 0 = no limit), wagons
    /// per day (ferries).
    pub capacity: f64,
}

impl ResourceInfo {
    /// The name a person reads: `FROM->TO` for a leg direction (with the leg's id when
    /// it is not simply `FROM-TO`), the node id for a station.
    pub fn label(&self) -> String {
        match (&self.from, &self.to) {
            (Some(a), Some(b)) if self.id != format!("{a}-{b}") => {
                format!("{} ({a}->{b})", self.id)
            }
            (Some(a), Some(b)) => format!("{a}->{b}"),
            _ => self.id.clone(),
        }
    }
}

/// Kinds of resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// Parallel servers at a node.
    Station,
    /// One direction of a rail leg.
    Rail,
    /// One direction of a road leg.
    Road,
    /// One direction of a ferry service (its departure port).
    Ferry,
}

impl ResourceKind {
    /// The name used in results.
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::Station => "station",
            ResourceKind::Rail => "rail",
            ResourceKind::Road => "road",
            ResourceKind::Ferry => "ferry",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A flow as reported in results.
#[derive(Clone, Debug)]
pub struct FlowInfo {
    /// Flow id.
    pub id: String,
    /// The flow's group (its id unless the scenario gives one).
    pub group: String,
    /// Origin node id.
    pub from: String,
    /// Destination node id.
    pub to: String,
    /// Offered trains per week.
    pub trains_per_week: f64,
    /// Size of one train.
    pub train: TrainSize,
    /// The routes trains may take: node ids, and the static expected days.
    pub routes: Vec<RouteInfo>,
    /// Its train class, an index into [`Model::classes`] (0 without classes).
    pub class: u32,
}

/// A route as reported in results.
#[derive(Clone, Debug)]
pub struct RouteInfo {
    /// Node ids visited.
    pub nodes: Vec<String>,
    /// Expected days without queueing.
    pub expected_days: f64,
    /// Length (km).
    pub km: f64,
    /// The legs it takes, in order: the leg's index in the network and whether it is
    /// taken from its `from` to its `to`.
    pub hops: Vec<(u32, bool)>,
}

impl Model {
    /// Compiles a network and a scenario into a model.
    ///
    /// Refuses ([`ModelError::Bounds`]) a scenario whose replications would do
    /// unbounded work (see [`crate::scenario::check_work`]) or whose window is too
    /// short, whatever set them (file, command line, sweep).
    pub fn new(network: &Network, scenario: &Scenario) -> Result<Model, ModelError> {
        check_window(scenario.run.horizon_days, scenario.run.warmup_days)
            .and_then(|()| check_work(scenario, network))
            .map_err(ModelError::Bounds)?;
        let mut b = Builder::new(network, scenario);
        let regimes = build_regimes(network, scenario).map_err(ModelError::Bounds)?;
        let inputs = scenario.sampled_inputs();
        let mut extreme_regimes = Vec::new();
        // Routes are chosen from the point values; every draw stays between the ends
        // of its range, so checking the bounds there covers every replication (work
        // and weight grow or shrink with each input).
        for end in [false, true] {
            if inputs.is_empty() {
                break;
            }
            let mut net = network.clone();
            for u in inputs {
                let x = if end { u.range.max() } else { u.range.min() };
                net.apply(u.target, u.param, &u.change(x)).map_err(|e| {
                    ModelError::Bounds(format!("uncertain input `{}` at {x}: {e}", u.label))
                })?;
            }
            check_work(scenario, &net).map_err(|e| {
                ModelError::Bounds(format!(
                    "with every uncertain input at the {} of its range: {e}",
                    if end { "top" } else { "bottom" }
                ))
            })?;
            extreme_regimes.push(build_regimes(&net, scenario).map_err(ModelError::Bounds)?);
        }
        // The model's own arrays are those in force at day 0.
        b.stations = regimes[0].stations.clone();
        b.sections = regimes[0].sections.clone();
        b.ferries = regimes[0].ferries.clone();
        // A section that costs nothing at day 0 may cost something later.
        b.keep_section = (0..b.sections.len())
            .map(|i| {
                regimes
                    .iter()
                    .any(|r| r.sections[i].headway_ms > 0 || !r.sections[i].travel.is_zero())
            })
            .collect();
        let router = Router::new(network);
        let mut flows = Vec::new();
        let mut flow_info = Vec::new();
        let mut routes = Vec::new();
        let mut steps = Vec::new();
        for flow in &scenario.flows {
            let found: Option<Vec<(Route, f64)>> = router
                .policy_routes(flow)
                .into_iter()
                .enumerate()
                .map(|(j, r)| {
                    let share = match &flow.policy {
                        RoutePolicy::Split(parts) => parts[j].share,
                        _ => 1.0,
                    };
                    r.map(|r| (r, share))
                })
                .collect();
            let found = found.unwrap_or_default();
            let missing = found.is_empty();
            if missing {
                return Err(ModelError::NoRoute {
                    flow: flow.id.clone(),
                    from: network.node(flow.from).id.clone(),
                    to: network.node(flow.to).id.clone(),
                });
            }
            let first = routes.len() as u32;
            let mut cumulative = Vec::new();
            let mut acc = 0.0;
            let mut infos = Vec::new();
            let mut hop_positions = Vec::new();
            for (i, (r, share)) in found.iter().enumerate() {
                acc += share;
                cumulative.push(acc);
                let costs = routing::route_costs(network, r, &flow.train);
                infos.push(RouteInfo {
                    nodes: r.node_names(network),
                    expected_days: costs.days,
                    km: costs.km,
                    hops: r.hops.iter().map(|h| (h.leg.0, h.forward)).collect(),
                });
                let (route_steps, positions) = b.steps(r, &flow.train);
                hop_positions.push(positions);
                routes.push(RouteModel {
                    index_in_flow: i as u32,
                    start: steps.len() as u32,
                    len: route_steps.len() as u32,
                    branches: Vec::new(),
                    embargo_mask: 0,
                });
                steps.extend(route_steps);
            }
            let adaptive = matches!(flow.policy, RoutePolicy::Adaptive { .. });
            if adaptive {
                add_branches(&mut routes[first as usize..], &found, &hop_positions, first);
            }
            flows.push(FlowModel {
                mean_interval_days: 7.0 / flow.trains_per_week,
                arrivals: flow.arrivals.clone(),
                train: flow.train,
                teu_per_wagon: flow.train.teu / flow.train.wagons as f64,
                routes: (first..routes.len() as u32).collect(),
                split_cumulative: if matches!(flow.policy, RoutePolicy::Split(_)) {
                    cumulative
                } else {
                    Vec::new()
                },
                adaptive,
                profile: flow.profile.clone(),
                class: flow.class,
                teu_milli: (flow.train.teu * 1000.0).round() as u64,
            });
            let h = scenario.run.horizon_days;
            flow_info.push(FlowInfo {
                id: flow.id.clone(),
                group: flow.group.clone(),
                from: network.node(flow.from).id.clone(),
                to: network.node(flow.to).id.clone(),
                trains_per_week: flow.trains_per_week * flow.profile.integral(0.0, h) / h,
                train: flow.train,
                routes: infos,
                class: flow.class,
            });
        }
        let port_lightest_wagon_t = lightest_wagons(&regimes, &flows, &routes, &steps, scenario)?;
        for r in &extreme_regimes {
            lightest_wagons(r, &flows, &routes, &steps, scenario)?;
        }
        let closures = b.closures(scenario);
        let (resources, slot_to_resource) = b.resources(&steps);
        let (stores, store_of_step, embargoes) =
            b.stores(&steps, &flows, &mut routes, &scenario.embargoes);
        let backlog = b.backlog(scenario, &flows, &routes, &steps)?;
        let horizon = scenario.run.horizon_days;
        let period_starts = scenario.period.map_or_else(Vec::new, |p| {
            scenario
                .calendar
                .period_starts(p, horizon)
                .into_iter()
                .map(SimTime::from_days)
                .collect()
        });
        Ok(Model {
            regimes,
            calendar: scenario.calendar,
            backlog,
            period_starts,
            period: scenario.period,
            horizon: SimTime::from_days(scenario.run.horizon_days),
            warmup: SimTime::from_days(scenario.run.warmup_days),
            stations: b.stations,
            sections: b.sections,
            ferries: b.ferries,
            flows,
            routes,
            steps,
            closures,
            max_trains_in_system: scenario.run.max_trains_in_system.max(1),
            resources,
            slot_to_resource,
            flow_info,
            port_lightest_wagon_t,
            classes: scenario.classes.clone(),
            embargo_info: scenario
                .embargoes
                .iter()
                .filter(|e| {
                    embargoes
                        .iter()
                        .any(|m| stores[m.store as usize].node == e.node)
                })
                .map(|e| EmbargoInfo {
                    node: network.node(e.node).id.clone(),
                    stop_above: e.stop_above,
                    resume_below: e.resume_below,
                    unit: if e.wagons { "wagons" } else { "trains" },
                })
                .collect(),
            embargoes,
            store_info: stores
                .iter()
                .filter(|st| st.limited)
                .map(|st| {
                    let spec = network
                        .node(st.node)
                        .storage
                        .expect("a store's node has storage");
                    StoreInfo {
                        node: network.node(st.node).id.clone(),
                        limit: spec.limit,
                        unit: spec.unit.name(),
                        refuse: st.refuse,
                    }
                })
                .collect(),
            stores,
            store_of_step,
            uncertain: (!inputs.is_empty()).then(|| {
                Arc::new(Uncertain {
                    network: network.clone(),
                    scenario: scenario.clone(),
                })
            }),
        })
    }

    /// The uncertain inputs each replication draws, in order (empty without any, or
    /// with `--inputs fixed`).
    pub fn uncertain_inputs(&self) -> &[UncertainInput] {
        self.uncertain
            .as_ref()
            .map_or(&[], |u| u.scenario.sampled_inputs())
    }

    /// The model replication `rep` runs and the values it drew, one per uncertain
    /// input (`None` if the model has none). Input `k` draws once from its own
    /// stream, hashed from (seed, input `k`, `rep`) apart from the engine's streams;
    /// the drawn values are applied to the point network, whose parameters in force
    /// over time (regimes) and weather closures are rebuilt. Routes stay those
    /// chosen from the point values.
    pub(crate) fn sampled(&self, seed: u64, rep: u64) -> Option<(Model, Vec<f64>)> {
        let u = self.uncertain.as_ref()?;
        let inputs = u.scenario.sampled_inputs();
        let mut net = u.network.clone();
        let mut values = Vec::with_capacity(inputs.len());
        for (k, input) in inputs.iter().enumerate() {
            let mut rng = component_rng(seed, RNG_INPUT, k as u64, rep);
            let x = input.range.quantile(rng.random::<f64>());
            // Both ends of every range were applied when the model was built.
            net.apply(input.target, input.param, &input.change(x))
                .expect("an uncertain input's draw lies within its checked range");
            values.push(if input.is_scale() {
                x
            } else {
                input.value_of(x)
            });
        }
        let regimes = build_regimes(&net, &u.scenario)
            .expect("the regimes were built at both ends of every range");
        let closures = Builder::new(&net, &u.scenario).closures(&u.scenario);
        Some((
            Model {
                stations: regimes[0].stations.clone(),
                sections: regimes[0].sections.clone(),
                ferries: regimes[0].ferries.clone(),
                regimes,
                closures,
                uncertain: None,
                ..self.clone()
            },
            values,
        ))
    }

    /// The storage limits some route reaches, in node order: the order of
    /// [`ReplicationResult::stores`](super::ReplicationResult::stores).
    pub fn storage(&self) -> &[StoreInfo] {
        &self.store_info
    }

    /// The embargoes whose node some route reaches, in scenario order: the order of
    /// [`ReplicationResult::embargoes`](super::ReplicationResult::embargoes).
    pub fn embargoes(&self) -> &[EmbargoInfo] {
        &self.embargo_info
    }

    /// The resources reported in results (those some route uses), in a fixed order:
    /// stations by node, then legs by leg and direction, then ferries.
    pub fn resources(&self) -> &[ResourceInfo] {
        &self.resources
    }

    /// The flows, in scenario order.
    pub fn flows(&self) -> &[FlowInfo] {
        &self.flow_info
    }

    /// Train classes, highest priority first (empty when the scenario has none).
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Horizon (days).
    pub fn horizon_days(&self) -> f64 {
        self.horizon.days()
    }

    /// Warm-up (days).
    pub fn warmup_days(&self) -> f64 {
        self.warmup.days()
    }

    /// The resource a step uses.
    pub fn step_resource(&self, step: u32) -> &ResourceInfo {
        let slot = match self.steps[step as usize] {
            Step::Station(i) => i as usize,
            Step::Section { section, .. } => self.section_slot(section),
            Step::Port(p) => self.port_slot(p),
        };
        let k = self.slot_to_resource[slot].expect("every step's resource is reported");
        &self.resources[k as usize]
    }

    /// For a route (an index over all flows' routes): its index within its flow, and
    /// where its steps start.
    pub fn route_position(&self, route: u32) -> (u32, u32) {
        let r = &self.routes[route as usize];
        (r.index_in_flow, r.start)
    }

    /// Server time (server-milliseconds) station `s` offers in `[a, b)`, over the
    /// regimes in force then.
    pub(crate) fn station_server_ms(&self, s: u32, a: SimTime, b: SimTime) -> f64 {
        self.over_regimes(a, b, |r| f64::from(r.stations[s as usize].servers))
    }

    /// Wagons ferry service `f` can carry from one port in `[a, b)` at its nominal
    /// capacity, over the regimes in force then.
    pub(crate) fn ferry_capacity_wagons(&self, f: u32, a: SimTime, b: SimTime) -> f64 {
        self.over_regimes(a, b, |r| r.ferries[f as usize].capacity_wagons_per_day)
            / super::time::MS_PER_DAY
    }

    /// The integral over `[a, b)` (ms) of a rate that holds per regime.
    fn over_regimes(&self, a: SimTime, b: SimTime, rate: impl Fn(&Regime) -> f64) -> f64 {
        let mut total = 0.0;
        for (k, r) in self.regimes.iter().enumerate() {
            let end = self.regimes.get(k + 1).map_or(u64::MAX, |n| n.at.0);
            let (lo, hi) = (a.0.max(r.at.0), b.0.min(end));
            if hi > lo {
                total += rate(r) * (hi - lo) as f64;
            }
        }
        total
    }

    pub(crate) fn section_slot(&self, s: u32) -> usize {
        self.stations.len() + s as usize
    }

    pub(crate) fn port_slot(&self, p: u32) -> usize {
        self.stations.len() + self.sections.len() + p as usize
    }

    /// True if resource `k` is a port of a ferry service whose vessels leave service
    /// at random.
    pub(crate) fn resource_has_availability(&self, k: usize) -> bool {
        (0..2 * self.ferries.len() as u32).any(|p| {
            self.slot_to_resource[self.port_slot(p)] == Some(k as u32)
                && self.ferries[(p / 2) as usize].availability.is_some()
        })
    }
}

/// Marks, for adaptive flows, where routes that agree so far part ways: at the step of
/// hop `i` of route `a`, every other route with the same first `i` hops and a
/// different hop `i` is an alternative.
fn add_branches(
    routes: &mut [RouteModel],
    found: &[(Route, f64)],
    hop_positions: &[Vec<usize>],
    first: u32,
) {
    for a in 0..routes.len() {
        let mut branches = vec![Vec::new(); routes[a].len as usize + 1];
        let hops_a = &found[a].0.hops;
        for (i, pos) in hop_positions[a].iter().enumerate() {
            for (b, (rb, _)) in found.iter().enumerate() {
                if b != a
                    && rb.hops.len() > i
                    && rb.hops[..i] == hops_a[..i]
                    && rb.hops[i] != hops_a[i]
                {
                    branches[*pos].push(first + b as u32);
                }
            }
        }
        routes[a].branches = branches;
    }
}

/// The lightest wagon (cargo tonnes) through each ferry port; refuses a model where a
/// wagon of some flow could never board a vessel class by weight, at the lowest load
/// factor of any regime and month (it would wait forever).
fn lightest_wagons(
    regimes: &[Regime],
    flows: &[FlowModel],
    routes: &[RouteModel],
    steps: &[Step],
    scenario: &Scenario,
) -> Result<Vec<f64>, ModelError> {
    let n = regimes[0].ferries.len();
    let mut lightest = vec![f64::INFINITY; 2 * n];
    for (fi, flow) in flows.iter().enumerate() {
        let per_wagon = flow.train.tonnes / flow.train.wagons as f64;
        for &r in &flow.routes {
            let rm = &routes[r as usize];
            for step in &steps[rm.start as usize..(rm.start + rm.len) as usize] {
                let Step::Port(p) = *step else { continue };
                lightest[p as usize] = lightest[p as usize].min(per_wagon);
                for regime in regimes {
                    let fm = &regime.ferries[(p / 2) as usize];
                    let lf = fm.min_load_factor();
                    for c in &fm.classes {
                        if let Some(dw) = c.deadweight_t
                            && c.tare_t + per_wagon > dw * lf + 1e-9
                        {
                            return Err(ModelError::Bounds(format!(
                                "a wagon of flow `{}` weighs {} t (tare {} t + cargo {} t) but a vessel of deadweight {dw} t at load factor {lf} takes only {} t: it could never sail; raise the deadweight or the load factor, or lower the train's tonnes",
                                scenario.flows[fi].id,
                                c.tare_t + per_wagon,
                                c.tare_t,
                                per_wagon,
                                dw * lf
                            )));
                        }
                    }
                }
            }
        }
    }
    Ok(lightest)
}

/// Builds the resource arrays and compiles routes against them.
struct Builder<'a> {
    network: &'a Network,
    stations: Vec<StationModel>,
    node_station: Vec<Option<u32>>,
    station_node: Vec<NodeId>,
    sections: Vec<SectionModel>,
    leg_section: Vec<[Option<u32>; 2]>,
    section_leg: Vec<(LegId, bool)>,
    ferries: Vec<FerryModel>,
    leg_ferry: Vec<Option<u32>>,
    ferry_leg: Vec<LegId>,
    closable_legs: Vec<bool>,
    /// Sections kept in routes even if they cost nothing at day 0.
    keep_section: Vec<bool>,
}

/// The parameters in force over time: one regime from day 0, and one from each day a
/// dated override begins or ends, each the network with the overrides that hold then.
fn build_regimes(network: &Network, scenario: &Scenario) -> Result<Vec<Regime>, String> {
    let horizon = scenario.run.horizon_days;
    let mut days: Vec<f64> = std::iter::once(0.0)
        .chain(
            scenario
                .dated
                .iter()
                .flat_map(|d| std::iter::once(d.from_day).chain(d.until_day)),
        )
        .filter(|d| *d < horizon)
        .collect();
    days.sort_by(f64::total_cmp);
    days.dedup();
    days.into_iter()
        .map(|day| {
            let mut net = network.clone();
            for d in scenario.dated.iter().filter(|d| d.applies_on(day)) {
                // Checked when the scenario was read against the point network; with
                // uncertain inputs, at both ends of their ranges by `Model::new`.
                let c = &d.change;
                net.apply(c.target, c.param, &c.change).map_err(|e| {
                    format!(
                        "the override of `{}` of `{}` from day {day}: {e}",
                        c.param.name(),
                        network.target_name(c.target)
                    )
                })?;
            }
            let b = Builder::new(&net, scenario);
            Ok(Regime {
                at: SimTime::from_days(day),
                stations: b.stations,
                sections: b.sections,
                ferries: b.ferries,
            })
        })
        .collect()
}

impl<'a> Builder<'a> {
    fn new(network: &'a Network, scenario: &Scenario) -> Builder<'a> {
        let mut b = Builder {
            network,
            stations: Vec::new(),
            node_station: vec![None; network.nodes.len()],
            station_node: Vec::new(),
            sections: Vec::new(),
            leg_section: vec![[None, None]; network.legs.len()],
            section_leg: Vec::new(),
            ferries: Vec::new(),
            leg_ferry: vec![None; network.legs.len()],
            ferry_leg: Vec::new(),
            closable_legs: vec![false; network.legs.len()],
            keep_section: Vec::new(),
        };
        for (i, node) in network.nodes.iter().enumerate() {
            if let Some(st) = &node.station {
                b.node_station[i] = Some(b.stations.len() as u32);
                b.station_node.push(NodeId(i as u32));
                b.stations.push(StationModel {
                    servers: st.servers,
                    service: st.service_days.clone(),
                });
            }
        }
        for (i, leg) in network.legs.iter().enumerate() {
            let id = LegId(i as u32);
            match (&leg.ferry, leg.mode) {
                (Some(f), Mode::Sea) => {
                    b.leg_ferry[i] = Some(b.ferries.len() as u32);
                    b.ferry_leg.push(id);
                    let sailing_mean = leg.travel_days.mean();
                    let capacity = ferry_capacity_wagons_per_day(f, sailing_mean, leg.one_way);
                    let (timetable, max_wait_ms) = match f.departure {
                        Departure::Timetable {
                            every_days,
                            first_days,
                        } => (
                            Some((SimTime::from_days(first_days), to_ms(every_days).max(1))),
                            0,
                        ),
                        Departure::WhenFull { max_wait_days } => (None, to_ms(max_wait_days)),
                    };
                    b.ferries.push(FerryModel {
                        one_way: leg.one_way,
                        vessels: f.vessels,
                        timetable,
                        max_wait_ms,
                        sailing: leg.travel_days.clone(),
                        turnaround: f.turnaround_days.clone(),
                        capacity_wagons_per_day: capacity,
                        interval_days: sailing_interval_days(f, sailing_mean, leg.one_way),
                        classes: if f.classes.is_empty() {
                            vec![ClassModel {
                                count: f.vessels,
                                wagons: f.wagons_per_sailing,
                                teu: f.teu_per_sailing,
                                deadweight_t: None,
                                tare_t: 0.0,
                            }]
                        } else {
                            f.classes
                                .iter()
                                .map(|c| ClassModel {
                                    count: c.count,
                                    wagons: c.wagons,
                                    teu: c.teu,
                                    deadweight_t: c.deadweight_t,
                                    tare_t: c.tare_t_per_wagon,
                                })
                                .collect()
                        },
                        mean_wagons: f.mean_wagons(),
                        load_factor: f.load_factor,
                        load_factor_by_month: f.load_factor_by_month,
                        availability: f
                            .availability
                            .as_ref()
                            .map(|a| (a.absences_per_year, a.absence_days.clone())),
                        road: f.road.clone(),
                    });
                }
                _ => {
                    let headway_ms = leg.capacity_per_day.map_or(0, |c| to_ms(1.0 / c).max(1));
                    for (dir, forward) in [(0, true), (1, false)] {
                        if !forward && leg.one_way {
                            continue;
                        }
                        b.leg_section[i][dir] = Some(b.sections.len() as u32);
                        b.section_leg.push((id, forward));
                        b.sections.push(SectionModel {
                            headway_ms,
                            travel: leg.travel_days.clone(),
                        });
                    }
                }
            }
        }
        for d in &scenario.disruptions {
            for leg in b.target_legs(d.target) {
                b.closable_legs[leg.0 as usize] = true;
            }
        }
        b
    }

    /// Legs a closure of `target` acts on directly (a node without a station closes
    /// its legs).
    fn target_legs(&self, target: Target) -> Vec<LegId> {
        match target {
            Target::Leg(l) => vec![l],
            Target::Node(n) if self.node_station[n.0 as usize].is_none() => {
                (0..self.network.legs.len())
                    .map(|i| LegId(i as u32))
                    .filter(|l| {
                        let leg = self.network.leg(*l);
                        leg.from == n || leg.to == n
                    })
                    .collect()
            }
            Target::Node(_) => Vec::new(),
        }
    }

    fn leg_resources(&self, l: LegId) -> Vec<Res> {
        match self.leg_ferry[l.0 as usize] {
            Some(f) => vec![Res::Ferry(f)],
            None => self.leg_section[l.0 as usize]
                .iter()
                .flatten()
                .map(|s| Res::Section(*s))
                .collect(),
        }
    }

    fn closures(&self, scenario: &Scenario) -> Vec<ClosureModel> {
        let mut out = Vec::new();
        for d in &scenario.disruptions {
            let targets = match d.target {
                Target::Node(n) => match self.node_station[n.0 as usize] {
                    Some(s) => vec![Res::Station(s)],
                    None => self
                        .target_legs(d.target)
                        .into_iter()
                        .flat_map(|l| self.leg_resources(l))
                        .collect(),
                },
                Target::Leg(l) => self.leg_resources(l),
            };
            out.push(ClosureModel {
                targets,
                timing: d.timing,
                duration: d.duration_days.clone(),
            });
        }
        for (f, leg) in self.ferry_leg.iter().enumerate() {
            let weather = self
                .network
                .leg(*leg)
                .ferry
                .as_ref()
                .and_then(|fe| fe.weather.as_ref());
            if let Some(w) = weather.filter(|w| w.closures_per_year > 0.0) {
                out.push(ClosureModel {
                    targets: vec![Res::Ferry(f as u32)],
                    timing: DisruptionTiming::Random {
                        per_year: w.closures_per_year,
                        by_month: w.closures_per_year_by_month,
                    },
                    duration: w.closure_days.clone(),
                });
            }
        }
        out
    }

    /// Compiles a route into steps; also returns, per hop, the position of its step.
    fn steps(&self, r: &Route, train: &TrainSize) -> (Vec<Step>, Vec<usize>) {
        let mut steps = Vec::new();
        let mut positions = Vec::with_capacity(r.hops.len());
        if let Some(s) = self.node_station[r.origin.0 as usize] {
            steps.push(Step::Station(s));
        }
        for h in &r.hops {
            positions.push(steps.len());
            let li = h.leg.0 as usize;
            let leg = self.network.leg(h.leg);
            let dir = usize::from(!h.forward);
            if let Some(f) = self.leg_ferry[li] {
                steps.push(Step::Port(2 * f + dir as u32));
            } else {
                let section =
                    self.leg_section[li][dir].expect("route follows the leg's directions");
                let model = &self.sections[section as usize];
                let costs_nothing = model.headway_ms == 0
                    && model.travel.is_zero()
                    && !self
                        .keep_section
                        .get(section as usize)
                        .copied()
                        .unwrap_or(false);
                if !costs_nothing || self.closable_legs[li] {
                    let units = if leg.mode == Mode::Road {
                        trucks_for(train, leg.teu_per_truck)
                    } else {
                        1
                    };
                    steps.push(Step::Section { section, units });
                }
            }
            if let Some(s) = self.node_station[h.end(self.network).0 as usize] {
                steps.push(Step::Station(s));
            }
        }
        (steps, positions)
    }

    /// Places each backlog at the first step of the flow's first route that passes its
    /// node: the node's station, the ferry departing from it, or the line leaving it.
    /// The node a step is at (a station's node, a port's side of its ferry leg); a
    /// line section is at none.
    fn step_node(&self, step: Step) -> Option<NodeId> {
        match step {
            Step::Station(s) => Some(self.station_node[s as usize]),
            Step::Section { .. } => None,
            Step::Port(p) => {
                let leg = self.network.leg(self.ferry_leg[(p / 2) as usize]);
                Some(if p % 2 == 0 { leg.from } else { leg.to })
            }
        }
    }

    /// The storage limits some step reaches, in node order, and the store of every
    /// step (both empty when no node has a limit).
    fn stores(
        &self,
        steps: &[Step],
        flows: &[FlowModel],
        routes: &mut [RouteModel],
        embargoes: &[crate::scenario::Embargo],
    ) -> (Vec<StoreModel>, Vec<u32>, Vec<EmbargoModel>) {
        let net = self.network;
        let step_nodes: Vec<Option<NodeId>> = steps.iter().map(|s| self.step_node(*s)).collect();
        let mut stores = Vec::new();
        let mut node_store = vec![NO_STORE; net.nodes.len()];
        for (i, node) in net.nodes.iter().enumerate() {
            let watched = embargoes.iter().any(|e| e.node.0 as usize == i);
            if node.storage.is_none() && !watched {
                continue;
            }
            if !step_nodes.contains(&Some(NodeId(i as u32))) {
                continue;
            }
            node_store[i] = stores.len() as u32;
            let (limit, teu, refuse) = match node.storage {
                Some(st) if st.unit == crate::network::StorageUnit::Teu => (
                    (st.limit * 1000.0).round() as u64,
                    true,
                    st.when_full == crate::network::WhenFull::Refuse,
                ),
                Some(st) => (
                    st.limit as u64,
                    false,
                    st.when_full == crate::network::WhenFull::Refuse,
                ),
                None => (u64::MAX, false, false),
            };
            stores.push(StoreModel {
                node: NodeId(i as u32),
                limit,
                teu,
                refuse,
                min_units: u64::MAX,
                limited: node.storage.is_some(),
                embargo: NO_STORE,
            });
        }
        if stores.is_empty() {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        let mut models = Vec::new();
        for e in embargoes {
            let s = node_store[e.node.0 as usize];
            if s == NO_STORE {
                continue;
            }
            // One rule per node (checked when the scenario was read).
            stores[s as usize].embargo = models.len() as u32;
            models.push(EmbargoModel {
                store: s,
                stop_above: e.stop_above,
                resume_below: e.resume_below,
                wagons: e.wagons,
            });
        }
        let store_of_step: Vec<u32> = step_nodes
            .iter()
            .map(|n| n.map_or(NO_STORE, |n| node_store[n.0 as usize]))
            .collect();
        for f in flows {
            for &r in &f.routes {
                let rm = &routes[r as usize];
                for k in rm.start..rm.start + rm.len {
                    if let Some(st) = stores.get_mut(store_of_step[k as usize] as usize) {
                        st.min_units = st.min_units.min(st.units(f));
                    }
                }
            }
        }
        for rm in routes.iter_mut() {
            for k in rm.start..rm.start + rm.len {
                let s = store_of_step[k as usize];
                if s != NO_STORE {
                    for (e, em) in models.iter().enumerate() {
                        if em.store == s {
                            rm.embargo_mask |= 1 << e;
                        }
                    }
                }
            }
        }
        (stores, store_of_step, models)
    }

    fn backlog(
        &self,
        scenario: &Scenario,
        flows: &[FlowModel],
        routes: &[RouteModel],
        steps: &[Step],
    ) -> Result<Vec<BacklogModel>, ModelError> {
        let mut out = Vec::new();
        for b in &scenario.backlog {
            let at_node = |step: &Step| match *step {
                Step::Station(s) => self.station_node[s as usize] == b.at,
                Step::Section { section, .. } => {
                    let (l, forward) = self.section_leg[section as usize];
                    let leg = self.network.leg(l);
                    (if forward { leg.from } else { leg.to }) == b.at
                }
                Step::Port(p) => {
                    let leg = self.network.leg(self.ferry_leg[(p / 2) as usize]);
                    (if p % 2 == 0 { leg.from } else { leg.to }) == b.at
                }
            };
            let found = flows[b.flow].routes.iter().find_map(|&r| {
                let rm = &routes[r as usize];
                (rm.start..rm.start + rm.len)
                    .find(|&i| at_node(&steps[i as usize]))
                    .map(|i| (r, i))
            });
            let Some((route, step)) = found else {
                return Err(ModelError::Bounds(format!(
                    "the backlog of flow `{}` at `{}`: no route of the flow has a terminal, port or line there",
                    scenario.flows[b.flow].id,
                    self.network.node(b.at).id
                )));
            };
            out.push(BacklogModel {
                flow: b.flow as u32,
                route,
                step,
                trains: b.trains,
            });
        }
        Ok(out)
    }

    /// The resources some route uses, and the map from slots to them.
    fn resources(&self, steps: &[Step]) -> (Vec<ResourceInfo>, Vec<Option<u32>>) {
        let n_slots = self.stations.len() + self.sections.len() + 2 * self.ferries.len();
        let mut used = vec![false; n_slots];
        for s in steps {
            let slot = match *s {
                Step::Station(i) => i as usize,
                Step::Section { section, .. } => self.stations.len() + section as usize,
                Step::Port(p) => self.stations.len() + self.sections.len() + p as usize,
            };
            used[slot] = true;
        }
        let net = self.network;
        let mut infos = Vec::new();
        let mut map = vec![None; n_slots];
        for (slot, u) in used.iter().enumerate() {
            if !u {
                continue;
            }
            let info = if slot < self.stations.len() {
                let node = net.node(self.station_node[slot]);
                ResourceInfo {
                    id: node.id.clone(),
                    kind: ResourceKind::Station,
                    detail: node.kind.name().to_string(),
                    from: None,
                    to: None,
                    capacity: self.stations[slot].servers as f64,
                }
            } else if slot < self.stations.len() + self.sections.len() {
                let s = slot - self.stations.len();
                let (l, forward) = self.section_leg[s];
                let leg = net.leg(l);
                let (a, b) = if forward {
                    (leg.from, leg.to)
                } else {
                    (leg.to, leg.from)
                };
                ResourceInfo {
                    id: leg.id.clone(),
                    kind: if leg.mode == Mode::Road {
                        ResourceKind::Road
                    } else {
                        ResourceKind::Rail
                    },
                    detail: leg.mode.name().to_string(),
                    from: Some(net.node(a).id.clone()),
                    to: Some(net.node(b).id.clone()),
                    capacity: leg.capacity_per_day.unwrap_or(0.0),
                }
            } else {
                let p = slot - self.stations.len() - self.sections.len();
                let leg = net.leg(self.ferry_leg[p / 2]);
                let (a, b) = if p.is_multiple_of(2) {
                    (leg.from, leg.to)
                } else {
                    (leg.to, leg.from)
                };
                ResourceInfo {
                    id: leg.id.clone(),
                    kind: ResourceKind::Ferry,
                    detail: "sea".to_string(),
                    from: Some(net.node(a).id.clone()),
                    to: Some(net.node(b).id.clone()),
                    capacity: self.ferries[p / 2].capacity_wagons_per_day,
                }
            };
            map[slot] = Some(infos.len() as u32);
            infos.push(info);
        }
        (infos, map)
    }
}
