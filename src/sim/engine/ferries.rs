//! Ferry services: ports that queue wagons, vessels that load, sail, unload and
//! return, timetables, departures when full, and empty repositioning.

use std::collections::VecDeque;

use super::classes::insert;
use super::stat::{Stat, TimeAvg};
use super::{Event, Sim};
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use rand_distr::{Distribution, Exp1};

/// Wagons of one train waiting at a port.
#[derive(Clone, Copy, Debug)]
pub(super) struct PortEntry {
    pub(super) train: u32,
    pub(super) wagons_left: u32,
    pub(super) enq: SimTime,
    pub(super) teu_per_wagon: f64,
    /// Cargo tonnes per wagon (weighed against a deadweight).
    pub(super) tonnes_per_wagon: f64,
}

/// A ferry port during one replication.
#[derive(Debug, Default)]
pub(super) struct PortState {
    pub(super) queue: VecDeque<PortEntry>,
    /// Wagons waiting (a sum over trains, so wider than a train's count).
    pub(super) queued_wagons: u64,
    /// The vessel loading at the berth (departing when full).
    pub(super) loading: Option<u32>,
    /// Vessels ready in port behind the loading one (or, for timetables, all of them).
    pub(super) waiting: VecDeque<u32>,
    /// Vessels on their way to be ready here.
    pub(super) heading: u32,
    /// Trains whose last wagon has not sailed yet.
    pub(super) trains_waiting: u32,
    /// Timetabled sailings since the warm-up with no vessel in port (closures aside).
    pub(super) no_vessel: u64,
    /// Road units waiting (shared decks), counted up to `road_next`.
    pub(super) road_waiting: u64,
    /// When the next road unit arrives (shared decks).
    pub(super) road_next: SimTime,
    /// A `RoadArrival` event is in the queue for `road_next`.
    pub(super) road_pending: bool,
    pub(super) stat: Stat,
}

/// A ferry service's closures during one replication.
#[derive(Debug, Default)]
pub(super) struct FerryState {
    pub(super) closed: u32,
    pub(super) reopen: SimTime,
    /// Vessels in service (dated fleet changes move it).
    pub(super) active: u32,
    /// Vessels due to leave the fleet when next idle.
    pub(super) retiring: u32,
    /// Vessels out of service, ready to rejoin.
    pub(super) parked: Vec<u32>,
    /// Vessels absent (availability), as a time integral restarted at the warm-up.
    pub(super) absent: TimeAvg,
}

/// Wagons of one train aboard a vessel.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cargo {
    pub(super) train: u32,
    pub(super) wagons: u32,
    pub(super) enq: SimTime,
    pub(super) last: bool,
}

/// A vessel during one replication.
#[derive(Debug)]
pub(super) struct Vessel {
    pub(super) ferry: u32,
    /// The port it is at (or, while under way, the port it will next be at).
    pub(super) port: u32,
    pub(super) load: Vec<Cargo>,
    pub(super) load_wagons: u32,
    pub(super) load_teu: f64,
    /// TEU aboard, counted for every vessel (`load_teu` only where TEU limit room).
    pub(super) load_teu_carried: f64,
    pub(super) epoch: u32,
    pub(super) timer_set: bool,
    pub(super) timer_expired: bool,
    /// Its class in the service's fleet.
    pub(super) class: u32,
    /// Tonnes aboard (wagon tare plus cargo), counted where the class has a deadweight.
    pub(super) load_tonnes: f64,
    /// Its absence is due: it leaves service when next idle in port.
    pub(super) due: bool,
    /// Road units aboard (shared decks).
    pub(super) road_units: u32,
    /// Deck wagons taken by the road units aboard (their wagon equivalents, rounded up).
    pub(super) deck_reserved: u32,
}

impl Vessel {
    /// An empty vessel of ferry service `ferry` at `port`.
    pub(super) fn new(ferry: u32, port: u32, wagons: u32) -> Vessel {
        Vessel {
            ferry,
            port,
            // One entry per train aboard: grows (once) beyond this if needed, never in
            // proportion to an input number.
            load: Vec::with_capacity((wagons as usize).min(64)),
            load_wagons: 0,
            load_teu: 0.0,
            load_teu_carried: 0.0,
            epoch: 0,
            timer_set: false,
            timer_expired: false,
            class: 0,
            load_tonnes: 0.0,
            due: false,
            road_units: 0,
            deck_reserved: 0,
        }
    }
}

