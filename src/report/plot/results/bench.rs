//! The benchmark tables of `benches/results/`: `scaling.csv` (cost against the
//! horizon, the replications, the threads and the network size, by
//! `benches/scaling.py`) and `peers.csv` (speed beside the peer implementations, by
//! `benches/peers.py`).

use std::path::Path;

use super::{ReadError, read_text};

/// `scaling.csv`.
pub const SCALING: &str = "scaling.csv";
/// `peers.csv`.
pub const PEERS: &str = "peers.csv";

const SCALING_REMEDY: &str = "write it again with `python3 benches/scaling.py`";
const PEERS_REMEDY: &str = "write it again with `python3 benches/peers.py`";

/// One measurement of `scaling.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalingRow {
    /// `horizon`, `replications`, `threads` or `nodes`.
    pub experiment: String,
    /// The varied quantity (years, replications, threads or nodes).
    pub x: f64,
    /// Wall time of the whole process (seconds).
    pub wall_s: f64,
    /// Time spent simulating (seconds).
    pub simulation_s: f64,
    /// Peak resident memory (MB).
    pub peak_mb: f64,
}

/// One implementation on one model, from `peers.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct PeerRow {
    /// Reference model (`jackson3`, `ferry`).
    pub model: String,
    /// Implementation and version.
    pub tool: String,
    /// Runs the medians rest on.
    pub runs: u64,
    /// Median wall time of the simulation (seconds).
    pub wall_s_median: f64,
    /// Median trains simulated per second.
    pub trains_per_s_median: f64,
}

/// Reads `scaling.csv`.
pub fn read_scaling(path: &Path) -> Result<Vec<ScalingRow>, ReadError> {
    let text = read_text(path)?;
    parse_scaling(&text).map_err(|m| ReadError::malformed(path, m, SCALING_REMEDY))
}

/// Reads `peers.csv`.
pub fn read_peers(path: &Path) -> Result<Vec<PeerRow>, ReadError> {
    let text = read_text(path)?;
    parse_peers(&text).map_err(|m| ReadError::malformed(path, m, PEERS_REMEDY))
}

fn parse_scaling(text: &str) -> Result<Vec<ScalingRow>, String> {
    let table = Table::parse(
        text,
        &["experiment", "x", "wall_s", "simulation_s", "peak_mb"],
    )?;
    let rows = table
        .rows
        .iter()
        .map(|r| {
            Ok(ScalingRow {
                experiment: r.text(0).to_string(),
                x: r.number(1, true)?,
                wall_s: r.number(2, false)?,
                simulation_s: r.number(3, false)?,
                peak_mb: r.number(4, false)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if rows.is_empty() {
        return Err("no measurements".into());
    }
    Ok(rows)
}

fn parse_peers(text: &str) -> Result<Vec<PeerRow>, String> {
    let table = Table::parse(
        text,
        &[
            "model",
            "tool",
            "runs",
            "wall_s_median",
            "trains_per_s_median",
        ],
    )?;
    let rows = table
        .rows
        .iter()
        .map(|r| {
            Ok(PeerRow {
                model: r.text(0).to_string(),
                tool: r.text(1).to_string(),
                runs: r.number(2, false)? as u64,
                wall_s_median: r.number(3, false)?,
                trains_per_s_median: r.number(4, true)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if rows.is_empty() {
        return Err("no measurements".into());
    }
    Ok(rows)
}

/// The named columns of a CSV text, row by row.
struct Table {
    rows: Vec<Row>,
}

/// One row's values of the named columns, with its line number and column names.
struct Row {
    line: usize,
    names: Vec<&'static str>,
    values: Vec<String>,
}

impl Table {
    fn parse(text: &str, names: &[&'static str]) -> Result<Table, String> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| format!("not a valid CSV file ({e})"))?
            .clone();
        let columns = names
            .iter()
            .map(|name| {
                headers
                    .iter()
                    .position(|h| h == *name)
                    .ok_or_else(|| format!("no `{name}` column"))
            })
            .collect::<Result<Vec<usize>, String>>()?;
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("line {line}: {e}"))?;
            let values = columns
                .iter()
                .zip(names)
                .map(|(c, name)| {
                    record
                        .get(*c)
                        .map(str::to_string)
                        .ok_or_else(|| format!("line {line}: no `{name}` value"))
                })
                .collect::<Result<Vec<String>, String>>()?;
            rows.push(Row {
                line,
                names: names.to_vec(),
                values,
            });
        }
        Ok(Table { rows })
    }
}

impl Row {
    fn text(&self, i: usize) -> &str {
        &self.values[i]
    }

    /// Column `i` as a finite number, at least 0 (above 0 if `positive`).
    fn number(&self, i: usize, positive: bool) -> Result<f64, String> {
        let s = &self.values[i];
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0 && (!positive || *v > 0.0))
            .ok_or_else(|| {
                let what = if positive {
                    "a number above 0"
                } else {
                    "a number"
                };
                format!(
                    "line {}: `{s}` in column `{}` is not {what}",
                    self.line, self.names[i]
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_tables_are_parsed_and_checked() {
        let ok = "experiment,x,wall_s,simulation_s,peak_mb,trains\nhorizon,1,0.5,0.4,12,9\n";
        let rows = parse_scaling(ok).unwrap();
        assert_eq!(rows[0].experiment, "horizon");
        assert_eq!(rows[0].peak_mb, 12.0);
        let bad = "experiment,x,wall_s,simulation_s,peak_mb\nhorizon,1,fast,0.4,12\n";
        assert_eq!(
            parse_scaling(bad).unwrap_err(),
            "line 2: `fast` in column `wall_s` is not a number"
        );
        assert_eq!(
            parse_scaling("experiment,x\n").unwrap_err(),
            "no `wall_s` column"
        );
        let zero = "model,tool,runs,wall_s_median,trains_per_s_median\nm,t,1,1,0\n";
        assert!(
            parse_peers(zero)
                .unwrap_err()
                .contains("not a number above 0")
        );
    }
}
