//! Choosing the warm-up automatically: MSER-5 on the transit times of trains in the
//! order they are delivered, averaged over pilot replications.
//!
//! MSER (White 1997; MSER-5 after Franklin and White) truncates the first `d` batch
//! means of an output series where the standard error of the remaining mean,
//! `sum((z - mean_d)^2) / (n - d)^2`, is smallest, searching the first half only.

use crate::montecarlo::{self, RunSettings};
use crate::network::Network;
use crate::scenario::Scenario;
pub use crate::schema::WarmupChoice;
use crate::schema::WarmupMethod;
use crate::sim::time::{MS_PER_DAY, SimTime};
use crate::sim::{Model, ModelError, Trace};

/// Pilot replications used to choose the warm-up.
const PILOT_REPLICATIONS: u64 = 10;
/// Deliveries wanted per bin of the series, on average over the pilots.
const PER_BIN: f64 = 5.0;
/// Most bins in the series.
const MAX_BINS: f64 = 2000.0;

/// MSER-5: the number of leading observations to drop (a multiple of 5) from a series.
pub fn mser5(series: &[f64]) -> usize {
    let z: Vec<f64> = series
        .chunks_exact(5)
        .map(|c| c.iter().sum::<f64>() / 5.0)
        .collect();
    let n = z.len();
    if n < 2 {
        return 0;
    }
    let mut best = (f64::INFINITY, 0);
    for d in 0..=n / 2 {
        let tail = &z[d..];
        let m = tail.iter().sum::<f64>() / tail.len() as f64;
        let ss: f64 = tail.iter().map(|x| (x - m) * (x - m)).sum();
        let stat = ss / (tail.len() as f64 * tail.len() as f64);
        if stat < best.0 {
            best = (stat, d);
        }
    }
    best.1 * 5
}

/// Sums of transit times by delivery-time bin.
struct Bins {
    bin_ms: u64,
    sums: Vec<f64>,
    counts: Vec<u64>,
}

impl Trace for Bins {
    fn delivered(&mut self, now: SimTime, _train: u64, _flow: u32, transit_days: f64) {
        let b = (now.0 / self.bin_ms) as usize;
        if b < self.sums.len() {
            self.sums[b] += transit_days;
            self.counts[b] += 1;
        }
    }
}

/// Chooses the warm-up of a scenario by MSER-5 over pilot replications (the first
/// few replication streams, run with no warm-up); the warm-up is at most half the
/// horizon.
pub fn auto_warmup(
    scenario: &Scenario,
    network: &Network,
    threads: Option<usize>,
) -> Result<WarmupChoice, ModelError> {
    let mut pilot = scenario.clone();
    pilot.run.warmup_days = 0.0;
    let model = Model::new(network, &pilot)?;
    let horizon = scenario.run.horizon_days;
    let reps = PILOT_REPLICATIONS.min(scenario.run.replications.max(2));
    let per_day = scenario.offered_trains_per_week() / crate::summary::DAYS_PER_WEEK * reps as f64;
    let bin_days = (PER_BIN / per_day.max(1e-9)).max(horizon / MAX_BINS);
    let n_bins = (horizon / bin_days).ceil() as usize;
    let bin_ms = ((bin_days * MS_PER_DAY) as u64).max(1);
    let settings = RunSettings {
        seed: scenario.run.seed,
        first: 0,
        replications: reps,
        threads,
    };
    let runs = montecarlo::run_traced(&model, &settings, |_| Bins {
        bin_ms,
        sums: vec![0.0; n_bins],
        counts: vec![0; n_bins],
    });
    let (mut sums, mut counts) = (vec![0.0; n_bins], vec![0u64; n_bins]);
    for (_, b) in &runs {
        for k in 0..n_bins {
            sums[k] += b.sums[k];
            counts[k] += b.counts[k];
        }
    }
    // The series: mean transit per non-empty bin, remembering where each bin starts.
    let (times, series): (Vec<f64>, Vec<f64>) = (0..n_bins)
        .filter(|&k| counts[k] > 0)
        .map(|k| (k as f64 * bin_days, sums[k] / counts[k] as f64))
        .unzip();
    let cut = mser5(&series);
    let warmup_days = times.get(cut).copied().unwrap_or(0.0).min(horizon / 2.0);
    Ok(WarmupChoice {
        warmup_days,
        method: WarmupMethod::Mser5,
        pilot_replications: reps,
        bin_days,
        batches: series.len() / 5,
        truncated_batches: cut / 5,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mser5_cuts_an_initial_transient() {
        // 100 observations rising from 0 to 10 over the first 40, then level at 10
        // with small alternating noise.
        let series: Vec<f64> = (0..200)
            .map(|i| {
                if i < 40 {
                    i as f64 / 4.0
                } else {
                    10.0 + if i % 2 == 0 { 0.1 } else { -0.1 }
                }
            })
            .collect();
        let cut = mser5(&series);
        assert!((35..=45).contains(&cut), "cut {cut}");
        // A stationary series is not cut.
        let flat: Vec<f64> = (0..200)
            .map(|i| if i % 3 == 0 { 1.0 } else { 0.0 })
            .collect();
        assert!(mser5(&flat) <= 10, "{}", mser5(&flat));
    }
}
