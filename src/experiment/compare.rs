//! Paired comparisons of scenarios run with common random numbers.

use serde::Serialize;

use crate::montecarlo::RunOutput;
use crate::sim::{Model, ReplicationResult};
use crate::stats::Estimate;

/// Days per week.
const WEEK: f64 = 7.0;

/// Alternatives against a base scenario (`compare.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// Base scenario name.
    pub base: String,
    /// Master seed shared by every scenario.
    pub seed: u64,
    /// Replications per scenario; replication i of every scenario uses the same streams.
    pub replications: u64,
    /// One entry per alternative.
    pub alternatives: Vec<ScenarioComparison>,
}

/// One alternative against the base.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioComparison {
    /// Alternative scenario name.
    pub scenario: String,
    /// All flows together.
    pub overall: FlowComparison,
    /// Flows present in both scenarios (matched by id).
    pub flows: Vec<FlowComparison>,
    /// Flow ids present in only one of the two.
    pub unmatched_flows: Vec<String>,
}

/// Paired differences for one flow (or all flows).
#[derive(Clone, Debug, Serialize)]
pub struct FlowComparison {
    /// Flow id, or `all`.
    pub flow: String,
    /// Offered block trains per week.
    pub offered_trains_per_week: Difference,
    /// Delivered block trains per week (throughput).
    pub delivered_trains_per_week: Difference,
    /// Mean transit (days).
    pub transit_mean_days: Difference,
    /// 95th percentile transit (days), per replication.
    pub transit_p95_days: Difference,
}

/// A paired difference, alternative minus base, over replications.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Difference {
    /// Base mean.
    pub base: f64,
    /// Alternative mean.
    pub alternative: f64,
    /// Mean of the paired differences with its Student-t 95% interval.
    pub difference: Estimate,
    /// True if the 95% interval of the difference excludes zero.
    pub significant: bool,
}

impl Difference {
    fn of(base: &[f64], alt: &[f64]) -> Difference {
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
}

/// Per-replication figures of one flow (`None`: all flows).
fn figures(model: &Model, out: &RunOutput, flow: Option<usize>) -> [Vec<f64>; 4] {
    let per_week = WEEK / (model.horizon_days() - model.warmup_days());
    let pick = |r: &ReplicationResult, g: &dyn Fn(&crate::sim::FlowResult) -> f64| -> f64 {
        match flow {
            Some(i) => g(&r.flows[i]),
            None => r.flows.iter().map(g).sum(),
        }
    };
    let reps = &out.replications;
    [
        reps.iter()
            .map(|r| pick(r, &|f| f.offered as f64) * per_week)
            .collect(),
        reps.iter()
            .map(|r| pick(r, &|f| f.completed as f64) * per_week)
            .collect(),
        reps.iter()
            .map(|r| match flow {
                Some(i) => {
                    let f = &r.flows[i];
                    if f.delivered > 0 {
                        f.transit_sum_days / f.delivered as f64
                    } else {
                        f64::NAN
                    }
                }
                None => r.transit_mean_days(),
            })
            .collect(),
        reps.iter()
            .map(|r| flow.map_or(r.transit_p95_days, |i| r.flows[i].transit_p95_days))
            .collect(),
    ]
}

fn flow_comparison(name: &str, base: [Vec<f64>; 4], alt: [Vec<f64>; 4]) -> FlowComparison {
    FlowComparison {
        flow: name.to_string(),
        offered_trains_per_week: Difference::of(&base[0], &alt[0]),
        delivered_trains_per_week: Difference::of(&base[1], &alt[1]),
        transit_mean_days: Difference::of(&base[2], &alt[2]),
        transit_p95_days: Difference::of(&base[3], &alt[3]),
    }
}

/// Compares alternatives with a base. Every run must have the same replications,
/// seed and indices, so that replication i of each is paired with replication i of
/// the base.
pub fn compare(
    base_name: &str,
    seed: u64,
    base: (&Model, &RunOutput),
    alternatives: &[(&str, &Model, &RunOutput)],
) -> Comparison {
    let (bm, bo) = base;
    let mut out = Vec::new();
    for (name, am, ao) in alternatives {
        let mut flows = Vec::new();
        let mut unmatched = Vec::new();
        for (i, f) in bm.flows().iter().enumerate() {
            match am.flows().iter().position(|g| g.id == f.id) {
                Some(j) => flows.push(flow_comparison(
                    &f.id,
                    figures(bm, bo, Some(i)),
                    figures(am, ao, Some(j)),
                )),
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
            overall: flow_comparison("all", figures(bm, bo, None), figures(am, ao, None)),
            flows,
            unmatched_flows: unmatched,
        });
    }
    Comparison {
        base: base_name.to_string(),
        seed,
        replications: bo.replications.len() as u64,
        alternatives: out,
    }
}
