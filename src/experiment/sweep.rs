//! Capacity curves: the figures of every sweep point, the practical capacity with its
//! uncertainty, and the bottleneck at every point.

use serde::Serialize;

use crate::montecarlo::RunOutput;
use crate::sim::{Model, ReplicationResult};
use crate::stats::{Estimate, Histogram};
use crate::summary::{Transit, transit};

/// Days per week.
const WEEK: f64 = 7.0;
/// Delivered/offered at or above this counts as keeping up with demand.
pub const DELIVERED_RATIO_MIN: f64 = 0.99;

/// A capacity curve (`curve.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Curve {
    /// Scenario name.
    pub scenario: String,
    /// The swept parameter: `demand` (a factor on every flow) or `TARGET.PARAM`.
    pub param: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per point, with the same random streams at every point.
    pub replications: u64,
    /// Simulated days per replication, warm-up included.
    pub horizon_days: f64,
    /// Discarded initial days.
    pub warmup_days: f64,
    /// Largest acceptable p95 transit, as a multiple of the reference p95.
    pub p95_limit_factor: f64,
    /// The p95 limit (days): the factor times the reference p95 (each replication's
    /// p95, averaged) at the lowest demand (for a demand sweep) or at the best point
    /// (otherwise).
    pub p95_limit_days: f64,
    /// Delivered/offered must stay at or above this.
    pub delivered_ratio_min: f64,
    /// The points, by increasing value.
    pub points: Vec<CurvePoint>,
    /// Demand sweeps: the practical capacity.
    pub practical_capacity: Option<PracticalCapacity>,
    /// The smallest swept value whose point meets both criteria.
    pub first_value_meeting_criteria: Option<f64>,
}

/// The figures of one sweep point.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePoint {
    /// The parameter's value.
    pub value: f64,
    /// Offered block trains per week.
    pub offered_trains_per_week: Estimate,
    /// Delivered block trains per week (throughput).
    pub delivered_trains_per_week: Estimate,
    /// Delivered / offered, per replication.
    pub delivered_ratio: Estimate,
    /// Transit times: replication means with their interval; pooled p50 and p95.
    pub transit_days: Transit,
    /// The 95th percentile of each replication's transit times.
    pub transit_p95_days: Estimate,
    /// True if the mean delivered/offered >= the minimum and the mean p95 of the
    /// replications is within the limit.
    pub meets_criteria: bool,
    /// Share of replications meeting both criteria.
    pub replications_meeting: f64,
    /// The binding resource.
    pub bottleneck: Option<Bottleneck>,
    /// Every resource.
    pub resources: Vec<ResourcePoint>,
    /// Every flow.
    pub flows: Vec<FlowPoint>,
}

/// The binding resource at a point.
#[derive(Clone, Debug, Serialize)]
pub struct Bottleneck {
    /// Node or leg id.
    pub id: String,
    /// `station`, `rail`, `road` or `ferry`.
    pub kind: String,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Its utilisation.
    pub utilization: Estimate,
    /// Share of replications in which it had the highest utilisation.
    pub binding_share: f64,
    /// Its share of all waiting time at this point.
    pub wait_share: f64,
}

/// One resource at one point.
#[derive(Clone, Debug, Serialize)]
pub struct ResourcePoint {
    /// Node or leg id.
    pub id: String,
    /// `station`, `rail`, `road` or `ferry`.
    pub kind: String,
    /// Legs: where traffic comes from.
    pub from: Option<String>,
    /// Legs: where traffic goes.
    pub to: Option<String>,
    /// Utilisation.
    pub utilization: Estimate,
    /// Mean wait (days).
    pub wait_days: Estimate,
    /// Share of all waiting time at this point.
    pub wait_share: f64,
}

/// One flow at one point.
#[derive(Clone, Debug, Serialize)]
pub struct FlowPoint {
    /// Flow id.
    pub id: String,
    /// Offered block trains per week.
    pub offered_trains_per_week: Estimate,
    /// Delivered block trains per week.
    pub delivered_trains_per_week: Estimate,
    /// Transit times.
    pub transit_days: Transit,
}

/// The largest offered load at which the corridor keeps up (delivered/offered at
/// least 0.99) and the p95 transit stays within its limit, interpolated linearly
/// between sweep points.
#[derive(Clone, Debug, Serialize)]
pub struct PracticalCapacity {
    /// The practical capacity from the mean curve (trains per week), with a 95%
    /// percentile-bootstrap interval over replications (1,000 resamples).
    pub offered_trains_per_week: Estimate,
    /// From the mean curve (trains per week).
    pub point_estimate: f64,
    /// The demand factor at the point estimate.
    pub value: f64,
    /// `within_range`, `above_range` (every point passed: capacity is at least the last
    /// point) or `below_range` (the first point failed).
    pub bracket: String,
    /// `throughput` or `transit_p95`: the criterion that failed first; `none`.
    pub limited_by: String,
    /// The binding resource at the first failing point.
    pub bottleneck: Option<String>,
}

