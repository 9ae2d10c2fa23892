//! The event loop of one replication and the handlers of every resource.
//!
//! Everything is indexed: trains live in a slab reused through a free list, resources
//! in vectors, queues are `VecDeque`s that keep their capacity. In the steady state an
//! event allocates nothing.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Exp1};

mod classes;
mod ferries;
mod over_time;
mod stat;
mod stations;
mod storage;

use self::classes::ClassWaits;
use self::ferries::{FerryState, PortState, Vessel};
use self::over_time::Recorder;
use self::stat::Stat;
use self::stations::{SectionState, StationState};
use self::storage::{EmbargoState, StoreState};
use super::model::{ClosureModel, Model, NO_STORE, Regime, Res, Step};
use super::queue::EventQueue;
use super::result::{FlowResult, ReplicationResult, ResourceResult, RouteResult, Saturation};
use super::time::{MS_PER_DAY, SimTime};
use super::trace::{NoTrace, Trace};
use crate::scenario::{Arrivals, DisruptionTiming};
use crate::stats::{Bin, Histogram};

/// The random number generator of the simulation: xoshiro256++ (rand's portable
/// `Xoshiro256PlusPlus`, reproducible across platforms and versions). It passes
/// BigCrush and PractRand, has a period of 2^256 − 1 and 32 bytes of state, so the
/// generators of the 20,000 line sections of a large network fit in cache (ChaCha8
/// keeps a 256-byte block buffer besides its key: about 300 bytes each).
pub type SimRng = Xoshiro256PlusPlus;

/// An event in the future event list.
#[derive(Clone, Copy, Debug)]
enum Event {
    /// The next train of a flow arrives.
    Arrival(u32),
    /// A station finished serving a train: (station, train).
    ServiceDone(u32, u32),
    /// A line section may let the next waiting train enter.
    SectionWake(u32),
    /// A train reached the end of a line section.
    Moved(u32),
    /// A timetabled sailing is due at a port.
    Timetable(u32),
    /// A vessel arrives at the far port.
    VesselArrives(u32),
    /// A vessel is ready to load again.
    VesselReady(u32),
    /// A vessel's maximum wait is over: (vessel, epoch).
    FerryTimer(u32, u32),
    /// A closure begins.
    ClosureStart(u32),
    /// A closure ends: (closure source, targets to reopen).
    ClosureEnd(u32),
    /// The warm-up ends: time averages restart.
    WarmupEnd,
    /// Dated parameters change: regime `k` of [`Model::regimes`] begins.
    Regime(u32),
    /// Period `k` of the time series ends.
    PeriodEnd(u32),
    /// A vessel's absence is due: it leaves service when next idle in port.
    VesselDue(u32),
    /// An absent vessel comes back into service.
    VesselBack(u32),
    /// A road unit arrives at a ferry port.
    RoadArrival(u32),
}

/// A block train under way.
#[derive(Clone, Copy, Debug, Default)]
struct Train {
    flow: u32,
    route: u32,
    /// Index of its next step in [`Model::steps`].
    next: u32,
    /// One past its route's last step in [`Model::steps`].
    end: u32,
    wagons_pending: u32,
    arrived: SimTime,
    /// Number in order of arrival within the replication (for traces).
    serial: u64,
    adaptive: bool,
    alive: bool,
    /// Placed at day 0 by the starting backlog (not part of any cohort).
    initial: bool,
    /// Has left its origin.
    dispatched: bool,
    /// The storage limit of the node it is at, or [`NO_STORE`].
    store: u32,
}

#[derive(Debug)]
struct FlowState {
    timetable_k: u64,
    result: FlowResult,
    /// Since day 0, for time series: trains offered, dispatched and delivered, and
    /// the flow's trains in the corridor now.
    all_offered: u64,
    all_dispatched: u64,
    all_delivered: u64,
    in_system: u64,
}

/// The mutable world of one replication.
struct Sim<'m, 't, T: Trace> {
    m: &'m Model,
    trace: &'t mut T,
    serial: u64,
    now: SimTime,
    queue: EventQueue<Event>,
    trains: Vec<Train>,
    free: Vec<u32>,
    stations: Vec<StationState>,
    sections: Vec<SectionState>,
    ports: Vec<PortState>,
    ferries: Vec<FerryState>,
    vessels: Vec<Vessel>,
    flows: Vec<FlowState>,
    flow_rng: Vec<SimRng>,
    station_rng: Vec<SimRng>,
    section_rng: Vec<SimRng>,
    ferry_rng: Vec<SimRng>,
    closure_rng: Vec<SimRng>,
    /// Per ferry service, its vessels' absences (empty if no service has them).
    availability_rng: Vec<SimRng>,
    /// Per ferry port, its road units' arrivals (empty if no service has them).
    road_rng: Vec<SimRng>,
    events: u64,
    /// Trains created and not yet delivered.
    in_system: u64,
    /// Set when the trains in the system pass the model's limit: the run stops.
    saturated: Option<Saturation>,
    /// Index of the parameters in force in [`Model::regimes`].
    regime: u32,
    /// Results per period, if the model has time series.
    recorder: Option<Recorder>,
    /// Waits per train class and resource (empty without classes).
    class_waits: ClassWaits,
    /// Nodes with storage limits (empty without).
    stores: Vec<StoreState>,
    /// Embargoes (empty without).
    embargoes: Vec<EmbargoState>,
}

