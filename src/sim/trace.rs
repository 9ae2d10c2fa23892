//! Observing a replication train by train, for replays and warm-up analysis.
//!
//! The engine is generic over [`Trace`]; normal runs use [`NoTrace`], whose empty
//! methods compile away.

use super::time::SimTime;

/// Receives what happens to each train of one replication.
pub trait Trace {
    /// Train number `train` (0, 1, 2, ... in order of arrival) of flow `flow` arrived.
    fn created(&mut self, _now: SimTime, _train: u64, _flow: u32) {}
    /// The train reached step `step` (an index into the model's steps) of route `route`.
    fn arrived(&mut self, _now: SimTime, _train: u64, _route: u32, _step: u32) {}
    /// Its service began, it entered the line section, or its last wagon sailed.
    fn started(&mut self, _now: SimTime, _train: u64) {}
    /// It reached its destination after `transit_days`.
    fn delivered(&mut self, _now: SimTime, _train: u64, _flow: u32, _transit_days: f64) {}
}

/// A trace that records nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTrace;

impl Trace for NoTrace {}
