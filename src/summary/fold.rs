//! The streaming statistics of a run: [`RunStats`] folds finished replications, one
//! at a time and in index order, into Welford moments, exact counts, sums added in
//! index order and pooled histograms. It keeps nothing per replication except, when
//! asked, the few per-replication figures the bootstrap of a capacity curve and the
//! pairing of a comparison need ([`Series`], 8 bytes per replication and figure).
//!
//! Pushing the replications in index order gives bit for bit the numbers that
//! collecting them first and summarising the vectors gave ([`crate::stats::Estimate::of`] is the
//! same Welford recursion, NaNs left out in the same way).

use crate::montecarlo::{Fold, RunOutput};
use crate::sim::{FlowResult, Model, ReplicationResult, Saturation};
use crate::stats::{CoMoments, GridSummary, Histogram, Moments};

use super::DAYS_PER_WEEK;

/// Streaming moments of the per-replication figures of one flow or of all flows.
#[derive(Clone, Debug, Default)]
pub struct FlowStats {
    /// Trains that arrived in the window.
    pub offered_trains: Moments,
    /// Of those, trains delivered by the horizon.
    pub delivered_trains: Moments,
    /// Of those, trains still under way at the horizon.
    pub in_system_trains: Moments,
    /// Offered trains per week.
    pub offered_trains_per_week: Moments,
    /// Trains reaching their destination per week in the window (throughput).
    pub delivered_trains_per_week: Moments,
    /// Mean transit of the delivered trains (days; replications without any left out).
    pub transit_mean_days: Moments,
    /// 95th percentile transit of each replication (days).
    pub transit_p95_days: Moments,
    /// TEU delivered.
    pub teu_delivered: Moments,
    /// Tonnes delivered.
    pub tonnes_delivered: Moments,
    /// Throughput over offered load (replications with nothing offered left out).
    pub delivered_ratio: Moments,
    /// Mean age of the trains still under way at the horizon (days; replications
    /// without any left out).
    pub in_system_age_days: Moments,
    /// Trains of the starting backlog delivered.
    pub backlog_delivered: Moments,
    /// Trains delivered in all replications together.
    pub delivered_total: u64,
}

/// Streaming figures of one route of a flow.
#[derive(Clone, Debug, Default)]
pub struct RouteStats {
    /// Trains delivered on the route in all replications.
    pub delivered_total: u64,
    /// Sum of their transit times (days), added in index order.
    pub transit_sum_days: f64,
    /// Delivered trains per replication.
    pub delivered_trains: Moments,
    /// Trains still under way on the route at the horizon, per replication.
    pub in_system_trains: Moments,
}

/// Streaming figures of one resource.
#[derive(Clone, Debug, Default)]
pub struct ResourceStats {
    /// Share of capacity used.
    pub utilization: Moments,
    /// Mean wait (days; replications without a wait left out).
    pub wait_days: Moments,
    /// Time-average trains waiting.
    pub queue_length: Moments,
    /// Time-average trains in service.
    pub in_service: Moments,
    /// Arrivals per day of the window.
    pub arrivals_per_day: Moments,
    /// Share of the window closed.
    pub closed_share: Moments,
    /// Mean wait counting trains still waiting at the horizon (days).
    pub wait_days_with_censored: Moments,
    /// Trains still waiting at the horizon.
    pub waiting_at_end: Moments,
    /// Sum of the waits of all replications (days), added in index order.
    pub wait_sum_days: f64,
    /// Replications in which this resource had the highest utilisation (ties to the
    /// first resource).
    pub binding: u64,
    /// Ferries: sailings per day of the window.
    pub sailings_per_day: Moments,
    /// Ferries: wagons carried per day of the window.
    pub wagons_per_day: Moments,
    /// Ferries: vessel-days absent per year of the window (vessel availability).
    pub vessel_days_absent_per_year: Moments,
    /// Ferries: timetabled sailings without a vessel in port per year of the window.
    pub sailings_without_vessel_per_year: Moments,
    /// Ferries with shared decks: road units carried per day of the window.
    pub road_units_per_day: Moments,
}

