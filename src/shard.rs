//! Sharded runs: one run split over several machines, merged to the bytes of one.
//!
//! Shard `i` of `N` runs the contiguous slice `[i·R/N, (i+1)·R/N)` of the `R`
//! replication indices (see [`ShardSpec::range`]) and saves what [`crate::montecarlo`]
//! returns for them in a *partial* file, with everything needed to check and merge it:
//! the scenario and network texts and their SHA-256, the run settings after the
//! command line's overrides, the seed, `N`, `i` and the range. A replication's figures
//! depend only on (model, seed, index), so the partials hold exactly the figures a
//! one-machine run computes; [`merge`] checks that the partials belong together and
//! cover every index once, and folds them in index order into the same
//! [`RunOutput`] (the pooled histograms are integer counts, so their sums are exact).
//!
//! # The partial file
//!
//! JSON, one object: `format` (`"corridor-shard/1"`), `header` ([`ShardHeader`]),
//! `inputs` (the scenario and network texts), `pooled` and `pooled_routes` (sparse
//! transit histograms as `[bin, count]` pairs), and `replications` (one object per
//! replication, field for field [`ReplicationResult`](crate::sim::ReplicationResult)).
//! A sweep's partial (`kind` `sweep`, [`ShardHeader::sweep`]) leaves those empty and
//! holds `points`, one `{pooled, pooled_routes, replications}` per swept value; a
//! comparison's (`kind` `compare`, [`ShardHeader::compare`]) holds one point per
//! scenario, base first, and `alternatives`, the other scenarios' input texts. Run
//! partials are written exactly as before (the new fields are left out). Every floating-point number is
//! stored as its IEEE-754 bit pattern (an unsigned integer), so the file round-trips
//! exactly, NaN included. Files are written to a temporary sibling and renamed into
//! place: a partial exists whole or not at all.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::montecarlo::RunOutput;
use crate::schema::{WarmupMethod, WarmupSource};
use crate::sim::Model;
use crate::stats::Histogram;

use self::file::{FileIn, FileOut, HistRecord};

mod file;

/// The `format` tag of partial files written by this version.
pub const FORMAT: &str = "corridor-shard/1";

/// File-name ending of partial files; `corridor merge DIR` reads every such file.
pub const EXTENSION: &str = ".shard.json";

/// The most shards a run may be split into.
pub const MAX_SHARDS: u64 = 1 << 20;

/// Environment variables that carry an array job's task index, in the order they are
/// tried, with the number the first task gets (Slurm, Kubernetes Indexed Jobs, AWS
/// Batch and PBS count from 0; Grid Engine and LSF from 1).
pub const INDEX_VARIABLES: [(&str, u64); 6] = [
    ("SLURM_ARRAY_TASK_ID", 0),
    ("JOB_COMPLETION_INDEX", 0),
    ("AWS_BATCH_JOB_ARRAY_INDEX", 0),
    ("PBS_ARRAY_INDEX", 0),
    ("SGE_TASK_ID", 1),
    ("LSB_JOBINDEX", 1),
];

/// What can go wrong with shards and partial files.
#[derive(Debug, Error)]
pub enum ShardError {
    /// A `--shard` value that is not `i/N` or `auto/N` with `0 <= i < N`.
    #[error("{0}")]
    Spec(String),
    /// A partial file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: std::io::Error,
    },
    /// A file that is not a readable partial of this version.
    #[error("{}: not a corridor partial result ({message})", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// No partial files were given.
    #[error("no partial results (files ending in `{EXTENSION}`) in {0}")]
    NoPartials(String),
    /// Two partials come from different runs.
    #[error(
        "{} and {} come from different runs: {field} is {a} in the first and {b} in the second",
        first.display(),
        other.display()
    )]
    Mismatch {
        /// The partial the others are compared with.
        first: PathBuf,
        /// The partial that differs.
        other: PathBuf,
        /// The setting that differs.
        field: &'static str,
        /// Its value in `first`.
        a: String,
        /// Its value in `other`.
        b: String,
    },
    /// The same shard twice.
    #[error("shard {index} of {count} is given twice: {} and {}", first.display(), second.display())]
    Duplicate {
        /// The shard index.
        index: u64,
        /// Number of shards.
        count: u64,
        /// One file.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// Shards missing.
    #[error("{} of {count} shards missing: {}", missing.len(), list(missing))]
    Missing {
        /// The missing shard indices.
        missing: Vec<u64>,
        /// Number of shards.
        count: u64,
    },
}

