//! Writing results: JSON, tidy CSV and the terminal table, all from the [`Summary`]
//! and the per-replication results, never from engine internals.
//!
//! A results folder is written whole ([`folder`]): every file, data and charts, goes
//! into a hidden temporary sibling folder that is swapped into place at the end, so a
//! reader sees the old run or the new one, never a mix.
//!
//! Every file has one type in [`crate::schema`]: `summary.json` is [`Summary`]
//! serialized (see its field docs for units); `flows.csv` has one
//! [`FlowRow`] per flow (`route` = `all`) and one per route; `resources.csv` one
//! [`ResourceRow`] per resource and direction; `replications.csv` one
//! [`ReplicationRow`] per replication and flow; `transit.csv` one [`TransitRow`] per
//! histogram bin.

pub mod experiments;
pub mod geojson;
pub mod links;
pub mod manifest;
pub mod page;
pub mod plot;

pub mod folder;

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::montecarlo::{Fold, RunOutput};
use crate::network::Network;
use crate::schema::{
    self, AllRoutes, EntityKind, FlowRow, LegExport, NodeExport, ReplicationRow, ResourceRow,
    RouteRef, TimeseriesRow, TransitRow,
};
use crate::sim::{Entity, Model, ReplicationResult, ResourceKind};
use crate::stats::Estimate;
use crate::summary::{RunStats, Summary, flow_transit_mean_days};

pub use crate::schema::NetworkExport;

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

/// Pretty-printed JSON with a final newline, for every JSON file written.
pub fn pretty_json<T: Serialize>(value: &T) -> String {
    schema::to_json(value)
}

/// The rows of `flows.csv`: one per flow (`route` = `all`) and per route of it.
pub fn flow_rows(s: &Summary) -> Vec<FlowRow> {
    let mut rows = Vec::new();
    for f in &s.flows {
        let (offered, offered_lo, offered_hi) = f.offered_trains.columns_nonneg();
        let (delivered, delivered_lo, delivered_hi) = f.delivered_trains.columns_nonneg();
        let (in_system, in_system_lo, in_system_hi) = f.in_system_trains.columns_nonneg();
        let (offered_pw, offered_pw_lo, offered_pw_hi) = f.offered_trains_per_week.columns_nonneg();
        let (delivered_pw, delivered_pw_lo, delivered_pw_hi) =
            f.delivered_trains_per_week.columns_nonneg();
        let (transit, transit_lo, transit_hi) = f.transit_days.estimate().columns_nonneg();
        let total = FlowRow {
            scenario: s.scenario.clone(),
            replications: s.replications,
            flow: f.id.clone(),
            from: f.from.clone(),
            to: f.to.clone(),
            route: RouteRef::All(AllRoutes::All),
            nodes: String::new(),
            route_share: 1.0,
            expected_days: f64::NAN,
            offered_trains_mean: offered,
            offered_trains_ci95_low: offered_lo,
            offered_trains_ci95_high: offered_hi,
            delivered_trains_mean: delivered,
            delivered_trains_ci95_low: delivered_lo,
            delivered_trains_ci95_high: delivered_hi,
            in_system_trains_mean: in_system,
            in_system_trains_ci95_low: in_system_lo,
            in_system_trains_ci95_high: in_system_hi,
            offered_trains_per_week_mean: offered_pw,
            offered_trains_per_week_ci95_low: offered_pw_lo,
            offered_trains_per_week_ci95_high: offered_pw_hi,
            throughput_trains_per_week_mean: delivered_pw,
            throughput_trains_per_week_ci95_low: delivered_pw_lo,
            throughput_trains_per_week_ci95_high: delivered_pw_hi,
            transit_days_mean: transit,
            transit_days_ci95_low: transit_lo,
            transit_days_ci95_high: transit_hi,
            transit_days_p50: f.transit_days.p50.unwrap_or(f64::NAN),
            transit_days_p95: f.transit_days.p95.unwrap_or(f64::NAN),
            teu_delivered_mean: f.teu_delivered.mean,
            tonnes_delivered_mean: f.tonnes_delivered.mean,
        };
        rows.push(total);
        for (j, route) in f.routes.iter().enumerate() {
            let (delivered, delivered_lo, delivered_hi) = route.delivered_trains.columns_nonneg();
            let (in_system, in_system_lo, in_system_hi) = route.in_system_trains.columns_nonneg();
            rows.push(FlowRow {
                scenario: s.scenario.clone(),
                replications: s.replications,
                flow: f.id.clone(),
                from: f.from.clone(),
                to: f.to.clone(),
                route: RouteRef::Number(j as u32 + 1),
                nodes: route.nodes.join(">"),
                route_share: route.share,
                expected_days: route.expected_days,
                offered_trains_mean: f64::NAN,
                offered_trains_ci95_low: f64::NAN,
                offered_trains_ci95_high: f64::NAN,
                delivered_trains_mean: delivered,
                delivered_trains_ci95_low: delivered_lo,
                delivered_trains_ci95_high: delivered_hi,
                in_system_trains_mean: in_system,
                in_system_trains_ci95_low: in_system_lo,
                in_system_trains_ci95_high: in_system_hi,
                offered_trains_per_week_mean: f64::NAN,
                offered_trains_per_week_ci95_low: f64::NAN,
                offered_trains_per_week_ci95_high: f64::NAN,
                throughput_trains_per_week_mean: f64::NAN,
                throughput_trains_per_week_ci95_low: f64::NAN,
                throughput_trains_per_week_ci95_high: f64::NAN,
                transit_days_mean: route.transit_days_mean.unwrap_or(f64::NAN),
                transit_days_ci95_low: f64::NAN,
                transit_days_ci95_high: f64::NAN,
                transit_days_p50: route.transit_days_p50.unwrap_or(f64::NAN),
                transit_days_p95: route.transit_days_p95.unwrap_or(f64::NAN),
                teu_delivered_mean: f64::NAN,
                tonnes_delivered_mean: f64::NAN,
            });
        }
    }
    rows
}

