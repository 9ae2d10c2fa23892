//! A Rust peer: the two reference models written on nexosim 1.0, the discrete-event
//! framework of the house style's anchors, timed beside corridor's engine in the same
//! sitting. Run with `cargo bench --bench nexosim`.
//!
//! - jackson3: Poisson arrivals at 10 trains per day through three M/M/c stations
//!   (2 servers, mean 0.16 day; 1, 0.08; 3, 0.25); exact mean time in system
//!   1.445568 days.
//! - ferry: Poisson arrivals at 6 trains per day wait at a port for a ferry that
//!   leaves every 0.5 day (from t = 0.5) with at most 4 trains and sails 0.75 day;
//!   exact mean wait 0.383481 day.
//!
//! Both run 100,000 days (1,000 of warm-up) on one thread
//! (`SimInit::with_num_threads(1)`), as `corridor`'s `replication` benchmarks in
//! `benches/engine.rs`, which this file also runs so the figures come from one
//! sitting. Each model is written the way nexosim's documentation writes models: one
//! model per station (or port), trains as messages between them, service ends as
//! self-scheduled events, a generator (xoshiro256++, as corridor's) per model. Before
//! timing, each checks its answer against the exact one.

use std::collections::VecDeque;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nexosim::model::{Context, Model, schedulable};
use nexosim::ports::{Output, QuerySource};
use nexosim::simulation::{Mailbox, SimInit};
use nexosim::time::MonotonicTime;
use serde::{Deserialize, Serialize};

use corridor::input;
use corridor::sim::run_replication;

const DAYS: f64 = 100_000.0;
const WARMUP: f64 = 1_000.0;
const NS_PER_DAY: f64 = 86_400e9;

fn after(days: f64) -> Duration {
    Duration::from_nanos((days * NS_PER_DAY).round() as u64)
}

fn days_at(t: MonotonicTime) -> f64 {
    let d = t.duration_since(MonotonicTime::EPOCH);
    d.as_nanos() as f64 / NS_PER_DAY
}

/// xoshiro256++ with exponential variates by inversion, stored in the models (which
/// nexosim 1.0 requires to be serializable).
#[derive(Clone, Serialize, Deserialize)]
struct Rng64 {
    s: [u64; 4],
}

impl Rng64 {
    fn new(seed: u64) -> Rng64 {
        let mut x = seed;
        let mut s = [0; 4];
        for w in &mut s {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            *w = z ^ (z >> 31);
        }
        Rng64 { s }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    fn exp(&mut self, mean: f64) -> f64 {
        let u = ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        -mean * u.ln()
    }
}

/// A train: when it entered the system (days).
#[derive(Clone, Copy, Serialize, Deserialize)]
struct Train {
    born_days: f64,
}

/// Poisson arrivals.
#[derive(Serialize, Deserialize)]
struct Source {
    mean_gap_days: f64,
    rng: Rng64,
    arrivals: u64,
    out: Output<Train>,
}

#[Model]
impl Source {
    #[nexosim(init)]
    async fn init(&mut self, cx: &Context<Self>) {
        let gap = self.rng.exp(self.mean_gap_days);
        cx.schedule_event(after(gap), schedulable!(Self::arrive), ())
            .expect("a future time");
    }

    #[nexosim(schedulable)]
    async fn arrive(&mut self, _: (), cx: &Context<Self>) {
        self.arrivals += 1;
        self.out
            .send(Train {
                born_days: days_at(cx.time()),
            })
            .await;
        let gap = self.rng.exp(self.mean_gap_days);
        cx.schedule_event(after(gap), schedulable!(Self::arrive), ())
            .expect("a future time");
    }

    async fn arrivals(&mut self, _: ()) -> u64 {
        self.arrivals
    }
}

/// An M/M/c station with a first-in first-out queue.
#[derive(Serialize, Deserialize)]
struct Station {
    servers: u32,
    mean_days: f64,
    busy: u32,
    queue: VecDeque<Train>,
    rng: Rng64,
    out: Output<Train>,
}

#[Model]
impl Station {
    async fn arrive(&mut self, train: Train, cx: &Context<Self>) {
        if self.busy < self.servers {
            self.busy += 1;
            let s = self.rng.exp(self.mean_days);
            cx.schedule_event(after(s), schedulable!(Self::done), train)
                .expect("a future time");
        } else {
            self.queue.push_back(train);
        }
    }