fn list(indices: &[u64]) -> String {
    let mut s: Vec<String> = indices.iter().take(20).map(u64::to_string).collect();
    if indices.len() > 20 {
        s.push(format!("and {} more", indices.len() - 20));
    }
    s.join(", ")
}

/// Which slice of a run this process computes: shard `index` of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    /// Shard index, from 0.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl ShardSpec {
    /// Parses `i/N`, or `auto/N` whose index is read with `env` from the first of
    /// [`INDEX_VARIABLES`] that is set (e.g. `|k| std::env::var(k).ok()`).
    pub fn parse(
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ShardSpec, ShardError> {
        let bad = |why: String| ShardError::Spec(format!("--shard {text}: {why}"));
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| bad("expected i/N (e.g. 0/4) or auto/N".into()))?;
        let count: u64 = n
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_SHARDS).contains(n))
            .ok_or_else(|| bad(format!("N must be a whole number from 1 to {MAX_SHARDS}")))?;
        let index = if i.trim() == "auto" {
            let (name, value, base) = INDEX_VARIABLES
                .iter()
                .find_map(|&(name, base)| {
                    env(name)
                        .filter(|v| !v.trim().is_empty() && v.trim() != "undefined")
                        .map(|v| (name, v, base))
                })
                .ok_or_else(|| {
                    bad(format!(
                        "auto needs the task index in one of {}; none is set (is this an array job?)",
                        INDEX_VARIABLES.map(|(n, _)| n).join(", ")
                    ))
                })?;
            let raw: u64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v| *v >= base)
                .ok_or_else(|| {
                    bad(format!(
                        "{name}={value} is not a task index (a whole number from {base})"
                    ))
                })?;
            let index = raw - base;
            if index >= count {
                return Err(bad(format!(
                    "{name}={value} gives shard {index}, but there are only {count} shards (0 to {}); submit the array with indices {base} to {}",
                    count - 1,
                    count - 1 + base
                )));
            }
            index
        } else {
            let index: u64 = i
                .trim()
                .parse()
                .map_err(|_| bad("i must be a whole number or `auto`".into()))?;
            if index >= count {
                return Err(bad(format!(
                    "the shard index must be below N (shards are numbered 0 to {})",
                    count - 1
                )));
            }
            index
        };
        Ok(ShardSpec { index, count })
    }

    /// The replication indices of this shard among `replications`:
    /// `[index·R/N, (index+1)·R/N)`. The shards' ranges are contiguous, disjoint, cover
    /// `0..R`, and differ in length by at most one.
    pub fn range(&self, replications: u64) -> Range<u64> {
        let at =
            |i: u64| (u128::from(i) * u128::from(replications) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }

    /// The partial's file name: `shard-00002-of-00004.shard.json`.
    pub fn file_name(&self) -> String {
        format!("shard-{:05}-of-{:05}{EXTENSION}", self.index, self.count)
    }
}

/// The warm-up chosen by MSER-5, as recorded in a partial (floats exact).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarmupRecord {
    /// The chosen warm-up (days).
    #[serde(with = "bits")]
    pub warmup_days: f64,
    /// `MSER-5`.
    pub method: WarmupMethod,
    /// Pilot replications.
    pub pilot_replications: u64,
    /// Width of the time bins (days).
    #[serde(with = "bits")]
    pub bin_days: f64,
    /// Batches of five bins in the series.
    pub batches: usize,
    /// Batches truncated.
    pub truncated_batches: usize,
}

