//! Sweeps, comparisons, replays, automatic warm-up, precision and provenance.

use std::fs;
use std::path::Path;

use crate::support::{corridor, root, text};

/// A port whose one-way ferry is the bottleneck: Poisson trains of 10 wagons, 10 a
/// day, a ferry of 40 wagons whose round trip takes 2 days, so each vessel carries
/// 20 wagons a day against 100 offered.
const FERRY_NET: &str = r#"
[[node]]
id = "port"
lat = 40.0
lon = 50.0
kind = "sea_port"

[[node]]
id = "far"
lat = 41.0
lon = 51.0
kind = "sea_port"

[[leg]]
from = "port"
to = "far"
mode = "sea"
length_km = 300
one_way = true
[leg.ferry]
vessels = 1
wagons_per_sailing = 40
departure = { rule = "when_full", max_wait_days = 0.5 }
sailing_days = { dist = "uniform", min = 0.8, max = 1.2 }
turnaround_days = 1.0
"#;

fn ferry_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("net.toml"), FERRY_NET).unwrap();
    fs::write(
        dir.path().join("sc.toml"),
        "name = \"ferry-sweep\"\nnetwork = \"net.toml\"\nhorizon_days = 400\nwarmup_days = 40\nreplications = 20\nseed = 3\n\n[[flow]]\nfrom = \"port\"\nto = \"far\"\ntrains_per_week = 70\ntrain = { wagons = 10 }\n",
    )
    .unwrap();
    dir
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap_or_else(|_| panic!("{} exists", path.display())))
        .unwrap()
}

