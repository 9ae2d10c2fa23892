//! Replications in parallel: the only module that knows rayon.
//!
//! **Invariant:** results are bit-identical for any number of threads. Replication
//! `i` draws only from its own random streams (see [`crate::sim::component_rng`]);
//! per-replication figures are put back in index order; the pooled transit-time
//! histograms are integer counts, whose sums do not depend on the order of addition.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::sim::{Model, ReplicationResult, Trace, run_replication, run_replication_traced};
use crate::stats::{GridSummary, Histogram};

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSettings {
    /// Master seed.
    pub seed: u64,
    /// First replication index (0 for a fresh run; more when adding replications).
    pub first: u64,
    /// Number of replications.
    pub replications: u64,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

/// The figures of all replications.
#[derive(Clone, Debug, Default)]
pub struct RunOutput {
    /// Per replication, in index order; their transit histograms are emptied into
    /// `pooled` to keep memory flat.
    pub replications: Vec<ReplicationResult>,
    /// Per flow, transit times of all delivered trains of all replications.
    pub pooled: Vec<Histogram>,
    /// Per flow and route, the same.
    pub pooled_routes: Vec<Vec<Histogram>>,
    /// Results over time across replications (periods × series columns), if the
    /// model has time series; each replication's series is folded in here and dropped.
    pub series: Option<GridSummary>,
}

impl RunOutput {
    /// Adds another run's replications (e.g. more replications of the same model).
    pub fn extend(&mut self, other: RunOutput) {
        merge_pooled(&mut self.pooled, &other.pooled);
        if self.pooled_routes.len() < other.pooled_routes.len() {
            self.pooled_routes
                .resize_with(other.pooled_routes.len(), Vec::new);
        }
        for (a, b) in self.pooled_routes.iter_mut().zip(&other.pooled_routes) {
            merge_pooled(a, b);
        }
        self.replications.extend(other.replications);
        self.replications.sort_by_key(|r| r.index);
        match (&mut self.series, other.series) {
            (Some(a), Some(b)) => a.merge(&b),
            (a @ None, b) => *a = b,
            _ => {}
        }
    }

    /// The output of replications run elsewhere (e.g. a replay), in the given order.
    pub fn of(results: Vec<ReplicationResult>) -> RunOutput {
        let mut out = RunOutput::default();
        for r in results {
            absorb(&mut out, r);
        }
        out
    }

    /// All flows' pooled transit times together.
    pub fn pooled_all(&self) -> Histogram {
        let mut all = Histogram::new();
        for h in &self.pooled {
            all.merge(h);
        }
        all
    }
}

/// How a caller follows and stops a run.
#[derive(Clone, Copy)]
pub struct Control<'a> {
    /// Called (from worker threads) after each replication, e.g. to tick a progress bar.
    pub on_done: &'a (dyn Fn() + Sync),
    /// When set, replications not yet started are skipped (e.g. on Ctrl-C); the output
    /// is then incomplete and should be discarded.
    pub cancel: &'a AtomicBool,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}

impl Control<'static> {
    /// No progress reporting, never cancelled.
    pub fn none() -> Control<'static> {
        static NEVER: AtomicBool = AtomicBool::new(false);
        Control {
            on_done: &|| {},
            cancel: &NEVER,
        }
    }
}

/// The number of worker threads a run uses when none is asked for (one per core).
pub fn default_threads() -> usize {
    rayon::current_num_threads()
}

/// Runs the replications on a pool of `settings.threads` threads.
pub fn run(model: &Model, settings: &RunSettings, control: Control<'_>) -> RunOutput {
    let work = || {
        (settings.first..settings.first + settings.replications)
            .into_par_iter()
            .fold(RunOutput::default, |mut acc, i| {
                if !control.cancel.load(Ordering::Relaxed) {
                    absorb(&mut acc, run_replication(model, settings.seed, i));
                    (control.on_done)();
                }
                acc
            })
            .reduce(RunOutput::default, |mut a, b| {
                a.extend(b);
                a
            })
    };
    let mut out = match settings.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        },
        None => work(),
    };
    out.replications.sort_by_key(|r| r.index);
    out
}

/// Runs replications with a trace each (made by `make_trace`), in parallel; returns
/// the results and traces in index order.
pub fn run_traced<T, F>(
    model: &Model,
    settings: &RunSettings,
    make_trace: F,
) -> Vec<(ReplicationResult, T)>
where
    T: Trace + Send,
    F: Fn(u64) -> T + Sync,
{
    let work = || {
        (settings.first..settings.first + settings.replications)
            .into_par_iter()
            .map(|i| {
                let mut trace = make_trace(i);
                let r = run_replication_traced(model, settings.seed, i, &mut trace);
                (r, trace)
            })
            .collect()
    };
    match settings.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        },
        None => work(),
    }
}

/// The same as [`run`] on the calling thread only: the reference for tests.
pub fn run_sequential(model: &Model, settings: &RunSettings) -> RunOutput {
    let mut out = RunOutput::default();
    for i in settings.first..settings.first + settings.replications {
        absorb(&mut out, run_replication(model, settings.seed, i));
    }
    out
}

fn absorb(acc: &mut RunOutput, mut r: ReplicationResult) {
    if acc.pooled.len() < r.flows.len() {
        acc.pooled.resize_with(r.flows.len(), Histogram::new);
    }
    if acc.pooled_routes.len() < r.flows.len() {
        acc.pooled_routes.resize_with(r.flows.len(), Vec::new);
    }
    for ((pool, routes), f) in acc
        .pooled
        .iter_mut()
        .zip(acc.pooled_routes.iter_mut())
        .zip(r.flows.iter_mut())
    {
        pool.merge(&f.transit);
        f.transit = Histogram::new();
        if routes.len() < f.routes.len() {
            routes.resize_with(f.routes.len(), Histogram::new);
        }
        for (rp, rr) in routes.iter_mut().zip(f.routes.iter_mut()) {
            rp.merge(&rr.transit);
            rr.transit = Histogram::new();
        }
    }
    if let Some(s) = r.series.take() {
        acc.series
            .get_or_insert_with(|| GridSummary::new(s.values.len()))
            .push(&s.values);
    }
    acc.replications.push(r);
}

fn merge_pooled(into: &mut Vec<Histogram>, from: &[Histogram]) {
    if into.len() < from.len() {
        into.resize_with(from.len(), Histogram::new);
    }
    for (a, b) in into.iter_mut().zip(from) {
        a.merge(b);
    }
}
