//! Inputs that once took the machine down (issue 14): unbounded demand and sizes,
//! hangs, silent nonsense, unsafe names, special files. Each now either validates into
//! something the machine can honour or is rejected with the bound and its reason.

use std::path::Path;

use corridor::input;
use corridor::sim::{Model, run_replication};

use crate::support::{NET, SCENARIO, corridor, network_problems, scenario_problems, text};

/// A station with one server and a one-day service: capacity 7 trains a week.
const ONE_STATION: &str = r#"
[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "rail_terminal"
resource = { servers = 1, service_days = 1.0 }

[[node]]
id = "b"
lat = 41.0
lon = 51.0
kind = "rail_terminal"

[[leg]]
from = "a"
to = "b"
mode = "rail"
length_km = 100
travel_days = 0.5
gauge_mm = 1520
"#;

/// Peak resident memory of this process (kB), from /proc (Linux).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A corridor at 1,000 times its capacity for 10 years: the replication stops when a
/// million trains are in the system, says when and where, and stays far within 2 GB.
#[test]
fn overload_saturates_within_bounded_memory() {
    let scenario = r#"
name = "overload"
network = "net.toml"
horizon_days = 3650
warmup_days = 0
replications = 1
seed = 1

[[flow]]
from = "a"
to = "b"
trains_per_week = 7000
train = { wagons = 50, teu = 100, tonnes = 1400 }
"#;
    let net = input::parse_network(ONE_STATION).expect("network");
    let (sc, net) = input::parse_scenario(scenario, Path::new("sc.toml"), net).expect("scenario");
    assert_eq!(sc.run.max_trains_in_system, 1_000_000);
    let model = Model::new(&net, &sc).expect("model");
    let r = run_replication(&model, 1, 0);
    let sat = r.saturated.expect("the replication saturates");
    // 1,000 trains arrive a day and one leaves: a million are in the system after
    // about 1,001 days.
    assert!(
        (900.0..1100.0).contains(&sat.day),
        "saturated on day {}",
        sat.day
    );
    assert_eq!(sat.trains_in_system, 1_000_001);
    let place = &model.resources()[sat.resource.expect("a backlog") as usize];
    assert_eq!(place.id, "a");
    let f = &r.flows[0];
    assert_eq!(f.offered, f.delivered + f.in_system, "trains are conserved");
    for res in &r.resources {
        assert!(
            (0.0..=1.0).contains(&res.utilization),
            "{}",
            res.utilization
        );
    }
    if let Some(kb) = peak_rss_kb() {
        assert!(kb < 2 * 1024 * 1024, "peak RSS {kb} kB");
    }
}

/// The limit can be lowered; a replication below it is not saturated.
#[test]
fn the_saturation_limit_is_a_setting() {
    let net = input::parse_network(NET).expect("network");
    let (mut sc, net) = input::parse_scenario(SCENARIO, Path::new("sc.toml"), net).expect("sc");
    let model = Model::new(&net, &sc).expect("model");
    assert!(run_replication(&model, 7, 0).saturated.is_none());
    sc.run.max_trains_in_system = 1;
    let model = Model::new(&net, &sc).expect("model");
    let sat = run_replication(&model, 7, 0).saturated.expect("saturates");
    assert_eq!(sat.trains_in_system, 2);
}

/// A weekly ferry over a ten-day window sails twice: its utilisation counts the room
/// on the sailings made and stays within [0, 1] (it was 1.1375).
#[test]
fn ferry_utilisation_is_a_share() {
    let net = NET.replace(
        r#"departure = { rule = "when_full", max_wait_days = 1 }"#,
        r#"departure = { rule = "timetable", every_days = 7, first_days = 0.5 }"#,
    );
    let sc = SCENARIO
        .replace("horizon_days = 200", "horizon_days = 10")
        .replace("warmup_days = 20", "warmup_days = 0")
        .replace("trains_per_week = 5", "trains_per_week = 30");
    let net = input::parse_network(&net).expect("network");
    let (sc, net) = input::parse_scenario(&sc, Path::new("sc.toml"), net).expect("scenario");
    let model = Model::new(&net, &sc).expect("model");
    for i in 0..4 {
        let r = run_replication(&model, 7, i);
        for res in &r.resources {
            assert!(
                (0.0..=1.0).contains(&res.utilization) && (0.0..=1.0).contains(&res.closed_share),
                "{res:?}"
            );
        }
        let ferry = model
            .resources()
            .iter()
            .position(|x| x.id == "ferry")
            .expect("ferry");
        assert!(r.resources[ferry].sailings >= 2);
    }
}

/// Numbers that used to validate and then exhaust memory or loop for ever.
#[test]
fn unbounded_numbers_are_rejected_with_the_bound() {
    let cases = [
        (
            "trains_per_week = 5",
            "trains_per_week = 1e308",
            "at most 100000",
        ),
        (
            "train = { wagons = 50, teu = 100, tonnes = 1400 }",
            "train = { wagons = 50, teu = 100, tonnes = 1e308 }",
            "tonnes from 0 to 10000000",
        ),
        (
            "horizon_days = 200",
            "horizon_days = 20.0001",
            "shorter than one minute",
        ),
    ];
    for (from, to, want) in cases {
        let sc = SCENARIO.replace(from, to);
        let report = scenario_problems(NET, &sc);
        assert!(report.contains(want), "{to}: {report}");
        assert!(report.contains("help:"), "{to}: {report}");
    }
    let net_cases = [
        (
            "wagons_per_sailing = 54",
            "wagons_per_sailing = 2147483648",
            "from 1 to 100000",
        ),
        (
            "vessels = 2",
            "vessels = 9223372036854775807",
            "at most 10000",
        ),
        ("vessels = 2", "vessels = 1000000000", "at most 10000"),
        (
            r#"departure = { rule = "when_full", max_wait_days = 1 }"#,
            r#"departure = { rule = "timetable", every_days = 1e-300 }"#,
            "at least 0.000694",
        ),
        (
            "travel_days = 0.5",
            "travel_days = { dist = \"uniform\", min = 1e300, max = 1.5e300 }",
            "at most 1000000 days",
        ),
    ];
    for (from, to, want) in net_cases {
        let report = network_problems(&NET.replace(from, to));
        assert!(report.contains(want), "{to}: {report}");
        assert!(report.contains("help:"), "{to}: {report}");
    }
    let disruption =
        format!("{SCENARIO}\n[[disruption]]\ntarget = \"b\"\nper_year = 1e9\nduration_days = 1\n");
    let report = scenario_problems(NET, &disruption);
    assert!(report.contains("at most 8760"), "{report}");
    let seasonal = SCENARIO.replace(
        "trains_per_week = 5",
        "trains_per_week = 5\narrivals = \"seasonal\"\nseasonal = [1e308, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
    );
    let report = scenario_problems(NET, &seasonal);
    assert!(report.contains("from 0 to 1000000"), "{report}");
}

/// A scenario named `.` or `..` would write its results outside `results/`.
#[test]
fn scenario_names_are_safe_folder_names() {
    for name in ["..", ".", ".hidden"] {
        let sc = SCENARIO.replace("name = \"test\"", &format!("name = \"{name}\""));
        let report = scenario_problems(NET, &sc);
        assert!(report.contains("starts with `.`"), "{name}: {report}");
    }
}

/// Duplicate keys are named; invalid UTF-8 is located; a folder, a device or a FIFO is
/// refused without reading it.
#[test]
fn files_are_read_safely() {
    let report = network_problems("[network]\nname = \"a\"\nname = \"b\"\n");
    assert!(report.contains("duplicate key `name`"), "{report}");
    assert!(report.contains("help:"), "{report}");

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, b"[network]\nname = \"a\xff\"\n").expect("write");
    let err = input::load_network(&bad).expect_err("invalid UTF-8");
    let shown = err.to_string();
    assert!(
        shown.contains("bad.toml:2:") && shown.contains("invalid UTF-8"),
        "{shown}"
    );

    for path in [dir.path().to_path_buf(), "/dev/zero".into()] {
        let err = input::load_network(&path).expect_err("not a regular file");
        assert!(err.to_string().contains("give a .toml file"), "{err}");
    }
    let fifo = dir.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let err = input::load_network(&fifo).expect_err("a FIFO is refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}

/// Usage errors exit 2, mistakes in files 1.
#[test]
fn exit_codes_tell_usage_from_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("net.toml"), NET).expect("write");
    std::fs::write(dir.path().join("sc.toml"), SCENARIO).expect("write");
    let code = |args: &[&str]| corridor(dir.path(), args).status.code();
    assert_eq!(
        code(&["run", "sc.toml", "--horizon-days", "inf", "-q"]),
        Some(2)
    );
    assert_eq!(
        code(&["run", "sc.toml", "--replications", "1000001", "-q"]),
        Some(2)
    );
    assert_eq!(
        code(&["run", "sc.toml", "--max-trains-in-system", "0", "-q"]),
        Some(2)
    );
    assert_eq!(
        code(&["sweep", "sc.toml", "--param", "demand", "-q"]),
        Some(2)
    );
    assert_eq!(code(&["no-such-command"]), Some(2));
    std::fs::write(dir.path().join("bad.toml"), "x = 1\nx = 2\n").expect("write");
    assert_eq!(code(&["validate", "bad.toml"]), Some(1));
    let o = corridor(
        dir.path(),
        &[
            "run",
            "sc.toml",
            "--max-trains-in-system",
            "1",
            "--no-plots",
            "-q",
            "--replications",
            "1",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("saturated"), "{err}");
    // The results say it too: summary.json names how many, when and where.
    let summary = std::fs::read_to_string(dir.path().join("results/sc/summary.json"))
        .or_else(|_| {
            let name = std::fs::read_dir(dir.path().join("results"))?
                .next()
                .expect("a results folder")?
                .path();
            std::fs::read_to_string(name.join("summary.json"))
        })
        .expect("summary.json");
    let v: serde_json::Value = serde_json::from_str(&summary).expect("JSON");
    assert_eq!(v["saturation"]["replications"], 1, "{summary}");
    assert!(
        v["saturation"]["first_day"]
            .as_f64()
            .is_some_and(|d| d >= 0.0)
    );
}

/// Transit times beyond 262,000 days used to be capped there; every horizon the input
/// accepts is now within the histogram's range (0.4% bins).
#[test]
fn long_transit_times_are_not_capped() {
    let net = ONE_STATION
        .replace("travel_days = 0.5", "travel_days = 300000")
        .replace("service_days = 1.0", "service_days = 0.001");
    let scenario = r#"
name = "long"
network = "net.toml"
horizon_days = 400000
warmup_days = 0
replications = 1
seed = 1

[[flow]]
from = "a"
to = "b"
trains_per_week = 0.01
train = { wagons = 50, teu = 100, tonnes = 1400 }
"#;
    let net = input::parse_network(&net).expect("network");
    let (sc, net) = input::parse_scenario(scenario, Path::new("sc.toml"), net).expect("scenario");
    let model = Model::new(&net, &sc).expect("model");
    let r = run_replication(&model, 1, 0);
    let f = &r.flows[0];
    assert!(f.delivered > 100, "{}", f.delivered);
    let exact = 300_000.001;
    assert!(
        (f.transit_p50_days - exact).abs() / exact < 0.005,
        "p50 {}",
        f.transit_p50_days
    );
    assert!(
        (f.transit_p95_days - exact).abs() / exact < 0.005,
        "p95 {}",
        f.transit_p95_days
    );
}
