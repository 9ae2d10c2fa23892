//! Time in the engine: rates that change over time, parameters that change on
//! dates, the starting backlog, and the recorder of results per period.

use rand_distr::{Distribution, Exp1};

use super::{Event, Sim, Train};
use crate::scenario::Arrivals;
use crate::sim::model::{NO_STORE, ResourceKind};
use crate::sim::series::{FERRY_MEASURES, FLOW_MEASURES, RESOURCE_MEASURES, SeriesResult};
use crate::sim::time::{MS_PER_DAY, SimTime};
use crate::sim::trace::Trace;
use crate::stats::{Bin, Histogram};

/// Raw cumulative quantities kept per resource between period ends: trains waiting
/// (time integral), wagons waiting (time integral), busy (station server time, line
/// headway booked, or ferry wagons carried), waits ended, their sum (ms), sailings,
/// TEU carried.
const RAW: usize = 8;

/// Delivered trains whose cohort bins are gathered before they are spilled into
/// per-cohort histograms (512 KiB).
const SPILL: usize = 1 << 16;

/// Transit times by cohort (period of arrival × flow, period-major): the sum, the
/// count and the 95th percentile of each, as a per-cohort histogram would give it.
struct Cohorts {
    sum: Vec<f64>,
    n: Vec<u64>,
    /// Each delivered train's cohort (high half) and transit bin (low half), gathered
    /// by cohort at the end, so that most runs need no histogram per cohort.
    bins: Vec<u64>,
    /// Per cohort, the bins spilled from `bins` when it reached `spill_at` (empty
    /// until then): memory stays bounded however long the horizon.
    hist: Vec<Histogram>,
    spill_at: usize,
}

impl Cohorts {
    fn new(cohorts: usize, spill_at: usize) -> Cohorts {
        Cohorts {
            sum: vec![0.0; cohorts],
            n: vec![0; cohorts],
            bins: Vec::with_capacity(1024.min(spill_at)),
            hist: Vec::new(),
            spill_at,
        }
    }

    #[inline]
    fn record(&mut self, i: usize, transit: f64, bin: Bin) {
        self.sum[i] += transit;
        self.n[i] += 1;
        self.bins.push(((i as u64) << 32) | bin.index() as u64);
        if self.bins.len() >= self.spill_at {
            self.spill();
        }
    }

    /// Moves the gathered bins into per-cohort histograms.
    fn spill(&mut self) {
        if self.hist.is_empty() {
            self.hist = vec![Histogram::new(); self.n.len()];
        }
        for key in self.bins.drain(..) {
            let bin = Bin::from_index(key as u32 as usize);
            self.hist[(key >> 32) as usize].record_bin(bin);
        }
    }

    /// Per cohort: (mean, p95) of its transits; NaN for an empty cohort.
    fn figures(mut self) -> Vec<(f64, f64)> {
        let spilled = !self.hist.is_empty();
        if spilled {
            self.spill();
            return (0..self.n.len())
                .map(|i| match self.hist[i].quantile(0.95) {
                    Some(p95) => (self.sum[i] / self.n[i] as f64, p95),
                    None => (f64::NAN, f64::NAN),
                })
                .collect();
        }
        // A counting sort: cohort i's bins begin at starts[i].
        let mut next = Vec::with_capacity(self.n.len());
        let mut at = 0;
        for &n in &self.n {
            next.push(at);
            at += n as usize;
        }
        let starts = next.clone();
        let mut bins = vec![0u32; at];
        for &key in &self.bins {
            let i = (key >> 32) as usize;
            bins[next[i]] = key as u32;
            next[i] += 1;
        }
        (0..self.n.len())
            .map(|i| {
                let n = self.n[i];
                if n == 0 {
                    return (f64::NAN, f64::NAN);
                }
                let cohort = &mut bins[starts[i]..starts[i] + n as usize];
                let rank = Histogram::rank_of(0.95, n) as usize;
                let (_, bin, _) = cohort.select_nth_unstable(rank - 1);
                (self.sum[i] / n as f64, Bin::from_index(*bin as usize).mid())
            })
            .collect()
    }
}

