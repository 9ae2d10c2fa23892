//! Counters of a resource during one replication.

use crate::sim::time::SimTime;

/// The time integral of a count, for time averages, kept in integer count-milliseconds
/// (exact, and cheaper than floating point in the event loop).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TimeAvg {
    pub(super) last: u64,
    pub(super) count: u32,
    pub(super) area: u128,
}

impl TimeAvg {
    #[inline]
    pub(super) fn set(&mut self, now: SimTime, count: u32) {
        self.area += self.count as u128 * now.0.saturating_sub(self.last) as u128;
        self.last = now.0;
        self.count = count;
    }

    pub(super) fn restart(&mut self, now: SimTime) {
        self.area = 0;
        self.last = now.0;
    }

    /// The integral up to `now` (count-milliseconds).
    pub(super) fn area(&mut self, now: SimTime) -> f64 {
        self.set(now, self.count);
        self.area as f64
    }
}

/// Counters of one resource.
#[derive(Clone, Debug, Default)]
pub(super) struct Stat {
    pub(super) arrivals: u64,
    pub(super) waits: u64,
    pub(super) wait_sum_ms: u64,
    pub(super) queue: TimeAvg,
    pub(super) busy: TimeAvg,
    pub(super) closed: TimeAvg,
    pub(super) occupied_ms: u64,
    pub(super) sailings: u64,
    pub(super) wagons: u64,
}

impl Stat {
    #[inline]
    pub(super) fn wait(&mut self, enq: SimTime, now: SimTime, warmup: SimTime) {
        if enq >= warmup {
            self.waits += 1;
            self.wait_sum_ms += now.0 - enq.0;
        }
    }
}
