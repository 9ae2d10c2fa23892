//! The results schema: one Rust type for every file that `run`, `sweep`, `compare`
//! and `--replay` write, shared by the writers (`report`) and the chart reader
//! (`report::plot::results`). Every type derives both `Serialize` and `Deserialize`,
//! kinds are enums, and CSV files go through row structs
//! (`csv::Writer::serialize`, `csv::Reader::deserialize`), so a renamed or shifted
//! column cannot pass unnoticed.
//!
//! | file | type |
//! |---|---|
//! | `summary.json`, `summary-<i>-<scenario>.json` | [`Summary`] |
//! | `flows.csv` | [`FlowRow`] |
//! | `resources.csv` | [`ResourceRow`] |
//! | `replications.csv` | [`ReplicationRow`] |
//! | `transit.csv` | [`TransitRow`] |
//! | `trains.csv` | [`TrainRow`] |
//! | `network.json` | [`NetworkExport`] |
//! | `manifest.json` | [`Manifest`] |
//! | `curve.json`, `curve-<i>-<scenario>.json` | [`Curve`] |
//! | `curve.csv`, `curve-<i>-<scenario>.csv` | [`CurveRow`] |
//! | `curve_resources.csv` | [`CurveResourceRow`] |
//! | `curve_flows.csv` | [`CurveFlowRow`] |
//! | `compare.json` | [`Comparison`] |
//! | `compare.csv` | [`CompareRow`] |
//! | `timeseries.csv` | [`TimeseriesRow`] |
//! | `links.csv` | [`LinkRow`] |
//! | `sensitivity.csv` | [`SensitivityRow`] |
//!
//! Numbers that are not defined (a mean over no trains) are `null` in JSON and empty
//! in CSV, and read back as NaN ([`crate::stats::number`]). Units are in the field
//! names and docs: days, trains per week, trains per day.

mod experiment;
mod links;
mod manifest;
mod run;
mod timeseries;
mod uncertain;

use std::io;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use self::experiment::{
    Bottleneck, Bracket, CompareRow, Comparison, Curve, CurveFlowRow, CurvePoint, CurveResourceRow,
    CurveRow, Difference, Figure, FlowComparison, FlowPoint, LimitedBy, PracticalCapacity,
    Refinement, ResourcePoint, ScenarioComparison,
};
pub use self::links::LinkRow;
pub use self::manifest::{
    ArrivalsRecord, BacklogRecord, ChangeRecord, DatedOverrideRecord, DepartureRecord, Details,
    DisruptionRecord, EmbargoRecord, FerryRecord, FigurePrecision, FileRecord, FlowRecord,
    LegRecord, Manifest, NetworkRecord, NodeRecord, OverrideRecord, PolicyRecord, PrecisionReport,
    ProfileRecord, RangeRecord, RunKind, ScenarioRecord, SplitRecord, StationRecord, StorageRecord,
    SweepDetails, TimingRecord, TrainRecord, UncertainRecord, WarmupChoice, WarmupMethod,
    WarmupSource, WeatherRecord,
};
pub use self::run::{
    AllRoutes, ClassResource, ClassSummary, Detail, EmbargoSummary, FlowRow, FlowSummary,
    LegExport, NetworkExport, NodeExport, Overall, ReplicationRow, ResourceRow, ResourceSummary,
    RouteRef, RouteSummary, Saturation, StorageRow, StorageSummary, Summary, TrainRow, Transit,
    TransitRow,
};
pub use self::timeseries::{EntityKind, TimeseriesRow};
pub use self::uncertain::SensitivityRow;
pub use crate::sim::ResourceKind;
pub use crate::stats::Estimate;

