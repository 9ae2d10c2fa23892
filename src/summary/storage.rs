//! Figures of the nodes' storage limits across replications: trains held and refused,
//! how long holds last, how often and how full the node is; and of the embargoes:
//! episodes, days in force, trains held at their origins.

use crate::schema::{EmbargoSummary, StorageSummary};
use crate::sim::{Model, ReplicationResult};
use crate::stats::Moments;

/// Streaming figures of one storage limit.
#[derive(Clone, Debug, Default)]
pub struct StoreStats {
    /// Trains reaching the node per day, per replication.
    pub arrivals_per_day: Moments,
    /// Trains held per day.
    pub held_per_day: Moments,
    /// Mean hold (days; replications without an ended hold left out).
    pub hold_days: Moments,
    /// Trains refused per day.
    pub refused_per_day: Moments,
    /// Refused over arriving trains (replications without arrivals left out).
    pub refused_share: Moments,
    /// Share of the window the node was full.
    pub full_share: Moments,
    /// Time-average trains held.
    pub held_mean: Moments,
    /// Time-average wagons (or TEU) at the node.
    pub occupancy_mean: Moments,
    /// Trains held and refused over all replications.
    pub held_total: u64,
    /// Trains refused over all replications.
    pub refused_total: u64,
}

/// Folds one replication into every storage limit's figures (`window_days` is the
/// run's window; a saturated replication's figures still count per full window).
pub(super) fn push(stores: &mut [StoreStats], window_days: f64, r: &ReplicationResult) {
    let per_day = |n: u64| n as f64 / window_days.max(f64::MIN_POSITIVE);
    for (s, x) in stores.iter_mut().zip(&r.stores) {
        s.arrivals_per_day.push(per_day(x.arrivals));
        s.held_per_day.push(per_day(x.held));
        if x.holds_ended > 0 {
            s.hold_days.push(x.hold_sum_days / x.holds_ended as f64);
        }
        s.refused_per_day.push(per_day(x.refused));
        if x.arrivals > 0 {
            s.refused_share.push(x.refused as f64 / x.arrivals as f64);
        }
        s.full_share.push(x.full_share);
        s.held_mean.push(x.held_mean);
        s.occupancy_mean.push(x.occupancy_mean);
        s.held_total += x.held;
        s.refused_total += x.refused;
    }
}

/// The summary of every storage limit, in node order.
pub(super) fn summaries(model: &Model, stores: &[StoreStats]) -> Vec<StorageSummary> {
    model
        .storage()
        .iter()
        .zip(stores)
        .map(|(info, s)| StorageSummary {
            node: info.node.clone(),
            limit: info.limit,
            unit: info.unit.to_string(),
            when_full: if info.refuse { "refuse" } else { "hold" }.to_string(),
            arrivals_per_day: s.arrivals_per_day.estimate(),
            held_trains: s.held_total,
            held_per_day: s.held_per_day.estimate(),
            hold_days: s.hold_days.estimate(),
            refused_trains: s.refused_total,
            refused_per_day: s.refused_per_day.estimate(),
            refused_share: s.refused_share.estimate(),
            full_share: s.full_share.estimate(),
            held_mean: s.held_mean.estimate(),
            occupancy_mean: s.occupancy_mean.estimate(),
        })
        .collect()
}

/// Streaming figures of one embargo.
#[derive(Clone, Debug, Default)]
pub struct EmbargoStats {
    /// Episodes per replication.
    pub episodes: Moments,
    /// Days in force per replication.
    pub days: Moments,
    /// Trains held per replication.
    pub held: Moments,
    /// Mean hold (days; replications without an ended hold left out).
    pub hold_days: Moments,
    /// Trains held over all replications.
    pub held_total: u64,
}

/// Folds one replication into every embargo's figures.
pub(super) fn push_embargoes(embargoes: &mut [EmbargoStats], r: &ReplicationResult) {
    for (s, x) in embargoes.iter_mut().zip(&r.embargoes) {
        s.episodes.push(x.episodes as f64);
        s.days.push(x.days);
        s.held.push(x.held as f64);
        if x.holds_ended > 0 {
            s.hold_days.push(x.hold_sum_days / x.holds_ended as f64);
        }
        s.held_total += x.held;
    }
}

/// The summary of every embargo, in scenario order.
pub(super) fn embargo_summaries(model: &Model, embargoes: &[EmbargoStats]) -> Vec<EmbargoSummary> {
    model
        .embargoes()
        .iter()
        .zip(embargoes)
        .map(|(info, s)| EmbargoSummary {
            node: info.node.clone(),
            stop_above: info.stop_above,
            resume_below: info.resume_below,
            unit: info.unit.to_string(),
            episodes: s.episodes.estimate(),
            days: s.days.estimate(),
            held_trains: s.held_total,
            held_per_replication: s.held.estimate(),
            hold_days: s.hold_days.estimate(),
        })
        .collect()
}
