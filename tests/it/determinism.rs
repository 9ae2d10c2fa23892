//! Same inputs and seed give byte-identical results whatever the number of threads.

use corridor::montecarlo::{self, RunSettings};
use corridor::report;
use corridor::summary::Summary;

use crate::support::{NET, SCENARIO, corridor, root, run_file};

#[test]
fn summary_bytes_do_not_depend_on_threads() {
    let (one, _, _) = run_file(
        "scenarios/reference/jackson3.toml",
        2_000.0,
        100.0,
        6,
        Some(1),
    );
    let (two, _, _) = run_file(
        "scenarios/reference/jackson3.toml",
        2_000.0,
        100.0,
        6,
        Some(2),
    );
    assert_eq!(report::summary_json(&one), report::summary_json(&two));
}

#[test]
fn parallel_runs_equal_the_sequential_reference() {
    let (scenario, network) =
        corridor::input::load_scenario(&root().join("scenarios/reference/ferry.toml")).unwrap();
    let mut scenario = scenario;
    scenario.run.horizon_days = 2_000.0;
    scenario.run.warmup_days = 100.0;
    let model = corridor::sim::Model::new(&network, &scenario).unwrap();
    let settings = RunSettings {
        seed: 9,
        first: 0,
        replications: 5,
        threads: Some(2),
    };
    let par = montecarlo::run(&model, &settings, montecarlo::Control::none());
    let seq = montecarlo::run_sequential(&model, &settings);
    let a = report::summary_json(&Summary::new(&scenario, &model, &par));
    let b = report::summary_json(&Summary::new(&scenario, &model, &seq));
    assert_eq!(a, b);
    // A different seed gives different results.
    let other = montecarlo::run(
        &model,
        &RunSettings {
            seed: 10,
            ..settings
        },
        montecarlo::Control::none(),
    );
    assert_ne!(
        a,
        report::summary_json(&Summary::new(&scenario, &model, &other))
    );
}

#[test]
fn the_cli_writes_identical_files_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("net.toml"), NET).unwrap();
    std::fs::write(dir.path().join("sc.toml"), SCENARIO).unwrap();
    for t in ["1", "2"] {
        let o = corridor(
            dir.path(),
            &["run", "sc.toml", "--threads", t, "--out", t, "--quiet"],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in [
        "summary.json",
        "flows.csv",
        "resources.csv",
        "replications.csv",
    ] {
        let a = std::fs::read(dir.path().join("1").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("2").join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 2 threads");
    }
}