/// Per-period figures of one replication, filled at each period's end.
pub(super) struct Recorder {
    width: usize,
    values: Vec<f64>,
    /// Per reported resource: its slot and kind.
    slots: Vec<(usize, ResourceKind)>,
    prev: Vec<[f64; RAW]>,
    /// Per flow: offered, dispatched, delivered at the last period end.
    prev_flow: Vec<[u64; 3]>,
    /// Transit of the trains that arrived in each period, per flow.
    cohorts: Cohorts,
    /// The period in progress.
    pub(super) current: usize,
}

impl Recorder {
    pub(super) fn new(m: &crate::sim::Model) -> Option<Recorder> {
        if m.period_starts.is_empty() {
            return None;
        }
        let width = m.series_columns().len();
        let periods = m.period_starts.len();
        let mut slots = vec![(0, ResourceKind::Station); m.resources().len()];
        for (slot, r) in m.slot_to_resource.iter().enumerate() {
            if let Some(r) = r {
                slots[*r as usize] = (slot, m.resources()[*r as usize].kind);
            }
        }
        let flows = m.flows.len();
        Some(Recorder {
            width,
            values: vec![f64::NAN; width * periods],
            prev: vec![[0.0; RAW]; slots.len()],
            slots,
            prev_flow: vec![[0; 3]; flows],
            cohorts: Cohorts::new(periods * flows, SPILL),
            current: 0,
        })
    }

    /// Records a delivered train's transit in the cohort of the period it arrived in.
    #[inline]
    pub(super) fn delivered(
        &mut self,
        starts: &[SimTime],
        flows: usize,
        f: u32,
        arrived: SimTime,
        transit: f64,
        bin: Bin,
    ) {
        // The period it arrived in: most trains arrived in the period in progress or
        // the one before, so search back from it.
        let mut k = self.current.min(starts.len() - 1);
        while k > 0 && starts[k] > arrived {
            k -= 1;
        }
        self.cohorts.record(k * flows + f as usize, transit, bin);
    }

    /// The figures, with the cohort transit columns filled in.
    pub(super) fn finish(mut self, flows: usize) -> SeriesResult {
        let flow_base = self.width - flows * FLOW_MEASURES.len();
        let figures = self.cohorts.figures();
        for (i, (mean, p95)) in figures.into_iter().enumerate() {
            let (k, f) = (i / flows, i % flows);
            let col = k * self.width + flow_base + f * FLOW_MEASURES.len();
            self.values[col + 4] = mean;
            self.values[col + 5] = p95;
        }
        SeriesResult {
            width: self.width,
            values: self.values,
        }
    }
}

impl<T: Trace> Sim<'_, '_, T> {
    /// The next arrival after `from` of a random flow whose rate changes over time:
    /// a Poisson process thinned from a piecewise bound (exact: within each piece of
    /// the profile and each month, candidates come at the piece's highest rate and are
    /// kept with probability rate / bound; a candidate beyond the piece restarts the
    /// memoryless draw at the piece's end).
    pub(super) fn next_arrival_over_time(&mut self, f: u32, from: SimTime) -> Option<SimTime> {
        let m = self.m;
        let fm = &m.flows[f as usize];
        let horizon = m.horizon.days();
        let base = 1.0 / fm.mean_interval_days;
        let factors = match &fm.arrivals {
            Arrivals::Seasonal { factors } => Some(factors),
            _ => None,
        };
        let peak = factors.map_or(1.0, |fs| fs.iter().cloned().fold(0.0, f64::max));
        let rising = fm.profile.growth_per_year > 0.0;
        let mut t = from.days();
        loop {
            if t >= horizon {
                return None;
            }
            let (step, next) = fm.profile.step_at(t);
            // Months matter only for seasonal flows; growth makes every piece end at
            // most a year on, so the bound stays tight.
            let end = next
                .min(horizon)
                .min(if rising { t + 365.0 } else { f64::INFINITY });
            let at_end = if rising { end } else { t };
            let bound = base * step * peak * fm.profile.growth_at(at_end);
            if bound <= 0.0 || !bound.is_finite() {
                t = end;
                continue;
            }
            let rng = &mut self.flow_rng[f as usize];
            let e: f64 = Exp1.sample(rng);
            let cand = t + e / bound;
            if cand >= end {
                t = end;
                continue;
            }
            t = cand;
            let season = factors.map_or(1.0, |fs| fs[m.calendar.month_of(t)]);
            let rate = base * step * season * fm.profile.growth_at(t);
            let u: f64 = rand::RngExt::random(rng);
            if u * bound < rate {
                return Some(SimTime::from_days(t));
            }
        }
    }

