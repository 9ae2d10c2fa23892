//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use corridor::error::FileProblems;
use corridor::input;
use corridor::network::Network;

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `corridor` binary with `args` in `dir`.
pub(crate) fn corridor(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the corridor binary runs")
}

/// Stdout and stderr of a finished command, as text.
pub(crate) fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The problems of a network text, rendered as `net.toml:LINE:COL: message` lines.
pub(crate) fn network_problems(text: &str) -> String {
    match input::parse_network(text) {
        Ok(_) => String::from("ok"),
        Err(problems) => FileProblems {
            path: "net.toml".into(),
            text: text.to_string(),
            problems,
        }
        .to_string(),
    }
}

/// The problems of a scenario text against a network text.
pub(crate) fn scenario_problems(network: &str, scenario: &str) -> String {
    let net: Network = input::parse_network(network).expect("the test network is valid");
    match input::parse_scenario(scenario, Path::new("sc.toml"), net) {
        Ok(_) => String::from("ok"),
        Err(problems) => FileProblems {
            path: "sc.toml".into(),
            text: scenario.to_string(),
            problems,
        }
        .to_string(),
    }
}

/// A small valid network: rail a–b (1520 mm), gauge change at b, rail b–c (1435 mm),
/// a two-way ferry c–d, and a one-way rail leg d–e.
pub(crate) const NET: &str = r#"
[network]
name = "test"

[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "rail_terminal"
resource = { servers = 2, service_days = { dist = "exponential", mean = 0.2 } }

[[node]]
id = "b"
lat = 41.0
lon = 51.0
kind = "gauge_change"
resource = { servers = 1, service_days = 0.1, gauge_change = "bogie_exchange" }

[[node]]
id = "c"
lat = 42.0
lon = 52.0
kind = "sea_port"

[[node]]
id = "d"
lat = 43.0
lon = 53.0
kind = "sea_port"

[[node]]
id = "e"
lat = 44.0
lon = 54.0
kind = "junction"

[[leg]]
from = "a"
to = "b"
mode = "rail"
length_km = 100
travel_days = { dist = "lognormal", mean = 1.0, cv = 0.2 }
capacity_trains_per_day = 10
gauge_mm = 1520

[[leg]]
from = "b"
to = "c"
mode = "rail"
length_km = 100
travel_days = 0.5
gauge_mm = 1435

[[leg]]
id = "ferry"
from = "c"
to = "d"
mode = "sea"
length_km = 300
[leg.ferry]
vessels = 2
wagons_per_sailing = 54
departure = { rule = "when_full", max_wait_days = 1 }
sailing_days = 1
turnaround_days = 0.5

[[leg]]
from = "d"
to = "e"
mode = "rail"
length_km = 50
travel_days = 0.2
gauge_mm = 1435
one_way = true
"#;

/// A valid scenario on [`NET`].
pub(crate) const SCENARIO: &str = r#"
name = "test"
network = "net.toml"
horizon_days = 200
warmup_days = 20
replications = 4
seed = 7

[[flow]]
from = "a"
to = "e"
trains_per_week = 5
train = { wagons = 50, teu = 100, tonnes = 1400 }
"#;

/// Loads a scenario file of the repository and runs it with the given settings.
pub(crate) fn run_file(
    rel: &str,
    horizon_days: f64,
    warmup_days: f64,
    replications: u64,
    threads: Option<usize>,
) -> (
    corridor::summary::Summary,
    corridor::montecarlo::RunOutput,
    corridor::sim::Model,
) {
    let (mut scenario, network) = input::load_scenario(&root().join(rel)).expect("scenario loads");
    scenario.run.horizon_days = horizon_days;
    scenario.run.warmup_days = warmup_days;
    scenario.run.replications = replications;
    run_loaded(&scenario, &network, threads)
}

/// Runs a loaded scenario with its own settings.
pub(crate) fn run_loaded(
    scenario: &corridor::scenario::Scenario,
    network: &Network,
    threads: Option<usize>,
) -> (
    corridor::summary::Summary,
    corridor::montecarlo::RunOutput,
    corridor::sim::Model,
) {
    let model = corridor::sim::Model::new(network, scenario).expect("model builds");
    let settings = corridor::montecarlo::RunSettings {
        seed: scenario.run.seed,
        first: 0,
        replications: scenario.run.replications,
        threads,
    };
    let out = corridor::montecarlo::run(&model, &settings, corridor::montecarlo::Control::none());
    let stats = corridor::summary::RunStats::of(&model, &out, corridor::summary::Keep::Nothing);
    let summary = corridor::summary::Summary::new(scenario, &model, &stats);
    (summary, out, model)
}

/// Parses a network and a scenario given as text (the scenario's `network` key is
/// ignored) and runs it.
pub(crate) fn run_text(
    network: &str,
    scenario: &str,
) -> (
    corridor::summary::Summary,
    corridor::montecarlo::RunOutput,
    corridor::sim::Model,
) {
    let net = input::parse_network(network).unwrap_or_else(|p| panic!("network: {p:?}"));
    let (sc, net) = input::parse_scenario(scenario, Path::new("sc.toml"), net)
        .unwrap_or_else(|p| panic!("scenario: {p:?}"));
    run_loaded(&sc, &net, None)
}

/// A rail line a→b between two terminals: `station` is the resource table of `a` (or
/// empty), `travel` the line's `travel_days` value, `extra` further lines of the leg
/// (e.g. `capacity_trains_per_day = 1`, or empty).
pub(crate) fn line_network(station: &str, travel: &str, extra: &str) -> String {
    format!(
        r#"
[network]
name = "t"

[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "rail_terminal"
{station}

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
travel_days = {travel}
gauge_mm = 1520
{extra}
"#
    )
}