/// With common random numbers the capacity curve is monotone where the model is:
/// adding a vessel never lowers delivered trains. Each step is judged by the paired
/// differences of its replications (replication i at both values shares its random
/// streams): no step may be significantly negative, and every step below the demand
/// must be significantly positive, which only common random numbers make so clear.
#[test]
fn adding_ferries_never_lowers_delivered_trains() {
    let dir = ferry_dir();
    let o = corridor(
        dir.path(),
        &[
            "sweep",
            "sc.toml",
            "--param",
            "port-far.ferry.vessels",
            "--values",
            "1:7:1",
            "--out",
            "sw",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let curve = json(&dir.path().join("sw/curve.json"));
    let points = curve["points"].as_array().unwrap();
    assert_eq!(points.len(), 7);
    let delivered: Vec<f64> = points
        .iter()
        .map(|p| p["delivered_trains_per_week"]["mean"].as_f64().unwrap())
        .collect();
    // Per replication: delivered trains in the window, by vessels.
    let csv = fs::read_to_string(dir.path().join("sw/replications.csv")).unwrap();
    let mut by_value: Vec<Vec<f64>> = vec![vec![0.0; 20]; 7];
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (v, rep, n): (f64, usize, f64) = (
            f[2].parse().unwrap(),
            f[3].parse().unwrap(),
            f[8].parse().unwrap(),
        );
        by_value[v as usize - 1][rep] = n;
    }
    for k in 1..7 {
        let diffs: Vec<f64> = (0..20)
            .map(|i| by_value[k][i] - by_value[k - 1][i])
            .collect();
        let e = corridor::stats::Estimate::of(&diffs);
        let [lo, hi] = e.ci95.unwrap();
        assert!(
            hi >= 0.0,
            "{} -> {} vessels: delivered fell significantly ({lo}, {hi})",
            k,
            k + 1
        );
        if delivered[k] < 0.98 * 70.0 {
            assert!(
                lo > 0.0,
                "{} -> {} vessels: no significant gain ({lo}, {hi})",
                k,
                k + 1
            );
        }
    }
    // One vessel carries about 20 of the 100 wagons a day offered; five or more keep up.
    assert!(delivered[0] < 0.3 * 70.0, "{delivered:?}");
    assert!((delivered[6] - 70.0).abs() < 3.0, "{delivered:?}");
    assert_eq!(points[0]["bottleneck"]["id"], "port-far");
    assert!(points[0]["bottleneck"]["binding_share"].as_f64().unwrap() > 0.9);
    assert_eq!(
        curve["first_value_meeting_criteria"]
            .as_f64()
            .map(|v| v >= 5.0),
        Some(true)
    );
    for f in [
        "curve.csv",
        "curve_resources.csv",
        "curve_flows.csv",
        "replications.csv",
        "manifest.json",
    ] {
        assert!(dir.path().join("sw").join(f).exists(), "{f}");
    }
}

/// The practical-capacity finder recovers the capacity of an M/D/1 station, 1/service
/// time: 0.1 day per train is 70 trains a week. Only the throughput criterion binds
/// (the p95 limit is set out of reach). In 2,000 observed days the queue of a station
/// at exactly its capacity grows only like the square root of time, so delivered/
/// offered stays near 0.99 up to about 1% above capacity: the finder must land within
/// 5% of 70.
#[test]
fn practical_capacity_of_an_md1_station() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("net.toml"),
        "[[node]]\nid = \"s\"\nlat = 0.0\nlon = 0.0\nkind = \"rail_terminal\"\nresource = { servers = 1, service_days = 0.1 }\n\n[[node]]\nid = \"t\"\nlat = 0.0\nlon = 1.0\nkind = \"junction\"\n\n[[leg]]\nfrom = \"s\"\nto = \"t\"\nmode = \"rail\"\nlength_km = 1\ntravel_days = 0\ngauge_mm = 1435\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("sc.toml"),
        "name = \"md1\"\nnetwork = \"net.toml\"\nhorizon_days = 2100\nwarmup_days = 100\nreplications = 10\nseed = 1\n\n[[flow]]\nfrom = \"s\"\nto = \"t\"\ntrains_per_week = 70\ntrain = { wagons = 1 }\n\n[sweep]\nparam = \"demand\"\nvalues = [0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.3]\np95_limit_factor = 1000\n",
    )
    .unwrap();
    let o = corridor(dir.path(), &["sweep", "sc.toml", "--out", "sw", "--quiet"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let curve = json(&dir.path().join("sw/curve.json"));
    let pc = &curve["practical_capacity"];
    let estimate = pc["point_estimate"].as_f64().unwrap();
    assert!(
        (estimate - 70.0).abs() < 0.05 * 70.0,
        "practical capacity {estimate}"
    );
    assert_eq!(pc["limited_by"], "throughput");
    assert_eq!(pc["bracket"], "within_range");
    assert_eq!(pc["bottleneck"], "s");
    let ci = pc["offered_trains_per_week"]["ci95"].as_array().unwrap();
    assert!(
        ci[0].as_f64().unwrap() > 60.0 && ci[1].as_f64().unwrap() < 80.0,
        "{ci:?}"
    );
}

/// The capacity search recovers the capacity of an M/D/1 station from any starting
/// bracket. The station serves one train per 0.1 day, 70 a week; only the throughput
/// criterion binds (the p95 limit is out of reach). Above capacity the station
/// delivers 70 a week, so delivered/offered falls below 0.99 at 70/0.99 = 70.7 at the
/// latest; at exactly 70 the backlog after n arrivals is about sqrt(2n/pi) trains
/// (a reflected random walk), 0.6% of the 18,000 offered, so the ratio is still above
/// 0.99. The criterion's true crossing therefore lies in [70, 70.7]: each search's
/// 95% interval, widened by its final bracket, must reach into that range, and the
/// searches started from demand x0.3 and x0.9 must agree, interval with interval.
#[test]
fn capacity_search_finds_an_md1_capacity_from_any_start() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("net.toml"),
        "[[node]]\nid = \"s\"\nlat = 0.0\nlon = 0.0\nkind = \"rail_terminal\"\nresource = { servers = 1, service_days = 0.1 }\n\n[[node]]\nid = \"t\"\nlat = 0.0\nlon = 1.0\nkind = \"junction\"\n\n[[leg]]\nfrom = \"s\"\nto = \"t\"\nmode = \"rail\"\nlength_km = 1\ntravel_days = 0\ngauge_mm = 1435\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("sc.toml"),
        "name = \"md1\"\nnetwork = \"net.toml\"\nhorizon_days = 1900\nwarmup_days = 100\nreplications = 10\nseed = 1\n\n[[flow]]\nfrom = \"s\"\nto = \"t\"\ntrains_per_week = 70\ntrain = { wagons = 1 }\n",
    )
    .unwrap();
    let mut found = Vec::new();
    for from in ["0.3", "0.9"] {
        let out = format!("cap-{from}");
        let o = corridor(
            dir.path(),
            &[
                "capacity",
                "sc.toml",
                "--from",
                from,
                "--p95-limit-factor",
                "1000",
                "--out",
                &out,
                "--quiet",
            ],
        );
        assert!(o.status.success(), "{}", text(&o).1);
        let curve = json(&dir.path().join(&out).join("curve.json"));
        let pc = &curve["practical_capacity"];
        assert_eq!(pc["bracket"], "within_range", "{pc}");
        assert_eq!(pc["limited_by"], "throughput");
        assert_eq!(pc["bottleneck"], "s");
        let r = &pc["refinement"];
        let resolution = r["resolution_trains_per_week"].as_f64().unwrap();
        assert!(resolution <= 0.005 * 71.0, "bracket {resolution}");
        assert!(!r["probed_values"].as_array().unwrap().is_empty());
        let ci = pc["offered_trains_per_week"]["ci95"].as_array().unwrap();
        let (lo, hi) = (
            ci[0].as_f64().unwrap() - resolution,
            ci[1].as_f64().unwrap() + resolution,
        );
        assert!(
            lo <= 70.0 / 0.99 && hi >= 70.0,
            "from x{from}: [{lo}, {hi}]"
        );
        assert!(hi - lo < 3.0, "the interval means something: [{lo}, {hi}]");
        found.push((lo, hi));
    }
    let [(a_lo, a_hi), (b_lo, b_hi)] = [found[0], found[1]];
    assert!(a_lo <= b_hi && b_lo <= a_hi, "{found:?}");
}