/// What a partial is a part of, and which part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// `corridor` version that wrote it.
    pub corridor_version: String,
    /// What was run (`run`).
    pub kind: String,
    /// Scenario name.
    pub scenario_name: String,
    /// Scenario file, as given on the command line.
    pub scenario_file: String,
    /// SHA-256 of the scenario file (hex).
    pub scenario_sha256: String,
    /// Network file, as the scenario names it.
    pub network_file: String,
    /// SHA-256 of the network file (hex).
    pub network_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Simulated days, warm-up included, after command-line overrides.
    #[serde(with = "bits")]
    pub horizon_days: f64,
    /// Discarded initial days, after overrides.
    #[serde(with = "bits")]
    pub warmup_days: f64,
    /// Where the warm-up came from.
    pub warmup_source: WarmupSource,
    /// The automatic warm-up choice, if any.
    pub warmup_choice: Option<WarmupRecord>,
    /// `--max-trains-in-system`: where a replication stops as saturated.
    pub max_trains_in_system: u64,
    /// `--inputs fixed`: the uncertain inputs at their point values (absent when
    /// sampled).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inputs_fixed: bool,
    /// The period of the time series (`month`, `week`, days), or none.
    #[serde(default)]
    pub period: Option<String>,
    /// Replications of the whole run.
    pub replications: u64,
    /// Number of shards.
    pub shard_count: u64,
    /// This shard's index.
    pub shard_index: u64,
    /// First replication index of this shard.
    pub first: u64,
    /// One past its last replication index.
    pub end: u64,
    /// Worker threads this shard used.
    pub threads: usize,
    /// Wall-clock time of this shard's simulation (seconds).
    #[serde(with = "bits")]
    pub wall_seconds: f64,
    /// When the shard ended (UTC, RFC 3339).
    pub created_utc: String,
    /// For a sweep (`kind` = `sweep`): what it sweeps; the partial then holds one
    /// output per value, in [`SweepRecord::values`] order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepRecord>,
    /// For a comparison (`kind` = `compare`): the alternative scenarios (the header's
    /// scenario is the base); the partial then holds one output per scenario, base
    /// first, and the alternatives' input texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<Vec<AlternativeRecord>>,
}

/// One alternative scenario of a comparison partial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlternativeRecord {
    /// Scenario file, as given on the command line.
    pub scenario_file: String,
    /// SHA-256 of the scenario file (hex).
    pub scenario_sha256: String,
    /// Network file, as the scenario names it.
    pub network_file: String,
    /// SHA-256 of the network file (hex).
    pub network_sha256: String,
}

/// The sweep a sweep partial belongs to (floats exact).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRecord {
    /// The swept parameter, as named on the command line (`demand`, `TARGET.PARAM`).
    pub param: String,
    /// The values swept, sorted, as bit patterns of `f64`.
    pub values_bits: Vec<u64>,
    /// The p95 limit factor of the practical capacity.
    #[serde(with = "bits")]
    pub p95_limit_factor: f64,
    /// The tolerance of the refinement of a demand sweep.
    #[serde(with = "bits")]
    pub tolerance: f64,
}

impl SweepRecord {
    /// The values swept.
    pub fn values(&self) -> Vec<f64> {
        self.values_bits
            .iter()
            .map(|b| f64::from_bits(*b))
            .collect()
    }
}

impl ShardHeader {
    /// The settings that must agree between partials of one run, as (name, value).
    fn identity(&self) -> Vec<(&'static str, String)> {
        vec![
            ("the corridor version", self.corridor_version.clone()),
            ("the kind of run", self.kind.clone()),
            ("the sweep", format!("{:?}", self.sweep)),
            ("the scenarios compared", format!("{:?}", self.compare)),
            ("the scenario", self.scenario_name.clone()),
            ("the scenario's SHA-256", self.scenario_sha256.clone()),
            ("the network's SHA-256", self.network_sha256.clone()),
            ("the scenario file", self.scenario_file.clone()),
            ("the network file", self.network_file.clone()),
            ("the seed", self.seed.to_string()),
            ("the number of replications", self.replications.to_string()),
            ("the number of shards", self.shard_count.to_string()),
            ("the horizon (days)", self.horizon_days.to_string()),
            ("the warm-up (days)", self.warmup_days.to_string()),
            ("the warm-up source", format!("{:?}", self.warmup_source)),
            ("the automatic warm-up", format!("{:?}", self.warmup_choice)),
            (
                "the saturation limit",
                self.max_trains_in_system.to_string(),
            ),
            ("the time-series period", format!("{:?}", self.period)),
            ("the inputs mode (--inputs)", self.inputs_fixed.to_string()),
        ]
    }
}

/// The input files of a run, verbatim, so a merge needs nothing but the partials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// The scenario file's text.
    pub scenario_text: String,
    /// The network file's text.
    pub network_text: String,
}

impl Inputs {
    /// SHA-256 of the scenario and network texts (hex).
    pub fn hashes(&self) -> (String, String) {
        (
            sha256_hex(self.scenario_text.as_bytes()),
            sha256_hex(self.network_text.as_bytes()),
        )
    }
}

