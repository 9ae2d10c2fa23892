//! Files and tables of sweeps and comparisons.
//!
//! `curve.json` is [`Curve`] serialized; `curve.csv` has one row per sweep point,
//! `curve_resources.csv` one per point and resource, `curve_flows.csv` one per point and
//! flow. `compare.json` is [`Comparison`] serialized; `compare.csv` has one row per
//! alternative, flow and figure.

use std::fmt::Write as _;

use super::pretty_json;
use crate::schema::{
    self, Bracket, CompareRow, Comparison, Curve, CurveFlowRow, CurveResourceRow, CurveRow,
    Difference,
};
use crate::stats::Estimate;

/// `curve.json`.
pub fn curve_json(curve: &Curve) -> String {
    pretty_json(curve)
}

/// The rows of `curve.csv`: one per sweep point.
pub fn curve_rows(c: &Curve) -> Vec<CurveRow> {
    c.points
        .iter()
        .map(|p| {
            let (o, o_lo, o_hi) = p.offered_trains_per_week.columns_nonneg();
            let (d, d_lo, d_hi) = p.delivered_trains_per_week.columns_nonneg();
            let (r, r_lo, r_hi) = p.delivered_ratio.columns_nonneg();
            let (t, t_lo, t_hi) = p.transit_days.estimate().columns_nonneg();
            let (q, q_lo, q_hi) = p.transit_p95_days.columns_nonneg();
            let b = p.bottleneck.as_ref();
            CurveRow {
                scenario: c.scenario.clone(),
                param: c.param.clone(),
                value: p.value,
                replications: c.replications,
                offered_trains_per_week_mean: o,
                offered_trains_per_week_ci95_low: o_lo,
                offered_trains_per_week_ci95_high: o_hi,
                delivered_trains_per_week_mean: d,
                delivered_trains_per_week_ci95_low: d_lo,
                delivered_trains_per_week_ci95_high: d_hi,
                delivered_ratio_mean: r,
                delivered_ratio_ci95_low: r_lo,
                delivered_ratio_ci95_high: r_hi,
                transit_days_mean: t,
                transit_days_ci95_low: t_lo,
                transit_days_ci95_high: t_hi,
                transit_days_p50: p.transit_days.p50.unwrap_or(f64::NAN),
                transit_days_p95: p.transit_days.p95.unwrap_or(f64::NAN),
                transit_p95_days_per_replication_mean: q,
                transit_p95_days_per_replication_ci95_low: q_lo,
                transit_p95_days_per_replication_ci95_high: q_hi,
                meets_criteria: p.meets_criteria,
                replications_meeting_share: p.replications_meeting,
                bottleneck: b.map(|b| b.id.clone()),
                bottleneck_kind: b.map(|b| b.kind),
                bottleneck_from: b.and_then(|b| b.from.clone()),
                bottleneck_to: b.and_then(|b| b.to.clone()),
                bottleneck_utilization_mean: b.map_or(f64::NAN, |b| b.utilization.mean),
                bottleneck_binding_share: b.map_or(f64::NAN, |b| b.binding_share),
                bottleneck_wait_share: b.map_or(f64::NAN, |b| b.wait_share),
                saturated_replications: p.saturation.as_ref().map_or(0, |s| s.replications),
            }
        })
        .collect()
}

/// `curve.csv`: one row per sweep point.
pub fn curve_csv(c: &Curve) -> String {
    schema::to_csv(curve_rows(c))
}

/// The rows of `curve_resources.csv`: one per sweep point and resource.
pub fn curve_resource_rows(c: &Curve) -> Vec<CurveResourceRow> {
    let mut rows = Vec::new();
    for p in &c.points {
        for r in &p.resources {
            let (u, u_lo, u_hi) = r.utilization.columns_nonneg();
            let (w, w_lo, w_hi) = r.wait_days.columns_nonneg();
            rows.push(CurveResourceRow {
                scenario: c.scenario.clone(),
                param: c.param.clone(),
                value: p.value,
                resource: r.id.clone(),
                kind: r.kind,
                from: r.from.clone(),
                to: r.to.clone(),
                utilization_mean: u,
                utilization_ci95_low: u_lo,
                utilization_ci95_high: u_hi,
                wait_days_mean: w,
                wait_days_ci95_low: w_lo,
                wait_days_ci95_high: w_hi,
                wait_share: r.wait_share,
            });
        }
    }
    rows
}