    #[nexosim(schedulable)]
    async fn done(&mut self, train: Train, cx: &Context<Self>) {
        self.out.send(train).await;
        match self.queue.pop_front() {
            Some(next) => {
                let s = self.rng.exp(self.mean_days);
                cx.schedule_event(after(s), schedulable!(Self::done), next)
                    .expect("a future time");
            }
            None => self.busy -= 1,
        }
    }
}

/// Time in system of the trains that arrived after the warm-up.
#[derive(Default, Serialize, Deserialize)]
struct Sink {
    n: u64,
    sum_days: f64,
}

#[Model]
impl Sink {
    async fn arrive(&mut self, train: Train, cx: &Context<Self>) {
        if train.born_days >= WARMUP {
            self.n += 1;
            self.sum_days += days_at(cx.time()) - train.born_days;
        }
    }

    async fn mean(&mut self, _: ()) -> (u64, f64) {
        (self.n, self.sum_days / self.n as f64)
    }
}

/// A port with a timetabled ferry of limited capacity; the crossing is an event.
#[derive(Serialize, Deserialize)]
struct Port {
    capacity: usize,
    sail_days: f64,
    queue: VecDeque<f64>,
    waits: u64,
    wait_sum_days: f64,
    landed: u64,
}

#[Model]
impl Port {
    #[nexosim(init)]
    async fn init(&mut self, cx: &Context<Self>) {
        cx.schedule_periodic_event(after(0.5), after(0.5), schedulable!(Self::depart), ())
            .expect("a future time");
    }

    async fn arrive(&mut self, train: Train) {
        self.queue.push_back(train.born_days);
    }

    #[nexosim(schedulable)]
    async fn depart(&mut self, _: (), cx: &Context<Self>) {
        let now = days_at(cx.time());
        let n = self.capacity.min(self.queue.len());
        for born in self.queue.drain(..n) {
            if born >= WARMUP {
                self.waits += 1;
                self.wait_sum_days += now - born;
            }
        }
        if n > 0 {
            cx.schedule_event(after(self.sail_days), schedulable!(Self::land), n as u64)
                .expect("a future time");
        }
    }

    #[nexosim(schedulable)]
    async fn land(&mut self, n: u64) {
        self.landed += n;
    }

