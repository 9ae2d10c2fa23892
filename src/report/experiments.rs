//! Files and tables of sweeps and comparisons.
//!
//! `curve.json` is [`Curve`] serialized; `curve.csv` has one row per sweep point,
//! `curve_resources.csv` one per point and resource, `curve_flows.csv` one per point and
//! flow. `compare.json` is [`Comparison`] serialized; `compare.csv` has one row per
//! alternative, flow and figure.

use std::fmt::Write as _;

use super::{
    csv_string, est_cols, header, num, opt, pretty_json, replication_rows, transit_cols, with_ci,
};
use crate::experiment::{Comparison, Curve, Difference};
use crate::montecarlo::RunOutput;
use crate::sim::Model;
use crate::stats::Estimate;

/// `curve.json`.
pub fn curve_json(curve: &Curve) -> String {
    pretty_json(curve)
}

/// `curve.csv`: one row per sweep point.
pub fn curve_csv(c: &Curve) -> String {
    let mut h = header(&["scenario", "param", "value", "replications"]);
    for base in [
        "offered_trains_per_week",
        "delivered_trains_per_week",
        "delivered_ratio",
        "transit_days",
    ] {
        h.extend(with_ci(base));
    }
    h.extend(header(&["transit_days_p50", "transit_days_p95"]));
    h.extend(with_ci("transit_p95_days_per_replication"));
    h.extend(header(&[
        "meets_criteria",
        "replications_meeting_share",
        "bottleneck",
        "bottleneck_kind",
        "bottleneck_from",
        "bottleneck_to",
        "bottleneck_utilization_mean",
        "bottleneck_binding_share",
        "bottleneck_wait_share",
    ]));
    let mut rows = vec![h];
    for p in &c.points {
        let mut r = vec![
            c.scenario.clone(),
            c.param.clone(),
            num(p.value),
            c.replications.to_string(),
        ];
        for e in [
            &p.offered_trains_per_week,
            &p.delivered_trains_per_week,
            &p.delivered_ratio,
        ] {
            r.extend(est_cols(e));
        }
        let t = transit_cols(&p.transit_days);
        r.extend(t);
        r.extend(est_cols(&p.transit_p95_days));
        r.push(p.meets_criteria.to_string());
        r.push(num(p.replications_meeting));
        match &p.bottleneck {
            Some(b) => r.extend([
                b.id.clone(),
                b.kind.clone(),
                b.from.clone().unwrap_or_default(),
                b.to.clone().unwrap_or_default(),
                num(b.utilization.mean),
                num(b.binding_share),
                num(b.wait_share),
            ]),
            None => r.extend(std::iter::repeat_n(String::new(), 7)),
        }
        rows.push(r);
    }
    csv_string(rows)
}

/// `curve_resources.csv`: one row per sweep point and resource.
pub fn curve_resources_csv(c: &Curve) -> String {
    let mut h = header(&[
        "scenario", "param", "value", "resource", "kind", "from", "to",
    ]);
    h.extend(with_ci("utilization"));
    h.extend(with_ci("wait_days"));
    h.push("wait_share".into());
    let mut rows = vec![h];
    for p in &c.points {
        for r in &p.resources {
            let mut row = vec![
                c.scenario.clone(),
                c.param.clone(),
                num(p.value),
                r.id.clone(),
                r.kind.clone(),
                r.from.clone().unwrap_or_default(),
                r.to.clone().unwrap_or_default(),
            ];
            row.extend(est_cols(&r.utilization));
            row.extend(est_cols(&r.wait_days));
            row.push(num(r.wait_share));
            rows.push(row);
        }
    }
    csv_string(rows)
}

/// `curve_flows.csv`: one row per sweep point and flow.
pub fn curve_flows_csv(c: &Curve) -> String {
    let mut h = header(&["scenario", "param", "value", "flow"]);
    h.extend(with_ci("offered_trains_per_week"));
    h.extend(with_ci("delivered_trains_per_week"));
    h.extend(with_ci("transit_days"));
    h.extend(header(&["transit_days_p50", "transit_days_p95"]));
    let mut rows = vec![h];
    for p in &c.points {
        for f in &p.flows {
            let mut row = vec![
                c.scenario.clone(),
                c.param.clone(),
                num(p.value),
                f.id.clone(),
            ];
            row.extend(est_cols(&f.offered_trains_per_week));
            row.extend(est_cols(&f.delivered_trains_per_week));
            row.extend(transit_cols(&f.transit_days));
            rows.push(row);
        }
    }
    csv_string(rows)
}

/// `replications.csv` of a sweep: one row per point, replication and flow.
pub fn sweep_replications_csv(
    scenario: &str,
    param: &str,
    runs: &[(f64, Model, RunOutput)],
) -> String {
    let mut rows = vec![header(&["scenario", "param", "value"])];
    for (value, model, out) in runs {
        replication_rows(
            &mut rows,
            &[scenario.to_string(), param.to_string(), num(*value)],
            model,
            out,
        );
    }
    csv_string(rows)
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
            opt(p.transit_days.p95)
                .parse::<f64>()
                .map_or("-".into(), |v| format!("{v:.2}")),
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
        let what = match pc.bracket.as_str() {
            "above_range" => "at least (every point met the criteria)",
            "below_range" => "below the lowest point, at most",
            _ => "",
        };
        let _ = writeln!(
            t,
            "practical capacity: {what} {:.1} trains/week{}; limited by {}{}",
            pc.point_estimate,
            pc.offered_trains_per_week
                .ci95
                .map(|[lo, hi]| format!(" (95% bootstrap interval {lo:.1} to {hi:.1})"))
                .unwrap_or_default(),
            pc.limited_by,
            pc.bottleneck
                .as_ref()
                .map(|b| format!(", bottleneck {b}"))
                .unwrap_or_default()
        );
    }
    t
}

/// `compare.json`.
pub fn compare_json(c: &Comparison) -> String {
    pretty_json(c)
}

/// `compare.csv`: one row per alternative, flow and figure.
pub fn compare_csv(c: &Comparison) -> String {
    let mut h = header(&[
        "base",
        "alternative",
        "replications",
        "flow",
        "figure",
        "base_mean",
        "alternative_mean",
    ]);
    h.extend(with_ci("difference"));
    h.push("significant".into());
    let mut rows = vec![h];
    for alt in &c.alternatives {
        for f in std::iter::once(&alt.overall).chain(&alt.flows) {
            for (figure, d) in [
                ("offered_trains_per_week", &f.offered_trains_per_week),
                ("delivered_trains_per_week", &f.delivered_trains_per_week),
                ("transit_mean_days", &f.transit_mean_days),
                ("transit_p95_days", &f.transit_p95_days),
            ] {
                let mut r = vec![
                    c.base.clone(),
                    alt.scenario.clone(),
                    c.replications.to_string(),
                    f.flow.clone(),
                    figure.to_string(),
                    num(d.base),
                    num(d.alternative),
                ];
                r.extend(est_cols(&d.difference));
                r.push(d.significant.to_string());
                rows.push(r);
            }
        }
    }
    csv_string(rows)
}

/// The table printed after a comparison.
pub fn compare_table(c: &Comparison) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "paired differences against {} ({} replications each, common random numbers); * = 95% interval excludes 0",
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
                ("transit p95 days", &f.transit_p95_days),
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