/// One point's inputs.
struct Series {
    offered: Vec<f64>,
    delivered: Vec<f64>,
    ratio: Vec<f64>,
    p95: Vec<f64>,
    /// Mean over replications of each replication's p95 transit: the figure the p95
    /// criterion uses.
    p95_mean: f64,
}

/// Bootstrap resamples for the interval of the practical capacity.
const BOOTSTRAP: usize = 1000;

/// Analyses the runs of a sweep (values in increasing order, each with its model and
/// output, the same replications at every point).
pub fn analyse_curve(
    scenario: &str,
    param: &str,
    demand: bool,
    seed: u64,
    p95_limit_factor: f64,
    points: &[(f64, &Model, &RunOutput)],
) -> Curve {
    let first_model = points.first().map(|p| p.1);
    let (horizon, warmup) = first_model.map_or((0.0, 0.0), |m| (m.horizon_days(), m.warmup_days()));
    let per_week = WEEK / (horizon - warmup).max(f64::MIN_POSITIVE);
    let series: Vec<Series> = points
        .iter()
        .map(|(_, _, out)| {
            let sum = |r: &ReplicationResult, g: &dyn Fn(&crate::sim::FlowResult) -> f64| -> f64 {
                r.flows.iter().map(g).sum()
            };
            let offered: Vec<f64> = out
                .replications
                .iter()
                .map(|r| sum(r, &|f| f.offered as f64) * per_week)
                .collect();
            let delivered: Vec<f64> = out
                .replications
                .iter()
                .map(|r| sum(r, &|f| f.completed as f64) * per_week)
                .collect();
            let ratio = offered
                .iter()
                .zip(&delivered)
                .map(|(o, d)| if *o > 0.0 { d / o } else { f64::NAN })
                .collect();
            let p95: Vec<f64> = out
                .replications
                .iter()
                .map(|r| r.transit_p95_days)
                .collect();
            let p95_mean = Estimate::of(&p95).mean;
            Series {
                offered,
                delivered,
                ratio,
                p95,
                p95_mean,
            }
        })
        .collect();
    let limit_base = if demand {
        series.first().map_or(f64::NAN, |s| s.p95_mean)
    } else {
        series
            .iter()
            .map(|s| s.p95_mean)
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min)
    };
    let limit = p95_limit_factor * limit_base;
    let ok = |ratio: f64, p95: f64| ratio >= DELIVERED_RATIO_MIN && p95 <= limit;

    let mut curve_points = Vec::with_capacity(points.len());
    for ((value, model, out), s) in points.iter().zip(&series) {
        let ratio = Estimate::of(&s.ratio);
        let meets = ok(ratio.mean, s.p95_mean);
        let reps = s.ratio.len().max(1) as f64;
        let meeting = s
            .ratio
            .iter()
            .zip(&s.p95)
            .filter(|(r, p)| ok(**r, **p))
            .count() as f64
            / reps;
        let (resources, bottleneck) = resources_at(model, out);
        let transit_mean = Estimate::of(
            &out.replications
                .iter()
                .map(|r| r.transit_mean_days())
                .collect::<Vec<_>>(),
        );
        curve_points.push(CurvePoint {
            value: *value,
            offered_trains_per_week: Estimate::of(&s.offered),
            delivered_trains_per_week: Estimate::of(&s.delivered),
            delivered_ratio: ratio,
            transit_days: transit(&transit_mean, &out.pooled_all()),
            transit_p95_days: Estimate::of(&s.p95),
            meets_criteria: meets,
            replications_meeting: meeting,
            bottleneck,
            resources,
            flows: flows_at(model, out, per_week),
        });
    }

    let practical_capacity = demand.then(|| {
        let x: Vec<f64> = curve_points
            .iter()
            .map(|p| p.offered_trains_per_week.mean)
            .collect();
        let mean_ratio: Vec<f64> = curve_points
            .iter()
            .map(|p| p.delivered_ratio.mean)
            .collect();
        let p95_mean: Vec<f64> = series.iter().map(|s| s.p95_mean).collect();
        let (point_estimate, bracket, failed_at, limited_by) =
            crossing(&x, &mean_ratio, &p95_mean, limit);
        let interval = bootstrap_interval(&x, &series, limit, seed);
        let values: Vec<f64> = curve_points.iter().map(|p| p.value).collect();
        PracticalCapacity {
            offered_trains_per_week: Estimate {
                mean: point_estimate,
                ci95: interval,
            },
            point_estimate,
            value: interpolate(&x, &values, point_estimate),
            bracket: bracket.to_string(),
            limited_by: limited_by.to_string(),
            bottleneck: failed_at
                .and_then(|j| curve_points[j].bottleneck.as_ref())
                .map(|b| b.id.clone()),
        }
    });
    let first_value_meeting_criteria = curve_points
        .iter()
        .find(|p| p.meets_criteria)
        .map(|p| p.value);
    Curve {
        scenario: scenario.to_string(),
        param: param.to_string(),
        seed,
        replications: series.first().map_or(0, |s| s.ratio.len() as u64),
        horizon_days: horizon,
        warmup_days: warmup,
        p95_limit_factor,
        p95_limit_days: limit,
        delivered_ratio_min: DELIVERED_RATIO_MIN,
        points: curve_points,
        practical_capacity,
        first_value_meeting_criteria,
    }
}

