//! Replaying one replication exactly, with a train-by-train log (`trains.csv`).

use std::collections::HashMap;

use crate::schema::TrainRow;
use crate::sim::time::SimTime;
use crate::sim::{Model, ReplicationResult, Trace, run_replication_traced};

/// One step of one train.
#[derive(Clone, Copy, Debug)]
struct Row {
    train: u64,
    flow: u32,
    route: u32,
    step: u32,
    arrive: SimTime,
    start: Option<SimTime>,
    leave: Option<SimTime>,
}

/// Records every step of every train: when it reached a resource, when its service,
/// entry or sailing began, and when it moved on.
#[derive(Debug, Default)]
pub struct TrainLog {
    rows: Vec<Row>,
    open: HashMap<u64, usize>,
    flows: HashMap<u64, u32>,
}

impl Trace for TrainLog {
    fn created(&mut self, _now: SimTime, train: u64, flow: u32) {
        self.flows.insert(train, flow);
    }

    fn arrived(&mut self, now: SimTime, train: u64, route: u32, step: u32) {
        if let Some(i) = self.open.remove(&train) {
            self.rows[i].leave = Some(now);
        }
        let flow = self.flows.get(&train).copied().unwrap_or(0);
        self.open.insert(train, self.rows.len());
        self.rows.push(Row {
            train,
            flow,
            route,
            step,
            arrive: now,
            start: None,
            leave: None,
        });
    }

    fn started(&mut self, now: SimTime, train: u64) {
        if let Some(&i) = self.open.get(&train) {
            self.rows[i].start.get_or_insert(now);
        }
    }

    fn delivered(&mut self, now: SimTime, train: u64, _flow: u32, _transit_days: f64) {
        if let Some(i) = self.open.remove(&train) {
            self.rows[i].leave = Some(now);
        }
        self.flows.remove(&train);
    }
}

impl TrainLog {
    /// The rows of `trains.csv`: one per train and step, in the order trains reached
    /// steps. Times are days since the start; `leave_day` is empty for a step a train
    /// had not left at the horizon.
    pub fn rows(&self, model: &Model, replication: u64) -> Vec<TrainRow> {
        self.rows
            .iter()
            .map(|r| {
                let (route_in_flow, start) = model.route_position(r.route);
                let res = model.step_resource(r.step);
                TrainRow {
                    replication,
                    train: r.train,
                    flow: model.flows()[r.flow as usize].id.clone(),
                    route: route_in_flow + 1,
                    step: r.step - start + 1,
                    resource: res.id.clone(),
                    kind: res.kind,
                    from: res.from.clone(),
                    to: res.to.clone(),
                    arrive_day: r.arrive.days(),
                    start_day: r.start.map(SimTime::days),
                    leave_day: r.leave.map(SimTime::days),
                }
            })
            .collect()
    }

    /// `trains.csv`: the [`rows`](TrainLog::rows) as CSV.
    pub fn to_csv(&self, model: &Model, replication: u64) -> String {
        crate::schema::to_csv(self.rows(model, replication))
    }

    /// Number of steps recorded.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True if nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Re-runs replication `index` alone, exactly as in a full run, recording every train.
pub fn replay(model: &Model, seed: u64, index: u64) -> (ReplicationResult, TrainLog) {
    let mut log = TrainLog::default();
    let result = run_replication_traced(model, seed, index, &mut log);
    (result, log)
}
