//! Storage limits at nodes (issue 12): the units (wagons, or thousandths of a TEU) of
//! the trains at a node, from the step that brings them there until they leave it
//! (the first step elsewhere, their last wagon sailing, or delivery), may not pass
//! the node's limit. A train that does not fit is held where it is, first come first
//! served (a train that has just been served at a station keeps its server: blocking
//! after service), or, at a node that refuses, turned away and counted.
//!
//! A model without limits never calls into this module: every entry point is behind
//! a test of `Model::stores` being empty, so it draws the same numbers and gives the
//! same results as before.

use std::collections::VecDeque;

use super::stat::TimeAvg;
use super::{Event, Sim};
use crate::sim::model::NO_STORE;
use crate::sim::result::{EmbargoResult, StoreResult};
use crate::sim::time::{MS_PER_DAY, SimTime};
use crate::sim::trace::Trace;

/// No station: a held train that keeps no server.
const NO_STATION: u32 = u32::MAX;

/// A train waiting for room at a node.
#[derive(Clone, Copy, Debug)]
pub(super) struct Held {
    train: u32,
    since: SimTime,
    /// The station whose server the train keeps while it waits, or [`NO_STATION`].
    blocking: u32,
}

/// The time integral of a `u64` level (units can pass `u32`), in unit-milliseconds.
#[derive(Clone, Copy, Debug, Default)]
struct Level {
    last: u64,
    value: u64,
    area: u128,
}

impl Level {
    fn set(&mut self, now: SimTime, value: u64) {
        self.area += u128::from(self.value) * u128::from(now.0.saturating_sub(self.last));
        self.last = now.0;
        self.value = value;
    }

    fn area(&mut self, now: SimTime) -> f64 {
        self.set(now, self.value);
        self.area as f64
    }

    fn restart(&mut self, now: SimTime) {
        self.area = 0;
        self.last = now.0;
    }
}

/// A node's storage during one replication.
#[derive(Debug, Default)]
pub(super) struct StoreState {
    /// Units of the trains at the node now.
    occupied: u64,
    /// Trains and wagons at the node now (an embargo's backlog).
    trains: u64,
    wagons: u64,
    /// Trains waiting for room, first come first served.
    held: VecDeque<Held>,
    /// Trains that reached the node in the window (admitted, held or refused).
    arrivals: u64,
    /// Trains held whose hold began in the window.
    held_trains: u64,
    /// Of those, the holds that ended: how many and their sum (ms).
    holds_ended: u64,
    hold_ms: u64,
    /// Trains turned away in the window.
    refused: u64,
    /// 1 while the node has no room for its smallest train.
    full: TimeAvg,
    /// Trains held now.
    held_now: TimeAvg,
    occupancy: Level,
}

impl StoreState {
    /// One state per store of the model.
    pub(super) fn all(n: usize) -> Vec<StoreState> {
        (0..n).map(|_| StoreState::default()).collect()
    }

    /// Restarts the time averages at the end of the warm-up.
    pub(super) fn restart(&mut self, now: SimTime) {
        self.full.restart(now);
        self.held_now.restart(now);
        self.occupancy.restart(now);
    }
}

impl<T: Trace> Sim<'_, '_, T> {
    /// Storage before train `t` takes step `k`: true if it may (it now occupies the
    /// step's store and has left the one it was in), false if it was held or turned
    /// away. Out of line: only models with storage limits call it.
    #[inline(never)]
    pub(super) fn store_gate(&mut self, t: u32, k: u32) -> bool {
        let m = self.m;
        let s = m.store_of_step[k as usize];
        let cur = self.trains[t as usize].store;
        if s == cur {
            return true;
        }
        if s != NO_STORE {
            self.count_arrival(s);
            if !self.has_room(s, t) {
                if m.stores[s as usize].refuse {
                    self.refuse(t, s);
                } else {
                    self.hold(t, s, NO_STATION);
                }
                return false;
            }
            self.occupy(s, t);
        }
        self.trains[t as usize].store = s;
        if cur != NO_STORE {
            self.store_release(cur, t);
        }
        true
    }

    /// Train `t` has been served at station `st`: if its next step is at a node that
    /// holds trains and has no room for it, it waits there keeping its server (true).
    #[inline(never)]
    pub(super) fn store_blocks(&mut self, t: u32, st: u32) -> bool {
        let m = self.m;
        let tr = self.trains[t as usize];
        if tr.next >= tr.end {
            return false;
        }
        let s = m.store_of_step[tr.next as usize];
        if s == NO_STORE || s == tr.store || m.stores[s as usize].refuse || self.has_room(s, t) {
            return false;
        }
        self.count_arrival(s);
        self.hold(t, s, st);
        true
    }