/// How often each resource of a subset (e.g. those one flow group's trains use) was
/// the busiest of that subset: what a group's bottleneck reports.
#[derive(Clone, Debug, Default)]
pub struct SubsetBinding {
    /// Per resource, in [`Model::resources`] order: whether it is in the subset.
    pub member: Vec<bool>,
    /// Per resource: replications in which it had the highest utilisation of the
    /// subset (ties to the first; 0 outside the subset).
    pub binding: Vec<u64>,
}

/// Per-replication figures of one flow or all flows, in replication order: what a
/// bootstrap over replications and a paired difference need.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Offered trains per week.
    pub offered_trains_per_week: Vec<f64>,
    /// Trains reaching their destination per week (throughput).
    pub delivered_trains_per_week: Vec<f64>,
    /// Mean transit of the delivered trains (days; NaN without any).
    pub transit_mean_days: Vec<f64>,
    /// 95th percentile transit (days; NaN without any).
    pub transit_p95_days: Vec<f64>,
}

impl Series {
    fn push(&mut self, f: &Totals) {
        self.offered_trains_per_week.push(f.offered_per_week);
        self.delivered_trains_per_week.push(f.completed_per_week);
        self.transit_mean_days.push(f.transit_mean_days);
        self.transit_p95_days.push(f.transit_p95_days);
    }

    /// Delivered / offered per replication (NaN with nothing offered).
    pub fn delivered_ratio(&self) -> Vec<f64> {
        self.offered_trains_per_week
            .iter()
            .zip(&self.delivered_trains_per_week)
            .map(|(o, d)| ratio(*o, *d))
            .collect()
    }

    /// Replications held.
    pub fn len(&self) -> usize {
        self.offered_trains_per_week.len()
    }

    /// True if no replication is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Which per-replication figures a [`RunStats`] keeps besides its moments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// None: memory independent of the number of replications (`run`).
    Nothing,
    /// All flows together (capacity curves: the bootstrap of the practical capacity).
    Overall,
    /// All flows together and each flow (comparisons: paired differences).
    Flows,
}

/// The streaming statistics of a run, a [`Fold`]: push replications in index order
/// (e.g. with [`crate::montecarlo::run_into`]); [`crate::summary::Summary::new`],
/// capacity curves, comparisons and the precision loop read it.
///
/// To add a statistic, add a field and update it in [`RunStats::push`]: this is the
/// one place every finished replication passes.
#[derive(Clone, Debug)]
pub struct RunStats {
    /// Replications folded.
    pub replications: u64,
    /// Observed days per replication.
    pub window_days: f64,
    per_week: f64,
    /// All flows together.
    pub overall: FlowStats,
    /// Per flow, in the model's order.
    pub flows: Vec<FlowStats>,
    /// Per flow and route.
    pub routes: Vec<Vec<RouteStats>>,
    /// Per resource, in [`Model::resources`] order.
    pub resources: Vec<ResourceStats>,
    /// Sum of all waits at all resources (days), added in index then resource order.
    pub total_wait_days: f64,
    /// Sum of the events processed, added in index order.
    pub events_sum: f64,
    /// Replications that saturated.
    pub saturated: u64,
    /// The first replication (by index) that saturated, with when and where.
    pub first_saturation: Option<(u64, Saturation)>,
    /// Per flow, transit times of all delivered trains of all replications.
    pub pooled: Vec<Histogram>,
    /// Per flow and route, the same.
    pub pooled_routes: Vec<Vec<Histogram>>,
    /// All flows together, per replication (unless [`Keep::Nothing`]).
    pub overall_series: Option<Series>,
    /// Per flow, per replication (only with [`Keep::Flows`]).
    pub flow_series: Option<Vec<Series>>,
    /// Binding counts within a subset of the resources, if asked for
    /// ([`RunStats::with_binding_among`]).
    pub binding_among: Option<SubsetBinding>,
    /// Results over time across replications (periods × series columns), if the
    /// model has time series.
    pub series: Option<GridSummary>,
    /// Per train class, in [`Model::classes`] order (empty without classes).
    pub classes: Vec<super::ClassStats>,
    /// Each flow's class, in the model's order.
    flow_class: Vec<u32>,
    /// With uncertain inputs: co-moments of the drawn values (in
    /// [`Model::uncertain_inputs`] order) and the [`SENSITIVITY_FIGURES`] of every
    /// replication in which all are defined, folded in index order.
    pub inputs: Option<CoMoments>,
    /// Per storage limit, in [`Model::storage`] order (empty without limits).
    pub stores: Vec<super::StoreStats>,
    /// Per embargo, in [`Model::embargoes`] order (empty without).
    pub embargoes: Vec<super::EmbargoStats>,
}