impl<T: Trace> Sim<'_, '_, T> {
    pub(super) fn port_arrive(&mut self, p: u32, t: u32) {
        let rp = self.p();
        let m = self.m;
        let now = self.now;
        let flow = &m.flows[self.trains[t as usize].flow as usize];
        let (wagons, teu_per_wagon) = (flow.train.wagons, flow.teu_per_wagon);
        let tonnes_per_wagon = flow.train.tonnes / f64::from(wagons);
        self.trains[t as usize].wagons_pending = wagons;
        let ps = &mut self.ports[p as usize];
        if now >= m.warmup {
            ps.stat.arrivals += 1;
        }
        let entry = PortEntry {
            train: t,
            wagons_left: wagons,
            enq: now,
            teu_per_wagon,
            tonnes_per_wagon,
        };
        if m.classes.len() > 1 {
            let trains = &self.trains;
            let full = |e: &PortEntry| m.flows[trains[e.train as usize].flow as usize].train.wagons;
            let class_of = |e: &PortEntry| m.flows[trains[e.train as usize].flow as usize].class;
            // A train whose first wagons have sailed keeps its place (non-preemptive).
            let from = usize::from(ps.queue.front().is_some_and(|f| f.wagons_left < full(f)));
            insert(&mut ps.queue, from, entry, class_of);
        } else {
            ps.queue.push_back(entry);
        }
        ps.queued_wagons += u64::from(wagons);
        ps.trains_waiting += 1;
        ps.stat.queue.set(now, ps.trains_waiting);
        ps.stat
            .queue_wagons
            .set(now, ps.queued_wagons.min(u64::from(u32::MAX)) as u32);
        if rp.ferries[(p / 2) as usize].timetable.is_none() {
            self.serve_port(p);
            self.reposition_to(p);
        }
    }

    /// The tonnes vessel `v` may load now: its class's deadweight times the load
    /// factor in force (dated and monthly), or `None` if weight does not limit it.
    fn weight_cap(&self, v: u32) -> Option<f64> {
        let vessel = &self.vessels[v as usize];
        let fm = &self.p().ferries[vessel.ferry as usize];
        let dw = fm.classes[vessel.class as usize].deadweight_t?;
        let month = fm
            .load_factor_by_month
            .map_or(1.0, |m| m[self.m.calendar.month_of(self.now.days())]);
        Some(dw * fm.load_factor * month)
    }

    /// Loads wagons from the port's queue onto vessel `v`, first come first served,
    /// up to the tighter of its deck (wagons, TEU) and its weight room.
    pub(super) fn load(&mut self, p: u32, v: u32) {
        let rp = self.p();
        let weight_cap = self.weight_cap(v);
        let vessel = &mut self.vessels[v as usize];
        let fm = &rp.ferries[vessel.ferry as usize];
        let cls = &fm.classes[vessel.class as usize];
        let ps = &mut self.ports[p as usize];
        while let Some(front) = ps.queue.front_mut() {
            let mut room = cls
                .wagons
                .saturating_sub(vessel.load_wagons + vessel.deck_reserved);
            if let Some(cap) = cls.teu
                && front.teu_per_wagon > 0.0
            {
                room = room.min(
                    ((cap - vessel.load_teu) / front.teu_per_wagon + 1e-9)
                        .floor()
                        .max(0.0) as u32,
                );
            }
            let per_wagon_t = cls.tare_t + front.tonnes_per_wagon;
            if let Some(cap) = weight_cap
                && per_wagon_t > 0.0
            {
                room = room.min(
                    ((cap - vessel.load_tonnes) / per_wagon_t + 1e-9)
                        .floor()
                        .max(0.0) as u32,
                );
            }
            let take = room.min(front.wagons_left);
            if take == 0 {
                break;
            }
            front.wagons_left -= take;
            ps.queued_wagons -= u64::from(take);
            vessel.load_wagons += take;
            if cls.teu.is_some() {
                vessel.load_teu += take as f64 * front.teu_per_wagon;
            }
            if weight_cap.is_some() {
                vessel.load_tonnes += take as f64 * per_wagon_t;
            }
            vessel.load_teu_carried += take as f64 * front.teu_per_wagon;
            let last = front.wagons_left == 0;
            vessel.load.push(Cargo {
                train: front.train,
                wagons: take,
                enq: front.enq,
                last,
            });
            if last {
                ps.queue.pop_front();
            }
        }
    }