    /// Train `t`'s last wagon sailed (or it was delivered): it leaves its store.
    #[inline(never)]
    pub(super) fn store_leave(&mut self, t: u32) {
        let cur = self.trains[t as usize].store;
        if cur != NO_STORE {
            self.trains[t as usize].store = NO_STORE;
            self.store_release(cur, t);
        }
    }

    fn count_arrival(&mut self, s: u32) {
        if self.now >= self.m.warmup {
            self.stores[s as usize].arrivals += 1;
        }
    }

    fn units(&self, s: u32, t: u32) -> u64 {
        let m = self.m;
        m.stores[s as usize].units(&m.flows[self.trains[t as usize].flow as usize])
    }

    /// Whether store `s` takes train `t` now: nobody is waiting before it and its
    /// units fit (an empty node takes any train, so none waits forever).
    fn has_room(&self, s: u32, t: u32) -> bool {
        let st = &self.stores[s as usize];
        st.held.is_empty() && self.fits(s, self.units(s, t))
    }

    fn fits(&self, s: u32, units: u64) -> bool {
        let st = &self.stores[s as usize];
        st.occupied == 0 || st.occupied.saturating_add(units) <= self.m.stores[s as usize].limit
    }

    /// Store `s` gains (`sign` = 1) or loses (−1) train `t`.
    fn count(&mut self, s: u32, t: u32, gain: bool) {
        let wagons = u64::from(
            self.m.flows[self.trains[t as usize].flow as usize]
                .train
                .wagons,
        );
        let units = self.units(s, t);
        let st = &mut self.stores[s as usize];
        let occupied = if gain {
            st.trains += 1;
            st.wagons += wagons;
            st.occupied + units
        } else {
            st.trains -= 1;
            st.wagons -= wagons;
            st.occupied - units
        };
        self.set_occupied(s, occupied);
        let e = self.m.stores[s as usize].embargo;
        if e != NO_STORE {
            self.embargo_check(e);
        }
    }

    fn set_occupied(&mut self, s: u32, occupied: u64) {
        let now = self.now;
        let sm = &self.m.stores[s as usize];
        let st = &mut self.stores[s as usize];
        st.occupied = occupied;
        st.occupancy.set(now, occupied);
        let full = occupied > 0 && occupied.saturating_add(sm.min_units) > sm.limit;
        st.full.set(now, u32::from(full));
    }

    fn occupy(&mut self, s: u32, t: u32) {
        self.count(s, t, true);
    }

    fn hold(&mut self, t: u32, s: u32, blocking: u32) {
        let now = self.now;
        let st = &mut self.stores[s as usize];
        if now >= self.m.warmup {
            st.held_trains += 1;
        }
        st.held.push_back(Held {
            train: t,
            since: now,
            blocking,
        });
        st.held_now.set(now, st.held.len() as u32);
    }

    /// Turns train `t` away at store `s`: it leaves the system undelivered.
    fn refuse(&mut self, t: u32, s: u32) {
        let m = self.m;
        let tr = self.trains[t as usize];
        if self.now >= m.warmup {
            self.stores[s as usize].refused += 1;
        }
        let fs = &mut self.flows[tr.flow as usize];
        fs.in_system -= 1;
        if !tr.initial && tr.arrived >= m.warmup {
            fs.result.refused += 1;
        }
        self.store_leave(t);
        self.trains[t as usize].alive = false;
        self.in_system -= 1;
        self.free.push(t);
    }

    /// Store `s` gives back train `t`'s units, then lets in the trains held for it
    /// that now fit, in order.
    fn store_release(&mut self, s: u32, t: u32) {
        self.count(s, t, false);
        loop {
            let Some(&h) = self.stores[s as usize].held.front() else {
                return;
            };
            if !self.fits(s, self.units(s, h.train)) {
                return;
            }
            let now = self.now;
            let warmup = self.m.warmup;
            let st = &mut self.stores[s as usize];
            st.held.pop_front();
            st.held_now.set(now, st.held.len() as u32);
            if h.since >= warmup {
                st.holds_ended += 1;
                st.hold_ms += now.0 - h.since.0;
            }
            self.occupy(s, h.train);
            let old = self.trains[h.train as usize].store;
            self.trains[h.train as usize].store = s;
            if h.blocking != NO_STATION {
                let station = &mut self.stations[h.blocking as usize];
                station.busy -= 1;
                station.stat.busy.set(now, station.busy);
                self.start_waiting_services(h.blocking);
            }
            if old != NO_STORE {
                self.store_release(old, h.train);
            }
            // The train takes the step it waited for; `Moved` keeps the order of
            // events the same as any other train that moves on now.
            self.schedule(now, Event::Moved(h.train));
        }
    }