/// The main figures whose sensitivity to the uncertain inputs is measured, per
/// replication: trains delivered per week (all flows), their mean transit (days),
/// and the utilisation of the replication's busiest resource.
pub const SENSITIVITY_FIGURES: [&str; 3] = [
    "delivered_trains_per_week",
    "transit_days_mean",
    "busiest_utilization",
];

/// One replication's totals of one flow or all flows.
struct Totals {
    offered: f64,
    delivered: f64,
    in_system: f64,
    offered_per_week: f64,
    completed_per_week: f64,
    transit_mean_days: f64,
    transit_p95_days: f64,
    teu: f64,
    tonnes: f64,
    in_system_age_days: f64,
    backlog_delivered: f64,
}

/// Mean age of the trains left at the horizon; NaN if none is left.
fn mean_age(sum_days: f64, trains: f64) -> f64 {
    if trains > 0.0 {
        sum_days / trains
    } else {
        f64::NAN
    }
}

/// Throughput over offered load; NaN with nothing offered.
fn ratio(offered: f64, delivered: f64) -> f64 {
    if offered > 0.0 {
        delivered / offered
    } else {
        f64::NAN
    }
}

/// Adds a value unless it is NaN (as [`Estimate::of`] leaves NaNs out).
#[inline]
fn add(m: &mut Moments, v: f64) {
    if !v.is_nan() {
        m.push(v);
    }
}

impl FlowStats {
    fn push(&mut self, t: &Totals, delivered: u64) {
        add(&mut self.offered_trains, t.offered);
        add(&mut self.delivered_trains, t.delivered);
        add(&mut self.in_system_trains, t.in_system);
        add(&mut self.offered_trains_per_week, t.offered_per_week);
        add(&mut self.delivered_trains_per_week, t.completed_per_week);
        add(&mut self.transit_mean_days, t.transit_mean_days);
        add(&mut self.transit_p95_days, t.transit_p95_days);
        add(&mut self.teu_delivered, t.teu);
        add(&mut self.tonnes_delivered, t.tonnes);
        add(&mut self.in_system_age_days, t.in_system_age_days);
        add(&mut self.backlog_delivered, t.backlog_delivered);
        add(
            &mut self.delivered_ratio,
            ratio(t.offered_per_week, t.completed_per_week),
        );
        self.delivered_total += delivered;
    }
}

/// Mean transit of a flow's delivered trains in one replication (days; NaN without
/// any): the one place this is computed.
pub fn flow_transit_mean_days(f: &FlowResult) -> f64 {
    if f.delivered > 0 {
        f.transit_sum_days / f.delivered as f64
    } else {
        f64::NAN
    }
}

