//! The files of `sweep` and `compare` folders: `curve.json` (a capacity curve, also
//! written by `compare --param` as `curve-<i>-<scenario>.json`, one per scenario) and
//! `compare.json` (paired differences against a base scenario), read into the types
//! of [`crate::schema`] that wrote them.

use std::path::{Path, PathBuf};

use super::{ReadError, read_text};
pub use crate::schema::{
    Bottleneck, Bracket, Comparison, Curve, CurvePoint, Difference, FlowComparison, LimitedBy,
    PracticalCapacity, ResourcePoint, ScenarioComparison, Transit,
};
pub use crate::schema::{COMPARE, CURVE};

/// How to write `curve.json` again.
const SWEEP_REMEDY: &str = "write it again with `corridor sweep`";
/// How to write `compare.json` and its curves again.
const COMPARE_REMEDY: &str = "write it again with `corridor compare`";

/// Reads `curve.json` of a sweep folder.
pub fn read_curve(path: &Path) -> Result<Curve, ReadError> {
    parse_curve(path, SWEEP_REMEDY)
}

/// Reads `compare.json`.
pub fn read_compare(path: &Path) -> Result<Comparison, ReadError> {
    let text = read_text(path)?;
    let data: Comparison = serde_json::from_str(&text).map_err(|e| {
        ReadError::malformed(
            path,
            format!("not a valid comparison file ({e})"),
            COMPARE_REMEDY,
        )
    })?;
    if data.alternatives.is_empty() {
        return Err(ReadError::malformed(
            path,
            "compares no alternative with the base",
            COMPARE_REMEDY,
        ));
    }
    Ok(data)
}

/// The `curve-<i>-<scenario>.json` files of a compare folder, by `i`.
pub fn compare_curve_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ReadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<(u64, String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let index = name
            .strip_prefix("curve-")
            .and_then(|rest| rest.strip_suffix(".json"))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(i, _)| i.parse::<u64>().ok());
        if let Some(i) = index {
            files.push((i, name, entry.path()));
        }
    }
    files.sort();
    Ok(files.into_iter().map(|(_, _, p)| p).collect())
}

/// Reads one `curve-<i>-<scenario>.json` of a compare folder.
pub fn read_compare_curve(path: &Path) -> Result<Curve, ReadError> {
    parse_curve(path, COMPARE_REMEDY)
}

fn parse_curve(path: &Path, remedy: &'static str) -> Result<Curve, ReadError> {
    let text = read_text(path)?;
    let mut curve: Curve = serde_json::from_str(&text).map_err(|e| {
        ReadError::malformed(
            path,
            format!("not a valid capacity curve file ({e})"),
            remedy,
        )
    })?;
    check_curve(&curve).map_err(|message| ReadError::malformed(path, message, remedy))?;
    curve.points.sort_by(|a, b| a.value.total_cmp(&b.value));
    Ok(curve)
}

/// The first problem of a curve that would make its charts wrong.
fn check_curve(curve: &Curve) -> Result<(), String> {
    if curve.points.is_empty() {
        return Err("the curve has no points".into());
    }
    for (i, p) in curve.points.iter().enumerate() {
        if !p.value.is_finite() {
            return Err(format!("point {i}: the value {} is not a number", p.value));
        }
        if curve.is_demand() && p.offered_trains_per_week.value().is_none() {
            return Err(format!(
                "point {i}: offered_trains_per_week has no mean (demand {})",
                p.value
            ));
        }
    }
    Ok(())
}
