//! Uncertain inputs: ranges drawn once per replication (second-order Monte Carlo),
//! their sensitivity table, their errors and their determinism.

use std::path::Path;

use corridor::input;
use corridor::scenario::InputMode;

use crate::support::{corridor, line_network, network_problems, root, run_loaded, text};

/// Arrival rate of the M/M/1 line (trains per day).
const LAMBDA: f64 = 0.5;
/// Mean service time at the point value (days); the uncertain factor scales it.
const SERVICE_MEAN: f64 = 1.0;
/// The factor on the service time is uniform on [A, B].
const A: f64 = 0.5;
/// See [`A`].
const B: f64 = 1.5;

/// Mean wait in queue of an M/M/1 queue with arrival rate `LAMBDA` and mean service
/// `m`: Wq = rho m / (1 - rho), rho = LAMBDA m.
fn mm1_wait(m: f64) -> f64 {
    let rho = LAMBDA * m;
    rho * m / (1.0 - rho)
}

/// E[Wq(SERVICE_MEAN s)] for s uniform on [A, B], by Simpson's rule on 2,000 panels
/// (the integrand is smooth; the rule's error is far below 1e-9 here).
fn mixture_wait() -> f64 {
    let n = 2000;
    let h = (B - A) / n as f64;
    let f = |s: f64| mm1_wait(SERVICE_MEAN * s);
    let mut sum = f(A) + f(B);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(A + i as f64 * h);
    }
    sum * h / 3.0 / (B - A)
}

/// A one-station line: `a` is an M/M/1 queue (one server, exponential service with
/// an uncertain factor), then a fixed one-day trip to `b`; `extra_node` adds nodes.
fn mm1_network(extra_node: &str) -> String {
    let station = format!(
        "resource = {{ servers = 1, service_days = {{ dist = \"exponential\", mean = {SERVICE_MEAN}, scale = {{ min = {A}, max = {B} }} }} }}"
    );
    let mut net = line_network(&station, "1.0", "");
    net.push_str(extra_node);
    net
}

fn mm1_scenario(replications: u64, horizon_days: u64) -> String {
    format!(
        r#"
name = "mm1-uncertain"
network = "net.toml"
horizon_days = {horizon_days}
warmup_days = 200
replications = {replications}
seed = 17

[[flow]]
from = "a"
to = "b"
trains_per_week = {}
train = {{ wagons = 50, teu = 100 }}
"#,
        LAMBDA * 7.0
    )
}

fn load(
    network: &str,
    scenario: &str,
    mode: InputMode,
) -> (corridor::scenario::Scenario, corridor::network::Network) {
    let net = input::parse_network(network).unwrap_or_else(|p| panic!("network: {p:?}"));
    let (mut sc, net) = input::parse_scenario(scenario, Path::new("sc.toml"), net)
        .unwrap_or_else(|p| panic!("scenario: {p:?}"));
    sc.inputs = mode;
    (sc, net)
}

/// The station's mean wait over replications and four standard errors of it.
fn station_wait(summary: &corridor::summary::Summary) -> (f64, f64) {
    let r = summary
        .resources
        .iter()
        .find(|r| r.id == "a")
        .expect("station a is reported");
    let e = &r.wait_days;
    let [lo, hi] = e.ci95.expect("an interval over replications");
    // The interval is mean +- t(0.975) SE; four SE is about twice its half-width.
    (e.mean, 4.0 * (hi - lo) / 2.0 / 1.97)
}