/// A 95% percentile-bootstrap interval of the practical capacity: the replications are
/// resampled with replacement (the same draw at every point, keeping the pairing of
/// common random numbers), the mean curve of each resample is formed, and its crossing
/// found; the 2.5% and 97.5% quantiles of those crossings bound the interval.
fn bootstrap_interval(x: &[f64], series: &[Series], limit: f64, seed: u64) -> Option<[f64; 2]> {
    use rand::{RngExt, SeedableRng};
    let n = series.first().map_or(0, |s| s.ratio.len());
    if n < 2 {
        return None;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0xB007_57A9);
    let mut draw = vec![0usize; n];
    let mut crossings = Vec::with_capacity(BOOTSTRAP);
    for _ in 0..BOOTSTRAP {
        for d in &mut draw {
            *d = rng.random_range(0..n);
        }
        let mean = |v: &[f64]| {
            let (s, k) = draw
                .iter()
                .map(|&i| v[i])
                .filter(|v| v.is_finite())
                .fold((0.0, 0), |(s, k), v| (s + v, k + 1));
            if k == 0 { f64::NAN } else { s / k as f64 }
        };
        let ratio: Vec<f64> = series.iter().map(|s| mean(&s.ratio)).collect();
        let p95: Vec<f64> = series.iter().map(|s| mean(&s.p95)).collect();
        crossings.push(crossing(x, &ratio, &p95, limit).0);
    }
    crossings.sort_by(f64::total_cmp);
    let at = |q: f64| crossings[((q * (BOOTSTRAP - 1) as f64).round() as usize).min(BOOTSTRAP - 1)];
    Some([at(0.025), at(0.975)])
}

/// Where a curve first fails a criterion: the interpolated load, whether the crossing
/// lies within the swept range, the first failing point, and which criterion failed.
fn crossing(
    x: &[f64],
    ratio: &[f64],
    p95: &[f64],
    limit: f64,
) -> (f64, &'static str, Option<usize>, &'static str) {
    // NaN (nothing offered or delivered) fails too.
    let fails_ratio = |j: usize| ratio[j].is_nan() || ratio[j] < DELIVERED_RATIO_MIN;
    let fails_p95 = |j: usize| p95[j].is_nan() || p95[j] > limit;
    let Some(j) = (0..x.len()).find(|&j| fails_ratio(j) || fails_p95(j)) else {
        return (
            x.last().copied().unwrap_or(f64::NAN),
            "above_range",
            None,
            "none",
        );
    };
    let limited_by = if fails_ratio(j) {
        "throughput"
    } else {
        "transit_p95"
    };
    if j == 0 {
        return (x[0], "below_range", Some(0), limited_by);
    }
    let i = j - 1;
    let mut t: f64 = 1.0;
    if fails_ratio(j) && ratio[j].is_finite() && ratio[i] > ratio[j] {
        t = t.min((ratio[i] - DELIVERED_RATIO_MIN) / (ratio[i] - ratio[j]));
    }
    if fails_p95(j) && p95[j].is_finite() && p95[j] > p95[i] {
        t = t.min((limit - p95[i]) / (p95[j] - p95[i]));
    }
    let t = t.clamp(0.0, 1.0);
    (
        x[i] + t * (x[j] - x[i]),
        "within_range",
        Some(j),
        limited_by,
    )
}

/// Linear interpolation of `ys` over increasing `xs` at `x`.
fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    for k in 1..xs.len() {
        if x <= xs[k] {
            let (x0, x1) = (xs[k - 1], xs[k]);
            let t = if x1 > x0 {
                ((x - x0) / (x1 - x0)).clamp(0.0, 1.0)
            } else {
                0.0
            };
            return ys[k - 1] + t * (ys[k] - ys[k - 1]);
        }
    }
    ys.last().copied().unwrap_or(f64::NAN)
}

