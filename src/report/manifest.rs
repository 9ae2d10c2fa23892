//! `manifest.json`: what produced a results folder, so that any figure can be
//! reproduced: the corridor version, the command, file hashes, every parameter after
//! overrides, seed, replications, threads, wall time and date.

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::dist::DistParams;
use crate::network::{Departure, Network};
use crate::scenario::{Arrivals, DisruptionTiming, RoutePolicy, Scenario};

/// The provenance of a results folder.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// `corridor` version that wrote the folder.
    pub corridor_version: String,
    /// The command line.
    pub command: Vec<String>,
    /// `run`, `replay`, `sweep` or `compare`.
    pub kind: String,
    /// When the run ended (UTC, RFC 3339).
    pub created_utc: String,
    /// Wall-clock time of the simulation (seconds).
    pub wall_seconds: f64,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// Master seed.
    pub seed: u64,
    /// Replications (per scenario and sweep point).
    pub replications: u64,
    /// Simulated days, warm-up included.
    pub horizon_days: f64,
    /// Discarded initial days.
    pub warmup_days: f64,
    /// Where the warm-up came from: `scenario`, `command line` or `auto (MSER-5)`.
    pub warmup_source: String,
    /// Extra details (warm-up choice, precision report, sweep values).
    pub details: serde_json::Value,
    /// Every scenario involved, resolved.
    pub scenarios: Vec<ScenarioRecord>,
}

/// One scenario with its files and every parameter after overrides.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioRecord {
    /// Scenario name.
    pub name: String,
    /// Scenario file.
    pub file: String,
    /// SHA-256 of the scenario file.
    pub file_sha256: String,
    /// Network file.
    pub network_file: String,
    /// SHA-256 of the network file.
    pub network_sha256: String,
    /// Flows as run.
    pub flows: serde_json::Value,
    /// Overrides applied.
    pub overrides: serde_json::Value,
    /// Disruptions.
    pub disruptions: serde_json::Value,
    /// The network after overrides.
    pub network: serde_json::Value,
}

/// SHA-256 of a file's bytes, in hex (empty if it cannot be read).
pub fn sha256_file(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        Err(_) => String::new(),
    }
}

impl ScenarioRecord {
    /// The record of a scenario and its network as run.
    pub fn new(scenario: &Scenario, network: &Network) -> ScenarioRecord {
        use serde_json::json;
        let node = |n: crate::network::NodeId| network.node(n).id.clone();
        let flows = scenario
            .flows
            .iter()
            .map(|f| {
                json!({
                    "id": f.id,
                    "from": node(f.from),
                    "to": node(f.to),
                    "trains_per_week": f.trains_per_week,
                    "arrivals": match &f.arrivals {
                        Arrivals::Poisson => json!("poisson"),
                        Arrivals::Timetable { offset_days } => json!({ "timetable": { "offset_days": offset_days } }),
                        Arrivals::Seasonal { factors } => json!({ "seasonal": factors }),
                    },
                    "train": { "wagons": f.train.wagons, "teu": f.train.teu, "tonnes": f.train.tonnes },
                    "route_by": f.route_by.name(),
                    "policy": match &f.policy {
                        RoutePolicy::Fixed { via } => json!({ "fixed": { "via": via.iter().map(|n| node(*n)).collect::<Vec<_>>() } }),
                        RoutePolicy::Split(parts) => json!({ "split": parts.iter().map(|p| json!({
                            "via": p.via.iter().map(|n| node(*n)).collect::<Vec<_>>(), "share": p.share })).collect::<Vec<_>>() }),
                        RoutePolicy::Adaptive { alternatives } => json!({ "adaptive": { "alternatives": alternatives } }),
                    },
                })
            })
            .collect::<Vec<_>>();
        let overrides = scenario
            .overrides
            .iter()
            .map(|o| {
                let change = match &o.change {
                    crate::network::Change::Number(v) => json!({ "value": v }),
                    crate::network::Change::Dist(d) => json!({ "value": d.params() }),
                    crate::network::Change::Scale(f) => json!({ "factor": f }),
                };
                json!({ "target": network.target_name(o.target), "param": o.param.name(), "change": change, "note": o.note })
            })
            .collect::<Vec<_>>();
        let disruptions = scenario
            .disruptions
            .iter()
            .map(|d| {
                let timing = match d.timing {
                    DisruptionTiming::Scheduled { start_day } => json!({ "start_day": start_day }),
                    DisruptionTiming::Random { per_year } => json!({ "per_year": per_year }),
                };
                json!({ "target": network.target_name(d.target), "timing": timing, "duration_days": d.duration_days.params() })
            })
            .collect::<Vec<_>>();
        ScenarioRecord {
            name: scenario.name.clone(),
            file: scenario.path.display().to_string(),
            file_sha256: sha256_file(&scenario.path),
            network_file: scenario.network_path.display().to_string(),
            network_sha256: sha256_file(&scenario.network_path),
            flows: json!(flows),
            overrides: json!(overrides),
            disruptions: json!(disruptions),
            network: resolved_network(network),
        }
    }
}

fn dist(p: &DistParams) -> serde_json::Value {
    serde_json::to_value(p).expect("distribution serializes")
}

/// Every parameter of a network.
fn resolved_network(network: &Network) -> serde_json::Value {
    use serde_json::json;
    let nodes: Vec<_> = network
        .nodes
        .iter()
        .map(|n| {
            json!({
                "id": n.id, "name": n.name, "country": n.country, "lat": n.lat, "lon": n.lon,
                "kind": n.kind.name(), "handling_usd_per_teu": n.handling_usd_per_teu,
                "resource": n.station.as_ref().map(|s| json!({
                    "servers": s.servers,
                    "service_days": dist(s.service_days.params()),
                    "gauge_change": s.gauge_change.map(|g| format!("{g:?}")),
                })),
            })
        })
        .collect();
    let legs: Vec<_> = network
        .legs
        .iter()
        .map(|l| {
            json!({
                "id": l.id, "from": network.node(l.from).id, "to": network.node(l.to).id,
                "mode": l.mode.name(), "length_km": l.length_km,
                "travel_days": dist(l.travel_days.params()),
                "capacity_per_day": l.capacity_per_day, "teu_per_truck": l.teu_per_truck,
                "gauge_mm": l.gauge_mm, "tariff_usd_per_teu": l.tariff_usd_per_teu,
                "co2_kg_per_teu_km": l.co2_kg_per_teu_km, "one_way": l.one_way,
                "ferry": l.ferry.as_ref().map(|f| json!({
                    "vessels": f.vessels,
                    "wagons_per_sailing": f.wagons_per_sailing,
                    "teu_per_sailing": f.teu_per_sailing,
                    "departure": match f.departure {
                        Departure::Timetable { every_days, first_days } => json!({ "rule": "timetable", "every_days": every_days, "first_days": first_days }),
                        Departure::WhenFull { max_wait_days } => json!({ "rule": "when_full", "max_wait_days": max_wait_days }),
                    },
                    "turnaround_days": dist(f.turnaround_days.params()),
                    "weather": f.weather.as_ref().map(|w| json!({
                        "closures_per_year": w.closures_per_year,
                        "closure_days": dist(w.closure_days.params()),
                    })),
                })),
            })
        })
        .collect();
    json!({ "name": network.name, "nodes": nodes, "legs": legs })
}

/// The current time as RFC 3339 UTC, e.g. `2026-11-27T13:24:25Z`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since 1970 as RFC 3339 UTC (civil-from-days, Howard Hinnant's algorithm).
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Manifest {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_786_065), "2026-11-27T13:27:45Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
