//! Replications in parallel: the only module that knows rayon.
//!
//! **Invariant:** results are bit-identical for any number of threads. Replication
//! `i` draws only from its own random streams (see [`crate::sim::component_rng`]);
//! finished replications are handed to a [`Fold`] one at a time in index order, so
//! every floating-point sum is added in the same order whatever the thread count.
//!
//! # The one place replications are consumed
//!
//! [`run_into`] runs replications in batches of [`BATCH`] on the pool; while the
//! workers simulate batch k+1 the calling side folds batch k, result by result, in
//! index order, into the caller's [`Fold`]. The batch is the bounded reorder buffer
//! between the workers and the fold: memory is at most two batches of results
//! whatever the number of replications. Everything computed from a run is a `Fold`:
//! the streaming statistics of [`crate::summary::RunStats`], the `replications.csv`
//! writer of [`crate::report`], and [`RunOutput`], which keeps every result (for
//! shard partials, replays and tests). A new statistic is a new `Fold` (or a new
//! field of `RunStats`), and [`Both`] feeds two at once.

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

/// Something that consumes finished replications one at a time, in index order (see
/// the module docs): the one interface through which a run's results are read.
pub trait Fold: Send {
    /// Takes one finished replication; called in increasing index order.
    fn push(&mut self, r: &ReplicationResult);
}

/// Two folds fed with the same replications (the first, then the second).
#[derive(Debug)]
pub struct Both<'a, A: ?Sized, B: ?Sized>(pub &'a mut A, pub &'a mut B);

impl<A: Fold + ?Sized, B: Fold + ?Sized> Fold for Both<'_, A, B> {
    fn push(&mut self, r: &ReplicationResult) {
        self.0.push(r);
        self.1.push(r);
    }
}

/// Replications simulated between two folds: the size of the reorder buffer between
/// the workers and the fold (at most two batches of results are held at once).
pub const BATCH: u64 = 256;

/// Every replication of a run, kept: per-replication results in index order and the
/// pooled transit histograms. Its memory grows with the replications; summaries are
/// computed by streaming folds instead, and this is for shard partials, replays and
/// tests.
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

    /// Feeds every kept replication, in order, to `fold`. Their transit histograms
    /// were emptied into [`RunOutput::pooled`], so a fold that pools transit times
    /// must take those from `pooled` and `pooled_routes` too.
    pub fn replay_into(&self, fold: &mut dyn Fold) {
        for r in &self.replications {
            fold.push(r);
        }
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

impl Fold for RunOutput {
    fn push(&mut self, r: &ReplicationResult) {
        absorb(self, r.clone());
    }
}

/// Runs the replications on a pool of `settings.threads` threads and keeps every
/// result (see [`RunOutput`]; [`run_into`] streams them instead).
pub fn run(model: &Model, settings: &RunSettings, control: Control<'_>) -> RunOutput {
    let mut out = RunOutput::default();
    run_into(model, settings, control, &mut out);
    out
}

/// Runs the replications on a pool of `settings.threads` threads and hands each
/// result to `fold` in index order, holding at most two batches of [`BATCH`]
/// results at a time. After a cancel, replications not yet started are skipped (the
/// fold then has only some of them and should be discarded).
pub fn run_into(model: &Model, settings: &RunSettings, control: Control<'_>, fold: &mut dyn Fold) {
    let end = settings.first.saturating_add(settings.replications);
    let simulate = |range: std::ops::Range<u64>| -> Vec<ReplicationResult> {
        range
            .into_par_iter()
            .filter_map(|i| {
                if control.cancel.load(Ordering::Relaxed) {
                    return None;
                }
                let r = run_replication(model, settings.seed, i);
                (control.on_done)();
                Some(r)
            })
            .collect()
    };
    let mut work = || {
        let mut next = settings.first;
        let mut pending: Vec<ReplicationResult> = Vec::new();
        while next < end || !pending.is_empty() {
            let stop = end.min(next.saturating_add(BATCH));
            let range = next..stop;
            let ((), done) = rayon::join(
                || {
                    for r in pending.drain(..) {
                        fold.push(&r);
                    }
                },
                || simulate(range),
            );
            pending = done;
            next = stop;
        }
    };
    match settings.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        },
        None => work(),
    }
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

/// The same as [`run_into`] on the calling thread only: the reference for tests.
pub fn run_sequential_into(model: &Model, settings: &RunSettings, fold: &mut dyn Fold) {
    for i in settings.first..settings.first.saturating_add(settings.replications) {
        fold.push(&run_replication(model, settings.seed, i));
    }
}

/// The same as [`run`] on the calling thread only: the reference for tests.
pub fn run_sequential(model: &Model, settings: &RunSettings) -> RunOutput {
    let mut out = RunOutput::default();
    run_sequential_into(model, settings, &mut out);
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
