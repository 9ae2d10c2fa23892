//! The files of `sweep` and `compare` folders: `curve.json` (a capacity curve, also
//! written by `compare --param` as `curve-<i>-<scenario>.json`, one per scenario) and
//! `compare.json` (paired differences against a base scenario). The mirrors hold only
//! what charts draw.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{EstimateData, ReadError, read_text};

/// `curve.json`: the capacity curve of a sweep.
pub const CURVE: &str = "curve.json";
/// `compare.json`: a paired comparison.
pub const COMPARE: &str = "compare.json";

/// How to write `curve.json` again.
const SWEEP_REMEDY: &str = "write it again with `corridor sweep`";
/// How to write `compare.json` and its curves again.
const COMPARE_REMEDY: &str = "write it again with `corridor compare`";

/// A capacity curve.
#[derive(Clone, Debug, Deserialize)]
pub struct CurveData {
    /// Scenario name.
    pub scenario: String,
    /// The swept parameter: `demand` or `TARGET.PARAM`.
    pub param: String,
    /// Replications per point.
    pub replications: u64,
    /// The p95 limit as a multiple of the reference p95.
    #[serde(default)]
    pub p95_limit_factor: Option<f64>,
    /// The p95 limit (days).
    #[serde(default)]
    pub p95_limit_days: Option<f64>,
    /// Delivered/offered must stay at or above this.
    #[serde(default)]
    pub delivered_ratio_min: Option<f64>,
    /// The points, by increasing value.
    pub points: Vec<CurvePointData>,
    /// Demand sweeps: the practical capacity.
    #[serde(default)]
    pub practical_capacity: Option<CapacityData>,
    /// The smallest value whose point meets both criteria.
    #[serde(default)]
    pub first_value_meeting_criteria: Option<f64>,
}

impl CurveData {
    /// True if the sweep scales demand (x is then the offered load).
    pub fn is_demand(&self) -> bool {
        self.param == "demand"
    }
}

/// One point of a capacity curve.
#[derive(Clone, Debug, Deserialize)]
pub struct CurvePointData {
    /// The parameter's value.
    pub value: f64,
    /// Offered block trains per week.
    pub offered_trains_per_week: EstimateData,
    /// Delivered block trains per week.
    pub delivered_trains_per_week: EstimateData,
    /// Transit times (days).
    pub transit_days: TransitEstimateData,
    /// Each replication's 95th percentile transit: mean and interval (days).
    #[serde(default)]
    pub transit_p95_days: Option<EstimateData>,
    /// True if the point meets both criteria.
    pub meets_criteria: bool,
    /// The binding resource.
    #[serde(default)]
    pub bottleneck: Option<BottleneckData>,
    /// Every resource.
    #[serde(default)]
    pub resources: Vec<ResourcePointData>,
}

/// Transit times at a point: the mean over replications with its interval, and the
/// pooled percentiles (days).
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct TransitEstimateData {
    /// Mean of the replication means.
    #[serde(default)]
    pub mean: Option<f64>,
    /// Its 95% interval.
    #[serde(default)]
    pub ci95: Option<[Option<f64>; 2]>,
    /// Pooled median.
    #[serde(default)]
    pub p50: Option<f64>,
    /// Pooled 95th percentile.
    #[serde(default)]
    pub p95: Option<f64>,
}

impl TransitEstimateData {
    /// The mean and its interval.
    pub fn estimate(&self) -> EstimateData {
        EstimateData {
            mean: self.mean,
            ci95: self.ci95,
        }
    }
}

/// The binding resource at a point (read like any resource of the point).
pub type BottleneckData = ResourcePointData;

/// One resource at a point.
#[derive(Clone, Debug, Deserialize)]
pub struct ResourcePointData {
    /// Node or leg id.
    pub id: String,
    /// `station`, `rail`, `road` or `ferry`.
    pub kind: String,
    /// Legs: where traffic comes from.
    #[serde(default)]
    pub from: Option<String>,
    /// Legs: where traffic goes.
    #[serde(default)]
    pub to: Option<String>,
    /// Utilisation.
    pub utilization: EstimateData,
}