#[test]
fn an_uncertain_service_time_gives_the_mixture_of_mm1_waits_and_fixed_gives_the_point() {
    let network = mm1_network("");
    // 1,000 replications of 5,000 observed days: the spread of their waits comes
    // mostly from the drawn factor (Wq from 0.14 to 4.5 days), so four standard
    // errors are about 0.15 days, well below the gap between the mixture and the
    // point value.
    let scenario = mm1_scenario(1000, 5200);
    // Sampled: each replication's wait is Wq at its drawn factor; their mean is the
    // mixture E_s[Wq(s)], here 1.3944 days against 1.0 at the point value.
    let (sc, net) = load(&network, &scenario, InputMode::Sampled);
    assert_eq!(sc.uncertain.len(), 1);
    assert_eq!(sc.uncertain[0].label, "a.service_days");
    let (summary, out, model) = run_loaded(&sc, &net, None);
    assert_eq!(model.uncertain_inputs().len(), 1);
    let draws: Vec<f64> = out.replications.iter().map(|r| r.inputs[0]).collect();
    assert!(
        draws.iter().all(|s| (A..B).contains(s)),
        "draws within the range"
    );
    let (wait, tol) = station_wait(&summary);
    let exact = mixture_wait();
    assert!(
        (wait - exact).abs() < tol,
        "sampled: mean wait {wait:.4} d, exact mixture {exact:.4} d, tolerance (4 SE) {tol:.4}"
    );
    assert!(
        (wait - mm1_wait(SERVICE_MEAN)).abs() > tol,
        "sampled: mean wait {wait:.4} d is not told from the point value's"
    );
    // Fixed: every replication at the point factor 1, the M/M/1 wait at rho = 0.5.
    let (sc, net) = load(&network, &scenario, InputMode::Fixed);
    let (summary, out, model) = run_loaded(&sc, &net, None);
    assert!(model.uncertain_inputs().is_empty());
    assert!(out.replications.iter().all(|r| r.inputs.is_empty()));
    let (wait, tol) = station_wait(&summary);
    let point = mm1_wait(SERVICE_MEAN);
    assert!(
        (wait - point).abs() < tol,
        "fixed: mean wait {wait:.4} d, exact {point:.4} d, tolerance (4 SE) {tol:.4}"
    );
    assert!(summary.sensitivity.is_empty());
}

#[test]
fn sensitivity_ranks_the_service_time_above_an_input_without_effect() {
    // A node no route passes, with an uncertain number of servers: it cannot move
    // any figure, so its coefficient is sampling noise, within 4 / sqrt(R) of 0.
    let dummy = r#"
[[node]]
id = "idle"
lat = 42.0
lon = 52.0
kind = "rail_terminal"
resource = { servers = { min = 1, mode = 3, max = 9 }, service_days = 1 }
"#;
    let network = mm1_network(dummy);
    let scenario = mm1_scenario(200, 5200);
    let (sc, net) = load(&network, &scenario, InputMode::Sampled);
    let (summary, _, _) = run_loaded(&sc, &net, None);
    let row = |figure: &str, input: &str| {
        summary
            .sensitivity
            .iter()
            .find(|r| r.figure == figure && r.input == input)
            .unwrap_or_else(|| panic!("no row for {figure} / {input}"))
            .clone()
    };
    let service = row("transit_days_mean", "a.service_days");
    let idle = row("transit_days_mean", "idle.servers");
    assert_eq!(service.rank, 1, "{service:?}");
    assert_eq!(idle.rank, 2, "{idle:?}");
    assert!(service.coefficient > 0.5, "{service:?}");
    assert!(
        idle.coefficient.abs() < idle.noise_bound,
        "{idle:?}: a dummy's coefficient must be within 4/sqrt(R) of 0"
    );
    assert_eq!(idle.replications, 200);
    // Longer service, busier station.
    assert!(row("busiest_utilization", "a.service_days").coefficient > 0.5);
}

#[test]
fn bad_ranges_are_located_errors_that_say_why() {
    let min_above_max = line_network(
        "resource = { servers = { min = 8, mode = 6, max = 4 }, service_days = 1 }",
        "1.0",
        "",
    );
    let e = network_problems(&min_above_max);
    assert!(
        e.contains("net.toml:10:24:") && e.contains("min (8) is above its max (4)"),
        "{e}"
    );
    let coordinate =
        line_network("", "1.0", "").replace("lat = 40.0", "lat = { min = 39.0, max = 41.0 }");
    let e = network_problems(&coordinate);
    assert!(
        e.contains("net.toml:7:")
            && e.contains("`lat` cannot be a range")
            && e.contains("coordinates"),
        "{e}"
    );
    let length = line_network("", "1.0", "").replace(
        "length_km = 100",
        "length_km = { min = 90, mode = 100, max = 120 }",
    );
    let e = network_problems(&length);
    assert!(
        e.contains("`length_km` cannot be a range")
            && e.contains("routes are chosen once at day 0"),
        "{e}"
    );
    // A range in an override of a number that only chooses routes, and one in a
    // dated override.
    let net = line_network("resource = { servers = 2, service_days = 1 }", "1.0", "");
    let base = mm1_scenario(2, 400);
    let tariff = format!(
        "{base}\n[[override]]\ntarget = \"a-b\"\nparam = \"tariff_usd_per_teu\"\nvalue = {{ min = 1, max = 2 }}\n"
    );
    let e = crate::support::scenario_problems(&net, &tariff);
    assert!(
        e.contains("sc.toml:") && e.contains("chosen once at day 0"),
        "{e}"
    );
    let dated = format!(
        "{base}\n[[override]]\ntarget = \"a\"\nparam = \"servers\"\nvalue = {{ min = 1, max = 3 }}\nfrom = 100\n"
    );
    let e = crate::support::scenario_problems(&net, &dated);
    assert!(e.contains("a dated override cannot be a range"), "{e}");
}

