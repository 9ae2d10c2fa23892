//! `manifest.json`: what produced a results folder, so that any figure can be
//! reproduced: the corridor version, the command, file hashes, every parameter after
//! overrides, seed, replications, threads, wall time and date.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::network::{Change, Departure, InputRange, Network, NodeId, WhenFull};
use crate::scenario::{Arrivals, DisruptionTiming, RoutePolicy, Scenario};
use crate::schema::{
    ArrivalsRecord, BacklogRecord, ChangeRecord, DatedOverrideRecord, DepartureRecord,
    DisruptionRecord, FerryRecord, FileRecord, FlowRecord, LegRecord, NetworkRecord, NodeRecord,
    OverrideRecord, PolicyRecord, ProfileRecord, RangeRecord, SplitRecord, StationRecord,
    StorageRecord, TimingRecord, TrainRecord, UncertainRecord, WeatherRecord,
};
pub use crate::schema::{Details, Manifest, RunKind, ScenarioRecord, SweepDetails, WarmupSource};

/// SHA-256 of a file's bytes, in hex (empty if it cannot be read).
pub fn sha256_file(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => sha256_hex(&bytes),
        Err(_) => String::new(),
    }
}

/// SHA-256 of bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl ScenarioRecord {
    /// The record of a scenario and its network as run.
    pub fn new(scenario: &Scenario, network: &Network) -> ScenarioRecord {
        let node = |n: NodeId| network.node(n).id.clone();
        let via = |v: &[NodeId]| v.iter().map(|n| node(*n)).collect::<Vec<_>>();
        let flows = scenario
            .flows
            .iter()
            .map(|f| FlowRecord {
                id: f.id.clone(),
                from: node(f.from),
                to: node(f.to),
                trains_per_week: f.trains_per_week,
                arrivals: match &f.arrivals {
                    Arrivals::Poisson => ArrivalsRecord::Poisson,
                    Arrivals::Timetable { offset_days } => ArrivalsRecord::Timetable {
                        offset_days: *offset_days,
                    },
                    Arrivals::Seasonal { factors } => ArrivalsRecord::Seasonal(factors.to_vec()),
                },
                train: TrainRecord {
                    wagons: f.train.wagons,
                    teu: f.train.teu,
                    tonnes: f.train.tonnes,
                },
                route_by: f.route_by,
                profile: (!f.profile.is_flat()).then(|| ProfileRecord {
                    steps: f.profile.steps.iter().map(|(d, x)| [*d, *x]).collect(),
                    growth_per_year: f.profile.growth_per_year,
                }),
                policy: match &f.policy {
                    RoutePolicy::Fixed { via: v } => PolicyRecord::Fixed { via: via(v) },
                    RoutePolicy::Split(parts) => PolicyRecord::Split(
                        parts
                            .iter()
                            .map(|p| SplitRecord {
                                via: via(&p.via),
                                share: p.share,
                            })
                            .collect(),
                    ),
                    RoutePolicy::Adaptive { alternatives } => PolicyRecord::Adaptive {
                        alternatives: *alternatives,
                    },
                },
            })
            .collect();
        let record = |o: &crate::scenario::Override| OverrideRecord {
            target: network.target_name(o.target).to_string(),
            param: o.param.name().to_string(),
            change: match &o.change {
                Change::Number(v) => ChangeRecord::Number { value: *v },
                Change::Dist(d) => ChangeRecord::Dist {
                    value: d.params().clone(),
                },
                Change::Scale(f) => ChangeRecord::Scale { factor: *f },
                Change::Add(a) => ChangeRecord::Add { add: *a },
            },
            note: o.note.clone(),
        };
        let overrides = scenario.overrides.iter().map(record).collect();
        let disruptions = scenario
            .disruptions
            .iter()
            .map(|d| DisruptionRecord {
                target: network.target_name(d.target).to_string(),
                timing: match d.timing {
                    DisruptionTiming::Scheduled { start_day } => {
                        TimingRecord::Scheduled { start_day }
                    }
                    DisruptionTiming::Random { per_year, by_month } => TimingRecord::Random {
                        per_year,
                        per_year_by_month: by_month,
                    },
                },
                duration_days: d.duration_days.params().clone(),
            })
            .collect();
        ScenarioRecord {
            name: scenario.name.clone(),
            file: scenario.path.display().to_string(),
            file_sha256: sha256_file(&scenario.path),
            extends: scenario
                .bases
                .iter()
                .map(|p| FileRecord {
                    file: p.display().to_string(),
                    sha256: sha256_file(p),
                })
                .collect(),
            set: scenario.sets.clone(),
            network_file: scenario.network_path.display().to_string(),
            network_sha256: sha256_file(&scenario.network_path),
            flows,
            overrides,
            disruptions,
            start_date: scenario
                .calendar
                .start
                .map(|d| d.format("%Y-%m-%d").to_string()),
            period: scenario.period.map(|p| p.name()),
            dated_overrides: scenario
                .dated
                .iter()
                .map(|d| DatedOverrideRecord {
                    change: record(&d.change),
                    from_day: d.from_day,
                    until_day: d.until_day,
                })
                .collect(),
            backlog: scenario
                .backlog
                .iter()
                .map(|b| BacklogRecord {
                    flow: scenario.flows[b.flow].id.clone(),
                    at: node(b.at),
                    trains: b.trains,
                })
                .collect(),
            embargoes: scenario
                .embargoes
                .iter()
                .map(|e| crate::schema::EmbargoRecord {
                    node: node(e.node),
                    stop_above: e.stop_above,
                    resume_below: e.resume_below,
                    unit: if e.wagons { "wagons" } else { "trains" }.to_string(),
                })
                .collect(),
            network: resolved_network(network),
            uncertain: (!scenario.uncertain.is_empty()).then(|| UncertainRecord {
                inputs: scenario.inputs.name().to_string(),
                ranges: scenario
                    .uncertain
                    .iter()
                    .map(|u| RangeRecord {
                        input: u.label.clone(),
                        shape: match u.range {
                            InputRange::Uniform { .. } => "uniform",
                            InputRange::Triangular { .. } => "triangular",
                        }
                        .to_string(),
                        min: u.range.min(),
                        mode: u.range.mode(),
                        max: u.range.max(),
                        point: u.value_of(u.range.point()),
                        scale: u.is_scale(),
                    })
                    .collect(),
            }),
        }
    }
}