/// `flows.csv`: one row per flow (`route` = `all`) and per route of it.
pub fn flows_csv(s: &Summary) -> String {
    schema::to_csv(flow_rows(s))
}

/// The rows of `resources.csv`: one per resource (and direction, for legs).
pub fn resource_rows(s: &Summary) -> Vec<ResourceRow> {
    s.resources
        .iter()
        .map(|r| {
            let (u, u_lo, u_hi) = r.utilization.columns_nonneg();
            let (w, w_lo, w_hi) = r.wait_days.columns_nonneg();
            let (q, q_lo, q_hi) = r.queue_length.columns_nonneg();
            let (i, i_lo, i_hi) = r.in_service.columns_nonneg();
            let (a, a_lo, a_hi) = r.arrivals_per_day.columns_nonneg();
            let (c, c_lo, c_hi) = r.closed_share.columns_nonneg();
            ResourceRow {
                scenario: s.scenario.clone(),
                replications: s.replications,
                resource: r.id.clone(),
                kind: r.kind,
                detail: r.detail,
                from: r.from.clone(),
                to: r.to.clone(),
                capacity_servers: (r.kind == ResourceKind::Station).then_some(r.capacity),
                capacity_trains_per_day: (r.kind == ResourceKind::Rail && r.capacity > 0.0)
                    .then_some(r.capacity),
                capacity_trucks_per_day: (r.kind == ResourceKind::Road && r.capacity > 0.0)
                    .then_some(r.capacity),
                capacity_wagons_per_day: (r.kind == ResourceKind::Ferry).then_some(r.capacity),
                utilization_mean: u,
                utilization_ci95_low: u_lo,
                utilization_ci95_high: u_hi,
                wait_days_mean: w,
                wait_days_ci95_low: w_lo,
                wait_days_ci95_high: w_hi,
                queue_trains_mean: q,
                queue_trains_ci95_low: q_lo,
                queue_trains_ci95_high: q_hi,
                in_service_trains_mean: i,
                in_service_trains_ci95_low: i_lo,
                in_service_trains_ci95_high: i_hi,
                arrivals_per_day_mean: a,
                arrivals_per_day_ci95_low: a_lo,
                arrivals_per_day_ci95_high: a_hi,
                closed_share_mean: c,
                closed_share_ci95_low: c_lo,
                closed_share_ci95_high: c_hi,
            }
        })
        .collect()
}

/// `resources.csv`: one row per resource (and direction, for legs).
pub fn resources_csv(s: &Summary) -> String {
    schema::to_csv(resource_rows(s))
}

/// The rows of `storage.csv`: one per node with a storage limit.
pub fn storage_rows(s: &Summary) -> Vec<schema::StorageRow> {
    s.storage
        .iter()
        .map(|x| {
            let (h, h_lo, h_hi) = x.hold_days.columns_nonneg();
            let (r, r_lo, r_hi) = x.refused_share.columns_nonneg();
            let (f, f_lo, f_hi) = x.full_share.columns_nonneg();
            schema::StorageRow {
                scenario: s.scenario.clone(),
                replications: s.replications,
                node: x.node.clone(),
                unit: x.unit.clone(),
                limit: x.limit,
                when_full: x.when_full.clone(),
                arrivals_per_day_mean: x.arrivals_per_day.mean,
                held_trains: x.held_trains,
                held_per_day_mean: x.held_per_day.mean,
                hold_days_mean: h,
                hold_days_ci95_low: h_lo,
                hold_days_ci95_high: h_hi,
                refused_trains: x.refused_trains,
                refused_share_mean: r,
                refused_share_ci95_low: r_lo,
                refused_share_ci95_high: r_hi,
                full_share_mean: f,
                full_share_ci95_low: f_lo,
                full_share_ci95_high: f_hi,
                held_trains_mean: x.held_mean.mean,
                occupancy_mean: x.occupancy_mean.mean,
            }
        })
        .collect()
}