    /// The next timetabled train after `now` of a flow whose rate changes over time:
    /// one interval at the current rate, or the first moment the rate is above zero.
    pub(super) fn next_timetabled_over_time(&self, f: u32) -> Option<SimTime> {
        let m = self.m;
        let fm = &m.flows[f as usize];
        let mut t = self.now.days();
        let horizon = m.horizon.days();
        while t < horizon {
            let factor = fm.profile.multiplier(t);
            if factor > 0.0 {
                return Some(SimTime::from_days(t + fm.mean_interval_days / factor));
            }
            t = fm.profile.step_at(t).1;
        }
        None
    }

    /// Puts the starting backlog in place: each train waits for its step, as if it had
    /// just arrived there at day 0.
    pub(super) fn place_backlog(&mut self) {
        let m = self.m;
        for b in &m.backlog {
            let r = &m.routes[b.route as usize];
            for _ in 0..b.trains {
                let serial = self.serial;
                self.serial += 1;
                self.trace.created(self.now, serial, b.flow);
                let t = self.new_train(Train {
                    flow: b.flow,
                    route: b.route,
                    next: b.step,
                    end: r.start + r.len,
                    wagons_pending: 0,
                    arrived: SimTime::ZERO,
                    serial,
                    adaptive: m.flows[b.flow as usize].adaptive,
                    alive: true,
                    initial: true,
                    dispatched: b.step > r.start,
                    store: NO_STORE,
                });
                self.advance(t);
            }
        }
    }

    /// New parameters from now on: stations with more servers start waiting trains,
    /// lines wake their queues, fleets gain or lose vessels (a vessel that leaves
    /// finishes its crossing first).
    pub(super) fn on_regime(&mut self, k: u32) {
        self.regime = k;
        let rp = self.p();
        for s in 0..self.stations.len() as u32 {
            self.start_waiting_services(s);
        }
        for s in 0..self.sections.len() {
            let st = &mut self.sections[s];
            if !st.queue.is_empty() && !st.wake_pending && st.closed == 0 {
                st.wake_pending = true;
                let at = st.next_free.max(self.now);
                self.schedule(at, Event::SectionWake(s as u32));
            }
        }
        for f in 0..self.ferries.len() {
            let target = rp.ferries[f].vessels;
            let fs = &mut self.ferries[f];
            let sailing = fs.active - fs.retiring;
            if target > sailing {
                let cancel = fs.retiring.min(target - sailing);
                fs.retiring -= cancel;
                for j in 0..target - sailing - cancel {
                    self.add_vessel(f as u32, j);
                }
            } else if target < sailing {
                fs.retiring += sailing - target;
                self.retire_idle(f as u32);
            }
        }
    }