/// `curve_resources.csv`: one row per sweep point and resource.
pub fn curve_resources_csv(c: &Curve) -> String {
    schema::to_csv(curve_resource_rows(c))
}

/// The rows of `curve_flows.csv`: one per sweep point and flow.
pub fn curve_flow_rows(c: &Curve) -> Vec<CurveFlowRow> {
    let mut rows = Vec::new();
    for p in &c.points {
        for f in &p.flows {
            let (o, o_lo, o_hi) = f.offered_trains_per_week.columns_nonneg();
            let (d, d_lo, d_hi) = f.delivered_trains_per_week.columns_nonneg();
            let (t, t_lo, t_hi) = f.transit_days.estimate().columns_nonneg();
            rows.push(CurveFlowRow {
                scenario: c.scenario.clone(),
                param: c.param.clone(),
                value: p.value,
                flow: f.id.clone(),
                offered_trains_per_week_mean: o,
                offered_trains_per_week_ci95_low: o_lo,
                offered_trains_per_week_ci95_high: o_hi,
                delivered_trains_per_week_mean: d,
                delivered_trains_per_week_ci95_low: d_lo,
                delivered_trains_per_week_ci95_high: d_hi,
                transit_days_mean: t,
                transit_days_ci95_low: t_lo,
                transit_days_ci95_high: t_hi,
                transit_days_p50: f.transit_days.p50.unwrap_or(f64::NAN),
                transit_days_p95: f.transit_days.p95.unwrap_or(f64::NAN),
            });
        }
    }
    rows
}

/// `curve_flows.csv`: one row per sweep point and flow.
pub fn curve_flows_csv(c: &Curve) -> String {
    schema::to_csv(curve_flow_rows(c))
}

/// A number for the terminal: shortest round-trip form, `-` when not a number.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "-".to_string()
    }
}

fn ci(e: &Estimate) -> String {
    match e.ci95 {
        Some([lo, hi]) => format!("{:.2} [{:.2}, {:.2}]", e.mean, lo, hi),
        None => format!("{:.2}", e.mean),
    }
}

/// The table printed after a sweep.
pub fn curve_table(c: &Curve) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{}: sweep of {} ({} replications per point, the same random streams at every point); means with 95% intervals",
        c.scenario, c.param, c.replications
    );
    let _ = writeln!(
        t,
        "\n{:>9} {:>22} {:>22} {:>20} {:>7} {:>5}  bottleneck (utilisation, binding share)",
        "value", "offered trains/week", "delivered trains/week", "transit days", "p95", "ok",
    );
    for p in &c.points {
        let b = p.bottleneck.as_ref().map_or(String::from("-"), |b| {
            let name = match (&b.from, &b.to) {
                (Some(x), Some(y)) => format!("{} {x}->{y}", b.id),
                _ => b.id.clone(),
            };
            format!(
                "{name} ({:.2}, {:.0}%)",
                b.utilization.mean,
                100.0 * b.binding_share
            )
        });
        let _ = writeln!(
            t,
            "{:>9} {:>22} {:>22} {:>20} {:>7} {:>5}  {}",
            num(p.value),
            ci(&p.offered_trains_per_week),
            ci(&p.delivered_trains_per_week),
            ci(&Estimate {
                mean: p.transit_days.mean,
                ci95: p.transit_days.ci95
            }),
            p.transit_days.p95.map_or("-".into(), |v| format!("{v:.2}")),
            if p.meets_criteria { "yes" } else { "no" },
            b
        );
    }
    let _ = writeln!(
        t,
        "\ncriteria: delivered/offered >= {} and p95 transit (each replication's, averaged) <= {:.2} days ({} x the reference p95)",
        c.delivered_ratio_min, c.p95_limit_days, c.p95_limit_factor
    );
    if let Some(pc) = &c.practical_capacity {
        let what = match pc.bracket {
            Bracket::AboveRange => "at least (every point met the criteria)",
            Bracket::BelowRange => "below the lowest point, at most",
            Bracket::WithinRange => "",
        };
        let _ = writeln!(
            t,
            "practical capacity: {what} {:.1} trains/week{}; limited by {}{}",
            pc.point_estimate,
            pc.offered_trains_per_week
                .ci95
                .map(|[lo, hi]| format!(" (95% bootstrap interval {lo:.1} to {hi:.1})"))
                .unwrap_or_default(),
            pc.limited_by.name(),
            pc.bottleneck
                .as_ref()
                .map(|b| format!(", bottleneck {b}"))
                .unwrap_or_default()
        );
        if let Some(r) = pc
            .refinement
            .as_ref()
            .filter(|r| !r.probed_values.is_empty())
        {
            let _ = writeln!(
                t,
                "refined by {} bisection probes to within {:.2} trains/week ({}% tolerance); the grid alone gave {:.1}",
                r.probed_values.len(),
                r.resolution_trains_per_week,
                100.0 * r.tolerance,
                r.grid_point_estimate
            );
        }
    }
    t
}

