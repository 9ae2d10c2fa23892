//! The ceiling for the engine: a minimal hand-written event loop for jackson3 (binary
//! heap, a fast generator, a running sum of times in system, nothing else), measured
//! in the same sitting as `engine` so the two can be compared. Run with
//! `cargo bench --bench minimal`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// Stations of jackson3: (servers, mean service days); arrivals 10 per day.
const STATIONS: [(u32, f64); 3] = [(2, 0.16), (1, 0.08), (3, 0.25)];
const LAMBDA: f64 = 10.0;

fn exp(rng: &mut SmallRng, mean: f64) -> f64 {
    -mean * (1.0 - rng.random::<f64>()).ln()
}

/// Simulates `days` of jackson3; returns (trains, mean time in system).
fn jackson3(days: f64, seed: u64) -> (u64, f64) {
    let mut rng = SmallRng::seed_from_u64(seed);
    // Event: (time bits, sequence, kind): kind 3 = arrival, 0..2 = departure from a
    // station; the train's arrival time travels in the payload.
    let mut heap: BinaryHeap<Reverse<(u64, u64, u8, u64)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut busy = [0u32; 3];
    let mut queues: [VecDeque<u64>; 3] = Default::default();
    let (mut n, mut sum) = (0u64, 0.0);
    let mut push = |heap: &mut BinaryHeap<_>, t: f64, kind: u8, born: u64| {
        seq += 1;
        heap.push(Reverse((t.to_bits(), seq, kind, born)));
    };
    push(&mut heap, exp(&mut rng, 1.0 / LAMBDA), 3, 0);
    while let Some(Reverse((tb, _, kind, born))) = heap.pop() {
        let t = f64::from_bits(tb);
        if t > days {
            break;
        }
        let (station, born) = if kind == 3 {
            push(&mut heap, t + exp(&mut rng, 1.0 / LAMBDA), 3, 0);
            (0, t.to_bits())
        } else {
            let s = kind as usize;
            busy[s] -= 1;
            if let Some(next) = queues[s].pop_front() {
                busy[s] += 1;
                push(&mut heap, t + exp(&mut rng, STATIONS[s].1), kind, next);
            }
            if s == 2 {
                n += 1;
                sum += t - f64::from_bits(born);
                continue;
            }
            (s + 1, born)
        };
        if busy[station] < STATIONS[station].0 {
            busy[station] += 1;
            push(
                &mut heap,
                t + exp(&mut rng, STATIONS[station].1),
                station as u8,
                born,
            );
        } else {
            queues[station].push_back(born);
        }
    }
    (n, sum / n as f64)
}

fn minimal(c: &mut Criterion) {
    let (trains, mean) = jackson3(100_000.0, 1);
    assert!(
        (mean - 1.445568).abs() < 0.05,
        "the minimal loop is jackson3: {mean}"
    );
    let mut g = c.benchmark_group("minimal");
    g.sample_size(10);
    g.throughput(Throughput::Elements(trains));
    g.bench_function("hand-written jackson3 loop 100,000 days (trains/s)", |b| {
        b.iter(|| jackson3(100_000.0, 1))
    });
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, minimal);
}
use group::benches;
criterion_main!(benches);