#[test]
fn uncertain_runs_are_the_same_bytes_on_one_and_two_threads_and_merge_exactly() {
    let dir = tempfile::tempdir().unwrap();
    // One file each (shards need a scenario without `extends`): ranges in the
    // network (the service factor) and in an override (the line's capacity).
    std::fs::write(dir.path().join("net.toml"), mm1_network("")).unwrap();
    let scenario = format!(
        "{}\n[[override]]\ntarget = \"a-b\"\nparam = \"capacity_trains_per_day\"\nvalue = {{ min = 2, mode = 4, max = 10 }}\n",
        mm1_scenario(12, 400)
    );
    std::fs::write(dir.path().join("sc.toml"), scenario).unwrap();
    let settings = ["--quiet", "--no-plots"];
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "sc.toml"];
        args.extend(settings);
        args.extend(extra);
        let o = corridor(dir.path(), &args);
        let (out, err) = text(&o);
        assert!(o.status.success(), "stdout:\n{out}\nstderr:\n{err}");
    };
    run(&["--threads", "1", "--out", "one"]);
    run(&["--threads", "2", "--out", "two"]);
    for i in [1, 0, 2] {
        run(&[
            "--threads",
            "2",
            "--shard",
            &format!("{i}/3"),
            "--out",
            "parts",
        ]);
    }
    let o = corridor(
        dir.path(),
        &["merge", "parts", "--out", "merged", "--quiet", "--no-plots"],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let read = |d: &str, f: &str| std::fs::read(dir.path().join(d).join(f)).unwrap();
    for f in ["replications.csv", "sensitivity.csv", "summary.json"] {
        assert!(
            read("one", f) == read("two", f),
            "{f} differs between 1 and 2 threads"
        );
        assert!(
            read("one", f) == read("merged", f),
            "{f} differs after the merge"
        );
    }
    let csv = String::from_utf8(read("one", "replications.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",events,a.service_days,a-b.capacity_trains_per_day"),
        "{header}"
    );
    assert_eq!(csv.lines().count(), 13, "a header and 12 rows");
    let manifest = String::from_utf8(read("one", "manifest.json")).unwrap();
    assert!(manifest.contains("\"inputs\": \"sampled\""), "{manifest}");
    // Fixed inputs: no input columns and no sensitivity.
    run(&["--threads", "2", "--inputs", "fixed", "--out", "fixed"]);
    let fixed = String::from_utf8(read("fixed", "replications.csv")).unwrap();
    assert!(fixed.lines().next().unwrap().ends_with(",events"));
    assert!(!dir.path().join("fixed/sensitivity.csv").exists());
    let manifest = String::from_utf8(read("fixed", "manifest.json")).unwrap();
    assert!(manifest.contains("\"inputs\": \"fixed\""), "{manifest}");
}

#[test]
fn the_demonstration_scenario_draws_its_three_inputs() {
    let (mut scenario, network) =
        input::load_scenario(&root().join("scenarios/examples/uncertain-demo.toml"))
            .expect("the demonstration loads");
    let labels: Vec<&str> = scenario
        .uncertain
        .iter()
        .map(|u| u.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "altynkol.service_days",
            "aktau-alat.ferry.vessels",
            "aktau-alat.ferry.weather.closures_per_year"
        ]
    );
    scenario.run.horizon_days = 60.0;
    scenario.run.warmup_days = 10.0;
    scenario.run.replications = 3;
    let (_, out, _) = run_loaded(&scenario, &network, None);
    for r in &out.replications {
        assert_eq!(r.inputs.len(), 3);
        assert!((0.4..=1.15).contains(&r.inputs[0]), "{:?}", r.inputs);
        assert!([4.0, 5.0, 6.0].contains(&r.inputs[1]), "{:?}", r.inputs);
    }
}
