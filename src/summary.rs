//! Summarising a run: per-replication figures computed once ([`RunFigures`]), then
//! means over replications with 95% intervals and pooled percentiles, per flow, route
//! and resource ([`Summary`], the type of `summary.json`, lives in [`crate::schema`]).
//! Sweeps, comparisons and the precision loop aggregate the same [`RunFigures`].

use crate::montecarlo::RunOutput;
use crate::scenario::Scenario;
use crate::sim::{FlowResult, Model, ReplicationResult};
use crate::stats::{Estimate, Histogram};

use crate::schema::{Detail, Saturation};
pub use crate::schema::{FlowSummary, Overall, ResourceSummary, RouteSummary, Summary, Transit};

/// Days per week.
pub const DAYS_PER_WEEK: f64 = 7.0;

/// Delivered/offered at or above this counts as keeping up with demand.
pub const DELIVERED_RATIO_MIN: f64 = 0.99;

/// One figure per replication, in replication order, for one flow or all flows.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    /// Trains that arrived in the window.
    pub offered_trains: Vec<f64>,
    /// Of those, trains delivered by the horizon.
    pub delivered_trains: Vec<f64>,
    /// Of those, trains still under way at the horizon.
    pub in_system_trains: Vec<f64>,
    /// Offered trains per week.
    pub offered_trains_per_week: Vec<f64>,
    /// Trains reaching their destination per week in the window (throughput).
    pub delivered_trains_per_week: Vec<f64>,
    /// Mean transit of the delivered trains (days; NaN without any).
    pub transit_mean_days: Vec<f64>,
    /// 95th percentile transit (days).
    pub transit_p95_days: Vec<f64>,
    /// TEU delivered.
    pub teu_delivered: Vec<f64>,
    /// Tonnes delivered.
    pub tonnes_delivered: Vec<f64>,
}

impl Figures {
    fn push(&mut self, f: FlowTotals, per_week: f64) {
        self.offered_trains.push(f.offered);
        self.delivered_trains.push(f.delivered);
        self.in_system_trains.push(f.in_system);
        self.offered_trains_per_week.push(f.offered * per_week);
        self.delivered_trains_per_week.push(f.completed * per_week);
        self.transit_mean_days.push(f.transit_mean_days);
        self.transit_p95_days.push(f.transit_p95_days);
        self.teu_delivered.push(f.teu);
        self.tonnes_delivered.push(f.tonnes);
    }

    /// Delivered / offered per replication (NaN with nothing offered).
    pub fn delivered_ratio(&self) -> Vec<f64> {
        self.offered_trains_per_week
            .iter()
            .zip(&self.delivered_trains_per_week)
            .map(|(o, d)| if *o > 0.0 { d / o } else { f64::NAN })
            .collect()
    }
}

/// The per-replication figures of a run: all flows together and each flow.
#[derive(Clone, Debug)]
pub struct RunFigures {
    /// All flows together.
    pub overall: Figures,
    /// Per flow, in the model's order.
    pub flows: Vec<Figures>,
    /// Observed days per replication.
    pub window_days: f64,
}