    /// A vessel joins ferry service `f` at one of its ports, ready to load.
    fn add_vessel(&mut self, f: u32, j: u32) {
        let one_way = self.m.ferries[f as usize].one_way;
        let fresh = self.ferries[f as usize].parked.is_empty();
        let v = match self.ferries[f as usize].parked.pop() {
            Some(v) => v,
            None => {
                let mut vessel = super::ferries::Vessel::new(f, 2 * f, 0);
                // A vessel joining the fleet is of the last class.
                vessel.class = (self.m.ferries[f as usize].classes.len() - 1) as u32;
                self.vessels.push(vessel);
                (self.vessels.len() - 1) as u32
            }
        };
        let fs = &mut self.ferries[f as usize];
        fs.active += 1;
        let port = 2 * f + if one_way { 0 } else { (fs.active + j) % 2 };
        self.vessels[v as usize].port = port;
        if fresh {
            self.schedule_absence(v);
        }
        if self.vessels[v as usize].due {
            // Its absence fell due while it was out of the fleet: it takes it now.
            self.go_away(v);
            return;
        }
        if self.vessel_in_port(v) {
            self.reposition_to(port ^ 1);
        }
    }

    /// Vessels of `f` due to leave that are idle and empty in port leave now.
    fn retire_idle(&mut self, f: u32) {
        for p in [2 * f, 2 * f + 1] {
            loop {
                if self.ferries[f as usize].retiring == 0 {
                    return;
                }
                let ps = &mut self.ports[p as usize];
                let v = if let Some(v) = ps.waiting.pop_back() {
                    v
                } else if let Some(v) = ps.loading.filter(|v| {
                    let vessel = &self.vessels[*v as usize];
                    vessel.load_wagons == 0 && vessel.road_units == 0
                }) {
                    ps.loading = ps.waiting.pop_front();
                    v
                } else {
                    break;
                };
                let fs = &mut self.ferries[f as usize];
                fs.retiring -= 1;
                fs.active -= 1;
                fs.parked.push(v);
                let vessel = &mut self.vessels[v as usize];
                vessel.epoch = vessel.epoch.wrapping_add(1);
                vessel.timer_set = false;
                vessel.timer_expired = false;
            }
        }
    }