/// `summary.json`.
pub const SUMMARY: &str = "summary.json";
/// `timeseries.csv`.
pub const TIMESERIES: &str = "timeseries.csv";
/// `flows.csv`.
pub const FLOWS: &str = "flows.csv";
/// `resources.csv`.
pub const RESOURCES: &str = "resources.csv";
/// `storage.csv` (only when some node has a storage limit).
pub const STORAGE: &str = "storage.csv";
/// `replications.csv`.
pub const REPLICATIONS: &str = "replications.csv";
/// `transit.csv`.
pub const TRANSIT: &str = "transit.csv";
/// `trains.csv`.
pub const TRAINS: &str = "trains.csv";
/// `network.json`.
pub const NETWORK: &str = "network.json";
/// `manifest.json`.
pub const MANIFEST: &str = "manifest.json";
/// `links.csv`.
pub const LINKS: &str = "links.csv";
/// `sensitivity.csv` (runs with uncertain inputs).
pub const SENSITIVITY: &str = "sensitivity.csv";
/// `curve.json`.
pub const CURVE: &str = "curve.json";
/// `curve.csv`.
pub const CURVE_CSV: &str = "curve.csv";
/// `curve_resources.csv`.
pub const CURVE_RESOURCES: &str = "curve_resources.csv";
/// `curve_flows.csv`.
pub const CURVE_FLOWS: &str = "curve_flows.csv";
/// `compare.json`.
pub const COMPARE: &str = "compare.json";
/// `compare.csv`.
pub const COMPARE_CSV: &str = "compare.csv";

impl Estimate {
    /// No estimate: a NaN mean without an interval.
    pub const MISSING: Estimate = Estimate {
        mean: f64::NAN,
        ci95: None,
    };

    /// The mean, if it is a finite number.
    pub fn value(&self) -> Option<f64> {
        Some(self.mean).filter(|v| v.is_finite())
    }

    /// The interval, if both ends are finite numbers.
    pub fn interval(&self) -> Option<(f64, f64)> {
        match self.ci95 {
            Some([lo, hi]) if lo.is_finite() && hi.is_finite() => Some((lo, hi)),
            _ => None,
        }
    }

    /// The mean and the ends of the interval, NaN where missing: the three CSV columns
    /// `X_mean`, `X_ci95_low`, `X_ci95_high`.
    pub fn columns(&self) -> (f64, f64, f64) {
        let (lo, hi) = self.ci95.map_or((f64::NAN, f64::NAN), |[a, b]| (a, b));
        (self.mean, lo, hi)
    }

    /// [`Estimate::columns`] for a quantity that cannot be negative (counts, rates,
    /// days, shares): the low end of the Student-t interval is clipped at 0, so CSV
    /// readers never see a negative wait or queue. JSON keeps the interval as computed.
    pub fn columns_nonneg(&self) -> (f64, f64, f64) {
        let (mean, lo, hi) = self.columns();
        (mean, if lo < 0.0 { 0.0 } else { lo }, hi)
    }
}

/// Pretty-printed JSON with a final newline, for every JSON file written.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("result types serialize");
    s.push('\n');
    s
}

/// Reads a JSON file's text into its type.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// CSV text of rows of one type: a header from the field names, then one record per
/// row (the header alone without rows).
pub fn to_csv<T: Serialize + DeserializeOwned>(rows: impl IntoIterator<Item = T>) -> String {
    let mut out = Vec::new();
    write_csv(&mut out, rows).expect("writing to memory");
    if out.is_empty() {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(fields::<T>()).expect("writing to memory");
        w.flush().expect("writing to memory");
        drop(w);
    }
    String::from_utf8(out).expect("CSV is UTF-8")
}

/// The field names of a row struct, in order: the CSV header of its file.
pub fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    fields::of::<T>()
}

/// Reading the field names of a struct from its `Deserialize` impl: a deserializer
/// that records the names serde asks for and stops.
mod fields {
    use serde::de::{self, Deserializer, Visitor};