/// Up to this many flows, each flow's next arrival waits in a lane of the event queue
/// instead of its heap (see [`EventQueue`]); beyond, finding the earliest lane would
/// cost more than the heap.
const MAX_LANES: usize = 16;

/// Component kinds, for deriving one random stream per component.
const RNG_FLOW: u64 = 1;
const RNG_STATION: u64 = 2;
const RNG_SECTION: u64 = 3;
const RNG_FERRY: u64 = 4;
const RNG_CLOSURE: u64 = 5;
const RNG_AVAILABILITY: u64 = 6;
const RNG_ROAD: u64 = 7;
/// The uncertain inputs' draws (one stream per input), apart from every component's.
pub(crate) const RNG_INPUT: u64 = 8;

/// The random stream of one component in one replication. Its 256-bit starting state
/// hashes (seed, component kind, component index, replication) word by word with the
/// SplitMix64 finaliser (a bijection of 64-bit words), so every (component,
/// replication) of a seed starts at its own pseudo-random point of the 2^256 − 1
/// cycle: for 10^11 streams of 2^40 draws each, the chance that any two overlap is
/// below 10^-40. Giving every component its own stream keeps draws aligned when
/// parameters change (common random numbers), and a replication's draws do not depend
/// on which thread runs it.
pub fn component_rng(seed: u64, kind: u64, index: u64, replication: u64) -> SimRng {
    let component = (kind << 40) ^ index;
    let mut state = [0u8; 32];
    for (j, word) in state.chunks_exact_mut(8).enumerate() {
        // A different odd constant per word makes the four words independent hashes.
        let lane = 0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(2 * j as u64 + 1);
        let w = splitmix64(splitmix64(splitmix64(seed ^ lane) ^ component) ^ replication);
        word.copy_from_slice(&w.to_le_bytes());
    }
    // An all-zero state (probability 2^-256) is remapped by `from_seed`.
    Xoshiro256PlusPlus::from_seed(state)
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Runs one replication: a pure function of the model, the seed and the index.
pub fn run_replication(model: &Model, seed: u64, index: u64) -> ReplicationResult {
    run_replication_traced(model, seed, index, &mut NoTrace)
}

/// Runs one replication and reports every train's progress to `trace`. The result is
/// identical to [`run_replication`]'s.
pub fn run_replication_traced<T: Trace>(
    model: &Model,
    seed: u64,
    index: u64,
    trace: &mut T,
) -> ReplicationResult {
    if let Some((sampled, inputs)) = model.sampled(seed, index) {
        let mut sim = Sim::new(&sampled, seed, index, trace);
        sim.run();
        let mut r = sim.finish(index);
        r.inputs = inputs;
        return r;
    }
    let mut sim = Sim::new(model, seed, index, trace);
    sim.run();
    sim.finish(index)
}

impl<'m, 't, T: Trace> Sim<'m, 't, T> {
    fn new(m: &'m Model, seed: u64, rep: u64, trace: &'t mut T) -> Sim<'m, 't, T> {
        let rngs = |kind: u64, n: usize| -> Vec<SimRng> {
            (0..n as u64)
                .map(|i| component_rng(seed, kind, i, rep))
                .collect()
        };
        let mut vessels = Vec::new();
        let mut ports: Vec<PortState> = (0..2 * m.ferries.len())
            .map(|_| PortState::default())
            .collect();
        for (f, fm) in m.ferries.iter().enumerate() {
            for v in 0..fm.vessels {
                let port = if fm.one_way { 0 } else { v % 2 } + 2 * f as u32;
                let id = vessels.len() as u32;
                let mut vessel =
                    Vessel::new(f as u32, port, fm.classes[fm.class_of(v) as usize].wagons);
                vessel.class = fm.class_of(v);
                vessels.push(vessel);
                let ps = &mut ports[port as usize];
                if fm.timetable.is_none() && ps.loading.is_none() {
                    ps.loading = Some(id);
                } else {
                    ps.waiting.push_back(id);
                }
            }
        }
        let flows = m
            .flows
            .iter()
            .map(|f| FlowState {
                timetable_k: 0,
                result: FlowResult {
                    routes: vec![RouteResult::default(); f.routes.len()],
                    ..FlowResult::default()
                },
                all_offered: 0,
                all_dispatched: 0,
                all_delivered: 0,
                in_system: 0,
            })
            .collect();
        Sim {
            m,
            trace,
            serial: 0,
            now: SimTime::ZERO,
            queue: EventQueue::with_lanes(
                1024,
                if m.flows.len() <= MAX_LANES {
                    m.flows.len()
                } else {
                    0
                },
            ),
            trains: Vec::with_capacity(256),
            free: Vec::with_capacity(256),
            stations: (0..m.stations.len())
                .map(|_| StationState::default())
                .collect(),
            sections: (0..m.sections.len())
                .map(|_| SectionState::default())
                .collect(),
            ports,
            ferries: m
                .ferries
                .iter()
                .map(|fm| FerryState {
                    active: fm.vessels,
                    ..FerryState::default()
                })
                .collect(),
            vessels,
            flows,
            flow_rng: rngs(RNG_FLOW, m.flows.len()),
            station_rng: rngs(RNG_STATION, m.stations.len()),
            section_rng: rngs(RNG_SECTION, m.sections.len()),
            ferry_rng: rngs(RNG_FERRY, m.ferries.len()),
            closure_rng: rngs(RNG_CLOSURE, m.closures.len()),
            availability_rng: if m.ferries.iter().any(|f| f.availability.is_some()) {
                rngs(RNG_AVAILABILITY, m.ferries.len())
            } else {
                Vec::new()
            },
            road_rng: if m.ferries.iter().any(|f| f.road.is_some()) {
                rngs(RNG_ROAD, 2 * m.ferries.len())
            } else {
                Vec::new()
            },
            events: 0,
            in_system: 0,
            saturated: None,
            regime: 0,
            recorder: Recorder::new(m),
            class_waits: ClassWaits::new(m),
            stores: StoreState::all(m.stores.len()),
            embargoes: EmbargoState::all(m.embargoes.len()),
        }
    }

    /// Counts, by class, the wait of train `t` at resource `slot` from `enq` to now
    /// (nothing without classes).
    #[inline]
    fn class_wait(&mut self, slot: usize, t: u32, enq: SimTime) {
        if self.class_waits.on() {
            self.count_class_wait(slot, t, enq);
        }
    }

    /// [`Sim::class_wait`] with classes, out of line to keep the handlers small.
    #[cold]
    #[inline(never)]
    fn count_class_wait(&mut self, slot: usize, t: u32, enq: SimTime) {
        let class = self.m.flows[self.trains[t as usize].flow as usize].class;
        self.class_waits
            .record(slot, class, enq, self.now, self.m.warmup);
    }

    /// The resource parameters in force now.
    #[inline]
    fn p(&self) -> &'m Regime {
        &self.m.regimes[self.regime as usize]
    }

    fn schedule(&mut self, time: SimTime, e: Event) {
        if time < self.m.horizon {
            self.queue.push(time, e);
        }
    }

    /// Schedules the next train of flow `f`: in its lane of the queue if flows have
    /// lanes, else in the heap.
    #[inline]
    fn schedule_arrival(&mut self, f: u32, time: SimTime) {
        if time >= self.m.horizon {
            return;
        }
        if self.m.flows.len() <= MAX_LANES {
            self.queue.push_lane(f as usize, time, Event::Arrival(f));
        } else {
            self.queue.push(time, Event::Arrival(f));
        }
    }

    fn run(&mut self) {
        self.queue.push(self.m.warmup, Event::WarmupEnd);
        for (k, r) in self.m.regimes.iter().enumerate().skip(1) {
            self.schedule(r.at, Event::Regime(k as u32));
        }
        // Period ends are chained (each schedules the next), so the heap holds one.
        if let Some(start) = self.m.period_starts.get(1) {
            self.schedule(*start, Event::PeriodEnd(0));
        }
        for p in 0..self.ports.len() as u32 {
            self.start_road_units(p);
        }
        self.place_backlog();
        for f in 0..self.m.flows.len() as u32 {
            self.schedule_first_arrival(f);
        }
        for (c, cm) in self.m.closures.iter().enumerate() {
            let t = match cm.timing {
                DisruptionTiming::Scheduled { start_day } => SimTime::from_days(start_day),
                DisruptionTiming::Random { per_year, by_month } => {
                    let e: f64 = Exp1.sample(&mut self.closure_rng[c]);
                    match by_month {
                        None => SimTime::from_days(e * 365.0 / per_year),
                        Some(rates) => self.seasonal_after(SimTime::ZERO, e, &rates),
                    }
                }
            };
            self.schedule(t, Event::ClosureStart(c as u32));
        }
        for (f, fm) in self.m.ferries.iter().enumerate() {
            if let Some((first, _)) = fm.timetable {
                self.schedule(first, Event::Timetable(2 * f as u32));
                if !fm.one_way {
                    self.schedule(first, Event::Timetable(2 * f as u32 + 1));
                }
            }
        }
        for v in 0..self.vessels.len() as u32 {
            self.schedule_absence(v);
        }
        for p in 0..self.ports.len() as u32 {
            self.road_watch(p);
        }
        while let Some((time, event)) = self.queue.pop() {
            self.now = time;
            self.events += 1;
            match event {
                Event::Arrival(f) => self.on_arrival(f),
                Event::ServiceDone(s, t) => self.on_service_done(s, t),
                Event::SectionWake(s) => self.on_section_wake(s),
                Event::Moved(t) => self.advance(t),
                Event::Timetable(p) => self.on_timetable(p),
                Event::VesselArrives(v) => self.on_vessel_arrives(v),
                Event::VesselReady(v) => self.on_vessel_ready(v),
                Event::FerryTimer(v, epoch) => self.on_ferry_timer(v, epoch),
                Event::ClosureStart(c) => self.on_closure_start(c),
                Event::ClosureEnd(c) => self.on_closure_end(c),
                Event::WarmupEnd => self.on_warmup_end(),
                Event::Regime(k) => self.on_regime(k),
                Event::VesselDue(v) => self.on_vessel_due(v),
                Event::VesselBack(v) => self.on_vessel_back(v),
                Event::RoadArrival(p) => self.on_road_arrival(p),
                Event::PeriodEnd(k) => {
                    self.period_end(k as usize);
                    if let Some(start) = self.m.period_starts.get(k as usize + 2) {
                        self.schedule(*start, Event::PeriodEnd(k + 1));
                    }
                }
            }
            if self.saturated.is_some() {
                // Stop here: the figures cover the window up to now (see `finish`).
                return;
            }
        }
        self.now = self.m.horizon;
        if let Some(k) = self.recorder.as_ref().map(|r| r.current) {
            self.period_end(k);
        }
    }

    /// Records saturation: when, how many trains, and the resource with the largest
    /// backlog of waiting trains.
    fn saturate(&mut self) {
        let m = self.m;
        let mut best: Option<(usize, usize)> = None;
        let mut consider = |slot: usize, backlog: usize| {
            if m.slot_to_resource[slot].is_some() && best.is_none_or(|(_, b)| backlog > b) {
                best = Some((slot, backlog));
            }
        };
        for (s, st) in self.stations.iter().enumerate() {
            consider(s, st.queue.len());
        }
        for (s, st) in self.sections.iter().enumerate() {
            consider(m.section_slot(s as u32), st.queue.len());
        }
        for (p, ps) in self.ports.iter().enumerate() {
            consider(m.port_slot(p as u32), ps.trains_waiting as usize);
        }
        self.saturated = Some(Saturation {
            day: self.now.days(),
            trains_in_system: self.in_system,
            resource: best
                .filter(|(_, b)| *b > 0)
                .and_then(|(slot, _)| m.slot_to_resource[slot]),
        });
    }

    // ----- arrivals and trains -------------------------------------------------------

    fn schedule_first_arrival(&mut self, f: u32) {
        let fm = &self.m.flows[f as usize];
        let t = match &fm.arrivals {
            Arrivals::Timetable { offset_days } if !fm.profile.is_flat() => {
                let mut t = *offset_days;
                while fm.profile.multiplier(t) <= 0.0 && t < self.m.horizon.days() {
                    t = fm.profile.step_at(t).1;
                }
                SimTime::from_days(t)
            }
            Arrivals::Timetable { offset_days } => SimTime::from_days(*offset_days),
            _ => match self.next_random_arrival(f, SimTime::ZERO) {
                Some(t) => t,
                None => return,
            },
        };
        self.schedule_arrival(f, t);
    }

    /// The next arrival after `from` of a Poisson or seasonal flow (seasonal by
    /// thinning a Poisson process at the peak rate).
    fn next_random_arrival(&mut self, f: u32, from: SimTime) -> Option<SimTime> {
        let fm = &self.m.flows[f as usize];
        if !fm.profile.is_flat() {
            return self.next_arrival_over_time(f, from);
        }
        let rng = &mut self.flow_rng[f as usize];
        match &fm.arrivals {
            Arrivals::Seasonal { factors } => {
                let peak = factors.iter().cloned().fold(0.0, f64::max);
                let mut t = from;
                loop {
                    let e: f64 = Exp1.sample(rng);
                    t = t.plus_days(e * fm.mean_interval_days / peak);
                    if t >= self.m.horizon {
                        return None;
                    }
                    let month = self.m.calendar.month_of(t.days());
                    let u: f64 = rand::RngExt::random(rng);
                    if u * peak < factors[month] {
                        return Some(t);
                    }
                }
            }
            _ => {
                let e: f64 = Exp1.sample(rng);
                Some(from.plus_days(e * fm.mean_interval_days))
            }
        }
    }

    fn on_arrival(&mut self, f: u32) {
        let m = self.m;
        let fm = &m.flows[f as usize];
        // Schedule the next train of this flow first.
        let next = match &fm.arrivals {
            Arrivals::Timetable { .. } if !fm.profile.is_flat() => {
                self.next_timetabled_over_time(f)
            }
            Arrivals::Timetable { offset_days } => {
                let k = {
                    let st = &mut self.flows[f as usize];
                    st.timetable_k += 1;
                    st.timetable_k
                };
                Some(SimTime::from_days(
                    offset_days + k as f64 * fm.mean_interval_days,
                ))
            }
            _ => self.next_random_arrival(f, self.now),
        };
        if let Some(t) = next {
            self.schedule_arrival(f, t);
        }
        let route = if fm.split_cumulative.is_empty() {
            fm.routes[0]
        } else {
            let u: f64 = rand::RngExt::random(&mut self.flow_rng[f as usize]);
            let total = *fm.split_cumulative.last().expect("split has routes");
            let i = fm
                .split_cumulative
                .iter()
                .position(|c| u * total < *c)
                .unwrap_or(fm.routes.len() - 1);
            fm.routes[i]
        };
        let fs = &mut self.flows[f as usize];
        if self.now >= m.warmup {
            fs.result.offered += 1;
        }
        fs.all_offered += 1;
        let r = &m.routes[route as usize];
        let serial = self.serial;
        self.serial += 1;
        self.trace.created(self.now, serial, f);
        let t = self.new_train(Train {
            flow: f,
            route,
            next: r.start,
            end: r.start + r.len,
            wagons_pending: 0,
            arrived: self.now,
            serial,
            adaptive: fm.adaptive,
            alive: true,
            initial: false,
            dispatched: false,
            store: NO_STORE,
        });
        self.advance(t);
    }

    /// Puts a train in a free slot of the slab and counts it in the system.
    fn new_train(&mut self, train: Train) -> u32 {
        self.in_system += 1;
        self.flows[train.flow as usize].in_system += 1;
        if self.in_system > self.m.max_trains_in_system {
            self.saturate();
        }
        match self.free.pop() {
            Some(t) => {
                self.trains[t as usize] = train;
                t
            }
            None => {
                self.trains.push(train);
                (self.trains.len() - 1) as u32
            }
        }
    }

    /// Moves a train to its next step, choosing among alternatives at branch points.
    #[inline]
    fn advance(&mut self, t: u32) {
        let m = self.m;
        if self.trains[t as usize].adaptive {
            self.choose_route(t);
        }
        let tr = &mut self.trains[t as usize];
        if !tr.dispatched && self.recorder.is_some() && tr.next > m.routes[tr.route as usize].start
        {
            tr.dispatched = true;
            self.flows[tr.flow as usize].all_dispatched += 1;
        }
        let tr = &mut self.trains[t as usize];
        if tr.next == tr.end {
            self.complete(t);
            return;
        }
        let k = tr.next;
        if !m.embargoes.is_empty()
            && k == m.routes[tr.route as usize].start
            && self.embargo_holds(t)
        {
            return;
        }
        if !m.stores.is_empty() && !self.store_gate(t, k) {
            return;
        }
        let tr = &mut self.trains[t as usize];
        let step = m.steps[k as usize];
        self.trace.arrived(self.now, tr.serial, tr.route, tr.next);
        tr.next += 1;
        match step {
            Step::Station(s) => self.station_arrive(s, t),
            Step::Section { section, units } => self.section_arrive(section, t, units),
            Step::Port(p) => self.port_arrive(p, t),
        }
    }

    /// Adaptive policy: at a branch point, switch to the alternative with the least
    /// expected remaining time (ties keep the current route).
    fn choose_route(&mut self, t: u32) {
        let m = self.m;
        let tr = self.trains[t as usize];
        let current = &m.routes[tr.route as usize];
        let pos = (tr.next - current.start) as usize;
        let alternatives = &current.branches[pos];
        if alternatives.is_empty() {
            return;
        }
        let mut route = tr.route;
        let mut best = self.remaining_days(route, pos, tr.flow);
        for &alt in alternatives {
            let d = self.remaining_days(alt, pos, tr.flow);
            if d < best - 1e-9 {
                best = d;
                route = alt;
            }
        }
        if route != tr.route {
            let r = &m.routes[route as usize];
            let tr = &mut self.trains[t as usize];
            tr.route = route;
            tr.next = r.start + pos as u32;
            tr.end = r.start + r.len;
        }
    }

    fn complete(&mut self, t: u32) {
        let m = self.m;
        let tr = self.trains[t as usize];
        let fs = &mut self.flows[tr.flow as usize];
        fs.all_delivered += 1;
        fs.in_system -= 1;
        let r = &mut fs.result;
        if self.now >= m.warmup {
            r.completed += 1;
        }
        self.trace.delivered(
            self.now,
            tr.serial,
            tr.flow,
            self.now.days_since(tr.arrived),
        );
        let in_window = !tr.initial && tr.arrived >= m.warmup;
        if tr.initial {
            r.initial_delivered += 1;
        } else if in_window || self.recorder.is_some() {
            let transit = self.now.days_since(tr.arrived);
            let bin = Bin::of(transit);
            if let Some(rec) = &mut self.recorder {
                rec.delivered(
                    &m.period_starts,
                    m.flows.len(),
                    tr.flow,
                    tr.arrived,
                    transit,
                    bin,
                );
            }
            if in_window {
                r.delivered += 1;
                r.transit_sum_days += transit;
                r.transit.record_bin(bin);
                let rr = &mut r.routes[m.routes[tr.route as usize].index_in_flow as usize];
                rr.delivered += 1;
                rr.transit_sum_days += transit;
                rr.transit.record_bin(bin);
            }
        }
        if !m.stores.is_empty() {
            self.store_leave(t);
        }
        self.trains[t as usize].alive = false;
        self.in_system -= 1;
        self.free.push(t);
    }

    /// Expected days from step `pos` of a route to the destination, given the current
    /// queues, closures and ferry backlogs.
    fn remaining_days(&self, route: u32, pos: usize, flow: u32) -> f64 {
        let rp = self.p();
        let m = self.m;
        let now = self.now;
        let wagons = m.flows[flow as usize].train.wagons;
        let closed_for = |closed: u32, reopen: SimTime| -> f64 {
            if closed > 0 {
                reopen.days_since(now)
            } else {
                0.0
            }
        };
        let mut days = 0.0;
        let r = &m.routes[route as usize];
        for step in &m.steps[(r.start as usize + pos)..(r.start + r.len) as usize] {
            days += match *step {
                Step::Station(s) => {
                    let sm = &rp.stations[s as usize];
                    let st = &self.stations[s as usize];
                    let mean = sm.service.mean();
                    let ahead = (st.queue.len() as u64 + u64::from(st.busy) + 1)
                        .saturating_sub(u64::from(sm.servers));
                    mean + ahead as f64 * mean / sm.servers as f64
                        + closed_for(st.closed, st.reopen)
                }
                Step::Section { section, units } => {
                    let sm = &rp.sections[section as usize];
                    let st = &self.sections[section as usize];
                    let h = sm.headway_ms as f64 / MS_PER_DAY;
                    sm.travel.mean()
                        + (units - 1) as f64 * h
                        + st.next_free.days_since(now)
                        + st.queue.len() as f64 * units as f64 * h
                        + closed_for(st.closed, st.reopen)
                }
                Step::Port(p) => {
                    let fm = &rp.ferries[(p / 2) as usize];
                    let ps = &self.ports[p as usize];
                    let fs = &self.ferries[(p / 2) as usize];
                    let backlog = (ps.queued_wagons + u64::from(wagons)) as f64 / fm.mean_wagons;
                    fm.sailing.mean()
                        + fm.interval_days * (backlog.ceil() - 0.5).max(0.5)
                        + closed_for(fs.closed, fs.reopen)
                }
            };
        }
        days
    }

    // ----- closures --------------------------------------------------------------------

    fn on_closure_start(&mut self, c: u32) {
        let m = self.m;
        let cm: &ClosureModel = &m.closures[c as usize];
        let rng = &mut self.closure_rng[c as usize];
        let d = cm.duration.sample(rng);
        if let DisruptionTiming::Random { per_year, by_month } = &cm.timing {
            let e: f64 = Exp1.sample(rng);
            let next = match by_month {
                None => self.now.plus_days(e * 365.0 / *per_year),
                Some(rates) => self.seasonal_after(self.now, e, rates),
            };
            self.schedule(next, Event::ClosureStart(c));
        }
        let end = self.now.plus_days(d);
        for &r in &cm.targets {
            self.close(r, end);
        }
        // A closure that outlasts the run still counts as closed until the horizon.
        self.schedule(end, Event::ClosureEnd(c));
    }

    /// The next start of a seasonal closure process after `from`: the time at which its
    /// integrated rate (closures per year in each calendar month, piecewise constant)
    /// since `from` reaches the unit exponential `e`, the exact inversion of a
    /// non-homogeneous Poisson process. Past the horizon if it does not by then.
    fn seasonal_after(&self, from: SimTime, e: f64, rates: &[f64; 12]) -> SimTime {
        let cal = &self.m.calendar;
        let horizon = self.m.horizon.days();
        // Closure-years left to integrate (rates are per 365 days).
        let mut left = e * 365.0;
        let mut t = from.days();
        while t < horizon {
            let rate = rates[cal.month_of(t)];
            let end = cal.next_month_start(t);
            if rate > 0.0 && rate * (end - t) >= left {
                return SimTime::from_days(t + left / rate);
            }
            left -= rate * (end - t);
            t = end;
        }
        self.m.horizon
    }

    fn close(&mut self, r: Res, end: SimTime) {
        let now = self.now;
        match r {
            Res::Station(s) => {
                let st = &mut self.stations[s as usize];
                st.closed += 1;
                st.reopen = st.reopen.max(end);
                st.stat.closed.set(now, 1);
            }
            Res::Section(s) => {
                let st = &mut self.sections[s as usize];
                st.closed += 1;
                st.reopen = st.reopen.max(end);
                st.stat.closed.set(now, 1);
            }
            Res::Ferry(f) => {
                let fs = &mut self.ferries[f as usize];
                fs.closed += 1;
                fs.reopen = fs.reopen.max(end);
                for p in [2 * f, 2 * f + 1] {
                    self.ports[p as usize].stat.closed.set(now, 1);
                }
            }
        }
    }

    fn on_closure_end(&mut self, c: u32) {
        let rp = self.p();
        let now = self.now;
        let targets = &self.m.closures[c as usize].targets;
        for &r in targets {
            match r {
                Res::Station(s) => {
                    let st = &mut self.stations[s as usize];
                    st.closed -= 1;
                    if st.closed == 0 {
                        st.stat.closed.set(now, 0);
                        self.start_waiting_services(s);
                    }
                }
                Res::Section(s) => {
                    let st = &mut self.sections[s as usize];
                    st.closed -= 1;
                    if st.closed == 0 {
                        st.stat.closed.set(now, 0);
                        if !st.queue.is_empty() && !st.wake_pending {
                            st.wake_pending = true;
                            let at = st.next_free.max(now);
                            self.schedule(at, Event::SectionWake(s));
                        }
                    }
                }
                Res::Ferry(f) => {
                    let fs = &mut self.ferries[f as usize];
                    fs.closed -= 1;
                    if fs.closed == 0 {
                        for p in [2 * f, 2 * f + 1] {
                            self.ports[p as usize].stat.closed.set(now, 0);
                        }
                        if rp.ferries[f as usize].timetable.is_none() {
                            for p in [2 * f, 2 * f + 1] {
                                self.serve_port(p);
                            }
                            for p in [2 * f, 2 * f + 1] {
                                self.reposition_to(p);
                            }
                        }
                    }
                }
            }
        }
    }

    fn on_warmup_end(&mut self) {
        let now = self.now;
        let restart = |s: &mut Stat| {
            s.queue.restart(now);
            s.busy.restart(now);
            s.closed.restart(now);
        };
        self.stations.iter_mut().for_each(|x| restart(&mut x.stat));
        self.sections.iter_mut().for_each(|x| restart(&mut x.stat));
        self.ports.iter_mut().for_each(|x| restart(&mut x.stat));
        self.ferries.iter_mut().for_each(|x| x.absent.restart(now));
        self.stores.iter_mut().for_each(|x| x.restart(now));
        self.embargoes.iter_mut().for_each(|x| x.restart(now));
    }

    // ----- results ---------------------------------------------------------------------

    fn finish(mut self, index: u64) -> ReplicationResult {
        let rp = self.p();
        let m = self.m;
        // The window ends at the horizon, or earlier when the run saturated; a window
        // that ended before the warm-up did is empty and every share in it is zero.
        let now = self.now.min(m.horizon);
        let window_ms = now.0.saturating_sub(m.warmup.0) as f64;
        let window_days = window_ms / MS_PER_DAY;
        let share = |part: f64, whole: f64| {
            if whole > 0.0 {
                (part / whole).clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        let per_window = |area: f64| {
            if window_ms > 0.0 {
                area / window_ms
            } else {
                0.0
            }
        };
        for tr in self
            .trains
            .iter()
            .filter(|t| t.alive && t.arrived >= m.warmup)
        {
            let idx = m.routes[tr.route as usize].index_in_flow as usize;
            self.flows[tr.flow as usize].result.routes[idx].in_system += 1;
        }
        // Trains still waiting at the horizon: censored waits (their wait so far).
        let mut censored = vec![(0u64, 0u64); m.slot_to_resource.len()];
        let mut censor = |slot: usize, enq: SimTime| {
            if enq >= m.warmup {
                censored[slot].0 += 1;
                censored[slot].1 += now.0.saturating_sub(enq.0);
            }
        };
        for (s, st) in self.stations.iter().enumerate() {
            st.queue.iter().for_each(|(_, enq)| censor(s, *enq));
        }
        for (s, st) in self.sections.iter().enumerate() {
            let slot = m.section_slot(s as u32);
            st.queue.iter().for_each(|(_, enq, _)| censor(slot, *enq));
        }
        for (p, ps) in self.ports.iter().enumerate() {
            let slot = m.port_slot(p as u32);
            ps.queue.iter().for_each(|e| censor(slot, e.enq));
        }
        for tr in self
            .trains
            .iter()
            .filter(|t| t.alive && !t.initial && t.arrived >= m.warmup)
        {
            let r = &mut self.flows[tr.flow as usize].result;
            let age = now.days_since(tr.arrived);
            r.in_system_age_sum_days += age;
            r.in_system_age_max_days = r.in_system_age_max_days.max(age);
        }
        let mut resources = vec![ResourceResult::default(); m.resources().len()];
        let mut put = |slot: usize, stat: &mut Stat, utilization: f64, in_service: f64| {
            let Some(i) = m.slot_to_resource[slot] else {
                return;
            };
            resources[i as usize] = ResourceResult {
                arrivals: stat.arrivals,
                waits: stat.waits,
                wait_sum_days: stat.wait_sum_ms as f64 / MS_PER_DAY,
                utilization,
                queue_mean: per_window(stat.queue.area(now)),
                in_service_mean: in_service,
                closed_share: share(stat.closed.area(now), window_ms),
                sailings: stat.sailings,
                wagons: stat.wagons,
                censored_waits: censored[slot].0,
                censored_wait_sum_days: censored[slot].1 as f64 / MS_PER_DAY,
                vessel_days_absent: 0.0,
                sailings_without_vessel: 0,
                road_units: stat.road_units,
            };
        };
        let dated = m.regimes.len() > 1;
        for (s, st) in self.stations.iter_mut().enumerate() {
            let busy = per_window(st.stat.busy.area(now));
            let util = if dated {
                share(
                    st.stat.busy.area(now),
                    m.station_server_ms(s as u32, m.warmup, now),
                )
            } else {
                share(busy, rp.stations[s].servers as f64)
            };
            put(s, &mut st.stat, util, busy);
        }
        for (s, st) in self.sections.iter_mut().enumerate() {
            // Booked headway time in the window; bookings never overlap, so it is at
            // most the window (the clamp only guards a window cut short by saturation).
            let util = share(st.stat.occupied_ms as f64, window_ms);
            put(m.section_slot(s as u32), &mut st.stat, util, util);
        }
        for (p, ps) in self.ports.iter_mut().enumerate() {
            // Deck used (wagons, and road units in wagon equivalents) over what the
            // fleet could carry in the window: the larger of its nominal capacity and
            // the room on the sailings actually made (a weekly ferry may sail twice in
            // ten days), so the share is at most 1.
            let fm = &rp.ferries[p / 2];
            let room = ps.stat.sailings as f64 * fm.mean_wagons;
            let nominal = if dated {
                m.ferry_capacity_wagons((p / 2) as u32, m.warmup, now)
            } else {
                fm.capacity_wagons_per_day * window_days
            };
            let cap = nominal.max(room);
            let weq = m.ferries[p / 2]
                .road
                .as_ref()
                .map_or(0.0, |r| r.wagon_equivalents);
            let used = ps.stat.wagons as f64 + ps.stat.road_units as f64 * weq;
            let util = share(used, cap);
            put(m.port_slot(p as u32), &mut ps.stat, util, 0.0);
        }
        for (p, ps) in self.ports.iter().enumerate() {
            if let Some(i) = m.slot_to_resource[m.port_slot(p as u32)] {
                let r = &mut resources[i as usize];
                r.sailings_without_vessel = ps.no_vessel;
                if m.ferries[p / 2].availability.is_some() {
                    r.vessel_days_absent = self.ferries[p / 2].absent.area(now) / MS_PER_DAY;
                }
            }
        }
        let class_waits = self.class_waits.finish(m);
        let stores = self.store_results(now, window_ms);
        let embargoes = self.embargo_results(now);
        let series = self
            .recorder
            .take()
            .map(|r| Box::new(r.finish(m.flows.len())));
        let mut all = Histogram::new();
        let flows: Vec<FlowResult> = self
            .flows
            .into_iter()
            .zip(&m.flows)
            .map(|(mut f, fm)| {
                let r = &mut f.result;
                r.in_system = r.offered - r.delivered - r.refused;
                r.teu_delivered = r.delivered as f64 * fm.train.teu;
                r.tonnes_delivered = r.delivered as f64 * fm.train.tonnes;
                r.transit_p50_days = r.transit.quantile(0.5).unwrap_or(f64::NAN);
                r.transit_p95_days = r.transit.quantile(0.95).unwrap_or(f64::NAN);
                all.merge(&r.transit);
                f.result
            })
            .collect();
        ReplicationResult {
            index,
            events: self.events,
            flows,
            resources,
            transit_p50_days: all.quantile(0.5).unwrap_or(f64::NAN),
            transit_p95_days: all.quantile(0.95).unwrap_or(f64::NAN),
            saturated: self.saturated,
            series,
            class_waits,
            inputs: Vec::new(),
            stores,
            embargoes,
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;

    /// χ² critical value for 99 degrees of freedom at the 0.999 level.
    const CHI2_99_999: f64 = 148.23;

    #[test]
    fn component_streams_are_reproducible_and_distinct() {
        let draws = |seed, kind, index, rep| {
            let mut rng = component_rng(seed, kind, index, rep);
            [rng.next_u64(), rng.next_u64()]
        };
        assert_eq!(draws(1, 2, 3, 4), draws(1, 2, 3, 4));
        let mut seen = std::collections::HashSet::new();
        for seed in 0..4 {
            for kind in 1..=5 {
                for index in 0..20 {
                    for rep in 0..20 {
                        assert!(seen.insert(draws(seed, kind, index, rep)));
                    }
                }
            }
        }
    }

    #[test]
    fn first_draws_across_replications_and_components_are_uniform() {
        // A stream's first draw, over consecutive replications (or components), must
        // look like independent uniform numbers: χ² over 100 equal bins, and adjacent
        // streams uncorrelated.
        let n = 20_000;
        for by_replication in [true, false] {
            let first: Vec<f64> = (0..n)
                .map(|k| {
                    let mut rng = if by_replication {
                        component_rng(7, RNG_SECTION, 3, k)
                    } else {
                        component_rng(7, RNG_SECTION, k, 3)
                    };
                    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
                })
                .collect();
            let mut bins = [0u64; 100];
            for u in &first {
                bins[(u * 100.0) as usize] += 1;
            }
            let expected = n as f64 / 100.0;
            let chi2: f64 = bins
                .iter()
                .map(|&c| (c as f64 - expected).powi(2) / expected)
                .sum();
            assert!(chi2 < CHI2_99_999, "χ² = {chi2:.1}");
            // Lag-1 correlation of uniforms: standard error 1/sqrt(n); 4.5 of them.
            let corr: f64 = first
                .windows(2)
                .map(|w| (w[0] - 0.5) * (w[1] - 0.5))
                .sum::<f64>()
                / (n as f64 - 1.0)
                * 12.0;
            assert!(
                corr.abs() < 4.5 / (n as f64).sqrt(),
                "correlation {corr:.4}"
            );
        }
    }

    #[test]
    fn the_generator_state_is_small() {
        assert!(std::mem::size_of::<SimRng>() <= 32);
    }
}
