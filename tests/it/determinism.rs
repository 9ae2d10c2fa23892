//! Same inputs and seed give byte-identical results whatever the number of threads.

use corridor::montecarlo::{self, Both, RunOutput, RunSettings};
use corridor::report;
use corridor::summary::{Keep, RunStats, Summary};

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
    let of = |out: &RunOutput| RunStats::of(&model, out, Keep::Nothing);
    let a = report::summary_json(&Summary::new(&scenario, &model, &of(&par)));
    let b = report::summary_json(&Summary::new(&scenario, &model, &of(&seq)));
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
        report::summary_json(&Summary::new(&scenario, &model, &of(&other)))
    );
}

/// Replications streamed into the statistics as they finish (more than one batch of
/// the reorder buffer, on 1 and 3 threads) give the bytes of the same replications
/// collected first and folded afterwards (as replays and merged shards are), and the
/// rows streamed to `replications.csv` are those of the collected run.
#[test]
fn streamed_statistics_equal_collected_ones() {
    let (mut scenario, network) =
        corridor::input::load_scenario(&root().join("scenarios/reference/ferry.toml")).unwrap();
    scenario.run.horizon_days = 60.0;
    scenario.run.warmup_days = 5.0;
    let model = corridor::sim::Model::new(&network, &scenario).unwrap();
    let settings = |threads| RunSettings {
        seed: 4,
        first: 0,
        replications: montecarlo::BATCH + 37,
        threads: Some(threads),
    };
    let collected = montecarlo::run_sequential(&model, &settings(1));
    let want_stats = RunStats::of(&model, &collected, Keep::Flows);
    let want = report::summary_json(&Summary::new(&scenario, &model, &want_stats));
    let want_rows = report::replications_csv(&scenario.name, &model, &collected);
    for threads in [1, 3] {
        let mut stats = RunStats::new(&model, Keep::Flows);
        let mut rows = report::ReplicationsCsv::new(&scenario.name, None, &model, Vec::new(), true);
        montecarlo::run_into(
            &model,
            &settings(threads),
            montecarlo::Control::none(),
            &mut Both(&mut stats, &mut rows),
        );
        assert_eq!(stats.replications, montecarlo::BATCH + 37);
        let got = report::summary_json(&Summary::new(&scenario, &model, &stats));
        assert_eq!(got, want, "{threads} threads");
        assert_eq!(
            format!("{:?}", stats.flow_series),
            format!("{:?}", want_stats.flow_series)
        );
        let rows = String::from_utf8(rows.finish().unwrap()).unwrap();
        assert_eq!(rows, want_rows, "{threads} threads");
    }
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

/// A fold sees every replication once, in index order, across the batches of the
/// reorder buffer and whatever the first index; a cancelled run stops feeding it.
#[test]
fn folds_see_replications_in_index_order() {
    struct Indices(Vec<u64>);
    impl montecarlo::Fold for Indices {
        fn push(&mut self, r: &corridor::sim::ReplicationResult) {
            self.0.push(r.index);
        }
    }
    let (mut scenario, network) =
        corridor::input::load_scenario(&root().join("scenarios/reference/ferry.toml")).unwrap();
    scenario.run.horizon_days = 20.0;
    scenario.run.warmup_days = 1.0;
    let model = corridor::sim::Model::new(&network, &scenario).unwrap();
    let settings = RunSettings {
        seed: 1,
        first: 5,
        replications: 2 * montecarlo::BATCH + 3,
        threads: Some(2),
    };
    let mut seen = Indices(Vec::new());
    montecarlo::run_into(&model, &settings, montecarlo::Control::none(), &mut seen);
    assert_eq!(
        seen.0,
        (5..5 + 2 * montecarlo::BATCH + 3).collect::<Vec<_>>()
    );
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let control = montecarlo::Control {
        on_done: &|| {},
        cancel: &cancel,
    };
    let mut none = Indices(Vec::new());
    montecarlo::run_into(&model, &settings, control, &mut none);
    assert!(none.0.is_empty());
}