/// A sweep refines its practical capacity between grid points: a coarse grid and a
/// fine one give the same capacity, interval with interval, and the coarse grid says
/// how far it alone would have been off.
#[test]
fn sweeps_refine_their_crossing_whatever_the_grid() {
    let dir = ferry_dir();
    let mut found = Vec::new();
    for (grid, out) in [("0.05:0.4:0.15", "coarse"), ("0.05:0.4:0.025", "fine")] {
        let o = corridor(
            dir.path(),
            &[
                "sweep", "sc.toml", "--param", "demand", "--values", grid, "--out", out, "--quiet",
            ],
        );
        assert!(o.status.success(), "{}", text(&o).1);
        let pc = json(&dir.path().join(out).join("curve.json"))["practical_capacity"].clone();
        assert_eq!(pc["bracket"], "within_range", "{pc}");
        let ci = pc["offered_trains_per_week"]["ci95"].as_array().unwrap();
        let r = &pc["refinement"];
        found.push((
            ci[0].as_f64().unwrap(),
            ci[1].as_f64().unwrap(),
            r["grid_point_estimate"].as_f64().unwrap(),
            pc["point_estimate"].as_f64().unwrap(),
        ));
    }
    let (c, f) = (found[0], found[1]);
    assert!(c.0 <= f.1 && f.0 <= c.1, "{found:?}");
    // The coarse grid alone is off by more than its refined interval is wide.
    assert!((c.2 - c.3).abs() > c.1 - c.0, "{found:?}");
}