impl RunStats {
    /// Empty statistics of a run of `model`, keeping the per-replication figures `keep`.
    pub fn new(model: &Model, keep: Keep) -> RunStats {
        let window = model.horizon_days() - model.warmup_days();
        let flows = model.flows();
        RunStats {
            replications: 0,
            window_days: window,
            per_week: DAYS_PER_WEEK / window.max(f64::MIN_POSITIVE),
            overall: FlowStats::default(),
            flows: vec![FlowStats::default(); flows.len()],
            routes: flows
                .iter()
                .map(|f| vec![RouteStats::default(); f.routes.len()])
                .collect(),
            resources: vec![ResourceStats::default(); model.resources().len()],
            // `Iterator::sum` of floats starts at -0.0; so do these sums.
            total_wait_days: -0.0,
            events_sum: -0.0,
            saturated: 0,
            first_saturation: None,
            pooled: Vec::new(),
            pooled_routes: Vec::new(),
            overall_series: (keep != Keep::Nothing).then(Series::default),
            flow_series: (keep == Keep::Flows).then(|| vec![Series::default(); flows.len()]),
            binding_among: None,
            series: None,
            classes: vec![super::ClassStats::default(); model.classes().len()],
            flow_class: flows.iter().map(|f| f.class).collect(),
            inputs: (!model.uncertain_inputs().is_empty()).then(|| {
                CoMoments::new(model.uncertain_inputs().len() + SENSITIVITY_FIGURES.len())
            }),
            stores: vec![super::StoreStats::default(); model.storage().len()],
            embargoes: vec![super::EmbargoStats::default(); model.embargoes().len()],
        }
    }

    /// These statistics, also counting for each resource of the subset `member`
    /// (one flag per resource, in [`Model::resources`] order) the replications in
    /// which it was the busiest of the subset.
    pub fn with_binding_among(mut self, member: Vec<bool>) -> RunStats {
        let binding = vec![0; member.len()];
        self.binding_among = Some(SubsetBinding { member, binding });
        self
    }

    /// The statistics of replications kept in a [`RunOutput`] (a replay, a merge of
    /// shard partials), with its pooled histograms.
    pub fn of(model: &Model, out: &RunOutput, keep: Keep) -> RunStats {
        RunStats::new(model, keep).replayed(out)
    }

    /// These (empty) statistics with the replications kept in a [`RunOutput`] folded
    /// in, with its pooled histograms (see [`RunStats::of`]).
    pub fn replayed(self, out: &RunOutput) -> RunStats {
        let mut stats = self;
        out.replay_into(&mut stats);
        // Each replication's series went into the output's summary as it was kept.
        stats.series = out.series.clone();
        merge_pooled(&mut stats.pooled, &out.pooled);
        if stats.pooled_routes.len() < out.pooled_routes.len() {
            stats
                .pooled_routes
                .resize_with(out.pooled_routes.len(), Vec::new);
        }
        for (a, b) in stats.pooled_routes.iter_mut().zip(&out.pooled_routes) {
            merge_pooled(a, b);
        }
        stats
    }

    /// All flows' pooled transit times together.
    pub fn pooled_all(&self) -> Histogram {
        let mut all = Histogram::new();
        for h in &self.pooled {
            all.merge(h);
        }
        all
    }

    /// The pooled transit times of one route of a flow.
    pub fn route_pool(&self, flow: usize, route: usize) -> Option<&Histogram> {
        self.pooled_routes.get(flow).and_then(|r| r.get(route))
    }

    /// Mean events per replication.
    pub fn events_per_replication(&self) -> f64 {
        self.events_sum / self.replications.max(1) as f64
    }
}

