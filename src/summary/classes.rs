//! Figures by train class: delivered trains, transit and the wait at each resource of
//! the trains of each class, across replications.

use crate::schema::{ClassResource, ClassSummary};
use crate::sim::{Model, ReplicationResult};
use crate::stats::Moments;

/// Streaming figures of one train class.
#[derive(Clone, Debug, Default)]
pub struct ClassStats {
    /// Trains of the class delivered in the window, per replication.
    pub delivered_trains: Moments,
    /// Mean transit of the class's delivered trains (days; replications without one
    /// left out).
    pub transit_days: Moments,
    /// Per resource: the class's mean wait (days; replications in which no train of
    /// the class waited there left out).
    pub wait_days: Vec<Moments>,
    /// Per resource: waits of the class over all replications.
    pub waits: Vec<u64>,
}

/// Folds one replication into the figures of every class (`classes` has one entry
/// per class of the model, `flow_class` the class of each flow).
pub(super) fn push(classes: &mut [ClassStats], flow_class: &[u32], r: &ReplicationResult) {
    for (c, cs) in classes.iter_mut().enumerate() {
        let (mut delivered, mut transit) = (0u64, 0.0);
        for (f, fr) in r.flows.iter().enumerate() {
            if flow_class.get(f).copied() == Some(c as u32) {
                delivered += fr.delivered;
                transit += fr.transit_sum_days;
            }
        }
        cs.delivered_trains.push(delivered as f64);
        if delivered > 0 {
            cs.transit_days.push(transit / delivered as f64);
        }
        let Some(waits) = r.class_waits.get(c) else {
            continue;
        };
        if cs.wait_days.len() < waits.len() {
            cs.wait_days.resize_with(waits.len(), Moments::default);
            cs.waits.resize(waits.len(), 0);
        }
        for (k, w) in waits.iter().enumerate() {
            if w.waits > 0 {
                cs.wait_days[k].push(w.mean_days());
                cs.waits[k] += w.waits;
            }
        }
    }
}

/// The summary of every class, in priority order (highest first); a class's
/// resources are those at which some train of it waited.
pub(super) fn summaries(model: &Model, classes: &[ClassStats]) -> Vec<ClassSummary> {
    model
        .classes()
        .iter()
        .zip(classes)
        .enumerate()
        .map(|(c, (name, cs))| ClassSummary {
            class: name.clone(),
            priority: c as u32 + 1,
            flows: model
                .flows()
                .iter()
                .filter(|f| f.class == c as u32)
                .map(|f| f.id.clone())
                .collect(),
            delivered_trains: cs.delivered_trains.estimate(),
            transit_days: cs.transit_days.estimate(),
            resources: cs
                .waits
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| ClassResource {
                    resource: model.resources()[k].label(),
                    waits: *n,
                    wait_days: cs.wait_days[k].estimate(),
                })
                .collect(),
        })
        .collect()
}
