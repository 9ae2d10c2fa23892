//! Summarising a run: the replications are folded as they finish, in index order,
//! into streaming statistics ([`RunStats`]), whose moments give means over
//! replications with 95% intervals, and whose pooled histograms give percentiles, per
//! flow, route and resource ([`Summary`], the type of `summary.json`, lives in
//! [`crate::schema`]). Sweeps, comparisons and the precision loop read the same
//! [`RunStats`].

use crate::scenario::Scenario;
use crate::sim::Model;
use crate::stats::{Estimate, Histogram};

mod classes;
mod fold;
mod storage;

pub use classes::ClassStats;
pub use storage::{EmbargoStats, StoreStats};

pub use fold::{
    FlowStats, Keep, ResourceStats, RouteStats, RunStats, SENSITIVITY_FIGURES, Series,
    SubsetBinding, flow_transit_mean_days,
};

use crate::schema::{Detail, Saturation, SensitivityRow};
pub use crate::schema::{FlowSummary, Overall, ResourceSummary, RouteSummary, Summary, Transit};

/// Days per week.
pub const DAYS_PER_WEEK: f64 = 7.0;

/// Delivered/offered at or above this counts as keeping up with demand.
pub const DELIVERED_RATIO_MIN: f64 = 0.99;

impl Summary {
    /// Summarises a run of `model` for `scenario`.
    pub fn new(scenario: &Scenario, model: &Model, stats: &RunStats) -> Summary {
        let window = stats.window_days;
        let o = &stats.overall;
        let overall = Overall {
            offered_trains: o.offered_trains.estimate(),
            delivered_trains: o.delivered_trains.estimate(),
            in_system_trains: o.in_system_trains.estimate(),
            in_system_age_days: o.in_system_age_days.estimate(),
            backlog_delivered_trains: o.backlog_delivered.estimate(),
            offered_trains_per_week: o.offered_trains_per_week.estimate(),
            delivered_trains_per_week: o.delivered_trains_per_week.estimate(),
            transit_days: transit(&o.transit_mean_days.estimate(), &stats.pooled_all()),
            teu_delivered: o.teu_delivered.estimate(),
            tonnes_delivered: o.tonnes_delivered.estimate(),
        };
        let empty = FlowStats::default();
        let flows = model
            .flows()
            .iter()
            .enumerate()
            .map(|(i, info)| {
                let fig = stats.flows.get(i).unwrap_or(&empty);
                let delivered_total = fig.delivered_total;
                let routes = info
                    .routes
                    .iter()
                    .enumerate()
                    .map(|(j, ri)| {
                        let rs = stats
                            .routes
                            .get(i)
                            .and_then(|r| r.get(j))
                            .cloned()
                            .unwrap_or_default();
                        let n = rs.delivered_total;
                        RouteSummary {
                            nodes: ri.nodes.clone(),
                            share: if delivered_total > 0 {
                                n as f64 / delivered_total as f64
                            } else {
                                0.0
                            },
                            expected_days: ri.expected_days,
                            km: ri.km,
                            delivered_trains: rs.delivered_trains.estimate(),
                            in_system_trains: rs.in_system_trains.estimate(),
                            transit_days_mean: (n > 0).then(|| rs.transit_sum_days / n as f64),
                            transit_days_p50: stats.route_pool(i, j).and_then(|h| h.quantile(0.5)),
                            transit_days_p95: stats.route_pool(i, j).and_then(|h| h.quantile(0.95)),
                        }
                    })
                    .collect();
                FlowSummary {
                    id: info.id.clone(),
                    from: info.from.clone(),
                    to: info.to.clone(),
                    scenario_trains_per_week: info.trains_per_week,
                    offered_trains: fig.offered_trains.estimate(),
                    delivered_trains: fig.delivered_trains.estimate(),
                    in_system_trains: fig.in_system_trains.estimate(),
                    in_system_age_days: fig.in_system_age_days.estimate(),
                    backlog_delivered_trains: fig.backlog_delivered.estimate(),
                    offered_trains_per_week: fig.offered_trains_per_week.estimate(),
                    delivered_trains_per_week: fig.delivered_trains_per_week.estimate(),
                    transit_days: transit(
                        &fig.transit_mean_days.estimate(),
                        stats.pooled.get(i).unwrap_or(&Histogram::new()),
                    ),
                    teu_delivered: fig.teu_delivered.estimate(),
                    tonnes_delivered: fig.tonnes_delivered.estimate(),
                    routes,
                }
            })
            .collect();
        let empty = ResourceStats::default();
        let resources = model
            .resources()
            .iter()
            .enumerate()
            .map(|(k, info)| {
                let re = stats.resources.get(k).unwrap_or(&empty);
                ResourceSummary {
                    id: info.id.clone(),
                    kind: info.kind,
                    detail: detail(&info.detail),
                    from: info.from.clone(),
                    to: info.to.clone(),
                    capacity: info.capacity,
                    utilization: re.utilization.estimate(),
                    wait_days: re.wait_days.estimate(),
                    wait_days_with_censored: re.wait_days_with_censored.estimate(),
                    waiting_at_end: re.waiting_at_end.estimate(),
                    queue_length: re.queue_length.estimate(),
                    in_service: re.in_service.estimate(),
                    arrivals_per_day: re.arrivals_per_day.estimate(),
                    closed_share: re.closed_share.estimate(),
                    vessel_days_absent_per_year: model
                        .resource_has_availability(k)
                        .then(|| re.vessel_days_absent_per_year.estimate()),
                    sailings_without_vessel_per_year: model
                        .resource_has_availability(k)
                        .then(|| re.sailings_without_vessel_per_year.estimate()),
                }
            })
            .collect();
        // The capacity criterion's ratio: throughput over offered load, averaged over
        // replications (trains offered near the horizon and still under way are not
        // overload).
        let ratio = o.delivered_ratio.estimate().mean;
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
        let refused: u64 = stats.stores.iter().map(|x| x.refused_total).sum();
        if refused > 0 {
            notices.push(format!(
                "refused: {:.1} trains a replication were turned away by full nodes (when_full = \"refuse\"); they count as offered, not delivered (see storage.csv)",
                refused as f64 / stats.replications.max(1) as f64
            ));
        }
        Summary {
            scenario: scenario.name.clone(),
            description: scenario.description.clone(),
            seed: scenario.run.seed,
            replications: stats.replications,
            horizon_days: model.horizon_days(),
            warmup_days: model.warmup_days(),
            window_days: window,
            overall,
            flows,
            resources,
            events_per_replication: stats.events_per_replication(),
            saturation: saturation(model, stats),
            notices,
            classes: classes::summaries(model, &stats.classes),
            sensitivity: sensitivity_rows(&scenario.name, model, stats),
            storage: storage::summaries(model, &stats.stores),
            embargoes: storage::embargo_summaries(model, &stats.embargoes),
        }
    }
}