    async fn mean_wait(&mut self, _: ()) -> (u64, f64) {
        (self.waits, self.wait_sum_days / self.waits as f64)
    }
}

/// jackson3 on nexosim: (trains arrived, trains measured, mean time in system).
fn jackson3(seed: u64) -> (u64, u64, f64) {
    let mut source = Source {
        mean_gap_days: 0.1,
        rng: Rng64::new(seed),
        arrivals: 0,
        out: Output::default(),
    };
    let mut stations: Vec<Station> = [(2, 0.16), (1, 0.08), (3, 0.25)]
        .iter()
        .enumerate()
        .map(|(k, &(servers, mean_days))| Station {
            servers,
            mean_days,
            busy: 0,
            queue: VecDeque::new(),
            rng: Rng64::new(seed ^ ((k as u64 + 1) << 32)),
            out: Output::default(),
        })
        .collect();
    let boxes: Vec<Mailbox<Station>> = (0..3).map(|_| Mailbox::new()).collect();
    let (source_box, sink_box) = (Mailbox::new(), Mailbox::new());
    source.out.connect(Station::arrive, &boxes[0]);
    stations[0].out.connect(Station::arrive, &boxes[1]);
    stations[1].out.connect(Station::arrive, &boxes[2]);
    stations[2].out.connect(Sink::arrive, &sink_box);
    let mut bench = SimInit::with_num_threads(1);
    let arrivals = QuerySource::new()
        .connect(Source::arrivals, &source_box)
        .register(&mut bench);
    let mean = QuerySource::new()
        .connect(Sink::mean, &sink_box)
        .register(&mut bench);
    bench = bench.add_model(source, source_box, "source");
    for (k, (st, mbox)) in stations.into_iter().zip(boxes).enumerate() {
        bench = bench.add_model(st, mbox, &format!("station{k}"));
    }
    let mut simu = bench
        .add_model(Sink::default(), sink_box, "sink")
        .init(MonotonicTime::EPOCH)
        .expect("the bench builds");
    simu.step_until(MonotonicTime::EPOCH + after(DAYS))
        .expect("the simulation runs");
    let n = simu.process_query(&arrivals, ()).expect("a reply");
    let (measured, m) = simu.process_query(&mean, ()).expect("a reply");
    (n, measured, m)
}

/// ferry on nexosim: (trains arrived, trains measured, mean wait).
fn ferry(seed: u64) -> (u64, u64, f64) {
    let mut source = Source {
        mean_gap_days: 1.0 / 6.0,
        rng: Rng64::new(seed),
        arrivals: 0,
        out: Output::default(),
    };
    let port = Port {
        capacity: 4,
        sail_days: 0.75,
        queue: VecDeque::new(),
        waits: 0,
        wait_sum_days: 0.0,
        landed: 0,
    };
    let (source_box, port_box) = (Mailbox::new(), Mailbox::new());
    source.out.connect(Port::arrive, &port_box);
    let mut bench = SimInit::with_num_threads(1);
    let arrivals = QuerySource::new()
        .connect(Source::arrivals, &source_box)
        .register(&mut bench);
    let wait = QuerySource::new()
        .connect(Port::mean_wait, &port_box)
        .register(&mut bench);
    let mut simu = bench
        .add_model(source, source_box, "source")
        .add_model(port, port_box, "port")
        .init(MonotonicTime::EPOCH)
        .expect("the bench builds");
    simu.step_until(MonotonicTime::EPOCH + after(DAYS))
        .expect("the simulation runs");
    let n = simu.process_query(&arrivals, ()).expect("a reply");
    let (measured, w) = simu.process_query(&wait, ()).expect("a reply");
    (n, measured, w)
}

/// Checks a mean against its exact value, within a relative tolerance.
fn check(name: &str, got: f64, exact: f64, relative_tolerance: f64) {
    assert!(
        ((got - exact) / exact).abs() < relative_tolerance,
        "{name}: {got} against the exact {exact}"
    );
}

fn nexosim_peer(c: &mut Criterion) {
    // One replication of 100,000 days gives about 10^6 trains; by batch means the
    // mean time in system has a standard error near 0.6% of the mean, the mean wait
    // near 0.4%: 3% and 2% are about five standard errors.
    let (trains, _, mean) = jackson3(1);
    check("nexosim jackson3", mean, 1.445568, 0.03);
    let (ferry_trains, _, wait) = ferry(1);
    check("nexosim ferry", wait, 0.383481, 0.02);
    let mut g = c.benchmark_group("nexosim");
    g.sample_size(10);
    g.throughput(Throughput::Elements(trains));
    g.bench_function("jackson3 100,000 days, 1 thread (trains/s)", |b| {
        b.iter(|| jackson3(1))
    });
    g.throughput(Throughput::Elements(ferry_trains));
    g.bench_function("ferry 100,000 days, 1 thread (trains/s)", |b| {
        b.iter(|| ferry(1))
    });
    g.finish();

    // corridor on the same models and horizon, in the same sitting.
    let mut g = c.benchmark_group("corridor");
    g.sample_size(10);
    for name in ["jackson3", "ferry"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/reference")
            .join(format!("{name}.toml"));
        let (mut scenario, network) = input::load_scenario(&path).expect("scenario loads");
        scenario.run.horizon_days = DAYS;
        scenario.run.warmup_days = WARMUP;
        let model = corridor::sim::Model::new(&network, &scenario).expect("model builds");
        let r = run_replication(&model, 1, 0);
        // All trains that arrived in the horizon, as counted for nexosim.
        let trains = r.flows.iter().map(|f| f.offered).sum::<u64>() as f64 * DAYS / (DAYS - WARMUP);
        g.throughput(Throughput::Elements(trains as u64));
        g.bench_function(format!("{name} 100,000 days, 1 thread (trains/s)"), |b| {
            b.iter(|| run_replication(&model, 1, 0))
        });
    }
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, nexosim_peer);
}
use group::benches;
criterion_main!(benches);
