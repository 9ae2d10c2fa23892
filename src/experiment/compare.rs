//! Paired comparisons of scenarios run with common random numbers.

pub use crate::schema::{Comparison, Difference, FlowComparison, ScenarioComparison};
use crate::sim::Model;
use crate::stats::Estimate;
use crate::summary::{RunStats, Series};

/// A paired difference of per-replication figures, alternative minus base.
fn difference(base: &[f64], alt: &[f64]) -> Difference {
    let pairs: Vec<(f64, f64)> = base
        .iter()
        .zip(alt)
        .map(|(b, a)| (*b, *a))
        .filter(|(b, a)| b.is_finite() && a.is_finite())
        .collect();
    let diffs: Vec<f64> = pairs.iter().map(|(b, a)| a - b).collect();
    let difference = Estimate::of(&diffs);
    let significant = difference.ci95.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0);
    Difference {
        base: Estimate::of(base).mean,
        alternative: Estimate::of(alt).mean,
        difference,
        significant,
    }
}

fn flow_comparison(name: &str, base: &Series, alt: &Series) -> FlowComparison {
    FlowComparison {
        flow: name.to_string(),
        offered_trains_per_week: difference(
            &base.offered_trains_per_week,
            &alt.offered_trains_per_week,
        ),
        delivered_trains_per_week: difference(
            &base.delivered_trains_per_week,
            &alt.delivered_trains_per_week,
        ),
        transit_mean_days: difference(&base.transit_mean_days, &alt.transit_mean_days),
        transit_p95_days: difference(&base.transit_p95_days, &alt.transit_p95_days),
    }
}

/// The per-replication figures a comparison pairs: all flows together and each flow
/// (empty where the statistics kept none; run with [`crate::summary::Keep::Flows`]).
fn series(stats: &RunStats, flows: usize) -> (Series, Vec<Series>) {
    let overall = stats.overall_series.clone().unwrap_or_default();
    let mut per_flow = stats.flow_series.clone().unwrap_or_default();
    per_flow.resize_with(flows, Series::default);
    (overall, per_flow)
}

/// Compares alternatives with a base. Every run must have the same replications,
/// seed and indices, so that replication i of each is paired with replication i of
/// the base; each run's statistics must keep the per-replication figures of every
/// flow ([`crate::summary::Keep::Flows`]).
pub fn compare(
    base_name: &str,
    seed: u64,
    base: (&Model, &RunStats),
    alternatives: &[(&str, &Model, &RunStats)],
) -> Comparison {
    let (bm, bo) = base;
    let (b_all, b_flows) = series(bo, bm.flows().len());
    let mut out = Vec::new();
    for (name, am, ao) in alternatives {
        let (a_all, a_flows) = series(ao, am.flows().len());
        let mut flows = Vec::new();
        let mut unmatched = Vec::new();
        for (i, f) in bm.flows().iter().enumerate() {
            match am.flows().iter().position(|g| g.id == f.id) {
                Some(j) => flows.push(flow_comparison(&f.id, &b_flows[i], &a_flows[j])),
                None => unmatched.push(f.id.clone()),
            }
        }
        for g in am.flows() {
            if !bm.flows().iter().any(|f| f.id == g.id) {
                unmatched.push(g.id.clone());
            }
        }
        out.push(ScenarioComparison {
            scenario: name.to_string(),
            overall: flow_comparison("all", &b_all, &a_all),
            flows,
            unmatched_flows: unmatched,
        });
    }
    Comparison {
        base: base_name.to_string(),
        seed,
        replications: bo.replications,
        alternatives: out,
    }
}