/// The sensitivity of the main figures to the uncertain inputs (empty without any):
/// for each figure, every input's standardised regression coefficient, largest
/// |coefficient| first (ties in input order).
pub fn sensitivity_rows(scenario: &str, model: &Model, stats: &RunStats) -> Vec<SensitivityRow> {
    let Some(c) = &stats.inputs else {
        return Vec::new();
    };
    let inputs = model.uncertain_inputs();
    let k = inputs.len();
    let xs: Vec<usize> = (0..k).collect();
    let mut rows = Vec::new();
    for (j, figure) in SENSITIVITY_FIGURES.iter().enumerate() {
        let coef = c.standardised_coefficients(&xs, k + j);
        let mut order: Vec<usize> = (0..k).collect();
        let key = |i: usize| {
            if coef[i].is_nan() {
                -1.0
            } else {
                coef[i].abs()
            }
        };
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
        for (rank, &i) in order.iter().enumerate() {
            let u = &inputs[i];
            rows.push(SensitivityRow {
                scenario: scenario.to_string(),
                figure: figure.to_string(),
                input: u.label.clone(),
                rank: rank as u32 + 1,
                coefficient: coef[i],
                correlation: c.correlation(i, k + j),
                noise_bound: 4.0 / (c.n as f64).sqrt(),
                replications: c.n,
                min: u.range.min(),
                mode: u.range.mode(),
                max: u.range.max(),
            });
        }
    }
    rows
}

/// How many replications saturated, and where and when the first did (`None` if none
/// did).
pub(crate) fn saturation(model: &Model, stats: &RunStats) -> Option<Saturation> {
    let (first_replication, first) = stats.first_saturation?;
    Some(Saturation {
        replications: stats.saturated,
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