/// `compare.json`.
pub fn compare_json(c: &Comparison) -> String {
    pretty_json(c)
}

/// The rows of `compare.csv`: one per alternative, flow and figure.
pub fn compare_rows(c: &Comparison) -> Vec<CompareRow> {
    let mut rows = Vec::new();
    for alt in &c.alternatives {
        for f in std::iter::once(&alt.overall).chain(&alt.flows) {
            for (figure, d) in f.figures() {
                let (m, lo, hi) = d.difference.columns();
                rows.push(CompareRow {
                    base: c.base.clone(),
                    alternative: alt.scenario.clone(),
                    replications: c.replications,
                    flow: f.flow.clone(),
                    figure,
                    base_mean: d.base,
                    alternative_mean: d.alternative,
                    difference_mean: m,
                    difference_ci95_low: lo,
                    difference_ci95_high: hi,
                    significant: d.significant,
                });
            }
        }
    }
    rows
}

/// `compare.csv`: one row per alternative, flow and figure.
pub fn compare_csv(c: &Comparison) -> String {
    schema::to_csv(compare_rows(c))
}

/// The table printed after a comparison.
pub fn compare_table(c: &Comparison) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "paired differences against {} ({} replications each, common random numbers); * = 95% interval excludes 0; p95 (rep. mean) = each replication's p95 transit, averaged",
        c.base, c.replications
    );
    for alt in &c.alternatives {
        let _ = writeln!(t, "\n{} minus {}:", alt.scenario, c.base);
        let _ = writeln!(
            t,
            "  {:<26} {:<26} {:>10} {:>10} {:>26}",
            "flow", "figure", "base", "alt", "difference"
        );
        for f in std::iter::once(&alt.overall).chain(&alt.flows) {
            for (figure, d) in [
                ("delivered trains/week", &f.delivered_trains_per_week),
                ("transit mean days", &f.transit_mean_days),
                ("p95 days (rep. mean)", &f.transit_p95_days),
            ] {
                let _ = writeln!(
                    t,
                    "  {:<26} {:<26} {:>10.2} {:>10.2} {:>24}{}",
                    f.flow,
                    figure,
                    d.base,
                    d.alternative,
                    ci(&d.difference),
                    star(d)
                );
            }
        }
        if !alt.unmatched_flows.is_empty() {
            let _ = writeln!(
                t,
                "  flows in only one scenario: {}",
                alt.unmatched_flows.join(", ")
            );
        }
    }
    t
}

fn star(d: &Difference) -> &'static str {
    if d.significant { " *" } else { "  " }
}