    /// Ends period `k` at `now`: its figures from the counters' growth since the last
    /// period end.
    pub(super) fn period_end(&mut self, k: usize) {
        let Some(mut rec) = self.recorder.take() else {
            return;
        };
        let m = self.m;
        let now = self.now;
        let a = m.period_starts[k];
        let period_ms = now.0.saturating_sub(a.0) as f64;
        let per_ms = |x: f64| {
            if period_ms > 0.0 {
                x / period_ms
            } else {
                f64::NAN
            }
        };
        let ns = self.stations.len();
        let nsec = self.sections.len();
        let mut col = k * rec.width;
        for i in 0..rec.slots.len() {
            let (slot, kind) = rec.slots[i];
            let (stat, waiting) = if slot < ns {
                let st = &mut self.stations[slot];
                (&mut st.stat, st.queue.len() as f64)
            } else if slot < ns + nsec {
                let st = &mut self.sections[slot - ns];
                (&mut st.stat, st.queue.len() as f64)
            } else {
                let ps = &mut self.ports[slot - ns - nsec];
                (&mut ps.stat, f64::from(ps.trains_waiting))
            };
            let busy = match kind {
                ResourceKind::Station => stat.busy.total(now),
                ResourceKind::Rail | ResourceKind::Road => stat.all.occupied_ms as f64,
                ResourceKind::Ferry => stat.all.wagons as f64,
            };
            let raw = [
                stat.queue.total(now),
                stat.queue_wagons.total(now),
                busy,
                stat.all.waits as f64,
                stat.all.wait_ms as f64,
                stat.all.sailings as f64,
                stat.all.teu,
                stat.all.road_units as f64,
            ];
            let d: [f64; RAW] = std::array::from_fn(|j| raw[j] - rec.prev[i][j]);
            rec.prev[i] = raw;
            // A ferry direction: its service and the room on the sailings it made.
            let ferry = (kind == ResourceKind::Ferry).then(|| {
                let f = (slot - ns - nsec) / 2;
                (f as u32, d[5] * self.p().ferries[f].mean_wagons)
            });
            let utilization = match kind {
                ResourceKind::Station => {
                    let s = slot as u32;
                    let cap = m.station_server_ms(s, a, now);
                    if cap > 0.0 {
                        (d[2] / cap).clamp(0.0, 1.0)
                    } else {
                        f64::NAN
                    }
                }
                ResourceKind::Rail | ResourceKind::Road => per_ms(d[2]).min(1.0),
                ResourceKind::Ferry => {
                    let (f, room) = ferry.unwrap_or_default();
                    let cap = m.ferry_capacity_wagons(f, a, now).max(room);
                    // Deck used: wagons, and road units in wagon equivalents.
                    let weq = m.ferries[f as usize]
                        .road
                        .as_ref()
                        .map_or(0.0, |r| r.wagon_equivalents);
                    if cap > 0.0 {
                        ((d[2] + d[7] * weq) / cap).clamp(0.0, 1.0)
                    } else {
                        f64::NAN
                    }
                }
            };
            let wait = if d[3] > 0.0 {
                d[4] / d[3] / MS_PER_DAY
            } else {
                f64::NAN
            };
            let base = [per_ms(d[0]), per_ms(d[1]), waiting, utilization, wait];
            rec.values[col..col + RESOURCE_MEASURES.len()].copy_from_slice(&base);
            col += RESOURCE_MEASURES.len();
            if let Some((_, room)) = ferry {
                let load = if room > 0.0 {
                    (d[2] / room).min(1.0)
                } else {
                    f64::NAN
                };
                rec.values[col..col + FERRY_MEASURES.len()]
                    .copy_from_slice(&[d[5], d[2], d[6], load]);
                col += FERRY_MEASURES.len();
            }
        }
        for (f, fl) in self.flows.iter().enumerate() {
            let cur = [fl.all_offered, fl.all_dispatched, fl.all_delivered];
            let prev = rec.prev_flow[f];
            rec.prev_flow[f] = cur;
            rec.values[col] = (cur[0] - prev[0]) as f64;
            rec.values[col + 1] = (cur[1] - prev[1]) as f64;
            rec.values[col + 2] = (cur[2] - prev[2]) as f64;
            rec.values[col + 3] = fl.in_system as f64;
            col += FLOW_MEASURES.len();
        }
        rec.current = k + 1;
        self.recorder = Some(rec);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gathered bins and the spilled histograms give the same figures, and both
    /// the figures a histogram per cohort gives.
    #[test]
    fn cohort_figures_do_not_depend_on_spilling() {
        let (cohorts, trains) = (7, 5_000);
        let mut gathered = Cohorts::new(cohorts, usize::MAX);
        let mut spilled = Cohorts::new(cohorts, 333);
        let mut hists = vec![Histogram::new(); cohorts];
        let mut sums = vec![0.0; cohorts];
        let mut x = 0.37_f64;
        for t in 0..trains {
            x = (x * 997.0 + 0.123).fract();
            let i = (t * 5 + t / 3) % (cohorts - 1); // the last cohort stays empty
            let transit = 3.0 + 40.0 * x * x;
            let bin = Bin::of(transit);
            gathered.record(i, transit, bin);
            spilled.record(i, transit, bin);
            hists[i].record(transit);
            sums[i] += transit;
        }
        let expected: Vec<(f64, f64)> = (0..cohorts)
            .map(|i| match hists[i].quantile(0.95) {
                Some(p95) => (sums[i] / hists[i].count() as f64, p95),
                None => (f64::NAN, f64::NAN),
            })
            .collect();
        let bits = |v: Vec<(f64, f64)>| -> Vec<(u64, u64)> {
            v.into_iter()
                .map(|(a, b)| (a.to_bits(), b.to_bits()))
                .collect()
        };
        assert_eq!(bits(gathered.figures()), bits(expected.clone()));
        assert_eq!(bits(spilled.figures()), bits(expected));
    }
}