    pub(super) fn of<T: de::DeserializeOwned>() -> &'static [&'static str] {
        let mut names: &'static [&'static str] = &[];
        let _ = T::deserialize(Names(&mut names));
        names
    }

    struct Names<'a>(&'a mut &'static [&'static str]);

    #[derive(Debug)]
    struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names recorded")
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Stop {
            Stop
        }
    }

    impl<'de> Deserializer<'de> for Names<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
}

/// Reads CSV text into rows of one type; the error names the line.
pub fn from_csv<T: DeserializeOwned>(text: &str) -> Result<Vec<T>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("not a valid CSV file ({e})"))?
        .clone();
    let mut rows = Vec::new();
    for (i, row) in reader.deserialize().enumerate() {
        rows.push(row.map_err(|e: csv::Error| csv_message(i + 2, &headers, &e))?);
    }
    Ok(rows)
}

/// `line N: column `NAME`: what is wrong`.
fn csv_message(line: usize, headers: &csv::StringRecord, e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|i| headers.get(i as usize))
                .map(|name| format!(" column `{name}`:"))
                .unwrap_or_default();
            format!("line {line}:{column} {}", err.kind())
        }
        _ => format!("line {line}: {e}"),
    }
}

/// Writes CSV rows to a writer (for callers that stream); nothing without rows.
pub fn write_csv<T: Serialize, W: io::Write>(
    out: W,
    rows: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for row in rows {
        w.serialize(row).map_err(io::Error::other)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_negative_columns_clip_only_the_low_end() {
        let e = Estimate {
            mean: 0.001,
            ci95: Some([-0.002, 0.004]),
        };
        assert_eq!(e.columns_nonneg(), (0.001, 0.0, 0.004));
        assert_eq!(e.columns(), (0.001, -0.002, 0.004));
        let (_, lo, hi) = Estimate::MISSING.columns_nonneg();
        assert!(lo.is_nan() && hi.is_nan());
    }

    #[test]
    fn a_csv_file_without_rows_still_has_its_header() {
        assert_eq!(
            to_csv(Vec::<TransitRow>::new()),
            "scenario,flow,lower_days,upper_days,trains\n"
        );
        let row = TransitRow {
            scenario: "s".into(),
            flow: "f".into(),
            lower_days: 1.0,
            upper_days: 1.5,
            trains: 3,
        };
        let text = to_csv([row.clone()]);
        assert_eq!(
            text.lines().next(),
            to_csv(Vec::<TransitRow>::new()).lines().next()
        );
        assert_eq!(from_csv::<TransitRow>(&text).unwrap(), vec![row]);
    }

    #[test]
    fn undefined_numbers_are_empty_in_csv_and_null_in_json() {
        let e = Estimate {
            mean: f64::NAN,
            ci95: Some([f64::NAN, 1.0]),
        };
        let json = to_json(&e);
        assert_eq!(
            json,
            "{\n  \"mean\": null,\n  \"ci95\": [\n    null,\n    1.0\n  ]\n}\n"
        );
        let back: Estimate = from_json(&json).unwrap();
        assert!(back.mean.is_nan() && back.value().is_none() && back.interval().is_none());
        assert_eq!(to_json(&back), json);
        let d = Difference {
            base: f64::NAN,
            alternative: 2.0,
            difference: e,
            significant: false,
        };
        let row = CompareRow {
            base: "a".into(),
            alternative: "b".into(),
            replications: 2,
            flow: "all".into(),
            figure: Figure::TransitP95Days,
            base_mean: d.base,
            alternative_mean: d.alternative,
            difference_mean: d.difference.mean,
            difference_ci95_low: f64::NAN,
            difference_ci95_high: 1.0,
            significant: d.significant,
        };
        let text = to_csv([row]);
        assert_eq!(
            text.lines().nth(1),
            Some("a,b,2,all,transit_p95_days,,2.0,,,1.0,false")
        );
        let back: Vec<CompareRow> = from_csv(&text).unwrap();
        assert_eq!(to_csv(back), text);
    }
}