    /// Loads vessel `v` from what waits at port `p`: wagons alone, or, where road
    /// units share the decks, road units and wagons in the service's loading order
    /// (road units first: as many as the deck and the weight room hold, the wagons then
    /// taking the deck left, whole wagons; or wagons first, the road units filling the
    /// deck left). A vessel departing when full loads again at every arrival, so there
    /// the order decides between units that wait together.
    pub(super) fn load_all(&mut self, p: u32, v: u32) {
        match &self.m.ferries[(p / 2) as usize].road {
            None => self.load(p, v),
            Some(road) if road.road_first => {
                self.board_road(p, v);
                self.load(p, v);
            }
            Some(_) => {
                self.load(p, v);
                self.board_road(p, v);
            }
        }
    }

    /// Boards the road units waiting at port `p` onto vessel `v`, as many as its deck
    /// left (a road unit takes `wagon_equivalents` of a wagon's deck room; the units
    /// aboard reserve the deck rounded up to whole wagons) and its weight room hold.
    fn board_road(&mut self, p: u32, v: u32) {
        let m = self.m;
        let Some(road) = &m.ferries[(p / 2) as usize].road else {
            return;
        };
        let weight_cap = self.weight_cap(v);
        let vessel = &self.vessels[v as usize];
        let deck = self.p().ferries[(p / 2) as usize].classes[vessel.class as usize].wagons;
        let weq = road.wagon_equivalents;
        let aboard = u64::from(vessel.road_units);
        // Road units the deck left by the wagons holds, in all (those aboard included).
        let fit = (f64::from(deck.saturating_sub(vessel.load_wagons)) / weq + 1e-9).floor() as u64;
        let mut n = fit.saturating_sub(aboard);
        if let Some(cap) = weight_cap
            && road.tonnes_per_unit > 0.0
        {
            let room = ((cap - vessel.load_tonnes) / road.tonnes_per_unit + 1e-9).floor();
            n = n.min(room.max(0.0) as u64);
        }
        let n = n.min(self.ports[p as usize].road_waiting);
        if n == 0 {
            return;
        }
        self.ports[p as usize].road_waiting -= n;
        let vessel = &mut self.vessels[v as usize];
        let units = (aboard + n).min(u64::from(u32::MAX)) as u32;
        vessel.road_units = units;
        vessel.deck_reserved = ((f64::from(units) * weq - 1e-9).ceil().max(0.0) as u32).min(deck);
        if weight_cap.is_some() {
            vessel.load_tonnes += n as f64 * road.tonnes_per_unit;
        }
    }

    /// The first road unit at port `p`, if its service has shared decks, is due
    /// after one gap from day 0.
    pub(super) fn start_road_units(&mut self, p: u32) {
        if self.m.ferries[(p / 2) as usize].road.is_some() {
            let gap = self.road_gap(p);
            self.ports[p as usize].road_next = SimTime::ZERO.plus_days(gap);
        }
    }

    /// The time to the next road unit at port `p`, from the port's own stream.
    fn road_gap(&mut self, p: u32) -> f64 {
        let road = self.m.ferries[(p / 2) as usize]
            .road
            .as_ref()
            .expect("a service with shared decks");
        if road.poisson {
            let e: f64 = Exp1.sample(&mut self.road_rng[p as usize]);
            e / road.units_per_day
        } else {
            1.0 / road.units_per_day
        }
    }

    /// Counts the road units that have come to port `p` by now. Road units are a
    /// count, drawn from the port's own stream, so counting them when they are needed
    /// (at a sailing, or as a vessel loads) gives the same arrivals as an event each.
    fn road_catch_up(&mut self, p: u32) {
        if self.m.ferries[(p / 2) as usize].road.is_none() {
            return;
        }
        while self.ports[p as usize].road_next <= self.now {
            self.ports[p as usize].road_waiting += 1;
            let gap = self.road_gap(p);
            let ps = &mut self.ports[p as usize];
            ps.road_next = ps.road_next.plus_days(gap);
        }
    }