    /// Every store's figures over the window ending at `now`.
    pub(super) fn store_results(&mut self, now: SimTime, window_ms: f64) -> Vec<StoreResult> {
        let per_window = |area: f64| {
            if window_ms > 0.0 {
                area / window_ms
            } else {
                0.0
            }
        };
        let m = self.m;
        self.stores
            .iter_mut()
            .zip(&m.stores)
            .filter(|(_, sm)| sm.limited)
            .map(|(st, sm)| {
                let scale = if sm.teu { 1000.0 } else { 1.0 };
                StoreResult {
                    arrivals: st.arrivals,
                    held: st.held_trains,
                    holds_ended: st.holds_ended,
                    hold_sum_days: st.hold_ms as f64 / MS_PER_DAY,
                    refused: st.refused,
                    full_share: per_window(st.full.area(now)).clamp(0.0, 1.0),
                    held_mean: per_window(st.held_now.area(now)),
                    occupancy_mean: per_window(st.occupancy.area(now)) / scale,
                }
            })
            .collect()
    }
}

/// An embargo during one replication.
#[derive(Debug, Default)]
pub(super) struct EmbargoState {
    active: bool,
    /// 1 while in force.
    in_force: TimeAvg,
    /// Episodes that began in the window.
    episodes: u64,
    /// Trains held at their origin, first come first served, and since when.
    held: VecDeque<(u32, SimTime)>,
    /// Trains held whose hold began in the window.
    held_trains: u64,
    /// Of those, the holds that ended, and their sum (ms).
    holds_ended: u64,
    hold_ms: u64,
}

impl EmbargoState {
    /// One state per embargo of the model.
    pub(super) fn all(n: usize) -> Vec<EmbargoState> {
        (0..n).map(|_| EmbargoState::default()).collect()
    }

    /// Restarts the time average at the end of the warm-up.
    pub(super) fn restart(&mut self, now: SimTime) {
        self.in_force.restart(now);
    }
}

impl<T: Trace> Sim<'_, '_, T> {
    /// Train `t` is at its origin: if an embargo on a node of its route is in force,
    /// it waits there (true). Out of line: only models with embargoes call it.
    #[inline(never)]
    pub(super) fn embargo_holds(&mut self, t: u32) -> bool {
        let mut mask = self.m.routes[self.trains[t as usize].route as usize].embargo_mask;
        while mask != 0 {
            let e = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let now = self.now;
            let es = &mut self.embargoes[e];
            if es.active {
                if now >= self.m.warmup {
                    es.held_trains += 1;
                }
                es.held.push_back((t, now));
                return true;
            }
        }
        false
    }

    /// Embargo `e` after its node's backlog changed: it begins above `stop_above`;
    /// below `resume_below` it ends and its held trains leave their origins in order
    /// (now, before anything else happens, until it begins again).
    fn embargo_check(&mut self, e: u32) {
        let m = self.m;
        let em = &m.embargoes[e as usize];
        let st = &self.stores[em.store as usize];
        let backlog = if em.wagons { st.wagons } else { st.trains } as f64;
        let now = self.now;
        let es = &mut self.embargoes[e as usize];
        if !es.active && backlog > em.stop_above {
            es.active = true;
            es.in_force.set(now, 1);
            if now >= m.warmup {
                es.episodes += 1;
            }
        } else if es.active && backlog < em.resume_below {
            es.active = false;
            es.in_force.set(now, 0);
            loop {
                let es = &mut self.embargoes[e as usize];
                if es.active {
                    return;
                }
                let Some((t, since)) = es.held.pop_front() else {
                    return;
                };
                if since >= m.warmup {
                    es.holds_ended += 1;
                    es.hold_ms += now.0 - since.0;
                }
                self.advance(t);
            }
        }
    }

    /// Every embargo's figures over the window ending at `now`.
    pub(super) fn embargo_results(&mut self, now: SimTime) -> Vec<EmbargoResult> {
        let warmup = self.m.warmup;
        self.embargoes
            .iter_mut()
            .map(|es| EmbargoResult {
                censored_hold_sum_days: es
                    .held
                    .iter()
                    .filter(|(_, since)| *since >= warmup)
                    .map(|(_, since)| now.0.saturating_sub(since.0))
                    .sum::<u64>() as f64
                    / MS_PER_DAY,
                episodes: es.episodes,
                days: es.in_force.area(now) / MS_PER_DAY,
                held: es.held_trains,
                holds_ended: es.holds_ended,
                hold_sum_days: es.hold_ms as f64 / MS_PER_DAY,
            })
            .collect()
    }
}