impl Fold for RunStats {
    fn push(&mut self, r: &ReplicationResult) {
        self.replications += 1;
        let per_week = self.per_week;
        let sum = |g: fn(&FlowResult) -> f64| r.flows.iter().map(g).sum::<f64>();
        let all = Totals {
            offered: sum(|f| f.offered as f64),
            delivered: sum(|f| f.delivered as f64),
            in_system: sum(|f| f.in_system as f64),
            offered_per_week: sum(|f| f.offered as f64) * per_week,
            completed_per_week: sum(|f| f.completed as f64) * per_week,
            transit_mean_days: r.transit_mean_days(),
            transit_p95_days: r.transit_p95_days,
            teu: sum(|f| f.teu_delivered),
            tonnes: sum(|f| f.tonnes_delivered),
            in_system_age_days: mean_age(
                sum(|f| f.in_system_age_sum_days),
                sum(|f| f.in_system as f64),
            ),
            backlog_delivered: sum(|f| f.initial_delivered as f64),
        };
        let delivered: u64 = r.flows.iter().map(|f| f.delivered).sum();
        if let Some(c) = &mut self.inputs {
            let busiest = r
                .resources
                .iter()
                .map(|x| x.utilization)
                .fold(f64::NAN, f64::max);
            let mut v = r.inputs.clone();
            v.extend([all.completed_per_week, all.transit_mean_days, busiest]);
            if v.len() == c.dim() && v.iter().all(|x| x.is_finite()) {
                c.push(&v);
            }
        }
        self.overall.push(&all, delivered);
        if let Some(s) = &mut self.overall_series {
            s.push(&all);
        }
        if self.pooled.len() < r.flows.len() {
            self.pooled.resize_with(r.flows.len(), Histogram::new);
        }
        if self.pooled_routes.len() < r.flows.len() {
            self.pooled_routes.resize_with(r.flows.len(), Vec::new);
        }
        for (i, f) in r.flows.iter().enumerate() {
            let t = Totals {
                offered: f.offered as f64,
                delivered: f.delivered as f64,
                in_system: f.in_system as f64,
                offered_per_week: f.offered as f64 * per_week,
                completed_per_week: f.completed as f64 * per_week,
                transit_mean_days: flow_transit_mean_days(f),
                transit_p95_days: f.transit_p95_days,
                teu: f.teu_delivered,
                tonnes: f.tonnes_delivered,
                in_system_age_days: mean_age(f.in_system_age_sum_days, f.in_system as f64),
                backlog_delivered: f.initial_delivered as f64,
            };
            if let Some(fs) = self.flows.get_mut(i) {
                fs.push(&t, f.delivered);
            }
            if let Some(s) = self.flow_series.as_mut().and_then(|s| s.get_mut(i)) {
                s.push(&t);
            }
            self.pooled[i].merge(&f.transit);
            let pooled = &mut self.pooled_routes[i];
            if pooled.len() < f.routes.len() {
                pooled.resize_with(f.routes.len(), Histogram::new);
            }
            for (p, rr) in pooled.iter_mut().zip(&f.routes) {
                p.merge(&rr.transit);
            }
            if let Some(routes) = self.routes.get_mut(i) {
                for (rs, rr) in routes.iter_mut().zip(&f.routes) {
                    rs.delivered_total += rr.delivered;
                    rs.transit_sum_days += rr.transit_sum_days;
                    add(&mut rs.delivered_trains, rr.delivered as f64);
                    add(&mut rs.in_system_trains, rr.in_system as f64);
                }
            }
        }
        let window = self.window_days;
        for x in &r.resources {
            self.total_wait_days += x.wait_sum_days;
        }
        for (rs, x) in self.resources.iter_mut().zip(&r.resources) {
            add(&mut rs.utilization, x.utilization);
            add(&mut rs.wait_days, x.wait_mean_days());
            add(&mut rs.queue_length, x.queue_mean);
            add(&mut rs.in_service, x.in_service_mean);
            add(&mut rs.arrivals_per_day, x.arrivals as f64 / window);
            add(&mut rs.closed_share, x.closed_share);
            add(
                &mut rs.wait_days_with_censored,
                x.wait_mean_with_censored_days(),
            );
            add(&mut rs.waiting_at_end, x.censored_waits as f64);
            rs.wait_sum_days += x.wait_sum_days;
            add(&mut rs.sailings_per_day, x.sailings as f64 / window);
            add(&mut rs.wagons_per_day, x.wagons as f64 / window);
            add(
                &mut rs.vessel_days_absent_per_year,
                x.vessel_days_absent * 365.0 / window,
            );
            add(
                &mut rs.sailings_without_vessel_per_year,
                x.sailings_without_vessel as f64 * 365.0 / window,
            );
            add(&mut rs.road_units_per_day, x.road_units as f64 / window);
        }
        let best = (0..r.resources.len()).max_by(|&a, &b| {
            r.resources[a]
                .utilization
                .total_cmp(&r.resources[b].utilization)
                .then(b.cmp(&a))
        });
        if let Some(rs) = best.and_then(|k| self.resources.get_mut(k)) {
            rs.binding += 1;
        }
        if let Some(sb) = &mut self.binding_among {
            let member = &sb.member;
            let best = (0..r.resources.len())
                .filter(|&k| member.get(k).copied().unwrap_or(false))
                .max_by(|&a, &b| {
                    r.resources[a]
                        .utilization
                        .total_cmp(&r.resources[b].utilization)
                        .then(b.cmp(&a))
                });
            if let Some(b) = best.and_then(|k| sb.binding.get_mut(k)) {
                *b += 1;
            }
        }
        self.events_sum += r.events as f64;
        if let Some(s) = &r.series {
            self.series
                .get_or_insert_with(|| GridSummary::new(s.values.len()))
                .push(&s.values);
        }
        super::classes::push(&mut self.classes, &self.flow_class, r);
        super::storage::push(&mut self.stores, self.window_days, r);
        super::storage::push_embargoes(&mut self.embargoes, r);
        if let Some(s) = r.saturated {
            self.saturated += 1;
            if self.first_saturation.is_none() {
                self.first_saturation = Some((r.index, s));
            }
        }
    }
}