/// SHA-256 of bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One shard's result: its header, the inputs and what [`crate::montecarlo::run`]
/// returned for its replications.
#[derive(Clone, Debug)]
pub struct Partial {
    /// What it is a part of.
    pub header: ShardHeader,
    /// The input files.
    pub inputs: Inputs,
    /// The figures of its replications (empty for a sweep).
    pub output: RunOutput,
    /// For a sweep: the figures of its replications at each value, in the order of
    /// [`SweepRecord::values`]; for a comparison, of each scenario, base first.
    pub points: Vec<RunOutput>,
    /// For a comparison: the alternatives' input files, in the order of
    /// [`ShardHeader::compare`].
    pub alternatives: Vec<Inputs>,
}

/// Writes a partial to `path` through a temporary sibling renamed into place, so the
/// file is whole or absent.
pub fn write_partial(path: &Path, partial: &Partial) -> Result<(), ShardError> {
    let io = |source| ShardError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("shard");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut w = BufWriter::new(File::create(&tmp)?);
        serde_json::to_writer(&mut w, &FileOut::new(partial)).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(io)
}

/// Reads a partial and checks that it is consistent in itself: its range is its
/// shard's, and it holds exactly those replications, in order.
pub fn read_partial(path: &Path) -> Result<Partial, ShardError> {
    let format_err = |message: String| ShardError::Format {
        path: path.to_path_buf(),
        message,
    };
    let file = File::open(path).map_err(|source| ShardError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let raw: FileIn =
        serde_json::from_reader(BufReader::new(file)).map_err(|e| format_err(e.to_string()))?;
    if raw.format != FORMAT {
        return Err(format_err(format!(
            "format `{}`, this corridor reads `{FORMAT}`",
            raw.format
        )));
    }
    let h = &raw.header;
    if h.replications == 0 {
        return Err(format_err("a run of no replications".into()));
    }
    if h.shard_count == 0 || h.shard_count > MAX_SHARDS || h.shard_index >= h.shard_count {
        return Err(format_err(format!(
            "shard {} of {} is not a shard",
            h.shard_index, h.shard_count
        )));
    }
    let spec = ShardSpec {
        index: h.shard_index,
        count: h.shard_count,
    };
    let expected = spec.range(h.replications);
    if (h.first..h.end) != expected {
        return Err(format_err(format!(
            "shard {} of {} of {} replications should hold {}..{}, its header says {}..{}",
            h.shard_index,
            h.shard_count,
            h.replications,
            expected.start,
            expected.end,
            h.first,
            h.end
        )));
    }
    let (scenario_sha, network_sha) = raw.inputs.hashes();
    if scenario_sha != h.scenario_sha256 || network_sha != h.network_sha256 {
        return Err(format_err(
            "the embedded scenario or network text does not match its SHA-256".into(),
        ));
    }
    let n = expected.end - expected.start;
    let h = &raw.header;
    let (outputs, alternatives) = match (&h.sweep, &h.compare) {
        (None, None) => (0, 0),
        (Some(sw), None) => (sw.values_bits.len(), 0),
        (None, Some(alts)) => (1 + alts.len(), alts.len()),
        (Some(_), Some(_)) => (usize::MAX, 0),
    };
    let expected_kind = match (&h.sweep, &h.compare) {
        (None, None) => "run",
        (Some(_), None) => "sweep",
        _ => "compare",
    };
    if h.kind != expected_kind
        || (outputs > 0 && !raw.replications.is_empty())
        || raw.points.len() != outputs
        || raw.alternatives.len() != alternatives
    {
        return Err(format_err(format!(
            "a partial of kind `{}` should hold {} outputs",
            raw.header.kind, outputs
        )));
    }
    let hist = |h: &HistRecord| {
        Histogram::from_sparse(&h.0).ok_or_else(|| format_err("a histogram is malformed".into()))
    };
    let output_of = |pooled: &[HistRecord],
                     pooled_routes: &[Vec<HistRecord>],
                     replications: Vec<file::RepRecord>|
     -> Result<RunOutput, ShardError> {
        if replications.len() as u64 != n
            || replications
                .iter()
                .zip(expected.clone())
                .any(|(r, i)| r.index != i)
        {
            return Err(format_err(format!(
                "it should hold replications {}..{} in order, it holds {} replications",
                expected.start,
                expected.end,
                replications.len()
            )));
        }
        Ok(RunOutput {
            series: None,
            pooled: pooled.iter().map(hist).collect::<Result<_, _>>()?,
            pooled_routes: pooled_routes
                .iter()
                .map(|routes| routes.iter().map(hist).collect::<Result<_, _>>())
                .collect::<Result<_, _>>()?,
            replications: replications
                .into_iter()
                .map(|r| {
                    r.into_result()
                        .ok_or_else(|| format_err("a histogram is malformed".into()))
                })
                .collect::<Result<_, _>>()?,
        })
    };
    let mut points = Vec::with_capacity(raw.points.len());
    for p in raw.points {
        points.push(output_of(&p.pooled, &p.pooled_routes, p.replications)?);
    }
    for (inputs, record) in raw
        .alternatives
        .iter()
        .zip(raw.header.compare.iter().flatten())
    {
        let (scenario_sha, network_sha) = inputs.hashes();
        if scenario_sha != record.scenario_sha256 || network_sha != record.network_sha256 {
            return Err(format_err(format!(
                "the embedded text of {} or its network does not match its SHA-256",
                record.scenario_file
            )));
        }
    }
    let mut output = if outputs > 0 {
        RunOutput::default()
    } else {
        output_of(&raw.pooled, &raw.pooled_routes, raw.replications)?
    };
    output.series = file::series_of(raw.series)
        .map_err(|()| format_err("the time series summary is malformed".into()))?;
    Ok(Partial {
        header: raw.header,
        inputs: raw.inputs,
        output,
        points,
        alternatives: raw.alternatives,
    })
}

/// Checks that partials (with the files they came from) are the shards of one run,
/// each exactly once, and folds them in replication order into the output of the
/// whole run. Returns the first shard's header and inputs with the merged output.
pub fn merge(partials: Vec<(PathBuf, Partial)>) -> Result<Partial, ShardError> {
    let Some((first_path, first)) = partials.first() else {
        return Err(ShardError::NoPartials("the arguments".into()));
    };
    let first_id = first.header.identity();
    let mut by_index: BTreeMap<u64, usize> = BTreeMap::new();
    for (k, (path, p)) in partials.iter().enumerate() {
        for ((field, a), (_, b)) in first_id.iter().zip(p.header.identity()) {
            if *a != b {
                return Err(ShardError::Mismatch {
                    first: first_path.clone(),
                    other: path.clone(),
                    field,
                    a: a.clone(),
                    b,
                });
            }
        }
        if let Some(&j) = by_index.get(&p.header.shard_index) {
            return Err(ShardError::Duplicate {
                index: p.header.shard_index,
                count: p.header.shard_count,
                first: partials[j].0.clone(),
                second: path.clone(),
            });
        }
        by_index.insert(p.header.shard_index, k);
    }
    let count = first.header.shard_count;
    if by_index.len() as u64 != count {
        let missing = (0..count).filter(|i| !by_index.contains_key(i)).collect();
        return Err(ShardError::Missing { missing, count });
    }
    let mut slots: Vec<Option<Partial>> = partials.into_iter().map(|(_, p)| Some(p)).collect();
    let mut merged: Option<Partial> = None;
    for k in by_index.into_values() {
        let Some(p) = slots[k].take() else { continue };
        match merged.as_mut() {
            None => merged = Some(p),
            Some(m) => {
                m.header.wall_seconds += p.header.wall_seconds;
                m.header.threads = m.header.threads.max(p.header.threads);
                m.header.end = p.header.end;
                m.output.extend(p.output);
                for (a, b) in m.points.iter_mut().zip(p.points) {
                    a.extend(b);
                }
            }
        }
    }
    let mut merged = merged.ok_or_else(|| ShardError::NoPartials("the arguments".into()))?;
    merged.header.shard_index = 0;
    merged.header.first = 0;
    Ok(merged)
}

/// Checks that every replication of a run has the shape of the model (flows, routes
/// and resources), so a corrupt or foreign partial cannot derail the summary.
pub fn check_shape(model: &Model, out: &RunOutput) -> Result<(), String> {
    let flows = model.flows();
    let resources = model.resources().len();
    if out.pooled.len() > flows.len()
        || out.pooled_routes.len() > flows.len()
        || out
            .pooled_routes
            .iter()
            .zip(flows)
            .any(|(r, f)| r.len() > f.routes.len())
    {
        return Err("the pooled histograms do not match the scenario's flows".into());
    }
    for r in &out.replications {
        let ok = r.flows.len() == flows.len()
            && r.resources.len() == resources
            && r.flows
                .iter()
                .zip(flows)
                .all(|(f, info)| f.routes.len() == info.routes.len());
        if !ok {
            return Err(format!(
                "replication {} does not match the scenario's flows, routes and resources",
                r.index
            ));
        }
    }
    Ok(())
}

/// Serde helpers that store an `f64` as its bit pattern, for exact round trips.
mod bits {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(v.to_bits())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn ranges_are_contiguous_disjoint_and_balanced() {
        for r in [0u64, 1, 3, 7, 100, 101, 1_000_003] {
            for n in [1u64, 2, 3, 4, 7, 16, 200] {
                let mut next = 0;
                let mut sizes = Vec::new();
                for i in 0..n {
                    let range = ShardSpec { index: i, count: n }.range(r);
                    assert_eq!(range.start, next, "R={r} N={n} i={i}");
                    next = range.end;
                    sizes.push(range.end - range.start);
                }
                assert_eq!(next, r);
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "R={r} N={n}: {sizes:?}");
            }
        }
        // No overflow at the extremes.
        let last = ShardSpec {
            index: MAX_SHARDS - 1,
            count: MAX_SHARDS,
        }
        .range(u64::MAX);
        assert_eq!(last.end, u64::MAX);
    }

    #[test]
    fn explicit_shards_parse_and_bad_ones_say_why() {
        assert_eq!(
            ShardSpec::parse("2/4", no_env).unwrap(),
            ShardSpec { index: 2, count: 4 }
        );
        for (bad, why) in [
            ("4/4", "below N"),
            ("1", "expected i/N"),
            ("a/4", "whole number or `auto`"),
            ("0/0", "from 1 to"),
            ("0/-1", "from 1 to"),
            ("0/99999999999", "from 1 to"),
            ("auto/4", "none is set"),
        ] {
            let err = ShardSpec::parse(bad, no_env).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn auto_reads_the_array_index_of_each_scheduler() {
        let one = |name: &'static str, value: &'static str| {
            move |k: &str| (k == name).then(|| value.to_string())
        };
        let get = |name, value| ShardSpec::parse("auto/4", one(name, value));
        assert_eq!(get("SLURM_ARRAY_TASK_ID", "3").unwrap().index, 3);
        assert_eq!(get("JOB_COMPLETION_INDEX", "0").unwrap().index, 0);
        assert_eq!(get("AWS_BATCH_JOB_ARRAY_INDEX", "2").unwrap().index, 2);
        assert_eq!(get("PBS_ARRAY_INDEX", "1").unwrap().index, 1);
        // Grid Engine and LSF count from 1.
        assert_eq!(get("SGE_TASK_ID", "1").unwrap().index, 0);
        assert_eq!(get("LSB_JOBINDEX", "4").unwrap().index, 3);
        let err = get("LSB_JOBINDEX", "0").unwrap_err().to_string();
        assert!(err.contains("LSB_JOBINDEX=0"), "{err}");
        let err = get("SLURM_ARRAY_TASK_ID", "4").unwrap_err().to_string();
        assert!(err.contains("only 4 shards"), "{err}");
        // SGE sets `undefined` outside array jobs: skipped like an unset variable.
        let err = get("SGE_TASK_ID", "undefined").unwrap_err().to_string();
        assert!(err.contains("none is set"), "{err}");
        // The first variable set wins.
        let both = |k: &str| match k {
            "SLURM_ARRAY_TASK_ID" => Some("1".to_string()),
            "SGE_TASK_ID" => Some("4".to_string()),
            _ => None,
        };
        assert_eq!(ShardSpec::parse("auto/4", both).unwrap().index, 1);
    }

    #[test]
    fn file_names_sort_by_index() {
        let a = ShardSpec {
            index: 2,
            count: 10,
        }
        .file_name();
        let b = ShardSpec {
            index: 10,
            count: 11,
        }
        .file_name();
        assert_eq!(a, "shard-00002-of-00010.shard.json");
        assert!(a < b);
    }
}