fn resources_at(model: &Model, out: &RunOutput) -> (Vec<ResourcePoint>, Option<Bottleneck>) {
    let infos = model.resources();
    let reps = &out.replications;
    let total_wait: f64 = reps
        .iter()
        .flat_map(|r| r.resources.iter())
        .map(|x| x.wait_sum_days)
        .sum();
    let mut binding = vec![0u64; infos.len()];
    for r in reps {
        let best = (0..r.resources.len()).max_by(|&a, &b| {
            r.resources[a]
                .utilization
                .total_cmp(&r.resources[b].utilization)
                .then(b.cmp(&a))
        });
        if let Some(k) = best {
            binding[k] += 1;
        }
    }
    let points: Vec<ResourcePoint> = infos
        .iter()
        .enumerate()
        .map(|(k, info)| {
            let wait: f64 = reps.iter().map(|r| r.resources[k].wait_sum_days).sum();
            ResourcePoint {
                id: info.id.clone(),
                kind: info.kind.name().to_string(),
                from: info.from.clone(),
                to: info.to.clone(),
                utilization: Estimate::of(
                    &reps
                        .iter()
                        .map(|r| r.resources[k].utilization)
                        .collect::<Vec<_>>(),
                ),
                wait_days: Estimate::of(
                    &reps
                        .iter()
                        .map(|r| r.resources[k].wait_mean_days())
                        .collect::<Vec<_>>(),
                ),
                wait_share: if total_wait > 0.0 {
                    wait / total_wait
                } else {
                    0.0
                },
            }
        })
        .collect();
    let top = (0..points.len()).max_by(|&a, &b| {
        points[a]
            .utilization
            .mean
            .total_cmp(&points[b].utilization.mean)
            .then(b.cmp(&a))
    });
    let bottleneck = top.map(|k| {
        let p = &points[k];
        Bottleneck {
            id: p.id.clone(),
            kind: p.kind.clone(),
            from: p.from.clone(),
            to: p.to.clone(),
            utilization: p.utilization,
            binding_share: binding[k] as f64 / reps.len().max(1) as f64,
            wait_share: p.wait_share,
        }
    });
    (points, bottleneck)
}

fn flows_at(model: &Model, out: &RunOutput, per_week: f64) -> Vec<FlowPoint> {
    model
        .flows()
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let reps = &out.replications;
            let col = |g: &dyn Fn(&crate::sim::FlowResult) -> f64| {
                Estimate::of(&reps.iter().map(|r| g(&r.flows[i])).collect::<Vec<_>>())
            };
            let mean = col(&|f| {
                if f.delivered > 0 {
                    f.transit_sum_days / f.delivered as f64
                } else {
                    f64::NAN
                }
            });
            FlowPoint {
                id: info.id.clone(),
                offered_trains_per_week: col(&|f| f.offered as f64 * per_week),
                delivered_trains_per_week: col(&|f| f.completed as f64 * per_week),
                transit_days: transit(&mean, out.pooled.get(i).unwrap_or(&Histogram::new())),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_interpolates_the_first_failure() {
        let x = [10.0, 20.0, 30.0, 40.0];
        // The ratio falls below 0.99 between 20 and 30: 1.0 -> 0.98, crossing at 25.
        let (c, bracket, at, by) = crossing(&x, &[1.0, 1.0, 0.98, 0.9], &[1.0, 1.0, 1.0, 1.0], 2.0);
        assert!((c - 25.0).abs() < 1e-9, "{c}");
        assert_eq!((bracket, at, by), ("within_range", Some(2), "throughput"));
        // p95 passes its limit 2.0 a quarter of the way from 30 to 40.
        let (c, _, at, by) = crossing(&x, &[1.0; 4], &[1.0, 1.2, 1.5, 3.5], 2.0);
        assert!((c - 32.5).abs() < 1e-9, "{c}");
        assert_eq!((at, by), (Some(3), "transit_p95"));
        assert_eq!(crossing(&x, &[1.0; 4], &[1.0; 4], 2.0).1, "above_range");
        assert_eq!(crossing(&x, &[0.5; 4], &[1.0; 4], 2.0).1, "below_range");
    }

    #[test]
    fn interpolation_is_linear_and_clamped() {
        assert_eq!(interpolate(&[0.0, 10.0], &[1.0, 2.0], 5.0), 1.5);
        assert_eq!(interpolate(&[0.0, 10.0], &[1.0, 2.0], 50.0), 2.0);
    }
}
