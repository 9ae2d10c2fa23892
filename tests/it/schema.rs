//! The results schema end to end: every file that `run`, `--replay`, `sweep` and
//! `compare` write is read back through its one type in `corridor::schema` and written
//! again byte for byte (round trip), and snapshots of every CSV file's header and first
//! rows and of every JSON file's shape catch a renamed, added or shifted column.

use std::fs;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use corridor::schema::{
    self, CompareRow, Comparison, Curve, CurveFlowRow, CurveResourceRow, CurveRow, FlowRow,
    Manifest, NetworkExport, ReplicationRow, ResourceRow, Summary, TrainRow, TransitRow,
};

use crate::support::{NET, SCENARIO, corridor, text};

/// A scenario like [`SCENARIO`] with twice the demand, to compare against.
fn alternative() -> String {
    SCENARIO
        .replace("name = \"test\"", "name = \"more\"")
        .replace("trains_per_week = 5", "trains_per_week = 10")
}

/// Short runs: a few replications of 60 days, no charts.
const SHORT: [&str; 8] = [
    "--replications",
    "3",
    "--horizon-days",
    "60",
    "--warmup-days",
    "10",
    "--quiet",
    "--no-plots",
];

/// A folder with the test network and scenarios, and the results of one small run,
/// replay, sweep and comparison in `run/`, `rep/`, `sw/` and `cmp/`.
fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    fs::write(d.join("alt.toml"), alternative()).unwrap();
    let runs: [&[&str]; 4] = [
        &["run", "sc.toml", "--out", "run"],
        &["run", "sc.toml", "--replay", "1", "--out", "rep"],
        &[
            "sweep", "sc.toml", "--param", "demand", "--values", "0.5,1", "--out", "sw",
        ],
        &[
            "compare", "sc.toml", "alt.toml", "--param", "demand", "--values", "0.5,1", "--out",
            "cmp",
        ],
    ];
    for args in runs {
        let mut all = args.to_vec();
        all.extend(SHORT);
        let o = corridor(d, &all);
        assert!(o.status.success(), "{args:?}: {}", text(&o).1);
    }
    dir
}

/// Reads a JSON file into its type and writes it again: the bytes must not change.
pub(crate) fn json_round_trip<T: Serialize + DeserializeOwned>(path: &Path) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: T = schema::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(schema::to_json(&value), text, "{}", path.display());
}

/// Reads a CSV file into rows of its type and writes them again: the bytes must not
/// change.
pub(crate) fn csv_round_trip<T: Serialize + DeserializeOwned>(path: &Path) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<T> =
        schema::from_csv(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!rows.is_empty(), "{} has no rows", path.display());
    assert_eq!(schema::to_csv(rows), text, "{}", path.display());
}

/// The names of the files of a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn every_file_reads_back_through_its_type_unchanged() {
    let dir = folders();
    let d = dir.path();

    let run = d.join("run");
    assert_eq!(
        names(&run),
        [
            "flows.csv",
            "links.csv",
            "manifest.json",
            "network.json",
            "replications.csv",
            "report.html",
            "resources.csv",
            "summary.json",
            "transit.csv"
        ]
    );
    csv_round_trip::<corridor::schema::LinkRow>(&run.join("links.csv"));
    json_round_trip::<Summary>(&run.join("summary.json"));
    json_round_trip::<NetworkExport>(&run.join("network.json"));
    json_round_trip::<Manifest>(&run.join("manifest.json"));
    csv_round_trip::<FlowRow>(&run.join("flows.csv"));
    csv_round_trip::<ResourceRow>(&run.join("resources.csv"));
    csv_round_trip::<ReplicationRow>(&run.join("replications.csv"));
    csv_round_trip::<TransitRow>(&run.join("transit.csv"));

    let rep = d.join("rep");
    assert_eq!(
        names(&rep),
        [
            "manifest.json",
            "network.json",
            "replications.csv",
            "report.html",
            "summary.json",
            "trains.csv",
            "transit.csv"
        ]
    );
    csv_round_trip::<TrainRow>(&rep.join("trains.csv"));
    json_round_trip::<Manifest>(&rep.join("manifest.json"));

    let sw = d.join("sw");
    assert_eq!(
        names(&sw),
        [
            "curve.csv",
            "curve.json",
            "curve_flows.csv",
            "curve_resources.csv",
            "manifest.json",
            "network.json",
            "replications.csv",
            "report.html"
        ]
    );
    json_round_trip::<Curve>(&sw.join("curve.json"));
    json_round_trip::<Manifest>(&sw.join("manifest.json"));
    csv_round_trip::<CurveRow>(&sw.join("curve.csv"));
    csv_round_trip::<CurveResourceRow>(&sw.join("curve_resources.csv"));
    csv_round_trip::<CurveFlowRow>(&sw.join("curve_flows.csv"));
    csv_round_trip::<ReplicationRow>(&sw.join("replications.csv"));

    let cmp = d.join("cmp");
    assert_eq!(
        names(&cmp),
        [
            "compare.csv",
            "compare.json",
            "curve-0-test.csv",
            "curve-0-test.json",
            "curve-1-more.csv",
            "curve-1-more.json",
            "manifest.json",
            "report.html",
            "summary-0-test.json",
            "summary-1-more.json"
        ]
    );
    json_round_trip::<Comparison>(&cmp.join("compare.json"));
    csv_round_trip::<CompareRow>(&cmp.join("compare.csv"));
    json_round_trip::<Summary>(&cmp.join("summary-1-more.json"));
    json_round_trip::<Curve>(&cmp.join("curve-1-more.json"));
    csv_round_trip::<CurveRow>(&cmp.join("curve-1-more.csv"));
    json_round_trip::<Manifest>(&cmp.join("manifest.json"));
}

