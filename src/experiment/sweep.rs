//! Capacity curves: the figures of every sweep point, the practical capacity with its
//! uncertainty, and the bottleneck at every point.

pub use crate::schema::{
    Bottleneck, Curve, CurvePoint, FlowPoint, PracticalCapacity, ResourcePoint,
};
use crate::schema::{Bracket, LimitedBy, Refinement};
use crate::sim::Model;
use crate::stats::{Estimate, Histogram};
use crate::summary::{Keep, RunStats, transit};

pub use crate::summary::DELIVERED_RATIO_MIN;

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

/// The mean TEU per train of the flows a capacity counts (one group's, or all), weighted
/// by their offered trains per week; `None` if they carry no TEU. A demand sweep
/// scales those flows alike, so the mean is the same at every point.
fn teu_per_train(model: &Model, group: Option<&str>) -> Option<f64> {
    let (trains, teu) = model
        .flows()
        .iter()
        .filter(|f| group.is_none_or(|g| f.group == g))
        .fold((0.0, 0.0), |(n, t), f| {
            (n + f.trains_per_week, t + f.trains_per_week * f.train.teu)
        });
    (trains > 0.0 && teu > 0.0).then(|| teu / trains)
}

impl Series {
    /// The series of one point, of every flow or of one group's flows.
    fn of(model: &Model, stats: &RunStats, group: Option<&str>) -> Series {
        match group {
            None => Series::new(stats),
            Some(g) => Series::group(model, stats, g),
        }
    }

    /// The series of one group's flows, from the point's per-flow series (none if
    /// the point kept none, see [`point_stats`]): offered and delivered summed over
    /// them. The p95 of a replication is its member flows' p95s averaged with their
    /// delivered trains per week as weights (exact for a group of one flow; a
    /// group's own p95 is not kept).
    fn group(model: &Model, stats: &RunStats, group: &str) -> Series {
        let no_series: Vec<crate::summary::Series> = Vec::new();
        let all = stats.flow_series.as_ref().unwrap_or(&no_series);
        let members: Vec<&crate::summary::Series> = model
            .flows()
            .iter()
            .zip(all)
            .filter(|(info, _)| info.group == group)
            .map(|(_, f)| f)
            .collect();
        let reps = members.iter().map(|f| f.len()).min().unwrap_or(0);
        let sum = |r: usize, per_flow: fn(&crate::summary::Series) -> &Vec<f64>| -> f64 {
            members.iter().map(|f| per_flow(f)[r]).sum()
        };
        let offered: Vec<f64> = (0..reps)
            .map(|r| sum(r, |f| &f.offered_trains_per_week))
            .collect();
        let delivered: Vec<f64> = (0..reps)
            .map(|r| sum(r, |f| &f.delivered_trains_per_week))
            .collect();
        let ratio = offered
            .iter()
            .zip(&delivered)
            .map(|(o, d)| if *o > 0.0 { d / o } else { f64::NAN })
            .collect();
        let p95: Vec<f64> = (0..reps)
            .map(|r| weighted_by_delivered(&members, r, |f| &f.transit_p95_days))
            .collect();
        let p95_mean = Estimate::of(&p95).mean;
        Series {
            offered,
            delivered,
            ratio,
            p95,
            p95_mean,
        }
    }

    /// The series of a point: its per-replication figures of all flows together
    /// (none if the point's statistics kept none, see [`crate::summary::Keep`]).
    fn new(stats: &RunStats) -> Series {
        let empty = crate::summary::Series::default();
        let o = stats.overall_series.as_ref().unwrap_or(&empty);
        let p95 = o.transit_p95_days.clone();
        let p95_mean = Estimate::of(&p95).mean;
        Series {
            offered: o.offered_trains_per_week.clone(),
            delivered: o.delivered_trains_per_week.clone(),
            ratio: o.delivered_ratio(),
            p95,
            p95_mean,
        }
    }
}

/// Bootstrap resamples for the interval of the practical capacity.
const BOOTSTRAP: usize = 1000;

