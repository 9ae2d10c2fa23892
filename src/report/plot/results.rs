//! Reading the files of a results folder back, for charts and GeoJSON.
//!
//! The files are read into the very types that wrote them ([`crate::schema`]): this
//! module reads `summary.json`, `network.json` and `transit.csv`; [`experiment`] the
//! files of `sweep` and `compare` folders (the benchmark tables are drawn by the bench
//! scripts). Every error names the file and says what is wrong with it.

pub mod experiment;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub use crate::schema::{
    Estimate, FlowSummary, LegExport, NetworkExport, NodeExport, ResourceSummary, Summary, Transit,
    TransitRow,
};
pub use crate::schema::{NETWORK, SUMMARY, TIMESERIES, TRANSIT, TimeseriesRow};

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

/// Checks coordinates and references of `network.json`; the first problem found.
fn check_network(network: &NetworkExport) -> Result<(), String> {
    for n in &network.nodes {
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
    for l in &network.legs {
        for end in [&l.from, &l.to] {
            if network.node(end).is_none() {
                return Err(format!("leg `{}` refers to unknown node `{end}`", l.id));
            }
        }
    }
    Ok(())
}

/// Everything a `run` folder holds for charts.
#[derive(Clone, Debug)]
pub struct RunResults {
    /// `summary.json`.
    pub summary: Summary,
    /// `network.json`, if present.
    pub network: Option<NetworkExport>,
    /// `transit.csv`, if present.
    pub transit: Option<Vec<TransitRow>>,
    /// `timeseries.csv`, if present.
    pub timeseries: Option<Vec<TimeseriesRow>>,
}

/// Reads `summary.json` and, when present, `network.json` and `transit.csv` of `dir`.
pub fn read_run(dir: &Path) -> Result<RunResults, ReadError> {
    let summary = read_summary(&dir.join(SUMMARY))?;
    let network = optional(&dir.join(NETWORK), read_network)?;
    let transit = optional(&dir.join(TRANSIT), read_transit)?;
    let timeseries = optional(&dir.join(TIMESERIES), read_timeseries)?;
    Ok(RunResults {
        summary,
        network,
        transit,
        timeseries,
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
pub fn read_summary(path: &Path) -> Result<Summary, ReadError> {
    read_json(path, "summary")
}

/// Reads `network.json` and checks its coordinates and references.
pub fn read_network(path: &Path) -> Result<NetworkExport, ReadError> {
    let network: NetworkExport = read_json(path, "network")?;
    check_network(&network).map_err(|message| ReadError::invalid(path, message))?;
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

/// Reads `timeseries.csv` and checks its periods.
pub fn read_timeseries(path: &Path) -> Result<Vec<TimeseriesRow>, ReadError> {
    let text = read_text(path)?;
    let rows: Vec<TimeseriesRow> =
        crate::schema::from_csv(&text).map_err(|message| ReadError::invalid(path, message))?;
    for (i, r) in rows.iter().enumerate() {
        if !(r.period_start_day.is_finite() && r.period_days.is_finite() && r.period_days > 0.0) {
            return Err(ReadError::invalid(
                path,
                format!(
                    "line {}: the period must start on a day and last more than 0 days",
                    i + 2
                ),
            ));
        }
    }
    Ok(rows)
}

/// Reads `transit.csv`.
pub fn read_transit(path: &Path) -> Result<Vec<TransitRow>, ReadError> {
    let text = read_text(path)?;
    parse_transit(&text).map_err(|message| ReadError::invalid(path, message))
}

/// Parses the text of `transit.csv` and checks its bins.
fn parse_transit(text: &str) -> Result<Vec<TransitRow>, String> {
    let bins: Vec<TransitRow> = crate::schema::from_csv(text)?;
    for (i, bin) in bins.iter().enumerate() {
        let line = i + 2;
        for (name, v) in [
            ("lower_days", bin.lower_days),
            ("upper_days", bin.upper_days),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!(
                    "line {line}: `{v}` in column `{name}` is not a number of days"
                ));
            }
        }
        if bin.upper_days < bin.lower_days {
            return Err(format!("line {line}: upper_days is below lower_days"));
        }
    }
    Ok(bins)
}
