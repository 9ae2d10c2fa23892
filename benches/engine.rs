//! Benchmarks of the engine: one replication of the reference models and of the 2024
//! corridor scenario. Run with `cargo bench --bench engine`.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use corridor::input;
use corridor::sim::{Model, run_replication};

fn model(rel: &str, horizon: f64, warmup: f64) -> (Model, u64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let (mut scenario, network) = input::load_scenario(&path).expect("scenario loads");
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

fn engine(c: &mut Criterion) {
    let mut g = c.benchmark_group("replication");
    g.sample_size(10);
    for (name, rel) in [
        ("jackson3", "scenarios/reference/jackson3.toml"),
        ("ferry", "scenarios/reference/ferry.toml"),
    ] {
        let (m, trains) = model(rel, 10_000.0, 0.0);
        g.throughput(Throughput::Elements(trains));
        g.bench_function(format!("{name} 10,000 days (trains/s)"), |b| {
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

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, engine);
}
use group::benches;
criterion_main!(benches);
