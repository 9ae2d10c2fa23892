//! Reading the files of a results folder back, for charts and GeoJSON.
//!
//! The library's result types only serialize, so this module holds small mirrors of
//! the parts of `summary.json` and `network.json` that charts need, and reads
//! `transit.csv`; [`experiment`] reads the files of `sweep` and `compare` folders
//! (the benchmark tables are drawn by the bench scripts). Every error names the file
//! and says what is wrong with it.

pub mod experiment;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::report::NetworkExport;

/// `summary.json`: the summary of a run.
pub const SUMMARY: &str = "summary.json";
/// `network.json`: the network as run.
pub const NETWORK: &str = "network.json";
/// `transit.csv`: pooled transit-time histograms.
pub const TRANSIT: &str = "transit.csv";

/// A result file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not what `corridor run` writes.
    #[error("{}: {message}; write it again with `corridor run`", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file is not what the program named in `remedy` writes.
    #[error("{}: {message}; {remedy}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// How to write the file again.
        remedy: &'static str,
    },
}

impl ReadError {
    fn invalid(path: &Path, message: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    fn malformed(path: &Path, message: impl Into<String>, remedy: &'static str) -> ReadError {
        ReadError::Malformed {
            path: path.to_path_buf(),
            message: message.into(),
            remedy,
        }
    }
}

/// The text of a file.
fn read_text(path: &Path) -> Result<String, ReadError> {
    std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A mean with its 95% interval, as in `summary.json` (`null` where not a number).
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct EstimateData {
    /// Mean over replications.
    #[serde(default)]
    pub mean: Option<f64>,
    /// Student-t 95% interval.
    #[serde(default)]
    pub ci95: Option<[Option<f64>; 2]>,
}

impl EstimateData {
    /// The mean, if it is a finite number.
    pub fn value(&self) -> Option<f64> {
        self.mean.filter(|v| v.is_finite())
    }

    /// The interval, if both ends are finite numbers.
    pub fn interval(&self) -> Option<(f64, f64)> {
        match self.ci95 {
            Some([Some(lo), Some(hi)]) if lo.is_finite() && hi.is_finite() => Some((lo, hi)),
            _ => None,
        }
    }
}

/// Transit-time figures of a flow (days).
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct TransitData {
    /// Pooled median.
    #[serde(default)]
    pub p50: Option<f64>,
    /// Pooled 95th percentile.
    #[serde(default)]
    pub p95: Option<f64>,
    /// Delivered trains the percentiles rest on.
    #[serde(default)]
    pub trains: u64,
}

/// One flow of `summary.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct FlowData {
    /// Flow id.
    pub id: String,
    /// Origin node id.
    pub from: String,
    /// Destination node id.
    pub to: String,
    /// Transit times.
    pub transit_days: TransitData,
}

/// One resource of `summary.json`: a station, or one direction of a leg.
#[derive(Clone, Debug, Deserialize)]
pub struct ResourceData {
    /// Node id (stations) or leg id.
    pub id: String,
    /// `station`, `rail`, `road` or `ferry`.
    pub kind: String,
    /// Legs: where traffic comes from.
    #[serde(default)]
    pub from: Option<String>,
    /// Legs: where traffic goes.
    #[serde(default)]
    pub to: Option<String>,
    /// Servers, trains or trucks per day, wagons per day; 0 = no limit.
    #[serde(default)]
    pub capacity: Option<f64>,
    /// Share of capacity used.
    pub utilization: EstimateData,
    /// Mean wait (days).
    #[serde(default)]
    pub wait_days: EstimateData,
    /// Trains arriving per day.
    #[serde(default)]
    pub arrivals_per_day: EstimateData,
}

impl ResourceData {
    /// The `from` and `to` node ids of a leg direction; `None` for a station.
    pub fn direction(&self) -> Option<(&str, &str)> {
        match (&self.from, &self.to) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        }
    }
}