    /// While a vessel departing when full loads at port `p`, its next road unit is an
    /// event: it may fill the deck.
    pub(super) fn road_watch(&mut self, p: u32) {
        let f = (p / 2) as usize;
        let ps = &self.ports[p as usize];
        if self.m.ferries[f].road.is_none()
            || self.p().ferries[f].timetable.is_some()
            || ps.road_pending
            || ps.loading.is_none()
        {
            return;
        }
        let at = ps.road_next;
        self.ports[p as usize].road_pending = true;
        self.schedule(at, Event::RoadArrival(p));
    }

    /// A road unit is due at port `p` while a vessel loads there.
    pub(super) fn on_road_arrival(&mut self, p: u32) {
        self.ports[p as usize].road_pending = false;
        self.serve_port(p);
    }

    /// True if vessel `v` can take no more of the port's queue: its deck is full, a
    /// wagon or road unit is left waiting, or its weight room is below the lightest wagon that
    /// comes to the port.
    pub(super) fn vessel_full(&self, p: u32, v: u32) -> bool {
        let rp = self.p();
        let vessel = &self.vessels[v as usize];
        let cls = &rp.ferries[vessel.ferry as usize].classes[vessel.class as usize];
        vessel.load_wagons + vessel.deck_reserved >= cls.wagons
            || !self.ports[p as usize].queue.is_empty()
            || (self.ports[p as usize].road_waiting > 0
                && (vessel.load_wagons > 0 || vessel.road_units > 0))
            || self.weight_cap(v).is_some_and(|cap| {
                cap - vessel.load_tonnes
                    < cls.tare_t + self.m.port_lightest_wagon_t[p as usize] - 1e-9
            })
    }

    /// Departing-when-full service at a port: load the vessel at the berth and let it
    /// sail when full or when its maximum wait is over, then the next one.
    pub(super) fn serve_port(&mut self, p: u32) {
        self.road_catch_up(p);
        self.serve_berth(p);
        self.road_watch(p);
    }

    /// [`Self::serve_port`] once the road units are counted.
    fn serve_berth(&mut self, p: u32) {
        let rp = self.p();
        let f = (p / 2) as usize;
        loop {
            let Some(v) = self.ports[p as usize].loading else {
                return;
            };
            self.load_all(p, v);
            let full = self.vessel_full(p, v);
            let vessel = &mut self.vessels[v as usize];
            let loaded = vessel.load_wagons > 0 || vessel.road_units > 0;
            let due = full || vessel.timer_expired || (rp.ferries[f].max_wait_ms == 0 && loaded);
            if due && self.ferries[f].closed == 0 {
                self.depart(v);
                continue;
            }
            if loaded && !vessel.timer_set {
                vessel.timer_set = true;
                let e = vessel.epoch;
                let at = self.now.plus_ms(rp.ferries[f].max_wait_ms);
                self.schedule(at, Event::FerryTimer(v, e));
            }
            return;
        }
    }

    /// Two-way services departing when full: while the wagons waiting at `q` exceed
    /// what the vessels there and on their way can take, an empty idle vessel at the
    /// other port sails over.
    pub(super) fn reposition_to(&mut self, q: u32) {
        let rp = self.p();
        let f = (q / 2) as usize;
        let fm = &rp.ferries[f];
        if fm.one_way || fm.timetable.is_some() {
            return;
        }
        loop {
            if self.ferries[f].closed > 0 {
                return;
            }
            let ps = &self.ports[q as usize];
            let at_q = u64::from(ps.loading.is_some()) + ps.waiting.len() as u64;
            if ps.queued_wagons as f64 <= (at_q + u64::from(ps.heading)) as f64 * fm.mean_wagons {
                return;
            }
            let other = q ^ 1;
            match self.ports[other as usize].loading {
                Some(v)
                    if self.vessels[v as usize].load_wagons == 0
                        && self.vessels[v as usize].road_units == 0 =>
                {
                    self.depart(v);
                    self.serve_port(other);
                }
                _ => return,
            }
        }
    }