/// The default tolerance of the refinement: the crossing is bracketed to within 0.5%
/// of the offered load, well inside the statistical interval of 100 replications.
pub const CAPACITY_TOLERANCE: f64 = 0.005;

/// At most this many probes beyond the starting points, whatever the tolerance.
pub const MAX_PROBES: usize = 40;

/// The search for a crossing extends the demand factor no further than these.
const FACTOR_RANGE: [f64; 2] = [1.0 / 1024.0, 1024.0];

/// The probes of a demand search, sorted by demand factor, reduced to what the
/// criteria read: the mean curve and each replication's figures.
struct Probes {
    values: Vec<f64>,
    /// Mean offered trains per week: the x of the curve.
    x: Vec<f64>,
    series: Vec<Series>,
    /// The p95 limit (days): the factor times the reference p95.
    limit: f64,
}

impl Probes {
    /// The probes of `points` (any order). The reference p95 of a demand sweep is the
    /// one at its lowest demand factor; of any other sweep, the lowest of its points.
    fn new(
        points: &[(f64, &Model, &RunStats)],
        demand: bool,
        p95_limit_factor: f64,
        group: Option<&str>,
    ) -> Probes {
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
        let series: Vec<Series> = order
            .iter()
            .map(|&k| Series::of(points[k].1, points[k].2, group))
            .collect();
        let values: Vec<f64> = order.iter().map(|&k| points[k].0).collect();
        let x = series
            .iter()
            .map(|s| Estimate::of(&s.offered).mean)
            .collect();
        Probes {
            values,
            x,
            limit: p95_limit_factor * reference_p95(&series, demand),
            series,
        }
    }

    fn mean_ratio(&self) -> Vec<f64> {
        self.series
            .iter()
            .map(|s| Estimate::of(&s.ratio).mean)
            .collect()
    }

    fn mean_p95(&self) -> Vec<f64> {
        self.series.iter().map(|s| s.p95_mean).collect()
    }

    /// The crossing of the mean curve.
    fn crossing(&self) -> (f64, Bracket, Option<usize>, LimitedBy) {
        crossing(&self.x, &self.mean_ratio(), &self.mean_p95(), self.limit)
    }

    /// Offered load between the last probe meeting the criteria and the first
    /// failing one (NaN if the crossing is not bracketed).
    fn resolution(&self) -> f64 {
        match self.crossing() {
            (_, Bracket::WithinRange, Some(j), _) if j > 0 => self.x[j] - self.x[j - 1],
            _ => f64::NAN,
        }
    }
}

/// The reference p95 (days): each replication's p95, averaged, at the lowest demand
/// (demand sweeps) or at the best point (other sweeps).
fn reference_p95(series: &[Series], demand: bool) -> f64 {
    if demand {
        series.first().map_or(f64::NAN, |s| s.p95_mean)
    } else {
        series
            .iter()
            .map(|s| s.p95_mean)
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min)
    }
}

/// What a capacity search should do next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NextProbe {
    /// Run the same replications at this demand factor and call again.
    At(f64),
    /// The crossing is found to within the tolerance (or cannot be refined further).
    Done,
}