/// `storage.csv`: one row per node with a storage limit.
pub fn storage_csv(s: &Summary) -> String {
    schema::to_csv(storage_rows(s))
}

/// The rows of `replications.csv` of one replication (of one sweep point, with
/// `sweep` = the parameter and its value): one per flow.
pub fn replication_rows_of<'a>(
    scenario: &'a str,
    sweep: Option<(&'a str, f64)>,
    model: &'a Model,
    r: &'a ReplicationResult,
) -> impl Iterator<Item = ReplicationRow> + 'a {
    r.flows
        .iter()
        .zip(model.flows())
        .map(move |(f, info)| ReplicationRow {
            scenario: scenario.to_string(),
            param: sweep.map(|(p, _)| p.to_string()),
            value: sweep.map(|(_, v)| v),
            replication: r.index,
            flow: info.id.clone(),
            offered_trains: f.offered,
            delivered_trains: f.delivered,
            in_system_trains: f.in_system,
            delivered_in_window_trains: f.completed,
            transit_days_mean: flow_transit_mean_days(f),
            transit_days_p50: f.transit_p50_days,
            transit_days_p95: f.transit_p95_days,
            teu_delivered: f.teu_delivered,
            tonnes_delivered: f.tonnes_delivered,
            events: r.events,
        })
}

/// The rows of `replications.csv` of replications kept in a [`RunOutput`] (a replay,
/// merged shards): one per replication and flow.
pub fn replication_rows(
    scenario: &str,
    sweep: Option<(&str, f64)>,
    model: &Model,
    out: &RunOutput,
) -> Vec<ReplicationRow> {
    out.replications
        .iter()
        .flat_map(|r| replication_rows_of(scenario, sweep, model, r))
        .collect()
}

/// `replications.csv` of replications kept in a [`RunOutput`]: one row per
/// replication and flow, for people who run their own statistics (the same bytes
/// as [`ReplicationsCsv`] streams).
pub fn replications_csv(scenario: &str, model: &Model, out: &RunOutput) -> String {
    let mut w = ReplicationsCsv::new(scenario, None, model, Vec::new(), true);
    out.replay_into(&mut w);
    String::from_utf8(w.finish().expect("writing to memory")).expect("CSV is UTF-8")
}

/// The header of `replications.csv` of `model`: the fields of [`ReplicationRow`],
/// then one column per uncertain input (its label), holding the value the
/// replication drew (for a duration, the factor on its draws).
pub fn replications_header(model: &Model) -> Vec<String> {
    schema::fields::<ReplicationRow>()
        .iter()
        .map(|f| f.to_string())
        .chain(model.uncertain_inputs().iter().map(|u| u.label.clone()))
        .collect()
}

/// `sensitivity.csv`: the rows of [`Summary::sensitivity`].
pub fn sensitivity_csv(s: &Summary) -> String {
    schema::to_csv(s.sensitivity.iter().cloned())
}

/// `replications.csv` written as the replications are folded: a [`Fold`] that
/// serializes each replication's rows to `W` at once, so the rows never pile up in
/// memory. With `header`, the file is the one [`replications_csv`] makes (the header
/// also without any row); without, the rows alone (a part of a longer file).
pub struct ReplicationsCsv<'a, W: io::Write> {
    scenario: &'a str,
    sweep: Option<(&'a str, f64)>,
    model: &'a Model,
    writer: csv::Writer<W>,
    header: bool,
    rows: u64,
    error: Option<io::Error>,
}