/// Every parameter of a network.
fn resolved_network(network: &Network) -> NetworkRecord {
    let nodes = network
        .nodes
        .iter()
        .map(|n| NodeRecord {
            id: n.id.clone(),
            name: n.name.clone(),
            country: n.country.clone(),
            lat: n.lat,
            lon: n.lon,
            kind: n.kind,
            handling_usd_per_teu: n.handling_usd_per_teu,
            resource: n.station.as_ref().map(|s| StationRecord {
                servers: s.servers,
                service_days: s.service_days.params().clone(),
                gauge_change: s.gauge_change,
            }),
            storage: n.storage.map(|s| StorageRecord {
                limit: s.limit,
                unit: s.unit.name().to_string(),
                when_full: match s.when_full {
                    WhenFull::Hold => "hold",
                    WhenFull::Refuse => "refuse",
                }
                .to_string(),
            }),
        })
        .collect();
    let legs = network
        .legs
        .iter()
        .map(|l| LegRecord {
            id: l.id.clone(),
            from: network.node(l.from).id.clone(),
            to: network.node(l.to).id.clone(),
            mode: l.mode,
            length_km: l.length_km,
            travel_days: l.travel_days.params().clone(),
            capacity_per_day: l.capacity_per_day,
            teu_per_truck: l.teu_per_truck,
            gauge_mm: l.gauge_mm,
            tariff_usd_per_teu: l.tariff_usd_per_teu,
            co2_kg_per_teu_km: l.co2_kg_per_teu_km,
            one_way: l.one_way,
            ferry: l.ferry.as_ref().map(|f| FerryRecord {
                vessels: f.vessels,
                wagons_per_sailing: f.wagons_per_sailing,
                teu_per_sailing: f.teu_per_sailing,
                departure: match f.departure {
                    Departure::Timetable {
                        every_days,
                        first_days,
                    } => DepartureRecord::Timetable {
                        every_days,
                        first_days,
                    },
                    Departure::WhenFull { max_wait_days } => {
                        DepartureRecord::WhenFull { max_wait_days }
                    }
                },
                turnaround_days: f.turnaround_days.params().clone(),
                weather: f.weather.as_ref().map(|w| WeatherRecord {
                    closures_per_year: w.closures_per_year,
                    closures_per_year_by_month: w.closures_per_year_by_month,
                    closure_days: w.closure_days.params().clone(),
                }),
            }),
        })
        .collect();
    NetworkRecord {
        name: network.name.clone(),
        nodes,
        legs,
    }
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