/// The next demand factor a capacity search should probe, given every probe so far
/// (any order, the same replications at each; the lowest factor is the reference of
/// the p95 limit). Within the range of the probes, bisection: the midpoint between
/// the last factor meeting both criteria on the mean curve and the first failing one,
/// until their offered loads are within `tolerance` (a share of the offered load).
/// With `bracket`, a crossing outside the probes is first bracketed: the factor is
/// doubled until a probe fails, or halved until one passes (the halved probe becomes
/// the reference).
/// With `group`, the criteria read only that group's flows (see [`analyse_curve`]).
pub fn next_probe(
    points: &[(f64, &Model, &RunStats)],
    p95_limit_factor: f64,
    tolerance: f64,
    bracket: bool,
    group: Option<&str>,
) -> NextProbe {
    if points.is_empty() {
        return NextProbe::Done;
    }
    let probes = Probes::new(points, true, p95_limit_factor, group);
    let v = &probes.values;
    let (_, br, failed_at, _) = probes.crossing();
    match (br, failed_at) {
        (Bracket::AboveRange, _) if bracket && v[v.len() - 1] * 2.0 <= FACTOR_RANGE[1] => {
            NextProbe::At(super::round_sig(v[v.len() - 1] * 2.0))
        }
        (Bracket::BelowRange, _) if bracket && v[0] / 2.0 >= FACTOR_RANGE[0] => {
            NextProbe::At(super::round_sig(v[0] / 2.0))
        }
        (Bracket::WithinRange, Some(j)) if j > 0 => {
            let i = j - 1;
            let x = &probes.x;
            let width = x[j] - x[i];
            let mid = super::round_sig(0.5 * (v[i] + v[j]));
            // A NaN width (no load measured) cannot be refined either.
            let wide =
                width.partial_cmp(&(tolerance * x[i].abs())) == Some(std::cmp::Ordering::Greater);
            let close = !wide || mid <= v[i] || mid >= v[j];
            if close {
                NextProbe::Done
            } else {
                NextProbe::At(mid)
            }
        }
        _ => NextProbe::Done,
    }
}

