//! Counters of a resource during one replication.

use crate::sim::time::SimTime;

/// The time integral of a count, for time averages, kept in integer count-milliseconds
/// (exact, and cheaper than floating point in the event loop).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TimeAvg {
    pub(super) last: u64,
    pub(super) count: u32,
    pub(super) area: u128,
    /// The integral since day 0 (not restarted after the warm-up), for time series.
    pub(super) total: u128,
}

impl TimeAvg {
    #[inline]
    pub(super) fn set(&mut self, now: SimTime, count: u32) {
        let add = self.count as u128 * now.0.saturating_sub(self.last) as u128;
        self.area += add;
        self.total += add;
        self.last = now.0;
        self.count = count;
    }

    pub(super) fn restart(&mut self, now: SimTime) {
        self.area = 0;
        self.last = now.0;
    }

    /// The integral since day 0 up to `now` (count-milliseconds).
    pub(super) fn total(&mut self, now: SimTime) -> f64 {
        self.set(now, self.count);
        self.total as f64
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
    /// Road units carried (shared decks).
    pub(super) road_units: u64,
    /// Wagons waiting (time series).
    pub(super) queue_wagons: TimeAvg,
    /// Since day 0, warm-up included (time series): waits that ended, their sum,
    /// headway booked, sailings, wagons, TEU and road units carried.
    pub(super) all: AllCounts,
}

/// Counters since day 0, for time series.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct AllCounts {
    pub(super) waits: u64,
    pub(super) wait_ms: u64,
    pub(super) occupied_ms: u64,
    pub(super) sailings: u64,
    pub(super) wagons: u64,
    pub(super) teu: f64,
    /// Road units carried (shared decks).
    pub(super) road_units: u64,
}

impl Stat {
    #[inline]
    pub(super) fn wait(&mut self, enq: SimTime, now: SimTime, warmup: SimTime) {
        self.all.waits += 1;
        self.all.wait_ms += now.0 - enq.0;
        if enq >= warmup {
            self.waits += 1;
            self.wait_sum_ms += now.0 - enq.0;
        }
    }
}
