//! Writing results: JSON, tidy CSV and the terminal table, all from the [`Summary`]
//! and the per-replication results, never from engine internals.
//!
//! Every file is written atomically: to a temporary file in the same folder, then
//! renamed into place, so a crash or Ctrl-C never leaves a half-written result.
//!
//! `summary.json` is [`Summary`] serialized (see its field docs for units); `flows.csv`
//! has one row per flow (`route` = `all`) and one per route; `resources.csv` one row per
//! resource and direction; `replications.csv` one row per replication and flow.

pub mod experiments;
pub mod geojson;
pub mod manifest;
pub mod plot;

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::montecarlo::RunOutput;
use crate::network::Network;
use crate::sim::Model;
use crate::stats::Estimate;
use crate::summary::{Summary, Transit};

/// Writes `bytes` to `path` atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// `summary.json`: the summary, pretty-printed.
pub fn summary_json(summary: &Summary) -> String {
    pretty_json(summary)
}

fn est_cols(e: &Estimate) -> [String; 3] {
    let (lo, hi) = e.ci95.map_or((f64::NAN, f64::NAN), |[a, b]| (a, b));
    [num(e.mean), num(lo), num(hi)]
}

fn transit_cols(t: &Transit) -> [String; 5] {
    let (lo, hi) = t.ci95.map_or((f64::NAN, f64::NAN), |[a, b]| (a, b));
    [num(t.mean), num(lo), num(hi), opt(t.p50), opt(t.p95)]
}

/// A number for CSV: shortest round-trip form; empty when not a number.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