/// A scenario compared with itself differs by exactly zero, and nothing is significant.
#[test]
fn a_scenario_compared_with_itself_differs_by_zero() {
    let dir = ferry_dir();
    let o = corridor(
        dir.path(),
        &["compare", "sc.toml", "sc.toml", "--out", "cmp", "--quiet"],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let cmp = json(&dir.path().join("cmp/compare.json"));
    let alt = &cmp["alternatives"][0];
    for f in std::iter::once(&alt["overall"]).chain(alt["flows"].as_array().unwrap()) {
        for figure in [
            "offered_trains_per_week",
            "delivered_trains_per_week",
            "transit_mean_days",
            "transit_p95_days",
        ] {
            let d = &f[figure];
            assert_eq!(d["difference"]["mean"].as_f64(), Some(0.0), "{figure}");
            assert_eq!(
                d["difference"]["ci95"],
                serde_json::json!([0.0, 0.0]),
                "{figure}"
            );
            assert_eq!(d["significant"], false, "{figure}");
        }
    }
    let csv = fs::read_to_string(dir.path().join("cmp/compare.csv")).unwrap();
    assert!(csv.lines().count() > 4 && !csv.contains(",true\n"), "{csv}");
}

/// A real change is detected: one more vessel delivers significantly more.
#[test]
fn a_comparison_detects_a_real_change() {
    let dir = ferry_dir();
    let alt = fs::read_to_string(dir.path().join("sc.toml"))
        .unwrap()
        .replace("name = \"ferry-sweep\"", "name = \"two-vessels\"")
        + "\n[[override]]\ntarget = \"port-far\"\nparam = \"ferry.vessels\"\nvalue = 2\n";
    fs::write(dir.path().join("alt.toml"), alt).unwrap();
    let o = corridor(
        dir.path(),
        &["compare", "sc.toml", "alt.toml", "--out", "cmp", "--quiet"],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let cmp = json(&dir.path().join("cmp/compare.json"));
    let d = &cmp["alternatives"][0]["overall"]["delivered_trains_per_week"];
    assert_eq!(d["significant"], true);
    assert!(d["difference"]["mean"].as_f64().unwrap() > 5.0, "{d}");
    // Demand is identical under common random numbers.
    assert_eq!(
        cmp["alternatives"][0]["overall"]["offered_trains_per_week"]["difference"]["mean"].as_f64(),
        Some(0.0)
    );
}

/// `--replay K` reproduces replication K of a full run exactly, and logs its trains.
#[test]
fn replay_reproduces_a_replication_exactly() {
    let dir = ferry_dir();
    let o = corridor(dir.path(), &["run", "sc.toml", "--out", "full", "--quiet"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let o = corridor(
        dir.path(),
        &[
            "run", "sc.toml", "--replay", "13", "--out", "rep", "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let full = fs::read_to_string(dir.path().join("full/replications.csv")).unwrap();
    let replay = fs::read_to_string(dir.path().join("rep/replications.csv")).unwrap();
    let row = |csv: &str| {
        csv.lines()
            .find(|l| l.split(',').nth(3) == Some("13"))
            .map(str::to_string)
    };
    assert!(row(&full).is_some());
    assert_eq!(row(&full), row(&replay));
    let trains = fs::read_to_string(dir.path().join("rep/trains.csv")).unwrap();
    let mut lines = trains.lines();
    assert_eq!(
        lines.next(),
        Some(
            "replication,train,flow,route,step,resource,kind,from,to,arrive_day,start_day,leave_day"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 1000);
    for r in &rows {
        assert_eq!(r[0], "13");
        assert_eq!(r[5], "port-far");
        let (a, s) = (
            r[9].parse::<f64>().unwrap(),
            r[10].parse::<f64>().unwrap_or(f64::INFINITY),
        );
        assert!(s >= a, "a train sails before it arrives: {r:?}");
        if let Ok(l) = r[11].parse::<f64>() {
            // Left after its last wagon sailed: one crossing, 0.8 to 1.2 days.
            assert!((0.8 - 1e-6..=1.2 + 1e-6).contains(&(l - s)), "{r:?}");
        }
    }
}

/// Every results folder carries a manifest with what is needed to reproduce it.
#[test]
fn results_folders_carry_a_manifest() {
    let dir = ferry_dir();
    let o = corridor(
        dir.path(),
        &[
            "run",
            "sc.toml",
            "--out",
            "run",
            "--quiet",
            "--threads",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let m = json(&dir.path().join("run/manifest.json"));
    assert_eq!(m["kind"], "run");
    assert_eq!(m["corridor_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["seed"], 3);
    assert_eq!(m["replications"], 20);
    assert_eq!(m["threads"], 2);
    assert!(m["wall_seconds"].as_f64().unwrap() >= 0.0);
    assert!(m["created_utc"].as_str().unwrap().ends_with('Z'));
    let sc = &m["scenarios"][0];
    assert_eq!(sc["file_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(sc["network_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(sc["network"]["legs"][0]["ferry"]["vessels"], 1);
    assert_eq!(sc["flows"][0]["trains_per_week"], 70.0);
    assert!(m["command"].as_array().unwrap().iter().any(|a| a == "run"));
}

/// `--warmup auto` chooses a warm-up by MSER-5, says so and records it.
#[test]
fn automatic_warmup_is_reported_and_recorded() {
    let dir = ferry_dir();
    let o = corridor(
        dir.path(),
        &["run", "sc.toml", "--warmup", "auto", "--out", "auto"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("warm-up chosen by MSER-5:"), "{out}");
    let m = json(&dir.path().join("auto/manifest.json"));
    assert_eq!(m["warmup_source"], "auto");
    let w = m["warmup_days"].as_f64().unwrap();
    assert!((0.0..=200.0).contains(&w), "{w}");
    assert_eq!(
        m["details"]["warmup_choice"]["warmup_days"].as_f64(),
        Some(w)
    );
}

/// `--precision` adds replications until the main figures are that precise, and the
/// result equals a plain run of as many replications.
#[test]
fn precision_adds_replications_until_the_target() {
    let dir = ferry_dir();
    let o = corridor(
        dir.path(),
        &[
            "run",
            "sc.toml",
            "--replications",
            "4",
            "--precision",
            "0.01",
            "--out",
            "p",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let m = json(&dir.path().join("p/manifest.json"));
    let p = &m["details"]["precision"];
    assert_eq!(p["reached"], true);
    let n = p["replications"].as_u64().unwrap();
    assert!(n > 4, "{n}");
    for f in p["figures"].as_array().unwrap() {
        assert!(f["relative_half_width"].as_f64().unwrap() <= 0.01, "{f}");
    }
    let o = corridor(
        dir.path(),
        &[
            "run",
            "sc.toml",
            "--replications",
            &n.to_string(),
            "--out",
            "plain",
            "--quiet",
        ],
    );
    assert!(o.status.success());
    assert_eq!(
        fs::read(dir.path().join("p/summary.json")).unwrap(),
        fs::read(dir.path().join("plain/summary.json")).unwrap()
    );
}

/// Ctrl-C stops a long run cleanly: exit code 130, no result files.
#[test]
fn ctrl_c_stops_without_partial_results() {
    let dir = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "run",
            "scenarios/reference/jackson3.toml",
            "--replications",
            "400",
            "--threads",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(dir.path().join("out"))
        .current_dir(root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("interrupted"),
        "says it was interrupted: {err}"
    );
    assert!(
        !dir.path().join("out").exists(),
        "no results folder after Ctrl-C"
    );
}

/// Bad sweep arguments get clear errors.
#[test]
fn bad_sweep_arguments_are_explained() {
    let dir = ferry_dir();
    let cases: [(&[&str], &str); 4] = [
        (
            &["sweep", "sc.toml"],
            "no sweep to run: give --param NAME --values LIST",
        ),
        (
            &[
                "sweep",
                "sc.toml",
                "--param",
                "port-far.ferry.vesels",
                "--values",
                "1,2",
            ],
            "did you mean `ferry.vessels`?",
        ),
        (
            &["sweep", "sc.toml", "--param", "demand", "--values", "1:0:1"],
            "must not exceed",
        ),
        (
            &[
                "sweep",
                "sc.toml",
                "--param",
                "port-far.ferry.vessels",
                "--values",
                "0,1",
            ],
            "must be a whole number of at least 1",
        ),
    ];
    for (args, want) in cases {
        let o = corridor(dir.path(), args);
        let (_, err) = text(&o);
        assert!(!o.status.success(), "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// Overload is said out loud: the ferry port is offered five times what its vessel
/// carries, so most trains are still waiting at the horizon; summary.json records a
/// notice, and `run` and `compare` print it; a port at half its capacity gets none.
#[test]
fn overload_is_said_out_loud() {
    let dir = ferry_dir();
    let o = corridor(dir.path(), &["run", "sc.toml", "--out", "over"]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(text(&o).0.contains("NOTE overload"), "{}", text(&o).0);
    let notices = json(&dir.path().join("over/summary.json"))["notices"].clone();
    assert!(
        notices[0].as_str().unwrap().contains("overload"),
        "{notices}"
    );
    let o = corridor(
        dir.path(),
        &["compare", "sc.toml", "sc.toml", "--out", "cmp"],
    );
    assert!(
        text(&o).0.contains("NOTE ferry-sweep: overload"),
        "{}",
        text(&o).0
    );
    // At half the vessel's capacity nothing is said, although the trains offered in
    // the last days are still at sea at the horizon.
    let light = fs::read_to_string(dir.path().join("sc.toml"))
        .unwrap()
        .replace("trains_per_week = 70", "trains_per_week = 7");
    fs::write(dir.path().join("light.toml"), light).unwrap();
    let o = corridor(dir.path(), &["run", "light.toml", "--out", "light"]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(!text(&o).0.contains("NOTE"), "{}", text(&o).0);
    let notices = json(&dir.path().join("light/summary.json"))["notices"].clone();
    assert_eq!(notices, serde_json::json!([]));
}