fn merge_pooled(into: &mut Vec<Histogram>, from: &[Histogram]) {
    if into.len() < from.len() {
        into.resize_with(from.len(), Histogram::new);
    }
    for (a, b) in into.iter_mut().zip(from) {
        a.merge(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ResourceResult;

    /// A model of two stations and the line between them (four resources).
    fn model() -> Model {
        let station =
            "resource = { servers = 1, service_days = { dist = \"exponential\", mean = 0.1 } }";
        let network = crate::input::parse_network(&format!(
            "[[node]]\nid = \"a\"\nlat = 40.0\nlon = 50.0\nkind = \"rail_terminal\"\n{station}\n\n\
             [[node]]\nid = \"b\"\nlat = 41.0\nlon = 51.0\nkind = \"rail_terminal\"\n{station}\n\n\
             [[leg]]\nfrom = \"a\"\nto = \"b\"\nmode = \"rail\"\nlength_km = 120\n\
             travel_days = 0.2\ngauge_mm = 1520\ncapacity_trains_per_day = 10\n"
        ))
        .expect("valid network");
        let (scenario, network) = crate::input::parse_scenario(
            "name = \"t\"\nnetwork = \"n.toml\"\nhorizon_days = 50\nwarmup_days = 5\n\
             replications = 3\nseed = 1\n\n[[flow]]\nfrom = \"a\"\nto = \"b\"\n\
             trains_per_week = 2\ntrain = { wagons = 50 }\n",
            std::path::Path::new("t.toml"),
            network,
        )
        .expect("valid scenario");
        Model::new(&network, &scenario).expect("a model")
    }

    fn replication(utilization: &[f64]) -> ReplicationResult {
        ReplicationResult {
            resources: utilization
                .iter()
                .map(|&u| ResourceResult {
                    utilization: u,
                    ..ResourceResult::default()
                })
                .collect(),
            ..ReplicationResult::default()
        }
    }

    #[test]
    fn binding_among_a_subset_counts_its_busiest_resource_only() {
        let model = model();
        let n = model.resources().len();
        assert!(n >= 3, "{n} resources");
        // The subset leaves out resource 0, the busiest of all in every replication.
        let member: Vec<bool> = (0..n).map(|k| k != 0).collect();
        let mut stats = RunStats::new(&model, Keep::Nothing).with_binding_among(member);
        let mut u = vec![0.1; n];
        u[0] = 0.9;
        u[1] = 0.5;
        stats.push(&replication(&u));
        u[2] = 0.6;
        stats.push(&replication(&u));
        // A tie goes to the first resource of the subset.
        u[2] = 0.5;
        stats.push(&replication(&u));
        let sb = stats.binding_among.as_ref().expect("asked for");
        assert_eq!(sb.binding[0], 0);
        assert_eq!(sb.binding[1], 2);
        assert_eq!(sb.binding[2], 1);
        assert_eq!(sb.binding.iter().sum::<u64>(), 3);
        // The overall count is unchanged by the subset.
        assert_eq!(stats.resources[0].binding, 3);
    }
}