    pub(super) fn on_timetable(&mut self, p: u32) {
        let rp = self.p();
        let f = (p / 2) as usize;
        let (_, every) = rp.ferries[f].timetable.expect("timetabled ferry");
        let next = self.now.plus_ms(every);
        self.schedule(next, Event::Timetable(p));
        if self.ferries[f].closed > 0 {
            return;
        }
        if let Some(v) = self.ports[p as usize].waiting.pop_front() {
            self.road_catch_up(p);
            self.load_all(p, v);
            self.depart(v);
        } else if self.now >= self.m.warmup {
            self.ports[p as usize].no_vessel += 1;
        }
    }

    pub(super) fn depart(&mut self, v: u32) {
        let rp = self.p();
        let m = self.m;
        let now = self.now;
        let (p, f) = {
            let vessel = &self.vessels[v as usize];
            (vessel.port, vessel.ferry)
        };
        let fm = &rp.ferries[f as usize];
        let ps = &mut self.ports[p as usize];
        if ps.loading == Some(v) {
            ps.loading = ps.waiting.pop_front();
        }
        let vessel = &mut self.vessels[v as usize];
        let mut done = 0;
        for c in &vessel.load {
            if c.last {
                ps.stat.wait(c.enq, now, m.warmup);
                if self.class_waits.on() {
                    let class = m.flows[self.trains[c.train as usize].flow as usize].class;
                    self.class_waits
                        .record(m.port_slot(p), class, c.enq, now, m.warmup);
                }
                self.trace
                    .started(now, self.trains[c.train as usize].serial);
                done += 1;
            }
        }
        if done > 0 {
            ps.trains_waiting -= done;
            ps.stat.queue.set(now, ps.trains_waiting);
        }
        if now >= m.warmup {
            ps.stat.sailings += 1;
            ps.stat.wagons += vessel.load_wagons as u64;
            ps.stat.road_units += u64::from(vessel.road_units);
        }
        ps.stat.all.sailings += 1;
        ps.stat.all.wagons += u64::from(vessel.load_wagons);
        ps.stat.all.road_units += u64::from(vessel.road_units);
        vessel.road_units = 0;
        vessel.deck_reserved = 0;
        ps.stat.all.teu += vessel.load_teu_carried;
        ps.stat
            .queue_wagons
            .set(now, ps.queued_wagons.min(u64::from(u32::MAX)) as u32);
        vessel.port = p ^ 1;
        vessel.epoch = vessel.epoch.wrapping_add(1);
        vessel.timer_set = false;
        vessel.timer_expired = false;
        let ready_port = if fm.one_way { p & !1 } else { p ^ 1 };
        self.ports[ready_port as usize].heading += 1;
        let d = fm.sailing.sample(&mut self.ferry_rng[f as usize]);
        self.schedule(now.plus_days(d), Event::VesselArrives(v));
        self.reposition_to(p);
        if !m.stores.is_empty() {
            // Trains whose last wagon sailed leave the port's node.
            for i in 0..self.vessels[v as usize].load.len() {
                let c = self.vessels[v as usize].load[i];
                if c.last {
                    self.store_leave(c.train);
                }
            }
        }
    }

    pub(super) fn on_vessel_arrives(&mut self, v: u32) {
        let rp = self.p();
        let (f, arrived_at) = {
            let vessel = &self.vessels[v as usize];
            (vessel.ferry, vessel.port)
        };
        let fm = &rp.ferries[f as usize];
        let n = self.vessels[v as usize].load.len();
        for i in 0..n {
            let c = self.vessels[v as usize].load[i];
            let tr = &mut self.trains[c.train as usize];
            tr.wagons_pending -= c.wagons;
            if tr.wagons_pending == 0 {
                self.advance(c.train);
            }
        }
        let vessel = &mut self.vessels[v as usize];
        vessel.load.clear();
        vessel.load_wagons = 0;
        vessel.load_teu = 0.0;
        vessel.load_teu_carried = 0.0;
        vessel.load_tonnes = 0.0;
        vessel.port = if fm.one_way {
            arrived_at & !1
        } else {
            arrived_at
        };
        let d = fm.turnaround.sample(&mut self.ferry_rng[f as usize]);
        self.schedule(self.now.plus_days(d), Event::VesselReady(v));
    }