/// A number to six significant digits, so that snapshots do not hang on the last bits
/// of a platform's libm.
fn round6(cell: &str) -> String {
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() && cell.contains(['.', 'e']) => format!("{v:.5e}"),
        _ => cell.to_string(),
    }
}

/// The header and first `rows` rows of a CSV file, one cell per line under its
/// column name, numbers to six digits.
fn csv_head(path: &Path, rows: usize) -> String {
    let text = fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut out = format!("{}\n", header.iter().collect::<Vec<_>>().join(","));
    for (i, record) in reader.records().take(rows).enumerate() {
        let record = record.unwrap();
        assert_eq!(record.len(), header.len(), "{}", path.display());
        out.push_str(&format!("-- row {}\n", i + 1));
        for (name, cell) in header.iter().zip(record.iter()) {
            out.push_str(&format!("{name} = {}\n", round6(cell)));
        }
    }
    out
}

/// The shape of a JSON value: every key with the type of its value; arrays by the
/// shape of their first element.
pub(crate) fn shape(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match v {
        Value::Object(map) => {
            out.push_str("{\n");
            for (k, v) in map {
                out.push_str(&format!("{pad}  {k}: "));
                shape(v, indent + 1, out);
            }
            out.push_str(&format!("{pad}}}\n"));
        }
        Value::Array(items) => match items.first() {
            Some(first) => {
                out.push_str("[ ");
                shape(first, indent, out);
            }
            None => out.push_str("[]\n"),
        },
        Value::String(_) => out.push_str("string\n"),
        Value::Number(_) => out.push_str("number\n"),
        Value::Bool(_) => out.push_str("bool\n"),
        Value::Null => out.push_str("null\n"),
    }
}

fn json_shape(path: &Path) -> String {
    let v: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut out = String::new();
    shape(&v, 0, &mut out);
    out
}

#[test]
fn snapshots_of_every_file() {
    let dir = folders();
    let d = dir.path();
    let csv_files = [
        ("run", "flows.csv", 2),
        ("run", "resources.csv", 2),
        ("run", "links.csv", 2),
        ("run", "replications.csv", 1),
        ("run", "transit.csv", 1),
        ("rep", "trains.csv", 2),
        ("sw", "curve.csv", 1),
        ("sw", "curve_resources.csv", 1),
        ("sw", "curve_flows.csv", 1),
        ("sw", "replications.csv", 1),
        ("cmp", "compare.csv", 2),
        ("cmp", "curve-1-more.csv", 1),
    ];
    for (folder, file, rows) in csv_files {
        let name = format!("{folder}__{file}");
        insta::assert_snapshot!(name, csv_head(&d.join(folder).join(file), rows));
    }
    let json_files = [
        ("run", "summary.json"),
        ("run", "network.json"),
        ("run", "manifest.json"),
        ("rep", "manifest.json"),
        ("sw", "curve.json"),
        ("sw", "manifest.json"),
        ("cmp", "compare.json"),
        ("cmp", "curve-1-more.json"),
        ("cmp", "summary-1-more.json"),
        ("cmp", "manifest.json"),
    ];
    for (folder, file) in json_files {
        let name = format!("{folder}__{file}");
        insta::assert_snapshot!(name, json_shape(&d.join(folder).join(file)));
    }
}

/// Every scenario file of the repository, recursively.
fn scenario_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scenario_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The manifest record of every shipped scenario (overrides, disruptions, split and
/// adaptive routes, ferries, seasonal arrivals) reads back through its type unchanged.
#[test]
fn manifest_records_of_every_shipped_scenario_read_back_unchanged() {
    let mut files = Vec::new();
    scenario_files(&crate::support::root().join("scenarios"), &mut files);
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let (scenario, network) = corridor::input::load_scenario(&path).expect("loads");
        let record = corridor::report::manifest::ScenarioRecord::new(&scenario, &network);
        let text = schema::to_json(&record);
        let back: corridor::schema::ScenarioRecord =
            schema::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(schema::to_json(&back), text, "{}", path.display());
        let export = NetworkExport::new(&network);
        let text = schema::to_json(&export);
        let back: NetworkExport = schema::from_json(&text).unwrap();
        assert_eq!(schema::to_json(&back), text, "{}", path.display());
    }
}