/// The parts of `summary.json` that charts use.
#[derive(Clone, Debug, Deserialize)]
pub struct SummaryData {
    /// Scenario name.
    pub scenario: String,
    /// Replications every figure rests on.
    pub replications: u64,
    /// Observed days per replication.
    #[serde(default)]
    pub window_days: Option<f64>,
    /// Flows.
    pub flows: Vec<FlowData>,
    /// Resources some route uses.
    pub resources: Vec<ResourceData>,
}

impl SummaryData {
    /// The station resource of node `id`.
    pub fn station(&self, id: &str) -> Option<&ResourceData> {
        self.resources
            .iter()
            .find(|r| r.id == id && r.direction().is_none())
    }

    /// The resources of leg `id` (one per direction used).
    pub fn leg(&self, id: &str) -> impl Iterator<Item = &ResourceData> {
        self.resources
            .iter()
            .filter(move |r| r.id == id && r.direction().is_some())
    }
}

/// A node of `network.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct NodeData {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO country code.
    #[serde(default)]
    pub country: String,
    /// Latitude (degrees north).
    pub lat: f64,
    /// Longitude (degrees east).
    pub lon: f64,
    /// Node kind.
    pub kind: String,
    /// Servers of its resource (0 without one).
    #[serde(default)]
    pub servers: u32,
}

/// A leg of `network.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct LegData {
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
    /// Trains or trucks per day per direction (ferries: wagons per day); `None` = no limit.
    #[serde(default)]
    pub capacity_per_day: Option<f64>,
    /// Rail gauge (mm).
    #[serde(default)]
    pub gauge_mm: Option<u32>,
    /// True if it runs only from `from` to `to`.
    #[serde(default)]
    pub one_way: bool,
}

/// `network.json`: the network as run.
#[derive(Clone, Debug, Deserialize)]
pub struct NetworkData {
    /// Network name.
    pub name: String,
    /// Nodes.
    pub nodes: Vec<NodeData>,
    /// Legs.
    pub legs: Vec<LegData>,
}

impl NetworkData {
    /// The same data as a freshly built export.
    pub fn from_export(export: &NetworkExport) -> NetworkData {
        NetworkData {
            name: export.name.clone(),
            nodes: export
                .nodes
                .iter()
                .map(|n| NodeData {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    country: n.country.clone(),
                    lat: n.lat,
                    lon: n.lon,
                    kind: n.kind.clone(),
                    servers: n.servers,
                })
                .collect(),
            legs: export
                .legs
                .iter()
                .map(|l| LegData {
                    id: l.id.clone(),
                    from: l.from.clone(),
                    to: l.to.clone(),
                    mode: l.mode.clone(),
                    length_km: l.length_km,
                    capacity_per_day: l.capacity_per_day,
                    gauge_mm: l.gauge_mm,
                    one_way: l.one_way,
                })
                .collect(),
        }
    }

    /// The node with id `id`.
    pub fn node(&self, id: &str) -> Option<&NodeData> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Checks coordinates and references; the first problem found.
    fn check(&self) -> Result<(), String> {
        for n in &self.nodes {
            if !(n.lat.is_finite() && (-90.0..=90.0).contains(&n.lat)) {
                return Err(format!(
                    "node `{}` has latitude {} (not in -90..90)",
                    n.id, n.lat
                ));
            }
            if !(n.lon.is_finite() && (-180.0..=180.0).contains(&n.lon)) {
                return Err(format!(
                    "node `{}` has longitude {} (not in -180..180)",
                    n.id, n.lon
                ));
            }
        }
        for l in &self.legs {
            for end in [&l.from, &l.to] {
                if self.node(end).is_none() {
                    return Err(format!("leg `{}` refers to unknown node `{end}`", l.id));
                }
            }
        }
        Ok(())
    }
}

/// One bin of a flow's pooled transit-time histogram (`transit.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct TransitBin {
    /// Flow id.
    pub flow: String,
    /// Lower edge (days).
    pub lower_days: f64,
    /// Upper edge (days).
    pub upper_days: f64,
    /// Delivered trains in the bin, all replications.
    pub trains: u64,
}

/// Everything a `run` folder holds for charts.
#[derive(Clone, Debug)]
pub struct RunResults {
    /// `summary.json`.
    pub summary: SummaryData,
    /// `network.json`, if present.
    pub network: Option<NetworkData>,
    /// `transit.csv`, if present.
    pub transit: Option<Vec<TransitBin>>,
}