fn csv_string(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("utf-8")
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn with_ci(base: &str) -> [String; 3] {
    [
        format!("{base}_mean"),
        format!("{base}_ci95_low"),
        format!("{base}_ci95_high"),
    ]
}

/// `flows.csv`: one row per flow (`route` = `all`) and per route of it.
pub fn flows_csv(s: &Summary) -> String {
    let mut h = header(&[
        "scenario",
        "replications",
        "flow",
        "from",
        "to",
        "route",
        "nodes",
        "route_share",
        "expected_days",
    ]);
    for base in [
        "offered_trains",
        "delivered_trains",
        "in_system_trains",
        "offered_trains_per_week",
        "delivered_trains_per_week",
    ] {
        h.extend(with_ci(base));
    }
    h.extend(with_ci("transit_days"));
    h.extend(header(&[
        "transit_days_p50",
        "transit_days_p95",
        "teu_delivered_mean",
        "tonnes_delivered_mean",
    ]));
    let mut rows = vec![h];
    for f in &s.flows {
        let mut r = vec![
            s.scenario.clone(),
            s.replications.to_string(),
            f.id.clone(),
            f.from.clone(),
            f.to.clone(),
            "all".into(),
            String::new(),
            "1".into(),
            String::new(),
        ];
        for e in [
            &f.offered_trains,
            &f.delivered_trains,
            &f.in_system_trains,
            &f.offered_trains_per_week,
            &f.delivered_trains_per_week,
        ] {
            r.extend(est_cols(e));
        }
        r.extend(transit_cols(&f.transit_days));
        r.extend([num(f.teu_delivered.mean), num(f.tonnes_delivered.mean)]);
        rows.push(r);
        for (j, route) in f.routes.iter().enumerate() {
            let mut r = vec![
                s.scenario.clone(),
                s.replications.to_string(),
                f.id.clone(),
                f.from.clone(),
                f.to.clone(),
                (j + 1).to_string(),
                route.nodes.join(">"),
                num(route.share),
                num(route.expected_days),
            ];
            r.extend([String::new(), String::new(), String::new()]);
            r.extend(est_cols(&route.delivered_trains));
            r.extend(est_cols(&route.in_system_trains));
            r.extend(std::iter::repeat_n(String::new(), 6));
            r.extend([
                opt(route.transit_days_mean),
                String::new(),
                String::new(),
                opt(route.transit_days_p50),
                opt(route.transit_days_p95),
            ]);
            r.extend([String::new(), String::new()]);
            rows.push(r);
        }
    }
    csv_string(rows)
}

/// `resources.csv`: one row per resource (and direction, for legs).
pub fn resources_csv(s: &Summary) -> String {
    let mut h = header(&[
        "scenario",
        "replications",
        "resource",
        "kind",
        "detail",
        "from",
        "to",
        "capacity",
    ]);
    for base in [
        "utilization",
        "wait_days",
        "queue_trains",
        "in_service_trains",
        "arrivals_per_day",
        "closed_share",
    ] {
        h.extend(with_ci(base));
    }
    let mut rows = vec![h];
    for r in &s.resources {
        let mut row = vec![
            s.scenario.clone(),
            s.replications.to_string(),
            r.id.clone(),
            r.kind.clone(),
            r.detail.clone(),
            r.from.clone().unwrap_or_default(),
            r.to.clone().unwrap_or_default(),
            num(r.capacity),
        ];
        for e in [
            &r.utilization,
            &r.wait_days,
            &r.queue_length,
            &r.in_service,
            &r.arrivals_per_day,
            &r.closed_share,
        ] {
            row.extend(est_cols(e));
        }
        rows.push(row);
    }
    csv_string(rows)
}

/// `replications.csv`: one row per replication and flow, for people who run their
/// own statistics.
pub fn replications_csv(scenario: &str, model: &Model, out: &RunOutput) -> String {
    let mut rows = vec![header(&["scenario"])];
    replication_rows(&mut rows, &[scenario.to_string()], model, out);
    csv_string(rows)
}

/// Columns of a per-replication row, after the caller's leading columns.
const REPLICATION_COLUMNS: [&str; 12] = [
    "replication",
    "flow",
    "offered_trains",
    "delivered_trains",
    "in_system_trains",
    "delivered_in_window_trains",
    "transit_days_mean",
    "transit_days_p50",
    "transit_days_p95",
    "teu_delivered",
    "tonnes_delivered",
    "events",
];

/// Appends the per-replication, per-flow rows of a run, each starting with `lead`, and
/// extends the header row (`rows[0]`, holding the lead's column names) with the rest.
fn replication_rows(rows: &mut Vec<Vec<String>>, lead: &[String], model: &Model, out: &RunOutput) {
    if rows.len() == 1 && rows[0].len() == lead.len() {
        rows[0].extend(header(&REPLICATION_COLUMNS));
    }
    for r in &out.replications {
        for (f, info) in r.flows.iter().zip(model.flows()) {
            let mean = if f.delivered > 0 {
                f.transit_sum_days / f.delivered as f64
            } else {
                f64::NAN
            };
            let mut row = lead.to_vec();
            row.extend([
                r.index.to_string(),
                info.id.clone(),
                f.offered.to_string(),
                f.delivered.to_string(),
                f.in_system.to_string(),
                f.completed.to_string(),
                num(mean),
                num(f.transit_p50_days),
                num(f.transit_p95_days),
                num(f.teu_delivered),
                num(f.tonnes_delivered),
                r.events.to_string(),
            ]);
            rows.push(row);
        }
    }
}

/// Pretty-printed JSON with a final newline, for every JSON file written.
pub fn pretty_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("result types serialize");
    s.push('\n');
    s
}

/// `transit.csv`: the pooled transit-time histogram of every flow (all delivered trains
/// of all replications), one row per non-empty bin, for distribution plots.
pub fn transit_csv(scenario: &str, model: &Model, out: &RunOutput) -> String {
    let mut rows = vec![header(&[
        "scenario",
        "flow",
        "lower_days",
        "upper_days",
        "trains",
    ])];
    for (info, h) in model.flows().iter().zip(&out.pooled) {
        for (lo, hi, n) in h.bins() {
            rows.push(vec![
                scenario.to_string(),
                info.id.clone(),
                num(lo),
                num(hi),
                n.to_string(),
            ]);
        }
    }
    csv_string(rows)
}

/// The network as run (overrides applied), for maps and GeoJSON: `network.json`.
#[derive(Debug, Serialize)]
pub struct NetworkExport {
    /// Network name.
    pub name: String,
    /// Nodes.
    pub nodes: Vec<NodeExport>,
    /// Legs.
    pub legs: Vec<LegExport>,
}

/// A node in `network.json`.
#[derive(Debug, Serialize)]
pub struct NodeExport {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO country code.
    pub country: String,
    /// Latitude (degrees north).
    pub lat: f64,
    /// Longitude (degrees east).
    pub lon: f64,
    /// Node kind.
    pub kind: String,
    /// Servers of its resource (0 without one).
    pub servers: u32,
}

