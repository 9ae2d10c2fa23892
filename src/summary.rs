//! The summary of a run: means over replications with 95% intervals, pooled
//! percentiles, per flow, route and resource. This is the schema of `summary.json`.

use serde::Serialize;

use crate::montecarlo::RunOutput;
use crate::scenario::Scenario;
use crate::sim::{Model, ReplicationResult};
use crate::stats::{Estimate, Histogram};

/// Days per week.
const WEEK: f64 = 7.0;

/// The summary of a run (`summary.json`).
#[derive(Clone, Debug, Serialize)]
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
    pub events_per_replication: f64,
}

/// Transit-time figures (days).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Transit {
    /// Mean over replications of each replication's mean transit time.
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

/// Figures of all flows together.
#[derive(Clone, Debug, Serialize)]
pub struct Overall {
    /// Trains that arrived in the window.
    pub offered_trains: Estimate,
    /// Of those, trains delivered by the horizon.
    pub delivered_trains: Estimate,
    /// Of those, trains still under way at the horizon.
    pub in_system_trains: Estimate,
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
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
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

/// Figures of one resource.
#[derive(Clone, Debug, Serialize)]
pub struct ResourceSummary {
    /// Node or leg id.
    pub id: String,
    /// `station`, `rail`, `road` or `ferry`.
    pub kind: String,
    /// Node kind of a station, mode of a leg.
    pub detail: String,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Servers (stations), trains or trucks per day (0 = no limit), wagons per day
    /// (ferries).
    pub capacity: f64,
    /// Share of capacity used.
    pub utilization: Estimate,
    /// Mean wait before service, entry or sailing (days).
    pub wait_days: Estimate,
    /// Time-average number of trains waiting.
    pub queue_length: Estimate,
    /// Time-average number of trains in service (stations) or occupying the line.
    pub in_service: Estimate,
    /// Trains arriving per day.
    pub arrivals_per_day: Estimate,
    /// Share of time closed.
    pub closed_share: Estimate,
}

impl Summary {
    /// Summarises a run of `model` for `scenario`.
    pub fn new(scenario: &Scenario, model: &Model, out: &RunOutput) -> Summary {
        let reps = &out.replications;
        let window = model.horizon_days() - model.warmup_days();
        let per_week = WEEK / window;
        let est = |f: &dyn Fn(&ReplicationResult) -> f64| -> Estimate {
            Estimate::of(&reps.iter().map(f).collect::<Vec<_>>())
        };
        let sum_flows = |r: &ReplicationResult,
                         g: &dyn Fn(&crate::sim::FlowResult) -> f64|
         -> f64 { r.flows.iter().map(g).sum() };
        let overall = Overall {
            offered_trains: est(&|r| sum_flows(r, &|f| f.offered as f64)),
            delivered_trains: est(&|r| sum_flows(r, &|f| f.delivered as f64)),
            in_system_trains: est(&|r| sum_flows(r, &|f| f.in_system as f64)),
            offered_trains_per_week: est(&|r| sum_flows(r, &|f| f.offered as f64) * per_week),
            delivered_trains_per_week: est(&|r| sum_flows(r, &|f| f.completed as f64) * per_week),
            transit_days: transit(&est(&|r| r.transit_mean_days()), &out.pooled_all()),
            teu_delivered: est(&|r| sum_flows(r, &|f| f.teu_delivered)),
            tonnes_delivered: est(&|r| sum_flows(r, &|f| f.tonnes_delivered)),
        };
        let flows = model
            .flows()
            .iter()
            .enumerate()
            .map(|(i, info)| {
                let fe = |g: &dyn Fn(&crate::sim::FlowResult) -> f64| est(&|r| g(&r.flows[i]));
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
                    offered_trains: fe(&|f| f.offered as f64),
                    delivered_trains: fe(&|f| f.delivered as f64),
                    in_system_trains: fe(&|f| f.in_system as f64),
                    offered_trains_per_week: fe(&|f| f.offered as f64 * per_week),
                    delivered_trains_per_week: fe(&|f| f.completed as f64 * per_week),
                    transit_days: transit(
                        &fe(&|f| {
                            if f.delivered > 0 {
                                f.transit_sum_days / f.delivered as f64
                            } else {
                                f64::NAN
                            }
                        }),
                        out.pooled.get(i).unwrap_or(&Histogram::new()),
                    ),
                    teu_delivered: fe(&|f| f.teu_delivered),
                    tonnes_delivered: fe(&|f| f.tonnes_delivered),
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
                    kind: info.kind.name().to_string(),
                    detail: info.detail.clone(),
                    from: info.from.clone(),
                    to: info.to.clone(),
                    capacity: info.capacity,
                    utilization: re(&|x| x.utilization),
                    wait_days: re(&|x| x.wait_mean_days()),
                    queue_length: re(&|x| x.queue_mean),
                    in_service: re(&|x| x.in_service_mean),
                    arrivals_per_day: re(&|x| x.arrivals as f64 / window),
                    closed_share: re(&|x| x.closed_share),
                }
            })
            .collect();
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
        }
    }
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