    pub(super) fn on_vessel_ready(&mut self, v: u32) {
        let (f, p) = {
            let vessel = &self.vessels[v as usize];
            (vessel.ferry as usize, vessel.port)
        };
        self.ports[p as usize].heading -= 1;
        let fs = &mut self.ferries[f];
        if fs.retiring > 0 {
            // Due to leave the fleet: it does so now, empty, in port.
            fs.retiring -= 1;
            fs.active -= 1;
            fs.parked.push(v);
            return;
        }
        if self.vessels[v as usize].due {
            self.go_away(v);
            return;
        }
        if self.vessel_in_port(v) {
            self.reposition_to(p ^ 1);
        }
    }

    /// Starts vessel `v`'s time to its next absence, if its service has absences.
    pub(super) fn schedule_absence(&mut self, v: u32) {
        let f = self.vessels[v as usize].ferry as usize;
        if let Some((per_year, _)) = &self.m.ferries[f].availability {
            let e: f64 = Exp1.sample(&mut self.availability_rng[f]);
            let at = self.now.plus_days(e * 365.0 / per_year);
            self.schedule(at, Event::VesselDue(v));
        }
    }

    /// Vessel `v`'s absence is due: it leaves now if idle and empty in port (waiting,
    /// or at the berth with nothing aboard), else when it is next ready in port.
    pub(super) fn on_vessel_due(&mut self, v: u32) {
        self.vessels[v as usize].due = true;
        let p = self.vessels[v as usize].port;
        let ps = &mut self.ports[p as usize];
        if let Some(k) = ps.waiting.iter().position(|&w| w == v) {
            ps.waiting.remove(k);
            self.go_away(v);
        } else if ps.loading == Some(v)
            && self.vessels[v as usize].load_wagons == 0
            && self.vessels[v as usize].road_units == 0
        {
            ps.loading = ps.waiting.pop_front();
            self.go_away(v);
            self.serve_port(p);
        }
    }

    /// Vessel `v`, out of its port's queues, leaves service for one absence.
    pub(super) fn go_away(&mut self, v: u32) {
        let now = self.now;
        let vessel = &mut self.vessels[v as usize];
        vessel.due = false;
        vessel.epoch = vessel.epoch.wrapping_add(1);
        vessel.timer_set = false;
        vessel.timer_expired = false;
        let f = vessel.ferry as usize;
        let fs = &mut self.ferries[f];
        fs.absent.set(now, fs.absent.count + 1);
        if let Some((_, days)) = &self.m.ferries[f].availability {
            let d = days.sample(&mut self.availability_rng[f]);
            self.schedule(now.plus_days(d), Event::VesselBack(v));
        }
    }

    /// Absent vessel `v` comes back, ready in its port (or leaves the fleet, if a dated
    /// change is retiring vessels).
    pub(super) fn on_vessel_back(&mut self, v: u32) {
        let now = self.now;
        let (f, p) = {
            let vessel = &self.vessels[v as usize];
            (vessel.ferry as usize, vessel.port)
        };
        let fs = &mut self.ferries[f];
        fs.absent.set(now, fs.absent.count - 1);
        self.schedule_absence(v);
        let fs = &mut self.ferries[f];
        if fs.retiring > 0 {
            fs.retiring -= 1;
            fs.active -= 1;
            fs.parked.push(v);
            return;
        }
        if self.vessel_in_port(v) {
            self.reposition_to(p ^ 1);
        }
    }

    /// Vessel `v` is ready in its port: it waits behind others, or loads (true).
    pub(super) fn vessel_in_port(&mut self, v: u32) -> bool {
        let rp = self.p();
        let (f, p) = {
            let vessel = &self.vessels[v as usize];
            (vessel.ferry as usize, vessel.port)
        };
        let ps = &mut self.ports[p as usize];
        if rp.ferries[f].timetable.is_some() || ps.loading.is_some() {
            ps.waiting.push_back(v);
            return false;
        }
        ps.loading = Some(v);
        self.serve_port(p);
        true
    }

    pub(super) fn on_ferry_timer(&mut self, v: u32, epoch: u32) {
        let vessel = &mut self.vessels[v as usize];
        if vessel.epoch != epoch {
            return;
        }
        vessel.timer_expired = true;
        let p = vessel.port;
        self.serve_port(p);
    }
}