/// Analyses the runs of a sweep (values in increasing order, each with its model and
/// output, the same replications at every point). For a demand sweep, `refined` holds
/// the extra probes of its refinement ([`next_probe`] without bracketing; empty for
/// none), used for the practical capacity but not listed as points; `tolerance` is the
/// one the refinement stopped at. With `group`, the offered and delivered trains,
/// the ratio, the transit times, the p95 and the practical capacity are those of
/// that group's flows only, and the bottleneck is the busiest resource its trains
/// use; the points must then have been run with [`point_stats`] of that group.
#[allow(clippy::too_many_arguments)]
pub fn analyse_curve(
    scenario: &str,
    param: &str,
    demand: bool,
    group: Option<&str>,
    seed: u64,
    p95_limit_factor: f64,
    points: &[(f64, &Model, &RunStats)],
    refined: &[(f64, &Model, &RunStats)],
    tolerance: f64,
) -> Curve {
    let first_model = points.first().map(|p| p.1);
    let (horizon, warmup) = first_model.map_or((0.0, 0.0), |m| (m.horizon_days(), m.warmup_days()));
    let series: Vec<Series> = points
        .iter()
        .map(|(_, model, out)| Series::of(model, out, group))
        .collect();
    let limit = p95_limit_factor * reference_p95(&series, demand);
    let ok = |ratio: f64, p95: f64| ratio >= DELIVERED_RATIO_MIN && p95 <= limit;

    let mut curve_points = Vec::with_capacity(points.len());
    for ((value, model, out), s) in points.iter().zip(&series) {
        let ratio = Estimate::of(&s.ratio);
        let meets = ok(ratio.mean, s.p95_mean) && out.saturated == 0;
        let reps = s.ratio.len().max(1) as f64;
        let meeting = s
            .ratio
            .iter()
            .zip(&s.p95)
            .filter(|(r, p)| ok(**r, **p))
            .count() as f64
            / reps;
        let (resources, bottleneck) = resources_at(model, out, group);
        let transit_days = match group {
            None => transit(&out.overall.transit_mean_days.estimate(), &out.pooled_all()),
            Some(g) => group_transit(model, out, g),
        };
        curve_points.push(CurvePoint {
            value: *value,
            offered_trains_per_week: Estimate::of(&s.offered),
            delivered_trains_per_week: Estimate::of(&s.delivered),
            delivered_ratio: ratio,
            transit_days,
            transit_p95_days: Estimate::of(&s.p95),
            meets_criteria: meets,
            replications_meeting: meeting,
            bottleneck,
            resources,
            flows: flows_at(model, out),
            saturation: crate::summary::saturation(model, out),
        });
    }

    let practical_capacity = demand.then(|| {
        let grid = Probes::new(points, true, p95_limit_factor, group);
        let all: Vec<(f64, &Model, &RunStats)> = points.iter().chain(refined).copied().collect();
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by(|&a, &b| all[a].0.total_cmp(&all[b].0));
        let probes = Probes::new(&all, true, p95_limit_factor, group);
        let (point_estimate, bracket, failed_at, limited_by) = probes.crossing();
        let interval = bootstrap_interval(&[&probes], seed).map(|d| d[0]);
        let teu_per_year = all
            .first()
            .and_then(|p| teu_per_train(p.1, group))
            .map(|teu| Estimate {
                mean: point_estimate * teu * 365.0 / 7.0,
                ci95: interval.map(|[lo, hi]| [lo, hi].map(|x| x * teu * 365.0 / 7.0)),
            });
        PracticalCapacity {
            offered_trains_per_week: Estimate {
                mean: point_estimate,
                ci95: interval,
            },
            point_estimate,
            value: interpolate(&probes.x, &probes.values, point_estimate),
            bracket,
            limited_by,
            bottleneck: failed_at
                .and_then(|j| resources_at(all[order[j]].1, all[order[j]].2, group).1)
                .map(|b| b.id),
            teu_per_year,
            refinement: Some(Refinement {
                grid_point_estimate: grid.crossing().0,
                probed_values: refined.iter().map(|p| p.0).collect(),
                resolution_trains_per_week: probes.resolution(),
                tolerance,
            }),
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

/// The paired difference of two practical capacities (`alternative` minus `base`,
/// trains per week), each from every probe of its demand search with the same
/// replications: the difference of the mean-curve crossings, with a 95% percentile-
/// bootstrap interval in which each resample draws the same replications for both
/// scenarios (keeping the pairing of common random numbers). None unless both
/// searches hold the same number of replications.
pub fn capacity_difference(
    base: &[(f64, &Model, &RunStats)],
    alternative: &[(f64, &Model, &RunStats)],
    p95_limit_factor: f64,
    seed: u64,
    group: Option<&str>,
) -> Option<Estimate> {
    let a = Probes::new(base, true, p95_limit_factor, group);
    let b = Probes::new(alternative, true, p95_limit_factor, group);
    let reps = |p: &Probes| p.series.first().map_or(0, |s| s.ratio.len());
    if a.values.is_empty() || b.values.is_empty() || reps(&a) != reps(&b) {
        return None;
    }
    let mean = b.crossing().0 - a.crossing().0;
    let ci95 = bootstrap_interval(&[&a, &b], seed).map(|d| d[1]);
    Some(Estimate { mean, ci95 })
}

/// 95% percentile-bootstrap intervals of the practical capacity of each probe set, and
/// of the difference of the last from the first: the replications are resampled with
/// replacement (the same draw at every probe and in every set, keeping the pairing of
/// common random numbers), the mean curve of each resample is formed, and its crossing
/// found; the 2.5% and 97.5% quantiles of those crossings bound the interval. Returns
/// `[interval of the first set, interval of last minus first]`.
fn bootstrap_interval(sets: &[&Probes], seed: u64) -> Option<[[f64; 2]; 2]> {
    use rand::{RngExt, SeedableRng};
    let n = sets
        .first()
        .and_then(|p| p.series.first())
        .map_or(0, |s| s.ratio.len());
    if n < 2 {
        return None;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0xB007_57A9);
    let mut draw = vec![0usize; n];
    let mut first = Vec::with_capacity(BOOTSTRAP);
    let mut diff = Vec::with_capacity(BOOTSTRAP);
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
        let at = |p: &Probes| {
            let ratio: Vec<f64> = p.series.iter().map(|s| mean(&s.ratio)).collect();
            let p95: Vec<f64> = p.series.iter().map(|s| mean(&s.p95)).collect();
            crossing(&p.x, &ratio, &p95, p.limit).0
        };
        let c0 = at(sets[0]);
        first.push(c0);
        diff.push(at(sets[sets.len() - 1]) - c0);
    }
    let q = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((q * (BOOTSTRAP - 1) as f64).round() as usize).min(BOOTSTRAP - 1)];
        [at(0.025), at(0.975)]
    };
    Some([q(&mut first), q(&mut diff)])
}

/// Where a curve first fails a criterion: the interpolated load, whether the crossing
/// lies within the swept range, the first failing point, and which criterion failed.
fn crossing(
    x: &[f64],
    ratio: &[f64],
    p95: &[f64],
    limit: f64,
) -> (f64, Bracket, Option<usize>, LimitedBy) {
    // NaN (nothing offered or delivered) fails too.
    let fails_ratio = |j: usize| ratio[j].is_nan() || ratio[j] < DELIVERED_RATIO_MIN;
    let fails_p95 = |j: usize| p95[j].is_nan() || p95[j] > limit;
    let Some(j) = (0..x.len()).find(|&j| fails_ratio(j) || fails_p95(j)) else {
        return (
            x.last().copied().unwrap_or(f64::NAN),
            Bracket::AboveRange,
            None,
            LimitedBy::None,
        );
    };
    let limited_by = if fails_ratio(j) {
        LimitedBy::Throughput
    } else {
        LimitedBy::TransitP95
    };
    if j == 0 {
        return (x[0], Bracket::BelowRange, Some(0), limited_by);
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
        Bracket::WithinRange,
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

/// The empty statistics of one point of a sweep or capacity search, keeping what
/// [`analyse_curve`] needs: all flows' per-replication figures without a group;
/// with one, each flow's ([`Keep::Flows`], to build the group's series) and how often
/// each resource its trains use was the busiest of those.
pub fn point_stats(model: &Model, group: Option<&str>) -> RunStats {
    match group {
        None => RunStats::new(model, Keep::Overall),
        Some(_) => RunStats::new(model, Keep::Flows).with_binding_among(used_by(model, group)),
    }
}

/// The resources at one point and the bottleneck: the busiest resource (of those one
/// group's trains use, for a group's curve).
fn resources_at(
    model: &Model,
    out: &RunStats,
    group: Option<&str>,
) -> (Vec<ResourcePoint>, Option<Bottleneck>) {
    let infos = model.resources();
    let used = used_by(model, group);
    let total_wait = out.total_wait_days;
    let empty = crate::summary::ResourceStats::default();
    let stats = |k: usize| out.resources.get(k).unwrap_or(&empty);
    // A group's binding share counts the replications in which the resource was the
    // busiest of those the group's trains use.
    let binding = |k: usize| match (group, &out.binding_among) {
        (Some(_), Some(b)) => b.binding.get(k).copied().unwrap_or(0),
        _ => stats(k).binding,
    };
    let points: Vec<ResourcePoint> = infos
        .iter()
        .enumerate()
        .map(|(k, info)| ResourcePoint {
            id: info.id.clone(),
            kind: info.kind,
            from: info.from.clone(),
            to: info.to.clone(),
            utilization: stats(k).utilization.estimate(),
            wait_days: stats(k).wait_days.estimate(),
            wait_share: if total_wait > 0.0 {
                stats(k).wait_sum_days / total_wait
            } else {
                0.0
            },
        })
        .collect();
    let top = (0..points.len()).filter(|&k| used[k]).max_by(|&a, &b| {
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
            kind: p.kind,
            from: p.from.clone(),
            to: p.to.clone(),
            utilization: p.utilization,
            binding_share: binding(k) as f64 / out.replications.max(1) as f64,
            wait_share: p.wait_share,
        }
    });
    (points, bottleneck)
}

/// Mean of one figure of `members` in replication `r`, weighted by their delivered
/// trains per week (members without deliveries or with a NaN figure left out; NaN
/// if none is left).
fn weighted_by_delivered(
    members: &[&crate::summary::Series],
    r: usize,
    figure: fn(&crate::summary::Series) -> &Vec<f64>,
) -> f64 {
    let (mut weighted, mut weight) = (0.0, 0.0);
    for f in members {
        let (v, w) = (figure(f)[r], f.delivered_trains_per_week[r]);
        if v.is_finite() && w > 0.0 {
            weighted += v * w;
            weight += w;
        }
    }
    if weight > 0.0 {
        weighted / weight
    } else {
        f64::NAN
    }
}

/// The transit times of one group's trains: each replication's mean over the member
/// flows (weighted by their delivered trains per week), and the percentiles of their
/// pooled histograms.
fn group_transit(model: &Model, out: &RunStats, group: &str) -> crate::schema::Transit {
    let no_series: Vec<crate::summary::Series> = Vec::new();
    let all = out.flow_series.as_ref().unwrap_or(&no_series);
    let members: Vec<usize> = (0..model.flows().len())
        .filter(|&i| model.flows()[i].group == group)
        .collect();
    let series: Vec<&crate::summary::Series> = members.iter().filter_map(|&i| all.get(i)).collect();
    let reps = series.iter().map(|f| f.len()).min().unwrap_or(0);
    let means: Vec<f64> = (0..reps)
        .map(|r| weighted_by_delivered(&series, r, |f| &f.transit_mean_days))
        .collect();
    let mut pooled = Histogram::new();
    for &i in &members {
        if let Some(h) = out.pooled.get(i) {
            pooled.merge(h);
        }
    }
    transit(&Estimate::of(&means), &pooled)
}

/// For each resource, whether the trains of `group` may use it (every resource when
/// no group is given): a station on one of the group's routes, or a leg direction
/// between two consecutive nodes of one.
fn used_by(model: &Model, group: Option<&str>) -> Vec<bool> {
    let infos = model.resources();
    let Some(g) = group else {
        return vec![true; infos.len()];
    };
    let routes: Vec<&Vec<String>> = model
        .flows()
        .iter()
        .filter(|f| f.group == g)
        .flat_map(|f| f.routes.iter().map(|r| &r.nodes))
        .collect();
    infos
        .iter()
        .map(|info| match (&info.from, &info.to) {
            (Some(a), Some(b)) => routes
                .iter()
                .any(|nodes| nodes.windows(2).any(|w| w[0] == *a && w[1] == *b)),
            _ => routes.iter().any(|nodes| nodes.contains(&info.id)),
        })
        .collect()
}

fn flows_at(model: &Model, out: &RunStats) -> Vec<FlowPoint> {
    let empty = crate::summary::FlowStats::default();
    model
        .flows()
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let f = out.flows.get(i).unwrap_or(&empty);
            FlowPoint {
                id: info.id.clone(),
                offered_trains_per_week: f.offered_trains_per_week.estimate(),
                delivered_trains_per_week: f.delivered_trains_per_week.estimate(),
                transit_days: transit(
                    &f.transit_mean_days.estimate(),
                    out.pooled.get(i).unwrap_or(&Histogram::new()),
                ),
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
        assert_eq!(
            (bracket, at, by),
            (Bracket::WithinRange, Some(2), LimitedBy::Throughput)
        );
        // p95 passes its limit 2.0 a quarter of the way from 30 to 40.
        let (c, _, at, by) = crossing(&x, &[1.0; 4], &[1.0, 1.2, 1.5, 3.5], 2.0);
        assert!((c - 32.5).abs() < 1e-9, "{c}");
        assert_eq!((at, by), (Some(3), LimitedBy::TransitP95));
        assert_eq!(
            crossing(&x, &[1.0; 4], &[1.0; 4], 2.0).1,
            Bracket::AboveRange
        );
        assert_eq!(
            crossing(&x, &[0.5; 4], &[1.0; 4], 2.0).1,
            Bracket::BelowRange
        );
    }

    #[test]
    fn interpolation_is_linear_and_clamped() {
        assert_eq!(interpolate(&[0.0, 10.0], &[1.0, 2.0], 5.0), 1.5);
        assert_eq!(interpolate(&[0.0, 10.0], &[1.0, 2.0], 50.0), 2.0);
    }
}
