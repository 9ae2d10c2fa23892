//! Adding replications until the main figures are as precise as asked.

use crate::montecarlo::{self, Both, Control, Fold, RunSettings};
use crate::schema::FigurePrecision;
pub use crate::schema::PrecisionReport;
use crate::sim::Model;
use crate::summary::{Keep, RunStats};

/// The main figures: delivered trains per week and mean transit overall, and each
/// flow's mean transit.
fn figures(model: &Model, stats: &RunStats) -> Vec<FigurePrecision> {
    let mut list = vec![
        (
            "delivered_trains_per_week".to_string(),
            stats.overall.delivered_trains_per_week.estimate(),
        ),
        (
            "transit_mean_days".to_string(),
            stats.overall.transit_mean_days.estimate(),
        ),
    ];
    for (info, f) in model.flows().iter().zip(&stats.flows) {
        list.push((
            format!("{}: transit_mean_days", info.id),
            f.transit_mean_days.estimate(),
        ));
    }
    list.into_iter()
        .map(|(figure, e)| FigurePrecision {
            figure,
            mean: e.mean,
            relative_half_width: if e.ci95.is_some() && e.mean != 0.0 {
                e.half_width() / e.mean.abs()
            } else {
                f64::INFINITY
            },
        })
        .collect()
}

/// Runs `start` replications, then adds more (continuing the replication indices, so
/// the result equals one run of that many) until every main figure's 95% half-width
/// is within `target` of its mean, or `max` replications are reached. Figures with
/// no mean (a flow that delivered nothing) are left out of the criterion. Every
/// replication is also handed to `also` (e.g. the `replications.csv` writer), in
/// index order.
#[allow(clippy::too_many_arguments)]
pub fn run_to_precision(
    model: &Model,
    seed: u64,
    start: u64,
    max: u64,
    target: f64,
    threads: Option<usize>,
    control: Control<'_>,
    also: &mut dyn Fold,
) -> (RunStats, PrecisionReport) {
    let start = start.clamp(2, max.max(2));
    let max = max.max(start);
    let mut out = RunStats::new(model, Keep::Nothing);
    let mut n = 0;
    let mut next = start;
    let mut rounds = 0;
    loop {
        let settings = RunSettings {
            seed,
            first: n,
            replications: next,
            threads,
        };
        montecarlo::run_into(model, &settings, control, &mut Both(&mut out, also));
        n += next;
        rounds += 1;
        let figs = figures(model, &out);
        let worst = figs
            .iter()
            .map(|f| f.relative_half_width)
            .filter(|w| w.is_finite())
            .fold(0.0, f64::max);
        let cancelled = control.cancel.load(std::sync::atomic::Ordering::Relaxed);
        if worst <= target || n >= max || cancelled {
            let reached = worst <= target;
            return (
                out,
                PrecisionReport {
                    target_relative_half_width: target,
                    reached,
                    replications: n,
                    max_replications: max,
                    rounds,
                    figures: figs,
                },
            );
        }
        // Half-widths shrink as 1/sqrt(n): aim for the size that would meet the target,
        // with 10% to spare, adding at least a fifth more each round.
        let needed = (n as f64 * (worst / target).powi(2) * 1.1).ceil() as u64;
        next = needed.saturating_sub(n).max(n.div_ceil(5)).min(max - n);
    }
}