/// One replication's totals of one flow or all flows.
#[derive(Clone, Copy)]
struct FlowTotals {
    offered: f64,
    delivered: f64,
    in_system: f64,
    completed: f64,
    transit_mean_days: f64,
    transit_p95_days: f64,
    teu: f64,
    tonnes: f64,
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

impl RunFigures {
    /// The figures of every replication of `out`, run on `model`.
    pub fn new(model: &Model, out: &RunOutput) -> RunFigures {
        let window = model.horizon_days() - model.warmup_days();
        let per_week = DAYS_PER_WEEK / window.max(f64::MIN_POSITIVE);
        let n_flows = model.flows().len();
        let mut overall = Figures::default();
        let mut flows = vec![Figures::default(); n_flows];
        for r in &out.replications {
            overall.push(totals(r), per_week);
            for (fig, f) in flows.iter_mut().zip(&r.flows) {
                fig.push(
                    FlowTotals {
                        offered: f.offered as f64,
                        delivered: f.delivered as f64,
                        in_system: f.in_system as f64,
                        completed: f.completed as f64,
                        transit_mean_days: flow_transit_mean_days(f),
                        transit_p95_days: f.transit_p95_days,
                        teu: f.teu_delivered,
                        tonnes: f.tonnes_delivered,
                    },
                    per_week,
                );
            }
        }
        RunFigures {
            overall,
            flows,
            window_days: window,
        }
    }
}

fn totals(r: &ReplicationResult) -> FlowTotals {
    let sum = |g: fn(&FlowResult) -> f64| r.flows.iter().map(g).sum::<f64>();
    FlowTotals {
        offered: sum(|f| f.offered as f64),
        delivered: sum(|f| f.delivered as f64),
        in_system: sum(|f| f.in_system as f64),
        completed: sum(|f| f.completed as f64),
        transit_mean_days: r.transit_mean_days(),
        transit_p95_days: r.transit_p95_days,
        teu: sum(|f| f.teu_delivered),
        tonnes: sum(|f| f.tonnes_delivered),
    }
}

impl Summary {
    /// Summarises a run of `model` for `scenario`.
    pub fn new(scenario: &Scenario, model: &Model, out: &RunOutput) -> Summary {
        let reps = &out.replications;
        let figures = RunFigures::new(model, out);
        let window = figures.window_days;
        let est = |f: &dyn Fn(&ReplicationResult) -> f64| -> Estimate {
            Estimate::of(&reps.iter().map(f).collect::<Vec<_>>())
        };
        let o = &figures.overall;
        let overall = Overall {
            offered_trains: Estimate::of(&o.offered_trains),
            delivered_trains: Estimate::of(&o.delivered_trains),
            in_system_trains: Estimate::of(&o.in_system_trains),
            in_system_age_days: est(&|r| {
                let (n, age) = r.flows.iter().fold((0, 0.0), |(n, a), f| {
                    (n + f.in_system, a + f.in_system_age_sum_days)
                });
                if n == 0 { f64::NAN } else { age / n as f64 }
            }),
            backlog_delivered_trains: est(&|r| {
                r.flows.iter().map(|f| f.initial_delivered as f64).sum()
            }),
            offered_trains_per_week: Estimate::of(&o.offered_trains_per_week),
            delivered_trains_per_week: Estimate::of(&o.delivered_trains_per_week),
            transit_days: transit(&Estimate::of(&o.transit_mean_days), &out.pooled_all()),
            teu_delivered: Estimate::of(&o.teu_delivered),
            tonnes_delivered: Estimate::of(&o.tonnes_delivered),
        };
        let flows = model
            .flows()
            .iter()
            .enumerate()
            .map(|(i, info)| {
                let fe = |g: &dyn Fn(&FlowResult) -> f64| est(&|r| g(&r.flows[i]));
                let fig = &figures.flows[i];
                let delivered_total: u64 = reps.iter().map(|r| r.flows[i].delivered).sum();
                let routes = info
                    .routes
                    .iter()
                    .enumerate()
                    .map(|(j, ri)| {
                        let (n, sum) = reps.iter().fold((0u64, 0.0), |(n, s), r| {
                            let rr = &r.flows[i].routes[j];
                            (n + rr.delivered, s + rr.transit_sum_days)
                        });
                        RouteSummary {
                            nodes: ri.nodes.clone(),
                            share: if delivered_total > 0 {
                                n as f64 / delivered_total as f64
                            } else {
                                0.0
                            },
                            expected_days: ri.expected_days,
                            km: ri.km,
                            delivered_trains: fe(&|f| f.routes[j].delivered as f64),
                            in_system_trains: fe(&|f| f.routes[j].in_system as f64),
                            transit_days_mean: (n > 0).then(|| sum / n as f64),
                            transit_days_p50: route_pool(out, i, j).and_then(|h| h.quantile(0.5)),
                            transit_days_p95: route_pool(out, i, j).and_then(|h| h.quantile(0.95)),
                        }
                    })
                    .collect();
                FlowSummary {
                    id: info.id.clone(),
                    from: info.from.clone(),
                    to: info.to.clone(),
                    scenario_trains_per_week: info.trains_per_week,
                    offered_trains: Estimate::of(&fig.offered_trains),
                    delivered_trains: Estimate::of(&fig.delivered_trains),
                    in_system_trains: Estimate::of(&fig.in_system_trains),
                    in_system_age_days: fe(&|f| {
                        if f.in_system == 0 {
                            f64::NAN
                        } else {
                            f.in_system_age_sum_days / f.in_system as f64
                        }
                    }),
                    backlog_delivered_trains: fe(&|f| f.initial_delivered as f64),
                    offered_trains_per_week: Estimate::of(&fig.offered_trains_per_week),
                    delivered_trains_per_week: Estimate::of(&fig.delivered_trains_per_week),
                    transit_days: transit(
                        &Estimate::of(&fig.transit_mean_days),
                        out.pooled.get(i).unwrap_or(&Histogram::new()),
                    ),
                    teu_delivered: Estimate::of(&fig.teu_delivered),
                    tonnes_delivered: Estimate::of(&fig.tonnes_delivered),
                    routes,
                }
            })
            .collect();
        let resources = model
            .resources()
            .iter()
            .enumerate()
            .map(|(k, info)| {
                let re =
                    |g: &dyn Fn(&crate::sim::ResourceResult) -> f64| est(&|r| g(&r.resources[k]));
                ResourceSummary {
                    id: info.id.clone(),
                    kind: info.kind,
                    detail: detail(&info.detail),
                    from: info.from.clone(),
                    to: info.to.clone(),
                    capacity: info.capacity,
                    utilization: re(&|x| x.utilization),
                    wait_days: re(&|x| x.wait_mean_days()),
                    wait_days_with_censored: re(&|x| x.wait_mean_with_censored_days()),
                    waiting_at_end: re(&|x| x.censored_waits as f64),
                    queue_length: re(&|x| x.queue_mean),
                    in_service: re(&|x| x.in_service_mean),
                    arrivals_per_day: re(&|x| x.arrivals as f64 / window),
                    closed_share: re(&|x| x.closed_share),
                }
            })
            .collect();
        // The capacity criterion's ratio: throughput over offered load, averaged over
        // replications (trains offered near the horizon and still under way are not
        // overload).
        let ratio = Estimate::of(&o.delivered_ratio()).mean;
        let mut notices = Vec::new();
        if ratio < DELIVERED_RATIO_MIN {
            let left = overall.in_system_trains.mean;
            let age = overall.in_system_age_days.mean;
            let age = if age.is_finite() {
                format!(", {age:.1} days old on average")
            } else {
                String::new()
            };
            notices.push(format!(
                "overload: trains delivered per week are only {:.1}% of those offered (below {}%): {left:.1} trains a replication are still under way at the end{age}, so queues may be growing; transit times cover delivered trains only and understate the delay",
                100.0 * ratio,
                100.0 * DELIVERED_RATIO_MIN
            ));
        }
        Summary {
            scenario: scenario.name.clone(),
            description: scenario.description.clone(),
            seed: scenario.run.seed,
            replications: reps.len() as u64,
            horizon_days: model.horizon_days(),
            warmup_days: model.warmup_days(),
            window_days: window,
            overall,
            flows,
            resources,
            events_per_replication: reps.iter().map(|r| r.events as f64).sum::<f64>()
                / reps.len().max(1) as f64,
            saturation: saturation(model, reps),
            notices,
        }
    }
}

/// How many replications saturated, and where and when the first did.
fn saturation(model: &Model, reps: &[ReplicationResult]) -> Option<Saturation> {
    let mut saturated = reps.iter().filter_map(|r| Some((r.index, r.saturated?)));
    let (first_replication, first) = saturated.next()?;
    Some(Saturation {
        replications: 1 + saturated.count() as u64,
        first_replication,
        first_day: first.day,
        trains_in_system: first.trains_in_system,
        resource: first
            .resource
            .map(|i| model.resources()[i as usize].label()),
    })
}

/// The detail of a resource from the name the model gives it (a node kind or a mode,
/// spelled as in files).
pub(crate) fn detail(name: &str) -> Detail {
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};
    Detail::deserialize(StrDeserializer::<Error>::new(name))
        .expect("the model names resources by node kind or mode, as in files")
}

fn route_pool(out: &RunOutput, flow: usize, route: usize) -> Option<&Histogram> {
    out.pooled_routes.get(flow).and_then(|r| r.get(route))
}

/// Transit figures from replication means and a pooled histogram.
pub(crate) fn transit(mean: &Estimate, pooled: &Histogram) -> Transit {
    Transit {
        mean: mean.mean,
        ci95: mean.ci95,
        p50: pooled.quantile(0.5),
        p95: pooled.quantile(0.95),
        trains: pooled.count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Mode, NodeKind};

    #[test]
    fn every_node_kind_and_mode_is_a_detail() {
        for k in [
            NodeKind::RailTerminal,
            NodeKind::SeaPort,
            NodeKind::BorderCrossing,
            NodeKind::GaugeChange,
            NodeKind::Junction,
            NodeKind::RoadTerminal,
        ] {
            assert_eq!(detail(k.name()), Detail::Node(k));
        }
        for m in [Mode::Rail, Mode::Sea, Mode::Road] {
            assert_eq!(detail(m.name()), Detail::Leg(m));
        }
    }
}