/// Reads `summary.json` and, when present, `network.json` and `transit.csv` of `dir`.
pub fn read_run(dir: &Path) -> Result<RunResults, ReadError> {
    let summary = read_summary(&dir.join(SUMMARY))?;
    let network = optional(&dir.join(NETWORK), read_network)?;
    let transit = optional(&dir.join(TRANSIT), read_transit)?;
    Ok(RunResults {
        summary,
        network,
        transit,
    })
}

fn optional<T>(
    path: &Path,
    read: fn(&Path) -> Result<T, ReadError>,
) -> Result<Option<T>, ReadError> {
    if path.exists() {
        read(path).map(Some)
    } else {
        Ok(None)
    }
}

/// Reads `summary.json`.
pub fn read_summary(path: &Path) -> Result<SummaryData, ReadError> {
    read_json(path, "summary")
}

/// Reads `network.json` and checks its coordinates and references.
pub fn read_network(path: &Path) -> Result<NetworkData, ReadError> {
    let network: NetworkData = read_json(path, "network")?;
    network
        .check()
        .map_err(|message| ReadError::invalid(path, message))?;
    Ok(network)
}

fn read_json<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text)
        .map_err(|e| ReadError::invalid(path, format!("not a valid {what} file ({e})")))
}

/// Reads `transit.csv`.
pub fn read_transit(path: &Path) -> Result<Vec<TransitBin>, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_transit(&text).map_err(|message| ReadError::invalid(path, message))
}

/// Parses the text of `transit.csv`.
fn parse_transit(text: &str) -> Result<Vec<TransitBin>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("not a valid CSV file ({e})"))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no `{name}` column"))
    };
    let (flow, lower, upper, trains) = (
        column("flow")?,
        column("lower_days")?,
        column("upper_days")?,
        column("trains")?,
    );
    let mut bins = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let field = |c: usize, name: &str| -> Result<&str, String> {
            record
                .get(c)
                .ok_or_else(|| format!("line {line}: no `{name}` value"))
        };
        let number = |c: usize, name: &str| -> Result<f64, String> {
            let s = field(c, name)?;
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    format!("line {line}: `{s}` in column `{name}` is not a number of days")
                })
        };
        let bin = TransitBin {
            flow: field(flow, "flow")?.to_string(),
            lower_days: number(lower, "lower_days")?,
            upper_days: number(upper, "upper_days")?,
            trains: field(trains, "trains")?
                .parse()
                .map_err(|_| format!("line {line}: `trains` is not a whole number"))?,
        };
        if bin.upper_days < bin.lower_days {
            return Err(format!("line {line}: upper_days is below lower_days"));
        }
        bins.push(bin);
    }
    Ok(bins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transit_csv_is_parsed_and_checked() {
        let ok = "scenario,flow,lower_days,upper_days,trains\ns,f,1,1.5,3\ns,g,2,2.5,1\n";
        let bins = parse_transit(ok).unwrap();
        assert_eq!(bins.len(), 2);
        assert_eq!(bins[0].flow, "f");
        assert_eq!(bins[1].trains, 1);
        let bad = "scenario,flow,lower_days,upper_days,trains\ns,f,x,1.5,3\n";
        assert_eq!(
            parse_transit(bad).unwrap_err(),
            "line 2: `x` in column `lower_days` is not a number of days"
        );
        let missing = "scenario,flow,lower,upper_days,trains\n";
        assert_eq!(
            parse_transit(missing).unwrap_err(),
            "no `lower_days` column"
        );
    }

    #[test]
    fn estimates_with_nulls_are_read() {
        let e: EstimateData = serde_json::from_str(r#"{"mean": null, "ci95": null}"#).unwrap();
        assert_eq!(e.value(), None);
        let e: EstimateData =
            serde_json::from_str(r#"{"mean": 0.5, "ci95": [0.4, null]}"#).unwrap();
        assert_eq!(e.value(), Some(0.5));
        assert_eq!(e.interval(), None);
    }
}
