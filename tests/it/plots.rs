//! Charts and GeoJSON: every chart file is produced, non-empty and deterministic;
//! bad or missing inputs give a clear error.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::{NET, SCENARIO, corridor, root, text};

/// The charts of a `run` folder.
const CHARTS: [&str; 3] = ["transit", "utilization", "map"];

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// A temporary folder holding the test network and scenario, and the results of
/// `corridor run` in `res/`.
/// A results folder without charts (`run --no-plots`), for `plot` to draw into.
fn run_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::write(dir.path().join("net.toml"), NET).unwrap();
    fs::write(dir.path().join("sc.toml"), SCENARIO).unwrap();
    let o = corridor(
        dir.path(),
        &["run", "sc.toml", "--out", "res", "--quiet", "--no-plots"],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    dir
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(bytes[..8], PNG_SIGNATURE, "not a PNG file");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn plot_draws_every_chart_as_svg_and_png() {
    let dir = run_folder();
    let o = corridor(dir.path(), &["plot", "res"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    for chart in CHARTS {
        for ext in ["svg", "png"] {
            let name = format!("{chart}.{ext}");
            let path = dir.path().join("res").join(&name);
            assert!(
                out.lines().any(|l| l.ends_with(&name)),
                "{name} not listed: {out}"
            );
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(bytes.len() > 1000, "{name} is nearly empty");
            if ext == "png" {
                assert_eq!(png_size(&bytes), (1600, 1000), "{name}");
            } else {
                let svg = String::from_utf8(bytes).expect("SVG is text");
                assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
                assert!(svg.contains("DejaVu Sans"), "{name} names its font");
            }
        }
    }
    assert_eq!(out.lines().count(), 6, "{out}");
    // Nothing temporary is left behind.
    for entry in fs::read_dir(dir.path().join("res")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains(".tmp"), "left over: {name}");
    }
}

/// `run` draws its charts by default, `--no-plots` skips them.
#[test]
fn run_draws_charts_unless_told_not_to() {
    let dir = run_folder();
    assert!(!dir.path().join("res/map.svg").exists());
    let o = corridor(dir.path(), &["run", "sc.toml", "--out", "with", "--quiet"]);
    assert!(o.status.success(), "{}", text(&o).1);
    for chart in CHARTS {
        for ext in ["svg", "png"] {
            let f = dir.path().join("with").join(format!("{chart}.{ext}"));
            assert!(
                fs::metadata(&f).map(|m| m.len() > 0).unwrap_or(false),
                "{}",
                f.display()
            );
        }
    }
}

#[test]
fn png_charts_have_the_requested_size() {
    let dir = run_folder();
    let o = corridor(
        dir.path(),
        &[
            "plot", "res", "--format", "png", "--width", "900", "--height", "560",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    for chart in CHARTS {
        let res = dir.path().join("res");
        let bytes = fs::read(res.join(format!("{chart}.png"))).unwrap();
        assert_eq!(png_size(&bytes), (900, 560), "{chart}");
        assert!(
            !res.join(format!("{chart}.svg")).exists(),
            "--format png wrote SVG"
        );
    }
}

#[test]
fn plotting_twice_gives_identical_bytes() {
    let dir = run_folder();
    let read_all = |dir: &Path| -> Vec<Vec<u8>> {
        CHARTS
            .iter()
            .flat_map(|c| ["svg", "png"].map(|e| fs::read(dir.join(format!("{c}.{e}"))).unwrap()))
            .collect()
    };
    let res = dir.path().join("res");
    assert!(corridor(dir.path(), &["plot", "res"]).status.success());
    let first = read_all(&res);
    assert!(corridor(dir.path(), &["plot", "res"]).status.success());
    assert!(first == read_all(&res), "charts differ between two runs");
}

#[test]
fn plot_names_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(dir.path(), &["plot", "nowhere"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("results folder `nowhere` does not exist; write one with `corridor run SCENARIO --out nowhere`"),
        "{err}"
    );
}

#[test]
fn plot_says_what_an_empty_folder_lacks() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    let o = corridor(dir.path(), &["plot", "empty"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("`empty` holds no results to draw: expected summary.json"),
        "{err}"
    );
    // Every kind of results folder is named.
    for file in ["curve.json", "compare.json"] {
        assert!(err.contains(file), "{file} not named: {err}");
    }
}

#[test]
fn plot_names_a_corrupt_summary() {
    let dir = run_folder();
    fs::write(
        dir.path().join("res/summary.json"),
        "{\"scenario\": \"test\", \"flows\": [",
    )
    .unwrap();
    let o = corridor(dir.path(), &["plot", "res"]);
    let (out, err) = text(&o);
    assert!(!o.status.success());
    assert!(out.is_empty(), "{out}");
    let file = Path::new("res").join("summary.json");
    assert!(
        err.contains(&format!("{}: not a valid summary file (", file.display())),
        "{err}"
    );
    assert!(err.contains("write it again with `corridor run`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn plot_names_a_corrupt_transit_table() {
    let dir = run_folder();
    fs::write(
        dir.path().join("res/transit.csv"),
        "scenario,flow,lower_days,upper_days,trains\ntest,a-e,one,2,3\n",
    )
    .unwrap();
    let o = corridor(dir.path(), &["plot", "res"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("transit.csv: line 2: column `lower_days`: invalid float literal"),
        "{err}"
    );
}

/// Checks that `text` is a GeoJSON FeatureCollection of Points and LineStrings with
/// properties; returns the numbers of points and lines.
fn check_geojson(text: &str) -> (usize, usize) {
    let v: Value = serde_json::from_str(text).expect("GeoJSON is JSON");
    assert_eq!(v["type"], "FeatureCollection");
    let position = |p: &Value| {
        let p = p.as_array().expect("a position is an array");
        assert_eq!(p.len(), 2, "a position is [lon, lat]");
        let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon), "longitude {lon}");
        assert!((-90.0..=90.0).contains(&lat), "latitude {lat}");
    };
    let (mut points, mut lines) = (0, 0);
    for f in v["features"].as_array().expect("features is an array") {
        assert_eq!(f["type"], "Feature");
        assert!(f["properties"].is_object(), "{f}");
        let g = &f["geometry"];
        match g["type"].as_str() {
            Some("Point") => {
                position(&g["coordinates"]);
                points += 1;
            }
            Some("LineString") => {
                let c = g["coordinates"].as_array().expect("positions");
                assert!(c.len() >= 2, "{f}");
                c.iter().for_each(position);
                lines += 1;
            }
            other => panic!("unexpected geometry {other:?}"),
        }
    }
    (points, lines)
}

#[test]
fn geojson_of_the_corridor_network() {
    let dir = tempfile::tempdir().unwrap();
    let net = root().join("networks/middle-corridor.toml");
    let o = corridor(
        dir.path(),
        &[
            "export-geojson",
            net.to_str().unwrap(),
            "--out",
            "net.geojson",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let geojson = fs::read_to_string(dir.path().join("net.geojson")).unwrap();
    let (points, lines) = check_geojson(&geojson);
    let network = corridor::input::load_network(&net).unwrap();
    assert_eq!((points, lines), (network.nodes.len(), network.legs.len()));
    let v: Value = serde_json::from_str(&geojson).unwrap();
    let alat = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "alat")
        .expect("the port of Baku at Alat");
    assert_eq!(alat["properties"]["kind"], "sea_port");
    assert!(alat["properties"].get("utilization").is_none());
}

#[test]
fn geojson_of_a_results_folder_carries_flows() {
    let dir = run_folder();
    let o = corridor(dir.path(), &["export-geojson", "res"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(check_geojson(&out), (5, 4));
    let v: Value = serde_json::from_str(&out).unwrap();
    let features = v["features"].as_array().unwrap();
    let a = &features[0]["properties"];
    assert_eq!(a["id"], "a");
    assert!(
        a["utilization"]
            .as_f64()
            .is_some_and(|u| u > 0.0 && u < 1.0),
        "{a}"
    );
    let ferry = features
        .iter()
        .find(|f| f["properties"]["id"] == "ferry")
        .unwrap();
    let trains = ferry["properties"]["trains_per_day"].as_f64().unwrap();
    // 5 trains a week go through every leg of the only route.
    assert!((trains - 5.0 / 7.0).abs() < 0.15, "{trains}");
    assert_eq!(ferry["properties"]["trains_per_day_to_from"], 0.0);
}

#[test]
fn geojson_of_a_bad_network_shows_where() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.toml"),
        NET.replace("kind = \"gauge_change\"", "kind = \"gauge_chnage\""),
    )
    .unwrap();
    let o = corridor(
        dir.path(),
        &["export-geojson", "bad.toml", "--out", "bad.geojson"],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("bad.toml:16:8"), "{err}");
    assert!(err.contains("unknown variant `gauge_chnage`"), "{err}");
    assert!(!dir.path().join("bad.geojson").exists());
}

/// The charts of a `sweep` folder.
const SWEEP_CHARTS: [&str; 3] = ["capacity", "transit_load", "bottlenecks_load"];
/// The charts of a `compare` folder with capacity curves.
const COMPARE_CHARTS: [&str; 2] = ["compare", "capacity_compare"];

/// A temporary folder holding the test network, the test scenario and an alternative
/// with more demand on the same flow.
fn scenarios() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::write(dir.path().join("net.toml"), NET).unwrap();
    fs::write(dir.path().join("sc.toml"), SCENARIO).unwrap();
    let alt = SCENARIO
        .replace("name = \"test\"", "name = \"more\"")
        .replace("trains_per_week = 5", "trains_per_week = 7");
    fs::write(dir.path().join("alt.toml"), alt).unwrap();
    dir
}

/// Runs `corridor` with `args` in `dir` and asserts that it succeeds.
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = corridor(dir, args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{args:?}: {err}");
    out
}

/// Plots `folder` (in `dir`) and checks that exactly `charts` are written, as
/// non-empty SVG and 1600 × 1000 PNG files; returns the SVG texts.
fn plot_and_check(dir: &Path, folder: &str, charts: &[&str]) -> Vec<String> {
    let out = ok(dir, &["plot", folder]);
    assert_eq!(out.lines().count(), 2 * charts.len(), "{out}");
    let mut svgs = Vec::new();
    for chart in charts {
        let path = dir.join(folder).join(chart);
        let png = fs::read(path.with_extension("png")).unwrap_or_else(|e| panic!("{chart}: {e}"));
        assert!(png.len() > 10_000, "{chart}.png is nearly empty");
        assert_eq!(png_size(&png), (1600, 1000), "{chart}");
        let svg = fs::read_to_string(path.with_extension("svg")).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.len() > 5_000, "{chart}.svg is nearly empty");
        assert!(
            out.lines().any(|l| l.ends_with(&format!("{chart}.svg"))),
            "{chart}.svg not listed: {out}"
        );
        svgs.push(svg);
    }
    svgs
}

#[test]
fn plot_draws_the_charts_of_sweeps() {
    let dir = scenarios();
    let d = dir.path();
    // A demand sweep whose last point is far beyond the ferry's capacity (so that it
    // has a knee), and a sweep of the ferry's vessels up to plenty.
    let demand = [
        "sweep",
        "sc.toml",
        "--param",
        "demand",
        "--values",
        "0.1,0.2,3",
        "--out",
        "sw",
        "--quiet",
        "--no-plots",
    ];
    ok(d, &demand);
    let vessels = [
        "sweep",
        "sc.toml",
        "--param",
        "ferry.ferry.vessels",
        "--values",
        "1,2,4,8",
        "--out",
        "vessels",
        "--quiet",
        "--no-plots",
    ];
    ok(d, &vessels);
    let first = plot_and_check(d, "sw", &SWEEP_CHARTS);
    let capacity = &first[0];
    assert!(capacity.contains("Practical capacity"), "no capacity note");
    assert!(capacity.contains("delivered = offered"));
    assert!(capacity.contains("Bottleneck: ferry: c → d (ferry)"));
    assert!(first[1].contains("p95 limit"));
    // Same files, same bytes.
    assert!(
        first == plot_and_check(d, "sw", &SWEEP_CHARTS),
        "charts differ"
    );
    let param = plot_and_check(d, "vessels", &SWEEP_CHARTS);
    assert!(param[0].contains("Throughput against ferry.ferry.vessels"));
    assert!(param[0].contains("Criteria first met at ferry.ferry.vessels = "));
    assert!(!param[0].contains("Practical capacity"));
}

#[test]
fn plot_draws_the_charts_of_a_comparison() {
    let dir = scenarios();
    let d = dir.path();
    let compare = [
        "compare",
        "sc.toml",
        "alt.toml",
        "--param",
        "demand",
        "--values",
        "0.1,0.2,0.3",
        "--out",
        "cmp",
        "--quiet",
        "--no-plots",
    ];
    ok(d, &compare);
    let first = plot_and_check(d, "cmp", &COMPARE_CHARTS);
    assert!(first[0].contains("more against test, 4 replications paired"));
    assert!(first[0].contains("paired by common random numbers"));
    assert!(first[0].contains("all flows"));
    assert!(first[1].contains("test: practical capacity"));
    assert!(first[1].contains("more: practical capacity"));
    assert!(
        first == plot_and_check(d, "cmp", &COMPARE_CHARTS),
        "charts differ"
    );
    // Without --param, only the paired differences.
    ok(
        d,
        &[
            "compare",
            "sc.toml",
            "alt.toml",
            "--out",
            "plain",
            "--quiet",
            "--no-plots",
        ],
    );
    plot_and_check(d, "plain", &["compare"]);
}

/// Runs `plot` on `folder` and returns its standard error, after checking that it
/// failed without writing anything.
fn plot_fails(dir: &Path, folder: &str) -> String {
    let o = corridor(dir, &["plot", folder]);
    let (out, err) = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn plot_names_a_corrupt_curve_or_comparison() {
    let dir = scenarios();
    let d = dir.path();
    fs::create_dir_all(d.join("sw")).unwrap();
    fs::write(
        d.join("sw/curve.json"),
        "{\"scenario\": \"test\", \"points\": [",
    )
    .unwrap();
    let err = plot_fails(d, "sw");
    let file = Path::new("sw").join("curve.json");
    assert!(
        err.contains(&format!(
            "{}: not a valid capacity curve file (",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("write it again with `corridor sweep`"),
        "{err}"
    );
    let empty = r#"{"scenario": "test", "param": "demand", "seed": 1, "replications": 4,
        "horizon_days": 10.0, "warmup_days": 0.0, "p95_limit_factor": 2.0, "p95_limit_days": 3.0,
        "delivered_ratio_min": 0.99, "points": [], "practical_capacity": null,
        "first_value_meeting_criteria": null}"#;
    fs::write(d.join("sw/curve.json"), empty).unwrap();
    let err = plot_fails(d, "sw");
    assert!(
        err.contains(&format!("{}: the curve has no points", file.display())),
        "{err}"
    );

    fs::create_dir_all(d.join("cmp")).unwrap();
    fs::write(d.join("cmp/compare.json"), "{\"base\": 3}").unwrap();
    let err = plot_fails(d, "cmp");
    let file = Path::new("cmp").join("compare.json");
    assert!(
        err.contains(&format!(
            "{}: not a valid comparison file (",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("write it again with `corridor compare`"),
        "{err}"
    );
}

/// Writes `text` to a file of a fresh folder and reads it with `read`: the error as text.
fn read_back<T>(
    name: &str,
    text: &str,
    read: impl Fn(&Path) -> Result<T, corridor::report::plot::results::ReadError>,
) -> Result<T, String> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    read(&path).map_err(|e| e.to_string())
}

#[test]
fn transit_tables_are_parsed_and_checked() {
    use corridor::report::plot::results::read_transit;
    let head = "scenario,flow,lower_days,upper_days,trains\n";
    let bins = read_back(
        "transit.csv",
        &format!("{head}s,f,1,1.5,3\ns,g,2,2.5,1\n"),
        read_transit,
    )
    .unwrap();
    assert_eq!(bins.len(), 2);
    assert_eq!(bins[0].flow, "f");
    assert_eq!(bins[1].trains, 1);
    let bad = read_back("transit.csv", &format!("{head}s,f,x,1.5,3\n"), read_transit);
    let bad = bad.unwrap_err();
    assert!(
        bad.contains("line 2: column `lower_days`: invalid float literal"),
        "{bad}"
    );
    let negative = read_back(
        "transit.csv",
        &format!("{head}s,f,-1,1.5,3\n"),
        read_transit,
    );
    let negative = negative.unwrap_err();
    assert!(
        negative.contains("line 2: `-1` in column `lower_days` is not a number of days"),
        "{negative}"
    );
    let inverted = read_back("transit.csv", &format!("{head}s,f,2,1.5,3\n"), read_transit);
    let inverted = inverted.unwrap_err();
    assert!(
        inverted.contains("line 2: upper_days is below lower_days"),
        "{inverted}"
    );
    let missing = "scenario,flow,lower,upper_days,trains\ns,f,1,1.5,3\n";
    let missing = read_back("transit.csv", missing, read_transit).unwrap_err();
    assert!(missing.contains("missing field `lower_days`"), "{missing}");
}

#[test]
fn estimates_with_nulls_are_read() {
    use corridor::report::plot::results::Estimate;
    let e: Estimate = serde_json::from_str(r#"{"mean": null, "ci95": null}"#).unwrap();
    assert_eq!(e.value(), None);
    let e: Estimate = serde_json::from_str(r#"{"mean": 0.5, "ci95": [0.4, 0.6]}"#).unwrap();
    assert_eq!(e.value(), Some(0.5));
    assert_eq!(e.interval(), Some((0.4, 0.6)));
}

#[test]
fn capacity_curves_are_checked() {
    use corridor::report::plot::results::experiment::read_curve;
    let curve = |points: &str, capacity: &str| {
        let text = format!(
            r#"{{"scenario": "s", "param": "demand", "seed": 1, "replications": 2,
            "horizon_days": 10.0, "warmup_days": 1.0, "p95_limit_factor": 2.0,
            "p95_limit_days": 4.0, "delivered_ratio_min": 0.99, "points": [{points}],
            "practical_capacity": {capacity}, "first_value_meeting_criteria": null}}"#
        );
        read_back("curve.json", &text, read_curve).map(|c| c.points.len())
    };
    let point = r#"{"value": 1.0, "offered_trains_per_week": {"mean": 5.0, "ci95": null},
        "delivered_trains_per_week": {"mean": 5.0, "ci95": [4.0, 6.0]},
        "delivered_ratio": {"mean": 1.0, "ci95": null},
        "transit_days": {"mean": 3.0, "ci95": null, "p50": 2.5, "p95": null, "trains": 9},
        "transit_p95_days": {"mean": 4.0, "ci95": null},
        "meets_criteria": true, "replications_meeting": 1.0, "bottleneck": null,
        "resources": [], "flows": []}"#;
    assert_eq!(curve(point, "null"), Ok(1));
    let none = curve("", "null").unwrap_err();
    assert!(none.contains("the curve has no points"), "{none}");
    let capacity = r#"{"offered_trains_per_week": {"mean": 1.0, "ci95": null},
        "point_estimate": 1.0, "value": 1.0, "bracket": "within_range",
        "limited_by": "none", "bottleneck": null}"#;
    assert_eq!(curve(point, capacity), Ok(1));
    let bad = curve(point, &capacity.replace("within_range", "inside")).unwrap_err();
    assert!(bad.contains("unknown variant `inside`"), "{bad}");
    let no_offer = point.replace(
        r#""mean": 5.0, "ci95": null"#,
        r#""mean": null, "ci95": null"#,
    );
    let no_offer = curve(&no_offer, "null").unwrap_err();
    assert!(no_offer.contains("no mean"), "{no_offer}");
}