impl<W: io::Write> std::fmt::Debug for ReplicationsCsv<'_, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplicationsCsv")
            .field("scenario", &self.scenario)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<'a, W: io::Write> ReplicationsCsv<'a, W> {
    /// Rows of `scenario` (a sweep point with `sweep`) run on `model`, written to `out`.
    pub fn new(
        scenario: &'a str,
        sweep: Option<(&'a str, f64)>,
        model: &'a Model,
        out: W,
        header: bool,
    ) -> ReplicationsCsv<'a, W> {
        ReplicationsCsv {
            scenario,
            sweep,
            model,
            writer: csv::WriterBuilder::new()
                .has_headers(header && model.uncertain_inputs().is_empty())
                .from_writer(out),
            header,
            rows: 0,
            error: None,
        }
    }

    /// Writes the header with the inputs' columns before the first row.
    fn header_with_inputs(&mut self) -> Result<(), csv::Error> {
        if self.header && self.rows == 0 && !self.model.uncertain_inputs().is_empty() {
            self.writer.write_record(replications_header(self.model))?;
        }
        Ok(())
    }

    /// Flushes the rows (writing the header alone if there were none) and returns the
    /// writer, or the first error met.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.header && self.rows == 0 {
            self.writer
                .write_record(replications_header(self.model))
                .map_err(io::Error::other)?;
        }
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: io::Write + Send> Fold for ReplicationsCsv<'_, W> {
    fn push(&mut self, r: &ReplicationResult) {
        if self.error.is_some() {
            return;
        }
        for row in replication_rows_of(self.scenario, self.sweep, self.model, r) {
            let written = if r.inputs.is_empty() {
                self.writer.serialize(row)
            } else {
                self.header_with_inputs()
                    .and_then(|()| self.writer.serialize((row, r.inputs.as_slice())))
            };
            if let Err(e) = written {
                self.error = Some(io::Error::other(e));
                return;
            }
            self.rows += 1;
        }
    }
}

/// The rows of `transit.csv`: the pooled transit-time histogram of every flow (all
/// delivered trains of all replications), one row per non-empty bin.
pub fn transit_rows(scenario: &str, model: &Model, stats: &RunStats) -> Vec<TransitRow> {
    let mut rows = Vec::new();
    for (info, h) in model.flows().iter().zip(&stats.pooled) {
        for (lo, hi, n) in h.bins() {
            rows.push(TransitRow {
                scenario: scenario.to_string(),
                flow: info.id.clone(),
                lower_days: lo,
                upper_days: hi,
                trains: n,
            });
        }
    }
    rows
}

/// The rows of `timeseries.csv`: every measure of every resource and flow in every
/// period, across replications (empty without time series).
pub fn timeseries_rows(scenario: &str, model: &Model, stats: &RunStats) -> Vec<TimeseriesRow> {
    let Some(grid) = &stats.series else {
        return Vec::new();
    };
    let columns = model.series_columns();
    let starts = model.period_start_days();
    let calendar = model.calendar();
    let horizon = model.horizon_days();
    let warmup = model.warmup_days();
    let mut rows = Vec::with_capacity(grid.len());
    for (k, start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(horizon);
        for (c, col) in columns.iter().enumerate() {
            let i = k * columns.len() + c;
            if i >= grid.len() {
                break;
            }
            let (entity_kind, entity) = match col.entity {
                Entity::Resource(r) => {
                    let info = &model.resources()[r as usize];
                    let kind = match info.kind {
                        ResourceKind::Station => EntityKind::Station,
                        ResourceKind::Rail => EntityKind::Rail,
                        ResourceKind::Road => EntityKind::Road,
                        ResourceKind::Ferry => EntityKind::Ferry,
                    };
                    (kind, info.label())
                }
                Entity::Flow(f) => (EntityKind::Flow, model.flows()[f as usize].id.clone()),
            };
            let (n, est, p10, p90) = grid.cell(i);
            let (lo, hi) = est
                .ci95
                .map_or((f64::NAN, f64::NAN), |[a, b]| (a.max(0.0), b));
            rows.push(TimeseriesRow {
                scenario: scenario.to_string(),
                period_start: calendar.label(*start),
                period_start_day: *start,
                period_days: end - start,
                in_warmup: *start < warmup,
                entity_kind,
                entity,
                measure: col.measure,
                replications: n,
                mean: est.mean,
                ci95_low: lo,
                ci95_high: hi,
                p10,
                p90,
            });
        }
    }
    rows
}

/// `timeseries.csv`.
pub fn timeseries_csv(scenario: &str, model: &Model, stats: &RunStats) -> String {
    schema::to_csv(timeseries_rows(scenario, model, stats))
}

/// `transit.csv`: the pooled transit-time histogram of every flow, for distribution
/// plots.
pub fn transit_csv(scenario: &str, model: &Model, stats: &RunStats) -> String {
    schema::to_csv(transit_rows(scenario, model, stats))
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
                    kind: n.kind,
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
                    mode: l.mode,
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
        "flow",
        "offered trains/week",
        "delivered trains/week",
        "transit days (mean)",
        "p50*",
        "p95*"
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
    let _ = writeln!(
        t,
        "* pooled percentiles: of all delivered trains of all replications together (transit_days.p50 / .p95 in summary.json)"
    );
    for n in &s.notices {
        let _ = writeln!(t, "NOTE {n}");
    }
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
            r.kind.name(),
            ci(&r.utilization),
            ci(&r.wait_days)
        );
    }
    t
}
