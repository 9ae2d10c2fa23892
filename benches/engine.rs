//! Benchmarks of the engine and the experiments built on it. Run with
//! `cargo bench --bench engine`; each benchmark's name says the figure it reports
//! (criterion prints it as "thrpt").
//!
//! - one replication of jackson3 and of ferry, 100,000 days (trains/s);
//! - one replication of the 2024 corridor scenario, one year (trains/s);
//! - a full run of the 2024 scenario, 100 replications, on 1 and 2 threads
//!   (replications/s);
//! - a 10-point demand sweep of the 2024 scenario, 100 replications per point
//!   (replications/s).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use corridor::experiment::apply_sweep;
use corridor::input;
use corridor::montecarlo::{self, Control, RunSettings};
use corridor::network::Network;
use corridor::scenario::{Scenario, SweepParam};
use corridor::sim::{Model, run_replication};
use corridor::summary::{Keep, RunStats};

fn load(rel: &str) -> (Scenario, Network) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    input::load_scenario(&path).expect("scenario loads")
}

fn model(rel: &str, horizon: f64, warmup: f64) -> (Model, u64) {
    let (mut scenario, network) = load(rel);
    scenario.run.horizon_days = horizon;
    scenario.run.warmup_days = warmup;
    let model = Model::new(&network, &scenario).expect("model builds");
    let trains = run_replication(&model, 1, 0)
        .flows
        .iter()
        .map(|f| f.offered)
        .sum();
    (model, trains)
}

fn replications(c: &mut Criterion) {
    let mut g = c.benchmark_group("replication");
    g.sample_size(10);
    for (name, rel) in [
        ("jackson3", "scenarios/reference/jackson3.toml"),
        ("ferry", "scenarios/reference/ferry.toml"),
    ] {
        let (m, trains) = model(rel, 100_000.0, 0.0);
        g.throughput(Throughput::Elements(trains));
        g.bench_function(format!("{name} 100,000 days (trains/s)"), |b| {
            b.iter(|| run_replication(&m, 1, 0))
        });
    }
    let (m, trains) = model("scenarios/middle-corridor-2024.toml", 395.0, 30.0);
    g.throughput(Throughput::Elements(trains));
    g.bench_function("middle-corridor-2024 one year (trains/s)", |b| {
        b.iter(|| run_replication(&m, 1, 0))
    });
    g.finish();
}

/// Runs replications the way `corridor run` and `sweep` do: folded into streaming
/// statistics as they finish.
fn stream(m: &Model, settings: &RunSettings, keep: Keep) -> RunStats {
    let mut stats = RunStats::new(m, keep);
    montecarlo::run_into(m, settings, Control::none(), &mut stats);
    stats
}

fn runs(c: &mut Criterion) {
    let (scenario, network) = load("scenarios/middle-corridor-2024.toml");
    let m = Model::new(&network, &scenario).expect("model builds");
    let mut g = c.benchmark_group("run");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100));
    for threads in [1, 2] {
        let settings = RunSettings {
            seed: 1,
            first: 0,
            replications: 100,
            threads: Some(threads),
        };
        g.bench_function(
            format!("middle-corridor-2024 100 replications, {threads} thread(s) (replications/s)"),
            |b| b.iter(|| stream(&m, &settings, Keep::Nothing)),
        );
    }
    let points: Vec<Model> = (1..=10)
        .map(|i| {
            let (s, n) = apply_sweep(&scenario, &network, SweepParam::Demand, 0.25 * i as f64)
                .expect("value applies");
            Model::new(&n, &s).expect("model builds")
        })
        .collect();
    g.throughput(Throughput::Elements(1000));
    g.bench_function(
        "middle-corridor-2024 10-point demand sweep x 100 replications (replications/s)",
        |b| {
            b.iter(|| {
                for m in &points {
                    let settings = RunSettings {
                        seed: 1,
                        first: 0,
                        replications: 100,
                        threads: None,
                    };
                    stream(m, &settings, Keep::Overall);
                }
            })
        },
    );
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, replications, runs);
}
use group::benches;
criterion_main!(benches);