/// The practical capacity of a demand sweep.
#[derive(Clone, Debug, Deserialize)]
pub struct CapacityData {
    /// Over replications: mean and 95% interval (trains per week).
    pub offered_trains_per_week: EstimateData,
    /// From the mean curve (trains per week).
    #[serde(default)]
    pub point_estimate: Option<f64>,
    /// `within_range`, `above_range` or `below_range`.
    pub bracket: String,
    /// `throughput`, `transit_p95` or `none`.
    pub limited_by: String,
    /// The binding resource at the first failing point.
    #[serde(default)]
    pub bottleneck: Option<String>,
}

/// A paired comparison of alternatives with a base scenario.
#[derive(Clone, Debug, Deserialize)]
pub struct CompareData {
    /// Base scenario name.
    pub base: String,
    /// Replications per scenario.
    pub replications: u64,
    /// One entry per alternative.
    pub alternatives: Vec<AlternativeData>,
}

/// One alternative against the base.
#[derive(Clone, Debug, Deserialize)]
pub struct AlternativeData {
    /// Alternative scenario name.
    pub scenario: String,
    /// All flows together.
    pub overall: FlowComparisonData,
    /// Flows present in both.
    pub flows: Vec<FlowComparisonData>,
    /// Flows present in only one of the two.
    #[serde(default)]
    pub unmatched_flows: Vec<String>,
}

/// Paired differences for one flow (or all).
#[derive(Clone, Debug, Deserialize)]
pub struct FlowComparisonData {
    /// Flow id, or `all`.
    pub flow: String,
    /// Delivered block trains per week.
    pub delivered_trains_per_week: DifferenceData,
    /// Mean transit (days).
    pub transit_mean_days: DifferenceData,
    /// 95th percentile transit (days).
    pub transit_p95_days: DifferenceData,
}

/// A paired difference, alternative minus base.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct DifferenceData {
    /// Base mean.
    #[serde(default)]
    pub base: Option<f64>,
    /// Alternative mean.
    #[serde(default)]
    pub alternative: Option<f64>,
    /// Mean paired difference with its 95% interval.
    pub difference: EstimateData,
    /// True if the interval excludes zero.
    pub significant: bool,
}

/// Reads `curve.json` of a sweep folder.
pub fn read_curve(path: &Path) -> Result<CurveData, ReadError> {
    parse_curve(path, SWEEP_REMEDY)
}

/// Reads `compare.json`.
pub fn read_compare(path: &Path) -> Result<CompareData, ReadError> {
    let text = read_text(path)?;
    let data: CompareData = serde_json::from_str(&text).map_err(|e| {
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
pub fn read_compare_curve(path: &Path) -> Result<CurveData, ReadError> {
    parse_curve(path, COMPARE_REMEDY)
}

fn parse_curve(path: &Path, remedy: &'static str) -> Result<CurveData, ReadError> {
    let text = read_text(path)?;
    let mut curve: CurveData = serde_json::from_str(&text).map_err(|e| {
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
fn check_curve(curve: &CurveData) -> Result<(), String> {
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
    if let Some(c) = &curve.practical_capacity
        && !["within_range", "above_range", "below_range"].contains(&c.bracket.as_str())
    {
        return Err(format!(
            "practical_capacity.bracket is `{}`; expected within_range, above_range or below_range",
            c.bracket
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(points: &str, extra: &str) -> Result<(), String> {
        let text = format!(
            r#"{{"scenario": "s", "param": "demand", "replications": 2, "points": [{points}]{extra}}}"#
        );
        let c: CurveData = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        check_curve(&c)
    }

    const POINT: &str = r#"{"value": 1.0, "offered_trains_per_week": {"mean": 5.0, "ci95": null},
        "delivered_trains_per_week": {"mean": 5.0, "ci95": [4.0, 6.0]},
        "transit_days": {"mean": 3.0, "ci95": null, "p50": 2.5, "p95": null, "trains": 9},
        "meets_criteria": true, "bottleneck": null}"#;

    #[test]
    fn curves_are_checked() {
        assert_eq!(curve(POINT, ""), Ok(()));
        assert_eq!(curve("", ""), Err("the curve has no points".into()));
        let bad = r#", "practical_capacity": {"offered_trains_per_week": {"mean": 1.0},
            "point_estimate": 1.0, "bracket": "inside", "limited_by": "none"}"#;
        assert!(
            curve(POINT, bad)
                .unwrap_err()
                .contains("bracket is `inside`")
        );
        let no_offer = POINT.replace(r#""mean": 5.0, "ci95": null"#, r#""mean": null"#);
        assert!(curve(&no_offer, "").unwrap_err().contains("no mean"));
    }
}