/// A leg in `network.json`.
#[derive(Debug, Serialize)]
pub struct LegExport {
    /// Leg id.
    pub id: String,
    /// Start node id.
    pub from: String,
    /// End node id.
    pub to: String,
    /// `rail`, `sea` or `road`.
    pub mode: String,
    /// Length (km).
    pub length_km: f64,
    /// Trains or trucks per day per direction; for ferries, wagons per day one
    /// direction can carry; `null` without a limit.
    pub capacity_per_day: Option<f64>,
    /// Rail gauge (mm).
    pub gauge_mm: Option<u32>,
    /// True if it runs only from `from` to `to`.
    pub one_way: bool,
}

impl NetworkExport {
    /// The export of a network.
    pub fn new(network: &Network) -> NetworkExport {
        NetworkExport {
            name: network.name.clone(),
            nodes: network
                .nodes
                .iter()
                .map(|n| NodeExport {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    country: n.country.clone(),
                    lat: n.lat,
                    lon: n.lon,
                    kind: n.kind.name().to_string(),
                    servers: n.station.as_ref().map_or(0, |s| s.servers),
                })
                .collect(),
            legs: network
                .legs
                .iter()
                .map(|l| LegExport {
                    id: l.id.clone(),
                    from: network.node(l.from).id.clone(),
                    to: network.node(l.to).id.clone(),
                    mode: l.mode.name().to_string(),
                    length_km: l.length_km,
                    capacity_per_day: match &l.ferry {
                        Some(f) => Some(crate::routing::ferry_capacity_wagons_per_day(
                            f,
                            l.travel_days.mean(),
                            l.one_way,
                        )),
                        None => l.capacity_per_day,
                    },
                    gauge_mm: l.gauge_mm,
                    one_way: l.one_way,
                })
                .collect(),
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        pretty_json(self)
    }
}

/// The short table printed after a run.
pub fn table(s: &Summary) -> String {
    let mut t = String::new();
    let ci = |e: &Estimate| match e.ci95 {
        Some([lo, hi]) => format!("{:.2} [{:.2}, {:.2}]", e.mean, lo, hi),
        None => format!("{:.2}", e.mean),
    };
    let q = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    let _ = writeln!(
        t,
        "{}: {} replications of {} days ({} warm-up); means with 95% confidence intervals",
        s.scenario, s.replications, s.horizon_days, s.warmup_days
    );
    let _ = writeln!(
        t,
        "\n{:<22} {:>24} {:>24} {:>24} {:>7} {:>7}",
        "flow", "offered trains/week", "delivered trains/week", "transit days (mean)", "p50", "p95"
    );
    for f in &s.flows {
        let _ = writeln!(
            t,
            "{:<22} {:>24} {:>24} {:>24} {:>7} {:>7}",
            f.id,
            ci(&f.offered_trains_per_week),
            ci(&f.delivered_trains_per_week),
            ci(&Estimate {
                mean: f.transit_days.mean,
                ci95: f.transit_days.ci95
            }),
            q(f.transit_days.p50),
            q(f.transit_days.p95)
        );
    }
    let o = &s.overall;
    let _ = writeln!(
        t,
        "{:<22} {:>24} {:>24} {:>24} {:>7} {:>7}",
        "all flows",
        ci(&o.offered_trains_per_week),
        ci(&o.delivered_trains_per_week),
        ci(&Estimate {
            mean: o.transit_days.mean,
            ci95: o.transit_days.ci95
        }),
        q(o.transit_days.p50),
        q(o.transit_days.p95)
    );
    let mut busiest: Vec<_> = s.resources.iter().collect();
    busiest.sort_by(|a, b| b.utilization.mean.total_cmp(&a.utilization.mean));
    busiest.truncate(8);
    let names: Vec<String> = busiest
        .iter()
        .map(|r| match (&r.from, &r.to) {
            (Some(a), Some(b)) if r.id != format!("{a}-{b}") => format!("{} ({a}->{b})", r.id),
            (Some(a), Some(b)) => format!("{a}->{b}"),
            _ => r.id.clone(),
        })
        .collect();
    let w = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(22);
    let _ = writeln!(
        t,
        "\n{:<w$} {:>8} {:>22} {:>22}",
        "busiest resources", "kind", "utilization", "wait days"
    );
    for (r, name) in busiest.iter().zip(&names) {
        let _ = writeln!(
            t,
            "{:<w$} {:>8} {:>22} {:>22}",
            name,
            r.kind,
            ci(&r.utilization),
            ci(&r.wait_days)
        );
    }
    t
}
