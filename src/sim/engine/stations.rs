//! Stations (parallel servers, one FIFO queue) and line sections (a headway between
//! entries, then travel).

use std::collections::VecDeque;

use super::classes::insert;
use super::stat::Stat;
use super::{Event, Sim};
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;

/// A station during one replication.
#[derive(Debug, Default)]
pub(super) struct StationState {
    pub(super) busy: u32,
    /// Wagons of the trains in `queue`.
    pub(super) queued_wagons: u64,
    pub(super) queue: VecDeque<(u32, SimTime)>,
    pub(super) closed: u32,
    pub(super) reopen: SimTime,
    pub(super) stat: Stat,
}

/// One direction of a line section during one replication.
#[derive(Debug, Default)]
pub(super) struct SectionState {
    pub(super) next_free: SimTime,
    /// Wagons of the trains in `queue`.
    pub(super) queued_wagons: u64,
    pub(super) queue: VecDeque<(u32, SimTime, u32)>,
    pub(super) wake_pending: bool,
    pub(super) closed: u32,
    pub(super) reopen: SimTime,
    pub(super) stat: Stat,
}

impl<T: Trace> Sim<'_, '_, T> {
    pub(super) fn station_arrive(&mut self, s: u32, t: u32) {
        let rp = self.p();
        let m = self.m;
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if now >= m.warmup {
            st.stat.arrivals += 1;
        }
        if st.closed == 0 && st.busy < rp.stations[s as usize].servers {
            st.stat.wait(now, now, m.warmup);
            self.class_wait(s as usize, t, now);
            self.start_service(s, t);
        } else {
            if m.classes.len() > 1 {
                let trains = &self.trains;
                let class_of =
                    |e: &(u32, SimTime)| m.flows[trains[e.0 as usize].flow as usize].class;
                insert(&mut st.queue, 0, (t, now), class_of);
            } else {
                st.queue.push_back((t, now));
            }
            st.stat.queue.set(now, st.queue.len() as u32);
            if self.recorder.is_some() {
                st.queued_wagons +=
                    u64::from(m.flows[self.trains[t as usize].flow as usize].train.wagons);
                st.stat
                    .queue_wagons
                    .set(now, st.queued_wagons.min(u64::from(u32::MAX)) as u32);
            }
        }
    }

    pub(super) fn start_service(&mut self, s: u32, t: u32) {
        let rp = self.p();
        let now = self.now;
        self.trace.started(now, self.trains[t as usize].serial);
        let st = &mut self.stations[s as usize];
        st.busy += 1;
        st.stat.busy.set(now, st.busy);
        let d = rp.stations[s as usize]
            .service
            .sample(&mut self.station_rng[s as usize]);
        self.schedule(now.plus_days(d), Event::ServiceDone(s, t));
    }

    pub(super) fn on_service_done(&mut self, s: u32, t: u32) {
        if !self.m.stores.is_empty() && self.store_blocks(t, s) {
            // Held for room at its next node, keeping its server.
            return;
        }
        let now = self.now;
        let st = &mut self.stations[s as usize];
        st.busy -= 1;
        st.stat.busy.set(now, st.busy);
        self.start_waiting_services(s);
        self.advance(t);
    }

    pub(super) fn start_waiting_services(&mut self, s: u32) {
        let rp = self.p();
        let m = self.m;
        let now = self.now;
        loop {
            let st = &mut self.stations[s as usize];
            if st.closed > 0 || st.busy >= rp.stations[s as usize].servers {
                return;
            }
            let Some((next, enq)) = st.queue.pop_front() else {
                return;
            };
            st.stat.queue.set(now, st.queue.len() as u32);
            if self.recorder.is_some() {
                st.queued_wagons -= u64::from(
                    m.flows[self.trains[next as usize].flow as usize]
                        .train
                        .wagons,
                );
                st.stat
                    .queue_wagons
                    .set(now, st.queued_wagons.min(u64::from(u32::MAX)) as u32);
            }
            st.stat.wait(enq, now, m.warmup);
            self.class_wait(s as usize, next, enq);
            self.start_service(s, next);
        }
    }

    pub(super) fn section_arrive(&mut self, s: u32, t: u32, units: u32) {
        let m = self.m;
        let now = self.now;
        let st = &mut self.sections[s as usize];
        if now >= m.warmup {
            st.stat.arrivals += 1;
        }
        if st.queue.is_empty() && st.closed == 0 && now >= st.next_free {
            st.stat.wait(now, now, m.warmup);
            self.class_wait(m.section_slot(s), t, now);
            self.enter_section(s, t, units);
        } else {
            if m.classes.len() > 1 {
                let trains = &self.trains;
                let class_of =
                    |e: &(u32, SimTime, u32)| m.flows[trains[e.0 as usize].flow as usize].class;
                insert(&mut st.queue, 0, (t, now, units), class_of);
            } else {
                st.queue.push_back((t, now, units));
            }
            st.stat.queue.set(now, st.queue.len() as u32);
            if self.recorder.is_some() {
                st.queued_wagons +=
                    u64::from(m.flows[self.trains[t as usize].flow as usize].train.wagons);
                st.stat
                    .queue_wagons
                    .set(now, st.queued_wagons.min(u64::from(u32::MAX)) as u32);
            }
            if !st.wake_pending && st.closed == 0 {
                st.wake_pending = true;
                let at = st.next_free.max(now);
                self.schedule(at, Event::SectionWake(s));
            }
        }
    }

    pub(super) fn enter_section(&mut self, s: u32, t: u32, units: u32) {
        let rp = self.p();
        let m = self.m;
        let now = self.now;
        self.trace.started(now, self.trains[t as usize].serial);
        let sm = &rp.sections[s as usize];
        let st = &mut self.sections[s as usize];
        let occupied = sm.headway_ms.saturating_mul(units as u64);
        st.next_free = now.plus_ms(occupied);
        // Occupied headway time, clipped to the observation window.
        let start = now.0.max(m.warmup.0);
        let end = now.0.saturating_add(occupied).min(m.horizon.0);
        st.stat.occupied_ms += end.saturating_sub(start);
        st.stat.all.occupied_ms += end.saturating_sub(now.0);
        let travel = sm.travel.sample(&mut self.section_rng[s as usize]);
        let last_unit = sm.headway_ms.saturating_mul(units as u64 - 1);
        self.schedule(now.plus_ms(last_unit).plus_days(travel), Event::Moved(t));
    }

    pub(super) fn on_section_wake(&mut self, s: u32) {
        let m = self.m;
        let now = self.now;
        self.sections[s as usize].wake_pending = false;
        loop {
            let st = &mut self.sections[s as usize];
            if st.closed > 0 {
                return;
            }
            if now < st.next_free {
                if !st.queue.is_empty() {
                    st.wake_pending = true;
                    let at = st.next_free;
                    self.schedule(at, Event::SectionWake(s));
                }
                return;
            }
            let Some((t, enq, units)) = st.queue.pop_front() else {
                return;
            };
            st.stat.queue.set(now, st.queue.len() as u32);
            if self.recorder.is_some() {
                st.queued_wagons -=
                    u64::from(m.flows[self.trains[t as usize].flow as usize].train.wagons);
                st.stat
                    .queue_wagons
                    .set(now, st.queued_wagons.min(u64::from(u32::MAX)) as u32);
            }
            st.stat.wait(enq, now, m.warmup);
            self.class_wait(m.section_slot(s), t, enq);
            self.enter_section(s, t, units);
        }
    }
}
